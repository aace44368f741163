"""The conformance runner (tools/conformance): the parts that need no network.

Extraction from a tiny fake sdist, the import redirection over a fake tests tree, the nose
adapter (yield tests, ``setup`` methods, SkipTest) and the fallback timeout in a real pytest
subprocess, outcome recording, and the tables.
"""

import importlib.util
import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from tests.support.paths import TOOLS

CONFORMANCE = Path(TOOLS) / "conformance"


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(name, CONFORMANCE / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = _load("_conformance_run", "run.py")
plugin = _load("_conformance_plugin", "theano_conformance_plugin.py")


def _fake_sdist(path, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(run.SDIST_TOP + "/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_extract_takes_only_test_folders(tmp_path):
    tarball = tmp_path / "Theano-1.0.5.tar.gz"
    _fake_sdist(tarball, {
        "setup.py": "",
        "theano/__init__.py": "ORIGINAL = 1\n",
        "theano/tensor/basic.py": "ORIGINAL = 1\n",
        "theano/tensor/tests/__init__.py": "",
        "theano/tensor/tests/test_a.py": "def test_a(): pass\n",
        "theano/tensor/tests/data.pkl": "x",
        "theano/tests/unittest_tools.py": "ORIGINAL = 1\n",
        "theano/tests/breakpoint.py": "ORIGINAL = 1\n",
        "theano/tests/test_b.py": "def test_b(): pass\n",
        "doc/tutorial/index.txt": "",
    })
    scratch = tmp_path / "scratch"
    run.extract_tests(tarball, scratch)
    files = sorted(p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if p.is_file())
    assert files == [
        ".complete",
        "pytest.ini",
        "theano/__init__.py",
        "theano/tensor/__init__.py",
        "theano/tensor/tests/__init__.py",
        "theano/tensor/tests/data.pkl",
        "theano/tensor/tests/test_a.py",
        "theano/tests/__init__.py",
        "theano/tests/test_b.py",
    ]
    # The package __init__ files above the tests are placeholders, not Theano's code.
    placeholders = ("theano/__init__.py", "theano/tensor/__init__.py", "theano/tests/__init__.py")
    for placeholder in placeholders:
        assert (scratch / placeholder).read_text() == run.PLACEHOLDER_INIT
    assert run.list_test_files(scratch) == ["theano/tensor/tests/test_a.py",
                                            "theano/tests/test_b.py"]
    assert run.list_test_files(scratch, "tensor") == ["theano/tensor/tests/test_a.py"]
    assert run.list_test_files(scratch, "theano/tests/*") == ["theano/tests/test_b.py"]


def test_is_test_member():
    assert run.is_test_member("theano/scan_module/tests/test_scan.py")
    assert run.is_test_member("theano/gof/tests/c_code/test_cenum.h")
    assert not run.is_test_member("theano/scan_module/scan.py")
    assert not run.is_test_member("theano/tests/unittest_tools.py")
    assert not run.is_test_member("doc/tests/x.py")
    assert not run.is_test_member("theano/tests")


@pytest.fixture
def fake_tree(tmp_path):
    root = tmp_path / "scratch"
    tests = root / "theano" / "tensor" / "tests"
    tests.mkdir(parents=True)
    (tests / "__init__.py").write_text("")
    (tests / "test_fake_cr.py").write_text(
        "import theano.tensor as T\nVALUE = 42\nTENSOR = T\n")
    (root / "theano" / "tensor" / "fake_lib_cr.py").write_text("raise AssertionError\n")
    top = root / "theano" / "tests"
    top.mkdir()
    (top / "test_top_cr.py").write_text("from theano.tests import unittest_tools\nOK = 1\n")
    (top / "unittest_tools.py").write_text("raise AssertionError('original served')\n")
    return root


def test_import_redirection(fake_tree):
    import theano.tensor

    finder = plugin.ScratchTestsFinder(fake_tree)
    sys.meta_path.insert(0, finder)
    added = ("theano.tensor.tests", "theano.tensor.tests.test_fake_cr",
             "theano.tests.test_top_cr")
    try:
        module = importlib.import_module("theano.tensor.tests.test_fake_cr")
        assert module.VALUE == 42
        assert module.__name__ == "theano.tensor.tests.test_fake_cr"
        assert Path(module.__file__) == fake_tree / "theano/tensor/tests/test_fake_cr.py"
        # The test module sees this project's theano.tensor, one module object.
        assert module.TENSOR is sys.modules["theano_compat.tensor"]
        package = sys.modules["theano.tensor.tests"]
        assert package.__path__ == [str(fake_tree / "theano/tensor/tests")]
        # A test file beside this project's theano.tests package; the project's
        # unittest_tools wins over the one in the tree.
        top = importlib.import_module("theano.tests.test_top_cr")
        assert top.OK == 1
        assert top.unittest_tools is sys.modules["theano_compat.tests.unittest_tools"]
        # Nothing outside a tests folder is ever served.
        assert finder.find_spec("theano.tensor.fake_lib_cr") is None
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("theano.tensor.fake_lib_cr")
        assert finder.find_spec("theano.tensor.tests.test_missing") is None
    finally:
        sys.meta_path.remove(finder)
        for name in added:
            sys.modules.pop(name, None)
        if hasattr(theano.tensor, "tests"):
            del theano.tensor.tests
        if hasattr(theano.tests, "test_top_cr"):
            del theano.tests.test_top_cr


NOSE_STYLE_TESTS = """
    import time
    from unittest import SkipTest

    from numpy.testing import dec

    def check(a, b):
        assert a + 1 == b

    def test_gen():
        for a, b in [(1, 2), (2, 3), (3, 5)]:
            yield check, a, b

    class TestNose:
        def setup(self):
            self.x = 5

        def teardown(self):
            assert self.x == 5

        def test_x(self):
            assert self.x == 5

        def test_gen(self):
            yield self.check, 5
            yield self.check, 6

        def check(self, v):
            assert self.x == v

    def test_skip():
        raise SkipTest("not here")

    def test_setup_error_gen():
        raise ValueError("broken generator")
        yield

    def test_slow():
        time.sleep(20)

    @dec.skipif(True, "gone")
    def test_dec_skip():
        assert False

    @dec.knownfailureif(lambda: False)
    def test_dec_gen():
        yield check, 1, 2
"""


def test_nose_adapter_and_recorder_in_pytest(tmp_path):
    (tmp_path / "test_nose_style.py").write_text(textwrap.dedent(NOSE_STYLE_TESTS))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = tmp_path / "out.json"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CONFORMANCE), env.get("PYTHONPATH")) if p)
    env["THEANO_CONFORMANCE_RESULT"] = str(result)
    env["THEANO_CONFORMANCE_TIMEOUT"] = "1"
    env.pop("THEANO_CONFORMANCE_SCRATCH", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "test_nose_style.py", "-c", "pytest.ini",
         "--rootdir", str(tmp_path), "-p", "theano_conformance_plugin", "-p", "no:timeout",
         "-p", "no:cacheprovider", "-p", "no:randomly", "-q"],
        check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    data = json.loads(result.read_text())
    prefix = "test_nose_style.py::"
    assert {k[len(prefix):]: v for k, v in data["tests"].items()} == {
        "test_gen[0]": "passed",
        "test_gen[1]": "passed",
        "test_gen[2]": "failed",
        "TestNose::test_x": "passed",
        "TestNose::test_gen[0]": "passed",
        "TestNose::test_gen[1]": "failed",
        "test_skip": "skipped",
        "test_setup_error_gen": "failed",
        "test_slow": "failed",
        "test_dec_skip": "skipped",
        "test_dec_gen[0]": "passed",
    }, proc.stdout
    assert data["collected"] == 11
    assert data["collection_errors"] == {}
    details = data["details"]
    assert details[prefix + "test_skip"] == "Skipped: not here"
    assert details[prefix + "test_setup_error_gen"] == "ValueError: broken generator"
    assert "timeout" in details[prefix + "test_slow"]


