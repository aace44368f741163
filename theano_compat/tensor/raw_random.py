"""Legacy path ``theano.tensor.raw_random`` (facade over theano_compat.tensor.random.raw)."""

from .random.raw import (  # noqa: F401
    RandomFunction,
    RandomStateType,
    RandomStreamsBase,
    _generate_broadcasting_indices,
    _infer_ndim_bcast,
    binomial,
    choice,
    choice_helper,
    multinomial,
    multinomial_helper,
    normal,
    permutation,
    permutation_helper,
    poisson,
    random_integers,
    random_integers_helper,
    random_state_type,
    uniform,
)
