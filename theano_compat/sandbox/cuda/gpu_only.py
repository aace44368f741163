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
