"""Linear algebra on NumPy's linalg (theano.tensor.nlinalg).

Each Op computes with ``xp.linalg`` (NumPy or CuPy).  Gradients follow the usual
matrix-calculus identities, with Theano 1.0.5's conventions where they matter: the
outputs keep the input dtype, and the gradient of ``eigh`` only involves the triangle
of the input that LAPACK reads (UPLO).
"""

from __future__ import annotations

import functools
import logging
import sys
from functools import partial  # noqa: F401 - a name of Theano's module

import numpy as np

from ..graph.basic import Apply
from ..graph.null import DisconnectedType, grad_not_implemented
from ..graph.op import Op
from ..scalar import dtypes as D
from .basic import as_tensor_variable, eye, zeros_like
from .extra_ops import AllocDiag as _BasicAllocDiag
from .extra_ops import ExtractDiag
from .elemwise_ops import minimum
from .math import abs_, dot, max, min, neq, sqr, sqrt, sum  # noqa: A004
from .type import TensorType

__all__ = [
    "SVD",
    "AllocDiag",
    "Det",
    "Eig",
    "Eigh",
    "EighGrad",
    "ExtractDiag",
    "MatrixInverse",
    "MatrixPinv",
    "QRFull",
    "QRIncomplete",
    "TensorInv",
    "TensorSolve",
    "alloc_diag",
    "det",
    "diag",
    "eig",
    "eigh",
    "extract_diag",
    "lstsq",
    "matrix_dot",
    "matrix_inverse",
    "matrix_power",
    "norm",
    "pinv",
    "qr",
    "svd",
    "tensorinv",
    "tensorsolve",
    "trace",
]


logger = logging.getLogger("theano.tensor.nlinalg")
tensor = sys.modules[__name__.rpartition(".")[0]]  # theano.tensor (names of Theano's module)
theano = sys.modules[__name__.split(".")[0]]
xrange = range


def _zero_disconnected(outputs, grads):
    """`grads` with each disconnected gradient replaced by zeros shaped like its output."""
    return [zeros_like(o) if isinstance(g.type, DisconnectedType) else g
            for o, g in zip(outputs, grads)]


def _matrix(x, name):
    x = as_tensor_variable(x)
    if x.type.ndim != 2:
        raise TypeError(f"{name} needs a matrix, got {x.type}")
    return x


def _real(xp, a, dtype):
    """`a` in `dtype`, dropping a zero imaginary part LAPACK may return."""
    if np.iscomplexobj(a) and dtype not in D.complex_dtypes:
        a = a.real
    return a.astype(dtype, copy=False)


def _is_disconnected(g):
    return g is None or isinstance(g.type, DisconnectedType)


class MatrixInverse(Op):
    """The inverse of a square matrix."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x):
        x = _matrix(x, "matrix_inverse")
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return _real(xp, xp.linalg.inv(x), x.dtype)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        # d(X^-1) = -X^-1 dX X^-1, so the gradient is -X^-T G X^-T.
        (xi,), (g,) = outputs, grads
        return [-dot(dot(xi.T, g), xi.T)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        xi = self(inputs[0])
        return [-dot(dot(xi, eval_points[0]), xi)]


matrix_inverse = MatrixInverse()


class MatrixPinv(Op):
    """The Moore-Penrose pseudo-inverse."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x):
        x = _matrix(x, "pinv")
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return _real(xp, xp.linalg.pinv(x), x.dtype)

    def L_op(self, inputs, outputs, grads):
        # Golub & Pereyra's derivative of the pseudo-inverse (valid at constant rank).
        (x,), (z,), (g,) = inputs, outputs, grads
        xz, zx = dot(x, z), dot(z, x)
        i_m = eye(xz.shape[0], dtype=x.type.dtype)
        i_n = eye(zx.shape[0], dtype=x.type.dtype)
        grad = (-matrix_dot(z.T, g, z.T)
                + matrix_dot(i_m - xz, g.T, z, z.T)
                + matrix_dot(z.T, z, g.T, i_n - zx))
        return [grad]


pinv = MatrixPinv()


