"""DebugMode: run every node twice and check everything (theano.compile.debugmode).

A function compiled with ``mode=DebugMode()`` (or ``'DebugMode'``, ``'DEBUG_MODE'``,
``THEANO_FLAGS=mode=DebugMode``) runs node by node (compile/node_eval.py) and checks:

* each output has its variable's type: dtype, number of dimensions, broadcastable
  dimensions of length 1 (InvalidValueError, hint "perform output");
* no NaN or inf in float outputs, when ``check_isfinite`` (InvalidValueError);
* the node leaves its inputs unchanged, unless its Op declares them in ``destroy_map``
  (BadDestroyMap);
* an output sharing memory with an input is declared in the Op's ``view_map`` or
  ``destroy_map`` (BadViewMap);
* running the node a second time, on fresh copies of the same inputs, gives the same
  outputs (BadThunkOutput);
* the output shapes agree with the Op's ``infer_shape`` (BadInferShape, a kind of
  InvalidValueError; Theano 1.0.5's DebugMode did not check this);
* every replacement the rewrites made computes the same values as what it replaced, on
  this call's inputs (BadOptimization, naming the rule); values the replaced
  expression gave as NaN or inf are not compared, so stabilisations (``log(1 +
  exp(x))`` -> ``softplus(x)``) and rules such as ``x / x -> 1`` pass;
* rewriting the graph again gives the same graph, ``stability_patience`` times in all
  (StochasticOrder, at compile time).

There is no C code, so ``check_c_code``, ``check_preallocated_output`` and
``require_matching_strides`` are accepted and have nothing to check.  A failed call
leaves shared variables unchanged.
"""

from __future__ import annotations

import logging

import numpy as np

from ..compat import get_unbound_function  # noqa: F401 - a name of Theano's module
from ..config import change_flags, config  # noqa: F401 - change_flags: idem
from ..errors import add_note, no_capture
from ..graph.basic import Constant, Variable, io_toposort
from ..graph.op import Op as _GraphOp
from ..graph.op import runner_for
from ..tensor.basic import Shape_i
from .compiled import Function, FunctionMaker  # noqa: F401 - Theano's module had them
from .function_module import (infer_reuse_pattern, ops_with_inner_function,  # noqa: F401
                              std_fgraph)
from .mode import Mode, register_mode, register_mode_factory
from .ops import OutputGuard  # noqa: F401 - Theano's module imported it
from .node_eval import (
    EvalFunctionMaker,
    NodeChecks,
    graph_text,
    is_array,
    node_text,
    shares_memory,
    snapshot,
    value_text,
    where_built,
)

# ----------------------------------------------------------------------------- errors


_logger = logging.getLogger("theano.compile.debugmode")


class NoDuplicateOptWarningFilter(logging.Filter):
    """A logging filter letting each "Optimization Warning: ..." message through once."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    prev_msgs: set = set()

    def filter(self, record):
        msg = record.getMessage()
        if msg.startswith("Optimization Warning: "):
            if msg in self.prev_msgs:
                return False
            self.prev_msgs.add(msg)
        return True


_logger.addFilter(NoDuplicateOptWarningFilter())


def char_from_number(number):
    """`number` written in base 26 with the letters A-Z as digits (0 is "A"; Theano named
    the variables of its debug printouts so)."""
    if number == 0:
        return "A"
    out = ""
    while number != 0:
        number, remainder = divmod(number, 26)
        out = chr(ord("A") + remainder) + out
    return out


class DataDestroyed:
    """The marker Theano's DebugMode put in place of a value an Op destroyed."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles


data_destroyed = DataDestroyed()


def check_eq(var, val1, val2):
    """Whether two values of `var` are equal enough (its tag's ``values_eq_approx`` when
    it has one, else its type's)."""
    approx = getattr(var.tag, "values_eq_approx", None) or var.type.values_eq_approx
    return approx(val1, val2)


