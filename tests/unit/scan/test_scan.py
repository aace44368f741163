"""theano.scan: the loop, its gradients, its random draws and its errors.

References: values recorded under the original Theano 1.0.5 (tests/golden/make_scan.py,
run unchanged here in a subprocess and compared key by key), hand-written NumPy loops,
finite differences (verify_grad), and the rules of Theano 1.0.5's scan documentation.
Deliberate differences from Theano 1.0.5 are tested as such, with the reason.
"""

import json
from collections import OrderedDict
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.scan_module import until
from theano.tensor.shared_randomstreams import RandomStreams

import theano
from theano_compat.errors import MissingInputError
from theano_compat.scan import Scan

from tests.support.paths import GOLDEN, ROOT, TOOLS
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def _golden():
    with open(os.path.join(GOLDEN, "scan.theano105.json")) as fh:
        return json.load(fh)


# ----------------------------------------------------------------------------- golden


@pytest.fixture(scope="module")
def ours():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, os.path.join(GOLDEN, "make_scan.py")], env=env,
                          capture_output=True, text=True, timeout=300, cwd=GOLDEN)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


# Keys where this project deliberately differs from Theano 1.0.5 (tested below instead).
DIFFERENT = {
    # Theano's gradient of a while loop stopped early misaligns the sequence gradients
    # (mathematically wrong: test_gradient_of_until_loop checks the right values).
    "grad_until",
    # Theano raised NotImplementedError for 0 iterations; here they give empty outputs.
    "err_zero_steps",
    # Theano's documentation says a negative n_steps runs backwards; its code raised
    # IndexError (test_negative_n_steps_run_backwards follows the documentation).
    "err_negative_steps",
}
# Keys computed through float arithmetic that may round differently (BLAS sums, the
# gradient graph's order of additions): compared to 1e-10; everything else is bit-exact.
APPROX = {"grad_rnn", "grad_rnn_truncate2", "grad_rnn_backwards", "grad_shared_inside",
          "mrg_dropout_grad", "rop_rnn"}


def _arrays(entry):
    entries = entry if isinstance(entry, list) else [entry]
    return [np.array(e["data"], dtype=e["dtype"]).reshape(e["shape"]) for e in entries]


@pytest.mark.parametrize("key", sorted(set(_golden()) - DIFFERENT))
def test_matches_theano(ours, key):
    ref, got = _golden()[key], ours[key]
    if isinstance(ref, str) or isinstance(got, str):
        assert got == ref
        return
    if key not in APPROX:
        assert got == ref
        return
    for a, b in zip(_arrays(got), _arrays(ref), strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_golden_has_the_cases():
    # Guards the parametrisation above against an empty golden file.
    assert len(_golden()) > 30


# ----------------------------------------------------------------------------- forward


def test_rnn_matches_numpy_loop():
    rng = np.random.RandomState(1)
    xv, h0v = rng.randn(6, 2, 3), rng.randn(2, 4)
    Wv, Uv, bv = rng.randn(3, 4), rng.randn(4, 4) * 0.3, rng.randn(4)
    x, h0, W, U = T.tensor3(), T.matrix(), T.matrix(), T.matrix()
    b = T.vector()
    h, upd = theano.scan(lambda xt, h, W, U, b: T.tanh(T.dot(xt, W) + T.dot(h, U) + b),
                         sequences=x, outputs_info=h0, non_sequences=[W, U, b])
    assert not upd and isinstance(upd, theano.OrderedUpdates)
    got = theano.function([x, h0, W, U, b], h)(xv, h0v, Wv, Uv, bv)
    want, hv = [], h0v
    for t in range(6):
        hv = np.tanh(xv[t] @ Wv + hv @ Uv + bv)
        want.append(hv)
    np.testing.assert_allclose(got, np.array(want), rtol=1e-12)


@pytest.mark.parametrize("ndim", [1, 2, 3, 4])
def test_leading_axis_of_any_ndim(ndim):
    x = T.TensorType("float64", (False,) * ndim)()
    xv = np.arange(np.prod((3, 2, 2, 2)[:ndim]), dtype="float64").reshape((3, 2, 2, 2)[:ndim])
    r, _ = theano.scan(lambda a: a * 2 + 1, sequences=x)
    np.testing.assert_array_equal(theano.function([x], r)(xv), xv * 2 + 1)
    acc, _ = theano.scan(lambda a, p: p + a, sequences=x, outputs_info=T.zeros_like(x[0]))
    np.testing.assert_array_equal(theano.function([x], acc)(xv), np.cumsum(xv, axis=0))


def test_step_return_forms():
    v = T.dvector("v")
    c = theano.shared(np.float64(0.0), name="c")
    vv = np.array([1.0, 2.0, 4.0])
    # outputs + updates as a list of pairs
    r, upd = theano.scan(lambda a: (a * 2, [(c, c + a)]), sequences=v)
    f = theano.function([v], r, updates=upd)
    np.testing.assert_array_equal(f(vv), vv * 2)
    assert c.get_value() == 7.0
    # updates only (a dict): no outputs
    c.set_value(0.0)
    r, upd = theano.scan(lambda a: {c: c + a}, sequences=v)
    assert r is None and list(upd) == [c]
    theano.function([v], [], updates=upd)(vv)
    assert c.get_value() == 7.0
    # outputs, updates, until
    c.set_value(0.0)
    r, upd = theano.scan(lambda a: (a, {c: c + a}, until(a > 1.5)), sequences=v)
    np.testing.assert_array_equal(theano.function([v], r, updates=upd)(vv), [1.0, 2.0])
    assert c.get_value() == 3.0
    # updates and until, no outputs
    c.set_value(0.0)
    r, upd = theano.scan(lambda a: ({c: c + a}, until(a > 1.5)), sequences=v)
    theano.function([v], [], updates=upd)(vv)
    assert c.get_value() == 3.0


def test_return_list_and_single_output():
    v = T.dvector("v")
    r, _ = theano.scan(lambda a: a + 1, sequences=v, return_list=True)
    assert isinstance(r, list) and len(r) == 1
    r, _ = theano.scan(lambda a: a + 1, sequences=v)
    assert isinstance(r, theano.Variable)


def test_shared_variables_read_inside_become_inputs():
    W = theano.shared(np.array([[1.0, 2.0], [3.0, 4.0]]), name="W")
    x = T.dmatrix("x")
    r, upd = theano.scan(lambda xt: T.dot(xt, W), sequences=x)
    assert not upd
    f = theano.function([x], r)
    xv = np.array([[1.0, 0.0], [0.5, -1.0]])
    np.testing.assert_array_equal(f(xv), xv @ W.get_value())
    W.set_value(np.eye(2))  # the loop reads the current value
    np.testing.assert_array_equal(f(xv), xv)
    scan_node = [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)][0]
    assert any(i is W or getattr(i, "container", None) is W.container for i in
               f.maker.fgraph.inputs)
    assert scan_node.op.n_non_seqs == 1


