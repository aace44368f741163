"""Scalar semantics of Theano 1.0.5 that NumPy does not share (fuzzer findings F1, F3, F6,
F11): clip's definition, the dtype of a NaN literal, C integer powers, and C's pow at
x ** 0.5.  The expected values were recorded from Theano 1.0.5 (FAST_RUN, FAST_COMPILE
and optimizer=None agreed unless said otherwise) with a script of this shape, run under
../shared/tools/theano-ref:

    x, lo, hi = T.dvectors('x', 'lo', 'hi')
    out = T.clip(x, lo, hi)
    f = theano.function([x, lo, hi], [out, 1 / out] + T.grad(out.sum(), [x, lo, hi]))
    print([list(r) for r in f(X, L, H)])
    a, b = T.bvectors('a', 'b'); print(list(theano.function([a, b], a ** b)(A, B)))
    print((T.fvector() + float('nan')).dtype)
"""

import numpy as np
import pytest
import theano.tensor as T
from theano.compile.mode import Mode

import theano

MODES = ["FAST_RUN", "FAST_COMPILE", Mode(optimizer=None)]
NAN, INF = np.nan, np.inf


def same(got, want):
    """Equal values, NaN where NaN is due, and the same sign of every zero."""
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)
    if got.dtype.kind == "f":
        num = ~np.isnan(want)  # (a NaN's sign bit is not part of the semantics)
        assert np.array_equal(np.signbit(got[num]), np.signbit(want[num])), (got, want)


# ----------------------------------------------------------------------------- clip

