"""theano_compat: Theano 1.0's API on modern Python and NumPy.

``import theano`` gives this package (see the ``theano`` alias package).
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

# "1.0.5", Theano's release, as legacy version checks expect (this package's own release:
# theano.version.compat_version).
from .version import version as __version__  # noqa: F401

from . import compat, configparser, configdefaults, version  # noqa: F401
from .config import change_flags, config  # noqa: F401
from . import graph, scalar, tensor  # noqa: F401,E402
from . import gradient  # noqa: E402
from . import compile  # noqa: E402,A004,F401
from . import printing  # noqa: E402,F401
from . import gof  # noqa: E402,F401
from .tensor import opt as _tensor_opt, opt_uncanonicalize as _opt_unc  # noqa: E402,F401
from .compile import (  # noqa: E402,F401
    FAST_COMPILE,
    FAST_RUN,
    In,
    Mode,
    Out,
    Param,
    SharedVariable,
    function,
    shared,
)
from .compile.builders import OpFromGraph  # noqa: E402,F401
from .errors import MissingInputError, UnusedInputError  # noqa: E402,F401
from .gof import Apply, Constant, Op, Type, Variable  # noqa: E402,F401
from .gradient import Lop, Rop, grad  # noqa: E402,F401
from .printing import debugprint, pp, pprint  # noqa: E402,F401
from . import scan_module  # noqa: E402,F401
from .scan_module import clone  # noqa: E402,F401 - Theano's theano.clone
# theano.scan is the function (the package theano_compat.scan stays importable by path).
from .scan import (OrderedUpdates, foldl, foldr, map, reduce, scan,  # noqa: E402,F401,A004
                   scan_checkpoints)

from .compile.mode import predefined_modes  # noqa: E402,F401
from .compile import ProfileStats, function_dump  # noqa: E402,F401
# More names `from theano import *` gave in Theano 1.0.5 (its module imported them).
import logging, os, sys, warnings  # noqa: E402,F401,E401
import numpy as np  # noqa: E402,F401
from six import PY3  # noqa: E402,F401
from .compile import (FunctionMaker, SymbolicInput, SymbolicOutput, as_op,  # noqa: E402,F401
                      predefined_linkers, predefined_optimizers)
from .gof import (CLinker, DualLinker, InconsistencyError, Linker, LocalLinker,  # noqa: E402,F401
                  OpenMPOp, OpWiseCLinker, PerformLinker, opt, toolbox)
from .tensor import get_scalar_constant_value  # noqa: E402,F401
from . import updates  # noqa: E402,F401
from .logging_setup import (disable_log_handler, has_handlers,  # noqa: E402,F401
                            logging_default_formatter, logging_default_handler, theano_logger)
import importlib as _importlib  # noqa: E402

# theano.sparse and theano.typed_list as attributes of the package (legacy code wrote
# `theano.sparse.csr_matrix` after `import theano` when another module had imported it):
# they load on first use, since theano.sparse brings in scipy.sparse (about 0.25 s).
_ON_FIRST_USE = ("sparse", "typed_list")


def __getattr__(name):  # noqa: N807 - a module __getattr__ (PEP 562)
    if name in _ON_FIRST_USE:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'theano' has no attribute {name!r}")


def __dir__():  # noqa: N807
    return sorted(set(globals()) | set(_ON_FIRST_USE))

# device=cuda (or the legacy gpu) takes the GPU at import, printing Theano's "Using gpu
# device 0: ..." line; device=cpu does nothing here (DESIGN.md §9.4).
from . import backend as _backend  # noqa: E402
_backend.init_from_config()

subgraph_grad = gradient.subgraph_grad

dot = tensor.dot


def sparse_grad(var):
    """`var` (``a_matrix[an_int_vector]``) rebuilt so that its gradient is a sparse
    matrix (theano.sparse's ConstructSparseFromList) instead of a dense one."""
    if var.owner is None or not isinstance(var.owner.op, tensor.AdvancedSubtensor1):
        raise TypeError("sparse_grad supports only variables made by AdvancedSubtensor1 "
                        "(a_matrix[an_int_vector])", var)
    return var.owner.op.__class__(sparse_grad=True)(*var.owner.inputs)



from . import misc, tests  # noqa: E402,F401
from . import gpuarray, ifelse, pathparse, sandbox  # noqa: E402,F401 - attributes in Theano
from .tests import test  # noqa: E402,F401 - theano.test() (raises: suite not shipped)
rpath = os.path.realpath(__path__[0])  # Theano's: the package's real directory
from .misc.safe_asarray import _asarray  # noqa: E402,F401
from .misc.pkl_utils import load_model  # noqa: E402,F401 - safe loading of model files
from .graph.fgraph import FunctionGraph  # noqa: E402,F401
from .graph.shared import Container  # noqa: E402,F401
from .graph.type import Generic, generic  # noqa: E402,F401
from .gof.utils import object2  # noqa: E402,F401

# Theano's package held a reference to itself: ``from theano import theano``.
import sys as _sys  # noqa: E402
theano = _sys.modules[__name__]

# What the package registered in theano.compile.optdb while importing is its own; the
# compile pipeline runs only what user code registers from here on (graph/optdb.py).
from .graph.optdb import freeze_builtins as _freeze_builtins  # noqa: E402
_freeze_builtins()
