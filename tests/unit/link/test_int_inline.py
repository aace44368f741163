"""0-d integer Elemwise nodes computed on Python ints (link/int_inline.py) give NumPy's
results exactly: wrapped values (through the NumPy path), floor division and modulo of
negative numbers, booleans, mixed dtypes, and the zero-divisor error."""

import itertools

import numpy as np
import pytest
import theano
import theano.tensor as T

from theano_compat.link import codegen, int_inline
from tests.support.modes import FAST_RUN

NO_REWRITES = theano.compile.mode.Mode(optimizer=None)
INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def _edges(dtype):
    if dtype == "bool":
        return [False, True]
    info = np.iinfo(dtype)
    values = {0, 1, 2, 3, 7, int(info.max), int(info.max) - 1, int(info.min),
              int(info.min) + 1, 100, 200}
    if info.min < 0:
        values |= {-1, -2, -3, -7, -100}
    return sorted(v for v in values if info.min <= v <= info.max)


def _int_nodes(f):
    glob = f.maker.program._glob
    return [k for k in glob if k.startswith("op")
            and getattr(glob[k], "__name__", "") == "_int_node"]


def _reference(fn, *args):
    with np.errstate(all="ignore"):
        return fn(*args)


def _check(f, ref, dtypes, pairs):
    for values in pairs:
        args = [np.asarray(v, dtype=d) for v, d in zip(values, dtypes)]
        if ref in (np.floor_divide, np.remainder) and values[-1] == 0:
            with pytest.raises(ZeroDivisionError):  # Theano's C code; NumPy would give 0
                f(*args)
            continue
        want = _reference(ref, *[x[()] for x in args])
        with np.errstate(all="ignore"):
            got = f(*args)
        assert got.dtype == np.asarray(want).dtype, (values, got, want)
        assert got == want, (values, dtypes, got, want)


BINARY = [(T.add, np.add), (T.sub, np.subtract), (T.mul, np.multiply),
          (T.int_div, np.floor_divide), (T.mod, np.remainder),
          (T.lt, np.less), (T.gt, np.greater), (T.le, np.less_equal),
          (T.ge, np.greater_equal), (T.eq, np.equal), (T.neq, np.not_equal),
          (T.minimum, np.minimum), (T.maximum, np.maximum)]


@pytest.mark.parametrize("dtype", INTS + ["bool"])
@pytest.mark.parametrize("op,ref", BINARY, ids=[r.__name__ for _, r in BINARY])
def test_binary_op_equals_numpy(op, ref, dtype):
    if dtype == "bool" and ref in (np.subtract, np.floor_divide, np.remainder):
        pytest.skip("NumPy refuses or Theano's dtype rule refuses bool operands")
    a, b = T.scalar(dtype=dtype), T.scalar(dtype=dtype)
    f = theano.function([a, b], op(a, b), mode=NO_REWRITES)
    assert _int_nodes(f), f.maker.program.source
    edges = _edges(dtype)
    _check(f, ref, [dtype, dtype], itertools.product(edges, edges))


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("op,ref", [(T.neg, np.negative), (abs, np.absolute)],
                         ids=["neg", "abs"])
def test_unary_op_equals_numpy(op, ref, dtype):
    a = T.scalar(dtype=dtype)
    f = theano.function([a], op(a), mode=NO_REWRITES)
    assert _int_nodes(f)
    _check(f, ref, [dtype], [(v,) for v in _edges(dtype)])


