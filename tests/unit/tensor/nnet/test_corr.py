"""theano.tensor.nnet.corr: CorrMM and its gradient Ops.

Values are checked against a direct NumPy cross-correlation written here (a loop over
output positions and kernel offsets), gradients by finite differences (verify_grad), and
the Ops' parameters, shapes, strings and C hooks against Theano 1.0.5's (values printed
by the original Theano: the CorrMM strings below).
"""

import itertools

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import corr

import theano


def _pads(border_mode, kdil):
    out = []
    for i, k in enumerate(kdil):
        m = border_mode if not isinstance(border_mode, tuple) else border_mode[i]
        if m == "valid":
            out.append((0, 0))
        elif m == "full":
            out.append((k - 1, k - 1))
        elif m == "half":
            out.append((k // 2, k // 2))
        elif isinstance(m, tuple):
            out.append(m)
        else:
            out.append((m, m))
    return out


def reference_corr(img, kern, border_mode, stride, dilation, groups):
    """Direct cross-correlation: a loop over output positions and kernel offsets."""
    nd = img.ndim - 2
    ksize = kern.shape[2:]
    kdil = [(k - 1) * d + 1 for k, d in zip(ksize, dilation)]
    x = np.pad(img, [(0, 0), (0, 0)] + _pads(border_mode, kdil))
    osize = [(x.shape[2 + i] - kdil[i]) // stride[i] + 1 for i in range(nd)]
    n_out, cg = kern.shape[:2]
    og = n_out // groups
    out = np.zeros((img.shape[0], n_out) + tuple(osize))
    for o in range(n_out):
        chans = slice((o // og) * cg, (o // og + 1) * cg)
        for pos in itertools.product(*(range(n) for n in osize)):
            acc = np.zeros(img.shape[0])
            for off in itertools.product(*(range(k) for k in ksize)):
                idx = tuple(p * s + k * d for p, s, k, d in zip(pos, stride, off, dilation))
                acc += (x[(slice(None), chans) + idx] * kern[(o, slice(None)) + off]).sum(1)
            out[(slice(None), o) + pos] = acc
    return out


CASES_2D = [("valid", (1, 1), (1, 1), 1), ("full", (2, 1), (1, 1), 2),
            ("half", (1, 2), (2, 1), 2), (((1, 0), (2, 1)), (1, 1), (1, 1), 1),
            (1, (2, 2), (1, 2), 1), ((2, 0), (1, 1), (1, 1), 2)]


@pytest.mark.parametrize("bm,ss,dil,groups", CASES_2D, ids=[str(c) for c in CASES_2D])
def test_corrmm_matches_direct_correlation_and_verify_grad(bm, ss, dil, groups):
    rng = np.random.RandomState(3)
    img = rng.randn(2, 4, 7, 6)
    kern = rng.randn(4, 4 // groups, 3, 2)
    x, w = T.tensor4(), T.tensor4()
    op = corr.CorrMM(bm, ss, dil, num_groups=groups)
    y = op(x, w)
    f = theano.function([x, w], [y, y.shape])
    got, shape = f(img, kern)
    expected = reference_corr(img, kern, op.border_mode, ss, dil, groups)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert tuple(shape) == expected.shape
    verify_grad(op, [img, kern], rng=rng)
    g = rng.randn(*expected.shape)
    verify_grad(lambda x_: corr.CorrMM_gradWeights(bm, ss, dil, groups)(x_, g, kern.shape[2:]),
                [img], rng=rng)
    verify_grad(lambda k_: corr.CorrMM_gradInputs(bm, ss, dil, groups)(k_, g, img.shape[2:]),
                [kern], rng=rng)


@pytest.mark.parametrize("bm", ["valid", "full", (1, 2), ((0, 2), (1, 0))])
def test_gradient_ops_without_shape_infer_it(bm):
    rng = np.random.RandomState(0)
    img, kern = rng.randn(2, 3, 6, 5), rng.randn(4, 3, 3, 2)
    x, w = T.tensor4(), T.tensor4()
    y = corr.CorrMM(bm)(x, w)
    top = theano.function([x, w], y)(img, kern)
    t = T.tensor4()
    gw = corr.CorrMM_gradWeights(bm)(x, t)
    gi = corr.CorrMM_gradInputs(bm)(w, t)
    assert len(gw.owner.inputs) == 2 and len(gi.owner.inputs) == 2
    f = theano.function([x, w, t], [gw, gw.shape, gi, gi.shape])
    dw, dw_shape, di, di_shape = f(img, kern, top)
    assert dw.shape == kern.shape and tuple(dw_shape) == kern.shape
    assert di.shape == img.shape and tuple(di_shape) == img.shape
    # Both are linear maps adjoint to the correlation: <corr(x, w), t> = <x, gi> = <w, gw>.
    np.testing.assert_allclose((img * di).sum(), (top * top).sum(), rtol=1e-10)
    np.testing.assert_allclose((kern * dw).sum(), (top * top).sum(), rtol=1e-10)


def test_shape_required_with_stride_or_half():
    x, t = T.tensor4(), T.tensor4()
    with pytest.raises(ValueError, match="shape must be given"):
        corr.CorrMM_gradWeights(subsample=(2, 1))(x, t)
    with pytest.raises(ValueError, match="shape must be given"):
        corr.CorrMM_gradWeights("half")(x, t)
    with pytest.raises(ValueError, match="shape must be given"):
        corr.CorrMM_gradInputs(subsample=(1, 2))(x, t)


def test_parameters_strings_and_types_follow_theano():
    # Strings printed by Theano 1.0.5.
    assert str(corr.CorrMM("half", (1, 2), (2, 1), 2)) == "CorrMM{half, (1, 2), (2, 1), 2 False}"
    assert str(corr.CorrMM(1, (1, 1), (1, 2), 2)) == (
        "CorrMM{((1, 1), (1, 1)), (1, 1), (1, 2), 2 False}")
    assert corr.CorrMM((1, (2, 0))).border_mode == ((1, 1), (2, 0))
    assert corr.CorrMM().pad == ((0, 0), (0, 0))
    assert corr.CorrMM("full").pad == ((-2, -2), (-2, -2))
    assert corr.CorrMM_gradInputs().direction == "backprop inputs"
    assert corr.CorrMM() == corr.CorrMM("valid", (1, 1), (1, 1), 1, False)
    assert type(corr.CorrMM()).__module__ == "theano.tensor.nnet.corr"
    y = corr.CorrMM()(T.ftensor4(), T.dtensor4())  # upcast to the common dtype
    assert y.dtype == "float64"
    with pytest.raises(ValueError, match="invalid border_mode"):
        corr.CorrMM("same")
    with pytest.raises(ValueError, match="invalid border_mode"):
        corr.CorrMM(-1)
    with pytest.raises(ValueError, match="greater than 0"):
        corr.CorrMM(num_groups=0)
    with pytest.raises(TypeError, match="img must be 4D"):
        corr.CorrMM()(T.tensor3(), T.tensor4())
    with pytest.raises(NotImplementedError, match="unshared"):
        corr.CorrMM(unshared=True)
    with pytest.raises(ValueError, match="_direction"):
        corr.BaseCorrMM()


def test_c_hooks_raise_with_reason():
    op = corr.CorrMM()
    for hook in (op.c_headers, op.c_code_cache_version, op.c_libraries):
        with pytest.raises(NotImplementedError, match="no C code|compiles no C"):
            hook()
    with pytest.raises(NotImplementedError, match="compiles no C"):
        op.c_code_helper("bottom", "weights", "top", {})
