"""theano.function: normalise inputs/outputs/updates/givens, rewrite, link.

Theano semantics: updates read the values from before the call; givens substitute
variables before compilation; shared variables with a ``default_update`` are updated
unless ``no_default_updates`` says otherwise.
"""

from __future__ import annotations

import copy
import time
import warnings
from collections import OrderedDict

from .. import backend, hooks
from ..config import config
from ..errors import MissingInputError, SourceInfo, UnusedInputError
from ..graph.basic import Constant, Variable, clone_replace, graph_inputs
from ..graph.fgraph import FunctionGraph
from ..graph.shared import SharedVariable
from ..link.errors import silence_numpy_fp_warnings
from ..link.profile import ProfileStats
from ..tensor.basic import as_tensor_variable
from ..utils import pauses_gc
from .compiled import CompiledFunction, FunctionMaker
from .compiled import Function  # noqa: F401 - theano.compile.function_module.Function
from .io import In, SymbolicOutput
from .mode import get_mode


def _normalise_inputs(inputs):
    if inputs is None:
        inputs = []
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            "Input variables of a Theano function should be contained in a list, even when "
            f"there is a single input (got {inputs!r})."
        )
    specs = []
    for k, i in enumerate(inputs):
        spec = i if isinstance(i, In) else None
        if spec is None:
            if not isinstance(i, Variable):
                raise TypeError(f"Unknown input type: {type(i).__name__} ({i!r}), expected "
                                "a Variable or In")
            spec = In(i)
        else:
            spec = copy.copy(spec)  # function() fills in fields; the caller's In stays as is
            if spec.value is not None and not hasattr(spec.value, "storage"):
                spec.value = _filter_default(spec, k)
        v = spec.variable
        if isinstance(v, SharedVariable) and not spec.shared:
            raise TypeError(
                f"Cannot use a shared variable ({v}) as explicit input. Consider substituting "
                "a non-shared variable via the `givens` parameter"
            )
        if isinstance(v, Constant):
            raise TypeError(
                f"Input {k} ({v}) is a constant: a function input must be a free variable. "
                "Use In(variable, value=...) for a default value."
            )
        specs.append(spec)
    seen = {}
    for k, s in enumerate(specs):
        first = seen.setdefault(id(s.variable), k)
        if first != k:
            raise UnusedInputError(
                f"Variable {s.variable} is used twice in inputs to theano.function, at "
                f"indices {first} and {k}.  This would result in values provided for it "
                "being ignored. Please do not duplicate variables in the inputs list."
            )
    return specs


def _cut_at_inputs(in_specs):
    """(old, fresh) pairs cutting the graph at the inputs that are computed variables.

    As in Theano, an intermediate result may be an input: the function takes its value
    and does not compute it (function([y], y * 2) with y = x + 1 needs no x).  Each such
    input becomes a fresh root variable of its type and name, substituted into every
    expression with the givens.
    """
    pairs = []
    for spec in in_specs:
        v = spec.variable
        if v.owner is not None:
            fresh = v.type()
            fresh.name = v.name
            pairs.append((v, fresh))
            spec.variable = fresh
    return pairs


def _filter_default(spec, k):
    """The default value of In `spec` (input `k`) as its variable's type stores it, or the
    type's error naming the input.  As in Theano, the In's own `strict`/`allow_downcast`
    apply (In(iscalar, value=1.5) is refused), checked when the function is built."""
    t = spec.variable.type
    try:
        return t.filter(spec.value, strict=spec.strict, allow_downcast=spec.allow_downcast)
    except (TypeError, ValueError) as e:
        label = spec.name if spec.name is not None else str(spec.variable)
        raise type(e)(
            f'The default value of input {k} ("{label}", given by In(..., value=...)) cannot '
            f"be stored in its type {t}: {e} (for a default value, the flag is "
            "In(..., allow_downcast=True))"
        ) from None


def _normalise_outputs(outputs):
    """(list of SymbolicOutput, kind) with kind in single/list/dict/none."""
    if outputs is None:
        return [], "none", None
    if isinstance(outputs, dict):
        keys = sorted(outputs) if not isinstance(outputs, OrderedDict) else list(outputs)
        for k in keys:
            if not isinstance(k, str):
                raise AssertionError("The keys of a dict of outputs must be strings")
        return [_out(outputs[k]) for k in keys], "dict", keys
    if isinstance(outputs, (list, tuple)):
        return [_out(o) for o in outputs], "list", None
    return [_out(outputs)], "single", None


