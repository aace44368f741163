"""theano.sandbox.cuda.dnn: the old cuDNN wrappers.  `dnn_available()` is False (with the
reason in ``dnn_available.msg``, which Lasagne raises as its ImportError); the cuDNN Ops
are placeholders naming the portable call."""

from __future__ import annotations

from .gpu_only import INSTALL_HINT, gpu_only_class, gpu_only_function


def dnn_available():
    """Whether cuDNN can be used through theano.sandbox.cuda: never (see ``.msg``)."""
    return False


dnn_available.avail = False
dnn_available.msg = (
    "cuDNN through theano.sandbox.cuda is not available: theano_compat has no such back-end. "
    "Use theano.tensor.nnet.conv2d and theano.tensor.signal.pool.pool_2d, which run on the "
    f"CPU and, with device=cuda, on the GPU. {INSTALL_HINT}.")


def version():
    """cuDNN version: there is none (Theano returned -1 when cuDNN was absent)."""
    return -1


dnn_conv = gpu_only_function("theano.sandbox.cuda.dnn.dnn_conv", "theano.tensor.nnet.conv2d")
dnn_conv3d = gpu_only_function("theano.sandbox.cuda.dnn.dnn_conv3d",
                               "theano.tensor.nnet.conv3d")
dnn_pool = gpu_only_function("theano.sandbox.cuda.dnn.dnn_pool",
                             "theano.tensor.signal.pool.pool_2d")
dnn_batch_normalization_train = gpu_only_function(
    "theano.sandbox.cuda.dnn.dnn_batch_normalization_train",
    "theano.tensor.nnet.bn.batch_normalization_train")
dnn_batch_normalization_test = gpu_only_function(
    "theano.sandbox.cuda.dnn.dnn_batch_normalization_test",
    "theano.tensor.nnet.bn.batch_normalization_test")
GpuDnnConv = gpu_only_class("theano.sandbox.cuda.dnn.GpuDnnConv", "theano.tensor.nnet.conv2d")
GpuDnnConvDesc = gpu_only_class("theano.sandbox.cuda.dnn.GpuDnnConvDesc",
                                "theano.tensor.nnet.conv2d")
GpuDnnConvGradI = gpu_only_class(
    "theano.sandbox.cuda.dnn.GpuDnnConvGradI",
    "theano.tensor.nnet.abstract_conv.AbstractConv2d_gradInputs")
GpuDnnConvGradW = gpu_only_class(
    "theano.sandbox.cuda.dnn.GpuDnnConvGradW",
    "theano.tensor.nnet.abstract_conv.AbstractConv2d_gradWeights")
GpuDnnPool = gpu_only_class("theano.sandbox.cuda.dnn.GpuDnnPool",
                            "theano.tensor.signal.pool.pool_2d")
