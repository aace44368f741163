"""theano.scan by example: the Theano tutorial's loops, recurrent models trained through
scan, random draws inside scan steps, gradients (BPTT, truncated BPTT, Rop) and the
classic errors.

Deterministic results are checked against loops written here in NumPy (including
hand-derived back-propagation through time).  Random draws, the RBM training step built
on them, Theano's truncated BPTT and the exception types come from
tests/golden/scan_examples.theano105.json, written under the original Theano 1.0.5 by
tests/golden/make_scan_examples.py; this file runs the same graph-building code.
"""

import itertools
import re

import numpy as np
import pytest
import theano.gradient
import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.tensor.shared_randomstreams import RandomStreams

import theano
from tests.support import golden

MAKE = golden.load_recorder("make_scan_examples")
GOLDEN = golden.load_record("scan_examples.theano105.json")

FLOATX = ["float64", "float32"]


def _tol(dtype):
    return {"rtol": 1e-10, "atol": 1e-12} if dtype == "float64" else {"rtol": 2e-5, "atol": 1e-5}


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# -- the tutorial's loops ---------------------------------------------------------------

@pytest.mark.parametrize("floatx", FLOATX)
def test_power_by_scan(floatx):
    with theano.change_flags(floatX=floatx):
        k, A = T.iscalar("k"), T.vector("A")
        result, updates = theano.scan(fn=lambda prior, A: prior * A,
                                      outputs_info=T.ones_like(A), non_sequences=A,
                                      n_steps=k)
        assert len(updates) == 0
        every = theano.function([A, k], result, updates=updates)
        last = theano.function([A, k], result[-1], updates=updates)
    a = (np.arange(10) / 3.0).astype(floatx)
    got = every(a, 4)
    assert got.dtype == floatx and got.shape == (4, 10)
    np.testing.assert_allclose(got, np.array([a.astype("float64") ** p for p in (1, 2, 3, 4)]),
                               **_tol(floatx))
    np.testing.assert_allclose(last(a, 2), a.astype("float64") ** 2, **_tol(floatx))
    np.testing.assert_allclose(last(a, 7), a.astype("float64") ** 7, **_tol(floatx))


@pytest.mark.parametrize("floatx", FLOATX)
def test_polynomial_over_coefficients_and_arange(floatx):
    with theano.change_flags(floatX=floatx):
        coefficients, x = T.vector("coefficients"), T.scalar("x")
        # The arange is far longer than the coefficients: scan stops at the shortest.
        components, _ = theano.scan(lambda c, power, free: c * (free ** power),
                                    outputs_info=None,
                                    sequences=[coefficients, T.arange(10000)],
                                    non_sequences=x)
        f = theano.function([coefficients, x], [components, components.sum()])
    coeffs = np.array([1.0, 0.0, 2.0, -0.5], dtype=floatx)
    comps, poly = f(coeffs, np.asarray(1.5, dtype=floatx))
    assert comps.shape == (4,)
    np.testing.assert_allclose(comps, coeffs * 1.5 ** np.arange(4), **_tol(floatx))
    np.testing.assert_allclose(poly, np.polyval(coeffs[::-1].astype("float64"), 1.5),
                               **_tol(floatx))


def test_fibonacci_with_output_taps():
    x0, n = T.dvector("x0"), T.iscalar("n")
    fib, _ = theano.scan(lambda x_tm2, x_tm1: x_tm2 + x_tm1,
                         outputs_info={"initial": x0, "taps": [-2, -1]}, n_steps=n)
    f = theano.function([x0, n], fib)
    expected = [1.0, 1.0]
    for _ in range(12):
        expected.append(expected[-2] + expected[-1])
    # The initial values are not part of the output.
    np.testing.assert_array_equal(f([1.0, 1.0], 12), expected[2:])
    np.testing.assert_array_equal(f([2.0, -1.0], 3), [1.0, 0.0, 1.0])


def test_tutorial_two_tap_matrix_recurrence():
    # x(t) = x(t-2).dot(U) + x(t-1).dot(V) + tanh(x(t-1).dot(W) + b)
    X, W, U, V = T.dmatrix("X"), T.dmatrix("W"), T.dmatrix("U"), T.dmatrix("V")
    b, n = T.dvector("b"), T.iscalar("n")
    results, _ = theano.scan(
        lambda x_tm2, x_tm1: T.dot(x_tm2, U) + T.dot(x_tm1, V) + T.tanh(T.dot(x_tm1, W) + b),
        n_steps=n, outputs_info=[{"initial": X, "taps": [-2, -1]}])
    f = theano.function([X, W, U, V, b, n], results)
    rng = np.random.RandomState(4)
    xv, wv, uv, vv = rng.randn(2, 3), rng.randn(3, 3), 0.4 * rng.randn(3, 3), \
        0.4 * rng.randn(3, 3)
    bv = rng.randn(3)
    hist = [xv[0], xv[1]]
    for _ in range(8):
        hist.append(hist[-2] @ uv + hist[-1] @ vv + np.tanh(hist[-1] @ wv + bv))
    np.testing.assert_allclose(f(xv, wv, uv, vv, bv, 8), np.array(hist[2:]), rtol=1e-10)


def test_sequence_taps_are_passed_in_the_order_given():
    v = T.dvector("v")
    values = np.arange(1.0, 8.0)

    def expected(taps):
        first = -min(taps)
        steps = len(values) - (max(taps) - min(taps))
        return [sum(10 ** k * values[t + first + tap] for k, tap in enumerate(taps))
                for t in range(steps)]

    for taps in ([-1, 0, 2], [2, -1, 0]):
        out, _ = theano.scan(lambda a, b, c: a + 10 * b + 100 * c,
                             sequences={"input": v, "taps": taps})
        np.testing.assert_array_equal(theano.function([v], out)(values), expected(taps))


