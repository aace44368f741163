"""theano_compat/tensor/rewrites/blas.py: FAST_RUN puts Theano 1.0.5's BLAS Ops in the
graph (Gemm, Gemv, Ger, _dot22, _dot22scalar) where Theano did, with the same values
(NumPy references), and never overwrites a graph input."""

from __future__ import annotations

import numpy as np

import theano
import theano.tensor as T
from theano.tensor import blas as B
from theano.tensor import blas_scipy as BS
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

RNG = np.random.RandomState(42)


def ops_of(f):
    return [n.op for n in f.maker.fgraph.toposort()]


def test_scaled_sum_with_a_product_becomes_one_gemm():
    x, y, z = T.dmatrices(3)
    a, b = T.dscalars(2)
    f = theano.function([x, y, z, a, b], a * T.dot(x, y) - b * z, mode=FAST_RUN)
    ops = ops_of(f)  # one Gemm (and -b, a scalar node)
    assert ops.count(B.gemm_no_inplace) == 1 and len(ops) == 2
    xv, yv, zv = RNG.rand(4, 3), RNG.rand(3, 5), RNG.rand(4, 5)
    z0 = zv.copy()
    np.testing.assert_allclose(f(xv, yv, zv, 2., 0.5), 2 * xv.dot(yv) - 0.5 * z0)
    assert (zv == z0).all()  # a graph input is never overwritten


def test_no_gemm_when_the_product_is_read_elsewhere():
    x, y, z = T.dmatrices(3)
    d = T.dot(x, y)
    f = theano.function([x, y, z], [z + d, 2 * d], mode=FAST_RUN)
    ops = ops_of(f)
    assert B._dot22 in ops and not any(isinstance(op, B.Gemm) for op in ops)
    xv, yv, zv = RNG.rand(2, 3), RNG.rand(3, 2), RNG.rand(2, 2)
    r1, r2 = f(xv, yv, zv)
    np.testing.assert_allclose(r1, zv + xv.dot(yv))
    np.testing.assert_allclose(r2, 2 * xv.dot(yv))


def test_matrix_vector_products_become_gemv_and_beta_0_ignores_nan():
    A = T.dmatrix()
    x, y = T.dvectors(2)
    a = T.dscalar()
    f = theano.function([A, x], T.dot(A, x), mode=FAST_RUN)
    assert B.gemv_inplace in ops_of(f) and not any(isinstance(o, T.Dot) for o in ops_of(f))
    Av, xv = RNG.rand(3, 2), RNG.rand(2)
    np.testing.assert_allclose(f(Av, xv), Av.dot(xv))
    np.testing.assert_allclose(f(Av[::-1, ::-1], xv), Av[::-1, ::-1].dot(xv))
    g = theano.function([A, x, y, a], a * y + T.dot(A, x), mode=FAST_RUN)
    assert [type(o) for o in ops_of(g)] == [B.Gemv]
    # Theano 1.0.5's value: beta == 0 does not read y (0 * NaN would be NaN).
    assert g(np.ones((3, 1)), np.ones(1), np.full(3, np.nan), 0.).tolist() == [1., 1., 1.]


def test_outer_products_become_ger():
    A = T.dmatrix()
    x, y = T.dvectors(2)
    f = theano.function([x, y], T.outer(x, y), mode=FAST_RUN)
    assert BS.scipy_ger_inplace in ops_of(f)
    xv, yv = np.array([1., 2.]), np.array([1.5, 2.7, 3.9])
    np.testing.assert_allclose(f(xv, yv), np.outer(xv, yv))
    g = theano.function([A, x, y], A + 0.1 * T.outer(x, y), mode=FAST_RUN)
    assert BS.scipy_ger_no_inplace in ops_of(g)
    Av = np.ones((2, 3))
    np.testing.assert_allclose(g(Av, xv, yv), 1 + 0.1 * np.outer(xv, yv))
    assert (Av == 1).all()
    mode = FAST_RUN.excluding("scipy_blas")
    h = theano.function([A, x, y], A + T.outer(x, y), mode=mode)
    assert B.ger in ops_of(h)


