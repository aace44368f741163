"""The seed tutorials, the examples page, an MLP, LeNet and an RNN under device=cuda.

* Programs run as a user runs them, in a fresh interpreter with
  THEANO_FLAGS=device=cuda: the logistic/linear regression tutorials and the examples
  page must give Theano 1.0.5's recorded numbers (tests/golden, to a tolerance: a GPU's
  libm and summation order differ from the CPU's in the last bits), LeNet must train as
  it did under Theano, and `import theano` must print Theano's "Using gpu device" line.
* In process: the MLP and logistic-regression tests of tests/unit/test_models_train.py
  (hand-derived NumPy loss curves) run again with the GPU as the current device, and a
  scan RNN trains on the GPU and on the CPU to the same parameters.

Needs an NVIDIA GPU with CuPy (skips otherwise, with the reason):

    THEANO_FLAGS=device=cuda python -m pytest tests/gpu

THEANO_COMPAT_FAKE_GPU=1 runs it on the simulated GPU of tests/support/fake_cupy.py.
"""

import os
import subprocess

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.legacy_tutorials.test_golden_programs import golden_blocks, reference
from tests.support import gpu_env
from tests.unit import test_lenet, test_models_train
from theano_compat import backend as B

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAMS = os.path.join(ROOT, "tests", "legacy_tutorials", "programs")


def run_on_gpu(script, flags="", **env):
    prefix, device_flag = gpu_env.python_prefix(ROOT)
    environ = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   THEANO_FLAGS=",".join(f for f in (device_flag, flags) if f), **env)
    proc = subprocess.run(prefix + [script], env=environ, capture_output=True, text=True,
                          timeout=1200, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Using gpu device 0: " in proc.stderr  # Theano's line, printed at import
    return proc.stdout


# ----------------------------------------------------------------------------- programs


def test_logistic_regression_tutorial(device):
    got = golden_blocks(run_on_gpu(os.path.join(PROGRAMS, "logreg_tutorial.py"),
                                   "floatX=float64"))
    ref = reference("seed1_logreg.theano105.out")
    for label in ("w_final", "b_final", "last_xent_sum", "accuracy"):
        assert got[label][:2] == ref[label][:2], label
        np.testing.assert_allclose(got[label][2], ref[label][2], rtol=1e-6, atol=1e-9,
                                   err_msg=label)
    assert got["last_pred"] == ref["last_pred"]


def test_linear_regression_tutorial(device):
    got = golden_blocks(run_on_gpu(os.path.join(PROGRAMS, "linreg_tutorial.py"),
                                   "floatX=float64"))
    ref = reference("seed2_linreg.no_fp_contract.theano105.out")
    for label in ("w_final", "b_final", "last_cost"):
        np.testing.assert_allclose(got[label][2], ref[label][2], rtol=1e-9, err_msg=label)


def test_examples_page(device):
    got = golden_blocks(run_on_gpu(os.path.join(PROGRAMS, "examples_page.py"),
                                   "floatX=float64"))
    ref = reference("seed3_examples.theano105.out")
    # The labels the CPU test checks (tests/legacy_tutorials/test_golden_programs.py).
    assert {"rs_f_val0", "rs_g_val1", "rs_v3", "rs_graph_f1_after_copy", "logistic",
            "logistic2"} <= set(got) & set(ref)
    for label in set(got) & set(ref):
        dtype, shape, value = ref[label]
        assert got[label][:2] == (dtype, shape), label
        if isinstance(value, list) and value and isinstance(np.ravel(value)[0], float):
            np.testing.assert_allclose(got[label][2], value, rtol=1e-9, err_msg=label)
        else:
            assert got[label][2] == value, label


def test_lenet_trains_on_the_gpu(device):
    out = run_on_gpu(test_lenet.SCRIPT, "floatX=float32", LENET_CONV="nnet", LENET_POOL="pool")
    got = golden_blocks(out)
    ref = test_lenet.reference("nnet_conv2d_pool_float32")
    costs = np.array(got["costs"][2])
    assert len(costs) == 300 and costs[0] == pytest.approx(np.log(5), rel=1e-6)
    assert costs[-20:].mean() < 0.25 * costs[:20].mean()
    assert got["valid_errors"][2][-1] < 0.1 and got["test_error"][2] < 0.1
    # float32 sums in another order on the GPU: the runs drift apart slowly.
    np.testing.assert_allclose(costs, ref["costs"][2], rtol=1e-2, atol=2e-3)


def test_using_gpu_page_check():
    # Not a fixture user: it checks the subprocess itself (skips like the others).
    for _ in gpu_env.device_session():
        script = os.path.join(ROOT, "tests", "gpu", "using_gpu_page.py")
        out = run_on_gpu(script, "floatX=float32")
        assert out.splitlines()[-1] == "Used the gpu"


# ----------------------------------------------------------------------------- in process


def test_mlp_and_logistic_regression_follow_numpy_on_the_gpu(device):
    with B.using(device):
        test_models_train.test_mlp_with_l1_l2_follows_the_numpy_loss_curve()
        for dtype in ("float64", "float32"):
            test_models_train.test_logistic_regression_follows_the_numpy_loss_curve(dtype)
        test_models_train.test_gradients_through_givens_and_shared_variables()


def _rnn(n_in=3, n_hidden=5, seed=0):
    rng = np.random.RandomState(seed)
    W_in = theano.shared(rng.randn(n_in, n_hidden) * 0.3, name="W_in")
    W_h = theano.shared(rng.randn(n_hidden, n_hidden) * 0.3, name="W_h")
    w_out = theano.shared(rng.randn(n_hidden) * 0.3, name="w_out")
    x = T.matrix("x")
    y = T.vector("y")
    h0 = T.zeros((n_hidden,))
    hs, _ = theano.scan(lambda xt, h: T.tanh(T.dot(xt, W_in) + T.dot(h, W_h)),
                        sequences=x, outputs_info=h0)
    pred = T.dot(hs, w_out)
    cost = T.mean((pred - y) ** 2)
    params = [W_in, W_h, w_out]
    grads = T.grad(cost, params)
    train = theano.function([x, y], cost, updates=[(p, p - 0.05 * g)
                                                   for p, g in zip(params, grads)])
    return train, params


def test_rnn_trains_to_the_cpu_parameters(device):
    rng = np.random.RandomState(1)
    xs = rng.randn(40, 3)
    ys = np.sin(np.cumsum(xs[:, 0]))
    with B.using(device):
        train_gpu, params_gpu = _rnn()
        assert any(type(n.op).__name__.startswith("Gpu")
                   for n in train_gpu.maker.fgraph.toposort())
    with B.using("cpu"):
        train_cpu, params_cpu = _rnn()
    costs = []
    for _ in range(10):
        c_gpu, c_cpu = train_gpu(xs, ys), train_cpu(xs, ys)
        np.testing.assert_allclose(c_gpu, c_cpu, rtol=1e-9)
        costs.append(float(c_gpu))
    assert costs[-1] < costs[0]
    for p_gpu, p_cpu in zip(params_gpu, params_cpu):
        assert B.is_device_array(p_gpu.get_value(borrow=True, return_internal_type=True))
        np.testing.assert_allclose(p_gpu.get_value(), p_cpu.get_value(), rtol=1e-9)


def test_rnn_over_1000_steps(device):
    with B.using(device):
        train, _ = _rnn(seed=3)
    rng = np.random.RandomState(2)
    xs = rng.randn(1000, 3)
    cost = train(xs, np.cos(np.arange(1000) / 50.0))
    assert np.isfinite(cost) and cost > 0
