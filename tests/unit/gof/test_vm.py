"""theano.gof.vm: the Python VMs and VM_Linker.

Values marked "Theano 1.0.5" come from tests/golden/gof_linkers.theano105.json (recorded
by tests/golden/make_gof_linkers.py, whose scenarios run here too); the rest are checked
against NumPy or by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support import golden
from theano.gof import Apply, FunctionGraph, Op, PureOp, generic
from theano.gof.vm import CVM, Loop, LoopGC, Stack, VM_Linker
from theano.ifelse import ifelse

_link_tests = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


@pytest.mark.parametrize("name", ["vm_values", "vm_callback_counts", "lazy_branch_not_run",
                                  "reallocation"])
def test_matches_theano_105(name):
    got = _link_tests.scenarios(theano, T, theano.Mode)[name]()
    expected = GOLDEN[name]
    if isinstance(expected, dict):
        assert sorted(got) == sorted(expected)
        for key in expected:
            golden.assert_same(got[key], expected[key], f"{name}[{key}]")
    elif name == "vm_callback_counts":
        assert got[1] == expected[1] and got[3] == expected[3] and got[4] == expected[4]
        golden.assert_same([got[0], got[2]], [expected[0], expected[2]], name)
    else:
        golden.assert_same(got, expected, name)


def _vm(fg, **kw):
    fn = VM_Linker(**kw).accept(fg).make_function()
    return fn, fn.thunk


def test_the_linker_picks_theanos_vm():
    x = T.dvector("x")
    a = T.dscalar("a")
    plain = FunctionGraph([x], [T.exp(x) + 1])
    lazy = FunctionGraph([a, x], [ifelse(a, x, -x)])
    assert type(_vm(plain)[1]) is LoopGC
    assert type(_vm(plain, allow_gc=False)[1]) is Loop
    assert type(_vm(plain, lazy=True)[1]) is Stack
    assert type(_vm(plain, callback=lambda **kw: None)[1]) is Stack
    assert type(_vm(plain, allow_partial_eval=True)[1]) is Stack
    assert type(_vm(lazy)[1]) is Stack
    assert type(_vm(lazy, lazy=False)[1]) is LoopGC
    # use_cloop asked for the C loop: the Python VM runs instead.
    fn, vm = _vm(lazy, use_cloop=True)
    assert type(vm) is Stack
    np.testing.assert_array_equal(fn(0.0, np.array([1.0, 2.0])), [-1.0, -2.0])


def test_stack_frees_intermediates_and_keeps_outputs():
    x = T.dvector("x")
    a = T.dscalar("a")
    e = T.exp(x)
    out = ifelse(a, e * 20.0, e - 20.0)  # (constants out of the constant cache's range)
    fg = FunctionGraph([a, x], [out], clone=False)
    fn, vm = _vm(fg)
    np.testing.assert_allclose(fn(1.0, np.array([0.0, 1.0])), 20 * np.exp([0.0, 1.0]))
    assert vm.storage_map[e][0] is None and vm.compute_map[e][0] == 2
    assert vm.storage_map[out][0] is not None
    fn, vm = _vm(fg, allow_gc=False)
    fn(1.0, np.array([0.0, 1.0]))
    np.testing.assert_allclose(vm.storage_map[e][0], np.exp([0.0, 1.0]))
    # The branch not taken was not computed.
    other = [n for n in vm.nodes if str(n.op) == "Elemwise{sub,no_inplace}"]
    assert other and all(vm.storage_map[v][0] is None for n in other for v in n.outputs)
    assert [str(n.op) for n in vm.node_executed_order][0] == "if{}"


def test_callback_input_sees_inputs_and_constants():
    x = T.dvector("x")
    seen = {}
    fg = FunctionGraph([x], [x * 30.0], clone=False)
    fn, _ = _vm(fg, callback_input=lambda var, value: seen.__setitem__(str(var), value))
    fn(np.array([1.0, 2.0]))
    assert set(seen) == {"x", "TensorConstant{30.0}"}
    np.testing.assert_array_equal(seen["x"], [1.0, 2.0])


def test_output_subset_computes_only_those_outputs():
    x = T.dscalar("x")
    y = x ** 2
    fg = FunctionGraph([x], [y + 7, y - 9, y / 14.0])  # (cached constants: cloned)
    outs = fg.outputs
    fn, vm = _vm(fg, allow_partial_eval=True)
    for c in fn.inputs:
        c.data = 3.0
    vm(output_subset=[0, 2])
    assert vm.storage_map[outs[0]][0] == 16.0 and vm.storage_map[outs[2]][0] == 9 / 14
    assert vm.storage_map[outs[1]][0] is None


def test_time_thunks_counts_and_profiles():
    x = T.dvector("x")
    fg = FunctionGraph([x], [T.exp(x) + 1])
    fn, vm = _vm(fg)
    vm.time_thunks = True
    fn(np.ones(3))
    fn(np.ones(3))
    assert vm.call_counts == [2] * len(vm.nodes)
    assert all(t > 0 for t in vm.call_times)

    class Profile:
        pass

    prof = Profile()
    vm.update_profile(prof)
    assert sorted(prof.apply_callcount.values()) == [2] * len(vm.nodes)
    assert vm.call_counts == [0] * len(vm.nodes)
    assert not any(prof.apply_cimpl.values())


class IfElseIfElseIf(PureOp):
    """Theano's lazy test Op: its own lazy thunk asks for the inputs it needs."""

    def make_node(self, c1, t1, c2, t2, c3, t3, f3):
        return Apply(self, [c1, t1, c2, t2, c3, t3, f3], [t1.type()])

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        computed = [compute_map[v] for v in node.inputs]
        cells = [storage_map[v] for v in node.inputs]
        out, done = storage_map[node.outputs[0]], compute_map[node.outputs[0]]

        def thunk():
            for cond, value in ((0, 1), (2, 3), (4, 5)):
                if not computed[cond][0]:
                    return [cond]
                if cells[cond][0]:
                    if not computed[value][0]:
                        return [value]
                    out[0], done[0] = np.asarray(cells[value][0]).copy(), True
                    return []
            if not computed[6][0]:
                return [6]
            out[0], done[0] = np.asarray(cells[6][0]).copy(), True
            return []

        thunk.lazy = True
        return thunk


