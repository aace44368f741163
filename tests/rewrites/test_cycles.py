"""Rewrites can never fail a compile (issue 14).

* Every form of the log-sum-exp idiom compiles at once under FAST_RUN, FAST_COMPILE and
  optimizer=None, the rule fires at most once per log-sum-exp, and the values are
  scipy.special.logsumexp's (also for inputs of +-1000, where the textbook formula
  overflows) and Theano 1.0.5's.
* Graphs that a random search over small graphs (elementwise ops, reductions,
  max-shifts, casts, gradients) found to make rules feed on each other, or to make a
  rule fail or give wrong values, compile quickly and give NumPy's values.
* Rules that undo each other, or a rule that feeds on its own output, are stopped by the
  driver: one error logged naming them (as Theano's "max'ed out" message), the graph
  still computes the right values; under ``on_opt_error=raise`` (the test suite's
  setting, tests/conftest.py) a RewriteCycleError names them instead.
"""

import logging
import time

import numpy as np
import pytest
from scipy.special import logsumexp

import theano
import theano.tensor as T
from theano_compat.compile import pipeline
from theano_compat.compile.mode import Mode
from theano_compat.config import change_flags
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.rewrite import RewriteCycleError, node_rule, rewrite_to_fixed_point
from theano_compat.scalar import ops as S
from theano_compat.tensor.rewrites import stabilize
from theano_compat.tensor.rewrites.utils import is_const, is_elemwise

MODES = ["fast_run", "fast_compile", None]
# Generous for a loaded 2-core machine: these compiles take milliseconds; the cycles they
# replace took 25-40 s before failing.
MAX_COMPILE_S = 3.0

d = T.dvector("d")
m = T.dmatrix("m")
V = np.array([1.0, 2.0, 3.0])
VB = np.array([1000.0, 999.0, -1000.0])
M = np.array([[0.1, -0.5, -2.0], [3.0, 1000.0, -1000.0]])
MB = np.array([[-1000.0, -1001.0, -999.0], [1000.0, 1001.0, 999.0]])


def _shift(a, axis):
    return a - a.max(axis=axis, keepdims=True)


