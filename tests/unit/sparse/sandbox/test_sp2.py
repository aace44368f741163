"""theano.sparse.sandbox.sp2: sparse Poisson, Binomial and Multinomial draws."""

import numpy as np
import scipy.sparse as sp
import theano.sparse as S
import theano.tensor as T
from theano.sparse.sandbox import sp2

import theano


def test_poisson_keeps_the_pattern_and_draws_integers():
    x = S.csr_matrix("x")
    np.random.seed(0)
    m = sp.csr_matrix(np.array([[5.0, 0, 100.0], [0, 50.0, 0]]))
    out = theano.function([x], sp2.poisson(x))(m)
    assert out.format == "csr" and out.shape == (2, 3)
    assert np.all(out.data == np.floor(out.data)) and out[0, 1] == 0
    assert 50 < out[0, 2] < 150


def test_binomial_and_multinomial():
    n, p, shape = T.iscalar(), T.dscalar(), T.ivector()
    out = theano.function([n, p, shape], sp2.csr_dbinomial(n, p, shape))(5, 0.5, [3, 4])
    assert out.format == "csr" and out.shape == (3, 4) and out.dtype == np.float64
    assert out.toarray().max() <= 5
    probs = sp.csr_matrix(np.array([[0.5, 0.5, 0], [0, 0.2, 0.8]]))
    x = S.csr_matrix("x")
    draws = theano.function([n, x], sp2.multinomial(n, x))(10, probs)
    np.testing.assert_array_equal(draws.toarray().sum(1), [10, 10])
    assert draws[0, 2] == 0 and draws[1, 0] == 0
