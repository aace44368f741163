"""The NumPy backend."""

from __future__ import annotations

import functools

import numpy as np


class CPUBackend:
    """Arrays are NumPy arrays in host memory."""

    name = "cpu"
    xp = np
    is_device = False  # arrays live in host memory: no transfers (see CUDABackend)
    op_prefix = ""

    @staticmethod
    def asarray(value, dtype=None):
        return np.asarray(value, dtype=dtype)

    @staticmethod
    def to_host(value):
        return value

    @staticmethod
    def empty(shape, dtype):
        return np.empty(shape, dtype=dtype)

    @staticmethod
    def synchronize():
        pass

    @staticmethod
    def sparse_module():
        """scipy.sparse (theano.sparse's matrices on the host)."""
        return scipy_sparse_numpy()

    @staticmethod
    def sparse_dtype_ok(dtype):
        """Whether sparse matrices of `dtype` exist here (scipy.sparse: every dtype)."""
        return True


CPU_BACKEND = CPUBackend()


@functools.cache
def special_function_numpy(name):
    """scipy.special.<name>, imported on first use (SciPy costs ~250 ms at import)."""
    import scipy.special

    return getattr(scipy.special, name)


@functools.cache
def scipy_linalg_numpy(name):
    """scipy.linalg.<name>, imported on first use."""
    import scipy.linalg

    return getattr(scipy.linalg, name)


@functools.cache
def scipy_sparse_numpy():
    """scipy.sparse, imported on first use."""
    import scipy.sparse

    return scipy.sparse
