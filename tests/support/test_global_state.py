"""The order-independence guard of tests/conftest.py (tests/support/global_state.py): each
kind of process-global state a test can leave changed is detected, named and restored, and
the stand-in CuPy leaves nothing behind (the leak that made
``pytest -k "gpu or cuda or cupy"`` fail tests/unit/test_legacy_paths.py::test_sandbox_cuda).
"""

import logging
import os
import sys

import numpy as np
import pytest

import theano
from tests.support import cuda_c_harness, fake_cupy, global_state
from theano_compat import backend as B
from theano_compat import config
from theano_compat.compile import mode as mode_module
from theano_compat.link import profile

cm = sys.modules["theano_compat.config"]


def leaks_of(change):
    """Snapshot, apply `change()`, restore: the leak descriptions restore() returns."""
    before = global_state.snapshot()
    change()
    leaks = global_state.restore(before)
    assert global_state.snapshot() == before   # everything is back
    return leaks


def test_nothing_changed_is_no_leak():
    assert leaks_of(lambda: None) == []


def test_a_config_flag_left_set_is_named_and_restored():
    old = config.floatX
    new = "float32" if old == "float64" else "float64"
    leaks = leaks_of(lambda: setattr(config, "floatX", new))
    assert leaks == [f"config flags: floatX={new!r} (was {old!r})"]
    assert config.floatX == old


def test_a_flag_added_with_addconfigvar_is_removed():
    def add():
        cm.AddConfigVar("test_global_state.sub.flag", "doc", cm.IntParam(1))

    assert leaks_of(add) == ["config flags: test_global_state.sub.flag added"]
    assert not hasattr(config, "test_global_state")
    assert "test_global_state.sub.flag" not in cm._FLAGS
    add()   # the name is free again
    try:
        assert config.test_global_state.sub.flag == 1 == config.test_global_state__sub__flag
    finally:
        global_state.forget_flag("test_global_state.sub.flag", cm)
    assert not hasattr(config, "test_global_state")


def test_environment_variable_and_numpy_errstate():
    def change():
        os.environ["THEANO_COMPAT_GUARD_TEST"] = "1"
        np.seterr(divide="raise")

    leaks = leaks_of(change)
    assert len(leaks) == 2
    assert leaks[0].startswith("numpy seterr") and "divide" in leaks[0]
    assert leaks[1] == "environment variables: THEANO_COMPAT_GUARD_TEST"
    assert "THEANO_COMPAT_GUARD_TEST" not in os.environ
    assert np.geterr()["divide"] != "raise"


def test_logger_level_gc_switch_and_sys_path():
    lg = logging.getLogger("theano_compat.backend")
    level = lg.level

    def change():
        lg.setLevel(logging.DEBUG)
        sys.path.append("/nowhere")
        sys.setrecursionlimit(sys.getrecursionlimit() + 1)

    leaks = leaks_of(change)
    assert [text.split(":")[0] for text in leaks] == [
        "logging levels of the theano loggers",
        "sys.path / recursion limit / gc switch / cwd / sys.excepthook"]
    assert lg.level == level and "/nowhere" not in sys.path


def test_a_registered_mode_is_unregistered():
    leaks = leaks_of(lambda: mode_module.register_mode("GUARD_TEST", theano.Mode()))
    assert leaks[0].startswith("registered modes")
    assert "GUARD_TEST" not in mode_module.predefined_modes


def test_once_only_memory_is_restored_silently():
    x = theano.tensor.dvector()

    def change():
        cm._warned.add("guard-test-key")
        theano.function([x], x + 1, profile=True)(np.ones(2))

    count = len(profile._TO_PRINT)
    assert leaks_of(change) == []   # not a leak, but put back
    assert "guard-test-key" not in cm._warned and len(profile._TO_PRINT) == count


def test_reseed_gives_every_test_the_same_draws():
    global_state.reseed()
    first = np.random.rand(3)
    np.random.rand(10)
    global_state.reseed()
    np.testing.assert_array_equal(np.random.rand(3), first)


@pytest.mark.skipif(not cuda_c_harness.available(), reason="the fake GPU needs g++")
def test_sandbox_cuda_use_on_the_fake_gpu_leaves_nothing_behind(capsys):
    from theano.sandbox import cuda

    before = global_state.snapshot()
    with pytest.MonkeyPatch.context() as mp:
        fake_cupy.install(mp)
        cuda.use("gpu0")
        assert cuda.cuda_enabled is True and B.cuda_active()
        assert "cupy" in sys.modules
    capsys.readouterr()
    # What the fixture of the fake GPU undoes: back-end, CuPy modules and cuda_enabled.
    assert cuda.cuda_enabled is False and not B.cuda_active()
    assert global_state.restore(before) == []


def test_a_backend_left_selected_is_a_leak():
    fake = type("FakeBackend", (), {"is_device": True, "name": "fake"})()

    def select():
        B._current = fake

    (leak,) = leaks_of(select)
    assert leak.startswith("backend selection") and not B.cuda_active()
