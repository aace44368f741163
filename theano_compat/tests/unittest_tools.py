"""theano.tests.unittest_tools: the helpers of Theano 1.0.5's own test-suite, for legacy test
suites that import them.

Seeds (``fetch_seed``, ``seed_rng``: ``config.unittests.rseed``), gradient checks
(``verify_grad``, seeded from the config when no rng is given), value checks
(``assert_allclose`` with Theano's per-dtype tolerances, raising ``WrongValue`` with a
diagnostic), Op test mix-ins (``TestOptimizationMixin``, ``T_OpContractMixin``,
``InferShapeTester``), ``AttemptManyTimes``, ``assertFailure_fast``, ``MockRandomState``,
nose's ``attr`` decorator (no nose needed), ``SkipTest`` (unittest's, which pytest and nose
honour), ``assert_raises`` and, when the ``parameterized`` package is installed,
``parameterized`` and ``custom_name_func``.
"""

import importlib
import logging
import re
import sys
import unittest
from copy import copy, deepcopy
from functools import wraps
from io import StringIO
from unittest import SkipTest

import numpy as np

import theano_compat as theano  # noqa: F401 - a name Theano's module had
from .. import tensor as T
from ..compile import function
from ..compile.mode import get_default_mode, get_mode
from ..config import config
from ..gradient_check import verify_grad as _verify_grad
from ..tensor import basic as _tensor_basic

integer_types = (int,)
_logger = logging.getLogger("theano.tests.unittest_tools")


# --------------------------------------------------------------------------- nose helpers


def attr(*args, **kwargs):
    """nose's ``attr`` decorator: ``@attr('slow')`` sets ``f.slow = True``,
    ``@attr(speed='slow')`` sets ``f.speed = 'slow'`` (nose's attrib plugin selects on them)."""

    def wrap(ob):
        for name in args:
            setattr(ob, name, True)
        for name, value in kwargs.items():
            setattr(ob, name, value)
        return ob

    return wrap


class _Dummy(unittest.TestCase):
    def nop(self):
        pass


# nose.tools.assert_raises: unittest's assertRaises (also a context manager).
assert_raises = _Dummy("nop").assertRaises


def _to_safe_name(s):
    # parameterized.to_safe_name
    return str(re.sub("[^a-zA-Z0-9_]+", "_", s))


def custom_name_func(testcase_func, param_num, param):
    """A ``name_func`` for parameterized: the test's name followed by its arguments."""
    return "{}_{}".format(testcase_func.__name__,
                          _to_safe_name("_".join(str(x) for x in param.args)))


# --------------------------------------------------------------------------- seeds


def fetch_seed(pseed=None):
    """The seed for a test's RandomState: `pseed` if given (and non-zero), else
    ``config.unittests.rseed``; None for 'random' (an unseeded generator).  An invalid seed
    prints an error and gives None."""
    seed = pseed or config.unittests.rseed
    if seed == "random":
        seed = None
    try:
        seed = int(seed) if seed else None
    except ValueError:
        print("Error: config.unittests.rseed contains invalid seed, using None instead",
              file=sys.stderr)
        seed = None
    return seed


def seed_rng(pseed=None):
    """Seed NumPy's global generator with ``fetch_seed(pseed)``; return that seed."""
    seed = fetch_seed(pseed)
    if pseed and pseed != seed:
        print(f"Warning: using seed given by config.unittests.rseed={seed}instead of seed "
              f"{pseed} given as parameter", file=sys.stderr)
    np.random.seed(seed)
    return seed


def verify_grad(op, pt, n_tests=2, rng=None, *args, **kwargs):
    """theano.gradient.verify_grad; without `rng`, NumPy's global generator seeded by
    ``seed_rng()`` draws the random projections."""
    if rng is None:
        seed_rng()
        rng = np.random
    _verify_grad(op, pt, n_tests, rng, *args, **kwargs)


# ``except utt.verify_grad.E_grad as e`` catches the gradient mismatch error.
verify_grad.E_grad = _verify_grad.E_grad


class MockRandomState:
    """A stand-in RandomState whose draws are all one value (to test boundaries): ``rand``
    gives `val`, ``randint`` the low end when `val` is 0, else the high end - 1."""

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    def __init__(self, val):
        self.val = val

    def rand(self, *shape):
        return np.zeros(shape, dtype="float64") + self.val

    def randint(self, minval, maxval=None, size=1):
        if maxval is None:
            minval, maxval = 0, minval
        out = np.zeros(size, dtype="int64")
        return out + minval if self.val == 0 else out + maxval - 1


