"""Scalar float64 arithmetic written inline as Python float expressions.

A per-sample training step (the classic ``X * w + b - Y`` on scalars) spends nearly all
its time in NumPy's per-call overhead on 0-d arrays (~0.5 µs per ufunc).  Python floats
are IEEE-754 doubles, and ``+ - *`` and negation on them round exactly as NumPy's float64
loops do (no fused multiply-add on either side), so an Elemwise node whose inputs and
output are all 0-d float64 and whose operations are only those can be computed on
Python floats with bit-identical results, ~20x faster.  Division is left to NumPy: it
differs on a zero divisor (Python raises, NumPy gives inf/nan).

Which ops qualify, and their Python text, is declared with each op (``py_form``, a
template over the argument expressions, in scalar/ops.py).  Besides those: a cast of an
integer to float64 (the input is converted by ``float()``, which rounds as NumPy's cast
does), and true division through `py_div`, which gives NumPy's inf/nan (and its
warning) for a zero divisor: ``x / n`` with n from an integer shape (``inv``, the 1 / n
of a mean's gradient, declares ``_py_div(1.0, {0})`` as its form).
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Constant
from ..scalar.composite import Composite


def _float64_scalar(var):
    t = var.type
    return getattr(t, "ndim", None) == 0 and getattr(t, "dtype", None) == "float64"


def py_div(a, b):
    """``a / b`` on Python floats as NumPy divides float64: inf or nan, with NumPy's
    warning, for a zero divisor (Python would raise ZeroDivisionError)."""
    if b:
        return a / b
    return float(np.true_divide(np.float64(a), np.float64(b)))


# Globals the expressions may name (the code generator binds them).
PY_HELPERS = {"_py_div": py_div}


def _template(sop):
    if sop.py_form is not None:
        return sop.py_form
    if getattr(sop, "o_dtype", None) == "float64":  # a cast to float64
        return "{0}"  # of a float64 value, or of an integer converted by float()
    if sop.symbol == "/" and sop.nin == 2:  # true division
        return "_py_div({0}, {1})"
    return None


def _int_scalar(var):
    t = var.type
    return getattr(t, "ndim", None) == 0 and not isinstance(var, Constant) and \
        np.dtype(getattr(t, "dtype", "object")).kind in "iu"


def _only_cast(op, k):
    """Whether every use of input `k` of scalar op `op` is a cast to float64."""
    if isinstance(op, Composite):
        return all(getattr(sop, "o_dtype", None) == "float64"
                   for sop, refs, _ in op.nodes if k in refs)
    return getattr(op, "o_dtype", None) == "float64"


def inline_expression(node, arg_exprs):
    """A Python expression computing `node` from its inputs' float expressions, or None
    when the node is not pure float64 scalar arithmetic of the supported kind (integer
    inputs only cast to float64 count: their float expressions are ``float()`` of
    them)."""
    op = getattr(node.op, "scalar_op", None)
    if op is None or len(node.outputs) != 1 or not _float64_scalar(node.outputs[0]):
        return None
    if not all(_float64_scalar(i) or _exact_float_constant(i)
               or (_int_scalar(i) and _only_cast(op, k))
               for k, i in enumerate(node.inputs)):
        return None
    if isinstance(op, Composite):
        if any(dt != "float64" for k, dt in enumerate(op.input_dtypes)
               if not _int_scalar(node.inputs[k])) or \
                any(dt != "float64" or _template(sop) is None for sop, _, dt in op.nodes):
            return None
        refs = list(arg_exprs)
        for sop, args, _ in op.nodes:
            refs.append(_template(sop).format(*[refs[a] for a in args]))
        return refs[op.output]
    template = _template(op) if hasattr(op, "py_form") else None  # (any Op with a
    if template is None or len(arg_exprs) != op.nin:              # scalar_op gets here)
        return None
    return template.format(*arg_exprs)


def _exact_float_constant(var):
    """A 0-d constant whose value converts to a Python float exactly (e.g. int8 2)."""
    if not isinstance(var, Constant) or getattr(var.type, "ndim", None) != 0:
        return False
    data = np.asarray(var.data)
    if data.dtype.kind not in "fiub":
        return False
    return float(data) == data and data.dtype.itemsize <= 8 and \
        (data.dtype.kind != "f" or data.dtype == np.float64)


def constant_literal(var):
    """The Python literal of a constant's float value (repr round-trips exactly)."""
    value = float(np.asarray(var.data))
    if value != value or value in (float("inf"), float("-inf")):
        return f"float('{value}')"
    return repr(value)
