"""theano.tensor.sort: np.sort / np.argsort along a symbolic axis, and the top-k Op.

``SortOp(kind, order)`` and ``ArgSortOp(kind, order)`` take the axis as a second input
(a symbolic integer scalar, or the None constant for the flattened array), as in Theano
1.0.5; ``sort(a, axis=None)`` flattens first and sorts along axis 0.  The gradient of
``sort`` puts each output gradient back where its entry came from (an inverse
permutation); ``argsort`` has a zero gradient (its output is integer).  ``TopKOp`` /
``topk`` / ``argtopk`` / ``topk_and_argtopk`` are theano.tensor.extra_ops's; the rule
``local_useless_topk`` drops the output of a TopKOp nobody uses.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import sys

import numpy as np

from ..graph.basic import Apply, Constant
from ..graph.null import disconnected_type, grad_undefined
from ..graph.op import Op
from ..graph.optimizers import copy_stack_trace, local_optimizer
from .basic import arange, as_tensor_variable, mul  # noqa: F401
from .elemwise import zeros_like
from .extra_ops import TopKOp, argtopk, topk, topk_and_argtopk  # noqa: F401
from .opt import register_useless
from .subtensor import set_subtensor  # noqa: F401 - a name of Theano's module
from .type import TensorType
from .type_other import NoneConst

theano = sys.modules[__name__.split(".")[0]]  # the package (a name of Theano's module)

__all__ = ["SortOp", "ArgSortOp", "sort", "argsort", "TopKOp", "topk", "argtopk",
           "topk_and_argtopk"]


def _variable_is_none(var):
    return isinstance(var, Constant) and var.data is None


def _as_axis(axis):
    if axis is None:
        return NoneConst.clone()
    return as_tensor_variable(axis)


def _axis_value(axis):
    if axis is None:
        return None
    if axis != int(axis):
        raise ValueError("sort axis must be an integer or None")
    return int(axis)


class _SortBase(Op):
    __module__ = "theano.tensor.sort"
    __props__ = ("kind", "order")

    def __init__(self, kind, order=None):
        self.kind = kind
        self.order = order

    def __str__(self):
        return f"{type(self).__name__}{{{self.kind}, {self.order}}}"

    def infer_shape(self, node, shapes):
        if _variable_is_none(node.inputs[1]):
            return [(mul(*shapes[0]),)]
        return [shapes[0]]

    def _check(self, a, axis):
        if _variable_is_none(axis):
            raise ValueError(f"{type(self).__name__}: axis=None needs a flattened input: "
                             "use sort(a, None) / argsort(a, None)")
        if axis.type.ndim != 0:
            raise ValueError(f"{axis} is expected to be 0d tensor, got {axis.type.ndim}")


class SortOp(_SortBase):
    """np.sort(a, axis, kind, order): inputs ``(a, axis)``."""

    __module__ = "theano.tensor.sort"

    def make_node(self, input, axis=-1):  # noqa: A002 - Theano's signature
        a, axis = as_tensor_variable(input), _as_axis(axis)
        if not _variable_is_none(axis):
            self._check(a, axis)
            return Apply(self, [a, axis], [a.type()])
        return Apply(self, [a, axis], [TensorType(a.type.dtype, (False,))()])

    def perform(self, node, inputs, output_storage, params=None):
        a, axis = inputs
        output_storage[0][0] = np.sort(a, _axis_value(axis), self.kind, self.order)

    def L_op(self, inputs, outputs, output_grads):
        a, axis = inputs
        (g,) = output_grads
        if _variable_is_none(axis):
            return [_UnsortAlongAxis(self.kind)(a, axis, g), disconnected_type()]
        ga = _UnsortAlongAxis(self.kind)(a, axis, g)
        return [ga, grad_undefined(self, 1, axis, "The gradient of sort is not defined "
                                   "with respect to the integer axes itself")]


class ArgSortOp(_SortBase):
    """np.argsort(a, axis, kind, order) as int64: inputs ``(a, axis)``."""

    __module__ = "theano.tensor.sort"

    def make_node(self, input, axis=-1):  # noqa: A002 - Theano's signature
        a, axis = as_tensor_variable(input), _as_axis(axis)
        bcast = (False,) if _variable_is_none(axis) else a.type.broadcastable
        if not _variable_is_none(axis):
            self._check(a, axis)
        return Apply(self, [a, axis], [TensorType("int64", bcast)()])

    def perform(self, node, inputs, output_storage, params=None):
        a, axis = inputs
        output_storage[0][0] = np.asarray(
            np.argsort(a, _axis_value(axis), self.kind, self.order), dtype="int64")

    def L_op(self, inputs, outputs, output_grads):
        a, axis = inputs
        return [zeros_like(a),
                grad_undefined(self, 1, axis, "argsort is not defined for non-integer "
                               "axes so argsort(x, axis+eps) is undefined")]


class _PermuteAlongAxis(Op):
    __module__ = "theano.tensor.sort"
    """Helpers of sort's gradient, linear in their third input ``v``: with
    ``p = argsort(a, axis)``, ``unsort=True`` puts ``v`` back in the unsorted order
    (``out[p] = v``), ``unsort=False`` takes ``v`` in the sorted order (``v[p]``)."""

    __props__ = ("kind", "unsort")

    def __init__(self, kind, unsort):
        self.kind = kind
        self.unsort = unsort

    def make_node(self, a, axis, v):
        a, v = as_tensor_variable(a), as_tensor_variable(v)
        axis = _as_axis(axis) if not hasattr(axis, "type") else axis
        return Apply(self, [a, axis, v], [TensorType(v.type.dtype, a.type.broadcastable)()])

    def perform(self, node, inputs, output_storage, params=None):
        a, axis, v = inputs
        axis = _axis_value(axis)
        flat = a.reshape(-1) if axis is None else a
        ax = 0 if axis is None else axis
        perm = np.argsort(flat, ax, self.kind)
        if self.unsort:
            out = np.zeros(flat.shape, dtype=node.outputs[0].type.dtype)
            np.put_along_axis(out, perm, np.asarray(v).reshape(perm.shape), ax)
            out = out.reshape(a.shape)
        else:
            out = np.take_along_axis(np.asarray(v).reshape(flat.shape), perm, ax)
            out = out.reshape(a.shape)
        output_storage[0][0] = np.asarray(out, dtype=node.outputs[0].type.dtype)

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, output_grads):
        a, axis, v = inputs
        (g,) = output_grads
        gv = _PermuteAlongAxis(self.kind, not self.unsort)(a, axis, g)
        if _variable_is_none(axis):
            gv = gv.reshape(v.shape, ndim=v.type.ndim)
        return [zeros_like(a), disconnected_type(), gv]

    def connection_pattern(self, node):
        return [[True], [False], [True]]


def _UnsortAlongAxis(kind):  # noqa: N802 - builds the Op
    return _PermuteAlongAxis(kind, True)


def sort(a, axis=-1, kind="quicksort", order=None):
    """np.sort of `a` along `axis` (a symbolic integer scalar, or None: the flattened
    array) with the algorithm `kind`."""
    a = as_tensor_variable(a)
    if axis is None:
        a = a.flatten()
        axis = 0
    return SortOp(kind, order)(a, axis)


def argsort(a, axis=-1, kind="quicksort", order=None):
    """np.argsort of `a` along `axis` (None: the flattened array), as int64."""
    a = as_tensor_variable(a)
    if axis is None:
        a = a.flatten()
        axis = 0
    return ArgSortOp(kind, order)(a, axis)


@register_useless("fast_compile")
@local_optimizer([TopKOp])
def local_useless_topk(node):
    """A TopKOp computing values and indices of which only one is used computes only it."""
    op = node.op
    if not isinstance(op, TopKOp) or not (op.return_values and op.return_indices):
        return False
    x, k = node.inputs
    ret_val = bool(getattr(node.outputs[0], "clients", True))
    ret_idx = bool(getattr(node.outputs[1], "clients", True))
    if ret_val == ret_idx:
        return False
    old = node.outputs[1 if ret_idx else 0]
    new = TopKOp(axis=op.axis, sorted=op.sorted, idx_dtype=op.idx_dtype,
                 return_values=ret_val, return_indices=ret_idx)(x, k)
    copy_stack_trace(node.outputs[0], new)
    return {old: new}
