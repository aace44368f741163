"""Buffer donation (link/storage.py): a fused node may write its result into an
intermediate array that dies there, never into anything still needed."""

import numpy as np

import theano
import theano.tensor as T
from theano_compat.compile.mode import Mode

FAST = Mode(optimizer="fast_run")
rng = np.random.RandomState(11)


def _donations(f):
    """(register, donated array name) pairs of the fused nodes written into the program:
    a body that starts by taking an intermediate ``tK_0`` into its first register
    writes into that array."""
    out = []
    for line in f.maker.program.source.splitlines():
        left, _, right = line.strip().partition(" = ")
        if left.startswith("p") and "r" in left and right.startswith("t"):
            out.append((left, right))
    return out


def test_sgd_update_writes_into_the_gradient_buffer_and_is_correct():
    x, d = T.dmatrix("x"), T.dmatrix("d")
    w = theano.shared(rng.randn(5, 4), name="w")
    w0 = w.get_value()
    # (FAST_RUN makes this update one Gemm, as Theano did: the donation is checked on the
    # Dot and fused update the graph keeps without BlasOpt.)
    f = theano.function([x, d], [], updates=[(w, w - 0.1 * T.dot(x.T, d))],
                        mode=FAST.excluding("BlasOpt"))
    xv, dv = rng.randn(3, 5), rng.randn(3, 4)
    f(xv, dv)
    np.testing.assert_allclose(w.get_value(), w0 - 0.1 * xv.T @ dv, rtol=1e-13)
    # the fused update takes the gradient's array as its first register and writes into it
    assert _donations(f), f.maker.program.source


def test_an_array_still_viewed_later_is_not_overwritten():
    x = T.dmatrix("x")
    a = T.exp(x) * 2.0          # fresh intermediate
    b = a.T                     # a view of it, used after the next line
    c = (a + 1.0) * 3.0         # last direct use of `a`: would be a donation candidate
    out = c.sum() + T.dot(b, T.ones_like(x[:, 0]))  # the view is read afterwards
    f = theano.function([x], out, mode=FAST)
    xv = rng.randn(3, 3)
    A = np.exp(xv) * 2.0
    want = ((A + 1.0) * 3.0).sum() + A.T @ np.ones(3)
    np.testing.assert_allclose(f(xv), want, rtol=1e-13)


def test_outputs_and_inputs_are_never_donated():
    x = T.dmatrix("x")
    a = T.exp(x)
    f = theano.function([x], [a, (a + 1.0) * 2.0], mode=FAST)
    xv = rng.randn(2, 3)
    xcopy = xv.copy()
    ra, rb = f(xv)
    np.testing.assert_array_equal(xv, xcopy)
    np.testing.assert_allclose(ra, np.exp(xcopy), rtol=1e-15)
    np.testing.assert_allclose(rb, (np.exp(xcopy) + 1.0) * 2.0, rtol=1e-15)


def test_broadcast_intermediate_is_not_donated():
    x, r = T.dmatrix("x"), T.drow("r")
    small = T.exp(r) * 2.0      # shape (1, n): cannot hold the (m, n) result
    f = theano.function([x, r], (x + small) * 3.0, mode=FAST)
    xv, rv = rng.randn(4, 3), rng.randn(1, 3)
    np.testing.assert_allclose(f(xv, rv), (xv + np.exp(rv) * 2.0) * 3.0, rtol=1e-15)