# name -> (input, Theano expression, the same formula in NumPy, the exact value (scipy),
#          times local_log_sum_exp fires, Theano 1.0.5's FAST_RUN values on the two inputs
#          of that kind (V, VB or M, MB)).
# The last column was recorded with this script under ../shared/tools/theano-ref:
#     import numpy as np, theano, theano.tensor as T
#     d, m = T.dvector("d"), T.dmatrix("m")
#     f = theano.function([d], T.log(T.sum(T.exp(d - d.max()))))   # one form at a time
#     print([f(a).tolist() for a in (V, VB)])                         # (M, MB) for m
# Theano rewrote every form (its rule ran once, in one pass); the shifted forms are left
# as written here (already stable), which gives the same values.
FORMS = {
    "v_shift": (d, lambda: T.log(T.sum(T.exp(d - d.max()))),
                lambda a: np.log(np.sum(np.exp(_shift(a, None)))),
                lambda a: logsumexp(_shift(a, None)), 0,
                [0.4076059644443804, 0.31326168751822286]),
    "v_shift_keepdims": (d, lambda: T.log(T.sum(T.exp(d - d.max(keepdims=True)))),
                         lambda a: np.log(np.sum(np.exp(_shift(a, None)))),
                         lambda a: logsumexp(_shift(a, None)), 0,
                         [0.4076059644443804, 0.31326168751822286]),
    "v_plain": (d, lambda: T.log(T.sum(T.exp(d))), lambda a: np.log(np.sum(np.exp(a))),
                logsumexp, 1, [3.4076059644443806, 1000.3132616875182]),
    "v_own_shift": (d, lambda: T.log(T.sum(T.exp(d - 3.0))),
                    lambda a: np.log(np.sum(np.exp(a - 3.0))), lambda a: logsumexp(a - 3.0), 1,
                    [0.4076059644443804, 997.3132616875182]),
    "v_full": (d, lambda: d.max() + T.log(T.sum(T.exp(d - d.max()))),
               lambda a: a.max() + np.log(np.sum(np.exp(_shift(a, None)))), logsumexp, 0,
               [3.4076059644443806, 1000.3132616875182]),
    "v_sum_keepdims": (d, lambda: T.log(T.sum(T.exp(d), keepdims=True)),
                       lambda a: np.log(np.sum(np.exp(a), keepdims=True)),
                       lambda a: logsumexp(a, keepdims=True), 1, None),
    "m_shift_keepdims_1": (m, lambda: T.log(T.sum(T.exp(m - m.max(1, keepdims=True)), axis=1)),
                           lambda a: np.log(np.sum(np.exp(_shift(a, 1)), axis=1)),
                           lambda a: logsumexp(_shift(a, 1), axis=1), 0,
                           [[0.513582658259375, 0.0], [0.4076059644443804, 0.4076059644443804]]),
    "m_shift_keepdims_-1": (m, lambda: T.log(T.sum(T.exp(m - m.max(-1, keepdims=True)),
                                                   axis=-1)),
                            lambda a: np.log(np.sum(np.exp(_shift(a, 1)), axis=1)),
                            lambda a: logsumexp(_shift(a, 1), axis=1), 0,
                            [[0.513582658259375, 0.0],
                             [0.4076059644443804, 0.4076059644443804]]),
    "m_shift_keepdims_0": (m, lambda: T.log(T.sum(T.exp(m - m.max(0, keepdims=True)), axis=0)),
                           lambda a: np.log(np.sum(np.exp(_shift(a, 0)), axis=0)),
                           lambda a: logsumexp(_shift(a, 0), axis=0), 0,
                           [[0.05356277621796309, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    "m_shift_padright": (m, lambda: T.log(T.sum(T.exp(m - T.shape_padright(m.max(1))), axis=1)),
                         lambda a: np.log(np.sum(np.exp(_shift(a, 1)), axis=1)),
                         lambda a: logsumexp(_shift(a, 1), axis=1), 0,
                         [[0.513582658259375, 0.0], [0.4076059644443804, 0.4076059644443804]]),
    "m_shift_all": (m, lambda: T.log(T.sum(T.exp(m - m.max()))),
                    lambda a: np.log(np.sum(np.exp(_shift(a, None)))),
                    lambda a: logsumexp(_shift(a, None)), 0, [0.0, 0.4076059644443804]),
    # Shifted by a max over other axes than the summed ones: a row can still underflow to
    # log(0), so the rule must fire.
    "m_shift_all_sum_1": (m, lambda: T.log(T.sum(T.exp(m - m.max()), axis=1)),
                          lambda a: np.log(np.sum(np.exp(_shift(a, None)), axis=1)),
                          lambda a: logsumexp(_shift(a, None), axis=1), 1,
                          [[-999.3864173417406, 0.0], [-1999.5923940355556, 0.4076059644443804]]),
    "m_shift_0_sum_1": (m, lambda: T.log(T.sum(T.exp(m - m.max(0, keepdims=True)), axis=1)),
                        lambda a: np.log(np.sum(np.exp(_shift(a, 0)), axis=1)),
                        lambda a: logsumexp(_shift(a, 0), axis=1), 1,
                        [[0.05356277621796309, 0.6931471805599453],
                         [-1997.8570683715002, 1.0986122886681098]]),
    "m_shift_1_sum_all": (m, lambda: T.log(T.sum(T.exp(m - m.max(1, keepdims=True)))),
                          lambda a: np.log(np.sum(np.exp(_shift(a, 1)))),
                          lambda a: logsumexp(_shift(a, 1)), 0, None),
    "m_plain_1": (m, lambda: T.log(T.sum(T.exp(m), axis=1)),
                  lambda a: np.log(np.sum(np.exp(a), axis=1)), lambda a: logsumexp(a, axis=1), 1,
                  [[0.613582658259375, 1000.0], [-998.5923940355556, 1001.4076059644444]]),
    "m_plain_0": (m, lambda: T.log(T.sum(T.exp(m), axis=0)),
                  lambda a: np.log(np.sum(np.exp(a), axis=0)), lambda a: logsumexp(a, axis=0), 1,
                  [[3.053562776217963, 1000.0, -2.0], [1000.0, 1001.0, 999.0]]),
    "m_plain_all": (m, lambda: T.log(T.sum(T.exp(m))), lambda a: np.log(np.sum(np.exp(a))),
                    logsumexp, 1, [1000.0, 1001.4076059644444]),
    "m_plain_keepdims_1": (m, lambda: T.log(T.sum(T.exp(m), axis=1, keepdims=True)),
                           lambda a: np.log(np.sum(np.exp(a), axis=1, keepdims=True)),
                           lambda a: logsumexp(a, axis=1, keepdims=True), 1,
                           [[[0.613582658259375], [1000.0]],
                            [[-998.5923940355556], [1001.4076059644444]]]),
    "m_full_keepdims_1": (m, lambda: m.max(1) + T.log(T.sum(T.exp(m - m.max(1, keepdims=True)),
                                                            axis=1)),
                          lambda a: a.max(1) + np.log(np.sum(np.exp(_shift(a, 1)), axis=1)),
                          lambda a: logsumexp(a, axis=1), 0,
                          [[0.613582658259375, 1000.0], [-998.5923940355556, 1001.4076059644444]]),
    "m_scaled": (m, lambda: T.log(T.sum(T.exp(2 * m - 1), axis=1)),
                 lambda a: np.log(np.sum(np.exp(2 * a - 1), axis=1)),
                 lambda a: logsumexp(2 * a - 1, axis=1), 1, None),
}


def _compile(inputs, out, opt, stops=False):
    start = time.perf_counter()
    f = theano.function(inputs, out, mode=Mode(optimizer=opt))
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_COMPILE_S, f"compile took {elapsed:.1f} s"
    report = getattr(f.maker.fgraph, "rewrite_report", None)
    assert stops or report is None or not report.stopped, report.stopped
    return f, report


@pytest.mark.parametrize("opt", MODES)
@pytest.mark.parametrize("name", sorted(FORMS))
def test_log_sum_exp_form(name, opt):
    x, build, formula, exact, fires, theano_values = FORMS[name]
    f, report = _compile([x], build(), opt)
    inputs = (V, VB) if x.ndim == 1 else (M, MB)
    for k, a in enumerate(inputs):
        got = f(a)
        with np.errstate(all="ignore"):
            # No rewrites: the formula as written (it overflows on the second input for
            # the unshifted forms); with the stabilisation: the exact value.
            want = formula(a) if opt is None else exact(a)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        assert np.shape(got) == np.shape(want)
        if opt == "fast_run" and theano_values is not None:
            np.testing.assert_allclose(got, theano_values[k], rtol=1e-12, atol=1e-12)
    if opt is not None:
        assert report.applied["local_log_sum_exp"] == fires, dict(report.applied)


def test_the_issue_example_gives_theano_value():
    """The idiom of issue 14 (it spun 25 s and raised RewriteCycleError)."""
    f, _ = _compile([d], T.log(T.sum(T.exp(d - d.max()))), "fast_run")
    np.testing.assert_allclose(f(V), 0.4076059644443804, rtol=1e-14)  # Theano 1.0.5


@pytest.mark.parametrize("opt", ["fast_run", "fast_compile"])
def test_all_inf_slices_give_what_scipy_gives(opt):
    """A row of -inf has max -inf: the shift uses 0 there (as scipy), giving -inf, not nan;
    an inf gives inf."""
    f, _ = _compile([m], T.log(T.sum(T.exp(m), axis=1)), opt)
    a = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [0.0, 1.0]])
    with np.errstate(all="ignore"):
        want = logsumexp(a, axis=1)
    np.testing.assert_allclose(f(a), want, rtol=1e-14)


@pytest.mark.parametrize("opt", ["fast_run", "fast_compile"])
@pytest.mark.parametrize("dtype", ["float32", "int8", "int32"])
def test_log_sum_exp_of_other_dtypes(opt, dtype):
    """Integer inputs (exp upcasts them) and float32; the shift by a max over another
    axis than the summed one makes the rule fire on an integer subtraction."""
    x = T.matrix("x", dtype=dtype)
    p = x * 3
    out = T.log(T.sum(T.exp(p - p.max(0, keepdims=True)), axis=1, keepdims=True))
    f, _ = _compile([x], out, opt)
    a = np.array([[1, -2, 3], [4, 5, -6]], dtype=dtype)
    pa = (a * 3).astype(dtype)
    # (in float64: SciPy 1.11's logsumexp of int8 values computes in float16)
    want = logsumexp((pa - pa.max(0, keepdims=True)).astype("float64"), axis=1, keepdims=True)
    got = f(a)
    # float32: log of a sum near 1 keeps about 6e-8 absolutely
    tol = 1e-6 if got.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("opt", MODES)
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int32"])
def test_log_sum_exp_of_discrete_input(opt, dtype):
    """exp upcasts x; the rule shifts in that float dtype (an unsigned x - max(x) would
    wrap around, a bool one is not defined)."""
    x = T.matrix("x", dtype=dtype)
    f, _ = _compile([x], T.log(T.sum(T.exp(x), axis=1)), opt)
    a = np.array([[0, 1, 3], [5, 1, 1]]).astype(dtype)
    got = f(a)
    assert got.dtype == ("float64" if dtype == "int32" else "float32")
    np.testing.assert_allclose(got, logsumexp(a.astype("float64"), axis=1), rtol=1e-6)


# ---------------------------------------------- what a random search over small graphs found
#
# Small random graphs of elementwise ops, reductions, max-shifts, casts and gradients over
# float64/float32/int32/int8 inputs, compiled under FAST_RUN and FAST_COMPILE with
# on_opt_error=raise.  Each case: () -> (inputs, output(s), input values, NumPy reference).


def _nan_constant_in_product():
    """A NaN constant never compared equal to itself, so the product canonicaliser
    rebuilt the same product forever (a cycle with constant folding)."""
    return [d], T.sqrt(d) * 0.0 / 0.0, [np.array([1.0, 4.0])], \
        lambda a: np.sqrt(a) * 0.0 / 0.0


def _nan_constant_in_log_sum_exp():
    """The same for the log-sum-exp rule recognising its own result."""
    return [d], T.log(T.sum(T.exp(d + np.nan))), [V], \
        lambda a: np.log(np.sum(np.exp(a + np.nan)))


def _integer_shift_keepdims():
    """An integer max-shift over another axis than the summed one, summed with keepdims:
    the rule did not recognise its own result on integers and fired on it again."""
    b = T.bmatrix("b")
    p = b ** 3
    out = T.log1p(T.log(T.sum(T.exp(p - p.max(0, keepdims=True)), axis=1, keepdims=True)))

    def ref(a):
        pa = a ** 3
        shifted = (pa - pa.max(0, keepdims=True)).astype("float32")  # exp(int8) is float32
        return np.log1p(np.log(np.sum(np.exp(shifted), axis=1, keepdims=True)))
    return [b], out, [np.array([[1, -2, 3], [2, 0, -1]], "int8")], ref


def _uint8_one_minus_sigmoid():
    """Negating an unsigned argument wrapped around (-uint8(3) is 253): silently wrong
    values for 1 - sigmoid(u), log(sigmoid(u)), log(1 - u)."""
    u = T.vector("u", dtype="uint8")
    return [u], [1 - T.nnet.sigmoid(u), T.log(T.nnet.sigmoid(u))], \
        [np.array([0, 1, 3], "uint8")], \
        lambda a: [1 - 1 / (1 + np.exp(-a.astype("float32"))),
                   np.log(1 / (1 + np.exp(-a.astype("float32"))))]


def _bool_log_one_minus_sigmoid():
    """The same with a bool argument failed the rules (neg of a bool)."""
    return [m], T.log(1 - T.nnet.sigmoid(T.cast(m, "bool"))), [M], \
        lambda a: np.log(1 - 1 / (1 + np.exp(-(a != 0).astype("float32"))))


def _bool_terms_of_a_float_sum():
    """The sum canonicaliser regrouped bool terms as b1 + b2, which for bools is an or."""
    return [d], d - T.gt(d, 0) - T.gt(d, -1), [np.array([1.0, -0.5, -2.0])], \
        lambda a: a - (a > 0) - (a > -1)


def _uint8_factors_of_a_float_product():
    """The product canonicaliser chained uint8 factors in uint8: -u wrapped around, u * u
    overflowed (silently wrong values)."""
    u = T.vector("u", dtype="uint8")

    def ref(a, b):
        b = b.astype("float64")
        return [-(b * a), a / b / b, (b * a) * -1.0]
    return [d, u], [-(u * d), d / u / u, (u * d) * -1.0], \
        [np.array([1.0, 2.0]), np.array([200, 4], "uint8")], ref


FOUND = {f.__name__.lstrip("_"): f for f in (
    _nan_constant_in_product, _nan_constant_in_log_sum_exp, _integer_shift_keepdims,
    _uint8_one_minus_sigmoid, _bool_log_one_minus_sigmoid, _bool_terms_of_a_float_sum,
    _uint8_factors_of_a_float_product)}


@pytest.mark.parametrize("opt", MODES)
@pytest.mark.parametrize("name", sorted(FOUND))
def test_found_graph_compiles_and_gives_numpy_values(name, opt):
    inputs, out, values, ref = FOUND[name]()
    f, _ = _compile(inputs, out, opt)
    got = f(*values)
    with np.errstate(all="ignore"):
        want = ref(*values)
    if not isinstance(out, list):
        got, want = [got], [want]
    for g, w in zip(got, want):
        assert g.dtype == np.asarray(w).dtype
        tol = 1e-6 if g.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol)


