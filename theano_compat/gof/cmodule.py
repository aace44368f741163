"""theano.gof.cmodule: Theano 1.0.5's C module cache and C++ compiler interface.

theano_compat compiles no C code: every Op runs in Python (NumPy, or CuPy on a GPU), so
there is no compiler to call and no cache of compiled modules.  This module keeps
Theano's names so that code importing them keeps working:

* queries answered as Theano answered them without a compiler (``config.cxx = ""``):
  ``GCC_compiler.try_flags(...)`` / ``try_compile_tmp(...)`` report that nothing
  compiles (False), ``gcc_version()`` is ``'GCC_NOT_FOUND'``, ``gcc_llvm()`` is False;
* plain helpers that need no compiler work as in Theano (``std_include_dirs``,
  ``std_lib_dirs``, ``get_lib_extension``, ``last_access_time``, ``is_same_entry``,
  ``module_name_from_dir``, ``dlimport_workdir``, ``hash_from_code``...);
* what only makes sense with a compiler or a cache of compiled modules
  (``ModuleCache``, ``get_module_cache``, ``dlimport``, ``GCC_compiler.compile_str``,
  ``DynamicModule``...) raises NotImplementedError at use, saying why and what to use
  instead.

`c_unavailable` builds those errors for the other modules of theano.gof.
"""

from __future__ import annotations

import atexit  # noqa: F401 - a name of Theano's module
import importlib  # noqa: F401 - a name of Theano's module
import logging
import os
import pickle  # noqa: F401 - a name of Theano's module
import platform  # noqa: F401 - a name of Theano's module
import re  # noqa: F401 - a name of Theano's module
import shutil  # noqa: F401 - a name of Theano's module
import stat
import subprocess  # noqa: F401 - a name of Theano's module
import sys
import sysconfig
import tempfile
import textwrap  # noqa: F401 - a name of Theano's module
import time  # noqa: F401 - a name of Theano's module
import warnings  # noqa: F401 - a name of Theano's module
from io import BytesIO, StringIO  # noqa: F401 - names of Theano's module

import numpy
import numpy as np  # noqa: F401 - a name of Theano's module

import theano_compat as theano  # noqa: F401 - a name of Theano's module

from ..compat import PY3, b, decode, decode_iter  # noqa: F401 - names of Theano's module
from ..config import config
from ..configdefaults import gcc_version_str, local_bitwidth  # noqa: F401
from ..misc.windows import output_subprocess_Popen, subprocess_Popen  # noqa: F401
from . import compilelock  # noqa: F401 - a name of Theano's module
from .utils import flatten, hash_from_code, iteritems  # noqa: F401 - names of Theano's module

_logger = logging.getLogger("theano.gof.cmodule")

string_types = (str,)
xrange = range

METH_VARARGS = "METH_VARARGS"
METH_NOARGS = "METH_NOARGS"
# Seconds spent importing compiled modules (none are, here).
import_time = 0

NO_COMPILER = "no C compiler in theano_compat"
PY_LINKER = "the Python linker computes the same"


def c_unavailable(what, alternative=None):
    """The NotImplementedError for `what`, a name that needs C compilation:
    ``"<what>: no C compiler in theano_compat; use <alternative> (the Python linker
    computes the same)"``."""
    use = alternative or "the default linker (any Mode, or theano.gof.PerformLinker)"
    return NotImplementedError(f"{what}: {NO_COMPILER}; use {use} ({PY_LINKER})")


def c_only_function(qualname, alternative=None, doc=None):
    """A function of Theano's that compiles or loads C code: calling it raises
    `c_unavailable`."""

    def unavailable(*args, **kwargs):
        raise c_unavailable(qualname, alternative)

    name = qualname.rsplit(".", 1)[-1]
    unavailable.__name__ = name
    unavailable.__qualname__ = name
    unavailable.__doc__ = (doc or f"Theano's {name}.") + (
        f"\n\nNot available: {NO_COMPILER}; calling it raises NotImplementedError.")
    return unavailable


class MissingGXX(Exception):
    """Raised when C code would have to be compiled but no C++ compiler is available
    (always the case in theano_compat)."""

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles


