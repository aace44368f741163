"""theano.raise_op: an Op whose computation raises an exception (Theano's ``Raise``)."""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

from . import gof  # noqa: F401 - Theano's module imported it
from .graph.basic import Apply
from .graph.op import Op

__all__ = ["Raise"]


class Raise(Op):
    """``Raise(msg, exc)(x)`` is a variable of x's type whose computation raises
    ``exc(msg)`` (for testing error paths, or marking a branch that must not run)."""

    __props__ = ("msg", "exc")

    def __init__(self, msg="", exc=NotImplementedError):
        self.msg = msg
        self.exc = exc

    def __str__(self):
        return f"Raise{{{self.exc}({self.msg})}}"

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out_storage, params=None):
        raise self.exc(self.msg)


Raise.__module__ = "theano.raise_op"
