"""Batch normalization (theano.tensor.nnet.bn), with Theano 1.0.5's signatures and outputs.

Theano's functions built abstract Ops (AbstractBatchNormTrain, AbstractBatchNormInference,
and AbstractBatchNormTrainGrad for the gradient) that its specialize_device phase lowered
to elementwise graphs (``local_abstract_batch_norm_*``) unless cuDNN took them.  The Ops
are here, with their values and gradients (grad of grad included), and so are the
lowering rewrites, as optimizer objects; ``batch_normalization_train`` / ``_test`` return
the lowered graphs directly (what Theano's compiled functions ran on the CPU), so their
gradients, including through the returned mean and inverse standard deviation, come from
elementwise ops and reductions and the elementwise parts fuse.
"""

from __future__ import annotations

import numpy as np

from ...graph.basic import Apply
from ...graph.null import DisconnectedType, disconnected_type
from ...graph.op import Op
from ...graph.optdb import LocalGroupDB, optdb
from ...graph.optimizers import copy_stack_trace, local_optimizer
from ...scalar import dtypes as D
from ...scalar.composite import Composite  # noqa: F401 - theano.tensor.nnet.bn name
from ...scalar.type import as_common_dtype
from .. import basic as B
from .. import basic as T  # noqa: F401 - theano.tensor.nnet.bn.T
from .. import math as M
from .. import elemwise_ops as E
from ..opfromgraph import OpFromGraph
from ..elemwise_ops import add, mul, sub, true_div  # noqa: F401 - names of Theano's module
from ..type import TensorType

as_tensor_variable = B.as_tensor_variable

__all__ = ["AbstractBatchNormInference", "AbstractBatchNormTrain",
           "AbstractBatchNormTrainGrad", "batch_normalization", "batch_normalization_test",
           "batch_normalization_train", "bn_groupopt", "local_abstract_batch_norm_inference",
           "local_abstract_batch_norm_train", "local_abstract_batch_norm_train_grad"]



# ------------------------------------------------------------------- shared graph builders


def _sum(v, axes):
    return M.sum(v, axis=axes, keepdims=True)


def _mean(v, axes):
    return M.mean(v, axis=axes, keepdims=True)


