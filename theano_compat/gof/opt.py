"""Legacy path ``theano.gof.opt``: Theano's optimizer classes (facade).

They run over this project's rewrite driver; see theano_compat/graph/optimizers.py.
"""

import contextlib  # noqa: F401 - names of Theano's module
import copy  # noqa: F401
import inspect  # noqa: F401
import logging  # noqa: F401
import pdb  # noqa: F401
import sys  # noqa: F401
import time  # noqa: F401
import traceback  # noqa: F401
import warnings  # noqa: F401
from collections import OrderedDict, defaultdict, deque  # noqa: F401
from functools import reduce  # noqa: F401

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401 - Theano's module held `theano`

from ..compat import izip  # noqa: F401
from ..config import config  # noqa: F401
from ..graph.fgraph import InconsistencyError  # noqa: F401
from ..graph.optimizers import (  # noqa: F401
    ChangeTracker,
    CheckStackTraceOptimization,
    CheckStrackTraceFeature,
    EquilibriumOptimizer,
    FromFunctionLocalOptimizer,
    FromFunctionOptimizer,
    GraphToGPULocalOptGroup,
    LocalMetaOptimizer,
    LocalMetaOptimizerSkipAssertionError,
    LocalOptGroup,
    LocalOptimizer,
    MergeFeature,
    MergeOptimizer,
    NavigatorOptimizer,
    OpKeyOptimizer,
    OpRemove,
    OpSub,
    Optimizer,
    PatternSub,
    RuleOptimizer,
    SeqOptimizer,
    TopoOptimizer,
    Updater,
    _check_chain,
    _list_of_nodes,
    _optimizer_idx,
    check_chain,
    check_stack_trace,
    copy_stack_trace,
    in2out,
    inherit_stack_trace,
    inplace_optimizer,
    is_same_graph_with_merge,
    local_optimizer,
    merge_dict,
    optimizer,
    out2in,
    pre_constant_merge,
    pre_greedy_local_optimizer,
)
from ..misc.ordered_set import OrderedSet  # noqa: F401
from . import destroyhandler as dh  # noqa: F401
from . import graph, op, toolbox, unify, utils  # noqa: F401
from .utils import integer_types, iteritems, string_types  # noqa: F401


def itervalues(d, **kw):
    """six.itervalues: the values of a dict, as an iterator."""
    return iter(d.values(**kw))
