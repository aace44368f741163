"""Theano 1.0.5's local rewrites the project's phases do not have, as rules of the engine.

Each rule is named as Theano named its local optimizer; `theano.tensor.opt` (and
``opt_uncanonicalize``) expose them as local optimizers and register them in the optdb
slots where Theano registered them (`REGISTRATION`), so that the FAST_RUN pipeline runs
them after the project's own rules of the same phase and ``Mode.including`` /
``Mode.excluding`` find them by name.  Every rule returns a replacement with exactly the
type of what it replaces, or declines.
"""

from __future__ import annotations

import numpy as np

from ...config import config
from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..elemwise import All, Any, CAReduce, DimShuffle, Elemwise, Max, Min, Prod, Sum, elemwise_of
from ..math import Argmax, Dot, MaxAndArgmax
from ..subtensor import (AdvancedIncSubtensor, AdvancedIncSubtensor1, IncSubtensor,
                         Subtensor, advanced_subtensor, advanced_subtensor1)
from ..extra_ops import Tile
from .assert_op import Assert, assert_op
from .blas import BLAS_RULES
from .utils import as_type_of, scalar_of
from .legacy_subtensor import SUBTENSOR_LEGACY, SUBTENSOR_REGISTRATION
from .legacy_useless import LEGACY_USELESS, REGISTRATION_USELESS
from .legacy_algebra import LEGACY_ALGEBRA, REGISTRATION_ALGEBRA
from ..nnet._rules import NNET_REGISTRATION, NNET_RULES

_ADD = elemwise_of(S.add)
_MUL = elemwise_of(S.mul)
_NEG = elemwise_of(S.neg)
_EQ = elemwise_of(S.eq)


def _const(var, only_constants=True):
    """The scalar value of `var` when it is a constant, else None."""
    try:
        return B.get_scalar_constant_value(var, only_process_constants=only_constants)
    except B.NotScalarConstantError:
        return None
    except (TypeError, ValueError):
        return None


def _value(var, depth=8):
    """The single value every element of `var` has, read through fills, allocs,
    DimShuffles, Rebroadcasts and casts (Theano's get_scalar_constant_value with
    elemwise digging); None when not known."""
    for _ in range(depth):
        if isinstance(var, Constant):
            data = np.asarray(var.data)
            if data.size == 0:
                return None
            first = data.reshape(-1)[0]
            return first if data.size == 1 or np.all(data == first) else None
        owner = var.owner
        if owner is None:
            return None
        op = owner.op
        if scalar_of(owner) is S.second:
            var = owner.inputs[1]
        elif isinstance(op, (B.Alloc, DimShuffle, B.Rebroadcast)) or \
                isinstance(scalar_of(owner), S.Cast):
            var = owner.inputs[0]
        else:
            return None
    return None


def _filled(value, like, dtype):
    """`value` (a Python number) broadcast to the shape of `like`, in `dtype`."""
    cst = B.constant(np.asarray(value, dtype=dtype).reshape((1,) * like.type.ndim))
    return elemwise_of(S.second)(like, cst)


def _fill_chain(new, orig_inputs, out):
    """`new` with `out`'s type, broadcast against `orig_inputs` where it is broadcastable
    where `out` is not (Theano's fill chain)."""
    for i in orig_inputs:
        if new.type.ndim == out.type.ndim and all(
                nb <= ob for nb, ob in zip(new.type.broadcastable, out.type.broadcastable)):
            break
        if i.type.ndim == out.type.ndim:
            new = elemwise_of(S.second)(i, new)
    return as_type_of(new, out, orig_inputs)


# ------------------------------------------------------------------------ elementwise


def _add_specialize(fgraph, node):
    """add(x, 0, y) -> add(x, y); add(x, 0) -> x (keeping the shape with fills)."""
    out = node.outputs[0]
    kept = [i for i in node.inputs if _value(i) != 0]
    if len(kept) == len(node.inputs):
        return None
    if not kept:
        new = B.constant(np.zeros((1,) * out.type.ndim, dtype=out.type.dtype))
    elif len(kept) == 1:
        new = kept[0]
    else:
        new = _ADD(*kept)
    new = _fill_chain(new, node.inputs, out)
    return None if new is None else [new]


def _useless_elemwise(fgraph, node):
    """eq(x, x) -> 1, neq(x, x) -> 0, mul(x)/add(x)/identity(x) -> x, and(x, 0) -> 0,
    and(x, 1) -> x and or(x, 1) -> 1, or(x, 0) -> x (booleans), xor(x, x) -> 0."""
    sop = scalar_of(node)
    out = node.outputs[0]
    dtype = out.type.dtype
    ins = node.inputs
    if len(ins) == 2 and ins[0] is ins[1]:
        if sop is S.eq:
            return [as_type_of(_filled(1, ins[0], dtype), out)]
        if sop in (S.neq, S.xor):
            return [as_type_of(_filled(0, ins[0], dtype), out)]
    if len(ins) == 1 and sop in (S.mul, S.add, S.identity):
        return [as_type_of(ins[0], out)]
    if len(ins) == 2 and sop in (S.and_, S.or_):
        for c, other in ((ins[0], ins[1]), (ins[1], ins[0])):
            if not isinstance(c, Constant):
                continue
            value = _const(c)
            if value is None:
                continue
            if other.type.ndim != out.type.ndim:
                continue
            absorbing = 0 if sop is S.and_ else 1
            if value == absorbing and (absorbing == 0 or dtype == "bool"):
                return [as_type_of(_filled(absorbing, other, dtype), out)]
            if value == 1 - absorbing and (absorbing == 1 or dtype == "bool"):
                return [as_type_of(other, out)]
    return None


def _cast_cast(fgraph, node):
    """cast(cast(x, t1), t2) -> cast(x, t2) when the first cast is an upcast of the same
    kind, or x when t2 is x's dtype; the inner cast alone when t1 == t2."""
    sop = scalar_of(node)
    if not isinstance(sop, S.Cast):
        return None
    x = node.inputs[0]
    inner = scalar_of(x.owner)
    if not isinstance(inner, S.Cast):
        return None
    base = x.owner.inputs[0]
    t1, t2 = inner.o_dtype, sop.o_dtype
    if t1 == t2:
        return [x]
    if _is_upcast(base.type.dtype, t1):
        if t2 == base.type.dtype:
            return [as_type_of(base, node.outputs[0])]
        return [node.op(base)]
    return None


_KIND_RANK = {"bool": (0, 0), "uint8": (1, 1), "uint16": (1, 2), "uint32": (1, 3),
              "uint64": (1, 4), "int8": (2, 1), "int16": (2, 2), "int32": (2, 3),
              "int64": (2, 4), "float16": (3, 1.5), "float32": (3, 2.5),
              "float64": (3, 3.5), "complex64": (4, 3), "complex128": (4, 4)}


_CASTS = tuple(S.cast_op(d) for d in _KIND_RANK)


def _is_upcast(d1, d2):
    c1, c2 = _KIND_RANK[d1], _KIND_RANK[d2]
    return c2[0] >= c1[0] and c2[1] > c1[1]


_INVERSE_PAIRS = ((S.deg2rad, S.rad2deg), (S.cosh, S.arccosh), (S.tanh, S.arctanh),
                  (S.sinh, S.arcsinh), (S.conj, S.conj), (S.neg, S.neg), (S.inv, S.inv))