def _count(x, scale):
    """The number of values each statistic averages, in x's dtype."""
    return B.cast(M.prod(x.shape) // M.prod(scale.shape), x.type.dtype)


def _train_graph(axes, x, scale, bias, epsilon, factor, running):
    """AbstractBatchNormTrain's outputs as a graph (full-rank parameters)."""
    mean = _mean(x, axes)
    var = M.var(x, axis=axes, keepdims=True)
    dtype = var.type.dtype
    invstd = E.inv(M.sqrt(var + B.cast(epsilon, dtype)))
    results = [(x - mean) * (scale * invstd) + bias, mean, invstd]
    if running:
        f = B.cast(factor, dtype)
        one = B.constant(1, dtype=dtype)
        m = _count(x, scale)
        results.append(running[0] * (one - f) + mean * f)
        results.append(running[1] * (one - f) + (m / (m - one)) * var * f)
    return results


def _train_grad_graph(axes, x, dy, scale, x_mean, x_invstd):
    """AbstractBatchNormTrainGrad's outputs as a graph."""
    x_diff = x - x_mean
    mean_dy_x_diff = _mean(dy * x_diff, axes)
    c = dy * x_invstd - x_diff * (mean_dy_x_diff * x_invstd ** 3)
    return [scale * (c - _mean(c, axes)), _sum(dy * x_invstd * x_diff, axes), _sum(dy, axes)]


def _train_grads(axes, x, scale, factor, mean, invstd, grads, train_grad):
    """Gradients of the train outputs ``(out, mean, invstd[, new running mean, var])``
    with respect to ``(x, scale, bias[, running mean, var])``; `grads` holds None for an
    output without gradient, `train_grad` computes the normalized output's part.

    Theano's Op returned only the normalized output's part; the gradients reaching the
    mean, the inverse standard deviation and the new running averages are added here."""
    gx = gscale = gbias = None
    if grads[0] is not None:
        gx, gscale, gbias = train_grad(x, grads[0], scale, mean, invstd)
    count = _count(x, scale)
    dtype = x.type.dtype
    extra = []
    if grads[1] is not None:
        extra.append(grads[1] / count)
    if grads[2] is not None:
        extra.append(-grads[2] * invstd ** 3 * (x - mean) / count)
    running = []
    if len(grads) > 3:
        f = B.cast(factor, dtype)
        one = B.constant(1, dtype=dtype)
        if grads[3] is not None:
            extra.append(grads[3] * f / count)
        if grads[4] is not None:
            extra.append(grads[4] * f * B.constant(2, dtype=dtype) * (x - mean)
                         / (count - one))
        running = [None if g is None else g * (one - f) for g in grads[3:5]]
    for term in extra:
        gx = term if gx is None else gx + term
    return [gx, gscale, gbias] + running


def batch_normalization(inputs, gamma, beta, mean, std, mode="low_mem"):
    """``(inputs - mean) * (gamma / std) + beta``, elementwise with broadcasting.

    `mode` ('low_mem' or 'high_mem') chose between two graphs in Theano; both give the
    same values, and elementwise fusion gives the low-memory form here anyway.
    """
    if mode not in ("low_mem", "high_mem"):
        raise ValueError('mode must be either "low_mem", "high_mem"')
    inputs, gamma, beta, mean, std = (B.as_tensor_variable(v)
                                      for v in (inputs, gamma, beta, mean, std))
    return (inputs - mean) * (gamma / std) + beta


def _normalization_axes(axes, ndim):
    if axes == "per-activation":
        return (0,)
    if axes == "spatial":
        return (0,) + tuple(range(2, ndim))
    if isinstance(axes, (tuple, list)) and all(isinstance(a, int) for a in axes):
        axes = tuple(sorted(a % ndim if -ndim <= a < ndim else a for a in axes))
        if all(0 <= a < ndim for a in axes) and len(set(axes)) == len(axes):
            return axes
    raise ValueError(f"invalid axes: {axes!r} (expected 'per-activation', 'spatial' or a "
                     f"tuple of distinct axes of the {ndim}-d input)")


class _ParamLayout:
    """How the parameters are given: full rank (size 1 on the normalization axes) or
    without the normalization axes (then expanded here, and results are squeezed back)."""

    def __init__(self, ndim, axes, params):
        self.axes = axes
        self.kept = [a for a in range(ndim) if a not in axes]
        reduced_ndim = ndim - len(axes)
        ndims = {p.type.ndim for p in params}
        if ndims == {ndim}:
            self.reduced = False
        elif ndims == {reduced_ndim}:
            self.reduced = True
        else:
            raise ValueError(
                f"batch normalization parameters must all have {ndim} dimensions (size 1 on "
                f"the normalization axes {axes}) or all {reduced_ndim} (without those axes); "
                f"got {sorted(p.type.ndim for p in params)}")
        self.ndim = ndim

    def expand(self, p):
        if self.reduced:
            it = iter(range(p.type.ndim))
            return p.dimshuffle(["x" if a in self.axes else next(it)
                                 for a in range(self.ndim)])
        return B.addbroadcast(p, *self.axes) if self.axes else p

    def squeeze(self, v):
        return v.dimshuffle(self.kept) if self.reduced else v


def _check_epsilon(epsilon):
    if epsilon < 1e-5:
        raise ValueError(f"epsilon must be at least 1e-5, got {epsilon}")


def batch_normalization_train(inputs, gamma, beta, axes="per-activation", epsilon=1e-4,
                              running_average_factor=0.1, running_mean=None,
                              running_var=None):
    """Normalize `inputs` with the statistics of this batch.

    Parameters
    ----------
    inputs : tensor
    gamma, beta : tensors
        Scale and shift, shaped like `inputs` with size 1 on the normalization axes (or
        without those axes at all).
    axes : 'per-activation', 'spatial' or a tuple of ints
        Axes to normalize over: (0,), (0, 2, 3, ...) or the given ones.
    epsilon : float
        Added to the variance (at least 1e-5, as cuDNN required).
    running_average_factor : float
        Weight of this batch in the running averages.
    running_mean, running_var : tensors, optional
        Running averages to update (give both or neither).

    Returns
    -------
    out, mean, invstd[, new_running_mean, new_running_var]
        ``out = (inputs - mean) * gamma * invstd + beta`` with the batch mean and
        ``invstd = 1 / sqrt(var + epsilon)`` (biased variance); the running variance is
        updated with the unbiased one ``var * m / (m - 1)``, m the number of values
        averaged.
    """
    inputs = B.as_tensor_variable(inputs)
    ndim = inputs.type.ndim
    axes = _normalization_axes(axes, ndim)
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be given or both "
                         "be None")
    _check_epsilon(epsilon)
    params = [B.as_tensor_variable(v) for v in (gamma, beta)]
    running = ([] if running_mean is None
               else [B.as_tensor_variable(v) for v in (running_mean, running_var)])
    layout = _ParamLayout(ndim, axes, params + running)
    gamma, beta = (layout.expand(p) for p in params)

    outer = [inputs, gamma, beta] + [layout.expand(p) for p in running]
    inner = [v.type() for v in outer]
    outputs = _train_graph(axes, inner[0], inner[1], inner[2], epsilon,
                           running_average_factor, inner[3:])

    def lop(ins, outs, grads):
        # Theano's gradient: AbstractBatchNormTrainGrad of the returned mean and inverse
        # standard deviation (so that consider_constant on them holds), plus the parts
        # reaching the other outputs.
        def train_grad(*args):
            return _train_grad_graph(axes, *args)

        return _train_grads(axes, ins[0], ins[1], running_average_factor, outs[1], outs[2],
                            list(grads), train_grad)

    # An inline OpFromGraph: the compiled function runs the graph (as Theano's lowering
    # rewrite left it), its gradient is Theano's.
    results = OpFromGraph(inner, outputs, inline=True, lop_overrides=lop,
                          name="AbstractBatchNormTrain")(*outer, return_list=True)
    return tuple([results[0]] + [layout.squeeze(r) for r in results[1:]])