# ------------------------------------------------------------- the driver's safety net


def _double_to_add(fgraph, node):
    """2 * x -> x + x."""
    a, b = node.inputs
    for two, x in ((a, b), (b, a)):
        if is_const(two, 2) and x.type == node.outputs[0].type:
            return [S.add(x, x)]
    return None


def _add_to_double(fgraph, node):
    """x + x -> x * 2."""
    a, b = node.inputs
    if a is b:
        return [S.mul(a, np.float64(2.0))]
    return None


def _undoing_pair():
    return [node_rule("double_to_add", (S.mul,), _double_to_add),
            node_rule("add_to_double", (S.add,), _add_to_double)]


def _grow(fgraph, node):
    """exp(x) -> exp(x * 1): builds on its own result at each turn, growing the graph."""
    (x,) = node.inputs
    return [S.exp(S.mul(x, np.float64(1.0)))]


def _refresh_constant(fgraph, node):
    """x * c -> x * c', c' a new constant equal to c: a new result each time, over no
    node it built itself, so only the per-rule budget stops it."""
    a, b = node.inputs
    if b.owner is None and b.type.ndim == 1:
        return [S.mul(a, T.constant(np.array(b.data), name="c"))]
    return None


def rng_values(n):
    return np.random.RandomState(n).uniform(-2, 2, size=n)