def debug_counter(name, every=1):
    """Count the calls with this `name`; print the count to stderr every `every` calls."""
    counts = debug_counter.__dict__.setdefault("counts", {})
    counts[name] = counts.get(name, 0) + 1
    if counts[name] % every == 0:
        print(f"debug_counter [{name}]: {counts[name]}", file=sys.stderr)


class ExtFunction:
    """One function of a generated C extension module (Theano's code generator)."""

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    def __init__(self, name, code_block, method, doc="undocumented"):
        raise c_unavailable("theano.gof.cmodule.ExtFunction")


class DynamicModule:
    """The source of a generated C extension module (Theano's code generator)."""

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    def __init__(self, name=None):
        raise c_unavailable("theano.gof.cmodule.DynamicModule")


dlimport = c_only_function(
    "theano.gof.cmodule.dlimport", "the Ops' Python implementations (nothing is compiled, so "
    "there is no module to load)", "Import a compiled C module from its file.")


def dlimport_workdir(basedir):
    """A new temporary directory inside `basedir` (where Theano put a module to load)."""
    return tempfile.mkdtemp(dir=basedir)


def last_access_time(path):
    """The last access time of `path`, in seconds since the epoch."""
    return os.stat(path)[stat.ST_ATIME]


def module_name_from_dir(dirname, err=True, files=None):
    """The path of the one compiled module (``.so`` / ``.pyd``) in `dirname`; None when
    there is none (or no such directory) and not `err`."""
    if files is None:
        try:
            files = os.listdir(dirname)
        except FileNotFoundError:
            if not err:
                return None
            raise
    names = [f for f in files if f.endswith((".so", ".pyd"))]
    if not names and not err:
        return None
    if len(names) == 1:
        return os.path.join(dirname, names[0])
    raise ValueError(f"More than 1 compiled module in this directory:{dirname}"
                     if names else f"No compiled module in this directory:{dirname}")


def is_same_entry(entry_1, entry_2):
    """Whether two module paths name the same module: equal paths, equal real paths, or
    the same file name in temporary work directories (``tmp*``) of the same name."""
    if entry_1 == entry_2 or os.path.realpath(entry_1) == os.path.realpath(entry_2):
        return True
    dir_1 = os.path.basename(os.path.dirname(entry_1))
    dir_2 = os.path.basename(os.path.dirname(entry_2))
    return (os.path.basename(entry_1) == os.path.basename(entry_2) and dir_1 == dir_2
            and dir_1.startswith("tmp"))


get_module_hash = c_only_function(
    "theano.gof.cmodule.get_module_hash", None,
    "The hash identifying a compiled module from its source and key.")
get_safe_part = c_only_function(
    "theano.gof.cmodule.get_safe_part", None,
    "The part of a C module cache key that is safe to compare.")


class KeyData:
    """The keys of one module of the compiled-module cache (Theano's cache bookkeeping)."""

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    def __init__(self, keys, module_hash, key_pkl, entry):
        raise c_unavailable("theano.gof.cmodule.KeyData (the compiled-module cache)")


class ModuleCache:
    """Theano's cache of compiled C modules (``config.compiledir``).

    Not available: theano_compat compiles nothing, so there is no module to cache.
    """

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    def __init__(self, dirname, check_for_broken_eq=True, do_refresh=True):
        raise c_unavailable("theano.gof.cmodule.ModuleCache (the compiled-module cache)")


get_module_cache = c_only_function(
    "theano.gof.cmodule.get_module_cache", None,
    "The process's ModuleCache for a compile directory.")


def get_lib_extension():
    """The file extension of compiled modules on this platform."""
    if sys.platform == "win32":
        return "pyd"
    if sys.platform == "cygwin":
        return "dll"
    return "so"


def get_gcc_shared_library_arg():
    """The GCC argument that builds a shared library on this platform."""
    return "-dynamiclib" if sys.platform == "darwin" else "-shared"


def std_include_dirs():
    """NumPy's and Python's C header directories (what Theano compiled against; Theano
    added its own c_code folder, which theano_compat does not ship)."""
    paths = sysconfig.get_paths()
    python_inc = [paths["include"]]
    if paths.get("platinclude") and paths["platinclude"] != paths["include"]:
        python_inc.append(paths["platinclude"])
    return [numpy.get_include()] + python_inc


