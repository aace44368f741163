"""DeepLearningTutorials-style models trained with T.grad, against hand-derived NumPy.

* Logistic regression (the tutorial's LogisticRegression class, minibatches selected
  through `givens` from shared data) and an MLP with L1/L2 penalties follow the same
  loss curve and end at the same parameters as SGD with gradients derived by hand.
* The Hessian of a small MLP loss matches finite differences of its gradient.
* Rop equals the Jacobian times a vector, Lop the vector times the Jacobian, with the
  Jacobian from theano.gradient.jacobian and checked by finite differences.
"""

import numpy as np
import pytest
import theano.tensor as T

import theano

N_IN, N_HIDDEN, N_OUT, N_SAMPLES, BATCH = 6, 5, 3, 40, 10


def _data(dtype, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(N_SAMPLES, N_IN)
    true_w = rng.randn(N_IN, N_OUT)
    y = np.argmax(x @ true_w + 0.5 * rng.randn(N_SAMPLES, N_OUT), axis=1).astype("int32")
    return x.astype(dtype), y


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _onehot(y):
    out = np.zeros((len(y), N_OUT))
    out[np.arange(len(y)), y] = 1.0
    return out


class LogisticRegression:
    """As in the tutorial's logistic_sgd.py."""

    def __init__(self, inp, n_in, n_out, dtype, W=None):
        self.W = theano.shared(np.zeros((n_in, n_out), dtype=dtype) if W is None else W,
                               name="W", borrow=True)
        self.b = theano.shared(np.zeros((n_out,), dtype=dtype), name="b", borrow=True)
        self.p_y_given_x = T.nnet.softmax(T.dot(inp, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]

    def negative_log_likelihood(self, y):
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])

    def errors(self, y):
        return T.mean(T.neq(self.y_pred, y))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_logistic_regression_follows_the_numpy_loss_curve(dtype):
    xv, yv = _data(dtype)
    data_x = theano.shared(xv, borrow=True)
    data_y = T.cast(theano.shared(yv.astype(dtype), borrow=True), "int32")
    index = T.lscalar("index")
    x, y = T.matrix("x", dtype=dtype), T.ivector("y")
    model = LogisticRegression(x, N_IN, N_OUT, dtype)
    cost = model.negative_log_likelihood(y)
    lr = np.asarray(0.3, dtype=dtype)
    g_W, g_b = T.grad(cost, model.params)
    assert g_W.dtype == dtype and g_b.dtype == dtype
    train = theano.function(
        [index], cost,
        updates=[(model.W, model.W - lr * g_W), (model.b, model.b - lr * g_b)],
        givens={x: data_x[index * BATCH:(index + 1) * BATCH],
                y: data_y[index * BATCH:(index + 1) * BATCH]})
    W, b = np.zeros((N_IN, N_OUT)), np.zeros(N_OUT)
    got, expected = [], []
    for _epoch in range(3):
        for i in range(N_SAMPLES // BATCH):
            xb = xv[i * BATCH:(i + 1) * BATCH].astype("float64")
            yb = yv[i * BATCH:(i + 1) * BATCH]
            p = _softmax(xb @ W + b)
            expected.append(-np.mean(np.log(p[np.arange(BATCH), yb])))
            dz = (p - _onehot(yb)) / BATCH
            W, b = W - 0.3 * xb.T @ dz, b - 0.3 * dz.sum(axis=0)
            got.append(float(train(i)))
    tol = 1e-12 if dtype == "float64" else 2e-5
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)
    np.testing.assert_allclose(model.W.get_value(), W, rtol=tol, atol=tol)
    np.testing.assert_allclose(model.b.get_value(), b, rtol=tol, atol=tol)
    assert expected[-1] < expected[0]  # it learns


def _mlp_params(rng):
    bound = np.sqrt(6.0 / (N_IN + N_HIDDEN))
    return [rng.uniform(-bound, bound, (N_IN, N_HIDDEN)), np.zeros(N_HIDDEN),
            rng.uniform(-0.5, 0.5, (N_HIDDEN, N_OUT)), np.zeros(N_OUT)]


def _mlp_numpy_step(params, xb, yb, l1, l2, lr):
    W1, b1, W2, b2 = params
    h = np.tanh(xb @ W1 + b1)
    p = _softmax(h @ W2 + b2)
    n = len(yb)
    cost = (-np.mean(np.log(p[np.arange(n), yb])) + l1 * (abs(W1).sum() + abs(W2).sum())
            + l2 * ((W1 ** 2).sum() + (W2 ** 2).sum()))
    dz = (p - _onehot(yb)) / n
    gW2 = h.T @ dz + l1 * np.sign(W2) + 2 * l2 * W2
    gb2 = dz.sum(axis=0)
    dh = (dz @ W2.T) * (1 - h ** 2)
    gW1 = xb.T @ dh + l1 * np.sign(W1) + 2 * l2 * W1
    gb1 = dh.sum(axis=0)
    grads = [gW1, gb1, gW2, gb2]
    return cost, [p_ - lr * g for p_, g in zip(params, grads)]


