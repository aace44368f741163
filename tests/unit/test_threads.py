"""Compiled functions called from several threads at once (CompiledFunction's guarantee).

Every thread checks every result against NumPy computed beforehand, in the main thread.
The GIL switch interval is lowered while the threads run, so that threads interleave
inside a call (between the lines of the generated code) far more often than they would:
with the buffers of the generated code shared between callers these tests fail.
"""

import os
import sys
import threading

import numpy as np
import pytest
import theano.tensor as T
from theano.compile.builders import OpFromGraph
from theano.ifelse import ifelse
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.tensor.shared_randomstreams import RandomStreams

import theano
from theano import In
from theano_compat.compile.compiled import update_lock
from theano_compat.link.profile import ProfileStats

# Dot nodes as the linker buffers them (without BlasOpt's _dot22 / Gemv).
NO_BLAS = theano.compile.get_default_mode().excluding("BlasOpt")

N_THREADS = 8

# The longer variants run with THEANO_COMPAT_SLOW=1 (see the "slow" marker).
slow = pytest.mark.skipif(not os.environ.get("THEANO_COMPAT_SLOW"),
                          reason="long variant: set THEANO_COMPAT_SLOW=1")


@pytest.fixture(autouse=True)
def _frequent_switches():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(old)


def hammer(work, n_threads=N_THREADS, timeout=120):
    """Run work(k) in `n_threads` threads started together; re-raise the first error of
    a thread; fail if a thread is still running after `timeout` seconds (a deadlock)."""
    errors = []
    start = threading.Barrier(n_threads)

    def run(k):
        try:
            start.wait()
            work(k)
        except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread did not finish (deadlock?)"
    if errors:
        raise errors[0]


def buffer_sets(f):
    return f.maker.program.buffer_sets(f._glob)


def check_each_call(f, inputs, wants, calls, rtol=1e-12):
    """`calls` calls of f(*inputs[k]) in thread k; counts results that differ from
    wants[k] (the first of them is reported)."""
    wrong = []

    def work(k):
        for _ in range(calls):
            got = f(*inputs[k])
            if not np.allclose(got, wants[k], rtol=rtol, atol=0):
                wrong.append((k, got, wants[k]))

    hammer(work)
    assert not wrong, f"{len(wrong)} wrong results of {N_THREADS * calls}; first {wrong[0]}"


rng = np.random.RandomState(1234)


def _dot_exp(calls, n=60, m=40):
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.exp(T.dot(x, w) * 0.01).sum(axis=0))
    assert "out=b" in f.maker.program.source  # the dot writes into a kept buffer
    xs = [(rng.randn(n, m), rng.randn(m, m)) for _ in range(N_THREADS)]
    wants = [np.exp(a @ b * 0.01).sum(axis=0) for a, b in xs]
    check_each_call(f, xs, wants, calls)
    return f


def test_dot_graph_with_buffers_gives_every_thread_its_own_results():
    f = _dot_exp(calls=300)
    # the pool holds one buffer set per call that ran at the same time as others
    assert 1 <= len(buffer_sets(f)) <= N_THREADS


@pytest.mark.slow
@slow
def test_dot_graph_with_buffers_long():
    # the size of the report in issue 14: 8 threads x 150 calls, x 400x300
    _dot_exp(calls=150, n=400, m=300)


def test_fused_elementwise_result_in_a_buffer():
    x, y, z, w = T.dmatrix("x"), T.dmatrix("y"), T.dmatrix("z"), T.dmatrix("w")
    h = T.tanh(x * y + z)                 # fused, written into a buffer, read by the dot
    # (The linker's out= buffers are for Dot results: FAST_RUN's BlasOpt would make this
    # dot a _dot22, as Theano did.)
    f = theano.function([x, y, z, w], T.dot(h, w).sum(axis=1), mode=NO_BLAS)
    assert f.maker.program.source.count("out=b") >= 2
    args = [tuple(rng.randn(30, 20) for _ in range(3)) + (rng.randn(20, 10),)
            for _ in range(N_THREADS)]
    wants = [(np.tanh(a * b + c) @ d).sum(axis=1) for a, b, c, d in args]
    check_each_call(f, args, wants, calls=300)


