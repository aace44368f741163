"""theano.tensor.nnet.corr: CorrMM, the 2-d correlation by matrix multiplication, and its
two gradient Ops.

Theano 1.0.5's CorrMM family was C code (im2col + BLAS gemm) that its optimizer put in
place of AbstractConv2d.  Here the three Ops are plain Ops computing through the same
array kernels as abstract_conv (``_im2col.py``, NumPy or CuPy): a *cross-correlation*
(kernels never flipped), with Theano's parameters -- border_mode ('valid', 'full', 'half',
an int, a pair of ints or of (before, after) pairs), subsample, filter_dilation and
num_groups -- and Theano's gradients (each Op's gradient is built from the other two).
``unshared=True`` (a separate kernel per output position) is not supported.  The C hooks
of Theano's class (``c_code_helper``, ``c_headers``...) raise NotImplementedError.

``CorrMM_gradWeights(...)(img, topgrad[, shape])`` and ``CorrMM_gradInputs(...)(kern,
topgrad[, shape])``: the spatial shape of the result may be left out when the stride is 1
(and, for gradWeights, the border mode is not 'half'), as in Theano.
"""

from __future__ import annotations


import numpy as np

from ...graph.basic import Apply
from ...graph.null import disconnected_type
from ...graph.op import Op
from ...scalar import dtypes as D
from ...scalar import int8, int64  # noqa: F401 - names of Theano's module
from .. import basic as B
from .. import blas_headers  # noqa: F401 - a name of Theano's module
from ..basic import as_tensor_variable
from ..blas_c import ldflags  # noqa: F401 - names of Theano's module
from ..blas_headers import blas_header_version  # noqa: F401
from ..type import TensorType
from . import _im2col
from .abstract_conv import get_conv_output_shape
from ...utils import lazy_names

integer_types = (int,)

_UNSHARED = ("unshared correlation (unshared=True: a separate kernel per output position) is "
             "not supported by theano_compat; use shared kernels (unshared=False), e.g. "
             "with num_groups")


def _c_only(what, alternative):
    return NotImplementedError(
        f"{what} is part of Theano's C implementation of the correlation Ops; theano_compat "
        f"compiles no C code (the Ops compute with NumPy through perform). {alternative}")


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


