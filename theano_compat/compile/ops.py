"""Legacy path ``theano.compile.ops`` (facade): as_op and the shape/view ops Theano kept here."""

from ..graph.op import _FromFunctionOp as FromFunctionOp  # noqa: F401
from ..graph.op import as_op  # noqa: F401
from ..tensor.basic import Shape, Shape_i, SpecifyShape, shape, specify_shape  # noqa: F401
from ..tensor.type import Rebroadcast  # noqa: F401
