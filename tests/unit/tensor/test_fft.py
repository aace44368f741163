"""theano.tensor.fft: rfft / irfft values (Theano 1.0.5 golden data) and gradients."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor import fft

A = np.array([[1., 2., 0., -1.], [3., 0.5, 2., 2.]])
# Printed by Theano 1.0.5 (tools/theano-ref) for fft.rfft(A).
RFFT_A = [[[2.0, 0.0], [1.0, -3.0], [0.0, 0.0]], [[7.5, 0.0], [1.0, 1.5], [2.5, 0.0]]]


def test_rfft_and_irfft_values():
    x = T.dmatrix()
    r = theano.function([x], fft.rfft(x))(A)
    assert r.tolist() == RFFT_A
    np.testing.assert_allclose(r[..., 0] + 1j * r[..., 1], np.fft.rfft(A, axis=1))
    ortho = theano.function([x], fft.rfft(x, norm="ortho"))(A)
    np.testing.assert_allclose(ortho, np.asarray(RFFT_A) / 2)
    m = T.dtensor3()
    np.testing.assert_allclose(theano.function([m], fft.irfft(m))(r), A)
    np.testing.assert_allclose(theano.function([m], fft.irfft(m, norm="no_norm"))(r), A * 4)


def test_odd_length_and_nd():
    rng = np.random.RandomState(0)
    v = rng.rand(3, 4, 5)
    x = T.dtensor3()
    r = theano.function([x], fft.rfft(x))(v)
    ref = np.fft.rfftn(v, axes=(1, 2))
    np.testing.assert_allclose(r[..., 0] + 1j * r[..., 1], ref)
    m = T.TensorType("float64", (False,) * 4)()
    back = theano.function([m], fft.irfft(m, is_odd=True))(r)
    np.testing.assert_allclose(back, v)
    f = theano.function([x], fft.rfft(x).shape)
    assert tuple(f(v)) == (3, 4, 3, 2)


def test_gradients():
    x = T.dmatrix()
    g = T.grad((fft.rfft(x) * np.arange(6.).reshape(3, 2)).sum(), x)
    # Theano 1.0.5's value.
    assert theano.function([x], g)(A).tolist() == [[6., -7., 2., -1.], [6., -7., 2., -1.]]
    rng = np.random.RandomState(1)
    verify_grad(fft.rfft, [rng.rand(2, 8)], eps=1e-1, rng=rng)
    verify_grad(fft.irfft, [rng.rand(2, 5, 2)], eps=1e-1, rng=rng)
    verify_grad(lambda a: fft.rfft(a, norm="ortho"), [rng.rand(1, 6)], eps=1e-1, rng=rng)


def test_bad_arguments():
    with pytest.raises(ValueError, match="norm"):
        fft.rfft(T.dmatrix(), norm="bad")
    with pytest.raises(ValueError, match="id_odd"):
        fft.irfft(T.dtensor3(), is_odd=2)
    with pytest.raises(TypeError, match="dimension"):
        fft.rfft_op(T.dvector())
    with pytest.raises(TypeError, match="integer"):
        fft.rfft_op(T.dmatrix(), T.dvector())
