"""LeNet-5 end to end, from the legacy-style script tests/legacy_tutorials/programs/lenet_legacy.py.

* Training: the script runs in a fresh interpreter (as a user runs it, as the legacy
  harness does) for 300 minibatches of a synthetic 5-class MNIST-shaped set, in float32
  (T.nnet.conv2d + pool.pool_2d(ds=)) and in float64 (the old conv.conv2d(image_shape=) +
  downsample.max_pool_2d): the loss must fall from ln 5 to a small fraction of it, the
  validation error end far below chance (80 %), and every minibatch cost, validation
  error and parameter sum agree with the same script run under Theano 1.0.5
  (tests/golden/lenet.theano105.json, made by tests/golden/make_lenet.py).
* Gradients: every coordinate of T.grad(cost, params) of the full network against central
  differences of the compiled cost, float64, a tiny batch.
* Forward: one LeNetConvPoolLayer against SciPy (correlation with flipped kernels) and
  max pooling written as a reshape, in float32 and float64, every import spelling.
"""

import ast
import contextlib
import functools
import importlib.util
import json
import os
import warnings

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.golden._record import golden_blocks
from tests.support.legacy_run import run_legacy_program
from tests.support.paths import GOLDEN as GOLDEN_DIR
from tests.support.paths import ROOT, TOOLS

SCRIPT = os.path.join(ROOT, "tests", "legacy_tutorials", "programs", "lenet_legacy.py")
GOLDEN = os.path.join(GOLDEN_DIR, "lenet.theano105.json")
CHANCE = 0.8  # five balanced classes


