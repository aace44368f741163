"""The FunctionGraph features of Theano's toolbox: NodeFinder, PreserveNames,
NoOutputFromInplace, PrintListener."""

from __future__ import annotations

from theano_compat.graph.basic import Apply, Variable
from theano_compat.graph.destroy import DestroyHandler
from theano_compat.graph.features import (NodeFinder, NoOutputFromInplace, PreserveNames,
                                          PrintListener)
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.op import Op
from tests.support.toy_types import MyType


class MyOp(Op):
    __props__ = ("nin", "name")

    def __init__(self, nin, name, dmap=None):
        self.nin = nin
        self.name = name
        self.destroy_map = dmap or {}

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [MyType()()])

    def __str__(self):
        return self.name


sigmoid, add, dot = MyOp(1, "Sigmoid"), MyOp(2, "Add"), MyOp(2, "Dot")


def V(name):
    return Variable(MyType(), None, None, name=name)


def test_node_finder_follows_replacements():
    # Theano's test_toolbox.TestNodeFinder
    x, y, z = V("x"), V("y"), V("z")
    e0 = dot(y, z)
    e = add(add(sigmoid(x), sigmoid(sigmoid(z))), dot(add(x, y), e0))
    g = FunctionGraph([x, y, z], [e], clone=False)
    g.attach_feature(NodeFinder())
    assert [len(g.get_nodes(op)) for op in (add, sigmoid, dot)] == [3, 3, 2]
    new_e0 = add(y, z)
    g.replace(e0, new_e0)
    assert e0.owner not in g.get_nodes(dot) and new_e0.owner in g.get_nodes(add)
    assert [len(g.get_nodes(op)) for op in (add, sigmoid, dot)] == [4, 3, 1]


def test_preserve_names_and_print_listener(capsys):
    x = V("x")
    a = sigmoid(x)
    a.name = "a"
    g = FunctionGraph([x], [dot(a, x)], clone=False)
    g.attach_feature(PreserveNames())
    g.attach_feature(PrintListener())
    b = add(x, x)
    g.replace(a, b)
    assert b.name == "a"
    out = capsys.readouterr().out
    assert "-- importing: Add(x, x)" in out and "-- pruning: Sigmoid(x)" in out


def test_no_output_from_inplace():
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [MyOp(2, "AddInPlace", {0: [0]})(x, y)], clone=False)
    g.attach_feature(DestroyHandler())
    g.attach_feature(NoOutputFromInplace())
    assert not g.consistent()
    g2 = FunctionGraph([x, y], [add(x, y)], clone=False)
    g2.attach_feature(DestroyHandler())
    g2.attach_feature(NoOutputFromInplace())
    assert g2.consistent()
