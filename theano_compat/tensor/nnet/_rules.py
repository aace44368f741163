"""Theano 1.0.5's softmax / cross-entropy / argmax rewrites as rules of the project's
rewrite engine (graph/rewrite.py), so that FAST_RUN graphs hold Theano's fused Ops:
``crossentropy_softmax_argmax_1hot_with_bias`` for the forward cross-entropy,
``crossentropy_softmax_1hot_with_bias_dx`` for its gradient, ``softmax_with_bias`` for a
softmax of a biased matrix.  Both fused Ops compute from the logits, so the results stay
finite where a probability underflows (as the project's stabilisation rules made them).

`NNET_RULES` and `NNET_REGISTRATION` (the optdb slots of each rule, in the format of
tensor/rewrites/legacy.py) are aggregated by legacy.py.  The cross-entropy rules sit in
the canonicalize slot (Theano: stabilize/specialize) so that they see the graph before
the project's stabilisation rules rewrite ``log(softmax(x))`` into ``logsoftmax(x)``;
the canonicalize rules also run in the specialize phase.
"""

from __future__ import annotations

from ...graph.optimizers import copy_stack_trace
from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..elemwise import DimShuffle, Elemwise, Sum
from ..math import Argmax, MaxAndArgmax
from ..shapes import Shape, Shape_i
from ..subtensor import AdvancedIncSubtensor, AdvancedSubtensor
from ..rewrites.utils import as_type_of, is_elemwise
from .crossentropy import (CrossentropyCategorical1Hot, CrossentropySoftmax1HotWithBiasDx,
                           SoftmaxGrad, SoftmaxWithBias, crossentropy_categorical_1hot_grad,
                           crossentropy_softmax_1hot_with_bias_dx,
                           crossentropy_softmax_argmax_1hot_with_bias, softmax_with_bias)
from .nnet import Softmax, _is_const, _rows_are_arange_of, softmax_op, split_row_bias
from .blocksparse import SparseBlockGemv, SparseBlockOuter
from .opt import local_inplace_sparse_block_gemv, local_inplace_sparse_block_outer
from .sigm import local_hard_sigmoid, local_sigm_times_exp, local_ultra_fast_sigmoid


def _clients(fgraph, var):
    return [c for c, _ in fgraph.clients.get(var, ()) if c != "output"]


def _zeros_bias(x):
    """The zero bias of a plain softmax of `x` (Theano: zeros_like(x[0]))."""
    return B.alloc(B.constant(0, dtype=x.type.dtype), x.shape[1])


def _is_zeros_bias(b):
    return b.owner is not None and isinstance(b.owner.op, B.Alloc) and \
        _is_const(b.owner.inputs[0], 0)


def _add_terms(v, fgraph):
    """The terms of a sum `v`: nested adds read through (each read only by its sum), and
    ``dimshuffle('x', 0)`` of a sum of vectors read as the sum of their dimshuffles (as
    Theano's local_dimshuffle_lift left it by then)."""
    owner = v.owner
    if owner is None:
        return [v]
    if isinstance(owner.op, Elemwise) and owner.op.scalar_op == S.add:
        out = []
        for i in owner.inputs:
            if i.owner is not None and len(_clients(fgraph, i)) == 1 and (
                    is_elemwise(i, S.add) or _is_padded_sum(i)):
                out += _add_terms(i, fgraph)
            else:
                out.append(i)
        return out
    if _is_padded_sum(v):
        (inner,) = owner.inputs
        return [B.shape_padleft(t) for t in _add_terms(inner, fgraph)]
    return [v]


def _is_padded_sum(v):
    owner = v.owner
    return (owner is not None and isinstance(owner.op, DimShuffle)
            and tuple(owner.op.new_order) == ("x", 0) and is_elemwise(owner.inputs[0], S.add)
            and all(i.type.ndim == 1 for i in owner.inputs[0].owner.inputs))


def _split_bias(x, fgraph):
    """(matrix, bias vector) of a sum of a matrix and row-broadcast vectors (Theano's
    local_softmax_with_bias split), or None."""
    if not (is_elemwise(x, S.add) or _is_padded_sum(x)):
        return None
    split = split_row_bias(_add_terms(x, fgraph))
    if split is None:
        return None
    non_vector_sum, vector_sum = split
    if non_vector_sum.type.ndim != 2 or vector_sum.type.ndim != 1 or \
            non_vector_sum.type.dtype != x.type.dtype or vector_sum.type.dtype != x.type.dtype:
        return None
    return non_vector_sum, vector_sum


