"""theano.tensor.nnet.opt: Theano's lowering rewrites of the abstract convolutions and the
in-place block-sparse rewrites, applied as optimizer objects: the lowered graphs compute
the abstract Ops' values."""

import numpy as np
import pytest
import theano.tensor as T
from theano.tensor.nnet import abstract_conv, blocksparse, corr, corr3d, opt

import theano
from theano_compat.gof.opt import LocalMetaOptimizerSkipAssertionError, in2out
from theano_compat.graph.fgraph import FunctionGraph


def _lower(lopt, inputs, outputs):
    fg = FunctionGraph(inputs, outputs)
    in2out(lopt).optimize(fg)
    return fg


@pytest.mark.parametrize("flip", [True, False])
@pytest.mark.parametrize("border_mode", ["valid", "full", (1, 2)])
def test_conv2d_gemm_lowering(flip, border_mode):
    rng = np.random.RandomState(0)
    x, w = T.tensor4(), T.tensor4()
    xv, wv = rng.randn(2, 3, 6, 5), rng.randn(4, 3, 3, 2)
    out = abstract_conv.conv2d(x, w, border_mode=border_mode, filter_flip=flip,
                               subsample=(1, 2))
    gw, gx = T.grad((out ** 2).sum(), [w, x])
    want = theano.function([x, w], [out, gw, gx])(xv, wv)
    fg = FunctionGraph([x, w], [out, gw, gx])
    for lopt in (opt.local_abstractconv_gemm, opt.local_abstractconv_gradweight_gemm,
                 opt.local_abstractconv_gradinputs_gemm):
        in2out(lopt).optimize(fg)
    kinds = {type(n.op) for n in fg.toposort()}
    assert {corr.CorrMM, corr.CorrMM_gradWeights, corr.CorrMM_gradInputs} <= kinds
    assert not kinds & {abstract_conv.AbstractConv2d, abstract_conv.AbstractConv2d_gradWeights,
                        abstract_conv.AbstractConv2d_gradInputs}
    got = theano.function(fg.inputs, fg.outputs)(xv, wv)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_conv3d_gemm_lowering():
    rng = np.random.RandomState(1)
    x, w = T.tensor5(), T.tensor5()
    xv, wv = rng.randn(1, 2, 4, 5, 3), rng.randn(3, 2, 2, 3, 2)
    out = abstract_conv.conv3d(x, w, border_mode="half")
    gw, gx = T.grad((out ** 2).sum(), [w, x])
    want = theano.function([x, w], [out, gw, gx])(xv, wv)
    fg = FunctionGraph([x, w], [out, gw, gx])
    for lopt in (opt.local_abstractconv3d_gemm, opt.local_abstractconv3d_gradweight_gemm,
                 opt.local_abstractconv3d_gradinputs_gemm):
        in2out(lopt).optimize(fg)
    kinds = {type(n.op) for n in fg.toposort()}
    assert {corr3d.Corr3dMM, corr3d.Corr3dMM_gradWeights, corr3d.Corr3dMM_gradInputs} <= kinds
    got = theano.function(fg.inputs, fg.outputs)(xv, wv)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


def test_conv2d_cpu_lowering_and_the_declining_gradient_rewrites():
    rng = np.random.RandomState(2)
    x, w = T.tensor4(), T.tensor4()
    xv, wv = rng.randn(2, 3, 6, 5), rng.randn(4, 3, 3, 2)
    out = abstract_conv.conv2d(x, w, border_mode="full")
    fg = _lower(opt.local_conv2d_cpu, [x, w], [out])
    assert type(fg.outputs[0].owner.op).__name__ == "ConvOp"
    np.testing.assert_allclose(theano.function(fg.inputs, fg.outputs[0])(xv, wv),
                               theano.function([x, w], out)(xv, wv), rtol=1e-10)
    # unsupported options: declined
    dil = abstract_conv.conv2d(x, w, filter_dilation=(2, 1))
    assert _lower(opt.local_conv2d_cpu, [x, w], [dil]).outputs[0].owner.op == dil.owner.op
    gw = T.grad((out ** 2).sum(), w)
    fg = _lower(opt.local_conv2d_gradweight_cpu, [x, w], [gw])
    assert isinstance(fg.outputs[0].owner.op, abstract_conv.AbstractConv2d_gradWeights) or any(
        isinstance(n.op, abstract_conv.AbstractConv2d_gradWeights) for n in fg.toposort())


def test_abstractconv_check_raises():
    x, w = T.tensor4(), T.tensor4()
    with pytest.raises(LocalMetaOptimizerSkipAssertionError, match="AbstractConv2d"):
        _lower(opt.local_abstractconv_check, [x, w], [abstract_conv.conv2d(x, w)])


def test_inplace_sparse_block_rewrites():
    o, h = T.tensor3(), T.tensor3()
    W = T.tensor4()
    i_idx, o_idx = T.lmatrix(), T.lmatrix()
    out = blocksparse.sparse_block_gemv(o, W, h, i_idx, o_idx)
    fg = _lower(opt.local_inplace_sparse_block_gemv, [o, W, h, i_idx, o_idx], [out])
    assert fg.outputs[0].owner.op.inplace
    x, y = T.tensor4(), T.tensor3()
    outer = blocksparse.sparse_block_outer(x, h, y, i_idx, o_idx)
    fg = _lower(opt.local_inplace_sparse_block_outer, [x, h, y, i_idx, o_idx], [outer])
    assert fg.outputs[0].owner.op.inplace


def test_registered_as_theano_did():
    assert opt.conv_groupopt.__name__ == "conv_opts"
    names = set(opt.conv_groupopt.__db__)
    assert {"local_abstractconv_gemm", "local_conv2d_cpu", "conv_gemm"} <= names
