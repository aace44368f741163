"""Gradients of Scan: back-propagation through time as a reverse Scan, and forward mode
(R_op) as a Scan carrying tangents beside the values.

Reverse pass.  Forward step t reads state j at taps tau (rows t + window + tau of its
buffer) and writes row t + window.  Going backwards over the steps, the gradient of the
row written at step t is complete once the later steps have been processed: it is the
cost's own gradient for that row plus, for each tap tau, what step t - tau sent back
through that tap.  In the reverse loop (step u handles forward step n - 1 - u), that
contribution was computed tau steps earlier, so each tap becomes a reverse recurrent state
with the single tap tau.  Gradients of the non-sequences are carried sums; those of the
sequences are per-step outputs.  The step's vector-Jacobian product is `gradient.grad` of
sum(output * cotangent) over the inner graph; where it needs an inner output (tanh's
gradient reads tanh's result), the value the forward loop stored is read instead of
recomputed.

Scan.L_op and Scan.R_op (scan/op.py) call `scan_grad` and `scan_rop`, so op.py imports
this module and not the reverse: the loops built here are instances of the class of the
loop differentiated, ``type(op)``.
"""

from __future__ import annotations

from ..gradient import Rop, grad
from ..graph.basic import Constant, clone_replace, graph_inputs, io_toposort
from ..graph.null import disconnected_type, grad_undefined, is_disconnected, is_null
from ..scalar import dtypes as D
from ..scalar import ops as S
from ..tensor import basic as TB
from ..tensor import math as TM
from ..tensor import subtensor as TS
from ..tensor.elemwise import DimShuffle, Elemwise
from ..tensor.math import Dot
from ..tensor.subtensor import Subtensor
from ..tensor.type import TensorType


def _is_float(v):
    return isinstance(v.type, TensorType) and v.type.dtype in D.float_dtypes


def _live(g):
    return None if g is None or is_disconnected(g) else g


def _depends(expr, variables):
    ids = {id(v) for v in variables}
    return any(id(v) in ids for v in graph_inputs([expr]))


def _rev(x):
    return x[::-1]


def _zero_rows(x, n):
    """Zeros of `n` rows shaped like the rows of `x`."""
    return TB.alloc(TB.constant(0, dtype=x.type.dtype), n,
                    *[x.shape[i] for i in range(1, x.type.ndim)])


def _first_rows(x, k):
    """x[:k], padded with zero rows up to k rows (x may have fewer)."""
    head = x[:k]
    return TB.concatenate([head, _zero_rows(x, k - head.shape[0])], axis=0)


class _Loop:
    """Accumulates the pieces of a Scan to build: (outer, inner) pairs by role.

    `loop_class` is the class of the loop being differentiated (Scan): the reverse loop is
    one of the same kind.
    """

    def __init__(self, loop_class):
        self.loop_class = loop_class
        self.seqs = []       # (outer, inner var)
        self.states = []     # (outer window, inner tap var, tap, inner out)
        self.nits = []       # inner out
        self.carries = []    # (outer init, inner var, inner out)
        self.non_seqs = []   # (outer, inner var)

    def build(self, n_steps, name, truncate_gradient=-1):
        """The outputs of the Scan node (states, nits, carries), dropping unused inputs."""
        outs = [s[3] for s in self.states] + list(self.nits) + [c[2] for c in self.carries]
        used = {id(v) for v in graph_inputs(outs)}
        seqs = [(o, i) for o, i in self.seqs if id(i) in used]
        non_seqs = [(o, i) for o, i in self.non_seqs if id(i) in used]
        inner_in = ([i for _, i in seqs] + [s[1] for s in self.states]
                    + [c[1] for c in self.carries] + [i for _, i in non_seqs])
        op = self.loop_class(inner_in, outs, n_seqs=len(seqs),
                             taps=[(s[2],) for s in self.states], n_nit=len(self.nits),
                             n_carry=len(self.carries), truncate_gradient=truncate_gradient,
                             name=name)
        outer = ([o for o, _ in seqs] + [s[0] for s in self.states]
                 + [c[0] for c in self.carries] + [o for o, _ in non_seqs])
        result = op(n_steps, *outer, return_list=True)
        a, b = len(self.states), len(self.states) + len(self.nits)
        return result[:a], result[a:b], result[b:]


