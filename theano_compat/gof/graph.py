"""Legacy path ``theano.gof.graph``: graph objects and walks (facade).

The walks (``inputs``, ``ancestors``, ``io_toposort``, ``stack_search``...) are those of
theano_compat/graph/basic.py, in Theano's order; ``as_string`` (FunctionGraph's text) is in
graph/fgraph.py and the merge-based comparison in graph/optimizers.py.
"""

import contextlib  # noqa: F401 - names of Theano's module
import warnings  # noqa: F401
from collections import deque  # noqa: F401
from copy import copy  # noqa: F401
from itertools import count  # noqa: F401

import theano_compat as theano  # noqa: F401

from ..config import config  # noqa: F401
from ..graph.basic import (  # noqa: F401
    Apply,
    Constant,
    Node,
    Variable,
    ancestors,
    clone,
    clone_get_equiv,
    equal_computations,
    general_toposort,
    graph_inputs,
    inputs,
    io_toposort,
    is_in_ancestors,
    list_of_nodes,
    ops,
    orphans,
    stack_search,
    variables,
    variables_and_orphans,
    view_roots,
)
from ..graph.fgraph import as_string
from ..graph.optimizers import is_same_graph_with_merge, nodes_constructed  # noqa: F401
from ..misc.ordered_set import OrderedSet  # noqa: F401
from . import utils  # noqa: F401
from .utils import integer_types, iteritems, string_types  # noqa: F401

# Theano's marker for "this node has no parameters" (Apply.params).
NoParams = object()

default_leaf_formatter = str


def default_node_formatter(op, argstrings):
    """``Op(arg, ...)``: how as_string writes a node (`op` is the Apply node)."""
    return "%s(%s)" % (op.op, ", ".join(argstrings))


def op_as_string(i, op, leaf_formatter=default_leaf_formatter,
                 node_formatter=default_node_formatter):
    """The Apply node `op` as text, its inputs written down to the variables `i`."""
    strs = as_string(i, op.inputs, leaf_formatter, node_formatter)
    return node_formatter(op, strs)


def is_same_graph(var1, var2, givens=None, debug=False):
    """Whether `var1` and `var2` compute the same thing once the substitutions `givens`
    ({variable: replacement}, made in both graphs) are applied (Theano's semantics; a
    merge of copies of the graphs decides).  `debug` is accepted and unused."""
    return is_same_graph_with_merge(var1, var2, givens)


def io_connection_pattern(inputs, outputs):  # noqa: F811 - Theano's signature
    """[[whether output j depends on input i, for j] for i]: the connection pattern of
    the graph between `inputs` and `outputs`, through each Op's ``connection_pattern``
    (an Op without one connects every input to every output)."""
    n = len(inputs)
    by_var = {}
    for k, inp in enumerate(inputs):
        by_var[inp] = [k == j for j in range(n)]
    for node in io_toposort(inputs, outputs):
        try:
            pattern = node.op.connection_pattern(node)
        except AttributeError:
            pattern = [[True] * len(node.outputs)] * len(node.inputs)
        for o_idx, out in enumerate(node.outputs):
            conn = [False] * n
            for i_idx, inp in enumerate(node.inputs):
                known = by_var.get(inp)
                if known is not None and pattern[i_idx][o_idx]:
                    conn = [a or b for a, b in zip(conn, known)]
            by_var[out] = conn
    result = [[] for _ in range(n)]
    for out in outputs:
        conn = by_var.get(out, [False] * n)
        for k in range(n):
            result[k].append(conn[k])
    return result