def _eval(fg, inputs, values):
    f = theano.function(inputs, fg.outputs, mode=Mode(optimizer=None))
    return f(*values)


def _stop_messages(caplog):
    return [r.getMessage() for r in caplog.records if "max'ed out" in r.getMessage()]


@pytest.mark.parametrize("size", [1, 40], ids=["small_graph", "larger_graph"])
def test_rules_that_undo_each_other_stop_with_one_message(size, caplog):
    """They keep building the same two results: stopped on the 9th (optdb.max_use_ratio
    is 8), whatever the size of the rest of the graph."""
    v = T.dvector("v")
    others = [T.exp(v + k) for k in range(size - 1)]
    fg = FunctionGraph([v], [v * 2.0] + others)
    nodes = len(fg.apply_nodes)
    start = time.perf_counter()
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        report = rewrite_to_fixed_point(fg, _undoing_pair(), phase="test")
    assert time.perf_counter() - start < MAX_COMPILE_S
    messages = _stop_messages(caplog)
    assert len(messages) == 1, messages
    assert "double_to_add" in messages[0] and "add_to_double" in messages[0]
    assert "optdb.max_use_ratio" in messages[0]
    # The first rule to run out is stopped; its partner may run out on its next turn.
    assert 1 <= len(report.stopped) <= 2
    assert max(report.applied.values()) == 9
    assert nodes == 3 * size - 1
    a = rng_values(5)
    got = _eval(fg, [v], [a])
    np.testing.assert_allclose(got[0], 2 * a, rtol=1e-15)
    for k, o in enumerate(got[1:]):
        np.testing.assert_allclose(o, np.exp(a + k), rtol=1e-15)


