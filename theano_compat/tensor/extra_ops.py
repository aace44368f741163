"""Sorting, cumulative ops, repeat/tile, diagonals and nonzero (theano.tensor.extra_ops)."""

from __future__ import annotations

import sys

import numpy as np

from ..backend import scatter_add
from ..config import config
from ..graph.basic import Apply
from ..graph.null import (
    DisconnectedType,
    disconnected_type,
    grad_not_implemented,
    grad_undefined,
)
from ..graph.op import Op
from ..graph.type import Generic  # noqa: F401 - a name of Theano's module
from ..scalar import dtypes as D
from ..scalar import int32 as int_t  # noqa: F401 - a name of Theano's module
from . import construct as _construct
from . import math as _math
from . import elemwise_ops as _ops
from . import subtensor as _sub
from .elemwise import as_tensor_variable, cast, constant, zeros_like
from .shapes import (  # noqa: F401 - squeeze: Theano's extra_ops.squeeze
    NotScalarConstantError,
    flatten,
    get_scalar_constant_value,
    get_vector_length,
    reshape,
    shape,
    squeeze,
)
from .type import TensorType, patternbroadcast


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

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(0, 2))


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

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(0,))


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
        grids = list(_open_grid(xp, idx.shape))
        grids[self.axis] = idx
        return scatter_add(xp, out, tuple(grids), values)

    def L_op(self, inputs, outputs, grads):
        base, idx, values = inputs
        (g,) = grads
        return [g, disconnected_type(), TakeAlongAxis(self.axis)(g, idx)]

    def connection_pattern(self, node):
        return [[True], [False], [True]]

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(0, 2))


def _linear_r_op(op, inputs, eval_points, linear_in):
    """R_op of an op linear in the inputs `linear_in` (the others are indices or shapes):
    the op applied to the eval points, zeros standing in for inputs without one."""
    if all(eval_points[k] is None for k in linear_in):
        return [None]
    args = list(inputs)
    for k in linear_in:
        args[k] = zeros_like(inputs[k]) if eval_points[k] is None else eval_points[k]
    return [op(*args)]


def _open_grid(xp, shape):
    """Index arrays that broadcast to `shape` (np.ogrid for any array module)."""
    ndim = len(shape)
    return [xp.arange(s).reshape((1,) * k + (s,) + (1,) * (ndim - k - 1))
            for k, s in enumerate(shape)]


class CumOp(Op):
    """Cumulative sum or product along an axis (None: flattened)."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

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
        if xp is np:
            # The ufunc's accumulate (what np.cumsum calls): a floating-point warning is
            # then raised in this package's frame, where link/errors.py silences it.
            fn = np.add.accumulate if self.mode == "add" else np.multiply.accumulate
            return fn(x.ravel() if self.axis is None else x, axis=self.axis or 0,
                      dtype=x.dtype)
        fn = xp.cumsum if self.mode == "add" else xp.cumprod
        return fn(x, axis=self.axis, dtype=x.dtype)

    def infer_shape(self, node, shapes):
        if self.axis is None:  # the flattened input
            return [(_math.prod(_construct.stack(list(shapes[0])) if shapes[0] else 1),)]
        return shapes

    def L_op(self, inputs, outputs, grads):
        (x,), (z,), (g,) = inputs, outputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        axis = 0 if self.axis is None else self.axis % x.type.ndim
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


class CumsumOp(Op):
    """Theano's older cumulative-sum Op, kept so that old pickles load: constructing one
    gives ``CumOp(axis, mode='add')``."""

    __props__ = ("axis",)
    __module__ = "theano.tensor.extra_ops"

    def __new__(cls, axis=None):
        return CumOp(axis, "add")


class CumprodOp(Op):
    """Theano's older cumulative-product Op: constructing one gives
    ``CumOp(axis, mode='mul')``."""

    __props__ = ("axis",)
    __module__ = "theano.tensor.extra_ops"

    def __new__(cls, axis=None):
        return CumOp(axis, "mul")


def cumsum(x, axis=None):
    x = as_tensor_variable(x)
    return CumOp(_static_axis(axis, x.type.ndim), "add")(x)


def cumprod(x, axis=None):
    x = as_tensor_variable(x)
    return CumOp(_static_axis(axis, x.type.ndim), "mul")(x)


class RepeatOp(Op):
    """np.repeat(x, repeats, axis) with a scalar or vector of repeats."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("axis",)

    def __init__(self, axis=None):
        self.axis = axis

    def make_node(self, x, repeats):
        x, repeats = as_tensor_variable(x), as_tensor_variable(repeats)
        if repeats.type.dtype not in D.integer_dtypes:
            raise TypeError("repeats.dtype must be an integer.")
        if repeats.type.dtype == "uint64":
            # As Theano 1.0.5 (np.repeat refused uint64 repeats), at graph construction.
            raise TypeError("dtypes ('uint64',) are not supported by numpy.repeat for the "
                            "'repeats' parameter, ", repeats.type.dtype)
        if self.axis is None:
            bcast = (False,)
        else:
            try:
                const_reps = get_scalar_constant_value(repeats)
            except NotScalarConstantError:
                const_reps = None
            bcast = list(x.type.broadcastable)
            if const_reps != 1:
                bcast[self.axis] = False
        return Apply(self, [x, repeats], [TensorType(x.type.dtype, tuple(bcast))()])

    def impl(self, xp, x, repeats):
        return xp.repeat(x, repeats, axis=self.axis)

    def infer_shape(self, node, shapes):
        (shp, _), repeats = shapes, node.inputs[1]
        # Unsigned repeats are summed as int64 (shapes are int64).
        dtype = "int64" if repeats.type.dtype in ("uint8", "uint16", "uint32") else None
        if self.axis is None:
            if repeats.type.ndim == 0:
                size = 1
                for d in shp:
                    size = size * d
                return [(size * repeats,)]
            return [(_math.sum(repeats, dtype=dtype),)]
        out = list(shp)
        if repeats.type.ndim == 0:
            out[self.axis] = out[self.axis] * repeats
        else:
            out[self.axis] = _math.sum(repeats, dtype=dtype)
        return [tuple(out)]

    def L_op(self, inputs, outputs, grads):
        x, repeats = inputs
        (g,) = grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX), disconnected_type()]
        return [RepeatGrad(self.axis)(x, repeats, g), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]

    def R_op(self, inputs, eval_points):
        # Theano's T.repeat built reshape/alloc graphs, which Rop goes through.
        return _linear_r_op(self, inputs, eval_points, linear_in=(0,))


