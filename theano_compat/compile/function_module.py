"""theano.compile.function_module: compiling a graph into a Function (Theano's module).

``orig_function`` compiles In/Out specifications; ``pfunc`` (compile/pfunc.py) and
``theano.function`` (compile/function.py) reach the same core, `compile_function`, which
normalises inputs/outputs/updates/givens, rewrites the graph and links it.

Theano semantics: updates read the values from before the call; givens substitute
variables before compilation; shared variables with a ``default_update`` are updated
unless ``no_default_updates`` says otherwise; an explicit input may be an intermediate
variable of the graph, which then is not computed (the graph is cut there).
"""

from __future__ import annotations

import copy
import time
import warnings
from collections import OrderedDict

from .. import backend, hooks
from ..config import config
from ..errors import MissingInputError, SourceInfo, UnusedInputError
from ..graph.basic import Constant, Variable, clone_replace, graph_inputs, is_same_graph
from ..graph.fgraph import FunctionGraph
from ..graph.null import NullType
from ..graph.shared import Container, SharedVariable, shared
from ..link.errors import silence_numpy_fp_warnings
from ..tensor.basic import as_tensor_variable
from ..utils import pauses_gc
from .compiled import (DUPLICATE, AliasedMemoryError, Function, FunctionMaker,
                       _restore_function, destroyed_roots, get_info_on_inputs)
from .io import In, Out, SymbolicInput, SymbolicOutput
from .mode import Supervisor, get_mode
from .ops import deep_copy_op, view_op
from .profiling import GLOBAL_STATS, ProfileStats

__all__ = ["Function", "FunctionMaker", "orig_function", "convert_function_input",
           "UnusedInputError", "MissingInputError", "AliasedMemoryError", "DUPLICATE",
           "NODEFAULT", "get_info_on_inputs", "alias_root", "fgraph_updated_vars",
           "std_fgraph", "Supervisor", "insert_deepcopy", "infer_reuse_pattern",
           "view_tree_set", "check_equal", "register_checker", "is_same_graph",
           "ops_with_inner_function", "In", "Out", "SymbolicInput", "SymbolicOutput",
           "deep_copy_op", "view_op"]

# Theano's marker for "no default value".
NODEFAULT = ["NODEFAULT"]

# Theano's table {Op: Op with an inner function} (for Function.free); inner programs
# here keep their buffers in the program that runs them, freed with it.
ops_with_inner_function: dict = {}


def _pickle_Function(f):  # noqa: N802 - Theano's name
    """What pickling Function `f` stores: (constructor, arguments) (Theano's copyreg
    reducer; ``pickle.dumps(f)`` calls it)."""
    return f.__reduce__()


def _constructor_Function(maker, input_storage, inputs_data, trust_input=False,  # noqa: N802
                          *more):
    """Theano's name for making a pickled Function again.  A maker from Theano 1.0.5's
    pickle (see FunctionMaker.__setstate__) is compiled again from its inputs and
    outputs, with `input_storage` (Theano's containers: defaults and shared storage)."""
    state = maker.__dict__.get("_theano_state")
    if state is None:
        return _restore_function(maker, input_storage, inputs_data, trust_input, *more)
    if not config.unpickle_function:
        return None
    kwargs = {k: state.get(k) for k in ("inputs", "mode", "accept_inplace", "name",
                                        "profile", "on_unused_input", "output_keys")}
    outputs = list(state["outputs"])
    kwargs["outputs"] = outputs[0] if state.get("unpack_single") and len(outputs) == 1 \
        else outputs
    f = _constructor_FunctionMaker(kwargs).create(list(input_storage))
    f.trust_input = trust_input
    return f


def _constructor_FunctionMaker(kwargs):  # noqa: N802 - Theano's name
    """The FunctionMaker of Theano's pickles (a dict of FunctionMaker arguments): the
    inputs and outputs compiled again in the given mode (the pickled graph, ``fgraph``,
    is not reused: it is Theano's rewritten one); None when ``config.unpickle_function``
    is off."""
    if not config.unpickle_function:
        return None
    outputs = kwargs["outputs"]
    output_keys = kwargs.get("output_keys")
    single = not isinstance(outputs, (list, tuple))
    outs = [outputs] if single else list(outputs)
    outs = [Out(o.variable, borrow=o.borrow) if isinstance(o, SymbolicOutput) else o
            for o in outs]
    f = orig_function(list(kwargs["inputs"]), outs[0] if single else outs,
                      mode=kwargs.get("mode"),
                      accept_inplace=kwargs.get("accept_inplace", False),
                      name=kwargs.get("name"), profile=kwargs.get("profile"),
                      on_unused_input=kwargs.get("on_unused_input"),
                      output_keys=output_keys)
    return f.maker


