"""Theano 1.0.5's rewrites of tensor/rewrites/legacy_useless.py (comparisons known in
advance, switch sinks, reductions of joins and quotients, fill sink, Alloc / Flatten lifts,
TopKOp trimming), plus the MakeVector dtype rule and Rebroadcast's axis mapping: the graph
each leaves (applied alone with ``out2in`` or by FAST_RUN) and its values against NumPy."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.optimizers import out2in
from theano_compat.scalar import ops as S
from theano_compat.tensor import opt
from theano_compat.tensor.construct import AllocEmpty
from theano_compat.tensor.elemwise import Elemwise, Prod, Sum
from theano_compat.tensor.extra_ops import TopKOp
from theano_compat.tensor.shapes import Flatten

RNG = np.random.RandomState(11)
FAST_RUN = theano.compile.mode.get_mode("FAST_RUN")


def _ops(f):
    return [n.op for n in f.maker.fgraph.toposort()]


def _rewrite(rule, inputs, outputs):
    g = FunctionGraph(inputs, outputs, clone=True)
    out2in(rule).optimize(g)
    return g


# ------------------------------------------------------------------------ comparisons


@pytest.mark.parametrize("fn, expected", [(T.lt, 0), (T.gt, 0), (T.le, 1), (T.ge, 1)])
def test_comparison_with_self_is_a_constant(fn, expected):
    x = T.dscalar("x")
    f = theano.function([x], fn(x, x), mode=FAST_RUN)
    (node,) = f.maker.fgraph.toposort()
    assert isinstance(node.inputs[0], T.TensorConstant)
    assert node.inputs[0].data == expected
    assert f(3.5) == expected


@pytest.mark.parametrize("fn", [T.minimum, T.maximum])
def test_min_max_with_self_is_the_variable(fn):
    x = T.dvector("x")
    g = _rewrite(opt.local_useless_elemwise_comparison, [x], [fn(x, x)])
    assert g.outputs[0] is g.inputs[0]


def test_shape_compared_with_zero():
    x = T.dvector("x")
    s = T.Shape_i(0)(x)
    v = np.ones(5)
    cases = [(T.lt(s, 0), 0), (T.ge(s, 0), 1), (T.minimum(s, 0), 0), (T.minimum(0, s), 0)]
    for out, expected in cases:
        f = theano.function([x], out, mode=FAST_RUN)
        assert not any(isinstance(op, Elemwise) for op in _ops(f)), _ops(f)
        assert f(v) == expected
    for out in (T.maximum(s, 0), T.maximum(0, s)):
        f = theano.function([x], out, mode=FAST_RUN)
        assert [type(op) for op in _ops(f)] == [T.Shape_i]
        assert f(v) == 5


def test_sum_of_shapes_and_equality_to_a_negative_number():
    x, y = T.dvectors("x", "y")
    total = T.Shape_i(0)(x) + T.Shape_i(0)(y)
    g = _rewrite(opt.local_useless_elemwise_comparison, [x, y],
                 [T.lt(total, 0), T.ge(total, 0), T.eq(T.Shape_i(0)(x), -1)])
    f = theano.function([x, y], g.outputs)
    assert [int(v) for v in f(np.ones(2), np.ones(3))] == [0, 1, 0]
    for out in g.outputs:
        assert not (out.owner is not None and out.owner.op.__class__ is Elemwise and
                    out.owner.op.scalar_op in (S.lt, S.ge, S.eq))
    # Not a shape: left alone.
    z = T.lscalar("z")
    g = _rewrite(opt.local_useless_elemwise_comparison, [z], [T.lt(z, 0)])
    assert g.outputs[0].owner.op.scalar_op is S.lt


# ---------------------------------------------------------------------- switch sinks


def test_mul_switch_sink_keeps_nan_out():
    x = T.dscalar("x")
    y = T.switch(x < 7, x, T.sqrt(x - 7))
    gx = T.grad(y, x)
    f = theano.function([x], gx, mode=FAST_RUN)
    assert f(5.0) == 1.0                     # without the sink: 0 * nan = nan
    assert np.isclose(f(11.0), 0.5 / np.sqrt(4.0))


def test_mul_switch_sink_graph_and_values():
    c = T.dvector("c")
    a, b = T.dvectors("a", "b")
    out = T.switch(c > 0, 0, a) * b
    g = _rewrite(opt.local_mul_switch_sink, [c, a, b], [out])
    top = g.outputs[0].owner
    assert top.op.scalar_op is S.switch
    cv, av, bv = np.array([1.0, -1.0, 2.0]), np.array([1.0, 2.0, 3.0]), \
        np.array([np.inf, 5.0, np.nan])
    f = theano.function([c, a, b], g.outputs[0])
    assert np.array_equal(f(cv, av, bv), [0.0, 10.0, 0.0])


def test_div_switch_sink_values():
    c, a, d = T.dvectors("c", "a", "d")
    out = T.switch(c > 0, a, 0) / d
    g = _rewrite(opt.local_div_switch_sink, [c, a, d], [out])
    assert g.outputs[0].owner.op.scalar_op is S.switch
    f = theano.function([c, a, d], g.outputs[0])
    res = f(np.array([1.0, -1.0]), np.array([4.0, 1.0]), np.array([2.0, 0.0]))
    assert np.array_equal(res, [2.0, 0.0])   # 1 / 0 is not seen where the switch gives 0


# ------------------------------------------------------------------------ reductions


def test_reduce_join_becomes_elemwise():
    x, y, z = T.dmatrices("x", "y", "z")
    xv, yv, zv = RNG.rand(2, 3), RNG.rand(3, 2), RNG.rand(2, 3)
    for out, ref in [(T.max((x, z), 0), np.maximum(xv, zv)),
                     (T.sum((x, z, x), 0), xv + zv + xv),
                     (T.prod((x, y.T, z), 0), xv * yv.T * zv)]:
        f = theano.function([x, y, z], out, mode=FAST_RUN, on_unused_input="ignore")
        assert isinstance(_ops(f)[-1], Elemwise)
        assert not any(isinstance(op, T.Join) for op in _ops(f))
        assert np.allclose(f(xv, yv, zv), ref)
    # Reduced along another axis than the join's: not rewritten.
    a = T.dvector("a")
    f = theano.function([a], T.sum(T.stack([a, a]), axis=1), mode=FAST_RUN)
    assert np.allclose(f(np.arange(3.0)), [3.0, 3.0])


@pytest.mark.parametrize("reduce_, ref", [(T.sum, np.sum), (T.prod, np.prod)])
def test_sum_prod_div_dimshuffle(reduce_, ref):
    c = T.dtensor3("c")
    b = T.dvector("b")
    out = reduce_(c / b.dimshuffle(0, "x", "x"), axis=(1, 2))
    g = _rewrite(opt.local_sum_prod_div_dimshuffle, [c, b], [out])
    top = g.outputs[0].owner
    assert top.op.scalar_op is S.true_div     # the reduction is under the division
    cv, bv = RNG.rand(2, 3, 4) + 0.5, RNG.rand(2) + 0.5
    f = theano.function([c, b], g.outputs[0])
    expected = ref(cv / bv[:, None, None], axis=(1, 2))
    assert np.allclose(f(cv, bv), expected)


def test_prod_mul_by_scalar_counts_a_vector_by_its_length():
    v = T.dvector("v")
    s = T.dscalar("s")
    f = theano.function([v, s], Prod()(v * s), mode=FAST_RUN)
    assert sum(isinstance(op, Prod) for op in _ops(f)) == 1
    vv = RNG.rand(4)
    assert np.isclose(f(vv, 1.5), np.prod(vv * 1.5))


def test_sum_of_ones_alloc_is_the_size():
    a = T.dtensor3("a")
    f = theano.function([a], T.ones_like(a).sum(), mode=FAST_RUN)
    assert not any(isinstance(op, Sum) for op in _ops(f))
    assert f(np.zeros((2, 3, 4))) == 24.0


# ------------------------------------------------------------------ fills and allocs


def test_fill_sink_moves_the_fill_out():
    x = T.dmatrix("x")
    y = T.dscalar("y")
    out = T.fill(x, y) + 1.0
    g = _rewrite(opt.local_fill_sink, [x, y], [out])
    top = g.outputs[0].owner
    assert top.op.scalar_op is S.second and top.inputs[0] is g.inputs[0]
    assert top.inputs[1].owner.op.scalar_op is S.add
    f = theano.function([x, y], g.outputs[0])
    xv = RNG.rand(2, 3)
    assert np.allclose(f(xv, 0.25), np.full((2, 3), 1.25))


def test_alloc_unary_and_alloc_empty_to_zeros():
    s = T.dscalar("s")
    n = T.lscalar("n")
    out = T.exp(T.alloc(s, n, 3))
    g = _rewrite(opt.local_alloc_unary, [s, n], [out])
    assert isinstance(g.outputs[0].owner.op, T.Alloc)
    f = theano.function([s, n], g.outputs[0])
    assert np.allclose(f(0.5, 2), np.full((2, 3), np.exp(0.5)))
    e = AllocEmpty("float64")(n, 3)
    g = _rewrite(opt.local_alloc_empty_to_zeros, [n], [e])
    assert np.array_equal(theano.function([n], g.outputs[0])(2), np.zeros((2, 3)))
    # Not run by default (Theano ran it only when asked for).
    f = theano.function([n], AllocEmpty("float64")(n, 3), mode=FAST_RUN)
    assert any(isinstance(op, AllocEmpty) for op in _ops(f))


def test_flatten_lift():
    x = T.dmatrix("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        out = Flatten(1)(T.exp(x))
    g = _rewrite(opt.local_flatten_lift, [x], [out])
    top = g.outputs[0].owner
    assert top.op.scalar_op is S.exp and isinstance(top.inputs[0].owner.op, Flatten)
    xv = RNG.rand(2, 3)
    assert np.allclose(theano.function([x], g.outputs[0])(xv), np.exp(xv).ravel())


def test_useless_topk_keeps_the_output_read():
    x = T.dvector("x")
    k = T.lscalar("k")
    values, indices = TopKOp(axis=-1, sorted=False)(x, k)
    g = _rewrite(opt.local_useless_topk, [x, k], [indices])
    node = g.outputs[0].owner
    assert isinstance(node.op, TopKOp) and len(node.outputs) == 1
    assert not node.op.return_values and node.op.return_indices
    xv = np.array([3.0, 1.0, 4.0, 1.5])
    got = theano.function([x, k], g.outputs[0])(xv, 2)
    assert sorted(xv[got]) == [3.0, 4.0]


# ------------------------------------------------------------- MakeVector, Rebroadcast


def test_make_vector_upcasts_inputs_and_refuses_downcasts():
    b = T.bscalar("b")
    i = T.iscalar("i")
    d = T.dscalar("d")
    mv = opt.MakeVector("float64")(b, i)
    assert mv.dtype == "float64"
    assert all(inp.dtype == "float64" for inp in mv.owner.inputs)
    assert list(theano.function([b, i], mv)(2, -3)) == [2.0, -3.0]
    for dtype, inputs in [("int8", (b, i)), ("int32", (d, i)), ("float32", (i, d))]:
        with pytest.raises(AssertionError):
            opt.MakeVector(dtype)(*inputs)


def test_rebroadcast_axis_is_a_mapping():
    m = T.dmatrix("m")
    v = T.unbroadcast(T.addbroadcast(m, 0, 1), 1)
    op = v.owner.op
    assert op.axis == {0: True}
    assert op == T.Rebroadcast((0, True)) and hash(op) == hash(T.Rebroadcast((0, True)))
    assert str(op) == "Rebroadcast{(0, True)}"
    assert theano.function([m], v)(np.array([[7.0]])).tolist() == [[7.0]]


def test_canonicalize_alloc_moves_leading_ones_to_a_dimshuffle():
    x = T.dvector("x")
    y = T.dscalar("y")
    allocs = [T.alloc(x, 1, 3, 2), T.alloc(y, 1, 1)]
    # Integer lengths are int64 constants, not casts (Theano printed TensorConstant{1}).
    assert str(allocs[0].owner.inputs[1]) == "TensorConstant{1}"
    assert allocs[0].owner.inputs[1].dtype == "int64"
    g = _rewrite(opt.local_canonicalize_alloc, [x, y], allocs)
    assert str(g.outputs[0].owner.op) == "InplaceDimShuffle{x,0,1}"
    assert isinstance(g.outputs[0].owner.inputs[0].owner.op, T.Alloc)
    assert str(g.outputs[1].owner.op) == "InplaceDimShuffle{x,x}"
    f = theano.function([x, y], g.outputs)
    a, b = f(np.array([1.0, 2.0]), 3.0)
    assert np.array_equal(a, np.tile([1.0, 2.0], (1, 3, 1))) and b.tolist() == [[3.0]]
