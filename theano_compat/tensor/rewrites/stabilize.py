"""STABILIZE: rewrites that keep values finite where the textbook formula overflows.

These are correctness, not speed: ``log(sigmoid(x))`` gives -inf for x < -745 and
``1 / (1 + exp(-x))`` gives nan gradients once ``exp`` overflows, while the rewritten
forms are exact there.  Theano 1.0.5 applied the same set in FAST_RUN and FAST_COMPILE.
"""

from __future__ import annotations

import collections
import math

from ...graph.rewrite import node_rule
from ...scalar import dtypes as D
from ...scalar import ops as S
from .. import basic as B
from ..nnet import Softmax, logsoftmax_op
from ..nnet.crossentropy import (CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad,
                                 SoftmaxGrad)
from ..elemwise import DimShuffle, Max, Sum
from ..math import sum as tsum
from ..subtensor import AdvancedSubtensor, AdvancedSubtensor1, Subtensor, inc_subtensor
from .algebra import canonical_product, canonical_sum, distribute, read_terms, value_key
from .utils import as_type_of, constant_like, is_const, is_elemwise, pattern


def negate(v):
    """-v, without stacking two negations.

    The rules here negate the argument of a transcendental op (sigmoid, softplus, log1p),
    which computes in ``upgrade_to_float`` of its input's dtype anyway: an unsigned or
    bool argument is cast to that float first, since its own negation would wrap around
    (``-uint8(3)`` is 253) or is not defined (bool).
    """
    if is_elemwise(v, S.neg):
        return v.owner.inputs[0]
    if v.type.dtype == "bool" or v.type.dtype.startswith("uint"):
        v = B.cast(v, D.upgrade_to_float(v.type.dtype))
    return S.neg(v)


def _float_negate(v):
    """-v computed in the float dtype of v's transcendental op: also a signed integer v
    is cast first, since its negation wraps (``-int32(-2**31)`` is ``-2**31``).

    For the rules Theano 1.0.5 did not have, whose result must be the literal one: there
    the value of ``sigmoid(v)`` is that of the float, never of a wrapped integer.  Only a
    float negation is undone: an integer ``-u`` may already have wrapped.
    """
    if v.type.dtype not in D.float_dtypes:
        v = B.cast(v, D.upgrade_to_float(v.type.dtype))
    elif is_elemwise(v, S.neg):
        return v.owner.inputs[0]
    return S.neg(v)


def _one_plus_exp(v):
    """The x of ``1 + exp(x)`` (either order), else None."""
    if not is_elemwise(v, S.add):
        return None
    a, b = v.owner.inputs
    for one, e in ((a, b), (b, a)):
        if is_const(one, 1) and is_elemwise(e, S.exp) and e.type == v.type:
            return e
    return None


def _is_negation(a, b):
    return (is_elemwise(a, S.neg) and a.owner.inputs[0] is b) or \
        (is_elemwise(b, S.neg) and b.owner.inputs[0] is a)


def _cancel_one_plus_exp(side):
    """``(1 + exp(x)) * sigmoid(-x)`` is 1: remove such pairs from one side of a product."""
    changed = False
    for d in list(side):
        e = _one_plus_exp(d)
        if e is None or d not in side:
            continue
        x = e.owner.inputs[0]
        for f in side:
            if is_elemwise(f, S.sigmoid) and _is_negation(f.owner.inputs[0], x):
                side.remove(d)
                side.remove(f)
                changed = True
                break
    return changed


def fold_sigmoid(form):
    """In a product: ``exp(x) / (1 + exp(x))`` -> ``sigmoid(x)``; ``1 / (1 + exp(x))``
    -> ``sigmoid(-x)``; ``(1 + exp(x)) * sigmoid(-x)`` -> 1.  Returns whether it changed
    `form`."""
    changed = _cancel_one_plus_exp(form.num)
    changed |= _cancel_one_plus_exp(form.den)
    den = []
    for d in form.den:
        e = _one_plus_exp(d)
        if e is None:
            den.append(d)
            continue
        x = e.owner.inputs[0]
        if e in form.num:
            form.num.remove(e)
            form.num.append(S.sigmoid(x))
        else:
            form.num.append(S.sigmoid(negate(x)))
        changed = True
    form.den = den
    return changed


