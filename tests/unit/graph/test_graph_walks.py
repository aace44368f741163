"""Graph walks and variable identity of theano_compat/graph/basic.py, as Theano 1.0.5
(named test_graph_walks.py: see UNIT_LAYOUT_EXCEPTIONS in tests/unit/test_lint.py).

The order of theano.gof.graph's walks (inputs, ancestors, io_toposort, variables,
orphans) was recorded by tests/golden/make_graph_walks.py under the original Theano, on
graphs with shared variables, constants, repeated inputs and outputs, blockers and a node
with two outputs; the same code runs here.
"""

from collections import deque

import numpy as np
import pytest
import theano.tensor as T
from theano.gof import graph as G

import theano
from tests.support import golden

_make = golden.load_recorder("make_graph_walks")
GOLDEN = golden.load_record("graph_walks.theano105.json")
OURS = _make.record(theano, T, G)


@pytest.mark.parametrize("graph", sorted(GOLDEN))
def test_walks_list_in_theano_order(graph):
    for walk, expected in GOLDEN[graph].items():
        assert OURS[graph][walk] == expected, (graph, walk)


def test_stack_search_and_general_toposort():
    # Theano's stack_search: 'dfs' takes from the right, 'bfs' from the left; every node
    # once.  Values worked out by hand from Theano's definition.
    children = {1: [2, 3], 2: [4], 3: [4, 5], 4: [], 5: []}
    assert G.stack_search(deque([1]), children.get, "dfs") == [1, 3, 5, 4, 2]
    assert G.stack_search(deque([1]), children.get, "bfs") == [1, 2, 3, 4, 5]
    order, inverse = G.stack_search(deque([1]), children.get, "bfs", build_inv=True)
    assert inverse[4] == [2, 3]
    with pytest.raises(ValueError):
        G.stack_search(deque([1]), children.get, "random")
    deps = {"a": [], "b": ["a"], "c": ["a", "b"]}
    assert G.general_toposort(["c"], lambda n: deps[n]) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="cycles"):
        G.general_toposort(["x"], lambda n: {"x": ["y"], "y": ["x"]}[n])


def test_io_toposort_with_orderings_and_list_of_nodes():
    a, b = T.dscalars("a", "b")
    x, y = a + 1, b * 2
    z = x + y
    # Without orderings: Theano's VM walk computes the inputs of a node right to left.
    assert G.io_toposort([a, b], [z]) == [y.owner, x.owner, z.owner]
    # An ordering that puts x's node before y's: Theano's general sort follows it.
    assert G.io_toposort([a, b], [z], orderings={y.owner: [x.owner]}) == [
        x.owner, y.owner, z.owner]
    assert G.list_of_nodes([a, b], [z]) == [z.owner, x.owner, y.owner]
    assert G.is_in_ancestors(z.owner, x.owner) and not G.is_in_ancestors(x.owner, y.owner)
    assert G.ops([a, b], [z]) == {x.owner, y.owner, z.owner}


def test_variables_compare_by_identity_and_hash_by_id():
    # Theano 1.0.5 (recorded with theano-ref): == and != on variables compare identity
    # and give a bool, never a graph; hashing is object identity, so variables are dict
    # keys and set members; T.eq builds the elementwise comparison.
    x, y = T.vector("x"), T.vector("y")
    s = theano.shared(np.zeros(2))
    assert (x == x) is True and (x == y) is False
    assert (x != y) is True and (x != x) is False
    assert x.__ne__(y) is True
    assert (s == s) is True and (s == x) is False and (s != x) is True
    assert (x == 1) is False and (x != None) is True  # noqa: E711
    assert hash(x) == object.__hash__(x)
    assert x in [y, x] and [x, y].index(y) == 1
    assert len({x: 1, x + 1: 2}) == 2 and len({x, y, x}) == 2
    assert str(T.eq(x, y).owner.op) == "Elemwise{eq,no_inplace}"
    c1, c2 = T.constant(np.arange(3.0)), T.constant(np.arange(3.0))
    assert (c1 == c2) is False and (c1 != c2) is True


def test_io_toposort_when_one_output_of_a_node_is_given():
    # The first output of a two-output node given as an input, its second one used:
    # Theano's walk skipped that node forever (it looped); here the node is computed.
    class Split(theano.Op):
        __props__ = ()

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type(), x.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0] + 1
            outputs[1][0] = inputs[0] - 1

    x = T.dvector("x")
    first, second = Split()(x)
    out = first * second
    assert G.io_toposort([first], [out]) == [second.owner, out.owner]
    assert G.io_toposort([x], [out]) == [first.owner, out.owner]
    assert G.io_toposort([first, second], [out]) == [out.owner]
    y = T.dvector("y")
    replaced = theano.clone(out, {first: y})
    f = theano.function([x, y], replaced)
    assert f(np.array([3.0]), np.array([10.0])).tolist() == [20.0]
