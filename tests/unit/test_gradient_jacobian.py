"""theano.gradient.jacobian and hessian: values against finite differences and Theano 1.0.5
goldens, result types and formats, disconnected inputs, and the loop they build (one Scan
node over the rows, with the work common to all rows outside it).

The goldens were recorded with ../shared/tools/theano-ref (Theano 1.0.5, floatX=float64)
running the same graph-building code on the same inputs, printing ``result.tolist()``.
"""

import warnings

import numpy as np
import pytest
import theano.gradient as G
import theano.tensor as T

import theano
from theano_compat.graph.basic import io_toposort
from theano_compat.scan.op import Scan
from theano_compat.tensor.math import Dot

XV = np.array([0.3, -1.2, 0.8])
MV = np.arange(6.0).reshape(2, 3) / 5 - 0.4
SV = 1.7


def _numeric_jacobian(f, point, eps=1e-6):
    """Central differences of f (array -> array) at `point`: shape f(point).shape +
    point.shape."""
    point = np.asarray(point, dtype="float64")
    base = np.asarray(f(point))
    jac = np.zeros(base.shape + point.shape)
    for idx in np.ndindex(*point.shape):
        step = np.zeros_like(point)
        step[idx] = eps
        jac[(Ellipsis,) + idx] = (np.asarray(f(point + step)) - np.asarray(f(point - step))) \
            / (2 * eps)
    return jac


def _scan_nodes(fn):
    return [n for n in fn.maker.fgraph.toposort() if isinstance(n.op, Scan)]


# ----------------------------------------------------------------------------- values


def test_vector_of_vector_matches_finite_differences_and_theano():
    x = T.dvector("x")
    expr = T.tanh(x) * x.sum()
    f = theano.function([x], T.jacobian(expr, x))
    got = f(XV)
    value = theano.function([x], expr)
    np.testing.assert_allclose(got, _numeric_jacobian(value, XV), rtol=1e-7, atol=1e-9)
    # Theano 1.0.5 (compute_test_value='raise', test value [1, 2, 3]; the test value of the
    # jacobian is its value).
    np.testing.assert_allclose(f(np.array([1.0, 2.0, 3.0])), [
        [3.28144021, 0.76159416, 0.76159416],
        [0.96402758, 1.38793253, 0.96402758],
        [0.99505475, 0.99505475, 1.05425098]], rtol=1e-8)


def test_list_of_wrt_gives_a_list_of_blocks_as_theano():
    m, x, s = T.dmatrix("m"), T.dvector("x"), T.dscalar("s")
    jm, jx, js = T.jacobian(T.tanh(T.dot(m, x)) * s, [m, x, s])
    assert [v.type.ndim for v in (jm, jx, js)] == [3, 2, 1]
    got = theano.function([m, x, s], [jm, jx, js])(MV, XV, SV)
    # Theano 1.0.5
    np.testing.assert_allclose(got[0], [
        [[0.502725931386037, -2.010903725544148, 1.340602483696099], [0.0, 0.0, 0.0]],
        [[0.0, 0.0, 0.0], [0.5081683974277741, -2.0326735897110964, 1.3551157264740645]]],
        rtol=1e-12)
    np.testing.assert_allclose(got[1], [
        [-0.6703012418480495, -0.33515062092402476, 0.0],
        [0.338778931618516, 0.6775578632370323, 1.0163367948555482]], rtol=1e-12)
    np.testing.assert_allclose(got[2], [0.11942729853438588, 0.059928103529143524],
                               rtol=1e-12)
    # and finite differences, block by block
    out = theano.function([m, x, s], T.tanh(T.dot(m, x)) * s)
    np.testing.assert_allclose(got[0], _numeric_jacobian(lambda v: out(v, XV, SV), MV),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got[1], _numeric_jacobian(lambda v: out(MV, v, SV), XV),
                               rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(got[2], _numeric_jacobian(lambda v: out(MV, XV, v), SV),
                               rtol=1e-6, atol=1e-9)


def test_scalar_expression_with_matrix_wrt_is_its_gradient():
    m = T.dmatrix("m")
    j = T.jacobian(T.sum(m ** 3), m)
    assert j.type == T.dmatrix
    f = theano.function([m], j)
    assert not _scan_nodes(f)  # no loop: a scalar has one row
    # Theano 1.0.5
    np.testing.assert_allclose(f(MV), [[0.4800000000000001, 0.12000000000000002, 0.0],
                                       [0.11999999999999994, 0.4800000000000001, 1.08]],
                               rtol=1e-12)


def test_hessian_of_a_quadratic_form_is_the_symmetrised_matrix():
    x = T.dvector("x")
    A = np.array([[2.0, 1.0, 0.5], [-1.0, 3.0, 0.0], [0.0, 4.0, 1.0]])
    h = theano.function([x], T.hessian(T.dot(x, T.dot(A, x)), x))
    np.testing.assert_allclose(h(XV), A + A.T, rtol=1e-12)
    np.testing.assert_allclose(h(np.zeros(3)), A + A.T, rtol=1e-12)


def test_hessian_matches_theano_and_finite_differences_of_the_gradient():
    x = T.dvector("x")
    cost = T.sum(T.exp(x) * x[::-1])
    got = theano.function([x], T.hessian(cost, x))(XV)
    # Theano 1.0.5
    np.testing.assert_allclose(got, [[1.0798870460608025, 0.0, 3.575399736068471],
                                     [0.0, 0.24095536952976168, 0.0],
                                     [3.575399736068471, 0.0, 0.6676622785477403]],
                               rtol=1e-12)
    gradient = theano.function([x], T.grad(cost, x))
    np.testing.assert_allclose(got, _numeric_jacobian(gradient, XV), rtol=1e-7, atol=1e-9)


def test_hessian_list_of_wrt_gives_the_diagonal_blocks():
    x, y = T.dvectors("x", "y")
    cost = T.sum(x ** 3) * T.sum(y ** 2)
    hx, hy = T.hessian(cost, [x, y])
    xv, yv = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    got_x, got_y = theano.function([x, y], [hx, hy])(xv, yv)
    np.testing.assert_allclose(got_x, np.diag(6 * xv) * np.sum(yv ** 2), rtol=1e-12)
    np.testing.assert_allclose(got_y, 2 * np.eye(2) * np.sum(xv ** 3), rtol=1e-12)
    assert isinstance(T.hessian(cost, (x, y)), tuple)


# ----------------------------------------------------------------------------- types


def test_result_types_follow_theano():
    # Theano 1.0.5: the dtype of the gradient, a non-broadcastable row axis in front of
    # the broadcast pattern of wrt.
    xf = T.fvector("xf")
    assert T.jacobian(T.exp(xf), xf).type == T.TensorType("float32", (False, False))
    assert T.hessian(T.sum(xf ** 2), xf).type == T.TensorType("float32", (False, False))
    x, col = T.dvector("x"), T.dcol("c")
    assert T.jacobian(x * col.sum(), col).broadcastable == (False, False, True)
    # an integer wrt gets the (float64) gradient reaching it, as Theano's grad gives
    i = T.ivector("i")
    j = T.jacobian(xf * i, i)
    assert j.type == T.dmatrix
    np.testing.assert_array_equal(
        theano.function([xf, i], j)(np.ones(2, "float32"), np.ones(2, "int32")), np.eye(2))


def test_float32_values():
    xf = T.fvector("xf")
    f = theano.function([xf], T.jacobian(T.sin(xf) * 2, xf))
    got = f(XV.astype("float32"))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.diag(2 * np.cos(XV)), rtol=1e-6)