def _out(o):
    if isinstance(o, SymbolicOutput):
        return SymbolicOutput(as_tensor_variable(o.variable) if not isinstance(
            o.variable, Variable) else o.variable, o.borrow)
    if not isinstance(o, Variable):
        # Theano 1.0.5 refused a number or an array as an output (function([x], 3) would
        # otherwise compile a constant and complain that x is unused).
        raise TypeError(
            f"Outputs must be theano Variable or Out instances. Received {o!r} of type "
            f"{type(o)}: to return a constant, wrap it with theano.tensor.constant(...)"
        )
    return SymbolicOutput(o)


def _normalise_updates(updates):
    """Updates as (shared variable, expression) pairs.

    Accepts a dict, an OrderedDict or any iterable of pairs (Theano 1.0.5 wanted a list or
    tuple; legacy Python 2 code passes ``zip(params, new_params)``, an iterator on Python 3).
    """
    if updates is None:
        return []
    if isinstance(updates, dict):
        pairs = list(updates.items())
    elif isinstance(updates, (str, bytes)) or not hasattr(updates, "__iter__"):
        raise TypeError(
            "updates must be a dict, an OrderedDict or a list of pairs, got "
            f"{type(updates).__name__}"
        )
    else:
        pairs = []
        for u in updates:
            if not isinstance(u, (list, tuple)) or len(u) != 2:
                raise ValueError(
                    f"updates must be a dict or a list of (shared_variable, new_expression) "
                    f"pairs; got the entry {u!r}"
                )
            pairs.append((u[0], u[1]))
    out, seen = [], set()
    for target, value in pairs:
        if not isinstance(target, SharedVariable):
            raise TypeError(
                f"The update target {target} is not a shared variable: only shared variables "
                "can be updated by a function"
            )
        if id(target) in seen:
            raise ValueError(f"this shared variable already has an update expression: {target}")
        seen.add(id(target))
        out.append((target, _check_update_type(target, value)))
    return out


def _check_update_type(target, value):
    """`value` as a variable of the target's type, or TypeError naming both types.

    A non-symbolic value becomes a constant of the target's type when the type's filter
    accepts it (Theano's ``filter_variable``): ``updates=[(count, 0)]`` works for an
    int64 counter, ``(w32, np.zeros(3))`` is a float64 -> float32 downcast and fails.
    """
    if not isinstance(value, Variable):
        try:
            value = target.type.filter_variable(value, allow_convert=False)
        except (TypeError, ValueError) as e:
            # The filter's own class, as in Theano (a string for a float variable is a
            # ValueError, a float64 array for a float32 one a TypeError).
            raise type(e)(
                f"An update must have the same type as the original shared variable "
                f"(shared_var={target}, shared_var.type={target.type}, update_val={value!r}): "
                f"the value cannot be stored in that type: {e}"
            ) from None
    if value.type == target.type:
        return value
    converted = target.type.convert_variable(value) if hasattr(target.type,
                                                               "convert_variable") else None
    if converted is not None:
        return converted
    raise TypeError(
        f"An update must have the same type as the original shared variable "
        f"(shared_var={target}, shared_var.type={target.type}, update_val={value}, "
        f"update_val.type={value.type}). If the difference is related to the broadcast "
        "pattern, you can call the tensor.unbroadcast(var, axis_to_unbroadcast[, ...]) "
        "function to remove broadcastable dimensions. If it is the dtype, cast the update "
        f"with T.cast(update, '{getattr(target.type, 'dtype', '?')}')."
    )


def _normalise_givens(givens, in_specs):
    """Givens as (variable, replacement) pairs with matching types.

    Accepts a dict or any iterable of pairs.  Replacing an explicit input is refused, as
    in Theano: the input would silently stop being used.
    """
    if givens is None:
        return []
    if isinstance(givens, dict):
        pairs = list(givens.items())
    else:
        pairs = []
        for p in givens:
            if isinstance(p, Variable) or not isinstance(p, (list, tuple)) or len(p) != 2:
                raise ValueError(
                    "givens must be a dict or a list of (variable, replacement) pairs; got "
                    f"the entry {p!r}"
                )
            pairs.append(tuple(p))
    inputs = {id(s.variable) for s in in_specs}
    out = []
    for old, new in pairs:
        if not isinstance(old, Variable):
            raise TypeError(f"givens keys must be Variables, got {old!r}")
        if id(old) in inputs:
            raise RuntimeError(
                f"You are trying to replace variable '{old}' through the `givens` parameter, "
                "but this variable is an input to your function. Replacing inputs is "
                "currently forbidden because it has no effect. One way to modify an input "
                "`x` to a function evaluating f(x) is to define a new input `y` and use "
                "`theano.function([y], f(x), givens={x: g(y)})`. Another solution consists "
                "in using `theano.clone`, e.g. like this: `theano.function([x], "
                "theano.clone(f(x), replace={x: g(x)}))`."
            )
        if not isinstance(new, Variable):
            new = old.type.filter_variable(new) if not hasattr(old.type, "dtype") else \
                as_tensor_variable(new)
        if old.type != new.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                raise TypeError(
                    f"givens: cannot replace {old} (of type {old.type}) by {new} (of type "
                    f"{new.type}); cast or reshape the replacement to match"
                )
            new = converted
        out.append((old, new))
    return out