def test_known_values():
    """Hand-checked values: NumPy's floor division and modulo (sign of the divisor),
    int8 wrap-around (the NumPy path), a bool sum (logical or)."""
    a, b = T.lscalars("a", "b")
    c, d = T.bscalars("c", "d")
    p, q = T.scalar(dtype="bool"), T.scalar(dtype="bool")
    f = theano.function([a, b, c, d, p, q], [a // b, a % b, c + d, c * d, p + q, -c],
                        mode=NO_REWRITES)
    assert len(_int_nodes(f)) == 6
    out = f(-7, 2, 100, 100, True, True)
    assert [int(o) for o in out] == [-4, 1, -56, 16, 1, -100]
    assert [o.dtype for o in out] == [np.int64, np.int64, np.int8, np.int8, np.bool_, np.int8]
    out = f(7, -2, -128, -1, False, True)
    assert [int(o) for o in out] == [-4, -1, 127, -128, 1, -128]


@pytest.mark.parametrize("src,dst", [(s, d) for s in INTS + ["bool"] for d in INTS + ["bool"]
                                     if s != d])
def test_cast_equals_numpy(src, dst):
    a = T.scalar(dtype=src)
    f = theano.function([a], T.cast(a, dst), mode=NO_REWRITES)
    assert _int_nodes(f)
    for v in _edges(src):
        got = f(np.asarray(v, dtype=src))
        want = np.asarray(v, dtype=src).astype(dst)
        assert got.dtype == want.dtype and got == want, (v, got, want)


def test_mixed_dtypes_and_switch():
    c = T.scalar(dtype="bool")
    i8, u8, i64 = T.bscalar("i8"), T.scalar(dtype="uint8"), T.lscalar("i64")
    outs = [i8 + i64, u8 < i8, T.switch(c, i8, u8), T.switch(i64, u8, i8) * i8,
            T.minimum(u8, i8), i64 // u8, i8 % u8]
    f = theano.function([c, i8, u8, i64], outs, mode=NO_REWRITES)
    assert len(_int_nodes(f)) == len(outs) + 1  # (the switch's product: two nodes)
    refs = [lambda c, a, u, n: np.add(a, n), lambda c, a, u, n: np.less(u, a),
            lambda c, a, u, n: np.where(c, a, u)[()],
            lambda c, a, u, n: np.multiply(np.where(n, u, a)[()], a),
            lambda c, a, u, n: np.minimum(u, a), lambda c, a, u, n: np.floor_divide(n, u),
            lambda c, a, u, n: np.remainder(a, u)]
    for cv, a, u, n in itertools.product([False, True], [-128, -5, 0, 3, 127], [1, 7, 255],
                                         [-2 ** 63, -9, 0, 4, 2 ** 63 - 1]):
        args = [np.bool_(cv), np.int8(a), np.uint8(u), np.int64(n)]
        got = f(*args)
        for g, ref in zip(got, refs):
            want = _reference(ref, *args)
            assert g.dtype == np.asarray(want).dtype and g == want, (args, g, want)


def test_zero_divisor_raises_as_the_numpy_path():
    a, b = T.lscalars("a", "b")
    for out in [a // b, a % b, T.switch(T.lt(a, 0), a // b, a)]:  # (both sides evaluated)
        f = theano.function([a, b], out, mode=NO_REWRITES)
        assert _int_nodes(f)
        with pytest.raises(ZeroDivisionError, match="by zero"):
            f(5, 0)


def test_fused_integer_composite():
    a, b, n = T.lscalars("a", "b", "n")
    out = T.switch(T.lt(a, 0), a + n, a) - T.minimum(b, n) // 2 % 3 * T.maximum(a, -b)
    f = theano.function([a, b, n], out, mode=FAST_RUN)
    assert _int_nodes(f)
    rng = np.random.RandomState(0)
    for a_, b_, n_ in rng.randint(-50, 50, size=(200, 3)):
        want = (a_ + n_ if a_ < 0 else a_) - (min(b_, n_) // 2) % 3 * max(a_, -b_)
        assert f(a_, b_, n_) == want
    # int64 overflow of an intermediate: NumPy's wrapped value (through the NumPy path)
    big = 2 ** 62
    got = theano.function([a, b], a * 4 + b, mode=FAST_RUN)(big, 1)
    with np.errstate(all="ignore"):
        assert got == np.int64(big) * np.int64(4) + np.int64(1)
        assert got == 1  # (2**64 wraps to 0)


def test_source_checks_ranges_and_inlines_constants():
    a = T.bscalar("a")
    f = theano.function([a], T.switch(T.lt(a, 3), a + 1, a), mode=FAST_RUN)
    names = _int_nodes(f)
    assert len(names) == 1
    text = f.maker.program._glob[names[0]].source
    assert "(x0 < 3)" in text and "-128 <= " in text  # constant inlined, a + 1 checked
    assert [int(f(v)) for v in (-128, 2, 3, 127)] == [-127, 3, 3, 127]


def test_float_nodes_are_not_taken():
    x, i = T.dscalar("x"), T.lscalar("i")
    f = theano.function([x, i], [x * 2, T.cast(i, "float64") + 1, i / 2], mode=NO_REWRITES)
    assert not _int_nodes(f)
    v = T.lvector("v")
    g = theano.function([v], v + 1, mode=NO_REWRITES)  # (not 0-d)
    assert not _int_nodes(g)


def _reversed_scan_grad():
    x = T.dmatrix("x")
    w = T.dvector("w")
    h, _ = theano.scan(lambda x_t, h_tm1: T.tanh(x_t * w + h_tm1), sequences=x[::-1],
                       outputs_info=T.zeros_like(w))
    cost = (h ** 2).sum() + h[-1].sum()
    return theano.function([x, w], [cost] + theano.grad(cost, [x, w]), mode=FAST_RUN)


def _hand_reversed_scan_grad(x, w):
    xs = x[::-1]
    hs, h = [], np.zeros_like(w)
    for x_t in xs:
        h = np.tanh(x_t * w + h)
        hs.append(h)
    hs = np.array(hs)
    cost = (hs ** 2).sum() + hs[-1].sum()
    g_h = 2 * hs
    g_h[-1] += 1
    gx, gw, carry = np.zeros_like(xs), np.zeros_like(w), np.zeros_like(w)
    for t in range(len(xs) - 1, -1, -1):
        g = (g_h[t] + carry) * (1 - hs[t] ** 2)
        gx[t] = g * w
        gw += g * xs[t]
        carry = g
    return [cost, gx[::-1], gw]


def test_reversed_slice_scan_gradient(monkeypatch):
    rng = np.random.RandomState(1)
    x, w = rng.randn(7, 3) * 0.5, rng.randn(3) * 0.5
    f = _reversed_scan_grad()
    assert _int_nodes(f)  # the slice index arithmetic runs on Python ints
    got = f(x, w)
    for g, want in zip(got, _hand_reversed_scan_grad(x, w)):
        np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-12)
    monkeypatch.setattr(codegen, "int_runner", lambda node, fallback: fallback)
    plain = _reversed_scan_grad()
    assert not _int_nodes(plain)
    for g, p in zip(got, plain(x, w)):
        assert np.array_equal(g, p)
    for n in (1, 2):  # short sequences: other branches of the bound arithmetic
        for g, p in zip(f(x[:n], w), plain(x[:n], w)):
            assert np.array_equal(g, p)


def test_module_declares_no_fallback_for_unsupported():
    fallback = object()
    a = T.dscalar("a")
    node = (a + 1).owner
    assert int_inline.int_runner(node, fallback) is fallback
    assert not int_inline.supported(node)
