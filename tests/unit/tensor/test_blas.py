"""theano.tensor.blas: the BLAS Ops computed with NumPy/SciPy (values checked against
Theano 1.0.5 and NumPy), their in-place forms, BatchedDot's gradient, the gemm helpers."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.gof import FunctionGraph
from theano.gradient import verify_grad
from theano.tensor import blas as B
from theano.tensor import inplace
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

A = np.array([[1., 2., 0., -1.], [3., 0.5, 2., 2.]])


def f64(v):
    return T.constant(np.float64(v))


def test_t_blas_attribute():
    assert T.blas is B
    assert B.Gemm.__module__ == "theano.tensor.blas"
    assert str(B.gemm_inplace) == "Gemm{inplace}" and str(B.ger) == "Ger{non-destructive}"


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_gemm_values(dtype):
    rng = np.random.RandomState(0)
    z, x, y = (T.matrix(dtype=dtype) for _ in range(3))
    a, b = T.scalar(dtype=dtype), T.scalar(dtype=dtype)
    f = theano.function([z, a, x, y, b], B.gemm_no_inplace(z, a, x, y, b))
    zv, xv, yv = (rng.rand(*s).astype(dtype) for s in ((3, 4), (3, 5), (5, 4)))
    for av, bv in ((2, 0.5), (1, 0), (-1, 1), (0.5, 1), (1, 1)):
        np.testing.assert_allclose(f(zv, av, xv, yv, bv), bv * zv + av * xv.dot(yv),
                                   rtol=1e-5)
    f0 = theano.function([z, a, x, y, b], B.gemm_no_inplace(z, a, x, y, b))
    assert f0(np.zeros((0, 4), dtype), 1, np.zeros((0, 5), dtype), yv, 1).shape == (0, 4)
    # Theano 1.0.5's value (tools/theano-ref).
    z2 = T.dmatrix()
    g = theano.function([z2], B.gemm_no_inplace(z2, f64(2), f64(0) + A, A.T, f64(0.5)))
    assert g(np.ones((2, 2))).tolist() == [[12.5, 4.5], [4.5, 35.0]]


def test_gemm_inplace_overwrites_z_only():
    rng = np.random.RandomState(1)
    s = theano.shared(rng.rand(3, 4))
    x, y = T.dmatrices(2)
    z0 = s.get_value()
    f = theano.function([x, y], [], updates=[(s, B.gemm_inplace(s, f64(1), x, y, f64(2)))],
                        accept_inplace=True)
    xv, yv = rng.rand(3, 5), rng.rand(5, 4)
    f(xv, yv)
    np.testing.assert_allclose(s.get_value(), 2 * z0 + xv.dot(yv))
    node = B.gemm_inplace(s, f64(1), x, y, f64(2)).owner
    assert node.op.destroy_map == {0: [0]} and not B.gemm_no_inplace.destroy_map


def test_gemm_type_errors():
    m, s = T.dmatrix(), T.dscalar()
    with pytest.raises(TypeError, match="rank 2"):
        B.gemm_no_inplace(T.dvector(), s, m, m, s)
    with pytest.raises(TypeError, match="scalar"):
        B.gemm_no_inplace(m, m, m, m, s)
    with pytest.raises(TypeError, match="matching dtypes"):
        B.gemm_no_inplace(m, T.fscalar(), m, m, s)
    with pytest.raises(TypeError, match="floating-point"):
        B.gemm_no_inplace(T.imatrix(), T.iscalar(), T.imatrix(), T.imatrix(), T.iscalar())
    z = T.as_tensor_variable(np.random.rand(2, 2))
    for x, y in ((z, m), (m, inplace.transpose_inplace(z))):
        with pytest.raises(theano.gof.InconsistencyError, match="aliased"):
            B.gemm_inplace(z, s, x, y, s)
    B.gemm_no_inplace(z, s, z, z, s)  # only the in-place form refuses aliasing


def test_gemv_and_ger_values():
    y, v = T.dvector(), T.dvector()
    m = T.dmatrix()
    al, be = T.dscalar(), T.dscalar()
    f = theano.function([y, al, m, v, be], B.gemv_no_inplace(y, al, m, v, be))
    # Theano 1.0.5: gemv(y=[1, 2], -1, A, [1, 0, 2, 1], 3) = [3, -3].
    assert f(np.array([1., 2.]), -1., A, np.array([1., 0., 2., 1.]), 3.).tolist() == [3., -3.]
    yn = np.full(2, np.nan)
    np.testing.assert_allclose(f(yn, 1., A, np.ones(4), 0.), A.sum(1))  # beta 0: y unread
    assert np.isnan(yn).all()  # the no-inplace form leaves y alone
    fs = theano.function([y, al, m, v, be], B.gemv_no_inplace(y, al, m, v, be))
    np.testing.assert_allclose(fs(np.ones(4), 2., A.T, np.array([1., 1.]), 1.),
                               1 + 2 * A.T.sum(1))
    with pytest.raises(ValueError, match="Incompatible shapes"):
        f(np.ones(3), 1., A, np.ones(4), 1.)
    g = theano.function([m, al, v, y], B.ger(m, al, v, y))
    assert g(np.zeros((2, 3)), 2., np.array([1., -1.]), np.array([1., 2., 3.])).tolist() == \
        [[2., 4., 6.], [-2., -4., -6.]]
    with pytest.raises(TypeError, match="only float and complex"):
        B.ger(T.imatrix(), T.iscalar(), T.ivector(), T.ivector())
    with pytest.raises(TypeError, match="scalar alpha"):
        B.ger(m, v, v, v)


def test_dot22_and_dot22scalar():
    x, y = T.dmatrices(2)
    rng = np.random.RandomState(2)
    xv, yv = rng.rand(3, 4), rng.rand(4, 2)
    f = theano.function([x, y], [B._dot22(x, y), B._dot22scalar(x, y, f64(-2))])
    d, ds = f(xv, yv)
    np.testing.assert_allclose(d, xv.dot(yv))
    np.testing.assert_allclose(ds, -2 * xv.dot(yv))
    fshape = theano.function([x, y], B._dot22(x, y).shape, mode=FAST_RUN)
    assert not any(isinstance(n.op, B.Dot22) for n in fshape.maker.fgraph.apply_nodes)
    assert tuple(fshape(xv, yv)) == (3, 2)
    with pytest.raises(TypeError, match="dtype mismatch"):
        B._dot22(x, T.fmatrix())
    with pytest.raises(TypeError, match="matching dtypes"):
        B._dot22scalar(x, y, T.fscalar())
    row = T.TensorType("float64", (True, False))()
    assert B._dot22(row, y).broadcastable == (True, False)


def test_batched_dot_values_and_gradient():
    x, y = T.dtensor3(), T.dtensor3()
    bx, by = np.arange(12.).reshape(2, 2, 3), np.arange(12.).reshape(2, 3, 2) - 5
    f = theano.function([x, y], [B.batched_dot(x, y), T.grad(B.batched_dot(x, y).sum(), x)])
    out, gx = f(bx, by)
    # Theano 1.0.5's values.
    assert out.tolist() == [[[-5., -2.], [-32., -20.]], [[67., 88.], [94., 124.]]]
    assert gx.tolist() == [[[-9., -5., -1.], [-9., -5., -1.]], [[3., 7., 11.], [3., 7., 11.]]]
    rng = np.random.RandomState(3)
    for xs, ys in (((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (2, 4)), ((2, 4), (2, 4, 3)),
                   ((2, 4), (2, 4))):
        verify_grad(B.batched_dot, [rng.rand(*xs), rng.rand(*ys)], rng=rng)
    with pytest.raises(TypeError, match="ndim of 2 or 3"):
        B.batched_dot(T.dvector(), y)


def test_gemm_helpers_and_optimizer():
    x, y, z = T.dmatrices(3)
    a = T.dscalar()
    d = B._dot22(x, y)
    out = 2.0 * z + a * d
    (s1, m1), (s2, m2) = B._gemm_canonicalize(out, 1.0, [], 0)
    assert (m1, m2, s2) == (z, d, a) and float(s1.data) == 2.0
    (s3, m3), = B._gemm_canonicalize(-(3.0 * d), 1.0, [], 0)
    assert m3 is d and float(s3.eval()) == -3.0
    assert B._factor_canonicalized([(1.0, z), (2.0, z), (1.0, x)]) == [(3.0, z), (1.0, x)]
    assert B._is_real_matrix(z) and not B._is_real_matrix(T.drow())
    assert B._is_real_vector(T.dvector()) and not B._is_real_vector(z)
    assert B._as_scalar(T.dmatrix()) is None
    assert B._as_scalar(T.TensorType("int32", (True, True))(), "float64").dtype == "float64"
    assert B.res_is_a(B._dot22(x, y), B._dot22) and not B.res_is_a(x, B._dot22)
    fg = FunctionGraph([x, y, z, a], [out])
    B.GemmOptimizer().optimize(fg)
    assert any(isinstance(n.op, B.Gemm) for n in fg.apply_nodes)
    f = theano.function([x, y, z, a], fg.outputs[0])
    rng = np.random.RandomState(4)
    xv, yv, zv = rng.rand(2, 3), rng.rand(3, 2), rng.rand(2, 2)
    np.testing.assert_allclose(f(xv, yv, zv, 3.), 2 * zv + 3 * xv.dot(yv))


def test_local_optimizers_transform_nodes():
    x, y = T.dmatrices(2)
    v = T.dvector()
    (new,) = B.local_dot_to_dot22.transform(T.dot(x, y).owner)
    assert isinstance(new.owner.op, B.Dot22)
    (new,) = B.local_dot_to_dot22.transform(T.dot(x, v).owner)
    f = theano.function([x, v], new)
    rng = np.random.RandomState(5)
    xv, vv = rng.rand(2, 3), rng.rand(3)
    np.testing.assert_allclose(f(xv, vv), xv.dot(vv))
    z = T.dmatrix()
    (g,) = B.local_inplace_gemm.transform(B.gemm_no_inplace(z, f64(1), x, y, f64(1)).owner)
    assert g.owner.op == B.gemm_inplace
    col = T.dcol()
    node = B.gemm_no_inplace(col, f64(2), x, T.dcol(), f64(1)).owner
    (r,) = B.local_gemm_to_gemv.transform(node)
    assert any(isinstance(n.op, B.Gemv) for n in theano.gof.graph.io_toposort(
        node.inputs, [r]))


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
def test_gemm_through_blas_orders_strides_and_in_place(dtype):
    rng = np.random.RandomState(6)
    tol = 1e-5 if dtype == "float32" else 1e-12
    for layout in ("C", "F", "strided"):
        for xt, yt, in_place, b in [(0, 0, 0, 1), (1, 0, 1, -2), (0, 1, 0, 0), (1, 1, 1, 0)]:
            z = rng.rand(8 if layout == "strided" else 4, 5).astype(dtype)
            z = z[::2] if layout == "strided" else (np.asfortranarray(z) if layout == "F" else z)
            x, y = rng.rand(4, 3).astype(dtype), rng.rand(3, 5).astype(dtype)
            x = np.ascontiguousarray(x.T).T if xt else x
            y = np.ascontiguousarray(y.T).T if yt else y
            expected = (b * z if b else 0) + 1.5 * x.dot(y)
            if b == 0:
                z[0, 0] = np.nan  # z is not read when b == 0
            op = B.gemm_inplace if in_place else B.gemm_no_inplace
            out = op.impl(np, z, np.asarray(1.5, dtype), x, y, np.asarray(b, dtype))
            np.testing.assert_allclose(out, expected, rtol=tol)
            assert np.shares_memory(out, z) == bool(in_place)
    with pytest.raises(ValueError, match="do not agree"):
        B.gemm_no_inplace.impl(np, np.ones((2, 2)), 1., np.ones((2, 3)), np.ones((2, 2)), 1.)


def test_dot22scalar_rewrite_finds_the_scalar_in_a_product_chain():
    x, y, c = T.dmatrices(3)
    s = T.dscalar()
    for expr in (B._dot22(x, y) * s, c * (s * B._dot22(x, y)), (c * s) * x * B._dot22(x, y)):
        (new,) = B.local_dot22_to_dot22scalar.transform(expr.owner)
        ops = [n.op for n in theano.gof.graph.io_toposort([x, y, c, s], [new])]
        assert B._dot22scalar in ops and B._dot22 not in ops
        f, g = (theano.function([x, y, c, s], e, on_unused_input="ignore") for e in (new, expr))
        rng = np.random.RandomState(7)
        vals = [rng.rand(3, 3), rng.rand(3, 3), rng.rand(3, 3), 0.3]
        np.testing.assert_allclose(f(*vals), g(*vals))
    assert B.local_dot22_to_dot22scalar.transform((B._dot22(x, y) * c).owner) is None