def _logits_and_bias(sm, fgraph):
    """(x, b) of a softmax: softmax_with_bias(x, b) as is, softmax(x + vector) split as
    local_softmax_with_bias splits it, softmax(x) with a zero bias; None otherwise."""
    if sm.owner is None:
        return None
    op = sm.owner.op
    if op == softmax_with_bias:
        return tuple(sm.owner.inputs)
    if op != softmax_op:
        return None
    x = sm.owner.inputs[0]
    split = _split_bias(x, fgraph)
    if split is not None:
        return split
    return x, _zeros_bias(x)


def _fused(sm, labels, trace_from, fgraph):
    xb = _logits_and_bias(sm, fgraph)
    if xb is None or labels.type.ndim != 1:
        return None
    try:
        outs = crossentropy_softmax_argmax_1hot_with_bias(xb[0], xb[1], labels)
    except (TypeError, ValueError):
        return None
    copy_stack_trace(trace_from, outs)
    return outs


def _crossentropy_with_softmax(fgraph, node):
    """crossentropy_categorical_1hot(softmax(x + b), y) and that softmax -> the nll and
    softmax outputs of crossentropy_softmax_argmax_1hot_with_bias(x, b, y) (Theano's
    crossentropy_to_crossentropy_with_softmax[_with_bias])."""
    sm, labels = node.inputs
    outs = _fused(sm, labels, node.outputs[0], fgraph)
    if outs is None:
        return None
    # (The softmax itself, if read elsewhere, becomes the fused Op's second output by
    # graph_merge_softmax_with_crossentropy_softmax, once only real readers are left.)
    return [outs[0]]


def _softmax_grad_to_dx(fgraph, node):
    """softmax_grad(crossentropy_categorical_1hot_grad(g, sm, y), sm) ->
    crossentropy_softmax_1hot_with_bias_dx(g, sm, y)."""
    dy, sm = node.inputs
    if dy.owner is None or dy.owner.op != crossentropy_categorical_1hot_grad:
        return None
    g, coding, labels = dy.owner.inputs
    if coding is not sm:
        return None
    dx = crossentropy_softmax_1hot_with_bias_dx(g, sm, labels)
    copy_stack_trace(node.outputs[0], dx)
    return [dx]


def _picked(v):
    """(sm, rows, labels) of ``sm[rows, labels]`` with rows = arange(len(labels))."""
    if v.owner is None or not isinstance(v.owner.op, AdvancedSubtensor) or \
            len(v.owner.inputs) != 3:
        return None
    sm, rows, labels = v.owner.inputs
    if labels.type.ndim != 1 or not _rows_are_arange_of(rows, labels):
        return None
    return sm, rows, labels


def _advanced_indexing_crossentropy(fgraph, node):
    """log(softmax(x))[arange(n), y] and log(softmax(x)[arange(n), y]) ->
    -crossentropy_softmax_argmax_1hot_with_bias(x, b, y)[0] (Theano's
    local_advanced_indexing_crossentropy_onehot)."""
    if isinstance(node.op, AdvancedSubtensor):
        picked = _picked(node.outputs[0])
        if picked is None or not is_elemwise(picked[0], S.log):
            return None
        sm, labels = picked[0].owner.inputs[0], picked[2]
    elif is_elemwise(node.outputs[0], S.log):
        picked = _picked(node.inputs[0])
        if picked is None:
            return None
        sm, labels = picked[0], picked[2]
    else:
        return None
    if sm.owner is None or sm.owner.op not in (softmax_op, softmax_with_bias) or \
            sm.type.ndim != 2:
        return None
    outs = _fused(sm, labels, node.outputs[0], fgraph)
    if outs is None:
        return None
    ret = -outs[0]
    copy_stack_trace(node.outputs[0], ret)
    return [as_type_of(ret, node.outputs[0])]


def _factors(v, sign=1):
    """(sign, numerator factors, denominator factors) of a product of mul, true_div,
    neg and inv."""
    if is_elemwise(v, S.neg):
        return _factors(v.owner.inputs[0], -sign)
    if is_elemwise(v, S.mul):
        num, den = [], []
        for i in v.owner.inputs:
            sign, n, d = _factors(i, sign)
            num += n
            den += d
        return sign, num, den
    if is_elemwise(v, S.true_div):
        sign, n1, d1 = _factors(v.owner.inputs[0], sign)
        sign, n2, d2 = _factors(v.owner.inputs[1], sign)
        return sign, n1 + d2, d1 + n2
    if is_elemwise(v, S.inv):
        sign, n, d = _factors(v.owner.inputs[0], sign)
        return sign, d, n
    return sign, [v], []