def test_updates_are_mutable_as_rbm_code_does():
    w = theano.shared(np.float64(1.0), name="w")
    srng = RandomStreams(3)
    r, upd = theano.scan(lambda h: h + srng.uniform(size=(2,)), outputs_info=T.zeros(2),
                         n_steps=2)
    assert len(upd) == 1
    upd[w] = w * 2  # DLT rbm.py adds its own updates to the scan's
    upd.update({w: upd[w]})  # same expression again: no collision
    with pytest.raises(KeyError, match="Collision"):
        upd.update({w: w * 3})
    with pytest.raises(TypeError, match="SharedVariable"):
        upd[T.dscalar()] = 1
    f = theano.function([], r, updates=upd)
    f()
    assert w.get_value() == 2.0
    merged = upd + theano.OrderedUpdates()
    assert list(merged) == list(upd)


def test_until_stops_after_the_step_that_meets_the_condition():
    s = T.dscalar()
    r, _ = theano.scan(lambda p: (p * 2, until(p * 2 > 10)), outputs_info=s, n_steps=100)
    np.testing.assert_array_equal(theano.function([s], r)(1.0), [2.0, 4.0, 8.0, 16.0])
    r, _ = theano.scan(lambda p: (p + 1, until(T.eq(p, 99))), outputs_info=s, n_steps=3)
    np.testing.assert_array_equal(theano.function([s], r)(0.0), [1.0, 2.0, 3.0])


def test_negative_n_steps_run_backwards():
    # Theano 1.0.5's documentation: a negative n_steps runs backwards in time (its code
    # raised IndexError instead, or cut the sequence under some optimisations).
    v, k = T.dvector(), T.iscalar()
    r, _ = theano.scan(lambda a: a * 2, sequences=v, n_steps=-2)
    np.testing.assert_array_equal(theano.function([v], r)(np.arange(4.0)), [6.0, 4.0])
    r, _ = theano.scan(lambda a, p: p * 10 + a, sequences=v, outputs_info=T.zeros(()),
                       n_steps=k)
    f = theano.function([v, k], [r, T.grad(r[-1], v)])
    out, g = f(np.arange(4.0), -3)
    np.testing.assert_array_equal(out, [3.0, 32.0, 321.0])
    np.testing.assert_array_equal(g, [0.0, 1.0, 10.0, 100.0])
    out, g = f(np.arange(4.0), 3)
    np.testing.assert_array_equal(out, [0.0, 1.0, 12.0])
    np.testing.assert_array_equal(g, [100.0, 10.0, 1.0, 0.0])


