"""pytest plugin loaded into each conformance child process (``-p theano_conformance_plugin``).

It makes Theano 1.0.5's extracted test files importable as ``theano.<pkg>.tests.*`` next to this
project's modules, restores the nose-era behaviours those files rely on (yield tests, ``setup`` /
``teardown`` methods, module-level ``setup``), optionally restores NumPy 1.x names the *test code*
calls, falls back to a signal-based per-test timeout when pytest-timeout is missing, and records
every outcome into a JSON file for the parent runner.

Environment (set by run.py):

``THEANO_CONFORMANCE_SCRATCH``   root of the scratch tree (holds ``theano/**/tests/**``)
``THEANO_CONFORMANCE_RESULT``    JSON file this process writes its outcomes to
``THEANO_CONFORMANCE_TIMEOUT``   per-test timeout in seconds for the fallback timer
``THEANO_CONFORMANCE_SHIMS``     ``0`` turns the NumPy 1.x shims off
``THEANO_CONFORMANCE_REFERENCE`` ``1``: reference mode, ``theano`` is the ORIGINAL Theano 1.0.5
                                 (run.py --reference records its outcomes); the test modules
                                 still come from the scratch tree, so test ids are the same
"""

import functools
import importlib.abc
import importlib.util
import inspect
import json
import os
import re
import signal
import sys
import types
import unittest

import pytest

_ALIAS = "theano"
_TARGET = "theano_compat"
_PLACEHOLDER_MARK = "conformance placeholder"


def reference_mode():
    """True in a child process that runs the tests under the original Theano."""
    return os.environ.get("THEANO_CONFORMANCE_REFERENCE") == "1"


# --------------------------------------------------------------------------- import redirection


def _project_has(target_name):
    """True when this project provides ``target_name`` (a ``theano_compat.*`` dotted name)."""
    try:
        return importlib.util.find_spec(target_name) is not None
    except (ImportError, ValueError):
        return False


class ScratchTestsFinder(importlib.abc.MetaPathFinder):
    """Serve ``theano.<...>.tests[.<...>]`` modules from the scratch tree.

    Only names with a ``tests`` component are considered, and only when this project does not
    provide the module itself: so ``theano.tests.unittest_tools`` stays the project's, and any
    non-test module of the original Theano can never be imported (it is not in the scratch tree
    either).  A test package whose parent package is missing here fails with the parent's
    ModuleNotFoundError, before this finder is asked.
    """

    def __init__(self, scratch_root, alias=_ALIAS, target=_TARGET, reference=False):
        self.scratch_root = os.path.abspath(scratch_root)
        self.alias = alias
        self.target = target
        # Reference mode: ``theano`` is the original package, which has its own copy of every
        # test module; the scratch tree's copy is served instead (same files, same test ids),
        # and what the scratch tree only holds a placeholder for (``theano.tests`` with its
        # ``unittest_tools``) stays the original's.
        self.reference = reference

    def _scratch_location(self, fullname):
        parts = fullname.split(".")
        base = os.path.join(self.scratch_root, *parts)
        init = os.path.join(base, "__init__.py")
        if os.path.isfile(init):
            return init, True
        if os.path.isfile(base + ".py"):
            return base + ".py", False
        return None, False

    def find_spec(self, fullname, path=None, target=None):
        parts = fullname.split(".")
        if parts[0] != self.alias or "tests" not in parts[1:]:
            return None
        if not self.reference and _project_has(self.target + fullname[len(self.alias) :]):
            return None
        location, is_package = self._scratch_location(fullname)
        if location is None:
            return None
        if self.reference and is_package and _is_placeholder(location):
            return None
        search = [os.path.dirname(location)] if is_package else None
        return importlib.util.spec_from_file_location(
            fullname, location, submodule_search_locations=search
        )


def _is_placeholder(init_path):
    try:
        with open(init_path, encoding="utf-8") as f:
            return _PLACEHOLDER_MARK in f.read(400)
    except OSError:
        return False


