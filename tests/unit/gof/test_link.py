"""theano.gof.link: Theano's linker API over this project's Ops.

Values marked "Theano 1.0.5" come from tests/golden/gof_linkers.theano105.json (recorded
by tests/golden/make_gof_linkers.py, whose scenarios run here too); the rest are checked
against NumPy or by hand.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support import golden
from theano.gof import Apply, FunctionGraph, Op, Type
from theano.gof import graph as gof_graph
from theano.gof import link
from theano.gof.link import (Container, LinkerFunctionMaker, PerformLinker, WrapLinker,
                             WrapLinkerMany, gc_helper, map_storage, raise_with_op,
                             streamline)
from theano.gof.params_type import Params, ParamsType

_make = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


def same(got, expected, where):
    """`got` (made JSON-like) equals the recorded `expected` (dicts and None too)."""
    got = json.loads(json.dumps(got))
    if isinstance(expected, dict):
        assert sorted(got) == sorted(expected), where
        for k in expected:
            same(got[k], expected[k], f"{where}[{k}]")
    elif expected is None:
        assert got is None, where
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), (where, got, expected)
        for k, (g, e) in enumerate(zip(got, expected)):
            same(g, e, f"{where}[{k}]")
    else:
        golden.assert_same(got, expected, where)


SCENARIOS = ["perform_values", "perform_thunk", "perform_tensor", "perform_tensor_nogc",
             "wrap_order", "raise_with_op_info"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_matches_theano_105(name):
    same(_make.scenarios(theano, T, theano.Mode)[name](), GOLDEN[name], name)


class TDouble(Type):
    def filter(self, data, strict=False, allow_downcast=None):
        return float(data)

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


tdouble = TDouble()


class Binary(Op):
    __props__ = ("name",)

    def __init__(self, name, fn):
        self.name = name
        self.fn = fn

    def make_node(self, a, b):
        return Apply(self, [a, b], [gof_graph.Variable(tdouble, None, None, name=self.name)])

    def perform(self, node, inputs, out):
        out[0][0] = self.fn(*inputs)

    def __str__(self):
        return self.name


add = Binary("add", lambda a, b: a + b)
mul = Binary("mul", lambda a, b: a * b)


def doubles(*names):
    return [gof_graph.Variable(tdouble, None, None, name=n) for n in names]


def test_map_storage_gives_every_variable_a_cell():
    x, y = doubles("x", "y")
    c = gof_graph.Constant(tdouble, 4.0)
    s = add(x, y)
    e = mul(s, c)
    fg = FunctionGraph([x, y], [e], clone=False)
    order = fg.toposort()
    ins, outs, smap = map_storage(fg, order, None, None)
    assert [smap[x], smap[y]] == ins and ins[0] is smap[x]
    assert outs[0] is smap[e] and smap[c] == [4.0] and smap[s] == [None]
    given = [[1.0], [2.0]]
    ins2, _, smap2 = map_storage(fg, order, given, None)
    assert ins2 is given and smap2[x] is given[0]
    with pytest.raises(ValueError):
        map_storage(fg, order, [[1.0]], None)
    with pytest.raises(ValueError):
        map_storage(fg, order, [[1.0], [2.0]], None, storage_map={x: [0.0]})


def test_gc_helper_gives_computed_variables_and_last_readers():
    x, y = doubles("x", "y")
    s = add(x, y)
    p = mul(s, x)
    q = add(p, s)
    nodes = [s.owner, p.owner, q.owner]
    computed, last_user = gc_helper(nodes)
    assert computed == {s, p, q}
    assert last_user == {x: p.owner, y: s.owner, s: q.owner, p: q.owner}


def test_streamline_clears_cells_after_last_use_and_no_recycling_before_the_run():
    runs = []
    a, b, out = [1], [2], [3]

    def t1():
        runs.append(("t1", out[0]))

    def t2():
        runs.append(("t2", a[0]))

    x, y = doubles("x", "y")
    n1, n2 = add(x, y).owner, mul(x, y).owner
    f = streamline(None, [t1, t2], [n1, n2], post_thunk_old_storage=[[a], [b]],
                   no_recycling=[out])
    f()
    assert runs == [("t1", None), ("t2", None)] and a == [None] and b == [None]
    with pytest.raises(ValueError):
        streamline(None, [t1], [n1, n2])
    with pytest.raises(ValueError):
        streamline(None, [t1, t2], [n1, n2], post_thunk_old_storage=[[a]])


def test_perform_linker_frees_intermediates_with_allow_gc():
    x, y = doubles("x", "y")
    s = add(x, y)
    e = mul(s, y)
    for allow_gc, kept in ((True, None), (False, 5.0)):
        fg = FunctionGraph([x, y], [e], clone=False)
        fn = PerformLinker(allow_gc=allow_gc).accept(fg).make_function()
        assert fn(2.0, 3.0) == 15.0
        assert fn.thunk.storage_map[s][0] == kept
        assert fn.thunk.storage_map[e][0] == 15.0
        fn.thunk.clear_storage()
        assert fn.thunk.storage_map[e][0] is None


def test_perform_linker_tied_to_one_graph_makes_a_new_one_for_another():
    x, y = doubles("x", "y")
    fg1 = FunctionGraph([x, y], [add(x, y)], clone=False)
    fg2 = FunctionGraph([x, y], [mul(x, y)], clone=False)
    lnk = PerformLinker(allow_gc=False)
    assert lnk.accept(fg1) is lnk
    other = lnk.accept(fg2)
    assert other is not lnk and other.fgraph is fg2 and other.allow_gc is False
    assert lnk.make_function()(2.0, 5.0) == 7.0 and other.make_function()(2.0, 5.0) == 10.0
    with pytest.raises(TypeError, match="takes exactly 2 arguments"):
        lnk.make_function()(1.0)
    assert lnk.make_function(unpack_single=False)(1.0, 2.0) == [3.0]


def test_schedule_orders_the_nodes():
    x, y = doubles("x", "y")
    a, b = add(x, y), mul(x, y)
    e = add(a, b)
    fg = FunctionGraph([x, y], [e], clone=False)
    order = [b.owner, a.owner, e.owner]
    seen = []
    lnk = WrapLinker([PerformLinker(schedule=lambda g: order)],
                     lambda i, node, th: (seen.append(node), th()))
    fn, ins, outs = lnk.accept(fg).make_thunk()
    ins[0].data, ins[1].data = 2.0, 3.0
    fn()
    assert seen == order and outs[0].data == 11.0


def test_wrap_linker_many_runs_every_wrapper_and_copies_inputs_to_each_linker():
    x, y = doubles("x", "y")
    e = mul(add(x, y), y)
    fg = FunctionGraph([x, y], [e], clone=False)
    log = []

    def run_both(i, node, t1, t2):
        t1()
        t2()

    def compare(i, node, t1, t2):
        log.append((str(node.op), t1.outputs[0][0], t2.outputs[0][0]))

    lnk = WrapLinkerMany([PerformLinker(allow_gc=False), PerformLinker(allow_gc=False)],
                         [run_both, compare])
    fn = lnk.accept(fg).make_function()
    assert fn(2.0, 3.0) == 15.0
    assert log == [("add", 5.0, 5.0), ("mul", 15.0, 15.0)]


def test_raise_with_op_describes_the_node_and_keeps_the_class():
    x = T.dvector("x")
    node = T.exp(x).owner
    fg = FunctionGraph([x], [node.outputs[0]], clone=False)
    thunk = link.make_node_thunk(node, {x: [np.ones(3)], node.outputs[0]: [None]},
                                 {x: [True], node.outputs[0]: [False]}, [])
    try:
        try:
            raise ValueError("bad value")
        except ValueError:
            node.fgraph = fg
            raise_with_op(node, thunk)
    except ValueError as e:
        text = str(e)
        assert text.startswith("bad value\nApply node that caused the error: "
                               "Elemwise{exp,no_inplace}(x)\nToposort index: 0\n")
        assert "Inputs shapes: [(3,)]" in text
        assert "Inputs values: [array([1., 1., 1.])]" in text  # small values are shown
        assert e.__op_instance__ is node and e.__applynode_index__ == 0
    finally:
        del node.fgraph


def test_raise_with_op_keeps_an_exception_that_takes_other_arguments():
    class Picky(Exception):
        def __init__(self, a, b):
            super().__init__(a, b)

    x = T.dvector("x")
    node = T.exp(x).owner
    with pytest.raises(Picky) as info:
        try:
            raise Picky(1, 2)
        except Picky:
            raise_with_op(node)
    assert info.value.args == (1, 2)
    assert any("Apply node that caused the error" in n for n in info.value.__notes__)


def test_raise_with_op_lets_keyboard_interrupt_through():
    x = T.dvector("x")
    with pytest.raises(KeyboardInterrupt) as info:
        try:
            raise KeyboardInterrupt()
        except KeyboardInterrupt:
            raise_with_op(T.exp(x).owner)
    assert not hasattr(info.value, "__op_instance__")


def test_log_thunk_trace_prints_the_definition_trace():
    err = ValueError("x")
    err.__thunk_trace__ = [("f.py", 3, "g", "y = op(x)")]
    buf = io.StringIO()
    link.log_thunk_trace(err, f=buf)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "log_thunk_trace: There was a problem executing an Op."
    assert lines[1] == "log_thunk_trace: Definition in:"
    assert 'File "f.py", line 3, in g' in lines[2]
    buf = io.StringIO()
    link.log_thunk_trace(ValueError("no trace"), f=buf)
    assert buf.getvalue() == ""


class CustomThunkOp(Op):
    """An Op with its own make_thunk (Theano's protocol): doubles its input."""

    __props__ = ()

    def make_node(self, v):
        return Apply(self, [v], [v.type()])

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        src, dst = storage_map[node.inputs[0]], storage_map[node.outputs[0]]
        done = compute_map[node.outputs[0]]

        def thunk():
            dst[0] = src[0] * 2
            done[0] = True

        return thunk


def test_user_make_thunk_is_used():
    x = T.dvector("x")
    y = CustomThunkOp()(x) + 1
    fn = PerformLinker().accept(FunctionGraph([x], [y])).make_function()
    np.testing.assert_array_equal(fn(np.array([1.0, 2.0])), [3.0, 5.0])


class Affine(Op):
    """``a * x + b`` with a and b as the Op's params (ParamsType)."""

    __props__ = ("a", "b")
    params_type = ParamsType(a=T.TensorType("float64", ()), b=T.TensorType("float64", ()))

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out, params):
        assert isinstance(params, Params)
        out[0][0] = params.a * inputs[0] + params.b