def test_mlp_with_l1_l2_follows_the_numpy_loss_curve():
    # The tutorial's mlp.py: a tanh HiddenLayer feeding a LogisticRegression, cost =
    # NLL + L1_reg * L1 + L2_reg * L2_sqr.
    xv, yv = _data("float64", seed=1)
    rng = np.random.RandomState(1234)
    init = _mlp_params(rng)
    W1, b1 = (theano.shared(v.copy(), name=n) for v, n in zip(init[:2], ["W1", "b1"]))
    x, y = T.dmatrix("x"), T.ivector("y")
    hidden = T.tanh(T.dot(x, W1) + b1)
    out = LogisticRegression(hidden, N_HIDDEN, N_OUT, "float64", W=init[2].copy())
    params = [W1, b1] + out.params
    l1_reg, l2_reg, lr = 0.001, 0.0001, 0.1
    L1 = abs(W1).sum() + abs(out.W).sum()
    L2_sqr = (W1 ** 2).sum() + (out.W ** 2).sum()
    cost = out.negative_log_likelihood(y) + l1_reg * L1 + l2_reg * L2_sqr
    gparams = [T.grad(cost, p) for p in params]
    train = theano.function([x, y], cost,
                            updates=[(p, p - lr * g) for p, g in zip(params, gparams)])
    state = [v.copy() for v in init]
    got, expected = [], []
    for _epoch in range(4):
        for i in range(N_SAMPLES // BATCH):
            xb, yb = xv[i * BATCH:(i + 1) * BATCH], yv[i * BATCH:(i + 1) * BATCH]
            c, state = _mlp_numpy_step(state, xb, yb, l1_reg, l2_reg, lr)
            expected.append(c)
            got.append(float(train(xb, yb)))
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    for p, v in zip(params, state):
        np.testing.assert_allclose(p.get_value(), v, rtol=1e-9, atol=1e-12)
    assert expected[-1] < expected[0]


def _flat_mlp(theta, x, y):
    """A small MLP whose parameters are the slices of one vector (for Hessians)."""
    n1 = N_IN * N_HIDDEN
    W1 = theta[:n1].reshape((N_IN, N_HIDDEN))
    b1 = theta[n1:n1 + N_HIDDEN]
    W2 = theta[n1 + N_HIDDEN:n1 + N_HIDDEN + N_HIDDEN * N_OUT].reshape((N_HIDDEN, N_OUT))
    h = T.tanh(T.dot(x, W1) + b1)
    p = T.nnet.softmax(T.dot(h, W2))
    return p, -T.mean(T.log(p)[T.arange(y.shape[0]), y]) + 0.01 * T.sum(W1 ** 2)


N_THETA = N_IN * N_HIDDEN + N_HIDDEN + N_HIDDEN * N_OUT


def test_hessian_of_mlp_loss_matches_finite_differences_of_its_gradient():
    xv, yv = _data("float64", seed=2)
    xv, yv = xv[:8], yv[:8]
    theta = T.dvector("theta")
    x, y = T.dmatrix("x"), T.ivector("y")
    _, cost = _flat_mlp(theta, x, y)
    grad_fn = theano.function([theta, x, y], T.grad(cost, theta))
    hess = theano.function([theta, x, y], T.hessian(cost, theta))
    tv = np.random.RandomState(3).randn(N_THETA) * 0.5
    H = hess(tv, xv, yv)
    assert H.shape == (N_THETA, N_THETA)
    eps = 1e-5
    fd = np.empty_like(H)
    for k in range(N_THETA):
        e = np.zeros(N_THETA)
        e[k] = eps
        fd[:, k] = (grad_fn(tv + e, xv, yv) - grad_fn(tv - e, xv, yv)) / (2 * eps)
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(H, H.T, atol=1e-12)


def test_rop_and_lop_against_the_jacobian():
    xv, yv = _data("float64", seed=3)
    xv = xv[:4]
    theta, v, u = T.dvector("theta"), T.dvector("v"), T.dvector("u")
    x = T.dmatrix("x")
    p, _ = _flat_mlp(theta, x, T.ivector())
    out = p.flatten()
    J = T.jacobian(out, theta)
    f = theano.function([theta, x], out)
    rop = theano.function([theta, v, x], T.Rop(out, theta, v))
    lop = theano.function([theta, u, x], T.Lop(out, theta, u))
    jac = theano.function([theta, x], J)
    rng = np.random.RandomState(4)
    tv, vv = rng.randn(N_THETA) * 0.5, rng.randn(N_THETA)
    uv = rng.randn(4 * N_OUT)
    Jv = jac(tv, xv)
    # The Jacobian itself against central differences, column by column.
    eps = 1e-6
    for k in range(0, N_THETA, 7):
        e = np.zeros(N_THETA)
        e[k] = eps
        np.testing.assert_allclose(Jv[:, k], (f(tv + e, xv) - f(tv - e, xv)) / (2 * eps),
                                   rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(rop(tv, vv, xv), Jv @ vv, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lop(tv, uv, xv), uv @ Jv, rtol=1e-10, atol=1e-12)


def test_gradients_through_givens_and_shared_variables():
    # The cost is written on x, y; givens substitute a shared dataset slice, and the
    # gradient is taken with respect to shared parameters used in two places.
    xv, yv = _data("float64", seed=5)
    data = theano.shared(xv)
    targets = theano.shared(_onehot(yv))
    w = theano.shared(np.full((N_IN, N_OUT), 0.1), name="w")
    x, t = T.dmatrix("x"), T.dmatrix("t")
    start = T.lscalar("start")
    pred = T.dot(x, w) + T.sum(w, axis=0)
    cost = T.mean((pred - t) ** 2)
    g = T.grad(cost, w)
    f = theano.function([start], [cost, g],
                        givens={x: data[start:start + BATCH], t: targets[start:start + BATCH]})
    c, gv = f(10)
    xb, tb = xv[10:20], _onehot(yv)[10:20]
    wv = w.get_value()
    r = xb @ wv + wv.sum(axis=0) - tb
    np.testing.assert_allclose(c, np.mean(r ** 2))
    dpred = 2 * r / r.size
    np.testing.assert_allclose(gv, xb.T @ dpred + dpred.sum(axis=0), rtol=1e-12)
