"""theano.tensor.basic: the legacy path of the tensor construction and shape functions.

A facade (no logic of its own): the names Theano's ``tensor/basic.py`` offered, from the
modules of the tensor chain that define them (theano_compat/tensor/__init__.py):
conversion and casts (elemwise.py), shapes and views (shapes.py), allocation, ranges and
joins (construct.py), permutations (permute.py), the diagonal, sorting and nonzero helpers
(extra_ops.py), reductions and products (math.py) and the variable classes (variable.py).
The Op classes of shapes.py and construct.py name this module as theirs, so pickles refer
to ``theano.tensor.basic.X``.  Besides re-exports it holds what Theano's module defined
as data: the type constructors (``matrix``, ``fmatrix``, ``matrices``...), the tuples of
types and the dtype lists, the test tolerances, and a few tiny helpers.
"""

from __future__ import annotations

import builtins as _builtins
import types as _types
import numbers  # noqa: F401 - names this module had
import sys
from functools import partial  # noqa: F401

import numpy as np  # noqa: F401

from .. import scalar as scal  # noqa: F401 - Theano's name for theano.scalar here
from ..errors import ShapeError  # noqa: F401
from ..graph.type import Generic  # noqa: F401
from ..scalar import dtypes as _D
from ..scalar.type import Scalar as _Scalar