def _product(num, den, like):
    out = num[0] if num else B.constant(1, dtype=like.type.dtype)
    for f in num[1:]:
        out = out * f
    for f in den:
        out = out / f
    return out


def _negate(v):
    """-v, the negation moved under DimShuffles (where the canonicalizers fold it)."""
    owner = v.owner
    if is_elemwise(v, S.neg):
        return owner.inputs[0]
    if owner is not None and isinstance(owner.op, DimShuffle):
        return owner.op(_negate(owner.inputs[0]))
    return -v


def _as_rows(w):
    """`w` as a vector of per-row weights or a scalar, or None."""
    while w.type.ndim > 1 and w.type.broadcastable[-1]:
        w = w.dimshuffle(*range(w.type.ndim - 1))
    if w.type.ndim > 1:
        return None
    return w


def _advanced_indexing_crossentropy_grad(fgraph, node):
    """The gradient of -log(softmax(x))[arange(n), y] and of -log(softmax(x)[arange(n), y])
    with respect to x -> crossentropy_softmax_1hot_with_bias_dx(w, softmax(x), y), w the
    per-row weights (Theano's local_advanced_indexing_crossentropy_onehot_grad)."""
    d_sm, sm = node.inputs
    if sm.owner is None or sm.owner.op not in (softmax_op, softmax_with_bias):
        return None
    sign, num, den = _factors(d_sm)
    if len(num) != 1 or (den and (len(den) != 1 or den[0] is not sm)):
        return None
    inc = num[0].owner
    if inc is None or not isinstance(inc.op, AdvancedIncSubtensor) or \
            inc.op.set_instead_of_inc or len(inc.inputs) != 4:
        return None
    zeros, incr, rows, labels = inc.inputs
    if labels.type.ndim != 1 or not _is_const(zeros, 0) or \
            not _rows_are_arange_of(rows, labels):
        return None
    if den:
        # softmax_grad(sign * inc_subtensor(zeros[rows, y], gz) / sm, sm): w = -sign * gz
        w, w_sign = incr, -sign
    else:
        # softmax_grad(sign * inc_subtensor(zeros[rows, y], s2 * W / sm[rows, y]), sm):
        # w = -sign * s2 * W
        s2, n2, d2 = _factors(incr)
        picked = [d for d in d2 if _picked(d) is not None and d.owner.inputs[0] is sm
                  and d.owner.inputs[2] is labels]
        if not picked:
            return None
        d2 = list(d2)
        d2.remove(picked[0])
        w, w_sign = _product(n2, d2, incr), -sign * s2
    if w.type.dtype != sm.type.dtype:
        w = B.cast(w, sm.type.dtype)
    w = _as_rows(w)
    if w is None:
        return None
    if w_sign < 0:
        w = _negate(w)
    try:
        dx = crossentropy_softmax_1hot_with_bias_dx(w, sm, labels)
    except (TypeError, ValueError):
        return None
    copy_stack_trace(node.outputs[0], dx)
    return [dx]


def _merge_softmax_with_crossentropy(fgraph, node):
    """softmax_with_bias(x, b) (or softmax(x)) -> the softmax output of a
    crossentropy_softmax_argmax_1hot_with_bias(x, b, y) of the same x and b (a zero b
    for the plain softmax) in the graph (Theano's
    graph_merge_softmax_with_crossentropy_softmax)."""
    if node.op == softmax_with_bias:
        x, b = node.inputs
    elif node.op == softmax_op:
        (x,), b = node.inputs, None
    else:
        return None
    for client in _clients(fgraph, x):
        if client.op != crossentropy_softmax_argmax_1hot_with_bias or client.inputs[0] is not x:
            continue
        if not any(_value_used(fgraph, o) for o in client.outputs):
            continue  # left only for shapes the shape rules have not replaced yet
        cb = client.inputs[1]
        if (b is not None and cb is b) or (b is None and _is_zeros_bias(cb)):
            if client.outputs[1].type == node.outputs[0].type:
                return [client.outputs[1]]
    return None


def _value_used(fgraph, var, depth=8):
    """Whether the value of `var` is needed for the graph's outputs (not only its shape),
    as far as `depth` levels of readers tell."""
    if var in fgraph.outputs:
        return True
    for client, pos in fgraph.clients.get(var, ()):
        if client == "output":
            return True
        op = client.op
        if isinstance(op, (Shape, Shape_i)):
            continue
        if isinstance(op, Elemwise) and op.scalar_op == S.second and pos == 0:
            continue
        if depth <= 0 or any(_value_used(fgraph, o, depth - 1) for o in client.outputs):
            return True
    return False


