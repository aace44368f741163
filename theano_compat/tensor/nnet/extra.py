"""The less common theano.tensor.nnet functions: two-level hierarchical softmax, the
confusion matrix, row-prepending helpers and the remaining cross-entropy variants.

All are graphs of existing ops (gradients come with them); re-exported by
theano.tensor.nnet, which imports this module after defining softmax.
"""

from __future__ import annotations

from ...scalar import dtypes as D
from .. import basic as B
from .. import extra_ops as EO
from .. import math as M
from .nnet import logsoftmax, softmax

__all__ = [
    "confusion_matrix", "crossentropy_softmax_1hot_with_bias_dx",
    "crossentropy_softmax_max_and_argmax_1hot",
    "crossentropy_softmax_max_and_argmax_1hot_with_bias",
    "graph_merge_softmax_with_crossentropy_softmax", "h_softmax", "prepend_0_to_each_row",
    "prepend_1_to_each_row", "prepend_scalar_to_each_row",
]


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


def prepend_scalar_to_each_row(val, mat):
    """`mat` with a first column filled with `val` (cast to mat's dtype)."""
    mat = B.as_tensor_variable(mat)
    if mat.type.ndim != 2:
        raise TypeError(f"prepend_scalar_to_each_row needs a matrix, got {mat.type}")
    val = B.as_tensor_variable(val)
    if val.type.ndim != 0:
        raise TypeError(f"prepend_scalar_to_each_row: val must be a scalar, got {val.type}")
    column = B.alloc(B.cast(val, mat.type.dtype), mat.shape[0], 1)
    return B.concatenate([column, mat], axis=1)


def prepend_0_to_each_row(mat):
    """`mat` with a first column of zeros."""
    return prepend_scalar_to_each_row(0, mat)


def prepend_1_to_each_row(mat):
    """`mat` with a first column of ones."""
    return prepend_scalar_to_each_row(1, mat)


def crossentropy_softmax_1hot_with_bias_dx(dy, sm, y_idx):
    """Gradient of the 1-hot softmax cross-entropy with respect to the logits:
    ``(sm - one_hot(y_idx)) * dy[:, None]`` (`sm` the softmax, `dy` the nll gradient)."""
    dy, sm, y_idx = (B.as_tensor_variable(v) for v in (dy, sm, y_idx))
    one_hot = EO.to_one_hot(y_idx, sm.shape[1], dtype=sm.type.dtype)
    return (sm - one_hot) * dy.dimshuffle(0, "x")


def crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y_idx, **kwargs):
    """``(nll, softmax, max probability, argmax)`` of the logits ``x + b`` per row."""
    x, b, y_idx = (B.as_tensor_variable(v) for v in (x, b, y_idx))
    sm = softmax(x + b)
    nll = -logsoftmax(x + b)[B.arange(y_idx.shape[0]), y_idx]
    max_pr, argmax = M.max_and_argmax(sm, axis=-1)
    return nll, sm, max_pr, argmax


def crossentropy_softmax_max_and_argmax_1hot(x, y_idx, **kwargs):
    """``(nll, softmax, max probability, argmax)`` of the logits `x` per row."""
    x = B.as_tensor_variable(x)
    b = B.zeros_like(x[0])
    return crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y_idx, **kwargs)


def graph_merge_softmax_with_crossentropy_softmax(*args, **kwargs):
    """Theano's graph rewrite object of that name, which user code could register."""
    raise NotImplementedError(
        "graph_merge_softmax_with_crossentropy_softmax was a rewrite of Theano's optimizer "
        "database; theano_compat registers no rewrites by name. The softmax/cross-entropy "
        "merge it did runs automatically in the stabilize phase of every mode, so nothing "
        "needs registering: build the graph with softmax and categorical_crossentropy.")
