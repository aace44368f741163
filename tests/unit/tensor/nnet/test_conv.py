"""Convolutions: theano.tensor.nnet.conv2d/conv3d, the abstract_conv Ops and helpers, the old
nnet.conv.conv2d interface and signal.conv.conv2d.

Checked three ways:
* against a direct SciPy reference written here (scipy.signal.correlate / convolve per
  (image, filter) pair, summed over input channels; gradients through the same
  correlations on the stride-upsampled output gradient) over every border mode, stride,
  dilation, filter flip and group count;
* against Theano 1.0.5 itself (tests/golden/conv.theano105.json, recorded by
  tests/golden/make_conv.py from the same graph-building code): values, gradients,
  second derivatives, Lasagne's direct calls of the gradient Ops, the shape helpers;
* with verify_grad (finite differences) for each Op in float64 and float32.
"""

import itertools
import json
import os
import sys
import warnings

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import verify_grad
from theano.tensor.nnet import abstract_conv as A
from theano.tensor.nnet import conv as old_conv
from theano.tensor.signal import conv as signal_conv

import theano

from tests.support.paths import GOLDEN, TOOLS

sys.path.insert(0, GOLDEN)
import make_conv  # noqa: E402

with open(os.path.join(GOLDEN, "conv.theano105.json")) as fh:
    RECORDED = json.load(fh)

# ----------------------------------------------------------------------------- reference


def _pads(border_mode, kdil):
    """(before, after) per axis for border_mode, kdil the dilated kernel extents."""
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


def _dilate_kernel(w, dilation):
    nd = len(dilation)
    shape = w.shape[:2] + tuple((k - 1) * d + 1 for k, d in zip(w.shape[2:], dilation))
    out = np.zeros(shape)
    out[(slice(None), slice(None)) + tuple(slice(None, None, d) for d in dilation)] = w
    assert out.ndim == nd + 2
    return out


class Reference:
    """conv2d/conv3d semantics by SciPy, one 2-d/3-d correlation per (image, filter, channel)."""

    def __init__(self, w_shape, border_mode="valid", subsample=None, filter_flip=True,
                 filter_dilation=None, num_groups=1):
        nd = len(w_shape) - 2
        self.nd, self.groups, self.flip = nd, num_groups, filter_flip
        self.stride = subsample or (1,) * nd
        self.dil = filter_dilation or (1,) * nd
        self.kdil = [(k - 1) * d + 1 for k, d in zip(w_shape[2:], self.dil)]
        bm = border_mode if not isinstance(border_mode, int) else (border_mode,) * nd
        self.pads = _pads(bm, self.kdil)

    def _kernel(self, w):
        if self.flip:
            w = w[(slice(None), slice(None)) + (slice(None, None, -1),) * self.nd]
        return _dilate_kernel(w, self.dil)

    def _channels(self, o, n_out, cg):
        g = o // (n_out // self.groups)
        return range(g * cg, (g + 1) * cg)

    def forward(self, x, w):
        from scipy import signal

        xp = np.pad(x, [(0, 0), (0, 0)] + list(self.pads))
        k = self._kernel(w)
        out_idx = tuple(slice(None, None, s) for s in self.stride)
        res = []
        for b in range(x.shape[0]):
            row = []
            for o in range(w.shape[0]):
                acc = sum(signal.correlate(xp[b, c], k[o, j], mode="valid")
                          for j, c in enumerate(self._channels(o, w.shape[0], w.shape[1])))
                row.append(acc[out_idx])
            res.append(row)
        return np.array(res)

    def _upsampled(self, g, x_shape):
        """The output gradient on the stride-1 grid of window positions (zeros between)."""
        padded = [n + lo + hi for n, (lo, hi) in zip(x_shape[2:], self.pads)]
        full = [p - k + 1 for p, k in zip(padded, self.kdil)]
        up = np.zeros(g.shape[:2] + tuple(full))
        up[(slice(None), slice(None)) + tuple(slice(None, (n - 1) * s + 1, s) for n, s in
                                              zip(g.shape[2:], self.stride))] = g
        return up, padded

    def grad_input(self, x_shape, w, g):
        from scipy import signal

        up, padded = self._upsampled(g, x_shape)
        k = self._kernel(w)
        dxp = np.zeros(x_shape[:2] + tuple(padded))
        for b in range(x_shape[0]):
            for o in range(w.shape[0]):
                for j, c in enumerate(self._channels(o, w.shape[0], w.shape[1])):
                    dxp[b, c] += signal.convolve(up[b, o], k[o, j], mode="full")
        crop = tuple(slice(lo, lo + n) for n, (lo, _) in zip(x_shape[2:], self.pads))
        return dxp[(slice(None), slice(None)) + crop]

    def grad_weights(self, x, w_shape, g):
        from scipy import signal

        up, _ = self._upsampled(g, x.shape)
        xp = np.pad(x, [(0, 0), (0, 0)] + list(self.pads))
        dk = np.zeros(w_shape[:2] + tuple(self.kdil))
        for b in range(x.shape[0]):
            for o in range(w_shape[0]):
                for j, c in enumerate(self._channels(o, w_shape[0], w_shape[1])):
                    corr = signal.correlate(xp[b, c], up[b, o], mode="valid")
                    dk[o, j] += corr[tuple(slice(0, k) for k in self.kdil)]
        dw = dk[(slice(None), slice(None)) + tuple(slice(None, None, d) for d in self.dil)]
        if self.flip:
            dw = dw[(slice(None), slice(None)) + (slice(None, None, -1),) * self.nd]
        return dw