def test_sequence_taps_with_a_recurrent_output():
    v, y0 = T.dvector("v"), T.dscalar("y0")
    out, _ = theano.scan(lambda s_m1, s_p1, y_tm1: 0.5 * y_tm1 + s_m1 * s_p1,
                         sequences={"input": v, "taps": [-1, 1]}, outputs_info=y0)
    values = np.array([1.0, -2.0, 3.0, 0.5, 4.0, 2.0])
    y, expected = 2.0, []
    for t in range(1, len(values) - 1):
        y = 0.5 * y + values[t - 1] * values[t + 1]
        expected.append(y)
    np.testing.assert_allclose(theano.function([v, y0], out)(values, 2.0), expected,
                               rtol=1e-12)


def test_tutorial_recurrence_with_two_sequences_one_reversed():
    # x(t) = tanh(x(t-1).dot(W) + y(t).dot(U) + p(T-t).dot(V))
    X, W, U, V = T.dvector("X"), T.dmatrix("W"), T.dmatrix("U"), T.dmatrix("V")
    Y, P = T.dmatrix("Y"), T.dmatrix("P")
    results, _ = theano.scan(
        lambda y, p, x_tm1: T.tanh(T.dot(x_tm1, W) + T.dot(y, U) + T.dot(p, V)),
        sequences=[Y, P[::-1]], outputs_info=[X])
    f = theano.function([X, W, Y, U, P, V], results)
    rng = np.random.RandomState(5)
    w, y, u, p, v = (rng.randn(2, 2), rng.randn(5, 2), rng.randn(2, 2), rng.randn(5, 2),
                     rng.randn(2, 2))
    x0 = np.array([0.3, -0.7])
    x, expected = x0, []
    for t in range(5):
        x = np.tanh(x @ w + y[t] @ u + p[4 - t] @ v)
        expected.append(x)
    np.testing.assert_allclose(f(x0, w, y, u, p, v), expected, rtol=1e-10)


def test_norms_of_rows_and_columns():
    X = T.dmatrix("X")
    rows, _ = theano.scan(lambda x_i: T.sqrt((x_i ** 2).sum()), sequences=[X])
    cols, _ = theano.scan(lambda x_i: T.sqrt((x_i ** 2).sum()), sequences=[X.T])
    f = theano.function([X], [rows, cols])
    xv = np.diag(np.arange(1.0, 4.0)) + np.arange(12.0).reshape(3, 4)[:, :3]
    xv = np.hstack([xv, np.ones((3, 1))])
    got_rows, got_cols = f(xv)
    np.testing.assert_allclose(got_rows, np.linalg.norm(xv, axis=1), rtol=1e-12)
    np.testing.assert_allclose(got_cols, np.linalg.norm(xv, axis=0), rtol=1e-12)


@pytest.mark.parametrize("floatx", FLOATX)
def test_trace_by_scan(floatx):
    # The tutorial casts the running sum to float32 whatever floatX is.
    with theano.change_flags(floatX=floatx):
        X = T.matrix("X")
        results, _ = theano.scan(lambda i, j, t_f: T.cast(X[i, j] + t_f, "float32"),
                                 sequences=[T.arange(X.shape[0]), T.arange(X.shape[1])],
                                 outputs_info=np.asarray(0.0, dtype="float32"))
        f = theano.function([X], results[-1])
    xv = (np.arange(20.0).reshape(4, 5) / 7).astype(floatx)
    got = f(xv)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.trace(xv), rtol=1e-6)


def test_jacobian_and_hessian_by_scan():
    rng = np.random.RandomState(7)
    Wv, bv, Av = rng.randn(3, 4), rng.randn(3), rng.randn(5, 4)
    x = T.dvector("x")
    # The gradients tutorial's recipe: one T.grad per row, indices from T.arange.
    y = x ** 2
    J, updates = theano.scan(lambda i, y, x: T.grad(y[i], x),
                             sequences=T.arange(y.shape[0]), non_sequences=[y, x])
    assert len(updates) == 0
    cost = (x ** 3).sum()
    gy = T.grad(cost, x)
    H, _ = theano.scan(lambda i, gy, x: T.grad(gy[i], x),
                       sequences=T.arange(gy.shape[0]), non_sequences=[gy, x])
    z = T.tanh(T.dot(T.constant(Wv), x) + bv)
    Jz, _ = theano.scan(lambda i, z, x: T.grad(z[i], x),
                        sequences=T.arange(z.shape[0]), non_sequences=[z, x])
    lse = T.log(T.exp(T.dot(T.constant(Av), x)).sum())
    g = T.grad(lse, x)
    Hl, _ = theano.scan(lambda i, g, x: T.grad(g[i], x),
                        sequences=T.arange(g.shape[0]), non_sequences=[g, x])
    f = theano.function([x], [J, H, Jz, Hl])
    xv = np.array([0.5, -1.0, 2.0, 0.25])
    got_J, got_H, got_Jz, got_Hl = f(xv)
    np.testing.assert_allclose(got_J, np.diag(2 * xv), rtol=1e-12)
    np.testing.assert_allclose(got_H, np.diag(6 * xv), rtol=1e-12)
    zv = np.tanh(Wv @ xv + bv)
    np.testing.assert_allclose(got_Jz, (1 - zv ** 2)[:, None] * Wv, rtol=1e-10)
    p = np.exp(Av @ xv - (Av @ xv).max())
    p /= p.sum()
    np.testing.assert_allclose(got_Hl, Av.T @ (np.diag(p) - np.outer(p, p)) @ Av,
                               rtol=1e-9, atol=1e-12)


def test_shared_counter_incremented_through_scan_updates():
    # The tutorial's accumulator: the step returns only an update dict.
    k = theano.shared(0)
    n_sym = T.iscalar("n_sym")
    results, updates = theano.scan(lambda: {k: (k + 1)}, n_steps=n_sym)
    assert results is None
    assert list(updates.keys()) == [k]
    accumulator = theano.function([n_sym], [], updates=updates, allow_input_downcast=True)
    assert k.get_value() == 0
    accumulator(5)
    assert k.get_value() == 5
    accumulator(3)
    assert k.get_value() == 8


