"""theano.sparse.basic: sparse variables, the Ops on scipy.sparse values, and gradients.

Gradient values marked "Theano 1.0.5" come from tests/golden/sparse_grads.theano105.json,
written by tests/golden/make_sparse_grads.py under the original Theano (the same
graph-building code runs here); the rest is checked against NumPy/SciPy directly or with
verify_grad_sparse (finite differences).
"""

import inspect
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import theano.sparse as S
import theano.tensor as T

import theano
from tests.support import golden, paths, sparse_devices
from tests.unit.sparse import device_cases
from theano_compat import backend
from theano_compat.sparse import basic as sparse_basic
from theano_compat.sparse import opt as sparse_opt

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


# ------------------------------------------------ verify_grad_sparse for every gradient
#
# One check per Op of theano.sparse that defines a gradient: a function whose
# differentiated path goes through the Op, checked by finite differences (structured:
# only the stored values move, the gradient checked is the structured one).  Ops whose
# gradient is undefined in Theano 1.0.5 are listed in GRAD_UNDEFINED instead.

_M = np.array([[1.5, 0, -2.0, 0.5], [0, 3.0, 0, -1.0], [0.5, 0, 0.25, 0],
               [0, -0.75, 0, 2.0]])
_IDX = np.array([0, 3, 1], dtype="int32")  # distinct: the index grads write, not add


def _spv(fmt, dense=_M):
    return getattr(sp, f"{fmt}_matrix")(np.asarray(dense, dtype="float64"))


def _csm_case(fmt):
    m = _spv(fmt)
    ctor = S.CSR if fmt == "csr" else S.CSC
    return (lambda d: ctor(d, m.indices, m.indptr, np.array(m.shape, "int32")),
            [m.data.copy()], False)


_VEC = np.array([0.5, -1.5, 2.5, 1.25])  # no stored value of _M + _VEC cancels
GRAD_CASES = {  # Op class name -> (function, point, structured)
    "CSMProperties": (lambda x: S.csm_properties(x)[0] * 3, [_spv("csr")], True),
    "CSM": _csm_case("csc"),
    "Cast": (lambda x: S.cast(x, "float64") * 2, [_spv("csr")], True),
    "DenseFromSparse": (lambda x: S.DenseFromSparse(structured=False)(x) ** 2,
                        [_spv("csc")], False),
    "SparseFromDense": (lambda d: S.csr_from_dense(d * 2), [_M], False),
    "Transpose": (S.transpose, [_spv("csr")], True),
    "Neg": (S.neg, [_spv("csc")], False),
    "ColScaleCSC": (S.col_scale, [_spv("csc"), _VEC], True),
    "RowScaleCSC": (S.col_scale, [_spv("csr"), _VEC], True),
    "SpSum": (lambda x: S.sp_sum(x, axis=0, sparse_grad=True) * _VEC, [_spv("csr")], True),
    "Remove0": (S.remove0, [_spv("csr")], True),
    "AddSS": (S.add, [_spv("csr"), _spv("csr", _M.T)], False),
    "AddSSData": (S.add_s_s_data, [_spv("csc"), _spv("csc")], True),
    "AddSD": (S.add, [_spv("csc"), _M.T], True),
    "MulSS": (S.mul, [_spv("csr"), _spv("csr", _M.T)], False),
    "MulSD": (S.mul, [_spv("csr"), _M.T], True),
    "MulSV": (S.mul_s_v, [_spv("csr"), _VEC], True),
    "TrueDot": (S.true_dot, [_spv("csr"), _M.T], False),
    "StructuredDot": (S.structured_dot, [_spv("csc"), _M[:, :3]], True),
    # As Theano's test: the gradient wrt the dense operand (the sparse one's is dense,
    # which csr_from_dense's gradient cannot take).
    "Dot": (lambda m: S.dot(m, S.as_sparse_variable(_spv("csr"))), [_M[:2]], False),
    "GetItemList": (lambda x: S.get_item_list(x, _IDX), [_spv("csr")], False),
    "GetItem2Lists": (lambda x: S.get_item_2lists(x, _IDX, _IDX[::-1]), [_spv("csc")],
                      False),
    "Diag": (S.diag, [_spv("csr")], False),
    "SquareDiagonal": (S.square_diagonal, [_VEC], False),
    "EnsureSortedIndices": (S.ensure_sorted_indices, [_spv("csc")], True),
    "StructuredAddSV": (S.structured_add_s_v, [_spv("csr"), _VEC], True),
    "HStack": (lambda x, y: S.hstack([x, y]), [_spv("csr"), _spv("csc", _M[:, :2])], False),
    "VStack": (lambda x, y: S.vstack([x, y], format="csr"),
               [_spv("csc"), _spv("csr", _M[:3])], False),
    "SamplingDot": (lambda a, b: S.sampling_dot(a, b, S.as_sparse_variable(_spv("csr"))),
                    [_M[:, :3], _M[:, 1:]], False),
}
GRAD_UNDEFINED = {  # Op -> why its gradient is not checked here
    "Poisson": "random draws: gradient undefined (grad_undefined), as in Theano 1.0.5",
    "Binomial": "random draws: gradient undefined, as in Theano 1.0.5",
    "Multinomial": "random draws: gradient undefined, as in Theano 1.0.5",
    # Its grad indexes the output gradient with advanced_subtensor1, which needs a dense
    # one (as in Theano); the gradients through it are checked by
    # test_verify_grad_sparse_through_sparse_grad.
    "ConstructSparseFromList": "the gradient of sparse_grad(m[idx]); its own grad takes "
                               "dense output gradients only, as Theano's",
}


