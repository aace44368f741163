"""theano.tensor.blas: Theano 1.0.5's BLAS Ops, computed by NumPy/SciPy, and its gemm
rewriting helpers.

The Ops compute what Theano's did:

* ``Gemm(inplace)``: ``gemm(z, a, x, y, b) = b * z + a * dot(x, y)`` for matrices ``z, x,
  y`` and scalars ``a, b`` of one float or complex dtype; ``gemm_inplace`` overwrites
  ``z`` (``destroy_map = {0: [0]}``), ``gemm_no_inplace`` does not;
* ``Gemv(inplace)``: ``gemv(y, alpha, A, x, beta) = beta * y + alpha * dot(A, x)``
  (NumPy's dot, then the scaling; in place on ``y`` for ``gemv_inplace``; y is not read
  when beta is 0);
* ``Ger(destructive)``: ``ger(A, alpha, x, y) = A + alpha * outer(x, y)``
  (``ger_destructive`` updates ``A`` in place);
* ``Dot22`` (``_dot22``): the product of two matrices; ``Dot22Scalar`` (``_dot22scalar``):
  ``a * dot(x, y)``;
* ``BatchedDot`` (``batched_dot``): ``out[i] = dot(x[i], y[i])`` for 2-d or 3-d inputs,
  with its gradient and R_op (the other Ops had no gradient in Theano: its optimizer put
  them into graphs after differentiation).

Graph rewriting: the local optimizers of Theano's BlasOpt (``local_dot_to_dot22``,
``local_gemm_to_gemv``, ``local_gemm_to_ger``, ``local_dot22_to_ger_or_gemv``,
``local_dot22_to_dot22scalar``, ``local_inplace_gemm``/``gemv``/``ger``) and
``GemmOptimizer`` (``b * z + a * dot(x, y)`` -> gemm, through ``_gemm_canonicalize``,
``_factor_canonicalized``, ``_gemm_from_node2``) transform nodes when applied
(``opt.transform(node)``, ``GemmOptimizer().optimize(fgraph)``) and fill ``blas_optdb``
(optdb's ``BlasOpt`` slot).  The FAST_RUN pipeline runs them as rules
(theano_compat/tensor/rewrites/blas.py), so compiled graphs hold these Ops where
Theano's did.  Gemm computes with one BLAS ``?gemm`` call (SciPy's).
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import copy  # noqa: F401 - a name of Theano's module
import logging
import os  # noqa: F401
import sys
import time
from functools import reduce  # noqa: F401

import numpy  # noqa: F401 - a name of Theano's module
import numpy as np
import scipy  # noqa: F401

from ..backend.cpu import scipy_linalg_numpy
from ..config import config
from ..graph.basic import Apply, Constant
from ..graph.fgraph import InconsistencyError, ReplacementDidntRemovedError  # noqa: F401
from ..graph.op import Op
from ..graph.optdb import SequenceDB, optdb  # noqa: F401
from ..graph.optimizers import (EquilibriumOptimizer, Optimizer, in2out,  # noqa: F401
                                inherit_stack_trace, local_optimizer)
from ..scalar import bool as bool_t  # noqa: F401
from ..scalar import dtypes as D
from . import basic as T
from .batched import BatchedTensordot
from .blas_headers import blas_header_text, blas_header_version  # noqa: F401
from .elemwise import DimShuffle
from .math import Dot
from .type import TensorType, values_eq_approx_remove_inf_nan  # noqa: F401

_logger = logging.getLogger("theano.tensor.blas")
theano = sys.modules[__name__.split(".")[0]]  # the package (a name of Theano's module)
xrange = range
_MODULE = "theano.tensor.blas"


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))


have_fblas = True


def ldflags(libs=True, flags=False, libs_dir=False, include_dir=False):
    """The parts of the ``blas.ldflags`` flag Theano linked its C BLAS code with: the
    library names (``-l``), other flags, library directories (``-L``), include
    directories (``-I``: refused, as in Theano).  theano_compat links nothing; NumPy's
    and SciPy's BLAS compute the products."""
    out = []
    text = config.blas.ldflags
    for token in text.split():
        if token[:1] == token[-1:] and token[:1] in ("'", '"'):
            token = token[1:-1]
        if len(token) < 3 or token[0] != "-":
            raise ValueError(f'invalid token "{token}" in ldflags_str: "{text}"')
        kind = token[1]
        if kind == "L":
            if libs_dir:
                out.append(token[2:])
        elif kind == "I":
            if include_dir:
                raise ValueError("Include dirs are not used for blas. We disable this as "
                                 "this can hide other headers and this is not wanted.",
                                 token)
        elif kind == "l":
            if libs:
                out.append(token[2:])
        elif flags:
            out.append(token)
    return out

# SciPy's ?gemv by dtype, looked up on first use (importing scipy.linalg costs ~150 ms,
# which `import theano` should not pay).
_BLAS_GEMV_NAMES = {np.dtype("float32"): "sgemv", np.dtype("float64"): "dgemv"}


_BLAS_GEMM_NAMES = {np.dtype("float32"): "sgemm", np.dtype("float64"): "dgemm",
                    np.dtype("complex64"): "cgemm", np.dtype("complex128"): "zgemm"}


