"""theano.sparse.basic: sparse variables, the Ops on scipy.sparse values, and gradients.

Gradient values marked "Theano 1.0.5" come from tests/golden/sparse_grads.theano105.json,
written by tests/golden/make_sparse_grads.py under the original Theano (the same
graph-building code runs here); the rest is checked against NumPy/SciPy directly or with
verify_grad_sparse (finite differences).
"""

import numpy as np
import pytest
import scipy.sparse as sp
import theano.sparse as S
import theano.tensor as T

import theano
from tests.support import golden

SCENARIOS = golden.load_recorder("make_sparse_grads").scenarios(theano, T, S)
GOLDEN = golden.load_record("sparse_grads.theano105.json")

A = np.array([[1.5, 0, -2.0], [0, 3.0, 0], [0.5, 0, 0]])
B = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]])
FORMATS = ["csr", "csc"]


def _value(fmt, dense=A, dtype="float64"):
    return getattr(sp, fmt + "_matrix")(np.asarray(dense, dtype=dtype))


def _assert_plain(got, expected, name):
    if "kind" in expected:
        assert got["kind"] == expected["kind"], name
        assert got["format"] == expected["format"], name
        np.testing.assert_allclose(got["values"], expected["values"], rtol=1e-12,
                                   atol=1e-12, err_msg=name)
    else:
        for k in expected:
            _assert_plain(got[k], expected[k], f"{name}.{k}")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_gradients_match_theano_105(name):
    # Structured gradients are sparse matrices on the input's pattern; dense ones (dot's,
    # DenseFromSparse(structured=False), sp_sum(sparse_grad=False)) fill every entry.
    _assert_plain(SCENARIOS[name](), GOLDEN[name], name)


@pytest.mark.parametrize("fmt", FORMATS)
def test_compiled_functions_take_and_return_scipy_matrices(fmt):
    x = S.SparseType(fmt, "float64")("x")
    f = theano.function([x], [S.transpose(x), -x, x * 2, x + x])
    xv = _value(fmt)
    t, n, m, s = f(xv)
    other = "csc" if fmt == "csr" else "csr"
    assert (t.format, n.format, m.format, s.format) == (other, fmt, fmt, fmt)
    np.testing.assert_array_equal(t.toarray(), A.T)
    np.testing.assert_array_equal(n.toarray(), -A)
    np.testing.assert_array_equal(m.toarray(), 2 * A)
    np.testing.assert_array_equal(s.toarray(), 2 * A)
    with pytest.raises(NotImplementedError, match="Expected float64 dtype"):
        theano.function([x], x * 2)(np.ones((2, 2), dtype="float32"))  # as Theano


@pytest.mark.parametrize("fmt", FORMATS)
def test_csm_properties_and_rebuild(fmt):
    x = S.SparseType(fmt, "float64")("x")
    xv = _value(fmt)
    data, indices, indptr, shape = theano.function([x], S.csm_properties(x))(xv)
    np.testing.assert_array_equal(data, xv.data)
    np.testing.assert_array_equal(indices, xv.indices)
    np.testing.assert_array_equal(indptr, xv.indptr)
    np.testing.assert_array_equal(shape, [3, 3])
    assert indices.dtype == indptr.dtype == shape.dtype == np.int32
    d = T.dvector("d")
    rebuilt = theano.function([d, x], S.CSM(fmt)(d, S.csm_indices(x), S.csm_indptr(x),
                                                   S.csm_shape(x)))(xv.data * 10, xv)
    np.testing.assert_array_equal(rebuilt.toarray(), A * 10)


