"""theano.misc.may_share_memory: ``may_share_memory(a, b, raise_other_type=True)``, whether two
values Theano functions exchange may use the same memory.

Values: NumPy arrays, SciPy sparse matrices and GPU (CuPy) arrays.  Two arrays are compared
by the bounds of their memory (``numpy.may_share_memory``); a sparse matrix shares memory
with its ``data``/``indices``/``indptr`` arrays (and with another sparse matrix over one of
them); a GPU array never shares memory with a host value.  Anything else raises TypeError,
or gives False with ``raise_other_type=False``.
"""

import importlib
import sys

import numpy as np

from .. import gpuarray  # noqa: F401 - a name Theano's module had
from ..backend import is_device_array
from ..sparse.type import SparseType  # noqa: F401 - a name Theano's module had
from ..tensor.type import TensorType  # noqa: F401 - a name Theano's module had


_SPARSE_BUFFERS = ("data", "indices", "indptr", "row", "col", "offsets")


def _is_sparse(a):
    sparse = sys.modules.get("scipy.sparse")  # loaded by theano.sparse.type (SparseType)
    return sparse is not None and sparse.issparse(a)


def _is_gpua(a):
    return is_device_array(a)


def _device_extent(a):
    """[low, high) byte addresses a GPU array may touch (None for an empty array)."""
    iface = a.__cuda_array_interface__
    shape = tuple(iface["shape"])
    if 0 in shape:
        return None
    itemsize = np.dtype(iface["typestr"]).itemsize
    strides = iface.get("strides")
    if strides is None:   # C-contiguous
        strides, step = [], itemsize
        for n in reversed(shape):
            strides.insert(0, step)
            step *= n
    low = high = iface["data"][0]
    for n, stride in zip(shape, strides):
        span = (n - 1) * stride
        if span < 0:
            low += span
        else:
            high += span
    return low, high + itemsize


def _gpu_may_share_memory(a, b):
    ea, eb = _device_extent(a), _device_extent(b)
    if ea is None or eb is None:
        return False
    return ea[0] < eb[1] and eb[0] < ea[1]


def _sparse_buffers(a):
    return [getattr(a, name) for name in _SPARSE_BUFFERS
            if isinstance(getattr(a, name, None), np.ndarray)]


def _sparse_may_share_memory(a, b):
    if _is_sparse(a) and _is_sparse(b):
        return any(_sparse_may_share_memory(a, buf) for buf in _sparse_buffers(b))
    if _is_sparse(b):
        a, b = b, a
    if _is_sparse(a) and isinstance(b, np.ndarray):
        return any(np.may_share_memory(buf, b) for buf in _sparse_buffers(a))
    return False


def may_share_memory(a, b, raise_other_type=True):
    """Whether `a` and `b` may share memory (see the module docstring)."""
    a_ndarray, b_ndarray = isinstance(a, np.ndarray), isinstance(b, np.ndarray)
    if a_ndarray and b_ndarray:
        return bool(np.may_share_memory(a, b))
    a_gpua, b_gpua = _is_gpua(a), _is_gpua(b)
    if a_gpua and b_gpua:
        return _gpu_may_share_memory(a, b)
    a_sparse, b_sparse = _is_sparse(a), _is_sparse(b)
    if not (a_ndarray or a_sparse or a_gpua) or not (b_ndarray or b_sparse or b_gpua):
        if raise_other_type:
            raise TypeError("may_share_memory support only ndarray and scipy.sparse or "
                            "GpuArray type")
        return False
    if a_gpua or b_gpua:
        return False
    return _sparse_may_share_memory(a, b)


def __dir__():
    return sorted([*globals(), "scipy"])


def __getattr__(name):
    # Names of Theano's module that would cost an import here.
    if name == "scipy":
        return importlib.import_module("scipy")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
