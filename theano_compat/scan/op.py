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
from collections import OrderedDict

import numpy as np

from .. import backend as _backend
from .. import hooks
from ..errors import add_note
from ..config import config
from ..graph.basic import (Apply, Constant, Variable, equal_computations, graph_inputs,
                          io_toposort)
from ..graph.fgraph import FunctionGraph
from ..graph.null import is_disconnected
from ..graph.op import Op
from ..graph.op import _compute_test_value as compute_test_value
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
    store_steps : tuple of (int or None), one per recurrent state
        None: the state's output is its whole buffer (initial window + one row per step).
        An int S (more than the state's window): the rewrite ``scan_save_mem`` found that
        only the last rows of the output are read; the loop keeps the state in a
        circular buffer of S rows, the node's initial-state input is that buffer (its
        first ``window`` rows the initial values) and the output holds the last
        ``min(S, window + steps)`` rows, in order.
    """

    has_inner_graph = True
    __module__ = "theano.scan_module.scan_op"  # Theano's path (pickles, reprs)

    def __init__(self, inputs, outputs, n_seqs=None, taps=None, n_nit=None, n_carry=None,
                 as_while=False, truncate_gradient=-1, name=None, mode=None, profile=False,
                 allow_gc=None, typeConstructor=None, info=None,  # noqa: N803
                 store_steps=None):
        if isinstance(n_seqs, dict):  # Theano's signature: Scan(inputs, outputs, info)
            info, n_seqs = n_seqs, None
        if info is not None:
            (n_seqs, taps, n_nit, n_carry, as_while, truncate_gradient, name, mode,
             profile, allow_gc) = _from_info(info, taps)
        if n_seqs is None or taps is None or n_nit is None or n_carry is None:
            raise TypeError("Scan needs n_seqs, taps, n_nit and n_carry, or Theano's info dict")
        self.allow_gc = allow_gc
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.n_seqs = int(n_seqs)
        self.taps = tuple(tuple(int(t) for t in ts) for ts in taps)
        self.n_states = len(self.taps)
        self.windows = tuple(-min(ts) for ts in self.taps)
        if store_steps is None or all(k is None for k in store_steps):
            self.store_steps = None
        else:
            self.store_steps = tuple(None if k is None else int(k) for k in store_steps)
            if len(self.store_steps) != self.n_states or any(
                    k is not None and k <= w for k, w in zip(self.store_steps, self.windows)):
                raise ValueError(f"Scan: store_steps {store_steps} must give, per state, "
                                 f"None or more rows than its window {self.windows}")
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

    def inner_seqs(self, list_inputs=None):
        """The sequences' inner inputs (of `list_inputs`, a list laid out as the inner
        inputs; default: ``self.inputs``)."""
        inputs = self.inputs if list_inputs is None else list_inputs
        return inputs[:self.n_seqs]

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

    def inner_non_seqs(self, list_inputs=None):
        inputs = self.inputs if list_inputs is None else list_inputs
        return inputs[len(inputs) - self.n_non_seqs:]

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
        """(n_steps, seqs, windows, carry inits, non_seqs) of a node's inputs (or of a list
        laid out as them: shapes, eval points), leaving out the per-step outputs' sizes."""
        a = 1 + self.n_seqs
        b = a + self.n_states
        c = b + self.n_carry
        d = c + (self.n_nit if len(inputs) == self.n_outer_inputs else 0)
        return inputs[0], list(inputs[1:a]), list(inputs[a:b]), list(inputs[b:c]), list(
            inputs[d:])

    @property
    def n_outer_inputs(self):
        """Number of inputs of a node: n_steps, sequences, state windows, carried values,
        the number of rows of each per-step output (Theano's nit_sot inputs: the number
        of steps, here always), non-sequences."""
        return 1 + self.n_seqs + self.n_states + self.n_carry + self.n_nit + self.n_non_seqs

    def split_outer_outputs(self, outputs):
        """(state buffers, nit outputs, carried finals) of a node's outputs."""
        a = self.n_states
        b = a + self.n_nit
        return list(outputs[:a]), list(outputs[a:b]), list(outputs[b:b + self.n_carry])

    # -- Theano's view of the layout ---------------------------------------------------------
    #
    # Theano 1.0.5 described a Scan by an ``info`` dict and counts of each kind of state:
    # mit_mot (several output taps: none here), mit_sot (states with taps other than just
    # -1), sit_sot (tap -1 only), nit_sot (per-step outputs), shared (carried values).
    # This Scan's layout is Theano's with the multi-tap states first (theano.scan builds
    # them so): its trailing states with the single tap -1 are the sit_sots.

    gpua = False
    n_mit_mot = 0
    n_mit_mot_outs = 0

    @property
    def mit_mot_out_slices(self):
        return []

    @property
    def n_sit_sot(self):
        n = 0
        for ts in reversed(self.taps):
            if ts != (-1,):
                break
            n += 1
        return n

    @property
    def n_mit_sot(self):
        return self.n_states - self.n_sit_sot

    @property
    def n_nit_sot(self):
        return self.n_nit

    @property
    def n_shared_outs(self):
        return self.n_carry

    @property
    def n_outs(self):
        return self.n_states

    @property
    def n_tap_outs(self):
        return self.n_mit_sot

    @property
    def tap_array(self):
        return [list(ts) for ts in self.taps]

    @property
    def mintaps(self):
        return [min(ts) for ts in self.taps] + [0] * self.n_nit

    @property
    def seqs_arg_offset(self):
        return 1 + self.n_seqs

    @property
    def shared_arg_offset(self):
        return 1 + self.n_seqs + self.n_states

    @property
    def nit_sot_arg_offset(self):
        return self.shared_arg_offset + self.n_carry

    @property
    def output_types(self):
        types = [TensorType(o.type.dtype, (False,) + o.type.broadcastable)
                 for o in self.outputs[:self.n_states + self.n_nit]]
        return types + [o.type for o in self.inner_carry_outs()]

    @property
    def info(self):
        """Theano's description of this loop (a new dict on each access)."""
        return OrderedDict([
            ("tap_array", self.tap_array), ("n_seqs", self.n_seqs),
            ("n_mit_mot", 0), ("n_mit_mot_outs", 0), ("mit_mot_out_slices", []),
            ("n_mit_sot", self.n_mit_sot), ("n_sit_sot", self.n_sit_sot),
            ("n_shared_outs", self.n_carry), ("n_nit_sot", self.n_nit),
            ("truncate_gradient", self.truncate_gradient), ("name", self.name or "scan_fn"),
            ("mode", self.mode), ("destroy_map", OrderedDict()), ("gpua", False),
            ("as_while", self.as_while), ("profile", self.profile),
            ("allow_gc", self.allow_gc), ("strict", False)])

    def _tap_count(self, n_states):
        return sum(len(ts) for ts in self.taps[:n_states])

    @staticmethod
    def _outer(list_vars, outputs=False):
        if isinstance(list_vars, Apply):
            return list_vars.outputs if outputs else list_vars.inputs
        return list_vars

    def outer_seqs(self, list_inputs):
        return self._outer(list_inputs)[1:1 + self.n_seqs]

    def inner_mitmot(self, list_inputs):
        return list_inputs[self.n_seqs:self.n_seqs]

    def outer_mitmot(self, list_inputs):
        return self._outer(list_inputs)[1 + self.n_seqs:1 + self.n_seqs]

    def inner_mitmot_outs(self, list_outputs):
        return list_outputs[:0]

    def outer_mitmot_outs(self, list_outputs):
        return self._outer(list_outputs, True)[:0]

    def mitmot_taps(self):
        return []

    def mitmot_out_taps(self):
        return []

    def inner_mitsot(self, list_inputs):
        return list_inputs[self.n_seqs:self.n_seqs + self._tap_count(self.n_mit_sot)]

    def outer_mitsot(self, list_inputs):
        start = 1 + self.n_seqs
        return self._outer(list_inputs)[start:start + self.n_mit_sot]

    def inner_mitsot_outs(self, list_outputs):
        return list_outputs[:self.n_mit_sot]

    def outer_mitsot_outs(self, list_outputs):
        return self._outer(list_outputs, True)[:self.n_mit_sot]

    def mitsot_taps(self):
        return self.tap_array[:self.n_mit_sot]

    def inner_sitsot(self, list_inputs):
        start = self.n_seqs + self._tap_count(self.n_mit_sot)
        return list_inputs[start:start + self.n_sit_sot]

    def outer_sitsot(self, list_inputs):
        start = 1 + self.n_seqs + self.n_mit_sot
        return self._outer(list_inputs)[start:start + self.n_sit_sot]

    def inner_sitsot_outs(self, list_outputs):
        return list_outputs[self.n_mit_sot:self.n_states]

    def outer_sitsot_outs(self, list_outputs):
        return self._outer(list_outputs, True)[self.n_mit_sot:self.n_states]

    def outer_nitsot(self, list_inputs):
        start = self.nit_sot_arg_offset
        return self._outer(list_inputs)[start:start + self.n_nit]

    def inner_nitsot_outs(self, list_outputs):
        return list_outputs[self.n_states:self.n_states + self.n_nit]

    def outer_nitsot_outs(self, list_outputs):
        return self._outer(list_outputs, True)[self.n_states:self.n_states + self.n_nit]

    def inner_shared(self, list_inputs):
        start = self.n_seqs + self._tap_count(self.n_states)
        return list_inputs[start:start + self.n_carry]

    def outer_shared(self, list_inputs):
        start = self.shared_arg_offset
        return self._outer(list_inputs)[start:start + self.n_carry]

    def inner_shared_outs(self, list_outputs):
        start = self.n_states + self.n_nit
        return list_outputs[start:start + self.n_carry]

    def outer_shared_outs(self, list_outputs):
        start = self.n_states + self.n_nit
        return self._outer(list_outputs, True)[start:start + self.n_carry]

    def outer_non_seqs(self, list_inputs):
        return self._outer(list_inputs)[self.nit_sot_arg_offset + self.n_nit:]

    @property
    def var_mappings(self):
        """Theano's mappings between outer inputs, inner inputs, inner outputs and outer
        outputs (``get_oinp_iinp_iout_oout_mappings``)."""
        mappings = self.__dict__.get("_var_mappings")
        if mappings is None:
            mappings = self.__dict__["_var_mappings"] = self.get_oinp_iinp_iout_oout_mappings()
        return mappings

    def get_oinp_iinp_iout_oout_mappings(self):
        """The dict of the twelve mappings between the four kinds of variables of a node
        (``outer_inp_from_outer_out``, ``inner_inp_from_outer_inp``...): to an outer
        variable, an index (-1: none); to inner variables, a list of indices."""
        rows = [(0, [], [], -1)]  # (outer input, inner inputs, inner outputs, outer output)
        oi, ii = 1, 0
        for _ in range(self.n_seqs):
            rows.append((oi, [ii], [], -1))
            oi, ii = oi + 1, ii + 1
        for j, ts in enumerate(self.taps):
            rows.append((oi, list(range(ii, ii + len(ts))), [j], j))
            oi, ii = oi + 1, ii + len(ts)
        size_pos = oi + self.n_carry
        for i in range(self.n_nit):
            k = self.n_states + i
            rows.append((size_pos + i, [], [k], k))
        for m in range(self.n_carry):
            k = self.n_states + self.n_nit + m
            rows.append((oi + m, [ii], [k], k))
            ii += 1
        oi = size_pos + self.n_nit
        for _ in range(len(self.inputs) - ii):
            rows.append((oi, [ii], [], -1))
            oi, ii = oi + 1, ii + 1
        names = ("outer_inp_from_outer_out", "inner_inp_from_outer_out",
                 "inner_out_from_outer_out", "inner_inp_from_outer_inp",
                 "inner_out_from_outer_inp", "outer_out_from_outer_inp",
                 "outer_inp_from_inner_inp", "inner_out_from_inner_inp",
                 "outer_out_from_inner_inp", "outer_inp_from_inner_out",
                 "inner_inp_from_inner_out", "outer_out_from_inner_out")
        m = {name: {} for name in names}
        for oinp, iinp, iout, oout in rows:
            if oout != -1:
                m["outer_inp_from_outer_out"][oout] = oinp
                m["inner_inp_from_outer_out"][oout] = iinp
                m["inner_out_from_outer_out"][oout] = iout
            m["inner_inp_from_outer_inp"][oinp] = iinp
            m["inner_out_from_outer_inp"][oinp] = iout
            m["outer_out_from_outer_inp"][oinp] = oout
            for idx in iinp:
                m["outer_inp_from_inner_inp"][idx] = oinp
                m["inner_out_from_inner_inp"][idx] = iout
                m["outer_out_from_inner_inp"][idx] = oout
            for idx in iout:
                m["outer_inp_from_inner_out"][idx] = oinp
                m["inner_inp_from_inner_out"][idx] = iinp
                m["outer_out_from_inner_out"][idx] = oout
        return m

    def with_extra_non_sequences(self, inputs, outputs, n_extra):
        """A Scan like this one over the inner graph (`inputs`, `outputs`), whose inputs
        are this one's followed by `n_extra` more non-sequences."""
        if len(inputs) != len(self.inputs) + n_extra or len(outputs) != len(self.outputs):
            raise ValueError("with_extra_non_sequences: the inner graph does not fit")
        return type(self)(inputs, outputs, n_seqs=self.n_seqs, taps=self.taps,
                          n_nit=self.n_nit, n_carry=self.n_carry, as_while=self.as_while,
                          truncate_gradient=self.truncate_gradient, name=self.name,
                          mode=self.mode, profile=self.profile, allow_gc=self.allow_gc,
                          store_steps=self.store_steps)

    @property
    def fn(self):
        """The inner graph compiled on its own with the loop's mode (Theano's ``op.fn``:
        a compiled function, ``fn.maker.fgraph`` its rewritten graph).  The loop itself
        runs the inner graph compiled with the mode of the function containing it."""
        fn = self.__dict__.get("_fn")
        if fn is None:
            fn = self.__dict__["_fn"] = hooks.compile_function(
                list(self.inputs), list(self.outputs), mode=self.mode)
            fn.name = self.name or "scan_fn"
        return fn

    # -- graph ---------------------------------------------------------------------------------

    def make_node(self, n_steps, *outer):
        """The node over `outer`: sequences, state windows, carried values, the sizes of the
        per-step outputs (optional: the number of steps when left out), non-sequences."""
        expected = self.n_outer_inputs - 1
        if len(outer) not in (expected, expected - self.n_nit):
            raise ValueError(f"{self}: expected {expected} inputs after n_steps (or "
                             f"{expected - self.n_nit} without the per-step outputs' sizes), "
                             f"got {len(outer)}")
        n_steps = TB.as_tensor_variable(n_steps)
        if n_steps.type.ndim != 0 or n_steps.type.dtype not in D.integer_dtypes:
            raise TypeError(f"{self}: n_steps must be an integer scalar, got {n_steps.type}")
        if n_steps.type.dtype != "int64":
            n_steps = TB.cast(n_steps, "int64")
        c = self.n_seqs + self.n_states + self.n_carry
        if len(outer) == expected:
            sizes = [TB.as_tensor_variable(v) for v in outer[c:c + self.n_nit]]
            outer = outer[:c] + outer[c + self.n_nit:]
        else:
            sizes = [n_steps] * self.n_nit
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
        return Apply(self, [n_steps] + seqs + windows + carries + sizes + non_seqs, outs)

    def infer_shape(self, node, shapes):
        n = node.inputs[0]
        _, seq_shapes, win_shapes, carry_shapes, ns_shapes = self.split_outer_inputs(shapes)
        # The per-step outputs' rows: their shapes in the inner graph, from the shapes of
        # the inner inputs (rows of the sequences and windows), where they do not depend
        # on the values of the step.
        inner_in = [None if s is None else tuple(s[1:]) for s in seq_shapes]
        for ws, ts in zip(win_shapes, self.taps):
            inner_in += [None if ws is None else tuple(ws[1:])] * len(ts)
        inner_in += [None if s is None else tuple(s) for s in carry_shapes + ns_shapes]
        nit_rows = (_inner_output_shapes(self, inner_in)[self.n_states:
                                                         self.n_states + self.n_nit]
                    if self.n_nit else [])
        out = []
        stored = self.store_steps or (None,) * self.n_states
        for L, ws, k in zip(self.windows, win_shapes, stored):
            lead = None if self.as_while or k is not None else L + n
            out.append([lead] + list(ws[1:]))
        for o, rows in zip(self.inner_nit_outs(), nit_rows):
            rows = list(rows) if rows is not None else [None] * o.type.ndim
            out.append([None if self.as_while else n] + rows)
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

    def _no_stored_states(self, what):
        if self.store_steps is not None:
            raise NotImplementedError(
                f"{self}: the {what} of a loop rewritten by scan_save_mem (it keeps only the "
                "last steps of some states) is not available; take it on the graph before "
                "compiling (theano.grad on the variables scan returned)")

    store_steps = None  # (the class default: loops pickled before the attribute existed)

    # Why the gradient of this loop cannot be built, and why it cannot run (set by
    # theano.scan for a state whose step value has another broadcast pattern), or None.
    gradient_error = None
    compile_error = None

    def L_op(self, inputs, outputs, output_grads):
        self._no_stored_states("gradient")
        if self.gradient_error is not None:
            raise TypeError(self.gradient_error)
        result = _with_test_values(lambda: scan_grad(self, inputs, outputs, output_grads))
        # As Theano: an integer input connected to an output with a gradient gets zeros.
        pattern = self.connection_pattern(None)
        live = [g is not None and not is_disconnected(g) for g in output_grads]
        for k, x in enumerate(inputs):
            if k and is_disconnected(result[k]) and isinstance(x.type, TensorType) \
                    and x.type.dtype in D.discrete_dtypes \
                    and any(c and ok for c, ok in zip(pattern[k], live)):
                result[k] = TB.cast(TB.zeros_like(x), config.floatX)
        return result

    def R_op(self, inputs, eval_points):
        self._no_stored_states("R_op")
        return _with_test_values(lambda: scan_rop(self, inputs, eval_points))

    # -- running -------------------------------------------------------------------------------

    def runner(self, node, xp, compile_inner=None):
        """The loop for a node, with the inner graph compiled by `compile_inner` (the
        mode's rewrites and linker) or, without it, linked as it is."""
        label = self.name or "scan_fn"
        if self.compile_error is not None:
            raise TypeError(self.compile_error)
        if self.mode is not None and xp is np:
            fn = self._with_own_mode()
        elif compile_inner is None:
            fn = self._link_unrewritten(xp)
        else:
            # An inner value that is several outputs (a state and a per-step output) is
            # computed once; the loop writes it where each output goes.
            unique, index = [], []
            for o in self.outputs:
                k = next((k for k, u in enumerate(unique) if u is o), None)
                if k is None:
                    k = len(unique)
                    unique.append(o)
                index.append(k)
            fn = compile_inner(self.inputs, unique, name=label)
            if len(unique) < len(self.outputs):
                return _generate_loop(self, fn, xp, index)
        return _generate_loop(self, fn, xp)

    def _with_own_mode(self):
        """The step as `fn` (compiled with the loop's own `mode`, as Theano compiled the
        inner function of a scan given ``mode=``: a MonitorMode sees each inner node)."""
        return self.fn  # outputs given as a list: it returns a list

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
                self.truncate_gradient, len(self.inputs), len(self.outputs),
                self.store_steps)

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
        state.pop("_fn", None)
        return state

    def __str__(self):
        kind = "do_while" if self.as_while else "for"
        return f"{kind}{{cpu,{self.name or 'scan_fn'}}}"


