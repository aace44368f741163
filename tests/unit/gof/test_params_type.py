"""theano.gof.params_type: ParamsType and Params (the cases of Theano 1.0.5's
test_params_type, with their expected outcomes)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import theano.tensor as T
from theano.gof import EnumList, Generic
from theano.gof.params_type import Params, ParamsType
from theano_compat.scalar.sharedvar import Scalar


def _w(**extra):
    fields = dict(a=Generic(), array=T.TensorType("int64", (False,)),
                  floatting=Scalar("float64"), npy_scalar=T.TensorType("float64", ()))
    fields.update(extra)
    return ParamsType(**fields)


def _p(pt, **values):
    base = dict(a=1, array=np.asarray([1, 2, 4, 5, 7]), floatting=-4.5,
                npy_scalar=np.asarray(12.0))
    base.update(values)
    return Params(pt, **base)


def test_params_equality_and_hash_follow_the_values():
    w1 = _p(_w())
    w2 = _p(_w())
    assert w1 == w2 and not (w1 != w2) and hash(w1) == hash(w2)
    assert w1 != _p(_w(), a=2)
    assert w1 != _p(_w(), array=np.asarray([1, 2, 4, -5, 7]))
    other_names = ParamsType(other_name=Generic(), array=T.TensorType("int64", (False,)),
                             floatting=Scalar("float64"),
                             npy_scalar=T.TensorType("float64", ()))
    renamed = Params(other_names, other_name=1, array=np.asarray([1, 2, 4, 5, 7]),
                     floatting=-4.5, npy_scalar=np.asarray(12.0))
    assert w1 != renamed


def test_params_type_equality_follows_fields_and_types():
    def make(**kw):
        fields = dict(a1=T.TensorType("int64", (False, False)),
                      a2=T.TensorType("int64", (False, True, False, False, True)),
                      a3=Generic())
        fields.update(kw)
        return ParamsType(**fields)

    w1, w2 = make(), make()
    assert w1 == w2 and hash(w1) == hash(w2) and w1.name == w2.name
    assert w1.name.startswith("_Params_") and len(w1.name) == len("_Params_") + 64 * 2 + 1
    assert w1 != make(a2=Generic())
    assert w1 != make(a1=T.TensorType("int64", (False, True)))
    assert w1.fields == ("a1", "a2", "a3") and w1.length == 3
    assert repr(ParamsType(b=Generic(), a=Generic())) == "ParamsType<a:<Generic>, b:<Generic>>"


def test_filtering():
    w = ParamsType(a1=T.TensorType("int32", (False, False)),
                   a2=T.TensorType("float64", (False,) * 5), a3=Generic())
    rnd = np.random.RandomState(0).normal(size=24).reshape(1, 2, 2, 3, 2)
    wrong = Params(w, a1=np.arange(12).reshape(2, 6).astype("int64"),
                   a2=rnd.astype("float32"), a3=2000)
    with pytest.raises(TypeError):
        w.filter(wrong, True)
    with pytest.raises(TypeError):
        w.filter(wrong, False, False)
    assert w.filter(wrong, strict=False, allow_downcast=True) is wrong
    right = Params(w, a1=np.arange(12).reshape(2, 6).astype("int32"), a2=rnd, a3=2000)
    for strict, down in ((True, None), (False, False), (False, True)):
        assert w.filter(right, strict, down) is right
    same = Params(w, a1=np.arange(12).reshape(2, 6).astype("int32"), a2=rnd.copy(), a3=2000)
    assert w.values_eq(right, same) and w.values_eq_approx(right, same)
    close = Params(w, a1=np.arange(12).reshape(2, 6).astype("int32"), a2=rnd * (1 + 1e-12),
                   a3=2000.0)
    assert w.values_eq_approx(right, close)

    class Holder:
        a1 = np.ones((2, 2), dtype="int32")
        a2 = np.zeros((1,) * 5)
        a3 = "anything"

    built = w.filter(Holder())
    assert isinstance(built, Params) and built.a3 == "anything"


def test_params_are_read_only_dicts_and_pickle():
    pt = _w()
    p = _p(pt)
    assert p.a == 1 and p["floatting"] == -4.5
    with pytest.raises(AttributeError):
        p.missing
    for mutate in (lambda: setattr(p, "a", 2), lambda: p.__setitem__("a", 2),
                   lambda: p.__delitem__("a")):
        with pytest.raises(NotImplementedError, match="Params is immutable"):
            mutate()
    with pytest.raises(TypeError, match='ParamsType attribute "floatting" not in'):
        Params(pt, a=1, array=np.ones(1, "int64"), npy_scalar=np.asarray(1.0))
    with pytest.raises(TypeError, match="1st constructor argument"):
        Params({}, a=1)
    back = pickle.loads(pickle.dumps(p))
    assert back == p and back.__params_type__ == pt
    assert repr(Params(ParamsType(x=Generic()), x=3)) == "Params(x:int:3)"


def test_get_params_extended_and_field_lookup():
    pt = ParamsType(a=Scalar("int32"), b=T.dmatrix, c=Scalar("bool"))

    class Obj:
        a = 10
        b = [[1, 2, 3], [4, 5, 6]]

    params = pt.get_params(Obj(), c=False)
    assert params.a == 10 and params.a.dtype == np.int32 and params.c == np.bool_(False)
    np.testing.assert_array_equal(params.b, [[1, 2, 3], [4, 5, 6]])
    assert params.b.dtype == np.float64
    assert pt.has_type(T.dmatrix) and pt.get_type("c") == Scalar("bool")
    assert pt.get_field(Scalar("int32")) == "a"
    bigger = pt.extended(d=Generic())
    assert bigger.fields == ("a", "b", "c", "d")
    with pytest.raises(AttributeError, match="no value for"):
        pt.get_params(c=True)


def test_bad_declarations():
    with pytest.raises(ValueError):
        ParamsType()
    with pytest.raises(AttributeError, match="valid identifier"):
        ParamsType(**{"1x": Generic()})
    with pytest.raises(SyntaxError, match="C/C\\+\\+ keyword"):
        ParamsType(int=Generic())
    with pytest.raises(TypeError, match="should inherit from Theano Type"):
        ParamsType(a=int)


def test_enumeration_constants_are_attributes():
    w = ParamsType(enum1=EnumList("A", ("B", "beta"), "C"),
                   enum2=EnumList(("D", "delta"), "E", "F"))
    assert (w.A, w.B, w.C, w.D, w.E, w.F) == (0, 1, 2, 0, 1, 2)
    assert w.enum_from_alias("beta") == w.B and w.enum_from_alias("delta") == w.D
    assert w.enum_from_alias("C") == w.C and w.get_enum("E") == 1
    assert len(w.fields) == len(w.types) == w.length and w.name
    with pytest.raises(AttributeError):
        w.Z
    with pytest.raises(AttributeError, match="common constants names"):
        ParamsType(enum1=EnumList("A", "B", "C"), enum2=EnumList("A", "B", "F"))
    with pytest.raises(AttributeError, match="common constants aliases"):
        ParamsType(enum1=EnumList(("A", "a"), ("B", "b")),
                   enum2=EnumList(("ONE", "a"), ("TWO", "two")))
    with pytest.raises(AttributeError, match="same names as constants"):
        ParamsType(enum1=EnumList(("A", "C_ALIAS"), "B"), enum2=EnumList("C_ALIAS", "D"))
    ParamsType(enum1=EnumList(("A", "a"), ("B", "b")),
               enum2=EnumList(("ONE", "one"), ("TWO", "two")))
