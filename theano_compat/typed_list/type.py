"""theano.typed_list.type: `TypedListType`, the type of a Python list of one Theano type."""

from __future__ import annotations

import numpy as np

from .. import gof  # noqa: F401 - Theano's module held `gof`
from ..graph.type import Type
from ..tensor.type_other import hashtype

__all__ = ["TypedListType"]


class TypedListType(Type):
    """The type of a Python list whose elements are values of the Theano type `ttype`.

    `depth` > 0 nests: ``TypedListType(t, 2)`` is ``TypedListType(TypedListType(
    TypedListType(t)))``.  Two list types are equal when their element types are.
    """

    def __init__(self, ttype, depth=0):
        if depth < 0:
            raise ValueError("Please specify a depth superior or equal to 0")
        if not isinstance(ttype, Type):
            raise TypeError("Expected a Theano Type")
        self.ttype = ttype if depth == 0 else TypedListType(ttype, depth - 1)

    def filter(self, x, strict=False, allow_downcast=None):
        """`x` as a new list of valid `ttype` values.  With `strict`, `x` must already be
        a Python list and its elements valid values of `ttype` (no conversion); otherwise
        each element is filtered by `ttype` (so an iterable of convertible values is
        accepted and a non-iterable raises TypeError)."""
        if strict:
            if not isinstance(x, list):
                raise TypeError("Expected a python list")
            if not all(self.ttype.is_valid_value(y) for y in x):
                raise TypeError(f"Expected all elements to be {self.ttype}")
            # A new list (the same elements): the in-place list Ops change the list a
            # function received, never the caller's.
            return list(x)
        try:
            items = iter(x)
        except TypeError:
            raise TypeError(f"Expected a python list, got {type(x).__name__}") from None
        out = [self.ttype.filter(y, allow_downcast=allow_downcast) for y in items]
        if not all(self.ttype.is_valid_value(y) for y in out):
            raise TypeError(f"Expected all elements to be {self.ttype}")
        return out

    def __eq__(self, other):
        return type(self) is type(other) and self.ttype == other.ttype

    def __hash__(self):
        return hashtype(self) ^ hash(self.ttype)

    def __str__(self):
        return f"TypedList <{self.ttype}>"

    def get_depth(self):
        """The nesting level, 0-based: 0 for a list of non-list values."""
        if isinstance(self.ttype, TypedListType):
            return self.ttype.get_depth() + 1
        return 0

    def values_eq(self, a, b):
        return len(a) == len(b) and all(self.ttype.values_eq(x, y) for x, y in zip(a, b))

    def values_eq_approx(self, a, b):
        return len(a) == len(b) and all(self.ttype.values_eq_approx(x, y)
                                        for x, y in zip(a, b))

    def may_share_memory(self, a, b):
        """Whether `a` and `b` (lists, or an element and a list) may share memory: the
        same object, or some element of one may share memory with some element of the
        other."""
        if a is b:
            return True
        a = a if isinstance(a, list) else [a]
        b = b if isinstance(b, list) else [b]
        return any(_element_may_share_memory(self.ttype, x, y) for x in a for y in b)

    def c_code_cache_version(self):
        return (2,)

    dtype = property(lambda self: self.ttype)
    ndim = property(lambda self: self.ttype.ndim + 1)
    # Values are Python lists although the type has an ndim: the linker and the
    # evaluators hand them on as they are (never through numpy.asarray).
    values_are_ndarrays = False


def _element_may_share_memory(ttype, a, b):
    share = getattr(ttype, "may_share_memory", None)
    if share is not None:
        return bool(share(a, b))
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return bool(np.may_share_memory(a, b))
    return a is b


TypedListType.__module__ = "theano.typed_list.type"
