"""theano.sandbox.linalg.ops: hints (psd, symmetric, positive), their rewrites, and
spectral_radius_bound, checked against NumPy / SciPy."""

import numpy as np
import pytest
import scipy.linalg
import theano
import theano.tensor as T
from theano.sandbox.linalg import ops
from theano.tensor.nlinalg import MatrixInverse
from theano.tensor.slinalg import Cholesky, Solve
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def _ops_of(f):
    return [node.op for node in f.maker.fgraph.toposort()]


def test_spectral_radius_bound_against_numpy():
    rng = np.random.RandomState(3)
    m = np.cov(rng.rand(3, 4))
    X = T.dmatrix("X")
    got = theano.function([X], ops.spectral_radius_bound(X, 5))(m)
    mm = m
    for _ in range(5):
        mm = mm @ mm
    np.testing.assert_allclose(got, np.trace(mm) ** (2.0 ** -5))
    assert got >= np.linalg.eigvalsh(m).max() - 1e-12  # an upper bound
    with pytest.raises(TypeError):
        ops.spectral_radius_bound(T.dvector(), 5)
    with pytest.raises(TypeError):
        ops.spectral_radius_bound(X, 5.0)
    with pytest.raises(ValueError):
        ops.spectral_radius_bound(X, 0)


def test_hint_is_identity_and_carries_hints():
    X = T.dmatrix("X")
    h = ops.psd(X)
    assert ops.is_hint_node(h.owner)
    assert ops.hints(h) == {"psd": True, "symmetric": True}
    assert ops.is_psd(h) and ops.is_symmetric(h) and not ops.is_psd(X)
    f = theano.function([X], h * 2, mode=FAST_RUN)
    np.testing.assert_array_equal(f(np.eye(2)), 2 * np.eye(2))
    # canonicalization removes the Hint node
    assert not any(isinstance(op, ops.Hint) for op in _ops_of(f))
    g = theano.function([X], T.grad(h.sum(), X))
    np.testing.assert_array_equal(g(np.eye(2)), np.ones((2, 2)))


def test_is_positive_for_even_constant_powers():
    x = T.dvector("x")
    assert ops.is_positive(x ** 2)
    assert not ops.is_positive(x ** 3)
    assert not ops.is_positive(x)
    assert ops.is_positive(ops.Hint(positive=True)(x))


def test_transpose_of_inverse_becomes_inverse_of_transpose():
    X = T.dmatrix("X")
    f = theano.function([X], ops.matrix_inverse(X).T, mode=FAST_RUN)
    nodes = f.maker.fgraph.toposort()
    inv = [n for n in nodes if isinstance(n.op, MatrixInverse)]
    assert len(inv) == 1 and inv[0].inputs[0].owner is not None  # inv(X.T)
    m = np.array([[2.0, 1.0], [0.0, 3.0]])
    np.testing.assert_allclose(f(m), np.linalg.inv(m).T)


def test_inv_as_solve_transform():
    A, b = T.dmatrix("A"), T.dmatrix("b")
    [out] = ops.inv_as_solve.transform(ops.matrix_inverse(A).dot(b).owner)
    assert isinstance(out.owner.op, Solve)
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    bv = np.array([[1.0], [2.0]])
    np.testing.assert_allclose(theano.function([A, b], out)(a, bv), np.linalg.solve(a, bv))
    [out] = ops.inv_as_solve.transform(b.T.dot(ops.matrix_inverse(A)).owner)
    np.testing.assert_allclose(theano.function([A, b], out)(a, bv),
                               bv.T @ np.linalg.inv(a))
    assert ops.inv_as_solve.transform(A.dot(b).owner) is False
    # Theano's BLAS Dot22 node is matched too
    from theano.tensor.blas import Dot22

    [out] = ops.inv_as_solve.transform(Dot22()(ops.matrix_inverse(A), b).owner)
    np.testing.assert_allclose(theano.function([A, b], out)(a, bv), np.linalg.solve(a, bv))


def test_solve_with_a_cholesky_factor_becomes_triangular():
    A, x = T.dmatrix("A"), T.dvector("x")
    a = np.array([[4.0, 2.0], [2.0, 3.0]])
    xv = np.array([1.0, 2.0])
    for lower, structure in ((True, "lower_triangular"), (False, "upper_triangular")):
        f = theano.function([A, x], ops.solve(Cholesky(lower=lower)(A), x), mode=FAST_RUN)
        [s] = [op for op in _ops_of(f) if isinstance(op, Solve)]
        assert s.A_structure == structure
        factor = scipy.linalg.cholesky(a, lower=lower)
        np.testing.assert_allclose(f(a, xv), np.linalg.solve(factor, xv))


def test_log_of_power_rewrite():
    x = T.dvector("x")
    node = T.log(x ** 3).owner
    [out] = ops.local_log_pow.transform(node)
    xv = np.array([1.5, 2.0])
    np.testing.assert_allclose(theano.function([x], out)(xv), 3 * np.log(xv))
    assert ops.local_log_pow.transform(T.log(x).owner) is False


def test_hints_optimizer_registered_and_feature_tracks_hints():
    optdb = theano.compile.optdb
    assert isinstance(optdb["HintsOpt"], ops.HintsOptimizer)
    assert optdb.__position__["HintsOpt"] == -1
    feature = ops.HintsFeature()

    class FG:
        def toposort(self):
            return []

    fg = FG()
    feature.on_attach(fg)
    assert fg.hints_feature is feature
    x, y = T.dvector("x"), T.dvector("y")
    feature.add_hint(x, "psd", True)
    feature.on_change_input(fg, None, 0, x, y, "test")
    assert feature.hints[y] == {"psd": True}
