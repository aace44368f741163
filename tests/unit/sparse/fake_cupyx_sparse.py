"""A stand-in for ``cupyx.scipy.sparse`` over tests/support/fake_cupy.py's device arrays.

theano.sparse's GPU path (theano_compat/sparse/basic.py, `_SparseOp` and
`_device_runner`) is checked here without a GPU: `install(monkeypatch)` installs the
simulated CuPy of tests/support/fake_cupy.py plus this module as
``cupyx.scipy.sparse``, whose matrices keep a scipy.sparse matrix behind CuPy's interface
and CuPy's strictness:

* ``data``/``indices``/``indptr`` (``row``/``col`` for coo) are device arrays (fake_cupy
  `ndarray`, refusing implicit conversion to NumPy) sharing memory with the matrix, so
  in-place updates (``m.data *= s``) act on it as on CuPy;
* constructors take device arrays, device matrices, scipy.sparse matrices (copied to the
  device, as cupyx does) or shapes; host NumPy arrays are refused, and so are the dtypes
  cupyx.scipy.sparse lacks (it holds bool, float32/64 and complex64/128 only);
* methods are limited to those cupyx.scipy.sparse matrices have (``METHODS``, from
  CuPy 13/14's ``_base``, ``_data``, ``_compressed``, ``_csr``, ``_csc`` and ``_coo``), so a
  scipy-only method called on device data fails here as on a GPU; results come back as
  device arrays or matrices;
* ``get()`` copies to a scipy.sparse matrix of the same format.

It does not model cupyx's numerical differences (summation order of sums and products on
the GPU): the parity test on a real GPU covers those.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import scipy.sparse

from tests.support import fake_cupy

SUPPORTED_DTYPES = "?fdFD"  # cupyx.scipy.sparse's dtypes (numpy dtype chars)

METHODS = frozenset({
    "argmax", "argmin", "asformat", "astype", "conj", "conjugate", "copy",
    "count_nonzero", "diagonal", "dot", "eliminate_zeros", "getcol", "getnnz", "getrow",
    "max", "maximum", "mean", "min", "minimum", "multiply", "nonzero", "power", "prune",
    "reshape", "setdiag", "sort_indices", "sorted_indices", "sum", "sum_duplicates",
    "toarray", "tocoo", "tocsc", "tocsr", "todense", "trace", "transpose",
})


def _unwrap(value, where):
    if isinstance(value, spmatrix):
        return value._m
    if isinstance(value, fake_cupy.ndarray):
        return value._a
    if isinstance(value, np.ndarray):
        raise TypeError(f"Unsupported type {type(value)} (in cupyx.scipy.sparse {where}: "
                        "NumPy arrays must be copied to the device first)")
    if scipy.sparse.issparse(value):
        raise TypeError(f"a scipy.sparse matrix given to cupyx.scipy.sparse {where}")
    if isinstance(value, (tuple, list)):
        items = [_unwrap(v, where) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _wrap(value):
    if scipy.sparse.issparse(value):
        return _CLASSES[value.format](value)
    if isinstance(value, np.ndarray):  # np.matrix results (sum, todense) become arrays
        return fake_cupy.ndarray(np.asarray(value))
    if isinstance(value, np.generic):
        return fake_cupy.ndarray(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    return value


def _check_dtype(m):
    if m.dtype.char not in SUPPORTED_DTYPES:
        raise ValueError("Only bool, float32, float64, complex64 and complex128 are supported")
    return m


def _device_array(a, what):
    if not isinstance(a, fake_cupy.ndarray):
        raise ValueError(f"{what} should be 1-D device arrays (got {type(a).__name__})")
    return a._a


class spmatrix:
    """A device sparse matrix (see the module docstring)."""

    __array_priority__ = 10000
    __array_ufunc__ = None
    format = None

    def __init__(self, arg1, shape=None, dtype=None, copy=False):
        fmt = self.format
        host_cls = getattr(scipy.sparse, f"{fmt}_matrix")
        if isinstance(arg1, spmatrix):
            m = arg1._m.asformat(fmt)
            m = m.copy() if copy else m
        elif scipy.sparse.issparse(arg1):  # host -> device: a copy
            m = arg1.asformat(fmt).copy()
        elif isinstance(arg1, fake_cupy.ndarray):
            m = host_cls(arg1._a)
        elif isinstance(arg1, tuple) and len(arg1) == 3:
            arrays = tuple(_device_array(a, "data, indices, and indptr") for a in arg1)
            m = host_cls(arrays, shape=shape, copy=copy)
        elif isinstance(arg1, tuple) and len(arg1) == 2 and isinstance(arg1[1], tuple):
            data = _device_array(arg1[0], "data")
            row, col = (_device_array(a, "row and col") for a in arg1[1])
            m = host_cls((data, (row, col)), shape=shape)
        elif isinstance(arg1, tuple) and len(arg1) == 2:
            m = host_cls(arg1, dtype=dtype or "d")
        else:
            raise ValueError("Unsupported initializer format")
        if dtype is not None:
            m = m.astype(dtype)
        self._m = _check_dtype(m)

    # -- attributes ------------------------------------------------------------------------

    shape = property(lambda self: self._m.shape)
    dtype = property(lambda self: self._m.dtype)
    nnz = property(lambda self: self._m.nnz)
    ndim = property(lambda self: 2)
    has_sorted_indices = property(lambda self: bool(self._m.has_sorted_indices))
    T = property(lambda self: self.transpose())

    def _array(name):  # noqa: N805 - a property factory
        def get(self):
            return fake_cupy.ndarray(getattr(self._m, name))

        def put(self, value):
            setattr(self._m, name, _unwrap(value, name))

        return property(get, put)

    data = _array("data")

    def get(self, stream=None):
        return self._m.copy()

    def __getattr__(self, name):
        if name.startswith("__") or name not in METHODS:
            raise AttributeError(f"cupyx.scipy.sparse.{type(self).__name__} has no "
                                 f"attribute {name!r}")
        method = getattr(self._m, name)

        def call(*args, **kwargs):
            args = [_unwrap(a, name) for a in args]
            kwargs = {k: _unwrap(v, name) for k, v in kwargs.items()}
            result = method(*args, **kwargs)
            return self if result is None and name in ("sort_indices", "eliminate_zeros",
                                                        "sum_duplicates") else _wrap(result)

        return call

    def __repr__(self):
        return f"<fake cupyx {self.format} matrix {self.shape}, {self.nnz} stored>"

    def __getitem__(self, index):
        return _wrap(self._m[_unwrap(index, "__getitem__")])


def _operator(name):
    def op(self, *args):
        return _wrap(getattr(self._m, name)(*[_unwrap(a, name) for a in args]))
    op.__name__ = name
    return op


for _name in ("__neg__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
              "__rmul__", "__matmul__", "__rmatmul__", "__truediv__"):
    setattr(spmatrix, _name, _operator(_name))


class _compressed(spmatrix):  # noqa: N801 - cupyx's name
    indices = spmatrix._array("indices")
    indptr = spmatrix._array("indptr")


class csr_matrix(_compressed):  # noqa: N801
    format = "csr"


class csc_matrix(_compressed):  # noqa: N801
    format = "csc"


class coo_matrix(spmatrix):  # noqa: N801
    format = "coo"
    row = spmatrix._array("row")
    col = spmatrix._array("col")


_CLASSES = {"csr": csr_matrix, "csc": csc_matrix, "coo": coo_matrix}
for _cls, _mod in ((spmatrix, "_base"), (_compressed, "_compressed"), (csr_matrix, "_csr"),
                   (csc_matrix, "_csc"), (coo_matrix, "_coo")):
    _cls.__module__ = f"cupyx.scipy.sparse.{_mod}"  # what backend.is_device_sparse checks


def _stack(fn_name):
    def stack(blocks, format=None, dtype=None):
        host = getattr(scipy.sparse, fn_name)([_unwrap(b, fn_name) for b in blocks],
                                              format=format, dtype=dtype)
        return _wrap(_check_dtype(host))
    stack.__name__ = fn_name
    return stack


def module():
    """The fake ``cupyx.scipy.sparse`` module."""
    mod = types.ModuleType("cupyx.scipy.sparse")
    mod.spmatrix = spmatrix
    mod.csr_matrix, mod.csc_matrix, mod.coo_matrix = csr_matrix, csc_matrix, coo_matrix
    mod.hstack, mod.vstack = _stack("hstack"), _stack("vstack")
    mod.issparse = mod.isspmatrix = lambda x: isinstance(x, spmatrix)
    return mod


def install(monkeypatch):
    """The simulated CUDA backend (fake_cupy) with this module as cupyx.scipy.sparse;
    undone by `monkeypatch`."""
    from theano_compat import backend as B

    fake_cupy.install(monkeypatch)
    sparse = module()
    monkeypatch.setitem(sys.modules, "cupyx.scipy.sparse", sparse)
    monkeypatch.setattr(sys.modules["cupyx.scipy"], "sparse", sparse, raising=False)
    return B.get("cuda")