def _kept_intermediates(op, exprs, fwd_rows):
    """The values computed by `op`'s step from its states that the gradient expressions
    `exprs` (over the step's variables) read outside the step's own computation, and
    that the forward loop does not output already (`fwd_rows`); [] where the loop is
    not one whose values can simply be kept (stop condition, truncation, carried
    values, nodes that destroy inputs)."""
    if op.as_while or op.truncate_gradient != -1 or op.n_carry or op.store_steps \
            or op.mode is not None or op.compile_error or op.gradient_error:
        return []
    step_nodes = io_toposort(op.inputs, op.outputs)
    if any(getattr(nd.op, "destroy_map", None) for nd in step_nodes):
        return []
    fnodes = set(step_nodes)
    recurrent = {id(v) for vs in op.inner_taps() for v in vs}
    reads_state = {}
    # Values whose shape is that of the step's inputs (each step gives the same shape):
    # elementwise work, products, transpositions and constant slices of such values.
    same_shape = {id(v) for v in op.inputs}
    for nd in step_nodes:
        flag = any(id(i) in recurrent or reads_state.get(id(i), False) for i in nd.inputs)
        fixed = isinstance(nd.op, (Elemwise, DimShuffle, Dot)) or (
            type(nd.op) is Subtensor and nd.op.idx_list is not None
            and len(nd.inputs) == 1)
        fixed = fixed and all(isinstance(i, Constant) or id(i) in same_shape
                              for i in nd.inputs)
        for o in nd.outputs:
            reads_state[id(o)] = flag
            if fixed:
                same_shape.add(id(o))
    kept, seen, values_read = [], set(), set()
    for nd in io_toposort(graph_inputs(exprs), exprs):
        if nd in fnodes:
            continue
        for k, i in enumerate(nd.inputs):
            if not _reads_shape_only(nd, k):
                values_read.add(id(i))
            if (i.owner in fnodes and id(i) not in fwd_rows and id(i) not in seen
                    and reads_state.get(id(i)) and id(i) in same_shape
                    and isinstance(i.type, TensorType)
                    and i.type.dtype in D.float_dtypes):
                seen.add(id(i))
                kept.append(i)
    # (A value read for its shape only, ``zeros_like(v)``, is not kept: the compiled
    # step takes the shape from the step's inputs.)
    return [v for v in kept if id(v) in values_read]


def _reads_shape_only(node, k):
    """Whether `node` reads only the shape of its input `k`."""
    op = node.op
    if isinstance(op, Elemwise) and op.scalar_op == S.second:
        return k == 0
    return isinstance(op, (TB.Shape, TB.Shape_i))


def _with_extra_nits(op, inputs, extra):
    """The per-step values `extra` of `op`'s step, stacked over the steps, from a loop like
    `op` that also outputs them."""
    n_steps, seqs, windows, c_inits, non_seqs = op.split_outer_inputs(inputs)
    n_out = op.n_states + op.n_nit
    fwd_op = type(op)(op.inputs, op.outputs[:n_out] + list(extra) + op.outputs[n_out:],
                      n_seqs=op.n_seqs, taps=op.taps, n_nit=op.n_nit + len(extra),
                      n_carry=op.n_carry, as_while=op.as_while,
                      truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                      profile=op.profile, allow_gc=op.allow_gc)
    outs = fwd_op(n_steps, *seqs, *windows, *c_inits, *non_seqs, return_list=True)
    return outs[n_out:n_out + len(extra)]


def _steps_run(op, n_steps, bufs, nits):
    if not op.as_while:
        return n_steps
    if op.n_states:
        return bufs[0].shape[0] - op.windows[0]
    if op.n_nit:
        return nits[0].shape[0]
    raise NotImplementedError(
        f"gradient of {op}: a while loop (until) with neither recurrent nor per-step outputs "
        "does not record how many steps it ran; add a per-step output"
    )