def _inner_output_shapes(op, inner_in_shapes):
    """The shapes of `op`'s inner outputs (tuples whose entries are outer variables, or
    None where the shape depends on values computed in the step), from the shapes of its
    inner inputs (`inner_in_shapes`: tuples of outer variables or None)."""
    invalid = {id(v) for v in op.inputs}
    known = {}
    for v, shp in zip(op.inputs, inner_in_shapes):
        if shp is not None and isinstance(v.type, TensorType) and len(shp) == v.type.ndim:
            known[id(v)] = tuple(shp)

    def shape_of(v):
        if id(v) in known:
            return known[id(v)]
        if not isinstance(v.type, TensorType):
            return None
        if isinstance(v, Constant):
            return tuple(TB.constant(d, dtype="int64") for d in np.shape(v.data))
        return tuple(TB.constant(1, dtype="int64") if b else None
                     for b in v.type.broadcastable)

    def valid(e):
        if e is None:
            return None
        if not isinstance(e, Variable):
            e = TB.as_tensor_variable(e)
        return None if any(id(v) in invalid for v in graph_inputs([e])) else e

    for node in io_toposort(op.inputs, op.outputs):
        if not hasattr(node.op, "infer_shape"):
            continue
        in_shapes = []
        for i in node.inputs:
            s = shape_of(i)
            in_shapes.append(None if s is None else tuple(
                TB.Shape_i(d)(i) if e is None else e for d, e in enumerate(s)))
        try:
            outs = node.op.infer_shape(node, in_shapes)
        except Exception:  # noqa: BLE001 - an op that cannot tell: the shape stays unknown
            continue
        for o, shp in zip(node.outputs, outs):
            if shp is not None and isinstance(o.type, TensorType) and len(shp) == o.type.ndim:
                known[id(o)] = tuple(TB.constant(1, dtype="int64") if b else valid(e)
                                     for e, b in zip(shp, o.type.broadcastable))
    return [shape_of(o) for o in op.outputs]


