"""theano.tensor: tensor types, constructors and the operation library.

The gradient functions (``grad``, ``Rop``, ``Lop``, ``jacobian``, ``hessian``) live in
a higher layer; the top-level package binds them here (see ``theano_compat/__init__.py``).
"""

from __future__ import annotations

from ..config import config
from ..scalar import dtypes as _D
from . import variable  # noqa: F401,I001 - first: it binds basic/math/subtensor in order
from . import basic, elemwise, extra_ops, math, nnet, sharedvar, subtensor, var  # noqa: F401
from . import random, raw_random, shared_randomstreams  # noqa: F401,E402
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
from .extra_ops import to_one_hot  # noqa: F401
from .math import *  # noqa: F401,F403
from .math import abs_, all, any, max, min, pow, round, sum  # noqa: F401,A004
from .sharedvar import ScalarSharedVariable, TensorSharedVariable  # noqa: F401
from .subtensor import (  # noqa: F401
    AdvancedIncSubtensor,
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    AdvancedSubtensor1,
    IncSubtensor,
    Subtensor,
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
            return fn(names[0])
        return [fn(n) for n in names]

    return many


for _kind, _pattern in _PATTERNS.items():
    globals()[_kind] = _constructor(_pattern, None, _kind)
    globals()[_PLURALS[_kind]] = _multi(globals()[_kind])
    for _p, _dt in _PREFIXES.items():
        globals()[_p + _kind] = _constructor(_pattern, _dt, _p + _kind)
        globals()[_p + _PLURALS[_kind]] = _multi(globals()[_p + _kind])


def tensor(*args, **kwargs):
    """A variable of ``TensorType(dtype, broadcastable)`` (Theano's ``T.tensor``)."""
    name = kwargs.pop("name", None)
    return TensorType(*args, **kwargs)(name=name)


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
