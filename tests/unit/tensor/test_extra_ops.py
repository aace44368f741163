"""The tensor-library names of issue 2 beyond the core ops: extra_ops, nlinalg, slinalg,
xlogx, and theano.tensor helpers (roll, split, tri/tril/triu, diag, isclose, cov, ...).

Values and gradients are checked against Theano 1.0.5 itself where it computes them
(tests/golden/tensor_extra.theano105.json, recorded by tests/golden/make_tensor_extra.py
from the same graph-building code), and against NumPy or finite differences elsewhere.
"""

import inspect
import json
import os
import sys

import numpy as np
import pytest
import theano.tensor as T
import theano.tensor.extra_ops as EO
import theano.tensor.nlinalg as NL
import theano.tensor.slinalg as SL
import theano.tensor.xlogx as XL

import theano

from tests.support.paths import GOLDEN
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

sys.path.insert(0, GOLDEN)
import make_tensor_extra  # noqa: E402

with open(os.path.join(GOLDEN, "tensor_extra.theano105.json")) as fh:
    RECORDED = json.load(fh)

CASES = make_tensor_extra.cases(theano)

# Where we knowingly differ from Theano 1.0.5 (each is also tested below):
#   unravel_index(order="F") returned the indices of the reversed shape, in reverse order
#   (a Theano bug); ours follows NumPy.  lstsq's rank came back as an int32 array despite
#   its int64 type; ours has the declared dtype.
SKIP = {("index_conversion", 4), ("index_conversion", 5)}
SKIP_DTYPE = {("lstsq", 1)}


