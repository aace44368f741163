"""theano.tensor.nnet.nnet: activations, softmax and the softmax cross-entropies (the module
Theano kept them in; the package ``theano.tensor.nnet`` re-exports them)."""

from __future__ import annotations

import numpy as np

from ...graph.basic import Apply
from ...graph.null import DisconnectedType  # noqa: F401 - theano.tensor.nnet.nnet name
from ...graph.null import grad_not_implemented  # noqa: F401 - theano.tensor.nnet.nnet name
from ...graph.op import Op
from ...graph.optimizers import copy_stack_trace, local_optimizer, optimizer
from ...scalar import dtypes as D
from ...scalar import ops as S
from .. import basic as B
from .. import math as M
from .. import elemwise_ops as E
from ... import scalar  # noqa: F401 - theano.tensor.nnet.nnet name
from ... import tensor  # noqa: F401 - theano.tensor.nnet.nnet name (the package)
from .. import elemwise, extra_ops, subtensor  # noqa: F401 - theano.tensor.nnet.nnet names
from .. import extra_ops as EO
from ..elemwise import DimShuffle, Elemwise, Sum
from ..basic import Alloc, ARange, MaxAndArgmax
from ..shapes import NotScalarConstantError, Shape, Shape_i, get_scalar_constant_value
from ..subtensor import AdvancedIncSubtensor, AdvancedIncSubtensor1, AdvancedSubtensor, Subtensor
from ..type import values_eq_approx_remove_inf, values_eq_approx_remove_nan
from .blocksparse import sparse_block_dot  # noqa: F401 - theano.tensor.nnet.nnet name
from .sigm import hard_sigmoid, sigmoid, softplus, ultra_fast_sigmoid  # noqa: F401
from .crossentropy import (  # noqa: F401 - theano.tensor.nnet.nnet names
    CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad,
    CrossentropySoftmax1HotWithBiasDx, CrossentropySoftmaxArgmax1HotWithBias,
    Prepend_scalar_constant_to_each_row, Prepend_scalar_to_each_row, SoftmaxGrad,
    SoftmaxWithBias, crossentropy_categorical_1hot, crossentropy_categorical_1hot_grad,
    crossentropy_softmax_1hot_with_bias_dx, crossentropy_softmax_argmax_1hot_with_bias,
    prepend_0_to_each_row, prepend_1_to_each_row, prepend_scalar_to_each_row, softmax_grad,
    softmax_with_bias)

as_tensor_variable = B.as_tensor_variable
xrange = range  # Theano's six.moves import


def relu(x, alpha=0):
    """max(x, 0), or the leaky version x if x > 0 else alpha * x."""
    x = B.as_tensor_variable(x)
    if alpha == 0:
        return 0.5 * (x + abs(x))
    f1 = 0.5 * (1 + alpha)
    f2 = 0.5 * (1 - alpha)
    return f1 * x + f2 * abs(x)


def elu(x, alpha=1):
    return M.switch(x > 0, x, alpha * E.expm1(x))


def selu(x):
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * elu(x, alpha)


# x / (1 + |x|): an Elemwise of the scalar op declared in scalar/ops.py, as Theano's was.
scalar_softsign = S.softsign
ScalarSoftsign = S.softsign.__class__
softsign = Elemwise(S.softsign, name="softsign")


def _row_wise_node(op, x):
    """Apply node of a row-wise op on a float matrix (a vector counts as one row)."""
    x = B.as_tensor_variable(x)
    if x.type.ndim not in (1, 2) or x.type.dtype not in D.float_dtypes:
        raise ValueError(f"x must be a 1-d or 2-d tensor of floats. Got {x.type}")
    if x.type.ndim == 1:
        x = B.shape_padleft(x, 1)
    return Apply(op, [x], [x.type()])


