"""theano.tensor.nnet.opt: Theano's rewrites of the convolution and block-sparse Ops.

Theano lowered the abstract convolutions (abstract_conv.py) to an implementation in its
specialize_device phase: the GEMM-based CorrMM / Corr3dMM (``local_abstractconv*_gemm``,
group ``conv_gemm``) or the legacy ConvOp (``local_conv2d*_cpu``), and made the
block-sparse products in place.  Here the abstract Ops run by themselves (they have
implementations), so the compile pipeline does not need these rewrites; they are the
optimizer objects (graph/optimizers.py) Theano exposed, and user code can apply them
(``theano.gof.opt.in2out(local_abstractconv_gemm)``) to get the same graphs as Theano.
``conv_groupopt`` records them in optdb's specialize_device slot as Theano did.
"""

from __future__ import annotations

from ...graph.optdb import LocalGroupDB, optdb
from ...graph.optimizers import (LocalMetaOptimizerSkipAssertionError, copy_stack_trace,
                                 local_optimizer)
from .. import basic as B
from ..type import TensorType
from .abstract_conv import (AbstractConv2d, AbstractConv2d_gradInputs,
                            AbstractConv2d_gradWeights, AbstractConv3d,
                            AbstractConv3d_gradInputs, AbstractConv3d_gradWeights,
                            get_conv_output_shape)
from .blocksparse import (SparseBlockGemv, SparseBlockOuter, sparse_block_gemv_inplace,
                          sparse_block_outer_inplace)
from .conv import ConvOp, conv2d
from .corr import CorrMM, CorrMM_gradInputs, CorrMM_gradWeights
from .corr3d import Corr3dMM, Corr3dMM_gradInputs, Corr3dMM_gradWeights

__all__ = [
    "conv_groupopt", "get_conv_output_shape", "local_abstractconv3d_gemm",
    "local_abstractconv3d_gradinputs_gemm", "local_abstractconv3d_gradweight_gemm",
    "local_abstractconv_check", "local_abstractconv_gemm",
    "local_abstractconv_gradinputs_gemm", "local_abstractconv_gradweight_gemm",
    "local_conv2d_cpu", "local_conv2d_gradinputs_cpu", "local_conv2d_gradweight_cpu",
    "local_inplace_sparse_block_gemv", "local_inplace_sparse_block_outer",
]


@local_optimizer([SparseBlockGemv], inplace=True)
def local_inplace_sparse_block_gemv(node):
    """SparseBlockGemv(inplace=False) -> SparseBlockGemv(inplace=True)."""
    if isinstance(node.op, SparseBlockGemv) and not node.op.inplace:
        out = sparse_block_gemv_inplace(*node.inputs)
        copy_stack_trace(node.outputs[0], out)
        return [out]
    return False


@local_optimizer([SparseBlockOuter], inplace=True)
def local_inplace_sparse_block_outer(node):
    """SparseBlockOuter(inplace=False) -> SparseBlockOuter(inplace=True)."""
    if isinstance(node.op, SparseBlockOuter) and not node.op.inplace:
        out = sparse_block_outer_inplace(*node.inputs)
        copy_stack_trace(node.outputs[0], out)
        return [out]
    return False


def _tensors(*vs):
    return all(isinstance(v.type, TensorType) for v in vs)


def _flipped(kern, nflip):
    """`kern` with its last `nflip` axes reversed."""
    return kern[(slice(None),) * (kern.type.ndim - nflip) + (slice(None, None, -1),) * nflip]


def _corr_kwargs(op, with_unshared=True):
    kwargs = dict(border_mode=op.border_mode, subsample=op.subsample,
                  filter_dilation=op.filter_dilation, num_groups=op.num_groups)
    if with_unshared:
        kwargs["unshared"] = op.unshared
    return kwargs


def _supported(node):
    return node.inputs[0].type.dtype != "float16" and _tensors(*node.inputs[:2])


@local_optimizer([AbstractConv2d])
def local_abstractconv_gemm(node):
    """AbstractConv2d -> CorrMM (of the flipped kernel when filter_flip)."""
    if not isinstance(node.op, AbstractConv2d) or not _supported(node):
        return None
    img, kern = node.inputs
    if node.op.filter_flip:
        kern = _flipped(kern, 2)
    out = CorrMM(**_corr_kwargs(node.op))(img, kern)
    copy_stack_trace(node.outputs[0], out)
    return [out]


@local_optimizer([AbstractConv3d])
def local_abstractconv3d_gemm(node):
    """AbstractConv3d -> Corr3dMM (of the flipped kernel when filter_flip)."""
    if not isinstance(node.op, AbstractConv3d) or not _supported(node):
        return None
    img, kern = node.inputs
    if node.op.filter_flip:
        kern = _flipped(kern, 3)
    out = Corr3dMM(**_corr_kwargs(node.op, with_unshared=False))(img, kern)
    copy_stack_trace(node.outputs[0], out)
    return [out]


def _gradweight(node, op_class, nflip, with_unshared):
    img, topgrad, shape = node.inputs
    out = op_class(**_corr_kwargs(node.op, with_unshared))(img, topgrad, shape)
    copy_stack_trace(node.outputs[0], out)
    if node.op.filter_flip:
        out = _flipped(out, nflip)
    out = B.patternbroadcast(out, node.outputs[0].type.broadcastable)
    copy_stack_trace(node.outputs[0], out)
    return [out]


@local_optimizer([AbstractConv2d_gradWeights])
def local_abstractconv_gradweight_gemm(node):
    """AbstractConv2d_gradWeights -> CorrMM_gradWeights (flipped when filter_flip)."""
    if not isinstance(node.op, AbstractConv2d_gradWeights) or not _supported(node):
        return None
    return _gradweight(node, CorrMM_gradWeights, 2, True)


