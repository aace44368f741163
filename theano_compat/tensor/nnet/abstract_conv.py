"""theano.tensor.nnet.abstract_conv: 2-d and 3-d convolutions and their gradients.

Three Ops per dimensionality, as in Theano 1.0.5:

* ``AbstractConv2d(...)(img, kern)`` -- the convolution (``filter_flip=True``, the
  default) or cross-correlation of a batch of multi-channel images with a bank of
  kernels;
* ``AbstractConv2d_gradWeights(...)(img, topgrad, kernel_spatial_shape)`` -- its
  gradient w.r.t. the kernels;
* ``AbstractConv2d_gradInputs(...)(kern, topgrad, image_spatial_shape)`` -- its
  gradient w.r.t. the images, i.e. the transposed convolution (Lasagne's
  TransposedConv2DLayer calls this Op directly).

Each Op's gradient is built from the other two, so derivatives of any order exist.  The
arithmetic lives in ``corr.py`` (im2col + one matmul per group, on NumPy or CuPy).

Theano's typing is kept: the output has the image's dtype (the kernels are cast to it; a
kernel of another dtype made Theano 1.0.5 fail at compile time), batch and channel
broadcast flags come from the image and the kernels, spatial axes are never
broadcastable.  Shape hints (``input_shape``/``filter_shape``, ``imshp``/``kshp``) are
recorded on the Op, as Theano did, and never change the result.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ...config import config
from ...graph.basic import Apply, Variable
from ...graph.null import disconnected_type
from ...graph.op import Op
from ...scalar import dtypes as D
from .. import basic as B
from .. import math as M
from .. import elemwise_ops as E
from ..extra_ops import _AssertAll
from ..basic import (NotScalarConstantError, as_tensor_variable,  # noqa: F401
                     get_scalar_constant_value)
from ..type import TensorType, patternbroadcast
from . import _im2col as corr
from ...utils import lazy_names

# Python 2 compatibility names and flags of Theano's module.
integer_types = (int,)
xrange = range
gcd = math.gcd
# Theano's flag for SciPy's presence; SciPy is a dependency of this project.
imported_scipy_signal = True


def reraise(tp, value, tb=None):
    """Raise `value` (an instance of `tp`) with traceback `tb` (six.reraise)."""
    if value is None:
        value = tp()
    if value.__traceback__ is not tb:
        raise value.with_traceback(tb)
    raise value

# ----------------------------------------------------------------------------- shapes


def _pad_pair(border_mode, k_dil):
    """(before, after) padding of one axis for a normalised per-axis border mode."""
    if border_mode == "half":
        return k_dil // 2, k_dil // 2
    if border_mode == "full":
        return k_dil - 1, k_dil - 1
    if border_mode == "valid":
        return 0, 0
    if isinstance(border_mode, tuple):
        return border_mode
    return border_mode, border_mode


def get_conv_shape_1axis(image_shape, kernel_shape, border_mode, subsample, dilation=1):
    """Output length of a convolution along one axis (None if an argument is None).

    `border_mode` is 'valid', 'full', 'half', an int or a (before, after) pair; the
    arguments may be ints or symbolic scalars.
    """
    if any(v is None for v in (image_shape, kernel_shape, border_mode, subsample, dilation)):
        return None
    k_dil = (kernel_shape - 1) * dilation + 1
    lo, hi = _pad_pair(border_mode, k_dil)
    if subsample == 1:
        return image_shape + lo + hi - k_dil + 1
    return (image_shape + lo + hi - k_dil) // subsample + 1


def get_conv_output_shape(image_shape, kernel_shape, border_mode, subsample, filter_dilation=None):
    """(batch, n_kernels, *spatial) output shape of a convolution.

    `image_shape` is (batch, channels, *spatial), `kernel_shape` (n_kernels, channels,
    *spatial); entries may be ints, symbolic scalars or None (unknown).  `border_mode` is
    one mode for all axes or a tuple with one entry per spatial axis.
    """
    bsize, imshp = image_shape[0], tuple(image_shape[2:])
    convdim = len(image_shape) - 2
    nkern, kshp = kernel_shape[0], tuple(kernel_shape[-convdim:])
    if filter_dilation is None:
        filter_dilation = (1,) * convdim
    if isinstance(border_mode, tuple):
        modes = border_mode
    else:
        modes = (border_mode,) * convdim
    out = tuple(get_conv_shape_1axis(imshp[i], kshp[i], modes[i], subsample[i],
                                     filter_dilation[i]) for i in range(convdim))
    return (bsize, nkern) + out


def get_conv_gradweights_shape_1axis(image_shape, top_shape, border_mode, subsample, dilation):
    """Kernel length along one axis from the image and output lengths; None when it is
    ambiguous (stride > 1, 'half' mode) or an argument is None."""
    if any(v is None for v in (image_shape, top_shape, border_mode, subsample, dilation)):
        return None
    if subsample != 1 or border_mode == "half":
        return None
    if border_mode == "full":
        # out = image + k_dil - 1  =>  k_dil = out - image + 1
        k_dil = top_shape - image_shape + 1
    else:
        lo, hi = _pad_pair(border_mode, 0)
        k_dil = image_shape + lo + hi - top_shape + 1
    if dilation == 1:
        return k_dil
    return (k_dil - 1) // dilation + 1


def get_conv_gradweights_shape(image_shape, top_shape, border_mode, subsample,
                               filter_dilation=None, num_groups=1, unshared=False):
    """(n_kernels, channels // num_groups, *spatial) kernel shape of a convolution with
    the given image and output shapes (spatial entries None where ambiguous)."""
    if unshared:
        raise NotImplementedError(_UNSHARED)
    nkern, imshp = top_shape[1], tuple(image_shape[2:])
    convdim = len(image_shape) - 2
    topshp = tuple(top_shape[2:])
    stack = image_shape[1]
    if stack is not None and num_groups > 1:
        stack = stack // num_groups
    if filter_dilation is None:
        filter_dilation = (1,) * convdim
    modes = border_mode if isinstance(border_mode, tuple) else (border_mode,) * convdim
    out = tuple(get_conv_gradweights_shape_1axis(imshp[i], topshp[i], modes[i], subsample[i],
                                                 filter_dilation[i]) for i in range(convdim))
    return (nkern, stack) + out


def get_conv_gradinputs_shape_1axis(kernel_shape, top_shape, border_mode, subsample, dilation):
    """Image length along one axis from the kernel and output lengths; None when it is
    ambiguous (stride > 1) or an argument is None."""
    if any(v is None for v in (kernel_shape, top_shape, border_mode, subsample, dilation)):
        return None
    if subsample != 1:
        return None
    k_dil = (kernel_shape - 1) * dilation + 1
    lo, hi = _pad_pair(border_mode, k_dil)
    return top_shape + k_dil - 1 - lo - hi


def get_conv_gradinputs_shape(kernel_shape, top_shape, border_mode, subsample,
                              filter_dilation=None, num_groups=1):
    """(batch, channels, *spatial) image shape of a convolution with the given kernel and
    output shapes (spatial entries None where ambiguous)."""
    bsize, topshp = top_shape[0], tuple(top_shape[2:])
    convdim = len(top_shape) - 2
    nchan, kshp = kernel_shape[1], tuple(kernel_shape[-convdim:])
    if nchan is not None and num_groups > 1:
        nchan = nchan * num_groups
    if filter_dilation is None:
        filter_dilation = (1,) * convdim
    modes = border_mode if isinstance(border_mode, tuple) else (border_mode,) * convdim
    out = tuple(get_conv_gradinputs_shape_1axis(kshp[i], topshp[i], modes[i], subsample[i],
                                                filter_dilation[i]) for i in range(convdim))
    return (bsize, nchan) + out


def check_conv_gradinputs_shape(image_shape, kernel_shape, output_shape, border_mode, subsample,
                                filter_dilation=None):
    """Whether a convolution of `image_shape` by `kernel_shape` could give `output_shape`:
    False when a known entry (batch, channels or spatial) differs from the computed one,
    True otherwise -- entries that are None or not constant are accepted, as in Theano."""
    image_shape, kernel_shape = tuple(image_shape), tuple(kernel_shape)
    output_shape = tuple(output_shape)
    if len(image_shape) != len(kernel_shape) or len(image_shape) != len(output_shape):
        return False
    if len(image_shape) - 2 != len(subsample):
        return False
    if filter_dilation is not None and len(image_shape) - 2 != len(filter_dilation):
        return False
    computed = get_conv_output_shape(image_shape, kernel_shape, border_mode, subsample,
                                     filter_dilation)

    def known(v):
        if v is None:
            return None
        if not isinstance(v, Variable):
            return int(v)
        try:
            return int(B.get_scalar_constant_value(v))
        except B.NotScalarConstantError:
            return None

    for given, want in zip(output_shape, computed):
        given, want = known(given), known(want)
        if given is not None and want is not None and given != want:
            return False
    return True


def assert_conv_shape(shape):
    """`shape` with its batch and channel entries checked >= 0 and its spatial entries
    > 0: ints at once (ValueError), symbolic entries at run time (an assertion node)."""
    out = []
    for i, n in enumerate(shape):
        # batch and channels may be 0; a spatial length must be positive
        cmp, test = ("<", E.ge) if i < 2 else ("<=", E.gt)
        if isinstance(n, Variable):
            out.append(_AssertAll(f"The convolution would produce an invalid shape "
                                  f"(dim[{i}] {cmp} 0).")(n, test(n, 0)))
        elif n is not None and (n < 0 if i < 2 else n <= 0):
            raise ValueError(f"The convolution would produce an invalid shape "
                             f"(dim[{i}]: {n} {cmp} 0).")
        else:
            out.append(n)
    return tuple(out)


def assert_shape(x, expected_shape, msg="Unexpected shape."):
    """`x`, checked at run time to have `expected_shape` (None entries are not checked)
    when ``config.conv.assert_shape`` is set; `x` itself otherwise."""
    if expected_shape is None or not config.conv.assert_shape:
        return x
    shape = x.shape
    tests = [M.eq(shape[i], expected_shape[i]) for i in range(x.type.ndim)
             if expected_shape[i] is not None]
    if not tests:
        return x
    return _AssertAll(msg)(x, M.all(B.stack(tests)))


# ----------------------------------------------------------------------------- the Ops

_UNSHARED = ("unshared convolution (unshared=True: a separate kernel per output position) "
             "is not supported by theano_compat; use shared kernels (unshared=False), "
             "e.g. with num_groups, or one conv2d per output position")


def _int_tuple(value, convdim, name):
    if isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a tuple of {convdim} ints, got the int {value}")
    value = tuple(value)
    if len(value) != convdim:
        raise ValueError(f"{name} must have {convdim} elements")
    if not all(isinstance(v, (int, np.integer)) and v >= 1 for v in value):
        raise ValueError(f"{name} must hold {convdim} positive ints, got {value}")
    return tuple(int(v) for v in value)


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _normalize_border_mode(border_mode, convdim):
    if _is_int(border_mode):
        if border_mode < 0:
            raise ValueError(f"invalid border_mode {border_mode}, which must be a "
                             "non-negative integer")
        border_mode = (int(border_mode),) * convdim
    elif isinstance(border_mode, tuple):
        if len(border_mode) != convdim:
            raise ValueError(f"invalid border_mode {border_mode}, which must be a tuple of "
                             f"length {convdim}")
        modes = []
        for m in border_mode:
            if _is_int(m) and m >= 0:
                modes.append(int(m))
            elif (isinstance(m, tuple) and len(m) == 2 and all(_is_int(p) and p >= 0
                                                               for p in m)):
                if convdim != 2 and m[0] != m[1]:
                    raise NotImplementedError(
                        "Asymmetric padding not implemented for 3D (nor in Theano 1.0.5); "
                        "use a symmetric (p, p) pair or pad the input explicitly")
                modes.append(int(m[0]) if m[0] == m[1] else (int(m[0]), int(m[1])))
            else:
                raise ValueError(f"invalid border mode {border_mode}. The tuple can only "
                                 "contain non-negative integers or pairs of integers")
        border_mode = tuple(modes)
    if border_mode == (0,) * convdim:
        return "valid"
    if isinstance(border_mode, tuple) or border_mode in ("valid", "full", "half"):
        return border_mode
    raise ValueError(f'invalid border_mode {border_mode}, which must be either "valid", '
                     f'"full", "half", an integer or a tuple of length {convdim}')


def _shape_hint(shape, convdim, name):
    """A shape hint as a tuple of ints and Nones (constant scalars are read)."""
    if shape is None:
        return (None,) * (2 + convdim)
    out = []
    for s in tuple(shape):
        if s is None:
            out.append(None)
        elif isinstance(s, Variable):
            try:
                out.append(int(B.get_scalar_constant_value(s, only_process_constants=True)))
            except B.NotScalarConstantError:
                raise ValueError(f"{name} should be None or a tuple of constant int values"
                                 ) from None
        else:
            out.append(int(s))
    return tuple(out)


def _float_input(x, what, op):
    x = B.as_tensor_variable(x)
    if x.type.dtype not in D.float_dtypes:
        raise TypeError(f"{op}: {what} must be a float tensor, got {x.type}; cast it with "
                        "theano.tensor.cast(x, theano.config.floatX)")
    return x


def _as_dtype(x, dtype):
    return x if x.type.dtype == dtype else B.cast(x, dtype)


def _spatial_shape_vector(shape, convdim, op):
    """The spatial-shape input of the gradient Ops as an int64 vector of `convdim` entries
    (a full (batch, channels, *spatial) shape is cut to its spatial part)."""
    if isinstance(shape, (list, tuple)):
        shape = tuple(shape)
        if len(shape) == convdim + 2:
            shape = shape[2:]
        if len(shape) != convdim:
            raise ValueError(f"{op}: the shape argument must have {convdim} entries (the "
                             f"spatial shape), got {shape}")
        if any(s is None for s in shape):
            raise ValueError(f"{op}: the spatial shape must be known, got {shape}")
        if not any(isinstance(s, Variable) for s in shape):
            return B.constant(np.asarray(shape, dtype="int64"))
        return B.make_vector(*[B.cast(B.as_tensor_variable(s, ndim=0), "int64")
                               if isinstance(s, Variable) else
                               B.constant(np.asarray(s, dtype="int64")) for s in shape])
    v = B.as_tensor_variable(shape)
    if v.type.ndim != 1 or v.type.dtype not in D.integer_dtypes:
        raise TypeError(f"{op}: the shape argument must be an integer vector, got {v.type}")
    try:
        n = B.get_vector_length(v)
    except ValueError:
        n = None
    if n == convdim + 2:
        v = v[2:]
    elif n is not None and n != convdim:
        raise ValueError(f"{op}: the shape argument must have {convdim} entries, got {n}")
    return _as_dtype(v, "int64")


class BaseAbstractConv(Op):
    """Shared parameters of the convolution Ops (Theano's constructor and props).

    convdim: 2 or 3 spatial axes.  imshp/kshp: optional shape hints (ints or None).
    border_mode: 'valid', 'full', 'half', an int, or a tuple with one int -- or, in 2-d,
    one (before, after) pair -- per axis.  subsample: strides.  filter_flip: True for a
    convolution (kernels flipped), False for a cross-correlation.  filter_dilation:
    kernel dilation.  num_groups: grouped convolution.  unshared: not supported.
    """

    __props__ = ("convdim", "border_mode", "subsample", "filter_flip", "imshp", "kshp",
                 "filter_dilation", "num_groups", "unshared")

    def __init__(self, convdim, imshp=None, kshp=None, border_mode="valid", subsample=None,
                 filter_flip=True, filter_dilation=None, num_groups=1, unshared=False):
        if convdim not in (2, 3):
            raise ValueError(f"convolution dimension {convdim} is not supported")
        if unshared:
            raise NotImplementedError(_UNSHARED)
        self.convdim = convdim
        self.imshp = _shape_hint(imshp, convdim, "imshp")
        self.kshp = _shape_hint(kshp, convdim, "kshp")
        self.border_mode = _normalize_border_mode(border_mode, convdim)
        self.subsample = _int_tuple((1,) * convdim if subsample is None else subsample,
                                    convdim, "subsample")
        self.filter_dilation = _int_tuple((1,) * convdim if filter_dilation is None
                                          else filter_dilation, convdim, "filter_dilation")
        if num_groups < 1:
            raise ValueError("num_groups must have value greater than zero")
        self.num_groups = int(num_groups)
        self.filter_flip = bool(filter_flip)
        self.unshared = False

    def _pads(self, ksize):
        """(before, after) zero padding per spatial axis for a kernel of spatial shape
        `ksize` (ints)."""
        modes = (self.border_mode if isinstance(self.border_mode, tuple)
                 else (self.border_mode,) * self.convdim)
        return tuple(_pad_pair(m, corr.dilated(int(k), d))
                     for m, k, d in zip(modes, ksize, self.filter_dilation))

    def _flip(self, kern):
        if not self.filter_flip:
            return kern
        return kern[(slice(None), slice(None)) + (slice(None, None, -1),) * self.convdim]

    def _family(self):
        """(forward, gradWeights, gradInputs) Op instances with this Op's parameters."""
        fwd, gw, gi = _FAMILIES[self.convdim]
        kw = dict(imshp=self.imshp, kshp=self.kshp, border_mode=self.border_mode,
                  subsample=self.subsample, filter_flip=self.filter_flip,
                  filter_dilation=self.filter_dilation, num_groups=self.num_groups)
        return fwd(**kw), gw(**kw), gi(**kw)

    def _spatial(self, v):
        return B.shape(v)[2:]

    @staticmethod
    def _hint(shape):
        """A recorded shape hint for assert_shape (None when nothing is known)."""
        return None if all(v is None for v in shape) else shape

    def _check_ndim(self, x, what):
        if x.type.ndim != 2 + self.convdim:
            raise TypeError(f"{what} must be {2 + self.convdim}D tensor")

    # The two gradient Ops take (tensor, topgrad, spatial shape of the result): `x` is the
    # images for gradWeights and the kernels for gradInputs.

    def _grad_node_inputs(self, x, x_name, topgrad, shape):
        """Checked inputs of a gradient Op: both tensors float and 2 + convdim-d, topgrad
        cast to x's dtype, `shape` as an int64 vector of convdim entries."""
        name = type(self).__name__
        x = _float_input(x, x_name, name)
        topgrad = _float_input(topgrad, "topgrad", name)
        self._check_ndim(x, x_name)
        self._check_ndim(topgrad, "topgrad")
        return x, _as_dtype(topgrad, x.type.dtype), _spatial_shape_vector(shape, self.convdim,
                                                                         name)

    def _grad_output_shape(self, node, lead):
        """Shape of a gradient Op's result: the two leading dims `lead`, then the spatial
        shape input."""
        shape = node.inputs[2]
        return [tuple(lead) + tuple(shape[i] for i in range(self.convdim))]

    def R_op(self, inputs, eval_points):
        # Linear in each of the two tensor inputs (the shape input of the gradient Ops
        # has no tangent): the product rule.
        terms = []
        for k in (0, 1):
            if eval_points[k] is not None:
                args = list(inputs)
                args[k] = eval_points[k]
                terms.append(self(*args))
        if not terms:
            return [None]
        return [terms[0] + terms[1] if len(terms) == 2 else terms[0]]


class AbstractConv(BaseAbstractConv):
    """The convolution: ``op(img, kern)``, img (batch, channels, *spatial), kern
    (n_kernels, channels // num_groups, *kernel)."""

    def make_node(self, img, kern):
        name = type(self).__name__
        img = _float_input(img, "img", name)
        kern = B.as_tensor_variable(kern)
        self._check_ndim(img, "img")
        self._check_ndim(kern, "kern")
        kern = _as_dtype(_float_input(kern, "kern", name), img.type.dtype)
        # config.conv.assert_shape: the shape hints are checked at run time
        img = assert_shape(img, self._hint(self.imshp), "AbstractConv shape mismatch: shape "
                           "of image does not match given imshp.")
        kern = assert_shape(kern, self._hint(self.kshp), "AbstractConv shape mismatch: shape "
                            "of filters does not match given kshp.")
        bcast = (img.type.broadcastable[0], kern.type.broadcastable[0]) + (False,) * self.convdim
        return Apply(self, [img, kern], [TensorType(img.type.dtype, bcast)()])

    def impl(self, xp, img, kern):
        return corr.corr_forward(xp, img, self._flip(kern), self._pads(kern.shape[2:]),
                                 self.subsample, self.filter_dilation, self.num_groups)

    def L_op(self, inputs, outputs, grads):
        img, kern = inputs
        (g,) = grads
        _, grad_weights, grad_inputs = self._family()
        d_img = grad_inputs(kern, g, self._spatial(img))
        d_kern = grad_weights(img, g, self._spatial(kern))
        return [patternbroadcast(d_img, img.type.broadcastable),
                patternbroadcast(d_kern, kern.type.broadcastable)]

    def infer_shape(self, node, shapes):
        imshp, kshp = shapes
        return [get_conv_output_shape(imshp, kshp, self.border_mode, self.subsample,
                                      self.filter_dilation)]


class AbstractConv_gradWeights(BaseAbstractConv):
    """Gradient w.r.t. the kernels: ``op(img, topgrad, kernel_spatial_shape)``."""

    def make_node(self, img, topgrad, shape):
        img, topgrad, shape = self._grad_node_inputs(img, "img", topgrad, shape)
        img = assert_shape(img, self._hint(self.imshp), "AbstractConv_gradWeights shape "
                           "mismatch: shape of image does not match given imshp.")
        bcast = ((topgrad.type.broadcastable[1], img.type.broadcastable[1])
                 + (False,) * self.convdim)
        return Apply(self, [img, topgrad, shape], [TensorType(img.type.dtype, bcast)()])

    def impl(self, xp, img, topgrad, shape):
        ksize = tuple(int(s) for s in shape)
        dw = corr.corr_grad_weights(xp, img, topgrad, ksize, self._pads(ksize), self.subsample,
                                    self.filter_dilation, self.num_groups)
        return xp.ascontiguousarray(self._flip(dw)) if self.filter_flip else dw

    def L_op(self, inputs, outputs, grads):
        img, top, _ = inputs
        (g,) = grads
        conv, _, grad_inputs = self._family()
        d_img = grad_inputs(g, top, self._spatial(img))
        d_top = conv(img, g)
        return [patternbroadcast(d_img, img.type.broadcastable),
                patternbroadcast(d_top, top.type.broadcastable), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def infer_shape(self, node, shapes):
        imshp, topshp, _ = shapes
        return self._grad_output_shape(node, (topshp[1], imshp[1] // self.num_groups))


class AbstractConv_gradInputs(BaseAbstractConv):
    """Gradient w.r.t. the images (the transposed convolution):
    ``op(kern, topgrad, image_spatial_shape)``."""

    def make_node(self, kern, topgrad, shape):
        kern, topgrad, shape = self._grad_node_inputs(kern, "kern", topgrad, shape)
        kern = assert_shape(kern, self._hint(self.kshp), "AbstractConv_gradInputs shape "
                            "mismatch: shape of filters does not match given kshp.")
        bcast = ((topgrad.type.broadcastable[0],
                  kern.type.broadcastable[1] and self.num_groups == 1)
                 + (False,) * self.convdim)
        return Apply(self, [kern, topgrad, shape], [TensorType(kern.type.dtype, bcast)()])

    def impl(self, xp, kern, topgrad, shape):
        imsize = tuple(int(s) for s in shape)
        return corr.corr_grad_inputs(xp, self._flip(kern), topgrad, imsize,
                                     self._pads(kern.shape[2:]), self.subsample,
                                     self.filter_dilation, self.num_groups)

    def L_op(self, inputs, outputs, grads):
        kern, top, _ = inputs
        (g,) = grads
        conv, grad_weights, _ = self._family()
        d_kern = grad_weights(g, top, self._spatial(kern))
        d_top = conv(g, kern)
        return [patternbroadcast(d_kern, kern.type.broadcastable),
                patternbroadcast(d_top, top.type.broadcastable), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def infer_shape(self, node, shapes):
        kshp, topshp, _ = shapes
        return self._grad_output_shape(node, (topshp[0], kshp[1] * self.num_groups))


class AbstractConv2d(AbstractConv):
    """2-d convolution Op (see ``conv2d``)."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1),
                 filter_flip=True, filter_dilation=(1, 1), num_groups=1, unshared=False):
        super().__init__(2, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups, unshared)


class AbstractConv2d_gradWeights(AbstractConv_gradWeights):  # noqa: N801 - Theano's name
    """Gradient of the 2-d convolution w.r.t. the kernels."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1),
                 filter_flip=True, filter_dilation=(1, 1), num_groups=1, unshared=False):
        super().__init__(2, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups, unshared)


class AbstractConv2d_gradInputs(AbstractConv_gradInputs):  # noqa: N801 - Theano's name
    """Gradient of the 2-d convolution w.r.t. the images (transposed convolution)."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1),
                 filter_flip=True, filter_dilation=(1, 1), num_groups=1, unshared=False):
        super().__init__(2, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups, unshared)


class AbstractConv3d(AbstractConv):
    """3-d convolution Op (see ``conv3d``)."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1, 1),
                 filter_flip=True, filter_dilation=(1, 1, 1), num_groups=1):
        super().__init__(3, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups)


class AbstractConv3d_gradWeights(AbstractConv_gradWeights):  # noqa: N801 - Theano's name
    """Gradient of the 3-d convolution w.r.t. the kernels."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1, 1),
                 filter_flip=True, filter_dilation=(1, 1, 1), num_groups=1):
        super().__init__(3, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups)


class AbstractConv3d_gradInputs(AbstractConv_gradInputs):  # noqa: N801 - Theano's name
    """Gradient of the 3-d convolution w.r.t. the images (transposed convolution)."""

    def __init__(self, imshp=None, kshp=None, border_mode="valid", subsample=(1, 1, 1),
                 filter_flip=True, filter_dilation=(1, 1, 1), num_groups=1):
        super().__init__(3, imshp, kshp, border_mode, subsample, filter_flip, filter_dilation,
                         num_groups)


# Theano's module path, so that reprs and pickles name theano.tensor.nnet.abstract_conv.
for _cls in (BaseAbstractConv, AbstractConv, AbstractConv_gradWeights, AbstractConv_gradInputs,
             AbstractConv2d, AbstractConv2d_gradWeights, AbstractConv2d_gradInputs,
             AbstractConv3d, AbstractConv3d_gradWeights, AbstractConv3d_gradInputs):
    _cls.__module__ = "theano.tensor.nnet.abstract_conv"

_FAMILIES = {
    2: (AbstractConv2d, AbstractConv2d_gradWeights, AbstractConv2d_gradInputs),
    3: (AbstractConv3d, AbstractConv3d_gradWeights, AbstractConv3d_gradInputs),
}

# ----------------------------------------------------------------------------- functions


def conv2d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",  # noqa: A002
           subsample=(1, 1), filter_flip=True, filter_dilation=(1, 1), num_groups=1,
           unshared=False):
    """2-d convolution of a batch of images with a bank of filters.

    input: (batch, channels, rows, cols); filters: (n_filters, channels // num_groups,
    rows, cols).  border_mode: 'valid' (no padding), 'full' (pad by kernel - 1), 'half'
    (pad by kernel // 2), an int or (int, int) of zero padding, or ((top, bottom), (left,
    right)).  filter_flip=True convolves (kernels flipped), False cross-correlates.
    Returns (batch, n_filters, out_rows, out_cols), of the input's dtype.
    """
    input = B.as_tensor_variable(input)  # noqa: A001
    filters = B.as_tensor_variable(filters)
    op = AbstractConv2d(imshp=input_shape, kshp=filter_shape, border_mode=border_mode,
                        subsample=subsample, filter_flip=filter_flip,
                        filter_dilation=filter_dilation, num_groups=num_groups,
                        unshared=unshared)
    return op(input, filters)


def nnet_conv2d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",  # noqa: A002
                subsample=(1, 1), filter_flip=True, image_shape=None, filter_dilation=(1, 1),
                num_groups=1, unshared=False, **kwargs):
    """``theano.tensor.nnet.conv2d``: ``conv2d`` plus the deprecated ``image_shape`` alias
    of ``input_shape``; other keywords of the old interface are ignored with a warning."""
    if kwargs:
        warnings.warn(f"{sorted(kwargs)} are now deprecated in "
                      "`tensor.nnet.abstract_conv.conv2d` interface and will be ignored.",
                      stacklevel=2)
    if image_shape is not None:
        warnings.warn("The `image_shape` keyword argument to `tensor.nnet.conv2d` is "
                      "deprecated, it has been renamed to `input_shape`.", stacklevel=2)
        if input_shape is not None:
            raise ValueError("input_shape and image_shape should not be provided at the "
                             "same time.")
        input_shape = image_shape
    return conv2d(input, filters, input_shape, filter_shape, border_mode, subsample,
                  filter_flip, filter_dilation, num_groups, unshared)


def conv3d(input, filters, input_shape=None, filter_shape=None, border_mode="valid",  # noqa: A002
           subsample=(1, 1, 1), filter_flip=True, filter_dilation=(1, 1, 1), num_groups=1):
    """3-d convolution: input (batch, channels, depth, rows, cols), filters (n_filters,
    channels // num_groups, depth, rows, cols); arguments as ``conv2d`` with three
    spatial axes (asymmetric padding is 2-d only, as in Theano)."""
    input = B.as_tensor_variable(input)  # noqa: A001
    filters = B.as_tensor_variable(filters)
    op = AbstractConv3d(imshp=input_shape, kshp=filter_shape, border_mode=border_mode,
                        subsample=subsample, filter_flip=filter_flip,
                        filter_dilation=filter_dilation, num_groups=num_groups)
    return op(input, filters)


def _known_dims(shape):
    """A shape hint with symbolic entries replaced by None."""
    if shape is None:
        return None
    return tuple(None if isinstance(s, Variable) else s for s in shape)


def _grad_wrt_inputs(cls, convdim, output_grad, filters, input_shape, filter_shape, **params):
    filters = B.as_tensor_variable(filters)
    output_grad = B.as_tensor_variable(output_grad)
    if isinstance(input_shape, Variable):
        spatial = input_shape[-convdim:]
        hint = None
    else:
        spatial = tuple(input_shape)[-convdim:]
        hint = _known_dims(input_shape)
    op = cls(imshp=hint, kshp=_known_dims(filter_shape), **params)
    return op(filters, output_grad, spatial)


def _grad_wrt_weights(cls, convdim, input, output_grad, filter_shape, input_shape,  # noqa: A002
                      **params):
    input = B.as_tensor_variable(input)  # noqa: A001
    output_grad = B.as_tensor_variable(output_grad)
    if isinstance(filter_shape, Variable):
        spatial = filter_shape[-convdim:]
        hint = None
    else:
        spatial = tuple(filter_shape)[-convdim:]
        hint = _known_dims(filter_shape)
    op = cls(imshp=_known_dims(input_shape), kshp=hint, **params)
    return op(input, output_grad, spatial)


def conv2d_grad_wrt_inputs(output_grad, filters, input_shape, filter_shape=None,
                           border_mode="valid", subsample=(1, 1), filter_flip=True,
                           filter_dilation=(1, 1), num_groups=1, unshared=False):
    """Gradient of ``conv2d`` w.r.t. its input, for the output gradient `output_grad`:
    the transposed convolution.  `input_shape` (batch, channels, rows, cols) fixes the
    result's shape (its spatial entries must be given; ints or symbolic)."""
    if unshared:
        raise NotImplementedError(_UNSHARED)
    return _grad_wrt_inputs(AbstractConv2d_gradInputs, 2, output_grad, filters, input_shape,
                            filter_shape, border_mode=border_mode, subsample=subsample,
                            filter_flip=filter_flip, filter_dilation=filter_dilation,
                            num_groups=num_groups)


def conv2d_grad_wrt_weights(input, output_grad, filter_shape, input_shape=None,  # noqa: A002
                            border_mode="valid", subsample=(1, 1), filter_flip=True,
                            filter_dilation=(1, 1), num_groups=1, unshared=False):
    """Gradient of ``conv2d`` w.r.t. its filters, for the output gradient `output_grad`;
    `filter_shape` (n_filters, channels // num_groups, rows, cols) fixes the result's
    shape (its spatial entries must be given)."""
    if unshared:
        raise NotImplementedError(_UNSHARED)
    return _grad_wrt_weights(AbstractConv2d_gradWeights, 2, input, output_grad, filter_shape,
                             input_shape, border_mode=border_mode, subsample=subsample,
                             filter_flip=filter_flip, filter_dilation=filter_dilation,
                             num_groups=num_groups)


def conv3d_grad_wrt_inputs(output_grad, filters, input_shape, filter_shape=None,
                           border_mode="valid", subsample=(1, 1, 1), filter_flip=True,
                           filter_dilation=(1, 1, 1), num_groups=1):
    """Gradient of ``conv3d`` w.r.t. its input (see ``conv2d_grad_wrt_inputs``)."""
    return _grad_wrt_inputs(AbstractConv3d_gradInputs, 3, output_grad, filters, input_shape,
                            filter_shape, border_mode=border_mode, subsample=subsample,
                            filter_flip=filter_flip, filter_dilation=filter_dilation,
                            num_groups=num_groups)


def conv3d_grad_wrt_weights(input, output_grad, filter_shape, input_shape=None,  # noqa: A002
                            border_mode="valid", subsample=(1, 1, 1), filter_flip=True,
                            filter_dilation=(1, 1, 1), num_groups=1):
    """Gradient of ``conv3d`` w.r.t. its filters (see ``conv2d_grad_wrt_weights``)."""
    return _grad_wrt_weights(AbstractConv3d_gradWeights, 3, input, output_grad, filter_shape,
                             input_shape, border_mode=border_mode, subsample=subsample,
                             filter_flip=filter_flip, filter_dilation=filter_dilation,
                             num_groups=num_groups)


def conv2d_transpose(input, filters, output_shape, filter_shape=None, border_mode="valid",  # noqa: A002
                     input_dilation=(1, 1), filter_flip=True, filter_dilation=(1, 1),
                     num_groups=1, unshared=False):
    """Transposed convolution ("deconvolution"): the gradient of ``conv2d`` w.r.t. its
    input, applied to `input`; `input_dilation` is the forward convolution's stride and
    `output_shape` the shape of the result."""
    return conv2d_grad_wrt_inputs(input, filters, output_shape, filter_shape, border_mode,
                                  input_dilation, filter_flip, filter_dilation, num_groups,
                                  unshared)


def separable_conv2d(input, depthwise_filters, pointwise_filters, num_channels,  # noqa: A002
                     input_shape=None, depthwise_filter_shape=None,
                     pointwise_filter_shape=None, border_mode="valid", subsample=(1, 1),
                     filter_flip=True, filter_dilation=(1, 1)):
    """Depthwise convolution (one group per input channel; depthwise_filters
    (channels * multiplier, 1, rows, cols)) followed by a 1x1 pointwise convolution
    (pointwise_filters (n_out, channels * multiplier, 1, 1))."""
    depthwise = AbstractConv2d(imshp=input_shape, kshp=depthwise_filter_shape,
                               border_mode=border_mode, subsample=subsample,
                               filter_flip=filter_flip, filter_dilation=filter_dilation,
                               num_groups=num_channels)
    mid = depthwise(input, depthwise_filters)
    mid_shape = None
    if input_shape is not None and depthwise_filter_shape is not None:
        mid_shape = get_conv_output_shape(input_shape, depthwise_filter_shape, border_mode,
                                          subsample, filter_dilation)
    pointwise = AbstractConv2d(imshp=mid_shape, kshp=pointwise_filter_shape,
                               filter_flip=filter_flip)
    return pointwise(mid, pointwise_filters)


def separable_conv3d(input, depthwise_filters, pointwise_filters, num_channels,  # noqa: A002
                     input_shape=None, depthwise_filter_shape=None,
                     pointwise_filter_shape=None, border_mode="valid", subsample=(1, 1, 1),
                     filter_flip=True, filter_dilation=(1, 1, 1)):
    """3-d version of ``separable_conv2d``."""
    depthwise = AbstractConv3d(imshp=input_shape, kshp=depthwise_filter_shape,
                               border_mode=border_mode, subsample=subsample,
                               filter_flip=filter_flip, filter_dilation=filter_dilation,
                               num_groups=num_channels)
    mid = depthwise(input, depthwise_filters)
    mid_shape = None
    if input_shape is not None and depthwise_filter_shape is not None:
        mid_shape = get_conv_output_shape(input_shape, depthwise_filter_shape, border_mode,
                                          subsample, filter_dilation)
    pointwise = AbstractConv3d(imshp=mid_shape, kshp=pointwise_filter_shape,
                               filter_flip=filter_flip)
    return pointwise(mid, pointwise_filters)


def causal_conv1d(input, filters, filter_shape, input_shape=None, subsample=1,  # noqa: A002
                  filter_flip=True, filter_dilation=1, num_groups=1, unshared=False):
    """1-d causal convolution: output t sees inputs up to t only (left zero padding of
    (kernel - 1) * dilation).  input (batch, channels, length), filters (n_filters,
    channels // num_groups, length); `filter_shape` must be given."""
    if unshared:
        raise NotImplementedError(_UNSHARED)
    input = B.as_tensor_variable(input)  # noqa: A001
    filters = B.as_tensor_variable(filters)
    k = filter_shape[-1]
    pad = (k - 1) * filter_dilation
    img4 = input.dimshuffle(0, 1, "x", 2)
    kern4 = filters.dimshuffle(0, 1, "x", 2)
    hint = None if input_shape is None else (input_shape[0], input_shape[1], 1, input_shape[2])
    khint = (filter_shape[0], filter_shape[1], 1, filter_shape[2])
    op = AbstractConv2d(imshp=hint, kshp=khint, border_mode=(0, (pad, 0)),
                        subsample=(1, subsample), filter_flip=filter_flip,
                        filter_dilation=(1, filter_dilation), num_groups=num_groups)
    out = op(img4, kern4)
    return out[:, :, 0, :]


# ----------------------------------------------------------------------------- upsampling


def bilinear_kernel_1D(ratio, normalize=True):  # noqa: N802 - Theano's name
    """The triangle kernel [1, 2, ..., ratio, ..., 2, 1] (divided by `ratio` when
    normalize) whose transposed convolution with stride `ratio` interpolates linearly."""
    half = B.arange(1, ratio + 1, dtype=config.floatX)
    kern = B.concatenate([half, half[-2::-1]])
    if normalize:
        kern = kern / ratio
    return kern


def bilinear_kernel_2D(ratio, normalize=True):  # noqa: N802 - Theano's name
    """Outer product of two ``bilinear_kernel_1D`` kernels; `ratio` is one int or a
    (rows, cols) pair."""
    if isinstance(ratio, (tuple, list)):
        ratio_v, ratio_h = ratio
    else:
        ratio_v = ratio_h = ratio
    return (bilinear_kernel_1D(ratio_v, normalize).dimshuffle(0, "x")
            * bilinear_kernel_1D(ratio_h, normalize).dimshuffle("x", 0))


def frac_bilinear_upsampling(input, frac_ratio):  # noqa: A002
    """Bilinear upsampling of (batch, channels, rows, cols) images by a fractional ratio:
    `frac_ratio` is (numerator, denominator), or one such pair per axis ((p_r, q_r),
    (p_c, q_c)).  The images are upsampled by the numerator (border pixels replicated)
    and subsampled by the denominator, in one convolution: the padded bilinear kernel
    correlated with the images as dilated filters, as Theano built it."""
    if not isinstance(frac_ratio, tuple):
        raise ValueError("frac_ratio must be a tuple")
    pairs = frac_ratio if isinstance(frac_ratio[0], tuple) else (frac_ratio, frac_ratio)
    pairs = [(int(p) // math.gcd(int(p), int(q)), int(q) // math.gcd(int(p), int(q)))
             for p, q in pairs]
    ratio = (pairs[0][0], pairs[1][0])
    subsample = (pairs[0][1], pairs[1][1])
    input = B.as_tensor_variable(input)  # noqa: A001
    rows, cols = input.shape[2], input.shape[3]
    flat = B.reshape(input, (-1, 1, rows, cols), ndim=4)
    flat = B.concatenate([flat[:, :, :1, :], flat, flat[:, :, -1:, :]], axis=2)
    flat = B.concatenate([flat[:, :, :, :1], flat, flat[:, :, :, -1:]], axis=3)
    # Zero padding around the kernel: (2 * size - 1) * ratio + 1 in all, half before.
    total = [(2 * n - 1) * r + 1 for n, r in zip((rows, cols), ratio)]
    before = [t // 2 for t in total]
    kern = bilinear_kernel_2D(ratio).dimshuffle("x", "x", 0, 1)
    kern = B.cast(kern, config.floatX)
    zeros = B.zeros
    kern = B.concatenate([zeros((1, 1, before[0], kern.shape[3]), dtype=config.floatX), kern,
                          zeros((1, 1, total[0] - before[0], kern.shape[3]),
                                dtype=config.floatX)], axis=2)
    kern = B.concatenate([zeros((1, 1, kern.shape[2], before[1]), dtype=config.floatX), kern,
                          zeros((1, 1, kern.shape[2], total[1] - before[1]),
                                dtype=config.floatX)], axis=3)
    # The images act as the (dilated) filters of a convolution over the padded kernel.
    up = AbstractConv2d(border_mode="valid", subsample=subsample,
                        filter_dilation=ratio)(kern, B.cast(flat, config.floatX))
    return B.reshape(up, (input.shape[0], input.shape[1], up.shape[2], up.shape[3]), ndim=4)


def bilinear_upsampling(input, ratio=None, frac_ratio=None, batch_size=None,  # noqa: A002
                        num_input_channels=None, use_1D_kernel=True):  # noqa: N803
    """Upsample (batch, channels, rows, cols) images by an integer `ratio` with bilinear
    interpolation (border pixels replicated): a transposed convolution with the
    ``bilinear_kernel_*`` kernels."""
    if frac_ratio is not None:
        if ratio is not None:
            raise ValueError("can't use ratio and frac_ratio together")
        if use_1D_kernel:
            raise ValueError("For fractional ratios 1D kernel method not implemented. You "
                             "may want to pass use_1D_kernel as False")
        return frac_bilinear_upsampling(input, frac_ratio)
    if ratio is None:
        raise ValueError("No ratio (or frac_ratio) provided for bilinear_upsampling")
    if not _is_int(ratio) or ratio < 1:
        raise ValueError(f"bilinear_upsampling: ratio must be a positive int, got {ratio!r}")
    input = B.as_tensor_variable(input)  # noqa: A001
    ratio = int(ratio)
    rows, cols = input.shape[2], input.shape[3]
    flat = B.reshape(input, (-1, 1, rows, cols), ndim=4)
    # Replicate the border pixels once on each side; the padding below makes the
    # transposed convolution's window start half a source pixel before the first one.
    flat = B.concatenate([flat[:, :, :1, :], flat, flat[:, :, -1:, :]], axis=2)
    flat = B.concatenate([flat[:, :, :, :1], flat, flat[:, :, :, -1:]], axis=3)
    pad = 2 * ratio - (ratio - 1) // 2 - 1
    try:
        n_images = batch_size * num_input_channels
    except TypeError:
        n_images = None
    if use_1D_kernel:
        kern = bilinear_kernel_1D(ratio)
        up_rows = conv2d_grad_wrt_inputs(
            flat, kern.dimshuffle("x", "x", 0, "x"), (n_images, 1, rows * ratio, cols + 2),
            (1, 1, None, 1), border_mode=(pad, 0), subsample=(ratio, 1))
        up = conv2d_grad_wrt_inputs(
            up_rows, kern.dimshuffle("x", "x", "x", 0), (n_images, 1, rows * ratio, cols * ratio),
            (1, 1, 1, None), border_mode=(0, pad), subsample=(1, ratio))
    else:
        kern = bilinear_kernel_2D(ratio)
        up = conv2d_grad_wrt_inputs(
            flat, kern.dimshuffle("x", "x", 0, 1), (n_images, 1, rows * ratio, cols * ratio),
            (1, 1, None, None), border_mode=(pad, pad), subsample=(ratio, ratio))
    return B.reshape(up, (input.shape[0], input.shape[1], rows * ratio, cols * ratio), ndim=4)


def border_mode_to_pad(mode, convdim, kshp):
    """((before, after),) * convdim zero padding of a border mode ('valid', 'full',
    'half' or a tuple with an int or a pair per axis; a bare int is refused, as in
    Theano) for kernel spatial shape `kshp`."""
    if isinstance(mode, tuple):
        if len(mode) != convdim:
            raise ValueError(f"invalid border_mode {mode} which must be a tuple of length "
                             f"{convdim}")
        pad = ()
        for m in mode:
            if _is_int(m) and m >= 0:
                pad += ((int(m), int(m)),)
            elif isinstance(m, tuple) and all(_is_int(b) for b in m) and min(m) >= 0:
                if len(m) != 2:
                    raise NotImplementedError(f"Asymmetric padding not implemented for "
                                              f"{len(m)}d")
                pad += ((int(m[0]), int(m[1])),)
            else:
                raise ValueError(f"invalid border mode {mode}. The tuple can only contain "
                                 "integers or tuples of length 2")
        return pad
    if mode == "full":
        return tuple((kshp[i] - 1,) * 2 for i in range(convdim))
    if mode == "half":
        return tuple((kshp[i] // 2,) * 2 for i in range(convdim))
    if mode == "valid":
        return ((0, 0),) * convdim
    raise ValueError(f'invalid border_mode {mode}, which must be either "valid", "full", '
                     f'"half", an integer or a tuple of length {convdim}')


# Names of Theano's module from higher layers (and theano.tensor.opt, initialised after
# this package), found where ``import theano`` put them.
_HIGHER = {"theano": ("theano_compat", None),
           "Assert": ("theano_compat.tensor.rewrites.assert_op", "Assert")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
