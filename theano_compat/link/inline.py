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

from ..graph.basic import Constant
from ..scalar.composite import Composite
from ..scalar.dtype_casts import dtype_fixup
from ..tensor.elemwise import Elemwise, size_checks
from ..tensor.math import Dot
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
    sop = op.scalar_op
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
    sop = node.op.scalar_op
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
    sop = node.op.scalar_op
    return writes_into_buffer(sop, xp) if isinstance(sop, Composite) else True


def elemwise_lines(node, pos, args, target, glob, xp, donated=(), buffer=None):
    """Lines computing inlinable Elemwise `node` from the argument names `args` into
    `target`; `buffer` names an array of the result's shape to write into."""
    op = node.op
    lines = []
    tests, fail = size_checks(op, node)
    if tests:
        glob[f"_fail{pos}"] = fail
        lines.append(f"if {' or '.join(t.format(*args) for t in tests)}: "
                     f"_fail{pos}({', '.join(args)})")
    sop = op.scalar_op
    if isinstance(sop, Composite):
        lines.insert(0, f"# {op}")
        patterns = [i.type.broadcastable for i in node.inputs]
        prefix = f"p{pos}r"
        body = inline_lines(sop, xp, glob, args, target, prefix, patterns, donated, buffer)
        lines.extend(body)
        registers = sorted({ln.split(" = ", 1)[0] for ln in body if ln.startswith(prefix)})
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