def test_first_cause():
    longrepr = textwrap.dedent("""\
        ImportError while importing test module '/x/theano/gof/tests/test_opt.py'.
        Traceback:
        theano/gof/tests/test_opt.py:5: in <module>
            from theano.gof.opt import OpSub
        E   ModuleNotFoundError: No module named 'theano.gof.opt'
        """)
    assert plugin.first_cause(longrepr) == "ModuleNotFoundError: No module named 'theano.gof.opt'"
    assert plugin.first_cause(("f.py", 3, "Skipped: why")) == "Skipped: why"
    # The module path of an ImportError message is dropped: causes are machine-independent.
    cause = "E   ImportError: cannot import name 'dec' from 'numpy.testing' (/venv/np/__init__.py)"
    assert plugin.first_cause(cause) == "ImportError: cannot import name 'dec' from 'numpy.testing'"
    assert plugin.first_cause(None) == ""


def test_numpy_shims_are_numpy1_spellings():
    import numpy as np

    shims = plugin.numpy_shims()
    assert shims["cast"]["float32"]([1, 2]).dtype == np.float32
    assert shims["product"]([2, 3, 4]) == 24
    assert shims["find_common_type"]([np.float32, np.int64], []) == np.float64
    assert shims["float"] is float


def test_scipy_kron_and_generator_stack_shims_follow_the_old_libraries():
    import numpy as np

    a, b = np.arange(1.0, 5.0).reshape(2, 2), np.array([[1.0, 10.0, 100.0]])
    assert plugin._scipy_kron(a, b).tolist() == np.kron(a, b).tolist()  # matrices: np.kron
    # Other ndims: the outer product concatenated twice along axis 1 (SciPy < 1.13), e.g.
    # (2, 3) x (6, 7, 8) -> (12, 21, 8) where np.kron gives (6, 14, 24).
    x, y = np.arange(6.0).reshape(2, 3), np.arange(336.0).reshape(6, 7, 8)
    got = plugin._scipy_kron(x, y)
    assert got.shape == (12, 21, 8)
    assert got[7, 9, 5] == x[1, 1] * y[1, 2, 5]  # row 1*6+1, column 1*7+2
    vstack = plugin._accepting_generators(np.vstack)
    assert vstack(np.full(2, i) for i in range(3)).tolist() == [[0, 0], [1, 1], [2, 2]]
    assert vstack([[1], [2]]).tolist() == [[1], [2]]
    unique = plugin._unique_flat_inverse(np.unique)
    values, index, inverse = unique(np.array([[2, 1], [3, 2]]), True, True)
    assert values.tolist() == [1, 2, 3] and inverse.tolist() == [1, 0, 2, 1]
    assert index.tolist() == [1, 0, 2]
    assert unique(np.array([[1, 1], [0, 0]]), return_inverse=True, axis=0)[1].ndim >= 1


