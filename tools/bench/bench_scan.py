"""Micro-benchmark of theano.scan against Python loops over NumPy (DESIGN.md §9.5).

Usage: python tools/bench/bench_scan.py [--steps N] [--hidden H] [--repeat R]

(a) Per-iteration overhead: a trivial scan (one addition on a 0-d state) against the
    same compiled inner function called in a Python loop; the difference per step is
    what scan adds (budget: 5 us).
(b) An Elman RNN, h_t = tanh(x_t W + h_{t-1} U + b), of N steps with H hidden units
    (inputs of H features) for batch 1 and 16: the forward pass, and forward + backward
    (gradient of sum(h) with respect to W, U and b, back-propagation through time),
    against hand-written NumPy loops computing the same numbers.
(c) The per-step cost as a slope: the trivial scan timed at N and 4N steps (alternating,
    CPU time of the process), (t(4N) - t(N)) / 3N, which leaves out the per-call costs
    (budget: 5 us).
(d) An LSTM training call in Theano 1.0-era style (the deeplearning.net LSTM tutorial's
    model: embedding 128, hidden 128, batch 16, 100 steps, masks, mean pooling, softmax,
    adadelta's f_grad_shared + f_update), compiled with FAST_RUN and with FAST_RUN minus
    the scan rewrites named in --without (default: the ones that push the reverse loop's
    weight-gradient sums out of the loop and shrink its unread states), timed alternately;
    also the number of ndarray.copy calls per training call (cProfile).
Prints microseconds per step and ratios (scan / NumPy; budget: 2).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import timeit
from collections import OrderedDict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import theano  # noqa: E402
import theano.tensor as T  # noqa: E402


# The clock (--cpu-time: this process's CPU time, which on a loaded machine leaves out
# the time slices other processes take; meaningful with single-threaded BLAS,
# OPENBLAS_NUM_THREADS=1, as the CPU time of BLAS threads adds up).
TIMER = [timeit.default_timer]


def best(fn, repeat):
    fn()  # warm-up: first-call allocations
    return min(timeit.repeat(fn, number=1, repeat=repeat, timer=TIMER[0]))


def best_pair(f, g, repeat):
    """Best times of f and g, timed alternately so that a slow phase of a shared machine
    hits both."""
    f()
    g()
    tf, tg = [], []
    for _ in range(repeat):
        tf.append(min(timeit.repeat(f, number=1, repeat=1, timer=TIMER[0])))
        tg.append(min(timeit.repeat(g, number=1, repeat=1, timer=TIMER[0])))
    return min(tf), min(tg)


# ----------------------------------------------------------------------------- (a) overhead


def overhead(steps, repeat):
    s0 = T.dscalar("s0")
    out, _ = theano.scan(lambda s: s + 1.0, outputs_info=s0, n_steps=steps)
    f_scan = theano.function([s0], out[-1])
    s = T.dscalar("s")
    inner = theano.function([s], s + 1.0)
    inner_fn = inner.maker.program.fn  # what the scan loop calls: the program, no checks
    x0 = np.asarray(0.0)

    def loop_function():
        v = x0
        for _ in range(steps):
            v = inner(v)
        return v

    def loop_program():
        v = x0
        for _ in range(steps):
            v = inner_fn(v)[0]
        return v

    assert f_scan(x0) == steps
    t_scan, t_prog = best_pair(lambda: f_scan(x0), loop_program, repeat)
    t_func = best(loop_function, repeat)
    return t_scan / steps, t_prog / steps, t_func / steps


# ----------------------------------------------------------------------------- (b) RNN


def numpy_forward(x, h0, W, U, b):
    h = h0
    hs = np.empty((x.shape[0],) + h0.shape)
    xw = x @ W  # the input projection of every step at once, as a NumPy user writes it
    for t in range(x.shape[0]):
        h = np.tanh(xw[t] + h @ U + b)
        hs[t] = h
    return hs


def numpy_forward_backward(x, h0, W, U, b):
    hs = numpy_forward(x, h0, W, U, b)
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    dh = np.zeros_like(h0)
    for t in range(x.shape[0] - 1, -1, -1):
        h_prev = hs[t - 1] if t else h0
        da = (dh + 1.0) * (1.0 - hs[t] ** 2)  # d sum(h) / d h_t = 1
        dW += x[t].T @ da if x.ndim == 3 else np.outer(x[t], da)
        dU += h_prev.T @ da if h0.ndim == 2 else np.outer(h_prev, da)
        db += da.sum(axis=0) if da.ndim == 2 else da
        dh = da @ U.T
    return hs, dW, dU, db


def theano_rnn(batch):
    x = T.tensor3("x") if batch else T.matrix("x")
    h0 = T.matrix("h0") if batch else T.vector("h0")
    W, U = T.matrix("W"), T.matrix("U")
    b = T.vector("b")

    def step(xt, h, W, U, b):
        return T.tanh(T.dot(xt, W) + T.dot(h, U) + b)

    hs, _ = theano.scan(step, sequences=x, outputs_info=h0, non_sequences=[W, U, b])
    f_fwd = theano.function([x, h0, W, U, b], hs)
    grads = T.grad(hs.sum(), [W, U, b])
    f_bwd = theano.function([x, h0, W, U, b], [hs] + grads)
    return f_fwd, f_bwd


def rnn(steps, hidden, batch, repeat):
    rng = np.random.RandomState(0)
    shape = (steps, batch, hidden) if batch else (steps, hidden)
    x = rng.standard_normal(shape) * 0.5
    h0 = np.zeros((batch, hidden) if batch else hidden)
    W = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
    U = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
    b = rng.standard_normal(hidden) * 0.1
    f_fwd, f_bwd = theano_rnn(batch)
    args = (x, h0, W, U, b)
    # Same numbers first (the NumPy loops are the reference).
    np.testing.assert_allclose(f_fwd(*args), numpy_forward(*args), rtol=1e-9, atol=1e-12)
    for got, want in zip(f_bwd(*args), numpy_forward_backward(*args)):
        np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-10)
    times = {
        "forward": best_pair(lambda: f_fwd(*args), lambda: numpy_forward(*args), repeat),
        "forward+backward": best_pair(lambda: f_bwd(*args),
                                      lambda: numpy_forward_backward(*args), repeat),
    }
    return {k: (a / steps, b_ / steps) for k, (a, b_) in times.items()}


# ----------------------------------------------------------------------------- (c) slope


def step_slope(steps, repeat):
    """Seconds per step of the trivial scan, from N and 4N steps timed alternately, in
    CPU time of this process (time.process_time): on a loaded machine, wall time counts
    the time slices other processes take, and the longer run loses more of them."""
    s0 = T.dscalar("s0")
    n = T.iscalar("n")
    out, _ = theano.scan(lambda s: s + 1.0, outputs_info=s0, n_steps=n)
    f = theano.function([s0, n], out[-1])
    x0 = np.asarray(0.0)
    assert f(x0, steps) == steps
    f(x0, 4 * steps)
    t1, t4 = [], []
    for _ in range(repeat):
        t1.append(min(timeit.repeat(lambda: f(x0, steps), number=1, repeat=3,
                                    timer=time.process_time)))
        t4.append(min(timeit.repeat(lambda: f(x0, 4 * steps), number=1, repeat=3,
                                    timer=time.process_time)))
    return (min(t4) - min(t1)) / (3 * steps), min(t1)


# ----------------------------------------------------------------------------- (d) LSTM

NEW_RULES = ("scan_pushout_output", "scanOp_save_mem", "scan_inner_canonicalize",
             "scan_pushout_nits")


def lstm_model(mode=None, n_words=1000, dim=128, batch=16, steps=100, ydim=2, seed=0):
    """The LSTM tutorial's model and adadelta, as legacy code wrote it; returns
    ``(train, params)``: one training call (f_grad_shared then f_update) on fixed data."""
    fx = theano.config.floatX
    rng = np.random.RandomState(seed)

    def ortho(n):
        u, _, _ = np.linalg.svd(rng.randn(n, n))
        return u.astype(fx)

    params = OrderedDict()
    params["Wemb"] = (0.01 * rng.rand(n_words, dim)).astype(fx)
    params["lstm_W"] = np.concatenate([ortho(dim) for _ in range(4)], axis=1)
    params["lstm_U"] = np.concatenate([ortho(dim) for _ in range(4)], axis=1)
    params["lstm_b"] = np.zeros((4 * dim,), dtype=fx)
    params["U"] = 0.01 * rng.randn(dim, ydim).astype(fx)
    params["b"] = np.zeros((ydim,)).astype(fx)
    tparams = OrderedDict((k, theano.shared(v, name=k)) for k, v in params.items())
    x = T.matrix("x", dtype="int64")
    mask = T.matrix("mask", dtype=fx)
    y = T.vector("y", dtype="int64")
    n_timesteps, n_samples = x.shape[0], x.shape[1]
    emb = tparams["Wemb"][x.flatten()].reshape([n_timesteps, n_samples, dim])

    def _slice(_x, n, d):
        return _x[:, n * d:(n + 1) * d]

    def _step(m_, x_, h_, c_):
        preact = T.dot(h_, tparams["lstm_U"])
        preact += x_
        i = T.nnet.sigmoid(_slice(preact, 0, dim))
        f = T.nnet.sigmoid(_slice(preact, 1, dim))
        o = T.nnet.sigmoid(_slice(preact, 2, dim))
        c = T.tanh(_slice(preact, 3, dim))
        c = f * c_ + i * c
        c = m_[:, None] * c + (1. - m_)[:, None] * c_
        h = o * T.tanh(c)
        h = m_[:, None] * h + (1. - m_)[:, None] * h_
        return h, c

    state_below = T.dot(emb, tparams["lstm_W"]) + tparams["lstm_b"]
    zero = np.asarray(0., dtype=fx)
    rval, _ = theano.scan(_step, sequences=[mask, state_below],
                          outputs_info=[T.alloc(zero, n_samples, dim),
                                        T.alloc(zero, n_samples, dim)],
                          name="lstm_layers", n_steps=n_timesteps)
    proj = (rval[0] * mask[:, :, None]).sum(axis=0) / mask.sum(axis=0)[:, None]
    pred = T.nnet.softmax(T.dot(proj, tparams["U"]) + tparams["b"])
    cost = -T.log(pred[T.arange(n_samples), y] + 1e-8).mean()
    grads = T.grad(cost, wrt=list(tparams.values()))
    lr = T.scalar("lr", dtype=fx)

    def zeros_like_param(suffix):
        return [theano.shared(p.get_value() * zero, name=f"{k}_{suffix}")
                for k, p in tparams.items()]

    zipped_grads, running_up2, running_grads2 = (zeros_like_param("grad"),
                                                 zeros_like_param("rup2"),
                                                 zeros_like_param("rgrad2"))
    zgup = list(zip(zipped_grads, grads))
    rg2up = [(rg2, 0.95 * rg2 + 0.05 * (g ** 2)) for rg2, g in zip(running_grads2, grads)]
    f_grad_shared = theano.function([x, mask, y], cost, updates=zgup + rg2up, mode=mode,
                                    name="adadelta_f_grad_shared")
    updir = [-T.sqrt(ru2 + 1e-6) / T.sqrt(rg2 + 1e-6) * zg
             for zg, ru2, rg2 in zip(zipped_grads, running_up2, running_grads2)]
    ru2up = [(ru2, 0.95 * ru2 + 0.05 * (ud ** 2)) for ru2, ud in zip(running_up2, updir)]
    param_up = [(p, p + ud) for p, ud in zip(tparams.values(), updir)]
    f_update = theano.function([lr], [], updates=ru2up + param_up, on_unused_input="ignore",
                               mode=mode, name="adadelta_f_update")
    xs = rng.randint(1, n_words, size=(steps, batch)).astype("int64")
    lengths = rng.randint(steps // 2, steps + 1, size=batch)
    lengths[0] = steps
    m = (np.arange(steps)[:, None] < lengths[None, :]).astype(fx)
    ys = rng.randint(0, ydim, size=batch).astype("int64")

    def train():
        c = f_grad_shared(xs, m, ys)
        f_update(0.0001)
        return c

    return train, tparams


def copies_per_call(train):
    """ndarray.copy calls in one training call (cProfile)."""
    prof = cProfile.Profile()
    prof.enable()
    train()
    prof.disable()
    stats = pstats.Stats(prof).stats
    name = "<method 'copy' of 'numpy.ndarray' objects>"
    return sum(v[1] for k, v in stats.items() if k[2] == name)


def lstm(repeat, without):
    mode = theano.compile.get_default_mode()
    train_new, p_new = lstm_model()
    train_old, p_old = lstm_model(mode=mode.excluding(*without))
    # Same numbers (to float rounding: the sums over the steps are added in another order)
    rtol = 1e-9 if theano.config.floatX == "float64" else 1e-5
    for _ in range(2):
        c_new, c_old = float(train_new()), float(train_old())
        np.testing.assert_allclose(c_new, c_old, rtol=rtol)
    for k in p_new:
        np.testing.assert_allclose(p_new[k].get_value(), p_old[k].get_value(),
                                   rtol=rtol, atol=rtol * 1e-3)
    t_new, t_old = best_pair(train_new, train_old, repeat)
    return t_new, t_old, copies_per_call(train_new), copies_per_call(train_old)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--only", choices=["slope", "lstm"], default=None,
                        help="run only part (c) or (d)")
    parser.add_argument("--without", nargs="*", default=list(NEW_RULES),
                        help="scan rewrites the (d) baseline compiles without")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time with time.process_time (with OPENBLAS_NUM_THREADS=1)")
    args = parser.parse_args()
    if args.cpu_time:
        TIMER[0] = time.process_time
    if args.only in ("slope", "lstm"):
        {"slope": lambda: _print_slope(args), "lstm": lambda: _print_lstm(args)}[args.only]()
        return
    us = 1e6
    t_scan, t_prog, t_func = overhead(args.steps * 10, args.repeat)
    print(f"(a) trivial scan, {args.steps * 10} steps, best of {args.repeat}:")
    print(f"    scan {t_scan * us:6.2f} us/step | inner program in a Python loop "
          f"{t_prog * us:6.2f} us/step | overhead {(t_scan - t_prog) * us:5.2f} us/step "
          f"(budget 5) | inner theano.function in a loop {t_func * us:6.2f} us/step")
    print(f"(b) Elman RNN, {args.steps} steps, hidden {args.hidden}, best of {args.repeat}; "
          "ratio = scan / hand-written NumPy (budget 2):")
    for batch in (0, 16):
        label = "batch 1 (vectors)" if batch == 0 else f"batch {batch}"
        for what, (ours, ref) in rnn(args.steps, args.hidden, batch, args.repeat).items():
            print(f"    {label:18s} {what:17s} scan {ours * us:7.2f} us/step | numpy "
                  f"{ref * us:7.2f} us/step | ratio {ours / ref:4.2f}")
    _print_slope(args)
    _print_lstm(args)


def _print_slope(args):
    slope, t1 = step_slope(args.steps * 10, args.repeat)
    print(f"(c) trivial scan: {slope * 1e6:5.2f} us per step (slope between {args.steps * 10} "
          f"and {args.steps * 40} steps; budget 5) | {t1 * 1e3:6.2f} ms per call at "
          f"{args.steps * 10} steps")


def _print_lstm(args):
    t_new, t_old, c_new, c_old = lstm(args.repeat, args.without)
    print(f"(d) LSTM training call (100 steps, batch 16, hidden 128), best of {args.repeat}: "
          f"FAST_RUN {t_new * 1e3:6.1f} ms | without {' '.join(args.without)} "
          f"{t_old * 1e3:6.1f} ms | ratio {t_new / t_old:4.2f} | ndarray.copy per call "
          f"{c_new} vs {c_old}")


if __name__ == "__main__":
    main()
