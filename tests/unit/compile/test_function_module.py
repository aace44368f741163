"""theano.function: inputs, outputs, updates, givens, casting, modes, copy and pickling.

Every expected value here was checked against the original Theano 1.0.5 (tools/theano-ref);
where Theano printed something specific (``copy()`` returning a list, the casting error
texts) the test asserts that text.
"""

import copy
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano import In, Out
from theano.compile.function_module import UnusedInputError

# ----------------------------------------------------------------------------- inputs


def test_inputs_plain_variables_compute_real_values():
    x, y = T.dmatrices("x", "y")
    f = theano.function([x, y], x * y + 1)
    out = f([[1, 2], [3, 4]], [[2, 2], [2, 2]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[3, 5], [7, 9]])


def test_in_default_values_and_keyword_names():
    # The "More Examples" tutorial: In(y, value=1), In(w, value=2, name='w_by_name').
    x, y, w = T.dscalars("x", "y", "w")
    f = theano.function([x, In(y, value=1), In(w, value=2, name="w_by_name")], (x + y) * w)
    assert f(33) == 68.0
    assert f(33, 2) == 70.0
    assert f(33, 0, 1) == 33.0
    assert f(33, w_by_name=1) == 34.0
    assert f(33, w_by_name=1, y=0) == 33.0
    assert f(x=1, y=2, w_by_name=3) == 9.0


def test_call_by_keyword_input_name_and_errors():
    x = T.dvector("x")
    f = theano.function([x], x + 1)
    np.testing.assert_array_equal(f(x=[1.0, 2.0]), [2.0, 3.0])
    with pytest.raises(TypeError, match="Unknown input or state: foo"):
        f(foo=[1.0])
    with pytest.raises(TypeError, match="Missing required input: x"):
        f()
    with pytest.raises(TypeError):
        f([1.0], [2.0])
    with pytest.raises(TypeError):
        f([1.0], x=[2.0])


def test_in_with_update_advances_its_state_per_call():
    acc = T.dscalar("acc")
    f = theano.function([In(acc, value=0.0, update=acc + 1, mutable=False)], acc * 10)
    assert [float(f()) for _ in range(3)] == [0.0, 10.0, 20.0]
    # An explicit value replaces the state for this call; the update still applies.
    assert f(5.0) == 50.0
    assert f() == 60.0


def test_in_mutable_borrow_implicit_flags():
    m = T.dvector("m")
    spec = In(m, mutable=True)
    assert spec.mutable and spec.borrow
    assert In(m, borrow=True).borrow and not In(m).borrow
    assert In(m, value=np.zeros(2), implicit=True).implicit and not In(m).implicit
    with pytest.raises(TypeError, match="implicit input must be given a default value"):
        In(m, implicit=True)
    with pytest.raises(AssertionError, match="mutable=True, borrow=False"):
        In(m, mutable=True, borrow=False)
    f = theano.function([spec], m * 2)
    np.testing.assert_array_equal(f(np.arange(3.0)), [0.0, 2.0, 4.0])


def test_input_list_is_required_and_inputs_must_be_roots():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="contained in a list"):
        theano.function(x, x)
    # An intermediate result as an input cuts the graph there (Theano 1.0.5): here it is
    # not used, and x is missing.
    with pytest.raises(UnusedInputError, match="index 0"):
        theano.function([x * 2], x)
    with pytest.raises(UnusedInputError, match="used twice"):
        theano.function([x, x], x)
    s = theano.shared(np.zeros(2), "s")
    with pytest.raises(TypeError, match="Cannot use a shared variable"):
        theano.function([s], s * 2)


# ----------------------------------------------------------------------------- outputs


def test_output_kinds_single_list_dict_empty_none():
    inc = T.iscalar("inc")
    single = theano.function([inc], inc * 2)(3)
    assert isinstance(single, np.ndarray) and single == 6 and single.dtype == np.int32
    as_list = theano.function([inc], [inc * 2, inc + 1])(3)
    assert isinstance(as_list, list) and [int(v) for v in as_list] == [6, 4]
    as_dict = theano.function([inc], {"a": inc * 2, "b": inc + 1})(3)
    assert as_dict == {"a": 6, "b": 4}
    assert theano.function([inc], [], on_unused_input="ignore")(1) == []
    state = theano.shared(0)
    none = theano.function([inc], None, updates=[(state, state + inc)])
    assert none(5) == []
    assert state.get_value() == 5