class Softmax(Op):
    """Row-wise softmax of a matrix (a vector is treated as one row)."""

    __props__ = ()

    def make_node(self, x):
        return _row_wise_node(self, x)

    def impl(self, xp, x):
        e = xp.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def L_op(self, inputs, outputs, grads):
        (sm,), (g,) = outputs, grads
        return [softmax_grad(g, sm)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        sm = self(inputs[0])
        return [sm * (eval_points[0] - M.sum(sm * eval_points[0], axis=1, keepdims=True))]

    def infer_shape(self, node, shapes):
        return shapes

    def __str__(self):
        return "Softmax"


class LogSoftmax(Op):
    """Row-wise log(softmax(x)), computed stably."""

    __props__ = ()

    def make_node(self, x):
        return _row_wise_node(self, x)

    def impl(self, xp, x):
        shifted = x - x.max(axis=1, keepdims=True)
        return shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))

    def L_op(self, inputs, outputs, grads):
        (lsm,), (g,) = outputs, grads
        return [g - M.sum(g, axis=1, keepdims=True) * E.exp(lsm)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        v = eval_points[0]
        return [v - M.sum(softmax_op(inputs[0]) * v, axis=1, keepdims=True)]

    def infer_shape(self, node, shapes):
        return shapes

    def __str__(self):
        return "LogSoftmax"


softmax_op = Softmax()
logsoftmax_op = LogSoftmax()


def softmax(c):
    c = B.as_tensor_variable(c)
    return softmax_op(c)


def logsoftmax(c):
    return logsoftmax_op(B.as_tensor_variable(c))


log_softmax = logsoftmax


def softmax_graph(c):
    return E.exp(c) / M.sum(E.exp(c), axis=-1, keepdims=True)


def categorical_crossentropy(coding_dist, true_dist):
    """-sum(true * log(coding)) per row; integer `true_dist` means class indices."""
    coding_dist = B.as_tensor_variable(coding_dist)
    true_dist = B.as_tensor_variable(true_dist)
    if true_dist.type.ndim == coding_dist.type.ndim:
        return -M.sum(true_dist * E.log(coding_dist), axis=coding_dist.type.ndim - 1)
    if true_dist.type.ndim == coding_dist.type.ndim - 1:
        if true_dist.type.dtype not in D.integer_dtypes:
            raise TypeError("integer labels are needed when true_dist has one dimension less")
        if coding_dist.type.ndim == 2 and true_dist.type.ndim == 1:
            return crossentropy_categorical_1hot(coding_dist, true_dist)
        return -E.log(coding_dist[B.arange(true_dist.shape[0]), true_dist])
    raise TypeError("rank mismatch between coding and true distributions")


def binary_crossentropy(output, target):
    """-(target * log(output) + (1 - target) * log(1 - output))."""
    return -(target * E.log(output) + (1.0 - target) * E.log(1.0 - output))


def sigmoid_binary_crossentropy(output, target):
    """binary_crossentropy(sigmoid(output), target), computed stably from the logits."""
    return M.softplus(-abs(output)) + output * ((output > 0) - target)


def crossentropy_softmax_1hot_with_bias(x, b, y_idx, **kwargs):
    """(nll, softmax) of the logits ``x + b`` and integer labels `y_idx` (the first two
    outputs of CrossentropySoftmaxArgmax1HotWithBias)."""
    return crossentropy_softmax_argmax_1hot_with_bias(x, b, y_idx, **kwargs)[0:2]


def crossentropy_softmax_1hot(x, y_idx, **kwargs):
    """(nll, softmax) for logits `x` and integer labels `y_idx`."""
    x = B.as_tensor_variable(x)
    return crossentropy_softmax_1hot_with_bias(x, B.zeros_like(x[0, :]), y_idx, **kwargs)


def crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y_idx, **kwargs):
    """``(nll, softmax, max probability, argmax)`` of the logits ``x + b`` per row."""
    nll, sm = crossentropy_softmax_1hot_with_bias(x, b, y_idx, **kwargs)
    max_pr, argmax = M.max_and_argmax(sm, axis=-1)
    return nll, sm, max_pr, argmax


def crossentropy_softmax_max_and_argmax_1hot(x, y_idx, **kwargs):
    """``(nll, softmax, max probability, argmax)`` of the logits `x` per row."""
    x = B.as_tensor_variable(x)
    b = B.zeros_like(x[0])
    return crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y_idx, **kwargs)


