"""More of Theano 1.0.5's local rewrites, as rules of the engine: comparisons whose result
is known (against the same variable, of shapes against 0), switches sunk below the
products and quotients they feed, reductions of a Join, of a quotient by a DimShuffle,
unary Elemwise and Flatten lifted through Alloc / Elemwise, and the unused output of
TopKOp removed.

Each rule is named as Theano named its local optimizer; `LEGACY_USELESS` and
`REGISTRATION_USELESS` join legacy.py's LEGACY and REGISTRATION (same meaning: the optdb
slots where Theano registered each rule, and extra tags).  Every rule returns a
replacement with exactly the type of what it replaces, or declines.
"""

from __future__ import annotations

import numpy as np

from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..construct import AllocEmpty
from ..elemwise import All, Any, CAReduce, DimShuffle, Elemwise, Max, Min, Prod, Sum, elemwise_of
from ..extra_ops import TopKOp
from ..shapes import Flatten, MakeVector
from ..subtensor import Subtensor
from .utils import as_type_of, scalar_of

_MUL = elemwise_of(S.mul)
_SWITCH = elemwise_of(S.switch)
_SECOND = elemwise_of(S.second)

# Marks a rule Theano registered without "fast_run" (legacy.OPTIONAL has the same value).
_OPTIONAL = "<optional>"


def _cst(var):
    """The value of `var` when it is a one-valued Constant, possibly under DimShuffles
    (Theano's ``get_scalar_constant_value(var, only_process_constants=True)``, after the
    constant folding of those DimShuffles), else None."""
    while var.owner is not None and isinstance(var.owner.op, DimShuffle):
        var = var.owner.inputs[0]
    if not isinstance(var, Constant):
        return None
    try:
        return B.get_scalar_constant_value(var, only_process_constants=True)
    except (B.NotScalarConstantError, TypeError, ValueError):
        return None


def _filled_like(model, value, dtype):
    """Theano's ``zeros_like`` / ``ones_like(model, dtype, opt=True)``: the constant
    `value` alone when it has `model`'s type, else ``fill(model, value)``."""
    cst = B.constant(np.asarray(value, dtype=dtype))
    if cst.type == model.type:
        return cst
    return _SECOND(model, cst)


def _replace(new, out):
    new = as_type_of(new, out)
    return None if new is None else [new]


# ------------------------------------------------------------- comparisons known in advance


def _is_shape_i(var):
    return var.owner is not None and isinstance(var.owner.op, B.Shape_i)


def _only_shapes(node):
    """Whether the values `node` computes are taken from shapes (so never negative)."""
    op = node.op
    if isinstance(op, (B.Shape, B.Shape_i)):
        return True
    if isinstance(op, Subtensor):
        return node.inputs[0].owner is not None and _only_shapes(node.inputs[0].owner)
    if isinstance(op, B.Join):
        return all(v.owner is not None and _only_shapes(v.owner) for v in node.inputs[1:])
    if isinstance(op, MakeVector):
        return all(v.owner is not None and _only_shapes(v.owner) for v in node.inputs)
    return False


def _useless_elemwise_comparison(fgraph, node):
    """lt/gt(x, x) -> 0, le/ge(x, x) -> 1, minimum/maximum(x, x) -> x; of a shape s
    (Shape_i, or a sum of them) against 0: lt(s, 0) -> 0, ge(s, 0) -> 1,
    maximum(s, 0) -> s, minimum(s, 0) -> 0; eq(values of shapes, -n) -> 0."""
    if len(node.inputs) != 2:
        return None
    sop = scalar_of(node)
    out = node.outputs[0]
    dtype = out.type.dtype
    a, b = node.inputs
    if a is b:
        if sop in (S.lt, S.gt):
            return _replace(_filled_like(a, 0, dtype), out)
        if sop in (S.le, S.ge):
            return _replace(_filled_like(a, 1, dtype), out)
        if sop in (S.minimum, S.maximum):
            return _replace(a, out)
    if _is_shape_i(a) and _cst(b) == 0:
        if sop in (S.lt, S.minimum):
            return _replace(_filled_like(a, 0, dtype), out)
        if sop is S.ge:
            return _replace(_filled_like(a, 1, dtype), out)
        if sop is S.maximum:
            return _replace(a, out)
    if _is_shape_i(b) and _cst(a) == 0:
        if sop is S.maximum:
            return _replace(b, out)
        if sop is S.minimum:
            return _replace(_filled_like(b, 0, dtype), out)
    if sop in (S.lt, S.ge) and scalar_of(a.owner) is S.add and \
            all(_is_shape_i(v) for v in a.owner.inputs) and _cst(b) == 0:
        return _replace(_filled_like(a, 0 if sop is S.lt else 1, dtype), out)
    if sop is S.eq and a.owner is not None and _only_shapes(a.owner):
        value = _cst(b)
        if value is not None and value < 0:
            return _replace(_filled_like(a, 0, dtype), out)
    return None


