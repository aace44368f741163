"""The generated program (link/codegen.py): buffers kept between calls, elementwise nodes
written out, lazy branches, and the generated call with its input fast paths."""

import pickle
import threading

import numpy as np
import pytest

import theano
import theano.tensor as T

rng = np.random.RandomState(42)


def _buffers(f):
    # The buffer set a single-threaded caller uses (the only one in the pool).
    sets = f.maker.program.buffer_sets(f._glob)
    assert len(sets) == 1
    return sets[0]


# ----------------------------------------------------------------------------- buffers


def test_dot_and_fused_results_live_in_buffers_reused_across_calls():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    h = T.tanh(T.dot(x, w))                  # dot -> buffer, tanh -> fused into the cost
    cost = (h * 2.0 + 1.0).sum()
    f = theano.function([x, w], cost)
    assert "out=b" in f.maker.program.source
    xv, wv = rng.randn(4, 3), rng.randn(3, 5)
    want = (np.tanh(xv @ wv) * 2.0 + 1.0).sum()
    np.testing.assert_allclose(f(xv, wv), want, rtol=1e-13)
    first = [b.__array_interface__["data"][0] for b in _buffers(f)]
    assert first and all(b.size > 0 for b in _buffers(f))
    np.testing.assert_allclose(f(xv * 2, wv), (np.tanh(2 * xv @ wv) * 2.0 + 1.0).sum(),
                               rtol=1e-13)
    # same shapes: the very same arrays are written again
    assert [b.__array_interface__["data"][0] for b in _buffers(f)] == first


def test_buffers_are_reallocated_when_shapes_change():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.exp(T.dot(x, w)).sum())
    for n in (4, 7, 2, 7):
        xv, wv = rng.randn(n, 3), rng.randn(3, n + 1)
        np.testing.assert_allclose(f(xv, wv), np.exp(xv @ wv).sum(), rtol=1e-13)
        assert any(b.shape == (n, n + 1) for b in _buffers(f))


def test_outputs_never_alias_buffers():
    x = T.dvector("x")
    d = T.dot(T.outer(x, x), x)              # a dot result that is also an output
    e = T.exp(d) + 1.0
    f = theano.function([x], [d, e.sum()])
    r1, s1 = f(np.ones(3))
    r1_copy = r1.copy()
    f(np.full(3, 2.0))
    np.testing.assert_array_equal(r1, r1_copy)   # the first result was not overwritten
    assert not any(np.shares_memory(r1, b) for b in _buffers(f))


def test_views_of_buffered_values_returned_to_the_caller_are_not_buffered():
    x = T.dmatrix("x")
    y = T.dot(x, x)
    f = theano.function([x], [y.T, (y * 2).sum()])
    a, _ = f(np.eye(2))
    keep = a.copy()
    f(np.eye(2) * 3)
    np.testing.assert_array_equal(a, keep)


