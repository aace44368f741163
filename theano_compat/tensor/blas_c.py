"""theano.tensor.blas_c: Theano 1.0.5's C implementations of BLAS Ops (CGemv, CGer).

theano_compat compiles no C code: the rewrites keep matrix-vector and outer products as
``Dot`` (and elementwise) nodes, which NumPy's BLAS computes.  The names of Theano's
C Ops exist; constructing, calling or using them raises NotImplementedError saying so
and naming what to use.  ``ldflags`` still reads the ``blas.ldflags`` flag.  The
``Gemv``/``Ger``/``gemv_*``/``ger*`` names Theano's module imported are
theano.tensor.blas's pure-Python Ops (``ParamsType`` is theano.gof's).
"""

from __future__ import annotations

import sys

from ..config import config
from ..graph.optdb import optdb  # noqa: F401 - a name of Theano's module
from ..graph.optimizers import in2out, local_optimizer  # noqa: F401
from ..scalar.sharedvar import Scalar
from . import basic as T  # noqa: F401 - a name of Theano's module
from .blas_headers import blas_header_text, blas_header_version  # noqa: F401

_ALTERNATIVE = "T.dot (matrix-vector products) or T.outer (NumPy's BLAS computes them)"

bool_t = Scalar("bool")


def _message(name):
    return (f"theano.tensor.blas_c.{name}: no C compiler in theano_compat, so no C BLAS "
            f"Ops; use {_ALTERNATIVE}")


class _Unavailable:
    """One of Theano's C BLAS Op instances or graph optimizers: using it raises
    NotImplementedError (see the module docstring)."""

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(_message(self._name))

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise NotImplementedError(_message(f"{self._name}.{attr}"))

    def __repr__(self):
        return f"<theano.tensor.blas_c.{self._name}: not available (no C code)>"


def _c_only(name, doc):
    def unavailable(*args, **kwargs):
        raise NotImplementedError(_message(name))

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"{doc}\n\nNot available (no C code): raises NotImplementedError."
    return unavailable


class BaseBLAS:
    """The C compile settings shared by Theano's C BLAS Ops (a mixin)."""

    __module__ = "theano.tensor.blas_c"  # Theano's path: reprs and pickles

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(_message(type(self).__name__))


class CGer(BaseBLAS):
    """Theano's C Op for ``A + alpha * outer(x, y)``: use ``A + alpha * T.outer(x, y)``."""

    __module__ = "theano.tensor.blas_c"  # Theano's path: reprs and pickles


class CGemv(BaseBLAS):
    """Theano's C Op for ``beta * y + alpha * dot(A, x)``: use ``beta * y + alpha *
    T.dot(A, x)``."""

    __module__ = "theano.tensor.blas_c"  # Theano's path: reprs and pickles


cger_inplace = _Unavailable("cger_inplace")
cger_no_inplace = _Unavailable("cger_no_inplace")
cgemv_inplace = _Unavailable("cgemv_inplace")
cgemv_no_inplace = _Unavailable("cgemv_no_inplace")
use_c_ger = _Unavailable("use_c_ger")
make_c_ger_destructive = _Unavailable("make_c_ger_destructive")
use_c_gemv = _Unavailable("use_c_gemv")
make_c_gemv_destructive = _Unavailable("make_c_gemv_destructive")

ger_c_code = _c_only("ger_c_code", "The C code of CGer.")
gemv_c_code = _c_only("gemv_c_code", "The C code of CGemv.")
check_force_gemv_init = _c_only(
    "check_force_gemv_init", "Compile and run a test telling whether CGemv must zero its "
    "output first.")


def ldflags(libs=True, flags=False, libs_dir=False, include_dir=False):
    """The parts of the ``blas.ldflags`` flag Theano linked its C BLAS code with: the
    library names (``-l``), other flags, library directories (``-L``), include
    directories (``-I``: refused, as in Theano).  theano_compat links nothing; NumPy's
    BLAS computes the dot products."""
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


# Names Theano's module imported from theano.tensor.blas (its Gemv/Ger Ops, which compute
# with NumPy/SciPy here) and theano.gof (ParamsType): looked up once loaded, since
# theano.tensor.blas imports this module's ldflags (and theano.gof sits above tensor).
_FROM_BLAS = ("Gemv", "Ger", "blas_optdb", "gemv_inplace", "gemv_no_inplace", "ger",
              "ger_destructive")


def __getattr__(name):
    package = __name__.split(".")[0]
    module = None
    if name in _FROM_BLAS:
        module = sys.modules.get(f"{package}.tensor.blas")
    elif name == "ParamsType":
        module = sys.modules.get(f"{package}.gof")
    if module is not None and hasattr(module, name):
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_FROM_BLAS) | {"ParamsType"})
