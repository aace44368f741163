"""Rewrite rules for Scan nodes (the SCAN rule list of DESIGN.md §7.3), under the names
Theano 1.0.5's scan_opt registered them with (each rule answers to them in
``Mode.excluding`` / ``optimizer_excluding``):

- `scan_merge_same_inputs` (scan/merge.py): two loops over the same outer inputs with
  the same recurrences become one loop with the per-step outputs of both (the gradient
  of a loop builds such a twin, which also outputs the step's values the reverse loop
  reads: scan/grad.py);
- `scan_inner_canonicalize`: the step's graph, once per loop, in canonical form (the
  canonicalize, stabilize and shape rules), so that the push-outs see what the compiled
  step computes (the reverse step is built with fills and products by ones);
- `scan_prune_unused_outputs`: a loop computing outputs nobody reads drops them, with
  the inner computations only they needed (the reverse loop of a gradient computes the
  gradient of every input of the forward loop; a cost differentiated with respect to the
  weights leaves the sequences' gradients unused);
- `remove_constants_and_unused_inputs_scan`: a loop drops the sequences and
  non-sequences its step does not read, merges inputs computing the same thing and moves
  constant inputs into the step;
- `scan_pushout_non_seqs_ops`: what the step computes from non-sequences and constants
  only (the same value at every step) is computed once, before the loop; a per-step
  output that is such a value becomes that value repeated, without a loop;
- `scan_pushout_seqs_ops`: elementwise work reading only the current rows of sequences
  (and loop-invariant values) is done on the whole sequences before the loop, and so is
  the product of such a row, a vector, by a loop-invariant matrix (``dot(x_t, W)`` for
  all t as one ``dot(x, W)``), and constant slices of such rows;
- `scan_merge` (scan/merge.py): loops over the same steps, neither reading the other,
  become one loop;
- `scan_pushout_output`: a carried sum of matrix products (``c + dot(a_t, b_t)``, what
  the reverse loop of a gradient accumulates for a weight matrix) becomes one matrix
  product of the stacked factors after the loop, and a carried sum of rows
  (``c + a_t.sum(axis=0)``, a bias's gradient) one sum after the loop;
- `scan_pushout_nits`: a per-step output computed from the new state only (``y_t =
  dot(h_t, W) + b``) is computed after the loop from the states' values;
- `scan_save_mem`: a state whose readers read only its last rows (``result[-1]``, the
  updates of shared variables), or that nobody reads (a state the steps need, such as
  the reverse loop's gradient of a hidden state), is kept in a circular buffer of that
  many rows (Scan's ``store_steps``) instead of one row per step.

Theano's in-place rewrite (``scan_make_inplace``) has no counterpart: a loop writes its
states into buffers it allocates itself (the linker decides where results go).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from ..graph.basic import (Constant, ancestors, equal_computations, graph_inputs,
                          io_toposort)
from ..graph.fgraph import FunctionGraph
from ..graph.merge import merge
from ..graph.rewrite import node_rule, rewrite_to_fixed_point
from ..scalar import ops as S
from ..tensor import basic as TB
from ..tensor import math as TM
from ..tensor.elemwise import DimShuffle, Elemwise, Sum
from ..tensor.math import Dot
from ..tensor.rewrites import CANONICALIZE, SHAPE, STABILIZE, constant_folding
from ..tensor.subtensor import Subtensor, set_subtensor
from ..tensor.type import TensorType
from .merge import merge_rule, merge_same_inputs
from .op import Scan
from .utils import replace_in


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
                  profile=op.profile, allow_gc=op.allow_gc,
                  store_steps=[op.store_steps[j] for j in states] if op.store_steps else None)
    _inherit(new_op, op)
    new_outs = new_op(*new_outer, return_list=True)
    old_positions = states + [op.n_states + i for i in nits] + [
        op.n_states + op.n_nit + m for m in carry_keep]
    return {node.outputs[k]: new for k, new in zip(old_positions, new_outs) if used[k]}


def _inherit(new_op, op):
    """Carry over what theano.scan recorded on `op` (errors deferred to grad/compile)."""
    new_op.gradient_error = op.gradient_error
    new_op.compile_error = op.compile_error


def rebuild(node, seq_pairs, ns_pairs, outputs):
    """The outputs of a Scan node like `node` whose sequences are `seq_pairs` and
    non-sequences `ns_pairs` ([(outer, inner)]), whose states and carried values are
    `node`'s, and whose inner outputs are `outputs`."""
    op = node.op
    _, _, windows, carries, _ = op.split_outer_inputs(node.inputs)
    state_inputs = op.inputs[op.n_seqs:len(op.inputs) - op.n_non_seqs]
    new_inputs = [i for _, i in seq_pairs] + state_inputs + [i for _, i in ns_pairs]
    new_op = Scan(new_inputs, outputs, n_seqs=len(seq_pairs), taps=op.taps, n_nit=op.n_nit,
                  n_carry=op.n_carry, as_while=op.as_while,
                  truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                  profile=op.profile, allow_gc=op.allow_gc, store_steps=op.store_steps)
    _inherit(new_op, op)
    outer = ([o for o, _ in seq_pairs] + windows + carries + op.outer_nitsot(node)
             + [o for o, _ in ns_pairs])
    return new_op(node.inputs[0], *outer, return_list=True)


# ------------------------------------------------------------ unused and constant inputs