def test_shared_total_updated_while_producing_outputs():
    # Inside the step the shared variable reads the value of the previous step's update.
    total = theano.shared(np.float64(1.5), name="total")
    scale = theano.shared(np.float64(2.0), name="scale")  # read, never updated
    x = T.dvector("x")
    running, updates = theano.scan(lambda x_t: (scale * (total + x_t), {total: total + x_t}),
                                   sequences=x)
    f = theano.function([x], running, updates=updates)
    xv = np.array([1.0, 2.0, -0.5, 4.0])
    np.testing.assert_allclose(f(xv), 2.0 * (1.5 + np.cumsum(xv)), rtol=1e-12)
    assert total.get_value() == pytest.approx(1.5 + xv.sum(), rel=1e-12)
    np.testing.assert_allclose(f(xv), 2.0 * (total.get_value() - xv.sum() + np.cumsum(xv)),
                               rtol=1e-12)
    assert total.get_value() == pytest.approx(1.5 + 2 * xv.sum(), rel=1e-12)


def test_map_reduce_foldl_foldr():
    v, u, s = T.dvector("v"), T.dvector("u"), T.dscalar("s")
    zero = T.constant(0.0, dtype="float64")
    squares, updates = theano.map(lambda x: x ** 2, sequences=[v])
    assert len(updates) == 0
    affine, _ = theano.map(lambda a, b, c: a * b + c, sequences=[v, u], non_sequences=[s])
    # A non-commutative step tells the directions apart: acc * 2 + x.
    red, _ = theano.reduce(lambda x, acc: acc * 2 + x, sequences=v, outputs_info=zero)
    left, _ = theano.foldl(lambda x, acc: acc * 2 + x, sequences=v, outputs_info=zero)
    right, _ = theano.foldr(lambda x, acc: acc * 2 + x, sequences=v, outputs_info=zero)
    listed = theano.scan(lambda x: x * 2, sequences=v, return_list=True)[0]
    assert isinstance(listed, list) and len(listed) == 1
    f = theano.function([v, u, s], [squares, affine, red, left, right, listed[0]])
    vv, uv = np.array([1.0, 2.0, 3.0, 5.0]), np.array([0.5, -1.0, 2.0, 3.0])

    def horner(values):
        acc = 0.0
        for x in values:
            acc = acc * 2 + x
        return acc

    got = f(vv, uv, 0.25)
    np.testing.assert_array_equal(got[0], vv ** 2)
    np.testing.assert_array_equal(got[1], vv * uv + 0.25)
    assert np.ndim(got[2]) == 0 and float(got[2]) == horner(vv)
    assert float(got[3]) == horner(vv)
    assert float(got[4]) == horner(vv[::-1])
    np.testing.assert_array_equal(got[5], 2 * vv)


