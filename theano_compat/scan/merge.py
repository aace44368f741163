"""Merging Scan nodes (Theano 1.0.5's ``ScanMerge``): loops over the same number of steps,
with the same stop condition, truncate_gradient and mode, neither depending on the other,
become one loop computing the outputs of all (one pass over the steps instead of several).
"""

from __future__ import annotations

from ..graph.basic import clone as graph_clone
from ..graph.basic import clone_replace, equal_computations, graph_inputs, is_in_ancestors
from ..tensor import basic as TB
from .op import Scan


def n_steps_key(node):
    """The number of steps of a Scan node: an int when constant, else the variable."""
    try:
        return int(TB.get_scalar_constant_value(node.inputs[0]))
    except TB.NotScalarConstantError:
        return node.inputs[0]


def _same_steps(a, b):
    ka, kb = n_steps_key(a), n_steps_key(b)
    if isinstance(ka, int) or isinstance(kb, int):
        return ka == kb if isinstance(ka, int) and isinstance(kb, int) else False
    return ka is kb or equal_computations([ka], [kb])


def belongs_to_set(node, set_nodes):
    """Whether Scan node `node` can be merged with every node of `set_nodes`."""
    rep = set_nodes[0]
    if node.op.store_steps is not None or rep.op.store_steps is not None:
        return False  # rewritten by scan_save_mem (which runs after merging)
    if any(nd.op.compile_error or nd.op.gradient_error for nd in (node, rep)):
        return False
    if (rep.op.as_while != node.op.as_while
            or rep.op.truncate_gradient != node.op.truncate_gradient
            or rep.op.mode != node.op.mode):
        return False
    if not _same_steps(node, rep):
        return False
    for nd in set_nodes:
        if nd is node or is_in_ancestors(node, nd) or is_in_ancestors(nd, node):
            return False
    if not node.op.as_while:
        return True
    # The stop conditions must be the same computation over the same outer values.
    cond_a, cond_b = node.op.outputs[-1], rep.op.outputs[-1]
    outer_a = _outer_of_inner(node)
    outer_b = _outer_of_inner(rep)
    from_a = [i for i in node.op.inputs if i in _inputs_of(cond_a)]
    from_b = [i for i in rep.op.inputs if i in _inputs_of(cond_b)]
    if len(from_a) != len(from_b) or any(
            outer_a[id(x)] is not outer_b[id(y)] for x, y in zip(from_a, from_b)):
        return False
    return equal_computations([cond_a], [cond_b], from_a, from_b)


def _inputs_of(var):
    return set(graph_inputs([var]))


def _outer_of_inner(node):
    """id(inner input) -> the outer input it reads (a sequence, a state's initial window,
    a carried value's initial value or a non-sequence)."""
    op = node.op
    _, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    out = {}
    for v, o in zip(op.inner_seqs(), seqs):
        out[id(v)] = o
    for vs, w in zip(op.inner_taps(), windows):
        for v in vs:
            out[id(v)] = w
    for v, o in zip(op.inner_carries(), carries):
        out[id(v)] = o
    for v, o in zip(op.inner_non_seqs(), non_seqs):
        out[id(v)] = o
    return out


def merge(nodes):
    """[(old output, new output)] of one Scan node computing what `nodes` compute."""
    parts = []  # per node: its op, its inner graph copied, its outer inputs split
    for nd in nodes:
        op = nd.op
        ins, outs = graph_clone(op.inputs, op.outputs)
        _, seqs, windows, carries, non_seqs = op.split_outer_inputs(nd.inputs)
        parts.append((nd, op, ins, outs, seqs, windows, carries, non_seqs))
    inner_in, outer_in, taps = [], [], []
    for nd, op, ins, outs, seqs, *_ in parts:
        inner_in += ins[:op.n_seqs]
        outer_in += seqs
    n_seqs = len(inner_in)
    # The states: all multi-tap ones (mit_sot) first, then the tap -1 ones (sit_sot).
    order = []  # (part index, state index)
    for sit in (False, True):
        for p, (nd, op, ins, *_r) in enumerate(parts):
            order += [(p, j) for j, ts in enumerate(op.taps) if (ts == (-1,)) == sit]
    for p, j in order:
        nd, op, ins, outs, seqs, windows, carries, non_seqs = parts[p]
        start = op.n_seqs + op._tap_count(j)
        inner_in += ins[start:start + len(op.taps[j])]
        outer_in.append(windows[j])
        taps.append(op.taps[j])
    for nd, op, ins, outs, seqs, windows, carries, non_seqs in parts:
        start = len(ins) - op.n_non_seqs - op.n_carry
        inner_in += ins[start:start + op.n_carry]
        outer_in += carries
    for nd, op, ins, outs, seqs, windows, carries, non_seqs in parts:
        inner_in += ins[len(ins) - op.n_non_seqs:]
        outer_in += non_seqs
    inner_out = [parts[p][3][j] for p, j in order]
    for nd, op, ins, outs, *_r in parts:
        inner_out += outs[op.n_states:op.n_states + op.n_nit]
    for nd, op, ins, outs, *_r in parts:
        start = op.n_states + op.n_nit
        inner_out += outs[start:start + op.n_carry]
    first = parts[0][1]
    if first.as_while:
        inner_out.append(parts[0][3][-1])
    names = [nd.op.name or "scan_fn" for nd in nodes]
    new_op = Scan(inner_in, inner_out, n_seqs=n_seqs, taps=taps,
                  n_nit=sum(op.n_nit for _, op, *_r in parts),
                  n_carry=sum(op.n_carry for _, op, *_r in parts),
                  as_while=first.as_while, truncate_gradient=first.truncate_gradient,
                  name="&".join(names), mode=first.mode, profile=first.profile,
                  allow_gc=first.allow_gc)
    new_outs = new_op(nodes[0].inputs[0], *outer_in, return_list=True)
    pairs = []
    for k, (p, j) in enumerate(order):
        pairs.append((parts[p][0].outputs[j], new_outs[k]))
    pos = len(order)
    for nd, op, *_r in parts:
        for i in range(op.n_nit):
            pairs.append((nd.outputs[op.n_states + i], new_outs[pos]))
            pos += 1
    for nd, op, *_r in parts:
        for m in range(op.n_carry):
            pairs.append((nd.outputs[op.n_states + op.n_nit + m], new_outs[pos]))
            pos += 1
    return pairs


