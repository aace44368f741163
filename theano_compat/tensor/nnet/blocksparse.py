"""theano.tensor.nnet.blocksparse: block-sparse matrix products (Theano's SparseBlockGemv
and SparseBlockOuter) and ``sparse_block_dot``.

``SparseBlockGemv()(o, W, h, inputIdx, outputIdx)``, with o (batch, oWin, oSize), W
(iBlocks, oBlocks, iSize, oSize), h (batch, iWin, iSize) and the integer block indices
inputIdx (batch, iWin), outputIdx (batch, oWin), computes::

    out[b, j] = o[b, j] + sum_i dot(h[b, i], W[inputIdx[b, i], outputIdx[b, j]])

``SparseBlockOuter()(o, x, y, xIdx, yIdx[, alpha])``, with o (xBlocks, yBlocks, xSize,
ySize), adds ``alpha * outer(x[b, i], y[b, j])`` to ``o[xIdx[b, i], yIdx[b, j]]`` for every
b, i, j (repeated indices accumulate).  Both are vectorised NumPy (one gather and one
einsum, no Python loop over the batch) and differentiable: SparseBlockGemv's gradient is
Theano's; SparseBlockOuter, which had none in Theano, has its exact gradient here.  The
CPU perform of Theano 1.0.5 ignored ``alpha`` (its GPU Op used it); here it scales the
outer products.
"""

from __future__ import annotations


import numpy as np

from ...graph.basic import Apply
from ...graph.null import grad_undefined
from ...graph.op import Op
from .. import basic as B
from ..basic import discrete_dtypes
from ...utils import lazy_names


def _check_index(v, what):
    if v.type.ndim != 2:
        raise TypeError(f"The {what} must be a 2D tensor")
    if v.type.dtype not in discrete_dtypes:
        raise TypeError(f"The {what} must be an integer tensor, got {v.type}")


class SparseBlockGemv(Op):
    """``out[b, j] = o[b, j] + sum_i h[b, i] . W[inputIdx[b, i], outputIdx[b, j]]`` (see the
    module docstring for the shapes).  inplace=True writes into `o`."""

    __props__ = ("inplace",)
    registered_opts = []

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def make_node(self, o, W, h, inputIdx, outputIdx):  # noqa: N803 - Theano's names
        o, W, h = (B.as_tensor_variable(v) for v in (o, W, h))
        inputIdx, outputIdx = B.as_tensor_variable(inputIdx), B.as_tensor_variable(outputIdx)
        if o.type.ndim != 3:
            raise TypeError("The output o must be a 3D tensor")
        if W.type.ndim != 4:
            raise TypeError("The weight matrix W must be a 4D tensor")
        if h.type.ndim != 3:
            raise TypeError("The input h must be a 3D tensor")
        _check_index(inputIdx, "input indices inputIdx")
        _check_index(outputIdx, "output indices outputIdx")
        return Apply(self, [o, W, h, inputIdx, outputIdx], [o.type()])

    def impl(self, xp, o, W, h, iIdx, oIdx):  # noqa: N803
        blocks = W[iIdx[:, :, None], oIdx[:, None, :]]  # (batch, iWin, oWin, iSize, oSize)
        prod = xp.einsum("bis,bijso->bjo", h, blocks).astype(o.dtype, copy=False)
        if self.inplace:
            o += prod
            return o
        return o + prod

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def R_op(self, inputs, eval_points):
        o, W, h, iidx, oidx = inputs
        eo, eW, eh = eval_points[:3]
        terms = [eo] if eo is not None else []
        if eW is not None:
            terms.append(SparseBlockGemv()(o.zeros_like(), eW, h, iidx, oidx))
        if eh is not None:
            terms.append(SparseBlockGemv()(o.zeros_like(), W, eh, iidx, oidx))
        if not terms:
            return [None]
        return [terms[0] if len(terms) == 1 else B.add(*terms)]

    def grad(self, inputs, grads):
        o, W, h, inputIdx, outputIdx = inputs
        (go,) = grads
        Wgrad = SparseBlockOuter(self.inplace)(W.zeros_like(), h, go, inputIdx, outputIdx)
        hgrad = SparseBlockGemv(self.inplace)(h.zeros_like(), W.dimshuffle(1, 0, 3, 2), go,
                                              outputIdx, inputIdx)
        return [go, Wgrad, hgrad,
                grad_undefined(self, 3, inputIdx, "grad of inputIdx makes no sense"),
                grad_undefined(self, 4, outputIdx, "grad of outputIdx makes no sense")]


