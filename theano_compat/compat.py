"""theano.compat: the Python 2/3 shims Theano 1.0.5 exported, for code that imports them.

On Python 3 every name is the Python 3 spelling (``izip`` is ``zip``, ``DictMixin`` is
``collections.abc.MutableMapping``...).  Needs only the standard library (Theano took some of
these from ``six``); ``configparser`` is the standard module, imported on first use.
"""

from __future__ import annotations

import builtins
import importlib
import io
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, MutableMapping, ValuesView
from operator import truediv as operator_div

__all__ = [  # noqa: F822 - configparser: module __getattr__, imported on first use
    "PY3", "b", "BytesIO", "Callable", "next", "configparser", "reload", "cmp", "operator_div",
    "DictMixin", "Iterable", "Mapping", "OrderedDict", "ValuesView", "decode", "decode_iter",
    "get_unbound_function", "imap", "izip", "ifilter", "DefaultOrderedDict",
    "maybe_add_to_os_environ_pathlist",
]

PY3 = True
BytesIO = io.BytesIO
next = builtins.next  # noqa: A001 - Theano re-exported six.next
reload = importlib.reload
DictMixin = MutableMapping
izip = zip
imap = map
ifilter = filter


def b(s):
    """A byte string from a text literal (six.b: latin-1, one byte per character)."""
    return s.encode("latin-1")


def exc_message(e):
    """The message of exception `e`, unwrapping exceptions re-raised as another's argument."""
    msg = e.args[0]
    if isinstance(msg, Exception):
        return exc_message(msg)
    return msg


def cmp(x, y):
    """Python 2's cmp: -1 if x < y, 0 if x == y, 1 if x > y."""
    return (x > y) - (x < y)


def get_unbound_function(unbound):
    """The plain function behind a method (``m.__func__``); a function is returned as is."""
    return getattr(unbound, "__func__", unbound)


def decode(x):
    """Bytes to text (UTF-8)."""
    return x.decode()


def decode_iter(itr):
    """Decode every item of an iterable of bytes (a generator)."""
    for x in itr:
        yield x.decode()


def decode_with(x, encoding):
    """Bytes to text with the given encoding."""
    return x.decode(encoding)


class DefaultOrderedDict(OrderedDict):
    """An OrderedDict with a ``default_factory``, as ``collections.defaultdict``."""

    __module__ = "theano.compat"  # Theano's path: reprs and pickles

    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable")
        OrderedDict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __getitem__(self, key):
        try:
            return OrderedDict.__getitem__(self, key)
        except KeyError:
            return self.__missing__(key)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def __reduce__(self):
        args = () if self.default_factory is None else (self.default_factory,)
        return type(self), args, None, None, iter(list(self.items()))

    def copy(self):
        return self.__copy__()

    def __copy__(self):
        return type(self)(self.default_factory, self)


def maybe_add_to_os_environ_pathlist(var, newpath):
    """Put the absolute path `newpath` at the front of the os.pathsep-separated list in
    environment variable `var` (e.g. PATH) unless it is already there; relative paths and
    unset variables are left alone."""
    if not os.path.isabs(newpath):
        return
    try:
        oldpaths = os.environ[var].split(os.pathsep)
    except KeyError:
        return
    if newpath not in oldpaths:
        os.environ[var] = os.pathsep.join([newpath, *oldpaths])


def __dir__():
    return sorted([*globals(), "configparser"])


def __getattr__(name):
    # The standard configparser costs ~1 ms to import; only code that asks for it pays.
    if name == "configparser":
        return importlib.import_module("configparser")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