def test_rules_that_undo_each_other_raise_under_on_opt_error_raise():
    v = T.dvector("v")
    fg = FunctionGraph([v], [v * 2.0])
    with change_flags(on_opt_error="raise"), \
            pytest.raises(RewriteCycleError, match="double_to_add|add_to_double") as info:
        rewrite_to_fixed_point(fg, _undoing_pair(), phase="test")
    assert "double_to_add" in str(info.value) and "add_to_double" in str(info.value)
    assert isinstance(info.value, AssertionError)  # what Theano 1.0.5 raised there


def test_a_rule_that_feeds_on_its_own_output_is_stopped(caplog):
    """exp(x) -> exp(x * 1) grows the graph at each turn, so a budget proportional to its
    size would never run out; firing on its own fresh result 4 x ratio times in a row
    stops it."""

    v = T.dvector("v")
    fg = FunctionGraph([v], [T.exp(v)])
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        report = rewrite_to_fixed_point(fg, [node_rule("grow", (S.exp,), _grow)], phase="test")
    messages = _stop_messages(caplog)
    assert len(messages) == 1 and "grow" in messages[0]
    assert report.applied["grow"] <= 40
    assert len(fg.apply_nodes) <= 100  # two nodes per turn
    a = rng_values(4)
    np.testing.assert_allclose(_eval(fg, [v], [a])[0], np.exp(a), rtol=1e-15)


