"""DebugMode, NanGuardMode and MonitorMode, and the mode names get_mode accepts.

What Theano 1.0.5 did is recorded by tests/golden/make_debug_modes.py (run under the
original Theano) in tests/golden/debug_modes.theano105.json; the same scenarios run here
and are compared.  The checks Theano did not make (DebugMode running each node twice,
comparing with infer_shape and with the graph before each rewrite) and the places where
this project deliberately differs (shared variables keep their values when NanGuardMode
raises) are tested against NumPy and hand-written expectations.
"""

import logging
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import theano.tensor as T
from theano.compile.debugmode import (
    BadDestroyMap,
    BadInferShape,
    BadOptimization,
    BadThunkOutput,
    BadViewMap,
    DebugMode,
    DebugModeError,
    InvalidValueError,
    StochasticOrder,
)
from theano.compile.monitormode import MonitorMode, detect_nan
from theano.compile.nanguardmode import NanGuardMode
from theano.ifelse import ifelse

import theano
from tests.support import golden
from tests.support.paths import ROOT
from theano_compat.compile import pipeline
from theano_compat.graph.rewrite import node_rule
from theano_compat.scalar import ops as S

_make = golden.load_recorder("make_debug_modes")
SCENARIOS = _make.scenarios(theano, T)
GOLDEN = golden.load_record("debug_modes.theano105.json")


# ------------------------------------------------------------------ Theano 1.0.5's answers


def test_mode_names_as_theano():
    got = SCENARIOS["mode_names"]()
    for name, expected in GOLDEN["mode_names"].items():
        # Our message goes on to list the valid names: the start is Theano's.
        assert got[name].startswith(expected), (name, got[name], expected)


def test_error_classes_derive_from_debugmodeerror():
    assert SCENARIOS["error_classes"]() == GOLDEN["error_classes"]
    assert issubclass(BadInferShape, InvalidValueError)


def test_broken_user_ops_raise_theanos_errors():
    got = SCENARIOS["broken_ops"]()
    # Theano's hint for a missing output was the repr of a tuple; ours is a sentence.
    assert "(got NoneType)" in got["NoOutput"].pop("specific_hint")
    assert got == GOLDEN["broken_ops"]


def test_debugmode_isfinite_as_theano():
    assert SCENARIOS["debugmode_isfinite"]() == GOLDEN["debugmode_isfinite"]


def test_nanguard_messages_as_theano():
    got = SCENARIOS["nanguard"]()
    for name, expected in GOLDEN["nanguard"].items():
        if isinstance(expected, dict) and "graph" in expected:
            got[name]["graph"] = got[name]["graph"].rstrip()
        assert got[name] == expected, name


def test_monitor_mode_documentation_example_prints_as_theano():
    assert SCENARIOS["monitor"]() == GOLDEN["monitor"]


# ------------------------------------------------------------------ mode names


@pytest.mark.parametrize("name, cls", [("DebugMode", DebugMode), ("DEBUG_MODE", DebugMode),
                                       ("NanGuardMode", NanGuardMode)])
def test_checking_modes_by_name(name, cls):
    mode = theano.compile.mode.get_mode(name)
    assert type(mode) is cls
    if name == "NanGuardMode":
        assert mode.nan_is_error and mode.inf_is_error and mode.big_is_error


@pytest.mark.parametrize("name", ["FAST_WALK", "fast_run", "ProfileMode", "debugmode", ""])
def test_unknown_mode_names_are_errors(name):
    x = T.dvector()
    with pytest.raises(ValueError, match=f"No predefined mode exist for string: {name}"):
        theano.function([x], x * 2, mode=name)


def test_removed_profile_mode_says_what_to_use():
    with pytest.raises(ValueError, match="profile=True"):
        theano.compile.mode.get_mode("ProfileMode")


def test_exports():
    assert theano.compile.DebugMode is DebugMode
    assert theano.compile.MonitorMode is MonitorMode
    assert theano.compile.nanguardmode.NanGuardMode is NanGuardMode
    assert isinstance(theano.compile.mode.predefined_modes["DEBUG_MODE"], DebugMode)
    assert theano.predefined_modes is theano.compile.mode.predefined_modes


