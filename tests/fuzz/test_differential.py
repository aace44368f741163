"""Differential fuzzing: random graphs compiled under FAST_RUN, FAST_COMPILE and
optimizer=None, compared with each other and with a NumPy evaluation of the same
expression under Theano 1.0.5's rules (tests/fuzz/reference.py).

Each case (tests/fuzz/graphs.py) is one expression over inputs of float64/float32/int32/
int8/bool with NaN, infinities, zeros and broadcastable axes.  Checked, in every mode:

* the graph's dtype and broadcastable pattern are Theano 1.0.5's;
* the function compiles and runs (an integer division by zero must raise
  ZeroDivisionError under optimizer=None, as Theano's C code did), whatever the memory
  layout of its inputs (Fortran order, strided, reversed, read-only), leaves its inputs
  unchanged, and a second call does not change the arrays the first returned;
* a second output (a subexpression) when the case has one;
* the result's dtype and shape are the graph's, and every element is within the
  reference's bound: exact for integers and bools, rounding-sized for floats, NaN where the
  reference has NaN, the same infinity.  The rewriting modes may also give what a rewrite
  in reference.WHITELIST gives (x / x -> 1 at x = 0 ...).  All modes within the same bound
  of one reference implies they agree with each other.

The default run is a few hundred derandomized cases.  Environment:
  THEANO_COMPAT_FUZZ=N        run N cases (a long campaign: e.g. 100000)
  THEANO_COMPAT_FUZZ_SEED=S   random (not derandomized) search from seed S
  THEANO_COMPAT_FUZZ_LOG=F    campaign mode: append each failing case to F (JSON lines)
                              and go on instead of stopping at the first
A failure prints the shrunk case as a runnable script.
"""

import contextlib
import json
import os
import time
import warnings

import numpy as np
import pytest
import theano.tensor as T
from hypothesis import HealthCheck, given, seed, settings
from theano.compile.mode import Mode

import theano
from tests.fuzz import graphs
from tests.fuzz.reference import Evaluator, FuzzTypeError, dist

N_CASES = int(os.environ.get("THEANO_COMPAT_FUZZ") or 300)
SEED = os.environ.get("THEANO_COMPAT_FUZZ_SEED")
LOG = os.environ.get("THEANO_COMPAT_FUZZ_LOG")

MODES = {
    "FAST_RUN": Mode(optimizer="fast_run"),
    "FAST_COMPILE": Mode(optimizer="fast_compile"),
    "None": Mode(optimizer=None),
}


class Finding(AssertionError):
    """A case where Theano and the reference disagree."""


def reference(case):
    """The reference Refs of the case's outputs, and the Evaluator."""
    ev = Evaluator(case.floatX)
    ns = ev.namespace()
    for name, dtype, bc, value in case.inputs:
        ns[name] = ev.input(name, dtype, bc, value)
    with np.errstate(all="ignore"):
        return ev, [eval(src, ns) for src in case.outputs]


def _perturbed(values):
    """Other values of the same dtypes and layouts, for a second call."""
    out = []
    for v in values:
        with np.errstate(all="ignore"):
            if v.dtype == bool:
                w = ~v
            elif v.dtype.kind == "f":
                w = (v * -1.5 + 0.25).astype(v.dtype)
            else:
                w = (v.astype(np.int64) * 3 + 1).astype(v.dtype)
        w = graphs.layout(w, "c")
        if v.flags.f_contiguous and not v.flags.c_contiguous:
            w = np.asfortranarray(w)
        out.append(w)
    return out


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.all(dist(a, b) == 0)) and \
        bool(np.array_equal(np.signbit(a), np.signbit(b)) if a.dtype.kind == "f" else True)


def compile_and_run(case, mode):
    """Build, compile and call the case's function under one mode: (graph outputs,
    results, exception, where, notes).  Also checks that the call leaves its inputs alone
    and that a second call does not change the results of the first (notes)."""
    ins = {name: T.TensorType(dtype, bc)(name) for name, dtype, bc, _v in case.inputs}
    notes = []
    try:
        outs = [eval(src, {"T": T, "np": np}, dict(ins)) for src in case.outputs]
    except Exception as e:  # noqa: BLE001 - Theano builds every graph the fuzzer makes
        return None, None, e, "build", notes
    try:
        f = theano.function(list(ins.values()), outs, mode=mode, on_unused_input="ignore")
    except Exception as e:  # noqa: BLE001 - any compile error is a finding
        return outs, None, e, "compile", notes
    values = case.values()
    pristine = [v.copy() for v in values]
    try:
        got = f(*values)
    except Exception as e:  # noqa: BLE001
        return outs, None, e, "call", notes
    for (name, *_r), v, p in zip(case.inputs, values, pristine):
        if not _same(v, p):
            notes.append(f"the call changed its input {name}")
    kept = [np.array(g, copy=True) for g in got]
    with contextlib.suppress(Exception):  # only the first call's results matter here
        f(*_perturbed(values))
    for k, (g, c) in enumerate(zip(got, kept)):
        if not _same(g, c):
            notes.append(f"output {k} of the first call changed during a second call")
    return outs, got, None, None, notes