rng = np.random.RandomState(1234)

# (x shape, w shape, keyword arguments): every border mode, stride, dilation, flip, group
CONV2D = [
    ((2, 3, 7, 6), (4, 3, 3, 2), {}),
    ((2, 3, 7, 6), (4, 3, 3, 2), dict(border_mode="full")),
    ((2, 3, 7, 6), (4, 3, 3, 3), dict(border_mode="half")),
    ((1, 2, 6, 7), (3, 2, 4, 2), dict(border_mode="half", filter_flip=False)),
    ((2, 2, 7, 8), (2, 2, 3, 2), dict(border_mode=2, subsample=(2, 2))),
    ((2, 2, 6, 5), (2, 2, 2, 3), dict(border_mode=(1, 2), subsample=(1, 2))),
    ((1, 2, 6, 6), (3, 2, 3, 2), dict(border_mode=((1, 2), (0, 3)), subsample=(2, 1))),
    ((2, 2, 9, 8), (3, 2, 3, 2), dict(filter_dilation=(2, 3))),
    ((1, 2, 9, 9), (2, 2, 3, 3), dict(border_mode="half", filter_dilation=(2, 1),
                                      subsample=(3, 2), filter_flip=False)),
    ((2, 2, 8, 7), (2, 2, 2, 2), dict(border_mode="full", filter_dilation=(3, 2),
                                      subsample=(2, 3))),
    ((2, 4, 6, 5), (6, 2, 2, 3), dict(num_groups=2)),
    ((1, 6, 7, 7), (3, 2, 3, 3), dict(num_groups=3, subsample=(3, 2), border_mode=1,
                                      filter_flip=False)),
    ((2, 3, 5, 5), (6, 1, 3, 3), dict(num_groups=3, border_mode="half")),  # depthwise
    ((2, 3, 3, 3), (8, 3, 2, 2), {}),  # more filters than output pixels
    ((1, 1, 5, 5), (1, 1, 5, 5), {}),  # 1x1 output
]
CONV3D = [
    ((2, 2, 5, 6, 4), (3, 2, 2, 3, 2), {}),
    ((1, 2, 5, 4, 6), (2, 2, 3, 2, 2), dict(border_mode="full", subsample=(2, 1, 2))),
    ((1, 4, 4, 5, 4), (4, 2, 3, 2, 3), dict(border_mode="half", num_groups=2,
                                            filter_flip=False, filter_dilation=(1, 2, 1))),
    ((2, 1, 5, 5, 5), (2, 1, 2, 2, 2), dict(border_mode=(1, 0, 2), subsample=(2, 2, 1))),
]


def _ids(cases):
    return [f"{xs}-{ws}-{kw}" for xs, ws, kw in cases]


