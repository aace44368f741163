"""Fixtures of the sparse tests' GPU sections (test_basic.py, test_opt.py): the
simulated device of fake_cupyx_sparse.py, and a real GPU session (skipped without one)."""

import pytest

from tests.support import gpu_env, sparse_devices


@pytest.fixture
def fake_device(monkeypatch):
    return sparse_devices.simulated_device(monkeypatch)


@pytest.fixture
def gpu():
    yield from gpu_env.device_session()
