"""set_value of tensor shared variables, as Theano 1.0.5 (recorded with theano-ref): only
the number of dimensions, the dtype (no downcast) and the broadcastable pattern are
fixed; the shape may change, and compiled functions see the new shape."""

import numpy as np
import pytest
import theano.tensor as T

import theano


def test_set_value_with_a_new_shape():
    s = theano.shared(np.zeros((2, 3)), name="s")
    f = theano.function([], s * 2)
    s.set_value(np.ones((4, 5)))
    assert s.get_value().shape == (4, 5)
    assert f().shape == (4, 5) and f().sum() == 40.0
    # An upcast value is converted (float32, int64 into float64; a nested list).
    s.set_value(np.ones((2, 2), dtype="float32"))
    assert s.get_value().dtype == np.float64
    s.set_value(np.ones((2, 2), dtype="int64"))
    assert s.get_value().dtype == np.float64
    s.set_value([[1, 2], [3, 4]])
    assert s.get_value().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    v = theano.shared(np.zeros(3, dtype="float32"))
    v.set_value(np.ones(5, dtype="float32"))
    v.set_value([1.0, 2.0])  # a list is converted as float32 (no dtype to lose)
    assert v.get_value().dtype == np.float32 and v.get_value().tolist() == [1.0, 2.0]
    i = theano.shared(np.zeros(3, dtype="int32"))
    i.set_value(np.ones(5, dtype="int16"))
    assert i.get_value().dtype == np.int32 and i.get_value().tolist() == [1] * 5
    c = theano.shared(1.0)
    c.set_value(3)
    assert c.get_value().dtype == np.float64 and float(c.get_value()) == 3.0


def test_set_value_refuses_what_theano_refused():
    s = theano.shared(np.zeros((2, 3)), name="s")
    with pytest.raises(TypeError, match="Wrong number of dimensions: expected 2, got 1"):
        s.set_value(np.ones(3))
    with pytest.raises(TypeError, match="Wrong number of dimensions: expected 2, got 0"):
        s.set_value(5.0)
    r = theano.shared(np.zeros((1, 3)), broadcastable=(True, False))
    with pytest.raises(TypeError, match="Non-unit value on shape on a broadcastable dimension"):
        r.set_value(np.ones((2, 3)))
    v = theano.shared(np.zeros(3, dtype="float32"))
    with pytest.raises(TypeError, match="float32, vector.*without risking loss of precision"):
        v.set_value(np.ones(2, dtype="float64"))
    i = theano.shared(np.zeros(3, dtype="int32"))
    for bad in (np.ones(2, dtype="int64"), np.array([1.5])):
        with pytest.raises(TypeError, match="without risking loss of precision"):
            i.set_value(bad)
    assert T.as_tensor_variable(s).broadcastable == (False, False)


def test_load_shared_variable():
    from theano_compat.tensor import sharedvar

    s = sharedvar.load_shared_variable(np.arange(3.0))
    assert isinstance(s, T.TensorSharedVariable)
    assert s.get_value().tolist() == [0.0, 1.0, 2.0]