def _sparse_ops_with_gradients():
    from theano_compat.graph.op import Op
    from theano_compat.sparse import basic, opt
    from theano_compat.sparse.sandbox import sp as sbx_sp
    from theano_compat.sparse.sandbox import sp2 as sbx_sp2

    found = {}
    for module in (basic, opt, sbx_sp, sbx_sp2):
        for name, cls in vars(module).items():
            if not (isinstance(cls, type) and issubclass(cls, Op)) or name.startswith("_"):
                continue
            owners = [c for c in cls.__mro__ if c.__module__.startswith(
                ("theano.sparse", "theano_compat.sparse"))]
            if any("grad" in c.__dict__ or "L_op" in c.__dict__ for c in owners):
                found[cls.__name__] = cls
    return found


def test_every_sparse_gradient_has_a_verify_grad_check():
    ops = _sparse_ops_with_gradients()
    assert len(ops) >= 30
    assert sorted(set(ops) - set(GRAD_CASES) - set(GRAD_UNDEFINED)) == []
    assert sorted((set(GRAD_CASES) | set(GRAD_UNDEFINED)) - set(ops)) == []


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_verify_grad_sparse_of_each_op(name):
    fn, pt, structured = GRAD_CASES[name]
    # The Op is on the path from the inputs to the output.
    inputs = [S.as_sparse_or_tensor_variable(p) for p in pt]
    inputs = [i.type() for i in inputs]
    out = fn(*inputs)
    classes = {type(n.op).__name__ for n in theano.gof.graph.io_toposort(inputs, [out])}
    assert name in classes, sorted(classes)
    S.verify_grad_sparse(fn, [p.copy() for p in pt], structured=structured,
                         rng=np.random.RandomState(5))


# ------------------------------------------------------------------------- the GPU path
#
# Sparse Ops compute with the array module of the backend and its sparse module
# (backend.sparse_module: scipy.sparse / cupyx.scipy.sparse).  Checked without a GPU on
# the simulated device of fake_cupyx_sparse.py (NumPy behind CuPy's interface, cupyx's
# methods only), and on a real GPU when there is one (skipped otherwise).


def _device_ops():
    """Every Op class of theano.sparse computing through `_SparseOp.compute`."""
    found = {}
    for module in (sparse_basic, sparse_opt):
        for name, cls in vars(module).items():
            if name.startswith("_"):  # the abstract bases
                continue
            if isinstance(cls, type) and issubclass(cls, sparse_basic._SparseOp) and \
                    "compute" in {k for c in cls.__mro__[:-1] for k in c.__dict__
                                  if c is not sparse_basic._SparseOp}:
                found[cls.__name__] = cls
    return found


def test_backend_gives_each_array_module_its_sparse_module(fake_device):
    assert backend.sparse_module(np) is sp
    xp = fake_device.xp
    assert backend.sparse_module(xp) is sys.modules["cupyx.scipy.sparse"]
    assert backend.sparse_dtype_ok(np, "int32") and backend.sparse_dtype_ok(xp, "float32")
    assert not backend.sparse_dtype_ok(xp, "int32") and not backend.sparse_dtype_ok(xp, "uint8")
    host = _value("csc")
    dev = backend.sparse_module(xp).csc_matrix(host)
    assert backend.is_device_sparse(dev) and not backend.is_device_sparse(host)
    back = backend.to_host(dev)  # a device matrix comes back as scipy's, same format
    assert sp.issparse(back) and back.format == "csc" and back.indices.dtype == np.int32
    np.testing.assert_array_equal(back.toarray(), A)