def _compile_conv(nd, kw, dtype="float64"):
    x = T.TensorType(dtype, (False,) * (nd + 2))("x")
    w = T.TensorType(dtype, (False,) * (nd + 2))("w")
    g = T.TensorType(dtype, (False,) * (nd + 2))("g")
    fn = T.nnet.conv2d if nd == 2 else T.nnet.conv3d
    out = fn(x, w, **kw)
    gx, gw = T.grad(None, [x, w], known_grads={out: g})
    return theano.function([x, w, g], [out, gx, gw, out.shape])


@pytest.mark.parametrize("xs,ws,kw", CONV2D + CONV3D, ids=_ids(CONV2D + CONV3D))
def test_forward_and_gradients_match_scipy(xs, ws, kw):
    nd = len(xs) - 2
    ref = Reference(ws, **kw)
    x, w = rng.uniform(-1, 1, xs), rng.uniform(-1, 1, ws)
    expected = ref.forward(x, w)
    g = rng.uniform(-1, 1, expected.shape)
    out, gx, gw, shape = _compile_conv(nd, kw)(x, w, g)
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(shape, expected.shape)  # infer_shape
    np.testing.assert_allclose(gx, ref.grad_input(xs, w, g), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gw, ref.grad_weights(x, ws, g), rtol=1e-10, atol=1e-12)
    # The output length is get_conv_output_shape's.
    modes = kw.get("border_mode", "valid")
    want = A.get_conv_output_shape(xs, ws, modes, kw.get("subsample", (1,) * nd),
                                   kw.get("filter_dilation", (1,) * nd))
    assert tuple(want) == expected.shape


def test_float32_matches_scipy_and_keeps_dtype():
    xs, ws, kw = CONV2D[8]
    ref = Reference(ws, **kw)
    x, w = rng.uniform(-1, 1, xs), rng.uniform(-1, 1, ws)
    expected = ref.forward(x, w)
    g = rng.uniform(-1, 1, expected.shape)
    out, gx, gw, _ = _compile_conv(2, kw, "float32")(*(a.astype("float32") for a in (x, w, g)))
    assert out.dtype == gx.dtype == gw.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gx, ref.grad_input(xs, w, g), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gw, ref.grad_weights(x, ws, g), rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------- Theano 1.0.5

GOLDEN_CASES = make_conv.cases(theano)


def _decode(entry):
    return np.array(entry["data"], dtype=entry["dtype"]).reshape(entry["shape"])


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_matches_theano_105(name):
    inputs, outputs, values = GOLDEN_CASES[name]
    results = theano.function(inputs, outputs, on_unused_input="ignore")(*values)
    recorded = RECORDED[name]
    assert len(results) == len(recorded)
    for k, (out, got, ref) in enumerate(zip(outputs, results, recorded)):
        got = np.asarray(got)
        assert out.dtype == ref["declared"], (name, k)
        assert str(got.dtype) == ref["dtype"], (name, k)
        np.testing.assert_allclose(got, _decode(ref), rtol=1e-9, atol=1e-12,
                                   err_msg=f"{name} output {k}")


def test_shape_helpers_match_theano_105():
    assert make_conv.shape_cases(A) == RECORDED["__shapes__"]
    assert A.get_conv_output_shape((None, 3, None, 11), (4, 3, 3, 2), "full", (1, 1)) == (
        None, 4, None, 12)
    assert A.get_conv_output_shape((2, 3, 10, 11), (4, 3, 3, 2), ((1, 2), (0, 3)), (2, 1),
                                   (1, 2)) == (2, 4, 6, 12)
    assert A.get_conv_gradweights_shape((2, 3, 10, 11), (2, 4, 8, 10), "valid", (1, 1),
                                        num_groups=3) == (4, 1, 3, 2)
    assert A.get_conv_gradinputs_shape((4, 3, 3, 2), (2, 4, 8, 10), "valid", (1, 1),
                                       num_groups=2) == (2, 6, 10, 11)
    assert A.check_conv_gradinputs_shape((2, 3, None, 7), (4, 3, 3, None), (None, 4, 5, 5),
                                         "valid", (1, 1))
    # symbolic lengths give symbolic answers
    n = T.lscalar("n")
    length = A.get_conv_shape_1axis(n, 3, "half", 2, 2)
    assert theano.function([n], length)(9) == A.get_conv_shape_1axis(9, 3, "half", 2, 2)
    # a length that is not constant cannot be checked: accepted, as in Theano 1.0.5
    assert A.check_conv_gradinputs_shape((2, 3, n, 7), (4, 3, 3, 3), (2, 4, 5, 5), "valid",
                                         (1, 1)) is True
    # batch and channels are compared too (Theano 1.0.5's test_check_shape)
    assert not A.check_conv_gradinputs_shape((2, 3, 7, 7), (4, 3, 3, 3), (1, 4, 5, 5),
                                             "valid", (1, 1))
    assert not A.check_conv_gradinputs_shape((2, 3, 7, 7), (4, 3, 3, 3), (2, 4, 5),
                                             "valid", (1, 1))


