"""theano.tensor.nnet.ctc: the Connectionist Temporal Classification loss.

Theano 1.0.5 wrapped Baidu's warp-ctc C library (and could not be used without it).  Here
the Op is a NumPy implementation of the same function: for each sequence b, the
activations ``activations[:input_lengths[b], b, :]`` (time, batch, alphabet; blank = 0)
go through a softmax over the alphabet, and the cost is ``-log p(labels[b] | x)``,
summed over every alignment by the forward-backward recursion in log space (no
underflow on long sequences).  Negative label entries are padding.  The Op's second
output is the gradient of each cost w.r.t. the (pre-softmax) activations, zero after a
sequence's end, which the Op's gradient scales by the cost's output gradient -- as
warp-ctc did.

``ctc_available()`` is True: nothing needs installing.
"""

from __future__ import annotations

import os  # noqa: F401 - a name of Theano's module

import numpy as np

from ...config import config  # noqa: F401 - a name of Theano's module
from ...graph.basic import Apply
from ...graph.null import DisconnectedType, grad_undefined
from ...graph.op import Op
from .. import basic as B
from ..type import TensorType
from ...utils import lazy_names

_NEG_INF = -np.inf


def _log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    z = x - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _logsumexp3(a, b, c):
    m = np.maximum(np.maximum(a, b), c)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(np.exp(a - safe) + np.exp(b - safe) + np.exp(c - safe))


def ctc_cost_and_grad(logits, labels):
    """CTC cost of one sequence and its gradient w.r.t. `logits` (time, alphabet), for
    the label sequence `labels` (blank = 0 excluded).  The cost is inf (gradient zero)
    when no alignment exists (too few time steps)."""
    n_time, n_class = logits.shape
    logp = _log_softmax(logits.astype(np.float64))
    ext = np.zeros(2 * len(labels) + 1, dtype=np.int64)
    ext[1::2] = labels
    n_ext = len(ext)
    skip = np.zeros(n_ext, dtype=bool)  # may come from s - 2 (a label unlike the previous)
    skip[2:] = (ext[2:] != 0) & (ext[2:] != ext[:-2])
    emit = logp[:, ext]  # (time, n_ext)
    neg = np.full(n_ext, _NEG_INF)

    alpha = np.full((n_time, n_ext), _NEG_INF)
    alpha[0, :2] = emit[0, :2]
    for t in range(1, n_time):
        a = alpha[t - 1]
        a1 = np.concatenate(([_NEG_INF], a[:-1]))
        a2 = np.where(skip, np.concatenate(([_NEG_INF] * 2, a[:-2])), neg)
        alpha[t] = _logsumexp3(a, a1, a2) + emit[t]

    beta = np.full((n_time, n_ext), _NEG_INF)
    beta[-1, -2:] = emit[-1, -2:]
    skip_next = np.concatenate((skip[2:], [False, False]))  # s + 2 may come from s
    for t in range(n_time - 2, -1, -1):
        b = beta[t + 1]
        b1 = np.concatenate((b[1:], [_NEG_INF]))
        b2 = np.where(skip_next, np.concatenate((b[2:], [_NEG_INF] * 2)), neg)
        beta[t] = _logsumexp3(b, b1, b2) + emit[t]

    last = alpha[-1, -2:] if n_ext > 1 else alpha[-1, -1:]
    loglik = np.logaddexp.reduce(last)
    if not np.isfinite(loglik):
        return np.inf, np.zeros_like(logp)
    # Posterior of each extended-label state at each time, gathered per alphabet symbol.
    gamma = np.exp(alpha + beta - emit - loglik)
    post = np.zeros_like(logp)
    np.add.at(post, (slice(None), ext), gamma)
    return -loglik, np.exp(logp) - post


