"""Batched products that NumPy's matmul/einsum run in one call."""

from __future__ import annotations

from ..graph.basic import Apply
from ..graph.op import Op
from ..scalar import dtypes as D
from .elemwise import as_tensor_variable, cast
from .type import TensorType, patternbroadcast


class BatchedTensordot(Op):
    """out[i] = tensordot(x[i], y[i], (x_axes-1, y_axes-1)) for every leading index i."""

    __props__ = ("x_axes", "y_axes")

    def __init__(self, x_axes, y_axes):
        self.x_axes = tuple(int(a) for a in x_axes)
        self.y_axes = tuple(int(a) for a in y_axes)
        if 0 in self.x_axes or 0 in self.y_axes:
            raise ValueError("batched_tensordot cannot sum over the batch axis 0")

    def _spec(self, xn, yn):
        letters = "abcdefghijklmnopqrstuvwxyz"
        xs = ["A"] + [letters[i] for i in range(1, xn)]
        ys = ["A"] + [letters[10 + i] for i in range(1, yn)]
        for xa, ya in zip(self.x_axes, self.y_axes):
            ys[ya] = xs[xa]
        out = ["A"] + [xs[i] for i in range(1, xn) if i not in self.x_axes] + [
            ys[i] for i in range(1, yn) if i not in self.y_axes]
        return "".join(xs) + "," + "".join(ys) + "->" + "".join(out)

    def make_node(self, x, y):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        bcast = (x.type.broadcastable[0] and y.type.broadcastable[0],) + tuple(
            b for i, b in enumerate(x.type.broadcastable) if i and i not in self.x_axes
        ) + tuple(b for i, b in enumerate(y.type.broadcastable) if i and i not in self.y_axes)
        dtype = D.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [TensorType(dtype, bcast)()])

    def impl(self, xp, x, y):
        dtype = xp.result_type(x, y)
        if x.shape[0] != y.shape[0]:
            raise ValueError(
                f"batched_dot: batch sizes differ ({x.shape[0]} vs {y.shape[0]})"
            )
        return xp.einsum(self._spec(x.ndim, y.ndim), x.astype(dtype, copy=False),
                         y.astype(dtype, copy=False), optimize=True)

    def L_op(self, inputs, outputs, grads):
        x, y = inputs
        (g,) = grads
        xn, yn = x.type.ndim, y.type.ndim
        spec = self._spec(xn, yn)
        lhs, out = spec.split("->")
        xs, ys = lhs.split(",")
        gx = Einsum(f"{out},{ys}->{xs}")(g, y)
        gy = Einsum(f"{xs},{out}->{ys}")(x, g)
        res = []
        for v, gv in ((x, gx), (y, gy)):
            gv = patternbroadcast(gv, v.type.broadcastable)
            res.append(cast(gv, v.type.dtype) if gv.type.dtype != v.type.dtype else gv)
        return res

    def R_op(self, inputs, eval_points):
        return _multilinear_r_op(self, inputs, eval_points)


class Einsum(Op):
    """A fixed einsum contraction (used for the gradients of batched products)."""

    __props__ = ("spec",)

    def __init__(self, spec):
        self.spec = spec

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        out = self.spec.split("->")[1]
        dtype = D.upcast(*[i.type.dtype for i in inputs])
        return Apply(self, inputs, [TensorType(dtype, (False,) * len(out))()])

    def impl(self, xp, *inputs):
        return xp.einsum(self.spec, *inputs, optimize=True)

    def L_op(self, inputs, outputs, grads):
        (g,) = grads
        lhs, out = self.spec.split("->")
        terms = lhs.split(",")
        res = []
        for k, v in enumerate(inputs):
            others = [t for j, t in enumerate(terms) if j != k]
            spec = ",".join([out] + others) + "->" + terms[k]
            gv = Einsum(spec)(g, *[inputs[j] for j in range(len(terms)) if j != k])
            gv = patternbroadcast(gv, v.type.broadcastable)
            res.append(cast(gv, v.type.dtype) if gv.type.dtype != v.type.dtype else gv)
        return res

    def R_op(self, inputs, eval_points):
        return _multilinear_r_op(self, inputs, eval_points)


def _multilinear_r_op(op, inputs, eval_points):
    """R_op of an op linear in each input (product rule): the sum over the inputs with an
    eval point of the op applied with that input replaced by its eval point."""
    terms = [op(*inputs[:k], e, *inputs[k + 1:]) for k, e in enumerate(eval_points)
             if e is not None]
    if not terms:
        return [None]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return [total]
