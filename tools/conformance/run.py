"""Run Theano 1.0.5's own test suite against this project (the conformance runner).

    python tools/conformance/run.py [PATTERN] [--jobs N] [--timeout S] [--json OUT]

At run time it downloads the ``theano==1.0.5`` sdist with pip into a cache outside the
repository (``$THEANO_COMPAT_CONFORMANCE_CACHE``, default ``~/.cache/theano-compat/conformance``),
extracts only its ``theano/**/tests/**`` folders into a scratch tree there, and runs each test
file in its own pytest process.  In those processes ``theano`` is this project; the plugin
``theano_conformance_plugin`` serves ``theano.<pkg>.tests.*`` from the scratch tree and nothing
else of the original Theano exists anywhere on the path.  The runner's own dependencies
(pytest-timeout, pynose, parameterized, mock: the ``conformance`` extra) are installed on demand
into the cache, not into the environment, unless they are already importable.

PATTERN selects test files: a glob (``theano/tensor/tests/test_b*``) or a substring of the path
(``scan_module``).  The GPU back-ends and d3viz are left out unless ``--all`` is given.

The outcomes are compared with the manifest ``tools/conformance/expected.json`` (manifest.py says
what it holds): the run exits 1 when a test the manifest expects to pass does not, and lists the
tests that now pass although the manifest marks them as deviations or open.
``--update-expected`` rewrites the manifest's entries for the files run; ``--quick`` runs the
files of `QUICK_FILES`, a subset of a few minutes that CI runs.

``--reference`` runs the same files, with the same plugin and timeouts, under the ORIGINAL
Theano 1.0.5 (the python of ``../shared/tools/theano-ref``'s private venv, ``THEANO_FLAGS``
``cxx=``: Theano's pure-Python mode; pytest and the runner's helpers go into a cache folder on
that python's path) and merges each file's outcomes into ``tools/conformance/reference.json``
(test id -> pass / fail / skip / error: recorded data, no Theano code).  A normal run then
reports, per folder, how many of the tests that pass under the original pass here.
"""

import argparse
import importlib.util
import concurrent.futures
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REFERENCE_PATH = HERE / "reference.json"
# The script that runs Python under the original Theano (builds its venv on first use).
DEFAULT_THEANO_REF = REPO.parent / "shared" / "tools" / "theano-ref"
SDIST_SPEC = "theano==1.0.5"
SDIST_TOP = "Theano-1.0.5"
PLUGIN = "theano_conformance_plugin"
SCRATCH_VERSION = "2"  # bump when the extraction rules change, to rebuild cached scratch trees

# Modules that live in Theano's ``theano/tests`` folder but are library code or the old test
# driver, not tests: this project must provide them itself (theano.tests.unittest_tools), so the
# original is never extracted.
NOT_TEST_FILES = {
    "theano/tests/__init__.py",
    "theano/tests/unittest_tools.py",
    "theano/tests/main.py",
    "theano/tests/run_tests_in_batch.py",
    "theano/tests/breakpoint.py",
    "theano/tests/record.py",
}
# Data files of the sdist that test files read from the package directory (``theano.__file__``'s
# folder): extracted into the scratch tree at the same relative path; in the test processes
# ``theano.__file__`` names the scratch tree's ``theano/__init__.py`` (the plugin), so the tests
# find them there.  Data only, never code.
DATA_FILES = ("theano/sandbox/samples_MRG31k3p_12_7_5.txt",)
# Left out unless --all: CUDA back-ends (no GPU path of the original to match) and d3viz.
DEFAULT_EXCLUDED_FOLDERS = ("theano/gpuarray/", "theano/sandbox/cuda/", "theano/d3viz/")

# module name -> pip requirement, installed into the cache when missing
DEPENDENCIES = {
    "pytest_timeout": "pytest-timeout>=2.1",
    "nose": "pynose>=1.5",
    "parameterized": "parameterized>=0.9",
    "mock": "mock>=5",
    "six": "six>=1.16",  # the test files import it directly (Theano 1.0.5 depended on it)
}
# Reference mode: the original's venv has no pytest; the same major version as here.
REFERENCE_DEPENDENCIES = {"pytest": "pytest>=8,<10", **DEPENDENCIES}