def test_zero_steps_give_empty_outputs():
    # Theano 1.0.5 raised NotImplementedError for 0 iterations; empty outputs are what a
    # loop of 0 steps computes (states keep their initial value).
    k = T.iscalar()
    m = T.dmatrix()
    s = T.dvector()
    (r, y), _ = theano.scan(lambda a, p: [p + a, a.sum() * 2], sequences=m,
                            outputs_info=[s, None], n_steps=k)
    f = theano.function([m, s, k], [r, y])
    rv, yv = f(np.ones((4, 3)), np.zeros(3), 0)
    assert rv.shape == (0, 3) and yv.shape == (0,)
    rv, yv = f(np.ones((4, 3)), np.zeros(3), 2)
    np.testing.assert_array_equal(rv, [[1, 1, 1], [2, 2, 2]])
    mapped, _ = theano.map(lambda a: a * 2, sequences=m)
    assert theano.function([m], mapped)(np.zeros((0, 3))).shape == (0, 3)


# ----------------------------------------------------------------------------- gradients


def _rnn(x, h0, W, U):
    h, _ = theano.scan(lambda xt, h, W, U: T.tanh(T.dot(xt, W) + T.dot(h, U)), sequences=x,
                       outputs_info=h0, non_sequences=[W, U])
    return h


def _rng():
    return np.random.RandomState(7)


def test_bptt_matches_hand_written_numpy():
    rng = _rng()
    xv, h0v, Wv, Uv = rng.randn(5, 3), rng.randn(2), rng.randn(3, 2), rng.randn(2, 2) * 0.5
    x, h0, W, U = T.dmatrix(), T.dvector(), T.dmatrix(), T.dmatrix()
    h = _rnn(x, h0, W, U)
    got = theano.function([x, h0, W, U], T.grad(h.sum(), [x, h0, W, U]))(xv, h0v, Wv, Uv)
    hs, hv = [], h0v
    for t in range(5):
        hv = np.tanh(xv[t] @ Wv + hv @ Uv)
        hs.append(hv)
    dx, dW, dU, dh = np.zeros_like(xv), np.zeros_like(Wv), np.zeros_like(Uv), np.zeros(2)
    for t in range(4, -1, -1):
        da = (dh + 1.0) * (1 - hs[t] ** 2)
        prev = hs[t - 1] if t else h0v
        dW += np.outer(xv[t], da)
        dU += np.outer(prev, da)
        dx[t] = Wv @ da
        dh = Uv @ da
    for g, w in zip(got, [dx, dh, dW, dU]):
        np.testing.assert_allclose(g, w, rtol=1e-10)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_verify_grad_rnn(dtype):
    rng = _rng()
    pt = [rng.randn(4, 3), rng.randn(2), rng.randn(3, 2), rng.randn(2, 2)]
    verify_grad(_rnn, [p.astype(dtype) for p in pt], rng=rng)


def test_verify_grad_taps_and_backwards_sequences():
    rng = _rng()

    def fib(x0, s):
        r, _ = theano.scan(lambda a, p2, p1: a * p2 + T.sin(p1), sequences=s,
                           outputs_info=dict(initial=x0, taps=[-2, -1]))
        return r

    verify_grad(fib, [rng.randn(2, 3), rng.randn(5, 3)], rng=rng)

    def seqtaps(x):
        r, _ = theano.scan(lambda a, b, c: a * b - c ** 2,
                           sequences=dict(input=x, taps=[-2, 0, 1]), go_backwards=True)
        return r

    verify_grad(seqtaps, [rng.randn(6, 2)], rng=rng)


def test_verify_grad_multiple_outputs_and_nested():
    rng = _rng()

    def two(x, a0):
        (a, b), _ = theano.scan(lambda xt, a: [a * xt + xt.sum(), T.exp(a * 0.1) * xt],
                                sequences=x, outputs_info=[a0, None])
        return a.sum() * 2 + (b ** 2).sum()

    verify_grad(two, [rng.randn(4, 3), rng.randn(3)], rng=rng)

    def nested(x, w):
        def row(r, w):
            acc, _ = theano.scan(lambda e, p, w: p * w + e, sequences=r,
                                 outputs_info=T.zeros_like(w), non_sequences=w)
            return acc[-1]

        out, _ = theano.scan(row, sequences=x, non_sequences=w)
        return out

    verify_grad(nested, [rng.randn(3, 4), np.asarray(rng.randn())], rng=rng)


def test_gradient_of_until_loop():
    # The loop runs 3 of the 5 steps; gradients by hand: r_t = r_{t-1} * a_t + a_t.
    v, s = T.dvector(), T.dscalar()
    r, _ = theano.scan(lambda a, p: (p * a + a, until(p > 3.0)), sequences=v, outputs_info=s)
    gv, gs = T.grad(r.sum(), [v, s])
    rv, gvv, gsv = theano.function([v, s], [r, gv, gs])(np.array([1.5, 1.2, 2.0, 0.5, 1.1]), 1.0)
    np.testing.assert_allclose(rv, [3.0, 4.8, 11.6])
    np.testing.assert_allclose(gvv, [2 + 2 * 1.2 + 2 * 1.2 * 2.0, 4.0 + 4.0 * 2.0, 5.8, 0, 0])
    np.testing.assert_allclose(gsv, 1.5 + 1.5 * 1.2 + 1.5 * 1.2 * 2.0)
    rng = _rng()

    def f(v):
        r, _ = theano.scan(lambda a, p: (p * a + a, until(p > 30.0)), sequences=v,
                           outputs_info=T.constant(np.float64(1.0)))
        return r

    verify_grad(f, [np.abs(rng.randn(6)) + 1.5], rng=rng)