class RepeatGrad(Op):
    """Sum the gradient of repeated entries back onto the original ones."""

    __props__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def make_node(self, x, repeats, g):
        return Apply(self, [x, as_tensor_variable(repeats), as_tensor_variable(g)], [x.type()])

    def impl(self, xp, x, repeats, g):
        # Entry k of the repeated axis came from source entry segment[k]: scatter-add the
        # gradient of every copy back onto its source.
        axis = 0 if self.axis is None else self.axis
        shape = (x.size,) if self.axis is None else x.shape
        n = shape[axis]
        reps = xp.broadcast_to(xp.asarray(repeats), (n,))
        segment = xp.repeat(xp.arange(n), reps)
        out = xp.zeros(shape, dtype=g.dtype)
        scatter_add(xp, xp.moveaxis(out, axis, 0), segment, xp.moveaxis(g, axis, 0))
        return out.reshape(x.shape).astype(x.dtype, copy=False)

    # Linear in g (x only gives the shape): second-order gradients and R_op.
    def L_op(self, inputs, outputs, grads):
        x, repeats, g = inputs
        return [disconnected_type(), disconnected_type(), RepeatOp(self.axis)(grads[0], repeats)]

    def connection_pattern(self, node):
        return [[False], [False], [True]]

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(2,))


def repeat(x, repeats, axis=None):
    """np.repeat(x, repeats, axis).  As in Theano 1.0.5, a vector of repeats gives a
    RepeatOp; a scalar (or a broadcastable length-1 vector) gives an alloc of `x` with a
    new axis, reshaped (no RepeatOp in the graph)."""
    x = as_tensor_variable(x)
    repeats = as_tensor_variable(repeats)
    if repeats.type.ndim > 1:
        raise ValueError("The dimension of repeats should not exceed 1.")
    if repeats.type.ndim == 1 and not repeats.type.broadcastable[0]:
        return RepeatOp(_static_axis(axis, x.type.ndim))(x, repeats)
    if repeats.type.ndim == 1:
        repeats = repeats[0]
    if repeats.type.dtype not in D.integer_dtypes:
        raise TypeError("repeats.dtype must be an integer.")
    if x.type.dtype == "uint64":
        raise TypeError("theano.tensor.repeat don't support dtype uint64")
    if axis is None:
        axis = 0
        x = flatten(x)
    else:
        if axis >= x.type.ndim:
            raise ValueError("Axis should not exceed x.ndim-1.")
        if axis < 0:
            axis = x.type.ndim + axis
    shp = [x.shape[i] for i in range(x.type.ndim)]
    inner = shp[:]
    inner.insert(axis + 1, repeats)
    shp[axis] = shp[axis] * repeats
    pattern = list(range(x.type.ndim))
    pattern.insert(axis + 1, "x")
    return reshape(_construct.alloc(x.dimshuffle(*pattern), *inner), _construct.stack(shp),
                   ndim=x.type.ndim)


