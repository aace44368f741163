"""theano.sparse graphs compiled for the CPU and for a CUDA device, compared.

Every Op of theano.sparse that computes on a GPU (a `_SparseOp`: the result comes from
``compute(node, xp, sp, ...)`` with cupy and cupyx.scipy.sparse there) appears in the
``device_ops`` of some case: the device function must contain it under its device name
(``Gpu<Op>``, given to the Ops that ran on the device) and agree with the CPU function.
Sparse outputs are compared by format, dtype and values (copied to the host); dense ones
with a tolerance (GPU sums may add in another order).

Used by test_basic.py / test_opt.py with the simulated device of fake_cupyx_sparse.py
(no GPU needed) and, on a machine with a GPU, with the real CuPy.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import scipy.sparse as ssp
import theano.sparse as S
import theano.tensor as T

import theano
from theano_compat import backend as B
from theano_compat.compile.mode import Mode
from theano_compat.sparse import opt as sparse_opt


class Case(NamedTuple):
    build: object      # () -> (inputs, outputs)
    values: object     # rng -> input values
    device_ops: tuple  # class names of the Ops that must run on the device
    mode: str = "FAST_RUN"  # or "None": no rewrites, the Ops as built


def _sp(rng, fmt="csr", shape=(5, 4), density=0.5, dtype="float64"):
    m = ssp.random(*shape, density=density, format=fmt, random_state=rng, dtype="float64")
    m.data = (m.data * 4 - 2).astype(dtype)
    return m


def _dense(rng, *shape, dtype="float64"):
    return rng.standard_normal(shape).astype(dtype)


def _x(fmt="csr", dtype="float64"):
    return S.matrix(fmt, "x", dtype=dtype)


def _case(fn, values, ops, mode="FAST_RUN"):
    return Case(fn, values, tuple(ops), mode)


def _from(make_inputs, fn):
    """A case's build: inputs made by `make_inputs()`, outputs `fn(*inputs)`."""
    def build():
        inputs = make_inputs()
        return inputs, fn(*inputs)
    return build


def _unary(fn, ops, fmt="csr", mode="FAST_RUN", shape=(5, 4), dtype="float64"):
    def build():
        x = _x(fmt, dtype)
        return [x], fn(x)
    return _case(build, lambda rng: [_sp(rng, fmt, shape, dtype=dtype)], ops, mode)


def _with_dense(fn, ops, fmt="csr", dshape=(5, 4), mode="FAST_RUN", shape=(5, 4)):
    def build():
        x, d = _x(fmt), T.tensor("float64", (False,) * len(dshape), name="d")
        return [x, d], fn(x, d)
    return _case(build, lambda rng: [_sp(rng, fmt, shape), _dense(rng, *dshape)], ops, mode)


def _two_sparse(fn, ops, fmt="csr", fmt2=None, mode="FAST_RUN", shape2=(5, 4)):
    def build():
        x, y = _x(fmt), S.matrix(fmt2 or fmt, "y", dtype="float64")
        return [x, y], fn(x, y)
    return _case(build, lambda rng: [_sp(rng, fmt), _sp(rng, fmt2 or fmt, shape2)], ops,
                 mode)


def _same_pattern(rng):
    a = _sp(rng)
    b = a.copy()
    b.data = rng.standard_normal(b.nnz)
    return [a, b]


def _construct_from_list():
    w = T.matrix("w")
    idx = T.ivector("idx")
    cost = T.sum(theano.sparse_grad(w[idx]) ** 2)
    return [w, idx], T.grad(cost, w)


def _usmm_csc_dense():
    a = T.TensorType("float64", (True, True))("a")
    x, y, z = _x("csc"), T.matrix("y"), T.matrix("z")
    val, ind, ptr, shape = S.csm_properties(x)
    return [a, x, y, z], sparse_opt.UsmmCscDense(False)(a, val, ind, ptr, shape[0], y, z)


def _arrays(op, fmt="csr", vector=False):
    def build():
        x = _x(fmt)
        d = T.vector("d") if vector else T.matrix("d")
        val, ind, ptr, _ = S.csm_properties(x)
        return [x, d], op(val, ind, ptr, d)
    return build


