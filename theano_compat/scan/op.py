"""The Scan Op: a loop whose body is an inner graph.

Inner inputs, in order: one slice per sequence, the taps of each recurrent state (state
by state, tap by tap), the previous value of each carried value, the non-sequences.
Inner outputs: the new value of each recurrent state, each per-step output ("nit"), the
new value of each carried value, and the stop condition when ``as_while``.

Outer inputs: ``n_steps``, the sequences (iterated over their first axis, at least
``n_steps`` rows), the initial window of each state (``window`` rows: as many rows as
its most negative tap reaches back), the initial carried values, the non-sequences.
Outer outputs: each state's whole buffer (initial window + one row per step), each nit
output stacked over the steps, the final carried values.

Recurrent states keep their history (the gradient reads it); carried values keep only
the latest value (random generator states, gradient accumulators).  The loop is a
generated Python function calling the inner program once per step and writing each
result into preallocated buffers (DESIGN.md §9.5).
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import backend as _backend
from ..errors import add_note
from ..graph.basic import Apply, equal_computations, graph_inputs
from ..graph.fgraph import FunctionGraph
from ..graph.op import Op
from ..link import annotate_runtime_error, link
from ..link.storage import alias_root
from ..scalar import dtypes as D
from ..tensor import basic as TB
from ..tensor.type import TensorType
from .grad import scan_grad, scan_rop

_loop_ids = itertools.count()


class Scan(Op):
    """A loop over an inner graph (see the module docstring for the input layout).

    Parameters
    ----------
    inputs, outputs : lists of Variables
        The inner graph; its leaves are `inputs` and constants.
    n_seqs : int
        Number of sequences.
    taps : tuple of tuples of negative ints
        The taps of each recurrent state (``(-1,)`` for the usual previous value).
    n_nit, n_carry : int
        Number of per-step outputs and of carried values.
    as_while : bool
        Whether the last inner output is a stop condition.
    truncate_gradient : int
        Number of steps back-propagation goes through (-1: all).
    """

    has_inner_graph = True

    def __init__(self, inputs, outputs, n_seqs, taps, n_nit, n_carry, as_while=False,
                 truncate_gradient=-1, name=None, mode=None, profile=False):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.n_seqs = int(n_seqs)
        self.taps = tuple(tuple(int(t) for t in ts) for ts in taps)
        self.n_states = len(self.taps)
        self.windows = tuple(-min(ts) for ts in self.taps)
        self.n_nit = int(n_nit)
        self.n_carry = int(n_carry)
        self.as_while = bool(as_while)
        self.truncate_gradient = int(truncate_gradient)
        self.name = name
        self.mode = mode
        self.profile = profile
        n_tap_inputs = sum(len(ts) for ts in self.taps)
        self.n_non_seqs = len(self.inputs) - self.n_seqs - n_tap_inputs - self.n_carry
        expected_outs = self.n_states + self.n_nit + self.n_carry + int(self.as_while)
        if self.n_non_seqs < 0 or len(self.outputs) != expected_outs:
            raise ValueError(
                f"Scan: {len(self.inputs)} inner inputs and {len(self.outputs)} inner outputs "
                f"do not fit {self.n_seqs} sequences, state taps {self.taps}, {self.n_nit} "
                f"per-step outputs and {self.n_carry} carried values"
            )
        for ts in self.taps:
            if not ts or any(t >= 0 for t in ts) or len(set(ts)) != len(ts):
                raise ValueError(f"Scan: state taps must be distinct negative ints, got {ts}")
        for j, (tap_vars, out) in enumerate(zip(self.inner_taps(), self.inner_state_outs())):
            for v in tap_vars:
                if v.type != out.type:
                    raise TypeError(
                        f"Scan {self.name or ''}: recurrent state {j} is read as {v.type} but "
                        f"the step computes it as {out.type}; they must have the same type"
                    )
        for c_in, c_out in zip(self.inner_carries(), self.inner_carry_outs()):
            if c_in.type != c_out.type:
                raise TypeError(
                    f"Scan {self.name or ''}: a carried value is read as {c_in.type} but "
                    f"computed as {c_out.type}"
                )
        self._fallback = {}
        self._pattern = None

    # -- the layout ----------------------------------------------------------------------------

    def inner_seqs(self):
        return self.inputs[:self.n_seqs]

    def inner_taps(self):
        """One list of tap variables per recurrent state."""
        out, pos = [], self.n_seqs
        for ts in self.taps:
            out.append(self.inputs[pos:pos + len(ts)])
            pos += len(ts)
        return out

    def inner_carries(self):
        start = len(self.inputs) - self.n_non_seqs - self.n_carry
        return self.inputs[start:start + self.n_carry]

    def inner_non_seqs(self):
        return self.inputs[len(self.inputs) - self.n_non_seqs:]

    def inner_state_outs(self):
        return self.outputs[:self.n_states]

    def inner_nit_outs(self):
        return self.outputs[self.n_states:self.n_states + self.n_nit]

    def inner_carry_outs(self):
        start = self.n_states + self.n_nit
        return self.outputs[start:start + self.n_carry]

    def inner_condition(self):
        return self.outputs[-1] if self.as_while else None

    def split_outer_inputs(self, inputs):
        """(n_steps, seqs, windows, carry inits, non_seqs) of a node's inputs."""
        a = 1 + self.n_seqs
        b = a + self.n_states
        c = b + self.n_carry
        return inputs[0], list(inputs[1:a]), list(inputs[a:b]), list(inputs[b:c]), list(
            inputs[c:])

    def split_outer_outputs(self, outputs):
        """(state buffers, nit outputs, carried finals) of a node's outputs."""
        a = self.n_states
        b = a + self.n_nit
        return list(outputs[:a]), list(outputs[a:b]), list(outputs[b:b + self.n_carry])

    # -- graph ---------------------------------------------------------------------------------

    def make_node(self, n_steps, *outer):
        expected = self.n_seqs + self.n_states + self.n_carry + self.n_non_seqs
        if len(outer) != expected:
            raise ValueError(f"{self}: expected {expected} inputs after n_steps, got {len(outer)}")
        n_steps = TB.as_tensor_variable(n_steps)
        if n_steps.type.ndim != 0 or n_steps.type.dtype not in D.integer_dtypes:
            raise TypeError(f"{self}: n_steps must be an integer scalar, got {n_steps.type}")
        if n_steps.type.dtype != "int64":
            n_steps = TB.cast(n_steps, "int64")
        _, seqs, windows, carries, non_seqs = self.split_outer_inputs((None,) + tuple(outer))
        seqs = [_fit_rows(s, v.type, f"sequence {k}")
                for k, (s, v) in enumerate(zip(seqs, self.inner_seqs()))]
        windows = [_fit_rows(w, vs[0].type, f"initial state {j}")
                   for j, (w, vs) in enumerate(zip(windows, self.inner_taps()))]
        carries = [_fit_same(c, v.type, f"carried value {m}")
                   for m, (c, v) in enumerate(zip(carries, self.inner_carries()))]
        non_seqs = [_fit_same(p, v.type, f"non-sequence {k}")
                    for k, (p, v) in enumerate(zip(non_seqs, self.inner_non_seqs()))]
        outs = [TensorType(vs[0].type.dtype, (False,) + vs[0].type.broadcastable)()
                for vs in self.inner_taps()]
        outs += [TensorType(o.type.dtype, (False,) + o.type.broadcastable)()
                 for o in self.inner_nit_outs()]
        outs += [v.type() for v in self.inner_carries()]
        return Apply(self, [n_steps] + seqs + windows + carries + non_seqs, outs)

    def infer_shape(self, node, shapes):
        n = node.inputs[0]
        _, _, win_shapes, carry_shapes, _ = self.split_outer_inputs(shapes)
        out = []
        for L, ws in zip(self.windows, win_shapes):
            lead = None if self.as_while else L + n
            out.append([lead] + list(ws[1:]))
        for o in self.inner_nit_outs():
            out.append([None if self.as_while else n] + [None] * o.type.ndim)
        for cs, v in zip(carry_shapes, self.inner_carries()):
            out.append(list(cs) if isinstance(v.type, TensorType) else None)
        return out

    def connection_pattern(self, node):
        """[outer input][outer output]: whether the output depends on the input."""
        if self._pattern is None:
            self._pattern = _connections(self)
        return [list(row) for row in self._pattern]

    def do_constant_folding(self, node):
        return True

    # -- gradients -----------------------------------------------------------------------------

    def L_op(self, inputs, outputs, output_grads):
        return scan_grad(self, inputs, outputs, output_grads)

    def R_op(self, inputs, eval_points):
        return scan_rop(self, inputs, eval_points)

    # -- running -------------------------------------------------------------------------------

    def runner(self, node, xp, compile_inner=None):
        """The loop for a node, with the inner graph compiled by `compile_inner` (the
        mode's rewrites and linker) or, without it, linked as it is."""
        label = self.name or "scan_fn"
        if compile_inner is None:
            fn = self._link_unrewritten(xp)
        else:
            fn = compile_inner(self.inputs, self.outputs, name=label)
        return _generate_loop(self, fn, xp)

    def _link_unrewritten(self, xp):
        if xp is not np:
            raise NotImplementedError(
                f"{self}: running the loop outside a compiled function needs NumPy; "
                "compile it with theano.function to run on another array module"
            )
        fgraph = FunctionGraph(self.inputs, self.outputs, clone=True)
        copies = {k for k, o in enumerate(fgraph.outputs) if alias_root(o) is not None}
        program = link(fgraph, fgraph.inputs, fgraph.outputs, backend=_backend.get("cpu"),
                       name=self.name or "scan_fn", copy_outputs=copies)
        program.fn.program = program  # for _step_failed's note
        return program.fn

    def impl(self, xp, n_steps, *outer):
        run = self._fallback.get(xp)
        if run is None:
            run = self._fallback[xp] = self.runner(None, xp)
        return run(n_steps, *outer)

    # -- identity ------------------------------------------------------------------------------

    def _key(self):
        return (self.n_seqs, self.taps, self.n_nit, self.n_carry, self.as_while,
                self.truncate_gradient, len(self.inputs), len(self.outputs))

    def __eq__(self, other):
        if self is other:
            return True
        if type(self) is not type(other) or self._key() != other._key():
            return False
        if any(a.type != b.type for a, b in zip(self.inputs, other.inputs)):
            return False
        return equal_computations(self.outputs, other.outputs, self.inputs, other.inputs)

    def __hash__(self):
        return hash((type(self), self._key()))

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_fallback"] = {}
        return state

    def __str__(self):
        kind = "do_while" if self.as_while else "for"
        return f"{kind}{{cpu,{self.name or 'scan_fn'}}}"


