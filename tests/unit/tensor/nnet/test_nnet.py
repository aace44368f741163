"""theano.tensor.nnet: activations, softmax/cross-entropy family, h_softmax, batch
normalization (nnet.bn) and neighbours (nnet.neighbours).

Each function is checked against NumPy written here, its gradient with verify_grad
(float64 and float32), and a set of graphs against Theano 1.0.5's values
(tests/golden/nnet_extra.theano105.json, recorded by tests/golden/make_nnet_extra.py).
"""

import itertools
import json
import os
import sys
import warnings

import numpy as np
import pytest
import theano.tensor as T
import theano.tensor.nnet as nn
from theano.gradient import verify_grad
from theano.tensor.nnet import bn
from theano.tensor.nnet.neighbours import Images2Neibs, Images2NeibsGrad, images2neibs, neibs2images

import theano
from theano_compat.gof.opt import in2out
from theano_compat.graph.fgraph import FunctionGraph

from tests.support.paths import GOLDEN

sys.path.insert(0, GOLDEN)
import make_nnet_extra  # noqa: E402

DTYPES = ["float64", "float32"]


def _f(inputs, outputs):
    return theano.function(inputs, outputs, on_unused_input="ignore")


def _tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- activations


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_ultra_fast_sigmoid(x):
    h = np.abs(0.5 * x)
    z = np.where(h < 1.7, 1.5 * h / (1 + h),
                 np.where(h < 3, 0.935409070603099 + 0.0458812946797165 * (h - 1.7),
                          0.99505475368673))
    return 0.5 * (np.sign(x) * z + 1)


SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
ACTIVATIONS = {
    "sigmoid": (nn.sigmoid, np_sigmoid),
    "ultra_fast_sigmoid": (nn.ultra_fast_sigmoid, np_ultra_fast_sigmoid),
    "hard_sigmoid": (nn.hard_sigmoid, lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    "softplus": (nn.softplus, lambda x: np.log1p(np.exp(x))),
    "softsign": (nn.softsign, lambda x: x / (1 + np.abs(x))),
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu_alpha": (lambda x: nn.relu(x, 0.3), lambda x: np.where(x > 0, x, 0.3 * x)),
    "elu": (nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    "elu_alpha": (lambda x: nn.elu(x, 0.5), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    "selu": (nn.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))),
}
# Points away from the kinks (0 for relu/elu, +-2.5 for hard_sigmoid, +-3.4 and +-6 for
# ultra_fast_sigmoid), so finite differences see a smooth function.
KINK_FREE = np.array([[-7.3, -4.9, -3.1, -1.7, -0.6, -0.13],
                      [0.21, 0.77, 1.9, 2.9, 4.2, 6.6]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_numpy(name, dtype):
    fn, ref = ACTIVATIONS[name]
    x = T.matrix("x", dtype=dtype)
    v = np.linspace(-9, 9, 37).astype(dtype)[None]
    got = _f([x], fn(x))(v)
    tol = dict(rtol=2e-6, atol=2e-7) if dtype == "float32" else dict(rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(got, ref(v.astype("float64")), **tol)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_verify_grad(name, dtype):
    fn = ACTIVATIONS[name][0]
    verify_grad(fn, [KINK_FREE.astype(dtype)], rng=np.random.RandomState(1))


def test_activation_dtypes_follow_theano():
    # Theano 1.0.5 (theano-ref): small integers and float32 give float32 for the
    # piecewise sigmoids; selu's constants make it float64.
    for t, want in [(T.bvector(), "float32"), (T.fvector(), "float32"),
                    (T.ivector(), "float64"), (T.dvector(), "float64")]:
        assert nn.ultra_fast_sigmoid(t).dtype == want
        assert nn.hard_sigmoid(t).dtype == want
    assert nn.selu(T.fvector()).dtype == "float64"
    assert nn.elu(T.fvector()).dtype == "float32"


# ----------------------------------------------------------------------------- softmax family


def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_and_crossentropies_match_numpy(dtype):
    rng = np.random.RandomState(2)
    x, b = T.matrix("x", dtype=dtype), T.vector("b", dtype=dtype)
    y, t = T.lvector("y"), T.matrix("t", dtype=dtype)
    xv = (rng.randn(4, 5) * 3).astype(dtype)
    bv = rng.randn(5).astype(dtype)
    yv = np.array([3, 0, 4, 4])
    tv = rng.dirichlet(np.ones(5), 4).astype(dtype)
    x64, b64 = xv.astype("float64"), bv.astype("float64")
    sm, smb = np_softmax(x64), np_softmax(x64 + b64)
    rows = np.arange(4)
    outs = _f([x, b, y, t], [
        nn.softmax(x), nn.logsoftmax(x), nn.softmax_with_bias(x, b),
        nn.categorical_crossentropy(nn.softmax(x), y),
        nn.categorical_crossentropy(nn.softmax(x), t),
        *nn.crossentropy_softmax_1hot(x, y),
        *nn.crossentropy_softmax_1hot_with_bias(x, b, y),
        *nn.crossentropy_softmax_argmax_1hot_with_bias(x, b, y),
        *nn.crossentropy_softmax_max_and_argmax_1hot_with_bias(x, b, y),
        *nn.crossentropy_softmax_max_and_argmax_1hot(x, y),
        nn.crossentropy_softmax_1hot_with_bias_dx(T.ones_like(x[:, 0]) * 2, nn.softmax(x), y),
    ])(xv, bv, yv, tv)
    nll, nllb = -np.log(sm[rows, yv]), -np.log(smb[rows, yv])
    onehot = np.eye(5)[yv]
    expected = [sm, np.log(sm), smb, nll, -(tv * np.log(sm)).sum(1), nll, sm, nllb, smb, nllb,
                smb, smb.argmax(1), nllb, smb, smb.max(1), smb.argmax(1), nll, sm, sm.max(1),
                sm.argmax(1), (sm - onehot) * 2]
    assert len(outs) == len(expected)
    for k, (got, want) in enumerate(zip(outs, expected)):
        if want.dtype.kind == "i":
            np.testing.assert_array_equal(got, want, err_msg=str(k))
        else:
            assert got.dtype == dtype, k
            np.testing.assert_allclose(got, want, err_msg=str(k), **_tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_crossentropies_match_numpy(dtype):
    rng = np.random.RandomState(3)
    p, t, z = (T.matrix(n, dtype=dtype) for n in "ptz")
    pv = rng.uniform(0.05, 0.95, (3, 4)).astype(dtype)
    tv = rng.uniform(0, 1, (3, 4)).astype(dtype)
    zv = (rng.randn(3, 4) * 4).astype(dtype)
    got = _f([p, t, z], [nn.binary_crossentropy(p, t), nn.sigmoid_binary_crossentropy(z, t)])(
        pv, tv, zv)
    p64, t64, z64 = (v.astype("float64") for v in (pv, tv, zv))
    np.testing.assert_allclose(got[0], -(t64 * np.log(p64) + (1 - t64) * np.log1p(-p64)),
                               **_tol(dtype))
    s = np_sigmoid(z64)
    np.testing.assert_allclose(got[1], -(t64 * np.log(s) + (1 - t64) * np.log1p(-s)),
                               **_tol(dtype))


# (function, input specs): fixed integer labels are closed over
LABELS = np.array([2, 0, 3])
SOFTMAX_GRAD_CASES = {
    "softmax": (nn.softmax, [(3, 4)]),
    "logsoftmax": (nn.logsoftmax, [(3, 4)]),
    "softmax_with_bias": (nn.softmax_with_bias, [(3, 4), (4,)]),
    "categorical_int": (lambda x: nn.categorical_crossentropy(nn.softmax(x), LABELS), [(3, 4)]),
    "categorical_onehot": (lambda x, t: nn.categorical_crossentropy(nn.softmax(x), nn.softmax(t)),
                           [(3, 4), (3, 4)]),
    "crossentropy_softmax_1hot": (lambda x: nn.crossentropy_softmax_1hot(x, LABELS)[0],
                                  [(3, 4)]),
    "crossentropy_softmax_1hot_with_bias": (
        lambda x, b: nn.crossentropy_softmax_1hot_with_bias(x, b, LABELS)[0], [(3, 4), (4,)]),
    "crossentropy_softmax_argmax_1hot_with_bias": (
        lambda x, b: nn.crossentropy_softmax_argmax_1hot_with_bias(x, b, LABELS)[1],
        [(3, 4), (4,)]),
    "crossentropy_softmax_max_and_argmax_1hot": (
        lambda x: nn.crossentropy_softmax_max_and_argmax_1hot(x, LABELS)[2], [(3, 4)]),
    "binary_crossentropy": (lambda p, t: nn.binary_crossentropy(nn.sigmoid(p), nn.sigmoid(t)),
                            [(3, 4), (3, 4)]),
    "sigmoid_binary_crossentropy": (
        lambda z, t: nn.sigmoid_binary_crossentropy(z, nn.sigmoid(t)), [(3, 4), (3, 4)]),
    "prepend_scalar_to_each_row": (lambda s, m: nn.prepend_scalar_to_each_row(s, m) ** 2,
                                   [(), (3, 4)]),
    "prepend_1_to_each_row": (lambda m: nn.prepend_1_to_each_row(m) * 3, [(3, 4)]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(SOFTMAX_GRAD_CASES))
def test_softmax_family_verify_grad(name, dtype):
    fn, shapes = SOFTMAX_GRAD_CASES[name]
    rng = np.random.RandomState(4)
    verify_grad(fn, [rng.uniform(-2, 2, s).astype(dtype) for s in shapes], rng=rng)


def test_prepend_and_confusion_matrix():
    x = T.dmatrix("x")
    xv = np.arange(6.0).reshape(2, 3)
    got = _f([x], [nn.prepend_0_to_each_row(x), nn.prepend_1_to_each_row(x),
                   nn.prepend_scalar_to_each_row(2.5, x)])(xv)
    for k, value in enumerate([0.0, 1.0, 2.5]):
        np.testing.assert_array_equal(got[k], np.hstack([np.full((2, 1), value), xv]))
    a, p = T.lvector("a"), T.lvector("p")
    av, pv = np.array([0, 1, 2, 1, 5, 2]), np.array([0, 2, 2, 3, 1, 0])
    conf, order = _f([a, p], list(nn.confusion_matrix(a, p)))(av, pv)
    labels = np.unique(np.concatenate([av, pv]))
    np.testing.assert_array_equal(order, labels)
    expected = np.array([[np.sum((av == i) & (pv == j)) for j in labels] for i in labels])
    np.testing.assert_array_equal(conf, expected)
    assert conf.dtype == np.int64
    with pytest.raises(ValueError, match="1-d"):
        nn.confusion_matrix(T.lmatrix(), p)


def test_graph_merge_softmax_with_crossentropy_softmax_reuses_the_xent_softmax():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    nll, sm, _ = nn.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    other = nn.softmax_with_bias(x, b)
    fg = FunctionGraph([x, b, y], [nll, other * 2.0])
    in2out(nn.graph_merge_softmax_with_crossentropy_softmax).optimize(fg)
    assert not any(isinstance(n.op, nn.SoftmaxWithBias) for n in fg.toposort())
    sm_used = fg.outputs[1].owner.inputs[0]
    assert isinstance(sm_used.owner.op, nn.CrossentropySoftmaxArgmax1HotWithBias)
    assert sm_used is sm_used.owner.outputs[1]


# ----------------------------------------------------------------------------- h_softmax


def np_h_softmax(x, n_outputs, W1, b1, W2, b2, target=None):
    class_probs = np_softmax(x.dot(W1) + b1)
    n_classes, _, per = W2.shape
    inner = np_softmax(np.einsum("bi,cio->bco", x, W2) + b2)
    probs = (class_probs[:, :, None] * inner).reshape(len(x), n_classes * per)[:, :n_outputs]
    if target is None:
        return probs
    return probs[np.arange(len(x)), target]


@pytest.mark.parametrize("dtype", DTYPES)
def test_h_softmax(dtype):
    rng = np.random.RandomState(5)
    batch, n_in, n_classes, per, n_out = 4, 5, 3, 4, 11
    vals = [rng.randn(batch, n_in), rng.randn(n_in, n_classes), rng.randn(n_classes),
            rng.randn(n_classes, n_in, per), rng.randn(n_classes, per)]
    vals = [v.astype(dtype) for v in vals]
    X, W1, b1, W2, b2 = (T.TensorType(dtype, (False,) * v.ndim)() for v in vals)
    tg = T.lvector("tg")
    tv = np.array([0, 10, 5, 3])
    full = nn.h_softmax(X, batch, n_out, n_classes, per, W1, b1, W2, b2)
    one = nn.h_softmax(X, batch, n_out, n_classes, per, W1, b1, W2, b2, tg)
    got_full, got_one = _f([X, W1, b1, W2, b2, tg], [full, one])(*vals, tv)
    v64 = [v.astype("float64") for v in vals]
    np.testing.assert_allclose(got_full, np_h_softmax(v64[0], n_out, *v64[1:]), **_tol(dtype))
    np.testing.assert_allclose(got_one, np_h_softmax(v64[0], n_out, *v64[1:], target=tv),
                               **_tol(dtype))
    assert got_full.shape == (batch, n_out) and got_one.dtype == dtype
    verify_grad(lambda *p: nn.h_softmax(p[0], batch, n_out, n_classes, per, *p[1:], target=tv),
                vals, rng=rng)
    verify_grad(lambda *p: nn.h_softmax(p[0], batch, n_out, n_classes, per, *p[1:]), vals,
                rng=rng)


# ----------------------------------------------------------------------------- batch norm

AXES = {"per-activation": (0,), "spatial": (0, 2, 3), (0, 2): (0, 2), (1,): (1,)}


def _param_shape(shape, axes):
    return tuple(1 if a in axes else s for a, s in enumerate(shape))


@pytest.mark.parametrize("axes", list(AXES), ids=str)
def test_batch_normalization_train_and_test_match_numpy(axes):
    rng = np.random.RandomState(6)
    shape = (5, 3, 2, 4)
    red = AXES[axes]
    pshape = _param_shape(shape, red)
    bc = tuple(s == 1 for s in pshape)
    x = T.dtensor4("x")
    g, b, rm, rv = (T.TensorType("float64", bc)(n) for n in ("g", "b", "rm", "rv"))
    xv = rng.randn(*shape) * 2 + 1
    gv, bv, rmv = rng.rand(*pshape) + 0.5, rng.randn(*pshape), rng.randn(*pshape)
    rvv = rng.rand(*pshape) + 0.5
    outs = bn.batch_normalization_train(x, g, b, axes, 2e-3, 0.3, rm, rv)
    assert [o.broadcastable for o in outs[1:]] == [bc] * 4
    test = bn.batch_normalization_test(x, g, b, rm, rv, axes, 2e-3)
    got = _f([x, g, b, rm, rv], list(outs) + [test])(xv, gv, bv, rmv, rvv)
    mean = xv.mean(axis=red, keepdims=True)
    var = xv.var(axis=red, keepdims=True)
    m = np.prod([shape[a] for a in red])
    invstd = 1 / np.sqrt(var + 2e-3)
    expected = [(xv - mean) * invstd * gv + bv, mean, invstd, rmv * 0.7 + mean * 0.3,
                rvv * 0.7 + var * m / (m - 1) * 0.3, (xv - rmv) * gv / np.sqrt(rvv + 2e-3) + bv]
    for k, (a, e) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, e, rtol=1e-12, atol=1e-12, err_msg=str(k))


def test_batch_normalization_reduced_params_and_defaults():
    rng = np.random.RandomState(7)
    x = T.ftensor4("x")
    g, b = T.fvector("g"), T.fvector("b")
    xv = rng.randn(4, 3, 2, 2).astype("float32")
    gv, bv = rng.rand(3).astype("float32") + 0.5, rng.randn(3).astype("float32")
    outs = bn.batch_normalization_train(x, g, b, "spatial")
    assert len(outs) == 3 and [o.type.ndim for o in outs] == [4, 1, 1]
    assert all(o.dtype == "float32" for o in outs)
    out, mean, invstd = _f([x, g, b], list(outs))(xv, gv, bv)
    mu = xv.mean(axis=(0, 2, 3))
    inv = 1 / np.sqrt(xv.var(axis=(0, 2, 3)) + 1e-4)
    np.testing.assert_allclose(mean, mu, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(invstd, inv, rtol=1e-5)
    np.testing.assert_allclose(
        out, (xv - mu[:, None, None]) * (gv * inv)[:, None, None] + bv[:, None, None],
        rtol=1e-5, atol=1e-5)


def test_batch_normalization_elementwise():
    rng = np.random.RandomState(8)
    m, v = T.dmatrix("m"), T.dvector("v")
    mv, vv = rng.randn(3, 4), rng.rand(4) + 0.5
    for mode in ("low_mem", "high_mem"):
        got = _f([m, v], bn.batch_normalization(m, v, v * 2, v - 1, v + 2, mode=mode))(mv, vv)
        np.testing.assert_allclose(got, (mv - (vv - 1)) * (vv / (vv + 2)) + 2 * vv)
    assert nn.batch_normalization is bn.batch_normalization


def test_batch_normalization_bad_arguments():
    x, g = T.dtensor4(), T.dvector()
    with pytest.raises(ValueError, match="epsilon must be at least 1e-5"):
        bn.batch_normalization_train(x, g, g, "spatial", epsilon=1e-6)
    with pytest.raises(ValueError, match="invalid axes"):
        bn.batch_normalization_train(x, g, g, "bad")
    with pytest.raises(ValueError, match="both be given or both be None"):
        bn.batch_normalization_train(x, g, g, "spatial", running_mean=g)
    with pytest.raises(ValueError, match="dimensions"):
        bn.batch_normalization_train(x, g, T.dmatrix(), "spatial")
    with pytest.raises(ValueError, match='"low_mem", "high_mem"'):
        bn.batch_normalization(x, x, x, x, x, mode="fast")


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_normalization_verify_grad(dtype):
    rng = np.random.RandomState(9)
    shape = (4, 3, 2, 2)
    pshape = (1, 3, 1, 1)
    bc = (True, False, True, True)
    w = rng.randn(*shape)

    def train(x, g, b):
        g, b = T.patternbroadcast(g, bc), T.patternbroadcast(b, bc)
        out, mean, invstd = bn.batch_normalization_train(x, g, b, "spatial", 1e-3)
        return out * w + mean * 2 + invstd  # every output contributes

    def test(x, g, b, m, v):
        g, b, m, v = (T.patternbroadcast(p, bc) for p in (g, b, m, v))
        return bn.batch_normalization_test(x, g, b, m, v, "spatial", 1e-3)

    vals = [rng.randn(*shape), rng.rand(*pshape) + 0.5, rng.randn(*pshape)]
    vals = [v.astype(dtype) for v in vals]
    # float32 finite differences of a normalisation carry ~5e-3 of rounding noise
    tol = 1e-2 if dtype == "float32" else None
    verify_grad(train, vals, rng=rng, abs_tol=tol, rel_tol=tol)
    more = [rng.randn(*pshape).astype(dtype), (rng.rand(*pshape) + 0.5).astype(dtype)]
    verify_grad(test, vals + more, rng=rng, abs_tol=tol, rel_tol=tol)


# ----------------------------------------------------------------------------- neighbours


def np_images2neibs(x, shape, step, mode):
    b, c, h, w = x.shape
    (nh, nw), (sh, sw) = shape, step
    if mode == "wrap_centered":
        rows = [[(r + d - nh // 2) % h for d in range(nh)] for r in range(0, h, sh)]
        cols = [[(q + d - nw // 2) % w for d in range(nw)] for q in range(0, w, sw)]
        padded = x
    else:
        ph, pw = {"half": (nh // 2, nw // 2), "full": (nh - 1, nw - 1)}.get(mode, (0, 0))
        padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        rows = [list(range(r, r + nh)) for r in range(0, h + 2 * ph - nh + 1, sh)]
        cols = [list(range(q, q + nw)) for q in range(0, w + 2 * pw - nw + 1, sw)]
    out = [padded[i, j][np.ix_(rr, cc)].ravel()
           for i, j, rr, cc in itertools.product(range(b), range(c), rows, cols)]
    return np.array(out).reshape(-1, nh * nw)


NEIB_CASES = [
    ((2, 5), None, "valid"), ((3, 3), (3, 2), "valid"), ((2, 2), (1, 1), "valid"),
    ((2, 2), None, "ignore_borders"), ((4, 2), (1, 3), "ignore_borders"),
    ((3, 3), (1, 1), "wrap_centered"), ((3, 1), (2, 2), "wrap_centered"),
    ((5, 3), (4, 3), "wrap_centered"), ((3, 3), (1, 2), "half"), ((2, 2), (1, 1), "half"),
    ((2, 3), (1, 2), "full"), ((3, 3), (7, 3), "full"),
]


@pytest.mark.parametrize("shape,step,mode", NEIB_CASES)
def test_images2neibs_matches_numpy(shape, step, mode):
    x = T.dtensor4("x")
    v = np.arange(2 * 2 * 6 * 5, dtype="float64").reshape(2, 2, 6, 5) ** 1.2
    y = images2neibs(x, shape, step, mode=mode)
    got, shp = _f([x], [y, y.shape])(v)
    np.testing.assert_array_equal(got, np_images2neibs(v, shape, step or shape, mode))
    assert tuple(shp) == got.shape


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,step,mode", NEIB_CASES)
def test_images2neibs_verify_grad(shape, step, mode, dtype):
    rng = np.random.RandomState(10)
    v = rng.randn(1, 2, 6, 5).astype(dtype)
    verify_grad(lambda x: images2neibs(x, shape, step, mode=mode), [v], rng=rng)


def test_images2neibs_grad_is_the_transpose():
    # <images2neibs(x), u> == <x, Images2NeibsGrad(u)> for every mode (wrap-around too).
    rng = np.random.RandomState(11)
    x = T.dtensor4("x")
    xv = rng.randn(2, 1, 6, 5)
    for shape, step, mode in NEIB_CASES:
        y = images2neibs(x, shape, step, mode=mode)
        u = T.dmatrix("u")
        back = Images2NeibsGrad(mode)(u, x, shape, step or shape)
        yv = _f([x], y)(xv)
        uv = rng.randn(*yv.shape)
        np.testing.assert_allclose(np.sum(yv * uv), np.sum(xv * _f([u, x], back)(uv, xv)),
                                   rtol=1e-10, err_msg=mode)


def test_images2neibs_symbolic_shape_and_float32():
    x = T.ftensor4("x")
    ns, st = T.lvector("ns"), T.lvector("st")
    y = images2neibs(x, ns, st, mode="ignore_borders")
    assert y.dtype == "float32" and y.ndim == 2
    v = np.arange(60, dtype="float32").reshape(1, 2, 6, 5)
    got, shp = _f([x, ns, st], [y, y.shape])(v, [3, 2], [2, 2])
    np.testing.assert_array_equal(got, np_images2neibs(v, (3, 2), (2, 2), "ignore_borders"))
    assert tuple(shp) == got.shape


def test_images2neibs_errors():
    x = T.dtensor4("x")
    v = np.zeros((1, 1, 5, 4))
    with pytest.raises(TypeError, match="not consistent"):
        _f([x], images2neibs(x, (2, 2)))(v)
    with pytest.raises(TypeError, match="odd shapes"):
        _f([x], images2neibs(x, (2, 3), mode="wrap_centered"))(v)
    with pytest.raises(NotImplementedError, match="Only modes"):
        images2neibs(x, (2, 2), mode="reflect")
    with pytest.raises(TypeError, match="2 elements"):
        images2neibs(x, (2, 2, 2))
    with pytest.raises(TypeError, match="4-d"):
        images2neibs(T.dtensor3(), (2, 2))
    assert str(Images2Neibs("half")) == "Images2Neibs{half}"


def test_neibs2images_round_trip():
    x = T.dtensor4("x")
    v = np.arange(2 * 3 * 6 * 5, dtype="float64").reshape(2, 3, 6, 5)
    for shape in [(2, 5), (3, 1), (1, 1), (6, 5)]:
        back = neibs2images(images2neibs(x, shape), shape, x.shape)
        np.testing.assert_array_equal(_f([x], back)(v), v)
    back = neibs2images(images2neibs(x, (4, 2), mode="ignore_borders"), (4, 2), x.shape,
                        mode="ignore_borders")
    expected = np.zeros_like(v)
    expected[:, :, :4, :4] = v[:, :, :4, :4]
    np.testing.assert_array_equal(_f([x], back)(v), expected)
    n = T.dmatrix("n")
    verify_grad(lambda m: neibs2images(m, (2, 3), (1, 2, 4, 6)), [np.random.rand(8, 6)],
                rng=np.random.RandomState(12))
    with pytest.raises(NotImplementedError, match="wrap_centered"):
        neibs2images(n, (3, 3), (1, 1, 3, 3), mode="wrap_centered")


# ----------------------------------------------------------------------------- golden


with open(os.path.join(GOLDEN, "nnet_extra.theano105.json")) as _fh:
    GOLDEN_RECORD = json.load(_fh)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    GOLDEN_CASES = make_nnet_extra.cases(theano)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_matches_theano_105(name):
    inputs, outputs, values = GOLDEN_CASES[name]
    results = _f(inputs, outputs)(*values)
    expected = GOLDEN_RECORD[name]
    assert len(results) == len(expected)
    for k, (got, rec) in enumerate(zip(results, expected)):
        want = np.array(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])
        got = np.asarray(got)
        assert got.shape == want.shape, (name, k)
        # Theano 1.0.5's grad returned float64 for a float32 input when the cost was
        # float64 (relu with a float alpha, selu); our grad keeps the input's dtype.
        assert got.dtype == want.dtype or (
            name.endswith("float32") and rec["declared"] == "float64"), (name, k, got.dtype)
        tol = 2e-6 if "float32" in (got.dtype, want.dtype) or name.endswith("float32") \
            else 1e-10
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=f"{name}[{k}]")


# ----------------------------------------------------------------------------- CuPy path


def test_neighbours_and_bn_run_on_the_cupy_code_path(monkeypatch):
    """Images2Neibs and its gradient run on the (fake) CuPy module and agree with NumPy,
    in every mode; batch normalization too."""
    fake_cupy = pytest.importorskip("tests.support.fake_cupy")
    from theano_compat import backend
    fake_cupy.install(monkeypatch)
    seen = set()
    for cls in (Images2Neibs, Images2NeibsGrad):
        def recording(self, xp, *args, _impl=cls.impl, _name=cls.__name__):
            seen.add((_name, xp.__name__))
            return _impl(self, xp, *args)
        monkeypatch.setattr(cls, "impl", recording)
    x = T.dtensor4("x")
    v = np.random.RandomState(13).randn(2, 2, 6, 5)
    outs = [neibs2images(images2neibs(x, (2, 5)), (2, 5), x.shape)]
    for shape, step, mode in NEIB_CASES:
        nb = images2neibs(x, shape, step, mode=mode)
        outs += [nb, T.grad((nb ** 2).sum(), x)]
    g = T.TensorType("float64", (True, False, True, True))("g")
    trained = bn.batch_normalization_train(x, g, g, "spatial", 1e-3, 0.2, g, g)
    outs += list(trained) + [T.grad((trained[0] ** 2).sum(), x)]
    gv = np.full((1, 2, 1, 1), 0.7)
    want = _f([x, g], outs)(v, gv)
    with backend.using("cuda0"):
        got = _f([x, g], outs)(v, gv)
    for k, (a, b) in enumerate(zip(got, want)):
        np.testing.assert_allclose(backend.to_host(a), b, rtol=1e-12, atol=1e-12,
                                   err_msg=str(k))
    assert {name for name, xp in seen if xp == "cupy"} == {"Images2Neibs", "Images2NeibsGrad"}


# ----------------------------------------------------------------------------- rewrites
# Theano's rewrites of theano.tensor.nnet.nnet as optimizer objects: each is applied to a
# graph, the Ops it should leave are checked, and the rewritten graph computes the same
# values.

nnm = nn.nnet  # the module holding the rewrites (theano.tensor.nnet.nnet)
_RX = np.array([[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.75, 3.0], [-2.0, 1.0, 0.5, 0.125]])
_RB = np.array([0.1, -0.2, 0.3, 0.0])
_RY = np.array([2, 0, 1])


def _apply(lopts, inputs, outputs):
    fg = FunctionGraph(inputs, outputs)
    for lopt in lopts:
        (in2out(lopt) if not hasattr(lopt, "apply") else lopt).optimize(fg)
    return fg


def _same_values(fg, inputs, outputs, values):
    got = theano.function(fg.inputs, fg.outputs, on_unused_input="ignore")(*values)
    want = theano.function(inputs, outputs, on_unused_input="ignore")(*values)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def _op_types(fg):
    return {type(n.op).__name__ for n in fg.toposort()}


def test_local_softmax_with_bias_and_xent_merge():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    sm = nn.softmax(x + b)
    cost = nn.crossentropy_categorical_1hot(sm, y)
    outs = [cost, sm]
    fg = _apply([nnm.local_softmax_with_bias], [x, b, y], outs)
    assert "SoftmaxWithBias" in _op_types(fg) and "Softmax" not in _op_types(fg)
    _same_values(fg, [x, b, y], outs, [_RX, _RB, _RY])
    nn.crossentropy_to_crossentropy_with_softmax_with_bias.optimize(fg)
    kinds = _op_types(fg)
    assert "CrossentropySoftmaxArgmax1HotWithBias" in kinds
    assert "CrossentropyCategorical1Hot" not in kinds and "SoftmaxWithBias" not in kinds
    _same_values(fg, [x, b, y], outs, [_RX, _RB, _RY])
    # the plain-softmax version gives a zero bias
    fg = _apply([nn.crossentropy_to_crossentropy_with_softmax], [x, y],
                [nn.crossentropy_categorical_1hot(nn.softmax(x), y)])
    assert "CrossentropySoftmaxArgmax1HotWithBias" in _op_types(fg)
    _same_values(fg, [x, y], [nn.crossentropy_categorical_1hot(nn.softmax(x), y)], [_RX, _RY])


def test_softmax_grad_to_xent_grad_and_advanced_indexing_forms():
    x, y = T.matrix(), T.lvector()
    sm = nn.softmax(x)
    g = T.grad(nn.crossentropy_categorical_1hot(sm, y).sum(), x)
    fg = _apply([nnm.local_softmax_grad_to_crossentropy_with_softmax_grad], [x, y], [g])
    assert "CrossentropySoftmax1HotWithBiasDx" in _op_types(fg)
    _same_values(fg, [x, y], [g], [_RX, _RY])
    rows = T.arange(y.shape[0])
    for cost in (-T.log(sm)[rows, y], -T.log(sm[rows, y])):
        fg = _apply([nnm.local_advanced_indexing_crossentropy_onehot], [x, y], [cost])
        assert "CrossentropySoftmaxArgmax1HotWithBias" in _op_types(fg)
        _same_values(fg, [x, y], [cost], [_RX, _RY])
    g = T.grad((-T.log(sm[rows, y])).sum(), x)
    fg = _apply([nnm.local_advanced_indexing_crossentropy_onehot_grad], [x, y], [g])
    assert "CrossentropySoftmax1HotWithBiasDx" in _op_types(fg)
    assert "SoftmaxGrad" not in _op_types(fg)
    _same_values(fg, [x, y], [g], [_RX, _RY])
    # rows that are not arange(len(labels)): left alone
    other = -T.log(sm)[y, y]
    fg = _apply([nnm.local_advanced_indexing_crossentropy_onehot], [x, y], [other])
    assert "CrossentropySoftmaxArgmax1HotWithBias" not in _op_types(fg)


def test_local_logsoftmax_rewrites_and_softmax_simplifier():
    x = T.matrix()
    fg = _apply([nnm.local_logsoftmax], [x], [T.log(nn.softmax(x))])
    assert _op_types(fg) == {"LogSoftmax"}
    _same_values(fg, [x], [T.log(nn.softmax(x))], [_RX])
    g = T.grad((T.log(nn.softmax(x)) * _RX).sum(), x)
    fg = _apply([nnm.local_logsoftmax_grad], [x], [g])
    assert "SoftmaxGrad" not in _op_types(fg)
    _same_values(fg, [x], [g], [_RX])
    e = T.exp(x)
    den = T.sum(e, axis=1).dimshuffle(0, "x")
    nums, dens = nn.softmax_simplifier([e], [den])
    assert dens == [] and len(nums) == 1 and isinstance(nums[0].owner.op, nn.Softmax)
    assert nums[0].owner.inputs[0] is x
    assert nn.softmax_simplifier([e], [T.sum(e, axis=0).dimshuffle("x", 0)])[0] == [e]


def test_local_argmax_pushdown():
    x, b = T.matrix(), T.vector()
    for sm, pre in ((nn.softmax(T.exp(x)), "x"), (nn.softmax_with_bias(x, b), "x+b")):
        am = T.max_and_argmax(sm, axis=-1)[1]
        fg = _apply([nnm.local_argmax_pushdown], [x, b], [am])
        src = fg.outputs[0].owner.inputs[0]
        assert src.owner is None or not isinstance(
            src.owner.op, (nn.Softmax, nn.SoftmaxWithBias)), pre
        _same_values(fg, [x, b], [am], [_RX, _RB])
    # the max is used: no pushdown
    m, a = T.max_and_argmax(nn.softmax(x), axis=-1)
    fg = _apply([nnm.local_argmax_pushdown], [x], [m, a])
    assert "Softmax" in _op_types(fg)


def test_local_useless_xent_dx_alloc():
    sm, y, g = T.matrix(), T.lvector(), T.scalar()
    dx = nn.crossentropy_softmax_1hot_with_bias_dx(T.alloc(g, y.shape[0]), sm, y)
    fg = _apply([nnm.local_useless_crossentropy_softmax_1hot_with_bias_dx_alloc], [g, sm, y],
                [dx])
    assert "Alloc" not in _op_types(fg)
    assert fg.outputs[0].owner.inputs[0].type.ndim == 0
    _same_values(fg, [g, sm, y], [dx], [np.asarray(1.5), np_softmax(_RX), _RY])
