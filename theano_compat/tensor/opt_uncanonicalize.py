"""theano.tensor.opt_uncanonicalize: the uncanonicalize phase's registration (facade).

``register_uncanonicalize`` puts a local optimizer into ``optdb['uncanonicalize']``, run
after specialize in FAST_RUN.  Theano's own rules of this module (``local_max_to_min``,
``local_alloc_dimshuffle``...) undo canonical forms for speed; this project has no such
rules (its pipeline, compile/pipeline.py, has no uncanonicalize step of its own), so they
are not defined here.
"""

from __future__ import annotations

import logging  # noqa: F401 - names of Theano's module
import sys

from .. import scalar as scal  # noqa: F401
from ..graph.optimizers import copy_stack_trace  # noqa: F401
from . import basic as T  # noqa: F401
from .elemwise import CAReduce, DimShuffle  # noqa: F401
from .opt import register_uncanonicalize  # noqa: F401
from .subtensor import Subtensor  # noqa: F401

_logger = logging.getLogger("theano.tensor.opt_uncanonicalize")


def __getattr__(name):
    if name == "gof" and "theano_compat.gof" in sys.modules:
        return sys.modules["theano_compat.gof"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"gof"})
