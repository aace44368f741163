"""theano.tensor.type_other: the slice type and the None type (Theano 1.0.5's module).

`SliceType` is the type of a Python ``slice`` held by a graph (`MakeSlice` builds one from
three integer scalars or None); `NoneTypeT` is the type whose only value is None, and
`NoneConst` the constant None of it.  This project's indexing Ops keep their slices in
the Op itself, not as graph inputs, so these types serve the code that builds such
variables directly (and `equal_computations`, `printing`...).
"""

from __future__ import annotations

import sys

import numpy as np

from ..graph.basic import Apply, Constant
from ..graph.null import DisconnectedType
from ..graph.op import Op
from ..graph.type import Generic, Type
from ..scalar import dtypes as _D
from .elemwise import as_tensor_variable
from .type import hashtype  # noqa: F401 - a name of Theano's module

__all__ = ["as_int_none_variable", "MakeSlice", "make_slice", "SliceType", "slicetype",
           "SliceConstant", "NoneTypeT", "none_type_t", "NoneConst", "hashtype"]


def _is_none_const(x):
    return (isinstance(x, Constant) and isinstance(x.type, NoneTypeT)
            and x.signature() == NoneConst.signature())


def as_int_none_variable(x):
    """`x` as an integer scalar variable, or `NoneConst` when `x` is None."""
    if x is None:
        return NoneConst
    if _is_none_const(x):
        return x
    x = as_tensor_variable(x, ndim=0)
    if x.type.dtype not in _D.integer_dtypes:
        raise TypeError("index must be integers")
    return x


class SliceType(Type):
    """The type of Python ``slice`` objects."""

    __module__ = "theano.tensor.type_other"  # Theano's path: reprs and pickles

    def filter(self, x, strict=False, allow_downcast=None):
        if isinstance(x, slice):
            return x
        raise TypeError("Expected a slice!")

    def __str__(self):
        return "slice"

    __repr__ = __str__

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hashtype(self)

    @staticmethod
    def may_share_memory(a, b):
        return isinstance(a, slice) and a is b


slicetype = SliceType()


class SliceConstant(Constant):
    """A constant slice; 0-d integer arrays among its fields become Python ints."""

    __module__ = "theano.tensor.type_other"  # Theano's path: reprs and pickles

    def __init__(self, type, data, name=None):
        if not isinstance(data, slice):
            raise TypeError(f"SliceConstant needs a slice, got {data!r}")
        data = slice(*[_as_int_field(f) for f in (data.start, data.stop, data.step)])
        super().__init__(type, data, name)

    def signature(self):
        return (SliceConstant, self.data.start, self.data.stop, self.data.step)

    def __str__(self):
        d = self.data
        return f"{type(self).__name__}{{{d.start}, {d.stop}, {d.step}}}"


def _as_int_field(f):
    if isinstance(f, np.ndarray):
        if f.ndim != 0 or str(f.dtype) not in _D.integer_dtypes:
            raise TypeError(f"a slice field must be an integer scalar, got {f!r}")
        return int(f)
    return f


SliceType.Constant = SliceConstant


class MakeSlice(Op):
    """Builds a slice from (start, stop, step), each an integer scalar or None."""

    __module__ = "theano.tensor.type_other"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, slc, stop=None, step=None):
        if isinstance(slc, slice):
            if stop is not None or step is not None:
                raise ValueError("MakeSlice: give a slice, or start, stop and step")
            fields = [slc.start, slc.stop, slc.step]
        else:
            fields = [slc, stop, step]
        return Apply(self, [as_int_none_variable(f) for f in fields], [slicetype()])

    def perform(self, node, inputs, output_storage, params=None):
        output_storage[0][0] = slice(*[None if f is None else int(f) for f in inputs])

    def impl(self, xp, *inputs):
        return slice(*[None if f is None else int(f) for f in inputs])

    def grad(self, inputs, output_grads):
        return [DisconnectedType()() for _ in inputs]


make_slice = MakeSlice()


class NoneTypeT(Generic):
    """The type whose only value is None."""

    __module__ = "theano.tensor.type_other"  # Theano's path: reprs and pickles

    def filter(self, x, strict=False, allow_downcast=None):
        if x is None:
            return x
        raise TypeError("Expected None!")

    @staticmethod
    def may_share_memory(a, b):
        return False  # None is a singleton: never a shared buffer

    def __str__(self):
        return "NoneTypeT"

    __repr__ = __str__


none_type_t = NoneTypeT()

# One variable: clone it (NoneConst.clone()) before using it in several graphs; compare
# with it through equal_computations or its signature.
NoneConst = Constant(none_type_t, None, name="NoneConst")


def __getattr__(name):
    # Theano's module imported the package itself (``theano``): the package is loaded
    # before any of its modules can be used, so it is looked up, not imported here.
    if name == "theano":
        return sys.modules[__name__.split(".")[0]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"theano"})
