"""Gemv nodes written out as a dot into a buffer (link/gemv.py): the values of
``beta * y + alpha * dot(A, x)``, no AllocEmpty / Shape_i left in the program, Gemv's
error for shapes that do not fit."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor.blas import Gemv, gemv_no_inplace

from tests.support.modes import FAST_RUN

rng = np.random.RandomState(7)


def _ops(f):
    return [type(n.op).__name__ for n in f.maker.fgraph.toposort()]


def test_dot_turned_gemv_is_one_dot_into_a_buffer():
    x, w = T.dmatrix("x"), T.dvector("w")
    f = theano.function([x, w], T.tanh(T.dot(x, w)).sum(), mode=FAST_RUN)  # makes the Gemv
    assert "Gemv" in _ops(f) and "AllocEmpty" in _ops(f)  # the graph is Theano's
    src = f.maker.program.source
    assert "_gv_dot(" in src and "out=b" in src
    assert "AllocEmpty" not in src and "Shape_i" not in src  # left out of the program
    xv, wv = rng.randn(6, 4), rng.randn(4)
    np.testing.assert_allclose(f(xv, wv), np.tanh(xv @ wv).sum(), rtol=1e-14)
    np.testing.assert_allclose(f(xv[:3], wv), np.tanh(xv[:3] @ wv).sum(), rtol=1e-14)


@pytest.mark.parametrize("alpha, beta", [(1.0, 0.0), (1.0, 1.0), (-0.5, 0.25), (2.0, 0.0)])
def test_constant_alpha_beta(alpha, beta):
    y, A, x = T.dvector("y"), T.dmatrix("A"), T.dvector("x")
    out = gemv_no_inplace(y, T.constant(alpha), A, x, T.constant(beta))
    f = theano.function([y, A, x], out * 1.0)
    assert any(isinstance(n.op, Gemv) for n in f.maker.fgraph.toposort())
    assert "_gv_dot(" in f.maker.program.source
    yv, Av, xv = rng.randn(5), rng.randn(5, 3), rng.randn(3)
    want = beta * yv + alpha * (Av @ xv)
    np.testing.assert_allclose(f(yv, Av, xv), want, rtol=1e-14)
    # transposed A (a view), as the gradient's x.T
    At = rng.randn(3, 5)
    g = theano.function([y, A, x], gemv_no_inplace(y, T.constant(alpha), A.T, x,
                                                    T.constant(beta)) * 1.0)
    np.testing.assert_allclose(g(yv, At, xv), beta * yv + alpha * (At.T @ xv), rtol=1e-14)


def test_shapes_that_do_not_fit_raise_gemvs_error():
    x, w = T.dmatrix("x"), T.dvector("w")
    f = theano.function([x, w], T.dot(x, w) * 2.0, mode=FAST_RUN)  # dot -> Gemv
    with pytest.raises(ValueError, match="Incompatible shapes for gemv"):
        f(rng.randn(4, 3), rng.randn(5))
    y, A, v = T.dvector("y"), T.dmatrix("A"), T.dvector("v")
    g = theano.function([y, A, v], gemv_no_inplace(y, T.constant(1.0), A, v,
                                                    T.constant(0.5)) * 1.0)
    with pytest.raises(ValueError, match="Incompatible shapes for gemv"):
        g(rng.randn(3), rng.randn(4, 2), rng.randn(2))
    # A and x that do not fit (dot's own ValueError, turned into Gemv's); a y of
    # length 1 that NumPy would broadcast
    src = g.maker.program.source
    assert "except ValueError:" in src and "A.shape[1]" not in src.replace("i1.shape[1]", "A")
    for yv, Av, vv in ((rng.randn(4), rng.randn(4, 2), rng.randn(3)),
                       (rng.randn(1), rng.randn(4, 2), rng.randn(2))):
        with pytest.raises(ValueError, match="Incompatible shapes for gemv"):
            g(yv, Av, vv)
    yv, Av, vv = rng.randn(4), rng.randn(4, 2), rng.randn(2)
    np.testing.assert_allclose(g(yv, Av, vv), 0.5 * yv + Av @ vv, rtol=1e-14)


def test_seed1_step_numbers_unchanged_by_the_written_out_gemv():
    # The same graph run with Gemv's own runner (BlasOpt excluded: dot) gives the same
    # parameters to rounding.
    xv, yv, w0 = rng.randn(40, 12), rng.randint(0, 2, 40).astype("float64"), rng.randn(12)

    def step(mode):
        x, y = T.dmatrix("x"), T.dvector("y")
        w = theano.shared(w0.copy())
        p = 1 / (1 + T.exp(-T.dot(x, w)))
        cost = (-y * T.log(p) - (1 - y) * T.log(1 - p)).mean() + 0.01 * (w ** 2).sum()
        f = theano.function([x, y], cost, updates=[(w, w - 0.1 * T.grad(cost, w))],
                            mode=mode)
        costs = [f(xv, yv) for _ in range(3)]
        return np.array(costs), w.get_value()

    c1, w1 = step(None)
    c2, w2 = step(theano.compile.mode.get_default_mode().excluding("BlasOpt"))
    np.testing.assert_allclose(c1, c2, rtol=1e-13)
    np.testing.assert_allclose(w1, w2, rtol=1e-13)
