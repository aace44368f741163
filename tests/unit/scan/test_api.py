"""The rules between a scan step's output and its ``outputs_info`` (theano_compat/scan/api.py),
as Theano 1.0.5 (results recorded with ../shared/tools/theano-ref)."""

import numpy as np
import pytest
import theano.tensor as T

import theano


def _scan(fn, init, n_steps=3, non_sequences=()):
    out, updates = theano.scan(fn, outputs_info=[init], n_steps=n_steps,
                               non_sequences=list(non_sequences))
    return out, updates


def test_the_broadcast_pattern_of_the_step_must_match_the_initial_state():
    # Theano 1.0.5: a step returning a row for a matrix state, a matrix for a col or row
    # state, a vector for a (True,) state: TypeError ("Inconsistency in the inner graph
    # of scan ... should have the same type"), raised by theano.function; here too (scan
    # builds the loop, its gradient raises Theano's "broadcast pattern" TypeError).
    m, x, c, r = T.matrix("m"), T.matrix("x"), T.col("c"), T.row("r")
    v = T.vector("v")
    cases = [
        (lambda h: T.ones((1, 2)) + h.sum(), x, [], [x]),
        (lambda h, m: T.dot(h, m), c, [m], [c, m]),
        (lambda h, m: h + m, r, [m], [r, m]),
        (lambda h, v: h * v, T.ones((1,)), [v], [v]),
    ]
    for fn, init, non_seqs, inputs in cases:
        with pytest.raises(TypeError):
            out, updates = _scan(fn, init, non_sequences=non_seqs)
            theano.function(inputs, out, updates=updates)


def test_matching_patterns_and_one_step():
    m, c = T.matrix("m", dtype="float64"), T.col("c", dtype="float64")
    # The same pattern on both sides: the loop runs (Theano's values).
    out, _ = _scan(lambda h, m: T.dot(m, h), c, non_sequences=[m])
    assert out.broadcastable == (False, False, True)
    got = theano.function([c, m], out)(np.ones((2, 1)), np.eye(2))
    assert got.tolist() == [[[1.0], [1.0]]] * 3
    v = T.vector("v", dtype="float64")
    out, _ = _scan(lambda h: h[0:1] * 2, v)
    assert out.broadcastable == (False, False)
    assert theano.function([v], out)(np.ones(1)).tolist() == [[2.0], [4.0], [8.0]]
    row = T.shape_padleft(T.as_tensor_variable(np.float64(1)))
    out, _ = _scan(lambda h: h * 2, row)
    assert out.broadcastable == (False, True)
    assert theano.function([], out)().tolist() == [[2.0], [4.0], [8.0]]
    # n_steps=1: no loop is built, so the step's pattern is kept whatever the state's
    # (Theano: (False,) + the step's broadcastable pattern).
    out, _ = _scan(lambda h, m: T.dot(h, m), c, n_steps=1, non_sequences=[m])
    assert out.broadcastable == (False, False, False)
    got = theano.function([c, m], out)(np.ones((2, 1)), np.ones((1, 3)))
    assert got.tolist() == [[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]


def test_the_dtype_of_the_step_must_match_the_initial_state():
    # Theano 1.0.5: ValueError when scan builds its node (the message says the inner
    # function upcasts or downcasts).
    with pytest.raises(ValueError, match="float32.*float64|float64.*float32"):
        _scan(lambda h: h * np.float64(2), T.fvector("fv"))


def test_a_non_sequence_returned_as_it_is_by_the_step():
    # A random draw given as a non-sequence and returned by the step: every step gives
    # the draw made once per call (Theano 1.0.5's test_draw_as_input_to_scan).
    trng = T.shared_randomstreams.RandomStreams(123)
    x = T.matrix("x")
    y = trng.binomial(size=x.shape, p=x)
    z, updates = theano.scan(lambda a: a, non_sequences=y, n_steps=2)
    f = theano.function([x], [y, z], updates=updates)
    xv = np.full((3, 4), 0.5)
    y1, z1 = f(xv)
    y2, z2 = f(xv)
    np.testing.assert_array_equal(z1, [y1, y1])
    np.testing.assert_array_equal(z2, [y2, y2])
    assert not np.array_equal(y1, y2)