def _func_inv(fgraph, node):
    """f(g(x)) -> x for the functional inverse pairs of Theano's local_func_inv."""
    x = node.inputs[0]
    outer, inner = scalar_of(node), scalar_of(x.owner)
    if inner is None or len(node.inputs) != 1:
        return None
    for a, b in _INVERSE_PAIRS:
        if (outer is a and inner is b) or (outer is b and inner is a):
            return [as_type_of(x.owner.inputs[0], node.outputs[0])]
    return None


def _intdiv_by_one(fgraph, node):
    """x // 1 -> x."""
    d = node.inputs[1]
    if isinstance(d, Constant) and np.all(np.asarray(d.data) == 1):
        return [as_type_of(node.inputs[0], node.outputs[0], node.inputs)]
    return None


def _zero_div(fgraph, node):
    """0 / x -> 0 and 0 // x -> 0 (zeros with the shape of the quotient)."""
    num = node.inputs[0]
    value = _const(num)
    if value is not None and value == 0:
        zero = B.constant(np.zeros((1,) * node.outputs[0].type.ndim,
                                   dtype=node.outputs[0].type.dtype))
        return [as_type_of(elemwise_of(S.second)(node.inputs[1], zero)
                           if node.inputs[1].type.ndim == node.outputs[0].type.ndim
                           else zero, node.outputs[0], node.inputs)]
    return None


def _elemwise_sub_zeros(fgraph, node):
    """x - x -> zeros_like(x)."""
    if len(node.inputs) == 2 and node.inputs[0] is node.inputs[1]:
        return [as_type_of(_filled(0, node.inputs[0], node.outputs[0].type.dtype),
                           node.outputs[0])]
    return None


def _neg_neg(fgraph, node):
    """-(-x) -> x."""
    x = node.inputs[0]
    if scalar_of(x.owner) is S.neg:
        return [as_type_of(x.owner.inputs[0], node.outputs[0])]
    return None


def _neg_div_neg(fgraph, node):
    """-((-a) / b) -> a / b, and -(c / b) -> (-c) / b for a constant c."""
    x = node.inputs[0]
    if scalar_of(x.owner) is not S.true_div or len(fgraph.clients(x)) > 1:
        return None
    num, den = x.owner.inputs
    if scalar_of(num.owner) is S.neg:
        return [as_type_of(x.owner.op(num.owner.inputs[0], den), node.outputs[0])]
    if isinstance(num, Constant):
        return [as_type_of(x.owner.op(B.constant(-np.asarray(num.data)), den),
                           node.outputs[0])]
    return None


def _fill_to_alloc(fgraph, node):
    """fill(s, v) -> v when v has the output's pattern, else alloc(v, *shape(s))."""
    r, v = node.inputs
    out = node.outputs[0]
    if v.type == out.type:
        return [v]
    if v.type.broadcastable == out.type.broadcastable:
        return [B.cast(v, out.type.dtype)]
    if r.type.broadcastable == out.type.broadcastable:
        shape = [B.constant(np.asarray(1, "int64")) if b else B.Shape_i(d)(r)
                 for d, b in enumerate(r.type.broadcastable)]
        new = B.alloc(B.cast(v, out.type.dtype), *shape)
        return [as_type_of(new, out)]
    return None


def _incsubtensor_of_zeros(fgraph, node):
    """inc_subtensor(x[i], 0) -> x (also for the advanced increments)."""
    if node.op.set_instead_of_inc:
        return None
    x, y = node.inputs[:2]
    value = _value(y)
    if value is not None and value == 0:
        return [as_type_of(x, node.outputs[0])]
    return None


def _setsubtensor_of_constants(fgraph, node):
    """set_subtensor(x[i], c) where x holds the value c everywhere -> x."""
    if not node.op.set_instead_of_inc:
        return None
    x, y = node.inputs[:2]
    vx = _value(x)
    if vx is None:
        return None
    vy = _value(y)
    if vy is not None and vx == vy:
        return [as_type_of(x, node.outputs[0])]
    return None


def _incsubtensor_of_zeros_to_setsubtensor(fgraph, node):
    """inc_subtensor(zeros[i], y) -> set_subtensor(zeros[i], y) (x a constant of
    zeros)."""
    if node.op.set_instead_of_inc:
        return None
    x = node.inputs[0]
    if isinstance(x, Constant) and not np.any(np.asarray(x.data)):
        new_op = type(node.op)(node.op.idx_list, inplace=node.op.inplace,
                               set_instead_of_inc=True)
        return [new_op(*node.inputs)]
    return None


def _subtensor_inc_subtensor(fgraph, node):
    """set_subtensor(x[i], y)[i] -> y (broadcast to the subtensor's shape if needed)."""
    x = node.inputs[0]
    inc = x.owner
    if inc is None or type(inc.op) is not IncSubtensor or not inc.op.set_instead_of_inc:
        return None
    if tuple(inc.op.idx_list) != tuple(node.op.idx_list) or \
            len(inc.inputs) - 2 != len(node.inputs) - 1 or \
            not all(a is b for a, b in zip(inc.inputs[2:], node.inputs[1:])):
        return None
    out = node.outputs[0]
    y = inc.inputs[1]
    if y.type.dtype != out.type.dtype:
        y = B.cast(y, out.type.dtype)
    if y.type == out.type:
        return [y]
    sub = node.op(inc.inputs[0], *inc.inputs[2:])
    new = B.alloc(y, *[B.Shape_i(d)(sub) for d in range(out.type.ndim)])
    new = as_type_of(new, out)
    return None if new is None else [new]


