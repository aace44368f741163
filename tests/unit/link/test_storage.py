"""Buffer donation (link/storage.py): a fused node may write its result into an
intermediate array that dies there, never into anything still needed."""

import numpy as np

import theano
import theano.tensor as T
from theano_compat.compile.mode import Mode
from theano_compat.link import storage

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


def test_an_array_viewed_by_another_input_of_the_same_node_is_not_overwritten():
    # d and its view d[::-1] are read by one fused node: writing into d would change what
    # the view reads while the node runs.
    x = T.dmatrix("x")
    d = x.sum(axis=0)
    f = theano.function([x], T.exp(d) * d[::-1] + 1.0, mode=FAST)
    xv = rng.randn(3, 4)
    s = xv.sum(axis=0)
    np.testing.assert_allclose(f(xv), np.exp(s) * s[::-1] + 1.0, rtol=1e-14)


def test_inc_subtensor_chain_writes_into_its_zeros():
    # zeros, incremented on two slices: the linker donates the zeros (then the first
    # result) to the increments, which copy nothing; the values are unchanged.
    x = T.dmatrix("x")
    z = T.zeros((x.shape[0], 4))
    out = T.inc_subtensor(T.inc_subtensor(z[:, :2], T.exp(x))[:, 2:], T.tanh(x)) * 2.0
    f = theano.function([x], out, mode=FAST)
    xv = rng.randn(3, 2)
    want = np.concatenate([np.exp(xv), np.tanh(xv)], axis=1) * 2.0
    np.testing.assert_allclose(f(xv), want, rtol=1e-15)
    glob = f.maker.program.fn.__globals__
    incs = [k for k, n in enumerate(f.maker.program.nodes) if "IncSubtensor" in str(n.op)]
    assert len(incs) == 2
    assert all(glob[f"op{k}"].func.__name__ == "_in_place" for k in incs)
    # A zeros array read again afterwards is copied, not overwritten.
    g = theano.function([x], [T.inc_subtensor(z[:, :2], T.exp(x)), z], mode=FAST)
    got, zeros = g(xv)
    np.testing.assert_array_equal(zeros, np.zeros((3, 4)))
    np.testing.assert_allclose(got[:, :2], np.exp(xv), rtol=1e-15)


# -- a single-ufunc node takes a dying intermediate too (link/storage.py, issue 19) ----------


def _writes_into(f):
    """Names of the intermediates single-ufunc nodes are given as out= arrays."""
    return [ln.split("out=(", 1)[1].split(" ", 1)[0]
            for ln in f.maker.program.source.splitlines() if "out=(t" in ln]


def test_single_ufunc_node_writes_into_a_dying_intermediate():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    w = theano.shared(rng.randn(4, 3), name="w")
    w0 = w.get_value()
    # w + dot(x, y): the product dies at the add, which writes into it (without BlasOpt,
    # which would make the two one Gemm)
    f = theano.function([x, y], [], updates=[(w, w + T.dot(x, y))],
                        mode=FAST.excluding("BlasOpt"))
    assert _writes_into(f), f.maker.program.source
    xv, yv = rng.randn(4, 5), rng.randn(5, 3)
    f(xv, yv)
    np.testing.assert_allclose(w.get_value(), w0 + xv @ yv, rtol=1e-13)


def test_single_ufunc_node_leaves_an_intermediate_read_later():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    d = T.dot(x, y)
    # the product is read after the add (and returned): it must keep its values
    f = theano.function([x, y], [x + d, d], mode=FAST.excluding("BlasOpt"))
    assert not _writes_into(f), f.maker.program.source
    xv, yv = rng.randn(3, 3), rng.randn(3, 3)
    s, dv = f(xv, yv)
    np.testing.assert_allclose(dv, xv @ yv, rtol=1e-13)
    np.testing.assert_allclose(s, xv + xv @ yv, rtol=1e-13)


def test_a_division_result_is_a_new_array_others_may_write_into():
    # true_div and sqr are takes_out ops: a fused node ending with one makes a new array
    # (or writes into the buffer it is given), so later nodes may take it as theirs
    a, b = T.dmatrices("a", "b")
    f = theano.function([a, b], -T.sqrt(a + 1.0) / T.sqrt(b + 1.0) * 2.0 / b, mode=FAST)
    (node,) = [n for n in f.maker.fgraph.toposort()
               if isinstance(getattr(n.op, "scalar_op", None), storage.Composite)]
    assert str(node.op.scalar_op.nodes[-1][0]) == "true_div"
    assert storage._fresh(node.outputs[0])
    g = theano.function([a], T.sqr(a), mode=FAST)
    assert storage._fresh(g.maker.fgraph.outputs[0])
    av, bv = rng.rand(3, 3), rng.rand(3, 3)
    np.testing.assert_allclose(f(av, bv), -np.sqrt(av + 1.0) / np.sqrt(bv + 1.0) * 2.0 / bv,
                               rtol=1e-13)
