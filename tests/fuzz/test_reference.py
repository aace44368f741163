"""The fuzzer's NumPy reference (reference.py) against what Theano 1.0.5 did.

Three sources, all recorded under the original Theano 1.0.5:
* tests/golden/dtypes_floatX_{float64,float32}.json: result dtypes of the arithmetic,
  comparison, transcendental and reduction ops over every dtype pair and Python literal;
* tests/fuzz/theano105_semantics.json (make_theano105_semantics.py): dtypes and
  broadcastable patterns of the other ops the fuzzer uses, values on NaN/inf/zero inputs
  in FAST_RUN, FAST_COMPILE and optimizer=None, and the rewrites that legitimately change
  values (each WHITELIST entry is exercised by the cases it names).
"""

import json
import os

import numpy as np
import pytest

from tests.fuzz.reference import WHITELIST, Evaluator, FuzzTypeError, dist

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(os.path.dirname(HERE), "golden")

with open(os.path.join(HERE, "theano105_semantics.json")) as fh:
    SEMANTICS = json.load(fh)


def _dummy(dtype, bc):
    shape = tuple(1 if b else 3 for b in bc)
    return (np.arange(np.prod(shape, dtype=int)).reshape(shape) % 2 + 1).astype(dtype)


def _evaluate(src, inputs, floatX="float64", values=None):
    ev = Evaluator(floatX)
    ns = ev.namespace()
    for name, (dtype, bc, value) in inputs.items():
        v = _dummy(dtype, bc) if values is None else np.asarray(value, dtype=dtype)
        ns[name] = ev.input(name, dtype, tuple(bc), v)
    return ev, eval(src, ns)


# -- dtypes ---------------------------------------------------------------------------------

_BINOPS = {"add": "a + b", "sub": "a - b", "mul": "a * b", "truediv": "a / b",
           "floordiv": "a // b", "mod": "a % b", "pow": "a ** b", "lt": "a < b",
           "eq": "T.eq(a, b)", "maximum": "T.maximum(a, b)"}
_CONSTS = {"py_int_1": "1", "py_int_big": str(2 ** 40), "py_float_0.1": "0.1",
           "py_float_0.5": "0.5", "py_float_1e300": "1e300"}
_UNOPS = {"exp": "T.exp(a)", "log": "T.log(a)", "sqrt": "T.sqrt(a)", "tanh": "T.tanh(a)",
          "sigmoid": "T.nnet.sigmoid(a)", "abs": "abs(a)", "neg": "-a", "sqr": "T.sqr(a)",
          "sum": "T.sum(a)", "mean": "T.mean(a)", "prod": "T.prod(a)",
          "argmax": "T.argmax(a)", "max": "T.max(a)", "true_div_int": "a / 2"}


def _golden_cases(floatX):
    with open(os.path.join(GOLDEN, f"dtypes_floatX_{floatX}.json")) as fh:
        rec = json.load(fh)
    cases = []
    for key, want in rec["binary"].items():
        op, rest = key.split("(", 1)
        a, b = rest[:-1].split(",")
        cases.append((key, _BINOPS[op], {"a": (a, (False,), None), "b": (b, (False,), None)},
                      want))
    for key, want in rec["const"].items():
        op, rest = key.split("(", 1)
        a, b = rest[:-1].split(",")
        if a in _CONSTS:
            src = _BINOPS[op].replace("a", _CONSTS[a], 1) if op in ("lt",) else None
            src = {"lt": f"{_CONSTS[a]} < b", "eq": f"T.eq({_CONSTS[a]}, b)",
                   "maximum": f"T.maximum({_CONSTS[a]}, b)"}.get(
                op, _BINOPS[op].replace("a", _CONSTS[a]))
            cases.append((key, src, {"b": (b, (False,), None)}, want))
        else:
            src = _BINOPS[op].replace("b", _CONSTS[b])
            cases.append((key, src, {"a": (a, (False,), None)}, want))
    for key, want in rec["unary"].items():
        op, rest = key.split("(", 1)
        if op in _UNOPS:
            cases.append((key, _UNOPS[op], {"a": (rest[:-1], (False,), None)}, want))
    return cases


@pytest.mark.parametrize("floatX", ["float64", "float32"])
def test_dtype_rules_match_theano105_golden(floatX):
    bad = []
    for key, src, inputs, want in _golden_cases(floatX):
        try:
            _ev, out = _evaluate(src, inputs, floatX)
            got = out.dtype
        except FuzzTypeError:
            got = "ERROR TypeError"
        if got != want:
            bad.append((key, src, got, want))
    assert not bad, bad[:20]