def test_a_cupy_without_cupyx_sparse_is_reported(monkeypatch):
    from tests.support import fake_cupy

    fake_cupy.install(monkeypatch)  # no cupyx.scipy.sparse module
    monkeypatch.setitem(sys.modules, "cupyx.scipy.sparse", None)
    with pytest.raises(ImportError, match="cupyx.scipy.sparse"):
        backend.sparse_module(backend.get("cuda").xp)


def test_sparse_ops_compute_with_the_modules_they_are_given():
    # compute() never reaches scipy or NumPy itself: the array module `xp` and the sparse
    # module `sp` come from the backend (the simulated-device tests below run them).
    ops = _device_ops()
    assert len(ops) >= 45
    for name, cls in ops.items():
        source = inspect.getsource(cls.compute)
        assert "scipy" not in source and "np." not in source, name


@pytest.mark.parametrize("name", sorted(device_cases.BASIC_CASES))
def test_sparse_ops_on_the_simulated_gpu_match_the_cpu(fake_device, name):
    device_cases.check_case(name, device_cases.BASIC_CASES[name], fake_device)


def test_every_sparse_op_runs_on_the_simulated_gpu():
    # Sparse-sparse comparisons give uint8 sparse matrices, which cupyx.scipy.sparse cannot
    # hold: they always run on the host (comparison_ss_host checks their results).
    host_always = {name for name, cls in _device_ops().items()
                   if issubclass(cls, sparse_basic._ComparisonOpSS)}
    assert len(host_always) == 6
    cases = {**device_cases.BASIC_CASES, **device_cases.OPT_CASES}
    listed = {op for case in cases.values() for op in case.device_ops}
    assert sorted(set(_device_ops()) - listed - host_always) == []


def test_integer_sparse_matrices_run_on_the_host_of_a_gpu(fake_device):
    x = S.csr_matrix("x", dtype="int32")
    with backend.using(fake_device), \
            pytest.warns(RuntimeWarning, match="SpSum on int32 matrices .* runs on the host"):
        f = theano.function([x], S.sp_sum(x, axis=0))
    xv = sp.csr_matrix(np.array([[1, 0, 2], [0, 3, 0]], dtype="int32"))
    out = f(xv)
    assert type(out) is np.ndarray and out.dtype == np.int32
    np.testing.assert_array_equal(out, [1, 3, 2])


def test_sparse_results_come_back_as_scipy_matrices(fake_device):
    x = S.csc_matrix("x")
    with backend.using(fake_device):
        f = theano.function([x], [x * 2, theano.Out(-x.T, borrow=True)])
    scaled, kept = f(_value("csc"))
    assert sp.issparse(scaled) and scaled.format == "csc"
    np.testing.assert_array_equal(scaled.toarray(), A * 2)
    assert backend.is_device_sparse(kept)  # Out(borrow=True) keeps it on the device
    np.testing.assert_array_equal(backend.to_host(kept).toarray(), -A.T)


@pytest.mark.parametrize("name", sorted(device_cases.BASIC_CASES))
def test_sparse_ops_on_a_gpu_match_the_cpu(gpu, name):
    sparse_devices.check_on_gpu(gpu, name, device_cases.BASIC_CASES)


# ----------------------------------------------------- the tutorial's page on theano.sparse

def _sdist_cached():
    # Where tools/conformance/run.py caches the theano==1.0.5 sdist (its cache_dir()).
    env = os.environ.get("THEANO_COMPAT_CONFORMANCE_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or
                                      Path.home() / ".cache") / "theano-compat" / "conformance"
    return any((base.expanduser() / "sdist").glob("[Tt]heano-1.0.5.tar.gz"))


@pytest.mark.skipif(not _sdist_cached(), reason="the theano==1.0.5 sdist (its doc/tutorial "
                    "pages) is not cached: python tools/run_legacy_tutorials.py downloads it")
def test_the_tutorial_sparse_page_runs_unchanged():
    # Theano 1.0.5's doc/tutorial/sparse.txt (not in ../shared/seeds): every code block
    # runs as the page has it and prints what the page shows (tools/legacy's harness).
    script = os.path.join(paths.ROOT, "tools", "run_legacy_tutorials.py")
    out = subprocess.run([sys.executable, script, "--page", "sparse", "--no-seeds"],
                         capture_output=True, text=True, cwd=paths.ROOT, timeout=600)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    summary = out.stdout.splitlines()[-1]
    assert "1 pages" in summary and "2 matched" in summary and "0 failed" in summary, summary
