"""Gradients of Scan (theano_compat/scan/grad.py): second derivatives through the
reverse loop's accumulators (Theano 1.0.5's value recorded with
../shared/tools/theano-ref; NumPy)."""

import numpy as np

import theano
import theano.tensor as T
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def test_second_derivative_through_the_reverse_loop():
    c, x = T.vector("c"), T.scalar("x")
    components, _ = theano.scan(lambda coeff, power, free: coeff * free ** power,
                                sequences=[c, T.arange(1000)], non_sequences=x)
    dP = T.grad(components.sum(), x).sum()
    ddP = T.grad(dP, x)
    f = theano.function([c, x], ddP)
    # P = 1 + 2x - 3x^2 + 4x^3: P'' = -6 + 24x = 42 at x = 2 (Theano 1.0.5: 42)
    assert f([1.0, 2.0, -3.0, 4.0], 2.0) == 42.0


def test_hessian_of_a_recurrence():
    x = T.dvector("x")
    h, _ = theano.scan(lambda v, acc: acc * v + v ** 2, sequences=x,
                       outputs_info=T.constant(np.float64(1)))
    hess = theano.gradient.hessian(h[-1], x)
    f = theano.function([x], hess)
    v = np.array([0.5, 1.5])
    # h1 = v0 + v0^2, h2 = h1 v1 + v1^2: second derivatives by hand
    expected = np.array([[2 * v[1], 1 + 2 * v[0]], [1 + 2 * v[0], 2.0]])
    assert np.allclose(f(v), expected)


def test_weight_gradients_of_an_elman_loop_read_the_sequences_forwards():
    # BPTT of h_t = tanh(x_t W + h_{t-1} R), y_t = h_t V: the gradients of W, R and V are
    # sums over steps of products of sequences that the reverse loop reads backwards;
    # the output weight's reads both of its sequences forwards (no reshape copies), and
    # every gradient is the hand-written BPTT's (NumPy) to rounding.
    rng = np.random.RandomState(7)
    n_steps, batch, n_in, n_h, n_out = 6, 3, 4, 5, 2
    Wv, Rv, Vv = (rng.randn(n_in, n_h) * 0.5, rng.randn(n_h, n_h) * 0.3,
                  rng.randn(n_h, n_out) * 0.5)
    xv, tv = rng.randn(n_steps, batch, n_in), rng.randn(n_steps, batch, n_out)
    W, R, V = theano.shared(Wv), theano.shared(Rv), theano.shared(Vv)
    x, t = T.dtensor3("x"), T.dtensor3("t")

    def step(x_t, h_tm1, W, R, V):
        h_t = T.tanh(T.dot(x_t, W) + T.dot(h_tm1, R))
        return [h_t, T.dot(h_t, V)]

    h0 = T.alloc(np.float64(0), x.shape[1], n_h)
    [h, y], _ = theano.scan(step, sequences=x, outputs_info=[h0, None],
                            non_sequences=[W, R, V])
    cost = T.mean(T.sum((y - t) ** 2, axis=2))
    f = theano.function([x, t], T.grad(cost, [W, R, V]), mode=FAST_RUN)
    assert f.maker.fgraph.rewrite_report.applied["local_dot_of_reversed_steps"] >= 1
    gW, gR, gV = f(xv, tv)
    # hand BPTT
    hs = np.zeros((n_steps + 1, batch, n_h))
    for k in range(n_steps):
        hs[k + 1] = np.tanh(xv[k] @ Wv + hs[k] @ Rv)
    dy = 2 * (hs[1:] @ Vv - tv) / (n_steps * batch)
    eW, eR = np.zeros_like(Wv), np.zeros_like(Rv)
    eV = np.einsum("tbi,tbj->ij", hs[1:], dy)
    carry = np.zeros((batch, n_h))
    for k in range(n_steps - 1, -1, -1):
        da = (1 - hs[k + 1] ** 2) * (dy[k] @ Vv.T + carry)
        eW += xv[k].T @ da
        eR += hs[k].T @ da
        carry = da @ Rv.T
    for got, want in ((gW, eW), (gR, eR), (gV, eV)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