def batch_normalization_test(inputs, gamma, beta, mean, var, axes="per-activation",
                             epsilon=1e-4):
    """Normalize `inputs` with given (running) statistics:
    ``(inputs - mean) * (gamma / sqrt(var + epsilon)) + beta``.

    The parameters are shaped as in `batch_normalization_train`.
    """
    inputs = B.as_tensor_variable(inputs)
    ndim = inputs.type.ndim
    axes = _normalization_axes(axes, ndim)
    _check_epsilon(epsilon)
    params = [B.as_tensor_variable(v) for v in (gamma, beta, mean, var)]
    layout = _ParamLayout(ndim, axes, params)
    gamma, beta, mean, var = (layout.expand(p) for p in params)
    eps = B.constant(epsilon, dtype=D.upgrade_to_float(var.type.dtype))
    return (inputs - mean) * (gamma / M.sqrt(var + eps)) + beta


# -------------------------------------------------------------------------------- the Ops


def _op_axes(axes):
    if not isinstance(axes, (tuple, list)) or len(axes) == 0:
        raise ValueError(f"axes must be a non-empty tuple of ints, got {axes!r}")
    return tuple(int(a) for a in axes)


def _check_axes(axes, ndim):
    if min(axes) < 0 or max(axes) >= ndim:
        raise ValueError(f"axes should be less than ndim (<{ndim}), but {axes} given")


def _same_ndim(what, *vs):
    if len({v.type.ndim for v in vs}) != 1:
        raise TypeError(f"{what}: the tensors must all have the same number of dimensions, "
                        f"got {[v.type.ndim for v in vs]}")


def _scalar_input(v):
    v = B.as_tensor_variable(v)
    if v.type.ndim != 0:
        raise TypeError(f"expected a scalar, got {v.type}")
    return v