# ----------------------------------------------------------------------------- type fitting


def _fit_rows(var, row_type, what):
    """`var` as a tensor whose rows have `row_type` (broadcast flags of the rows adjusted)."""
    var = TB.as_tensor_variable(var)
    if var.type.ndim != row_type.ndim + 1 or var.type.dtype != row_type.dtype:
        raise TypeError(
            f"Scan: {what} has type {var.type}, but its rows must have type {row_type}"
        )
    want = (var.type.broadcastable[0],) + row_type.broadcastable
    return TB.patternbroadcast(var, want) if want != var.type.broadcastable else var


def _fit_same(var, type_, what):
    if not hasattr(var, "type"):
        var = TB.as_tensor_variable(var)
    if var.type == type_:
        return var
    converted = type_.convert_variable(var) if hasattr(type_, "convert_variable") else None
    if converted is None and isinstance(type_, TensorType) and isinstance(var.type, TensorType) \
            and var.type.dtype == type_.dtype and var.type.ndim == type_.ndim:
        converted = TB.patternbroadcast(var, type_.broadcastable)
    if converted is None:
        raise TypeError(f"Scan: {what} has type {var.type}, but the loop expects {type_}")
    return converted


# ----------------------------------------------------------------------------- connections


def _connections(op):
    """Outer input -> outer output dependence, following the recurrences to a fixed point."""
    inner_in = {id(v): k for k, v in enumerate(op.inputs)}
    deps = []  # per inner output: set of inner input positions it depends on
    for o in op.outputs:
        deps.append({inner_in[id(v)] for v in graph_inputs([o]) if id(v) in inner_in})
    n_in = len(op.inputs)
    # inner input position -> outer input position (after n_steps), and which outer output
    # feeds it back (states, carries)
    outer_of_inner = [None] * n_in
    fed_by = [None] * n_in
    pos = 0
    for k in range(op.n_seqs):
        outer_of_inner[pos] = 1 + k
        pos += 1
    for j, ts in enumerate(op.taps):
        for _ in ts:
            outer_of_inner[pos] = 1 + op.n_seqs + j
            fed_by[pos] = j
            pos += 1
    for m in range(op.n_carry):
        outer_of_inner[pos] = 1 + op.n_seqs + op.n_states + m
        fed_by[pos] = op.n_states + op.n_nit + m
        pos += 1
    for k in range(op.n_non_seqs):
        outer_of_inner[pos] = 1 + op.n_seqs + op.n_states + op.n_carry + k
        pos += 1
    n_outer_out = op.n_states + op.n_nit + op.n_carry  # outer output k <-> inner output k
    out_deps = [set() for _ in range(n_outer_out)]
    # A state's buffer and a carried value's final value contain their initial value.
    for j in range(op.n_states):
        out_deps[j].add(1 + op.n_seqs + j)
    for m in range(op.n_carry):
        out_deps[op.n_states + op.n_nit + m].add(1 + op.n_seqs + op.n_states + m)
    changed = True
    while changed:
        changed = False
        for oo in range(n_outer_out):
            new = set(out_deps[oo])
            for ip in deps[oo]:
                new.add(outer_of_inner[ip])
                if fed_by[ip] is not None:
                    new |= out_deps[fed_by[ip]]
            if new != out_deps[oo]:
                out_deps[oo] = new
                changed = True
    n_outer_in = 1 + op.n_seqs + op.n_states + op.n_carry + op.n_non_seqs
    pattern = [[False] * n_outer_out for _ in range(n_outer_in)]
    for oo, ins in enumerate(out_deps):
        for i in ins:
            pattern[i][oo] = True
    return pattern


