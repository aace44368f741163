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

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import harness  # noqa: E402
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
    notes = {}
    specs = harness.standard_specs(args, BOOT, notes)
    if args.pt_convolve2d:
        py, why = run_all.ensure_pytensor(args.cache_dir, log=log)
        if py is None:
            notes["pt_cvm"] = why
        else:
            specs["pt_cvm"] = harness.foreign_spec(args, py, BOOT, "--impl", "pytensor",
                                                   "--mode", "cvm")
    else:
        notes["pt_cvm"] = ("PyTensor 3.0.7 has no conv2d (no pytensor.tensor.conv); its "
                           "Blockwise signal.convolve2d graph takes seconds per call "
                           "(--pt-convolve2d times it)")
    return harness.open_workers(specs, IMPLS, args, logdir, notes)


def agrees(fp, ref, rtol=2e-4):
    """Fingerprints equal to float32 accuracy (sums over ~10^5 values)."""
    flat = [v for row in fp for v in row]
    flat_ref = [v for row in ref for v in row]
    scale = max(1.0, max(abs(v) for v in flat_ref))
    return len(flat) == len(flat_ref) and all(abs(a - b) <= rtol * scale
                                              for a, b in zip(flat, flat_ref))


def report(names, built, times, notes, info, out=print):
    harness.report(
        names, CONV_WORKLOADS, IMPLS, built, times, notes, info, agrees=agrees,
        time_title=("Per-call time, median over rounds, microseconds (! = outputs differ "
                    "from the NumPy im2col beyond float32 accuracy)"),
        time_cell=run_all.fmt_us, compile_title="Compile + first call, milliseconds",
        compile_cell=lambda b: f"{1e3 * (b['compile_s'] + b['first_call_s']):.0f}",
        width=12, out=out)


def main(argv=None):
    ap = harness.parser(__doc__, 0.3, 0.05)
    ap.add_argument("--pt-convolve2d", action="store_true",
                    help="also time PyTensor's Blockwise signal.convolve2d graph (slow)")
    args = harness.parse(ap, argv, rounds=15, quick_rounds=3, batch_s=0.3, quick_batch_s=0.05)
    harness.run(args, list(CONV_WORKLOADS), start_workers, "conv benchmark",
                "theano-compat-bench-conv-", report)


if __name__ == "__main__":
    main()
