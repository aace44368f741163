"""theano.tensor.fourier: the complex FFT Op along one axis."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor.fourier import Fourier, fft
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def test_values_match_numpy_and_theano():
    a = np.array([[1., 2., 0., -1.], [3., 0.5, 2., 2.]])
    x = T.dmatrix()
    out = theano.function([x], fft(x, 3, 0))(a)
    assert out.dtype == "complex128" and out.shape == (3, 4)
    np.testing.assert_allclose(out, np.fft.fft(a, 3, 0))
    # Theano 1.0.5's first column (tools/theano-ref).
    np.testing.assert_allclose(out[:, 0], [4, -0.5 - 2.598076211353316j,
                                           -0.5 + 2.598076211353316j])
    np.testing.assert_allclose(theano.function([x], fft(x, None, None))(a), np.fft.fft(a))


def test_infer_shape_without_computing():
    x = T.dmatrix()
    b = T.iscalar()
    for out, args, shp in ((fft(x, 16, 1), [], (12, 16)), (fft(x, None, 0), [], (12, 4)),
                           (fft(x, 16, b), [0], (16, 4))):
        f = theano.function([x] + ([b] if args else []), out.shape, mode=FAST_RUN)
        assert not any(isinstance(n.op, Fourier) for n in f.maker.fgraph.apply_nodes)
        assert tuple(f(np.zeros((12, 4)), *args)) == shp


def test_bad_arguments():
    with pytest.raises(TypeError, match="not a scalar"):
        fft(T.dscalar(), None, None)
    with pytest.raises(TypeError, match="integer"):
        fft(T.dmatrix(), None, T.dscalar())
    with pytest.raises(TypeError, match="strictly positive"):
        fft(T.dmatrix(), 0, 0)
