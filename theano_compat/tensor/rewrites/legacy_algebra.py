"""Theano 1.0.5's algebraic local rewrites of ``theano.tensor.opt`` (the erf/erfc family,
log/exp stabilisation, pow/mul/abs/div specialisation, scalar<->tensor round trips) that
the project's own phases do not have, as rules of the engine named as Theano named them.

`LEGACY_ALGEBRA` lists them and `REGISTRATION_ALGEBRA` says in which optdb slots Theano
registered each one (the format of legacy.REGISTRATION, into which legacy.py merges it).
A rule with no slot is defined for ``theano.tensor.opt`` (``transform(node)``) but not run
by the pipeline; the table says why for each.

Every replacement has exactly the type of what it replaces.  Where Theano negated an
integer argument (``erfc(-x)``), the negation is done in the float dtype the erf family
computes in, since ``-x`` of an unsigned or minimal signed integer wraps around.
"""

from __future__ import annotations

import numpy as np

from ...graph.basic import Constant
from ...graph.rewrite import node_rule
from ...scalar import dtypes as D
from ...scalar import ops as S
from ...scalar.composite import Composite
from ...scalar.type import get_scalar_type
from .. import basic as B
from ..elemwise import DimShuffle, Elemwise, Sum
from ..math import dot
from ..shapes import ScalarFromTensor, TensorFromScalar
from .utils import as_type_of, pattern, scalar_of

def _uniform_value(var):
    """The value every element of constant `var` has (Theano's Canonizer.get_constant,
    read through DimShuffles of constants), else None."""
    while var.owner is not None and isinstance(var.owner.op, DimShuffle):
        var = var.owner.inputs[0]
    if not isinstance(var, Constant):
        return None
    data = np.asarray(var.data)
    if data.size == 0:
        return None
    first = data.reshape(-1)[0]
    return first if data.size == 1 or np.all(data == first) else None


def _float_arg(x):
    """`x` in the float dtype that erf/erfc/log compute an `x` of its dtype in."""
    if x.type.dtype in D.float_dtypes:
        return x
    return B.cast(x, D.upgrade_to_float(x.type.dtype))


def _negated(x):
    """-x, computed where it cannot wrap around (see the module docstring)."""
    return S.neg(_float_arg(x))


def _scalar_const(value, dtype):
    return B.constant(np.asarray(value, dtype=dtype))


def _filled(value, out, sources):
    """`value` (a number) with `out`'s type, broadcast against `sources` as needed."""
    cst = B.constant(np.asarray(value, dtype=out.type.dtype).reshape((1,) * out.type.ndim))
    return as_type_of(cst, out, sorted(sources, key=lambda v: -sum(
        not b for b in getattr(v.type, "broadcastable", ()))))


# ------------------------------------------------------------------------ erf / erfc

_ERF_RULES = [
    # 1 + erf(x) -> erfc(-x)
    pattern("local_one_plus_erf", (S.add, 1, (S.erf, "x")),
            lambda x: S.erfc(_negated(x))),
    # 1 - erf(x) -> erfc(x) (also the project's local_erfc, in stabilize)
    pattern("local_one_minus_erf", (S.sub, 1, (S.erf, "x")), lambda x: S.erfc(x)),
    pattern("local_one_minus_erf2", (S.add, 1, (S.mul, -1, (S.erf, "x"))),
            lambda x: S.erfc(x)),
    pattern("local_one_plus_neg_erf", (S.add, 1, (S.neg, (S.erf, "x"))),
            lambda x: S.erfc(x)),
    # -1 + erf(x) -> -erfc(x)
    pattern("local_erf_minus_one", (S.add, -1, (S.erf, "x")),
            lambda x: S.neg(S.erfc(x))),
    # 1 - erfc(x) -> erf(x)
    pattern("local_one_minus_erfc", (S.sub, 1, (S.erfc, "x")), lambda x: S.erf(x)),
    pattern("local_one_minus_erfc2", (S.add, 1, (S.neg, (S.erfc, "x"))),
            lambda x: S.erf(x)),
    pattern("local_one_minus_erfc3", (S.add, 1, (S.mul, -1, (S.erfc, "x"))),
            lambda x: S.erf(x)),
    pattern("local_one_add_neg_erfc", (S.add, 1, (S.neg, (S.erfc, "x"))),
            lambda x: S.erf(x)),
    # -1 + erfc(-x) -> erf(x)
    pattern("local_erf_neg_minus_one", (S.add, -1, (S.erfc, (S.neg, "x"))),
            lambda x: S.erf(x)),
    pattern("local_erf_neg_minus_one2", (S.add, -1, (S.erfc, (S.mul, -1, "x"))),
            lambda x: S.erf(x)),
]


