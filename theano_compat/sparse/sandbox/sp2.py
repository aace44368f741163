"""Sparse random sampling Ops (Theano's ``theano.sparse.sandbox.sp2``): Poisson, Binomial
and Multinomial draws with sparse results, drawn from NumPy's global generator as in
Theano."""

from __future__ import annotations

import numpy as np

from ... import tensor
from ...gradient import disconnected_type, grad_undefined
from ...graph.basic import Apply
from ...graph.op import Op
from ...tensor import discrete_dtypes, float_dtypes
from ..basic import (CSC, CSM, CSR, AddSSData, Cast, CSMProperties, HStack,  # noqa: F401
                     MulSV, Remove0, SamplingDot, SparseType, StructuredAddSV, VStack,
                     _is_dense_variable, _is_sparse, _is_sparse_variable, add_s_s,
                     add_s_s_data, as_sparse_variable, bcast, ccast, csm_data, csm_indices,
                     csm_indptr, csm_properties, csm_shape, dcast, dot, fcast, hstack, icast,
                     lcast, mul_s_d, mul_s_s, mul_s_v, neg, remove0, sampling_dot,
                     structured_add, structured_add_s_v, structured_exp, structured_log,
                     structured_maximum, structured_minimum, structured_monoid,
                     structured_pow, structured_sigmoid, vstack, wcast, zcast)
from ..opt import (MulSDCSC, MulSDCSR, MulSVCSR, SamplingDotCSR,  # noqa: F401
                   StructuredAddSVCSR, local_mul_s_d, local_mul_s_v, local_sampling_dot_csr,
                   local_structured_add_s_v, mul_s_d_csc, mul_s_d_csr, mul_s_v_csr,
                   sampling_dot_csr, structured_add_s_v_csr)
from ...tensor.opt import register_specialize  # noqa: F401
from ...utils import lazy_names
from six.moves import xrange  # noqa: F401 - a name of Theano's module

EliminateZeros = Remove0
eliminate_zeros = remove0


class Poisson(Op):
    """A sparse matrix whose stored values are Poisson draws with the stored values of x
    as means (zeros drawn are removed)."""

    __props__ = ()

    def make_node(self, x):
        x = as_sparse_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs, params=None):
        (x,) = inputs
        assert _is_sparse(x) and x.format in ["csr", "csc"]
        out = x.copy()
        out.data = np.asarray(np.random.poisson(out.data), dtype=x.dtype)
        out.eliminate_zeros()
        outputs[0][0] = out

    def grad(self, inputs, outputs_gradients):
        return [grad_undefined(op=self, x_pos=0, x=inputs[0],
                               comment="No gradient exists for class Poisson in "
                                       "theano/sparse/sandbox/sp2.py")]

    def infer_shape(self, node, ins_shapes):
        return ins_shapes


poisson = Poisson()


class Binomial(Op):
    """A sparse matrix of `shape` with Binomial(n, p) draws (format and dtype of the Op)."""

    __props__ = ("format", "dtype")

    def __init__(self, format, dtype):
        self.format = format
        self.dtype = dtype

    def make_node(self, n, p, shape):
        n = tensor.as_tensor_variable(n)
        p = tensor.as_tensor_variable(p)
        shape = tensor.as_tensor_variable(shape)
        assert n.dtype in discrete_dtypes
        assert p.dtype in float_dtypes
        assert shape.dtype in discrete_dtypes
        return Apply(self, [n, p, shape], [SparseType(dtype=self.dtype, format=self.format)()])

    def perform(self, node, inputs, outputs, params=None):
        (n, p, shape) = inputs
        draws = np.random.binomial(n, p, size=tuple(int(s) for s in shape))
        outputs[0][0] = SparseType.format_cls[self.format](draws, dtype=self.dtype)

    def connection_pattern(self, node):
        return [[True], [True], [False]]

    def grad(self, inputs, gout):
        (n, p, shape) = inputs
        return [grad_undefined(op=self, x_pos=0, x=n,
                               comment="No gradient exists for the number of samples in "
                                       "class Binomial of theano/sparse/sandbox/sp2.py"),
                grad_undefined(op=self, x_pos=1, x=p,
                               comment="No gradient exists for the prob of success in "
                                       "class Binomial of theano/sparse/sandbox/sp2.py"),
                disconnected_type()]

    def infer_shape(self, node, ins_shapes):
        return [(node.inputs[2][0], node.inputs[2][1])]


csr_fbinomial = Binomial("csr", "float32")
csc_fbinomial = Binomial("csc", "float32")
csr_dbinomial = Binomial("csr", "float64")
csc_dbinomial = Binomial("csc", "float64")


class Multinomial(Op):
    """Multinomial draws of n trials per row of the csr matrix p (row probabilities in its
    stored values); n a scalar or one count per row."""

    __props__ = ()

    def make_node(self, n, p):
        n = tensor.as_tensor_variable(n)
        p = as_sparse_variable(p)
        assert p.format in ["csr", "csc"]
        return Apply(self, [n, p], [p.type()])

    def perform(self, node, inputs, outputs, params=None):
        (n, p) = inputs
        assert _is_sparse(p)
        if p.format != "csr":
            raise NotImplementedError("Multinomial needs a csr matrix of probabilities "
                                      "(convert with theano.sparse.csr_from_dense or .T)")
        out = p.copy()
        if n.ndim == 1 and n.shape[0] != p.shape[0]:
            raise ValueError("The number of element of n must be the same as the number "
                             "of row of p.")
        for i in range(p.shape[0]):
            k, stop = p.indptr[i], p.indptr[i + 1]
            trials = n if n.ndim == 0 else n[i]
            out.data[k:stop] = np.random.multinomial(trials, p.data[k:stop])
        outputs[0][0] = out

    def grad(self, inputs, outputs_gradients):
        return [grad_undefined(op=self, x_pos=0, x=inputs[0],
                               comment="No gradient exists for the number of samples in "
                                       "class Multinomial of theano/sparse/sandbox/sp2.py"),
                grad_undefined(op=self, x_pos=1, x=inputs[1],
                               comment="No gradient exists for the prob of success in "
                                       "class Multinomial of theano/sparse/sandbox/sp2.py")]

    def infer_shape(self, node, ins_shapes):
        return [ins_shapes[1]]


multinomial = Multinomial()

for _cls in (Poisson, Binomial, Multinomial):
    _cls.__module__ = "theano.sparse.sandbox.sp2"
del _cls


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
