"""LeNet-5 training-step benchmark (DeepLearningTutorials' convolutional_mlp.py sizes).

    python tools/bench/bench_lenet.py              # ~1-2 minutes on 2 cores (+ Theano's
                                                   #  first C compile, cached afterwards)
    python tools/bench/bench_lenet.py --quick      # smoke run
    python tools/bench/bench_lenet.py --no-theano

The step: a minibatch of 500 28x28 float32 images sliced out of a shared training set by
`givens` (as the tutorial does), conv 5x5 (1->20) + 2x2 max pool + tanh, conv 5x5 (20->50)
+ 2x2 max pool + tanh, flatten, tanh hidden layer 800->500, softmax regression 500->10,
mean negative log-likelihood, T.grad over the 8 parameters and one SGD update (lr 0.1).
Output: the cost.

Implementations, each in its own worker process driven exactly as tools/bench/run_all.py
drives its workloads (worker.py speaking JSON lines; rounds of alternating batches;
per-call medians; ratios are medians of per-round ratios):

* ours     -- `import theano` from this repository;
* NumPy    -- the same step written here by hand: im2col (sliding_window_view + one
              reshape copy) and one GEMM per convolution, channels-last activations so the
              GEMM results need no transpose, 2x2 pooling as the maximum of four strided
              views, backward by the transposed GEMMs, col2im with one strided add per
              kernel offset and a broadcast mask for the pooling, in-place SGD.
              (bench_conv.py's im2col is specialised to 'half' padding and NCHW, so it
              is not reused.)
* Theano   -- Theano 1.0.5 through shared/tools/theano-ref (CorrMM C code; built there
              without an external BLAS: blas.ldflags is empty);
* PyTensor -- 3.0.7 has neither conv2d (no pytensor.tensor.conv / nnet module) nor pooling
              (no pytensor.tensor.signal.pool): n/a.  The probe below says what the
              installed venv has.

BLAS runs single-threaded everywhere by default (--blas-threads), as in run_all.py.
This module imports nothing from the project: the workers import it (to register its
workload) under this project and under Theano 1.0.5.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import harness  # noqa: E402 - a sibling module: needs HERE on sys.path
import workloads  # noqa: E402 - a sibling module: needs HERE on sys.path

# ----------------------------------------------------------------------------- NumPy


def _windows(x, k):
    """(B, OH, OW, C, k, k) view of channels-last x (B, H, W, C): every k x k patch."""
    return np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))


def conv_forward(x, w):
    """Valid convolution (kernels flipped, Theano's conv2d) of channels-last x (B, H, W, C)
    with w (O, C, k, k): (out (B, OH, OW, O), cols (B*OH*OW, C*k*k), flipped w matrix)."""
    B, H, W, C = x.shape
    O, _, k, _ = w.shape
    oh, ow = H - k + 1, W - k + 1
    cols = _windows(x, k).reshape(B * oh * ow, C * k * k)  # im2col: one copy
    wf = w[:, :, ::-1, ::-1].reshape(O, C * k * k)
    return (cols @ wf.T).reshape(B, oh, ow, O), cols, wf


def conv_backward(gout, cols, wf, x_shape, need_input_grad=True):
    """Gradients (gx channels-last or None, gw (O, C, k, k)) of `conv_forward` for the
    output gradient gout (B, OH, OW, O)."""
    B, H, W, C = x_shape
    O = wf.shape[0]
    k = round((wf.shape[1] // C) ** 0.5)
    oh, ow = H - k + 1, W - k + 1
    gm = gout.reshape(B * oh * ow, O)
    gw = (gm.T @ cols).reshape(O, C, k, k)[:, :, ::-1, ::-1]
    if not need_input_grad:
        return None, gw
    dcols = (gm @ wf).reshape(B, oh, ow, C, k, k)
    gx = np.zeros(x_shape, dtype=gout.dtype)
    for i in range(k):  # col2im: one strided add per kernel offset
        for j in range(k):
            gx[:, i:i + oh, j:j + ow, :] += dcols[:, :, :, :, i, j]
    return gx, gw


def pool_forward(a):
    """2x2 max pooling (ignore_border) of channels-last a (B, H, W, C): the maximum of the
    four strided views (a reshape + max over axes 2 and 4 is ~5x slower channels-last)."""
    H, W = a.shape[1] // 2 * 2, a.shape[2] // 2 * 2
    out = np.maximum(a[:, 0:H:2, 0:W:2], a[:, 0:H:2, 1:W:2])
    np.maximum(out, a[:, 1:H:2, 0:W:2], out=out)
    return np.maximum(out, a[:, 1:H:2, 1:W:2], out=out)


def pool_backward(a, pooled, gpooled):
    """Gradient of `pool_forward`: every input equal to its window's max receives the
    window's gradient (Theano's MaxPoolGrad rule); a broadcast mask over the windows seen
    as a reshape (2x faster here than four strided writes)."""
    B, H, W, C = a.shape
    blocks = a.reshape(B, H // 2, 2, W // 2, 2, C)
    mask = blocks == pooled[:, :, None, :, None, :]
    return (mask * gpooled[:, :, None, :, None, :]).reshape(B, H, W, C)


# ----------------------------------------------------------------------------- workload

class LeNetStep(workloads.Workload):
    """One SGD step of LeNet-5 on a minibatch sliced from a shared training set."""

    def __init__(self, batch=500, nkerns=(20, 50), n_hidden=500, n_out=10, lr=0.1,
                 name="lenet", dtype="float32"):
        self.batch, self.nkerns, self.n_hidden, self.n_out = batch, tuple(nkerns), n_hidden, n_out
        self.lr, self.dtype, self.name = lr, dtype, name
        self.label = (f"LeNet-5 step b{batch} k{self.nkerns[0]},{self.nkerns[1]} "
                      f"h{n_hidden} {dtype[0]}{dtype[-2:]}")

    def _data(self):
        """A training set of two minibatches (the step uses minibatch 0)."""
        rng = np.random.RandomState(workloads.SEED + 1)
        x = rng.uniform(0, 1, (2 * self.batch, 784)).astype(self.dtype)
        y = rng.randint(0, self.n_out, 2 * self.batch).astype("int32")
        return x, y

    def _params(self):
        """Initial parameters, tutorial order (output layer first) and initialisation."""
        rng = np.random.RandomState(workloads.SEED)
        k0, k1 = self.nkerns
        out = []
        for shape in ((k0, 1, 5, 5), (k1, k0, 5, 5)):
            fan_in = np.prod(shape[1:])
            fan_out = shape[0] * np.prod(shape[2:]) // 4
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            out.append([rng.uniform(-bound, bound, shape).astype(self.dtype),
                        np.zeros(shape[0], self.dtype)])
        n_in = k1 * 16
        bound = np.sqrt(6.0 / (n_in + self.n_hidden))
        hidden = [rng.uniform(-bound, bound, (n_in, self.n_hidden)).astype(self.dtype),
                  np.zeros(self.n_hidden, self.dtype)]
        logreg = [np.zeros((self.n_hidden, self.n_out), self.dtype),
                  np.zeros(self.n_out, self.dtype)]
        return logreg + hidden + out[1] + out[0]

    def args(self):
        return (0,)

    def graph(self, api):
        th, T = api.th, api.T
        from theano.tensor.signal.pool import pool_2d  # theano flavours only (see above)

        names = ("W3", "b3", "W2", "b2", "W1", "b1", "W0", "b0")
        params = [th.shared(v, name=n) for v, n in zip(self._params(), names)]
        W3, b3, W2, b2, W1, b1, W0, b0 = params
        xs, ys = self._data()
        train_x = th.shared(xs, name="train_x")
        train_y = T.cast(th.shared(ys.astype(self.dtype), name="train_y"), "int32")
        bs, (k0, k1) = self.batch, self.nkerns
        index = T.lscalar("index")
        x, y = T.matrix("x", dtype=self.dtype), T.ivector("y")

        def conv_pool(inp, W, b, image_shape, filter_shape):
            c = T.nnet.conv2d(inp, W, input_shape=image_shape, filter_shape=filter_shape)
            p = pool_2d(c, ws=(2, 2), ignore_border=True)
            return T.tanh(p + b.dimshuffle("x", 0, "x", "x"))

        h0 = conv_pool(x.reshape((bs, 1, 28, 28)), W0, b0, (bs, 1, 28, 28), (k0, 1, 5, 5))
        h1 = conv_pool(h0, W1, b1, (bs, k0, 12, 12), (k1, k0, 5, 5))
        h2 = T.tanh(T.dot(h1.flatten(2), W2) + b2)
        p = T.nnet.softmax(T.dot(h2, W3) + b3)
        cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
        grads = T.grad(cost, params)
        givens = {x: train_x[index * bs:(index + 1) * bs],
                  y: train_y[index * bs:(index + 1) * bs]}
        # The rate as a constant of the parameters' dtype: a Python float would upcast
        # float32 updates under the workers' default floatX=float64.
        lr = np.asarray(self.lr, dtype=self.dtype)
        return {"inputs": [index], "outputs": cost,
                "updates": [(v, v - lr * g) for v, g in zip(params, grads)],
                "shared": params, "kwargs": {"givens": givens}}

    def hand(self):
        params = self._params()
        W3, b3, W2, b2, W1, b1, W0, b0 = params
        xs, ys = self._data()
        bs, lr = self.batch, np.asarray(self.lr, self.dtype)
        rows = np.arange(bs)

        def step(index):
            x = xs[index * bs:(index + 1) * bs].reshape(bs, 28, 28, 1)  # channels-last
            y = ys[index * bs:(index + 1) * bs]
            # forward
            c0, cols0, wf0 = conv_forward(x, W0)
            p0 = pool_forward(c0)
            h0 = np.tanh(p0 + b0)
            c1, cols1, wf1 = conv_forward(h0, W1)
            p1 = pool_forward(c1)
            h1 = np.tanh(p1 + b1)
            f = h1.transpose(0, 3, 1, 2).reshape(bs, -1)  # flatten(2) in (C, H, W) order
            h2 = np.tanh(f @ W2 + b2)
            z = h2 @ W3 + b3
            z -= z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            cost = -logp[rows, y].mean()
            # backward
            dz = np.exp(logp)
            dz[rows, y] -= 1
            dz /= bs
            gW3, gb3 = h2.T @ dz, dz.sum(axis=0)
            dh2 = (dz @ W3.T) * (1 - h2 * h2)
            gW2, gb2 = f.T @ dh2, dh2.sum(axis=0)
            dh1 = (dh2 @ W2.T).reshape(bs, -1, 4, 4).transpose(0, 2, 3, 1)
            dp1 = dh1 * (1 - h1 * h1)
            gb1 = dp1.sum(axis=(0, 1, 2))
            dh0, gW1 = conv_backward(pool_backward(c1, p1, dp1), cols1, wf1, h0.shape)
            dp0 = dh0 * (1 - h0 * h0)
            gb0 = dp0.sum(axis=(0, 1, 2))
            _, gW0 = conv_backward(pool_backward(c0, p0, dp0), cols0, wf0, x.shape,
                                   need_input_grad=False)
            for v, g in zip(params, (gW3, gb3, gW2, gb2, gW1, gb1, gW0, gb0)):
                v -= lr * g  # in place: the parameters live in `params`
            return np.asarray(cost, self.dtype)

        return step, lambda: params


LENET_WORKLOADS = {w.name: w for w in (LeNetStep(),)}


def register():
    """Make the LeNet workload known to worker.py (called in the worker process)."""
    workloads.WORKLOADS.update(LENET_WORKLOADS)


# ----------------------------------------------------------------------------- driver

BOOT = ("import sys; sys.path.insert(0, {here!r}); import bench_lenet; "
        "bench_lenet.register(); import worker; worker.main()")

IMPLS = [("ours", "ours"), ("numpy", "NumPy"), ("theano", "Th 1.0.5"), ("pytensor", "PyTensor")]

PT_PROBE = ("import importlib.util as u, pytensor; "
            "print(pytensor.__version__, "
            "[m for m in ('pytensor.tensor.conv', 'pytensor.tensor.nnet', "
            "'pytensor.tensor.signal.pool') if u.find_spec(m.rsplit('.', 1)[0]) "
            "and u.find_spec(m)])")


def pytensor_note(cache_dir):
    """Why PyTensor has no column: its version and which conv/pool modules it has."""
    py = os.path.join(cache_dir, "pytensor-venv", "bin", "python")
    if not os.path.exists(py):
        return "PyTensor 3.0.7 has no conv2d and no pool (venv not installed to re-check)"
    r = subprocess.run([py, "-c", PT_PROBE], capture_output=True, text=True,
                       cwd=tempfile.gettempdir(), timeout=120, check=False)
    if r.returncode:
        return "PyTensor venv does not import: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    version, found = r.stdout.strip().split(" ", 1)
    if found == "[]":
        return (f"PyTensor {version} has no conv2d (no pytensor.tensor.conv or nnet) and no "
                "pooling (no pytensor.tensor.signal.pool); only Blockwise "
                "signal.convolve2d, which bench_conv.py --pt-convolve2d shows to take "
                "seconds per single layer")
    return f"PyTensor {version} has {found}; this bench does not drive them yet"


def start_workers(args, logdir, log):
    notes = {"pytensor": pytensor_note(args.cache_dir)}
    specs = harness.standard_specs(args, BOOT, notes)
    return harness.open_workers(specs, IMPLS, args, logdir, notes)


def agrees(fp, ref, rtol=1e-3):
    """Cost and parameters after one step equal to float32 accuracy (sums of ~10^5)."""
    flat = [v for row in fp for v in row]
    flat_ref = [v for row in ref for v in row]
    return len(flat) == len(flat_ref) and all(
        abs(a - b) <= rtol * max(1.0, abs(b)) for a, b in zip(flat, flat_ref))


def report(names, built, times, notes, info, out=print):
    harness.report(
        names, LENET_WORKLOADS, IMPLS, built, times, notes, info, agrees=agrees,
        time_title=("Per-step time, median over rounds, milliseconds (! = cost or "
                    "parameters after the first step differ from the NumPy step beyond "
                    "float32 accuracy)"),
        time_cell=lambda sec: "n/a" if sec is None else f"{1e3 * sec:.1f}",
        compile_title="Compile + first call, seconds",
        compile_cell=lambda b: f"{b['compile_s'] + b['first_call_s']:.2f}",
        width=11, out=out)


def main(argv=None):
    ap = harness.parser(__doc__, 0.5, 0.1)
    args = harness.parse(ap, argv, rounds=11, quick_rounds=3, batch_s=0.5, quick_batch_s=0.1)
    harness.run(args, list(LENET_WORKLOADS), start_workers, "LeNet-5 benchmark",
                "theano-compat-bench-lenet-", report)


if __name__ == "__main__":
    main()
