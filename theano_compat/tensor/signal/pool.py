"""Pooling over the last 2 (or 3) dimensions of a tensor (theano.tensor.signal.pool).

Four modes, with Theano 1.0.5's semantics:

* ``max``: the largest value of each window; padding never wins.
* ``sum``: the sum of each window (padding adds zeros).
* ``average_inc_pad``: the sum divided by the number of window cells inside the padded
  image (padding counts as zeros).
* ``average_exc_pad``: the sum divided by the number of window cells inside the image.

With ``ignore_border=False`` the last window along an axis may stick out of the image;
it is clipped (an average then divides by the clipped size, as Theano did).  Padding is
only allowed with ``ignore_border=True`` and must be smaller than the window.

Every Op takes the window size ``ws``, ``stride`` and ``pad`` as integer-vector inputs,
so they may be symbolic.  The implementations loop over the ``prod(ws)`` offsets of a
window and process all windows of all images at once with one strided slice per offset:
no Python loop over pixels or images.

The gradient of max pooling goes to every cell equal to its window's maximum (ties all
receive it, as in Theano), so it is only a true derivative where the maximum is unique.
"""

from __future__ import annotations

import itertools
import sys
import warnings

import numpy as np

from ...graph.basic import Apply, Constant, Variable
from ...graph.null import DisconnectedType, disconnected_type  # noqa: F401
from ...graph.op import Op
from ...scalar import bool as bool_t  # noqa: F401 - a name of Theano's module
from ...utils import lazy_names
from .. import basic as B
from .. import math as M
from .. import elemwise_ops as E
from ..type import TensorType

MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")

theano = sys.modules[__name__.split(".")[0]]  # names of Theano's module: the package,
tensor = sys.modules[__name__.rsplit(".", 2)[0]]  # theano.tensor
xrange = range


# ----------------------------------------------------------------------------- geometry