def _blas_gemm(dtype):
    """SciPy's ?gemm for `dtype`, or None."""
    name = _BLAS_GEMM_NAMES.get(dtype)
    return getattr(scipy_linalg_numpy("blas"), name) if name else None


def _blas_operand(m):
    """(array, trans) with ``op(array) == m`` for BLAS (trans: 1 for the transpose),
    passing a Fortran-ordered array (m, or m.T when m is C-ordered) without a copy."""
    if m.flags.f_contiguous:
        return m, 0
    if m.flags.c_contiguous:
        return m.T, 1
    return np.asfortranarray(m), 0


def _gemm_by_blas(blas_gemm, z, a, x, y, b, inplace):
    """``b * z + a * dot(x, y)`` in one BLAS ?gemm call, written into z when `inplace`
    (else into a new array).  A C-ordered z is computed as its (Fortran-ordered)
    transpose, ``z.T = a * dot(y.T, x.T) + b * z.T``, so that no operand is reordered."""
    transposed = z.flags.c_contiguous and not z.flags.f_contiguous
    if transposed:
        (p, tp), (q, tq), c = _blas_operand(y.T), _blas_operand(x.T), z.T
    else:
        (p, tp), (q, tq), c = _blas_operand(x), _blas_operand(y), z
    writable = inplace and c.flags.f_contiguous and c.flags.writeable
    if b == 0:  # z is not read (a NaN in it must not show)
        out = blas_gemm(a, p, q, trans_a=tp, trans_b=tq)
        if inplace:
            c[...] = out
            out = c
    else:
        out = blas_gemm(a, p, q, beta=b, c=c, trans_a=tp, trans_b=tq,
                        overwrite_c=int(writable))
        if inplace and out is not c and not np.shares_memory(out, c):
            c[...] = out
            out = c
    return out.T if transposed else out


def _blas_gemv(dtype):
    """SciPy's ?gemv for `dtype`, or None."""
    name = _BLAS_GEMV_NAMES.get(dtype)
    return getattr(scipy_linalg_numpy("blas"), name) if name else None

_FLOATS = ("float16", "float32", "float64", "complex64", "complex128")


def check_init_y():
    """Whether SciPy's ?gemv reads y when beta == 0 (then y must be zeroed first: a NaN
    in y would otherwise propagate).  Computed once."""
    if check_init_y._result is None:
        y = float("NaN") * np.ones((2,))
        x, a = np.ones((2,)), np.ones((2, 2))
        _blas_gemv(y.dtype)(1.0, a.T, x, 0.0, y, overwrite_y=True, trans=True)
        check_init_y._result = bool(np.isnan(y).any())
    return check_init_y._result


check_init_y._result = None


def view_roots(r):
    """The variables `r` is a view of, following the Ops' ``view_map`` (`r` itself when
    it is not a view)."""
    owner = r.owner
    view_map = getattr(owner.op, "view_map", None) if owner is not None else None
    if not view_map:
        return [r]
    k = owner.outputs.index(r)
    if k not in view_map:
        return [r]
    roots = []
    for i in view_map[k]:
        roots += view_roots(owner.inputs[i])
    return roots


def _not_aligned(a_shape, b_shape, out_shape):
    """What NumPy says of ``dot`` of arrays of shapes `a_shape` and `b_shape` (or of a
    result that does not fit `out_shape`), in parentheses: the shapes as the user's
    ``dot`` saw them."""
    def fmt(shape):
        return "(" + ",".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    k = len(b_shape) - 2 if len(b_shape) > 1 else 0
    if a_shape[-1] != b_shape[k]:
        return (f"(shapes {fmt(a_shape)} and {fmt(b_shape)} not aligned: {a_shape[-1]} "
                f"(dim {len(a_shape) - 1}) != {b_shape[k]} (dim {k}))")
    return f"(the product of shapes {fmt(a_shape)} and {fmt(b_shape)} does not fit " \
           f"{fmt(out_shape)})"


class _DestroysInput0:
    """What Gemv, Ger and Gemm share: a flag (the attribute named by ``_flag``) that makes
    the Op overwrite its first input, whose shape is the output's; str() names the flag's
    state with one of ``_flag_words``."""

    _flag = "inplace"
    _flag_words = ("inplace", "no_inplace")

    def _set_flag(self, value):
        setattr(self, self._flag, value)
        if value:
            self.destroy_map = {0: [0]}

    def __str__(self):
        yes, no = self._flag_words
        return f"{type(self).__name__}{{{yes if getattr(self, self._flag) else no}}}"

    def infer_shape(self, node, input_shapes):
        return [input_shapes[0]]


# ----------------------------------------------------------------------------- Gemv, Ger


