"""Numerical stability that the rewrites provide, shown against the unrewritten graph."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.compile.mode import Mode


def logistic_step(mode, scale):
    """The seed-1 tutorial's training function with inputs scaled by `scale`."""
    rng = np.random.RandomState(0)
    N, feats = 60, 20
    data = (rng.randn(N, feats) * scale, rng.randint(size=N, low=0, high=2))
    x, y = T.dmatrix("x"), T.dvector("y")
    w = theano.shared(rng.randn(feats), name="w")
    b = theano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    train = theano.function([x, y], [cost, gw, gb], mode=mode,
                            updates=((w, w - 0.1 * gw), (b, b - 0.1 * gb)))
    return train, data, w, b


def hand_gradient(X, Y, w, b):
    """The logistic-regression gradient written stably in NumPy."""
    z = X @ w + b
    p = 0.5 * (1 + np.tanh(z / 2))  # sigmoid without overflow
    gz = (p - Y) / len(Y)
    return X.T @ gz + 0.02 * w, gz.sum()


def test_logistic_regression_scaled_100x_trains_without_nan():
    train, (X, Y), w, b = logistic_step(Mode(optimizer="fast_run"), 100.0)
    for _ in range(20):
        cost, gw, gb = train(X, Y)
        assert np.isfinite(cost) and np.all(np.isfinite(gw)) and np.isfinite(gb)
    # At the final point the gradient equals the stable hand-written one.
    wv, bv = w.get_value(), b.get_value()
    _, gw, gb = train.copy(delete_updates=True)(X, Y)
    want_w, want_b = hand_gradient(X, Y, wv, bv)
    np.testing.assert_allclose(gw, want_w, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gb, want_b, rtol=1e-9, atol=1e-12)


def test_logistic_regression_scaled_100x_without_rewrites_gives_nan():
    train, (X, Y), _, _ = logistic_step(Mode(optimizer=None), 100.0)
    with np.errstate(all="ignore"):
        cost, gw, gb = train(X, Y)
    assert not (np.isfinite(cost) and np.all(np.isfinite(gw)))


@pytest.mark.parametrize("form", ["categorical_crossentropy", "log_of_softmax_indexed"])
@pytest.mark.parametrize("mode_name", ["fast_run", "fast_compile"])
def test_softmax_crossentropy_with_logits_1000_is_finite(form, mode_name):
    x, y = T.dmatrix("x"), T.ivector("y")
    sm = T.nnet.softmax(x)
    if form == "categorical_crossentropy":
        cost = T.nnet.categorical_crossentropy(sm, y).mean()
    else:
        cost = -T.log(sm)[T.arange(y.shape[0]), y].mean()
    f = theano.function([x, y], [cost, T.grad(cost, x)], mode=Mode(optimizer=mode_name))
    xv = np.array([[1000.0, 0.0, -1000.0], [0.0, 1.0, 2.0], [-1000.0, 1000.0, 3.0]])
    yv = np.array([2, 0, 1], dtype="int32")
    c, g = f(xv, yv)
    # Hand-written NumPy reference: log-softmax via the max shift; gradient (p - onehot)/n.
    shifted = xv - xv.max(axis=1, keepdims=True)
    lsm = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    want_c = -lsm[np.arange(3), yv].mean()
    onehot = np.eye(3)[yv]
    want_g = (np.exp(lsm) - onehot) / 3
    np.testing.assert_allclose(c, want_c, rtol=1e-12)
    np.testing.assert_allclose(g, want_g, rtol=1e-12, atol=1e-15)


def test_softmax_crossentropy_without_rewrites_is_not_finite():
    x, y = T.dmatrix("x"), T.ivector("y")
    cost = T.nnet.categorical_crossentropy(T.nnet.softmax(x), y).mean()
    f = theano.function([x, y], [cost, T.grad(cost, x)], mode=Mode(optimizer=None))
    with np.errstate(all="ignore"):
        c, g = f(np.array([[1000.0, 0.0, -1000.0]]), np.array([2], dtype="int32"))
    assert not (np.isfinite(c) and np.all(np.isfinite(g)))


@pytest.mark.parametrize("expr, big", [
    (lambda v: T.log(T.nnet.sigmoid(v)), -800.0),
    (lambda v: T.log(1 - T.nnet.sigmoid(v)), 800.0),
    (lambda v: T.log(T.sum(T.exp(v))), 1000.0),
    (lambda v: T.log(1 + v), 1e-20),
])
def test_textbook_formulas_stay_finite_and_accurate(expr, big):
    v = T.dvector("v")
    f = theano.function([v], expr(v), mode=Mode(optimizer="fast_run"))
    out = f(np.array([big, 0.5]))
    assert np.all(np.isfinite(out))
    plain = theano.function([v], expr(v), mode=Mode(optimizer=None))
    with np.errstate(all="ignore"):
        ref_small = plain(np.array([0.5, 0.25]))
    np.testing.assert_allclose(f(np.array([0.5, 0.25])), ref_small, rtol=1e-12)
