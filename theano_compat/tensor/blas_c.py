"""theano.tensor.blas_c: Theano 1.0.5's CGemv and CGer, computed without C.

Theano compiled these two Ops against the BLAS library of the ``blas.ldflags`` flag; with
no C compiler (or an empty flag) it ran them through the ``perform`` of their base
classes, theano.tensor.blas's Gemv and Ger.  theano_compat compiles no C, so that is
what they do here, always: ``CGemv(inplace)`` computes ``beta * y + alpha * dot(A, x)``
and ``CGer(destructive)`` ``A + alpha * outer(x, y)`` with NumPy/SciPy, with Theano's
props, equality (a CGemv is never equal to a Gemv) and in-place forms.

The rewrites are Theano's: ``use_c_gemv`` / ``use_c_ger`` turn float32/float64 Gemv /
Ger nodes into these Ops when ``blas.ldflags`` names a BLAS library (with the flag empty,
its default, they leave the graph alone, as Theano did); ``make_c_gemv_destructive`` /
``make_c_ger_destructive`` give their in-place forms.  ``check_force_gemv_init`` answers
Theano's question (does the BLAS ``?gemv`` read y when beta is 0, so that y must be
zeroed first?) for the BLAS SciPy calls.  ``gemv_c_code`` / ``ger_c_code`` returned C
source: they raise NotImplementedError.  ``ldflags`` reads the ``blas.ldflags`` flag.
"""

from __future__ import annotations

import sys

from ..config import config  # noqa: F401 - a name of Theano's module
from ..graph.optdb import optdb  # noqa: F401 - a name of Theano's module
from ..graph.optimizers import in2out, local_optimizer
from ..scalar.sharedvar import Scalar
from . import basic as T
from .blas import (Gemv, Ger, blas_optdb, check_init_y, gemv_inplace,  # noqa: F401
                   gemv_no_inplace, ger, ger_destructive, ldflags)
from .blas_headers import blas_header_text, blas_header_version  # noqa: F401

_MODULE = "theano.tensor.blas_c"

bool_t = Scalar("bool")


class BaseBLAS:
    """The C compile settings Theano's C BLAS Ops shared (a mixin): the libraries,
    flags and directories of ``blas.ldflags``; ``c_support_code`` (the BLAS C headers)
    raises NotImplementedError, as theano_compat compiles no C."""

    __module__ = _MODULE  # Theano's path: reprs and pickles

    def c_libraries(self):
        return ldflags()

    def c_compile_args(self):
        return ldflags(libs=False, flags=True)

    def c_lib_dirs(self):
        return ldflags(libs=False, libs_dir=True)

    def c_header_dirs(self):
        return ldflags(libs=False, include_dir=True)

    def c_support_code(self):
        return blas_header_text()


class CGer(BaseBLAS, Ger):
    """Ger (``A + alpha * outer(x, y)``, in place on A when ``destructive``) as Theano's C
    Op: computed by Ger's NumPy code."""

    __props__ = ("destructive",)
    __module__ = _MODULE


cger_inplace = CGer(True)
cger_no_inplace = CGer(False)

_C_DTYPES = ("float32", "float64")


@local_optimizer([ger, ger_destructive])
def use_c_ger(node):
    """Ger -> CGer (float32/float64), when ``blas.ldflags`` names a BLAS library."""
    if not config.blas.ldflags or node.outputs[0].type.dtype not in _C_DTYPES:
        return None
    if node.op == ger:
        return [CGer(False)(*node.inputs)]
    if node.op == ger_destructive:
        return [CGer(True)(*node.inputs)]
    return None


@local_optimizer([CGer(False)])
def make_c_ger_destructive(node):
    """CGer -> its destructive form."""
    if isinstance(node.op, CGer) and not node.op.destructive:
        return [cger_inplace(*node.inputs)]
    return None


class CGemv(BaseBLAS, Gemv):
    """Gemv (``beta * y + alpha * dot(A, x)``, in place on y when ``inplace``) as
    Theano's C Op: computed by Gemv's NumPy/SciPy code."""

    __props__ = ("inplace",)
    __module__ = _MODULE

    def __init__(self, inplace):
        super().__init__(inplace)


cgemv_inplace = CGemv(inplace=True)
cgemv_no_inplace = CGemv(inplace=False)


def check_force_gemv_init():
    """Whether the BLAS ``?gemv`` reads y when beta is 0 (a NaN in y then shows in the
    result), so that y must be zeroed first: asked of the BLAS SciPy calls (Theano
    compiled and ran a C test against ``blas.ldflags``)."""
    return check_init_y()


@local_optimizer([gemv_inplace, gemv_no_inplace])
def use_c_gemv(node):
    """Gemv -> CGemv (float32/float64), when ``blas.ldflags`` names a BLAS library."""
    if not config.blas.ldflags or node.outputs[0].type.dtype not in _C_DTYPES:
        return None
    if node.op == gemv_no_inplace:
        return [cgemv_no_inplace(*node.inputs)]
    if node.op == gemv_inplace:
        return [cgemv_inplace(*node.inputs)]
    return None


@local_optimizer([CGemv(inplace=False)])
def make_c_gemv_destructive(node):
    """CGemv -> its in-place form.  An AllocEmpty y gets an AllocEmpty of its own (Theano
    did so when y had other readers; a local optimizer here does not see the readers, and
    a new uninitialised array is what y was anyway)."""
    if not (isinstance(node.op, CGemv) and not node.op.inplace):
        return None
    inputs = list(node.inputs)
    dest = inputs[0]
    if dest.owner is not None and isinstance(dest.owner.op, T.AllocEmpty):
        inputs[0] = T.AllocEmpty(dest.type.dtype)(*dest.owner.inputs)
    return [cgemv_inplace(*inputs)]


def _c_only(name, doc):
    def unavailable(*args, **kwargs):
        raise NotImplementedError(
            f"theano.tensor.blas_c.{name}: no C compiler in theano_compat, so no C code for "
            "the BLAS Ops; use CGemv / CGer, which compute with NumPy/SciPy")

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"{doc}\n\nNot available (no C code): raises NotImplementedError."
    return unavailable


ger_c_code = _c_only("ger_c_code", "The C code of CGer.")
gemv_c_code = _c_only("gemv_c_code", "The C code of CGemv.")

# Theano's registrations: Gemv/Ger -> the C Ops at blas_optdb position 20, their in-place
# forms at optdb position 70 (next to InplaceBlasOpt).
blas_optdb.register("use_c_blas", in2out(use_c_ger, use_c_gemv), 20, "fast_run", "c_blas")
optdb.register("c_blas_destructive",
               in2out(make_c_ger_destructive, make_c_gemv_destructive,
                      name="c_blas_destructive"),
               70.0, "fast_run", "inplace", "c_blas")


def __getattr__(name):
    # ParamsType: theano.gof's (a layer above this one), looked up once loaded.
    if name == "ParamsType":
        module = sys.modules.get(f"{__name__.split('.')[0]}.gof")
        if module is not None and hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"ParamsType"})