def _mismatches(got, ref, bound, limit=4):
    """Positions where `got` is outside the bound, as text lines."""
    d = dist(got, ref.v)
    if ref.dtype not in ("float32", "float64", "float16"):
        exact = np.asarray(got) != ref.v
        bad = np.where(bound == 0, exact, d > bound)
    else:
        bad = d > bound
    lines = []
    for pos in list(zip(*np.nonzero(np.atleast_1d(bad))))[:limit]:
        pos = tuple(int(p) for p in pos) if ref.v.ndim else ()
        lines.append(f"      at {pos}: got {np.asarray(got)[pos]!r}, expected "
                     f"{ref.v[pos]!r} (bound {bound[pos]:.3g})")
    return lines


def check(case):
    """Compile and run the case in every mode; raise Finding on any disagreement."""
    __tracebackhide__ = True
    try:
        ev, refs = reference(case)
    except FuzzTypeError:
        return  # a graph Theano rejects at build time: the generator avoids these
    problems = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, mode in MODES.items():
            outs, got, exc, where, notes = compile_and_run(case, mode)
            problems += [f"  {name}: {n}" for n in notes]
            if outs is not None and name == "FAST_RUN":
                for k, (out, ref) in enumerate(zip(outs, refs)):
                    if out.dtype != ref.dtype or tuple(out.broadcastable) != ref.bc:
                        problems.append(
                            f"  graph type of output {k}: dtype {out.dtype}, broadcastable "
                            f"{tuple(out.broadcastable)}; Theano 1.0.5: {ref.dtype}, {ref.bc}")
            if exc is not None:
                if isinstance(exc, ZeroDivisionError) and (
                        ev.int_zero_division or ev.int_zero_division_possible):
                    continue
                problems.append(f"  {name}: {type(exc).__name__} at {where}: "
                                f"{str(exc).splitlines()[0] if str(exc) else ''}")
                continue
            if ev.int_zero_division and name == "None":
                problems.append(f"  {name}: no ZeroDivisionError for an integer division "
                                "by zero (Theano 1.0.5 raises it)")
                continue
            for k, (g, ref) in enumerate(zip(got, refs)):
                g = np.asarray(g)
                label = f"{name}" + (f" output {k}" if len(refs) > 1 else "")
                if str(g.dtype) != ref.dtype or g.shape != ref.v.shape:
                    problems.append(f"  {label}: result dtype {g.dtype} shape {g.shape}; "
                                    f"expected {ref.dtype} {ref.v.shape}")
                    continue
                bound = ref.err if name == "None" else ref.rerr
                bad = _mismatches(g, ref, bound)
                if bad:
                    problems.append(f"  {label}: values differ")
                    problems.extend(bad)
    if problems:
        excused = ", ".join(sorted(ev.used)) or "none"
        msg = "\n".join(["Theano and the reference disagree on",
                         *[f"  {src}" for src in case.outputs], *problems,
                         f"  (whitelist entries used: {excused})",
                         "Reproducer:", case.script()])
        raise Finding(msg)


_COUNTS = {"cases": 0, "failures": 0}


def _log_or_raise(case):
    __tracebackhide__ = True
    _COUNTS["cases"] += 1
    try:
        check(case)
    except Finding as f:
        if not LOG:
            raise
        _COUNTS["failures"] += 1
        with open(LOG, "a") as fh:
            fh.write(json.dumps({
                "src": case.src, "message": str(f),
                "extra": case.extra, "layouts": case.layouts,
                "inputs": [(n, d, list(b), graphs.format_array(v)) for n, d, b, v in
                           case.inputs]}) + "\n")


_settings = settings(
    max_examples=N_CASES, deadline=None, database=None, derandomize=SEED is None,
    suppress_health_check=list(HealthCheck), print_blob=False)


@_settings
@given(case=graphs.cases(floatX=theano.config.floatX))
def _fuzz(case):
    _log_or_raise(case)


def test_differential_fuzz():
    """N_CASES random graphs agree with the reference in all three modes."""
    if theano.config.cast_policy != "custom":
        pytest.skip("the reference implements cast_policy=custom")
    fn = seed(int(SEED))(_fuzz) if SEED is not None else _fuzz
    start = time.perf_counter()
    fn()
    if LOG:
        with open(LOG, "a") as fh:
            fh.write(json.dumps({"summary": dict(_COUNTS, seed=SEED, seconds=round(
                time.perf_counter() - start, 1), floatX=theano.config.floatX)}) + "\n")