def _same_value_rows(var):
    """The row of a constant sequence whose rows are all equal (a constant), or None."""
    if not isinstance(var, Constant) or not isinstance(var.type, TensorType):
        return None
    data = np.asarray(var.data)
    if data.ndim == 0 or data.shape[0] == 0 or data.size > 1e6:
        return None
    if not np.all(data == data[0:1]):
        return None
    return TB.constant(data[0], dtype=var.type.dtype)


def remove_constants_and_unused_inputs(node):
    """The replacement outputs of a Scan node without its unread sequences and
    non-sequences, with inputs computing the same thing merged and constant inputs
    moved into the inner graph; None when there is nothing to do."""
    op = node.op
    _, seqs, _, _, non_seqs = op.split_outer_inputs(node.inputs)
    reads = {id(v) for v in graph_inputs(op.outputs)}
    givens = OrderedDict()

    def fits(inner, new):
        return new.type == inner.type or inner.type.convert_variable(new) is not None

    keep_seqs = []
    for outer, inner in zip(seqs, op.inner_seqs()):
        if id(inner) not in reads:
            continue
        row = _same_value_rows(outer)
        if row is not None and fits(inner, row):
            givens[inner] = row
            continue
        same = [i for o, i in keep_seqs
                if i.type == inner.type and equal_computations([o], [outer])]
        if same:
            givens[inner] = same[0]
        else:
            keep_seqs.append((outer, inner))
    keep_ns = []
    for outer, inner in zip(non_seqs, op.inner_non_seqs()):
        if id(inner) not in reads:
            continue
        if isinstance(outer, Constant) and fits(inner, outer):
            givens[inner] = outer.clone()
            continue
        same = [i for o, i in keep_ns
                if i.type == inner.type and equal_computations([o], [outer])]
        if same:
            givens[inner] = same[0]
        else:
            keep_ns.append((outer, inner))
    if len(keep_seqs) == len(seqs) and len(keep_ns) == len(non_seqs):
        return None
    outputs = replace_in(op.outputs, givens)
    return rebuild(node, keep_seqs, keep_ns, outputs)


def _remove_constants_rule(fgraph, node):
    return remove_constants_and_unused_inputs(node)


# ------------------------------------------------------------------ inner canonical form


def canonicalize_inner(fgraph, node):
    """The step in canonical form (the outer graph's canonicalize rules, run on the
    inner graph once per loop), so that the push-outs below see the step as the
    compiled step will be: the reverse loop of a gradient is built with ``fill``s,
    multiplications by ones and sums over broadcast axes that hide which of its values
    are sequences' rows."""
    op = node.op
    if op.__dict__.get("_inner_canonical"):
        return None
    op._inner_canonical = True
    fg = FunctionGraph(list(op.inputs), list(op.outputs), clone=True)
    try:
        merge(fg)
        rewrite_to_fixed_point(fg, [constant_folding] + CANONICALIZE + SHAPE,
                               phase="scan_inner_canonicalize")
        rewrite_to_fixed_point(fg, [constant_folding] + STABILIZE + SHAPE,
                               phase="scan_inner_stabilize")
        merge(fg)
    except Exception:  # noqa: BLE001 - the step stays as it is
        return None
    if equal_computations(list(fg.outputs), op.outputs, list(fg.inputs), op.inputs):
        return None
    try:
        new_op = Scan(list(fg.inputs), list(fg.outputs), n_seqs=op.n_seqs, taps=op.taps,
                      n_nit=op.n_nit, n_carry=op.n_carry, as_while=op.as_while,
                      truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                      profile=op.profile, allow_gc=op.allow_gc, store_steps=op.store_steps)
    except (TypeError, ValueError):
        return None
    new_op._inner_canonical = True
    _inherit(new_op, op)
    return new_op(*node.inputs, return_list=True)


# ------------------------------------------------------------------------------ push-out


def _pure(nd):
    """Whether an inner node may run once instead of at every step: no destroyer, and
    tensors in and out (random generator states are carried, not tensors)."""
    if getattr(nd.op, "destroy_map", None) or isinstance(nd.op, Scan):
        return False
    return all(isinstance(v.type, TensorType) for v in nd.inputs + nd.outputs)


def _fresh_like(var):
    new = var.type()
    new.name = var.name
    return new


def pushout_non_seqs(fgraph, node):
    """Hoist the inner computations that read only non-sequences and constants."""
    op = node.op
    _, seqs, _, _, non_seqs = op.split_outer_inputs(node.inputs)
    outer_of = {id(i): o for i, o in zip(op.inner_non_seqs(), non_seqs)}
    hoisted = {}  # id(inner variable) -> outer variable
    order = io_toposort(op.inputs, op.outputs)
    for nd in order:
        if not _pure(nd) or not nd.inputs:
            continue
        if not all(isinstance(i, Constant) or id(i) in outer_of or id(i) in hoisted
                   for i in nd.inputs):
            continue
        if all(isinstance(i, Constant) for i in nd.inputs):
            continue  # constant folding's work, inside the step
        outer_inputs = [i if isinstance(i, Constant) else hoisted.get(id(i), outer_of.get(id(i)))
                        for i in nd.inputs]
        try:
            outer_node = nd.op.make_node(*outer_inputs)
        except (TypeError, ValueError):
            continue
        for o, new in zip(nd.outputs, outer_node.outputs):
            if new.type != o.type:
                new = o.type.convert_variable(new)
                if new is None:
                    break
            hoisted[id(o)] = new

    def repeated(i, v):
        value = hoisted.get(id(v), outer_of.get(id(v)))
        if value is None or not isinstance(v.type, TensorType):
            return None
        shape = [node.inputs[0]] + [TB.shape(value)[d] for d in range(value.type.ndim)]
        return TB.alloc(value, *shape)

    # A per-step output equal at every step: that value repeated, with no loop.
    gone = _without_loop(node, repeated)
    if gone is not None:
        return gone
    if not hoisted:
        return None
    # The hoisted values the rest of the step reads (or that are outputs) enter the loop
    # as new non-sequences.
    return _with_hoisted_inputs(node, order, hoisted, as_seqs=False)


