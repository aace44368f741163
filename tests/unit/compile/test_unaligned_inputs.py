"""A compiled function computes unaligned input arrays (views into a structured array).

Theano 1.0.5's C code refused them with TypeError (its test_unalign asserts that; the
conformance manifest lists it as a c-code deviation).  Here the NumPy code reads them like
any other array, so the values must equal NumPy's on the same views."""

import numpy as np

import theano
import theano.tensor as T


def _unaligned(shape, rng):
    a = np.empty(shape, dtype="b1,f8")["f1"]
    a[...] = rng.rand(*shape)
    assert not a.flags.aligned
    return a


def test_vectors():
    rng = np.random.RandomState(0)
    a, b = _unaligned((1000,), rng), _unaligned((1000,), rng)
    av, bv = T.vectors("ab")
    f = theano.function([av, bv], 2 * av + 3 * bv)
    np.testing.assert_allclose(f(a, b), 2 * a + 3 * b, rtol=0, atol=1e-15)
    assert not a.flags.aligned and not b.flags.aligned  # inputs left as they were


def test_scalars_and_a_reduction():
    rng = np.random.RandomState(1)
    a, b = _unaligned((), rng), _unaligned((), rng)
    av, bv = T.scalars("ab")
    f = theano.function([av, bv], 2 * av + 3 * bv)
    np.testing.assert_allclose(f(a, b), 2 * a + 3 * b, rtol=0, atol=1e-15)
    m = _unaligned((7, 5), rng)
    x = T.matrix("x")
    g = theano.function([x], T.dot(x, x.T).sum(axis=1))
    np.testing.assert_allclose(g(m), (np.asarray(m) @ np.asarray(m).T).sum(axis=1),
                               rtol=1e-13)
