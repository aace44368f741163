"""theano.tensor.nnet.corr3d: Corr3dMM, the 3-d correlation by matrix multiplication, and
its two gradient Ops.

As ``corr.CorrMM`` with three spatial axes: a cross-correlation (kernels not flipped) of
img (batch, channels, d0, d1, d2) with kern (n_kernels, channels // num_groups, k0, k1,
k2), computed by the array kernels abstract_conv uses (NumPy or CuPy).  border_mode:
'valid', 'full', 'half', an int or a tuple of three ints (symmetric padding, as in
Theano 1.0.5).  Theano's C hooks raise NotImplementedError.
"""

from __future__ import annotations


import numpy as np

from ...graph.basic import Apply  # noqa: F401 - names of Theano's module
from ...scalar import int64  # noqa: F401
from .. import blas_headers  # noqa: F401
from ..basic import as_tensor_variable  # noqa: F401
from ..blas_c import ldflags  # noqa: F401
from ..blas_headers import blas_header_version  # noqa: F401
from ..type import TensorType  # noqa: F401
from .abstract_conv import get_conv_output_shape  # noqa: F401
from .corr import _BaseCorr, _CorrForward, _CorrGradInputs, _CorrGradWeights, integer_types  # noqa: F401
from ...utils import lazy_names


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


class BaseCorr3dMM(_BaseCorr):
    """Shared parameters of the Corr3dMM Ops (see the module docstring)."""

    __props__ = ("border_mode", "subsample", "filter_dilation", "num_groups")
    _convdim = 3

    def __init__(self, border_mode="valid", subsample=(1, 1, 1), filter_dilation=(1, 1, 1),
                 openmp=None, num_groups=1):
        if _is_int(border_mode):
            if border_mode < 0:
                raise ValueError(f"invalid border_mode {border_mode}, which must be a "
                                 "non-negative integer")
            border_mode = (int(border_mode),) * 3
        if isinstance(border_mode, tuple):
            if (len(border_mode) != 3 or not all(_is_int(b) for b in border_mode)
                    or min(border_mode) < 0):
                raise ValueError(f"invalid border_mode {border_mode}, which must be a tuple "
                                 "of three non-negative integers")
            border_mode = tuple(int(b) for b in border_mode)
        elif border_mode not in ("valid", "full", "half"):
            raise ValueError(f"invalid border_mode {border_mode}, which must be either "
                             '"valid", "full", "half", an integer or a tuple of three '
                             "integers")
        self.openmp = bool(openmp)
        self._set_params(border_mode, subsample, filter_dilation, num_groups)

    def _classes(self):
        return Corr3dMM, Corr3dMM_gradWeights, Corr3dMM_gradInputs

    def __str__(self):
        return (f"{type(self).__name__}{{{self.border_mode}, {self.subsample}, "
                f"{self.filter_dilation}, {self.num_groups}}}")


class Corr3dMM(BaseCorr3dMM, _CorrForward):
    """3-d cross-correlation ``Corr3dMM(...)(img, kern)`` (kernels not flipped)."""


class Corr3dMM_gradWeights(BaseCorr3dMM, _CorrGradWeights):  # noqa: N801 - Theano's name
    """Gradient of Corr3dMM w.r.t. the kernels: ``op(img, topgrad[, (d0, d1, d2)])``."""


class Corr3dMM_gradInputs(BaseCorr3dMM, _CorrGradInputs):  # noqa: N801 - Theano's name
    """Gradient of Corr3dMM w.r.t. the images: ``op(kern, topgrad[, (d0, d1, d2)])``."""


for _cls in (BaseCorr3dMM, Corr3dMM, Corr3dMM_gradWeights, Corr3dMM_gradInputs):
    _cls.__module__ = "theano.tensor.nnet.corr3d"

_HIGHER = {"gof": ("theano_compat.gof", None), "theano": ("theano_compat", None),
           "ParamsType": ("theano_compat.gof.params_type", "ParamsType"),
           "EnumList": ("theano_compat.gof.type", "EnumList")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