def test_summaries_and_tables():
    data_a = {"collected": 4, "collection_errors": {},
              "tests": {"a::t1": "passed", "a::t2": "failed", "a::t3": "skipped",
                        "a::t4": "error"},
              "details": {"a::t2": "AssertionError"}}
    data_b = {"collected": 0, "tests": {}, "details": {},
              "collection_errors": {"b": "ModuleNotFoundError: No module named 'theano.compat'"}}
    rows = [
        run.summarize_file("theano/gof/tests/test_a.py", data_a, 1, False, 1.0, 60),
        run.summarize_file("theano/gof/tests/test_b.py", data_b, 2, False, 1.0, 60),
        run.summarize_file("theano/tests/test_c.py", None, None, True, 60.0, 60),
    ]
    assert [r["passed"] for r in rows] == [1, 0, 0]
    assert rows[2]["collection_error"] == "file ran past 60 s and was killed"
    folders = run.aggregate_folders(rows)
    assert [(f["folder"], f["files"], f["collected"], f["passed"], f["failed"], f["errors"],
             f["skipped"], f["collection_errors"]) for f in folders] == [
        ("theano/gof/tests", 2, 4, 1, 1, 1, 1, 1),
        ("theano/tests", 1, 0, 0, 0, 0, 0, 1),
        ("TOTAL", 3, 4, 1, 1, 1, 1, 2),
    ]
    table = run.folder_table(rows).splitlines()
    assert table[0].split() == ["folder", "files", "tests", "pass", "fail", "error", "skip",
                                "coll.err"]
    assert table[2].split() == ["theano/gof/tests", "2", "4", "1", "1", "1", "1", "1"]
    assert table[-1].split() == ["TOTAL", "3", "4", "1", "1", "1", "1", "2"]
    # Right-aligned numbers: every row has the same length up to the last column.
    assert len({len(line) for line in table}) == 1
    file_lines = run.file_table(rows).splitlines()
    assert file_lines[3].endswith("ModuleNotFoundError: No module named 'theano.compat'")
    assert run.top_causes(rows) == [
        ("ModuleNotFoundError: No module named 'theano.compat'", 1),
        ("file ran past 60 s and was killed", 1),
    ]