@pytest.mark.parametrize("ratio", [2, 8, 20])
def test_max_use_ratio_flag_scales_the_limits(ratio):
    v = T.dvector("v")
    rules = {"pair": _undoing_pair(), "grow": [node_rule("grow", (S.exp,), _grow)],
             "refresh": [node_rule("refresh", (S.mul,), _refresh_constant)]}
    graphs = {"pair": [v * 2.0], "grow": [T.exp(v)], "refresh": [v * T.constant([2.0])]}
    fired = {}
    for name, rule_list in rules.items():
        fg = FunctionGraph([v], graphs[name] + [T.sin(v + k) for k in range(9)])
        nodes = len(fg.apply_nodes)
        with change_flags(on_opt_error="warn", **{"optdb.max_use_ratio": ratio}):
            report = rewrite_to_fixed_point(fg, rule_list, phase="test")
        fired[name] = max(report.applied.values())
    assert fired == {"pair": ratio + 1, "grow": 4 * ratio + 1,
                     "refresh": max(16, ratio * nodes) + 1}


@pytest.mark.parametrize("size", [1, 20])
def test_per_rule_budget_stops_what_the_other_limits_miss(size, caplog):
    """Theano's budget: ratio x nodes applications (at least 16)."""
    v = T.dvector("v")
    fg = FunctionGraph([v], [v * T.constant(np.array([2.0]))] +
                       [T.exp(v + k) for k in range(size - 1)])
    nodes = len(fg.apply_nodes)
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        report = rewrite_to_fixed_point(fg, [node_rule("refresh", (S.mul,), _refresh_constant)],
                                        phase="test")
    messages = _stop_messages(caplog)
    assert len(messages) == 1 and "refresh" in messages[0]
    assert report.applied["refresh"] == max(16, 8 * nodes) + 1
    a = rng_values(3)
    np.testing.assert_allclose(_eval(fg, [v], [a])[0], 2 * a, rtol=1e-15)


