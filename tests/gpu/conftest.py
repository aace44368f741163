"""The GPU model tests run on a GPU (see tests/support/gpu_env.py); it skips
cleanly elsewhere."""

import pytest

from tests.support import gpu_env


@pytest.fixture(scope="session")
def device():
    yield from gpu_env.device_session()
