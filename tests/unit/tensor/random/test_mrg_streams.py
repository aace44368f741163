"""MRG_RandomStreams (theano.sandbox.rng_mrg) against Theano 1.0.5 and first principles.

References used here:
* golden draws recorded under the original Theano 1.0.5 (tests/golden/make_rng.py,
  make_rng_extra.py, seed3_examples): each scenario script runs unchanged under this
  package in a subprocess per floatX and must give identical JSON, bit for bit;
* the 420 values of L'Ecuyer's MRG31k3p reference (12 streams x 7 substreams x 5 draws,
  seed 12345), recorded through Theano, which the recording script checked equal to the
  output of L'Ecuyer's Java code shipped with Theano;
* a plain-Python-integer MRG31k3p written below from the published recurrences;
* exact rational arithmetic (fractions) for the fused multiply-add, and the C library
  itself (through ctypes, when it is glibc) for logf/sinf/cosf;
* moments and frequencies of large samples.
"""

import ctypes
import ctypes.util
import json
import math
import os
import platform
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
import theano.tensor as T
from theano.sandbox import rng_mrg
from theano.sandbox.rng_mrg import MRG_RandomStreams, guess_n_streams

import theano
from theano_compat.config import change_flags
from theano_compat.tensor.random import glibc_math, mrg31k3p

from tests.support.paths import GOLDEN, ROOT
FLOATX = ("float64", "float32")


def _run_script(name, floatx):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
               THEANO_FLAGS=f"floatX={floatx}")
    proc = subprocess.run([sys.executable, os.path.join(GOLDEN, name)], env=env,
                          capture_output=True, text=True, timeout=300, cwd=GOLDEN)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _load(name):
    with open(os.path.join(GOLDEN, name)) as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def golden_runs():
    """Our output of the golden scenario scripts, per (script, floatX)."""
    return {(script, fx): _run_script(script, fx)
            for script in ("make_rng.py", "make_rng_extra.py") for fx in FLOATX}


def _keys(golden_file, prefix):
    return sorted(k for k in _load(golden_file) if k.startswith(prefix))


# ----------------------------------------------------------------------------- golden


@pytest.mark.parametrize("floatx", FLOATX)
@pytest.mark.parametrize("key", _keys("rng_floatX_float64.json", "MRG_"))
def test_golden_draws_bit_exact(golden_runs, floatx, key):
    ref = _load(f"rng_floatX_{floatx}.json")[key]
    assert golden_runs[("make_rng.py", floatx)][key] == ref


@pytest.mark.parametrize("floatx", FLOATX)
@pytest.mark.parametrize("key", [k for k in _keys("rng_extra_floatX_float64.json", "MRG_")
                                 if k != "MRG_java_12_7_5_equals_lecuyer_file"])
def test_extra_golden_draws_bit_exact(golden_runs, floatx, key):
    ref = _load(f"rng_extra_floatX_{floatx}.json")[key]
    assert golden_runs[("make_rng_extra.py", floatx)][key] == ref


def test_lecuyer_reference_420_values():
    """Seed 12345, 12 streams x 7 substreams x 5 draws, through the public API."""
    ref = _load("rng_extra_floatX_float64.json")
    assert ref["MRG_java_12_7_5_equals_lecuyer_file"] is True
    rng = MRG_RandomStreams(seed=12345)
    samples = []
    for _ in range(12):
        f = theano.function([], rng.uniform(size=(7,), nstreams=7, dtype="float64"))
        samples.append(np.array([f() for _ in range(5)]).T.ravel())
    assert np.concatenate(samples).tolist() == ref["MRG_java_12_7_5"]


def _seed3_blocks():
    with open(os.path.join(GOLDEN, "seed3_examples.theano105.out")) as fh:
        lines = fh.read().splitlines()
    return {line.split()[1]: json.loads(lines[i + 1]) for i, line in enumerate(lines)
            if line.startswith("[golden] mrg_")}