def install_finder(scratch_root, reference=False):
    """Put a ScratchTestsFinder on ``sys.meta_path`` (once) and return it.

    It goes just before this project's alias finder, i.e. after pytest's assertion-rewriting
    hook, so test modules found through a scratch package's ``__path__`` still get rewritten.
    In reference mode it goes first: the rewriting hook would otherwise find the original
    package's own copy of a module of ``theano.tests`` (whose ``__path__`` is the original's).
    """
    for finder in sys.meta_path:
        if isinstance(finder, ScratchTestsFinder) and finder.scratch_root == os.path.abspath(
            scratch_root
        ):
            return finder
    finder = ScratchTestsFinder(scratch_root, reference=reference)
    index = 0
    for i, existing in enumerate(sys.meta_path):
        if not reference and type(existing).__name__ == "_AliasFinder":
            index = i
            break
    sys.meta_path.insert(index, finder)
    return finder


# --------------------------------------------------------------------------- NumPy 1.x shims


class _Cast:
    """``np.cast[dtype](x)`` of NumPy 1.x: ``np.asarray(x).astype(dtype)``."""

    def __init__(self, np):
        self._np = np

    def __getitem__(self, dtype):
        np = self._np
        return lambda x: np.asarray(x).astype(dtype)


def numpy_shims():
    """The NumPy 1.x names Theano 1.0.5's test files call, as ``{name: value}``.

    Applied to the ``numpy`` module in the child process only (never to this package); each one
    is a documented NumPy 1.x spelling of a NumPy 2 function.  ``find_common_type`` follows
    NumPy 1.x's rule (scalar types count only across kinds).  ``apply_numpy_shims`` also
    restores ``numpy.testing.dec`` (``skipif``, ``knownfailureif``, ``slow``, ``setastest``).
    """
    import numpy as np

    def in1d(ar1, ar2, assume_unique=False, invert=False):
        return np.isin(np.ravel(ar1), ar2, assume_unique=assume_unique, invert=invert)

    kinds = "buifcSUVOMm"  # NumPy 1.x's order of kinds for find_common_type
    candidates = "?bhilqBHILQefdgFDG"  # its ladder of types, smallest first per kind

    def common(dtypes):
        return np.result_type(*dtypes) if dtypes else None

    def find_common_type(array_types, scalar_types):
        # NumPy 1.x: the scalars' type counts only when it is of a higher kind than the
        # arrays' (an int8 array with a float16 scalar gives float16); then the result is
        # the smallest type of the scalars' kind, from theirs up, that holds both.
        arrays = common([np.dtype(t) for t in array_types])
        scalars = common([np.dtype(t) for t in scalar_types])
        if arrays is None or scalars is None:
            return scalars if arrays is None else arrays
        if kinds.find(scalars.kind) <= kinds.find(arrays.kind):
            return arrays
        for char in candidates[max(candidates.find(scalars.char), 0):]:
            if np.can_cast(arrays, char) and np.can_cast(scalars, char):
                return np.dtype(char)
        return None

    return {
        "float": float,
        "int": int,
        "bool": bool,
        "complex": complex,
        "object": object,
        "str": str,
        "long": int,
        "unicode": str,
        "product": np.prod,
        "cumproduct": np.cumprod,
        "alltrue": np.all,
        "sometrue": np.any,
        "cast": _Cast(np),
        "find_common_type": find_common_type,
        "in1d": in1d,
        "MAXDIMS": 64,  # NumPy 1.x had 32; the limit of the NumPy running the tests is 64
    }


class KnownFailureTest(unittest.SkipTest):
    """``numpy.testing.dec.knownfailureif`` of NumPy 1.x raised this (a skip)."""


def _condition(value):
    return bool(value() if callable(value) else value)