def test_shared_variable_gradient_and_hessian_through_scan():
    Ws = theano.shared(np.array([[0.5, -0.3], [0.2, 0.8], [-0.4, 0.1]]), name="Ws")
    x, h0 = T.dmatrix(), T.dvector()
    h, _ = theano.scan(lambda xt, h: T.tanh(T.dot(xt, Ws) + h), sequences=x, outputs_info=h0)
    g = T.grad((h ** 2).sum(), Ws)
    f = theano.function([x, h0], g)
    rng = _rng()
    xv, h0v = rng.randn(4, 3), rng.randn(2)
    cost = theano.function([x, h0], (h ** 2).sum())
    W0, eps, num = Ws.get_value(), 1e-6, np.zeros((3, 2))
    for i in range(3):
        for j in range(2):
            d = np.zeros((3, 2))
            d[i, j] = eps
            Ws.set_value(W0 + d)
            up = cost(xv, h0v)
            Ws.set_value(W0 - d)
            num[i, j] = (up - cost(xv, h0v)) / (2 * eps)
    Ws.set_value(W0)
    np.testing.assert_allclose(f(xv, h0v), num, rtol=1e-6, atol=1e-9)
    # Second order: the Hessian of a loop's result goes through the reverse loop.
    v = T.dvector()
    p, _ = theano.scan(lambda a, p: p * a + a ** 2, sequences=v,
                       outputs_info=T.constant(np.float64(1.0)))
    H = theano.function([v], T.hessian(p[-1], v))
    vv = np.array([0.3, -1.2, 0.7])

    def poly(u):
        q = 1.0
        for a in u:
            q = q * a + a ** 2
        return q

    num = np.zeros((3, 3))
    e = 1e-4
    for i in range(3):
        for j in range(3):
            di, dj = np.eye(3)[i] * e, np.eye(3)[j] * e
            num[i, j] = (poly(vv + di + dj) - poly(vv + di - dj) - poly(vv - di + dj)
                         + poly(vv - di - dj)) / (4 * e * e)
    np.testing.assert_allclose(H(vv), num, rtol=1e-6, atol=1e-6)


def test_rop_and_hessian_vector_product():
    rng = _rng()
    x, h0, W, V = T.dmatrix(), T.dvector(), T.dmatrix(), T.dmatrix()
    U = T.constant(np.array([[0.5, 0.1], [-0.2, 0.4]]))
    h = _rnn(x, h0, W, U)
    xv, h0v, Wv, Vv = rng.randn(4, 3), rng.randn(2), rng.randn(3, 2), rng.randn(3, 2)
    fh = theano.function([x, h0, W], h)
    jvp = (fh(xv, h0v, Wv + 1e-6 * Vv) - fh(xv, h0v, Wv - 1e-6 * Vv)) / 2e-6
    got = theano.function([x, h0, W, V], T.Rop(h, W, V))(xv, h0v, Wv, Vv)
    np.testing.assert_allclose(got, jvp, rtol=1e-6, atol=1e-8)
    # R_op of the gradient (a Hessian-vector product) goes through the reverse loop's
    # carried sums.
    g = T.grad((h ** 2).sum(), W)
    fg = theano.function([x, h0, W], g)
    hvp = (fg(xv, h0v, Wv + 1e-6 * Vv) - fg(xv, h0v, Wv - 1e-6 * Vv)) / 2e-6
    got = theano.function([x, h0, W, V], T.Rop(g, W, V))(xv, h0v, Wv, Vv)
    np.testing.assert_allclose(got, hvp, rtol=1e-5, atol=1e-7)


def test_gradient_needing_randomstreams_draws_is_undefined():
    srng = RandomStreams(5)
    x, W = T.dmatrix(), T.dmatrix()
    h, _ = theano.scan(lambda xt, h, W: T.tanh(T.dot(xt, W) + h) * srng.binomial(size=(2,)),
                       sequences=x, outputs_info=T.zeros(2), non_sequences=W)
    with pytest.raises(theano.gradient.NullTypeGradError, match="MRG_RandomStreams"):
        T.grad(h.sum(), W)
    # Without a recurrence: only the gradients that read the draws are undefined.
    v = T.dvector()
    y, _ = theano.scan(lambda xt, v: xt * v * srng.binomial(size=(2,)) + v, sequences=x,
                       non_sequences=v)
    with pytest.raises(theano.gradient.NullTypeGradError, match="MRG_RandomStreams"):
        T.grad(y.sum(), x)
    z, _ = theano.scan(lambda xt, v: xt * v + srng.binomial(size=(2,)), sequences=x,
                       non_sequences=v)
    gx, gv = theano.function([x, v], T.grad(z.sum(), [x, v]), no_default_updates=True)(
        np.ones((3, 2)), np.array([2.0, 3.0]))
    np.testing.assert_array_equal(gx, [[2.0, 3.0]] * 3)
    np.testing.assert_array_equal(gv, [3.0, 3.0])


