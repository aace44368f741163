"""Compiling the inner graphs of Ops such as Scan and OpFromGraph.

The linker hands these Ops a ``compile_inner(inputs, outputs, name=None)`` callable
(graph.op.runner_for); this module makes it for one mode and backend, so an inner graph
gets the same rewrites and the same array module as the function that contains it.
"""

from __future__ import annotations

from ..graph.fgraph import FunctionGraph
from ..link import link
from ..link.storage import alias_root


def inner_compiler(mode, backend):
    """A ``compile_inner`` for `mode` (a Mode) and `backend`.

    The returned function takes the inner graph's input variables (they must be the
    graph's leaves, besides constants) and output variables and gives back
    ``fn(*input_values) -> list of output values``.  An output that would be (a view
    of) an input or a constant is returned as a copy, so the caller may keep it.
    """

    def compile_inner(inputs, outputs, name=None):
        fgraph = FunctionGraph(list(inputs), list(outputs), clone=True)
        mode.pipeline()(fgraph, mode.excluded)
        copies = set()
        seen = set()
        for k, out in enumerate(fgraph.outputs):
            if alias_root(out) is not None or id(out) in seen:
                copies.add(k)
            seen.add(id(out))
        program = link(fgraph, fgraph.inputs, fgraph.outputs, backend=backend,
                       name=name or "inner", copy_outputs=copies,
                       compile_inner=compile_inner)
        program.fn.program = program  # lets a caller map an error to the inner node
        return program.fn

    return compile_inner
