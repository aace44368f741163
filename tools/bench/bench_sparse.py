"""Sparse times dense through theano.sparse against calling scipy.sparse directly.

Usage: python tools/bench/bench_sparse.py [--n N] [--k K] [--density D] [--rounds R]
       [--quick]

The product of issue 18: a csr matrix of 10,000 x 10,000 with 0.1 % stored entries
(100,000 values, float64, int32 indices as scipy makes them) times a dense 10,000 x 128
matrix, computed by

* ``scipy``: ``a @ b`` on the scipy.sparse matrix (what a user would write by hand);
* ``structured_dot``: ``theano.function([a, b], theano.sparse.structured_dot(a, b))``
  (FAST_RUN turns it into StructuredDotCSR on the matrix's arrays);
* ``dot``: ``theano.function([a, b], theano.sparse.dot(a, b))``.

Method: every round times each implementation once (one call, after warm-up calls), the
starting implementation rotating from round to round, so a slow phase of a shared machine
hits all sides alike.  Reported: the median time of each, and the median over rounds of
the per-round ratio (theano / scipy); the target is 1.2 (issue 18).  Results are checked
against scipy's before timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
import scipy.sparse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import theano  # noqa: E402
import theano.sparse  # noqa: E402

TARGET = 1.2


def build(n, k, density, seed=0):
    """The sparse matrix, the dense one, and the implementations by name."""
    rng = np.random.default_rng(seed)
    a = scipy.sparse.random(n, n, density=density, format="csr", dtype="float64",
                            random_state=rng)
    b = rng.standard_normal((n, k))
    x = theano.sparse.csr_matrix("x", dtype="float64")
    y = theano.tensor.matrix("y", dtype="float64")
    f_sd = theano.function([x, y], theano.sparse.structured_dot(x, y))
    f_dot = theano.function([x, y], theano.sparse.dot(x, y))
    impls = {
        "scipy": lambda: a @ b,
        "structured_dot": lambda: f_sd(a, b),
        "dot": lambda: f_dot(a, b),
    }
    return a, b, impls


def measure(impls, rounds, warmup=2):
    """Per-implementation lists of per-round times (rotating start, see the docstring)."""
    names = list(impls)
    for fn in impls.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            fn = impls[name]
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--k", type=int, default=128)
    ap.add_argument("--density", type=float, default=0.001)
    ap.add_argument("--rounds", type=int, default=31)
    ap.add_argument("--quick", action="store_true", help="7 rounds")
    args = ap.parse_args(argv)
    rounds = 7 if args.quick else args.rounds
    a, b, impls = build(args.n, args.k, args.density)
    want = impls["scipy"]()
    for name in ("structured_dot", "dot"):
        got = impls[name]()
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
    times = measure(impls, rounds)
    print(f"csr {args.n}x{args.n}, density {args.density:g} ({a.nnz} stored, indices "
          f"{a.indices.dtype}) times dense {args.n}x{args.k}; {rounds} alternating rounds, "
          f"median ms; ratio = median of per-round theano/scipy (target <= {TARGET})")
    base = times["scipy"]
    print(f"  scipy a @ b        {statistics.median(base) * 1e3:8.2f} ms")
    worst = 0.0
    for name in ("structured_dot", "dot"):
        ratio = statistics.median(t / s for t, s in zip(times[name], base))
        worst = max(worst, ratio)
        print(f"  theano {name:14s} {statistics.median(times[name]) * 1e3:8.2f} ms  "
              f"ratio {ratio:5.2f}")
    print(f"  {'within' if worst <= TARGET else 'OVER'} target ({worst:.2f} vs {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
