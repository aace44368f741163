"""Backend selection (theano_compat/backend): device flags, force_device, errors, legacy
entry points, and the Gpu-prefixed op names of compiled device graphs.

Machines without a GPU run everything here: CuPy's absence is real (or simulated by
blocking the import), and a present GPU is simulated by tests/support/fake_cupy.py
(NumPy behind CuPy's interface and strictness, kernels compiled with g++).  The import-
time behaviour (Theano printed its "Using gpu device" line when `import theano` took the
GPU) is checked in fresh interpreters.
"""

import logging
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.support import cuda_c_harness, fake_cupy
from tests.support.paths import ROOT
from theano_compat import backend as B
from theano_compat.backend import cuda as C
from theano_compat.config import device_kind

needs_gxx = pytest.mark.skipif(not cuda_c_harness.available(),
                               reason="the fake GPU runs kernels through g++")


@pytest.fixture
def no_cupy(monkeypatch):
    """`import cupy` fails as on a machine without it; the backend forgets any GPU."""
    monkeypatch.setitem(sys.modules, "cupy", None)
    monkeypatch.setattr(B, "_cuda_backends", {})
    monkeypatch.setattr(B, "_initialized_index", [None])
    monkeypatch.setattr(B, "_current", B.CPU_BACKEND)


@pytest.fixture
def fake_gpu(monkeypatch):
    return fake_cupy.install(monkeypatch)


def run_python(code, flags, fake=False, timeout=300):
    """Run `code` in a fresh interpreter with THEANO_FLAGS=flags (and the fake CuPy)."""
    boot = ""
    if fake:
        boot = (f"import sys; sys.path.insert(0, {ROOT!r}); "
                "from tests.support import fake_cupy; sys.modules.update(fake_cupy.modules())\n"
                )
    env = dict(os.environ, THEANO_FLAGS=flags,
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", boot + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def cupy_importable():
    try:
        import cupy  # noqa: F401
    except Exception:  # noqa: BLE001 - a broken CuPy install raises more than ImportError
        return False
    return True


# ----------------------------------------------------------------------------- flags


def test_device_strings_map_to_backends(fake_gpu):
    assert B.get("cpu") is B.CPU_BACKEND
    for spelling in ("cuda", "cuda0", "gpu", "gpu0"):  # gpu/gpuN: the pre-1.0 spellings
        backend = B.get(spelling)
        assert backend.name == "cuda" and backend.index == 0 and backend.is_device
    assert B.get("gpu") is B.get("cuda0")  # one backend object per device
    assert device_kind("gpu3") == ("cuda", 3)
    with pytest.raises(ValueError, match="unknown device"):
        B.get("opencl0:0")


def test_missing_cupy_names_the_install_command(no_cupy):
    with pytest.raises(ImportError) as info:
        B.get("cuda")
    msg = str(info.value)
    assert "CuPy" in msg and "not installed" in msg
    assert "pip install theano-compat[cuda12]" in msg
    assert "pip install theano-compat[cuda13]" in msg
    assert "device=cpu" in msg


def test_broken_cupy_install_is_reported_as_such():
    def importer(name):
        raise ImportError("libnvrtc.so.12: cannot open shared object file")

    with pytest.raises(ImportError, match="installed but failed to load.*libnvrtc"):
        C.load_cupy(importer)


def test_missing_driver_or_device_names_the_missing_piece(monkeypatch):
    fake_cupy.install(monkeypatch, device_count=None)  # the driver call fails
    with pytest.raises(RuntimeError, match="cannot list any device.*nvidia-smi"):
        B.get("cuda")
    fake_cupy.install(monkeypatch, device_count=0)
    with pytest.raises(RuntimeError, match=r"no CUDA device is visible"):
        B.get("cuda")
    fake_cupy.install(monkeypatch, device_count=1)
    with pytest.raises(RuntimeError, match=r"device=cuda3 .* only 1 device\(s\) .*cuda0\.\.cuda0"):
        B.get("cuda3")


# ----------------------------------------------------------------------------- force_device


def test_force_device_raises_theanos_environment_error(no_cupy):
    with pytest.raises(OSError, match="You forced the use of gpu device cuda, but CUDA "
                                      "initialization failed with error:\n.*cuda12"):
        B._take_gpu("cuda", force=True, make_default=True)


def test_without_force_the_failure_is_logged_and_the_cpu_used(no_cupy, caplog):
    with caplog.at_level(logging.ERROR, logger="theano_compat.backend"):
        backend = B._take_gpu("gpu", force=False, make_default=True)
    assert backend is B.CPU_BACKEND
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    text = record.getMessage()
    assert "Not using GPU" in text and "pip install theano-compat[cuda12]" in text
    assert "run on the CPU" in text and "force_device=True" in text


@pytest.mark.skipif(cupy_importable(), reason="CuPy is installed: this checks its absence")
def test_import_with_device_cuda_and_no_cupy():
    forced = run_python("import theano", "device=cuda,force_device=True")
    assert forced.returncode != 0
    assert "You forced the use of gpu device cuda" in forced.stderr
    assert "pip install theano-compat[cuda12]" in forced.stderr
    # force_device=False (Theano's default): an ERROR line, then the CPU; never silent.
    res = run_python("""
        import theano, theano.tensor as T, numpy as np
        import theano.sandbox.cuda
        x = T.vector()
        print(theano.function([x], x * 2)(np.ones(2, dtype=theano.config.floatX)).tolist())
        print(theano.sandbox.cuda.cuda_enabled)
    """, "device=gpu")
    assert res.returncode == 0, res.stderr
    assert "ERROR: Not using GPU. Initialisation of device gpu failed" in res.stderr
    assert "pip install theano-compat[cuda12]" in res.stderr
    assert res.stdout.split() == ["[2.0,", "2.0]", "False"]


# ----------------------------------------------------------------------------- with a GPU


@needs_gxx
def test_import_with_device_gpu_prints_theanos_line():
    res = run_python("""
        import theano, theano.tensor as T, numpy as np
        import theano.sandbox.cuda
        from theano_compat import backend
        x = theano.shared(np.arange(4.0), name="x")
        f = theano.function([], T.exp(x) + 1)
        print(backend.current().name, theano.sandbox.cuda.cuda_enabled,
              type(x.get_value()).__name__,
              type(x.get_value(borrow=True, return_internal_type=True)).__module__,
              [type(n.op).__name__ for n in f.maker.fgraph.toposort()],
              np.allclose(f(), np.exp(np.arange(4.0)) + 1))
    """, "device=gpu0,floatX=float64", fake=True)
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("Using gpu device")]
    assert lines == [("Using gpu device 0: Fake GPU (NumPy) (CNMeM is disabled, cuDNN not "
                      "available)")]
    assert res.stdout.split() == ["cuda", "True", "ndarray", "tests.support.fake_cupy",
                                  "['GpuElemwise']", "True"]
    quiet = run_python("import theano", "device=cuda,print_active_device=False", fake=True)
    assert quiet.returncode == 0 and "Using gpu device" not in quiet.stderr


