"""theano.configdefaults: the module where Theano 1.0.5 registered its flags, as a facade.

The flags themselves live in theano_compat/config.py (one table); this module offers the
names Theano's module had: ``config``, the parameter kinds, the option tuples
(``SUPPORTED_DNN_CONV_ALGO_FWD``...), the filters and default functions Theano's flags used
(``floatX_convert``, ``filter_mode``, ``good_seed_param``, ``short_platform``,
``default_compiledir``...).  Helpers about the C compiler and BLAS linking behave as they do
without a C compiler (there is none here: NumPy's BLAS is used), and ``try_blas_flag``, which
compiled and ran a C program, raises NotImplementedError.
"""

import errno
import importlib
import logging
import os
import platform
import re
import struct
import sys
import textwrap  # noqa: F401 - names Theano's module had
import warnings  # noqa: F401

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401
from . import config as _config
from .compat import maybe_add_to_os_environ_pathlist  # noqa: F401
from .configparser import (  # noqa: F401
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
    config,
)
from .misc.cpucount import cpuCount
from .misc.windows import call_subprocess_Popen, output_subprocess_Popen  # noqa: F401
from .version import version as _theano_version

_logger = logging.getLogger("theano.configdefaults")
string_types = (str,)

# The option tuples of the cuDNN flags (the flags accept them; they do nothing here).
SUPPORTED_DNN_CONV_ALGO_RUNTIME = _config._RT
SUPPORTED_DNN_CONV_ALGO_FWD = _config._FLAGS["dnn.conv.algo_fwd"].all
SUPPORTED_DNN_CONV_ALGO_BWD_DATA = _config._FLAGS["dnn.conv.algo_bwd_data"].all
SUPPORTED_DNN_CONV_ALGO_BWD_FILTER = _config._FLAGS["dnn.conv.algo_bwd_filter"].all
SUPPORTED_DNN_CONV_PRECISION = _config._FLAGS["dnn.conv.precision"].all


# --------------------------------------------------------------------------- filters


def floatX_convert(s):
    """'32', '64', '16' -> 'float32', 'float64', 'float16'; other values unchanged."""
    return _config._floatx_convert(s)


def filter_mode(val):
    """A valid ``mode`` flag value: a mode name or a Mode instance; ValueError otherwise."""
    try:
        return _config._filter_mode(val)
    except ValueError:
        raise ValueError("Expected one of those string 'Mode', 'DebugMode', 'FAST_RUN', "
                         "'NanGuardMode', 'FAST_COMPILE', 'DEBUG_MODE' or an instance of "
                         "Mode.") from None


def filter_vm_lazy(val):
    """``vm.lazy``: None/False/True or their string spellings; ValueError otherwise."""
    try:
        return _config._filter_vm_lazy(val)
    except ValueError:
        raise ValueError("Valid values for an vm.lazy parameter should be None, False or "
                         f"True, not `{val}`.") from None


def good_seed_param(seed):
    """Whether `seed` is a valid ``unittests.rseed``: 'random' or anything int() accepts."""
    if seed == "random":
        return True
    try:
        int(seed)
    except Exception:
        return False
    return True


def is_valid_check_preallocated_output_param(param):
    """Whether `param` is a ':'-separated list of DebugMode pre-allocation kinds."""
    return isinstance(param, str) and _config._good_prealloc(param)


def deprecated_gpuarray_sync(val):
    """The filter of the removed ``gpuarray.sync`` flag: a true value raises RuntimeError."""
    if val:
        raise RuntimeError("Flag gpuarray.sync is deprecated and will be removed in next "
                           "Theano release.")
    return False


def _removed_dnn_option(option, instead):
    def check(value):
        if value:
            raise RuntimeError(f"The option `{option}` has been removed and should not be used "
                               f"anymore. Please use {instead} instead.")
        return True

    return check