def alias_root(v):
    """The variable `v` is a view or a destroyed version of (through ``view_map`` /
    ``destroy_map``), followed up to a variable that is not; `v` itself otherwise."""
    while v.owner is not None:
        op = v.owner.op
        pos = v.owner.outputs.index(v)
        views = list(getattr(op, "view_map", {}).get(pos, [])) + \
            list(getattr(op, "destroy_map", {}).get(pos, []))
        if len(views) > 1:
            raise NotImplementedError(
                f"{v} is a view/destroyed version of more then one inputs. Currently, we "
                "only support the case where an output is a view or a destroyed version "
                "of one input.")
        if not views:
            return v
        v = v.owner.inputs[views[0]]
    return v


def view_tree_set(v, treeset, fgraph=None):
    """Add to `treeset` `v` and every variable that is a view of it (through the clients
    `fgraph` records; Theano read them from ``v.clients``)."""
    clients = fgraph.clients if fgraph is not None else None
    stack = [v]
    while stack:
        var = stack.pop()
        if var in treeset:
            continue
        treeset.add(var)
        users = clients.get(var, ()) if clients is not None else getattr(var, "clients", ())
        for client, pos in users:
            if client == "output":
                continue
            vmap = getattr(client.op, "view_map", {})
            dmap = getattr(client.op, "destroy_map", {})
            for opos, iposlist in list(vmap.items()) + list(dmap.items()):
                if pos in iposlist:
                    stack.append(client.outputs[opos])


def infer_reuse_pattern(fgraph, outputs_to_disown):
    """The computed variables that may share memory with `outputs_to_disown`."""
    rval = set()
    for o in outputs_to_disown:
        view_tree_set(alias_root(o), rval, fgraph)
    return {r for r in rval if r.owner is not None}


def fgraph_updated_vars(fgraph, expanded_inputs):
    """{fgraph input: the fgraph output whose value replaces it after a call}."""
    if len(expanded_inputs) != len(fgraph.inputs):
        raise ValueError("expanded_inputs must match len(fgraph.inputs)")
    updated = {}
    values = list(fgraph.outputs)
    for spec, var in reversed(list(zip(expanded_inputs, fgraph.inputs))):
        if spec.update is not None:
            updated[var] = values.pop()
    return updated


def std_fgraph(input_specs, output_specs, accept_inplace=False):
    """The FunctionGraph of `input_specs` (Ins) and `output_specs` (Outs), whose outputs
    are followed by the inputs' updates; returns (fgraph, [Out of each update])."""
    updates = [spec.update for spec in input_specs if spec.update is not None]
    fgraph = FunctionGraph([spec.variable for spec in input_specs],
                           [spec.variable for spec in output_specs] + updates)
    fgraph.update_mapping = {}
    out = len(output_specs)
    for k, spec in enumerate(input_specs):
        if spec.update is not None:
            fgraph.update_mapping[out] = k
            out += 1
    return fgraph, [SymbolicOutput(u) for u in updates]


def insert_deepcopy(fgraph, wrapped_inputs, wrapped_outputs):
    """Put a DeepCopyOp (or a ViewOp where both sides borrow) on each output that
    would alias another output, a constant or an input (Theano's memory contract).
    Compiled functions apply the same rule when they link (FunctionMaker._link)."""
    graph_ins = [v for v in graph_inputs(fgraph.outputs)]
    updated = {id(var) for spec, var in zip(wrapped_inputs, fgraph.inputs)
               if getattr(spec, "update", None) is not None}
    destroyed = destroyed_roots(fgraph)
    for i in range(len(fgraph.outputs)):
        views = set()
        view_tree_set(alias_root(fgraph.outputs[i]), views, fgraph)
        copied = False
        for j in range(i + 1, len(fgraph.outputs)):
            if fgraph.outputs[j] in views:
                both = wrapped_outputs[i].borrow and wrapped_outputs[j].borrow
                fgraph.change_input("output", i, (view_op if both else deep_copy_op)(
                    fgraph.outputs[i]), reason="insert_deepcopy")
                copied = True
                break
        if copied:
            continue
        for inp in graph_ins:
            if id(inp) in updated or id(inp) in destroyed or inp not in views:
                continue
            borrow = wrapped_outputs[i].borrow
            if inp in fgraph.inputs:
                j = fgraph.inputs.index(inp)
                borrow = borrow and wrapped_inputs[j].borrow
            fgraph.change_input("output", i, (view_op if borrow else deep_copy_op)(
                fgraph.outputs[i]), reason="insert_deepcopy")
            break