def test_assert_conv_shape():
    assert A.assert_conv_shape((2, 0, 4)) == (2, 0, 4)
    with pytest.raises(ValueError, match=r"dim\[2\]: 0 <= 0"):  # spatial lengths > 0
        A.assert_conv_shape((2, 3, 0))
    m = T.lscalar("m")
    g = theano.function([m], A.assert_conv_shape((2, 3, m))[2])
    with pytest.raises(AssertionError, match="dim\\[2\\] <= 0"):
        g(0)
    with pytest.raises(ValueError, match=r"dim\[1\]: -3 < 0"):
        A.assert_conv_shape((2, -3, 4))
    n = T.lscalar("n")
    checked = A.assert_conv_shape((2, n, 4))[1]
    f = theano.function([n], checked)
    assert f(3) == 3
    with pytest.raises(AssertionError, match="invalid shape"):
        f(-1)


def test_assert_shape_follows_the_config_flag():
    x = T.dmatrix("x")
    assert A.assert_shape(x, (2, None)) is x  # conv.assert_shape is off by default
    old = theano.config.conv.assert_shape
    theano.config.conv.assert_shape = True
    try:
        f = theano.function([x], A.assert_shape(x, (2, None)))
    finally:
        theano.config.conv.assert_shape = old
    assert f(np.ones((2, 5))).shape == (2, 5)
    with pytest.raises(AssertionError, match="Unexpected shape"):
        f(np.ones((3, 5)))



def test_shape_hints_are_checked_under_the_config_flag():
    # conv.assert_shape=True: the Ops check their imshp/kshp hints at run time (Theano).
    x, w = T.tensor4(), T.tensor4()
    with theano.config.change_flags(**{"conv.assert_shape": True}):
        f = theano.function([x, w], T.nnet.conv2d(x, w, input_shape=(3, 5, 7, 11),
                                                  filter_shape=(7, 5, 3, 3)))
        gi = theano.function([x, w], A.conv2d_grad_wrt_inputs(
            x, w, input_shape=(None, None, 7, 11), filter_shape=(7, 5, 3, 3)))
    assert f(np.zeros((3, 5, 7, 11)), np.zeros((7, 5, 3, 3))).shape == (3, 7, 5, 9)
    with pytest.raises(AssertionError, match="image does not match given imshp"):
        f(np.zeros((3, 5, 9, 11)), np.zeros((7, 5, 3, 3)))
    with pytest.raises(AssertionError, match="filters does not match given kshp"):
        f(np.zeros((3, 5, 7, 11)), np.zeros((7, 5, 2, 2)))
    with pytest.raises(AssertionError, match="filters does not match given kshp"):
        gi(np.zeros((3, 6, 5, 9)), np.zeros((7, 6, 3, 3)))
    # off (the default): no check node
    f0 = theano.function([x, w], T.nnet.conv2d(x, w, input_shape=(3, 5, 7, 11)))
    assert f0(np.zeros((3, 5, 9, 11)), np.zeros((7, 5, 3, 3))).shape == (3, 7, 7, 9)


# ----------------------------------------------------------------------------- verify_grad

