"""Scalar graphs: the `Scalar` type, its variables and constants (Theano's ``theano.scalar``).

Theano let a graph be built over single numbers: ``x = theano.scalar.float64('x')``,
``x + 1`` applies the scalar op ``add`` and gives another `ScalarVariable`; such graphs
compile (``theano.function``), are the inner graphs of ``Composite`` and are what a
``ScalarOp``'s ``grad`` sees.  This module holds the type side of them; the ops are the
declarations of scalar/ops.py (a `ScalarOp` applied to scalar variables builds an Apply
node, applied to tensors an Elemwise, see scalar/op.py).

The operators of `ScalarVariable` name their ops through `OPS_BY_NAME`, which every op
declaration fills (op.py, above this module, declares the ops).
"""

from __future__ import annotations

import builtins
import functools
import warnings

import numpy as np

from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.type import Type
from . import dtypes as D

# {name: scalar op}: filled by ScalarOp declarations (scalar/op.py) as they are made.
OPS_BY_NAME: dict = {}


class ComplexError(NotImplementedError):
    """Raised when an operation is not defined on complex numbers (``%`` for instance)."""


class IntegerDivisionError(Exception):
    """Raised by ``/`` on two integers when ``config.int_division == 'raise'``."""


class Scalar(Type):
    """The type of one number of a given dtype (Theano's ``theano.scalar.Scalar``).

    ``Scalar('float64')('x')`` is a `ScalarVariable`; ``get_scalar_type`` gives the shared
    instance per dtype (``theano.scalar.float64`` is one).  Values are NumPy scalars.
    """

    # (as Theano's; a compiled function returns a scalar result as a 0-d array here,
    # where Theano returned a NumPy scalar)
    ndim = 0

    def __init__(self, dtype):
        if dtype == "floatX":
            dtype = config.floatX
        dtype = str(np.dtype(dtype))
        if dtype not in D.all_dtypes:
            raise TypeError(f"Scalar: unsupported dtype {dtype!r}")
        self.dtype = dtype

    def dtype_specs(self):
        """``(numpy scalar type, C type name, C-API name)``, as Theano's."""
        cname = {"bool": "npy_bool", "float16": "npy_float16", "float32": "npy_float32",
                 "float64": "npy_float64", "complex64": "theano_complex64",
                 "complex128": "theano_complex128"}.get(self.dtype, f"npy_{self.dtype}")
        title = {"bool": "Bool", "complex64": "Complex64", "complex128": "Complex128"}.get(
            self.dtype, self.dtype.capitalize())
        return np.dtype(self.dtype).type, cname, title

    def filter(self, data, strict=False, allow_downcast=None):
        py_type = np.dtype(self.dtype).type
        if strict and not isinstance(data, py_type):
            raise TypeError(f"{data!r} is not a numpy scalar of dtype {self.dtype} "
                            "(strict=True)")
        arr = np.asarray(data)
        if arr.ndim != 0:
            raise TypeError(f"Scalar {self.dtype}: expected one number, got shape {arr.shape}")
        if arr.dtype.kind == "c" and self.dtype not in D.complex_dtypes:
            raise TypeError(f"Scalar {self.dtype}: cannot convert the complex value {data!r}")
        with np.errstate(all="ignore"):
            converted = py_type(arr[()])
        if allow_downcast or (allow_downcast is None and type(data) is float
                              and self.dtype == config.floatX) \
                or arr.dtype == converted.dtype or converted == arr[()]:
            return converted
        raise TypeError(f"Scalar {self.dtype}: {data!r} cannot accurately be converted to "
                        f"dtype {self.dtype} and allow_downcast is not True")

    def upcast(self, *others):
        return D.upcast(*[t.dtype for t in (self,) + others])

    def values_eq(self, a, b):
        return builtins.bool(a == b)

    def values_eq_approx(self, a, b, tolerance=1e-4):
        return builtins.bool(abs(a - b) <= (abs(a) + abs(b)) * tolerance)

    def may_share_memory(self, a, b):
        return False

    def get_shape_info(self, obj):
        return obj.itemsize

    def get_size(self, shape_info):
        return shape_info

    def __eq__(self, other):
        return type(self) is type(other) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("theano.scalar.Scalar", self.dtype))

    def __str__(self):
        return str(self.dtype)

    def __repr__(self):
        return f"Scalar({self.dtype})"


_SCALAR_TYPES: dict = {}


def get_scalar_type(dtype):
    """The shared `Scalar` type of `dtype` ('floatX' is config.floatX)."""
    if dtype == "floatX":
        dtype = config.floatX
    t = _SCALAR_TYPES.get(dtype)
    if t is None:
        t = _SCALAR_TYPES[dtype] = Scalar(dtype)
    return t


