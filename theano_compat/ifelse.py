"""Legacy path ``theano.ifelse`` (facade): the lazy conditional lives in tensor/ifelse.py."""

from .tensor.ifelse import IfElse, ifelse  # noqa: F401
