"""Sparse variables and Ops (Theano's ``theano.sparse.basic``), computed with scipy.sparse
on the CPU and cupyx.scipy.sparse on a GPU (see `_SparseOp`).

Gradients follow Theano 1.0.5: a *structured* gradient is defined only on the stored
entries of a sparse input (it is a sparse matrix of the same pattern), a dense one is the
ordinary gradient of the dense matrix (see ``verify_grad_sparse``).
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.sparse
from numpy.lib.stride_tricks import as_strided  # noqa: F401 - a name of Theano's module
from six import integer_types  # noqa: F401 - names of Theano's module
from six.moves import xrange  # noqa: F401

from .. import backend as _backend
from .. import hooks, scalar
from .. import tensor
from ..config import config
from ..gradient_check import verify_grad
from ..gradient import grad_not_implemented, grad_undefined
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import DisconnectedType
from ..graph.op import Op
from ..graph.type import generic as _generic
from ..tensor.nnet import sigmoid as _sigmoid
from .type import SparseType, _is_sparse  # noqa: F401 - a name of Theano's module
from .utils import hash_from_sparse
from ..utils import lazy_names

sparse_formats = ["csc", "csr"]

_generic_none = Constant(_generic, None)
_mtypes = [scipy.sparse.csc_matrix, scipy.sparse.csr_matrix]
_mtype_to_str = {scipy.sparse.csc_matrix: "csc", scipy.sparse.csr_matrix: "csr"}


def _is_sparse_variable(x):
    """True when `x` is a variable of a SparseType, False for a tensor variable."""
    if not isinstance(x, Variable):
        raise NotImplementedError("this function should only be called on *variables* (of "
                                  "type sparse.SparseType or tensor.TensorType), not,", x)
    return isinstance(x.type, SparseType)


def _is_dense_variable(x):
    """True when `x` is a variable of a TensorType, False for a sparse variable."""
    if not isinstance(x, Variable):
        raise NotImplementedError("this function should only be called on *variables* (of "
                                  "type sparse.SparseType or tensor.TensorType), not,", x)
    return isinstance(x.type, tensor.TensorType)


def _is_dense(x):
    """True when `x` is an ndarray, False for a scipy.sparse matrix."""
    if not isinstance(x, (scipy.sparse.spmatrix, np.ndarray)):
        raise NotImplementedError("this function should only be called on "
                                  "sparse.scipy.sparse.spmatrix or numpy.ndarray, not,", x)
    return isinstance(x, np.ndarray)


def as_sparse_variable(x, name=None):
    """`x` (a sparse variable, an Apply with one output or a scipy.sparse matrix) as a
    sparse variable; TypeError for anything else."""
    if isinstance(x, Apply):
        if len(x.outputs) != 1:
            raise ValueError("It is ambiguous which output of a multi-output Op has to be "
                             "fetched.", x)
        x = x.outputs[0]
    if isinstance(x, Variable):
        if not isinstance(x.type, SparseType):
            raise TypeError("Variable type field must be a SparseType.", x, x.type)
        return x
    try:
        return constant(x, name=name)
    except TypeError:
        raise TypeError(f"Cannot convert {x} to SparseType", type(x)) from None


as_sparse = as_sparse_variable


def _as_csx(x):
    """as_sparse_variable(x), asserting a csr or csc format."""
    x = as_sparse_variable(x)
    assert x.format in ["csr", "csc"]
    return x


def as_sparse_or_tensor_variable(x, name=None):
    """`as_sparse_variable(x)`, or a tensor variable when `x` is not sparse."""
    try:
        return as_sparse_variable(x, name)
    except (ValueError, TypeError):
        return tensor.as_tensor_variable(x, name)


def constant(x, name=None):
    """A SparseConstant holding a copy of the scipy.sparse matrix `x`."""
    if not isinstance(x, scipy.sparse.spmatrix):
        raise TypeError("sparse.constant must be called on a scipy.sparse.spmatrix")
    try:
        return SparseConstant(SparseType(format=x.format, dtype=x.dtype), x.copy(), name=name)
    except (TypeError, NotImplementedError):
        raise TypeError(f"Could not convert {x} to SparseType", type(x)) from None


def sp_ones_like(x):
    """A sparse matrix with the pattern of `x` and ones as stored values."""
    data, indices, indptr, shape = csm_properties(x)
    return CSM(format=x.format)(tensor.ones_like(data), indices, indptr, shape)


def sp_zeros_like(x):
    """An all-zero sparse matrix (nothing stored) of the shape and format of `x`."""
    _, _, indptr, shape = csm_properties(x)
    return CSM(format=x.format)(data=np.array([], dtype=x.type.dtype),
                                indices=np.array([], dtype="int32"),
                                indptr=tensor.zeros_like(indptr), shape=shape)


class _sparse_py_operators:  # noqa: N801 - Theano's name
    """Operators of sparse variables: +, -, * (elementwise), .T, toarray()..."""

    T = property(lambda self: transpose(self), doc="Return aliased transpose of self (read-only)")

    def astype(self, dtype):
        return cast(self, dtype)

    def __neg__(self):
        return neg(self)

    def __add__(left, right):  # noqa: N805 - Theano's operator style
        return add(left, right)

    def __radd__(right, left):  # noqa: N805
        return add(left, right)

    def __sub__(left, right):  # noqa: N805
        return sub(left, right)

    def __rsub__(right, left):  # noqa: N805
        return sub(left, right)

    def __mul__(left, right):  # noqa: N805
        return mul(left, right)

    def __rmul__(left, right):  # noqa: N805
        return mul(left, right)

    def __dot__(left, right):  # noqa: N805
        return structured_dot(left, right)

    def __rdot__(right, left):  # noqa: N805
        return structured_dot(left, right)

    def toarray(self):
        return dense_from_sparse(self)

    # A sparse matrix becomes dense only explicitly (toarray / dense_from_sparse), as in
    # Theano; the shape is that of the dense matrix (a shape-propagating rewrite removes
    # the densification when only the shape is used).
    shape = property(lambda self: tensor.shape(dense_from_sparse(self)))
    ndim = property(lambda self: self.type.ndim)
    dtype = property(lambda self: self.type.dtype)
    # The number of stored entries (stored zeros included), as scipy's .size.
    size = property(lambda self: csm_data(self).size)

    def zeros_like(model):  # noqa: N805
        return sp_zeros_like(model)


class SparseVariable(_sparse_py_operators, Variable):
    """A symbolic sparse matrix."""

    __hash__ = Variable.__hash__
    format = property(lambda self: self.type.format)

    def __str__(self):
        return f"{type(self).__name__}{{{self.format},{self.dtype}}}"

    def __repr__(self):
        return str(self)


class SparseConstantSignature(tuple):
    """What merging compares for sparse constants: type and (nearly) equal values."""

    def __eq__(self, other):
        (a, b), (x, y) = self, other
        return bool(a == x and b.dtype == y.dtype and type(b) is type(y)
                    and b.shape == y.shape and abs(b - y).sum() <= 1e-6 * b.nnz)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        (a, b) = self
        return hash(type(self)) ^ hash(a) ^ hash(type(b))

    def theano_hash(self):
        (_, d) = self
        return hash_from_sparse(d)


class SparseConstant(_sparse_py_operators, Constant):
    """A constant sparse matrix in a graph."""

    __hash__ = Constant.__hash__
    format = property(lambda self: self.type.format)

    def signature(self):
        assert self.data is not None
        return SparseConstantSignature((self.type, self.data))

    def __str__(self):
        return (f"{type(self).__name__}{{{self.format},{self.dtype},shape={self.data.shape},"
                f"nnz={self.data.nnz}}}")

    def __repr__(self):
        return str(self)


SparseType.Variable = SparseVariable
SparseType.Constant = SparseConstant


def matrix(format, name=None, dtype=None):
    """A new sparse variable of `format` and `dtype` (default floatX)."""
    if dtype is None:
        dtype = config.floatX
    return SparseType(format=format, dtype=dtype)(name)


def csc_matrix(name=None, dtype=None):
    return matrix("csc", name, dtype)


def csr_matrix(name=None, dtype=None):
    return matrix("csr", name, dtype)


def bsr_matrix(name=None, dtype=None):
    return matrix("bsr", name, dtype)


csc_dmatrix = SparseType(format="csc", dtype="float64")
csr_dmatrix = SparseType(format="csr", dtype="float64")
bsr_dmatrix = SparseType(format="bsr", dtype="float64")
csc_fmatrix = SparseType(format="csc", dtype="float32")
csr_fmatrix = SparseType(format="csr", dtype="float32")
bsr_fmatrix = SparseType(format="bsr", dtype="float32")

all_dtypes = SparseType.dtype_set
complex_dtypes = [t for t in all_dtypes if t[:7] == "complex"]
float_dtypes = [t for t in all_dtypes if t[:5] == "float"]
int_dtypes = [t for t in all_dtypes if t[:3] == "int"]
uint_dtypes = [t for t in all_dtypes if t[:4] == "uint"]
integer_dtypes = int_dtypes + uint_dtypes
continuous_dtypes = complex_dtypes + float_dtypes
discrete_dtypes = int_dtypes + uint_dtypes


def _int32(values):
    arr = np.asarray(values)
    as32 = np.asarray(values, dtype="int32")
    if not (arr == as32).all():
        raise ValueError("index values do not fit in int32", values)
    return as32


# --------------------------------------------------------------- computing on a backend


class _SparseOp(Op):
    """Base of the sparse Ops that run on the CPU and on a GPU.

    ``compute(node, xp, sp, *inputs)`` gives the output(s) from the array module `xp`
    (numpy or cupy) and its sparse module `sp` (scipy.sparse or cupyx.scipy.sparse, from
    ``backend.sparse_module``; these Ops never import either).  On NumPy the compiled
    function calls it directly.  On a GPU (see `_device_runner`) sparse inputs that are
    still scipy matrices (graph inputs, shared values, host results) are copied to the
    device at each call (sparse constants once), dense host arrays likewise, except the
    inputs listed in ``host_inputs`` (shapes, read as host numbers); nodes with a sparse
    matrix of a dtype cupyx.scipy.sparse lacks (integers) run on the host.
    """

    host_inputs = ()
    sparse_data_inputs = ()

    def runner(self, node, xp):
        if xp is np:
            return functools.partial(self.compute, node, np, _backend.sparse_module(np))
        return _device_runner(self, node, xp)

    def perform(self, node, inputs, outputs, params=None):
        result = self.compute(node, np, _backend.sparse_module(np), *inputs)
        if len(outputs) == 1:
            outputs[0][0] = result
        else:
            for storage, value in zip(outputs, result):
                storage[0] = value

    def compute(self, node, xp, sp, *inputs):
        raise NotImplementedError(f"{type(self).__name__}.compute")


def _device_runner(op, node, xp):
    """The callable computing `node` on the GPU backend of array module `xp`."""
    backend = _backend.for_module(xp)
    # The dtypes of the sparse matrices it reads, makes (or builds from arrays, at the
    # positions ``sparse_data_inputs``).
    dtypes = sorted({v.type.dtype for v in list(node.inputs) + list(node.outputs)
                     if isinstance(v.type, SparseType)}
                    | {node.inputs[i].type.dtype for i in op.sparse_data_inputs})
    unsupported = [d for d in dtypes if not backend.sparse_dtype_ok(d)]
    if unsupported:
        host = functools.partial(op.compute, node, np, _backend.sparse_module(np))
        return backend.host_fallback(
            f"theano.sparse {type(op).__name__} on {'/'.join(unsupported)} matrices "
            "(cupyx.scipy.sparse holds bool, float and complex values only)", host)
    sp = backend.sparse_module()
    compute = op.compute
    is_sparse = backend.is_device_sparse
    ndarray = np.ndarray
    # Sparse constants go to the device once, here; other host matrices at each call.
    constants = {i: _sparse_to_device(sp, v.data) for i, v in enumerate(node.inputs)
                 if isinstance(v, Constant) and isinstance(v.type, SparseType)}
    sparse_pos = tuple(i for i, v in enumerate(node.inputs)
                       if isinstance(v.type, SparseType) and i not in constants)
    dense_pos = tuple(i for i, v in enumerate(node.inputs)
                      if not isinstance(v.type, SparseType) and i not in op.host_inputs)

    def run(*args):
        args = list(args)
        for i, value in constants.items():
            args[i] = value
        for i in sparse_pos:
            a = args[i]
            if not is_sparse(a):  # a scipy matrix in host memory
                args[i] = _sparse_to_device(sp, a)
        for i in dense_pos:
            if type(args[i]) is ndarray:
                args[i] = xp.asarray(args[i])
        return compute(node, xp, sp, *args)

    return run


def _sparse_to_device(sp, a):
    """The cupyx.scipy.sparse matrix of scipy matrix `a` (same format, index dtype)."""
    cls = getattr(sp, f"{a.format}_matrix", None)
    return cls(a) if cls is not None else sp.csr_matrix(a.tocsr())


def _major_indices(xp, indptr, n=None):
    """The major index (row of a csr, column of a csc) of each of the first `n` stored
    entries (default: all, ``indptr[-1]``)."""
    if n is None:
        n = int(indptr[-1])
    if xp is np:
        counts = np.diff(indptr)
        return np.repeat(np.arange(len(counts)), counts)[:n]
    # cupy.repeat takes no array of counts: the entry k is in the row whose range holds k.
    return xp.searchsorted(indptr, xp.arange(n), side="right") - 1


def _rows_cols(xp, m):
    """(rows, columns) of the stored entries of a csr or csc matrix `m`."""
    major = _major_indices(xp, m.indptr)
    return (major, m.indices) if m.format == "csr" else (m.indices, major)


def _is_sparse_value(x):
    """Whether `x` is a sparse matrix of scipy or of cupyx."""
    return scipy.sparse.issparse(x) or _backend.is_device_sparse(x)


def _dense(xp, value, dtype):
    """`value` (a dense array, a np.matrix, or a sparse matrix) as an array of `dtype`."""
    if _is_sparse_value(value):
        value = value.toarray()
    return xp.asarray(value, dtype=dtype)


def _matmul(xp, x, y):
    """x @ y with one or both sparse.  CuPy's dense @ sparse goes through the transposes
    (sparse @ dense is cupyx's product)."""
    if xp is not np and not _is_sparse_value(x):
        return (y.T @ x.T).T
    return x @ y


# ------------------------------------------------------------------------- CSM and friends


class CSMProperties(_SparseOp):
    """The (data, indices, indptr, shape) of a csc/csr matrix; indices int32 vectors."""

    __props__ = ()
    view_map = {0: [0], 1: [0], 2: [0]}

    def __init__(self, kmap=None):
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")

    def make_node(self, csm):
        csm = as_sparse_variable(csm)
        assert csm.format in ["csr", "csc"]
        data = tensor.TensorType(dtype=csm.type.dtype, broadcastable=(False,))()
        return Apply(self, [csm], [data, tensor.ivector(), tensor.ivector(), tensor.ivector()])

    def compute(self, node, xp, sp, csm):
        return (csm.data, xp.asarray(csm.indices, dtype="int32"),
                xp.asarray(csm.indptr, dtype="int32"), xp.asarray(csm.shape, dtype="int32"))

    def grad(self, inputs, g):
        (csm,) = inputs
        if isinstance(g[0].type, DisconnectedType):
            return [csm.zeros_like()]
        data, indices, indptr, shape = csm_properties(csm)
        return [CSM(csm.format)(g[0], indices, indptr, shape)]

    def infer_shape(self, node, shapes):
        return None


csm_properties = CSMProperties()


def csm_data(csm):
    """The stored values of a csc/csr matrix variable (a vector)."""
    return csm_properties(csm)[0]


def csm_indices(csm):
    """The indices array of a csc/csr matrix variable (int32)."""
    return csm_properties(csm)[1]


def csm_indptr(csm):
    """The indptr array of a csc/csr matrix variable (int32)."""
    return csm_properties(csm)[2]


def csm_shape(csm):
    """The shape of a csc/csr matrix variable (int32 vector of 2)."""
    return csm_properties(csm)[3]


class CSM(_SparseOp):
    """Build a csc/csr matrix from (data, indices, indptr, shape).

    Its gradient is on `data` only: the entries of the output gradient at the stored
    positions (CSMGrad).
    """

    __props__ = ("format",)
    host_inputs = (3,)  # the shape: host numbers

    def __init__(self, format, kmap=None):
        if format not in ("csr", "csc"):
            raise ValueError("format must be one of: 'csr', 'csc'", format)
        self.format = format
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")
        self.view_map = {0: [0]}

    def make_node(self, data, indices, indptr, shape):
        data = tensor.as_tensor_variable(data)
        if not isinstance(indices, Variable):
            indices = _int32(indices)
        if not isinstance(indptr, Variable):
            indptr = _int32(indptr)
        if not isinstance(shape, Variable):
            shape = _int32(shape)
        indices = tensor.as_tensor_variable(indices)
        indptr = tensor.as_tensor_variable(indptr)
        shape = tensor.as_tensor_variable(shape)
        if data.type.ndim != 1:
            raise TypeError("data argument must be a vector", data.type, data.type.ndim)
        if indices.type.ndim != 1 or indices.type.dtype not in discrete_dtypes:
            raise TypeError("indices must be vector of integers", indices, indices.type)
        if indptr.type.ndim != 1 or indptr.type.dtype not in discrete_dtypes:
            raise TypeError("indices must be vector of integers", indptr, indptr.type)
        if shape.type.ndim != 1 or shape.type.dtype not in discrete_dtypes:
            raise TypeError("n_rows must be integer type", shape, shape.type)
        return Apply(self, [data, indices, indptr, shape],
                     [SparseType(dtype=data.type.dtype, format=self.format)()])

    def compute(self, node, xp, sp, data, indices, indptr, shape):
        if len(shape) != 2:
            raise ValueError("Shape should be an array of length 2")
        if data.shape != indices.shape:
            raise ValueError(f"Data (shape {data.shape!r} must have the same number of "
                             f"elements as indices (shape{indices.shape!r})")
        cls = sp.csc_matrix if self.format == "csc" else sp.csr_matrix
        return cls((data, indices.copy(), indptr.copy()), shape=tuple(int(s) for s in shape),
                   copy=False)

    def connection_pattern(self, node):
        return [[True], [False], [False], [False]]

    def grad(self, inputs, gout):
        (x_data, x_indices, x_indptr, x_shape) = inputs
        (g_out,) = gout
        g_data, g_indices, g_indptr, g_shape = csm_properties(g_out)
        g_data = csm_grad()(x_data, x_indices, x_indptr, x_shape,
                            g_data, g_indices, g_indptr, g_shape)
        return [g_data, DisconnectedType()(), DisconnectedType()(), DisconnectedType()()]

    def infer_shape(self, node, shapes):
        return [(node.inputs[3][0], node.inputs[3][1])]


CSC = CSM("csc")
CSR = CSM("csr")


class CSMGrad(_SparseOp):
    """The gradient of CSM's data: g_out's values at x's stored positions (summing
    duplicates of g_out's pattern)."""

    __props__ = ()
    host_inputs = (3, 7)  # the shapes

    def __init__(self, kmap=None):
        if kmap is not None:
            raise Exception("Do not use kmap, it is removed")

    def make_node(self, x_data, x_indices, x_indptr, x_shape,
                  g_data, g_indices, g_indptr, g_shape):
        return Apply(self, [x_data, x_indices, x_indptr, x_shape,
                            g_data, g_indices, g_indptr, g_shape], [g_data.type()])

    def compute(self, node, xp, sp, x_data, x_indices, x_indptr, x_shape,
                g_data, g_indices, g_indptr, g_shape):
        # Rows of a csr matrix (columns of a csc one) are the compressed axis: entries
        # are keyed by major * minor_dim + minor; g's duplicates are summed per key.
        n_major = len(x_indptr) - 1
        minor_dim = int(x_shape[1] if n_major == int(x_shape[0]) else x_shape[0])
        gout = xp.zeros(x_data.shape, dtype=node.outputs[0].dtype)
        n_x = int(x_indptr[-1])
        g_major = _major_indices(xp, g_indptr[:n_major + 1])
        n_g = len(g_major)
        if n_x == 0 or n_g == 0:
            return gout
        x_keys = _major_indices(xp, x_indptr, n_x) * minor_dim + x_indices[:n_x]
        g_keys = g_major * minor_dim + g_indices[:n_g]
        keys, where = xp.unique(g_keys, return_inverse=True)
        sums = xp.zeros(len(keys), dtype=g_data.dtype)
        _backend.scatter_add(xp, sums, where.ravel(), g_data[:n_g])
        pos = xp.minimum(xp.searchsorted(keys, x_keys), len(keys) - 1)
        gout[:n_x] = xp.where(keys[pos] == x_keys, sums[pos], 0)
        return gout

    def infer_shape(self, node, shapes):
        return [shapes[1]]


csm_grad = CSMGrad


# ------------------------------------------------------------------------------ casts


class Cast(_SparseOp):
    """Cast the stored values of a sparse matrix to `out_type`."""

    __props__ = ("out_type",)

    def __init__(self, out_type):
        self.out_type = out_type

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [SparseType(dtype=self.out_type, format=x.format)()])

    def compute(self, node, xp, sp, x):
        return x.astype(self.out_type)

    def grad(self, inputs, outputs_gradients):
        gz = outputs_gradients[0]
        if gz.dtype in complex_dtypes or inputs[0].dtype in complex_dtypes:
            raise NotImplementedError("grad not implemented for complex types")
        if gz.dtype in discrete_dtypes:
            return [sp_zeros_like(inputs[0])]
        if inputs[0].dtype in discrete_dtypes:
            return [gz]
        return [Cast(inputs[0].dtype)(gz)]

    def infer_shape(self, node, ins_shapes):
        return ins_shapes

    def __str__(self):
        return f"{type(self).__name__}({self.out_type})"


