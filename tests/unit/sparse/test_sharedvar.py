"""Sparse shared variables: theano.shared / theano.sparse.shared of a scipy.sparse matrix."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import theano.sparse as S
import theano.tensor as T

import theano
from tests.support import cuda_c_harness
from tests.unit.sparse import fake_cupyx_sparse
from theano_compat import backend


def test_shared_of_a_sparse_matrix_is_a_sparse_shared_variable():
    v = sp.csc_matrix(np.array([[1.0, 0], [0, 2.0]]))
    s = theano.shared(v, name="s")
    assert isinstance(s, S.sharedvar.SparseTensorSharedVariable)
    assert s.type == S.SparseType("csc", "float64") and s.format == "csc"
    v[0, 0] = 5.0  # copied (borrow=False)
    assert s.get_value()[0, 0] == 1.0
    s2 = S.shared(sp.csr_matrix(np.eye(2)), format="csr")
    assert s2.type.format == "csr"


def test_sparse_shared_in_functions_and_updates():
    s = theano.shared(sp.csr_matrix(np.array([[1.0, 0], [0, 2.0]])))
    y = T.dmatrix("y")
    f = theano.function([y], S.structured_dot(s, y), updates=[(s, s * 2)])
    np.testing.assert_array_equal(f(np.eye(2)), [[1.0, 0], [0, 2.0]])
    np.testing.assert_array_equal(f(np.eye(2)), [[2.0, 0], [0, 4.0]])
    assert sp.issparse(s.get_value()) and s.get_value().format == "csr"


def test_a_value_updated_on_a_gpu_reads_back_as_scipy(monkeypatch):
    if not cuda_c_harness.available():
        pytest.skip("the simulated GPU runs its elementwise kernels through g++")
    device = fake_cupyx_sparse.install(monkeypatch)
    w = S.shared(sp.csr_matrix(np.array([[1.0, 0], [0, 2.0]])), name="w")
    with backend.using(device), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = theano.function([], S.sp_sum(w), updates={w: w * 2})
    assert [float(f()), float(f())] == [3.0, 6.0]
    value = w.get_value()
    assert sp.issparse(value) and value.format == "csr"
    np.testing.assert_array_equal(value.toarray(), [[4.0, 0], [0, 8.0]])
    assert backend.is_device_sparse(w.get_value(return_internal_type=True))