OP_GRAD_CASES = {
    # name: (op factory, input shapes); the gradient Ops get their shape as a constant
    "conv2d": (lambda: lambda x, w: T.nnet.conv2d(x, w, border_mode="half", subsample=(2, 1),
                                                  filter_dilation=(1, 2)),
               [(2, 2, 5, 6), (3, 2, 3, 2)]),
    "conv2d_groups": (lambda: lambda x, w: T.nnet.conv2d(x, w, num_groups=2, border_mode=(1, 0),
                                                         filter_flip=False),
                      [(1, 4, 4, 5), (4, 2, 2, 3)]),
    "grad_inputs": (lambda: lambda w, g: A.AbstractConv2d_gradInputs(
        border_mode="full", subsample=(2, 1))(w, g, (5, 4)), [(3, 2, 2, 3), (2, 3, 3, 6)]),
    "grad_weights": (lambda: lambda x, g: A.AbstractConv2d_gradWeights(
        border_mode=1, subsample=(1, 2), filter_dilation=(2, 1))(x, g, (2, 3)),
        [(2, 2, 5, 6), (2, 3, 5, 3)]),
    "grad_weights_many_filters": (lambda: lambda x, g: A.AbstractConv2d_gradWeights()(
        x, g, (2, 2)), [(2, 2, 3, 3), (2, 7, 2, 2)]),
    "conv3d": (lambda: lambda x, w: T.nnet.conv3d(x, w, border_mode="half", subsample=(1, 2, 1)),
               [(1, 2, 3, 4, 3), (2, 2, 2, 3, 2)]),
    "conv3d_grad_inputs": (lambda: lambda w, g: A.AbstractConv3d_gradInputs(
        filter_flip=False)(w, g, (3, 4, 3)), [(2, 2, 2, 2, 2), (1, 2, 2, 3, 2)]),
    "conv3d_grad_weights": (lambda: lambda x, g: A.AbstractConv3d_gradWeights(
        border_mode="full")(x, g, (2, 2, 1)), [(1, 2, 3, 2, 3), (1, 2, 4, 3, 3)]),
    "old_conv2d": (lambda: lambda x, w: old_conv.conv2d(x, w, border_mode="full",
                                                        subsample=(1, 2)),
                   [(2, 2, 4, 4), (2, 2, 2, 3)]),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(OP_GRAD_CASES))
def test_verify_grad(name, dtype):
    make, shapes = OP_GRAD_CASES[name]
    r = np.random.RandomState(len(name))
    pt = [r.uniform(-1, 1, s).astype(dtype) for s in shapes]
    verify_grad(make(), pt, rng=r)


def test_second_derivatives_by_finite_differences():
    # Gradients of gradients go through the three Ops (golden values cover the numbers;
    # here finite differences check the graph of the gradient itself).
    def grad_x(x, w):
        out = T.nnet.conv2d(x, w, border_mode="full", subsample=(1, 2))
        return T.grad((out ** 2).sum(), x)

    r = np.random.RandomState(3)
    verify_grad(grad_x, [r.uniform(-1, 1, (1, 2, 4, 5)), r.uniform(-1, 1, (2, 2, 2, 2))], rng=r)


# ----------------------------------------------------------------------------- types

def test_output_types_follow_theano():
    x, w = T.dtensor4(), T.dtensor4()
    assert T.nnet.conv2d(x, w).broadcastable == (False,) * 4
    xb = T.TensorType("float64", (True, False, False, False))()
    wb = T.TensorType("float64", (True, True, False, False))()
    assert T.nnet.conv2d(xb, wb).broadcastable == (True, True, False, False)
    gx, gw = T.grad(T.nnet.conv2d(xb, wb).sum(), [xb, wb])
    assert gx.broadcastable == xb.broadcastable and gw.broadcastable == wb.broadcastable
    # The output has the image's dtype (Theano 1.0.5's typing); the kernel is cast to it.
    xf, wd = T.ftensor4(), T.dtensor4()
    out = T.nnet.conv2d(xf, wd)
    assert out.dtype == "float32"
    assert T.nnet.conv2d(T.dtensor4(), T.ftensor4()).dtype == "float64"
    gxf, gwd = T.grad(out.sum(), [xf, wd])
    assert gxf.dtype == "float32" and gwd.dtype == "float64"
    f = theano.function([xf, wd], out)
    xv, wv = rng.uniform(-1, 1, (1, 2, 4, 4)), rng.uniform(-1, 1, (3, 2, 2, 2))
    got = f(xv.astype("float32"), wv)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, Reference(wv.shape).forward(xv, wv), rtol=1e-5, atol=1e-5)