bcast = Cast("int8")
wcast = Cast("int16")
icast = Cast("int32")
lcast = Cast("int64")
fcast = Cast("float32")
dcast = Cast("float64")
ccast = Cast("complex64")
zcast = Cast("complex128")


def cast(variable, dtype):
    """Cast a sparse variable's values to `dtype`."""
    return Cast(dtype)(variable)


# ----------------------------------------------------------------- dense <-> sparse


class DenseFromSparse(_SparseOp):
    """The dense matrix of a sparse one.

    Its gradient is structured (the output gradient at the stored positions, a sparse
    matrix) when ``structured`` is True (the default), else the dense gradient made sparse.
    """

    __props__ = ()  # sparse_grad is not a prop, as in Theano

    def __init__(self, structured=True):
        self.sparse_grad = structured

    def __str__(self):
        return f"{type(self).__name__}{{structured_grad={self.sparse_grad}}}"

    def make_node(self, x):
        x = as_sparse_variable(x)
        return Apply(self, [x], [tensor.TensorType(dtype=x.type.dtype,
                                                   broadcastable=(False, False))()])

    def compute(self, node, xp, sp, x):
        return x.toarray() if _is_sparse_value(x) else x

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        if self.sparse_grad:
            left = sp_ones_like(x)
            right = gz
            if right.dtype == "float64" and left.dtype == "float32":
                left = left.astype("float64")
            if right.dtype == "float32" and left.dtype == "float64":
                right = right.astype("float64")
            return [left * right]
        return [SparseFromDense(x.type.format)(gz)]

    def infer_shape(self, node, shapes):
        return [shapes[0]]


