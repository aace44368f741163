"""theano.tensor.nnet.corr3d: Corr3dMM and its gradient Ops, checked against the direct
NumPy cross-correlation of test_corr.py and by finite differences."""

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import corr3d

import theano

from tests.unit.tensor.nnet.test_corr import reference_corr


CASES_3D = [("valid", (1, 1, 1), (1, 1, 1), 1), ("full", (2, 1, 1), (1, 1, 2), 1),
            ("half", (1, 1, 2), (1, 1, 1), 2), ((1, 0, 2), (1, 2, 1), (2, 1, 1), 1)]


@pytest.mark.parametrize("bm,ss,dil,groups", CASES_3D, ids=[str(c) for c in CASES_3D])
def test_corr3dmm_matches_direct_correlation_and_verify_grad(bm, ss, dil, groups):
    rng = np.random.RandomState(5)
    img = rng.randn(2, 2, 5, 4, 5)
    kern = rng.randn(2, 2 // groups, 2, 3, 2)
    x, w = T.tensor5(), T.tensor5()
    op = corr3d.Corr3dMM(bm, ss, dil, num_groups=groups)
    y = op(x, w)
    got, shape = theano.function([x, w], [y, y.shape])(img, kern)
    expected = reference_corr(img, kern, bm, ss, dil, groups)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert tuple(shape) == expected.shape
    verify_grad(op, [img, kern], rng=rng)


def test_corr3d_parameters():
    assert corr3d.Corr3dMM(2).border_mode == (2, 2, 2)
    assert str(corr3d.Corr3dMM("half")) == "Corr3dMM{half, (1, 1, 1), (1, 1, 1), 1}"
    with pytest.raises(ValueError, match="three"):
        corr3d.Corr3dMM((1, 2))
    rng = np.random.RandomState(1)
    img, kern = rng.randn(1, 2, 4, 4, 3), rng.randn(3, 2, 2, 2, 2)
    x, w, t = T.tensor5(), T.tensor5(), T.tensor5()
    top = theano.function([x, w], corr3d.Corr3dMM()(x, w))(img, kern)
    dw = theano.function([x, t], corr3d.Corr3dMM_gradWeights()(x, t))(img, top)
    di = theano.function([w, t], corr3d.Corr3dMM_gradInputs()(w, t))(kern, top)
    np.testing.assert_allclose((kern * dw).sum(), (top * top).sum(), rtol=1e-10)
    np.testing.assert_allclose((img * di).sum(), (top * top).sum(), rtol=1e-10)
