"""Legacy path ``theano.gof``: the graph core under its Theano 1.0 names (facade)."""

from ..errors import MethodNotDefined, MissingInputError  # noqa: F401
from ..graph.basic import Apply, Constant, Node, Variable  # noqa: F401
from ..graph.fgraph import FunctionGraph  # noqa: F401
from ..graph.op import Op, PureOp  # noqa: F401
from ..graph.shared import Container  # noqa: F401
from ..graph.type import Generic, Type, generic  # noqa: F401
from ..utils import Scratchpad as scratchpad  # noqa: F401
from . import graph, op, type, utils  # noqa: F401,A004
