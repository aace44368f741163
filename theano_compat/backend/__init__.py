"""Array backends: which array module runs the Ops, and its library extras.

Only this package may import CuPy.  The rest of the code receives an array module
``xp`` (numpy or cupy) and asks here for what the module itself lacks (special
functions, scatter-add).

Selection (DESIGN.md §9.4): ``config.device`` picks the backend functions compile for:
``cpu``; ``cuda`` / ``cudaN``; the pre-1.0 spellings ``gpu`` / ``gpuN`` mean the same CUDA
device.  ``init_gpu_device=cudaN`` (with device=cpu) initialises that GPU without making
it the default.  When the GPU cannot be used, Theano's ``force_device`` decides:

* ``force_device=True``: EnvironmentError ("You forced the use of gpu device ...") naming
  the missing piece (CuPy and its install command, the driver, the device);
* ``force_device=False`` (Theano's default): the same explanation is logged as an ERROR
  on the ``theano_compat.backend`` logger (printed to stderr unless logging is
  configured otherwise) and computations run on the CPU, as Theano 1.0.5 did.

Taking a GPU prints Theano's one line to stderr (``Using gpu device 0: <name> (CNMeM is
disabled, cuDNN <version>)``) unless ``print_active_device=False``.
"""

from __future__ import annotations

import contextlib
import sys

import numpy as np

from ..config import config, device_kind
from . import cuda as _cuda
from .cpu import CPU_BACKEND, scipy_linalg_numpy, scipy_sparse_numpy, special_function_numpy

__all__ = [
    "CPU_BACKEND",
    "cuda_active",
    "current",
    "for_module",
    "get",
    "init_from_config",
    "is_device_array",
    "is_device_sparse",
    "scatter_add",
    "scipy_linalg",
    "sparse_dtype_ok",
    "sparse_module",
    "special_function",
    "to_host",
    "unuse",
    "use",
    "using",
]


def _logger():
    # Imported on first use: `logging` costs ~3 ms at import (DESIGN §9.6 import budget),
    # and is only needed when a GPU is asked for.
    import logging

    return logging.getLogger("theano_compat.backend")


_current = None  # the selected backend (None until the first current()/init_from_config)
_cuda_backends = {}  # device index -> CUDABackend, each created once
_initialized_index = [None]  # the GPU taken by init_gpu_device / use(), for the warning


def current():
    """The backend functions compile for (chosen from ``config.device`` on first use)."""
    b = _current
    return b if b is not None else init_from_config()


def get(device="cpu"):
    """The backend for a device string: ``cpu``, ``cuda``/``cudaN``, ``gpu``/``gpuN``.

    A CUDA device that cannot be used raises ImportError (CuPy missing, with the install
    command) or RuntimeError (no driver/GPU, index out of range).
    """
    kind, index = device_kind(device)
    if kind == "cpu":
        return CPU_BACKEND
    return _cuda_backend(0 if index is None else index)


def _cuda_backend(index):
    backend = _cuda_backends.get(index)
    if backend is None:
        cupy = _cuda.load_cupy()
        backend = _cuda_backends[index] = _cuda.CUDABackend(cupy, index)
    return backend


def init_from_config():
    """Select the backend from ``config.device`` / ``init_gpu_device`` (once; called when
    ``theano`` is imported, so the GPU line appears at import as in Theano)."""
    global _current
    if _current is not None:
        return _current
    kind, _ = device_kind(config.device)
    if kind == "cuda":
        _current = _take_gpu(config.device, config.force_device, make_default=True)
        return _current
    _current = CPU_BACKEND
    init = config.init_gpu_device
    if init and device_kind(init)[0] == "cuda":
        _logger().warning(
            "GPU device %s will be initialized, and used if a GPU is needed. However, no "
            "computation, nor shared variables, will be implicitly moved to that device. If "
            "you want that behavior, use the 'device' flag instead.", init)
        _take_gpu(init, config.force_device, make_default=False)
    return _current


def _take_gpu(device, force, make_default):
    """The CUDA backend of `device` after printing Theano's line; on failure raise (force)
    or log the reason and return the CPU backend."""
    try:
        backend = get(device)
    except (ImportError, RuntimeError) as e:
        if force:
            raise OSError(
                f"You forced the use of gpu device {device}, but CUDA initialization failed "
                f"with error:\n{e}"
            ) from e
        _logger().error(
            "ERROR: Not using GPU. Initialisation of device %s failed:\n%s\nComputations run "
            "on the CPU (set force_device=True to make this an error, or device=cpu to "
            "silence it).", device, e)
        return CPU_BACKEND
    backend.activate()
    if _initialized_index[0] is None:
        _initialized_index[0] = backend.index
        if config.print_active_device:
            print(backend.startup_line(), file=sys.stderr)
    return backend if make_default else CPU_BACKEND