class Tile(Op):
    """np.tile to `ndim` dimensions; `reps` is an integer vector of at most `ndim` entries
    (missing leading entries count as 1, as in np.tile)."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

    __props__ = ("ndim",)

    def __init__(self, ndim):
        self.ndim = ndim

    def __str__(self):
        return f"{type(self).__name__}{{ndim={self.ndim}}}"

    def make_node(self, x, reps):
        x, reps = as_tensor_variable(x), as_tensor_variable(reps)
        if x.type.ndim > self.ndim:
            raise ValueError(f"Tile{{ndim={self.ndim}}} cannot tile a {x.type.ndim}-d input")
        return Apply(self, [x, reps], [TensorType(x.type.dtype, (False,) * self.ndim)()])

    def impl(self, xp, x, reps):
        reps = tuple(int(r) for r in np.ravel(reps))
        if len(reps) > self.ndim:
            # Theano's tile() asserted this (an Assert node) for a symbolic reps vector.
            raise AssertionError(
                f"Tile{{ndim={self.ndim}}}: reps has {len(reps)} entries, more than ndim")
        return xp.tile(x, (1,) * (self.ndim - len(reps)) + reps)

    def infer_shape(self, node, shapes):
        x, reps = node.inputs
        xshp = [1] * (self.ndim - x.type.ndim) + list(shapes[0])
        try:
            n = get_vector_length(reps)
        except ValueError:
            n = None
        if n == self.ndim:
            return [tuple(xshp[i] * reps[i] for i in range(self.ndim))]
        # A reps vector of unknown length: ones in front of it, then its last ndim entries.
        padded = _construct.concatenate([_construct.ones((self.ndim,), reps.dtype), reps])
        k = reps.shape[0]
        return [tuple(xshp[i] * padded[k + i] for i in range(self.ndim))]

    def L_op(self, inputs, outputs, grads):
        x, reps = inputs
        (g,) = grads
        return [TileGrad()(x, reps, g), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]

    def R_op(self, inputs, eval_points):
        # Theano's T.tile built reshape/alloc graphs, which Rop goes through.
        return _linear_r_op(self, inputs, eval_points, linear_in=(0,))


class TileGrad(Op):
    __props__ = ()

    def make_node(self, x, reps, g):
        return Apply(self, [x, reps, g], [x.type()])

    def impl(self, xp, x, reps, g):
        nd = g.ndim
        reps = [1] * (nd - len(reps)) + [int(r) for r in np.ravel(reps)]
        xs = (1,) * (nd - x.ndim) + x.shape
        split = []
        for r, s in zip(reps, xs):
            split += [r, s]
        out = g.reshape(split).sum(axis=tuple(range(0, 2 * nd, 2)))
        return out.reshape(x.shape).astype(x.dtype, copy=False)

    # Linear in g (x only gives the shape): second-order gradients and R_op.
    def L_op(self, inputs, outputs, grads):
        x, reps, g = inputs
        return [disconnected_type(), disconnected_type(),
                Tile(g.type.ndim)(grads[0], reps)]

    def connection_pattern(self, node):
        return [[False], [False], [True]]

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(2,))


def _is_int_rep(r):
    if isinstance(r, (int, np.integer)):
        return True
    return hasattr(r, "type") and getattr(r.type, "dtype", None) in D.discrete_dtypes \
        and r.type.ndim == 0


def tile(x, reps, ndim=None):
    """Tile `x` as np.tile does, to `ndim` dimensions (default max(x.ndim, len(reps))).

    `reps`: an int, an integer scalar, a list of ints and integer scalars, or an integer
    vector (then `ndim` is required; a vector longer than `ndim` fails at run time with
    AssertionError)."""
    x = as_tensor_variable(x)
    if ndim is not None and ndim < x.type.ndim:
        raise ValueError("ndim should be equal or larger than x.ndim")
    if not isinstance(reps, (list, tuple)):
        reps_t = as_tensor_variable(reps)
        if reps_t.type.dtype not in D.discrete_dtypes:
            raise ValueError("elements of reps must be integer dtype")
        if reps_t.type.ndim == 0:
            reps = [reps_t]
        elif reps_t.type.ndim == 1:
            if ndim is None:
                raise ValueError("if reps is tensor.vector, you should specify the ndim")
            return Tile(ndim)(x, cast(reps_t, "int64"))
        else:
            raise ValueError("the dimension of reps should not exceed 1")
    else:
        if ndim is not None and len(reps) > ndim:
            raise ValueError("len(reps) should be equal or less than ndim")
        if not all(_is_int_rep(r) for r in reps):
            raise ValueError("elements of reps must be scalars of integer dtype")
    reps = list(reps)
    if ndim is None:
        ndim = max(len(reps), x.type.ndim)
    reps = [1] * (ndim - len(reps)) + reps
    out = Tile(ndim)(x, _stack_ints(reps))
    # A dimension of length 1 tiled once stays broadcastable.
    xb = (True,) * (ndim - x.type.ndim) + x.type.broadcastable
    bcast = tuple(b and isinstance(r, (int, np.integer)) and r == 1 for b, r in zip(xb, reps))
    return patternbroadcast(out, bcast) if any(bcast) else out


def _stack_ints(values):
    return _construct.stack([cast(as_tensor_variable(v), "int64") for v in values])


class ExtractDiag(Op):
    """The diagonal of a matrix (np.diagonal)."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

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

    def infer_shape(self, node, shapes):
        (shp,) = shapes
        n1, n2 = shp[self.axis1], shp[self.axis2]
        k = self.offset
        length = _ops.minimum(n1, n2 - k) if k >= 0 else _ops.minimum(n1 + k, n2)
        keep = [d for i, d in enumerate(shp) if i not in (self.axis1, self.axis2)]
        return [tuple(keep) + (_ops.maximum(length, 0),)]

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
        rows = xp.arange(n) + max(-self.offset, 0)
        cols = xp.arange(n) + max(self.offset, 0)
        out[rows, cols] = g
        return out

    # Linear in g (x only gives the shape): second-order gradients and R_op.
    def L_op(self, inputs, outputs, grads):
        return [disconnected_type(), ExtractDiag(self.offset)(grads[0])]

    def connection_pattern(self, node):
        return [[False], [True]]

    def R_op(self, inputs, eval_points):
        return _linear_r_op(self, inputs, eval_points, linear_in=(1,))


def diagonal(a, offset=0, axis1=0, axis2=1):
    return ExtractDiag(offset, axis1, axis2)(a)


