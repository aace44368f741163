"""Nodes written out as lines of the program itself instead of a call to a runner.

Elementwise nodes dominate small training steps, and each Python call layer around a
ufunc (runner -> size check -> fused function) costs as much as the ufunc itself on a
few hundred floats.  So an Elemwise node whose scalar op is a ufunc, or a fused
Composite, is written into the program: its size checks as one ``if``, then the
Composite's body (link/fuse_cpu.py) with the program's own variable names.

Results of such nodes and of Dot can be written into buffers owned by the compiled
function (``out=``), reused from call to call and reallocated only when a shape changes
(see storage.plan_buffers for which results may live in one).
"""

from __future__ import annotations

import re

import numpy as np

from ..graph.basic import Constant
from ..scalar.composite import Composite
from ..scalar.dtype_casts import dtype_fixup
from ..tensor.elemwise import DimShuffle, Elemwise, Sum, node_scalar_op, size_checks
from ..tensor.math import Dot
from ..tensor.shapes import Shape_i
from .fuse_cpu import inline_lines, ufunc_like, writes_into_buffer


def _ufunc(op, xp):
    # a ufunc, or a function taking out= like one (scalar.ops.pow)
    return op.implementation(xp) if ufunc_like(op, xp) else None


def inlinable(node, xp):
    """Whether `node` is an Elemwise this module writes out (see the module docstring)."""
    op = node.op
    if not isinstance(op, Elemwise) or len(node.outputs) != 1 or op.inplace_pattern:
        return False  # (an in-place Elemwise runs its runner, which writes into the input)
    out = node.outputs[0].type
    if out.ndim == 0 or any(i.type.ndim != out.ndim for i in node.inputs):
        return False  # 0-d ufunc results are scalars, not arrays
    sop = node_scalar_op(node)  # (an n-ary add: its Composite)
    casts, cast_out = dtype_fixup(sop, [i.type.dtype for i in node.inputs], out.dtype)
    if any(casts) or cast_out is not None:
        return False
    if isinstance(sop, Composite):
        return sop.output >= sop.nin
    return _ufunc(sop, xp) is not None


def full_input(node):
    """Position of an input with the output's broadcastable pattern (its shape is the
    output's shape once the size checks pass), or None."""
    bcast = node.outputs[0].type.broadcastable
    # A constant may be passed as a 0-d array (scalar_constant_ok): prefer another input.
    matching = [k for k, i in enumerate(node.inputs) if i.type.broadcastable == bcast]
    return next((k for k in matching if not isinstance(node.inputs[k], Constant)),
                matching[0] if matching else None)


def scalar_constant_ok(node, i):
    """Whether constant input `i` of inlinable `node` (one element, every dimension
    broadcastable) may be passed as a 0-d array: some non-constant input then carries
    the result's ndim, and inside a Composite no step reads only constants (its result
    would be a NumPy scalar, which cannot receive ``out=``)."""
    var = node.inputs[i]
    if getattr(var.data, "size", 0) != 1 or not all(var.type.broadcastable):
        return False
    if not any(j != i and not isinstance(v, Constant) for j, v in enumerate(node.inputs)):
        return False
    sop = node_scalar_op(node)
    if isinstance(sop, Composite):
        const = {j for j, v in enumerate(node.inputs) if isinstance(v, Constant)}
        for j, (_op, refs, _dtype) in enumerate(sop.nodes):
            if all(r in const for r in refs):
                const.add(sop.nin + j)
                return False
    return True


def elemwise_writes_buffer(node, xp):
    """Whether an inlinable Elemwise can write its result into a given buffer."""
    if full_input(node) is None:
        return False
    sop = node_scalar_op(node)
    return writes_into_buffer(sop, xp) if isinstance(sop, Composite) else True


