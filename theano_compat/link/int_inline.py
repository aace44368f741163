"""0-d integer Elemwise nodes computed on Python ints.

The index arithmetic of a scan gradient (the bounds of reversed slices: chains of
``Switch``, ``LT``, ``GE``, ``+``, ``-``, ``minimum`` on int64 scalars) compiles to 0-d
integer Elemwise nodes, each ~20-45 µs through the generic NumPy path (ufunc calls on 0-d
arrays, the Composite's per-step casts, the divisor checks) for a few nanoseconds of
arithmetic.  A node whose inputs and output are 0-d integer or boolean tensors and whose
operations all have a Python-int form gets instead one generated Python function over
Python ints; its result is the NumPy scalar of the node's dtype, as the ufuncs give.

Which ops qualify, and their text: ``py_int_form`` of the op (scalar/ops.py: comparisons,
``Switch``, ``//``, ``%``, min/max, abs), else its ``py_form`` (``+ - *``, negation,
identity), and casts between integer dtypes (a cast to bool is ``x != 0``).

Exactness (the results equal NumPy's):

* Python ints do not wrap.  Every intermediate whose value may lie outside its dtype's
  range is checked against that range, and an out-of-range value (NumPy would wrap:
  int8 ``100 + 100``, ``abs`` of the most negative value, ``INT64_MIN // -1``) sends the
  call to the NumPy path (the node's ordinary runner), which gives NumPy's wrapped value.
  A value known to lie in range is not checked: comparisons (0 or 1) and selections
  (Switch, min, max, identity, casts) of values already in range of a dtype the result's
  dtype contains.  Python ints are unbounded, so an intermediate product cannot overflow
  before its check.
* ``//`` and ``%`` on Python ints floor and take the divisor's sign as NumPy's
  floor_divide and remainder do.  A zero divisor (Python raises ZeroDivisionError)
  sends the call to the NumPy path, which raises the error it raises there (Theano's C
  code raised ZeroDivisionError; scalar/ops.py ``_check_divisor``).  Every intermediate
  is computed, both sides of a Switch included, as NumPy evaluates both.
* Operations NumPy refuses or treats specially on booleans (``-``, negation, ``//``,
  ``%`` of a bool operand) are left to the NumPy path; ``+`` and ``*`` of bools give
  ``or`` and ``and`` (a sum of 2 is out of bool's range: the NumPy path).
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Constant
from ..scalar.composite import Composite
from ..tensor.elemwise import Elemwise

_COMPARISONS = {"({0} < {1})", "({0} > {1})", "({0} <= {1})", "({0} >= {1})",
                "({0} == {1})", "({0} != {1})"}
_SELECTIONS = {"({1} if {0} else {2})": (1, 2), "max({0}, {1})": (0, 1),
               "min({0}, {1})": (0, 1), "{0}": (0,)}
_NO_BOOL = {"({0} - {1})", "(-{0})", "({0} // {1})", "({0} % {1})"}


def _range(dtype):
    if dtype == "bool":
        return 0, 1
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def _int_dtype(dtype):
    try:
        return np.dtype(dtype).kind in "biu"
    except TypeError:
        return False


def _template(sop, in_dtypes):
    """The Python-int text of scalar op `sop` on operands of `in_dtypes`, or None."""
    o_dtype = getattr(sop, "o_dtype", None)
    if o_dtype is not None:  # a cast
        return "({0} != 0)" if o_dtype == "bool" else "{0}"
    template = getattr(sop, "py_int_form", None) or getattr(sop, "py_form", None)
    if template is None or "_py" in template or "." in template:
        return None  # (a float form: _py_div, float literals)
    if template in _NO_BOOL and "bool" in in_dtypes:
        return None
    return template


def _steps(node):
    """[(template, operand refs, dtype)], input dtypes, output ref; or None."""
    op = node.op
    if not isinstance(op, Elemwise) or op.inplace_pattern or len(node.outputs) != 1 \
            or getattr(op, "destroy_map", None):
        return None
    variables = list(node.inputs) + list(node.outputs)
    if any(getattr(v.type, "ndim", None) != 0 or not _int_dtype(getattr(v.type, "dtype", None))
           for v in variables):
        return None
    sop = op.scalar_op
    in_dtypes = [i.type.dtype for i in node.inputs]
    if isinstance(sop, Composite):
        if sop.nin != len(node.inputs) or getattr(sop, "nout", 1) != 1 or \
                list(sop.input_dtypes) != in_dtypes:
            return None
        nodes, output = sop.nodes, sop.output
    else:
        if getattr(sop, "nin", None) != len(node.inputs):
            return None
        nodes = [(sop, tuple(range(len(in_dtypes))), node.outputs[0].type.dtype)]
        output = len(in_dtypes)
    dtypes = list(in_dtypes)
    steps = []
    for s, refs, dt in nodes:
        if not _int_dtype(dt):
            return None
        template = _template(s, [dtypes[r] for r in refs])
        if template is None:
            return None
        steps.append((template, refs, dt))
        dtypes.append(dt)
    if dtypes[output] != node.outputs[0].type.dtype:
        return None
    return steps, in_dtypes, output


def supported(node):
    """Whether `node` is computed on Python ints here."""
    return _steps(node) is not None


def source(node):
    """The generated function's source (``def _int_node(a0, ...)``), or None."""
    plan = _steps(node)
    if plan is None:
        return None
    steps, in_dtypes, output = plan
    params = [f"a{k}" for k in range(len(in_dtypes))]
    body, names, bounds = [], [], []
    for k, (var, dt) in enumerate(zip(node.inputs, in_dtypes)):
        if isinstance(var, Constant):
            value = int(np.asarray(var.data))
            names.append(repr(value))
            bounds.append((value, value))
        else:
            body.append(f"x{k} = int(a{k})")
            names.append(f"x{k}")
            bounds.append(_range(dt))
    fallback = f"return _fallback({', '.join(params)})"
    for j, (template, refs, dt) in enumerate(steps):
        name = f"v{j}"
        body.append(f"{name} = {template.format(*[names[r] for r in refs])}")
        lo, hi = _range(dt)
        if template in _COMPARISONS:
            known = (0, 1)
        elif template in _SELECTIONS or template == "({0} != 0)":
            picked = [bounds[refs[p]] for p in _SELECTIONS.get(template, (0,))]
            known = (min(b[0] for b in picked), max(b[1] for b in picked))
            if template == "({0} != 0)":
                known = (0, 1)
        else:
            known = None
        if known is None or known[0] < lo or known[1] > hi:
            body.append(f"if not {lo} <= {name} <= {hi}: {fallback}")
            known = (lo, hi)
        names.append(name)
        bounds.append(known)
    lines = [f"def _int_node({', '.join(params)}):", "    try:"]
    lines += [f"        {text}" for text in body]
    lines += ["    except ZeroDivisionError:",  # the NumPy path raises its own error
              f"        {fallback}",
              f"    return _out({names[output]})"]
    return "\n".join(lines) + "\n"


def int_runner(node, fallback):
    """A runner computing 0-d integer `node` on Python ints, which calls `fallback` (the
    node's ordinary runner) where NumPy's result differs (module docstring); `fallback`
    itself where the node does not qualify."""
    text = source(node)
    if text is None:
        return fallback
    glob = {"_fallback": fallback, "_out": np.dtype(node.outputs[0].type.dtype).type}
    exec(compile(text, "<int_inline>", "exec"), glob)
    fn = glob["_int_node"]
    fn.source = text
    return fn