# The quick subset (CI): files that import and pass, from several folders, a few minutes in all.
QUICK_FILES = (
    "theano/compile/tests/test_nanguardmode.py",
    "theano/misc/tests/test_pkl_utils.py",
    "theano/scalar/tests/test_div_future.py",
    "theano/scan_module/tests/test_scan_checkpoints.py",
    "theano/scan_module/tests/test_scan_opt.py",
    "theano/tensor/tests/test_complex.py",
    "theano/tensor/tests/test_inc_subtensor.py",
    "theano/tests/test_2nd_order_grads.py",
    "theano/tests/test_pickle_unpickle_theano_fn.py",
    "theano/tests/test_updates.py",
    "theano/compile/tests/test_function.py",
    "theano/gof/tests/test_opt.py",
    "theano/scalar/tests/test_basic.py",
    "theano/sparse/tests/test_basic.py",
    "theano/tensor/tests/test_fft.py",
    "theano/tensor/tests/test_opt_uncanonicalize.py",
    "theano/tensor/tests/test_sort.py",
    "theano/tensor/tests/test_xlogx.py",
    "theano/tests/test_gradient.py",
    "theano/tests/test_record.py",
    "theano/typed_list/tests/test_basic.py",
)

PLACEHOLDER_INIT = (
    '"""Placeholder written by the conformance runner so pytest names test modules\n'
    'theano.<pkg>.tests.*; the real package is theano-compat\'s."""\n'
    "raise ImportError('conformance placeholder: this package must come from theano-compat')\n"
)


# --------------------------------------------------------------------------- cache and scratch


def cache_dir():
    env = os.environ.get("THEANO_COMPAT_CONFORMANCE_CACHE")
    if env:
        return Path(env).expanduser().resolve()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser().resolve() / "theano-compat" / "conformance"


def fetch_sdist(cache):
    """The sdist tarball in the cache, downloaded with pip the first time."""
    sdist_dir = cache / "sdist"
    found = sorted(sdist_dir.glob("[Tt]heano-1.0.5.tar.gz"))
    if found:
        return found[0]
    sdist_dir.mkdir(parents=True, exist_ok=True)
    print(f"downloading {SDIST_SPEC} sdist into {sdist_dir} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         "-q", "-d", str(sdist_dir), SDIST_SPEC],
        check=True,
    )
    found = sorted(sdist_dir.glob("[Tt]heano-1.0.5.tar.gz"))
    if not found:
        raise SystemExit(f"pip did not leave a Theano-1.0.5.tar.gz in {sdist_dir}")
    return found[0]


def is_test_member(relpath):
    """True for the paths the scratch tree takes: files under a ``tests`` folder of the
    ``theano`` package, minus the library modules listed in NOT_TEST_FILES."""
    parts = relpath.split("/")
    return (
        len(parts) >= 3
        and parts[0] == "theano"
        and "tests" in parts[1:-1]
        and relpath not in NOT_TEST_FILES
    )


def extract_tests(tarball, scratch):
    """Extract only the test folders of ``tarball`` under ``scratch/theano/...``.

    Every package directory above a tests folder gets a placeholder ``__init__.py`` (never
    imported: ``theano`` is this project's by then) so that pytest derives the module names
    ``theano.<pkg>.tests.<file>``.
    """
    marker = scratch / ".complete"
    if marker.exists() and marker.read_text() == SCRATCH_VERSION:
        return
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    prefix = SDIST_TOP + "/"
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            relpath = member.name[len(prefix):]
            if not is_test_member(relpath):
                continue
            target = scratch / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    write_placeholders(scratch)
    extract_data_files(tarball, scratch)
    (scratch / "pytest.ini").write_text(
        "[pytest]\n"
        "python_files = test_*.py\n"
        "python_classes = Test* *Test *_test\n"
        "python_functions = test*\n"
        "addopts = -p no:cacheprovider -p no:randomly\n"
    )
    marker.write_text(SCRATCH_VERSION)


def extract_data_files(tarball, scratch):
    """Extract the `DATA_FILES` the scratch tree lacks (additive: safe while other runs use
    the tree)."""
    missing = [rel for rel in DATA_FILES if not (scratch / rel).exists()]
    if not missing:
        return
    with tarfile.open(tarball) as tar:
        for rel in missing:
            try:
                member = tar.getmember(f"{SDIST_TOP}/{rel}")
            except KeyError:
                continue
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            with tar.extractfile(member) as src, open(partial, "wb") as dst:
                shutil.copyfileobj(src, dst)
            partial.replace(target)