_HOOKS = (fold_sigmoid,)


def _products(fgraph, node):
    return canonical_product(fgraph, node, _HOOKS)


def _distribute(fgraph, node):
    return distribute(fgraph, node, _HOOKS)


def _sums(fgraph, node):
    return canonical_sum(fgraph, node)


def _log_of_softmax(fgraph, node):
    """log(softmax(x)) -> logsoftmax(x); also through the row/label indexing of a
    cross-entropy: log(softmax(x)[rows, labels]) -> logsoftmax(x)[rows, labels]."""
    (arg,) = node.inputs
    owner = arg.owner
    if owner is None:
        return None
    if isinstance(owner.op, Softmax):
        return [as_type_of(logsoftmax_op(owner.inputs[0]), node.outputs[0])]
    if isinstance(owner.op, (Subtensor, AdvancedSubtensor1, AdvancedSubtensor)):
        src = owner.inputs[0]
        if src.owner is not None and isinstance(src.owner.op, Softmax):
            lsm = logsoftmax_op(src.owner.inputs[0])
            return [as_type_of(owner.op(lsm, *owner.inputs[1:]), node.outputs[0])]
    return None


def _is_softmax(v):
    return v.owner is not None and isinstance(v.owner.op, Softmax)


def _crossentropy_of_softmax(fgraph, node):
    """crossentropy_categorical_1hot(softmax(x), y) -> -logsoftmax(x)[arange(n), y]."""
    coding, labels = node.inputs
    if not _is_softmax(coding):
        return None
    lsm = logsoftmax_op(coding.owner.inputs[0])
    picked = lsm[B.arange(labels.shape[0]), labels]
    return [as_type_of(S.neg(picked), node.outputs[0])]


def _softmax_grad_of_crossentropy(fgraph, node):
    """The gradient of a softmax cross-entropy, in a form without ``g / p``.

    softmax_grad(crossentropy_1hot_grad(g, sm, y), sm) -> g[:, None] * sm, minus g at the
    labelled entries; softmax_grad(G / sm, sm) -> G - sum(G, 1) * sm.  Both are exact
    rearrangements, finite when an entry of sm underflows to 0.
    """
    dy, sm = node.inputs
    out = node.outputs[0]
    if dy.owner is not None and isinstance(dy.owner.op, CrossentropyCategorical1HotGrad):
        g, coding, labels = dy.owner.inputs
        if coding is not sm:
            return None
        scaled = S.mul(g.dimshuffle(0, "x"), sm)
        rows = B.arange(labels.shape[0])
        return [as_type_of(inc_subtensor(scaled[rows, labels], S.neg(g)), out)]
    if is_elemwise(dy, S.true_div) and dy.owner.inputs[1] is sm:
        G = dy.owner.inputs[0]
        if G.type.broadcastable != sm.type.broadcastable:
            return None
        return [as_type_of(S.sub(G, S.mul(tsum(G, axis=1, keepdims=True), sm)), out)]
    return None


