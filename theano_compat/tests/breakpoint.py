"""theano.tests.breakpoint: PdbBreakpoint, a conditional debugger breakpoint inside a graph.

``x2, y2 = PdbBreakpoint("name")(condition, x, y)`` returns views of the monitored
variables; when a call of the compiled function finds the scalar `condition` true, it
prints which breakpoint fired and opens pdb, where the monitored values are in
``monitored``.  Gradients flow through the monitored variables unchanged; the condition
gets none (it is disconnected).  Use the outputs in the rest of the graph: a breakpoint
whose outputs nothing uses is removed with the rest of the unused graph, as in Theano.
"""

from __future__ import annotations

from ..graph.basic import Apply
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..tensor.elemwise import as_tensor_variable


class PdbBreakpoint(Op):
    """Open pdb when `condition` is true; pass the monitored variables through."""

    __module__ = "theano.tests.breakpoint"  # Theano's path: reprs and pickles

    __props__ = ("name",)

    def __init__(self, name):
        self.name = name

    def make_node(self, condition, *monitored):
        condition = as_tensor_variable(condition)
        if condition.type.ndim != 0:
            raise TypeError(f"PdbBreakpoint {self.name!r}: the condition must be a scalar, "
                            f"got {condition.type}")
        monitored = [as_tensor_variable(m) for m in monitored]
        self.view_map = {i: [i + 1] for i in range(len(monitored))}
        return Apply(self, [condition, *monitored], [m.type() for m in monitored])

    def impl(self, xp, condition, *monitored):
        if condition:
            print("-------------------------------------------------")
            print(f"Conditional breakpoint '{self.name}' activated")
            print("The monitored variables are stored, in order,")
            print("in the list variable 'monitored' as NumPy arrays.")
            print("-------------------------------------------------")
            import pdb  # here: the debugger's import costs ~4 ms of every `import theano`

            pdb.set_trace()
        return monitored[0] if len(monitored) == 1 else tuple(monitored)

    def grad(self, inputs, output_gradients):
        return [disconnected_type(), *output_gradients]

    def infer_shape(self, node, input_shapes):
        return input_shapes[1:]

    def connection_pattern(self, node):
        n = len(node.outputs)
        return [[0] * n] + [[int(i == j) for j in range(n)] for i in range(n)]
