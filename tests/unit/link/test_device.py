"""The device code paths (device=cuda) run end to end on a simulated GPU.

tests/support/fake_cupy.py stands in for CuPy: its arrays refuse implicit conversion to
NumPy and its functions refuse NumPy arrays (as CuPy's do), and its ElementwiseKernel
compiles the CUDA C of the fused kernels with g++.  So what is checked here is real: data
placement (inputs copied in, outputs copied out, shared variables on the device),
Theano's GPU shared-variable semantics, one kernel launch per fused group, MRG streams
with the same bits as on the CPU, host-run Ops, scan, and a sample of the backend-parity
suite (tests/backend_parity, which runs in full on a real GPU; with
THEANO_COMPAT_FAKE_GPU=1 it runs in full on this simulation).
"""

import warnings

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.backend_parity import parity
from tests.support import cuda_c_harness, fake_cupy
from theano_compat import backend as B
from theano_compat.tensor.random import mrg31k3p as gen
from theano_compat.tensor.random.mrg_ops import draw_with_kernel

pytestmark = pytest.mark.skipif(not cuda_c_harness.available(),
                                reason="the simulated GPU runs kernels through g++")


@pytest.fixture
def gpu(monkeypatch):
    """The simulated GPU backend, current for the test (CPU again afterwards)."""
    fake_cupy.install(monkeypatch)
    backend = B.get("cuda")
    monkeypatch.setattr(B, "_current", backend)
    return backend


def is_dev(x):
    return isinstance(x, fake_cupy.ndarray)


# ----------------------------------------------------------------------------- transfers


def test_inputs_in_outputs_out(gpu):
    x = T.matrix("x")
    y = T.vector("y")
    f = theano.function([x, y], [T.tanh(x) * y + 1, (x ** 2).sum()])
    xv = np.arange(6.0).reshape(2, 3) / 10
    yv = np.array([1.0, -2.0, 0.5])
    want = [np.tanh(xv) * yv + 1, (xv ** 2).sum()]
    for args in [(xv, yv), (gpu.asarray(xv), gpu.asarray(yv)), (xv.tolist(), yv)]:
        outs = f(*args)
        assert [type(o) for o in outs] == [np.ndarray, np.ndarray]  # NumPy for the caller
        for o, w in zip(outs, want):
            np.testing.assert_allclose(o, w, rtol=1e-12)
    # A device array of the wrong dtype follows Theano's casting rules, on the device.
    v = T.fvector("v")
    with pytest.raises(TypeError, match="without risking loss of precision"):
        theano.function([v], v * 1)(gpu.asarray(yv))


def test_out_borrow_keeps_the_result_on_the_device(gpu):
    x = T.vector("x")
    f = theano.function([x], [theano.Out(x * 2, borrow=True), x * 3])
    a, b = f(np.arange(3.0))
    assert is_dev(a) and type(b) is np.ndarray
    np.testing.assert_array_equal(a.get(), [0, 2, 4])


def test_default_input_values_live_on_the_device(gpu):
    x = T.vector("x")
    s = T.vector("s")
    f = theano.function([x, theano.In(s, value=np.ones(3))], x + s)
    assert is_dev(f.input_storage[1].storage[0])
    np.testing.assert_array_equal(f(np.arange(3.0)), [1, 2, 3])


# ----------------------------------------------------------------------------- shared


