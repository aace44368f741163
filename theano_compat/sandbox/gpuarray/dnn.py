"""theano.sandbox.gpuarray.dnn: the pre-0.9 path of theano.gpuarray.dnn."""

from __future__ import annotations

from ...gpuarray.dnn import (  # noqa: F401
    GpuDnnConv,
    GpuDnnConvDesc,
    GpuDnnPool,
    dnn_available,
    dnn_batch_normalization_test,
    dnn_batch_normalization_train,
    dnn_conv,
    dnn_conv3d,
    dnn_pool,
    dnn_present,
    version,
)