class NotImplementedOp(PureOp):
    class E(Exception):
        pass

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
        def thunk():
            raise self.E()

        thunk.lazy = False
        return thunk


def test_user_lazy_ops_run_only_what_they_ask_for():
    # Theano's test_lazy.more_complex_test, worked by hand: c1=1 so t1 = x1 = 10 (the
    # failing Op is never run), t3 = x1 + t1 = 20 (c2=0), and the chain ends on its last
    # value t3 + 0.5.
    notimpl = NotImplementedOp()
    x1, x2, c1, c2 = T.scalars("x1", "x2", "c1", "c2")
    t1 = ifelse(c1, x1, notimpl(x2))
    t2 = t1 * 10
    t3 = ifelse(c2, t2, x1 + t1)
    t4 = IfElseIfElseIf()(T.eq(x1, x2), x1, T.eq(x1, 5), x2, c2, t3, t3 + 0.5)
    f = theano.function([c1, c2, x1, x2], t4,
                        mode=theano.Mode(linker=VM_Linker(), optimizer="fast_run"))
    assert f(1, 0, np.array(10, dtype=x1.dtype), 0) == 20.5
    with pytest.raises(NotImplementedOp.E):
        f(0, 0, np.array(10, dtype=x1.dtype), 0)


def test_theanos_lazy_ifelse_on_generic_values():
    a = T.scalar()
    b, c = generic(), generic()
    for lazy in (True, None):
        f = theano.function([a, b, c], ifelse(a, NotImplementedOp()(b), c),
                            mode=theano.Mode(linker=VM_Linker(lazy=lazy),
                                             optimizer="fast_run"))
        with pytest.raises(NotImplementedOp.E):
            f(1, "a", "b")
        assert f(0, "a", "b") == "b"


