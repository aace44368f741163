"""theano.tensor.nnet.abstract_conv: the names added for Theano's API (fractional bilinear
upsampling, border_mode_to_pad, the Python 2 helpers).  The convolutions themselves are
tested in test_conv.py.  Expected values were printed by Theano 1.0.5."""

import numpy as np
import pytest
import theano.tensor as T
from theano.tensor.nnet import abstract_conv as A

import theano


@pytest.mark.parametrize("frac_ratio,expected", [
    ((3, 2), [[1.0, 2.0, 4.0], [4 / 3, 16 / 9, 8 / 3], [2.0, 4 / 3, 0.0]]),
    ((6, 4), [[1.0, 2.0, 4.0], [4 / 3, 16 / 9, 8 / 3], [2.0, 4 / 3, 0.0]]),  # reduced by gcd
    (((2, 1), (1, 2)), [[1.0], [1.5], [2.0], [2.0]]),
])
def test_fractional_bilinear_upsampling_matches_theano(frac_ratio, expected):
    x = np.array([[[[1.0, 4.0], [2.0, 0.0]]]])
    v = T.tensor4()
    with theano.config.change_flags(floatX="float64"):
        out = A.bilinear_upsampling(v, frac_ratio=frac_ratio, use_1D_kernel=False)
        got = theano.function([v], out)(x)
    np.testing.assert_allclose(got[0, 0], expected, rtol=1e-9)
    # Channels and batch are upsampled independently.
    x2 = np.concatenate([x, 2 * x], axis=1)
    with theano.config.change_flags(floatX="float64"):
        got2 = theano.function([v], A.frac_bilinear_upsampling(v, frac_ratio))(x2)
    np.testing.assert_allclose(got2[0, 1], 2 * np.array(expected), rtol=1e-9)


def test_bilinear_upsampling_argument_errors():
    v = T.tensor4()
    with pytest.raises(ValueError, match="1D kernel"):
        A.bilinear_upsampling(v, frac_ratio=(3, 2))
    with pytest.raises(ValueError, match="together"):
        A.bilinear_upsampling(v, ratio=2, frac_ratio=(3, 2), use_1D_kernel=False)
    with pytest.raises(ValueError, match="must be a tuple"):
        A.frac_bilinear_upsampling(v, 1.5)


def test_border_mode_to_pad_matches_theano():
    assert A.border_mode_to_pad("valid", 2, (3, 4)) == ((0, 0), (0, 0))
    assert A.border_mode_to_pad("full", 2, (3, 4)) == ((2, 2), (3, 3))
    assert A.border_mode_to_pad("half", 2, (3, 4)) == ((1, 1), (2, 2))
    assert A.border_mode_to_pad((1, (2, 0)), 2, (3, 4)) == ((1, 1), (2, 0))
    with pytest.raises(ValueError):  # a bare int is refused, as in Theano 1.0.5
        A.border_mode_to_pad(2, 2, (3, 4))
    with pytest.raises(ValueError, match="length 3"):
        A.border_mode_to_pad((1, 1), 3, (3, 3, 3))


def test_python2_helpers():
    assert A.gcd(12, 18) == 6 and A.integer_types == (int,) and A.imported_scipy_signal
    assert list(A.xrange(3)) == [0, 1, 2]
    with pytest.raises(KeyError, match="k"):
        A.reraise(KeyError, KeyError("k"))
    assert A.Assert.__name__ == "Assert"
