"""theano.tensor.nnet.ctc: the CTC loss, checked against a brute-force sum over every
alignment (all label paths of the input length, collapsed by merging repeats and dropping
blanks) for tiny cases, and its gradient by finite differences."""

import itertools

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import ctc as ctc_module
from theano.tensor.nnet.ctc import ConnectionistTemporalClassification, ctc

import theano


def _collapse(path):
    out, prev = [], None
    for s in path:
        if s != prev and s != 0:
            out.append(s)
        prev = s
    return out


def brute_force_cost(acts, labels, lengths):
    """-log of the summed probability of every path that collapses to the label."""
    costs = []
    for b in range(acts.shape[1]):
        n, target = lengths[b], [int(v) for v in labels[b] if v >= 0]
        z = acts[:n, b].astype(np.float64)
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        total = sum(np.prod([p[t, s] for t, s in enumerate(path)])
                    for path in itertools.product(range(acts.shape[2]), repeat=n)
                    if _collapse(path) == target)
        costs.append(-np.log(total) if total > 0 else np.inf)
    return np.array(costs)


def _case(seed, n_time=4, batch=3, n_class=3):
    rng = np.random.RandomState(seed)
    acts = rng.randn(n_time, batch, n_class).astype("float32")
    labels = np.array([[1, 2, -1], [2, 2, -1], [1, -1, -1]], dtype="int32")[:batch]
    lengths = np.array([4, 3, 2], dtype="int32")[:batch]
    return acts, labels, lengths


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cost_matches_brute_force_enumeration(seed):
    acts, labels, lengths = _case(seed)
    a = T.ftensor3()
    cost = ctc(a, T.as_tensor_variable(labels), T.as_tensor_variable(lengths))
    got = theano.function([a], cost)(acts)
    assert got.dtype == np.float32 and got.shape == (3,)
    np.testing.assert_allclose(got, brute_force_cost(acts, labels, lengths), rtol=1e-5)


def test_gradient_matches_finite_differences_of_the_brute_force_cost():
    acts, labels, lengths = _case(3)
    acts = acts.astype("float64")
    a = T.dtensor3()
    cost = ctc(a, labels, lengths)
    grad = theano.function([a], T.grad(T.sum(cost * [1.0, 2.0, 0.5]), a))(acts)
    eps, num = 1e-6, np.zeros_like(acts)
    weights = np.array([1.0, 2.0, 0.5])
    for idx in np.ndindex(*acts.shape):
        hi, lo = acts.copy(), acts.copy()
        hi[idx] += eps
        lo[idx] -= eps
        num[idx] = ((brute_force_cost(hi, labels, lengths) - brute_force_cost(lo, labels,
                                                                              lengths))
                    * weights).sum() / (2 * eps)
    np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-7)
    assert np.all(grad[2:, 2] == 0) and np.all(grad[3:, 1] == 0)  # after each sequence's end


def test_verify_grad_float32_and_float64():
    acts, labels, lengths = _case(4)
    for dtype in ("float32", "float64"):
        verify_grad(lambda a: ctc(a, labels, lengths), [acts.astype(dtype)],
                    rng=np.random.RandomState(0))


def test_long_sequences_do_not_underflow():
    rng = np.random.RandomState(0)
    acts = (rng.randn(400, 1, 5) * 5).astype("float32")
    labels = rng.randint(1, 5, size=(1, 60)).astype("int32")
    a = T.ftensor3()
    cost = theano.function([a], ctc(a, labels, np.array([400], "int32")))(acts)
    assert np.isfinite(cost).all() and cost[0] > 0


def test_op_outputs_and_errors():
    op = ConnectionistTemporalClassification()
    a = T.ftensor3()
    node = op.make_node(a, T.imatrix(), T.ivector())
    assert len(node.outputs) == 2 and node.outputs[1].type.ndim == 3
    assert len(ConnectionistTemporalClassification(compute_grad=False).make_node(
        a, T.imatrix(), T.ivector()).outputs) == 1
    assert ctc_module.ctc_available() and ctc_module.ctc_present()
    with pytest.raises(TypeError, match="labels must use the int32"):
        ctc(a, T.lmatrix(), T.ivector())
    with pytest.raises(ValueError, match="activations must have 3"):
        ctc(T.fmatrix(), T.imatrix(), T.ivector())
    acts, labels, lengths = _case(0)
    f = theano.function([a], ctc(a, labels, np.array([4, 3, 9], "int32")))
    with pytest.raises(ValueError, match="input_lengths"):
        f(acts)
    # Impossible alignment (a repeated label needs a blank between): infinite cost.
    two = np.array([[1, 1, -1]], "int32")
    cost = theano.function([a], ctc(a, two, np.array([2], "int32")))(acts[:, :1])
    assert cost[0] == np.inf
