"""Legacy path ``theano.sandbox.rng_mrg`` (facade): MRG_RandomStreams and its helpers from
theano_compat.tensor.random.mrg_streams, the MRG Ops from theano_compat.tensor.random.mrg_ops."""

from ..tensor.random.mrg_ops import (  # noqa: F401
    BoxMuller,
    ChoiceFromUniform,
    DotModulo,
    MRGUniform,
    MultinomialFromUniform,
    fused_multiply_add,
)
from ..tensor.random.mrg_streams import *  # noqa: F401,F403