_CHECKERS: list = []


def check_equal(x, y):
    """Whether two values are equal, by the first registered checker that can tell."""
    for checker in _CHECKERS:
        try:
            return checker(x, y)
        except Exception:  # noqa: BLE001 - Theano tried the next checker
            continue
    return x == y


def register_checker(checker):
    """Add `checker(x, y)` to those `check_equal` tries first."""
    _CHECKERS.insert(0, checker)


def convert_function_input(input):  # noqa: A002 - Theano's signature
    """An In for one element of the inputs list (Theano's rules).

    A Variable ``r`` gives ``In(r)``; ``(r, value)`` a default; ``((r, update), value)``
    an input with a state; a leading string names it: ``(name, r)``, ``(name, r,
    value)``, ``(name, (r, update), value)``; an In is kept; ``(In, value)`` sets its value.
    """
    if isinstance(input, SymbolicInput):
        return input
    if isinstance(input, Constant):
        raise TypeError("A Constant instance is not a legal function input", input)
    if isinstance(input, Variable):
        return In(input)
    if isinstance(input, (list, tuple)):
        orig = input
        if not input:
            raise TypeError(f"Nonsensical input specification: {input}")
        if isinstance(input[0], str):
            name = input[0]
            input = input[1:]
        else:
            name = None
        if isinstance(input[0], (list, tuple)):
            if len(input[0]) != 2 or len(input) != 2:
                raise TypeError(f"Invalid input syntax: {orig} (check documentation or use "
                                "an In instance)")
            (variable, update), value = input
        elif isinstance(input[0], Variable):
            if len(input) == 1:
                variable, update, value = input[0], None, None
            elif len(input) == 2:
                (variable, value), update = input, None
            else:
                raise TypeError(f"Invalid input syntax: {orig} (check documentation or use "
                                "an In instance)")
        elif isinstance(input[0], SymbolicInput):
            if len(input) == 1:
                return input[0]
            spec, value = input
            if name is not None:
                spec.name = name
            spec.value = value
            return spec
        else:
            raise TypeError(f"The input specification is not valid: {input}")
        if not isinstance(variable, Variable):
            raise TypeError(f"Unknown input type: {type(variable)}, expected Variable "
                            "instance", variable)
        if update is not None and not isinstance(update, Variable):
            raise TypeError(f"Unknown update type: {type(update)}, expected Variable "
                            "instance", update)
        if value is not None and isinstance(value, (Variable, SymbolicInput)):
            raise TypeError(f"The value for input {variable} should not be a Variable or "
                            f"SymbolicInput instance (got: {value})")
        return In(variable, name=name, value=value, update=update)
    raise TypeError(f"Unknown input type: {type(input)}, expected Variable instance", input)


def orig_function(inputs, outputs, mode=None, accept_inplace=False, name=None, profile=None,
                  on_unused_input=None, output_keys=None):
    """Compile In/Out specifications (Theano's ``orig_function``, what tuple input specs
    of ``theano.function`` use): each input is converted by `convert_function_input`."""
    inputs = [convert_function_input(i) for i in inputs]
    if output_keys is not None and isinstance(outputs, (list, tuple)):
        outputs = OrderedDict(zip(output_keys, outputs))
    return compile_function(inputs, outputs, mode=mode, accept_inplace=accept_inplace,
                            name=name, profile=profile, on_unused_input=on_unused_input)


