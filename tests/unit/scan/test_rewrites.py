"""The scan rewrites (theano_compat/scan/rewrites.py): push-out of loop-invariant and
per-sequence work, removal of unused and constant inputs, save-mem; each checked on the
compiled graph's structure and on values against NumPy loops."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.scan.op import Scan, _last_rows
from theano_compat.tensor.elemwise import Elemwise
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def _scans(f):
    return [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Scan)]


def _inner_ops(op):
    return [type(n.op).__name__ if not isinstance(n.op, Elemwise) else str(n.op.scalar_op)
            for n in theano.graph.basic.io_toposort(op.inputs, op.outputs)]


def _rnn_reference(x, h0, W, b):
    h, out = h0, []
    for x_t in x:
        h = np.tanh(h @ W + x_t * 2 + np.exp(W).sum() + b)
        out.append(h)
    return np.array(out)


def _rnn(go_backwards=False):
    x, W, h0, b = T.dmatrix("x"), T.dmatrix("W"), T.dvector("h0"), T.dvector("b")
    o, _ = theano.scan(lambda x_t, h, W, b: T.tanh(T.dot(h, W) + x_t * 2 + T.exp(W).sum() + b),
                       sequences=x, outputs_info=h0, non_sequences=[W, b],
                       go_backwards=go_backwards)
    return [x, h0, W, b], o


RNG = np.random.RandomState(42)
XV, HV, WV, BV = RNG.randn(7, 3), RNG.randn(3), RNG.randn(3, 3) * 0.5, RNG.randn(3)


def test_invariant_and_sequence_work_leave_the_loop():
    ins, o = _rnn()
    f = theano.function(ins, o, mode=FAST_RUN)
    (node,) = _scans(f)
    inner = _inner_ops(node.op)
    # exp(W).sum() is computed once before the loop, x_t * 2 on the whole sequence.
    assert "exp" not in inner and "Sum" not in inner and "mul" not in inner
    assert node.op.n_seqs == 1 and node.inputs[1].owner is not None
    np.testing.assert_allclose(f(XV, HV, WV, BV), _rnn_reference(XV, HV, WV, BV))
    # Excluded by Theano's names, the work stays in the step.
    g = theano.function(ins, o, mode=FAST_RUN.excluding("scan_pushout_non_seqs_ops",
                                                        "scan_pushout_seqs_ops"))
    inner = _inner_ops(_scans(g)[0].op)
    assert "exp" in inner and "mul" in inner
    np.testing.assert_allclose(g(XV, HV, WV, BV), _rnn_reference(XV, HV, WV, BV))


def test_an_output_computed_from_invariants_only_needs_no_loop():
    h0, W1, W2 = T.dvector(), T.dmatrix(), T.dmatrix()
    o, _ = theano.scan(lambda h, W1, W2: T.dot(h, W1 + W2), non_sequences=[h0, W1, W2],
                       n_steps=5)
    f = theano.function([h0, W1, W2], o, mode=FAST_RUN)
    assert not _scans(f)
    w1, w2 = RNG.randn(2, 2), RNG.randn(2, 2)
    np.testing.assert_allclose(f(HV[:2], w1, w2), np.tile(HV[:2] @ (w1 + w2), (5, 1)))


def test_a_map_over_sequences_becomes_elementwise_work():
    x, y = T.dvector(), T.dvector()
    o, _ = theano.scan(lambda a, b: a * 2 + T.exp(b), sequences=[x, y])
    f = theano.function([x, y], o, mode=FAST_RUN)
    assert not _scans(f)
    # Sequences of different lengths: the loop's steps (the shorter one) only.
    np.testing.assert_allclose(f(np.arange(5.0), np.arange(3.0)),
                               np.arange(3.0) * 2 + np.exp(np.arange(3.0)))


def test_pushout_with_sequences_of_different_lengths_inside_a_loop():
    x, y, h0 = T.dvector(), T.dvector(), T.dscalar()
    o, _ = theano.scan(lambda a, b, h: h * 0.5 + a * b, sequences=[x, y], outputs_info=h0)
    f = theano.function([x, y, h0], o, mode=FAST_RUN)
    assert len(_scans(f)) == 1
    xv, yv = RNG.randn(6), RNG.randn(4)
    h, ref = 0.3, []
    for a, b in zip(xv, yv):
        h = h * 0.5 + a * b
        ref.append(h)
    np.testing.assert_allclose(f(xv, yv, 0.3), ref)


def test_unused_duplicate_and_constant_inputs_are_removed():
    W, v = T.dmatrix("W"), T.ivector("v")
    y, _ = theano.scan(lambda i, _, _2, W, c: W[i] * c, sequences=v,
                       non_sequences=[W[0], W[0], W, T.constant(2.0)])
    f = theano.function([W, v], y, mode=FAST_RUN)
    (node,) = _scans(f)
    assert len(node.op.inner_non_seqs()) == 1 and node.op.n_seqs == 1
    w = np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(f(w, [1, 2]), w[[1, 2]] * 2)


def test_loops_over_the_same_steps_are_merged():
    x, h0 = T.dvector(), T.dscalar()
    o1, _ = theano.scan(lambda a, h: h + a, sequences=x, outputs_info=h0)
    o2, _ = theano.scan(lambda a, h: h * a, sequences=x, outputs_info=h0)
    f = theano.function([x, h0], [o1, o2], mode=FAST_RUN)
    assert len(_scans(f)) == 1
    xv = RNG.randn(5)
    a, b = f(xv, 1.5)
    np.testing.assert_allclose(a, 1.5 + np.cumsum(xv))
    np.testing.assert_allclose(b, 1.5 * np.cumprod(xv))
    g = theano.function([x, h0], [o1, o2], mode=FAST_RUN.excluding("scanOp_merge"))
    assert len(_scans(g)) == 2


@pytest.mark.parametrize("go_backwards", [False, True])
def test_save_mem_keeps_the_last_steps_only(go_backwards):
    ins, o = _rnn(go_backwards)
    f = theano.function(ins, [o[-1], o[-2]], mode=FAST_RUN)
    (node,) = _scans(f)
    assert node.op.store_steps == (2,)  # the two steps read (more than the window)
    buffer = theano.function(ins, node.inputs[2], on_unused_input="ignore")
    assert buffer(XV, HV, WV, BV).shape == (2, 3)
    xs = XV[::-1] if go_backwards else XV
    ref = _rnn_reference(xs, HV, WV, BV)
    last, before = f(XV, HV, WV, BV)
    np.testing.assert_allclose(last, ref[-1])
    np.testing.assert_allclose(before, ref[-2])
    # The whole output read: the whole buffer kept.
    g = theano.function(ins, [o, o[-1]], mode=FAST_RUN)
    assert _scans(g)[0].op.store_steps is None
    h = theano.function(ins, o[-1], mode=FAST_RUN.excluding("scanOp_save_mem"))
    assert _scans(h)[0].op.store_steps is None


def test_save_mem_of_a_reduce_and_a_multi_tap_state():
    x = theano.shared(np.arange(10.0))
    o, _ = theano.reduce(lambda v, acc: acc + v, x, T.constant(np.asarray(0.0)))
    f = theano.function([], o, mode=FAST_RUN)
    (node,) = _scans(f)
    assert node.op.store_steps == (2,)  # as Theano's with allow_output_prealloc
    assert f() == 45.0
    init, s = T.dvector(), T.dvector()
    fib, _ = theano.scan(lambda a, b, c: a + b + c, sequences=s,
                         outputs_info=dict(initial=init, taps=[-2, -1]))
    g = theano.function([s, init], fib[-1], mode=FAST_RUN)
    assert _scans(g)[0].op.store_steps == (3,)
    vals = [1.0, 2.0]
    for c in np.arange(9.0):
        vals.append(vals[-2] + vals[-1] + c)
    assert g(np.arange(9.0), [1.0, 2.0]) == vals[-1]
    # Fewer steps than the circular buffer's rows.
    assert g(np.arange(1.0), [1.0, 2.0]) == 3.0


def test_save_mem_with_a_stop_condition():
    x, h0 = T.dvector(), T.dscalar()
    o, _ = theano.scan(lambda a, h: (h + a, theano.scan_module.until(h + a > 4)),
                       sequences=x, outputs_info=h0)
    f = theano.function([x, h0], o[-1], mode=FAST_RUN)
    assert _scans(f)[0].op.store_steps == (2,)
    assert f(np.arange(10.0), 0.0) == 6.0  # 0 + 0 + 1 + 2 + 3
    assert f(np.array([1.0]), 0.0) == 1.0


def test_circular_buffer_rows_in_order():
    buf = np.array([3, 4, 2])  # rows 0..4 written at i % 3: 3, 4 overwrote 0, 1
    np.testing.assert_array_equal(_last_rows(np, buf, 5, 3), [2, 3, 4])
    np.testing.assert_array_equal(_last_rows(np, buf, 2, 3), [3, 4])
    np.testing.assert_array_equal(_last_rows(np, buf, 6, 3), buf)


def test_a_loop_rewritten_by_save_mem_has_no_gradient():
    ins, o = _rnn()
    f = theano.function(ins, o[-1], mode=FAST_RUN)
    node = _scans(f)[0]
    with pytest.raises(NotImplementedError, match="scan_save_mem"):
        node.op.L_op(node.inputs, node.outputs, [T.zeros_like(v) for v in node.outputs])


# ------------------------------------------------ a gated RNN: what a training step runs


def _gated_rnn():
    """h_t = tanh(a) * sigmoid(b) with [a, b] = x_t W + h_{t-1} U (LSTM-style slices)."""
    x, W, U = T.dtensor3("x"), T.dmatrix("W"), T.dmatrix("U")

    def step(xt, h, W, U):
        pre = T.dot(xt, W) + T.dot(h, U)
        return T.tanh(pre[:, :2]) * T.nnet.sigmoid(pre[:, 2:])

    h, _ = theano.scan(step, sequences=x, outputs_info=T.zeros((x.shape[1], 2)),
                       non_sequences=[W, U])
    cost = h.sum()
    return [x, W, U], [cost] + T.grad(cost, [W, U])


def _gated_rnn_numpy(x, W, U):
    """The cost and its gradients by a hand-written forward loop and BPTT."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h, hs, pres = np.zeros((x.shape[1], 2)), [], []
    for xt in x:
        pre = xt @ W + h @ U
        h = np.tanh(pre[:, :2]) * sig(pre[:, 2:])
        hs.append(h)
        pres.append(pre)
    dW, dU, dh = np.zeros_like(W), np.zeros_like(U), np.zeros_like(h)
    for t in range(len(x) - 1, -1, -1):
        a, b = pres[t][:, :2], pres[t][:, 2:]
        dh = dh + 1.0
        dpre = np.concatenate([dh * sig(b) * (1 - np.tanh(a) ** 2),
                               dh * np.tanh(a) * sig(b) * (1 - sig(b))], axis=1)
        h_prev = hs[t - 1] if t else np.zeros_like(h)
        dW += x[t].T @ dpre
        dU += h_prev.T @ dpre
        dh = dpre @ U.T
    return [sum(h.sum() for h in hs), dW, dU]