def test_until_stops_early():
    until = theano.scan_module.until
    max_value = T.dscalar("max_value")

    def power_of_2(previous_power, max_value):
        return previous_power * 2, until(previous_power * 2 > max_value)

    values, _ = theano.scan(power_of_2, outputs_info=T.constant(1.0, dtype="float64"),
                            non_sequences=max_value, n_steps=1024)
    capped, _ = theano.scan(power_of_2, outputs_info=T.constant(1.0, dtype="float64"),
                            non_sequences=max_value, n_steps=4)
    f = theano.function([max_value], [values, capped])
    got, got_capped = f(45.0)
    np.testing.assert_array_equal(got, [2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
    np.testing.assert_array_equal(got_capped, [2.0, 4.0, 8.0, 16.0])  # n_steps ends first
    got, _ = f(1000.0)
    assert len(got) == 10 and got[-1] == 1024.0


def test_until_over_a_sequence():
    until = theano.scan_module.until
    x, limit = T.dvector("x"), T.dscalar("limit")
    sums, _ = theano.scan(lambda x_t, acc, lim: (acc + x_t, until(acc + x_t > lim)),
                          sequences=x, outputs_info=T.constant(0.0, dtype="float64"),
                          non_sequences=limit)
    f = theano.function([x, limit], sums)
    xv = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    np.testing.assert_array_equal(f(xv, 5.0), [1.0, 3.0, 6.0])  # the stopping step is kept
    np.testing.assert_array_equal(f(xv, 100.0), np.cumsum(xv))


def test_go_backwards():
    v = T.dvector("v")
    zero = T.constant(0.0, dtype="float64")
    sums, _ = theano.scan(lambda x, acc: acc + x, sequences=v, outputs_info=zero,
                          go_backwards=True)
    horner3, _ = theano.scan(lambda x, acc: acc * 2 + x, sequences=v, outputs_info=zero,
                             go_backwards=True, n_steps=3)
    f = theano.function([v], [sums, horner3])
    got_sums, got_horner = f(np.array([1.0, 2.0, 3.0, 4.0]))
    # Outputs are in the order computed: the first one belongs to the last element.
    np.testing.assert_array_equal(got_sums, [4.0, 7.0, 9.0, 10.0])
    np.testing.assert_array_equal(got_horner, [4.0, 11.0, 24.0])  # from 4, 3, 2


def test_negative_n_steps_runs_backwards():
    """scan's documentation (and issue 7): a negative n_steps runs backwards in time, and
    together with go_backwards forwards.  (Theano 1.0.5's own Scan raised IndexError
    "Scan was asked to run for negative number of step" at run time instead.)"""
    v, n = T.dvector("v"), T.iscalar("n")
    zero = T.constant(0.0, dtype="float64")
    outs = []
    for n_steps in (-3, n):
        for backwards in (False, True):
            out, _ = theano.scan(lambda x, acc: acc * 2 + x, sequences=v, outputs_info=zero,
                                 n_steps=n_steps, go_backwards=backwards)
            outs.append(out)
    f = theano.function([v, n], outs)
    got = f(np.array([1.0, 2.0, 3.0, 4.0]), -3)
    for reverse, forward in (got[0], got[1]), (got[2], got[3]):
        np.testing.assert_array_equal(reverse, [4.0, 11.0, 24.0])
        np.testing.assert_array_equal(forward, [1.0, 4.0, 11.0])


def test_n_steps_without_sequences_constant_and_symbolic():
    n = T.iscalar("n")
    zero = T.constant(0.0, dtype="float64")
    fixed, _ = theano.scan(lambda acc: acc * 2 + 1, outputs_info=zero, n_steps=5)
    symbolic, _ = theano.scan(lambda acc: acc * 2 + 1, outputs_info=zero, n_steps=n)
    # With a sequence, n_steps shorter than it takes the first n_steps elements.
    v = T.dvector("v")
    prefix, _ = theano.scan(lambda x: x * 10, sequences=v, n_steps=2)
    f = theano.function([n, v], [fixed, symbolic, prefix])
    got_fixed, got_sym, got_prefix = f(7, np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(got_fixed, [1.0, 3.0, 7.0, 15.0, 31.0])
    np.testing.assert_array_equal(got_sym, 2.0 ** np.arange(1, 8) - 1)
    np.testing.assert_array_equal(got_prefix, [10.0, 20.0])


def test_multiple_outputs_with_none_in_outputs_info():
    x, s0 = T.dvector("x"), T.dscalar("s0")
    def step(x_t, s_tm1):  # only the outputs with an initial state are fed back
        return [x_t ** 2, s_tm1 + x_t, x_t * s_tm1]

    (squares, sums, products), updates = theano.scan(
        step, sequences=x, outputs_info=[None, s0, None])
    assert len(updates) == 0
    f = theano.function([x, s0], [squares, sums, products])
    xv = np.array([1.0, -2.0, 3.0, 0.5])
    got = f(xv, 10.0)
    sums_np = 10.0 + np.cumsum(xv)
    np.testing.assert_allclose(got[0], xv ** 2, rtol=1e-14)
    np.testing.assert_allclose(got[1], sums_np, rtol=1e-14)
    np.testing.assert_allclose(got[2], xv * np.concatenate([[10.0], sums_np[:-1]]),
                               rtol=1e-14)


def test_nested_scan_values_and_gradient():
    # Outer loop over rows; the inner loop multiplies a row's elements together.
    X = T.dmatrix("X")
    one = T.constant(1.0, dtype="float64")

    def row_step(row, acc):
        prods, _ = theano.scan(lambda x_i, p: p * x_i, sequences=row, outputs_info=one)
        return acc + prods[-1]

    running, _ = theano.scan(row_step, sequences=X,
                             outputs_info=T.constant(0.0, dtype="float64"))
    grad = T.grad(running.sum(), X)
    f = theano.function([X], [running, grad])
    rng = np.random.RandomState(8)
    xv = rng.uniform(0.5, 1.5, size=(4, 3)) * np.sign(rng.randn(4, 3))
    got, got_grad = f(xv)
    prods = xv.prod(axis=1)
    np.testing.assert_allclose(got, np.cumsum(prods), rtol=1e-12)
    # sum(running) = sum_j (n - j) prod(X_j)
    weights = (len(xv) - np.arange(len(xv)))[:, None]
    np.testing.assert_allclose(got_grad, weights * prods[:, None] / xv, rtol=1e-10)


def test_nested_scan_inner_loop_reads_the_outer_state():
    # Inner loop: h <- tanh(h * w + c) repeated n times, c being the outer state.
    x, n = T.dvector("x"), T.iscalar("n")
    w = T.dscalar("w")

    def outer(x_t, c_tm1, w, n):
        inner, _ = theano.scan(lambda h, c, w: T.tanh(h * w + c), outputs_info=x_t,
                               non_sequences=[c_tm1, w], n_steps=n)
        return inner[-1] + c_tm1

    out, _ = theano.scan(outer, sequences=x, outputs_info=T.constant(0.0, dtype="float64"),
                         non_sequences=[w, n])
    f = theano.function([x, w, n], out)
    xv = np.array([0.5, -1.0, 2.0])
    c, expected = 0.0, []
    for x_t in xv:
        h = x_t
        for _ in range(3):
            h = np.tanh(h * 0.7 + c)
        c = h + c
        expected.append(c)
    np.testing.assert_allclose(f(xv, 0.7, 3), expected, rtol=1e-12)


def test_scan_over_3d_and_4d_sequences():
    X, W, U = T.dtensor3("X"), T.dmatrix("W"), T.dmatrix("U")
    h0 = T.dmatrix("h0")
    hs, _ = theano.scan(lambda x_t, h_tm1: T.tanh(T.dot(x_t, W) + T.dot(h_tm1, U)),
                        sequences=X, outputs_info=h0)
    Y = T.dtensor4("Y")
    sums, _ = theano.map(lambda y_t: y_t.sum(axis=(1, 2)), sequences=[Y])
    f = theano.function([X, W, U, h0, Y], [hs, sums])
    rng = np.random.RandomState(9)
    xv, wv, uv = rng.randn(5, 2, 3), rng.randn(3, 4), 0.5 * rng.randn(4, 4)
    h0v, yv = rng.randn(2, 4), rng.randn(3, 2, 4, 5)
    got_h, got_sums = f(xv, wv, uv, h0v, yv)
    h, expected = h0v, []
    for t in range(5):
        h = np.tanh(xv[t] @ wv + h @ uv)
        expected.append(h)
    assert got_h.shape == (5, 2, 4)
    np.testing.assert_allclose(got_h, expected, rtol=1e-10)
    np.testing.assert_allclose(got_sums, yv.sum(axis=(2, 3)), rtol=1e-12)


# -- random draws inside scan: Theano 1.0.5's values --------------------------------------

SCENARIOS = MAKE.scenarios(theano, T, RandomStreams, MRG_RandomStreams)
ARRAY_TOL = {"float64": {"rtol": 1e-9, "atol": 1e-12}, "float32": {"rtol": 2e-6, "atol": 1e-6}}


def _assert_same(got, expected, where):
    if isinstance(expected, dict) and "data" in expected and "dtype" in expected:
        assert got["dtype"] == expected["dtype"], where
        assert got["shape"] == expected["shape"], where
        g, e = np.asarray(got["data"]), np.asarray(expected["data"])
        if expected["dtype"].startswith(("int", "uint", "bool")):
            np.testing.assert_array_equal(g, e, err_msg=where)
        else:
            np.testing.assert_allclose(g, e, err_msg=where, **ARRAY_TOL[expected["dtype"]])
    elif isinstance(expected, dict):
        assert sorted(got) == sorted(expected), where
        for key in expected:
            _assert_same(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected)):
            _assert_same(g, e, f"{where}[{i}]")
    else:
        assert got == expected, (where, got, expected)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_matches_theano_105(name):
    _assert_same(SCENARIOS[name](), GOLDEN[name], name)


def test_binomial_masks_in_step_are_binary_and_redrawn():
    # Self-consistency of the golden case: result / tanh(...) is a 0/1 mask per step.
    xv = np.arange(12.0).reshape(4, 3) / 10.0
    clean = np.tanh(xv @ (np.ones((3, 5)) * 0.3) + np.linspace(-1, 1, 5))
    for name in ("rs_binomial_in_step", "mrg_binomial_in_step"):
        masks = []
        for call in GOLDEN[name]["calls"]:
            got = np.asarray(call["data"]).reshape(call["shape"])
            mask = np.where(clean == 0, 0.0, got / clean)
            np.testing.assert_allclose(mask, np.round(mask), atol=1e-12)
            masks.append(np.round(mask))
        assert not np.array_equal(masks[0], masks[1])
        assert len(np.unique(masks[0], axis=0)) > 1  # not one mask for every step


def test_random_state_advances_across_calls_only_with_scan_updates():
    trng = RandomStreams(1234)
    n = T.iscalar("n")
    draws, updates = theano.scan(lambda: trng.uniform(size=(3,)), n_steps=n)
    assert len(updates) == 1
    f = theano.function([n], draws, updates=updates)
    first, second = f(4), f(4)
    assert first.shape == (4, 3)
    assert len(np.unique(first.round(12), axis=0)) == 4  # a fresh draw at every step
    assert not np.allclose(first, second)
    assert ((first >= 0) & (first < 1)).all()


# -- RBM CD-k: the parameter update against NumPy with the same draws -----------------------

@pytest.mark.parametrize("streams_cls,k", [(MRG_RandomStreams, 2), (RandomStreams, 3)])
def test_rbm_cd_k_step_matches_numpy(streams_cls, k):
    data, W0, hb0, vb0 = MAKE.rbm_data()
    lr = 0.1
    x, params, outputs, updates = MAKE.build_rbm(theano, T, streams_cls(1234), W0, hb0, vb0,
                                                 k=k, lr=lr)
    # The caller added the parameters to the dict returned by scan, which already held the
    # random states of the chain's two samplers.
    assert all(p in updates for p in params) and len(updates) == 5
    train = theano.function([x], outputs, updates=updates)
    for _ in range(2):
        W, hb, vb = [p.get_value() for p in params]
        monitoring, h0, v_means, v_samples, h_means, h_samples = train(data)
        assert v_samples.shape == (k,) + data.shape and h_samples.shape == (k, 6, 4)
        for samples in (h0, v_samples, h_samples):
            assert set(np.unique(samples)) <= {0.0, 1.0}
        # The chain: v_j ~ p(v | h_{j-1}), h_j ~ p(h | v_j), starting from h0 ~ p(h | data).
        h_prev = h0
        for j in range(k):
            np.testing.assert_allclose(v_means[j], _sigmoid(h_prev @ W.T + vb), rtol=1e-12)
            np.testing.assert_allclose(h_means[j], _sigmoid(v_samples[j] @ W + hb),
                                       rtol=1e-12)
            h_prev = h_samples[j]
        # CD-k: the chain end is a constant of the cost mean F(data) - mean F(chain_end).
        end = v_samples[-1]
        n = len(data)
        ph_data, ph_end = _sigmoid(data @ W + hb), _sigmoid(end @ W + hb)
        gW = (end.T @ ph_end - data.T @ ph_data) / n
        ghb = (ph_end - ph_data).mean(axis=0)
        gvb = (end - data).mean(axis=0)
        for p, before, g in zip(params, (W, hb, vb), (gW, ghb, gvb)):
            np.testing.assert_allclose(p.get_value(), before - lr * g, rtol=1e-10,
                                       atol=1e-13)
        recon = v_means[-1]
        expected = np.mean(np.sum(data * np.log(recon) + (1 - data) * np.log(1 - recon),
                                  axis=1))
        assert monitoring == pytest.approx(expected, rel=1e-10)


# -- recurrent models: Elman RNN ------------------------------------------------------------

def _elman_params(rng, n_in, n_hidden, n_out):
    return {"Wx": 0.5 * rng.randn(n_in, n_hidden), "Wh": 0.4 * rng.randn(n_hidden, n_hidden),
            "bh": 0.1 * rng.randn(n_hidden), "h0": 0.2 * rng.randn(n_hidden),
            "Wy": 0.5 * rng.randn(n_hidden, n_out), "by": 0.1 * rng.randn(n_out)}


ELMAN_NAMES = ["Wx", "Wh", "bh", "h0", "Wy", "by"]


def _elman_numpy(p, x, target):
    """Loss mean((h Wy + by - target)^2) and its gradients by hand-written BPTT."""
    steps = len(x)
    hs, h = [], p["h0"]
    for t in range(steps):
        h = np.tanh(x[t] @ p["Wx"] + h @ p["Wh"] + p["bh"])
        hs.append(h)
    hs = np.array(hs)
    y = hs @ p["Wy"] + p["by"]
    loss = np.mean((y - target) ** 2)
    dy = 2 * (y - target) / y.size
    grads = {"Wy": hs.T @ dy, "by": dy.sum(axis=0)}
    dhs = dy @ p["Wy"].T
    gWx, gWh, gbh = np.zeros_like(p["Wx"]), np.zeros_like(p["Wh"]), np.zeros_like(p["bh"])
    carry = np.zeros_like(p["h0"])
    for t in range(steps - 1, -1, -1):
        dz = (dhs[t] + carry) * (1 - hs[t] ** 2)
        h_prev = hs[t - 1] if t else p["h0"]
        gWx += np.outer(x[t], dz)
        gWh += np.outer(h_prev, dz)
        gbh += dz
        carry = dz @ p["Wh"].T
    grads.update(Wx=gWx, Wh=gWh, bh=gbh, h0=carry)
    return loss, grads


def _elman_theano(shared, floatx):
    """The DeepLearningTutorials style: shared parameters used directly inside the step."""
    x, target = T.matrix("x"), T.matrix("target")

    def step(x_t, h_tm1):
        return T.tanh(T.dot(x_t, shared["Wx"]) + T.dot(h_tm1, shared["Wh"]) + shared["bh"])

    h, updates = theano.scan(step, sequences=x, outputs_info=shared["h0"])
    assert len(updates) == 0
    y = T.dot(h, shared["Wy"]) + shared["by"]
    loss = T.mean((y - target) ** 2)
    return x, target, loss


@pytest.mark.parametrize("floatx", FLOATX)
def test_elman_rnn_trains_like_numpy_bptt(floatx):
    rng = np.random.RandomState(10)
    n_in, n_hidden, n_out, steps, lr = 3, 6, 2, 15, 0.2
    p = _elman_params(rng, n_in, n_hidden, n_out)
    xv, tv = rng.randn(steps, n_in), np.sin(np.arange(steps * n_out)).reshape(steps, n_out)
    with theano.change_flags(floatX=floatx):
        shared = {k: theano.shared(v.astype(floatx), name=k) for k, v in p.items()}
        x, target, loss = _elman_theano(shared, floatx)
        params = [shared[k] for k in ELMAN_NAMES]
        grads = T.grad(loss, params)
        train = theano.function([x, target], [loss] + grads,
                                updates=[(s, s - np.asarray(lr, floatx) * g)
                                         for s, g in zip(params, grads)])
    losses = []
    for _ in range(6):
        expected_loss, expected_grads = _elman_numpy(p, xv, tv)
        got = train(xv.astype(floatx), tv.astype(floatx))
        assert got[0].dtype == floatx
        np.testing.assert_allclose(got[0], expected_loss, **_tol(floatx))
        for name, g in zip(ELMAN_NAMES, got[1:]):
            np.testing.assert_allclose(g, expected_grads[name], err_msg=name, **_tol(floatx))
        for name in ELMAN_NAMES:
            p[name] = p[name] - lr * expected_grads[name]
            np.testing.assert_allclose(shared[name].get_value(), p[name], **_tol(floatx))
        losses.append(float(got[0]))
    assert all(b < a for a, b in itertools.pairwise(losses)), losses


def test_elman_rnn_verify_grad():
    rng = np.random.RandomState(11)
    xv = rng.randn(4, 2)

    def hidden(x, Wx, Wh, b, h0):
        h, _ = theano.scan(lambda x_t, h_tm1, Wx, Wh, b:
                           T.tanh(T.dot(x_t, Wx) + T.dot(h_tm1, Wh) + b),
                           sequences=x, outputs_info=h0, non_sequences=[Wx, Wh, b])
        return h

    theano.gradient.verify_grad(
        hidden, [xv, 0.5 * rng.randn(2, 3), 0.5 * rng.randn(3, 3), rng.randn(3),
                 rng.randn(3)], rng=np.random.RandomState(12))


# -- recurrent models: masked LSTM ----------------------------------------------------------

def _lstm_numpy(p, x, mask, target):
    """Masked LSTM loss and gradients by hand-written BPTT.  Past a sequence's length the
    mask keeps h and c at their last values; the loss averages the masked squared error of
    y_t = h_t V over the valid steps."""
    H = p["U"].shape[0]
    steps, batch = mask.shape
    h, c = np.zeros((batch, H)), np.zeros((batch, H))
    cache, hs = [], []
    for t in range(steps):
        z = x[t] @ p["W"] + h @ p["U"] + p["b"]
        i, f, o = _sigmoid(z[:, :H]), _sigmoid(z[:, H:2 * H]), _sigmoid(z[:, 2 * H:3 * H])
        g = np.tanh(z[:, 3 * H:])
        c_new = f * c + i * g
        h_new = o * np.tanh(c_new)
        m = mask[t][:, None]
        cache.append((h, c, i, f, o, g, c_new, m))
        h, c = m * h_new + (1 - m) * h, m * c_new + (1 - m) * c
        hs.append(h)
    hs = np.array(hs)
    y = hs @ p["V"]
    err = mask[:, :, None] * (y - target)
    loss = (err * (y - target)).sum() / mask.sum()
    dy = 2 * err / mask.sum()
    grads = {"V": np.einsum("tbh,tbo->ho", hs, dy)}
    dhs = dy @ p["V"].T
    gW, gU, gb = np.zeros_like(p["W"]), np.zeros_like(p["U"]), np.zeros_like(p["b"])
    dh, dc = np.zeros((batch, H)), np.zeros((batch, H))
    for t in range(steps - 1, -1, -1):
        h_prev, c_prev, i, f, o, g, c_new, m = cache[t]
        dh = dh + dhs[t]
        dh_new, dc_new = m * dh, m * dc
        dh_prev, dc_prev = (1 - m) * dh, (1 - m) * dc
        tc = np.tanh(c_new)
        do = dh_new * tc
        dc_new = dc_new + dh_new * o * (1 - tc ** 2)
        di, df, dg = dc_new * g, dc_new * c_prev, dc_new * i
        dc_prev = dc_prev + dc_new * f
        dz = np.hstack([di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)])
        gW += x[t].T @ dz
        gU += h_prev.T @ dz
        gb += dz.sum(axis=0)
        dh, dc = dh_prev + dz @ p["U"].T, dc_prev
    grads.update(W=gW, U=gU, b=gb)
    return hs, loss, grads


LSTM_NAMES = ["W", "U", "b", "V"]


def _lstm_theano(W, U, b, V, n_hidden):
    """Parameters passed as non_sequences, so strict=True holds."""
    x, mask, target = T.tensor3("x"), T.matrix("mask"), T.tensor3("target")
    H = n_hidden

    def step(x_t, m_t, h_tm1, c_tm1, W, U, b, V):
        z = T.dot(x_t, W) + T.dot(h_tm1, U) + b
        i, f = T.nnet.sigmoid(z[:, :H]), T.nnet.sigmoid(z[:, H:2 * H])
        o, g = T.nnet.sigmoid(z[:, 2 * H:3 * H]), T.tanh(z[:, 3 * H:])
        c = f * c_tm1 + i * g
        h = o * T.tanh(c)
        m = m_t.dimshuffle(0, "x")
        h = m * h + (1 - m) * h_tm1
        c = m * c + (1 - m) * c_tm1
        return h, c, T.dot(h, V)

    batch = x.shape[1]
    h0 = T.zeros((batch, H), dtype=x.dtype)
    (h, _, y), updates = theano.scan(step, sequences=[x, mask],
                                     outputs_info=[h0, h0, None],
                                     non_sequences=[W, U, b, V], strict=True)
    assert len(updates) == 0
    m = mask.dimshuffle(0, 1, "x")
    loss = (m * (y - target) ** 2).sum() / mask.sum()
    return x, mask, target, h, loss


def _lstm_problem(rng, steps, batch, n_in, n_hidden, n_out, lengths):
    p = {"W": 0.5 * rng.randn(n_in, 4 * n_hidden), "U": 0.5 * rng.randn(n_hidden, 4 * n_hidden),
         "b": 0.1 * rng.randn(4 * n_hidden), "V": 0.5 * rng.randn(n_hidden, n_out)}
    x = rng.randn(steps, batch, n_in)
    mask = (np.arange(steps)[:, None] < np.asarray(lengths)[None, :]).astype("float64")
    target = rng.randn(steps, batch, n_out)
    return p, x, mask, target


def test_masked_lstm_trains_like_numpy_bptt():
    rng = np.random.RandomState(13)
    n_hidden, lengths, lr = 5, [10, 6, 3], 0.3
    p, xv, mv, tv = _lstm_problem(rng, 10, 3, 3, n_hidden, 2, lengths)
    shared = {k: theano.shared(v.copy(), name=k) for k, v in p.items()}
    params = [shared[k] for k in LSTM_NAMES]
    x, mask, target, h, loss = _lstm_theano(*params, n_hidden)
    grads = T.grad(loss, params)
    train = theano.function([x, mask, target], [h, loss] + grads,
                            updates=[(s, s - lr * g) for s, g in zip(params, grads)])
    losses = []
    for _ in range(5):
        hs, expected_loss, expected_grads = _lstm_numpy(p, xv, mv, tv)
        got_h, got_loss, *got_grads = train(xv, mv, tv)
        np.testing.assert_allclose(got_h, hs, rtol=1e-10, atol=1e-13)
        # Past each length the state stays at its last valid value, exactly.
        for col, length in enumerate(lengths):
            assert (got_h[length:, col] == got_h[length - 1, col]).all()
        np.testing.assert_allclose(got_loss, expected_loss, rtol=1e-10)
        for name, g in zip(LSTM_NAMES, got_grads):
            np.testing.assert_allclose(g, expected_grads[name], rtol=1e-9, atol=1e-12,
                                       err_msg=name)
        for name in LSTM_NAMES:
            p[name] = p[name] - lr * expected_grads[name]
        losses.append(float(got_loss))
    assert all(b < a for a, b in itertools.pairwise(losses)), losses
    for name in LSTM_NAMES:
        np.testing.assert_allclose(shared[name].get_value(), p[name], rtol=1e-10, atol=1e-13)


def test_masked_lstm_verify_grad():
    rng = np.random.RandomState(14)
    p, xv, mv, tv = _lstm_problem(rng, 3, 2, 2, 2, 1, [3, 2])

    def cost(W, U, b, V):
        x, mask, target, _, loss = _lstm_theano(W, U, b, V, 2)
        return theano.clone(loss, replace={x: T.constant(xv), mask: T.constant(mv),
                                           target: T.constant(tv)})

    theano.gradient.verify_grad(cost, [p[k] for k in LSTM_NAMES],
                                rng=np.random.RandomState(15))


# -- gradients through scan -----------------------------------------------------------------

def _truncated_bptt_numpy(x, h0, W, U, w, truncate):
    """Gradients of sum(h * w), h_t = tanh(x_t U + h_{t-1} W), with Theano's truncation:
    the backward pass covers only the last `truncate` steps (all of them for -1)."""
    steps = len(x)
    hs, h = [], h0
    for t in range(steps):
        h = np.tanh(x[t] @ U + h @ W)
        hs.append(h)
    window = steps if truncate == -1 else min(truncate, steps)
    gx, gW, gU = np.zeros_like(x), np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(h0)
    for t in range(steps - 1, steps - 1 - window, -1):
        dz = (w[t] + carry) * (1 - hs[t] ** 2)
        gW += np.outer(hs[t - 1] if t else h0, dz)
        gU += np.outer(x[t], dz)
        gx[t] = dz @ U.T
        carry = dz @ W.T
    gh0 = carry if window == steps else np.zeros_like(h0)
    return [gx, gh0, gW, gU]


@pytest.mark.parametrize("truncate", [-1, 3, 6, 9])
def test_truncate_gradient_matches_numpy(truncate):
    x, h0 = T.dmatrix("x"), T.dvector("h0")
    W, U, w = T.dmatrix("W"), T.dmatrix("U"), T.dmatrix("w")
    h, _ = theano.scan(lambda xt, hp, W, U: T.tanh(T.dot(xt, U) + T.dot(hp, W)),
                       sequences=x, outputs_info=h0, non_sequences=[W, U],
                       truncate_gradient=truncate)
    f = theano.function([x, h0, W, U, w], T.grad((h * w).sum(), [x, h0, W, U]))
    rng = np.random.RandomState(0)  # the golden case's values for truncate=3
    values = (rng.randn(6, 2), 0.5 * rng.randn(3), 0.5 * rng.randn(3, 3),
              0.5 * rng.randn(2, 3), rng.randn(6, 3))
    expected = _truncated_bptt_numpy(*values, truncate)
    for name, g, e in zip(["x", "h0", "W", "U"], f(*values), expected):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-13, err_msg=name)


