"""theano.tensor.nnet.conv: the old convolution interface (``conv.conv2d`` and ``ConvOp``).

Scripts of the Theano 0.x era (the DeepLearningTutorials' LeNet among them) call
``conv.conv2d(input, filters, filter_shape=..., image_shape=...)``.  It is a true
convolution (kernels flipped) with border modes 'valid' and 'full' only, and the shapes
given are *checked* at run time, as Theano's ConvOp did.  The arithmetic and the
gradients are those of ``abstract_conv.AbstractConv2d``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ...graph.basic import Apply, Variable  # noqa: F401 - names of Theano's module
from .. import basic as B
from ..basic import (NotScalarConstantError, as_tensor_variable,  # noqa: F401
                     get_scalar_constant_value)
from ..type import patternbroadcast  # noqa: F401
from .abstract_conv import AbstractConv2d
from .abstract_conv import get_conv_output_shape, get_conv_shape_1axis  # noqa: F401
from ...utils import lazy_names

# Theano's flag for its SciPy-based perform(); SciPy is a dependency of this project (and
# the arithmetic is abstract_conv's, which needs no SciPy at all).
imported_scipy_signal = True
xrange = range


def _hint(v):
    """A shape hint entry as an int or None (constant scalars are read)."""
    if v is None:
        return None
    if isinstance(v, (int, np.integer)):
        return int(v)
    try:
        return int(B.get_scalar_constant_value(v, only_process_constants=True))
    except (B.NotScalarConstantError, TypeError):
        return None


class ConvOp(AbstractConv2d):
    """Theano's old 2-d convolution Op (``output_mode`` 'valid' or 'full').

    imshp: (channels, rows, cols) or (rows, cols); kshp: (rows, cols); nkern: number of
    kernels; bsize: batch size; dx, dy: strides.  Shapes given here must match the
    arguments at run time (ValueError otherwise).  The unroll_*, openmp, version and
    verbose arguments tuned Theano's generated C code; they are accepted and ignored.
    """

    def __init__(self, imshp=None, kshp=None, nkern=None, bsize=None, dx=1, dy=1,
                 output_mode="valid", unroll_batch=None, unroll_kern=None, unroll_patch=None,
                 imshp_logical=None, kshp_logical=None, kshp_logical_top_aligned=True,
                 verbose=0, version=-1, direction_hint="forward", openmp=None):
        if output_mode not in ("valid", "full"):
            raise NotImplementedError(
                f"Mode {output_mode} not implemented: the old conv.conv2d/ConvOp supports "
                "border_mode 'valid' and 'full' only; use theano.tensor.nnet.conv2d for "
                "'half' or explicit padding")
        imshp = tuple(_hint(v) for v in imshp) if imshp is not None else (None, None, None)
        if len(imshp) == 2:
            imshp = (1,) + imshp
        kshp = tuple(_hint(v) for v in kshp) if kshp is not None else (None, None)
        for name, logical, physical in (("imshp_logical", imshp_logical, imshp),
                                        ("kshp_logical", kshp_logical, kshp)):
            if logical is not None and tuple(logical) != tuple(physical):
                raise NotImplementedError(
                    f"ConvOp({name}=...) (a logical shape differing from the physical one, "
                    "used by Theano's own gradient graphs) is not supported; use "
                    "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs/_weights")
        self.out_mode = output_mode
        self.dx, self.dy = int(dx), int(dy)
        self.bsize, self.nkern = _hint(bsize), _hint(nkern)
        super().__init__(imshp=(self.bsize,) + imshp, kshp=(self.nkern, imshp[0]) + kshp,
                         border_mode=output_mode, subsample=(self.dx, self.dy),
                         filter_flip=True)

    def make_node(self, inputs, kerns):
        inputs = B.as_tensor_variable(inputs)
        kerns = B.as_tensor_variable(kerns)
        if inputs.type.ndim != 4:
            raise TypeError(f'ConvOp (make_node) requires input be a 4D tensor; received '
                            f'"{inputs}" ({inputs.type.ndim} dims)')
        if kerns.type.ndim != 4:
            raise TypeError("make_node requires 4D tensor of kernels")
        if inputs.type.dtype != kerns.type.dtype:
            raise NotImplementedError(
                "The image and the kernel must have the same type."
                f"inputs({inputs.type.dtype}), kerns({kerns.type.dtype})")
        return super().make_node(inputs, kerns)

    def impl(self, xp, img, kern):
        checks = (("the batch size", self.imshp[0], img.shape[0]),
                  ("the number of kernels", self.kshp[0], kern.shape[0]),
                  ("the stack size", self.imshp[1], img.shape[1]),
                  ("the image rows", self.imshp[2], img.shape[2]),
                  ("the image columns", self.imshp[3], img.shape[3]),
                  ("the kernel rows", self.kshp[2], kern.shape[2]),
                  ("the kernel columns", self.kshp[3], kern.shape[3]))
        for what, hard, got in checks:
            if hard is not None and hard != got:
                raise ValueError(f"The hardcoded shape for {what} ({hard}) isn't the run "
                                 f"time shape ({got}).")
        return super().impl(xp, img, kern)


def _constant_shape(shape, what):
    """A shape hint (tuple, list or constant vector) as a tuple of ints and Nones; a
    non-constant entry raises NotScalarConstantError, as in Theano."""
    if shape is None:
        return None
    if isinstance(shape, Variable):  # a symbolic vector: its entries
        shape = [shape[i] for i in range(B.get_vector_length(shape))]
    out = []
    for v in shape:
        if v is None or isinstance(v, (int, np.integer)):
            out.append(None if v is None else int(v))
            continue
        try:
            out.append(int(B.get_scalar_constant_value(B.as_tensor_variable(v))))
        except NotScalarConstantError:
            raise NotScalarConstantError(
                f"The convolution need that the shape information are constant values. We "
                f"got {v} for the {what} parameter") from None
    return tuple(out)


def conv2d(input, filters, image_shape=None, filter_shape=None, border_mode="valid",  # noqa: A002
           subsample=(1, 1), **kargs):
    """Old-style 2-d convolution (kernels flipped) of a 4-d input (batch, channels, rows,
    cols) with 4-d filters (n_filters, channels, rows, cols).

    image_shape / filter_shape: optional full shapes, checked at run time.
    border_mode: 'valid' or 'full'.  subsample: (row stride, column stride).  Further
    keywords go to ConvOp.
    """
    # Theano 1.0.5 warned the same way (the old ConvOp path was deprecated).
    warnings.warn("theano.tensor.nnet.conv.conv2d is deprecated. Use theano.tensor.nnet.conv2d "
                  "instead.", UserWarning, stacklevel=2)
    image_shape = _constant_shape(image_shape, "image_shape")
    filter_shape = _constant_shape(filter_shape, "filter_shape")
    if image_shape is not None and filter_shape is not None:
        stack_i, stack_f = _hint(image_shape[1]), _hint(filter_shape[1])
        if stack_i is not None and stack_f is not None and stack_i != stack_f:
            raise AssertionError(f"conv2d: image_shape[1] ({stack_i}) and filter_shape[1] "
                                 f"({stack_f}) must agree (the number of input channels)")
    imshp = bsize = kshp = nkern = None
    if image_shape is not None:
        bsize, imshp = image_shape[0], tuple(image_shape[1:])
    if filter_shape is not None:
        nkern, kshp = filter_shape[0], tuple(filter_shape[2:])
    op = ConvOp(imshp=imshp, kshp=kshp, nkern=nkern, bsize=bsize, dx=subsample[0],
                dy=subsample[1], output_mode=border_mode, **kargs)
    return op(input, filters)


def gen_conv_code_unroll_batch_kern(d, unroll_bsize=1, unroll_ksize=1):
    """Theano's generator of ConvOp's unrolled C code: there is no C code here."""
    raise NotImplementedError(
        "gen_conv_code_unroll_batch_kern generated C code for Theano's ConvOp; theano_compat "
        "compiles no C (ConvOp computes with NumPy). Use ConvOp/conv2d directly.")


ConvOp.__module__ = "theano.tensor.nnet.conv"  # Theano's path, for reprs and pickles


# Names of Theano's module from higher layers (and theano.tensor.blas, initialised after
# this package), found where ``import theano`` put them.
_HIGHER = {"theano": ("theano_compat", None), "OpenMPOp": ("theano_compat.gof.op", "OpenMPOp"),
           "blas": ("theano_compat.tensor.blas", None)}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
