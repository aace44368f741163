"""theano.sandbox.cuda.var: `CudaNdarraySharedVariable` of pickles written by Theano's old
CUDA back-end loads as a `TensorSharedVariable` (see theano.sandbox.cuda.type)."""

from __future__ import annotations

from .gpu_pickles import CudaNdarraySharedVariable

__all__ = ["CudaNdarraySharedVariable"]