def test_numpy_in1d_shim_flattens_like_numpy1():
    import numpy as np

    in1d = plugin.numpy_shims()["in1d"]
    got = in1d(np.array([[1, 5], [3, 7]]), [3, 5])
    assert got.tolist() == [False, True, True, False]
    assert in1d([1, 2], [2], invert=True).tolist() == [True, False]


def test_reference_mode_finder_serves_scratch_copies(fake_tree):
    """Under the original Theano the scratch tree's test modules are served even where the
    package has its own copy; a placeholder package (theano.tests) stays the original's."""
    (fake_tree / "theano" / "tests" / "__init__.py").write_text(run.PLACEHOLDER_INIT)
    normal = plugin.ScratchTestsFinder(fake_tree)
    reference = plugin.ScratchTestsFinder(fake_tree, reference=True)
    # This project provides theano.tests.unittest_tools: a normal run never serves the tree's.
    assert normal.find_spec("theano.tests.unittest_tools") is None
    spec = reference.find_spec("theano.tests.unittest_tools")
    assert Path(spec.origin) == fake_tree / "theano/tests/unittest_tools.py"
    assert reference.find_spec("theano.tests") is None  # placeholder: the original's package
    spec = reference.find_spec("theano.tensor.tests.test_fake_cr")
    assert Path(spec.origin) == fake_tree / "theano/tensor/tests/test_fake_cr.py"
    assert reference.find_spec("theano.tensor.fake_lib_cr") is None  # never library code


def test_data_files_are_extracted_beside_the_placeholder(tmp_path):
    tarball = tmp_path / "Theano-1.0.5.tar.gz"
    data = "1 2 3\n"
    _fake_sdist(tarball, {
        "theano/sandbox/rng_mrg.py": "ORIGINAL = 1\n",
        "theano/sandbox/samples_MRG31k3p_12_7_5.txt": data,
        "theano/sandbox/tests/test_rng_mrg.py": "def test_a(): pass\n",
    })
    scratch = tmp_path / "scratch"
    run.extract_tests(tarball, scratch)
    assert (scratch / "theano/sandbox/samples_MRG31k3p_12_7_5.txt").read_text() == data
    assert not (scratch / "theano/sandbox/rng_mrg.py").exists()  # data only, never code
    # Additive: a missing data file is restored without rebuilding the tree.
    (scratch / "theano/sandbox/samples_MRG31k3p_12_7_5.txt").unlink()
    run.extract_data_files(tarball, scratch)
    assert (scratch / "theano/sandbox/samples_MRG31k3p_12_7_5.txt").read_text() == data


