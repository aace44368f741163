"""The CuPy backend: arrays in the memory of one NVIDIA GPU (DESIGN.md §2, §9.4).

This is the only module that imports CuPy, and it does so lazily (`load_cupy`), so
``import theano`` never pays for it and machines without CuPy never see it.  A missing
piece is reported by name:

* CuPy not installed        -> ImportError naming ``pip install theano-compat[cuda12]``
  (CUDA 12.x drivers) or ``[cuda13]`` (CUDA 13.x);
* CuPy present, no usable driver or no GPU, or a device index out of range
  -> RuntimeError saying which.

Besides the Backend protocol (name, xp, asarray, to_host, empty, synchronize) the
backend offers the library extras Ops ask for (special functions, scipy.linalg,
scatter-add) and the kernel factories fused elementwise code uses:
`elementwise_kernel(in_params, out_params, operation, name)` and `reduction_kernel`, both
memoised wrappers of ``cupy.ElementwiseKernel`` / ``cupy.ReductionKernel``.
"""

from __future__ import annotations

import functools
import importlib
import warnings

import numpy as np

__all__ = [
    "INSTALL_HINT",
    "CUDABackend",
    "CUDAUnavailableError",
    "SPARSE_DTYPES",
    "device_count",
    "is_device_array",
    "is_device_sparse",
    "load_cupy",
    "to_host",
]

INSTALL_HINT = ("pip install theano-compat[cuda12] (CUDA 12.x driver) or "
                "pip install theano-compat[cuda13] (CUDA 13.x driver)")

# NVRTC options of every fused kernel.  No FMA contraction: `a * b + c` rounds twice, as
# the NumPy backend computes it, so CPU and GPU results agree to the last bit wherever
# both use correctly rounded operations (+ - * / sqrt, comparisons, casts).
KERNEL_OPTIONS = ("--fmad=false",)

# The dtypes cupyx.scipy.sparse matrices can hold (its csr/csc/coo constructors refuse
# the others): theano.sparse Ops on other dtypes (integer matrices, the uint8 results of
# sparse-sparse comparisons) run on the host with scipy.sparse.
SPARSE_DTYPES = frozenset({"bool", "float32", "float64", "complex64", "complex128"})


class CUDAUnavailableError(RuntimeError):
    """CuPy is importable but no CUDA device can be used (no driver, no GPU, bad index)."""


def load_cupy(importer=None):
    """Import and return the ``cupy`` module, or raise an error naming the missing piece.

    `importer` (a function of a module name) replaces ``importlib.import_module``; tests
    pass one that fails to simulate machines without CuPy.
    """
    importer = importer or importlib.import_module
    try:
        return importer("cupy")
    except ModuleNotFoundError as e:
        if e.name not in (None, "cupy"):
            raise ImportError(
                f"CuPy is installed but one of its modules is missing ({e.name}): {e}. "
                f"Reinstall the CuPy package that matches your CUDA driver: {INSTALL_HINT}"
            ) from e
        raise ImportError(
            "device=cuda needs CuPy, which is not installed. Install it with "
            f"{INSTALL_HINT}, or run on the CPU with THEANO_FLAGS=device=cpu"
        ) from e
    except ImportError as e:
        raise ImportError(
            f"CuPy is installed but failed to load ({e}). Check that the CuPy package "
            f"matches the installed CUDA driver ({INSTALL_HINT}), or run on the CPU with "
            "THEANO_FLAGS=device=cpu"
        ) from e


def device_count(cupy):
    """Number of visible CUDA devices; CUDAUnavailableError when the driver fails."""
    try:
        n = int(cupy.cuda.runtime.getDeviceCount())
    except Exception as e:  # cupy_backends...CUDARuntimeError: no driver, too old, no GPU
        raise CUDAUnavailableError(
            f"CuPy is installed but the CUDA runtime cannot list any device ({e}). Check the "
            "NVIDIA driver (nvidia-smi) and CUDA_VISIBLE_DEVICES, or use device=cpu"
        ) from e
    return n


def is_device_array(value):
    """Whether `value` lives in GPU memory (anything with ``__cuda_array_interface__``)."""
    return hasattr(value, "__cuda_array_interface__")


def is_device_sparse(value):
    """Whether `value` is a cupyx.scipy.sparse matrix (known by its class's module, so
    cupyx is never imported to answer)."""
    return (getattr(type(value), "__module__", None) or "").startswith("cupyx.scipy.sparse")