def test_walking_a_deep_graph_is_not_a_runaway():
    """Lifting x.shape[0] through 300 elementwise nodes: the rule rewrites its own result
    300 times in a row, but over inputs it did not build, so it is not stopped."""
    x = T.dmatrix("x")
    y = x
    for _ in range(150):
        y = T.tanh(y) + 1
    with change_flags(on_opt_error="raise"):
        f, report = _compile([x], T.cast(y.shape[0], "float64"), "fast_run")
    assert report.applied["local_shape_i_lift"] >= 150
    assert f(np.ones((3, 2))) == 3
    assert len(f.maker.fgraph.apply_nodes) <= 2


def test_a_real_rule_that_misses_its_own_result_is_stopped(monkeypatch, caplog):
    """local_log_sum_exp with its recognition of shifted forms switched off: it fires on
    its own result forever (with the add canonicaliser regrouping it each turn), as it did
    before issue 14.  The driver stops it quickly and the value stays right."""
    monkeypatch.setattr(stabilize, "_is_max_shifted", lambda *args: False)
    out = T.log(T.sum(T.exp(d - d.max())))
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        f, report = _compile([d], out, "fast_run", stops=True)
    messages = _stop_messages(caplog)
    assert len(messages) == 1 and "local_log_sum_exp" in messages[0]
    assert list(report.stopped) == ["local_log_sum_exp"]
    np.testing.assert_allclose(f(V), 0.4076059644443804, rtol=1e-14)
    with change_flags(on_opt_error="raise"), pytest.raises(RewriteCycleError,
                                                           match="local_log_sum_exp"):
        theano.function([d], out, mode=Mode(optimizer="fast_run"))


def test_a_cycle_in_the_pipeline_does_not_fail_the_compile(monkeypatch, caplog):
    """The pair of rules in the real FAST_RUN pipeline: the compile goes on, one error
    names both rules, the function computes 2 * v; the other rewrites still ran."""
    monkeypatch.setattr(pipeline.STABILIZE_PHASE, "rules",
                        pipeline.STABILIZE_PHASE.rules + _undoing_pair())
    v = T.dvector("v")
    start = time.perf_counter()
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        f = theano.function([v], [v * 2.0, T.log(1 + v)], mode=Mode(optimizer="fast_run"))
    assert time.perf_counter() - start < MAX_COMPILE_S
    messages = _stop_messages(caplog)
    assert len(messages) == 1 and "double_to_add" in messages[0] and \
        "add_to_double" in messages[0]
    assert f.maker.fgraph.rewrite_report.applied["local_log1p"] == 1
    a = rng_values(5) + 3
    got = f(a)
    np.testing.assert_allclose(got[0], 2 * a, rtol=1e-15)
    np.testing.assert_allclose(got[1], np.log1p(a), rtol=1e-15)
    with change_flags(on_opt_error="raise"), pytest.raises(RewriteCycleError):
        theano.function([v], v * 2.0, mode=Mode(optimizer="fast_run"))


def test_undo_pair_helpers_match_what_they_claim():
    """The synthetic rules are value-preserving (else the tests above would prove
    nothing about keeping the result)."""
    v = T.dvector("v")
    assert _double_to_add(None, (v * 2.0).owner) is not None
    assert is_elemwise(_double_to_add(None, (v * 2.0).owner)[0], S.add)
    assert _add_to_double(None, (v + v).owner) is not None
