"""theano.gradient beyond grad itself: verify_grad, numeric_grad, jacobian, hessian,
subgraph_grad, the gradient-rule ops, the re-exported names and the error messages.

Values marked "Theano 1.0.5" come from tests/golden/gradient_api.theano105.json, written
by tests/golden/make_gradient_api.py under the original Theano (the same graph-building
code runs here).  The rest is checked against NumPy or finite differences.  test_gradient.py
covers grad/Rop/Lop on single ops; this file does not repeat it.
"""

import pickle
import warnings

import numpy as np
import pytest
import theano.gradient as G
import theano.tensor as T

import theano
from tests.support import golden

SCENARIOS = golden.load_recorder("make_gradient_api").scenarios(theano, T, G)
GOLDEN = golden.load_record("gradient_api.theano105.json")


def _assert_same(got, expected, name):
    if isinstance(expected, dict):
        assert isinstance(got, dict), (name, got)
        assert sorted(got) == sorted(expected), name
        for k in expected:
            _assert_same(got[k], expected[k], f"{name}.{k}")
    elif isinstance(expected, str):
        assert got == expected, (name, got)
    elif isinstance(expected, list) and expected and isinstance(expected[0], list) and \
            len({np.shape(e) for e in expected}) > 1:
        assert len(got) == len(expected), name
        for k, (g, e) in enumerate(zip(got, expected)):
            _assert_same(g, e, f"{name}[{k}]")
    else:
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected),
                                   rtol=1e-5, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_matches_theano_105(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = SCENARIOS[name]()
    _assert_same(got, GOLDEN[name], name)


# ----------------------------------------------------------------------------- names


def test_theano_names_are_exported():
    for name in ["grad", "Rop", "Lop", "jacobian", "hessian", "verify_grad", "numeric_grad",
                 "subgraph_grad", "consider_constant", "zero_grad", "disconnected_grad",
                 "grad_clip", "grad_scale", "undefined_grad", "grad_undefined",
                 "grad_not_implemented", "DisconnectedType", "NullType", "GradientError",
                 "DisconnectedInputError", "NullTypeGradError", "format_as", "ZeroGrad",
                 "ConsiderConstant", "DisconnectedGrad", "UndefinedGrad", "GradClip",
                 "GradScale", "disconnected_type", "mode_not_slow"]:
        assert hasattr(G, name), name
    # theano.tensor re-exports these, as Theano 1.0.5 did; theano.subgraph_grad too.
    for name in ["jacobian", "hessian", "verify_grad", "numeric_grad", "grad_undefined",
                 "grad_not_implemented", "DisconnectedType", "consider_constant"]:
        assert getattr(T, name) is getattr(G, name), name
    assert theano.subgraph_grad is G.subgraph_grad
    assert G.verify_grad.E_grad is G.GradientError
    # Theano 1.0.5 has no hessian_vector_product; neither do we (use Rop of the gradient).
    assert not hasattr(G, "hessian_vector_product")


def test_null_and_disconnected_types():
    x = T.dvector("x")
    null = G.grad_undefined(T.exp, 0, x, "because")
    assert isinstance(null.type, G.NullType)
    assert "mathematically undefined" in null.type.why_null and "because" in null.type.why_null
    assert "not implemented" in G.grad_not_implemented(T.exp, 1, x).type.why_null
    assert isinstance(G.disconnected_type().type if callable(G.disconnected_type) else
                      G.disconnected_type.type, G.DisconnectedType)


# ----------------------------------------------------------------------------- verify_grad


class _Square(theano.Op):
    __props__ = ("factor",)

    def __init__(self, factor=2.0):
        self.factor = factor

    def make_node(self, a):
        a = T.as_tensor_variable(a)
        return theano.Apply(self, [a], [a.type()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] ** 2

    def grad(self, inputs, g):
        return [g[0] * self.factor * inputs[0]]


def test_verify_grad_accepts_correct_gradients():
    rng = np.random.RandomState(1)
    for dtype in ["float64", "float32"]:
        G.verify_grad(_Square(), [np.array([0.5, -1.0, 2.0], dtype=dtype)], rng=rng)
        G.verify_grad(lambda a, b: T.tanh(T.dot(a, b)),
                      [rng.rand(3, 4).astype(dtype), rng.rand(4, 2).astype(dtype)], rng=rng)


def test_verify_grad_error_details():
    pt = [np.array([1.0, 2.0, 3.0])]
    with pytest.raises(G.GradientError) as info:
        G.verify_grad(_Square(3.0), pt, rng=np.random.RandomState(0))
    e = info.value
    assert (e.arg, e.err_pos, e.shape) == (0, 2, (3,))
    text = str(e)
    assert "val1 = 9.924870" in text and "abs. tolerance = 0.000100" in text
    # The inputs, eps and out_type are appended to the exception's arguments.
    assert any(isinstance(a, list) and np.array_equal(a[0], pt[0]) for a in e.args)
    # Explicit tolerances loosen the check; n_tests draws new projections.
    G.verify_grad(_Square(2.2), pt, rng=np.random.RandomState(0), abs_tol=1.0, rel_tol=0.1,
                  n_tests=3)


def test_verify_grad_argument_errors():
    rng = np.random.RandomState(0)
    with pytest.raises(TypeError, match="rng should be a valid instance"):
        G.verify_grad(_Square(), [np.ones(3)])
    with pytest.raises(TypeError, match='input 1 has dtype "int32"'):
        G.verify_grad(lambda a, b: a * b, [np.ones(3), np.ones(3, "int32")], rng=rng)
    with pytest.raises(TypeError, match="lists of ndarrays"):
        G.verify_grad(_Square(), np.ones(3), rng=rng)
    with pytest.raises(NotImplementedError, match="multiple outputs"):
        G.verify_grad(lambda a: [a * 2, a * 3], [np.ones(3)], rng=rng)


def test_verify_grad_inputs_are_typed_like_the_points():
    seen = []

    def fun(a, b):
        seen.append((a.type, b.type, a.name))
        return a * b

    G.verify_grad(fun, [np.ones((1, 3), "float32"), np.ones(())], rng=np.random.RandomState(0))
    a_type, b_type, name = seen[0]
    assert (a_type.dtype, a_type.broadcastable) == ("float32", (True, False))
    assert (b_type.dtype, b_type.broadcastable) == ("float64", ())
    assert name == "input 0"


def test_numeric_grad_api():
    ng = G.numeric_grad(lambda a, b: (a * b).sum(), [np.array([1.0, 2.0]), np.array(3.0)])
    np.testing.assert_allclose(ng.gf[0], [3.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(ng.gf[1], 3.0, rtol=1e-6)
    assert G.numeric_grad.type_eps["float32"] == 3e-4
    arg, pos, abs_err, rel_err = ng.max_err([np.array([3.0, 3.5]), np.array(3.0)], 1e-4, 1e-4)
    assert (arg, pos) == (0, 1) and abs_err == pytest.approx(0.5, rel=1e-5)
    with pytest.raises(ValueError, match="wrong number"):
        ng.max_err([np.zeros(2)], 1e-4, 1e-4)
    with pytest.raises(ValueError, match="wrong shape"):
        ng.max_err([np.zeros(3), np.array(3.0)], 1e-4, 1e-4)


# ----------------------------------------------------------------------------- jacobian


def test_jacobian_values_and_types():
    x = T.dvector("x")
    W = T.dmatrix("W")
    out = T.tanh(T.dot(W, x))
    jw, jx = T.jacobian(out, [W, x])
    assert (jw.ndim, jx.ndim) == (3, 2)
    rng = np.random.RandomState(3)
    wv, xv = rng.randn(3, 4), rng.randn(4)
    gw, gx = theano.function([W, x], [jw, jx])(wv, xv)
    d = 1 - np.tanh(wv @ xv) ** 2
    np.testing.assert_allclose(gx, d[:, None] * wv)
    expected_w = np.zeros((3, 3, 4))
    for i in range(3):
        expected_w[i, i] = d[i] * xv
    np.testing.assert_allclose(gw, expected_w)


def test_jacobian_formats_follow_wrt():
    x = T.dvector("x")
    assert not isinstance(T.jacobian(x ** 2, x), (list, tuple))
    assert isinstance(T.jacobian(x ** 2, [x]), list)
    assert isinstance(T.jacobian(x ** 2, (x,)), tuple)
    # A scalar expression gives its gradient.
    g = T.jacobian((x ** 2).sum(), x)
    assert g.ndim == 1
    np.testing.assert_allclose(g.eval({x: np.array([1.0, 3.0])}), [2.0, 6.0])


def test_jacobian_errors():
    x, s = T.dvector("x"), T.dscalar("s")
    with pytest.raises(AssertionError, match="1 dimensional variable as `expression`"):
        T.jacobian(T.outer(x, x), x)
    with pytest.raises(G.DisconnectedInputError):
        T.jacobian(x ** 2, s)
    j = T.jacobian(x ** 2, s, disconnected_inputs="ignore")
    np.testing.assert_array_equal(
        theano.function([x, s], j, on_unused_input="ignore")(np.ones(3), 1.0), np.zeros(3))
    # The rows are a scan's steps; Theano 1.0.5's scan refused 0 steps (NotImplementedError).
    with pytest.raises(NotImplementedError, match="0 steps"):
        theano.function([x], T.jacobian(x ** 2, x))(np.zeros(0))


def test_jacobian_wrt_shared_variable_float32():
    w = theano.shared(np.array([0.5, -1.0, 2.0], dtype="float32"), name="w")
    x = T.fvector("x")
    j = T.jacobian(T.exp(w * x), w)
    assert j.dtype == "float32" and j.ndim == 2
    xv = np.array([1.0, 2.0, 0.5], dtype="float32")
    got = theano.function([x], j)(xv)
    np.testing.assert_allclose(got, np.diag(np.exp(w.get_value() * xv) * xv), rtol=1e-6)


def test_jacobian_of_jacobian_is_second_derivative():
    x = T.dvector("x")
    jj = T.jacobian(T.jacobian(T.sin(x) * x.sum(), x).flatten(), x)
    xv = np.array([0.3, -0.7])
    got = theano.function([x], jj)(xv).reshape(2, 2, 2)
    # f_i = sin(x_i) * S: d2 f_i / dx_j dx_k by hand.
    s = xv.sum()
    expected = np.zeros((2, 2, 2))
    for i in range(2):
        for j in range(2):
            for k in range(2):
                v = 0.0
                if i == j == k:
                    v -= np.sin(xv[i]) * s
                if i == j:
                    v += np.cos(xv[i])
                if i == k:
                    v += np.cos(xv[i])
                expected[i, j, k] = v
    np.testing.assert_allclose(got, expected)


# ----------------------------------------------------------------------------- hessian


def test_hessian_values_and_errors():
    x = T.dvector("x")
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    cost = 0.5 * T.dot(x, T.dot(A, x)) + T.sum(T.exp(x))
    h = T.hessian(cost, x)
    xv = np.array([0.2, -0.4])
    np.testing.assert_allclose(theano.function([x], h)(xv), A + np.diag(np.exp(xv)))
    with pytest.raises(AssertionError, match="0 dimensional variable as `cost`"):
        T.hessian(x ** 2, x)
    with pytest.raises(AssertionError, match="1 dimensional variable as `wrt`"):
        T.hessian(T.sum(T.dmatrix() ** 2), T.dmatrix())


def test_hessian_vector_product_with_rop_of_grad():
    # Theano 1.0.5's idiom for Hessian-vector products: Rop of the gradient.
    x, v = T.dvectors("x", "v")
    cost = T.sum(T.tanh(x) ** 2) * T.sum(x)
    hv = T.Rop(T.grad(cost, x), x, v)
    h = T.hessian(cost, x)
    xv, vv = np.array([0.1, 0.5, -0.3]), np.array([1.0, -2.0, 0.5])
    got_hv, got_h = theano.function([x, v], [hv, h])(xv, vv)
    np.testing.assert_allclose(got_hv, got_h @ vv, rtol=1e-10)
    lop = T.Lop(T.grad(cost, x), x, v)
    np.testing.assert_allclose(theano.function([x, v], lop)(xv, vv), got_h.T @ vv, rtol=1e-10)


# ----------------------------------------------------------------------------- subgraph_grad


def test_subgraph_grad_details():
    x = T.dvector("x")
    w = theano.shared(np.array([1.0, 2.0]), name="w")
    h = T.tanh(x * w)
    cost = T.sum(h ** 2)
    wg, eg, sg, cg = G.subgraph_grad(wrt=[w], end=[x], start={h: T.ones_like(h)}, cost=cost,
                                     details=True)
    xv = np.array([0.5, 0.3])
    wv = w.get_value()
    hv = np.tanh(xv * wv)
    d = 1 - hv ** 2
    got = theano.function([x], wg + eg + sg + cg)(xv)
    # Lists over wrt + end: [w, x].
    expected = [d * xv + 2 * hv * d * xv, d * wv + 2 * hv * d * wv, d * xv, d * wv,
                2 * hv * d * xv, 2 * hv * d * wv]
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a, b)


def test_subgraph_grad_chains_to_the_full_gradient():
    # Differentiating a graph piece by piece gives the full gradient (the documented use).
    x = T.dvector("x")
    w1 = theano.shared(np.array([[0.5, -0.2], [0.1, 0.3]]), name="w1")
    w2 = theano.shared(np.array([0.7, -1.1]), name="w2")
    h = T.tanh(T.dot(x, w1))
    cost = T.sum(T.sigmoid(h * w2))
    g_w2, g_h = G.subgraph_grad(wrt=[w2], end=[h], cost=cost)
    g_w1, _ = G.subgraph_grad(wrt=[w1], end=[x], start={h: g_h[0]})
    full = T.grad(cost, [w1, w2])
    xv = np.array([0.4, -0.9])
    got = theano.function([x], [g_w1[0], g_w2[0]])(xv)
    want = theano.function([x], full)(xv)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b)
    with pytest.raises(AssertionError):
        G.subgraph_grad(wrt=[w1], end=[h])


# ----------------------------------------------------------------------------- gradient rules


def test_gradient_rule_ops():
    x = T.dvector("x")
    xv = np.array([1.0, -2.0, 0.5])
    assert isinstance(G.zero_grad(x).owner.op, G.ZeroGrad)
    assert isinstance(G.grad_clip(x, -1, 1).owner.op, G.GradClip)
    assert isinstance(G.grad_scale(x, 2).owner.op, G.GradScale)
    assert isinstance(G.disconnected_grad(x).owner.op, G.DisconnectedGrad)
    with pytest.warns(UserWarning, match="consider_constant\\(\\) is deprecated"):
        cc = G.consider_constant(x)
    assert isinstance(cc.owner.op, G.ConsiderConstant)
    assert [str(v.owner.op) for v in (G.zero_grad(x), cc, G.undefined_grad(x))] == [
        "ZeroGrad", "ConsiderConstant", "UndefinedGrad"]
    # Forward values are unchanged.
    f = theano.function([x], [G.zero_grad(x), G.grad_clip(x, -1, 1), G.grad_scale(x, 3)])
    for out in f(xv):
        np.testing.assert_array_equal(out, xv)
    # Backward rules.
    # grad_clip clips the gradient arriving at its output (5, clipped to 2), which then
    # goes through x ** 3; zero_grad(x) * x sends x's gradient through the second factor.
    cost = T.sum(G.grad_clip(x ** 3, -2.0, 2.0) * 5) + T.sum(G.zero_grad(x) * x)
    np.testing.assert_allclose(theano.function([x], T.grad(cost, x))(xv), 2 * 3 * xv ** 2 + xv)
    with pytest.raises(G.NullTypeGradError, match="UndefinedGrad"):
        T.grad(T.sum(G.undefined_grad(x)), x)
    with pytest.raises(G.DisconnectedInputError):
        T.grad(T.sum(G.disconnected_grad(x)), x)
    with pytest.raises(ValueError, match="upper bound"):
        G.grad_clip(x, 1.0, -1.0)


# ----------------------------------------------------------------------------- errors


def test_error_messages_name_the_variable():
    x = T.dvector("my_x")
    k = T.iscalar("my_k")
    with pytest.raises(TypeError, match="cost must be a scalar. Got my_x"):
        T.grad(x, x)
    with pytest.raises(G.DisconnectedInputError, match="my_k"):
        T.grad(x.sum(), k)
    with pytest.raises(G.NullTypeGradError, match="(?s)tri_gamma.*respect to my_x"):
        T.grad(T.tri_gamma(x).sum(), x)
    with pytest.raises(TypeError, match="consider_constant must be variables"):
        T.grad(x.sum(), x, consider_constant=[1.0])
    with pytest.raises(ValueError, match="known_grads.*2 dimensions"):
        T.Lop(x * 2, x, T.dmatrix())
    with pytest.raises(ValueError, match="mismatched dimensionality"):
        T.Rop(x * 2, x, T.dmatrix())


def test_rop_disconnected_outputs_and_missing_r_op():
    # As Theano 1.0.5: only an output that is itself a graph input other than wrt counts as
    # disconnected; a computed output unrelated to wrt has a zero tangent.
    x, y, v = T.dvectors("x", "y", "v")
    with pytest.raises(G.DisconnectedInputError, match="does not depend"):
        T.Rop(y, x, v)
    with pytest.warns(UserWarning, match="does not depend"):
        r = T.Rop(y, x, v, disconnected_outputs="warn")
    np.testing.assert_array_equal(r.eval({y: np.ones(2)}), [0.0, 0.0])
    assert T.Rop(y, x, v, disconnected_outputs="ignore", return_disconnected="None") is None
    np.testing.assert_array_equal(T.Rop(y * 2, x, v).eval({y: np.ones(2)}), [0.0, 0.0])

    class NoROp(theano.Op):
        __props__ = ()

        def make_node(self, a):
            return theano.Apply(self, [a], [a.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0] * 2

    with pytest.raises(NotImplementedError, match="NoROp.*does not implement R_op"):
        T.Rop(NoROp()(x) + 1, x, v)


def test_rop_tutorial_examples():
    # The "Derivatives in Theano" tutorial, run as written (values from its text).
    W, V = T.dmatrices("W", "V")
    x = T.dvector("x")
    y = T.dot(x, W)
    f = theano.function([W, V, x], T.Rop(y, W, V))  # W and x are both used (as Theano)
    np.testing.assert_array_equal(f([[1, 1], [1, 1]], [[2, 2], [2, 2]], [0, 1]), [2.0, 2.0])
    v = T.dvector("v")
    f = theano.function([v, x], T.Lop(y, W, v))
    np.testing.assert_array_equal(f([2, 2], [0, 1]), [[0.0, 0.0], [2.0, 2.0]])
    x, v = T.dvectors("x", "v")
    gy = T.grad(T.sum(x ** 2), x)
    np.testing.assert_array_equal(
        theano.function([x, v], T.grad(T.sum(gy * v), x))([4, 4], [2, 2]), [4.0, 4.0])
    np.testing.assert_array_equal(theano.function([x, v], T.Rop(gy, x, v))([4, 4], [2, 2]),
                                  [4.0, 4.0])
    np.testing.assert_array_equal(theano.function([x], T.jacobian(x ** 2, x))([4, 4]),
                                  [[8.0, 0.0], [0.0, 8.0]])
    np.testing.assert_array_equal(theano.function([x], T.hessian(T.sum(x ** 2), x))([4, 4]),
                                  [[2.0, 0.0], [0.0, 2.0]])


def test_integer_outputs_carry_no_tangent_in_rop():
    # Shapes and argmax on the way carry no tangent (their outputs are integers); as in
    # Theano 1.0.5 (theano-ref), argmax's R_op takes one axis of a matrix only.
    m, v = T.dmatrices("m", "v")
    out = (m * T.cast(T.argmax(m, axis=1), "float64").dimshuffle(0, "x")
           + m * T.cast(m.shape[0], "float64"))
    r = T.Rop(out, m, v)
    mv, vv = np.array([[1.0, 3.0], [4.0, 2.0]]), np.array([[0.5, 1.0], [-1.0, 2.0]])
    np.testing.assert_allclose(theano.function([m, v], r)(mv, vv), [[1.5, 3.0], [-2.0, 4.0]])
    x, w = T.dvectors("x", "w")
    with pytest.raises(ValueError, match="only when  input is a matrix"):
        T.Rop(x * T.cast(T.argmax(x), "float64"), x, w)


def test_compiled_hessian_pickles():
    x = T.dvector("x")
    f = theano.function([x], T.hessian(T.sum(x ** 3), x))
    np.testing.assert_allclose(f(np.array([1.0, 2.0])), np.diag([6.0, 12.0]))
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_allclose(g(np.array([1.0, 3.0])), np.diag([6.0, 18.0]))


# ------------------------------------------------- Theano 1.0.5 behaviours (conformance)


def test_gradient_rule_ops_and_view_op_leave_the_compiled_graph():
    # Theano 1.0.5 (theano-ref): only Elemwise nodes remain, FAST_COMPILE included
    # (local_view_op); the values are unchanged.
    x = T.dmatrix("x")
    outs = [x * G.zero_grad(x), G.grad_clip(x, -1, 1) + 1,
            theano.compile.ops.view_op(x) * 2, G.disconnected_grad(x) - 1,
            G.grad_scale(x, 3.0) * 1.5]
    xv = np.arange(6.0).reshape(2, 3) - 2
    for mode in ("FAST_RUN", "FAST_COMPILE"):
        f = theano.function([x], outs, mode=mode)
        kinds = {type(n.op).__name__ for n in f.maker.fgraph.toposort()}
        assert kinds == {"Elemwise"}, (mode, kinds)
        for got, want in zip(f(xv), [xv * xv, xv + 1, xv * 2, xv - 1, xv * 1.5]):
            np.testing.assert_allclose(got, want)
    # The gradient rules still apply (they act on the symbolic graph).
    s = T.dscalar("s")
    g = theano.function([s], [T.grad(G.grad_clip(s, -1, 1) ** 2, s),
                              T.grad(G.grad_scale(s, 2) ** 2, s)])
    assert [float(v) for v in g(2.0)] == [1.0, 8.0]  # Theano 1.0.5: (1, 4) / (8, 4) tests


def test_known_grads_of_fewer_dimensions_broadcast_as_theano():
    # Theano 1.0.5 (theano-ref) printed [[2.]] for this function.
    x = T.dmatrix("x")
    y = 2 * x
    g = T.grad(None, x, known_grads={y: T.constant(1.0)})
    f = theano.function([x], g, on_unused_input="ignore")
    np.testing.assert_array_equal(f(np.ones((2, 3))), [[2.0]])


def test_an_op_grad_term_of_the_wrong_dimensionality_is_a_value_error():
    class Bad(theano.gof.Op):
        __props__ = ()

        def make_node(self, v):
            return theano.Apply(self, [v], [v.type()])

        def grad(self, inputs, output_grads):
            return [T.dmatrix()]

    v = T.dvector("v")
    with pytest.raises(ValueError, match=r"Bad.*grad returned a term with 2 dimensions, "
                                         r"but 1 are required"):
        T.grad(Bad()(v).sum(), v)


def test_an_input_connected_through_a_defined_gradient_does_not_get_nan():
    # Theano 1.0.5's connection_pattern rule: x reaches the cost through output 0 (a
    # defined gradient) only, so Op1.grad runs although output 1's gradient is NullType;
    # theano-ref printed [3. 3. 3.].
    class Op1(theano.gof.Op):
        __props__ = ()

        def make_node(self, x):
            return theano.Apply(self, [x], [x.type(), T.dscalar()])

        def connection_pattern(self, node):
            return [[True, False]]

        def grad(self, inputs, output_grads):
            return [inputs[0].zeros_like() + 3]

    class Op2(theano.gof.Op):
        __props__ = ()

        def make_node(self, f, g):
            return theano.Apply(self, [f, g], [T.dscalar()])

        def grad(self, inputs, output_grads):
            return [inputs[0].zeros_like(), G.NullType()()]

    x = T.dvector("x")
    f, g = Op1()(x)
    gx = T.grad(Op2()(f, g), x)
    np.testing.assert_array_equal(theano.function([x], gx)(np.ones(3)), [3.0, 3.0, 3.0])
    # Through the undefined output only, the gradient is undefined (NullType).
    with pytest.raises(G.NullTypeGradError):
        T.grad(Op2()(T.dscalar(), x.sum()), x)