dense_from_sparse = DenseFromSparse()


class SparseFromDense(_SparseOp):
    """A csc or csr matrix of a dense one (a vector becomes one row, a scalar 1x1)."""

    __props__ = ()

    def __init__(self, format):
        self.format = format

    def __eq__(self, other):
        return type(self) is type(other) and self.format == other.format

    def __hash__(self):
        return hash((type(self), self.format))

    def __str__(self):
        return f"{type(self).__name__}{{{self.format}}}"

    def make_node(self, x):
        x = tensor.as_tensor_variable(x)
        if x.ndim > 2:
            raise TypeError("Theano does not have sparse tensor types with more than 2 "
                            f"dimensions, but {x}.ndim = {x.ndim}")
        if x.ndim == 1:
            x = x.dimshuffle("x", 0)
        elif x.ndim == 0:
            x = x.dimshuffle("x", "x")
        return Apply(self, [x], [SparseType(dtype=x.type.dtype, format=self.format)()])

    def compute(self, node, xp, sp, x):
        return getattr(sp, f"{self.format}_matrix")(x)

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        gx = dense_from_sparse(gz)
        return (tensor.patternbroadcast(gx, x.broadcastable),)

    def infer_shape(self, node, shapes):
        return [shapes[0]]


csr_from_dense = SparseFromDense("csr")
csc_from_dense = SparseFromDense("csc")


# --------------------------------------------------------------------- simple unary Ops


class Transpose(_SparseOp):
    """The transpose (csr <-> csc, sharing the arrays)."""

    view_map = {0: [0]}
    format_map = {"csr": "csc", "csc": "csr"}
    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [SparseType(dtype=x.type.dtype,
                                            format=self.format_map[x.type.format])()])

    def compute(self, node, xp, sp, x):
        return x.transpose()

    def grad(self, inputs, gout):
        return (transpose(gout[0]),)

    def infer_shape(self, node, shapes):
        return [shapes[0][::-1]]


transpose = Transpose()


class Neg(_SparseOp):
    """-x on a sparse matrix."""

    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [x.type()])

    def compute(self, node, xp, sp, x):
        return -x

    def grad(self, inputs, gout):
        return (-gout[0],)

    def infer_shape(self, node, shapes):
        return [shapes[0]]


neg = Neg()


class _ScaleCSC(_SparseOp):
    """A csc matrix x times a vector s along one axis; `_axis`: the axis summed in s's
    gradient, `_rescale`: the same scaling of the output gradient."""

    __props__ = ()
    _axis = None

    def _rescale(self, gz, s):
        raise NotImplementedError("_rescale is defined by each subclass")

    def grad(self, inputs, gout):
        (x, s) = inputs
        (gz,) = gout
        return [self._rescale(gz, s), sp_sum(x * gz, axis=self._axis)]

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[0]]


class ColScaleCSC(_ScaleCSC):
    """Each column j of a csc matrix times s[j]."""

    _axis = 0

    def _rescale(self, gz, s):
        return col_scale(gz, s)

    def make_node(self, x, s):
        if x.format != "csc":
            raise ValueError("x was not a csc matrix")
        return Apply(self, [x, tensor.as_tensor_variable(s)], [x.type()])

    def compute(self, node, xp, sp, x, s):
        y = x.copy()
        y.data = y.data * s[_major_indices(xp, y.indptr)].astype(y.dtype, copy=False)
        return y


class RowScaleCSC(_ScaleCSC):
    """Each row i of a csc matrix times s[i]."""

    view_map = {0: [0]}
    _axis = 1

    def _rescale(self, gz, s):
        return row_scale(gz, s)

    def make_node(self, x, s):
        x = _as_csx(x)
        return Apply(self, [x, tensor.as_tensor_variable(s)], [x.type()])

    def compute(self, node, xp, sp, x, s):
        y_data = (x.data * s[x.indices]).astype(x.dtype, copy=False)
        return sp.csc_matrix((y_data, x.indices, x.indptr), shape=x.shape)


def col_scale(x, s):
    """Scale each column j of sparse matrix `x` by s[j]."""
    if x.format == "csc":
        return ColScaleCSC()(x, s)
    if x.format == "csr":
        return RowScaleCSC()(x.T, s).T
    raise NotImplementedError(f"col_scale: format {x.format} (use csc or csr)")


def row_scale(x, s):
    """Scale each row i of sparse matrix `x` by s[i]."""
    return col_scale(x.T, s).T


