"""Tensor shared variables (Theano's ``theano.tensor.sharedvar``).

On a GPU backend (device=cuda), a new shared variable of 1 or more dimensions and a
real dtype lives on the device, as Theano 1.0's GPU shared variables did (0-d and
complex values stay on the host, Theano's ``move_to_gpu`` rule); ``target='cpu'`` keeps
it on the host.  ``get_value()`` returns a NumPy copy unless ``return_internal_type=True``
(then the device array: itself with ``borrow=True``, else a device copy); ``set_value``
takes NumPy (copied to the device) or device arrays (kept with ``borrow=True``).
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

from .. import backend as _backend
from ..graph.shared import SharedVariable, shared_constructor
from .type import TensorType
from .variable import _tensor_py_operators


class TensorSharedVariable(_tensor_py_operators, SharedVariable):
    """A shared variable holding an ndarray; usable wherever a tensor is."""

    __module__ = "theano.tensor.sharedvar"  # Theano's path: reprs and pickles

    __hash__ = SharedVariable.__hash__

    def get_value(self, borrow=False, return_internal_type=False):
        value = self.container.value
        if value is None:
            return None  # after set_value(None), which Theano 1.0.5 accepted (frees memory)
        if _backend.is_device_array(value):
            if return_internal_type:
                return value if borrow else value.copy()
            return _backend.to_host(value)  # a fresh host copy, whatever `borrow` says
        return value if borrow else value.copy()

    def set_value(self, new_value, borrow=False):
        device = getattr(self.container, "device", None)
        if _backend.is_device_array(new_value):
            if device is None:
                new_value = _backend.to_host(new_value)  # a host variable: copied here
            elif not borrow:
                new_value = new_value.copy()
        elif not borrow and isinstance(new_value, np.ndarray):
            new_value = new_value.copy()
        self.container.value = new_value  # checked by the type (dtype, ndim, pattern)
        if device is not None and not device.is_device_array(self.container.storage[0]):
            self.container.storage[0] = device.asarray(self.container.storage[0])

    @property
    def device(self):
        """The backend holding the value (None: host memory)."""
        return getattr(self.container, "device", None)


class ScalarSharedVariable(_tensor_py_operators, SharedVariable):
    """A 0-d shared variable made from a Python or NumPy scalar (Theano's class name)."""

    __module__ = "theano.tensor.sharedvar"  # Theano's path: reprs and pickles

    __hash__ = SharedVariable.__hash__

    get_value = TensorSharedVariable.get_value
    set_value = TensorSharedVariable.set_value
    device = TensorSharedVariable.device


_DEFAULT = object()


def _placement(value, target):
    """The device backend a new shared array goes to, or None for host memory."""
    if target == "cpu":
        return None
    if target is _DEFAULT or target is None:
        current = _backend.current()
        if getattr(current, "is_device", False):
            if _backend.is_device_array(value) or (value.ndim > 0 and value.dtype.kind != "c"):
                return current
            return None
        return _backend.get("cuda") if _backend.is_device_array(value) else None
    if isinstance(target, str) and target.startswith(("cuda", "gpu", "dev")):
        return _backend.get("cuda" + target[3:] if target.startswith("dev") else target)
    raise TypeError(f"target={target!r}")


@shared_constructor
def tensor_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       broadcastable=None, target=_DEFAULT):
    """theano.shared for ndarrays (NumPy, or CuPy on a GPU): the type follows the array's
    dtype and ndim; the value lives on the current device (see the module docstring)."""
    on_device = _backend.is_device_array(value)
    if not isinstance(value, np.ndarray) and not on_device:
        raise TypeError("not an ndarray")
    device = _placement(value, target)
    if device is None and on_device:
        value, borrow = _backend.to_host(value), True  # already a copy
    if broadcastable is None:
        broadcastable = (False,) * value.ndim
    ttype = TensorType(str(value.dtype), broadcastable)
    if device is not None:
        value = (value if borrow else value.copy()) if on_device else device.asarray(value)
    elif not borrow:
        value = value.copy()
    var = TensorSharedVariable(type=ttype, value=value, name=name, strict=strict,
                               allow_downcast=allow_downcast)
    if device is not None:
        var.container.device = device
    return var


@shared_constructor
def scalar_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       target="cpu"):
    """theano.shared for Python/NumPy scalars: Python floats are float64, ints int64."""
    if target not in ("cpu", None):
        raise TypeError(f"target={target!r}")
    if not isinstance(value, (numbers.Number, np.number, np.bool_, bool)):
        raise TypeError("not a scalar")
    if isinstance(value, (bool, np.bool_)):
        dtype = "bool"
    elif isinstance(value, np.generic):
        dtype = str(value.dtype)
    elif isinstance(value, int):
        dtype = "int64"
    elif isinstance(value, float):
        dtype = "float64"  # not floatX: Theano 1.0.5 keeps Python floats at float64 here
    elif isinstance(value, complex):
        dtype = "complex128"
    else:
        raise TypeError("unsupported scalar")
    ttype = TensorType(dtype, ())
    return ScalarSharedVariable(type=ttype, value=np.asarray(value, dtype=dtype), name=name,
                                strict=strict, allow_downcast=allow_downcast)


integer_types = (int,)  # six.integer_types on Python 3: a name of Theano's module
theano = sys.modules[__name__.split(".")[0]]  # the package (Theano's module imported it)


def load_shared_variable(val):
    """A tensor shared variable holding `val` (Theano kept it to unpickle old pickles)."""
    return tensor_constructor(np.asarray(val))
