"""Fused elementwise code (link/fuse_cpu.py): blocked evaluation of large fused nodes
(the same ufuncs per element as the whole-array body, so the same numbers bit for bit),
and the ops declared ``takes_out`` (sqr, true_div) writing into dead temporaries."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.link import codegen, fuse_cpu
from theano_compat.scalar import basic as S
from theano_compat.scalar.composite import Composite

from tests.support.modes import FAST_RUN

rng = np.random.RandomState(7)
# more than CHUNK_MIN elements, not a multiple of CHUNK: the last block is short
N = fuse_cpu.CHUNK_MIN + fuse_cpu.CHUNK // 2 + 13


def _adadelta(shape, unblocked=False, monkeypatch=None):
    """Theano's adadelta step on a large shared parameter (the LSTM model's embedding):
    the fused nodes read the shared value, so they get the blocked branch."""
    if unblocked:
        monkeypatch.setattr(codegen, "chunked_function", lambda *a, **k: None)
    p = theano.shared(rng.rand(*shape), name="p")
    rg2 = theano.shared(rng.rand(*shape) * 1e-3, name="rg2")
    ru2 = theano.shared(rng.rand(*shape) * 1e-3, name="ru2")
    g = T.matrix("g")
    rg2_new = 0.95 * rg2 + 0.05 * (g ** 2)
    updir = -T.sqrt(ru2 + 1e-6) / T.sqrt(rg2_new + 1e-6) * g
    f = theano.function([g], [], mode=FAST_RUN, updates=[
        (rg2, rg2_new), (ru2, 0.95 * ru2 + 0.05 * (updir ** 2)), (p, p + updir)])
    if unblocked:
        monkeypatch.undo()
    return f, (p, rg2, ru2)


def test_blocked_update_equals_whole_array_code_bit_for_bit(monkeypatch):
    shape = (N // 64, 64)
    gv = rng.randn(*shape)
    f_blocks, state_blocks = _adadelta(shape)
    f_whole, state_whole = _adadelta(shape, unblocked=True, monkeypatch=monkeypatch)
    assert "(blocks)" in f_blocks.maker.program.source
    assert "(blocks)" not in f_whole.maker.program.source
    for var_b, var_w in zip(state_blocks, state_whole, strict=True):
        var_w.set_value(var_b.get_value())
    p0, r0, u0 = (v.get_value() for v in state_blocks)
    for _ in range(2):
        f_blocks(gv)
        f_whole(gv)
    for var_b, var_w in zip(state_blocks, state_whole, strict=True):
        np.testing.assert_array_equal(var_b.get_value(), var_w.get_value())
    # and the values of the formula, written in NumPy (two steps)
    for _ in range(2):
        r0 = 0.95 * r0 + 0.05 * gv ** 2
        upd = -np.sqrt(u0 + 1e-6) / np.sqrt(r0 + 1e-6) * gv
        u0 = 0.95 * u0 + 0.05 * upd ** 2
        p0 = p0 + upd
    for var, want in zip(state_blocks, (p0, r0, u0), strict=True):
        np.testing.assert_allclose(var.get_value(), want, rtol=1e-12, atol=1e-15)


def test_non_contiguous_value_runs_the_whole_array_code():
    shape = (64, N // 64)
    f, (p, rg2, ru2) = _adadelta(shape)
    assert "(blocks)" in f.maker.program.source
    u0 = np.asfortranarray(ru2.get_value())  # F-ordered: not C-contiguous
    ru2.set_value(u0, borrow=True)
    r0, p0 = rg2.get_value(), p.get_value()
    gv = rng.randn(*shape)
    f(gv)
    r1 = 0.95 * r0 + 0.05 * gv ** 2
    upd = -np.sqrt(u0 + 1e-6) / np.sqrt(r1 + 1e-6) * gv
    np.testing.assert_allclose(p.get_value(), p0 + upd, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ru2.get_value(), 0.95 * u0 + 0.05 * upd ** 2, rtol=1e-12, atol=1e-15)


def test_small_or_unshared_arrays_get_no_runtime_test():
    # elemwise_16-style graphs: no shared value is large, so no size test is written
    x, y, z = T.dvectors("x", "y", "z")
    f = theano.function([x, y, z], T.exp(x * y + z), mode=FAST_RUN)
    assert "(blocks)" not in f.maker.program.source and ".size >=" not in \
        f.maker.program.source
    w = theano.shared(np.ones(16))
    f = theano.function([x], T.exp(x * w + 1.0), mode=FAST_RUN)
    assert "(blocks)" not in f.maker.program.source


def _composite(build, nin):
    ins = [S.float64() for _ in range(nin)]
    return Composite(ins, [build(*ins)])


def test_chunked_function_direct_with_buffer_and_donated_input():
    comp = _composite(lambda a, b, c: S.sqrt(a + b) * c - b, 3)
    pats = [(False,), (True,), (False,)]
    glob = {}
    fname = fuse_cpu.chunked_function(comp, np, glob, pats, donated=(2,))
    assert fname is not None
    a, c = rng.rand(N), rng.randn(N)
    b = np.array([0.5])
    want = np.subtract(np.multiply(np.sqrt(np.add(a, b)), c), b)
    got = glob[fname](a, b, c.copy(), None)          # into the donated c
    np.testing.assert_array_equal(got, want)
    buf = np.empty(N)
    got = glob[fname](a, b, c, buf)                  # into the given buffer
    assert got is buf
    np.testing.assert_array_equal(buf, want)
    donor = c.copy()
    assert glob[fname](a, b, donor, None) is donor   # the donated array receives it


@pytest.mark.parametrize("case", ["one_step", "row_broadcast", "all_broadcastable"])
def test_chunked_function_declines(case):
    if case == "one_step":
        comp, pats = _composite(lambda a: S.exp(a), 1), [(False, False)]
    elif case == "row_broadcast":  # a (1, n) row against (m, n): blocks would cut rows
        comp = _composite(lambda a, b: S.exp(a) + b, 2)
        pats = [(False, False), (True, False)]
    else:  # one element: nothing to cut into blocks
        comp = _composite(lambda a, b: S.exp(a) + b, 2)
        pats = [(True, True), (True, True)]
    assert fuse_cpu.chunked_function(comp, np, {}, pats) is None


def test_sqr_and_true_div_write_into_temporaries():
    x, y = T.dvectors("x", "y")
    f = theano.function([x, y], T.sqr(T.exp(x)) / (y + 1.0) / T.sqr(y), mode=FAST_RUN)
    src = f.maker.program.source
    # sqr and true_div reuse a dead temporary through out= like the ufuncs
    assert "sqr" in src and any("sqr" in ln and "out=" in ln for ln in src.splitlines())
    assert any("true_div" in ln and "out=" in ln for ln in src.splitlines())
    xv, yv = rng.randn(9), rng.rand(9)
    np.testing.assert_allclose(f(xv, yv), np.exp(xv) ** 2 / (yv + 1.0) / yv ** 2,
                               rtol=1e-14)
