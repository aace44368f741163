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

import collections

import numpy as np

from ...scalar import dtypes as D
from ...scalar import ops as S
from .utils import as_type_of, const_value, scalar_of
from .. import basic as B
from ..basic import NotScalarConstantError, cast

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


def read_terms(var):
    """`var` read as an operand of a floating-point sum: a Form whose constant, added
    terms (`num`) and subtracted terms (`den`) are the same for every arrangement of the
    same sum, so a rule can recognise its own result after the add canonicaliser has
    regrouped it.  A variable that is not such a sum is one added term."""
    form = Form(var.type.dtype, 0)
    _read(var, form, True, var.type.dtype, ADD_FAMILY, _SUM_PARTS, _fold_sum)
    return form


def _read(var, form, up, dtype, family, parts, fold, root=False):
    """Add `var` to `form` (above the line when `up`): operations of `family` are split
    into their operands, fills are read through, scalar constants are folded.

    A depth-first walk, operands left to right (the order of the terms and of the
    constant folding), on a stack of its own: a sum of 10^5 terms is one deep tree."""
    stack = [(var, up, root)]
    while stack:
        var, up, root = stack.pop()
        node = var.owner
        if scalar_of(node) is not None and node.outputs[0].type.dtype == dtype:
            if not root and scalar_of(node) is S.second:
                form.shape_sources.append(node.inputs[0])
                form.expanded += 1
                stack.append((node.inputs[1], up, False))
                continue
            if root or _float_node(node, family):
                form.expanded += 1
                operands, factor = parts[scalar_of(node)](node.inputs)
                if factor is not None:
                    form.const = fold(form.const, np.asarray(factor, dtype=dtype), True)
                    form.n_consts += 1
                stack.extend((operand, up if same_side else not up, False)
                             for operand, same_side in reversed(operands))
                continue
        value = _scalar_constant(var)
        if value is not None and np.asarray(value).dtype.kind in "fciub":
            with np.errstate(all="ignore"):
                form.const = fold(form.const, np.asarray(value, dtype=dtype), up)
            form.n_consts += 1
            continue
        (form.num if up else form.den).append(var)


def x_over_abs_x(form):
    """A factor hook: ``x / abs(x)`` -> ``sgn(x)`` in a product (Theano's
    check_for_x_over_absX; not for complex x).  Returns whether it changed `form`."""
    changed = False
    for d in list(form.den):
        if scalar_of(d.owner) is not S.abs_ or d.type.dtype in D.complex_dtypes:
            continue
        v = d.owner.inputs[0]
        k = next((k for k, n in enumerate(form.num) if n is v), None)
        if k is None:
            continue
        form.den.remove(d)
        del form.num[k]
        form.num.append(S.sgn(v))
        changed = True
    return changed


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
    # key -> positions in den not yet cancelled, first first (a dict, not a list scan:
    # ``x - a1 - a2 ... - an`` has n terms below the line).
    den_at = {}
    for j, v in enumerate(form.den):
        den_at.setdefault(value_key(v, fgraph), collections.deque()).append(j)
    cancelled = set()
    num = []
    for v in form.num:
        slots = den_at.get(value_key(v, fgraph))
        if slots:
            cancelled.add(slots.popleft())
            removed.append(v)
        else:
            num.append(v)
    form.num = num
    form.den = [v for j, v in enumerate(form.den) if j not in cancelled]
    return removed


def _chain(op, items):
    out = items[0]
    for v in items[1:]:
        out = op(out, v)
    return out


def _in_dtype(items, like):
    """The operands in the tree's dtype.  Chained as they are, a bool, integer or
    narrower-float pair would be combined in its own dtype (``b1 + b2`` of bools is an
    ``or``, ``-u`` of a uint8 wraps around, ``u * u`` overflows), where each operation of
    the original tree upcast its operands to the tree's dtype first."""
    dtype = like.type.dtype
    return [v if v.type.dtype == dtype else cast(v, dtype) for v in items]


def build_product(form, like):
    """The expression of a product form (None when it is empty: the constant alone)."""
    c = form.const
    num = _in_dtype(form.num, like)
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
    den = _chain(S.mul, _in_dtype(form.den, like))
    if not num:
        return S.true_div(_const(np.asarray(1, dtype=c.dtype), like), den)
    return S.true_div(_chain(S.mul, num), den)


def build_sum(form, like):
    c = form.const
    pos = _in_dtype(form.num, like)
    if c != 0 or not (pos or form.den):
        pos.insert(0, _const(c, like))
    if not form.den:
        return _chain(S.add, pos)
    neg = _chain(S.add, _in_dtype(form.den, like))
    if not pos:
        return S.neg(neg)
    return S.sub(_chain(S.add, pos), neg)


def _const(value, like):
    data = np.asarray(value, dtype=like.type.dtype).reshape(())
    return B.constant(data)