class Det(Op):
    """The determinant of a square matrix (a scalar of the input dtype)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x):
        x = _matrix(x, "det")
        return Apply(self, [x], [TensorType(x.type.dtype, ())()])

    def impl(self, xp, x):
        return xp.asarray(xp.linalg.det(x), dtype=x.dtype)

    def infer_shape(self, node, shapes):
        return [()]

    def L_op(self, inputs, outputs, grads):
        (x,), (z,), (g,) = inputs, outputs, grads
        return [g * z * matrix_inverse(x).T]

    def __str__(self):
        return "Det"


det = Det()


class Eig(Op):
    """Eigenvalues and right eigenvectors of a square matrix (real parts, input dtype)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x):
        x = _matrix(x, "eig")
        return Apply(self, [x], [TensorType(x.type.dtype, (False,))(), x.type()])

    def impl(self, xp, x):
        w, v = xp.linalg.eig(x)
        return _real(xp, w, x.dtype), _real(xp, v, x.dtype)

    def infer_shape(self, node, shapes):
        n = shapes[0][0]
        return [(n,), (n, n)]

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0], "Theano 1.0.5 had no gradient for eig; "
                                     "use eigh for symmetric matrices")]


eig = Eig()


class Eigh(Eig):  # an Eig, as in Theano
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix, read from the UPLO
    triangle."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("UPLO",)

    def __init__(self, UPLO="L"):  # noqa: N803 - NumPy's name
        if UPLO not in ("L", "U"):
            raise ValueError(f"UPLO must be 'L' or 'U', got {UPLO!r}")
        self.UPLO = UPLO

    def make_node(self, x):
        x = _matrix(x, "eigh")
        dtype = D.upgrade_to_float(x.type.dtype)
        return Apply(self, [x],
                     [TensorType(dtype, (False,))(), TensorType(dtype, (False, False))()])

    def impl(self, xp, x):
        dtype = D.upgrade_to_float(str(x.dtype))
        w, v = xp.linalg.eigh(x, UPLO=self.UPLO)
        return w.astype(dtype, copy=False), v.astype(dtype, copy=False)

    def L_op(self, inputs, outputs, grads):
        (x,), (w, v) = inputs, outputs
        gw, gv = _zero_disconnected([w, v], grads)
        return [EighGrad(self.UPLO)(x, w, v, gw, gv)]


def eigh(a, UPLO="L"):  # noqa: N803
    """(w, v): eigenvalues and eigenvectors of the symmetric matrix `a`."""
    return Eigh(UPLO)(a)


class EighGrad(Op):
    """The gradient of Eigh, from the eigendecomposition and the output gradients."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("UPLO",)

    def __init__(self, UPLO="L"):  # noqa: N803
        self.UPLO = UPLO

    def make_node(self, x, w, v, gw, gv):
        inputs = [as_tensor_variable(i) for i in (x, w, v, gw, gv)]
        dtype = D.upcast(*[i.type.dtype for i in inputs])
        return Apply(self, inputs, [TensorType(dtype, (False, False))()])

    def impl(self, xp, x, w, v, gw, gv):
        # dA = V (diag(gw) + F o (V^T gV)) V^T with F[m, n] = 1 / (w[n] - w[m]) off the
        # diagonal (first-order perturbation theory), restricted to the triangle read.
        n = w.shape[0]
        diff = w[None, :] - w[:, None]
        with np.errstate(divide="ignore"):
            f = xp.where(xp.eye(n, dtype=bool), 0, 1 / xp.where(diff == 0, 1, diff))
        inner = xp.diag(gw) + f * (v.T @ gv)
        g = v @ inner @ v.T
        out = fold_triangle(xp, g, self.UPLO)
        return out.astype(str(np.result_type(x.dtype, w.dtype, gw.dtype, gv.dtype)), copy=False)


def fold_triangle(xp, g, uplo):
    """Put a gradient on the triangle LAPACK reads: entries of the other triangle are
    added to their mirror images (eigh(a, 'L') depends on tril(a) only)."""
    if uplo == "L":
        return xp.tril(g) + xp.triu(g, 1).T
    return xp.triu(g) + xp.tril(g, -1).T


class SVD(Op):
    """Singular value decomposition: (U, s, V^H), or s alone when not compute_uv."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("full_matrices", "compute_uv")

    def __init__(self, full_matrices=True, compute_uv=True):
        self.full_matrices = bool(full_matrices)
        self.compute_uv = bool(compute_uv)

    def make_node(self, x):
        x = _matrix(x, "svd")
        dtype = D.upgrade_to_float(x.type.dtype)
        s = TensorType(dtype, (False,))()
        if not self.compute_uv:
            return Apply(self, [x], [s])
        return Apply(self, [x], [TensorType(dtype, (False, False))(), s,
                                 TensorType(dtype, (False, False))()])

    def impl(self, xp, x):
        dtype = D.upgrade_to_float(str(x.dtype))
        out = xp.linalg.svd(x, full_matrices=self.full_matrices, compute_uv=self.compute_uv)
        if not self.compute_uv:
            return out.astype(dtype, copy=False)
        return tuple(o.astype(dtype, copy=False) for o in out)

    def infer_shape(self, node, shapes):
        m, n = shapes[0]
        k = minimum(m, n)
        if not self.compute_uv:
            return [(k,)]
        if self.full_matrices:
            return [(m, m), (k,), (n, n)]
        return [(m, k), (k,), (k, n)]

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0], "Theano 1.0.5 had no gradient for svd")]