def test_gradient_through_output_and_sequence_taps_is_the_linear_map():
    # Both recurrences are linear, so the gradient is M^T w with M built column by column
    # from unit inputs in NumPy.
    x0, v, w = T.dvector("x0"), T.dvector("v"), T.dvector("w")
    fib, _ = theano.scan(lambda a, b: 2 * a - b, outputs_info={"initial": x0, "taps": [-2, -1]},
                         n_steps=6)
    taps, _ = theano.scan(lambda a, b, c: a + 10 * b + 100 * c,
                          sequences={"input": v, "taps": [-1, 0, 2]})
    f = theano.function([x0, v, w], [T.grad((fib * w).sum(), x0),
                                     T.grad((taps * w[:4]).sum(), v)])
    wv = np.array([1.0, -2.0, 0.5, 3.0, 1.5, -1.0])

    def fib_np(init):
        hist = list(init)
        for _ in range(6):
            hist.append(2 * hist[-2] - hist[-1])
        return np.array(hist[2:])

    def taps_np(seq):
        return np.array([seq[t] + 10 * seq[t + 1] + 100 * seq[t + 3] for t in range(4)])

    M_fib = np.column_stack([fib_np(e) for e in np.eye(2)])
    M_taps = np.column_stack([taps_np(e) for e in np.eye(7)])
    got_x0, got_v = f(np.array([0.3, 0.7]), np.arange(7.0), wv)
    np.testing.assert_allclose(got_x0, M_fib.T @ wv, rtol=1e-12)
    np.testing.assert_allclose(got_v, M_taps.T @ wv[:4], rtol=1e-12)


