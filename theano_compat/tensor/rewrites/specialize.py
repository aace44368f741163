"""SPECIALIZE: cheaper forms of general operations (after stabilisation)."""

from __future__ import annotations

import numpy as np

from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..elemwise import Sum, elemwise_of
from ..math import Dot
from .utils import as_type_of, is_const, pattern


def _mul_by_zero(fgraph, node):
    """x * 0 -> zeros shaped like the product (Theano's local_mul_zero).  A product of
    more inputs (an n-ary node, see Elemwise.nary) is local_mul_specialize's."""
    if len(node.inputs) != 2:
        return None
    a, b = node.inputs
    for zero, other in ((a, b), (b, a)):
        if is_const(zero, 0) and node.outputs[0].type.dtype not in ("complex64", "complex128"):
            z = B.constant(np.zeros((1,) * zero.type.ndim, dtype=node.outputs[0].type.dtype))
            return [as_type_of(S.second(other, z) if other.type.ndim else z,
                               node.outputs[0], [other])]
    return None


def _sum_of_alloc(fgraph, node):
    """sum(alloc(v, *shape)) over all axes, v a scalar -> v * prod(shape)."""
    (x,) = node.inputs
    op = node.op
    if x.owner is None or not isinstance(x.owner.op, B.Alloc) or op.axis is not None:
        return None
    v, *shape = x.owner.inputs
    if v.type.ndim != 0:
        return None
    # One n-ary product of the (integer) lengths, as Theano's T.mul(*shape).
    count = shape[0] if len(shape) == 1 else elemwise_of(S.mul).nary(*shape)
    out = node.outputs[0]
    return [as_type_of(S.mul(B.cast(v, out.type.dtype), B.cast(count, out.type.dtype)), out)]


def _dot_of_vectors(fgraph, node):
    """dot(u, v) of two vectors with a broadcastable (length-1) side is a product."""
    a, b = node.inputs
    if a.type.ndim == 1 and b.type.ndim == 1 and (a.type.broadcastable[0] or
                                                   b.type.broadcastable[0]):
        prod = Sum(axis=None, dtype=node.outputs[0].type.dtype)(S.mul(a, b))
        return [as_type_of(prod, node.outputs[0])]
    return None


def _pow_const(exponent):
    def when(x, y):
        return is_const(y, exponent)
    return when


SPECIALIZE = [
    pattern("local_pow_specialize_2", (S.pow, "x", "y"), lambda x, y: S.sqr(x),
            when=_pow_const(2)),
    pattern("local_pow_specialize_05", (S.pow, "x", "y"), lambda x, y: S.sqrt(x),
            when=lambda x, y: is_const(y, 0.5) and x.type.dtype in ("float32", "float64")),
    pattern("local_pow_specialize_m1", (S.pow, "x", "y"), lambda x, y: S.inv(x),
            when=lambda x, y: is_const(y, -1) and x.type.dtype in ("float32", "float64")),
    pattern("local_pow_specialize_1", (S.pow, "x", "y"), lambda x, y: x,
            when=_pow_const(1)),
    node_rule("local_mul_zero", (S.mul,), _mul_by_zero),
    node_rule("local_sum_of_alloc", (Sum,), _sum_of_alloc),
    node_rule("local_dot_vectors_bcast", (Dot,), _dot_of_vectors),
]