def test_register_mode():
    mode = MonitorMode()
    theano.compile.register_mode("MY_MONITOR", mode)
    try:
        assert theano.compile.mode.get_mode("MY_MONITOR") is mode
        with pytest.raises(ValueError, match="already taken"):
            theano.compile.register_mode("MY_MONITOR", mode)
    finally:
        del theano.compile.mode.predefined_modes["MY_MONITOR"]


def _run_flags(flags, code):
    env = dict(os.environ, THEANO_FLAGS=flags, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300, cwd=ROOT, check=False)


def test_modes_by_theano_flags():
    code = (
        "import numpy as np, theano, theano.tensor as T\n"
        "x = T.dvector('x')\n"
        "f = theano.function([x], T.log(x))\n"
        "print(type(f.maker.mode).__name__)\n"
        "try:\n"
        "    f(np.array([-1., 0.]))\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, str(e).splitlines()[0])\n"
    )
    nan = _run_flags("mode=NanGuardMode", code)
    assert nan.stdout.splitlines() == ["NanGuardMode", "AssertionError NaN detected"], nan.stderr
    debug = _run_flags("mode=DebugMode", code)
    assert debug.stdout.splitlines() == ["DebugMode", "InvalidValueError InvalidValueError"], \
        debug.stderr
    walk = _run_flags("mode=FAST_WALK", code)
    assert walk.returncode != 0
    assert "'FAST_RUN'" in walk.stderr and "Valid options are any value" not in walk.stderr


# ------------------------------------------------------------------ NanGuardMode


def test_nanguard_names_node_and_line_and_keeps_shared_values():
    x = T.dvector("x")
    w = theano.shared(np.array([1.0, 2.0]), name="w")
    y = T.log(x) * w  # the line the message must name
    f = theano.function([x], y, mode=NanGuardMode(True, True, True, optimizer="fast_run"),
                        updates={w: w + 1})
    with pytest.raises(AssertionError) as info:
        f(np.array([-1.0, 0.0]))
    text = str(info.value)
    assert "Apply node that caused the error: Elemwise{Composite{(log(i0) * i1)}}(x, w)" \
        in text
    assert "test_debug_modes.py" in text and "y = T.log(x) * w" in text
    # Theano 1.0.5 left w = [nan, -inf] here (its in-place node wrote into w).
    np.testing.assert_array_equal(w.get_value(), [1.0, 2.0])
    np.testing.assert_allclose(f(np.array([1.0, 2.0])), np.log([1.0, 2.0]) * [1.0, 2.0])
    np.testing.assert_array_equal(w.get_value(), [2.0, 3.0])


def test_nanguard_checks_intermediate_values():
    x = T.dvector("x")
    # exp overflows to inf, then the division gives 0: only the node in between shows it.
    f = theano.function([x], 1 / T.exp(x), mode=NanGuardMode(False, True, False,
                                                            optimizer=None))
    np.testing.assert_allclose(f(np.array([0.0, 1.0])), [1.0, np.exp(-1.0)])
    with pytest.raises(AssertionError, match="Inf detected"):
        f(np.array([1000.0]))
    normal = theano.function([x], 1 / T.exp(x), mode=theano.Mode(optimizer=None))
    np.testing.assert_array_equal(normal(np.array([1000.0])), [0.0])


def test_nanguard_big_values_and_flags():
    x = T.dvector("x")
    f = theano.function([x], x * 2, mode=NanGuardMode(False, False, True))
    np.testing.assert_array_equal(f(np.array([1e9])), [2e9])
    with pytest.raises(AssertionError, match="Big value detected"):
        f(np.array([1e10]))  # the output 2e10 is big; the input 1e10 is not (> 1e10)
    with theano.change_flags(**{"NanGuardMode.inf_is_error": False}):
        mode = NanGuardMode()
    assert mode.nan_is_error and not mode.inf_is_error and mode.big_is_error
    g = theano.function([x], T.log(x), mode=NanGuardMode(inf_is_error=False,
                                                         big_is_error=False))
    np.testing.assert_array_equal(g(np.array([0.0])), [-np.inf])