def test_dot22scalar_and_the_exclusion_tags():
    x, y, c = T.dmatrices(3)
    f = theano.function([x, y, c], c * 0.2 * x * T.dot(x, y), mode=FAST_RUN)
    assert B._dot22scalar in ops_of(f)
    xv, yv, cv = RNG.rand(3, 3), RNG.rand(3, 3), RNG.rand(3, 3)
    np.testing.assert_allclose(f(xv, yv, cv), cv * 0.2 * xv * xv.dot(yv))
    off = theano.function([x, y], T.dot(x, y),
                          mode=FAST_RUN.excluding("BlasOpt"))
    assert [type(o) for o in ops_of(off)] == [T.Dot]
    keep = theano.function([x, y], T.dot(x, y), mode="FAST_COMPILE")
    assert [type(o) for o in ops_of(keep)] == [T.Dot]


def test_in_place_forms_only_on_intermediates():
    x, y, z = T.dmatrices(3)
    v = T.dvector()
    f = theano.function([x, y, z], T.exp(z) + T.dot(x, y), mode=FAST_RUN)
    assert B.gemm_inplace in ops_of(f)  # exp(z) is the graph's own intermediate
    xv, yv, zv = RNG.rand(2, 3), RNG.rand(3, 2), RNG.rand(2, 2)
    np.testing.assert_allclose(f(xv, yv, zv), np.exp(zv) + xv.dot(yv))
    g = theano.function([x, v], [T.dot(x, v)],
                        mode=FAST_RUN.excluding("inplace"))
    assert B.gemv_no_inplace in ops_of(g) and B.gemv_inplace not in ops_of(g)


def test_in_place_gemm_on_a_mutable_input_writes_into_the_callers_array():
    # Theano's just_gemm: z given as In(mutable=True) is gemm_inplace's own z (also
    # through a transpose); an ordinary input still is not.
    x, y, z = T.dmatrices(3)
    a = T.dscalar()
    ins = [theano.In(v, mutable=True) for v in (x, y, z)] + [a]
    f = theano.function(ins, 2.0 * z + a * T.dot(x, y), mode=FAST_RUN)
    assert B.gemm_inplace in ops_of(f)
    xv, yv, zv = RNG.rand(2, 3), RNG.rand(3, 4), RNG.rand(2, 4)
    want = 2.0 * zv + 0.5 * xv.dot(yv)
    zarg = zv.copy()
    np.testing.assert_allclose(f(xv, yv, zarg, 0.5), want, rtol=1e-14)
    np.testing.assert_allclose(zarg, want, rtol=1e-14)  # overwritten, as Theano did
    ft = theano.function(ins, 2.0 * z.T + a * T.dot(y.T, x.T), mode=FAST_RUN)
    assert B.gemm_inplace in ops_of(ft)
    np.testing.assert_allclose(ft(xv, yv, zv.copy(), 0.5), want.T, rtol=1e-14)
    g = theano.function([x, y, z, a], 2.0 * z + a * T.dot(x, y), mode=FAST_RUN)
    assert B.gemm_inplace not in ops_of(g)
    zarg = zv.copy()
    g(xv, yv, zarg, 0.5)
    np.testing.assert_array_equal(zarg, zv)


def test_outer_product_graph_is_theanos_and_its_zeros_are_refilled_each_call():
    # Theano 1.0.5: Shape_i{0}(x) (shared), Alloc, ScipyGer{destructive} straight on the
    # Alloc (no copy: Alloc gives a new array each call), then the elementwise nodes.
    x = T.dvector("x")
    o = T.outer(x, x)
    f = theano.function([x], T.log(o) * o, mode=FAST_RUN.excluding(
        "local_elemwise_fusion"))
    names = sorted(type(n.op).__name__ for n in f.maker.fgraph.apply_nodes)
    assert names == ["Alloc", "Elemwise", "Elemwise", "ScipyGer", "Shape_i"], names
    (shape_node,) = [n for n in f.maker.fgraph.apply_nodes if type(n.op).__name__ == "Shape_i"]
    assert shape_node.inputs[0] is x
    for v in ([1.0, 2.0], [1.0, 3.0], [0.5, 0.25]):
        v = np.array(v)
        np.testing.assert_allclose(f(v), np.log(np.outer(v, v)) * np.outer(v, v))