class Gemv(_DestroysInput0, Op):
    """``beta * y + alpha * dot(A, x)`` (A a matrix, x and y vectors, alpha and beta
    scalars); in place on ``y`` when ``inplace``."""

    __props__ = ("inplace",)
    __module__ = _MODULE

    def __init__(self, inplace):
        self._set_flag(inplace)

    def make_node(self, y, alpha, A, x, beta):  # noqa: N803 - Theano's names
        y, alpha, A, x, beta = (T.as_tensor_variable(v) for v in (y, alpha, A, x, beta))
        if y.type.dtype != A.type.dtype or y.type.dtype != x.type.dtype:
            raise TypeError("Gemv requires matching dtypes",
                            (y.type.dtype, A.type.dtype, x.type.dtype))
        if A.type.ndim != 2:
            raise TypeError("gemv requires matrix for A", A.type)
        if x.type.ndim != 1:
            raise TypeError("gemv requires vector for x", x.type)
        if y.type.ndim != 1:
            raise TypeError("gemv requires vector for y", y.type)
        return Apply(self, [y, alpha, A, x, beta], [y.type()])

    def impl(self, xp, y, alpha, A, x, beta):  # noqa: N803
        if A.shape[0] != y.shape[0] or A.shape[1] != x.shape[0]:
            raise ValueError("Incompatible shapes for gemv (beta * y + alpha * dot(A, x)). "
                             f"y: {y.shape}, A: {A.shape}, x: {x.shape} "
                             + _not_aligned(A.shape, x.shape, y.shape[:1]))
        # NumPy's dot (its BLAS ?gemv) is as fast as SciPy's ?gemv and needs no
        # conversion of the operands' order; the scaling and the sum take two passes over
        # a vector.
        if (self.inplace and beta == 0 and A.dtype == y.dtype and x.dtype == y.dtype
                and y.flags.c_contiguous and not xp.may_share_memory(y, A)
                and not xp.may_share_memory(y, x)):
            # beta 0: y's values are never read (Theano's contract), so the product goes
            # straight into y's memory (the usual y: a fresh AllocEmpty).
            xp.dot(A, x, out=y)
            if alpha != 1:
                y *= alpha
            return y
        out = xp.dot(A, x)
        if out.dtype != y.dtype:
            out = out.astype(y.dtype)
        if alpha != 1:
            out *= alpha
        if beta != 0:
            out += y if beta == 1 else beta * y
        if self.inplace:
            y[...] = out
            return y
        return out


gemv_no_inplace = Gemv(inplace=False)
gemv_inplace = Gemv(inplace=True)
gemv = gemv_no_inplace


class Ger(_DestroysInput0, Op):
    """``A + alpha * outer(x, y)`` (BLAS's rank-1 update); in place on ``A`` when
    ``destructive``."""

    __props__ = ("destructive",)
    __module__ = _MODULE

    _flag = "destructive"
    _flag_words = ("destructive", "non-destructive")

    def __init__(self, destructive):
        self._set_flag(destructive)

    def make_node(self, A, alpha, x, y):  # noqa: N803
        A, y, x, alpha = (T.as_tensor_variable(v) for v in (A, y, x, alpha))  # noqa: N806
        if not (A.type.dtype == x.type.dtype == y.type.dtype == alpha.type.dtype):
            raise TypeError("ger requires matching dtypes",
                            (A.type.dtype, alpha.type.dtype, x.type.dtype, y.type.dtype))
        if alpha.type.ndim != 0:
            raise TypeError("ger requires scalar alpha", alpha.type)
        if A.type.ndim != 2:
            raise TypeError("ger requires matrix for A", A.type)
        if x.type.ndim != 1:
            raise TypeError("ger requires vector for x", x.type)
        if y.type.ndim != 1:
            raise TypeError("ger requires vector for y", y.type)
        if x.type.dtype not in ("float32", "float64", "complex64", "complex128"):
            raise TypeError("only float and complex types supported", x.type.dtype)
        return Apply(self, [A, alpha, x, y], [A.type()])

    def impl(self, xp, a, alpha, x, y):
        if not self.destructive:
            a = a.copy()
        a += xp.outer(x, y) if alpha == 1 else alpha * xp.outer(x, y)
        return a


ger = Ger(destructive=False)
ger_destructive = Ger(destructive=True)


# ----------------------------------------------------------------------------- Gemm, Dot22


class GemmRelated(Op):
    """The base class of Gemm, Dot22 and Dot22Scalar (Theano's templated C gemm code;
    here they compute with NumPy)."""

    __props__ = ()
    __module__ = _MODULE

    def c_support_code(self):
        raise NotImplementedError(f"{type(self).__name__}: no C code in theano_compat (the "
                                  "Op computes with NumPy in perform)")

    c_headers = c_libraries = c_support_code


