"""Scalar float64 arithmetic written inline as Python float expressions.

A per-sample training step (the classic ``X * w + b - Y`` on scalars) spends nearly all
its time in NumPy's per-call overhead on 0-d arrays (~0.5 µs per ufunc).  Python floats
are IEEE-754 doubles, and ``+ - *`` and negation on them round exactly as NumPy's float64
loops do (no fused multiply-add on either side), so an Elemwise node whose inputs and
output are all 0-d float64 and whose operations are only those can be computed on
Python floats with bit-identical results, ~20x faster.  Division is left to NumPy: it
differs on a zero divisor (Python raises, NumPy gives inf/nan).

Which ops qualify, and their Python text, is declared with each op (``py_form``, a
template over the argument expressions, in scalar/ops.py).
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Constant
from ..scalar.composite import Composite


def _float64_scalar(var):
    t = var.type
    return getattr(t, "ndim", None) == 0 and getattr(t, "dtype", None) == "float64"


def inline_expression(node, arg_exprs):
    """A Python expression computing `node` from its inputs' float expressions, or None
    when the node is not pure float64 scalar arithmetic of the supported kind."""
    op = getattr(node.op, "scalar_op", None)
    if op is None or len(node.outputs) != 1 or not _float64_scalar(node.outputs[0]):
        return None
    if not all(_float64_scalar(i) or _exact_float_constant(i) for i in node.inputs):
        return None
    if isinstance(op, Composite):
        if any(dt != "float64" for dt in op.input_dtypes) or \
                any(dt != "float64" or sop.py_form is None for sop, _, dt in op.nodes):
            return None
        refs = list(arg_exprs)
        for sop, args, _ in op.nodes:
            refs.append(sop.py_form.format(*[refs[a] for a in args]))
        return refs[op.output]
    template = getattr(op, "py_form", None)  # any Op with a `scalar_op` attribute gets here
    if template is None or len(arg_exprs) != op.nin:
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