def _default_updates(variables, updates, no_default_updates, given_pairs):
    """Add `default_update`s of shared variables reachable from the graph (iteratively).

    A default update is an expression the user built against the original graph, so the
    givens are substituted into it, as into the outputs.
    """
    have = {id(t) for t, _ in updates}
    excluded = set()
    if isinstance(no_default_updates, (list, tuple)):
        excluded = {id(v) for v in no_default_updates}
    elif no_default_updates:
        return updates
    added = list(updates)
    frontier = list(variables)
    while True:
        new = []
        for leaf in graph_inputs(frontier + [v for _, v in added]):
            if (isinstance(leaf, SharedVariable) and getattr(leaf, "default_update", None)
                    is not None and id(leaf) not in have and id(leaf) not in excluded):
                have.add(id(leaf))
                value = _check_update_type(leaf, leaf.default_update)
                if given_pairs:
                    value = clone_replace(value, given_pairs)
                new.append((leaf, value))
        if not new:
            return added
        added.extend(new)


@pauses_gc
def function(inputs, outputs=None, mode=None, updates=None, givens=None,
             no_default_updates=False, accept_inplace=False, name=None, rebuild_strict=True,
             allow_input_downcast=None, profile=None, on_unused_input=None):
    """Compile a callable computing `outputs` from `inputs` (Theano's ``theano.function``)."""
    compile_started = time.perf_counter()
    silence_numpy_fp_warnings()  # back in place if a catch_warnings block dropped it
    if isinstance(updates, dict) and not isinstance(updates, OrderedDict) and len(updates) > 1:
        pass  # Python dicts keep insertion order, so Theano's nondeterminism warning is moot.
    if name is None:
        name = _default_name()
    in_specs = _normalise_inputs(inputs)
    out_specs, out_kind, out_keys = _normalise_outputs(outputs)
    update_pairs = _normalise_updates(updates)
    given_pairs = _normalise_givens(givens, in_specs)
    # Inputs that are computed variables cut the graph there (after the givens check, so
    # replacing such an input through givens is refused like any input).
    given_pairs += _cut_at_inputs(in_specs)
    for spec in in_specs:
        if spec.update is not None:
            spec.update = _check_update_type_input(spec)
    # Substitute the givens once into every expression the user wrote (outputs, updates,
    # In updates); default updates found afterwards get the same single substitution.
    n_out, n_upd = len(out_specs), len(update_pairs)
    with_update = [s for s in in_specs if s.update is not None]
    targets = ([o.variable for o in out_specs] + [v for _, v in update_pairs]
               + [s.update for s in with_update])
    if given_pairs and targets:
        replaced = clone_replace(targets, given_pairs)
        for spec, var in zip(out_specs, replaced[:n_out], strict=True):
            spec.variable = var
        update_pairs = [(t, v) for (t, _), v in
                        zip(update_pairs, replaced[n_out:n_out + n_upd], strict=True)]
        for spec, var in zip(with_update, replaced[n_out + n_upd:], strict=True):
            spec.update = var
    output_vars = [o.variable for o in out_specs]
    update_pairs = _default_updates(output_vars, update_pairs, no_default_updates, given_pairs)
    needed = output_vars + [v for _, v in update_pairs] + [
        s.update for s in in_specs if s.update is not None]
    explicit = [s.variable for s in in_specs]
    leaves = graph_inputs(needed, blockers=explicit)
    explicit_ids = {id(v) for v in explicit}
    shared_vars = []
    seen = set()
    missing = None
    for leaf in leaves:
        if id(leaf) in explicit_ids or isinstance(leaf, Constant):
            continue
        if isinstance(leaf, SharedVariable):
            if id(leaf) not in seen:
                seen.add(id(leaf))
                shared_vars.append(leaf)
            continue
        if missing is None:
            missing = leaf
    for t, _ in update_pairs:
        if id(t) not in seen:
            seen.add(id(t))
            shared_vars.append(t)
    leaf_ids = {id(v) for v in leaves}
    mode_obj = get_mode(mode)
    policy = on_unused_input or config.on_unused_input
    for k, spec in enumerate(in_specs):
        if id(spec.variable) not in leaf_ids:
            _unused_input(k, spec.variable, policy)
    if missing is not None:
        # After the unused-input check, as in Theano: function([x * 2], x) reports the
        # unused input x * 2 rather than the missing x.
        raise _missing_input_error(missing, needed)
    fgraph = FunctionGraph(explicit + shared_vars, needed, clone=True)
    rewrite_started = time.perf_counter()
    mode_obj.pipeline()(fgraph, mode_obj.excluded)
    rewrite_seconds = time.perf_counter() - rewrite_started
    if profile is None:
        profile = config.profile
    if profile is True:
        profile = ProfileStats(message=name or "unnamed function")
    if profile:
        profile.optimizer_time += rewrite_seconds
    # The checking modes (DebugMode, NanGuardMode, MonitorMode) run the graph node by
    # node through a FunctionMaker of their own (compile/node_eval.py).
    maker_class = mode_obj.maker_class or FunctionMaker
    maker = maker_class(
        fgraph=fgraph,
        in_specs=in_specs,
        shared_vars=shared_vars,
        out_specs=out_specs,
        out_kind=out_kind,
        out_keys=out_keys,
        update_targets=[t for t, _ in update_pairs],
        n_outputs=len(out_specs),
        mode=mode_obj,
        allow_input_downcast=allow_input_downcast,
        backend=backend.current(),
        name=name,
        profile=profile or None,
    )
    if profile:
        profile.compile_time += time.perf_counter() - compile_started
    return CompiledFunction(maker)