def test_nanguard_skips_tagged_variables_and_integers():
    x = T.dvector("x")
    y = T.log(x)
    y.tag.nan_guard_mode_check = False
    f = theano.function([x], y + 1, mode=NanGuardMode(True, True, True, optimizer=None))
    with pytest.raises(AssertionError, match="Elemwise{add"):
        f(np.array([-1.0]))  # log's output is not checked, the add's is
    b = T.bvector("b")
    g = theano.function([b], b // 2, mode=NanGuardMode(True, True, True))
    np.testing.assert_array_equal(g(np.array([-128, 7], dtype="int8")), [-64, 3])


def test_nanguard_warn_action_logs_and_returns(caplog):
    x = T.dvector("x")
    f = theano.function([x], T.log(x), mode=NanGuardMode(True, True, True))
    with theano.change_flags(**{"NanGuardMode.action": "warn"}), \
            caplog.at_level(logging.ERROR, logger="theano.compile.nanguardmode"):
        out = f(np.array([-1.0]))
    assert np.isnan(out).all()
    assert any("NaN detected" in r.getMessage() for r in caplog.records)


def test_nanguard_lazy_ifelse_checks_only_the_taken_branch():
    c = T.dscalar("c")
    x = T.dvector("x")
    f = theano.function([c, x], ifelse(T.gt(c, 0), x * 2, T.log(x)),
                        mode=NanGuardMode(True, True, True))
    np.testing.assert_array_equal(f(1.0, np.array([-1.0, 2.0])), [-2.0, 4.0])
    with pytest.raises(AssertionError, match="NaN detected"):
        f(-1.0, np.array([-1.0, 2.0]))


def test_nanguard_inside_scan():
    x = T.dvector("x")
    out, _ = theano.scan(lambda v: T.log(v), sequences=x)
    f = theano.function([x], out, mode=NanGuardMode(True, True, True))
    np.testing.assert_allclose(f(np.array([1.0, 2.0])), np.log([1.0, 2.0]))
    with pytest.raises(AssertionError, match="NaN detected"):
        f(np.array([1.0, -2.0]))


def test_nanguard_pickle_and_copy_keep_the_mode():
    x = T.dvector("x")
    f = theano.function([x], T.log(x), mode=NanGuardMode(True, True, True))
    for g in (pickle.loads(pickle.dumps(f)), f.copy()):
        with pytest.raises(AssertionError):
            g(np.array([-1.0]))


# ------------------------------------------------------------------ MonitorMode


def test_monitor_mode_sees_every_node_with_storage_cells():
    v = T.dvector("v")
    seen = []

    def pre(i, node, fn):
        assert all(isinstance(c, list) and len(c) == 1 for c in fn.inputs + fn.outputs)
        assert all(c[0] is None for c in fn.outputs)
        seen.append(("pre", i, str(node.op)))

    def post(i, node, fn):
        seen.append(("post", i, [c[0].copy() for c in fn.inputs], fn.outputs[0][0].copy()))

    mode = MonitorMode(pre_func=pre, post_func=post, optimizer=None)
    f = theano.function([v], T.exp(v).sum(), mode=mode)
    data = np.array([0.0, 1.0])
    assert f(data) == pytest.approx(np.exp(data).sum())
    assert [s[:2] for s in seen] == [("pre", 0), ("post", 0), ("pre", 1), ("post", 1)]
    assert "exp" in seen[0][2] and "Sum" in seen[2][2]
    np.testing.assert_array_equal(seen[1][2][0], data)
    np.testing.assert_allclose(seen[1][3], np.exp(data))
    np.testing.assert_allclose(seen[3][3], np.exp(data).sum())


def test_monitor_mode_post_func_may_change_outputs_and_run_the_thunk():
    x = T.dvector("x")

    def post(i, node, fn):
        fn()  # running the node again gives the same value
        fn.outputs[0][0] = fn.outputs[0][0] * 0 + 5.0

    f = theano.function([x], x * 2, mode=MonitorMode(post_func=post))
    np.testing.assert_array_equal(f(np.array([1.0, 2.0])), [5.0, 5.0])


def test_monitor_mode_reaches_scan_steps():
    x = T.dvector("x")
    count = [0]

    def post(i, node, fn):
        count[0] += 1

    out, _ = theano.scan(lambda v: v * 2, sequences=x)
    f = theano.function([x], out, mode=MonitorMode(post_func=post, optimizer=None))
    np.testing.assert_array_equal(f(np.arange(3.0)), [0.0, 2.0, 4.0])
    assert count[0] >= 1 + 3  # the scan node, and the step's node on each of 3 steps


def test_detect_nan_prints_nothing_without_nan(capsys):
    x = T.dscalar("x")
    f = theano.function([x], T.log(x) * x, mode=MonitorMode(post_func=detect_nan))
    assert f(1.0) == 0.0
    assert capsys.readouterr().out == ""


def test_checking_modes_refuse_a_linker():
    for make in (lambda: MonitorMode(linker="py"), lambda: DebugMode(linker="py"),
                 lambda: NanGuardMode(True, True, True, linker="py")):
        with pytest.raises(ValueError, match="linker"):
            make()


# ------------------------------------------------------------------ DebugMode


class _Base(theano.Op):
    __props__ = ()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])


