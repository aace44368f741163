"""theano.tensor.blas_scipy: Theano 1.0.5's Ger Op computed by SciPy's BLAS (ScipyGer).

``ScipyGer(destructive)`` is a ``theano.tensor.blas.Ger`` (``A + alpha * outer(x, y)``)
whose perform calls SciPy's ``?ger`` / ``?geru`` (float32, float64, complex64,
complex128); ``scipy_ger_inplace`` updates ``A`` in place.  The local optimizers
``use_scipy_ger`` (Ger -> ScipyGer) and ``make_ger_destructive`` are registered in
``blas_optdb``; the FAST_RUN pipeline runs them as the rules ``scipy_blas`` and
``make_scipy_blas_destructive`` (theano_compat/tensor/rewrites/blas.py).
"""

from __future__ import annotations

import numpy as np

from ..backend.cpu import scipy_linalg_numpy
from ..graph.optdb import optdb  # noqa: F401 - a name of Theano's module
from ..graph.optimizers import in2out, local_optimizer
from .blas import Ger, blas_optdb, ger, ger_destructive, have_fblas  # noqa: F401

# SciPy's ?ger by dtype, looked up on first use (importing scipy.linalg costs ~150 ms,
# which `import theano` should not pay).
_BLAS_GER_NAMES = {np.dtype("float32"): "sger", np.dtype("float64"): "dger",
                   np.dtype("complex64"): "cgeru", np.dtype("complex128"): "zgeru"}


class ScipyGer(Ger):
    """Ger computed by SciPy's BLAS ``?ger`` (in place on A when destructive)."""

    __module__ = "theano.tensor.blas_scipy"

    def impl(self, xp, a, alpha, x, y):
        if xp is not np:  # a device array: SciPy's BLAS cannot take it
            return super().impl(xp, a, alpha, x, y)
        local_ger = getattr(scipy_linalg_numpy("blas"), _BLAS_GER_NAMES[a.dtype])
        if a.size == 0:
            out = a if self.destructive else a.copy()
        elif a.flags["C_CONTIGUOUS"]:
            # A C-ordered A is a Fortran-ordered A.T: update A.T with outer(y, x).
            out = local_ger(alpha, y, x, a=a.T, overwrite_a=int(self.destructive)).T
        else:
            out = local_ger(alpha, x, y, a=a, overwrite_a=int(self.destructive))
        if self.destructive and out is not a and not np.shares_memory(out, a):
            a[...] = out  # SciPy copied (a strided A): write the result back
            out = a
        return out


scipy_ger_no_inplace = ScipyGer(False)
scipy_ger_inplace = ScipyGer(True)


@local_optimizer([ger, ger_destructive])
def use_scipy_ger(node):
    """Ger -> ScipyGer."""
    if node.op == ger:
        return [scipy_ger_no_inplace(*node.inputs)]
    return None


@local_optimizer([scipy_ger_no_inplace])
def make_ger_destructive(node):
    """ScipyGer -> its in-place form."""
    if node.op == scipy_ger_no_inplace:
        return [scipy_ger_inplace(*node.inputs)]
    return None


use_scipy_blas = in2out(use_scipy_ger)
make_scipy_blas_destructive = in2out(make_ger_destructive)
blas_optdb.register("scipy_blas", use_scipy_blas, 100, "fast_run")
