"""Cross-entropy of a distribution with integer labels, and the softmax gradient as an Op.

Keeping these as Ops (as Theano did) lets the stabilisation rules recognise
``softmax -> cross-entropy`` and its gradient and replace them with forms that stay finite
when a probability underflows to 0 (tensor/rewrites/stabilize.py).
"""

from __future__ import annotations

from ...graph.basic import Apply
from ...graph.null import grad_not_implemented, grad_undefined
from ...graph.op import Op
from ...scalar import dtypes as D
from .. import basic as B
from .. import math as M
from ..type import TensorType


def _rows(xp, coding, labels):
    return xp.arange(coding.shape[0]), labels


class SoftmaxGrad(Op):
    """The gradient of a row-wise softmax: ``(dy - sum(dy * sm, 1)) * sm``."""

    __props__ = ()

    def make_node(self, dy, sm):
        dy, sm = B.as_tensor_variable(dy), B.as_tensor_variable(sm)
        if sm.type.ndim != 2 or dy.type.ndim != 2:
            raise TypeError(f"SoftmaxGrad needs two matrices, got {dy.type} and {sm.type}")
        return Apply(self, [dy, sm], [sm.type()])

    def impl(self, xp, dy, sm):
        return (dy - (dy * sm).sum(axis=1, keepdims=True)) * sm

    def L_op(self, inputs, outputs, grads):
        dy, sm = inputs
        (g,) = grads
        gsm = g * sm
        s = M.sum(gsm, axis=1, keepdims=True)
        d_dy = gsm - s * sm
        d_sm = g * (dy - M.sum(dy * sm, axis=1, keepdims=True)) - s * dy
        return [d_dy, d_sm]

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def __str__(self):
        return "SoftmaxGrad"


softmax_grad = SoftmaxGrad()


class CrossentropyCategorical1Hot(Op):
    """``-log(coding[i, labels[i]])`` per row (Theano's crossentropy_categorical_1hot)."""

    __props__ = ()

    def make_node(self, coding, labels):
        coding, labels = B.as_tensor_variable(coding), B.as_tensor_variable(labels)
        if coding.type.ndim != 2:
            raise TypeError(f"coding distribution must be a matrix, got {coding.type}")
        if labels.type.ndim != 1 or labels.type.dtype not in D.integer_dtypes:
            raise TypeError(f"labels must be a vector of integers, got {labels.type}")
        return Apply(self, [coding, labels],
                     [TensorType(coding.type.dtype, (coding.type.broadcastable[0],))()])

    def impl(self, xp, coding, labels):
        return -xp.log(coding[_rows(xp, coding, labels)])

    def L_op(self, inputs, outputs, grads):
        coding, labels = inputs
        (g,) = grads
        return [crossentropy_categorical_1hot_grad(g, coding, labels),
                grad_undefined(self, 1, labels, "labels are integers")]

    def infer_shape(self, node, shapes):
        return [(shapes[0][0],)]

    def __str__(self):
        return "CrossentropyCategorical1Hot"


class CrossentropyCategorical1HotGrad(Op):
    """Gradient of CrossentropyCategorical1Hot: ``-g[i] / coding[i, labels[i]]`` at the
    labelled entries, 0 elsewhere."""

    __props__ = ()

    def make_node(self, g, coding, labels):
        g, coding, labels = (B.as_tensor_variable(v) for v in (g, coding, labels))
        return Apply(self, [g, coding, labels], [coding.type()])

    def impl(self, xp, g, coding, labels):
        out = xp.zeros_like(coding)
        rows = _rows(xp, coding, labels)
        out[rows] = -g / coding[rows]
        return out

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, k, v) for k, v in enumerate(inputs)]

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def __str__(self):
        return "CrossentropyCategorical1HotGrad"


crossentropy_categorical_1hot = CrossentropyCategorical1Hot()
crossentropy_categorical_1hot_grad = CrossentropyCategorical1HotGrad()
