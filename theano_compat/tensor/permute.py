"""permute_row_elements: reorder the last axis of a tensor by integer permutations.

Theano's ``tensor.permute_row_elements(x, y, inverse=0)``: ``out[..., i] = x[..., y[...,
i]]`` (or the inverse permutation), with the leading dimensions of x and y broadcast
against each other.  RandomStreams.shuffle_row_elements is built on it.
"""

from __future__ import annotations

import numpy as np

from ..graph.basic import Apply
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..scalar import dtypes as D
from .construct import arange
from .elemwise import as_tensor_variable, sum_to_broadcast
from .type import TensorType


class PermuteRowElements(Op):
    """out[..., i] = x[..., y[..., i]] (inverse: out[..., y[..., i]] = x[..., i])."""

    __module__ = "theano.tensor.basic"  # Theano's path for it
    __props__ = ()

    def make_node(self, x, y, inverse):
        if isinstance(inverse, (bool, np.bool_)):
            inverse = int(inverse)  # Theano took True/False for 1/0
        x, y, inverse = (as_tensor_variable(v) for v in (x, y, inverse))
        if y.type.dtype not in D.integer_dtypes:
            raise TypeError(f"permute_row_elements: y must be integers, got {y.type}")
        if y.type.ndim < 1 or inverse.type.ndim != 0:
            raise TypeError("permute_row_elements: y must have at least one dimension and "
                            "inverse must be a scalar")
        ndim = max(x.type.ndim, y.type.ndim)
        xb = (True,) * (ndim - x.type.ndim) + x.type.broadcastable
        yb = (True,) * (ndim - y.type.ndim) + y.type.broadcastable
        bcast = tuple(a and b for a, b in zip(xb, yb))
        return Apply(self, [x, y, inverse], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x, y, inverse):
        lead = xp.broadcast_shapes(x.shape[:-1], y.shape[:-1])
        if x.shape[-1] != y.shape[-1]:
            raise ValueError(f"permute_row_elements: rows of length {x.shape[-1]} and "
                             f"permutations of length {y.shape[-1]} differ")
        xs = xp.broadcast_to(x, lead + x.shape[-1:])
        ys = xp.broadcast_to(y, lead + y.shape[-1:])
        if int(inverse):
            out = xp.empty_like(xs)
            xp.put_along_axis(out, ys, xs, axis=-1)
            return out
        return xp.take_along_axis(xs, ys, axis=-1)

    def infer_shape(self, node, shapes):
        x, y = node.inputs[:2]
        out_ndim = node.outputs[0].type.ndim
        xs = (1,) * (out_ndim - x.type.ndim) + tuple(shapes[0])
        ys = (1,) * (out_ndim - y.type.ndim) + tuple(shapes[1])
        dims = []
        for k in range(out_ndim - 1):
            xk = x.type.ndim - out_ndim + k
            dims.append(ys[k] if xk < 0 or x.type.broadcastable[xk] else xs[k])
        return [tuple(dims) + (xs[-1],)]

    def L_op(self, inputs, outputs, grads):
        x, y, inverse = inputs
        (gz,) = grads
        gx = permute_row_elements(gz, y, 1 - inverse)
        return [sum_to_broadcast(gx, x), disconnected_type(), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False], [False]]


_permute_row_elements = PermuteRowElements()


def permute_row_elements(x, y, inverse=0):
    """Permute the last axis of x by y (one permutation, or one per row, broadcast)."""
    return _permute_row_elements(x, y, inverse)


def inverse_permutation(perm):
    """The inverse of the permutation vector (or matrix of row permutations) `perm`."""
    perm = as_tensor_variable(perm)
    return permute_row_elements(arange(perm.shape[-1], dtype=perm.type.dtype), perm, inverse=1)
