"""Rewrites of sparse graphs (Theano's ``theano.sparse.opt``) and the Ops they introduce.

Theano's versions of these Ops had C implementations; here they run NumPy/SciPy code with
the same inputs, outputs and results.
"""

from __future__ import annotations

import numpy as np  # noqa: F401 - a name of Theano's module
import scipy.sparse  # noqa: F401 - a name of Theano's module

from .. import scalar, tensor
from ..graph.basic import Apply
from ..graph.op import Op  # noqa: F401
from ..graph.optdb import optdb
from ..config import config
from ..graph.optimizers import PatternSub, TopoOptimizer, local_optimizer
from ..tensor.opt import register_canonicalize, register_specialize
from ..tensor import blas  # noqa: F401 - a name of Theano's module
from ..utils import lazy_names
from . import basic as sparse
from .basic import (CSC, CSM, CSR, CSMGrad, CSMProperties, StructuredDot,  # noqa: F401
                    _major_indices, _SparseOp, csm_data, csm_grad, csm_indices, csm_indptr,
                    csm_properties, csm_shape, usmm)

_is_sparse_variable = sparse._is_sparse_variable
_is_dense = sparse._is_dense


@register_specialize
@local_optimizer([CSMProperties])
def local_csm_properties_csm(node):
    """csm_properties(CSM(data, indices, indptr, shape)) -> (data, indices, indptr, shape)."""
    if node.op == csm_properties:
        (csm,) = node.inputs
        if csm.owner and isinstance(csm.owner.op, CSM):
            return list(csm.owner.inputs)
    return False


@local_optimizer([sparse.Remove0])
def local_inplace_remove0(node):
    """Remove0 -> its inplace version (registered in fast_run, inplace).

    On an intermediate result, or on a graph input the caller lets the function
    overwrite (``In(mutable=True)``, or an updated shared variable: an input that the
    graph's Supervisor does not protect, as in Theano).  The caller's matrix of any other
    input is never modified."""
    if not isinstance(node.op, sparse.Remove0) or node.op.inplace:
        return False
    x = node.inputs[0]
    if x.owner is None and not _overwritable_input(getattr(node, "fgraph", None), x):
        return False
    return [node.op.__class__(inplace=True)(*node.inputs)]


def _overwritable_input(fgraph, var):
    """Whether graph input `var` is one a rewrite may overwrite: an input of `fgraph`
    that a Supervisor feature of the graph leaves unprotected (compile/ attaches one
    when some input is mutable)."""
    if fgraph is None or not any(var is i for i in getattr(fgraph, "inputs", ())):
        return False
    supervisors = [f for f in getattr(fgraph, "_features", ())
                   if hasattr(f, "protected")]
    return bool(supervisors) and all(
        not any(var is p for p in f.protected) for f in supervisors)


optdb.register("local_inplace_remove0",
               TopoOptimizer(local_inplace_remove0,
                             failure_callback=TopoOptimizer.warn_inplace),
               60, "fast_run", "inplace")


class AddSD_ccode(_SparseOp):  # noqa: N801 - Theano's name
    """x + y for a sparse x given as (data, indices, indptr) and a dense y (Theano's C
    version of AddSD; the same values here), `inplace` writing into y."""

    __props__ = ("format", "inplace")
    sparse_data_inputs = (0,)

    def __init__(self, format, inplace=False):
        self.inplace = inplace
        self.format = format
        if self.inplace:
            self.destroy_map = {0: [3]}

    def __str__(self):
        return "%s{%s%s}" % (type(self).__name__, self.format,
                             ",inplace" if self.inplace else "")

    def make_node(self, x, y):
        x, y = sparse.as_sparse_variable(x), tensor.as_tensor_variable(y)
        out_dtype = scalar.upcast(x.type.dtype, y.type.dtype)
        if self.inplace:
            assert out_dtype == y.dtype
        indices, indptr, data = sparse.csm_indices(x), sparse.csm_indptr(x), \
            sparse.csm_data(x)
        return Apply(self, [data, indices, indptr, y],
                     [tensor.TensorType(dtype=out_dtype,
                                        broadcastable=y.type.broadcastable)()])

    def compute(self, node, xp, sp, data, indices, indptr, y):
        cls = sp.csc_matrix if self.format == "csc" else sp.csr_matrix
        x = cls((data, indices, indptr), shape=y.shape)
        out = xp.asarray(x + y, dtype=node.outputs[0].type.dtype)
        if self.inplace:
            y[...] = out
            out = y
        return out

    def infer_shape(self, node, shapes):
        return [shapes[3]]