class Nonzero(Op):
    """Indices of non-zero entries as an (ndim, n) int64 matrix."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, a):
        a = as_tensor_variable(a)
        return Apply(self, [a], [TensorType("int64", (False, False))()])

    def impl(self, xp, a):
        return xp.asarray(xp.nonzero(a), dtype="int64").reshape(a.ndim, -1)

    def L_op(self, inputs, outputs, grads):
        # Theano 1.0.5: undefined (not disconnected), so a cost built on it cannot be
        # silently differentiated.
        return [grad_undefined(self, 0, inputs[0])]


def nonzero(a, return_matrix=False):
    """A tuple of index vectors (or the (ndim, n) matrix when return_matrix)."""
    a = as_tensor_variable(a)
    matrix = Nonzero()(a)
    if return_matrix:
        return matrix
    return tuple(matrix[i] for i in range(max(a.type.ndim, 1)))


def flatnonzero(a):
    a = as_tensor_variable(a)
    if a.type.ndim == 0:
        raise ValueError("Nonzero only supports non-scalar arrays.")
    return nonzero(flatten(a), return_matrix=True)[0]


def nonzero_values(a):
    a = as_tensor_variable(a)
    return flatten(a)[flatnonzero(a)]


def to_one_hot(y, nb_class, dtype=None):
    """One-hot matrix of an integer vector (Theano's extra_ops.to_one_hot)."""
    y = as_tensor_variable(y)
    ret = _construct.zeros((y.shape[0], nb_class), dtype=dtype or config.floatX)
    return _sub.set_subtensor(ret[_construct.arange(y.shape[0]), y], 1)


# ----------------------------------------------------------------------------- diagonals


class AllocDiag(Op):
    """The inverse of ExtractDiag: the last axis of `x` becomes the `offset`-th diagonal of
    the plane (axis1, axis2) of an otherwise zero tensor with one more dimension (a
    vector gives np.diag(x, offset))."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

    __props__ = ("offset", "axis1", "axis2")

    def __init__(self, offset=0, axis1=0, axis2=1):
        self.offset, self.axis1, self.axis2 = int(offset), axis1, axis2

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name, default in (("offset", 0), ("axis1", 0), ("axis2", 1)):
            self.__dict__.setdefault(name, default)

    def _axes(self):
        return min(self.axis1, self.axis2), max(self.axis1, self.axis2)

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.ndim < 1:
            raise ValueError("AllocDiag needs an input with 1 or more dimensions", x.type)
        a1, a2 = self._axes()
        if a1 < 0 or a1 == a2 or a2 > x.type.ndim:
            raise ValueError(f"AllocDiag: axes ({self.axis1}, {self.axis2}) are not two "
                             f"distinct axes of the {x.type.ndim + 1}-d output")
        return Apply(self, [x], [TensorType(x.type.dtype, (False,) * (x.type.ndim + 1))()])

    def impl(self, xp, x):
        k = self.offset
        n = x.shape[-1]
        out = xp.zeros(x.shape[:-1] + (n + abs(k),) * 2, dtype=x.dtype)
        i = xp.arange(n)
        out[..., i + max(0, -k), i + max(0, k)] = x
        a1, a2 = self._axes()
        return xp.moveaxis(out, (-2, -1), (a1, a2))

    def infer_shape(self, node, shapes):
        (shp,) = shapes
        a1, a2 = self._axes()
        d = shp[-1] + abs(self.offset)
        out = list(shp[:-1])
        out.insert(a1, d)
        out.insert(a2, d)
        return [tuple(out)]

    def L_op(self, inputs, outputs, grads):
        return [ExtractDiag(self.offset, self.axis1, self.axis2)(grads[0])]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0])]


def diag(v, k=0):
    """np.diag: a vector becomes a diagonal matrix; a matrix gives its k-th diagonal."""
    v = as_tensor_variable(v)
    if v.type.ndim == 1:
        return AllocDiag(k)(v)
    if v.type.ndim >= 2:
        return diagonal(v, offset=k)
    raise ValueError("Input must has v.ndim >= 1.")


class FillDiagonal(Op):
    """A copy of `a` with its main diagonal set to the scalar `val` (np.fill_diagonal)."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, a, val):
        a, val = as_tensor_variable(a), as_tensor_variable(val)
        if a.type.ndim < 2:
            raise TypeError(f"fill_diagonal: {a} should be at least 2-d, got {a.type}")
        if val.type.ndim != 0:
            raise TypeError(f"fill_diagonal: {val} should be a scalar, got {val.type}")
        if D.upcast(a.type.dtype, val.type.dtype) != a.type.dtype:
            raise TypeError(
                f"fill_diagonal: the value of dtype {val.type.dtype} would be downcast to the "
                f"array's dtype {a.type.dtype}"
            )
        return Apply(self, [a, val], [a.type()])

    def impl(self, xp, a, val):
        out = a.copy()
        xp.fill_diagonal(out, val)
        return out

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        a, val = inputs
        (g,) = grads
        if a.type.ndim != 2:
            raise NotImplementedError(
                "the gradient of fill_diagonal is implemented for matrices only; reshape the "
                "input to 2-d to differentiate it"
            )
        gval = _math.sum(ExtractDiag()(g))
        if val.type.dtype in D.discrete_dtypes:
            gval = zeros_like(val, dtype=config.floatX)
        elif gval.type.dtype != val.type.dtype:
            gval = cast(gval, val.type.dtype)
        return [self(g, constant(0, dtype=g.type.dtype)), gval]


fill_diagonal_ = FillDiagonal()


def fill_diagonal(a, val):
    """A copy of `a` whose main diagonal is `val` (Theano returns a new tensor)."""
    return fill_diagonal_(a, val)


class FillDiagonalOffset(Op):
    """A copy of the matrix `a` with its `offset`-th diagonal set to the scalar `val`."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, a, val, offset):
        a, val, offset = (as_tensor_variable(v) for v in (a, val, offset))
        if a.type.ndim != 2:
            raise TypeError(f"fill_diagonal_offset: {a} should be a matrix, got {a.type}")
        if val.type.ndim != 0 or offset.type.ndim != 0:
            raise TypeError("fill_diagonal_offset: val and offset must be scalars")
        if offset.type.dtype not in D.integer_dtypes:
            raise TypeError(
                f"fill_diagonal_offset: the offset must be an integer, got {offset.type}")
        if D.upcast(a.type.dtype, val.type.dtype) != a.type.dtype:
            raise TypeError(
                f"fill_diagonal_offset: the value of dtype {val.type.dtype} would be downcast to "
                f"the array's dtype {a.type.dtype}"
            )
        return Apply(self, [a, val, offset], [a.type()])

    def impl(self, xp, a, val, offset):
        out = a.copy()
        k = int(offset)
        n = max(0, min(a.shape[0] + min(k, 0), a.shape[1] - max(k, 0)))
        i = xp.arange(n)
        out[i + max(-k, 0), i + max(k, 0)] = val
        return out

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        _, val, offset = inputs
        (g,) = grads
        zero = constant(0, dtype=g.type.dtype)
        one = constant(1, dtype=g.type.dtype)
        # The entries that were overwritten, as a 0/1 mask.
        on_diag = self(zeros_like(g), one, offset)
        gval = _math.sum(g * on_diag)
        if val.type.dtype in D.discrete_dtypes:
            gval = zeros_like(val, dtype=config.floatX)
        elif gval.type.dtype != val.type.dtype:
            gval = cast(gval, val.type.dtype)
        return [self(g, zero, offset), gval, disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [True], [False]]


fill_diagonal_offset_ = FillDiagonalOffset()


def fill_diagonal_offset(a, val, offset):
    """A copy of the matrix `a` whose `offset`-th diagonal is `val`."""
    return fill_diagonal_offset_(a, val, offset)


# ----------------------------------------------------------------------------- differences


class DiffOp(Op):
    """np.diff(x, n, axis): the n-th discrete difference along an axis."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("n", "axis")

    def __init__(self, n=1, axis=-1):
        self.n = int(n)
        self.axis = axis

    def make_node(self, x):
        x = as_tensor_variable(x)
        axis = _static_axis(self.axis, x.type.ndim)
        bcast = list(x.type.broadcastable)
        bcast[axis] = False
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x):
        return xp.diff(x, n=self.n, axis=self.axis)

    def infer_shape(self, node, shapes):
        out = list(shapes[0])
        axis = _static_axis(self.axis, len(out))
        out[axis] = out[axis] - self.n
        return [tuple(out)]

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX)]
        axis = _static_axis(self.axis, x.type.ndim)
        # diff once maps y to y[1:] - y[:-1]; its adjoint maps g to [0, g] - [g, 0].
        for _ in range(self.n):
            edge = [g.shape[d] if d != axis else 1 for d in range(g.type.ndim)]
            pad = _construct.zeros(edge, dtype=g.type.dtype)
            g = _construct.join(axis, pad, g) - _construct.join(axis, g, pad)
        return [patternbroadcast(g, x.type.broadcastable)]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0])]


