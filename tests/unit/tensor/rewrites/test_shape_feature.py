"""ShapeFeature (theano_compat/tensor/rewrites/shape_feature.py): the symbolic shapes it
keeps for a graph, and same_shape."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.tensor import opt


def _attached(inputs, outputs):
    g = FunctionGraph(inputs, outputs, clone=False)
    feature = opt.ShapeFeature()
    g.attach_feature(feature)
    return g, feature


def test_same_shape_follows_elemwise_broadcasting():
    x, y = T.dvector(), T.dvector()
    o = x + y
    g, sf = _attached([x, y], [o])
    assert g.shape_feature is sf
    assert sf.same_shape(x, o) and sf.same_shape(x, o, 0, 0)
    assert not sf.same_shape(y, o)  # not proven (Theano did not prove it either)
    with pytest.raises(IndexError):
        sf.same_shape(x, o, 1, 0)


def test_shape_of_evaluates_to_the_runtime_shape():
    x = T.dmatrix("x")
    o = T.dot(x, x.T).sum(axis=0)[1:]
    g, sf = _attached([x], [o])
    shape = sf.shape_of[o]
    assert len(shape) == 1
    f = theano.function([x], shape[0])
    v = np.ones((5, 3))
    assert f(v) == len(np.dot(v, v.T).sum(axis=0)[1:])
    assert sf.shape_of[x][1].owner.op == T.Shape_i(1)


def test_shape_optimizer_attaches_and_unshape_removes():
    x = T.dvector()
    g = FunctionGraph([x], [x * 2])
    opt.ShapeOptimizer().optimize(g)
    assert isinstance(g.shape_feature, opt.ShapeFeature)
    opt.UnShapeOptimizer().optimize(g)
    assert getattr(g, "shape_feature", None) is None
