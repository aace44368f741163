"""theano.sparse.utils.hash_from_sparse."""

import numpy as np
import scipy.sparse as sp
from theano.sparse.utils import hash_from_sparse


def test_hash_distinguishes_values_shapes_dtypes_formats():
    base = np.arange(6.0).reshape(2, 3)
    hashes = {hash_from_sparse(m) for m in [
        sp.csr_matrix(base), sp.csc_matrix(base), sp.csr_matrix(base * 2),
        sp.csr_matrix(base.astype("float32")), sp.csr_matrix(np.zeros((1, 5))),
        sp.csr_matrix(np.zeros((1, 6)))]}
    assert len(hashes) == 6


def test_views_hash_as_their_copies():
    m = sp.csr_matrix(np.random.RandomState(0).rand(5, 5))
    assert hash_from_sparse(m[1:3]) == hash_from_sparse(m[1:3].copy())
    assert hash_from_sparse(m).startswith("m") and len(hash_from_sparse(m)) == 65


def test_hash_equals_theano_105():
    # printed by ../shared/tools/theano-ref for hash_from_sparse(csr_matrix(np.eye(2)))
    assert hash_from_sparse(sp.csr_matrix(np.eye(2))) == \
        "ma6a3b00e9ea0e7a3156222854f5ecacfe7abacc516f0e1726d369c4333289584"
