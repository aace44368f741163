"""NanGuardMode: stop at the first NaN, infinity or huge value (theano.compile.nanguardmode).

Every graph input (explicit inputs, shared values, constants) is checked when a call
starts and every node's outputs right after the node ran, so the error names the node
that produced the bad value and the line of user code that built it.  What counts as
an error: NaN (``nan_is_error``), +-inf (``inf_is_error``), an absolute value above
1e10 (``big_is_error``); NaN and inf are looked for in float and complex values only.
The defaults come from the ``NanGuardMode.*`` flags, and ``NanGuardMode.action`` says
whether to raise AssertionError (Theano's choice), log the message, or open pdb.  A
variable whose ``tag.nan_guard_mode_check`` is False is not checked.  As with any
failed call, shared variables keep their values.
"""

from __future__ import annotations

import logging
import pdb
from collections.abc import ValuesView
from io import StringIO  # noqa: F401 - a name of Theano's module

import numpy as np

from .. import tensor as T
from ..config import config
from .function_module import compile_function
from .mode import Mode, get_mode, register_mode_factory
from .node_eval import (
    EvalFunctionMaker,
    NodeChecks,
    graph_text,
    node_text,
    value_summary,
    value_text,
    where_built,
)

logger = logging.getLogger("theano.compile.nanguardmode")

# Theano's flag for its pygpu back-end; device arrays here are CuPy's (backend/).
pygpu_available = False


def flatten(l):  # noqa: E741 - Theano's signature
    """A nested structure of lists and tuples as one flat list (anything else: [it])."""
    if not isinstance(l, (list, tuple, ValuesView)):
        return [l]
    out = []
    for elem in l:
        if isinstance(elem, (list, tuple)):
            out.extend(flatten(elem))
        else:
            out.append(elem)
    return out


def f_compute(op):
    """A function computing the reduction `op` (``T.min``...) of an array's elements with
    a compiled function, one per dtype (Theano's helper for its GPU arrays)."""

    def result(inp):
        key = str(inp.dtype)
        f = result.cache.get(key)
        if f is None:
            guard_in = T.TensorType(key, (False,))()
            f = result.cache[key] = compile_function([guard_in], op(guard_in),
                                                     mode=get_mode("FAST_RUN"))
        return f(inp.reshape(inp.size))

    result.cache = {}
    return result


f_gpua_min = f_compute(T.min)
f_gpua_max = f_compute(T.max)
f_gpua_absmax = f_compute(lambda x: T.max(T.abs_(x)))

BIG = 1e10


def _is_numeric_value(arr, var=None):
    """Whether `arr` is an array of numbers with at least one element."""
    if var is not None and getattr(var.tag, "is_rng", False):
        return False
    if arr is None or not hasattr(arr, "dtype") or not hasattr(arr, "size"):
        return False
    return arr.size > 0 and arr.dtype.kind in "biufc"


def contains_nan(arr, node=None, var=None):
    """Whether the float or complex array `arr` holds a NaN (integers never do)."""
    if not _is_numeric_value(arr, var) or arr.dtype.kind not in "fc":
        return False
    return bool(np.isnan(np.min(arr))) if arr.dtype.kind == "f" else \
        bool(np.isnan(arr).any())


def contains_inf(arr, node=None, var=None):
    """Whether the float or complex array `arr` holds +-inf."""
    if not _is_numeric_value(arr, var) or arr.dtype.kind not in "fc":
        return False
    return bool(np.isinf(arr).any())


def contains_big(arr, node=None, var=None):
    """Whether some element of `arr` is above 1e10 in absolute value (Theano's limit)."""
    if not _is_numeric_value(arr, var) or arr.dtype.kind == "b":
        return False
    # A NaN makes the maximum NaN, so an array holding NaN is never "big" (as in Theano:
    # its message for [nan, -inf] says NaN and Inf, not Big); inf is big.
    with np.errstate(all="ignore"):
        data = arr if arr.dtype.kind in "fc" else arr.astype(np.float64)
        return bool(np.max(np.abs(data)) > BIG)


