"""theano_compat: Theano 1.0's API on modern Python and NumPy.

``import theano`` gives this package (see the ``theano`` alias package).
"""

from __future__ import annotations

__version__ = "1.0.5+compat.0.1.0"

from . import config as configparser  # noqa: F401
from .config import change_flags, config  # noqa: F401
from . import graph, scalar, tensor  # noqa: F401,E402
from . import gradient  # noqa: E402
from . import compile  # noqa: E402,A004,F401
from . import printing  # noqa: E402,F401
from . import gof  # noqa: E402,F401
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
from .graph.basic import clone_replace as clone  # noqa: E402,F401
from .printing import debugprint, pp, pprint  # noqa: E402,F401
from . import scan_module  # noqa: E402,F401
# theano.scan is the function (the package theano_compat.scan stays importable by path).
from .scan import (OrderedUpdates, foldl, foldr, map, reduce, scan,  # noqa: E402,F401,A004
                   scan_checkpoints)

from .compile.mode import predefined_modes  # noqa: E402,F401

# device=cuda (or the legacy gpu) takes the GPU at import, printing Theano's "Using gpu
# device 0: ..." line; device=cpu does nothing here (DESIGN.md §9.4).
from . import backend as _backend  # noqa: E402
_backend.init_from_config()

subgraph_grad = gradient.subgraph_grad

dot = tensor.dot
sparse_grad = None
