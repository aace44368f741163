"""Sparse shared variables (Theano's ``theano.sparse.sharedvar``): ``theano.shared`` of a
scipy.sparse matrix, once theano.sparse is imported."""

from __future__ import annotations

import copy

import scipy.sparse

from .. import backend as _backend
from ..graph.shared import SharedVariable, shared_constructor
from .basic import SparseType, _sparse_py_operators


class SparseTensorSharedVariable(_sparse_py_operators, SharedVariable):
    """A shared variable holding a scipy.sparse matrix."""

    __hash__ = SharedVariable.__hash__
    dtype = property(lambda self: self.type.dtype)
    format = property(lambda self: self.type.format)

    def get_value(self, borrow=False, return_internal_type=False):
        """The current value, a scipy.sparse matrix: one a GPU function stored (an update
        computed on the device, a cupyx.scipy.sparse matrix) is copied to the host unless
        `return_internal_type`."""
        value = self.container.value
        if _backend.is_device_sparse(value) and not return_internal_type:
            return _backend.to_host(value)
        return value if borrow else copy.deepcopy(value)


@shared_constructor
def sparse_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False,
                       format=None):
    """The shared-variable constructor for scipy.sparse matrices (`format` defaults to the
    value's own)."""
    if not isinstance(value, scipy.sparse.spmatrix):
        raise TypeError("Expected a sparse matrix in the sparse shared variable constructor. "
                        "Received: ", value.__class__)
    if format is None:
        format = value.format
    type = SparseType(format=format, dtype=value.dtype)
    if not borrow:
        value = copy.deepcopy(value)
    return SparseTensorSharedVariable(type=type, value=value, name=name, strict=strict,
                                      allow_downcast=allow_downcast)


SparseTensorSharedVariable.__module__ = "theano.sparse.sharedvar"
