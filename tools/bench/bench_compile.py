"""Compile time of theano.function against graph size, phase by phase (issues 5 and 14).

    python tools/bench/bench_compile.py [--quick] [--shapes mixed,reuse,...] [--max-nodes N]

Builds graphs of growing size and prints, for each, the number of Apply nodes before and
after rewriting, the seconds spent in each phase of ``theano.function`` (graph build,
FunctionGraph, every rewrite phase of the mode, fusion, link/codegen) and in the first
call, the total compile time (build and first call excluded), its CPU time and the CPU
time per node.  For each family the exponent of a least-squares fit ``seconds ~ nodes^k``
is printed (wall and CPU time): 1.0 is linear.

Families (``--shapes``):

* ``mlp``: an MLP of 2 … 300 layers of width 32 (forward, cross-entropy + L2 cost,
  T.grad, SGD updates): 77 … about 10^4 nodes; target under 2 s at 10^4 nodes;
* ``mixed``: a chain ``exp, tanh, *1.0001, +0.5, sin, exp, ...`` of 10^3, 3*10^3,
  10^4, 3*10^4 and 10^5 ops (1.4 nodes per op with the broadcast constants; it fuses
  into one node); target 10^5 under 10 s;
* ``reuse``: ``x = tanh(exp(x) * 1.0001 + x)`` repeated (every step reads x twice);
* ``unary``: ``sin(cos(sin(...)))``;
* ``inputs``: ``x0 + x1 + ... `` over 50 inputs used again and again (one sum tree);
* ``sum``: a Python ``sum`` of terms ``sin(x_k) * k``.

Targets: seed 1 under 20 ms, growth about linear (exponent near 1).  Times are medians of
``--repeat`` runs (one run for graphs of 10^4 nodes or more).  On a loaded machine judge
by the CPU time per node and the exponent rather than by wall seconds (and even CPU time
per node grows somewhat with the graph there: caches are shared too).
"""

from __future__ import annotations

import argparse
import collections
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import numpy as np
import theano.tensor as T

import theano
from theano_compat.compile import compiled, pipeline
from theano_compat.graph import fgraph as fgraph_module
from theano_compat.graph.basic import io_toposort

CHAIN_SIZES = (1000, 3000, 10000, 30000, 100000)
MLP_LAYERS = (2, 8, 32, 128, 300)


def seed1():
    rng = np.random.RandomState(0)
    x, y = T.dmatrix("x"), T.dvector("y")
    w = theano.shared(rng.randn(784), name="w")
    b = theano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    args = [rng.randn(400, 784), rng.randint(0, 2, 400).astype("float64")]
    return {"inputs": [x, y], "outputs": [p_1 > 0.5, xent],
            "updates": [(w, w - 0.1 * gw), (b, b - 0.1 * gb)], "args": args}


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
    args = [rng.randn(16, 784), rng.randint(0, 10, 16).astype("int32")]
    return {"inputs": [x, y], "outputs": cost,
            "updates": [(p, p - 0.01 * g) for p, g in zip(params, grads)], "args": args}


