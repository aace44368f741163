"""Canonical forms of products and sums (Theano's algebraic canonicaliser, written anew).

A tree of ``mul``/``true_div``/``inv``/``neg`` nodes is read as ``c * n1 * n2 ... /
(d1 * d2 ...)``: the constants are multiplied into one leading constant (so
``0.01 * 2 * x`` becomes ``0.02 * x``, as Theano computed it), a factor present above and
below the line cancels, and the result is rebuilt as ``mul(c, n1, ...) / mul(d1, ...)``
evaluated left to right.  Sums (``add``/``sub``/``neg``) are read the same way as
``c + p1 + ... - (q1 + ...)``.

Only floating-point trees are rewritten: integer division and overflow make the
algebra unsafe there.  A tree is rewritten at its root (a node whose value is not only
consumed by another node of the same tree), so a long chain is read once.

`factor_hooks` let stabilisation join factors (``exp(x) / (1 + exp(x))`` -> ``sigmoid(x)``)
before cancelling; see stabilize.py.
"""

from __future__ import annotations

import numpy as np

from ...scalar import dtypes as D
from ...scalar import ops as S
from .utils import as_type_of, const_value, scalar_of
from ..basic import NotScalarConstantError

MUL_FAMILY = (S.mul, S.true_div, S.inv, S.neg)
ADD_FAMILY = (S.add, S.sub, S.neg)


def _float_node(node, family):
    return (scalar_of(node) in family
            and node.outputs[0].type.dtype in D.float_dtypes + D.complex_dtypes)


def _scalar_constant(var):
    """The value of a constant scalar factor (also a broadcast one), else None."""
    try:
        return const_value(var)
    except NotScalarConstantError:
        return None


class Form:
    """``const * prod(num) / prod(den)`` (or ``const + sum(num) - sum(den)`` for sums)."""

    def __init__(self, dtype, neutral):
        self.const = np.asarray(neutral, dtype=dtype)
        self.n_consts = 0
        self.num = []
        self.den = []
        self.expanded = 0
        # Models of the fills (``second(model, v)``) read through: they only gave a
        # shape, which the rebuilt expression gets back if it needs it.
        self.shape_sources = []


# How each operation of a family splits into operands: (operand, same side of the line?)
# plus a constant factor it contributes (neg is -1 in a product, a side flip in a sum).
_PRODUCT_PARTS = {
    S.mul: lambda ins: ([(i, True) for i in ins], None),
    S.true_div: lambda ins: ([(ins[0], True), (ins[1], False)], None),
    S.inv: lambda ins: ([(ins[0], False)], None),
    S.neg: lambda ins: ([(ins[0], True)], -1),
}
_SUM_PARTS = {
    S.add: lambda ins: ([(i, True) for i in ins], None),
    S.sub: lambda ins: ([(ins[0], True), (ins[1], False)], None),
    S.neg: lambda ins: ([(ins[0], False)], None),
}


def _fold_product(const, v, up):
    return const * v if up else const / v


def _fold_sum(const, v, up):
    return const + v if up else const - v


def read_product(var, dtype):
    form = Form(dtype, 1)
    _read(var, form, True, dtype, MUL_FAMILY, _PRODUCT_PARTS, _fold_product, root=True)
    return form


def read_sum(var, dtype):
    form = Form(dtype, 0)
    _read(var, form, True, dtype, ADD_FAMILY, _SUM_PARTS, _fold_sum, root=True)
    return form


def _read(var, form, up, dtype, family, parts, fold, root=False):
    """Add `var` to `form` (above the line when `up`): operations of `family` are split
    into their operands, fills are read through, scalar constants are folded."""
    node = var.owner
    if scalar_of(node) is not None and node.outputs[0].type.dtype == dtype:
        if not root and scalar_of(node) is S.second:
            form.shape_sources.append(node.inputs[0])
            form.expanded += 1
            _read(node.inputs[1], form, up, dtype, family, parts, fold)
            return
        if root or _float_node(node, family):
            form.expanded += 1
            operands, factor = parts[scalar_of(node)](node.inputs)
            if factor is not None:
                form.const = fold(form.const, np.asarray(factor, dtype=dtype), True)
                form.n_consts += 1
            for operand, same_side in operands:
                _read(operand, form, up if same_side else not up, dtype, family, parts, fold)
            return
    value = _scalar_constant(var)
    if value is not None and np.asarray(value).dtype.kind in "fciub":
        with np.errstate(all="ignore"):
            form.const = fold(form.const, np.asarray(value, dtype=dtype), up)
        form.n_consts += 1
        return
    (form.num if up else form.den).append(var)


