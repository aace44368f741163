"""theano.scalar.basic: Theano 1.0.5's scalar module (a facade).

The scalar types and variables are in scalar/type.py, Theano's output-type rules in
scalar/type_rules.py, ScalarOp and its base classes in scalar/op.py, the ops themselves
(one declaration each) in scalar/ops.py and Composite in scalar/composite.py.  Each op's
class (``Add``, ``Exp``, ``LT``...) is the class of its declaration.
"""

import builtins
import math  # noqa: F401 - a name of Theano's module
import warnings  # noqa: F401 - a name of Theano's module
from collections.abc import Callable  # noqa: F401
from copy import copy  # noqa: F401
from functools import partial  # noqa: F401
from itertools import chain  # noqa: F401
from textwrap import dedent  # noqa: F401

import numpy as np  # noqa: F401
import six  # noqa: F401

from ..config import config  # noqa: F401
from ..graph.basic import Apply, Constant, Variable  # noqa: F401
from ..graph.fgraph import FunctionGraph  # noqa: F401
from ..graph.null import DisconnectedType, grad_undefined  # noqa: F401
from ..graph.op import Op  # noqa: F401
from ..graph.type import Type  # noqa: F401
from .composite import Composite  # noqa: F401
from .dtypes import NumpyAutocaster, upcast  # noqa: F401
from .op import (  # noqa: F401
    BinaryBitOp,
    BinaryScalarOp,
    FixedLogicalComparison,
    LogicalComparison,
    ScalarOp,
    UnaryBitOp,
    UnaryScalarOp,
    theano_class,
)
from .ops import *  # noqa: F401,F403 - every op of the table
from .ops import (  # noqa: F401
    Cast,
    InRange,
    cast_op,
    round_half_away_from_zero_,
    round_half_away_from_zero_vec,
    round_half_away_from_zero_vec32,
    round_half_away_from_zero_vec64,
)
from .type import (  # noqa: F401
    ComplexError,
    IntegerDivisionError,
    Scalar,
    ScalarConstant,
    ScalarVariable,
    all_types,
    as_common_dtype,
    as_scalar,
    autocast_float,
    autocast_float_as,
    autocast_int,
    bool,
    cast,
    complex64,
    complex128,
    complex_types,
    complexs,
    complexs64,
    complexs128,
    constant,
    continuous_types,
    convert,
    discrete_types,
    div_proxy,
    float16,
    float32,
    float64,
    float_types,
    floats,
    get_scalar_type,
    int8,
    int16,
    int32,
    int64,
    int_or_true_div,
    int_types,
    integer_types,
    ints,
    mod_check,
    uint8,
    uint16,
    uint32,
    uint64,
    uint_types,
)
from .type_rules import (  # noqa: F401 - Theano's rules over types (not ops.py's dtype rules)
    float_out,
    float_out_nocomplex,
    int_out,
    int_out_nocomplex,
    real_out,
    same_out,
    same_out_float_only,
    same_out_min8,
    same_out_nobool,
    same_out_nocomplex,
    specific_out,
    transfer_type,
    unary_out_lookup,
    upcast_out,
    upcast_out_min8,
    upcast_out_no_complex,
    upcast_out_nobool,
    upgrade_to_float,
    upgrade_to_float64,
    upgrade_to_float_no_complex,
)

builtin_bool = builtins.bool
builtin_complex = builtins.complex
builtin_int = builtins.int
builtin_float = builtins.float
imap = map
izip = zip
xrange = range
floor_div = int_div  # noqa: F405

inopenrange = InRange(True, True)
inclosedrange = InRange(False, False)

convert_to_bool = cast_op("bool")
convert_to_int8 = cast_op("int8")
convert_to_int16 = cast_op("int16")
convert_to_int32 = cast_op("int32")
convert_to_int64 = cast_op("int64")
convert_to_uint8 = cast_op("uint8")
convert_to_uint16 = cast_op("uint16")
convert_to_uint32 = cast_op("uint32")
convert_to_uint64 = cast_op("uint64")
convert_to_float16 = cast_op("float16")
convert_to_float32 = cast_op("float32")
convert_to_float64 = cast_op("float64")
convert_to_complex64 = cast_op("complex64")
convert_to_complex128 = cast_op("complex128")

Add = theano_class("add")
Sub = theano_class("sub")
Mul = theano_class("mul")
TrueDiv = theano_class("true_div")
IntDiv = theano_class("int_div")
Mod = theano_class("mod")
Pow = theano_class("pow")
Neg = theano_class("neg")
Abs = theano_class("abs_")
Sgn = theano_class("sgn")
Inv = theano_class("inv")
Sqr = theano_class("sqr")
Sqrt = theano_class("sqrt")
Maximum = theano_class("maximum")
Minimum = theano_class("minimum")
Second = theano_class("second")
Identity = theano_class("identity")
Exp = theano_class("exp")
Exp2 = theano_class("exp2")
Expm1 = theano_class("expm1")
Log = theano_class("log")
Log2 = theano_class("log2")
Log10 = theano_class("log10")
Log1p = theano_class("log1p")
Sin = theano_class("sin")
Cos = theano_class("cos")
Tan = theano_class("tan")
ArcSin = theano_class("arcsin")
ArcCos = theano_class("arccos")
ArcTan = theano_class("arctan")
ArcTan2 = theano_class("arctan2")
Sinh = theano_class("sinh")
Cosh = theano_class("cosh")
Tanh = theano_class("tanh")
ArcSinh = theano_class("arcsinh")
ArcCosh = theano_class("arccosh")
ArcTanh = theano_class("arctanh")
Deg2Rad = theano_class("deg2rad")
Rad2Deg = theano_class("rad2deg")
Ceil = theano_class("ceil")
Floor = theano_class("floor")
Trunc = theano_class("trunc")
RoundHalfToEven = theano_class("round_half_to_even")
RoundHalfAwayFromZero = theano_class("round_half_away_from_zero")
LT = theano_class("lt")
GT = theano_class("gt")
LE = theano_class("le")
GE = theano_class("ge")
EQ = theano_class("eq")
NEQ = theano_class("neq")
IsNan = theano_class("isnan")
IsInf = theano_class("isinf")
AND = theano_class("and_")
OR = theano_class("or_")
XOR = theano_class("xor")
Invert = theano_class("invert")
Switch = theano_class("switch")
Clip = theano_class("clip")
Real = theano_class("real")
Imag = theano_class("imag")
Conj = theano_class("conj")
Angle = theano_class("angle")
Complex = theano_class("complex")
ComplexFromPolar = theano_class("complex_from_polar")
