"""theano.sandbox.fourier: Theano's old FFT Ops on matrices and the DCT matrix.

``fft(frames, n, axis)`` is ``np.fft.fft(frames, n, axis)`` of a matrix (a complex128
matrix); ``ifft`` the inverse; ``half_fft`` / ``half_ifft`` keep the first half of the
frequencies along `axis` (0 or 1; an even length).  The Ops have no gradient (``grad_todo``
stands in, and raises when computed), as in Theano.  Importing the module warns that it is
deprecated in favour of theano.tensor.fft, as Theano's did.
"""

from __future__ import absolute_import, division, print_function  # noqa: F401

import warnings

import numpy as np
import numpy  # noqa: F401,ICN001 - Theano's module imported both names

from .. import tensor
from ..gof import Apply, Op, generic

xrange = range

message = ("The module theano.sandbox.fourier will soon be deprecated."
           " Please use theano.tensor.fft, which supports gradients and "
           "automatic optimization transfers to the GPU ops.")
warnings.warn(message, stacklevel=2)


class GradTodo(Op):
    """A placeholder gradient: building it works, computing it raises."""

    __props__ = ()

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        raise NotImplementedError(
            "TODO: theano.sandbox.fourier.fft has no gradient (Theano's grad_todo placeholder "
            "raised the same); use theano.tensor.fft.rfft / irfft, which are differentiable")


grad_todo = GradTodo()


class FFT(Op):
    """n-point FFT of a matrix along `axis` (outputs: the complex spectrogram and a buffer
    of generic type that Theano reserved and never filled)."""

    default_output = 0
    __props__ = ("half", "inverse")

    def __init__(self, half=False, inverse=False):
        self.half = half
        self.inverse = inverse

    def make_node(self, frames, n, axis):
        _frames = tensor.as_tensor(frames, ndim=2)
        _n = tensor.as_tensor(n, ndim=0)
        _axis = tensor.as_tensor(axis, ndim=0)
        if self.half and _frames.type.dtype.startswith("complex"):
            raise TypeError("Argument to HalfFFT must not be complex", frames)
        return Apply(self, [_frames, _n, _axis], [tensor.zmatrix(), generic()])

    def perform(self, node, inputs, outputs, params=None):
        frames, n, axis = inputs
        spectrogram, _buf = outputs
        fft_fn = np.fft.ifft if self.inverse else np.fft.fft
        axis = int(axis)
        out = fft_fn(frames, int(n), axis)
        if self.half:
            if axis not in (0, 1):
                raise NotImplementedError("half FFT along axis 0 or 1 of a matrix only")
            length = out.shape[axis]
            if length % 2:
                raise ValueError("halfFFT on odd-length vectors is undefined")
            out = out[: length // 2] if axis == 0 else out[:, : length // 2]
        spectrogram[0] = np.asarray(out, dtype="complex128")

    def grad(self, inputs, output_grads):
        frames, _n, _axis = inputs
        return [grad_todo(frames), None, None]


fft = FFT(half=False, inverse=False)
half_fft = FFT(half=True, inverse=False)
ifft = FFT(half=False, inverse=True)
half_ifft = FFT(half=True, inverse=True)


def dct_matrix(rows, cols, unitary=True):
    """A (rows x cols) matrix of the discrete cosine transform (DCT-II): row i is
    ``cos(i * (2k + 1) * pi / (2 * cols)) * sqrt(2 / cols)``; with `unitary` row 0 is scaled
    by ``sqrt(1/2)``."""
    k = np.arange(cols)
    out = np.array([np.cos(i * (k * 2 + 1) / (2.0 * cols) * np.pi) for i in range(rows)])
    out = out.reshape(rows, cols) * np.sqrt(2.0 / cols)
    if unitary and rows:
        out[0] *= np.sqrt(0.5)
    return out


for _cls in (GradTodo, FFT):
    _cls.__module__ = "theano.sandbox.fourier"
