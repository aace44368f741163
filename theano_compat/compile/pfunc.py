"""theano.compile.pfunc: ``pfunc`` (function with shared variables), ``rebuild_collect_shared``
(the graph copy with replacements that pfunc and scan make), and the deprecated ``Param``."""

from __future__ import annotations

import sys
import types
import warnings

from ..config import config  # noqa: F401 - a name of Theano's module
from ..graph.basic import Constant, Variable
from ..graph.shared import SharedVariable, shared
from .function_module import UnusedInputError, compile_function
from .function_module import orig_function  # noqa: F401 - a name of Theano's module
from .io import In, Out
from .profiling import ProfileStats  # noqa: F401 - a name of Theano's module

__all__ = ["pfunc", "rebuild_collect_shared", "Param", "iter_over_pairs"]


def iter_over_pairs(pairs):
    """The (key, value) pairs of a dict, or `pairs` itself (an iterable of pairs)."""
    if isinstance(pairs, dict):
        return pairs.items()
    return pairs


def rebuild_collect_shared(outputs, inputs=None, replace=None, updates=None,
                           rebuild_strict=True, copy_inputs_over=True,
                           no_default_updates=False):
    """Copy the graph of `outputs` with the `replace` pairs substituted, and collect the
    shared variables met and the updates (Theano's ``rebuild_collect_shared``).

    `outputs`: a Variable, an Out, or a list of them; `inputs`: variables kept as they
    are (cloned when not `copy_inputs_over`); `updates`: {shared: expression} or pairs;
    `no_default_updates`: True, False or a list of shared variables whose
    ``default_update`` is not added.  Returns ``(input_variables, cloned_outputs,
    [clone_d, update_d, update_expr, shared_inputs])``: the (maybe cloned) inputs, the
    outputs in the same form as given, {original variable or node: its copy}, {shared
    variable: its update expression}, [(shared variable, update)] in order, and the
    shared variables in the order found.
    """
    if isinstance(outputs, tuple):
        outputs = list(outputs)
    clone_d = {}
    update_d = {}
    update_expr = []
    shared_inputs = []

    def clone_v_get_shared_updates(v, copy_inputs_over):
        # Depth first over owners, on a stack of its own (graphs may be very deep).
        stack = [(v, False)]
        while stack:
            var, ready = stack.pop()
            if var in clone_d:
                continue
            owner = var.owner
            if owner is not None:
                if owner in clone_d:
                    clone_d.setdefault(var, var)
                    continue
                if not ready:
                    stack.append((var, True))
                    stack.extend((i, False) for i in reversed(owner.inputs)
                                 if i not in clone_d)
                    continue
                new_node = owner.clone_with_new_inputs([clone_d[i] for i in owner.inputs],
                                                       strict=rebuild_strict)
                clone_d[owner] = new_node
                for old_o, new_o in zip(owner.outputs, new_node.outputs):
                    clone_d.setdefault(old_o, new_o)
                clone_d.setdefault(var, var)
                continue
            if isinstance(var, SharedVariable):
                if var not in shared_inputs:
                    shared_inputs.append(var)
                default = getattr(var, "default_update", None)
                if default is not None and (
                        no_default_updates is False or
                        (isinstance(no_default_updates, list) and
                         var not in no_default_updates)):
                    if var not in update_d:
                        v_update = var.type.filter_variable(default, allow_convert=False)
                        if v_update.type != var.type:
                            raise TypeError("an update must have the same type as the "
                                            "original shared variable",
                                            (var, var.type, v_update, v_update.type))
                        update_d[var] = v_update
                        update_expr.append((var, v_update))
            if not copy_inputs_over or (isinstance(var, Constant) and
                                        hasattr(var, "fgraph")):
                clone_d.setdefault(var, var.clone())
            else:
                clone_d.setdefault(var, var)
        return clone_d[v]

    if replace is None:
        replace = []
    try:
        replace_pairs = list(replace.items())
    except AttributeError:
        replace_pairs = replace
    for v_orig, v_repl in replace_pairs:
        if not isinstance(v_orig, Variable):
            raise TypeError("given keys must be Variable", v_orig)
        if not isinstance(v_repl, Variable):
            v_repl = shared(v_repl)
        if v_orig in clone_d:
            raise AssertionError(
                "When using 'givens' or 'replace' with several (old_v, new_v) replacement "
                "pairs, you can not have a new_v variable depend on an old_v one. For "
                "instance, givens = {a:b, b:(a+1)} is not allowed. Here, the old_v "
                f"{v_orig} is used to compute other new_v's, but it is scheduled to be "
                f"replaced by {v_repl}.")
        clone_d[v_orig] = clone_v_get_shared_updates(v_repl, copy_inputs_over)

    if inputs is None:
        inputs = []
    input_variables = [clone_d.setdefault(i, i if copy_inputs_over else i.clone())
                       for i in inputs]
    for v in input_variables:
        if isinstance(v, SharedVariable):
            raise TypeError(f"Cannot use a shared variable ({v}) as explicit input. Consider "
                            "substituting a non-shared variable via the `givens` parameter")

    for store_into, update_val in iter_over_pairs(updates or []):
        if not isinstance(store_into, SharedVariable):
            raise TypeError("update target must be a SharedVariable", store_into)
        if store_into in update_d:
            raise ValueError("this shared variable already has an update expression",
                             (store_into, update_d[store_into]))
        try:
            update_val = store_into.type.filter_variable(update_val, allow_convert=False)
        except TypeError:
            raise TypeError(
                "An update must have the same type as the original shared variable "
                f"(shared_var={store_into}, shared_var.type={store_into.type}, "
                f"update_val={update_val}, update_val.type="
                f"{getattr(update_val, 'type', None)}).",
                "If the difference is related to the broadcast pattern, you can call the "
                "tensor.unbroadcast(var, axis_to_unbroadcast[, ...]) function to remove "
                "broadcastable dimensions.") from None
        update_d[store_into] = update_val
        update_expr.append((store_into, update_val))

    if isinstance(outputs, list):
        cloned_outputs = []
        for v in outputs:
            if isinstance(v, Variable):
                cloned_outputs.append(clone_v_get_shared_updates(v, copy_inputs_over))
            elif isinstance(v, Out):
                cloned_outputs.append(Out(clone_v_get_shared_updates(v.variable,
                                                                     copy_inputs_over),
                                          borrow=v.borrow))
            else:
                raise TypeError("Outputs must be theano Variable or Out instances. Received "
                                f"{v} of type {type(v)}")
    elif isinstance(outputs, Variable):
        cloned_outputs = clone_v_get_shared_updates(outputs, copy_inputs_over)
    elif isinstance(outputs, Out):
        cloned_outputs = Out(clone_v_get_shared_updates(outputs.variable, copy_inputs_over),
                             borrow=outputs.borrow)
    elif outputs is None:
        cloned_outputs = []
    else:
        raise TypeError("output must be a theano Variable or Out instance (or list of "
                        "them)", outputs)

    i = 0
    while i < len(update_expr):
        v, v_update = update_expr[i]
        update_d[v] = clone_v_get_shared_updates(v_update, copy_inputs_over)
        if v not in shared_inputs:
            shared_inputs.append(v)
        i += 1
    return input_variables, cloned_outputs, [clone_d, update_d, update_expr, shared_inputs]


