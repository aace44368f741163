"""Loading on the CPU what Theano's GPU back-ends pickled (both are gone: see the
docstrings of theano.gpuarray.type and theano.sandbox.cuda.type, the paths the pickles
name).

Byte formats (from Theano 1.0.5's gpuarray/type.py and Theano 0.9's sandbox/cuda/type.py):
a device array is the copyreg reduction ``GpuArray_unpickler(ndarray, context_name)`` or
``CudaNdarray_unpickler(ndarray)``, the ndarray a host copy; shared variables and types
are plain ``__dict__`` states of their classes.  `theano.misc.pkl_utils` archives store
device arrays as ``gpuarray.*`` / ``cuda_ndarray.*`` entries (read by
PersistentNdarrayLoad).
"""

from __future__ import annotations

import warnings

from ...config import config
from ...tensor.sharedvar import TensorSharedVariable
from ...tensor.type import TensorType

__all__ = ["CudaNdarraySharedVariable", "CudaNdarrayType", "CudaNdarray_unpickler",
           "GpuArraySharedVariable", "GpuArrayType", "GpuArray_unpickler"]


def _host_array(npa, what):
    if not config.experimental.unpickle_gpu_on_cpu:
        raise ImportError(
            f"Cannot unpickle {what}: the GPU back-end that wrote it is not available. "
            "Set THEANO_FLAGS=experimental.unpickle_gpu_on_cpu=True (or "
            "theano.config.experimental.unpickle_gpu_on_cpu = True) to load it as a NumPy "
            "array; shared variables then follow this project's device placement.")
    warnings.warn(f"config.experimental.unpickle_gpu_on_cpu is set to True. Unpickling "
                  f"{what} as numpy.ndarray", stacklevel=3)
    return npa


def GpuArray_unpickler(npa, ctx_name):  # noqa: N802 - Theano's name
    """A pickled pygpu GpuArray: its host copy `npa` (with unpickle_gpu_on_cpu)."""
    return _host_array(npa, "GpuArray")


def CudaNdarray_unpickler(npa):  # noqa: N802 - Theano's name
    """A pickled CudaNdarray: its host copy `npa` (with unpickle_gpu_on_cpu)."""
    return _host_array(npa, "CudaNdarray")


GpuArray_unpickler.__module__ = "theano.gpuarray.type"
CudaNdarray_unpickler.__module__ = "theano.sandbox.cuda.type"


class _LoadsAsTensorType:
    """A GPU type of a pickle: becomes the `TensorType` of its dtype and broadcastable
    pattern when loaded; not constructible."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} belonged to a GPU back-end of Theano that is gone; use "
            "theano.tensor.TensorType (computation goes to the GPU with device=cuda)")

    def __setstate__(self, state):
        self.__class__ = TensorType
        TensorType.__init__(self, state.get("dtype", "float32"), state["broadcastable"],
                            state.get("name"))


class GpuArrayType(_LoadsAsTensorType):
    __module__ = "theano.gpuarray.type"  # Theano's path: pickles


class CudaNdarrayType(_LoadsAsTensorType):
    __module__ = "theano.sandbox.cuda.type"  # Theano's path: pickles


class _LoadsAsTensorShared:
    """A GPU shared variable of a pickle: becomes a `TensorSharedVariable` when loaded;
    not constructible."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} belonged to a GPU back-end of Theano that is gone; use "
            "theano.shared (placed on the GPU with device=cuda)")

    def __setstate__(self, state):
        self.__class__ = TensorSharedVariable
        setstate = getattr(TensorSharedVariable, "__setstate__", None)
        if setstate is not None:
            setstate(self, state)
        else:
            self.__dict__.update(state)


class GpuArraySharedVariable(_LoadsAsTensorShared):
    __module__ = "theano.gpuarray.type"  # Theano's path: pickles


class CudaNdarraySharedVariable(_LoadsAsTensorShared):
    __module__ = "theano.sandbox.cuda.var"  # Theano's path: pickles