def _log_erfc_threshold(dtype):
    # Where log(erfc(x)) of that float dtype stops being finite (Theano's thresholds).
    return 26.641747557 if dtype == "float64" else 10.0541949


def _guarded(fgraph, var, x):
    """Whether `var` is already the kept branch of ``switch(x < t, var, ...)`` (a rule's
    own result: Theano marked such nodes with a tag)."""
    for client, idx in fgraph.clients(var):
        if client == "output" or idx != 1 or scalar_of(client) is not S.switch:
            continue
        cond = client.inputs[0]
        if scalar_of(cond.owner) is S.lt and cond.owner.inputs[0] is x:
            return True
    return False


def _series(x):
    """1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6): the asymptotic series of erfc(x) x sqrt(pi) /
    exp(-x^2) for large x."""
    dtype = x.type.dtype
    x2 = S.sqr(x)
    x4 = S.sqr(x2)
    x6 = S.mul(x4, x2)
    one = _scalar_const(1, dtype)
    return S.sub(S.add(S.sub(one, S.true_div(_scalar_const(0.5, dtype), x2)),
                       S.true_div(_scalar_const(0.75, dtype), x4)),
                 S.true_div(_scalar_const(1.875, dtype), x6))


def _log_erfc(fgraph, node):
    """log(erfc(x)) -> switch(x < t, log(erfc(x)), -x^2 - log(x) - log(pi)/2 +
    log(series(x))): erfc underflows to 0 past t (26.64 in float64, 10.05 in float32)
    where the asymptotic form stays finite and accurate."""
    (e,) = node.inputs
    if scalar_of(e.owner) is not S.erfc:
        return None
    out = node.outputs[0]
    if out.type.dtype not in D.float_dtypes or e.type.dtype != out.type.dtype:
        return None
    x = e.owner.inputs[0]
    if _guarded(fgraph, out, x):
        return None
    xf = x if x.type.dtype == out.type.dtype else B.cast(x, out.type.dtype)
    dtype = out.type.dtype
    stab = S.add(S.sub(S.sub(S.neg(S.sqr(xf)), S.log(xf)),
                       _scalar_const(0.5 * np.log(np.pi), dtype)),
                 S.log(_series(xf)))
    kept = S.log(e)
    thr = _scalar_const(_log_erfc_threshold(dtype), dtype)
    new = S.switch(S.lt(x, thr), kept, stab)
    new = as_type_of(new, out)
    return None if new is None else [new]


def _neg_sqr_of(v):
    """x when `v` is -(x^2) (as neg(sqr(x)), neg(x * x), -1 * sqr(x), -1 * x * x or
    (-x) * x)."""
    if scalar_of(v.owner) is S.mul and len(v.owner.inputs) == 2:
        a, b = v.owner.inputs
        for n, other in ((a, b), (b, a)):
            if scalar_of(n.owner) is S.neg and n.owner.inputs[0] is other:
                return other
    if scalar_of(v.owner) is S.neg:
        inner = v.owner.inputs[0]
    elif scalar_of(v.owner) is S.mul and len(v.owner.inputs) == 2 and \
            _uniform_value(v.owner.inputs[0]) == -1:
        inner = v.owner.inputs[1]
    else:
        return None
    if scalar_of(inner.owner) is S.sqr:
        return inner.owner.inputs[0]
    if scalar_of(inner.owner) is S.mul and len(inner.owner.inputs) == 2 and \
            inner.owner.inputs[0] is inner.owner.inputs[1]:
        return inner.owner.inputs[0]
    return None