def float64_constant(node, i, value):
    """Constant input `i` of inlinable `node`, a 0-d array `value`, as a float64 0-d
    array when every step reading it runs NumPy's float64 loop anyway (its other operand
    is float64, the value converts exactly): the same results without NumPy's per-call
    type resolution of mixed dtypes (``sigmoid(z) > 0.5`` with a float32 0.5, the int8
    1 of ``1 - y``); else `value`."""
    if getattr(value, "ndim", None) != 0 or value.dtype == np.float64 or \
            value.dtype.kind not in "biuf":
        return value
    cast = value.astype(np.float64)
    with np.errstate(all="ignore"):
        if cast.astype(value.dtype) != value or cast != value:
            return value
    sop = node_scalar_op(node)
    if isinstance(sop, Composite):
        steps = [(op, refs, [sop.dtype_of(r) for r in refs]) for op, refs, _ in sop.nodes]
    else:
        steps = [(sop, tuple(range(len(node.inputs))), [v.type.dtype for v in node.inputs])]
    for op, refs, dtypes in steps:
        if i not in refs:
            continue
        others = [d for r, d in zip(refs, dtypes) if r != i]
        # A binary NumPy ufunc given a float64 array and a 0-d array of a dtype that
        # converts to float64 exactly runs its float64 loop (the 0-d value cast first).
        if getattr(op, "ufunc", None) is None or op.nin != 2 or not others or \
                any(d != "float64" for d in others):
            return value
    return cast


def float_inputs(node, candidates):
    """The positions among `candidates` (inputs of inlinable `node` that are float64
    values of one element, every dimension broadcastable, at hand as 0-d arrays) that
    may be passed as those 0-d arrays: NumPy computes the same values from them, and
    its inner loops run faster than over a stride-0 axis.  Needs a float64 result whose
    shape another input carries, and (as scalar_constant_ok) no step reading only such
    values and constants; every step reading one is float64 only."""
    out = node.outputs[0].type
    if not candidates or out.dtype != "float64":
        return ()
    if not any(k not in candidates and not isinstance(v, Constant)
               and v.type.broadcastable == out.broadcastable
               for k, v in enumerate(node.inputs)):
        return ()
    sop = node_scalar_op(node)
    if not isinstance(sop, Composite):
        ok = all(v.type.dtype == "float64" for v in node.inputs)
        return tuple(sorted(candidates)) if ok else ()
    scalar = set(candidates) | {k for k, v in enumerate(node.inputs)
                                if isinstance(v, Constant)}
    for _op, refs, dtype in sop.nodes:
        if all(r in scalar for r in refs):
            return ()
        if any(r in candidates for r in refs) and (
                dtype != "float64" or any(sop.dtype_of(r) != "float64" for r in refs)):
            return ()
    return tuple(sorted(candidates))


_SHAPE_TEST = re.compile(r"\{(\d+)\}\.shape(?:\[0\])? != \{(\d+)\}\.shape(?:\[0\])?")


def _vector_test(node, test):
    """A size test of `size_checks` comparing two vectors as their ``.size`` (an int per
    array, where ``.shape`` builds a tuple): the same condition, in less time."""
    m = _SHAPE_TEST.fullmatch(test)
    if m is None or any(node.inputs[int(k)].type.ndim != 1 for k in m.groups()):
        return test
    return f"{{{m.group(1)}}}.size != {{{m.group(2)}}}.size"


def _zero_d_views(node, floats):
    """Positions of the inputs of `node` that are float64 arrays of one element with every
    dimension broadcastable (the ``-1 / n`` of a mean's gradient, broadcast), not in
    `floats` already, and that may be read as a 0-d view of themselves (float_inputs):
    NumPy's loops over a 0-d operand cost about half those over a stride-0 axis, more
    than the view."""
    found = {k for k, v in enumerate(node.inputs)
             if k not in floats and not isinstance(v, Constant) and v.type.ndim >= 1
             and all(v.type.broadcastable) and v.type.dtype == "float64"}
    if not found:
        return ()
    ok = float_inputs(node, set(floats) | found)
    return tuple(sorted(found)) if ok else ()


