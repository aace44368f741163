"""Legacy path ``theano.gof.optdb``: optimizer databases (facade).

The registry users extend, ``theano.compile.optdb``, is ``optdb`` of
theano_compat/graph/optdb.py; the compile pipeline reads it.
"""

import copy  # noqa: F401 - names of Theano's module
import sys  # noqa: F401
from io import StringIO  # noqa: F401

from ..compat import DefaultOrderedDict  # noqa: F401
from ..config import config  # noqa: F401
from ..graph.optdb import (DB, EquilibriumDB, LocalGroupDB, ProxyDB, Query,  # noqa: F401
                           SequenceDB, TopoDB)
from ..misc.ordered_set import OrderedSet  # noqa: F401
from . import opt  # noqa: F401
from .utils import integer_types  # noqa: F401
