"""Legacy path ``theano.tensor.shared_randomstreams`` (facade over
theano_compat.tensor.random.shared_streams)."""

from .random.shared_streams import (  # noqa: F401
    RandomStateSharedVariable,
    RandomStreams,
    randomstate_constructor,
)
