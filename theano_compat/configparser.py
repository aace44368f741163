"""theano.configparser: Theano 1.0.5's configuration API, over this package's flag table
(theano_compat/config.py, which holds the flags and their values).

``AddConfigVar(name, doc, ConfigParam(...))`` registers a flag that THEANO_FLAGS/.theanorc can
set and ``config.<name>`` reads (registering a name twice raises AttributeError);
``change_flags`` changes flags for a ``with`` block or a decorated function and restores
them; ``THEANO_FLAGS_DICT`` holds the THEANO_FLAGS settings no flag has consumed yet;
``fetch_val_for_key`` looks a flag's user setting up; ``_config_var_list`` is a live view
of every registered parameter.
"""

import hashlib
import importlib
import logging
import os
import shlex  # noqa: F401 - names Theano's module had
import sys
import warnings
from collections.abc import Sequence
from functools import wraps  # noqa: F401
from io import StringIO

import theano_compat as theano  # noqa: F401
from . import config as _config
from .compat import PY3  # noqa: F401
from .config import (  # noqa: F401
    THEANO_FLAGS,
    THEANO_FLAGS_DICT,
    AddConfigVar,
    BoolParam,
    ConfigParam,
    ContextsParam,
    DeviceParam,
    EnumStr,
    FloatParam,
    IntParam,
    StrParam,
    TheanoConfigParser,
    TypedParam,
    change_flags,
    config,
    fetch_val_for_key,
    parse_config_string,
)

# Every public name of Theano's module (``from theano.configparser import *``); the last
# four are built on first use (module __getattr__ below).
__all__ = [  # noqa: F822
    "AddConfigVar", "BoolParam", "ConfigParam", "ContextsParam", "DeviceParam", "EnumStr",
    "FloatParam", "IntParam", "PY3", "StrParam", "StringIO", "THEANO_FLAGS",
    "THEANO_FLAGS_DICT", "TheanoConfigParser", "TheanoConfigWarning", "TypedParam",
    "change_flags", "config", "config_files_from_theanorc", "fetch_val_for_key",
    "get_config_hash", "iteritems", "logging", "os", "parse_config_string", "shlex",
    "string_types", "sys", "theano", "warnings", "wraps",
    "ConfigParser", "config_files", "theano_cfg", "theano_raw_cfg",
]

_logger = logging.getLogger("theano.configparser")
string_types = (str,)


def iteritems(d, **kw):
    """six.iteritems: the items of a dict, as an iterator."""
    return iter(d.items(**kw))


class TheanoConfigWarning(Warning):
    """The warning category of configuration problems."""

    __module__ = "theano.configparser"  # Theano's path: reprs and pickles

    @classmethod
    def warn(cls, message, stacklevel=0):
        warnings.warn(message, cls, stacklevel=stacklevel + 3)


class _ConfigVarList(Sequence):
    """Theano's ``_config_var_list``: every registered parameter in registration order, a
    live read-only view of the flag table (a flag added later appears in it)."""

    def __getitem__(self, index):
        return list(_config._FLAGS.values())[index]

    def __len__(self):
        return len(_config._FLAGS)

    def __iter__(self):
        return iter(list(_config._FLAGS.values()))

    def __repr__(self):
        return repr(list(self))


_config_var_list = _ConfigVarList()


def config_files_from_theanorc():
    """The configuration files read at import: those named by THEANORC (os.pathsep
    separated, later files win), else ~/.theanorc and ~/.theanorc.txt."""
    return _config.config_files_from_theanorc()


def _config_print(thing, buf, print_doc=True):
    """Write every flag (name, options, doc, value) to the text stream `buf`, as
    ``print(theano.config)`` shows them."""
    for param in _config._FLAGS.values():
        print(param, file=buf)
        if print_doc:
            print("    Doc: ", param.doc, file=buf)
        print("    Value: ", param.val, file=buf)
        print("", file=buf)


def get_config_hash():
    """A string identifying the values of the flags registered with ``in_c_key=True``
    ('m' + the SHA-256 of their ``name = value`` lines, sorted by name)."""
    params = sorted((p for p in _config._FLAGS.values() if p.in_c_key),
                    key=lambda p: p.fullname)
    text = "\n".join(f"{p.fullname} = {p.val}" for p in params)
    return "m" + hashlib.sha256(text.encode()).hexdigest()


def _theano_cfg(raw):
    parser_module = importlib.import_module("configparser")
    if raw:
        cfg = parser_module.RawConfigParser()
    else:
        home_tail = os.path.split(os.path.expanduser("~"))[-1]
        cfg = parser_module.ConfigParser({
            "USER": os.getenv("USER", home_tail), "PID": str(os.getpid()),
            **{k: os.getenv(k, "") for k in ("LSCRATCH", "TMPDIR", "TEMP", "TMP")}})
    cfg.read(config_files_from_theanorc())
    return cfg


_lazy = {}   # names built on first use (the configparser module costs ~1 ms to import)
_LAZY = {
    "ConfigParser": lambda: importlib.import_module("configparser"),
    "config_files": config_files_from_theanorc,
    "theano_cfg": lambda: _theano_cfg(raw=False),
    "theano_raw_cfg": lambda: _theano_cfg(raw=True),
}


def __dir__():
    return sorted([*globals(), *_LAZY])


def __getattr__(name):
    if name in _LAZY:
        if name not in _lazy:
            _lazy[name] = _LAZY[name]()
        return _lazy[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