def scan_grad(op, inputs, outputs, output_grads):
    """Scan.L_op: the gradients of the outer inputs, computed by a reverse Scan."""
    n_steps, seqs, windows, c_inits, non_seqs = op.split_outer_inputs(inputs)
    bufs, nits, _ = op.split_outer_outputs(outputs)
    g_bufs, g_nits, g_finals = [[_live(g) for g in gs]
                                for gs in op.split_outer_outputs(output_grads)]
    in_seqs, in_taps = op.inner_seqs(), op.inner_taps()
    in_carry, in_ns = op.inner_carries(), op.inner_non_seqs()
    out_states, out_nits = op.inner_state_outs(), op.inner_nit_outs()
    out_carry = op.inner_carry_outs()

    n_run = _steps_run(op, n_steps, bufs, nits)
    truncated = op.truncate_gradient != -1
    n_grad = TM.minimum(n_run, op.truncate_gradient) if truncated else n_run
    start = n_run - n_grad if truncated else 0

    def steps(x, offset=0):
        """Rows of x for the forward steps the reverse loop visits, latest first."""
        return _rev(x[start + offset:n_run + offset])

    # Cotangent inputs of the reverse step.
    g_state_rows = [out_states[j].type() if g is not None and _is_float(out_states[j]) else None
                    for j, g in enumerate(g_bufs)]
    g_nit_rows = [out_nits[i].type() if g is not None and _is_float(out_nits[i]) else None
                  for i, g in enumerate(g_nits)]
    # The recurrences a gradient reaches: those of outputs with a cotangent, and those of
    # the states (carried values) that such a recurrence reads, to a fixed point.  A state
    # no gradient reaches would only carry zeros (and would look connected to its initial
    # value, which Theano's grad reports as disconnected).
    reach_s = {j for j, g in enumerate(g_bufs) if g is not None and _is_float(out_states[j])}
    reach_c = {m for m, g in enumerate(g_finals) if g is not None and _is_float(in_carry[m])}
    sources = ([o for o, g in zip(out_nits, g_nits) if g is not None and _is_float(o)])
    while True:
        read = {id(v) for v in graph_inputs(sources + [out_states[j] for j in reach_s]
                                            + [out_carry[m] for m in reach_c])}
        new_s = reach_s | {j for j, vs in enumerate(in_taps) if _is_float(out_states[j])
                           and any(id(v) in read for v in vs)}
        new_c = reach_c | {m for m, v in enumerate(in_carry) if _is_float(v) and id(v) in read}
        if new_s == reach_s and new_c == reach_c:
            break
        reach_s, reach_c = new_s, new_c
    tap_prev = {(j, k): out_states[j].type() for j, ts in enumerate(op.taps)
                for k in range(len(ts)) if j in reach_s}
    carry_prev = {m: in_carry[m].type() for m in range(op.n_carry) if m in reach_c}
    wrt = ([v for v in in_seqs if _is_float(v)]
           + [in_taps[j][k] for (j, k) in tap_prev]
           + [in_carry[m] for m in carry_prev] + [v for v in in_ns if _is_float(v)])

    # The step's vector-Jacobian product; recurrences without any gradient are pruned until
    # the set of live recurrences is stable.
    live_taps, live_carry = set(tap_prev), set(carry_prev)
    while True:
        terms = []
        for j, o in enumerate(out_states):
            parts = ([g_state_rows[j]] if g_state_rows[j] is not None else []) + [
                tap_prev[(j, k)] for k in range(len(op.taps[j])) if (j, k) in live_taps]
            if parts:
                terms.append((o, _sum(parts)))
        terms += [(o, g) for o, g in zip(out_nits, g_nit_rows) if g is not None]
        terms += [(out_carry[m], carry_prev[m]) for m in sorted(live_carry)]
        if not terms:
            return [disconnected_type() for _ in inputs]
        cost = _sum([TM.sum(o * g) for o, g in terms])
        grads = dict(zip(map(id, wrt), _grad(cost, wrt)))
        new_taps = {(j, k) for (j, k) in live_taps
                    if _usable(grads.get(id(in_taps[j][k])))}
        new_carry = {m for m in live_carry if _usable(grads.get(id(in_carry[m])))}
        if new_taps == live_taps and new_carry == live_carry:
            break
        live_taps, live_carry = new_taps, new_carry

    # Inner outputs the forward loop stored are read, not recomputed.
    fwd_rows, loop = {}, _Loop(type(op))
    for j, o in enumerate(out_states):
        if o.owner is not None and id(o) not in fwd_rows:
            fwd_rows[id(o)] = (o, o.type(), steps(bufs[j], op.windows[j]))
    for i, o in enumerate(out_nits):
        if o.owner is not None and id(o) not in fwd_rows:
            fwd_rows[id(o)] = (o, o.type(), steps(nits[i]))
    # Values of the step that the reverse step reads but the forward loop does not keep
    # (the gates of an LSTM, a pre-activation): the forward loop is given them as extra
    # per-step outputs (the rewrite scan_merge_same_inputs runs one loop for both), so the
    # reverse loop reads them instead of computing the forward step again.
    kept = _kept_intermediates(op, [g for g in grads.values() if _usable(g)], fwd_rows)
    if kept:
        fwd = _with_extra_nits(op, inputs, kept)
        for v, stacked in zip(kept, fwd):
            fwd_rows[id(v)] = (v, v.type(), steps(stacked))
    replace = {o: v for o, v, _ in fwd_rows.values()}

    # A carried value is not kept step by step; a gradient that reads it only for its
    # shape (``second(acc, g)``, ``acc.shape``) reads its initial value instead, which has
    # the same shape at every step.
    carry_shapes = {id(v): (c_inits[m], v.type()) for m, v in enumerate(in_carry)
                    if isinstance(v.type, TensorType)}

    def inner(expr):
        expr = clone_replace(expr, replace, strict=False) if replace else expr
        return _detach_shapes(expr, carry_shapes)

    # An undefined gradient through a recurrence makes every connected gradient undefined.
    recurrent_null = [g for g in [grads.get(id(in_taps[j][k])) for (j, k) in tap_prev]
                      + [grads.get(id(in_carry[m])) for m in carry_prev] if is_null(g)]

    for _, v, outer in fwd_rows.values():
        loop.seqs.append((outer, v))
    for k, v in enumerate(in_seqs):
        loop.seqs.append((steps(seqs[k]), v))
    for j, ts in enumerate(op.taps):
        for tap, v in zip(ts, in_taps[j]):
            loop.seqs.append((steps(bufs[j], op.windows[j] + tap), v))
        if g_state_rows[j] is not None:
            loop.seqs.append((steps(g_bufs[j], op.windows[j]), g_state_rows[j]))
    for i, v in enumerate(g_nit_rows):
        if v is not None:
            loop.seqs.append((steps(g_nits[i]), v))
    for outer, v in zip(non_seqs, in_ns):
        loop.non_seqs.append((outer, v))
    loop.non_seqs += list(carry_shapes.values())  # dropped by build() when not read

    state_keys = sorted(live_taps)
    for (j, k) in state_keys:
        tap = op.taps[j][k]
        g = inner(grads[id(in_taps[j][k])])
        loop.states.append((TB.zeros_like(windows[j][:-tap]), tap_prev[(j, k)], tap,
                            _fit(g, tap_prev[(j, k)])))
    carry_keys = sorted(live_carry)
    for m in carry_keys:
        init = g_finals[m] if g_finals[m] is not None else TB.zeros_like(c_inits[m])
        loop.carries.append((init, carry_prev[m], _fit(inner(grads[id(in_carry[m])]),
                                                       carry_prev[m])))
    # What the reverse step cannot compute: values of carried inputs (random generator
    # states) at each step are not kept, so gradients reading them are undefined.
    why = ("the gradient needs, at every step, the value of a carried input of the loop "
           "(such as a RandomStreams generator drawing inside the step), which scan does not "
           "keep; use MRG_RandomStreams, whose state scan records, or wrap the draws in "
           "theano.gradient.disconnected_grad")
    carried = {id(v) for v in in_carry}

    def reads_carried(expr):
        return any(id(v) in carried for v in graph_inputs([expr]))

    recurrent = [s[3] for s in loop.states] + [c[2] for c in loop.carries]
    if recurrent_null or any(reads_carried(r) for r in recurrent):
        reason = recurrent_null[0].type.why_null if recurrent_null else why
        return [disconnected_type()] + [
            grad_undefined(op, k, x, reason) if any(c) else disconnected_type()
            for k, (x, c) in enumerate(zip(inputs[1:], op.connection_pattern(None)[1:]),
                                       start=1)]
    undefined = {}  # id(inner input) -> NullType gradient
    seq_keys = []
    for k, v in enumerate(in_seqs):
        g = grads.get(id(v))
        if _usable(g) and reads_carried(inner(g)):
            undefined[id(v)] = grad_undefined(op, 1 + k, seqs[k], why)
        elif _usable(g):
            seq_keys.append(k)
            loop.nits.append(_fit(inner(g), v))
    ns_keys = []
    for k, v in enumerate(in_ns):
        g = grads.get(id(v))
        if _usable(g) and reads_carried(inner(g)):
            undefined[id(v)] = grad_undefined(op, len(inputs) - len(in_ns) + k, non_seqs[k], why)
        elif _usable(g):
            ns_keys.append(k)
            acc = v.type()
            loop.carries.append((TB.zeros_like(non_seqs[k]), acc, acc + _fit(inner(g), acc)))

    name = f"grad_of_{op.name}" if op.name else "grad_of_scan_fn"
    a_bufs, dseq_rev, carry_out = loop.build(n_grad, name)

    result = [disconnected_type()]
    dseqs = dict(zip(seq_keys, dseq_rev))
    for k, x in enumerate(seqs):
        g = undefined.get(id(in_seqs[k]), grads.get(id(in_seqs[k])))
        if is_null(g):
            result.append(g)
        elif k in dseqs:
            zeros = TB.zeros_like(x)
            result.append(TS.set_subtensor(zeros[start:n_run], _rev(dseqs[k])))
        else:
            result.append(disconnected_type())
    for j, w in enumerate(windows):
        result.append(_window_grad(op, j, w, g_bufs[j], state_keys, a_bufs, n_run, start,
                                   truncated))
    dcarry = dict(zip(carry_keys, carry_out[:len(carry_keys)]))
    for m, c in enumerate(c_inits):
        result.append(dcarry[m] if m in dcarry else disconnected_type())
    if len(inputs) == op.n_outer_inputs:  # the per-step outputs' sizes (integers)
        result += [disconnected_type() for _ in range(op.n_nit)]
    dns = dict(zip(ns_keys, carry_out[len(carry_keys):]))
    for k in range(len(non_seqs)):
        g = undefined.get(id(in_ns[k]), grads.get(id(in_ns[k])))
        if is_null(g):
            result.append(g)
        elif k in dns:
            result.append(dns[k])
        else:
            result.append(disconnected_type())
    return result