class Param(In):
    """Deprecated: ``In(variable, value=default, ...)`` (Theano kept it for old scripts)."""

    __module__ = "theano.compile.pfunc"  # Theano's path: reprs and pickles

    def __init__(self, variable, default=None, name=None, mutable=False, strict=False,
                 allow_downcast=None, implicit=None, borrow=None):
        warnings.warn("The Param class is deprecated. Replace Param(default=N) by "
                      "theano.In(value=N)", stacklevel=2)
        super().__init__(variable, name=name, value=default, mutable=mutable, strict=strict,
                         allow_downcast=allow_downcast, implicit=implicit, borrow=borrow)


def _pfunc_param_to_in(param, strict=False, allow_downcast=None):
    if isinstance(param, Constant):
        raise TypeError("Constants not allowed in param list", param)
    if isinstance(param, Variable):
        return In(variable=param, strict=strict, allow_downcast=allow_downcast)
    if isinstance(param, In):
        return param
    raise TypeError(f"Unknown parameter type: {type(param)}")


def pfunc(params, outputs=None, mode=None, updates=None, givens=None,
          no_default_updates=False, accept_inplace=False, name=None, rebuild_strict=True,
          allow_input_downcast=None, profile=None, on_unused_input=None, output_keys=None):
    """Compile a function of `params` (Variables or Ins, not shared variables) computing
    `outputs`, with the shared variables it reads as implicit inputs (Theano's ``pfunc``).

    `updates`: {shared: expression} or pairs, applied after each call from the values
    before it; `givens`: {variable: replacement} substituted before compiling;
    `no_default_updates`: True, or a list of shared variables whose ``default_update``
    is not applied; the other arguments as for ``theano.function``.
    """
    if not isinstance(params, (list, tuple)):
        raise Exception("in pfunc() the first argument must be a list or a tuple")
    if not isinstance(no_default_updates, (bool, list)):
        raise TypeError("no_default_update should be either a boolean or a list")
    if updates and any(isinstance(v, Variable) for v in iter_over_pairs(updates)):
        raise ValueError("The updates parameter must be an OrderedDict/dict or a list of "
                         "lists/tuples with 2 elements")
    inputs = [_pfunc_param_to_in(p, allow_downcast=allow_input_downcast) for p in params]
    variables = [i.variable for i in inputs]
    for k, v in enumerate(variables):
        for j in range(k + 1, len(variables)):
            if variables[j] is v:
                raise UnusedInputError(
                    f"Variable {v} is used twice in inputs to theano.function, at indices "
                    f"{k} and {j}.  This would result in values provided for it being "
                    "ignored. Please do not duplicate variables in the inputs list.")
    if output_keys is not None and isinstance(outputs, (list, tuple)):
        outputs = dict(zip(output_keys, outputs))
    return compile_function(inputs, outputs, mode=mode, updates=updates, givens=givens,
                            no_default_updates=no_default_updates,
                            accept_inplace=accept_inplace, name=name,
                            rebuild_strict=rebuild_strict,
                            allow_input_downcast=allow_input_downcast, profile=profile,
                            on_unused_input=on_unused_input)


class _CallableModule(types.ModuleType):
    """This module's class: calling it calls `pfunc` (``theano.compile.pfunc`` is the
    function in Theano; should an import bind the module there, it still works)."""

    def __call__(self, *args, **kwargs):
        return pfunc(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

from .legacy_names import iteritems  # noqa: F401,E402 - a name of Theano's module