def _with_hoisted_inputs(node, order, hoisted, as_seqs):
    """The outputs of Scan node `node` rebuilt with the values `hoisted` out of its step
    (``{id(inner variable): outer variable}``) that the rest of the step (nodes `order`)
    reads, or that are outputs, entering the loop as new inputs: sequences when
    `as_seqs`, else non-sequences.  None when no hoisted value is needed; the inputs
    the new step no longer reads are dropped (of the kind that grows)."""
    op = node.op
    _, seqs, _, _, non_seqs = op.split_outer_inputs(node.inputs)
    needed = OrderedDict()
    for nd in order:
        if id(nd.outputs[0]) in hoisted:
            continue
        for i in nd.inputs:
            if id(i) in hoisted:
                needed.setdefault(id(i), i)
    for o in op.outputs:
        if id(o) in hoisted:
            needed.setdefault(id(o), o)
    if not needed:
        return None
    givens = OrderedDict()
    seq_pairs = list(zip(seqs, op.inner_seqs()))
    ns_pairs = list(zip(non_seqs, op.inner_non_seqs()))
    grown = seq_pairs if as_seqs else ns_pairs
    for v in needed.values():
        new_in = _fresh_like(v)
        givens[v] = new_in
        grown.append((hoisted[id(v)], new_in))
    outputs = replace_in(op.outputs, givens)
    keep = {id(v) for v in graph_inputs(outputs)}
    grown[:] = [(o, i) for o, i in grown if id(i) in keep]
    new_outs = rebuild(node, seq_pairs, ns_pairs, outputs)
    return dict(zip(node.outputs, new_outs))


def _without_loop(node, replacement):
    """When every output of Scan node `node` is a per-step output (and it has no stop
    condition) and `replacement(i, inner output)` gives, for each, an outer variable
    computing all its steps: those, and the loop is gone (as Theano's push-out did when
    nothing was left in the step); else None."""
    op = node.op
    if op.as_while or op.n_states or op.n_carry or not op.n_nit:
        return None
    result = {}
    for i, v in enumerate(op.inner_nit_outs()):
        rep = replacement(i, v)
        if rep is None:
            return None
        old = node.outputs[op.n_states + i]
        rep = old.type.convert_variable(rep) if rep.type != old.type else rep
        if rep is None:
            return None
        result[old] = rep
    return result


def _step_rows(seq, n_steps):
    """The rows of outer sequence `seq` the loop reads: ``seq[:n_steps]``, or `seq` itself
    when `n_steps` is its length."""
    owner = n_steps.owner
    if owner is not None and isinstance(owner.op, TB.Shape_i) and owner.op.i == 0 \
            and owner.inputs[0] is seq:
        return seq
    return seq[:n_steps]


def _padded(outer, inner, seq_outer_of, ns_outer_of, hoisted):
    """The outer counterpart of inner variable `inner` of a row computation: a whole
    sequence (stacked rows), or an invariant value with a new leading broadcastable axis."""
    if id(inner) in hoisted:
        return hoisted[id(inner)]
    if id(inner) in seq_outer_of:
        return seq_outer_of[id(inner)]
    value = inner if isinstance(inner, Constant) else ns_outer_of[id(inner)]
    return TB.shape_padleft(value)


def _invariant_node(nd, invariant):
    """Record in `invariant` the outer counterparts of the outputs of inner node `nd` when
    it reads only constants and loop-invariant values (`invariant`: id -> outer)."""
    if not _pure(nd) or not all(isinstance(i, Constant) or id(i) in invariant
                                for i in nd.inputs):
        return
    try:
        outer_node = nd.op.make_node(*[i if isinstance(i, Constant) else invariant[id(i)]
                                       for i in nd.inputs])
    except (TypeError, ValueError):
        return
    for o, new in zip(nd.outputs, outer_node.outputs):
        if new.type == o.type:
            invariant[id(o)] = new


