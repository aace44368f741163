"""Elementwise fusion: convex groups of Elemwise nodes become one Elemwise(Composite) node
(DESIGN.md §8.1).

The pass walks the graph in reverse topological order.  Each Elemwise node not yet in a
group starts one (its *root*) and absorbs the Elemwise producers of the group's inputs
when

* the producer has the root's output broadcast pattern (so it has the same ndim, and
  fusing recomputes nothing on a broadcast axis);
* every client of the producer's output is already in the group — an intermediate that
  is also used outside (or is a graph output) is *not* fused: it stays a separate node
  and feeds the group as an input, so every Composite has one output (Theano 1.0.5 cut
  groups the same way).  Since no member except the root has a client outside, no path
  can leave the group and come back: groups are convex, and contracting each into a
  node cannot create a cycle;
* its scalar op can be fused (`can_fuse`; on CPU every op of the table can), and the
  group stays within `max_operands` (inputs + the output).

Producers are considered highest topological position first; a node's clients all come
after it, so by the time a producer is considered, every client that could join has been
decided.  DimShuffle, reductions and other Ops are boundaries: their outputs are inputs
of the group.  Constants stay inputs, as in Theano.  A Composite nested in a fused node
(fusion run twice) is inlined, not nested.
"""

from __future__ import annotations

import heapq

from ...errors import no_capture
from ...graph.basic import graph_inputs, io_toposort
from ...graph.rewrite import graph_pass, node_rule
from ...scalar.composite import Composite
from ...scalar import ops as S
from ..elemwise import Elemwise, is_nary, nary_fold


def cpu_can_fuse(scalar_op):
    """Whether the CPU code generator can run `scalar_op` inside a fused node."""
    if isinstance(scalar_op, Composite):
        return True
    return getattr(scalar_op, "nout", 1) == 1 and callable(getattr(scalar_op, "implementation",
                                                                   None))


def fuse_elemwise(fgraph, max_operands=32, can_fuse=cpu_can_fuse):
    """Replace every convex group of two or more fusable Elemwise nodes in `fgraph` by one
    ``Elemwise(Composite)`` node, after flattening add and mul chains into n-ary nodes
    (`flatten_add_mul`, Theano's first fusion step).  Returns the number of groups fused."""
    flatten_add_mul(fgraph, max_inputs=max_operands - 1)
    order = fgraph.toposort()
    position = {node: k for k, node in enumerate(order)}
    assigned = set()
    groups = []
    for root in reversed(order):
        if root in assigned or not _fusable(root, can_fuse):
            continue
        group = _grow(fgraph, root, position, assigned, max_operands, can_fuse)
        assigned.update(group)
        if len(group) > 1:
            groups.append((root, group))
    # Without capture, each fused node takes the user line of the node it replaces.
    with no_capture():
        for root, group in groups:
            new = _fused_output(root, group)
            fgraph.replace(root.outputs[0], new, reason="fusion")
    return len(groups)


fuse_elemwise = graph_pass("fusion", fuse_elemwise)


def flatten_add_mul(fgraph, max_inputs=31):
    """Theano's ``local_add_mul_fusion``: an add (mul) node whose input is an add (mul)
    read by nothing else takes that node's inputs in its place, so ``(a + b) + (c + d)``
    becomes the one node ``Elemwise{add}(a, b, c, d)`` Theano printed, computed left to
    right as Theano's loop did (Elemwise.nary).  Nodes are visited from the outputs up,
    so a whole chain folds into its last node at once.  `max_inputs` caps a node (the
    CPU fusion's operand cap: one generated body per node stays short).  Returns the
    number of nodes replaced."""
    done = 0
    for node in reversed(fgraph.toposort()):
        if node not in fgraph.apply_nodes or not _flattenable(node):
            continue
        inputs, changed = _flat_inputs(fgraph, node, max_inputs)
        if not changed:
            continue
        out = node.outputs[0]
        with no_capture():
            new = node.op.nary(*inputs)
        if new.type != out.type:
            continue
        new.owner.source = node.source
        fgraph.replace(out, new, reason="local_add_mul_fusion")
        done += 1
    return done


def _add_mul_at(fgraph, node):
    """Theano's ``local_add_mul_fusion`` on one node (the optimizer API's rule)."""
    if not _flattenable(node):
        return None
    inputs, changed = _flat_inputs(fgraph, node, float("inf"))
    if not changed:
        return None
    new = node.op.nary(*inputs)
    return [new] if new.type == node.outputs[0].type else None


local_add_mul_fusion = node_rule("local_add_mul_fusion", (S.add, S.mul), _add_mul_at,
                                 tags=("fusion",))


class _NoGraph:
    """A node outside any FunctionGraph: no clients known."""

    @staticmethod
    def clients(var):
        return []


def add_mul_fusion(node):
    """Theano's ``local_add_mul_fusion(node)`` called as a function: the replacement
    outputs, or False."""
    return _add_mul_at(getattr(node, "fgraph", None) or _NoGraph, node) or False


def _flattenable(node):
    op = node.op
    return (type(op) is Elemwise and op.scalar_op in (S.add, S.mul) and not op.inplace_pattern
            and len(node.outputs) == 1)


def _read_once(fgraph, var):
    # (a rule applied outside a FunctionGraph sees no clients: the node is the only one)
    clients = fgraph.clients(var)
    return len(clients) <= 1 and all(c != "output" for c, _ in clients)