class DebugModeError(Exception):
    """Base of the errors DebugMode raises."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles


def _value_lines(label, value):
    if is_array(value):
        return [f"  {label} shape, dtype: {tuple(value.shape)} {value.dtype}",
                f"  {label}: {value_text(value)}"]
    return [f"  {label}: {value_text(value)}"]


def _node_lines(node):
    return [f"  Apply node: {node_text(node)}", f"  {where_built(node)}"]


class BadThunkOutput(DebugModeError):
    """Two runs of the same node on the same inputs gave different outputs."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    def __init__(self, r, thunk1, val1, thunk2, val2, inputs_val=()):
        self.r = r
        self.thunk1 = thunk1
        self.val1 = val1
        self.thunk2 = thunk2
        self.val2 = val2
        self.inputs_val = inputs_val
        lines = ["BadThunkOutput", f"  Variable: {r}"]
        if r.owner is not None:
            lines += _node_lines(r.owner)
        lines.append(f"  Inputs values: [{', '.join(value_text(v) for v in inputs_val)}]")
        lines += _value_lines(f"{thunk1} gave", val1) + _value_lines(f"{thunk2} gave", val2)
        lines.append("  The Op computes different values from the same inputs: it depends "
                     "on hidden state (a global random generator, a cache...) or reads "
                     "memory it does not own.")
        super().__init__("\n".join(lines))

    def offending_op(self):
        return type(self.r.owner.op)


class BadOptimization(DebugModeError):
    """A rewrite replaced a variable by one computing different values."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    def __init__(self, old_r, new_r=None, old_r_val=None, new_r_val=None, reason=None,
                 old_graph="", new_graph=""):
        self.old_r = old_r
        self.new_r = new_r
        self.old_r_val = old_r_val
        self.new_r_val = new_r_val
        self.reason = reason
        self.old_graph = old_graph
        self.new_graph = new_graph
        if isinstance(old_r, str) and new_r is None:
            # A message alone (re-raising with an extended message, as Theano allowed).
            super().__init__(old_r)
            return
        lines = ["BadOptimization Error", f"  Rewrite (reason): {reason}",
                 f"  Variable: {old_r} replaced by {new_r}"]
        if old_r.owner is not None:
            lines.append(f"  The replaced node was {where_built(old_r.owner)}")
        lines += _value_lines("Old value", old_r_val) + _value_lines("New value", new_r_val)
        diff = _max_abs_diff(old_r_val, new_r_val)
        if diff is not None:
            lines.append(f"  Max Abs Diff: {diff}")
        lines += ["  Old graph:", _indent(old_graph), "  New graph:", _indent(new_graph),
                  ("  Hint: exclude the rule to compile without it, e.g. "
                   f"THEANO_FLAGS=optimizer_excluding={reason}")]
        super().__init__("\n".join(lines))


class BadDestroyMap(DebugModeError):
    """A node changed an input its Op does not declare in ``destroy_map``."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    def __init__(self, node, idx, old_val, new_val, perform):
        self.node = node
        self.idx = idx
        self.old_val = old_val
        self.new_val = new_val
        self.perform = perform
        lines = [f"  node: {node_text(node)}", f"  {where_built(node)}",
                 f"  perform: {perform}",
                 f"  destroy_map: {getattr(node.op, 'destroy_map', {}) or {}}",
                 f"  changed input idx: {idx}",
                 f"  changed input type: {node.inputs[idx].type}"]
        lines += _value_lines("old value", old_val) + _value_lines("new value", new_val)
        lines.append("  An Op that overwrites an input must say so in destroy_map "
                     "({output index: [input index]}); otherwise work on a copy.")
        super().__init__("\n".join(lines))