def test_undefined_gradient_through_a_recurrence_is_undefined():
    # Theano 1.0.5 treated the undefined recurrence as zero for the sequence (giving
    # [0, 0, 4] here, not a gradient); here every gradient that depends on it is undefined.
    v, s = T.dvector(), T.dscalar()
    r, _ = theano.scan(lambda a, p: theano.gradient.undefined_grad(p) * a, sequences=v,
                       outputs_info=s)
    for wrt in (v, s):
        with pytest.raises(theano.gradient.NullTypeGradError):
            T.grad(r.sum(), wrt)


def test_integer_sequences_have_no_gradient():
    v = T.dvector()
    r, _ = theano.scan(lambda i, a, v: v[i] * a, sequences=[T.arange(3), v], non_sequences=v)
    g = theano.function([v], T.grad(r.sum(), v))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])


# ----------------------------------------------------------------------------- random state


def test_random_state_advances_once_per_step():
    # The numbers of RandomStreams(1234) in a loop are those of consecutive draws.
    srng = RandomStreams(1234)
    r, upd = theano.scan(lambda: srng.uniform(size=(2,)), n_steps=3)
    f = theano.function([], r, updates=upd)
    seed = np.random.RandomState(1234).randint(2**30)
    ref = np.random.RandomState(seed)
    want = [ref.uniform(size=(2,)) for _ in range(6)]
    np.testing.assert_array_equal(np.concatenate([f(), f()]), np.array(want))


def test_missing_random_updates_are_named():
    srng = RandomStreams(1)
    p = T.dvector()
    r, upd = theano.scan(lambda pp: srng.binomial(size=(2,), p=pp), sequences=p)
    with pytest.raises(MissingInputError, match="random state .* advanced inside the step "
                       "function.*updates=updates"):
        theano.function([p], r)
    # Passing the updates, or asking for no default updates, compiles.
    theano.function([p], r, updates=upd)
    theano.function([p], r, no_default_updates=True)
    # A draw that does not need the step's values: Theano's behaviour, with a warning.
    m = MRG_RandomStreams(2)
    r2, upd2 = theano.scan(lambda h: h + m.uniform(size=(2,)), outputs_info=T.zeros(2),
                           n_steps=2)
    with pytest.warns(UserWarning, match="advanced by one draw made outside the loop"):
        f = theano.function([], r2)
    assert f().shape == (2, 2)


def test_nested_scan_must_return_inner_random_updates():
    srng = RandomStreams(4)

    def outer(a):
        inner, inner_upd = theano.scan(lambda b: srng.normal(size=(), avg=b), sequences=a)
        return inner.sum()

    with pytest.raises(MissingInputError, match="does not return that scan's updates"):
        theano.scan(outer, sequences=T.dmatrix())

    def outer_ok(a):
        inner, inner_upd = theano.scan(lambda b: srng.normal(size=(), avg=b), sequences=a)
        return inner.sum(), inner_upd

    m = T.dmatrix()
    r, upd = theano.scan(outer_ok, sequences=m)
    f = theano.function([m], r, updates=upd)
    first, second = f(np.zeros((2, 3))), f(np.zeros((2, 3)))
    assert first.shape == (2,) and not np.allclose(first, second)


# ----------------------------------------------------------------------------- errors


def test_type_errors_name_the_output_and_both_types():
    s = T.dscalar()
    with pytest.raises(ValueError, match=r"output 0 .*float64.*initial state.*float32"):
        theano.scan(lambda p: p * s, outputs_info=T.constant(np.float32(1.0)), n_steps=2)
    with pytest.raises(ValueError, match=r"output 0 .*scalar.*TensorType\(float64, vector\)"):
        theano.scan(lambda p: p.sum(), outputs_info=T.zeros((3,)), n_steps=2)
    # A step value less broadcastable than its initial state: built, as in Theano 1.0.5;
    # its gradient and its compilation raise TypeError with Theano's messages.
    x, init = T.dtensor3(), T.drow()
    out, _ = theano.scan(lambda x_t, p: x_t + p, sequences=x, outputs_info=init)
    with pytest.raises(TypeError, match=r"broadcast pattern of the output of scan "
                                        r"\(TensorType\(float64, 3D\)\).*`output_info` "
                                        r"\(TensorType\(float64, row\)\). The output on axis "
                                        r"0 is `False`, but it is `True` on axis 1"):
        T.grad(out.sum(), x)
    with pytest.raises(TypeError, match=r"Inconsistency in the inner graph of scan 'scan_fn'.*"
                                        r"'TensorType\(float64, row\)' and "
                                        r"'TensorType\(float64, matrix\)'"):
        theano.function([x, init], out)
    with pytest.raises(ValueError, match="Please provide None as outputs_info"):
        theano.scan(lambda a: [a, a * 2], sequences=T.dvector(), outputs_info=[None])