@register_canonicalize("fast_compile")
@register_specialize
@local_optimizer([sparse.DenseFromSparse])
def local_dense_from_sparse_sparse_from_dense(node):
    """dense_from_sparse(sparse_from_dense(x)) -> x."""
    if isinstance(node.op, sparse.DenseFromSparse):
        inp = node.inputs[0]
        if inp.owner and isinstance(inp.owner.op, sparse.SparseFromDense):
            return inp.owner.inputs
    return False


def _structured_dot_arrays_node(op, inputs):
    """The Apply of `op` on (a_val, ..., b): a dense matrix of a_val's and b's upcast dtype."""
    a_val, b = inputs[0], inputs[-1]
    dtype_out = scalar.upcast(a_val.type.dtype, b.type.dtype)
    return Apply(op, list(inputs), [tensor.tensor(dtype_out, (False, b.type.broadcastable[1]))])


def _structured_dot_arrays_value(xp, node, matrix, a_val, a_ind, a_ptr, a_nrows, b):
    a = matrix((a_val, a_ind, a_ptr), shape=(a_nrows, b.shape[0]), copy=False)
    return xp.asarray(a @ b, dtype=node.outputs[0].type.dtype)


class StructuredDotCSC(_SparseOp):
    """a . b for a csc matrix given as (a_val, a_ind, a_ptr, a_nrows) and a dense b."""

    __props__ = ()
    host_inputs = (3,)  # a_nrows
    sparse_data_inputs = (0,)

    def make_node(self, a_val, a_ind, a_ptr, a_nrows, b):
        return _structured_dot_arrays_node(self, [a_val, a_ind, a_ptr, a_nrows, b])

    def compute(self, node, xp, sp, a_val, a_ind, a_ptr, a_nrows, b):
        return _structured_dot_arrays_value(xp, node, sp.csc_matrix, a_val, a_ind, a_ptr,
                                            int(a_nrows), b)


sd_csc = StructuredDotCSC()


class StructuredDotCSR(_SparseOp):
    """a . b for a csr matrix given as (a_val, a_ind, a_ptr) and a dense b."""

    __props__ = ()
    sparse_data_inputs = (0,)

    def make_node(self, a_val, a_ind, a_ptr, b):
        return _structured_dot_arrays_node(self, [a_val, a_ind, a_ptr, b])

    def compute(self, node, xp, sp, a_val, a_ind, a_ptr, b):
        return _structured_dot_arrays_value(xp, node, sp.csr_matrix, a_val, a_ind, a_ptr,
                                            len(a_ptr) - 1, b)


sd_csr = StructuredDotCSR()


@register_specialize
@local_optimizer([StructuredDot])
def local_structured_dot(node):
    """StructuredDot(csc or csr, dense) -> StructuredDotCSC/CSR on the matrix's arrays."""
    if isinstance(node.op, StructuredDot):
        a, b = node.inputs
        if b.type.ndim != 2 or _is_sparse_variable(b):
            return False
        a_val, a_ind, a_ptr, a_shape = csm_properties(a)
        if a.type.format == "csc":
            return [sd_csc(a_val, a_ind, a_ptr, a_shape[0], b)]
        if a.type.format == "csr":
            return [sd_csr(a_val, a_ind, a_ptr, b)]
    return False


