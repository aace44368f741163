"""Values of theano.tensor operations against hand-written NumPy/SciPy references.

Every test compiles a graph with ``theano.function`` (or ``.eval``) and compares the
result, and its dtype, with a reference computed directly with NumPy/SciPy on the same
random inputs.  Where Theano 1.0.5's behaviour differs from NumPy's (rounding default,
``int / int``, ``Argmax`` over all axes...), the expected value follows Theano; those
cases were checked with the original Theano (tools/theano-ref).
"""

import warnings
import zlib

import numpy as np
import pytest
import scipy.special as sp
import theano.tensor as T

import theano

RNG = np.random.default_rng(20240601)


@pytest.fixture(autouse=True)
def _reseed(request):
    """Per-test random stream, so a test's inputs do not depend on which tests ran before."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.name.encode()))
FLOATS = ["float64", "float32"]


def rtol_for(dtype):
    return 1e-12 if dtype == "float64" else 2e-6


def atol_for(dtype):
    return 1e-12 if dtype == "float64" else 1e-6


def check(got, expected, dtype=None, rtol=None, atol=None):
    """Assert values (and dtype when given) of a compiled result."""
    got = np.asarray(got)
    if dtype is not None:
        assert str(got.dtype) == dtype, f"dtype {got.dtype} != {dtype}"
    expected = np.asarray(expected)
    assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}"
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        d = dtype or str(got.dtype)
        np.testing.assert_allclose(
            got, expected, rtol=rtol if rtol is not None else rtol_for(d),
            atol=atol if atol is not None else atol_for(d))


def sample(domain, shape, dtype):
    """Random values of `shape` inside the domain an op is defined on."""
    lo, hi = {
        "any": (-3.0, 3.0), "pos": (0.1, 3.0), "unit": (-0.9, 0.9), "gt1": (1.1, 4.0),
        "small": (-1.5, 1.5), "gampos": (0.2, 4.0), "nonzero": (0.5, 3.0),
    }[domain]
    v = RNG.uniform(lo, hi, size=shape)
    if domain == "nonzero":
        v *= RNG.choice([-1.0, 1.0], size=shape)
    return v.astype(dtype)


def sym(dtype, ndim, name=None):
    return T.TensorType(dtype, (False,) * ndim)(name)


# ----------------------------------------------------------------------------- elementwise

def _round_away(x):
    return np.where(x >= 0, np.floor(x + 0.5), np.ceil(x - 0.5))


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (theano function, reference function (on float64 arrays), domain per input)
UNARY = {
    "neg": (T.neg, np.negative, "any"),
    "abs_": (T.abs_, np.abs, "any"),
    "sgn": (T.sgn, np.sign, "any"),
    "inv": (T.inv, lambda x: 1.0 / x, "nonzero"),
    "sqr": (T.sqr, np.square, "any"),
    "sqrt": (T.sqrt, np.sqrt, "pos"),
    "exp": (T.exp, np.exp, "any"),
    "exp2": (T.exp2, np.exp2, "any"),
    "expm1": (T.expm1, np.expm1, "any"),
    "log": (T.log, np.log, "pos"),
    "log2": (T.log2, np.log2, "pos"),
    "log10": (T.log10, np.log10, "pos"),
    "log1p": (T.log1p, np.log1p, "pos"),
    "sin": (T.sin, np.sin, "any"),
    "cos": (T.cos, np.cos, "any"),
    "tan": (T.tan, np.tan, "small"),
    "arcsin": (T.arcsin, np.arcsin, "unit"),
    "arccos": (T.arccos, np.arccos, "unit"),
    "arctan": (T.arctan, np.arctan, "any"),
    "sinh": (T.sinh, np.sinh, "any"),
    "cosh": (T.cosh, np.cosh, "any"),
    "tanh": (T.tanh, np.tanh, "any"),
    "arcsinh": (T.arcsinh, np.arcsinh, "any"),
    "arccosh": (T.arccosh, np.arccosh, "gt1"),
    "arctanh": (T.arctanh, np.arctanh, "unit"),
    "erf": (T.erf, sp.erf, "any"),
    "erfc": (T.erfc, sp.erfc, "any"),
    "erfinv": (T.erfinv, sp.erfinv, "unit"),
    "gamma": (T.gamma, sp.gamma, "gampos"),
    "gammaln": (T.gammaln, sp.gammaln, "gampos"),
    "psi": (T.psi, sp.psi, "gampos"),
    "ceil": (T.ceil, np.ceil, "any"),
    "floor": (T.floor, np.floor, "any"),
    "trunc": (T.trunc, np.trunc, "any"),
    "round_away": (lambda x: T.round(x, mode="half_away_from_zero"), _round_away, "any"),
    "round_even": (lambda x: T.round(x, mode="half_to_even"), np.round, "any"),
    "sigmoid": (T.nnet.sigmoid, _sigmoid, "any"),
    "softplus": (T.nnet.softplus, lambda x: np.log1p(np.exp(x)), "any"),
    "relu": (T.nnet.relu, lambda x: np.maximum(x, 0), "any"),
    "relu_leaky": (lambda x: T.nnet.relu(x, 0.1), lambda x: np.where(x > 0, x, 0.1 * x), "any"),
    "isnan": (T.isnan, np.isnan, "any"),
    "isinf": (T.isinf, np.isinf, "any"),
}

BINARY = {
    "add": (T.add, np.add, ("any", "any")),
    "sub": (T.sub, np.subtract, ("any", "any")),
    "mul": (T.mul, np.multiply, ("any", "any")),
    "true_div": (T.true_div, np.true_divide, ("any", "nonzero")),
    "int_div": (T.int_div, np.floor_divide, ("any", "nonzero")),
    "mod": (T.mod, np.mod, ("any", "nonzero")),
    "pow": (T.pow, np.power, ("pos", "any")),
    "maximum": (T.maximum, np.maximum, ("any", "any")),
    "minimum": (T.minimum, np.minimum, ("any", "any")),
    "arctan2": (T.arctan2, np.arctan2, ("any", "any")),
    "lt": (T.lt, np.less, ("any", "any")),
    "gt": (T.gt, np.greater, ("any", "any")),
    "le": (T.le, np.less_equal, ("any", "any")),
    "ge": (T.ge, np.greater_equal, ("any", "any")),
    "eq": (T.eq, np.equal, ("any", "any")),
    "neq": (T.neq, np.not_equal, ("any", "any")),
    "op+": (lambda a, b: a + b, np.add, ("any", "any")),
    "op-": (lambda a, b: a - b, np.subtract, ("any", "any")),
    "op*": (lambda a, b: a * b, np.multiply, ("any", "any")),
    "op/": (lambda a, b: a / b, np.true_divide, ("any", "nonzero")),
    "op//": (lambda a, b: a // b, np.floor_divide, ("any", "nonzero")),
    "op%": (lambda a, b: a % b, np.mod, ("any", "nonzero")),
    "op**": (lambda a, b: a ** b, np.power, ("pos", "any")),
}

BOOL_RESULT = {"isnan", "isinf", "lt", "gt", "le", "ge", "eq", "neq"}


# relu(x, 0.1) builds 0.55 * x from the literal 0.1: with floatX=float64 that constant is
# float64 (0.1 is not exact in float32), so a float32 input gives a float64 result; with
# floatX=float32 it is float32 (checked with Theano 1.0.5 under both settings).
FORCED_DTYPE = {"relu_leaky": "float64"} if theano.config.floatX == "float64" else {}
LOOSE = {"relu_leaky"} if theano.config.floatX == "float32" else set()


def _expected_dtype(name, dtype):
    return "bool" if name in BOOL_RESULT else FORCED_DTYPE.get(name, dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_elementwise(name, dtype):
    tfn, nfn, domain = UNARY[name]
    x = sym(dtype, 2, "x")
    xv = sample(domain, (3, 4), dtype)
    if name in ("isnan", "isinf"):
        xv[0, 0], xv[1, 1], xv[2, 2] = np.nan, np.inf, -np.inf
    if name.startswith("round"):
        xv[0, :4] = np.array([0.5, -0.5, 1.5, -2.5], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = theano.function([x], tfn(x))
    expected = nfn(xv.astype("float64"))
    rtol = 1e-5 if dtype == "float32" or name in LOOSE else 1e-10
    check(f(xv), expected, dtype=_expected_dtype(name, dtype), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_elementwise(name, dtype):
    tfn, nfn, (da, db) = BINARY[name]
    a, b = sym(dtype, 2, "a"), sym(dtype, 2, "b")
    av, bv = sample(da, (3, 4), dtype), sample(db, (3, 4), dtype)
    if name in BOOL_RESULT:
        bv[0] = av[0]  # exercise equality
    f = theano.function([a, b], tfn(a, b))
    expected = nfn(av.astype("float64"), bv.astype("float64"))
    rtol = 1e-5 if dtype == "float32" else 1e-10
    if name in ("int_div", "op//", "mod", "op%"):
        # floor of a float32 quotient may legitimately differ from the float64 one at an
        # integer boundary; compare against the same-precision NumPy result.
        expected = nfn(av, bv)
    check(f(av, bv), expected, dtype=_expected_dtype(name, dtype), rtol=rtol, atol=rtol)


BROADCAST_CASES = {
    # name -> (make a, make b, a shape, b shape)
    "row+col": (lambda d: T.row(dtype=d), lambda d: T.col(dtype=d), (1, 4), (3, 1)),
    "scalar+matrix": (lambda d: T.scalar(dtype=d), lambda d: T.matrix(dtype=d), (), (3, 4)),
    "matrix+vector": (lambda d: T.matrix(dtype=d), lambda d: T.vector(dtype=d), (3, 4), (4,)),
    "tensor3+row": (lambda d: T.tensor3(dtype=d), lambda d: T.row(dtype=d), (2, 3, 4), (1, 4)),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", sorted(BROADCAST_CASES))
@pytest.mark.parametrize("name", ["add", "sub", "mul", "true_div", "pow", "maximum",
                                  "arctan2", "lt", "eq"])
def test_binary_broadcasting(name, case, dtype):
    tfn, nfn, (da, db) = BINARY[name]
    make_a, make_b, sa, sb = BROADCAST_CASES[case]
    a, b = make_a(dtype), make_b(dtype)
    av, bv = sample(da, sa, dtype), sample(db, sb, dtype)
    out = tfn(a, b)
    expected = nfn(av.astype("float64"), bv.astype("float64"))
    assert out.ndim == expected.ndim
    assert out.broadcastable == tuple(s == 1 and all(
        getattr(v, "broadcastable", ())[i - (expected.ndim - v.ndim)]
        for v in (a, b) if i - (expected.ndim - v.ndim) >= 0)
        for i, s in enumerate(expected.shape))
    f = theano.function([a, b], out)
    rtol = 1e-5 if dtype == "float32" else 1e-10
    check(f(av, bv), expected, dtype=_expected_dtype(name, dtype), rtol=rtol, atol=rtol)


INT_BINARY = {
    "int_div": (T.int_div, np.floor_divide),
    "mod": (T.mod, np.mod),
    "and_": (T.and_, np.bitwise_and),
    "or_": (T.or_, np.bitwise_or),
    "xor": (T.xor, np.bitwise_xor),
    "op&": (lambda a, b: a & b, np.bitwise_and),
    "op|": (lambda a, b: a | b, np.bitwise_or),
    "op^": (lambda a, b: a ^ b, np.bitwise_xor),
    "add": (T.add, np.add),
    "mul": (T.mul, np.multiply),
    "maximum": (T.maximum, np.maximum),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8"])
@pytest.mark.parametrize("name", sorted(INT_BINARY))
def test_integer_binary(name, dtype):
    tfn, nfn = INT_BINARY[name]
    a, b = T.vector(dtype=dtype), T.vector(dtype=dtype)
    av = RNG.integers(-20, 20, size=8).astype(dtype)
    bv = RNG.integers(1, 7, size=8).astype(dtype) * RNG.choice([-1, 1], size=8).astype(dtype)
    f = theano.function([a, b], tfn(a, b))
    check(f(av, bv), nfn(av, bv), dtype=dtype)


@pytest.mark.parametrize("name,tfn,nfn", [
    ("and_", T.and_, np.logical_and), ("or_", T.or_, np.logical_or),
    ("xor", T.xor, np.logical_xor), ("eq", T.eq, np.equal),
])
def test_bool_logic(name, tfn, nfn):
    a, b = T.vector(dtype="bool"), T.vector(dtype="bool")
    av = np.array([True, True, False, False])
    bv = np.array([True, False, True, False])
    f = theano.function([a, b], [tfn(a, b), T.invert(a), ~b])
    r, inv_a, inv_b = f(av, bv)
    check(r, nfn(av, bv), dtype="bool")
    check(inv_a, ~av, dtype="bool")
    check(inv_b, ~bv, dtype="bool")


def test_invert_int():
    a = T.vector(dtype="int32")
    av = np.array([0, 1, -5, 7], dtype="int32")
    check(theano.function([a], T.invert(a))(av), np.invert(av), dtype="int32")


def test_int_true_div_gives_floatX():
    a, b = T.ivector(), T.ivector()
    av, bv = np.array([1, 7, -3], "int32"), np.array([2, 2, 2], "int32")
    check(theano.function([a, b], a / b)(av, bv), av / bv, dtype=theano.config.floatX)


def test_round_default_is_half_away_from_zero():
    x = T.dvector()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = theano.function([x], T.round(x))
    xv = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 0.4, -0.6])
    check(f(xv), _round_away(xv), dtype="float64")


@pytest.mark.parametrize("dtype", FLOATS)
def test_switch_and_clip(dtype):
    c = T.matrix(dtype="bool")
    a, b = sym(dtype, 2), sym(dtype, 2)
    cv = RNG.random((3, 4)) > 0.5
    av, bv = sample("any", (3, 4), dtype), sample("any", (3, 4), dtype)
    f = theano.function([c, a, b], [T.switch(c, a, b), T.switch(a > 0, a, 0),
                                    T.clip(a, -1, 1), T.clip(a, b, 2.0), a.clip(-0.5, 0.5)])
    s1, s2, c1, c2, c3 = f(cv, av, bv)
    check(s1, np.where(cv, av, bv), dtype=dtype)
    check(s2, np.where(av > 0, av, 0), dtype=dtype)
    check(c1, np.clip(av, -1, 1), dtype=dtype)
    # Theano's clip: lo wins where lo > hi (here where b > 2)
    check(c2, np.where(av < bv, bv, np.where(av > 2.0, 2.0, av)), dtype=dtype)
    check(c3, np.clip(av, -0.5, 0.5), dtype=dtype)


def test_switch_broadcasts_condition():
    c = T.col(dtype="bool")
    a = T.dmatrix()
    cv = np.array([[True], [False], [True]])
    av = RNG.standard_normal((3, 4))
    out = theano.function([c, a], T.switch(c, a, -a))(cv, av)
    check(out, np.where(cv, av, -av), dtype="float64")


# ----------------------------------------------------------------------------- nnet


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax(dtype):
    x = sym(dtype, 2)
    xv = sample("any", (4, 5), dtype) * 5
    e = np.exp(xv.astype("float64") - xv.max(axis=1, keepdims=True))
    ref = e / e.sum(axis=1, keepdims=True)
    check(theano.function([x], T.nnet.softmax(x))(xv), ref, dtype=dtype, rtol=1e-5)
    v = sym(dtype, 1)
    out = T.nnet.softmax(v)
    assert out.ndim == 2  # Theano 1.0.5 treats a vector as one row
    check(theano.function([v], out)(xv[0]), ref[:1], dtype=dtype, rtol=1e-5)


@pytest.mark.parametrize("dtype", FLOATS)
def test_categorical_crossentropy(dtype):
    p = sym(dtype, 2)
    logits = sample("any", (5, 3), "float64")
    pv = (np.exp(logits) / np.exp(logits).sum(1, keepdims=True)).astype(dtype)
    yv = np.array([0, 2, 1, 1, 0], dtype="int32")
    onehot = np.eye(3, dtype=dtype)[yv]
    ref = -np.log(pv.astype("float64")[np.arange(5), yv])
    y_int = T.ivector()
    y_hot = sym(dtype, 2)
    f = theano.function([p, y_int, y_hot], [T.nnet.categorical_crossentropy(p, y_int),
                                            T.nnet.categorical_crossentropy(p, y_hot)])
    r_int, r_hot = f(pv, yv, onehot)
    check(r_int, ref, dtype=dtype, rtol=1e-5)
    check(r_hot, ref, dtype=dtype, rtol=1e-5)


def test_sigmoid_saturates_like_theano():
    x = T.dvector()
    xv = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    out = theano.function([x], [T.nnet.sigmoid(x), T.nnet.softplus(x)])(xv)
    assert np.all(np.isfinite(out[0])) and np.all(np.isfinite(out[1]))
    check(out[0][[0, 2, 4]], [0.0, 0.5, 1.0], dtype="float64")
    check(out[1], [0.0, 0.0, np.log(2.0), 40.0, 800.0], dtype="float64", atol=1e-15)


# ----------------------------------------------------------------------------- reductions

AXES = [None, 0, 1, -1, 2, (0, 2), (-1, 0), (0, 1, 2)]

# name -> (theano function(x, axis, keepdims), numpy reference(x, axis, keepdims))
REDUCTIONS = {
    "sum": (lambda x, a, k: T.sum(x, axis=a, keepdims=k), np.sum),
    "mean": (lambda x, a, k: T.mean(x, axis=a, keepdims=k), np.mean),
    "prod": (lambda x, a, k: T.prod(x, axis=a, keepdims=k), np.prod),
    "max": (lambda x, a, k: T.max(x, axis=a, keepdims=k), np.max),
    "min": (lambda x, a, k: T.min(x, axis=a, keepdims=k), np.min),
    "var": (lambda x, a, k: T.var(x, axis=a, keepdims=k), np.var),
    "std": (lambda x, a, k: T.std(x, axis=a, keepdims=k), np.std),
    "method.sum": (lambda x, a, k: x.sum(axis=a, keepdims=k), np.sum),
    "method.max": (lambda x, a, k: x.max(axis=a, keepdims=k), np.max),
}


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_reductions(name, axis, keepdims, dtype):
    tfn, nfn = REDUCTIONS[name]
    x = sym(dtype, 3)
    xv = sample("nonzero", (2, 3, 4), dtype)
    out = tfn(x, axis, keepdims)
    expected = nfn(xv.astype("float64"), axis=axis, keepdims=keepdims)
    assert out.ndim == expected.ndim
    check(theano.function([x], out)(xv), expected, dtype=dtype,
          rtol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, axis, keepdims):
    x = T.dtensor3()
    xv = RNG.standard_normal((2, 3, 4))
    out = getattr(T, name)(x, axis=axis, keepdims=keepdims)
    f = theano.function([x], out)
    nfn = getattr(np, name)
    if axis is None or isinstance(axis, tuple):
        # NumPy takes one axis: move the reduced axes last and flatten them.
        axes = tuple(range(3)) if axis is None else tuple(a % 3 for a in axis)
        keep = [d for d in range(3) if d not in axes]
        moved = xv.transpose(keep + sorted(axes)).reshape([xv.shape[d] for d in keep] + [-1])
        expected = nfn(moved, axis=-1)
        if keepdims:
            expected = np.expand_dims(expected, axes)
    else:
        expected = nfn(xv, axis=axis, keepdims=keepdims)
    check(f(xv), expected, dtype="int64")


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)], ids=str)
def test_all_any(axis, keepdims):
    x = T.imatrix()
    xv = np.array([[0, 1, 2], [3, 4, 5]], dtype="int32")
    f = theano.function([x], [T.all(x, axis=axis, keepdims=keepdims),
                              T.any(x, axis=axis, keepdims=keepdims),
                              T.any(T.eq(x, 7), axis=axis, keepdims=keepdims)])
    a, b, c = f(xv)
    check(a, np.all(xv, axis=axis, keepdims=keepdims), dtype="bool")
    check(b, np.any(xv, axis=axis, keepdims=keepdims), dtype="bool")
    check(c, np.any(xv == 7, axis=axis, keepdims=keepdims), dtype="bool")


@pytest.mark.parametrize("in_dtype,sum_dtype", [
    ("int8", "int64"), ("int32", "int64"), ("uint8", "uint64"), ("bool", "int64"),
    ("float32", "float32"),
])
def test_sum_prod_dtypes(in_dtype, sum_dtype):
    x = T.matrix(dtype=in_dtype)
    xv = (RNG.integers(0, 3, size=(4, 5)) > 0 if in_dtype == "bool"
          else RNG.integers(1, 4, size=(4, 5))).astype(in_dtype)
    f = theano.function([x], [x.sum(), x.sum(axis=0), x.prod(axis=1)])
    s, s0, p1 = f(xv)
    check(s, xv.astype(sum_dtype).sum(), dtype=sum_dtype)
    check(s0, xv.astype(sum_dtype).sum(axis=0), dtype=sum_dtype)
    check(p1, xv.astype(sum_dtype).prod(axis=1), dtype=sum_dtype)


def test_int_mean_is_float64():
    x = T.ivector()
    xv = np.array([1, 2, 4], dtype="int32")
    check(theano.function([x], T.mean(x))(xv), np.mean(xv), dtype="float64")


# ----------------------------------------------------------------------------- dot family

DOT_SHAPES = {
    "vv": ((4,), (4,)), "vm": ((4,), (4, 3)), "mv": ((2, 4), (4,)), "mm": ((2, 4), (4, 3)),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", sorted(DOT_SHAPES))
def test_dot(case, dtype):
    sa, sb = DOT_SHAPES[case]
    a, b = sym(dtype, len(sa)), sym(dtype, len(sb))
    av, bv = sample("any", sa, dtype), sample("any", sb, dtype)
    f = theano.function([a, b], [T.dot(a, b), a.dot(b)])
    expected = np.dot(av.astype("float64"), bv.astype("float64"))
    for r in f(av, bv):
        check(r, expected, dtype=dtype, rtol=1e-5 if dtype == "float32" else 1e-12)


def test_dot_scalar_and_mixed_dtypes():
    s, m = T.dscalar(), T.fmatrix()
    mv = sample("any", (2, 3), "float32")
    check(theano.function([s, m], T.dot(s, m))(2.0, mv), 2.0 * mv, dtype="float64")
    a, b = T.fmatrix(), T.dmatrix()
    av, bv = sample("any", (2, 3), "float32"), sample("any", (3, 2), "float64")
    check(theano.function([a, b], T.dot(a, b))(av, bv), av.astype("float64") @ bv,
          dtype="float64")


@pytest.mark.parametrize("axes", [0, 1, 2, [[1], [0]], [[2, 0], [1, 0]], [[-1], [0]],
                                  ([1, 2], [0, 1])], ids=str)
def test_tensordot(axes):
    a, b = T.dtensor3(), T.dtensor3()
    shapes = {0: ((2, 3, 4), (5, 2, 3)), 1: ((2, 3, 4), (4, 2, 3)), 2: ((2, 3, 4), (3, 4, 5))}
    if isinstance(axes, int):
        sa, sb = shapes[axes]
    else:
        sa, sb = (2, 3, 4), [None, None, None]
        a_ax, b_ax = axes
        # Build b's shape so the summed axes match.
        sb = [5, 6, 7]
        for i, j in zip(a_ax, b_ax):
            sb[j] = sa[i]
        sb = tuple(sb)
    av, bv = RNG.standard_normal(sa), RNG.standard_normal(sb)
    out = T.tensordot(a, b, axes)
    expected = np.tensordot(av, bv, axes)
    assert out.ndim == expected.ndim
    check(theano.function([a, b], out)(av, bv), expected, dtype="float64")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", [((3, 2, 4), (3, 4, 5)), ((3, 4), (3, 4)),
                                    ((3, 2, 4), (3, 4)), ((3, 4), (3, 4, 2))], ids=str)
def test_batched_dot(shapes, dtype):
    sa, sb = shapes
    a, b = sym(dtype, len(sa)), sym(dtype, len(sb))
    av, bv = sample("any", sa, dtype), sample("any", sb, dtype)
    expected = np.stack([np.dot(av[i].astype("float64"), bv[i].astype("float64"))
                         for i in range(3)])
    out = T.batched_dot(a, b)
    assert out.ndim == expected.ndim
    check(theano.function([a, b], out)(av, bv), expected, dtype=dtype,
          rtol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("dtype", FLOATS)
def test_outer(dtype):
    a, b = sym(dtype, 1), sym(dtype, 1)
    av, bv = sample("any", (3,), dtype), sample("any", (4,), dtype)
    check(theano.function([a, b], T.outer(a, b))(av, bv),
          np.outer(av.astype("float64"), bv.astype("float64")), dtype=dtype,
          rtol=1e-6 if dtype == "float32" else 1e-12)


# ----------------------------------------------------------------------------- shape ops


def test_reshape_symbolic_shapes():
    x = T.dmatrix()
    n = T.lscalar()
    xv = RNG.standard_normal((4, 6))
    f = theano.function([x, n], [x.reshape((n, -1)), x.reshape((2, n, -1), ndim=3),
                                 T.reshape(x, (x.shape[1], x.shape[0])),
                                 x.reshape((n, x.shape[0] * x.shape[1] // n), ndim=2),
                                 x.reshape(T.stack([n, -1]), ndim=2),
                                 x.reshape((24,))])
    r = f(xv, 3)
    check(r[0], xv.reshape(3, -1), dtype="float64")
    check(r[1], xv.reshape(2, 3, -1), dtype="float64")
    check(r[2], xv.reshape(6, 4), dtype="float64")
    check(r[3], xv.reshape(3, 8), dtype="float64")
    check(r[4], xv.reshape(3, 8), dtype="float64")
    check(r[5], xv.reshape(24), dtype="float64")
    assert [o.ndim for o in (x.reshape((n, -1)), x.reshape((2, n, -1), ndim=3))] == [2, 3]


def test_reshape_broadcastable_from_constant_one():
    x = T.dvector()
    out = x.reshape((1, -1))
    assert out.broadcastable == (True, False)
    check(theano.function([x], out)(np.arange(3.0)), np.arange(3.0).reshape(1, -1),
          dtype="float64")


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_flatten(ndim):
    x = T.dtensor3()
    xv = RNG.standard_normal((2, 3, 4))
    f = theano.function([x], [x.flatten(ndim), T.flatten(x, outdim=ndim), T.flatten(x, ndim)])
    expected = xv.reshape(xv.shape[: ndim - 1] + (-1,))
    for r in f(xv):
        check(r, expected, dtype="float64")


def test_flatten_default_and_ravel():
    x = T.imatrix()
    xv = np.arange(6, dtype="int32").reshape(2, 3)
    f = theano.function([x], [x.flatten(), T.flatten(x), x.ravel()])
    for r in f(xv):
        check(r, xv.ravel(), dtype="int32")


def test_dimshuffle_patterns():
    v = T.dvector()
    m = T.dmatrix()
    r = T.drow()
    t = T.TensorType("float64", (False, True, False))()
    vv = RNG.standard_normal(3)
    mv = RNG.standard_normal((2, 3))
    rv = RNG.standard_normal((1, 3))
    tv = RNG.standard_normal((2, 1, 3))
    outs = [v.dimshuffle("x", 0), v.dimshuffle(0, "x"), m.dimshuffle(1, 0), m.T,
            m.dimshuffle("x", 1, "x", 0), r.dimshuffle(1), t.dimshuffle(0, 2),
            t.dimshuffle(2, "x", 0), m.transpose(), m.transpose(1, 0)]
    assert outs[0].broadcastable == (True, False)
    assert outs[1].broadcastable == (False, True)
    assert outs[4].broadcastable == (True, False, True, False)
    assert outs[6].broadcastable == (False, False)
    f = theano.function([v, m, r, t], outs)
    res = f(vv, mv, rv, tv)
    expected = [vv[None, :], vv[:, None], mv.T, mv.T, mv.T[None, :, None, :], rv[0],
                tv[:, 0, :], tv[:, 0, :].T[:, None, :], mv.T, mv.T]
    for got, exp in zip(res, expected):
        check(got, exp, dtype="float64")


def test_dimshuffle_refuses_dropping_non_broadcastable():
    m = T.dmatrix()
    with pytest.raises(ValueError):
        m.dimshuffle(0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_join_stack(axis):
    a, b = T.dmatrix(), T.dmatrix()
    av, bv = RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))
    f = theano.function([a, b], [T.concatenate([a, b], axis=axis), T.join(axis, a, b),
                                 T.stack([a, b], axis=axis), T.stack(tensors=[a, b], axis=axis)])
    # Theano 1.0.5 read stack(a, b, axis=...) as stack(tensors=a, axis=b): TypeError
    with pytest.raises(TypeError):
        T.stack(a, b, axis=axis)
    c, j, s, s2 = f(av, bv)
    check(c, np.concatenate([av, bv], axis=axis), dtype="float64")
    check(j, np.concatenate([av, bv], axis=axis), dtype="float64")
    check(s, np.stack([av, bv], axis=axis), dtype="float64")
    check(s2, np.stack([av, bv], axis=axis), dtype="float64")


def test_join_mixed_dtypes_and_unequal_lengths():
    a, b = T.fvector(), T.dvector()
    av, bv = np.arange(2, dtype="float32"), np.arange(3.0)
    check(theano.function([a, b], T.concatenate([a, b]))(av, bv), np.concatenate([av, bv]),
          dtype="float64")


def test_stack_scalars():
    a, b = T.dscalar(), T.dscalar()
    i = T.iscalar()
    f = theano.function([a, b, i], [T.stack([a, b]), T.stack(a, b, a), T.stack([a, i]),
                                    T.stack([i, i])])
    s1, s2, s3, s4 = f(1.5, 2.5, 3)
    check(s1, [1.5, 2.5], dtype="float64")
    check(s2, [1.5, 2.5, 1.5], dtype="float64")
    check(s3, [1.5, 3.0], dtype="float64")
    check(s4, [3, 3], dtype="int32")


def test_alloc_zeros_ones_fill():
    x = T.dmatrix()
    n = T.lscalar()
    v = T.dvector()
    xv = RNG.standard_normal((2, 3))
    vv = RNG.standard_normal(3)
    outs = [T.alloc(1.5, n, 3), T.alloc(v, 2, n), T.alloc(v, 4, 2, n), T.zeros((n, 2)),
            T.ones((2, n), dtype="int32"), T.zeros_like(x), T.ones_like(x),
            T.zeros_like(x, dtype="int8"), T.fill(x, 7.0), x.fill(-1.0), T.zeros((n,)),
            T.ones(3)]
    res = theano.function([x, n, v], outs)(xv, 3, vv)
    expected = [np.full((3, 3), 1.5), np.broadcast_to(vv, (2, 3)), np.broadcast_to(vv, (4, 2, 3)),
                np.zeros((3, 2)), np.ones((2, 3), "int32"), np.zeros((2, 3)), np.ones((2, 3)),
                np.zeros((2, 3), "int8"), np.full((2, 3), 7.0), np.full((2, 3), -1.0),
                np.zeros(3), np.ones(3)]
    # fill(model, value) takes the value's dtype: 7.0 is a float32 literal (Theano 1.0.5).
    dtypes = ["float32", "float64", "float64", theano.config.floatX, "int32", "float64",
              "float64", "int8", "float32", "float32", theano.config.floatX,
              theano.config.floatX]
    for got, exp, dt in zip(res, expected, dtypes):
        check(got, exp, dtype=dt)
    # Theano 1.0.5 iterates over the shape argument, so a symbolic scalar is refused.
    with pytest.raises(TypeError):
        T.zeros(n)


@pytest.mark.parametrize("args,kwargs,expected,dtype", [
    ((5,), {}, np.arange(5), "int64"),
    ((2, 9, 3), {}, np.arange(2, 9, 3), "int64"),
    ((0.0, 1.0, 0.25), {}, np.arange(0.0, 1.0, 0.25), "float32"),
    ((5,), {"dtype": "float64"}, np.arange(5.0), "float64"),
    ((5, 0, -2), {}, np.arange(5, 0, -2), "int64"),
])
def test_arange_constants(args, kwargs, expected, dtype):
    out = T.arange(*args, **kwargs)
    check(out.eval(), expected, dtype=dtype)


def test_arange_symbolic():
    n = T.iscalar()
    s = T.dscalar()
    f = theano.function([n, s], [T.arange(n), T.arange(1, n, 2), T.arange(s), T.arange(0, s, 0.5)])
    a, b, c, d = f(7, 2.5)
    check(a, np.arange(7), dtype="int64")
    check(b, np.arange(1, 7, 2), dtype="int64")
    check(c, np.arange(2.5), dtype="float64")
    check(d, np.arange(0, 2.5, 0.5), dtype="float64")


def test_eye():
    n = T.lscalar()
    f = theano.function([n], [T.eye(n), T.eye(n, n + 1, 1), T.eye(3, dtype="int32"),
                              T.eye(n, k=-1)])
    a, b, c, d = f(3)
    check(a, np.eye(3), dtype=theano.config.floatX)
    check(b, np.eye(3, 4, 1), dtype=theano.config.floatX)
    check(c, np.eye(3, dtype="int32"), dtype="int32")
    check(d, np.eye(3, k=-1), dtype=theano.config.floatX)


@pytest.mark.parametrize("reps", [(2,), (2, 3), (1, 2, 2)], ids=str)
def test_tile(reps):
    x = T.dmatrix()
    xv = RNG.standard_normal((2, 3))
    out = T.tile(x, reps)
    expected = np.tile(xv, reps)
    assert out.ndim == expected.ndim
    check(theano.function([x], out)(xv), expected, dtype="float64")


def test_repeat():
    x = T.dmatrix()
    r = T.lvector()
    k = T.lscalar()
    xv = RNG.standard_normal((3, 2))
    rv = np.array([1, 0, 3])
    f = theano.function([x, r, k], [T.repeat(x, 2, axis=0), T.repeat(x, k, axis=1),
                                    T.repeat(x, r, axis=0), x.repeat(2), T.repeat(x, 3, 1)])
    a, b, c, d, e = f(xv, rv, 2)
    check(a, np.repeat(xv, 2, axis=0), dtype="float64")
    check(b, np.repeat(xv, 2, axis=1), dtype="float64")
    check(c, np.repeat(xv, rv, axis=0), dtype="float64")
    check(d, np.repeat(xv, 2), dtype="float64")
    check(e, np.repeat(xv, 3, axis=1), dtype="float64")


def test_shape_padding():
    x = T.dmatrix()
    xv = RNG.standard_normal((2, 3))
    outs = [T.shape_padleft(x), T.shape_padright(x), T.shape_padleft(x, 2),
            T.shape_padaxis(x, 1), T.shape_padaxis(x, -1), T.shape_padaxis(x, 0)]
    assert outs[0].broadcastable == (True, False, False)
    assert outs[3].broadcastable == (False, True, False)
    res = theano.function([x], outs)(xv)
    expected = [xv[None], xv[..., None], xv[None, None], xv[:, None], xv[..., None], xv[None]]
    for got, exp in zip(res, expected):
        check(got, exp, dtype="float64")


def test_broadcast_flags():
    x = T.dmatrix()
    r = T.drow()
    a = T.addbroadcast(x, 0)
    u = T.unbroadcast(r, 0)
    p = T.patternbroadcast(x, (True, False))
    assert a.broadcastable == (True, False)
    assert u.broadcastable == (False, False)
    assert p.broadcastable == (True, False)
    assert T.unbroadcast(x, 0).broadcastable == (False, False)
    xv = RNG.standard_normal((1, 3))
    f = theano.function([x, r], [a + x, u, p * 2])
    s, uu, pp = f(xv, xv)
    check(s, 2 * xv, dtype="float64")
    check(uu, xv, dtype="float64")
    check(pp, 2 * xv, dtype="float64")
    # A broadcastable dimension of the wrong length is a run-time error.
    g = theano.function([x], T.addbroadcast(x, 0))
    with pytest.raises((ValueError, AssertionError, TypeError)):
        g(np.zeros((2, 3)))


def test_specify_shape():
    x = T.dmatrix()
    n = T.lscalar()
    f = theano.function([x, n], T.specify_shape(x, (n, 3)) * 2)
    xv = RNG.standard_normal((2, 3))
    check(f(xv, 2), 2 * xv, dtype="float64")
    with pytest.raises(AssertionError):
        f(xv, 3)
    g = theano.function([x], T.specify_shape(x, (2, 3)))
    with pytest.raises(AssertionError):
        g(np.zeros((3, 2)))


def test_squeeze():
    t = T.TensorType("float64", (True, False, True, False))()
    tv = RNG.standard_normal((1, 2, 1, 3))
    out = T.squeeze(t)
    assert out.broadcastable == (False, False)
    check(theano.function([t], [out, t.squeeze()])(tv)[0], tv.squeeze(), dtype="float64")


@pytest.mark.parametrize("src,dst", [("float64", "int32"), ("float64", "float32"),
                                     ("int32", "float64"), ("float32", "int8"),
                                     ("int64", "bool"), ("bool", "float32"),
                                     ("float64", "uint8")])
def test_cast_astype(src, dst):
    x = T.vector(dtype=src)
    xv = (np.array([0, 1, 1, 0]) if src == "bool"
          else np.array([-1.7, 0.0, 2.5, 3.9]) if src.startswith("float")
          else np.array([-2, 0, 3, 5])).astype(src)
    if dst == "uint8":
        xv = np.abs(xv)
    f = theano.function([x], [T.cast(x, dst), x.astype(dst)])
    for r in f(xv):
        check(r, xv.astype(dst), dtype=dst)


def test_cast_floatX():
    x = T.ivector()
    check(T.cast(x, "floatX").eval({x: np.array([1, 2], "int32")}), [1.0, 2.0],
          dtype=theano.config.floatX)


@pytest.mark.parametrize("axis", [-1, 0, None], ids=str)
def test_sort_argsort(axis):
    x = T.dmatrix()
    xv = RNG.standard_normal((3, 4))
    f = theano.function([x], [T.sort(x, axis=axis), T.argsort(x, axis=axis),
                              x.sort(axis=axis), x.argsort(axis=axis)])
    s, a, s2, a2 = f(xv)
    check(s, np.sort(xv, axis=axis), dtype="float64")
    check(s2, np.sort(xv, axis=axis), dtype="float64")
    check(a, np.argsort(xv, axis=axis), dtype="int64")
    check(a2, np.argsort(xv, axis=axis), dtype="int64")


@pytest.mark.parametrize("axis", [None, 0, 1, -1], ids=str)
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "int8"])
def test_cumsum_cumprod(axis, dtype):
    x = T.matrix(dtype=dtype)
    xv = (RNG.integers(-3, 4, size=(3, 4)) if dtype == "int32"
          else RNG.uniform(0.5, 1.5, size=(3, 4))).astype(dtype)
    f = theano.function([x], [T.cumsum(x, axis=axis), T.cumprod(x, axis=axis),
                              x.cumsum(axis=axis), x.cumprod(axis=axis)])
    cs, cp, cs2, cp2 = f(xv)
    out_dtype = dtype  # Theano keeps the input dtype (NumPy would give int64 for int32)
    check(cs, np.cumsum(xv, axis=axis, dtype=dtype), dtype=out_dtype, rtol=1e-5)
    check(cs2, np.cumsum(xv, axis=axis, dtype=dtype), dtype=out_dtype, rtol=1e-5)
    check(cp, np.cumprod(xv, axis=axis, dtype=dtype), dtype=out_dtype, rtol=1e-5)
    check(cp2, np.cumprod(xv, axis=axis, dtype=dtype), dtype=out_dtype, rtol=1e-5)


@pytest.mark.parametrize("offset", [0, 1, -1])
def test_diagonal(offset):
    x = T.dmatrix()
    xv = RNG.standard_normal((3, 4))
    f = theano.function([x], [T.diagonal(x, offset), x.diagonal(offset)])
    for r in f(xv):
        check(r, np.diagonal(xv, offset), dtype="float64")


def test_diagonal_3d():
    x = T.dtensor3()
    xv = RNG.standard_normal((2, 3, 4))
    check(theano.function([x], T.diagonal(x, 0, 1, 2))(xv), np.diagonal(xv, 0, 1, 2),
          dtype="float64")


def test_nonzero_and_values():
    x = T.dmatrix()
    xv = np.array([[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]])
    f = theano.function([x], list(T.nonzero(x)) + [T.nonzero(x, return_matrix=True),
                                                   T.nonzero_values(x), T.flatnonzero(x),
                                                   x.nonzero_values()])
    res = f(xv)
    rows, cols = np.nonzero(xv)
    check(res[0], rows, dtype="int64")
    check(res[1], cols, dtype="int64")
    check(res[2], np.array([rows, cols]), dtype="int64")
    check(res[3], xv[xv != 0], dtype="float64")
    check(res[4], np.flatnonzero(xv), dtype="int64")
    check(res[5], xv[xv != 0], dtype="float64")
    v = T.ivector()
    (idx,) = T.nonzero(v)
    check(idx.eval({v: np.array([0, 3, 0, 1], "int32")}), [1, 3], dtype="int64")


# ----------------------------------------------------------------------------- indexing


def test_minibatch_slice_pattern():
    # DeepLearningTutorials: givens={x: data[index * batch_size:(index + 1) * batch_size]}
    data = theano.shared(RNG.standard_normal((10, 3)), name="data")
    index = T.lscalar("index")
    bs = 4
    x = T.dmatrix("x")
    f = theano.function([index], x.sum(axis=1),
                        givens={x: data[index * bs:(index + 1) * bs]})
    dv = data.get_value()
    for i in range(3):
        check(f(i), dv[i * bs:(i + 1) * bs].sum(axis=1), dtype="float64")


SLICES = {
    "a:b": lambda x, a, b: (x[a:b], lambda v, a, b: v[a:b]),
    ":b": lambda x, a, b: (x[:b], lambda v, a, b: v[:b]),
    "a:": lambda x, a, b: (x[a:], lambda v, a, b: v[a:]),
    "::-1": lambda x, a, b: (x[::-1], lambda v, a, b: v[::-1]),
    "b:a:-1": lambda x, a, b: (x[b:a:-1], lambda v, a, b: v[b:a:-1]),
    "::-2": lambda x, a, b: (x[::-2], lambda v, a, b: v[::-2]),
    "-b:": lambda x, a, b: (x[-b:], lambda v, a, b: v[-b:]),
    "a:b,::-1": lambda x, a, b: (x[a:b, ::-1], lambda v, a, b: v[a:b, ::-1]),
    ":,a": lambda x, a, b: (x[:, a], lambda v, a, b: v[:, a]),
    "a": lambda x, a, b: (x[a], lambda v, a, b: v[a]),
    "-1": lambda x, a, b: (x[-1], lambda v, a, b: v[-1]),
    "a,b": lambda x, a, b: (x[a, b], lambda v, a, b: v[a, b]),
    "1:3,2": lambda x, a, b: (x[1:3, 2], lambda v, a, b: v[1:3, 2]),
    "...,a": lambda x, a, b: (x[..., a], lambda v, a, b: v[..., a]),
    "None,a": lambda x, a, b: (x[None, a], lambda v, a, b: v[None, a]),
    "a:b,None": lambda x, a, b: (x[a:b, None], lambda v, a, b: v[a:b, None]),
    ":,None,a": lambda x, a, b: (x[:, None, a], lambda v, a, b: v[:, None, a]),
    "a:b:2": lambda x, a, b: (x[a:b:2], lambda v, a, b: v[a:b:2]),
}


@pytest.mark.parametrize("case", sorted(SLICES))
def test_basic_indexing(case):
    x = T.dmatrix()
    a, b = T.lscalar(), T.lscalar()
    xv = RNG.standard_normal((5, 4))
    out, ref = SLICES[case](x, a, b)
    f = theano.function([x, a, b], out, on_unused_input="ignore")
    for av, bv in [(1, 3), (0, 3), (2, 2), (-3, -1)]:
        expected = ref(xv, av, bv)
        assert out.ndim == np.ndim(expected)
        check(f(xv, av, bv), expected, dtype="float64")


ADVANCED = {
    # name -> (index builder given (x, i_vec, j_vec, imat, mask), numpy reference)
    "x[ivec]": (lambda x, i, j, m, k: x[i], lambda v, i, j, m, k: v[i]),
    "x[ivec, jvec]": (lambda x, i, j, m, k: x[i, j], lambda v, i, j, m, k: v[i, j]),
    "x[:, ivec]": (lambda x, i, j, m, k: x[:, j], lambda v, i, j, m, k: v[:, j]),
    "x[imat]": (lambda x, i, j, m, k: x[m], lambda v, i, j, m, k: v[m]),
    "x[arange, ivec]": (lambda x, i, j, m, k: x[T.arange(i.shape[0]), j],
                        lambda v, i, j, m, k: v[np.arange(len(i)), j]),
    "x[ivec, 1:]": (lambda x, i, j, m, k: x[i, 1:], lambda v, i, j, m, k: v[i, 1:]),
    "x[mask]": (lambda x, i, j, m, k: x[k], lambda v, i, j, m, k: v[k]),
    "x[x > 0]": (lambda x, i, j, m, k: x[x > 0], lambda v, i, j, m, k: v[v > 0]),
    "x[ivec][:, ::-1]": (lambda x, i, j, m, k: x[i][:, ::-1],
                         lambda v, i, j, m, k: v[i][:, ::-1]),
    "x[ivec, None]": (lambda x, i, j, m, k: x[i, None], lambda v, i, j, m, k: v[i, None]),
    "x[2, jvec]": (lambda x, i, j, m, k: x[2, j], lambda v, i, j, m, k: v[2, j]),
    "x[ivec.nonzero()]": (lambda x, i, j, m, k: x[T.eq(x, x.max()).nonzero()],
                          lambda v, i, j, m, k: v[np.nonzero(v == v.max())]),
}


@pytest.mark.parametrize("case", sorted(ADVANCED))
def test_advanced_indexing(case):
    x = T.dmatrix()
    i, j = T.lvector(), T.ivector()
    imat = T.lmatrix()
    mask = T.matrix(dtype="bool")
    build, ref = ADVANCED[case]
    xv = RNG.standard_normal((5, 4))
    iv = np.array([4, 0, 2, 0])
    jv = np.array([1, 3, 3, 0], dtype="int32")
    mv = np.array([[0, 1], [4, 4], [2, 3]])
    kv = xv > 0.3
    out = build(x, i, j, imat, mask)
    expected = ref(xv, iv, jv, mv, kv)
    assert out.ndim == expected.ndim
    f = theano.function([x, i, j, imat, mask], out, on_unused_input="ignore")
    check(f(xv, iv, jv, mv, kv), expected, dtype="float64")


def test_embedding_lookup_3d():
    emb = theano.shared(RNG.standard_normal((10, 3)).astype("float32"))
    idx = T.imatrix()
    iv = np.array([[1, 2, 9], [0, 0, 5]], dtype="int32")
    out = emb[idx]
    assert out.ndim == 3
    check(theano.function([idx], out)(iv), emb.get_value()[iv], dtype="float32")
    # The usual reshape that follows it.
    flat = emb[idx.flatten()].reshape((idx.shape[0], idx.shape[1] * 3))
    check(theano.function([idx], flat)(iv), emb.get_value()[iv].reshape(2, 9), dtype="float32")


def test_nll_indexing_pattern():
    p = T.dmatrix()
    y = T.ivector()
    pv = RNG.uniform(0.1, 1.0, size=(4, 3))
    yv = np.array([2, 0, 1, 2], dtype="int32")
    nll = -T.mean(T.log(p)[T.arange(y.shape[0]), y])
    check(theano.function([p, y], nll)(pv, yv), -np.mean(np.log(pv)[np.arange(4), yv]),
          dtype="float64")


def test_mask_with_eq_nonzero():
    x = T.dmatrix()
    y = T.ivector()
    k = T.iscalar()
    xv = RNG.standard_normal((6, 2))
    yv = np.array([0, 1, 1, 2, 1, 0], dtype="int32")
    out = x[T.eq(y, k).nonzero()]
    check(theano.function([x, y, k], out)(xv, yv, 1), xv[np.nonzero(yv == 1)], dtype="float64")


INC_CASES = {
    # name -> (select(x, i, a, b), numpy selection as a function of (v, i, a, b))
    "slice": (lambda x, i, a, b: x[a:b], lambda i, a, b: np.s_[a:b]),
    "neg_step": (lambda x, i, a, b: x[::-1], lambda i, a, b: np.s_[::-1]),
    "int": (lambda x, i, a, b: x[a], lambda i, a, b: np.s_[a]),
    "int,slice": (lambda x, i, a, b: x[a, 1:3], lambda i, a, b: np.s_[a, 1:3]),
    "ivec": (lambda x, i, a, b: x[i], lambda i, a, b: (i,)),
    "arange,ivec": (lambda x, i, a, b: x[T.arange(i.shape[0]), i],
                    lambda i, a, b: (np.arange(len(i)), i)),
    "mask": (lambda x, i, a, b: x[x > 0], lambda i, a, b: None),
    "None,slice": (lambda x, i, a, b: x[None, a:b], lambda i, a, b: np.s_[None, a:b]),
    "ivec,slice": (lambda x, i, a, b: x[i, 1:], lambda i, a, b: (i, np.s_[1:])),
}


@pytest.mark.parametrize("mode", ["set", "inc"])
@pytest.mark.parametrize("case", sorted(INC_CASES))
def test_set_inc_subtensor(case, mode):
    x = T.dmatrix()
    i = T.lvector()
    a, b = T.lscalar(), T.lscalar()
    select, np_index = INC_CASES[case]
    xv = RNG.standard_normal((4, 4))
    iv = np.array([3, 1, 3])  # repeated index: inc must accumulate
    sub = select(x, i, a, b)
    y = T.TensorType("float64", (False,) * sub.ndim)()
    fn = T.set_subtensor if mode == "set" else T.inc_subtensor
    out = fn(sub, y)
    f = theano.function([x, y, i, a, b], out, on_unused_input="ignore")
    idx = np_index(iv, 1, 3)
    if idx is None:
        idx = xv > 0
    ref_sub = xv[idx]
    yv = RNG.standard_normal(ref_sub.shape)
    expected = xv.copy()
    if mode == "set":
        expected[idx] = yv
    else:
        np.add.at(expected, idx, yv)
    check(f(xv, yv, iv, 1, 3), expected, dtype="float64")


def test_inc_subtensor_repeated_rows_accumulate():
    x = T.dmatrix()
    i = T.ivector()
    y = T.dmatrix()
    out = T.inc_subtensor(x[i], y)
    xv = np.zeros((3, 2))
    iv = np.array([0, 2, 0, 0], dtype="int32")
    yv = np.arange(8.0).reshape(4, 2)
    expected = xv.copy()
    np.add.at(expected, iv, yv)
    check(theano.function([x, i, y], out)(xv, iv, yv), expected, dtype="float64")
    # Broadcast value and scalar value.
    r = T.drow()
    s = T.dscalar()
    f = theano.function([x, i, r, s], [T.inc_subtensor(x[i], r), T.inc_subtensor(x[i], s),
                                       T.set_subtensor(x[i], s)])
    rv = np.array([[1.0, 2.0]])
    r1, r2, r3 = f(xv, iv, rv, 5.0)
    e1 = xv.copy()
    np.add.at(e1, iv, np.broadcast_to(rv, (4, 2)))
    e2 = xv.copy()
    np.add.at(e2, iv, 5.0)
    e3 = xv.copy()
    e3[iv] = 5.0
    check(r1, e1, dtype="float64")
    check(r2, e2, dtype="float64")
    check(r3, e3, dtype="float64")


def test_set_subtensor_casts_value_and_keeps_input():
    x = T.dvector()
    y = T.fscalar()
    out = T.set_subtensor(x[1:3], y)
    xv = np.arange(4.0)
    f = theano.function([x, y], [out, x])
    r, x_after = f(xv, np.float32(9.0))
    check(r, [0.0, 9.0, 9.0, 3.0], dtype="float64")
    check(x_after, np.arange(4.0), dtype="float64")
    check(xv, np.arange(4.0))


def test_variable_attributes():
    x = T.dtensor3("x")
    xv = RNG.standard_normal((2, 3, 4))
    f = theano.function([x], [x.shape, x.shape[0], x.shape[-1], x.size, x[0].shape])
    shp, s0, s_last, size, sub_shape = f(xv)
    check(shp, [2, 3, 4], dtype="int64")
    check(s0, 2, dtype="int64")
    check(s_last, 4, dtype="int64")
    check(size, 24, dtype="int64")
    check(sub_shape, [3, 4], dtype="int64")
    assert x.ndim == 3 and x.dtype == "float64" and x.broadcastable == (False,) * 3
    r = T.frow()
    assert r.ndim == 2 and r.dtype == "float32" and r.broadcastable == (True, False)
    assert T.iscalar().broadcastable == () and T.iscalar().ndim == 0


def test_eval():
    x = T.dvector("x")
    y = T.dvector("y")
    xv, yv = np.arange(3.0), np.ones(3)
    check((x + y).eval({x: xv, y: yv}), xv + yv, dtype="float64")
    check(T.arange(4).eval(), np.arange(4), dtype="int64")
    check((T.constant(2.0) * 3).eval(), 6.0, dtype="float32")
    s = theano.shared(np.arange(3.0))
    check((s * 2).eval(), np.arange(3.0) * 2, dtype="float64")
    check(x.shape.eval({x: xv}), [3], dtype="int64")


def test_constant_index_arrays_and_take():
    x = T.dmatrix()
    i = T.lvector()
    xv = RNG.standard_normal((4, 3))
    f = theano.function([x, i], [x[[0, 2]], x[np.array([3, 1])], x[:, [2, 0, 2]],
                                 T.take(x, i, axis=0), T.take(x, i, axis=1), T.take(x, i),
                                 x.take(i, axis=-1)])
    iv = np.array([2, 0])
    res = f(xv, iv)
    expected = [xv[[0, 2]], xv[[3, 1]], xv[:, [2, 0, 2]], np.take(xv, iv, 0),
                np.take(xv, iv, 1), np.take(xv, iv), np.take(xv, iv, -1)]
    for got, exp in zip(res, expected):
        check(got, exp, dtype="float64")


def test_index_errors_at_run_time():
    x = T.dvector()
    i = T.lscalar()
    v = T.lvector()
    f = theano.function([x, i, v], [x[i], x[v]])
    with pytest.raises(IndexError):
        f(np.zeros(3), 5, np.array([0]))
    with pytest.raises(IndexError):
        f(np.zeros(3), 0, np.array([0, 3]))
    with pytest.raises(IndexError):
        x[0, 1]
    with pytest.raises(TypeError):
        x[T.dscalar()]


def test_prod_with_zeros_and_int_extrema():
    x = T.dmatrix()
    xv = np.array([[1.0, 0.0, 3.0], [2.0, 4.0, 0.5]])
    check(theano.function([x], T.prod(x, axis=1))(xv), np.prod(xv, axis=1), dtype="float64")
    m = T.imatrix()
    mv = np.array([[3, -1, 7], [2, 9, -4]], dtype="int32")
    f = theano.function([m], [T.max(m), T.min(m, axis=0), T.argmax(m, axis=1), m.argmin()])
    a, b, c, d = f(mv)
    check(a, mv.max(), dtype="int32")
    check(b, mv.min(axis=0), dtype="int32")
    check(c, mv.argmax(axis=1), dtype="int64")
    check(d, mv.argmin(), dtype="int64")


def test_sum_dtype_arguments():
    x = T.bmatrix()
    xv = np.full((3, 50), 100, dtype="int8")
    f = theano.function([x], [x.sum(dtype="int8"), x.sum(acc_dtype="int64", dtype="int32"),
                              T.sum(x, axis=0, dtype="float32")])
    a, b, c = f(xv)
    check(a, xv.sum(dtype="int8"), dtype="int8")
    check(b, xv.astype("int64").sum(), dtype="int32")
    check(c, xv.sum(axis=0).astype("float32"), dtype="float32")


def test_inc_subtensor_through_transpose():
    # Theano 1.0.5: inc_subtensor(x[i].T, y) is inc_subtensor(x[i], y.T).T, i.e. the whole
    # updated x, transposed; a lower-dimensional y broadcasts as in x[i].T + y.
    x = T.dmatrix()
    i = T.ivector()
    y = T.dmatrix()
    s = T.dscalar()
    xv = np.arange(12.0).reshape(3, 4)
    iv = np.array([1, 0, 1], dtype="int32")
    yv = RNG.standard_normal((4, 3))
    f = theano.function([x, i, y, s], [T.inc_subtensor(x[i].T, y), T.inc_subtensor(x[i].T, s),
                                       T.set_subtensor(x[1:3].T, y[:, :2])])
    r1, r2, r3 = f(xv, iv, yv, 2.0)
    e1 = xv.copy()
    np.add.at(e1, iv, yv.T)
    e2 = xv.copy()
    np.add.at(e2, iv, 2.0)
    e3 = xv.copy()
    e3[1:3] = yv[:, :2].T
    check(r1, e1.T, dtype="float64")
    check(r2, e2.T, dtype="float64")
    check(r3, e3.T, dtype="float64")


# ----------------------------------------------------------------------------- issue 16:
# MaxAndArgmax, Mean, isnan/isinf of integers, tensordot's axis checks, batched_dot of a
# vector.  Golden values printed by Theano 1.0.5 (theano-ref) on d = arange(24) % 7.

_D3 = np.arange(24, dtype="float64").reshape(2, 3, 4) % 7


@pytest.mark.parametrize("axis, mx, am", [
    (None, 6.0, 6),
    ([0, 2], [6.0, 6.0, 6.0], [5, 2, 4]),
    ([2, 0], [6.0, 6.0, 6.0], [5, 2, 4]),
    (-1, [[3.0, 6.0, 4.0], [6.0, 5.0, 6.0]], [[3, 2, 3], [1, 3, 0]]),
])
def test_max_and_argmax_values(axis, mx, am):
    from theano_compat.tensor.math import MaxAndArgmax, max_and_argmax

    x = T.dtensor3()
    m, a = max_and_argmax(x, axis)
    assert isinstance(m.owner.op, MaxAndArgmax) and a.dtype == "int64"
    r = theano.function([x], [m, a])(_D3)
    assert r[0].tolist() == mx and r[1].tolist() == am


def test_max_and_argmax_keepdims_grad_and_empty():
    from theano_compat.tensor.math import max_and_argmax

    x = T.dtensor3()
    m, a = max_and_argmax(x, 1, keepdims=True)
    assert m.broadcastable == (False, True, False)
    assert theano.function([x], a)(_D3).tolist() == [[[1, 1, 1, 2]], [[2, 0, 1, 1]]]
    g = T.grad(max_and_argmax(x, 1)[0].sum(), x)
    assert theano.function([x], g)(_D3).tolist() == [  # theano-ref
        [[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]],
        [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0], [1.0, 0.0, 0.0, 0.0]]]
    y = T.dmatrix()
    mv, iv = theano.function([y], max_and_argmax(y, axis=1))(np.zeros((0, 4)))
    assert mv.shape == (0,) and iv.shape == (0,)
    assert theano.function([y], T.argmax(y, axis=1))(np.zeros((0, 4))).shape == (0,)


def test_mean_op():
    from theano_compat.tensor.math import Mean, mean

    x = T.dtensor3()
    out = Mean(1)(x)
    assert out.dtype == "float64" and str(out.owner.op) == "Mean{1}" and str(Mean()) == "Mean"
    np.testing.assert_allclose(theano.function([x], out)(_D3), _D3.mean(1))
    ints = T.constant(np.arange(5, dtype="int32"))
    assert theano.function([], Mean()(ints))() == 2.0
    assert isinstance(mean(x, 1, op=True).owner.op, Mean)
    with pytest.raises(NotImplementedError):
        mean(x, 1, op=True, keepdims=True)


def test_isnan_isinf_of_integers_are_all_false_allocs():
    for x in (T.imatrix(), T.matrix(dtype="bool")):
        for fn in (T.isnan, T.isinf):
            y = fn(x)
            assert y.dtype == "bool" and not isinstance(y.owner.op, T.Elemwise)
            val = theano.function([x], y)(np.ones((2, 3), dtype=x.dtype))
            assert val.shape == (2, 3) and not val.any()
    f = T.dvector()
    out = theano.function([f], [T.isnan(f), T.isinf(f)])(np.array([1.0, np.nan, np.inf]))
    assert out[0].tolist() == [False, True, False] and out[1].tolist() == [False, False, True]
    assert isinstance(T.isnan_(T.imatrix()).owner.op, T.Elemwise)


def test_tensordot_axis_errors():
    amat, bmat, bvec = T.matrix(), T.matrix(), T.vector()
    for b, axes in [(bmat, (0, 1, 2)), (bmat, ((0, 1), 0)), (bmat, ((0, 1, 2), (0, 1, 2))),
                    (bvec, (0, 1)), (bvec, 2)]:
        with pytest.raises(ValueError):
            T.tensordot(amat, b, axes)


def test_batched_dot_with_a_vector_scales_each_slice():
    a, b = T.dvector(), T.dtensor3()
    av, bv = RNG.random(3), RNG.random((3, 5, 7))
    out = theano.function([a, b], T.batched_dot(a, b))(av, bv)
    np.testing.assert_allclose(out, av[:, None, None] * bv)
    out = theano.function([a, b], T.batched_dot(b, a))(av, bv)
    np.testing.assert_allclose(out, bv * av[:, None, None])
    with pytest.raises(TypeError):
        T.batched_dot(T.dscalar(), b)


def test_mod_of_complex_raises_complex_error():
    x = T.cvector()
    with pytest.raises(theano.scalar.ComplexError):
        x % 5
    with pytest.raises(theano.scalar.ComplexError):
        T.mod_check(x, 5)


def test_permute_row_elements_takes_python_bools():
    x = T.dvector()
    y = T.lvector()
    xv, yv = np.array([10.0, 20.0, 30.0]), np.array([2, 0, 1])
    f = theano.function([x, y], [T.permute_row_elements(x, y, True),
                                 T.permute_row_elements(x, y, False)])
    inv, fwd = f(xv, yv)
    assert fwd.tolist() == xv[yv].tolist()
    expected = np.empty(3)
    expected[yv] = xv
    assert inv.tolist() == expected.tolist()