def test_op_identity_and_str():
    a = A.AbstractConv2d(border_mode=(1, 1), subsample=[2, 1])
    b = A.AbstractConv2d(border_mode=1, subsample=(2, 1))
    assert a == b and hash(a) == hash(b)
    assert A.AbstractConv2d(border_mode=(0, 0)).border_mode == "valid"
    assert A.AbstractConv2d(border_mode=((1, 1), (2, 2))).border_mode == (1, 2)
    assert A.AbstractConv2d(border_mode=((1, 2), (0, 3))).border_mode == ((1, 2), (0, 3))
    assert a != A.AbstractConv2d_gradInputs(border_mode=1, subsample=(2, 1))
    assert str(A.AbstractConv2d()) == (
        "AbstractConv2d{convdim=2, border_mode='valid', subsample=(1, 1), filter_flip=True, "
        "imshp=(None, None, None, None), kshp=(None, None, None, None), filter_dilation=(1, 1), "
        "num_groups=1, unshared=False}")
    op = T.nnet.conv2d(T.dtensor4(), T.dtensor4(), input_shape=(None, 3, T.constant(5), 5),
                       filter_shape=[4, 3, 2, 2]).owner.op
    assert op.imshp == (None, 3, 5, 5) and op.kshp == (4, 3, 2, 2)


def test_shape_hints_do_not_change_results():
    # Theano 1.0.5 ran conv2d with hints that disagree with the data; so do we.
    x, w = T.dtensor4(), T.dtensor4()
    f = theano.function([x, w], T.nnet.conv2d(x, w, input_shape=(2, 3, 5, 5),
                                              filter_shape=(4, 3, 2, 2)))
    xv, wv = rng.uniform(-1, 1, (3, 3, 6, 6)), rng.uniform(-1, 1, (4, 3, 2, 2))
    np.testing.assert_allclose(f(xv, wv), Reference(wv.shape).forward(xv, wv), rtol=1e-12)


def test_symbolic_shape_argument_of_the_gradient_ops():
    x, w = T.dtensor4("x"), T.dtensor4("w")
    out = T.nnet.conv2d(x, w, subsample=(2, 2))
    back = A.conv2d_grad_wrt_inputs(out, w, x.shape, subsample=(2, 2))
    f = theano.function([x, w], [back, back.shape])
    xv, wv = rng.uniform(-1, 1, (2, 3, 7, 6)), rng.uniform(-1, 1, (4, 3, 3, 2))
    got, shape = f(xv, wv)
    assert got.shape == xv.shape and tuple(shape) == xv.shape
    ref = Reference(wv.shape, subsample=(2, 2))
    np.testing.assert_allclose(got, ref.grad_input(xv.shape, wv, ref.forward(xv, wv)),
                               rtol=1e-10)
    kern = A.conv2d_grad_wrt_weights(x, out, w.shape, subsample=(2, 2))
    np.testing.assert_allclose(
        theano.function([x, w], kern)(xv, wv),
        ref.grad_weights(xv, wv.shape, ref.forward(xv, wv)), rtol=1e-10)


# ----------------------------------------------------------------------------- old interfaces