def test_copies_have_their_own_buffers_and_run_in_threads():
    x, w = T.dmatrix("x"), T.dmatrix("w")
    f = theano.function([x, w], T.dot(x, w).sum() * 1.0 + T.exp(T.dot(x, w)).sum())
    g = f.copy()
    assert _buffers(f) is not _buffers(g)
    results = {}

    def work(fn, key, scale):
        xv, wv = np.full((30, 20), scale), np.full((20, 10), 0.01)
        out = [fn(xv, wv) for _ in range(200)]
        want = (xv @ wv).sum() + np.exp(xv @ wv).sum()
        results[key] = max(abs(o - want) / abs(want) for o in out)

    threads = [threading.Thread(target=work, args=(f, "f", 1.0)),
               threading.Thread(target=work, args=(g[0] if isinstance(g, list) else
                                                   (lambda *a: g(*a)[0]), "g", 2.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["f"] < 1e-12 and results["g"] < 1e-12


def test_free_releases_buffers_and_the_next_call_still_works():
    x = T.dmatrix("x")
    f = theano.function([x], T.exp(T.dot(x, x)).sum())
    xv = rng.randn(5, 5)
    f(xv)
    f.free()
    assert all(b.size == 0 for b in _buffers(f))
    np.testing.assert_allclose(f(xv), np.exp(xv @ xv).sum(), rtol=1e-13)


def test_a_failed_call_leaves_shared_values_and_later_calls_correct():
    x = T.dmatrix("x")
    w = theano.shared(rng.randn(3, 2), name="w")
    w0 = w.get_value()
    f = theano.function([x], T.dot(x, w).sum(), updates=[(w, w + T.dot(x.T, T.ones_like(
        T.dot(x, w))))])
    with pytest.raises(ValueError):
        f(rng.randn(4, 5))                     # dot shapes do not align
    np.testing.assert_array_equal(w.get_value(), w0)
    xv = rng.randn(4, 3)
    np.testing.assert_allclose(f(xv), (xv @ w0).sum(), rtol=1e-13)
    np.testing.assert_allclose(w.get_value(), w0 + xv.T @ np.ones((4, 2)), rtol=1e-13)


# ---------------------------------------------------------------- elementwise written out


def test_fused_nodes_are_written_into_the_program_with_the_size_check():
    x, y = T.dmatrices("x", "y")
    f = theano.function([x, y], T.exp(x * y + x), mode="FAST_RUN")  # fusion runs there
    src = f.maker.program.source
    assert "multiply(" in src and "_fail" in src and "op0(" not in src
    with pytest.raises(ValueError, match="Input dimension mis-match") as info:
        f(np.ones((2, 3)), np.ones((3, 3)))
    assert "built at test_codegen.py" in "\n".join(info.value.__notes__)


def test_broadcast_patterns_decide_which_temporaries_take_out():
    # col * row makes a matrix: no temporary of the column's shape may receive it
    c, r, m = T.dcol("c"), T.drow("r"), T.dmatrix("m")
    f = theano.function([c, r, m], T.exp(c) * T.exp(r) + m)
    cv, rv, mv = rng.randn(3, 1), rng.randn(1, 4), rng.randn(3, 4)
    np.testing.assert_allclose(f(cv, rv, mv), np.exp(cv) * np.exp(rv) + mv, rtol=1e-14)


# ----------------------------------------------------------------------- lazy branches


class _Choose(theano.Op):
    """A minimal lazy Op (the linker protocol IfElse follows): cond, then, else."""

    __props__ = ()
    lazy = True

    def branches(self, node):
        return [1], [2]

    def make_node(self, cond, a, b):
        return theano.Apply(self, [T.as_tensor_variable(cond), a, b], [a.type()])

    def perform(self, node, inputs, out):
        out[0][0] = np.array(inputs[1] if inputs[0] else inputs[2])


def ifelse(cond, a, b):
    return _Choose()(cond, a, b)


class _Counting(theano.Op):
    """x * 1.0, counting its runs."""

    __props__ = ()
    runs = 0

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        type(self).runs += 1
        out[0][0] = inputs[0] * 1.0


def test_nested_ifelse_runs_only_the_taken_branches():
    a, b = T.dscalars("a", "b")
    x = T.dvector("x")
    count = _Counting()
    inner = ifelse(T.lt(b, 0), count(x) * 2.0, count(x + 1.0))
    out = ifelse(T.gt(a, 0), inner, count(x - 1.0) * 3.0)
    f = theano.function([a, b, x], out)
    xv = np.arange(3.0)
    cases = [((1.0, -1.0), xv * 2.0), ((1.0, 1.0), xv + 1.0), ((-1.0, 5.0), (xv - 1.0) * 3.0)]
    for (av, bv), want in cases:
        _Counting.runs = 0
        np.testing.assert_array_equal(f(av, bv, xv), want)
        assert _Counting.runs == 1


def test_a_value_used_by_both_branches_and_after_is_computed_once_outside():
    a = T.dscalar("a")
    x = T.dvector("x")
    count = _Counting()
    shared = count(x)
    f = theano.function([a, x], [ifelse(T.gt(a, 0), shared * 2.0, shared * 3.0), shared.sum()])
    _Counting.runs = 0
    r, s = f(1.0, np.ones(2))
    np.testing.assert_array_equal(r, [2.0, 2.0])
    assert s == 2.0 and _Counting.runs == 1


# ---------------------------------------------------------------------- the generated call


def test_float_scalars_pass_without_arrays_and_bad_values_still_fail():
    x, y = T.dscalars("x", "y")
    w = theano.shared(0.5, name="w")
    f = theano.function([x, y], (x * w - y) ** 2, updates=[(w, w - 0.1 * x)])
    assert 0 in f.maker.program.float_inputs
    assert float(f(2.0, np.float64(1.0))) == 0.0 and w.get_value() == 0.3
    assert isinstance(f(1.0, 1.0), np.ndarray)     # Theano returns 0-d arrays
    with pytest.raises((TypeError, ValueError)):
        f("a", 1.0)
    with pytest.raises(TypeError):
        f(np.ones(2), 1.0)
    assert w.get_value() == pytest.approx(0.2)     # only the good calls updated w


def test_trust_input_keywords_and_pickling_with_the_generated_call():
    x = T.dvector("x")
    f = theano.function([x], x * 2.0)
    np.testing.assert_array_equal(f(x=[1.0, 2.0]), [2.0, 4.0])
    f.trust_input = True
    np.testing.assert_array_equal(f(np.ones(2)), [2.0, 2.0])
    f.trust_input = False
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(g([3.0]), [6.0])
    assert isinstance(g, theano.compile.function_module.Function)


def test_theano_scalar_results_are_numpy_scalars():
    # Theano 1.0.5 (theano-ref): a result of theano.scalar type is a NumPy scalar of its
    # dtype (np.int8 for int8), a tensor result a 0-d array.
    a = theano.scalar.int8("a")
    r = theano.function([a], a + a)(3)
    assert type(r) is np.int8 and r == 6
    b = theano.scalar.float64("b")
    assert [type(v) for v in theano.function([b], [b * 2, b])(1.5)] == [np.float64] * 2
    t = T.bscalar("t")
    for mode in ("FAST_RUN", "FAST_COMPILE"):
        s = theano.function([t], T.basic.scalar_from_tensor(t), mode=mode)(56)
        assert type(s) is np.int8 and s == 56
    d = theano.function([t], t * 2)(3)
    assert type(d) is np.ndarray and d.shape == () and d.dtype == np.int8
