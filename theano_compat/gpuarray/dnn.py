"""theano.gpuarray.dnn: cuDNN through libgpuarray.  `dnn_present()` and `dnn_available()`
are False (the reason is in their ``.msg``); the cuDNN Ops name the portable call."""

from __future__ import annotations

from ..sandbox.cuda.gpu_only import DNN_CLASSES, DNN_FUNCTIONS, INSTALL_HINT, placeholders

_MSG = ("cuDNN through theano.gpuarray is not available: theano_compat has no libgpuarray "
        "back-end. Use theano.tensor.nnet.conv2d, theano.tensor.signal.pool.pool_2d and "
        "theano.tensor.nnet.bn, which run on the CPU and, with device=cuda, on the GPU. "
        f"{INSTALL_HINT}.")


def dnn_present():
    """Whether cuDNN is present for theano.gpuarray: never (see ``.msg``)."""
    return False


def dnn_available(context_name=None):
    """Whether cuDNN can be used on `context_name`: never (see ``.msg``)."""
    return False


for _probe in (dnn_present, dnn_available):
    _probe.avail = False
    _probe.msg = _MSG


def version(raises=True):
    """cuDNN version: there is none (Theano returned -1 when cuDNN was absent)."""
    return -1


# dnn_conv, dnn_conv3d, dnn_pool, dnn_batch_normalization_train/test, GpuDnnConv,
# GpuDnnConvDesc, GpuDnnPool: placeholders naming the portable call.
_PLACEHOLDERS = placeholders("theano.gpuarray.dnn", DNN_FUNCTIONS, DNN_CLASSES)


def __getattr__(name):
    # The placeholders resolve on attribute access (PEP 562): `from ... import dnn_conv`
    # works as for a written name.
    try:
        return _PLACEHOLDERS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    return sorted({*globals(), *_PLACEHOLDERS})