# ---------------------------------------------------------------------------- switch sinks


def _switch_with_zero(switch_node, other_branch_of, zero_first):
    cond = switch_node.inputs[0]
    zero = B.constant(np.asarray(0, dtype="int8"))
    branch = other_branch_of
    return _SWITCH(cond, zero, branch) if zero_first else _SWITCH(cond, branch, zero)


def _mul_switch_sink(fgraph, node):
    """mul(A, switch(c, 0, y), B) -> switch(c, 0, mul(A, B, y)) (and with the 0 as the
    other branch): where the switch gives 0, A and B (possibly inf or nan) do not
    count."""
    for idx, inp in enumerate(node.inputs):
        if scalar_of(inp.owner) is not S.switch:
            continue
        switch = inp.owner
        rest = list(node.inputs[:idx]) + list(node.inputs[idx + 1:])
        for zero_pos, keep_pos in ((1, 2), (2, 1)):
            if _cst(switch.inputs[zero_pos]) != 0:
                continue
            terms = rest + [switch.inputs[keep_pos]]
            product = terms[0] if len(terms) == 1 else _MUL(*terms)
            new = _switch_with_zero(switch, product, zero_pos == 1)
            res = _replace(new, node.outputs[0])
            if res is not None:
                return res
    return None


def _div_switch_sink(fgraph, node):
    """div(switch(c, 0, y), A) -> switch(c, 0, div(y, A)) (true or integer division;
    and with the 0 as the other branch)."""
    num, den = node.inputs
    if scalar_of(num.owner) is not S.switch:
        return None
    switch = num.owner
    for zero_pos, keep_pos in ((1, 2), (2, 1)):
        if _cst(switch.inputs[zero_pos]) != 0:
            continue
        quotient = node.op(switch.inputs[keep_pos], den)
        new = _switch_with_zero(switch, quotient, zero_pos == 1)
        res = _replace(new, node.outputs[0])
        if res is not None:
            return res
    return None


# ----------------------------------------------------------------------------- reductions


def _reduce_join(fgraph, node):
    """reduce{op}(join(0, a[None], b[None], ...), axis=0) -> op(a, b, ...) for add, mul
    (any number of terms), maximum and minimum (two)."""
    (x,) = node.inputs
    join = x.owner
    if join is None or not isinstance(join.op, B.Join):
        return None
    if _cst(join.inputs[0]) != 0:
        return None
    sop = getattr(node.op, "scalar_op", None)
    if sop in (S.maximum, S.minimum):
        if len(join.inputs) != 3:
            return None
    elif sop not in (S.add, S.mul) or len(join.inputs) <= 2:
        return None
    terms = []
    for inp in join.inputs[1:]:
        owner = inp.owner
        if owner is None or not isinstance(owner.op, DimShuffle):
            return None
        order = tuple(owner.op.new_order)
        if not order or order[0] != "x" or "x" in order[1:]:
            return None
        base = owner.inputs[0]
        rest = list(order[1:])
        if rest != list(range(base.type.ndim)):
            if sorted(rest) != list(range(base.type.ndim)):
                return None
            base = DimShuffle(base.type.broadcastable, rest)(base)
        terms.append(base)
    axis = node.op.axis
    axes = tuple(range(x.type.ndim)) if axis is None else tuple(axis)
    if len(axes) != 1 or axes[0] % x.type.ndim != 0:
        return None
    new = elemwise_of(sop)(*terms)
    if new.type.dtype != node.outputs[0].type.dtype:
        return None
    return _replace(new, node.outputs[0])


