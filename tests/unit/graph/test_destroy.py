"""The DestroyHandler: which graphs with in-place Ops are consistent (Theano 1.0.5's
rules; its own test_destroyhandler.py passes in the conformance suite)."""

from __future__ import annotations

import pytest

from theano_compat.graph.basic import Apply, Constant, Variable
from theano_compat.graph.destroy import DestroyHandler, contains_cycle, fast_inplace_check
from theano_compat.graph.features import ReplaceValidate
from theano_compat.graph.fgraph import FunctionGraph, InconsistencyError
from theano_compat.graph.op import Op
from tests.support.toy_types import MyType


class MyOp(Op):
    def __init__(self, nin, name, vmap=None, dmap=None, tolerate_same=()):
        self.nin = nin
        self.name = name
        self.view_map = vmap or {}
        self.destroy_map = dmap or {}
        self.destroyhandler_tolerate_same = list(tolerate_same)

    def make_node(self, *inputs):
        assert len(inputs) == self.nin
        return Apply(self, list(inputs), [MyType()(self.name + "_R")])

    def __str__(self):
        return self.name


sigmoid = MyOp(1, "Sigmoid")
transpose_view = MyOp(1, "TransposeView", vmap={0: [0]})
add = MyOp(2, "Add")
add_in_place = MyOp(2, "AddInPlace", dmap={0: [0]})
add_in_place_same = MyOp(2, "AddInPlace", dmap={0: [0]}, tolerate_same=[(0, 1)])
dot = MyOp(2, "Dot")


def V(name):
    return Variable(MyType(), None, None, name=name)


def env(inputs, outputs):
    g = FunctionGraph(inputs, outputs, clone=False)
    g.attach_feature(DestroyHandler())
    g.attach_feature(ReplaceValidate())
    return g


def test_destroyer_runs_after_the_other_readers():
    x, y = V("x"), V("y")
    reader = sigmoid(x)
    d = add_in_place(x, y)
    g = env([x, y], [dot(d, reader)])
    assert g.consistent()
    assert [str(n.op) for n in g.toposort()] == ["Sigmoid", "AddInPlace", "Dot"]
    assert g.destroyers(x) == [d.owner]
    assert g.has_destroyers([x]) and not g.has_destroyers([y])


def test_reader_after_destruction_is_a_cycle():
    x, y = V("x"), V("y")
    g = env([x, y], [dot(add_in_place(x, y), transpose_view(x))])
    assert not g.consistent()  # the view of x is read by Dot, which needs the destroyer
    with pytest.raises(InconsistencyError, match="cycles"):
        g.validate()


def test_two_destroyers_and_constants_and_indestructible():
    x, y = V("x"), V("y")
    with pytest.raises(InconsistencyError, match="Multiple destroyers"):
        env([x, y], [add(add_in_place(x, y), add_in_place(x, y))]).validate()
    c = Constant(MyType(), 2, name="c")
    assert not env([y], [add_in_place(c, y)]).consistent()
    x2 = V("x")
    x2.tag.indestructible = True
    g = env([x2, y], [add_in_place(transpose_view(x2), y)])
    assert not g.consistent()  # through a view
    g.replace_validate(g.outputs[0].owner.inputs[0], sigmoid(x2))
    assert g.consistent()


def test_input_aliasing_and_tolerance():
    x = V("x")
    assert not env([x], [add_in_place(x, x)]).consistent()
    assert env([x], [add_in_place_same(x, x)]).consistent()
    assert not env([x], [add_in_place_same(x, transpose_view(x))]).consistent()


def test_replace_validate_refuses_a_second_destroyer():
    x, y = V("x"), V("y")
    e1, e2 = add(x, y), add(y, x)
    g = env([x, y], [e1, e2])
    g.replace_validate(e1, add_in_place(x, y))
    with pytest.raises(InconsistencyError):
        g.replace_validate(e2, add_in_place(y, x))
    assert str(g) == "[AddInPlace(x, y), Add(y, x)]"
    assert g.consistent()


def test_contains_cycle_and_fast_inplace_check():
    x, y = V("x"), V("y")
    a, b = sigmoid(x), sigmoid(y)
    g = FunctionGraph([x, y], [add(a, b)], clone=False)
    assert not contains_cycle(g, {})
    assert not contains_cycle(g, {a.owner: [b.owner]})
    assert contains_cycle(g, {a.owner: [g.outputs[0].owner]})
    g.attach_feature(DestroyHandler())
    c = Constant(MyType(), 1, name="c")
    assert fast_inplace_check(g, [a, c, g.outputs[0]]) == [a]
