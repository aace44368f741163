"""The pipelines read what users register in ``theano.compile.optdb``, and protect the
inputs an Op declaring ``destroy_map`` would overwrite.

Expected results are Theano 1.0.5's for the same scripts (../shared/tools/theano-ref).
"""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support.modes import FAST_RUN
from tests.support.optdb import registrations_undone
from theano import gof
from theano.compile import optdb
from theano_compat.compile import pipeline
from theano_compat.graph.fgraph import InconsistencyError
from theano_compat.compile.mode import get_mode
from theano.tensor import opt as topt


@pytest.fixture
def log():
    with registrations_undone():
        yield []


def _register_rules(log):
    @topt.register_specialize("my_tag", name="exp_to_expm1p1")
    @gof.local_optimizer([T.Elemwise])
    def spec(node):
        if node.op == T.exp:
            log.append("specialize")
            return [T.expm1(node.inputs[0]) + 1]
        return False

    @topt.register_stabilize
    @gof.local_optimizer([T.Elemwise])
    def local_cos_to_sin(node):
        if node.op == T.cos:
            log.append("stabilize")
            return [T.sin(node.inputs[0] + np.pi / 2)]
        return False

    @topt.register_uncanonicalize
    @gof.local_optimizer([T.Elemwise])
    def local_tanh_unc(node):
        if node.op == T.tanh:
            log.append("uncanonicalize")
            return [2 * T.nnet.sigmoid(2 * node.inputs[0]) - 1]
        return False

    def off_by_default(node):
        if node.op == T.sqrt:
            log.append("tagged")
            return [node.inputs[0] ** 0.5]
        return False

    optdb["canonicalize"].register("off_by_default",
                                   gof.local_optimizer([T.Elemwise])(off_by_default),
                                   "my_extra")

    class Counter(gof.Optimizer):
        def apply(self, fgraph):
            log.append(("global", len(fgraph.apply_nodes)))

    optdb.register("count_nodes", Counter(), 1.7, "fast_run")


def _ran(log):
    return sorted(set(map(str, log)))


def test_registered_rules_run_in_their_phase(log):
    # Theano 1.0.5 gave exactly these logs and values (see the module docstring).
    _register_rules(log)
    x = T.dvector("x")
    mode = get_mode("FAST_RUN")
    f = theano.function([x], [T.exp(x), T.cos(x), T.tanh(x), T.sqrt(x)], mode=mode)
    assert _ran(log) == ["('global', 5)", "specialize", "stabilize", "uncanonicalize"]
    got = [np.round(a, 6).tolist() for a in f(np.array([0.1, 0.5]))]
    assert got == [[1.105171, 1.648721], [0.995004, 0.877583], [0.099668, 0.462117],
                   [0.316228, 0.707107]]
    log.clear()
    theano.function([x], [T.exp(x), T.cos(x), T.tanh(x)],
                    mode=mode.excluding("exp_to_expm1p1", "local_cos_to_sin"))
    assert _ran(log) == ["('global', 3)", "uncanonicalize"]
    log.clear()
    theano.function([x], [T.sqrt(x)], mode=mode.including("my_extra"))
    assert _ran(log) == ["('global', 1)", "tagged"]
    log.clear()
    theano.function([x], [T.exp(x)], mode=mode.excluding("my_tag"))
    assert _ran(log) == ["('global', 1)"]
    log.clear()
    theano.function([x], [T.exp(x), T.cos(x)], mode="FAST_COMPILE")
    assert log == []  # registered with fast_run only
    log.clear()
    theano.function([x], [T.exp(x)], mode=mode.excluding("count_nodes"))
    assert _ran(log) == ["specialize"]


def test_describe_and_requiring_see_registered_rules(log):
    _register_rules(log)
    phases = dict(pipeline.describe("fast_run"))
    assert "exp_to_expm1p1" in phases["specialize"]
    # Theano's own uncanonicalize rules first (tensor/rewrites/legacy.py), then the user's.
    assert phases["uncanonicalize"][-1] == "local_tanh_unc"
    assert "local_max_and_argmax" in phases["uncanonicalize"]
    assert "count_nodes" in phases
    x = T.dvector("x")
    theano.function([x], T.exp(x), mode=get_mode("FAST_RUN").requiring("exp_to_expm1p1"))


def test_describe_leaves_out_empty_user_slots():
    names = [name for name, _ in pipeline.describe("fast_run")]
    assert "uncanonicalize" not in names or optdb["uncanonicalize"]._names


class AddOneInplace(gof.Op):
    __props__ = ()
    destroy_map = {0: [0]}

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return gof.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        (x,) = inputs
        x += 1
        out[0][0] = x


def test_a_destroyed_value_still_needed_is_copied():
    op = AddOneInplace()
    x = T.dvector("x")
    v = np.array([1.0, 2.0])
    f = theano.function([x], [op(x), x * 2], accept_inplace=True)
    first, second = f(v)
    assert first.tolist() == [2.0, 3.0] and second.tolist() == [2.0, 4.0]  # as Theano
    e = T.exp(x)
    g = theano.function([x], [op(e), e + 1], accept_inplace=True)
    a, b = g(np.array([0.0, 1.0]))
    assert np.allclose(a, [2.0, 1 + np.e]) and np.allclose(b, [2.0, 1 + np.e])
    w = theano.shared(np.array([5.0, 6.0]))
    # FAST_RUN turns w * 1 into w: an output the destroyer must not overwrite (without
    # the rewrite, w * 1 reads w before the destroyer runs and no copy is needed)
    k = theano.function([], [op(w), w * 1], accept_inplace=True, mode=FAST_RUN)
    a, b = k()
    assert a.tolist() == [6.0, 7.0] and b.tolist() == [5.0, 6.0]
    assert any(isinstance(n.op, pipeline.DestroyGuardCopy) for n in k.maker.fgraph.apply_nodes)


def test_a_sole_reader_destroys_as_theano_did():
    # Theano 1.0.5 overwrote the caller's array and the shared value here; a constant
    # is never overwritten (the second call gives the same result).
    op = AddOneInplace()
    x = T.dvector("x")
    v = np.array([1.0, 2.0])
    assert theano.function([x], op(x), accept_inplace=True)(v).tolist() == [2.0, 3.0]
    assert v.tolist() == [2.0, 3.0]
    w = theano.shared(np.array([5.0, 6.0]))
    theano.function([], op(w), accept_inplace=True)()
    assert w.get_value().tolist() == [6.0, 7.0]
    c = theano.function([], op(T.constant(np.array([1.0, 2.0]))), accept_inplace=True)
    assert c().tolist() == [2.0, 3.0] and c().tolist() == [2.0, 3.0]


def test_theano_s_destroy_checks_at_compile():
    # Theano 1.0.5: InconsistencyError "Multiple destroyers of x".
    op = AddOneInplace()
    x = T.dvector("x")
    with pytest.raises(InconsistencyError, match="Multiple destroyers"):
        theano.function([x], [op(x), op(x)], accept_inplace=True)


class TransposeView(gof.Op):
    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return gof.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, out):
        out[0][0] = inputs[0].T


def test_a_view_read_after_destruction_is_refused():
    op = AddOneInplace()
    x = T.dvector("x")
    with pytest.raises(ValueError, match="graph contains cycles"):  # as Theano 1.0.5
        theano.function([x], op(x) * TransposeView()(x), accept_inplace=True)