class _Noisy(_Base):
    """Adds noise from NumPy's global generator: two runs differ."""

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] + np.random.rand(*inputs[0].shape)


class _BadShape(_Base):
    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0] * 2

    def infer_shape(self, node, shapes):
        return [(shapes[0][0] + 1,)]


class _GoodShape(_BadShape):
    def infer_shape(self, node, shapes):
        return [shapes[0]]


class _DeclaredDestroyer(_Base):
    destroy_map = {0: [0]}

    def perform(self, node, inputs, output_storage):
        inputs[0] *= 3
        output_storage[0][0] = inputs[0]


class _DeclaredView(_Base):
    view_map = {0: [0]}

    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0][:]


class _Twin(_Base):
    def perform(self, node, inputs, output_storage):
        output_storage[0][0] = inputs[0].copy()


def test_debugmode_runs_each_node_twice():
    x = T.dvector("x")
    f = theano.function([x], _Noisy()(x), mode=DebugMode())
    with pytest.raises(BadThunkOutput, match="_Noisy"):
        f(np.zeros(3))


def test_debugmode_checks_infer_shape():
    x = T.dvector("x")
    with pytest.raises(BadInferShape, match=r"infer_shape gives 4 for dimension 0"):
        theano.function([x], _BadShape()(x), mode=DebugMode())(np.ones(3))
    good = theano.function([x], _GoodShape()(x), mode=DebugMode())
    np.testing.assert_array_equal(good(np.ones(3)), [2.0, 2.0, 2.0])


def test_debugmode_accepts_declared_destroy_and_view():
    x = T.dvector("x")
    data = np.array([1.0, 2.0])
    outs = [_DeclaredDestroyer()(x), _DeclaredView()(x) + 1, x * 1]
    # As Theano: a graph with a destroyer compiles only with accept_inplace=True.
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        theano.function([x], outs, mode=DebugMode())
    f = theano.function([x], outs, mode=DebugMode(), accept_inplace=True)
    d, v, same = f(data)
    np.testing.assert_array_equal(d, [3.0, 6.0])
    np.testing.assert_array_equal(v, [2.0, 3.0])
    np.testing.assert_array_equal(same, [1.0, 2.0])  # the destroyer worked on a copy
    np.testing.assert_array_equal(data, [1.0, 2.0])


def test_debugmode_failed_call_keeps_shared_values():
    x = T.dvector("x")
    w = theano.shared(np.array([1.0, 2.0]), name="w")
    f = theano.function([x], T.log(x) + w, mode=DebugMode(), updates={w: w * 2})
    with pytest.raises(InvalidValueError):
        f(np.array([0.0, 1.0]))
    np.testing.assert_array_equal(w.get_value(), [1.0, 2.0])
    np.testing.assert_allclose(f(np.array([1.0, 1.0])), [1.0, 2.0])
    np.testing.assert_array_equal(w.get_value(), [2.0, 4.0])


