"""theano.typed_list: symbolic Python lists of Theano values (Theano 1.0.5's package).

A `TypedListType` holds a Python list whose elements all have one Theano type (a tensor
type, or another typed list for nested lists).  Compiled functions take such inputs as
Python lists and return them as Python lists.  `basic` holds the list Ops (getitem,
append, extend, insert, remove, reverse, index_, count, length, make_list); `opt` their
in-place rewrite.
"""

from .type import TypedListType  # noqa: F401
from .basic import (Append, Count, Extend, GetItem, Index, Insert, Length, MakeList,
                    Remove, Reverse, TypedListConstant, TypedListVariable, append, count,
                    extend, getitem, index_, insert, length, make_list, remove, reverse)
# Theano's package star-imported its basic module, names of basic's imports included.
from .basic import Apply, Constant, Op, SliceType, T, Variable, theano  # noqa: F401
from . import basic, opt, type  # noqa: F401,A004

__all__ = ["TypedListType", "TypedListVariable", "TypedListConstant", "GetItem", "getitem",
           "Append", "append", "Extend", "extend", "Insert", "insert", "Remove", "remove",
           "Reverse", "reverse", "Index", "index_", "Count", "count", "Length", "length",
           "MakeList", "make_list"]