def _decode(entry):
    if entry["dtype"].startswith("complex"):
        data = np.array([complex(re, im) for re, im in entry["data"]], dtype=entry["dtype"])
    else:
        data = np.array(entry["data"], dtype=entry["dtype"])
    return data.reshape(entry["shape"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_theano_105(name):
    inputs, outputs, values = CASES[name]
    f = theano.function(inputs, outputs, on_unused_input="ignore")
    with np.errstate(all="ignore"):
        results = f(*values)
    recorded = RECORDED[name]
    assert len(results) == len(recorded)
    for k, (out, got, ref) in enumerate(zip(outputs, results, recorded)):
        if (name, k) in SKIP:
            continue
        expected = _decode(ref)
        got = np.asarray(got)
        assert out.dtype == ref["declared"], (name, k)
        if (name, k) not in SKIP_DTYPE:
            assert str(got.dtype) == ref["dtype"], (name, k)
        assert got.shape == expected.shape, (name, k)
        np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-10, equal_nan=True,
                                   err_msg=f"{name} output {k}")


# ----------------------------------------------------------------------------- against NumPy

rng = np.random.default_rng(42)


def test_unravel_index_fortran_order_follows_numpy():
    iv = T.lvector()
    f = theano.function([iv], list(EO.unravel_index(iv, (3, 4), order="F")))
    idx = np.array([0, 2, 4, 1, 11])
    for got, want in zip(f(idx), np.unravel_index(idx, (3, 4), order="F")):
        np.testing.assert_array_equal(got, want)


def test_unravel_index_needs_a_known_length():
    with pytest.raises(ValueError, match="ndim"):
        EO.unravel_index(T.lvector(), T.lvector())


@pytest.mark.parametrize("kth", [1, 2, 4, -1, -3])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_topk_selects_the_k_largest_or_smallest(kth, axis):
    x = T.dmatrix()
    xv = rng.permutation(20).reshape(4, 5).astype("float64")
    values, indices = theano.function([x], T.topk_and_argtopk(x, kth, axis=axis, sorted=False))(xv)
    order = np.sort(xv, axis=axis)
    n = xv.shape[axis]
    want = np.take(order, range(n - kth, n) if kth > 0 else range(-kth), axis=axis)
    np.testing.assert_array_equal(np.sort(values, axis=axis), want)
    np.testing.assert_array_equal(np.take_along_axis(xv, indices, axis=axis), values)
    assert indices.dtype == np.int64


def test_topk_gradient_flows_to_the_selected_entries():
    x = T.dvector()
    cost = (EO.topk(x, 2, sorted=False) ** 2).sum()
    g = theano.function([x], T.grad(cost, x))(np.array([3.0, 1.0, 5.0, 4.0]))
    np.testing.assert_allclose(g, [0.0, 0.0, 10.0, 8.0])
    idx = theano.function([x], T.argtopk(x, -1, sorted=False, idx_dtype="int32"))(
        np.array([3.0, 1.0, 5.0]))
    assert idx.dtype == np.int32 and list(idx) == [1]


def test_topk_sorted_raises_like_theano_105():
    with pytest.raises(NotImplementedError, match="sorted=False"):
        T.topk(T.dvector(), 2)


def test_topk_rejects_kth_out_of_range():
    x = T.dvector()
    f = theano.function([x], T.topk(x, 5, sorted=False))
    with pytest.raises(ValueError, match="kth"):
        f(np.ones(3))


def test_bincount_assert_nonneg():
    iv = T.lvector()
    f = theano.function([iv], T.bincount(iv, assert_nonneg=True))
    np.testing.assert_array_equal(f([2, 0, 2]), np.bincount([2, 0, 2]))
    with pytest.raises(AssertionError, match="negative"):
        f([1, -1])
    with pytest.raises(TypeError):
        T.bincount(T.dvector())


def test_cov_of_a_vector_and_of_columns_matches_numpy():
    x, m = T.dvector(), T.dmatrix()
    xv, mv = rng.normal(size=5), rng.normal(size=(3, 6))
    c = theano.function([x], T.cov(x))(xv)
    assert c.shape == () and np.isclose(c, np.cov(xv))
    np.testing.assert_allclose(theano.function([m], T.cov(m, rowvar=False, ddof=2))(mv),
                               np.cov(mv, rowvar=False, ddof=2))
    with pytest.raises(NotImplementedError, match="weights"):
        T.cov(m, fweights=[1, 2])


def _old_scipy_kron(a, b):
    """scipy.linalg.kron of SciPy < 1.13 (Theano 1.0.5's tests compared kron with it)."""
    o = np.outer(a, b).reshape(a.shape + b.shape)
    return np.concatenate(np.concatenate(o, axis=1), axis=1)


def test_kron_follows_theano_for_every_ndim():
    a, b = T.dmatrix(), T.dmatrix()
    av, bv = rng.normal(size=(2, 3)), rng.normal(size=(4, 2))
    np.testing.assert_allclose(theano.function([a, b], SL.kron(a, b))(av, bv), np.kron(av, bv))
    # Shapes printed by Theano 1.0.5: (2,)x(6,7) -> (84,), (2,3)x(6,) -> (36,),
    # (2,3)x(6,7,8) -> (12,21,8), (2,3,4)x(6,7) -> (8,18,7), (2,3,4)x(6,) -> (8,18).
    for s0, s1, shp in [((2,), (6, 7), (84,)), ((2, 3), (6,), (36,)),
                        ((2, 3), (6, 7, 8), (12, 21, 8)), ((2, 3, 4), (6, 7), (8, 18, 7)),
                        ((2, 3, 4), (6,), (8, 18))]:
        x, y = T.tensor("float64", (False,) * len(s0)), T.tensor("float64", (False,) * len(s1))
        xv, yv = rng.normal(size=s0), rng.normal(size=s1)
        got = theano.function([x, y], SL.kron(x, y))(xv, yv)
        ref = (_old_scipy_kron(xv[None], yv).ravel() if len(s0) + len(s1) == 3
               else _old_scipy_kron(xv, yv))
        assert got.shape == shp
        np.testing.assert_allclose(got, ref)
    with pytest.raises(TypeError, match="sum to 3"):
        SL.kron(T.dvector(), T.dvector())


def test_matrix_power_zero_and_negative():
    A = T.dmatrix()
    av = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    f = theano.function([A], [NL.matrix_power(A, 0), NL.matrix_power(A, -2), NL.matrix_power(A, 5)])
    for got, n in zip(f(av), (0, -2, 5)):
        np.testing.assert_allclose(got, np.linalg.matrix_power(av, n), rtol=1e-10)


def test_decompositions_reconstruct_their_input():
    A = T.dmatrix()
    av = rng.normal(size=(4, 3))
    u, s, vt = theano.function([A], NL.svd(A, full_matrices=0))(av)
    np.testing.assert_allclose((u * s).dot(vt), av, atol=1e-12)
    q, r = theano.function([A], NL.qr(A))(av)
    np.testing.assert_allclose(q.dot(r), av, atol=1e-12)
    h, tau = theano.function([A], NL.qr(A, "raw"))(av)
    assert h.shape == (3, 4) and tau.shape == (3,)
    sq = av[:3] + 4 * np.eye(3)
    w, v = theano.function([A], NL.eig(A))(sq @ sq.T)
    np.testing.assert_allclose(np.sort(w), np.linalg.eigvalsh(sq @ sq.T), rtol=1e-10)
    np.testing.assert_allclose((sq @ sq.T) @ v, v * w, atol=1e-9)
    with pytest.raises(ValueError, match="mode"):
        NL.qr(A, "economic")


def test_tensorsolve_and_lstsq_match_numpy():
    a, b = T.dtensor3(), T.dvector()
    av = rng.normal(size=(6, 2, 3))
    bv = rng.normal(size=6)
    np.testing.assert_allclose(theano.function([a, b], NL.tensorsolve(a, b))(av, bv),
                               np.linalg.tensorsolve(av, bv))
    A, B = T.dmatrix(), T.dmatrix()
    Av, Bv = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    sol, res, rank, sv = theano.function([A, B], NL.lstsq()(A, B, -1))(Av, Bv)
    ref = np.linalg.lstsq(Av, Bv, rcond=-1)
    for got, want in zip((sol, res, rank, sv), ref):
        np.testing.assert_allclose(got, want, rtol=1e-10)


def test_cholesky_on_error_nan_and_raise():
    A = T.dmatrix()
    bad = -np.eye(2)
    assert np.isnan(theano.function([A], SL.Cholesky(on_error="nan")(A))(bad)).all()
    with pytest.raises(np.linalg.LinAlgError):
        theano.function([A], SL.cholesky(A))(bad)


def test_eigvalsh_without_b_matches_numpy():
    A = T.dmatrix()
    sym = rng.normal(size=(3, 3))
    sym = sym + sym.T
    np.testing.assert_allclose(theano.function([A], SL.eigvalsh(A, None))(sym),
                               np.linalg.eigvalsh(sym), rtol=1e-10)


def test_unique_variants_match_numpy():
    x = T.lvector()
    xv = np.array([4, 1, 4, 2, 1, 1])
    f = theano.function([x], EO.Unique(return_counts=True)(x))
    for got, want in zip(f(xv), np.unique(xv, return_counts=True)):
        np.testing.assert_array_equal(got, want)
    m = T.lmatrix()
    got = theano.function([m], EO.Unique(axis=0)(m))(np.array([[1, 2], [0, 1], [1, 2]]))
    np.testing.assert_array_equal(got, [[0, 1], [1, 2]])


def test_searchsorted_with_sorter_and_choose_modes():
    x, v = T.dvector(), T.dvector()
    s = T.lvector()
    xv = np.array([3.0, 1.0, 2.0])
    sorter = np.argsort(xv)
    got = theano.function([x, v, s], EO.searchsorted(x, v, sorter=s))(xv, [2.5, 0.0], sorter)
    np.testing.assert_array_equal(got, np.searchsorted(xv, [2.5, 0.0], sorter=sorter))
    with pytest.raises(ValueError):
        EO.searchsorted(x, v, side="middle")
    a = T.lvector()
    choices = [np.arange(4.0), -np.arange(4.0)]
    for mode in ("wrap", "clip"):
        f = theano.function([a], T.choose(a, [T.constant(c) for c in choices], mode=mode))
        np.testing.assert_array_equal(f([0, 3, -1, 1]),
                                      np.choose([0, 3, -1, 1], choices, mode=mode))
    with pytest.raises(NotImplementedError, match="out="):
        T.choose(a, choices, out=T.dvector())


def test_split_checks_its_sizes():
    x = T.dvector()
    f = theano.function([x], T.split(x, [1, 1], 2))
    with pytest.raises(ValueError, match="add up"):
        f(np.ones(3))
    one = T.split(x, [3], 1)
    assert len(one) == 1
    np.testing.assert_array_equal(theano.function([x], one[0])(np.arange(3.0)), np.arange(3.0))


def test_stacking_helpers_refuse_non_matrices():
    with pytest.raises(AssertionError):
        T.horizontal_stack(T.dvector(), T.dvector())
    with pytest.raises(AssertionError):
        T.vertical_stack(T.dmatrix())


def test_roll_matches_numpy_for_every_shift():
    x = T.dtensor3()
    xv = np.arange(24.0).reshape(2, 3, 4)
    k = T.lscalar()
    for axis in (None, 0, 1, 2, -1):
        f = theano.function([x, k], T.roll(x, k, axis=axis))
        for shift in (-7, -1, 0, 1, 3, 4, 25):
            np.testing.assert_array_equal(f(xv, shift), np.roll(xv, shift, axis=axis))


def test_tril_triu_tri_match_numpy():
    m = T.dmatrix()
    mv = rng.normal(size=(4, 3))
    for k in (-2, 0, 1, 3):
        got_l, got_u = theano.function([m], [T.tril(m, k), T.triu(m, k)])(mv)
        np.testing.assert_array_equal(got_l, np.tril(mv, k))
        np.testing.assert_array_equal(got_u, np.triu(mv, k))
    assert T.tri(3).dtype == theano.config.floatX


def test_extract_constant_and_make_keep_dims():
    assert T.extract_constant(T.constant(3) + 2) == 5
    x = T.dmatrix()
    assert T.extract_constant(x) is x
    y = T.makeKeepDims(x, x.sum(axis=1), 1)
    assert y.broadcastable == (False, True)
    z = T.makeKeepDims(x, x.sum(), None)
    assert z.broadcastable == (True, True)


# ----------------------------------------------------------------------------- gradients


def _verify(fn, *values):
    T.verify_grad(fn, [np.asarray(v, dtype="float64") for v in values],
                  rng=np.random.RandomState(1))


def test_gradients_against_finite_differences():
    m = rng.normal(size=(3, 4))
    spd = m[:, :3] @ m[:, :3].T + 3 * np.eye(3)
    _verify(lambda a: EO.diff(a, n=2, axis=0), rng.normal(size=(4, 3)))
    _verify(lambda a: EO.repeat(a, np.array([2, 0, 1]), axis=0), m)
    _verify(lambda a: EO.repeat(a, 2), m)
    _verify(lambda a: T.diagonal(a, 1), m)
    _verify(lambda a: T.diagonal(a, -1), m)
    _verify(lambda a: T.sort(a, axis=0), m)
    _verify(lambda a: T.roll(a, 2, axis=1), m)
    _verify(lambda a, v: T.fill_diagonal_offset(a, v, -1), m, 2.0)
    _verify(lambda a: EO.topk(a, 2, axis=1, sorted=False), m)
    _verify(lambda a, b: SL.kron(a, b), m[:2, :2], m[:, 2:])
    _verify(lambda a: SL.expm(a), spd / 10)
    _verify(lambda a: SL.cholesky(a), spd)
    _verify(lambda a: NL.matrix_inverse(a), spd)
    _verify(lambda a: NL.pinv(a), m)
    _verify(lambda a: T.cov(a), m)
    _verify(lambda a: T.split(a, [1, 2], 2, axis=0)[1], m)


def test_gradients_theano_lacked_are_undefined():
    A = T.dmatrix()
    for out in (NL.svd(A, compute_uv=0), NL.qr(A, "r"), NL.eig(A)[0], T.gammainc(A, A)):
        with pytest.raises(Exception, match="grad|gradient"):
            T.grad(out.sum(), A)


# ----------------------------------------------------------------------------- backends


@pytest.mark.parametrize("op", [EO.ScatterAddAlongAxis, EO.RepeatGrad, EO.DiagGrad])
def test_gradient_impls_use_the_array_module_they_are_given(op):
    # impl receives xp (NumPy or CuPy); reaching for numpy directly would break on GPU.
    source = inspect.getsource(op.impl)
    assert "np." not in source and "numpy" not in source


# ----------------------------------------------------------------------------- names


def test_theano_tensor_exports_the_library_names():
    names = """where diag diagonal roll tril triu tri split isclose allclose power
        horizontal_stack vertical_stack topk argtopk topk_and_argtopk bincount choose chi2sf
        complex complex_from_polar cov divmod fill_diagonal fill_diagonal_offset gammainc
        gammaincc gammal gammau inverse_permutation largest smallest mgrid ogrid ptp
        stacklists ravel_multi_index unravel_index bartlett permute_row_elements ceil_intdiv
        extract_constant makeKeepDims advanced_subtensor advanced_subtensor1
        advanced_inc_subtensor advanced_set_subtensor advanced_inc_subtensor1
        advanced_set_subtensor1 advanced_boolean_subtensor advanced_boolean_inc_subtensor
        advanced_boolean_set_subtensor AllocDiag ExtractDiag Split Tri Choose Tile Nonzero
        DiffOp PermuteRowElements AdvancedBooleanSubtensor AdvancedBooleanIncSubtensor
        nlinalg xlogx jacobian hessian verify_grad numeric_grad is_flat""".split()
    assert [n for n in names if not hasattr(T, n)] == []
    for n in "cumsum cumprod diff searchsorted compress squeeze bincount to_one_hot".split():
        assert hasattr(EO, n)
    assert T.xlogx.xlogy0 is theano.tensor.xlogx.xlogy0


def test_prefixed_constructors_are_tensor_types_as_in_theano():
    assert isinstance(T.fmatrix, T.TensorType)
    assert repr(T.fmatrix) == "TensorType(float32, matrix)"
    assert T.dvector("v").type == T.dvector and T.dvector("v").name == "v"
    assert T.float_types == (T.fscalar, T.dscalar)
    assert T.int_matrix_types[-1] == T.lmatrix
    assert [v.name for v in T.dmatrices("a", "b")] == ["a", "b"]


def test_boolean_indexing_has_theanos_op_names():
    x = T.dmatrix("x")
    mask = T.gt(x, 0)
    assert str(x[mask].owner.op) == "AdvancedBooleanSubtensor"
    inc = T.inc_subtensor(x[mask], 1.0)
    assert type(inc.owner.op).__name__ == "AdvancedBooleanIncSubtensor"
    xv = np.array([[1.0, -1.0], [-2.0, 3.0]])
    got = theano.function([x], [x[mask], inc, T.grad((x[mask] ** 2).sum(), x)])(xv)
    np.testing.assert_array_equal(got[0], xv[xv > 0])
    np.testing.assert_array_equal(got[1], np.where(xv > 0, xv + 1, xv))
    np.testing.assert_array_equal(got[2], np.where(xv > 0, 2 * xv, 0))


def test_set_subtensor_keeps_a_narrower_value_uncast():
    x = T.dmatrix("x")
    out = T.set_subtensor(x[0], 2)  # Theano keeps TensorConstant{2} (int8) as the value
    assert out.owner.inputs[1].dtype == "int8"
    got = theano.function([x], out)(np.zeros((2, 2)))
    np.testing.assert_array_equal(got, [[2.0, 2.0], [0.0, 0.0]])


# ----------------------------------------------------------------------------- elementwise shapes


def test_non_broadcastable_length_one_dimension_is_an_error():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    f = theano.function([x, y], x + y)
    with pytest.raises(ValueError, match=r"Input dimension mis-match\. \(input\[0\]\.shape\[0\] "
                                         r"= 1, input\[1\]\.shape\[0\] = 2\)") as info:
        f(np.ones((1, 3)), np.ones((2, 3)))
    assert "Elemwise{add,no_inplace}" in str(info.value)
    assert "(1, 3), (2, 3)" in str(info.value)
    with pytest.raises(ValueError, match=r"input\[0\]\.shape\[0\] = 0, input\[1\]\.shape\[0\] = 1"):
        f(np.ones((0, 3)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="mis-match"):
        f(np.ones((2, 3)), np.ones((3, 3)))
    assert f(np.ones((1, 3)), np.ones((1, 3))).shape == (1, 3)


def test_declared_broadcastable_dimensions_still_broadcast():
    x, r, c = T.dmatrix("x"), T.drow("r"), T.dcol("c")
    v = T.dvector("v")
    f = theano.function([x, r, c, v], [x + r, x * c, x - v])
    xv = np.arange(6.0).reshape(2, 3)
    got = f(xv, np.ones((1, 3)), np.full((2, 1), 2.0), np.arange(3.0))
    np.testing.assert_array_equal(got[0], xv + 1)
    np.testing.assert_array_equal(got[1], xv * 2)
    np.testing.assert_array_equal(got[2], xv - np.arange(3.0))
    g = theano.function([x, v], x + v)
    with pytest.raises(ValueError, match=r"input\[0\]\.shape\[1\] = 1, input\[1\]\.shape\[1\] = 3"):
        g(np.ones((2, 1)), np.ones(3))


def test_single_output_forms_of_multi_output_ops():
    iv = T.lvector()
    (flat,) = EO.unravel_index(iv, (5,))
    np.testing.assert_array_equal(theano.function([iv], flat)([3, 1]), [3, 1])


def test_variable_methods_theano_offered():
    x, c = T.dvector("x"), T.lvector("c")
    m = T.dmatrix("m")
    xv, cv = np.array([0.1, 0.5, 0.9]), np.array([1, 0, 1])
    names = ("arccos arcsin arctan cos cosh deg2rad exp exp2 expm1 log log10 log1p log2 rad2deg "
             "sin sinh sqrt tan tanh ceil floor trunc").split()
    f = theano.function([x], [getattr(x, n)() for n in names])
    for name, got in zip(names, f(xv)):
        np.testing.assert_allclose(got, getattr(np, name)(xv), rtol=1e-12, err_msg=name)
    g = theano.function([x, c, m], [x.searchsorted(x * 0.9), c.compress(x), c.choose([x, -x]),
                                    m.trace(), x.conjugate()])
    got = g(xv, cv, np.arange(9.0).reshape(3, 3))
    np.testing.assert_array_equal(got[0], np.searchsorted(xv, xv * 0.9))
    np.testing.assert_array_equal(got[1], xv[cv.astype(bool)])
    np.testing.assert_array_equal(got[2], np.choose(cv, [xv, -xv]))
    assert got[3] == 12.0
    assert x.transfer("cpu") is x
    assert T.constant(3).get_scalar_constant_value() == 3


# -- issue 16: shapes without running the op, Theano 1.0.5's repeat/searchsorted rules,
#    the nlinalg/slinalg names its tests import


def _shape_fn(inputs, out):
    f = theano.function(inputs, out.shape, on_unused_input="ignore", mode=FAST_RUN)
    owners = {type(n.op) for n in f.maker.fgraph.apply_nodes}
    return f, owners


@pytest.mark.parametrize("build,op,args,shape", [
    (lambda x: EO.cumsum(x), EO.CumOp, [np.zeros((3, 4))], (12,)),
    (lambda x: EO.CumOp(axis=-1, mode="mul")(x), EO.CumOp, [np.zeros((3, 4))], (3, 4)),
    (lambda x: EO.diff(x, n=2, axis=0), EO.DiffOp, [np.zeros((5, 4))], (3, 4)),
    (lambda x: EO.RepeatOp(axis=1)(x, np.array([1, 2, 3])), EO.RepeatOp,
     [np.zeros((2, 3))], (2, 6)),
    (lambda x: EO.unique(x, return_inverse=True)[1], EO.Unique, [np.zeros((3, 2))], (6,)),
    (lambda x: EO.Unique(False, True, False, 0)(x)[1], EO.Unique, [np.zeros((3, 2))], (3,)),
    (lambda x: EO.searchsorted(np.arange(5.), x), EO.SearchsortedOp, [np.zeros((3, 2))],
     (3, 2)),
    (lambda x: NL.ExtractDiag(offset=1)(x), EO.ExtractDiag, [np.zeros((3, 5))], (3,)),
    (lambda x: NL.ExtractDiag(offset=-2)(x), EO.ExtractDiag, [np.zeros((3, 5))], (1,)),
    (lambda x: NL.svd(x, full_matrices=0)[0], NL.SVD, [np.zeros((4, 2))], (4, 2)),
    (lambda x: NL.svd(x)[2], NL.SVD, [np.zeros((4, 2))], (2, 2)),
    (lambda x: NL.eig(x)[1], NL.Eig, [np.eye(3)], (3, 3)),
])
def test_output_shapes_do_not_apply_the_op(build, op, args, shape):
    x = T.TensorType("float64", (False,) * args[0].ndim)()
    f, owners = _shape_fn([x], build(x))
    assert op not in owners, owners
    assert tuple(f(*args)) == shape


def test_shapes_of_index_ops_and_bartlett_do_not_apply_them():
    m, v = T.lscalar(), T.lvector()
    f, owners = _shape_fn([m], EO.bartlett(m))
    assert EO.Bartlett not in owners and f(5).tolist() == [5] and f(-2).tolist() == [0]
    f, owners = _shape_fn([v], EO.ravel_multi_index((v, v), (3, 4)))
    assert EO.RavelMultiIndex not in owners and f(np.array([0, 1, 2])).tolist() == [3]
    f, owners = _shape_fn([v], EO.unravel_index(v, (3, 4))[1])
    assert EO.UnravelIndex not in owners and f(np.array([0, 5])).tolist() == [2]
    a = T.dtensor4()
    f, owners = _shape_fn([a], NL.TensorInv(ind=2)(a))
    assert NL.TensorInv not in owners and tuple(f(np.zeros((2, 3, 6)).reshape(2, 3, 3, 2))) \
        == (3, 2, 2, 3)


def test_repeat_follows_theano_105():
    x = T.TensorType("float64", (False, True, False))()
    # Broadcastable pattern kept for a constant repeat of 1 (Theano 1.0.5's rule).
    assert EO.RepeatOp(axis=1)(x, 1).broadcastable == (False, True, False)
    assert EO.RepeatOp(axis=1)(x, 2).broadcastable == (False, False, False)
    m = T.dmatrix()
    r = T.lscalar()
    f = theano.function([m, r], EO.repeat(m, r, axis=1))
    assert not any(isinstance(n.op, EO.RepeatOp) for n in f.maker.fgraph.apply_nodes)
    a = np.arange(6.).reshape(2, 3)
    np.testing.assert_array_equal(f(a, 2), np.repeat(a, 2, axis=1))
    np.testing.assert_array_equal(EO.repeat(m, [3]).eval({m: a}), np.repeat(a, 3))
    with pytest.raises(TypeError, match="uint64"):
        EO.RepeatOp()(m, T.scalar(dtype="uint64"))
    with pytest.raises(ValueError, match="should not exceed 1"):
        EO.repeat(m, T.lmatrix())


def test_cumop_gradient_with_a_negative_axis():
    x = T.dmatrix()
    m = np.array([[4., 2., 3.], [1., 6., 0.]])
    g = T.grad((EO.CumOp(axis=-1, mode="mul")(x) * np.array([1., 2., 3.])).sum(), x)
    # Theano 1.0.5's value (the NaN: cumprod's gradient divides by the zero input).
    np.testing.assert_array_equal(theano.function([x], g)(m),
                                  [[23., 44., 24.], [13., 2., np.nan]])
    rng = np.random.RandomState(0)
    for axis in (-3, -1, 1):
        theano.gradient.verify_grad(EO.CumOp(axis=axis, mode="add"), [rng.rand(3, 4, 2)],
                                    rng=rng)


def test_searchsorted_and_ravel_refusals_as_theano():
    with pytest.raises(ValueError):
        EO.searchsorted(T.dmatrix(), T.dvector())
    with pytest.raises(ValueError):
        EO.searchsorted(T.dvector(), T.dvector(), sorter=T.lmatrix())
    with pytest.raises(TypeError):
        EO.searchsorted(T.dvector(), T.dvector(), sorter=T.fvector())
    with pytest.raises(TypeError):
        EO.ravel_multi_index(((3, 4), T.ivector()), (3.4, 3.2))


def test_cumsum_cumprod_op_aliases_and_module_names():
    assert EO.CumsumOp(1) == EO.CumOp(1, "add") and EO.CumprodOp() == EO.CumOp(None, "mul")
    assert EO.gof is sys.modules["theano_compat.gof"]
    assert EO.basic is sys.modules["theano_compat.tensor.basic"]
    assert EO.int_t.dtype == "int32"


def test_nlinalg_slinalg_names_of_theano_tests():
    o, g = T.dmatrix(), T.dmatrix()
    dis = theano.gradient.DisconnectedType()()
    out = NL._zero_disconnected([o, o], [g, dis])
    assert out[0] is g and out[1].owner is not None
    assert SL.imported_scipy and SL.tensor is T and NL.theano is theano
    with pytest.raises(NotImplementedError, match="ndim > 2"):
        NL.norm(np.zeros((2, 2, 2)), None)
    with pytest.raises(ValueError, match="Invalid norm order"):
        NL.norm([2., 1.], "fro")


def test_cholesky_grad_op_matches_theano_105():
    rng = np.random.RandomState(3)
    a = rng.randn(4, 4)
    x = a.dot(a.T) + 4 * np.eye(4)
    X, D = T.dmatrices(2)
    # Printed by Theano 1.0.5's CholeskyGrad (tools/theano-ref).
    expected = {
        True: [[-0.0529043482, 0.0, 0.0, 0.0], [-0.4125635954, -0.0503779885, 0.0, 0.0],
               [-0.3512797214, -0.2602696171, 0.1458715459, 0.0],
               [-0.3770872567, 0.0300345545, 0.3821133589, 0.3792165218]],
        False: [[-0.0749566931, -0.0667304247, -0.1086264899, -0.8639613909],
                [0.0, -0.2387551095, 0.4046661356, -0.0851208561],
                [0.0, 0.0, -0.110022758, -0.6909262904], [0.0, 0.0, 0.0, 0.0057020941]]}
    for lower in (True, False):
        dz = rng.randn(4, 4)
        f = theano.function([X, D], SL.CholeskyGrad(lower)(X, SL.Cholesky(lower)(X), D))
        np.testing.assert_allclose(f(x, dz), expected[lower], atol=1e-9)
        # ... and agrees with Cholesky's own gradient.
        g = T.grad((SL.Cholesky(lower)(X) * D).sum(), X)
        np.testing.assert_allclose(theano.function([X, D], g)(x, dz), expected[lower],
                                   atol=1e-9)


def test_cholesky_nan_gradient_and_eigvalsh_none_const():
    x = T.dmatrix()
    bad = np.array([[1, 0.2], [0.2, -2]])
    g = T.grad(SL.Cholesky(on_error="nan")(x).sum(), x)
    assert np.isnan(theano.function([x], g)(bad)).all()
    a = np.array([[2., 1.], [1., 3.]])
    w = theano.function([x], SL.eigvalsh(x, T.NoneConst))(a)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(a))


def test_xlogx_scalar_op_classes():
    assert isinstance(XL.scalar_xlogx, XL.XlogX)
    assert isinstance(XL.scalar_xlogy0, XL.XlogY0)


# ----------------------------------------------------------------------------- tile


@pytest.mark.parametrize("xshape, reps, ndim", [
    ((5,), 2, None), ((2, 4), 3, None), ((2, 4), [2, 3, 4], None), ((2, 4, 3), [2], None),
    ((2, 4), [2, 3], 4), ((4,), [2, 3, 4], None), ((2, 3), (1, 1), None)])
def test_tile_matches_numpy_for_ints_lists_and_padding(xshape, reps, ndim):
    x = T.TensorType("float64", (False,) * len(xshape))()
    xv = np.random.RandomState(0).randn(*xshape)
    out = theano.function([x], T.tile(x, reps, ndim))(xv)
    full = reps if ndim is None else [1] * (ndim - len(np.atleast_1d(reps))) + list(reps)
    np.testing.assert_array_equal(out, np.tile(xv, full))


def test_tile_symbolic_scalar_and_vector_reps():
    x, d, r = T.dmatrix(), T.iscalar(), T.ivector()
    xv = np.arange(6.0).reshape(2, 3)
    f = theano.function([x, d], T.tile(x, [2, d, 1]))
    np.testing.assert_array_equal(f(xv, 3), np.tile(xv, [2, 3, 1]))
    f = theano.function([x, d], T.tile(x, d))
    np.testing.assert_array_equal(f(xv, 2), np.tile(xv, 2))
    f = theano.function([x, r], T.tile(x, r, 3))
    np.testing.assert_array_equal(f(xv, [2, 2]), np.tile(xv, [1, 2, 2]))
    # A reps vector longer than ndim fails when the function runs (Theano's assert).
    with pytest.raises(AssertionError):
        f(xv, [2, 2, 2, 2])


@pytest.mark.parametrize("reps, ndim", [
    (T.ivector(), None), (2.5, None), (T.fscalar(), None), (T.imatrix(), None),
    ([2, 3], 1), ([2, T.fscalar()], None)])
def test_tile_rejects_what_theano_rejected(reps, ndim):
    with pytest.raises(ValueError):
        T.tile(T.dmatrix(), reps, ndim)


def test_tile_shape_is_inferred_without_computing_the_tile():
    x, r = T.dmatrix(), T.ivector()
    for out, args, shape in [(T.tile(x, [2, 3, 4]), (), (2, 6, 12)),
                             (EO.Tile(2)(x, [3, 1]), (), (6, 3)),
                             (T.tile(x, r, 3), ([2, 5],), (1, 4, 15))]:
        f = theano.function([x] + ([r] if args else []), out.shape, mode=FAST_RUN)
        assert not any(isinstance(n.op, EO.Tile) for n in f.maker.fgraph.toposort())
        np.testing.assert_array_equal(f(np.ones((2, 3)), *args), shape)


def test_tile_gradient_sums_the_copies():
    x = T.dmatrix()
    xv = np.random.RandomState(1).randn(2, 3)
    w = np.random.RandomState(2).randn(1, 4, 9)
    g = theano.function([x], T.grad((T.tile(x, [2, 3], 3) * w).sum(), x))(xv)
    expected = w.reshape(2, 2, 3, 3).sum(axis=(0, 2))
    np.testing.assert_allclose(g, expected)


# ----------------------------------------------------------------------------- nonzero


def test_flatnonzero_refuses_a_scalar_and_matches_numpy():
    with pytest.raises(ValueError):
        T.flatnonzero(T.dscalar())
    m = T.dmatrix()
    mv = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(theano.function([m], T.flatnonzero(m))(mv),
                                  np.flatnonzero(mv))


# ----------------------------------------------------------------------------- AllocDiag


@pytest.mark.parametrize("shape, offset, axis1, axis2", [
    ((4,), 0, 0, 1), ((4,), -2, 0, 1), ((2, 3), 1, 0, 2), ((2, 3), 0, 1, 2),
    ((2, 3, 4), -1, 1, 3), ((2, 3, 4), 2, 0, 3)])
def test_alloc_diag_puts_the_last_axis_on_the_diagonal(shape, offset, axis1, axis2):
    x = T.TensorType("float64", (False,) * len(shape))()
    xv = np.random.RandomState(3).randn(*shape)
    out = T.AllocDiag(offset, axis1, axis2)(x)
    r = theano.function([x], out)(xv)
    np.testing.assert_array_equal(np.diagonal(r, offset, axis1, axis2), xv)
    assert np.count_nonzero(r) == np.count_nonzero(xv)  # zeros off the diagonal
    fs = theano.function([x], out.shape, mode=FAST_RUN)
    assert not any(isinstance(n.op, T.AllocDiag) for n in fs.maker.fgraph.toposort())
    np.testing.assert_array_equal(fs(xv), r.shape)


def test_alloc_diag_values_and_gradient_match_theano_105():
    # Printed by the original Theano 1.0.5 (theano-ref): AllocDiag(1, 0, 2) of a 2x3 matrix
    # and the gradient of (out * arange(32).reshape(4, 2, 4)).sum(), in FAST_RUN and
    # FAST_COMPILE alike.
    x = T.dmatrix()
    out = T.AllocDiag(1, 0, 2)(x)
    xv = np.arange(6.0).reshape(2, 3) + 1
    expected = [[[0, 1, 0, 0], [0, 4, 0, 0]], [[0, 0, 2, 0], [0, 0, 5, 0]],
                [[0, 0, 0, 3], [0, 0, 0, 6]], [[0, 0, 0, 0], [0, 0, 0, 0]]]
    np.testing.assert_array_equal(theano.function([x], out)(xv), expected)
    w = np.arange(32.0).reshape(4, 2, 4)
    g = theano.function([x], T.grad((out * w).sum(), x))(xv)
    np.testing.assert_array_equal(g, [[1, 10, 19], [5, 14, 23]])


def test_nlinalg_alloc_diag_takes_vectors_only():
    with pytest.raises(TypeError):
        NL.alloc_diag(T.dmatrix())
    v = T.dvector()
    assert type(NL.diag(v).owner.op) is NL.AllocDiag
    assert NL.AllocDiag.__module__ == "theano.tensor.nlinalg"
    np.testing.assert_array_equal(theano.function([v], NL.alloc_diag(v))([1.0, 2.0]),
                                  np.diag([1.0, 2.0]))
