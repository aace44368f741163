"""theano.scalar.sharedvar: shared variables holding one scalar (Theano 1.0.5's module).

Theano did not register this constructor with ``theano.shared`` (so that shared scalars
are normally 0-d tensors); code that wants a shared variable of a scalar type calls
`shared` here directly.  This project computes scalars as 0-d tensors: a
`ScalarSharedVariable` holds and updates its value (``get_value``/``set_value``, a
function's input), but arithmetic on it is not built; ``theano.shared(np.int64(v))``
gives the 0-d tensor shared variable that indexes and computes the same.
"""

from __future__ import annotations

import numpy as np
from ..graph.shared import SharedVariable
from .type import Scalar

__all__ = ["Scalar", "ScalarSharedVariable", "shared"]

integer_types = (int,)  # six.integer_types on Python 3, a name of Theano's module


class ScalarSharedVariable(SharedVariable):
    """A shared variable of a `Scalar` type (made by `shared`)."""

    __module__ = "theano.scalar.sharedvar"  # Theano's path: reprs and pickles

    def _no_arithmetic(self, *args):
        raise NotImplementedError(
            f"{self}: arithmetic on a shared variable of a scalar type is not supported: "
            "this project computes scalars as 0-d tensors. Use theano.shared(numpy."
            f"{self.type.dtype}(value)) (a 0-d tensor shared variable) instead."
        )

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _no_arithmetic
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _no_arithmetic
    __mod__ = __rmod__ = __pow__ = __rpow__ = __neg__ = __abs__ = _no_arithmetic
    __lt__ = __le__ = __gt__ = __ge__ = _no_arithmetic


def shared(value, name=None, strict=False, allow_downcast=None):
    """A `ScalarSharedVariable` holding `value` (a Python or NumPy number), of the value's
    dtype (int64 or float64 for Python numbers); TypeError for anything else."""
    if not isinstance(value, (np.number, float, complex) + integer_types):
        raise TypeError(f"theano.scalar.sharedvar.shared needs a number, got {value!r}")
    dtype = str(getattr(value, "dtype", None) or np.asarray(value).dtype)
    value = getattr(np, dtype)(value)
    return ScalarSharedVariable(type=Scalar(dtype=dtype), value=value, name=name,
                                strict=strict, allow_downcast=allow_downcast)
