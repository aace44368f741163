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


class NumpyAutocaster:
    """Theano's caster of Python numbers to NumPy values (``theano.scalar.autocast_float``).

    Under ``cast_policy='custom'`` (Theano's default) a value takes the first dtype of
    `dtypes` that holds it exactly (float16 only when floatX is float16), the last one
    otherwise; a Python float becomes floatX when floatX is float32 or float16 and among
    `dtypes`.  ``'numpy'`` keeps NumPy's dtype; ``'numpy+floatX'`` makes Python floats
    floatX.  `autocast_float_as` (scalar/type.py) swaps `dtypes` for a ``with`` block.
    """

    def __init__(self, dtypes):
        self.dtypes = tuple(dtypes)

    def __call__(self, x):
        if not (isinstance(x, (int, float)) or (isinstance(x, np.ndarray) and x.ndim == 0)):
            raise TypeError(f"NumpyAutocaster casts Python ints, floats and 0-d arrays, "
                            f"got {x!r}")
        if config.cast_policy == "numpy":
            return np.asarray(x)
        if config.cast_policy == "numpy+floatX":
            rval = np.asarray(x)
            if not hasattr(x, "dtype") and str(rval.dtype) in ("float64", "float32") \
                    and str(rval.dtype) != config.floatX:
                rval = rval.astype(config.floatX)
            return rval
        if str(getattr(x, "dtype", None)) in self.dtypes:
            return np.asarray(x)
        # (casts overflowing float32, e.g. 1e40 -> inf, are expected here: no warning)
        with np.errstate(all="ignore"):
            if isinstance(x, float) and config.floatX in self.dtypes \
                    and config.floatX != "float64":
                return np.asarray(x, dtype=config.floatX)
            x_ = None
            # (x as an array: NumPy 2 would compare a Python float in the other operand's
            # precision, and 0.1 would "equal" float32(0.1))
            exact = np.asarray(x)
            for dtype in [d for d in self.dtypes
                          if config.floatX == "float16" or d != "float16"]:
                # (astype wraps an int out of range, where NumPy 2's asarray raises, as
                # Theano's NumPy cast did; the comparison then rejects the dtype)
                x_ = exact.astype(dtype)
                if np.all(exact == x_):
                    return x_
        if isinstance(x, int):
            # (Theano's NumPy raised here; theano.scalar.convert then tries uint64)
            raise OverflowError(f"Python int {x} does not fit in {self.dtypes[-1]}")
        return x_


autocast_int_caster = NumpyAutocaster(("int8", "int16", "int32", "int64"))
autocast_float_caster = NumpyAutocaster(("float16", "float32", "float64"))


def autocast_float(value):
    """Dtype of a Python float literal (Theano's ``autocast_float``, see `NumpyAutocaster`).

    floatX=float32: float32.  floatX=float64: float32 when the value survives a float32
    round trip (0.5 and inf -> float32, 0.1 -> float64); NaN never compares equal to
    itself, so it is float64, as in Theano 1.0.5.
    """
    return str(autocast_float_caster(float(value)).dtype)


def python_scalar_dtype(value):
    """Dtype Theano gives a Python scalar literal appearing in an expression."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, int):
        if config.cast_policy == "custom":
            return autocast_int(value)
        # 'numpy' and 'numpy+floatX': NumPy's dtype (int64; uint64 beyond it), as Theano's
        # autocast_int gave under these policies.
        return str(np.asarray(value).dtype)
    if isinstance(value, float):
        return autocast_float(value)
    if isinstance(value, complex):
        return "complex128"
    raise TypeError(f"not a Python scalar: {value!r}")
