"""theano.tensor.opt: registering local optimizers, Assert, and the project's rules under
Theano's ``local_*`` names."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support.optdb import registrations_undone
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.optdb import local_useless, optdb
from theano_compat.graph.optimizers import LocalOptimizer, local_optimizer, out2in
from theano_compat.tensor import opt
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


@pytest.fixture
def clean():
    with registrations_undone():
        yield


def _noop(node):
    return False


@pytest.mark.parametrize("register, slot", [
    (opt.register_canonicalize, "canonicalize"), (opt.register_stabilize, "stabilize"),
    (opt.register_specialize, "specialize"), (opt.register_uncanonicalize, "uncanonicalize"),
    (opt.register_specialize_device, "specialize_device")])
def test_register_forms(clean, register, slot):
    a = local_optimizer([T.Elemwise])(_noop)
    assert register(a) is a  # plain call, named after the function
    db = optdb[slot]
    assert db["_noop"] is a and a in db.__db__["fast_run"] and a in db.__db__[slot]

    def other(node):
        return False

    b = register("tag1", "tag2", name="other_name")(local_optimizer(None)(other))
    assert db["other_name"] is b and b in db.__db__["tag1"] and b in db.__db__["tag2"]
    with pytest.raises(ValueError):
        register(a)  # the name is taken


def test_register_useless(clean):
    a = local_optimizer([T.Elemwise])(_noop)
    opt.register_useless(a, "extra")
    assert local_useless["_noop"] is a and a in local_useless.__db__["extra"]


def test_assert_op():
    x = T.dvector("x")
    f = theano.function([x], opt.assert_op(x, T.all(x > 0)))
    assert f(np.array([1.0, 2.0])).tolist() == [1.0, 2.0]
    with pytest.raises(AssertionError, match="Theano Assert failed!"):
        f(np.array([1.0, -2.0]))
    assert str(opt.assert_op) == "Assert{msg='Theano Assert failed!'}"
    g = theano.grad(opt.Assert("never")(x, T.all(x > 0)).sum(), x)
    assert theano.function([x], g)(np.array([1.0, 2.0])).tolist() == [1.0, 1.0]


def test_rule_aliases_are_local_optimizers():
    assert isinstance(opt.local_log1p, LocalOptimizer)
    x = T.dvector("x")
    # Theano's mul_canonizer is a graph optimizer over the local one
    y = T.dvector("y")
    g = FunctionGraph([x, y], [(x * y) / y])
    opt.mul_canonizer.optimize(g)
    assert g.outputs[0] is x or str(g) == "[x]"
    x = T.dvector("x")
    g = FunctionGraph([x], [T.log(1 + x)])
    out2in(opt.local_log1p).optimize(g)
    assert [str(n.op) for n in g.toposort()] == ["Elemwise{log1p,no_inplace}"]
    assert opt.local_log1p.transform(T.exp(x).owner) is False


def test_local_useless_alloc_and_constant_folding():
    x = T.dvector("x")
    same = T.alloc(x, x.shape[0])
    assert opt.local_useless_alloc.transform(same.owner) == [x]
    wider = T.alloc(x, 3, x.shape[0])
    assert opt.local_useless_alloc.transform(wider.owner) is False
    folded = theano.gof.opt.pre_greedy_local_optimizer(
        [opt.constant_folding], T.constant(2.0) * T.constant(3.0))
    assert isinstance(folded, T.TensorConstant) and float(folded.data) == 6.0


def test_module_names_of_theano():
    assert opt.gof is theano.gof and opt.compile is theano.compile
    assert isinstance(opt.make_vector, opt.MakeVector)
    assert theano.tensor.opt_uncanonicalize.register_uncanonicalize is \
        opt.register_uncanonicalize


def test_assert_rules_and_helpers():
    x = T.dvector("x")
    always = opt.assert_op(x, T.constant(1), x.sum() > 0)
    (kept,) = opt.local_remove_useless_assert.transform(always.owner)
    assert len(kept.owner.inputs) == 2  # the constant-true condition is gone
    assert opt.local_remove_useless_assert.transform(
        opt.assert_op(x, T.constant(1)).owner) == [x]
    assert opt.local_remove_all_assert.transform(always.owner) == [x]
    assert opt.is_an_upcast("int32", "float64") and not opt.is_an_upcast("float64", "int8")
    assert opt.encompasses_broadcastable((False, False), (True, False))
    assert not opt.encompasses_broadcastable((True,), (False,))
    assert opt.merge_broadcastables([(True, False), (True, True)]) == [True, False]


def test_get_scalar_constant_value_sees_through_a_true_constant_assert():
    c = T.constant(2)
    assert T.get_scalar_constant_value(opt.Assert()(c, c > 1)) == 2
    for cond in (c > 2, c > T.dscalar()):  # false, or not constant: no value
        with pytest.raises(T.NotScalarConstantError):
            T.get_scalar_constant_value(opt.Assert()(c, cond))


def test_scalar_graph_index_folds_to_a_constant():
    # Theano 1.0.5 folded scalar.constant(0).astype('int32') into the index constant:
    # the gradient graph of n[z:, z] is 6 nodes, with no Cast / TensorFromScalar left.
    from theano import scalar as scal

    data = np.arange(6.0).reshape(2, 3) / 7
    n = theano.shared(data)
    z = scal.constant(0).astype("int32")
    gn = theano.tensor.grad(theano.tensor.sum(theano.tensor.exp(n[z:, z])), n)
    f = theano.function([], gn, mode=FAST_RUN)
    names = [type(nd.op).__name__ for nd in f.maker.fgraph.toposort()]
    assert "Cast" not in str(names) and "TensorFromScalar" not in names, names
    assert len(names) == 6, names
    want = np.zeros_like(data)
    want[:, 0] = np.exp(data[:, 0])
    np.testing.assert_allclose(f(), want)
