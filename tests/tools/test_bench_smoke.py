"""Smoke test of the benchmark suite (tools/bench/run_all.py): its workloads run under this
project and under their hand-written NumPy twins, and both compute the same numbers.

No timing is asserted, and neither PyTensor nor Theano is involved.  The agreement is a
real check on both sides: the hand NumPy steps use analytic gradients (x.T @ (p - y) / N
for logistic regression, softmax minus one-hot for the MLP), so a wrong gradient or
update in either the project or the benchmark shows up here.

The project's side compiles in FAST_RUN, the mode the workloads are benchmarked in (the
default), whatever THEANO_FLAGS the suite runs under: seed 1's cross-entropy as the
tutorial writes it is NaN on its data without FAST_RUN's stabilize rewrites (in Theano
1.0.5 too), while the hand NumPy step computes the stable form.
"""

import os
import sys

import numpy as np
import pytest

from tests.support.modes import FAST_RUN
from tests.support.paths import TOOLS

BENCH = os.path.join(TOOLS, "bench")
sys.path.insert(0, BENCH)

import run_all  # noqa: E402


@pytest.mark.parametrize("name", ["seed1", "mlp", "seed2", "elemwise_16", "no_input"])
def test_ours_matches_hand_numpy(name):
    ours_out, ours_state = run_all.run_in_process(name, "ours", steps=3, mode=FAST_RUN)
    np_out, np_state = run_all.run_in_process(name, "numpy", steps=3)
    assert len(ours_out) == len(np_out) and len(ours_state) == len(np_state)
    for a, b in zip(ours_out + ours_state, np_out + np_state):
        assert a.shape == b.shape
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"),
                                   rtol=1e-9, atol=1e-12)


def test_parameters_actually_train():
    """Guards the check above against a vacuous pass: three MLP steps move the weights."""
    import workloads

    initial = workloads.WORKLOADS["mlp"]._params()
    _, state = run_all.run_in_process("mlp", "ours", steps=3, mode=FAST_RUN)
    assert all(np.abs(s - p0).max() > 1e-5 for s, p0 in zip(state, initial))
