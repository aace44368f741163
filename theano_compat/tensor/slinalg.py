"""Linear algebra on SciPy (theano.tensor.slinalg): Cholesky, triangular and general
solves, generalized symmetric eigenvalues, the matrix exponential, Kronecker products.

SciPy is reached through the backend (imported on first use).  Outputs keep the
input dtype, as in Theano 1.0.5.
"""

from __future__ import annotations

import logging
import sys

import numpy as np

from ..backend import scipy_linalg
from ..graph.basic import Apply, Constant
from ..graph.op import Op
from ..scalar import dtypes as D
from .basic import as_tensor_variable, patternbroadcast, reshape, shape, stack
from .basic import tril as _tril
from .basic import triu as _triu
from .extra_ops import AllocDiag, ExtractDiag
from .elemwise_ops import invert, isnan, switch
from .math import any as any_
from .math import dot, outer
from .nlinalg import fold_triangle
from .type import TensorType

__all__ = [
    "MATRIX_STRUCTURES", "Cholesky", "CholeskyGrad", "Eigvalsh", "EigvalshGrad", "Expm",
    "ExpmGrad", "Solve",
    "cholesky", "eigvalsh", "expm", "kron", "solve", "solve_lower_triangular",
    "solve_symmetric", "solve_upper_triangular",
]

logger = logging.getLogger("theano.tensor.slinalg")
imported_scipy = True  # SciPy is a dependency of theano_compat
tensor = sys.modules[__name__.rpartition(".")[0]]  # theano.tensor (names of Theano's module)
theano = sys.modules[__name__.split(".")[0]]
xrange = range

MATRIX_STRUCTURES = ("general", "symmetric", "lower_triangular", "upper_triangular",
                     "hermitian", "banded", "diagonal", "toeplitz")


def _matrix(x, name):
    x = as_tensor_variable(x)
    if x.type.ndim != 2:
        raise TypeError(f"{name} needs a matrix, got {x.type}")
    return x


class Cholesky(Op):
    """The Cholesky factor L (lower) or U (upper) of a symmetric positive-definite matrix.

    ``on_error='nan'`` returns a matrix of NaNs instead of raising for a matrix that is not
    positive definite.
    """

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ("lower", "on_error")

    def __init__(self, lower=True, on_error="raise"):
        if on_error not in ("raise", "nan"):
            raise ValueError('on_error must be one of "raise" or ""nan"')
        self.lower = lower
        self.on_error = on_error

    def make_node(self, x):
        x = _matrix(x, "cholesky")
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        try:
            z = scipy_linalg(xp, "cholesky")(x, lower=self.lower)
        except np.linalg.LinAlgError:
            if self.on_error == "raise":
                raise
            z = xp.full(x.shape, np.nan)
        return z.astype(x.dtype, copy=False)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        # Reverse mode of the Cholesky factorization (I. Murray, "Differentiation of the
        # Cholesky decomposition", 2016): with L lower and P = Phi(L^T dL), where Phi takes
        # the lower triangle and halves the diagonal, S = L^-T P L^-1 and the gradient is
        # the lower triangle of S + S^T minus diag(S).
        (z,), (g,) = outputs, grads
        ok = None
        if self.on_error == "nan":
            # A factor of NaNs (not positive definite) has a NaN gradient: the solves below
            # run on ones instead, and the result is replaced (as in Theano 1.0.5).
            ok = invert(any_(isnan(z)))
            z, g = switch(ok, z, 1), switch(ok, g, 1)
        if not self.lower:
            z, g = z.T, g.T
        p = _tril(dot(z.T, g))
        p = p - AllocDiag()(ExtractDiag()(p) / 2)
        s = solve_upper_triangular(z.T, solve_upper_triangular(z.T, p.T).T)
        sym = s + s.T
        out = (_tril(sym) if self.lower else _triu(sym)) - AllocDiag()(ExtractDiag()(s))
        if ok is not None:
            out = switch(ok, out, np.nan)
        return [out]


cholesky = Cholesky()