def _sampling_dot_csr():
    x, y, p = T.matrix("x"), T.matrix("y"), _x()
    val, ind, ptr, shape = S.csm_properties(p)
    return [x, y, p], sparse_opt.SamplingDotCSR()(x, y, val, ind, ptr, shape[1])


def _csm_grad_c():
    x = _x("csc")
    val, ind, ptr, shape = S.csm_properties(x)
    g = _x("csc")
    gval, gind, gptr, gshape = S.csm_properties(g)
    return [x, g], sparse_opt.CSMGradC()(val, ind, ptr, shape, gval, gind, gptr, gshape)


BASIC_CASES = {
    "csm_roundtrip": _unary(lambda x: S.CSR(S.csm_data(x) * 2, S.csm_indices(x),
                                            S.csm_indptr(x), S.csm_shape(x)),
                            ["CSMProperties", "CSM"]),
    "structured_sqrt_csc": _unary(lambda x: S.sqrt(x * x), ["CSMProperties", "CSM"], "csc"),
    "grad_structured_exp": _unary(
        lambda x: theano.grad(S.sp_sum(S.structured_exp(x) * 2, sparse_grad=True), x),
        ["CSMGrad", "MulSD", "SpSum"], mode="None"),
    "cast": _unary(lambda x: S.cast(x, "float32"), ["Cast"]),
    "dense_from_sparse": _unary(S.dense_from_sparse, ["DenseFromSparse"], "csc"),
    "sparse_from_dense": _case(_from(lambda: [T.matrix("d")],
                                     lambda d: [S.csr_from_dense(d), S.csc_from_dense(d.T)]),
                               lambda rng: [_dense(rng, 4, 3)], ["SparseFromDense"]),
    "transpose_neg": _unary(lambda x: -x.T, ["Transpose", "Neg"]),
    "col_scale": _with_dense(S.col_scale, ["ColScaleCSC"], "csc", (4,)),
    "row_scale": _with_dense(S.row_scale, ["ColScaleCSC", "Transpose"], "csr", (5,)),
    "col_scale_csr": _with_dense(S.col_scale, ["RowScaleCSC", "Transpose"], "csr", (4,)),
    "sp_sum": _unary(lambda x: [S.sp_sum(x), S.sp_sum(x, 0), S.sp_sum(x, 1)], ["SpSum"]),
    "remove0": _unary(lambda x: S.remove0(x * 0 + x), ["Remove0"], mode="None"),
    "add_ss": _two_sparse(S.add, ["AddSS"], "csr", "csc"),
    "add_sd": _with_dense(S.add, ["AddSD"], "csc", (5, 4)),
    "add_s_s_data": _case(_from(lambda: [_x(), _x()], S.add_s_s_data), _same_pattern,
                          ["AddSSData"]),
    "mul_ss": _two_sparse(S.mul, ["MulSS"], "csc", "csr"),
    "mul_sd": _with_dense(lambda x, d: [x * d, x * 2.5], ["MulSD"], "csc", (5, 4)),
    "mul_sv": _with_dense(S.mul_s_v, ["MulSV"], "csr", (4,)),
    "true_dot": _two_sparse(S.true_dot, ["TrueDot"], "csr", "csc", shape2=(4, 3)),
    "true_dot_dense": _with_dense(S.true_dot, ["TrueDot"], "csc", (4, 3)),
    "structured_dot": _with_dense(S.structured_dot, ["StructuredDot"], "csc", (4, 3),
                                  mode="None"),
    "structured_dot_ss": _two_sparse(S.structured_dot, ["StructuredDot"], "csr", "csr",
                                     shape2=(4, 3)),
    "structured_dot_grad_csr": _with_dense(
        lambda x, d: theano.grad(T.sum(S.structured_dot(x, d) ** 2), x),
        ["StructuredDotGradCSR"], "csr", (4, 3), mode="None"),
    "structured_dot_grad_csc": _with_dense(
        lambda x, d: theano.grad(T.sum(S.structured_dot(x, d) ** 2), x),
        ["StructuredDotGradCSC"], "csc", (4, 3), mode="None"),
    "dot": _with_dense(lambda x, d: [S.dot(x, d), S.dot(d, x)], ["Dot"], "csr", (4, 5)),
    "dot_vector": _with_dense(lambda x, d: [S.dot(d, x), S.dot(x.T, d)], ["Dot"], "csc",
                              (5,)),
    "dot_ss": _two_sparse(S.dot, ["Dot"], "csc", "csr", shape2=(4, 3)),
    "get_item_list": _unary(lambda x: x[[0, 2, 2]], ["GetItemList"]),
    "get_item_2d": _unary(lambda x: [x[1:4], x[::2, 1:3], x[0:5:2, 3:0:-1]],
                          ["GetItem2d"], "csc"),
    "get_item_scalar": _unary(lambda x: x[1, 2] + x[4, 0], ["GetItemScalar"]),
    "diag": _unary(S.diag, ["Diag"], "csc", shape=(4, 4)),
    "square_diagonal": _case(_from(lambda: [T.vector("v")], S.square_diagonal),
                             lambda rng: [_dense(rng, 4)], ["SquareDiagonal"]),
    "ensure_sorted_indices": _unary(lambda x: S.ensure_sorted_indices(x.T.T), [
        "EnsureSortedIndices"]),
    "structured_add_s_v": _with_dense(S.structured_add_s_v, ["StructuredAddSV"], "csr",
                                      (4,)),
    "comparison_sd": _with_dense(lambda x, d: [x < d, x >= d, S.eq(x, d), x > d, x <= d,
                                               S.neq(x, d)],
                                 ["LessThanSD", "GreaterEqualSD", "EqualSD", "GreaterThanSD",
                                  "LessEqualSD", "NotEqualSD"], "csr", (5, 4)),
    "comparison_ss_host": _two_sparse(lambda x, y: x > y, [], "csr"),
    "hstack": _two_sparse(lambda x, y: S.hstack([x, y], format="csr"), ["HStack"], "csr",
                          "csc", shape2=(5, 2)),
    "vstack": _two_sparse(lambda x, y: S.vstack([x, y]), ["VStack"], "csc", "csr",
                          shape2=(3, 4)),
    "sampling_dot": _case(_from(lambda: [T.matrix("a"), T.matrix("b"), _x()],
                                S.sampling_dot),
                          lambda rng: [_dense(rng, 5, 3), _dense(rng, 4, 3), _sp(rng)],
                          ["SamplingDot"], "None"),
    "usmm": _case(_from(lambda: [T.scalar("a"), _x(), T.matrix("y"), T.matrix("z")],
                        S.usmm),
                  lambda rng: [np.float64(0.5), _sp(rng), _dense(rng, 4, 3),
                               _dense(rng, 5, 3)], ["Usmm"], "None"),
    "construct_sparse_from_list": _case(
        _construct_from_list, lambda rng: [_dense(rng, 5, 3), np.array([4, 0, 4], "int32")],
        ["ConstructSparseFromList"], "None"),
    "sparse_constant": _case(
        _from(lambda: [T.matrix("d")], lambda d: S.structured_dot(S.as_sparse_variable(
            ssp.csr_matrix(np.array([[0, 1.5, 0, 2.0], [-1.0, 0, 0, 0]]))), d)),
        lambda rng: [_dense(rng, 4, 3)], ["StructuredDot"], "None"),
    "integer_matrix_host": _unary(lambda x: [S.sp_sum(x, 0), x.T], [], dtype="int32"),
    "float32": _unary(lambda x: S.structured_dot(x, x.T.toarray()), [
        "StructuredDotCSR"], dtype="float32"),
}