# --------------------------------------------------------------------------- mix-ins


class TestOptimizationMixin:
    """Assertions on the Apply nodes of a compiled function's graph."""

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    def assertFunctionContains(self, f, op, min=1, max=sys.maxsize):
        """Between `min` and `max` nodes of ``f`` apply an Op equal to `op`."""
        toposort = f.maker.fgraph.toposort()
        matches = [node for node in toposort if node.op == op]
        assert min <= len(matches) <= max, (toposort, matches, str(op), len(matches), min,
                                            max)

    def assertFunctionContains0(self, f, op):
        return self.assertFunctionContains(f, op, min=0, max=0)

    def assertFunctionContains1(self, f, op):
        return self.assertFunctionContains(f, op, min=1, max=1)

    def assertFunctionContainsN(self, f, op, N):
        return self.assertFunctionContains(f, op, min=N, max=N)

    def assertFunctionContainsClass(self, f, op, min=1, max=sys.maxsize):
        """Between `min` and `max` nodes of ``f`` apply an instance of the class `op`."""
        toposort = f.maker.fgraph.toposort()
        matches = [node for node in toposort if isinstance(node.op, op)]
        assert min <= len(matches) <= max, (toposort, matches, str(op), len(matches), min,
                                            max)

    def assertFunctionContainsClassN(self, f, op, N):
        return self.assertFunctionContainsClass(f, op, min=N, max=N)

    def SkipTest(self, msg="Skip this test"):
        raise SkipTest(msg)


class T_OpContractMixin:
    """Tests that the Ops in ``self.ops`` (all different) compare, hash and print as Ops
    must; ``clone(op)`` returns a new equal instance, ``other_op`` is a different Op."""

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    other_op = T.add

    def copy(self, x):
        return copy(x)

    def deepcopy(self, x):
        return deepcopy(x)

    def clone(self, op):
        raise NotImplementedError("return new instance like `op`")

    def test_eq(self):
        for i, op_i in enumerate(self.ops):
            assert op_i == op_i
            assert op_i == self.copy(op_i)
            assert op_i == self.deepcopy(op_i)
            assert op_i == self.clone(op_i)
            assert op_i != self.other_op
            for j, op_j in enumerate(self.ops):
                if i != j:
                    assert op_i != op_j

    def test_hash(self):
        for i, op_i in enumerate(self.ops):
            h_i = hash(op_i)
            assert h_i == hash(op_i)
            assert h_i == hash(self.copy(op_i))
            assert h_i == hash(self.deepcopy(op_i))
            assert h_i == hash(self.clone(op_i))
            assert h_i != hash(self.other_op)
            for j, op_j in enumerate(self.ops):
                if i != j:
                    assert op_i != hash(op_j)

    def test_name(self):
        for op in self.ops:
            assert str(op)


def _shape_mode(mode):
    """`mode` with the canonicalize rules, which hold the shape rewrites (a mode whose
    pipeline has no canonicalize phase, e.g. FAST_COMPILE, becomes FAST_RUN)."""
    mode = mode.including("canonicalize")
    describe = getattr(mode, "describe", None)
    if describe is not None and "canonicalize" not in [phase for phase, _ in describe()]:
        mode = get_mode("FAST_RUN").including("canonicalize")
    return mode


