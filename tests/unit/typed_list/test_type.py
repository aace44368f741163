"""theano.typed_list.type.TypedListType: filtering, equality, nesting (values as printed by
Theano 1.0.5 through ../shared/tools/theano-ref)."""

import numpy as np
import pytest
import theano.tensor as T
from theano.typed_list import TypedListType, TypedListVariable

MAT = T.TensorType("float64", (False, False))


def test_depth_nests_and_get_depth_counts_levels():
    assert TypedListType(MAT, 2) == TypedListType(TypedListType(TypedListType(MAT)))
    assert TypedListType(MAT).get_depth() == 0
    assert TypedListType(MAT, 2).get_depth() == 2
    assert TypedListType(TypedListType(TypedListType(TypedListType(MAT)))).get_depth() == 3
    assert TypedListType(MAT).ndim == 3 and TypedListType(MAT, 2).ndim == 5
    assert TypedListType(MAT).dtype == MAT
    with pytest.raises(ValueError, match="depth"):
        TypedListType(MAT, -1)
    with pytest.raises(TypeError, match="Theano Type"):
        TypedListType(None)


def test_equality_follows_the_element_type():
    a, b = TypedListType(MAT), TypedListType(T.TensorType("float64", (False, False)))
    assert a == b and hash(a) == hash(b)
    assert a != TypedListType(T.TensorType("float64", ()))
    assert a != TypedListType(T.TensorType("float32", (False, False)))
    assert TypedListType(a) != TypedListType(TypedListType(a))
    assert TypedListType(TypedListType(a)) != TypedListType(a)
    assert a != MAT
    assert str(a) == "TypedList <TensorType(float64, matrix)>"
    assert str(TypedListType(MAT, 1)) == "TypedList <TypedList <TensorType(float64, matrix)>>"


def test_filter_converts_each_element():
    t = TypedListType(MAT)
    x32 = np.asarray([[4, 5], [4, 5]], dtype="float32")
    out = t.filter([x32])
    assert isinstance(out, list) and len(out) == 1
    assert out[0].dtype == np.float64 and np.array_equal(out[0], x32)
    out = t.filter([[[1, 2]]])  # nested Python lists become matrices
    assert out[0].dtype == np.float64 and out[0].tolist() == [[1.0, 2.0]]
    # An array is iterated over its first axis (as Theano): three matrices.
    out = t.filter(np.zeros((3, 2, 2)))
    assert len(out) == 3 and all(v.shape == (2, 2) for v in out)
    nested = TypedListType(t)
    x = np.arange(6.0).reshape(2, 3)
    out = nested.filter([[x], [x, x]])
    assert [len(v) for v in out] == [1, 2] and np.array_equal(out[1][1], x)


def test_filter_rejects_bad_values():
    t = TypedListType(MAT)
    with pytest.raises(TypeError):
        t.filter(4)  # not iterable
    with pytest.raises(TypeError):
        t.filter([4])  # a scalar is not a matrix
    with pytest.raises(TypeError):
        t.filter([np.zeros(3)])
    with pytest.raises(TypeError, match="python list"):
        t.filter((np.zeros((2, 2)),), strict=True)
    with pytest.raises(TypeError):
        t.filter([np.zeros((2, 2), dtype="float32")], strict=True)
    x = np.zeros((2, 2))
    inp = [x]
    out = t.filter(inp, strict=True)
    assert out == [x] and out[0] is x and out is not inp  # a new list, the same arrays
    assert t.is_valid_value([x]) and not t.is_valid_value([np.zeros(2)])


def test_values_eq_and_may_share_memory():
    t = TypedListType(MAT)
    x, y = np.arange(4.0).reshape(2, 2), np.zeros((2, 2))
    assert t.values_eq([x], [x.copy()])
    assert not t.values_eq([x], [x, y])
    assert not t.values_eq([x, y], [y, x])
    assert t.values_eq_approx([x], [x + 1e-12])
    assert not t.may_share_memory([x], [y])
    assert t.may_share_memory([x], [y, x[0]])  # a view of an element
    assert t.may_share_memory(x, [x])  # an element against a list
    lst = [x]
    assert t.may_share_memory(lst, lst)


def test_calling_the_type_makes_a_list_variable():
    t = TypedListType(MAT)
    v = t("L")
    assert isinstance(v, TypedListVariable) and v.type == t and v.name == "L"
    assert type(v).__module__ == "theano.typed_list.basic"
    assert TypedListType.__module__ == "theano.typed_list.type"
    assert (v.ndim, v.dtype, v.ttype) == (3, "float64", MAT)
