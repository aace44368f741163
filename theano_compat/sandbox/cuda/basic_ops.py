"""theano.sandbox.cuda.basic_ops: the names legacy code imports from it.

`gpu_contiguous` makes its input C-contiguous (the CPU meaning of the call, as Lasagne
and dcgan use it before convolutions); the transfer and allocation Ops of the old
back-end are placeholders that name the replacement.
"""

from __future__ import annotations

from ...tensor.extra_ops import cpu_contiguous
from .gpu_only import gpu_only_class, gpu_only_function

# The package's own transfer names (theano.sandbox.cuda.gpu_from_host...), defined here
# so the package imports its submodules at the top.
as_cuda_ndarray_variable = gpu_only_function(
    "theano.sandbox.cuda.as_cuda_ndarray_variable", "theano.tensor.as_tensor_variable")
gpu_from_host = gpu_only_function("theano.sandbox.cuda.gpu_from_host",
                                  "the tensor itself (no transfer Ops are needed)")
host_from_gpu = gpu_only_function("theano.sandbox.cuda.host_from_gpu",
                                  "the tensor itself (no transfer Ops are needed)")


def gpu_contiguous(x):
    """`x` as a C-contiguous tensor (``theano.tensor.extra_ops.cpu_contiguous``)."""
    return cpu_contiguous(x)


gpu_alloc_empty = gpu_only_function("theano.sandbox.cuda.basic_ops.gpu_alloc_empty",
                                    "theano.tensor.zeros or theano.tensor.alloc")
HostFromGpu = gpu_only_class("theano.sandbox.cuda.basic_ops.HostFromGpu",
                             "the tensor itself (no transfer Ops are needed)")
GpuFromHost = gpu_only_class("theano.sandbox.cuda.basic_ops.GpuFromHost",
                             "the tensor itself (no transfer Ops are needed)")
GpuContiguous = gpu_only_class("theano.sandbox.cuda.basic_ops.GpuContiguous",
                               "theano.tensor.extra_ops.cpu_contiguous")
