"""Legacy import paths and names (issue 8, point 4): theano.Param, theano.sandbox.cuda,
theano.gpuarray / theano.sandbox.gpuarray, theano.tensor.signal.downsample,
theano.misc.pkl_utils, theano.compile.mode.get_default_mode, theano.scalar.upcast and
theano.tests.unittest_tools.
"""

import importlib
import io
import logging
import os
import pickle
import sys
import unittest
import zipfile

import numpy as np
import pytest
import theano.tensor as T

import theano
from theano_compat import backend

from tests.support.paths import GOLDEN

sys.path.insert(0, GOLDEN)
import make_pkl_utils  # noqa: E402

# ----------------------------------------------------------------------------- theano.Param


def test_param_is_in_with_the_old_signature():
    x, y = T.dscalars("x", "y")
    with pytest.warns(Warning, match="Param"):
        p = theano.Param(y, default=3.0, name="yy")
    assert isinstance(p, theano.In)
    f = theano.function([x, p], x + 2 * y)
    assert f(1.0) == 7.0 and f(1.0, 2.0) == 5.0 and f(1.0, yy=0.5) == 2.0
    import inspect
    assert list(inspect.signature(theano.Param).parameters) == [
        "variable", "default", "name", "mutable", "strict", "allow_downcast", "implicit",
        "borrow"]


# ----------------------------------------------------------------------------- GPU probes


def test_lasagne_gpu_probe_runs_unchanged():
    # Lasagne's detection code (SURFACE.md §3): first gpuarray, then sandbox.cuda.
    try:
        from theano import gpuarray
    except ImportError:
        from theano.sandbox import gpuarray
    gpu = gpuarray.pygpu_activated and gpuarray.dnn.dnn_present()
    if not gpu:
        try:
            from theano.sandbox import cuda
            gpu = cuda.cuda_enabled and cuda.dnn.dnn_available()
        except Exception:  # noqa: BLE001 - Lasagne's own pattern
            pytest.fail("theano.sandbox.cuda must import")
    assert gpu is False


def _gpu_usable():
    try:
        backend.get("cuda0")
    except (ImportError, RuntimeError):
        return False
    return True


def _check_use(module, flag, caplog):
    """use() follows Theano: 'cpu' does nothing; a GPU that cannot be used is logged and
    the CPU kept, or raises OSError with force=True."""
    module.use("cpu")
    assert getattr(module, flag) is False
    if _gpu_usable():  # a machine with CuPy and a GPU: use() really switches
        try:
            module.use("cuda0")
            assert getattr(module, flag) is True and backend.cuda_active()
        finally:
            backend.unuse()
            setattr(module, flag, False)
        return
    with caplog.at_level(logging.ERROR, logger="theano_compat.backend"):
        module.use("cuda0")
    assert "Not using GPU" in caplog.text and "pip install theano-compat[cuda12]" in caplog.text
    assert getattr(module, flag) is False and not backend.cuda_active()
    with pytest.raises(OSError, match=r"You forced the use of gpu device"):
        module.use("cuda0", force=True)


def test_sandbox_cuda(caplog):
    from theano.sandbox import cuda
    from theano.sandbox.cuda import basic_ops, blas, dnn
    assert cuda.cuda_enabled is False
    _check_use(cuda, "cuda_enabled", caplog)
    assert dnn.dnn_available() is False
    assert "not available" in dnn.dnn_available.msg and "conv2d" in dnn.dnn_available.msg
    assert dnn.version() == -1
    # gpu_contiguous: a C-contiguous copy on the CPU, values unchanged.
    x = T.dmatrix("x")
    v = np.arange(12.0).reshape(3, 4)
    got = theano.function([x], basic_ops.gpu_contiguous(x.T))(v)
    np.testing.assert_array_equal(got, v.T)
    assert got.flags.c_contiguous
    # The GPU-only names exist and say what to use instead.
    calls = [
        (lambda: dnn.dnn_conv(x, x), "theano.tensor.nnet.conv2d"),
        (lambda: dnn.dnn_pool(x, (2, 2)), "pool_2d"),
        (lambda: dnn.GpuDnnConv(), "conv2d"),
        (lambda: dnn.GpuDnnConvDesc(border_mode="valid", subsample=(1, 1)), "conv2d"),
        (lambda: dnn.GpuDnnConvGradI(), "AbstractConv2d_gradInputs"),
        (lambda: blas.GpuCorrMM(subsample=(1, 1), border_mode="valid"), "filter_flip=False"),
        (lambda: basic_ops.gpu_alloc_empty(2, 3), "theano.tensor.zeros"),
        (lambda: basic_ops.host_from_gpu(x), "tensor itself"),
        (lambda: basic_ops.HostFromGpu(), "tensor itself"),
        (lambda: basic_ops.as_cuda_ndarray_variable(x), "as_tensor_variable"),
        (lambda: cuda.as_cuda_ndarray_variable(x), "as_tensor_variable"),
        (lambda: cuda.CudaNdarray(np.zeros(2)), "numpy.ndarray"),
    ]
    for call, alternative in calls:
        with pytest.raises(NotImplementedError, match=alternative):
            call()
    assert not isinstance(x.owner, basic_ops.HostFromGpu)