def h_softmax(x, batch_size, n_outputs, n_classes, n_outputs_per_class, W1, b1, W2, b2,
              target=None):
    """Two-level hierarchical softmax (Theano 1.0.5's ``h_softmax``).

    The outputs are split into `n_classes` classes of `n_outputs_per_class` each:
    ``P(output) = P(class) * P(output | class)``, both softmaxes.

    Parameters
    ----------
    x : matrix (batch_size, n_in)
    batch_size : int or scalar
    n_outputs : int
        Number of outputs (at most n_classes * n_outputs_per_class; extra slots unused).
    n_classes, n_outputs_per_class : int
    W1 : matrix (n_in, n_classes); b1 : vector (n_classes,)
    W2 : 3-d tensor (n_classes, n_in, n_outputs_per_class)
    b2 : matrix (n_classes, n_outputs_per_class)
    target : integer vector (batch_size,), optional

    Returns
    -------
    With no target, a (batch_size, n_outputs) matrix of every output's probability;
    with targets, the (batch_size,) vector of each target's probability (cheaper: only
    the target's class is evaluated at the second level).
    """
    x, W1, b1, W2, b2 = (B.as_tensor_variable(v) for v in (x, W1, b1, W2, b2))
    class_probs = softmax(M.dot(x, W1) + b1)
    if target is None:
        # (batch, n_classes, per): the second level for every class at once
        act = M.tensordot(x, W2, axes=[[1], [1]]) + b2
        probs = softmax(B.reshape(act, (-1, n_outputs_per_class), ndim=2))
        probs = B.reshape(probs, (batch_size, n_classes, n_outputs_per_class), ndim=3)
        probs = probs * class_probs.dimshuffle(0, 1, "x")
        flat = B.reshape(probs, (batch_size, n_classes * n_outputs_per_class), ndim=2)
        return flat[:, :n_outputs]
    target = B.as_tensor_variable(target)
    if target.type.ndim != 1 or target.type.dtype not in D.integer_dtypes:
        raise TypeError(f"h_softmax: target must be a vector of integers, got {target.type}")
    target_classes = target // n_outputs_per_class
    target_in_class = target % n_outputs_per_class
    act = M.batched_dot(x, W2[target_classes]) + b2[target_classes]
    rows = B.arange(target.shape[0])
    in_class = softmax(act)[rows, target_in_class]
    return class_probs[rows, target_classes] * in_class


def confusion_matrix(actual, pred):
    """The confusion matrix of two integer label vectors.

    Returns ``(conf_mat, order)``: `order` is the sorted set of labels appearing in
    either vector and ``conf_mat[i, j]`` counts the samples with actual label
    ``order[i]`` predicted as ``order[j]`` (int64).
    """
    actual, pred = B.as_tensor_variable(actual), B.as_tensor_variable(pred)
    if actual.type.ndim != 1:
        raise ValueError("actual must be 1-d tensor variable")
    if pred.type.ndim != 1:
        raise ValueError("pred must be 1-d tensor variable")
    order = EO.unique(B.concatenate([actual, pred]))
    one_hot_actual = B.cast(M.eq(actual.dimshuffle(0, "x"), order), "int64")
    one_hot_pred = B.cast(M.eq(pred.dimshuffle(0, "x"), order), "int64")
    return M.dot(one_hot_actual.T, one_hot_pred), order


# ------------------------------------------------------------------------------ rewrites
# Theano's rewrites of this module as optimizer objects (graph/optimizers.py): user code
# can apply them (``theano.gof.opt.in2out(local_softmax_with_bias)``...).  The compiled
# modes of this project stabilize softmax cross-entropies with their own rules
# (tensor/rewrites/stabilize.py), so these are not registered in a pipeline.


def _is_op(v, op):
    return v is not None and v.owner is not None and v.owner.op == op


@local_optimizer([Elemwise])
def local_logsoftmax(node):
    """log(softmax(x)) -> logsoftmax(x)."""
    if (isinstance(node.op, Elemwise) and node.op.scalar_op == S.log
            and len(node.inputs) == 1 and node.inputs[0].owner is not None
            and isinstance(node.inputs[0].owner.op, Softmax)):
        ret = logsoftmax_op(node.inputs[0].owner.inputs[0])
        ret.tag.values_eq_approx = values_eq_approx_remove_inf
        copy_stack_trace([node.inputs[0], node.outputs[0]], ret)
        return [ret]
    return None