def svd(a, full_matrices=1, compute_uv=1):
    """(U, s, V^H) of `a` (s only when compute_uv is false), as np.linalg.svd."""
    return SVD(full_matrices, compute_uv)(a)


class QRFull(Op):
    """QR decomposition: (q, r) for mode 'reduced'/'complete', (h, tau) for 'raw'."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("mode",)

    def __init__(self, mode="reduced"):
        self.mode = mode

    def make_node(self, x):
        x = _matrix(x, "qr")
        dtype = D.upgrade_to_float(x.type.dtype)
        if self.mode == "raw":
            outs = [TensorType(dtype, (False, False))(), TensorType(dtype, (False,))()]
        else:
            outs = [TensorType(dtype, (False, False))(), TensorType(dtype, (False, False))()]
        return Apply(self, [x], outs)

    def impl(self, xp, x):
        dtype = D.upgrade_to_float(str(x.dtype))
        return tuple(o.astype(dtype, copy=False) for o in xp.linalg.qr(x, mode=self.mode))

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0], "Theano 1.0.5 had no gradient for qr")]


class QRIncomplete(Op):
    """The r factor of a QR decomposition alone (mode 'r')."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("mode",)

    def __init__(self, mode="r"):
        self.mode = mode

    def make_node(self, x):
        x = _matrix(x, "qr")
        return Apply(self, [x], [TensorType(D.upgrade_to_float(x.type.dtype), (False, False))()])

    def impl(self, xp, x):
        r = xp.linalg.qr(x, mode="r")
        return r.astype(D.upgrade_to_float(str(x.dtype)), copy=False)

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0], "Theano 1.0.5 had no gradient for qr")]


def qr(a, mode="reduced"):
    """np.linalg.qr: [q, r] for 'reduced'/'complete', r for 'r', [h, tau] for 'raw'."""
    if mode == "r":
        return QRIncomplete("r")(a)
    if mode not in ("reduced", "complete", "raw"):
        raise ValueError(f"Unrecognized mode '{mode}'")
    return QRFull(mode)(a)


class TensorInv(Op):
    """np.linalg.tensorinv(a, ind)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("ind",)

    def __init__(self, ind=2):
        self.ind = int(ind)

    def make_node(self, a):
        a = as_tensor_variable(a)
        dtype = D.upgrade_to_float(a.type.dtype)
        return Apply(self, [a], [TensorType(dtype, (False,) * a.type.ndim)()])

    def impl(self, xp, a):
        return xp.linalg.tensorinv(a, self.ind).astype(D.upgrade_to_float(str(a.dtype)),
                                                        copy=False)

    def infer_shape(self, node, shapes):
        shp = tuple(shapes[0])
        return [shp[self.ind:] + shp[:self.ind]]

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, 0, inputs[0])]


def tensorinv(a, ind=2):
    """The inverse of `a` seen as a matrix over its first `ind` and remaining axes."""
    return TensorInv(ind)(a)


class TensorSolve(Op):
    """np.linalg.tensorsolve(a, b, axes)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ("axes",)

    def __init__(self, axes=None):
        self.axes = None if axes is None else tuple(axes)

    def make_node(self, a, b):
        a, b = as_tensor_variable(a), as_tensor_variable(b)
        dtype = D.upgrade_to_float(D.upcast(a.type.dtype, b.type.dtype))
        ndim = a.type.ndim - b.type.ndim
        return Apply(self, [a, b], [TensorType(dtype, (False,) * ndim)()])

    def impl(self, xp, a, b):
        out = xp.linalg.tensorsolve(a, b, self.axes)
        return out.astype(D.upgrade_to_float(str(np.result_type(a.dtype, b.dtype))),
                          copy=False)

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, k, v) for k, v in enumerate(inputs)]


