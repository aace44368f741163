"""Helpers shared by the tensor rewrite rules: matching Elemwise nodes, reading constants,
building replacements with the exact type of the variable they replace."""

from __future__ import annotations

import numpy as np

from ...graph.basic import Constant
from ...graph.rewrite import PatternRule
from ...scalar import ops as S
from ...scalar.op import ScalarOp
from .. import basic as B
from ..elemwise import DimShuffle, Elemwise, elemwise_of


def scalar_of(node):
    """The ScalarOp of an Elemwise node (else None)."""
    if node is not None and isinstance(node.op, Elemwise):
        return node.op.scalar_op
    return None


def is_elemwise(var, *scalar_ops):
    """Whether `var` is the output of an Elemwise over one of `scalar_ops`."""
    return var.owner is not None and scalar_of(var.owner) in scalar_ops


def const_value(var):
    """The value of a one-element constant (possibly padded by DimShuffle), else raise."""
    while var.owner is not None and isinstance(var.owner.op, DimShuffle):
        var = var.owner.inputs[0]
    if not isinstance(var, Constant):
        raise B.NotScalarConstantError(var)
    data = np.asarray(var.data)
    if data.size != 1:
        # A constant array of one repeated value still fixes a shape (adding
        # ones(2) to a length-3 vector must fail), so only single values count.
        raise B.NotScalarConstantError(var)
    return data.reshape(-1)[0]


def is_const(var, value):
    try:
        return bool(const_value(var) == value)
    except B.NotScalarConstantError:
        return False


def constant_like(value, var):
    """A constant holding `value` in `var`'s dtype, broadcastable in all of its dims."""
    data = np.asarray(value, dtype=var.type.dtype).reshape((1,) * var.type.ndim)
    return B.constant(data)


def as_type_of(new, old, shape_sources=()):
    """`new` given `old`'s dtype and broadcast pattern.

    Where `new` is broadcastable in a dimension `old` is not, it is broadcast against
    the variables of `shape_sources` (inputs of the replaced expression) with ``second``,
    so the replacement has the same shape as what it replaces.
    """
    new = B.as_tensor_variable(new)
    if new.type.ndim < old.type.ndim:
        pad = old.type.ndim - new.type.ndim
        new = DimShuffle(new.type.broadcastable, ["x"] * pad + list(range(new.type.ndim)))(new)
    for src in shape_sources:
        if all(nb <= ob for nb, ob in zip(new.type.broadcastable, old.type.broadcastable)):
            break
        if src.type.ndim <= old.type.ndim and any(
            nb and not sb and not ob
            for nb, sb, ob in zip(new.type.broadcastable,
                                  (True,) * (old.type.ndim - src.type.ndim)
                                  + src.type.broadcastable, old.type.broadcastable)
        ):
            new = elemwise_of(S.second)(src, new)
    if new.type.dtype != old.type.dtype:
        if new.type.dtype.startswith("complex") and old.type.dtype == "bool":
            # all/any of complex values: no cast from complex to real exists.
            new = B.neq(new, 0)
        else:
            new = B.cast(new, old.type.dtype)
    if new.type.broadcastable != old.type.broadcastable:
        if any(nb and not ob for nb, ob in zip(new.type.broadcastable, old.type.broadcastable)):
            return None  # cannot prove the shape: leave the graph alone
        new = B.patternbroadcast(new, old.type.broadcastable)
    return new


def _lifted(op):
    return elemwise_of(op) if isinstance(op, ScalarOp) else op


def _lift_pattern(p):
    if isinstance(p, tuple):
        return (_lifted(p[0]),) + tuple(_lift_pattern(a) for a in p[1:])
    return p


def _commutative(op):
    return isinstance(op, Elemwise) and op.scalar_op.commutative


def pattern(name, lhs, rhs, when=None, tags=()):
    """A PatternRule over tensors: scalar ops in `lhs` stand for their Elemwise, numbers
    match constants of that value (also when broadcast), add/mul match either order.

    `rhs` is a template (scalar ops apply elementwise) or ``fn(**bindings)``; the result
    is given the replaced variable's type (see `as_type_of`).
    """
    rule = PatternRule(name, _lift_pattern(lhs), rhs, const_value=const_value,
                       commutative=_commutative, when=when, tags=tags)
    inner = rule.fn

    def typed(fgraph, node):
        out = inner(fgraph, node)
        if not out:
            return None
        leaves = [v for v in _leaves(node.outputs[0])]
        new = as_type_of(out[0], node.outputs[0], leaves)
        return None if new is None else [new]

    rule.fn = typed
    return rule


def _leaves(var, depth=3):
    """Inputs of the expression under `var` (a few levels), widest first."""
    out = []
    stack = [(var, 0)]
    while stack:
        v, d = stack.pop()
        if v.owner is None or d >= depth:
            out.append(v)
            continue
        stack.extend((i, d + 1) for i in v.owner.inputs)
    out.sort(key=lambda v: -sum(not b for b in getattr(v.type, "broadcastable", ())))
    return out
