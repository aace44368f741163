"""Compile time of theano.function against graph size (issue 5 targets).

    python tools/bench/bench_compile.py [--quick]

Builds training graphs of growing size (an MLP with 2, 8, 32, 128 layers: forward, L2
cost, T.grad, SGD updates; a chain of 10^3 and 10^4 elementwise nodes) plus the seed-1
logistic-regression training function, and prints for each the number of Apply nodes
before and after rewriting and the median compile time of `theano.function` (graph
construction and T.grad excluded).  Targets: seed 1 under 20 ms, a 1,000-node graph
under 0.5 s, growth about linear.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np  # noqa: E402

import theano  # noqa: E402
import theano.tensor as T  # noqa: E402
from theano_compat.graph.basic import io_toposort  # noqa: E402


def seed1():
    rng = np.random.RandomState(0)
    x, y = T.dmatrix("x"), T.dvector("y")
    w = theano.shared(rng.randn(784), name="w")
    b = theano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    return dict(inputs=[x, y], outputs=[p_1 > 0.5, xent],
                updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)])


def mlp(layers, width=32):
    rng = np.random.RandomState(0)
    x, y = T.dmatrix("x"), T.ivector("y")
    h = x
    params = []
    for k in range(layers):
        n_out = 10 if k == layers - 1 else width
        W = theano.shared(rng.randn(width if k else 784, n_out) * 0.01, name=f"W{k}")
        b = theano.shared(np.zeros(n_out), name=f"b{k}")
        params += [W, b]
        z = T.dot(h, W) + b
        h = T.nnet.softmax(z) if k == layers - 1 else T.tanh(z)
    cost = T.nnet.categorical_crossentropy(h, y).mean() + 1e-4 * sum(
        (p ** 2).sum() for p in params[::2])
    grads = T.grad(cost, params)
    return dict(inputs=[x, y], outputs=cost,
                updates=[(p, p - 0.01 * g) for p, g in zip(params, grads)])


def chain(n):
    x = T.dvector("x")
    out = x
    ops = [T.exp, T.tanh, lambda v: v * 1.0001, lambda v: v + 0.5, T.sin]
    for k in range(n):
        out = ops[k % len(ops)](out)
    return dict(inputs=[x], outputs=out, updates=[])


def count_nodes(spec):
    outs = spec["outputs"] if isinstance(spec["outputs"], list) else [spec["outputs"]]
    outs = outs + [u for _, u in spec["updates"]]
    return len(io_toposort([], outs))


def measure(spec, repeat):
    times = []
    f = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        f = theano.function(spec["inputs"], spec["outputs"], updates=spec["updates"])
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(f.maker.fgraph.apply_nodes)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, skip 10^4 chain")
    args = ap.parse_args(argv)
    repeat = 3 if args.quick else 5
    cases = [("seed-1 logistic regression", seed1)]
    cases += [(f"MLP {k} layers", lambda k=k: mlp(k)) for k in (2, 8, 32, 128)]
    cases += [("elementwise chain 10^3", lambda: chain(1000))]
    if not args.quick:
        cases += [("elementwise chain 10^4", lambda: chain(10000))]
    print(f"{'graph':32s} {'nodes before':>12s} {'nodes after':>12s} {'compile ms':>11s} "
          f"{'us/node':>8s}")
    for name, build in cases:
        spec = build()
        before = count_nodes(spec)
        sec, after = measure(spec, 1 if "10^4" in name or "128" in name else repeat)
        print(f"{name:32s} {before:12d} {after:12d} {sec * 1e3:11.1f} "
              f"{sec * 1e6 / before:8.1f}")


if __name__ == "__main__":
    main()
