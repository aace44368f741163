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

    Attributes: ``fn`` (the generated function, with its own pool of buffer sets: safe
    to call from several threads at once), ``source`` and ``filename`` (of fn),
    ``body``/``results`` (the lines and result expressions other generated functions
    embed, see call_entry.py), ``nodes`` (execution order),
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
        # Line 1 is the def; the body's first line is line 2.
        self._run_code, self.filename = self.compile_variant(self._run_source, 2, "fn-body")
        self.fn = self.bind()

    @property
    def source(self):
        return self._run_source

    @property
    def line_nodes(self):
        return self.variants[self.filename][1]

    def new_globals(self):
        """The globals of one instance of the generated code: shared callables and
        constants, and a pool of buffer sets of its own (``_Bpool``).

        Each run takes a set from the pool and gives it back at its end (codegen's
        _TAKE_SET), so runs in several threads at once each write their own arrays; the
        pool holds one set per run that was ever in progress at the same time.  Arrays
        are created empty: the first run sizes them.
        """
        glob = dict(self._glob)
        if self._buffers:
            new_set = self._buffer_set_factory(glob["_empty"])
            pool = [new_set()]
            glob.update(_Bpool=pool, _Bpop=pool.pop, _Bput=pool.append, _Bnew=new_set)
        return glob

    def _buffer_set_factory(self, xp_empty):
        specs = [((0,) * ndim, dtype) for ndim, dtype in self._buffers]
        return lambda: [xp_empty(shape, dtype) for shape, dtype in specs]

    def release_buffers(self, glob):
        """Empty every buffer set in the pool of `glob` (its arrays are freed; the next
        run allocates them again).  A set in use by a run right now is left to it."""
        pool = glob.get("_Bpool")
        if pool is None:
            return
        new_set = glob["_Bnew"]
        # list(pool) is one atomic copy; a set popped since is emptied while a run uses
        # it, which is harmless: the run holds the arrays it fetched in local names and
        # reallocates a slot it finds empty.
        for buffers in list(pool):
            buffers[:] = new_set()

    def buffer_sets(self, glob):
        """The buffer sets now in the pool of `glob` (for tests and introspection)."""
        return list(glob.get("_Bpool", ()))

    def bind(self, glob=None):
        """The run function over `glob` (fresh globals when None).  Safe to call from
        several threads at once (each run takes its own buffer set, see new_globals)."""
        glob = self.new_globals() if glob is None else glob
        exec(self._run_code, glob)  # noqa: S102 - our own generated source
        return glob["run"]

    def compile_variant(self, source, body_line, label):
        """Compile generated `source` whose line `body_line` (1-based) is the body's first
        line (None: the source calls the body instead of holding it); registers it with
        linecache and for error mapping.  Returns (code, filename)."""
        filename = f"<theano_compat {label} {self.name}#{next(_ids)}>"
        code = compile(source, filename, "exec")
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        line_nodes = {} if body_line is None else {
            body_line + k: node for k, node in self.line_nodes_body.items()}
        self.variants[filename] = (source, line_nodes)
        return code, filename


def link(fgraph, inputs, outputs, *, backend, name=None, copy_outputs=(), profile=None,
         compile_inner=None, mutable=()):
    """Generate the program computing `outputs` from `inputs` over `fgraph`'s nodes.

    `copy_outputs` lists output positions whose value may alias an input or a constant
    and must be returned as a fresh array.  With a `profile` (link/profile.py), the
    program reads a clock around every node and adds the time to the profile; that is a
    separate program, so the unprofiled one has no such lines.  `compile_inner` is
    handed to Ops with inner graphs (see graph.op.runner_for).  `mutable`: positions of
    inputs whose arrays the program may overwrite once nothing else reads them (Theano's
    ``In(mutable=True)``).
    """
    src = generate(fgraph.toposort(), inputs, outputs, xp=backend.xp,
                   copy_outputs=copy_outputs, profile=profile, compile_inner=compile_inner,
                   backend=backend, mutable=mutable)
    return Program(src, inputs, outputs, name)