def test_tutorial_examples_page_mrg_section():
    """The MRG part of the examples page (seed 234), as the tutorial suggests using it."""
    ref = _seed3_blocks()
    with change_flags(floatX="float64"):
        srng = MRG_RandomStreams(seed=234)
        rv_u = srng.uniform((2, 2))
        rv_n = srng.normal((2, 2))
        f = theano.function([], rv_u)
        g = theano.function([], rv_n, no_default_updates=True)
        nearly_zeros = theano.function([], rv_u + rv_u - 2 * rv_u)
        got = {"mrg_f_val0": f(), "mrg_f_val1": f(), "mrg_g_val0": g(), "mrg_g_val1": g(),
               "mrg_nearly_zeros": nearly_zeros(), "mrg_rstate_after": srng.rstate}
        got["mrg_binomial_p05"] = theano.function([], srng.binomial(size=(3, 4), p=0.5))()
        got["mrg_uniform_f32"] = theano.function([], srng.uniform((5,), dtype="float32"))()
        got["mrg_uniform_7_low-1_high3"] = theano.function(
            [], srng.uniform((7,), low=-1.0, high=3.0))()
        got["mrg_normal_5_avg1_std2"] = theano.function(
            [], srng.normal((5,), avg=1.0, std=2.0))()
    assert set(got) == set(ref)
    for label, value in got.items():
        assert np.asarray(value).tolist() == ref[label], label


# ----------------------------------------------------------------------------- generator


def _reference_step(state):
    """One MRG31k3p step with Python ints, from the recurrences of L'Ecuyer and Touzin."""
    a0, a1, a2, b0, b1, b2 = state
    y1 = (2**22 * a1 + (2**7 + 1) * a2) % mrg31k3p.M1
    y2 = (2**15 * b0 + (2**15 + 1) * b2) % mrg31k3p.M2
    k = y1 - y2 if y1 > y2 else y1 - y2 + mrg31k3p.M1
    return [y1, a0, a1, y2, b0, b1], k


def _reference_draw(rstate, n_elements):
    """Element i from stream i % n; k * 2**-31 (exact in float64)."""
    states = [list(map(int, row)) for row in rstate]
    out = []
    for i in range(n_elements):
        j = i % len(states)
        states[j], k = _reference_step(states[j])
        out.append(k * 2.0**-31)
    return np.array(states, dtype=np.int32), np.array(out)


@pytest.mark.parametrize("n_streams,n_elements", [(1, 9), (4, 10), (7, 7), (12, 5), (3, 0)])
def test_draw_matches_plain_recurrence(n_streams, n_elements):
    rstate = mrg31k3p.substream_states(np.array([12345] * 6, dtype=np.int32), n_streams)
    ref_state, ref = _reference_draw(rstate, n_elements)
    state, got = mrg31k3p.draw(np, rstate, n_elements, "float64")
    assert got.tolist() == ref.tolist()
    assert state.dtype == np.int32 and state.tolist() == ref_state.tolist()


def test_chunked_draw_with_few_streams_equals_sequential():
    """Few streams and many steps take the jump-ahead chunked path: same numbers."""
    rstate = mrg31k3p.substream_states(np.array([987] * 6, dtype=np.int32), 3)
    assert mrg31k3p._chunking(1201, 3)[0] > 1  # the case under test
    state, got = mrg31k3p.draw(np, rstate, 3_601, "float64")
    seq_state, parts = rstate, []
    for _ in range(1_200):
        seq_state, part = mrg31k3p.draw(np, seq_state, 3, "float64")
        parts.append(part)
    seq_state, part = mrg31k3p.draw(np, seq_state, 1, "float64")  # stream 0 only
    assert np.concatenate([*parts, part]).tolist() == got.tolist()
    assert state.tolist() == seq_state.tolist()
    _, ref = _reference_draw(rstate, 300)
    assert got[:300].tolist() == ref.tolist()


def test_jump_matrices_are_powers_of_the_step():
    assert mrg31k3p.jump_matrices(2**72) == (mrg31k3p.A1P72, mrg31k3p.A2P72)
    assert mrg31k3p.jump_matrices(2**134) == (mrg31k3p.A1P134, mrg31k3p.A2P134)
    state = [5, 6, 7, 8, 9, 10]
    stepped = list(state)
    for _ in range(37):
        stepped, _k = _reference_step(stepped)
    a1, a2 = mrg31k3p.jump_matrices(37)
    assert mrg31k3p.jump(np, np.array([state]), a1, a2)[0].tolist() == stepped