class CholeskyGrad(Op):
    """The reverse-mode gradient of Cholesky as one Op: inputs ``(x, L, dz)`` (the matrix,
    its Cholesky factor, the gradient of the factor), output the gradient of ``x`` on the
    triangle Cholesky reads.  (Cholesky's own gradient builds the same expression from
    triangular solves; this Op is Theano's older, stand-alone form.)"""

    __props__ = ("lower", "destructive")
    __module__ = "theano.tensor.slinalg"

    def __init__(self, lower=True):
        self.lower = lower
        self.destructive = False

    def make_node(self, x, l, dz):  # noqa: E741 - Theano's names
        x, l, dz = as_tensor_variable(x), as_tensor_variable(l), as_tensor_variable(dz)
        if not (x.type.ndim == l.type.ndim == dz.type.ndim == 2):
            raise TypeError("CholeskyGrad needs three matrices")
        if l.owner is not None and isinstance(l.owner.op, Cholesky) and \
                l.owner.op.lower != self.lower:
            raise ValueError("lower/upper mismatch between Cholesky op and CholeskyGrad op")
        return Apply(self, [x, l, dz], [x.type()])

    def impl(self, xp, x, l, dz):  # noqa: E741
        # Murray (2016): with L lower, P = Phi(L^T dz) (lower triangle, diagonal halved),
        # S = L^-T P L^-1; the gradient is tril(S + S^T) - diag(S).
        solve_tri = scipy_linalg(xp, "solve_triangular")
        if not self.lower:
            l, dz = l.T, dz.T
        p = xp.tril(l.T @ dz)
        p = p - xp.diag(xp.diag(p) / 2)
        s = solve_tri(l.T, solve_tri(l.T, p.T, lower=False).T, lower=False)
        sym = s + s.T
        out = (xp.tril(sym) if self.lower else xp.triu(sym.T)) - xp.diag(xp.diag(s))
        return out.astype(x.dtype, copy=False)

    def infer_shape(self, node, shapes):
        return [shapes[0]]


class Solve(Op):
    """x with dot(A, x) == b, using the structure of A (general, symmetric, triangular)."""

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ("A_structure", "lower", "overwrite_A", "overwrite_b")

    def __init__(self, A_structure="general", lower=False, overwrite_A=False,  # noqa: N803
                 overwrite_b=False):
        if A_structure not in MATRIX_STRUCTURES:
            raise ValueError("Invalid matrix structure argument", A_structure)
        self.A_structure = A_structure
        self.lower = lower
        self.overwrite_A = overwrite_A
        self.overwrite_b = overwrite_b

    def make_node(self, A, b):  # noqa: N803
        A = _matrix(A, "solve")  # noqa: N806
        b = as_tensor_variable(b)
        if b.type.ndim not in (1, 2):
            raise TypeError(f"solve: b must be a vector or a matrix, got {b.type}")
        dtype = D.upgrade_to_float(D.upcast(A.type.dtype, b.type.dtype))
        return Apply(self, [A, b], [TensorType(dtype, b.type.broadcastable)()])

    def impl(self, xp, A, b):  # noqa: N803
        dtype = D.upgrade_to_float(str(np.result_type(A.dtype, b.dtype)))
        if self.A_structure == "lower_triangular":
            out = scipy_linalg(xp, "solve_triangular")(A, b, lower=True)
        elif self.A_structure == "upper_triangular":
            out = scipy_linalg(xp, "solve_triangular")(A, b, lower=False)
        else:
            out = scipy_linalg(xp, "solve")(A, b)
        return out.astype(dtype, copy=False)

    def infer_shape(self, node, shapes):
        return [shapes[1]]

    def L_op(self, inputs, outputs, grads):
        # x = A^-1 b: the gradient of b is A^-T g, that of A is -(A^-T g) x^T, restricted to
        # the triangle a triangular solve reads.
        A, b = inputs  # noqa: N806
        (c,), (g,) = outputs, grads
        flipped = {"lower_triangular": "upper_triangular",
                   "upper_triangular": "lower_triangular"}
        transposed = Solve(flipped.get(self.A_structure, self.A_structure), not self.lower)
        gb = transposed(A.T, g)
        gA = -outer(gb, c) if c.type.ndim == 1 else -dot(gb, c.T)  # noqa: N806
        if self.A_structure == "lower_triangular":
            gA = _tril(gA)  # noqa: N806
        elif self.A_structure == "upper_triangular":
            gA = _triu(gA)  # noqa: N806
        return [gA, patternbroadcast(gb, b.type.broadcastable)]


solve = Solve()
solve_lower_triangular = Solve(A_structure="lower_triangular", lower=True)
solve_upper_triangular = Solve(A_structure="upper_triangular", lower=False)
solve_symmetric = Solve(A_structure="symmetric")