class _NanGuardChecks(NodeChecks):
    def __init__(self, mode):
        self.mode = mode

    def start(self, ev, storage):
        for k, var in enumerate(ev.inputs):
            self._check(ev, storage[var], var, None, f"input {k} of the function: {var}")
        for var in ev.constants:
            self._check(ev, storage[var], var, None, f"the constant {var}")

    def run_node(self, ev, position, node, inputs):
        outs = ev.compute(node, inputs)
        for var, value in zip(node.outputs, outs):
            self._check(ev, value, var, (position, node, inputs), None)
        return outs

    def _check(self, ev, value, var, produced, what):
        if not getattr(var.tag, "nan_guard_mode_check", True) or not _is_numeric_value(value):
            return
        value = _host(value)
        problems = []
        mode = self.mode
        if mode.nan_is_error and contains_nan(value, var=var):
            problems.append("NaN detected")
        if mode.inf_is_error and contains_inf(value, var=var):
            problems.append("Inf detected")
        if mode.big_is_error and contains_big(value, var=var):
            problems.append("Big value detected")
        if problems:
            _report(problems, ev, var, value, produced, what)


def _host(value):
    get = getattr(value, "get", None)  # a CuPy array
    return get() if callable(get) and not isinstance(value, np.ndarray) else value


def _report(problems, ev, var, value, produced, what):
    lines = list(problems)
    if produced is not None:
        position, node, inputs = produced
        lines.append("NanGuardMode found an error in the output of a node in this variable:")
        lines.append(graph_text(var))
        lines.append("")
        lines.append(f"Apply node that caused the error: {node_text(node)}")
        lines.append(f"Toposort index: {position} (of {len(ev.nodes)} in {ev.name})")
        lines.append(f"Inputs types: [{', '.join(str(i.type) for i in node.inputs)}]")
        lines.append(f"Inputs shapes/dtypes: {'; '.join(value_summary(v) for v in inputs)}")
        lines.append(f"Inputs values: [{', '.join(value_text(v) for v in inputs)}]")
        lines.append(f"Output value: {value_text(value)}")
        lines.append(f"The node was {where_built(node)}")
    else:
        lines.append("NanGuardMode found an error in an input of the graph.")
        lines.append(f"The value of {what} ({var.type}) is {value_text(value)}")
    msg = "\n".join(lines)
    action = config.NanGuardMode.action
    if action == "raise":
        raise AssertionError(msg)
    if action == "pdb":
        print(msg)
        pdb.set_trace()
    else:  # "warn"
        logger.error(msg)


class NanGuardMode(Mode):
    """A mode that checks every node's outputs for NaN, inf and big values.

    ``NanGuardMode(nan_is_error=None, inf_is_error=None, big_is_error=None,
    optimizer='default', linker=None)``: None takes the ``NanGuardMode.*`` flag; at least
    one check must be on (AssertionError otherwise, as in Theano).  The graph runs node by
    node (compile/node_eval.py); `linker` must be None.
    """

    __module__ = "theano.compile.nanguardmode"  # Theano's path: reprs and pickles

    maker_class = EvalFunctionMaker

    def __init__(self, nan_is_error=None, inf_is_error=None, big_is_error=None,
                 optimizer="default", linker=None):
        if linker is not None:
            raise ValueError("NanGuardMode can only use its own linker: pass linker=None")
        self.nan_is_error = (config.NanGuardMode.nan_is_error if nan_is_error is None
                             else bool(nan_is_error))
        self.inf_is_error = (config.NanGuardMode.inf_is_error if inf_is_error is None
                             else bool(inf_is_error))
        self.big_is_error = (config.NanGuardMode.big_is_error if big_is_error is None
                             else bool(big_is_error))
        if not (self.nan_is_error or self.inf_is_error or self.big_is_error):
            raise AssertionError(
                "NanGuardMode needs at least one of nan_is_error, inf_is_error and "
                "big_is_error to be True"
            )
        super().__init__(linker=None, optimizer=optimizer)

    def node_checks(self, fgraph):
        return _NanGuardChecks(self)


# theano.function(mode="NanGuardMode") and THEANO_FLAGS=mode=NanGuardMode: every check on,
# the optimizer from config.optimizer (Theano's get_mode).
register_mode_factory("NanGuardMode", lambda: NanGuardMode(True, True, True,
                                                           optimizer=config.optimizer))

from .legacy_names import THEANO, lazy_names  # noqa: E402

# GpuArrayType: Theano's libgpuarray type (the facade theano.gpuarray.type).
__getattr__, __dir__ = lazy_names(__name__, {
    "theano": THEANO, "GpuArrayType": ("theano_compat.gpuarray", "GpuArrayType")})
