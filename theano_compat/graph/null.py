"""Special gradient types: disconnected and undefined (null) gradients.

Ops import these to describe gradients they cannot give, without importing the
gradient module (which sits above them).
"""

from __future__ import annotations

from .basic import Variable
from .type import Type


class NullType(Type):
    """The type of an undefined gradient; `why_null` says why."""

    __module__ = "theano.gof.null_type"  # Theano's path: reprs and pickles

    def __init__(self, why_null="(no explanation given)"):
        self.why_null = why_null

    def filter(self, data, strict=False, allow_downcast=None):
        raise ValueError("No values may be assigned to a NullType")

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "NullType"


class DisconnectedType(Type):
    """The type of the gradient with respect to an input the output does not depend on."""

    __module__ = "theano.gradient"  # Theano's path: reprs and pickles

    def filter(self, data, strict=False, allow_downcast=None):
        raise AssertionError(
            "If you're assigning to a DisconnectedType you're doing something wrong.")

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "DisconnectedType"


disconnected_type = DisconnectedType()


class GradUndefinedError(Exception):
    """Raised when an undefined gradient reaches a requested wrt."""


def grad_undefined(op, x_pos, x, comment=""):
    """A NullType variable: the gradient of `op` w.r.t. input `x_pos` is mathematically
    undefined."""
    return NullType(
        f"This variable is Null because the grad method for input {x_pos} ({x}) of the {op} op "
        f"is mathematically undefined. {comment}"
    )()


def grad_not_implemented(op, x_pos, x, comment=""):
    """A NullType variable: the gradient of `op` w.r.t. input `x_pos` is not implemented."""
    return NullType(
        f"This variable is Null because the grad method for input {x_pos} ({x}) of the {op} op "
        f"is not implemented. {comment}"
    )()


def is_disconnected(v):
    return isinstance(v, Variable) and isinstance(v.type, DisconnectedType)


def is_null(v):
    return isinstance(v, Variable) and isinstance(v.type, NullType)
