"""theano_compat/tensor/rewrites/shape.py: the graphs Theano 1.0.5's ShapeFeature gave
(recorded with ../shared/tools/theano-ref) and their values (NumPy)."""

import numpy as np
import theano.tensor as T
from theano.tensor import opt

import theano
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def _ops(f):
    return [type(node.op) for node in f.maker.fgraph.toposort()]


def test_shape_of_an_input_is_a_vector_of_its_dimensions():
    # theano-ref: [Shape_i{1}, Shape_i{0}, MakeVector] for a shared matrix's shape, and
    # reshape(b, d.shape) reads Shape_i{0}(d), Shape_i{1}(d) through a MakeVector (then
    # Reshape{2}, DeepCopyOp).
    w = theano.shared(np.zeros((2, 4)))
    f = theano.function([], w.shape, mode=FAST_RUN)
    assert sorted(t.__name__ for t in _ops(f)) == ["MakeVector", "Shape_i", "Shape_i"]
    np.testing.assert_array_equal(f(), [2, 4])
    b, d = T.dmatrices("bd")
    g = theano.function([b, d], T.reshape(b, d.shape), mode=FAST_RUN)
    assert [t.__name__ for t in _ops(g) if t not in (opt.Shape_i, opt.MakeVector)] == \
        ["Reshape", "DeepCopyOp"]
    bv = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(g(bv, np.zeros((3, 2))), bv.reshape(3, 2))


def test_a_vector_of_other_scalars_keeps_its_make_vector():
    # theano-ref (test_basic's test_vector_len): entries of as_tensor_variable((x, y, 9.0))
    # stay Subtensor{int64}(MakeVector{dtype='float64'}) - Theano's rule took only int64.
    x, y = T.lscalar("x"), T.dscalar("y")
    a, b, c = T.as_tensor_variable((x, y, 9.0))
    f = theano.function([x, y], [b, c, a], mode=FAST_RUN)
    assert opt.MakeVector in _ops(f)
    np.testing.assert_allclose(f(4, 5), [5.0, 9.0, 4.0])
    # A vector of shape entries (int64) is taken apart.
    m = T.dmatrix("m")
    s = T.stack([m.shape[0], m.shape[1]])[1]
    g = theano.function([m], s, mode=FAST_RUN)
    assert opt.MakeVector not in _ops(g)
    assert g(np.zeros((2, 5))) == 5