def std_lib_dirs_and_libs():
    """([Python library name], [library directories]) for linking against Python."""
    cached = std_lib_dirs_and_libs.__dict__.get("data")
    if cached is not None:
        return cached
    if sys.platform == "win32":
        libs = ["python" + sysconfig.get_python_version().replace(".", "")]
        dirs = [os.path.join(sys.prefix, "libs")]
    elif sys.platform == "darwin":
        libs, dirs = [], []
    else:
        name = sysconfig.get_config_var("LDLIBRARY") or ""
        name = name[3:] if name.startswith("lib") else name
        for ext in (".so", ".a"):
            if name.endswith(ext):
                name = name[: -len(ext)]
        libs = [name] if name else []
        libdir = sysconfig.get_config_var("LIBDIR")
        dirs = [libdir] if libdir else []
    python_lib = os.path.dirname(sysconfig.get_paths()["platstdlib"])
    if python_lib not in dirs:
        dirs.append(python_lib)
    std_lib_dirs_and_libs.data = (libs, dirs)
    return std_lib_dirs_and_libs.data


def std_libs():
    return std_lib_dirs_and_libs()[0]


def std_lib_dirs():
    return std_lib_dirs_and_libs()[1]


def gcc_version():
    """``'GCC_NOT_FOUND'``: no C++ compiler is used."""
    return gcc_version_str


def gcc_llvm():
    """Whether the C++ compiler is LLVM's: False (none is used)."""
    return False


def _nothing_compiles(try_run, output):
    """What Theano's compile probes returned without a compiler."""
    if not try_run and not output:
        return False
    if not try_run:
        return (False, None, f"{NO_COMPILER}")
    if not output:
        return (False, False)
    return (False, False, None, f"{NO_COMPILER}")


class Compiler:
    """Theano's base of compiler interfaces: probes that try to compile a test program.

    Without a compiler nothing compiles: the probes answer False (as Theano's did with
    ``config.cxx = ""``), with the shapes Theano returned for `try_run` / `output`.
    """

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    @classmethod
    def _try_compile_tmp(cls, src_code, tmp_prefix="", flags=(), try_run=False,
                         output=False, compiler=None, comp_args=True):
        return _nothing_compiles(try_run, output)

    @classmethod
    def _try_flags(cls, flag_list, preambule="", body="", try_run=False, output=False,
                   compiler=None, comp_args=True):
        return _nothing_compiles(try_run, output)


def try_march_flag(flags):
    """(compiled, ran) for a test program with `flags`: (False, False), nothing compiles."""
    return (False, False)


class GCC_compiler(Compiler):
    """Theano's interface to g++.  The probes report that nothing compiles; building a
    module (``compile_str``) or the compile arguments raise NotImplementedError."""

    __module__ = "theano.gof.cmodule"  # Theano's path: reprs and pickles

    march_flags = None
    supports_amdlibm = True

    @staticmethod
    def version_str():
        return f"{config.cxx} {gcc_version_str}"

    @staticmethod
    def compile_args(march_flags=True):
        raise c_unavailable("theano.gof.cmodule.GCC_compiler.compile_args")

    @staticmethod
    def linking_patch(lib_dirs, libs):
        """The linker arguments for `libs` (``-l<name>``; on Windows, a ``.dll`` found in
        `lib_dirs` is named by its path)."""
        if sys.platform != "win32":
            return ["-l" + lib for lib in libs]
        out = []
        for lib in libs:
            found = [os.path.join(d, lib + ".dll") for d in lib_dirs
                     if os.path.isfile(os.path.join(d, lib + ".dll"))]
            out.append(found[0] if found else "-l" + lib)
        return out

    @classmethod
    def try_compile_tmp(cls, src_code, tmp_prefix="", flags=(), try_run=False,
                        output=False, comp_args=True):
        return _nothing_compiles(try_run, output)

    @classmethod
    def try_flags(cls, flag_list, preambule="", body="", try_run=False, output=False,
                  comp_args=True):
        return _nothing_compiles(try_run, output)

    @staticmethod
    def compile_str(module_name, src_code, location=None, include_dirs=None,
                    lib_dirs=None, libs=None, preargs=None, py_module=True,
                    hide_symbols=True):
        raise c_unavailable("theano.gof.cmodule.GCC_compiler.compile_str")


def icc_module_compile_str(*args):
    raise NotImplementedError("icc_module_compile_str: the Intel compiler was never "
                              f"supported by Theano, and {NO_COMPILER}")