class ConnectionistTemporalClassification(Op):
    """CTC loss: ``op(activations, labels, input_lengths)`` -> (costs, gradients).

    activations (time, batch, alphabet) float32 (float64 accepted too), labels (batch,
    max_label_length) int32 with negative padding, input_lengths (batch,) int32.  The
    default output is the (batch,) costs; with compute_grad the second output holds
    d cost[b] / d activations[:, b, :].
    """

    __props__ = ("compute_grad",)
    default_output = 0

    def __init__(self, compute_grad=True, openmp=None):
        self.compute_grad = bool(compute_grad)
        self.openmp = bool(openmp)

    def make_node(self, activations, labels, input_lengths):
        acts = B.as_tensor_variable(activations)
        labels = B.as_tensor_variable(labels)
        lengths = B.as_tensor_variable(input_lengths)
        if acts.type.dtype not in ("float32", "float64"):
            raise TypeError("activations must use the float32 type!")
        if acts.type.ndim != 3:
            raise ValueError("activations must have 3 dimensions.")
        if labels.type.dtype != "int32":
            raise TypeError("labels must use the int32 type!")
        if labels.type.ndim != 2:
            raise ValueError("labels must have 2 dimensions.")
        if lengths.type.dtype != "int32":
            raise TypeError("input_lengths must use the int32 type!")
        if lengths.type.ndim != 1:
            raise ValueError("input_lengths must have 1 dimension.")
        dtype = acts.type.dtype
        outputs = [TensorType(dtype, (False,))(name="ctc_cost")]
        if self.compute_grad:
            outputs.append(TensorType(dtype, (False,) * 3)(name="ctc_grad"))
        return Apply(self, [acts, labels, lengths], outputs)

    def perform(self, node, inputs, output_storage, params=None):
        acts, labels, lengths = inputs
        n_time, batch = acts.shape[:2]
        if labels.shape[0] != batch or lengths.shape[0] != batch:
            raise ValueError(f"ctc: activations hold {batch} sequences, labels "
                             f"{labels.shape[0]} and input_lengths {lengths.shape[0]}")
        costs = np.zeros(batch, dtype=acts.dtype)
        grads = np.zeros(acts.shape, dtype=acts.dtype)
        for b in range(batch):
            n = int(lengths[b])
            if not 0 < n <= n_time:
                raise ValueError(f"ctc: input_lengths[{b}] = {n} is outside [1, {n_time}]")
            seq = labels[b][labels[b] >= 0]
            if np.any(seq == 0) or np.any(seq >= acts.shape[2]):
                raise ValueError(f"ctc: labels[{b}] must lie in [1, {acts.shape[2] - 1}] "
                                 "(0 is the blank, negative values padding)")
            cost, grad = ctc_cost_and_grad(acts[:n, b], seq)
            costs[b] = cost
            grads[:n, b] = grad
        output_storage[0][0] = costs
        if self.compute_grad:
            output_storage[1][0] = grads

    def infer_shape(self, node, shapes):
        acts = shapes[0]
        out = [(acts[1],)]
        if self.compute_grad:
            out.append(tuple(acts))
        return out

    def L_op(self, inputs, outputs, output_grads):
        if not self.compute_grad:
            raise ValueError("ConnectionistTemporalClassification(compute_grad=False) has "
                             "no gradient; use compute_grad=True (ctc() does)")
        if len(output_grads) > 1 and not isinstance(output_grads[1].type, DisconnectedType):
            raise NotImplementedError(
                "the gradient output of the CTC Op is not differentiable (warp-ctc's was "
                "not either); differentiate the costs (output 0) only")
        g_cost = output_grads[0]
        total = outputs[1] * g_cost.dimshuffle("x", 0, "x")
        return [total, grad_undefined(self, 1, inputs[1]), grad_undefined(self, 2, inputs[2])]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None] * (2 if self.compute_grad else 1)
        if not self.compute_grad:
            raise ValueError("ConnectionistTemporalClassification(compute_grad=False) has "
                             "no R_op; use compute_grad=True (ctc() does)")
        grads = self.make_node(*inputs).outputs[1]
        return [B.sum(grads * eval_points[0], axis=(0, 2)), None]

    def connection_pattern(self, node):
        return [[True] * len(node.outputs), [False] * len(node.outputs),
                [False] * len(node.outputs)]


ConnectionistTemporalClassification.__module__ = "theano.tensor.nnet.ctc"


def ctc(activations, labels, input_lengths):
    """CTC loss of each sequence of a minibatch.

    activations: (time, batch, alphabet) pre-softmax scores (float32); labels: (batch,
    max_length) int32 target sequences, negative entries being padding, 0 the blank;
    input_lengths: (batch,) int32 number of time steps of each sequence.  Returns the
    (batch,) costs ``-log p(labels | activations)``.
    """
    return ConnectionistTemporalClassification()(activations, labels, input_lengths)


def ctc_present():
    """True: the CTC loss is computed by this module (no warp-ctc library needed)."""
    return True


ctc_present.avail = True
ctc_present.msg = None
ctc_present.path = None


def ctc_available():
    """True: the CTC loss is computed by this module (no warp-ctc library needed)."""
    return True


ctc_available.msg = None
ctc_available.path = None


_HIGHER = {"gof": ("theano_compat.gof", None), "T": ("theano_compat.tensor", None),
           "GCC_compiler": ("theano_compat.gof.cmodule", "GCC_compiler"),
           "cpu_contiguous": ("theano_compat.tensor.extra_ops", "cpu_contiguous"),
           "local_optimizer": ("theano_compat.gof", "local_optimizer"),
           "register_canonicalize": ("theano_compat.tensor.opt", "register_canonicalize")}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