def _pooled_length(r, w, s, p, ignore_border):
    """Number of windows along one axis of length `r` (Python ints or symbolic scalars)."""
    symbolic = any(isinstance(v, Variable) for v in (r, w, s, p))
    if ignore_border:
        n = (r + 2 * p - w) // s + 1
        return M.maximum(n, 0) if symbolic else max(n, 0)
    if symbolic:
        return M.switch(E.ge(s, w), (r - 1) // s + 1,
                        M.maximum((r - 1 - w + s) // s, 0) + 1)
    if s >= w:
        return (r - 1) // s + 1
    return max(0, (r - 1 - w + s) // s) + 1


def _window_counts(spatial, ws, stride, pad, out, include_pad):
    """Number of cells of each window that an average divides by, shape `out` (NumPy).

    Windows are clipped to the image (``include_pad=False``) or to the padded image.
    """
    counts = np.ones((), dtype="int64")
    for axis, (r, w, s, p, n) in enumerate(zip(spatial, ws, stride, pad, out)):
        starts = np.arange(n, dtype="int64") * s - p
        lo, hi = (-p, r + p) if include_pad else (0, r)
        length = np.minimum(starts + w, hi) - np.maximum(starts, lo)
        shape = [1] * len(out)
        shape[axis] = n
        counts = counts * length.reshape(shape)
    return counts


def _window_slices(ws, stride, out):
    """For each offset inside a window, the strided slice picking that cell of every window."""
    for offsets in itertools.product(*(range(w) for w in ws)):
        yield (Ellipsis,) + tuple(slice(o, o + (n - 1) * s + 1, s)
                                  for o, n, s in zip(offsets, out, stride))


def _padded_extent(spatial, ws, stride, pad, out):
    """Length of each pooled axis once padded so that every window fits."""
    return tuple(max(r + 2 * p, (n - 1) * s + w) for r, w, s, p, n
                 in zip(spatial, ws, stride, pad, out))


def _pad(xp, x, nd, pad, extent, fill):
    """`x` inside a larger array filled with `fill` (`x` itself when nothing is added)."""
    spatial = x.shape[x.ndim - nd:]
    if tuple(spatial) == tuple(extent) and not any(pad):
        return x
    buf = xp.full(x.shape[:x.ndim - nd] + tuple(extent), fill, dtype=x.dtype)
    buf[(Ellipsis,) + tuple(slice(p, p + r) for p, r in zip(pad, spatial))] = x
    return buf


def _crop(a, nd, pad, spatial):
    return a[(Ellipsis,) + tuple(slice(p, p + r) for p, r in zip(pad, spatial))]


def _lowest(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind in "iu":
        return np.iinfo(dtype).min
    return False


# ----------------------------------------------------------------------------- arguments


def _as_int_vector(v, nd, what):
    """`v` (tuple of ints or scalars, or an integer vector) as an int64 vector variable."""
    v = B.int_vector_argument(v, "Pool", what)
    if isinstance(v, Constant) and np.asarray(v.data).shape != (nd,):
        raise ValueError(f"{what} must be a vector of size {nd}")
    return v


def _constant_ints(v):
    """The Python ints of a constant vector, else None."""
    if isinstance(v, Constant):
        return tuple(int(e) for e in np.asarray(v.data).reshape(-1))
    return None


def _symbolic_entries(v, nd):
    """Entries of an int vector: Python ints when constant, else symbolic scalars."""
    ints = _constant_ints(v)
    return ints if ints is not None else tuple(v[i] for i in range(nd))


# ----------------------------------------------------------------------------- the Ops


class _PoolOpBase(Op):
    """Shared props, argument checks and shape rules of the pooling Ops."""

    __props__ = ("ignore_border", "mode", "ndim")

    def __init__(self, ignore_border=False, mode="max", ndim=2):
        if mode == "max_deterministic":  # Theano's name for max on cuDNN; same values
            mode = "max"
        if mode not in MODES:
            raise ValueError(
                "Pool mode parameter only support 'max', 'sum', 'average_inc_pad' and "
                f"'average_exc_pad'. Got {mode}")
        if not isinstance(ndim, (int, np.integer)) or ndim < 1:
            raise ValueError(f"Pool: ndim must be a positive integer, got {ndim!r}")
        self.ignore_border = bool(ignore_border)
        self.mode = mode
        self.ndim = int(ndim)

    # -- arguments

    def _vectors(self, x, ws, stride, pad):
        """Checked int64 vectors for ws/stride/pad (stride defaults to ws, pad to 0)."""
        nd = self.ndim
        if x.type.ndim < nd:
            raise TypeError(
                f"{type(self).__name__}: pooling over {nd} dimensions needs an input with at "
                f"least {nd} dimensions, got {x.type}")
        if stride is None:
            stride = ws
        if pad is None:
            pad = (0,) * nd
        ws = _as_int_vector(ws, nd, "ws")
        stride = _as_int_vector(stride, nd, "stride")
        pad = _as_int_vector(pad, nd, "pad")
        self._check_values(_constant_ints(ws), _constant_ints(stride), _constant_ints(pad))
        return ws, stride, pad

    def _check_values(self, ws, stride, pad):
        """Theano's checks on the values (each argument may be None when symbolic)."""
        nd = self.ndim
        for name, v in (("ws", ws), ("stride", stride), ("pad", pad)):
            if v is not None and len(v) != nd:
                raise ValueError(f"{name} must be a vector of size {nd}")
        if ws is not None and any(w < 1 for w in ws):
            raise ValueError(f"Pool: the window size ws must be positive, got {ws}")
        if stride is not None and any(s < 1 for s in stride):
            raise ValueError(f"Pool: the stride must be positive, got {stride}")
        if pad is not None:
            if any(p < 0 for p in pad):
                raise ValueError(f"Pool: padding must be non-negative, got {pad}")
            if any(pad) and not self.ignore_border:
                raise NotImplementedError("padding works only with ignore_border=True (as in "
                                          "Theano 1.0.5); pass ignore_border=True")
            if ws is not None and any(p >= w for p, w in zip(pad, ws)):
                raise NotImplementedError(
                    f"padding must be smaller than the window size: pad={pad}, ws={ws}")

    def _runtime_args(self, x, ws, stride, pad):
        ws, stride, pad = (tuple(int(e) for e in v) for v in (ws, stride, pad))
        self._check_values(ws, stride, pad)
        nd = self.ndim
        spatial = tuple(x.shape[x.ndim - nd:])
        out = tuple(_pooled_length(r, w, s, p, self.ignore_border)
                    for r, w, s, p in zip(spatial, ws, stride, pad))
        return ws, stride, pad, spatial, out

    # -- derivatives of the gradient Ops, each linear in its incoming gradient

    def _r_op_linear_in(self, inputs, eval_points, k, like):
        """R_op of an Op linear in input `k`, the others held fixed (the max winners do not
        move under small changes of x): the Op applied to the tangent of input `k`, zeros
        shaped like input `like` when it has none."""
        if eval_points[k] is None:
            return [B.zeros_like(inputs[like])]
        args = list(inputs)
        args[k] = eval_points[k]
        return [self(*args)]

    def _max_pair_grads(self, inputs, grads, transpose):
        """L_op of MaxPoolGrad / DownsampleFactorMaxGradGrad ``(x, maxout, g, ws, stride,
        pad)``: zero w.r.t. x and maxout, `transpose` (the other Op of the pair) applied to
        the output gradient w.r.t. g."""
        x, maxout, _g, ws, stride, pad = inputs
        (gout,) = grads
        dg = transpose(self.ignore_border, mode="max", ndim=self.ndim)(x, maxout, gout, ws,
                                                                      stride, pad)
        return ([B.zeros_like(x), B.zeros_like(maxout), dg]
                + [disconnected_type() for _ in range(3)])

    def _pooled_type(self, x):
        nd = self.ndim
        return TensorType(x.type.dtype, x.type.broadcastable[:-nd] + (False,) * nd)

    def _pooled_shape(self, x_shape, ws, stride, pad):
        nd = self.ndim
        entries = [_symbolic_entries(v, nd) for v in (ws, stride, pad)]
        return tuple(x_shape[:-nd]) + tuple(
            _pooled_length(r, w, s, p, self.ignore_border)
            for r, w, s, p in zip(x_shape[-nd:], *entries))

    def _averaging_counts(self, xp, dtype, spatial, ws, stride, pad, out):
        counts = _window_counts(spatial, ws, stride, pad, out,
                                include_pad=self.mode == "average_inc_pad")
        return xp.asarray(counts.astype(dtype if np.dtype(dtype).kind == "f" else "float64"))

    def connection_pattern(self, node):
        n_data = len(node.inputs) - 3
        return [[True]] * n_data + [[False]] * 3


class Pool(_PoolOpBase):
    """Pool the last `ndim` dimensions: ``Pool(ignore_border, mode, ndim)(x, ws, stride, pad)``."""

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    def __init__(self, ignore_border=False, mode="max", ndim=2, openmp=None):
        super().__init__(ignore_border, mode, ndim)

    @staticmethod
    def out_shape(imgshape, ws=None, ignore_border=False, stride=None, pad=None, ndim=2,
                  ds=None, st=None, padding=None):
        """The output shape for an input of shape `imgshape` (ints or symbolic scalars)."""
        ws = ds if ws is None else ws
        stride = st if stride is None else stride
        pad = padding if pad is None else pad
        if ws is None:
            raise ValueError("You must provide a tuple value for the window size.")
        if len(imgshape) < ndim:
            raise TypeError(f"imgshape must have at least {ndim} dimensions")
        stride = ws if stride is None else stride
        pad = (0,) * ndim if pad is None else pad
        return list(imgshape[:-ndim]) + [
            _pooled_length(r, w, s, p, ignore_border)
            for r, w, s, p in zip(imgshape[-ndim:], ws, stride, pad)]

    def make_node(self, x, ws, stride=None, pad=None):
        x = B.as_tensor_variable(x)
        ws, stride, pad = self._vectors(x, ws, stride, pad)
        return Apply(self, [x, ws, stride, pad], [self._pooled_type(x)()])

    def impl(self, xp, x, ws, stride, pad):
        ws, stride, pad, spatial, out = self._runtime_args(x, ws, stride, pad)
        out_shape = x.shape[:x.ndim - self.ndim] + out
        if 0 in out_shape:
            return xp.zeros(out_shape, dtype=x.dtype)
        is_max = self.mode == "max"
        extent = _padded_extent(spatial, ws, stride, pad, out)
        xpad = _pad(xp, x, self.ndim, pad, extent, _lowest(x.dtype) if is_max else 0)
        acc = None
        for sl in _window_slices(ws, stride, out):
            cell = xpad[sl]
            if acc is None:
                acc = cell.copy()
            elif is_max:
                xp.maximum(acc, cell, out=acc)
            else:
                acc += cell
        if self.mode.startswith("average"):
            counts = self._averaging_counts(xp, x.dtype, spatial, ws, stride, pad, out)
            if acc.dtype.kind == "f":
                acc /= counts
            else:  # integer input: the mean is truncated back to the input dtype
                acc = (acc / counts).astype(x.dtype)
        return acc

    def infer_shape(self, node, shapes):
        return [self._pooled_shape(shapes[0], *node.inputs[1:])]

    def L_op(self, inputs, outputs, grads):
        x, ws, stride, pad = inputs
        (gz,) = grads
        if self.mode == "max":
            gx = MaxPoolGrad(self.ignore_border, ndim=self.ndim)(x, outputs[0], gz, ws,
                                                                 stride, pad)
        else:
            gx = AveragePoolGrad(self.ignore_border, self.mode, self.ndim)(x, gz, ws, stride,
                                                                          pad)
        return [gx] + [disconnected_type() for _ in range(3)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        x, ws, stride, pad = inputs
        if self.mode == "max":
            z = self(x, ws, stride, pad)
            return [DownsampleFactorMaxGradGrad(self.ignore_border, "max", self.ndim)(
                x, z, eval_points[0], ws, stride, pad)]
        return [self(eval_points[0], ws, stride, pad)]


class PoolGrad(_PoolOpBase):
    """Theano's base class of the pooling gradients (MaxPoolGrad, AveragePoolGrad)."""

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    out_shape = staticmethod(Pool.out_shape)


class MaxPoolGrad(PoolGrad):
    """Gradient of max pooling: ``MaxPoolGrad(ignore_border, ndim)(x, z, gz, ws, stride, pad)``.

    Each cell of `x` equal to its window's maximum `z` receives that window's `gz`
    (summed over the windows containing it).
    """

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    def __init__(self, ignore_border, ndim=2, openmp=None, mode="max"):
        if mode != "max":
            raise ValueError(f"MaxPoolGrad is the gradient of max pooling, got mode={mode!r}")
        super().__init__(ignore_border, "max", ndim)

    def make_node(self, x, maxout, gz, ws, stride=None, pad=None):
        x, maxout, gz = (B.as_tensor_variable(v) for v in (x, maxout, gz))
        ws, stride, pad = self._vectors(x, ws, stride, pad)
        if maxout.type.ndim != x.type.ndim or gz.type.ndim != x.type.ndim:
            raise TypeError(f"MaxPoolGrad: x, maxout and gz must have the same number of "
                            f"dimensions, got {x.type}, {maxout.type}, {gz.type}")
        return Apply(self, [x, maxout, gz, ws, stride, pad], [x.type()])

    def impl(self, xp, x, maxout, gz, ws, stride, pad):
        ws, stride, pad, spatial, out = self._runtime_args(x, ws, stride, pad)
        if 0 in maxout.shape:
            return xp.zeros_like(x)
        extent = _padded_extent(spatial, ws, stride, pad, out)
        xpad = _pad(xp, x, self.ndim, pad, extent, _lowest(x.dtype))
        gx = xp.zeros(xpad.shape, dtype=x.dtype)
        for sl in _window_slices(ws, stride, out):
            gx[sl] += xp.where(xpad[sl] == maxout, gz, 0).astype(x.dtype, copy=False)
        return xp.ascontiguousarray(_crop(gx, self.ndim, pad, spatial))

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        return self._max_pair_grads(inputs, grads, DownsampleFactorMaxGradGrad)

    def R_op(self, inputs, eval_points):
        # Piecewise linear in gz; the winners do not move under small changes of x.
        return self._r_op_linear_in(inputs, eval_points, 2, 0)


class AveragePoolGrad(PoolGrad):
    """Gradient of sum/average pooling: ``AveragePoolGrad(ignore_border, mode, ndim)(x, gz,
    ws, stride, pad)`` spreads each window's `gz` (divided by its cell count for the
    averages) over the window's cells."""

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    def __init__(self, ignore_border, mode="average_inc_pad", ndim=2):
        if mode == "max":
            raise ValueError("AveragePoolGrad is the gradient of sum/average pooling; "
                             "max pooling uses MaxPoolGrad")
        super().__init__(ignore_border, mode, ndim)

    def make_node(self, x, gz, ws, stride=None, pad=None):
        x, gz = B.as_tensor_variable(x), B.as_tensor_variable(gz)
        ws, stride, pad = self._vectors(x, ws, stride, pad)
        if gz.type.ndim != x.type.ndim:
            raise TypeError(f"AveragePoolGrad: x and gz must have the same number of "
                            f"dimensions, got {x.type} and {gz.type}")
        return Apply(self, [x, gz, ws, stride, pad], [x.type()])

    def impl(self, xp, x, gz, ws, stride, pad):
        ws, stride, pad, spatial, out = self._runtime_args(x, ws, stride, pad)
        if 0 in gz.shape:
            return xp.zeros_like(x)
        if self.mode.startswith("average"):
            gz = gz / self._averaging_counts(xp, x.dtype, spatial, ws, stride, pad, out)
        extent = _padded_extent(spatial, ws, stride, pad, out)
        gx = xp.zeros(x.shape[:x.ndim - self.ndim] + extent, dtype=x.dtype)
        for sl in _window_slices(ws, stride, out):
            gx[sl] += gz
        return xp.ascontiguousarray(_crop(gx, self.ndim, pad, spatial))

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        x, _gz, ws, stride, pad = inputs
        (ggx,) = grads
        # The op is linear in gz; its transpose is the pooling itself.
        ggz = Pool(self.ignore_border, self.mode, self.ndim)(ggx, ws, stride, pad)
        return [B.zeros_like(x), ggz] + [disconnected_type() for _ in range(3)]

    def R_op(self, inputs, eval_points):
        return self._r_op_linear_in(inputs, eval_points, 1, 0)


class DownsampleFactorMaxGradGrad(_PoolOpBase):
    """Second derivative of max pooling: ``(x, z, ggx, ws, stride, pad)`` -> for each window,
    the sum of `ggx` over the cells where `x` equals the window's maximum `z`.

    It is the transpose of MaxPoolGrad with respect to its `gz`, and also the R-operator
    of max pooling.
    """

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    def __init__(self, ignore_border, mode="max", ndim=2, openmp=None):
        if mode != "max":
            raise ValueError("DownsampleFactorMaxGradGrad only exists for mode='max'")
        super().__init__(ignore_border, mode, ndim)

    def make_node(self, x, maxout, gz, ws, stride=None, pad=None):
        x, maxout, gz = (B.as_tensor_variable(v) for v in (x, maxout, gz))
        ws, stride, pad = self._vectors(x, ws, stride, pad)
        if maxout.type.ndim != x.type.ndim or gz.type.ndim != x.type.ndim:
            raise TypeError("DownsampleFactorMaxGradGrad: x, maxout and gz must have the same "
                            f"number of dimensions, got {x.type}, {maxout.type}, {gz.type}")
        return Apply(self, [x, maxout, gz, ws, stride, pad], [maxout.type()])

    def impl(self, xp, x, maxout, ggx, ws, stride, pad):
        ws, stride, pad, spatial, out = self._runtime_args(x, ws, stride, pad)
        ggz = xp.zeros(maxout.shape, dtype=maxout.dtype)
        if 0 in maxout.shape:
            return ggz
        extent = _padded_extent(spatial, ws, stride, pad, out)
        xpad = _pad(xp, x, self.ndim, pad, extent, _lowest(x.dtype))
        gpad = _pad(xp, ggx, self.ndim, pad, extent, 0)
        for sl in _window_slices(ws, stride, out):
            ggz += xp.where(xpad[sl] == maxout, gpad[sl], 0).astype(ggz.dtype, copy=False)
        return ggz

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def L_op(self, inputs, outputs, grads):
        return self._max_pair_grads(inputs, grads, MaxPoolGrad)

    def R_op(self, inputs, eval_points):
        return self._r_op_linear_in(inputs, eval_points, 2, 1)


class MaxPoolRop(_PoolOpBase):
    """The R-operator of max pooling as one Op: ``MaxPoolRop(ignore_border, mode='max',
    ndim)(x, eval_point, ws, stride, pad)`` gives, for each window, the value of
    `eval_point` at the first (C order) cell where `x` has the window's maximum; padding
    never wins.  (Pool.R_op builds DownsampleFactorMaxGradGrad, as Theano's did; this Op is
    Theano's single-argmax form.)"""

    __module__ = "theano.tensor.signal.pool"  # Theano's path: reprs and pickles

    def __init__(self, ignore_border=False, mode="max", ndim=2, openmp=None):
        if mode != "max":
            raise ValueError(f"MaxPoolRop only exists for mode='max', got {mode!r}")
        super().__init__(ignore_border, mode, ndim)

    def make_node(self, x, eval_point, ws, stride=None, pad=None):
        x, eval_point = B.as_tensor_variable(x), B.as_tensor_variable(eval_point)
        ws, stride, pad = self._vectors(x, ws, stride, pad)
        if eval_point.type.ndim != x.type.ndim:
            raise TypeError(f"MaxPoolRop: x and eval_point must have the same number of "
                            f"dimensions, got {x.type} and {eval_point.type}")
        nd = self.ndim
        out = TensorType(eval_point.type.dtype, x.type.broadcastable[:-nd] + (False,) * nd)
        return Apply(self, [x, eval_point, ws, stride, pad], [out()])

    def impl(self, xp, x, ex, ws, stride, pad):
        ws, stride, pad, spatial, out = self._runtime_args(x, ws, stride, pad)
        out_shape = x.shape[:x.ndim - self.ndim] + out
        if 0 in out_shape:
            return xp.zeros(out_shape, dtype=ex.dtype)
        extent = _padded_extent(spatial, ws, stride, pad, out)
        xpad = _pad(xp, x, self.ndim, pad, extent, _lowest(x.dtype))
        epad = _pad(xp, ex, self.ndim, pad, extent, 0)
        best = res = None
        for sl in _window_slices(ws, stride, out):  # window cells in C order
            cell = xpad[sl]
            if best is None:
                best, res = cell.copy(), epad[sl].astype(ex.dtype, copy=True)
                continue
            wins = cell > best
            if x.dtype.kind in "fc":  # a NaN is the maximum (np.argmax), the first one
                wins |= xp.isnan(cell) & ~xp.isnan(best)
            best = xp.where(wins, cell, best)
            res = xp.where(wins, epad[sl], res)
        return xp.ascontiguousarray(res)

    def infer_shape(self, node, shapes):
        return [self._pooled_shape(shapes[0], *node.inputs[2:])]


# ----------------------------------------------------------------------------- functions


def _legacy_arguments(fname, nd, ws, stride, pad, ds, st, padding):
    """Resolve the deprecated ds/st/padding keywords into ws/stride/pad (with warnings)."""
    if ds is not None:
        if ws is not None:
            raise ValueError("You can't provide a tuple value to both 'ws' and 'ds'. "
                             "Please provide a value only to 'ws'.")
        warnings.warn("DEPRECATION: the 'ds' parameter is not going to exist anymore as it "
                      "is going to be replaced by the parameter 'ws'.", UserWarning,
                      stacklevel=4)
        ws = ds
    elif ws is None:
        raise ValueError("You must provide a tuple value for the window size.")
    if st is not None:
        if stride is not None:
            raise ValueError("You can't provide a tuple value to both 'st' and 'stride'. "
                             "Please provide a value only to 'stride'.")
        warnings.warn("DEPRECATION: the 'st' parameter is not going to exist anymore as it "
                      "is going to be replaced by the parameter 'stride'.", UserWarning,
                      stacklevel=4)
        stride = st
    if padding is not None:
        if pad is not None and not _is_zero_tuple(pad, nd):
            raise ValueError("You can't provide a tuple value to both 'padding' and 'pad'. "
                             "Please provide a value only to 'pad'.")
        warnings.warn("DEPRECATION: the 'padding' parameter is not going to exist anymore as "
                      "it is going to be replaced by the parameter 'pad'.", UserWarning,
                      stacklevel=4)
        pad = padding
    return ws, stride, pad


def _is_zero_tuple(v, nd):
    return isinstance(v, (list, tuple)) and not any(isinstance(e, Variable) for e in v) \
        and tuple(v) == (0,) * nd


def _pool_nd(fname, nd, input, ws, ignore_border, stride, pad, mode, ds, st, padding):
    ws, stride, pad = _legacy_arguments(fname, nd, ws, stride, pad, ds, st, padding)
    input = B.as_tensor_variable(input)
    if input.type.ndim < nd:
        raise NotImplementedError(f"{fname} requires a dimension >= {nd} (it pools the last {nd} "
                                  f"axes); give an input with at least {nd} dimensions")
    if ignore_border is None:
        warnings.warn(
            f"{fname}() will have the parameter ignore_border default value changed to True "
            "(currently False). To have consistent behavior with all Theano versions, "
            "explicitly add the parameter ignore_border=True.", UserWarning, stacklevel=3)
        ignore_border = False
    return Pool(ignore_border, mode=mode, ndim=nd)(input, ws, stride, pad)


def pool_2d(input, ws=None, ignore_border=None, stride=None, pad=(0, 0), mode="max",
            ds=None, st=None, padding=None):
    """Pool the last two dimensions of `input` (any ndim >= 2).

    Parameters
    ----------
    input : tensor
        Images; pooling runs over the last two dimensions.
    ws : pair of ints or an integer vector
        Window size (rows, columns).
    ignore_border : bool
        True: windows never stick out of the (padded) image.  False: partial windows at
        the bottom/right edges are kept.  None means False, with Theano's warning that
        the default will change.
    stride : pair, optional
        Step between windows (default: `ws`).
    pad : pair
        Zero padding on each side (only with ignore_border=True; must be < ws).
    mode : {'max', 'sum', 'average_inc_pad', 'average_exc_pad'}
    ds, st, padding :
        Deprecated names of ws, stride and pad (accepted with a warning).
    """
    return _pool_nd("pool_2d", 2, input, ws, ignore_border, stride, pad, mode, ds, st,
                    padding)


def pool_3d(input, ws=None, ignore_border=None, stride=None, pad=(0, 0, 0), mode="max",
            ds=None, st=None, padding=None):
    """Pool the last three dimensions of `input` (any ndim >= 3); see `pool_2d`."""
    return _pool_nd("pool_3d", 3, input, ws, ignore_border, stride, pad, mode, ds, st,
                    padding)


def max_pool_2d_same_size(input, patch_size):
    """Keep the maximum of each non-overlapping `patch_size` patch in place and zero the
    rest (output has the shape of `input`)."""
    input = B.as_tensor_variable(input)
    pooled = Pool(True, mode="max", ndim=2)(input, patch_size)
    return MaxPoolGrad(True, ndim=2)(input, pooled, pooled, patch_size)


# Names of Theano's module from theano.gof (a layer above this one), found where
# ``import theano`` loaded them; PoolingMode_t, Theano's EnumList of the modes (its C
# code's parameter type), is built from theano.gof's EnumList on first use.
_gof_name, _ = lazy_names(__name__, {"gof": ("theano_compat.gof", None),
                                     "EnumList": ("theano_compat.gof", "EnumList"),
                                     "OpenMPOp": ("theano_compat.gof", "OpenMPOp"),
                                     "ParamsType": ("theano_compat.gof", "ParamsType")})
_BUILT = {}


def __getattr__(name):
    if name == "PoolingMode_t":
        if name not in _BUILT:
            _BUILT[name] = _gof_name("EnumList")(
                ("POOLING_MAX", "max"), ("POOLING_SUM", "sum"),
                ("POOLING_AVERAGE_COUNT_INCLUDE_PADDING", "average_inc_pad"),
                ("POOLING_AVERAGE_COUNT_EXCLUDE_PADDING", "average_exc_pad"))
        return _BUILT[name]
    return _gof_name(name)


def __dir__():
    return sorted({*globals(), "gof", "EnumList", "OpenMPOp", "ParamsType", "PoolingMode_t"})