@local_optimizer([SoftmaxGrad])
def local_logsoftmax_grad(node):
    """softmax_grad(g / softmax(x), softmax(x)) -> g - sum(g, 1) * softmax(x)."""
    if not isinstance(node.op, SoftmaxGrad):
        return None
    dy, sm = node.inputs
    if not (_is_op(dy, E.true_div) and _is_op(dy.owner.inputs[1], softmax_op)
            and dy.owner.inputs[1] is sm):
        return None
    grads = dy.owner.inputs[0]
    if grads.owner is not None and isinstance(grads.owner.op, (AdvancedIncSubtensor,
                                                               AdvancedIncSubtensor1)):
        return None  # local_advanced_indexing_crossentropy_onehot_grad's case
    if grads.type.broadcastable[1] and not sm.type.broadcastable[1]:
        grads = B.alloc(grads, grads.shape[0], sm.shape[1])
    ret = grads - M.sum(grads, axis=1, keepdims=True) * sm
    ret.tag.values_eq_approx = values_eq_approx_remove_nan
    copy_stack_trace(node.outputs[0], ret)
    return [ret]


def split_row_bias(terms):
    """(sum of the matrix terms, sum of the bias vectors) of the terms of a sum whose
    row-broadcast (1, n) terms are vectors (Theano's local_softmax_with_bias split), or None
    when no term is a vector."""
    vectors, non_vectors = [], []
    for t in terms:
        if tuple(t.type.broadcastable) == (True, False):
            owner = t.owner
            if (owner is not None and isinstance(owner.op, DimShuffle)
                    and tuple(owner.inputs[0].type.broadcastable) == (False,)):
                vectors.append(owner.inputs[0])
            else:
                vectors.append(t.dimshuffle(1))
        else:
            non_vectors.append(t)
    if not non_vectors:
        non_vectors.append(B.shape_padleft(vectors.pop()))
    if not vectors:
        return None
    vector_sum = vectors[0] if len(vectors) == 1 else E.add(*vectors)
    non_vector_sum = non_vectors[0] if len(non_vectors) == 1 else E.add(*non_vectors)
    return non_vector_sum, vector_sum


@local_optimizer([softmax_op])
def local_softmax_with_bias(node):
    """softmax(matrix + broadcast vectors) -> softmax_with_bias(matrix, sum of vectors)."""
    if node.op != softmax_op:
        return None
    (x,) = node.inputs
    if not _is_op(x, E.add):
        return None
    split = split_row_bias(x.owner.inputs)
    if split is None:
        return None
    non_vector_sum, vector_sum = split
    try:
        sm_bias = softmax_with_bias(non_vector_sum, vector_sum)
    except (TypeError, ValueError):
        return None
    if sm_bias.type != node.outputs[0].type:
        return None
    copy_stack_trace(node.outputs[0], sm_bias)
    return [sm_bias]


def softmax_simplifier(numerators, denominators):
    """Theano's simplifier of the multiplication canonizer: a numerator ``exp(x)`` over
    the denominator ``sum(exp(x), axis=1).dimshuffle(0, 'x')`` becomes ``softmax(x)``.
    Takes and returns the lists of numerators and denominators."""
    for numerator in list(numerators):
        if not numerator.type.dtype.startswith("float") or numerator.type.ndim != 2:
            continue
        if not _is_op(numerator, E.exp):
            continue
        x = numerator.owner.inputs[0]
        match = None
        for denominator in denominators:
            owner = denominator.owner
            if (owner is not None and isinstance(owner.op, DimShuffle)
                    and tuple(owner.op.new_order) == (0, "x")):
                z = owner.inputs[0]
                if (z.owner is not None and isinstance(z.owner.op, Sum)
                        and tuple(z.owner.op.axis) == (1,) and z.owner.inputs[0] is numerator):
                    match = denominator
                    break
        if match is not None:
            sm = softmax_op(x)
            copy_stack_trace(numerator, sm)
            numerators.remove(numerator)
            denominators.remove(match)
            numerators.append(sm)
    return numerators, denominators


def _merge_crossentropies(fgraph, reason, with_plain_softmax):
    def one_substitution():
        for node in fgraph.toposort():
            if node.op != crossentropy_categorical_1hot:
                continue
            (nll,) = node.outputs
            sm, labels = node.inputs
            if with_plain_softmax and _is_op(sm, softmax_op):
                x = sm.owner.inputs[0]
                b = B.zeros_like(x[0])
            elif _is_op(sm, softmax_with_bias):
                x, b = sm.owner.inputs
            else:
                continue
            new_nll, new_sm, _ = crossentropy_softmax_argmax_1hot_with_bias(x, b, labels)
            fgraph.replace_all_validate([(nll, new_nll), (sm, new_sm)], reason=reason)
            return True
        return False

    while one_substitution():
        pass


