"""theano.tensor.type_other (theano_compat/tensor/type_other.py): the slice and None
types (strings and inputs recorded with ../shared/tools/theano-ref)."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor import type_other as to


def test_make_slice_builds_a_slice():
    i = T.lscalar("i")
    sl = to.make_slice(i, None, 2)
    # Theano 1.0.5: type slice, inputs [i, NoneConst, TensorConstant{2}]
    assert str(sl.type) == "slice"
    assert [str(x) for x in sl.owner.inputs] == ["i", "NoneConst", "TensorConstant{2}"]
    node = sl.owner
    storage = [[None]]
    node.op.perform(node, [np.int64(3), None, np.int64(2)], storage)
    assert storage[0][0] == slice(3, None, 2)
    again = to.make_slice(slice(1, 4))
    assert [str(x) for x in again.owner.inputs] == ["TensorConstant{1}", "TensorConstant{4}",
                                                    "NoneConst"]
    with pytest.raises(TypeError):
        to.make_slice(T.dscalar("f"))


def test_slice_type_and_constant():
    assert to.slicetype.filter(slice(1)) == slice(1)
    with pytest.raises(TypeError):
        to.slicetype.filter(3)
    sc = to.SliceConstant(to.slicetype, slice(np.array(1), 5, None))
    assert str(sc) == "SliceConstant{1, 5, None}"  # Theano 1.0.5
    assert sc.signature() == (to.SliceConstant, 1, 5, None)
    assert to.SliceType() == to.slicetype and hash(to.SliceType()) == hash(to.slicetype)
    assert to.SliceType.may_share_memory(slice(1), slice(1)) is False


def test_none_type_and_constant():
    assert str(to.NoneConst) == "NoneConst" and to.NoneConst.data is None
    assert str(to.none_type_t) == "NoneTypeT"
    assert to.none_type_t.filter(None) is None
    with pytest.raises(TypeError):
        to.none_type_t.filter(0)
    assert to.as_int_none_variable(None) is to.NoneConst
    assert to.as_int_none_variable(to.NoneConst) is to.NoneConst
    with pytest.raises(TypeError, match="integers"):
        to.as_int_none_variable(T.dscalar())
    assert to.theano is theano and "theano" in dir(to)
