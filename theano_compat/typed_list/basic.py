"""theano.typed_list.basic: the Ops on typed lists and the list variables' methods.

Each Op computes in Python on the list values (``perform``).  The list-building Ops
(`Append`, `Extend`, `Insert`, `Remove`, `Reverse`) return a new list holding the input's
elements (a view of the input, ``view_map``), or, built with ``inplace=True``, change the
input list itself (``destroy_map``; `opt.typed_list_inplace_opt` makes that switch where
the input may be destroyed).  Elements added to a list are copies of the values given.
None of these Ops has a gradient, as in Theano.
"""

from __future__ import annotations

import copy

import numpy as np

import theano_compat as theano  # noqa: F401 - Theano's module held `theano`
from .. import tensor as T
from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.op import Op
from ..tensor.type_other import SliceConstant, SliceType, slicetype
from .type import TypedListType

__all__ = ["TypedListVariable", "TypedListConstant", "GetItem", "getitem", "Append",
           "append", "Extend", "extend", "Insert", "insert", "Remove", "remove", "Reverse",
           "reverse", "Index", "index_", "Count", "count", "Length", "length", "MakeList",
           "make_list"]

_MODULE = "theano.typed_list.basic"


def _copy_value(value):
    """An independent copy of a list element (a new array for an ndarray)."""
    if isinstance(value, np.ndarray):
        return np.array(value, copy=True, dtype=value.dtype)
    return copy.deepcopy(value)


class _typed_list_py_operators:
    """The list methods of typed-list variables (each builds the matching Op)."""

    def __getitem__(self, index):
        return getitem(self, index)

    def __len__(self):
        return length(self)

    def append(self, toAppend):  # noqa: N803 - Theano's argument name
        return append(self, toAppend)

    def extend(self, toAppend):  # noqa: N803
        return extend(self, toAppend)

    def insert(self, index, toInsert):  # noqa: N803
        return insert(self, index, toInsert)

    def remove(self, toRemove):  # noqa: N803
        return remove(self, toRemove)

    def reverse(self):
        return reverse(self)

    def count(self, elem):
        return count(self, elem)

    def ind(self, elem):
        return index_(self, elem)

    ttype = property(lambda self: self.type.ttype)
    dtype = property(lambda self: self.type.ttype.dtype)
    ndim = property(lambda self: self.type.ttype.ndim + 1)


class TypedListVariable(_typed_list_py_operators, Variable):
    """A variable of a `TypedListType`, with the list methods."""


class TypedListConstant(_typed_list_py_operators, Constant):
    """A constant of a `TypedListType`, with the list methods."""

    def signature(self):
        return (self.type, _list_key(self.data))

    def __str__(self):
        if self.name is not None:
            return self.name
        text = str(self.data)
        if len(text) > 20:
            text = text[:10] + "..." + text[-10:]
        return f"Constant{{{text}}}"  # Theano's generic Constant format


def _list_key(value):
    """A hashable key of a (nested) list of values, equal for equal contents."""
    if isinstance(value, list):
        return ("list",) + tuple(_list_key(v) for v in value)
    tobytes = getattr(value, "tobytes", None)
    if tobytes is not None:
        return (str(getattr(value, "dtype", "")), getattr(value, "shape", ()), tobytes())
    return ("id", id(value))


TypedListType.Variable = TypedListVariable
TypedListType.Constant = TypedListConstant


class _TypedListTypeError(TypeError, AssertionError):
    """A wrong input of a typed-list Op.  Theano 1.0.5 checked these with ``assert``
    (AssertionError); a TypeError here, which ``except AssertionError`` still catches."""


def _check_list(x):
    if not isinstance(getattr(x, "type", None), TypedListType):
        raise _TypedListTypeError(f"Expected a typed list variable, got {x!r}")


def _check_element(x, elem):
    if x.ttype != elem.type:
        raise _TypedListTypeError(f"Expected an element of type {x.ttype}, got {elem.type}")


def _as_int64_index(index):
    if not isinstance(index, Variable):
        return T.constant(index, ndim=0, dtype="int64")
    if not (isinstance(index, T.TensorVariable) and index.ndim == 0
            and index.dtype == "int64"):
        raise _TypedListTypeError(f"Expected an int64 scalar as index, got {index.type}")
    return index


class _ListOp(Op):
    """Base of the typed-list Ops: printed by their class name."""

    def __str__(self):
        return type(self).__name__


class GetItem(_ListOp):
    """``x[index]``: an element for an int64 scalar index, a sub-list for a slice."""

    view_map = {0: [0]}
    __props__ = ()

    def make_node(self, x, index):
        _check_list(x)
        if not isinstance(index, Variable):
            if isinstance(index, slice):
                return Apply(self, [x, SliceConstant(slicetype, index)], [x.type()])
            index = T.constant(index, ndim=0, dtype="int64")
            return Apply(self, [x, index], [x.ttype()])
        if isinstance(index.type, SliceType):
            return Apply(self, [x, index], [x.type()])
        if isinstance(index, T.TensorVariable) and index.ndim == 0:
            if index.dtype != "int64":
                raise _TypedListTypeError(
                    f"Expected an int64 scalar as index, got {index.type}")
            return Apply(self, [x, index], [x.ttype()])
        raise TypeError("Expected scalar or slice as index.")

    def perform(self, node, inputs, outputs, params=None):
        x, index = inputs
        if not isinstance(index, slice):
            index = int(index)
        outputs[0][0] = x[index]