def test_symbolic_cases_match_theano105():
    bad = []
    for name, case in SEMANTICS["symbolic"].items():
        try:
            _ev, out = _evaluate(case["src"], case["inputs"], SEMANTICS["floatX"])
            got = (out.dtype, list(out.bc))
        except (FuzzTypeError, TypeError, IndexError) as e:
            got = type(e).__name__ if not isinstance(e, FuzzTypeError) else "TypeError"
        want = case.get("error") or (case["dtype"], case["bcast"])
        if got != want:
            bad.append((name, case["src"], got, want))
    assert not bad, bad[:20]


# -- values ---------------------------------------------------------------------------------

def _check_value(name, case, mode, result, ev, out):
    """Whether Theano's recorded `result` in `mode` is accepted by the reference."""
    if "error" in result:
        if result["error"] != "ZeroDivisionError":
            # inc_subtensor of an int x with a float y: Theano builds the graph but fails
            # when it runs; the fuzzer casts y to x's dtype instead
            return case["src"].startswith("T.inc_subtensor")
        return ev.int_zero_division
    if mode == "None" and ev.int_zero_division:
        return False  # the literal mode must raise
    got = np.asarray(result["data"], dtype=result["dtype"]).reshape(result["shape"])
    if result["dtype"] != out.dtype or got.shape != out.v.shape:
        return False
    bound = out.err if mode == "None" else out.rerr
    return bool(np.all(dist(got, out.v) <= bound))


def test_value_cases_accept_what_theano105_gave():
    bad = []
    for name, case in SEMANTICS["values"].items():
        ev, out = _evaluate(case["src"], case["inputs"], SEMANTICS["floatX"], values=True)
        assert (out.dtype, list(out.bc)) == (case["dtype"], case["bcast"]), name
        for mode, result in case["results"].items():
            if not _check_value(name, case, mode, result, ev, out):
                bad.append((name, mode, result, out.v.tolist(), out.err.tolist()))
    assert not bad, bad[:10]


def test_value_cases_are_tight_where_nothing_is_excused():
    """Where no WHITELIST entry applies and the inputs are exact, the bound is within a few
    ulps of max(|value|, 1): the reference checks values, not just dtypes."""
    for name, case in SEMANTICS["values"].items():
        ev, out = _evaluate(case["src"], case["inputs"], SEMANTICS["floatX"], values=True)
        if ev.used or out.dtype not in ("float32", "float64") or any(
                r in case["src"] for r in ("sum", "mean", "prod", "cumsum", "dot")):
            continue  # (reductions are allowed n * eps * sum(|x|))
        v = np.abs(out.v.astype(np.float64))
        finite = np.isfinite(v)
        # Theano's C code adds a float32 and an int32 in float32, even into a float64
        eps = max(np.finfo(d).eps for d in [out.dtype] + [
            i[0] for i in case["inputs"].values() if i[0] in ("float32", "float64")] + (
            ["float32"] if "np.float32" in case["src"] else []))
        scale = eps * 64 * np.maximum(v, 1.0)
        assert np.all(out.err[finite] <= scale[finite]), (name, out.err, out.v)


def _whitelist_cases():
    for entry, (_reason, cases) in WHITELIST.items():
        for case in cases:
            yield entry, case


@pytest.mark.parametrize("entry,case", list(_whitelist_cases()))
def test_whitelist_entry_is_what_theano105_did(entry, case):
    """Each WHITELIST entry is used by the reference on a case where Theano 1.0.5 itself
    gave a value other than the literal evaluation's (a rewriting mode's value outside the
    literal bound; for "literal:" entries, a value other than the reference's, or the
    error), and every value Theano gave there is accepted."""
    rec = SEMANTICS["values"][case]
    ev, out = _evaluate(rec["src"], rec["inputs"], SEMANTICS["floatX"], values=True)
    assert entry in ev.used, (entry, case, ev.used)
    reason = WHITELIST[entry][0]
    differs = False
    for mode, result in rec["results"].items():
        assert _check_value(case, rec, mode, result, ev, out), (mode, result)
        if "error" in result:
            differs |= entry == "int_div_zero" and mode == "None"
            continue
        got = np.asarray(result["data"], dtype=result["dtype"]).reshape(result["shape"])
        if reason.startswith("literal:"):
            differs |= bool(np.any(dist(got, out.v) > 0)) or "undefined" in reason
        elif mode != "None":
            differs |= bool(np.any(dist(got, out.v) > out.err))
    assert differs, (entry, case, rec["results"], out.v.tolist())
