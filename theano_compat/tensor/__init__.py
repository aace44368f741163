"""theano.tensor: tensor types, constructors and the operation library.

The package is a facade over the tensor chain: modules in which each imports only the
ones before it (and the lower layers), all at the top, checked by
tests/unit/tensor/test_chain.py.  In order:

    type          TensorType (its variable classes are the attributes TensorType.Variable
                  and .Constant, set by variable.py), Rebroadcast, patternbroadcast
    elemwise      as_tensor_variable/constant, Elemwise, DimShuffle, the CAReduce
                  reductions, and the builders their gradients use (cast, fill,
                  zeros_like, sum...): one module, as they build on one another
    elemwise_ops  theano.tensor.add, exp, tanh...: the Elemwise of every scalar op that
                  scalar/ops.py declares with tensor=True
    shapes        Shape, Shape_i, MakeVector, Reshape, SpecifyShape, dimshuffle helpers,
                  get_scalar_constant_value
    construct     Alloc, ARange, Eye, Tri, Join/Split/stack, Choose, grids; it fills
                  hooks.stack_tensors, through which as_tensor_variable stacks a list of
                  variables
    permute       PermuteRowElements, inverse_permutation
    batched       batched products (batched_dot, batched_tensordot: one matmul/einsum)
    math          reductions, dot/tensordot, argmax, clip, mean/var, special functions
    subtensor     indexing and set/inc_subtensor
    extra_ops     cumsum, sort, repeat, diagonals, nonzero, unique...
    inplace       theano.tensor.inplace: the *_inplace Elemwise of the same table
    variable      TensorVariable/TensorConstant and their operator methods; it sets
                  TensorType.Variable/Constant
    sharedvar     TensorSharedVariable (registers with theano.shared)

Facades (no logic; they may import from anywhere in the chain): this package, basic.py
and var.py (Theano's module paths).  The other submodules (nnet, signal, random...,
rewrites, nlinalg, slinalg, ifelse, opfromgraph) sit above the chain.

The gradient functions (``grad``, ``Rop``, ``Lop``, ``jacobian``, ``hessian``) live in a
higher layer: their names here resolve through ``hooks.gradient_api`` (see the bottom).
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import builtins as _builtins
import logging  # noqa: F401 - this import and the next four: names of Theano's module
import sys  # noqa: F401
from collections.abc import Iterable  # noqa: F401
from functools import partial  # noqa: F401
from textwrap import dedent  # noqa: F401

from .. import hooks as _hooks
from .. import scalar as scal  # noqa: F401 - Theano's name for it here
from ..config import config
from ..errors import MethodNotDefined, ShapeError  # noqa: F401 - names of Theano's module
from ..graph.type import Generic, Type  # noqa: F401
from ..scalar import dtypes as _D
from . import (  # noqa: F401 - submodules of theano.tensor
    basic,
    elemwise,
    extra_ops,
    inplace,
    math,
    nlinalg,
    nnet,
    random,
    raw_random,
    shared_randomstreams,
    sharedvar,
    slinalg,
    subtensor,
    var,
    variable,
    xlogx,
)
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
from .type_other import (  # noqa: F401 - Theano's tensor namespace had these
    MakeSlice,
    NoneConst,
    NoneTypeT,
    SliceConstant,
    SliceType,
    as_int_none_variable,
    make_slice,
    none_type_t,
    slicetype,
)
from .elemwise_ops import *  # noqa: F401,F403 - every op of the table (add, exp...)
from .elemwise_ops import abs_, pow  # noqa: F401,A004
from .math import *  # noqa: F401,F403
from .math import all, any, max, min, round, sum  # noqa: F401,A004
from .sharedvar import ScalarSharedVariable, TensorSharedVariable  # noqa: F401
from .sharedvar import tensor_constructor as _shared  # noqa: F401 - Theano's T._shared
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

sqr = math.sqr
square = math.sqr

# Small names Theano's tensor namespace carried.
Tensor = TensorType
isinf_, isnan_ = math.isinf, math.isnan
python_all, python_any, python_complex = _builtins.all, _builtins.any, _builtins.complex
integer_types = (int,)
# Default tolerances of Theano's numeric comparisons (verify_grad, allclose in tests):
# copies of theano.tensor.basic's, as Theano's star import made them.
float16_atol, float16_rtol = basic.float16_atol, basic.float16_rtol
float32_atol, float32_rtol = basic.float32_atol, basic.float32_rtol
float64_atol, float64_rtol = basic.float64_atol, basic.float64_rtol


# More names of Theano's theano.tensor namespace (`from theano.tensor import *` gave them).
izip, xrange = zip, range
theano = sys.modules[__name__.rpartition(".")[0]]  # the package (Theano imported it here)


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
