"""Theano 1.0.5's softmax / cross-entropy / argmax / sigmoid / blocksparse rewrites
(theano_compat/tensor/nnet/_rules.py): FAST_RUN graphs hold Theano's fused Ops, in the
node counts Theano 1.0.5's own tests check, and compute what NumPy written here computes.
"""

import numpy as np
import pytest
import theano.tensor as T
import theano.tensor.nnet as nn
from theano.tensor.nnet import blocksparse as bs

import theano
from theano.compile.mode import Mode

FAST_RUN = Mode(optimizer="fast_run")
rng = np.random.RandomState(7)
X = rng.randn(4, 5)
B_ = rng.randn(5)
Y = np.array([2, 4, 1, 0])


def ops(f):
    return [n.op for n in f.maker.fgraph.toposort()]


def np_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def np_nll(z, y):
    """-log softmax(z)[i, y[i]], computed from the logits."""
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    return lse - z[np.arange(len(y)), y]


def np_dx(z, y, w):
    """d sum_i w[i] * nll_i / dz."""
    d = np_softmax(z) * w[:, None]
    d[np.arange(len(y)), y] -= w
    return d


def np_ultra_fast_sigmoid(v):
    """Theano 1.0.5's piecewise approximation (sigm.py's UltraFastScalarSigmoid)."""
    h = np.abs(0.5 * v)
    z = np.where(h < 1.7, 1.5 * h / (1 + h),
                 np.where(h < 3, 0.935409070603099 + 0.0458812946797165 * (h - 1.7),
                          0.99505475368673))
    return 0.5 * (np.sign(v) * z + 1.0)


x, b, y = T.dmatrix("x"), T.dvector("b"), T.lvector("y")
rows = T.arange(y.shape[0])


@pytest.mark.parametrize("expr", [
    lambda: T.sum(-T.log(nn.softmax(x)[rows, y])),
    lambda: -T.sum(T.log(nn.softmax(x))[rows, y]),
    lambda: nn.categorical_crossentropy(nn.softmax(x), y).sum(),
])
def test_crossentropy_of_softmax_is_one_fused_op(expr):
    cost = expr()
    f = theano.function([x, y], cost, mode=FAST_RUN)
    assert nn.crossentropy_softmax_argmax_1hot_with_bias in ops(f)
    assert not any(isinstance(o, (T.AdvancedSubtensor, nn.LogSoftmax)) for o in ops(f))
    np.testing.assert_allclose(f(X, Y), np_nll(X, Y).sum(), rtol=1e-13)
    g = theano.function([x, y], T.grad(cost, x), mode=FAST_RUN)
    assert sorted(map(str, ops(g))) == ["CrossentropySoftmax1HotWithBiasDx", "Softmax"]
    np.testing.assert_allclose(g(X, Y), np_dx(X, Y, np.ones(4)), rtol=1e-12, atol=1e-15)