def use(device, force=False, default_to_move_computation_to_gpu=True,
        move_shared_float32_to_gpu=True, enable_cuda=True):
    """Theano's ``theano.sandbox.cuda.use``: make `device` (``gpu0``, ``cuda1``...) the
    device later functions and shared variables go to.

    As in Theano: ``cpu`` does nothing; a second GPU is refused with a warning once one is
    in use; failure raises EnvironmentError when `force`, else logs an ERROR and keeps the
    CPU.  ``default_to_move_computation_to_gpu=False`` only initialises the device.
    Shared variables created afterwards follow the current device (all real dtypes of
    one or more dimensions, as Theano 1.0's GPU back-end: ``move_shared_float32_to_gpu``
    is accepted for compatibility).
    """
    global _current
    kind, index = device_kind(device)
    if kind == "cpu":
        return current()
    index = 0 if index is None else index
    taken = _initialized_index[0]
    if taken is not None and taken != index:
        _logger().warning("Ignoring call to use(%s), GPU number %i is already in use.",
                          device, taken)
        index = taken
    make_default = bool(default_to_move_computation_to_gpu and enable_cuda)
    backend = _take_gpu(f"cuda{index}", force, make_default)
    if make_default:
        _current = backend
    elif _current is None:
        _current = CPU_BACKEND
    return _current


def unuse():
    """Undo `use`: later functions and shared variables stay on the CPU."""
    global _current
    _current = CPU_BACKEND


def cuda_active():
    """Whether functions compiled now run on a CUDA device (Theano's ``cuda_enabled``)."""
    return bool(getattr(current(), "is_device", False))


@contextlib.contextmanager
def using(device):
    """Compile (and place new shared variables) for `device` inside the block.

    `device` is a device string or a backend object (tests use simulated backends).
    """
    global _current
    backend = get(device) if isinstance(device, str) else device
    activate = getattr(backend, "activate", None)
    if activate is not None:
        activate()
    previous = _current
    _current = backend
    try:
        yield backend
    finally:
        _current = previous


# ----------------------------------------------------------------------------- arrays


def is_device_array(value):
    """Whether `value` is an array in GPU memory (has ``__cuda_array_interface__``)."""
    return _cuda.is_device_array(value)


def to_host(value):
    """`value` as a host (NumPy) array: device arrays are copied, anything else is kept."""
    return _cuda.to_host(value)


def for_module(xp):
    """The backend whose array module is `xp` (numpy or a cupy module)."""
    if xp is np:
        return CPU_BACKEND
    b = _current
    if b is not None and b.xp is xp:
        return b
    for backend in _cuda_backends.values():
        if backend.xp is xp:
            return backend
    # An array module nobody selected (an Op called directly on cupy arrays).
    return _cuda_backend(int(xp.cuda.runtime.getDevice()))


# ----------------------------------------------------------------------------- extras


def special_function(xp, name):
    """A scipy.special-style function for the array module `xp` (imported lazily)."""
    if xp is np:
        return special_function_numpy(name)
    return for_module(xp).special_function(name)


def scipy_linalg(xp, name):
    """A scipy.linalg function for the array module `xp` (imported lazily)."""
    if xp is np:
        return scipy_linalg_numpy(name)
    return for_module(xp).scipy_linalg(name)


def scatter_add(xp, target, index, values):
    """target[index] += values, accumulating repeated indices."""
    if xp is np:
        np.add.at(target, index, values)
        return target
    return for_module(xp).scatter_add(target, index, values)


# ----------------------------------------------------------------------------- sparse


def sparse_module(xp):
    """The sparse-matrix module of the array module `xp`: scipy.sparse for NumPy,
    cupyx.scipy.sparse for CuPy (both imported on first use).  theano.sparse's Ops take
    it from here, never importing either themselves."""
    if xp is np:
        return scipy_sparse_numpy()
    return for_module(xp).sparse_module()


def sparse_dtype_ok(xp, dtype):
    """Whether the sparse module of `xp` holds matrices of `dtype` (cupyx.scipy.sparse:
    bool, float and complex only)."""
    if xp is np:
        return True
    return for_module(xp).sparse_dtype_ok(dtype)


def is_device_sparse(value):
    """Whether `value` is a sparse matrix in GPU memory (cupyx.scipy.sparse)."""
    return _cuda.is_device_sparse(value)