def test_shared_variables_follow_theanos_gpu_semantics(gpu):
    v = np.arange(6.0).reshape(2, 3)
    w = theano.shared(v, name="w")
    internal = w.get_value(borrow=True, return_internal_type=True)
    assert is_dev(internal) and w.device is gpu
    assert w.get_value(borrow=True, return_internal_type=True) is internal
    assert w.get_value(return_internal_type=True) is not internal  # a device copy
    # get_value() gives a fresh NumPy array, borrow or not.
    for borrow in (False, True):
        h = w.get_value(borrow=borrow)
        assert type(h) is np.ndarray and np.array_equal(h, v)
        h[0, 0] = 99
    assert w.get_value()[0, 0] == 0
    # set_value: NumPy is copied to the device; a device array is kept with borrow=True.
    w.set_value(v * 2)
    assert is_dev(w.get_value(borrow=True, return_internal_type=True))
    d = gpu.asarray(v * 3)
    w.set_value(d, borrow=True)
    assert w.get_value(borrow=True, return_internal_type=True) is d
    w.set_value(d)
    assert w.get_value(borrow=True, return_internal_type=True) is not d
    with pytest.raises(TypeError, match="Wrong number of dimensions"):
        w.set_value(np.ones(3))
    # Placement rules: 0-d and complex stay on the host, target='cpu' too.
    assert theano.shared(np.float64(0.1)).device is None
    assert theano.shared(np.array(2.0)).device is None
    assert theano.shared(np.ones(2, dtype="complex128")).device is None
    assert theano.shared(v, target="cpu").device is None
    assert theano.shared(np.arange(3)).device is gpu  # integer arrays go too
    # A device array given to theano.shared stays where it is.
    assert theano.shared(d, borrow=True).get_value(borrow=True, return_internal_type=True) is d


def test_updates_stay_on_the_device(gpu):
    w = theano.shared(np.zeros(3), name="w")
    k = theano.shared(np.int64(0), name="k")  # a host scalar updated by a device kernel
    x = T.vector("x")
    f = theano.function([x], w.sum(), updates=[(w, w + x), (k, k + 1)])
    for _ in range(3):
        f(np.ones(3))
    assert is_dev(w.get_value(borrow=True, return_internal_type=True))
    np.testing.assert_array_equal(w.get_value(), [3, 3, 3])
    assert int(k.get_value()) == 3 and type(k.get_value()) is np.ndarray


def test_sgd_step_matches_the_cpu(gpu):
    def build():
        rng = np.random.RandomState(1)
        w = theano.shared(rng.randn(4, 3), name="w")
        b = theano.shared(np.zeros(3), name="b")
        x = T.matrix("x")
        y = T.ivector("y")
        lr = T.scalar("lr")
        p = T.nnet.softmax(T.dot(x, w) + b)
        cost = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
        gw, gb = T.grad(cost, [w, b])
        return theano.function([x, y, lr], cost, updates=[(w, w - lr * gw),
                                                           (b, b - lr * gb)]), w, b

    f_dev, w_dev, b_dev = build()
    with B.using("cpu"):
        f_cpu, w_cpu, b_cpu = build()
    rng = np.random.RandomState(2)
    for _ in range(5):
        xv, yv = rng.randn(8, 4), rng.randint(0, 3, size=8).astype("int32")
        np.testing.assert_allclose(f_dev(xv, yv, 0.1), f_cpu(xv, yv, 0.1), rtol=1e-12)
    np.testing.assert_allclose(w_dev.get_value(), w_cpu.get_value(), rtol=1e-12)
    np.testing.assert_allclose(b_dev.get_value(), b_cpu.get_value(), rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- kernels


def test_one_kernel_launch_per_fused_group(gpu):
    x = T.fvector("x")
    y = T.fvector("y")
    z = (T.exp(x) * y + T.tanh(x - y) / (1 + x ** 2) - T.sqrt(abs(y)) * 0.5 + T.log1p(x * x))
    f = theano.function([x, y], z, mode="FAST_RUN")  # fusion is a FAST_RUN rewrite
    nodes = f.maker.fgraph.toposort()
    assert [type(n.op).__name__ for n in nodes] == ["GpuElemwise"]  # one fused group
    xv = np.linspace(-1, 1, 50).astype("float32")
    yv = np.linspace(2, -3, 50).astype("float32")
    f(xv, yv)
    before = fake_cupy.ElementwiseKernel.calls
    out = f(xv, yv)
    assert fake_cupy.ElementwiseKernel.calls - before == 1
    with B.using("cpu"):
        want = theano.function([x, y], z)(xv, yv)
    np.testing.assert_allclose(out, want, rtol=2e-6)


def _launches(f, *args):
    """(reduction kernel launches, elementwise kernel launches, outputs) of one call."""
    r0, e0 = fake_cupy.ReductionKernel.calls, fake_cupy.ElementwiseKernel.calls
    out = f(*args)
    return fake_cupy.ReductionKernel.calls - r0, fake_cupy.ElementwiseKernel.calls - e0, out


@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-12), ("float32", 1e-6)])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_sum_of_a_fused_group_is_one_reduction_kernel(gpu, dtype, rtol, axis):
    x = T.matrix("x", dtype=dtype)
    y = T.matrix("y", dtype=dtype)
    z = (T.exp(x) * y + T.tanh(x - y) / (1 + x ** 2)).sum(axis=axis)
    f = theano.function([x, y], z, mode="FAST_RUN")
    assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == [
        "GpuElemwise", "GpuSum"]
    rng = np.random.RandomState(7)
    xv, yv = rng.uniform(-2, 2, (2, 6, 5)).astype(dtype)
    n_reduce, n_elemwise, got = _launches(f, xv, yv)
    assert (n_reduce, n_elemwise) == (1, 0)
    assert type(got) is np.ndarray and got.dtype == np.dtype(dtype)
    # Theano's acc_dtype: terms computed in `dtype` accumulate in float64, one rounding at
    # the end.  Summation order (and 1-ulp differences of exp/tanh between libraries)
    # may change the result by rtol relative to the sum of the magnitudes.
    terms = np.exp(xv) * yv + np.tanh(xv - yv) / (1 + xv ** 2)
    assert terms.dtype == np.dtype(dtype)
    atol = rtol * np.abs(terms).sum(axis=axis, dtype="float64")
    with B.using("cpu"):
        want = theano.function([x, y], z, mode="FAST_RUN")(xv, yv)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol.max())
    np.testing.assert_allclose(got, terms.sum(axis=axis, dtype="float64").astype(dtype),
                               rtol=rtol, atol=atol.max())