class BadViewMap(DebugModeError):
    """An output shares memory with an input (or another output) without the Op
    declaring it in ``view_map``."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    def __init__(self, node, output_idx, out_storage, in_alias_idx=None, out_alias_idx=None):
        self.node = node
        self.output_idx = output_idx
        self.out_storage = out_storage
        self.in_alias_idx = in_alias_idx
        self.out_alias_idx = out_alias_idx
        lines = [f"  node: {node_text(node)}", f"  {where_built(node)}",
                 f"  view_map: {getattr(node.op, 'view_map', {}) or {}}",
                 f"  destroy_map: {getattr(node.op, 'destroy_map', {}) or {}}",
                 f"  aliased output: {output_idx}",
                 f"  aliased output storage: {value_text(out_storage)}"]
        if in_alias_idx:
            lines.append(f"  aliased to inputs: {in_alias_idx}")
        if out_alias_idx:
            lines.append(f"  aliased to outputs: {out_alias_idx}")
        lines.append("  An Op whose output is (a view of) an input must declare it in "
                     "view_map ({output index: [input index]}); otherwise return a copy.")
        super().__init__("\n".join(lines))


class StochasticOrder(DebugModeError):
    """Rewriting the same graph twice gave different graphs."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles


class InvalidValueError(DebugModeError):
    """A value that is not valid for its variable's type (or not finite, under
    ``check_isfinite``)."""

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    def __init__(self, r, v=None, client_node=None, hint="none", specific_hint="none"):
        self.r = r
        self.v = v
        self.client_node = client_node
        self.hint = hint
        self.specific_hint = specific_hint
        super().__init__(self._text())

    def _text(self):
        v = self.v
        fields = [("type(variable)", self.r.type), ("variable", self.r),
                  ("type(value)", type(v))]
        if is_array(v):
            arr = np.asarray(v)
            numeric = arr.size > 0 and arr.dtype.kind in "biufc"
            fields += [("dtype(value)", arr.dtype), ("shape(value)", arr.shape),
                       ("value", value_text(arr)),
                       ("min(value)", np.min(arr) if numeric else "N/A"),
                       ("max(value)", np.max(arr) if numeric else "N/A"),
                       ("isfinite", bool(np.all(np.isfinite(arr))) if numeric else "N/A")]
        else:
            fields += [("dtype(value)", "N/A"), ("shape(value)", "N/A"),
                       ("value", value_text(v))]
        fields += [("client_node", self.client_node), ("hint", self.hint),
                   ("specific_hint", self.specific_hint)]
        lines = [type(self).__name__]
        lines += [f"        {name:<15}= {value}" for name, value in fields]
        if self.r.owner is not None:
            lines.append(f"        context        = {node_text(self.r.owner)}")
            lines.append(f"        {where_built(self.r.owner)}")
        return "\n".join(lines)


class BadInferShape(InvalidValueError):
    """An output's shape differs from what its Op's ``infer_shape`` says (a check
    Theano 1.0.5's DebugMode did not make; an InvalidValueError so that code catching
    that still catches it)."""


# ----------------------------------------------------------------------------- helpers


def _indent(text):
    return "\n".join("    " + ln for ln in str(text).splitlines())


def _max_abs_diff(a, b):
    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind not in "biufc" or b.dtype.kind not in "biufc":
            return None
        with np.errstate(all="ignore"):
            return np.nanmax(np.abs(a.astype(np.complex128) - b)) if a.size else 0.0
    except Exception:  # noqa: BLE001 - a message helper
        return None


def _same_state(a, b):
    """Exact equality of two values (NaN equal to NaN), for the destroy check."""
    if a is None or b is None:
        return a is b
    if is_array(a) and is_array(b):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, np.random.RandomState) and isinstance(b, np.random.RandomState):
        sa, sb = a.get_state(), b.get_state()
        return all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
                   for x, y in zip(sa, sb))
    if isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator):
        return a.bit_generator.state == b.bit_generator.state
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - values without equality are taken as unchanged
        return True


def _tolerances(dtype):
    return (1e-5, 1e-8) if dtype in (np.float64, np.complex128) else (1e-3, 1e-5)


