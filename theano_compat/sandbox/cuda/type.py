"""theano.sandbox.cuda.type, for loading pickles written by Theano's old CUDA back-end.

Theano 0.x pickled a CudaNdarray as ``CudaNdarray_unpickler(numpy_array)`` (copyreg) and
its types as the ``__dict__`` of ``CudaNdarrayType``.  As with Theano's
``experimental.unpickle_gpu_on_cpu``, the arrays load here as NumPy arrays and the types
as `TensorType` (float32); without that flag loading raises ImportError, as Theano did
without CUDA.
"""

from __future__ import annotations

from .gpu_pickles import CudaNdarray_unpickler, CudaNdarrayType

__all__ = ["CudaNdarray_unpickler", "CudaNdarrayType"]