def _subtensor_lift(fgraph, node):
    """f(x, s, y)[i] -> f(x[i], s, y[i]) for an elementwise f read only by the subtensor,
    whose inputs have its output's broadcast pattern or are broadcastable everywhere;
    rebroadcast(x)[i] -> rebroadcast(x[i]) (the pattern of the result kept)."""
    x = node.inputs[0]
    u = x.owner
    if u is not None and isinstance(u.op, B.Rebroadcast) and len(u.inputs) == 1:
        sub = node.op(u.inputs[0], *node.inputs[1:])
        if sub.type.ndim != node.outputs[0].type.ndim:
            return None
        return [B.patternbroadcast(sub, node.outputs[0].type.broadcastable)]
    if u is None or not isinstance(u.op, Elemwise) or len(u.outputs) != 1 or \
            len(fgraph.clients(x)) != 1:
        return None
    idx = node.inputs[1:]
    if len(u.inputs) == 1 and len(node.op.idx_list) == 1 and node.op.idx_list[0][0] == "int":
        return None  # local_subtensor_of_unary_elemwise (shape.py) does that one
    nd = node.outputs[0].type.ndim
    new_inputs = []
    for i in u.inputs:
        if i.type.broadcastable == x.type.broadcastable:
            new_inputs.append(node.op(i, *idx))
        elif all(i.type.broadcastable):
            if len(u.inputs) == 1:
                return None
            new_inputs.append(DimShuffle(i.type.broadcastable, ["x"] * nd)(i))
        else:
            return None
    new = u.op(*new_inputs)
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _useless_inc_subtensor_alloc(fgraph, node):
    """inc_subtensor(x[i], alloc(z, *shape)) -> inc_subtensor(x[i], z): the increment
    broadcasts z itself (the dimensions z broadcasts asserted to be 1 or x[i]'s)."""
    x, y, *idx = node.inputs
    if y.owner is None or not isinstance(y.owner.op, B.Alloc):
        return None
    z, *shape = y.owner.inputs
    if type(node.op) is IncSubtensor:
        xi = Subtensor(node.op.idx_list)(x, *idx)
    elif type(node.op) is AdvancedIncSubtensor1:
        xi = advanced_subtensor1(x, *idx)
    elif type(node.op) is AdvancedIncSubtensor:
        xi = advanced_subtensor(x, *idx)
    else:
        return None
    if xi.type.ndim != y.type.ndim:
        return None
    z_broad = (True,) * (xi.type.ndim - z.type.ndim) + z.type.broadcastable
    one = B.constant(np.asarray(1, "int64"))
    conds = []
    for k in range(xi.type.ndim):
        if not z_broad[k] or _value(shape[k]) == 1 or _is_shape_of(shape[k], xi, k):
            continue
        entry = B.cast(shape[k], "int64")
        conds.append(elemwise_of(S.or_)(_EQ(entry, one), _EQ(entry, B.Shape_i(k)(xi))))
    if conds:
        z = assert_op(z, *conds)
    new = node.op(x, z, *idx)
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _useless_composite(fgraph, node):
    """An Elemwise{Composite} some of whose outputs nobody reads -> one computing only
    the outputs used."""
    comp = scalar_of(node)
    if comp is None or not hasattr(comp, "fgraph") or len(node.outputs) < 2:
        return None
    used = [i for i, o in enumerate(node.outputs) if fgraph.clients(o)]
    if len(used) == len(node.outputs) or not used:
        return None
    inner_outs = [comp.outputs[i] for i in used]
    new_comp = type(comp)(comp.inputs, inner_outs)
    new = Elemwise(new_comp)(*node.inputs, return_list=True)
    return dict(zip([node.outputs[i] for i in used], new))


def _useless_switch(fgraph, node):
    """switch(c, a, b) -> a or b when c is a constant; switch(c, a, a) -> a (broadcast
    to c's shape); switch(shape_i(x) <= 0, 0, shape_i(x)) -> shape_i(x)."""
    cond, left, right = node.inputs
    out = node.outputs[0]
    cval = _value(cond) if cond.owner is None or isinstance(cond.owner.op, DimShuffle) \
        else None
    if cval is not None:
        chosen = right if cval == 0 else left
        if chosen.type.ndim != out.type.ndim:
            return None
        new = chosen if chosen.type.dtype == out.type.dtype else B.cast(chosen,
                                                                          out.type.dtype)
        if new.type.broadcastable != out.type.broadcastable:
            shape = []
            for d, (b1, b2) in enumerate(zip(new.type.broadcastable, out.type.broadcastable)):
                src = new if b1 == b2 else (left if not left.type.broadcastable[d]
                                            else right)
                shape.append(B.Shape_i(d)(src))
            new = B.alloc(new, *shape)
        return [as_type_of(new, out)]
    if left is right:
        if cond.type.broadcastable == out.type.broadcastable and \
                left.type == out.type:
            return [left]
        new = elemwise_of(S.second)(cond, left)
        new = as_type_of(new, out)
        return None if new is None else [new]
    if cond.owner is not None and scalar_of(cond.owner) is S.le:
        a, b = cond.owner.inputs
        if a.owner is not None and isinstance(a.owner.op, B.Shape_i) and \
                _const(b) == 0 and _const(left) == 0 and right is a:
            return [as_type_of(right, out)]
    return None


_SWITCH_MERGEABLE = (S.add, S.mul, S.sub, S.true_div, S.int_div, S.pow, S.maximum, S.minimum,
                     S.gt, S.lt, S.ge, S.le, S.eq, S.neq, S.and_, S.or_, S.xor, S.mod)


def _merge_switch_same_cond(fgraph, node):
    """op(switch(c, a, b), switch(c, d, e)) -> switch(c, op(a, d), op(b, e))."""
    if scalar_of(node) not in _SWITCH_MERGEABLE or len(node.inputs) < 2:
        return None
    if not all(scalar_of(i.owner) is S.switch for i in node.inputs):
        return None
    cond = node.inputs[0].owner.inputs[0]
    if not all(i.owner.inputs[0] is cond for i in node.inputs[1:]):
        return None
    new = elemwise_of(S.switch)(cond, node.op(*[i.owner.inputs[1] for i in node.inputs]),
                                node.op(*[i.owner.inputs[2] for i in node.inputs]))
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _remove_useless_assert(fgraph, node):
    """Assert without its conditions known true (non-zero constants); the value itself
    when none is left."""
    kept = [c for c in node.inputs[1:]
            if not (isinstance(c, Constant) and np.asarray(c.data).size == 1
                    and np.asarray(c.data).reshape(-1)[0] != 0)]
    if not kept:
        return [node.inputs[0]]
    if len(kept) < len(node.inputs) - 1:
        return [node.op(node.inputs[0], *kept)]
    return None


def _remove_all_assert(fgraph, node):
    """Every Assert removed (unsafe: run only when asked for by name)."""
    return [node.inputs[0]]


def _useless_order(order, x):
    """Whether DimShuffle(`order`) of `x` only moves broadcastable dimensions."""
    if len(order) != x.type.ndim:
        return False
    bcast = [i for i, b in enumerate(x.type.broadcastable) if b] + ["x"]
    return all(order[i] == i or (i in bcast and order[i] in bcast) for i in range(len(order)))


def _lifted(var):
    """`var` after Theano's local_dimshuffle_lift, applied where it can be (recursively)."""
    if var.owner is not None and isinstance(var.owner.op, DimShuffle):
        new = _dimshuffle_lift(None, var.owner)
        if new:
            return new[0]
    return var


def _dimshuffle_lift(fgraph, node):
    """Theano's local_dimshuffle_lift: DimShuffle(f(x, y)) -> f(DimShuffle(x),
    DimShuffle(y)) for an elementwise f read only there; DimShuffle(DimShuffle(x)) -> one
    DimShuffle; a DimShuffle that only moves broadcastable dimensions -> its input.  (The
    FAST_RUN pipeline runs the project's own rule of that name, which does not lift.)"""
    x = node.inputs[0]
    inode = x.owner
    order = list(node.op.new_order)
    clients = fgraph.clients(x) if fgraph is not None else ()
    if inode is not None and isinstance(inode.op, Elemwise) and len(clients) <= 1:
        new_inputs = [_lifted(DimShuffle(i.type.broadcastable, order)(i))
                      for i in inode.inputs]
        return inode.op(*new_inputs, return_list=True)
    if inode is not None and isinstance(inode.op, DimShuffle):
        order = ["x" if o == "x" else inode.op.new_order[o] for o in order]
        x = inode.inputs[0]
    if _useless_order(order, x):
        new = as_type_of(x, node.outputs[0])
        return None if new is None else [new]
    if inode is not None and isinstance(inode.op, DimShuffle):
        return [_lifted(DimShuffle(x.type.broadcastable, order)(x))]
    return None


# ------------------------------------------------------------------ alloc and reshape


