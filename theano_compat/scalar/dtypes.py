"""Dtype sets and Theano 1.0.5's promotion rules (upcast, upgrade_to_float, autocasting)."""

from __future__ import annotations

import numpy as np

from ..config import config

int_dtypes = ("int8", "int16", "int32", "int64")
uint_dtypes = ("uint8", "uint16", "uint32", "uint64")
float_dtypes = ("float16", "float32", "float64")
complex_dtypes = ("complex64", "complex128")
integer_dtypes = int_dtypes + uint_dtypes
discrete_dtypes = ("bool",) + integer_dtypes
continuous_dtypes = float_dtypes + complex_dtypes
all_dtypes = discrete_dtypes + continuous_dtypes

_UPGRADE_TO_FLOAT = {
    "bool": "float32",
    "int8": "float32",
    "uint8": "float32",
    "int16": "float32",
    "uint16": "float32",
    "int32": "float64",
    "uint32": "float64",
    "int64": "float64",
    "uint64": "float64",
}


def upcast(dtype, *dtypes):
    """The dtype NumPy gives when combining values of the given dtypes (Theano's upcast).

    With ``cast_policy='numpy+floatX'`` and floatX float32, a float64 that came only from
    non-float64 inputs is kept at float32, as Theano did.
    """
    all_types = (dtype,) + dtypes
    result = str(np.result_type(*[np.dtype(d) for d in all_types]))
    if (
        result == "float64"
        and config.cast_policy == "numpy+floatX"
        and config.floatX == "float32"
        and "float64" not in all_types
    ):
        return "float32"
    return result


def upgrade_to_float(dtype):
    """The float dtype a transcendental op returns for this input dtype."""
    return _UPGRADE_TO_FLOAT.get(dtype, dtype)


def is_discrete(dtype):
    return dtype in discrete_dtypes


def is_float(dtype):
    return dtype in float_dtypes


def autocast_int(value):
    """The smallest int dtype (int8..int64) holding a Python int, else uint64."""
    for dt in int_dtypes:
        info = np.iinfo(dt)
        if info.min <= value <= info.max:
            return dt
    if 0 <= value <= np.iinfo("uint64").max:
        return "uint64"
    raise OverflowError(f"Python int {value} does not fit in 64 bits")


_F32_MAX = float(np.finfo(np.float32).max)
_INFS = (float("inf"), float("-inf"))


def autocast_float(value):
    """Dtype of a Python float literal under Theano's 'custom' cast policy.

    floatX=float32: always float32.  floatX=float64: float32 when the value survives a
    float32 round trip (0.5 and inf -> float32, 0.1 -> float64); NaN never compares equal
    to itself, so it is float64, as in Theano 1.0.5.
    """
    if config.cast_policy == "numpy":
        return "float64"
    if config.floatX in ("float32", "float16") and config.cast_policy in ("custom", "numpy+floatX"):
        return config.floatX
    # (range checked first: NumPy warns when a cast to float32 overflows, e.g. 1e40)
    if value in _INFS or (abs(value) <= _F32_MAX and float(np.float32(value)) == value):
        return "float32"
    return "float64"


def python_scalar_dtype(value):
    """Dtype Theano gives a Python scalar literal appearing in an expression."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, int):
        return autocast_int(value) if config.cast_policy != "numpy" else "int64"
    if isinstance(value, float):
        return autocast_float(value)
    if isinstance(value, complex):
        return "complex128"
    raise TypeError(f"not a Python scalar: {value!r}")
