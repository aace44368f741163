"""Legacy path ``theano.tensor.raw_random`` (facade over theano_compat.tensor.random.raw),
with the names Theano's module held (its imports and its ``random_make_inplace`` rewrite)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys
from copy import copy  # noqa: F401 - names of Theano's module
from functools import reduce  # noqa: F401

from ..graph.optdb import optdb
from ..graph.optimizers import TopoOptimizer, local_optimizer
from ..graph.rewrite import node_rule
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
    """Theano's rewrite (fast_run, inplace): a RandomFunction becomes its in-place version,
    which advances the RandomState it is given instead of a copy, so that the state kept
    by the function stays the same object from call to call.

    Only where Theano's destroy handler allowed it and no other node reads the state: on
    an intermediate result, or on a graph input the caller lets the function overwrite
    (``In(mutable=True)``: an input the graph's Supervisor does not protect).  Shared
    random states (RandomStreams) stay protected (compile/ keeps every shared value
    intact when a call fails), so their draws work on a copy, as before."""
    fgraph = getattr(node, "fgraph", None)
    return (_make_inplace(fgraph, node) or False) if fgraph is not None else False


def _make_inplace(fgraph, node):
    op = node.op
    if not isinstance(op, RandomFunction) or op.inplace:
        return None
    r = node.inputs[0]
    if len(fgraph.clients(r)) != 1:
        return None
    if r.owner is None and not _overwritable_input(fgraph, r):
        return None
    new = RandomFunction(op.fn, op.outtype, inplace=True, ndim_added=op.ndim_added)
    return new.make_node(*node.inputs).outputs


# The same rewrite for the compile pipeline's in-place phase (compile/pipeline.py): what
# the package registers in optdb itself is a mirror the pipeline does not run.
random_make_inplace_rule = node_rule("random_make_inplace", (RandomFunction,), _make_inplace,
                                     tags=("fast_run", "inplace"))


def _overwritable_input(fgraph, var):
    """Whether graph input `var` may be overwritten: an input of `fgraph` that every
    Supervisor feature of the graph leaves unprotected (compile/ attaches one when some
    input is In(mutable=True); without one, no input may be)."""
    if not any(var is i for i in fgraph.inputs):
        return False
    supervisors = [f for f in getattr(fgraph, "_features", ()) if hasattr(f, "protected")]
    return bool(supervisors) and all(not any(var is p for p in f.protected)
                                     for f in supervisors)


optdb.register("random_make_inplace",
               TopoOptimizer(random_make_inplace,
                             failure_callback=TopoOptimizer.warn_inplace),
               99, "fast_run", "inplace")
