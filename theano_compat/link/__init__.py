"""Graph -> runnable program.  One generated Python function per compiled graph.

The generated function takes the input values (explicit inputs, then shared values),
runs every Apply node in topological order (most as a call to a bound callable,
elementwise ones written out, see codegen.py), frees intermediates at their last use,
and returns the output values.  Its source is registered with ``linecache`` so
tracebacks show it; a failing line maps back to its Apply node.
"""

from __future__ import annotations

import itertools
import linecache

from ..graph.op import runner_for  # noqa: F401 - re-exported (moved to graph)
from .codegen import generate
from .errors import annotate_runtime_error, user_traceback  # noqa: F401 - re-exported
from .profile import ProfileStats, clock  # noqa: F401 - re-exported

_ids = itertools.count()


class Program:
    """A linked graph: ``fn(*input_values) -> list of output values``.

    Attributes: ``fn`` (the generated function, with its own buffers), ``source`` and
    ``filename`` (of fn), ``body``/``results`` (the lines and result expressions other
    generated functions embed, see compile/compiled.py), ``nodes`` (execution order),
    ``node_args`` (node -> its argument names in the body), ``float_inputs`` (input
    positions the body only reads as ``float(i<k>)``) and ``variants``
    (filename -> (source, generated line number -> Apply node)) for every generated
    function that runs this body, so errors map back to nodes whichever one failed.
    """

    def __init__(self, src, inputs, outputs, name):
        self.body = src.lines
        self.results = src.results
        self.line_nodes_body = src.line_nodes
        self.node_args = src.node_args
        self.nodes = src.nodes
        self.float_inputs = src.float_inputs
        self.inputs = inputs
        self.outputs = outputs
        self.name = name or "unnamed"
        self._glob = src.glob
        self._buffers = src.buffers
        self.variants = {}
        params = ", ".join(f"i{k}" for k in range(len(inputs)))
        lines = [f"def run({params}):"] + self.body
        lines.append("    return [" + ", ".join(self.results) + "]")
        self._run_source = "\n".join(lines) + "\n"
        self._run_code, self.filename = self.compile_variant(self._run_source, 1, "fn-body")
        self.fn = self.bind()

    @property
    def source(self):
        return self._run_source

    @property
    def line_nodes(self):
        return self.variants[self.filename][1]

    def new_globals(self):
        """The globals of one instance of the generated code: shared callables and
        constants, and buffers of its own (created empty: the first call sizes them)."""
        glob = dict(self._glob)
        xp_empty = glob.get("_empty")
        glob["_B"] = [xp_empty((0,) * ndim, dtype) for ndim, dtype in self._buffers]
        return glob

    def bind(self, glob=None):
        """The run function over `glob` (fresh globals when None): instances with their
        own buffers can run in different threads (Theano's ``f.copy()``)."""
        glob = self.new_globals() if glob is None else glob
        exec(self._run_code, glob)  # noqa: S102 - our own generated source
        return glob["run"]

    def compile_variant(self, source, body_line, label):
        """Compile generated `source` whose line `body_line` (1-based) is the body's first
        line; registers it with linecache and for error mapping.  Returns (code, filename)."""
        filename = f"<theano_compat {label} {self.name}#{next(_ids)}>"
        code = compile(source, filename, "exec")
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        line_nodes = {body_line + k: node for k, node in self.line_nodes_body.items()}
        self.variants[filename] = (source, line_nodes)
        return code, filename


def link(fgraph, inputs, outputs, *, backend, name=None, copy_outputs=(), profile=None,
         compile_inner=None):
    """Generate the program computing `outputs` from `inputs` over `fgraph`'s nodes.

    `copy_outputs` lists output positions whose value may alias an input or a constant
    and must be returned as a fresh array.  With a `profile` (link/profile.py), the
    program reads a clock around every node and adds the time to the profile; that is a
    separate program, so the unprofiled one has no such lines.  `compile_inner` is
    handed to Ops with inner graphs (see graph.op.runner_for).
    """
    src = generate(fgraph.toposort(), inputs, outputs, xp=backend.xp,
                   copy_outputs=copy_outputs, profile=profile, compile_inner=compile_inner,
                   backend=backend)
    return Program(src, inputs, outputs, name)
