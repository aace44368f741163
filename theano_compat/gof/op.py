"""Legacy path ``theano.gof.op`` (facade)."""

from ..graph.op import Op, PureOp, as_op  # noqa: F401