def test_old_conv2d_matches_scipy_and_checks_shapes():
    x, w = T.dtensor4(), T.dtensor4()
    xv, wv = rng.uniform(-1, 1, (2, 3, 6, 5)), rng.uniform(-1, 1, (4, 3, 3, 2))
    for mode in ("valid", "full"):
        out = old_conv.conv2d(x, w, image_shape=(2, 3, 6, 5), filter_shape=(4, 3, 3, 2),
                              border_mode=mode, subsample=(2, 1))
        assert isinstance(out.owner.op, old_conv.ConvOp)
        f = theano.function([x, w], out)
        np.testing.assert_allclose(
            f(xv, wv), Reference(wv.shape, border_mode=mode, subsample=(2, 1)).forward(xv, wv),
            rtol=1e-12)
    with pytest.raises(ValueError, match=r"batch size \(2\) isn't the run time shape \(3\)"):
        f(rng.uniform(-1, 1, (3, 3, 6, 5)), wv)
    with pytest.raises(NotImplementedError, match="Mode half not implemented"):
        old_conv.conv2d(x, w, border_mode="half")
    with pytest.raises(NotImplementedError, match="same type"):
        old_conv.conv2d(T.ftensor4(), w)
    with pytest.raises(TypeError, match="4D tensor"):
        old_conv.conv2d(T.dtensor3(), w)
    with pytest.raises(AssertionError, match="channels"):
        old_conv.conv2d(x, w, image_shape=(2, 3, 6, 5), filter_shape=(4, 2, 3, 2))


@pytest.mark.parametrize("in_nd,f_nd", list(itertools.product([2, 3], [2, 3])))
def test_signal_conv2d(in_nd, f_nd):
    from scipy import signal

    inp = T.TensorType("float64", (False,) * in_nd)()
    filt = T.TensorType("float64", (False,) * f_nd)()
    iv = rng.uniform(-1, 1, (6, 7) if in_nd == 2 else (2, 6, 7))
    fv = rng.uniform(-1, 1, (2, 3) if f_nd == 2 else (3, 2, 3))
    out = signal_conv.conv2d(inp, filt, border_mode="full")
    got = theano.function([inp, filt], out)(iv, fv)
    imgs = iv.reshape((-1, 6, 7))
    filts = fv.reshape((-1, 2, 3))
    want = np.array([[signal.convolve(im, k, mode="full") for k in filts] for im in imgs])
    want = want.reshape(((2,) if in_nd == 3 else ()) + ((3,) if f_nd == 3 else ()) + (7, 9))
    assert out.ndim == want.ndim
    np.testing.assert_allclose(got, want, rtol=1e-12)
    with pytest.raises(AssertionError):
        signal_conv.conv2d(T.dtensor4(), filt)