def _window_grad(op, j, window, g_buf, state_keys, a_bufs, n_run, start, truncated):
    """Gradient of state j's initial window: the cost's own gradient on those rows plus
    what the first steps sent back through each tap."""
    if not _is_float(window):
        return disconnected_type()
    L = op.windows[j]
    total = g_buf[:L] if g_buf is not None else None
    for (jj, k), a_buf in zip(state_keys, a_bufs):
        if jj != j:
            continue
        tap = op.taps[j][k]
        back = _rev(a_buf[-tap:])  # forward order, steps start .. n_run - 1
        if truncated:
            back = TS.set_subtensor(_zero_rows(window, n_run)[start:], back)
        head = _first_rows(back, -tap)
        part = TS.inc_subtensor(TB.zeros_like(window)[L + tap:], head) if L + tap else head
        total = part if total is None else total + part
    if total is None:
        return disconnected_type()
    return total


def _detach_shapes(expr, shape_of):
    """`expr` where what is used only for its shape (the first input of ``second``, the
    input of ``Shape``/``Shape_i``) is simplified: a 0-d value becomes a constant (its
    shape is ``()`` whatever it holds), and the variables of `shape_of` (id -> (outer,
    stand-in): carried values, whose shape is the same at every step) are read from
    their stand-ins.  So the reverse step does not read what it needs only the shape of
    (the forward loop's outputs, the carried values)."""
    if expr is None or getattr(expr, "owner", None) is None:
        return expr
    nodes = io_toposort(graph_inputs([expr]), [expr])
    memo = {}
    for node in nodes:
        new_inputs = []
        for p, i in enumerate(node.inputs):
            i = memo.get(i, i)
            if _shape_only(node, p):
                if isinstance(i.type, TensorType) and i.type.ndim == 0:
                    if not isinstance(i, Constant):
                        i = TB.constant(0, dtype=i.type.dtype)
                else:
                    pairs = [(v, shape_of[id(v)][1]) for v in graph_inputs([i])
                             if id(v) in shape_of]
                    if pairs:
                        i = clone_replace(i, pairs, strict=False)
            new_inputs.append(i)
        if all(a is b for a, b in zip(new_inputs, node.inputs)):
            continue
        new_node = node.clone_with_new_inputs(new_inputs, strict=False)
        for old, new in zip(node.outputs, new_node.outputs):
            memo[old] = new
    return memo.get(expr, expr)


