"""theano.OpFromGraph (theano.compile.builders): values, shared variables, gradients with
and without overrides, R_op, inline expansion, nesting, shapes and errors.

Theano 1.0.5's results for the documented usage are in tests/golden/ifelse_ofg.theano105.json
(recorded by tests/golden/make_ifelse_ofg.py, whose scenarios run here too); the other
tests check against NumPy and finite differences.
"""

import pickle

import numpy as np
import pytest
import theano.tensor as T
from theano.compile.builders import OpFromGraph
from theano.compile.mode import Mode
from theano.gradient import (
    DisconnectedInputError,
    DisconnectedType,
    NullType,
    NullTypeGradError,
    verify_grad,
)
from theano.ifelse import ifelse

import theano
from tests.support import golden
from theano import function
from theano_compat.errors import MissingInputError

_make = golden.load_recorder("make_ifelse_ofg")
GOLDEN = golden.load_record("ifelse_ofg.theano105.json")

x, y, z = T.dscalars("xyz")
v = T.dvector("v")
m1, m2 = T.dmatrices("m1", "m2")
rng = np.random.RandomState(11)


@pytest.mark.parametrize("name", sorted(n for n in GOLDEN if not n.startswith("ifelse")))
def test_matches_theano_105(name):
    golden.assert_same(_make.scenarios(theano, T)[name](), GOLDEN[name], name)


# ----------------------------------------------------------------------------- values


def test_matrix_function_against_numpy_in_every_mode():
    op = OpFromGraph([m1, m2], [T.tanh(T.dot(m1, m2.T)), m1 * m2 + 1])
    a, b = rng.randn(3, 4), rng.randn(2, 4)
    for optimizer in ("fast_run", "fast_compile", None):
        f = function([m1, m2], op(m1, m2), mode=Mode(optimizer=optimizer))
        got = f(a, b[:1].repeat(3, axis=0))
        np.testing.assert_allclose(got[0], np.tanh(a @ b[:1].repeat(3, axis=0).T))
        np.testing.assert_allclose(got[1], a * b[:1] + 1)


def test_interpreted_and_compiled_paths_agree():
    # Without a compiled function (eval of a constant graph, perform) the inner graph is
    # interpreted node by node; in a function it is compiled with the function's mode.
    op = OpFromGraph([v], [T.exp(v) * 2, v.sum()])
    val = rng.randn(4)
    node = op(v)[0].owner
    storage = [[None], [None]]
    op.perform(node, [val], storage)
    compiled = function([v], op(v))(val)
    for s, want in zip(storage, [np.exp(val) * 2, val.sum()]):
        np.testing.assert_allclose(s[0], want)
    for got, want in zip(compiled, [np.exp(val) * 2, val.sum()]):
        np.testing.assert_allclose(got, want)
    # Constant folding runs the node without a function around it.
    folded = function([], op(T.constant(val))[0])
    np.testing.assert_allclose(folded(), np.exp(val) * 2)


def test_inner_graph_gets_the_rewrites_of_the_enclosing_function():
    # log(1 + x) becomes log1p(x) inside the Op too (stabilize runs in both modes).
    op = OpFromGraph([v], [T.log(1 + v)])
    tiny = np.array([1e-20, 1e-30])
    for optimizer in ("fast_run", "fast_compile"):
        got = function([v], op(v), mode=Mode(optimizer=optimizer))(tiny)
        np.testing.assert_array_equal(got, tiny)


def test_outputs_never_alias_the_inputs():
    op = OpFromGraph([v], [v, v])
    val = np.arange(3.0)
    first, second = function([v], op(v))(val)
    assert not np.may_share_memory(first, val) and not np.may_share_memory(second, val)
    assert not np.may_share_memory(first, second)
    node = op(v)[0].owner
    storage = [[None], [None]]
    op.perform(node, [val], storage)
    assert not np.may_share_memory(storage[0][0], val)


def test_inputs_may_be_intermediate_variables():
    h = x * 2  # the inner graph is cut at h: x is not an input of the Op
    op = OpFromGraph([h, y], [h + y])
    assert function([y, z], op(y, z))(2.0, 3.0) == 5.0


def test_python_numbers_and_constants_become_constants_of_the_input_type():
    op = OpFromGraph([x, y], [x - y])
    node = op(x, 2).owner
    assert isinstance(node.inputs[1], theano.Constant) and node.inputs[1].type == y.type
    assert function([x], op(x, 2))(5.0) == 3.0


def test_ifelse_inside_and_lazy_in_the_compiled_inner_graph():
    op = OpFromGraph([x, y], [ifelse(x, y, y * 2)])
    f = function([x, y], op(x, y))
    assert f(0.0, 3.0) == 6.0 and f(1.0, 3.0) == 3.0