def _skipping(func, condition, exc_type, message):
    """``func`` wrapped to raise ``exc_type(message)`` when ``condition`` holds at call time;
    a generator function stays one, so the yield adapter still expands it."""
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if _condition(condition):
                raise exc_type(message)
            yield from func(*args, **kwargs)

    else:

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if _condition(condition):
                raise exc_type(message)
            return func(*args, **kwargs)

    return wrapper


def make_numpy_testing_dec():
    """A stand-in for ``numpy.testing.dec`` (nose decorators, removed in NumPy 1.25)."""
    dec = types.ModuleType("numpy.testing.dec")
    dec.__doc__ = "NumPy 1.x test decorators restored by the conformance runner."

    def skipif(skip_condition, msg=None):
        message = f"Skip: {msg}" if msg else "Test skipped due to test condition"
        return lambda func: _skipping(func, skip_condition, unittest.SkipTest, message)

    def knownfailureif(fail_condition, msg=None):
        message = msg or "Test skipped due to known failure"
        return lambda func: _skipping(func, fail_condition, KnownFailureTest, message)

    def slow(func):
        func.slow = True
        return func

    def setastest(tf=True):
        def mark(func):
            func.__test__ = tf
            return func

        return mark

    dec.skipif = skipif
    dec.knownfailureif = knownfailureif
    dec.slow = slow
    dec.setastest = setastest
    dec.KnownFailureTest = KnownFailureTest
    return dec


def apply_numpy_shims():
    """Restore the NumPy 1.x names for the test code of this process; returns their names."""
    import numpy as np
    import numpy.testing

    applied = []
    for name, value in numpy_shims().items():
        if name not in np.__dict__:
            setattr(np, name, value)
            applied.append(name)
    if "dec" not in numpy.testing.__dict__:
        numpy.testing.dec = make_numpy_testing_dec()
        sys.modules.setdefault("numpy.testing.dec", numpy.testing.dec)
        applied.append("testing.dec")
    if "linalg" not in np.linalg.__dict__:  # numpy.linalg.linalg (LinAlgError...) in 1.x
        np.linalg.linalg = np.linalg
        applied.append("linalg.linalg")
    import scipy.linalg

    if "kron" not in scipy.linalg.__dict__:  # SciPy 1.13 removed it (np.kron differs for ndim != 2)
        scipy.linalg.kron = _scipy_kron
        applied.append("scipy.linalg.kron")
    for name in ("vstack", "hstack", "stack"):  # NumPy 1.x accepted a generator of arrays
        if not hasattr(getattr(np, name), "_accepts_generators"):
            setattr(np, name, _accepting_generators(getattr(np, name)))
            applied.append(name + "(generator)")
    if not hasattr(np.unique, "_flat_inverse"):  # NumPy 2 shapes the inverse like the input
        np.unique = _unique_flat_inverse(np.unique)
        applied.append("unique(flat inverse)")
    return applied


def _unique_flat_inverse(unique):
    """`unique` (np.unique) giving, as NumPy 1.x did, a flat inverse when `axis` is None."""
    import functools

    @functools.wraps(unique)
    def wrapper(ar, return_index=False, return_inverse=False, return_counts=False,
                axis=None, **kwargs):
        out = unique(ar, return_index, return_inverse, return_counts, axis=axis, **kwargs)
        if return_inverse and axis is None:
            out = list(out)
            out[1 + bool(return_index)] = out[1 + bool(return_index)].reshape(-1)
            out = tuple(out)
        return out

    wrapper._flat_inverse = True
    return wrapper


def _scipy_kron(a, b):
    """``scipy.linalg.kron`` of SciPy < 1.13: the outer product of `a` and `b` shaped
    ``a.shape + b.shape``, concatenated twice along axis 1 (``np.kron`` for matrices)."""
    import numpy as np

    a, b = np.asarray(a), np.asarray(b)
    o = np.outer(a, b).reshape(a.shape + b.shape)
    return np.concatenate(np.concatenate(o, axis=1), axis=1)


