"""Symbolic gradients (T.grad, T.Rop, T.Lop) against central finite differences.

`check_grad` builds a scalar cost ``sum(out * W)`` (W a fixed random array, so every
output element matters), compiles ``T.grad(cost, inputs)`` and compares it with central
differences of the compiled cost in float64.  The same table runs again with float32
inputs, with a looser tolerance, asserting the gradients stay float32.  Gradient
broadcastable patterns must equal the inputs' (Theano's contract).

Cases where Theano 1.0.5's rule is a convention rather than calculus (ties in max and
maximum, gradients reaching integer inputs) are pinned to what the original Theano
returned (checked with tools/theano-ref).
"""

import warnings
import zlib

import numpy as np
import pytest
import theano.tensor as T
from theano.gradient import DisconnectedInputError, NullTypeGradError

import theano

RNG = np.random.default_rng(7)


@pytest.fixture(autouse=True)
def _reseed(request):
    """Per-test random stream, so a test's inputs do not depend on which tests ran before."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.name.encode()))

DOMAINS = {
    "any": (-2.0, 2.0), "pos": (0.2, 2.0), "unit": (-0.8, 0.8), "gt1": (1.2, 3.0),
    "small": (-1.2, 1.2), "gampos": (0.5, 3.0), "nonzero": (0.5, 2.0), "frac": (0.1, 0.4),
}

NAMED_PATTERNS = {
    "scalar": ((), ()), "vector": ((4,), (False,)), "matrix": ((3, 4), (False, False)),
    "row": ((1, 4), (True, False)), "col": ((3, 1), (False, True)),
    "tensor3": ((2, 3, 4), (False, False, False)),
    "bcast3": ((2, 1, 4), (False, True, False)),
    "matrix43": ((4, 3), (False, False)), "vector3": ((3,), (False,)),
    "square": ((3, 3), (False, False)), "batch": ((2, 3, 4), (False, False, False)),
    "batch_t": ((2, 4, 5), (False, False, False)),
}


def spec(pattern, domain="any"):
    return (pattern, domain)


def make_value(pattern, domain, dtype):
    shape, _ = NAMED_PATTERNS[pattern]
    lo, hi = DOMAINS[domain]
    v = RNG.uniform(lo, hi, size=shape)
    if domain == "nonzero":
        v *= RNG.choice([-1.0, 1.0], size=shape)
    return np.asarray(v, dtype=dtype)


def numeric_grad(f, values, eps=1e-6):
    """Central differences of the scalar function f(*values) (values in float64)."""
    grads = []
    for k, v in enumerate(values):
        g = np.zeros(v.shape)
        for idx in np.ndindex(*v.shape):
            plus = [x.copy() for x in values]
            minus = [x.copy() for x in values]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            g[idx] = (float(f(*plus)) - float(f(*minus))) / (2 * eps)
        grads.append(g)
    return grads


def _weighted_cost(out, w_value):
    w = T.constant(w_value.astype(out.dtype))
    return T.sum(out * w) if out.ndim else out * w


def check_grad(build, specs, dtype="float64", rtol=None, atol=None, values=None):
    """Compare T.grad of sum(build(*inputs) * W) with finite differences.

    Returns the symbolic gradients (for extra assertions by the caller).
    """
    inputs = [T.TensorType(dtype, NAMED_PATTERNS[p][1])(f"x{k}")
              for k, (p, _) in enumerate(specs)]
    if values is None:
        values = [make_value(p, d, "float64") for p, d in specs]
    out = build(*inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_value = theano.function(inputs, out)(*[v.astype(dtype) for v in values])
    w_value = RNG.uniform(0.5, 1.5, size=np.shape(out_value)) * RNG.choice(
        [-1.0, 1.0], size=np.shape(out_value))
    cost = _weighted_cost(out, w_value)
    grads = T.grad(cost, inputs)
    for x, g in zip(inputs, grads):
        assert g.dtype == x.dtype, f"gradient dtype {g.dtype} for a {x.dtype} input"
        assert g.broadcastable == x.broadcastable, (
            f"gradient broadcastable {g.broadcastable} for input {x.broadcastable}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f_grad = theano.function(inputs, grads)
        got = f_grad(*[v.astype(dtype) for v in values])
        # The reference always runs in float64, on the same graph built from float64 inputs.
        inputs64 = [T.TensorType("float64", NAMED_PATTERNS[p][1])() for p, _ in specs]
        cost64 = _weighted_cost(build(*inputs64), w_value)
        f_cost = theano.function(inputs64, cost64)
    expected = numeric_grad(f_cost, [v.astype("float64") for v in values])
    if rtol is None:
        rtol = 1e-5 if dtype == "float64" else 2e-3
    if atol is None:
        atol = 1e-6 if dtype == "float64" else 2e-3
    for k, (gv, ev) in enumerate(zip(got, expected)):
        assert gv.dtype == dtype
        np.testing.assert_allclose(gv, ev, rtol=rtol, atol=atol,
                                   err_msg=f"gradient wrt input {k}")
    return grads


# ----------------------------------------------------------------------------- the table
# name -> (build(*inputs) -> output, [input specs]).  Every case runs in float64 and float32.

UNARY = {
    "neg": (T.neg, "any"), "abs_": (T.abs_, "nonzero"), "inv": (T.inv, "nonzero"),
    "sqr": (T.sqr, "any"), "sqrt": (T.sqrt, "pos"), "exp": (T.exp, "any"),
    "exp2": (T.exp2, "any"), "expm1": (T.expm1, "any"), "log": (T.log, "pos"),
    "log2": (T.log2, "pos"), "log10": (T.log10, "pos"), "log1p": (T.log1p, "pos"),
    "sin": (T.sin, "any"), "cos": (T.cos, "any"), "tan": (T.tan, "small"),
    "arcsin": (T.arcsin, "unit"), "arccos": (T.arccos, "unit"), "arctan": (T.arctan, "any"),
    "sinh": (T.sinh, "any"), "cosh": (T.cosh, "any"), "tanh": (T.tanh, "any"),
    "arcsinh": (T.arcsinh, "any"), "arccosh": (T.arccosh, "gt1"),
    "arctanh": (T.arctanh, "unit"), "erf": (T.erf, "any"), "erfc": (T.erfc, "any"),
    "erfinv": (T.erfinv, "unit"), "gamma": (T.gamma, "gampos"),
    "gammaln": (T.gammaln, "gampos"), "psi": (T.psi, "gampos"),
    "sigmoid": (T.nnet.sigmoid, "any"), "softplus": (T.nnet.softplus, "any"),
    "relu": (T.nnet.relu, "nonzero"), "relu_leaky": (lambda x: T.nnet.relu(x, 0.3), "nonzero"),
    # Piecewise-constant functions: the gradient is zero (away from the jumps).
    "ceil": (T.ceil, "any"), "floor": (T.floor, "any"), "trunc": (T.trunc, "any"),
    "sgn": (T.sgn, "nonzero"),
    "round_away": (lambda x: T.round(x, "half_away_from_zero"), "any"),
    "round_even": (lambda x: T.round(x, "half_to_even"), "any"),
    "pow_const": (lambda x: x ** 3, "any"), "rpow": (lambda x: 2.0 ** x, "any"),
    "div_const": (lambda x: 1.0 / x, "nonzero"),
    "mean_sqr": (lambda x: T.sqr(x - x.mean()), "any"),
}

BINARY = {
    "add": (T.add, "any", "any"), "sub": (T.sub, "any", "any"), "mul": (T.mul, "any", "any"),
    "true_div": (T.true_div, "any", "nonzero"), "pow": (T.pow, "pos", "any"),
    "maximum": (T.maximum, "any", "any"), "minimum": (T.minimum, "any", "any"),
    "arctan2": (T.arctan2, "any", "nonzero"), "mod": (T.mod, "any", "nonzero"),
    "int_div": (T.int_div, "any", "nonzero"),
}

BROADCASTS = {
    "mm": ("matrix", "matrix"), "row_col": ("row", "col"), "scalar_matrix": ("scalar", "matrix"),
    "matrix_vector": ("matrix", "vector"), "bcast3_row": ("bcast3", "row"),
}

CASES = {}
for _name, (_fn, _dom) in UNARY.items():
    CASES["unary:" + _name] = (_fn, [spec("matrix", _dom)])
for _name, (_fn, _da, _db) in BINARY.items():
    for _bname, (_pa, _pb) in BROADCASTS.items():
        CASES[f"binary:{_name}:{_bname}"] = (_fn, [spec(_pa, _da), spec(_pb, _db)])

CASES.update({
    # selection
    "switch": (lambda a, b, c: T.switch(c > 0, a, b), [spec("matrix"), spec("matrix"),
                                                         spec("matrix")]),
    "switch_bcast": (lambda a, b: T.switch(a > 0, a, b), [spec("matrix"), spec("row")]),
    "switch_scalar_branch": (lambda a: T.switch(a > 0, a * 2, 0), [spec("matrix")]),
    "clip_const": (lambda x: T.clip(x, -0.7, 0.9), [spec("matrix")]),
    "clip_sym": (lambda x, lo, hi: T.clip(x, lo, hi + 0.5),
                 [spec("matrix"), spec("scalar", "frac"), spec("scalar", "frac")]),
    "clip_sym_lo": (lambda x, lo: T.clip(x, -lo, 5.0), [spec("matrix"), spec("scalar", "frac")]),
    # reductions
    **{f"sum:{a}:{k}": (lambda x, a=a, k=k: T.sum(x, axis=a, keepdims=k), [spec("tensor3")])
       for a in (None, 0, -1, (0, 2)) for k in (False, True)},
    **{f"mean:{a}:{k}": (lambda x, a=a, k=k: T.mean(x, axis=a, keepdims=k), [spec("tensor3")])
       for a in (None, 1, (0, 2)) for k in (False, True)},
    **{f"prod:{a}:{k}": (lambda x, a=a, k=k: T.prod(x, axis=a, keepdims=k),
                         [spec("tensor3", "nonzero")])
       for a in (None, 1, (0, 2)) for k in (False, True)},
    **{f"max:{a}:{k}": (lambda x, a=a, k=k: T.max(x, axis=a, keepdims=k), [spec("tensor3")])
       for a in (None, 0, -1, (0, 2)) for k in (False, True)},
    **{f"min:{a}:{k}": (lambda x, a=a, k=k: T.min(x, axis=a, keepdims=k), [spec("tensor3")])
       for a in (None, 1) for k in (False, True)},
    **{f"var:{a}": (lambda x, a=a: T.var(x, axis=a), [spec("tensor3")]) for a in (None, 1)},
    **{f"std:{a}": (lambda x, a=a: T.std(x, axis=a), [spec("tensor3")]) for a in (None, -1)},
    "sum_bcast_keep": (lambda x: T.sum(x, axis=1, keepdims=True) * x, [spec("bcast3")]),
    "norm2": (lambda x: T.sqrt(T.sum(T.sqr(x))), [spec("matrix")]),
    # dot family
    "dot:vv": (T.dot, [spec("vector"), spec("vector")]),
    "dot:vm": (T.dot, [spec("vector"), spec("matrix43")]),
    "dot:mv": (T.dot, [spec("matrix"), spec("vector")]),
    "dot:mm": (T.dot, [spec("matrix"), spec("matrix43")]),
    "dot:row_m": (T.dot, [spec("row"), spec("matrix43")]),
    "dot:scalar_m": (T.dot, [spec("scalar"), spec("matrix")]),
    "tensordot:1": (lambda a, b: T.tensordot(a, b, 1), [spec("tensor3"), spec("matrix43")]),
    "tensordot:2": (lambda a, b: T.tensordot(a, b, 2), [spec("tensor3"), spec("matrix43")]),
    "tensordot:list": (lambda a, b: T.tensordot(a, b, [[1], [1]]),
                       [spec("tensor3"), spec("matrix43")]),
    "tensordot:list2": (lambda a, b: T.tensordot(a, b, [[0, 2], [1, 0]]),
                        [spec("tensor3"), spec("batch_t")]),
    "batched_dot:33": (T.batched_dot, [spec("batch"), spec("batch_t")]),
    "batched_dot:32": (lambda a, b: T.batched_dot(a, b[:, :, 0]),
                       [spec("batch"), spec("batch_t")]),
    "batched_dot:22": (lambda a, b: T.batched_dot(a, b), [spec("matrix"), spec("matrix")]),
    "outer": (T.outer, [spec("vector"), spec("vector3")]),
    # shapes
    "reshape": (lambda x: x.reshape((2, -1)) * T.arange(6), [spec("matrix")]),
    "reshape_sym": (lambda x: x.reshape((x.shape[1], x.shape[0])), [spec("matrix")]),
    "reshape_3d": (lambda x: x.reshape((2, 2, 3)), [spec("matrix")]),
    "flatten": (lambda x: x.flatten(), [spec("tensor3")]),
    "flatten2": (lambda x: T.flatten(x, outdim=2), [spec("tensor3")]),
    "dimshuffle_T": (lambda x: x.T, [spec("matrix")]),
    "dimshuffle_x": (lambda x: x.dimshuffle("x", 1, "x", 0), [spec("matrix")]),
    "dimshuffle_drop": (lambda x: x.dimshuffle(2, 0), [spec("bcast3")]),
    "dimshuffle_row": (lambda x: x.dimshuffle(1), [spec("row")]),
    "dimshuffle_bcast_mul": (lambda x, v: x * v.dimshuffle(0, "x"),
                             [spec("matrix"), spec("vector3")]),
    "concatenate0": (lambda a, b: T.concatenate([a, b], axis=0), [spec("matrix"), spec("row")]),
    "concatenate1": (lambda a, b: T.concatenate([a, b], axis=1), [spec("matrix"), spec("col")]),
    "join_neg": (lambda a, b: T.join(-1, a, b * 2), [spec("matrix"), spec("matrix")]),
    "stack": (lambda a, b: T.stack([a, b], axis=1), [spec("matrix"), spec("matrix")]),
    "stack_scalars": (lambda a, b: T.stack([a, b, a * b]), [spec("scalar"), spec("scalar")]),
    "alloc_vec": (lambda v: T.alloc(v, 3, 4), [spec("vector")]),
    "alloc_scalar": (lambda s: T.alloc(s, 2, 3), [spec("scalar")]),
    "alloc_col": (lambda c: T.alloc(c, 2, 3, 4), [spec("col")]),
    # fill(x, s) only reads x's shape: x's gradient is disconnected (Theano 1.0.5), so x
    # is also added to keep it connected.
    "fill": (lambda x, s: T.fill(x, s) + x, [spec("matrix"), spec("scalar")]),
    "zeros_like_plus": (lambda x: T.zeros_like(x) + x * 2, [spec("matrix")]),
    "tile": (lambda x: T.tile(x, (2, 3)), [spec("matrix")]),
    "tile_3d": (lambda x: T.tile(x, (2, 1, 2)), [spec("matrix")]),
    "repeat_scalar": (lambda x: T.repeat(x, 3, axis=1), [spec("matrix")]),
    "repeat_vector": (lambda x: T.repeat(x, np.array([2, 0, 1]), axis=0), [spec("matrix")]),
    "repeat_flat": (lambda x: T.repeat(x, 2), [spec("matrix")]),
    "sort": (lambda x: T.sort(x), [spec("matrix")]),
    "sort_axis0": (lambda x: T.sort(x, axis=0), [spec("matrix")]),
    "sort_none": (lambda x: T.sort(x, axis=None), [spec("matrix")]),
    "cumsum": (lambda x: T.cumsum(x), [spec("matrix")]),
    "cumsum0": (lambda x: T.cumsum(x, axis=0), [spec("matrix")]),
    "cumsum1": (lambda x: T.cumsum(x, axis=1), [spec("matrix")]),
    "cumprod1": (lambda x: T.cumprod(x, axis=1), [spec("matrix", "nonzero")]),
    "cumprod": (lambda x: T.cumprod(x), [spec("vector", "nonzero")]),
    "diagonal": (lambda x: T.diagonal(x), [spec("matrix")]),
    "diagonal_offset": (lambda x: T.diagonal(x, 1), [spec("matrix")]),
    "squeeze": (lambda x: T.squeeze(x), [spec("bcast3")]),
    "addbroadcast": (lambda x, m: T.addbroadcast(x, 0) * m, [spec("row"), spec("matrix")]),
    "specify_shape": (lambda x: T.specify_shape(x, (3, 4)) * 2, [spec("matrix")]),
    # indexing
    "slice": (lambda x: x[1:3], [spec("matrix")]),
    "slice_neg_step": (lambda x: x[::-1, 3:0:-2], [spec("matrix")]),
    "int_index": (lambda x: x[1] * x[2, -1], [spec("matrix")]),
    "newaxis": (lambda x: x[None, 1:, None], [spec("matrix")]),
    "adv1_repeat": (lambda x: x[np.array([2, 0, 2, 2])], [spec("matrix")]),
    "adv_cols": (lambda x: x[:, np.array([3, 0, 3])], [spec("matrix")]),
    "adv_pairs": (lambda x: x[T.arange(3), np.array([1, 3, 1])], [spec("matrix")]),
    "adv_matrix_idx": (lambda e: e[np.array([[0, 2], [2, 1]])], [spec("matrix")]),
    "bool_mask": (lambda x: x[T.constant(np.array([True, False, True]))], [spec("matrix")]),
    "bool_mask_self": (lambda x: x[x > 0.1], [spec("matrix")]),
    "set_subtensor": (lambda x, y: T.set_subtensor(x[1:3], y), [spec("matrix"), spec("row")]),
    "set_subtensor_int": (lambda x, y: T.set_subtensor(x[1], y), [spec("matrix"), spec("vector")]),
    "inc_subtensor": (lambda x, y: T.inc_subtensor(x[0:2], y[1:]),
                      [spec("matrix"), spec("matrix")]),
    "inc_subtensor_neg_step": (lambda x, y: T.inc_subtensor(x[::-1, 1], y[:, 0]),
                               [spec("matrix"), spec("matrix")]),
    "inc_subtensor_scalar": (lambda x, s: T.inc_subtensor(x[1:, 2], s),
                             [spec("matrix"), spec("scalar")]),
    "set_adv1": (lambda x, y: T.set_subtensor(x[np.array([2, 0])], y),
                 [spec("matrix"), spec("row")]),
    "inc_adv1_repeat": (lambda x, y: T.inc_subtensor(x[np.array([2, 0, 2])], y),
                        [spec("matrix"), spec("row")]),
    "inc_adv_pairs": (lambda x, y: T.inc_subtensor(x[T.arange(3), np.array([1, 1, 3])], y),
                      [spec("matrix"), spec("vector3")]),
    "set_adv_pairs": (lambda x, y: T.set_subtensor(x[np.array([0, 2]), np.array([1, 3])],
                                                  y[:2]), [spec("matrix"), spec("vector3")]),
    "set_mask": (lambda x, s: T.set_subtensor(x[x > 0.5], s), [spec("matrix"), spec("scalar")]),
    # nnet
    "softmax": (T.nnet.softmax, [spec("matrix")]),
    "softmax_bias": (lambda x, b: T.nnet.softmax(x + b), [spec("matrix"), spec("vector")]),
    "log_softmax": (lambda x: T.log(T.nnet.softmax(x)), [spec("matrix")]),
    "crossentropy_int": (lambda x: T.nnet.categorical_crossentropy(
        T.nnet.softmax(x), np.array([0, 3, 1], dtype="int32")), [spec("matrix")]),
    "crossentropy_onehot": (lambda x, t: T.nnet.categorical_crossentropy(
        T.nnet.softmax(x), T.nnet.softmax(t)), [spec("matrix"), spec("matrix")]),
    "crossentropy_probs": (lambda p: T.nnet.categorical_crossentropy(
        p, np.eye(4)[[1, 0, 3]].astype(p.dtype)), [spec("matrix", "pos")]),
    "binary_crossentropy": (lambda x: T.nnet.binary_crossentropy(
        T.nnet.sigmoid(x), np.array([0.0, 1.0, 1.0, 0.0]).astype(x.dtype)), [spec("matrix")]),
    "mlp": (lambda x, w, b: T.mean(T.tanh(T.dot(x, w) + b)),
            [spec("matrix"), spec("matrix43"), spec("vector3")]),
})


def _run_case(name, dtype):
    build, specs = CASES[name]
    check_grad(build, specs, dtype=dtype)


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_float64(name):
    _run_case(name, "float64")


# float32: a representative subset (every op family), looser tolerance, float32 gradients.
FLOAT32_CASES = sorted(
    n for n in CASES
    if not n.startswith("binary:") or n.endswith((":row_col", ":scalar_matrix"))
)


@pytest.mark.parametrize("name", FLOAT32_CASES)
def test_grad_float32(name):
    _run_case(name, "float32")


# ----------------------------------------------------------------------------- conventions


def test_max_ties_go_to_every_maximum():
    x = T.dvector()
    xv = np.array([1.0, 3.0, 3.0, 2.0])
    g = theano.function([x], T.grad(T.max(x), x))(xv)
    np.testing.assert_array_equal(g, [0.0, 1.0, 1.0, 0.0])
    m = T.dmatrix()
    mv = np.array([[1.0, 1.0], [0.0, 2.0]])
    gm = theano.function([m], T.grad(T.max(m, axis=1).sum() + T.min(m, axis=0).sum(), m))(mv)
    np.testing.assert_array_equal(gm, [[1.0 + 0.0, 1.0 + 1.0], [1.0, 1.0]])


def test_maximum_minimum_ties_go_to_first_input():
    # Theano 1.0.5: maximum(x, y) and minimum(x, y) give a tied gradient to x only.
    x, y = T.dvectors("x", "y")
    xv, yv = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 4.0])
    gmax = theano.function([x, y], T.grad(T.maximum(x, y).sum(), [x, y]))(xv, yv)
    gmin = theano.function([x, y], T.grad(T.minimum(x, y).sum(), [x, y]))(xv, yv)
    np.testing.assert_array_equal(gmax[0], [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(gmax[1], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(gmin[0], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(gmin[1], [0.0, 1.0, 0.0])


def test_clip_gradient_at_bounds():
    # Theano: the bounds are inclusive for x's gradient.
    x = T.dvector()
    xv = np.array([1.5, -2.3, 3.7])
    g = theano.function([x], T.grad(T.clip(x, 1.5, 3.7).sum(), x))(xv)
    np.testing.assert_array_equal(g, [1.0, 0.0, 1.0])


def test_prod_gradient_with_zeros():
    x = T.dmatrix()
    xv = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0], [1.0, 2.0, 4.0]])
    g = theano.function([x], T.grad(T.prod(x, axis=1).sum(), x))(xv)
    np.testing.assert_allclose(g, [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0], [8.0, 4.0, 2.0]])


def test_cast_gradient():
    x = T.fvector()
    xv = np.array([1.0, 2.0], dtype="float32")
    g = T.grad((T.cast(x, "float64") * np.array([3.0, 4.0])).sum(), x)
    assert g.dtype == "float32"
    np.testing.assert_allclose(theano.function([x], g)(xv), [3.0, 4.0])
    d = T.dvector()
    gi = T.grad(T.cast(T.cast(d, "int32"), "float64").sum() + d.sum(), d)
    np.testing.assert_array_equal(theano.function([d], gi)(np.array([1.5, 2.5])), [1.0, 1.0])


# ----------------------------------------------------------------------------- grad() API


def test_grad_of_integer_inputs():
    # Theano 1.0.5 does not zero gradients reaching integer variables through ops with a
    # float output (x * i gives x for i); ops with an integer output send zeros (of
    # floatX), as do disconnected paths.  The gradient is always a float.  The whole
    # table, dtypes included, matches the original Theano under both floatX values.
    x = T.dvector("x")
    i = T.ivector("i")
    k = T.iscalar("k")
    xv = np.array([1.0, 2.0, 3.0])
    iv = np.array([2, 0, 1], dtype="int32")
    fx = theano.config.floatX
    cases = [
        ((x * i).sum(), i, [1.0, 2.0, 3.0], "float64"),
        ((x + i).sum(), i, [1.0, 1.0, 1.0], "float64"),
        (T.cast(i, "float64").sum(), i, [1.0, 1.0, 1.0], "float64"),
        ((i * 2.5).sum(), i, [2.5, 2.5, 2.5], "float64"),
        (T.exp(i).sum(), i, np.exp(iv), "float64"),
        (T.dot(x, i), i, [1.0, 2.0, 3.0], "float64"),
        (T.cast((i * i).sum(), "float64"), i, [0.0, 0.0, 0.0], fx),
        (i.sum() * 1.0, i, [0.0, 0.0, 0.0], fx),
        (T.switch(i > 0, x, 0).sum(), i, [0.0, 0.0, 0.0], fx),
        (x[i].sum(), i, [0.0, 0.0, 0.0], fx),
        (x[i].sum(), k, 0.0, fx),
        ((x * k).sum(), k, 0.0, fx),
        (T.stack([x.sum(), T.cast(k, "float64")]).sum(), k, 1.0, "float64"),
    ]
    for cost, wrt, expected, dtype in cases:
        g = T.grad(cost, wrt, disconnected_inputs="ignore")
        assert g.dtype == dtype, (cost, g.dtype)
        got = theano.function([x, i, k], g, on_unused_input="ignore")(xv, iv, 1)
        np.testing.assert_allclose(got, expected, err_msg=str(cost))


def test_grad_of_integer_input_float32_floatX_default():
    i = T.ivector()
    f = T.fvector()
    g = T.grad((T.cast(i, "float32") * f).sum(), [i, f])
    assert [v.dtype for v in g] == ["float32", "float32"]


@pytest.mark.parametrize("mode", ["raise", "warn", "ignore"])
def test_disconnected_inputs(mode):
    x, y = T.dvector("x"), T.dvector("y")
    cost = (x ** 2).sum()
    if mode == "raise":
        with pytest.raises(DisconnectedInputError):
            T.grad(cost, [x, y], disconnected_inputs=mode)
        assert issubclass(DisconnectedInputError, ValueError)
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, gy = T.grad(cost, [x, y], disconnected_inputs=mode)
    relevant = [w for w in caught if "not part of the computational graph" in str(w.message)]
    assert len(relevant) == (1 if mode == "warn" else 0)
    assert gy.dtype == "float64"
    gyv = theano.function([x, y], gy, on_unused_input="ignore")(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(gyv, np.zeros(3))
    with pytest.raises(ValueError):
        T.grad(cost, y, disconnected_inputs="bogus")


def test_disconnected_integer_input_gives_float_zeros():
    x, i = T.dvector(), T.ivector()
    g = T.grad(x[i].sum(), i, disconnected_inputs="ignore")
    assert g.dtype == theano.config.floatX
    np.testing.assert_array_equal(g.eval({i: np.array([0, 1], "int32")}), [0.0, 0.0])


def test_return_disconnected_options():
    x, y = T.dvector(), T.dvector()
    cost = x.sum()
    assert T.grad(cost, y, disconnected_inputs="ignore", return_disconnected="None") is None
    d = T.grad(cost, y, disconnected_inputs="ignore", return_disconnected="Disconnected")
    assert "Disconnected" in str(d.type)


def test_non_differentiable_ops_give_zeros():
    # argmax, comparisons and integer casts are connected with a zero gradient (Theano
    # 1.0.5 does not raise DisconnectedInputError for them).
    x, y = T.dvector(), T.dvector()
    xv, yv = np.array([1.0, 3.0]), np.array([2.0, 2.0])
    for cost in [T.cast(T.argmax(x), "float64"), T.sum(x > y), T.cast(x, "int32").sum(),
                 T.eq(x, y).sum() * 1.0, T.isnan(x).sum()]:
        g = T.grad(cost, x)
        assert g.dtype == "float64"
        got = theano.function([x, y], g, on_unused_input="ignore")(xv, yv)
        np.testing.assert_array_equal(got, [0.0, 0.0])


def test_undefined_gradient_raises():
    # tri_gamma has no gradient formula: its gradient is undefined (a NullType variable).
    x = T.dvector()
    cost = T.tri_gamma(x).sum()
    with pytest.raises(NullTypeGradError):
        T.grad(cost, x)
    g = T.grad(cost, x, null_gradients="return")
    assert "Null" in str(g.type)


def test_cost_must_be_scalar():
    x = T.dvector()
    with pytest.raises(TypeError):
        T.grad(x, x)


def test_consider_constant():
    x, y = T.dvectors("x", "y")
    z = x * y
    cost = (z * x).sum()
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    g_z = theano.function([x, y], T.grad(cost, x, consider_constant=[z]))(xv, yv)
    np.testing.assert_allclose(g_z, xv * yv)
    g_y = theano.function([x, y], T.grad(cost, x, consider_constant=[y]))(xv, yv)
    np.testing.assert_allclose(g_y, 2 * xv * yv)
    g_op = theano.function([x, y], T.grad((theano.gradient.consider_constant(z) * x).sum(),
                                          x))(xv, yv)
    np.testing.assert_allclose(g_op, xv * yv)
    g_zero = theano.function([x, y], T.grad((theano.gradient.zero_grad(z) * x).sum(), x))(xv, yv)
    np.testing.assert_allclose(g_zero, xv * yv)


def test_known_grads():
    # Values checked against Theano 1.0.5.
    x, y = T.dvectors("x", "y")
    z = x * y
    cost = (z * x).sum()
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    only_known = theano.function([x, y], T.grad(None, x, known_grads={z: T.ones_like(z) * 2}))
    np.testing.assert_allclose(only_known(xv, yv), 2 * yv)
    both = theano.function([x, y], T.grad(cost, x, known_grads={z: T.ones_like(z) * 2}))
    np.testing.assert_allclose(both(xv, yv), [9.0, 16.0])
    with pytest.raises(AssertionError):
        T.grad(None, x)


def test_grad_wrt_shared_variables():
    w = theano.shared(np.array([[1.0, 2.0], [3.0, 4.0]]), name="w")
    b = theano.shared(np.array([0.5, -0.5]), name="b")
    x = T.dvector("x")
    cost = T.sum(T.tanh(T.dot(x, w) + b))
    gw, gb = T.grad(cost, [w, b])
    xv = np.array([0.1, -0.2])
    gwv, gbv = theano.function([x], [gw, gb])(xv)
    h = 1 - np.tanh(xv @ w.get_value() + b.get_value()) ** 2
    np.testing.assert_allclose(gbv, h)
    np.testing.assert_allclose(gwv, np.outer(xv, h))
    # SGD updates with the gradients, as in the tutorials.
    step = theano.function([x], cost, updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)])
    step(xv)
    np.testing.assert_allclose(b.get_value(), np.array([0.5, -0.5]) - 0.1 * h)


def test_gradient_names():
    x = T.dvector("x")
    cost = (x ** 2).sum()
    cost.name = "cost"
    assert T.grad(cost, x).name == "(dcost/dx)"


def test_grad_tuple_and_single():
    x, y = T.dscalars("x", "y")
    c = x * y
    assert isinstance(T.grad(c, [x, y]), list)
    assert not isinstance(T.grad(c, x), (list, tuple))
    gx, gy = T.grad(c, [x, y])
    np.testing.assert_allclose(theano.function([x, y], [gx, gy])(2.0, 5.0), [5.0, 2.0])


def test_second_order_gradient():
    x = T.dvector()
    cost = T.sum(T.sin(x) * x)
    g = T.grad(cost, x)
    h = T.grad(g.sum(), x)
    xv = np.array([0.3, -1.1, 2.0])
    np.testing.assert_allclose(theano.function([x], h)(xv), 2 * np.cos(xv) - xv * np.sin(xv))


# ----------------------------------------------------------------------------- Rop / Lop

ROP_CASES = {
    "tanh": (lambda x: T.tanh(x), "matrix"),
    "exp_mul": (lambda x: T.exp(x) * x + 1.0, "matrix"),
    "dot": (lambda x: T.dot(x, np.arange(12.0).reshape(4, 3)), "matrix"),
    "sum_axis": (lambda x: T.sum(x ** 2, axis=0), "matrix"),
    "softmax": (lambda x: T.nnet.softmax(x), "matrix"),
    "reshape_T": (lambda x: x.reshape((4, 3)).T, "matrix"),
    "subtensor": (lambda x: x[1:, ::-1] * 2, "matrix"),
    "adv_subtensor": (lambda x: x[np.array([2, 0, 2])], "matrix"),
    "join": (lambda x: T.concatenate([x, T.sqr(x)], axis=1), "matrix"),
    "sigmoid": (lambda x: T.nnet.sigmoid(x), "matrix"),
    "broadcast": (lambda x: x + x.sum(axis=0).dimshuffle("x", 0), "matrix"),
    "alloc": (lambda x: T.alloc(x.sum(axis=0), 2, 4), "matrix"),
    "max_axis": (lambda x: T.max(x, axis=1), "matrix"),
    "min_all": (lambda x: T.min(x), "matrix"),
    "max_keepdims": (lambda x: T.max(x, axis=0, keepdims=True) * x, "matrix"),
    "log_softmax": (lambda x: T.nnet.logsoftmax(x), "matrix"),
    "sort": (lambda x: T.sort(x, axis=1), "matrix"),
    "sort_none": (lambda x: T.sort(x, axis=None), "matrix"),
    "cumsum": (lambda x: T.cumsum(x, axis=0), "matrix"),
    "cumprod": (lambda x: T.cumprod(x + 3.0, axis=1), "matrix"),
    "cumprod_flat": (lambda x: T.cumprod(x + 3.0), "matrix"),
    "mixed_ops": (lambda x: T.switch(x > 0, T.log1p(x ** 2), T.clip(x, -0.5, 0.5) * 3), "matrix"),
}


@pytest.mark.parametrize("name", sorted(ROP_CASES))
def test_rop_and_lop_against_finite_differences(name):
    build, pattern = ROP_CASES[name]
    x = T.TensorType("float64", NAMED_PATTERNS[pattern][1])("x")
    v = x.type("v")
    out = build(x)
    xv = make_value(pattern, "any", "float64")
    vv = make_value(pattern, "any", "float64")
    f = theano.function([x], out)
    eps = 1e-6
    jvp = (f(xv + eps * vv) - f(xv - eps * vv)) / (2 * eps)
    # (For a linear function the result does not depend on x.)
    rop = theano.function([x, v], T.Rop(out, x, v), on_unused_input="ignore")(xv, vv)
    np.testing.assert_allclose(rop, jvp, rtol=1e-5, atol=1e-6)
    # Lop: u^T J, compared with the finite-difference gradient of <u, f(x)>.
    u = out.type("u")
    uv = RNG.standard_normal(np.shape(f(xv)))
    lop = theano.function([x, u], T.Lop(out, x, u), on_unused_input="ignore")(xv, uv)
    (vjp,) = numeric_grad(lambda a: np.sum(uv * f(a)), [xv])
    np.testing.assert_allclose(lop, vjp, rtol=1e-5, atol=1e-6)


def test_rop_float32_dtype():
    x = T.fmatrix()
    v = T.fmatrix()
    r = T.Rop(T.tanh(x) * 2 + x.sum(), x, v)
    assert r.dtype == "float32"
    xv = make_value("matrix", "any", "float32")
    vv = make_value("matrix", "any", "float32")
    got = theano.function([x, v], r)(xv, vv)
    assert got.dtype == "float32"
    np.testing.assert_allclose(got, (1 - np.tanh(xv) ** 2) * 2 * vv + vv.sum(), rtol=1e-5)


def test_grad_mixed_dtypes():
    # A float32 input combined with a float64 one: each gradient keeps its input's dtype.
    # Deliberate difference: Theano 1.0.5 returned a float64 gradient for `f` here (its
    # Elemwise gradients are not cast back to the input dtype), so `f - lr * gf` no longer
    # had the type of `f` and failed as a shared-variable update.  Graphs of one dtype
    # (the usual floatX code) give the same dtypes as Theano.
    f, d = T.fvector("f"), T.dmatrix("d")
    cost = T.sum(T.exp(f) * d)
    gf, gd = T.grad(cost, [f, d])
    assert (gf.dtype, gd.dtype) == ("float32", "float64")
    assert gf.broadcastable == (False,)
    fv = np.array([0.1, -0.3], dtype="float32")
    dv = np.array([[1.0, 2.0], [3.0, 4.0]])
    gfv, gdv = theano.function([f, d], [gf, gd])(fv, dv)
    assert gfv.dtype == "float32"
    np.testing.assert_allclose(gfv, np.exp(fv.astype("float64")) * dv.sum(axis=0), rtol=1e-6)
    np.testing.assert_allclose(gdv, np.broadcast_to(np.exp(fv.astype("float64")), (2, 2)),
                               rtol=1e-6)
    # numpy-array-on-the-left arithmetic builds one symbolic graph (__array_priority__).
    w = np.array([2.0, 3.0])
    expr = w * f
    assert isinstance(expr, theano.Variable)
    np.testing.assert_allclose(theano.function([f], T.grad(expr.sum(), f))(fv), w)


def test_rop_several_wrt_and_outputs():
    x, y = T.dvectors("x", "y")
    vx, vy = T.dvectors("vx", "vy")
    outs = [x * y, T.exp(x) + y]
    r = T.Rop(outs, [x, y], [vx, vy])
    assert isinstance(r, list) and len(r) == 2
    xv, yv = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    vxv, vyv = np.array([1.0, 2.0]), np.array([-1.0, 0.5])
    r0, r1 = theano.function([x, y, vx, vy], r)(xv, yv, vxv, vyv)
    np.testing.assert_allclose(r0, vxv * yv + xv * vyv)
    np.testing.assert_allclose(r1, np.exp(xv) * vxv + vyv)


def test_lop_matrix_vector():
    W = T.dmatrix("W")
    x, y = T.dvectors("x", "y")
    lop = T.Lop(T.dot(W, x), W, y)
    Wv = np.array([[1.0, 2.0], [3.0, 4.0]])
    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    f = theano.function([W, x, y], lop, on_unused_input="ignore")
    np.testing.assert_allclose(f(Wv, xv, yv), np.outer(yv, xv))


def test_rop_through_non_differentiable_paths_raises_as_theano():
    # Theano 1.0.5 (recorded with theano-ref): argmax is an output of MaxAndArgmax, whose
    # R_op wants one axis, 0 or 1, of a matrix (ValueError otherwise, even for a graph
    # that does not depend on wrt); an argmax, a shape and what is computed only from
    # them have no R_op: DisconnectedInputError (a ValueError).  Through another path
    # the result is computed.
    x, ev = T.dvector("x"), T.dvector("ev")
    m, em = T.dmatrix("m"), T.dmatrix("em")
    with pytest.raises(ValueError, match="only when  input is a matrix"):
        T.Rop(T.argmax(x), x, ev)
    with pytest.raises(ValueError, match="only for one axis"):
        T.Rop(T.argmax(m), m, em)
    with pytest.raises(ValueError, match="only when  input is a matrix"):
        T.Rop(T.argmax(T.dvector("u")), x, ev)
    for out, wrt, point in [(T.argmax(m, axis=1), m, em), (T.argmax(m, axis=0), m, em),
                            (T.argmin(m, axis=1), m, em),
                            (T.cast(T.argmax(m, axis=1), "float64"), m, em),
                            (T.argmax(m, axis=1), x, ev),
                            (x.shape, x, ev), (x.shape[0], x, ev),
                            (T.cast(x.shape[0], "float64"), x, ev),
                            (T.arange(x.shape[0]), x, ev)]:
        with pytest.raises(DisconnectedInputError):
            T.Rop(out, wrt, point)
    assert T.Rop(x.shape[0], x, ev, disconnected_outputs="ignore",
                 return_disconnected="None") is None
    X, E = np.array([1.0, 3.0, 2.0]), np.array([1.0, 2.0, 3.0])
    M, EM = np.array([[1.0, 3.0], [4.0, 2.0]]), np.array([[1.0, 2.0], [3.0, 4.0]])
    cases = [
        (T.cast(T.argmax(m, axis=1), "float64") * m.sum(1), m, em, M, EM, [3.0, 0.0]),
        (m[T.arange(2), T.argmax(m, axis=1)], m, em, M, EM, [2.0, 3.0]),
        (T.max(m, axis=1), m, em, M, EM, [2.0, 3.0]),
        (x.shape[0] * x, x, ev, X, E, [3.0, 6.0, 9.0]),
        (x.sum() / x.shape[0], x, ev, X, E, 2.0),
        (T.zeros((x.shape[0],)), x, ev, X, E, [0.0, 0.0, 0.0]),
        (T.ones_like(x), x, ev, X, E, [0.0, 0.0, 0.0]),
        (T.eq(x, 1), x, ev, X, E, [0.0, 0.0, 0.0]),
        (T.cast(x, "int64"), x, ev, X, E, [0.0, 0.0, 0.0]),
        (T.cast(T.arange(x.shape[0]), "float64") * x, x, ev, X, E, [0.0, 2.0, 6.0]),
    ]
    for out, wrt, point, value, tangent, expected in cases:
        r = T.Rop(out, wrt, point)
        assert r.dtype == "float64"
        got = theano.function([wrt, point], r, on_unused_input="ignore")(value, tangent)
        np.testing.assert_allclose(got, expected)
    assert isinstance(T.Rop((x * 2, x + 1), x, ev), tuple)


def test_rop_through_a_user_op_whose_r_op_is_none():
    # Theano 1.0.5's test_rop BreakRop: R_op returns [None]; Rop of what is computed only
    # through it is disconnected (ValueError), even when it does not depend on wrt (Theano
    # called R_op on every node); through another path the result is computed.
    class BreakRop(theano.Op):
        __props__ = ()

        def make_node(self, x):
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0]

        def R_op(self, inputs, eval_points):
            return [None]

    x, ev = T.dvector("x"), T.dvector("ev")
    m = T.dmatrix("m")
    for out in (BreakRop()(x), BreakRop()(x).sum(), BreakRop()(m).max(axis=0),
                T.exp(BreakRop()(m)).sum(axis=1)):
        with pytest.raises(ValueError):
            T.Rop(out, x, ev)
    r = T.Rop(BreakRop()(x) * x, x, ev)
    got = theano.function([x, ev], r)(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_allclose(got, [3.0, 8.0])
    # (set/inc)_subtensor and join: Theano's R_op gave None as soon as one tensor input's
    # eval point was None, even with the other input reaching wrt (checked with theano-ref).
    broken = BreakRop()(x)
    for out in (T.inc_subtensor(broken[1:], x[:-1]), T.set_subtensor(broken[:1], x[1:]),
                T.join(0, broken, x)):
        with pytest.raises(ValueError):
            T.Rop(out, x, ev)
    # ... while an input that does not depend on wrt is a zero eval point there.
    r = T.Rop(T.inc_subtensor(x[1:], T.constant(np.ones(1))), x, ev)
    got = theano.function([x, ev], r, on_unused_input="ignore")(np.array([1.0, 2.0]),
                                                               np.array([3.0, 4.0]))
    np.testing.assert_allclose(got, [3.0, 4.0])