class Gemm(_DestroysInput0, GemmRelated):
    """``gemm(z, a, x, y, b) = b * z + a * dot(x, y)``; ``gemm_inplace`` overwrites z."""

    E_rank = "gemm only works for rank 2"
    E_scalar = "gemm requires scalar argument"
    E_z_uniq = "argument z aliased to x or y"
    E_mixed = "gemm requires matching dtypes"
    E_float = "gemm requires floating-point dtypes"

    __props__ = ("inplace",)
    __module__ = _MODULE
    check_input = False

    def __init__(self, inplace):
        self._set_flag(inplace)

    def __setstate__(self, dct):
        self.__dict__.update(dct)
        if "destroy_map" not in self.__dict__ and self.inplace:
            self.destroy_map = {0: [0]}

    def make_node(self, *inputs):
        inputs = [T.as_tensor_variable(i) for i in inputs]
        if len(inputs) != 5:
            raise TypeError(f"Wrong number of inputs for {self} (expected 5, got "
                            f"{len(inputs)})")
        z, a, x, y, b = inputs
        if self.inplace:
            # z is overwritten: it may not be (a view of) x or y.
            zr, xr, yr = (set(view_roots(i)) for i in (z, x, y))
            if zr & xr:
                raise InconsistencyError(Gemm.E_z_uniq, (z, x))
            if zr & yr:
                raise InconsistencyError(Gemm.E_z_uniq, (z, y))
        if z.type.ndim != 2:
            raise TypeError(Gemm.E_rank, z)
        if a.type.ndim != 0:
            raise TypeError(Gemm.E_scalar, a)
        if x.type.ndim != 2:
            raise TypeError(Gemm.E_rank, x)
        if y.type.ndim != 2:
            raise TypeError(Gemm.E_rank, y)
        if b.type.ndim != 0:
            raise TypeError(Gemm.E_scalar, b)
        dtypes = [v.type.dtype for v in (z, a, x, y, b)]
        if len(set(dtypes)) != 1:
            raise TypeError(Gemm.E_mixed, tuple(dtypes))
        if not z.type.dtype.startswith(("float", "complex")):
            raise TypeError(Gemm.E_float, z.type.dtype)
        return Apply(self, inputs, [z.type()])

    def impl(self, xp, z, a, x, y, b):
        if x.shape[1] != y.shape[0] or z.shape != (x.shape[0], y.shape[1]):
            raise ValueError("Input dimensions do not agree for gemm "
                             f"(b * z + a * dot(x, y)): z {z.shape}, x {x.shape}, "
                             f"y {y.shape} " + _not_aligned(x.shape, y.shape, z.shape))
        blas_gemm = _blas_gemm(z.dtype) if xp is np and z.size and x.shape[1] else None
        if blas_gemm is not None:
            return _gemm_by_blas(blas_gemm, z, a, x, y, b, self.inplace)
        if not self.inplace:
            z = z.copy()
        prod = xp.dot(x, y)
        if b == 0:
            z[...] = prod if a == 1 else a * prod
        else:
            if b != 1:
                z *= b
            z += prod if a == 1 else a * prod
        return z


gemm_inplace = Gemm(inplace=True)
gemm_no_inplace = Gemm(inplace=False)
gemm = gemm_no_inplace


def _matrix_product_type(x, y):
    return TensorType(x.type.dtype, (x.type.broadcastable[0], y.type.broadcastable[1]))


class _Dot22Related:
    """What Dot22 and Dot22Scalar share: the shape of a matrix product, str() (the
    class's ``_str``), and `impl` computing ``_product`` (a ValueError names the
    shapes of x and y)."""

    check_input = False

    def impl(self, xp, x, y, *scalar):
        try:
            return self._product(xp, x, y, *scalar)
        except ValueError as e:
            e.args = e.args + (x.shape, y.shape)
            raise

    def infer_shape(self, node, input_shapes):
        return [(input_shapes[0][0], input_shapes[1][1])]

    def __str__(self):
        return self._str


class Dot22(_Dot22Related, GemmRelated):
    """The product of two matrices of one float or complex dtype (a specialised Dot)."""

    __module__ = _MODULE
    _str = "_dot22"

    def make_node(self, x, y):
        x, y = T.as_tensor_variable(x), T.as_tensor_variable(y)
        if x.type.ndim != 2 or x.type.dtype not in _FLOATS:
            raise TypeError(x)
        if y.type.ndim != 2 or y.type.dtype not in _FLOATS:
            raise TypeError(y)
        if y.type.dtype != x.type.dtype:
            raise TypeError("dtype mismatch to Dot22")
        return Apply(self, [x, y], [_matrix_product_type(x, y)()])

    @staticmethod
    def _product(xp, x, y):
        return xp.asarray(xp.dot(x, y))


_dot22 = Dot22()


class Dot22Scalar(_Dot22Related, GemmRelated):
    """``a * dot(x, y)`` for matrices x, y and a scalar a, all of one dtype."""

    __module__ = _MODULE
    _str = "_dot22scalar"

    def make_node(self, x, y, a):
        x, y, a = (T.as_tensor_variable(v) for v in (x, y, a))
        if a.type.ndim != 0:
            raise TypeError(Gemm.E_scalar, a)
        if x.type.ndim != 2:
            raise TypeError(Gemm.E_rank, x)
        if y.type.ndim != 2:
            raise TypeError(Gemm.E_rank, y)
        if not (a.type.dtype == x.type.dtype == y.type.dtype):
            raise TypeError("Dot22Scalar requires matching dtypes",
                            (a.type.dtype, x.type.dtype, y.type.dtype))
        if not a.type.dtype.startswith(("float", "complex")):
            raise TypeError("Dot22Scalar requires float or complex args", a.type.dtype)
        return Apply(self, [x, y, a], [_matrix_product_type(x, y)()])

    @staticmethod
    def _product(xp, x, y, scalar):
        out = xp.asarray(xp.dot(x, y))
        if out.dtype != x.dtype:
            return xp.asarray(scalar * out, dtype=x.dtype)
        if scalar != 1:
            out *= scalar
        return out