def merge_rule(fgraph, node):
    """The rule: `node` merged with every other Scan node of the graph it can be merged
    with (those after it in the graph's order join the set one by one)."""
    others = [nd for nd in fgraph.toposort() if isinstance(nd.op, Scan) and nd is not node]
    if not others:
        return None
    group = [node]
    for nd in others:
        if belongs_to_set(nd, group):
            group.append(nd)
    if len(group) < 2:
        return None
    return dict(merge(group))


def _same_outer_inputs(a, b):
    """Whether Scan nodes `a` and `b` read the same outer values in the same roles."""
    pa, pb = a.op.split_outer_inputs(a.inputs), b.op.split_outer_inputs(b.inputs)
    if pa[0] is not pb[0]:
        return False
    return all(len(x) == len(y) and all(u is v for u, v in zip(x, y))
               for x, y in zip(pa[1:], pb[1:]))


def _recurrence(op):
    return (op.inner_state_outs() + op.inner_carry_outs()
            + ([op.inner_condition()] if op.as_while else []))


def merge_same_inputs(fgraph, node):
    """Two loops over the same outer inputs whose recurrences (states, carried values, stop
    condition) are the same computation: one loop, with the per-step outputs of both.
    (The gradient of a loop builds such a twin: the forward loop with the values of its
    step that the reverse loop reads as extra per-step outputs, scan/grad.py; scan_merge
    would run both recurrences in one loop, computing the states twice.)"""
    op = node.op
    if op.store_steps is not None or op.compile_error or op.gradient_error:
        return None
    for client, _ in fgraph.clients(node.inputs[0]):
        other = getattr(client, "op", None)
        if client is node or type(other) is not type(op) or other.store_steps is not None \
                or other.taps != op.taps or other.n_seqs != op.n_seqs \
                or other.n_carry != op.n_carry or other.n_non_seqs != op.n_non_seqs \
                or other.as_while != op.as_while or other.mode != op.mode \
                or other.truncate_gradient != op.truncate_gradient \
                or other.compile_error or other.gradient_error \
                or len(other.inputs) != len(op.inputs) \
                or any(u.type != v.type for u, v in zip(op.inputs, other.inputs)):
            continue
        if not _same_outer_inputs(node, client) or not equal_computations(
                _recurrence(op), _recurrence(other), op.inputs, other.inputs):
            continue
        nits = op.inner_nit_outs()
        twin_of, extra = {}, []
        for i, v in enumerate(other.inner_nit_outs()):
            twin = [k for k, u in enumerate(nits)
                    if u.type == v.type and equal_computations([u], [v], op.inputs, other.inputs)]
            if twin:
                twin_of[i] = twin[0]
            else:
                twin_of[i] = len(nits) + len(extra)
                extra.append(v)
        extra = clone_replace(extra, dict(zip(other.inputs, op.inputs)), strict=False) \
            if extra else []
        n_out = op.n_states + op.n_nit
        new_op = Scan(op.inputs, op.outputs[:n_out] + list(extra) + op.outputs[n_out:],
                      n_seqs=op.n_seqs, taps=op.taps, n_nit=op.n_nit + len(extra),
                      n_carry=op.n_carry, as_while=op.as_while,
                      truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                      profile=op.profile, allow_gc=op.allow_gc)
        new_op.gradient_error, new_op.compile_error = op.gradient_error, op.compile_error
        n_steps, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
        new = new_op(n_steps, *seqs, *windows, *carries, *non_seqs, return_list=True)
        states = new[:op.n_states]
        new_nits = new[op.n_states:op.n_states + op.n_nit + len(extra)]
        rest = new[op.n_states + op.n_nit + len(extra):]
        result = {}
        for nd, o in ((node, op), (client, other)):
            result.update(zip(nd.outputs[:o.n_states], states))
            result.update(zip(nd.outputs[o.n_states + o.n_nit:], rest))
        result.update((node.outputs[op.n_states + i], new_nits[i]) for i in range(op.n_nit))
        result.update((client.outputs[other.n_states + i], new_nits[k])
                      for i, k in twin_of.items())
        return {o: n for o, n in result.items() if fgraph.clients.get(o)}
    return None
