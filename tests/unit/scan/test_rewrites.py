"""The scan rewrites (theano_compat/scan/rewrites.py): push-out of loop-invariant and
per-sequence work, removal of unused and constant inputs, save-mem; each checked on the
compiled graph's structure and on values against NumPy loops."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.scan.op import Scan, _last_rows
from theano_compat.tensor.elemwise import Elemwise

FAST_RUN = theano.compile.get_default_mode()


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
    f = theano.function(ins, o)
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
    f = theano.function([h0, W1, W2], o)
    assert not _scans(f)
    w1, w2 = RNG.randn(2, 2), RNG.randn(2, 2)
    np.testing.assert_allclose(f(HV[:2], w1, w2), np.tile(HV[:2] @ (w1 + w2), (5, 1)))


def test_a_map_over_sequences_becomes_elementwise_work():
    x, y = T.dvector(), T.dvector()
    o, _ = theano.scan(lambda a, b: a * 2 + T.exp(b), sequences=[x, y])
    f = theano.function([x, y], o)
    assert not _scans(f)
    # Sequences of different lengths: the loop's steps (the shorter one) only.
    np.testing.assert_allclose(f(np.arange(5.0), np.arange(3.0)),
                               np.arange(3.0) * 2 + np.exp(np.arange(3.0)))


def test_pushout_with_sequences_of_different_lengths_inside_a_loop():
    x, y, h0 = T.dvector(), T.dvector(), T.dscalar()
    o, _ = theano.scan(lambda a, b, h: h * 0.5 + a * b, sequences=[x, y], outputs_info=h0)
    f = theano.function([x, y, h0], o)
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
    f = theano.function([W, v], y)
    (node,) = _scans(f)
    assert len(node.op.inner_non_seqs()) == 1 and node.op.n_seqs == 1
    w = np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(f(w, [1, 2]), w[[1, 2]] * 2)


def test_loops_over_the_same_steps_are_merged():
    x, h0 = T.dvector(), T.dscalar()
    o1, _ = theano.scan(lambda a, h: h + a, sequences=x, outputs_info=h0)
    o2, _ = theano.scan(lambda a, h: h * a, sequences=x, outputs_info=h0)
    f = theano.function([x, h0], [o1, o2])
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
    f = theano.function(ins, [o[-1], o[-2]])
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
    g = theano.function(ins, [o, o[-1]])
    assert _scans(g)[0].op.store_steps is None
    h = theano.function(ins, o[-1], mode=FAST_RUN.excluding("scanOp_save_mem"))
    assert _scans(h)[0].op.store_steps is None


def test_save_mem_of_a_reduce_and_a_multi_tap_state():
    x = theano.shared(np.arange(10.0))
    o, _ = theano.reduce(lambda v, acc: acc + v, x, T.constant(np.asarray(0.0)))
    f = theano.function([], o)
    (node,) = _scans(f)
    assert node.op.store_steps == (2,)  # as Theano's with allow_output_prealloc
    assert f() == 45.0
    init, s = T.dvector(), T.dvector()
    fib, _ = theano.scan(lambda a, b, c: a + b + c, sequences=s,
                         outputs_info=dict(initial=init, taps=[-2, -1]))
    g = theano.function([s, init], fib[-1])
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
    f = theano.function([x, h0], o[-1])
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
    f = theano.function(ins, o[-1])
    node = _scans(f)[0]
    with pytest.raises(NotImplementedError, match="scan_save_mem"):
        node.op.L_op(node.inputs, node.outputs, [T.zeros_like(v) for v in node.outputs])
