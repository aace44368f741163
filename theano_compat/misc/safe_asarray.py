"""theano.misc.safe_asarray: ``_asarray`` (also ``theano._asarray``), ``numpy.asarray`` with a
dtype that is really applied.

``dtype='floatX'`` means ``config.floatX``.  When NumPy hands back an array whose dtype is
equivalent but not identical to the one asked for (same byte order, kind and size: e.g.
``intc`` for ``int32`` on some platforms), a view with the requested dtype is returned; a
different dtype raises TypeError.
"""

import numpy as np

import theano_compat as theano  # noqa: F401 - a name Theano's module had
from ..config import config



def _asarray(a, dtype, order=None):
    """`a` as an ndarray of exactly `dtype` (``'floatX'``: config.floatX)."""
    if str(dtype) == "floatX":
        dtype = config.floatX
    dtype = np.dtype(dtype)
    rval = np.asarray(a, dtype=dtype, order=order)
    if rval.dtype.num == dtype.num:
        return rval
    if rval.dtype.str == dtype.str:
        return rval.view(dtype=dtype)
    raise TypeError(
        f"numpy.array did not return the data type we asked for ({dtype} {dtype.str} "
        f"#{dtype.num}), instead it returned type {rval.dtype} {rval.dtype.str} "
        f"#{rval.dtype.num}: function theano._asarray may need to be modified to handle this "
        "data type.")
