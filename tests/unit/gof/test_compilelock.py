"""theano.gof.compilelock: the directory lock, with Theano's protocol."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from theano.gof import compilelock as cl


@pytest.fixture
def lock_dir(tmp_path):
    yield str(tmp_path / "locks" / "lock_dir")
    while cl.get_lock.n_lock > 0:
        cl.release_lock()
    cl.set_lock_status(True)


def _owner(lock_dir):
    with open(os.path.join(lock_dir, "lock")) as f:
        return f.read().strip()


def test_get_lock_is_reentrant_and_release_removes_the_directory(lock_dir):
    cl.get_lock(lock_dir=lock_dir)
    pid, digits, host = _owner(lock_dir).split("_")
    assert pid == str(os.getpid()) and len(digits) == 10 and host == socket.gethostname()
    cl.get_lock(lock_dir=lock_dir)
    assert cl.get_lock.n_lock == 2
    cl.release_lock()
    assert os.path.isdir(lock_dir)
    cl.release_lock()
    assert not os.path.exists(lock_dir) and cl.get_lock.n_lock == 0
    with pytest.raises(RuntimeError):
        cl.release_lock()


def test_lock_ctx_and_disabled_lock(lock_dir):
    with cl.lock_ctx(lock_dir=lock_dir):
        assert os.path.isdir(lock_dir)
    assert not os.path.exists(lock_dir)
    cl.set_lock_status(False)
    with cl.lock_ctx(lock_dir=lock_dir):
        assert not os.path.exists(lock_dir)


def test_a_lock_left_by_a_dead_process_is_taken_over(lock_dir):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    os.makedirs(lock_dir)
    with open(os.path.join(lock_dir, "lock"), "w") as f:
        f.write(f"{dead}_0123456789_{socket.gethostname()}\n")
    cl.lock(lock_dir, min_wait=0.01, max_wait=0.02, verbosity=0)
    assert _owner(lock_dir).split("_")[0] == str(os.getpid())
    cl.Unlocker(lock_dir).unlock()
    assert not os.path.exists(lock_dir)


def test_a_lock_held_too_long_is_overridden_and_another_owner_is_not_unlocked(lock_dir):
    os.makedirs(lock_dir)
    other = f"{os.getppid()}_0123456789_elsewhere"
    with open(os.path.join(lock_dir, "lock"), "w") as f:
        f.write(other + "\n")
    cl.Unlocker(lock_dir).unlock()  # not ours: left alone
    assert _owner(lock_dir) == other
    cl.lock(lock_dir, timeout=0.05, min_wait=0.01, max_wait=0.02, verbosity=0)
    assert _owner(lock_dir).split("_")[0] == str(os.getpid())
    cl.Unlocker(lock_dir).unlock(force=True)


def test_refresh_lock_writes_a_new_id(tmp_path):
    path = str(tmp_path / "lock")
    first = cl.refresh_lock(path)
    second = cl.refresh_lock(path)
    assert first != second and open(path).read().strip() == second
