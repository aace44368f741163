"""Shape rewrites: a shape is computed from the inputs of what it measures, so
``x.shape[0]`` does not compute ``x`` (Theano's ShapeFeature, as local rules)."""

from __future__ import annotations

import numpy as np

from ...errors import MethodNotDefined
from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from .. import basic as B
from ..blas import Dot22
from ..elemwise import DimShuffle, Elemwise
from ..math import Dot
from ..subtensor import Subtensor, get_idx_list


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


def _scalar_key(s, depth):
    """A key for the int64 scalar `s`: its value when constant, the (variable, axis) it
    measures when it is a Shape_i (followed down through views and infer_shape), else
    the variable itself.  Two equal keys are the same length."""
    if isinstance(s, Constant):
        return ("c", int(np.asarray(s.data)))
    if s.owner is not None and isinstance(s.owner.op, B.Shape_i):
        return _dim_key(s.owner.inputs[0], s.owner.op.i, depth)
    return ("v", s)


def _dim_key(v, k, depth=0):
    """A key for the length of axis `k` of `v`, followed to the variable it is read from
    through the Ops' infer_shape (views, elementwise Ops, allocs, reshapes, loops)."""
    if v.type.broadcastable[k]:
        return ("c", 1)
    owner = v.owner
    if owner is None or depth > 40:
        return ("d", v, k)
    op = owner.op
    if isinstance(op, DimShuffle):
        return _dim_key(owner.inputs[0], op.new_order[k], depth + 1)
    if isinstance(op, Elemwise):
        for i in owner.inputs:
            if i.type.ndim == v.type.ndim and not i.type.broadcastable[k]:
                return _dim_key(i, k, depth + 1)
    if isinstance(op, Subtensor):
        entries = get_idx_list(owner.inputs, op.idx_list)
        if all(isinstance(e, slice) for e in entries) and (
                k >= len(entries) or entries[k] == slice(None)):
            return _dim_key(owner.inputs[0], k, depth + 1)
    if isinstance(op, B.Reshape):
        shp = owner.inputs[1]
        if shp.owner is not None and isinstance(shp.owner.op, B.MakeVector):
            entry = shp.owner.inputs[k]
            # (a length read from a shape is never the -1 that asks for the rest)
            if entry.owner is not None and isinstance(entry.owner.op, B.Shape_i):
                return _scalar_key(entry, depth + 1)
    if not hasattr(op, "infer_shape"):
        return ("d", v, k)
    in_shapes = [tuple(B.Shape_i(d)(i) for d in range(i.type.ndim))
                 if hasattr(i.type, "ndim") else None for i in owner.inputs]
    try:
        shapes = owner.op.infer_shape(owner, in_shapes)
        entry = shapes[owner.outputs.index(v)][k]
    except (MethodNotDefined, NotImplementedError, AttributeError, TypeError,
            IndexError, ValueError):
        return ("d", v, k)
    if entry is None:
        return ("d", v, k)
    if isinstance(entry, (int, np.integer)):
        return ("c", int(entry))
    if not hasattr(entry, "type") or getattr(entry.type, "ndim", 0) != 0:
        return ("d", v, k)
    return _scalar_key(entry, depth + 1)


def _merged_steps(r):
    """`a` when `r` is ``reshape(a, (n, a.shape[2]))`` of a 3-d `a` (its rows are
    a[0, 0], a[0, 1], ..., a[1, 0], ...: the steps' rows one after another), else None."""
    if r.owner is None or not isinstance(r.owner.op, B.Reshape) or r.type.ndim != 2:
        return None
    a, shp = r.owner.inputs
    if a.type.ndim != 3:
        return None
    if isinstance(shp, Constant):
        entries = [int(e) for e in np.asarray(shp.data).reshape(-1)]
        if len(entries) != 2:
            return None
        width = ("c", entries[1])
    elif shp.owner is not None and isinstance(shp.owner.op, B.MakeVector) \
            and len(shp.owner.inputs) == 2:
        width = _scalar_key(shp.owner.inputs[1], 0)
    else:
        return None
    return a if width == _dim_key(a, 2) and width != ("c", -1) else None