class InferShapeTester(unittest.TestCase):
    """Base class of infer_shape tests: ``_compile_and_check`` compares the shapes an Op's
    infer_shape gives with those of the values it computes."""

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    def setUp(self):
        seed_rng()
        mode = getattr(self, "mode", None)
        if mode is None:
            mode = get_default_mode()
        elif isinstance(mode, str):
            mode = get_mode(mode)
        self.mode = _shape_mode(mode)

    def _compile_and_check(self, inputs, outputs, numeric_inputs, cls, excluding=None,
                           warn=True, check_topo=True):
        """Compile `outputs` and their shapes from `inputs`; check that the outputs' graph
        applies an Op of class `cls`, that (with `check_topo`) the shapes' graph does not,
        and that the shapes computed equal those of the values on `numeric_inputs`.

        With `warn`, inputs whose (non-broadcastable) dimensions repeat a length, which
        cannot tell a mixed-up dimension, are logged as a warning.
        """
        mode = self.mode
        if excluding:
            mode = mode.excluding(*excluding)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        if warn:
            for var, inp in zip(inputs, numeric_inputs):
                if isinstance(inp, (int, float, list, tuple)):
                    inp = var.type.filter(inp)
                if not hasattr(inp, "shape"):
                    continue
                bcast = getattr(var.type, "broadcastable", None)
                shp = (inp.shape if bcast is None
                       else [inp.shape[i] for i in range(inp.ndim) if not bcast[i]])
                if len(set(shp)) != len(shp):
                    _logger.warning(
                        "While testing shape inference for %r, we received an input with a "
                        "shape that has some repeated values: %r, like a square matrix. This "
                        "makes it impossible to check if the values for these dimensions have "
                        "been correctly used, or if they have been mixed up.", cls, inp.shape)
                    break

        outputs_function = function(inputs, outputs, mode=mode)
        shapes_function = function(inputs, [o.shape for o in outputs], mode=mode,
                                   on_unused_input="ignore")
        if check_topo:
            topo_shape = shapes_function.maker.fgraph.toposort()
            assert not any(isinstance(t.op, cls) for t in topo_shape), (
                f"computing the output shapes still applies {getattr(cls, '__name__', cls)}: "
                f"{topo_shape}")
        topo_out = outputs_function.maker.fgraph.toposort()
        assert any(isinstance(t.op, cls) for t in topo_out), (
            f"the compiled outputs apply no {getattr(cls, '__name__', cls)}: {topo_out}")
        numeric_outputs = outputs_function(*numeric_inputs)
        numeric_shapes = shapes_function(*numeric_inputs)
        for out, shape in zip(numeric_outputs, numeric_shapes):
            assert tuple(np.shape(out)) == tuple(int(d) for d in shape), (np.shape(out), shape)


# --------------------------------------------------------------------------- values


def _get_atol_rtol(a, b):
    """Theano's tolerances for comparing `a` and `b` (tensor.basic's float*_atol/rtol,
    looser with ``config.tensor.cmp_sloppy``): by the narrowest float dtype involved."""
    dtypes = {str(a.dtype), str(b.dtype)}
    kind = ("float16" if "float16" in dtypes
            else "float32" if dtypes & {"float32", "complex64"} else "float64")
    defaults = _TOLERANCES[int(config.tensor.cmp_sloppy)][kind]
    return (getattr(_tensor_basic, f"{kind}_atol", defaults[0]),
            getattr(_tensor_basic, f"{kind}_rtol", defaults[1]))


# config.tensor.cmp_sloppy -> dtype -> (atol, rtol), Theano 1.0.5's values.
_TOLERANCES = {
    0: {"float16": (1e-3, 1e-3), "float32": (1e-5, 1e-5), "float64": (1e-8, 1e-5)},
    1: {"float16": (5e-3, 1e-2), "float32": (1e-4, 1e-3), "float64": (1e-3, 1e-4)},
    2: {"float16": (1e-2, 5e-2), "float32": (5e-4, 1e-3), "float64": (1e-3, 1e-4)},
}


def _allclose(a, b, rtol=None, atol=None):
    a, b = np.asarray(a), np.asarray(b)
    atol_, rtol_ = _get_atol_rtol(a, b)
    return np.allclose(a, b, atol=atol_ if atol is None else atol,
                       rtol=rtol_ if rtol is None else rtol)


def _describe_array(label, x):
    return (f"  {label} : {x.shape} {x.dtype} {x.strides} {x.min()} {x.max()} "
            f"{np.isinf(x).sum()} {np.isnan(x).sum()} ")