_dot22scalar = Dot22Scalar()


# ----------------------------------------------------------------------------- BatchedDot


class BatchedDot(BatchedTensordot):
    """``out[i] = dot(x[i], y[i])`` for x and y of 2 or 3 dimensions (the first is the
    batch), with its gradient and R_op."""

    __props__ = ()
    __module__ = _MODULE

    def __init__(self):
        pass

    @staticmethod
    def _axes(xn, yn):
        return (xn - 1,), (1,)

    def _spec(self, xn, yn):
        x_axes, y_axes = self._axes(xn, yn)
        xs = ["A", "i", "j"][:xn]
        ys = ["A", "k", "l"][:yn]
        ys[y_axes[0]] = xs[x_axes[0]]
        out = ["A"] + [xs[i] for i in range(1, xn) if i not in x_axes] + [
            ys[i] for i in range(1, yn) if i not in y_axes]
        return "".join(xs) + "," + "".join(ys) + "->" + "".join(out)

    def make_node(self, x, y):
        x, y = T.as_tensor_variable(x), T.as_tensor_variable(y)
        if x.type.ndim not in (2, 3):
            raise TypeError(f"theano.tensor.blas.BatchedDot: input 0 (0-indexed) must have "
                            f"ndim of 2 or 3, {x.type.ndim} given. Consider calling "
                            "theano.tensor.batched_dot instead.")
        if y.type.ndim not in (2, 3):
            raise TypeError(f"theano.tensor.blas.BatchedDot: input 1 (0-indexed) must have "
                            f"ndim of 2 or 3, {y.type.ndim} given. Consider calling "
                            "theano.tensor.batched_dot instead.")
        x_axes, y_axes = self._axes(x.type.ndim, y.type.ndim)
        bx, by = x.type.broadcastable, y.type.broadcastable
        bcast = (bx[0] and by[0],) + tuple(b for i, b in enumerate(bx) if i and i not in x_axes) \
            + tuple(b for i, b in enumerate(by) if i and i not in y_axes)
        dtype = D.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [TensorType(dtype, bcast)()])

    def infer_shape(self, node, shapes):
        xs, ys = shapes
        return [(xs[0],) + tuple(xs[1:-1]) + tuple(ys[2:])]

    def __str__(self):
        return "BatchedDot"


batched_dot = BatchedDot()


# ----------------------------------------------------------------------------- gemm helpers


def res_is_a(var, op, maxclients=None):
    """Whether `var` is computed by `op` (and, with `maxclients`, has at most that many
    clients: ``var.clients`` as a local optimizer sees it)."""
    if maxclients is not None and len(getattr(var, "clients", ())) > maxclients:
        return False
    return bool(var.owner and var.owner.op == op)


def _strip_dimshuffles(v):
    while v.owner is not None and isinstance(v.owner.op, DimShuffle):
        v = v.owner.inputs[0]
    return v


def _same_type(new, old):
    """[new] when it has `old`'s type, else None (the rewrite would change the type)."""
    return [new] if new.type == old.type else None


def _cast_scalar(s, dtype):
    """The 0-d `s` in `dtype` (a constant stays a constant)."""
    if s.type.dtype == dtype:
        return s
    if isinstance(s, Constant):
        return T.constant(np.asarray(s.data, dtype=dtype))
    return T.cast(s, dtype)


def _as_scalar(res, dtype=None):
    """`res` as a 0-d variable when all its dimensions are broadcastable (dimshuffles
    removed; an integer one cast to `dtype`, floatX by default, when that cast loses
    nothing), else None."""
    if dtype is None:
        dtype = config.floatX
    if not all(res.type.broadcastable):
        return None
    res = _strip_dimshuffles(res)
    rval = res.dimshuffle() if res.type.broadcastable else res
    if rval.type.dtype in D.integer_dtypes:
        if D.upcast(res.type.dtype, dtype) == dtype:
            return _cast_scalar(rval, dtype)
        return None
    return rval


def _is_real_matrix(res):
    return (res.type.dtype in ("float16", "float32", "float64") and res.type.ndim == 2
            and not res.type.broadcastable[0] and not res.type.broadcastable[1])


def _is_real_vector(res):
    return (res.type.dtype in ("float16", "float32", "float64") and res.type.ndim == 1
            and not res.type.broadcastable[0])


def _beta_L_plus_alpha_M(beta, L, alpha, M, recurse_flip=True):  # noqa: N802,N803
    """``beta * L + alpha * M`` as one gemm when M (or L, trying both orders) is a Dot22
    (possibly seen through a dimshuffle to a vector or scalar): ([gemm result], the
    Dot22 result), or (False, False)."""
    if M.owner is not None and M.owner.op == _dot22:
        ml, mr = M.owner.inputs
        return [gemm_no_inplace(L, alpha, ml, mr, beta)], M
    if M.owner is not None and isinstance(M.owner.op, DimShuffle):
        mm = M.owner.inputs[0]
        if mm.owner is not None and isinstance(mm.owner.op, Dot22):
            mml, mmr = mm.owner.inputs
            order = tuple(M.owner.op.new_order)
            # A column, a row or a 1x1 product seen as a vector or a scalar.
            lift = {(0,): ((0, "x"), (0,)), (1,): (("x", 0), (1,)),
                    (): (("x", "x"), ())}.get(order)
            if lift is not None:
                g = gemm_no_inplace(L.dimshuffle(*lift[0]), alpha, mml, mmr, beta)
                return [g.dimshuffle(*lift[1])], mm
    if recurse_flip:
        return _beta_L_plus_alpha_M(alpha, M, beta, L, recurse_flip=False)
    return False, False


