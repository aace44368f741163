"""The GPU the GPU-only suites (tests/backend_parity, tests/gpu) run on, or a skip.

* A real GPU: CuPy importable and ``theano_compat.backend.get("cuda")`` succeeds.
* THEANO_COMPAT_FAKE_GPU=1: the simulated GPU of tests/support/fake_cupy.py (NumPy behind
  CuPy's interface, kernels through g++), to check the suites themselves on a machine
  without a GPU.
* Otherwise every test is skipped with the reason (CuPy missing, or no usable device).

Run on a GPU machine:  THEANO_FLAGS=device=cuda python -m pytest tests/backend_parity tests/gpu
"""

from __future__ import annotations

import os

import pytest

from . import cuda_c_harness, fake_cupy

FAKE = os.environ.get("THEANO_COMPAT_FAKE_GPU") == "1"


def device_session():
    """Generator for the `device` fixture: yields the CUDA backend (real or simulated); the
    simulated one is uninstalled when the fixture ends."""
    from theano_compat import backend as B

    if FAKE:
        if not cuda_c_harness.available():
            pytest.skip("THEANO_COMPAT_FAKE_GPU=1 needs g++ to run the simulated kernels")
        mp = pytest.MonkeyPatch()
        fake_cupy.install(mp)
        try:
            yield B.get("cuda")
        finally:
            mp.undo()
        return
    pytest.importorskip(
        "cupy", reason="CuPy is not installed: this suite needs an NVIDIA GPU and "
                       "pip install theano-compat[cuda12] (or [cuda13])")
    try:
        backend = B.get("cuda")
    except (ImportError, RuntimeError) as e:
        pytest.skip(f"no usable CUDA device: {e}")
    yield backend


def python_prefix(root):
    """The command that runs a script on the suite's GPU in a fresh interpreter, and
    the device flag: (argv prefix, extra THEANO_FLAGS)."""
    import sys

    if FAKE:
        boot = (f"import sys, runpy; sys.path.insert(0, {root!r}); "
                "from tests.support import fake_cupy; sys.modules.update(fake_cupy.modules()); "
                "script = sys.argv[1]; sys.argv = sys.argv[1:]; "
                "runpy.run_path(script, run_name='__main__')")
        return [sys.executable, "-c", boot], "device=cuda"
    return [sys.executable], "device=cuda"
