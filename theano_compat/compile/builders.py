"""Legacy path ``theano.compile.builders`` (facade): OpFromGraph lives in
tensor/opfromgraph.py (it reaches grad and Rop through ``hooks.gradient_api``)."""

from ..graph.basic import Variable  # noqa: F401 - a name of Theano's module
from ..graph.null import DisconnectedType, NullType  # noqa: F401 - idem
from ..graph.optdb import optdb  # noqa: F401 - idem
from ..graph.shared import SharedVariable  # noqa: F401 - idem
from ..tensor.opfromgraph import OpFromGraph, inline_ofg_expansion  # noqa: F401
from .function_module import ops_with_inner_function, orig_function  # noqa: F401
from .pfunc import rebuild_collect_shared  # noqa: F401

from collections import OrderedDict  # noqa: F401,E402 - names of Theano's module
from functools import partial, reduce  # noqa: F401,E402

from .legacy_names import GOF, THEANO, izip, lazy_names  # noqa: F401,E402

__getattr__, __dir__ = lazy_names(__name__, {
    "theano": THEANO, "gof": GOF,
    "io_connection_pattern": ("theano_compat.gof.graph", "io_connection_pattern")})
