"""theano.gof.sched: ordering Apply nodes by comparators (schedules for linkers).

``sort_schedule_fn(*cmps)`` makes a ``schedule(fgraph)`` for a linker (``PerformLinker(
schedule=...)``, ``VM_Linker(schedule=...)``): the graph's nodes in an order that keeps
every node after the nodes it depends on and otherwise follows the comparators, the
earlier ones first (`posort`).  A comparator is Python 2's ``cmp(a, b)``: negative when
`a` should come first.
"""

from __future__ import annotations

from collections import defaultdict

from ..compat import cmp
from ..graph.basic import list_of_nodes
from .utils import iteritems  # noqa: F401 - a name of Theano's module

__all__ = ["key_to_cmp", "make_dependence_cmp", "make_depends", "memodict", "posort",
           "reverse_dict", "sort_apply_nodes", "sort_schedule_fn"]


def memodict(f):
    """``f`` (a function of one hashable argument) memoised in a dict: returns the
    dict's ``__getitem__``."""

    class _Memo(defaultdict):
        def __missing__(self, key):
            value = self[key] = f(key)
            return value

    return _Memo().__getitem__


def make_depends():
    """``depends((a, b))``: whether Apply node `a` depends on node `b` (reads one of its
    outputs, directly or through other nodes); memoised."""

    @memodict
    def depends(pair):
        a, b = pair
        outs = b.outputs
        if any(out in a.inputs for out in outs):
            return True
        return any(depends((inp.owner, b)) for inp in a.inputs if inp.owner is not None)

    return depends


def make_dependence_cmp():
    """A comparator of Apply nodes by dependence: positive when `a` depends on `b`,
    negative when `b` depends on `a`, 0 when neither does."""
    depends = make_depends()

    def dependence(a, b):
        if depends((a, b)):
            return 1
        if depends((b, a)):
            return -1
        return 0

    return dependence


def reverse_dict(d):
    """``{value: (keys whose sequence holds it)}`` for a dict of sequences, keys in the
    order `d` lists them: ``{'a': (1, 2), 'b': (2, 3)}`` -> ``{1: ('a',), 2: ('a', 'b'),
    3: ('b',)}``."""
    result = {}
    for key, values in d.items():
        for value in values:
            result[value] = result.get(value, ()) + (key,)
    return result


def _toposort(edges):
    """Kahn's topological sort of ``edges = {a: {b, c}}`` (b and c come after a): a list
    in which every node comes after those pointing to it.  ValueError on a cycle."""
    waiting_on = {node: set(sources) for node, sources in reverse_dict(edges).items()}
    ready = {node for node in edges if node not in waiting_on}
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for after in edges.get(node, ()):
            waiting_on[after].remove(node)
            if not waiting_on[after]:
                ready.add(after)
    if any(waiting_on.get(node) for node in edges):
        raise ValueError("Input has cycles")
    return order


def posort(l, *cmps):  # noqa: E741 - Theano's signature
    """The elements of `l` ordered to satisfy the comparators as far as possible, each
    comparator taking precedence over the ones after it: a pair `a`, `b` with
    ``cmp(a, b) < 0`` puts `a` before `b` unless an earlier decision (or a cycle it
    would make) says otherwise.  Ties are in no particular order."""
    before = {x: set() for x in l}  # x -> what must come before x
    after = {x: set() for x in l}   # x -> what must come after x

    def add_link(a, b):  # a before b, and so everything before a before everything after b
        after[a].add(b)
        after[a].update(after[b])
        for c in before[a]:
            after[c].update(after[a])
        before[b].add(a)
        before[b].update(before[a])
        for c in after[b]:
            before[c].update(before[b])

    for compare in cmps:
        for a in l:
            for b in l:
                if compare(a, b) < 0 and b not in before[a] and b not in after[a]:
                    add_link(a, b)
    return _toposort(after)


def sort_apply_nodes(inputs, outputs, cmps):
    """The Apply nodes between `inputs` and `outputs`, ordered by `posort` with `cmps`
    (include ``make_dependence_cmp()`` first for an order that can run)."""
    return posort(list_of_nodes(inputs, outputs), *cmps)


def sort_schedule_fn(*cmps):
    """A linker schedule: ``schedule(fgraph)`` orders the graph's nodes by dependence,
    then by `cmps`."""
    dependence = make_dependence_cmp()
    cmps = (dependence, *cmps)

    def schedule(fgraph):
        return sort_apply_nodes(fgraph.inputs, fgraph.outputs, cmps)

    return schedule


def key_to_cmp(key):
    """The comparator ordering by ``key(x)`` (as ``sorted(key=...)``)."""

    def key_cmp(a, b):
        return cmp(key(a), key(b))

    return key_cmp