def _alloc_below(var):
    """(the Alloc node, the DimShuffle over it or None) when `var` is an alloc or a
    DimShuffle of one."""
    owner = var.owner
    if owner is None:
        return None, None
    if isinstance(owner.op, B.Alloc):
        return owner, None
    if isinstance(owner.op, DimShuffle):
        inner = owner.inputs[0].owner
        if inner is not None and isinstance(inner.op, B.Alloc):
            return inner, owner.op
    return None, None


def _is_shape_of(entry, ref, idx):
    """Whether `entry` is the `idx`-th dimension of `ref` (Shape_i or shape(ref)[idx])."""
    owner = entry.owner
    if owner is None:
        return False
    if isinstance(owner.op, B.Shape_i):
        return owner.op.i == idx and owner.inputs[0] is ref
    if type(owner.op) is Subtensor and len(owner.inputs) == 2 and \
            owner.inputs[0].owner is not None and isinstance(owner.inputs[0].owner.op, B.Shape):
        return owner.inputs[0].owner.inputs[0] is ref and _const(owner.inputs[1], False) == idx
    return False


def _elemwise_alloc(fgraph, node):
    """elemwise(alloc(v, *shape), y) -> elemwise(v, assert(y, shape == y.shape)) when y
    has the output's broadcast pattern: the Elemwise broadcasts v itself (also through
    a DimShuffle of the alloc)."""
    if len(node.inputs) < 2 or len(node.outputs) > 1 or not any(
            i.owner is not None and isinstance(i.owner.op, (B.Alloc, DimShuffle))
            for i in node.inputs):
        return None
    out = node.outputs[0]
    pattern = out.type.broadcastable
    if not any(i.type.broadcastable == pattern for i in node.inputs):
        return None
    allocs = [k for k, i in enumerate(node.inputs) if _alloc_below(i)[0] is not None]
    if not allocs:
        return None
    refs = [k for k, i in enumerate(node.inputs)
            if k not in allocs and i.type.broadcastable == pattern]
    if refs:
        ref_k = refs[0]
    else:
        same = [k for k in allocs if node.inputs[k].type.broadcastable == pattern]
        if len(allocs) < 2 or not same:
            return None
        ref_k = same[0]
        allocs = [k for k in allocs if k != ref_k]
    ref = node.inputs[ref_k]
    new_inputs = list(node.inputs)
    conds = []
    for k in allocs:
        var = node.inputs[k]
        anode, ds = _alloc_below(var)
        value = anode.inputs[0]
        shape = anode.inputs[1:]
        for d in range(var.type.ndim):
            if var.type.broadcastable[d]:
                continue
            src = d if ds is None else ds.new_order[d]
            entry = shape[src]
            if not _is_shape_of(entry, ref, d):
                conds.append(_EQ(B.cast(entry, "int64"), B.Shape_i(d)(ref)))
        if ds is not None:
            pad = anode.outputs[0].type.ndim - value.type.ndim
            if pad:
                value = DimShuffle(value.type.broadcastable,
                                   ["x"] * pad + list(range(value.type.ndim)))(value)
            value = DimShuffle(value.type.broadcastable, ds.new_order)(value)
        new_inputs[k] = value
    if conds and config.experimental.local_alloc_elemwise_assert:
        new_inputs[ref_k] = assert_op(ref, *conds)
    try:
        new = node.op(*new_inputs)
    except (TypeError, ValueError):
        return None
    new = as_type_of(new, out)
    return None if new is None else [new]


def _canonicalize_alloc(fgraph, node):
    """alloc(x, *shape) of x's own type -> x; alloc(x, 1, 1, *s) -> alloc(x, *s) with the
    leading length-1 dimensions added by a DimShuffle."""
    x = node.inputs[0]
    out = node.outputs[0]
    if x.type == out.type:
        return [x]
    for client, _ in fgraph.clients(out):
        if client != "output" and isinstance(client.op, B.Alloc):
            return None  # local_merge_alloc goes first
    shape = node.inputs[1:]
    added = 0
    for s in shape[:len(shape) - x.type.ndim]:
        if _value(s) == 1:
            added += 1
        else:
            break
    rest = shape[added:]
    if added and len(rest) >= x.type.ndim:
        if out.type.broadcastable[added:] == x.type.broadcastable:
            inner = x
        else:
            inner = node.op(x, *rest)
        new = DimShuffle(inner.type.broadcastable,
                         ["x"] * added + list(range(len(rest))))(inner)
        return [as_type_of(new, out)]
    return None


def _useless_reshape(fgraph, node):
    """reshape(x, s) where s is x's own shape (or both are vectors) -> x."""
    x, shp = node.inputs
    out = node.outputs[0]
    if x.type.ndim != out.type.ndim:
        return None
    if x.type.ndim == 1 and x.type.broadcastable == out.type.broadcastable:
        return [x]
    owner = shp.owner
    if owner is not None and isinstance(owner.op, B.Shape) and owner.inputs[0] is x:
        return [as_type_of(x, out)]
    if owner is None or not isinstance(owner.op, B.MakeVector):
        return None
    entries = owner.inputs
    minus_ones = 0
    for d, e in enumerate(entries):
        eo = e.owner
        if eo is not None and isinstance(eo.op, B.Shape_i) and eo.op.i == d and \
                eo.inputs[0] is x:
            continue
        if eo is not None and type(eo.op).__name__ == "Subtensor" and len(eo.inputs) == 2 \
                and _const(eo.inputs[1], False) == d:
            src = eo.inputs[0]
            if src.owner is not None and isinstance(src.owner.op, B.Shape) and \
                    src.owner.inputs[0] is x:
                continue
        value = _const(e)
        if x.type.broadcastable[d] and value == 1:
            continue
        if value == -1:
            minus_ones += 1
            continue
        return None
    if minus_ones <= 1:
        new = as_type_of(x, out)
        return None if new is None else [new]
    return None


def _reshape_to_dimshuffle(fgraph, node):
    """reshape(x, (1, m, 1, n)) -> dimshuffle('x', 0, 'x', 1)(reshape(x, (m, n)))."""
    x, shp = node.inputs
    out = node.outputs[0]
    order, kept = [], []
    for i in range(out.type.ndim):
        entry = _shape_entry(shp, i)
        if _const(entry, False) == 1:
            order.append("x")
        else:
            order.append(len(kept))
            kept.append(entry)
    if len(kept) == out.type.ndim:
        return None
    values = [_value(k) for k in kept]
    if all(v is not None for v in values):
        shape = B.constant(np.asarray(values, dtype="int64").reshape(len(kept)))
    else:
        shape = B.make_vector(*[B.cast(k, "int64") for k in kept])
    inner = type(node.op)(len(kept))(x, shape)
    return [as_type_of(DimShuffle(inner.type.broadcastable, order)(inner), out)]


def _shape_entry(shp, i):
    if shp.owner is not None and isinstance(shp.owner.op, B.MakeVector):
        return shp.owner.inputs[i]
    if isinstance(shp, Constant):
        return B.constant(np.asarray(shp.data)[i])
    return shp[i]


