"""Theano 1.0.5's subtensor / increment / split / join rewrites, as rules of the engine.

Each rule has the name Theano gave its local optimizer; `SUBTENSOR_LEGACY` is aggregated
into legacy.py's ``LEGACY`` and `SUBTENSOR_REGISTRATION` into its ``REGISTRATION`` (the
optdb slots where Theano registered each rule), so FAST_RUN runs them in those phases and
``Mode.excluding`` / ``Mode.including`` find them by name.  Every rule returns a
replacement with exactly the type of what it replaces, or declines.

`merge_two_slices` works on the canonical form of the two slices
(`get_canonical_form_slice`: ``x[sl] == x[a:b:s][::r]`` with ``0 <= a <= b <= len``,
``s > 0``): in the coordinates of the tensor indexed first, the elements the two slices
select are ``lo, lo + S, ..., hi``, read forward or backward; an index out of the first
slice's range becomes the length of the tensor, so that the merged index fails
(IndexError) where the two subtensors did.
"""

from __future__ import annotations

import sys

import numpy as np

from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..elemwise import Elemwise, elemwise_of
from ..subtensor import (AdvancedIncSubtensor, AdvancedIncSubtensor1, AdvancedSubtensor1,
                         IncSubtensor, Subtensor, get_canonical_form_slice, get_idx_list)
from .assert_op import assert_op
from .utils import as_type_of

_ADD = elemwise_of(S.add)


# ------------------------------------------------------------- folding integer arithmetic