def test_outputs_never_alias_shared_values_or_inputs():
    a = theano.shared(np.arange(3.0), "a")
    r = theano.function([], a)()
    r[0] = 100.0
    np.testing.assert_array_equal(a.get_value(), [0.0, 1.0, 2.0])
    # A view of a shared value (slice, transpose) must not alias it either.
    m = theano.shared(np.arange(6.0).reshape(2, 3), "m")
    for expr in (m[0], m.T, m[:, 1:], m.reshape((3, 2)), m.flatten(), m.dimshuffle(1, 0)):
        r = theano.function([], expr)()
        assert not np.shares_memory(r, m.get_value(borrow=True)), expr
    x = T.dvector("x")
    xv = np.arange(3.0)
    assert not np.shares_memory(theano.function([x], x)(xv), xv)
    assert not np.shares_memory(theano.function([x], x[1:])(xv), xv)
    # The same variable returned twice gives two arrays.
    r1, r2 = theano.function([x], [x * 2, x * 2])(xv)
    assert r1 is not r2


def test_output_equal_to_an_update_does_not_alias_the_new_shared_value():
    w = theano.shared(np.ones(2), "w")
    f = theano.function([], w * 2, updates=[(w, w * 2)])
    r = f()
    r[0] = 100.0
    np.testing.assert_array_equal(w.get_value(), [2.0, 2.0])
    p = theano.shared(np.ones(2), "p")
    q = theano.shared(np.ones(2), "q")
    g = theano.function([], [], updates=[(p, q), (q, q + 1)])
    g()
    assert not np.shares_memory(p.get_value(borrow=True), q.get_value(borrow=True))


def test_out_borrow_returns_internal_storage():
    a = theano.shared(np.arange(3.0), "a")
    r = theano.function([], Out(a, borrow=True))()
    assert r is a.get_value(borrow=True)
    # An explicit input is only aliased when both the In and the Out borrow (Theano's rule).
    x = T.dvector("x")
    xv = np.arange(3.0)
    assert not np.shares_memory(theano.function([x], Out(x, borrow=True))(xv), xv)
    assert np.shares_memory(theano.function([In(x, borrow=True)], Out(x, borrow=True))(xv), xv)
    y = theano.function([x], Out(x * 2, borrow=True))(xv)
    np.testing.assert_array_equal(y, [0.0, 2.0, 4.0])


def test_python_numbers_as_outputs():
    # Theano 1.0.5 refused them: "TypeError: Outputs must be theano Variable or Out
    # instances. Received 2.0 of type <class 'float'>" (checked with theano-ref); a
    # constant output is spelled T.constant(2.0).
    x = T.dscalar("x")
    with pytest.raises(TypeError, match="Outputs must be theano Variable or Out instances"):
        theano.function([x], [x, 2.0], on_unused_input="ignore")
    f = theano.function([x], [x, T.constant(2.0)])
    assert float(f(1.0)[1]) == 2.0


# ----------------------------------------------------------------------------- updates


def test_accumulator_tutorial():
    state = theano.shared(0)
    inc = T.iscalar("inc")
    accumulator = theano.function([inc], state, updates=[(state, state + inc)])
    assert state.get_value() == 0
    assert accumulator(1) == 0
    assert state.get_value() == 1
    assert accumulator(300) == 1
    assert state.get_value() == 301
    state.set_value(-1)
    assert accumulator(3) == -1
    assert state.get_value() == 2
    decrementor = theano.function([inc], state, updates=[(state, state - inc)])
    assert decrementor(2) == 2
    assert state.get_value() == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda p, q: {p: q, q: p},
        lambda p, q: OrderedDict([(p, q), (q, p)]),
        lambda p, q: [(p, q), (q, p)],
        lambda p, q: ((p, q), (q, p)),
        lambda p, q: [[p, q], [q, p]],
    ],
    ids=["dict", "OrderedDict", "list-of-pairs", "tuple-of-pairs", "list-of-2-lists"],
)
def test_updates_read_old_values_swap(make):
    p = theano.shared(np.array([1.0, 10.0]), "p")
    q = theano.shared(np.array([2.0, 20.0]), "q")
    swap = theano.function([], [], updates=make(p, q))
    swap()
    np.testing.assert_array_equal(p.get_value(), [2.0, 20.0])
    np.testing.assert_array_equal(q.get_value(), [1.0, 10.0])
    swap()
    np.testing.assert_array_equal(p.get_value(), [1.0, 10.0])


