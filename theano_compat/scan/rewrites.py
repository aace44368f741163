"""Rewrite rules for Scan nodes (the SCAN rule list of DESIGN.md §7.3).

`scan_prune_unused_outputs`: a loop computing outputs nobody reads drops them, with the
inner computations only they needed.  The common case is the gradient: the reverse loop
computes the gradient of every input of the forward loop, and a cost differentiated with
respect to the weights leaves the sequences' gradients unused.
"""

from __future__ import annotations

from ..graph.basic import graph_inputs
from ..graph.rewrite import node_rule
from .op import Scan


def _prune_unused_outputs(fgraph, node):
    op = node.op
    n_out = op.n_states + op.n_nit + op.n_carry
    used = [bool(fgraph.clients.get(o)) for o in node.outputs[:n_out]]
    if all(used):
        return None
    # An output is kept when it is used, or when a kept inner output reads its previous
    # values (the recurrences), to a fixed point.
    owner_of_input = {}  # inner input id -> outer output position feeding it
    pos = op.n_seqs
    for j, ts in enumerate(op.taps):
        for _ in ts:
            owner_of_input[id(op.inputs[pos])] = j
            pos += 1
    for m in range(op.n_carry):
        owner_of_input[id(op.inputs[pos])] = op.n_states + op.n_nit + m
        pos += 1
    keep = {k for k, u in enumerate(used) if u}
    extra = [op.inner_condition()] if op.as_while else []
    while True:
        roots = [op.outputs[k] for k in sorted(keep)] + extra
        grown = keep | {owner_of_input[id(v)] for v in graph_inputs(roots)
                        if id(v) in owner_of_input}
        if grown == keep:
            break
        keep = grown
    if len(keep) == n_out:
        return None
    roots = [op.outputs[k] for k in sorted(keep)] + extra
    reads = {id(v) for v in graph_inputs(roots)}
    _, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    new_in, new_outer = [], [node.inputs[0]]
    seq_keep = [k for k, v in enumerate(op.inner_seqs()) if id(v) in reads]
    new_in += [op.inner_seqs()[k] for k in seq_keep]
    new_outer += [seqs[k] for k in seq_keep]
    states = [j for j in range(op.n_states) if j in keep]
    for j in states:
        new_in += op.inner_taps()[j]
        new_outer.append(windows[j])
    nits = [i for i in range(op.n_nit) if op.n_states + i in keep]
    carry_keep = [m for m in range(op.n_carry) if op.n_states + op.n_nit + m in keep]
    new_in += [op.inner_carries()[m] for m in carry_keep]
    new_outer += [carries[m] for m in carry_keep]
    ns_keep = [k for k, v in enumerate(op.inner_non_seqs()) if id(v) in reads]
    new_in += [op.inner_non_seqs()[k] for k in ns_keep]
    new_outer += [non_seqs[k] for k in ns_keep]
    inner_out = ([op.outputs[j] for j in states]
                 + [op.outputs[op.n_states + i] for i in nits]
                 + [op.outputs[op.n_states + op.n_nit + m] for m in carry_keep] + extra)
    new_op = Scan(new_in, inner_out, n_seqs=len(seq_keep), taps=[op.taps[j] for j in states],
                  n_nit=len(nits), n_carry=len(carry_keep), as_while=op.as_while,
                  truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                  profile=op.profile)
    new_outs = new_op(*new_outer, return_list=True)
    old_positions = states + [op.n_states + i for i in nits] + [
        op.n_states + op.n_nit + m for m in carry_keep]
    return {node.outputs[k]: new for k, new in zip(old_positions, new_outs) if used[k]}


scan_prune_unused_outputs = node_rule("scan_prune_unused_outputs", [Scan],
                                      _prune_unused_outputs, tags=("scan",))

SCAN = [scan_prune_unused_outputs]
