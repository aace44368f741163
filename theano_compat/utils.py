"""Small helpers shared by several layers."""

from __future__ import annotations

import functools
import gc
import importlib.util
import itertools
import sys
import threading


class Scratchpad:
    """Theano's ``tag`` object: a free-form attribute bag (``var.tag.test_value``...)."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles
    __qualname__ = "scratchpad"

    def __repr__(self):
        return "scratchpad" + str(self.__dict__)

    def update(self, other):
        self.__dict__.update(other.__dict__)
        return self


_PACKAGE = __name__.split(".")[0]


def _of_package(name):
    return name == _PACKAGE or name.startswith(_PACKAGE + ".")


@functools.lru_cache(maxsize=None)
def _theano_path_of_package(name):
    """Whether module path `name`, not imported yet, is one of this package's."""
    if not name.startswith("theano."):
        return _of_package(name)
    try:  # theano.X is theano_compat.X (theano/__init__.py)
        return importlib.util.find_spec(_PACKAGE + name[len("theano"):]) is not None
    except (ImportError, ValueError):
        return False


def defined_here(obj) -> bool:
    """Whether class or function `obj` belongs to this package rather than to a user.

    Public classes report Theano's path (``theano.gof.graph``...): that module is this
    package's, imported under its ``theano`` alias (the same module object); a user's
    module (Theano's test files included) is not."""
    name = getattr(obj, "__module__", None) or ""
    module = sys.modules.get(name)
    if module is not None:
        return _of_package(getattr(module, "__name__", None) or "")
    return _theano_path_of_package(name)


_ids = itertools.count()


def unique_id() -> int:
    """A process-wide increasing integer (used for auto names)."""
    return next(_ids)


def flatten(seq):
    """Flatten nested lists/tuples one level at a time, keeping order."""
    out = []
    for item in seq:
        if isinstance(item, (list, tuple)):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out


_gc_lock = threading.Lock()
_gc_pauses = 0  # how many calls of a `pauses_gc` function are running (all threads)
_gc_was_enabled = False


def pauses_gc(fn):
    """Run `fn` with Python's cyclic garbage collector paused (compilation entry points).

    Compiling a graph of n nodes allocates O(n) objects that stay alive, and each full
    collection CPython starts on the way walks the whole heap, the caller's graph
    included: on a 3*10^4-node chain that was more than half of the compile time.  The
    collector is switched back on when the outermost such call returns (nested and
    concurrent calls share one pause); the cyclic garbage a compile leaves (the nodes
    rewrites replaced) is collected then, by the next ordinary collection.
    """

    @functools.wraps(fn)
    def paused(*args, **kwargs):
        global _gc_pauses, _gc_was_enabled
        with _gc_lock:
            if _gc_pauses == 0:
                _gc_was_enabled = gc.isenabled()
                gc.disable()
            _gc_pauses += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _gc_lock:
                _gc_pauses -= 1
                if _gc_pauses == 0 and _gc_was_enabled:
                    gc.enable()

    return paused


def lazy_names(module_name, table):
    """(``__getattr__``, ``__dir__``) for module `module_name` serving `table`.

    Theano's modules imported ``theano``, ``theano.gof`` and others that are layers above
    them here, and legacy code reads those names off the module (``theano.tensor.elemwise.gof``).
    `table` maps such a name to (module path, attribute or None for the module itself); the
    name is found where ``import theano`` loaded it, so nothing is imported upward.
    """

    def __getattr__(name):  # noqa: N807 - a module __getattr__
        target = table.get(name)
        if target is not None:
            module = sys.modules.get(target[0])
            if module is not None:
                return module if target[1] is None else getattr(module, target[1])
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def __dir__():  # noqa: N807 - a module __dir__
        return sorted(set(vars(sys.modules[module_name])) | set(table))

    return __getattr__, __dir__