# ----------------------------------------------------------------------------- the loop


def _row(name, ndim, index):
    """Source reading row `index` of array `name`; a 0-d row as a 0-d array, not a scalar."""
    return f"{name}[{index}, ...]" if ndim == 1 else f"{name}[{index}]"


def _generate_loop(op, fn, xp):
    """A function ``loop(n_steps, *outer_inputs) -> outputs`` specialised for `op`.

    It is generated source, one line per inner argument and result, so a step costs the
    inner program plus a few indexing operations.
    """
    seq_args = [f"s{k}" for k in range(op.n_seqs)]
    win_args = [f"w{j}" for j in range(op.n_states)]
    carry_args = [f"c{m}" for m in range(op.n_carry)]
    ns_args = [f"p{k}" for k in range(op.n_non_seqs)]
    state_types = [vs[0].type for vs in op.inner_taps()]
    nit_types = [o.type for o in op.inner_nit_outs()]
    g = {"_fn": fn, "_empty": xp.empty, "_xp": xp, "_op": op, "_zero_steps": _zero_steps,
         "_bad_row": _bad_row, "_short": _short, "_step_failed": _step_failed}
    for j, t in enumerate(state_types):
        g[f"_D{j}"] = np.dtype(t.dtype)
    for i, t in enumerate(nit_types):
        g[f"_E{i}"] = np.dtype(t.dtype)
    L = op.windows
    lines = [f"def loop(n_steps, {', '.join(seq_args + win_args + carry_args + ns_args)}):"]
    lines.append("    n = int(n_steps)")
    lines.append("    if n < 0:")
    lines.append("        raise IndexError(f'Scan was asked to run for negative number of "
                 "step {n} (n_steps={n}); run it forwards with a positive n_steps, or use "
                 "go_backwards=True to iterate from the end')")
    for k, s in enumerate(seq_args):
        lines.append(f"    if {s}.shape[0] < n:")
        lines.append(f"        _short(_op, {k}, {s}, n)")
    for j, w in enumerate(win_args):
        lines.append(f"    if {w}.shape[0] != {L[j]}:")
        lines.append(f"        _bad_row(_op, 'window', {j}, {w}.shape, ({L[j]},) + {w}.shape[1:])")
        lines.append(f"    b{j} = _empty(({L[j]} + n,) + {w}.shape[1:], _D{j})")
        lines.append(f"    b{j}[:{L[j]}] = {w}")
        lines.append(f"    r{j} = {w}.shape[1:]")
    for m, c in enumerate(carry_args):
        lines.append(f"    v{m} = {c}")
    for i in range(op.n_nit):
        lines.append(f"    y{i} = None")
    if op.n_nit:
        lines.append("    if n == 0:")
        lines.append(f"        return _zero_steps(_op, _fn, _xp, [{', '.join(seq_args)}], "
                     f"[{', '.join(f'b{j}' for j in range(op.n_states))}], "
                     f"[{', '.join(f'v{m}' for m in range(op.n_carry))}], "
                     f"[{', '.join(ns_args)}])")
    lines.append("    m = n")
    # The loop runs inside try (free when nothing fails) so that a failing step gets a
    # note naming the step and the inner node (_step_failed).
    loop_start = len(lines)
    lines.append("    for t in range(n):")
    call = [_row(s, st.type.ndim, "t") for s, st in zip(seq_args, op.inner_seqs())]
    for j, ts in enumerate(op.taps):
        for tap in ts:
            call.append(_row(f"b{j}", state_types[j].ndim + 1, f"t + {L[j] + tap}"))
    call += [f"v{m}" for m in range(op.n_carry)] + ns_args
    lines.append(f"        o = _fn({', '.join(call)})")
    pos = 0
    for j in range(op.n_states):
        lines.append(f"        x = o[{pos}]")
        lines.append(f"        if x.shape != r{j}:")
        lines.append(f"            _bad_row(_op, 'state', {j}, x.shape, r{j})")
        lines.append(f"        b{j}[t + {L[j]}] = x")
        pos += 1
    for i in range(op.n_nit):
        lines.append(f"        x = o[{pos}]")
        lines.append(f"        if y{i} is None:")
        lines.append(f"            y{i} = _empty((n,) + x.shape, _E{i})")
        lines.append(f"            q{i} = x.shape")
        lines.append(f"        elif x.shape != q{i}:")
        lines.append(f"            _bad_row(_op, 'output', {i}, x.shape, q{i})")
        lines.append(f"        y{i}[t] = x")
        pos += 1
    for m in range(op.n_carry):
        lines.append(f"        v{m} = o[{pos}]")
        pos += 1
    if op.as_while:
        lines.append(f"        if o[{pos}]:")
        lines.append("            m = t + 1")
        lines.append("            break")
    lines[loop_start:] = (["    try:"] + ["    " + ln for ln in lines[loop_start:]]
                          + ["    except Exception as _e:",
                             "        _step_failed(_e, _op, _fn, t)",
                             "        raise"])
    results = []
    for j in range(op.n_states):
        results.append(f"b{j}[:{L[j]} + m]" if op.as_while else f"b{j}")
    for i in range(op.n_nit):
        results.append(f"y{i}[:m]" if op.as_while else f"y{i}")
    results += [f"v{m}" for m in range(op.n_carry)]
    if len(results) == 1:
        lines.append(f"    return {results[0]}")
    else:
        lines.append(f"    return ({', '.join(results)},)")
    source = "\n".join(lines) + "\n"
    filename = f"<theano_compat scan loop {op.name or 'scan_fn'}#{next(_loop_ids)}>"
    exec(compile(source, filename, "exec"), g)
    loop = g["loop"]
    loop.source = source
    return loop


