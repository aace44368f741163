"""Neighbourhoods of images as rows of a matrix (theano.tensor.nnet.neighbours).

``images2neibs(ten4, neib_shape, neib_step, mode)`` cuts every (batch, channel) image
of a 4-d tensor into windows of ``neib_shape`` taken every ``neib_step`` pixels and
returns one window per row, flattened in row-major order; rows are ordered by batch,
channel, window row, window column.  Modes (Theano 1.0.5):

* ``valid``: windows inside the image; the steps must tile it exactly.
* ``ignore_borders``: windows inside the image; a remainder is dropped.
* ``half``: zero padding of ``neib_shape // 2`` on each side (steps must tile it).
* ``full``: zero padding of ``neib_shape - 1`` on each side (steps must tile it).
* ``wrap_centered``: one window centred on every ``neib_step``-th pixel, wrapping around
  the image borders (odd ``neib_shape`` only).

``neibs2images`` is the inverse for non-overlapping windows.  The gradient of
Images2Neibs (Images2NeibsGrad, which adds each row back onto the pixels it came from)
exists for every mode; Theano 1.0.5 only had it for ``valid`` and for
``ignore_borders`` with non-overlapping windows.
"""

from __future__ import annotations

import numpy as np

from ...backend import scatter_add
from ...graph.basic import Apply, Constant, Variable
from ...graph.null import disconnected_type
from ...graph.null import grad_not_implemented, grad_undefined  # noqa: F401 - Theano's names
from ...graph.op import Op
from .. import basic as B
from .. import basic as T  # noqa: F401 - theano.tensor.nnet.neighbours.T
from .. import math as M
from ..subtensor import set_subtensor
from ..type import TensorType

MODES = ("valid", "ignore_borders", "half", "full", "wrap_centered")


def _as_pair(v, what):
    v = B.int_vector_argument(v, "Images2Neibs", what)
    if isinstance(v, Constant) and np.asarray(v.data).shape != (2,):
        raise TypeError(f"{what} wrong shape ; has to contain 2 elements")
    return v


