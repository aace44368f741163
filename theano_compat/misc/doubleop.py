"""theano.misc.doubleop: ``DoubleOp``, the example Op of Theano's "Extending Theano" tutorial
(``x * 2`` written as a Python Op: perform, infer_shape, grad and R_op)."""

import theano_compat as theano  # noqa: F401 - a name Theano's module had
from ..graph.basic import Apply
from ..graph.op import Op
from ..tensor import as_tensor_variable



class DoubleOp(Op):
    """Double each element of a tensor: the output has the input's shape and dtype.

    An example; ``x * 2`` (an Elemwise) does the same and is optimized.
    """

    __module__ = "theano.misc.doubleop"  # Theano's path: reprs and pickles

    __props__ = ()

    def __str__(self):
        return self.__class__.__name__

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] * 2

    def infer_shape(self, node, i0_shapes):
        return i0_shapes

    def grad(self, inputs, output_grads):
        return [output_grads[0] * 2]

    def R_op(self, inputs, eval_points):
        # None: no differentiable path through the input, so no R-op value either.
        if eval_points[0] is None:
            return eval_points
        return self.grad(inputs, eval_points)