def str_diagnostic(expected, value, rtol, atol):
    """A multi-line report of how `value` differs from `expected` (shapes, dtypes, ranges,
    absolute and relative differences, tolerances)."""
    sio = StringIO()
    try:
        head = "           : shape, dtype, strides, min, max, n_inf, n_nan:\n"
        print(head + _describe_array("Expected", expected), file=sio)
    except Exception:
        pass
    try:
        print(_describe_array("Value   ", value), file=sio)
    except Exception:
        pass
    print("  expected    :", expected, file=sio)
    print("  value    :", value, file=sio)
    try:
        ov, nv = np.asarray(expected), np.asarray(value)
        ssio = StringIO()
        absdiff = np.absolute(nv - ov)
        for name, fn in (("Max", np.max), ("Mean", np.mean), ("Median", np.median),
                         ("Std", np.std)):
            print(f"  {name} Abs Diff: ", fn(absdiff), file=ssio)
        with np.errstate(divide="ignore", invalid="ignore"):
            reldiff = np.absolute(nv - ov) / np.absolute(ov)
        for name, fn in (("Max", np.max), ("Mean", np.mean), ("Median", np.median),
                         ("Std", np.std)):
            print(f"  {name} Rel Diff: ", fn(reldiff), file=ssio)
        print(ssio.getvalue(), file=sio)
    except Exception:
        pass
    atol_, rtol_ = _get_atol_rtol(np.asarray(expected), np.asarray(value))
    if rtol is not None:
        rtol_ = rtol
    if atol is not None:
        atol_ = atol
    print("  rtol, atol:", rtol_, atol_, file=sio)
    return sio.getvalue()


class WrongValue(AssertionError):
    """Raised by ``assert_allclose``; its str() is the ``str_diagnostic`` report.  (An
    AssertionError here, so test runners report it as a failed check; Theano's derived
    from Exception, which this still is.)"""

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    def __init__(self, expected_val, val, rtol, atol):
        super().__init__()
        self.val1 = expected_val
        self.val2 = val
        self.rtol = rtol
        self.atol = atol

    def __str__(self):
        return "WrongValue\n" + str_diagnostic(self.val1, self.val2, self.rtol, self.atol)


def assert_allclose(expected, value, rtol=None, atol=None):
    """WrongValue unless `value` is close to `expected` (numpy.allclose with Theano's
    tolerances for their dtypes unless `rtol`/`atol` are given)."""
    if not _allclose(expected, value, rtol, atol):
        raise WrongValue(expected, value, rtol, atol)


# --------------------------------------------------------------------------- decorators


class AttemptManyTimes:
    """Decorator: the test passes if `n_req_successes` of at most `n_attempts` runs pass,
    each run with the next ``unittests.rseed`` (the original seed is restored after).  For a
    test method, setUp and tearDown run around each attempt.

        @AttemptManyTimes(n_attempts=5, n_req_successes=3)
        def test_something(self): ...
    """

    __module__ = "theano.tests.unittest_tools"  # Theano's path: reprs and pickles

    def __init__(self, n_attempts, n_req_successes=1):
        assert n_attempts >= n_req_successes
        self.n_attempts = n_attempts
        self.n_req_successes = n_req_successes

    def __call__(self, fct):
        @wraps(fct)
        def attempt_multiple_times(*args, **kwargs):
            original_seed = config.unittests.rseed
            current_seed = original_seed
            class_instance = args[0] if len(args) == 1 and hasattr(args[0],
                                                                   "_testMethodName") else None
            n_fail = n_success = 0
            for _ in range(self.n_attempts):
                try:
                    config.unittests.rseed = current_seed
                    if class_instance is not None and hasattr(class_instance, "setUp"):
                        class_instance.setUp()
                    fct(*args, **kwargs)
                    n_success += 1
                    if n_success == self.n_req_successes:
                        break
                except Exception:
                    n_fail += 1
                    if n_fail + self.n_req_successes > self.n_attempts:
                        raise
                finally:
                    config.unittests.rseed = original_seed
                    if class_instance is not None and hasattr(class_instance, "tearDown"):
                        class_instance.tearDown()
                    if current_seed not in (None, "random"):
                        current_seed = str(int(current_seed) + 1)

        return attempt_multiple_times


def assertFailure_fast(f):
    """Decorator for tests that fail when ``config.cycle_detection == 'fast'``: with that
    setting the test must raise; otherwise it runs unchanged."""
    if config.cycle_detection == "fast":
        def test_with_assert(*args, **kwargs):
            with assert_raises(Exception):
                f(*args, **kwargs)
        return test_with_assert
    return f


def __getattr__(name):
    # `parameterized` (the package of that name, a test dependency) on first use.
    if name == "parameterized":
        try:
            return importlib.import_module("parameterized").parameterized
        except ImportError:
            raise AttributeError(
                "theano.tests.unittest_tools.parameterized needs the 'parameterized' package "
                "(pip install parameterized)") from None
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