class _Geometry:
    """Where the windows of one mode lie: padding before the image, window counts, and
    the padded extent along rows and columns (Python ints)."""

    def __init__(self, mode, image, shape, step):
        self.image, self.shape, self.step = image, shape, step
        if len(shape) != 2 or len(step) != 2:
            raise TypeError("neib_shape and neib_step must contain 2 elements")
        if any(n < 1 for n in shape) or any(s < 1 for s in step):
            raise ValueError(f"Images2Neibs: neib_shape {shape} and neib_step {step} must be "
                             "positive")
        self.wrap = mode == "wrap_centered"
        if self.wrap:
            if any(n % 2 == 0 for n in shape):
                raise TypeError("Images2Neibs: in mode wrap_centered need patch with odd "
                                "shapes")
            if any(n > r for n, r in zip(shape, image)):
                raise TypeError(f"Images2Neibs: in mode wrap_centered the patch {shape} must "
                                f"not be larger than the image {image}")
            self.pad = tuple(n // 2 for n in shape)
            self.count = tuple(-(-r // s) for r, s in zip(image, step))
        else:
            if mode == "half":
                self.pad = tuple(n // 2 for n in shape)
            elif mode == "full":
                self.pad = tuple(n - 1 for n in shape)
            else:
                self.pad = (0, 0)
            spans = [r + 2 * p - n for r, p, n in zip(image, self.pad, shape)]
            if mode != "ignore_borders":
                for axis, (span, n, s, r) in enumerate(zip(spans, shape, step, image)):
                    if span < 0 or span % s:
                        raise TypeError(
                            f"neib_shape[{axis}]={n}, neib_step[{axis}]={s} and "
                            f"ten4.shape[{axis + 2}]={r} not consistent")
            self.count = tuple(max(span // s + 1, 0) for span, s in zip(spans, step))
        self.extent = tuple(max((c - 1) * s + n, r + 2 * p) if c else r + 2 * p
                            for c, s, n, r, p in zip(self.count, step, shape, image, self.pad))

    def wrapped_index(self, axis):
        """Image row (column) of each padded row (column) in wrap_centered mode."""
        return (np.arange(self.extent[axis]) - self.pad[axis]) % self.image[axis]

    def cell_slices(self):
        """(i, j, slice) for each cell of a window: that cell of every window."""
        (nr, nc), (sr, sc) = self.count, self.step
        for i in range(self.shape[0]):
            for j in range(self.shape[1]):
                yield i, j, (slice(None), slice(None), slice(i, i + (nr - 1) * sr + 1, sr),
                             slice(j, j + (nc - 1) * sc + 1, sc))


def _geometry(mode, x, neib_shape, neib_step):
    return _Geometry(mode, tuple(x.shape[2:]), tuple(int(v) for v in neib_shape),
                     tuple(int(v) for v in neib_step))


class Images2Neibs(Op):
    """``Images2Neibs(mode)(ten4, neib_shape, neib_step)``: the windows as matrix rows."""

    __props__ = ("mode",)

    def __init__(self, mode="valid"):
        if mode not in MODES:
            raise NotImplementedError(
                "Only modes full, half, ignore_borders, valid, wrap_centered have been "
                f"implemented for Images2Neibs, got {mode!r}")
        self.mode = mode

    def make_node(self, ten4, neib_shape, neib_step=None):
        ten4 = B.as_tensor_variable(ten4)
        if ten4.type.ndim != 4:
            raise TypeError(f"images2neibs needs a 4-d tensor (batch, channel, row, column), "
                            f"got {ten4.type}")
        neib_shape = _as_pair(neib_shape, "neib_shape")
        neib_step = neib_shape if neib_step is None else _as_pair(neib_step, "neib_step")
        return Apply(self, [ten4, neib_shape, neib_step],
                     [TensorType(ten4.type.dtype, (False, False))()])

    def impl(self, xp, x, neib_shape, neib_step):
        geo = _geometry(self.mode, x, neib_shape, neib_step)
        (nr, nc), (nh, nw) = geo.count, geo.shape
        b, c = x.shape[:2]
        if geo.wrap:
            padded = x[:, :, xp.asarray(geo.wrapped_index(0))][:, :, :,
                                                              xp.asarray(geo.wrapped_index(1))]
        elif geo.extent != geo.image:
            padded = xp.zeros((b, c) + geo.extent, dtype=x.dtype)
            (pr, pc), (h, w) = geo.pad, geo.image
            padded[:, :, pr:pr + h, pc:pc + w] = x
        else:
            padded = x
        out = xp.empty((b, c, nr, nc, nh, nw), dtype=x.dtype)
        if out.size:
            for i, j, sl in geo.cell_slices():
                out[:, :, :, :, i, j] = padded[sl]
        return out.reshape(b * c * nr * nc, nh * nw)

    def infer_shape(self, node, shapes):
        _, neib_shape, neib_step = node.inputs
        b, c, h, w = shapes[0]
        ns = _entries(neib_shape)
        st = _entries(neib_step)
        counts = [_symbolic_count(self.mode, r, n, s) for r, n, s in zip((h, w), ns, st)]
        return [(b * c * counts[0] * counts[1], ns[0] * ns[1])]

    def L_op(self, inputs, outputs, grads):
        x, neib_shape, neib_step = inputs
        (g,) = grads
        return [Images2NeibsGrad(self.mode)(g, x, neib_shape, neib_step),
                disconnected_type(), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False], [False]]

    def __str__(self):
        return f"Images2Neibs{{{self.mode}}}"

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [self(eval_points[0], *inputs[1:])]


class Images2NeibsGrad(Op):
    """The transpose of Images2Neibs: ``(neibs, ten4, neib_shape, neib_step)`` -> an array
    shaped like `ten4` where each pixel is the sum of the rows entries taken from it
    (`ten4` only gives the shape)."""

    __props__ = ("mode",)

    def __init__(self, mode="valid"):
        if mode not in MODES:
            raise NotImplementedError(f"Images2NeibsGrad: unknown mode {mode!r}")
        self.mode = mode

    def make_node(self, neibs, ten4, neib_shape, neib_step):
        neibs, ten4 = B.as_tensor_variable(neibs), B.as_tensor_variable(ten4)
        if neibs.type.ndim != 2 or ten4.type.ndim != 4:
            raise TypeError(f"Images2NeibsGrad needs a matrix and a 4-d tensor, got "
                            f"{neibs.type} and {ten4.type}")
        return Apply(self, [neibs, ten4, _as_pair(neib_shape, "neib_shape"),
                            _as_pair(neib_step, "neib_step")],
                     [TensorType(neibs.type.dtype, ten4.type.broadcastable)()])

    def impl(self, xp, neibs, x, neib_shape, neib_step):
        geo = _geometry(self.mode, x, neib_shape, neib_step)
        (nr, nc), (nh, nw) = geo.count, geo.shape
        b, c = x.shape[:2]
        g = neibs.reshape(b, c, nr, nc, nh, nw)
        padded = xp.zeros((b, c) + geo.extent, dtype=neibs.dtype)
        if g.size:
            for i, j, sl in geo.cell_slices():
                padded[sl] += g[:, :, :, :, i, j]
        if geo.wrap:
            h, w = geo.image
            rows = xp.zeros((b, c, h, geo.extent[1]), dtype=neibs.dtype)
            scatter_add(xp, rows, (slice(None), slice(None), xp.asarray(geo.wrapped_index(0))),
                        padded)
            out = xp.zeros((b, c, h, w), dtype=neibs.dtype)
            scatter_add(xp, out, (slice(None), slice(None), slice(None),
                                  xp.asarray(geo.wrapped_index(1))), rows)
            return out
        (pr, pc), (h, w) = geo.pad, geo.image
        return xp.ascontiguousarray(padded[:, :, pr:pr + h, pc:pc + w])

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def L_op(self, inputs, outputs, grads):
        _, _, neib_shape, neib_step = inputs
        (g,) = grads
        return [Images2Neibs(self.mode)(g, neib_shape, neib_step)] + [
            disconnected_type() for _ in range(3)]

    def connection_pattern(self, node):
        return [[True], [False], [False], [False]]

    def __str__(self):
        return f"Images2NeibsGrad{{{self.mode}}}"

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [self(eval_points[0], *inputs[1:])]


def _entries(v):
    if isinstance(v, Constant):
        return tuple(int(e) for e in np.asarray(v.data).reshape(-1))
    return (v[0], v[1])


def _symbolic_count(mode, r, n, s):
    """Number of windows along an axis of length `r` (ints or symbolic scalars)."""
    if mode == "wrap_centered":
        return -((-r) // s)
    pad = {"half": n // 2, "full": n - 1}.get(mode, 0)
    count = (r + 2 * pad - n) // s + 1
    if any(isinstance(v, Variable) for v in (r, n, s)):
        return M.maximum(count, 0)
    return max(count, 0)


def images2neibs(ten4, neib_shape, neib_step=None, mode="valid"):
    """The `neib_shape` windows of each (batch, channel) image of `ten4` as matrix rows.

    Parameters
    ----------
    ten4 : 4-d tensor (batch, channel, row, column)
    neib_shape : pair of ints (or an integer vector)
        Window size (rows, columns).
    neib_step : pair, optional
        Step between windows; defaults to `neib_shape` (non-overlapping windows).
    mode : {'valid', 'ignore_borders', 'half', 'full', 'wrap_centered'}

    Returns
    -------
    A matrix with ``prod(neib_shape)`` columns and one row per window, ordered by batch,
    channel, window row and window column.
    """
    return Images2Neibs(mode)(ten4, neib_shape, neib_step)


def neibs2images(neibs, neib_shape, original_shape, mode="valid"):
    """Rebuild images from the rows of ``images2neibs(images, neib_shape, mode=mode)``
    taken with the default step (non-overlapping windows).

    `original_shape` is the images' 4-d shape.  In ``ignore_borders`` mode the pixels
    that no window covered come back as zeros.
    """
    if mode not in ("valid", "ignore_borders"):
        raise NotImplementedError(f"neibs2images do not support mode={mode}; only 'valid' "
                                  "and 'ignore_borders' windows can be put back")
    neibs = B.as_tensor_variable(neibs)
    if isinstance(neib_shape, (list, tuple)):
        nh, nw = neib_shape
    else:
        neib_shape = B.as_tensor_variable(neib_shape)
        nh, nw = neib_shape[0], neib_shape[1]
    if isinstance(original_shape, (list, tuple)):
        b, c, h, w = original_shape
    else:
        original_shape = B.as_tensor_variable(original_shape)
        b, c, h, w = (original_shape[k] for k in range(4))
    rows, cols = h // nh, w // nw
    blocks = B.reshape(neibs, (b, c, rows, cols, nh, nw), ndim=6)
    images = B.reshape(blocks.dimshuffle(0, 1, 2, 4, 3, 5), (b, c, rows * nh, cols * nw),
                       ndim=4)
    if mode == "ignore_borders":
        full = B.zeros((b, c, h, w), dtype=neibs.type.dtype)
        images = set_subtensor(full[:, :, :rows * nh, :cols * nw], images)
    return images


# Theano's module path (reprs, pickles).
for _cls in (Images2Neibs,):
    _cls.__module__ = "theano.tensor.nnet.neighbours"
del _cls