def chain(n, shape="mixed"):
    """A graph of about `n` elementwise nodes of the given shape (see the module doc)."""
    x = T.dvector("x")
    inputs = [x]
    out = x
    if shape == "mixed":
        ops = [T.exp, T.tanh, lambda v: v * 1.0001, lambda v: v + 0.5, T.sin]
        for k in range(n):
            out = ops[k % len(ops)](out)
    elif shape == "reuse":
        for _ in range(n // 4):
            out = T.tanh(T.exp(out) * 1.0001 + out)
    elif shape == "unary":
        for k in range(n):
            out = T.sin(out) if k % 2 else T.cos(out)
    elif shape == "inputs":
        inputs = [T.dvector(f"x{i}") for i in range(50)]
        out = inputs[0]
        for k in range(1, n + 1):
            out = out + inputs[k % 50]
    elif shape == "sum":
        inputs = [T.dvector(f"x{i}") for i in range(8)]
        out = sum(T.sin(inputs[k % 8]) * k for k in range(n // 3))
    else:
        raise ValueError(f"unknown chain shape {shape!r}")
    args = [np.linspace(-0.5, 0.5, 7) for _ in inputs]
    return {"inputs": inputs, "outputs": out, "updates": [], "args": args}


def count_nodes(spec):
    outs = spec["outputs"] if isinstance(spec["outputs"], list) else [spec["outputs"]]
    outs = outs + [u for _, u in spec["updates"]]
    return len(io_toposort([], outs))


class PhaseClock:
    """Seconds spent in each step of theano.function, gathered by wrapping the steps."""

    def __init__(self):
        self.seconds = collections.OrderedDict()
        self._patched = []

    def add(self, name, dt):
        self.seconds[name] = self.seconds.get(name, 0.0) + dt

    def wrap(self, owner, attr, name_of):
        original = getattr(owner, attr)
        clock = self

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock.add(name_of(*args), time.perf_counter() - t0)

        setattr(owner, attr, timed)
        self._patched.append((owner, attr, original))

    def __enter__(self):
        self.wrap(fgraph_module.FunctionGraph, "__init__", lambda *a: "fgraph")
        self.wrap(pipeline.Phase, "__call__", lambda phase, *a: phase.name)
        self.wrap(compiled.FunctionMaker, "_link", lambda *a: "link")
        return self

    def __exit__(self, *exc):
        for owner, attr, original in reversed(self._patched):
            setattr(owner, attr, original)


def measure(build, repeat):
    """Median seconds per phase over `repeat` builds and compiles, and the node counts."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        spec = build()
        built = time.perf_counter() - t0
        before = count_nodes(spec)
        with PhaseClock() as clock:
            c0 = time.process_time()
            t0 = time.perf_counter()
            f = theano.function(spec["inputs"], spec["outputs"], updates=spec["updates"])
            total = time.perf_counter() - t0
            cpu = time.process_time() - c0
        t0 = time.perf_counter()
        f(*spec["args"])
        first = time.perf_counter() - t0
        phases = dict(clock.seconds)
        phases["other"] = total - sum(phases.values())
        runs.append({"build": built, "phases": phases, "total": total, "cpu": cpu,
                     "first_call": first})
        after = len(f.maker.fgraph.apply_nodes)
        del f, spec
    med = {"build": statistics.median(r["build"] for r in runs),
           "total": statistics.median(r["total"] for r in runs),
           "cpu": statistics.median(r["cpu"] for r in runs),
           "first_call": statistics.median(r["first_call"] for r in runs),
           "phases": {k: statistics.median(r["phases"].get(k, 0.0) for r in runs)
                      for k in runs[0]["phases"]}}
    return med, before, after


def fit_exponent(points):
    """Least-squares slope of log(seconds) against log(nodes); None under 2 points."""
    pts = [(math.log(n), math.log(s)) for n, s in points if n > 0 and s > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else None


def cases(shapes, max_nodes):
    out = []
    for shape in shapes:
        if shape == "seed1":
            out.append(("seed1", "seed-1 logistic regression", seed1))
        elif shape == "mlp":
            out += [("mlp", f"MLP {k} layers", lambda k=k: mlp(k)) for k in MLP_LAYERS
                    if 30 * k <= max_nodes]
        else:
            out += [(shape, f"{shape} chain {n}", lambda n=n, s=shape: chain(n, s))
                    for n in CHAIN_SIZES if n <= max_nodes]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="one repeat, graphs up to 10^4 nodes, seed1/mlp/mixed only")
    ap.add_argument("--shapes", default=None,
                    help="comma-separated families: seed1,mlp,mixed,reuse,unary,inputs,sum "
                         "(default seed1,mlp,mixed,reuse)")
    ap.add_argument("--max-nodes", type=int, default=None,
                    help="largest graph (default 10^5, quick 10^4)")
    ap.add_argument("--repeat", type=int, default=None, help="runs per graph under 10^4 nodes")
    args = ap.parse_args(argv)
    shapes = (args.shapes or ("seed1,mlp,mixed" if args.quick else "seed1,mlp,mixed,reuse"))
    max_nodes = args.max_nodes or (10000 if args.quick else 100000)
    repeat = args.repeat or (1 if args.quick else 3)
    phase_names = ["merge", "canonicalize", "stabilize", "specialize", "fusion"]
    head = (f"{'graph':28s} {'nodes':>7s} {'after':>6s} {'build':>7s} {'fgraph':>7s} "
            + " ".join(f"{p[:8]:>8s}" for p in phase_names)
            + f" {'link':>7s} {'other':>6s} {'compile':>8s} {'cpu':>7s} {'us/node':>8s} "
            f"{'1st call':>8s}")
    print("seconds per phase (medians); compile = theano.function (wall), cpu = its CPU time "
          "(less sensitive to other processes), us/node = cpu per node; build and first call "
          "excluded")
    print(head)
    curves = collections.defaultdict(list)
    for family, name, build in cases(shapes.split(","), max_nodes):
        probe = build()
        size = count_nodes(probe)
        del probe
        med, before, after = measure(build, 1 if size >= 10000 else repeat)
        ph = med["phases"]
        print(f"{name:28s} {before:7d} {after:6d} {med['build']:7.3f} {ph.get('fgraph', 0):7.3f} "
              + " ".join(f"{ph.get(p, 0.0):8.3f}" for p in phase_names)
              + f" {ph.get('link', 0):7.3f} {ph.get('other', 0):6.3f} {med['total']:8.3f} "
              f"{med['cpu']:7.3f} {med['cpu'] * 1e6 / before:8.1f} {med['first_call']:8.3f}",
              flush=True)
        curves[family].append((before, med["total"], med["cpu"]))
    print()
    for family, points in curves.items():
        k_wall = fit_exponent([(n, wall) for n, wall, _ in points])
        k_cpu = fit_exponent([(n, cpu) for n, _, cpu in points])
        if k_wall is not None:
            print(f"{family:8s} compile time ~ nodes^{k_wall:.2f} (CPU time ~ nodes^{k_cpu:.2f}) "
                  f"over {points[0][0]}..{points[-1][0]} nodes")


if __name__ == "__main__":
    main()