def test_debugmode_agrees_with_fast_run_on_ordinary_graphs():
    rng = np.random.RandomState(0)
    X = T.dmatrix("X")
    y = T.ivector("y")
    W = theano.shared(rng.randn(5, 3), name="W")
    b = theano.shared(np.zeros(3), name="b")
    p = T.nnet.softmax(T.dot(X, W) + b)
    cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y]) + 0.01 * (W ** 2).sum()
    gW, gb = T.grad(cost, [W, b])
    a = T.dvector("a")
    steps, _ = theano.scan(lambda v, acc: acc + v ** 2, sequences=a,
                           outputs_info=T.constant(np.float64(0.0)))
    M = T.dmatrix("M")
    outputs = [cost, gW, gb, p.argmax(1), steps, T.grad(steps[-1], a),
               T.log(1 + T.exp(a)), M[1:, ::2].sum(), T.inc_subtensor(M[0], 1.0),
               M.T.reshape((-1,)), T.concatenate([M, M]), T.switch(M > 0, M, 0),
               T.split(M, [1, 2], 2, axis=0)[1], T.zeros_like(M), M.cumsum(0),
               T.sort(M, axis=1), ifelse(T.gt(a.sum(), 0), a * 2, a * 3)]
    inputs = [X, y, a, M]
    values = [rng.randn(10, 5), rng.randint(0, 3, 10).astype("int32"),
              np.array([-1000.0, 0.5, 1000.0]), rng.randn(3, 4)]
    fast = theano.function(inputs, outputs, mode="FAST_RUN")(*values)
    debug = theano.function(inputs, outputs, mode=DebugMode())(*values)
    for k, (got, expected) in enumerate(zip(debug, fast)):
        np.testing.assert_allclose(got, expected, rtol=1e-12, err_msg=str(outputs[k]))


def test_debugmode_catches_a_wrong_rewrite(monkeypatch):
    bad = node_rule("bad_log_to_log1p", [S.log], lambda fgraph, node: [T.log1p(node.inputs[0])])
    monkeypatch.setattr(pipeline.SPECIALIZE_PHASE, "rules",
                        pipeline.SPECIALIZE_PHASE.rules + [bad])
    x = T.dvector("x")
    w = theano.shared(np.ones(2), name="w")
    f = theano.function([x], T.log(x) * 2, mode=DebugMode(optimizer="fast_run"),
                        updates={w: w + 1})
    with pytest.raises(BadOptimization) as info:
        f(np.array([1.0, 2.0]))
    err = info.value
    assert err.reason == "bad_log_to_log1p"
    np.testing.assert_allclose(err.old_r_val, np.log([1.0, 2.0]))
    np.testing.assert_allclose(err.new_r_val, np.log1p([1.0, 2.0]))
    assert "log1p" in str(err) and "test_debug_modes.py" in str(err)
    np.testing.assert_array_equal(w.get_value(), [1.0, 1.0])
    # The same graph without that rule passes; FAST_RUN never notices.
    ok = theano.function([x], T.log(x) * 2,
                         mode=DebugMode(optimizer="fast_run").excluding("bad_log_to_log1p"))
    np.testing.assert_allclose(ok(np.array([1.0, 2.0])), 2 * np.log([1.0, 2.0]))
    wrong = theano.function([x], T.log(x) * 2, mode="FAST_RUN")
    np.testing.assert_allclose(wrong(np.array([1.0, 2.0])), 2 * np.log1p([1.0, 2.0]))


def test_debugmode_accepts_stabilising_rewrites():
    x = T.dvector("x")
    f = theano.function([x], T.log(1 + T.exp(x)), mode=DebugMode(optimizer="fast_run"))
    np.testing.assert_allclose(f(np.array([-1000.0, 0.0, 1000.0])), [0.0, np.log(2), 1000.0])


def test_debugmode_catches_unstable_rewrites(monkeypatch):
    compiles = []

    def flaky(fgraph, node):
        # Fires once per graph, on every other graph: equal values, different graphs.
        if any(g is fgraph for g in compiles):
            return None
        compiles.append(fgraph)
        return [_Twin()(node.outputs[0].owner.op(*node.inputs))] if len(compiles) % 2 \
            else None

    monkeypatch.setattr(pipeline.SPECIALIZE_PHASE, "rules",
                        pipeline.SPECIALIZE_PHASE.rules + [node_rule("flaky", [S.abs_], flaky)])
    x = T.dvector("x")
    with pytest.raises(StochasticOrder, match="stability_patience"):
        theano.function([x], abs(x), mode=DebugMode(optimizer="fast_run"))
    compiles.clear()
    f = theano.function([x], abs(x), mode=DebugMode(optimizer="fast_run",
                                                     stability_patience=1))
    np.testing.assert_array_equal(f(np.array([-1.0, 2.0])), [1.0, 2.0])


