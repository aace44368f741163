"""Helpers of the scan API: `until`, `OrderedUpdates`, parsing what a step function
returns, and the guard that names the random-state trap (updates not given to function).
"""

from __future__ import annotations

import warnings
from collections import OrderedDict

from ..errors import MissingInputError
from ..graph.basic import Apply, Variable, clone_replace
from ..graph.op import Op
from ..graph.shared import SharedVariable
from ..tensor import basic as TB


def replace_in(outputs, givens):
    """`outputs` (a list) with the variables of `givens` ({old: new}) replaced, their
    graphs copied where they read a replaced variable; an output that is itself a key of
    `givens` becomes its replacement."""
    if not givens:
        return list(outputs)
    return clone_replace(list(outputs), givens, strict=False)


class until:  # noqa: N801 - Theano's name
    """Stop condition of a scan step: ``return outputs, until(cond)`` ends the loop after
    the step where `cond` (a scalar) is true; outputs keep the steps that ran."""

    __module__ = "theano.scan_module.scan_utils"  # Theano's path (pickles, reprs)

    def __init__(self, condition):
        self.condition = TB.as_tensor_variable(condition)
        if self.condition.type.ndim != 0:
            raise TypeError(
                f"until: the condition must be a scalar, got {self.condition} of type "
                f"{self.condition.type}; reduce it with .any() or .all()"
            )


class OrderedUpdates(OrderedDict):
    """The update dictionary scan returns (Theano's ``theano.updates.OrderedUpdates``).

    Keys must be shared variables.  `update` refuses to change an existing entry to a
    different expression (a collision); ``+`` merges two update dictionaries.  Empty, it
    is falsy, so ``assert not updates`` checks that a scan updates nothing.
    """

    __module__ = "theano.updates"  # Theano's path (pickles, reprs)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in self:
            _check_key(key)

    def __setitem__(self, key, value):
        _check_key(key)
        super().__setitem__(key, value)

    def update(self, other=None, **kwargs):
        if other is None:
            return
        items = other.items() if isinstance(other, dict) else other
        for key, value in items:
            if key in self:
                if self[key] is value or self[key] == value:
                    continue
                raise KeyError("Collision", key)
            self[key] = value

    def __add__(self, other):
        merged = OrderedUpdates()
        merged.update(self)
        merged.update(other)
        return merged

    def __radd__(self, other):
        merged = OrderedUpdates()
        merged.update(other)
        merged.update(self)
        return merged


def _check_key(key):
    if not isinstance(key, SharedVariable):
        raise TypeError("OrderedUpdates keys must inherit from SharedVariable", key)


# ----------------------------------------------------------------------------- step returns

_SHAPES_ALLOWED = (
    "The return value of your scan lambda expression may only be made of lists, tuples, "
    "or dictionaries containing Theano variables (or `theano.scan_module.until` objects "
    "for conditions). In particular if you need to use constant values, you can use "
    "`tensor.constant` to turn them into Theano variables."
)
_ORDER = (
    "The return value of the lambda function has been restricted. you have to always "
    "return first the outputs (if any), afterwards the updates (if any) and at the end the "
    "conclusion"
)


def _only_allowed(x):
    if isinstance(x, (list, tuple)):
        return all(_only_allowed(y) for y in x)
    if isinstance(x, dict):
        return all(_only_allowed(k) and _only_allowed(v) for k, v in x.items())
    return isinstance(x, (Variable, until))


def _is_outputs(x):
    if isinstance(x, Variable):
        return True
    return isinstance(x, (list, tuple)) and all(isinstance(y, Variable) for y in x)