getitem = GetItem()


class _ChangeOp(_ListOp):
    """Base of the Ops returning a changed list: a view of the input, or the input
    itself changed with ``inplace=True``."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [0]}
        else:
            self.view_map = {0: [0]}

    def _start(self, x):
        return x if self.inplace else list(x)


class Append(_ChangeOp):
    """``x + [toAppend]`` (a copy of `toAppend` is appended)."""

    def make_node(self, x, toAppend):  # noqa: N803
        _check_list(x)
        _check_element(x, toAppend)
        return Apply(self, [x, toAppend], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        x, elem = inputs
        out = self._start(x)
        out.append(_copy_value(elem))
        outputs[0][0] = out


append = Append()


class Extend(_ChangeOp):
    """``x + toAppend`` for two lists of one type (copies of the elements are added)."""

    def make_node(self, x, toAppend):  # noqa: N803
        _check_list(x)
        if x.type != toAppend.type:
            raise _TypedListTypeError(f"Expected a list of type {x.type}, got {toAppend.type}")
        return Apply(self, [x, toAppend], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        x, other = inputs
        out = self._start(x)
        out.extend([_copy_value(v) for v in other])
        outputs[0][0] = out


extend = Extend()


class Insert(_ChangeOp):
    """`x` with a copy of `toInsert` inserted before position `index` (list.insert)."""

    def make_node(self, x, index, toInsert):  # noqa: N803
        _check_list(x)
        _check_element(x, toInsert)
        return Apply(self, [x, _as_int64_index(index), toInsert], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        x, index, elem = inputs
        out = self._start(x)
        out.insert(int(index), _copy_value(elem))
        outputs[0][0] = out


insert = Insert()


def _position(node, x, elem):
    """Positions in `x` of the elements equal to `elem` (compared by the element type's
    ``values_eq``, so arrays compare by value)."""
    values_eq = node.inputs[0].type.ttype.values_eq
    return [i for i, v in enumerate(x) if values_eq(v, elem)]


class Remove(_ChangeOp):
    """`x` without the first element equal to `toRemove` (unchanged when none is)."""

    def make_node(self, x, toRemove):  # noqa: N803
        _check_list(x)
        _check_element(x, toRemove)
        return Apply(self, [x, toRemove], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        x, elem = inputs
        out = self._start(x)
        values_eq = node.inputs[0].type.ttype.values_eq
        for i, v in enumerate(out):
            if values_eq(v, elem):
                del out[i]
                break
        outputs[0][0] = out


remove = Remove()


class Reverse(_ChangeOp):
    """`x` in reverse order."""

    def make_node(self, x):
        _check_list(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        out = self._start(inputs[0])
        out.reverse()
        outputs[0][0] = out


reverse = Reverse()


class Index(_ListOp):
    """The position of the first element of `x` equal to `elem`, a floatX scalar (as
    Theano's); ValueError when no element is."""

    __props__ = ()

    def make_node(self, x, elem):
        _check_list(x)
        _check_element(x, elem)
        return Apply(self, [x, elem], [T.scalar()])

    def perform(self, node, inputs, outputs, params=None):
        x, elem = inputs
        found = _position(node, x, elem)
        if not found:
            raise ValueError("Index: the element is not in the list")
        outputs[0][0] = np.asarray(found[0], dtype=config.floatX)


index_ = Index()


class Count(_ListOp):
    """How many elements of `x` equal `elem`, a floatX scalar (as Theano's)."""

    __props__ = ()

    def make_node(self, x, elem):
        _check_list(x)
        _check_element(x, elem)
        return Apply(self, [x, elem], [T.scalar()])

    def perform(self, node, inputs, outputs, params=None):
        x, elem = inputs
        outputs[0][0] = np.asarray(len(_position(node, x, elem)), dtype=config.floatX)


count = Count()


class Length(_ListOp):
    """``len(x)``, an int64 scalar."""

    __props__ = ()

    def make_node(self, x):
        _check_list(x)
        return Apply(self, [x], [T.scalar(dtype="int64")])

    def perform(self, node, inputs, outputs, params=None):
        outputs[0][0] = np.asarray(len(inputs[0]), dtype="int64")


length = Length()


class MakeList(_ListOp):
    """A typed list of the given variables (all of one type; non-variables become
    tensor constants); its value holds copies of theirs."""

    __props__ = ()

    def make_node(self, a):
        if not isinstance(a, (tuple, list)):
            raise _TypedListTypeError(f"MakeList expects a tuple or list of variables, got {a!r}")
        elems = [v if isinstance(v, Variable) else T.as_tensor_variable(v) for v in a]
        if not elems:
            raise TypeError("MakeList needs at least one variable (its type is theirs)")
        if not all(e.type == elems[0].type for e in elems):
            raise TypeError("MakeList need all input variable to be of the same type.")
        return Apply(self, elems, [TypedListType(elems[0].type)()])

    def perform(self, node, inputs, outputs, params=None):
        outputs[0][0] = [_copy_value(v) for v in inputs]


make_list = MakeList()


for _cls in (TypedListVariable, TypedListConstant, GetItem, Append, Extend, Insert, Remove,
             Reverse, Index, Count, Length, MakeList):
    _cls.__module__ = _MODULE