class _BaseCorr(Op):
    """Shared machinery of CorrMM and Corr3dMM (``_convdim`` spatial axes)."""

    check_broadcast = False
    _direction = None
    _convdim = 2
    _name_of_forward = "CorrMM"

    def _set_params(self, border_mode, subsample, filter_dilation, num_groups):
        nd = self._convdim
        self.border_mode = border_mode
        if len(subsample) != nd:
            raise ValueError(f"subsample must have {['', '', 'two', 'three'][nd]} elements")
        if len(filter_dilation) != nd:
            raise ValueError(f"filter_dilation must have {['', '', 'two', 'three'][nd]} "
                             "elements")
        self.subsample = tuple(int(s) for s in subsample)
        self.filter_dilation = tuple(int(d) for d in filter_dilation)
        if self._direction not in ("forward", "backprop weights", "backprop inputs"):
            raise ValueError("_direction must be one of 'forward', 'backprop weights', "
                             "'backprop inputs'")
        if num_groups < 1:
            raise ValueError("Number of groups should be greater than 0")
        self.num_groups = int(num_groups)
        self.blas_type = ""

    # -- padding -----------------------------------------------------------------------

    def _pair(self, axis, dk):
        """(before, after) zero padding of spatial `axis` for a dilated kernel extent `dk`
        (ints or symbolic)."""
        m = self.border_mode
        if m == "valid":
            return 0, 0
        if m == "full":
            return dk - 1, dk - 1
        if m == "half":
            return dk // 2, dk // 2
        p = m[axis]
        return (p, p) if _is_int(p) else tuple(p)

    def _pads(self, ksize):
        return tuple(self._pair(i, _im2col.dilated(k, d))
                     for i, (k, d) in enumerate(zip(ksize, self.filter_dilation)))

    # -- the shapes a gradient Op's result takes when its shape input is left out --------

    def _kernel_size(self, axis, im, top):
        """Kernel length along `axis` from image and output lengths (stride 1)."""
        d = self.filter_dilation[axis]
        if self.border_mode == "full":
            dk = top - im + 1
        else:
            lo, hi = self._pair(axis, None) if self.border_mode != "valid" else (0, 0)
            dk = im + lo + hi - top + 1
        return (dk - 1) // d + 1

    def _image_size(self, axis, k, top):
        """Image length along `axis` from kernel and output lengths (stride 1)."""
        dk = (k - 1) * self.filter_dilation[axis] + 1
        lo, hi = self._pair(axis, dk)
        return top - 1 + dk - lo - hi

    def _shape_inputs(self, shape, what):
        nd = self._convdim
        if shape is None:
            if self.subsample != (1,) * nd or (what == "weights" and self.border_mode == "half"):
                raise ValueError(f"shape must be given if subsample != {(1,) * nd}"
                                 + (' or border_mode == "half"' if what == "weights" else ""))
            return []
        return [B.cast(as_tensor_variable(shape[i]), "int64") for i in range(nd)]

    def _common(self, a, b):
        a, b = as_tensor_variable(a), as_tensor_variable(b)
        dtype = D.upcast(a.type.dtype, b.type.dtype)
        if dtype not in D.float_dtypes:
            raise TypeError(f"{type(self).__name__}: the inputs must be float tensors, got "
                            f"{a.type} and {b.type}")
        return [x if x.type.dtype == dtype else B.cast(x, dtype) for x in (a, b)]

    def _check_ndim(self, x, what):
        if x.type.ndim != 2 + self._convdim:
            raise TypeError(f"{what} must be {2 + self._convdim}D tensor")

    def _family(self):
        fwd, gw, gi = self._classes()
        kw = dict(border_mode=self.border_mode, subsample=self.subsample,
                  filter_dilation=self.filter_dilation, num_groups=self.num_groups)
        return fwd(**kw), gw(**kw), gi(**kw)

    def _spatial(self, v):
        return B.shape(v)[2:]

    def R_op(self, inputs, eval_points):
        # Bilinear in the two tensor inputs (a shape input has no tangent): product rule.
        terms = []
        for k in (0, 1):
            if eval_points[k] is not None:
                args = list(inputs)
                args[k] = eval_points[k]
                terms.append(self(*args[:2]) if len(args) == 2 else self(args[0], args[1],
                                                                          args[2:]))
        if not terms:
            return [None]
        return [terms[0] + terms[1] if len(terms) == 2 else terms[0]]

    # -- Theano's C hooks --------------------------------------------------------------

    @property
    def pad(self):
        """Theano's padding code of the C implementation: -1 'half', -2 'full'."""
        nd = self._convdim
        if self.border_mode == "half":
            return ((-1, -1),) * nd if nd == 2 else (-1,) * nd
        if self.border_mode == "full":
            return ((-2, -2),) * nd if nd == 2 else (-2,) * nd
        if self.border_mode == "valid":
            return ((0, 0),) * nd if nd == 2 else (0,) * nd
        return self.border_mode

    @property
    def direction(self):
        """The direction: 'forward', 'backprop weights' or 'backprop inputs'."""
        return self._direction

    def c_code_helper(self, *args, **kwargs):
        raise _c_only(f"{type(self).__name__}.c_code_helper",
                      "The Op computes through perform (NumPy); call it on tensors.")

    def c_headers(self):
        raise _c_only(f"{type(self).__name__}.c_headers", "No headers are needed.")

    def c_support_code(self):
        raise _c_only(f"{type(self).__name__}.c_support_code",
                      "The Op computes through perform (NumPy).")

    def c_code_cache_version(self):
        raise _c_only(f"{type(self).__name__}.c_code_cache_version",
                      "There is no compiled code to cache.")

    def c_lib_dirs(self):
        raise _c_only(f"{type(self).__name__}.c_lib_dirs", "No libraries are linked.")

    def c_libraries(self):
        raise _c_only(f"{type(self).__name__}.c_libraries", "No libraries are linked.")

    def flops(self, inp, outp):
        """Multiply-adds of the forward correlation, times two (Theano's flops count)."""
        inputs, filters = inp
        (outputs,) = outp
        flops = 2 * int(np.prod(outputs)) * int(np.prod(filters[1:]))
        return flops


