"""Batch normalization (theano.tensor.nnet.bn), with Theano 1.0.5's signatures and outputs.

Theano expressed these as abstract Ops that cuDNN could replace; here they are plain
graphs of elementwise ops and reductions, so gradients (including through the returned
mean and inverse standard deviation) come from those ops and the elementwise parts fuse.
"""

from __future__ import annotations

from ...scalar import dtypes as D
from .. import basic as B
from .. import math as M
from .. import elemwise_ops as E

__all__ = ["batch_normalization", "batch_normalization_test", "batch_normalization_train"]


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

    mean = M.mean(inputs, axis=axes, keepdims=True)
    var = M.var(inputs, axis=axes, keepdims=True)
    # Constants in the statistics' dtype: float32 inputs give float32 results, as
    # Theano's batch-norm Ops did.
    dtype = mean.type.dtype
    invstd = E.inv(M.sqrt(var + B.constant(epsilon, dtype=dtype)))
    out = (inputs - mean) * (gamma * invstd) + beta
    results = [out, layout.squeeze(mean), layout.squeeze(invstd)]
    if running:
        rmean, rvar = (layout.expand(p) for p in running)
        factor = B.constant(running_average_factor, dtype=dtype)
        keep = B.constant(1.0 - running_average_factor, dtype=dtype)
        count = 1
        for a in axes:
            count = count * inputs.shape[a]
        count = B.cast(count, dtype)
        new_mean = rmean * keep + mean * factor
        new_var = rvar * keep + (count / (count - B.constant(1, dtype=dtype))) * var * factor
        results += [layout.squeeze(new_mean), layout.squeeze(new_var)]
    return tuple(results)


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