X = [0.0, 5.0, NAN, -5.0, 2.0, 1.0, 3.0, 2.0, 0.0, 1.0, NAN, -0.0, 0.0]
LO = [3.0, 3.0, 3.0, 3.0, 3.0, 1.0, 1.0, NAN, 0.0, 1.0, 0.0, 0.0, -0.0]
HI = [1.0, 1.0, 1.0, 1.0, 1.0, 3.0, 3.0, 1.0, NAN, 1.0, 1.0, 1.0, 1.0]
# Theano 1.0.5: x < lo ? lo : (x > hi ? hi : x) per element
CLIP = [3.0, 1.0, NAN, 3.0, 3.0, 1.0, 3.0, 1.0, 0.0, 1.0, NAN, -0.0, 0.0]
G_X = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0]
G_LO = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
G_HI = [0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_clip_is_theanos_definition_with_its_gradient(mode):
    x, lo, hi = T.dvectors("x", "lo", "hi")
    out = T.clip(x, lo, hi)
    f = theano.function([x, lo, hi], [out] + T.grad(out.sum(), [x, lo, hi]), mode=mode)
    got = f(np.array(X), np.array(LO), np.array(HI))
    for g, want in zip(got, [CLIP, G_X, G_LO, G_HI]):
        same(g, np.array(want))


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_clip_with_constant_bounds(mode):
    x = T.dvector("x")
    f = theano.function([x], [T.clip(x, 3, 1), T.clip(x, 0, 1), T.clip(x, 1, x) * 2,
                              T.clip(1.0, 0, x)], mode=mode)
    v = np.array([0.0, 5.0, NAN, -5.0, 2.0, -0.0, 0.5])
    lo_gt_hi, unit, self_hi, nan_hi = f(v)
    same(lo_gt_hi, np.array([3.0, 1.0, NAN, 3.0, 3.0, 3.0, 3.0]))
    # ordered scalar bounds run as max/min: x = -0.0 at lo = 0 stays -0.0, NaN stays NaN
    same(unit, np.array([0.0, 1.0, NAN, 0.0, 1.0, -0.0, 0.5]))
    same(self_hi, np.array([2.0, 10.0, NAN, 2.0, 4.0, 2.0, 2.0]))
    # 1 > hi ? hi : 1, so T.clip(1., 0, nan) = 1
    same(nan_hi, np.array([0.0, 1.0, 1.0, -5.0, 1.0, -0.0, 0.5]))


def test_clip_of_integers_and_bools():
    i = T.ivector("i")
    b = T.bvector("b")
    f = theano.function([i, b], [T.clip(i, 5, -5), T.clip(i, b, 2)])
    c1, c2 = f(np.array([-7, 0, 7], "int32"), np.array([3, -1, 1], "int8"))
    same(c1, np.array([5, 5, -5], "int32"))  # 7 is not < 5, and > -5: -5
    same(c2, np.array([3, 0, 2], "int32"))


# ----------------------------------------------------------------------------- literals


@pytest.mark.parametrize("value,f32,i32,i8", [
    (float("nan"), "float64", "float64", "float64"),
    (float("inf"), "float32", "float64", "float32"),
    (float("-inf"), "float32", "float64", "float32"),
    (-0.0, "float32", "float64", "float32"),
    (0.1, "float64", "float64", "float64"),
    (1e40, "float64", "float64", "float64"),
])
def test_float_literal_dtypes(value, f32, i32, i8):
    if theano.config.floatX != "float64":
        pytest.skip("recorded with floatX=float64")
    assert (T.fvector() + value).dtype == f32
    assert (T.ivector() + value).dtype == i32
    assert (T.bvector() + value).dtype == i8
    assert T.constant(value).dtype == i8  # the literal's own dtype


# ----------------------------------------------------------------------------- pow


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_integer_power_is_c_pow_truncated(mode):
    a, b = T.bvectors("a", "b")
    f = theano.function([a, b], [a ** b, (a ** b) * a], mode=mode)
    av = np.array([2, 2, 0, -2, 3, 1, -1, -1, 1, -3, 0, 2, 5, 0], "int8")
    bv = np.array([3, -1, -1, 3, 0, -5, -5, -4, -1, -1, -2, 7, 4, 0], "int8")
    p, fused = f(av, bv)
    want = np.array([8, 0, 0, -8, 1, 1, -1, 1, 1, 0, 0, -128, 113, 1], "int8")
    same(p, want)
    same(fused, want * av)
    r = theano.function([a], 2 ** a, mode=mode)(np.array([2, -1, 0, 10, 7, -128], "int8"))
    same(r, np.array([4, 0, 1, 0, -128, 0], "int8"))


@pytest.mark.parametrize("dtype,zero_neg", [("int8", 0), ("int16", 0),
                                            ("int32", -2 ** 31), ("int64", -2 ** 63)])
def test_integer_power_of_zero_by_a_negative_exponent(dtype, zero_neg):
    # (T)(double)inf as x86 gave it in Theano's C code
    i, j = T.vector("i", dtype=dtype), T.vector("j", dtype=dtype)
    f = theano.function([i, j], i ** j)
    r = f(np.array([0, 0, 0, -1, -1, 1, 2], dtype), np.array([-1, -2, -3, -3, -2, -9, 5], dtype))
    same(r, np.array([zero_neg] * 3 + [-1, 1, 1, 32], dtype))


def test_mixed_integer_powers():
    u, b = T.vector("u", dtype="uint8"), T.bvector("b")
    bb = T.vector("bb", dtype="bool")
    f = theano.function([u, b, bb], [u ** b, bb ** b])
    r1, r2 = f(np.array([2, 1, 0], "uint8"), np.array([-1, -1, 3], "int8"),
               np.array([True, False, True]))
    same(r1, np.array([0, 1, 0], "int16"))
    same(r2, np.array([1, 0, 1], "int8"))


POW_X = [-INF, INF, -0.0, 0.0, -1.0, 4.0, NAN]
# C pow: (-inf) ** 0.5 = +inf and (-0.0) ** 0.5 = +0.0 (NumPy 2 takes sqrt for a scalar 0.5)
POW_05 = [INF, INF, 0.0, 0.0, NAN, 2.0, NAN]


@pytest.mark.parametrize("mode", ["FAST_COMPILE", Mode(optimizer=None)], ids=str)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_pow_half_is_c_pow(mode, dtype):
    # (FAST_RUN rewrites x ** 0.5 to sqrt(x), as Theano did: NaN at -inf there)
    x = T.vector("x", dtype=dtype)
    f = theano.function([x], [x ** 0.5, x ** -0.5], mode=mode)
    half, mhalf = f(np.array(POW_X, dtype))
    same(half, np.array(POW_05, dtype))
    same(mhalf, np.array([0.0, 0.0, INF, INF, NAN, 0.5, NAN], dtype))


@pytest.mark.parametrize("mode", MODES, ids=str)
def test_pow_by_a_variable_half(mode):
    x, s = T.dvector("x"), T.dscalar("s")
    f = theano.function([x, s], [x ** s, (x ** s) * 2.0 + 1.0, (x - 1.0) ** s], mode=mode)
    p, fused, shifted = f(np.array(POW_X), 0.5)
    same(p, np.array(POW_05))
    same(fused, np.array(POW_05) * 2.0 + 1.0)
    # fused, pow may write over its own input (out=): -inf is recognised before that
    same(shifted, np.array([INF, INF, NAN, NAN, NAN, np.sqrt(3.0), NAN]))
    m, e = T.dmatrix("m"), T.dvector("e")
    f2 = theano.function([m, s, e], [m ** s, m ** e.dimshuffle(0, "x")], mode=mode)
    mv = np.array([[-INF, -0.0, 4.0], [-INF, -0.0, 3.0]])
    by_scalar, by_column = f2(mv, 0.5, np.array([0.5, 2.0]))
    same(by_scalar, np.array([[INF, 0.0, 2.0], [INF, 0.0, np.sqrt(3.0)]]))
    same(by_column, np.array([[INF, 0.0, 2.0], [INF, 0.0, 9.0]]))
