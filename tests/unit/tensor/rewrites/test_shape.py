"""theano_compat/tensor/rewrites/shape.py: the graphs Theano 1.0.5's ShapeFeature gave
(recorded with ../shared/tools/theano-ref) and their values (NumPy)."""

import numpy as np
import theano.tensor as T
from theano.tensor import opt

import theano
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says
from theano_compat.tensor.rewrites.shape import _reversed_view


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


def _rows(v):
    return v.reshape((v.shape[0] * v.shape[1], v.shape[2]))


def test_a_product_of_reversed_steps_reads_them_forwards():
    # sum_t a_t.T b_t of two sequences read backwards (what the gradient of a loop builds
    # for a weight: reshapes of reversed sequences, which must copy) reads both forwards:
    # the same sum, its terms in the other order, and the reshapes are views.
    a3, u3 = T.dtensor3s("a3", "u3")
    out = T.dot(_rows(a3[::-1]).T, _rows((a3 * u3)[::-1]))
    f = theano.function([a3, u3], out, mode=FAST_RUN)
    assert f.maker.fgraph.rewrite_report.applied["local_dot_of_reversed_steps"] == 1
    reshaped = [nd.inputs[0] for nd in f.maker.fgraph.toposort()
                if type(nd.op).__name__ == "Reshape"]
    assert len(reshaped) == 2 and not any(_reversed_view(v) for v in reshaped)
    rng = np.random.RandomState(3)
    av, uv = rng.randn(4, 3, 5), rng.randn(4, 3, 5)
    np.testing.assert_allclose(f(av, uv), np.einsum("tbi,tbj->ij", av, av * uv),
                               rtol=1e-13, atol=1e-14)


def test_steps_of_unproven_equal_batches_keep_their_order():
    # (6, 2, k) and (4, 3, k) have the same rows in all but not the same rows per step:
    # reversing the steps of both would pair other rows, so nothing changes.
    a3, b3 = T.dtensor3s("a3", "b3")
    out = T.dot(_rows(a3[::-1]).T, _rows(b3[::-1]))
    f = theano.function([a3, b3], out, mode=FAST_RUN)
    assert "local_dot_of_reversed_steps" not in f.maker.fgraph.rewrite_report.applied
    rng = np.random.RandomState(4)
    av, bv = rng.randn(6, 2, 5), rng.randn(4, 3, 2)
    want = av[::-1].reshape(12, 5).T @ bv[::-1].reshape(12, 2)
    np.testing.assert_allclose(f(av, bv), want, rtol=1e-13, atol=1e-14)