def write_placeholders(scratch):
    """Placeholder ``__init__.py`` in each package directory above a test file that has none
    (the non-test packages, and ``theano/tests`` whose real ``__init__`` is this project's)."""
    for test_file in list(scratch.rglob("*.py")):
        directory = test_file.parent
        while directory != scratch:
            placeholder = directory / "__init__.py"
            if not placeholder.exists():
                placeholder.write_text(PLACEHOLDER_INIT)
            directory = directory.parent


def list_test_files(scratch, pattern=None, include_all=False):
    """Relative paths (``theano/.../tests/test_x.py``) of the test files to run, sorted."""
    files = []
    for path in sorted(scratch.rglob("test_*.py")):
        rel = path.relative_to(scratch).as_posix()
        if "/tests/" not in "/" + rel:
            continue
        if not include_all and rel.startswith(DEFAULT_EXCLUDED_FOLDERS):
            continue
        if pattern and not matches(rel, pattern):
            continue
        files.append(rel)
    return files


def matches(rel, pattern):
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, f"*{pattern}*")
    return pattern in rel


# --------------------------------------------------------------------------- dependencies


def missing_dependencies(env_path, python=(sys.executable,), deps=DEPENDENCIES):
    """Requirements whose module cannot be imported with ``env_path`` prepended."""
    code = (
        "import importlib.util, sys\n"
        f"names = {list(deps)!r}\n"
        "print(' '.join(n for n in names if importlib.util.find_spec(n) is None))\n"
    )
    env = dict(os.environ, PYTHONPATH=env_path)
    out = subprocess.run([*python, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return [deps[name] for name in out]


def ensure_dependencies(cache, install=True, python=None):
    """Install missing runner dependencies into ``cache/site`` (not into the environment:
    other users of the venv keep their plugin set).  Returns the site directory.

    With ``python`` (the command of the original Theano's python, reference mode) they go
    into ``cache/reference-site``, pytest included."""
    if python is None:
        site, python, deps, no_deps = cache / "site", (sys.executable,), DEPENDENCIES, True
    else:
        site, deps, no_deps = cache / "reference-site", REFERENCE_DEPENDENCIES, False
    site.mkdir(parents=True, exist_ok=True)
    missing = missing_dependencies(str(site), python, deps)
    if missing and install:
        print(f"installing {' '.join(missing)} into {site} ...", flush=True)
        # --no-deps here: they need only pytest, which is already here; a second pytest in the
        # target folder would shadow the environment's.  The reference python has no pytest,
        # so there it comes with its dependencies.
        subprocess.run([*python, "-m", "pip", "install", "-q",
                        *(["--no-deps"] if no_deps else []),
                        "--target", str(site), *missing], check=True)
        missing = missing_dependencies(str(site), python, deps)
    if missing:
        print(f"warning: runner dependencies missing: {' '.join(missing)}", flush=True)
    return site


# --------------------------------------------------------------------------- running


def run_file(rel, scratch, work, site, timeout, file_timeout, shims, reference=None):
    """Run one test file in its own pytest process; return its result dict.

    ``reference``: the command of the original Theano's python (reference mode), else None."""
    key = rel.replace("/", "__")
    result_path = work / "results" / (key + ".json")
    log_path = work / "logs" / (key + ".log")
    result_path.unlink(missing_ok=True)
    env = dict(os.environ)
    # Reference mode: nothing of this project on the path (only the plugin and the helpers).
    inherited = "" if reference else os.environ.get("PYTHONPATH", "")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), str(site), inherited) if p)
    env["THEANO_CONFORMANCE_SCRATCH"] = str(scratch)
    env["THEANO_CONFORMANCE_RESULT"] = str(result_path)
    env["THEANO_CONFORMANCE_TIMEOUT"] = str(timeout)
    env["THEANO_CONFORMANCE_SHIMS"] = "1" if shims else "0"
    env["THEANO_CONFORMANCE_REFERENCE"] = "1" if reference else "0"
    if reference:
        # Theano's pure-Python mode: no C compiler (theano-ref adds its compiledir).
        flags = os.environ.get("THEANO_FLAGS", "")
        env["THEANO_FLAGS"] = "cxx=" + ("," + flags if flags else "")
    python = list(reference) if reference else [sys.executable]
    cmd = [
        *python, "-P", "-m", "pytest", str(scratch / rel),
        "-c", str(scratch / "pytest.ini"), "--rootdir", str(scratch),
        "-p", PLUGIN, "-q", "-rN", "--tb=short", "-W", "ignore::DeprecationWarning",
    ]
    if timeout > 0 and ((site / "pytest_timeout.py").exists()
                        or (not reference and _importable("pytest_timeout"))):
        # pytest-timeout registers itself through its entry point (found on PYTHONPATH too);
        # without it the plugin's own signal-based timer takes over.
        cmd += [f"--timeout={timeout:g}"]
    start = time.monotonic()
    killed = False
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            proc = subprocess.run(cmd, check=False, cwd=str(work), env=env, stdout=log,
                                  stderr=subprocess.STDOUT, timeout=file_timeout)
            returncode = proc.returncode
        except subprocess.TimeoutExpired:
            killed = True
            returncode = None
    elapsed = time.monotonic() - start
    data = None
    if result_path.exists():
        try:
            data = json.loads(result_path.read_text(encoding="utf-8"))
        except ValueError:
            data = None
    return summarize_file(rel, data, returncode, killed, elapsed, file_timeout, log_path)