def _normalise_inputs(inputs, allow_input_downcast=None):
    if inputs is None:
        inputs = []
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            "Input variables of a Theano function should be contained in a list, even when "
            f"there is a single input (got {inputs!r})."
        )
    specs = []
    for k, i in enumerate(inputs):
        spec = i if isinstance(i, SymbolicInput) else None
        if spec is None:
            if isinstance(i, Constant):
                raise TypeError(
                    f"Input {k} ({i}) is a constant: a function input must be a free "
                    "variable. Use In(variable, value=...) for a default value.")
            if not isinstance(i, Variable):
                raise TypeError(f"Unknown input type: {type(i).__name__} ({i!r}), expected "
                                "a Variable or In")
            spec = In(i)
        else:
            # function() fills in fields; the caller's In stays as is.
            spec = copy.copy(spec)
            if not isinstance(spec, In):  # a bare SymbolicInput: In's fields, defaulted
                plain = In(spec.variable, name=spec.name, update=spec.update,
                           mutable=spec.mutable, strict=spec.strict,
                           allow_downcast=spec.allow_downcast, autoname=False,
                           implicit=spec.implicit)
                spec = plain
            value = spec.value
            if isinstance(value, SharedVariable):
                spec.value = value.container
            elif value is not None and not isinstance(value, Container):
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
    input becomes a fresh root variable of its type and name in the compiled graph,
    substituted into every expression with the givens; the In keeps the user's variable
    (``f[y]`` finds it).
    """
    pairs = []
    for spec in in_specs:
        v = spec.variable
        if v.owner is not None:
            fresh = v.type()
            fresh.name = v.name
            pairs.append((v, fresh))
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
        # Theano 1.0.5 sorted the keys (an OrderedDict's too): the call returns them so.
        for k in outputs:
            if not isinstance(k, str):
                raise AssertionError(f"The keys of a dict of outputs must be strings, got "
                                     f"{k!r}")
        keys = sorted(outputs)
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
    # Theano 1.0.5 wanted the very type: a stricter broadcast pattern is refused too.
    raise TypeError(
        f"An update must have the same type as the original shared variable "
        f"(shared_var={target}, shared_var.type={target.type}, update_val={value}, "
        f"update_val.type={value.type}). If the difference is related to the broadcast "
        "pattern, you can call the tensor.unbroadcast(var, axis_to_unbroadcast[, ...]) "
        "function to remove broadcastable dimensions. If it is the dtype, cast the update "
        f"with T.cast(update, '{getattr(target.type, 'dtype', '?')}')."
    )


def _normalise_givens(givens, in_specs, strict=True):
    """Givens as (variable, replacement) pairs with matching types.

    Accepts a dict or any iterable of pairs.  Replacing an explicit input is refused, as
    in Theano: the input would silently stop being used.  A replacement that is not a
    variable becomes a shared variable holding it (Theano's rule).  With `strict` False
    (``rebuild_strict=False``) a replacement of another type is taken as it is, and the
    graph above it is rebuilt with the types it then gets.
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
        shown = None
        if not isinstance(new, Variable):
            shown = repr(new)
            new = shared(new)
        if strict and old.type != new.type:
            converted = old.type.convert_variable(new)
            if converted is None:
                what = f"the value {shown} (a shared variable of type {new.type})" \
                    if shown is not None else f"{new} (of type {new.type})"
                raise TypeError(
                    f"givens: cannot replace {old} (of type {old.type}) by {what}; cast "
                    "or reshape the replacement to match"
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


def _check_no_default_updates(no_default_updates):
    if not isinstance(no_default_updates, (bool, list)):
        raise TypeError("no_default_update should be either a boolean or a list")


def _supervise(fgraph, in_specs, shared_vars):
    """Theano's Supervisor on the graph: the inputs a rewrite must not overwrite, all but
    the explicit ``In(mutable=True)`` ones.  Attached only when some input may be
    overwritten (rewrites that would make an Op in-place on a graph input, such as
    sparse's local_inplace_remove0, read it; without one, no input is theirs).  Theano
    let rewrites overwrite updated shared variables too; here they stay protected, so a
    call that fails leaves every shared value as it was (README, Threads)."""
    mutable = [bool(spec.mutable) for spec in in_specs] + [False] * len(shared_vars)
    if any(mutable):
        fgraph.attach_feature(Supervisor(
            var for var, m in zip(fgraph.inputs, mutable, strict=True) if not m))


@pauses_gc
def compile_function(inputs, outputs=None, mode=None, updates=None, givens=None,
                     no_default_updates=False, accept_inplace=False, name=None,
                     rebuild_strict=True, allow_input_downcast=None, profile=None,
                     on_unused_input=None, output_keys=None):
    """The core of ``theano.function`` / ``pfunc`` / ``orig_function``: a Function
    computing `outputs` from `inputs` (Variables or Ins), see their docstrings."""
    compile_started = time.perf_counter()
    silence_numpy_fp_warnings()  # back in place if a catch_warnings block dropped it
    if name is None:
        name = _default_name()
    _check_no_default_updates(no_default_updates)
    in_specs = _normalise_inputs(inputs, allow_input_downcast)
    out_specs, out_kind, out_keys = _normalise_outputs(outputs)
    update_pairs = _normalise_updates(updates)
    given_pairs = _normalise_givens(givens, in_specs, rebuild_strict)
    # Inputs that are computed variables cut the graph there (after the givens check, so
    # replacing such an input through givens is refused like any input).
    cuts = _cut_at_inputs(in_specs)
    given_pairs += cuts
    cut_of = {id(old): fresh for old, fresh in cuts}
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
        replaced = clone_replace(targets, given_pairs, strict=rebuild_strict)
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
    explicit = [cut_of.get(id(s.variable), s.variable) for s in in_specs]
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
    for var in leaves + needed:
        if isinstance(var.type, NullType):
            # Theano's FunctionGraph refused an undefined gradient in a graph.
            raise TypeError("Computation graph contains a NaN. " + var.type.why_null)
    leaf_ids = {id(v) for v in leaves}
    mode_obj = get_mode(mode)
    policy = on_unused_input or config.on_unused_input
    for k, (spec, var) in enumerate(zip(in_specs, explicit)):
        if id(var) not in leaf_ids and spec.update is None:
            _unused_input(k, spec.variable, policy)
    if missing is not None:
        # After the unused-input check, as in Theano: function([x * 2], x) reports the
        # unused input x * 2 rather than the missing x.
        raise _missing_input_error(missing, needed)
    fgraph = FunctionGraph(explicit + shared_vars, needed, clone=True)
    if not accept_inplace:
        # Theano's std_fgraph: a graph holding an Op that declares destroying an input
        # is compiled only with accept_inplace=True.
        for node in fgraph.apply_nodes:
            if getattr(node.op, "destroy_map", None):
                raise TypeError("Graph must not contain inplace operations", node, node.op)
    _supervise(fgraph, in_specs, shared_vars)
    rewrite_started = time.perf_counter()
    mode_obj.pipeline()(fgraph, mode_obj.excluded)
    rewrite_seconds = time.perf_counter() - rewrite_started
    GLOBAL_STATS.graph_opt_time += rewrite_seconds
    if profile is None:
        profile = config.profile
    if profile is True:
        profile = ProfileStats(message=name or "unnamed function")
    elif isinstance(profile, str):
        profile = ProfileStats(message=profile)
    if profile:
        profile.optimizer_time += rewrite_seconds
    # One In per shared variable (Theano's pfunc): implicit, its container as value.
    updated = dict((id(t), v) for t, v in update_pairs)
    shared_specs = []
    for sv in shared_vars:
        upd = updated.get(id(sv))
        shared_specs.append(In(sv, value=sv.container, update=upd, mutable=upd is not None,
                               borrow=True, shared=True))
    # The checking modes (DebugMode, NanGuardMode, MonitorMode) run the graph node by
    # node through a FunctionMaker of their own (compile/node_eval.py).
    maker_class = mode_obj.maker_class or FunctionMaker
    maker = maker_class(
        fgraph,
        in_specs + shared_specs,
        out_specs,
        n_explicit=len(in_specs),
        shared_vars=shared_vars,
        out_kind=out_kind,
        out_keys=out_keys,
        update_targets=[t for t, _ in update_pairs],
        mode=mode_obj,
        allow_input_downcast=allow_input_downcast,
        backend=backend.current(),
        name=name,
        profile=profile or None,
        accept_inplace=accept_inplace,
        on_unused_input=on_unused_input,
    )
    fn = Function(maker)
    if profile:
        profile.compile_time += time.perf_counter() - compile_started
        profile.nb_nodes = len(fgraph.apply_nodes)
    return fn


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


def compile_for_eval(inputs, output, mode=None, accept_inplace=False):
    """The compiler behind Variable.eval (cached per variable by the graph layer); lower
    layers (gradient.verify_grad, which accepts in-place Ops as Theano's did) compile
    through it too."""
    return compile_function(inputs, output, mode=mode, on_unused_input="ignore",
                            accept_inplace=accept_inplace)


hooks.compile_function.fill(compile_for_eval)

# Names of Theano's module: six shims and the modules of the layers above.
from itertools import chain  # noqa: F401,E402

from .legacy_names import (GOF, GOF_GRAPH, THEANO, iteritems, iterkeys, izip,  # noqa: F401,E402
                           lazy_names, string_types, xrange)

__getattr__, __dir__ = lazy_names(__name__, {"theano": THEANO, "gof": GOF,
                                             "graph": GOF_GRAPH})
