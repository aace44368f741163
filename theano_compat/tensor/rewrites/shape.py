"""Shape rewrites: a shape is computed from the inputs of what it measures, so
``x.shape[0]`` does not compute ``x`` (Theano's ShapeFeature, as local rules)."""

from __future__ import annotations

import numpy as np

from ...errors import MethodNotDefined
from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from .. import basic as B
from ..elemwise import Elemwise
from ..subtensor import Subtensor


def _shape_to_vector(fgraph, node):
    """shape(x) -> make_vector(shape_i(0)(x), ...): each entry can then be simplified."""
    (x,) = node.inputs
    if x.type.ndim == 0:
        return [B.constant(np.zeros(0, dtype="int64"))]
    # An input's shape too (Theano 1.0.5's ShapeFeature): each entry is then a Shape_i
    # that later rules (subtensor of make_vector, merge) can use on its own.
    return [B.make_vector(*[B.Shape_i(i)(x) for i in range(x.type.ndim)])]


def _shape_i_of_computed(fgraph, node):
    """shape_i(k)(f(a, b)) -> the k-th entry of f's infer_shape in terms of a and b."""
    (x,) = node.inputs
    k = node.op.i
    if x.type.broadcastable[k]:
        return [B.constant(np.asarray(1, dtype="int64"))]
    owner = x.owner
    if owner is None or not hasattr(owner.op, "infer_shape"):
        return None
    in_shapes = [tuple(B.Shape_i(d)(i) for d in range(i.type.ndim))
                 if hasattr(i.type, "ndim") else None for i in owner.inputs]
    try:
        shapes = owner.op.infer_shape(owner, in_shapes)
    except (MethodNotDefined, NotImplementedError, AttributeError, TypeError):
        return None
    if shapes is None or shapes[owner.outputs.index(x)] is None:
        return None  # the Op's infer_shape does not know this output's shape
    entry = shapes[owner.outputs.index(x)][k]
    if entry is None:
        return None  # the op does not know this dimension without running
    entry = B.as_tensor_variable(entry)
    if entry.type.ndim != 0:
        return None
    if entry.type.dtype != "int64":
        entry = B.cast(entry, "int64")
    if x in _ancestors_limited(entry, owner, fgraph.variables):
        return None  # the inferred shape still needs the value itself
    return [entry]


def _ancestors_limited(var, stop_node, known):
    """`var` and what it depends on through nodes other than `stop_node`, not looking
    above the variables in `known` (the graph's own: infer_shape only sees the node, so
    it can reach the node's output only through the nodes it just built, and walking
    the whole graph above on each shape made compiling an n-layer network O(n^2))."""
    seen = set()
    stack = [var]
    while stack:
        v = stack.pop()
        if v in seen:
            continue
        seen.add(v)
        if v.owner is not None and v.owner is not stop_node and v not in known:
            stack.extend(v.owner.inputs)
    return seen


def _constant_single_index(node):
    spec = node.op.idx_list
    if len(spec) != 1 or spec[0][0] != "int":
        return None
    idx = spec[0][1]
    if idx == "v":
        v = node.inputs[1]
        if not isinstance(v, Constant):
            return None
        idx = int(v.data)
    return idx


def _subtensor_of_shape(fgraph, node):
    """shape(x)[k] -> shape_i(k)(x) (k a constant)."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, B.Shape):
        return None
    idx = _constant_single_index(node)
    ndim = x.owner.inputs[0].type.ndim
    if idx is None or not -ndim <= idx < ndim:
        return None
    return [B.Shape_i(idx % ndim)(x.owner.inputs[0])]


def _subtensor_of_make_vector(fgraph, node):
    """make_vector(a, b, c)[1] -> b (the index a constant), for the int64 vectors of
    shapes: Theano 1.0.5's rule compared the Op with its int64 ``make_vector``, so a
    vector of other scalars (``a, b, c = as_tensor_variable((x, y, 9.0))``) kept it."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, B.MakeVector) \
            or x.type.dtype != "int64":
        return None
    idx = _constant_single_index(node)
    if idx is None:
        return None
    entries = x.owner.inputs
    if not -len(entries) <= idx < len(entries):
        return None
    entry = entries[idx]
    if entry.type != node.outputs[0].type:
        entry = B.cast(entry, node.outputs[0].type.dtype)
    return [entry]


def _subtensor_of_unary_elemwise(fgraph, node):
    """f(v)[k] -> f(v[k]) for a unary elementwise f and one constant index, so that
    ``cast(shape)[0]`` becomes ``cast(shape_i(0))`` and needs no vector at all."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, Elemwise) or len(x.owner.inputs) != 1:
        return None
    if _constant_single_index(node) is None or len(fgraph.clients(x)) != 1:
        return None
    (v,) = x.owner.inputs
    if v.type.broadcastable != x.type.broadcastable:
        return None
    picked = node.op(v, *node.inputs[1:])
    return [x.owner.op(picked)]


SHAPE = [
    node_rule("local_shape_to_shape_i", (B.Shape,), _shape_to_vector, tags=("shape",)),
    node_rule("local_shape_i_lift", (B.Shape_i,), _shape_i_of_computed, tags=("shape",)),
    node_rule("local_subtensor_of_shape", (Subtensor,), _subtensor_of_shape, tags=("shape",)),
    node_rule("local_subtensor_of_unary_elemwise", (Subtensor,), _subtensor_of_unary_elemwise,
              tags=("shape",)),
    node_rule("local_subtensor_make_vector", (Subtensor,), _subtensor_of_make_vector,
              tags=("shape",)),
]
