"""theano.tensor.basic: the legacy path of the tensor construction and shape functions.

A facade (no logic of its own): the names Theano's ``tensor/basic.py`` offered, from the
modules of the tensor chain that define them (theano_compat/tensor/__init__.py):
conversion and casts (elemwise.py), shapes and views (shapes.py), allocation, ranges and
joins (construct.py), permutations (permute.py), the diagonal, sorting and nonzero helpers
(extra_ops.py) and the variable classes (variable.py).  The Op classes of shapes.py and
construct.py name this module as theirs, so pickles refer to ``theano.tensor.basic.X``.
"""

from __future__ import annotations

import numbers  # noqa: F401 - names this module had

import numpy as np  # noqa: F401

from ..backend import to_host  # noqa: F401
from ..config import config  # noqa: F401
from ..graph.basic import Apply, Constant, Variable  # noqa: F401
from ..graph.null import (  # noqa: F401
    DisconnectedType,
    disconnected_type,
    grad_not_implemented,
)
from ..graph.op import Op  # noqa: F401
from ..scalar import dtypes as D  # noqa: F401
from ..scalar import ops as S  # noqa: F401
from .construct import (  # noqa: F401
    ALLOC_FOLD_MAX_BYTES,
    ARange,
    Alloc,
    Choose,
    Eye,
    Join,
    Split,
    Tri,
    _nd_grid,
    _shape_entries,
    alloc,
    arange,
    choose,
    concatenate,
    eye,
    horizontal_stack,
    identity_like,
    int_vector_argument,
    join,
    join_,
    mgrid,
    ogrid,
    ones,
    roll,
    split,
    stack,
    stacklists,
    tri,
    tril,
    triu,
    vertical_stack,
    zeros,
)
from .elemwise import (  # noqa: F401
    AsTensorError,
    DimShuffle_,
    _convert_to_bool,
    _convert_to_complex64,
    _convert_to_complex128,
    _convert_to_float16,
    _convert_to_float32,
    _convert_to_float64,
    _convert_to_int8,
    _convert_to_int16,
    _convert_to_int32,
    _convert_to_int64,
    _convert_to_uint8,
    _convert_to_uint16,
    _convert_to_uint32,
    _convert_to_uint64,
    _flat,
    _make_cast,
    as_tensor,
    as_tensor_variable,
    cast,
    constant,
    fill,
    ones_like,
    second,
    sum_to_broadcast,
    zeros_like,
)
from .elemwise_ops import *  # noqa: F401,F403 - Theano's basic.py held add, exp...
from .extra_ops import (  # noqa: F401
    argsort,
    cumprod,
    cumsum,
    diag,
    diagonal,
    fill_diagonal,
    fill_diagonal_offset,
    flatnonzero,
    nonzero,
    nonzero_values,
    repeat,
    sort,
    tile,
)
from .permute import inverse_permutation  # noqa: F401
from .shapes import (  # noqa: F401
    MakeVector,
    NotScalarConstantError,
    Reshape,
    Shape,
    Shape_i,
    SpecifyShape,
    TensorCopy,
    _shape,
    _shape_vector,
    addbroadcast,
    as_type_of,
    dimshuffle,
    extract_constant,
    flatten,
    get_scalar_constant_value,
    get_vector_length,
    makeKeepDims,
    make_vector,
    reshape,
    shape,
    shape_padaxis,
    shape_padleft,
    shape_padright,
    specify_shape,
    squeeze,
    swapaxes,
    tensor_copy,
    transpose,
    unbroadcast,
)
from .type import Rebroadcast, TensorType, patternbroadcast  # noqa: F401
from .variable import TensorConstant, TensorVariable  # noqa: F401

# ----------------------------------------------------------------------------- test tolerances
# Theano's default tolerances of numeric comparisons (verify_grad, the tests' _allclose),
# by the lowest precision involved.  They live here, as in Theano, because code sets them
# as ``theano.tensor.basic.float32_atol = ...``: `_get_atol_rtol` reads this module's
# values at each call.  config.tensor.cmp_sloppy (1 or 2) loosens them, as in Theano.
if int(config.tensor.cmp_sloppy) > 1:
    float16_atol, float16_rtol = 1e-2, 5e-2
    float32_atol, float32_rtol = 5e-4, 1e-3
    float64_atol, float64_rtol = 1e-3, 1e-4
elif int(config.tensor.cmp_sloppy):
    float16_atol, float16_rtol = 5e-3, 1e-2
    float32_atol, float32_rtol = 1e-4, 1e-3
    float64_atol, float64_rtol = 1e-3, 1e-4
else:
    float16_atol, float16_rtol = 1e-3, 1e-3
    float32_atol, float32_rtol = 1e-5, 1e-5
    float64_atol, float64_rtol = 1e-8, 1e-5  # NumPy's allclose defaults


def _get_atol_rtol(a, b):
    """(atol, rtol) for comparing arrays `a` and `b`: those of the lower precision."""
    dtypes = (str(a.dtype), str(b.dtype))
    if "float16" in dtypes:
        return float16_atol, float16_rtol
    if "float32" in dtypes or "complex64" in dtypes:
        return float32_atol, float32_rtol
    return float64_atol, float64_rtol


def _allclose(a, b, rtol=None, atol=None):
    """np.allclose with the tolerances of `_get_atol_rtol` unless given."""
    a, b = np.asarray(a), np.asarray(b)
    atol_, rtol_ = _get_atol_rtol(a, b)
    return bool(np.allclose(a, b, atol=atol_ if atol is None else atol,
                            rtol=rtol_ if rtol is None else rtol))