class SpSum(_SparseOp):
    """The sum of a sparse matrix over `axis` (None: all), a dense result.

    With ``sparse_grad`` the gradient is structured (on the stored entries only).
    """

    __props__ = ("axis",)

    def __init__(self, axis=None, sparse_grad=True):
        super().__init__()
        self.axis = axis
        self.structured = sparse_grad
        if self.axis not in (None, 0, 1):
            raise ValueError("Illegal value for self.axis.")

    def make_node(self, x):
        x = _as_csx(x)
        b = () if self.axis is None else (False,)
        return Apply(self, [x], [tensor.TensorType(broadcastable=b, dtype=x.dtype)()])

    def compute(self, node, xp, sp, x):
        dtype = node.outputs[0].type.dtype
        if self.axis is None:
            return xp.asarray(x.sum(), dtype=dtype)
        return xp.asarray(x.sum(self.axis), dtype=dtype).ravel()

    def grad(self, inputs, gout):
        (x,) = inputs
        (gz,) = gout
        if x.dtype not in continuous_dtypes:
            return [sp_zeros_like(x)]
        if self.structured:
            if self.axis is None:
                return [gz * sp_ones_like(x)]
            if self.axis == 0:
                return [col_scale(sp_ones_like(x), gz)]
            return [row_scale(sp_ones_like(x), gz)]
        o_format = x.format
        x = dense_from_sparse(x)
        if _is_sparse_variable(gz):
            gz = dense_from_sparse(gz)
        if self.axis is None:
            r = tensor.second(x, gz)
        else:
            ones = tensor.ones_like(x)
            if self.axis == 0:
                r = tensor.addbroadcast(gz.dimshuffle("x", 0), 0) * ones
            else:
                r = tensor.addbroadcast(gz.dimshuffle(0, "x"), 1) * ones
        return [SparseFromDense(o_format)(r)]

    def infer_shape(self, node, shapes):
        if self.axis is None:
            return [()]
        if self.axis == 0:
            return [(shapes[0][1],)]
        return [(shapes[0][0],)]

    def __str__(self):
        return f"{type(self).__name__}{{axis={self.axis}}}"


def sp_sum(x, axis=None, sparse_grad=False):
    """Sum of sparse `x` over `axis` (None, 0 or 1); `sparse_grad` for a structured grad."""
    return SpSum(axis, sparse_grad)(x)


class Remove0(_SparseOp):
    """Drop the explicitly stored zeros of a sparse matrix."""

    __props__ = ("inplace",)

    def __init__(self, inplace=False):
        self.inplace = inplace
        if self.inplace:
            self.destroy_map = {0: [0]}

    def __str__(self):
        return type(self).__name__ + "{%s}" % ("inplace" if self.inplace else "")

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [x.type()])

    def compute(self, node, xp, sp, x):
        c = x if self.inplace else x.copy()
        c.eliminate_zeros()
        return c

    def grad(self, inputs, gout):
        return [gout[0]]

    def infer_shape(self, node, i0_shapes):
        return i0_shapes


remove0 = Remove0()


# ----------------------------------------------------------------------- add / mul