def _flat_inputs(fgraph, node, max_inputs):
    """The inputs of `node` with each single-client add (mul) input replaced by its own
    inputs, recursively (Theano's local_add_mul_fusion applied until it stops)."""
    sop = node.op.scalar_op
    inputs = list(node.inputs)
    changed = False
    k = 0
    while k < len(inputs):
        var = inputs[k]
        inner = var.owner
        if inner is not None and _flattenable(inner) and inner.op.scalar_op is sop and \
                len(inputs) + len(inner.inputs) - 1 <= max_inputs and \
                _read_once(fgraph, var):
            inputs[k:k + 1] = inner.inputs
            changed = True
            continue  # the inner node's first input may be an add again
        k += 1
    return inputs, changed


def _fusable(node, can_fuse):
    op = node.op
    if type(op) is not Elemwise or len(node.outputs) != 1 or op.inplace_pattern:
        return False
    ndim = node.outputs[0].type.ndim
    return all(i.type.ndim == ndim for i in node.inputs) and can_fuse(op.scalar_op)


def _grow(fgraph, root, position, assigned, max_operands, can_fuse):
    """The members of the group rooted at `root` (a set of Apply nodes)."""
    pattern = root.outputs[0].type.broadcastable
    group = {root}
    inputs = set(root.inputs)
    heap = []
    pushed = set()

    def push_producers(node):
        for var in node.inputs:
            p = var.owner
            if p is not None and p not in pushed and p not in assigned:
                pushed.add(p)
                heapq.heappush(heap, (-position[p], id(p), p))

    push_producers(root)
    while heap:
        _, _, cand = heapq.heappop(heap)
        if not _fusable(cand, can_fuse):
            continue
        out = cand.outputs[0]
        if out.type.broadcastable != pattern:
            continue
        if any(client == "output" or client not in group for client, _ in fgraph.clients(out)):
            continue
        new_inputs = (inputs - {out}) | set(cand.inputs)
        if len(new_inputs) + 1 > max_operands:
            continue
        group.add(cand)
        inputs = new_inputs
        push_producers(cand)
    return group


def _fused_output(root, group):
    """The output of one Elemwise(Composite) node computing `root` from the group's inputs.

    Inputs are numbered in order of first appearance in the expression (left to right),
    as Theano numbered them; inner nodes are kept in the order of a depth-first walk.
    """
    refs = {}  # variable -> reference inside the composite
    outer = []  # the composite's inputs, in order
    nodes = []  # flattened inner nodes, (scalar_op, refs, dtype)
    pending = []  # DFS stack: (variable, expanded?)
    chained = []  # inner nodes continuing an n-ary add/mul (Composite's `chained`)
    # First pass: number the inputs by first appearance (left-to-right DFS).
    seen = set()
    stack = [root.outputs[0]]
    while stack:
        var = stack.pop()
        if var in seen:
            continue
        seen.add(var)
        if var.owner in group:
            stack.extend(reversed(var.owner.inputs))
        else:
            outer.append(var)
    for k, var in enumerate(outer):
        refs[var] = k
    nin = len(outer)
    # Second pass: emit the inner nodes in post-order (operands before their users).
    pending.append((root.outputs[0], False))
    while pending:
        var, expanded = pending.pop()
        if var in refs:
            continue
        node = var.owner
        if not expanded:
            pending.append((var, True))
            pending.extend((i, False) for i in reversed(node.inputs) if i not in refs)
            continue
        args = [refs[i] for i in node.inputs]
        sop = node.op.scalar_op
        if isinstance(sop, Composite):
            refs[var] = _inline(sop, args, nodes, nin, chained)
        elif is_nary(node):
            folded, links, refs[var] = nary_fold(sop, [i.type.dtype for i in node.inputs],
                                                 var.type.dtype, args, nin + len(nodes))
            chained.extend(len(nodes) + c for c in links)
            nodes.extend(folded)
        else:
            nodes.append((sop, tuple(args), var.type.dtype))
            refs[var] = nin + len(nodes) - 1
    composite = Composite([v.type.dtype for v in outer], nodes, refs[root.outputs[0]],
                          chained)
    op = Elemwise(composite, name=f"Elemwise{{{composite}}}")
    out = op(*outer)
    # Every user line the group came from, so a runtime error can name them all.
    sources = []
    taken = set()  # ids of the sources already listed (a set: groups can be 10^5 nodes)
    for node in group:
        for src in getattr(node.tag, "fused_sources", [node.source]):
            if src is not None and id(src) not in taken:
                taken.add(id(src))
                sources.append(src)
    out.owner.tag.fused_sources = sources
    return out


def _inline(inner, args, nodes, nin, chained):
    """Append the nodes of a nested Composite applied to `args`; its result's reference."""
    local = list(args)
    chained.extend(len(nodes) + j for j in inner.chained)
    for sop, refs, dtype in inner.nodes:
        nodes.append((sop, tuple(local[r] for r in refs), dtype))
        local.append(nin + len(nodes) - 1)
    return local[inner.output]


def _fuse_at(fgraph, node, max_operands=32, can_fuse=cpu_can_fuse):
    """The group of fusable Elemwise nodes rooted at `node` (its producers read only by
    the group) as one Elemwise(Composite) node: Theano's ``local_elemwise_fusion``
    applied to one node.  Declines a node with nothing to fuse."""
    if not _fusable(node, can_fuse):
        return None
    order = io_toposort(graph_inputs(node.outputs), node.outputs)
    position = {n: k for k, n in enumerate(order)}
    group = _grow(fgraph, node, position, set(), max_operands, can_fuse)
    if len(group) < 2:
        return None
    return [_fused_output(node, group)]


local_elemwise_fusion = node_rule("local_elemwise_fusion", (Elemwise,), _fuse_at,
                                  tags=("fusion", "elemwise_fusion"))
