"""theano.tensor.nnet.nnet: activations, softmax and the softmax cross-entropies (the module
Theano kept them in; the package ``theano.tensor.nnet`` re-exports them)."""

from __future__ import annotations

from ...graph.basic import Apply
from ...graph.op import Op
from ...scalar import dtypes as D
from ...scalar import ops as S
from .. import basic as B
from .. import math as M
from .. import elemwise_ops as E
from ..elemwise import Elemwise
from .crossentropy import (  # noqa: F401 - theano.tensor.nnet.nnet names
    CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad, SoftmaxGrad,
    crossentropy_categorical_1hot, crossentropy_categorical_1hot_grad, softmax_grad)

sigmoid = M.sigmoid
softplus = M.softplus


def ultra_fast_sigmoid(x):
    """Theano's piecewise approximation of sigmoid (max abs error about 0.02).

    Computed in the input's float dtype (integers upgrade as for transcendental ops).
    Theano 1.0.5 had no gradient for it; here the gradient is the derivative of the
    piecewise function.
    """
    x = B.as_tensor_variable(x)
    dtype = D.upgrade_to_float(x.type.dtype)
    x = B.cast(x, dtype) if x.type.dtype != dtype else x

    def c(v):
        return B.constant(v, dtype=dtype)

    xh = c(0.5) * x
    ax = abs(xh)
    z = M.switch(E.lt(ax, c(1.7)), c(1.5) * ax / (c(1) + ax),
                 M.switch(E.lt(ax, c(3)),
                          c(0.935409070603099) + c(0.0458812946797165) * (ax - c(1.7)),
                          c(0.99505475368673)))
    return c(0.5) * (E.sgn(xh) * z + c(1.0))


def hard_sigmoid(x):
    """clip(0.2 * x + 0.5, 0, 1) as Theano defined it (constants in the output's float
    dtype, so float32 and small integers give float32)."""
    x = B.as_tensor_variable(x)
    dtype = D.upgrade_to_float(x.type.dtype)
    slope = B.constant(0.2, dtype=dtype)
    shift = B.constant(0.5, dtype=dtype)
    return M.clip(x * slope + shift, 0, 1)


def relu(x, alpha=0):
    """max(x, 0), or the leaky version x if x > 0 else alpha * x."""
    x = B.as_tensor_variable(x)
    if alpha == 0:
        return 0.5 * (x + abs(x))
    f1 = 0.5 * (1 + alpha)
    f2 = 0.5 * (1 - alpha)
    return f1 * x + f2 * abs(x)


def elu(x, alpha=1):
    return M.switch(x > 0, x, alpha * E.expm1(x))


def selu(x):
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * elu(x, alpha)


# x / (1 + |x|): an Elemwise of the scalar op declared in scalar/ops.py, as Theano's was.
softsign = Elemwise(S.softsign, name="softsign")


def _row_wise_node(op, x):
    """Apply node of a row-wise op on a float matrix (a vector counts as one row)."""
    x = B.as_tensor_variable(x)
    if x.type.ndim not in (1, 2) or x.type.dtype not in D.float_dtypes:
        raise ValueError(f"x must be a 1-d or 2-d tensor of floats. Got {x.type}")
    if x.type.ndim == 1:
        x = B.shape_padleft(x, 1)
    return Apply(op, [x], [x.type()])


class Softmax(Op):
    """Row-wise softmax of a matrix (a vector is treated as one row)."""

    __props__ = ()

    def make_node(self, x):
        return _row_wise_node(self, x)

    def impl(self, xp, x):
        e = xp.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def L_op(self, inputs, outputs, grads):
        (sm,), (g,) = outputs, grads
        return [softmax_grad(g, sm)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        sm = self(inputs[0])
        return [sm * (eval_points[0] - M.sum(sm * eval_points[0], axis=1, keepdims=True))]

    def infer_shape(self, node, shapes):
        return shapes

    def __str__(self):
        return "Softmax"


class LogSoftmax(Op):
    """Row-wise log(softmax(x)), computed stably."""

    __props__ = ()

    def make_node(self, x):
        return _row_wise_node(self, x)

    def impl(self, xp, x):
        shifted = x - x.max(axis=1, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))

    def L_op(self, inputs, outputs, grads):
        (lsm,), (g,) = outputs, grads
        return [g - M.sum(g, axis=1, keepdims=True) * E.exp(lsm)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        v = eval_points[0]
        return [v - M.sum(softmax_op(inputs[0]) * v, axis=1, keepdims=True)]

    def infer_shape(self, node, shapes):
        return shapes

    def __str__(self):
        return "LogSoftmax"


softmax_op = Softmax()
logsoftmax_op = LogSoftmax()


def softmax(c):
    c = B.as_tensor_variable(c)
    return softmax_op(c)


def logsoftmax(c):
    return logsoftmax_op(B.as_tensor_variable(c))


log_softmax = logsoftmax


def softmax_graph(c):
    return E.exp(c) / M.sum(E.exp(c), axis=-1, keepdims=True)


def categorical_crossentropy(coding_dist, true_dist):
    """-sum(true * log(coding)) per row; integer `true_dist` means class indices."""
    coding_dist = B.as_tensor_variable(coding_dist)
    true_dist = B.as_tensor_variable(true_dist)
    if true_dist.type.ndim == coding_dist.type.ndim:
        return -M.sum(true_dist * E.log(coding_dist), axis=coding_dist.type.ndim - 1)
    if true_dist.type.ndim == coding_dist.type.ndim - 1:
        if true_dist.type.dtype not in D.integer_dtypes:
            raise TypeError("integer labels are needed when true_dist has one dimension less")
        if coding_dist.type.ndim == 2 and true_dist.type.ndim == 1:
            return crossentropy_categorical_1hot(coding_dist, true_dist)
        return -E.log(coding_dist[B.arange(true_dist.shape[0]), true_dist])
    raise TypeError("rank mismatch between coding and true distributions")


def binary_crossentropy(output, target):
    """-(target * log(output) + (1 - target) * log(1 - output))."""
    return -(target * E.log(output) + (1.0 - target) * E.log(1.0 - output))


def sigmoid_binary_crossentropy(output, target):
    """binary_crossentropy(sigmoid(output), target), computed stably from the logits."""
    return M.softplus(-abs(output)) + output * ((output > 0) - target)


def crossentropy_softmax_1hot(x, y_idx):
    """(nll, softmax) for logits `x` and integer labels `y_idx`."""
    sm = softmax(x)
    nll = -logsoftmax(x)[B.arange(y_idx.shape[0]), y_idx]
    return nll, sm


def crossentropy_softmax_argmax_1hot_with_bias(x, b, y_idx):
    nll, sm = crossentropy_softmax_1hot(x + b, y_idx)
    return nll, sm, M.argmax(x + b, axis=1)


def crossentropy_softmax_1hot_with_bias(x, b, y_idx):
    return crossentropy_softmax_1hot(x + b, y_idx)


def softmax_with_bias(x, b):
    return softmax(x + b)
