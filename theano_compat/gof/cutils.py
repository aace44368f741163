"""theano.gof.cutils: Theano 1.0.5's small C extension (``cutils_ext``), which ran C
thunks (``run_cthunk``).

theano_compat compiles no C code and has no C thunks: the names exist, and using them
raises NotImplementedError saying so.
"""

from __future__ import annotations

import errno  # noqa: F401 - a name of Theano's module
import os
import sys  # noqa: F401 - a name of Theano's module

from ..compat import PY3  # noqa: F401 - a name of Theano's module
from ..config import config
from . import cmodule  # noqa: F401 - a name of Theano's module
from .cmodule import c_only_function
from .compilelock import get_lock, release_lock  # noqa: F401 - names of Theano's module

# Where Theano built cutils_ext (nothing is built there by theano_compat).
location = os.path.join(config.compiledir, "cutils_ext")

compile_cutils = c_only_function(
    "theano.gof.cutils.compile_cutils", None, "Compile the cutils_ext C module.")
run_cthunk = c_only_function(
    "theano.gof.cutils.run_cthunk", "the thunks of theano.gof.link.PerformLinker or "
    "theano.gof.vm.VM_Linker (Python callables)", "Run a C thunk.")