def _softmax_with_bias(fgraph, node):
    """softmax(x + b) -> softmax_with_bias(x, b) (Theano's local_softmax_with_bias)."""
    split = _split_bias(node.inputs[0], fgraph)
    if split is None:
        return None
    try:
        out = softmax_with_bias(*split)
    except (TypeError, ValueError):
        return None
    if out.type != node.outputs[0].type:
        return None
    copy_stack_trace(node.outputs[0], out)
    return [out]


def _softmax_simplifier(fgraph, node):
    """exp(x) / sum(exp(x), axis=1)[:, None] -> softmax(x) (Theano's softmax_simplifier
    of the multiplication canonicalizer)."""
    num, den = node.inputs
    if not is_elemwise(num, S.exp) or num.type.ndim != 2 or \
            num.type.dtype not in ("float16", "float32", "float64"):
        return None
    owner = den.owner
    if owner is None or not isinstance(owner.op, DimShuffle) or \
            tuple(owner.op.new_order) != (0, "x"):
        return None
    z = owner.inputs[0]
    if z.owner is None or not isinstance(z.owner.op, Sum) or z.owner.inputs[0] is not num \
            or tuple(z.owner.op._axes(2)) != (1,):
        return None
    sm = softmax_op(num.owner.inputs[0])
    if sm.type != node.outputs[0].type:
        return None
    copy_stack_trace(node.outputs[0], sm)
    return [sm]


def _useless_dx_alloc(fgraph, node):
    """crossentropy_softmax_1hot_with_bias_dx(alloc(g, n), sm, y) ->
    crossentropy_softmax_1hot_with_bias_dx(g, sm, y) for a scalar g (the Op uses a
    scalar gradient for every row)."""
    dy, sm, y_idx = node.inputs
    if is_elemwise(dy, S.neg) and dy.owner.inputs[0].owner is not None and \
            isinstance(dy.owner.inputs[0].owner.op, DimShuffle):
        # -dimshuffle(u) -> dimshuffle(-u): the negation of the scalar, where the
        # canonicalizers (or fusion) fold it
        ret = node.op(_negate(dy.owner.inputs[0]), sm, y_idx)
        copy_stack_trace(node.outputs[0], ret)
        return [ret]
    if dy.owner is None or not isinstance(dy.owner.op, B.Alloc):
        return None
    value, *shape = dy.owner.inputs
    if value.type.ndim == 1 and value.type.broadcastable[0]:
        # a length-1 vector broadcast to as many rows as the Op has (the length of the
        # labels, of the softmax or of its logits): kept as is, as Theano did (the Op
        # broadcasts a length-1 dy)
        if len(shape) != 1 or not _counts_rows(shape[0], sm, y_idx):
            return None
    elif value.type.ndim != 0:
        return None
    ret = node.op(value, sm, y_idx)
    copy_stack_trace(node.outputs[0], ret)
    return [ret]


def _counts_rows(n, sm, y_idx):
    """Whether `n` is known to be the number of rows of `sm` (= the length of y_idx)."""
    if n.owner is None or not isinstance(n.owner.op, Shape_i) or n.owner.op.i != 0:
        return False
    src = n.owner.inputs[0]
    if src is sm or src is y_idx:
        return True
    owner = sm.owner
    return owner is not None and owner.op in (softmax_op, softmax_with_bias,
                                              crossentropy_softmax_argmax_1hot_with_bias) \
        and owner.inputs[0] is src


_MONOTONIC = (S.exp, S.log, S.tanh, S.sigmoid, S.softplus)


def _argmax_pushdown(fgraph, node):
    """argmax(f(x)) -> argmax(x) for f increasing (softmax, exp, log, tanh, sigmoid,
    softplus; softmax_with_bias(x, b) gives x + b), when the max is not used (Theano's
    local_argmax_pushdown)."""
    if isinstance(node.op, MaxAndArgmax):
        if _clients(fgraph, node.outputs[0]) or node.outputs[0] in fgraph.outputs:
            return None
        pos = 1
    elif isinstance(node.op, Argmax) and getattr(node.op, "kind", "max") == "max":
        pos = 0
    else:
        return None
    x = node.inputs[0]
    if x.owner is None:
        return None
    op = x.owner.op
    if op == softmax_op or (isinstance(op, Elemwise) and op.scalar_op in _MONOTONIC
                            and len(x.owner.inputs) == 1):
        pre_x = x.owner.inputs[0]
    elif op == softmax_with_bias:
        pre_x = x.owner.inputs[0] + x.owner.inputs[1].dimshuffle("x", 0)
    else:
        return None
    if pre_x.type.ndim != x.type.ndim:
        return None
    new = node.op.make_node(pre_x).outputs
    copy_stack_trace(node.outputs[pos], new)
    return {node.outputs[pos]: new[pos]}


