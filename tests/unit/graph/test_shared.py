"""theano.shared: constructors, value aliasing (borrow), casting on set_value, updates.

Expected behaviours were checked against the original Theano 1.0.5 (tools/theano-ref).
"""

import copy
import pickle

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.tensor.sharedvar import ScalarSharedVariable, TensorSharedVariable

# ----------------------------------------------------------------------------- constructors


@pytest.mark.parametrize(
    ("value", "cls", "type_text"),
    [
        (0, ScalarSharedVariable, "TensorType(int64, scalar)"),
        (1.5, ScalarSharedVariable, "TensorType(float64, scalar)"),
        (np.float32(2), ScalarSharedVariable, "TensorType(float32, scalar)"),
        (np.int32(3), ScalarSharedVariable, "TensorType(int32, scalar)"),
        (True, ScalarSharedVariable, "TensorType(bool, scalar)"),
        (np.arange(3), TensorSharedVariable, "TensorType(int64, vector)"),
        (np.array(5.0), TensorSharedVariable, "TensorType(float64, scalar)"),
        (np.ones((2, 2), dtype="float32"), TensorSharedVariable, "TensorType(float32, matrix)"),
        (np.ones(2, dtype="int8"), TensorSharedVariable, "TensorType(int8, vector)"),
        (np.ones(2, dtype="bool"), TensorSharedVariable, "TensorType(bool, vector)"),
    ],
)
def test_constructor_picks_class_and_type(value, cls, type_text):
    s = theano.shared(value)
    assert type(s) is cls
    assert str(s.type) == type_text
    assert isinstance(s.get_value(), np.ndarray)
    np.testing.assert_array_equal(s.get_value(), value)


def test_python_float_is_float64_whatever_floatx():
    with theano.change_flags(floatX="float32"):
        assert theano.shared(1.5).dtype == "float64"
        assert theano.shared(0).dtype == "int64"


def test_lists_get_a_generic_shared_variable():
    g = theano.shared([1, 2], "g")
    assert type(g) is theano.compile.SharedVariable
    assert not isinstance(g, TensorSharedVariable)
    value = g.get_value()
    value.append(3)
    assert g.get_value() == [1, 2]  # get_value() copies
    assert g.get_value(borrow=True) is g.get_value(borrow=True)
    g.set_value({"a": 1})
    assert g.get_value() == {"a": 1}
    # A function returning it gives a copy, not the stored object.
    out = theano.function([], g)()
    assert out == {"a": 1}
    out["b"] = 2
    assert g.get_value() == {"a": 1}


