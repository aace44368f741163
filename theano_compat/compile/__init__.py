"""theano.compile: function compilation, modes, In/Out and shared variables."""

from ..errors import MissingInputError, UnusedInputError  # noqa: F401
from ..graph.op import as_op  # noqa: F401
from ..graph.shared import SharedVariable, shared, shared_constructor  # noqa: F401
from . import function_module, ops  # noqa: F401
from .builders import OpFromGraph  # noqa: F401
from .compiled import CompiledFunction, Function, FunctionMaker  # noqa: F401
from .function_module import function, pfunc  # noqa: F401
from .io import In, Out, Param, SymbolicInput, SymbolicOutput  # noqa: F401
from .mode import (FAST_COMPILE, FAST_RUN, Mode, get_default_mode, get_mode,  # noqa: F401
                   predefined_modes, register_mode)
# The checking modes register their names ("DebugMode", "DEBUG_MODE", "NanGuardMode") with
# get_mode when imported.
from . import debugmode, monitormode, nanguardmode  # noqa: F401
from .debugmode import DebugMode  # noqa: F401
from .monitormode import MonitorMode  # noqa: F401
