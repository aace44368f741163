"""theano.tensor: tensor types, constructors and the operation library.

The gradient functions (``grad``, ``Rop``, ``Lop``, ``jacobian``, ``hessian``) live in
a higher layer; the top-level package binds them here (see ``theano_compat/__init__.py``).
"""

from __future__ import annotations

import builtins as _builtins

from .. import hooks as _hooks
from ..config import config
from ..scalar import dtypes as _D
from . import variable  # noqa: F401,I001 - first: it binds basic/math/subtensor in order
from . import basic, elemwise, extra_ops, math, nnet, sharedvar, subtensor, var  # noqa: F401
from . import random, raw_random, shared_randomstreams  # noqa: F401,E402
from . import nlinalg, slinalg, xlogx  # noqa: F401,E402 - submodules Theano imported eagerly
from .basic import *  # noqa: F401,F403
from .basic import (  # noqa: F401
    Alloc,
    ARange,
    Eye,
    Join,
    MakeVector,
    NotScalarConstantError,
    Reshape,
    Shape,
    Shape_i,
    SpecifyShape,
    TensorCopy,
    as_tensor,
    as_tensor_variable,
    get_scalar_constant_value,
    get_vector_length,
)
from .elemwise import CAReduce, DimShuffle, Elemwise, Max, Min, Prod, Sum  # noqa: F401
from .extra_ops import (  # noqa: F401
    AllocDiag,
    DiffOp,
    ExtractDiag,
    Nonzero,
    Tile,
    argtopk,
    bartlett,
    bincount,
    ravel_multi_index,
    to_one_hot,
    topk,
    topk_and_argtopk,
    unravel_index,
)
from .permute import PermuteRowElements, permute_row_elements  # noqa: F401
from .math import *  # noqa: F401,F403
from .math import abs_, all, any, max, min, pow, round, sum  # noqa: F401,A004
from .sharedvar import ScalarSharedVariable, TensorSharedVariable  # noqa: F401
from .subtensor import (  # noqa: F401
    AdvancedBooleanIncSubtensor,
    AdvancedBooleanSubtensor,
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    AdvancedSubtensor1,
    IncSubtensor,
    Subtensor,
    advanced_boolean_inc_subtensor,
    advanced_boolean_set_subtensor,
    advanced_boolean_subtensor,
    advanced_inc_subtensor,
    advanced_inc_subtensor1,
    advanced_set_subtensor,
    advanced_set_subtensor1,
    advanced_subtensor,
    advanced_subtensor1,
    inc_subtensor,
    set_subtensor,
    take,
)
from .type import Rebroadcast, TensorType, patternbroadcast  # noqa: F401
from .variable import AsTensorError, TensorConstant, TensorVariable, _tensor_py_operators  # noqa: F401

_PREFIXES = {
    "b": "int8", "w": "int16", "i": "int32", "l": "int64",
    "f": "float32", "d": "float64", "c": "complex64", "z": "complex128",
}
_PATTERNS = {
    "scalar": (), "vector": (False,), "matrix": (False, False), "row": (True, False),
    "col": (False, True), "tensor3": (False,) * 3, "tensor4": (False,) * 4,
    "tensor5": (False,) * 5, "tensor6": (False,) * 6, "tensor7": (False,) * 7,
}
_PLURALS = {"scalar": "scalars", "vector": "vectors", "matrix": "matrices", "row": "rows",
            "col": "cols", "tensor3": "tensor3s", "tensor4": "tensor4s",
            "tensor5": "tensor5s", "tensor6": "tensor6s", "tensor7": "tensor7s"}


def _constructor(pattern, fixed_dtype, kind):
    def make(name=None, dtype=None):
        dt = fixed_dtype or dtype or config.floatX
        return TensorType(dt, pattern)(name)

    make.__name__ = kind
    make.__doc__ = f"A symbolic {kind} ({fixed_dtype or 'floatX by default'})."
    return make