def test_legacy_helpers():
    s = np.array([12345] * 6, dtype=np.int32)
    assert rng_mrg.ff_2p72(s).tolist() == mrg31k3p.substream_states(s, 2)[1].tolist()
    assert rng_mrg.multMatVect(s, rng_mrg.A1p134, rng_mrg.M1, rng_mrg.A2p134,
                               rng_mrg.M2).tolist() == rng_mrg.ff_2p134(s).tolist()
    A, v, m = T.lmatrix(), T.ivector(), T.iscalar()  # noqa: N806 - Theano's names
    a2, s2, m2 = T.lmatrix(), T.ivector(), T.iscalar()
    f = theano.function([A, v, m, a2, s2, m2], rng_mrg.DotModulo()(A, v, m, a2, s2, m2))
    got = f(rng_mrg.A1p72, s[:3], int(rng_mrg.M1), rng_mrg.A2p72, s[3:], int(rng_mrg.M2))
    assert got.tolist() == rng_mrg.ff_2p72(s).tolist()
    new = np.zeros(6, dtype=np.int32)
    value = rng_mrg.mrg_next_value(s, new, rng_mrg.NORM, 0xFFFFFFFF, 0)
    ref_state, k = _reference_step([12345] * 6)
    assert new.tolist() == ref_state and value == k * 2.0**-31


def test_float32_conversion_is_float32_arithmetic():
    """float32(k) * 4.6566126e-10f in float32, never 1.0 (Theano's C/GPU kernels)."""
    k = np.array([1, 2, 12345, 2**24 + 1, 2**31 - 2, 2**31 - 1], dtype=np.int64)
    got = mrg31k3p.to_float(np, k, "float32")
    assert got.dtype == np.float32
    want = [np.float32(np.float32(v) * np.float32(4.6566126e-10)) for v in k.tolist()]
    assert got.tolist() == [float(w) for w in want]
    assert float(got[-1]) == float(np.float32(0.99999994)) and got.max() < 1.0
    # The Python fallback's float64 product rounds differently for some k.
    ks = np.arange(1, 2**31 - 1, 9_999_991, dtype=np.int64)
    fallback = (ks * 4.6566126e-10).astype(np.float32)  # float64 product, then rounded
    assert (mrg31k3p.to_float(np, ks, "float32") != fallback).any()


# ----------------------------------------------------------------------------- streams API


def test_guess_n_streams_rules():
    assert guess_n_streams((2, 2)) == 4
    assert guess_n_streams((3, 4)) == 2  # 12 // 6
    assert guess_n_streams([6]) == 6
    assert guess_n_streams((1000, 1000)) == 15360
    assert guess_n_streams((np.int64(10),)) == 15360  # NumPy ints are not Python ints
    assert guess_n_streams(T.lvector()) == 15360
    assert guess_n_streams((T.lscalar(), 3)) == 15360


def test_n_streams_used_per_distribution():
    srng = MRG_RandomStreams(1)
    x = T.matrix()
    srng.uniform((3, 4))
    srng.normal((2, 2))
    srng.binomial(x.shape, p=0.5)
    srng.uniform((10,), nstreams=3)
    srng.multinomial(pvals=np.full((2, 3), 1 / 3.0))
    sizes = [u[0].get_value().shape[0] for u in srng.state_updates]
    assert sizes == [2, 15360, 15360, 3, 15360]
    assert [u[3] for u in srng.state_updates] == [None, None, None, 3, None]