def _is_updates(x):
    if isinstance(x, dict):
        return True
    return isinstance(x, (list, tuple)) and all(
        isinstance(y, (list, tuple)) and len(y) == 2 for y in x)


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def split_step_return(ret):
    """(condition or None, list of outputs, OrderedDict of updates) from what a step
    function returned, accepting the forms Theano 1.0.5 accepted (ValueError otherwise)."""
    if not _only_allowed(ret):
        raise ValueError(_SHAPES_ALLOWED)
    if _is_outputs(ret):
        return None, _as_list(ret), OrderedDict()
    if _is_updates(ret):
        return None, [], OrderedDict(ret)
    cannot = f"Scan cannot parse the return value of your lambda expression, which is: {ret}"
    if not isinstance(ret, (list, tuple)):
        raise ValueError(cannot)
    ret = list(ret)
    if len(ret) == 2:
        first, second = ret
        if _is_outputs(first):
            if _is_updates(second):
                return None, _as_list(first), OrderedDict(second)
            if isinstance(second, until):
                return second.condition, _as_list(first), OrderedDict()
        elif _is_updates(first):
            if _is_outputs(second):
                raise ValueError(_ORDER)
            if isinstance(second, until):
                return second.condition, [], OrderedDict(first)
    elif len(ret) == 3:
        first, second, third = ret
        if _is_outputs(first) and _is_updates(second) and isinstance(third, until):
            return third.condition, _as_list(first), OrderedDict(second)
    raise ValueError(cannot)


# ----------------------------------------------------------------------------- random trap


class ScanUpdateNotGiven(Op):
    """Stands in for the ``default_update`` of a random state advanced inside a scan step.

    Scan's random draws update their state in the updates scan returns.  A function
    compiled without those updates would otherwise fall back on the draw's own
    ``default_update``, built inside the step: Theano 1.0.5 then failed with a
    MissingInputError naming an inner variable, or silently advanced the state by one
    draw made outside the loop.  This node keeps Theano's second behaviour (it passes the
    draw's update through, with a warning naming the case) and turns the first into a
    MissingInputError that says what to do.  The check happens when the function is
    linked, i.e. at compile time.
    """

    __props__ = ("message", "fatal")
    view_map = {0: [0]}  # passes its input through (DebugMode checks the declaration)

    def __init__(self, message, fatal):
        self.message = message
        self.fatal = fatal

    def make_node(self, state):
        return Apply(self, [state], [state.type()])

    def runner(self, node, xp):
        if self.fatal:
            raise MissingInputError(self.message)
        warnings.warn(self.message, stacklevel=2)
        return _identity

    def impl(self, xp, state):
        return self.runner(None, xp)(state)

    def do_constant_folding(self, node):
        return False

    def L_op(self, inputs, outputs, output_grads):
        return list(output_grads)

    def __str__(self):
        return "ScanUpdateNotGiven"


def _identity(x):
    return x


def guard_random_state(shared_var, original_update, depends_on_step, scan_name):
    """Replace the ``default_update`` of `shared_var`, whose update a scan now carries,
    by a `ScanUpdateNotGiven` node (see that class)."""
    where = f"scan {scan_name!r}" if scan_name else "a scan"
    base = (
        f"The random state {shared_var} is advanced inside the step function of {where}, "
        "but the updates that scan returned were not passed to theano.function"
    )
    if depends_on_step:
        message = (
            base + ", so the state cannot be advanced: its draw needs values that exist only "
            "inside the loop. Pass them: `outputs, updates = theano.scan(...)` then "
            "`theano.function(inputs, outputs, updates=updates)` (or merge them into your "
            "own updates), or use no_default_updates=True to leave the state unchanged."
        )
        shared_var.default_update = ScanUpdateNotGiven(message, True)(shared_var)
    else:
        message = (
            base + ". As in Theano 1.0.5, the state is advanced by one draw made outside the "
            "loop, not by the draws of the loop, so each call repeats related numbers. Pass "
            "`updates=updates` (the second value scan returned) to theano.function."
        )
        shared_var.default_update = ScanUpdateNotGiven(message, False)(original_update)


def is_guard(var):
    """Whether `var` is a `ScanUpdateNotGiven` stand-in."""
    return var is not None and var.owner is not None and isinstance(var.owner.op,
                                                                    ScanUpdateNotGiven)