def test_nnet_conv2d_image_shape_alias_and_ignored_keywords():
    x, w = T.dtensor4(), T.dtensor4()
    with pytest.warns(UserWarning, match="image_shape"):
        op = T.nnet.conv2d(x, w, image_shape=(2, 3, 5, 5)).owner.op
    assert op.imshp == (2, 3, 5, 5)
    with pytest.raises(ValueError, match="should not be provided at the same time"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        T.nnet.conv2d(x, w, image_shape=(2, 3, 5, 5), input_shape=(2, 3, 5, 5))
    with pytest.warns(UserWarning, match="will be ignored"):
        T.nnet.conv2d(x, w, unroll_batch=4)


def test_conv3d2d_is_conv3d_in_time_major_layout():
    from theano.tensor.nnet import conv3d2d

    s, f = T.dtensor5("s"), T.dtensor5("f")
    sv, fv = rng.uniform(-1, 1, (2, 4, 3, 5, 6)), rng.uniform(-1, 1, (2, 2, 3, 3, 2))
    order = (0, 2, 1, 3, 4)
    # height and width in different modes: Theano 1.0.5 refused, ours pads explicitly
    out = conv3d2d.conv3d(s, f, border_mode=("valid", "full", "valid"))
    got = theano.function([s, f], out)(sv, fv)
    ref = Reference(fv.transpose(order).shape, border_mode=(0, 2, 0))
    np.testing.assert_allclose(got, ref.forward(sv.transpose(order), fv.transpose(order))
                               .transpose(order), rtol=1e-12)
    with pytest.raises(ValueError, match="conv3d2d"):
        conv3d2d.conv3d(s, f, border_mode="half")


def test_benchmark_numpy_reference_computes_the_layer(monkeypatch):
    # tools/bench/bench_conv.py times ours against its own NumPy im2col: both must compute
    # the same layer (checked here on a small batch, against the SciPy reference too).
    monkeypatch.syspath_prepend(os.path.join(TOOLS, "bench"))
    import bench_conv

    xv, wv = rng.uniform(-1, 1, (2, 3, 6, 5)), rng.uniform(-1, 1, (4, 3, 3, 3))
    ref = Reference(wv.shape, border_mode="half")
    g = rng.uniform(-1, 1, (2, 4, 6, 5))
    out, gx, gw = bench_conv.numpy_conv(xv, wv, g)
    np.testing.assert_allclose(out, ref.forward(xv, wv), rtol=1e-10)
    np.testing.assert_allclose(gx, ref.grad_input(xv.shape, wv, g), rtol=1e-10)
    np.testing.assert_allclose(gw, ref.grad_weights(xv, wv.shape, g), rtol=1e-10)


# ----------------------------------------------------------------------------- errors

def test_errors_at_graph_construction():
    x, w = T.dtensor4(), T.dtensor4()
    with pytest.raises(ValueError, match='invalid border_mode same, which must be either'):
        T.nnet.conv2d(x, w, border_mode="same")
    with pytest.raises(ValueError, match="non-negative integer"):
        T.nnet.conv2d(x, w, border_mode=-1)
    with pytest.raises(ValueError, match="tuple of length 2"):
        T.nnet.conv2d(x, w, border_mode=(1, 2, 3))
    with pytest.raises(ValueError, match="subsample must have 2 elements"):
        T.nnet.conv2d(x, w, subsample=(2,))
    with pytest.raises(ValueError, match="num_groups must have value greater than zero"):
        T.nnet.conv2d(x, w, num_groups=0)
    with pytest.raises(TypeError, match="img must be 4D tensor"):
        T.nnet.conv2d(T.dmatrix(), w)
    with pytest.raises(TypeError, match="kern must be 5D tensor"):
        T.nnet.conv3d(T.dtensor5(), w)
    with pytest.raises(NotImplementedError, match="unshared"):
        T.nnet.conv2d(x, w, unshared=True)
    with pytest.raises(NotImplementedError, match="Asymmetric padding not implemented for 3D"):
        T.nnet.conv3d(T.dtensor5(), T.dtensor5(), border_mode=((1, 2), 0, 0))
    with pytest.raises(TypeError, match="float tensor"):
        T.nnet.conv2d(T.itensor4(), w)
    with pytest.raises(ValueError, match="constant int values"):
        T.nnet.conv2d(x, w, input_shape=(2, 3, T.iscalar(), 5))
    # fractional ratios need the 2-d kernel (test_abstract_conv.py checks their values)
    with pytest.raises(ValueError, match="use_1D_kernel"):
        A.bilinear_upsampling(x, frac_ratio=((3, 2), (3, 2)))


def test_errors_at_run_time():
    x, w = T.dtensor4("x"), T.dtensor4("w")
    f = theano.function([x, w], T.nnet.conv2d(x, w))
    wv = rng.uniform(-1, 1, (4, 3, 2, 2))
    with pytest.raises(ValueError, match="same stack size"):
        f(rng.uniform(-1, 1, (2, 2, 6, 6)), wv)
    with pytest.raises(ValueError, match="impossible output shape"):
        f(rng.uniform(-1, 1, (2, 3, 1, 1)), wv)
    g = theano.function([x, w], T.nnet.conv2d(x, w, num_groups=2))
    with pytest.raises(ValueError, match="divisible by num_groups"):
        g(rng.uniform(-1, 1, (2, 4, 6, 6)), rng.uniform(-1, 1, (3, 2, 2, 2)))
    top = T.dtensor4("top")
    gi = theano.function([w, top], A.AbstractConv2d_gradInputs(subsample=(2, 2))(w, top, (7, 7)))
    assert gi(rng.uniform(-1, 1, (4, 3, 3, 3)), rng.uniform(-1, 1, (2, 4, 3, 3))).shape == (
        2, 3, 7, 7)
    with pytest.raises(ValueError, match="shape inconsistency"):
        gi(rng.uniform(-1, 1, (4, 3, 3, 3)), rng.uniform(-1, 1, (2, 4, 2, 2)))
