"""User-defined Ops (theano.Op, theano.gof.Op, itypes/otypes, theano.compile.ops.as_op)
with grad, L_op, R_op, infer_shape and __props__: compiled, differentiated and printed.

The Ops and the scenarios are in tests/golden/make_user_ops.py, which recorded Theano
1.0.5's results in tests/golden/user_ops.theano105.json; the same code runs here.  The
remaining tests check gradients against finite differences (verify_grad, central
differences for R_op).
"""


import pickle

import numpy as np
import pytest
import theano.gradient as G
import theano.tensor as T
from theano.compile.ops import as_op as _compile_as_op

import theano
from tests.support import golden
from theano_compat.errors import MethodNotDefined
from theano_compat.graph.op import as_op as _graph_as_op

_make = golden.load_recorder("make_user_ops")

OPS = _make.define_ops(theano, T)
SCENARIOS = _make.scenarios(theano, T, OPS)
GOLDEN = golden.load_record("user_ops.theano105.json")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_matches_theano_105(name):
    golden.assert_same(SCENARIOS[name](), GOLDEN[name], name)


def test_user_op_gradients_against_finite_differences():
    rng = np.random.RandomState(0)
    G.verify_grad(OPS["ScaledSquare"](0.7), [rng.randn(3, 2)], rng=rng)
    G.verify_grad(OPS["ExpOp"](), [rng.randn(4)], rng=rng)
    G.verify_grad(lambda a: OPS["TwoOutputs"]()(a)[0] * OPS["TwoOutputs"]()(a)[1] ** 2,
                  [rng.randn(5)], rng=rng)
    G.verify_grad(lambda a: T.tanh(OPS["DoubleOp"]()(a)), [rng.randn(2, 3)], rng=rng)
    # In a float32 graph too, with Theano's float32 tolerance.
    G.verify_grad(OPS["ScaledSquare"](0.7), [rng.randn(3, 2).astype("float32")], rng=rng)


def test_l_op_receives_the_outputs():
    x = T.dvector("x")
    y = OPS["ExpOp"]()(x)
    OPS["ExpOp"].seen_outputs[:] = []
    g = T.grad(y.sum(), x)
    assert OPS["ExpOp"].seen_outputs == [y]
    xv = np.array([0.1, -1.0])
    np.testing.assert_allclose(theano.function([x], g)(xv), np.exp(xv))


def test_user_r_op_matches_jvp_and_lop():
    x, v = T.dvectors("x", "v")
    y = T.sin(OPS["ScaledSquare"](1.5)(x))
    rop = T.Rop(y, x, v)
    xv, vv = np.array([0.3, -0.8, 1.1]), np.array([1.0, 0.5, -2.0])
    f = theano.function([x], y)
    h = 1e-6
    jvp = (f(xv + h * vv) - f(xv - h * vv)) / (2 * h)
    np.testing.assert_allclose(theano.function([x, v], rop)(xv, vv), jvp, rtol=1e-6)
    # Lop of the same graph is the transpose: <u, J v> == <J^T u, v>.
    u = T.dvector("u")
    uv = np.array([0.2, -1.0, 0.7])
    lop = theano.function([x, u], T.Lop(y, x, u))(xv, uv)
    np.testing.assert_allclose(np.dot(uv, jvp), np.dot(lop, vv), rtol=1e-6)


def test_missing_r_op_and_grad_are_reported_clearly():
    x, v = T.dvectors("x", "v")
    with pytest.raises(NotImplementedError, match="ExpOp.*does not implement R_op"):
        T.Rop(OPS["ExpOp"]()(x), x, v)
    with pytest.raises(MethodNotDefined, match="FromFunctionOp\\{numpy_sort\\}.*no gradient"):
        T.grad(OPS["numpy_sort"](x).sum(), x)
    # disconnected_grad makes such an op usable inside a differentiated graph.
    cost = T.sum(G.disconnected_grad(OPS["numpy_sort"](x)) * x)
    xv = np.array([3.0, 1.0, 2.0])
    np.testing.assert_allclose(theano.function([x], T.grad(cost, x))(xv), np.sort(xv))


def test_infer_shape_and_shape_of_user_ops():
    x = T.dmatrix("x")
    y = OPS["ScaledSquare"](2.0)(x)
    assert y.owner.op.infer_shape(y.owner, [(3, 4)]) == [(3, 4)]
    shape = theano.function([x], y.shape)(np.zeros((3, 4)))
    np.testing.assert_array_equal(shape, [3, 4])


def test_itypes_otypes_checks_inputs():
    with pytest.raises(TypeError):
        OPS["DoubleOp"]()(T.fvector())
    with pytest.raises(ValueError, match="expected 1 inputs but got 2"):
        OPS["DoubleOp"]()(T.dmatrix(), T.dmatrix())


def test_user_ops_in_jacobian_and_shared_updates():
    w = theano.shared(np.array([0.5, -1.0, 2.0]), name="w")
    x = T.dvector("x")
    out = OPS["ScaledSquare"](1.0)(w * x)
    j = theano.function([x], T.jacobian(out, w))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(j, np.diag(2 * (w.get_value() * [1, 2, 3]) * [1, 2, 3]))
    cost = out.sum()
    step = theano.function([x], cost, updates=[(w, w - 0.1 * T.grad(cost, w))])
    xv = np.array([1.0, 2.0, 3.0])
    before = w.get_value()
    step(xv)
    np.testing.assert_allclose(w.get_value(), before - 0.1 * 2 * before * xv ** 2)


def test_op_without_props_compares_by_identity():
    a, b = OPS["TwoOutputs"](), OPS["TwoOutputs"]()
    assert a == b  # __props__ = () : all instances equal, as in Theano

    class NoProps(theano.Op):
        def make_node(self, x):
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0]

    assert NoProps() != NoProps()
    p = NoProps()
    assert p == p and hash(p) == hash(p)


# as_op of graph/op.py (theano.gof.op.as_op) and of compile/ops.py: a module-level
# wrapped function pickles by reference to its name and unpickles into the same, working
# Op; a graph and a compiled function that use it pickle too (Theano 1.0.5, recorded
# with theano-ref: the Op came back identical, and both gave [3.0, 7.0, 13.0]).


@_graph_as_op(itypes=[T.dvector], otypes=[T.dvector])
def doubled_cumsum(x):
    return np.cumsum(x) * 2


@_compile_as_op(itypes=[T.dvector], otypes=[T.dvector])
def doubled_cumsum_compile(x):
    return np.cumsum(x) * 2


@pytest.mark.parametrize("op", [doubled_cumsum, doubled_cumsum_compile])
def test_as_op_pickles_by_reference(op):
    assert pickle.loads(pickle.dumps(op, protocol=2)) is op
    x = T.dvector("x")
    y = op(x) + 1
    y2 = pickle.loads(pickle.dumps(y, protocol=2))
    x2 = y2.owner.inputs[0].owner.inputs[0]
    assert theano.function([x2], y2)(np.array([1.0, 2.0, 3.0])).tolist() == [3.0, 7.0, 13.0]
    f = pickle.loads(pickle.dumps(theano.function([x], y), protocol=2))
    assert f(np.array([1.0, 2.0, 3.0])).tolist() == [3.0, 7.0, 13.0]

    made = type(op)(lambda v: v, [T.dvector], [T.dvector], None)
    with pytest.raises(pickle.PicklingError, match="Can't pickle as_op"):
        pickle.dumps(made)
