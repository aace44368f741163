"""Legacy path ``theano.tensor.raw_random`` (facade)."""

from .random import (  # noqa: F401
    RandomFunction,
    RandomStateType,
    binomial,
    choice,
    multinomial,
    normal,
    permutation,
    random_integers,
    random_state_type,
    uniform,
)
from .shared_randomstreams import RandomStreams as RandomStreamsBase  # noqa: F401
