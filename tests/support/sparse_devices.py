"""The devices the CPU-vs-GPU cases of theano.sparse (tests/unit/sparse/device_cases.py)
run on, shared by tests/unit/sparse/test_basic.py and test_opt.py: the simulated GPU of
fake_cupyx_sparse.py (no GPU needed) and a real one when there is one."""

from __future__ import annotations

import pytest

from tests.support import cuda_c_harness
from tests.unit.sparse import device_cases, fake_cupyx_sparse
from theano_compat import backend


def simulated_device(monkeypatch):
    """The simulated GPU with its cupyx.scipy.sparse installed for one test (the body of
    a ``fake_device`` fixture); skips the test where g++ cannot build its kernels."""
    if not cuda_c_harness.available():
        pytest.skip("the simulated GPU runs its elementwise kernels through g++")
    return fake_cupyx_sparse.install(monkeypatch)


def check_on_gpu(gpu, name, cases):
    """`device_cases.check_case` of ``cases[name]`` on `gpu` (from
    ``gpu_env.device_session``); skips when that CuPy has no sparse module
    (THEANO_COMPAT_FAKE_GPU's has none)."""
    try:
        backend.sparse_module(gpu.xp)
    except ImportError as e:
        pytest.skip(str(e))
    device_cases.check_case(name, cases[name], gpu)
