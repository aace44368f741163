"""Which intermediate arrays a node may overwrite (buffer donation).

An intermediate whose last use is node N, that is not an output, not a view of
something else and not viewed by anything still alive after N, belongs to nobody once N
runs.  A fused elementwise node may then write its result into that array instead of
allocating (``w - lr * dot(x.T, d)`` reuses the gradient's memory), which keeps a
training step's peak memory at what hand-written NumPy with ``out=`` needs.
"""

from __future__ import annotations

from ..scalar.composite import Composite
from ..tensor.basic import Shape, Shape_i
from ..tensor.blas import Gemv
from ..tensor.construct import Alloc, AllocEmpty
from ..tensor.elemwise import CAReduce, Elemwise, is_nary
from ..tensor.math import Dot


def _view_source(var):
    """The variable `var` is a view of (through the Ops' view_map), or None."""
    node = var.owner
    if node is None:
        return None
    src = (getattr(node.op, "view_map", None) or {}).get(var.index)
    return node.inputs[src[0]] if src else None


def alias_root(var):
    """The graph input, shared value or constant that `var` may be (a view of), or None.

    Follows the Ops' ``view_map``; a variable computed by an Op that does not declare a
    view of its inputs is a fresh array and aliases nothing.
    """
    while var.owner is not None:
        src = _view_source(var)
        if src is None:
            return None
        var = src
    return var


def view_lifetimes(nodes, last_use, keep, forever):
    """id(var) -> the last position at which any view of var (transitively) is used;
    views that are function outputs count as used until `forever`."""
    out = {}
    # Views come after what they view: walking backwards, a variable's entry is complete
    # when it is reached, and one step to its source carries it on (walking each view's
    # whole chain of sources instead cost the chain's length per view).
    for node in reversed(nodes):
        for var in node.outputs:
            src = _view_source(var)
            if src is not None:
                end = forever if id(var) in keep else last_use.get(id(var), -1)
                end = max(end, out.get(id(var), -1))
                out[id(src)] = max(out.get(id(src), -1), end)
    return out


def _fresh(var):
    """Whether `var`'s producer always returns a newly allocated array.

    A whitelist: Ops that may hand back an input (identity), a broadcast view (fill) or
    a view without declaring it would make donation overwrite someone else's data.
    """
    op = var.owner.op
    if isinstance(op, (Dot, CAReduce)):
        return True
    if isinstance(op, Gemv):
        # A new array, or (in place) its y when that is a new uninitialised array.
        y = var.owner.inputs[0]
        return not op.inplace or (y.owner is not None and isinstance(y.owner.op, AllocEmpty))
    if isinstance(op, Elemwise):
        if op.inplace_pattern:
            return False  # its result is the destroyed input's array
        sop = op.scalar_op
        if isinstance(sop, Composite):
            last_op = sop.nodes[sop.output - sop.nin][0] if sop.output >= sop.nin else None
            return last_op is not None and _new_array_op(last_op)
        return _new_array_op(sop)
    # Alloc fills a new array; an Op writing into a donated input (writes_into_inputs:
    # set/inc_subtensor) returns a copy of it or the donated (new) array itself.
    return isinstance(op, Alloc) or _writes_into(op)


def _new_array_op(sop):
    """Whether scalar op `sop` computes new arrays: a ufunc, or a function declared
    ``takes_out`` (ufunc-like: a new array, or the out= buffer it is given)."""
    return sop.ufunc is not None or bool(getattr(sop, "takes_out", False))


def _writes_into(op):
    """The input positions an Op can write its result into when the linker donates
    them (its ``writes_into_inputs``; its ``runner(node, xp, donated=...)`` then
    returns the callable doing so)."""
    return tuple(getattr(op, "writes_into_inputs", None) or ())


def _donatable_to_writer(node, pos, last_use, keep, alias_last_use):
    """The inputs of `node` (an Op with ``writes_into_inputs``) it may write into: new
    arrays of its result's type that nothing reads after it."""
    out = []
    for k in _writes_into(node.op):
        var = node.inputs[k]
        if var.owner is None or id(var) in keep or last_use.get(id(var)) != pos \
                or _view_source(var) is not None or alias_last_use.get(id(var), -1) > pos \
                or sum(v is var for v in node.inputs) != 1 or not _fresh(var) \
                or getattr(var.type, "ndim", 0) == 0 or var.type != node.outputs[0].type:
            continue
        out.append(k)
    return tuple(out)