def _gemm_canonicalize(r, scale, rval, maxclients, clients=None):
    """Append to `rval` the terms of `r` seen as a sum of ``scale * matrix`` (or vector)
    pairs, through add, sub, neg and mul by scalars; other terms are appended as they
    are.  Returns `rval`."""
    def scaled(thing):
        if scale == 1:
            return thing
        if scale == -1 and thing.type.dtype != "bool":
            return -thing
        return scale * thing

    if not hasattr(getattr(r, "type", None), "broadcastable"):
        return None
    if r.type.ndim not in (1, 2) or r.type.dtype not in _FLOATS:
        rval.append(scaled(r))
        return rval
    n_clients = len(clients.get(r, ()) if clients is not None else getattr(r, "clients", []))
    if maxclients and n_clients > maxclients:
        rval.append((scale, r))
        return rval
    op = r.owner.op if r.owner is not None else None
    if op == T.sub:
        _gemm_canonicalize(r.owner.inputs[0], scale, rval, 1, clients)
        _gemm_canonicalize(r.owner.inputs[1], -scale, rval, 1, clients)
    elif op == T.add:
        for i in r.owner.inputs:
            _gemm_canonicalize(i, scale, rval, 1, clients)
    elif op == T.neg:
        _gemm_canonicalize(r.owner.inputs[0], -scale, rval, 1, clients)
    elif op == T.mul:
        scalars, vectors, matrices = [], [], []
        for i in r.owner.inputs:
            if all(i.type.broadcastable):
                i = _strip_dimshuffles(i)
                scalars.append(i.dimshuffle() if i.type.broadcastable else i)
            elif _is_real_vector(i):
                vectors.append(i)
            elif _is_real_matrix(i):
                matrices.append(i)
            else:
                rval.append((scale, r))
                return rval
        if len(matrices) + len(vectors) == 1:
            term = (matrices or vectors)[0]
            if not scalars:
                factor = scale
            elif len(scalars) == 1:
                factor = scaled(scalars[0])
            else:
                factor = T.mul(scaled(scalars[0]), *scalars[1:])
            _gemm_canonicalize(term, factor, rval, 1, clients)
        else:
            rval.append((scale, r))
    else:
        rval.append((scale, r))
    return rval


def _factor_canonicalized(lst):
    """Merge the (scale, term) pairs of `lst` whose terms are the same variable (their
    scales added), keeping the first position."""
    lst = list(lst)
    i = 0
    while i < len(lst) - 1:
        if not isinstance(lst[i], tuple):
            i += 1
            continue
        s_i, m_i = lst[i]
        j = i + 1
        while j < len(lst):
            if isinstance(lst[j], tuple) and lst[j][1] is m_i:
                s_i = s_i + lst[j][0]
                lst[i] = (s_i, m_i)
                del lst[j]
            else:
                j += 1
        i += 1
    return lst


def _gemm_from_factored_list(lst):
    """A gemm (summed with the other terms) from two terms of `lst`, or None.  Returns
    ([new output], the Dot22 result it replaces)."""
    pairs = []
    for term in lst:
        if isinstance(term, tuple):  # pairs whose scale casts to the term's dtype
            s, m = T.as_tensor_variable(term[0]), term[1]
            if D.upcast(s.type.dtype, m.type.dtype) == m.type.dtype:
                pairs.append((_cast_scalar(s, m.type.dtype), m))

    def as_var(t):
        s, m = t
        if s == 1:
            return m
        if s == -1:
            return -m
        return s * m

    for i in range(len(pairs) - 1):
        s_i, m_i = pairs[i]
        for j in range(i + 1, len(pairs)):
            s_j, m_j = pairs[j]
            if m_i.type != m_j.type:
                continue
            found, old_dot22 = _beta_L_plus_alpha_M(s_i, m_i, s_j, m_j)
            if found:
                others = [as_var(t) for k, t in enumerate(pairs) if k not in (i, j)]
                terms = others + found
                return ([T.add(*terms)] if len(terms) > 1 else terms), old_dot22
    return None


def _gemm_from_node2(node, clients=None):
    """(replacement outputs or None, canonicalize time, factor time, gemm time) for a
    node computing a sum of scaled matrix products."""
    t0 = time.time()
    lst = _gemm_canonicalize(node.outputs[0], 1.0, [], 0, clients)
    t1 = time.time()
    if lst is not None and len(lst) > 1:
        lst = _factor_canonicalized(lst)
        t2 = time.time()
        rval = _gemm_from_factored_list(lst)
        t3 = time.time()
        # A scalar factor may upcast the whole expression: skip such candidates.
        if rval and rval[0][0].type == node.outputs[0].type:
            return rval, t1 - t0, t2 - t1, t3 - t2
    return None, t1 - t0, 0, 0


