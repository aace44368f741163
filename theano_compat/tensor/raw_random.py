"""Legacy path ``theano.tensor.raw_random`` (facade over theano_compat.tensor.random.raw),
with the names Theano's module held (its imports and its ``random_make_inplace`` rewrite)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys
from copy import copy  # noqa: F401 - names of Theano's module
from functools import reduce  # noqa: F401

from ..graph.optdb import optdb  # noqa: F401
from ..graph.optimizers import local_optimizer
from ..utils import lazy_names
from . import opt  # noqa: F401
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

theano = sys.modules[__name__.split(".")[0]]  # the package (Theano's module imported it)
tensor = sys.modules[__package__]  # theano.tensor (Theano's module imported it)
string_types = (str,)
xrange = range

# theano.gof (a layer above this one), found where ``import theano`` loaded it.
__getattr__, __dir__ = lazy_names(__name__, {"gof": ("theano_compat.gof", None)})


@local_optimizer((RandomFunction,))
def random_make_inplace(node):
    """Theano's rewrite turning a RandomFunction into its in-place version (one that
    advances the RandomState it is given instead of a copy).  This project makes no
    in-place random Ops: RandomFunction always returns a new state and the linker
    decides where results are written, so this rewrite never applies (it returns False)
    and is not registered in the optdb."""
    return False
