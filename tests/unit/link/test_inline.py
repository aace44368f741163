"""Nodes written out as expressions (link/inline.py): views, shapes and sums without a
runner call, constants passed as float64 where NumPy's loop is float64 anyway, and 0-d
arrays read in place of their broadcast (1,)-shaped views."""

import numpy as np
import pytest

import theano
import theano.tensor as T

from tests.support.modes import FAST_RUN

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
    # FAST_RUN: the constants are read by fused loops over float64 arrays
    f = theano.function([z, y], [pred, (1 - y) * z], mode=FAST_RUN)     # an int8 1
    consts = [v for k, v in f._glob.items() if k.startswith("k")]
    assert consts and all(c.dtype == np.float64 for c in consts if hasattr(c, "dtype"))
    zv, yv = rng.randn(10), rng.randint(0, 2, 10).astype("float64")
    got = f(zv, yv)
    np.testing.assert_array_equal(got[0], 1 / (1 + np.exp(-zv)) > np.float32(0.5))
    np.testing.assert_array_equal(got[1], (1 - yv) * zv)


def test_broadcast_scalar_read_as_its_0d_array():
    x, b = T.dvector("x"), T.dscalar("b")
    # FAST_RUN: exp(x) + b fused into one Composite reading b.dimshuffle('x')
    f = theano.function([x, b], T.exp(x) + b, mode=FAST_RUN)
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


def test_vector_size_checks_compare_sizes_and_still_refuse_broadcasting():
    # Theano's size rule: a non-broadcastable length-1 vector does not stretch (NumPy's
    # broadcasting would); the vectors' test compares .size, the matrices' .shape.
    a, b = T.dvectors("a", "b")
    f = theano.function([a, b], T.exp(a) * b, mode=FAST_RUN)
    src = f.maker.program.source
    assert "i0.size != i1.size" in src and ".shape != " not in src
    av, bv = rng.randn(5), rng.randn(5)
    np.testing.assert_array_equal(f(av, bv), np.exp(av) * bv)
    for left, right in ((rng.randn(1), bv), (av, rng.randn(1)), (av, rng.randn(4))):
        with pytest.raises(ValueError, match="[Ii]nput dimension mis-match"):
            f(left, right)
    m, n = T.dmatrices("m", "n")
    g = theano.function([m, n], T.exp(m) * n, mode=FAST_RUN)
    assert ".size !=" not in g.maker.program.source
    with pytest.raises(ValueError, match="[Ii]nput dimension mis-match"):
        g(rng.randn(1, 3), rng.randn(2, 3))


def test_broadcastable_vector_input_read_as_a_0d_view():
    # A (1,)-shaped, broadcastable float64 input that is not a DimShuffle of a 0-d array
    # (here an input; in the seed-1 gradient the negated -1/n): NumPy's loops over a
    # 0-d operand, the same numbers.
    x = T.dvector("x")
    r = T.TensorType("float64", (True,))("r")
    f = theano.function([x, r], T.exp(x) * r + x, mode=FAST_RUN)
    src = f.maker.program.source
    assert "i1.reshape(())" in src
    xv, rv = rng.randn(9), np.array([-0.37])
    np.testing.assert_array_equal(f(xv, rv), np.exp(xv) * rv[0] + xv)
    g = theano.function([x, r], (r * 2.0 + 1.0) * x, mode=FAST_RUN)
    np.testing.assert_array_equal(g(xv, rv), (rv * 2.0 + 1.0) * xv)


def test_a_total_read_only_as_a_python_float_stays_a_numpy_scalar():
    # (the bias step of seed 1: b - 0.1 * sum(g), computed on Python floats)
    v = T.dvector("v")
    s = theano.shared(np.float64(0.5), name="s")
    f = theano.function([v], [], updates=[(s, s - 0.1 * v.sum())], mode=FAST_RUN)
    src = f.maker.program.source
    assert "_sum_reduce(i0)" in src and "_asarray(_sum_reduce" not in src
    vv = rng.randn(6)
    f(vv)
    assert s.get_value() == 0.5 - 0.1 * np.add.reduce(vv)
    assert isinstance(s.get_value(borrow=True), np.ndarray)
    # a total that is an output stays a 0-d array
    g = theano.function([v], [v.sum(), s - 0.1 * v.sum()], mode=FAST_RUN)
    got = g(vv)
    assert isinstance(got[0], np.ndarray) and got[0].shape == ()
    assert got[0] == np.add.reduce(vv) and got[1] == s.get_value() - 0.1 * got[0]