def test_prod_and_integer_sums_fold_too(gpu):
    x = T.matrix("x")
    i = T.ivector("i")
    outs = [(x * 0.5 + 1).prod(axis=0), (i * 3 - 1).sum()]
    f = theano.function([x, i], outs, mode="FAST_RUN")
    xv = np.random.RandomState(3).uniform(-1, 1, (4, 3))
    iv = np.array([2 ** 30, 2 ** 30, -5, 7], dtype="int32")  # int64 accumulation
    n_reduce, n_elemwise, (p, s) = _launches(f, xv, iv)
    assert (n_reduce, n_elemwise) == (2, 0)
    np.testing.assert_allclose(p, np.prod(xv * 0.5 + 1, axis=0), rtol=1e-12)
    assert s.dtype == np.dtype("int64")
    assert int(s) == int(np.sum((iv * 3 - 1).astype("int32"), dtype="int64"))


def test_a_fused_group_read_elsewhere_is_not_folded(gpu):
    x = T.vector("x")
    z = T.exp(x) * 2 + x
    xv = np.linspace(-1, 1, 9)
    want = np.exp(xv) * 2 + xv
    # Another reader (Max), and the group as a result of the function.
    for outs in ([z.sum(), z.max()], [z.sum(), z]):
        f = theano.function([x], outs, mode="FAST_RUN")
        n_reduce, n_elemwise, (s, other) = _launches(f, xv)
        assert (n_reduce, n_elemwise) == (0, 1)
        np.testing.assert_allclose(s, want.sum(), rtol=1e-12)
        np.testing.assert_allclose(other, want.max() if other.ndim == 0 else want,
                                   rtol=1e-12)


def test_size_rule_is_checked_before_the_kernel(gpu):
    x, y = T.matrices("x", "y")
    f = theano.function([x, y], x * y + 1)
    with pytest.raises(ValueError, match="Input dimension mis-match"):
        f(np.ones((2, 3)), np.ones((1, 3)))


# ----------------------------------------------------------------------------- random


