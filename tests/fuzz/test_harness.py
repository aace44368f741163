"""The differential fuzzer's own machinery: the comparison rejects wrong results, and a
failing case prints as a script that runs."""

import contextlib
import io

import numpy as np
import pytest

from tests.fuzz import test_differential as td
from tests.fuzz.graphs import Case, format_array

NAN, INF = float("nan"), float("inf")


def _case(src, **inputs):
    return Case([(name, v.dtype.name, (False,) * v.ndim, v) for name, v in inputs.items()],
                src, "float64")


def _fake_results(monkeypatch, results):
    """compile_and_run returning results[mode] (a value or an exception) instead of
    running Theano."""
    real = td.compile_and_run

    def fake(case, mode):
        outs, _got, _exc, _where, _notes = real(case, td.MODES["None"])
        name = next(k for k, m in td.MODES.items() if m is mode)
        r = results[name]
        if isinstance(r, Exception):
            return outs, None, r, "call", []
        return outs, [r], None, None, []

    monkeypatch.setattr(td, "compile_and_run", fake)


X = np.array([1.0, NAN, INF, -2.5, 0.0])


def test_check_passes_on_the_right_values(monkeypatch):
    want = np.exp(X)
    _fake_results(monkeypatch, {m: want for m in td.MODES})
    td.check(_case("T.exp(x0)", x0=X))


@pytest.mark.parametrize("wrong", [
    np.exp(X) * (1 + 1e-12),                      # beyond a few ulps
    np.where(np.isnan(X), 0.0, np.exp(X)),        # a number where NaN is due
    np.where(np.isinf(X), NAN, np.exp(X)),        # NaN where inf is due
    np.exp(X).astype("float32"),                  # wrong dtype
    np.exp(X)[:4],                                # wrong shape
    RuntimeError("boom"),                         # fails
])
def test_check_rejects_a_wrong_result(monkeypatch, wrong):
    results = {m: np.exp(X) for m in td.MODES}
    results["FAST_COMPILE"] = wrong
    _fake_results(monkeypatch, results)
    with pytest.raises(td.Finding, match="FAST_COMPILE"):
        td.check(_case("T.exp(x0)", x0=X))


def test_check_rejects_a_wrong_integer_by_one(monkeypatch):
    a = np.array([7, -7, 100], dtype="int8")
    want = a // 2
    _fake_results(monkeypatch, {"FAST_RUN": want, "FAST_COMPILE": want, "None": want + 1})
    with pytest.raises(td.Finding, match="None: values differ"):
        td.check(_case("x0 // 2", x0=a))


def test_integer_division_by_zero_must_raise_without_rewrites(monkeypatch):
    a, b = np.array([1, 2], dtype="int8"), np.array([1, 0], dtype="int8")
    case = _case("x0 // x1", x0=a, x1=b)
    err = ZeroDivisionError("integer division by zero")
    _fake_results(monkeypatch, {"FAST_RUN": err, "FAST_COMPILE": a // np.maximum(b, 1),
                                "None": err})
    td.check(case)
    _fake_results(monkeypatch, {"FAST_RUN": err, "FAST_COMPILE": err,
                                "None": np.array([1, 0], dtype="int8")})
    with pytest.raises(td.Finding, match="no ZeroDivisionError"):
        td.check(case)


def test_whitelisted_rewrite_value_is_accepted_only_with_rewrites(monkeypatch):
    """x / x at x = 0: the literal NaN everywhere; 1 (local_mul_canonizer) only in the
    rewriting modes."""
    x = np.array([0.0, 2.0, INF])
    case = _case("x0 / x0", x0=x)
    _fake_results(monkeypatch, {"FAST_RUN": np.ones(3), "FAST_COMPILE": x / x, "None": x / x})
    td.check(case)
    _fake_results(monkeypatch, {"FAST_RUN": x / x, "FAST_COMPILE": x / x, "None": np.ones(3)})
    with pytest.raises(td.Finding, match="None: values differ"):
        td.check(case)


def test_reproducer_script_runs():
    case = _case("T.maximum(x0, 0.5) * x1", x0=np.array([NAN, -0.0, INF, 2.5]),
                 x1=np.array([1.0, -INF, 2.0, 0.0]))
    script = case.script()
    assert "np.nan" in script and "-np.inf" in script and "-0.0" in script
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(script, "<reproducer>", "exec"), {})  # noqa: S102 - the point
    lines = buf.getvalue().splitlines()
    want = repr(np.array([NAN, -INF, INF, 0.0]))
    assert len(lines) == 3 and all(ln.endswith(want) for ln in lines), lines


def test_format_array_round_trips():
    for v in [np.array([[NAN, -0.0], [INF, -INF]], dtype="float32"),
              np.array(True), np.array([-128, 127], dtype="int8")]:
        back = eval(format_array(v), {"np": np})
        assert back.dtype == v.dtype and back.shape == v.shape
        np.testing.assert_array_equal(back, v)
        assert np.array_equal(np.signbit(back), np.signbit(v))


class _Buffered:
    """A fake compiled function that writes its result into one buffer it keeps (and
    optionally into its input): what check() must report."""

    def __init__(self, write_input=False):
        self.buf = None
        self.write_input = write_input

    def __call__(self, x):
        if self.buf is None:
            self.buf = np.empty_like(x)
        np.exp(x, out=self.buf)
        if self.write_input:
            x += 1
        return [self.buf]


@pytest.mark.parametrize("write_input,note", [
    (False, "output 0 of the first call changed during a second call"),
    (True, "the call changed its input x0"),
])
def test_check_reports_reused_outputs_and_written_inputs(monkeypatch, write_input, note):
    monkeypatch.setattr(td.theano, "function",
                        lambda *a, **k: _Buffered(write_input))
    with pytest.raises(td.Finding, match=note):
        td.check(_case("T.exp(x0)", x0=np.array([1.0, 2.0])))