def test_update_sees_old_value_while_output_reads_it():
    w = theano.shared(np.ones(2), "w")
    f = theano.function([], [w * 1, w.sum()], updates=[(w, w * 3)])
    a, s = f()
    np.testing.assert_array_equal(a, [1.0, 1.0])
    assert s == 2.0
    np.testing.assert_array_equal(w.get_value(), [3.0, 3.0])


def test_bad_update_forms():
    s = theano.shared(0.0, "s")
    x = T.dscalar("x")
    with pytest.raises(ValueError):
        theano.function([x], x, updates=[(s, x, x)])
    with pytest.raises(TypeError, match="not a shared variable"):
        theano.function([x], x, updates=[(x, x + 1)])
    with pytest.raises(ValueError, match="already has an update"):
        theano.function([x], x, updates=[(s, x), (s, x + 1)])
    with pytest.raises(TypeError):
        theano.function([x], x, updates=s)


def test_updates_as_any_iterable_of_pairs():
    # Python 2 scripts pass zip(params, new_params): an iterator on Python 3.
    a = theano.shared(1.0, "a")
    b = theano.shared(2.0, "b")
    theano.function([], [], updates=zip([a, b], [a + 10, b + 10], strict=True))()
    theano.function([], [], updates=((p, p * 2) for p in (a, b)))()
    theano.function([], [], updates={a: a + 1}.items())()
    assert (a.get_value(), b.get_value()) == (23.0, 24.0)


def test_constant_updates_are_filtered_through_the_target_type():
    count = theano.shared(5, "count")
    w32 = theano.shared(np.ones(3, dtype="float32"), "w32")
    theano.function([], [], updates=[(count, 0), (w32, [1, 2, 3])])()
    assert count.get_value() == 0 and count.get_value().dtype == np.int64
    np.testing.assert_array_equal(w32.get_value(), [1.0, 2.0, 3.0])
    assert w32.get_value().dtype == np.float32
    with pytest.raises(TypeError, match="w32"):
        theano.function([], [], updates=[(w32, np.zeros(3))])  # float64 -> float32
    with pytest.raises(TypeError, match="count"):
        theano.function([], [], updates=[(count, 0.5)])


def test_update_type_mismatch_names_both_types_and_the_fix():
    s32 = theano.shared(np.zeros(3, dtype="float32"), "s32")
    dv = T.dvector("dv")
    with pytest.raises(TypeError) as info:
        theano.function([dv], [], updates=[(s32, s32 + dv)])
    msg = str(info.value)
    assert "An update must have the same type as the original shared variable" in msg
    assert "shared_var=s32" in msg
    assert "TensorType(float32, vector)" in msg and "TensorType(float64, vector)" in msg
    assert "cast" in msg
    with pytest.raises(TypeError, match="unbroadcast"):
        theano.function([], [], updates=[(s32, T.fmatrix())])