def test_verify_grad_through_taps_initial_state_and_non_sequences():
    rng = np.random.RandomState(16)

    def two_tap(x0, a, seq):
        out, _ = theano.scan(lambda s_m1, s_p1, x_tm2, x_tm1, a:
                             x_tm2 * a + T.tanh(x_tm1 * s_m1) + s_p1,
                             sequences={"input": seq, "taps": [-1, 1]},
                             outputs_info={"initial": x0, "taps": [-2, -1]},
                             non_sequences=a)
        return out

    theano.gradient.verify_grad(two_tap, [rng.randn(2, 3), rng.randn(3), rng.randn(6, 3)],
                                rng=np.random.RandomState(17))


def test_rop_through_scan_matches_finite_differences():
    x, h0, W = T.dmatrix("x"), T.dvector("h0"), T.dmatrix("W")
    h, _ = theano.scan(lambda x_t, h_tm1, W: T.tanh(x_t + T.dot(h_tm1, W)),
                       sequences=x, outputs_info=h0, non_sequences=W)
    dx, dh0, dW = T.dmatrix("dx"), T.dvector("dh0"), T.dmatrix("dW")
    f = theano.function([x, h0, W], h)
    jv = theano.function([x, h0, W, dx, dh0, dW],
                         [T.Rop(h, [x, h0, W], [dx, dh0, dW]), T.Rop(h, W, dW)])
    rng = np.random.RandomState(18)
    xv, h0v, Wv = rng.randn(5, 3), rng.randn(3), 0.5 * rng.randn(3, 3)
    dxv, dh0v, dWv = rng.randn(5, 3), rng.randn(3), rng.randn(3, 3)
    eps = 1e-6

    def central(vx, vh, vW):
        return (f(xv + eps * vx, h0v + eps * vh, Wv + eps * vW)
                - f(xv - eps * vx, h0v - eps * vh, Wv - eps * vW)) / (2 * eps)

    got_all, got_W = jv(xv, h0v, Wv, dxv, dh0v, dWv)
    np.testing.assert_allclose(got_all, central(dxv, dh0v, dWv), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got_W, central(0 * dxv, 0 * dh0v, dWv), rtol=1e-6, atol=1e-8)


