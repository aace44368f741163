"""theano.compile: function compilation, modes, In/Out and shared variables.

``theano.compile.function`` is the function (Theano 1.0.5's package bound it over its
submodule of the same name, which stays importable as ``theano.compile.function``).
"""

import sys as _sys

from ..config import config  # noqa: F401 - theano.compile.config (Theano re-exported it)
from ..errors import MissingInputError, UnusedInputError  # noqa: F401
from . import io, ops, sharedvalue, profiling  # noqa: F401
from .ops import (DeepCopyOp, FromFunctionOp, Rebroadcast, Shape, Shape_i,  # noqa: F401
                  SpecifyShape, ViewOp, as_op, deep_copy_op, register_deep_copy_op_c_code,
                  register_rebroadcast_c_code, register_shape_c_code,
                  register_shape_i_c_code, register_specify_shape_c_code,
                  register_view_op_c_code, shape, specify_shape, view_op)
from .sharedvalue import SharedVariable, shared, shared_constructor  # noqa: F401
from .io import In, Out, SymbolicInput, SymbolicOutput  # noqa: F401
from .profiling import ProfileStats, ScanProfileStats  # noqa: F401
from . import function_module  # noqa: F401
from .function_module import (DUPLICATE, NODEFAULT, AliasedMemoryError,  # noqa: F401
                              Function, FunctionMaker, Supervisor, alias_root, check_equal,
                              convert_function_input, fgraph_updated_vars,
                              get_info_on_inputs, infer_reuse_pattern, insert_deepcopy,
                              is_same_graph, ops_with_inner_function, orig_function,
                              register_checker, std_fgraph, view_tree_set)
from .compiled import CompiledFunction  # noqa: F401
from .mode import *  # noqa: F401,F403
from ..graph.optdb import optdb  # noqa: F401 - theano.compile.optdb (users register here)
from .mode import (FAST_COMPILE, FAST_RUN, Mode, get_default_mode, get_mode,  # noqa: F401
                   predefined_modes, register_mode)
from . import pfunc as _pfunc_module  # noqa: F401
from .pfunc import Param, pfunc, rebuild_collect_shared  # noqa: F401
from .builders import (DisconnectedType, NullType, OpFromGraph, Variable,  # noqa: F401
                       inline_ofg_expansion)
# Importing the submodule binds theano.compile.function to it; the next line binds the
# name to the function, as Theano's package did.
from . import function as _function_module  # noqa: F401
from .function import function, function_dump  # noqa: F401
# The checking modes register their names ("DebugMode", "DEBUG_MODE", "NanGuardMode") with
# get_mode when imported.
from . import debugmode, monitormode, nanguardmode  # noqa: F401
from .debugmode import DebugMode  # noqa: F401
from .monitormode import MonitorMode  # noqa: F401

# ``import theano.compile.function`` (or ``.pfunc``) must not rebind the package's name to
# the submodule: the import system does that when it loads a submodule, so the submodules
# are registered under their ``theano.`` names too, where it finds them loaded.
for _sub in (_function_module, _pfunc_module):
    _sys.modules.setdefault("theano" + _sub.__name__[len("theano_compat"):], _sub)

# Names Theano's package held (six shims, functools/itertools names, and modules of the
# layers above this one, served by legacy_names).
from collections import OrderedDict  # noqa: F401,E402
from functools import partial, reduce  # noqa: F401,E402
from itertools import chain  # noqa: F401,E402

from . import sandbox  # noqa: F401,E402
from .legacy_names import (GOF, GOF_GRAPH, THEANO, iteritems, iterkeys,  # noqa: F401,E402
                           izip, lazy_names, string_types, xrange)

__getattr__, __dir__ = lazy_names(__name__, {
    "theano": THEANO, "gof": GOF, "graph": GOF_GRAPH,
    "io_connection_pattern": ("theano_compat.gof.graph", "io_connection_pattern")})
