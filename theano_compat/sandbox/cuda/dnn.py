"""theano.sandbox.cuda.dnn: the old cuDNN wrappers.  `dnn_available()` is False (with the
reason in ``dnn_available.msg``, which Lasagne raises as its ImportError); the cuDNN Ops
are placeholders naming the portable call."""

from __future__ import annotations

from .gpu_only import DNN_CLASSES, DNN_FUNCTIONS, INSTALL_HINT, placeholders


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


# dnn_conv, dnn_conv3d, dnn_pool, dnn_batch_normalization_train/test, GpuDnnConv,
# GpuDnnConvDesc, GpuDnnPool, GpuDnnConvGradI/W: placeholders naming the portable call.
_PLACEHOLDERS = placeholders("theano.sandbox.cuda.dnn", DNN_FUNCTIONS, dict(
    DNN_CLASSES,
    GpuDnnConvGradI="theano.tensor.nnet.abstract_conv.AbstractConv2d_gradInputs",
    GpuDnnConvGradW="theano.tensor.nnet.abstract_conv.AbstractConv2d_gradWeights"))


def __getattr__(name):
    # The placeholders resolve on attribute access (PEP 562): `from ... import dnn_conv`
    # works as for a written name.
    try:
        return _PLACEHOLDERS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    return sorted({*globals(), *_PLACEHOLDERS})