def test_strict_names_the_missing_shared_variable():
    W = theano.shared(np.ones(3), name="W_strict")
    v = T.dvector()
    with pytest.raises(MissingInputError, match="W_strict.*non_sequences"):
        theano.scan(lambda a: a * W, sequences=v, strict=True)
    r, _ = theano.scan(lambda a, W: a * W, sequences=v, non_sequences=W, strict=True)
    np.testing.assert_array_equal(theano.function([v], r)(np.ones(2)), np.ones((2, 3)))


def test_runtime_errors():
    v, k = T.dvector(), T.iscalar()
    r, _ = theano.scan(lambda a: a * 2, sequences=v, n_steps=k)
    # FAST_RUN moves the step out of the loop (scan_pushout_seqs_ops) and, as Theano 1.0.5
    # (values printed by theano-ref), gives the rows there are.
    np.testing.assert_array_equal(theano.function([v, k], r, mode=FAST_RUN)(np.ones(3), 5),
                                  [2.0, 2.0, 2.0])
    f = theano.function([v, k], r, mode=FAST_RUN.excluding("scan_pushout_seqs_ops"))
    with pytest.raises(ValueError, match="fewer than the 5 steps"):
        f(np.arange(3.0), 5)
    with pytest.raises(ValueError, match="fewer than the 4 steps"):
        f(np.arange(3.0), -4)
    s = T.dvector()
    grow, _ = theano.scan(lambda i, p: T.concatenate([p, p])[:i + 2], sequences=T.arange(3),
                          outputs_info=s)
    with pytest.raises(ValueError, match="recurrent output 0 .* shape"):
        theano.function([s], grow)(np.ones(2))


# ----------------------------------------------------------------------------- machinery


@pytest.mark.parametrize("mode", ["FAST_RUN", "FAST_COMPILE", theano.Mode(optimizer=None)])
def test_modes_and_direct_impl(mode):
    x, h0 = T.dmatrix(), T.dvector()
    W = np.array([[0.5, 0.1], [0.2, -0.3]])
    h = _rnn(x, h0, T.constant(W), T.constant(W.T))
    xv, h0v = np.ones((3, 2)), np.array([0.1, -0.2])
    got = theano.function([x, h0], h, mode=mode)(xv, h0v)
    node = h.owner.inputs[0].owner
    direct = node.op.impl(np, *([np.asarray(3)] + [
        theano.function([x, h0], i, on_unused_input="ignore")(xv, h0v) for i in node.inputs[1:]]))
    np.testing.assert_allclose(got, direct[1:] if isinstance(direct, np.ndarray) else direct[0][1:])


def test_constant_loop_is_folded_and_ops_compare_structurally():
    r, _ = theano.scan(lambda p: p * 2, outputs_info=T.constant(np.float64(1.0)), n_steps=4)
    f = theano.function([], r, mode="FAST_RUN")  # constant folding
    np.testing.assert_array_equal(f(), [2.0, 4.0, 8.0, 16.0])
    assert not any(isinstance(n.op, Scan) for n in f.maker.fgraph.toposort())
    r2, _ = theano.scan(lambda p: p * 2, outputs_info=T.constant(np.float64(1.0)), n_steps=4)
    op1, op2 = r.owner.inputs[0].owner.op, r2.owner.inputs[0].owner.op
    assert op1 == op2 and hash(op1) == hash(op2) and op1 is not op2
    r3, _ = theano.scan(lambda p: p * 3, outputs_info=T.constant(np.float64(1.0)), n_steps=4)
    assert r3.owner.inputs[0].owner.op != op1


