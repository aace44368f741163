"""The expected-outcomes manifest of the conformance run (tools/conformance/expected.json).

Every test id of Theano 1.0.5's suite (outside the GPU back-ends and d3viz) has one entry:

* ``"pass"``: the test passes here; a run in which it does not is a regression (the runner
  exits non-zero);
* a deviation, ``{"category": C, "reason": "..."}``, with C one of `CATEGORIES`: the test
  checks something this project deliberately does not do (C code, GPU back-ends, Python 2)
  or something Theano itself got wrong;
* ``{"category": "open", "reason": "..."}``: the test fails today for a reason that is not a
  deviation.  This is the work queue, listed so that nothing fails unseen; it is not an
  allowed end state, and the runner reports every open test that starts to pass.

A test file that fails at collection has no test ids yet: the manifest lists it under
``files`` with the collection error (open, unless a file rule makes it a deviation), and its
tests appear once it imports.

Deviation rules by file (`FILE_DEVIATIONS`) give whole files of C-code or Python-2 tests their
category and reason; single tests can be given theirs in the manifest itself, and an update
(`update`) keeps what the previous manifest said of a test that still fails.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent / "expected.json"

CATEGORIES = {
    "c-code": "tests C code generation, the C compile cache or BLAS linking, which this "
              "pure-Python project does not have",
    "gpu": "tests a GPU back-end of the original (CUDA / libgpuarray)",
    "python2": "tests Python 2 behaviour",
    "theano-wrong": "Theano 1.0.5 itself was wrong here (the reason says how)",
}
OPEN = "open"

# {glob over test ids: (category, reason)} for tests whose whole subject is a deviation.
FILE_DEVIATIONS = {
    "theano/gof/tests/test_cc.py::*": ("c-code", "tests the C linker (CLinker, DualLinker)"),
    "theano/gof/tests/test_cmodule.py::*": ("c-code", "tests the C module cache"),
    "theano/gof/tests/test_lazy.py::*": ("c-code", "tests the C lazy linker (CVM)"),
    "theano/tensor/tests/test_blas_c.py::*": ("c-code", "tests the C BLAS Ops (CGemv, CGer)"),
    "theano/misc/tests/test_cudamat_utils.py::*": ("gpu", "tests cudamat interop"),
    "theano/misc/tests/test_gnumpy_utils.py::*": ("gpu", "tests gnumpy interop"),
    "theano/misc/tests/test_pycuda*": ("gpu", "tests PyCUDA interop"),
}


def load(path=MANIFEST):
    """The manifest as {"tests": {id: entry}, "files": {file: entry}} (empty when absent)."""
    path = Path(path)
    if not path.exists():
        return {"tests": {}, "files": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"tests": data.get("tests", {}), "files": data.get("files", {})}


def file_rule(test_id):
    """(category, reason) of the file rule matching `test_id`, or None."""
    for pattern, rule in FILE_DEVIATIONS.items():
        if fnmatch.fnmatch(test_id, pattern):
            return rule
    return None


def category(entry):
    return "pass" if entry == "pass" else entry["category"]


def compare(run, manifest):
    """Compare a run (the runner's JSON: ``files`` and ``tests``) with the manifest.

    Returns a dict of sorted lists: ``regressions`` (tests expected to pass that did not,
    including those of a file that no longer imports), ``deviations_passing`` (marked as a
    deviation, passed), ``open_passing`` (in the work queue, passed), ``unknown`` (run but
    not in the manifest), ``files_importing`` (listed as not importing, now collected)."""
    result = {"regressions": [], "deviations_passing": [], "open_passing": [], "unknown": [],
              "files_importing": []}
    outcomes, expected = run["tests"], manifest["tests"]
    for rel, info in run["files"].items():
        if info.get("collection_error"):
            result["regressions"] += [t for t, e in expected.items()
                                      if e == "pass" and t.startswith(rel + "::")]
        elif rel in manifest["files"]:
            result["files_importing"].append(rel)
    for test_id, outcome in outcomes.items():
        entry = expected.get(test_id)
        passed = outcome in ("passed", "xpassed")
        if entry is None:
            result["unknown"].append(test_id)
        elif entry == "pass":
            if not passed and outcome != "skipped":
                result["regressions"].append(test_id)
        elif passed:
            key = "open_passing" if entry["category"] == OPEN else "deviations_passing"
            result[key].append(test_id)
    return {k: sorted(v) for k, v in result.items()}


def update(run, previous):
    """The manifest for a run: passing (and skipped, when they passed before or are new)
    tests are "pass"; a failing test keeps a deviation it had, else takes its file rule,
    else is open with its failure cause (the run's ``details``); files that fail at
    collection are listed with their error."""
    causes = run.get("details", {})
    tests, files = {}, {}
    for rel, info in sorted(run["files"].items()):
        if info.get("collection_error"):
            rule = file_rule(rel + "::")
            old = previous["files"].get(rel)
            if old is not None and old["category"] != OPEN:
                files[rel] = old
            elif rule is not None:
                files[rel] = {"category": rule[0], "reason": rule[1]}
            else:
                files[rel] = {"category": OPEN, "reason": info["collection_error"][:160]}
    for test_id, outcome in sorted(run["tests"].items()):
        old = previous["tests"].get(test_id)
        if outcome in ("passed", "xpassed") or (outcome == "skipped" and old in (None, "pass")):
            tests[test_id] = "pass"
            continue
        if old not in (None, "pass") and old["category"] != OPEN:
            tests[test_id] = old
            continue
        rule = file_rule(test_id)
        if rule is not None:
            tests[test_id] = {"category": rule[0], "reason": rule[1]}
        else:
            cause = (causes.get(test_id) or outcome).strip().splitlines()
            tests[test_id] = {"category": OPEN, "reason": (cause[0] if cause else outcome)[:160]}
    return {"tests": tests, "files": files}


def counts(manifest):
    """{category or "pass": number of tests}, and {category: number of files}."""
    tests, files = {}, {}
    for entry in manifest["tests"].values():
        tests[category(entry)] = tests.get(category(entry), 0) + 1
    for entry in manifest["files"].values():
        files[category(entry)] = files.get(category(entry), 0) + 1
    return dict(sorted(tests.items())), dict(sorted(files.items()))


def write(manifest, path=MANIFEST):
    test_counts, file_counts = counts(manifest)
    data = {"categories": CATEGORIES, "counts": {"tests": test_counts, "files": file_counts},
            "files": manifest["files"], "tests": manifest["tests"]}
    Path(path).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


def check_categories(manifest):
    """Test ids and files whose entry has a category that is not allowed or no reason."""
    bad = []
    for test_id, entry in [*manifest["tests"].items(), *manifest["files"].items()]:
        if entry == "pass":
            continue
        if entry.get("category") not in (*CATEGORIES, OPEN) or not entry.get("reason"):
            bad.append(test_id)
    return bad