def _logsumexp(fgraph, node):
    """log(sum(exp(x), axis)) -> m + log(sum(exp(x - m), axis)) with m = max(x, axis).

    Also through the DimShuffle that ``keepdims=True`` puts between the sum and the log.
    A max of -inf or +inf (an all -inf slice, or an inf) is replaced by 0 in the shift,
    as scipy.special.logsumexp does, so such slices give -inf / inf rather than nan.

    Nothing to do when x is already shifted by its own max over the summed axes
    (``x - x.max()``, ``x - x.max(axis, keepdims=True)``, ``x - shape_padright(...)``):
    the sum is then at least 1 and the expression is stable as written.  The rule's own
    result is such a form, recognised however the add canonicaliser regroups it, so the
    rule fires once per log-sum-exp and cannot feed on its output.
    """
    (s,) = node.inputs
    pad = None
    if s.owner is not None and isinstance(s.owner.op, DimShuffle):
        # (keepdims' padding, or any other DimShuffle: log is elementwise, so the
        # rewritten log-sum-exp is computed under it and the DimShuffle applied after.)
        pad, (s,) = s.owner.op, s.owner.inputs
    # (Sum's dtype is the output's, resolved when the node is built, as in Theano: a sum
    # in another dtype than exp's is declined below.)
    if s.owner is None or not isinstance(s.owner.op, Sum):
        return None
    (e,) = s.owner.inputs
    moved = None
    if e.owner is not None and isinstance(e.owner.op, DimShuffle) and \
            is_elemwise(e.owner.inputs[0], S.exp):
        # sum(DimShuffle(exp(x))), as local_reduce_broadcastable leaves a sum over
        # broadcastable axes: the DimShuffle applies to x as well (exp is elementwise).
        moved, (e,) = e.owner.op, e.owner.inputs
    if not is_elemwise(e, S.exp) or e.type.dtype != s.type.dtype:
        return None
    (x,) = e.owner.inputs
    if moved is not None:
        x = DimShuffle(x.type.broadcastable, moved.new_order)(x)
    axes = s.owner.op._axes(x.type.ndim)
    if not axes or _is_max_shifted(fgraph, x, axes):
        return None
    if x.type.dtype != e.type.dtype:
        # exp upcasts an integer or bool x: shift in that float dtype (x - max(x) is not
        # defined for bool and wraps around for unsigned integers).
        x = B.cast(x, e.type.dtype)
    m = Max(s.owner.op.axis)(x)
    m_kept = DimShuffle(m.type.broadcastable, _keepdims_pattern(x, axes))(m)
    m_safe = S.switch(S.isinf(m_kept), constant_like(0, m_kept), m_kept)
    inner = s.owner.op(S.exp(S.sub(x, m_safe)))
    out = S.add(S.switch(S.isinf(m), constant_like(0, m), m), S.log(inner))
    if pad is not None:
        out = DimShuffle(out.type.broadcastable, pad.new_order)(out)
    return [as_type_of(out, node.outputs[0])]


def _is_max_shifted(fgraph, x, axes):
    """Whether x is ``y - b`` with b the max of y over some of `axes`, broadcast back
    (optionally guarded as ``switch(isinf(b), 0, b)``), however the sum is arranged."""
    const, added, subtracted = _sum_terms(x)
    for k, term in enumerate(subtracted):
        y = _max_source(term, axes, x.type.ndim)
        if y is None:
            continue
        y_const, y_added, y_subtracted = _sum_terms(y, split=False)
        rest = subtracted[:k] + subtracted[k + 1:]
        if _same_value(y_const, const) and _keys(fgraph, y_added) == _keys(fgraph, added) \
                and _keys(fgraph, y_subtracted) == _keys(fgraph, rest):
            return True
    return False


def _sum_terms(v, split=True):
    """(constant, added terms, subtracted terms) of `v`: a float sum read as the add
    canonicaliser reads it (algebra.read_terms); an integer one, which the canonicaliser
    leaves alone, split at its top ``sub`` only when `split`."""
    if v.type.dtype in D.float_dtypes:
        form = read_terms(v)
        return float(form.const), form.num, form.den
    if split and is_elemwise(v, S.sub):
        return 0.0, [v.owner.inputs[0]], [v.owner.inputs[1]]
    return 0.0, [v], []


def _same_value(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))  # NaN: the same constant here


def _keys(fgraph, variables):
    return collections.Counter(value_key(v, fgraph) for v in variables)