def _sum_prod_div_dimshuffle(fgraph, node):
    """sum(a / dimshuffle(b), axis=l) -> sum(a, axis=l) / b where the DimShuffle adds
    the reduced dimensions l; prod(...) -> prod(a, axis=l) / b ** (the product of a's
    lengths along l)."""
    (x,) = node.inputs
    if scalar_of(x.owner) is not S.true_div:
        return None
    numerator, denominator = x.owner.inputs
    ds = denominator.owner
    if ds is None or not isinstance(ds.op, DimShuffle):
        return None
    ndim = x.type.ndim
    axes = list(range(ndim)) if node.op.axis is None else \
        [a % ndim for a in node.op.axis]
    order = list(ds.op.new_order)
    compatible = [a for a in axes if a < len(order) and order[a] == "x"]
    if not compatible:
        return None
    incompatible = [a for a in axes if a not in compatible]
    reordered = [a - sum(1 for c in compatible if c < a) for a in incompatible]
    new_order = [o for i, o in enumerate(order) if i not in axes or o != "x"]
    while new_order and new_order[0] == "x":
        del new_order[0]
    base = ds.inputs[0]
    if all(i == o for i, o in enumerate(new_order)):
        shuffled = base
    else:
        shuffled = DimShuffle(base.type.broadcastable, new_order)(base)
    is_sum = isinstance(node.op, Sum)
    reduced = type(node.op)(axis=compatible)(numerator)
    if is_sum:
        new = elemwise_of(S.true_div)(reduced, shuffled)
    else:
        dtype = numerator.type.dtype
        lengths = [B.cast(B.Shape_i(a)(numerator), dtype) for a in compatible]
        count = lengths[0] if len(lengths) == 1 else _MUL(*lengths)
        new = elemwise_of(S.true_div)(reduced, elemwise_of(S.pow)(shuffled, count))
    if reordered:
        new = type(node.op)(axis=reordered)(new)
    return _replace(new, node.outputs[0])


# --------------------------------------------------------------------- allocs and fills


def _alloc_empty_to_zeros(fgraph, node):
    """AllocEmpty(*shape) -> zeros(shape) (to look for NaN with NanGuardMode; run only
    when asked for)."""
    zero = B.constant(np.asarray(0, dtype=node.outputs[0].type.dtype))
    return _replace(B.alloc(zero, *node.inputs), node.outputs[0])


def _alloc_unary(fgraph, node):
    """unary(alloc(x, *shape)) -> alloc(unary(x), *shape)."""
    if len(node.inputs) != 1 or len(node.outputs) != 1:
        return None
    a = node.inputs[0]
    if a.owner is None or not isinstance(a.owner.op, B.Alloc):
        return None
    x, *shape = a.owner.inputs
    value = node.op(x)
    if value.type.dtype != node.outputs[0].type.dtype:
        value = B.cast(value, node.outputs[0].type.dtype)
    return _replace(B.alloc(value, *shape), node.outputs[0])


def _fill_below(var):
    """(model, value) when `var` is fill(model, value), or a DimShuffle of one (then
    both shuffled alike: Theano lifted that DimShuffle above the fill first)."""
    owner = var.owner
    if owner is None:
        return None
    if scalar_of(owner) is S.second:
        return owner.inputs[0], owner.inputs[1]
    if isinstance(owner.op, DimShuffle) and scalar_of(owner.inputs[0].owner) is S.second:
        model, value = owner.inputs[0].owner.inputs
        ndim = owner.inputs[0].type.ndim
        if model.type.ndim != ndim or value.type.ndim != ndim:
            return None
        order = list(owner.op.new_order)
        return (DimShuffle(model.type.broadcastable, order)(model),
                DimShuffle(value.type.broadcastable, order)(value))
    return None


