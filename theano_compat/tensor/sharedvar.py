"""Tensor shared variables (Theano's ``theano.tensor.sharedvar``)."""

from __future__ import annotations

import numbers

import numpy as np

from ..graph.shared import SharedVariable, shared_constructor
from .type import TensorType
from .variable import _tensor_py_operators


class TensorSharedVariable(_tensor_py_operators, SharedVariable):
    """A shared variable holding an ndarray; usable wherever a tensor is."""

    __hash__ = SharedVariable.__hash__

    def get_value(self, borrow=False, return_internal_type=False):
        value = self.container.value
        return value if borrow else value.copy()

    def set_value(self, new_value, borrow=False):
        if not borrow and isinstance(new_value, np.ndarray):
            new_value = new_value.copy()
        self.container.value = new_value


class ScalarSharedVariable(_tensor_py_operators, SharedVariable):
    """A 0-d shared variable made from a Python or NumPy scalar (Theano's class name)."""

    __hash__ = SharedVariable.__hash__

    get_value = TensorSharedVariable.get_value
    set_value = TensorSharedVariable.set_value


@shared_constructor
def tensor_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       broadcastable=None, target="cpu"):
    """theano.shared for ndarrays: the type follows the array's dtype and ndim."""
    if not isinstance(value, np.ndarray):
        raise TypeError("not an ndarray")
    if target not in ("cpu", None):
        raise TypeError(f"target={target!r}")
    if broadcastable is None:
        broadcastable = (False,) * value.ndim
    ttype = TensorType(value.dtype, broadcastable)
    return TensorSharedVariable(type=ttype, value=value if borrow else value.copy(), name=name,
                                strict=strict, allow_downcast=allow_downcast)


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