def test_debugmode_settings():
    mode = DebugMode(check_isfinite=False, stability_patience=3)
    assert not mode.check_isfinite and mode.stability_patience == 3
    assert mode.check_py_code and mode.optimizer == "fast_run"
    kept = mode.excluding("fusion")
    assert type(kept) is DebugMode and kept.stability_patience == 3
    assert kept.excluded == ("fusion",)
    with pytest.raises(ValueError, match="at least one"):
        DebugMode(check_c_code=False, check_py_code=False)
    assert issubclass(BadDestroyMap, DebugModeError) and issubclass(BadViewMap, DebugModeError)


# ------------------------------------------------------------------ Theano 1.0.5's rules


class _TwoOutputs(theano.Op):
    """Outputs 2a and (2a)[1:], the second a view of the first, undeclared."""

    __props__ = ()

    def make_node(self, a):
        a = T.as_tensor_variable(a)
        return theano.Apply(self, [a], [a.type(), a.type()])

    def perform(self, node, inputs, out):
        r = inputs[0] * 2
        out[0][0] = r
        out[1][0] = r[1:]


def test_outputs_of_one_node_may_share_memory_unless_both_are_read():
    # Theano 1.0.5 (test_debugmode.Test_ViewMap): fine when the aliased outputs are
    # function outputs or one of them is unused; BadViewMap when both feed other nodes.
    x = T.dvector("x")
    r0, r1 = _TwoOutputs()(x)
    f = theano.function([x], [r0, r1], mode="DEBUG_MODE")
    out = f([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(out[0], [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(out[1], [4.0, 6.0])
    r0, r1 = _TwoOutputs()(x)
    assert theano.function([x], r0 * 2, mode="DEBUG_MODE")([1.0, 2.0]).tolist() == [4.0, 8.0]
    r0, r1 = _TwoOutputs()(x)
    g = theano.function([x], r0[1:] * 2 + r1 * 2, mode="DEBUG_MODE")
    with pytest.raises(BadViewMap):
        g([1.0, 2.0, 3.0])


class _BiggerB:
    """An optimizer object (Mode(optimizer=...)) replacing a + b by a + concat(b, b):
    the node it inserts fails at run time."""

    def optimize(self, fgraph):
        for node in list(fgraph.apply_nodes):
            if node.op == T.add and node.inputs[1].owner is None:
                a, b = node.inputs
                fgraph.replace(node.outputs[0], a + T.concatenate([b, b]),
                               reason="insert_bigger_b_add")


def test_a_failing_node_inserted_by_a_rewrite_is_reported_with_the_rewrite():
    a, b = T.dvectors("a", "b")
    f = theano.function([a, b], a + b, mode=DebugMode(optimizer=_BiggerB()))
    with pytest.raises(ValueError, match="An optimization \\(probably insert_bigger_b_add\\) "
                                         "inserted an apply node that raise an error"):
        f([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    err = BadOptimization("TTT a message")  # re-raised with a new message, as Theano allowed
    assert str(err) == "TTT a message"


def test_check_isfinite_covers_the_graph_inputs():
    x = T.dvector("x")
    f = theano.function([x], (x + 2) * 5, mode=DebugMode())
    with pytest.raises(InvalidValueError):
        f(np.array([1.0, np.nan]))
    g = theano.function([x], (x + 2) * 5, mode=DebugMode(check_isfinite=False))
    assert np.isnan(g(np.array([1.0, np.nan]))[1])


def test_a_rewrite_changing_the_type_is_a_bad_optimization():
    # Theano 1.0.5 (test_debugmode.py::test_badoptimization_opt_err): with
    # on_opt_error='raise', DebugMode reports the rule as a BadOptimization, which can be
    # re-raised with an extended message.
    @theano.gof.local_optimizer([T.add])
    def to_float32(node):
        if node.op == T.add and node.inputs[-1].owner is None:
            return [node.outputs[0].astype("float32")]
        return False

    edb = theano.gof.EquilibriumDB()
    edb.register("to_float32", to_float32, "all")
    a, b = T.dvectors("a", "b")
    with theano.configparser.change_flags(on_opt_error="raise"), \
            pytest.raises(BadOptimization, match="to_float32") as info:
        theano.function([a, b], a + b, mode=DebugMode(optimizer=edb.query("+all"),
                                                      stability_patience=1))
    assert "must be the same" in str(info.value)
    assert "TTT" in str(BadOptimization("TTT" + str(info.value)))
