"""theano.tensor.nnet.sigm: the sigmoid / softplus ops and their names, ultra_fast_sigmoid
and hard_sigmoid (against Theano 1.0.5's values, tests/golden/nnet_ops.theano105.json), and
Theano's rewrites of sigmoid expressions applied as optimizer objects."""

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import sigm

import theano
from theano_compat.gof.opt import in2out
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.scalar import ops as S

from tests.unit.tensor.nnet.test_crossentropy import check_golden

V = np.array([-50, -4, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 4, 50.0])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_approximations_match_theano_105(dtype):
    check_golden(f"sigmoid_approximations_{dtype}", rtol=1e-10 if dtype == "float64" else 1e-6)


def test_names_are_the_scalar_table_ops():
    assert sigm.scalar_sigmoid is S.sigmoid and sigm.scalar_softplus is S.softplus
    assert isinstance(S.sigmoid, sigm.ScalarSigmoid)
    assert sigm.ScalarSigmoid.__module__ == "theano.tensor.nnet.sigm"
    assert sigm.ScalarSoftplus.__name__ == "ScalarSoftplus"
    assert sigm.sigmoid.scalar_op is S.sigmoid and sigm.softplus.scalar_op is S.softplus
    assert sigm.register_local_1msigmoid is False


def test_sigmoid_inplace_overwrites_its_input():
    x = T.vector()
    f = theano.function([theano.In(x, mutable=True)], sigm.sigmoid_inplace(x),
                        accept_inplace=True)
    data = np.array([-1.0, 0.0, 2.0])
    out = f(data)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-np.array([-1.0, 0.0, 2.0]))))
    assert sigm.sigmoid_inplace.inplace_pattern == {0: 0}


def test_ultra_fast_sigmoid_is_an_elemwise_with_a_gradient():
    x = T.vector()
    y = sigm.ultra_fast_sigmoid(x)
    assert y.owner.op == sigm.ultra_fast_sigmoid
    assert y.owner.op.scalar_op == sigm.ultra_fast_scalar_sigmoid
    assert sigm.ultra_fast_sigmoid(T.fvector()).dtype == "float32"
    assert sigm.ultra_fast_sigmoid(T.bvector()).dtype == "float32"
    assert sigm.ultra_fast_sigmoid(T.ivector()).dtype == "float64"
    # the per-element impl (Theano's st_impl) and the array form agree
    got = theano.function([x], y)(V)
    np.testing.assert_allclose(got, [sigm.UltraFastScalarSigmoid.st_impl(v) for v in V],
                               rtol=1e-15)
    # the derivative of the piecewise function: 0.25 * 1.5 / (1 + |x|/2)^2 below |x| = 3.4
    g = theano.function([x], T.grad(y.sum(), x))(np.array([0.0, 1.0, -5.0, 9.0]))
    np.testing.assert_allclose(g, [0.375, 0.375 / 2.25, 0.25 * 0.0458812946797165, 0.0])
    for pts in ([-3.0, -0.7, 0.4, 2.9], [-6.5, -4.0, 4.4, 5.8]):
        verify_grad(sigm.ultra_fast_sigmoid, [np.array(pts)], rng=np.random.RandomState(0))


def _rewritten(lopt, inputs, outputs):
    fg = FunctionGraph(inputs, outputs)
    in2out(lopt).optimize(fg)
    return fg


def _ops(fg):
    return [n.op for n in fg.toposort()]


def test_local_ultra_fast_and_hard_sigmoid():
    x = T.vector()
    fg = _rewritten(sigm.local_ultra_fast_sigmoid, [x], [sigm.sigmoid(x)])
    assert _ops(fg) == [sigm.ultra_fast_sigmoid]
    fg = _rewritten(sigm.local_hard_sigmoid, [x], [sigm.sigmoid(x)])
    assert sigm.sigmoid not in _ops(fg)
    out = theano.function([x], fg.outputs[0])(V)
    np.testing.assert_allclose(out, np.clip(0.2 * V + 0.5, 0, 1))


