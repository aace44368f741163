"""Gradients of Scan (theano_compat/scan/grad.py): second derivatives through the
reverse loop's accumulators (Theano 1.0.5's value recorded with
../shared/tools/theano-ref; NumPy)."""

import numpy as np

import theano
import theano.tensor as T


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