@needs_gxx
def test_init_gpu_device_initialises_without_moving_computation():
    res = run_python("""
        import theano
        from theano_compat import backend
        print(backend.current().name, backend.get("cuda0").name)
    """, "device=cpu,init_gpu_device=cuda0", fake=True)
    assert res.returncode == 0, res.stderr
    assert "Using gpu device 0: Fake GPU" in res.stderr
    assert "will be initialized, and used if a GPU is needed" in res.stderr
    assert res.stdout.split() == ["cpu", "cuda"]


@needs_gxx
def test_sandbox_cuda_use_selects_the_cuda_backend(fake_gpu, capsys):
    from theano.sandbox import cuda

    assert not B.cuda_active()
    cuda.use("gpu0")
    assert cuda.cuda_enabled and B.cuda_active()
    assert B.current() is B.get("cuda0")
    assert "Using gpu device 0: Fake GPU (NumPy)" in capsys.readouterr().err
    # Later shared variables and functions go to the device.
    x = theano.shared(np.arange(3.0))
    assert B.is_device_array(x.get_value(borrow=True, return_internal_type=True))
    f = theano.function([], T.tanh(x))
    assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == ["GpuElemwise"]
    np.testing.assert_allclose(f(), np.tanh(np.arange(3.0)))
    cuda.use("cpu")  # Theano: 'cpu' does nothing once a GPU is in use
    assert B.cuda_active()
    B.unuse()
    assert not B.cuda_active()


