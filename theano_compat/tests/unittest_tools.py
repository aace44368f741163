"""theano.tests.unittest_tools: helpers legacy test suites import.

`verify_grad` seeds its own RandomState when none is given, `seed_rng`/`fetch_seed`
read ``config.unittests.rseed``, `SkipTest` is unittest's (pytest and nose honour it),
and `InferShapeTester` checks an Op's infer_shape against the shapes it computes.
"""

from __future__ import annotations

import unittest
import warnings
from unittest import SkipTest  # noqa: F401 - Theano re-exported nose's SkipTest

import numpy as np

from .. import config, function, gradient_check
from ..compile.mode import get_default_mode, get_mode

__all__ = ["InferShapeTester", "SkipTest", "assert_allclose", "fetch_seed", "seed_rng",
           "verify_grad"]


def fetch_seed(pseed=None):
    """The seed to use: `pseed`, else ``config.unittests.rseed`` (None for 'random')."""
    seed = pseed if pseed is not None else config.unittests__rseed
    if seed == "random":
        return None
    try:
        return int(seed) if seed is not None else None
    except ValueError:
        warnings.warn(f"config.unittests.rseed has an invalid value {seed!r}: no seed is used",
                      stacklevel=2)
        return None


def seed_rng(pseed=None):
    """Seed numpy's global random generator with `fetch_seed(pseed)`; return the seed."""
    seed = fetch_seed(pseed)
    if pseed is not None and pseed != seed:
        warnings.warn(f"using the seed {seed!r} instead of {pseed!r}", stacklevel=2)
    np.random.seed(seed)
    return seed


def verify_grad(op, pt, n_tests=2, rng=None, *args, **kwargs):
    """theano.gradient.verify_grad with a seeded RandomState when `rng` is None."""
    if rng is None:
        rng = np.random.RandomState(fetch_seed())
    gradient_check.verify_grad(op, pt, n_tests, rng, *args, **kwargs)


verify_grad.E_grad = gradient_check.verify_grad.E_grad


def assert_allclose(expected, value, rtol=None, atol=None):
    """numpy.testing.assert_allclose with Theano's tolerances for the values' dtype
    (1e-5 for float64, 1e-3 for float32 when not given)."""
    dtypes = {np.asarray(expected).dtype, np.asarray(value).dtype}
    loose = any(np.dtype(d) in (np.float32, np.float16) for d in dtypes)
    if rtol is None:
        rtol = 1e-3 if loose else 1e-5
    if atol is None:
        atol = 1e-3 if loose else 1e-8
    np.testing.assert_allclose(value, expected, rtol=rtol, atol=atol)


class InferShapeTester(unittest.TestCase):
    """Base class of infer_shape tests: `_compile_and_check` compares the shapes an Op's
    infer_shape gives with the shapes of the values it computes."""

    def setUp(self):
        seed_rng()
        # The shape rewrites live in canonicalize (Theano's tester added it to the mode);
        # a mode without them (FAST_COMPILE, optimizer=None) is replaced by FAST_RUN.
        mode = getattr(self, "mode", None) or get_default_mode()
        if "canonicalize" not in [phase for phase, _rules in mode.describe()]:
            mode = get_mode("FAST_RUN")
        self.mode = mode

    def _compile_and_check(self, inputs, outputs, numeric_inputs, cls, excluding=None,
                           warn=True, check_topo=True):
        """Compile `outputs` and their shapes; check the shapes agree on `numeric_inputs`
        and (with `check_topo`) that computing the shapes runs no `cls` node."""
        mode = getattr(self, "mode", None) or get_default_mode()
        if excluding:
            mode = mode.excluding(*excluding)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        values = function(inputs, outputs, mode=mode)(*numeric_inputs)
        shapes_fn = function(inputs, [o.shape for o in outputs], mode=mode,
                             on_unused_input="ignore")
        if check_topo:
            ran = [node for node in shapes_fn.maker.fgraph.toposort()
                   if isinstance(node.op, cls)]
            assert not ran, f"computing the output shapes still runs {ran}"
        shapes = shapes_fn(*numeric_inputs)
        for k, (value, shape) in enumerate(zip(values, shapes)):
            assert tuple(shape) == np.shape(value), (
                f"output {k}: infer_shape gives {tuple(shape)}, the value has "
                f"{np.shape(value)}")
