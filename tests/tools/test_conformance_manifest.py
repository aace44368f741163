"""tools/conformance/manifest.py: the expected-outcomes manifest of the conformance run."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from tests.support.paths import TOOLS


@pytest.fixture()
def manifest(monkeypatch):
    path = os.path.join(TOOLS, "conformance", "manifest.py")
    spec = importlib.util.spec_from_file_location("conformance_manifest", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "conformance_manifest", module)
    spec.loader.exec_module(module)
    return module


A = "theano/tensor/tests/test_a.py"
CC = "theano/gof/tests/test_cc.py"


def _run(tests, files=None, details=None):
    files = files or {}
    for t in tests:
        files.setdefault(t.split("::")[0], {"collection_error": None})
    return {"tests": tests, "files": files, "details": details or {}}


def test_update_classifies_pass_deviation_open_and_files(manifest):
    run = _run({f"{A}::t_ok": "passed", f"{A}::t_bad": "failed", f"{CC}::t_c": "failed",
                f"{A}::t_skip": "skipped"},
               files={"theano/x/tests/test_b.py": {"collection_error": "ImportError: no y"}},
               details={f"{A}::t_bad": "AssertionError: 1 != 2\nmore"})
    m = manifest.update(run, {"tests": {}, "files": {}})
    assert m["tests"][f"{A}::t_ok"] == "pass" and m["tests"][f"{A}::t_skip"] == "pass"
    assert m["tests"][f"{A}::t_bad"] == {"category": "open", "reason": "AssertionError: 1 != 2"}
    assert m["tests"][f"{CC}::t_c"]["category"] == "c-code"
    assert m["files"] == {"theano/x/tests/test_b.py": {"category": "open",
                                                       "reason": "ImportError: no y"}}
    assert manifest.check_categories(m) == []
    assert manifest.counts(m) == ({"c-code": 1, "open": 1, "pass": 2}, {"open": 1})


def test_update_keeps_a_deviation_given_by_hand(manifest):
    wrong = {"category": "theano-wrong", "reason": "Theano's result overflowed"}
    previous = {"tests": {f"{A}::t": wrong}, "files": {}}
    assert manifest.update(_run({f"{A}::t": "failed"}), previous)["tests"][f"{A}::t"] == wrong


def test_compare_finds_regressions_and_tests_that_now_pass(manifest):
    expected = {"tests": {f"{A}::p": "pass", f"{A}::p2": "pass",
                          f"{A}::o": {"category": "open", "reason": "x"},
                          f"{CC}::d": {"category": "c-code", "reason": "y"},
                          "theano/z/tests/test_z.py::p": "pass"},
                "files": {"theano/x/tests/test_b.py": {"category": "open", "reason": "z"}}}
    run = _run({f"{A}::p": "failed", f"{A}::p2": "skipped", f"{A}::o": "passed",
                f"{CC}::d": "passed", f"{A}::new": "passed",
                "theano/x/tests/test_b.py::t": "passed"},
               files={"theano/z/tests/test_z.py": {"collection_error": "ImportError"}})
    got = manifest.compare(run, expected)
    assert got["regressions"] == [f"{A}::p", "theano/z/tests/test_z.py::p"]
    assert got["open_passing"] == [f"{A}::o"]
    assert got["deviations_passing"] == [f"{CC}::d"]
    assert got["unknown"] == [f"{A}::new", "theano/x/tests/test_b.py::t"]
    assert got["files_importing"] == ["theano/x/tests/test_b.py"]


def test_categories_are_only_the_allowed_ones(manifest):
    assert set(manifest.CATEGORIES) == {"c-code", "gpu", "python2", "theano-wrong"}
    bad = {"tests": {f"{A}::t": {"category": "not-implemented", "reason": "later"},
                     f"{A}::u": {"category": "c-code", "reason": ""}}, "files": {}}
    assert sorted(manifest.check_categories(bad)) == [f"{A}::t", f"{A}::u"]


def test_the_committed_manifest_is_well_formed(manifest):
    m = manifest.load()
    if not m["tests"] and not m["files"]:
        pytest.skip("no manifest recorded yet")
    assert manifest.check_categories(m) == []