def test_scan_whose_step_keeps_buffers():
    W = T.dmatrix("W")
    xs = T.dmatrix("xs")
    h0 = T.dvector("h0")
    # dot(h, W) is read by another dot: it lives in a buffer of the inner program
    hs, _ = theano.scan(lambda x_t, h, W: T.tanh(T.dot(T.dot(h, W), W.T) + x_t),
                        sequences=xs, outputs_info=h0, non_sequences=W)
    f = theano.function([xs, h0, W], hs[-1], mode=NO_BLAS)
    # the inner program (shared by all callers) has buffers of its own
    loop = next(v for k, v in f._glob.items() if k.startswith("op") and
                hasattr(v, "source") and "loop" in v.source)
    assert loop.__globals__["_fn"].__globals__.get("_Bpool")
    args, wants = [], []
    for _ in range(N_THREADS):
        a, b, c = rng.randn(15, 10), rng.randn(10), rng.randn(10, 10) * 0.3
        h = b
        for row in a:
            h = np.tanh(h @ c @ c.T + row)
        args.append((a, b, c))
        wants.append(h)
    check_each_call(f, args, wants, calls=60)


def test_ifelse_branches_with_buffers():
    c = T.iscalar("c")
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([c, x, w], ifelse(c, T.exp(T.dot(x, w) * 0.1).sum(),
                                          T.tanh(T.dot(w, x)).sum()))
    args, wants = [], []
    for k in range(N_THREADS):
        a, b = rng.randn(12, 12), rng.randn(12, 12)
        args.append((k % 2, a, b))
        wants.append(np.exp(a @ b * 0.1).sum() if k % 2 else np.tanh(b @ a).sum())
    check_each_call(f, args, wants, calls=300)


def test_opfromgraph_inner_function_with_buffers():
    a, b = T.dmatrix("a"), T.dmatrix("b")
    op = OpFromGraph([a, b], [T.exp(T.dot(a, b) * 0.1).sum(axis=0)])
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], op(x, w) * 2.0)
    args = [(rng.randn(20, 15), rng.randn(15, 15)) for _ in range(N_THREADS)]
    wants = [2.0 * np.exp(p @ q * 0.1).sum(axis=0) for p, q in args]
    check_each_call(f, args, wants, calls=300)


def test_copy_and_free_while_other_threads_call():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.exp(T.dot(x, w) * 0.1).sum())
    g = f.copy()
    args = [(rng.randn(25, 20), rng.randn(20, 20)) for _ in range(N_THREADS)]
    wants = [np.exp(p @ q * 0.1).sum() for p, q in args]
    wrong = []

    def work(k):
        fn = f if k % 2 else (lambda *a: g(*a)[0])  # a copy returns a list
        for i in range(200):
            if k == 0 and i % 20 == 0:
                f.free()  # frees f's idle buffer sets while the others run
                g.free()
            if not np.isclose(fn(*args[k]), wants[k], rtol=1e-12, atol=0):
                wrong.append(k)

    hammer(work)
    assert not wrong
    assert buffer_sets(f) is not buffer_sets(g)
    f.free()
    assert all(b.size == 0 for s in buffer_sets(f) for b in s)
    np.testing.assert_allclose(f(*args[0]), wants[0], rtol=1e-12)


# ----------------------------------------------------------------------------- updates


def test_updates_are_applied_one_call_at_a_time():
    calls = 200
    s = theano.shared(np.float64(0), name="s")
    t = theano.shared(np.float64(0), name="t")
    step = theano.function([], [s, t], updates=[(s, s + 1), (t, t + 2)])
    look = theano.function([], [s, t])  # no updates: runs without the lock
    seen, torn = [], []

    def work(k):
        for i in range(calls):
            sv, tv = step()
            seen.append(float(sv))
            if tv != 2 * sv:
                torn.append((sv, tv))
            if i % 10 == 0:
                with update_lock:  # a consistent view of several shared values
                    sv, tv = look()
                if tv != 2 * sv:
                    torn.append((sv, tv))

    hammer(work)
    total = N_THREADS * calls
    assert float(s.get_value()) == total and float(t.get_value()) == 2 * total
    assert not torn
    # every call read the state the previous one wrote: each count seen exactly once
    assert sorted(seen) == list(range(total))


def test_a_failing_call_leaves_shared_values_and_releases_the_lock():
    x = T.dvector("x")
    w = theano.shared(np.ones(4), name="w")
    acc = theano.shared(np.float64(0), name="acc")
    f = theano.function([x], T.dot(w, x), updates=[(acc, acc + T.dot(w, x))])
    good, bad = np.arange(4.0), np.arange(5.0)  # bad: the dot fails on the shapes
    failures = []

    def work(k):
        for i in range(100):
            if (i + k) % 3 == 0:
                try:
                    f(bad)
                except ValueError:
                    failures.append(k)
                else:
                    raise AssertionError("the call should have failed")
            else:
                assert f(good) == 6.0

    hammer(work)
    n_good = N_THREADS * 100 - len(failures)
    assert failures and acc.get_value() == 6.0 * n_good
    assert not update_lock.locked()  # nobody holds it any more


