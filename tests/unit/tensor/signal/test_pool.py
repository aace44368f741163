"""theano.tensor.signal.pool: pool_2d / pool_3d / max_pool_2d_same_size and their Ops.

Forward values are checked against a direct NumPy reference written below (one window
at a time), gradients with verify_grad (float64 and float32), and a set of graphs
against the values Theano 1.0.5 computed (tests/golden/pool.theano105.json, recorded by
tests/golden/make_pool.py).
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
from theano.tensor.signal import pool
from theano.tensor.signal.pool import (
    AveragePoolGrad,
    DownsampleFactorMaxGradGrad,
    MaxPoolGrad,
    Pool,
    max_pool_2d_same_size,
    pool_2d,
    pool_3d,
)

import theano

from tests.support.paths import GOLDEN

sys.path.insert(0, GOLDEN)
import make_pool  # noqa: E402

MODES = ("max", "sum", "average_inc_pad", "average_exc_pad")


# ----------------------------------------------------------------------------- reference


def _windows(r, w, s, p, ignore_border):
    """Start positions (in unpadded coordinates) of the windows along one axis.

    ignore_border: every window lies inside the padded image.  Otherwise a window is
    kept when it starts inside the image and covers a cell no earlier window covers.
    """
    starts = []
    k = 0
    while True:
        start = k * s
        if ignore_border:
            if start + w > r + 2 * p:
                break
        elif start >= r or (k > 0 and (k - 1) * s + w >= r):
            break
        starts.append(start - p)
        k += 1
    return starts


def ref_pool(x, ws, stride=None, pad=None, ignore_border=True, mode="max"):
    nd = len(ws)
    stride = ws if stride is None else stride
    pad = (0,) * nd if pad is None else pad
    spatial = x.shape[-nd:]
    starts = [_windows(r, w, s, p, ignore_border)
              for r, w, s, p in zip(spatial, ws, stride, pad)]
    out = np.zeros(x.shape[:-nd] + tuple(len(s) for s in starts), dtype=x.dtype)
    for pos in itertools.product(*(range(len(s)) for s in starts)):
        region, padded_size = [], 1
        for axis, k in enumerate(pos):
            lo = starts[axis][k]
            hi = lo + ws[axis]
            region.append(slice(max(lo, 0), min(hi, spatial[axis])))
            padded_size *= min(hi, spatial[axis] + pad[axis]) - max(lo, -pad[axis])
        cells = x[(Ellipsis,) + tuple(region)].reshape(x.shape[:-nd] + (-1,))
        if mode == "max":
            v = cells.max(axis=-1)
        elif mode == "sum":
            v = cells.sum(axis=-1)
        elif mode == "average_exc_pad":
            v = cells.sum(axis=-1) / cells.shape[-1]
        else:
            v = cells.sum(axis=-1) / padded_size
        out[(Ellipsis,) + pos] = v
    return out


def distinct(shape, seed=0, dtype="float64"):
    """Values all different (max pooling is differentiable there), spaced by 1/7."""
    rng = np.random.RandomState(seed)
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2.0) / 7.0).reshape(shape).astype(dtype)


# (ws, stride, pad, ignore_border): stride below, equal to and above the window, padding
CONFIGS_2D = [
    ((2, 2), None, (0, 0), True),
    ((2, 2), None, (0, 0), False),
    ((3, 2), (1, 1), (0, 0), False),
    ((3, 3), (2, 2), (0, 0), False),
    ((2, 3), (3, 4), (0, 0), False),
    ((2, 3), (3, 4), (0, 0), True),
    ((3, 3), (2, 1), (1, 2), True),
    ((2, 2), (1, 1), (1, 1), True),
    ((4, 4), (1, 3), (3, 2), True),
    ((7, 8), (1, 1), (0, 0), True),   # larger than the image: empty output
    ((7, 8), (1, 1), (0, 0), False),  # one clipped window
]
CONFIGS_3D = [
    ((2, 2, 2), None, (0, 0, 0), True),
    ((2, 3, 2), (1, 2, 3), (0, 0, 0), False),
    ((3, 2, 2), (2, 1, 1), (1, 1, 0), True),
]


def _run(y, inputs, values):
    return theano.function(inputs, y)(*values)


# ----------------------------------------------------------------------------- forward


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ws,stride,pad,ignore_border", CONFIGS_2D)
def test_pool_2d_matches_numpy(mode, ws, stride, pad, ignore_border):
    x = T.dtensor4("x")
    v = distinct((2, 3, 6, 7))
    y = pool_2d(x, ws=ws, ignore_border=ignore_border, stride=stride, pad=pad, mode=mode)
    got = _run(y, [x], [v])
    np.testing.assert_allclose(got, ref_pool(v, ws, stride, pad, ignore_border, mode),
                               rtol=1e-12, atol=1e-12)
    # The symbolic shape agrees with the computed one without running the pooling.
    assert tuple(_run(y.shape, [x], [v])) == got.shape


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ws,stride,pad,ignore_border", CONFIGS_3D)
def test_pool_3d_matches_numpy(mode, ws, stride, pad, ignore_border):
    x = T.dtensor5("x")
    v = distinct((2, 2, 5, 6, 4), seed=1)
    y = pool_3d(x, ws=ws, ignore_border=ignore_border, stride=stride, pad=pad, mode=mode)
    got = _run(y, [x], [v])
    np.testing.assert_allclose(got, ref_pool(v, ws, stride, pad, ignore_border, mode),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("ndim", [2, 3, 5])
def test_pool_2d_any_leading_dimensions(ndim):
    x = T.TensorType("float32", (False,) * ndim)("x")
    v = distinct((2,) * (ndim - 2) + (5, 4), dtype="float32")
    y = pool_2d(x, ws=(2, 2), ignore_border=False, mode="average_exc_pad")
    assert y.dtype == "float32" and y.ndim == ndim
    got = _run(y, [x], [v])
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, ref_pool(v, (2, 2), ignore_border=False,
                                             mode="average_exc_pad"), rtol=1e-6)


def test_broadcastable_pattern():
    x = T.TensorType("float64", (True, False, True, False))("x")
    assert pool_2d(x, ws=(1, 2), ignore_border=True).broadcastable == (True, False, False,
                                                                         False)
    x5 = T.TensorType("float64", (False, True, False, False, False))("x5")
    assert pool_3d(x5, ws=(1, 1, 1), ignore_border=True).broadcastable == (
        False, True, False, False, False)


def test_symbolic_window_stride_and_pad():
    x = T.dtensor3("x")
    ws, st, pd = T.lvector("ws"), T.lvector("st"), T.lvector("pd")
    v = distinct((2, 7, 6))
    y = pool_2d(x, ws=ws, ignore_border=True, stride=st, pad=pd, mode="average_inc_pad")
    f = theano.function([x, ws, st, pd], [y, y.shape])
    for w, s, p in [((2, 3), (1, 2), (1, 0)), ((3, 3), (3, 1), (2, 1)), ((1, 2), (2, 2),
                                                                         (0, 1))]:
        got, shp = f(v, w, s, p)
        np.testing.assert_allclose(got, ref_pool(v, w, s, p, True, "average_inc_pad"))
        assert tuple(shp) == got.shape
    # Scalars inside the tuples may be symbolic too.
    k = T.lscalar("k")
    y = pool_2d(x, ws=(k, 2), ignore_border=False, mode="max")
    np.testing.assert_allclose(theano.function([x, k], y)(v, 3), ref_pool(v, (3, 2),
                                                                             ignore_border=False))
    # Wrong values of a symbolic window are reported when the function runs.
    with pytest.raises(NotImplementedError, match="padding must be smaller"):
        f(v, (2, 2), (1, 1), (2, 0))


def test_integer_input_keeps_its_dtype():
    x = T.itensor4("x")
    v = np.arange(-20, 30, dtype="int32").reshape(1, 2, 5, 5)
    for mode in MODES:
        got = _run(pool_2d(x, ws=(2, 2), ignore_border=False, mode=mode), [x], [v])
        expected = ref_pool(v.astype("float64"), (2, 2), ignore_border=False, mode=mode)
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, np.trunc(expected).astype("int32"))


def test_max_pool_2d_same_size():
    x = T.dtensor4("x")
    v = distinct((1, 2, 5, 6))
    got = _run(max_pool_2d_same_size(x, (2, 3)), [x], [v])
    expected = np.zeros_like(v)
    for i, j in itertools.product(range(2), range(2)):
        block = v[:, :, 2 * i:2 * i + 2, 3 * j:3 * j + 3]
        mask = block == block.max(axis=(2, 3), keepdims=True)
        expected[:, :, 2 * i:2 * i + 2, 3 * j:3 * j + 3] = np.where(mask, block, 0)
    np.testing.assert_array_equal(got, expected)


def test_out_shape():
    assert Pool.out_shape((2, 3, 5, 7), (2, 2), ignore_border=False) == [2, 3, 3, 4]
    assert Pool.out_shape((5, 7), (3, 3), True, (2, 1), (1, 2)) == [3, 9]
    assert Pool.out_shape((1, 4, 5, 6), ds=(2, 2, 2), ndim=3, ignore_border=True) == [
        1, 2, 2, 3]


# ----------------------------------------------------------------------------- arguments


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [str(w.message) for w in caught]


def test_old_keywords_warn_and_work():
    x = T.dtensor4("x")
    v = distinct((1, 1, 6, 6))
    y, msgs = _warnings_of(lambda: pool_2d(x, ds=(3, 2), st=(2, 1), padding=(1, 1),
                                           ignore_border=True, mode="sum"))
    assert any("'ds' parameter" in m for m in msgs)
    assert any("'st' parameter" in m for m in msgs)
    assert any("'padding' parameter" in m for m in msgs)
    np.testing.assert_allclose(_run(y, [x], [v]), ref_pool(v, (3, 2), (2, 1), (1, 1), True,
                                                           "sum"))
    _, msgs = _warnings_of(lambda: pool_3d(T.dtensor3(), ds=(1, 2, 2), ignore_border=True))
    assert any("'ds' parameter" in m for m in msgs)


def test_ignore_border_none_means_false_with_a_warning():
    x = T.dtensor4("x")
    v = distinct((1, 1, 5, 5))
    y, msgs = _warnings_of(lambda: pool_2d(x, ws=(2, 2)))
    assert any("ignore_border" in m and "default value" in m for m in msgs)
    assert _run(y, [x], [v]).shape == (1, 1, 3, 3)
    _, msgs = _warnings_of(lambda: pool_2d(x, ws=(2, 2), ignore_border=False))
    assert not any("ignore_border" in m for m in msgs)
    _, msgs = _warnings_of(lambda: pool_3d(T.dtensor3(), ws=(1, 2, 2)))
    assert any("pool_3d" in m and "ignore_border" in m for m in msgs)


def test_bad_arguments():
    x = T.dtensor4("x")
    with pytest.raises(ValueError, match="both 'ws' and 'ds'"):
        pool_2d(x, ws=(2, 2), ds=(2, 2), ignore_border=True)
    with pytest.raises(ValueError, match="window size"):
        pool_2d(x, ignore_border=True)
    with pytest.raises(ValueError, match="both 'st' and 'stride'"):
        pool_2d(x, ws=(2, 2), stride=(1, 1), st=(1, 1), ignore_border=True)
    with pytest.raises(ValueError, match="both 'padding' and 'pad'"):
        pool_2d(x, ws=(2, 2), pad=(1, 1), padding=(1, 1), ignore_border=True)
    with pytest.raises(ValueError, match="Pool mode parameter only support"):
        pool_2d(x, ws=(2, 2), ignore_border=True, mode="median")
    with pytest.raises(NotImplementedError, match="only with ignore_border=True"):
        pool_2d(x, ws=(2, 2), ignore_border=False, pad=(1, 1))
    with pytest.raises(NotImplementedError, match="padding must be smaller"):
        pool_2d(x, ws=(2, 2), ignore_border=True, pad=(2, 0))
    with pytest.raises(ValueError, match="ws must be a vector of size 2"):
        pool_2d(x, ws=(2, 2, 2), ignore_border=True)
    with pytest.raises(NotImplementedError, match="pool_2d requires a dimension >= 2"):
        pool_2d(T.dvector(), ws=(2, 2), ignore_border=True)
    with pytest.raises(NotImplementedError, match="pool_3d requires a dimension >= 3"):
        pool_3d(T.dmatrix(), ws=(2, 2, 2), ignore_border=True)
    with pytest.raises(TypeError, match="vector of integers"):
        pool_2d(x, ws=T.dvector(), ignore_border=True)


def test_op_identity_and_str():
    assert Pool(True, "max") == Pool(True, "max", 2)
    assert Pool(True, "max") != Pool(False, "max")
    assert hash(Pool(False, "sum", 3)) == hash(Pool(False, "sum", 3))
    assert str(Pool(True, "max")) == "Pool{ignore_border=True, mode='max', ndim=2}"
    assert Pool.__props__ == ("ignore_border", "mode", "ndim")
    assert str(MaxPoolGrad(False)) == "MaxPoolGrad{ignore_border=False, mode='max', ndim=2}"


# ----------------------------------------------------------------------------- gradients


GRAD_CASES = [
    ((2, 2), None, (0, 0), True),
    ((3, 2), (1, 1), (0, 0), False),
    ((2, 3), (3, 2), (0, 0), False),
    ((3, 3), (2, 1), (1, 2), True),
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ws,stride,pad,ignore_border", GRAD_CASES)
def test_pool_2d_verify_grad(mode, ws, stride, pad, ignore_border, dtype):
    rng = np.random.RandomState(42)
    v = distinct((2, 1, 5, 6), seed=3, dtype=dtype)
    verify_grad(lambda x: pool_2d(x, ws=ws, ignore_border=ignore_border, stride=stride,
                                  pad=pad, mode=mode), [v], rng=rng)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("mode", MODES)
def test_pool_3d_verify_grad(mode, dtype):
    rng = np.random.RandomState(43)
    v = distinct((1, 2, 4, 5, 3), seed=4, dtype=dtype)
    verify_grad(lambda x: pool_3d(x, ws=(2, 3, 2), ignore_border=True, stride=(1, 2, 1),
                                  pad=(1, 1, 0), mode=mode), [v], rng=rng)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_second_order_ops_verify_grad(dtype):
    """MaxPoolGrad, AveragePoolGrad and DownsampleFactorMaxGradGrad are linear in their
    last array input; their gradients are each other (checked by finite differences)."""
    rng = np.random.RandomState(44)
    xv = distinct((1, 2, 5, 6), seed=5, dtype=dtype)
    x = theano.shared(xv)
    args = ((3, 2), (1, 2), (1, 1))
    z = Pool(True, "max")(x, *args)
    zshape = theano.function([], z)().shape
    verify_grad(lambda gz: MaxPoolGrad(True)(x, z, gz, *args),
                [rng.randn(*zshape).astype(dtype)], rng=rng)
    verify_grad(lambda gx: DownsampleFactorMaxGradGrad(True)(x, z, gx, *args),
                [rng.randn(*xv.shape).astype(dtype)], rng=rng)
    for mode in ("sum", "average_inc_pad", "average_exc_pad"):
        verify_grad(lambda gz, m=mode: AveragePoolGrad(True, m)(x, gz, *args),
                    [rng.randn(*zshape).astype(dtype)], rng=rng)


def test_max_gradient_goes_to_every_tie():
    x = T.dmatrix("x")
    v = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 2.0], [2.0, 2.0, 0.0]])
    g = T.grad(pool_2d(x, ws=(2, 2), stride=(1, 1), ignore_border=True).sum(), x)
    np.testing.assert_array_equal(_run(g, [x], [v]),
                                  [[1.0, 1.0, 0.0], [1.0, 0.0, 2.0], [1.0, 2.0, 0.0]])


def test_hessian_vector_product_through_max_pooling():
    # d/dx of <grad(sum(pool(x)**2)), w> = MaxPoolGrad applied to 2*pool(w restricted)
    x = T.dtensor4("x")
    v = distinct((1, 1, 4, 6), seed=6)
    w = distinct((1, 1, 4, 6), seed=7)
    y = pool_2d(x, ws=(2, 3), ignore_border=True)
    gx = T.grad((y ** 2).sum(), x)
    hv = T.grad((gx * w).sum(), x)
    got = _run(hv, [x], [v])
    win = (v == np.kron(ref_pool(v, (2, 3)), np.ones((2, 3))))  # each window's maximum
    wmax = np.kron(ref_pool(np.where(win, w, 0), (2, 3), mode="sum"), np.ones((2, 3)))
    np.testing.assert_allclose(got, 2 * np.where(win, wmax, 0))


# ----------------------------------------------------------------------------- golden


def _golden():
    with open(os.path.join(GOLDEN, "pool.theano105.json")) as f:
        return json.load(f)


GOLDEN_RECORD = _golden()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    GOLDEN_CASES = make_pool.cases(theano)


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_matches_theano_105(name):
    inputs, outputs, values = GOLDEN_CASES[name]
    results = theano.function(inputs, outputs, on_unused_input="ignore")(*values)
    expected = GOLDEN_RECORD[name]
    assert len(results) == len(expected)
    for k, (got, rec) in enumerate(zip(results, expected)):
        want = np.array(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])
        assert got.dtype == want.dtype, (name, k)
        assert got.shape == want.shape, (name, k)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=f"{name}[{k}]")


def test_module_exports():
    for name in ("Pool", "MaxPoolGrad", "AveragePoolGrad", "DownsampleFactorMaxGradGrad",
                 "pool_2d", "pool_3d", "max_pool_2d_same_size"):
        assert hasattr(pool, name), name


# ----------------------------------------------------------------------------- CuPy path


def test_pooling_ops_run_on_the_cupy_code_path(monkeypatch):
    """Every pooling Op's impl runs on the (fake) CuPy module and agrees with NumPy."""
    fake_cupy = pytest.importorskip("tests.support.fake_cupy")
    from theano_compat import backend
    fake_cupy.install(monkeypatch)
    seen = set()
    for cls in (Pool, MaxPoolGrad, AveragePoolGrad, DownsampleFactorMaxGradGrad):
        def recording(self, xp, *args, _impl=cls.impl, _name=cls.__name__):
            seen.add((_name, xp.__name__))
            return _impl(self, xp, *args)
        monkeypatch.setattr(cls, "impl", recording)
    x = T.dtensor4("x")
    v = distinct((2, 2, 6, 5), seed=8)
    outs = [max_pool_2d_same_size(x, (2, 2))]
    for mode in MODES:
        for kw in ({"ws": (3, 2), "stride": (2, 1), "pad": (1, 1), "ignore_border": True},
                   {"ws": (2, 2), "ignore_border": False}):
            y = pool_2d(x, mode=mode, **kw)
            outs += [y, T.grad((y ** 2).sum(), x)]
    gx = T.grad((pool_2d(x, (2, 2), ignore_border=True) ** 2).sum(), x)
    outs.append(T.grad((gx * x).sum(), x))
    want = theano.function([x], outs)(v)
    with backend.using("cuda0"):
        got = theano.function([x], outs)(v)
    for k, (a, b) in enumerate(zip(got, want)):
        np.testing.assert_allclose(backend.to_host(a), b, rtol=1e-12, atol=1e-12,
                                   err_msg=str(k))
    assert {name for name, xp in seen if xp == "cupy"} == {
        "Pool", "MaxPoolGrad", "AveragePoolGrad", "DownsampleFactorMaxGradGrad"}