def diff(x, n=1, axis=-1):
    """The n-th discrete difference along `axis` (np.diff)."""
    return DiffOp(n, axis)(x)


# ----------------------------------------------------------------------------- counting


class _AssertAll(Op):
    """x unchanged, after checking at run time that `cond` holds (Theano's Assert)."""

    __props__ = ("msg",)
    view_map = {0: [0]}

    def __init__(self, msg):
        self.msg = msg

    def make_node(self, x, cond):
        x, cond = as_tensor_variable(x), as_tensor_variable(cond)
        return Apply(self, [x, cond], [x.type()])

    def impl(self, xp, x, cond):
        if not bool(cond):
            raise AssertionError(self.msg)
        return x

    def L_op(self, inputs, outputs, grads):
        return [grads[0], disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


def bincount(x, weights=None, minlength=None, assert_nonneg=False):
    """Counts (or summed `weights`) of each non-negative integer in the vector `x`.

    As Theano: the result has x's dtype without weights, the weights' dtype with them, and
    at least `minlength` entries.  With ``assert_nonneg`` a negative entry is an error.
    """
    x = as_tensor_variable(x)
    if x.type.ndim != 1:
        raise TypeError("Inputs must be of dimension 1.")
    if x.type.dtype not in D.integer_dtypes:
        raise TypeError(f"bincount: x must be an integer vector, got {x.type}")
    if assert_nonneg:
        x = _AssertAll("Input to bincount has negative values!")(x, _math.all(_ops.ge(x, 0)))
    length = cast(_math.max(x) + 1, "int64")
    if minlength is not None:
        length = _math.maximum(length, cast(as_tensor_variable(minlength), "int64"))
    if weights is None:
        out = _construct.zeros([length], dtype=x.type.dtype)
        return _sub.inc_subtensor(out[x], constant(1, dtype=x.type.dtype))
    weights = as_tensor_variable(weights)
    out = _construct.zeros([length], dtype=weights.type.dtype)
    return _sub.inc_subtensor(out[x], weights)


class SearchsortedOp(Op):
    """np.searchsorted(x, v, side, sorter): insertion indices (int64) of v into sorted x."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("side",)

    def __init__(self, side="left"):
        if side not in ("left", "right"):
            raise ValueError(f"'{side}' is an invalid value for keyword 'side'")
        self.side = side

    def make_node(self, x, v, sorter=None):
        x, v = as_tensor_variable(x), as_tensor_variable(v)
        if x.type.ndim != 1:
            # Theano's as_tensor(x, ndim=1) raised ValueError.
            raise ValueError(f"searchsorted: x must be a vector, got {x.type}")
        inputs = [x, v]
        if sorter is not None:
            sorter = as_tensor_variable(sorter)
            if sorter.type.ndim != 1:
                raise ValueError(f"searchsorted: sorter must be a vector, got {sorter.type}")
            if sorter.type.dtype not in D.integer_dtypes:
                raise TypeError("sorter must be an integer vector", sorter.type)
            inputs.append(sorter)
        return Apply(self, inputs, [TensorType("int64", v.type.broadcastable)()])

    def impl(self, xp, x, v, sorter=None):
        return xp.asarray(xp.searchsorted(x, v, side=self.side, sorter=sorter), dtype="int64")

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def L_op(self, inputs, outputs, grads):
        # Piecewise constant: zero gradient (Theano gives zeros, not a disconnection).
        out = [zeros_like(inputs[0], dtype=config.floatX), zeros_like(inputs[1],
                                                                     dtype=config.floatX)]
        return out + [disconnected_type()] * (len(inputs) - 2)


def searchsorted(x, v, side="left", sorter=None):
    """Indices where the values `v` would be inserted into the sorted vector `x`."""
    return SearchsortedOp(side)(x, v, sorter)


def compress(condition, x, axis=None):
    """The entries of `x` (along `axis`, flattened when None) where `condition` is non-zero."""
    indices = flatnonzero(condition)
    return _sub.take(as_tensor_variable(x), indices, axis=axis)


class Unique(Op):
    """np.unique with Theano's optional outputs (index, inverse, counts) as int64 vectors."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("return_index", "return_inverse", "return_counts", "axis")

    def __init__(self, return_index=False, return_inverse=False, return_counts=False, axis=None):
        self.return_index = return_index
        self.return_inverse = return_inverse
        self.return_counts = return_counts
        self.axis = axis

    def make_node(self, x):
        x = as_tensor_variable(x)
        if self.axis is None:
            out_bcast = (False,)
        else:
            out_bcast = list(x.type.broadcastable)
            out_bcast[_static_axis(self.axis, x.type.ndim)] = False
        outs = [TensorType(x.type.dtype, tuple(out_bcast))()]
        n_extra = sum((self.return_index, self.return_inverse, self.return_counts))
        outs += [TensorType("int64", (False,))() for _ in range(n_extra)]
        return Apply(self, [x], outs)

    def impl(self, xp, x):
        res = xp.unique(x, return_index=self.return_index, return_inverse=self.return_inverse,
                        return_counts=self.return_counts, axis=self.axis)
        if not isinstance(res, tuple):
            return res
        # NumPy 2 shapes the inverse like the input; Theano's is a vector.
        return tuple(r if k == 0 else xp.asarray(r, dtype="int64").reshape(-1)
                     for k, r in enumerate(res))

    def infer_shape(self, node, shapes):
        # The number of unique entries is known only by computing them (None); the
        # inverse has one entry per input entry (per slice along `axis`).
        (shp,) = shapes
        if self.axis is None:
            out = [(None,)]
            inverse = (_math.prod(_construct.stack(list(shp))) if shp else 1,)
        else:
            axis = _static_axis(self.axis, len(shp))
            out = [tuple(None if i == axis else d for i, d in enumerate(shp))]
            inverse = (shp[axis],)
        if self.return_index:
            out.append((None,))
        if self.return_inverse:
            out.append(inverse)
        if self.return_counts:
            out.append((None,))
        return out

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0])]