def test_reference_outcomes_and_comparison_table(tmp_path):
    here_a = {"collected": 4, "collection_errors": {},
              "tests": {"f/tests/test_a.py::t1": "passed", "f/tests/test_a.py::t2": "failed",
                        "f/tests/test_a.py::t3": "failed", "f/tests/test_a.py::t4": "passed"},
              "details": {}}
    ref_a = {"collected": 4, "collection_errors": {},
             "tests": {"f/tests/test_a.py::t1": "passed", "f/tests/test_a.py::t2": "passed",
                       "f/tests/test_a.py::t3": "passed", "f/tests/test_a.py::t4": "skipped"},
             "details": {}}
    here_b = {"collected": 0, "tests": {}, "details": {},
              "collection_errors": {"b": "ModuleNotFoundError: No module named 'x'"}}
    ref_b = {"collected": 2, "collection_errors": {}, "details": {},
             "tests": {"g/tests/test_b.py::t1": "passed", "g/tests/test_b.py::t2": "error"}}
    path = tmp_path / "reference.json"
    reference = run.load_reference(path)
    for rel, data in (("f/tests/test_a.py", ref_a), ("g/tests/test_b.py", ref_b)):
        row = run.summarize_file(rel, data, 0, False, 1.0, 60)
        run.write_reference(run.merge_reference(reference, row), path)
    stored = json.loads(path.read_text())
    assert stored["tests"] == {"f/tests/test_a.py::t1": "pass", "f/tests/test_a.py::t2": "pass",
                               "f/tests/test_a.py::t3": "pass", "f/tests/test_a.py::t4": "skip",
                               "g/tests/test_b.py::t1": "pass", "g/tests/test_b.py::t2": "error"}
    assert stored["meta"]["counts"] == {"error": 1, "pass": 4, "skip": 1}
    # Re-recording a file replaces its entries only.
    row = run.summarize_file("g/tests/test_b.py", dict(ref_b, tests={"g/tests/test_b.py::t1":
                                                                      "failed"}),
                             0, False, 1.0, 60)
    reference = run.merge_reference(run.load_reference(path), row)
    assert reference["tests"]["g/tests/test_b.py::t1"] == "fail"
    assert "g/tests/test_b.py::t2" not in reference["tests"]
    assert reference["tests"]["f/tests/test_a.py::t4"] == "skip"

    reference = run.load_reference(path)
    rows = [run.summarize_file("f/tests/test_a.py", here_a, 1, False, 1.0, 60),
            run.summarize_file("g/tests/test_b.py", here_b, 2, False, 1.0, 60),
            run.summarize_file("h/tests/test_c.py", here_a, 1, False, 1.0, 60)]
    expected = {"f/tests/test_a.py::t3": {"category": "c-code", "reason": "C"},
                "f/tests/test_a.py::t2": {"category": "open", "reason": "todo"}}
    comp = {a["folder"]: a for a in run.comparison_rows(rows, reference, expected)}
    # f: t1 passes in both, t2 (open) and t3 (a deviation) pass only under the original.
    assert {k: comp["f/tests"][k] for k in ("tests", "here", "original", "both",
                                            "deviations", "failing")} == {
        "tests": 4, "here": 2, "original": 3, "both": 1, "deviations": 1, "failing": 1}
    # g does not import here: every test that passed under the original fails.
    assert (comp["g/tests"]["original"], comp["g/tests"]["failing"]) == (1, 1)
    assert comp["h/tests"]["recorded"] is False
    assert (comp["TOTAL"]["original"], comp["TOTAL"]["both"]) == (4, 1)
    table = run.comparison_table(rows, reference, expected).splitlines()
    assert table[0].split() == ["folder", "tests", "pass", "here", "pass", "orig.",
                                "here/orig.", "deviations", "failing"]
    assert table[2].split() == ["f/tests", "4", "2", "3", "33.3%", "1", "1"]
    assert table[3].split() == ["g/tests", "2", "0", "1", "0.0%", "0", "1"]
    # h was never recorded under the original (its ids happen to be a's: one deviation).
    assert table[4].split() == ["h/tests", "4", "2", "n/a", "n/a", "1", "n/a"]
    assert table[5].split() == ["TOTAL", "10", "4", "4", "25.0%", "2", "2"]


def test_find_common_type_shim_follows_numpy1_kinds():
    # NumPy 1.x's documented rule: the scalar types count only when of a higher kind than
    # the arrays' (values as NumPy 1.23 printed them).
    import numpy as np

    find = plugin.numpy_shims()["find_common_type"]
    assert find(["int8"], ["float16"]) == np.float16
    assert find(["float32"], ["float64"]) == np.float32
    assert find(["int32"], ["float32"]) == np.float64
    assert find(["uint8"], ["int8"]) == np.int16
    assert find(["float32"], ["complex64"]) == np.complex64
    assert find(["int64"], []) == np.int64 and find([], ["int8"]) == np.int8
