"""Sorting, cumulative ops, repeat/tile, diagonals and nonzero (theano.tensor.extra_ops)."""

from __future__ import annotations

import numpy as np

from ..config import config
from ..graph.basic import Apply
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..scalar import dtypes as D
from .basic import (
    NotScalarConstantError,
    as_tensor_variable,
    cast,
    flatten,
    get_scalar_constant_value,
    patternbroadcast,
    reshape,
    shape,
    zeros_like,
)
from .type import TensorType


def _static_axis(axis, ndim):
    if axis is None:
        return None
    try:
        a = int(get_scalar_constant_value(axis)) if hasattr(axis, "type") else int(axis)
    except NotScalarConstantError:
        raise NotImplementedError("a symbolic axis is not supported here: pass a Python int") \
            from None
    if not -ndim <= a < max(ndim, 1):
        raise ValueError(f"axis {a} is out of bounds for a {ndim}-d tensor")
    return a % max(ndim, 1)


class SortOp(Op):
    """np.sort along an axis (None: the flattened input)."""

    __props__ = ("kind", "axis", "arg")

    def __init__(self, kind="quicksort", axis=-1, arg=False):
        self.kind = kind
        self.axis = axis
        self.arg = arg

    def make_node(self, x):
        x = as_tensor_variable(x)
        ndim = 1 if self.axis is None else x.type.ndim
        dtype = "int64" if self.arg else x.type.dtype
        bcast = (False,) if self.axis is None else x.type.broadcastable
        return Apply(self, [x], [TensorType(dtype, bcast[:ndim])()])

    def impl(self, xp, x):
        if self.arg:
            return xp.argsort(x, axis=self.axis, kind=self.kind).astype("int64", copy=False)
        return xp.sort(x, axis=self.axis, kind=self.kind)

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if self.arg or x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        xf = flatten(x) if self.axis is None else x
        axis = 0 if self.axis is None else self.axis
        perm = SortOp(self.kind, axis, arg=True)(xf)
        gx = PutAlongAxis(axis)(zeros_like(xf), perm, g)
        if self.axis is None:
            gx = reshape(gx, shape(x), ndim=x.type.ndim)
        return [patternbroadcast(gx, x.type.broadcastable)]

    def R_op(self, inputs, eval_points):
        (x,), (v,) = inputs, eval_points
        if v is None or self.arg:
            return [None]
        # Sorting permutes: the tangent is the eval point taken in the same order.
        if self.axis is None:
            x, v = flatten(x), flatten(v)
        axis = 0 if self.axis is None else self.axis
        return [TakeAlongAxis(axis)(v, SortOp(self.kind, axis, arg=True)(x))]

    def __str__(self):
        return f"{'ArgSortOp' if self.arg else 'SortOp'}{{{self.kind}, {self.axis}}}"


def sort(a, axis=-1, kind="quicksort", order=None):
    a = as_tensor_variable(a)
    return SortOp(kind, _static_axis(axis, a.type.ndim))(a)


def argsort(a, axis=-1, kind="quicksort", order=None):
    a = as_tensor_variable(a)
    return SortOp(kind, _static_axis(axis, a.type.ndim), arg=True)(a)


class PutAlongAxis(Op):
    """out = base with out[..., idx[..., j], ...] = values[..., j, ...] along axis (a scatter)."""

    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def make_node(self, base, idx, values):
        base, idx, values = (as_tensor_variable(v) for v in (base, idx, values))
        return Apply(self, [base, idx, values], [base.type()])

    def impl(self, xp, base, idx, values):
        out = base.copy()
        xp.put_along_axis(out, idx, values, axis=self.axis)
        return out

    def L_op(self, inputs, outputs, grads):
        base, idx, values = inputs
        (g,) = grads
        gv = TakeAlongAxis(self.axis)(g, idx)
        gb = PutAlongAxis(self.axis)(g, idx, zeros_like(values))
        return [gb, disconnected_type(), gv]

    def connection_pattern(self, node):
        return [[True], [False], [True]]


