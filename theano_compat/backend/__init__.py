"""Array backends: which array module runs the Ops, and its library extras.

Only this package may import CuPy.  The rest of the code receives an array module
``xp`` (numpy or cupy) and asks here for what the module itself lacks (special
functions, scatter-add).
"""

from __future__ import annotations

import numpy as np

from .cpu import CPU_BACKEND, scipy_linalg_numpy, special_function_numpy

__all__ = ["CPU_BACKEND", "current", "get", "special_function", "scipy_linalg", "scatter_add"]


def current():
    """The backend functions compile for (CPU until the CUDA backend is selected)."""
    return CPU_BACKEND


def get(device="cpu"):
    """The backend for a device string (``cpu`` only in this build)."""
    if device == "cpu":
        return CPU_BACKEND
    raise NotImplementedError(
        f"device={device!r}: the CUDA backend is not part of this build yet; use device=cpu"
    )


def special_function(xp, name):
    """A scipy.special-style function for the array module `xp` (imported lazily)."""
    if xp is np:
        return special_function_numpy(name)
    raise NotImplementedError(
        f"special function {name} for array module {xp.__name__}: only the NumPy backend exists "
        "in this build; use device=cpu"
    )


def scipy_linalg(xp, name):
    """A scipy.linalg function for the array module `xp` (imported lazily)."""
    if xp is np:
        return scipy_linalg_numpy(name)
    raise NotImplementedError(
        f"scipy.linalg.{name} for array module {xp.__name__}: only the NumPy backend exists in "
        "this build; use device=cpu"
    )


def scatter_add(xp, target, index, values):
    """target[index] += values, accumulating repeated indices."""
    if xp is np:
        np.add.at(target, index, values)
        return target
    raise NotImplementedError(
        f"scatter_add for array module {xp.__name__}: only the NumPy backend exists in this "
        "build; use device=cpu"
    )
