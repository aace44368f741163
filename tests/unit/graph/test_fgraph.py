"""FunctionGraph's Theano interface: features and their events, validated replacement,
checkpoint / revert, clients, Theano's text form, cloning and pickling.

Expected values are what Theano 1.0.5 printed for the same graphs (recorded with
../shared/tools/theano-ref; the script is the scenario of each test).
"""

from __future__ import annotations

import pickle

import pytest

from theano_compat.graph.basic import Apply, Variable
from theano_compat.graph.fgraph import (AlreadyThere, Feature, FunctionGraph,
                                        InconsistencyError, ReplaceValidate, as_string)
from theano_compat.graph.op import Op
from tests.support.toy_types import MyType


class MyOp(Op):
    def __init__(self, name, nout=1):
        self.name = name
        self.nout = nout

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [MyType()() for _ in range(self.nout)])

    def __str__(self):
        return self.name


op1, op2, op3 = MyOp("Op1"), MyOp("Op2"), MyOp("Op3")


def V(name):
    return Variable(MyType(), None, None, name=name)


class Recorder(Feature):
    def __init__(self):
        self.events = []

    def on_import(self, fgraph, node, reason):
        self.events.append(("import", str(node.op)))

    def on_prune(self, fgraph, node, reason):
        self.events.append(("prune", str(node.op)))

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        who = node if node == "output" else str(node.op)
        self.events.append(("change", who, i, str(r), str(new_r)))


def test_events_of_a_replacement_in_theano_order():
    # Theano 1.0.5: [('import', 'Op3'), ('prune', 'Op1'), ('change', 'Op2', 0, 'Op1.0',
    # 'Op3.0')]
    x, y = V("x"), V("y")
    a = op1(x)
    g = FunctionGraph([x, y], [op2(a, y)], clone=False)
    rec = Recorder()
    g.attach_feature(rec)
    g.replace(a, op3(x, y))
    assert rec.events == [("import", "Op3"), ("prune", "Op1"),
                          ("change", "Op2", 0, "Op1.0", "Op3.0")]
    assert str(g) == "[Op2(Op3(x, y), y)]"
    g.remove_feature(rec)
    g.replace(g.outputs[0], op1(x))
    assert len(rec.events) == 3  # detached: told nothing more


def test_clients_as_theano():
    x, y = V("x"), V("y")
    b = op2(op1(x), y)
    g = FunctionGraph([x, y], [b], clone=False)
    assert [(str(n.op), i) for n, i in g.clients(x)] == [("Op1", 0)]
    assert g.clients(b) == [("output", 0)]
    assert g.clients[b] == [("output", 0)]  # also a dict, as the rewrite driver reads it


def test_replace_validate_refused_is_undone_and_checkpoint_revert():
    x, y = V("x"), V("y")
    s = op1(x, y)
    g = FunctionGraph([x, y], [op2(s, x)], clone=False)

    class Refuse(Feature):
        def validate(self, fgraph):
            if any(n.op is op3 for n in fgraph.apply_nodes):
                raise InconsistencyError("no Op3 here")

    g.attach_feature(Refuse())
    with pytest.raises(InconsistencyError, match="no Op3"):
        g.replace_validate(s, op3(x, y))  # ReplaceValidate comes on first use
    assert str(g) == "[Op2(Op1(x, y), x)]"
    assert g.consistent() is True
    chk = g.checkpoint()
    g.replace(s, op3(x, y))
    assert str(g) == "[Op2(Op3(x, y), x)]"
    assert g.consistent() is False
    g.revert(chk)
    assert str(g) == "[Op2(Op1(x, y), x)]"
    assert g.consistent() is True


def test_replace_validate_attached_once():
    x = V("x")
    g = FunctionGraph([x], [op1(x)], clone=False)
    rv = ReplaceValidate()
    g.attach_feature(rv)
    g.attach_feature(ReplaceValidate())  # AlreadyThere: dropped
    assert [f for f in g._features if isinstance(f, ReplaceValidate)] == [rv]

    class Once(Feature):
        def on_attach(self, fgraph):
            if "once" in fgraph.__dict__:
                raise AlreadyThere()
            fgraph.once = True

    g.attach_feature(Once())
    g.attach_feature(Once())
    assert sum(isinstance(f, Once) for f in g._features) == 1


