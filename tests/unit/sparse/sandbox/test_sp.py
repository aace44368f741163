"""theano.sparse.sandbox.sp: the patch matrices, convolve and max_pool against the values
Theano 1.0.5 gave (tests/golden/sparse_sandbox_sp.theano105.json, recorded by
tests/golden/make_sparse_sandbox_sp.py) and against a direct NumPy computation."""

import json
import os
import sys

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.sparse.sandbox import sp

GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "golden")
sys.path.insert(0, GOLDEN_DIR)
import make_sparse_sandbox_sp as recorder  # noqa: E402

with open(os.path.join(GOLDEN_DIR, "sparse_sandbox_sp.theano105.json")) as _fh:
    GOLDEN = json.load(_fh)


@pytest.mark.parametrize("case", recorder.PATTERNS, ids=lambda c: recorder.key(*c))
def test_patch_matrix_pattern_is_theanos(case):
    mode, step, imgshp, kshp = case
    ind, ptr, shp, typ, outshp = sp.convolution_indices.evaluate(imgshp, kshp, step, mode=mode)
    want = GOLDEN["pattern " + recorder.key(*case)]
    assert np.asarray(ind).tolist() == want[0]
    assert np.asarray(ptr).tolist() == want[1]
    assert [int(v) for v in shp] == want[2] and typ == want[3]
    assert np.asarray(outshp).tolist() == want[4]


def test_results_are_theanos():
    ours = recorder.results(theano, sp)
    for name, recorded in GOLDEN.items():
        if not name.startswith("pattern"):
            values, shape = recorded
            np.testing.assert_allclose(ours[name][0], values, rtol=1e-12, err_msg=name)
            assert ours[name][1] == shape, name


def _correlate_valid(images, kerns, imgshp, kshp, step):
    """Direct NumPy: out[b, k, y, x] = sum over f, ty, tx of
    img[b, f, y*dy+ty, x*dx+tx] * w[k, f, ty, tx]."""
    nfeat, height, width = imgshp
    (kh, kw), (dx, dy) = kshp, step
    img = images.reshape(-1, nfeat, height, width)
    w = kerns.reshape(-1, nfeat, kh, kw)
    oh, ow = -(-(height - kh + 1) // dy), -(-(width - kw + 1) // dx)
    out = np.zeros((img.shape[0], w.shape[0], oh, ow))
    for y in range(oh):
        for x in range(ow):
            window = img[:, :, y * dy:y * dy + kh, x * dx:x * dx + kw]
            out[:, :, y, x] = np.einsum("bfij,kfij->bk", window, w)
    return out


def test_convolve_valid_is_a_correlation():
    x, k, _ = recorder.inputs()
    imgs, kerns = T.dmatrix(), T.dmatrix()
    o, oshp = sp.convolve(kerns, (3, 2), 4, imgs, (2, 4, 5), (1, 2))
    got = theano.function([kerns, imgs], o)(k, x)
    want = _correlate_valid(x, k, (2, 4, 5), (3, 2), (1, 2))
    assert tuple(oshp) == want.shape[1:]
    np.testing.assert_allclose(got, want.reshape(3, -1), rtol=1e-12)


def test_max_pool_takes_each_windows_maximum():
    x, _, _ = recorder.inputs()
    imgs = T.dmatrix()
    p, pshp = sp.max_pool(imgs, (2, 4, 5), (2, 2))
    got = theano.function([imgs], p)(x)
    img = x.reshape(3, 2, 4, 5)[:, :, :4, :4]
    want = img.reshape(3, 2, 2, 2, 2, 2).max(axis=(3, 5))
    assert tuple(pshp) == (2, 2)
    np.testing.assert_allclose(got, want.reshape(3, -1))


def test_the_op_computes_the_pattern_and_bad_arguments_raise():
    ind, ptr, shp = theano.function([], sp.convolution_indices((1, 5, 6), (2, 3)))()
    want = sp.convolution_indices.evaluate((5, 6), (2, 3))
    assert ind.tolist() == list(want[0]) and ptr.tolist() == list(want[1])
    assert shp.tolist() == list(want[2])
    with pytest.raises(ValueError, match="ws=False"):
        sp.convolution_indices.evaluate((5, 6), (2, 3), ws=False)
    with pytest.raises(ValueError, match="Invalid kernel"):
        sp.convolution_indices.evaluate((2, 2), (3, 3))