# Printed by Theano 1.0.5 for MaxPoolRop(ignore_border, 'max', 2)(x, e, ws, stride, pad),
# x = np.random.RandomState(0).randint(0, 4, size=(1, 2, 5, 5)) (many ties), e = arange(50).
_ROP_CASES = [
    ((True, (2, 2), (2, 2), (0, 0)),
     [[[[1.0, 7.0], [11.0, 13.0]], [[25.0, 32.0], [41.0, 37.0]]]]),
    ((False, (2, 3), (2, 2), (0, 0)),
     [[[[1.0, 4.0], [11.0, 13.0], [21.0, 22.0]], [[32.0, 32.0], [37.0, 37.0], [46.0, 47.0]]]]),
]


@pytest.mark.parametrize("args, expected", _ROP_CASES)
def test_max_pool_rop_takes_the_eval_point_at_the_first_maximum(args, expected):
    ib, ws, st, pad = args
    x, e = T.dtensor4(), T.dtensor4()
    xv = np.random.RandomState(0).randint(0, 4, size=(1, 2, 5, 5)).astype("float64")
    ev = np.arange(50.0).reshape(1, 2, 5, 5)
    f = theano.function([x, e], pool.MaxPoolRop(ib, "max", 2)(x, e, ws, st, pad))
    assert f(xv, ev).tolist() == expected