def test_unused_outputs_are_pruned():
    x, h0, W, U = T.dmatrix(), T.dvector(), T.dmatrix(), T.dmatrix()
    h = _rnn(x, h0, W, U)
    # (scan_pushout_output would turn the sum for W's gradient into a per-step output.)
    f = theano.function([x, h0, W, U], T.grad(h.sum(), W),
                        mode=FAST_RUN.excluding("scan_pushout_output"))  # the SCAN rules
    (back,) = [n for n in f.maker.fgraph.toposort()
               if isinstance(n.op, Scan) and n.op.name == "grad_of_scan_fn"]
    assert back.op.n_nit == 0  # the gradient of x is not computed
    # A state nobody reads from outside stays when a used output reads it.
    v = T.dvector()
    (a, b), _ = theano.scan(lambda e, p: [p * 2 + e, p * 10], sequences=v,
                            outputs_info=[T.constant(np.float64(1.0)), None])
    g = theano.function([v], b, mode="FAST_RUN")
    np.testing.assert_array_equal(g(np.array([1.0, 2.0, 3.0])), [10.0, 30.0, 80.0])
    (loop,) = [n for n in g.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert (loop.op.n_states, loop.op.n_nit) == (1, 1)
    h = theano.function([v], a, mode="FAST_RUN")
    (loop,) = [n for n in h.maker.fgraph.toposort() if isinstance(n.op, Scan)]
    assert (loop.op.n_states, loop.op.n_nit) == (1, 0)


def test_scan_checkpoints_keeps_every_nth_state():
    x, h0, W = T.dmatrix(), T.dvector(), T.dmatrix()

    def step(xt, h, W):
        return T.tanh(T.dot(xt, W) + h)

    h, _ = theano.scan(step, sequences=[x], outputs_info=[h0], non_sequences=[W])
    hc, _ = theano.scan_checkpoints(step, sequences=[x], outputs_info=[h0],
                                    non_sequences=[W], save_every_N=3)
    f = theano.function([x, h0, W], [hc, h, T.grad(hc[-1].sum(), W), T.grad(h[-1].sum(), W)])
    rng = _rng()
    got_c, got, g_c, g = f(rng.randn(7, 3), rng.randn(2), rng.randn(3, 2))
    np.testing.assert_allclose(got_c, got[[2, 5, 6]], rtol=1e-12)  # blocks of 3, 3 and 1
    np.testing.assert_allclose(g_c, g, rtol=1e-10)


def test_compute_test_value_reaches_the_step():
    with theano.change_flags(compute_test_value="raise"):
        x, h0 = T.dmatrix("x"), T.dvector("h0")
        x.tag.test_value, h0.tag.test_value = np.ones((3, 2)), np.zeros(2)
        h, _ = theano.scan(lambda xt, h: T.tanh(xt + h), sequences=x, outputs_info=h0)
        want, hv = [], np.zeros(2)
        for _ in range(3):
            hv = np.tanh(1.0 + hv)
            want.append(hv)
        np.testing.assert_allclose(h.tag.test_value, want)


def test_legacy_paths():
    import theano.scan_module
    import theano.scan_module.scan_utils as su

    assert theano.scan_module.until is until
    import theano.updates

    assert theano.updates.OrderedUpdates is theano.OrderedUpdates
    assert theano.scan_module.scan is theano.scan
    x = T.dvector()
    assert su.equal_computations([x + 1], [x + 1]) and not su.equal_computations([x + 1],
                                                                               [x + 2])
    for name in ("map", "reduce", "foldl", "foldr", "scan", "scan_checkpoints"):
        assert callable(getattr(theano, name))


def test_bench_script_runs_and_agrees_with_numpy(monkeypatch):
    monkeypatch.syspath_prepend(os.path.join(TOOLS, "bench"))  # undone after the test
    import bench_scan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for batch in (0, 2):
            times = bench_scan.rnn(steps=4, hidden=3, batch=batch, repeat=1)  # asserts equality
            assert set(times) == {"forward", "forward+backward"}


def test_an_update_reading_a_variable_not_given_is_a_missing_input():
    # Theano 1.0.5 added to the non-sequences the variables the step's outputs and
    # condition read, not those only an update read (MissingInputError at scan).
    c = theano.shared(0.0)
    inc = T.dscalar("inc")
    with pytest.raises(MissingInputError, match="non_sequences"):
        theano.scan(lambda: (T.zeros(()), {c: c + inc}), n_steps=20)
    lim = T.dscalar("lim")
    out, _ = theano.scan(lambda x: (x * 2, until(x > lim)),
                         outputs_info=T.constant(np.float64(1)), n_steps=20)
    assert theano.function([lim], out)(10).tolist() == [2.0, 4.0, 8.0, 16.0, 32.0]


def test_states_with_several_taps_come_first_in_the_loop():
    # Theano's layout (mit_sot states, then sit_sot ones); scan returns them in the
    # order of outputs_info.
    a0, b0 = T.dscalar("a0"), T.dvector("b0")
    (a, b), _ = theano.scan(lambda a1, b2, b1: (a1 + 1, b2 + b1 + a1),
                            outputs_info=[a0, dict(initial=b0, taps=[-2, -1])], n_steps=3)
    op = a.owner.inputs[0].owner.op
    assert op.tap_array == [[-2, -1], [-1]]
    got_a, got_b = theano.function([a0, b0], [a, b])(1.0, [1.0, 2.0])
    ra, rb = [1.0], [1.0, 2.0]
    for _ in range(3):
        rb.append(rb[-2] + rb[-1] + ra[-1])
        ra.append(ra[-1] + 1)
    assert got_a.tolist() == ra[1:] and got_b.tolist() == rb[2:]


# ----------------------------------------------------------------------------- the Op as
# Theano described it: node layout, connection pattern, shapes, integer gradients, own mode


def _scans(f):
    return [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]


def test_per_step_outputs_have_a_size_input_before_the_non_sequences():
    x, w = T.dvector("x"), T.dscalar("w")
    (a, b), _ = theano.scan(lambda v, w: (v * w, v + w), sequences=x, non_sequences=w)
    node = a.owner
    op = node.op
    # n_steps, x, the two sizes (the number of steps), w
    assert len(node.inputs) == 5 and op.outer_nitsot(node) == [node.inputs[0]] * 2
    again = op(node.inputs[0], x, w, return_list=True)  # sizes left out: filled in
    assert len(again[0].owner.inputs) == 5
    f = theano.function([x, w], again)
    assert [r.tolist() for r in f([1.0, 2.0], 3.0)] == [[3.0, 6.0], [4.0, 5.0]]


def test_integer_initial_state_gets_a_zero_float_gradient():
    a0 = theano.shared(np.arange(2))
    (a, b), _ = theano.scan(lambda a2, a1, b2, b1: (a1, b1),
                            outputs_info=[{"initial": a0, "taps": [-2, -1]},
                                          {"initial": theano.shared(np.arange(2)),
                                           "taps": [-2, -1]}], n_steps=2)
    g = T.grad(a[-1], a0)
    assert g.dtype == "float64" and g.eval().tolist() == [0.0, 0.0]  # Theano 1.0.5


def test_an_initial_value_the_steps_do_not_read_is_disconnected():
    x0, y0, z0 = T.dvectors("X", "y0", "Z")
    [x, y, z], _ = theano.scan(lambda x, y, z: (x ** 2, y, x + 1),
                               outputs_info=[x0, y0, z0], n_steps=10)
    node = x.owner.inputs[0].owner
    t, f = True, False
    # Theano 1.0.5
    assert node.op.connection_pattern(node) == [[f, f, f], [t, f, t], [f, t, f], [f, f, f]]
    cost = (x + y + z).sum()
    T.grad(cost, [x0, y0])
    with pytest.raises(ValueError):
        T.grad(cost, z0)
    with pytest.raises(ValueError):
        T.grad(x.sum(), y0)  # y is connected to y0, but the cost does not read y


def test_per_step_output_shapes_do_not_run_the_loop():
    seq = T.dmatrix("seq")
    initial = theano.shared(np.zeros((4, 2)))
    res, _ = theano.scan(lambda x, x_tm4: (x, x_tm4), sequences=seq,
                         outputs_info=[OrderedDict([("initial", initial), ("taps", [-4])]),
                                       None])
    # The shape rewrites of FAST_RUN infer the shape from the inner graph (Theano 1.0.5:
    # [7, 2], and no Scan node left); other modes run the loop and agree on the value.
    assert theano.function([seq], res[1].shape)(np.zeros((7, 2))).tolist() == [7, 2]
    f = theano.function([seq], res[1].shape, mode="FAST_RUN")
    assert f(np.zeros((7, 2))).tolist() == [7, 2]
    if theano.config.optimizer != "None":
        assert not _scans(f)


def test_a_mode_given_to_scan_compiles_the_step():
    k, A = T.iscalar("k"), T.vector("A")
    seen = []

    def large(i, node, fn):
        for output in fn.outputs:
            if isinstance(output[0], np.ndarray):
                seen.append(int((output[0] > 10).sum()))

    mode = theano.compile.MonitorMode(post_func=large)
    result, updates = theano.scan(lambda prior, A: prior * A, outputs_info=T.ones_like(A),
                                  non_sequences=A, n_steps=k, mode=mode)
    f = theano.function([A, k], result[-1], updates=updates)
    got = f(np.asarray([2, 3, 0.1, 0, 1], dtype=theano.config.floatX), 4)
    assert np.allclose(got, np.asarray([2, 3, 0.1, 0, 1]) ** 4)
    assert sum(seen) == 3  # Theano 1.0.5: values above 10 seen in the step's outputs


def test_gradient_under_compute_test_value():
    with theano.configparser.change_flags(compute_test_value="raise"):
        x = T.vector("x")
        x.tag.test_value = np.ones(3, dtype=theano.config.floatX)
        y = theano.shared(np.arange(3, dtype=theano.config.floatX), name="y")
        z, _ = theano.scan(lambda u, v: u + v, sequences=[x, y])
        g = T.grad(z.sum(), x)
        assert np.array_equal(g.tag.test_value, np.ones(3))


def test_a_step_of_another_shape_fails_with_numpys_broadcast_message():
    # Theano stored each step into a buffer shaped like the initial state: NumPy's error
    # ("could not broadcast input array from shape (3,3) into shape (3,5)", theano-ref).
    k = T.iscalar("k")
    A = T.dmatrix("A")
    out, _ = theano.scan(lambda prior, A: T.dot(prior, A), outputs_info=T.ones_like(A.T),
                         non_sequences=A, n_steps=k)
    f = theano.function([k, A], out)
    with pytest.raises(ValueError) as info:
        f(3, np.ones((5, 3)))
    assert str(info.value).startswith(
        "could not broadcast input array from shape (3,3) into shape (3,5)")
    np.testing.assert_array_equal(f(2, np.ones((5, 5)))[-1], np.full((5, 5), 25.0))
