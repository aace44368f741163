"""Legacy path ``theano.gof.graph`` (facade)."""

from ..graph.basic import (  # noqa: F401
    Apply,
    Constant,
    Node,
    Variable,
    ancestors,
    clone,
    clone_get_equiv,
    equal_computations,
    graph_inputs,
    inputs,
    io_toposort,
    is_same_graph,
    orphans,
    variables,
)
