"""Cross-entropy of a distribution with integer labels, and the softmax gradient as an Op.

Keeping these as Ops (as Theano did) lets the stabilisation rules recognise
``softmax -> cross-entropy`` and its gradient and replace them with forms that stay finite
when a probability underflows to 0 (tensor/rewrites/stabilize.py).
"""

from __future__ import annotations

from ...graph.basic import Apply
from ...graph.null import (DisconnectedType, disconnected_type, grad_not_implemented,
                           grad_undefined)
from ...graph.op import Op
from ...scalar import dtypes as D
from .. import basic as B
from .. import math as M
from ..subtensor import inc_subtensor
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
        return Apply(self, [coding, labels], [TensorType(coding.type.dtype, (False,))()])

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


def _float_tensor(v, ndim, what):
    v = B.as_tensor_variable(v)
    if v.type.ndim != ndim or v.type.dtype not in D.float_dtypes:
        raise ValueError(f"{what} must be {ndim}-d tensor of floats", v.type)
    return v


def _labels(y_idx):
    y_idx = B.as_tensor_variable(y_idx)
    if y_idx.type.ndim != 1 or y_idx.type.dtype not in D.discrete_dtypes:
        raise ValueError("y_idx must be 1-d tensor of [u]ints", y_idx.type)
    return y_idx


def _softmax_rows(xp, x, b):
    """softmax(x + b) row-wise, with the shifted logits and the row sums."""
    if b.shape[0] != x.shape[1]:
        raise ValueError("b must have same number of columns as x")
    row = x + b[None, :]
    m = row.max(axis=1, keepdims=True) if row.shape[1] else xp.zeros((row.shape[0], 1),
                                                                      row.dtype)
    e = xp.exp(row - m)
    total = e.sum(axis=1, keepdims=True)
    return row, m, e / total, total


class SoftmaxWithBias(Op):
    """Row-wise ``softmax(x + b)`` of a float matrix `x` and a bias vector `b`."""

    __props__ = ()
    nin, nout = 2, 1

    def make_node(self, x, b):
        x = _float_tensor(x, 2, "x")
        b = _float_tensor(b, 1, "b")
        return Apply(self, [x, b], [x.type()])

    def impl(self, xp, x, b):
        if x.size == 0:
            return xp.zeros(x.shape, dtype=x.dtype)
        return _softmax_rows(xp, x, b)[2].astype(x.dtype, copy=False)

    def L_op(self, inputs, outputs, grads):
        (g_sm,) = grads
        if isinstance(g_sm.type, DisconnectedType):
            return [disconnected_type(), disconnected_type()]
        dx = softmax_grad(g_sm, outputs[0])
        return [dx, M.sum(dx, axis=0)]

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def __str__(self):
        return "SoftmaxWithBias"


softmax_with_bias = SoftmaxWithBias()


class CrossentropySoftmaxArgmax1HotWithBias(Op):
    """For logits ``x + b`` and integer labels `y_idx`, per row: the negative
    log-likelihood ``-log(softmax(x + b)[i, y_idx[i]])``, the softmax and the argmax of
    ``x + b`` (computed stably from the shifted logits)."""

    __props__ = ()
    nin, nout = 3, 3

    def make_node(self, x, b, y_idx):
        x = _float_tensor(x, 2, "x")
        b = _float_tensor(b, 1, "b")
        y_idx = _labels(y_idx)
        nll = TensorType(x.type.dtype, y_idx.type.broadcastable)()
        return Apply(self, [x, b, y_idx], [nll, x.type(), y_idx.type()])

    def impl(self, xp, x, b, y_idx):
        if y_idx.shape[0] != x.shape[0]:
            raise ValueError("y_idx must have same number of rows as x")
        if (y_idx < 0).any() or (y_idx >= x.shape[1]).any():
            raise ValueError("y_i value out of bounds")
        row, m, sm, total = _softmax_rows(xp, x, b)
        rows = xp.arange(x.shape[0])
        nll = -row[rows, y_idx] + m[:, 0] + xp.log(total[:, 0])
        am = row.argmax(axis=1) if x.shape[1] else xp.zeros(x.shape[0], y_idx.dtype)
        return (nll.astype(x.dtype, copy=False), sm.astype(x.dtype, copy=False),
                am.astype(y_idx.dtype))

    def infer_shape(self, node, shapes):
        x_shp, _, idx_shp = shapes
        return [(x_shp[0],), x_shp, idx_shp]

    def connection_pattern(self, node):
        return [[True, True, True], [True, True, True], [False, False, True]]

    def L_op(self, inputs, outputs, grads):
        x, b, y_idx = inputs
        g_nll, g_sm, g_am = grads
        dx_terms, db_terms, didx_terms = [], [], []
        if not isinstance(g_nll.type, DisconnectedType):
            dx = crossentropy_softmax_1hot_with_bias_dx(g_nll, outputs[1], y_idx)
            dx_terms.append(dx)
            db_terms.append(M.sum(dx, axis=0))
        if not isinstance(g_sm.type, DisconnectedType):
            dx = softmax_grad(g_sm, outputs[1])
            dx_terms.append(dx)
            db_terms.append(M.sum(dx, axis=0))
        if not isinstance(g_am.type, DisconnectedType):
            dx_terms.append(B.zeros_like(x))
            db_terms.append(B.zeros_like(b))
            didx_terms.append(B.zeros_like(y_idx))

        def total(terms):
            if not terms:
                return disconnected_type()
            out = terms[0]
            for t in terms[1:]:
                out = out + t
            return out

        return [total(t) for t in (dx_terms, db_terms, didx_terms)]

    def __str__(self):
        return "CrossentropySoftmaxArgmax1HotWithBias"