def _multi(fn):
    def many(*names):
        if names and isinstance(names[0], int):
            return fn() if names[0] == 1 else [fn() for _ in range(names[0])]
        if len(names) == 1:
            names = names[0]
            # Theano iterates one string of several characters: scalars('xyz') -> x, y, z.
            if isinstance(names, str) and len(names) == 1:
                return fn(names)
        return [fn(n) for n in names]

    return many


for _kind, _pattern in _PATTERNS.items():
    globals()[_kind] = _constructor(_pattern, None, _kind)
    globals()[_PLURALS[_kind]] = _multi(globals()[_kind])
    for _p, _dt in _PREFIXES.items():
        # As in Theano, the dtype-prefixed names are TensorType instances (calling one makes
        # a variable, and `x.type == T.fmatrix` compares types).
        globals()[_p + _kind] = TensorType(_dt, _pattern)
        globals()[_p + _PLURALS[_kind]] = _multi(globals()[_p + _kind])


def tensor(*args, **kwargs):
    """A variable of ``TensorType(dtype, broadcastable)`` (Theano's ``T.tensor``)."""
    name = kwargs.pop("name", None)
    return TensorType(*args, **kwargs)(name=name)


# Tuples of types Theano exported at this level.
int_types = bscalar, wscalar, iscalar, lscalar  # noqa: F821 - made by the loop above
float_types = fscalar, dscalar  # noqa: F821
complex_types = cscalar, zscalar  # noqa: F821
int_scalar_types, float_scalar_types, complex_scalar_types = (int_types, float_types,
                                                              complex_types)
int_vector_types = bvector, wvector, ivector, lvector  # noqa: F821
float_vector_types = fvector, dvector  # noqa: F821
complex_vector_types = cvector, zvector  # noqa: F821
int_matrix_types = bmatrix, wmatrix, imatrix, lmatrix  # noqa: F821
float_matrix_types = fmatrix, dmatrix  # noqa: F821
complex_matrix_types = cmatrix, zmatrix  # noqa: F821

# Python-scalar dtype sets Theano exported at this level.
int_dtypes = _D.int_dtypes
uint_dtypes = _D.uint_dtypes
float_dtypes = _D.float_dtypes
complex_dtypes = _D.complex_dtypes
discrete_dtypes = _D.discrete_dtypes
continuous_dtypes = _D.continuous_dtypes
integer_dtypes = _D.integer_dtypes
all_dtypes = _D.all_dtypes

sqr = math.sqr
square = math.sqr

# Small names Theano's tensor namespace carried.
Tensor = TensorType
isinf_, isnan_ = math.isinf, math.isnan
python_all, python_any, python_complex = _builtins.all, _builtins.any, _builtins.complex
integer_types = (int,)
# Default tolerances of Theano's numeric comparisons (verify_grad, allclose in tests).
float16_atol, float16_rtol = 1e-3, 1e-3
float32_atol, float32_rtol = 1e-5, 1e-5
float64_atol, float64_rtol = 1e-8, 1e-5


def is_flat(var, ndim=None, outdim=None):  # noqa: F811 - Theano's signature
    """Whether `var` has `ndim` dimensions (1 by default), as after flatten(var, ndim)."""
    if outdim is not None:
        ndim = outdim
    return var.ndim == (1 if ndim is None else ndim)


# theano.tensor re-exported the gradient API; the gradient layer sits above this one, so
# these names resolve through its hook on first use (PEP 562) instead of an upward import.
_GRADIENT_NAMES = frozenset((
    "grad", "Rop", "Lop", "consider_constant", "zero_grad", "disconnected_grad", "jacobian",
    "hessian", "verify_grad", "numeric_grad", "grad_undefined", "grad_not_implemented",
    "DisconnectedType"))


def __getattr__(name):
    if name in _GRADIENT_NAMES:
        return getattr(_hooks.gradient_api.get(), name)
    raise AttributeError(f"module 'theano.tensor' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _GRADIENT_NAMES)