def _useless_dimshuffle_in_reshape(fgraph, node):
    """reshape(dimshuffle(x), s) -> reshape(x, s) when the DimShuffle only adds or drops
    broadcastable dimensions (the order of the others unchanged)."""
    x, shp = node.inputs
    if x.owner is None or not isinstance(x.owner.op, DimShuffle):
        return None
    order = [o for o, b in zip(x.owner.op.new_order, x.type.broadcastable) if not b]
    if all(a <= b for a, b in zip(order, order[1:])):
        return [as_type_of(type(node.op)(node.outputs[0].type.ndim)(x.owner.inputs[0], shp),
                           node.outputs[0])]
    return None


def _reshape_lift(fgraph, node):
    """reshape(f(x)) -> f(reshape(x)) for a unary elementwise f."""
    x, shp = node.inputs
    if x.owner is None or not isinstance(x.owner.op, Elemwise) or len(x.owner.inputs) != 1:
        return None
    new = x.owner.op(node.op(x.owner.inputs[0], shp))
    if new.type != node.outputs[0].type:
        new = B.patternbroadcast(new, node.outputs[0].type.broadcastable)
    return [new]


def _rebroadcast_lift(fgraph, node):
    """Rebroadcast(f(x)) -> f(Rebroadcast(x)) for a unary elementwise f read only there;
    Rebroadcast(Rebroadcast(x)) -> one Rebroadcast."""
    x = node.inputs[0]
    inode = x.owner
    if inode is None:
        return None
    if isinstance(inode.op, Elemwise) and len(inode.inputs) == 1 and \
            len(fgraph.clients(x)) <= 1 and \
            inode.inputs[0].type.broadcastable == x.type.broadcastable:
        new = inode.op(type(node.op)(*node.op.axis.items())(inode.inputs[0]))
        new = as_type_of(new, node.outputs[0])
        return None if new is None else [new]
    if isinstance(inode.op, B.Rebroadcast):
        axis = dict(inode.op.axis)
        axis.update(dict(node.op.axis))
        return [as_type_of(type(node.op)(*axis.items())(inode.inputs[0]), node.outputs[0])]
    return None


def _subtensor_remove_broadcastable_index(fgraph, node):
    """x[:, 0, :] (or -1) on a broadcastable dimension -> a DimShuffle dropping it."""
    x = node.inputs[0]
    values = iter(node.inputs[1:])
    removed = []
    for dim, entry in enumerate(node.op.idx_list):
        if entry[0] == "int":
            index = entry[1]
            if index == "v":
                index = _const(next(values))
                if index is None:
                    return None
            if index in (0, -1) and x.type.broadcastable[dim]:
                removed.append(dim)
            else:
                return None
        elif entry != ("slice", None, None, None):
            return None
    if not removed:
        return None
    kept = [d for d in range(x.type.ndim) if d not in removed]
    return [as_type_of(DimShuffle(x.type.broadcastable, kept)(x), node.outputs[0])]


def _useless_split(fgraph, node):
    """split(x, axis, [n]) into one piece -> x, asserting that one size was given and
    that it is x's length along the axis."""
    if node.op.len_splits != 1:
        return None
    x, axis, splits = node.inputs
    out = assert_op(x, _EQ(B.Shape_i(0)(splits), 1))
    out = assert_op(out, _EQ(B.shape(x)[axis], splits[0]))
    return [as_type_of(out, node.outputs[0])]


def _join_1(fgraph, node):
    """join(axis, x) -> x."""
    if len(node.inputs) == 2:
        return [as_type_of(node.inputs[1], node.outputs[0])]
    return None


def _join_empty(fgraph, node):
    """join(axis, x, empty, y) -> join(axis, x, y) (a constant empty along the axis)."""
    axis = _const(node.inputs[0])
    if axis is None:
        return None
    axis = int(axis)
    kept = [i for i in node.inputs[1:]
            if not (isinstance(i, Constant) and np.asarray(i.data).ndim > axis >=
                    -np.asarray(i.data).ndim and np.asarray(i.data).shape[axis] == 0)]
    if len(kept) == len(node.inputs) - 1 or not kept:
        return None
    new = node.op(node.inputs[0], *kept)
    if new.type.dtype != node.outputs[0].type.dtype:
        return None
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _useless_tile(fgraph, node):
    """tile(x, (1,) * x.ndim) -> x."""
    x, reps = node.inputs
    if _value(reps) != 1:
        return None
    length = None
    if isinstance(reps, Constant):
        length = np.asarray(reps.data).size
    elif reps.owner is not None and isinstance(reps.owner.op, B.MakeVector):
        length = len(reps.owner.inputs)
    if length == x.type.ndim:
        new = as_type_of(x, node.outputs[0])
        return None if new is None else [new]
    if length is not None and length > x.type.ndim:
        # Theano's tile put the new leading dimensions in with a DimShuffle.
        pad = length - x.type.ndim
        new = DimShuffle(x.type.broadcastable, ["x"] * pad + list(range(x.type.ndim)))(x)
        return [B.patternbroadcast(new, node.outputs[0].type.broadcastable)]
    return None


# ------------------------------------------------------------------------- reductions


def _op_of_op(fgraph, node):
    """sum(sum(x, axes1), axes2) -> one sum over both sets of axes (prod likewise)."""
    (x,) = node.inputs
    inner = x.owner
    if inner is None or type(inner.op) is not type(node.op) or len(fgraph.clients(x)) > 1:
        return None
    y = inner.inputs[0]
    ndim = y.type.ndim
    if inner.op.axis is None or node.op.axis is None:
        axes = None
    else:
        first = set(inner.op._axes(ndim))
        kept = [d for d in range(ndim) if d not in first]
        axes = sorted(first | {kept[a] for a in node.op._axes(x.type.ndim)})
        if len(axes) == ndim:
            axes = None
    new = type(node.op)(axis=axes, dtype=node.op.dtype)(y)
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _sum_prod_all_to_none(fgraph, node):
    """sum(x, axis=all of them) -> sum(x) (the same for prod)."""
    op = node.op
    if op.axis is None:
        return None
    x = node.inputs[0]
    if set(a % max(x.type.ndim, 1) for a in op.axis) == set(range(x.type.ndim)):
        return [type(op)(axis=None, dtype=op.dtype)(x)]
    return None


def _reduce_broadcastable(fgraph, node):
    """A reduction over broadcastable dimensions drops them with a DimShuffle."""
    (x,) = node.inputs
    op = node.op
    out = node.outputs[0]
    axes = op._axes(x.type.ndim)
    if op.axis is None:
        if all(x.type.broadcastable):
            return [as_type_of(DimShuffle(x.type.broadcastable, [])(x), out)]
        return None
    cut = [a for a in axes if x.type.broadcastable[a]]
    if not cut:
        return None
    new_axis, pattern = [], []
    for p in range(x.type.ndim):
        if p not in cut:
            if p in axes:
                new_axis.append(len(pattern))
            pattern.append(p)
    reduced = DimShuffle(x.type.broadcastable, pattern)(x)
    if not new_axis:
        return [as_type_of(reduced, out)]
    try:
        new_op = op.clone_with_axis(new_axis) if hasattr(op, "clone_with_axis") else None
    except Exception:  # noqa: BLE001
        new_op = None
    if new_op is None:
        if type(op) is CAReduce:
            new_op = CAReduce(op.scalar_op, axis=new_axis)
        elif isinstance(op, (Sum, Prod)):
            new_op = type(op)(axis=new_axis, dtype=getattr(op, "dtype", None),
                              acc_dtype=getattr(op, "acc_dtype", None))
        else:
            new_op = type(op)(axis=new_axis)
    return [as_type_of(new_op(reduced), out)]