def test_max_pool_rop_with_padding_matches_a_window_loop():
    x, e = T.dtensor4(), T.dtensor4()
    rng = np.random.RandomState(1)
    xv, ev = rng.randn(2, 1, 5, 6), rng.randn(2, 1, 5, 6)
    ws, st, pad = (3, 3), (1, 2), (1, 1)
    got = theano.function([x, e], pool.MaxPoolRop(True, "max", 2)(x, e, ws, st, pad))(xv, ev)
    rows, cols = (5 + 2 - 3) // 1 + 1, (6 + 2 - 3) // 2 + 1
    want = np.empty((2, 1, rows, cols))
    for i, j in itertools.product(range(rows), range(cols)):
        r0, c0 = i * st[0] - pad[0], j * st[1] - pad[1]  # window in unpadded coordinates
        r_lo, c_lo = max(r0, 0), max(c0, 0)
        win = xv[:, :, r_lo:r0 + ws[0], c_lo:c0 + ws[1]].reshape(2, 1, -1)
        ewin = ev[:, :, r_lo:r0 + ws[0], c_lo:c0 + ws[1]].reshape(2, 1, -1)
        want[:, :, i, j] = np.take_along_axis(ewin, win.argmax(-1)[..., None], -1)[..., 0]
    np.testing.assert_allclose(got, want)
    assert got.shape == (2, 1, rows, cols)


def test_pool_module_names_of_theano():
    assert issubclass(pool.MaxPoolGrad, pool.PoolGrad)
    assert issubclass(pool.AveragePoolGrad, pool.PoolGrad)
    assert pool.PoolGrad.out_shape((4, 5, 7), (2, 3), True) == [4, 2, 2]
    modes = pool.PoolingMode_t
    assert modes.fromalias("average_exc_pad") == 3 and modes.POOLING_MAX == 0
    assert pool.EnumList is theano.gof.EnumList and pool.OpenMPOp is theano.gof.OpenMPOp
    assert pool.gof is theano.gof and pool.tensor is T and pool.theano is theano
    assert pool.bool_t is theano.scalar.bool
    import theano.tensor.signal as signal
    from theano.tensor.signal import conv
    assert signal.pool is pool
    assert conv.conv is theano.tensor.nnet.conv and conv.tensor is T and conv.theano is theano
