"""theano.tensor.fourier: the complex FFT of NumPy (``np.fft.fft``) along one axis.

``fft(a, n, axis)`` (``fft`` is the ``Fourier`` Op) gives a complex128 array: `a` cropped
or zero-padded to length `n` along `axis` (default: its length; the last axis) and
transformed.  theano.tensor.fft has the real-input FFTs.  The gradient views the
transform as a complex-differentiable function (only for a constant axis), as Theano's.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import math

import sys

import numpy as np

from ..graph.basic import Apply
from ..graph.op import Op
from ..scalar import dtypes as D
from . import basic as tensor
from .subtensor import set_subtensor
from .type import TensorType

__all__ = ["Fourier", "fft"]


class Fourier(Op):
    """``np.fft.fft(a, n, axis)``: inputs ``(a, n, axis)``, a complex128 output."""

    __props__ = ()
    __module__ = "theano.tensor.fourier"

    def make_node(self, a, n, axis):
        a = tensor.as_tensor_variable(a)
        name = type(self).__name__
        if a.type.ndim < 1:
            raise TypeError(f"{name}: input must be an array, not a scalar")
        if axis is None:
            axis = tensor.as_tensor_variable(a.type.ndim - 1)
        else:
            axis = tensor.as_tensor_variable(axis)
            if axis.type.dtype not in D.integer_dtypes:
                raise TypeError(f"{name}: index of the transformed axis must be of type "
                                "integer")
            if axis.type.ndim != 0 or (isinstance(axis, tensor.TensorConstant) and
                                       (axis.data < 0 or axis.data > a.type.ndim - 1)):
                raise TypeError(f"{name}: index of the transformed axis must be a scalar "
                                "not smaller than 0 and smaller than dimension of array")
        if n is None:
            n = tensor.as_tensor_variable(a.shape[axis])
        else:
            n = tensor.as_tensor_variable(n)
            if n.type.dtype not in D.integer_dtypes:
                raise TypeError(f"{name}: length of the transformed axis must be of type "
                                "integer")
            if n.type.ndim != 0 or (isinstance(n, tensor.TensorConstant) and n.data < 1):
                raise TypeError(f"{name}: length of the transformed axis must be a "
                                "strictly positive scalar")
        return Apply(self, [a, n, axis],
                     [TensorType("complex128", a.type.broadcastable)()])

    def infer_shape(self, node, in_shapes):
        shape_a = in_shapes[0]
        n, axis = node.inputs[1], node.inputs[2]
        if len(shape_a) == 1:
            return [(n,)]
        if isinstance(axis, tensor.TensorConstant):
            k = int(axis.data)
            return [tuple(shape_a[:k]) + (n,) + tuple(shape_a[k + 1:])]
        return [tuple(tensor.switch(tensor.eq(axis, i), n, d) for i, d in enumerate(shape_a))]

    def perform(self, node, inputs, output_storage, params=None):
        a, n, axis = inputs
        output_storage[0][0] = np.fft.fft(a, n=int(n), axis=int(axis))

    def grad(self, inputs, cost_grad):
        a, n, axis = inputs
        (g,) = cost_grad
        if not isinstance(axis, tensor.TensorConstant):
            raise NotImplementedError(f"{type(self).__name__}: gradient is currently "
                                      "implemented only for axis being a Theano constant")
        axis = int(axis.data)
        elem = tensor.arange(0, tensor.shape(a)[axis], 1)
        freq = tensor.arange(0, n, 1)
        pow_outer = tensor.exp(((-2 * math.pi * 1j) * tensor.outer(freq, elem)) / (1.0 * n))
        res = tensor.tensordot(g, pow_outer, (axis, 0))
        flip = list(range(a.type.ndim))[::-1]
        res = res.dimshuffle(flip)
        res = tensor.switch(tensor.lt(n, tensor.shape(a)[axis]),
                            set_subtensor(res[n::], 0, False, False), res)
        res = res.dimshuffle(flip)
        order = list(range(axis)) + [a.type.ndim - 1] + list(range(axis, a.type.ndim - 1))
        return [res.dimshuffle(*order), None, None]


fft = Fourier()


def __getattr__(name):
    # ``gof``: theano.gof, a layer above this one, looked up once loaded (never imported).
    if name == "gof":
        module = sys.modules.get(__name__.split(".")[0] + ".gof")
        if module is not None:
            return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"gof"})