def test_use_failure_keeps_the_cpu_or_raises_when_forced(no_cupy, caplog):
    from theano.sandbox import cuda

    with caplog.at_level(logging.ERROR, logger="theano_compat.backend"):
        cuda.use("gpu0")
    assert not cuda.cuda_enabled and "Not using GPU" in caplog.text
    with pytest.raises(OSError, match="You forced the use of gpu device"):
        cuda.use("gpu0", force=True)


# ----------------------------------------------------------------------------- arrays


@needs_gxx
def test_as_tensor_variable_of_a_device_array(fake_gpu):
    a = fake_gpu.asarray(np.arange(6.0).reshape(2, 3))
    v = T.as_tensor_variable(a)
    assert isinstance(v, T.TensorConstant) and type(v.data) is np.ndarray
    assert v.type == T.TensorType("float64", (False, False))
    np.testing.assert_array_equal(v.data, np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal((v * 2).eval(), np.arange(6.0).reshape(2, 3) * 2)


def test_as_tensor_variable_of_a_cupy_array():
    cupy = pytest.importorskip("cupy")
    try:
        B.get("cuda")
    except (ImportError, RuntimeError) as e:
        pytest.skip(f"no usable CUDA device: {e}")
    v = T.as_tensor_variable(cupy.arange(4, dtype="float32"))
    assert v.type.dtype == "float32" and type(v.data) is np.ndarray
    np.testing.assert_array_equal(v.data, np.arange(4, dtype="float32"))


# ----------------------------------------------------------------------------- Gpu names


class _NamedCPU:
    """The CPU backend under another name: device-style op names, NumPy arrays."""

    name, xp, is_device, op_prefix = "fakegpu", np, False, "Gpu"

    def __getattr__(self, attr):
        return getattr(B.CPU_BACKEND, attr)


def test_compiled_graph_names_device_ops_with_gpu_prefix():
    # The check of Theano's "Using the GPU" tutorial page, verbatim.
    rng = np.random.RandomState(22)
    x = theano.shared(np.asarray(rng.rand(300), theano.config.floatX))

    def used(f):
        if np.any([isinstance(n.op, T.Elemwise) and ("Gpu" not in type(n.op).__name__)
                   for n in f.maker.fgraph.toposort()]):
            return "Used the cpu"
        return "Used the gpu"

    assert used(theano.function([], T.exp(x))) == "Used the cpu"
    with B.using(_NamedCPU()):
        y = T.matrix("y")
        f = theano.function([y], [T.exp(x), T.dot(y, y).sum()])
    assert used(f) == "Used the gpu"
    ops = [n.op for n in f.maker.fgraph.toposort()]
    assert all(type(op).__name__.startswith("Gpu") for op in ops), ops
    assert isinstance(ops[0], T.Elemwise)  # still the Op's class for isinstance checks
    assert str(ops[0]) == str(T.exp(x).owner.op)  # printing is unchanged
    # The user's graph and the shared Op instances are not touched.
    assert type(T.exp(x).owner.op).__name__ == "Elemwise"
    yv = np.arange(4.0).reshape(2, 2).astype(theano.config.floatX)
    outs = f(yv)
    np.testing.assert_allclose(outs[0], np.exp(x.get_value()), rtol=1e-6)
    np.testing.assert_allclose(outs[1], (yv @ yv).sum(), rtol=1e-6)
    # Renamed Ops pickle as their original class; a pickled function relinks for the
    # backend it was compiled for.
    assert [type(pickle.loads(pickle.dumps(op))) for op in ops] == [
        type(op).device_original_class for op in ops]
    assert pickle.loads(pickle.dumps(ops[0])) == T.exp(x).owner.op
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_allclose(g(yv)[1], outs[1])


def test_host_run_ops_keep_their_names():
    class Twice(theano.Op):
        __props__ = ()

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0] * 2

    x = T.vector("x")
    with B.using(_NamedCPU()):
        f = theano.function([x], Twice()(x) + 1, mode="FAST_RUN")
    names = sorted(type(n.op).__name__ for n in f.maker.fgraph.toposort())
    assert names == ["GpuElemwise", "Twice"]


def test_transfer_checks_the_target(no_cupy):
    x = T.vector("x")
    assert x.transfer("cpu") is x
    with pytest.raises(ImportError, match="pip install theano-compat"):
        x.transfer("gpu")


@needs_gxx
def test_transfer_to_an_available_gpu_is_the_variable(fake_gpu):
    x = T.vector("x")
    assert x.transfer("dev0") is x and x.transfer("cuda0") is x
