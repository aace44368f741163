"""theano.tensor.nnet.conv3d2d: the older 3-d convolution with time-major layout.

``conv3d(signals, filters)`` takes signals (batch, time, channels, rows, cols) and
filters (n_filters, time, channels, rows, cols) -- time before channels -- and computes a
true 3-d convolution (kernels flipped along all three axes), returning (batch, time,
n_filters, rows, cols).  Theano built it from 2-d convolutions; here it is
``abstract_conv.conv3d`` between two axis permutations.
"""

from __future__ import annotations

from .. import basic as B
from .abstract_conv import conv3d as _conv3d


def _modes(border_mode):
    if isinstance(border_mode, str):
        border_mode = (border_mode,) * 3
    border_mode = tuple(border_mode)
    if len(border_mode) != 3 or any(m not in ("valid", "full") for m in border_mode):
        raise ValueError(f"invalid border_mode {border_mode!r}: conv3d2d.conv3d takes 'valid', "
                         "'full' or a tuple of three of them (time, rows, cols)")
    return border_mode


def _zero_pad(x, axis, pad):
    """`x` with `pad` (symbolic) zeros before and after along `axis`."""
    shape = [x.shape[i] for i in range(x.type.ndim)]
    shape[axis] = pad
    zeros = B.zeros(shape, dtype=x.type.dtype)
    return B.concatenate([zeros, x, zeros], axis=axis)


def conv3d(signals, filters, signals_shape=None, filters_shape=None, border_mode="valid"):
    """3-d convolution of signals (batch, time, channels, rows, cols) with filters
    (n_filters, time, channels, rows, cols); border_mode 'valid', 'full' or one of them per
    (time, rows, cols) axis.  The shapes are optional hints in the same layouts."""
    signals = B.as_tensor_variable(signals)
    filters = B.as_tensor_variable(filters)
    modes = _modes(border_mode)
    x = signals.dimshuffle(0, 2, 1, 3, 4)
    w = filters.dimshuffle(0, 2, 1, 3, 4)
    padded = False
    if modes == ("full",) * 3:
        mode = "full"
    else:
        # 'full' on some axes only: pad those by kernel - 1 (symbolic), then 'valid'.
        mode = "valid"
        for axis, m in enumerate(modes):
            if m == "full":
                x = _zero_pad(x, 2 + axis, w.shape[2 + axis] - 1)
                padded = True
    order = (0, 2, 1, 3, 4)
    hint = None if signals_shape is None or padded else tuple(signals_shape[i] for i in order)
    khint = None if filters_shape is None else tuple(filters_shape[i] for i in order)
    out = _conv3d(x, w, input_shape=hint, filter_shape=khint, border_mode=mode)
    return out.dimshuffle(0, 2, 1, 3, 4)
