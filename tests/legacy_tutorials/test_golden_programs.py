"""Legacy-style programs of the seed pages, checked against outputs of Theano 1.0.5.

Each program runs in a fresh interpreter (as a user would run the script) and prints
``[golden]`` blocks; they are compared with the blocks recorded under the original
Theano 1.0.5 (tests/golden/seed*_*.theano105.out).
"""

import ast
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(os.path.dirname(HERE), "golden")


def golden_blocks(text):
    lines = text.splitlines()
    out = {}
    for i, line in enumerate(lines[:-1]):
        if line.startswith("[golden] ") and " dtype=" in line:
            label, rest = line[len("[golden] ") :].split(" dtype=", 1)
            dtype, shape = rest.split(" shape=", 1)
            out[label] = (dtype, shape, ast.literal_eval(lines[i + 1].replace("nan", "None")))
    return out


def run_program(name):
    env = dict(
        os.environ,
        PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
        THEANO_FLAGS="floatX=float64",
    )
    proc = subprocess.run(
        [sys.executable, os.path.join(HERE, "programs", name)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def reference(name):
    with open(os.path.join(GOLDEN, name)) as fh:
        return golden_blocks(fh.read())


@pytest.mark.xfail(
    strict=True,
    reason=(
        "needs the stabilisation rewrites of issue 5: without log(1 - sigmoid(z)) -> -softplus(z) "
        "the saturated p_1 == 1.0 gives log(0) and nan gradients, which Theano's optimizer avoids"
    ),
)
def test_logistic_regression_matches_theano_to_1e10():
    got = golden_blocks(run_program("logreg_tutorial.py"))
    ref = reference("seed1_logreg.theano105.out")
    for label in ("w_final", "b_final", "last_xent_sum", "accuracy"):
        dtype, shape, value = ref[label]
        assert got[label][:2] == (dtype, shape), label
        np.testing.assert_allclose(got[label][2], value, rtol=1e-10, atol=0, err_msg=label)
    assert got["last_pred"] == ref["last_pred"]


def test_linear_regression_matches_unoptimised_theano_exactly():
    """Bit-exact with Theano 1.0.5 run with optimizer=None (same arithmetic graph)."""
    out = run_program("linreg_tutorial.py")
    got = golden_blocks(out)
    ref = reference("seed2_linreg.optimizer_none.theano105.out")
    for label in ("w_final", "b_final", "last_cost"):
        assert got[label] == ref[label], label
    with open(os.path.join(GOLDEN, "seed2_linreg.optimizer_none.theano105.out")) as fh:
        assert out.splitlines()[0] == fh.readline().strip()


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Theano's canonicaliser folds the constants of the update (2 * 0.01 -> 0.02), which "
        "changes the last bits; exact equality needs the rewrites of issue 5"
    ),
)
def test_linear_regression_matches_theano_exactly():
    out = run_program("linreg_tutorial.py")
    got = golden_blocks(out)
    ref = reference("seed2_linreg.theano105.out")
    for label in ("w_final", "b_final", "last_cost"):
        assert got[label] == ref[label], label
    # The printed line, as the tutorial prints it.
    with open(os.path.join(GOLDEN, "seed2_linreg.theano105.out")) as fh:
        printed = [ln for ln in fh.read().splitlines() if ln and not ln.startswith(("[", "WARN"))]
    assert out.splitlines()[0] == printed[0]


@pytest.mark.parametrize(
    "label",
    [
        "rs_f_val0",
        "rs_f_val1",
        "rs_g_val0",
        "rs_g_val1",
        "rs_nearly_zeros",
        "rs_f_after_seed89234",
        "rs_f_after_srng_seed902340",
        "rs_g_after_srng_seed902340",
        "rs_v1",
        "rs_v2",
        "rs_v3",
        "rs_graph_f1_after_copy",
        "rs_graph_f2_after_copy",
        "logistic",
        "logistic2",
    ],
)
def test_examples_page_values(examples_output, label):
    ref = reference("seed3_examples.theano105.out")
    assert examples_output[label] == ref[label], label


@pytest.fixture(scope="module")
def examples_output():
    return golden_blocks(run_program("examples_page.py"))