def test_seed_validation():
    for bad in (0, int(rng_mrg.M2), 2**31, -5):
        with pytest.raises(ValueError):
            MRG_RandomStreams(bad)
    with pytest.raises(ValueError):
        MRG_RandomStreams([0, 0, 0, 1, 1, 1])
    with pytest.raises(ValueError):
        MRG_RandomStreams([1, 1, 1, 0, 0, 0])
    with pytest.raises(ValueError):
        MRG_RandomStreams([int(rng_mrg.M1), 1, 1, 1, 1, 1])
    with pytest.raises(TypeError):
        MRG_RandomStreams([1, 2, 3])
    assert MRG_RandomStreams([1, 2, 3, 4, 5, 6]).rstate.tolist() == [1, 2, 3, 4, 5, 6]
    assert MRG_RandomStreams(7).rstate.dtype == np.int32


def test_rstate_blocks_and_inc_rstate():
    srng = MRG_RandomStreams(42)
    start = srng.rstate.copy()
    block = srng.get_substream_rstates(3, "float64")
    assert block[0].tolist() == start.tolist()
    assert block[2].tolist() == rng_mrg.ff_2p72(rng_mrg.ff_2p72(start)).tolist()
    assert srng.rstate.tolist() == rng_mrg.ff_2p134(start).tolist()
    srng.inc_rstate()
    assert srng.rstate.tolist() == rng_mrg.ff_2p134(rng_mrg.ff_2p134(start)).tolist()
    srng.get_substream_rstates(2, "float64", inc_rstate=False)
    assert srng.rstate.tolist() == rng_mrg.ff_2p134(rng_mrg.ff_2p134(start)).tolist()


def test_state_is_a_default_update_and_no_default_updates_freezes_it():
    srng = MRG_RandomStreams(5)
    u = srng.uniform((4,))
    state, new_state = u.update
    assert u.rstate is state and state.default_update is new_state
    assert state.tag.is_rng
    assert srng.updates() == srng.state_updates and len(srng.updates()) == 1
    before = state.get_value()
    frozen = theano.function([], u, no_default_updates=True)
    a, b = frozen(), frozen()
    assert a.tolist() == b.tolist() and state.get_value().tolist() == before.tolist()
    moving = theano.function([], u)
    c, d = moving(), moving()
    assert c.tolist() == a.tolist() and d.tolist() != c.tolist()
    assert state.get_value().tolist() != before.tolist()
    # The same pair as an explicit update (how scan threads it) gives the same stream.
    explicit = theano.function([], u, updates=[u.update], no_default_updates=True)
    state.set_value(before)
    assert explicit().tolist() == c.tolist() and explicit().tolist() == d.tolist()


def test_seed_reproduces_and_tutorial_state_copy():
    srng = MRG_RandomStreams(3)
    u = srng.uniform((3,))
    n = srng.normal((3,))
    f = theano.function([], [u, n])
    first = [v.tolist() for v in f()]
    f()
    srng.seed()  # back to the instance seed: same blocks, same numbers
    assert [v.tolist() for v in f()] == first
    srng.seed(3)
    assert [v.tolist() for v in f()] == first

    class Graph:
        def __init__(self, seed):
            self.rng = MRG_RandomStreams(seed)
            self.y = self.rng.uniform(size=(1,))

    g1, g2 = Graph(123), Graph(987)
    f1, f2 = theano.function([], g1.y), theano.function([], g2.y)
    assert f1().tolist() != f2().tolist()
    g2.rng.rstate = g1.rng.rstate
    for su1, su2 in zip(g1.rng.state_updates, g2.rng.state_updates):
        su2[0].set_value(su1[0].get_value())
    assert f1().tolist() == f2().tolist()


def test_distribution_argument_errors():
    srng = MRG_RandomStreams(1)
    with pytest.raises(ValueError):
        srng.uniform((2, 0))
    with pytest.raises(TypeError):
        srng.uniform(T.matrix())
    with pytest.raises(TypeError):
        srng.uniform((2,), foo=1)
    with pytest.raises(NotImplementedError):
        srng.binomial((3,), n=2)
    with pytest.raises(ValueError):
        srng.multinomial(size=(2,), pvals=np.ones((2, 2)) / 2)
    with pytest.raises(NotImplementedError):
        srng.multinomial(pvals=np.ones(3) / 3)
    with pytest.raises(NotImplementedError):
        srng.choice(size=2, p=np.ones((1, 3)) / 3, replace=True)
    with pytest.raises(TypeError):
        srng.choice(size=2, a=3, p=np.ones((1, 3)) / 3, replace=False)
    with pytest.raises(ValueError):
        srng.normal((3, -1))
    choice = srng.choice(size=4, p=np.ones((1, 3)) / 3, replace=False)
    with pytest.raises(ValueError):
        theano.function([], choice)()