class AbstractBatchNormTrain(Op):
    """``op(x, scale, bias, epsilon, running_average_factor[, running_mean, running_var])``:
    batch normalization of `x` over `axes` with this batch's statistics.

    `scale`, `bias` (and the running averages) have x's number of dimensions, size 1 on
    `axes`.  Outputs: ``(x - mean) * scale * invstd + bias``, the batch mean, ``invstd =
    1 / sqrt(var + epsilon)`` (biased variance) and, with running averages,
    ``running_mean * (1 - f) + mean * f`` and ``running_var * (1 - f) + m / (m - 1) *
    var * f`` (m values averaged per statistic).
    """

    __props__ = ("axes",)

    def __init__(self, axes=(0,)):
        self.axes = _op_axes(axes)

    def make_node(self, x, scale, bias, epsilon=1e-4, running_average_factor=0.1,
                  running_mean=None, running_var=None):
        x, scale, bias = (B.as_tensor_variable(v) for v in (x, scale, bias))
        epsilon = _scalar_input(epsilon)
        running_average_factor = _scalar_input(running_average_factor)
        if (running_mean is None) != (running_var is None):
            raise ValueError("running_mean and running_var must either both be given or "
                             "both be None")
        tensors = [x, scale, bias]
        if running_mean is not None:
            tensors += [B.as_tensor_variable(running_mean), B.as_tensor_variable(running_var)]
        _same_ndim("AbstractBatchNormTrain", *tensors)
        tensors = list(as_common_dtype(*tensors))
        x, scale = tensors[:2]
        inputs = tensors[:3] + [epsilon, running_average_factor] + tensors[3:]
        outputs = [x.type(), scale.type(), scale.type()] + [scale.type() for _ in tensors[3:]]
        return Apply(self, inputs, outputs)

    def impl(self, xp, x, scale, bias, epsilon, factor, *running):
        axes = self.axes
        _check_axes(axes, x.ndim)
        dtype = x.dtype
        mean = x.mean(axes, keepdims=True)
        var = x.var(axes, keepdims=True)
        invstd = 1.0 / xp.sqrt(var + epsilon.astype(dtype))
        out = (x - mean) * (scale * invstd) + bias
        results = [out, mean, invstd]
        if running:
            running_mean, running_var = running
            f = factor.astype(dtype)
            results.append(running_mean * (1 - f) + mean * f)
            m = float(np.prod(x.shape) / np.prod(scale.shape))
            results.append(running_var * (1 - f) + (m / (m - 1)) * var * f)
        return tuple(xp.asarray(r).astype(dtype, copy=False) for r in results)

    def infer_shape(self, node, shapes):
        return [shapes[0]] + [shapes[1]] * (len(node.outputs) - 1)

    def connection_pattern(self, node):
        n_running = len(node.inputs) - 5
        rows = [[True] * (3 + n_running), [True] * 3 + [False] * n_running,
                [True] * 3 + [False] * n_running, [False] * (3 + n_running),
                [False] * (3 + n_running)]
        for i in range(n_running):
            rows.append([False] * (3 + i) + [True] + [False] * (n_running - 1 - i))
        return rows

    def L_op(self, inputs, outputs, grads):
        x, scale, bias, epsilon, factor = inputs[:5]
        axes = self.axes

        def train_grad(*args):
            return AbstractBatchNormTrainGrad(axes)(*args, epsilon)

        gs = [None if isinstance(g.type, DisconnectedType) else g for g in grads]
        res = _train_grads(axes, x, scale, factor, outputs[1], outputs[2], gs, train_grad)
        res = [disconnected_type() if r is None else r for r in res]
        return res[:3] + [disconnected_type(), disconnected_type()] + res[3:]


