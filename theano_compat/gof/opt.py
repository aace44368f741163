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


class _metadict:
    """A dict that also takes unhashable keys (kept in an association list), as Theano's
    MergeFeature used; here so that Theano 1.0.5's pickles of compiled functions load."""

    __module__ = "theano.gof.opt"  # Theano's path: reprs and pickles

    def __init__(self):
        self.d = {}
        self.l = []  # noqa: E741 - Theano's attribute name, stored in its pickles

    def __getitem__(self, item):
        return self.get(item, None)

    def __setitem__(self, item, value):
        try:
            self.d[item] = value
        except TypeError:
            self.l = [(k, v) for k, v in self.l if k != item] + [(item, value)]

    def __delitem__(self, item):
        try:
            del self.d[item]
        except TypeError:
            self.l = [(k, v) for k, v in self.l if k != item]

    def discard(self, item):
        try:
            self.d.pop(item, None)
        except TypeError:
            self.l = [(k, v) for k, v in self.l if k != item]

    def get(self, item, default):
        try:
            return self.d[item]
        except (KeyError, TypeError):
            for k, v in self.l:
                if k == item:
                    return v
            return default

    def clear(self):
        self.d = {}
        self.l = []

    def __str__(self):
        return f"({self.d}, {self.l})"