class RunOnce(Op):
    __props__ = ("nb_run",)

    def __init__(self):
        self.nb_run = 0

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        assert self.nb_run == 0
        self.nb_run += 1
        outputs[0][0] = inputs[0].copy()


def test_a_node_read_twice_runs_once_with_gc():
    # Theano's test_vm_gc: after its value is freed, a node is never recomputed.
    x = T.vector()
    mode = theano.Mode(linker=VM_Linker(lazy=True))
    p = RunOnce()(x)
    f = theano.function([theano.In(x, mutable=True)], [p + 1, p + 2], mode=mode)
    np.testing.assert_allclose(f([1, 2, 3]), [[2, 3, 4], [3, 4, 5]])
    p = RunOnce()(x)
    pp = p + p
    f = theano.function([x], [pp + pp], mode=mode)
    np.testing.assert_allclose(f([1, 2, 3])[0], [4, 8, 12])


def test_reallocation_shows_in_the_storage_map():
    # Theano's test_reallocation: the non-lazy VMs let scalar intermediates share cells.
    x, y = T.scalars("x", "y")
    z = T.tanh(3 * x + y) + T.cosh(x + 5 * y)
    for lnk in (VM_Linker(allow_gc=False, lazy=False), VM_Linker(allow_gc=True, lazy=False)):
        m = theano.Mode(linker=lnk).excluding("fusion", "inplace")
        f = theano.function([x, y], z, mode=m)
        np.testing.assert_allclose(f(1, 2), np.tanh(5) + np.cosh(11), rtol=1e-6)
        smap = f.maker.vm.storage_map
        assert len({id(cell) for cell in smap.values()}) < len(smap)


def test_callback_gets_every_node_of_every_call():
    a, b, c = T.scalars("abc")
    seen = []
    f = theano.function([a, b, c], (a + b) + c, mode=theano.Mode(
        optimizer=None, linker=VM_Linker(callback=lambda node, thunk, storage_map,
                                         compute_map: seen.append(node))))
    assert f(1, 2, 3) == 6 and f(1, 2, 4) == 7
    assert seen == f.maker.fgraph.toposort() * 2


def test_cvm_is_not_available():
    with pytest.raises(NotImplementedError, match="no C compiler in theano_compat; use "
                                                  "VM_Linker"):
        CVM([], [], [])


def test_a_linker_tied_to_one_graph_makes_a_new_one_with_the_same_settings():
    x = T.dvector("x")
    cb = (lambda **kw: None)
    lnk = VM_Linker(allow_gc=False, callback=cb, lazy=True)
    g1 = FunctionGraph([x], [x + 1])
    g2 = FunctionGraph([x], [x * 2])
    assert lnk.accept(g1) is lnk
    other = lnk.accept(g2)
    assert other is not lnk and other.fgraph is g2
    assert (other.allow_gc, other.callback, other.lazy) == (False, cb, True)


def test_partial_evaluation_with_updates_and_an_input_as_output():
    # Theano's test_partial_function_with_updates (its expected values).
    x = T.lscalar("input")
    y = theano.shared(np.asarray(1, "int64"), name="global")
    lnk = VM_Linker(allow_partial_eval=True, use_cloop=False)
    f = theano.function([x], [x, x + 34], updates=[(y, x + 1)],
                        mode=theano.Mode(optimizer=None, linker=lnk))
    g = theano.function([x], [x - 6], updates=[(y, y + 3)],
                        mode=theano.Mode(optimizer=None, linker=lnk))
    assert f(3) == [3, 37] and y.get_value() == 4
    assert f(3, output_subset=[]) == [] and y.get_value() == 4
    assert g(30, output_subset=[0]) == [24]
    assert g(40, output_subset=[]) == [] and y.get_value() == 10