OPT_CASES = {
    "structured_dot_csr": _with_dense(S.structured_dot, ["StructuredDotCSR"], "csr",
                                      (4, 3)),
    "structured_dot_csc": _with_dense(S.structured_dot, ["StructuredDotCSC"], "csc",
                                      (4, 3)),
    "usmm_csc_dense": _case(_usmm_csc_dense,
                            lambda rng: [np.full((1, 1), 0.5), _sp(rng, "csc"),
                                         _dense(rng, 4, 3), _dense(rng, 5, 3)],
                            ["UsmmCscDense"], "None"),
    "csm_grad_c": _case(_csm_grad_c, lambda rng: [_sp(rng, "csc"), _sp(rng, "csc")],
                        ["CSMGradC"], "None"),
    "mul_s_d_csc": _case(_arrays(sparse_opt.mul_s_d_csc, "csc"),
                         lambda rng: [_sp(rng, "csc"), _dense(rng, 5, 4)], ["MulSDCSC"],
                         "None"),
    "mul_s_d_csr": _case(_arrays(sparse_opt.mul_s_d_csr),
                         lambda rng: [_sp(rng), _dense(rng, 5, 4)], ["MulSDCSR"], "None"),
    "mul_s_v_csr": _case(_arrays(sparse_opt.mul_s_v_csr, vector=True),
                         lambda rng: [_sp(rng), _dense(rng, 4)], ["MulSVCSR"], "None"),
    "structured_add_s_v_csr": _case(_arrays(sparse_opt.structured_add_s_v_csr, vector=True),
                                    lambda rng: [_sp(rng), _dense(rng, 4)],
                                    ["StructuredAddSVCSR"], "None"),
    "sampling_dot_csr": _case(_sampling_dot_csr,
                              lambda rng: [_dense(rng, 5, 3), _dense(rng, 4, 3), _sp(rng)],
                              ["SamplingDotCSR"], "None"),
    "add_sd_ccode": _with_dense(lambda x, d: sparse_opt.AddSD_ccode("csc")(x, d),
                                ["AddSD_ccode"], "csc", (5, 4), mode="None"),
}


