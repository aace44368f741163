"""theano.tensor.blas_headers: the C headers of Theano 1.0.5's BLAS Ops.

theano_compat compiles no C code: dot products are ``Dot`` nodes that NumPy (and so its
BLAS) computes.  The functions returning C source or probing the C library exist and
raise NotImplementedError at use, saying why.  (Theano's module also re-exported
``GCC_compiler``: it is in theano.gof.cmodule.)
"""

from __future__ import annotations

import logging
import os  # noqa: F401 - a name of Theano's module
import sys
import textwrap  # noqa: F401 - a name of Theano's module
from os.path import dirname  # noqa: F401 - a name of Theano's module

from ..config import config  # noqa: F401 - a name of Theano's module

_logger = logging.getLogger("theano.tensor.blas")

_ALTERNATIVE = "T.dot / T.outer (NumPy's BLAS computes them)"


def _c_only(name, doc):
    qualname = f"theano.tensor.blas_headers.{name}"

    def unavailable(*args, **kwargs):
        raise NotImplementedError(f"{qualname}: no C compiler in theano_compat, so no C "
                                  f"BLAS code; use {_ALTERNATIVE}")

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"{doc}\n\nNot available (no C code): raises NotImplementedError."
    return unavailable


detect_macos_sdot_bug = _c_only(
    "detect_macos_sdot_bug", "Compile and run a test of the macOS BLAS sdot bug.")
cblas_header_text = _c_only("cblas_header_text", "The C declarations of the CBLAS API.")
blas_header_text = _c_only("blas_header_text",
                           "The C declarations of the Fortran BLAS API Theano called.")
mkl_threads_text = _c_only("mkl_threads_text", "C code setting MKL's thread count.")
openblas_threads_text = _c_only("openblas_threads_text",
                                "C code setting OpenBLAS's thread count.")
blas_header_version = _c_only("blas_header_version",
                              "The version of the BLAS C headers (a C cache key).")


def __getattr__(name):
    # GCC_compiler: theano.gof.cmodule's (a layer above this one), looked up once loaded.
    if name == "GCC_compiler":
        module = sys.modules.get(__name__.split(".")[0] + ".gof.cmodule")
        if module is not None:
            return module.GCC_compiler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"GCC_compiler"})
