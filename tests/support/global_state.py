"""Process-global state a test may change, and its restoration (tests/conftest.py's guard).

Tests run in one process, so a test that leaves a config flag set, the CUDA back-end
selected, the stand-in CuPy in ``sys.modules``, an environment variable or ``np.seterr``
changed makes later tests depend on their order.  `snapshot()` records that state cheaply
(about 20 us; the guard takes two snapshots and a reseed, ~50 us, around each of the ~5,000
tests) and `restore()` puts it back, returning a description of each thing a test left
changed.

Two kinds of state are told apart:

* *leaks*: state no test should leave changed (the guard fails such a test, after
  restoring): config flags and the flag table, the selected back-end and its registry,
  ``theano.sandbox.cuda.cuda_enabled``, the stand-in CuPy modules, registered modes and
  shared constructors, NumPy's error and print options, environment variables, logging
  levels of the ``theano*`` loggers, ``sys.path``, the recursion limit, the garbage
  collector switch, the working directory, ``sys.excepthook``;
* *memory*: state the library legitimately accumulates once per process (its
  warn-once and note-once registries, the profiles it prints at exit): put back
  silently, so that a test expecting a once-per-process warning gets it whatever ran
  before, and the profiles of ``profile=True`` test functions are not printed when
  pytest exits.

The global random generators (``random``, ``numpy.random``) are not compared: `reseed()`
gives every test the same starting state instead, whatever ran before it.  Warnings
filters are not compared either: pytest's warnings plugin restores them after each test
(setup, call and teardown in one ``catch_warnings``), and imports legitimately add some
(scipy.special does on first import).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import random
import sys

import numpy as np

from tests.support.config_flags import forget_flag
from theano_compat import backend as _backend
from theano_compat.backend import cuda as _cuda
from theano_compat.compile import mode as _mode
from theano_compat.graph import shared as _shared
from theano_compat.link import device as _device
from theano_compat.link import profile as _profile
# theano.sparse registers its shared constructor when imported (as in Theano): imported
# here, before any snapshot, so a test importing it first neither leaks nor loses it.
from theano_compat import sparse as _sparse  # noqa: F401,E402

# import_module: the attribute ``theano_compat.config`` is the config object, not the module.
_cm = importlib.import_module("theano_compat.config")

SEED = 20240614  # the state `random` and `numpy.random` start each test with

# The modules tests/support/fake_cupy.py installs (fake_cupy.modules() builds them; the
# names are kept here so that a snapshot does not build anything).
CUPY_MODULES = ("cupy", "cupy.cuda", "cupyx", "cupyx.scipy", "cupyx.scipy.special",
                "cupyx.scipy.linalg")
_SANDBOX_CUDA = "theano_compat.sandbox.cuda"
_MISSING = object()
_environ_data = getattr(os.environ, "_data", None)  # CPython: the raw dict behind os.environ


# pytest sets PYTEST_CURRENT_TEST around each phase: not the test's doing.
_PYTEST_KEYS = (b"PYTEST_CURRENT_TEST", "PYTEST_CURRENT_TEST")


def _environ():
    env = _environ_data.copy() if _environ_data is not None else dict(os.environ)
    for key in _PYTEST_KEYS:
        env.pop(key, None)
    return env


_theano_loggers = []   # the logging.Logger objects named theano*, refreshed when new appear
_logger_count = [-1]


def _loggers():
    manager = logging.Logger.manager
    if len(manager.loggerDict) != _logger_count[0]:
        _logger_count[0] = len(manager.loggerDict)
        _theano_loggers[:] = [lg for name, lg in list(manager.loggerDict.items())
                              if name.startswith("theano") and isinstance(lg, logging.Logger)]
    return _theano_loggers


_FRESH_LOGGER = (logging.NOTSET, True, False, 0)


def _logging_state():
    root = logging.root
    return (root.level, logging.root.manager.disable,
            {lg: (lg.level, lg.propagate, lg.disabled, len(lg.handlers)) for lg in _loggers()})


def _logging_changed(before, after):
    """A logger created during the test (first use of its module) is not a leak unless the
    test configured it."""
    if before[:2] != after[:2]:
        return True
    old, new = before[2], after[2]
    return any(new.get(lg) != state for lg, state in old.items()) or any(
        state != _FRESH_LOGGER for lg, state in new.items() if lg not in old)


def _sandbox_cuda():
    module = sys.modules.get(_SANDBOX_CUDA)
    if module is None:
        return None
    return module.cuda_enabled, module.cuda_available


def _is_fake(backend):
    return type(getattr(backend, "xp", None)).__module__ == "tests.support.fake_cupy"


# Each entry: (name, read(), restore(saved), kind). `read` must be cheap and its values
# comparable with ==; `restore` is only called for entries whose value changed.


def _restore_flags(saved):
    params, values = saved
    # A flag added during the test (AddConfigVar) is removed again.
    for name in [n for n, p in _cm._FLAGS.items() if p not in params]:
        forget_flag(name, _cm)
    for param, value in zip(params, values):
        if param.val != value:
            param.store(value)   # the old value was valid: no filter, no read-only check


_params = [()]   # the flags, in table order (rebuilt when the table changes size)


def _read_flags():
    params = _params[0]
    if len(params) != len(_cm._FLAGS):
        params = _params[0] = tuple(_cm._FLAGS.values())
    return params, [p.val for p in params]


def _restore_backend(saved):
    current, registry, registry_items, index_list, index, cupyx_module = saved
    _backend._current = current
    if _backend._cuda_backends is not registry:
        _backend._cuda_backends = registry
    for key in [k for k in registry if k not in registry_items]:
        del registry[key]
    registry.update(registry_items)
    _backend._initialized_index = index_list
    index_list[:] = [index]
    _cuda._cupyx_module = cupyx_module


def _read_backend():
    registry = _backend._cuda_backends
    return (_backend._current, registry, dict(registry), _backend._initialized_index,
            _backend._initialized_index[0], _cuda._cupyx_module)


def _backend_changed(before, after):
    """A real GPU's back-end object, created on first use and cached, is not a leak; a
    simulated one left in the registry, or any other change, is."""
    if before[:2] != after[:2] or before[3:] != after[3:]:
        return True
    added = {k: v for k, v in after[2].items() if before[2].get(k) is not v}
    return any(_is_fake(b) for b in added.values()) or any(
        k not in after[2] for k in before[2])


def _restore_sandbox_cuda(saved):
    module = sys.modules.get(_SANDBOX_CUDA)
    if module is not None and saved is not None:
        module.cuda_enabled, module.cuda_available = saved
    elif module is not None:
        # First imported during the test: its flags must describe the restored back-end.
        module.cuda_enabled = module.cuda_available = _backend.cuda_active()


def _read_cupy_modules():
    return tuple(sys.modules.get(n, _MISSING) for n in CUPY_MODULES)


def _restore_cupy_modules(saved):
    for name, module in zip(CUPY_MODULES, saved):
        if module is _MISSING:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module


def _restore_registries(saved):
    modes, factories, constructors = saved
    for live, old in ((_mode.predefined_modes, modes), (_mode._BY_CLASS_NAME, factories)):
        live.clear()
        live.update(old)
    _shared._constructors[:] = constructors


def _restore_numpy(saved):
    err, errcall, printoptions = saved
    np.seterr(**err)
    np.seterrcall(errcall)
    np.set_printoptions(**printoptions)


def _restore_environ(saved):
    now = _environ()
    for key in now.keys() - saved.keys():
        del os.environ[_decode(key)]
    for key, value in saved.items():
        if now.get(key) != value:
            os.environ[_decode(key)] = _decode(value)


def _decode(value):
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _restore_logging(saved):
    level, disable, loggers = saved
    logging.root.setLevel(level)
    logging.disable(disable)
    for lg, (lg_level, propagate, disabled, _n_handlers) in loggers.items():
        lg.setLevel(lg_level)
        lg.propagate, lg.disabled = propagate, disabled
    # Handlers added to a theano logger are left: which one to remove is not known here
    # (the description names the logger).


def _restore_sys(saved):
    path, limit, gc_enabled, cwd, excepthook = saved
    sys.path[:] = path
    sys.setrecursionlimit(limit)
    (gc.enable if gc_enabled else gc.disable)()
    os.chdir(cwd)
    sys.excepthook = excepthook


def _read_memory():
    return set(_cm._warned), set(_cm._noted), set(_device._warned), len(_profile._TO_PRINT)


def _restore_memory(saved):
    for live, old in zip((_cm._warned, _cm._noted, _device._warned), saved):
        live.intersection_update(old)
    # Profiles of the test's profile=True functions: not printed when pytest exits.
    del _profile._TO_PRINT[saved[3]:]


ENTRIES = (
    ("config flags", _read_flags, _restore_flags, "leak"),
    ("backend selection (theano_compat.backend)", _read_backend, _restore_backend, "leak"),
    ("theano.sandbox.cuda.cuda_enabled/cuda_available", _sandbox_cuda,
     _restore_sandbox_cuda, "leak"),
    ("stand-in CuPy modules in sys.modules", _read_cupy_modules, _restore_cupy_modules,
     "leak"),
    ("registered modes / shared constructors",
     lambda: (dict(_mode.predefined_modes), dict(_mode._BY_CLASS_NAME),
              list(_shared._constructors)), _restore_registries, "leak"),
    ("numpy seterr / seterrcall / printoptions",
     lambda: (np.geterr(), np.geterrcall(), np.get_printoptions()), _restore_numpy, "leak"),
    ("environment variables", _environ, _restore_environ, "leak"),
    ("logging levels of the theano loggers", _logging_state, _restore_logging, "leak"),
    ("sys.path / recursion limit / gc switch / cwd / sys.excepthook",
     lambda: (list(sys.path), sys.getrecursionlimit(), gc.isenabled(), os.getcwd(),
              sys.excepthook), _restore_sys, "leak"),
    ("warn-once registries, profiles printed at exit", _read_memory, _restore_memory,
     "memory"),
)


def snapshot():
    """The current values of every entry of ENTRIES, in order."""
    return [read() for _name, read, _restore, _kind in ENTRIES]


def _changed(name, before, after):
    if name.startswith("backend"):
        return _backend_changed(before, after)
    if name.startswith("logging"):
        return _logging_changed(before, after)
    if name.startswith("theano.sandbox.cuda") and before is None:
        # First imported during the test: its flags are read from the back-end then; a
        # leak only if they disagree with the (already restored) back-end.
        active = _backend.cuda_active()
        return after != (active, active)
    if name == "config flags":
        return before[0] != after[0] or before[1] != after[1]
    return before != after


def restore(before):
    """Put back every entry that differs from `before` (a `snapshot()`); returns the
    descriptions of the leaks (not of the silently restored memory)."""
    after = snapshot()
    if after == before:   # the common case: one comparison
        return []
    return _compare(before, after, put_back=True)


def changes(before, after):
    """The descriptions of the leaks between two snapshots (nothing is restored)."""
    return [] if after == before else _compare(before, after, put_back=False)


def _compare(before, after, put_back):
    leaks = []
    for (name, _read, restore_entry, kind), old, new in zip(ENTRIES, before, after):
        if old == new or not _changed(name, old, new):
            continue
        if put_back:
            restore_entry(old)
        if kind == "leak":
            leaks.append(f"{name}: {_describe(name, old, new)}")
    return leaks


def _describe(name, old, new):
    """What changed, briefly (the flags and variables by name)."""
    if name == "config flags":
        # The values read after the test: by now the flags themselves are restored.
        params = dict(zip(old[0], old[1]))
        changed = [f"{p.fullname}={v!r} (was {params[p]!r})"
                   for p, v in zip(new[0], new[1]) if p in params and v != params[p]]
        added = [p.fullname for p in new[0] if p not in params]
        return ", ".join(changed + [f"{n} added" for n in added])
    if name == "environment variables":
        keys = sorted({k for k in old.keys() | new.keys() if old.get(k) != new.get(k)})
        return ", ".join(_decode(k) for k in keys)
    return f"{_short(new)} (was {_short(old)})"


def _short(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def reseed():
    """Give the global generators the same state before every test."""
    random.seed(SEED)
    np.random.seed(SEED)
