"""theano.sandbox.gpuarray: where theano.gpuarray lived before Theano 0.9 (Lasagne falls
back to it).  Same names as theano.gpuarray."""

from __future__ import annotations

from ... import backend as _backend
from ... import gpuarray as _gpuarray
from . import dnn  # noqa: F401 - as theano.gpuarray.dnn
from ...gpuarray import (  # noqa: F401
    GpuArraySharedVariable,
    GpuArrayType,
    GpuArrayVariable,
    as_gpuarray_variable,
    pygpu,
)

pygpu_activated = _backend.cuda_active()


def use(device, force=False, default_to_move_computation_to_gpu=True,
        move_shared_to_gpu=True, preallocate=None):
    """theano.gpuarray.use under its pre-0.9 path."""
    global pygpu_activated
    _gpuarray.use(device, force, default_to_move_computation_to_gpu, move_shared_to_gpu,
                  preallocate)
    pygpu_activated = _backend.cuda_active()