def _loops(f):
    """{loop op: the inner program} of the Scan nodes of compiled function `f`."""
    g = f.maker.program.fn.__globals__
    return {v.__globals__["_op"]: v.__globals__["_fn"].program for v in g.values()
            if callable(v) and "_fn" in getattr(v, "__globals__", {})}


def _checked_gated_rnn_loops(seed):
    """The gated RNN's training step compiled in FAST_RUN, its values checked against
    NumPy on data of `seed`; its scan Ops and their inner programs (_loops)."""
    ins, outs = _gated_rnn()
    f = theano.function(ins, outs, mode=FAST_RUN)
    rng = np.random.RandomState(seed)
    args = rng.randn(6, 5, 3), rng.randn(3, 4) * 0.5, rng.randn(2, 4) * 0.5
    for got, want in zip(f(*args), _gated_rnn_numpy(*args)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    return _loops(f)


def test_a_training_step_loop_does_no_avoidable_work():
    loops = _checked_gated_rnn_loops(3)
    (bwd_op,) = [op for op in loops if op.name == "grad_of_scan_fn"]
    bwd = loops[bwd_op]
    # The sums of h_{t-1}^T dpre_t and x_t^T dpre_t (W's and U's gradients) are one
    # product each after the reverse loop: it carries no sum.
    assert bwd_op.n_carry == 0
    # The reverse loop's state (the hidden state's gradient) is read by nobody outside:
    # two rows kept, not one per step.
    assert bwd_op.store_steps == (2,)
    # dpre = inc_subtensor(inc_subtensor(zeros, da, :2), db, 2:) writes in place (the
    # linker donates the zeros), and the loop's graph has no guard copy.
    glob = bwd.fn.__globals__
    incs = [k for k, n in enumerate(bwd.nodes) if "IncSubtensor" in str(n.op)]
    assert incs and all(glob[f"op{k}"].func.__name__ == "_in_place" for k in incs)
    assert not [n for n in bwd.nodes if "DestroyGuardCopy" in str(n.op)]


def test_training_step_values_without_the_new_scan_rules():
    ins, outs = _gated_rnn()
    rng = np.random.RandomState(4)
    args = rng.randn(5, 2, 3), rng.randn(3, 4) * 0.5, rng.randn(2, 4) * 0.5
    g = theano.function(ins, outs, mode=FAST_RUN.excluding("scan_pushout_output",
                                                           "scan_pushout_seqs_ops",
                                                           "scanOp_save_mem"))
    (bwd_op,) = [op for op in _loops(g) if op.name == "grad_of_scan_fn"]
    assert bwd_op.n_carry == 2 and bwd_op.store_steps is None
    for got, want in zip(g(*args), _gated_rnn_numpy(*args)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_a_product_of_sequence_rows_by_a_matrix_leaves_the_loop():
    x, W, h0 = T.dmatrix("x"), T.dmatrix("W"), T.dvector("h0")
    h, _ = theano.scan(lambda xt, h, W: T.tanh(T.dot(xt, W) + h * 0.5), sequences=x,
                       outputs_info=h0, non_sequences=[W])
    f = theano.function([x, h0, W], h, mode=FAST_RUN)
    (node,) = _scans(f)
    assert "Dot" not in _inner_ops(node.op)
    assert "Gemv" not in [type(n.op).__name__ for n in _loops(f)[node.op].nodes]
    xv, wv = RNG.randn(6, 3), RNG.randn(3, 3)
    ref, hv = [], HV
    for xt in xv:
        hv = np.tanh(xt @ wv + hv * 0.5)
        ref.append(hv)
    np.testing.assert_allclose(f(xv, HV, wv), ref, rtol=1e-12)
    # A loop that may stop early keeps the product in its step.
    h2, _ = theano.scan(lambda xt, h, W: (T.tanh(T.dot(xt, W) + h * 0.5),
                                          theano.scan_module.until(T.sum(h) > 1e9)),
                        sequences=x, outputs_info=h0, non_sequences=[W])
    g = theano.function([x, h0, W], h2, mode=FAST_RUN)
    assert "Dot" in _inner_ops(_scans(g)[0].op)
    np.testing.assert_allclose(g(xv, HV, wv), ref, rtol=1e-12)


def test_the_reverse_loop_reads_the_values_the_forward_loop_kept():
    """The gates tanh(a) and sigmoid(b) are per-step outputs of the forward loop (its
    gradient's twin merged into it): the reverse step reads them, and does not compute
    the forward step (its product and gates) again."""
    loops = _checked_gated_rnn_loops(5)
    assert len(loops) == 2
    (fwd_op,) = [op for op in loops if op.name != "grad_of_scan_fn"]
    (bwd_op,) = [op for op in loops if op.name == "grad_of_scan_fn"]
    assert fwd_op.n_nit >= 2
    ops = [str(n.op) for n in loops[bwd_op].nodes]
    assert sum("Gemm" in o or "dot" in o.lower() for o in ops) == 1  # dpre U^T only
    assert not any("tanh" in o or "sigmoid" in o for o in ops)


def test_the_reverse_loop_step_is_canonical_and_carries_no_sum():
    """A bias's gradient, a sum over rows at each reverse step, is one sum after the loop,
    as the weights' sums of products are; the step has no fills or products by one."""
    x, W, U, b = T.dtensor3("x"), T.dmatrix("W"), T.dmatrix("U"), T.dvector("b")
    h, _ = theano.scan(lambda xt, h, W, U, b: T.tanh(T.dot(xt, W) + T.dot(h, U) + b),
                       sequences=x, outputs_info=T.zeros((x.shape[1], 3)),
                       non_sequences=[W, U, b])
    cost = (h ** 2).sum()
    f = theano.function([x, W, U, b], [cost] + T.grad(cost, [W, U, b]), mode=FAST_RUN)
    rng = np.random.RandomState(6)
    xv, wv, uv, bv = rng.randn(5, 4, 2), rng.randn(2, 3), rng.randn(3, 3) * 0.5, rng.randn(3)
    hs, hv = [np.zeros((4, 3))], np.zeros((4, 3))
    for xt in xv:
        hv = np.tanh(xt @ wv + hv @ uv + bv)
        hs.append(hv)
    dW, dU, db, dh = np.zeros_like(wv), np.zeros_like(uv), np.zeros_like(bv), 0.0
    for t in range(len(xv) - 1, -1, -1):
        da = (dh + 2 * hs[t + 1]) * (1 - hs[t + 1] ** 2)
        dW += xv[t].T @ da
        dU += hs[t].T @ da
        db += da.sum(axis=0)
        dh = da @ uv.T
    want = [sum((v ** 2).sum() for v in hs), dW, dU, db]
    for got, ref in zip(f(xv, wv, uv, bv), want):
        np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)
    (bwd_op,) = [op for op in _loops(f) if op.name == "grad_of_scan_fn"]
    assert bwd_op.n_carry == 0
    assert "second" not in _inner_ops(bwd_op)


def test_an_output_of_the_new_state_is_computed_after_the_loop():
    """y_t = h_t V + c for all t is one product after the loop (the loop outputs h_t)."""
    x, W, U, V, c = T.dmatrix("x"), T.dmatrix("W"), T.dmatrix("U"), T.dmatrix("V"), T.dvector()
    [h, y], _ = theano.scan(lambda xt, h, W, U, V, c: [T.tanh(T.dot(xt, W) + T.dot(h, U)),
                                                       T.dot(T.tanh(T.dot(xt, W)
                                                                    + T.dot(h, U)), V) + c],
                            sequences=x, outputs_info=[T.zeros((3,)), None],
                            non_sequences=[W, U, V, c])
    f = theano.function([x, W, U, V, c], y, mode=FAST_RUN)
    rng = np.random.RandomState(7)
    xv, wv, uv, vv, cv = (rng.randn(6, 2), rng.randn(2, 3), rng.randn(3, 3) * 0.5,
                          rng.randn(3, 4), rng.randn(4))
    hv, want = np.zeros(3), []
    for xt in xv:
        hv = np.tanh(xt @ wv + hv @ uv)
        want.append(hv @ vv + cv)
    np.testing.assert_allclose(f(xv, wv, uv, vv, cv), want, rtol=1e-12)
    (node,) = _scans(f)
    assert node.op.inner_nit_outs()[0] is node.op.inner_state_outs()[0]
    assert _inner_ops(node.op).count("Dot") == 1  # h U only
