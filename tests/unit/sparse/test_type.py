"""theano.sparse.type.SparseType: filter, equality, value comparisons."""

import numpy as np
import pytest
import scipy.sparse as sp
from theano.sparse.type import SparseType


def test_filter_accepts_the_format_and_dtype():
    t = SparseType("csr", "float64")
    v = sp.csr_matrix(np.eye(3))
    assert t.filter(v) is v
    converted = t.filter(sp.csc_matrix(np.eye(3)))  # converted to csr, not strict
    assert converted.format == "csr"
    with pytest.raises(TypeError):
        t.filter(sp.csc_matrix(np.eye(3)), strict=True)
    with pytest.raises(NotImplementedError):
        t.filter(sp.csr_matrix(np.eye(3, dtype="float32")))  # no downcast allowed
    assert t.filter(sp.csr_matrix(np.eye(3, dtype="float32")),
                    allow_downcast=True).dtype == np.float64


def test_type_identity_and_errors():
    assert SparseType("csc", "float32") == SparseType("csc", "float32")
    assert SparseType("csc", "float32") != SparseType("csr", "float32")
    assert hash(SparseType("csc", "int64")) == hash(SparseType("csc", "int64"))
    assert str(SparseType("csc", "float32")) == "Sparse[float32, csc]"
    with pytest.raises(NotImplementedError):
        SparseType("coo", "float64")
    with pytest.raises(NotImplementedError):
        SparseType("csr", "float16")


def test_values_eq_and_may_share_memory():
    t = SparseType("csr", "float64")
    a = sp.csr_matrix(np.array([[1.0, 0], [0, 2.0]]))
    b = a.copy()
    b.data[0] += 1e-8
    assert t.values_eq(a, a.copy()) and not t.values_eq(a, b)
    assert t.values_eq_approx(a, b) and not t.values_eq_approx(a, a * 2)
    assert SparseType.may_share_memory(a, a.data)
    assert not SparseType.may_share_memory(a, a.data.copy())
    assert t.is_valid_value(a) and not t.is_valid_value(a.tocsc())