class AbstractBatchNormInference(Op):
    """``op(x, scale, bias, estimated_mean, estimated_variance, epsilon)``:
    ``(x - mean) * (scale / sqrt(var + epsilon)) + bias`` (parameters of x's number of
    dimensions, size 1 on `axes`)."""

    __props__ = ("axes",)

    def __init__(self, axes=(0,)):
        self.axes = _op_axes(axes)

    def make_node(self, x, scale, bias, estimated_mean, estimated_variance, epsilon=1e-4):
        tensors = [B.as_tensor_variable(v)
                   for v in (x, scale, bias, estimated_mean, estimated_variance)]
        _same_ndim("AbstractBatchNormInference", *tensors)
        tensors = list(as_common_dtype(*tensors))
        return Apply(self, tensors + [_scalar_input(epsilon)], [tensors[0].type()])

    def impl(self, xp, x, scale, bias, mean, var, epsilon):
        dtype = x.dtype
        out = (x - mean) * (scale / xp.sqrt(var + epsilon.astype(dtype))) + bias
        return xp.asarray(out).astype(dtype, copy=False)

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def connection_pattern(self, node):
        return [[True], [True], [True], [True], [True], [False]]

    def grad(self, inputs, grads):
        x, scale, bias, mean, var, epsilon = inputs
        (dy,) = grads
        axes = self.axes
        _check_axes(axes, x.type.ndim)
        scale, bias, mean, var = (B.addbroadcast(t, *axes) for t in (scale, bias, mean, var))
        var_eps = var + B.cast(epsilon, var.type.dtype)
        std = M.sqrt(var_eps)
        dx = dy * (scale / std)
        dscale = _sum(dy * (x - mean), axes) / std
        dbias = _sum(dy, axes)
        dmean = -_sum(dy, axes) * (scale / std)
        dvar = -_sum(dy * (x - mean), axes) * (scale / (2 * var_eps * std))
        return [dx, dscale, dbias, dmean, dvar, disconnected_type()]


class AbstractBatchNormTrainGrad(Op):
    """``op(x, dy, scale, x_mean, x_invstd, epsilon)``: the gradients of
    AbstractBatchNormTrain's normalized output with respect to x, scale and bias, given its
    output gradient `dy`, batch mean and inverse standard deviation."""

    __props__ = ("axes",)

    def __init__(self, axes=(0,)):
        self.axes = _op_axes(axes)

    def make_node(self, x, dy, scale, x_mean, x_invstd, epsilon=1e-4):
        tensors = [B.as_tensor_variable(v) for v in (x, dy, scale, x_mean, x_invstd)]
        _same_ndim("AbstractBatchNormTrainGrad", *tensors)
        tensors = list(as_common_dtype(*tensors))
        x, scale = tensors[0], tensors[2]
        return Apply(self, tensors + [_scalar_input(epsilon)],
                     [x.type(), scale.type(), scale.type()])

    def impl(self, xp, x, dy, scale, x_mean, x_invstd, epsilon):
        axes = self.axes
        _check_axes(axes, x.ndim)
        x_diff = x - x_mean
        mean_dy_x_diff = (dy * x_diff).mean(axis=axes, keepdims=True)
        c = dy * x_invstd - x_diff * mean_dy_x_diff * x_invstd ** 3
        g_x = scale * (c - c.mean(axis=axes, keepdims=True))
        g_scale = (dy * x_invstd * x_diff).sum(axis=axes, keepdims=True)
        g_bias = dy.sum(axis=axes, keepdims=True)
        return tuple(xp.asarray(r).astype(x.dtype, copy=False) for r in (g_x, g_scale, g_bias))

    def infer_shape(self, node, shapes):
        return [shapes[0], shapes[2], shapes[2]]

    def connection_pattern(self, node):
        return [[True, True, False], [True, True, True], [True, False, False],
                [True, True, False], [True, True, False], [False, False, False]]

    def grad(self, inputs, grads):
        x, dy, scale, x_mean, x_invstd, epsilon = inputs
        ddx, ddscale, ddbias = grads
        axes = self.axes
        x_diff = x - x_mean
        mean_dy_x_diff = _mean(dy * x_diff, axes)
        g_x = g_dy = g_scale = g_mean = g_invstd = None

        def add_to(acc, term):
            return term if acc is None else acc + term

        if not isinstance(ddx.type, DisconnectedType):
            ccc = scale * (ddx - _mean(ddx, axes))
            ddd = x_invstd ** 3 * (ccc * mean_dy_x_diff + dy * _mean(ccc * x_diff, axes))
            g_x = add_to(g_x, -ddd)
            g_dy = add_to(g_dy, ccc * x_invstd
                          - x_invstd ** 3 * x_diff * _mean(ccc * x_diff, axes))
            eee = dy * x_invstd - x_invstd ** 3 * x_diff * mean_dy_x_diff
            g_scale = add_to(g_scale, _sum(ddx * (eee - _mean(eee, axes)), axes))
            g_mean = add_to(g_mean, _sum(ddd, axes))
            g_invstd = add_to(g_invstd, _sum(
                ccc * (dy - 3 * x_invstd ** 2 * x_diff * mean_dy_x_diff), axes))
        if not isinstance(ddscale.type, DisconnectedType):
            g_x = add_to(g_x, x_invstd * ddscale * dy)
            g_dy = add_to(g_dy, x_invstd * ddscale * x_diff)
            g_mean = add_to(g_mean, -(x_invstd * ddscale * _sum(dy, axes)))
            g_invstd = add_to(g_invstd, ddscale * _sum(dy * x_diff, axes))
        if not isinstance(ddbias.type, DisconnectedType):
            g_dy = add_to(g_dy, B.fill(dy, ddbias))
        results = [g_x, g_dy, g_scale, g_mean, g_invstd, None]
        return [disconnected_type() if r is None else r for r in results]


