"""The sparse matrix type (Theano's ``theano.sparse.type``): csc/csr/bsr matrices of SciPy.

A value of ``SparseType(format, dtype)`` is a ``scipy.sparse`` matrix of that format and
dtype; variables of it are ``SparseVariable`` (set by ``theano.sparse.basic``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse
from six import string_types  # noqa: F401 - a name of Theano's module

from .. import backend as _backend
from ..graph.type import Type
from ..utils import lazy_names

imported_scipy = True  # Theano's flag (SciPy is a dependency here)


def _is_sparse(x):
    """True when `x` is a scipy.sparse matrix, False for an ndarray, tuple or list.

    Anything else raises NotImplementedError (Theano's check of the argument).
    """
    if not isinstance(x, (scipy.sparse.spmatrix, np.ndarray, tuple, list)):
        raise NotImplementedError("this function should only be called on "
                                  "sparse.scipy.sparse.spmatrix or numpy.ndarray, not,", x)
    return isinstance(x, scipy.sparse.spmatrix)


class SparseType(Type):
    """The type of a 2-d sparse matrix: `format` ('csc', 'csr', 'bsr') and `dtype`.

    Calling it makes a new symbolic variable; `filter` accepts scipy.sparse matrices (or
    anything scipy can convert to the format) of the right dtype.
    """

    format_cls = {"csr": scipy.sparse.csr_matrix,
                  "csc": scipy.sparse.csc_matrix,
                  "bsr": scipy.sparse.bsr_matrix}
    dtype_set = {"int8", "int16", "int32", "int64", "float32", "uint8", "uint16", "uint32",
                 "uint64", "float64", "complex64", "complex128"}
    ndim = 2
    broadcastable = (False, False)
    # Values are scipy.sparse matrices: the linker passes them as they are (no asarray).
    values_are_ndarrays = False

    # Set by theano.sparse.basic (which defines the variable classes).
    Variable = None
    Constant = None

    def __init__(self, format, dtype):
        dtype = str(dtype)
        if dtype not in self.dtype_set:
            raise NotImplementedError(f'unsupported dtype "{dtype}" not in list',
                                      sorted(self.dtype_set))
        if not isinstance(format, str):
            raise TypeError(f"format must be a string, got {format!r}")
        if format not in self.format_cls:
            raise NotImplementedError(f'unsupported format "{format}" not in list',
                                      list(self.format_cls))
        self.dtype = dtype
        self.format = format

    def filter(self, value, strict=False, allow_downcast=None):
        cls = self.format_cls[self.format]
        if isinstance(value, cls) and value.dtype == self.dtype:
            return value
        if _backend.is_device_sparse(value) and value.format == self.format and \
                str(value.dtype) == self.dtype:
            return value  # a GPU matrix (cupyx.scipy.sparse) of this type, kept there
        if strict:
            raise TypeError(f"{value} is not sparse, or not the right dtype (is "
                            f"{getattr(value, 'dtype', type(value))}, expected {self.dtype})")
        if allow_downcast:
            sp = cls(value, dtype=self.dtype)
        else:
            sp = cls(value)
            if str(sp.dtype) != self.dtype:
                raise NotImplementedError(f"Expected {self.dtype} dtype but got {sp.dtype}")
        if sp.format != self.format:
            raise NotImplementedError(f"Expected format {self.format}, got {sp.format}")
        return sp

    @staticmethod
    def may_share_memory(a, b):
        """Whether the arrays of sparse/dense values `a` and `b` may overlap."""
        if _is_sparse(a) and _is_sparse(b):
            return (SparseType.may_share_memory(a, b.data)
                    or SparseType.may_share_memory(a, b.indices)
                    or SparseType.may_share_memory(a, b.indptr))
        if _is_sparse(b) and isinstance(a, np.ndarray):
            a, b = b, a
        if _is_sparse(a) and isinstance(b, np.ndarray):
            return bool(np.may_share_memory(a.data, b) or np.may_share_memory(a.indices, b)
                        or np.may_share_memory(a.indptr, b))
        return False

    def make_variable(self, name=None):
        return self.Variable(self, name=name)

    def __eq__(self, other):
        return (type(self) is type(other) and other.dtype == self.dtype
                and other.format == self.format)

    def __hash__(self):
        return hash(self.dtype) ^ hash(self.format)

    def __str__(self):
        return f"Sparse[{self.dtype}, {self.format}]"

    __repr__ = __str__

    def values_eq_approx(self, a, b, eps=1e-6):
        if not scipy.sparse.issparse(a) or not scipy.sparse.issparse(b):
            return False
        diff = abs(a - b)
        if diff.nnz == 0:
            return True
        return bool(max(diff.data) < eps)

    def values_eq(self, a, b):
        return bool(scipy.sparse.issparse(a) and scipy.sparse.issparse(b)
                    and abs(a - b).sum() == 0.0)

    def is_valid_value(self, a):
        return bool(scipy.sparse.issparse(a) and a.format == self.format)

    def get_shape_info(self, obj):
        obj = self.filter(obj)
        return (obj.shape, obj.data.size, obj.indices.size, obj.indptr.size, obj.nnz)

    def get_size(self, shape_info):
        return (shape_info[1] * np.dtype(self.dtype).itemsize
                + (shape_info[2] + shape_info[3]) * np.dtype("int32").itemsize)


SparseType.__module__ = "theano.sparse.type"


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