def test_symbolic_sizes_and_dtypes():
    srng = MRG_RandomStreams(11)
    x = T.tensor3()
    n = T.iscalar()
    xs = np.zeros((2, 3, 5), dtype=theano.config.floatX)
    outs = [srng.uniform(x.shape), srng.normal(x.shape), srng.binomial(x.shape, p=0.2,
                                                                        dtype="float32"),
            srng.uniform((n, 2)), srng.normal((n, 3), dtype="float32"), srng.normal(n),
            srng.uniform((1,), dtype="float16")]
    vals = theano.function([x, n], outs)(xs, 3)
    assert [v.shape for v in vals] == [(2, 3, 5)] * 3 + [(3, 2), (3, 3), (3,), (1,)]
    assert [str(v.dtype) for v in vals] == [theano.config.floatX] * 2 + [
        "float32", theano.config.floatX, "float32", theano.config.floatX, "float16"]
    assert outs[-1].broadcastable == (True,)


def test_gradient_through_bounds_is_undefined():
    srng = MRG_RandomStreams(1)
    low = T.scalar()
    u = srng.uniform((3,), low=low, high=1.0)
    with pytest.raises(Exception, match=r"(?i)undefined|NullType"):
        theano.grad(u.sum(), low)


# ----------------------------------------------------------------------------- statistics


def test_uniform_moments_and_range():
    srng = MRG_RandomStreams(2024)
    for dtype in ("float64", "float32"):
        v = theano.function([], srng.uniform((400_000,), low=-1.0, high=3.0, dtype=dtype))()
        assert v.dtype == dtype and v.min() > -1.0 and v.max() < 3.0
        assert abs(v.mean() - 1.0) < 0.01 and abs(v.var() - 16 / 12) < 0.01
        hist = np.histogram(v, bins=8, range=(-1, 3))[0] / v.size
        assert np.abs(hist - 1 / 8).max() < 0.003


def test_normal_binomial_multinomial_choice_frequencies():
    srng = MRG_RandomStreams(77)
    z = theano.function([], srng.normal((300_001,), avg=2.0, std=3.0))()
    assert z.shape == (300_001,)
    assert abs(z.mean() - 2.0) < 0.03 and abs(z.std() - 3.0) < 0.03
    assert abs(np.mean(np.abs(z - 2.0) < 3.0) - 0.6827) < 0.004
    t = theano.function([], srng.truncated_normal((200_000,), std=2.0))()
    # z beyond 2 is redrawn once (from the tail-free part), then scaled by std / 0.8796.
    assert np.abs(t).max() <= 2 * 2.0 / 0.87962566103423978 and abs(t.std() - 2.0) < 0.03
    b = theano.function([], srng.binomial((200_000,), p=0.3))()
    assert b.dtype == np.int64 and set(np.unique(b)) == {0, 1} and abs(b.mean() - 0.3) < 0.005
    pv = np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], dtype=theano.config.floatX)
    counts = theano.function([], srng.multinomial(pvals=pv, n=50_000))()
    assert counts.sum(axis=1).tolist() == [50_000, 50_000]
    assert np.abs(counts / 50_000 - pv).max() < 0.01
    p = np.array([[0.1, 0.2, 0.3, 0.4]] * 20_000, dtype=theano.config.floatX)
    picks = theano.function([], srng.choice(size=3, p=p, replace=False))()
    assert picks.shape == (20_000, 3)
    assert all(len(set(row)) == 3 for row in picks[:2000].tolist())
    first = np.bincount(picks[:, 0], minlength=4) / 20_000
    assert np.abs(first - [0.1, 0.2, 0.3, 0.4]).max() < 0.015


# ----------------------------------------------------------------------------- C rounding