def _grad_log_erfc_neg(fgraph, node):
    """[y *] exp(-x^2) / erfc(x) -> [y *] switch(x < t, exp(-x^2) / erfc(x),
    x sqrt(pi) / series(x)): the gradient of log(erfc(x)), which is 0/0 once both
    underflow (x > 26.64 in float64, 9.3 in float32)."""
    num, den = node.inputs
    out = node.outputs[0]
    if scalar_of(den.owner) is not S.erfc or out.type.dtype not in D.float_dtypes:
        return None
    x = den.owner.inputs[0]
    if x.type.dtype != out.type.dtype:
        return None
    ys = []
    if scalar_of(num.owner) is S.exp:
        e = num
    elif scalar_of(num.owner) is S.mul:
        found = [k for k, i in enumerate(num.owner.inputs) if scalar_of(i.owner) is S.exp]
        if not found:
            return None
        e = num.owner.inputs[found[0]]
        ys = [i for k, i in enumerate(num.owner.inputs) if k != found[0]]
    else:
        return None
    if _neg_sqr_of(e.owner.inputs[0]) is not x or e.type.dtype != out.type.dtype:
        return None
    if not ys and _guarded(fgraph, out, x):
        return None
    dtype = out.type.dtype
    kept = S.true_div(e, den)
    stab = S.true_div(S.mul(x, _scalar_const(np.sqrt(np.pi), dtype)), _series(x))
    thr = _scalar_const(26.641747557 if dtype == "float64" else 9.3, dtype)
    new = S.switch(S.lt(x, thr), kept, stab)
    for y in ys:
        new = S.mul(new, y)
    new = as_type_of(new, out, [num, den])
    return None if new is None else [new]


# ----------------------------------------------------------------------- log / exp


def _log_add(fgraph, node):
    """log(exp(x) + exp(y)) -> max(x, y) + log1p(exp(-|x - y|)) (the exponent set to 0
    where x == y, so equal infinities give themselves, not nan)."""
    (z,) = node.inputs
    out = node.outputs[0]
    if scalar_of(z.owner) is not S.add or len(z.owner.inputs) != 2 or \
            out.type.dtype not in D.float_dtypes:
        return None
    if not all(scalar_of(i.owner) is S.exp and i.type.dtype == out.type.dtype
               for i in z.owner.inputs):
        return None
    a, b = [i.owner.inputs[0] for i in z.owner.inputs]
    a, b = [v if v.type.dtype == out.type.dtype else B.cast(v, out.type.dtype) for v in (a, b)]
    zero = _scalar_const(0, out.type.dtype)
    d = S.switch(S.eq(a, b), zero, S.neg(S.abs_(S.sub(a, b))))
    new = S.add(S.maximum(a, b), S.log1p(S.exp(d)))
    new = as_type_of(new, out, [a, b])
    return None if new is None else [new]


# ---------------------------------------------------------------- pow / mul / div / abs


def _pow_canonicalize(fgraph, node):
    """x ** 0 -> ones like the result; x ** 1 -> x (broadcast like the result)."""
    x, y = node.inputs
    out = node.outputs[0]
    cst = _uniform_value(y)
    if cst is None:
        return None
    if cst == 0:
        new = _filled(1, out, node.inputs)
    elif cst == 1:
        new = as_type_of(x, out, node.inputs)
    else:
        return None
    return None if new is None else [new]


def _encompasses(b1, b2):
    if len(b1) < len(b2):
        return False
    b1 = b1[len(b1) - len(b2):]
    return not any(v1 and not v2 for v1, v2 in zip(b1, b2))


def _pow_specialize(fgraph, node):
    """x ** c for c in 0, 1, 2, 0.5, -0.5, -1, -2 -> ones, x, sqr(x), sqrt(x),
    inv(sqrt(x)), inv(x), inv(sqr(x)).  The fractional and negative exponents only for
    a float x of the result's dtype (an integer x ** -1 is not 1 / x, and sqrt of an
    integer computes in a narrower float than the power did)."""
    x, y = node.inputs
    out = node.outputs[0]
    c = _uniform_value(y)
    if c is None or not _encompasses(x.type.broadcastable, y.type.broadcastable):
        return None
    same_float = x.type.dtype == out.type.dtype and x.type.dtype in D.float_dtypes
    if c == 0:
        new = _filled(1, out, [x])
    elif c == 1:
        new = x
    elif c == 2:
        new = S.sqr(x)
    elif not same_float:
        return None
    elif c == 0.5:
        new = S.sqrt(x)
    elif c == -0.5:
        new = S.inv(S.sqrt(x))
    elif c == -1:
        new = S.inv(x)
    elif c == -2:
        new = S.inv(S.sqr(x))
    else:
        return None
    new = as_type_of(new, out)
    return None if new is None else [new]