@pytest.mark.parametrize("fmt", FORMATS)
def test_dense_conversions_products_and_sums(fmt):
    x = S.SparseType(fmt, "float64")("x")
    y = T.dmatrix("y")
    xv = _value(fmt)
    f = theano.function([x, y], [S.dense_from_sparse(x), S.structured_dot(x, y),
                                 S.dot(x, y), S.true_dot(x, y), S.sp_sum(x),
                                 S.sp_sum(x, axis=0), S.sp_sum(x, axis=1)])
    dense, sdot, ddot, tdot, total, s0, s1 = f(xv, B)
    np.testing.assert_array_equal(dense, A)
    np.testing.assert_allclose(sdot, A @ B)
    np.testing.assert_allclose(ddot, A @ B)
    assert sp.issparse(tdot) and tdot.format == fmt
    np.testing.assert_allclose(tdot.toarray(), A @ B)
    assert total == A.sum()
    np.testing.assert_array_equal(s0, A.sum(0))
    np.testing.assert_array_equal(s1, A.sum(1))
    c = np.arange(9.0).reshape(3, 3)
    added, scaled = theano.function([x, y], [x + y, x * y])(xv, c)
    np.testing.assert_array_equal(added, A + c)  # AddSD: a dense result
    assert scaled.format == fmt and scaled.nnz == xv.nnz  # MulSD: x's pattern
    np.testing.assert_array_equal(scaled.toarray(), A * c)
    back = theano.function([y], S.csr_from_dense(y) if fmt == "csr" else S.csc_from_dense(y))
    assert back(B).format == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_structured_unary_ops_touch_only_stored_values(fmt):
    x = S.SparseType(fmt, "float64")("x")
    xv = _value(fmt, np.abs(A))
    cases = {S.sqrt: np.sqrt, S.sin: np.sin, S.tanh: np.tanh, S.ceil: np.ceil,
             S.structured_exp: np.exp, S.structured_sigmoid: lambda v: 1 / (1 + np.exp(-v)),
             S.structured_log: np.log, S.expm1: np.expm1}
    for fn, ref in cases.items():
        out = theano.function([x], fn(x))(xv)
        assert out.format == fmt and out.nnz == xv.nnz, fn.__name__
        np.testing.assert_allclose(out.data, ref(xv.data), err_msg=fn.__name__)
    pw = theano.function([x], S.structured_pow(x, 2))(xv)
    np.testing.assert_allclose(pw.toarray(), np.abs(A) ** 2)
    # exp on the stored values only: the zeros stay zeros (not exp(0) = 1)
    assert theano.function([x], S.structured_exp(x))(xv).toarray()[0, 1] == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("structured", [True, False])
def test_verify_grad_sparse(fmt, structured):
    rng = np.random.RandomState(3)
    xv = _value(fmt)
    S.verify_grad_sparse(S.sp_sum, [xv], structured=structured, rng=rng)
    S.verify_grad_sparse(lambda a: S.structured_dot(a, T.constant(B)), [xv],
                         structured=True, rng=rng)
    S.verify_grad_sparse(S.transpose, [xv], structured=structured, rng=rng)
    S.verify_grad_sparse(S.neg, [xv], structured=structured, rng=rng)
    S.verify_grad_sparse(S.mul, [xv, _value(fmt, A.T)], structured=False, rng=rng)
    # AddSD's gradient wrt the sparse operand is structured (Theano's definition)
    S.verify_grad_sparse(S.add, [xv, B[:, :1].repeat(3, 1)], structured=True, rng=rng)


def test_verify_grad_sparse_catches_a_wrong_gradient():
    class BadNeg(S.Neg):
        def grad(self, inputs, gout):
            return (gout[0],)  # sign flipped

    with pytest.raises(S.verify_grad_sparse.E_grad):
        S.verify_grad_sparse(BadNeg(), [_value("csr")], structured=True,
                             rng=np.random.RandomState(0))


def test_dense_dot_gradient_is_dense_structured_is_sparse():
    x = S.csr_matrix("x")
    y = T.dmatrix("y")
    g_struct = T.grad(T.sum(S.structured_dot(x, y)), x)
    g_dense = T.grad(T.sum(S.dot(x, y)), x)
    assert isinstance(g_struct.type, S.SparseType)
    assert isinstance(g_dense.type, T.TensorType)