@pytest.mark.parametrize("path", ["theano.gpuarray", "theano.sandbox.gpuarray"])
def test_gpuarray_probes(path, caplog):
    gpuarray = importlib.import_module(path)
    dnn = importlib.import_module(path + ".dnn")
    assert gpuarray.dnn is dnn
    assert gpuarray.pygpu_activated is False
    assert dnn.dnn_present() is False and dnn.dnn_available() is False
    assert "not available" in dnn.dnn_present.msg
    _check_use(gpuarray, "pygpu_activated", caplog)
    with pytest.raises(NotImplementedError, match="pool_2d"):
        dnn.dnn_pool(T.dtensor4(), (2, 2))


# ----------------------------------------------------------------------------- downsample


def _block_max(v, ds):
    h, w = v.shape[-2] // ds[0], v.shape[-1] // ds[1]
    return v[..., :h * ds[0], :w * ds[1]].reshape(
        v.shape[:-2] + (h, ds[0], w, ds[1])).max(axis=(-3, -1))


def test_downsample_max_pool_2d():
    from theano.tensor.signal import downsample
    from theano.tensor.signal.pool import pool_2d
    x = T.dtensor4("x")
    v = np.random.RandomState(0).permutation(2 * 3 * 6 * 8).reshape(2, 3, 6, 8) / 10.0
    # DeepLearningTutorials 2015: max_pool_2d(input=..., ds=..., ignore_border=True)
    y = downsample.max_pool_2d(input=x, ds=(2, 2), ignore_border=True)
    np.testing.assert_array_equal(theano.function([x], y)(v), _block_max(v, (2, 2)))
    # ignore_border omitted: False, with the warning; a partial last window is kept
    with pytest.warns(UserWarning, match="ignore_border"):
        y = downsample.max_pool_2d(x, (4, 3))
    got = theano.function([x], y)(v)
    assert got.shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(got[..., :1, :2], _block_max(v, (4, 3)))
    np.testing.assert_array_equal(got[..., 1, 2], v[..., 4:, 6:].max(axis=(-2, -1)))
    # st, padding and mode keep their pool_2d meaning
    y = downsample.max_pool_2d(x, (3, 3), ignore_border=True, st=(2, 2), padding=(1, 1),
                               mode="average_exc_pad")
    ref = pool_2d(x, ws=(3, 3), ignore_border=True, stride=(2, 2), pad=(1, 1),
                  mode="average_exc_pad")
    np.testing.assert_array_equal(*theano.function([x], [y, ref])(v))
    # Theano 0.8's Op with the window in its constructor
    op = downsample.DownsampleFactorMax((2, 2), ignore_border=True)
    np.testing.assert_array_equal(theano.function([x], op(x))(v), _block_max(v, (2, 2)))
    assert downsample.DownsampleFactorMax.out_shape((2, 3, 6, 8), (4, 3)) == [2, 3, 2, 3]
    same = theano.function([x], downsample.max_pool_2d_same_size(x, (2, 2)))(v)
    assert same.shape == v.shape
    np.testing.assert_array_equal(_block_max(same, (2, 2)), _block_max(v, (2, 2)))
    assert np.count_nonzero(same) == v.size // 4


# ----------------------------------------------------------------------------- pkl_utils