def test_tensor_shared_is_a_tensor_variable_in_expressions():
    s = theano.shared(np.arange(3.0), "s")
    assert isinstance(s, theano.compile.SharedVariable)
    assert isinstance(s, TensorSharedVariable)
    assert (s.dtype, s.ndim, s.broadcastable, s.name) == ("float64", 1, (False,), "s")
    np.testing.assert_array_equal((s * 2).eval(), [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(theano.function([], T.dot(s, s))(), 5.0)


def test_names_and_str():
    assert str(theano.shared(np.ones(2), "w")) == "w"
    assert str(theano.shared(np.ones(2))) == "<TensorType(float64, vector)>"


def test_broadcastable_argument():
    b = theano.shared(np.zeros((1, 3)), broadcastable=(True, False))
    assert b.broadcastable == (True, False)
    assert str(b.type) == "TensorType(float64, row)"
    m = T.dmatrix("m")
    np.testing.assert_array_equal(theano.function([m], b + m)(np.ones((2, 3))), np.ones((2, 3)))
    with pytest.raises(TypeError, match="broadcastable"):
        b.set_value(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="No suitable SharedVariable constructor"):
        theano.shared(np.zeros((2, 3)), broadcastable=(True, False))


def test_constructor_errors():
    with pytest.raises(TypeError, match="not symbolic variables"):
        theano.shared(T.dvector())
    with pytest.raises(TypeError, match="No suitable SharedVariable constructor"):
        theano.shared(np.ones(2), foo=1)
    with pytest.raises(TypeError, match="No suitable SharedVariable constructor"):
        theano.shared([1, 2], broadcastable=(False,))


def test_value_attribute_is_gone():
    s = theano.shared(np.ones(2))
    with pytest.raises(AttributeError, match="get_value"):
        s.value  # noqa: B018


# ----------------------------------------------------------------------------- aliasing


def test_constructor_borrow_shares_memory_only_when_asked():
    v = np.arange(3.0)
    assert not np.shares_memory(theano.shared(v).get_value(borrow=True), v)
    assert theano.shared(v, borrow=True).get_value(borrow=True) is v


def test_get_value_borrow_and_return_internal_type():
    v = np.arange(3.0)
    s = theano.shared(v, borrow=True)
    copied = s.get_value()
    assert not np.shares_memory(copied, v)
    copied[0] = 99.0
    assert v[0] == 0.0
    assert s.get_value(borrow=True) is v
    assert s.get_value(borrow=True, return_internal_type=True) is v
    assert type(s.get_value(return_internal_type=True)) is np.ndarray


def test_set_value_borrow_and_copy():
    s = theano.shared(np.zeros(3))
    w = np.ones(3)
    s.set_value(w)
    assert not np.shares_memory(s.get_value(borrow=True), w)
    w[0] = 5.0
    assert s.get_value()[0] == 1.0
    s.set_value(w, borrow=True)
    assert s.get_value(borrow=True) is w


def test_function_sees_set_value_and_borrowed_mutation():
    v = np.zeros(2)
    s = theano.shared(v, borrow=True)
    f = theano.function([], s * 1)
    v[:] = [1.0, 2.0]  # borrowed: the function reads the caller's array
    np.testing.assert_array_equal(f(), [1.0, 2.0])
    s.set_value(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(f(), [3.0, 4.0])


# ----------------------------------------------------------------------------- set_value casting


def test_set_value_casting_rules():
    s = theano.shared(np.arange(3.0))
    s.set_value(np.ones(3, dtype="float32"))
    assert s.get_value().dtype == np.float64  # upcast is silent
    s.set_value([1, 2, 3])
    np.testing.assert_array_equal(s.get_value(), [1.0, 2.0, 3.0])
    s.set_value(np.ones(5))  # the shape may change
    assert s.get_value().shape == (5,)
    with pytest.raises(TypeError, match="Wrong number of dimensions"):
        s.set_value(np.ones((2, 2)))


def test_set_value_downcast_errors_name_the_shared_variable():
    s32 = theano.shared(np.ones(3, dtype="float32"), "s32")
    with pytest.raises(TypeError) as info:
        s32.set_value(np.ones(3))
    assert "float32" in str(info.value) and "float64" in str(info.value)
    assert "s32" in str(info.value)
    with pytest.raises(TypeError, match="cannot store accurately"):
        s32.set_value([0.1, 0.2, 0.3])
    s32.set_value([0.5, 0.25, 1])
    np.testing.assert_array_equal(s32.get_value(), np.array([0.5, 0.25, 1], dtype="float32"))
    assert s32.get_value().dtype == np.float32
    down = theano.shared(np.ones(3, dtype="float32"), allow_downcast=True)
    down.set_value(np.full(3, 0.1))
    assert down.get_value().dtype == np.float32


def test_strict_shared_accepts_only_exact_ndarrays():
    s = theano.shared(np.ones(3), strict=True)
    with pytest.raises(TypeError, match="expected a ndarray"):
        s.set_value([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="dtype = float64"):
        s.set_value(np.ones(3, dtype="float32"))
    s.set_value(np.zeros(3))
    np.testing.assert_array_equal(s.get_value(), np.zeros(3))


def test_scalar_shared_set_value():
    sc = theano.shared(3)
    with pytest.raises(TypeError, match=r"cannot store accurately value 3\.5"):
        sc.set_value(3.5)
    sc.set_value(7)
    assert sc.get_value() == 7 and isinstance(sc.get_value(), np.ndarray)
    sc.set_value(8.0)
    assert sc.get_value() == 8 and sc.get_value().dtype == np.int64
    fs = theano.shared(1.5)
    fs.set_value(2)
    assert fs.get_value().dtype == np.float64 and fs.get_value() == 2.0


# ----------------------------------------------------------------------------- methods


def test_zero_clone_deepcopy_pickle():
    z = theano.shared(np.arange(3.0))
    z.zero()
    np.testing.assert_array_equal(z.get_value(), np.zeros(3))
    s = theano.shared(np.ones(3), "s")
    d = copy.deepcopy(s)
    d.set_value(np.full(3, 9.0))
    np.testing.assert_array_equal(s.get_value(), np.ones(3))
    c = s.clone()
    c.set_value(np.full(3, 7.0))  # a clone shares the container
    np.testing.assert_array_equal(s.get_value(), np.full(3, 7.0))
    p = pickle.loads(pickle.dumps(s))
    assert type(p) is TensorSharedVariable and p.name == "s"
    np.testing.assert_array_equal(p.get_value(), np.full(3, 7.0))
    p.set_value(np.zeros(3))
    np.testing.assert_array_equal(s.get_value(), np.full(3, 7.0))
    sc = pickle.loads(pickle.dumps(theano.shared(2)))
    assert type(sc) is ScalarSharedVariable and sc.get_value() == 2


# ----------------------------------------------------------------------------- updates


def test_update_type_checks():
    sc = theano.shared(3)
    with pytest.raises(TypeError, match=r"TensorType\(int64, scalar\).*TensorType\(float64"):
        theano.function([], [], updates=[(sc, sc + 1.5)])
    # int64 + int32 stays int64: accepted.
    f = theano.function([], [], updates=[(sc, sc + T.constant(1, dtype="int32"))])
    f()
    assert sc.get_value() == 4
    # float32 * Python float stays float32 (Theano's scalar casting): accepted.
    s32 = theano.shared(np.ones(3, dtype="float32"), "s32")
    theano.function([], [], updates=[(s32, s32 * 0.5)])()
    np.testing.assert_array_equal(s32.get_value(), np.full(3, 0.5, dtype="float32"))
    assert s32.get_value().dtype == np.float32


def test_float32_shared_updated_with_float64_expression_is_a_type_error():
    s32 = theano.shared(np.zeros(3, dtype="float32"), "s32")
    with pytest.raises(TypeError) as info:
        theano.function([], [], updates=[(s32, s32 + np.ones(3))])
    msg = str(info.value)
    assert "TensorType(float32, vector)" in msg and "TensorType(float64, vector)" in msg
    assert "T.cast(update, 'float32')" in msg