def test_pickling_keeps_the_op_usable():
    op = pickle.loads(pickle.dumps(OpFromGraph([x, y], [x * y], name="mul")))
    f = function([x, y], op(x, y))
    assert f(2.0, 3.0) == 6.0 and str(op) == "mul{inline=False}"
    assert pickle.loads(pickle.dumps(f))(4.0, 2.0) == 8.0


def test_integer_outputs_and_inputs():
    i = T.iscalar("i")
    op = OpFromGraph([x, i], [T.cast(x, "int32") + i, x * i])
    f = function([x, i], op(x, i))
    got = f(2.7, np.int32(3))
    assert got[0].dtype == np.int32 and got[0] == 5 and got[1] == pytest.approx(8.1)
    gx = function([x, i], T.grad(op(x, i)[1], x))(2.7, np.int32(3))
    assert gx == 3.0


# ----------------------------------------------------------------------------- shared


def test_shared_variables_become_inputs_of_every_node():
    w = theano.shared(rng.randn(4, 2), name="w")
    op = OpFromGraph([m1], [T.dot(m1, w)])
    out = op(m1)
    assert out.owner.inputs[-1] is w and op.shared_inputs == [w]
    a = rng.randn(3, 4)
    f = function([m1], out)
    np.testing.assert_allclose(f(a), a @ w.get_value())
    w.set_value(np.ones((4, 2)))
    np.testing.assert_allclose(f(a), a @ np.ones((4, 2)))
    gw = function([m1], T.grad(out.sum(), w))(a)
    np.testing.assert_allclose(gw, a.sum(axis=0)[:, None] * np.ones((1, 2)))


def test_nested_op_reading_a_shared_variable():
    s = theano.shared(np.float64(5.0), name="s")
    inner = OpFromGraph([x], [x * s])
    outer = OpFromGraph([x, y], [inner(x) * y])
    f = function([x, y], outer(x, y))
    assert f(2.0, 3.0) == 30.0
    s.set_value(1.0)
    assert f(2.0, 3.0) == 6.0
    np.testing.assert_allclose(function([x, y], T.grad(outer(x, y), [x, y, s]))(2.0, 3.0),
                               [3.0, 2.0, 6.0])


def test_ofg_in_a_function_with_updates():
    acc = theano.shared(np.zeros(3), name="acc")
    op = OpFromGraph([v], [v ** 2])
    f = function([v], acc, updates=[(acc, acc + op(v))])
    f(np.array([1.0, 2.0, 3.0]))
    f(np.array([1.0, 1.0, 1.0]))
    np.testing.assert_array_equal(acc.get_value(), [2.0, 5.0, 10.0])


# ----------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_verify_grad(dtype):
    r = np.random.RandomState(2)
    a, b = T.TensorType(dtype, (False, False))(), T.TensorType(dtype, (False, False))()
    op = OpFromGraph([a, b], [T.tanh(T.dot(a, b)) * 2, T.exp(a).sum()])
    pt = [r.randn(3, 4).astype(dtype), r.randn(4, 3).astype(dtype)]

    def fun(p, q):
        out, total = op(p, q)
        return out * total

    verify_grad(fun, pt, rng=r)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_verify_grad_nested(dtype):
    r = np.random.RandomState(4)
    a = T.TensorType(dtype, (False,))()
    inner = OpFromGraph([a], [T.sin(a) * a])
    outer = OpFromGraph([a], [inner(a) ** 2 + inner(a * 2)])
    verify_grad(lambda p: outer(p), [r.randn(5).astype(dtype)], rng=r)


def test_gradient_of_one_output_of_several():
    # Theano 1.0.5 crashed here (a DisconnectedType gradient fed to its gradient Op).
    op = OpFromGraph([x, y], [x + y, x * y])
    got = function([x, y], T.grad(op(x, y)[1], [x, y]))(2.0, 3.0)
    np.testing.assert_allclose(got, [3.0, 2.0])
    two = OpFromGraph([x, y], [x * y, x + y])
    s = two(x, y)[0] + OpFromGraph([x, y], [x * y, x + y])(x, y)[1]
    np.testing.assert_allclose(function([x, y], T.grad(s, [x, y]))(2.0, 3.0), [4.0, 3.0])


def test_second_derivatives_through_the_gradient_op():
    op = OpFromGraph([v], [(v ** 3).sum()])
    val = np.array([1.0, 2.0, -0.5])
    g = T.grad(op(v), v)
    assert isinstance(g.owner.op, OpFromGraph)  # the gradient is an OpFromGraph too
    np.testing.assert_allclose(function([v], T.grad(g.sum(), v))(val), 6 * val)
    np.testing.assert_allclose(function([v], T.hessian(op(v), v))(val), np.diag(6 * val))


