"""theano.gof.sched: orders by comparators ("Theano 1.0.5": the orders Theano gave for the
same inputs, tests/golden/gof_linkers.theano105.json)."""

from __future__ import annotations

import pytest

import theano
import theano.tensor as T
from tests.support import golden
from theano.gof.sched import (_toposort, key_to_cmp, make_dependence_cmp, memodict,
                              posort, reverse_dict, sort_apply_nodes)

_make = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


def test_matches_theano_105():
    got = _make.scenarios(theano, T, theano.Mode)["sched"]()
    got[3] = [[k, list(v)] for k, v in got[3]]
    golden.assert_same(got, GOLDEN["sched"], "sched")


def test_toposort_respects_every_edge_and_finds_cycles():
    edges = {1: {4, 6, 7}, 2: {4, 6, 7}, 3: {5, 7}, 4: {6, 7}, 5: {7}}
    order = _toposort(edges)
    assert sorted(order) == [1, 2, 3, 4, 5, 6, 7]
    assert all(order.index(a) < order.index(b) for a, bs in edges.items() for b in bs)
    with pytest.raises(ValueError, match="cycles"):
        _toposort({1: {2}, 2: {1}, 3: {1}})


def test_reverse_dict_and_memodict():
    assert reverse_dict({"a": (1, 2), "b": (2, 3), "c": ()}) == {1: ("a",), 2: ("a", "b"),
                                                                 3: ("b",)}
    calls = []
    square = memodict(lambda v: calls.append(v) or v * v)
    assert [square(3), square(3), square(4)] == [9, 9, 16] and calls == [3, 4]


def test_posort_prefers_earlier_comparators():
    # Even numbers first, then by value: the first comparator wins where they disagree.
    order = posort(list(range(8)), lambda a, b: a % 2 - b % 2, lambda a, b: b - a)
    assert order == [6, 4, 2, 0, 7, 5, 3, 1]
    assert posort([3, 1, 2], key_to_cmp(lambda v: -v)) == [3, 2, 1]


def test_sort_apply_nodes_keeps_dependencies_first():
    x = T.matrix("x")
    y = T.dot(x * 2, x + 1)
    dependence = make_dependence_cmp()
    nodes = sort_apply_nodes([x], [y], [dependence, key_to_cmp(str)])
    assert nodes[-1] is y.owner
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert dependence(a, b) <= 0