class GemmOptimizer(Optimizer):
    """Replaces ``b * z + a * dot22(x, y)`` sums in a FunctionGraph by gemm nodes."""

    __module__ = _MODULE

    def __init__(self):
        super().__init__()
        self.warned = False

    def add_requirements(self, fgraph):
        pass

    def apply(self, fgraph):
        changed = True
        while changed:
            changed = False
            for node in reversed(fgraph.toposort()):
                if node not in fgraph.apply_nodes:
                    continue
                if not (node.op == T.add or node.op == T.sub or node.op == T.neg
                        or node.op == T.mul):
                    continue
                new_outputs = _gemm_from_node2(node)[0]
                if not new_outputs:
                    continue
                new_outputs, old_dot22 = new_outputs
                (new_out,) = new_outputs
                try:
                    fgraph.replace_all_validate_remove(
                        [(node.outputs[0], new_out)], [old_dot22],
                        reason="GemmOptimizer")
                except (InconsistencyError, ReplacementDidntRemovedError):
                    continue
                except AttributeError:
                    fgraph.replace(node.outputs[0], new_out, reason="GemmOptimizer")
                changed = True
                break


# ----------------------------------------------------------------------------- local opts


@local_optimizer([Dot])
def local_dot_to_dot22(node):
    """dot of float matrices/vectors -> _dot22 (vectors as rows/columns)."""
    if not isinstance(node.op, Dot):
        return None
    x, y = node.inputs
    if y.type.dtype != x.type.dtype or y.type.dtype not in _FLOATS:
        _logger.info("Not optimizing dot with inputs %s %s %s %s", x, y, x.type, y.type)
        return None
    with inherit_stack_trace(node.outputs):
        if x.type.ndim == 2 and y.type.ndim == 2:
            return [_dot22(x, y)]
        if x.type.ndim == 2 and y.type.ndim == 1:
            return [_dot22(x, y.dimshuffle(0, "x")).dimshuffle(0)]
        if x.type.ndim == 1 and y.type.ndim == 2:
            return [_dot22(x.dimshuffle("x", 0), y).dimshuffle(1)]
        if x.type.ndim == 1 and y.type.ndim == 1:
            return [_dot22(x.dimshuffle("x", 0), y.dimshuffle(0, "x")).dimshuffle()]
    return None


def _inplace_optimizer(name, op, inplace_op):
    """The local optimizer `name` (Theano's local_inplace_gemm/gemv/ger): a node of `op`
    -> the same inputs through `inplace_op`."""
    def rewrite(node):
        if node.op == op:
            with inherit_stack_trace(node.outputs):
                return [inplace_op(*node.inputs)]
        return None

    rewrite.__name__ = rewrite.__qualname__ = name
    return local_optimizer([op], inplace=True)(rewrite)


local_inplace_gemm = _inplace_optimizer("local_inplace_gemm", gemm_no_inplace, gemm_inplace)
local_inplace_gemv = _inplace_optimizer("local_inplace_gemv", gemv_no_inplace, gemv_inplace)
local_inplace_ger = _inplace_optimizer("local_inplace_ger", ger, ger_destructive)


@local_optimizer([gemm_no_inplace])
def local_gemm_to_gemv(node):
    """GEMM acting on row or column matrices -> GEMV."""
    if node.op != gemm_no_inplace:
        return None
    z, a, x, y, b = node.inputs
    with inherit_stack_trace(node.outputs):
        if z.type.broadcastable == x.type.broadcastable == (True, False):
            r = gemv_no_inplace(z.dimshuffle(1), a, y.T, x.dimshuffle(1), b)
            return [r.dimshuffle("x", 0)]
        if z.type.broadcastable == y.type.broadcastable == (False, True):
            r = gemv_no_inplace(z.dimshuffle(0), a, x, y.dimshuffle(0), b)
            return [r.dimshuffle(0, "x")]
    return None


def _dim(var, axis):
    """``Shape_i(axis)`` of `var`, read off the input of the DimShuffles that made it (the
    vector under a column or row), as Theano's shape feature resolved ``x.shape[axis]``."""
    while var.owner is not None and isinstance(var.owner.op, T.DimShuffle):
        source_axis = var.owner.op.new_order[axis]
        if source_axis == "x":
            break
        var, axis = var.owner.inputs[0], source_axis
    return T.Shape_i(axis)(var)


@local_optimizer([gemm_no_inplace])
def local_gemm_to_ger(node):
    """GEMM computing an outer product (b 0 or 1) -> GER."""
    if node.op != gemm_no_inplace:
        return None
    z, a, x, y, b = node.inputs
    if not (x.type.broadcastable[1] and y.type.broadcastable[0]):
        return None
    with inherit_stack_trace(node.outputs):
        xv, yv = x.dimshuffle(0), y.dimshuffle(1)
        try:
            bval = T.get_scalar_constant_value(b)
        except T.NotScalarConstantError:
            return None
        if bval == 1:
            return [ger(z, a, xv, yv)]
        if bval == 0:
            zeros = T.zeros([_dim(x, 0), _dim(y, 1)], x.type.dtype)
            return [ger(zeros, a, xv, yv)]
    return None