def to_host(value):
    """`value` as a NumPy array (device arrays are copied to the host); a
    cupyx.scipy.sparse matrix becomes the scipy.sparse matrix of its format."""
    if is_device_sparse(value):
        return value.get()
    if not is_device_array(value):
        return value
    get = getattr(value, "get", None)
    if get is not None:  # cupy.ndarray.get(): a synchronous copy to a new ndarray
        return get()
    return load_cupy().asnumpy(load_cupy().asarray(value))


class CUDABackend:
    """Arrays are CuPy arrays on CUDA device `index`.

    Attributes: ``name`` ("cuda"), ``xp`` (the cupy module), ``index``, ``device_name``,
    ``is_device`` (True: the linker moves data to and from this device), ``op_prefix``
    ("Gpu": compiled graphs name their device ops GpuElemwise, GpuDot...).
    """

    name = "cuda"
    is_device = True
    op_prefix = "Gpu"

    def __init__(self, cupy, index=0):
        n = device_count(cupy)
        if n == 0:
            raise CUDAUnavailableError(
                "CuPy is installed but no CUDA device is visible (getDeviceCount() == 0). "
                "Check the NVIDIA driver (nvidia-smi) and CUDA_VISIBLE_DEVICES, or use "
                "device=cpu"
            )
        if not 0 <= index < n:
            raise CUDAUnavailableError(
                f"device=cuda{index} asked for CUDA device {index}, but only {n} device(s) "
                f"are visible (cuda0..cuda{n - 1})"
            )
        self.xp = cupy
        self.index = index
        self.device = cupy.cuda.Device(index)
        self.device_name = _device_name(cupy, index)
        self._kernels = {}
        self._host_fallback_warned = set()
        # Set to a dict to count launches of the kernels made here by name (benchmarks).
        self.launch_counts = None

    def __repr__(self):
        return f"<CUDABackend cuda{self.index}: {self.device_name}>"

    def activate(self):
        """Make this GPU CuPy's current device (where new arrays and kernels go)."""
        self.device.use()
        return self

    def __reduce__(self):
        # Pickled functions keep their backend by name: unpickling selects that device
        # (and reports what is missing on a machine without it).
        return (_backend_named, (f"cuda{self.index}",))

    # -- the Backend protocol ----------------------------------------------------------------

    def asarray(self, value, dtype=None):
        """`value` on the device (host arrays are copied, device arrays kept)."""
        return self.xp.asarray(value, dtype=dtype)

    def to_host(self, value):
        """`value` as a NumPy array (copied from the device when it is a device array)."""
        if type(value) is np.ndarray:
            return value
        if isinstance(value, self.xp.ndarray):
            return value.get()
        return to_host(value)

    # -- sparse matrices (theano.sparse) -----------------------------------------------------

    def sparse_module(self):
        """cupyx.scipy.sparse (imported on first use); ImportError when this CuPy lacks it."""
        module = _cupyx_module("cupyx.scipy.sparse")
        if module is None:
            raise ImportError("theano.sparse on the GPU needs cupyx.scipy.sparse, which this "
                              f"CuPy does not provide; reinstall CuPy ({INSTALL_HINT})")
        return module

    @staticmethod
    def sparse_dtype_ok(dtype):
        """Whether cupyx.scipy.sparse matrices of `dtype` exist (see SPARSE_DTYPES)."""
        return str(dtype) in SPARSE_DTYPES

    @staticmethod
    def is_device_sparse(value):
        return is_device_sparse(value)

    def empty(self, shape, dtype):
        return self.xp.empty(shape, dtype=dtype)

    def synchronize(self):
        """Wait until all work queued on this device has finished (for timing)."""
        self.device.synchronize()

    def is_device_array(self, value):
        return isinstance(value, self.xp.ndarray) or is_device_array(value)

    # -- library extras ----------------------------------------------------------------------

    def special_function(self, name):
        """cupyx.scipy.special.<name>; a host round trip (one warning) when CuPy lacks it."""
        return _scipy_function(self, "special", name)

    def scipy_linalg(self, name):
        """cupyx.scipy.linalg.<name>; a host round trip (one warning) when CuPy lacks it."""
        return _scipy_function(self, "linalg", name)

    def scatter_add(self, target, index, values):
        """target[index] += values with repeated indices accumulated (cupyx.scatter_add)."""
        add_at = getattr(self.xp.add, "at", None)
        if add_at is not None:
            add_at(target, index, values)
        else:  # CuPy < 13
            importlib.import_module("cupyx").scatter_add(target, index, values)
        return target

    def host_fallback(self, what, fn):
        """`fn` (a host function of NumPy arrays) run on copies of device arguments, its
        results copied back; warns once per `what` (it is correct but slow)."""
        if what not in self._host_fallback_warned:
            self._host_fallback_warned.add(what)
            warnings.warn(f"{what} has no CuPy implementation: it runs on the host, with "
                          "its arguments copied from and its results copied to the GPU",
                          RuntimeWarning, stacklevel=3)

        def run(*args, **kwargs):
            result = fn(*[self.to_host(a) for a in args], **kwargs)
            if isinstance(result, tuple):
                return tuple(self._back(r) for r in result)
            return self._back(result)

        return run

    def _back(self, value):
        if isinstance(value, np.ndarray):
            return self.xp.asarray(value)
        if isinstance(value, np.generic):
            return self.xp.asarray(value)
        return value

    # -- kernels -----------------------------------------------------------------------------

    def elementwise_kernel(self, in_params, out_params, operation, name, preamble="",
                           options=KERNEL_OPTIONS):
        """A ``cupy.ElementwiseKernel`` (memoised: the same source gives the same object, so
        CuPy compiles it once per device; its binary is cached on disk by CuPy)."""
        key = ("elementwise", in_params, out_params, operation, name, preamble, options)
        kernel = self._kernels.get(key)
        if kernel is None:
            kernel = self.xp.ElementwiseKernel(in_params, out_params, operation, name,
                                               preamble=preamble, options=tuple(options))
            kernel = self._kernels[key] = self._counted(kernel, name)
        return kernel

    def reduction_kernel(self, in_params, out_params, map_expr, reduce_expr, post_map_expr,
                         identity, name, reduce_type=None, preamble="",
                         options=KERNEL_OPTIONS):
        """A ``cupy.ReductionKernel`` (memoised like `elementwise_kernel`)."""
        key = ("reduction", in_params, out_params, map_expr, reduce_expr, post_map_expr,
               identity, name, reduce_type, preamble, options)
        kernel = self._kernels.get(key)
        if kernel is None:
            kernel = self.xp.ReductionKernel(in_params, out_params, map_expr, reduce_expr,
                                             post_map_expr, identity, name,
                                             reduce_type=reduce_type, preamble=preamble,
                                             options=tuple(options))
            kernel = self._kernels[key] = self._counted(kernel, name)
        return kernel

    def _counted(self, kernel, name):
        if self.launch_counts is None:
            return kernel
        counts = self.launch_counts

        def launch(*args, **kwargs):
            counts[name] = counts.get(name, 0) + 1
            return kernel(*args, **kwargs)

        launch.kernel = kernel
        return launch

    # -- reporting ---------------------------------------------------------------------------

    def cudnn_version(self):
        """cuDNN's version number, or "not available" (Theano's start-up line shows it)."""
        try:
            cudnn = importlib.import_module("cupy.cuda.cudnn")
            return cudnn.getVersion()
        except Exception:  # noqa: BLE001 - not installed with this CuPy, or fails to load
            return "not available"

    def startup_line(self):
        """The line Theano printed when it took a GPU (``Using gpu device 0: <name> ...``)."""
        return (f"Using gpu device {self.index}: {self.device_name} "
                f"(CNMeM is disabled, cuDNN {self.cudnn_version()})")


def _backend_named(device):
    return importlib.import_module("theano_compat.backend").get(device)


def _device_name(cupy, index):
    try:
        name = cupy.cuda.runtime.getDeviceProperties(index)["name"]
    except Exception:  # noqa: BLE001 - a driver without the query: the name is cosmetic
        return f"CUDA device {index}"
    return name.decode() if isinstance(name, bytes) else str(name)


@functools.cache
def _cupyx_module(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _scipy_function(backend, submodule, name):
    """cupyx.scipy.<submodule>.<name> where CuPy has it, else SciPy's function run on host
    copies (``backend.host_fallback``); SciPy is imported only then."""
    module = _cupyx_module(f"cupyx.scipy.{submodule}")
    fn = getattr(module, name, None) if module is not None else None
    if fn is not None:
        return fn
    path = f"scipy.{submodule}"
    return backend.host_fallback(f"{path}.{name}", getattr(importlib.import_module(path), name))