def test_biased_softmax_cost_and_gradient_share_the_fused_op():
    """The MLP's output layer: nll, dx and softmax_with_bias from one fused node."""
    cost = nn.categorical_crossentropy(nn.softmax(T.dot(x, T.eye(5)) + b), y).mean()
    gx, gb = T.grad(cost, [x, b])
    f = theano.function([x, b, y], [cost, gx, gb], mode=FAST_RUN)
    names = [str(o) for o in ops(f)]
    assert names.count("CrossentropySoftmaxArgmax1HotWithBias") == 1
    assert "CrossentropySoftmax1HotWithBiasDx" in names
    assert not {"Softmax", "SoftmaxWithBias", "SoftmaxGrad", "LogSoftmax"} & set(names)
    c, dx, db = f(X, B_, Y)
    z = X + B_
    np.testing.assert_allclose(c, np_nll(z, Y).mean(), rtol=1e-13)
    np.testing.assert_allclose(dx, np_dx(z, Y, np.full(4, 0.25)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(db, np_dx(z, Y, np.full(4, 0.25)).sum(0), rtol=1e-12,
                               atol=1e-15)


def test_fused_cost_stays_finite_for_large_logits():
    cost = -T.log(nn.softmax(x)[rows, y]).mean()
    f = theano.function([x, y], [cost, T.grad(cost, x)], mode=FAST_RUN)
    big = X * 1000
    c, g = f(big, Y)
    np.testing.assert_allclose(c, np_nll(big, Y).mean(), rtol=1e-13)
    np.testing.assert_allclose(g, np_dx(big, Y, np.full(4, 0.25)), atol=1e-15)


def test_scaled_cost_gradient_uses_the_row_weights():
    a = T.dscalar("a")
    for cost, w in ((a * T.sum(-T.log(nn.softmax(x)[rows, y])), 0.3),
                    (-a * T.mean(T.log(nn.softmax(x))[rows, y]), 0.3 / 4)):
        g = theano.function([x, y, a], T.grad(cost, x), mode=FAST_RUN)
        assert nn.crossentropy_softmax_1hot_with_bias_dx in ops(g)
        assert nn.softmax_grad not in ops(g)
        np.testing.assert_allclose(g(X, Y, 0.3), np_dx(X, Y, np.full(4, w)), rtol=1e-12,
                                   atol=1e-15)


def test_vector_softmax_with_bias():
    v, c = T.dvector("v"), T.dvector("c")
    cost = T.sum(-T.log(nn.softmax(v + c)[T.arange(y.shape[0]), y]))
    f = theano.function([v, c, y], cost, mode=FAST_RUN)
    assert len(ops(f)) == 3 and nn.crossentropy_softmax_argmax_1hot_with_bias in ops(f)
    z = (X[0] + B_)[None, :]
    np.testing.assert_allclose(f(X[0], B_, [3]), np_nll(z, [3]).sum(), rtol=1e-13)


def test_softmax_simplifier_and_softmax_with_bias():
    f = theano.function([x], T.exp(x) / T.exp(x).sum(axis=1, keepdims=True), mode=FAST_RUN)
    assert ops(f) == [nn.softmax_op]
    np.testing.assert_allclose(f(X), np_softmax(X), rtol=1e-13)
    f = theano.function([x, b], nn.softmax(x + b), mode=FAST_RUN)
    assert ops(f) == [nn.softmax_with_bias]
    np.testing.assert_array_equal(f(X, B_), np_softmax(X + B_))


def test_argmax_pushdown():
    f = theano.function([x], T.argmax(nn.softmax(T.exp(T.tanh(nn.sigmoid(x)))), axis=1),
                        mode=FAST_RUN)
    assert [str(o) for o in ops(f)] == ["Argmax"]
    np.testing.assert_array_equal(f(X), X.argmax(axis=1))
    # the max itself is used: nothing moves
    f = theano.function([x], T.max_and_argmax(nn.softmax(x), axis=1)[0], mode=FAST_RUN)
    np.testing.assert_allclose(f(X), np_softmax(X).max(axis=1), rtol=1e-13)


def test_sigm_times_exp():
    v = T.dvector("v")
    f = theano.function([v], nn.sigmoid(-v) * T.exp(v), mode=FAST_RUN.excluding("fusion"))
    assert ops(f) == [nn.sigmoid]
    np.testing.assert_allclose(f(X[0]), 1 / (1 + np.exp(-X[0])), rtol=1e-13)


def test_approximate_sigmoids_only_when_included():
    f = theano.function([x], nn.sigmoid(x), mode=FAST_RUN)
    assert ops(f) == [nn.sigmoid]
    f = theano.function([x], nn.sigmoid(x), mode=FAST_RUN.including("local_ultra_fast_sigmoid"))
    assert ops(f) == [nn.sigm.ultra_fast_sigmoid]
    np.testing.assert_allclose(f(X), np_ultra_fast_sigmoid(X), rtol=1e-13)
    f = theano.function([x], nn.sigmoid(x), mode=FAST_RUN.including("local_hard_sigmoid"))
    assert nn.sigmoid not in ops(f)
    np.testing.assert_allclose(f(X), np.clip(0.2 * X + 0.5, 0, 1), rtol=1e-13)


def test_blocksparse_becomes_inplace_but_never_on_a_graph_input():
    W, h = T.dtensor4("W"), T.dtensor3("h")
    i_idx, o_idx, bias = T.lmatrix("i"), T.lmatrix("o"), T.dmatrix("bias")
    vals = [rng.randn(3, 2, 4, 5), rng.randn(2, 2, 4), np.array([[0, 1], [2, 1]]),
            rng.randn(2, 5), np.array([[1, 0], [0, 1]])]
    out = nn.sparse_block_dot(W, h, i_idx, bias, o_idx)
    f = theano.function([W, h, i_idx, bias, o_idx], out, mode=FAST_RUN)
    assert ops(f)[-1] == bs.sparse_block_gemv_inplace
    want = bias[o_idx].eval({bias: vals[3], o_idx: vals[4]}).copy()
    for k in range(2):
        for j in range(2):
            for i in range(2):
                want[k, j] += vals[1][k, i] @ vals[0][vals[2][k, i], vals[4][k, j]]
    np.testing.assert_allclose(f(*vals), want, rtol=1e-12)
    # an `o` given by the caller stays the caller's
    o = T.dtensor3("o")
    g = theano.function([o, W, h, i_idx, o_idx], bs.sparse_block_gemv(o, W, h, i_idx, o_idx),
                        mode=FAST_RUN)
    assert ops(g)[-1] == bs.sparse_block_gemv
    o_val = vals[3][vals[4]].copy()
    before = o_val.copy()
    np.testing.assert_allclose(g(o_val, *vals[:3], vals[4]), want, rtol=1e-12)
    np.testing.assert_array_equal(o_val, before)


def test_fast_compile_keeps_the_stable_logsoftmax_form():
    cost = -T.log(nn.softmax(x)[rows, y]).sum()
    f = theano.function([x, y], cost, mode="FAST_COMPILE")
    assert nn.crossentropy_softmax_argmax_1hot_with_bias not in ops(f)
    np.testing.assert_allclose(f(X * 1000, Y), np_nll(X * 1000, Y).sum(), rtol=1e-13)
