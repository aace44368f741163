"""Legacy path ``theano.sandbox.rng_mrg`` (facade): MRG_RandomStreams and its helpers from
theano_compat.tensor.random.mrg_streams, the MRG Ops from theano_compat.tensor.random.mrg_ops,
and the names Theano's module imported."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys
import warnings  # noqa: F401 - names of Theano's module

import numpy as np
from six import integer_types, string_types  # noqa: F401

from .. import gradient, tensor  # noqa: F401
from ..compile import function, optdb, shared  # noqa: F401
from ..config import config  # noqa: F401
from ..gof import Apply, Op, ParamsType, Variable, local_optimizer  # noqa: F401
from ..gradient import undefined_grad  # noqa: F401
from ..scalar import bool as bool_t, int32 as int_t  # noqa: F401
from ..tensor import (TensorType, as_tensor_variable, cast, get_vector_length,  # noqa: F401
                      opt, scal)
from ..tensor.random.mrg_ops import (  # noqa: F401
    BoxMuller,
    ChoiceFromUniform,
    DotModulo,
    MRGUniform,
    MultinomialFromUniform,
    fused_multiply_add,
)
from ..tensor.random.mrg_streams import *  # noqa: F401,F403
from ..tensor.random.mrg_streams import MASK2, MASK12, MASK13, MULT2, mrg_uniform_base  # noqa: F401
from . import multinomial  # noqa: F401

theano = sys.modules[__package__.rpartition(".")[0]]  # Theano's module imported the package
xrange = range

# The int32 constants Theano's C code of mrg_uniform was specialised on.
np_int32_vals = [np.int32(i) for i in (0, 7, 9, 15, 16, 22, 24)]


@local_optimizer((mrg_uniform_base,))
def mrg_random_make_inplace(node):
    """Theano's rewrite making mrg_uniform update its state in place.  Here mrg_uniform
    always returns a fresh state (buffer reuse is the linker's job: MRGUniform rejects
    ``inplace=True``), so the rewrite never applies: it returns False."""
    return False