def _importable(name):
    return importlib.util.find_spec(name) is not None


def summarize_file(rel, data, returncode, killed, elapsed, file_timeout, log_path=None):
    """Per-file summary from the plugin's JSON (``data``, None when the process died)."""
    row = {"file": rel, "collected": 0, "passed": 0, "failed": 0, "errors": 0, "skipped": 0,
           "collection_error": None, "seconds": round(elapsed, 1), "tests": {}, "details": {}}
    if data is None:
        if killed:
            row["collection_error"] = f"file ran past {file_timeout:g} s and was killed"
        else:
            cause = last_log_line(log_path) if log_path else ""
            row["collection_error"] = f"pytest exited {returncode} without results: {cause}"
        return row
    tests = data.get("tests", {})
    counts = Counter(tests.values())
    row.update(
        collected=data.get("collected", 0) or len(tests),
        passed=counts["passed"] + counts["xpassed"],
        failed=counts["failed"],
        errors=counts["error"],
        skipped=counts["skipped"] + counts["xfailed"],
        tests=tests,
        details=data.get("details", {}),
    )
    errors = data.get("collection_errors", {})
    if errors:
        row["collection_error"] = next(iter(errors.values())) or "collection error"
    return row


def last_log_line(log_path):
    try:
        lines = [x for x in Path(log_path).read_text(errors="replace").splitlines() if x.strip()]
    except OSError:
        return ""
    return lines[-1][:200] if lines else ""


# --------------------------------------------------------------------------- reporting


def folder_of(rel):
    """``theano/tensor/tests/test_basic.py`` -> ``theano/tensor/tests``."""
    return rel.rsplit("/", 1)[0]


def aggregate_folders(rows):
    folders = {}
    for row in rows:
        agg = folders.setdefault(folder_of(row["file"]), {
            "folder": folder_of(row["file"]), "files": 0, "collected": 0, "passed": 0,
            "failed": 0, "errors": 0, "skipped": 0, "collection_errors": 0})
        agg["files"] += 1
        for key in ("collected", "passed", "failed", "errors", "skipped"):
            agg[key] += row[key]
        agg["collection_errors"] += row["collection_error"] is not None
    total = {"folder": "TOTAL", "files": 0, "collected": 0, "passed": 0, "failed": 0,
             "errors": 0, "skipped": 0, "collection_errors": 0}
    for agg in folders.values():
        for key in total:
            if key != "folder":
                total[key] += agg[key]
    return [folders[k] for k in sorted(folders)] + [total]


