"""theano.tensor.nnet.conv3d2d: the older 3-d convolution with time-major layout.

``conv3d(signals, filters)`` takes signals (batch, time, channels, rows, cols) and
filters (n_filters, time, channels, rows, cols) -- time before channels -- and computes a
true 3-d convolution (kernels flipped along all three axes), returning (batch, time,
n_filters, rows, cols).  Theano built it from 2-d convolutions; here it is
``abstract_conv.conv3d`` between two axis permutations.

The module also has Theano's DiagonalSubtensor / IncDiagonalSubtensor Ops (the diagonal
stripe of a tensor across two axes, and its gradient), which Theano's conv3d used.
"""

from __future__ import annotations


import numpy as np

from ...graph.basic import Apply
from ...graph.null import DisconnectedType
from ...graph.op import Op
from ...graph.optimizers import TopoOptimizer, copy_stack_trace, local_optimizer  # noqa: F401
from .. import basic as B
from .abstract_conv import conv3d as _conv3d
from ...utils import lazy_names


def get_diagonal_subtensor_view(x, i0, i1):
    """A view (no copy) of the ndarray `x`: along axis `i0`, row r of the result holds, for
    each j along axis `i1`, x[r + shape[i1] - 1 - j, ..., j] -- the diagonal stripe of the
    (i0, i1) matrices that discards their upper-left and lower-right triangles.  The
    result's length along `i0` is ``x.shape[i0] - x.shape[i1] + 1``."""
    i0, i1 = int(i0), int(i1)
    if x.shape[i0] < x.shape[i1]:
        raise NotImplementedError(
            f"get_diagonal_subtensor_view: x.shape[{i0}] ({x.shape[i0]}) must be at least "
            f"x.shape[{i1}] ({x.shape[i1]}), or the stripe does not reach across the matrix "
            "(as in Theano)")
    idx = [slice(None)] * x.ndim
    idx[i0] = slice(x.shape[i1] - 1, None)
    view = x[tuple(idx)]
    if x.shape[i1] != 1:
        strides = list(view.strides)
        strides[i1] -= strides[i0]
        view = np.lib.stride_tricks.as_strided(view, view.shape, strides,
                                               writeable=view.flags.writeable)
    return view


class DiagonalSubtensor(Op):
    """``op(x, i0, i1)``: a copy (a view when inplace) of ``get_diagonal_subtensor_view(x,
    i0, i1)``; `i0` and `i1` are axis numbers (scalars)."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.view_map = {0: [0]}

    def __str__(self):
        return f"{type(self).__name__}{{inplace}}" if self.inplace else type(self).__name__

    def make_node(self, x, i0, i1):
        x = B.as_tensor_variable(x)
        return Apply(self, [x, B.as_tensor_variable(i0), B.as_tensor_variable(i1)],
                     [x.type()])

    def perform(self, node, inputs, output_storage, params=None):
        view = get_diagonal_subtensor_view(*inputs)
        output_storage[0][0] = view if self.inplace else view.copy()

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [diagonal_subtensor(eval_points[0], inputs[1], inputs[2])]

    def grad(self, inputs, g_outputs):
        gx = inc_diagonal_subtensor(B.zeros_like(inputs[0]), inputs[1], inputs[2],
                                    g_outputs[0])
        return [gx, DisconnectedType()(), DisconnectedType()()]

    def connection_pattern(self, node):
        return [[True], [False], [False]]


diagonal_subtensor = DiagonalSubtensor(False)


class IncDiagonalSubtensor(Op):
    """``op(x, i0, i1, amt)``: `x` with `amt` added to its diagonal stripe (see
    ``get_diagonal_subtensor_view``); the gradient of DiagonalSubtensor."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return f"{type(self).__name__}{{inplace}}" if self.inplace else type(self).__name__

    def make_node(self, x, i0, i1, amt):
        x = B.as_tensor_variable(x)
        return Apply(self, [x, B.as_tensor_variable(i0), B.as_tensor_variable(i1),
                            B.as_tensor_variable(amt)], [x.type()])

    def perform(self, node, inputs, output_storage, params=None):
        x, i0, i1, amt = inputs
        if not self.inplace:
            x = x.copy()
        view = get_diagonal_subtensor_view(x, i0, i1)
        view += amt
        output_storage[0][0] = x

    def R_op(self, inputs, eval_points):
        x, i0, i1, amt = inputs
        ex, eamt = eval_points[0], eval_points[3]
        if ex is None and eamt is None:
            return [None]
        return [inc_diagonal_subtensor(B.zeros_like(x) if ex is None else ex, i0, i1,
                                       B.zeros_like(amt) if eamt is None else eamt)]

    def grad(self, inputs, g_outputs):
        _, i0, i1, _ = inputs
        gy = g_outputs[0]
        return [gy, DisconnectedType()(), DisconnectedType()(), diagonal_subtensor(gy, i0, i1)]

    def connection_pattern(self, node):
        return [[True], [False], [False], [True]]


inc_diagonal_subtensor = IncDiagonalSubtensor(False)

for _cls in (DiagonalSubtensor, IncDiagonalSubtensor):
    _cls.__module__ = "theano.tensor.nnet.conv3d2d"


@local_optimizer([DiagonalSubtensor, IncDiagonalSubtensor])
def local_inplace_DiagonalSubtensor(node):  # noqa: N802 - Theano's name
    """Rewrite DiagonalSubtensor / IncDiagonalSubtensor to their inplace versions (not
    registered in a pipeline here: the non-inplace Ops are what graphs compute with)."""
    if isinstance(node.op, (DiagonalSubtensor, IncDiagonalSubtensor)) and not node.op.inplace:
        new = type(node.op)(inplace=True)(*node.inputs)
        copy_stack_trace(node.outputs[0], new)
        return [new]
    return False




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


# Names of Theano's module from higher layers, found where ``import theano`` put them.
_HIGHER = {"theano": ("theano_compat", None), "tensor": ("theano_compat.tensor", None)}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