@local_optimizer([AbstractConv3d_gradWeights])
def local_abstractconv3d_gradweight_gemm(node):
    """AbstractConv3d_gradWeights -> Corr3dMM_gradWeights (flipped when filter_flip)."""
    if not isinstance(node.op, AbstractConv3d_gradWeights) or not _supported(node):
        return None
    return _gradweight(node, Corr3dMM_gradWeights, 3, False)


def _gradinputs(node, op_class, nflip, with_unshared):
    kern, topgrad, shape = node.inputs
    if node.op.filter_flip:
        kern = _flipped(kern, nflip)
    out = op_class(**_corr_kwargs(node.op, with_unshared))(kern, topgrad, shape)
    copy_stack_trace(node.outputs[0], out)
    return [out]


@local_optimizer([AbstractConv2d_gradInputs])
def local_abstractconv_gradinputs_gemm(node):
    """AbstractConv2d_gradInputs -> CorrMM_gradInputs (of the flipped kernel)."""
    if not isinstance(node.op, AbstractConv2d_gradInputs) or not _supported(node):
        return None
    return _gradinputs(node, CorrMM_gradInputs, 2, True)


@local_optimizer([AbstractConv3d_gradInputs])
def local_abstractconv3d_gradinputs_gemm(node):
    """AbstractConv3d_gradInputs -> Corr3dMM_gradInputs (of the flipped kernel)."""
    if not isinstance(node.op, AbstractConv3d_gradInputs) or not _supported(node):
        return None
    return _gradinputs(node, Corr3dMM_gradInputs, 3, False)


@local_optimizer([AbstractConv2d])
def local_conv2d_cpu(node):
    """AbstractConv2d -> the legacy ConvOp (``conv.conv2d``), for what ConvOp supported:
    'full'/'valid' borders, flipped filters, no groups, no dilation."""
    if (not isinstance(node.op, AbstractConv2d) or isinstance(node.op, ConvOp)
            or not _supported(node)):
        return None  # (ConvOp is an AbstractConv2d here: already lowered)
    op = node.op
    if (op.border_mode not in ("full", "valid") or not op.filter_flip or op.num_groups > 1
            or op.unshared or op.filter_dilation != (1, 1)):
        return None
    img, kern = node.inputs
    out = conv2d(img, kern, op.imshp, op.kshp, border_mode=op.border_mode,
                 subsample=op.subsample)
    copy_stack_trace(node.outputs[0], out)
    return [out]


@local_optimizer([AbstractConv2d_gradWeights])
def local_conv2d_gradweight_cpu(node):
    """Theano rewrote AbstractConv2d_gradWeights into a ConvOp configured for the weight
    gradient (its C kernels' 'bprop weights' mode).  This project's ConvOp has no such
    mode: the rewrite declines every node, and AbstractConv2d_gradWeights runs itself
    (or use local_abstractconv_gradweight_gemm for CorrMM_gradWeights)."""
    return None


@local_optimizer([AbstractConv2d_gradInputs])
def local_conv2d_gradinputs_cpu(node):
    """Theano rewrote AbstractConv2d_gradInputs into a ConvOp configured for the input
    gradient (its C kernels' 'bprop inputs' mode).  This project's ConvOp has no such
    mode: the rewrite declines every node, and AbstractConv2d_gradInputs runs itself
    (or use local_abstractconv_gradinputs_gemm for CorrMM_gradInputs)."""
    return None


_ABSTRACT = (AbstractConv2d, AbstractConv2d_gradWeights, AbstractConv2d_gradInputs,
             AbstractConv3d, AbstractConv3d_gradWeights, AbstractConv3d_gradInputs)


@local_optimizer(list(_ABSTRACT))
def local_abstractconv_check(node):
    """Theano's check that no abstract convolution was left unlowered (it raised).  The
    abstract Ops have implementations here, so the check is not run by the pipeline; applied
    by hand it raises as Theano's did."""
    if isinstance(node.op, _ABSTRACT):
        raise LocalMetaOptimizerSkipAssertionError(
            f"{type(node.op).__name__} Theano optimization failed: there is no "
            "implementation available supporting the requested options.")
    return None


# Theano's registrations (recorded in optdb, see the module docstring).
conv_groupopt = LocalGroupDB()
conv_groupopt.__name__ = "conv_opts"
optdb["specialize_device"].register("conv_opts", conv_groupopt, "fast_compile", "fast_run")
for _name, _lopt, _tags, _position in [
    ("local_abstractconv_gemm", local_abstractconv_gemm, ("conv_gemm",), 30),
    ("local_abstractconv_gradweight_gemm", local_abstractconv_gradweight_gemm, ("conv_gemm",),
     30),
    ("local_abstractconv_gradinputs_gemm", local_abstractconv_gradinputs_gemm, ("conv_gemm",),
     30),
    ("local_abstractconv3d_gemm", local_abstractconv3d_gemm, ("conv_gemm",), 30),
    ("local_abstractconv3d_gradweight_gemm", local_abstractconv3d_gradweight_gemm,
     ("conv_gemm",), 30),
    ("local_abstractconv3d_gradinputs_gemm", local_abstractconv3d_gradinputs_gemm,
     ("conv_gemm",), 30),
    ("local_conv2d_cpu", local_conv2d_cpu, (), 40),
    ("local_conv2d_gradweight_cpu", local_conv2d_gradweight_cpu, (), 40),
    ("local_conv2d_gradinputs_cpu", local_conv2d_gradinputs_cpu, (), 40),
]:
    conv_groupopt.register(_name, _lopt, *_tags, "fast_compile", "fast_run",
                           position=_position)