def _fill_sink(fgraph, node):
    """f(fill(a, b), fill(c, d), e) -> fill(c, fill(a, f(b, d, e))) for an Elemwise f
    other than fill (the fills move to the outside, where other rules drop them)."""
    if scalar_of(node) is S.second or len(node.outputs) != 1:
        return None
    models, inputs = [], []
    for inp in node.inputs:
        fill = _fill_below(inp)
        if fill is not None:
            models.append(fill[0])
            inputs.append(fill[1])
        else:
            inputs.append(inp)
    if not models:
        return None
    new = node.op(*inputs)
    for model in models:
        if model.type != new.type:
            new = _SECOND(model, new)
    return _replace(new, node.outputs[0])


# ------------------------------------------------------------------------------- others


def _flatten_lift(fgraph, node):
    """Flatten(unary(x)) -> unary(Flatten(x))."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, Elemwise) or \
            len(x.owner.inputs) != 1 or len(x.owner.outputs) != 1:
        return None
    return _replace(x.owner.op(node.op(x.owner.inputs[0])), node.outputs[0])


def _useless_topk(fgraph, node):
    """A TopKOp computing values and indices of which only one is read -> one computing
    only that one."""
    op = node.op
    if not (op.return_values and op.return_indices):
        return None
    used = [bool(fgraph.clients(o)) for o in node.outputs]
    if used[0] == used[1]:
        return None
    kept = node.outputs[0] if used[0] else node.outputs[1]
    new = TopKOp(axis=op.axis, sorted=op.sorted, idx_dtype=op.idx_dtype,
                 return_values=used[0], return_indices=used[1])(*node.inputs)
    if new.type != kept.type:
        return None
    return {kept: new}


# --------------------------------------------------------------------------- the list

_COMPARED = (S.lt, S.gt, S.le, S.ge, S.eq, S.minimum, S.maximum)
_REDUCTIONS = (Sum, Prod, Max, Min, All, Any, CAReduce)

LEGACY_USELESS = [
    node_rule("local_useless_elemwise_comparison", _COMPARED, _useless_elemwise_comparison),
    node_rule("local_mul_switch_sink", (S.mul,), _mul_switch_sink),
    node_rule("local_div_switch_sink", (S.true_div, S.int_div), _div_switch_sink),
    node_rule("local_reduce_join", _REDUCTIONS, _reduce_join),
    node_rule("local_sum_prod_div_dimshuffle", (Sum, Prod), _sum_prod_div_dimshuffle),
    node_rule("local_alloc_empty_to_zeros", (AllocEmpty,), _alloc_empty_to_zeros),
    node_rule("local_alloc_unary", (Elemwise,), _alloc_unary),
    node_rule("local_fill_sink", (Elemwise,), _fill_sink),
    node_rule("local_flatten_lift", (Flatten,), _flatten_lift),
    node_rule("local_useless_topk", (TopKOp,), _useless_topk),
]

# Where Theano 1.0.5 registered each rule (see legacy.REGISTRATION).
REGISTRATION_USELESS = {
    "local_useless_elemwise_comparison": (
        ("useless", "canonicalize", "stabilize", "specialize"), ()),
    "local_mul_switch_sink": (("canonicalize",), ()),
    "local_div_switch_sink": (("canonicalize",), ()),
    "local_reduce_join": (("canonicalize", "uncanonicalize"), ()),
    "local_sum_prod_div_dimshuffle": (("canonicalize", "specialize"), ()),
    # Theano ran it only under optimizer_including=alloc_empty_to_zeros.
    "local_alloc_empty_to_zeros": (("specialize",), ("alloc_empty_to_zeros", _OPTIONAL)),
    "local_alloc_unary": (("specialize",), ()),
    "local_fill_sink": (("canonicalize",), ()),
    "local_flatten_lift": (("canonicalize", "stabilize"), ()),
    "local_useless_topk": (("useless", "canonicalize"), ("fast_compile",)),
}