def _compile(inputs, outputs, mode):
    mode = Mode(optimizer=None) if mode == "None" else mode
    return theano.function(inputs, outputs, mode=mode, on_unused_input="ignore")


def _outputs_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def assert_same(got, want, what):
    """`got` (a device function's result, on the host) equals `want` (the CPU's)."""
    assert not B.is_device_array(got) and not B.is_device_sparse(got), what
    if ssp.issparse(want):
        assert ssp.issparse(got), (what, type(got))
        assert (got.format, got.dtype, got.shape) == (want.format, want.dtype, want.shape), \
            what
        got, want = got.toarray(), want.toarray()
    got, want = np.asarray(got), np.asarray(want)
    assert (got.dtype, got.shape) == (want.dtype, want.shape), what
    rtol, atol = (1e-4, 1e-5) if want.dtype in (np.float32, np.complex64) else (1e-9, 1e-11)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)


def device_op_names(fn):
    """The classes of the Ops `fn` ran on its device (named Gpu<Op> by the linker)."""
    return {type(n.op).__name__[3:] for n in fn.maker.fgraph.toposort()
            if type(n.op).__name__.startswith("Gpu")}


def check_case(name, case, device, seed=0):
    """Compile `case` for the CPU and `device`; the results agree and `case.device_ops`
    ran on the device.  Returns the names of the Ops that ran there."""
    rng = np.random.RandomState(seed)
    values = case.values(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inputs, outputs = case.build()
        with B.using(B.CPU_BACKEND):
            f_cpu = _compile(inputs, _outputs_list(outputs), case.mode)
        with B.using(device):
            f_dev = _compile(inputs, _outputs_list(outputs), case.mode)
        want = f_cpu(*[v.copy() if hasattr(v, "copy") else v for v in values])
        got = f_dev(*[v.copy() if hasattr(v, "copy") else v for v in values])
    assert len(got) == len(want)
    for k, (g, w) in enumerate(zip(got, want)):
        assert_same(g, w, f"{name}: output {k}")
    ran = device_op_names(f_dev)
    missing = set(case.device_ops) - ran
    assert not missing, (name, sorted(missing), sorted(ran))
    return ran