@optimizer
def crossentropy_to_crossentropy_with_softmax_with_bias(fgraph):
    """crossentropy_categorical_1hot(softmax_with_bias(x, b), y) and that softmax ->
    the outputs of crossentropy_softmax_argmax_1hot_with_bias(x, b, y) (a global
    optimizer: it replaces the outputs of two nodes at once)."""
    _merge_crossentropies(fgraph, "crossentropy_to_crossentropy_with_softmax_with_bias",
                          with_plain_softmax=False)


@optimizer
def crossentropy_to_crossentropy_with_softmax(fgraph):
    """As crossentropy_to_crossentropy_with_softmax_with_bias, also for a plain softmax
    (given a zero bias)."""
    _merge_crossentropies(fgraph, "crossentropy_to_crossentropy_with_softmax",
                          with_plain_softmax=True)


@local_optimizer([softmax_grad])
def local_softmax_grad_to_crossentropy_with_softmax_grad(node):
    """softmax_grad(crossentropy_categorical_1hot_grad(g, sm, y), sm) ->
    crossentropy_softmax_1hot_with_bias_dx(g, sm, y)."""
    if node.op != softmax_grad:
        return None
    g_coding, _ = node.inputs
    if not _is_op(g_coding, crossentropy_categorical_1hot_grad):
        return None
    g_nll, coding, labels = g_coding.owner.inputs
    dx = crossentropy_softmax_1hot_with_bias_dx(g_nll, coding, labels)
    copy_stack_trace(node.outputs[0], dx)
    return [dx]


@local_optimizer([softmax_with_bias])
def graph_merge_softmax_with_crossentropy_softmax(node):
    """softmax_with_bias(x, b) -> the softmax output of
    crossentropy_softmax_argmax_1hot_with_bias(x, b, y) when such a node of the same x
    and b is in the graph."""
    if node.op != softmax_with_bias:
        return None
    x, b = node.inputs
    for client, _ in getattr(x, "clients", ()):
        if (client != "output" and client.op == crossentropy_softmax_argmax_1hot_with_bias
                and client.inputs[1] is b):
            return [client.outputs[1]]
    return None


_MONOTONIC = (softmax_op, softplus, E.exp, E.log, E.tanh, sigmoid)


@local_optimizer([MaxAndArgmax])
def local_argmax_pushdown(node):
    """argmax(f(x)) -> argmax(x) for f increasing along the reduced axis (softmax, exp,
    log, tanh, sigmoid, softplus; softmax_with_bias(x, b) gives x + b), when the max
    itself is not used."""
    if not isinstance(node.op, MaxAndArgmax) or node.inputs[0].owner is None:
        return None
    if getattr(node.outputs[0], "clients", None):
        return None  # the max is used
    x = node.inputs[0]
    axis = list(node.op.axis)
    if x.owner.op in _MONOTONIC:
        pre_x = x.owner.inputs[0]
    elif x.owner.op == softmax_with_bias:
        pre_x = x.owner.inputs[0] + x.owner.inputs[1].dimshuffle("x", 0)
    else:
        return None
    ret = M.max_and_argmax(pre_x, axis)
    copy_stack_trace(node.outputs[0], ret)
    return list(ret)


def _is_const(v, value):
    try:
        return bool(np.all(get_scalar_constant_value(v) == value))
    except NotScalarConstantError:
        return False


def _rows_are_arange_of(rows, labels):
    """Whether `rows` is ``arange(labels.shape[0])`` (0 when there is a single label)."""
    if rows.owner is None or not isinstance(rows.owner.op, ARange):
        return _is_const(rows, 0) and labels.type.broadcastable == (True,)
    start, stop, step = rows.owner.inputs
    if not (_is_const(start, 0) and _is_const(step, 1)) or stop.owner is None:
        return False
    op = stop.owner.op
    if isinstance(op, Shape_i):
        return op.i == 0 and stop.owner.inputs[0] is labels
    if isinstance(op, Subtensor) and _subtensor_index(stop.owner) == 0:
        shape = stop.owner.inputs[0]
        return (shape.owner is not None and isinstance(shape.owner.op, Shape)
                and shape.owner.inputs[0] is labels)
    return False


def _subtensor_index(node):
    """The constant integer index of a one-index Subtensor node, else None."""
    idx = node.op.idx_list
    if len(idx) != 1:
        return None
    entry = idx[0]
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == "int":
        return entry[1]
    if len(node.inputs) == 2:
        try:
            return int(get_scalar_constant_value(node.inputs[1]))
        except NotScalarConstantError:
            return None
    return None