def _same_result(a, b):
    """Whether two runs of a node agree: exactly, or within float tolerance (BLAS may
    sum in another order)."""
    if not (is_array(a) and is_array(b)):
        return True  # random generators and other objects: not comparable by value
    if _same_state(a, b):
        return True
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype or a.dtype.kind not in "fc":
        return False
    rtol, atol = _tolerances(a.dtype)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _equivalent(old, new):
    """Whether a rewrite's new value matches the old one: where the old value is finite
    the new one must be close; where it is NaN or inf anything goes (stabilisation)."""
    if not (is_array(old) and is_array(new)):
        return True
    old, new = np.asarray(old), np.asarray(new)
    if old.shape != new.shape:
        return False
    if old.dtype.kind not in "fc" and new.dtype.kind not in "fc":
        return bool(np.array_equal(old, new))
    if old.dtype.kind not in "biufc" or new.dtype.kind not in "biufc":
        return True
    finite = np.isfinite(old)
    rtol, atol = _tolerances(np.result_type(old.dtype, new.dtype)
                             if old.dtype.kind == new.dtype.kind else old.dtype)
    with np.errstate(all="ignore"):
        return bool(np.allclose(new[finite], old[finite], rtol=rtol, atol=atol))


def _graph_signature(fgraph):
    """A structural description of a rewritten graph (for the stability check)."""
    index = {v: ("in", k) for k, v in enumerate(fgraph.inputs)}
    sig = []
    for pos, node in enumerate(fgraph.toposort()):
        args = []
        for i in node.inputs:
            if i in index:
                args.append(index[i])
            elif isinstance(i, Constant):
                args.append(("const", str(i.type), str(i)))
            else:
                args.append(("?", str(i)))
        sig.append((str(node.op), tuple(args)))
        for j, out in enumerate(node.outputs):
            index[out] = ("node", pos, j)
    sig.append(tuple(index.get(o, ("?", str(o))) for o in fgraph.outputs))
    return sig


# ----------------------------------------------------------------------------- checks


