"""The generated call (link/call_entry.py): arrays of a dtype that fits the input's
(int64 labels into a dvector, as the tutorials pass them) are converted on the fast
path, exactly as the filter converts them; the others still get Theano's errors."""

import numpy as np
import pytest

import theano
import theano.tensor as T


def test_fitting_integer_arrays_convert_on_the_fast_path():
    y = T.dvector("y")
    f = theano.function([y], y * 0.5)
    assert "_fit0" in f._glob
    for dtype in ("int64", "int32", "uint8", "float32", "bool"):
        v = (np.arange(5) % 2 if dtype == "bool" else np.arange(5)).astype(dtype)
        np.testing.assert_array_equal(f(v), v.astype("float64") * 0.5)
    big = np.array([2 ** 53 + 1, -(2 ** 62)], dtype="int64")   # rounds as NumPy's cast
    np.testing.assert_array_equal(f(big), big.astype("float64") * 0.5)


def test_arrays_that_do_not_fit_are_still_refused():
    i, s = T.ivector("i"), T.fvector("s")
    f = theano.function([i], i * 2)
    with pytest.raises(TypeError, match="without risking loss"):
        f(np.arange(3.0))
    g = theano.function([s], s * 2)
    with pytest.raises(TypeError, match="without risking loss"):
        g(np.arange(3, dtype="int64"))
    d = T.dvector("d")
    k = theano.function([d], d + 1)
    with pytest.raises(TypeError, match="Wrong number of dimensions"):
        k(np.zeros((2, 2), dtype="int64"))
