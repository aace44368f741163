"""Theano's optimizer classes over the project's rewrite driver.

Every expected graph below is what Theano 1.0.5 gave for the same script (recorded with
../shared/tools/theano-ref); Theano's own test_opt.py / test_destroyhandler.py run in the
conformance suite as well.
"""

from __future__ import annotations

import numpy as np
import pytest

from theano_compat.graph.basic import Apply, Variable
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.op import Op
from theano_compat.graph import optimizers as O
from theano_compat.graph.rewrite import node_rule
from tests.support.toy_types import MyType


class MyOp(Op):
    def __init__(self, name):
        self.name = name

    def make_node(self, *inputs):
        return Apply(self, list(inputs), [MyType()()])

    def perform(self, node, inputs, out):
        out[0][0] = (self.name, tuple(inputs))

    def __str__(self):
        return self.name


op1, op2, op3, op4 = MyOp("Op1"), MyOp("Op2"), MyOp("Op3"), MyOp("Op4")


def V(name):
    return Variable(MyType(), None, None, name=name)


@O.local_optimizer([op1])
def collapse(node):
    """op1(op1(a)) -> op2(a)"""
    if node.op is op1 and node.inputs[0].owner and node.inputs[0].owner.op is op1:
        return [op2(node.inputs[0].owner.inputs[0])]
    return False


@pytest.mark.parametrize("order, expected", [("in_to_out", "[Op1(Op2(x))]"),
                                             ("out_to_in", "[Op2(Op1(x))]")])
def test_topo_optimizer_order(order, expected):
    x = V("x")
    g = FunctionGraph([x], [op1(op1(op1(x)))], clone=False)
    O.TopoOptimizer(collapse, order=order).optimize(g)
    assert str(g) == expected


def test_opremove_opsub_and_group():
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op2(op1(x), op1(y))], clone=False)
    O.TopoOptimizer(O.OpRemove(op1)).optimize(g)
    assert str(g) == "[Op2(x, y)]"
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op3(op1(x), op2(y))], clone=False)
    opt = O.in2out(O.OpSub(op1, op4), O.OpSub(op2, op4))
    assert isinstance(opt.local_opt, O.LocalOptGroup)
    opt.optimize(g)
    assert str(g) == "[Op3(Op4(x), Op4(y))]"


def test_failure_callback_and_raise():
    @O.local_optimizer(None)
    def boom(node):
        raise ValueError(f"boom {node.op}")

    x = V("x")
    g = FunctionGraph([x], [op1(op2(x))], clone=False)
    seen = []
    O.TopoOptimizer(boom, failure_callback=lambda exc, nav, pairs, lopt, node: seen.append(
        (str(exc), [p[1] for p in pairs], lopt))).optimize(g)
    assert seen == [("boom Op2", [None], boom), ("boom Op1", [None], boom)]
    with pytest.raises(ValueError, match="boom Op2"):
        O.TopoOptimizer(boom).optimize(g)


def test_dict_replacement_seq_and_merge():
    @O.local_optimizer([op3])
    def dictrep(node):
        if node.op is op3:
            return {node.outputs[0]: op4(*node.inputs)}
        return False

    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op1(op3(x, y))], clone=False)
    O.out2in(dictrep).optimize(g)
    assert str(g) == "[Op1(Op4(x, y))]"
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op1(op2(x), op2(x))], clone=False)
    O.SeqOptimizer(O.MergeOptimizer(), O.TopoOptimizer(O.OpSub(op2, op3))).optimize(g)
    assert str(g) == "[Op1(*1 -> Op3(x), *1)]"


def test_equilibrium_of_patterns():
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op1(op1(op2(x, y)))], clone=False)
    O.EquilibriumOptimizer([O.PatternSub((op1, (op1, "a")), (op3, "a")),
                            O.PatternSub((op3, (op2, "a", "b")), (op4, "b", "a"))],
                           max_use_ratio=10).optimize(g)
    assert str(g) == "[Op4(y, x)]"


def test_equilibrium_budget_stops_everything(caplog):
    # Theano's test_low_use_ratio: each optimizer may apply once per node; the second
    # use of the op4 -> op1 rewrite stops the optimizer.
    from theano_compat.config import change_flags

    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op3(op4(x, y))], clone=False)
    with change_flags(on_opt_error="ignore"):
        O.EquilibriumOptimizer([O.PatternSub((op1, "x", "y"), (op2, "x", "y")),
                                O.PatternSub((op4, "x", "y"), (op1, "x", "y")),
                                O.PatternSub((op3, (op2, "x", "y")), (op4, "x", "y"))],
                               max_use_ratio=1.0 / len(g.apply_nodes)).optimize(g)
    assert str(g) == "[Op1(x, y)]"


