"""theano.tensor.signal.conv: convolution of single images or stacks of them.

``conv2d(input, filters)`` convolves (kernels flipped) 2-d images with 2-d filters:

=============  ==============  ===================================
input          filters         output
=============  ==============  ===================================
(rows, cols)   (kr, kc)        (out_rows, out_cols)
(rows, cols)   (k, kr, kc)     (k, out_rows, out_cols)
(b, rows, c.)  (kr, kc)        (b, out_rows, out_cols)
(b, rows, c.)  (k, kr, kc)     (b, k, out_rows, out_cols)
=============  ==============  ===================================

It reshapes to the 4-d layout of ``theano.tensor.nnet.conv.conv2d`` (one channel) and
back, as Theano did.
"""

from __future__ import annotations

import sys

from .. import basic as B
from ..nnet import conv as nnet_conv

# Names of Theano's module: theano.tensor.nnet.conv, theano.tensor and the package.
conv = nnet_conv
tensor = sys.modules[__name__.rsplit(".", 2)[0]]
theano = sys.modules[__name__.split(".")[0]]


def conv2d(input, filters, image_shape=None, filter_shape=None, border_mode="valid",  # noqa: A002
           subsample=(1, 1), **kargs):
    """Convolve 2-d images (a (rows, cols) matrix or a (batch, rows, cols) stack) with 2-d
    filters (a matrix or a (n_filters, rows, cols) stack); see the module docstring for
    the output shapes.  border_mode 'valid' or 'full'; image_shape / filter_shape are
    optional shape hints of the same layouts, checked at run time."""
    input = B.as_tensor_variable(input)  # noqa: A001
    filters = B.as_tensor_variable(filters)
    if input.type.ndim not in (2, 3):
        raise AssertionError(f"signal.conv.conv2d: input must be 2-d or 3-d, got {input.type}")
    if filters.type.ndim not in (2, 3):
        raise AssertionError(f"signal.conv.conv2d: filters must be 2-d or 3-d, got "
                             f"{filters.type}")
    bsize = input.shape[0] if input.type.ndim == 3 else 1
    nkern = filters.shape[0] if filters.type.ndim == 3 else 1
    input4 = B.reshape(input, (bsize, 1, input.shape[-2], input.shape[-1]), ndim=4)
    filters4 = B.reshape(filters, (nkern, 1, filters.shape[-2], filters.shape[-1]), ndim=4)

    image_shape4 = filter_shape4 = None
    if image_shape is not None:
        image_shape = tuple(image_shape)
        b = image_shape[0] if len(image_shape) == 3 else 1
        image_shape4 = (b, 1) + image_shape[-2:]
    if filter_shape is not None:
        filter_shape = tuple(filter_shape)
        k = filter_shape[0] if len(filter_shape) == 3 else 1
        filter_shape4 = (k, 1) + filter_shape[-2:]

    out = nnet_conv.conv2d(input4, filters4, image_shape=image_shape4,
                           filter_shape=filter_shape4, border_mode=border_mode,
                           subsample=subsample, **kargs)
    rows, cols = out.shape[2], out.shape[3]
    if input.type.ndim == 2 and filters.type.ndim == 2:
        return B.reshape(out, (rows, cols), ndim=2)
    if input.type.ndim == 2:
        return B.reshape(out, (nkern, rows, cols), ndim=3)
    if filters.type.ndim == 2:
        return B.reshape(out, (bsize, rows, cols), ndim=3)
    return out