def test_fma_is_rounded_once():
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((3, 3000))
    c = c * 1e-3
    exact = [float(Fraction(x) * Fraction(y) + Fraction(w)) for x, y, w in zip(a, b, c)]
    assert glibc_math.fma(np, a, b, c).tolist() == exact
    assert (a * b + c).tolist() != exact  # the two-rounding result differs somewhere
    a32, b32, c32 = (v.astype(np.float32) for v in (a, b, c))
    got32 = glibc_math.fma(np, a32, b32, c32)
    assert got32.dtype == np.float32
    for x, y, w, g in zip(a32.tolist(), b32.tolist(), c32.tolist(), got32.tolist()):
        exact = Fraction(x) * Fraction(y) + Fraction(w)
        lo = np.float32(float(exact))
        cands = {float(lo), float(np.nextafter(lo, np.float32(np.inf))),
                 float(np.nextafter(lo, np.float32(-np.inf)))}
        best = min(abs(Fraction(v) - exact) for v in cands)
        assert abs(Fraction(g) - exact) == best
    # Scalar scale/shift shortcuts (the uniform/normal defaults) agree with the emulation.
    for scale, shift in ((1.0, 0.0), (4.0, -1.0), (0.3, 0.0)):
        s, t = np.float64(scale), np.float64(shift)
        exact = [float(Fraction(x) * Fraction(scale) + Fraction(shift)) for x in a]
        assert glibc_math.fma(np, a, s, t).tolist() == exact


def _glibc():
    """The C math library when it is glibc >= 2.28 (its logf/sinf/cosf algorithms)."""
    name = ctypes.util.find_library("m")
    libc, version = platform.libc_ver()
    if not name or libc != "glibc" or tuple(map(int, version.split(".")[:2])) < (2, 28):
        return None
    lib = ctypes.CDLL(name)
    for fn in ("logf", "sinf", "cosf"):
        getattr(lib, fn).restype = ctypes.c_float
        getattr(lib, fn).argtypes = [ctypes.c_float]
    return lib


def test_float_functions_round_as_the_c_library():
    """logf/sinf/cosf on the inputs Box-Muller feeds them, against the C library."""
    lib = _glibc()
    if lib is None:
        pytest.skip("needs glibc >= 2.28 (the C library Theano's numbers came from)")
    rng = np.random.default_rng(5)
    u = mrg31k3p.to_float(np, rng.integers(1, 2**31 - 1, 30_000), "float32")
    theta = u * np.float32(2 * np.pi)
    for name, fn, x in (("logf", glibc_math.logf, u), ("sinf", glibc_math.sinf, theta),
                        ("cosf", glibc_math.cosf, theta)):
        ref = np.array([getattr(lib, name)(v) for v in x.tolist()], dtype=np.float32)
        assert fn(np, x).tolist() == ref.tolist(), f"{name} differs from this glibc's"
    d = rng.random(30_000)
    assert glibc_math.log64(np, d).tolist() == [math.log(v) for v in d.tolist()]
    # Theano's float64 normal relies on NumPy's cos/sin matching the C library's here.
    th = 2 * np.pi * d
    assert np.cos(th).tolist() == [math.cos(v) for v in th.tolist()]
    assert np.sin(th).tolist() == [math.sin(v) for v in th.tolist()]


def test_jump_matrices_are_the_matrix_powers_and_cached():
    # A1**n mod M1 computed by n plain products (first principles), for a small n.
    def power(a, n, m):
        out = [[int(i == j) for j in range(3)] for i in range(3)]
        for _ in range(n):
            out = [[sum(out[i][k] * a[k][j] for k in range(3)) % m for j in range(3)]
                   for i in range(3)]
        return tuple(tuple(r) for r in out)

    a1, a2 = mrg31k3p.jump_matrices(7)
    assert a1 == power(mrg31k3p.A1P0, 7, mrg31k3p.M1)
    assert a2 == power(mrg31k3p.A2P0, 7, mrg31k3p.M2)
    assert mrg31k3p.jump_matrices(7) is mrg31k3p.jump_matrices(7)  # one computation