def test_input_updates_general_path():
    c = T.dscalar("c")
    inc = T.dscalar("inc")
    f = theano.function([In(c, value=0.0, update=c + inc), inc], c)
    seen = []

    def work(k):
        for _ in range(150):
            seen.append(float(f(inc=1.0)))

    hammer(work)
    assert sorted(seen) == list(range(N_THREADS * 150))
    assert float(f(inc=0.0)) == N_THREADS * 150


def test_profiled_function_results_and_counts():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.exp(T.dot(x, w) * 0.1).sum(axis=1),
                        profile=ProfileStats(atexit_print=False))
    args = [(rng.randn(10, 8), rng.randn(8, 8)) for _ in range(N_THREADS)]
    wants = [np.exp(p @ q * 0.1).sum(axis=1) for p, q in args]
    check_each_call(f, args, wants, calls=100)
    prof = f.profile
    # profiled calls run one at a time: no count is lost, node times add up within calls
    assert prof.fct_callcount == N_THREADS * 100
    assert 0 < sum(prof.node_times) <= prof.fct_call_time


def test_trust_input_path():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.tanh(T.dot(x, w)).sum(axis=0))
    f.trust_input = True
    args = [(rng.randn(20, 10), rng.randn(10, 10)) for _ in range(N_THREADS)]
    wants = [np.tanh(p @ q).sum(axis=0) for p, q in args]
    check_each_call(f, args, wants, calls=300)


def test_a_function_with_updates_called_inside_another_does_not_deadlock():
    # The lock is re-entrant: an Op running inside a call with updates may call one too.
    counter = theano.shared(np.float64(0), name="counter")
    bump = theano.function([], counter, updates=[(counter, counter + 1)])

    @theano.compile.ops.as_op(itypes=[T.dscalar], otypes=[T.dscalar])
    def calls_bump(v):
        return np.float64(v + bump())

    s = theano.shared(np.float64(0), name="s")
    outer = theano.function([], s, updates=[(s, calls_bump(s))])

    def work(k):
        for _ in range(50):
            outer()

    hammer(work, timeout=60)
    n = N_THREADS * 50
    assert float(counter.get_value()) == n
    # s_new = s + counter_before, counter_before running over 0 .. n-1 in some order
    assert float(s.get_value()) == n * (n - 1) / 2
    assert not update_lock.locked()


def test_update_lock_held_by_user_code_and_nested_general_calls():
    x = T.dscalar("x")
    s = theano.shared(np.float64(0), name="s")
    add = theano.function([In(x, name="x")], s, updates=[(s, s + x)])

    @theano.compile.ops.as_op(itypes=[T.dscalar], otypes=[T.dscalar])
    def nested(v):
        with update_lock:  # inside a generated call holding the lock: re-entered
            return np.float64(v + add(x=1.0))  # a keyword call: the general path

    outer = theano.function([], nested(s))

    def work(k):
        for i in range(40):
            if k % 2:
                with update_lock:  # the user holds it; calls inside enter again
                    before = float(s.get_value())
                    add(2.0)
                    add(x=3.0)
                    assert float(s.get_value()) == before + 5.0
            else:
                outer()

    hammer(work, timeout=60)
    assert float(s.get_value()) == (N_THREADS // 2) * 40 * 6.0
    assert not update_lock.locked()


# ----------------------------------------------------------------------------- random streams


def _draws_in_threads(f, calls):
    out = []

    def work(k):
        for _ in range(calls):
            out.append(np.array(f()))

    hammer(work)
    return out


@pytest.mark.parametrize("streams", [RandomStreams, MRG_RandomStreams])
def test_random_draws_over_all_threads_are_the_serial_draws(streams):
    calls = 60

    def build():
        srng = streams(seed=4321)
        return theano.function([], srng.uniform((5,)) + srng.normal((3,)).sum())

    f = build()
    threaded = _draws_in_threads(f, calls)
    g = build()  # the same seed: the same sequence, drawn in one thread
    serial = [np.array(g()) for _ in range(N_THREADS * calls)]
    key = lambda a: tuple(a.tolist())
    assert sorted(map(key, threaded)) == sorted(map(key, serial))
    assert len(set(map(key, serial))) == len(serial)  # the draws do differ
