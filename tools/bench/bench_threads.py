"""Compiled functions called from several threads: single-thread cost and correctness.

Usage: python tools/bench/bench_threads.py [--threads N] [--calls C] [--repeat R] [--quick]
       [--single] [--strategies]

(a) Single-thread per-call time (best of R timeit runs, each long enough to time well) of
    `x + 1` on a float64 scalar, `exp(x*y+z)` on 16 floats, the seed-1 logistic-regression
    training step (400x784, updates, buffers kept between calls), the seed-2 per-sample
    SGD call (updates) and a 4x4 `tanh(dot)` (the smallest function with a buffer).  These
    are the calls whose cost thread safety must not raise: run the script on the code
    before and after a change and compare.
(b) N threads x C calls of one 400x300 dot/exp graph (buffers reused between calls),
    every result compared with NumPy: wall time, calls per second against the same calls
    made one after another in one thread, and the number of wrong results.
(c) N threads x C calls of `function([], [s, t], updates={s: s + 1, t: t + 2})` (GIL
    switch interval 10 us): the final values (want s = N*C, t = 2*N*C) and the
    observations where t != 2*s.
(d) With --strategies: how the generated code could guard its buffers, each compiled
    into the same functions and timed in turns (best of R rounds, in ns above no guard):
    none (buffers shared: wrong under threads), pool (what the linker does: a list pop
    and append per call), tls (a threading.local set per thread), trylock (a
    per-function lock tried without blocking; its holder uses the function's own set,
    others a fresh one) and lock (a per-function lock around the body); then the cost
    of update_lock on the functions with updates (their call with and without it).
"""

import argparse
import os
import sys
import threading
import time
import timeit

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)

import theano.tensor as T  # noqa: E402 - the repository must be on sys.path first
from workloads import WORKLOADS, Prepared  # noqa: E402 - a sibling module: needs HERE

import theano  # noqa: E402 - the repository must be on sys.path first
from theano_compat.link import Program, codegen  # noqa: E402 - as above


def per_call(timer, repeat):
    """Best time of one call, in seconds, over `repeat` runs of about 0.05 s each."""
    timer.timeit(3)  # warm-up: first-call allocations
    t1 = min(timer.repeat(repeat=3, number=1))
    number = max(1, int(0.05 / max(t1, 1e-9)))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def small_dot():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.tanh(T.dot(x, w)).sum())
    rng = np.random.RandomState(0)
    args = (rng.randn(4, 4), rng.randn(4, 4))
    return timeit.Timer("f(a, b)", globals={"f": f, "a": args[0], "b": args[1]})


def single_thread(repeat):
    print(f"(a) single-thread time per call (best of {repeat} runs)")
    timers = [(WORKLOADS[name].label, Prepared(WORKLOADS[name], "ours").timer())
              for name in ("x_plus_1", "elemwise_16", "seed1", "seed2")]
    timers.append(("tanh(dot) 4x4 (one buffer)", small_dot()))
    for label, timer in timers:
        t = per_call(timer, repeat)
        print(f"    {label:36s} {t * 1e6:10.3f} us")


def run_threads(n_threads, target):
    threads = [threading.Thread(target=target, args=(k,)) for k in range(n_threads)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - started


def dot_exp(n_threads, calls):
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.exp(T.dot(x, w) * 0.01).sum(axis=0))
    rng = np.random.RandomState(1)
    xs = [rng.randn(400, 300) for _ in range(n_threads)]
    wv = rng.randn(300, 300)
    want = [np.exp(xv @ wv * 0.01).sum(axis=0) for xv in xs]
    wrong = [0] * n_threads

    def work(k):
        for _ in range(calls):
            if not np.allclose(f(xs[k], wv), want[k], rtol=1e-12, atol=0):
                wrong[k] += 1

    started = time.perf_counter()
    for k in range(n_threads):  # the same calls, one thread
        for _ in range(calls):
            f(xs[k], wv)
    serial = time.perf_counter() - started
    wall = run_threads(n_threads, work)
    total = n_threads * calls
    print(f"(b) {n_threads} threads x {calls} calls of exp(dot(x, w) * 0.01).sum(0), "
          "x 400x300, w 300x300")
    print(f"    one thread:  {serial:7.2f} s  {total / serial:8.1f} calls/s")
    print(f"    {n_threads} threads:   {wall:7.2f} s  {total / wall:8.1f} calls/s  "
          f"(x{serial / wall:.2f})")
    print(f"    wrong results: {sum(wrong)} of {total}")
    return sum(wrong)