def unique(x, return_index=False, return_inverse=False, return_counts=False, axis=None):
    out = Unique(return_index, return_inverse, return_counts, axis)(as_tensor_variable(x))
    return out


# ----------------------------------------------------------------------------- flat indices


class RavelMultiIndex(Op):
    """np.ravel_multi_index(indices, dims, mode, order): flat int64 indices."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("mode", "order")

    def __init__(self, mode="raise", order="C"):
        if mode not in ("raise", "wrap", "clip"):
            raise ValueError(f"invalid mode {mode!r}")
        if order not in ("C", "F"):
            raise ValueError(f"invalid order {order!r}")
        self.mode, self.order = mode, order

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        *indices, dims = inputs
        if dims.type.ndim != 1 or dims.type.dtype not in D.integer_dtypes:
            raise TypeError("ravel_multi_index: dims must be an integer vector")
        if not indices or any(i.type.dtype not in D.integer_dtypes for i in indices):
            raise TypeError("ravel_multi_index: the indices must be integer tensors")
        return Apply(self, inputs, [TensorType("int64", indices[0].type.broadcastable)()])

    def impl(self, xp, *inputs):
        *indices, dims = inputs
        out = xp.ravel_multi_index(tuple(indices), tuple(int(d) for d in dims), mode=self.mode,
                                   order=self.order)
        return xp.asarray(out, dtype="int64")

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type() for _ in inputs]

    def connection_pattern(self, node):
        return [[False] for _ in node.inputs]


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """Flat indices of the index arrays `multi_index` into an array of shape `dims`."""
    if not isinstance(multi_index, (tuple, list)):
        raise TypeError("multi_index must be a tuple or a list.")
    dims = _shape_vector(dims)
    return RavelMultiIndex(mode, order)(*multi_index, dims)


class UnravelIndex(Op):
    """np.unravel_index(indices, dims, order): one int64 index array per dimension."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ("ndim", "order")

    def __init__(self, ndim, order="C"):
        if order not in ("C", "F"):
            raise ValueError(f"invalid order {order!r}")
        self.ndim, self.order = int(ndim), order

    def make_node(self, indices, dims):
        indices, dims = as_tensor_variable(indices), as_tensor_variable(dims)
        if indices.type.dtype not in D.integer_dtypes:
            raise TypeError(f"unravel_index: indices must be integers, got {indices.type}")
        if dims.type.ndim != 1 or dims.type.dtype not in D.integer_dtypes:
            raise TypeError("unravel_index: dims must be an integer vector")
        return Apply(self, [indices, dims],
                     [TensorType("int64", indices.type.broadcastable)() for _ in range(self.ndim)])

    def impl(self, xp, indices, dims):
        out = xp.unravel_index(indices, tuple(int(d) for d in dims), order=self.order)
        out = tuple(xp.asarray(o, dtype="int64") for o in out)
        return out[0] if self.ndim == 1 else out

    def infer_shape(self, node, shapes):
        return [shapes[0]] * len(node.outputs)

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type() for _ in inputs]

    def connection_pattern(self, node):
        return [[False] * self.ndim for _ in node.inputs]


