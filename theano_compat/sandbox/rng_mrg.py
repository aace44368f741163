"""theano.sandbox.rng_mrg: MRG_RandomStreams.

The bit-exact MRG31k3p generator of Theano 1.0.5 (spec/MRG.md) is not in this build yet.
The class exists so that legacy code can import it and test ``isinstance`` against it;
creating one raises NotImplementedError naming the alternative.
"""

from __future__ import annotations


class MRG_RandomStreams:  # noqa: N801 - Theano's name
    """Theano's MRG31k3p random streams (not yet available in this build)."""

    def __init__(self, seed=12345, use_cuda=None):
        raise NotImplementedError(
            "MRG_RandomStreams (Theano's bit-exact MRG31k3p streams) is not implemented in "
            "this build yet; theano.tensor.shared_randomstreams.RandomStreams is available "
            "and reproduces Theano 1.0.5's numbers for the same seed"
        )
