"""Symbolic differentiation: a reverse sweep over the graph calling each Op's L_op.

``grad`` walks the Apply nodes between `wrt` and `cost` in reverse topological order,
sums the gradient terms each variable receives, and propagates disconnected and
undefined (NullType) gradients the way Theano 1.0.5 did.
"""

from __future__ import annotations

import warnings

import numpy as np

from .config import config
from .graph.basic import Apply, Variable, graph_inputs, io_toposort
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
from .scalar import dtypes as D
from .tensor import basic as TB
from .tensor import math as TM
from .tensor.type import TensorType


class DisconnectedInputError(ValueError):
    """The cost does not depend on a variable whose gradient was asked for."""


class NullTypeGradError(TypeError):
    """A gradient on the path to a requested variable is undefined (NullType)."""


def _as_list(x):
    if isinstance(x, (list, tuple)):
        return list(x), True
    return [x], False


def _ones_like_cost(cost):
    dtype = cost.type.dtype if cost.type.dtype in D.float_dtypes else config.floatX
    return TB.ones_like(cost, dtype=dtype)


def _depends_on(nodes, wrt, blockers):
    """The set of variables (by id) whose value depends on some variable of `wrt`."""
    dep = {id(w) for w in wrt}
    for node in nodes:
        if any(id(i) in dep and i not in blockers for i in node.inputs):
            for o in node.outputs:
                if o not in blockers:
                    dep.add(id(o))
    return dep


def _sum_terms(terms):
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
    blockers = set(consider_constant or ())
    outs = list(roots)
    nodes = io_toposort(graph_inputs(outs), outs)
    dep = _depends_on(nodes, wrt, blockers)
    terms = {id(v): [g] for v, g in roots.items()}
    for node in reversed(nodes):
        if not any(id(i) in dep and i not in blockers for i in node.inputs):
            continue
        ograds = []
        for o in node.outputs:
            got = terms.get(id(o))
            ograds.append(_sum_terms(got) if got else None)
        if all(g is None or is_disconnected(g) for g in ograds):
            continue
        for k, (o, g) in enumerate(zip(node.outputs, ograds)):
            if g is None or is_disconnected(g):
                # Gradients are never integer, even for an integer output.
                ograds[k] = _float_zeros_like(o) if isinstance(o.type, TensorType) else \
                    disconnected_type()
            elif (isinstance(o.type, TensorType) and not is_null(g)
                  and o.type.dtype in D.float_dtypes and g.type.dtype != o.type.dtype):
                ograds[k] = TB.cast(g, o.type.dtype)
        if any(is_null(g) for g in ograds):
            igrads = [ograds[[is_null(g) for g in ograds].index(True)]] * len(node.inputs)
        else:
            igrads = node.op.L_op(list(node.inputs), list(node.outputs), ograds)
        if len(igrads) != len(node.inputs):
            raise ValueError(
                f"{node.op}.grad returned {len(igrads)} gradients for {len(node.inputs)} inputs"
            )
        conn = _connection(node)
        for inp, gi, c in zip(node.inputs, igrads, conn):
            if (id(inp) not in dep or inp in blockers or gi is None or not any(c)
                    or inp in roots):
                continue
            if is_disconnected(gi):
                continue
            if not isinstance(gi, Variable):
                gi = TB.as_tensor_variable(gi)
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
        if isinstance(cost.type, NullType):
            raise ValueError("Can't differentiate a NaN cost: cost is NaN because "
                             + cost.type.why_null)
        if cost.type.ndim != 0:
            raise TypeError("cost must be a scalar.")
    wrt_list, was_list = _as_list(wrt)
    for w in wrt_list:
        if not isinstance(w, Variable):
            raise TypeError(
                f"Expected Variable, got {w} of type {type(w).__name__}: grad needs symbolic "
                "variables as wrt"
            )
    roots = {}
    if cost is not None:
        roots[cost] = _ones_like_cost(cost)
    for var, g in (known_grads or {}).items():
        # A known gradient replaces what the cost would send to `var` (Theano 1.0.5).
        roots[var] = g if isinstance(g, Variable) else TB.as_tensor_variable(g)
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
                    f"tensor.grad encountered a NaN. {g.type.why_null}"
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
    """Jacobian-vector product: df/dwrt * eval_points, by forward propagation of R_op."""
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
    nodes = io_toposort(graph_inputs(f_list), f_list)
    for node in nodes:
        evs = [tangent.get(id(i)) for i in node.inputs]
        if all(e is None for e in evs):
            continue
        outs = node.op.R_op(list(node.inputs), evs)
        for o, r in zip(node.outputs, outs):
            if r is not None:
                tangent[id(o)] = r
    results = []
    for out in f_list:
        r = tangent.get(id(out))
        if r is None:
            msg = f"Rop: the output {out} does not depend on any of the wrt variables"
            if disconnected_outputs == "raise":
                raise DisconnectedInputError(msg)
            r = TB.zeros_like(out) if return_disconnected == "zero" else None
        results.append(r)
    return results if f_was_list else results[0]


# ----------------------------------------------------------------------------- gradient ops


class ViewGradOp(Op):
    """Identity in the forward pass with a custom gradient rule (zero_grad, grad_clip...)."""

    __props__ = ("kind", "a", "b")
    view_map = {0: [0]}

    def __init__(self, kind, a=None, b=None):
        self.kind, self.a, self.b = kind, a, b

    def make_node(self, x):
        x = TB.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return x

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        if self.kind == "zero":
            return [TB.zeros_like(g)]
        if self.kind == "disconnected":
            return [disconnected_type()]
        if self.kind == "clip":
            return [TM.clip(g, self.a, self.b)]
        if self.kind == "scale":
            return [g * self.a]
        return [g]

    def R_op(self, inputs, eval_points):
        if self.kind in ("zero", "disconnected"):
            return [TB.zeros_like(inputs[0])]
        return [eval_points[0]]

    def connection_pattern(self, node):
        return [[self.kind != "disconnected"]]

    def __str__(self):
        return {"zero": "ZeroGrad", "disconnected": "DisconnectedGrad", "clip": "GradClip",
                "scale": "GradScale", "constant": "ConsiderConstant"}[self.kind]


def consider_constant(x):
    """x, but the gradient is not propagated through it (it is treated as a constant)."""
    return ViewGradOp("zero")(x)


def zero_grad(x):
    """x with a zero gradient."""
    return ViewGradOp("zero")(x)


def disconnected_grad(x):
    """x whose gradient is disconnected (as if x did not depend on its inputs)."""
    return ViewGradOp("disconnected")(x)


def grad_clip(x, lower_bound, upper_bound):
    """x whose gradient is clipped to [lower_bound, upper_bound] in the backward pass."""
    return ViewGradOp("clip", lower_bound, upper_bound)(x)


def grad_scale(x, multiplier):
    """x whose gradient is multiplied by `multiplier` in the backward pass."""
    return ViewGradOp("scale", multiplier)(x)


def undefined_grad(x):
    return ViewGradOp("undefined")(x)


numeric_grad_dtype = np.float64