def _default_name():
    """Theano 1.0.5 names an unnamed function after the user line compiling it (file:line).

    The name appears in input errors and runtime notes, so it should point at user code.
    """
    where = SourceInfo.capture(1)
    return None if where is None else f"{where.filename}:{where.lineno}"


def _check_update_type_input(spec):
    return _check_update_type(spec.variable, spec.update) if isinstance(
        spec.variable, SharedVariable) else spec.update


def _missing_input_error(leaf, needed):
    users = None
    for node_var in needed:
        stack = [node_var]
        seen = set()
        while stack and users is None:
            v = stack.pop()
            if v.owner is None or id(v) in seen:
                continue
            seen.add(id(v))
            if any(i is leaf for i in v.owner.inputs):
                users = v.owner
                break
            stack.extend(v.owner.inputs)
        if users is not None:
            break
    where = ""
    if users is not None:
        where = f", used to compute {users}"
        if users.source is not None:
            where += f" (built at {users.source.describe()})"
    return MissingInputError(
        f"Input {leaf} of the graph{where}, was not provided and not given a value. Add it "
        "to the function's inputs, give it a value with `givens`, or make it a shared "
        "variable."
    )


def _unused_input(k, var, policy):
    msg = (
        "theano.function was asked to create a function computing outputs given certain "
        f"inputs, but the provided input variable at index {k} is not part of the "
        f"computational graph needed to compute the outputs: {var}.\n"
    )
    if policy == "raise":
        raise UnusedInputError(
            msg + "To make this error into a warning, you can pass the parameter "
            "on_unused_input='warn' to theano.function. To disable it completely, use "
            "on_unused_input='ignore'."
        )
    if policy == "warn":
        # Theano's warning text says how to turn it into an error, not the reverse.
        warnings.warn(
            msg + "To make this warning into an error, you can pass the parameter "
            "on_unused_input='raise' to theano.function. To disable it completely, use "
            "on_unused_input='ignore'.",
            stacklevel=3,
        )
    elif policy != "ignore":
        raise ValueError(f"Invalid value for keyword on_unused_input: {policy!r}")


pfunc = function


def compile_for_eval(inputs, output, mode=None):
    """The compiler behind Variable.eval (cached per variable by the graph layer); lower
    layers (gradient.verify_grad) compile through it too."""
    return function(inputs, output, mode=mode, on_unused_input="ignore")


hooks.compile_function.fill(compile_for_eval)