def _whole_sequence_dot(nd, node, seq_outer_of, ns_outer_of, hoisted):
    """The outer node computing, for all steps at once, inner Dot node `nd` of the step
    of Scan `node` when it multiplies the current row of a sequence (or of a value
    computed from sequences), a vector, by a loop-invariant matrix: ``dot(x_t, W)`` for
    all t is ``dot(x, W)`` (one matrix product instead of one per step).  None when `nd` is not
    of that form, in a loop with a recurrence (or the loop may stop early: the rows of
    steps it never runs would be computed for nothing).  (``dot(W, x_t)`` stays in the
    step: as ``dot(x, W.T)`` its shape errors would name shapes the user never wrote.)"""
    op = node.op
    if op.as_while or len(nd.inputs) != 2 or not (op.n_states or op.n_carry):
        # (A map, with no recurrence, keeps its products in the step, as Theano's loops
        # did: its users expect the loop there; the loop's work is the same.)
        return None
    a, b = nd.inputs

    def varying(v):
        return id(v) in seq_outer_of or id(v) in hoisted

    def whole(v):
        outer = hoisted.get(id(v))
        if outer is None:
            outer = _step_rows(seq_outer_of[id(v)], node.inputs[0])
        return outer

    def invariant(v):
        if isinstance(v, Constant):
            return v
        return ns_outer_of.get(id(v))

    # Rows that are vectors only: n matrix-vector products become one matrix product.
    # (Measured, tools/bench/bench_scan.py and the model benchmarks: for rows that are
    # matrices, a batch, the steps' products are matrix products already, and one
    # product of the stacked rows made the Elman RNN of batch 16 5-15 % slower.)
    if not (varying(a) and not varying(b) and a.type.ndim == 1):
        return None
    w = invariant(b)
    if w is None or w.type.ndim != 2:
        return None
    return _stacked_dot(whole(a), w).owner


def _stacked_dot(x, w):
    """``dot(x[t], w)`` for every t of `x` (vectors or matrices stacked on axis 0): one
    matrix product."""
    if x.type.ndim == 2:
        return TM.dot(x, w)
    flat = x.reshape((x.shape[0] * x.shape[1], x.shape[2]), ndim=2)
    return TM.dot(flat, w).reshape((x.shape[0], x.shape[1], w.shape[1]), ndim=3)


def _rows_subtensor(nd, x, invariant):
    """The outer node taking, from `x` (one row per step), what inner Subtensor node `nd`
    takes from a row (its index values loop-invariant), or None."""
    if nd.op.idx_list is None or any(e[0] not in ("slice", "int") for e in nd.op.idx_list):
        return None
    rest = []
    for i in nd.inputs[1:]:
        if isinstance(i, Constant):
            rest.append(i)
        elif id(i) in invariant:
            rest.append(invariant[id(i)])
        else:
            return None
    try:
        return Subtensor((("slice", None, None, None),) + tuple(nd.op.idx_list)).make_node(
            x, *rest)
    except (TypeError, ValueError, IndexError):
        return None


def pushout_seqs(fgraph, node):
    """Do the elementwise inner work that reads the current rows of sequences (and
    loop-invariant values) on the whole sequences, before the loop."""
    op = node.op
    _, seqs, _, _, non_seqs = op.split_outer_inputs(node.inputs)
    seq_outer_of = {id(i): o for i, o in zip(op.inner_seqs(), seqs)}
    # The loop-invariant values (non-sequences, what is computed from them and constants
    # only): id(inner variable) -> outer variable.
    ns_outer_of = {id(i): o for i, o in zip(op.inner_non_seqs(), non_seqs)}
    hoisted = {}  # id(inner variable) -> outer variable, one row per step
    order = io_toposort(op.inputs, op.outputs)
    for nd in order:
        if not _pure(nd):
            continue
        _invariant_node(nd, ns_outer_of)
        varying = [i for i in nd.inputs if id(i) in seq_outer_of or id(i) in hoisted]
        if not varying or not all(isinstance(i, Constant) or id(i) in ns_outer_of
                                  or id(i) in seq_outer_of or id(i) in hoisted
                                  for i in nd.inputs):
            continue
        if isinstance(nd.op, Elemwise):
            if nd.op.scalar_op == S.second and not (id(nd.inputs[1]) in seq_outer_of
                                                    or id(nd.inputs[1]) in hoisted):
                # A fill of a row's shape (zeros_like(x_t): the gradient's zeros) is an
                # allocation in the step; stacked for all steps it would be a whole
                # sequence of copies of one value, read row by row.
                continue
            outer_inputs = [_padded(None, i, seq_outer_of, ns_outer_of, hoisted)
                            for i in nd.inputs]
            # Sequences may be longer than the loop (and of different lengths): the rows
            # of the steps only.
            outer_inputs = [_step_rows(o, node.inputs[0]) if id(i) in seq_outer_of else o
                            for i, o in zip(nd.inputs, outer_inputs)]
            try:
                outer_node = nd.op.make_node(*outer_inputs)
            except (TypeError, ValueError):
                continue
        elif isinstance(nd.op, Dot):
            outer_node = _whole_sequence_dot(nd, node, seq_outer_of, ns_outer_of, hoisted)
            if outer_node is None:
                continue
        elif type(nd.op) is Subtensor:
            x = _padded(None, nd.inputs[0], seq_outer_of, ns_outer_of, hoisted)
            if id(nd.inputs[0]) in seq_outer_of:
                x = _step_rows(x, node.inputs[0])
            outer_node = _rows_subtensor(nd, x, ns_outer_of)
            if outer_node is None:
                continue
        elif isinstance(nd.op, DimShuffle):
            x = _padded(None, nd.inputs[0], seq_outer_of, ns_outer_of, hoisted)
            if id(nd.inputs[0]) in seq_outer_of:
                x = _step_rows(x, node.inputs[0])
            order_ = ["x" if d == "x" else d + 1 for d in nd.op.new_order]
            try:
                outer_node = DimShuffle(x.type.broadcastable, [0] + order_).make_node(x)
            except (TypeError, ValueError):
                continue
        else:
            continue
        for o, new in zip(nd.outputs, outer_node.outputs):
            if new.type.dtype != o.type.dtype or new.type.ndim != o.type.ndim + 1:
                break
            hoisted[id(o)] = new
    # Per-step outputs computed whole before the loop (from the steps' rows only).
    gone = _without_loop(node, lambda i, v: hoisted.get(id(v)))
    if gone is not None:
        return gone
    if not hoisted:
        return None
    return _with_hoisted_inputs(node, order, hoisted, as_seqs=True)