class _DebugChecks(NodeChecks):
    keep_values = True

    def __init__(self, mode, fgraph):
        self.mode = mode
        self.replacements = list(getattr(fgraph, "debugmode_replacements", ()))
        self._inserted_by = {new.owner: reason for _, new, reason in self.replacements
                             if getattr(new, "owner", None) is not None}
        self._shape_plans = {}
        clients = getattr(fgraph, "clients", {})
        # Theano: outputs of one node may share memory when at most one of them is
        # read by another node (the others are function outputs or unused).
        self._used = lambda var: any(c != "output" for c, _ in clients.get(var, ()))

    def start(self, ev, storage):
        for var in ev.inputs:
            value = storage[var]
            self._check_type(var, value, "Graph Input")
            if self.mode.check_isfinite and is_array(value) and \
                    value.dtype.kind in "fc" and not np.all(np.isfinite(value)):
                raise InvalidValueError(var, value, hint="Graph Input",
                                        specific_hint="non-finite elements not allowed")

    def run_node(self, ev, position, node, inputs):
        op = node.op
        destroy_map = getattr(op, "destroy_map", None) or {}
        view_map = getattr(op, "view_map", None) or {}
        destroyed = {k for ks in destroy_map.values() for k in ks}
        before = [snapshot(v) for v in inputs]
        # A declared destroyer works on a copy: the input may be read again (or be the
        # caller's array, or a shared value that must survive a failed call).
        given = [snapshot(v) if k in destroyed else v for k, v in enumerate(inputs)]
        try:
            outs = ev.compute(node, given, raw=True)
        except Exception as e:
            reason = self._inserted_by.get(node)
            if reason is None:
                raise
            raise _from_rewrite(e, reason) from e
        for k, (now, was) in enumerate(zip(inputs, before)):
            if k not in destroyed and not _same_state(now, was):
                raise BadDestroyMap(node, k, was, now, "perform")
        for var, value in zip(node.outputs, outs):
            self._check_type(var, value, "perform output")
            if self.mode.check_isfinite and is_array(value) and value.dtype.kind in "fc" \
                    and not np.all(np.isfinite(value)):
                raise InvalidValueError(var, value, hint="perform output",
                                        specific_hint="non-finite elements not allowed")
        _check_views(node, given, outs, view_map, destroy_map, self._used)
        again = ev.compute(node, [snapshot(v) for v in before], raw=True)
        for var, first, second in zip(node.outputs, outs, again):
            if not _same_result(first, second):
                raise BadThunkOutput(var, "perform", first, "perform (second run)", second,
                                     inputs_val=before)
        self._check_shapes(node, inputs, outs)
        return outs

    def finish(self, ev, storage):
        if self.replacements:
            self._check_replacements(ev, storage)

    # -- one value ----------------------------------------------------------------------

    def _check_type(self, var, value, hint):
        try:
            var.type.filter(value, strict=True)
        except (TypeError, ValueError) as e:
            raise InvalidValueError(var, value, hint=hint, specific_hint=str(e)) from None

    # -- infer_shape --------------------------------------------------------------------

    def _shape_plan(self, node):
        """[(output, dim, entry)] from the Op's infer_shape, entry an int or a scalar
        variable over the node's inputs; None when the Op has none (cached)."""
        if node in self._shape_plans:
            return self._shape_plans[node]
        plan = None
        infer = getattr(node.op, "infer_shape", None)
        if infer is not None and all(_has_shape(o.type) for o in node.outputs):
            with no_capture():
                in_shapes = [tuple(Shape_i(d)(i) for d in range(i.type.ndim))
                             if _has_shape(i.type) else None for i in node.inputs]
                try:
                    shapes = infer(node, in_shapes)
                except Exception:  # noqa: BLE001 - no usable infer_shape: nothing to check
                    shapes = None
            if shapes is not None and len(shapes) == len(node.outputs):
                plan = []
                for j, shape in enumerate(shapes):
                    if shape is None or len(shape) != node.outputs[j].type.ndim:
                        continue
                    for d, entry in enumerate(shape):
                        if isinstance(entry, (int, np.integer)):
                            plan.append((j, d, int(entry)))
                        elif isinstance(entry, Variable):
                            plan.append((j, d, entry))
        self._shape_plans[node] = plan
        return plan

    def _check_shapes(self, node, inputs, outs):
        plan = self._shape_plan(node)
        if not plan:
            return
        known = {v: val for v, val in zip(node.inputs, inputs) if val is not None}
        for j, d, entry in plan:
            if isinstance(entry, Variable):
                entry = _evaluate(entry, known)
                if entry is None:
                    continue
            actual = getattr(outs[j], "shape", None)
            if actual is None or len(actual) <= d or actual[d] == entry:
                continue
            raise BadInferShape(
                node.outputs[j], outs[j], hint="infer_shape",
                specific_hint=f"{node.op}.infer_shape gives {entry} for dimension {d} of "
                              f"output {j}, but the computed output has shape "
                              f"{tuple(actual)}")

    # -- rewrites -----------------------------------------------------------------------

    def _check_replacements(self, ev, storage):
        known = dict(storage)
        for old, new, reason in self.replacements:
            try:
                old_val = _value_of(ev, old, known)
                new_val = _value_of(ev, new, known)
            except Exception:  # noqa: BLE001 - an expression the final graph never needed
                continue
            if not _equivalent(old_val, new_val):
                raise BadOptimization(old, new, old_val, new_val, reason,
                                      old_graph=graph_text(old), new_graph=graph_text(new))


def _from_rewrite(exc, reason):
    """`exc` told as Theano's DebugMode did when the failing node was put in the graph
    by a rewrite: the same exception class, naming the rewrite."""
    msg = (f"An optimization (probably {reason}) inserted an apply node that raise an "
           f"error.\nThe information we have about this optimizations is: {reason}"
           f"\n\nThe original exception: \n{exc}")
    try:
        new = type(exc)(msg)
    except Exception:  # noqa: BLE001 - an exception class with another signature
        new = exc
        add_note(new, msg)
    return new


def _check_views(node, inputs, outs, view_map, destroy_map, used=lambda var: True):
    for j, out in enumerate(outs):
        if out is None:
            continue
        allowed = [inputs[k] for k in list(view_map.get(j, ())) + list(destroy_map.get(j, ()))
                   if k < len(inputs)]
        aliased = [k for k, value in enumerate(inputs)
                   if shares_memory(out, value)
                   and not any(shares_memory(value, a) for a in allowed)]
        if aliased and getattr(out, "size", 1) != 0:
            raise BadViewMap(node, j, out, in_alias_idx=aliased)
        declared = j in view_map or j in destroy_map
        if not used(node.outputs[j]):
            continue
        for i in range(j):
            if shares_memory(out, outs[i]) and used(node.outputs[i]) and \
                    not (declared and (i in view_map or i in destroy_map)):
                raise BadViewMap(node, j, out, out_alias_idx=[i])


