"""Legacy path ``theano.gof.type`` (facade)."""

from ..graph.type import Generic, Type, generic  # noqa: F401
