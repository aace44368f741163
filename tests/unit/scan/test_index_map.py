"""theano_compat.scan.index_map: a graph over an integer index, stacked over range(n) by one
Scan node whose non-sequences are the sub-graphs not depending on the index.  Values are
checked against NumPy loops."""

import numpy as np
import theano.tensor as T

import theano
from theano_compat import hooks
from theano_compat.scan.index_map import loop_invariants, map_over_index
from theano_compat.scan.op import Scan


def _index():
    return T.TensorType("int64", ())("i")


def test_the_hook_is_wired_to_it():
    assert hooks.map_over_index.get() is map_over_index


def test_invariants_are_the_largest_subgraphs_without_the_index():
    i = _index()
    x, y = T.dvectors("x", "y")
    common = T.exp(x) * 2  # does not depend on i: computed once, outside the loop
    row = common[i] + y * i
    invariants = loop_invariants(i, [row, common])
    # Not x, nor exp(x): only what the loop reads, in the order of io_toposort (Theano's:
    # the inputs of a node are computed right to left, so y * i before common[i]).
    assert invariants == [y, common]
    # an output that does not depend on the index is an invariant itself
    assert loop_invariants(i, [x]) == [x]
    assert loop_invariants(i, [T.constant(2.0) * i]) == []


def test_stacks_each_output_over_the_rows():
    i = _index()
    x, y = T.dvectors("x", "y")
    m = T.dmatrix("m")
    rows = [x[i] * y, m[:, i] + T.cast(i, "float64"), T.exp(x)]
    stacked = map_over_index(x.shape[0], i, rows)
    assert [v.type.ndim for v in stacked] == [2, 2, 2]
    (node,) = {v.owner for v in stacked}
    assert isinstance(node.op, Scan) and node.op.n_nit == 3
    xv, yv = np.array([1.0, -2.0, 0.5]), np.array([3.0, 4.0])
    mv = np.arange(6.0).reshape(2, 3)
    got = theano.function([x, y, m], stacked)(xv, yv, mv)
    np.testing.assert_allclose(got[0], np.outer(xv, yv))
    np.testing.assert_allclose(got[1], mv.T + np.arange(3.0)[:, None])
    np.testing.assert_allclose(got[2], np.tile(np.exp(xv), (3, 1)))


def test_a_constant_row_is_repeated():
    i = _index()
    n = T.lscalar("n")
    (stacked,) = map_over_index(n, i, [T.constant(np.array([1.0, 2.0]))])
    np.testing.assert_array_equal(theano.function([n], stacked)(3), [[1.0, 2.0]] * 3)


def test_gradient_through_the_loop():
    i = _index()
    x = T.dvector("x")
    (stacked,) = map_over_index(x.shape[0], i, [T.sin(x[i]) * x])
    cost = (stacked ** 2).sum()
    xv = np.array([0.4, -1.1, 2.0])
    got = theano.function([x], T.grad(cost, x))(xv)
    # cost = sum_i sin(x_i)^2 * sum_j x_j^2
    s, q = np.sin(xv), np.sum(xv ** 2)
    expected = 2 * s * np.cos(xv) * q + 2 * xv * np.sum(s ** 2)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