# ------------------------------------------------------- per-step outputs, after the loop


def _stack_after(nd, after, invariant):
    """The outer node computing inner node `nd` for all steps at once from the stacked
    values `after` (id -> outer, one row per step) and loop-invariant ones, or None."""
    def outer(i):
        if id(i) in after:
            return after[id(i)]
        return TB.shape_padleft(i if isinstance(i, Constant) else invariant[id(i)])

    if isinstance(nd.op, Elemwise):
        if nd.op.scalar_op == S.second:
            return None
        try:
            return nd.op.make_node(*[outer(i) for i in nd.inputs])
        except (TypeError, ValueError):
            return None
    if isinstance(nd.op, Dot) and len(nd.inputs) == 2:
        a, b = nd.inputs
        if id(a) not in after or id(b) in after or a.type.ndim not in (1, 2):
            return None
        w = b if isinstance(b, Constant) else invariant.get(id(b))
        if w is None or w.type.ndim != 2:
            return None
        return _stacked_dot(after[id(a)], w).owner
    if type(nd.op) is Subtensor:
        if id(nd.inputs[0]) not in after:
            return None
        return _rows_subtensor(nd, after[id(nd.inputs[0])], invariant)
    if isinstance(nd.op, DimShuffle):
        order_ = ["x" if d == "x" else d + 1 for d in nd.op.new_order]
        x = after[id(nd.inputs[0])]
        try:
            return DimShuffle(x.type.broadcastable, [0] + order_).make_node(x)
        except (TypeError, ValueError):
            return None
    return None


def _nits_after_loop(node, stacked_states):
    """{nit position: outer variable} for the per-step outputs of Scan `node` computed
    only from the states' new values (`stacked_states`: per state, an outer variable
    holding its new value at every step, or None), sequences' rows and loop-invariant
    values, by work the step does not need otherwise."""
    op = node.op
    n_steps, seqs, _, _, non_seqs = op.split_outer_inputs(node.inputs)
    roots = op.inner_state_outs() + op.inner_carry_outs()
    in_step = {id(v) for v in ancestors(roots)}
    after = {}
    for o, stacked in zip(op.inner_state_outs(), stacked_states):
        if stacked is not None and o.owner is not None:
            after[id(o)] = stacked
    state_outs = set(after)
    for i, o in zip(op.inner_seqs(), seqs):
        after[id(i)] = _step_rows(o, n_steps)
    invariant = {id(i): o for i, o in zip(op.inner_non_seqs(), non_seqs)}
    for nd in io_toposort(op.inputs, op.outputs):
        if not _pure(nd):
            continue
        _invariant_node(nd, invariant)
        if any(id(o) in invariant or id(o) in after or id(o) in in_step for o in nd.outputs):
            continue
        if not any(id(i) in after for i in nd.inputs) or not all(
                isinstance(i, Constant) or id(i) in after or id(i) in invariant
                for i in nd.inputs):
            continue
        new = _stack_after(nd, after, invariant)
        if new is None:
            continue
        for o, v in zip(nd.outputs, new.outputs):
            if v.type.dtype == o.type.dtype and v.type.ndim == o.type.ndim + 1:
                after[id(o)] = v
    result = {}
    for i, v in enumerate(op.inner_nit_outs()):
        if id(v) in after and id(v) not in state_outs and id(v) not in in_step:
            out = after[id(v)]
            old = node.outputs[op.n_states + i]
            if out.type != old.type:
                out = old.type.convert_variable(out) or TB.patternbroadcast(
                    out, old.type.broadcastable)
            result[i] = out
    return result


