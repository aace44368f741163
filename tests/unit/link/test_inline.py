"""Nodes written out as expressions (link/inline.py): views, shapes and sums without a
runner call, constants passed as float64 where NumPy's loop is float64 anyway, and 0-d
arrays read in place of their broadcast (1,)-shaped views."""

import numpy as np

import theano
import theano.tensor as T

rng = np.random.RandomState(11)


def _runner_lines(f):
    return [ln for ln in f.maker.program.source.splitlines() if " = op" in ln]


def test_dimshuffle_shape_and_sum_are_expressions():
    x = T.dmatrix("x")
    v = T.dvector("v")
    out = [T.dot(x.T, v), v.dimshuffle("x", 0) * x, v.shape[0] * 2.0, v.sum(),
           x.sum(axis=1)]
    f = theano.function([x, v], out)
    src = f.maker.program.source
    assert ".T" in src and "[None, :]" in src and "_sum_reduce(" in src
    assert not any("DimShuffle" in ln or "Sum" in ln or "Shape_i" in ln
                   for ln in _runner_lines(f))
    xv, v4 = rng.randn(4, 4), rng.randn(4)
    got = f(xv, v4)
    want = [xv.T @ v4, v4[None, :] * xv, 8.0, v4.sum(), xv.sum(axis=1)]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-14)
    assert got[3].shape == () and got[4].shape == (4,)


def test_mixed_dtype_constants_are_passed_as_float64():
    z, y = T.dvector("z"), T.dvector("y")
    pred = T.nnet.sigmoid(z) > np.float32(0.5)           # a float32 constant
    f = theano.function([z, y], [pred, (1 - y) * z])     # an int8 1
    consts = [v for k, v in f._glob.items() if k.startswith("k")]
    assert consts and all(c.dtype == np.float64 for c in consts if hasattr(c, "dtype"))
    zv, yv = rng.randn(10), rng.randint(0, 2, 10).astype("float64")
    got = f(zv, yv)
    np.testing.assert_array_equal(got[0], 1 / (1 + np.exp(-zv)) > np.float32(0.5))
    np.testing.assert_array_equal(got[1], (1 - yv) * zv)


def test_broadcast_scalar_read_as_its_0d_array():
    x, b = T.dvector("x"), T.dscalar("b")
    f = theano.function([x, b], T.exp(x) + b)        # b.dimshuffle('x') + exp(x)
    assert "add(p1r0, i1, " in f.maker.program.source   # b itself, not b[None]
    xv = rng.randn(5)
    np.testing.assert_allclose(f(xv, 0.25), np.exp(xv) + 0.25, rtol=1e-15)
    # the mean's gradient: 1 / n from an integer shape, read as a 0-d array
    w = T.dvector("w")
    g = theano.function([w], T.grad((w ** 2).mean(), w))
    wv = rng.randn(7)
    np.testing.assert_allclose(g(wv), 2 * wv / 7, rtol=1e-15)


def test_unread_negation_is_left_out():
    z = T.dvector("z")
    nz = -z
    f = theano.function([z], [T.nnet.softplus(nz) * 2.0, T.nnet.sigmoid(nz) + 1.0,
                              T.nnet.sigmoid(z) * 3.0])
    assert "negative(" not in f.maker.program.source.replace("_lf_neg(", "")
    zv = np.array([-40.0, -3.0, 0.0, 2.0, 35.0])
    sp = np.where(-zv > 30, -zv, np.where(-zv < -30, 0.0, np.log1p(np.exp(-zv))))
    sig = np.where(zv > 30, 1.0, np.where(zv < -30, 0.0, 1 / (1 + np.exp(-zv))))
    sig_n = np.where(-zv > 30, 1.0, np.where(-zv < -30, 0.0, 1 / (1 + np.exp(zv))))
    got = f(zv)
    np.testing.assert_allclose(got[0], sp * 2.0, rtol=1e-15)
    np.testing.assert_allclose(got[1], sig_n + 1.0, rtol=1e-15)
    np.testing.assert_allclose(got[2], sig * 3.0, rtol=1e-15)
