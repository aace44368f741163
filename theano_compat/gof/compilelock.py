"""theano.gof.compilelock: the inter-process lock on the compile directory.

Theano held this lock while it compiled or loaded C modules in ``config.compiledir``.
theano_compat compiles nothing, so none of its own code takes the lock; the lock itself
is real, with Theano's protocol, for code that uses it to serialise work on a shared
directory between processes: taking it creates the directory ``<lock_dir>`` (an atomic
``mkdir``) holding a file ``lock`` with the owner's id ``<pid>_<random digits>_<host>``;
a lock whose owner on this host is dead, or that has not changed for ``timeout``
seconds (``config.compile.timeout``), is taken over.

* ``get_lock(lock_dir=None, **kw)`` / ``release_lock()``: re-entrant within a process
  (``get_lock.n_lock`` counts the holds); ``lock_dir`` defaults to
  ``<config.compiledir>/lock_dir``;
* ``lock_ctx(...)``: the same as a context manager;
* ``lock(tmp_dir, timeout, min_wait, max_wait, verbosity)``: take a lock directory;
* ``Unlocker(tmp_dir).unlock(force=False)``, ``refresh_lock(lock_file)``,
  ``force_unlock()``, ``set_lock_status(use_lock)``.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
import time
from contextlib import contextmanager

import numpy as np

from ..compat import PY3  # noqa: F401 - a name of Theano's module
from ..config import config

_logger = logging.getLogger("theano.gof.compilelock")

# The random source of the lock ids and waits (seeded as Theano's was).
random = np.random.RandomState([2015, 8, 2])
hostname = socket.gethostname()
notset = object()  # "timeout not given" (None means: no timeout)


def force_unlock():
    """Take the lock even if another process holds it, then release it."""
    get_lock(min_wait=0, max_wait=0.001, timeout=0)
    release_lock()


@contextmanager
def lock_ctx(lock_dir=None, keep_lock=False, **kw):
    """``with lock_ctx(): ...`` holds the lock for the block (and after it with
    `keep_lock`)."""
    get_lock(lock_dir=lock_dir, **kw)
    try:
        yield
    finally:
        if not keep_lock:
            release_lock()


def get_lock(lock_dir=None, **kw):
    """Take the lock on `lock_dir` (default ``<config.compiledir>/lock_dir``), or count
    one more hold if this process has it; `kw` go to `lock`.  Only one directory can be
    locked at a time.  A lock held for more than half the timeout is refreshed."""
    if lock_dir is None:
        lock_dir = os.path.join(config.compiledir, "lock_dir")
    state = get_lock.__dict__
    if state.get("lock_dir") != lock_dir:
        if state.get("n_lock", 0):
            raise RuntimeError(f"get_lock: {state['lock_dir']} is still locked "
                               f"({state['n_lock']} holds); release it before locking "
                               f"{lock_dir}")
        get_lock.lock_dir = lock_dir
        get_lock.unlocker = Unlocker(lock_dir)
    if get_lock.lock_is_enabled:
        if get_lock.n_lock == 0:
            lock(get_lock.lock_dir, **kw)
            if not state.get("atexit_registered"):
                atexit.register(_release_at_exit)
                get_lock.atexit_registered = True
            get_lock.start_time = time.time()
        else:
            if get_lock.start_time is None:
                while get_lock.n_lock > 0:
                    release_lock()
                raise Exception("For some unknow reason, the lock was already taken, but "
                                "no start time was registered.")
            now = time.time()
            if now - get_lock.start_time > config.compile.timeout / 2:
                lockpath = os.path.join(get_lock.lock_dir, "lock")
                _logger.info("Refreshing lock %s", lockpath)
                refresh_lock(lockpath)
                get_lock.start_time = now
    get_lock.n_lock += 1


get_lock.n_lock = 0
get_lock.lock_is_enabled = True
get_lock.start_time = None


def _release_at_exit():
    unlocker = get_lock.__dict__.get("unlocker")
    if unlocker is not None and get_lock.n_lock > 0:
        unlocker.unlock(force=False)


def release_lock():
    """Release one hold of the lock; the lock directory goes with the last one."""
    if get_lock.n_lock <= 0:
        raise RuntimeError("release_lock: the lock is not held")
    get_lock.n_lock -= 1
    if get_lock.lock_is_enabled and get_lock.n_lock == 0:
        get_lock.start_time = None
        get_lock.unlocker.unlock(force=False)


def set_lock_status(use_lock):
    """Enable (the default) or disable taking the lock in `get_lock`."""
    get_lock.lock_is_enabled = use_lock


def _owner(lock_file):
    with open(lock_file) as f:
        return f.readline().strip()


def _owner_dead(owner):
    """Whether `owner` (an id) names a process of this host that no longer exists."""
    parts = owner.split("_")
    if len(parts) < 3 or parts[2] != hostname:
        return False
    try:
        os.kill(int(parts[0]), 0)
    except (OSError, ValueError):
        return True
    return False


def lock(tmp_dir, timeout=notset, min_wait=None, max_wait=None, verbosity=1):
    """Take the lock directory `tmp_dir` (its parent is created if needed).

    While another owner holds it, sleep a random time between `min_wait` (default
    ``config.compile.wait``) and `max_wait` (default twice that) and look again; a lock
    whose owner id has not changed for `timeout` seconds (default
    ``config.compile.timeout``; None: wait forever), or whose owner on this host is dead,
    is overridden.  `verbosity` >= 1 logs when waiting.
    """
    if min_wait is None:
        min_wait = config.compile.wait
    if max_wait is None:
        max_wait = min_wait * 2
    if timeout is notset:
        timeout = config.compile.timeout
    os.makedirs(os.path.dirname(tmp_dir) or ".", exist_ok=True)
    lock_file = os.path.join(tmp_dir, "lock")
    my_pid = os.getpid()
    errors = 0
    waits = 0
    while True:
        try:
            last_owner = "no_owner"
            since = time.time()
            while os.path.isdir(tmp_dir):
                try:
                    owner = _owner(lock_file)
                except OSError:
                    owner = "failure"
                if owner != "failure" and _owner_dead(owner):
                    if verbosity:
                        _logger.warning("Overriding existing lock by dead process '%s' "
                                        "(I am process '%s')", owner.split("_")[0], my_pid)
                    Unlocker(tmp_dir).unlock(force=True)
                    continue
                if owner == last_owner:
                    if timeout is not None and time.time() - since >= timeout:
                        if verbosity:
                            _logger.warning("Overriding existing lock by %s (I am process "
                                            "'%s')", owner, my_pid)
                        Unlocker(tmp_dir).unlock(force=True)
                        continue
                else:
                    last_owner = owner
                    since = time.time()
                if verbosity and waits > 0:
                    _logger.info("Waiting for existing lock by %s (I am process '%s'); to "
                                 "release it manually, delete %s", owner, my_pid, tmp_dir)
                waits += 1
                time.sleep(random.uniform(min_wait, max_wait))
            try:
                os.mkdir(tmp_dir)
            except FileExistsError:
                errors += 1
                if errors < 10:
                    continue
                raise
            unique_id = refresh_lock(lock_file)
            if _owner(lock_file) == unique_id:
                return
        except Exception as e:  # noqa: BLE001 - retried, as in Theano
            _logger.warning("Something wrong happened: %s %s", type(e), e)
            errors += 1
            if errors > 10:
                raise
            time.sleep(random.uniform(min_wait, max_wait))


def refresh_lock(lock_file):
    """Write a new owner id (``<pid>_<10 random digits>_<host>``) into `lock_file`;
    returns it."""
    unique_id = "{}_{}_{}".format(os.getpid(), "".join(str(random.randint(0, 9))
                                                       for _ in range(10)), hostname)
    try:
        with open(lock_file, "w") as f:
            f.write(unique_id + "\n")
    except Exception:
        while get_lock.n_lock > 0:
            release_lock()
        _logger.warning("Refreshing lock failed, we release the lock before raising again "
                        "the exception")
        raise
    return unique_id


class Unlocker:
    """Removes the lock directory `tmp_dir` (and its lock file)."""

    __module__ = "theano.gof.compilelock"  # Theano's path: reprs and pickles

    def __init__(self, tmp_dir):
        self.tmp_dir = tmp_dir

    def unlock(self, force=False):
        """Remove the lock; unless `force`, only when this process owns it.  Errors
        (another process removing it at the same time) are ignored."""
        lock_file = os.path.join(self.tmp_dir, "lock")
        if not force:
            try:
                pid, _, host = _owner(lock_file).split("_")
                if pid != str(os.getpid()) or host != hostname:
                    return
            except (OSError, ValueError):
                pass
        for remove, path in ((os.remove, lock_file), (os.rmdir, self.tmp_dir)):
            try:
                remove(path)
            except OSError:
                pass