def _with_test_values(build):
    """`build()` (the graph of a gradient or R_op loop), under compute_test_value: the
    inner graph is built without test values (its inputs are new variables that have none),
    then the new outer nodes get theirs, as when they are built one by one."""
    mode = config.compute_test_value
    if mode == "off":
        return build()
    config.compute_test_value = "off"
    try:
        result = build()
    finally:
        config.compute_test_value = mode
    roots = [r for r in result if r is not None and isinstance(r.type, TensorType)]
    for node in io_toposort(graph_inputs(roots), roots):
        if not all(hasattr(o.tag, "test_value") for o in node.outputs):
            compute_test_value(node)
    return result


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
    # As Theano's: an initial value is connected to the outputs the steps compute from it,
    # not to its own output for being stored in its first rows (a state whose step does
    # not read its previous values is not connected to its initial value).
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
    # The sizes of the per-step outputs, before the non-sequences, are connected to nothing.
    c = 1 + op.n_seqs + op.n_states + op.n_carry
    return pattern[:c] + [[False] * n_outer_out for _ in range(op.n_nit)] + pattern[c:]


# ----------------------------------------------------------------------------- the loop


def _row(name, ndim, index):
    """Source reading row `index` of array `name`; a 0-d row as a 0-d array, not a scalar."""
    return f"{name}[{index}, ...]" if ndim == 1 else f"{name}[{index}]"


