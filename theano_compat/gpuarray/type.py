"""theano.gpuarray.type, for loading pickles written on a GPU by Theano's gpuarray back-end.

Theano 1.0.5 pickled a ``pygpu`` GpuArray as ``GpuArray_unpickler(numpy_array,
context_name)`` (copyreg) and its shared variables and types as the ``__dict__`` of
``GpuArraySharedVariable`` / ``GpuArrayType`` (dtype, broadcastable, context_name...).
Here, as with Theano's ``experimental.unpickle_gpu_on_cpu``, the arrays load as NumPy
arrays, and the shared variables and types become `TensorSharedVariable` and
`TensorType` (the placement follows this project's backend, as for any shared variable).
Without that flag, loading a GpuArray raises ImportError, as Theano did without pygpu.
"""

from __future__ import annotations

from ..sandbox.cuda.gpu_pickles import (GpuArray_unpickler, GpuArraySharedVariable,
                                        GpuArrayType)

__all__ = ["GpuArray_unpickler", "GpuArraySharedVariable", "GpuArrayType"]