class UsmmCscDense(_SparseOp):
    """alpha * (x . y) + z, x a csc matrix given as (x_val, x_ind, x_ptr, x_nrows), y and z
    dense (Theano's specialisation of Usmm; `inplace` writes into z)."""

    __props__ = ("inplace",)
    host_inputs = (4,)  # x_nrows
    sparse_data_inputs = (1,)

    def __init__(self, inplace):
        self.inplace = inplace
        if inplace:
            self.destroy_map = {0: [6]}

    def __str__(self):
        return "UsmmCscDense{%s}" % ("inplace" if self.inplace else "no_inplace")

    def make_node(self, alpha, x_val, x_ind, x_ptr, x_nrows, y, z):
        alpha = tensor.as_tensor_variable(alpha)
        x_val = tensor.as_tensor_variable(x_val)
        x_ind = tensor.as_tensor_variable(x_ind)
        x_ptr = tensor.as_tensor_variable(x_ptr)
        x_nrows = tensor.as_tensor_variable(x_nrows)
        y = tensor.as_tensor_variable(y)
        z = tensor.as_tensor_variable(z)
        assert x_ind.dtype == "int32" and x_ptr.dtype == "int32"
        assert x_nrows.dtype == "int32"
        assert alpha.ndim == 2 and alpha.type.broadcastable == (True, True)
        assert x_val.ndim == 1 and y.ndim == 2 and z.ndim == 2
        dtype_out = scalar.upcast(alpha.type.dtype, x_val.type.dtype, y.type.dtype,
                                  z.type.dtype)
        if dtype_out not in ("float32", "float64"):
            raise NotImplementedError("only float types are supported in operands")
        if self.inplace:
            assert z.type.dtype == dtype_out
        # Theano cast the operands to the output dtype.
        if dtype_out != alpha.type.dtype:
            alpha = tensor.cast(alpha, dtype_out)
        if dtype_out != x_val.type.dtype:
            x_val = tensor.cast(x_val, dtype_out)
        if dtype_out != y.type.dtype:
            y = tensor.cast(y, dtype_out)
        if dtype_out != z.type.dtype:
            z = tensor.cast(z, dtype_out)
        return Apply(self, [alpha, x_val, x_ind, x_ptr, x_nrows, y, z],
                     [tensor.tensor(dtype_out, (False, y.type.broadcastable[1]))])

    def compute(self, node, xp, sp, alpha, x_val, x_ind, x_ptr, x_nrows, y, z):
        x = sp.csc_matrix((x_val, x_ind, x_ptr), shape=(int(x_nrows), y.shape[0]), copy=False)
        prod = xp.asarray(x @ y) * alpha.reshape(())
        if self.inplace:
            z += prod.astype(z.dtype, copy=False)
            return z
        return xp.asarray(prod + z, dtype=node.outputs[0].type.dtype)


usmm_csc_dense = UsmmCscDense(inplace=False)
usmm_csc_dense_inplace = UsmmCscDense(inplace=True)


class CSMGradC(_SparseOp):
    """CSMGrad on the arrays of csc matrices (Theano's C version; same values)."""

    __props__ = ()
    host_inputs = (3, 7)  # the shapes

    def make_node(self, a_val, a_ind, a_ptr, a_dim, b_val, b_ind, b_ptr, b_dim):
        return Apply(self, [a_val, a_ind, a_ptr, a_dim, b_val, b_ind, b_ptr, b_dim],
                     [b_val.type()])

    def compute(self, node, xp, sp, *inputs):
        return CSMGrad().compute(node, xp, sp, *inputs)


csm_grad_c = CSMGradC()



# ------------------------------------------- Theano's C specialisations on csc/csr arrays
#
# Each takes the arrays of a sparse operand and returns the data of the result (the same
# pattern).  Theano registered the rewrites introducing them under the tag 'cxx_only'
# (applied only with a C compiler); this project compiles no C, so, as Theano with cxx="",
# they are defined but not registered: the Ops compute the same values in NumPy.


def _major_minor(xp, indptr, indices):
    major = _major_indices(xp, indptr)
    return major, indices[:len(major)]


class _CSXDataOp(_SparseOp):
    """The data of an operation on the arrays (data, indices, indptr) of a csc/csr a and a
    dense b of ``_b_ndim`` dimensions; ``_values`` gives it from the inputs."""

    __props__ = ()
    _b_ndim = 2

    def make_node(self, a_data, a_indices, a_indptr, b):
        assert b.type.ndim == self._b_ndim
        return Apply(self, [a_data, a_indices, a_indptr, b],
                     [tensor.tensor(b.dtype, (False,))])

    def compute(self, node, xp, sp, *inputs):
        return xp.asarray(self._values(xp, *inputs), dtype=node.outputs[0].dtype)


class MulSDCSC(_CSXDataOp):
    """The data of csc a * dense b (elementwise, a's pattern)."""

    def _values(self, xp, a_data, a_indices, a_indptr, b):
        cols, rows = _major_minor(xp, a_indptr, a_indices)
        return a_data * b[rows, cols]


mul_s_d_csc = MulSDCSC()


class MulSDCSR(_CSXDataOp):
    """The data of csr a * dense b (elementwise, a's pattern)."""

    def _values(self, xp, a_data, a_indices, a_indptr, b):
        rows, cols = _major_minor(xp, a_indptr, a_indices)
        return a_data * b[rows, cols]


mul_s_d_csr = MulSDCSR()


class MulSVCSR(_CSXDataOp):
    """The data of csr a * vector b broadcast over rows."""

    _b_ndim = 1

    def _values(self, xp, a_data, a_indices, a_indptr, b):
        _, cols = _major_minor(xp, a_indptr, a_indices)
        return a_data * b[cols]


mul_s_v_csr = MulSVCSR()