def pushout_nits(fgraph, node):
    """A per-step output computed from the new values of the states (and sequences' rows,
    loop-invariant values), by work the rest of the step does not need, is computed
    after the loop on the stacked values: ``y_t = dot(h_t, W) + b`` for all t as one
    matrix product (Theano's ``scan_pushout_output`` for a dot of a state: the loop
    outputs the state's values as a per-step output and the product is done after it).
    """
    op = node.op
    if op.as_while or not op.n_nit or not op.n_states:
        return None
    stored = op.store_steps or (None,) * op.n_states
    moved = _nits_after_loop(node, [node.outputs[j][op.windows[j]:] if stored[j] is None
                                    else None for j in range(op.n_states)])
    if not moved:
        return None
    n_steps, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    keep = [i for i in range(op.n_nit) if i not in moved]
    nit_outs = op.inner_nit_outs()
    state_outs = op.inner_state_outs()
    reads = {id(v) for v in ancestors([nit_outs[i] for i in moved])}
    used = [j for j, o in enumerate(state_outs) if id(o) in reads]
    # The states' values the moved outputs read, as per-step outputs (an output already
    # giving one is read instead).
    copy_of = {}
    extra = []
    for j in used:
        twin = [k for k, i in enumerate(keep) if nit_outs[i] is state_outs[j]]
        if twin:
            copy_of[j] = twin[0]
        else:
            copy_of[j] = len(keep) + len(extra)
            extra.append(state_outs[j])
    new_outputs = (state_outs + [nit_outs[i] for i in keep] + extra
                   + op.inner_carry_outs() + ([op.inner_condition()] if op.as_while else []))
    new_op = Scan(op.inputs, new_outputs, n_seqs=op.n_seqs, taps=op.taps,
                  n_nit=len(keep) + len(extra), n_carry=op.n_carry, as_while=op.as_while,
                  truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                  profile=op.profile, allow_gc=op.allow_gc, store_steps=op.store_steps)
    _inherit(new_op, op)
    new_op._inner_canonical = op.__dict__.get("_inner_canonical", False)
    sizes = op.outer_nitsot(node)
    new_outs = new_op(n_steps, *seqs, *windows, *carries, *[sizes[i] for i in keep],
                      *([n_steps] * len(extra)), *non_seqs, return_list=True)
    nits = new_outs[op.n_states:op.n_states + len(keep) + len(extra)]
    stacked = [nits[copy_of[j]] if j in copy_of else None for j in range(op.n_states)]
    moved = _nits_after_loop(node, stacked)
    if len(moved) != op.n_nit - len(keep):
        return None
    result = dict(zip(node.outputs[:op.n_states], new_outs[:op.n_states]))
    for k, i in enumerate(keep):
        result[node.outputs[op.n_states + i]] = nits[k]
    for i, v in moved.items():
        result[node.outputs[op.n_states + i]] = v
    c0 = op.n_states + op.n_nit
    for m in range(op.n_carry):
        result[node.outputs[c0 + m]] = new_outs[op.n_states + len(nits) + m]
    return {old: new for old, new in result.items() if fgraph.clients.get(old)}


# ------------------------------------------------------------- sums of products, pushed out


def _carried_dot_sum(op, m, clients):
    """(inner carry input, Dot node) when carried value `m` of `op` is a sum of products:
    its step computes ``c + dot(a, b)`` (matrices) and nothing else reads ``c`` or the
    sum; else None."""
    c_in, c_out = op.inner_carries()[m], op.inner_carry_outs()[m]
    add = c_out.owner
    if add is None or not isinstance(add.op, Elemwise) or \
            add.op.scalar_op != S.add or len(add.inputs) != 2 or \
            sum(o is c_out for o in op.outputs) != 1 or clients.get(id(c_out)):
        return None
    if clients.get(id(c_in)) != [add] or sum(i is c_in for i in add.inputs) != 1:
        return None
    other = add.inputs[1] if add.inputs[0] is c_in else add.inputs[0]
    d = other.owner
    if d is None or clients.get(id(other)) != [add] or d.outputs[0].type != c_out.type:
        return None
    if type(d.op) is Sum:
        # c + sum(a_t over some axes): one sum over the steps and those axes, after
        return c_in, d
    if not isinstance(d.op, Dot) or c_out.type.ndim != 2 \
            or any(i.type.ndim != 2 for i in d.inputs):
        return None
    return c_in, d


