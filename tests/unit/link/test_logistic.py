"""sigmoid / softplus of z and -z from two exps of one clamped array (link/logistic.py):
Theano's clamped values (|x| > 30 gives exactly 0, 1, x or 0), NaN and infinities, and
the ops' own results bit for bit."""

import warnings

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.tensor.nnet import sigmoid, softplus

from tests.support.modes import FAST_RUN

# Theano 1.0.5's C kernels (sigm.py), written out with NumPy on float64.


def _theano_sigmoid(x):
    with np.errstate(over="ignore"):
        mid = 1.0 / (1.0 + np.exp(-x))
    return np.where(x < -30.0, 0.0, np.where(x > 30.0, 1.0, mid))


def _theano_softplus(x):
    with np.errstate(over="ignore"):
        mid = np.log1p(np.exp(x))
    return np.where(x < -30.0, 0.0, np.where(x > 30.0, x, mid))


Z = np.array([-800.0, -45.0, -30.5, -30.0, -29.9, -12.0, -1.0, -1e-300, -0.0, 0.0, 1e-300,
              0.3, 1.0, 12.0, 29.9, 30.0, 30.5, 45.0, 800.0, np.inf, -np.inf, np.nan])


def _family_function():
    z = T.dvector("z")
    outs = [sigmoid(z), sigmoid(-z), softplus(z), softplus(-z)]
    return theano.function([z], outs)


def test_the_four_members_come_from_one_family():
    f = _family_function()
    src = f.maker.program.source
    # c and -c are the rows of one array: one exp, one log1p, one add and divide
    assert "lf0_c = " in src and src.count("_lf_exp(") == 1 and src.count("_lf_log1p(") == 1
    assert "sigmoid" not in "".join(ln for ln in src.splitlines() if "= op" in ln)


MEMBERS = {"sig+": lambda v: sigmoid(v), "sig-": lambda v: sigmoid(-v),
           "sp+": lambda v: softplus(v), "sp-": lambda v: softplus(-v)}
REFS = {"sig+": lambda a: _theano_sigmoid(a), "sig-": lambda a: _theano_sigmoid(-a),
        "sp+": lambda a: _theano_softplus(a), "sp-": lambda a: _theano_softplus(-a)}


@pytest.mark.parametrize("names", [("sig+", "sp-"), ("sig-", "sp+"), ("sig+", "sig-"),
                                   ("sp+", "sp-"), ("sig+", "sp+"), ("sig-", "sp-", "sp+")])
def test_any_two_or_more_members_are_theanos_bit_for_bit(names):
    # one exponential (exp(z) or exp(-z)) or both, rows of one array or not; on a
    # transposed (non-contiguous) matrix
    z = T.dmatrix("z")
    zt = z.T
    f = theano.function([z], [MEMBERS[n](zt) for n in names])
    assert "lf0_" in f.maker.program.source
    zv = np.concatenate([Z, Z[::-1] * 0.7]).reshape(4, 11)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = f(zv)
    for n, g in zip(names, got, strict=True):
        np.testing.assert_array_equal(g, REFS[n](zv.T), err_msg=n)


def test_values_are_theanos_with_its_clamps_bit_for_bit():
    f = _family_function()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning on the way
        got = f(Z)
    refs = [_theano_sigmoid(Z), _theano_sigmoid(-Z), _theano_softplus(Z), _theano_softplus(-Z)]
    for g, r in zip(got, refs, strict=True):
        np.testing.assert_array_equal(g, r)
    # and what each op computes alone (one reader: no family)
    z = T.dvector("z")
    for build, r in zip((lambda v: sigmoid(v), lambda v: sigmoid(-v), lambda v: softplus(v),
                         lambda v: softplus(-v)), got, strict=True):
        alone = theano.function([z], build(z))
        assert "lf0_" not in alone.maker.program.source
        np.testing.assert_array_equal(alone(Z), r)


def test_seed1_cross_entropy_and_gradient_match_the_unshared_program():
    # The tutorial's logistic regression: xent and its gradient read all four members.
    rng = np.random.RandomState(3)
    xv, yv, wv = rng.randn(50, 8) * 6, rng.randint(0, 2, 50).astype("float64"), rng.randn(8)
    x, y, w = T.dmatrix("x"), T.dvector("y"), T.dvector("w")
    p = 1 / (1 + T.exp(-T.dot(x, w)))
    xent = -y * T.log(p) - (1 - y) * T.log(1 - p)
    gw = T.grad(xent.mean(), w)
    # FAST_RUN: stabilized to softplus / sigmoid of z and -z (as Theano's fast_run)
    f = theano.function([x, y, w], [xent, gw], mode=FAST_RUN)
    assert "lf0_" in f.maker.program.source
    z = xv @ wv
    sp = _theano_softplus
    want_xent = yv * sp(-z) + (1 - yv) * sp(z)
    want_gw = xv.T @ ((1 - yv) * _theano_sigmoid(z) - yv * _theano_sigmoid(-z)) / len(z)
    got_xent, got_gw = f(xv, yv, wv)
    np.testing.assert_allclose(got_xent, want_xent, rtol=1e-14, atol=0)
    np.testing.assert_allclose(got_gw, want_gw, rtol=1e-12)


def test_a_single_use_keeps_the_ops_own_code():
    z = T.dvector("z")
    f = theano.function([z], sigmoid(z) * 2.0)
    assert "lf0_" not in f.maker.program.source
    np.testing.assert_allclose(f(Z[:-1]), _theano_sigmoid(Z[:-1]) * 2.0, rtol=1e-15)


def test_a_family_array_that_only_members_read_is_still_computed():
    # binary_crossentropy's graph: softplus(v) and sigmoid(v) of an intermediate v that
    # no node reads otherwise (v itself must be computed for the family).
    x = T.dvector("x")
    v = T.exp(x) - 3.0
    f = theano.function([x], [softplus(v) + 1.0, sigmoid(v) * 2.0])
    assert "lf0_" in f.maker.program.source
    xv = np.array([-2.0, 0.0, 1.0, 3.5, 4.0])
    vv = np.exp(xv) - 3.0
    got = f(xv)
    np.testing.assert_array_equal(got[0], _theano_softplus(vv) + 1.0)
    np.testing.assert_array_equal(got[1], _theano_sigmoid(vv) * 2.0)