def test_update_with_another_broadcast_pattern_is_refused_as_in_theano():
    # Theano 1.0.5 (theano-ref): TypeError "An update must have the same type as the
    # original shared variable ... unbroadcast", also for a stricter pattern.
    s = theano.shared(np.zeros((1, 3)), "s")  # broadcastable (False, False)
    row = T.drow("row")
    with pytest.raises(TypeError, match="unbroadcast"):
        theano.function([row], [], updates=[(s, row)])
    f = theano.function([row], [], updates=[(s, T.unbroadcast(row, 0))])
    f([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(s.get_value(), [[1.0, 2.0, 3.0]])
    with pytest.raises(TypeError, match="type of the update should be the same"):
        In(T.dvector(), update=T.dscalar())


def test_default_update_and_no_default_updates():
    s = theano.shared(1.0, "s")
    s.default_update = s * 2
    f = theano.function([], s)
    assert [float(f()) for _ in range(2)] == [1.0, 2.0]
    assert s.get_value() == 4.0
    g = theano.function([], s, no_default_updates=True)
    assert [float(g()) for _ in range(2)] == [4.0, 4.0]
    t = theano.shared(1.0, "t")
    t.default_update = t + 1
    h = theano.function([], [s, t], no_default_updates=[s])
    h()
    assert s.get_value() == 4.0 and t.get_value() == 2.0
    # An explicit update wins over the default update.
    k = theano.function([], s, updates=[(s, s - 1)])
    k()
    assert s.get_value() == 3.0


# ----------------------------------------------------------------------------- givens


def test_givens_dict_and_list_replace_a_shared_variable():
    state = theano.shared(0)
    inc = T.iscalar("inc")
    foo = T.scalar(dtype=state.dtype)
    skip_shared = theano.function([inc, foo], state * 2 + inc, givens=[(state, foo)])
    assert skip_shared(1, 3) == 7
    assert state.get_value() == 0
    skip2 = theano.function([inc, foo], state * 2 + inc, givens={state: foo})
    assert skip2(2, 5) == 12


def test_givens_minibatch_slice_pattern():
    # DeepLearningTutorials: givens={x: train_set_x[index * batch_size:(index + 1) * bs]}.
    data = theano.shared(np.arange(12.0).reshape(6, 2), "data")
    labels = theano.shared(np.arange(6, dtype="int32"), "labels")
    w = theano.shared(np.ones(2), "w")
    index = T.lscalar("index")
    x = T.matrix("x", dtype="float64")
    y = T.ivector("y")
    bs = 2
    cost = T.dot(x, w).sum() + y.sum()
    train = theano.function(
        [index],
        cost,
        updates=[(w, w + x.sum(axis=0))],
        givens={x: data[index * bs : (index + 1) * bs], y: labels[index * bs : (index + 1) * bs]},
    )
    assert train(1) == (4 + 5 + 6 + 7) + (2 + 3)
    np.testing.assert_array_equal(w.get_value(), [1 + 4 + 6, 1 + 5 + 7])
    assert train(0) == (0 * 11 + 1 * 13 + 2 * 11 + 3 * 13) + 1


def test_givens_are_substituted_once_in_outputs_updates_and_default_updates():
    s = theano.shared(np.ones(2), "s")
    f = theano.function([], s * 1, givens={s: s * 2}, updates=[(s, s + 1)])
    np.testing.assert_array_equal(f(), [2.0, 2.0])
    np.testing.assert_array_equal(s.get_value(), [3.0, 3.0])  # (s * 2) + 1, as Theano
    t = theano.shared(1.0, "t")
    t.default_update = t + 1
    k = T.dscalar("k")
    g = theano.function([k], t * 1, givens={t: t + k})
    assert g(10.0) == 11.0
    assert t.get_value() == 12.0  # the default update saw the substitution too
    acc = T.dscalar("acc")
    v = T.dscalar("v")
    h = theano.function([theano.In(acc, value=0.0, update=acc + v)], acc * 1,
                        givens={v: T.constant(5.0, dtype="float64")})
    assert [float(h()) for _ in range(3)] == [0.0, 5.0, 10.0]


def test_givens_may_not_replace_an_explicit_input():
    x, y = T.dvectors("x", "y")
    with pytest.raises(RuntimeError, match="is an input to your function"):
        theano.function([x], x * 2, givens={x: y})


def test_function_does_not_mutate_the_callers_in_objects():
    s = theano.shared(np.ones(2), "s")
    acc = T.dvector("acc")
    update = acc + s
    spec = In(acc, value=np.zeros(2), update=update)
    theano.function([spec], acc * 1, givens={s: s * 0})
    assert spec.update is update and spec.update.owner.inputs[1] is s


def test_givens_type_mismatch_is_a_type_error():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="givens"):
        theano.function([], x * 2, givens={x: T.dmatrix()})


# ----------------------------------------------------------------------------- casting


def test_float64_into_fvector_needs_allow_input_downcast():
    fv = T.fvector("fv")
    f = theano.function([fv], fv * 2)
    with pytest.raises(TypeError) as info:
        f(np.ones(3))
    msg = str(info.value)
    assert "index 0" in msg and '"fv"' in msg
    assert "float32" in msg and "float64" in msg and "allow_input_downcast" in msg
    g = theano.function([fv], fv * 2, allow_input_downcast=True)
    out = g(np.full(3, 0.1))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, 0.2, rtol=1e-6)