@local_optimizer([_dot22])
def local_dot22_to_ger_or_gemv(node):
    """_dot22 of a column and a row -> GER; of a row or column and a matrix -> GEMV."""
    if node.op != _dot22:
        return None
    x, y = node.inputs
    xb, yb = x.type.broadcastable, y.type.broadcastable
    dtype = x.type.dtype
    one = T.as_tensor_variable(np.asarray(1, dtype=dtype))
    zero = T.as_tensor_variable(np.asarray(0, dtype=dtype))
    with inherit_stack_trace(node.outputs):
        if xb[1] and yb[0]:
            zeros = T.zeros([_dim(x, 0), _dim(y, 1)], dtype=dtype)
            return [ger(zeros, one, x.dimshuffle(0), y.dimshuffle(1))]
        if xb[0] and yb[1]:
            r = gemv_no_inplace(T.AllocEmpty(dtype)(1), one, y.T, x.dimshuffle(1), zero)
            return [r.dimshuffle("x", 0)]
        if xb[0] and not yb[0] and not yb[1]:
            r = gemv_no_inplace(T.AllocEmpty(dtype)(_dim(y, 1)), one, y.T,
                                x.dimshuffle(1), zero)
            return [r.dimshuffle("x", 0)]
        if not xb[0] and not xb[1] and yb[1]:
            r = gemv_no_inplace(T.AllocEmpty(dtype)(_dim(x, 0)), one, x,
                                y.dimshuffle(0), zero)
            return [r.dimshuffle(0, "x")]
    return None


def _scalar_of_dtype(var, dtype):
    """`var` as a scalar (see `_as_scalar`) whose dtype upcasts into `dtype`, or None."""
    s = _as_scalar(var, dtype=dtype)
    if s is None or D.upcast(var.type.dtype, dtype) != dtype:
        return None
    return s


def _mul_factors(var, depth=8):
    """The factors of `var` through nested binary muls (Theano's mul was n-ary; here a
    product of several factors is a chain of two-input muls)."""
    owner = var.owner
    if depth and owner is not None and owner.op == T.mul:
        return [f for i in owner.inputs for f in _mul_factors(i, depth - 1)]
    return [var]


@local_optimizer([T.mul])
def local_dot22_to_dot22scalar(node):
    """``mul(_dot22(x, y), s, ...)`` -> ``mul(_dot22scalar(x, y, s), ...)`` for a scalar
    factor s whose dtype upcasts into the product's (a factor of the mul itself first,
    else one inside a product among its factors).  The first _dot22 factor is used."""
    if node.op != T.mul:
        return None
    factors = [f for i in node.inputs for f in _mul_factors(i)]
    dots = [f for f in factors if f.owner is not None and f.owner.op == _dot22]
    if not dots:
        return None
    d = dots[0]
    dtype = d.type.dtype
    direct = [i for i in node.inputs if i is not d]
    for candidates in (direct, factors):
        for x in candidates:
            if x is d:
                continue
            a = _scalar_of_dtype(x, dtype)
            if a is None:
                continue
            others = list(factors)
            others.remove(d)
            others.remove(x)
            new = _dot22scalar(d.owner.inputs[0], d.owner.inputs[1], _cast_scalar(a, dtype))
            return _same_type(T.mul(new, *others) if others else new, node.outputs[0])
    _logger.info("Not optimizing dot22 with inputs %s: no scalar of a dtype upcasting "
                 "into the product's", node.inputs)
    return None


@local_optimizer(None)
def local_print_as_we_go_along(node):
    """Prints every node it sees (a debugging aid of Theano's)."""
    if node.op in (T.sub, T.add):
        print("local_print_as_we_go_along", node)
    return None


# The BlasOpt database, as Theano laid it out (its entries are registered by
# theano_compat/tensor/rewrites/blas.py, blas_c.py and blas_scipy.py).
blas_optdb = SequenceDB()
blas_opt_inplace = in2out(local_inplace_gemm, local_inplace_gemv, local_inplace_ger,
                          name="blas_opt_inplace")


def __getattr__(name):
    # Names of Theano's module from layers above this one (theano.gof, theano.printing),
    # looked up once they are loaded (never imported from here).
    where = {"local_dimshuffle_lift": ("tensor.opt", "local_dimshuffle_lift"),
             "utils": ("gof", "utils"), "toolbox": ("gof", "toolbox"),
             "ParamsType": ("gof", "ParamsType"), "pprint": ("printing", "pprint"),
             "FunctionPrinter": ("printing", "FunctionPrinter"),
             "debugprint": ("printing", "debugprint")}.get(name)
    if where is not None:
        module = sys.modules.get(f"{__name__.split('.')[0]}.{where[0]}")
        if module is not None and hasattr(module, where[1]):
            return getattr(module, where[1])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"utils", "toolbox", "ParamsType", "pprint",
                                     "FunctionPrinter", "debugprint", "local_dimshuffle_lift"})