class Eigvalsh(Op):
    """Eigenvalues of the symmetric (generalized, with b) eigenproblem a v = w b v."""

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ("lower",)

    def __init__(self, lower=True):
        self.lower = lower

    def make_node(self, a, b=None):
        a = _matrix(a, "eigvalsh")
        if isinstance(b, Constant) and b.data is None:  # theano.tensor.NoneConst
            b = None
        inputs = [a] if b is None else [a, _matrix(b, "eigvalsh")]
        dtype = D.upgrade_to_float(D.upcast(*[i.type.dtype for i in inputs]))
        return Apply(self, inputs, [TensorType(dtype, (False,))()])

    def impl(self, xp, a, b=None):
        dtype = D.upgrade_to_float(str(np.result_type(a, *(() if b is None else (b,)))))
        w = scipy_linalg(xp, "eigh")(a, b, lower=self.lower, eigvals_only=True)
        return w.astype(dtype, copy=False)

    def L_op(self, inputs, outputs, grads):
        return list(EigvalshGrad(self.lower, len(inputs))(*inputs, grads[0], return_list=True))


class EigvalshGrad(Op):
    """Gradients of Eigvalsh for a (and b): V diag(gw) V^T and -V diag(gw * w) V^T."""

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ("lower", "n_inputs")

    def __init__(self, lower=True, n_inputs=2):
        self.lower = lower
        self.n_inputs = n_inputs

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        dtype = D.upcast(*[i.type.dtype for i in inputs])
        outs = [TensorType(dtype, (False, False))() for _ in range(self.n_inputs)]
        return Apply(self, inputs, outs)

    def impl(self, xp, *args):
        *mats, gw = args
        a, b = mats[0], (mats[1] if len(mats) > 1 else None)
        w, v = scipy_linalg(xp, "eigh")(a, b, lower=self.lower)
        dtype = str(np.result_type(*args))
        uplo = "L" if self.lower else "U"
        ga = fold_triangle(xp, (v * gw) @ v.T, uplo).astype(dtype, copy=False)
        if b is None:
            return ga
        gb = fold_triangle(xp, -(v * (gw * w)) @ v.T, uplo).astype(dtype, copy=False)
        return ga, gb


def eigvalsh(a, b, lower=True):
    """Eigenvalues of the symmetric matrix `a` (generalized problem when `b` is a matrix)."""
    return Eigvalsh(lower)(a, b)


class Expm(Op):
    """The matrix exponential."""

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, A):  # noqa: N803
        A = _matrix(A, "expm")  # noqa: N806
        return Apply(self, [A], [A.type()])

    def impl(self, xp, A):  # noqa: N803
        return scipy_linalg(xp, "expm")(A).astype(A.dtype, copy=False)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        return [ExpmGrad()(inputs[0], grads[0])]


class ExpmGrad(Op):
    """The gradient of expm: the Fréchet derivative of expm at A^T in the direction G."""

    __module__ = "theano.tensor.slinalg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, A, gA):  # noqa: N803
        A, gA = as_tensor_variable(A), as_tensor_variable(gA)  # noqa: N806
        return Apply(self, [A, gA], [A.type()])

    def impl(self, xp, A, gA):  # noqa: N803
        out = scipy_linalg(xp, "expm_frechet")(A.T, gA, compute_expm=False)
        return out.astype(A.dtype, copy=False)


expm = Expm()


def kron(a, b):
    """Theano 1.0.5's Kronecker product of two tensors (ndims summing to 3 or more).

    Of the outer product ``o[i..., j...] = a[i...] * b[j...]`` (ndim ``n = a.ndim +
    b.ndim``): when ``n == 3``, ``o`` with its first two axes swapped, flattened (so a
    vector and a matrix give ``np.kron(a[None], b).ravel()``); otherwise ``o``'s axes 0
    and 2 merged into the first output axis, 1 and 3 into the second, the others kept
    (ndim ``n - 2``).  For two matrices that is ``np.kron(a, b)``; for other ndims it is
    what SciPy's former ``scipy.linalg.kron`` gave, not NumPy's ``np.kron``.
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    na, nb = a.type.ndim, b.type.ndim
    if na + nb <= 2:
        raise TypeError("kron: inputs dimensions must sum to 3 or more. "
                        f"You passed {na} and {nb}.")
    o = a.dimshuffle(list(range(na)) + ["x"] * nb) * b.dimshuffle(["x"] * na + list(range(nb)))
    n = na + nb
    if n == 3:
        return o.dimshuffle(1, 0, 2).flatten()
    so = [shape(a)[d] for d in range(na)] + [shape(b)[d] for d in range(nb)]
    shf = o.dimshuffle(0, 2, 1, *range(3, n))
    return reshape(shf, stack([so[0] * so[2], so[1] * so[3]] + so[4:]), ndim=n - 2)