def _pow_specialize_device(fgraph, node):
    """x ** n for an integer 2 < |n| <= 512 -> one Elemwise{Composite} of squarings and
    products (and inv of it for n < 0), as Theano did on the CPU.  Only for an x of the
    result's dtype (a float, or an integer for n > 0)."""
    x, y = node.inputs
    out = node.outputs[0]
    c = _uniform_value(y)
    if c is None or x.type.dtype != out.type.dtype or \
            not _encompasses(x.type.broadcastable, y.type.broadcastable):
        return None
    if x.type.dtype not in D.float_dtypes and (x.type.dtype not in D.integer_dtypes or c < 0):
        return None
    n = abs(c)
    if n != int(n) or not 2 < n <= 512:
        return None
    n = int(n)
    xs = get_scalar_type(x.type.dtype)()
    powers = [xs]
    for _ in range(int(np.log2(n))):
        powers.append(S.sqr(powers[-1]))
    acc, left = None, n
    while left > 0:
        k = int(np.log2(left))
        acc = powers[k] if acc is None else S.mul(acc, powers[k])
        left -= 2 ** k
    new = Elemwise(Composite([xs], [acc]))(x)
    if c < 0:
        new = S.inv(new)
    new = as_type_of(new, out)
    return None if new is None else [new]


def _mul_specialize(fgraph, node):
    """mul(1, x) -> x, mul(-1, x) -> -x, mul(0, ...) -> zeros, mul(-x, -y) -> mul(x, y).

    As Theano, a negation is only taken out when that removes a node: the graph here is
    binary, so Theano's mul(-1, x, y) for mul(-x, y) would not be one node."""
    out = node.outputs[0]
    neg = False
    new_inputs = []
    n_neg_nodes = 0
    n_consts = 0
    for inp in node.inputs:
        while scalar_of(inp.owner) is S.neg:
            neg = not neg
            inp = inp.owner.inputs[0]
            n_neg_nodes += 1
        value = _uniform_value(inp)
        if value is not None and value == 1:
            n_consts += 1
        elif value is not None and value == -1:
            n_consts += 1
            neg = not neg
        elif value is not None and value == 0:
            new = _filled(0, out, node.inputs)
            return None if new is None else [new]
        else:
            new_inputs.append(inp)
    if len(new_inputs) == len(node.inputs) and all(
            a is b for a, b in zip(new_inputs, node.inputs)):
        return None
    if not new_inputs:
        new = _filled(-1 if neg else 1, out, node.inputs)
    elif len(new_inputs) == 1:
        if neg:
            if new_inputs[0].type.dtype in D.uint_dtypes + ("bool",):
                return None
            new = S.neg(new_inputs[0])
        else:
            new = new_inputs[0]
        new = as_type_of(new, out, node.inputs)
    elif neg:
        return None
    else:
        new = new_inputs[0]
        for v in new_inputs[1:]:
            new = S.mul(new, v)
        new = as_type_of(new, out, node.inputs)
    return None if new is None else [new]


def _mul_to_sqr(fgraph, node):
    """x * x -> sqr(x)."""
    if len(node.inputs) == 2 and node.inputs[0] is node.inputs[1]:
        new = as_type_of(S.sqr(node.inputs[0]), node.outputs[0])
        return None if new is None else [new]
    return None


def _div_to_inv(fgraph, node):
    """1 / x -> inv(x)."""
    num, den = node.inputs
    out = node.outputs[0]
    if _uniform_value(num) != 1 or out.type.dtype not in D.float_dtypes:
        return None
    new = as_type_of(S.inv(den if den.type.dtype == out.type.dtype
                           else B.cast(den, out.type.dtype)), out, [num])
    return None if new is None else [new]


def _inv_canon(fgraph, node):
    """inv(x) -> x ** -1 (Theano's canonical form of a reciprocal)."""
    x = node.inputs[0]
    out = node.outputs[0]
    new = as_type_of(S.pow(x, _scalar_const(-1.0, out.type.dtype)), out)
    return None if new is None else [new]


def _neg_to_mul(fgraph, node):
    """-x -> mul(-1, x) (Theano's canonical form of a negation)."""
    x = node.inputs[0]
    new = as_type_of(S.mul(_scalar_const(-1, x.type.dtype), x), node.outputs[0])
    return None if new is None else [new]