def value_key(var, fgraph):
    """Identity of a value: the variable itself when it is in the graph (merged), else
    (for nodes a rule just built) its op and the keys of its inputs."""
    if var.owner is None or fgraph is None or var in fgraph.variables:
        return id(var)
    node = var.owner
    return (node.op, node.outputs.index(var)) + tuple(value_key(i, fgraph) for i in node.inputs)


def cancel(form, fgraph=None):
    """Remove factors (terms) present on both sides.  Returns the removed variables."""
    removed = []
    den = list(form.den)
    den_keys = [value_key(v, fgraph) for v in den]
    num = []
    for v in form.num:
        k = value_key(v, fgraph)
        if k in den_keys:
            j = den_keys.index(k)
            del den[j], den_keys[j]
            removed.append(v)
        else:
            num.append(v)
    form.num, form.den = num, den
    return removed


def _chain(op, items):
    out = items[0]
    for v in items[1:]:
        out = op(out, v)
    return out


def build_product(form, like):
    """The expression of a product form (None when it is empty: the constant alone)."""
    c = form.const
    num = list(form.num)
    lead = None
    if c != 1 or not (num or form.den):
        lead = _const(c, like)
    if lead is not None:
        if c == -1 and num:
            num[0] = S.neg(num[0])
        else:
            num.insert(0, lead)
    if not form.den:
        return _chain(S.mul, num)
    den = _chain(S.mul, form.den)
    if not num:
        return S.true_div(_const(np.asarray(1, dtype=c.dtype), like), den)
    return S.true_div(_chain(S.mul, num), den)


def build_sum(form, like):
    c = form.const
    pos = list(form.num)
    if c != 0 or not (pos or form.den):
        pos.insert(0, _const(c, like))
    if not form.den:
        return _chain(S.add, pos)
    neg = _chain(S.add, form.den)
    if not pos:
        return S.neg(neg)
    return S.sub(_chain(S.add, pos), neg)


def _const(value, like):
    from .. import basic as B

    data = np.asarray(value, dtype=like.type.dtype).reshape(())
    return B.constant(data)


def _leaf_key(v):
    value = _scalar_constant(v)
    if value is not None:
        return ("const", _const_key(value))
    return id(v)


def _const_key(value):
    return float(np.real(value)) if np.isrealobj(value) else complex(value)


def _chain_key(name, keys):
    out = keys[0]
    for k in keys[1:]:
        out = _commuted((name, out, k))
    return out


def _commuted(key):
    """Binary add/mul keys in a fixed operand order (a commuted pair computes the same)."""
    if key[0] in ("mul", "add") and len(key) == 3:
        a, b = sorted(key[1:], key=repr)
        return (key[0], a, b)
    return key


def planned_product(form):
    """The structure `build_product` would give, without building it."""
    c = form.const
    num = [_leaf_key(v) for v in form.num]
    den = [_leaf_key(v) for v in form.den]
    if c != 1 or not (num or den):
        if c == -1 and num:
            num[0] = ("neg", num[0])
        else:
            num.insert(0, ("const", _const_key(c)))
    if not den:
        return _chain_key("mul", num)
    if not num:
        return ("true_div", ("const", 1.0), _chain_key("mul", den))
    return ("true_div", _chain_key("mul", num), _chain_key("mul", den))


def planned_sum(form):
    c = form.const
    pos = [_leaf_key(v) for v in form.num]
    if c != 0 or not (pos or form.den):
        pos.insert(0, ("const", _const_key(c)))
    if not form.den:
        return _chain_key("add", pos)
    neg = _chain_key("add", [_leaf_key(v) for v in form.den])
    if not pos:
        return ("neg", neg)
    return ("sub", _chain_key("add", pos), neg)