class TakeAlongAxis(Op):
    """np.take_along_axis."""

    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def make_node(self, x, idx):
        x, idx = as_tensor_variable(x), as_tensor_variable(idx)
        return Apply(self, [x, idx], [TensorType(x.type.dtype, idx.type.broadcastable)()])

    def impl(self, xp, x, idx):
        return xp.take_along_axis(x, idx, axis=self.axis)

    def L_op(self, inputs, outputs, grads):
        x, idx = inputs
        (g,) = grads
        return [ScatterAddAlongAxis(self.axis)(zeros_like(x), idx, g), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


class ScatterAddAlongAxis(Op):
    """out = base; out[idx along axis] += values (repeats accumulate)."""

    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def make_node(self, base, idx, values):
        base, idx, values = (as_tensor_variable(v) for v in (base, idx, values))
        return Apply(self, [base, idx, values], [base.type()])

    def impl(self, xp, base, idx, values):
        out = base.copy()
        grids = list(np.ogrid[tuple(slice(0, s) for s in idx.shape)])
        grids[self.axis] = idx
        np.add.at(out, tuple(grids), values)
        return out

    def L_op(self, inputs, outputs, grads):
        base, idx, values = inputs
        (g,) = grads
        return [g, disconnected_type(), TakeAlongAxis(self.axis)(g, idx)]

    def connection_pattern(self, node):
        return [[True], [False], [True]]


class CumOp(Op):
    """Cumulative sum or product along an axis (None: flattened)."""

    __props__ = ("axis", "mode")

    def __init__(self, axis=None, mode="add"):
        self.axis = axis
        self.mode = mode

    def make_node(self, x):
        x = as_tensor_variable(x)
        bcast = (False,) if self.axis is None else x.type.broadcastable
        # Theano keeps the input dtype (int8 stays int8, wrapping on overflow), where
        # NumPy would promote small integers to int64.
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x):
        fn = xp.cumsum if self.mode == "add" else xp.cumprod
        return fn(x, axis=self.axis, dtype=x.dtype)

    def L_op(self, inputs, outputs, grads):
        (x,), (z,), (g,) = inputs, outputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        axis = 0 if self.axis is None else self.axis
        if self.mode == "add":
            rev = (slice(None),) * axis + (slice(None, None, -1),)
            gx = CumOp(axis, "add")(g[rev])[rev]
        else:
            rev = (slice(None),) * axis + (slice(None, None, -1),)
            gx = CumOp(axis, "add")((g * z)[rev])[rev] / (x if self.axis is not None
                                                            else flatten(x))
        if self.axis is None:
            gx = reshape(gx, shape(x), ndim=x.type.ndim)
        gx = cast(gx, x.type.dtype) if gx.type.dtype != x.type.dtype else gx
        return [patternbroadcast(gx, x.type.broadcastable)]

    def R_op(self, inputs, eval_points):
        (x,), (v,) = inputs, eval_points
        if v is None:
            return [None]
        if self.mode == "add":
            return [self(v)]
        # d cumprod(x) = cumprod(x) * cumsum(v / x) (valid where x has no zeros).
        xs, vs = (x, v) if self.axis is not None else (flatten(x), flatten(v))
        return [self(x) * CumOp(self.axis, "add")(vs / xs)]

    def __str__(self):
        return f"Cum{self.mode}{{{self.axis}}}"


def cumsum(x, axis=None):
    x = as_tensor_variable(x)
    return CumOp(_static_axis(axis, x.type.ndim), "add")(x)


def cumprod(x, axis=None):
    x = as_tensor_variable(x)
    return CumOp(_static_axis(axis, x.type.ndim), "mul")(x)


