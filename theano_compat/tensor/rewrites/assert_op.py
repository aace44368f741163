"""Theano's run-time assertion Op (``theano.tensor.opt.Assert``), used by rewrites that
must keep a shape check when they remove the node that made it."""

from __future__ import annotations

from ...graph.basic import Apply, Variable
from ...graph.null import disconnected_type
from ...graph.op import Op
from ..basic import as_tensor_variable


class Assert(Op):
    """``Assert(msg)(x, *conds)``: `x` unchanged, after checking at run time that every
    condition is true (AssertionError with `msg` otherwise)."""

    # Theano's path (pickles and reprs name the module that exports it).
    __module__ = "theano.tensor.opt"
    __props__ = ("msg",)
    view_map = {0: [0]}
    check_input = False

    def __init__(self, msg="Theano Assert failed!"):
        self.msg = msg

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("msg", "Theano Assert failed!")

    def make_node(self, value, *conds):
        if not isinstance(value, Variable):
            value = as_tensor_variable(value)
        cond = [as_tensor_variable(c) for c in conds]
        if not all(c.type.ndim == 0 for c in cond):
            raise TypeError("Assert: the conditions must be scalars")
        return Apply(self, [value] + cond, [value.type()])

    def impl(self, xp, value, *conds):
        if not all(bool(c) for c in conds):
            raise AssertionError(self.msg)
        return value

    def grad(self, inputs, output_grads):
        return output_grads + [disconnected_type() for _ in inputs[1:]]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def infer_shape(self, node, input_shapes):
        return [input_shapes[0]]

    def do_constant_folding(self, node):
        return False


assert_ = Assert()
assert_op = assert_
