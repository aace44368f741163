"""Theano 1.0.5's rewrites as rules of the engine (theano_compat/tensor/rewrites/legacy.py):
the graph each leaves, applied alone (``out2in``) or by the FAST_RUN pipeline, and the
values of the rewritten graphs against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.optimizers import out2in
from theano_compat.scalar.composite import Composite
from theano_compat.tensor import opt, opt_uncanonicalize
from theano_compat.tensor.elemwise import DimShuffle, Elemwise, Max, Min, Sum
from theano_compat.tensor.subtensor import Subtensor

RNG = np.random.RandomState(7)
FAST_RUN = theano.compile.mode.get_mode("FAST_RUN")


def _ops(f):
    return [n.op for n in f.maker.fgraph.toposort()]


def _scalar_ops(f):
    return [n.op.scalar_op for n in f.maker.fgraph.toposort() if isinstance(n.op, Elemwise)]


def test_useless_reshape_removes_reshape_to_own_shape():
    x = T.dmatrix("x")
    g = FunctionGraph([x], [T.reshape(x, x.shape) * 2])
    out2in(opt.local_useless_reshape).optimize(g)
    assert not any(isinstance(n.op, T.Reshape) for n in g.toposort())
    v = RNG.rand(3, 4)
    assert np.allclose(theano.function([x], g.outputs[0])(v), v * 2)


def test_reshape_to_dimshuffle_and_useless_reshape_as_theano():
    x, y = T.dvector(), T.dmatrix()
    g = FunctionGraph([x, y], [T.reshape(x, (1, 4)), T.reshape(y, (1, 5, 1, 6, 1, 1))])
    out2in(opt.local_reshape_to_dimshuffle).optimize(g)
    out2in(opt.local_useless_reshape).optimize(g)
    # The string Theano 1.0.5's test_opt.py asserts for the same graph.
    assert str(g) == ("[InplaceDimShuffle{x,0}(<TensorType(float64, vector)>), "
                      "InplaceDimShuffle{x,0,x,1,x,x}(Reshape{2}"
                      "(<TensorType(float64, matrix)>, TensorConstant{[5 6]}))]")


def test_merge_alloc_keeps_one_alloc_and_checks_shapes():
    m = T.fscalar("m")
    x, y, z, w = T.iscalars("xyzw")
    out = T.alloc(T.alloc(m, 1, y, 1, 1), x, y, z, w)
    g = FunctionGraph([m, x, y, z, w], [out])
    out2in(opt.local_merge_alloc).optimize(g)
    allocs = [n for n in g.toposort() if isinstance(n.op, T.Alloc)]
    assert len(allocs) == 1 and allocs[0].inputs[0] is g.inputs[0]
    f = theano.function(g.inputs, g.outputs[0])
    assert np.array_equal(f(2.0, 1, 2, 3, 4), np.full((1, 2, 3, 4), 2.0, "float32"))
    # y1 != y2: the inner alloc's dimension is asserted
    out = T.alloc(T.alloc(m, y, 1, 1), x, z, y, w)
    g = FunctionGraph([m, x, y, z, w], [out])
    out2in(opt.local_merge_alloc).optimize(g)
    assert any(isinstance(n.op, opt.Assert) for n in g.toposort())
    f = theano.function(g.inputs, g.outputs[0])
    with pytest.raises(AssertionError):
        f(1.0, 1, 2, 3, 4)


def test_canonicalize_alloc_moves_leading_ones_to_a_dimshuffle():
    v = T.dvector("v")
    n = T.lscalar("n")
    g = FunctionGraph([v, n], [T.alloc(v, 1, n)])
    out2in(opt.local_canonicalize_alloc).optimize(g)
    (node,) = g.toposort()
    assert isinstance(node.op, DimShuffle) and node.op.new_order == ("x", 0)
    assert node.inputs[0] is g.inputs[0]


def test_add_specialize_drops_zeros():
    a = T.dvector()
    s = T.add(a, T.zeros_like(a), T.constant(0.0))
    (new,) = opt.local_add_specialize.transform(s.owner)
    v = RNG.rand(3)
    assert np.array_equal(theano.function([a], new)(v), v)
    a, b = T.constant(0, dtype="int64"), T.constant(1, dtype="int32")
    (new,) = opt.local_add_specialize.transform((a + b).owner)
    assert new.type == (a + b).type and int(new.eval()) == 1


@pytest.mark.parametrize("expr, ref, reduce_op", [
    (lambda n: -T.max(-n, 0), lambda v: v.min(0), Min),
    (lambda n: -T.min(-n, 0), lambda v: v.max(0), Max),
])
def test_max_to_min(expr, ref, reduce_op):
    n = T.dmatrix()
    f = theano.function([n], expr(n), mode=FAST_RUN)
    assert [type(o) for o in _ops(f)] == [reduce_op]
    v = RNG.rand(3, 4)
    assert np.array_equal(f(v), ref(v))


def test_max_and_argmax_unused_half_dropped():
    n = T.dmatrix()
    f = theano.function([n], T.max_and_argmax(n, 1)[0], mode=FAST_RUN)
    assert [type(o) for o in _ops(f)] == [Max]
    v = RNG.rand(3, 4)
    assert np.array_equal(f(v), v.max(1))
    assert opt_uncanonicalize.local_max_and_argmax.name == "local_max_and_argmax"


def test_elemwise_alloc_broadcasts_the_value_and_asserts_the_shape():
    vec, mat = T.dvector("vec"), T.dmatrix("mat")
    f = theano.function([vec, mat], T.alloc(vec, 2, 2) + mat, mode=FAST_RUN)
    assert not any(isinstance(o, T.Alloc) for o in _ops(f))
    assert sum(isinstance(o, opt.Assert) for o in _ops(f)) == 1
    v, m = RNG.rand(2), RNG.rand(2, 2)
    assert np.allclose(f(v, m), v[None, :] + m)
    with pytest.raises((AssertionError, ValueError)):
        f(RNG.rand(3), RNG.rand(3, 3))  # the alloc said 2 x 2
    # the alloc's shape read from the other operand: nothing to assert
    f = theano.function([vec, mat], T.alloc(vec, *mat.shape) - mat, mode=FAST_RUN)
    assert not any(isinstance(o, (T.Alloc, opt.Assert)) for o in _ops(f))
    assert np.allclose(f(v, m), v[None, :] - m)


@pytest.mark.parametrize("cond, pick", [(0, 1), (1, 0)])
def test_useless_switch_constant_condition(cond, pick):
    x, y = T.imatrix("x"), T.lmatrix("y")
    f = theano.function([x, y], T.switch(cond, x, y), mode=FAST_RUN.excluding("constant_folding"))
    assert not any(s is theano.scalar.switch for s in _scalar_ops(f))
    vx = np.array([[1, 2], [3, 4]], "int32")
    vy = np.array([[5, 6], [7, 8]], "int64")
    assert np.array_equal(f(vx, vy), [vx, vy][pick])


def test_op_of_op_and_all_axes():
    a = T.dtensor3()
    v = RNG.rand(2, 3, 4)
    for expr, ref in [(a.sum(0).sum(0).sum(0), v.sum()), (a.sum(1).sum(1), v.sum((1, 2))),
                      (a.sum([0, 1, 2]), v.sum())]:
        f = theano.function([a], expr, mode=FAST_RUN)
        (node,) = f.maker.fgraph.toposort()
        assert isinstance(node.op, Sum)
        assert np.allclose(f(v), ref)


def test_subtensor_inc_subtensor_reads_the_set_value():
    x, i, v = T.dmatrix("x"), T.iscalar("i"), T.dvector("v")
    f = theano.function([x, i, v], T.set_subtensor(x[i], v)[i], mode=FAST_RUN)
    assert not any(isinstance(n.op, (Subtensor, T.IncSubtensor))
                   for n in f.maker.fgraph.toposort())
    vv = RNG.rand(4)
    assert np.array_equal(f(RNG.rand(3, 4), 1, vv), vv)


def test_subtensor_lift_through_elemwise():
    x, y, z = T.dmatrix("x"), T.dscalar("y"), T.dmatrix("z")
    f = theano.function([x, y, z], T.exp(x + y + z)[0], mode=FAST_RUN)
    topo = f.maker.fgraph.toposort()
    assert isinstance(topo[-1].op, Elemwise) and isinstance(topo[-1].op.scalar_op, Composite)
    assert sum(isinstance(n.op, Subtensor) for n in topo) == 2  # on x and on z
    vx, vz = RNG.rand(2, 2), RNG.rand(2, 2)
    assert np.allclose(f(vx, 4.0, vz), np.exp(vx + 4.0 + vz)[0])


def test_remove_all_assert_only_when_included():
    x, y = T.dscalar(), T.dscalar()
    f = theano.function([x, y], opt.assert_op(x, y))
    with pytest.raises(AssertionError):
        f(1.0, 0.0)
    f = theano.function([x, y], opt.assert_op(x, y),
                        mode=FAST_RUN.including("local_remove_all_assert"))
    assert f(1.0, 0.0) == 1.0
    # a condition known true is removed in FAST_RUN
    f = theano.function([x, y], opt.assert_op(x, y, 1) * 2, mode=FAST_RUN)
    assert [len(n.inputs) for n in f.maker.fgraph.toposort()
            if isinstance(n.op, opt.Assert)] == [2]


def test_zero_dot_keeps_the_shape_check():
    v1, m2 = T.dvector("v1"), T.dmatrix("m2")
    f = theano.function([v1, m2], T.dot(T.zeros_like(v1), m2), mode=FAST_RUN)
    assert not any(type(o).__name__ == "Dot" for o in _ops(f))
    assert np.array_equal(f(np.ones(2), np.ones((2, 3))), np.zeros(3))
    with pytest.raises((AssertionError, ValueError)):
        f(np.ones(2), np.ones((3, 3)))


def test_elemwise_fusion_excluded_by_theano_name():
    x = T.dmatrix()
    expr = T.exp(x) * 2 + 1
    fused = theano.function([x], expr, mode=FAST_RUN)
    assert any(isinstance(s, Composite) for s in _scalar_ops(fused))
    plain = theano.function([x], expr, mode=FAST_RUN.excluding("local_elemwise_fusion"))
    assert not any(isinstance(s, Composite) for s in _scalar_ops(plain))
    v = RNG.rand(2, 3)
    assert np.allclose(plain(v), np.exp(v) * 2 + 1) and np.allclose(fused(v), plain(v))


def test_local_elemwise_fusion_transform():
    x, y = T.dvector(), T.dvector()
    out = T.exp(x + y) * y
    (new,) = opt.local_elemwise_fusion.transform(out.owner)
    assert isinstance(new.owner.op.scalar_op, Composite)
    vx, vy = RNG.rand(3), RNG.rand(3)
    assert np.allclose(theano.function([x, y], new)(vx, vy), np.exp(vx + vy) * vy)


def test_dimshuffle_subtensor_indexes_the_dropped_dimension():
    x = T.TensorType("float64", (False, True, False))("x")
    i = T.lscalar("i")
    out = x[i:, :, :].dimshuffle(0, 2)
    g = FunctionGraph([x, i], [out])
    out2in(opt_uncanonicalize.local_dimshuffle_subtensor).optimize(g)
    assert not any(isinstance(n.op, DimShuffle) for n in g.toposort())
    v = RNG.rand(5, 1, 4)
    assert np.array_equal(theano.function([x, i], g.outputs[0])(v, 2), v[2:, 0, :])


def test_dimshuffle_lift_goes_through_elemwise_as_theano():
    x, y, z = T.dvector("x"), T.dmatrix("y"), T.dtensor3("z")
    e = (x + y).dimshuffle("x", 0, 1) + z
    g = FunctionGraph([x, y, z], [e])
    out2in(opt.local_dimshuffle_lift).optimize(g)
    # The string Theano 1.0.5's test_opt.py asserts for the same graph.
    assert str(g) == ("[Elemwise{add,no_inplace}(Elemwise{add,no_inplace}"
                      "(InplaceDimShuffle{x,x,0}(x), InplaceDimShuffle{x,0,1}(y)), z)]")
    vx, vy, vz = RNG.rand(3), RNG.rand(2, 3), RNG.rand(4, 2, 3)
    assert np.allclose(theano.function([x, y, z], g.outputs[0])(vx, vy, vz), vx + vy + vz)


def test_transpose_lifted_through_dot():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    g = FunctionGraph([a, b], [T.dot(a, b).T])
    out2in(opt.local_lift_transpose_through_dot).optimize(g)
    (node,) = [n for n in g.toposort() if type(n.op).__name__ == "Dot"]
    assert g.outputs[0] is node.outputs[0]
    va, vb = RNG.rand(2, 3), RNG.rand(3, 4)
    assert np.allclose(theano.function([a, b], g.outputs[0])(va, vb), va.dot(vb).T)


def test_broadcastable_index_becomes_a_dimshuffle():
    t = T.TensorType("float64", (False, True, False))("t")
    g = FunctionGraph([t], [t[:, -1]])
    out2in(opt.local_subtensor_remove_broadcastable_index).optimize(g)
    (node,) = g.toposort()
    assert isinstance(node.op, DimShuffle) and node.op.new_order == (0, 2)
    v = RNG.rand(2, 1, 3)
    assert np.array_equal(theano.function([t], g.outputs[0])(v), v[:, -1])


def test_rebroadcast_lift_merges_rebroadcasts():
    m = T.dmatrix()
    r = T.Rebroadcast((1, False))(T.Rebroadcast((0, True))(T.exp(m)))
    g = FunctionGraph([m], [r])
    out2in(opt.local_rebroadcast_lift).optimize(g)
    kinds = [type(n.op).__name__ for n in g.toposort()]
    assert kinds == ["Rebroadcast", "Elemwise"]
    v = RNG.rand(1, 3)
    assert np.allclose(theano.function([m], g.outputs[0])(v), np.exp(v))


@pytest.mark.parametrize("ndim,reps", [(1, 2), (2, 3), (2, 4)])
def test_useless_tile_with_more_reps_than_dimensions_leaves_a_dimshuffle(ndim, reps):
    # Theano 1.0.5 (theano-ref): tile(v, (1, 1)) compiles to InplaceDimShuffle{x,0} and a
    # DeepCopyOp; a matrix tiled (1,) * 4 to DimShuffle{x,x,0,1}, broadcastable leading dims.
    var = T.vector("v") if ndim == 1 else T.matrix("m")
    y = T.tile(var, (1,) * reps)
    f = theano.function([var], y, mode=FAST_RUN)
    topo = f.maker.fgraph.toposort()
    assert [type(n.op) for n in topo] == [DimShuffle, type(topo[-1].op)] and len(topo) == 2
    assert topo[0].op.new_order == ("x",) * (reps - ndim) + tuple(range(ndim))
    assert f.maker.fgraph.outputs[0].type.broadcastable == (True,) * (reps - ndim) + \
        (False,) * ndim
    data = np.arange(6.0).reshape((6,) if ndim == 1 else (2, 3))
    got = f(data)
    np.testing.assert_array_equal(got, np.tile(data, (1,) * reps))
    assert got.shape == np.tile(data, (1,) * reps).shape
