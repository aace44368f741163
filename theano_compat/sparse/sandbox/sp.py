"""Theano's ``theano.sparse.sandbox.sp``: convolution and max-pooling of flattened images
through a product with a constant sparse matrix of 0/1 entries.

``ConvolutionIndices.evaluate`` builds the pattern of a csc matrix M such that
``M . image`` (an image flattened in raster order, features first) stacks, for every output
position, the input pixels under the filter window there (pixels that fall outside the
image, in ``'full'`` mode, are left out: zero padding).  ``convolve`` multiplies that patch
stack by the filters; ``max_pool`` takes the maximum over each window.  The other names are
theano.sparse's, which Theano's module re-exported.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse
from six.moves import xrange  # noqa: F401 - a name of Theano's module

from ... import tensor
from ...graph.basic import Apply
from ...graph.op import Op
from ...tensor.opt import register_specialize  # noqa: F401
from ...utils import lazy_names
from .. import basic as sparse
from ..basic import (CSC, CSM, CSR, ColScaleCSC, Diag, EnsureSortedIndices,  # noqa: F401
                     Remove0, RowScaleCSC, SpSum, SquareDiagonal, clean, col_scale, csm_data,
                     csm_indices, csm_indptr, csm_properties, csm_shape, diag,
                     ensure_sorted_indices, remove0, row_scale, sp_sum, square_diagonal)


def _window_pattern(inshp, kshp, strides, mode):
    """(rows, cols, matrix shape, output shape) of the patch-stacking matrix.

    Row ``(p * nfeatures + f) * ksize + t`` of the matrix reads input pixel
    ``f, py + ty, px + tx`` (in the input's coordinates) for output position ``p = (py,
    px)`` and filter tap ``t = (ty, tx)``, raster order everywhere; in ``'full'`` mode the
    window starts ``kshp - 1`` pixels above and left of the image."""
    dx, dy = strides
    nfeat, height, width = (int(v) for v in inshp)
    kh, kw = (int(v) for v in kshp)
    ksize = kh * kw
    sign = -1 if mode == "valid" else 1
    outshp = np.int64(np.ceil((np.array([height, width]) + sign * np.array([kh, kw]) - sign)
                              / np.array([dy, dx], dtype="float64")))
    if np.any(outshp <= 0):
        raise ValueError("Invalid kernel", tuple(kshp), "and/or step size", (dx, dy),
                         "for given input shape", tuple(inshp))
    outsize = int(np.prod(outshp))
    shape = (outsize * ksize * nfeat, nfeat * height * width)
    offset = 0 if mode == "valid" else 1
    # Top-left corner of each output window, in the image's coordinates.
    ys = np.arange(outshp[0]) * dy - offset * (kh - 1)
    xs = np.arange(outshp[1]) * dx - offset * (kw - 1)
    iy = ys[:, None, None, None] + np.arange(kh)[None, None, :, None]   # (oy, 1, ky, 1)
    ix = xs[None, :, None, None] + np.arange(kw)[None, None, None, :]   # (1, ox, 1, kx)
    iy, ix = np.broadcast_arrays(iy, ix)                                 # (oy, ox, ky, kx)
    inside = (iy >= 0) & (iy < height) & (ix >= 0) & (ix < width)
    position = np.arange(outsize).reshape(outshp[0], outshp[1], 1, 1)
    tap = np.arange(ksize).reshape(1, 1, kh, kw)
    rows, cols = [], []
    for f in range(nfeat):
        rows.append(((position * nfeat) * ksize + f * ksize + tap)[inside])
        cols.append((iy * width + ix + f * height * width)[inside])
    return np.concatenate(rows), np.concatenate(cols), shape, outshp


class ConvolutionIndices(Op):
    """The pattern (csc ``indices``, ``indptr``, shape) of the sparse matrix that stacks the
    image patches a convolution reads (see the module docstring); ``evaluate`` computes it
    from the static shapes."""

    __props__ = ()

    @staticmethod
    def conv_eval(inshp, kshp, strides=(1, 1), mode="valid"):
        """``evaluate(inshp, kshp, strides, mode=mode)``."""
        return convolution_indices.evaluate(inshp, kshp, strides, mode=mode, ws=True)

    @staticmethod
    def evaluate(inshp, kshp, strides=(1, 1), nkern=1, mode="valid", ws=True):
        """(indices, indptr, matrix shape, ``'csc'``, output shape) for images of shape
        `inshp` ((height, width) or (features, height, width)), kernels of shape `kshp`,
        steps `strides` = (dx, dy) and `mode` 'valid' or 'full'.  `ws` (weight sharing)
        must be True, as in Theano 1.0.5."""
        if not ws:
            raise ValueError("ConvolutionIndices.evaluate: ws=False is obsolete (Theano "
                             "1.0.5 refused it too); weights are always shared")
        if mode not in ("valid", "full"):
            raise ValueError(f"ConvolutionIndices.evaluate: mode must be 'valid' or 'full', "
                             f"got {mode!r}")
        inshp = tuple(inshp)
        if len(inshp) == 2:
            inshp = (1,) + inshp
        rows, cols, shape, outshp = _window_pattern(inshp, kshp, strides, mode)
        matrix = scipy.sparse.csc_matrix((np.ones(rows.size), (rows, cols)), shape=shape)
        matrix.sort_indices()
        return matrix.indices[:matrix.nnz], matrix.indptr, shape, "csc", outshp

    def make_node(self, inshp, kshp):
        inshp, kshp = tensor.as_tensor_variable(inshp), tensor.as_tensor_variable(kshp)
        ivec = tensor.ivector
        return Apply(self, [inshp, kshp], [ivec(), ivec(), ivec()])

    def perform(self, node, inputs, outputs):
        indices, indptr, shape, _, _ = self.evaluate(tuple(inputs[0]), tuple(inputs[1]))
        outputs[0][0] = np.asarray(indices, dtype="int32")
        outputs[1][0] = np.asarray(indptr, dtype="int32")
        outputs[2][0] = np.asarray(shape, dtype="int32")


ConvolutionIndices.__module__ = "theano.sparse.sandbox.sp"
convolution_indices = ConvolutionIndices()


def _patches(images, imgshp, kshp, step, mode):
    """(patch stack rows of one output position and feature per row, output shape): the
    product of the patch-stacking matrix with the flattened `images` (batch x pixels)."""
    indices, indptr, spmat_shape, sptype, outshp = convolution_indices.conv_eval(
        imgshp, kshp, step, mode)
    matrix = CSM(sptype)(np.ones(indices.size), indices, indptr, spmat_shape)
    return sparse.structured_dot(matrix, images.T).T, outshp


def convolve(kerns, kshp, nkern, images, imgshp, step=(1, 1), bias=None, mode="valid",
             flatten=True):
    """Convolution of flattened `images` (batch x pixels, features first then rows in
    raster order) with `nkern` filters `kerns` (nkern x features*prod(kshp), taps in raster
    order), through a sparse matrix product.

    Returns (output, its logical shape ``(nkern, height, width)``); the output is batch x
    nkern*height*width (each feature map contiguous) when `flatten`, else batch x nkern x
    height*width.  `step` = (dx, dy); `mode` 'valid' or 'full' (zero padding); `bias` (one
    value per filter) is added to every output pixel.  The filter is applied without
    flipping (a correlation), as in Theano."""
    kern_size = np.int64(np.prod(kshp))
    if np.size(imgshp) == 2:
        imgshp = (1,) + tuple(imgshp)
    patches, outshp = _patches(images, imgshp, kshp, step, mode)
    n_out = tensor.as_tensor(np.prod(outshp))
    stack_shape = tensor.stack([images.shape[0] * n_out,
                                tensor.as_tensor(imgshp[0] * kern_size)])
    output = tensor.dot(tensor.reshape(patches, stack_shape, ndim=2), kerns.T)
    if bias is not None:
        output += bias
    maps = tensor.reshape(output, tensor.stack([images.shape[0], n_out,
                                                tensor.as_tensor(nkern)]), ndim=3)
    output = maps.dimshuffle(0, 2, 1)
    if flatten:
        output = tensor.flatten(output, 2)
    return output, np.hstack((nkern, outshp))


def max_pool(images, imgshp, maxpoolshp):
    """Max-pooling of flattened `images` (batch x pixels, as for `convolve`) over
    non-overlapping windows of shape `maxpoolshp` (the ones that fit: 'valid').

    Returns (output batch x features*height*width, feature maps contiguous, and the
    pooled shape (height, width))."""
    poolsize = np.int64(np.prod(maxpoolshp))
    if np.size(imgshp) == 2:
        imgshp = (1,) + tuple(imgshp)
    patches, outshp = _patches(images, imgshp, maxpoolshp, maxpoolshp, "valid")
    n_out = tensor.as_tensor(np.prod(outshp))
    windows = tensor.reshape(patches, tensor.stack([images.shape[0] * n_out,
                                                    tensor.as_tensor(imgshp[0]),
                                                    tensor.as_tensor(poolsize)]), ndim=3)
    pooled = tensor.max(windows, axis=2)
    pooled = tensor.reshape(pooled, tensor.stack([images.shape[0], n_out,
                                                  tensor.as_tensor(imgshp[0])]), ndim=3)
    return tensor.flatten(pooled.dimshuffle(0, 2, 1), 2), outshp


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
