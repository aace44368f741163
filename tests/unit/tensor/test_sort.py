"""theano.tensor.sort: SortOp/ArgSortOp with a symbolic axis, their gradients, top-k."""

import importlib

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.gof import FunctionGraph
from theano.gradient import verify_grad
from theano_compat.graph.optimizers import as_rule
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

# `theano.tensor.sort` as an attribute is the function, as in Theano: get the module.
S = importlib.import_module("theano.tensor.sort")

M = np.array([[3., 1., 2.], [0., 5., -1.]])


def test_sort_and_argsort_values_match_theano():
    x = T.dmatrix()
    # Golden values printed by Theano 1.0.5 (tools/theano-ref).
    assert theano.function([x], S.sort(x, 0))(M).tolist() == [[0., 1., -1.], [3., 5., 2.]]
    assert theano.function([x], S.argsort(x, None))(M).tolist() == [5, 3, 1, 2, 0, 4]
    ax = T.scalar()  # a symbolic (float) axis, as Theano's tests use
    f = theano.function([x, ax], [S.sort(x, ax, "mergesort"), S.argsort(x, ax)])
    for a in (0, 1):
        s, i = f(M, a)
        np.testing.assert_array_equal(s, np.sort(M, a))
        np.testing.assert_array_equal(i, np.argsort(M, a))
        assert i.dtype == "int64"
    with pytest.raises(ValueError, match="integer or None"):
        f(M, 0.5)


def test_sort_op_identity_and_str():
    assert S.SortOp("mergesort", []) == S.SortOp("mergesort", [])
    assert S.SortOp("mergesort", []) != S.SortOp("quicksort", [])
    assert S.ArgSortOp("quicksort") != S.SortOp("quicksort")
    assert str(S.SortOp("quicksort")) == "SortOp{quicksort, None}"
    assert type(S.sort(T.dvector()).owner.op).__module__ == "theano.tensor.sort"


def test_sort_gradient():
    x = T.dmatrix()
    g = T.grad((S.sort(x, 1) * np.array([1., 2., 3.])).sum(), x)
    # Theano 1.0.5: each output gradient goes back to the entry it came from.
    assert theano.function([x], g)(M).tolist() == [[3., 1., 2.], [2., 3., 1.]]
    rng = np.random.RandomState(0)
    for axis in (None, 0, -1, 2):
        verify_grad(lambda v, a=axis: S.sort(v, a), [rng.rand(2, 3, 4)], rng=rng)
    # argsort: integer output, zero gradient
    verify_grad(lambda v: S.argsort(v, -1), [rng.rand(2, 3)], rng=rng)


def test_sort_second_order_gradient():
    rng = np.random.RandomState(1)
    x = T.dvector()
    w = theano.shared(rng.rand(5))
    g = T.grad((S.sort(x) * w).sum() ** 2, x)
    verify_grad(lambda v: T.grad((S.sort(v) * w).sum() ** 2, v), [rng.rand(5)], rng=rng)
    assert theano.function([x], g)(rng.rand(5)).shape == (5,)


def test_sort_infer_shape_does_not_sort():
    x = T.dmatrix()
    for out, shp in ((S.sort(x), (10, 40)), (S.sort(x, None), (400,))):
        f = theano.function([x], out.shape, mode=FAST_RUN)
        assert not any(isinstance(n.op, S.SortOp) for n in f.maker.fgraph.apply_nodes)
        assert tuple(f(np.zeros((10, 40)))) == shp


def test_topk_argtopk_and_their_single_output_nodes():
    v = T.dvector()
    xv = np.array([4., 9., 1., 7.])
    fk = theano.function([v], S.topk(v, 2, sorted=False))
    fa = theano.function([v], S.argtopk(v, -2, sorted=False, idx_dtype="int32"))
    assert sorted(fk(xv)) == [7., 9.]
    assert sorted(fa(xv)) == [0, 2] and fa(xv).dtype == "int32"
    for f in (fk, fa):
        (node,) = [n for n in f.maker.fgraph.apply_nodes if isinstance(n.op, S.TopKOp)]
        assert len(node.outputs) == 1
    vals, idx = S.topk_and_argtopk(v, 1, axis=None, sorted=False)
    fv = theano.function([v], [vals, idx])
    assert [a.tolist() for a in fv(xv)] == [[9.], [1]]
    g = T.grad((S.topk(v, -2, sorted=False) ** 2).sum(), v)
    assert theano.function([v], g)(xv).tolist() == [8., 0., 2., 0.]
    rng = np.random.RandomState(2)
    verify_grad(lambda a: S.topk(a, 2, axis=0, sorted=False), [rng.rand(5, 3)], rng=rng)
    with pytest.raises(NotImplementedError, match="sorted=False"):
        S.topk(v, 1)
    with pytest.raises(ValueError, match="Neither"):
        S.TopKOp(sorted=False, return_values=False, return_indices=False)


def test_local_useless_topk_keeps_the_used_output():
    v = T.dvector()
    node = S.TopKOp(sorted=False)(v, 2)[1].owner
    fg = FunctionGraph([v], [node.outputs[1]])
    node = fg.outputs[0].owner
    rule = as_rule(S.local_useless_topk)
    (new,) = rule(fg, node).values()
    assert new.owner.op.return_indices and not new.owner.op.return_values