# -- errors ---------------------------------------------------------------------------------

def test_strict_names_the_shared_variable_not_passed():
    a = T.dvector("a")
    shared_b = theano.shared(np.array([1.0, 2.0, 3.0]), name="shared_b")
    with pytest.raises(theano.gof.MissingInputError) as info:
        theano.scan(lambda xt: xt * shared_b, sequences=a, strict=True)
    assert "shared_b" in str(info.value)
    # Passed as a non-sequence, the same step is accepted.
    out, _ = theano.scan(lambda xt, b: xt * b, sequences=a, non_sequences=[shared_b],
                         strict=True)
    got = theano.function([a], out)(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(got, [[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]])


def test_outputs_info_dtype_mismatch_names_the_output_and_both_types():
    a = T.dvector("a")
    with pytest.raises(ValueError) as info:
        theano.scan(lambda xt, hp: hp + xt, sequences=a, outputs_info=T.fscalar("h_init"))
    msg = str(info.value)
    assert "float32" in msg and "float64" in msg
    assert "h_init" in msg or re.search(r"\b(output|argument)\b[^.]*\b[01]\b", msg), msg


def test_outputs_info_ndim_mismatch_names_the_output():
    with pytest.raises(ValueError) as info:
        theano.scan(lambda xt, hp: T.outer(xt, hp), sequences=T.dmatrix("m"),
                    outputs_info=T.dvector("h_init"))
    msg = str(info.value)
    assert "dimension" in msg
    assert "h_init" in msg or re.search(r"\b(output|argument)\b[^.]*\b[01]\b", msg), msg
