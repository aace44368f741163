"""theano.misc.may_share_memory (results of the same calls under Theano 1.0.5, printed by
../shared/tools/theano-ref)."""

import numpy as np
import pytest
import scipy.sparse

from theano.misc.may_share_memory import _gpu_may_share_memory, may_share_memory


def test_ndarrays():
    a, b = np.random.rand(5, 4), np.random.rand(5, 4)
    cases = [(a, a), (a, b), (a, a[0]), (a, a.T), (a, a.reshape(4, 5)), (a[:, 0], a[:, 1]),
             (a[:2], a[2:])]
    assert [may_share_memory(x, y) for x, y in cases] == [True, False, True, True, True, True,
                                                          False]
    assert [may_share_memory(y, x) for x, y in cases] == [True, False, True, True, True, True,
                                                          False]


def test_other_types():
    a = np.zeros(3)
    for other in ((0,), 1, None, "s", np.float64(1.0)):
        assert may_share_memory(a, other, False) is False
        assert may_share_memory(other, a, False) is False
        with pytest.raises(TypeError):
            may_share_memory(a, other)
        with pytest.raises(TypeError):
            may_share_memory(other, a)


def test_sparse():
    s, s2 = scipy.sparse.csr_matrix(np.eye(3)), scipy.sparse.csr_matrix(np.eye(3))
    a = np.zeros((3, 3))
    assert [may_share_memory(s, s), may_share_memory(s, s2), may_share_memory(s, s.data),
            may_share_memory(s.indptr, s), may_share_memory(s, a)] == [True, False, True, True,
                                                                        False]
    c = scipy.sparse.csc_matrix(scipy.sparse.eye(5, 3))
    shape = np.asarray(c.shape, dtype="int32")
    assert [may_share_memory(c, c.indices), may_share_memory(c, shape),
            may_share_memory(c.data, s)] == [True, False, False]


class _FakeDeviceArray:
    """An object exposing __cuda_array_interface__ (what CuPy arrays do)."""

    def __init__(self, ptr, shape, strides=None, typestr="<f4"):
        self.__cuda_array_interface__ = {"data": (ptr, False), "shape": shape,
                                         "strides": strides, "typestr": typestr, "version": 2}


def test_device_arrays_by_memory_bounds():
    base = _FakeDeviceArray(1000, (4, 4))              # bytes [1000, 1064)
    assert may_share_memory(base, base) is True
    assert _gpu_may_share_memory(base, _FakeDeviceArray(1060, (1,))) is True
    assert _gpu_may_share_memory(base, _FakeDeviceArray(1064, (2,))) is False
    # A negative stride reaches below its pointer: [1000 - 12, 1000 + 4).
    assert _gpu_may_share_memory(_FakeDeviceArray(1000, (4,), (-4,)),
                                 _FakeDeviceArray(990, (1,))) is True
    assert _gpu_may_share_memory(base, _FakeDeviceArray(1000, (0, 4))) is False   # empty
    assert may_share_memory(base, np.zeros(3)) is False   # device and host never share


def test_sparse_type_is_theanos_name_here():
    from theano.misc import may_share_memory as module
    from theano.sparse.type import SparseType

    assert module.SparseType is SparseType