def _step_failed(exc, op, fn, t):
    """Add a note to `exc`, raised at step `t` of `op`'s loop: the failing node of the inner
    graph and where the user built it (the outer function's note names the Scan node)."""
    program = getattr(fn, "program", None)
    label = f"step {t} of {op}"
    if program is None or annotate_runtime_error(exc, program, label) is None:
        add_note(exc, f"  at {label}")


def _short(op, k, seq, n):
    raise ValueError(
        f"{op}: sequence {k} has {seq.shape[0]} rows (shape {seq.shape}), fewer than the "
        f"{n} steps scan was asked to run (Sequence is shorter than the required number of "
        "steps); give a smaller n_steps or a longer sequence"
    )


def _bad_row(op, what, k, got, want):
    labels = {"state": f"recurrent output {k} (an output with outputs_info)",
              "output": f"per-step output {k}",
              "window": f"initial state {k}"}
    raise ValueError(
        f"{op}: {labels[what]} has shape {got} at this step, but shape {want} is expected "
        "(the shape of its initial state, or of its value at the first step); scan needs "
        "every step to give the same shape"
    )


def _zero_steps(op, fn, xp, seqs, buffers, carries, non_seqs):
    """Outputs of a loop of 0 steps: the initial states, and empty per-step outputs whose
    row shape comes from running the step once on zero rows (the result is discarded)."""
    args = [xp.zeros(s.shape[1:], dtype=s.dtype) for s in seqs]
    for b, ts, L in zip(buffers, op.taps, op.windows):
        args += [b[L + t] for t in ts]
    args += list(carries) + list(non_seqs)
    try:
        with np.errstate(all="ignore"):
            probe = fn(*args)
    except Exception as e:
        raise NotImplementedError(
            f"{op} was asked to run 0 steps and could not find the shape of its per-step "
            f"outputs by a trial step ({type(e).__name__}: {e}); Theano 1.0.5 did not support "
            "0 iterations either: make sure n_steps >= 1 or the sequences are not empty"
        ) from e
    nits = [xp.empty((0,) + tuple(probe[op.n_states + i].shape),
                     dtype=op.inner_nit_outs()[i].type.dtype) for i in range(op.n_nit)]
    results = list(buffers) + nits + list(carries)
    return results[0] if len(results) == 1 else tuple(results)
