"""theano.tests.unittest_tools: the helpers of Theano's test-suite (expected values printed by
the same calls under the original Theano, ../shared/tools/theano-ref)."""

import types
import unittest

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor.elemwise import Elemwise
from theano.tests import unittest_tools as utt
from theano.configparser import config

DIAGNOSTIC = (  # Theano's lines end with a space after the last number
    "           : shape, dtype, strides, min, max, n_inf, n_nan:\n"
    "  Expected : (2,) float64 (8,) 1.0 2.0 0 0 \n"
    "  Value    : (2,) float64 (8,) 1.0 2.5 0 0 \n"
    "  expected    : [1. 2.]\n"
    "  value    : [1.  2.5]\n"
    "  Max Abs Diff:  0.5\n"
    "  Mean Abs Diff:  0.25\n"
    "  Median Abs Diff:  0.25\n"
    "  Std Abs Diff:  0.25\n"
    "  Max Rel Diff:  0.25\n"
    "  Mean Rel Diff:  0.125\n"
    "  Median Rel Diff:  0.125\n"
    "  Std Rel Diff:  0.125\n"
    "\n"
    "  rtol, atol: 1e-05 1e-08\n"
)


def test_seeds(capsys):
    assert [utt.fetch_seed(), utt.fetch_seed(12), utt.fetch_seed(0), utt.fetch_seed("7")] == \
        [666, 12, 666, 7]
    assert utt.seed_rng() == 666 and np.random.rand() == 0.7004371218578347
    with theano.change_flags(**{"unittests.rseed": "random"}):
        assert utt.fetch_seed() is None
    assert utt.seed_rng(5) == 5 and capsys.readouterr().err == ""


def test_verify_grad_draws_from_the_seeded_global_generator():
    utt.verify_grad(T.tanh, [np.array([0.1, 0.2])])
    assert np.random.rand() == 0.9514579574463393   # the global generator after the check
    with pytest.raises(utt.verify_grad.E_grad):
        utt.verify_grad(lambda v: theano.gradient.grad_clip(v ** 3, -0.1, 0.1),
                        [np.array([1.0, 2.0])])


def test_mock_random_state():
    m = utt.MockRandomState(0)
    assert [m.rand(2).tolist(), m.randint(5, size=2).tolist(), m.randint(2, 9).tolist()] == \
        [[0.0, 0.0], [0, 0], [2]]
    m = utt.MockRandomState(1)
    assert [m.rand(1).tolist(), m.randint(5, size=2).tolist(), m.randint(2, 9).tolist()] == \
        [[1.0], [4, 4], [8]]


def test_assert_allclose_and_wrong_value():
    with pytest.raises(utt.WrongValue) as info:
        utt.assert_allclose(np.ones(2), np.ones(2) + 1e-2)
    assert str(info.value).startswith("WrongValue\n           : shape, dtype")
    assert str(info.value).endswith("  rtol, atol: 1e-05 1e-08\n")
    assert isinstance(info.value, AssertionError)   # test runners report a failed check
    utt.assert_allclose(np.ones(2, dtype="float32"), np.ones(2, dtype="float32") + 5e-6)
    with pytest.raises(utt.WrongValue):   # float32: atol = rtol = 1e-5
        utt.assert_allclose(np.ones(2, dtype="float32"), np.ones(2, dtype="float32") + 5e-5)
    utt.assert_allclose(np.ones(2), np.ones(2) + 1e-2, rtol=0.1)
    assert utt.str_diagnostic(np.array([1.0, 2.0]), np.array([1.0, 2.5]), None, None) == \
        DIAGNOSTIC


def test_attempt_many_times():
    seeds = []

    @utt.AttemptManyTimes(n_attempts=4, n_req_successes=2)
    def flaky():
        seeds.append(config.unittests.rseed)
        if len(seeds) == 1:
            raise AssertionError("first fails")

    flaky()
    assert seeds == ["666", "667", "668"] and config.unittests.rseed == "666"
    seeds = []

    @utt.AttemptManyTimes(n_attempts=3, n_req_successes=2)
    def bad():
        seeds.append(config.unittests.rseed)
        raise ValueError("always")

    with pytest.raises(ValueError):
        bad()
    assert seeds == ["666", "667"]


def test_attr_custom_name_and_nose_helpers():
    f = utt.attr("slow", speed="x")(lambda: 0)
    assert (f.slow, f.speed) == (True, "x")
    param = types.SimpleNamespace(args=(1, "a b", 2.5))
    assert utt.custom_name_func(test_attempt_many_times, 0, param) == \
        "test_attempt_many_times_1_a_b_2_5"
    with utt.assert_raises(KeyError):
        {}["x"]
    assert utt.SkipTest is unittest.SkipTest
    try:
        import parameterized
    except ImportError:
        with pytest.raises(AttributeError, match="pip install parameterized"):
            utt.parameterized  # noqa: B018
    else:
        assert utt.parameterized is parameterized.parameterized


def test_assert_failure_fast():
    def raises():
        raise ValueError

    assert utt.assertFailure_fast(raises) is raises   # cycle_detection=regular: unchanged
    with theano.change_flags(cycle_detection="fast"):
        wrapped = utt.assertFailure_fast(raises)
    wrapped()   # the failure is now expected...
    with theano.change_flags(cycle_detection="fast"):
        passes = utt.assertFailure_fast(lambda: None)
    with pytest.raises(AssertionError):   # ... and a test that passes fails
        passes()


class _Mixin(utt.TestOptimizationMixin):
    pass


def test_optimization_mixin():
    x = T.vector()
    f = theano.function([x], T.exp(x) + 1)
    t = _Mixin()
    nodes = f.maker.fgraph.toposort()
    ops = [node.op for node in nodes]
    # One fused Elemwise with the rewrites; exp, add and a DimShuffle without them.
    t.assertFunctionContainsClassN(f, Elemwise, sum(isinstance(o, Elemwise) for o in ops))
    with pytest.raises(AssertionError):
        t.assertFunctionContainsClassN(f, Elemwise, 5)
    t.assertFunctionContains1(f, ops[0])
    t.assertFunctionContains0(f, T.tanh)
    with pytest.raises(unittest.SkipTest, match="why"):
        t.SkipTest("why")


class _ContractTest(utt.T_OpContractMixin):
    ops = [T.exp, T.tanh]

    def clone(self, op):
        return type(op)(op.scalar_op)


def test_op_contract_mixin():
    t = _ContractTest()
    t.test_eq()
    t.test_hash()
    t.test_name()
    assert utt.T_OpContractMixin.other_op is T.add


def test_infer_shape_tester():
    class Shapes(utt.InferShapeTester):
        def runTest(self):
            pass

    case = Shapes()
    case.setUp()
    x = T.matrix()
    case._compile_and_check([x], [x.T.dimshuffle(0, 1, "x")], [np.zeros((2, 3))],
                            T.DimShuffle)
    with pytest.raises(AssertionError, match="apply no"):   # the Op must be in the outputs
        case._compile_and_check([x], [x + 1], [np.zeros((2, 3))], T.Dot)
