"""Symbolic differentiation: a reverse sweep over the graph calling each Op's L_op.

``grad`` walks the Apply nodes between `wrt` and `cost` in reverse topological order,
sums the gradient terms each variable receives, and propagates disconnected and
undefined (NullType) gradients the way Theano 1.0.5 did.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import builtins  # noqa: F401 - this import and the next: names of Theano's module
import logging  # noqa: F401
import sys as _sys
import time  # noqa: F401
import warnings
from collections import OrderedDict  # noqa: F401
from functools import reduce  # noqa: F401

import numpy as np

from . import hooks, tensor  # noqa: F401
from .config import config
from .errors import MethodNotDefined
from .graph.basic import Constant, Variable, graph_inputs, io_toposort
from .graph.null import (  # noqa: F401 - re-exported Theano names
    DisconnectedType,
    GradUndefinedError,
    NullType,
    disconnected_type,
    grad_not_implemented,
    grad_undefined,
    is_disconnected,
    is_null,
)
from .graph.op import Op
from .gradient_check import (  # noqa: F401 - Theano's theano.gradient names
    GradientError,
    mode_not_slow,
    numeric_grad,
    verify_grad,
)
from .scalar import dtypes as D
from .tensor import basic as TB
from .tensor import gradient_ops as _gradient_ops
from .tensor.construct import Join as _Join
from .tensor.elemwise import Elemwise as _Elemwise
from .tensor.math import Argmax as _Argmax
from .tensor.shapes import Shape as _Shape
from .tensor.shapes import Shape_i as _Shape_i
from .tensor.subtensor import BaseIncSubtensor as _BaseIncSubtensor
from .tensor.type import TensorType
from .utils import defined_here


class NoGradientError(MethodNotDefined, AttributeError):
    """`grad` met an Op that defines neither ``grad`` nor ``L_op``.

    Theano 1.0.5 failed there with AttributeError (the Op had no ``grad`` attribute), so
    code written for it catches AttributeError; the message here names the Op and node.
    """


class DisconnectedInputError(ValueError):
    """The cost does not depend on a variable whose gradient was asked for."""

    __module__ = "theano.gradient"  # Theano's path: reprs and pickles


class NullTypeGradError(TypeError):
    """A gradient on the path to a requested variable is undefined (NullType)."""

    __module__ = "theano.gradient"  # Theano's path: reprs and pickles


def _as_list(x):
    if isinstance(x, (list, tuple)):
        return list(x), True
    return [x], False


def _ones_like_cost(cost):
    dtype = cost.type.dtype if cost.type.dtype in D.float_dtypes else config.floatX
    return TB.ones_like(cost, dtype=dtype)


def _depends_on(nodes, wrt, blockers):
    """The set of variables (by id) whose value depends on some variable of `wrt`.

    Dependence does not pass through a blocker (a `consider_constant` variable); a blocker
    still counts when it is itself one of `wrt`.
    """
    dep = {id(w) for w in wrt}
    for node in nodes:
        if any(id(i) in dep for i in node.inputs):
            for o in node.outputs:
                if id(o) not in blockers:
                    dep.add(id(o))
    return dep


def _sum_terms(terms):
    """The sum of gradient terms; an undefined (NullType) term makes the sum undefined."""
    nulls = [t for t in terms if is_null(t)]
    if nulls:
        return nulls[0]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _connection(node):
    pattern = getattr(node.op, "connection_pattern", None)
    if pattern is None:
        return [[True] * len(node.outputs) for _ in node.inputs]
    return pattern(node)


def _float_zeros_like(v):
    """Zeros like tensor `v` in a float dtype (floatX for integer variables), as Theano."""
    dtype = v.type.dtype if v.type.dtype in D.float_dtypes else config.floatX
    return TB.zeros_like(v, dtype=dtype)


def _backprop(roots, wrt, consider_constant):
    """Reverse sweep. `roots` maps variables to their (seed) gradients.

    A root's gradient is fixed: as in Theano, a variable given in `known_grads` gets
    exactly that gradient, and terms reaching it from later in the graph are ignored.
    Returns a dict id(variable) -> list of gradient terms for every variable reached.
    """
    # Theano's consider_constant: a blocker receives its gradient (it can be a wrt) but
    # passes nothing on to the variables it was computed from.
    blockers = {id(v) for v in consider_constant or ()}
    root_ids = {id(v) for v in roots}
    outs = list(roots)
    nodes = io_toposort(graph_inputs(outs), outs)
    dep = _depends_on(nodes, wrt, blockers)
    terms = {id(v): [g] for v, g in roots.items()}
    for node in reversed(nodes):
        if not any(id(i) in dep for i in node.inputs):
            continue
        ograds = []
        for o in node.outputs:
            got = None if id(o) in blockers else terms.get(id(o))
            ograds.append(_sum_terms(got) if got else None)
        if all(g is None or is_disconnected(g) for g in ograds):
            continue
        for k, (o, g) in enumerate(zip(node.outputs, ograds)):
            if g is None or is_disconnected(g):
                # Theano 1.0.5's contract: an output the cost does not depend on gets a
                # DisconnectedType gradient (multi-output ops test for it).
                ograds[k] = disconnected_type()
            elif (isinstance(o.type, TensorType) and not is_null(g)
                  and o.type.dtype in D.float_dtypes and g.type.dtype != o.type.dtype):
                ograds[k] = TB.cast(g, o.type.dtype)
        nan = [is_null(g) for g in ograds]
        only_nan = None
        if any(nan):
            # As Theano 1.0.5: an input that reaches the cost only through outputs with
            # an undefined (NullType) gradient gets that gradient; the Op's grad is called
            # when some input is also connected through a defined one (connection_pattern).
            null = ograds[nan.index(True)]
            live = [not is_disconnected(g) for g in ograds]
            rows = _connection(node)
            only_nan = [not any(c and lv and not n for c, lv, n in zip(row, live, nan))
                        for row in rows]
            reached = [any(c and lv for c, lv in zip(row, live)) for row in rows]
        if only_nan is not None and all(only_nan):
            igrads = [null if r else disconnected_type() for r in reached]
        else:
            op_class = type(node.op)
            if op_class.L_op is Op.L_op and op_class.grad is Op.grad:
                raise NoGradientError(
                    f"{node.op} (class {op_class.__name__}) has no gradient, which grad needs "
                    f"to differentiate through {node}: define grad(inputs, output_grads) or "
                    "L_op(inputs, outputs, output_grads) on the op, or wrap its output in "
                    "theano.gradient.disconnected_grad if no gradient should flow."
                )
            igrads = node.op.L_op(list(node.inputs), list(node.outputs), ograds)
            if only_nan is not None and igrads is not None:
                igrads = [null if o and r else gi
                          for gi, o, r in zip(igrads, only_nan, reached)] + list(
                    igrads[len(only_nan):])
        if len(igrads) != len(node.inputs):
            raise ValueError(
                f"{node.op}.grad returned {len(igrads)} gradients for {len(node.inputs)} inputs"
            )
        conn = _connection(node)
        for inp, gi, c in zip(node.inputs, igrads, conn):
            if id(inp) not in dep or gi is None or not any(c) or id(inp) in root_ids:
                continue
            if is_disconnected(gi):
                continue
            if not isinstance(gi, Variable):
                gi = TB.as_tensor_variable(gi)
            if (not is_null(gi) and getattr(inp.type, "ndim", None) is not None
                    and getattr(gi.type, "ndim", None) is not None
                    and gi.type.ndim != inp.type.ndim):
                raise ValueError(f"{node.op}.grad returned a term with {gi.type.ndim} "
                                 f"dimensions, but {inp.type.ndim} are required.")
            if (isinstance(gi.type, TensorType) and gi.type.dtype in D.discrete_dtypes
                    and not is_null(gi)):
                raise TypeError(
                    f"{node.op}.grad illegally returned an integer-valued variable "
                    f"(input {inp}, dtype {gi.type.dtype})"
                )
            terms.setdefault(id(inp), []).append(gi)
    return terms


def grad(cost, wrt, consider_constant=None, disconnected_inputs="raise", add_names=True,
         known_grads=None, return_disconnected="zero", null_gradients="raise"):
    """Gradient of the scalar `cost` with respect to `wrt` (a variable or a list).

    Parameters follow Theano 1.0.5: `consider_constant` variables are not differentiated
    through; `known_grads` seeds gradients of intermediate variables; disconnected inputs
    raise, warn or are ignored; `return_disconnected` chooses zeros, None or a
    DisconnectedType variable for them; undefined gradients raise unless
    ``null_gradients='return'``.
    """
    if cost is None and not known_grads:
        raise AssertionError("cost and known_grads can't both be None.")
    if cost is not None:
        if not isinstance(cost, Variable):
            raise TypeError(f"cost must be a symbolic variable, got {cost!r} of type "
                            f"{type(cost).__name__}")
        if isinstance(cost.type, NullType):
            raise ValueError("Can't differentiate a NaN cost: cost is NaN because "
                             + cost.type.why_null)
        if cost.type.ndim != 0:
            raise TypeError(
                f"cost must be a scalar. Got {cost} of type {cost.type} ({cost.type.ndim} "
                "dimensions): reduce it with .sum() or .mean(), or use theano.gradient."
                "jacobian for the gradient of each element"
            )
    wrt_list, was_list = _as_list(wrt)
    for w in wrt_list:
        if not isinstance(w, Variable):
            raise TypeError(
                f"Expected Variable, got {w} of type {type(w).__name__}: grad needs symbolic "
                "variables as wrt"
            )
    for c in consider_constant or ():
        if not isinstance(c, Variable):
            raise TypeError(
                f"Elements of consider_constant must be variables, but got {type(c)} ({c!r})"
            )
    roots = {}
    if cost is not None:
        roots[cost] = _ones_like_cost(cost)
    for var, g in (known_grads or {}).items():
        # A known gradient replaces what the cost would send to `var` (Theano 1.0.5).
        # Theano 1.0.5 took a gradient of fewer dimensions (a 0-d one broadcasts over
        # `var`); one of more dimensions failed (ValueError) at the Op it reached.
        g = g if isinstance(g, Variable) else TB.as_tensor_variable(g)
        if (isinstance(var.type, TensorType) and isinstance(g.type, TensorType)
                and g.type.ndim > var.type.ndim):
            raise ValueError(
                f"known_grads: the gradient given for {var} has {g.type.ndim} dimensions, but "
                f"{var} has {var.type.ndim} (its type is {var.type})"
            )
        roots[var] = g
    terms = _backprop(roots, wrt_list, consider_constant)
    results = []
    for w in wrt_list:
        got = terms.get(id(w))
        if not got:
            results.append(_disconnected(w, disconnected_inputs, return_disconnected))
            continue
        g = _sum_terms(got)
        if is_null(g):
            if null_gradients == "raise":
                raise NullTypeGradError(
                    f"tensor.grad encountered a NaN. {g.type.why_null}\n(while computing the "
                    f"gradient with respect to {w}; pass null_gradients='return' to get the "
                    "NullType variable instead)"
                )
            results.append(g)
            continue
        if isinstance(w.type, TensorType) and not is_disconnected(g):
            if w.type.dtype in D.discrete_dtypes:
                # Theano 1.0.5 keeps the (float) gradient reaching an integer variable:
                # grad((x * i).sum(), i) is x.  Ops with integer outputs send zeros.
                if g.type.dtype not in D.float_dtypes:
                    g = _float_zeros_like(w)
            elif g.type.dtype != w.type.dtype:
                g = TB.cast(g, w.type.dtype)
            if g.type.broadcastable != w.type.broadcastable and g.type.ndim == w.type.ndim:
                g = TB.patternbroadcast(g, w.type.broadcastable)
        if add_names and cost is not None and cost.name and w.name and g.name is None:
            g.name = f"(d{cost.name}/d{w.name})"
        results.append(g)
    return results if was_list else results[0]


def _disconnected(w, mode, return_disconnected):
    msg = (
        "grad method was asked to compute the gradient with respect to a variable that is "
        "not part of the computational graph of the cost, or is used only by a "
        f"non-differentiable operator: {w}"
    )
    if mode == "raise":
        raise DisconnectedInputError(msg)
    if mode == "warn":
        warnings.warn(msg, stacklevel=3)
    elif mode != "ignore":
        raise ValueError(f"Invalid value for keyword 'disconnected_inputs', valid values are "
                         f"'ignore', 'warn' and 'raise'; got {mode!r}")
    if return_disconnected == "zero":
        return _float_zeros_like(w) if isinstance(w.type, TensorType) else disconnected_type()
    if return_disconnected == "None":
        return None
    if return_disconnected == "Disconnected":
        return disconnected_type()
    raise ValueError("Invalid value for keyword 'return_disconnected', valid values are "
                     "'zero', 'None' and 'Disconnected'.")


def Lop(f, wrt, eval_points, consider_constant=None, disconnected_inputs="raise"):
    """Vector-Jacobian product: sum over f of eval_points * df/dwrt."""
    f_list, _ = _as_list(f)
    e_list, _ = _as_list(eval_points)
    wrt_list, was_list = _as_list(wrt)
    known = dict(zip(f_list, [TB.as_tensor_variable(e) for e in e_list]))
    out = grad(None, wrt_list, consider_constant=consider_constant,
               disconnected_inputs=disconnected_inputs, known_grads=known)
    return out if was_list else out[0]


def Rop(f, wrt, eval_points, disconnected_outputs="raise", return_disconnected="zero"):
    """Jacobian-vector product: df/dwrt * eval_points, by forward propagation of R_op.

    The `wrt` variables are the leaves of the propagation (what they are computed from is
    not looked at).  As in Theano 1.0.5, an output that is a graph input other than wrt,
    or that is computed only through operations without an R_op (a shape, an argmax, a
    user Op whose R_op gives None) is disconnected: it raises DisconnectedInputError,
    warns or is ignored (`disconnected_outputs`), its result being zeros, None or a
    DisconnectedType variable (`return_disconnected`); an argmax that is not over one
    axis, 0 or 1, of a matrix raises ValueError (the R_op of Theano's MaxAndArgmax).
    """
    f_list, f_was_list = _as_list(f)
    wrt_list, _ = _as_list(wrt)
    e_list, _ = _as_list(eval_points)
    if len(wrt_list) != len(e_list):
        raise ValueError("`wrt` must be the same length as `eval_points`.")
    tangent = {}
    for w, e in zip(wrt_list, e_list):
        e = TB.as_tensor_variable(e)
        if isinstance(w.type, TensorType) and e.type.ndim != w.type.ndim:
            raise ValueError(
                f"Element {w} of wrt and eval_point {e} have mismatched dimensionality: "
                f"{w.type.ndim} versus {e.type.ndim}"
            )
        tangent[id(w)] = e
    # A variable's entry: its tangent (a Variable), absent when it is zero (the variable
    # does not depend on wrt), or _CUT where Theano's R_op gave None (the shape of a
    # tensor, an argmax, and what is computed from them only): Theano reported such an
    # output as disconnected.
    nodes = io_toposort(wrt_list, f_list)
    for node in nodes:
        states = [tangent.get(id(i)) for i in node.inputs]
        if isinstance(node.op, (_Shape, _Shape_i)):
            _mark_cut(tangent, node)
            continue
        if isinstance(node.op, _Argmax):
            if states[0] is not _CUT:
                _check_argmax_rop(node)
            _mark_cut(tangent, node)
            continue
        if isinstance(node.op, (_BaseIncSubtensor, _Join)) and any(
                s is _CUT for s in states):
            # Theano's R_op of (set/inc)_subtensor and join gave None when the eval point
            # of a tensor input was None (an input reached through an op with no R_op).
            _mark_cut(tangent, node)
            continue
        evs = [s if isinstance(s, Variable) else None for s in states]
        if all(e is None for e in evs):
            # Theano called R_op on every node, with zero eval points where the inputs do
            # not depend on wrt: a user Op's R_op giving None there cuts (this project's
            # Ops give zeros, but for the shape and argmax handled above).
            if any(s is _CUT for s in states) or _user_r_op(node.op):
                _propagate_cut(tangent, node, states)
            continue
        if all(isinstance(o.type, TensorType) and o.type.dtype in D.discrete_dtypes
               for o in node.outputs):
            continue  # integer outputs (comparisons, casts...): a zero tangent
        if type(node.op).R_op is Op.R_op:
            raise NotImplementedError(
                f"{node.op} of class {type(node.op).__name__} does not implement R_op, which "
                f"Rop needs to go through it (node {node}). Define R_op(inputs, eval_points) "
                "on the op, or compute the product with Lop/grad instead."
            )
        # Theano 1.0.5 gives the graph inputs that are not in wrt a zero eval point, so
        # the result refers to them: the tutorial's Rop(dot(x, W), W, V) uses x.
        evs = [TB.zeros_like(i) if e is None and i.owner is None and not isinstance(i, Constant)
               and isinstance(i.type, TensorType) else e for i, e in zip(node.inputs, evs)]
        outs = node.op.R_op(list(node.inputs), evs)
        user = _user_r_op(node.op)
        for o, r in zip(node.outputs, outs):
            if id(o) not in tangent and (r is not None or user):
                tangent[id(o)] = _CUT if r is None else r
    zero_dtype = D.upcast(config.floatX, *[TB.as_tensor_variable(e).type.dtype
                                           for e in e_list])
    results = []
    for out in f_list:
        r = tangent.get(id(out))
        if r is None and out.owner is not None and isinstance(out.type, TensorType):
            # Theano 1.0.5 propagated zero eval points through every node, so a computed
            # output unrelated to wrt has a zero tangent (only graph inputs count as
            # disconnected); an integer output's is a float zero, as Theano's Elemwise gave.
            if out.type.dtype in D.discrete_dtypes:
                r = TB.zeros_like(out, dtype=zero_dtype)
            else:
                r = TB.zeros_like(out)
        if r is None or r is _CUT:
            if r is _CUT:
                msg = (f"Rop: the output {out} is computed through non-differentiable "
                       "operations only (a shape, an argmax...), which have no R_op: it is "
                       "disconnected from wrt, as in Theano")
            else:
                msg = (f"Rop: the output {out} does not depend on any of the wrt variables "
                       f"({', '.join(str(w) for w in wrt_list)})")
            if disconnected_outputs == "raise":
                raise DisconnectedInputError(msg)
            if disconnected_outputs == "warn":
                warnings.warn(msg, stacklevel=2)
            elif disconnected_outputs != "ignore":
                raise ValueError("Invalid value for keyword 'disconnected_outputs', valid "
                                 f"values are 'ignore', 'warn' and 'raise'; got "
                                 f"{disconnected_outputs!r}")
            if return_disconnected.lower() == "zero":
                r = TB.zeros_like(out)
            elif return_disconnected.lower() == "none":
                r = None
            elif return_disconnected.lower() == "disconnected":
                r = disconnected_type()
            else:
                raise ValueError("Invalid value for keyword 'return_disconnected', valid "
                                 "values are 'zero', 'None' and 'Disconnected'.")
        results.append(r)
    if isinstance(f, tuple):
        return tuple(results)
    return results if f_was_list else results[0]


class _Cut:
    """Marker of a variable whose R_op Theano 1.0.5 found None (see `Rop`)."""

    def __repr__(self):
        return "<no R_op: non-differentiable path>"


_CUT = _Cut()


def _mark_cut(tangent, node):
    for o in node.outputs:
        tangent.setdefault(id(o), _CUT)


def _check_argmax_rop(node):
    """The R_op of Theano 1.0.5's MaxAndArgmax (argmax is one of its outputs) took one
    axis, 0 or 1, of a matrix, and raised ValueError otherwise."""
    x = node.inputs[0]
    axis = node.op.axis
    axes = tuple(range(x.type.ndim)) if axis is None else tuple(axis)
    if len(axes) != 1:
        raise ValueError("R_op supported for arg_max only for one axis!")
    if axes[0] > 1:
        raise ValueError("R_op supported for arg_max only when  axis is 0 or 1")
    if x.type.ndim != 2:
        raise ValueError("R_op supported for arg_max only when  input is a matrix")


def _user_r_op(op):
    """Whether `op` has an R_op written outside this package (a user's Op)."""
    r_op = getattr(type(op), "R_op", None)
    return (r_op is not None and r_op is not Op.R_op
            and not defined_here(r_op))


def _propagate_cut(tangent, node, states):
    """A node reached only by cut paths (and zeros): Theano called its R_op with None for
    the cut inputs and zeros for the others; an output for which that gives None is cut,
    the others have a zero tangent (R_op is linear in the eval points)."""
    if type(node.op).R_op is Op.R_op:
        _mark_cut(tangent, node)
        return
    if isinstance(node.op, _Elemwise):
        # Theano's Elemwise.R_op summed (partial derivative) * (eval point) over the inputs
        # that have an eval point: None only when every input is cut.
        if all(s is _CUT for s in states):
            _mark_cut(tangent, node)
        return
    evs = [None if s is _CUT else (TB.zeros_like(i) if isinstance(i.type, TensorType) else None)
           for i, s in zip(node.inputs, states)]
    try:
        outs = node.op.R_op(list(node.inputs), evs)
    except NotImplementedError:
        outs = [None] * len(node.outputs)
    for o, r in zip(node.outputs, outs):
        if r is None:
            tangent.setdefault(id(o), _CUT)


def subgraph_grad(wrt, end, start=None, cost=None, details=False):
    """Gradients of a sub-graph, for differentiating a graph piece by piece (Theano's API).

    Back-propagates from `cost` and/or the `start` dict (variable -> known gradient) down to
    the `end` variables, which are treated as constants (they receive their gradient but
    pass nothing further).  Returns ``(wrt_grads, end_grads)``, plus the gradients from
    `start` and from `cost` alone when `details` is true, each a list over ``wrt + end``
    (duplicates removed).  Disconnected inputs are ignored.

    Deliberate differences from Theano 1.0.5, whose `details` lists were ordered by a set
    (arbitrary) and whose start list was overwritten with the total: here the order is
    ``wrt + end`` and each list holds what its name says.
    """
    if cost is None and start is None:
        raise AssertionError("subgraph_grad needs a cost, a start dict of known gradients, "
                             "or both")
    if not isinstance(end, list) or not isinstance(wrt, list):
        raise TypeError("subgraph_grad: `wrt` and `end` must be lists of variables")
    if start is not None and not isinstance(start, dict):
        raise TypeError("subgraph_grad: `start` must be a dict mapping variables to gradients")
    params = list(dict.fromkeys(wrt + end))
    start_grads = cost_grads = None
    if start is not None:
        start_grads = grad(None, params, known_grads=start, consider_constant=end,
                           disconnected_inputs="ignore")
    if cost is not None:
        cost_grads = grad(cost, params, consider_constant=end, disconnected_inputs="ignore")
    if start_grads is None:
        grads = cost_grads
    elif cost_grads is None:
        grads = list(start_grads)
    else:
        grads = [a + b for a, b in zip(start_grads, cost_grads)]
    by_param = dict(zip(params, grads))
    wrt_grads = [by_param[v] for v in wrt]
    end_grads = [by_param[v] for v in end]
    if details:
        return wrt_grads, end_grads, start_grads, cost_grads
    return wrt_grads, end_grads


def format_as(use_list, use_tuple, outputs):
    """`outputs` as a list, a tuple or a single value (how the caller passed `wrt`)."""
    if use_list and use_tuple:
        raise ValueError("format_as: use_list and use_tuple are exclusive")
    if use_list or use_tuple:
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        return tuple(outputs) if use_tuple else outputs
    if isinstance(outputs, (list, tuple)):
        if len(outputs) != 1:
            raise ValueError(f"format_as: expected one output, got {len(outputs)}")
        return outputs[0]
    return outputs


def jacobian(expression, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Jacobian of the vector `expression` with respect to `wrt` (a variable or a list).

    The result for a wrt of shape S has shape (len(expression),) + S; row i is the gradient
    of expression[i].  A scalar expression gives its gradient.  The result is a variable,
    a list or a tuple, as `wrt` is.  `consider_constant` and `disconnected_inputs` are
    passed to `grad` for each row.

    As in Theano 1.0.5, the rows are computed by a loop at run time: a Scan over
    ``arange(len(expression))``, built by the loop layer above this one
    (``hooks.map_over_index``), which computes the work common to all rows once, before
    the loop.
    """
    expression = TB.as_tensor_variable(expression)
    use_tuple = isinstance(wrt, tuple)
    wrt_list, use_list = _as_list(wrt)
    use_list = use_list and not use_tuple
    if expression.type.ndim == 0:
        return format_as(use_list, use_tuple, grad(
            expression, wrt_list, consider_constant=consider_constant,
            disconnected_inputs=disconnected_inputs))
    if expression.type.ndim != 1:
        raise AssertionError(
            "tensor.jacobian expects a 1 dimensional variable as `expression`. If not use "
            f"flatten to make it a vector (got {expression} with {expression.type.ndim} "
            "dimensions)"
        )
    # Row i is grad(expression[i]); the graph is written once, over a symbolic index.
    index = TensorType("int64", ())("jacobian_row")
    if config.compute_test_value != "off":
        # Theano's scan gave its index the test value of arange's first row.
        index.tag.test_value = np.asarray(0, dtype="int64")
    rows = grad(expression[index], wrt_list, consider_constant=consider_constant,
                disconnected_inputs=disconnected_inputs)
    return format_as(use_list, use_tuple,
                     hooks.map_over_index(expression.shape[0], index, rows))


def hessian(cost, wrt, consider_constant=None, disconnected_inputs="raise"):
    """The Hessian of the scalar `cost` with respect to each vector of `wrt`.

    For a list of vectors, the list of their diagonal blocks d2 cost / d w_k d w_k (as in
    Theano 1.0.5, which does not compute the cross terms); a variable, a list or a tuple,
    as `wrt` is.  Each block is the `jacobian` of the gradient: one loop per variable.
    """
    cost = TB.as_tensor_variable(cost)
    if cost.type.ndim != 0:
        raise AssertionError(
            f"tensor.hessian expects a 0 dimensional variable as `cost` (got {cost} with "
            f"{cost.type.ndim} dimensions)"
        )
    use_tuple = isinstance(wrt, tuple)
    wrt_list, use_list = _as_list(wrt)
    use_list = use_list and not use_tuple
    hessians = []
    for w in wrt_list:
        if getattr(w.type, "ndim", None) != 1:
            raise AssertionError(
                "tensor.hessian expects a (list of) 1 dimensional variable as `wrt` (got "
                f"{w} of type {w.type}; flatten it, or take the gradient first and use "
                "jacobian)"
            )
        g = grad(cost, w, consider_constant=consider_constant,
                 disconnected_inputs=disconnected_inputs)
        # As Theano 1.0.5: w may be connected to the cost but not to its gradient (a linear
        # term), which gives zeros rather than an error.
        hessians.append(jacobian(g, w, consider_constant=consider_constant,
                                 disconnected_inputs="ignore"))
    return format_as(use_list, use_tuple, hessians)


# The gradient-rule Ops (zero_grad, grad_clip...) are tensor Ops: they live in
# tensor/gradient_ops.py, below this layer, so that the random streams can use
# undefined_grad.  theano.gradient is their Theano path.
ViewGradOp = _gradient_ops.ViewGradOp
ConsiderConstant = _gradient_ops.ConsiderConstant
ZeroGrad = _gradient_ops.ZeroGrad
DisconnectedGrad = _gradient_ops.DisconnectedGrad
UndefinedGrad = _gradient_ops.UndefinedGrad
GradClip = _gradient_ops.GradClip
GradScale = _gradient_ops.GradScale
consider_constant = _gradient_ops.consider_constant
zero_grad = _gradient_ops.zero_grad
disconnected_grad = _gradient_ops.disconnected_grad
grad_clip = _gradient_ops.grad_clip
grad_scale = _gradient_ops.grad_scale
undefined_grad = _gradient_ops.undefined_grad
# The instances and counters Theano's module defined (and a star import gave).
consider_constant_ = ConsiderConstant()
zero_grad_ = ZeroGrad()
disconnected_grad_ = DisconnectedGrad()
undefined_grad_ = UndefinedGrad()
null_type = NullType()
grad_time = 0
izip, xrange = zip, range
# Theano's module imported the `theano` package, so `from theano.gradient import *` gave
# it: the package object (being initialised when this module loads), not an import.
theano = _sys.modules[__package__]


def itervalues(d):
    """six.itervalues (Theano's module imported it)."""
    return iter(d.values())


# Names Theano's module imported from theano.compile and theano.gof, layers above this one:
# found where `import theano` loaded them.
_UPPER = {"DebugMode": ("theano_compat.compile.debugmode", "DebugMode"),
          "FAST_RUN": ("theano_compat.compile.mode", "FAST_RUN"),
          "ViewOp": ("theano_compat.compile.ops", "ViewOp"),
          "get_mode": ("theano_compat.compile.mode", "get_mode"),
          "get_debug_values": ("theano_compat.gof.op", "get_debug_values"),
          "gof": ("theano_compat.gof", None), "utils": ("theano_compat.gof.utils", None)}


def __getattr__(name):
    target = _UPPER.get(name)
    if target is not None:
        module = _sys.modules.get(target[0])
        if module is not None:
            return module if target[1] is None else getattr(module, target[1])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_UPPER))


# OpFromGraph, theano.tensor's gradient names and verify_grad (gradient_check) reach this
# module through the hook.
hooks.gradient_api.fill(_sys.modules[__name__])
# theano.tensor held the gradient names in its namespace (resolved there through the
# hook until this module loads): now they join it, so `from theano.tensor import *` gives
# them, as in Theano.
for _name in sorted(tensor._GRADIENT_NAMES):
    setattr(tensor, _name, getattr(_sys.modules[__name__], _name))
del _name