class CrossentropySoftmax1HotWithBiasDx(Op):
    """Gradient of the nll of CrossentropySoftmaxArgmax1HotWithBias with respect to its
    logits: ``dy[i] * sm[i]`` with ``dy[i]`` subtracted at ``y_idx[i]`` (`dy` a vector,
    or a scalar used for every row)."""

    __props__ = ()
    nin, nout = 3, 1

    def make_node(self, dy, sm, y_idx, **kwargs):
        dy = B.as_tensor_variable(dy)
        if dy.type.ndim > 1 or dy.type.dtype not in D.float_dtypes:
            raise ValueError("dy must be {0,1}-d tensor of floats", dy.type)
        sm = _float_tensor(sm, 2, "sm")
        y_idx = _labels(y_idx)
        return Apply(self, [dy, sm, y_idx], [sm.type()])

    def impl(self, xp, dy, sm, y_idx):
        if (y_idx < 0).any() or (y_idx >= sm.shape[1]).any():
            raise ValueError("y_i value out of bounds")
        if sm.shape[0] != y_idx.shape[0]:
            raise ValueError("sm.shape[0] != y_idx.shape[0]")
        dy = dy.reshape(-1)
        if dy.shape[0] not in (1, y_idx.shape[0]):
            raise ValueError(f"dnll.shape[0] ({dy.shape[0]}) != y_idx.shape[0] "
                             f"({y_idx.shape[0]})")
        dy_col = xp.broadcast_to(dy, (sm.shape[0],))
        dx = (dy_col[:, None] * sm).astype(sm.dtype, copy=False)
        dx[xp.arange(sm.shape[0]), y_idx] -= dy_col.astype(sm.dtype, copy=False)
        return dx

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def grad(self, inputs, grads):
        dy, sm, y_idx = inputs
        (g_dx,) = grads
        rows = B.arange(y_idx.shape[0])
        # d dx[i] / d dy[i] = sm[i] - one_hot(y_idx[i])
        marked = inc_subtensor(sm[rows, y_idx], B.constant(-1, dtype=sm.type.dtype))
        g_dy = M.sum(g_dx * marked, axis=1)
        if dy.type.ndim == 0:
            g_dy = M.sum(g_dy)
        dy_col = dy.dimshuffle(0, "x") if dy.type.ndim == 1 else dy
        g_sm = dy_col * g_dx
        return [g_dy, g_sm, grad_not_implemented(self, 2, y_idx)]

    def __str__(self):
        return "CrossentropySoftmax1HotWithBiasDx"


crossentropy_softmax_argmax_1hot_with_bias = CrossentropySoftmaxArgmax1HotWithBias()
crossentropy_softmax_1hot_with_bias_dx = CrossentropySoftmax1HotWithBiasDx()


class Prepend_scalar_constant_to_each_row(Op):  # noqa: N801 - Theano's class name
    """A matrix with a first column filled with the constant `val`."""

    __props__ = ("val",)

    def __init__(self, val=0):
        self.val = float(getattr(val, "data", val))

    def __str__(self):
        return f"{type(self).__name__}{{Constant{{{self.val}}}}}"

    def make_node(self, mat):
        x = B.as_tensor_variable(mat)
        if x.type.broadcastable != (False, False):
            raise TypeError("Expected a matrix as input")
        return Apply(self, [x], [x.type()])

    def impl(self, xp, mat):
        out = xp.empty((mat.shape[0], mat.shape[1] + 1), dtype=mat.dtype)
        out[:, 0] = self.val
        out[:, 1:] = mat
        return out

    def infer_shape(self, node, shapes):
        return [(shapes[0][0], shapes[0][1] + 1)]

    def grad(self, inputs, grads):
        return [grads[0][:, 1:]]


class Prepend_scalar_to_each_row(Op):  # noqa: N801 - Theano's class name
    """``prepend_scalar_to_each_row(val, mat)``: `mat` with a first column filled with the
    scalar `val` (cast to the matrix's dtype)."""

    __props__ = ()

    def make_node(self, val, mat):
        x = B.as_tensor_variable(mat)
        if x.type.broadcastable != (False, False):
            raise TypeError("Expected a matrix as input")
        y = B.as_tensor_variable(val)
        if y.type.ndim != 0:
            raise TypeError(f"the value to prepend must be a scalar, got {y.type}")
        return Apply(self, [y, x], [x.type()])

    def impl(self, xp, val, mat):
        out = xp.empty((mat.shape[0], mat.shape[1] + 1), dtype=mat.dtype)
        out[:, 0] = val
        out[:, 1:] = mat
        return out

    def infer_shape(self, node, shapes):
        return [(shapes[1][0], shapes[1][1] + 1)]

    def grad(self, inputs, grads):
        val, _ = inputs
        (g,) = grads
        # Theano returned the column g[:, 0] for the scalar; its sum is the gradient.
        return [B.cast(M.sum(g[:, 0]), val.type.dtype) if val.type.dtype in D.float_dtypes
                else grad_undefined(self, 0, val, "integer scalar"), g[:, 1:]]

    def __str__(self):
        return "Prepend_scalar_to_each_row"


prepend_scalar_to_each_row = Prepend_scalar_to_each_row()
prepend_0_to_each_row = Prepend_scalar_constant_to_each_row(0.0)
prepend_1_to_each_row = Prepend_scalar_constant_to_each_row(1.0)


# Theano's module path (reprs, pickles): these classes were in theano.tensor.nnet.nnet,
# which imports them from here.
for _cls in (SoftmaxGrad, CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad,
             SoftmaxWithBias, CrossentropySoftmaxArgmax1HotWithBias,
             CrossentropySoftmax1HotWithBiasDx, Prepend_scalar_constant_to_each_row,
             Prepend_scalar_to_each_row):
    _cls.__module__ = "theano.tensor.nnet.nnet"
del _cls
