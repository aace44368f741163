"""The softmax / 1-hot cross-entropy Ops of theano.tensor.nnet (crossentropy.py, exported by
theano.tensor.nnet.nnet): SoftmaxWithBias, CrossentropySoftmaxArgmax1HotWithBias,
CrossentropySoftmax1HotWithBiasDx and the prepend Ops.

Values and gradients are compared with Theano 1.0.5's (tests/golden/nnet_ops.theano105.json,
recorded by tests/golden/make_nnet_ops.py) and with NumPy written here.
"""

import json
import os
import sys
import warnings

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import nnet

import theano

from tests.support.paths import GOLDEN
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

sys.path.insert(0, GOLDEN)
import make_nnet_ops  # noqa: E402

with open(os.path.join(GOLDEN, "nnet_ops.theano105.json")) as _fh:
    GOLDEN_RECORD = json.load(_fh)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    GOLDEN_CASES = make_nnet_ops.cases(theano)


def check_golden(name, rtol=1e-10):
    inputs, outputs, values = GOLDEN_CASES[name]
    results = theano.function(inputs, outputs, on_unused_input="ignore")(*values)
    expected = GOLDEN_RECORD[name]
    assert len(results) == len(expected)
    for k, (got, rec) in enumerate(zip(results, expected)):
        want = np.array(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])
        got = np.asarray(got)
        assert got.shape == want.shape and got.dtype == want.dtype, (name, k)
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol, err_msg=f"{name}[{k}]")


@pytest.mark.parametrize("name", [
    "crossentropy_softmax_argmax_1hot_with_bias", "crossentropy_softmax_1hot",
    "crossentropy_softmax_1hot_with_bias_dx", "softmax_with_bias", "prepend_0_to_each_row",
    "prepend_1_to_each_row", "prepend_scalar_to_each_row"])
def test_matches_theano_105(name):
    check_golden(name)


def np_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


X, B, LABELS = make_nnet_ops.X, make_nnet_ops.B, make_nnet_ops.LABELS


def test_xent_op_against_numpy_and_is_stable():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    nll, sm, am = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    f = theano.function([x, b, y], [nll, sm, am])
    big = X * 1000.0  # softmax underflows to 0 at a labelled entry (exp(-1500))
    got = f(big, B, LABELS)
    z = big + B
    ref_nll = -(z[np.arange(3), LABELS] - z.max(1) - np.log(np.exp(z - z.max(1)[:, None]).sum(1)))
    np.testing.assert_allclose(got[0], ref_nll, rtol=1e-12)
    assert np.isfinite(got[0]).all() and got[0].max() > 745 and got[1].min() == 0.0
    np.testing.assert_allclose(got[1], np_softmax(z), rtol=1e-12)
    np.testing.assert_array_equal(got[2], z.argmax(1))
    assert nll.dtype == "float64" and am.dtype == "int64"
    assert str(nll.owner.op) == "CrossentropySoftmaxArgmax1HotWithBias"


def test_xent_op_rejects_bad_inputs():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    with pytest.raises(ValueError, match="x must be 2-d"):
        nnet.crossentropy_softmax_argmax_1hot_with_bias(b, b, y)
    with pytest.raises(ValueError, match="y_idx must be 1-d"):
        nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, T.vector())
    f = theano.function([x, b, y], nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)[0])
    with pytest.raises(ValueError, match="out of bounds"):
        f(X, B, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="same number of rows"):
        f(X, B, np.array([0, 1]))


def test_dx_op_with_a_scalar_gradient_and_its_gradients():
    sm, dy, y = T.matrix(), T.scalar(), T.lvector()
    dx = nnet.crossentropy_softmax_1hot_with_bias_dx(dy, sm, y)
    smv = np_softmax(X)
    got = theano.function([dy, sm, y], dx)(2.0, smv, LABELS)
    want = smv * 2.0
    want[np.arange(3), LABELS] -= 2.0
    np.testing.assert_allclose(got, want, rtol=1e-12)
    verify_grad(lambda d, s: nnet.crossentropy_softmax_1hot_with_bias_dx(d, s, LABELS) ** 2,
                [np.array([0.3, -1.2, 0.7]), smv], rng=np.random.RandomState(0))
    verify_grad(lambda d, s: nnet.crossentropy_softmax_1hot_with_bias_dx(d, s, LABELS) ** 2,
                [np.asarray(0.6), smv], rng=np.random.RandomState(1))


def test_xent_grad_is_its_dx_op_and_matches_finite_differences():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    nll = nnet.crossentropy_softmax_1hot_with_bias(x, b, y)[0]
    g = T.grad(nll.sum(), x)
    ops = {type(n.op).__name__ for n in theano.gof.graph.io_toposort([x, b, y], [g])}
    assert "CrossentropySoftmax1HotWithBiasDx" in ops
    verify_grad(lambda xx, bb: nnet.crossentropy_softmax_argmax_1hot_with_bias(
        xx, bb, LABELS)[0], [X, B], rng=np.random.RandomState(0))


def test_infer_shapes():
    x, b, y = T.matrix(), T.vector(), T.lvector()
    nll, sm, am = nnet.crossentropy_softmax_argmax_1hot_with_bias(x, b, y)
    outs = [nll.shape, sm.shape, am.shape, nnet.softmax_with_bias(x, b).shape,
            nnet.prepend_1_to_each_row(x).shape, nnet.prepend_scalar_to_each_row(2.0, x).shape,
            nnet.crossentropy_softmax_1hot_with_bias_dx(nll, sm, y).shape]
    f = theano.function([x, b, y], outs, mode=FAST_RUN)
    assert not any(isinstance(n.op, (nnet.CrossentropySoftmaxArgmax1HotWithBias,
                                     nnet.SoftmaxWithBias)) for n in f.maker.fgraph.toposort())
    got = [tuple(s) for s in f(X, B, LABELS)]
    assert got == [(3,), (3, 4), (3,), (3, 4), (3, 5), (3, 5), (3, 4)]


def test_prepend_ops_values_props_and_gradients():
    x, v = T.matrix(), T.scalar()
    f = theano.function([x, v], [nnet.prepend_0_to_each_row(x), nnet.prepend_1_to_each_row(x),
                                 nnet.prepend_scalar_to_each_row(v, x)])
    z, o, s = f(X, -2.5)
    # Theano 1.0.5 merged prepend_0 and prepend_1 of the same matrix (no __props__): here
    # each keeps its constant.
    np.testing.assert_array_equal(z, np.hstack([np.zeros((3, 1)), X]))
    np.testing.assert_array_equal(o, np.hstack([np.ones((3, 1)), X]))
    np.testing.assert_array_equal(s, np.hstack([np.full((3, 1), -2.5), X]))
    assert nnet.prepend_0_to_each_row != nnet.prepend_1_to_each_row
    assert str(nnet.prepend_1_to_each_row) == "Prepend_scalar_constant_to_each_row{Constant{1.0}}"
    g = theano.function([x, v], T.grad((nnet.prepend_scalar_to_each_row(v, x)
                                        * np.arange(15.0).reshape(3, 5)).sum(), [v, x]))(X, 1.0)
    assert g[0] == 0.0 + 5.0 + 10.0
    np.testing.assert_array_equal(g[1], np.arange(15.0).reshape(3, 5)[:, 1:])
    with pytest.raises(TypeError, match="matrix"):
        nnet.prepend_1_to_each_row(T.vector())
