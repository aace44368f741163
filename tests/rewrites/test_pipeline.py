"""The rewrite driver and the pipelines: modes, exclusions, verbosity, failure handling,
cycle detection, and agreement of FAST_RUN, FAST_COMPILE and no rewrites."""

import logging

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.compile.mode import Mode, get_default_mode
from theano_compat.config import change_flags
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.rewrite import RewriteCycleError, node_rule, rewrite_to_fixed_point
from theano_compat.scalar import ops as S
from tools import show_pipeline

rng = np.random.RandomState(7)


def test_fast_run_is_the_default_mode():
    from theano_compat.config import _FLAGS

    assert _FLAGS["optimizer"].default in ("fast_run", "o4")
    assert _FLAGS["mode"].default in ("Mode", "FAST_RUN")
    v = T.dvector("v")
    with change_flags(mode="Mode", optimizer=_FLAGS["optimizer"].default):
        assert get_default_mode().optimizer in ("fast_run", "o4")
        f = theano.function([v], T.log(1 + v))
    assert f.maker.fgraph.rewrite_report.applied["local_log1p"] == 1


def test_optimizer_verbose_prints_each_rewrite(capsys):
    v = T.dvector("v")
    with change_flags(optimizer_verbose=True):
        theano.function([v], T.log(1 + v), mode=Mode(optimizer="fast_run"))
    out = capsys.readouterr().out
    assert "rewriting: rule local_log1p" in out


def test_show_pipeline_lists_phases_and_rules(capsys):
    show_pipeline.main(["FAST_RUN"])
    out = capsys.readouterr().out
    for phase in ("merge", "canonicalize", "stabilize", "specialize", "fusion"):
        assert f"\n  {phase}" in out
    assert "local_log_sigmoid" in out
    show_pipeline.main(["None"])
    assert "stabilize" not in capsys.readouterr().out


def _faulty(fgraph, node):
    raise ZeroDivisionError("boom")


def test_failing_rule_is_disabled_and_reported_once(caplog):
    v = T.dvector("v")
    fg = FunctionGraph([v], [T.exp(T.exp(T.exp(v)))])
    rule = node_rule("faulty", (S.exp,), _faulty)
    with change_flags(on_opt_error="warn"), caplog.at_level(logging.WARNING):
        report = rewrite_to_fixed_point(fg, [rule], phase="test")
    assert "ZeroDivisionError" in report.failed["faulty"]
    assert sum("faulty" in r.message for r in caplog.records) == 1
    with change_flags(on_opt_error="raise"), pytest.raises(ZeroDivisionError):
        rewrite_to_fixed_point(FunctionGraph([v], [T.exp(v)]), [rule])


def test_rules_feeding_each_other_raise_a_cycle_error_naming_them():
    v = T.dvector("v")
    fg = FunctionGraph([v], [T.exp(v)])
    to_cos = node_rule("exp_to_cos", (S.exp,), lambda fg, n: [S.cos(n.inputs[0])])
    to_exp = node_rule("cos_to_exp", (S.cos,), lambda fg, n: [S.exp(n.inputs[0])])
    with pytest.raises(RewriteCycleError, match="exp_to_cos.*cos_to_exp|cos_to_exp.*exp_to_cos"):
        rewrite_to_fixed_point(fg, [to_cos, to_exp])


def _graphs():
    x, y = T.dvectors("x", "y")
    m = T.dmatrix("m")
    i = T.ivector("i")
    f = T.fvector("f")
    xv, yv, mv = rng.randn(6), rng.rand(6) + 0.5, rng.randn(4, 6)
    iv = np.array([0, 5, 2, 3], "int32")
    fv = rng.rand(6).astype("float32")
    sm = T.nnet.softmax(m)
    cost = T.nnet.categorical_crossentropy(sm, i).mean() + (m ** 2).sum() * 0.01
    p = 1 / (1 + T.exp(-x))
    return [
        ([x, y], [x * y / y + 2 * x - x, T.log(1 + y) * T.exp(x) - 1], [xv, yv]),
        ([x], [T.log(p), T.log(1 - p), T.grad(T.log(p).sum(), x)], [xv * 3]),
        ([m, i], [cost, T.grad(cost, m)], [mv, iv]),
        ([m], [T.log(T.sum(T.exp(m), axis=1)), m.shape[0] * m.sum(), m.T.T * 1], [mv]),
        ([f], [f * np.float32(0.5) + 1, T.sqrt(T.sqr(f)) ** 2, f.mean()], [fv]),
        ([x, y], [T.switch(x > 0, x, y) ** -1, T.maximum(x, y) * 0, (x - y).norm(2)],
         [xv, yv]),
    ]


@pytest.mark.parametrize("case", range(6))
def test_fast_run_fast_compile_and_no_rewrites_agree(case):
    inputs, outputs, values = _graphs()[case]
    results = {}
    for opt in ("fast_run", "fast_compile", None):
        f = theano.function(inputs, outputs, mode=Mode(optimizer=opt))
        results[opt] = f(*values)
    for opt in ("fast_compile", None):
        for got, want in zip(results["fast_run"], results[opt]):
            assert np.asarray(got).dtype == np.asarray(want).dtype
            np.testing.assert_allclose(got, want, rtol=1e-6 if got.dtype == "float32" else 1e-12,
                                       atol=1e-12)
