"""The GPU model tests run on a GPU (see tests/support/gpu_env.py); it skips
cleanly elsewhere."""

import pytest

from tests.support import gpu_env


# Module scope (this folder has one test module): the simulated GPU of
# THEANO_COMPAT_FAKE_GPU=1 is installed in sys.modules while these tests run, and removed
# again before the rest of the suite (tests/unit checks the absence of CuPy).
@pytest.fixture(scope="module")
def device():
    yield from gpu_env.device_session()
