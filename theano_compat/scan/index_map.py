"""Stacking a graph over an integer index: the loop that jacobian and hessian run.

Theano 1.0.5 built ``jacobian`` as ``scan(lambda i: grad(expression[i], wrt),
sequences=arange(n))`` and counted on its scan rewrites to move what does not depend on
``i`` (the forward pass of the expression, most of the backward pass) out of the loop.
`map_over_index` builds that Scan node with the work already moved: the sub-graphs that
do not depend on the index are computed once, before the loop, and enter it as
non-sequences, so a step runs only the nodes that read the index.

The gradient layer, below this one, reaches `map_over_index` through
``hooks.map_over_index``, which this module fills when imported.
"""

from __future__ import annotations

from .. import hooks
from ..graph.basic import Constant, clone_replace, graph_inputs, io_toposort
from ..tensor import basic as TB
from .op import Scan


def loop_invariants(index, outputs):
    """The variables a loop over `index` reads from outside: the largest sub-graphs of
    `outputs` that do not depend on `index`, in a deterministic order.

    Constants are not among them (they stay in the inner graph, where rewrites can fold
    them); an output that does not depend on `index` at all is one of them.
    """
    nodes = io_toposort(graph_inputs(outputs), outputs)
    varying = {id(index)}
    for node in nodes:
        if any(id(i) in varying for i in node.inputs):
            varying.update(id(o) for o in node.outputs)
    invariants, seen = [], set()

    def take(v):
        if id(v) not in varying and id(v) not in seen and not isinstance(v, Constant):
            seen.add(id(v))
            invariants.append(v)

    for node in nodes:
        if id(node.outputs[0]) in varying:
            for i in node.inputs:
                take(i)
    for o in outputs:
        take(o)
    return invariants


def map_over_index(n, index, outputs):
    """Each graph of `outputs` evaluated for ``index = 0 .. n-1``, stacked on a new first
    axis (a list of outer variables, one per output).

    `index` is an int64 scalar variable without owner that `outputs` are written over; `n`
    is the number of rows (an integer scalar, usually a shape).  The loop is one Scan node
    over ``arange(n)``, as Theano's jacobian built, whose non-sequences are the
    `loop_invariants` of `outputs`.
    """
    outputs = list(outputs)
    invariants = loop_invariants(index, outputs)
    inner_index = index.type()
    inner_index.name = index.name
    inner_invariants = [v.type() for v in invariants]
    for inner, v in zip(inner_invariants, invariants):
        inner.name = None if v.name is None else v.name + "_copy"
    replace = dict(zip([index] + invariants, [inner_index] + inner_invariants))
    inner_outputs = clone_replace(outputs, replace)
    op = Scan([inner_index] + inner_invariants, inner_outputs, n_seqs=1, taps=(),
              n_nit=len(outputs), n_carry=0)
    n = TB.as_tensor_variable(n)
    return op(n, TB.arange(n, dtype=index.type.dtype), *invariants, return_list=True)


hooks.map_over_index.fill(map_over_index)