# ------------------------------------------------------------------ the lowering rewrites


def _all_tensors(node):
    return all(isinstance(v.type, TensorType) for v in node.inputs)


def _lowered(node, results):
    results = [B.patternbroadcast(r, o.type.broadcastable) for r, o in
               zip(results, node.outputs)]
    for r in results:
        copy_stack_trace(node.outputs[0], r)
    return results


def _epsilon_like(epsilon, v):
    # epsilon must not upcast float32 statistics
    return B.cast(epsilon, v.type.dtype) if epsilon.type.dtype != v.type.dtype else epsilon


@local_optimizer([AbstractBatchNormTrain])
def local_abstract_batch_norm_train(node):
    """AbstractBatchNormTrain -> its elementwise graph."""
    if not isinstance(node.op, AbstractBatchNormTrain) or not _all_tensors(node):
        return None
    x, scale, bias, epsilon, factor = node.inputs[:5]
    axes = node.op.axes
    if max(axes) >= x.type.ndim:
        return None
    return _lowered(node, _train_graph(axes, x, scale, bias, epsilon, factor,
                                       node.inputs[5:]))


@local_optimizer([AbstractBatchNormTrainGrad])
def local_abstract_batch_norm_train_grad(node):
    """AbstractBatchNormTrainGrad -> its elementwise graph."""
    if not isinstance(node.op, AbstractBatchNormTrainGrad) or not _all_tensors(node):
        return None
    x, dy, scale, x_mean, x_invstd, _ = node.inputs
    axes = node.op.axes
    if max(axes) >= x.type.ndim:
        return None
    return _lowered(node, _train_grad_graph(axes, x, dy, scale, x_mean, x_invstd))


@local_optimizer([AbstractBatchNormInference])
def local_abstract_batch_norm_inference(node):
    """AbstractBatchNormInference -> its elementwise graph."""
    if not isinstance(node.op, AbstractBatchNormInference) or not _all_tensors(node):
        return None
    x, scale, bias, mean, var, epsilon = node.inputs
    out = (x - mean) * (scale / M.sqrt(var + _epsilon_like(epsilon, var))) + bias
    return _lowered(node, [out])


# Theano's group of the lowering rewrites in optdb's specialize_device slot (recorded there
# as it was; the functions above already return the lowered graphs).
bn_groupopt = LocalGroupDB()
bn_groupopt.__name__ = "batchnorm_opts"
optdb["specialize_device"].register("batchnorm_opts", bn_groupopt, "fast_compile", "fast_run")
bn_groupopt.register("local_abstract_batch_norm_train", local_abstract_batch_norm_train,
                     "fast_compile", "fast_run", position=30)
bn_groupopt.register("local_abstract_batch_norm_train_grad",
                     local_abstract_batch_norm_train_grad, "fast_compile", "fast_run",
                     position=30)
bn_groupopt.register("local_abstract_batch_norm_inference",
                     local_abstract_batch_norm_inference, "fast_compile", "fast_run",
                     position=30)


# Theano's module path (reprs, pickles).
for _cls in (AbstractBatchNormTrain, AbstractBatchNormInference, AbstractBatchNormTrainGrad):
    _cls.__module__ = "theano.tensor.nnet.bn"
del _cls
