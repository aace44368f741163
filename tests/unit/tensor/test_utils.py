"""theano.tensor.utils: hash_from_ndarray and shape_of_variables."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor.utils import hash_from_code, hash_from_ndarray, shape_of_variables


def test_hash_from_ndarray_tells_data_shape_strides_dtype_apart():
    rng = np.random.rand(5, 5)
    arrays = [np.zeros((1, 5)), np.zeros((1, 6)), np.zeros((1, 0)), np.zeros((2, 0)),
              np.arange(25).reshape(5, 5), np.arange(25).reshape(5, 5).T,
              np.zeros((5, 5), dtype="uint32"), np.zeros((5, 5), dtype="int32"),
              rng, rng[1:], rng[::2], rng[::-1]]
    hashes = [hash_from_ndarray(a) for a in arrays]
    assert len(set(hashes)) == len(hashes)
    assert hash_from_ndarray(rng[::2]) == hash_from_ndarray(rng[::2].copy())
    assert hash_from_code("abc") == hash_from_code(b"abc") and hash_from_code("a")[0] == "m"


def test_shape_of_variables():
    x = T.matrix("x")
    y = T.dot(x, x.T)
    sub = x[1:]
    fgraph = theano.FunctionGraph([x], [y, sub], clone=False)
    shapes = shape_of_variables(fgraph, {x: (5, 1)})
    assert shapes[x] == (5, 1) and shapes[y] == (5, 5) and shapes[sub] == (4, 1)
    assert all(isinstance(d, np.ndarray) for d in shapes[y])
    other = T.matrix()
    with pytest.raises(ValueError, match="input_shapes keys"):
        shape_of_variables(fgraph, {other: (2, 2)})