def test_exp_over_1_plus_exp_and_inv_1_plus_exp():
    x = T.vector()
    vals = np.array([-3.0, 0.5, 2.0])
    fg = _rewritten(sigm.local_exp_over_1_plus_exp, [x], [T.exp(x) / (1 + T.exp(x))])
    assert _ops(fg) == [sigm.sigmoid]
    fg = _rewritten(sigm.local_exp_over_1_plus_exp, [x], [2.0 / (1 + T.exp(x))])
    assert sigm.sigmoid in _ops(fg) and T.exp not in _ops(fg)
    np.testing.assert_allclose(theano.function([x], fg.outputs[0])(vals),
                               2.0 / (1 + np.exp(vals)))
    fg = _rewritten(sigm.local_inv_1_plus_exp, [x], [T.inv(1 + T.exp(x))])
    assert sigm.sigmoid in _ops(fg) and T.exp not in _ops(fg)
    np.testing.assert_allclose(theano.function([x], fg.outputs[0])(vals),
                               1.0 / (1 + np.exp(vals)))


def test_sigm_times_exp_and_1msigmoid():
    x = T.vector()
    vals = np.array([-3.0, 0.5, 2.0])
    fg = _rewritten(sigm.local_sigm_times_exp, [x], [T.exp(x) * sigm.sigmoid(-x)])
    assert _ops(fg) == [sigm.sigmoid]
    np.testing.assert_allclose(theano.function([x], fg.outputs[0])(vals), 1 / (1 + np.exp(-vals)))
    fg = _rewritten(sigm.local_1msigmoid, [x], [1 - sigm.sigmoid(x)])
    assert T.sub not in _ops(fg)
    np.testing.assert_allclose(theano.function([x], fg.outputs[0])(vals), 1 / (1 + np.exp(vals)))


def test_softplus_patterns():
    x = T.vector()
    vals = np.array([-800.0, -3.0, 0.5, 40.0])
    fg = _rewritten(sigm.log1pexp_to_softplus, [x], [T.log1p(T.exp(x))])
    assert _ops(fg) == [sigm.softplus]
    fg = _rewritten(sigm.logsigm_to_softplus, [x], [T.log(sigm.sigmoid(x))])
    assert sigm.softplus in _ops(fg) and T.log not in _ops(fg)
    got = theano.function([x], fg.outputs[0])(vals)
    # finite at -800; Theano's softplus is 0 below -30
    np.testing.assert_allclose(got, -np.logaddexp(0, -vals), atol=1e-15)


def test_mul_trees():
    x, y, z = T.vector("x"), T.vector("y"), T.vector("z")
    assert sigm.parse_mul_tree(x * y) == [False, [[False, x], [False, y]]]
    assert sigm.parse_mul_tree(-(x * y)) == [True, [[False, x], [False, y]]]
    assert sigm.parse_mul_tree(-x * y) == [False, [[True, x], [False, y]]]
    assert sigm.parse_mul_tree(-x) == [True, x]
    assert sigm.parse_mul_tree((x * y) * -z) == [
        False, [[False, [[False, x], [False, y]]], [True, z]]]
    tree = [False, [[True, None], [False, [[False, x], [False, None]]], [True, y]]]
    # the removed -1 leaf negates the product; the one-factor product collapses to x
    assert sigm.simplify_mul(tree) == [True, [[False, x], [True, y]]]
    out = sigm.compute_mul(sigm.parse_mul_tree(-x * y * z))
    vals = [np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 4.0])]
    np.testing.assert_allclose(theano.function([x, y, z], out)(*vals), -vals[0] * vals[1] * vals[2])
    with pytest.raises(AssertionError, match="simplify_mul"):
        sigm.compute_mul([False, None])
    assert sigm.is_1pexp(1 + T.exp(x))[1] is x and sigm.is_1pexp(2 + T.exp(x)) is None
    assert sigm.is_exp(-T.exp(x))[0] is True and sigm.is_neg(x * -1.0) is x


def test_optional_rewrites_recorded_in_optdb():
    db = theano.compile.optdb["uncanonicalize"]
    assert "local_ultra_fast_sigmoid" in db.__db__ and "local_hard_sigmoid" in db.__db__
