"""theano.scan and its shorthands map, reduce, foldl, foldr (Theano 1.0.5 semantics).

`scan` calls the step function once on symbolic stand-ins for one step (a slice of each
sequence, the previous values of each output, the non-sequences), finds everything else
the step reads (shared variables, variables from outside the step) and the updates it
makes (returned, or the ``default_update`` of random generators drawn from inside the
step), and builds one Scan node over that inner graph.
"""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict

import numpy as np

from ..config import config
from ..errors import MissingInputError
from ..graph.basic import Constant, Variable, graph_inputs
from ..graph.shared import SharedVariable
from ..scalar import dtypes as D
from ..tensor import basic as TB
from ..tensor import math as TM
from ..tensor import elemwise_ops as TE
from ..tensor import subtensor as TS
from ..tensor.type import TensorType
from .op import Scan
from .utils import (OrderedUpdates, guard_random_state, is_guard, replace_in,
                    split_step_return)


def _wrap(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _new_like(var, name=None):
    """A fresh leaf of `var`'s type (Theano's safe_new)."""
    new = var.type()
    new.name = name
    return new


def _named(base, suffix):
    name = getattr(base, "name", None)
    return None if name is None else name + suffix


def _fixed_steps(n_steps):
    """(constant number of steps or None, n_steps normalised)."""
    if n_steps is None:
        return None, None
    if isinstance(n_steps, (float, np.floating)) and not math.isfinite(n_steps):
        return None, None  # Theano treats NaN/inf as "not given"
    if hasattr(n_steps, "dtype") and str(n_steps.dtype) not in D.integer_dtypes:
        raise ValueError(f" n_steps must be an int. dtype provided is {n_steps.dtype}")
    if isinstance(n_steps, (int, float, np.integer, np.floating)):
        return int(n_steps), int(n_steps)
    n_steps = TB.as_tensor_variable(n_steps)
    if n_steps.type.ndim != 0:
        raise ValueError(f"n_steps must be a scalar, got {n_steps} of type {n_steps.type}")
    try:
        return int(TB.get_scalar_constant_value(n_steps)), n_steps
    except TB.NotScalarConstantError:
        return None, n_steps


def _normalise_sequences(sequences):
    out = []
    for i, s in enumerate(_wrap(sequences)):
        if isinstance(s, dict):
            if "input" not in s:
                raise ValueError(f"scan: sequences[{i}] is a dict without an 'input' entry: {s}")
            taps = s.get("taps")
            taps = [0] if taps is None else [int(t) for t in _wrap(taps)]
            var = s["input"]
        else:
            var, taps = s, [0]
        var = var if isinstance(var, Variable) else TB.as_tensor_variable(var)
        if not isinstance(var.type, TensorType) or var.type.ndim == 0:
            raise ValueError(
                f"scan: sequences[{i}] ({var}, of type {var.type}) cannot be iterated over: a "
                "sequence is a tensor with at least one dimension, iterated over its first axis"
            )
        out.append((var, taps))
    return out


def _normalise_outputs_info(outputs_info):
    """A list of dicts: {} for outputs not fed back, else {'initial', 'taps'}."""
    out = []
    for i, info in enumerate(_wrap(outputs_info)):
        if info is None:
            out.append({})
            continue
        if not isinstance(info, dict):
            out.append({"initial": info, "taps": [-1]})
            continue
        if info.get("return_steps") is not None:
            raise ValueError("Using `return_steps` has been deprecated. Simply select the "
                             "entries you need using a subtensor. Scan will optimize memory "
                             "consumption, so do not worry about that.")
        initial, taps = info.get("initial"), info.get("taps")
        if initial is None and taps is not None:
            raise ValueError("If you are using slices of an output you need to provide a "
                             "initial state for it", info)
        if initial is None:
            out.append({})
            continue
        if taps is None:
            if "taps" in info:
                warnings.warn(f"Output {getattr(initial, 'name', 'None')} ( index {i}) has a "
                              "initial state but taps is explicitly set to None ", stacklevel=3)
            taps = [-1]
        taps = [int(t) for t in _wrap(taps)]
        if len(taps) != len(set(taps)):
            raise ValueError("All the taps must be different in  `outputs_info`", info)
        if any(t >= 0 for t in taps):
            raise ValueError("All the tap values must be smaller than 0.", info)
        out.append({"initial": initial, "taps": taps})
    return out


def _variable_counter():
    """The creation counter of variables (variables made later have larger numbers)."""
    return int(Variable(None).auto_name[5:])


def _created_after(var, counter):
    return int(var.auto_name[5:]) > counter


def scan(fn, sequences=None, outputs_info=None, non_sequences=None, n_steps=None,
         truncate_gradient=-1, go_backwards=False, mode=None, name=None, profile=False,
         allow_gc=None, strict=False, return_list=False):
    """Loop `fn` over sequences and recurrent states (Theano's ``theano.scan``).

    `fn` receives, in order: a slice of each sequence (one per tap), the previous values
    of each output of `outputs_info` that has an initial state (one per tap), then the
    `non_sequences`.  It returns the outputs, optionally with a dict of shared-variable
    updates and/or a ``theano.scan_module.until`` stop condition.  Returns
    ``(outputs, updates)``: each output stacked over the steps (a single variable, or a
    list), and an `OrderedUpdates` of the shared variables the loop changes, to pass to
    ``theano.function(..., updates=updates)``.

    The step is compiled with `mode` when given (as Theano: a MonitorMode sees each inner
    node), else with the mode of the function that contains the scan.  `allow_gc` and
    `profile` are accepted for compatibility and ignored.
    """
    outs_info = _normalise_outputs_info(outputs_info)
    user_non_seqs = [x if isinstance(x, Variable) else TB.as_tensor_variable(x)
                     for x in _wrap(non_sequences)]
    n_fixed, n_steps = _fixed_steps(n_steps)
    if n_fixed is not None and n_fixed < 0:
        # Theano's documented meaning of a negative number of steps.
        go_backwards, n_fixed = not go_backwards, -n_fixed
        n_steps = n_fixed
    unrolled = n_fixed == 1
    seq_inner, seq_outer, seq_actual = _sequence_stand_ins(sequences, go_backwards)
    states = _state_stand_ins(outs_info)
    # Theano's layout: the states with several taps (mit_sot) before those with tap -1 only
    # (sit_sot); each output keeps its place in what scan returns.
    states.sort(key=lambda s: s["taps"] == [-1])
    by_output = {s["index"]: s for s in states}
    args = list(seq_actual if unrolled else seq_inner)
    for i in range(len(outs_info)):
        if i in by_output:
            args += by_output[i]["actual" if unrolled else "inner"]
    args += user_non_seqs

    # Call the step function once, on the stand-ins.
    counter = _variable_counter()
    condition, outputs, updates = split_step_return(fn(*args))
    if unrolled:
        return _one_step(outputs, condition, updates, return_list)
    if outs_info and len(outputs) != len(outs_info):
        raise ValueError("Please provide None as outputs_info for any output that does not "
                         "feed back into scan (i.e. it behaves like a map) ")
    if not outs_info:
        outs_info = [{} for _ in outputs]
    stand_ins = seq_inner + [v for s in states for v in s["inner"]]
    blockers = stand_ins + user_non_seqs
    extra = [condition] if condition is not None else []
    update_map, defaults = _collect_updates(outputs + extra, updates, blockers, name)
    roots = outputs + extra + list(update_map.values())
    shared_reads, free, used = _outside_reads(roots, blockers, stand_ins, user_non_seqs,
                                              update_map, strict)
    _check_free_in_outputs(free, outputs + extra, blockers)

    # The inner graph: every outside value the step reads becomes a loop input.
    replace = OrderedDict()
    tensor_updates = [s for s in update_map if isinstance(s.type, TensorType)]
    carried_updates = [s for s in update_map if not isinstance(s.type, TensorType)]
    for s in tensor_updates + carried_updates:
        replace[s] = _new_like(s, _named(s, "_copy"))
    ns_outer = []
    for v in user_non_seqs + shared_reads + free:
        if isinstance(v, Constant) or v in update_map or v in replace or (
                isinstance(v, SharedVariable) and id(v) not in used):
            continue  # shared non-sequences the step does not read are dropped, as in Theano
        ns_outer.append(v)
        replace[v] = _new_like(v, _named(v, "_copy"))
    inner_roots = replace_in(roots, replace)
    n_out = len(outputs)
    inner_outputs = inner_roots[:n_out]
    inner_updates = dict(zip(update_map, inner_roots[n_out + len(extra):]))
    state_outs = [_check_state(s, inner_outputs[s["index"]], name) for s in states]
    nit_idx = [i for i, info in enumerate(outs_info) if not info]
    for i in nit_idx:
        if not isinstance(inner_outputs[i].type, TensorType):
            raise TypeError(f"scan: output {i} of the step function ({outputs[i]}, of type "
                            f"{outputs[i].type}) is not a tensor; scan stacks tensors only")
    inner_in = (stand_ins + [replace[s] for s in tensor_updates + carried_updates]
                + [replace[v] for v in ns_outer])
    inner_out = (state_outs + [inner_updates[s] for s in tensor_updates]
                 + [inner_outputs[i] for i in nit_idx]
                 + [inner_updates[s] for s in carried_updates]
                 + inner_roots[n_out:n_out + len(extra)])
    _check_closed(inner_in, inner_out)

    # The node.
    actual_n, seq_outer = _number_of_steps(n_steps, n_fixed, seq_outer)
    op = Scan(inner_in, inner_out, n_seqs=len(seq_inner),
              taps=[tuple(s["taps"]) for s in states] + [(-1,)] * len(tensor_updates),
              n_nit=len(nit_idx), n_carry=len(carried_updates), as_while=bool(extra),
              truncate_gradient=truncate_gradient, name=name, mode=mode, profile=profile)
    errors = [s["broadcast_error"] for s in states if "broadcast_error" in s]
    if errors:
        op.gradient_error = errors[0]
        op.compile_error = [s["compile_error"] for s in states if "compile_error" in s][0]
    windows = [s["window"] for s in states] + [TB.unbroadcast(TB.shape_padleft(s), 0)
                                               for s in tensor_updates]
    bufs, nits, finals = op.split_outer_outputs(op(
        actual_n, *seq_outer, *windows, *carried_updates, *ns_outer, return_list=True))

    # What the user gets: the steps computed (not the initial values), and the updates.
    result = [None] * len(outs_info)
    for s, buf in zip(states, bufs):
        result[s["index"]] = buf[-min(s["taps"]):]
    for i, y in zip(nit_idx, nits):
        result[i] = y
    new_updates = OrderedUpdates()
    for s, final in zip(carried_updates, finals):
        new_updates[s] = final
    for s, buf in zip(tensor_updates, bufs[len(states):]):
        new_updates[s] = buf[-1]
    for s, original in defaults.items():
        if _created_after(original, counter):  # a draw made inside the step
            depends = any(not isinstance(v, (SharedVariable, Constant))
                          for v in graph_inputs([original]))
            guard_random_state(s, original, depends, name)
    if not return_list and len(result) == 1:
        return result[0], new_updates
    if not result:
        return None, new_updates
    return result, new_updates


def _sequence_stand_ins(sequences, go_backwards):
    """(inner slices, outer sequences, first slices) with one entry per sequence tap.

    Sequence k with taps [-1, 0, 2] is read at rows t-1, t and t+2: it becomes three
    sequences, cut so that row t of each is the tap's row at step t.
    """
    seq_inner, seq_outer, seq_actual = [], [], []
    for var, taps in _normalise_sequences(sequences):
        lo, hi = min(min(taps), 0), max(max(taps), 0)
        for k in taps:
            start = k - lo
            part = var if (start, k) == (0, hi) else var[start:] if k == hi else var[start:k - hi]
            if go_backwards:
                part = part[::-1]
            seq_inner.append(_new_like(var[0], _tap_name(var, k)))
            seq_outer.append(part)
            seq_actual.append(part[0])
    if config.compute_test_value != "off":
        for inner, actual in zip(seq_inner, seq_actual):
            _copy_test_value(inner, actual)
    return seq_inner, seq_outer, seq_actual


def _state_stand_ins(outs_info):
    """One dict per output with an initial state: its index, initial value, taps, window
    (the initial rows the loop starts from), inner tap variables and their first values."""
    states = []
    for i, info in enumerate(outs_info):
        if not info:
            continue
        init = info["initial"]
        init = init if isinstance(init, Variable) else TB.as_tensor_variable(init)
        taps = info["taps"]
        if taps == [-1]:
            inner = [init.type() if isinstance(init, Constant) else _new_like(init)]
            if getattr(init, "name", None) is not None:
                inner[0].name = init.name + "[t-1]"
            window = TB.unbroadcast(TB.shape_padleft(init), 0)
            actual = [init]
        else:
            if not isinstance(init.type, TensorType) or init.type.ndim == 0:
                raise ValueError(
                    f"scan: outputs_info[{i}] uses taps {taps}, so its initial value must hold "
                    f"one row per step back (at least {-min(taps)} rows), got {init} of type "
                    f"{init.type}"
                )
            L = -min(taps)
            window = init[:L]
            inner = [_new_like(init[0], _tap_name(init, t)) for t in taps]
            actual = [init[t + L] for t in taps]
        if config.compute_test_value != "off":
            for v, a in zip(inner, actual):
                _copy_test_value(v, a)
        states.append({"index": i, "init": init, "taps": taps, "window": window,
                       "inner": inner, "actual": actual})
    return states


def _one_step(outputs, condition, updates, return_list):
    """A loop of exactly one step is the step itself, with a leading axis (as Theano)."""
    if condition is not None:
        warnings.warn(f"When the number of steps is fixed and equal to 1, the provided "
                      f"stopping condition, {condition} is ignored", stacklevel=3)
    outputs = [TB.unbroadcast(TB.shape_padleft(o), 0)
               if isinstance(o.type, TensorType) else o for o in outputs]
    if not return_list and len(outputs) == 1:
        outputs = outputs[0]
    return outputs, OrderedUpdates(updates)


def _collect_updates(roots, updates, blockers, scan_name):
    """(shared variable -> update expression, the ones taken from ``default_update``).

    Besides the updates the step returned, every shared variable the step reads that has
    a ``default_update`` (the generator of a random draw) is updated by the loop, as
    Theano's scan did; a default update can read more shared variables, hence the loop.
    """
    update_map = OrderedDict((t, _check_update(t, v)) for t, v in updates.items())
    defaults = OrderedDict()
    while True:
        new = False
        for leaf in graph_inputs(roots + list(update_map.values()), blockers):
            if (isinstance(leaf, SharedVariable) and leaf not in update_map
                    and getattr(leaf, "default_update", None) is not None):
                value = leaf.default_update
                if is_guard(value):
                    value = _unguard(leaf, value, scan_name)
                defaults[leaf] = value
                update_map[leaf] = _check_update(leaf, value)
                new = True
        if not new:
            return update_map, defaults


def _outside_reads(roots, blockers, stand_ins, user_non_seqs, update_map, strict):
    """(shared variables read, other outside variables read, ids of all leaves read)."""
    stand_in_ids = {id(v) for v in stand_ins}
    given_ids = {id(v) for v in user_non_seqs}
    shared_reads, free = [], []
    leaves = graph_inputs(roots, blockers)
    for leaf in leaves:
        if id(leaf) in stand_in_ids or id(leaf) in given_ids or isinstance(leaf, Constant):
            continue
        if not isinstance(leaf, SharedVariable):
            free.append(leaf)  # added to the non-sequences, as Theano did (even if strict)
        elif leaf not in update_map:
            if strict:
                raise MissingInputError(
                    f"scan(strict=True): the step function uses the shared variable {leaf}, "
                    f"which is not in non_sequences (ScanOp is missing an input: {leaf}). "
                    f"Pass it: non_sequences=[..., {leaf}], or use strict=False."
                )
            shared_reads.append(leaf)
    return shared_reads, free, {id(v) for v in leaves}


def _check_free_in_outputs(free, outputs, blockers):
    """Theano added to the non-sequences the outside variables the step's outputs (and
    stop condition) read; one read only by an update was a MissingInputError."""
    if not free:
        return
    from_outputs = {id(v) for v in graph_inputs(outputs, blockers)}
    for v in free:
        if id(v) not in from_outputs:
            raise MissingInputError(
                f"An update returned by the scan step reads {v}, which is not "
                "an input of the step (Theano 1.0.5: \"was not provided and not given a "
                "value\"). Please pass this variable to the scan's inner function. Do not "
                "forget to also pass it to the `non_sequences` attribute of scan."
            )


def _number_of_steps(n_steps, n_fixed, seq_outer):
    """(the number of steps as a variable, the sequences to read)."""
    if n_steps is None:
        if not seq_outer:
            raise ValueError("No information about the number of steps provided. Either "
                             "provide a value for n_steps argument of scan or provide an input "
                             "sequence")
        actual = seq_outer[0].shape[0]
        for part in seq_outer[1:]:
            actual = TM.minimum(actual, part.shape[0])
        return actual, seq_outer
    if n_fixed is not None:
        return TB.as_tensor_variable(n_steps), seq_outer
    # A symbolic n_steps may be negative: the loop then runs backwards (the documented
    # meaning), reading the sequences in the other direction.
    n_var = TB.as_tensor_variable(n_steps)
    direction = TM.switch(TE.lt(n_var, 0), -1, 1)
    return TM.abs_(n_var), [part[::direction] for part in seq_outer]


def _copy_test_value(inner, actual):
    """Give a stand-in the test value of what it stands for (compute_test_value mode)."""
    if isinstance(actual, Constant):
        inner.tag.test_value = actual.data
    elif isinstance(actual, SharedVariable):
        inner.tag.test_value = actual.get_value(borrow=True)
    elif hasattr(actual.tag, "test_value"):
        inner.tag.test_value = actual.tag.test_value


def _tap_name(var, k):
    name = getattr(var, "name", None)
    if name is None:
        return None
    return f"{name}[t+{k}]" if k > 0 else f"{name}[t]" if k == 0 else f"{name}[t{k}]"


def _unguard(shared_var, guard, scan_name):
    """The update a nested scan left as `shared_var`'s default update."""
    op = guard.owner.op
    if op.fatal:
        raise MissingInputError(
            f"The step function of scan {scan_name or 'scan_fn'!r} runs a scan that advances "
            f"the random state {shared_var}, but does not return that scan's updates. Return "
            "them from the step function: `inner_out, inner_updates = theano.scan(...)` then "
            "`return outputs, inner_updates`."
        )
    return guard.owner.inputs[0]


def _check_update(target, value):
    if not isinstance(target, SharedVariable):
        raise TypeError(f"scan: the update target {target} returned by the step function is "
                        "not a shared variable; only shared variables can be updated")
    if not isinstance(value, Variable):
        value = target.type.filter_variable(value)
    if value.type == target.type:
        return value
    converted = target.type.convert_variable(value) if hasattr(target.type,
                                                               "convert_variable") else None
    if converted is None:
        raise TypeError(
            f"scan: the update of {target} returned by the step function has type "
            f"{value.type}, but {target} has type {target.type}; an update must have the "
            "type of its shared variable (cast it, or use tensor.unbroadcast/patternbroadcast)"
        )
    return converted


def _check_state(state, out, scan_name):
    """The step's output for a recurrent state, checked against the state's type."""
    i = state["index"]
    want = state["inner"][0].type
    init = state["init"]
    where = f"scan {scan_name!r}" if scan_name else "scan"
    if not isinstance(out.type, TensorType):
        raise TypeError(f"{where}: output {i} of the step function ({out}) has type {out.type}; "
                        "a recurrent output must be a tensor")
    if out.type.dtype != want.dtype:
        raise ValueError(
            f"{where}: output {i} of the step function has type {out.type}, but its initial "
            f"state (outputs_info[{i}] = {init}) has type {init.type}, so the state is read as "
            f"{want}: the dtypes differ ({out.type.dtype} vs {want.dtype}). This can happen if "
            "the inner function of scan results in an upcast or downcast; cast the result, "
            f"e.g. .astype('{want.dtype}'), or give the initial state the result's dtype."
        )
    if out.type.ndim != want.ndim:
        raise ValueError(
            f"{where}: output {i} of the step function has type {out.type} ({out.type.ndim} "
            f"dimension(s)), but its initial state (outputs_info[{i}] = {init}, type "
            f"{init.type}) makes the state {want} ({want.ndim} dimension(s)). With taps "
            f"{state['taps']} the initial state holds "
            + ("one step" if state["taps"] == [-1] else "one row per step back")
            + "; the step must return a value of the same shape as one step."
        )
    if out.type.broadcastable != want.broadcastable:
        # As Theano 1.0.5: the loop is built (the state keeps the type of its initial
        # value; a step value of another shape fails when the loop runs) and its gradient
        # raises TypeError, with Theano's message.
        state["broadcast_error"] = _broadcast_message(
            TensorType(out.type.dtype, (False,) + out.type.broadcastable), init.type)
        state["compile_error"] = (
            f"Inconsistency in the inner graph of scan '{scan_name or 'scan_fn'}' : an input "
            "and an output are associated with the same recurrent state and should have the "
            f"same type but have type '{want}' and '{out.type}' respectively.")
        return TB.patternbroadcast(out, want.broadcastable)
    return out


def _broadcast_message(v1, v2):
    """Theano's message for outputs whose broadcast pattern (`v1`: the stacked outputs)
    differs from their initial state's (`v2`), comparing the trailing axes."""
    size = min(len(v1.broadcastable), len(v2.broadcastable))
    for n, (b1, b2) in enumerate(zip(v1.broadcastable[-size:], v2.broadcastable[-size:])):
        if b1 != b2:
            a1 = n + size - len(v1.broadcastable) + 1
            a2 = n + size - len(v2.broadcastable) + 1
            return (f"The broadcast pattern of the output of scan ({v1}) is inconsistent with "
                    f"the one provided in `output_info` ({v2}). The output on axis {a1} is "
                    f"`{b1!r}`, but it is `{b2!r}` on axis {a2} in `output_info`. This can "
                    "happen if one of the dimension is fixed to 1 in the input, while it is "
                    "still variable in the output, or vice-verca. You have to make them "
                    "consistent, e.g. using theano.tensor.{patternbroadcast,unbroadcast,"
                    "addbroadcast}.")
    return (f"The broadcast pattern of the output of scan ({v1}) is inconsistent with the "
            f"one provided in `output_info` ({v2}).")


def _check_closed(inner_in, inner_out):
    known = {id(v) for v in inner_in}
    for leaf in graph_inputs(inner_out):
        if id(leaf) not in known and not isinstance(leaf, Constant):
            raise AssertionError(f"scan: internal error, the inner graph still reads {leaf}")


# ----------------------------------------------------------------------------- shorthands


def map(fn, sequences, non_sequences=None, truncate_gradient=-1, go_backwards=False,
        mode=None, name=None):
    """`fn` applied to each element of the sequences (a scan without recurrent outputs)."""
    return scan(fn=fn, sequences=sequences, outputs_info=[], non_sequences=non_sequences,
                truncate_gradient=truncate_gradient, go_backwards=go_backwards, mode=mode,
                name=name)


def reduce(fn, sequences, outputs_info, non_sequences=None, go_backwards=False, mode=None,
           name=None):
    """Like scan, but returns only the last value of each output."""
    rval = scan(fn=fn, sequences=sequences, outputs_info=outputs_info,
                non_sequences=non_sequences, go_backwards=go_backwards, truncate_gradient=-1,
                mode=mode, name=name)
    if isinstance(rval[0], (list, tuple)):
        return [x[-1] for x in rval[0]], rval[1]
    return rval[0][-1], rval[1]


def foldl(fn, sequences, outputs_info, non_sequences=None, mode=None, name=None):
    """reduce from the first element to the last."""
    return reduce(fn=fn, sequences=sequences, outputs_info=outputs_info,
                  non_sequences=non_sequences, go_backwards=False, mode=mode, name=name)


def foldr(fn, sequences, outputs_info, non_sequences=None, mode=None, name=None):
    """reduce from the last element to the first."""
    return reduce(fn=fn, sequences=sequences, outputs_info=outputs_info,
                  non_sequences=non_sequences, go_backwards=True, mode=mode, name=name)


def scan_checkpoints(fn, sequences=(), outputs_info=None, non_sequences=(),
                     name="checkpointscan_fn", n_steps=None, save_every_N=10, padding=True):
    """A scan that keeps the states of every `save_every_N`-th step only (Theano's
    ``theano.scan_checkpoints``); the gradient recomputes the steps in between.

    The loop runs as an outer scan over blocks of `save_every_N` steps, each an inner scan.
    Restrictions, as in Theano 1.0.5: outputs have no taps (previous value only, or None),
    sequences have the same length, and only the value at the end of each block is
    returned, for every output.  Sequences whose length is not a multiple of
    `save_every_N` are zero-padded (a copy) unless ``padding=False``.
    """
    seqs = [TB.as_tensor_variable(s) for s in _wrap(sequences)]
    outs_info = _wrap(outputs_info) if outputs_info is not None else [None]
    non_seqs = _wrap(non_sequences)
    for info in outs_info:
        if isinstance(info, dict) and "taps" in info:
            raise RuntimeError("scan_checkpoints doesn't work with taps.")
    every = int(save_every_N)
    n = seqs[0].shape[0] if n_steps is None else TB.as_tensor_variable(n_steps)
    n_blocks = TB.cast(-((-n) // every), "int64")  # ceil(n / every)
    last = n - (n_blocks - 1) * every
    block_steps = TS.set_subtensor(TB.alloc(TB.constant(every, dtype="int64"), n_blocks)[-1],
                                   last)
    blocks = []
    for s in seqs:
        if padding:
            missing = (every - s.shape[0] % every) % every
            s = TB.concatenate([s, TB.alloc(TB.constant(0, dtype=s.type.dtype), missing,
                                            *[s.shape[i] for i in range(1, s.type.ndim)])])
        blocks.append(s.reshape([s.shape[0] // every, every]
                                + [s.shape[i] for i in range(1, s.type.ndim)],
                                ndim=s.type.ndim + 1))
    n_rec = sum(info is not None for info in outs_info)

    def block(*args):
        block_seqs = list(args[:len(blocks)])
        steps = args[len(blocks)]
        prev = list(args[len(blocks) + 1:len(blocks) + 1 + n_rec])
        ns = list(args[len(blocks) + 1 + n_rec:])
        prev_iter = iter(prev)
        infos = [None if info is None else next(prev_iter) for info in outs_info]
        results, updates = scan(fn, sequences=block_seqs, outputs_info=infos,
                                non_sequences=ns, n_steps=steps, name=name + "_inner",
                                return_list=True)
        return [r[-1] for r in results], updates

    return scan(block, sequences=blocks + [block_steps], outputs_info=outs_info,
                non_sequences=non_seqs, n_steps=n_blocks, name=name + "_outer")
