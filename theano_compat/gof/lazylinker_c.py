"""theano.gof.lazylinker_c: Theano 1.0.5's C extension ``lazylinker_ext`` (the CVM loop).

theano_compat compiles no C code, so there is no ``lazylinker_ext``: the Python VMs of
theano.gof.vm (``VM_Linker``, Stack) run every graph, lazily where it has an ifelse.
The names exist; building or loading the extension raises NotImplementedError.
"""

from __future__ import annotations

import errno  # noqa: F401 - a name of Theano's module
import logging
import os
import sys  # noqa: F401 - a name of Theano's module
import warnings  # noqa: F401 - a name of Theano's module
from importlib import reload  # noqa: F401 - a name of Theano's module

import theano_compat as theano  # noqa: F401 - a name of Theano's module

from ..config import config
from . import cmodule  # noqa: F401 - a name of Theano's module
from .cmodule import c_only_function, c_unavailable
from .compilelock import get_lock, release_lock  # noqa: F401 - names of Theano's module

_logger = logging.getLogger("theano.gof.lazylinker_c")

force_compile = False
version = 0.211  # the version of Theano 1.0.5's lazylinker_ext
actual_version = None  # the version of the loaded extension: none is loaded
lazylinker_ext = None
# Where Theano built the extension (theano_compat builds nothing there).
location = os.path.join(config.compiledir, "lazylinker_ext")
init_file = os.path.join(location, "__init__.py")

_ALTERNATIVE = "theano.gof.vm.VM_Linker (its Python Stack VM is what CLazyLinker ported)"

try_import = c_only_function("theano.gof.lazylinker_c.try_import", _ALTERNATIVE,
                             "Import the compiled lazylinker_ext.")
try_reload = c_only_function("theano.gof.lazylinker_c.try_reload", _ALTERNATIVE,
                             "Reload the compiled lazylinker_ext.")
get_version = c_only_function("theano.gof.lazylinker_c.get_version", _ALTERNATIVE,
                              "The version of the compiled lazylinker_ext.")


class CLazyLinker:
    """Theano's C loop (``lazylinker_ext.CLazyLinker``): not available, see the module
    docstring."""
    __module__ = "theano.gof.lazylinker_c"  # importable path (Theano's: its C extension)

    def __init__(self, *args, **kwargs):
        raise c_unavailable("theano.gof.lazylinker_c.CLazyLinker", _ALTERNATIVE)