def _leaf_key(v, keys):
    known = keys.of_variable.get(id(v))
    if known is None:
        value = _scalar_constant(v)
        known = keys.leaf(("const", _const_key(value)) if value is not None else id(v))
        keys.of_variable[id(v)] = known
    return known


def _const_key(value):
    # NaN as a string: a NaN key never equals itself, so a form with a NaN constant would
    # always look changed and be rebuilt forever (``x * 0.0 / 0.0``).
    key = float(np.real(value)) if np.isrealobj(value) else complex(value)
    return repr(key) if np.isnan(key) else key


class _Keys:
    """Numbers the shapes of expression trees, so two trees compare by one integer.

    A leaf (a variable, or a constant by value) and an operation over numbered operands
    each get a number; the operands of a binary add/mul are taken in number order (a
    commuted pair computes the same).  Flat keys keep a comparison O(1) per node where
    nested tuples cost their depth in hashing, ordering and comparison (and a sum of
    10^4 terms is 10^4 deep).
    """

    def __init__(self):
        self._ids = {}
        self.of_variable = {}  # id(leaf variable) -> its number (see _leaf_key)

    def leaf(self, key):
        return self._ids.setdefault(("leaf", key), len(self._ids))

    def op(self, name, *operands):
        if name in ("mul", "add") and len(operands) == 2 and operands[1] < operands[0]:
            operands = (operands[1], operands[0])
        return self._ids.setdefault((name,) + operands, len(self._ids))


def _chain_key(name, items, keys):
    out = items[0]
    for k in items[1:]:
        out = keys.op(name, out, k)
    return out


def planned_product(form, keys):
    """The shape (see _Keys) `build_product` would give, without building it."""
    c = form.const
    num = [_leaf_key(v, keys) for v in form.num]
    den = [_leaf_key(v, keys) for v in form.den]
    if c != 1 or not (num or den):
        if c == -1 and num:
            num[0] = keys.op("neg", num[0])
        else:
            num.insert(0, keys.leaf(("const", _const_key(c))))
    if not den:
        return _chain_key("mul", num, keys)
    if not num:
        return keys.op("true_div", keys.leaf(("const", 1.0)), _chain_key("mul", den, keys))
    return keys.op("true_div", _chain_key("mul", num, keys), _chain_key("mul", den, keys))


def planned_sum(form, keys):
    c = form.const
    pos = [_leaf_key(v, keys) for v in form.num]
    if c != 0 or not (pos or form.den):
        pos.insert(0, keys.leaf(("const", _const_key(c))))
    if not form.den:
        return _chain_key("add", pos, keys)
    neg = _chain_key("add", [_leaf_key(v, keys) for v in form.den], keys)
    if not pos:
        return keys.op("neg", neg)
    return keys.op("sub", _chain_key("add", pos, keys), neg)


def _structure(var, family, dtype, keys):
    """The shape (see _Keys) of the tree as it is (to detect a rewrite that changes
    nothing).  Post-order on a stack of its own: trees can be 10^5 deep."""
    done = {}  # id(variable) -> its shape number (a tree may read a variable twice)
    stack = [(var, True, False)]
    while stack:
        v, root, expanded = stack.pop()
        if id(v) in done and not root:
            continue
        node = v.owner
        name = None
        if node is not None and not root and scalar_of(node) is S.second and \
                node.outputs[0].type.dtype == dtype:
            name = "second"
        elif node is not None and _float_node(node, family) and \
                node.outputs[0].type.dtype == dtype:
            name = scalar_of(node).name
        if name is None:
            done[id(v)] = _leaf_key(v, keys)
        elif expanded and name == "inv":
            # inv(d) is the form 1 / d (build_product's true_div(1, d)) as it stands: the
            # specialize phase's local_div_to_inv writes it so.
            done[id(v)] = keys.op("true_div", keys.leaf(("const", 1.0)), done[id(node.inputs[0])])
        elif expanded:
            done[id(v)] = keys.op(name, *[done[id(i)] for i in node.inputs])
        else:
            stack.append((v, root, True))
            stack.extend((i, False, False) for i in reversed(node.inputs))
    return done[id(var)]


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
    keys = _Keys()
    if not changed and not removed and not form.shape_sources and \
            planned_product(form, keys) == _structure(out, MUL_FAMILY, dtype, keys):
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
            # The term's factors first, then the product's (Theano's distribute_greedy
            # order: a/z * x * z gives a * x).
            tf.num = (part.num if part is not None else [term]) + rest_num
            tf.den = (part.den if part is not None else []) + form.den
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
    keys = _Keys()
    if not removed and not form.shape_sources and \
            planned_sum(form, keys) == _structure(out, ADD_FAMILY, dtype, keys):
        return None
    new = build_sum(form, out)
    return _typed(new, out, removed + form.num + form.den + form.shape_sources)


def _typed(new, old, sources):
    if new is old:
        return None
    new = as_type_of(new, old, sorted(
        sources, key=lambda v: -sum(not b for b in v.type.broadcastable)))
    return None if new is None else [new]