def _structure(var, family, dtype, root=True):
    """A hashable picture of the tree as it is (to detect a rewrite that changes nothing)."""
    node = var.owner
    if node is not None and not root and scalar_of(node) is S.second and \
            node.outputs[0].type.dtype == dtype:
        return ("second",) + tuple(_structure(i, family, dtype, False) for i in node.inputs)
    if node is not None and _float_node(node, family) and \
            node.outputs[0].type.dtype == dtype:
        return _commuted((scalar_of(node).name,) + tuple(_structure(i, family, dtype, False)
                                                         for i in node.inputs))
    return _leaf_key(var)


def is_tree_root(fgraph, node, family):
    """Whether `node` heads its tree (not consumed only by nodes of the same family)."""
    dtype = node.outputs[0].type.dtype
    clients = fgraph.clients(node.outputs[0])
    if not clients:
        return True
    for client, _ in clients:
        if client == "output" or not _float_node(client, family) or \
                client.outputs[0].type.dtype != dtype:
            return True
    return False


def canonical_product(fgraph, node, factor_hooks=()):
    """Rewrite the product tree rooted at `node` in canonical form (None: already is)."""
    if not _float_node(node, MUL_FAMILY) or not is_tree_root(fgraph, node, MUL_FAMILY):
        return None
    out = node.outputs[0]
    dtype = out.type.dtype
    form = read_product(out, dtype)
    changed = False
    for hook in factor_hooks:
        changed |= bool(hook(form))
    removed = cancel(form, fgraph)
    if not changed and not removed and not form.shape_sources and \
            planned_product(form) == _structure(out, MUL_FAMILY, dtype):
        return None
    new = build_product(form, out)
    return _typed(new, out, removed + form.num + form.den + form.shape_sources)


def distribute(fgraph, node, factor_hooks=(), max_terms=8):
    """``a * (b - c) / d`` -> ``a*b/d - a*c/d`` when that lets some term cancel a factor.

    Gradients produce such products (the chain rule multiplies a sum of incoming
    gradients by a local derivative); distributing exposes ``(g / p) * p``-style pairs
    whose cancellation is what keeps softmax and sigmoid gradients finite.
    """
    if not _float_node(node, MUL_FAMILY) or not is_tree_root(fgraph, node, MUL_FAMILY):
        return None
    out = node.outputs[0]
    dtype = out.type.dtype
    form = read_product(out, dtype)
    for k, factor in enumerate(form.num):
        if factor.owner is None or not _float_node(factor.owner, ADD_FAMILY) or \
                factor.type.dtype != dtype:
            continue
        terms = read_sum(factor, dtype)
        if len(terms.num) + len(terms.den) > max_terms or terms.const != 0:
            continue
        rest_num = form.num[:k] + form.num[k + 1:]
        built, helped = [], False
        for term, sign in [(t, 1) for t in terms.num] + [(t, -1) for t in terms.den]:
            part = read_product(term, dtype) if term.owner is not None and \
                _float_node(term.owner, MUL_FAMILY) and term.type.dtype == dtype else None
            tf = Form(dtype, 1)
            tf.const = form.const * (part.const if part is not None else 1)
            tf.num = rest_num + (part.num if part is not None else [term])
            tf.den = form.den + (part.den if part is not None else [])
            changed = any([bool(h(tf)) for h in factor_hooks])
            helped |= bool(cancel(tf, fgraph)) or changed
            built.append((build_product(tf, out), sign))
        if not helped:
            continue
        total = Form(dtype, 0)
        total.num = [b for b, sgn in built if sgn > 0]
        total.den = [b for b, sgn in built if sgn < 0]
        new = build_sum(total, out)
        return _typed(new, out, form.num + form.den + form.shape_sources)
    return None


def canonical_sum(fgraph, node):
    if not _float_node(node, ADD_FAMILY) or not is_tree_root(fgraph, node, ADD_FAMILY):
        return None
    out = node.outputs[0]
    dtype = out.type.dtype
    form = read_sum(out, dtype)
    removed = cancel(form, fgraph)
    if not removed and not form.shape_sources and \
            planned_sum(form) == _structure(out, ADD_FAMILY, dtype):
        return None
    new = build_sum(form, out)
    return _typed(new, out, removed + form.num + form.den + form.shape_sources)


def _typed(new, old, sources):
    if new is old:
        return None
    new = as_type_of(new, old, sorted(
        sources, key=lambda v: -sum(not b for b in v.type.broadcastable)))
    return None if new is None else [new]


