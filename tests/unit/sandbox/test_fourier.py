"""theano.sandbox.fourier: the old matrix FFT Ops against numpy.fft, and the DCT matrix."""

import warnings

import numpy as np
import pytest
import theano
import theano.tensor as T

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from theano.sandbox import fourier


def test_fft_ifft_and_half_against_numpy():
    x = T.dmatrix("x")
    n, axis = T.lscalar("n"), T.lscalar("axis")
    m = np.arange(12.0).reshape(3, 4) ** 1.5
    f = theano.function([x, n, axis], fourier.fft(x, n, axis))
    np.testing.assert_allclose(f(m, 4, 1), np.fft.fft(m, 4, 1))
    np.testing.assert_allclose(f(m, 6, 0), np.fft.fft(m, 6, 0))
    g = theano.function([x, n, axis], fourier.ifft(x, n, axis))
    np.testing.assert_allclose(g(m, 4, 1), np.fft.ifft(m, 4, 1))
    h = theano.function([x, n, axis], fourier.half_fft(x, n, axis))
    np.testing.assert_allclose(h(m, 4, 1), np.fft.fft(m, 4, 1)[:, :2])
    np.testing.assert_allclose(h(m, 4, 0), np.fft.fft(m, 4, 0)[:2])
    assert fourier.fft(x, 4, 1).type.dtype == "complex128"
    with pytest.raises(ValueError, match="odd-length"):
        h(m, 3, 1)
    with pytest.raises(TypeError):
        fourier.half_fft(T.zmatrix(), 4, 1)


def test_fft_has_no_gradient_yet():
    x = T.dmatrix("x")
    g_x, g_n, g_axis = fourier.fft.grad([x, T.constant(4), T.constant(1)],
                                        [T.zmatrix(), None])
    assert (g_n, g_axis) == (None, None)
    assert g_x.owner.op is fourier.grad_todo
    with pytest.raises(NotImplementedError, match="TODO"):
        theano.function([x], g_x)(np.ones((2, 4)))


def test_dct_matrix_against_the_formula():
    d = fourier.dct_matrix(3, 4)
    k = np.arange(4)
    expected = np.array([np.cos(i * (2 * k + 1) * np.pi / 8) for i in range(3)]) * np.sqrt(0.5)
    expected[0] *= np.sqrt(0.5)
    np.testing.assert_allclose(d, expected)
    # the unitary 4x4 DCT is orthogonal
    full = fourier.dct_matrix(4, 4)
    np.testing.assert_allclose(full @ full.T, np.eye(4), atol=1e-12)
    assert not np.allclose(fourier.dct_matrix(4, 4, unitary=False)[0], full[0])
