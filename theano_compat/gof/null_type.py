"""theano.gof.null_type: the type of undefined values (null gradients)."""

from __future__ import annotations

from ..graph.null import NullType
from ..graph.type import Type  # noqa: F401 - a name of Theano's module

__all__ = ["NullType", "null_type"]

null_type = NullType()
