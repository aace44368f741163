"""theano.sandbox.cuda.blas: GPU convolution Ops of the old back-end (placeholders)."""

from __future__ import annotations

from .gpu_only import gpu_only_class

GpuCorrMM = gpu_only_class("theano.sandbox.cuda.blas.GpuCorrMM",
                           "theano.tensor.nnet.conv2d(..., filter_flip=False)")
GpuCorr3dMM = gpu_only_class("theano.sandbox.cuda.blas.GpuCorr3dMM",
                             "theano.tensor.nnet.conv3d(..., filter_flip=False)")
GpuCorrMM_gradWeights = gpu_only_class(
    "theano.sandbox.cuda.blas.GpuCorrMM_gradWeights",
    "theano.tensor.nnet.abstract_conv.AbstractConv2d_gradWeights")
GpuCorrMM_gradInputs = gpu_only_class(
    "theano.sandbox.cuda.blas.GpuCorrMM_gradInputs",
    "theano.tensor.nnet.abstract_conv.AbstractConv2d_gradInputs")