class StructuredAddSVCSR(_CSXDataOp):
    """The data of csr a + vector b on a's stored entries only."""

    def make_node(self, a_data, a_indices, a_indptr, b):
        b = tensor.as_tensor_variable(b)
        a_data = tensor.as_tensor_variable(a_data)
        a_indices = tensor.as_tensor_variable(a_indices)
        a_indptr = tensor.as_tensor_variable(a_indptr)
        assert a_data.type.ndim == 1 and a_indices.type.ndim == 1
        assert a_indptr.type.ndim == 1 and b.type.ndim == 1
        return Apply(self, [a_data, a_indices, a_indptr, b],
                     [tensor.tensor(b.dtype, (False,))])

    def _values(self, xp, a_data, a_indices, a_indptr, b):
        _, cols = _major_minor(xp, a_indptr, a_indices)
        return a_data + b[cols]


structured_add_s_v_csr = StructuredAddSVCSR()


class SamplingDotCSR(_SparseOp):
    """sampling_dot for a csr p given as arrays: (data, indices, indptr) of the result."""

    __props__ = ()
    host_inputs = (5,)  # p_ncols

    def make_node(self, x, y, p_data, p_ind, p_ptr, p_ncols):
        x = tensor.as_tensor_variable(x)
        y = tensor.as_tensor_variable(y)
        p_data = tensor.as_tensor_variable(p_data)
        p_ind = tensor.as_tensor_variable(p_ind)
        p_ptr = tensor.as_tensor_variable(p_ptr)
        p_ncols = tensor.as_tensor_variable(p_ncols)
        assert p_ncols.dtype == "int32"
        dtype_out = scalar.upcast(x.type.dtype, y.type.dtype, p_data.type.dtype)
        return Apply(self, [x, y, p_data, p_ind, p_ptr, p_ncols],
                     [tensor.tensor(dtype=dtype_out, broadcastable=(False,)),
                      tensor.tensor(dtype=p_ind.type.dtype, broadcastable=(False,)),
                      tensor.tensor(dtype=p_ptr.type.dtype, broadcastable=(False,))])

    def compute(self, node, xp, sp, x, y, p_data, p_ind, p_ptr, p_ncols):
        rows, cols = _major_minor(xp, p_ptr, p_ind)
        vals = p_data[:len(rows)] * xp.einsum("ij,ij->i", x[rows], y[cols])
        return (xp.asarray(vals, dtype=node.outputs[0].dtype),
                xp.array(p_ind[:len(rows)], dtype=node.outputs[1].dtype),
                xp.array(p_ptr, dtype=node.outputs[2].dtype))


sampling_dot_csr = SamplingDotCSR()


def _split(node):
    x, y = node.inputs
    return (x, y) if _is_sparse_variable(x) else (y, x)


@local_optimizer([sparse.mul_s_d])
def local_mul_s_d(node):
    """MulSD -> MulSDCSC/MulSDCSR on the arrays (Theano's 'cxx_only' rewrite)."""
    if node.op != sparse.mul_s_d:
        return False
    svar, dvar = _split(node)
    if dvar.type.ndim != 2 or svar.type.format not in ("csc", "csr"):
        return False
    if node.inputs[0].dtype != node.inputs[1].dtype:
        return False
    csx, op = (CSC, mul_s_d_csc) if svar.type.format == "csc" else (CSR, mul_s_d_csr)
    c_data = op(csm_data(svar), csm_indices(svar), csm_indptr(svar), dvar)
    return [csx(c_data, csm_indices(svar), csm_indptr(svar), csm_shape(svar))]


def _csr_vector_rewrite(node, op, csr_op):
    """node (an `op` of a sparse and a vector) as csr_op on the csr arrays, else False."""
    if node.op != op:
        return False
    svar, dvar = _split(node)
    if dvar.type.ndim != 1 or svar.type.format != "csr":
        return False
    s_val, s_ind, s_ptr, s_shape = csm_properties(svar)
    return [CSR(csr_op(s_val, s_ind, s_ptr, dvar), s_ind, s_ptr, s_shape)]


@local_optimizer([sparse.mul_s_v])
def local_mul_s_v(node):
    """MulSV on csr -> MulSVCSR (Theano's 'cxx_only' rewrite)."""
    return _csr_vector_rewrite(node, sparse.mul_s_v, mul_s_v_csr)


@local_optimizer([sparse.structured_add_s_v])
def local_structured_add_s_v(node):
    """StructuredAddSV on csr -> StructuredAddSVCSR (Theano's 'cxx_only' rewrite)."""
    return _csr_vector_rewrite(node, sparse.structured_add_s_v, structured_add_s_v_csr)


