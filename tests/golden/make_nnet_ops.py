"""Record Theano 1.0.5's results for the Ops of theano.tensor.nnet.nnet, .sigm and .bn
(SoftmaxWithBias, the 1-hot softmax cross-entropy Op and its gradient Op, the prepend Ops,
ultra_fast_sigmoid / hard_sigmoid, the abstract batch-normalization Ops); the tests in
tests/unit/tensor/nnet/ (test_crossentropy.py, test_sigm.py, test_bn.py) compare ours to them.

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_nnet_ops.py \
        > $REPO/tests/golden/nnet_ops.theano105.json

`cases(theano)` builds every case with whichever `theano` package it is given: {name:
(inputs, outputs, input values)}.  Each prepend Op has a case of its own: Theano 1.0.5's
Prepend_scalar_constant_to_each_row had no __props__, so prepend_0 and prepend_1 of one
matrix merged in one function (both gave zeros); its gradient also failed (grad returned
a variable, not a list), so no prepend gradient is recorded.  Batch-norm gradients are taken of the
normalized output only (Theano's Op dropped the gradients reaching the mean and inverse
standard deviation).
"""

import warnings

import numpy as np
from _record import run_cases, write_case_lines

X = np.array([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 3.0], [-2.0, 1.0, 0.5, 0.125]])
B = np.array([0.1, -0.2, 0.3, 0.0])
LABELS = np.array([2, 0, 1])
W = np.arange(12.0).reshape(3, 4)


def cases(theano):
    import theano.tensor as T
    from theano.tensor.nnet import bn, nnet, sigm

    out = {}

    def add(name, inputs, outputs, values):
        out[name] = (inputs, outputs, values)

    x, b, y, dy = T.dmatrix("x"), T.dvector("b"), T.lvector("y"), T.dvector("dy")
    nll, sm, am = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    cost = (nll * np.array([1.0, 2.0, 3.0])).sum() + (sm * W).sum()
    add("crossentropy_softmax_argmax_1hot_with_bias", [x, b, y],
        [nll, sm, am] + T.grad(cost, [x, b]), [X, B, LABELS])
    nll1, sm1 = nnet.crossentropy_softmax_1hot(x, y)
    add("crossentropy_softmax_1hot", [x, y], [nll1, sm1, T.grad(nll1.sum(), x)], [X, LABELS])
    dx = nnet.crossentropy_softmax_1hot_with_bias_dx(dy, sm, y)
    add("crossentropy_softmax_1hot_with_bias_dx", [x, b, y, dy],
        [dx] + T.grad((dx * W).sum(), [dy]), [X, B, LABELS, np.array([1.0, -0.5, 2.0])])
    swb = nnet.softmax_with_bias(x, b)
    add("softmax_with_bias", [x, b], [swb] + T.grad((swb * W).sum(), [x, b]), [X, B])
    add("prepend_0_to_each_row", [x], [nnet.prepend_0_to_each_row(x)], [X])
    add("prepend_1_to_each_row", [x], [nnet.prepend_1_to_each_row(x)], [X])
    add("prepend_scalar_to_each_row", [x], [nnet.prepend_scalar_to_each_row(3.5, x)], [X])

    for dtype in ("float64", "float32"):
        v = T.TensorType(dtype, (False,))("v")
        vv = np.array([-50, -4, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 4, 50.0], dtype=dtype)
        add(f"sigmoid_approximations_{dtype}", [v],
            [sigm.ultra_fast_sigmoid(v), sigm.hard_sigmoid(v)], [vv])

    rng = np.random.RandomState(42)
    xv = rng.randn(4, 3).round(3)
    gv, bv, rmv = (rng.randn(3).round(3) for _ in range(3))
    rvv = rng.rand(3).round(3) + 0.5
    dyv = rng.randn(4, 3).round(3)
    bx, bg, bb, brm, brv, bdy = (T.dmatrix("x"), T.dvector("g"), T.dvector("b"),
                                 T.dvector("rm"), T.dvector("rv"), T.dmatrix("dy"))
    train = bn.batch_normalization_train(bx, bg, bb, "per-activation", 1e-3, 0.3, brm, brv)
    grads = T.grad(None, wrt=[bx, bg, bb], known_grads={train[0]: bdy})
    add("batch_normalization_train", [bx, bg, bb, brm, brv, bdy], list(train) + grads,
        [xv, gv, bv, rmv, rvv, dyv])
    test = bn.batch_normalization_test(bx, bg, bb, brm, brv, "per-activation", 1e-3)
    add("batch_normalization_test", [bx, bg, bb, brm, brv, bdy],
        [test] + T.grad((test * bdy).sum(), [bx, bg, bb, brm, brv]), [xv, gv, bv, rmv, rvv, dyv])
    sc, mu, iv = T.drow("scale"), T.drow("mean"), T.drow("invstd")
    gx, gs, gb = bn.AbstractBatchNormTrainGrad((0,))(bx, bdy, sc, mu, iv)
    cost = ((gx * np.arange(12.0).reshape(4, 3)).sum() + (gs * np.array([[1.0, 2.0, 3.0]])).sum()
            + (gb * np.array([[-1.0, 0.5, 2.0]])).sum())
    add("abstract_batch_norm_train_grad", [bx, bdy, sc, mu, iv],
        [gx, gs, gb] + T.grad(cost, [bx, bdy, sc, mu, iv]),
        [xv, dyv, gv.reshape(1, 3), np.array([[0.1, -0.2, 0.3]]), np.array([[1.5, 0.7, 2.0]])])
    return out


def main():
    import theano

    warnings.simplefilter("ignore")
    write_case_lines(run_cases(theano, cases(theano)))


if __name__ == "__main__":
    main()