def pushout_carried_dots(fgraph, node):
    """A carried sum of products, ``c_t = c_{t-1} + dot(a_t, b_t)`` (what the gradient
    of a non-sequence read through a dot accumulates at each step of the reverse loop),
    becomes one matrix product after the loop: ``c_0 + dot([a_1 ... a_n], [b_1; ...;
    b_n])``, the factors stacked over the steps (sequences as they are, other values as
    new per-step outputs).  Theano's ``scan_pushout_dot1`` / ``scanOp_pushout_output``:
    one large product instead of one small product and a read and write of the whole sum
    per step."""
    op = node.op
    if op.as_while or not op.n_carry:
        return None
    clients = {}
    for nd in io_toposort(op.inputs, op.outputs):
        for i in nd.inputs:
            lst = clients.setdefault(id(i), [])
            if nd not in lst:
                lst.append(nd)
    found = {}
    for m in range(op.n_carry):
        hit = _carried_dot_sum(op, m, clients)
        if hit is not None:
            found[m] = hit
    if not found:
        return None
    n_steps, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    seq_outer_of = {id(i): _step_rows(o, n_steps) for i, o in zip(op.inner_seqs(), seqs)}
    varying = {id(i) for i in op.inputs[:len(op.inputs) - op.n_non_seqs]}
    plans = {}
    for m, (c_in, d) in found.items():
        factors = []
        if type(d.op) is Sum:
            v = d.inputs[0]
            if any(id(i) in varying for i in graph_inputs([v])):
                plans[m] = (c_in, [(v, False)], d.op)
            continue
        for v in d.inputs:
            if not any(id(i) in varying for i in graph_inputs([v])):
                break  # a loop-invariant factor: a sum of the other factor's rows instead
            transposed = (v.owner is not None and isinstance(v.owner.op, DimShuffle)
                          and tuple(v.owner.op.new_order) == (1, 0))
            factors.append((v.owner.inputs[0], True) if transposed else (v, False))
        else:
            plans[m] = (c_in, factors, None)
    if not plans:
        return None
    # The new per-step outputs: the factors that are not sequences' rows.
    # (A factor that a per-step output already computes is read from that output.)
    nit_outs = op.inner_nit_outs()
    extra_nits = []
    same_as = {}  # id(factor) -> the per-step output computing the same
    for c_in, factors, _ in plans.values():
        for v, _ in factors:
            if id(v) in seq_outer_of or id(v) in same_as:
                continue
            twin = [e for e in nit_outs + extra_nits if e is v or (
                e.type == v.type and equal_computations([e], [v], op.inputs, op.inputs))]
            if twin:
                same_as[id(v)] = twin[0]
            else:
                extra_nits.append(v)
    keep_c = [m for m in range(op.n_carry) if m not in plans]
    carry_outs = op.inner_carry_outs()
    gone = {id(plans[m][0]) for m in plans}
    new_inputs = [v for v in op.inputs if id(v) not in gone]
    new_outputs = (op.inner_state_outs() + op.inner_nit_outs() + extra_nits
                   + [carry_outs[m] for m in keep_c])
    new_op = Scan(new_inputs, new_outputs, n_seqs=op.n_seqs, taps=op.taps,
                  n_nit=op.n_nit + len(extra_nits), n_carry=len(keep_c),
                  as_while=op.as_while, truncate_gradient=op.truncate_gradient,
                  name=op.name, mode=op.mode, profile=op.profile, allow_gc=op.allow_gc,
                  store_steps=op.store_steps)
    _inherit(new_op, op)
    sizes = op.outer_nitsot(node) + [n_steps] * len(extra_nits)
    new_outs = new_op(n_steps, *seqs, *windows, *[carries[m] for m in keep_c], *sizes,
                      *non_seqs, return_list=True)
    stacked_nit = dict(zip(map(id, nit_outs + extra_nits),
                           new_outs[op.n_states:op.n_states + op.n_nit + len(extra_nits)]))

    def stacked(v):
        if id(v) in seq_outer_of:
            return seq_outer_of[id(v)]
        return stacked_nit[id(same_as.get(id(v), v))]

    def rows_of(x):  # (steps, r, c) -> (steps * r, c)
        return x.reshape((x.shape[0] * x.shape[1], x.shape[2]))

    result = {}
    old_states_nits = node.outputs[:op.n_states + op.n_nit]
    for old, new in zip(old_states_nits, new_outs):
        result[old] = new
    old_carries = node.outputs[op.n_states + op.n_nit:op.n_states + op.n_nit + op.n_carry]
    kept_new = new_outs[op.n_states + op.n_nit + len(extra_nits):]
    for m, new in zip(keep_c, kept_new):
        result[old_carries[m]] = new
    for m, (c_in, factors, sum_op) in plans.items():
        if sum_op is not None:
            (va, _), = factors
            axes = [0] + [a + 1 for a in sum_op._axes(va.type.ndim)]
            total = carries[m] + Sum(axes, dtype=sum_op.dtype,
                                     acc_dtype=sum_op.acc_dtype)(stacked(va))
        else:
            (va, ta), (vb, tb) = factors
            a, b = stacked(va), stacked(vb)
            # [a_1 ... a_n] (side by side) and [b_1; ...; b_n] (stacked).
            left = rows_of(a).T if ta else rows_of(a.dimshuffle(0, 2, 1)).T
            right = rows_of(b.dimshuffle(0, 2, 1)) if tb else rows_of(b)
            total = carries[m] + TM.dot(left, right)
        old = old_carries[m]
        if total.type != old.type:
            total = old.type.convert_variable(total)
            if total is None:
                return None
        result[old] = total
    return {old: new for old, new in result.items() if fgraph.clients.get(old)}


# ------------------------------------------------------------------------------ save-mem


