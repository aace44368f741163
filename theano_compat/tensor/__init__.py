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

import logging  # noqa: F401 - this import and the next four: names of Theano's module
import sys  # noqa: F401
from collections.abc import Iterable  # noqa: F401
from functools import partial  # noqa: F401
from textwrap import dedent  # noqa: F401

from .. import hooks as _hooks
from .. import scalar as scal  # noqa: F401 - Theano's name for it here
from ..errors import MethodNotDefined, ShapeError  # noqa: F401 - names of Theano's module
from ..graph.type import Generic, Type  # noqa: F401
from . import (  # noqa: F401 - submodules of theano.tensor
    basic,
    elemwise,
    elemwise_cgen,
    extra_ops,
    inc_code,
    inplace,
    math,
    nlinalg,
    nnet,
    random,
    raw_random,
    shared_randomstreams,
    sharedvar,
    signal,
    slinalg,
    subtensor,
    var,
    variable,
    xlogx,
)
from . import blas, blas_c, blas_scipy, fft, fourier, io, sort, utils  # noqa: F401 - (T.sort: the function)
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
from .io import *  # noqa: F401,F403 - Theano's theano.tensor imported io's names
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
from .subtensor import (  # noqa: F401 - Theano's Subtensor helpers, in its namespace too
    AdvancedBooleanIndexingError,
    AdvancedIndexingError,
    BaseAdvancedIncSubtensor,
    BaseAdvancedSubtensor,
    SubtensorPrinter,
    adv_index_broadcastable_pattern,
    as_index_variable,
    check_advanced_indexing_dimensions,
    check_and_reject_bool,
    get_canonical_form_slice,
    get_idx_list,
    make_constant,
    sparse_module_ref,
)
from .type import Rebroadcast, TensorType, hashtype, patternbroadcast  # noqa: F401
from .variable import AsTensorError, TensorConstant, TensorVariable, _tensor_py_operators  # noqa: F401

# The type constructors (matrix, fmatrix, matrices...), the tuples of types and the dtype
# lists come from basic.py (Theano defined them there).

sqr = math.sqr
square = math.sqr

# Small names Theano's tensor namespace carried (Tensor, isinf_, python_all...): basic.py.
# Default tolerances of Theano's numeric comparisons (verify_grad, allclose in tests):
# copies of theano.tensor.basic's, as Theano's star import made them.
float16_atol, float16_rtol = basic.float16_atol, basic.float16_rtol
float32_atol, float32_rtol = basic.float32_atol, basic.float32_rtol
float64_atol, float64_rtol = basic.float64_atol, basic.float64_rtol


# More names of Theano's theano.tensor namespace (izip, xrange, theano, is_flat): basic.py.


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