def test_ofg_inside_a_larger_gradient():
    layer = OpFromGraph([m1, m2], [T.tanh(T.dot(m1, m2))])
    w1, w2 = T.dmatrices("w1", "w2")
    cost = (layer(layer(m1, w1), w2) ** 2).sum()
    a, b, c = rng.randn(2, 3), rng.randn(3, 4), rng.randn(4, 2)
    gw1, gw2 = function([m1, w1, w2], T.grad(cost, [w1, w2]))(a, b, c)
    h = np.tanh(a @ b)
    o = np.tanh(h @ c)
    do = 2 * o * (1 - o ** 2)
    np.testing.assert_allclose(gw2, h.T @ do)
    np.testing.assert_allclose(gw1, a.T @ ((do @ c.T) * (1 - h ** 2)))


def test_unused_input_is_disconnected():
    op = OpFromGraph([x, y], [x * 2])
    assert op.connection_pattern(op(x, y).owner) == [[True], [False]]
    with pytest.raises(DisconnectedInputError):
        T.grad(op(x, y), y)
    g = T.grad(op(x, y), y, disconnected_inputs="ignore")
    assert function([x, y], g, on_unused_input="ignore")(1.0, 2.0) == 0.0
    given = OpFromGraph([x, y], [x * y], connection_pattern=[[True], [False]])
    assert given.connection_pattern(given(x, y).owner) == [[True], [False]]


def test_null_and_disconnected_gradient_overrides():
    op = OpFromGraph([x, y, z], [x + y * z],
                     grad_overrides=["default", NullType()(), DisconnectedType()()])
    with pytest.raises(NullTypeGradError):
        T.grad(op(x, y, z), y)
    with pytest.raises(DisconnectedInputError):
        T.grad(op(x, y, z), z)
    g = T.grad(op(x, y, z), [x, z], disconnected_inputs="ignore")
    np.testing.assert_allclose(function([x, y, z], g, on_unused_input="ignore")(2.0, 3.0, 4.0),
                               [1.0, 0.0])


def test_set_grad_overrides_replaces_the_gradient():
    op = OpFromGraph([x, y], [x * y])
    assert function([x, y], T.grad(op(x, y), x))(2.0, 3.0) == 3.0
    op.set_grad_overrides(lambda inps, grads: [grads[0] * 100, grads[0]])
    assert function([x, y], T.grad(op(x, y), x))(2.0, 3.0) == 100.0


# ----------------------------------------------------------------------------- inline


def test_inline_and_not_inline_agree_and_inline_disappears_when_compiled():
    a, b = rng.randn(3, 4), rng.randn(3, 4)
    outs = {}
    for inline in (False, True):
        op = OpFromGraph([m1, m2], [T.exp(m1) * m2 - m1], inline=inline)
        out = op(m1, m2)
        assert out.owner.op.is_inline == inline  # the Op is in the graph as built
        f = function([m1, m2], [out] + T.grad((out ** 2).sum(), [m1, m2]), mode="FAST_RUN")
        kinds = {type(n.op).__name__ for n in f.maker.fgraph.toposort()}
        assert ("OpFromGraph" in kinds) == (not inline), kinds
        outs[inline] = f(a, b)
        plain = function([m1, m2], out, mode=Mode(optimizer=None))
        assert [type(n.op).__name__ for n in plain.maker.fgraph.toposort()] == ["OpFromGraph"]
    for got, want in zip(outs[True], outs[False]):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(outs[False][0], np.exp(a) * b - a)


def test_inline_inside_a_non_inline_op():
    inner = OpFromGraph([x], [x ** 2], inline=True)
    outer = OpFromGraph([x, y], [inner(x) + inner(y)])
    assert function([x, y], outer(x, y))(2.0, 3.0) == 13.0
    np.testing.assert_allclose(function([x, y], T.grad(outer(x, y), [x, y]))(2.0, 3.0),
                               [4.0, 6.0])


# ----------------------------------------------------------------------------- shapes


def test_shape_is_inferred_without_running_the_op():
    op = OpFromGraph([m1, m2], [T.dot(m1, m2), m1.sum(axis=0)])
    out, col = op(m1, m2)
    f = function([m1, m2], [out.shape, col.shape], mode="FAST_RUN")  # shape rewrites
    assert not any(isinstance(n.op, OpFromGraph) for n in f.maker.fgraph.toposort())
    got = f(np.ones((2, 3)), np.ones((3, 5)))
    np.testing.assert_array_equal(got[0], [2, 5])
    np.testing.assert_array_equal(got[1], [3])