def _generate_loop(op, fn, xp, index=None):
    """A function ``loop(n_steps, *outer_inputs) -> outputs`` specialised for `op`.

    It is generated source, one line per inner argument and result, so a step costs the
    inner program plus a few indexing operations.  `index`: where each inner output is
    in the results of `fn` (None: in order).
    """
    if index is not None:
        full = fn

        def fn(*args):  # (for _zero_steps' trial step only: all the outputs, in order)
            res = full(*args)
            return [res[k] for k in index]

        fn.program = getattr(full, "program", None)
    else:
        full = fn
        index = list(range(len(op.outputs)))
    seq_args = [f"s{k}" for k in range(op.n_seqs)]
    win_args = [f"w{j}" for j in range(op.n_states)]
    carry_args = [f"c{m}" for m in range(op.n_carry)]
    size_args = [f"z{i}" for i in range(op.n_nit)]  # Theano's nit_sot sizes: n_steps here
    ns_args = [f"p{k}" for k in range(op.n_non_seqs)]
    state_types = [vs[0].type for vs in op.inner_taps()]
    nit_types = [o.type for o in op.inner_nit_outs()]
    g = {"_fn": full, "_empty": xp.empty, "_xp": xp, "_op": op, "_zero_steps": _zero_steps,
         "_bad_row": _bad_row, "_short": _short, "_step_failed": _step_failed,
         "_last_rows": _last_rows, "_last_two": _last_two, "_fnz": fn}
    for j, t in enumerate(state_types):
        g[f"_D{j}"] = np.dtype(t.dtype)
    for i, t in enumerate(nit_types):
        g[f"_E{i}"] = np.dtype(t.dtype)
    L = op.windows
    S = op.store_steps or (None,) * op.n_states  # circular buffers' rows (None: whole)
    # A state read at tap -1 whose last two rows are kept lives in two rows that take
    # turns: sc (the current row, read by the step) and sn (written by the step, then
    # swapped), with no index computed at each step.
    pair = [S[j] == 2 and op.taps[j] == (-1,) for j in range(op.n_states)]
    lines = [f"def loop(n_steps, "
             f"{', '.join(seq_args + win_args + carry_args + size_args + ns_args)}):"]
    lines.append("    n = int(n_steps)")
    lines.append("    if n < 0:")
    lines.append("        raise IndexError(f'Scan was asked to run for negative number of "
                 "step {n} (n_steps={n}); run it forwards with a positive n_steps, or use "
                 "go_backwards=True to iterate from the end')")
    for k, s in enumerate(seq_args):
        lines.append(f"    if {s}.shape[0] < n:")
        lines.append(f"        _short(_op, {k}, {s}, n)")
    for j, w in enumerate(win_args):
        rows = L[j] if S[j] is None else S[j]
        lines.append(f"    if {w}.shape[0] != {rows}:")
        lines.append(f"        _bad_row(_op, 'window', {j}, {w}.shape, ({rows},) + {w}.shape[1:])")
        if S[j] is None:
            lines.append(f"    b{j} = _empty(({L[j]} + n,) + {w}.shape[1:], _D{j})")
            lines.append(f"    b{j}[:{L[j]}] = {w}")
        elif pair[j]:
            lines.append(f"    b{j} = _empty({w}.shape, _D{j})")
            lines.append(f"    b{j}[0] = {w}[0]")
            lines.append(f"    sc{j} = b{j}[0, ...]")
            lines.append(f"    sn{j} = b{j}[1, ...]")
        else:
            lines.append(f"    b{j} = _empty({w}.shape, _D{j})")
            lines.append(f"    b{j}[:{L[j]}] = {w}[:{L[j]}]")
        lines.append(f"    r{j} = {w}.shape[1:]")
    for m, c in enumerate(carry_args):
        lines.append(f"    v{m} = {c}")
    for i in range(op.n_nit):
        lines.append(f"    y{i} = None")
    if op.n_nit:
        lines.append("    if n == 0:")
        initial = [f"b{j}" if S[j] is None else f"w{j}[:1]" if pair[j] else f"b{j}[:{L[j]}]"
                   for j in range(op.n_states)]
        lines.append(f"        return _zero_steps(_op, _fnz, _xp, [{', '.join(seq_args)}], "
                     f"[{', '.join(initial)}], "
                     f"[{', '.join(f'v{m}' for m in range(op.n_carry))}], "
                     f"[{', '.join(ns_args)}])")
    lines.append("    m = n")
    # The loop runs inside try (free when nothing fails) so that a failing step gets a
    # note naming the step and the inner node (_step_failed).
    loop_start = len(lines)
    lines.append("    for t in range(n):")
    call = [_row(s, st.type.ndim, "t") for s, st in zip(seq_args, op.inner_seqs())]
    for j, ts in enumerate(op.taps):
        if pair[j]:
            call.append(f"sc{j}")
            continue
        for tap in ts:
            at = f"t + {L[j] + tap}" if S[j] is None else f"(t + {L[j] + tap}) % {S[j]}"
            call.append(_row(f"b{j}", state_types[j].ndim + 1, at))
    call += [f"v{m}" for m in range(op.n_carry)] + ns_args
    lines.append(f"        o = _fn({', '.join(call)})")
    pos = 0
    for j in range(op.n_states):
        lines.append(f"        x = o[{index[pos]}]")
        lines.append(f"        if x.shape != r{j}:")
        lines.append(f"            _bad_row(_op, 'state', {j}, x.shape, r{j})")
        if pair[j]:
            lines.append(f"        sn{j}[...] = x")
            lines.append(f"        sc{j}, sn{j} = sn{j}, sc{j}")
        else:
            at = f"t + {L[j]}" if S[j] is None else f"(t + {L[j]}) % {S[j]}"
            lines.append(f"        b{j}[{at}] = x")
        pos += 1
    for i in range(op.n_nit):
        lines.append(f"        x = o[{index[pos]}]")
        lines.append(f"        if y{i} is None:")
        lines.append(f"            y{i} = _empty((n,) + x.shape, _E{i})")
        lines.append(f"            q{i} = x.shape")
        lines.append(f"        elif x.shape != q{i}:")
        lines.append(f"            _bad_row(_op, 'output', {i}, x.shape, q{i})")
        lines.append(f"        y{i}[t] = x")
        pos += 1
    for m in range(op.n_carry):
        lines.append(f"        v{m} = o[{index[pos]}]")
        pos += 1
    if op.as_while:
        lines.append(f"        if o[{index[pos]}]:")
        lines.append("            m = t + 1")
        lines.append("            break")
    lines[loop_start:] = (["    try:"] + ["    " + ln for ln in lines[loop_start:]]
                          + ["    except Exception as _e:",
                             "        _step_failed(_e, _op, _fn, t)",
                             "        raise"])
    results = []
    for j in range(op.n_states):
        if pair[j]:
            results.append(f"_last_two(_xp, sn{j}, sc{j}, m, _D{j})")
        elif S[j] is not None:
            results.append(f"_last_rows(_xp, b{j}, {L[j]} + m, {S[j]})")
        else:
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