def _abs_lift(fgraph, node):
    """abs(x * y) -> abs(x) * abs(y); abs(x / y) -> abs(x) / abs(y): moves abs toward
    the inputs, where the canonicaliser can cancel x / abs(x) into sgn(x)."""
    x = node.inputs[0]
    sop = scalar_of(x.owner)
    if sop not in (S.mul, S.true_div) or x.type.dtype != node.outputs[0].type.dtype or \
            x.type.dtype not in D.float_dtypes:
        return None
    a, b = x.owner.inputs
    new = (S.mul if sop is S.mul else S.true_div)(S.abs_(a), S.abs_(b))
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _abs_merge(fgraph, node):
    """abs(x) * abs(y) -> abs(x * y) (a non-negative constant factor allowed);
    abs(x) / abs(y) -> abs(x / y)."""
    sop = scalar_of(node)
    out = node.outputs[0]
    ins = node.inputs
    if sop is S.true_div:
        if all(scalar_of(i.owner) is S.abs_ for i in ins):
            new = S.abs_(S.true_div(ins[0].owner.inputs[0], ins[1].owner.inputs[0]))
            new = as_type_of(new, out)
            return None if new is None else [new]
        return None
    if sum(scalar_of(i.owner) is S.abs_ for i in ins) < 2:
        return None
    args = []
    for i in ins:
        if scalar_of(i.owner) is S.abs_:
            args.append(i.owner.inputs[0])
        elif isinstance(i, Constant) and np.all(np.asarray(i.data) >= 0):
            args.append(i)
        else:
            return None
    prod = args[0]
    for a in args[1:]:
        prod = S.mul(prod, a)
    new = as_type_of(S.abs_(prod), out)
    return None if new is None else [new]


# ------------------------------------------------------------------------ the others


def _sumsqr2dot(fgraph, node):
    """sum(sqr(W.dimshuffle('x', 0, 1) * G.dimshuffle(0, 'x', 1)), axis=(1, 2)) ->
    dot(sqr(G), sum(sqr(W), axis=0))."""
    (x,) = node.inputs
    if x.type.ndim != 3 or list(node.op._axes(3)) != [1, 2]:
        return None
    if scalar_of(x.owner) is not S.sqr:
        return None
    m = x.owner.inputs[0]
    if scalar_of(m.owner) is not S.mul or len(m.owner.inputs) != 2:
        return None
    w = g = None
    for a, b in (m.owner.inputs, reversed(m.owner.inputs)):
        if a.owner is not None and isinstance(a.owner.op, DimShuffle) and \
                tuple(a.owner.op.new_order) == ("x", 0, 1) and \
                b.owner is not None and isinstance(b.owner.op, DimShuffle) and \
                tuple(b.owner.op.new_order) == (0, "x", 1):
            w, g = a.owner.inputs[0], b.owner.inputs[0]
            break
    if w is None:
        return None
    new = dot(S.sqr(g), Sum(axis=[0])(S.sqr(w)))
    new = as_type_of(new, node.outputs[0])
    return None if new is None else [new]


def _undo_round_trip(inner, doc):
    """A rewrite of ``outer(inner(v))`` -> v (a conversion and its inverse), when v has
    the type of the result."""

    def rewrite(fgraph, node):
        converted = node.inputs[0]
        if converted.owner is not None and isinstance(converted.owner.op, inner):
            source = converted.owner.inputs[0]
            if source.type == node.outputs[0].type:
                return [source]
        return None

    rewrite.__doc__ = doc
    return rewrite


_tensor_scalar_tensor = _undo_round_trip(
    ScalarFromTensor, "tensor_from_scalar(scalar_from_tensor(t)) -> t.")
_scalar_tensor_scalar = _undo_round_trip(
    TensorFromScalar, "scalar_from_tensor(tensor_from_scalar(s)) -> s.")


# The dtype rules of Theano's upcast_out and upgrade_to_float (not the _nobool ones).
_UPCASTING = ("upcast_out", "float_out", "upgrade_to_float")


