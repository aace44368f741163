"""theano.scalar's types, variables and constants (theano_compat/scalar/type.py).
Expected values recorded with Theano 1.0.5 (theano-ref)."""

import numpy as np
import pytest

import theano
import theano.scalar as s
import theano.tensor as T


def test_types_and_variables():
    assert s.get_scalar_type("int32") is s.int32
    assert s.Scalar("float64") == s.float64 and s.Scalar("float64") is not s.float64
    assert repr(s.float32) == "Scalar(float32)" and str(s.float32) == "float32"
    assert s.int32.dtype_specs()[0] is np.int32
    x = s.float64("x")
    assert isinstance(x, s.ScalarVariable) and x.type is s.float64 and x.dtype == "float64"
    assert [str(v) for v in s.ints("ab")] == ["a", "b"] and s.ints("ab")[0].type == s.int64
    assert s.Scalar("floatX").dtype == theano.config.floatX
    assert s.discrete_types[0] == s.bool and len(s.all_types) == 14


def test_filter():
    assert type(s.float32.filter(1.5)) is np.float32 and s.float32.filter(1.5) == 1.5
    with pytest.raises(TypeError):
        s.int8.filter(1.5)
    assert s.int8.filter(1.5, allow_downcast=True) == 1
    with pytest.raises(TypeError):
        s.float64.filter(np.ones(2))


@pytest.mark.parametrize("value, dtype", [(3, "int8"), (300, "int16"), (2 ** 40, "int64"),
                                          (2 ** 63, "uint64"), (True, "int8"),
                                          (np.float32(2), "float32"), (0.5, "float32")])
def test_constant_dtypes(value, dtype):
    # Theano 1.0.5 (floatX=float64): constant(300) int16, constant(2**40) int64...
    with theano.config.change_flags(floatX="float64"):
        assert s.constant(value).dtype == dtype


def test_constant_prints_and_names():
    c = s.constant(2, name="a")
    assert c.name == "a" and c.dtype == "int8"
    c = s.constant(2, dtype="float32")
    assert c.name is None and c.dtype == "float32" and str(c) == "Constant{2.0}"
    assert str(s.constant(3)) == "Constant{3}"


def test_autocast_float_as():
    with theano.config.change_flags(floatX="float64"):
        # Theano 1.0.5: float64 float32 float32 float32 inside, float64 float64 float64 after
        with s.autocast_float_as("float32"):
            assert (T.dvector() + 1.1).dtype == "float64"
            assert (T.fvector() + 1.1).dtype == "float32"
            assert s.constant(0.1).dtype == "float32"
            assert T.constant(0.1).dtype == "float32"
        assert (T.fvector() + 1.1).dtype == "float64"
        assert s.constant(0.1).dtype == T.constant(0.1).dtype == "float64"
        assert s.constant(0.5).dtype == "float32"
        with s.autocast_float_as("float64"):
            assert (T.fvector() + 0.5).dtype == "float64"
        assert s.autocast_float.dtypes == ("float16", "float32", "float64")


def test_autocast_float_as_needs_custom_policy():
    with theano.config.change_flags(cast_policy="numpy+floatX"):
        with pytest.raises(AssertionError, match="custom"):
            s.autocast_float_as("float32")


def test_operators_build_scalar_graphs():
    x, y = s.floats("xy")
    i, j = s.ints("ij")
    assert isinstance((x + y).owner.op, s.Add) and str(x + y) == "add.0"
    assert isinstance((i // j).owner.op, s.IntDiv)
    # Theano 1.0.5 (int_division='int', its default): int / int is int_div, with a warning
    with theano.config.change_flags(int_division="int"):
        with pytest.warns(DeprecationWarning, match="x // y"):
            assert isinstance((i / j).owner.op, s.IntDiv)
    with theano.config.change_flags(int_division="floatX"):
        assert isinstance((i / j).owner.op, s.TrueDiv) and (i / j).dtype == "float64"
    assert isinstance((x / i).owner.op, s.TrueDiv)
    assert isinstance((x > y).owner.op, s.GT) and (x > y).dtype == "bool"
    assert (x * 2).owner.inputs[1].dtype == "int8"
    with pytest.raises(s.ComplexError):
        s.complex64() % s.int32()
    with theano.config.change_flags(int_division="raise"):
        with pytest.raises(s.IntegerDivisionError):
            i / j
    assert s.cast(x, "float64") is x and isinstance(s.cast(x, "int32").owner.op, s.Cast)
    f = theano.function([i, j], [i & j, i | j, i ^ j, ~i, -i, abs(i)])
    assert [int(v) for v in f(6, 3)] == [2, 7, 5, -7, -6, 6]


def test_as_scalar():
    assert s.as_scalar(3).type == s.int8
    with pytest.raises(TypeError):
        s.as_scalar(T.dvector())