class AddSS(_SparseOp):
    """Sparse + sparse (same format as the first)."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), as_sparse_variable(y)
        assert x.format in ["csr", "csc"] and y.format in ["csr", "csc"]
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [SparseType(dtype=out_dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        out = x + y
        if out.format != node.outputs[0].type.format:
            out = out.asformat(node.outputs[0].type.format)
        return out.astype(node.outputs[0].type.dtype, copy=False)

    def grad(self, inputs, gout):
        (gz,) = gout
        return gz, gz

    def infer_shape(self, node, shapes):
        return [shapes[0]]


add_s_s = AddSS()


class AddSSData(_SparseOp):
    """Add the stored values of two sparse matrices of the same pattern."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), as_sparse_variable(y)
        assert x.format in ["csr", "csc"] and y.format in ["csr", "csc"]
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("add_s_s_data: the two matrices need the same dtype")
        if x.type.format != y.type.format:
            raise NotImplementedError("add_s_s_data: the two matrices need the same format")
        return Apply(self, [x, y], [SparseType(dtype=x.type.dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        if x.data.shape != y.data.shape:
            raise ValueError("The two sparse matrices must have the same pattern")
        out = x.copy()
        out.data += y.data
        return out

    def grad(self, inputs, gout):
        (gz,) = gout
        return [gz if i.dtype in continuous_dtypes else None for i in inputs]

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[0]]


add_s_s_data = AddSSData()


class AddSD(_SparseOp):
    """Sparse + dense: a dense result."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), tensor.as_tensor_variable(y)
        assert x.format in ["csr", "csc"]
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        assert y.type.ndim == 2
        return Apply(self, [x, y], [tensor.TensorType(dtype=out_dtype,
                                                      broadcastable=y.type.broadcastable)()])

    def compute(self, node, xp, sp, x, y):
        return xp.asarray(x + y, dtype=node.outputs[0].type.dtype)

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        return sp_ones_like(x) * gz, gz

    def infer_shape(self, node, shapes):
        return [shapes[1]]


add_s_d = AddSD()


def _sparse_dispatch(x, y, ss, sd, ds, message):
    """ss(x, y), sd(x, y) or ds(y, x) as x and/or y are sparse (TypeError(message) if neither)."""
    if hasattr(x, "getnnz"):
        x = as_sparse_variable(x)
    if hasattr(y, "getnnz"):
        y = as_sparse_variable(y)
    if not isinstance(x, Variable):
        x = tensor.as_tensor_variable(x)
    if not isinstance(y, Variable):
        y = tensor.as_tensor_variable(y)
    x_sp, y_sp = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (x_sp or y_sp):
        raise TypeError(message)
    if x_sp and y_sp:
        return ss(x, y)
    if x_sp:
        return sd(x, y)
    return ds(y, x)


def add(x, y):
    """x + y where at least one is sparse (sparse + sparse is sparse, else dense)."""
    return _sparse_dispatch(x, y, add_s_s, add_s_d, add_s_d,
                            "theano.sparse.add needs at least one sparse argument")


def sub(x, y):
    """x - y where at least one is sparse."""
    return x + (-y)


class MulSS(_SparseOp):
    """Elementwise sparse * sparse."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), as_sparse_variable(y)
        assert x.format in ["csr", "csc"] and y.format in ["csr", "csc"]
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [SparseType(dtype=out_dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        if y.shape != x.shape:
            raise ValueError("MulSS: shapes differ", x.shape, y.shape)
        if xp is not np:  # cupyx's multiply sums duplicates of its operands in place
            x, y = x.copy(), y.copy()
        out = x.multiply(y)
        if not _is_sparse_value(out):
            out = sp.csr_matrix(xp.asarray(out))
        out = out.asformat(node.outputs[0].type.format)
        return out.astype(node.outputs[0].type.dtype, copy=False)

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        return y * gz, x * gz

    def infer_shape(self, node, shapes):
        return [shapes[0]]


mul_s_s = MulSS()


class MulSD(_SparseOp):
    """Elementwise sparse * dense (a scalar or a matrix): a sparse result, x's pattern."""

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), tensor.as_tensor_variable(y)
        assert x.format in ["csr", "csc"]
        dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        if y.type.ndim not in (0, 2):
            raise NotImplementedError("MulSD: the dense factor must be a scalar or a matrix "
                                      "(use mul_s_v, row_scale or col_scale for a vector)")
        return Apply(self, [x, y], [SparseType(dtype=dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        out_dtype = node.outputs[0].dtype
        z = x.copy() if x.dtype == out_dtype else x.astype(out_dtype)
        if y.ndim == 0:
            z.data *= y
        else:
            if x.shape != y.shape:
                raise ValueError("MulSD: shapes differ", x.shape, y.shape)
            rows, cols = _rows_cols(xp, z)
            z.data *= y[rows, cols]
        return z

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        return y * gz, dense_from_sparse(x * gz)

    def infer_shape(self, node, shapes):
        return [shapes[0]]


mul_s_d = MulSD()


class MulSV(_SparseOp):
    """Sparse matrix times a dense vector broadcast over rows (same dtype)."""

    __props__ = ()

    def make_node(self, x, y):
        x = _as_csx(x)
        y = tensor.as_tensor_variable(y)
        assert y.type.ndim == 1
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError(f"MulSV not implemented for differing dtypes.Got "
                                      f"{x.type.dtype} and {y.type.dtype}.")
        return Apply(self, [x, y], [SparseType(dtype=x.type.dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        if x.shape[1] != y.shape[0]:
            raise ValueError("MulSV: shapes do not match", x.shape, y.shape)
        z = x.copy()
        _, cols = _rows_cols(xp, z)
        z.data = z.data * y[cols]
        return z

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        if gz.dtype == "float64" and y.dtype == "float32":
            y = y.astype("float64")
        if gz.dtype == "float32" and y.dtype == "float64":
            gz = gz.astype("float64")
        return mul_s_v(gz, y), sp_sum(x * gz, axis=0, sparse_grad=True)

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[0]]


mul_s_v = MulSV()


def mul(x, y):
    """Elementwise x * y where at least one is sparse (a sparse result)."""
    x = as_sparse_or_tensor_variable(x)
    y = as_sparse_or_tensor_variable(y)
    x_sp, y_sp = _is_sparse_variable(x), _is_sparse_variable(y)
    if not (x_sp or y_sp):
        raise TypeError("theano.sparse.mul needs at least one sparse argument")
    if x_sp and y_sp:
        if y.dtype == "float64" and x.dtype == "float32":
            x = x.astype("float64")
        return mul_s_s(x, y)
    if x_sp:
        if y.dtype == "float64" and x.dtype == "float32":
            x = x.astype("float64")
        return mul_s_d(x, y)
    return mul_s_d(y, x)


# ------------------------------------------------------ structured elementwise functions


def structured_monoid(tensor_op):
    """Decorator: apply the tensor op `tensor_op` to the stored values of a sparse
    matrix only (the pattern is kept), extra arguments being scalars."""

    def decorator(f):
        def wrapper(*args):
            x = as_sparse_variable(args[0])
            assert x.format in ["csr", "csc"]
            xs = [scalar.as_scalar(arg) for arg in args[1:]]
            data, ind, ptr, shape = csm_properties(x)
            data = tensor_op(data, *xs)
            return CSM(x.format)(data, ind, ptr, shape)

        wrapper.__name__ = f.__name__
        wrapper.__qualname__ = f.__name__
        wrapper.__doc__ = f.__doc__
        wrapper.__module__ = "theano.sparse.basic"
        return wrapper

    return decorator


def _structured(tensor_op, name, doc):
    def f(*args):
        pass
    f.__name__ = name
    f.__doc__ = doc
    return structured_monoid(tensor_op)(f)


structured_sigmoid = _structured(_sigmoid, "structured_sigmoid",
                                 "Structured elemwise sigmoid (on the stored values).")
structured_exp = _structured(tensor.exp, "structured_exp", "Structured elemwise exponential.")
structured_log = _structured(tensor.log, "structured_log", "Structured elemwise logarithm.")
structured_pow = _structured(tensor.pow, "structured_pow",
                             "Structured elemwise power of sparse matrix x by scalar y.")
structured_minimum = _structured(tensor.minimum, "structured_minimum",
                                 "Structured elemwise minimum of sparse matrix x by scalar y.")
structured_maximum = _structured(tensor.maximum, "structured_maximum",
                                 "Structured elemwise maximum of sparse matrix x by scalar y.")
structured_add = _structured(tensor.add, "structured_add",
                             "Structured addition of sparse matrix x and scalar y.")

sin = _structured(tensor.sin, "sin", "Elemwise sinus of `x` (stored values).")
tan = _structured(tensor.tan, "tan", "Elemwise tan of `x` (stored values).")
arcsin = _structured(tensor.arcsin, "arcsin", "Elemwise arcsinus of `x` (stored values).")
arctan = _structured(tensor.arctan, "arctan", "Elemwise arctan of `x` (stored values).")
sinh = _structured(tensor.sinh, "sinh", "Elemwise sinh of `x` (stored values).")
arcsinh = _structured(tensor.arcsinh, "arcsinh", "Elemwise arcsinh of `x` (stored values).")
tanh = _structured(tensor.tanh, "tanh", "Elemwise tanh of `x` (stored values).")
arctanh = _structured(tensor.arctanh, "arctanh", "Elemwise arctanh of `x` (stored values).")
rint = _structured(tensor.round_half_to_even, "rint",
                   "Elemwise round half to even of `x` (stored values).")
sgn = _structured(tensor.sgn, "sgn", "Elemwise sign of `x` (stored values).")
ceil = _structured(tensor.ceil, "ceil", "Elemwise ceiling of `x` (stored values).")
floor = _structured(tensor.floor, "floor", "Elemwise floor of `x` (stored values).")
log1p = _structured(tensor.log1p, "log1p", "Elemwise log(1 + `x`) (stored values).")
expm1 = _structured(tensor.expm1, "expm1", "Elemwise e^`x` - 1 (stored values).")
deg2rad = _structured(tensor.deg2rad, "deg2rad",
                      "Elemwise degree to radian (stored values).")
rad2deg = _structured(tensor.rad2deg, "rad2deg",
                      "Elemwise radian to degree (stored values).")
trunc = _structured(tensor.trunc, "trunc", "Elemwise truncature (stored values).")
sqr = _structured(tensor.sqr, "sqr", "Elemwise `x` * `x` (stored values).")
sqrt = _structured(tensor.sqrt, "sqrt", "Elemwise square root of `x` (stored values).")
conj = _structured(tensor.conj, "conj", "Elemwise complex conjugate of `x` (stored values).")


# ------------------------------------------------------------------------------ products


class TrueDot(_SparseOp):
    """Sparse x (sparse or dense) y with a sparse result."""

    __props__ = ()

    def __init__(self, grad_preserves_dense=True):
        self.grad_preserves_dense = grad_preserves_dense

    def make_node(self, x, y):
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("true_dot: x and y need the same dtype")
        if not _is_sparse_variable(x):
            raise TypeError(x)
        if x.type.format in ("csc", "coo"):
            myformat = "csc"
        elif x.type.format == "csr":
            myformat = "csr"
        else:
            raise NotImplementedError(f"true_dot: format {x.type.format}")
        return Apply(self, [x, y], [SparseType(dtype=x.type.dtype, format=myformat)()])

    def compute(self, node, xp, sp, x, y):
        rval = x.dot(y)
        fmt = node.outputs[0].type.format
        if not _is_sparse_value(rval):
            rval = getattr(sp, f"{fmt}_matrix")(xp.asarray(rval))
        rval = rval.asformat(fmt)
        return rval.astype(node.outputs[0].type.dtype, copy=False)

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        rval = [true_dot(gz, y.T), true_dot(x.T, gz)]
        if _is_dense_variable(y) and self.grad_preserves_dense:
            rval[1] = dense_from_sparse(rval[1])
        return rval

    def infer_shape(self, node, shapes):
        return [(shapes[0][0], shapes[1][1])]


def true_dot(x, y, grad_preserves_dense=True):
    """x . y with a sparse result (one of them sparse)."""
    if hasattr(x, "getnnz"):
        x = as_sparse_variable(x)
    if hasattr(y, "getnnz"):
        y = as_sparse_variable(y)
    x_sp, y_sp = _is_sparse_variable(x), _is_sparse_variable(y)
    if not x_sp and not y_sp:
        raise TypeError("true_dot needs at least one sparse argument")
    if x_sp:
        return TrueDot(grad_preserves_dense)(x, y)
    return transpose(TrueDot(grad_preserves_dense)(y.T, x.T))


class StructuredDot(_SparseOp):
    """Sparse a . b (b sparse or dense); the gradient wrt a is structured."""

    __props__ = ()

    def make_node(self, a, b):
        a = as_sparse_variable(a)
        if not _is_sparse_variable(a):
            raise TypeError("First argument must be of type SparseVariable or SparseConstant")
        if not isinstance(b, Variable):
            b = tensor.as_tensor_variable(b)
        dtype_out = scalar.upcast(a.type.dtype, b.type.dtype)
        if b.type.ndim != 2:
            raise NotImplementedError(
                f"non-matrix b: structured_dot takes a matrix b (got ndim {b.type.ndim}), as "
                "in Theano; make a vector a column with b.dimshuffle(0, 'x')")
        if _is_sparse_variable(b):
            return Apply(self, [a, b], [SparseType(a.type.format, dtype_out)()])
        return Apply(self, [a, b], [tensor.tensor(dtype_out,
                                                  (False, b.type.broadcastable[1]))])

    def compute(self, node, xp, sp, a, b):
        if a.shape[1] != b.shape[0]:
            raise ValueError("shape mismatch in StructuredDot.perform", (a.shape, b.shape))
        out_type = node.outputs[0].type
        result = a @ b
        if isinstance(out_type, SparseType):
            return result.asformat(out_type.format).astype(out_type.dtype, copy=False)
        return xp.asarray(result, dtype=out_type.dtype)

    def grad(self, inputs, gout):
        (a, b) = inputs
        (g_out,) = gout
        return [structured_dot_grad(a, b, g_out), structured_dot(a.T, g_out)]

    def infer_shape(self, node, shapes):
        return [(shapes[0][0], shapes[1][1])]


_structured_dot = StructuredDot()


def structured_dot(x, y):
    """x . y with one of them sparse; the gradient wrt the sparse one is structured."""
    if hasattr(x, "getnnz"):
        x = as_sparse_variable(x)
    if hasattr(y, "getnnz"):
        y = as_sparse_variable(y)
    x_sp, y_sp = _is_sparse_variable(x), _is_sparse_variable(y)
    if not x_sp and not y_sp:
        raise TypeError("structured_dot requires at least one sparse argument")
    if x_sp:
        return _structured_dot(x, y)
    return _structured_dot(y.T, x.T).T


def _sdg_values(xp, major, minor, b, g_ab):
    # g_a[i, j] = g_ab[i, :] . b[j, :] at each stored (i, j).
    if _is_sparse_value(g_ab):
        g_ab = g_ab.toarray()
    if _is_sparse_value(b):
        b = b.toarray()
    b = xp.asarray(b)
    g_ab = xp.asarray(g_ab)
    return xp.einsum("ij,ij->i", g_ab[major], b[minor])


class _StructuredDotGrad(_SparseOp):
    """The data of the structured gradient of a compressed matrix `a` in a . b: the
    gradient at each stored entry only.  `by_rows`: the matrix is csr (its index pointer
    runs over rows), else csc."""

    __props__ = ()
    by_rows = None

    def make_node(self, a_indices, a_indptr, b, g_ab):
        return Apply(self, [a_indices, a_indptr, b, g_ab],
                     [tensor.tensor(g_ab.dtype, (False,))])

    def compute(self, node, xp, sp, a_indices, a_indptr, b, g_ab):
        majors = _major_indices(xp, a_indptr)
        minors = a_indices[:len(majors)]
        rows, cols = (majors, minors) if self.by_rows else (minors, majors)
        return _sdg_values(xp, rows, cols, b, g_ab).astype(node.outputs[0].dtype)

    def infer_shape(self, node, shapes):
        return [shapes[0]]


class StructuredDotGradCSC(_StructuredDotGrad):
    """The data of the structured gradient of a csc matrix in a . b."""

    by_rows = False


sdg_csc = StructuredDotGradCSC()


class StructuredDotGradCSR(_StructuredDotGrad):
    """The data of the structured gradient of a csr matrix in a . b."""

    by_rows = True


sdg_csr = StructuredDotGradCSR()


def structured_dot_grad(sparse_A, dense_B, ga):  # noqa: N803 - Theano's names
    """The structured gradient of sparse_A in sparse_A . dense_B, given ga (a sparse
    matrix of sparse_A's pattern)."""
    if sparse_A.type.format not in ("csc", "csr"):
        raise NotImplementedError(f"structured_dot_grad: format {sparse_A.type.format}")
    sdgcsx, csx = (sdg_csc, CSC) if sparse_A.type.format == "csc" else (sdg_csr, CSR)
    g_A_data = sdgcsx(csm_indices(sparse_A), csm_indptr(sparse_A), dense_B, ga)  # noqa: N806
    return csx(g_A_data, csm_indices(sparse_A), csm_indptr(sparse_A), csm_shape(sparse_A))


class Dot(_SparseOp):
    """x . y with one of them sparse: a dense result, dense gradients."""

    __props__ = ()

    def __str__(self):
        return "Sparse" + type(self).__name__

    def infer_shape(self, node, shapes):
        xshp, yshp = shapes
        x, y = node.inputs
        if x.ndim == 2 and y.ndim == 2:
            return [(xshp[0], yshp[1])]
        if x.ndim == 1 and y.ndim == 2:
            return [(yshp[1],)]
        if x.ndim == 2 and y.ndim == 1:
            return [(xshp[0],)]
        return [()]

    def make_node(self, x, y):
        if isinstance(x, scipy.sparse.spmatrix):
            x = as_sparse_variable(x)
        if isinstance(y, scipy.sparse.spmatrix):
            y = as_sparse_variable(y)
        x_sp = isinstance(x, Variable) and _is_sparse_variable(x)
        y_sp = isinstance(y, Variable) and _is_sparse_variable(y)
        if not x_sp and not y_sp:
            raise TypeError("Sparse dot product should have at least one sparse variable as "
                            f"inputs, but the inputs are {x} ({getattr(x, 'type', None)}) "
                            f"and {y} ({getattr(y, 'type', None)}).")
        if x_sp:
            broadcast_x = (False,) * x.ndim
        else:
            x = tensor.as_tensor_variable(x)
            broadcast_x = x.type.broadcastable
            if x.ndim not in (1, 2):
                raise TypeError("theano.sparse.Dot: input 0 (0-indexed) must have ndim of 1 "
                                f"or 2, {x.ndim} given.")
        if y_sp:
            broadcast_y = (False,) * y.ndim
        else:
            y = tensor.as_tensor_variable(y)
            broadcast_y = y.type.broadcastable
            if y.ndim not in (1, 2):
                raise TypeError("theano.sparse.Dot: input 1 (1-indexed) must have ndim of 1 "
                                f"or 2, {y.ndim} given.")
        dtype_out = scalar.upcast(x.dtype, y.dtype)
        if len(broadcast_y) == 2:
            broadcast_out = broadcast_x[:-1] + broadcast_y[1:]
        else:
            broadcast_out = broadcast_x[:-1]
        return Apply(self, [x, y], [tensor.tensor(dtype=dtype_out,
                                                  broadcastable=broadcast_out)])

    def compute(self, node, xp, sp, x, y):
        if not _is_sparse_value(x) and not _is_sparse_value(y):
            raise TypeError(x)
        return _dense(xp, _matmul(xp, x, y), node.outputs[0].dtype)

    def grad(self, inputs, gout):
        (x, y) = inputs
        (gz,) = gout
        rval = [tensor.dot(gz, y.T) if _is_dense_variable(y) else dot(gz, y.T),
                tensor.dot(x.T, gz) if _is_dense_variable(x) else dot(x.T, gz)]
        return rval


_dot = Dot()


def dot(x, y):
    """x . y with at least one sparse operand: a dense result (dense gradients)."""
    if hasattr(x, "getnnz"):
        x = as_sparse_variable(x)
    if hasattr(y, "getnnz"):
        y = as_sparse_variable(y)
    x_sp = isinstance(x, Variable) and _is_sparse_variable(x)
    y_sp = isinstance(y, Variable) and _is_sparse_variable(y)
    if not x_sp and not y_sp:
        raise TypeError("theano.sparse.dot needs at least one sparse argument")
    return _dot(x, y)


# ------------------------------------------------------------------------------ indexing


class GetItemList(_SparseOp):
    """x[index_list]: the listed rows of a sparse matrix."""

    __props__ = ()

    def infer_shape(self, node, shapes):
        return [(shapes[1][0], shapes[0][1])]

    def make_node(self, x, index):
        x = _as_csx(x)
        ind = tensor.as_tensor_variable(index)
        assert ind.ndim == 1 and ind.dtype in integer_dtypes
        return Apply(self, [x, ind], [x.type()])

    def compute(self, node, xp, sp, x, indices):
        return x[indices]

    def grad(self, inputs, g_outputs):
        x, indices = inputs
        (gout,) = g_outputs
        return [get_item_list_grad(x, indices, gout),
                grad_undefined(self, 1, indices, "No gradient for this input")]


get_item_list = GetItemList()


class GetItemListGrad(Op):
    """The gradient of GetItemList: gz's rows written at the listed rows."""

    __props__ = ()
    host_only = True  # scipy's lil_matrix (no cupyx equivalent): on the host on a GPU

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def make_node(self, x, index, gz):
        x = as_sparse_variable(x)
        gz = as_sparse_variable(gz)
        assert x.format in ["csr", "csc"] and gz.format in ["csr", "csc"]
        ind = tensor.as_tensor_variable(index)
        return Apply(self, [x, ind, gz], [x.type()])

    def perform(self, node, inp, outputs, params=None):
        x, indices, gz = inp
        y = scipy.sparse.lil_matrix(x.shape, dtype=node.outputs[0].dtype)
        gz = gz.tolil()
        for a in range(len(indices)):
            y[indices[a]] = gz[a]
        outputs[0][0] = y.asformat(x.format)


get_item_list_grad = GetItemListGrad()


class GetItem2Lists(Op):
    """x[ind1, ind2]: a dense vector of the listed entries."""

    __props__ = ()
    host_only = True  # scipy's fancy indexing on both axes: on the host on a GPU

    def make_node(self, x, ind1, ind2):
        x = _as_csx(x)
        ind1 = tensor.as_tensor_variable(ind1)
        ind2 = tensor.as_tensor_variable(ind2)
        assert ind1.dtype in integer_dtypes and ind2.dtype in integer_dtypes
        return Apply(self, [x, ind1, ind2], [tensor.vector(dtype=x.dtype)])

    def perform(self, node, inp, outputs, params=None):
        x, ind1, ind2 = inp
        outputs[0][0] = np.asarray(x[ind1, ind2], dtype=x.dtype).flatten()

    def grad(self, inputs, g_outputs):
        x, ind1, ind2 = inputs
        (gout,) = g_outputs
        return [get_item_2lists_grad(x, ind1, ind2, gout),
                grad_undefined(self, 1, ind1, "No gradient for this input"),
                grad_undefined(self, 1, ind2, "No gradient for this input")]


get_item_2lists = GetItem2Lists()


class GetItem2ListsGrad(Op):
    """The gradient of GetItem2Lists: gz written at the listed entries."""

    __props__ = ()
    host_only = True  # scipy's lil_matrix: on the host on a GPU

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def make_node(self, x, ind1, ind2, gz):
        x = _as_csx(x)
        ind1 = tensor.as_tensor_variable(ind1)
        ind2 = tensor.as_tensor_variable(ind2)
        return Apply(self, [x, ind1, ind2, gz], [x.type()])

    def perform(self, node, inp, outputs, params=None):
        x, ind1, ind2, gz = inp
        y = scipy.sparse.lil_matrix(x.shape, dtype=node.outputs[0].dtype)
        for z in range(len(ind1)):
            y[ind1[z], ind2[z]] = gz[z]
        outputs[0][0] = y.asformat(x.format)


get_item_2lists_grad = GetItem2ListsGrad()


def _index(value):
    """A slice bound as a Python int (None stays None)."""
    return None if value is None else int(value)


def _slice_part(value, what):
    if value is None:
        return _generic_none
    if not isinstance(value, Variable):
        value = tensor.as_tensor_variable(value)
    if not (value.ndim == 0 and value.dtype in tensor.discrete_dtypes):
        raise ValueError(f"Impossible to index into a sparse matrix with slice where "
                         f"{what}={value}", value.ndim, value.dtype)
    return value


class GetItem2d(_SparseOp):
    """x[a:b, c:d] (slices, steps allowed): a sparse matrix."""

    __props__ = ()
    host_inputs = (1, 2, 3, 4, 5, 6)  # the slice bounds: host numbers

    def make_node(self, x, index):
        x = _as_csx(x)
        assert len(index) in [1, 2]
        input_op = [x]
        for ind in index:
            if isinstance(ind, slice):
                step = _generic_none if ind.step in (None, 1) else _slice_part(ind.step,
                                                                               "step")
                input_op += [_slice_part(ind.start, "start"), _slice_part(ind.stop, "stop"),
                             step]
            elif (isinstance(ind, Variable) and getattr(ind, "ndim", -1) == 0) or \
                    np.isscalar(ind):
                raise NotImplementedError("Theano has no sparse vectorUse X[a:b, c:d], "
                                          "X[a:b, c:c+1] or X[a:b] instead.")
            else:
                raise ValueError("Advanced indexing is not implemented for sparse matrices. "
                                 f"Argument not supported: {ind}")
        if len(index) == 1:
            input_op += [_generic_none, _generic_none, _generic_none]
        return Apply(self, input_op, [x.type()])

    def compute(self, node, xp, sp, x, start1, stop1, step1, start2, stop2, step2):
        out = x[_index(start1):_index(stop1):_index(step1),
                _index(start2):_index(stop2):_index(step2)]
        return out.copy() if out is x else out  # cupyx returns x itself for full slices


get_item_2d = GetItem2d()


class GetItemScalar(_SparseOp):
    """x[i, j] of a sparse matrix: a dense scalar."""

    __props__ = ()
    host_inputs = (1, 2)  # the indices: host numbers

    def infer_shape(self, node, shapes):
        return [()]

    def make_node(self, x, index):
        x = _as_csx(x)
        assert len(index) == 2
        input_op = [x]
        for ind in index:
            if isinstance(ind, slice):
                raise Exception("GetItemScalar called with a slice as index!")
            if isinstance(ind, (int, np.integer)):
                input_op.append(tensor.constant(ind))
            elif getattr(ind, "ndim", None) == 0:
                input_op.append(ind)
            else:
                raise NotImplementedError("GetItemScalar: the indices must be two scalars")
        return Apply(self, input_op, [tensor.scalar(dtype=x.dtype)])

    def compute(self, node, xp, sp, x, ind1, ind2):
        return xp.asarray(x[int(ind1), int(ind2)], dtype=x.dtype)


get_item_scalar = GetItemScalar()


def _getitem(self, args):
    if not isinstance(args, tuple):
        args = (args,)
    if len(args) == 2:
        scalar_1 = np.isscalar(args[0]) or getattr(args[0], "type", None) == tensor.iscalar
        scalar_2 = np.isscalar(args[1]) or getattr(args[1], "type", None) == tensor.iscalar
        if scalar_1 and scalar_2:
            return get_item_scalar(self, args)
        if isinstance(args[0], list):
            return get_item_2lists(self, args[0], args[1])
        return get_item_2d(self, args)
    if isinstance(args[0], list):
        return get_item_list(self, args[0])
    return get_item_2d(self, args)


_sparse_py_operators.__getitem__ = _getitem


# -------------------------------------------------------------------- diagonal and stacks


class Diag(_SparseOp):
    """The diagonal of a square sparse matrix (a dense vector)."""

    __props__ = ()

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [tensor.tensor(broadcastable=(False,), dtype=x.dtype)])

    def compute(self, node, xp, sp, x):
        n, m = x.shape
        if n != m:
            raise ValueError("Diag only apply on square matrix")
        return x.diagonal()

    def grad(self, inputs, gout):
        return [square_diagonal(gout[0])]

    def infer_shape(self, nodes, shapes):
        return [(tensor.minimum(*shapes[0]),)]


diag = Diag()


class SquareDiagonal(_SparseOp):
    """The square csc matrix with the vector `diag` on its diagonal."""

    __props__ = ()

    def make_node(self, diag):
        diag = tensor.as_tensor_variable(diag)
        if diag.type.ndim != 1:
            raise TypeError("data argument must be a vector", diag.type)
        return Apply(self, [diag], [SparseType(dtype=diag.dtype, format="csc")()])

    def compute(self, node, xp, sp, d):
        n = len(d)
        return sp.csc_matrix((d[:n], xp.arange(n, dtype="int32"),
                              xp.arange(n + 1, dtype="int32")), shape=(n, n), copy=True)

    def grad(self, inputs, gout):
        return [diag(gout[0])]

    def infer_shape(self, nodes, shapes):
        return [(shapes[0][0], shapes[0][0])]


square_diagonal = SquareDiagonal()


class EnsureSortedIndices(_SparseOp):
    """The same matrix with sorted indices within each row (csr) or column (csc)."""

    __props__ = ("inplace",)

    def __init__(self, inplace):
        self.inplace = inplace
        if self.inplace:
            self.view_map = {0: [0]}

    def make_node(self, x):
        x = _as_csx(x)
        return Apply(self, [x], [x.type()])

    def compute(self, node, xp, sp, x):
        if self.inplace:
            x.sort_indices()
            return x
        return x.sorted_indices()

    def grad(self, inputs, output_grad):
        return [output_grad[0]]

    def infer_shape(self, node, i0_shapes):
        return i0_shapes

    def __str__(self):
        return type(self).__name__ + ("{inplace}" if self.inplace else "{no_inplace}")


ensure_sorted_indices = EnsureSortedIndices(inplace=False)


def clean(x):
    """Remove the stored zeros and sort the indices of sparse `x`."""
    return ensure_sorted_indices(remove0(x))


class StructuredAddSV(_SparseOp):
    """Add the vector y (broadcast over rows) to the stored values of x only."""

    __props__ = ()

    def make_node(self, x, y):
        x = _as_csx(x)
        y = tensor.as_tensor_variable(y)
        assert y.type.ndim == 1
        if x.type.dtype != y.type.dtype:
            raise NotImplementedError("structured_add_s_v: x and y need the same dtype")
        return Apply(self, [x, y], [SparseType(dtype=x.type.dtype, format=x.type.format)()])

    def compute(self, node, xp, sp, x, y):
        if x.shape[1] != y.shape[0]:
            raise ValueError("structured_add_s_v: shapes do not match", x.shape, y.shape)
        z = x.copy()
        _, cols = _rows_cols(xp, z)
        z.data = z.data + y[cols]
        z.eliminate_zeros()  # as Theano's rebuild from the dense sum
        return z

    def grad(self, inputs, gout):
        (gz,) = gout
        return gz, sp_sum(gz, axis=0, sparse_grad=True)

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[0]]


structured_add_s_v = StructuredAddSV()


class _ComparisonOp(_SparseOp):
    """Elementwise comparison of a sparse x and y of one shape; ``_result`` gives the
    uint8 output from ``comparison(x, y)``."""

    __props__ = ()

    def comparison(self, x, y):
        raise NotImplementedError("comparison is defined by each subclass")

    def compute(self, node, xp, sp, x, y):
        if x.shape != y.shape:
            raise ValueError("shapes differ", x.shape, y.shape)
        if xp is not np:  # on the device: the dense comparison (cupyx has no sparse one)
            return self.comparison(x.toarray(), y).astype("uint8")
        return self._result(x, self.comparison(x, y))

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[0]]


class _ComparisonOpSS(_ComparisonOp):
    """Elementwise comparison of two sparse matrices: a uint8 sparse result."""

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), as_sparse_variable(y)
        if x.type.format != y.type.format:
            raise NotImplementedError("sparse comparisons need two matrices of one format")
        return Apply(self, [x, y], [SparseType(dtype="uint8", format=x.type.format)()])

    def _result(self, x, o):
        return scipy.sparse.csr_matrix(o).asformat(x.format).astype("uint8")


class _ComparisonOpSD(_ComparisonOp):
    """Elementwise comparison of a sparse and a dense matrix: a uint8 dense result."""

    def make_node(self, x, y):
        x, y = as_sparse_variable(x), tensor.as_tensor_variable(y)
        assert y.type.ndim == 2
        return Apply(self, [x, y], [tensor.TensorType(dtype="uint8",
                                                      broadcastable=(False, False))()])

    def _result(self, x, o):
        if scipy.sparse.issparse(o):
            o = o.toarray()
        return np.asarray(o).astype("uint8")


def _comparison_switch(ss, sd, ds):
    def helper(x, y):
        return _sparse_dispatch(x, y, ss, sd, ds,
                                "a sparse comparison needs at least one sparse argument")
    return helper


def _comparison_classes(name, fn):
    ss = type(name + "SS", (_ComparisonOpSS,), {"comparison": lambda self, x, y: fn(x, y)})
    sd = type(name + "SD", (_ComparisonOpSD,), {"comparison": lambda self, x, y: fn(x, y)})
    ss.__module__ = sd.__module__ = "theano.sparse.basic"
    return ss, sd


EqualSS, EqualSD = _comparison_classes("Equal", lambda x, y: x == y)
NotEqualSS, NotEqualSD = _comparison_classes("NotEqual", lambda x, y: x != y)
LessThanSS, LessThanSD = _comparison_classes("LessThan", lambda x, y: x < y)
GreaterThanSS, GreaterThanSD = _comparison_classes("GreaterThan", lambda x, y: x > y)
LessEqualSS, LessEqualSD = _comparison_classes("LessEqual", lambda x, y: x <= y)
GreaterEqualSS, GreaterEqualSD = _comparison_classes("GreaterEqual", lambda x, y: x >= y)
equal_s_s, equal_s_d = EqualSS(), EqualSD()
not_equal_s_s, not_equal_s_d = NotEqualSS(), NotEqualSD()
less_than_s_s, less_than_s_d = LessThanSS(), LessThanSD()
greater_than_s_s, greater_than_s_d = GreaterThanSS(), GreaterThanSD()
less_equal_s_s, less_equal_s_d = LessEqualSS(), LessEqualSD()
greater_equal_s_s, greater_equal_s_d = GreaterEqualSS(), GreaterEqualSD()

eq = _comparison_switch(equal_s_s, equal_s_d, equal_s_d)
neq = _comparison_switch(not_equal_s_s, not_equal_s_d, not_equal_s_d)
lt = _comparison_switch(less_than_s_s, less_than_s_d, greater_than_s_d)
gt = _comparison_switch(greater_than_s_s, greater_than_s_d, less_than_s_d)
le = _comparison_switch(less_equal_s_s, less_equal_s_d, greater_equal_s_d)
ge = _comparison_switch(greater_equal_s_s, greater_equal_s_d, less_equal_s_d)

_sparse_py_operators.__lt__ = lambda self, other: lt(self, other)
_sparse_py_operators.__le__ = lambda self, other: le(self, other)
_sparse_py_operators.__gt__ = lambda self, other: gt(self, other)
_sparse_py_operators.__ge__ = lambda self, other: ge(self, other)


class HStack(_SparseOp):
    """Join sparse matrices along columns (output `format`, default csc, and `dtype`)."""

    __props__ = ("format", "dtype")

    def __init__(self, format=None, dtype=None):
        self.format = "csc" if format is None else format
        if dtype is None:
            raise ValueError("The output dtype must be specified.")
        self.dtype = dtype

    def make_node(self, *mat):
        if not mat:
            raise ValueError("Cannot join an empty list of sparses.")
        var = [as_sparse_variable(x) for x in mat]
        for x in var:
            assert x.format in ["csr", "csc"]
        return Apply(self, var, [SparseType(dtype=self.dtype, format=self.format)()])

    _stack = "hstack"
    _axis = 1

    def compute(self, node, xp, sp, *block):
        out = getattr(sp, self._stack)(list(block), format=self.format, dtype=self.dtype)
        return out if out.dtype == self.dtype else out.astype(self.dtype)

    def grad(self, inputs, gout):
        (gz,) = gout
        if _is_sparse_variable(gz):
            gz = dense_from_sparse(gz)
        split = tensor.Split(len(inputs))(gz, self._axis,
                                          tensor.stack([x.shape[self._axis]
                                                        for x in inputs]))
        if not isinstance(split, list):
            split = [split]
        return [SparseFromDense(self.format)(s) if i.dtype in tensor.continuous_dtypes
                else None for i, s in zip(inputs, split)]

    def infer_shape(self, node, ins_shapes):
        return [(ins_shapes[0][0], sum(s[1] for s in ins_shapes))]

    def __str__(self):
        return f"{type(self).__name__}({self.format},{self.dtype})"


def hstack(blocks, format=None, dtype=None):
    """Stack sparse matrices horizontally."""
    blocks = [as_sparse_variable(i) for i in blocks]
    if dtype is None:
        dtype = scalar.upcast(*[i.dtype for i in blocks])
    return HStack(format=format, dtype=dtype)(*blocks)


class VStack(HStack):
    """Join sparse matrices along rows."""

    _stack = "vstack"
    _axis = 0

    def infer_shape(self, node, ins_shapes):
        return [(sum(s[0] for s in ins_shapes), ins_shapes[0][1])]


def vstack(blocks, format=None, dtype=None):
    """Stack sparse matrices vertically."""
    blocks = [as_sparse_variable(i) for i in blocks]
    if dtype is None:
        dtype = scalar.upcast(*[i.dtype for i in blocks])
    return VStack(format=format, dtype=dtype)(*blocks)


class SamplingDot(_SparseOp):
    """p * (x . y.T) computed at p's stored positions only (x, y dense, p sparse)."""

    __props__ = ()

    def make_node(self, x, y, p):
        x = tensor.as_tensor_variable(x)
        y = tensor.as_tensor_variable(y)
        p = as_sparse_variable(p)
        assert p.format in ["csr", "csc"]
        return Apply(self, [x, y, p], [p.type()])

    def compute(self, node, xp, sp, x, y, p):
        if _is_sparse_value(x) or _is_sparse_value(y):
            raise TypeError("sampling_dot: x and y must be dense")
        if not _is_sparse_value(p):
            raise TypeError(p)
        coo = p.tocoo()
        vals = coo.data * xp.einsum("ij,ij->i", x[coo.row], y[coo.col])
        out = sp.coo_matrix((vals.astype(node.outputs[0].dtype), (coo.row, coo.col)),
                            shape=p.shape)
        return out.asformat(p.format)

    def grad(self, inputs, gout):
        (x, y, p) = inputs
        (gz,) = gout
        return [dot(p * gz, y), dot((p * gz).T, x), grad_not_implemented(self, 2, p)]

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[2]]


sampling_dot = SamplingDot()


class Usmm(_SparseOp):
    """alpha * (x . y) + z with x or y sparse (a dense result)."""

    __props__ = ()

    def __str__(self):
        return "Usmm{no_inplace}"

    def make_node(self, alpha, x, y, z):
        if not _is_sparse_variable(x) and not _is_sparse_variable(y):
            raise TypeError(x)
        alpha = tensor.as_tensor_variable(alpha)
        z = tensor.as_tensor_variable(z)
        dtype_out = scalar.upcast(alpha.type.dtype, x.type.dtype, y.type.dtype, z.type.dtype)
        assert z.ndim == 2
        assert alpha.type.broadcastable == (True,) * alpha.ndim
        if not _is_sparse_variable(x):
            x = tensor.as_tensor_variable(x)
            assert x.ndim == 2
        if not _is_sparse_variable(y):
            y = tensor.as_tensor_variable(y)
            assert y.ndim == 2
        return Apply(self, [alpha, x, y, z],
                     [tensor.tensor(dtype=dtype_out, broadcastable=(False, False))])

    def compute(self, node, xp, sp, alpha, x, y, z):
        if not _is_sparse_value(x) and not _is_sparse_value(y):
            raise TypeError(x)
        rval = _dense(xp, _matmul(xp, x, y), None) * alpha + z
        return xp.asarray(rval, dtype=node.outputs[0].dtype)


usmm = Usmm()


class ConstructSparseFromList(_SparseOp):
    """A csc matrix of x's shape holding `values` at the rows `ilist` (the gradient of
    advanced indexing with sparse_grad)."""

    __props__ = ()
    host_inputs = (0,)  # the shape

    def make_node(self, x, values, ilist):
        x_ = tensor.as_tensor_variable(x)
        values_ = tensor.as_tensor_variable(values)
        ilist_ = tensor.as_tensor_variable(ilist)
        if ilist_.type.dtype not in integer_dtypes:
            raise TypeError("index must be integers")
        if ilist_.type.ndim != 1:
            raise TypeError("index must be vector")
        if x_.type.ndim != 2:
            raise TypeError(f"cannot create a sparse matrix with {x_.type.ndim} dimensions")
        if values_.type.ndim != 2:
            raise TypeError(f"cannot create a sparse matrix from values with "
                            f"{values_.type.ndim} ndim")
        return Apply(self, [x_.shape, values_, ilist_], [csc_matrix(dtype=x_.dtype)])

    def compute(self, node, xp, sp, out_shape, values, ilist):
        rows, cols = values.shape
        assert rows == len(ilist)
        indptr = xp.arange(cols + 1) * rows
        indices = xp.tile(xp.asarray(ilist), cols)
        data = values.T.flatten()
        return sp.csc_matrix((data, indices, indptr), shape=tuple(int(s) for s in out_shape),
                             dtype=node.outputs[0].dtype)

    def infer_shape(self, node, ishapes):
        x = node.inputs[0]
        return [[x[0], x[1]]]

    def R_op(self, inputs, eval_points):
        if None in eval_points[:2]:
            return [None]
        return self.make_node(eval_points[0], eval_points[1], *inputs[2:]).outputs

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, grads):
        (g_output,) = grads
        idx_list = inputs[2:]
        gy = tensor.advanced_subtensor1(g_output, *idx_list)
        return [g_output, gy] + [DisconnectedType()()] * len(idx_list)


construct_sparse_from_list = ConstructSparseFromList()
# The gradient of AdvancedSubtensor1(sparse_grad=True) (tensor layer) builds it.
hooks.construct_sparse_from_list.fill(construct_sparse_from_list)

for _cls in (GetItemList, GetItemListGrad, GetItem2Lists, GetItem2ListsGrad, GetItem2d,
             GetItemScalar, Diag, SquareDiagonal, EnsureSortedIndices, StructuredAddSV,
             HStack, VStack, SamplingDot, Usmm, ConstructSparseFromList):
    _cls.__module__ = "theano.sparse.basic"


# ---------------------------------------------------------------------- gradient check


def verify_grad_sparse(op, pt, structured=False, *args, **kwargs):
    """verify_grad for functions of sparse matrices (Theano's test helper).

    Each scipy.sparse point of `pt` is checked through its dense matrix (structured=False:
    every entry is moved) or through its stored values only (structured=True: the other
    entries stay zero, the gradient checked is the structured one); the other arguments
    go to ``theano.gradient.verify_grad`` (an rng is made when none is given).
    """
    iconv, dpt = [], []
    for p in pt:
        if scipy.sparse.issparse(p):
            if p.format not in ("csr", "csc"):
                raise NotImplementedError(f"No conv for {p.format}")
            if structured:
                dpt.append(p.data)
                ctor = CSR if p.format == "csr" else CSC
                iconv.append(lambda d, c=ctor, i=p.indices[:p.size], ptr=p.indptr,
                             shp=p.shape: c(d, i, ptr, shp))
            else:
                dpt.append(p.toarray())
                iconv.append(csr_from_dense if p.format == "csr" else csc_from_dense)
        else:
            dpt.append(p)
            iconv.append(lambda v: v)
    output = op(*[as_sparse_or_tensor_variable(p) for p in pt])
    if isinstance(output, (list, tuple)):
        raise NotImplementedError("verify_grad can't deal with multiple outputs")
    oconv = DenseFromSparse(structured=structured) if _is_sparse_variable(output) \
        else (lambda v: v)

    def conv_op(*inputs):
        return oconv(op(*[conv(i) for i, conv in zip(inputs, iconv)]))

    if len(args) < 2 and "rng" not in kwargs:
        kwargs["rng"] = np.random.RandomState(42)
    return verify_grad(conv_op, dpt, *args, **kwargs)


verify_grad_sparse.E_grad = verify_grad.E_grad


for _cls in (SparseVariable, SparseConstant, SparseConstantSignature, _sparse_py_operators,
             CSMProperties, CSM, CSMGrad, Cast, DenseFromSparse, SparseFromDense, Transpose,
             Neg, ColScaleCSC, RowScaleCSC, SpSum, Remove0, AddSS, AddSSData, AddSD, MulSS,
             MulSD, MulSV, TrueDot, StructuredDot, StructuredDotGradCSC,
             StructuredDotGradCSR, Dot):
    _cls.__module__ = "theano.sparse.basic"
del _cls


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
