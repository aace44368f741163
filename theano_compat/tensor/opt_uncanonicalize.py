"""theano.tensor.opt_uncanonicalize: the uncanonicalize phase's registration (facade).

``register_uncanonicalize`` puts a local optimizer into ``optdb['uncanonicalize']``, run
after specialize in FAST_RUN.  Theano's rules of this module undo canonical forms for
speed (``local_max_to_min``: -max(-x) -> min(x); ``local_max_and_argmax``: the half of
MaxAndArgmax nobody reads dropped; DimShuffles folded into the alloc, reshape or
subtensor below them); they are rules of tensor/rewrites/legacy.py, registered in that
slot.
"""

from __future__ import annotations

import logging  # noqa: F401 - names of Theano's module
import sys

from .. import scalar as scal  # noqa: F401
from ..graph.optimizers import copy_stack_trace  # noqa: F401
from . import basic as T  # noqa: F401
from .elemwise import CAReduce, DimShuffle  # noqa: F401
from .opt import _RULES, RuleOptimizer, register_uncanonicalize
from .subtensor import Subtensor  # noqa: F401

_logger = logging.getLogger("theano.tensor.opt_uncanonicalize")

local_max_and_argmax = register_uncanonicalize(RuleOptimizer(_RULES["local_max_and_argmax"]))
local_max_to_min = register_uncanonicalize(RuleOptimizer(_RULES["local_max_to_min"]))
local_alloc_dimshuffle = register_uncanonicalize(
    RuleOptimizer(_RULES["local_alloc_dimshuffle"]))
local_reshape_dimshuffle = register_uncanonicalize(
    RuleOptimizer(_RULES["local_reshape_dimshuffle"]))
local_dimshuffle_alloc = register_uncanonicalize(
    RuleOptimizer(_RULES["local_dimshuffle_alloc"]))
local_dimshuffle_subtensor = register_uncanonicalize(
    RuleOptimizer(_RULES["local_dimshuffle_subtensor"]))


def __getattr__(name):
    if name == "gof" and "theano_compat.gof" in sys.modules:
        return sys.modules["theano_compat.gof"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"gof"})