def _is_num(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _num(v):
    """`v` as a Python int when it is a number or a scalar integer constant, else `v`."""
    if _is_num(v):
        return int(v)
    if isinstance(v, Constant) and getattr(v.type, "ndim", None) == 0 and \
            str(v.type.dtype).startswith(("int", "uint")):
        return int(v.data)
    return v


def _sw(cond, a, b):
    """switch(cond, a, b), decided now when `cond` is a Python bool."""
    if isinstance(cond, (bool, np.bool_)):
        return a if cond else b
    return B.switch(cond, a, b)


def _cmp(pyop, tensor_op):
    def compare(a, b):
        a, b = _num(a), _num(b)
        if _is_num(a) and _is_num(b):
            return bool(pyop(a, b))
        return tensor_op(a, b)
    return compare


_lt = _cmp(lambda a, b: a < b, B.lt)
_le = _cmp(lambda a, b: a <= b, B.le)
_gt = _cmp(lambda a, b: a > b, B.gt)
_ge = _cmp(lambda a, b: a >= b, B.ge)


def _and(a, b):
    if isinstance(a, (bool, np.bool_)):
        return b if a else False
    if isinstance(b, (bool, np.bool_)):
        return a if b else False
    return B.and_(a, b)


def _add(a, b):
    a, b = _num(a), _num(b)
    if _is_num(a) and a == 0:
        return b
    if _is_num(b) and b == 0:
        return a
    return a + b


def _sub(a, b):
    a, b = _num(a), _num(b)
    if _is_num(b) and b == 0:
        return a
    return a - b


def _mul(a, b):
    a, b = _num(a), _num(b)
    if _is_num(a) and a == 1:
        return b
    if _is_num(b) and b == 1:
        return a
    return a * b


def _count(start, stop, step):
    """How many of start, start + step, ... are below stop (start <= stop, step > 0)."""
    step = _num(step)
    if _is_num(step) and step == 1:
        return _sub(stop, start)
    return _num((_sub(stop, start) + (step - 1)) // step)


def _neg_sign(r):
    """Whether the reverse flag `r` (1 / -1, or a sign variable) is negative."""
    return _lt(r, 0)


# ------------------------------------------------------------------ merging two slices


def merge_two_slices(slice1, len1, slice2, len2):
    """The one index equivalent to applying `slice1` (a slice) then `slice2` (a slice or
    an integer) to a dimension of length `len1`; `len2` is the length after `slice1`.
    Its fields are Python ints, None or integer scalar variables (not in canonical
    form)."""
    if not isinstance(slice1, slice):
        raise ValueError("First provided slice should actually be of type slice and not "
                         "an index !", slice1)
    sl1, r1 = get_canonical_form_slice(slice1, len1)
    a, b, s = _num(sl1.start), _num(sl1.stop), _num(sl1.step)
    n1 = _count(a, b, s)
    rev1 = _neg_sign(r1)
    if not isinstance(slice2, slice):
        i = _num(slice2)
        i = _sw(_lt(i, 0), _add(i, n1), i)
        pos = _sw(rev1, _add(a, _mul(_sub(_sub(n1, 1), i), s)), _add(a, _mul(i, s)))
        valid = _and(_ge(i, 0), _lt(i, n1))
        # Out of range: the length itself, an index that fails when run.
        return _sw(valid, pos, len1)
    sl2, r2 = get_canonical_form_slice(slice2, n1)
    c, d, t = _num(sl2.start), _num(sl2.stop), _num(sl2.step)
    m = _count(c, d, t)
    step = _mul(t, s)
    last = _mul(_sub(m, 1), t)  # the offset of the last element from the first
    lo = _sw(rev1, _add(a, _mul(_sub(_sub(_sub(n1, 1), c), last), s)), _add(a, _mul(c, s)))
    hi = _sw(rev1, _add(a, _mul(_sub(_sub(n1, 1), c), s)), _add(a, _mul(_add(c, last), s)))
    backward = _lt(_num(_mul(r1, r2)), 0)
    # Read backward, the slice ends below lo (before the first element: -len1 - 1).
    below = _sw(_gt(lo, 0), _sub(lo, 1), -len1 - 1)
    start = _sw(backward, hi, lo)
    stop = _sw(backward, below, _add(hi, 1))
    step = _sw(backward, -step, step)
    empty = _le(m, 0)
    start = _sw(empty, 0, start)
    stop = _sw(empty, 0, stop)
    return slice(_num(start), _num(stop), _num(step))


def _index_spec(entries):
    """(spec, inputs) of a Subtensor for index entries (slices / ints / variables)."""
    spec, inputs = [], []

    def field(f):
        f = _num(f)
        if f is None or _is_num(f):
            return f
        f = B.as_tensor_variable(f)
        inputs.append(f)
        return "v"
    for e in entries:
        if isinstance(e, slice):
            spec.append(("slice", field(e.start), field(e.stop), field(e.step)))
        else:
            spec.append(("int", field(e)))
    return tuple(spec), inputs


def _basic(op):
    """Whether a Subtensor op indexes with slices and integers only."""
    return type(op) is Subtensor and all(e[0] in ("slice", "int") for e in op.idx_list)


def _restore_type(new, old):
    if new.type == old.type:
        return new
    if new.type.dtype != old.type.dtype or new.type.ndim != old.type.ndim:
        return None
    return B.patternbroadcast(new, old.type.broadcastable)


def _loop_output(x):
    """Whether `x` is an output of a Scan (theano.scan's module is found where `import
    theano` put it: it is a higher layer than this one)."""
    scan_op = sys.modules.get("theano_compat.scan.op")
    return scan_op is not None and x.owner is not None and isinstance(x.owner.op,
                                                                       scan_op.Scan)


def _subtensor_merge(fgraph, node):
    """x[i1][i2] -> x[i] (one Subtensor, the two indices merged).

    Not on a loop's output: ``out[1:][-1]`` (scan's steps' view, then the last step) is
    the form scan_save_mem (scan/rewrites.py) reads to keep only a loop's last steps in
    memory; Theano's version of that rewrite read merged indices too."""
    u = node.inputs[0]
    if u.owner is None or not _basic(u.owner.op) or not _basic(node.op):
        return None
    x = u.owner.inputs[0]
    if _loop_output(x):
        return None
    slices1 = get_idx_list(u.owner.inputs, u.owner.op.idx_list)
    slices2 = get_idx_list(node.inputs, node.op.idx_list)
    xshape = [B.Shape_i(k)(x) for k in range(x.type.ndim)]
    ushape = u.owner.op.infer_shape(u.owner, [tuple(xshape)])[0]
    if any(d is None for d in ushape):
        return None
    merged = []
    pos1 = pos2 = 0
    while pos1 < len(slices1) and pos2 < len(slices2):
        s1 = slices1[pos1]
        if isinstance(s1, slice):
            merged.append(merge_two_slices(s1, xshape[pos1], slices2[pos2], ushape[pos2]))
            pos2 += 1
        else:
            merged.append(s1)
        pos1 += 1
    merged += list(slices2[pos2:]) if pos2 < len(slices2) else list(slices1[pos1:])
    spec, inputs = _index_spec(merged)
    out = Subtensor(spec)(x, *inputs)
    out = _restore_type(out, node.outputs[0])
    return None if out is None else [out]


# ------------------------------------------------------------- useless slices / subtensors


def _full(entry):
    return isinstance(entry, slice) and entry.start is None and entry.stop is None and \
        (entry.step is None or _num(entry.step) == 1)


def _useless_slice(fgraph, node):
    """x[0, :, :] -> x[0]: the trailing full slices of a Subtensor removed."""
    if not _basic(node.op):
        return None
    entries = get_idx_list(node.inputs, node.op.idx_list)
    last = len(entries)
    while last > 0 and _full(entries[last - 1]):
        last -= 1
    if last == len(entries):
        return None
    if last == 0:
        return [as_type_of(node.inputs[0], node.outputs[0])]
    spec, inputs = _index_spec(entries[:last])
    out = _restore_type(Subtensor(spec)(node.inputs[0], *inputs), node.outputs[0])
    return None if out is None else [out]


def _through_casts(v):
    """`v` read through integer casts and ScalarFromTensor / TensorFromScalar."""
    while v.owner is not None and (
            isinstance(v.owner.op, (B.ScalarFromTensor, B.TensorFromScalar)) or
            (isinstance(v.owner.op, Elemwise) and isinstance(v.owner.op.scalar_op, S.Cast))):
        v = v.owner.inputs[0]
    return v


def _is_length_of(stop, x, k):
    """Whether `stop` is known to be at least the length of dimension k of x."""
    stop = _num(stop)
    if _is_num(stop):
        length = _static_length(x, k)
        return length is not None and stop >= length
    stop = _through_casts(stop)
    if stop.owner is not None and isinstance(stop.owner.op, B.Shape_i) and \
            stop.owner.op.i == k and stop.owner.inputs[0] is x:
        return True
    if stop.owner is not None and isinstance(stop.owner.op, Subtensor) and \
            stop.owner.inputs[0].owner is not None and \
            isinstance(stop.owner.inputs[0].owner.op, B.Shape) and \
            stop.owner.inputs[0].owner.inputs[0] is x:
        idx = get_idx_list(stop.owner.inputs, stop.owner.op.idx_list)
        return len(idx) == 1 and _num(idx[0]) == k
    return False


def _static_length(x, k):
    """The length of dimension k of x when the graph fixes it (a broadcastable dimension,
    specify_shape with a constant), else None."""
    if x.type.broadcastable[k]:
        return 1
    while x.owner is not None:
        op = x.owner.op
        if isinstance(op, B.SpecifyShape):
            shape = x.owner.inputs[1]
            try:
                return int(B.get_scalar_constant_value(shape[k]))
            except (B.NotScalarConstantError, TypeError, IndexError):
                pass
            if isinstance(shape, Constant):
                return int(np.asarray(shape.data)[k])
            if shape.owner is not None and isinstance(shape.owner.op, B.MakeVector):
                v = _num(_const_int(shape.owner.inputs[k]))
                return v if _is_num(v) else None
            return None
        if isinstance(op, Elemwise) and len(x.owner.inputs) == 1 and \
                x.owner.inputs[0].type.broadcastable == x.type.broadcastable:
            x = x.owner.inputs[0]
            continue
        return None
    return None


def _const_int(v):
    try:
        return int(B.get_scalar_constant_value(v))
    except (B.NotScalarConstantError, TypeError):
        return v


def _same_shape_var(stop, x, k):
    """Whether `stop` is (a cast of) the length of dimension k of x or of what x is
    a unary elementwise image of."""
    while True:
        if _is_length_of(stop, x, k):
            return True
        # Through unary elementwise nodes (not a SpecifyShape: its shape is the one
        # given, which Theano did not compare with a symbolic stop).
        if x.owner is not None and isinstance(x.owner.op, Elemwise) and \
                len(x.owner.inputs) == 1 and \
                x.owner.inputs[0].type.broadcastable == x.type.broadcastable:
            x = x.owner.inputs[0]
            continue
        return False


def _useless_subtensor(fgraph, node):
    """x[0:n] -> x where the slices take whole dimensions (start 0, step 1, a stop known
    to reach the length); x[idx] -> x for AdvancedSubtensor1 with idx = arange(len)."""
    x = node.inputs[0]
    if isinstance(node.op, AdvancedSubtensor1):
        length = _static_length(x, 0)
        if length is None:
            return None
        idx = node.inputs[1]
        if isinstance(idx, Constant):
            data = np.asarray(idx.data)
            if data.shape != (length,) or np.any(data != np.arange(length)):
                return None
        elif idx.owner is not None and isinstance(idx.owner.op, B.ARange):
            vals = [_num(_const_int(i)) for i in idx.owner.inputs]
            if vals != [0, length, 1]:
                return None
        else:
            return None
        return [as_type_of(x, node.outputs[0])]
    if not _basic(node.op):
        return None
    entries = get_idx_list(node.inputs, node.op.idx_list)
    for k, e in enumerate(entries):
        if not isinstance(e, slice):
            return None
        start, step = _num(e.start), _num(e.step)
        if start not in (None, 0) or step not in (None, 1):
            return None
        if e.stop is not None and not _same_shape_var(e.stop, x, k):
            return None
    new = as_type_of(x, node.outputs[0])
    return None if new is None else [new]


# --------------------------------------------------------------- subtensor of alloc / dot


def _subtensor_of_alloc(fgraph, node):
    """alloc(v, *shape)[idx] -> alloc(v[idx on v's own dimensions], *new shape)."""
    u = node.inputs[0]
    if u.owner is None or not isinstance(u.owner.op, B.Alloc) or not _basic(node.op):
        return None
    entries = get_idx_list(node.inputs, node.op.idx_list)
    val, dims = u.owner.inputs[0], list(u.owner.inputs[1:])
    n_added = u.type.ndim - val.type.ndim
    new_dims, val_idx = [], []
    for i, (e, dim) in enumerate(zip(entries, dims)):
        if i >= n_added:
            if val.type.broadcastable[i - n_added]:
                val_idx.append(slice(None) if isinstance(e, slice) else 0)
            else:
                val_idx.append(e)
        if isinstance(e, slice):
            csl, _ = get_canonical_form_slice(e, dim)
            length = _num(csl.stop - csl.start)
            if _num(csl.step) != 1:
                length = B.ceil_intdiv(length, csl.step)
            new_dims.append(length)
    new_dims += dims[len(entries):]
    spec, inputs = _index_spec(val_idx)
    new_val = Subtensor(spec)(val, *inputs) if spec else val
    if new_val.type.ndim > len(new_dims):
        return None
    out = _restore_type(B.alloc(new_val, *new_dims), node.outputs[0])
    return None if out is None else [out]


def _subtensor_of_dot(fgraph, node):
    """dot(a, b)[idx] -> dot(a[idx_a], b[idx_b]) (idx_a: the entries on a's leading
    dimensions, idx_b: the rest, skipping b's summed dimension)."""
    d = node.inputs[0]
    if d.owner is None or not isinstance(d.owner.op, B.Dot) or not _basic(node.op) or \
            len(fgraph.clients(d)) > 1:
        return None
    a, b = d.owner.inputs
    entries = list(get_idx_list(node.inputs, node.op.idx_list))
    n_a = min(a.type.ndim - 1, len(entries))
    a_idx, b_idx = entries[:n_a], entries[n_a:]
    if b.type.ndim > 1 and len(b_idx) >= b.type.ndim - 1:
        b_idx = b_idx[:b.type.ndim - 2] + [slice(None)] + b_idx[b.type.ndim - 2:]
    a_sub = a[tuple(a_idx)] if a_idx else a
    b_sub = b[tuple(b_idx)] if b_idx else b
    out = _restore_type(B.dot(a_sub, b_sub), node.outputs[0])
    return None if out is None else [out]


# ------------------------------------------------------------------------- increments


def _IncSubtensor_serialize(fgraph, node):
    """add(x, inc_subtensor(b, c), inc_subtensor(b, d)) ->
    inc_subtensor(inc_subtensor(add(x, b, b), c), d): increments chained on one tensor."""
    o_type = node.outputs[0].type

    def movable(i):
        return (i.owner is not None and
                isinstance(i.owner.op, (IncSubtensor, AdvancedIncSubtensor1,
                                        AdvancedIncSubtensor)) and
                i.type == o_type and len(fgraph.clients(i)) == 1 and
                not i.owner.op.set_instead_of_inc)

    moved = [i for i in node.inputs if movable(i)]
    if not moved:
        return None
    rest = [i for i in node.inputs if not movable(i)] + [m.owner.inputs[0] for m in moved]
    tip = rest[0] if len(rest) == 1 else _ADD(*rest)
    tip = as_type_of(tip, node.outputs[0], node.inputs)
    if tip is None:
        return None
    for m in moved:
        tip = m.owner.op(tip, *m.owner.inputs[1:])
    return [tip]


def _set_to_inc_subtensor(fgraph, node):
    """set_subtensor(x[ilist], x[ilist] + other) -> inc_subtensor(x[ilist], other)."""
    if not node.op.set_instead_of_inc:
        return None
    x, y, ilist = node.inputs
    if y.owner is None or not isinstance(y.owner.op, Elemwise) or \
            y.owner.op.scalar_op is not S.add or len(y.owner.inputs) != 2:
        return None
    for k in (0, 1):
        sub = y.owner.inputs[k]
        if sub.owner is not None and isinstance(sub.owner.op, AdvancedSubtensor1):
            other = y.owner.inputs[1 - k]
            break
    else:
        return None
    if sub.owner.inputs[1] is not ilist or sub.owner.inputs[0] is not x:
        return None
    out = AdvancedIncSubtensor1(set_instead_of_inc=False)(x, other, ilist)
    out = _restore_type(out, node.outputs[0])
    return None if out is None else [out]


def _useless_inc_subtensor(fgraph, node):
    """set_subtensor(x[:, ::-1], y) -> y[:, ::-1] (also inc_subtensor of zeros) where y
    is known to have x's shape (SpecifyShape of x's shape)."""
    x, y = node.inputs[:2]
    if not node.op.set_instead_of_inc:
        try:
            if B.get_scalar_constant_value(x, only_process_constants=True) != 0:
                return None
        except B.NotScalarConstantError:
            return None
    if x.type.ndim != y.type.ndim or x.type.broadcastable != y.type.broadcastable:
        return None
    entries = get_idx_list(node.inputs[1:], node.op.idx_list)
    if not all(isinstance(e, slice) and e.start is None and e.stop is None and
               _num(e.step) in (None, -1) for e in entries):
        return None
    if not _same_shape(x, y):
        return None
    if all(e.step is None for e in entries):
        return [as_type_of(y, node.outputs[0])]
    spec, inputs = _index_spec(entries)
    out = _restore_type(Subtensor(spec)(y, *inputs), node.outputs[0])
    return None if out is None else [out]


def _same_shape(x, y):
    """Whether the graph says y has x's shape (y = specify_shape(z, x.shape), or y is x)."""
    if x is y:
        return True
    if y.owner is None or not isinstance(y.owner.op, B.SpecifyShape):
        return False
    shape = y.owner.inputs[1]
    if shape.owner is not None and isinstance(shape.owner.op, B.Shape) and \
            shape.owner.inputs[0] is x:
        return True
    if shape.owner is not None and isinstance(shape.owner.op, B.MakeVector):
        return all(_is_length_of(s, x, k) for k, s in enumerate(shape.owner.inputs))
    return False


def _adv_sub1_adv_inc_sub1(fgraph, node):
    """set_subtensor(x[idx], y)[idx] -> y (asserting the indices in range and the shapes
    equal; cast to the output's dtype)."""
    inp = node.inputs[0]
    if inp.owner is None or not isinstance(inp.owner.op, AdvancedIncSubtensor1):
        return None
    idx = node.inputs[1]
    x, y, idx2 = inp.owner.inputs
    if idx is not idx2 or not inp.owner.op.set_instead_of_inc:
        return None
    if y.type.ndim != node.outputs[0].type.ndim:
        return None
    n = B.Shape_i(0)(x)
    conds = [B.all(B.and_(B.lt(idx, n), B.ge(idx, -n))),
             B.eq(B.Shape_i(0)(idx), B.Shape_i(0)(y))]
    r = assert_op(y, *conds)
    if r.type.dtype != node.outputs[0].type.dtype:
        r = B.cast(r, node.outputs[0].type.dtype)
    out = _restore_type(r, node.outputs[0])
    return None if out is None else [out]


def _subtensor_make_vector(fgraph, node):
    """make_vector(a, b, c)[0:2] -> make_vector(a, b) and make_vector(a, b, c)[[0, 2]] ->
    make_vector(a, c) (constant indices; the integer index is local_subtensor_make_vector
    of shape.py)."""
    x = node.inputs[0]
    if x.owner is None or not isinstance(x.owner.op, B.MakeVector):
        return None
    entries = x.owner.inputs
    if isinstance(node.op, AdvancedSubtensor1):
        idx = node.inputs[1]
        if not isinstance(idx, Constant):
            return None
        data = np.asarray(idx.data).reshape(-1)
        n = len(entries)
        if np.any(data >= n) or np.any(data < -n):
            return None
        picked = [entries[int(v)] for v in data]
    else:
        if not _basic(node.op) or len(node.op.idx_list) != 1:
            return None
        (e,) = get_idx_list(node.inputs, node.op.idx_list)
        if not isinstance(e, slice):
            return None
        fields = [_num(_const_int(f)) if f is not None else None
                  for f in (e.start, e.stop, e.step)]
        if not all(f is None or _is_num(f) for f in fields):
            return None
        picked = list(entries[slice(*fields)])
    out = _restore_type(x.owner.op(*picked), node.outputs[0])
    return None if out is None else [out]


# ----------------------------------------------------------------------- join / split


def _join_make_vector(fgraph, node):
    """join(0, make_vector(a, b), make_vector(c)) -> join(0, make_vector(a, b, c))."""
    if node.outputs[0].type.ndim != 1:
        return None
    new_inputs = [node.inputs[1]]
    for inp in node.inputs[2:]:
        prev = new_inputs[-1]
        if inp.owner is not None and isinstance(inp.owner.op, B.MakeVector) and \
                prev.owner is not None and isinstance(prev.owner.op, B.MakeVector) and \
                inp.owner.op == prev.owner.op:
            new_inputs[-1] = inp.owner.op(*(list(prev.owner.inputs) + list(inp.owner.inputs)))
        else:
            new_inputs.append(inp)
    if len(new_inputs) == len(node.inputs) - 1:
        return None
    out = _restore_type(B.join(node.inputs[0], *new_inputs), node.outputs[0])
    return None if out is None else [out]


# ------------------------------------------------------------------------ no-op rules


def _no_inplace(fgraph, node):
    """Theano made the node's op work in place here.  This project puts no in-place Op in
    a graph (the linker reuses the buffers of dead intermediates at run time), so the
    rule keeps the node as it is; the values are the same."""
    return None


def _track_shape_i(fgraph, node):
    """Theano replaced a Shape_i its ShapeFeature had scheduled by the shape it tracked.
    Here shapes are rewritten by local rules (local_shape_i_lift): the rule reads a
    feature's schedule when the graph has one, else declines."""
    feature = getattr(fgraph, "shape_feature", None)
    scheduled = getattr(feature, "scheduled", None)
    if not scheduled or node not in scheduled:
        return None
    replacement = scheduled[node]
    return [feature.shape_of[replacement][node.op.i]]


# --------------------------------------------------------------------------- the list


SUBTENSOR_LEGACY = [
    node_rule("local_subtensor_merge", (Subtensor,), _subtensor_merge),
    node_rule("local_useless_slice", (Subtensor,), _useless_slice),
    node_rule("local_useless_subtensor", (Subtensor, AdvancedSubtensor1), _useless_subtensor),
    node_rule("local_subtensor_of_alloc", (Subtensor,), _subtensor_of_alloc),
    node_rule("local_subtensor_of_dot", (Subtensor,), _subtensor_of_dot),
    node_rule("local_IncSubtensor_serialize", (S.add,), _IncSubtensor_serialize),
    node_rule("local_set_to_inc_subtensor", (AdvancedIncSubtensor1,), _set_to_inc_subtensor),
    node_rule("local_useless_inc_subtensor", (IncSubtensor,), _useless_inc_subtensor),
    node_rule("local_adv_sub1_adv_inc_sub1", (AdvancedSubtensor1,), _adv_sub1_adv_inc_sub1),
    # Theano's local_subtensor_make_vector for slices and index vectors (the rule of
    # that name in shape.py takes the integer index): excluded by the same name.
    node_rule("local_subtensor_make_vector_slices", (Subtensor, AdvancedSubtensor1),
              _subtensor_make_vector, tags=("local_subtensor_make_vector",)),
    node_rule("local_join_make_vector", (B.Join,), _join_make_vector),
    node_rule("local_inplace_setsubtensor", (IncSubtensor,), _no_inplace),
    node_rule("local_inplace_incsubtensor1", (AdvancedIncSubtensor1,), _no_inplace),
    node_rule("local_track_shape_i", (B.Shape_i,), _track_shape_i),
]

# Theano's optdb slots of each rule (see legacy.REGISTRATION).  The in-place rules have
# none: the project has no in-place slot for them (their tag "inplace" names them).
SUBTENSOR_REGISTRATION = {
    "local_subtensor_merge": (("canonicalize", "specialize"), ()),
    "local_useless_slice": (("useless", "canonicalize", "specialize"), ()),
    "local_useless_subtensor": (("canonicalize", "specialize"), ()),
    "local_subtensor_of_alloc": (("useless", "canonicalize", "specialize"), ()),
    "local_subtensor_of_dot": (("canonicalize", "stabilize", "specialize"), ()),
    "local_IncSubtensor_serialize": (("canonicalize",), ("pre_local_IncSubtensor_serialize",)),
    "local_set_to_inc_subtensor": (("canonicalize",), ()),
    "local_useless_inc_subtensor": (("useless", "canonicalize", "specialize"), ()),
    "local_adv_sub1_adv_inc_sub1": (("canonicalize", "stabilize"), ()),
    "local_subtensor_make_vector_slices": (("useless", "canonicalize", "specialize"), ()),
    "local_join_make_vector": (("useless", "canonicalize", "specialize"), ()),
    "local_inplace_setsubtensor": ((), ("inplace",)),
    "local_inplace_incsubtensor1": ((), ("inplace",)),
    # Not in the pipeline: no ShapeFeature here schedules Shape_i replacements (shapes
    # are rewritten by local_shape_i_lift); the name is kept for users' optimizers.
    "local_track_shape_i": ((), ()),
}

__all__ = ["SUBTENSOR_LEGACY", "SUBTENSOR_REGISTRATION", "merge_two_slices"]
