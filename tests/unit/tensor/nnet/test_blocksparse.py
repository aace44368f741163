"""theano.tensor.nnet.blocksparse: SparseBlockGemv, SparseBlockOuter and sparse_block_dot,
checked against the loops of their definitions written here in NumPy, and by finite
differences; theano.sandbox.blocksparse re-exports them with a DeprecationWarning."""

import importlib
import sys

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import blocksparse as bs

import theano


def _data(seed=0):
    rng = np.random.RandomState(seed)
    W = rng.randn(5, 4, 3, 2)
    h = rng.randn(2, 3, 3)
    b = rng.randn(4, 2)
    iidx = np.array([[0, 1, 1], [4, 2, 0]], "int32")
    oidx = np.array([[3, 0], [1, 1]], "int32")
    return rng, W, h, b, iidx, oidx


def test_sparse_block_dot_matches_loops():
    rng, W, h, b, iidx, oidx = _data()
    args = [T.tensor4(), T.tensor3(), T.imatrix(), T.matrix(), T.imatrix()]
    got = theano.function(args, bs.sparse_block_dot(*args))(W, h, iidx, b, oidx)
    expected = np.zeros((2, 2, 2))
    for k in range(2):
        for j in range(2):
            expected[k, j] = b[oidx[k, j]] + sum(h[k, i] @ W[iidx[k, i], oidx[k, j]]
                                                 for i in range(3))
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # 2-d h and 1-d indices: one example, still a 3-d result (Theano's behaviour).
    hv, iv, ov = T.matrix(), T.ivector(), T.ivector()
    f1 = theano.function([args[0], hv, iv, args[3], ov],
                         bs.sparse_block_dot(args[0], hv, iv, args[3], ov))
    np.testing.assert_allclose(f1(W, h[0], iidx[0], b, oidx[0]), expected[:1], rtol=1e-12)


def test_sparse_block_outer_matches_loops_with_repeated_indices():
    rng, W, h, b, iidx, oidx = _data(1)
    x, y, o = rng.randn(2, 3, 3), rng.randn(2, 2, 2), rng.randn(5, 4, 3, 2)
    args = [T.tensor4(), T.tensor3(), T.tensor3(), T.imatrix(), T.imatrix()]
    got = theano.function(args, bs.SparseBlockOuter()(*args, 0.5))(o, x, y, iidx, oidx)
    expected = o.copy()
    for k in range(2):
        for i in range(3):
            for j in range(2):
                expected[iidx[k, i], oidx[k, j]] += 0.5 * np.outer(x[k, i], y[k, j])
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_gradients_by_finite_differences():
    rng, W, h, b, iidx, oidx = _data(2)
    verify_grad(lambda W_, h_, b_: bs.sparse_block_dot(W_, h_, iidx, b_, oidx), [W, h, b],
                rng=rng)
    o, x, y = rng.randn(5, 4, 3, 2), rng.randn(2, 3, 3), rng.randn(2, 2, 2)
    verify_grad(lambda o_, x_, y_, a_: bs.SparseBlockOuter()(o_, x_, y_, iidx, oidx, a_),
                [o, x, y, np.asarray(0.7)], rng=rng)


def test_inplace_instances_and_errors():
    assert bs.sparse_block_gemv_inplace.destroy_map == {0: [0]}
    assert not bs.sparse_block_gemv.inplace and bs.sparse_block_outer_inplace.inplace
    assert type(bs.sparse_block_gemv).__module__ == "theano.tensor.nnet.blocksparse"
    with pytest.raises(TypeError, match="integer"):
        bs.SparseBlockGemv()(T.tensor3(), T.tensor4(), T.tensor3(), T.matrix(), T.imatrix())
    with pytest.raises(TypeError, match="4D"):
        bs.SparseBlockGemv()(T.tensor3(), T.tensor3(), T.tensor3(), T.imatrix(), T.imatrix())


def test_sandbox_path_warns_and_reexports():
    sys.modules.pop("theano_compat.sandbox.blocksparse", None)
    sys.modules.pop("theano.sandbox.blocksparse", None)
    with pytest.warns(DeprecationWarning, match="moved to theano.tensor.nnet.blocksparse"):
        legacy = importlib.import_module("theano.sandbox.blocksparse")
    assert legacy.sparse_block_dot is bs.sparse_block_dot
    assert legacy.SparseBlockGemv is bs.SparseBlockGemv


def test_outer_without_ufunc_at_accumulates_the_same():
    # An array module whose ufuncs lack .at (older CuPy) takes the one-hot product path.
    class NoAt:
        def __getattr__(self, name):
            return getattr(np, name)

    no_at = NoAt()
    no_at.add = object()
    rng, W, h, b, iidx, oidx = _data(3)
    o, x, y = rng.randn(5, 4, 3, 2), rng.randn(2, 3, 3), rng.randn(2, 2, 2)
    op = bs.SparseBlockOuter()
    expected = op.impl(np, o.copy(), x, y, iidx, oidx, 0.5)
    np.testing.assert_allclose(op.impl(no_at, o.copy(), x, y, iidx, oidx, 0.5), expected,
                               rtol=1e-12)