def test_pattern_constraints_and_multiple_clients():
    x, y = V("x"), V("y")
    e0 = op1(x, y)
    g = FunctionGraph([x, y], [op3(op4(e0), e0)], clone=False)
    O.OpKeyOptimizer(O.PatternSub((op4, (op1, "x", "y")), (op3, "x", "y"))).optimize(g)
    assert str(g) == "[Op3(Op4(*1 -> Op1(x, y)), *1)]"  # op1(x, y) has two readers
    x, y = V("x"), V("y")
    g = FunctionGraph([x, y], [op2(op1(x, x), op1(x, y))], clone=False)
    O.OpKeyOptimizer(O.PatternSub(
        {"pattern": (op1, "x", "y"),
         "constraint": lambda r: r.owner.inputs[0] is not r.owner.inputs[1]},
        (op3, "x", "y"))).optimize(g)
    assert str(g) == "[Op2(Op1(x, x), Op3(x, y))]"


def test_pre_greedy_and_check_chain():
    x, y = V("x"), V("y")
    r = O.pre_greedy_local_optimizer([O.OpSub(op1, op2)], op3(op1(x), y))
    assert str(r) == "Op3.0" and r.owner.inputs[0].owner.op is op2
    assert O.check_chain(op1(op2(x)), op1, op2)
    assert not O.check_chain(op1(op2(x)), op2)


def test_rule_optimizer_and_as_rule_round_trip():
    seen = []

    def fn(fgraph, node):
        seen.append(node.op)
        return [op4(*node.inputs)] if node.op is op1 else None

    rule = node_rule("to_op4", [op1], fn)
    lopt = O.RuleOptimizer(rule)
    x = V("x")

    class OtherOp(MyOp):
        pass

    # The rule is indexed by MyOp (its keys): it declines an Op of another class.
    assert lopt.transform(OtherOp("Other")(x).owner) is False
    assert str(lopt.transform(op1(x).owner)[0]) == "Op4.0"
    assert O.as_rule(lopt) is rule
    back = O.as_rule(collapse)
    assert back.name == "collapse" and back.lopt is collapse
    g = FunctionGraph([x], [op3(op1(op1(x)))], clone=False)
    O.in2out(lopt).optimize(g)
    assert str(g) == "[Op3(Op4(Op4(x)))]"


def test_local_optimizer_sees_theano_attributes():
    """A Theano local optimizer reads ``node.fgraph`` and ``var.clients``."""
    found = []

    @O.local_optimizer([op2])
    def look(node):
        if node.op is op2:
            found.append((node.fgraph is g, len(node.inputs[0].clients),
                          node.outputs[0].clients[0][0]))
        return False

    x = V("x")
    a = op1(x)
    g = FunctionGraph([x], [op2(a), op3(a)], clone=False)
    O.in2out(look).optimize(g)
    assert found == [(True, 2, "output")]
    assert "clients" not in a.__dict__ and "fgraph" not in a.owner.__dict__


def test_copy_and_check_stack_trace():
    x = V("x")
    a = op1(x)
    a.tag.trace = [[("f.py", 3, "fn", "a = op1(x)")]]
    b = op2(x)
    b.owner.source = None
    b.tag.trace = []  # as Theano, a variable made by a Type call has a trace: drop it
    assert not O.check_stack_trace(FunctionGraph([x], [b], clone=False))
    O.copy_stack_trace(a, b)
    assert b.tag.trace == [[("f.py", 3, "fn", "a = op1(x)")]]
    assert O.check_stack_trace(FunctionGraph([x], [b], clone=False), ops_to_check=[op2])
    with pytest.raises(Exception, match="not in the graph"):
        O.check_stack_trace(FunctionGraph([x], [b], clone=False), ops_to_check=[op3])


def test_merge_optimizer_constants_and_no_input_nodes():
    class NoInput(Op):
        __props__ = ("param",)

        def __init__(self, param):
            self.param = param

        def make_node(self):
            return Apply(self, [], [MyType()()])

    g = FunctionGraph([], [NoInput(0)(), NoInput(0)(), NoInput(1)()])
    O.MergeOptimizer().optimize(g)
    assert sum(isinstance(n.op, NoInput) for n in g.apply_nodes) == 2
    assert np.all(g.outputs[0] is g.outputs[1])


def test_is_same_graph_with_merge_on_graphs_holding_cached_constants():
    import theano.tensor as T

    from theano_compat.graph.optimizers import is_same_graph_with_merge
    x, y = T.dscalars("x", "y")
    assert T.constant(1).cached  # the deep copies it merges must not be refused
    assert is_same_graph_with_merge(x + 1, x + 1)
    assert is_same_graph_with_merge(x + 1, y + 1, {y: x})
    assert not is_same_graph_with_merge(x * 2, x + 1)
    assert T.constant(1).cached  # the cache's own constant is left as it was