def _opt_alloc(fgraph, node):
    """sum(alloc(c, *shape)) -> c * prod(shape); prod(alloc(c, *shape)) -> c ** ..."""
    (x,) = node.inputs
    if x.owner is None or not isinstance(x.owner.op, B.Alloc):
        return None
    v, *shape = x.owner.inputs
    value = _const(v)
    if value is None:
        return None
    out = node.outputs[0]
    axes = node.op._axes(x.type.ndim)
    is_sum = isinstance(node.op, Sum)
    counted = [shape[i] for i in axes]
    val = B.constant(np.asarray(value).reshape(()))
    if counted:
        # One n-ary product of the lengths (Theano's T.mul(*shapes)): one node, not a fold.
        size = counted[0] if len(counted) == 1 else _MUL.nary(*counted)
        if v.type.dtype in ("float16", "float32"):
            size = B.cast(size, "float32")
        if is_sum:
            # 1 * size as the canonicalizer leaves it in Theano: the size alone.
            val = size if value == 1 else val * size
        elif value != 1:
            val = val ** size
    val = B.cast(val, out.type.dtype)
    rest = [shape[i] for i in range(len(shape)) if i not in axes]
    new = B.alloc(val, *rest) if rest else val
    return [as_type_of(new, out)]


def _sum_prod_mul_by_scalar(fgraph, node):
    """sum(s * x) -> s * sum(x), sum(-x) -> -sum(x) (s broadcastable everywhere);
    prod(s * x) -> s ** size(x) * prod(x)."""
    (x,) = node.inputs
    out = node.outputs[0]
    sop = scalar_of(x.owner)
    is_prod = isinstance(node.op, Prod)
    if sop is S.neg and not is_prod:
        return [as_type_of(_NEG(node.op(x.owner.inputs[0])), out)]
    if sop is not S.mul:
        return None
    terms = x.owner.inputs
    scalars = [DimShuffle(t.type.broadcastable, [])(t) for t in terms
               if all(t.type.broadcastable)]
    others = [t for t in terms if not all(t.type.broadcastable)]
    if not scalars or not others:
        return None
    inner = others[0] if len(others) == 1 else _MUL(*others)
    reduced = node.op(inner)
    if is_prod:
        if inner.type.ndim == 0:
            return None
        # The number of elements as Theano wrote it (x.size: x.shape[0] for a vector,
        # else the product of x.shape).
        size = B.Shape_i(0)(inner) if inner.type.ndim == 1 else \
            Prod(axis=None, dtype="int64")(B.Shape()(inner))
        scalars = [s ** size for s in scalars]
    factors = scalars + [reduced]
    new = _MUL(*[B.cast(f, out.type.dtype) if f.type.dtype != out.type.dtype else f
                 for f in factors])
    return [as_type_of(new, out)]


# ------------------------------------------------------------------------------- dot


def _lift_transpose_through_dot(fgraph, node):
    """dot(x, y).T -> dot(y.T, x.T) for matrices (the transposes may then cancel)."""
    if tuple(node.op.new_order) != (1, 0):
        return None
    z = node.inputs[0]
    if z.owner is None or not isinstance(z.owner.op, Dot) or len(fgraph.clients(z)) > 1:
        return None
    x, y = z.owner.inputs
    if x.type.ndim != 2 or y.type.ndim != 2:
        return None
    xt = _lifted(DimShuffle(x.type.broadcastable, (1, 0))(x))
    yt = _lifted(DimShuffle(y.type.broadcastable, (1, 0))(y))
    new = as_type_of(z.owner.op(yt, xt), node.outputs[0])
    return None if new is None else [new]


def _0_dot_x(fgraph, node):
    """dot(0, y) or dot(x, 0) -> zeros of the product's shape (the inner dimensions
    checked)."""
    x, y = node.inputs
    vx, vy = _value(x), _value(y)
    if not (vx is not None and vx == 0) and not (vy is not None and vy == 0):
        return None
    out = node.outputs[0]
    zero = B.constant(np.asarray(0, dtype=out.type.dtype))
    if x.type.ndim == 2 and y.type.ndim == 2:
        zero = _assert(zero, _EQ(B.Shape_i(1)(x), B.Shape_i(0)(y)))
        new = B.alloc(zero, B.Shape_i(0)(x), B.Shape_i(1)(y))
    elif x.type.ndim == 1 and y.type.ndim == 2:
        zero = _assert(zero, _EQ(B.Shape_i(0)(x), B.Shape_i(0)(y)))
        new = B.alloc(zero, B.Shape_i(1)(y))
    elif x.type.ndim == 2 and y.type.ndim == 1:
        zero = _assert(zero, _EQ(B.Shape_i(1)(x), B.Shape_i(0)(y)))
        new = B.alloc(zero, B.Shape_i(0)(x))
    elif x.type.ndim == 1 and y.type.ndim == 1:
        new = _assert(zero, _EQ(B.Shape_i(0)(x), B.Shape_i(0)(y)))
    else:
        return None
    return [as_type_of(new, out)]


def _assert(value, *conds):
    return assert_op(value, *conds)


def _merge_alloc_rule(fgraph, node):
    """alloc(alloc(m, *s1), *s2) -> alloc(m, *s2), asserting that the dimensions both
    give agree (unless the inner one is 1)."""
    inner = node.inputs[0]
    if inner.owner is None or not isinstance(inner.owner.op, B.Alloc):
        return None
    outer_dims = list(node.inputs[1:])
    inner_dims = inner.owner.inputs[1:]
    for k in range(1, min(len(outer_dims), len(inner_dims)) + 1):
        di, do = inner_dims[-k], outer_dims[-k]
        if di is do:
            continue
        if _value(di) == 1:
            continue
        outer_dims[-k] = _assert(do, _EQ(do, di))
    new = B.alloc(inner.owner.inputs[0], *outer_dims)
    return [as_type_of(new, node.outputs[0])]


# ------------------------------------------------------------------ uncanonicalize