def unravel_index(indices, dims, order="C", ndim=None):
    """The index arrays (a tuple) of the flat `indices` into an array of shape `dims`."""
    dims = _shape_vector(dims)
    if ndim is None:
        try:
            ndim = get_vector_length(dims)
        except ValueError:
            raise ValueError(
                "The length of the provided dimension list cannot be automatically "
                "determined, so Theano is not able to know what the number of dimensions of "
                "the unraveled index will be. You can provide the 'ndim' keyword argument to "
                "'unravel_index' to avoid this problem."
            ) from None
    out = UnravelIndex(ndim, order)(indices, dims)
    return tuple(out) if isinstance(out, (list, tuple)) else (out,)


def _shape_vector(dims):
    if isinstance(dims, (list, tuple)):
        # Integers are stacked as int64; anything else is left for make_node to refuse.
        parts = [as_tensor_variable(d) for d in dims]
        return _construct.stack([cast(d, "int64") if d.type.dtype in D.integer_dtypes else d
                                 for d in parts])
    return as_tensor_variable(dims)


# ----------------------------------------------------------------------------- windows, copies


class Bartlett(Op):
    """The Bartlett window of M points (np.bartlett), float64."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, M):
        M = as_tensor_variable(M)
        if M.type.ndim != 0 or M.type.dtype not in D.integer_dtypes:
            raise TypeError(f"bartlett: M must be an integer scalar, got {M.type}")
        return Apply(self, [M], [TensorType("float64", (False,))()])

    def impl(self, xp, M):
        return xp.bartlett(int(M))

    def infer_shape(self, node, shapes):
        (m,) = node.inputs
        return [(_ops.switch(_ops.lt(m, 0), cast(0, m.type.dtype), m),)]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type()]

    def connection_pattern(self, node):
        return [[False]]


bartlett_ = Bartlett()


def bartlett(M):
    """A Bartlett (triangular) window of M points."""
    return bartlett_(M)


class CpuContiguous(Op):
    """Its input as a C-contiguous array (a copy only when needed)."""

    __module__ = "theano.tensor.extra_ops"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return xp.ascontiguousarray(x)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        return grads

    def R_op(self, inputs, eval_points):
        return eval_points


cpu_contiguous = CpuContiguous()


# ----------------------------------------------------------------------------- top-k


class TopKOp(Op):
    """The `kth` largest (kth > 0) or -kth smallest (kth < 0) entries along an axis, and
    their indices.  The order within the selection is unspecified (sorted=False).  By
    default both outputs exist; ``return_values`` / ``return_indices`` keep only one
    (the rule local_useless_topk of theano.tensor.sort does so when only one is used)."""

    __module__ = "theano.tensor.sort"  # Theano's path: reprs and pickles

    __props__ = ("axis", "sorted", "return_values", "return_indices", "idx_dtype")

    def __init__(self, axis=-1, sorted=True, idx_dtype="int64",  # noqa: A002
                 return_values=True, return_indices=True):
        if not isinstance(axis, (int, np.integer)):
            raise TypeError(f'"axis" parameter must be integer, got "{type(axis)}"')
        if sorted:
            # Theano 1.0.5 raised here too (even for the default), before any graph existed.
            raise NotImplementedError(
                "The sorted parameter is not yet implemented. Use sorted=False for now."
            )
        if idx_dtype not in D.integer_dtypes:
            raise TypeError(f'"idx_dtype" parameter must be an integer dtype, got "{idx_dtype}"')
        if not (return_indices or return_values):
            raise ValueError("Neither return_values nor return_indices is True, this isn't "
                             "allowed")
        self.axis, self.sorted, self.idx_dtype = int(axis), sorted, idx_dtype
        self.return_values, self.return_indices = return_values, return_indices

    def __str__(self):
        return f"{type(self).__name__}{{axis={self.axis}, sorted={self.sorted}}}"

    def make_node(self, x, kth):
        x, kth = as_tensor_variable(x), as_tensor_variable(kth)
        ndim = x.type.ndim
        if ndim == 0:
            raise ValueError("Cannot take scalar as input")
        if not -ndim <= self.axis < ndim:
            raise IndexError(f'"axis" parameter out of range, expected integer within '
                             f'[{-ndim}, {ndim - 1}]')
        if kth.type.ndim != 0:
            raise ValueError(f"{kth} is expected to be 0d tensor, got {kth.type.ndim}")
        if kth.type.dtype not in D.integer_dtypes:
            raise TypeError(f"topk: kth must be an integer scalar, got {kth.type}")
        bcast = list(x.type.broadcastable)
        bcast[self.axis % ndim] = False
        outs = []
        if self.return_values:
            outs.append(TensorType(x.type.dtype, tuple(bcast))())
        if self.return_indices:
            outs.append(TensorType(self.idx_dtype, tuple(bcast))())
        return Apply(self, [x, kth], outs)

    def impl(self, xp, x, kth):
        axis = self.axis % x.ndim
        k, n = int(kth), x.shape[axis]
        if k == 0 or abs(k) > n:
            raise ValueError(f"topk: kth={k} must be non-zero and at most {n} in magnitude")
        select = [slice(None)] * x.ndim
        if k > 0:
            select[axis] = slice(n - k, None)
            idx = xp.argpartition(x, n - k, axis=axis)[tuple(select)]
        else:
            select[axis] = slice(None, -k)
            idx = xp.argpartition(x, -k - 1, axis=axis)[tuple(select)]
        outs = []
        if self.return_values:
            outs.append(xp.take_along_axis(x, idx, axis=axis))
        if self.return_indices:
            outs.append(idx.astype(self.idx_dtype))
        return outs[0] if len(outs) == 1 else tuple(outs)

    def infer_shape(self, node, shapes):
        shp = list(shapes[0])
        shp[self.axis % len(shp)] = _math.abs_(node.inputs[1])
        return [tuple(shp)] * len(node.outputs)

    def L_op(self, inputs, outputs, grads):
        x = inputs[0]
        if not self.return_values:  # only the indices: no gradient flows
            return [disconnected_type(), disconnected_type()]
        g = grads[0]
        if isinstance(g.type, DisconnectedType):  # only the indices are used
            return [disconnected_type(), disconnected_type()]
        if x.type.dtype in D.discrete_dtypes:
            return [zeros_like(x, dtype=config.floatX), disconnected_type()]
        axis = _static_axis(self.axis, x.type.ndim)
        idx = outputs[-1] if self.return_indices else \
            TopKOp(self.axis, self.sorted, self.idx_dtype, False, True)(x, inputs[1])
        gx = ScatterAddAlongAxis(axis)(zeros_like(x), idx, g)
        return [gx, disconnected_type()]

    def connection_pattern(self, node):
        return [[self.return_values] * len(node.outputs), [False] * len(node.outputs)]


def _topk_input(x, axis):
    x = as_tensor_variable(x)
    if axis is None:  # the flattened input
        return flatten(x), 0
    return x, axis


def topk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):  # noqa: A002
    """The kth largest entries of `x` along `axis` (kth < 0: the -kth smallest; axis
    None: of the flattened array)."""
    x, axis = _topk_input(x, axis)
    # Only the values: the node Theano's local_useless_topk left when the indices were
    # unused (the gradient computes the indices with a node of its own).
    return TopKOp(axis, sorted, idx_dtype, return_indices=False)(x, kth)


def argtopk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):  # noqa: A002
    """The indices of topk(x, kth, axis)."""
    x, axis = _topk_input(x, axis)
    return TopKOp(axis, sorted, idx_dtype, return_values=False)(x, kth)


def topk_and_argtopk(x, kth, axis=-1, sorted=True, idx_dtype="int64"):  # noqa: A002
    """(topk, argtopk) from one Op."""
    x, axis = _topk_input(x, axis)
    return tuple(TopKOp(axis, sorted, idx_dtype)(x, kth))


# Modules Theano's extra_ops held as names (``theano``, ``tensor``, ``basic``, ``gof``...):
# the packages above this chain module, looked up once they are loaded (never imported here).
_MODULE_NAMES = {"theano": "", "tensor": ".tensor", "basic": ".tensor.basic",
                 "nlinalg": ".tensor.nlinalg", "scalar": ".scalar", "gof": ".gof",
                 "gradient": ".gradient"}
xrange = range


_GOF_NAMES = ("EnumList", "ParamsType")  # classes of theano.gof Theano's module imported


def __getattr__(name):
    target = _MODULE_NAMES.get(name)
    if name in _GOF_NAMES:
        target = ".gof"
    if target is not None:
        module = sys.modules.get(__name__.split(".")[0] + target)
        if module is not None:
            return getattr(module, name) if name in _GOF_NAMES else module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_MODULE_NAMES) | set(_GOF_NAMES))