def test_python_and_list_values_follow_theanos_exactness_rule():
    fv = T.fvector("fv")
    f = theano.function([fv], fv * 2)
    np.testing.assert_array_equal(f([1, 2, 3]), np.array([2, 4, 6], dtype="float32"))
    assert f([1, 2, 3]).dtype == np.float32
    np.testing.assert_array_equal(f([0.5, 2.0]), [1.0, 4.0])
    with pytest.raises(TypeError, match="cannot store accurately"):
        f([0.1, 2.0])
    fs = T.fscalar("fs")
    g = theano.function([fs], fs * 2)
    assert g(0.5) == 1.0
    with pytest.raises(TypeError, match="cannot store accurately"):
        g(0.1)
    iv = T.ivector("iv")
    h = theano.function([iv], iv)
    with pytest.raises(TypeError, match="int64"):
        h(np.arange(3))
    with pytest.raises(TypeError, match="cannot store accurately"):
        h([1.5])
    assert theano.function([iv], iv, allow_input_downcast=True)(np.arange(3)).dtype == np.int32


def test_out_of_range_integers_are_a_type_error_not_numpys_overflow_error():
    # NumPy 2 raises OverflowError for np.asarray(300, dtype='int8'); Theano said TypeError.
    b = T.bscalar("b")
    with pytest.raises(TypeError, match="cannot store accurately value 300, it would be "
                                        "represented as 44"):
        theano.function([b], b * 2)(300)
    out = theano.function([b], b * 2, allow_input_downcast=True)(300)
    assert out == 88 and out.dtype == np.int8  # wrapped, as Theano on NumPy 1
    u = T.vector("u", dtype="uint8")
    with pytest.raises(TypeError, match=r"represented as \[255\]"):
        theano.function([u], u)([-1])
    fs = T.fscalar("fs")
    with pytest.raises(TypeError, match=r"value 0.1, it would be represented as 0.1\."):
        theano.function([fs], fs * 2)(0.1)


def test_python_float_into_floatx_input_is_allowed():
    with theano.change_flags(floatX="float32"):
        x = T.scalar("x")
        assert x.dtype == "float32"
        f = theano.function([x], x * 2)
        out = f(0.1)  # not exact in float32, but Theano accepts Python floats for floatX
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, 0.2, rtol=1e-6)
        with pytest.raises(TypeError):
            theano.function([x], x * 2, allow_input_downcast=False)(0.1)


# ----------------------------------------------------------------------------- options