def _max_source(term, axes, ndim):
    """y when `term` is max(y) over axes among `axes`, broadcast back to y's dimensions
    (or that guarded by ``switch(isinf(b), 0, b)``); else None."""
    if is_elemwise(term, S.switch):
        cond, zero, b = term.owner.inputs
        if not (is_elemwise(cond, S.isinf) and cond.owner.inputs[0] is b and is_const(zero, 0)):
            return None
        term = b
    if term.owner is None or not isinstance(term.owner.op, DimShuffle):
        return None
    order = list(term.owner.op.new_order)
    (m,) = term.owner.inputs
    if m.owner is None or not isinstance(m.owner.op, Max) or len(order) != ndim:
        return None
    (y,) = m.owner.inputs
    if y.type.ndim != ndim:
        return None
    reduced = m.owner.op._axes(ndim)
    # Each reduced axis comes back in its place, the others keep their order: a max that
    # lines up with y (m.max(0) subtracted from a square m would not).
    if [d for d, o in enumerate(order) if o == "x"] != list(reduced) or \
            [o for o in order if o != "x"] != list(range(m.type.ndim)):
        return None
    return y if set(reduced) <= set(axes) else None


def _keepdims_pattern(x, axes):
    order, k = [], 0
    for d in range(x.type.ndim):
        if d in axes:
            order.append("x")
        else:
            order.append(k)
            k += 1
    return order


STABILIZE = [
    # The canonicalisers again (tagged "canonicalize": Theano ran them in its canonicalize
    # slot only, so excluding it leaves the graph uncanonicalised in every phase).
    node_rule("local_mul_canonizer_stable", (S.mul, S.true_div, S.inv, S.neg), _products,
              tags=("canonicalize_algebra", "local_exp_over_1_plus_exp", "canonicalize")),
    node_rule("local_greedy_distributor", (S.mul, S.true_div, S.inv, S.neg), _distribute),
    node_rule("local_add_canonizer_stable", (S.add, S.sub, S.neg), _sums,
              tags=("canonicalize_algebra", "canonicalize")),
    # Not in Theano 1.0.5 (which computed 1 - sigmoid(x) as written): sigmoid(-x) is the
    # same value without the cancellation, provided -x is exact, hence _float_negate.
    pattern("local_1msigmoid", (S.sub, 1, (S.sigmoid, "x")),
            lambda x: S.sigmoid(_float_negate(x))),
    pattern("local_log_sigmoid", (S.log, (S.sigmoid, "x")),
            lambda x: S.neg(S.softplus(negate(x)))),
    pattern("local_log1p_neg_sigmoid", (S.log1p, (S.neg, (S.sigmoid, "x"))),
            lambda x: S.neg(S.softplus(x))),
    pattern("local_log1p", (S.log, (S.add, 1, "x")), (S.log1p, "x")),
    pattern("local_log1p_of_one_minus", (S.log, (S.sub, 1, "x")), lambda x: S.log1p(negate(x))),
    pattern("local_softplus_of_exp", (S.log1p, (S.exp, "x")), (S.softplus, "x")),
    pattern("local_expm1", (S.sub, (S.exp, "x"), 1), (S.expm1, "x")),
    pattern("local_expm1_add", (S.add, (S.exp, "x"), -1), (S.expm1, "x")),
    pattern("local_erfc", (S.sub, 1, (S.erf, "x")), (S.erfc, "x")),
    # No sqrt(sqr(x)) -> abs(x) nor log(exp(x)) -> x: Theano 1.0.5 had neither and they
    # change its values (sqr overflows at |x| > 1.3e154 or wraps for integers, exp
    # overflows at x > 709.78).
    node_rule("local_log_softmax", (S.log,), _log_of_softmax),
    node_rule("local_crossentropy_to_log_softmax", (CrossentropyCategorical1Hot,),
              _crossentropy_of_softmax),
    node_rule("local_softmax_grad_crossentropy", (SoftmaxGrad,), _softmax_grad_of_crossentropy),
    node_rule("local_log_sum_exp", (S.log,), _logsumexp),
]