class RepeatOp(Op):
    """np.repeat(x, repeats, axis) with a scalar or vector of repeats."""

    __props__ = ("axis",)

    def __init__(self, axis=None):
        self.axis = axis

    def make_node(self, x, repeats):
        x, repeats = as_tensor_variable(x), as_tensor_variable(repeats)
        if repeats.type.dtype not in D.integer_dtypes:
            raise TypeError("repeats must be an integer scalar or vector")
        if self.axis is None:
            bcast = (False,)
        else:
            bcast = list(x.type.broadcastable)
            bcast[self.axis] = False
        return Apply(self, [x, repeats], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x, repeats):
        return xp.repeat(x, repeats, axis=self.axis)

    def L_op(self, inputs, outputs, grads):
        x, repeats = inputs
        (g,) = grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX), disconnected_type()]
        return [RepeatGrad(self.axis)(x, repeats, g), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


class RepeatGrad(Op):
    """Sum the gradient of repeated entries back onto the original ones."""

    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def make_node(self, x, repeats, g):
        return Apply(self, [x, as_tensor_variable(repeats), as_tensor_variable(g)], [x.type()])

    def impl(self, xp, x, repeats, g):
        axis = self.axis
        if axis is None:
            flat_len = x.size
            reps = np.broadcast_to(np.asarray(repeats), (flat_len,))
            starts = np.concatenate([[0], np.cumsum(reps)[:-1]]).astype(np.intp)
            out = np.add.reduceat(g, starts) if g.size else np.zeros(flat_len, g.dtype)
            out[reps == 0] = 0
            return out.reshape(x.shape).astype(x.dtype, copy=False)
        n = x.shape[axis]
        reps = np.broadcast_to(np.asarray(repeats), (n,))
        starts = np.concatenate([[0], np.cumsum(reps)[:-1]]).astype(np.intp)
        if g.shape[axis] == 0:
            return np.zeros_like(x)
        out = np.add.reduceat(g, np.minimum(starts, g.shape[axis] - 1), axis=axis)
        zero = [slice(None)] * x.ndim
        zero[axis] = reps == 0
        out[tuple(zero)] = 0
        return out.astype(x.dtype, copy=False)


def repeat(x, repeats, axis=None):
    x = as_tensor_variable(x)
    return RepeatOp(_static_axis(axis, x.type.ndim))(x, repeats)


class Tile(Op):
    """np.tile with a fixed number of repetitions per dimension (reps as a vector input)."""

    __props__ = ("ndim",)

    def __init__(self, ndim):
        self.ndim = ndim

    def make_node(self, x, reps):
        x, reps = as_tensor_variable(x), as_tensor_variable(reps)
        return Apply(self, [x, reps], [TensorType(x.type.dtype, (False,) * self.ndim)()])

    def impl(self, xp, x, reps):
        return xp.tile(x, tuple(int(r) for r in reps))

    def L_op(self, inputs, outputs, grads):
        x, reps = inputs
        (g,) = grads
        return [TileGrad()(x, reps, g), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


class TileGrad(Op):
    __props__ = ()

    def make_node(self, x, reps, g):
        return Apply(self, [x, reps, g], [x.type()])

    def impl(self, xp, x, reps, g):
        reps = [int(r) for r in reps]
        xs = (1,) * (len(reps) - x.ndim) + x.shape
        reps = [1] * (len(xs) - len(reps)) + reps
        split = []
        for r, s in zip(reps, xs):
            split += [r, s]
        out = g.reshape(split).sum(axis=tuple(range(0, 2 * len(xs), 2)))
        return out.reshape(x.shape).astype(x.dtype, copy=False)


def tile(x, reps, ndim=None):
    x = as_tensor_variable(x)
    if isinstance(reps, (list, tuple)):
        n = len(reps)
        reps_v = _basic_stack_ints(reps)
    else:
        reps_v = as_tensor_variable(reps)
        n = ndim if ndim is not None else x.type.ndim
    if ndim is None:
        ndim = max(n, x.type.ndim)
    return Tile(ndim)(x, reps_v)


def _basic_stack_ints(values):
    return _basic.stack([cast(as_tensor_variable(v), "int64") for v in values])


class ExtractDiag(Op):
    """The diagonal of a matrix (np.diagonal)."""

    __props__ = ("offset", "axis1", "axis2")

    def __init__(self, offset=0, axis1=0, axis2=1):
        self.offset, self.axis1, self.axis2 = offset, axis1, axis2

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.ndim < 2:
            raise ValueError("ExtractDiag needs an input with at least 2 dimensions")
        keep = [b for i, b in enumerate(x.type.broadcastable) if i not in (self.axis1,
                                                                             self.axis2)]
        return Apply(self, [x], [TensorType(x.type.dtype, tuple(keep) + (False,))()])

    def impl(self, xp, x):
        return xp.diagonal(x, self.offset, self.axis1, self.axis2).copy()

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if x.type.ndim != 2:
            raise NotImplementedError(
                "the gradient of diagonal is implemented for matrices; reshape the input to 2-d "
                "(or take the diagonal of each matrix with indexing) to differentiate it"
            )
        return [DiagGrad(self.offset)(x, g)]


class DiagGrad(Op):
    __props__ = ("offset",)

    def __init__(self, offset):
        self.offset = offset

    def make_node(self, x, g):
        return Apply(self, [x, g], [x.type()])

    def impl(self, xp, x, g):
        out = xp.zeros_like(x)
        n = g.shape[0]
        rows = np.arange(n) + max(-self.offset, 0)
        cols = np.arange(n) + max(self.offset, 0)
        out[rows, cols] = g
        return out


def diagonal(a, offset=0, axis1=0, axis2=1):
    return ExtractDiag(offset, axis1, axis2)(a)


class Nonzero(Op):
    """Indices of non-zero entries as an (ndim, n) int64 matrix."""

    __props__ = ()

    def make_node(self, a):
        a = as_tensor_variable(a)
        return Apply(self, [a], [TensorType("int64", (False, False))()])

    def impl(self, xp, a):
        return xp.asarray(xp.nonzero(a), dtype="int64").reshape(a.ndim, -1)

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type()]

    def connection_pattern(self, node):
        return [[False]]


def nonzero(a, return_matrix=False):
    """A tuple of index vectors (or the (ndim, n) matrix when return_matrix)."""
    a = as_tensor_variable(a)
    matrix = Nonzero()(a)
    if return_matrix:
        return matrix
    return tuple(matrix[i] for i in range(max(a.type.ndim, 1)))


def flatnonzero(a):
    a = as_tensor_variable(a)
    return nonzero(flatten(a), return_matrix=True)[0]


def nonzero_values(a):
    a = as_tensor_variable(a)
    return flatten(a)[flatnonzero(a)]


def to_one_hot(y, nb_class, dtype=None):
    """One-hot matrix of an integer vector (Theano's extra_ops.to_one_hot)."""
    y = as_tensor_variable(y)
    ret = _basic.zeros((y.shape[0], nb_class), dtype=dtype or config.floatX)
    return _sub.set_subtensor(ret[_basic.arange(y.shape[0]), y], 1)


# Bottom imports.
from . import basic as _basic  # noqa: E402
from . import subtensor as _sub  # noqa: E402