def test_on_unused_input_raise_warn_ignore():
    x, y = T.dvectors("x", "y")
    with pytest.raises(theano.compile.function_module.UnusedInputError, match="index 1"):
        theano.function([x, y], x * 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = theano.function([x, y], x * 2, on_unused_input="warn")
    assert any("index 1" in str(w.message) and "into an error" in str(w.message)
               for w in caught)
    np.testing.assert_array_equal(f([1.0], [5.0]), [2.0])
    g = theano.function([x, y], x * 2, on_unused_input="ignore")
    np.testing.assert_array_equal(g([1.0], [5.0]), [2.0])
    with pytest.raises(ValueError):
        theano.function([x, y], x * 2, on_unused_input="sometimes")


def test_name_and_default_name():
    inc = T.iscalar("inc")
    assert theano.function([inc], inc, name="myf").name == "myf"
    # Theano 1.0.5 names an unnamed function after the line that compiled it.
    f = theano.function([inc], inc)
    line = _lineno_of("f = theano.function([inc], inc)")
    assert f.name.endswith(f"test_function_module.py:{line}")


def _lineno_of(text):
    with open(__file__) as fh:
        for k, line in enumerate(fh, 1):
            if line.strip() == text:
                return k
    raise AssertionError(text)


@pytest.mark.parametrize(
    "mode",
    ["FAST_RUN", "FAST_COMPILE", None, theano.Mode(optimizer=None), theano.Mode()],
    ids=["FAST_RUN", "FAST_COMPILE", "default", "no-optimizer", "Mode()"],
)
def test_modes_accepted_and_give_same_values(mode):
    x = T.dvector("x")
    f = theano.function([x], (x + x) * 2 + (x + x), mode=mode)
    np.testing.assert_array_equal(f([1.0, 2.0]), [6.0, 12.0])


def test_profile_and_unknown_mode():
    x = T.dvector("x")
    f = theano.function([x], x * 2, profile=True)
    np.testing.assert_array_equal(f([1.0]), [2.0])
    from theano_compat.link.profile import _TO_PRINT

    _TO_PRINT.remove(f.profile)  # this test does not want the exit-time report
    with pytest.raises(ValueError):
        theano.function([x], x, mode="NO_SUCH_MODE")


def test_toposort_returns_apply_nodes_with_ops():
    x, w = T.dvectors("x", "w")
    b = T.dscalar("b")
    f = theano.function([x, w, b], x * w + b)
    nodes = f.maker.fgraph.toposort()
    assert nodes and all(isinstance(n, theano.gof.Apply) for n in nodes)
    assert all(isinstance(n.op, theano.gof.Op) for n in nodes)
    # Elemwise{add,no_inplace}, or fused with the mul: Elemwise{Composite{((i0 * i1) + i2)}}
    assert "add" in str(nodes[-1].op) or "+ i2)" in str(nodes[-1].op)
    assert len(f.maker.fgraph.outputs) == 1


def test_trust_input_skips_checks():
    x = T.dvector("x")
    f = theano.function([x], x * 2)
    f.trust_input = True
    np.testing.assert_array_equal(f(np.arange(3.0)), [0.0, 2.0, 4.0])
    f.trust_input = False
    with pytest.raises(TypeError):
        f(np.ones((2, 2)))


# ----------------------------------------------------------------------------- copy


def test_copy_swap_and_delete_updates_tutorial():
    state = theano.shared(0)
    inc = T.iscalar("inc")
    accumulator = theano.function([inc], state, updates=[(state, state + inc)])
    assert accumulator(10) == 0
    assert state.get_value() == 10
    new_state = theano.shared(0)
    new_accumulator = accumulator.copy(swap={state: new_state})
    out = new_accumulator(100)
    # Theano 1.0.5's copy() returns its outputs as a list (see the golden output).
    assert isinstance(out, list) and len(out) == 1 and out[0] == 0
    assert new_state.get_value() == 100
    assert state.get_value() == 10
    null_accumulator = accumulator.copy(delete_updates=True)
    assert null_accumulator(9000) == [10]
    assert state.get_value() == 10


def test_copy_share_memory_and_name():
    state = theano.shared(0)
    inc = T.iscalar("inc")
    acc = theano.function([inc], state, updates=[(state, state + inc)], name="acc")
    acc2 = acc.copy()
    assert acc2(1) == [0] and state.get_value() == 1
    acc3 = acc.copy(share_memory=True, name="acc3")
    assert acc3(1) == [1] and state.get_value() == 2
    # Theano 1.0.5: a copy without a name is called "<name> copy".
    assert acc3.name == "acc3" and acc2.name == "acc copy"
    with pytest.raises(TypeError):
        acc.copy(swap={state: theano.shared(0.0)})


def test_copy_restarts_in_state_but_deepcopy_and_pickle_keep_it():
    # Theano 1.0.5: copy() starts from the In's declared value; deepcopy and pickle carry
    # the current state.  All three are independent of the original afterwards.
    acc = T.dscalar("acc")
    f = theano.function([In(acc, value=0.0, update=acc + 1)], acc * 10)
    f()
    f()
    g = f.copy()
    assert g() == [0.0] and g() == [10.0]
    h = f.copy(share_memory=True)
    assert h() == [0.0]
    assert f() == 20.0
    d = copy.deepcopy(f)
    assert d() == 30.0 and d() == 40.0
    assert f() == 30.0


# ----------------------------------------------------------------------------- pickling

def test_deepcopy_function_is_independent():
    s = theano.shared(np.zeros(2), "s")
    x = T.dvector("x")
    f = theano.function([x], s + x, updates=[(s, s + x)])
    g = copy.deepcopy(f)
    np.testing.assert_array_equal(g([1.0, 2.0]), [1.0, 2.0])
    np.testing.assert_array_equal(s.get_value(), [0.0, 0.0])  # g has its own copy of s
    np.testing.assert_array_equal(f([1.0, 1.0]), [1.0, 1.0])
    np.testing.assert_array_equal(s.get_value(), [1.0, 1.0])
    np.testing.assert_array_equal(g([1.0, 2.0]), [2.0, 4.0])


def test_pickle_function_round_trip_keeps_state_and_defaults():
    s = theano.shared(np.array([1.0, 2.0]), "s")
    x = T.dvector("x")
    y = T.dscalar("y")
    f = theano.function([x, In(y, value=3.0)], s * x + y, updates=[(s, s + 1)], name="fp")
    f([1.0, 1.0])
    g = pickle.loads(pickle.dumps(f))
    assert g.name == "fp"
    np.testing.assert_array_equal(g([1.0, 1.0]), [5.0, 6.0])
    np.testing.assert_array_equal(g([1.0, 1.0], 0.0), [3.0, 4.0])
    np.testing.assert_array_equal(s.get_value(), [2.0, 3.0])  # original untouched
    shared_after = g.get_shared()
    np.testing.assert_array_equal(shared_after[0].get_value(), [4.0, 5.0])


def test_pickle_graph_with_shared_variables_then_compile():
    # DeepLearningTutorials pickle the model (shared weights and the symbolic output),
    # reload it and compile a predictor from it.
    rng = np.random.default_rng(0)
    w = theano.shared(rng.standard_normal((3, 2)), "W")
    b = theano.shared(np.zeros(2), "b")
    x = T.dmatrix("x")
    p_y = T.nnet.softmax(T.dot(x, w) + b)
    y_pred = T.argmax(p_y, axis=1)
    model = {"params": [w, b], "input": x, "y_pred": y_pred}
    loaded = pickle.loads(pickle.dumps(model))
    predict = theano.function([loaded["input"]], loaded["y_pred"])
    xv = rng.standard_normal((4, 3))
    expected = np.argmax(xv @ w.get_value() + b.get_value(), axis=1)
    np.testing.assert_array_equal(predict(xv), expected)
    # The reloaded shared variables are copies: changing them leaves the originals alone.
    loaded["params"][1].set_value(np.array([100.0, -100.0]))
    np.testing.assert_array_equal(predict(xv), np.zeros(4))
    np.testing.assert_array_equal(b.get_value(), [0.0, 0.0])


# ----------------------------------------------------------------------------- failures


def test_failed_call_leaves_every_shared_variable_unchanged():
    a = theano.shared(np.ones(3), "a")
    b = theano.shared(np.ones(3), "b")
    x = T.dvector("x")
    f = theano.function([x], (a + x).sum(), updates=[(a, a + 1), (b, b + x)])
    with pytest.raises(ValueError):
        f(np.ones(4))
    np.testing.assert_array_equal(a.get_value(), np.ones(3))
    np.testing.assert_array_equal(b.get_value(), np.ones(3))
    assert f(np.ones(3)) == 6.0
    np.testing.assert_array_equal(a.get_value(), np.full(3, 2.0))


def test_an_undefined_gradient_in_the_graph_is_a_type_error():
    # Theano 1.0.5 (theano/tests/test_gradient.py): TypeError, not a missing input.
    a = T.dvector()
    b = theano.gradient.grad_undefined(T.add, 0, a)
    with pytest.raises(TypeError, match="Computation graph contains a NaN"):
        theano.function([a], b, on_unused_input="ignore")


def test_aliasing_of_updates_and_outputs_follows_theanos_rule():
    # Theano 1.0.5 (compile/tests/test_pfunc.py, Test_aliasing_rules): updates that swap
    # two shared variables move the arrays without copies; an update from a shared
    # variable that is not updated is a copy; outputs never share memory with updates.
    a0, b0 = np.zeros((2, 2)) + 0.5, np.zeros((2, 2)) - 0.5
    a = theano.shared(a0, borrow=True)
    b = theano.shared(b0, borrow=True)
    theano.function([], [], updates=[(a, b), (b, a)])()
    assert a.get_value(borrow=True) is b0 and b.get_value(borrow=True) is a0
    theano.function([], [], updates=[(a, b)])()
    assert not np.may_share_memory(a.get_value(borrow=True), b.get_value(borrow=True))
    d = T.dmatrix()
    dd = d + 5
    f = theano.function([d], dd, updates=[(a, dd[:1] * 1), (b, dd)])
    r = f(np.zeros((2, 2)))
    for x, y in ((a, b), (r, a), (r, b)):
        x = x.get_value(borrow=True) if hasattr(x, "get_value") else x
        y = y.get_value(borrow=True)
        assert not np.may_share_memory(x, y)