@pytest.mark.parametrize("n_streams,n_elements", [(1, 5), (4, 3), (4, 12), (5, 23), (30, 7)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_mrg_kernel_gives_the_cpu_bits(gpu, n_streams, n_elements, dtype):
    rstate = gen.substream_states(np.array([12345, 12345, 12345, 12345, 12345, 12345]),
                                  n_streams)
    want_state, want = gen.draw(np, rstate, n_elements, dtype)
    got_state, got = draw_with_kernel(gpu, gpu.asarray(rstate), n_elements, dtype)
    assert is_dev(got) and got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got.get(), want)
    np.testing.assert_array_equal(got_state.get(), want_state)


@pytest.mark.skipif(
    np.lib.NumpyVersion(np.__version__) < "2.0.0",
    reason="NumPy 1.x: the CuPy stand-in's float64 log is NumPy's np.log, whose NumPy 1.x "
           "SIMD kernel differs from the C library's log (which the CPU path reproduces, "
           "glibc_math.log64) in the last bit for ~20% of inputs (NumPy 2: ~0.3%)")
def test_mrg_streams_on_the_device_match_the_cpu(gpu):
    from theano.sandbox.rng_mrg import MRG_RandomStreams

    def draws():
        srng = MRG_RandomStreams(seed=234)
        u = srng.uniform((7, 5), dtype="float32")
        n = srng.normal((4, 3), avg=1.0, std=2.0)
        f = theano.function([], [u, n])
        return [f() for _ in range(2)]

    got = draws()
    with B.using("cpu"):
        want = draws()
    for g, w in zip(got, want):
        for a, b in zip(g, w):
            np.testing.assert_array_equal(a, b)


def test_random_streams_draw_on_the_host_and_copy(gpu):
    from theano.tensor.shared_randomstreams import RandomStreams

    def draws():
        srng = RandomStreams(seed=42)
        x = T.vector("x")
        f = theano.function([x], srng.uniform((3,)) + x)
        return [f(np.zeros(3)) for _ in range(2)]

    got = draws()
    with B.using("cpu"):
        want = draws()
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- other Ops


def test_perform_only_op_runs_on_the_host_with_one_warning(gpu):
    class Cube(theano.Op):
        __props__ = ()

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, outputs):
            assert type(inputs[0]) is np.ndarray  # the Op sees NumPy, as it expects
            outputs[0][0] = inputs[0] ** 3

    x = T.vector("x")
    with pytest.warns(RuntimeWarning, match="Cube defines only perform"):
        f = theano.function([x], Cube()(x) + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        theano.function([x], Cube()(x) * 2)  # warned once per class
    np.testing.assert_array_equal(f(np.arange(3.0)), [1, 2, 9])


def test_scan_runs_on_the_device(gpu):
    x = T.matrix("x")
    h0 = T.vector("h0")
    w = theano.shared(np.eye(3) * 0.5, name="w")
    hs, _ = theano.scan(lambda xt, h: T.tanh(T.dot(h, w) + xt), sequences=x, outputs_info=h0)
    cost = hs[-1].sum()
    f = theano.function([x, h0], [hs, T.grad(cost, w)])
    xv = np.random.RandomState(0).randn(5, 3)
    got = f(xv, np.zeros(3))
    with B.using("cpu"):
        want = theano.function([x, h0], [hs, T.grad(cost, w)])(xv, np.zeros(3))
    for g, wv in zip(got, want):
        np.testing.assert_allclose(g, wv, rtol=1e-12)


# ----------------------------------------------------------------------------- parity

SAMPLE = ["scalar.sigmoid", "scalar.int_div:row_col", "scalar.Composite", "Reshape", "Join",
          "Split", "Alloc", "Sum", "Max", "Dot:mm", "Subtensor", "AdvancedIncSubtensor1",
          "Softmax", "CrossentropyCategorical1Hot", "IfElse:then", "OpFromGraph", "Scan:jacobian",
          "MatrixInverse", "TakeAlongAxis"]


@pytest.mark.parametrize("name", SAMPLE)
def test_parity_sample(gpu, name):
    dtype = parity.CASES[name].dtypes[0]
    parity.check_function(name, dtype, gpu)
    assert parity.check_nodes(name, dtype, gpu) > 0
