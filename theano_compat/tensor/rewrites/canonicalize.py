"""CANONICALIZE: algebraic normal forms and removal of operations that do nothing."""

from __future__ import annotations

from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..elemwise import All, Any, DimShuffle, Elemwise, Max, Min, Prod, Sum
from ..opfromgraph import OpFromGraph, inline_ofg_expansion
from ..type import Rebroadcast
from .algebra import canonical_product, canonical_sum, x_over_abs_x
from .utils import as_type_of, scalar_of


def _useless_dimshuffle(fgraph, node):
    """DimShuffle keeping every dimension in place; DimShuffle of a DimShuffle -> one."""
    op = node.op
    (x,) = node.inputs
    if op.new_order == tuple(range(x.type.ndim)):
        return [x]
    if x.owner is not None and isinstance(x.owner.op, DimShuffle):
        inner = x.owner.op
        (y,) = x.owner.inputs
        order = tuple("x" if o == "x" else inner.new_order[o] for o in op.new_order)
        if order == tuple(range(y.type.ndim)):
            return [as_type_of(y, node.outputs[0])]
        return [DimShuffle(y.type.broadcastable, order)(y)]
    return None


def _useless_cast(fgraph, node):
    """Cast to the dtype the value already has; identity."""
    sop = scalar_of(node)
    (x, *rest) = node.inputs
    if isinstance(sop, S.Cast) and x.type.dtype == sop.o_dtype:
        return [x]
    if sop is S.identity:
        return [x]
    return None


def _useless_second(fgraph, node):
    """fill(model, value) where value already has the output's shape: value."""
    if scalar_of(node) is not S.second:
        return None
    model, value = node.inputs
    out = node.outputs[0]
    if value.type.broadcastable == out.type.broadcastable:
        return [as_type_of(value, out)]
    if model.type.broadcastable == out.type.broadcastable and all(
            not vb or mb for vb, mb in zip(value.type.broadcastable, model.type.broadcastable)):
        # Broadcast flags of the value are covered by the model: keep the fill.
        return None
    return None


def _useless_rebroadcast(fgraph, node):
    (x,) = node.inputs
    if x.type == node.outputs[0].type:
        return [x]
    return None


def _useless_reduce(fgraph, node):
    """A reduction over no axis (or over only broadcastable axes, for sum/max/min)."""
    op = node.op
    (x,) = node.inputs
    axes = op._axes(x.type.ndim)
    out = node.outputs[0]
    if not axes:
        return [as_type_of(x, out)]
    if all(x.type.broadcastable[a] for a in axes) and type(op).__name__ in ("Sum", "Max",
                                                                             "Min", "Prod"):
        kept = [d for d in range(x.type.ndim) if d not in axes]
        return [as_type_of(DimShuffle(x.type.broadcastable, kept)(x), out)]
    return None


def _reshape_chain(fgraph, node):
    """reshape(reshape(x, s1), s2) -> reshape(x, s2)."""
    x, shp = node.inputs
    if x.owner is not None and isinstance(x.owner.op, B.Reshape):
        return [as_type_of(node.op(x.owner.inputs[0], shp), node.outputs[0])]
    return None


def _sum_of_scalar_product(fgraph, node):
    """sum(s * t) with s broadcastable in every dimension -> s * sum(t)."""
    (x,) = node.inputs
    op = node.op
    if scalar_of(x.owner) is not S.mul or op.dtype not in (None, x.type.dtype) or \
            node.outputs[0].type.dtype != x.type.dtype:
        return None
    a, b = x.owner.inputs
    for s, t in ((a, b), (b, a)):
        if all(s.type.broadcastable) and t.type.dtype == x.type.dtype:
            scalar = DimShuffle(s.type.broadcastable, [])(s) if s.type.ndim else s
            kept = [d for d in range(x.type.ndim) if d not in op._axes(x.type.ndim)]
            if kept:
                scalar = DimShuffle((), ["x"] * len(kept))(scalar)
            return [as_type_of(S.mul(scalar, type(op)(axis=op.axis)(t)), node.outputs[0])]
    return None


def _products(fgraph, node):
    return canonical_product(fgraph, node, (x_over_abs_x,))


def _sums(fgraph, node):
    return canonical_sum(fgraph, node)


CANONICALIZE = [
    node_rule("local_dimshuffle_lift", (DimShuffle,), _useless_dimshuffle),
    node_rule("local_useless_cast", (Elemwise,), _useless_cast),
    # Tagged "canonicalize" (Theano's DBs tagged each entry with the DB's name): Theano ran
    # these in its canonicalize (and useless) slots only, so excluding "canonicalize"
    # switches them off in the specialize phase too.
    node_rule("local_useless_fill", (S.second,), _useless_second, tags=("canonicalize",)),
    node_rule("local_useless_rebroadcast", (Rebroadcast,), _useless_rebroadcast),
    node_rule("local_useless_reduce", (Sum, Prod, Max, Min, All, Any), _useless_reduce,
              tags=("local_cut_useless_reduce", "canonicalize")),  # Theano's tag for it
    node_rule("local_reshape_chain", (B.Reshape,), _reshape_chain),
    node_rule("local_sum_scalar_mul", (Sum,), _sum_of_scalar_product),
    node_rule("local_mul_canonizer", (S.mul, S.true_div, S.inv, S.neg), _products,
              tags=("canonicalize_algebra", "canonicalize")),
    node_rule("local_add_canonizer", (S.add, S.sub, S.neg), _sums,
              tags=("canonicalize_algebra", "canonicalize")),
    node_rule("inline_ofg_expansion", (OpFromGraph,), inline_ofg_expansion),
]