def format_table(headers, rows, right=()):
    """Plain-text table: columns padded to their widest cell; ``right`` columns right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        out = [c.rjust(w) if i in right else c.ljust(w)
               for i, (c, w) in enumerate(zip(r, widths))]
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def file_table(rows, cause_width=70):
    body = []
    for r in rows:
        cause = r["collection_error"] or ""
        if len(cause) > cause_width:
            cause = cause[: cause_width - 3] + "..."
        body.append([r["file"], r["collected"], r["passed"], r["failed"], r["errors"],
                     r["skipped"], cause])
    return format_table(
        ["file", "tests", "pass", "fail", "error", "skip", "collection error"],
        body, right={1, 2, 3, 4, 5})


def folder_table(rows):
    body = [[a["folder"], a["files"], a["collected"], a["passed"], a["failed"], a["errors"],
             a["skipped"], a["collection_errors"]] for a in aggregate_folders(rows)]
    return format_table(
        ["folder", "files", "tests", "pass", "fail", "error", "skip", "coll.err"],
        body, right={1, 2, 3, 4, 5, 6, 7})


# --------------------------------------------------------------------------- reference outcomes

REFERENCE_OUTCOMES = {"passed": "pass", "xpassed": "pass", "failed": "fail", "error": "error",
                      "skipped": "skip", "xfailed": "skip"}


def load_reference(path=REFERENCE_PATH):
    """The recorded outcomes under the original Theano: {"meta", "files", "tests"}."""
    path = Path(path)
    if not path.exists():
        return {"meta": {}, "files": {}, "tests": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {"meta": data.get("meta", {}), "files": data.get("files", {}),
            "tests": data.get("tests", {})}


def merge_reference(reference, row):
    """Replace the entries of ``row``'s file in ``reference`` by the row's outcomes."""
    rel = row["file"]
    tests = {t: o for t, o in reference["tests"].items() if t.split("::")[0] != rel}
    tests.update({t: REFERENCE_OUTCOMES.get(o, o) for t, o in row["tests"].items()})
    reference["tests"] = dict(sorted(tests.items()))
    reference["files"][rel] = {"collected": row["collected"],
                               "collection_error": row["collection_error"],
                               "seconds": row["seconds"]}
    reference["files"] = dict(sorted(reference["files"].items()))
    return reference


def write_reference(reference, path=REFERENCE_PATH):
    counts = Counter(reference["tests"].values())
    data = {"meta": {**reference["meta"], "files_recorded": len(reference["files"]),
                     "counts": dict(sorted(counts.items()))},
            "files": reference["files"], "tests": reference["tests"]}
    Path(path).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


def comparison_rows(rows, reference, expected_tests):
    """Per folder (and TOTAL): tests, pass here, pass under the original, the share of the
    latter that pass here, deviations (manifest categories other than pass/open) and failing
    (pass under the original, not here, not a deviation).  Folders none of whose files were
    recorded under the original get None in the columns that need it."""
    folders = {}
    for row in rows:
        rel = row["file"]
        agg = folders.setdefault(folder_of(rel), {"folder": folder_of(rel), "tests": 0,
                                                  "here": 0, "original": 0, "both": 0,
                                                  "deviations": 0, "failing": 0,
                                                  "recorded": False})
        prefix = rel + "::"
        ref = {t: o for t, o in reference["tests"].items() if t.startswith(prefix)}
        recorded = rel in reference["files"]
        agg["recorded"] |= recorded
        ids = set(row["tests"]) | set(ref)
        agg["tests"] += len(ids)
        for test_id in ids:
            here = row["tests"].get(test_id) in ("passed", "xpassed")
            original = ref.get(test_id) == "pass"
            entry = expected_tests.get(test_id, "pass")
            deviation = entry != "pass" and entry.get("category") != "open"
            agg["here"] += here
            agg["original"] += original
            agg["both"] += here and original
            agg["deviations"] += deviation
            agg["failing"] += original and not here and not deviation
    result = [folders[k] for k in sorted(folders)]
    total = {"folder": "TOTAL", "recorded": any(a["recorded"] for a in result)}
    for key in ("tests", "here", "original", "both", "deviations", "failing"):
        total[key] = sum(a[key] for a in result)
    return result + [total]


def comparison_table(rows, reference, expected_tests):
    body = []
    for a in comparison_rows(rows, reference, expected_tests):
        if a["recorded"]:
            share = f"{100.0 * a['both'] / a['original']:.1f}%" if a["original"] else "-"
            body.append([a["folder"], a["tests"], a["here"], a["original"], share,
                         a["deviations"], a["failing"]])
        else:
            body.append([a["folder"], a["tests"], a["here"], "n/a", "n/a", a["deviations"],
                         "n/a"])
    return format_table(
        ["folder", "tests", "pass here", "pass orig.", "here/orig.", "deviations", "failing"],
        body, right={1, 2, 3, 4, 5, 6})


def top_causes(rows, n=10):
    counter = Counter(r["collection_error"] for r in rows if r["collection_error"])
    return counter.most_common(n)


def run_data(rows, meta):
    """The run as one dict: meta, per-file counts, per-test outcomes, failure causes."""
    tests = {}
    for r in rows:
        tests.update(r["tests"])
    return {
        "meta": meta,
        "files": {r["file"]: {k: r[k] for k in ("collected", "passed", "failed", "errors",
                                                 "skipped", "collection_error", "seconds")}
                  for r in rows},
        "tests": dict(sorted(tests.items())),
        "details": dict(sorted(d for r in rows for d in r["details"].items())),
    }


def write_json(path, rows, meta):
    Path(path).write_text(json.dumps(run_data(rows, meta), indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pattern", nargs="?", help="glob or substring of test file paths")
    p.add_argument("--jobs", "-j", type=int, default=1, help="test files run in parallel")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="per-test timeout in seconds (0: none); default 120")
    p.add_argument("--file-timeout", type=float, default=1800.0,
                   help="a test file's process is killed after this many seconds")
    p.add_argument("--json", metavar="OUT", help="write per-test outcomes to OUT")
    p.add_argument("--all", action="store_true",
                   help="also run the GPU back-end and d3viz test folders")
    p.add_argument("--no-numpy-shims", action="store_true",
                   help="do not restore NumPy 1.x names (np.float, np.cast...) for the tests")
    p.add_argument("--no-install", action="store_true",
                   help="do not pip-install missing runner dependencies")
    p.add_argument("--list", action="store_true", help="list the selected test files and exit")
    p.add_argument("--quick", action="store_true",
                   help="run only the quick subset (QUICK_FILES), as CI does")
    p.add_argument("--expected", metavar="MANIFEST", default=str(MANIFEST_PATH),
                   help="expected-outcomes manifest to compare with (default: %(default)s)")
    p.add_argument("--offline-ok", action="store_true",
                   help="when the sdist or the runner's helpers cannot be downloaded, say so "
                        "and exit 0 (CI machines without network) instead of failing")
    p.add_argument("--update-expected", action="store_true",
                   help="rewrite the manifest's entries for the files run from this run")
    p.add_argument("--reference", action="store_true",
                   help="run the files under the ORIGINAL Theano 1.0.5 (theano-ref's venv) and "
                        "merge their outcomes into --reference-json")
    p.add_argument("--theano-ref", metavar="SCRIPT",
                   default=os.environ.get("THEANO_REF", str(DEFAULT_THEANO_REF)),
                   help="the script that runs Python under the original Theano "
                        "(default: $THEANO_REF or %(default)s)")
    p.add_argument("--reference-json", metavar="PATH", default=str(REFERENCE_PATH),
                   help="outcomes under the original Theano (default: %(default)s)")
    return p.parse_args(argv)


def _manifest_module():
    spec = importlib.util.spec_from_file_location("conformance_manifest", HERE / "manifest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("conformance_manifest", module)
    spec.loader.exec_module(module)
    return module


MANIFEST_PATH = HERE / "expected.json"


def check_against_manifest(run, path, update):
    """Compare `run` with the manifest at `path` (or rewrite the files run there); print what
    differs; return the exit status (1 on a regression)."""
    manifest = _manifest_module()
    expected = manifest.load(path)
    if update:
        fresh = manifest.update(run, expected)
        ran = set(run["files"])
        merged = {
            "tests": {**{t: e for t, e in expected["tests"].items()
                         if t.split("::")[0] not in ran}, **fresh["tests"]},
            "files": {**{f: e for f, e in expected["files"].items() if f not in ran},
                      **fresh["files"]},
        }
        manifest.write(merged, path)
        tests, files = manifest.counts(merged)
        print(f"manifest {path} updated: tests {tests}, files not importing {files}")
        return 0
    diff = manifest.compare(run, expected)
    for key, title in (("regressions", "REGRESSIONS (expected to pass)"),
                       ("deviations_passing", "now pass, marked as deviations"),
                       ("open_passing", "now pass, marked open"),
                       ("files_importing", "files that now import"),
                       ("unknown", "not in the manifest")):
        if diff[key]:
            print(f"\n{title}: {len(diff[key])}")
            for test_id in diff[key][:40]:
                print(f"  {test_id}")
            if len(diff[key]) > 40:
                print(f"  ... and {len(diff[key]) - 40} more")
    return 1 if diff["regressions"] else 0


def main(argv=None):
    args = parse_args(argv)
    cache = cache_dir()
    scratch = cache / "scratch"
    try:
        tarball = fetch_sdist(cache)
    except subprocess.CalledProcessError as exc:
        if not args.offline_ok:
            raise
        print(f"conformance run SKIPPED: cannot download {SDIST_SPEC} ({exc}); "
              "run it where the package index is reachable", file=sys.stderr)
        return 0
    extract_tests(tarball, scratch)
    extract_data_files(tarball, scratch)
    files = list_test_files(scratch, args.pattern, args.all)
    if args.quick:
        files = [f for f in files if f in QUICK_FILES]
    if args.list:
        print("\n".join(files))
        return 0
    if not files:
        print(f"no test file matches {args.pattern!r}", file=sys.stderr)
        return 2
    reference_python = None
    if args.reference:
        if not os.access(args.theano_ref, os.X_OK):
            print(f"--reference needs the theano-ref script; {args.theano_ref} is missing",
                  file=sys.stderr)
            return 2
        # The script builds the original's venv on first use and execs its python.
        reference_python = (args.theano_ref,)
    try:
        site = ensure_dependencies(cache, install=not args.no_install, python=reference_python)
    except subprocess.CalledProcessError as exc:
        if not args.offline_ok:
            raise
        print(f"conformance run SKIPPED: cannot install the runner's helpers ({exc})",
              file=sys.stderr)
        return 0
    # Separate work folders: a reference run and a normal run may go on at the same time.
    work = cache / ("work-reference" if args.reference else "work")
    (work / "results").mkdir(parents=True, exist_ok=True)
    (work / "logs").mkdir(parents=True, exist_ok=True)
    under = " under the ORIGINAL Theano 1.0.5" if args.reference else ""
    print(f"running {len(files)} test files{under}, {args.jobs} at a time "
          f"(logs in {work / 'logs'})", flush=True)
    start = time.monotonic()
    rows = []
    reference = load_reference(args.reference_json)
    if args.reference:
        reference["meta"] = {"sdist": SDIST_SPEC, "theano_flags": "cxx=",
                             "timeout": args.timeout, "numpy_shims": not args.no_numpy_shims}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_file, rel, scratch, work, site, args.timeout,
                               args.file_timeout, not args.no_numpy_shims, reference_python)
                   for rel in files]
        for future in concurrent.futures.as_completed(futures):
            row = future.result()
            rows.append(row)
            print(f"  [{len(rows)}/{len(files)}] {row['file']}: {row['passed']}/"
                  f"{row['collected']} passed ({row['seconds']} s)", flush=True)
            if args.reference:
                # Written after every file, so an interrupted run keeps what it recorded.
                write_reference(merge_reference(reference, row), args.reference_json)
    rows.sort(key=lambda r: r["file"])
    print()
    print(file_table(rows))
    print()
    print(folder_table(rows))
    causes = top_causes(rows)
    if causes:
        print("\nmost common collection errors (files):")
        for cause, count in causes:
            print(f"  {count:3d}  {cause}")
    print(f"\n{time.monotonic() - start:.0f} s")
    meta = {"sdist": SDIST_SPEC, "pattern": args.pattern, "timeout": args.timeout,
            "numpy_shims": not args.no_numpy_shims}
    if args.json:
        write_json(args.json, rows, meta)
        print(f"per-test outcomes written to {args.json}")
    if args.reference:
        print(f"outcomes under the original Theano merged into {args.reference_json}")
        return 0
    print("\ncompared with the original Theano 1.0.5 "
          f"({Path(args.reference_json).name}; n/a: not recorded, see --reference):")
    print(comparison_table(rows, reference, _manifest_module().load(args.expected)["tests"]))
    unrecorded = [r["file"] for r in rows if r["file"] not in reference["files"]]
    if unrecorded:
        print(f"({len(unrecorded)} of {len(rows)} files not recorded under the original: the "
              "pass-orig. and here/orig. columns cover the recorded files only)")
    return check_against_manifest(run_data(rows, meta), args.expected, args.update_expected)


if __name__ == "__main__":
    sys.exit(main())
