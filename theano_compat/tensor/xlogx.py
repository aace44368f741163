"""theano.tensor.xlogx: x * log(x) and x * log(y), with the value 0 where x == 0.

Both scalar ops are declared in scalar/ops.py (``xlogx``, ``xlogy0``, with Theano's
gradients); this module holds their Elemwise Ops under Theano's names: ``xlogx`` and
``xlogy0`` are Elemwise instances (``str(xlogx) == "xlogx"``), ``scalar_xlogx`` and
``scalar_xlogy0`` the scalar ops.
"""

from __future__ import annotations

from .. import scalar  # noqa: F401 - a name of Theano's module
from ..scalar import ops as S
from .elemwise import Elemwise

XlogX = type(S.xlogx)  # the scalar Op classes
XlogY0 = type(S.xlogy0)
scalar_xlogx = S.xlogx
scalar_xlogy0 = S.xlogy0
xlogx = Elemwise(scalar_xlogx, name="xlogx")
xlogy0 = Elemwise(scalar_xlogy0, name="xlogy0")

__all__ = ["Elemwise", "XlogX", "XlogY0", "scalar_xlogx", "scalar_xlogy0", "xlogx", "xlogy0"]
