"""theano.sandbox.cuda: Theano's pre-1.0 CUDA back-end, kept importable for legacy code.

Legacy scripts probe it (``cuda.cuda_enabled``, ``cuda.dnn.dnn_available()``) and call
``use('gpu')``.  Here `use` selects the CuPy backend (DESIGN.md §9.4) with Theano's
rules: on failure it logs why and keeps the CPU, or raises OSError with ``force=True``.
`cuda_enabled` tells whether functions compile for a GPU.  cuDNN is never reported
available (convolution and pooling have portable Ops), and the GPU-only Ops and types
of the old back-end name their replacement when used.
"""

from __future__ import annotations

from ... import backend as _backend
# Legacy code reads cuda.dnn.dnn_available() after importing only the package.
from . import basic_ops, blas, dnn  # noqa: F401
from .basic_ops import as_cuda_ndarray_variable, gpu_from_host, host_from_gpu  # noqa: F401
from .gpu_only import gpu_only_class

cuda_available = _backend.cuda_active()
cuda_enabled = _backend.cuda_active()


def use(device, force=False, default_to_move_computation_to_gpu=True,
        move_shared_float32_to_gpu=True, enable_cuda=True, test_driver=True):
    """Make `device` ('gpu', 'gpu0', 'cuda1'...; 'cpu' does nothing) the device later
    functions and shared variables use, as Theano 0.x did.

    Without a usable GPU (CuPy missing, no driver or device) the reason is logged and
    computation stays on the CPU; with ``force=True`` OSError is raised instead.
    """
    global cuda_enabled
    _backend.use(device, force=force,
                 default_to_move_computation_to_gpu=default_to_move_computation_to_gpu,
                 move_shared_float32_to_gpu=move_shared_float32_to_gpu,
                 enable_cuda=enable_cuda)
    cuda_enabled = _backend.cuda_active()


CudaNdarray = gpu_only_class("theano.sandbox.cuda.CudaNdarray", "numpy.ndarray values")
CudaNdarrayType = gpu_only_class("theano.sandbox.cuda.CudaNdarrayType",
                                 "theano.tensor.TensorType")
