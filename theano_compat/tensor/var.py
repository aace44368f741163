"""Legacy module path ``theano.tensor.var``: the tensor variable classes, and what else
Theano's module defined: the value signature of constants (`TensorConstantSignature`),
`equal_slices`, and the names it imported."""

import sys
from collections.abc import Iterable  # noqa: F401 - names of Theano's module

import numpy as np

from ..config import config  # noqa: F401
from ..graph.basic import Constant, Variable  # noqa: F401
from ..scalar.type import ComplexError, IntegerDivisionError  # noqa: F401
from .sharedvar import TensorSharedVariable  # noqa: F401
from .type import TensorType, hashtype  # noqa: F401
from .utils import hash_from_ndarray
from .variable import (  # noqa: F401
    AsTensorError,
    TensorConstant,
    TensorVariable,
    _tensor_py_operators,
)

PY3 = True
integer_types = (int,)
xrange = range
theano = sys.modules[__name__.split(".")[0]]  # the package (Theano's module imported it)


class TensorConstantSignature(tuple):
    """``(type, data)`` of a constant, compared by value: equal when the types, shapes,
    sums and entries are equal, NaNs in the same places counting as equal (Theano's
    signature of TensorConstant, used to merge equal constants)."""

    __module__ = "theano.tensor.var"  # Theano's path: reprs and pickles

    def __eq__(self, other):
        if type(self) is not type(other):
            return False
        try:
            (t0, d0), (t1, d1) = self, other
        except ValueError:
            return False
        if t0 != t1 or np.shape(d0) != np.shape(d1):
            return False
        if self.has_nan != other.has_nan or not _same_sum(self.sum, other.sum):
            return False
        d0, d1 = np.asarray(d0), np.asarray(d1)
        if self.has_nan:
            mask0, mask1 = np.isnan(d0), np.isnan(d1)
            return bool((mask0 == mask1).all() and (mask0 | (d0 == d1)).all())
        return bool((d0 == d1).all())

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        t, d = self
        return hash((type(self), t, np.shape(d), self.sum if np.isfinite(self.sum) else 0))

    def theano_hash(self):
        return hash_from_ndarray(np.asarray(self[1]))

    @property
    def has_nan(self):
        d = np.asarray(self[1])
        return bool(d.dtype.kind in "fc" and np.isnan(d).any())

    @property
    def sum(self):
        """The sum of the entries that are not NaN (an infinite sum stays as it is)."""
        d = np.asarray(self[1])
        if d.dtype.kind in "fc":
            d = np.where(np.isnan(d), 0, d)
        with np.errstate(all="ignore"):
            return d.sum() if d.size else 0

    @property
    def no_nan(self):
        """The data as a masked array hiding its NaNs (Theano's attribute)."""
        d = np.asarray(self[1])
        return np.ma.masked_array(d, np.isnan(d) if d.dtype.kind in "fc" else False)


def _same_sum(a, b):
    return bool(a == b or (np.isnan(a) and np.isnan(b)))


def equal_slices(s1, s2):
    """Whether two slices have the same start, stop and step."""
    return s1.start == s2.start and s1.stop == s2.stop and s1.step == s2.step
