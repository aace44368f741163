"""theano.tensor.blas_scipy: Theano 1.0.5's Ger Op computed by SciPy's BLAS (ScipyGer).

theano_compat has no BLAS-specialised Ops: an outer-product update stays
``A + alpha * T.outer(x, y)``, which NumPy computes.  The names of Theano's module exist;
constructing or using them raises NotImplementedError saying so.  ``fblas`` is SciPy's
BLAS module, as in Theano.  (Theano's module also held ``Ger``/``ger`` of
theano.tensor.blas and the optimizer database names of theano.gof.opt /
theano.compile.optdb, which live in those modules.)
"""

from __future__ import annotations

import numpy as np  # noqa: F401 - a name of Theano's module
from scipy.linalg import blas as fblas  # noqa: F401 - a name of Theano's module

have_fblas = True

_ALTERNATIVE = "A + alpha * T.outer(x, y)"


def _message(name):
    return (f"theano.tensor.blas_scipy.{name}: theano_compat has no BLAS-specialised Ops "
            f"(the rewrites keep outer products as they are, and NumPy computes them); "
            f"use {_ALTERNATIVE}")


class ScipyGer:
    """Theano's Ger Op (``A + alpha * outer(x, y)``) computed with ``fblas.?ger``: not
    available, see the module docstring."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_message("ScipyGer"))


class _Unavailable:
    """One of Theano's ScipyGer instances or graph optimizers: using it raises
    NotImplementedError."""

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(_message(self._name))

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise NotImplementedError(_message(f"{self._name}.{attr}"))

    def __repr__(self):
        return f"<theano.tensor.blas_scipy.{self._name}: not available>"


scipy_ger_no_inplace = _Unavailable("scipy_ger_no_inplace")
scipy_ger_inplace = _Unavailable("scipy_ger_inplace")
use_scipy_ger = _Unavailable("use_scipy_ger")
make_ger_destructive = _Unavailable("make_ger_destructive")
use_scipy_blas = _Unavailable("use_scipy_blas")
make_scipy_blas_destructive = _Unavailable("make_scipy_blas_destructive")