def donatable_inputs(node, pos, last_use, keep, alias_last_use, mutable=frozenset()):
    """Positions of `node`'s inputs it may overwrite (only elementwise nodes use it).

    Intermediates are donated to fused (Composite) nodes and, of the result's dtype, to
    single-ufunc elementwise nodes; a graph input in `mutable` (ids of the inputs of
    ``In(mutable=True)``: the caller lets the function overwrite the array it passes)
    likewise.
    """
    scalar_op = getattr(node.op, "scalar_op", None)
    if _writes_into(node.op) and not getattr(node.op, "destroy_map", None):
        return _unviewed(node, _donatable_to_writer(node, pos, last_use, keep,
                                                    alias_last_use))
    if scalar_op is None or getattr(node.op, "destroy_map", None):
        return ()  # (an Op declaring destroy_map writes into its inputs by itself)
    if not isinstance(scalar_op, Composite) and not is_nary(node):
        if getattr(scalar_op, "ufunc", None) is None or len(node.outputs) != 1:
            return ()
        # A mutable input, or an intermediate as a fused node takes one (a new array
        # dying here: ``w + d`` writes into d's memory instead of allocating).
        return _unviewed(node, tuple(
            k for k, var in enumerate(node.inputs)
            if (id(var) in mutable if var.owner is None else
                _view_source(var) is None and _fresh(var))
            and last_use.get(id(var)) == pos and id(var) not in keep
            and alias_last_use.get(id(var), -1) <= pos
            and sum(v is var for v in node.inputs) == 1
            and getattr(var.type, "ndim", 0) > 0
            and var.type.dtype == node.outputs[0].type.dtype
            and var.type.broadcastable == node.outputs[0].type.broadcastable)[:1])
    out = []
    for k, var in enumerate(node.inputs):
        if var.owner is None:
            if id(var) not in mutable or id(var) in keep or last_use.get(id(var)) != pos \
                    or alias_last_use.get(id(var), -1) > pos \
                    or sum(v is var for v in node.inputs) > 1 \
                    or getattr(var.type, "ndim", 0) == 0 \
                    or var.type.dtype != node.outputs[0].type.dtype \
                    or var.type.broadcastable != node.outputs[0].type.broadcastable:
                continue
            out.append(k)
            continue
        if id(var) in keep or last_use.get(id(var)) != pos:
            continue
        if _view_source(var) is not None or alias_last_use.get(id(var), -1) > pos or \
                not _fresh(var):
            continue
        if sum(v is var for v in node.inputs) > 1:
            continue  # the same array read twice must not be overwritten once
        if getattr(var.type, "ndim", 0) == 0 or \
                var.type.broadcastable != node.outputs[0].type.broadcastable:
            continue  # only an array of the result's whole shape can hold the result
        out.append(k)
    return _unviewed(node, tuple(out))


def _unviewed(node, positions):
    """`positions` less the inputs of which another input of `node` is a view (``exp(d) *
    d[::-1]``: writing the result into d would change what d[::-1] reads meanwhile)."""
    if not positions:
        return positions
    viewed = set()
    for var in node.inputs:
        src = _view_source(var)
        while src is not None:
            viewed.add(id(src))
            src = _view_source(src)
    return tuple(k for k in positions if id(node.inputs[k]) not in viewed)


def _reads_only(var, clients):
    """Whether every node reading `var` (or a declared view of it) makes a new array
    from it (or only reads its shape), so no result of theirs can be `var`'s memory."""
    pending = [var]  # var and its views (a stack, not recursion: views can chain)
    while pending:
        for node in clients.get(id(pending.pop()), ()):
            op = node.op
            if getattr(op, "lazy", False) or isinstance(op, (Shape, Shape_i)):
                continue  # the linker copies a lazy Op's results
            views = getattr(op, "view_map", None) or {}
            for out in node.outputs:
                if out.index in views:
                    pending.append(out)
                elif not (getattr(out, "owner", None) is not None and _fresh(out)):
                    return False
    return True


def plan_buffers(candidates, clients, keep, receivers, alias_last_use, forever):
    """The candidates (variables whose producer can write into a given array) that may
    live in a buffer owned by the compiled function and reused on every call.

    Such a buffer outlives the call, so its contents must never reach the caller: the
    variable is not an output, has no view alive at the end, is read only by nodes
    that make new arrays, and if it is donated (`receivers`: id(var) -> the result
    written into its memory), that result must stay inside in the same way.
    """

    known = {}  # id(var) -> whether it stays inside

    def stays_inside(var):
        # Along the chain of donations (var -> the result written into its memory -> ...)
        # with a loop, not recursion, each variable decided once: a chain of 10^5
        # elementwise nodes is one long donation chain.
        chain = []
        while True:
            k = id(var)
            if k in known:
                result = known[k]
                break
            if k in keep or alias_last_use.get(k, -1) >= forever or \
                    not _reads_only(var, clients):
                result = False
                break
            chain.append(k)
            var = receivers.get(k)
            if var is None:
                result = True
                break
        for k in chain:
            known[k] = result
        return result

    return [var for var in candidates if stays_inside(var)]