bool = get_scalar_type("bool")  # noqa: A001 - Theano's name
int8 = get_scalar_type("int8")
int16 = get_scalar_type("int16")
int32 = get_scalar_type("int32")
int64 = get_scalar_type("int64")
uint8 = get_scalar_type("uint8")
uint16 = get_scalar_type("uint16")
uint32 = get_scalar_type("uint32")
uint64 = get_scalar_type("uint64")
float16 = get_scalar_type("float16")
float32 = get_scalar_type("float32")
float64 = get_scalar_type("float64")
complex64 = get_scalar_type("complex64")
complex128 = get_scalar_type("complex128")

int_types = (int8, int16, int32, int64)
uint_types = (uint8, uint16, uint32, uint64)
float_types = (float16, float32, float64)
complex_types = (complex64, complex128)
integer_types = int_types + uint_types
discrete_types = (bool,) + integer_types
continuous_types = float_types + complex_types
all_types = discrete_types + continuous_types


# ----------------------------------------------------------------------------- autocasting

autocast_int = D.autocast_int_caster
autocast_float = D.autocast_float_caster


class autocast_float_as:  # noqa: N801 - Theano's name
    """``with autocast_float_as('float32'):`` Python float literals take the first of these
    dtypes that holds them (Theano's context manager; needs ``cast_policy='custom'``)."""

    def __init__(self, *dtypes):
        self.dtypes = dtypes
        _check_custom_policy()

    def __enter__(self):
        _check_custom_policy()
        self.old_dtypes = autocast_float.dtypes
        autocast_float.dtypes = self.dtypes
        return self

    def __exit__(self, *args):
        _check_custom_policy()
        autocast_float.dtypes = self.old_dtypes


def _check_custom_policy():
    if config.cast_policy != "custom":
        raise AssertionError("autocast_float_as needs config.cast_policy == 'custom', got "
                             f"{config.cast_policy!r}")


def convert(x, dtype=None):
    """`x` as a NumPy array of the dtype Theano's casting rules give it (or `dtype`)."""
    if dtype is not None:
        return np.asarray(x, dtype=dtype)
    if isinstance(x, int) and not isinstance(x, np.generic):
        try:
            return autocast_int(x)
        except OverflowError:
            return np.asarray(x, dtype="uint64")
    if isinstance(x, float) and not isinstance(x, np.generic):
        return autocast_float(x)
    if isinstance(x, np.ndarray):
        return x
    x_ = np.asarray(x)
    if x_.size == 0 and not hasattr(x, "dtype"):
        x_ = np.asarray(x, dtype=config.floatX)
    return x_


def constant(x, name=None, dtype=None):
    """A `ScalarConstant` holding `x` (``constant(2)`` is int8, as Theano's)."""
    x = convert(x, dtype=dtype)
    if x.ndim != 0:
        raise TypeError(f"theano.scalar.constant needs one number, got shape {x.shape}")
    return ScalarConstant(get_scalar_type(str(x.dtype)), x, name=name)


def as_scalar(x, name=None):
    """`x` as a scalar variable: a scalar variable itself, or a constant of a number."""
    if isinstance(x, Apply):
        if len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to be "
                             "fetched.", x)
        x = x.outputs[0]
    if isinstance(x, Variable):
        if isinstance(x.type, Scalar):
            return x
        raise TypeError(
            f"Variable {x} of type {x.type} is not a scalar variable: this project applies "
            "scalar ops to tensors as Elemwise (call the op on tensors only), and scalar "
            "graphs take scalar variables (theano.scalar.float64('x'))", x, x.type)
    try:
        return constant(x, name=name)
    except (TypeError, ValueError):
        raise TypeError(f"Cannot convert {x!r} to Scalar", type(x)) from None


def as_common_dtype(*vars):
    """The variables cast to their common (upcast) dtype."""
    dtype = D.upcast(*[v.dtype for v in vars])
    return (v.astype(dtype) for v in vars)


# ----------------------------------------------------------------------------- variables


def _op(name):
    return OPS_BY_NAME[name]


def int_or_true_div(x_discrete, y_discrete):
    """The op `/` applies: true_div, or (``int_division='raise'``) an error when both
    operands are integers."""
    if x_discrete and y_discrete:
        if config.int_division == "raise":
            raise IntegerDivisionError(
                "With `config.int_division` set to 'raise', dividing two integer types "
                "with '/' is forbidden to avoid confusion between integer and floating "
                "point divisions. Please use // for integer division, or if you want a "
                "float result either cast one of the arguments to a float or directly "
                "call `x.__truediv__(y)`.")
        if config.int_division == "int":
            warnings.warn("Division of two integer types with x / y is deprecated, please "
                          "use x // y for an integer division.", DeprecationWarning,
                          stacklevel=4)
            return _op("int_div")
    return _op("true_div")