class SparseBlockOuter(Op):
    """``out = o`` plus ``alpha * outer(x[b, i], y[b, j])`` added at ``[xIdx[b, i],
    yIdx[b, j]]`` for every b, i, j (see the module docstring).  inplace=True writes into
    `o`."""

    __props__ = ("inplace",)
    registered_opts = []

    def __init__(self, inplace=False):
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0]}

    def make_node(self, o, x, y, xIdx, yIdx, alpha=None):  # noqa: N803 - Theano's names
        o, x, y = (B.as_tensor_variable(v) for v in (o, x, y))
        xIdx, yIdx = B.as_tensor_variable(xIdx), B.as_tensor_variable(yIdx)
        if alpha is None:
            alpha = B.constant(np.asarray(1.0, dtype="float32"))
        alpha = B.as_tensor_variable(alpha)
        if o.type.ndim != 4:
            raise TypeError("The output o must be a 4D tensor")
        if x.type.ndim != 3 or y.type.ndim != 3:
            raise TypeError("x and y must be 3D tensors")
        _check_index(xIdx, "x indices xIdx")
        _check_index(yIdx, "y indices yIdx")
        if alpha.type.ndim != 0:
            raise TypeError("alpha must be a scalar")
        return Apply(self, [o, x, y, xIdx, yIdx, alpha], [o.type()])

    def impl(self, xp, o, x, y, xIdx, yIdx, alpha):  # noqa: N803
        outer = xp.einsum("bis,bjt->bijst", x, y) * alpha
        if not self.inplace:
            o = o.copy()
        outer = outer.astype(o.dtype, copy=False)
        index = (xp.broadcast_to(xIdx[:, :, None], outer.shape[:3]),
                 xp.broadcast_to(yIdx[:, None, :], outer.shape[:3]))
        if hasattr(xp.add, "at"):
            xp.add.at(o, index, outer)  # repeated (x, y) blocks accumulate
            return o
        # An array module without ufunc.at: accumulate through a one-hot product.
        n_blocks = o.shape[0] * o.shape[1]
        flat = (index[0] * o.shape[1] + index[1]).reshape(-1)
        onehot = (xp.arange(n_blocks)[:, None] == flat[None, :]).astype(o.dtype)
        o += (onehot @ outer.reshape(flat.shape[0], -1)).reshape(o.shape)
        return o

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def R_op(self, inputs, eval_points):
        o, x, y, xIdx, yIdx, alpha = inputs
        eo, ex, ey = eval_points[:3]
        ea = eval_points[5]
        terms = [eo] if eo is not None else []
        for k, e in ((1, ex), (2, ey), (5, ea)):
            if e is not None:
                args = [o.zeros_like(), x, y, xIdx, yIdx, alpha]
                args[k] = e
                terms.append(SparseBlockOuter()(*args))
        if not terms:
            return [None]
        return [terms[0] if len(terms) == 1 else B.add(*terms)]

    def grad(self, inputs, grads):
        o, x, y, xIdx, yIdx, alpha = inputs
        (g,) = grads
        gx = SparseBlockGemv()(x.zeros_like(), g.dimshuffle(1, 0, 3, 2), y, yIdx, xIdx)
        gy = SparseBlockGemv()(y.zeros_like(), g, x, xIdx, yIdx)
        if alpha.type.dtype != x.type.dtype:
            alpha = B.cast(alpha, x.type.dtype)
        galpha = B.sum(SparseBlockOuter()(B.zeros_like(g), x, y, xIdx, yIdx) * g)
        return [g, gx * alpha, gy * alpha,
                grad_undefined(self, 3, xIdx, "grad of xIdx makes no sense"),
                grad_undefined(self, 4, yIdx, "grad of yIdx makes no sense"),
                B.cast(galpha, inputs[5].type.dtype)]


for _cls in (SparseBlockGemv, SparseBlockOuter):
    _cls.__module__ = "theano.tensor.nnet.blocksparse"

sparse_block_gemv = SparseBlockGemv(False)
sparse_block_gemv_inplace = SparseBlockGemv(True)
sparse_block_outer = SparseBlockOuter(False)
sparse_block_outer_inplace = SparseBlockOuter(True)


def sparse_block_dot(W, h, inputIdx, b, outputIdx):  # noqa: N803 - Theano's names
    """``dot(h[i], W[inputIdx[i], outputIdx[j]])`` summed over i, plus ``b[outputIdx[j]]``
    (added once), for each output block j: W (iBlocks, oBlocks, iSize, oSize), h (batch,
    iWin, iSize) or (iWin, iSize), inputIdx (batch, iWin) or (iWin,), b (oBlocks, oSize),
    outputIdx (batch, oWin) or (oWin,).  Returns (batch, oWin, oSize) (3-d in both
    cases, as Theano)."""
    W, h, b = (B.as_tensor_variable(v) for v in (W, h, b))
    inputIdx, outputIdx = B.as_tensor_variable(inputIdx), B.as_tensor_variable(outputIdx)
    if inputIdx.type.ndim != h.type.ndim - 1:
        raise ValueError("sparse_block_dot: inputIdx must have one dimension less than h")
    if outputIdx.type.ndim != inputIdx.type.ndim:
        raise ValueError("sparse_block_dot: outputIdx and inputIdx must have the same "
                         "number of dimensions")
    if h.type.ndim == 2:
        h = h.dimshuffle("x", 0, 1)
        inputIdx = inputIdx.dimshuffle("x", 0)
        outputIdx = outputIdx.dimshuffle("x", 0)
    return SparseBlockGemv()(b.take(outputIdx, axis=0), W, h, inputIdx, outputIdx)


_HIGHER = {"theano": ("theano_compat", None)}


__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