safe_no_dnn_workmem = _removed_dnn_option("dnn.conv.workmem", "the option `dnn.conv.algo_fwd`")
safe_no_dnn_workmem_bwd = _removed_dnn_option(
    "dnn.conv.workmem_bwd", "the options `dnn.conv.algo_bwd_filter` and `dnn.conv.algo_bwd_data`")
safe_no_dnn_algo_bwd = _removed_dnn_option(
    "dnn.conv.algo_bwd", "the options `dnn.conv.algo_bwd_filter` and `dnn.conv.algo_bwd_data`")


def split_version(version):
    """'0.10.1' -> (0, 10, 1)."""
    return tuple(int(i) for i in version.split("."))


def warn_default(version):
    """Whether to warn about Theano bugs fixed after `version` (``warn.ignore_bug_before``)."""
    ignore = config.warn.ignore_bug_before
    if ignore == "None":
        return True
    if ignore == "all":
        return False
    return split_version(ignore) < split_version(version)


def warn_cxx(val):
    """The validity check of the ``cxx`` flag (Theano warned about g++ on macOS); no C++
    compiler is used here, so any value is accepted."""
    return True


# --------------------------------------------------------------------------- CUDA / cuDNN paths


def get_cuda_root():
    """CUDA_ROOT, else CUDA_PATH, else the parent of the PATH directory holding nvcc, else ''."""
    for var in ("CUDA_ROOT", "CUDA_PATH"):
        if os.getenv(var, ""):
            return os.getenv(var)
    for directory in os.getenv("PATH", "").split(os.path.pathsep):
        if directory and os.path.exists(os.path.join(directory, "nvcc")):
            return os.path.dirname(os.path.abspath(directory))
    return ""


def default_cuda_include():
    root = config.cuda.root
    return os.path.join(root, "include") if root else ""


def default_dnn_base_path():
    root = config.cuda.root
    if root and os.path.exists(os.path.join(root, "include", "cudnn.h")):
        return root
    return ""


def default_dnn_inc_path():
    base = config.dnn.base_path
    return os.path.join(base, "include") if base != "" else ""


def default_dnn_lib_path():
    base = config.dnn.base_path
    if base == "":
        return ""
    if sys.platform == "win32":
        return os.path.join(base, "lib", "x64")
    return os.path.join(base, "lib" if sys.platform == "darwin" else "lib64")


def default_dnn_bin_path():
    base = config.dnn.base_path
    if base == "":
        return ""
    return os.path.join(base, "bin") if sys.platform == "win32" else config.dnn.library_path


# --------------------------------------------------------------------------- C compiler, BLAS

# Theano probed g++ at import; no C++ compiler is used here (the ``cxx`` flag is empty), so
# the probe results are those of a machine without one.
rc = 1                              # exit status of the compiler probe: "not available"
p_out = None                        # the output of ``cxx -dumpversion``: not run
gcc_version_str = "GCC_NOT_FOUND"
default_openmp = False              # as in Theano 1.0.5 (OpenMP off by default)
var = os.getenv("OMP_NUM_THREADS", None)
count = cpuCount()


def check_mkl_openmp():
    """Theano checked MKL's threading layer before linking its C code against MKL; the
    products here run through NumPy's own BLAS, so there is nothing to check."""
    return None


def default_blas_ldflags():
    """The default of ``blas.ldflags``: '' (no BLAS is linked; NumPy's BLAS is used)."""
    return ""


def try_blas_flag(flags):
    """Theano compiled and ran a small C program against the BLAS named by `flags`."""
    raise NotImplementedError(
        "try_blas_flag compiles and runs a C program linked with the given BLAS flags; "
        "theano_compat generates no C code, so blas.ldflags has no effect: matrix products "
        "use NumPy's BLAS (numpy.show_config() shows which one).")


# --------------------------------------------------------------------------- compile directory


def local_bitwidth():
    """32 or 64: the size of a memory pointer in bits."""
    return struct.calcsize("P") * 8


def python_int_bitwidth():
    """The size of a C long in bits (Python 2's int)."""
    return struct.calcsize("l") * 8


