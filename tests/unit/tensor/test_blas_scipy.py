"""theano.tensor.blas_scipy: ScipyGer (A + alpha * outer(x, y) by SciPy's ?ger)."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor import blas, blas_scipy as BS

X = np.array([1., 2.])
Y = np.array([1.5, 2.7, 3.9])


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_scipy_ger_values(dtype):
    A, x, y = T.matrix(dtype=dtype), T.vector(dtype=dtype), T.vector(dtype=dtype)
    a = T.scalar(dtype=dtype)
    f = theano.function([A, a, x, y], BS.scipy_ger_no_inplace(A, a, x, y))
    av = np.ones((2, 3), dtype)
    out = f(av, 0.5, X.astype(dtype), Y.astype(dtype))
    assert out.dtype == dtype
    np.testing.assert_allclose(out, 1 + 0.5 * np.outer(X, Y), rtol=1e-6)
    np.testing.assert_array_equal(av, 1)  # the non-destructive form copies A
    # Fortran-ordered / strided inputs take the other ?ger call.
    np.testing.assert_allclose(f(av[::-1, ::-1], 2, X[::-1].astype(dtype), Y[::-1].astype(dtype)),
                               1 + 2 * np.outer(X[::-1], Y[::-1]), rtol=1e-6)
    assert f(np.ones((0, 3), dtype), 1, np.ones(0, dtype), Y.astype(dtype)).shape == (0, 3)


def test_scipy_ger_inplace_and_optimizers():
    assert isinstance(BS.scipy_ger_inplace, blas.Ger)
    assert BS.scipy_ger_inplace.destroy_map == {0: [0]}
    s = theano.shared(np.zeros((2, 3)))
    a, x, y = T.dscalar(), T.dvector(), T.dvector()
    f = theano.function([a, x, y], [], updates=[(s, BS.scipy_ger_inplace(s, a, x, y))],
                        accept_inplace=True)
    f(1., X, Y)
    f(1., X, Y)
    np.testing.assert_allclose(s.get_value(), 2 * np.outer(X, Y))
    A = T.dmatrix()
    (new,) = BS.use_scipy_ger.transform(blas.ger(A, a, x, y).owner)
    assert new.owner.op == BS.scipy_ger_no_inplace
    (new,) = BS.make_ger_destructive.transform(new.owner)
    assert new.owner.op == BS.scipy_ger_inplace