class _CorrForward(_BaseCorr):
    _direction = "forward"

    def make_node(self, img, kern):
        img, kern = self._common(img, kern)
        self._check_ndim(img, "img")
        self._check_ndim(kern, "kern")
        bcast = (img.type.broadcastable[0], kern.type.broadcastable[0]) + (False,) * self._convdim
        return Apply(self, [img, kern], [TensorType(img.type.dtype, bcast)()])

    def impl(self, xp, img, kern):
        return _im2col.corr_forward(xp, img, kern, self._pads(kern.shape[2:]), self.subsample,
                                    self.filter_dilation, self.num_groups)

    def infer_shape(self, node, shapes):
        imshp, kshp = shapes
        return [get_conv_output_shape(imshp, kshp, self.border_mode, self.subsample,
                                      self.filter_dilation)]

    def grad(self, inputs, grads):
        img, kern = inputs
        (top,) = grads
        _, grad_weights, grad_inputs = self._family()
        return [grad_inputs(kern, top, self._spatial(img)),
                grad_weights(img, top, self._spatial(kern))]



class _CorrGradWeights(_BaseCorr):
    _direction = "backprop weights"

    def make_node(self, img, topgrad, shape=None):
        img, topgrad = self._common(img, topgrad)
        self._check_ndim(img, "img")
        self._check_ndim(topgrad, "topgrad")
        extra = self._shape_inputs(shape, "weights")
        bcast = ((topgrad.type.broadcastable[1], img.type.broadcastable[1])
                 + (False,) * self._convdim)
        return Apply(self, [img, topgrad] + extra, [TensorType(img.type.dtype, bcast)()])

    def impl(self, xp, img, topgrad, *shape):
        if shape:
            ksize = tuple(int(s) for s in shape)
        else:
            ksize = tuple(self._kernel_size(i, img.shape[2 + i], topgrad.shape[2 + i])
                          for i in range(self._convdim))
        return _im2col.corr_grad_weights(xp, img, topgrad, ksize, self._pads(ksize),
                                         self.subsample, self.filter_dilation,
                                         self.num_groups)

    def infer_shape(self, node, shapes):
        imshp, topshp = shapes[:2]
        if len(node.inputs) > 2:
            ks = tuple(node.inputs[2:])
        else:
            ks = tuple(self._kernel_size(i, imshp[2 + i], topshp[2 + i])
                       for i in range(self._convdim))
        return [(topshp[1], imshp[1] // self.num_groups) + ks]

    def grad(self, inputs, grads):
        img, top = inputs[:2]
        (g,) = grads
        fwd, _, grad_inputs = self._family()
        return ([grad_inputs(g, top, self._spatial(img)), fwd(img, g)]
                + [disconnected_type() for _ in inputs[2:]])

    def connection_pattern(self, node):
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)


class _CorrGradInputs(_BaseCorr):
    _direction = "backprop inputs"

    def make_node(self, kern, topgrad, shape=None):
        kern, topgrad = self._common(kern, topgrad)
        self._check_ndim(kern, "kern")
        self._check_ndim(topgrad, "topgrad")
        extra = self._shape_inputs(shape, "inputs")
        bcast = ((topgrad.type.broadcastable[0],
                  kern.type.broadcastable[1] and self.num_groups == 1)
                 + (False,) * self._convdim)
        return Apply(self, [kern, topgrad] + extra, [TensorType(kern.type.dtype, bcast)()])

    def impl(self, xp, kern, topgrad, *shape):
        if shape:
            imsize = tuple(int(s) for s in shape)
        else:
            imsize = tuple(self._image_size(i, kern.shape[2 + i], topgrad.shape[2 + i])
                           for i in range(self._convdim))
        return _im2col.corr_grad_inputs(xp, kern, topgrad, imsize, self._pads(kern.shape[2:]),
                                        self.subsample, self.filter_dilation,
                                        self.num_groups)

    def infer_shape(self, node, shapes):
        kshp, topshp = shapes[:2]
        if len(node.inputs) > 2:
            ims = tuple(node.inputs[2:])
        else:
            ims = tuple(self._image_size(i, kshp[2 + i], topshp[2 + i])
                        for i in range(self._convdim))
        return [(topshp[0], kshp[1] * self.num_groups) + ims]

    def grad(self, inputs, grads):
        kern, top = inputs[:2]
        (g,) = grads
        fwd, grad_weights, _ = self._family()
        return ([grad_weights(g, top, self._spatial(kern)), fwd(g, kern)]
                + [disconnected_type() for _ in inputs[2:]])

    def connection_pattern(self, node):
        return [[True], [True]] + [[False]] * (len(node.inputs) - 2)


class BaseCorrMM(_BaseCorr):
    """Shared parameters of the CorrMM Ops (see the module docstring)."""

    __props__ = ("border_mode", "subsample", "filter_dilation", "num_groups", "unshared")

    def __init__(self, border_mode="valid", subsample=(1, 1), filter_dilation=(1, 1),
                 num_groups=1, unshared=False, openmp=None):
        if _is_int(border_mode):
            if border_mode < 0:
                raise ValueError(f"invalid border_mode {border_mode}, which must be a "
                                 "non-negative integer")
            border_mode = ((int(border_mode),) * 2,) * 2
        elif isinstance(border_mode, tuple):
            if len(border_mode) != 2:
                raise ValueError(f"invalid border_mode {border_mode} which must be a tuple "
                                 "of length 2")
            border = ()
            for mode in border_mode:
                if isinstance(mode, tuple) and len(mode) == 2 and min(mode) >= 0:
                    border += ((int(mode[0]), int(mode[1])),)
                elif _is_int(mode) and mode >= 0:
                    border += ((int(mode), int(mode)),)
                else:
                    raise ValueError(f"invalid border mode {border_mode}. The tuple can only "
                                     "contain integers or tuples of length 2")
            border_mode = border
        elif border_mode not in ("valid", "full", "half"):
            raise ValueError(f"invalid border_mode {border_mode}, which must be either "
                             '"valid", "full", "half", an integer or a tuple of two integers '
                             "or a pair of integers")
        if unshared:
            raise NotImplementedError(_UNSHARED)
        self.unshared = False
        self.openmp = bool(openmp)
        self._set_params(border_mode, subsample, filter_dilation, num_groups)

    def _classes(self):
        return CorrMM, CorrMM_gradWeights, CorrMM_gradInputs

    def __str__(self):
        return (f"{type(self).__name__}{{{self.border_mode}, {self.subsample}, "
                f"{self.filter_dilation}, {self.num_groups} {self.unshared}}}")


class CorrMM(BaseCorrMM, _CorrForward):
    """2-d cross-correlation ``CorrMM(...)(img, kern)``: img (batch, channels, rows, cols),
    kern (n_kernels, channels // num_groups, rows, cols); kernels are not flipped."""


class CorrMM_gradWeights(BaseCorrMM, _CorrGradWeights):  # noqa: N801 - Theano's name
    """Gradient of CorrMM w.r.t. the kernels: ``op(img, topgrad[, (rows, cols)])``."""


class CorrMM_gradInputs(BaseCorrMM, _CorrGradInputs):  # noqa: N801 - Theano's name
    """Gradient of CorrMM w.r.t. the images: ``op(kern, topgrad[, (rows, cols)])``."""


for _cls in (BaseCorrMM, CorrMM, CorrMM_gradWeights, CorrMM_gradInputs):
    _cls.__module__ = "theano.tensor.nnet.corr"


# Names of Theano's module from higher layers (theano.gof, the package itself): found where
# ``import theano`` put them, as this module may not import them.
_HIGHER = {"gof": ("theano_compat.gof", None), "theano": ("theano_compat", None),
           "ParamsType": ("theano_compat.gof.params_type", "ParamsType"),
           "EnumList": ("theano_compat.gof.type", "EnumList")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