def _const_int(v):
    """`v` as a Python int when it is an integer constant (or a plain int), else None."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return int(v)
    if v is None or not hasattr(v, "type"):
        return None
    try:
        return int(TB.get_scalar_constant_value(v))
    except (TB.NotScalarConstantError, TypeError, ValueError):
        return None


def _first_entry(client):
    """The index of the first axis of a Subtensor node, as an entry (an int, a slice of
    ints/None), or None when it is not a plain constant entry."""
    if type(client.op) is not Subtensor or not client.op.idx_list:
        return None
    # The op's index spec (tensor/subtensor.py): ("int", value or "v"), ("slice", start,
    # stop, step) with "v" for a part read from the node's next input.
    entry = tuple(client.op.idx_list[0])
    values = iter(client.inputs[1:])

    def part(f):
        if f == "v":
            return _const_int(next(values)), True
        return f, False

    if entry[0] == "int":
        value, _ = part(entry[1])
        return value
    if entry[0] == "slice":
        parts = []
        for f in entry[1:]:
            value, symbolic = part(f)
            if symbolic and value is None:
                return None
            parts.append(value)
        return slice(*parts)
    return None


def _tail_reads(fgraph, var, window):
    """How many rows from its end the readers of state buffer `var` read, and the
    Subtensor nodes reading them (those give the same value on the buffer's last rows);
    None when a reader needs more (or is not a constant index from the end).  The
    steps' view ``buffer[window:]`` counts through its own readers."""
    need, readers = 0, []
    for client, _ in fgraph.clients(var):
        if client == "output":
            return None
        e = _first_entry(client)
        if isinstance(e, int) and e < 0:
            need = max(need, -e)
            readers.append(client)
        elif isinstance(e, slice) and e.start == window and e.stop is None \
                and e.step in (None, 1) and len(client.op.idx_list) == 1:
            # The steps' view: its readers must read from the end too.
            for c2, _ in fgraph.clients(client.outputs[0]):
                if c2 == "output":
                    return None
                e2 = _first_entry(c2)
                if not (isinstance(e2, int) and e2 < 0):
                    return None
                need = max(need, -e2)
                readers.append(c2)
        else:
            return None
    return (need, readers) if readers else None


def save_mem(fgraph, node):
    """Keep in a circular buffer the states whose readers read only their last rows."""
    op = node.op
    op._scan_savemem_visited = True  # Theano's marker, read by its tests
    if op.n_states == 0:
        return None
    stored = list(op.store_steps or (None,) * op.n_states)
    plans = {}
    n_const = _const_int(node.inputs[0])
    for j, window in enumerate(op.windows):
        if stored[j] is not None:
            continue
        if not fgraph.clients.get(node.outputs[j]):
            # Read by nobody (kept for the recurrence only): the rows the steps read.
            found = (0, [])
        else:
            found = _tail_reads(fgraph, node.outputs[j], window)
        if found is None:
            continue
        need, readers = found
        rows = max(need, window + 1)
        if n_const is not None and n_const + window <= rows:
            continue  # the whole buffer is no bigger
        plans[j] = (rows, readers)
    if not plans:
        return None
    _, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    windows = list(windows)
    for j, (rows, _) in plans.items():
        stored[j] = rows
        w = windows[j]
        shape = [rows] + [w.shape[d] for d in range(1, w.type.ndim)]
        buf = TB.alloc(TB.constant(0, dtype=w.type.dtype), *shape)
        windows[j] = set_subtensor(buf[:op.windows[j]], w)
    new_op = Scan(op.inputs, op.outputs, n_seqs=op.n_seqs, taps=op.taps, n_nit=op.n_nit,
                  n_carry=op.n_carry, as_while=op.as_while,
                  truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                  profile=op.profile, allow_gc=op.allow_gc, store_steps=stored)
    new_op._scan_savemem_visited = True
    _inherit(new_op, op)
    new_outs = new_op(node.inputs[0], *seqs, *windows, *carries, *op.outer_nitsot(node),
                      *non_seqs, return_list=True)
    result = {}
    for k, (old, new) in enumerate(zip(node.outputs, new_outs)):
        if k not in plans:
            result[old] = new
    for j, (_, readers) in plans.items():
        for reader in readers:
            rep = reader.op.make_node(new_outs[j], *reader.inputs[1:]).outputs[0]
            result[reader.outputs[0]] = rep
    return result


# ------------------------------------------------------------------------------ the rules

_TAGS = ("scan", "fast_run")

scan_prune_unused_outputs = node_rule("scan_prune_unused_outputs", [Scan],
                                      _prune_unused_outputs, tags=_TAGS)
scan_remove_constants_and_unused_inputs = node_rule(
    "remove_constants_and_unused_inputs_scan", [Scan], _remove_constants_rule,
    tags=_TAGS + ("scanOp_remove_constants_and_unused_inputs0",
                  "scanOp_remove_constants_and_unused_inputs1",
                  "scanOp_remove_constants_and_unused_inputs2",
                  "scanOp_remove_constants_and_unused_inputs3"))
scan_inner_canonicalize = node_rule(
    "scan_inner_canonicalize", [Scan], canonicalize_inner, tags=_TAGS)
scan_pushout_non_seqs_ops = node_rule(
    "scan_pushout_non_seqs_ops", [Scan], pushout_non_seqs,
    tags=_TAGS + ("scanOp_pushout_nonseqs_ops", "scan_pushout_nonseqs_ops",
                  "all_pushout_opt", "scan_eqopt1",
                  "scan_seqopt1"))
scan_pushout_seqs_ops = node_rule(
    "scan_pushout_seqs_ops", [Scan], pushout_seqs,
    tags=_TAGS + ("scanOp_pushout_seqs_ops", "all_pushout_opt", "scan_eqopt1",
                  "scan_seqopt1"))
scan_pushout_output = node_rule(
    "scan_pushout_output", [Scan], pushout_carried_dots,
    tags=_TAGS + ("scanOp_pushout_output", "scan_pushout_dot1", "more_mem",
                  "all_pushout_opt", "scan_seqopt1"))
scan_pushout_nits = node_rule(
    "scan_pushout_nits", [Scan], pushout_nits,
    tags=_TAGS + ("scanOp_pushout_output", "all_pushout_opt", "scan_seqopt1"))
scan_merge_same_inputs = node_rule(
    "scan_merge_same_inputs", [Scan], merge_same_inputs,
    tags=_TAGS + ("scanOp_merge", "scan_eqopt2"))
scan_merge = node_rule("scan_merge", [Scan], merge_rule,
                       tags=_TAGS + ("scanOp_merge", "scan_eqopt2"))
scan_save_mem = node_rule("scan_save_mem", [Scan], save_mem,
                          tags=_TAGS + ("scanOp_save_mem", "scan_eqopt2"))

SCAN = [scan_merge_same_inputs, scan_prune_unused_outputs,
        scan_remove_constants_and_unused_inputs, scan_inner_canonicalize,
        scan_pushout_non_seqs_ops, scan_pushout_seqs_ops, scan_pushout_output,
        scan_pushout_nits, scan_merge, scan_save_mem]