from ..backend import to_host  # noqa: F401
from ..config import config  # noqa: F401
from ..graph.basic import Apply, Constant, Variable  # noqa: F401
from ..graph.null import (  # noqa: F401
    DisconnectedType,
    disconnected_type,
    grad_not_implemented,
    grad_undefined,
)
from ..graph.op import Op  # noqa: F401
from ..scalar import dtypes as D  # noqa: F401
from ..scalar import ops as S  # noqa: F401
from .construct import (  # noqa: F401
    ALLOC_FOLD_MAX_BYTES,
    ARange,
    Alloc,
    AllocEmpty,
    Default,
    alloc_validate_shape,
    default,
    setdefault,
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
    CAReduce,
    Elemwise,
    Sum,
    DimShuffle,
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
from .elemwise_ops import isinf as _isinf_elemwise
from .elemwise_ops import isnan as _isnan_elemwise
from . import elemwise  # noqa: F401
from .math import (  # noqa: F401
    Argmax,
    Dot,
    _dot,
    MaxAndArgmax,
    Mean,
    all,
    allclose,
    any,
    argmax,
    argmin,
    batched_dot,
    batched_tensordot,
    ceil_intdiv,
    clip,
    cov,
    div_proxy,
    divmod,
    dot,
    iround,
    isclose,
    isinf,
    isnan,
    largest,
    max,
    max_and_argmax,
    mean,
    min,
    mod_check,
    outer,
    power,
    prod,
    ptp,
    round,
    smallest,
    std,
    sum,
    tensordot,
    var,
)
from .permute import PermuteRowElements, permute_row_elements  # noqa: F401
from .type import values_eq_approx_always_true  # noqa: F401
from .type_other import NoneConst  # noqa: F401
from .extra_ops import (  # noqa: F401
    AllocDiag,
    ExtractDiag,
    Nonzero,
    Tile,
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
    EmptyConstantError,
    Flatten,
    MakeVector,
    ScalarFromTensor,
    TensorFromScalar,
    _pack,
    check_and_normalize_axes,
    is_flat,
    numpy_scalar,
    scalar_from_tensor,
    tensor_from_scalar,
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
from .var import TensorConstantSignature  # noqa: F401
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


# ----------------------------------------------------------------------------- type constructors
_PREFIXES = {
    "b": "int8", "w": "int16", "i": "int32", "l": "int64",
    "f": "float32", "d": "float64", "c": "complex64", "z": "complex128",
}


def _constructor(pattern, kind):
    def make(name=None, dtype=None):
        return TensorType(dtype or config.floatX, pattern)(name)

    make.__name__ = kind
    make.__doc__ = f"A symbolic {kind} (floatX by default)."
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


def _typed(pattern):
    """The TensorTypes of `pattern` for the dtypes of _PREFIXES, in its order.  As in
    Theano, T.fmatrix and the like are TensorType instances (calling one makes a
    variable, and ``x.type == T.fmatrix`` compares types)."""
    return tuple(TensorType(dtype, pattern) for dtype in _PREFIXES.values())


def _plurals(*types):
    return tuple(_multi(t) for t in types)


# The constructors: matrix/matrices (floatX), then the types of each dtype prefix and
# their plurals (fmatrix/fmatrices...).
scalar = _constructor((), "scalar")
scalars = _multi(scalar)
bscalar, wscalar, iscalar, lscalar, fscalar, dscalar, cscalar, zscalar = _typed(())
bscalars, wscalars, iscalars, lscalars, fscalars, dscalars, cscalars, zscalars = _plurals(
    bscalar, wscalar, iscalar, lscalar, fscalar, dscalar, cscalar, zscalar)

vector = _constructor((False,), "vector")
vectors = _multi(vector)
bvector, wvector, ivector, lvector, fvector, dvector, cvector, zvector = _typed((False,))
bvectors, wvectors, ivectors, lvectors, fvectors, dvectors, cvectors, zvectors = _plurals(
    bvector, wvector, ivector, lvector, fvector, dvector, cvector, zvector)

matrix = _constructor((False, False), "matrix")
matrices = _multi(matrix)
bmatrix, wmatrix, imatrix, lmatrix, fmatrix, dmatrix, cmatrix, zmatrix = _typed((False, False))
bmatrices, wmatrices, imatrices, lmatrices, fmatrices, dmatrices, cmatrices, zmatrices = _plurals(
    bmatrix, wmatrix, imatrix, lmatrix, fmatrix, dmatrix, cmatrix, zmatrix)

row = _constructor((True, False), "row")
rows = _multi(row)
brow, wrow, irow, lrow, frow, drow, crow, zrow = _typed((True, False))
brows, wrows, irows, lrows, frows, drows, crows, zrows = _plurals(
    brow, wrow, irow, lrow, frow, drow, crow, zrow)

col = _constructor((False, True), "col")
cols = _multi(col)
bcol, wcol, icol, lcol, fcol, dcol, ccol, zcol = _typed((False, True))
bcols, wcols, icols, lcols, fcols, dcols, ccols, zcols = _plurals(
    bcol, wcol, icol, lcol, fcol, dcol, ccol, zcol)

tensor3 = _constructor((False,) * 3, "tensor3")
tensor3s = _multi(tensor3)
btensor3, wtensor3, itensor3, ltensor3, ftensor3, dtensor3, ctensor3, ztensor3 = _typed(
    (False,) * 3)
btensor3s, wtensor3s, itensor3s, ltensor3s, ftensor3s, dtensor3s, ctensor3s, ztensor3s = _plurals(
    btensor3, wtensor3, itensor3, ltensor3, ftensor3, dtensor3, ctensor3, ztensor3)

tensor4 = _constructor((False,) * 4, "tensor4")
tensor4s = _multi(tensor4)
btensor4, wtensor4, itensor4, ltensor4, ftensor4, dtensor4, ctensor4, ztensor4 = _typed(
    (False,) * 4)
btensor4s, wtensor4s, itensor4s, ltensor4s, ftensor4s, dtensor4s, ctensor4s, ztensor4s = _plurals(
    btensor4, wtensor4, itensor4, ltensor4, ftensor4, dtensor4, ctensor4, ztensor4)

tensor5 = _constructor((False,) * 5, "tensor5")
tensor5s = _multi(tensor5)
btensor5, wtensor5, itensor5, ltensor5, ftensor5, dtensor5, ctensor5, ztensor5 = _typed(
    (False,) * 5)
btensor5s, wtensor5s, itensor5s, ltensor5s, ftensor5s, dtensor5s, ctensor5s, ztensor5s = _plurals(
    btensor5, wtensor5, itensor5, ltensor5, ftensor5, dtensor5, ctensor5, ztensor5)

tensor6 = _constructor((False,) * 6, "tensor6")
tensor6s = _multi(tensor6)
btensor6, wtensor6, itensor6, ltensor6, ftensor6, dtensor6, ctensor6, ztensor6 = _typed(
    (False,) * 6)
btensor6s, wtensor6s, itensor6s, ltensor6s, ftensor6s, dtensor6s, ctensor6s, ztensor6s = _plurals(
    btensor6, wtensor6, itensor6, ltensor6, ftensor6, dtensor6, ctensor6, ztensor6)

tensor7 = _constructor((False,) * 7, "tensor7")
tensor7s = _multi(tensor7)
btensor7, wtensor7, itensor7, ltensor7, ftensor7, dtensor7, ctensor7, ztensor7 = _typed(
    (False,) * 7)
btensor7s, wtensor7s, itensor7s, ltensor7s, ftensor7s, dtensor7s, ctensor7s, ztensor7s = _plurals(
    btensor7, wtensor7, itensor7, ltensor7, ftensor7, dtensor7, ctensor7, ztensor7)


def tensor(*args, **kwargs):
    """A variable of ``TensorType(dtype, broadcastable)`` (Theano's ``T.tensor``)."""
    name = kwargs.pop("name", None)
    return TensorType(*args, **kwargs)(name=name)


# Tuples of types Theano exported at this level.
int_types = bscalar, wscalar, iscalar, lscalar
float_types = fscalar, dscalar
complex_types = cscalar, zscalar
int_scalar_types, float_scalar_types, complex_scalar_types = (int_types, float_types,
                                                              complex_types)
int_vector_types = bvector, wvector, ivector, lvector
float_vector_types = fvector, dvector
complex_vector_types = cvector, zvector
int_matrix_types = bmatrix, wmatrix, imatrix, lmatrix
float_matrix_types = fmatrix, dmatrix
complex_matrix_types = cmatrix, zmatrix

# Python-scalar dtype sets Theano exported at this level.
int_dtypes = _D.int_dtypes
uint_dtypes = _D.uint_dtypes
float_dtypes = _D.float_dtypes
complex_dtypes = _D.complex_dtypes
discrete_dtypes = _D.discrete_dtypes
continuous_dtypes = _D.continuous_dtypes
integer_dtypes = _D.integer_dtypes
all_dtypes = _D.all_dtypes


Tensor = TensorType


# ----------------------------------------------------------------------------- small names
# Names Theano's module held: Python builtins it shadowed, its Python 2 shims, the package.
python_all, python_any, python_complex = _builtins.all, _builtins.any, _builtins.complex
integer_types = (int,)
izip, xrange = zip, range
theano = sys.modules[__name__.split(".")[0]]  # the package (Theano's module imported it)


class _ModuleAbove(_types.ModuleType):
    """A module of a layer above this one that Theano's module imported (``compile``,
    ``printing``, ``gof``: ``from theano.tensor import *`` gave them): its attributes
    resolve through the package on use, when the whole package is loaded."""

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(getattr(theano, self.__name__.rsplit(".", 1)[1]), attr)


compile = _ModuleAbove("theano.compile")  # noqa: A001 - Theano's name
printing = _ModuleAbove("theano.printing")
gof = _ModuleAbove("theano.gof")
isinf_, isnan_ = _isinf_elemwise, _isnan_elemwise  # the Elemwise (isinf/isnan: math.py)
int32 = int32_t = _Scalar("int32")  # theano.scalar.int32, the Scalar type (Op params)
# Whether np.diagonal returns a view (True since NumPy 1.9; Theano tested it at import).
numpy_diagonal_return_view = True
constant_cache = elemwise.constant_cache  # Theano's cache of small constants (signature: constant)
# The scalar ops whose Elemwise get_scalar_constant_value folds (it folds every Elemwise
# of constants here).
get_scalar_constant_value_elemwises = (
    S.Cast, S.switch, S.neq, S.eq, S.lt, S.gt, S.le, S.ge, S.sub, S.add, S.mod, S.mul,
    S.int_div, S.true_div, S.minimum, S.maximum)


def constructor(f):
    """Theano's decorator marking a graph-building function (for its op list): returns f."""
    return f


def check_equal_numpy(x, y):
    """Whether two values are equal: arrays of one dtype and shape within 1e-10, random
    states with equal state, anything else by ``==``."""
    if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
        return bool(x.dtype == y.dtype and x.shape == y.shape
                    and np.all(np.abs(x - y) < 1e-10))
    if isinstance(x, np.random.RandomState) and isinstance(y, np.random.RandomState):
        return python_all(np.all(a == b) for a, b in zip(x.get_state(), y.get_state()))
    return x == y


_TRANSFER_FNS = []


def transfer(var, target):  # noqa: F811 - Theano's signature
    """`var` for the device `target` ('cpu', or one a `register_transfer` function
    handles; then the variable's own transfer checks the device exists)."""
    if target == "cpu":
        return as_tensor_variable(var)
    for fn in _TRANSFER_FNS:
        res = fn(var, target)
        if res is not None:
            return res
    return as_tensor_variable(var).transfer(target)


def register_transfer(fn):
    """Add `fn(var, target)` (a variable, or None when it does not handle `target`) to
    the functions `transfer` asks."""
    _TRANSFER_FNS.append(fn)