def div_proxy(x, y):
    """``x / y`` as Theano's scalars did it (see `int_or_true_div`)."""
    f = int_or_true_div(as_scalar(x).type in discrete_types,
                        as_scalar(y).type in discrete_types)
    return f(x, y)


def mod_check(x, y):
    """``x % y``, refused on complex numbers (ComplexError), as Theano's."""
    if as_scalar(x).type in complex_types or as_scalar(y).type in complex_types:
        raise ComplexError("Theano does not support the mod operator (%) on complex "
                           "numbers, since numpy deprecated it.")
    return _op("mod")(x, y)


class _ScalarOperators:
    """Arithmetic, comparison and bit operators of scalar variables (each applies the scalar
    op of that name)."""

    ndim = 0

    @property
    def dtype(self):
        return self.type.dtype

    def __abs__(self):
        return _op("abs_")(self)

    def __neg__(self):
        return _op("neg")(self)

    def __invert__(self):
        return _op("invert")(self)

    def __lt__(self, other):
        return _op("lt")(self, other)

    def __le__(self, other):
        return _op("le")(self, other)

    def __gt__(self, other):
        return _op("gt")(self, other)

    def __ge__(self, other):
        return _op("ge")(self, other)

    def __and__(self, other):
        return _op("and_")(self, other)

    def __or__(self, other):
        return _op("or_")(self, other)

    def __xor__(self, other):
        return _op("xor")(self, other)

    def __rand__(self, other):
        return _op("and_")(other, self)

    def __ror__(self, other):
        return _op("or_")(other, self)

    def __rxor__(self, other):
        return _op("xor")(other, self)

    def __add__(self, other):
        return _op("add")(self, other)

    def __sub__(self, other):
        return _op("sub")(self, other)

    def __mul__(self, other):
        return _op("mul")(self, other)

    def __truediv__(self, other):
        return div_proxy(self, other)

    def __floordiv__(self, other):
        return _op("int_div")(self, other)

    def __mod__(self, other):
        return mod_check(self, other)

    def __pow__(self, other):
        return _op("pow")(self, other)

    def __radd__(self, other):
        return _op("add")(other, self)

    def __rsub__(self, other):
        return _op("sub")(other, self)

    def __rmul__(self, other):
        return _op("mul")(other, self)

    def __rtruediv__(self, other):
        return div_proxy(other, self)

    def __rfloordiv__(self, other):
        return _op("int_div")(other, self)

    def __rmod__(self, other):
        return mod_check(other, self)

    def __rpow__(self, other):
        return _op("pow")(other, self)

    def zeros_like(self, dtype=None):
        # The second operand is 0 of the chosen dtype (the constant gives the dtype).
        return _op("second")(self, constant(0, dtype=dtype or self.dtype))

    def ones_like(self, dtype=None):
        return _op("second")(self, constant(1, dtype=dtype or self.dtype))

    def astype(self, dtype):
        return cast(self, dtype)


def cast(x, dtype):
    """`x` (a scalar variable or number) converted to `dtype` (itself when it has it)."""
    if dtype == "floatX":
        dtype = config.floatX
    x = as_scalar(x)
    if x.type.dtype == dtype:
        return x
    if x.type.dtype.startswith("complex") and not dtype.startswith("complex"):
        raise TypeError("Casting from complex to real is ambiguous: consider real(), imag(), "
                        "angle() or abs()")
    return OPS_BY_NAME[f"convert_to_{dtype}"](x)


class ScalarVariable(_ScalarOperators, Variable):
    """A variable of a `Scalar` type."""


class ScalarConstant(_ScalarOperators, Constant):
    """A constant of a `Scalar` type (printed ``Constant{2}``, as Theano)."""

    def __str__(self):
        if self.name is not None:
            return self.name
        return f"Constant{{{self.data}}}"


def _multi(*fns):
    """Constructors of several variables at once: ``floats('xyz')`` is [x, y, z]."""
    def f2(f, names):
        if len(names) == 1:
            return f(names)
        return [f(name) for name in names]

    if len(fns) == 1:
        return functools.partial(f2, fns[0])
    return [functools.partial(f2, f) for f in fns]


ints = _multi(int64)
floats = _multi(float64)
complexs = _multi(complex128)
complexs64 = _multi(complex64)
complexs128 = _multi(complex128)

Scalar.Variable = ScalarVariable
Scalar.Constant = ScalarConstant

for _cls in (Scalar, ScalarVariable, ScalarConstant, ComplexError, IntegerDivisionError,
             autocast_float_as):
    _cls.__module__ = "theano.scalar.basic"
D.NumpyAutocaster.__module__ = "theano.scalar.basic"