def tensorsolve(a, b, axes=None):
    """x such that tensordot(a, x, x.ndim) == b."""
    return TensorSolve(axes)(a, b)


class lstsq(Op):  # noqa: N801 - Theano's name (an Op class)
    """np.linalg.lstsq(x, y, rcond): (solution, residuals, rank, singular values)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x, y, rcond):
        x, y, rcond = (as_tensor_variable(v) for v in (x, y, rcond))
        dtype = D.upgrade_to_float(D.upcast(x.type.dtype, y.type.dtype))
        return Apply(self, [x, y, rcond], [
            TensorType(dtype, (False,) * y.type.ndim)(), TensorType(dtype, (False,))(),
            TensorType("int64", ())(), TensorType(dtype, (False,))()])

    def impl(self, xp, x, y, rcond):
        dtype = D.upgrade_to_float(str(np.result_type(x.dtype, y.dtype)))
        # rcond goes to NumPy as given: a non-scalar one fails there, as in Theano.
        if getattr(rcond, "ndim", 0) != 0:
            raise np.linalg.LinAlgError(f"lstsq: rcond must be a scalar, got shape "
                                        f"{rcond.shape}")
        sol, res, rank, s = xp.linalg.lstsq(x, y, rcond=float(rcond))
        return (sol.astype(dtype, copy=False), xp.asarray(res, dtype=dtype).reshape(-1),
                xp.asarray(rank, dtype="int64"), s.astype(dtype, copy=False))

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, k, v) for k, v in enumerate(inputs)]


class AllocDiag(_BasicAllocDiag):
    """The diagonal matrix of a vector (Theano had two AllocDiag Ops: this one, of
    theano.tensor.nlinalg, takes vectors only; theano.tensor.basic's also takes an offset,
    axes and inputs of more dimensions)."""

    __module__ = "theano.tensor.nlinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def __init__(self):
        super().__init__()

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.ndim != 1:
            raise TypeError("AllocDiag only works on vectors", x)
        return super().make_node(x)


alloc_diag = AllocDiag()
extract_diag = ExtractDiag()


def diag(x):
    """A vector's diagonal matrix, or a matrix's diagonal."""
    x = as_tensor_variable(x)
    if x.type.ndim == 1:
        return alloc_diag(x)
    if x.type.ndim == 2:
        return extract_diag(x)
    raise TypeError("diag requires vector or matrix argument", x)


def trace(X):  # noqa: N803 - Theano's name
    """The sum of the diagonal of a matrix."""
    return sum(extract_diag(X))


def matrix_dot(*args):
    """dot(args[0], dot(args[1], ...)) from the left: the product of all matrices."""
    return functools.reduce(dot, args)


def matrix_power(M, n):  # noqa: N803
    """M raised to the integer power n by repeated squaring (n < 0 uses the inverse)."""
    M = _matrix(M, "matrix_power")
    n = int(n)
    if n < 0:
        M, n = matrix_inverse(M), -n
    if n == 0:
        return eye(M.shape[0], dtype=M.type.dtype)
    result, base = None, M
    while n:
        if n & 1:
            result = base if result is None else dot(result, base)
        n >>= 1
        if n:
            base = dot(base, base)
    return result


def norm(x, ord):  # noqa: A002 - Theano's signature
    """Vector and matrix norms as np.linalg.norm for the orders Theano supported."""
    x = as_tensor_variable(x)
    if x.type.ndim == 1:
        if ord is None or ord == 2:
            return sqrt(sum(sqr(x)))
        if ord in ("inf", np.inf):
            return max(abs_(x))
        if ord in ("-inf", -np.inf):
            return min(abs_(x))
        if ord == 0:
            return sum(neq(x, 0))
        if isinstance(ord, str) or not np.isscalar(ord):
            raise ValueError("Invalid norm order for vectors.")
        return sum(abs_(x) ** ord) ** (1.0 / ord)
    if x.type.ndim == 2:
        if ord is None or ord == "fro":
            return sqrt(sum(sqr(abs_(x))))
        if ord in ("inf", np.inf):
            return max(sum(abs_(x), 1))
        if ord in ("-inf", -np.inf):
            return min(sum(abs_(x), 1))
        if ord == 1:
            return max(sum(abs_(x), 0))
        if ord == -1:
            return min(sum(abs_(x), 0))
        raise ValueError(f"norm: order {ord!r} is not supported for matrices")
    if x.type.ndim == 0:
        raise ValueError("'axis' entry is out of bounds.")
    raise NotImplementedError("We don't support norm with ndim > 2")