def test_perform_gets_the_params_of_the_params_type():
    x = T.dmatrix("x")
    xv = np.arange(6.0).reshape(2, 3)
    fg = FunctionGraph([x], [Affine(2, -7)(x)])
    for lnk in (PerformLinker(), theano.gof.vm.VM_Linker()):
        np.testing.assert_array_equal(lnk.accept(fg).make_function()(xv), 2 * xv - 7)


def test_a_function_compiled_with_a_linker_computes_what_the_default_does():
    x, y = T.dmatrices("x", "y")
    s = theano.shared(np.float64(1.5), name="s")
    outs = [T.exp(x) * y + s, (x - y).sum()]
    ref = theano.function([x, y], outs)
    xv, yv = np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([[1.0, 2.0], [-1.0, 3.0]])
    expected = ref(xv, yv)
    for lnk in (PerformLinker(), PerformLinker(allow_gc=False), theano.gof.vm.VM_Linker(),
                theano.gof.cc.OpWiseCLinker()):
        f = theano.function([x, y], outs, updates=[(s, s * 2)], mode=theano.Mode(linker=lnk))
        assert isinstance(f.maker, LinkerFunctionMaker)
        assert f.maker.linker.fgraph is f.maker.fgraph and f.maker.linker is not lnk
        s.set_value(1.5)
        got = f(xv, yv)
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e, rtol=1e-15)
        assert s.get_value() == 3.0
        # The returned arrays are the caller's: the next call does not overwrite them.
        again = f(xv, yv)
        np.testing.assert_allclose(got[0], expected[0], rtol=1e-15)
        assert again[0] is not got[0]