def _reversed_view(v):
    """Whether `v` is a view (slices, dimshuffles keeping axis 0 first) of a slice with
    step -1 on axis 0: a reversed sequence, which a reshape must copy."""
    flips = 0
    while v.owner is not None:
        op = v.owner.op
        if isinstance(op, DimShuffle):
            if not op.new_order or op.new_order[0] != 0:
                break
        elif isinstance(op, Subtensor):
            entries = get_idx_list(v.owner.inputs, op.idx_list)
            if not entries or not all(isinstance(e, slice) for e in entries):
                break
            step = entries[0].step
            if isinstance(step, Constant):
                step = np.asarray(step.data)
            if step is not None and not hasattr(step, "owner"):
                if int(step) == -1:
                    flips += 1
                elif int(step) < 0:
                    break
            elif step is not None:
                break
        else:
            break
        v = v.owner.inputs[0]
    return flips % 2 == 1


def _reversed_through_elemwise(v, depth=0):
    """``v[::-1]`` without a copy when `v` is built by elementwise Ops from reversed
    sequences (under slices of axis 0): the Ops applied to the inputs taken the other way
    round (the same values), else None."""
    chain = []
    while v.owner is not None and isinstance(v.owner.op, Subtensor):
        entries = get_idx_list(v.owner.inputs, v.owner.op.idx_list)
        if len(entries) != 1 or not isinstance(entries[0], slice):
            return None
        chain.append(v.owner)
        v = v.owner.inputs[0]
    if depth > 4 or v.owner is None or not isinstance(v.owner.op, Elemwise) \
            or len(v.owner.outputs) != 1 \
            or any(i.type.ndim != v.type.ndim for i in v.owner.inputs):
        return None
    new_ins = []
    for i in v.owner.inputs:
        if not i.type.broadcastable[0]:
            for nd in reversed(chain):
                i = nd.op(i, *nd.inputs[1:])
            i = i[::-1] if _reversed_view(i) else _reversed_through_elemwise(i, depth + 1)
            if i is None:
                return None
        new_ins.append(i)
    if all(i.type.broadcastable[0] for i in v.owner.inputs):
        return None
    out = v.owner.op(*new_ins)
    return out if out.type == v.type else None


def _unreversed_step_products(fgraph, node):
    """dot(reshape(a, (-1, k)).T, reshape(b, (-1, m))) with a and b 3-d sequences of the
    same rows per step (a weight's gradient in a loop's gradient: the sum over steps of
    a_t.T b_t) reads a and b both the other way round when that makes their reshapes views
    instead of copies: reversed sequences (the gradient of a loop reads the forward
    loop's sequences backwards).  The sum is the same, its terms added in the other
    order."""
    x, y = node.inputs
    if x.type.ndim != 2 or y.type.ndim != 2 or x.owner is None \
            or not isinstance(x.owner.op, DimShuffle) or tuple(x.owner.op.new_order) != (1, 0):
        return None
    a, b = _merged_steps(x.owner.inputs[0]), _merged_steps(y)
    if a is None or b is None or _dim_key(a, 1) != _dim_key(b, 1):
        return None
    flipped = []
    for v, other in ((a, b), (b, a)):
        if _reversed_view(v):
            flipped.append(v[::-1])
        else:
            flipped.append(_reversed_through_elemwise(v) if _reversed_view(other) else None)
    if None in flipped:
        return None
    new_a = B.Reshape(2)(flipped[0], x.owner.inputs[0].owner.inputs[1])
    new_b = B.Reshape(2)(flipped[1], y.owner.inputs[1])
    out = node.op(new_a.T, new_b)
    return [out] if out.type == node.outputs[0].type else None


SHAPE = [
    node_rule("local_shape_to_shape_i", (B.Shape,), _shape_to_vector, tags=("shape",)),
    node_rule("local_shape_i_lift", (B.Shape_i,), _shape_i_of_computed, tags=("shape",)),
    node_rule("local_subtensor_of_shape", (Subtensor,), _subtensor_of_shape, tags=("shape",)),
    node_rule("local_subtensor_of_unary_elemwise", (Subtensor,), _subtensor_of_unary_elemwise,
              tags=("shape",)),
    node_rule("local_subtensor_make_vector", (Subtensor,), _subtensor_of_make_vector,
              tags=("shape",)),
    node_rule("local_dot_of_reversed_steps", (Dot, Dot22), _unreversed_step_products,
              tags=("shape",)),
]
