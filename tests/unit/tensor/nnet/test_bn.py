"""theano.tensor.nnet.bn: the abstract batch-normalization Ops (values, gradients and
second-order gradients against Theano 1.0.5, tests/golden/nnet_ops.theano105.json), their
lowering rewrites, and batch_normalization_train's gradient (Theano's, plus the parts
reaching the returned statistics).  The functions' values against NumPy are in
test_nnet.py."""

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import bn

import theano
from theano_compat.gof.opt import in2out
from theano_compat.graph.fgraph import FunctionGraph

from tests.unit.tensor.nnet.test_crossentropy import check_golden

ABSTRACT = (bn.AbstractBatchNormTrain, bn.AbstractBatchNormInference,
            bn.AbstractBatchNormTrainGrad)


@pytest.mark.parametrize("name", ["batch_normalization_train", "batch_normalization_test",
                                  "abstract_batch_norm_train_grad"])
def test_matches_theano_105(name):
    check_golden(name, rtol=1e-9)


def _data(rng, shape=(5, 3, 2)):
    x = rng.randn(*shape) * 2 + 1
    p = [rng.randn(1, shape[1], 1) for _ in range(3)] + [rng.rand(1, shape[1], 1) + 0.5]
    return x, p


def test_ops_and_their_lowering_agree():
    rng = np.random.RandomState(3)
    xv, (gv, bv, mv, vv) = _data(rng)
    x = T.tensor3()
    g, b, m, v = (T.TensorType("float64", (True, False, True))() for _ in range(4))
    axes = (0, 2)
    train = bn.AbstractBatchNormTrain(axes)(x, g, b, 1e-3, 0.25, m, v)
    infer = bn.AbstractBatchNormInference(axes)(x, g, b, m, v, 1e-3)
    dgrad = bn.AbstractBatchNormTrainGrad(axes)(x, x * 0.5, g, train[1], train[2], 1e-3)
    outs = list(train) + [infer] + list(dgrad)
    fg = FunctionGraph([x, g, b, m, v], outs)
    for lopt in (bn.local_abstract_batch_norm_train, bn.local_abstract_batch_norm_inference,
                 bn.local_abstract_batch_norm_train_grad):
        in2out(lopt).optimize(fg)
    assert not any(isinstance(n.op, ABSTRACT) for n in fg.toposort())
    direct = theano.function([x, g, b, m, v], outs)(xv, gv, bv, mv, vv)
    lowered = theano.function(fg.inputs, fg.outputs)(xv, gv, bv, mv, vv)
    for a, c in zip(direct, lowered):
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-12)
    # against NumPy
    mean, var = xv.mean((0, 2), keepdims=True), xv.var((0, 2), keepdims=True)
    np.testing.assert_allclose(direct[0], (xv - mean) * gv / np.sqrt(var + 1e-3) + bv)
    np.testing.assert_allclose(direct[4], vv * 0.75 + 0.25 * var * 10 / 9)
    np.testing.assert_allclose(direct[5], (xv - mv) * gv / np.sqrt(vv + 1e-3) + bv)


def test_float32_stays_float32():
    x = T.ftensor4()
    g = T.TensorType("float32", (True, False, True, True))()
    outs = bn.AbstractBatchNormTrain((0, 2, 3))(x, g, g, 1e-4, 0.1)
    assert [o.dtype for o in outs] == ["float32"] * 3
    res = theano.function([x, g], outs)(np.ones((2, 3, 2, 2), "float32"),
                                        np.ones((1, 3, 1, 1), "float32"))
    assert all(r.dtype == np.float32 for r in res)


def test_train_function_compiles_without_abstract_ops_and_consider_constant_holds():
    x, dy = T.dmatrix(), T.dmatrix()
    g, b = T.drow(), T.drow()  # full-rank parameters: the statistics are returned as computed
    out, mean, invstd = bn.batch_normalization_train(x, g, b, "per-activation", 1e-3)
    grads = T.grad(None, wrt=[x, g, b], known_grads={out: dy})
    f = theano.function([x, g, b, dy], [out, mean, invstd] + grads)
    assert not any(isinstance(n.op, ABSTRACT) for n in f.maker.fgraph.toposort())
    # Theano's second-order gradient holds the returned statistics constant
    dd = T.grad((grads[0] ** 2).sum(), x, consider_constant=[mean, invstd])
    ref = T.grad((bn.AbstractBatchNormTrainGrad((0,))(x, dy, g, mean, invstd)[0] ** 2).sum(),
                 x, consider_constant=[mean, invstd])
    rng = np.random.RandomState(0)
    vals = [rng.randn(4, 3), rng.randn(1, 3), rng.randn(1, 3), rng.randn(4, 3)]
    a, c = theano.function([x, g, b, dy], [dd, ref], on_unused_input="ignore")(*vals)
    np.testing.assert_allclose(a, c, rtol=1e-10)


def test_train_gradient_through_every_output():
    # Theano's Op dropped the gradients reaching the mean, the inverse standard deviation
    # and the running averages: here they are exact (finite differences).
    rng = np.random.RandomState(1)
    w = [rng.randn(4, 3), rng.randn(3), rng.randn(3), rng.randn(3), rng.randn(3)]

    def cost(x, g, b, rm, rv):
        outs = bn.batch_normalization_train(x, g, b, "per-activation", 1e-3, 0.3, rm, rv)
        return sum((o * wi).sum() for o, wi in zip(outs, w))

    verify_grad(cost, [rng.randn(4, 3), rng.randn(3), rng.randn(3), rng.randn(3),
                       rng.rand(3) + 0.5], rng=rng)

    def op_cost(x, g, b, rm, rv):
        outs = bn.AbstractBatchNormTrain((0,))(x, g, b, 1e-3, 0.3, rm, rv)
        return sum((o * wi).sum() for o, wi in zip(outs, [w[0]] + [wi[None] for wi in w[1:]]))

    verify_grad(op_cost, [rng.randn(4, 3)] + [rng.randn(1, 3) for _ in range(3)]
                + [rng.rand(1, 3) + 0.5], rng=rng)


def test_op_arguments():
    x = T.dmatrix()
    with pytest.raises(ValueError, match="non-empty"):
        bn.AbstractBatchNormTrain(())
    with pytest.raises(TypeError, match="same number of dimensions"):
        bn.AbstractBatchNormInference((0,))(x, T.dvector(), x, x, x)
    with pytest.raises(ValueError, match="both"):
        bn.AbstractBatchNormTrain((0,))(x, x, x, 1e-4, 0.1, x)
    f = theano.function([x], bn.AbstractBatchNormTrainGrad((2,))(x, x, x, x, x))
    with pytest.raises(ValueError, match="axes should be less than ndim"):
        f(np.ones((2, 2)))
    assert bn.bn_groupopt.__name__ == "batchnorm_opts"
