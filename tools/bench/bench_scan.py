"""Micro-benchmark of theano.scan against Python loops over NumPy (DESIGN.md §9.5).

Usage: python tools/bench/bench_scan.py [--steps N] [--hidden H] [--repeat R]

(a) Per-iteration overhead: a trivial scan (one addition on a 0-d state) against the
    same compiled inner function called in a Python loop; the difference per step is
    what scan adds (budget: 5 us).
(b) An Elman RNN, h_t = tanh(x_t W + h_{t-1} U + b), of N steps with H hidden units
    (inputs of H features) for batch 1 and 16: the forward pass, and forward + backward
    (gradient of sum(h) with respect to W, U and b, back-propagation through time),
    against hand-written NumPy loops computing the same numbers.
Prints microseconds per step and ratios (scan / NumPy; budget: 2).
"""

import argparse
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import theano  # noqa: E402
import theano.tensor as T  # noqa: E402


def best(fn, repeat):
    fn()  # warm-up: first-call allocations
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def best_pair(f, g, repeat):
    """Best times of f and g, timed alternately so that a slow phase of a shared machine
    hits both."""
    f()
    g()
    tf, tg = [], []
    for _ in range(repeat):
        tf.append(min(timeit.repeat(f, number=1, repeat=1)))
        tg.append(min(timeit.repeat(g, number=1, repeat=1)))
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