# ----------------------------------------------------------------------------- disconnected


def test_disconnected_inputs_raise_warn_ignore():
    x, s = T.dvector("x"), T.dscalar("s")
    with pytest.raises(G.DisconnectedInputError):
        T.jacobian(x ** 2, [x, s])
    with pytest.raises(G.DisconnectedInputError):
        T.jacobian(x ** 2, [x, s], disconnected_inputs="raise")
    with pytest.warns(UserWarning, match="not part of the computational graph"):
        T.jacobian(x ** 2, [x, s], disconnected_inputs="warn")
    jx, js = T.jacobian(x ** 2, [x, s], disconnected_inputs="ignore")
    assert js.type == T.dvector
    got_x, got_s = theano.function([x, s], [jx, js], on_unused_input="ignore")(XV, 2.0)
    np.testing.assert_allclose(got_x, np.diag(2 * XV))
    np.testing.assert_array_equal(got_s, np.zeros(3))  # Theano 1.0.5: [0., 0., 0.]


def test_hessian_of_a_linear_cost_is_zero_and_disconnected_wrt_raises():
    x, y = T.dvectors("x", "y")
    np.testing.assert_array_equal(
        theano.function([x], T.hessian(T.sum(x) * 2, x))(np.ones(2)), np.zeros((2, 2)))
    with pytest.raises(G.DisconnectedInputError):
        T.hessian(T.sum(x ** 2), y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = T.hessian(T.sum(x ** 2), [x, y], disconnected_inputs="ignore")
    got = theano.function([x, y], h, on_unused_input="ignore")(XV, XV)
    np.testing.assert_allclose(got[0], 2 * np.eye(3))
    np.testing.assert_array_equal(got[1], np.zeros((3, 3)))


def test_consider_constant_holds_in_every_row():
    x = T.dvector("x")
    y = x ** 2
    j = T.jacobian(y * x, x, consider_constant=[y])
    # Theano 1.0.5: [[1, 0], [0, 4]] at [1, 2] (y is a constant: d(y * x)/dx = diag(y))
    np.testing.assert_array_equal(theano.function([x], j)(np.array([1.0, 2.0])),
                                  [[1.0, 0.0], [0.0, 4.0]])


# ----------------------------------------------------------------------------- the loop


def test_one_loop_whose_step_does_not_recompute_the_common_work():
    W = theano.shared(np.random.RandomState(1).randn(4, 3), name="W")
    x = T.dvector("x")
    f = theano.function([x], T.jacobian(T.tanh(T.dot(W, x)) * x.sum(), x))
    (node,) = _scan_nodes(f)
    inner = io_toposort(node.op.inputs, node.op.outputs)
    # The forward pass, tanh(W.x), is computed once, before the loop; a step computes only
    # the backward product W.T . g_i of its row.
    assert not any("tanh" in str(n.op) for n in inner)
    assert len([n for n in inner if isinstance(n.op, Dot)]) == 1
    assert str(node.op) == "for{cpu,scan_fn}"  # Theano 1.0.5's name for it
    xv = np.array([0.5, -0.1, 2.0])
    value = theano.function([x], T.tanh(T.dot(W, x)) * x.sum())
    np.testing.assert_allclose(f(xv), _numeric_jacobian(value, xv), rtol=1e-7, atol=1e-9)


def test_test_values_flow_through_the_loop():
    # Theano 1.0.5 computes the jacobian's test value (scan gives its index one).
    x = T.dvector("x")
    x.tag.test_value = np.array([1.0, 2.0, 3.0])
    with theano.configparser.change_flags(compute_test_value="raise"):
        h = T.hessian(T.sum(x ** 3), x)
    np.testing.assert_allclose(h.tag.test_value, np.diag([6.0, 12.0, 18.0]))


def test_no_rowmap_names():
    # The loop is a Scan, as in Theano 1.0.5, which had no RowMap.
    assert not hasattr(G, "RowMap") and not hasattr(G, "row_map")
