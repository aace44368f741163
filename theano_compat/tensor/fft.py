"""theano.tensor.fft: real-input FFTs over all but the first (batch) axis, with gradients.

``rfft(x)`` of an ``(m, ..., n)`` real array is ``(m, ..., n//2+1, 2)``: NumPy's
``rfftn`` over the trailing axes, its real and imaginary parts stacked on a last axis of
length 2 (in the input's dtype).  ``irfft`` inverts it; ``norm`` is None (only the
inverse is divided by the size), ``'ortho'`` (both by its square root) or ``'no_norm'``.
``RFFTOp`` / ``IRFFTOp`` compute the unnormalised transforms; ``s`` is the size of the
transformed axes.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import sys

import numpy as np

from ..graph.basic import Apply
from ..graph.null import DisconnectedType, disconnected_type  # noqa: F401
from ..graph.op import Op
from ..scalar import dtypes as D
from . import basic as T
from .subtensor import set_subtensor
from .type import TensorType

__all__ = ["RFFTOp", "IRFFTOp", "rfft_op", "irfft_op", "rfft", "irfft"]


def _size_input(op, s, default):
    if s is None:
        return T.as_tensor_variable(default)
    s = T.as_tensor_variable(s)
    if s.type.dtype not in D.integer_dtypes:
        raise TypeError(f"{type(op).__name__}: length of the transformed axis must be of "
                        "type integer")
    return s


def _half_spectrum_slice(ndim, s):
    """The entries of a half spectrum (last axis: re/im) counted twice by the full one."""
    return tuple([slice(None)] * (ndim - 2) + [slice(1, (s[-1] // 2) + (s[-1] % 2)),
                                                slice(None)])


class RFFTOp(Op):
    """Unnormalised ``rfftn`` over axes 1..: inputs ``(a, s)``, output ``(..., 2)``."""

    __props__ = ()
    __module__ = "theano.tensor.fft"

    def output_type(self, inp):
        return TensorType(inp.dtype, (False,) * (inp.type.ndim + 1))

    def make_node(self, a, s=None):
        a = T.as_tensor_variable(a)
        if a.type.ndim < 2:
            raise TypeError(f"{type(self).__name__}: input must have dimension > 2, with "
                            "first dimension batches")
        s = _size_input(self, s, a.shape[1:] if s is None else None)
        return Apply(self, [a, s], [self.output_type(a)()])

    def perform(self, node, inputs, output_storage, params=None):
        a, s = inputs
        spectrum = np.fft.rfftn(a, s=tuple(int(v) for v in s),
                                axes=tuple(range(1, a.ndim)))
        out = np.empty(spectrum.shape + (2,), dtype=a.dtype)
        out[..., 0], out[..., 1] = spectrum.real, spectrum.imag
        output_storage[0][0] = out

    def infer_shape(self, node, shapes):
        a, s = node.inputs
        last = s[-1] // 2 + 1
        return [(shapes[0][0],) + tuple(s[i] for i in range(a.type.ndim - 2))
                + (last, 2)]

    def grad(self, inputs, output_grads):
        (gout,) = output_grads
        s = inputs[1]
        idx = _half_spectrum_slice(gout.type.ndim, s)
        gout = set_subtensor(gout[idx], gout[idx] * 0.5)
        return [irfft_op(gout, s), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


rfft_op = RFFTOp()


class IRFFTOp(Op):
    """Unnormalised ``irfftn`` (times the size) over axes 1..: inputs ``(a, s)``, `a` of
    shape ``(..., n//2+1, 2)``."""

    __props__ = ()
    __module__ = "theano.tensor.fft"

    def output_type(self, inp):
        return TensorType(inp.dtype, (False,) * (inp.type.ndim - 1))

    def make_node(self, a, s=None):
        a = T.as_tensor_variable(a)
        if a.type.ndim < 3:
            raise TypeError(f"{type(self).__name__}: input must have dimension >= 3,  with "
                            "first dimension batches and last real/imag parts")
        default = None
        if s is None:
            default = a.shape[1:-1]
            default = set_subtensor(default[-1], (default[-1] - 1) * 2)
        s = _size_input(self, s, default)
        return Apply(self, [a, s], [self.output_type(a)()])

    def perform(self, node, inputs, output_storage, params=None):
        a, s = inputs
        spectrum = a[..., 0] + 1j * a[..., 1]
        out = np.fft.irfftn(spectrum, s=tuple(int(v) for v in s),
                            axes=tuple(range(1, spectrum.ndim)))
        output_storage[0][0] = (out * np.prod(s)).astype(a.dtype)

    def infer_shape(self, node, shapes):
        a, s = node.inputs
        return [(shapes[0][0],) + tuple(s[i] for i in range(a.type.ndim - 2))]

    def grad(self, inputs, output_grads):
        (gout,) = output_grads
        s = inputs[1]
        gf = rfft_op(gout, s)
        idx = _half_spectrum_slice(gf.type.ndim, s)
        gf = set_subtensor(gf[idx], gf[idx] * 2)
        return [gf, disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]


irfft_op = IRFFTOp()


def _unitary(norm):
    if norm not in (None, "ortho", "no_norm"):
        raise ValueError(f"Invalid value {norm} for norm, must be None, 'ortho' or "
                         "'no norm'")
    return norm


def rfft(inp, norm=None):
    """The FFT of a real ``(m, ..., n)`` input over all axes but the first: an
    ``(m, ..., n//2+1, 2)`` array of real and imaginary parts."""
    s = inp.shape[1:]
    scaling = 1
    if _unitary(norm) == "ortho":
        scaling = T.sqrt(s.prod().astype(inp.dtype))
    return rfft_op(inp, s) / scaling


def irfft(inp, norm=None, is_odd=False):
    """The real inverse of `rfft`: ``(m, ..., n//2+1, 2)`` -> ``(m, ..., n)`` (``n`` odd
    with ``is_odd=True``)."""
    if is_odd not in (True, False):
        raise ValueError(f"Invalid value {is_odd} for id_odd, must be True or False")
    s = inp.shape[1:-1]
    s = set_subtensor(s[-1], (s[-1] - 1) * 2 + (1 if is_odd else 0))
    norm = _unitary(norm)
    scaling = 1
    if norm is None:
        scaling = s.prod().astype(inp.dtype)
    elif norm == "ortho":
        scaling = T.sqrt(s.prod().astype(inp.dtype))
    return irfft_op(inp, s) / scaling


def __getattr__(name):
    # ``gof``: theano.gof, a layer above this one, looked up once loaded (never imported).
    if name == "gof":
        module = sys.modules.get(__name__.split(".")[0] + ".gof")
        if module is not None:
            return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"gof"})