def _max_to_min(fgraph, node):
    """-max(-x) -> min(x) and -min(-x) -> max(x); -min(x) -> max(-x) (uncanonicalize).

    Theano built min(x) as -max(-x), so its graphs of min had these forms; the last
    rewrite gives the graph it ended with (as many nodes)."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, (Max, Min)) or \
            len(fgraph.clients(x)) > 1:
        return None
    inner = x.owner.inputs[0]
    other = Min if isinstance(x.owner.op, Max) else Max
    if scalar_of(inner.owner) is S.neg:
        new = other(axis=x.owner.op.axis)(inner.owner.inputs[0])
    elif isinstance(x.owner.op, Min):
        new = Max(axis=x.owner.op.axis)(_NEG(inner))
    else:
        return None
    return [as_type_of(new, node.outputs[0])]


def _min_of_neg(fgraph, node):
    """min(-x) -> -max(x) (Theano's graph for it, as many nodes)."""
    x = node.inputs[0]
    if scalar_of(x.owner) is not S.neg or len(fgraph.clients(x)) > 1:
        return None
    for client, _ in fgraph.clients(node.outputs[0]):
        if client != "output" and scalar_of(client) is S.neg:
            return None  # local_max_to_min makes -min(-x) a max
    new = _NEG(Max(axis=node.op.axis)(x.owner.inputs[0]))
    return [as_type_of(new, node.outputs[0])]


def _alloc_dimshuffle(fgraph, node):
    """alloc(dimshuffle(x), *shape) -> alloc(x, *shape) when the DimShuffle only adds
    broadcastable dimensions on the left."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, DimShuffle):
        return None
    y = x.owner.inputs[0]
    order = list(x.owner.op.new_order)
    lead = len(order) - y.type.ndim
    if lead <= 0 or order[:lead] != ["x"] * lead or order[lead:] != list(range(y.type.ndim)):
        return None
    return [as_type_of(node.op(y, *node.inputs[1:]), node.outputs[0])]


def _reshape_dimshuffle(fgraph, node):
    """reshape(dimshuffle(x), s) -> reshape(x, s) when the DimShuffle keeps the order of
    x's dimensions (it only adds or drops broadcastable ones)."""
    x, shp = node.inputs
    if x.owner is None or not isinstance(x.owner.op, DimShuffle):
        return None
    kept = [o for o in x.owner.op.new_order if o != "x"]
    if kept != sorted(kept):
        return None
    return [as_type_of(node.op(x.owner.inputs[0], shp), node.outputs[0])]


def _dimshuffle_alloc(fgraph, node):
    """dimshuffle('x', ..., 0, 1, ...)(alloc(v, *shape)) -> alloc(v, 1, ..., *shape)."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, B.Alloc) or len(fgraph.clients(x)) > 1:
        return None
    order = list(node.op.new_order)
    lead = len(order) - x.type.ndim
    if lead <= 0 or order[:lead] != ["x"] * lead or order[lead:] != list(range(x.type.ndim)):
        return None
    one = B.constant(np.asarray(1, "int64"))
    new = x.owner.op(x.owner.inputs[0], *([one] * lead + list(x.owner.inputs[1:])))
    return [as_type_of(new, node.outputs[0])]


def _max_and_argmax(fgraph, node):
    """MaxAndArgmax whose argmax (max) nobody reads -> Max (Argmax) alone."""
    axis = node.op.axis
    x = node.inputs[0]
    if not fgraph.clients(node.outputs[1]):
        return [as_type_of(Max(axis=list(axis))(x), node.outputs[0]), None]
    if not fgraph.clients(node.outputs[0]):
        return [None, Argmax(list(axis))(x)]
    return None


def _dimshuffle_subtensor(fgraph, node):
    """x[i:j, :, k].dimshuffle(0) with the dropped dimension broadcastable and taken
    whole -> x[i:j, 0, k] (no DimShuffle)."""
    x = node.inputs[0]
    order = node.op.new_order
    if x.owner is None or type(x.owner.op) is not Subtensor or "x" in order or \
            list(order) != sorted(order):
        return None
    missing = [d for d in range(x.type.ndim) if d not in order]
    if not missing or not all(x.type.broadcastable[d] for d in missing):
        return None
    spec = list(x.owner.op.idx_list)
    src = x.owner.inputs[0]
    if any(e[0] not in ("slice", "int") for e in spec):
        return None
    spec += [("slice", None, None, None)] * (src.type.ndim - len(spec))
    out_dim = 0
    new_spec = []
    for entry in spec:
        if entry[0] == "slice":
            if out_dim in missing:
                if entry != ("slice", None, None, None):
                    return None
                entry = ("int", 0)
            out_dim += 1
        new_spec.append(entry)
    while new_spec and new_spec[-1] == ("slice", None, None, None):
        new_spec.pop()
    new = Subtensor(new_spec)(src, *x.owner.inputs[1:])
    return [as_type_of(new, node.outputs[0])]


# --------------------------------------------------------------------------- the list


def _rule(name, ops, fn):
    return node_rule(name, ops, fn)


LEGACY = [
    # identity: Theano's add of one input (Elemwise._nary_node builds T.add(x) so).
    _rule("local_add_specialize", (S.add, S.identity), _add_specialize),
    _rule("local_useless_elemwise", (S.eq, S.neq, S.xor, S.mul, S.add, S.identity, S.and_,
                                     S.or_), _useless_elemwise),
    # Keyed on Elemwise: a Cast built as ``scalar.Cast(Scalar(dtype))`` is its own op.
    _rule("local_cast_cast", (Elemwise,), _cast_cast),
    _rule("local_func_inv", tuple({op for pair in _INVERSE_PAIRS for op in pair}), _func_inv),
    _rule("local_intdiv_by_one", (S.int_div,), _intdiv_by_one),
    _rule("local_zero_div", (S.int_div, S.true_div), _zero_div),
    _rule("local_elemwise_sub_zeros", (S.sub,), _elemwise_sub_zeros),
    _rule("local_neg_neg", (S.neg,), _neg_neg),
    _rule("local_neg_div_neg", (S.neg,), _neg_div_neg),
    _rule("local_fill_to_alloc", (S.second,), _fill_to_alloc),
    _rule("local_useless_composite", (Elemwise,), _useless_composite),
    _rule("local_subtensor_inc_subtensor", (Subtensor,), _subtensor_inc_subtensor),
    _rule("local_useless_inc_subtensor_alloc",
          (IncSubtensor, AdvancedIncSubtensor1, AdvancedIncSubtensor),
          _useless_inc_subtensor_alloc),
    _rule("local_subtensor_lift", (Subtensor,), _subtensor_lift),
    _rule("local_incsubtensor_of_zeros",
          (IncSubtensor, AdvancedIncSubtensor1, AdvancedIncSubtensor), _incsubtensor_of_zeros),
    _rule("local_setsubtensor_of_constants", (IncSubtensor,), _setsubtensor_of_constants),
    _rule("local_incsubtensor_of_zeros_to_setsubtensor", (IncSubtensor,),
          _incsubtensor_of_zeros_to_setsubtensor),
    _rule("local_dimshuffle_lift", (DimShuffle,), _dimshuffle_lift),
    _rule("local_useless_switch", (S.switch,), _useless_switch),
    _rule("local_merge_switch_same_cond", _SWITCH_MERGEABLE, _merge_switch_same_cond),
    _rule("local_remove_useless_assert", (Assert,), _remove_useless_assert),
    _rule("local_remove_all_assert", (Assert,), _remove_all_assert),
    _rule("local_join_1", (B.Join,), _join_1),
    _rule("local_join_empty", (B.Join,), _join_empty),
    _rule("local_useless_tile", (Tile,), _useless_tile),
    _rule("local_sum_prod_all_to_none", (Sum, Prod), _sum_prod_all_to_none),
    _rule("local_op_of_op", (Sum, Prod), _op_of_op),
    _rule("local_elemwise_alloc", (Elemwise,), _elemwise_alloc),
    _rule("local_canonicalize_alloc", (B.Alloc,), _canonicalize_alloc),
    _rule("local_merge_alloc", (B.Alloc,), _merge_alloc_rule),
    _rule("local_useless_reshape", (B.Reshape,), _useless_reshape),
    _rule("local_reshape_to_dimshuffle", (B.Reshape,), _reshape_to_dimshuffle),
    _rule("local_useless_dimshuffle_in_reshape", (B.Reshape,), _useless_dimshuffle_in_reshape),
    _rule("local_reshape_lift", (B.Reshape,), _reshape_lift),
    _rule("local_useless_split", (B.Split,), _useless_split),
    _rule("local_rebroadcast_lift", (B.Rebroadcast,), _rebroadcast_lift),
    _rule("local_subtensor_remove_broadcastable_index", (Subtensor,),
          _subtensor_remove_broadcastable_index),
    _rule("local_lift_transpose_through_dot", (DimShuffle,), _lift_transpose_through_dot),
    _rule("local_reduce_broadcastable", (Sum, Prod, Max, Min, All, Any, CAReduce),
          _reduce_broadcastable),
    _rule("local_opt_alloc", (Sum, Prod), _opt_alloc),
    _rule("local_sum_prod_mul_by_scalar", (Sum, Prod), _sum_prod_mul_by_scalar),
    _rule("local_0_dot_x", (Dot,), _0_dot_x),
    _rule("local_max_to_min", (S.neg,), _max_to_min),
    _rule("local_min_of_neg", (Min,), _min_of_neg),
    _rule("local_alloc_dimshuffle", (B.Alloc,), _alloc_dimshuffle),
    _rule("local_reshape_dimshuffle", (B.Reshape,), _reshape_dimshuffle),
    _rule("local_dimshuffle_alloc", (DimShuffle,), _dimshuffle_alloc),
    _rule("local_max_and_argmax", (MaxAndArgmax,), _max_and_argmax),
    _rule("local_dimshuffle_subtensor", (DimShuffle,), _dimshuffle_subtensor),
]

# A rule Theano registered without "fast_run": it runs only when a mode includes it by
# name or tag (``Mode.including('local_remove_all_assert')``).
OPTIONAL = "<optional>"

# Where Theano 1.0.5 registered each rule (its optdb slots); rules/__init__.py puts each
# in the lists of those phases ("useless" rules run in canonicalize, which Theano also
# registered them in; a rule with no slot is not run by default).
REGISTRATION = {
    "local_add_specialize": (("specialize",), ()),
    "local_useless_elemwise": (("useless", "canonicalize", "specialize"), ()),
    "local_cast_cast": (("canonicalize", "specialize"), ()),
    "local_func_inv": (("canonicalize", "specialize"), ()),
    "local_intdiv_by_one": (("canonicalize",), ()),
    "local_zero_div": (("canonicalize", "specialize"), ()),
    "local_elemwise_sub_zeros": (("specialize",), ()),
    "local_neg_neg": (("specialize",), ()),
    "local_neg_div_neg": (("specialize",), ()),
    "local_fill_to_alloc": (("stabilize", "specialize"), ()),
    # Not in the pipeline: an Elemwise here computes one output (no multi-output
    # Composite for it to trim).
    "local_useless_composite": ((), ()),
    "local_subtensor_inc_subtensor": (("canonicalize",), ()),
    "local_useless_inc_subtensor_alloc": (("useless", "canonicalize"), ()),
    "local_subtensor_lift": (("canonicalize", "specialize"), ()),
    "local_incsubtensor_of_zeros": (("canonicalize", "stabilize"),
                                    ("local_incsubtensor_of_allocs",)),
    "local_setsubtensor_of_constants": (("canonicalize", "stabilize"),
                                        ("local_setsubtensor_of_allocs",)),
    "local_incsubtensor_of_zeros_to_setsubtensor": (("canonicalize", "specialize"), ()),
    # Not in the pipeline: its phases run the project's rule of that name (no lifting).
    "local_dimshuffle_lift": ((), ()),
    "local_useless_switch": (("useless", "canonicalize", "specialize"),
                             ("local_remove_switch_const_cond", "fast_compile")),
    "local_merge_switch_same_cond": (("canonicalize",), ()),
    "local_remove_useless_assert": (("canonicalize", "stabilize", "specialize"), ()),
    "local_remove_all_assert": (("canonicalize", "stabilize", "specialize"),
                                ("unsafe", OPTIONAL)),
    "local_join_1": (("useless", "canonicalize", "specialize"), ()),
    "local_join_empty": (("useless", "canonicalize", "specialize"), ()),
    "local_useless_tile": (("useless", "canonicalize", "stabilize"), ()),
    "local_sum_prod_all_to_none": (("canonicalize",), ()),
    "local_op_of_op": (("canonicalize",), ()),
    "local_elemwise_alloc": (("specialize",), ("local_alloc_elemwise",)),
    "local_canonicalize_alloc": (("canonicalize", "stabilize", "specialize"), ()),
    "local_merge_alloc": (("useless", "canonicalize", "stabilize", "specialize"), ()),
    "local_useless_reshape": (("useless", "canonicalize", "stabilize"), ()),
    # Optional here: the sums over the DimShuffle it leaves run NumPy's pairwise
    # summation where Theano's C loop added in order (tests/unit/test_lenet.py).
    "local_reshape_to_dimshuffle": (("canonicalize",), (OPTIONAL,)),
    "local_useless_dimshuffle_in_reshape": (("canonicalize",), ()),
    "local_reshape_lift": (("canonicalize", "stabilize"), ()),
    "local_rebroadcast_lift": (("canonicalize", "specialize"), ()),
    "local_subtensor_remove_broadcastable_index": (("canonicalize", "specialize"), ()),
    "local_lift_transpose_through_dot": (("canonicalize",), ()),
    "local_useless_split": (("useless", "canonicalize", "specialize"), ()),
    "local_reduce_broadcastable": (("canonicalize", "uncanonicalize", "specialize"), ()),
    "local_opt_alloc": (("specialize",), ()),
    "local_sum_prod_mul_by_scalar": (("specialize",), ()),
    "local_0_dot_x": (("canonicalize", "stabilize"), ()),
    "local_max_to_min": (("uncanonicalize",), ()),
    "local_min_of_neg": (("uncanonicalize",), ()),
    "local_alloc_dimshuffle": (("uncanonicalize",), ()),
    "local_reshape_dimshuffle": (("uncanonicalize",), ()),
    "local_dimshuffle_alloc": (("uncanonicalize",), ()),
    "local_max_and_argmax": (("uncanonicalize",), ()),
    "local_dimshuffle_subtensor": (("uncanonicalize",), ()),
}
LEGACY += SUBTENSOR_LEGACY
REGISTRATION.update(SUBTENSOR_REGISTRATION)
LEGACY += LEGACY_USELESS
REGISTRATION.update(REGISTRATION_USELESS)
LEGACY += LEGACY_ALGEBRA
REGISTRATION.update(REGISTRATION_ALGEBRA)
LEGACY += NNET_RULES  # Theano's nnet rewrites (tensor/nnet/_rules.py)
REGISTRATION.update(NNET_REGISTRATION)

# Theano's BlasOpt and InplaceBlasOpt (rewrites/blas.py): after the specialize phase.
LEGACY += BLAS_RULES
REGISTRATION.update({_r.name: (("uncanonicalize",), ()) for _r in BLAS_RULES})

for _r in LEGACY:
    _extra = REGISTRATION[_r.name][1]
    _r.tags = _r.tags | frozenset(t for t in _extra if t != OPTIONAL)
    _r.optional = OPTIONAL in _extra


def rules_of(slot):
    """The rules Theano registered in optdb slot `slot`, in this module's order."""
    return [r for r in LEGACY if slot in REGISTRATION[r.name][0]]