def run_script(floatX, conv, pool):
    proc = run_legacy_program(SCRIPT, f"floatX={floatX}", LENET_CONV=conv, LENET_POOL=pool,
                              # One BLAS thread: on a loaded 2-core machine OpenBLAS's
                              # spinning threads make these small matrix products 10-50x
                              # slower.
                              OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    return proc.stdout, proc.stderr


def reference(config):
    with open(GOLDEN) as fh:
        return json.load(fh)[config]["blocks"]


def check_training(out, ref, cost_rtol, cost_atol):
    got = golden_blocks(out)
    costs = np.array(got["costs"][2])
    valid = np.array(got["valid_errors"][2])
    assert len(costs) == 300
    # The loss falls from ln(5) (W of the softmax layer starts at zero) to a fraction of it.
    assert costs[0] == pytest.approx(np.log(5), rel=1e-6)
    assert costs[-20:].mean() < 0.25 * costs[:20].mean()
    assert valid[-1] < 0.1 < CHANCE
    assert got["test_error"][2] < 0.1
    # ... and the run is Theano 1.0.5's run.
    for label, (dtype, shape, values) in ref.items():
        assert [got[label][0], got[label][1]] == [dtype, shape], label
    np.testing.assert_allclose(costs, ref["costs"][2], rtol=cost_rtol, atol=cost_atol)
    # Error rates are counts over 500 images: allow one image of difference in float32;
    # in float64 the last bit may differ (see test_mean_over_a_reshaped_batch_...).
    np.testing.assert_allclose(valid, ref["valid_errors"][2], rtol=0,
                               atol=0.002 if cost_atol else 1e-15)
    for k in range(8):
        s, a = got[f"param{k}_sum"][2], got[f"param{k}_abs_sum"][2]
        # Sums of a softmax layer's parameters are ~0 by symmetry: compare against |p|.
        scale = ref[f"param{k}_abs_sum"][2]
        assert a == pytest.approx(scale, rel=cost_rtol), k
        assert s == pytest.approx(ref[f"param{k}_sum"][2], abs=cost_rtol * scale), k


def test_lenet_trains_float32_nnet_conv2d_and_pool_2d_as_theano():
    out, _ = run_script("float32", "nnet", "pool")
    assert "validation error" in out
    # float32 rounding differs (summation order of the products) and grows over 300 SGD
    # steps to ~1e-4 relative in the last costs.
    check_training(out, reference("nnet_conv2d_pool_float32"), cost_rtol=2e-3,
                   cost_atol=1e-4)


def test_lenet_trains_float64_old_conv_and_downsample_as_theano():
    """conv.conv2d(image_shape=) and downsample.max_pool_2d(ds=): the graph Theano 1.0.5
    built with conv.conv2d and pool_2d (it no longer had downsample)."""
    out, _ = run_script("float64", "conv", "downsample")
    check_training(out, reference("old_conv_pool_float64"), cost_rtol=1e-9, cost_atol=0)


# ----------------------------------------------------------------------------- in process

@contextlib.contextmanager
def _environ(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@functools.cache
def lenet_module(conv, pool):
    """The script imported as a module with its convolution and pooling spellings."""
    spec = importlib.util.spec_from_file_location(f"lenet_legacy_{conv}_{pool}", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    with _environ(LENET_CONV=conv, LENET_POOL=pool), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec.loader.exec_module(mod)
    assert (mod.CONV_API, mod.POOL_API) == (conv, pool)
    return mod


VARIANTS = [("nnet", "pool"), ("conv", "downsample"), ("nnet", "downsample"),
            ("conv", "pool")]


def conv_pool_reference(x, W, b, poolsize):
    """tanh(maxpool(conv(x, W)) + b) by SciPy and NumPy, float64."""
    from scipy import signal

    x, W, b = (np.asarray(a, dtype="float64") for a in (x, W, b))
    conv = np.array([[sum(signal.correlate(x[n, c], W[o, c, ::-1, ::-1], mode="valid")
                          for c in range(x.shape[1]))
                      for o in range(W.shape[0])]
                     for n in range(x.shape[0])])
    ph, pw = poolsize
    H, Wd = conv.shape[2] // ph * ph, conv.shape[3] // pw * pw  # ignore_border=True
    blocks = conv[:, :, :H, :Wd].reshape(conv.shape[0], conv.shape[1], H // ph, ph,
                                         Wd // pw, pw)
    return np.tanh(blocks.max(axis=(3, 5)) + b[None, :, None, None])


@pytest.mark.parametrize("floatX", ["float32", "float64"])
@pytest.mark.parametrize("conv,pool", VARIANTS)
@pytest.mark.parametrize("image_shape,filter_shape,poolsize", [
    ((4, 1, 28, 28), (3, 1, 5, 5), (2, 2)),    # LeNet's first layer
    ((3, 3, 12, 11), (5, 3, 4, 4), (3, 2)),    # 9x8 maps: pooling drops a row
])
def test_conv_pool_layer_forward_matches_scipy(floatX, conv, pool, image_shape,
                                              filter_shape, poolsize):
    mod = lenet_module(conv, pool)
    rng = np.random.RandomState(7)
    with theano.change_flags(floatX=floatX), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = T.tensor4("x")
        layer = mod.LeNetConvPoolLayer(rng, input=x, filter_shape=filter_shape,
                                       image_shape=image_shape, poolsize=poolsize)
        layer.b.set_value(rng.uniform(-0.5, 0.5, filter_shape[0]).astype(floatX))
        f = theano.function([x], layer.output)
    xv = rng.uniform(-1, 1, image_shape).astype(floatX)
    got = f(xv)
    assert layer.W.get_value().dtype == floatX and got.dtype == floatX
    ref = conv_pool_reference(xv, layer.W.get_value(), layer.b.get_value(), poolsize)
    tol = 1e-5 if floatX == "float32" else 1e-12
    np.testing.assert_allclose(got, ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("conv,pool", VARIANTS[:2])
def test_lenet_gradients_match_finite_differences(conv, pool):
    """Every coordinate of the gradient of the full LeNet cost w.r.t. all 8 parameters
    (534 numbers) against central differences, float64, a batch of 3."""
    mod = lenet_module(conv, pool)
    rng = np.random.RandomState(3)
    with theano.change_flags(floatX="float64"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x, y = T.matrix("x"), T.ivector("y")
        cost, _, params = mod.build_lenet(rng, x, y, batch_size=3, nkerns=(2, 3),
                                               n_hidden=6)
        f_cost = theano.function([x, y], cost)
        f_grad = theano.function([x, y], T.grad(cost, params))
    xv, yv = mod.draw_strokes(rng, 3)
    yv = yv.astype("int32")
    for p in params:  # away from the zero initial softmax weights (zero gradients below)
        p.set_value(rng.uniform(-0.5, 0.5, p.get_value().shape))
    grads = f_grad(xv, yv)
    eps = 1e-6
    for p, g in zip(params, grads):
        base = p.get_value()
        assert g.shape == base.shape and g.dtype == "float64"
        numeric = np.empty_like(base)
        for i in range(base.size):
            w = base.copy()
            w.flat[i] += eps
            p.set_value(w)
            up = f_cost(xv, yv)
            w.flat[i] -= 2 * eps
            p.set_value(w)
            numeric.flat[i] = (up - f_cost(xv, yv)) / (2 * eps)
        p.set_value(base)
        assert np.abs(g).max() > 1e-3  # every parameter really influences the cost
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8, err_msg=str(p))


def test_script_uses_only_theano_1_0_era_imports():
    """The script imports only names that Theano 1.0 code used (downsample: Theano 0.8)."""
    allowed = {"theano", "theano.tensor", "theano.tensor.nnet.conv2d",
               "theano.tensor.nnet.conv", "theano.tensor.signal.pool",
               "theano.tensor.signal.downsample"}
    with open(SCRIPT) as fh:
        tree = ast.parse(fh.read())
    seen = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            seen.update(a.name for a in node.names if a.name.startswith("theano"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("theano"):
            seen.update(f"{node.module}.{a.name}" for a in node.names)
    assert seen == allowed


def test_pool_2d_ds_deprecation_warning_names_the_callers_line():
    """The tutorial's pool_2d(ds=) warns, naming the caller's line as Theano 1.0.5 did."""
    from theano.tensor.signal import pool

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pool.pool_2d(T.tensor4(), ds=(2, 2), ignore_border=True)
    (w,) = [w for w in caught if "'ds' parameter" in str(w.message)]
    assert w.filename == __file__


def test_mean_over_a_reshaped_batch_divides_as_theano():
    x = T.dvector("x")
    f = theano.function([x], T.mean(x.reshape((20, 1)), axis=0), mode="FAST_RUN")
    v = np.zeros(20)
    v[:7] = 1.0
    assert f(v).tolist() == [0.35000000000000003]  # Theano 1.0.5: 7 * 0.05


def test_bench_lenet_step_matches_its_numpy_backprop(monkeypatch):
    """tools/bench/bench_lenet.py's step (the tutorial's graph with givens) against the
    bench's hand-written NumPy im2col forward + backward + SGD, 3 steps at small sizes in
    float64: checks the benchmark's twins compute the same numbers (and, the NumPy side
    being analytic backpropagation, our conv/pool gradients once more)."""
    monkeypatch.syspath_prepend(os.path.join(TOOLS, "bench"))  # undone after the test
    import bench_lenet
    import workloads

    wl = bench_lenet.LeNetStep(batch=6, nkerns=(2, 3), n_hidden=7, dtype="float64",
                               name="lenet_small")
    results = []
    for impl in ("ours", "numpy"):
        p = workloads.Prepared(wl, impl)
        costs = [float(p.call()[0]) for _ in range(3)]
        results.append((costs, [np.array(v) for v in p.state()]))
    (c_ours, s_ours), (c_np, s_np) = results
    assert c_ours[0] == pytest.approx(np.log(10), rel=1e-12)  # softmax weights start at 0
    np.testing.assert_allclose(c_ours, c_np, rtol=1e-12)
    initial = wl._params()
    for a, b, p0 in zip(s_ours, s_np, initial):
        assert np.abs(b - p0).max() > 1e-6  # every parameter moved
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


def test_old_conv2d_warns_that_it_is_deprecated():
    from theano.tensor.nnet import conv

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        conv.conv2d(T.tensor4(), T.tensor4(), filter_shape=(2, 1, 3, 3),
                    image_shape=(4, 1, 8, 8))
    expected = ("theano.tensor.nnet.conv.conv2d is deprecated. Use theano.tensor.nnet.conv2d "
                "instead.")
    assert [str(w.message) for w in caught if w.category is UserWarning] == [expected]
