"""theano.gpuarray: Theano 1.0's libgpuarray back-end, kept importable for legacy code.

Lasagne and the DeepLearningTutorials probe ``gpuarray.pygpu_activated`` and
``gpuarray.dnn.dnn_present()``.  There is no pygpu here: GPU code runs through CuPy when
device=cuda (DESIGN.md §9.4).  `pygpu_activated` tells whether that GPU backend is in
use, `use` selects it with Theano's rules, and cuDNN is never reported present.
"""

from __future__ import annotations

from .. import backend as _backend
from ..sandbox.cuda.gpu_only import gpu_only_class, gpu_only_function
from . import dnn  # noqa: F401 - Lasagne reads gpuarray.dnn.dnn_present() after importing the package

pygpu = None
pygpu_activated = _backend.cuda_active()


def use(device, force=False, default_to_move_computation_to_gpu=True,
        move_shared_to_gpu=True, preallocate=None):
    """Make `device` ('cuda', 'cuda1'...; 'cpu' does nothing) the device later functions
    and shared variables use.  Without a usable GPU the reason is logged and computation
    stays on the CPU; with ``force=True`` OSError is raised instead."""
    global pygpu_activated
    _backend.use(device, force=force,
                 default_to_move_computation_to_gpu=default_to_move_computation_to_gpu,
                 move_shared_float32_to_gpu=move_shared_to_gpu)
    pygpu_activated = _backend.cuda_active()


GpuArrayType = gpu_only_class("theano.gpuarray.GpuArrayType", "theano.tensor.TensorType")
GpuArrayVariable = gpu_only_class("theano.gpuarray.GpuArrayVariable",
                                  "theano.tensor TensorVariable")
GpuArraySharedVariable = gpu_only_class("theano.gpuarray.GpuArraySharedVariable",
                                        "theano.shared")
as_gpuarray_variable = gpu_only_function("theano.gpuarray.as_gpuarray_variable",
                                         "theano.tensor.as_tensor_variable")
