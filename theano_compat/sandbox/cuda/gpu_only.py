"""Placeholders for names of Theano's GPU back-ends (theano.sandbox.cuda, theano.gpuarray).

Legacy code imports these names at module level, often only to probe for a GPU, so they
must exist on every machine.  Calling one says why it cannot work and what to use
instead: there is no separate GPU Op set here (DESIGN.md §9.4: the same graph runs on
the CuPy backend when device=cuda).
"""

from __future__ import annotations

INSTALL_HINT = (
    "theano_compat runs GPU code through CuPy: install it with "
    "`pip install theano-compat[cuda12]` (or [cuda13] for CUDA 13) on a machine with an "
    "NVIDIA GPU and start Python with THEANO_FLAGS=device=cuda")


def gpu_only_function(path, alternative):
    """A function standing for the GPU-only `path`; calling it raises NotImplementedError."""
    name = path.rsplit(".", 1)[-1]

    def unavailable(*args, **kwargs):
        raise NotImplementedError(
            f"{path} is part of Theano's old GPU back-end, which theano_compat does not "
            f"provide; use {alternative} instead (the same graph runs on the GPU when "
            f"device=cuda). {INSTALL_HINT}.")

    unavailable.__name__ = unavailable.__qualname__ = name
    unavailable.__doc__ = f"Theano's GPU-only {path}: not available; use {alternative}."
    return unavailable


def gpu_only_class(path, alternative):
    """A class standing for the GPU-only class `path`: instantiating it raises
    NotImplementedError (isinstance checks against it are simply False)."""
    name = path.rsplit(".", 1)[-1]
    message = gpu_only_function(path, alternative)

    def __init__(self, *args, **kwargs):
        message()

    return type(name, (), {"__init__": __init__, "__doc__": message.__doc__,
                           "__module__": path.rsplit(".", 1)[0]})


# The cuDNN wrappers both legacy GPU paths had (theano.sandbox.cuda.dnn and
# theano.gpuarray.dnn), with the portable call that replaces each.
DNN_FUNCTIONS = {
    "dnn_conv": "theano.tensor.nnet.conv2d",
    "dnn_conv3d": "theano.tensor.nnet.conv3d",
    "dnn_pool": "theano.tensor.signal.pool.pool_2d",
    "dnn_batch_normalization_train": "theano.tensor.nnet.bn.batch_normalization_train",
    "dnn_batch_normalization_test": "theano.tensor.nnet.bn.batch_normalization_test",
}
DNN_CLASSES = {
    "GpuDnnConv": "theano.tensor.nnet.conv2d",
    "GpuDnnConvDesc": "theano.tensor.nnet.conv2d",
    "GpuDnnPool": "theano.tensor.signal.pool.pool_2d",
}


def placeholders(module, functions, classes):
    """{name: placeholder} for the GPU-only `functions` and `classes` (each a dict
    {name: alternative}) of the legacy module `module` ("theano.gpuarray.dnn")."""
    made = {name: gpu_only_function(f"{module}.{name}", alt) for name, alt in functions.items()}
    made.update({name: gpu_only_class(f"{module}.{name}", alt) for name, alt in classes.items()})
    return made