def test_variable_surface():
    x = S.csc_matrix("x", dtype="float32")
    assert str(x) == "SparseVariable{csc,float32}" and x.format == "csc"
    assert x.type == S.SparseType("csc", "float32") and x.ndim == 2
    assert isinstance(x.T.type, S.SparseType) and x.T.type.format == "csr"
    assert S.as_sparse_variable(x) is x
    c = S.as_sparse_variable(sp.csr_matrix(np.eye(2)))
    assert isinstance(c, S.SparseConstant) and str(c).startswith("SparseConstant{csr,float64")
    assert isinstance(S.as_sparse_or_tensor_variable(np.ones(2)).type, T.TensorType)
    with pytest.raises(TypeError):
        S.as_sparse_variable(T.dmatrix())
    assert type(x).__module__ == "theano.sparse.basic"
    xs = theano.function([x], x.shape)(sp.csc_matrix(np.ones((2, 5), "float32")))
    np.testing.assert_array_equal(xs, [2, 5])


@pytest.mark.parametrize("fmt", FORMATS)
def test_cast_and_helpers(fmt):
    x = S.SparseType(fmt, "float64")("x")
    out = theano.function([x], [S.cast(x, "float32"), S.fcast(x), x.astype("int32")])(
        _value(fmt))
    assert [o.dtype for o in out] == [np.float32, np.float32, np.int32]
    np.testing.assert_array_equal(out[2].toarray(), A.astype("int32"))


def test_indexing_stacks_and_comparisons():
    x = S.csr_matrix("x")
    y = S.csr_matrix("y")
    xv, yv = _value("csr"), _value("csr", A.T)
    f = theano.function([x, y], [x[1:3], x[[0, 2]], x[0, 2], S.hstack([x, y]),
                                 S.vstack([x, y], format="csr"), S.diag(x), S.eq(x, y)])
    rows, listed, scalar, h, v, d, eq = f(xv, yv)
    np.testing.assert_array_equal(rows.toarray(), A[1:3])
    np.testing.assert_array_equal(listed.toarray(), A[[0, 2]])
    assert scalar == -2.0
    np.testing.assert_array_equal(h.toarray(), np.hstack([A, A.T]))
    assert h.format == "csc" and v.format == "csr"
    np.testing.assert_array_equal(v.toarray(), np.vstack([A, A.T]))
    np.testing.assert_array_equal(d, np.diag(A))
    np.testing.assert_array_equal(eq.toarray(), (A == A.T).astype("uint8"))


def test_sparse_grad_of_advanced_subtensor1():
    m, v = T.dmatrix("m"), T.ivector("v")
    assert type(theano.grad(m[v].sum(), m).owner.op).__name__ == "AdvancedIncSubtensor1"
    g = theano.grad((theano.sparse_grad(m[v]) * 2).sum(), m)
    assert isinstance(g.owner.op, S.ConstructSparseFromList)
    out = theano.function([m, v], g)(np.ones((4, 3)), np.array([0, 2, 2], "int32"))
    assert out.format == "csc"
    np.testing.assert_array_equal(out.toarray(), [[2, 2, 2], [0, 0, 0], [4, 4, 4], [0, 0, 0]])


def test_verify_grad_sparse_through_sparse_grad():
    idx = theano.shared(np.array([0, 3, 3, 1]))
    S.verify_grad_sparse(lambda m: theano.sparse_grad(m[idx]),
                         [np.random.RandomState(0).rand(5, 4)], rng=np.random.RandomState(1))


def test_shape_ops_and_theano_dot_accept_sparse_variables():
    x = S.csr_matrix("x")
    y = T.dmatrix("y")
    xv = _value("csr")
    f = theano.function([x], [x.shape, T.specify_shape(x, (3, 3))])
    shape, same = f(xv)
    np.testing.assert_array_equal(shape, [3, 3])
    assert sp.issparse(same)
    with pytest.raises(AssertionError):
        f(_value("csr", np.ones((2, 3))))
    # theano.dot dispatches to the sparse operand's structured_dot (as Theano's dot did)
    for out in (theano.dot(x, y), theano.dot(y.T, x)):
        assert any(isinstance(n.op, S.StructuredDot)
                   for n in theano.gof.graph.io_toposort([x, y], [out]))
    np.testing.assert_allclose(theano.function([x, y], theano.dot(x, y))(xv, B), A @ B)
    np.testing.assert_allclose(theano.function([x, y], theano.dot(y.T, x))(xv, B), B.T @ A)
