"""theano.gof.graph's helpers beyond the walks (tests/unit/graph/test_graph_walks.py has
their order): Theano's text form, merge-based graph comparison and connection
patterns."""

from __future__ import annotations

import theano.tensor as T
from theano.gof import graph


def test_as_string_as_theano():
    # Theano 1.0.5 printed exactly this (numbering: the order the shared nodes were built)
    x, y, z = T.dscalars("x", "y", "z")
    a = x + y
    b = a * z
    d = (T.exp(b) - a) / x
    assert graph.as_string([x, y, z], [d, b]) == [
        "Elemwise{true_div,no_inplace}(Elemwise{sub,no_inplace}(Elemwise{exp,no_inplace}("
        "*2 -> Elemwise{mul,no_inplace}(*1 -> Elemwise{add,no_inplace}(x, y), z)), *1), x)",
        "*2"]
    assert graph.op_as_string([x, y], a.owner) == "Elemwise{add,no_inplace}(x, y)"


def test_is_same_graph_with_givens_in_both_graphs():
    # Theano's test_graph.TestIsSameGraph cases (givens substitute in both graphs).
    x, y, z = T.vectors("x", "y", "z")
    t = x * y
    cases = [(x, y, {}, False), (x, y, {y: x}, True), (x * 2, y * 2, {x: y}, True),
             (x * 2, y * 3, {y: x}, False), (t * 2, z * 2, {t: z}, True),
             (x * (y * z), (x * y) * z, {}, False), (x, t, {t: x}, True),
             (x * x + z, x * y + t, {y: x}, False), (x * x + z, x * y + t, {y: x, t: z}, True)]
    for a, b, givens, expected in cases:
        assert graph.is_same_graph(a, b, givens=givens) is expected
        assert graph.is_same_graph(b, a, givens=givens) is expected


def test_io_connection_pattern():
    x, y = T.dvectors("x", "y")
    out = [x + 1, x * y, T.constant(1.0) + 0]
    assert graph.io_connection_pattern([x, y], out) == [[True, True, False],
                                                        [False, True, False]]