@local_optimizer([sparse.sampling_dot])
def local_sampling_dot_csr(node):
    """SamplingDot on csr -> SamplingDotCSR (Theano's 'cxx_only' rewrite)."""
    if node.op != sparse.sampling_dot:
        return False
    x, y, p = node.inputs
    if p.type.format != "csr":
        return False
    p_data, p_ind, p_ptr, p_shape = csm_properties(p)
    z_data, z_ind, z_ptr = sampling_dot_csr(x, y, p_data, p_ind, p_ptr, p_shape[1])
    return [CSR(z_data, z_ind, z_ptr, p_shape)]


# ---------------------------------------------- Theano's rewrites gated on a C compiler
#
# Theano applied these only with a C compiler (config.cxx) or a BLAS library
# (config.blas.ldflags); here both flags are empty, so, as Theano without a compiler, the
# rules are defined (and ``local_usmm`` registered) but leave graphs unchanged.  The Ops
# they introduce compute the same values in NumPy/SciPy when a graph holds them.

izip = zip


@local_optimizer([sparse.AddSD])
def local_inplace_addsd_ccode(node):
    """AddSD -> AddSD_ccode{inplace} when the dense operand has the output dtype (with a
    C compiler only)."""
    if isinstance(node.op, sparse.AddSD) and config.cxx:
        if scalar.upcast(*[i.type.dtype for i in node.inputs]) != node.inputs[1].dtype:
            return False
        return [AddSD_ccode(format=node.inputs[0].type.format,
                            inplace=True)(*node.inputs)]
    return False


@local_optimizer([sparse.AddSD])
def local_addsd_ccode(node):
    """AddSD -> AddSD_ccode (with a C compiler only)."""
    if isinstance(node.op, sparse.AddSD) and config.cxx:
        return [AddSD_ccode(format=node.inputs[0].type.format)(*node.inputs)]
    return False


optdb.register("local_inplace_addsd_ccode",
               TopoOptimizer(local_inplace_addsd_ccode,
                             failure_callback=TopoOptimizer.warn_inplace),
               60, "fast_run", "inplace")
optdb.register("local_addsd_ccode", TopoOptimizer(local_addsd_ccode), 61, "fast_run")


def _scalar_alpha_with_blas(var):
    return all(var.type.broadcastable) and bool(config.blas.ldflags)


local_usmm = PatternSub(
    (tensor.sub, "z", (tensor.mul, {"pattern": "alpha", "constraint": _scalar_alpha_with_blas},
                       (sparse._dot, "x", "y"))),
    (usmm, (tensor.neg, "alpha"), "x", "y", "z"),
    name="local_usmm")
register_specialize(local_usmm, name="local_usmm")


@local_optimizer([usmm_csc_dense])
def local_usmm_csc_dense_inplace(node):
    """usmm_csc_dense -> usmm_csc_dense_inplace (Theano's 'cxx_only', 'inplace' rule)."""
    if node.op == usmm_csc_dense:
        return [usmm_csc_dense_inplace(*node.inputs)]
    return False


@local_optimizer([usmm])
def local_usmm_csx(node):
    """usmm(alpha, x, y, z) with x a csc matrix and y dense -> usmm_csc_dense on x's arrays
    (float results only; Theano's 'cxx_only' rule)."""
    if node.op != usmm:
        return False
    alpha, x, y, z = node.inputs
    if not (_is_sparse_variable(x) and not _is_sparse_variable(y)) or x.type.format != "csc":
        return False
    dtype_out = scalar.upcast(alpha.type.dtype, x.type.dtype, y.type.dtype, z.type.dtype)
    if dtype_out not in ("float32", "float64") or y.type.dtype != dtype_out:
        return False
    x_val, x_ind, x_ptr, x_shape = csm_properties(x)
    return [usmm_csc_dense(alpha, x_val, x_ind, x_ptr, x_shape[0], y, z)]


@local_optimizer([CSMGrad])
def local_csm_grad_c(node):
    """csm_grad(None) -> csm_grad_c (Theano left it unregistered: wrong for unsorted
    indices)."""
    if node.op == csm_grad(None):
        return [csm_grad_c(*node.inputs)]
    return False


for _cls in (MulSDCSC, MulSDCSR, MulSVCSR, StructuredAddSVCSR, SamplingDotCSR,
             AddSD_ccode, StructuredDotCSC, StructuredDotCSR, UsmmCscDense, CSMGradC):
    _cls.__module__ = "theano.sparse.opt"
del _cls


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