def _upcast_elemwise_constant_inputs(fgraph, node):
    """Constant inputs of an upcasting Elemwise cast to its output dtype (so that 1 + x
    and 1.0 + x are the same graph); only where the cast keeps the values."""
    if len(node.outputs) != 1:
        return None
    rule = getattr(node.op.scalar_op, "dtype_rule", None)
    if getattr(rule, "__name__", None) not in _UPCASTING:
        return None
    dtype = node.outputs[0].type.dtype
    new_inputs = []
    changed = False
    for i in node.inputs:
        value = _uniform_value(i) if all(i.type.broadcastable) else None
        if i.type.dtype == dtype or (value is None and not isinstance(i, Constant)):
            new_inputs.append(i)
            continue
        data = np.asarray(i.data) if value is None else \
            np.asarray(value).reshape((1,) * i.type.ndim)
        cast = data.astype(dtype)
        if not np.array_equal(cast, data):
            return None
        new_inputs.append(B.constant(cast))
        changed = True
    if not changed:
        return None
    new = as_type_of(node.op(*new_inputs), node.outputs[0])
    return None if new is None else [new]


# --------------------------------------------------------------------------- the list

LEGACY_ALGEBRA = _ERF_RULES + [
    node_rule("local_log_erfc", (S.log,), _log_erfc),
    node_rule("local_grad_log_erfc_neg", (S.true_div,), _grad_log_erfc_neg),
    node_rule("local_log_add", (S.log,), _log_add),
    node_rule("local_pow_canonicalize", (S.pow,), _pow_canonicalize),
    node_rule("local_pow_specialize", (S.pow,), _pow_specialize),
    node_rule("local_pow_specialize_device", (S.pow,), _pow_specialize_device),
    node_rule("local_mul_specialize", (S.mul,), _mul_specialize),
    node_rule("local_mul_to_sqr", (S.mul,), _mul_to_sqr),
    node_rule("local_div_to_inv", (S.true_div,), _div_to_inv),
    node_rule("local_inv_canon", (S.inv,), _inv_canon),
    node_rule("local_neg_to_mul", (S.neg,), _neg_to_mul),
    node_rule("local_abs_lift", (S.abs_,), _abs_lift),
    node_rule("local_abs_merge", (S.mul, S.true_div), _abs_merge),
    node_rule("local_sumsqr2dot", (Sum,), _sumsqr2dot),
    node_rule("local_tensor_scalar_tensor", (TensorFromScalar,), _tensor_scalar_tensor),
    node_rule("local_scalar_tensor_scalar", (ScalarFromTensor,), _scalar_tensor_scalar),
    node_rule("local_upcast_elemwise_constant_inputs", (Elemwise,),
              _upcast_elemwise_constant_inputs),
]

_ALL3 = ("canonicalize", "stabilize", "specialize")

# Theano's optdb slots of each rule (legacy.REGISTRATION's format: (slots, extra tags)).
REGISTRATION_ALGEBRA = {
    **{r.name: (_ALL3, ()) for r in _ERF_RULES},
    "local_log_erfc": (("stabilize", "specialize"), ()),
    "local_grad_log_erfc_neg": (("stabilize", "specialize"), ()),
    "local_log_add": (("stabilize", "specialize"), ()),
    "local_pow_canonicalize": (("canonicalize",), ()),
    "local_pow_specialize": (("specialize",), ()),
    # Theano's specialize_device slot (48.6) runs after specialize; the project's
    # specialize phase is where its rules reach it.
    "local_pow_specialize_device": (("specialize",), ()),
    "local_mul_specialize": (("specialize",), ()),
    "local_mul_to_sqr": (("specialize",), ()),
    "local_div_to_inv": (("specialize",), ()),
    # Not run: the project's canonical reciprocal and negation are inv / true_div(1, x)
    # and neg(x) (algebra.py), which the product canonicaliser would rebuild from
    # x ** -1 and mul(-1, x) in turn, without end.
    "local_inv_canon": ((), ()),
    "local_neg_to_mul": ((), ()),
    "local_abs_lift": (("canonicalize",), ()),
    # Not run: the specialize phase runs the canonicalize rules too, where
    # local_abs_lift undoes it (abs(x) * abs(y) and abs(x * y) are the same values).
    "local_abs_merge": ((), ()),
    "local_sumsqr2dot": (("canonicalize", "specialize"), ()),
    "local_tensor_scalar_tensor": (("canonicalize", "specialize"), ()),
    "local_scalar_tensor_scalar": (("canonicalize", "specialize"), ()),
    # Not run: the canonicalisers fold constants in the dtype of their tree already
    # (algebra._in_dtype), which is what it gave Theano's merging.
    "local_upcast_elemwise_constant_inputs": ((), ()),
}