def test_unknown_shapes_are_computed_by_running_the_op():
    op = OpFromGraph([v], [v[v > 0]])  # the length depends on the values
    f = function([v], op(v).shape, mode="FAST_RUN")
    np.testing.assert_array_equal(f(np.array([1.0, -1.0, 2.0])), [2])


# ----------------------------------------------------------------------------- R_op


def test_rop_against_finite_differences():
    op = OpFromGraph([m1, m2], [T.tanh(T.dot(m1, m2))])
    a, b = rng.randn(2, 3), rng.randn(3, 2)
    va, vb = rng.randn(2, 3), rng.randn(3, 2)
    ta, tb = T.dmatrices("ta", "tb")
    got = function([m1, m2, ta, tb], T.Rop(op(m1, m2), [m1, m2], [ta, tb]))(a, b, va, vb)
    h = 1e-6
    jvp = (np.tanh((a + h * va) @ (b + h * vb)) - np.tanh((a - h * va) @ (b - h * vb))) / (2 * h)
    np.testing.assert_allclose(got, jvp, rtol=1e-6, atol=1e-8)


def test_rop_override_nulltype_is_an_error():
    op = OpFromGraph([x], [x * 2], rop_overrides=[NullType()()])
    with pytest.raises(ValueError, match="undefined"):
        T.Rop(op(x), x, x)


# ----------------------------------------------------------------------------- errors


def test_call_with_wrong_arguments():
    op = OpFromGraph([x, y, z], [x + y * z])
    with pytest.raises(ValueError, match="Expected 3 inputs, got 2"):
        op(x, y)
    with pytest.raises(TypeError, match="Cannot convert Type TensorType\\(float64, vector\\)"):
        op(x, y, T.dvector())
    with pytest.raises(TypeError, match="float32"):
        op(x, y, T.fscalar())


def test_construction_errors():
    with pytest.raises(TypeError, match="outputs must be list"):
        OpFromGraph([x], x * 2)
    with pytest.raises(ValueError, match="inputs must be a list"):
        OpFromGraph(x, [x * 2])
    with pytest.raises(TypeError, match="must be Variable instances"):
        OpFromGraph([x], [1.0])
    with pytest.raises(MissingInputError, match="depend on y"):
        OpFromGraph([x], [x * y])
    with pytest.raises(ValueError, match="appears twice"):
        OpFromGraph([x, x], [x * 2])
    with pytest.raises(TypeError, match="updates and givens are not allowed"):
        OpFromGraph([x], [x * 2], updates=[(theano.shared(1.0), x)])
    with pytest.raises(TypeError, match="unexpected keyword"):
        OpFromGraph([x], [x * 2], no_such_option=1)


def test_override_errors():
    e = x * y
    with pytest.raises(ValueError, match="mutually exclusive"):
        OpFromGraph([x, y], [e], lop_overrides=lambda i, o, g: g, grad_overrides=lambda i, g: g)
    with pytest.raises(TypeError, match="got 3"):
        OpFromGraph([x, y], [e], grad_overrides=3)
    with pytest.raises(TypeError, match="got 'foo'"):
        OpFromGraph([x, y], [e], grad_overrides="foo")
    with pytest.raises(ValueError, match="Need to override 2 gradients, got 1"):
        OpFromGraph([x, y], [e], grad_overrides=["default"])
    with pytest.raises(ValueError, match="DisconnectedType or NullType"):
        OpFromGraph([x, y], [e], grad_overrides=[x, "default"])
    not_a_list = OpFromGraph([x, y], [e], grad_overrides=lambda i, g: g[0])
    with pytest.raises(TypeError, match="should return a list"):
        T.grad(not_a_list(x, y), x)
    wrong_ndim = OpFromGraph([x, y], [e], grad_overrides=lambda i, g: [v, g[0]])
    with pytest.raises(ValueError, match="1 dimensions, but 0 are required"):
        T.grad(wrong_ndim(x, y), x)


def test_gradient_with_test_values_on():
    # Theano 1.0.5 (test_builders.py::test_compute_test_value): the inner gradient graph
    # is built without test values; the outer gradient gets one (3 y**2 at y = 2: 12).
    with theano.configparser.change_flags(compute_test_value="raise"):
        x = T.dscalar("x")
        x.tag.test_value = np.array(1.0)
        op = OpFromGraph([x], [x ** 3])
        y = T.dscalar("y")
        y.tag.test_value = np.array(2.0)
        grad_y = T.grad(op(y), y)
        assert float(grad_y.tag.test_value) == 12.0
