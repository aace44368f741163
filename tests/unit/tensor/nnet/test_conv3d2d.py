"""theano.tensor.nnet.conv3d2d: the diagonal-stripe helpers and Ops (conv3d itself is
tested in test_conv.py).  The stripe of arange(28).reshape(7, 4) was printed by Theano
1.0.5."""

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import conv3d2d as C

import theano

STRIPE = [[12, 9, 6, 3], [16, 13, 10, 7], [20, 17, 14, 11], [24, 21, 18, 15]]


def test_view_matches_theano_and_is_a_view():
    x = np.arange(28.0).reshape(7, 4)
    view = C.get_diagonal_subtensor_view(x, 0, 1)
    assert view.tolist() == STRIPE
    assert np.shares_memory(view, x)
    with pytest.raises(NotImplementedError, match="at least"):
        C.get_diagonal_subtensor_view(x.T, 0, 1)


def test_ops_values_and_gradients():
    rng = np.random.RandomState(0)
    m = T.matrix()
    f = theano.function([m], C.diagonal_subtensor(m, 0, 1))
    assert f(np.arange(28.0).reshape(7, 4)).tolist() == STRIPE
    x = rng.randn(2, 6, 3)
    amt = rng.randn(2, 4, 3)
    t3 = T.tensor3()
    a3 = T.tensor3()
    g = theano.function([t3, a3], C.inc_diagonal_subtensor(t3, 1, 2, a3))(x, amt)
    expected = x.copy()
    for r in range(4):
        for j in range(3):
            expected[:, r + 2 - j, j] += amt[:, r, j]
    np.testing.assert_allclose(g, expected)
    verify_grad(lambda a: C.diagonal_subtensor(a, 1, 2), [x], rng=rng)
    verify_grad(lambda a, b: C.inc_diagonal_subtensor(a, 1, 2, b), [x, amt], rng=rng)
    assert str(C.DiagonalSubtensor(True)) == "DiagonalSubtensor{inplace}"
    assert C.IncDiagonalSubtensor(True).destroy_map == {0: [0]}


def test_inplace_rewrite():
    m = T.matrix()
    node = C.diagonal_subtensor(m, 0, 1).owner
    (new,) = C.local_inplace_DiagonalSubtensor.transform(node)
    assert new.owner.op == C.DiagonalSubtensor(True)
    assert C.local_inplace_DiagonalSubtensor.transform(new.owner) is False