def elemwise_lines(node, pos, args, target, glob, xp, donated=(), buffer=None,
                   replaced=None, floats=None):
    """Lines computing inlinable Elemwise `node` from the argument names `args` into
    `target`; `buffer` names an array of the result's shape to write into; `replaced`:
    {step of a Composite: name of an array holding its value} (see inline_lines);
    `floats`: {input position: name of a 0-d array to compute with instead} (see
    float_inputs; the size checks read the arrays)."""
    op = node.op
    lines = []
    tests, fail = size_checks(op, node)
    if tests:
        glob[f"_fail{pos}"] = fail
        tests = list(dict.fromkeys(_vector_test(node, t).format(*args) for t in tests))
        lines.append(f"if {' or '.join(tests)}: _fail{pos}({', '.join(args)})")
    views = _zero_d_views(node, floats or {})
    for k in views:
        lines.append(f"p{pos}s{k} = {args[k]}.reshape(())")
    floats = {**(floats or {}), **{k: f"p{pos}s{k}" for k in views}}
    if floats:
        args = [floats.get(k, a) for k, a in enumerate(args)]
    sop = node_scalar_op(node)  # (an n-ary add: its Composite)
    if isinstance(sop, Composite):
        lines.insert(0, f"# {op}")
        patterns = [i.type.broadcastable for i in node.inputs]
        prefix = f"p{pos}r"
        body = inline_lines(sop, xp, glob, args, target, prefix, patterns, donated, buffer,
                            replaced)
        lines.extend(body)
        registers = sorted({ln.split(" = ", 1)[0] for ln in body if ln.startswith(prefix)})
        registers += [f"p{pos}s{k}" for k in views]
        if registers:
            lines.append(f"del {', '.join(registers)}")  # temporaries die with the node
        return lines
    glob[f"op{pos}"] = _ufunc(sop, xp)
    out = f", out={buffer}" if buffer is not None else ""
    if donated and buffer is None:
        # An In(mutable=True) array the caller lets the function overwrite (when NumPy can).
        a = args[donated[0]]
        out = f", out=({a} if {a}.flags.writeable else None)"
    lines.append(f"{target} = op{pos}({', '.join(args)}{out})   # {op}")
    return lines


def dot_buffer_shape(node):
    """The shape expression (over argument names {0}, {1}) of a Dot result that can be
    computed with ``out=``, or None (mixed dtypes cast first; 0-d results are scalars)."""
    if not isinstance(node.op, Dot):
        return None
    x, y = node.inputs
    out = node.outputs[0].type
    if x.type.dtype != out.dtype or y.type.dtype != out.dtype:
        return None
    shapes = {(2, 2): "({0}.shape[0], {1}.shape[1])", (2, 1): "({0}.shape[0],)",
              (1, 2): "({1}.shape[1],)"}
    return shapes.get((x.type.ndim, y.type.ndim))


def sum_expression(node, args, glob, xp, array=True):
    """The expression Sum's runner evaluates (the ufunc's reduce), without the call of
    the runner, on NumPy; None for other nodes.  Without `array`, a total that nothing
    reads as an array (only Python-float arithmetic, scalar_inline.py) is left the NumPy
    scalar that the reduction returns."""
    op = node.op
    if type(op) is not Sum or xp is not np:
        return None
    ndim = node.inputs[0].type.ndim
    acc = op._acc_dtype(node.inputs[0].type.dtype)
    out = node.outputs[0].type.dtype
    glob["_sum_reduce"] = np.add.reduce
    if ndim == 1 and acc == node.inputs[0].type.dtype:
        expr = f"_sum_reduce({args[0]})"  # (the same reduction, fewer arguments)
    else:
        expr = f"_sum_reduce({args[0]}, axis={op._axes(ndim)!r}, dtype={acc!r})"
    if not array and out == acc and node.outputs[0].type.ndim == 0:
        return expr
    expr = f"_asarray({expr})"
    return expr if out == acc else expr + f".astype({out!r}, copy=False)"


def view_expression(node, args):
    """A Python expression for a DimShuffle (a view: ``x.T``, ``x[None, :]``) or Shape_i
    node over its argument names, the expression its impl evaluates; None for others."""
    op = node.op
    if isinstance(op, Shape_i) and type(op) is Shape_i:
        return f"_asarray({args[0]}.shape[{op.i}], 'int64')"
    if type(op) is not DimShuffle or op.drop or len(op.new_order) > 32:
        return None
    x = args[0]
    if op.perm != tuple(range(len(op.perm))):
        x = f"{x}.T" if op.perm == (1, 0) else f"{x}.transpose({op.perm})"
    if len(op.expand) != len(op.perm):
        x += "[" + ", ".join("None" if o == "x" else ":" for o in op.new_order) + "]"
    return x