def counter(n_threads, calls):
    s = theano.shared(np.float64(0), name="s")
    t = theano.shared(np.float64(0), name="t")
    f = theano.function([], [s, t], updates=[(s, s + 1), (t, t + 2)])
    torn = [0] * n_threads

    def work(k):
        for _ in range(calls):
            sv, tv = f()
            if tv != 2 * sv:
                torn[k] += 1

    # Threads switch every 10 us here instead of 5 ms: a call this short is otherwise
    # rarely interrupted between reading s and writing it.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        wall = run_threads(n_threads, work)
    finally:
        sys.setswitchinterval(interval)
    total = n_threads * calls
    sv, tv = float(s.get_value()), float(t.get_value())
    print(f"(c) {n_threads} threads x {calls} calls with updates s += 1, t += 2: "
          f"{wall:.2f} s, s = {sv:g} (want {total}), t = {tv:g} (want {2 * total}), "
          f"observations with t != 2 s: {sum(torn)}")
    return int(sv != total or tv != 2 * total) + sum(torn)


# ----------------------------------------------------------------------------- (d)


def _guard_variants():
    """Source rewriters of a program body with buffers, by strategy name (see (d))."""

    def wrap(header, footer, indent_body):
        def rewrite(src):
            body = ["    " + ln for ln in src.lines] if indent_body else src.lines
            src.lines = ["    " + ln for ln in header] + body + ["    " + ln for ln in footer]
            src.line_nodes = {k + len(header): v for k, v in src.line_nodes.items()}
        return rewrite

    return {
        "none": lambda src: None,
        "pool": codegen._take_buffer_set,
        "tls": wrap(["try:", "    _B = _tls.B", "except AttributeError:",
                     "    _B = _tls.B = _Bnew()"], [], False),
        "trylock": wrap(["if _Xtry(False):", "    _B = _Bown", "else:", "    _B = _Bnew()",
                         "try:"], ["finally:", "    if _B is _Bown: _Xrel()"], True),
        "lock": wrap(["_Xtry()", "_B = _Bown", "try:"], ["finally:", "    _Xrel()"], True),
    }


def strategies(repeat):
    variants = _guard_variants()
    plain_globals = Program.new_globals

    def new_globals(program):
        glob = plain_globals(program)
        if "_Bpool" in glob:
            own, lock = glob["_Bpool"][0], threading.Lock()
            glob.update(_B=own, _Bown=own, _tls=threading.local(), _Xtry=lock.acquire,
                        _Xrel=lock.release)
        return glob

    timers = {}
    Program.new_globals = new_globals
    try:
        for name, rewrite in variants.items():
            codegen._take_buffer_set = rewrite
            timers[name] = {"tanh(dot) 4x4": small_dot(),
                            "seed-1 logreg step": Prepared(WORKLOADS["seed1"], "ours").timer()}
    finally:
        codegen._take_buffer_set = variants["pool"]
        Program.new_globals = plain_globals
    for name in ("seed2", "seed1"):  # update_lock: the same function, its call without it
        for locked in (True, False):
            prep = Prepared(WORKLOADS[name], "ours")
            if not locked:
                prep.fn._serial = False
                prep.fn._specialise_call()
            timers.setdefault(f"update_lock {locked}", {})[WORKLOADS[name].label] = prep.timer()
    best = {}
    numbers = {}
    for name, group in timers.items():
        for label, timer in group.items():
            timer.timeit(3)
            numbers[name, label] = max(1, int(0.01 / max(min(timer.repeat(3, 1)), 1e-9)))
    for _ in range(repeat):  # rounds: every variant once per round, against drift
        for name, group in timers.items():
            for label, timer in group.items():
                n = numbers[name, label]
                t = min(timer.repeat(3, n)) / n
                best[name, label] = min(best.get((name, label), t), t)
    print(f"(d) buffer guards, best of {repeat} rounds (ns above none)")
    for label in timers["none"]:
        base = best["none", label]
        print(f"    {label}: none {base * 1e6:.3f} us; " + ", ".join(
            f"{name} {(best[name, label] - base) * 1e9:+.0f}" for name in variants
            if name != "none"))
    print("    update_lock (ns above the same call without it)")
    for label in timers["update_lock True"]:
        on, off = best["update_lock True", label], best["update_lock False", label]
        print(f"    {label}: {on * 1e6:.3f} us against {off * 1e6:.3f} us "
              f"({(on - off) * 1e9:+.0f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calls", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="fewer runs and calls")
    parser.add_argument("--single", action="store_true", help="only (a)")
    parser.add_argument("--strategies", action="store_true",
                        help="only (d): the buffer guards and update_lock compared")
    args = parser.parse_args()
    if args.quick:
        args.repeat, args.calls = 3, 20
    if args.strategies:
        strategies(args.repeat)
        return 0
    single_thread(args.repeat)
    if args.single:
        return 0
    bad = dot_exp(args.threads, args.calls)
    bad += counter(args.threads, args.calls)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
