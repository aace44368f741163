"""Record Theano 1.0.5's results for theano.tensor.nnet (activations, softmax and
cross-entropies, h_softmax, batch normalization, neighbours); tests/unit/tensor/nnet/test_nnet.py
compares ours to them.

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_nnet_extra.py \
        > $REPO/tests/golden/nnet_extra.theano105.json

`cases(theano)` builds every case with whichever `theano` package it is given.  Each
case is (inputs, outputs, values); the JSON holds each output's dtype, shape and
flattened values.  Gradients are recorded only where Theano 1.0.5 computed them
correctly (its batch_normalization_train gradient through the returned mean/invstd
disagrees with finite differences, and ultra_fast_sigmoid had no gradient).
"""

import warnings

import numpy as np
from _record import run_cases, write_case_lines


def cases(theano):
    import theano.tensor as T
    import theano.tensor.nnet as nn
    from theano.tensor.nnet import bn
    from theano.tensor.nnet.neighbours import images2neibs, neibs2images

    rng = np.random.RandomState(0)
    out = {}

    def add(name, inputs, outputs, values):
        out[name] = (inputs, outputs, values)

    # activations, float64 and float32
    for dtype in ("float64", "float32"):
        x = T.TensorType(dtype, (False, False))("x")
        xv = np.linspace(-7.5, 8.0, 24).reshape(4, 6).astype(dtype)
        wv = rng.uniform(-1, 1, (4, 6)).astype(dtype)
        acts = {
            "sigmoid": nn.sigmoid, "softplus": nn.softplus, "softsign": nn.softsign,
            "hard_sigmoid": nn.hard_sigmoid, "relu": nn.relu,
            "relu_alpha": lambda v: nn.relu(v, 0.1), "elu": nn.elu,
            "elu_alpha": lambda v: nn.elu(v, 0.5), "selu": nn.selu,
        }
        outs = []
        for fn in acts.values():
            y = fn(x)
            outs += [y, T.grad((y * wv).sum(), x)]
        outs.append(nn.ultra_fast_sigmoid(x))
        add(f"activations_{dtype}", [x], outs, [xv])
        p, t = T.TensorType(dtype, (False, False))("p"), T.TensorType(dtype, (False, False))("t")
        pv = rng.uniform(0.05, 0.95, (4, 6)).astype(dtype)
        tv = rng.uniform(0, 1, (4, 6)).astype(dtype)
        bce = nn.binary_crossentropy(p, t)
        sbce = nn.sigmoid_binary_crossentropy(x, t)
        add(f"binary_crossentropy_{dtype}", [p, t, x],
            [bce, T.grad(bce.sum(), p), T.grad(bce.sum(), t), sbce, T.grad(sbce.sum(), x),
             T.grad(sbce.sum(), t)], [pv, tv, xv])

    # softmax family and categorical cross-entropies
    x, b = T.dmatrix("x"), T.dvector("b")
    y, onehot = T.lvector("y"), T.dmatrix("onehot")
    xv = rng.randn(4, 5) * 2
    bv = rng.randn(5)
    yv = np.array([3, 0, 4, 4])
    ohv = np.eye(5)[yv] * 0.8 + 0.04
    wv = rng.randn(4, 5)
    sm, lsm = nn.softmax(x), nn.logsoftmax(x)
    cce_int = nn.categorical_crossentropy(nn.softmax(x), y)
    cce_hot = nn.categorical_crossentropy(nn.softmax(x), onehot)
    nll, sm1 = nn.crossentropy_softmax_1hot(x, y)
    nll_b, sm_b = nn.crossentropy_softmax_1hot_with_bias(x, b, y)
    nll_a, sm_a, am = nn.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    mx = nn.crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y)
    add("softmax_family", [x, b, y, onehot],
        [sm, T.grad((sm * wv).sum(), x), lsm, T.grad((lsm * wv).sum(), x),
         nn.softmax(b), nn.softmax_with_bias(x, b),
         T.grad((nn.softmax_with_bias(x, b) * wv).sum(), b),
         cce_int, T.grad(cce_int.sum(), x), cce_hot, T.grad(cce_hot.sum(), x),
         T.grad(cce_hot.sum(), onehot), nll, sm1, T.grad(nll.sum(), x), nll_b, sm_b,
         T.grad(nll_b.sum(), b), nll_a, sm_a, am, mx[0], mx[1], mx[2], mx[3],
         nn.crossentropy_softmax_max_and_argmax_1hot(x, y)[2],
         nn.crossentropy_softmax_1hot_with_bias_dx(T.ones_like(nll), sm, y),
         nn.softmax_graph(x), nn.prepend_scalar_to_each_row(b[0], x),
         nn.prepend_0_to_each_row(x)],
        [xv, bv, yv, ohv])
    # In its own function: Theano's merge pass confused the 0- and 1-prepending ops.
    add("prepend_1_to_each_row", [x], [nn.prepend_1_to_each_row(x)], [xv])
    a, pr = T.lvector("a"), T.lvector("pr")
    add("confusion_matrix", [a, pr], list(nn.confusion_matrix(a, pr)),
        [np.array([0, 1, 2, 1, 5, 2, 2]), np.array([0, 2, 2, 3, 1, 2, 0])])

    # hierarchical softmax
    n_in, n_classes, per, n_out, batch = 5, 3, 4, 10, 4
    X, W1, b1, W2, b2 = T.dmatrix("X"), T.dmatrix("W1"), T.dvector("b1"), T.dtensor3("W2"), \
        T.dmatrix("b2")
    tg = T.lvector("tg")
    full = nn.h_softmax(X, batch, n_out, n_classes, per, W1, b1, W2, b2)
    one = nn.h_softmax(X, batch, n_out, n_classes, per, W1, b1, W2, b2, tg)
    params = [X, W1, b1, W2, b2]
    add("h_softmax", params + [tg],
        [full, one] + T.grad(T.log(one).sum(), params)
        + T.grad((full * rng.randn(batch, n_out)).sum(), params),
        [rng.randn(batch, n_in), rng.randn(n_in, n_classes), rng.randn(n_classes),
         rng.randn(n_classes, n_in, per), rng.randn(n_classes, per), np.array([0, 9, 5, 3])])

    # batch normalization
    x4 = T.dtensor4("x4")
    x4v = rng.randn(5, 3, 2, 4)
    w4 = rng.randn(5, 3, 2, 4)
    for axes, shape in (("per-activation", (1, 3, 2, 4)), ("spatial", (1, 3, 1, 1)),
                        ((0, 2), (1, 3, 1, 4))):
        bc = tuple(s == 1 for s in shape)
        g, be, rm, rv = (T.TensorType("float64", bc)(n) for n in ("g", "be", "rm", "rv"))
        outs = bn.batch_normalization_train(x4, g, be, axes, 2e-3, 0.3, rm, rv)
        test = bn.batch_normalization_test(x4, g, be, rm, rv, axes, 2e-3)
        grads = T.grad((outs[0] * w4).sum(), [x4, g, be])
        tgrads = T.grad((test * w4).sum(), [x4, g, be, rm, rv])
        name = axes if isinstance(axes, str) else "axes_0_2"
        add(f"bn_{name}", [x4, g, be, rm, rv], list(outs) + grads + [test] + tgrads,
            [x4v, rng.rand(*shape) + 0.5, rng.randn(*shape), rng.randn(*shape),
             rng.rand(*shape) + 0.5])
    g1, be1 = T.dvector("g1"), T.dvector("be1")
    outs = bn.batch_normalization_train(x4, g1, be1, "spatial")
    add("bn_vector_params", [x4, g1, be1],
        list(outs) + T.grad((outs[0] * w4).sum(), [x4, g1, be1]),
        [x4v, rng.rand(3) + 0.5, rng.randn(3)])
    m, vm = T.dmatrix("m"), T.dvector("vm")
    out_bn = bn.batch_normalization(m, vm, vm * 2, vm - 1, vm + 2)
    out_hm = bn.batch_normalization(m, vm, vm * 2, vm - 1, vm + 2, mode="high_mem")
    add("batch_normalization", [m, vm], [out_bn, out_hm, T.grad(out_bn.sum(), [m, vm])[1]],
        [rng.randn(3, 4), rng.rand(4) + 0.5])

    # neighbours
    im = T.dtensor4("im")
    imv = np.arange(1.0, 1.0 + 2 * 2 * 6 * 5).reshape(2, 2, 6, 5) ** 1.3
    outs = [
        images2neibs(im, (2, 5)), images2neibs(im, (3, 3), (3, 2)),
        images2neibs(im, (2, 2), mode="ignore_borders"),
        images2neibs(im, (4, 2), (1, 3), mode="ignore_borders"),
        images2neibs(im, (3, 3), (1, 1), mode="wrap_centered"),
        images2neibs(im, (3, 1), (2, 2), mode="wrap_centered"),
        images2neibs(im, (3, 3), (1, 2), mode="half"),
        images2neibs(im, (2, 2), (1, 1), mode="half"),
        images2neibs(im, (2, 3), (1, 2), mode="full"),
    ]
    grads = [T.grad((images2neibs(im, (3, 3), (3, 2)) ** 2).sum(), im),
             T.grad((images2neibs(im, (2, 2), (1, 1)) ** 2).sum(), im),
             T.grad((images2neibs(im, (2, 2), mode="ignore_borders") ** 2).sum(), im)]
    nb_in = T.dmatrix("nb")
    valid = images2neibs(im, (2, 5))
    back = neibs2images(valid, (2, 5), im.shape)
    back_ib = neibs2images(images2neibs(im, (4, 2), mode="ignore_borders"), (4, 2), im.shape,
                           mode="ignore_borders")
    add("neighbours", [im], outs + grads + [back, back_ib], [imv])
    add("neibs2images", [nb_in], [neibs2images(nb_in, (2, 3), (1, 2, 4, 6)),
                                  T.grad((neibs2images(nb_in, (2, 3), (1, 2, 4, 6)) ** 2).sum(),
                                         nb_in)],
        [np.arange(48.0).reshape(8, 6) ** 1.1])
    return out


def main():
    import theano

    warnings.simplefilter("ignore")
    write_case_lines(run_cases(theano, cases(theano)))


if __name__ == "__main__":
    main()
