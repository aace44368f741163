"""Theano's output-type rules over `Scalar` types (``theano.scalar.upcast_out``...).

A ``ScalarOp`` written in Theano's style declares its output types with one of these
(``output_types_preference``): each takes the input types and returns a tuple of output
types.  The table of scalar/ops.py declares the same rules over dtypes (scalar/op.py);
`from_dtype_rule` turns such a rule into one of these.
"""

from __future__ import annotations

from . import dtypes as D
from .type import (
    bool as bool_type,
    complex64,
    complex128,
    complex_types,
    float32,
    float64,
    float_types,
    get_scalar_type,
    int8,
    int64,
)

_TO_FLOAT = {get_scalar_type(k): get_scalar_type(v) for k, v in D._UPGRADE_TO_FLOAT.items()}


def _upcast(*types):
    return D.upcast(*[t.dtype for t in types])


def upcast_out(*types):
    return (get_scalar_type(_upcast(*types)),)


def upcast_out_nobool(*types):
    out = upcast_out(*types)
    if out[0] == bool_type:
        raise TypeError("bool output not supported")
    return out


def upcast_out_min8(*types):
    out = upcast_out(*types)
    return (int8,) if out[0] == bool_type else out


def upgrade_to_float(*types):
    """Integer and bool types become float32 (8 and 16 bits) or float64, then upcast."""
    return (get_scalar_type(_upcast(*[_TO_FLOAT.get(t, t) for t in types])),)


def upgrade_to_float64(*types):
    return (float64,)


def same_out(type):  # noqa: A002 - Theano's argument name
    return (type,)


def same_out_nobool(type):  # noqa: A002
    if type == bool_type:
        raise TypeError("bool input not supported")
    return (type,)


def same_out_min8(type):  # noqa: A002
    return (int8,) if type == bool_type else (type,)


def upcast_out_no_complex(*types):
    if any(t in complex_types for t in types):
        raise TypeError("complex type are not supported")
    return upcast_out(*types)


def same_out_float_only(type):  # noqa: A002
    if type not in float_types:
        raise TypeError("only float type are supported")
    return (type,)


class transfer_type:  # noqa: N801 - Theano's name
    """Output types copied from the inputs: ``transfer_type(1)`` gives input 1's type;
    None gives the upcast of all inputs, a string is used as it is."""

    __props__ = ("transfer",)

    def __init__(self, *transfer):
        if not all(type(x) in (int, str) or x is None for x in transfer):
            raise TypeError(f"transfer_type takes ints, strings or None, got {transfer}")
        self.transfer = transfer

    def __call__(self, *types):
        up = upcast_out(*types)
        out = []
        for i in self.transfer:
            if i is None:
                out.append(up)
            elif isinstance(i, str):
                out.append(i)
            else:
                out.append(types[i])
        return out

    def __eq__(self, other):
        return type(self) is type(other) and self.transfer == other.transfer

    def __hash__(self):
        return hash((type(self), self.transfer))

    def __str__(self):
        return f"transfer_type{{{self.transfer}}}"


class specific_out:  # noqa: N801
    """Fixed output types: ``specific_out(float64)``."""

    __props__ = ("spec",)

    def __init__(self, *spec):
        self.spec = spec

    def __call__(self, *types):
        return self.spec

    def __eq__(self, other):
        return type(self) is type(other) and self.spec == other.spec

    def __hash__(self):
        return hash((type(self), self.spec))


def int_out(*types):
    return (int64,)


def float_out(*types):
    return (float64,)


def upgrade_to_float_no_complex(*types):
    if any(t in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return upgrade_to_float(*types)


def same_out_nocomplex(type):  # noqa: A002
    if type in complex_types:
        raise TypeError("complex argument not supported")
    return (type,)


def int_out_nocomplex(*types):
    if any(t in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (int64,)


def float_out_nocomplex(*types):
    if any(t in complex_types for t in types):
        raise TypeError("complex argument not supported")
    return (float64,)


class unary_out_lookup:  # noqa: N801
    """Output types looked up in a table: ``unary_out_lookup({int8: int32})``; other input
    types raise TypeError."""

    def __init__(self, type_table):
        self.tbl = type_table

    def __call__(self, *types):
        if len(types) == 1:
            types = types[0]
        try:
            rval = self.tbl[types]
        except Exception:
            raise TypeError(types) from None
        return rval if isinstance(types, (list, tuple)) else [rval]

    def __eq__(self, other):
        return type(self) is type(other) and self.tbl == other.tbl

    def __hash__(self):
        return hash(type(self))


def real_out(type):  # noqa: A002
    if type == complex64:
        return (float32,)
    if type == complex128:
        return (float64,)
    return (type,)


def from_dtype_rule(rule):
    """The types rule of a dtype rule (``rule(*dtypes) -> dtype``)."""
    def types_rule(*types):
        return (get_scalar_type(rule(*[t.dtype for t in types])),)

    types_rule.__name__ = getattr(rule, "__name__", "dtype_rule")
    return types_rule


for _cls in (transfer_type, specific_out, unary_out_lookup):
    _cls.__module__ = "theano.scalar.basic"