def _last_rows(xp, buf, total, rows):
    """The rows of a circular buffer of `rows` rows into which `total` rows were written
    (row i at i % rows), oldest first: the last min(total, rows) rows written."""
    if total <= rows:
        return buf[:total]
    start = total % rows
    if start == 0:
        return buf
    return xp.concatenate([buf[start:], buf[:start]])


def _last_two(xp, previous, current, m, dtype):
    """The rows a two-row circular buffer would hold after `m` steps: the initial row and
    (after a step) the last two rows computed."""
    if m == 0:
        out = xp.empty((1,) + current.shape, dtype)
        out[0] = current
        return out
    out = xp.empty((2,) + current.shape, dtype)
    out[0] = previous
    out[1] = current
    return out


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
    # Theano stored each step's value into a preallocated buffer: NumPy's message, first.
    lead = "" if what == "window" else (
        f"could not broadcast input array from shape {_np_shape(got)} into shape "
        f"{_np_shape(want)}: ")
    raise ValueError(
        f"{lead}{op}: {labels[what]} has shape {got} at this step, but shape {want} is "
        "expected (the shape of its initial state, or of its value at the first step); scan "
        "needs every step to give the same shape"
    )


def _np_shape(shape):
    """A shape as NumPy's messages write it: ``(3,5)``."""
    return str(tuple(shape)).replace(" ", "")


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


def _from_info(info, taps_arg=None):
    """The arguments of Scan from Theano's ``info`` dict."""
    if info.get("n_mit_mot", 0):
        raise NotImplementedError(
            "Scan: mit_mot states (several output taps per state, Theano's gradient loops) "
            "do not exist here; write the loop with theano.scan, whose gradient this "
            "project computes with single-tap states"
        )
    n_states = info["n_mit_sot"] + info["n_sit_sot"]
    taps = info["tap_array"][:n_states] if taps_arg is None else taps_arg
    return (info["n_seqs"], taps, info["n_nit_sot"], info["n_shared_outs"],
            info.get("as_while", False), info.get("truncate_gradient", -1),
            info.get("name"), info.get("mode"), info.get("profile", False),
            info.get("allow_gc"))