def _evaluate(var, known):
    """The value of a small graph over the variables in `known` (None when it needs
    anything else or fails): how infer_shape entries are computed."""
    if var in known:
        return int(np.asarray(known[var]))
    if isinstance(var, Constant):
        return int(np.asarray(var.data))
    values = dict(known)
    try:
        for node in io_toposort(list(known), [var]):
            args = []
            for i in node.inputs:
                if i in values:
                    args.append(values[i])
                elif isinstance(i, Constant):
                    args.append(i.data)
                else:
                    return None
            result = runner_for(node.op, node, np)(*args)
            outs = [result] if len(node.outputs) == 1 else list(result)
            values.update(zip(node.outputs, outs))
        return int(np.asarray(values[var]))
    except Exception:  # noqa: BLE001 - a shape graph that cannot run here is not checked
        return None


def _value_of(ev, var, known):
    """`var`'s value on this call's inputs, computing what the final graph did not
    (the replaced expressions of the graph before rewriting)."""
    if var in known:
        return known[var]
    if isinstance(var, Constant):
        return var.data
    if var.owner is None:
        raise LookupError(f"{var} is not an input of the compiled graph")
    # Post-order walk over the nodes not computed yet (no recursion: graphs are deep).
    order, seen = [], set()
    stack = [(var.owner, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for i in node.inputs:
            if i in known or isinstance(i, Constant):
                continue
            if i.owner is None:
                raise LookupError(f"{i} is not an input of the compiled graph")
            stack.append((i.owner, False))
    for node in order:
        args = [known[i] if i in known else i.data for i in node.inputs]
        known.update(zip(node.outputs, ev.compute(node, args)))
    return known[var]


# ----------------------------------------------------------------------------- the mode


class _Linker:
    """DebugMode's linker (Theano's ``debugmode._Linker``): the node-by-node evaluator
    with the checks (compile/node_eval.py), which DebugMode's FunctionMaker builds."""

    allow_gc = False
    fgraph = None

    def __init__(self, maker=None, schedule=None):
        self.maker = maker
        if schedule:
            self.schedule = schedule

    def accept(self, fgraph, no_recycling=None, profile=None):
        self.fgraph = fgraph
        self.no_recycling = no_recycling or []
        return self

    def clone(self, **kwargs):
        new = _Linker(self.maker)
        new.__dict__.update(kwargs)
        return new

    def schedule(self, fgraph):
        return fgraph.toposort()


class DebugMode(Mode):
    """A mode that checks every node and every rewrite (see the module docstring).

    ``DebugMode(optimizer='fast_run', stability_patience=None, check_c_code=None,
    check_py_code=None, check_isfinite=None, check_preallocated_output=None,
    require_matching_strides=None, linker=None)``; None takes the ``DebugMode.*`` flag.
    """

    __module__ = "theano.compile.debugmode"  # Theano's path: reprs and pickles

    maker_class = EvalFunctionMaker

    def __init__(self, optimizer="fast_run", stability_patience=None, check_c_code=None,
                 check_py_code=None, check_isfinite=None, check_preallocated_output=None,
                 require_matching_strides=None, linker=None):
        if linker is not None:
            raise ValueError("DebugMode can only use its own linker! You should not "
                             "provide one.")
        super().__init__(linker=None, optimizer=optimizer)
        self._linker_override = _Linker(self)
        cfg = config.DebugMode
        self.stability_patience = (cfg.patience if stability_patience is None
                                   else int(stability_patience))
        self.check_c_code = cfg.check_c if check_c_code is None else bool(check_c_code)
        self.check_py_code = cfg.check_py if check_py_code is None else bool(check_py_code)
        self.check_isfinite = (cfg.check_finite if check_isfinite is None
                               else bool(check_isfinite))
        if check_preallocated_output is None:
            check_preallocated_output = cfg.check_preallocated_output
        if isinstance(check_preallocated_output, str):
            check_preallocated_output = check_preallocated_output.split(":")
        self.check_preallocated_output = list(check_preallocated_output)
        self.require_matching_strides = (cfg.check_strides if require_matching_strides is None
                                         else int(require_matching_strides))
        if not (self.check_c_code or self.check_py_code):
            raise ValueError("DebugMode has to check at least one of c and py code")

    def pipeline(self):
        """The mode's rewrites, recording every replacement (checked at each call) and
        rewriting a copy of the graph again to check that the result is stable."""
        base = Mode.pipeline(self)
        patience = self.stability_patience

        def rewrite(fgraph, excluded=self.excluded):
            original = fgraph.clone() if patience > 1 else None
            record = []

            def listener(event, *args):
                if event == "replace":
                    record.append(args[:3])

            fgraph.listeners.append(listener)
            try:
                report = base(fgraph, excluded)
            except TypeError as e:
                # A rule replacing a variable by one of another type (raised by the rewrite
                # driver with on_opt_error='raise'): Theano's BadOptimization.
                if "by a variable of another type" not in str(e):
                    raise
                raise BadOptimization(f"BadOptimization: {e}. The type of the replacement "
                                      "must be the same.") from e
            finally:
                fgraph.listeners.remove(listener)
            fgraph.debugmode_replacements = record
            if original is not None:
                _check_stable(base, original, fgraph, excluded, patience)
            return report

        return rewrite

    def node_checks(self, fgraph):
        return _DebugChecks(self, fgraph)


def _check_stable(base, original, fgraph, excluded, patience):
    reference = _graph_signature(fgraph)
    for attempt in range(1, patience):
        again = original.clone()
        base(again, excluded)
        if _graph_signature(again) != reference:
            raise StochasticOrder(
                f"Rewriting the same graph twice gave different graphs (attempt {attempt + 1} "
                f"of stability_patience={patience}): the rewrites depend on something other "
                f"than the graph (hash or set order).\nFirst result:\n"
                f"{_indent(chr(10).join(graph_text(o) for o in fgraph.outputs))}\n"
                f"Attempt {attempt + 1}:\n"
                f"{_indent(chr(10).join(graph_text(o) for o in again.outputs))}")


# Theano 1.0.5's predefined DEBUG_MODE, and "DebugMode" following config.optimizer.
register_mode("DEBUG_MODE", DebugMode(optimizer="fast_run"))
register_mode_factory("DebugMode", lambda: DebugMode(optimizer=config.optimizer))

# Names of Theano's module: stdlib and six shims, and modules of the layers above.
from io import StringIO  # noqa: F401,E402
from itertools import chain  # noqa: F401,E402
from itertools import product as itertools_product  # noqa: F401,E402

from .legacy_names import (GOF, GOF_GRAPH, GOF_UTILS, THEANO, iteritems,  # noqa: F401,E402
                           itervalues, izip, lazy_names, xrange)

__getattr__, __dir__ = lazy_names(__name__, {
    "theano": THEANO, "gof": GOF, "graph": GOF_GRAPH, "utils": GOF_UTILS,
    "link": ("theano_compat.gof.link", None),
    "raise_with_op": ("theano_compat.gof.link", "raise_with_op"),
    "debugprint": ("theano_compat.printing", "debugprint")})

# Theano's list holding Op.make_thunk (the method DebugMode compared Ops' make_thunk with;
# the Op base class here has none: Ops run through the linker's runners).
default_make_thunk = [getattr(_GraphOp, "make_thunk", None)]


def _has_shape(t):
    """Whether values of type `t` are arrays with a shape (a typed list's type has an
    ndim, but its dtype is its element type and its values are Python lists)."""
    return (hasattr(t, "ndim") and isinstance(getattr(t, "dtype", None), str)
            and getattr(t, "values_are_ndarrays", True))
