"""Convolution layer benchmark: T.nnet.conv2d forward, and forward + both gradients.

    python tools/bench/bench_conv.py                # ~2 minutes on 2 cores
    python tools/bench/bench_conv.py --quick        # smoke run
    python tools/bench/bench_conv.py --pt-convolve2d   # also time PyTensor's nearest graph

The layer: a batch of 64 images of 3 channels, 32x32, float32, 64 filters 3x3,
border_mode='half' (same-size output), true convolution (Theano's default filter_flip).
"conv_fwd" computes the output; "conv_fwd_bwd" the output and the gradients w.r.t. the
images and the filters of sum(out * g) for a given output gradient g.

Implementations, each in its own worker process driven exactly as tools/bench/run_all.py
drives its workloads (worker.py speaking JSON lines; rounds of alternating batches;
per-call medians; ratios are medians of per-round ratios):

* ours     -- `import theano` from this repository;
* NumPy    -- a plain im2col written here (sliding_window_view, one matmul, col2im with
              one strided add per kernel offset), the way a NumPy user writes it;
* Theano   -- Theano 1.0.5 through shared/tools/theano-ref (its CorrMM C code, built
              without an external BLAS there: blas.ldflags is empty);
* PyTensor -- 3.0.7 has no conv2d (no pytensor.tensor.conv module, no nnet); its nearest
              graph, a Blockwise `pytensor.tensor.signal.convolve2d` per (image, filter,
              channel) pair summed over channels, takes seconds per call, so it is timed
              only with --pt-convolve2d (C VM mode).

BLAS runs single-threaded everywhere by default (--blas-threads), as in run_all.py.

This module imports nothing from the project: the workers import it (to register its
workloads beside those of workloads.py) under this project, Theano 1.0.5 and PyTensor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import run_all  # noqa: E402
import workloads  # noqa: E402

BATCH, CHANNELS, SIZE, FILTERS, K = 64, 3, 32, 64, 3


def _data():
    rng = np.random.RandomState(workloads.SEED)
    x = rng.uniform(-1, 1, (BATCH, CHANNELS, SIZE, SIZE)).astype("float32")
    w = (rng.uniform(-1, 1, (FILTERS, CHANNELS, K, K)) / 5).astype("float32")
    g = rng.uniform(-1, 1, (BATCH, FILTERS, SIZE, SIZE)).astype("float32")
    return x, w, g


# ----------------------------------------------------------------------------- NumPy

def numpy_conv(x, w, g=None):
    """The layer by a plain NumPy im2col: output, and with `g` the gradients (gx, gw)."""
    B, C, H, W = x.shape
    O, _, kh, kw = w.shape
    ph, pw = kh // 2, kw // 2
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))
    cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(B * H * W, C * kh * kw)  # im2col
    wf = w[:, :, ::-1, ::-1].reshape(O, -1)  # flipped kernels: a true convolution
    out = np.ascontiguousarray((cols @ wf.T).reshape(B, H, W, O).transpose(0, 3, 1, 2))
    if g is None:
        return out
    gm = g.transpose(0, 2, 3, 1).reshape(B * H * W, O)
    gw = np.ascontiguousarray((gm.T @ cols).reshape(O, C, kh, kw)[:, :, ::-1, ::-1])
    dcols = (gm @ wf).reshape(B, H, W, C, kh, kw)
    dxp = np.zeros_like(xp)
    for i in range(kh):  # col2im: one strided add per kernel offset
        for j in range(kw):
            dxp[:, :, i:i + H, j:j + W] += dcols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return out, np.ascontiguousarray(dxp[:, :, ph:ph + H, pw:pw + W]), gw


# ----------------------------------------------------------------------------- graphs

def _conv_graph(api, x, w):
    """The layer's output in `api`'s framework."""
    if api.flavor != "pytensor":
        return api.T.nnet.conv2d(x, w, border_mode="half")
    # PyTensor 3.0.7 has no conv2d: its nearest graph is a Blockwise 2-d signal
    # convolution per (image, filter, channel) pair, summed over the channels.
    from pytensor.tensor.signal import convolve2d

    T = api.T
    ph = K // 2
    pad = T.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * ph, x.shape[3] + 2 * ph),
                  dtype=x.dtype)
    xp = T.set_subtensor(pad[:, :, ph:-ph, ph:-ph], x)
    return convolve2d(xp[:, None], w[None], mode="valid").sum(axis=2)


class ConvForward(workloads.Workload):
    name = "conv_fwd"
    label = "conv 64x(3->64)x32x32 fwd f32"

    def args(self):
        return (_data()[0],)

    def graph(self, api):
        th, T = api.th, api.T
        w = th.shared(_data()[1], name="W")
        x = T.tensor4("x", dtype="float32")
        return dict(inputs=[x], outputs=_conv_graph(api, x, w), updates=[], shared=[w])

    def hand(self):
        w = _data()[1]

        def step(x):
            return numpy_conv(x, w)

        return step, lambda: [w]


class ConvForwardBackward(workloads.Workload):
    name = "conv_fwd_bwd"
    label = "conv 64x(3->64)x32x32 fwd+bwd f32"

    def args(self):
        x, _, g = _data()
        return x, g

    def graph(self, api):
        th, T = api.th, api.T
        w = th.shared(_data()[1], name="W")
        x = T.tensor4("x", dtype="float32")
        g = T.tensor4("g", dtype="float32")
        out = _conv_graph(api, x, w)
        gx, gw = T.grad((out * g).sum(), [x, w])
        return dict(inputs=[x, g], outputs=[out, gx, gw], updates=[], shared=[w])

    def hand(self):
        w = _data()[1]

        def step(x, g):
            return list(numpy_conv(x, w, g))

        return step, lambda: [w]


CONV_WORKLOADS = {w.name: w for w in (ConvForward(), ConvForwardBackward())}


def register():
    """Make the conv workloads known to worker.py (called in the worker process)."""
    workloads.WORKLOADS.update(CONV_WORKLOADS)


# ----------------------------------------------------------------------------- driver

# A worker is worker.py run after registering the conv workloads.
BOOT = ("import sys; sys.path.insert(0, {here!r}); import bench_conv; "
        "bench_conv.register(); import worker; worker.main()")

IMPLS = [("ours", "ours"), ("numpy", "NumPy"), ("theano", "Th 1.0.5"),
         ("pt_cvm", "PT cvm")]


def start_workers(args, logdir, log):
    boot = ["-c", BOOT.format(here=HERE)]
    own_env = run_all.worker_env(args.blas_threads, foreign=False)
    foreign_env = run_all.worker_env(args.blas_threads, foreign=True)
    tmp = tempfile.gettempdir()
    specs, notes = {}, {}
    specs["ours"] = ([sys.executable, *boot, "--impl", "ours", "--repo", run_all.REPO],
                     run_all.REPO, own_env)
    specs["numpy"] = ([sys.executable, *boot, "--impl", "numpy"], run_all.REPO, own_env)
    ref = None if args.no_theano else run_all.find_theano_ref()
    if ref:
        # From outside the repository: our alias package would shadow Theano.
        specs["theano"] = ([ref, *boot, "--impl", "theano"], tmp, foreign_env)
    else:
        notes["theano"] = "skipped (--no-theano)" if args.no_theano else "theano-ref not found"
    if args.pt_convolve2d:
        py, why = run_all.ensure_pytensor(args.cache_dir, log=log)
        if py is None:
            notes["pt_cvm"] = why
        else:
            specs["pt_cvm"] = ([py, *boot, "--impl", "pytensor", "--mode", "cvm"], tmp,
                               foreign_env)
    else:
        notes["pt_cvm"] = ("PyTensor 3.0.7 has no conv2d (no pytensor.tensor.conv); its "
                           "Blockwise signal.convolve2d graph takes seconds per call "
                           "(--pt-convolve2d times it)")
    workers, info = {}, {}
    for key, (argv, cwd, env) in specs.items():
        w = run_all.Worker(key, dict(IMPLS)[key], argv, cwd, env, logdir)
        try:
            info[key] = w.request(args.setup_timeout, cmd="info")
            workers[key] = w
        except run_all.WorkerError as exc:
            notes[key] = f"worker failed to start: {exc}"
            w.kill(str(exc))
    return workers, notes, info


def agrees(fp, ref, rtol=2e-4):
    """Fingerprints equal to float32 accuracy (sums over ~10^5 values)."""
    flat = [v for row in fp for v in row]
    flat_ref = [v for row in ref for v in row]
    scale = max(1.0, max(abs(v) for v in flat_ref))
    return len(flat) == len(flat_ref) and all(abs(a - b) <= rtol * scale
                                              for a, b in zip(flat, flat_ref))


def fmt_ratio(x):
    return "n/a" if x is None else f"{x:.3g}x"


def report(names, built, times, notes, info, out=print):
    med = {k: statistics.median(v) for k, v in times.items() if v}
    keys = [k for k, _ in IMPLS]
    labels = dict(IMPLS)
    out("")
    out("Per-call time, median over rounds, microseconds (! = outputs differ from the "
        "NumPy im2col beyond float32 accuracy)")
    head = f"{'workload':36s}" + "".join(f"{labels[k]:>12s}" for k in keys)
    out(head)
    out("-" * len(head))
    for name in names:
        row = f"{CONV_WORKLOADS[name].label:36s}"
        for k in keys:
            b = built.get((k, name))
            if k in notes:
                cell = "n/a"
            elif not isinstance(b, dict):
                cell = "FAIL"
            else:
                cell = run_all.fmt_us(med.get((k, name)))
                ref = built.get(("numpy", name))
                if k != "numpy" and isinstance(ref, dict) and not agrees(b["fingerprint"],
                                                                         ref["fingerprint"]):
                    cell += "!"
            row += f"{cell:>12s}"
        out(row)
    out("")
    out("Ratios, ours / other (median of per-round ratios; < 1 means ours is faster)")
    others = [k for k in keys if k != "ours"]
    head = f"{'workload':36s}" + "".join(f"{'/' + labels[k]:>12s}" for k in others)
    out(head)
    out("-" * len(head))
    for name in names:
        out(f"{CONV_WORKLOADS[name].label:36s}" + "".join(
            f"{fmt_ratio(run_all.paired_ratio(times, 'ours', k, name)):>12s}"
            for k in others))
    out("")
    out("Compile + first call, milliseconds")
    for name in names:
        cells = []
        for k in keys:
            b = built.get((k, name))
            if k != "numpy" and isinstance(b, dict):
                cells.append(f"{labels[k]} {1e3 * (b['compile_s'] + b['first_call_s']):.0f}")
        out(f"  {CONV_WORKLOADS[name].label:36s}" + ", ".join(cells))
    out("")
    out("Implementations:")
    for k in keys:
        if k in notes:
            out(f"  {labels[k]:9s} n/a: {notes[k]}")
        else:
            out(f"  {labels[k]:9s} " + ", ".join(f"{a} {b}" for a, b in info.get(k, {}).items()))
    failed = [(k, n, b) for (k, n), b in sorted(built.items()) if not isinstance(b, dict)]
    for k, n, b in failed:
        out(f"  FAILED {labels[k]} / {n}: {b}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: 3 short rounds")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--batch-s", type=float, default=None,
                    help="seconds per timed batch (default 0.3, quick 0.05)")
    ap.add_argument("--blas-threads", type=int, default=1)
    ap.add_argument("--no-theano", action="store_true")
    ap.add_argument("--pt-convolve2d", action="store_true",
                    help="also time PyTensor's Blockwise signal.convolve2d graph (slow)")
    ap.add_argument("--cache-dir", default=run_all.DEFAULT_CACHE)
    ap.add_argument("--setup-timeout", type=float, default=900)
    args = ap.parse_args(argv)
    args.rounds = args.rounds or (3 if args.quick else 15)
    args.batch_s = args.batch_s or (0.05 if args.quick else 0.3)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    t0 = time.monotonic()
    names = list(CONV_WORKLOADS)
    logdir = tempfile.mkdtemp(prefix="theano-compat-bench-conv-")
    workers = {}
    try:
        log("starting workers ...")
        workers, notes, info = start_workers(args, logdir, log)
        log("compiling ...")
        built = run_all.build_all(workers, names, args, log)
        log(f"timing: {args.rounds} rounds of ~{args.batch_s} s batches ...")
        times = run_all.measure(workers, built, names, args, log)
    finally:
        run_all.close_all(workers)
    print(f"conv benchmark: {args.rounds} rounds, BLAS threads {args.blas_threads}, "
          f"{os.cpu_count()} CPUs")
    report(names, built, times, notes, info)
    if any(not isinstance(b, dict) for b in built.values()):
        print(f"\ntotal {time.monotonic() - t0:.0f} s; worker logs in {logdir}")
    else:
        shutil.rmtree(logdir, ignore_errors=True)
        print(f"\ntotal {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()