def _accepting_generators(func):
    """`func` (np.vstack...) taking, as NumPy 1.x did, a generator of arrays."""
    import functools
    import types

    @functools.wraps(func)
    def wrapper(tup, *args, **kwargs):
        if isinstance(tup, types.GeneratorType):
            tup = tuple(tup)
        return func(tup, *args, **kwargs)

    wrapper._accepts_generators = True
    return wrapper


# --------------------------------------------------------------------------- nose compatibility


def _nose_call(obj, names):
    for name in names:
        func = getattr(obj, name, None)
        if callable(func):
            func()
            return True
    return False


class YieldItem(pytest.Item):
    """One case of a nose-style ``yield func, arg...`` test (pytest >= 4 dropped these)."""

    def __init__(self, *, case=None, error=None, **kwargs):
        super().__init__(**kwargs)
        self._case = case
        self._error = error

    def runtest(self):
        if self._error is not None:
            raise self._error
        func, args = self._case
        func(*args)

    def reportinfo(self):
        return self.path, None, self.name


def expand_generator(collector, name, obj):
    """Run a generator test function and return one YieldItem per yielded case.

    Nose ran the generator lazily; running it at collection time is simpler and equivalent for
    Theano's generators, which only build argument tuples.  For a method, a fresh instance gets
    its nose ``setup``/``setUp`` first.  An error while generating becomes one failing item.
    """
    cases = []
    try:
        if isinstance(collector, pytest.Class):
            instance = collector.obj()
            _nose_call(instance, ("setup_method", "setup", "setUp"))
            generator = getattr(instance, name)()
        else:
            generator = obj()
        for case in generator:
            if not isinstance(case, tuple):
                case = (case,)
            cases.append((case[0], tuple(case[1:])))
    except Exception as exc:  # noqa: BLE001 - becomes the item's failure (SkipTest: a skip)
        return [YieldItem.from_parent(collector, name=name, error=exc)]
    return [
        YieldItem.from_parent(collector, name=f"{name}[{i}]", case=case)
        for i, case in enumerate(cases)
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    if inspect.isgeneratorfunction(obj) and collector.funcnamefilter(name):
        return expand_generator(collector, name, obj)
    return None


@pytest.fixture(autouse=True)
def _nose_method_fixtures(request):
    """Call nose-style ``setup``/``teardown`` (or ``setUp``/``tearDown``) methods of plain test
    classes; pytest 8 removed that support together with its nose plugin."""
    instance = request.instance
    nose_style = (
        instance is not None
        and not isinstance(instance, unittest.TestCase)
        and not hasattr(type(instance), "setup_method")
    )
    if nose_style:
        _nose_call(instance, ("setup", "setUp"))
    yield
    if nose_style and not hasattr(type(instance), "teardown_method"):
        _nose_call(instance, ("teardown", "tearDown"))


@pytest.fixture(autouse=True, scope="module")
def _nose_module_fixtures(request):
    """Module-level nose ``setup()``/``teardown()`` functions (pytest runs only *_module)."""
    module = request.module

    def own(name):
        func = module.__dict__.get(name)
        ok = inspect.isfunction(func) and func.__module__ == module.__name__
        return func if ok else None

    setup = own("setup") or own("setUp")
    teardown = own("teardown") or own("tearDown")
    if setup is not None:
        setup()
    yield
    if teardown is not None:
        teardown()


# --------------------------------------------------------------------------- fallback timeout


class TestTimeout(Exception):
    """Raised in a test that ran past the per-test timeout (fallback timer)."""


def _fallback_timeout_seconds(config):
    if config.pluginmanager.hasplugin("timeout"):
        return 0.0
    try:
        return float(os.environ.get("THEANO_CONFORMANCE_TIMEOUT", "0"))
    except ValueError:
        return 0.0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    seconds = _fallback_timeout_seconds(item.config)
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise TestTimeout(f"test ran past the {seconds:g} s timeout")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- outcome recording


_PATH_SUFFIX = re.compile(r" \((?:/|[A-Za-z]:\\)[^()]*\)$")


def first_cause(longrepr):
    """The last ``E   ...`` line of a pytest failure report (the exception raised), or the last
    non-empty line; one line, at most 300 characters, without the trailing ``(/path/file.py)``
    that ImportError messages carry (outcomes must not depend on the machine)."""
    return _PATH_SUFFIX.sub("", _first_cause(longrepr))


def _first_cause(longrepr):
    text = str(longrepr) if longrepr is not None else ""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    errors = [line[1:].strip() for line in lines if line.startswith("E ")]
    if errors:
        # A multi-line message prints several E lines; the exception type is on the first of
        # the final group, e.g. "E   ModuleNotFoundError: No module named 'x'".
        for line in reversed(errors):
            if ":" in line.split(" ")[0] or line.split(":")[0].endswith(("Error", "Exception")):
                return line[:300]
        return errors[-1][:300]
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # skip reports: (file, line, reason)
        return str(longrepr[2])[:300]
    return (lines[-1] if lines else "")[:300]


class Recorder:
    """Collects per-test outcomes and collection errors; written as JSON at session end."""

    def __init__(self, path):
        self.path = path
        self.tests = {}
        self.details = {}
        self.collection_errors = {}
        self.collected = 0

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors[report.nodeid or "<session>"] = first_cause(report.longrepr)

    def pytest_collection_finish(self, session):
        self.collected = len(session.items)

    def pytest_runtest_logreport(self, report):
        nodeid = report.nodeid
        previous = self.tests.get(nodeid)
        if report.when == "setup":
            if report.failed:
                self._set(nodeid, "error", report)
            elif report.skipped:
                self._set(nodeid, "skipped", report)
        elif report.when == "call":
            if hasattr(report, "wasxfail"):
                self._set(nodeid, "xfailed" if report.skipped else "xpassed", report)
            elif report.passed:
                self._set(nodeid, "passed", report)
            elif report.skipped:
                self._set(nodeid, "skipped", report)
            else:
                self._set(nodeid, "failed", report)
        elif report.when == "teardown" and report.failed and previous in (None, "passed"):
            self._set(nodeid, "error", report)

    def _set(self, nodeid, outcome, report):
        self.tests[nodeid] = outcome
        if outcome != "passed":
            self.details[nodeid] = first_cause(report.longrepr)

    def pytest_sessionfinish(self, session, exitstatus):
        data = {
            "collected": self.collected,
            "tests": self.tests,
            "details": self.details,
            "collection_errors": self.collection_errors,
            "exitstatus": int(exitstatus),
        }
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)


def pytest_configure(config):
    scratch = os.environ.get("THEANO_CONFORMANCE_SCRATCH")
    if scratch:
        # This project's theano first, so that no other "theano" can ever be picked up (in
        # reference mode: the original's, before the scratch tree's placeholder is on the path).
        theano = importlib.import_module(_ALIAS)
        is_original = _TARGET not in (getattr(theano, "__file__", "") or "")
        if is_original != reference_mode():
            raise pytest.UsageError(
                f"conformance plugin: 'theano' is {theano.__file__}, expected "
                + ("the original Theano 1.0.5" if reference_mode() else "theano-compat"))
        install_finder(scratch, reference=reference_mode())
        if not reference_mode():
            # Test files find the sdist's data files (run.py DATA_FILES) next to
            # ``theano.__file__``: that is the scratch tree's placeholder here, the data
            # files beside it; this project's modules never read the attribute.
            theano.__file__ = os.path.join(os.path.abspath(scratch), "theano", "__init__.py")
    if os.environ.get("THEANO_CONFORMANCE_SHIMS", "1") != "0":
        apply_numpy_shims()
    result = os.environ.get("THEANO_CONFORMANCE_RESULT")
    if result:
        config.pluginmanager.register(Recorder(result), "theano_conformance_recorder")