def _inplace(lopt):
    """An in-place rule for an Op destroying its input 0: never a graph input (a
    caller's array or a shared variable's value, which Theano's Supervisor protected)."""
    def fn(fgraph, node):
        if node.inputs[0].owner is None:
            return None
        return lopt.transform(node) or None
    return fn


def _wrap(lopt):
    """A rule from a Theano-style local optimizer of sigm.py."""
    def fn(fgraph, node):
        return lopt.transform(node) or None
    return fn


NNET_RULES = [
    node_rule("crossentropy_to_crossentropy_with_softmax", (CrossentropyCategorical1Hot,),
              _crossentropy_with_softmax),
    node_rule("local_softmax_grad_to_crossentropy_with_softmax_grad", (SoftmaxGrad,),
              _softmax_grad_to_dx),
    node_rule("local_advanced_indexing_crossentropy_onehot", (AdvancedSubtensor, S.log),
              _advanced_indexing_crossentropy),
    node_rule("local_advanced_indexing_crossentropy_onehot_grad", (SoftmaxGrad,),
              _advanced_indexing_crossentropy_grad),
    node_rule("graph_merge_softmax_with_crossentropy_softmax", (SoftmaxWithBias, Softmax),
              _merge_softmax_with_crossentropy),
    node_rule("local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc",
              (CrossentropySoftmax1HotWithBiasDx,), _useless_dx_alloc),
    node_rule("local_softmax_with_bias", (Softmax,), _softmax_with_bias),
    node_rule("softmax_simplifier", (S.true_div,), _softmax_simplifier),
    node_rule("local_argmax_pushdown", (MaxAndArgmax, Argmax), _argmax_pushdown),
    node_rule("local_sigm_times_exp", (S.mul,), _wrap(local_sigm_times_exp)),
    node_rule("local_ultra_fast_sigmoid", (S.sigmoid,), _wrap(local_ultra_fast_sigmoid)),
    node_rule("local_hard_sigmoid", (S.sigmoid,), _wrap(local_hard_sigmoid)),
    node_rule("local_inplace_sparse_block_gemv", (SparseBlockGemv,),
              _inplace(local_inplace_sparse_block_gemv)),
    node_rule("local_inplace_sparse_block_outer", (SparseBlockOuter,),
              _inplace(local_inplace_sparse_block_outer)),
]

# (slots, extra tags) as in legacy.REGISTRATION; "<optional>" marks a rule Theano
# registered without "fast_run" (it runs only when a mode includes it by name).
NNET_REGISTRATION = {
    "crossentropy_to_crossentropy_with_softmax": (
        ("canonicalize",), ("crossentropy_to_crossentropy_with_softmax_with_bias",
                            "fast_compile_gpu")),
    "local_softmax_grad_to_crossentropy_with_softmax_grad": (("canonicalize",), ()),
    "local_advanced_indexing_crossentropy_onehot": (("canonicalize",), ()),
    "local_advanced_indexing_crossentropy_onehot_grad": (("canonicalize",), ()),
    # (not in canonicalize: the gradient graph's fills of the forward expression, gone
    # after canonicalize, would make it merge the softmax with a fused Op built for them)
    "graph_merge_softmax_with_crossentropy_softmax": (("specialize",), ()),
    # (also after specialize, where the shape rules have given the Alloc its final shape)
    "local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc": (
        ("canonicalize", "stabilize", "specialize", "uncanonicalize"), ()),
    "local_softmax_with_bias": (("specialize",), ()),
    "softmax_simplifier": (("canonicalize",), ()),
    "local_argmax_pushdown": (("specialize",), ()),
    "local_sigm_times_exp": (("stabilize",), ()),
    "local_ultra_fast_sigmoid": (("uncanonicalize",), ("<optional>",)),
    "local_hard_sigmoid": (("uncanonicalize",), ("<optional>",)),
    # Theano's inplace slot (position 60); here the last phase of rules before fusion,
    # FAST_RUN only.  The pipeline's protect_destroyed_inputs gives the Op a copy of `o`
    # wherever that value is still needed or is not the Op's to overwrite.
    "local_inplace_sparse_block_gemv": (("uncanonicalize",), ("inplace",)),
    "local_inplace_sparse_block_outer": (("uncanonicalize",), ("inplace",)),
}