def short_platform(r=None, p=None):
    """``platform.platform()`` with the kernel release shortened to 'X.Y-<rest>' (the patch
    numbers dropped), so that kernel updates keep the same compile directory name.

    `r` is the release (default ``platform.release()``), `p` the platform string (default
    ``platform.platform()``); a release not of the form 'X.Y.Z-N...' leaves `p` unchanged.
    """
    if r is None:
        r = platform.release()
    if p is None:
        p = platform.platform()
    sp = r.split("-")
    if len(sp) < 2:
        return p
    kernel_version = sp[0].split(".")
    if len(kernel_version) <= 2:
        return p
    sp[0] = ".".join(kernel_version[:2])
    rest = sp[1].split(".")
    while rest and rest[0].isdigit():
        del rest[0]
    sp[1] = ".".join(rest)
    return p.replace(r, "-".join(sp))


default_compiledir_format = _config._FLAGS["compiledir_format"].default


def _compiledir_format_dict():
    socket = importlib.import_module("socket")
    return {
        "platform": platform.platform(),
        "processor": platform.processor(),
        "python_version": platform.python_version(),
        "python_bitwidth": local_bitwidth(),
        "python_int_bitwidth": python_int_bitwidth(),
        "theano_version": _theano_version,
        "numpy_version": np.__version__,
        "gxx_version": gcc_version_str.replace(" ", "_"),
        "hostname": socket.gethostname(),
        "short_platform": short_platform(),
        "device": config.device,
    }


def default_compiledirname():
    """``config.compiledir_format`` filled from ``compiledir_format_dict``, made path-safe."""
    formatted = config.compiledir_format % _lazy_value("compiledir_format_dict")
    return re.sub(r"[()\s,]+", "_", formatted)


def filter_base_compiledir(path):
    return os.path.expanduser(str(path))


def filter_compiledir(path):
    """Theano's ``compiledir`` filter: the real path of `path`, created (mode 0o770, with an
    ``__init__.py``) when missing; ValueError when it cannot be used.  (The ``compiledir``
    flag of this package never creates it: nothing is compiled to disk.)"""
    path = os.path.realpath(os.path.expanduser(path))
    if os.access(path, os.F_OK):
        if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
            raise ValueError(f"compiledir '{path}' exists but you don't have read, write or "
                             "listing permissions.")
    else:
        try:
            os.makedirs(path, 0o770)
        except OSError as e:
            if e.errno != errno.EEXIST:
                raise ValueError(f"Unable to create the compiledir directory '{path}'. Check "
                                 "the permissions.") from None
    init_file = os.path.join(path, "__init__.py")
    if not os.path.exists(init_file):
        open(init_file, "w").close()
    return path


def get_home_dir():
    """The user's home directory (HOME, else the expanded '~', else USERPROFILE)."""
    home = os.getenv("HOME")
    if home is None:
        home = os.path.expanduser("~")
        if home == "~":
            home = os.getenv("USERPROFILE")
    assert home is not None
    return home


if sys.platform == "win32" and os.getenv("LOCALAPPDATA") is not None:
    default_base_compiledir = os.path.join(os.getenv("LOCALAPPDATA"), "Theano")
else:
    default_base_compiledir = os.path.join(get_home_dir(), ".theano")


def default_compiledir():
    return os.path.join(config.base_compiledir, default_compiledirname())


def _timeout_default():
    return config.compile.wait * 24


_lazy = {}   # built on first use: the host name needs the socket module (~7 ms to import)
_LAZY = {
    "compiledir_format_dict": _compiledir_format_dict,
    "compiledir_format_keys": lambda: ", ".join(sorted(_lazy_value("compiledir_format_dict"))),
    "socket": lambda: importlib.import_module("socket"),
}


def _lazy_value(name):
    if name not in _lazy:
        _lazy[name] = _LAZY[name]()
    return _lazy[name]


def __dir__():
    return sorted([*globals(), *_LAZY])


def __getattr__(name):
    if name in _LAZY:
        return _lazy_value(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
