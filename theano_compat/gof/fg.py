"""Legacy path ``theano.gof.fg``: FunctionGraph and its exceptions (facade)."""

import time  # noqa: F401 - names of Theano's module
from collections import OrderedDict  # noqa: F401
from io import StringIO  # noqa: F401

import theano_compat as theano  # noqa: F401

from ..config import config  # noqa: F401
from ..errors import MissingInputError  # noqa: F401
from ..graph.fgraph import CachedConstantError, FunctionGraph, InconsistencyError  # noqa: F401
from ..graph.null import NullType  # noqa: F401
from ..misc.ordered_set import OrderedSet  # noqa: F401
from . import graph, toolbox, utils  # noqa: F401
from .opt import itervalues  # noqa: F401
from .utils import get_variable_trace_string, iteritems  # noqa: F401
