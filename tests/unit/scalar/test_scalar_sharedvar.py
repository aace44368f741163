"""theano.scalar.sharedvar (theano_compat/scalar/sharedvar.py): shared variables of a
scalar type, as Theano 1.0.5 made them (types and values recorded with
../shared/tools/theano-ref)."""

import pickle

import numpy as np
import pytest

import theano
import theano.scalar.sharedvar as ssv


def test_dtype_follows_the_value():
    s1, s2, s3 = ssv.shared(1), ssv.shared(2.5, name="s"), ssv.shared(np.float32(1))
    # Theano 1.0.5: int64, float64, float32; a ScalarSharedVariable holding np.int64(1)
    assert [str(s.type) for s in (s1, s2, s3)] == ["int64", "float64", "float32"]
    assert type(s1).__name__ == "ScalarSharedVariable" and s2.name == "s"
    assert type(s1.get_value()) is np.int64 and s1.get_value() == 1
    assert s1.type == ssv.Scalar("int64") and s1.type != ssv.Scalar("int32")


def test_value_is_filtered_by_the_type():
    s = ssv.shared(1)
    s.set_value(7)
    assert s.get_value() == 7 and type(s.get_value()) is np.int64
    with pytest.raises(TypeError):
        s.set_value(2.5)  # would lose its value as an int64
    with pytest.raises(TypeError):
        s.set_value(np.zeros(3))


def test_only_numbers():
    for bad in ("a", [1], np.zeros(2), None):
        with pytest.raises(TypeError):
            ssv.shared(bad)


def test_a_function_input_but_no_arithmetic():
    s = ssv.shared(3)
    f = theano.function([], s)
    assert f() == 3
    with pytest.raises(NotImplementedError, match="0-d tensor"):
        s + 1
    again = pickle.loads(pickle.dumps(s))
    assert again.get_value() == 3 and again.type == s.type