def test_pkl_utils_dump_and_load():
    from theano.misc.pkl_utils import dump, load
    W = theano.shared(np.arange(6.0).reshape(2, 3), name="W")
    b1 = theano.shared(np.ones(3), name="b")
    b2 = theano.shared(np.zeros(3), name="b")
    anon = theano.shared(np.full(2, 7.0))
    obj = {"params": [W, b1, b2, anon], "arr": np.arange(4), "n": 3}
    buf = io.BytesIO()
    dump(obj, buf)
    archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    # Theano 1.0.5's layout: arrays under the shared variables' names, others array_N.
    assert archive.namelist() == ["W", "b", "b_2", "array_0", "array_1", "pkl"]
    np.testing.assert_array_equal(np.load(archive.open("W")), np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(np.load(archive.open("b_2")), np.zeros(3))
    back = load(io.BytesIO(buf.getvalue()))
    assert [p.name for p in back["params"]] == ["W", "b", "b", None]
    for new, old in zip(back["params"], obj["params"]):
        np.testing.assert_array_equal(new.get_value(), old.get_value())
    np.testing.assert_array_equal(back["arr"], np.arange(4))
    # The loaded shared variables work in functions.
    x = T.dvector("x")
    assert theano.function([x], T.dot(back["params"][0], x))(np.ones(3)).tolist() == [3.0, 12.0]


def test_pkl_utils_loads_theano_archive():
    from theano.misc.pkl_utils import load
    with open(os.path.join(GOLDEN, "pkl_utils.theano105.zip"), "rb") as f:
        got = load(f)
    want = make_pkl_utils.payload()
    assert got.keys() == want.keys()
    for key in ("W", "b", "idx"):
        assert got[key].dtype == want[key].dtype
        np.testing.assert_array_equal(got[key], want[key])
    assert got["n"] == 3
    assert got["nested"][:3] == want["nested"][:3]
    np.testing.assert_array_equal(got["nested"][3]["k"], np.eye(2))


def test_strip_pickler_drops_traces_without_touching_the_graph():
    from theano.misc.pkl_utils import StripPickler
    x = T.dvector("x")
    y = T.exp(x) * 2
    x.tag.trace = [("model.py", 3, "build", "x = ...")]
    x.tag.note = "keep me"
    x.tag.debug = "drop me"
    buf = io.BytesIO()
    StripPickler(buf, extra_tag_to_remove=["debug"]).dump(y)
    y2 = pickle.loads(buf.getvalue())
    x2 = y2.owner.inputs[0].owner.inputs[0]
    assert vars(x2.tag) == {"note": "keep me"}
    assert vars(x.tag).keys() == {"trace", "note", "debug"}  # the original is unchanged
    np.testing.assert_allclose(theano.function([x2], y2)([0.0, 1.0]), [2.0, 2 * np.e])


# ----------------------------------------------------------------------------- small names


def test_get_default_mode_and_upcast():
    from theano.compile.mode import Mode, get_default_mode
    assert isinstance(get_default_mode(), Mode)
    import theano.scalar as S
    # recorded with theano-ref (Theano 1.0.5)
    for args, want in [(("float32", "int64"), "float64"), (("int8", "int16", "float16"),
                                                           "float32"),
                       (("int8", "uint8"), "int16"), (("int32", "float32"), "float64"),
                       (("uint32", "int32"), "int64"), (("float16", "int8"), "float16"),
                       (("complex64", "float64"), "complex128"), (("bool", "int8"), "int8")]:
        assert S.upcast(*args) == want, args


def test_nnet_and_signal_paths():
    import theano.tensor.nnet.bn as bn_module
    import theano.tensor.nnet.neighbours as neighbours
    import theano.tensor.signal.downsample as downsample
    import theano.tensor.signal.pool as pool
    assert T.nnet.bn is bn_module
    assert T.nnet.batch_normalization is bn_module.batch_normalization
    assert downsample.max_pool_2d_same_size is pool.max_pool_2d_same_size
    assert callable(neighbours.images2neibs) and callable(neighbours.neibs2images)


# ----------------------------------------------------------------------------- unittest_tools


def test_unittest_tools():
    from theano.tests import unittest_tools as utt
    assert utt.SkipTest is unittest.SkipTest
    assert utt.fetch_seed() == 666 and utt.fetch_seed(12) == 12
    assert utt.seed_rng(5) == 5
    first = np.random.rand(3)
    utt.seed_rng(5)
    np.testing.assert_array_equal(np.random.rand(3), first)
    utt.verify_grad(T.tanh, [np.random.rand(2, 3)])  # no rng: seeded from the config
    bad_grad = theano.gradient.grad_clip  # any op whose gradient is not the derivative
    with pytest.raises(utt.verify_grad.E_grad):
        utt.verify_grad(lambda v: bad_grad(v ** 3, -0.1, 0.1), [np.array([1.0, 2.0])])
    utt.assert_allclose(np.ones(2), np.ones(2) + 1e-9)
    with pytest.raises(AssertionError):
        utt.assert_allclose(np.ones(2), np.ones(2) + 1e-2)


def test_infer_shape_tester():
    from theano.tensor.signal.pool import Pool, pool_2d
    from theano.tests import unittest_tools as utt

    class PoolShapes(utt.InferShapeTester):
        def test_pool(self):
            x = T.dtensor4()
            self._compile_and_check([x], [pool_2d(x, (2, 3), ignore_border=False)],
                                    [np.random.rand(2, 1, 5, 7)], Pool)

        def test_wrong_shape_is_caught(self):
            x = T.dvector()
            y = T.specify_shape(x, (3,))
            with self.assertRaises(AssertionError):
                self._compile_and_check([x], [y], [np.zeros(4)], Pool)

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(PoolShapes))
    assert result.wasSuccessful(), result.failures + result.errors
