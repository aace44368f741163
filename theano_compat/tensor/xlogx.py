"""x * log(x) and x * log(y) with the value 0 where x == 0 (theano.tensor.xlogx).

Both are elementwise ops with Theano's gradients: d/dx xlogx = 1 + log(x), and for
xlogy0 the partials log(y) and x / y (taken as they are at x == 0, as Theano did).
"""

from __future__ import annotations

from ..scalar.op import ScalarOp, float_out
from .elemwise import Elemwise, elemwise_of
from .math import log


def _xlogx(xp, x):
    safe = xp.where(x == 0, 1, x)
    return xp.where(x == 0, 0, x * xp.log(safe))


def _xlogy0(xp, x, y):
    safe = xp.where(x == 0, 1, y)
    return xp.where(x == 0, 0, x * xp.log(safe))


scalar_xlogx = ScalarOp("xlogx", 1, fn=_xlogx, dtype=float_out,
                        grad=lambda x, z, g: [g * (1 + log(x))])
scalar_xlogy0 = ScalarOp("xlogy0", 2, fn=_xlogy0, dtype=float_out,
                         grad=lambda x, y, z, g: [g * log(y), g * x / y])

def xlogx(x):
    """x * log(x), and 0 where x == 0."""
    return elemwise_of(scalar_xlogx)(x)


def xlogy0(x, y):
    """x * log(y), and 0 where x == 0."""
    return elemwise_of(scalar_xlogy0)(x, y)


__all__ = ["Elemwise", "scalar_xlogx", "scalar_xlogy0", "xlogx", "xlogy0"]