def test_an_output_that_is_an_input_is_returned_as_a_copy():
    x = T.dvector("x")
    f = theano.function([x], [x, x * 1], mode=theano.Mode(linker=PerformLinker(),
                                                           optimizer=None))
    xv = np.array([1.0, 2.0])
    out = f(xv)
    assert not np.shares_memory(out[0], xv)
    np.testing.assert_array_equal(out[0], xv)


def test_container_is_the_graphs_container():
    assert Container is theano.gof.Container
    c = Container(T.dscalar(), [np.asarray(0.0)], readonly=True)
    with pytest.raises(Exception, match="readonly"):
        c.data = 1.0


def test_high_verbosity_adds_the_debugprint_and_the_storage_footprint():
    class Boom(Exception):
        pass

    class Explode(Op):
        __props__ = ()

        def make_node(self, v):
            return Apply(self, [v], [v.type()])

        def perform(self, node, inputs, out):
            raise Boom("boom")

    x = T.dvector("x")
    fg = FunctionGraph([x], [Explode()(T.exp(x))])
    fn = theano.gof.vm.VM_Linker(allow_gc=False, lazy=True).accept(fg).make_function()
    with theano.config.change_flags(exception_verbosity="high"):
        with pytest.raises(Boom) as info:
            fn(np.ones(4))
    text = str(info.value)
    assert "Debugprint of the apply node: \nExplode [id A] <TensorType(float64, vector)>" in text
    assert "Storage map footprint:" in text
    assert " - x, Input, Shape: (4,), ElemSize: 8 Byte(s), TotalSize: 32 Byte(s)" in text
    assert "Inputs type_num: [12]" in text
