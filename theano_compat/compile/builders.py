"""Legacy path ``theano.compile.builders`` (facade): OpFromGraph lives in
tensor/opfromgraph.py (it reaches grad and Rop through ``hooks.gradient_api``)."""

from ..graph.basic import Variable  # noqa: F401 - a name of Theano's module
from ..graph.null import DisconnectedType, NullType  # noqa: F401 - idem
from ..graph.optdb import optdb  # noqa: F401 - idem
from ..graph.shared import SharedVariable  # noqa: F401 - idem
from ..tensor.opfromgraph import OpFromGraph, inline_ofg_expansion  # noqa: F401
from .function_module import ops_with_inner_function, orig_function  # noqa: F401
from .pfunc import rebuild_collect_shared  # noqa: F401
