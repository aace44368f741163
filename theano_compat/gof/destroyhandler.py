"""Legacy path ``theano.gof.destroyhandler``: checks of in-place Ops (facade)."""

import itertools  # noqa: F401 - names of Theano's module
from collections import OrderedDict, deque  # noqa: F401

import theano_compat as theano  # noqa: F401

from ..config import config  # noqa: F401
from ..graph.destroy import (DestroyHandler, ProtocolError, _contains_cycle,  # noqa: F401
                             contains_cycle, fast_inplace_check)
from ..graph.fgraph import InconsistencyError  # noqa: F401
from ..misc.ordered_set import OrderedSet  # noqa: F401
from . import graph, toolbox  # noqa: F401
from .utils import iteritems  # noqa: F401
