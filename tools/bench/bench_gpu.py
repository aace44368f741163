"""GPU benchmarks: this project on CuPy against the CPU backend and against PyTorch.

    python tools/bench/bench_gpu.py                 # full run (needs an NVIDIA GPU)
    python tools/bench/bench_gpu.py --quick         # fewer repeats, smaller sizes
    python tools/bench/bench_gpu.py --json out.json # also write the figures as JSON

Without CuPy or a usable GPU it prints "skipped: no GPU (<reason>)" and exits 0.

Workloads (float32, data resident on the device for both frameworks):

* elemwise: a 10-op elementwise graph on 10^7 floats.  Target: >= 5x the CPU backend,
  and exactly one kernel launch per fused group per call (launches of the fused kernels
  are counted by the backend; the group count is read off the compiled graph).
* mlp: one SGD step of a 784-500-10 tanh MLP (softmax cross-entropy + L2), batch 256,
  minibatch taken from a shared dataset through `givens`, as the tutorials do.
* lenet: one SGD step of the tutorials' LeNet-5 (conv 20@5x5, pool 2, conv 50@5x5,
  pool 2, tanh 500, softmax 10) on 28x28 images, batch 128.
* rnn: forward + backward + SGD of a tanh RNN over 1,000 steps (scan; batch 16,
  32 inputs, 128 hidden units).

Each model is also written directly in PyTorch (same shapes, same initial weights,
autograd and in-place SGD updates), timed on the same GPU.  Targets: ours within 1.5x of
PyTorch per step on the MLP and LeNet.  Times are medians of `--repeats` timings of
`--steps` back-to-back steps, synchronised before and after; every figure is reported
with the GPU's name.  `--simulate` runs the Theano side on tests/support/fake_cupy.py
(a NumPy stand-in for CuPy) to check this script on a machine without a GPU; its
timings mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

FLOAT = "float32"


# ----------------------------------------------------------------------------- timing


def timed(step, sync, steps, repeats):
    """Median seconds per step over `repeats` runs of `steps` calls (after a warm-up)."""
    step()
    sync()
    times = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        for _ in range(steps):
            step()
        sync()
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times)


# ----------------------------------------------------------------------------- models


def elemwise_graph(T, x, y):
    """Ten elementwise operations (exp, neg, mul, tanh, sub, abs, sqrt, sqr, add, div)."""
    return T.exp(-x) * y + T.tanh(x - y) - T.sqrt(abs(y)) / (1 + T.sqr(x))


def mlp_init(rng):
    return [rng.uniform(-0.05, 0.05, (784, 500)).astype(FLOAT), np.zeros(500, FLOAT),
            np.zeros((500, 10), FLOAT), np.zeros(10, FLOAT)]


def lenet_init(rng):
    def u(*shape, fan):
        bound = np.sqrt(6.0 / fan)
        return rng.uniform(-bound, bound, shape).astype(FLOAT)

    return [u(20, 1, 5, 5, fan=25 + 20 * 25 / 4), np.zeros(20, FLOAT),
            u(50, 20, 5, 5, fan=20 * 25 + 50 * 25 / 4), np.zeros(50, FLOAT),
            u(800, 500, fan=1300), np.zeros(500, FLOAT),
            np.zeros((500, 10), FLOAT), np.zeros(10, FLOAT)]


def rnn_init(rng, n_in=32, n_hidden=128):
    return [(rng.randn(n_in, n_hidden) * 0.1).astype(FLOAT),
            (rng.randn(n_hidden, n_hidden) * 0.05).astype(FLOAT), np.zeros(n_hidden, FLOAT),
            (rng.randn(n_hidden) * 0.1).astype(FLOAT)]


def data(rng, n, shape, n_classes=10):
    return (rng.rand(n, *shape).astype(FLOAT), rng.randint(0, n_classes, n).astype("int32"))


# -- ours -------------------------------------------------------------------------------


def theano_mlp(theano, T, params, X, Y, batch):
    W1, b1, W2, b2 = [theano.shared(p, borrow=True) for p in params]
    Xs, Ys = theano.shared(X), theano.shared(Y)
    i = T.lscalar("i")
    x, y = T.matrix("x"), T.ivector("y")
    h = T.tanh(T.dot(x, W1) + b1)
    p = T.nnet.softmax(T.dot(h, W2) + b2)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y]) + 1e-4 * ((W1 ** 2).sum() + (W2 ** 2).sum())
    ps = [W1, b1, W2, b2]
    grads = T.grad(cost, ps)
    return theano.function([i], cost, updates=[(q, q - 0.01 * g) for q, g in zip(ps, grads)],
                           givens={x: Xs[i * batch:(i + 1) * batch],
                                   y: Ys[i * batch:(i + 1) * batch]})


def theano_lenet(theano, T, params, X, Y, batch):
    from theano.tensor.signal import pool

    shared = [theano.shared(p, borrow=True) for p in params]
    c1, cb1, c2, cb2, W3, b3, W4, b4 = shared
    Xs, Ys = theano.shared(X), theano.shared(Y)
    i = T.lscalar("i")
    x, y = T.tensor4("x"), T.ivector("y")
    a1 = T.tanh(pool.pool_2d(T.nnet.conv2d(x, c1), (2, 2), ignore_border=True)
                + cb1.dimshuffle("x", 0, "x", "x"))
    a2 = T.tanh(pool.pool_2d(T.nnet.conv2d(a1, c2), (2, 2), ignore_border=True)
                + cb2.dimshuffle("x", 0, "x", "x"))
    h = T.tanh(T.dot(a2.flatten(2), W3) + b3)
    p = T.nnet.softmax(T.dot(h, W4) + b4)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    grads = T.grad(cost, shared)
    return theano.function([i], cost, updates=[(q, q - 0.1 * g) for q, g in zip(shared, grads)],
                           givens={x: Xs[i * batch:(i + 1) * batch],
                                   y: Ys[i * batch:(i + 1) * batch]})


def theano_rnn(theano, T, params, X, target):
    W_in, W_h, b, w_out = [theano.shared(p, borrow=True) for p in params]
    Xs, Ts = theano.shared(X), theano.shared(target)
    h0 = T.zeros((X.shape[1], params[1].shape[0]), dtype=FLOAT)
    hs, _ = theano.scan(lambda xt, h: T.tanh(T.dot(xt, W_in) + T.dot(h, W_h) + b),
                        sequences=Xs, outputs_info=h0)
    cost = T.mean((T.dot(hs, w_out) - Ts) ** 2)
    ps = [W_in, W_h, b, w_out]
    grads = T.grad(cost, ps)
    return theano.function([], cost, updates=[(q, q - 0.01 * g) for q, g in zip(ps, grads)])


# -- PyTorch ----------------------------------------------------------------------------


def torch_models(torch):
    F = torch.nn.functional
    dev = "cuda"

    def tensors(params):
        return [torch.tensor(p, device=dev, requires_grad=True) for p in params]

    def sgd(ps, lr):
        with torch.no_grad():
            for q in ps:
                q -= lr * q.grad
                q.grad = None

    def mlp(params, X, Y, batch):
        ps = tensors(params)
        Xt, Yt = torch.tensor(X, device=dev), torch.tensor(Y, device=dev).long()

        def step(i):
            W1, b1, W2, b2 = ps
            x, y = Xt[i * batch:(i + 1) * batch], Yt[i * batch:(i + 1) * batch]
            h = torch.tanh(x @ W1 + b1)
            cost = F.cross_entropy(h @ W2 + b2, y) + 1e-4 * ((W1 ** 2).sum() + (W2 ** 2).sum())
            cost.backward()
            sgd(ps, 0.01)
            return cost
        return step

    def lenet(params, X, Y, batch):
        ps = tensors(params)
        Xt, Yt = torch.tensor(X, device=dev), torch.tensor(Y, device=dev).long()

        def step(i):
            c1, cb1, c2, cb2, W3, b3, W4, b4 = ps
            x, y = Xt[i * batch:(i + 1) * batch], Yt[i * batch:(i + 1) * batch]
            a1 = torch.tanh(F.max_pool2d(F.conv2d(x, c1), 2) + cb1.view(1, -1, 1, 1))
            a2 = torch.tanh(F.max_pool2d(F.conv2d(a1, c2), 2) + cb2.view(1, -1, 1, 1))
            h = torch.tanh(a2.flatten(1) @ W3 + b3)
            cost = F.cross_entropy(h @ W4 + b4, y)
            cost.backward()
            sgd(ps, 0.1)
            return cost
        return step

    def rnn(params, X, target):
        ps = tensors(params)
        Xt, Tt = torch.tensor(X, device=dev), torch.tensor(target, device=dev)

        def step():
            W_in, W_h, b, w_out = ps
            h = torch.zeros(X.shape[1], params[1].shape[0], device=dev)
            hs = []
            for t in range(X.shape[0]):
                h = torch.tanh(Xt[t] @ W_in + h @ W_h + b)
                hs.append(h)
            cost = ((torch.stack(hs) @ w_out - Tt) ** 2).mean()
            cost.backward()
            sgd(ps, 0.01)
            return cost
        return step

    return mlp, lenet, rnn


# ----------------------------------------------------------------------------- driver


def run(args):
    # floatX=float32 as GPU users set it (T.matrix() etc. are float32); flags given on the
    # command line's environment come after, so they win.
    os.environ["THEANO_FLAGS"] = ",".join(
        f for f in ("floatX=float32", os.environ.get("THEANO_FLAGS", "")) if f)
    if args.simulate:
        import pytest

        from tests.support import fake_cupy

        mp = pytest.MonkeyPatch()
        fake_cupy.install(mp)
    import theano.tensor as T

    import theano
    from theano_compat import backend as B

    try:
        gpu = B.get("cuda")
    except (ImportError, RuntimeError) as e:
        print(f"skipped: no GPU ({str(e).splitlines()[0]})")
        return {"skipped": str(e)}
    gpu.launch_counts = {}  # count launches of every fused kernel made from now on
    name = gpu.device_name
    print(f"GPU: {name} (cuda{gpu.index})")
    try:
        import torch

        torch_ok = torch.cuda.is_available() and not args.simulate
        torch_why = "" if torch_ok else "torch.cuda.is_available() is False"
    except ImportError:
        torch, torch_ok, torch_why = None, False, "PyTorch is not installed"
    quick = args.quick
    steps, repeats = (3, 3) if quick else (20, 7)
    rng = np.random.RandomState(0)
    results = {"gpu": name, "workloads": {}}

    def sync_gpu():
        gpu.synchronize()

    def sync_torch():
        torch.cuda.synchronize()

    def report(key, ours, versus, label, target=None):
        ratio = ours / versus if versus else None
        entry = {"ours_ms": ours * 1e3, f"{label}_ms": None if versus is None else versus * 1e3,
                 "ratio": ratio}
        if target is not None and ratio is not None:
            entry["target"] = target
            entry["meets_target"] = (ratio <= target) if label == "pytorch" else (
                1 / ratio >= target)
        results["workloads"][key] = entry
        other = "n/a" if versus is None else f"{versus * 1e3:9.3f} ms"
        extra = "" if ratio is None else (f"  speed-up {1 / ratio:6.1f}x" if label == "cpu"
                                          else f"  ratio {ratio:5.2f}x")
        print(f"  {key:9s} ours {ours * 1e3:9.3f} ms   {label} {other}{extra}   [{name}]")

    # -- elemwise ---------------------------------------------------------------------------
    n = 10 ** 5 if (quick or args.simulate) else 10 ** 7
    xv = rng.uniform(-2, 2, n).astype(FLOAT)
    yv = rng.uniform(-2, 2, n).astype(FLOAT)
    x, y = T.vector("x", dtype=FLOAT), T.vector("y", dtype=FLOAT)
    with B.using(gpu):
        f_gpu = theano.function([x, y], theano.Out(elemwise_graph(T, x, y), borrow=True))
    with B.using("cpu"):
        f_cpu = theano.function([x, y], elemwise_graph(T, x, y))
    groups = sum(1 for nd in f_gpu.maker.fgraph.toposort() if type(nd.op).__name__ ==
                 "GpuElemwise")
    xd, yd = gpu.asarray(xv), gpu.asarray(yv)
    f_gpu(xd, yd)
    before = sum(gpu.launch_counts.values())
    f_gpu(xd, yd)
    launches = sum(gpu.launch_counts.values()) - before
    err = float(np.max(np.abs(gpu.to_host(f_gpu(xd, yd)) - f_cpu(xv, yv))))
    t_gpu = timed(lambda: f_gpu(xd, yd), sync_gpu, steps * 5, repeats)
    t_cpu = timed(lambda: f_cpu(xv, yv), lambda: None, max(1, steps // 2), repeats)
    print(f"  elemwise: {n} float32, {groups} fused group(s), {launches} kernel launch(es) "
          f"per call, max |gpu - cpu| = {err:.2e}")
    report("elemwise", t_gpu, t_cpu, "cpu", target=5.0)
    results["workloads"]["elemwise"].update(groups=groups, launches_per_call=launches,
                                            one_launch_per_group=launches == groups)

    # -- models -----------------------------------------------------------------------------
    mlp_t = lenet_t = rnn_t = None
    if torch_ok:
        mlp_t, lenet_t, rnn_t = torch_models(torch)
    else:
        print(f"  (PyTorch side skipped: {torch_why})")

    k = [0]  # the minibatch index, advanced by our step and read by PyTorch's

    def compare_model(name, theano_build, torch_build, params, X, Y, batch, nbatches):
        """Time our minibatch step (cycling over `nbatches`) against PyTorch's."""
        with B.using(gpu):
            f = theano_build(theano, T, params, X, Y, batch)

        def ours():
            k[0] = (k[0] + 1) % nbatches
            f(k[0])
        t_ours = timed(ours, sync_gpu, steps, repeats)
        t_torch = None
        if torch_build is not None:
            tstep = torch_build(params, X, Y, batch)
            t_torch = timed(lambda: tstep(k[0]), sync_torch, steps, repeats)
        report(name, t_ours, t_torch, "pytorch", target=1.5)

    batch = 32 if (quick or args.simulate) else 256
    X, Y = data(rng, batch * 8, (784,))
    compare_model("mlp", theano_mlp, mlp_t, mlp_init(rng), X, Y, batch, 8)

    batch = 8 if (quick or args.simulate) else 128
    X, Y = data(rng, batch * 4, (1, 28, 28))
    compare_model("lenet", theano_lenet, lenet_t, lenet_init(rng), X, Y, batch, 4)

    length = 50 if (quick or args.simulate) else 1000
    X = (rng.randn(length, 16, 32) * 0.5).astype(FLOAT)
    target = np.sin(np.cumsum(X[:, :, 0], axis=0)).astype(FLOAT)
    params = rnn_init(rng)
    with B.using(gpu):
        f = theano_rnn(theano, T, params, X, target)
    t_ours = timed(f, sync_gpu, max(1, steps // 5), repeats)
    t_torch = None
    if rnn_t is not None:
        tstep = rnn_t(params, X, target)
        t_torch = timed(tstep, sync_torch, max(1, steps // 5), repeats)
    report(f"rnn{length}", t_ours, t_torch, "pytorch")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--simulate", action="store_true",
                        help="run on the simulated GPU (checks the script, not the speed)")
    args = parser.parse_args(argv)
    results = run(args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