def test_str_and_as_string_number_shared_nodes_like_theano():
    # Theano 1.0.5 printed, for d = (exp(b) - a) / x with a = x + y, b = a * z and
    # outputs [d, b]:
    x, y, z = V("x"), V("y"), V("z")
    a = op1(x, y)
    b = op2(a, z)
    d = op3(op1(op2(b), a), x)
    assert as_string([x, y, z], [d, b]) == ["Op3(Op1(Op2(*2 -> Op2(*1 -> Op1(x, y), z)), *1), x)",
                                          "*2"]
    g = FunctionGraph([x, y, z], [d, b], clone=False)
    assert str(g) == "[Op3(Op1(Op2(*2 -> Op2(*1 -> Op1(x, y), z)), *1), x), *2]"
    two = MyOp("Two", nout=2)
    u, v = two(x)
    # (Theano wrote no ``::k`` at the first occurrence)
    assert as_string([x], [op1(u, v)]) == ["Op1(*1 -> Two(x), *1::1)"]


def test_toposort_honours_feature_orderings():
    x, y = V("x"), V("y")
    first, second = op1(x), op2(y)
    g = FunctionGraph([x, y], [op3(first, second)], clone=False)
    assert [str(n.op) for n in g.toposort()] == ["Op2", "Op1", "Op3"]  # as Theano 1.0.5

    class Order(Feature):
        def orderings(self, fgraph):
            return {second.owner: [first.owner]}

    g.attach_feature(Order())
    assert [str(n.op) for n in g.toposort()] == ["Op1", "Op2", "Op3"]


def test_clone_get_equiv_and_integrity():
    x, y = V("x"), V("y")
    out = op2(op1(x), y)
    g = FunctionGraph([x, y], [out], clone=False)
    g.check_integrity()
    new, memo = g.clone_get_equiv()
    assert str(new) == str(g)
    assert memo[x] is new.inputs[0] and memo[x] is not x
    assert memo[out.owner] is new.outputs[0].owner
    new.check_integrity()


def test_pickle_keeps_features_working():
    x, y = V("x"), V("y")
    s = op1(x, y)
    g = FunctionGraph([x, y], [op2(s, x)], clone=False)
    g.replace_validate(s, op3(x, y))
    again = pickle.loads(pickle.dumps(g))
    assert str(again) == "[Op2(Op3(x, y), x)]"
    s2 = again.outputs[0].owner.inputs[0]
    again.replace_validate(s2, op1(*s2.owner.inputs))
    assert str(again) == "[Op2(Op1(x, y), x)]"


def test_change_input_checks_the_type():
    class Other(MyType):
        def __eq__(self, other):
            return isinstance(other, Other)

        def __hash__(self):
            return 1

    x = V("x")
    node = op1(x).owner
    g = FunctionGraph([x], node.outputs, clone=False)
    with pytest.raises(TypeError):
        g.change_input(node, 0, Variable(Other(), None, None, name="w"))


def test_cached_constants_are_refused_by_a_graph_taken_as_it_is():
    import theano.tensor as T

    from theano_compat.graph.fgraph import CachedConstantError
    one = T.constant(1)
    assert one.cached and T.constant_cache[one.signature()] is one
    assert T.constant(1) is one
    assert getattr(T.constant(11), "cached", False) is False  # out of [-10, 10]
    x = T.dscalar("x")
    with pytest.raises(CachedConstantError):
        FunctionGraph([], [one + 1], clone=False)
    with pytest.raises(CachedConstantError):
        FunctionGraph([x], [x * 2], clone=False)
    g = FunctionGraph([x], [x * 2])  # cloned: the graph holds a copy of the constant
    (c,) = [v for v in g.variables if v.owner is None and v is not x]
    assert c is not T.constant(2) and not getattr(c, "cached", False) and c.data == 2
    g2 = g.clone()  # (built with clone=False from a copy)
    assert g2.outputs[0] is not g.outputs[0]