def _shape_only(node, position):
    op = node.op
    if isinstance(op, (TB.Shape, TB.Shape_i)):
        return True
    scalar_op = getattr(op, "scalar_op", None)
    return position == 0 and getattr(scalar_op, "name", None) == "second"


def _sum(xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def _usable(g):
    return g is not None and not is_null(g) and not is_disconnected(g)


def _grad(cost, wrt):
    return grad(cost, wrt, disconnected_inputs="ignore", return_disconnected="None",
                null_gradients="return")


def _fit(expr, like):
    """`expr` with the dtype and broadcast flags of `like`."""
    if not isinstance(expr.type, TensorType):
        return expr
    if expr.type.dtype != like.type.dtype:
        expr = TB.cast(expr, like.type.dtype)
    if expr.type.broadcastable != like.type.broadcastable:
        expr = TB.patternbroadcast(expr, like.type.broadcastable)
    return expr


# ----------------------------------------------------------------------------- forward mode


def scan_rop(op, inputs, eval_points):
    """Scan.R_op: a Scan computing the values and their tangents side by side."""
    n_steps, seqs, windows, c_inits, non_seqs = op.split_outer_inputs(inputs)
    _, e_seqs, e_wins, e_carry, e_ns = op.split_outer_inputs(eval_points)
    in_seqs, in_taps = op.inner_seqs(), op.inner_taps()
    in_carry, in_ns = op.inner_carries(), op.inner_non_seqs()
    out_states, out_nits, out_carry = (op.inner_state_outs(), op.inner_nit_outs(),
                                       op.inner_carry_outs())

    # Which inner inputs carry a tangent (a fixed point over the recurrences).
    active = {id(v) for v, e in zip(in_seqs, e_seqs) if e is not None and _is_float(v)}
    active |= {id(v) for v, e in zip(in_ns, e_ns) if e is not None and _is_float(v)}
    st_on = {j for j, e in enumerate(e_wins) if e is not None and _is_float(out_states[j])}
    ca_on = {m for m, e in enumerate(e_carry) if e is not None and _is_float(in_carry[m])}
    while True:
        ids = set(active)
        for j in st_on:
            ids |= {id(v) for v in in_taps[j]}
        for m in ca_on:
            ids.add(id(in_carry[m]))
        new_st = st_on | {j for j, o in enumerate(out_states)
                          if _is_float(o) and any(id(v) in ids for v in graph_inputs([o]))}
        new_ca = ca_on | {m for m, o in enumerate(out_carry)
                          if _is_float(o) and any(id(v) in ids for v in graph_inputs([o]))}
        if new_st == st_on and new_ca == ca_on:
            break
        st_on, ca_on = new_st, new_ca
    nit_on = [i for i, o in enumerate(out_nits)
              if _is_float(o) and any(id(v) in ids for v in graph_inputs([o]))]
    if not (st_on or ca_on or nit_on):
        return [None] * len(op.outputs[:op.n_states + op.n_nit + op.n_carry])

    wrt, tangents = [], []
    seq_t, ns_t, tap_t, carry_t = {}, {}, {}, {}
    for k, (v, e) in enumerate(zip(in_seqs, e_seqs)):
        if id(v) in active:
            seq_t[k] = v.type()
            wrt.append(v)
            tangents.append(seq_t[k])
    for k, (v, e) in enumerate(zip(in_ns, e_ns)):
        if id(v) in active:
            ns_t[k] = v.type()
            wrt.append(v)
            tangents.append(ns_t[k])
    for j in sorted(st_on):
        for k, v in enumerate(in_taps[j]):
            tap_t[(j, k)] = v.type()
            wrt.append(v)
            tangents.append(tap_t[(j, k)])
    for m in sorted(ca_on):
        carry_t[m] = in_carry[m].type()
        wrt.append(in_carry[m])
        tangents.append(carry_t[m])
    targets = ([out_states[j] for j in sorted(st_on)] + [out_nits[i] for i in nit_on]
               + [out_carry[m] for m in sorted(ca_on)])
    rops = Rop(targets, wrt, tangents, disconnected_outputs="ignore")
    rops = [_fit(r, t) for r, t in zip(rops, targets)]
    r_states = dict(zip(sorted(st_on), rops[:len(st_on)]))
    r_nits = dict(zip(nit_on, rops[len(st_on):len(st_on) + len(nit_on)]))
    r_carry = dict(zip(sorted(ca_on), rops[len(st_on) + len(nit_on):]))

    # The new loop: the original pieces, then their tangents.
    inner_in, outer_in, taps = list(in_seqs), list(seqs), list(op.taps)
    for k in sorted(seq_t):
        inner_in.append(seq_t[k])
        outer_in.append(e_seqs[k])
    n_seq_new = len(inner_in)
    for j in range(op.n_states):
        inner_in += in_taps[j]
    outer_win = list(windows)
    for j in sorted(st_on):
        inner_in += [tap_t[(j, k)] for k in range(len(op.taps[j]))]
        taps.append(op.taps[j])
        outer_win.append(e_wins[j] if e_wins[j] is not None else TB.zeros_like(windows[j]))
    outer_in += outer_win
    inner_in += in_carry
    outer_carry = list(c_inits)
    for m in sorted(ca_on):
        inner_in.append(carry_t[m])
        outer_carry.append(e_carry[m] if e_carry[m] is not None else TB.zeros_like(c_inits[m]))
    outer_in += outer_carry
    inner_in += in_ns
    outer_in += non_seqs
    for k in sorted(ns_t):
        inner_in.append(ns_t[k])
        outer_in.append(e_ns[k])
    inner_out = (out_states + [r_states[j] for j in sorted(st_on)] + out_nits
                 + [r_nits[i] for i in nit_on] + out_carry
                 + [r_carry[m] for m in sorted(ca_on)])
    if op.as_while:
        inner_out.append(op.inner_condition())
    new_op = type(op)(inner_in, inner_out, n_seqs=n_seq_new, taps=taps,
                      n_nit=op.n_nit + len(nit_on), n_carry=op.n_carry + len(ca_on),
                      as_while=op.as_while, truncate_gradient=op.truncate_gradient,
                      name=f"rop_of_{op.name}" if op.name else "rop_of_scan_fn")
    outs = new_op(n_steps, *outer_in, return_list=True)
    n_s = op.n_states + len(st_on)
    n_n = op.n_nit + len(nit_on)
    st_outs, nit_outs, carry_outs = outs[:n_s], outs[n_s:n_s + n_n], outs[n_s + n_n:]
    result = []
    t_states = dict(zip(sorted(st_on), st_outs[op.n_states:]))
    result += [t_states.get(j) for j in range(op.n_states)]
    t_nits = dict(zip(nit_on, nit_outs[op.n_nit:]))
    result += [t_nits.get(i) for i in range(op.n_nit)]
    t_carry = dict(zip(sorted(ca_on), carry_outs[op.n_carry:]))
    result += [t_carry.get(m) for m in range(op.n_carry)]
    return result