@local_optimizer([AdvancedSubtensor, E.log])
def local_advanced_indexing_crossentropy_onehot(node):
    """log(softmax(x))[arange(n), labels] (or log(softmax(x)[arange(n), labels])) ->
    -crossentropy_softmax_argmax_1hot_with_bias(x, b, labels)[0] (b from a
    softmax_with_bias, else zeros)."""
    sm = rows = labels = None
    if isinstance(node.op, AdvancedSubtensor) and len(node.inputs) == 3:
        log, rows, labels = node.inputs
        if _is_op(log, E.log):
            sm = log.owner.inputs[0]
    elif node.op == E.log:
        pre = node.inputs[0].owner
        if pre is not None and isinstance(pre.op, AdvancedSubtensor) and len(pre.inputs) == 3:
            sm, rows, labels = pre.inputs
    if sm is None or sm.owner is None or sm.owner.op not in (softmax_op, softmax_with_bias):
        return None
    if not _rows_are_arange_of(rows, labels):
        return None
    if sm.owner.op == softmax_with_bias:
        x, b = sm.owner.inputs
    else:
        with_bias = local_softmax_with_bias.transform(sm.owner)
        if with_bias:
            x, b = with_bias[0].owner.inputs
        else:
            x = sm.owner.inputs[0]
            b = B.zeros_like(x[0])
    if labels.type.ndim != 1 or x.type.ndim != 2:
        return None
    minus = crossentropy_softmax_argmax_1hot_with_bias(x, b, labels)[0]
    ret = -minus
    copy_stack_trace(node.outputs[0], [minus, ret])
    return [ret]


@local_optimizer([softmax_grad])
def local_advanced_indexing_crossentropy_onehot_grad(node):
    """softmax_grad(inc_subtensor(zeros[arange(n), labels], -g / sm[arange(n), labels]),
    sm) -> crossentropy_softmax_1hot_with_bias_dx(g, sm, labels): the gradient of
    -log(sm[arange(n), labels]) in one Op (the common form of Theano's patterns)."""
    if node.op != softmax_grad:
        return None
    d_sm, sm = node.inputs
    if not _is_op(sm, softmax_op) and not _is_op(sm, softmax_with_bias):
        return None
    inc = d_sm.owner
    if (inc is None or not isinstance(inc.op, AdvancedIncSubtensor)
            or inc.op.set_instead_of_inc or len(inc.inputs) != 4):
        return None
    zeros, incr, rows, labels = inc.inputs
    if not _is_const(zeros, 0) or not _rows_are_arange_of(rows, labels):
        return None
    if not _is_op(incr, E.true_div):
        return None
    num, den = incr.owner.inputs
    if not (den.owner is not None and isinstance(den.owner.op, AdvancedSubtensor)
            and den.owner.inputs[0] is sm and den.owner.inputs[1] is rows
            and den.owner.inputs[2] is labels):
        return None
    if _is_op(num, E.neg):
        g = num.owner.inputs[0]
    else:
        return None
    if g.type.ndim > 1 or labels.type.ndim != 1:
        return None
    dx = crossentropy_softmax_1hot_with_bias_dx(g, sm, labels)
    copy_stack_trace(node.outputs[0], dx)
    return [dx]


@local_optimizer([CrossentropySoftmax1HotWithBiasDx])
def local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc(node):
    """crossentropy_softmax_1hot_with_bias_dx(alloc(g, n), sm, y) ->
    crossentropy_softmax_1hot_with_bias_dx(g, sm, y) when the Alloc only broadcasts a
    scalar (the Op broadcasts a 0-d gradient itself)."""
    if not isinstance(node.op, CrossentropySoftmax1HotWithBiasDx):
        return None
    dy, sm, y_idx = node.inputs
    if dy.owner is None or not isinstance(dy.owner.op, Alloc):
        return None
    value = dy.owner.inputs[0]
    if value.type.ndim != 0:
        return None
    ret = node.op(value, sm, y_idx)
    copy_stack_trace(node.outputs[0], ret)
    return [ret]


# Theano's module path (reprs, pickles).
for _cls in (Softmax, LogSoftmax):
    _cls.__module__ = "theano.tensor.nnet.nnet"
del _cls
