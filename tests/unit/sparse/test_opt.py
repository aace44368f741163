"""theano.sparse.opt: the rewrites of sparse graphs and the Ops they introduce."""

import numpy as np
import pytest
import scipy.sparse as sp
import theano.sparse as S
import theano.tensor as T
from theano.sparse import opt

import theano
from tests.support import sparse_devices
from tests.unit.sparse import device_cases
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def test_csm_properties_of_csm_is_removed():
    data, ind, ptr, shape = T.dvector(), T.ivector(), T.ivector(), T.ivector()
    mode = FAST_RUN.including("specialize")
    f = theano.function([data, ind, ptr, shape],
                        S.csm_properties(S.CSR(data, ind, ptr, shape)), mode=mode)
    assert not any(isinstance(n.op, (S.CSM, S.CSMProperties)) for n in f.maker.fgraph.toposort())
    m = sp.csr_matrix(np.array([[0, 1.0], [2.0, 0]]))
    out = f(m.data, m.indices, m.indptr, np.array(m.shape, "int32"))
    np.testing.assert_array_equal(out[0], m.data)


def test_remove0_becomes_inplace_on_intermediate_results_only():
    x = S.csr_matrix("x")
    m = sp.csr_matrix((np.array([0.0, 1.0]), np.array([0, 1]), np.array([0, 1, 2])), (2, 2))
    f = theano.function([x], S.Remove0()(x), mode=FAST_RUN)
    assert not any(n.op.inplace for n in f.maker.fgraph.toposort()
                   if isinstance(n.op, S.Remove0))
    assert f(m).nnz == 1 and m.nnz == 2  # the caller's matrix is left alone
    g = theano.function([x], S.Remove0()(x * 2), mode=FAST_RUN)
    assert any(isinstance(n.op, S.Remove0) and n.op.inplace for n in g.maker.fgraph.toposort())
    out = g(m)
    assert out.nnz == 1 and m.nnz == 2
    np.testing.assert_array_equal(out.toarray(), [[0, 0], [0, 2.0]])


def test_specialised_ops_compute_the_products():
    m = sp.csc_matrix(np.array([[1.0, 0, 2], [0, 3, 0]]))
    b = np.arange(6.0).reshape(3, 2)
    val, ind, ptr, nrows = T.dvector(), T.ivector(), T.ivector(), T.iscalar()
    y = T.dmatrix()
    f = theano.function([val, ind, ptr, nrows, y], opt.sd_csc(val, ind, ptr, nrows, y))
    np.testing.assert_allclose(f(m.data, m.indices, m.indptr, 2, b), m.toarray() @ b)
    z = T.dmatrix()
    alpha = T.dmatrix()
    g = theano.function([alpha, val, ind, ptr, nrows, y, z],
                        opt.usmm_csc_dense(T.addbroadcast(alpha, 0, 1), val, ind, ptr,
                                           nrows, y, z))
    np.testing.assert_allclose(g(np.array([[2.0]]), m.data, m.indices, m.indptr, 2, b,
                                 np.ones((2, 2))), 2 * (m.toarray() @ b) + 1)


def test_array_level_ops_match_scipy():
    rng = np.random.RandomState(1)
    dense = rng.rand(4, 5) * (rng.rand(4, 5) > 0.5)
    b2, b1 = rng.rand(4, 5), rng.rand(5)
    val, ind, ptr = T.dvector(), T.ivector(), T.ivector()
    m2, v1 = T.dmatrix(), T.dvector()
    for fmt, op in (("csc", opt.mul_s_d_csc), ("csr", opt.mul_s_d_csr)):
        m = getattr(sp, fmt + "_matrix")(dense)
        out = theano.function([val, ind, ptr, m2], op(val, ind, ptr, m2))(
            m.data, m.indices, m.indptr, b2)
        np.testing.assert_allclose(out, m.multiply(b2).tocsc().data if fmt == "csc"
                                   else m.multiply(b2).tocsr().data)
    m = sp.csr_matrix(dense)
    out = theano.function([val, ind, ptr, v1], opt.mul_s_v_csr(val, ind, ptr, v1))(
        m.data, m.indices, m.indptr, b1)
    np.testing.assert_allclose(out, m.data * b1[m.indices])
    out = theano.function([val, ind, ptr, v1], opt.structured_add_s_v_csr(val, ind, ptr, v1))(
        m.data, m.indices, m.indptr, b1)
    np.testing.assert_allclose(out, m.data + b1[m.indices])
    x, y, ncols = T.dmatrix(), T.dmatrix(), T.iscalar()
    xv, yv = rng.rand(4, 3), rng.rand(5, 3)
    data, indices, indptr = theano.function(
        [x, y, val, ind, ptr, ncols], opt.sampling_dot_csr(x, y, val, ind, ptr, ncols))(
        xv, yv, m.data, m.indices, m.indptr, 5)
    got = sp.csr_matrix((data, indices, indptr), (4, 5)).toarray()
    np.testing.assert_allclose(got, dense * (xv @ yv.T))


def _single_node_graph(inputs, output):
    fgraph = theano.gof.FunctionGraph(inputs, [output], clone=False)
    return fgraph, fgraph.outputs[0].owner


def test_usmm_on_a_csc_matrix_becomes_usmm_csc_dense_with_the_same_values():
    x, y, z, a = S.csc_matrix("x"), T.dmatrix("y"), T.dmatrix("z"), T.dscalar("a")
    out = S.usmm(a.dimshuffle("x", "x"), x, y, z)
    _, node = _single_node_graph([a, x, y, z], out)
    (new,) = opt.local_usmm_csx.transform(node)
    assert isinstance(new.owner.op, opt.UsmmCscDense) and not new.owner.op.inplace
    (inplace,) = opt.local_usmm_csc_dense_inplace.transform(new.owner)
    assert inplace.owner.op.inplace
    rng = np.random.RandomState(0)
    xv = sp.random(4, 3, density=0.5, format="csc", random_state=rng)
    yv, zv = rng.rand(3, 2), rng.rand(4, 2)
    got = theano.function([a, x, y, z], new)(1.5, xv, yv, zv)
    np.testing.assert_allclose(got, 1.5 * (xv.toarray() @ yv) + zv)
    # csr, or a sparse right operand, is left to Usmm
    _, node = _single_node_graph([a, x, y, z], S.usmm(a.dimshuffle("x", "x"),
                                                      S.csr_matrix(), y, z))
    assert opt.local_usmm_csx.transform(node) is False


def test_rules_theano_gated_on_a_compiler_or_blas_leave_graphs_alone():
    # config.cxx and config.blas.ldflags are empty here, as in a Theano without compiler.
    x, y, z = S.csr_matrix("x"), T.dmatrix("y"), T.dmatrix("z")
    _, node = _single_node_graph([x, y], S.add(x, y))
    assert isinstance(node.op, S.AddSD)
    assert opt.local_addsd_ccode.transform(node) is False
    assert opt.local_inplace_addsd_ccode.transform(node) is False
    f = theano.function([x, y, z], z - 2.0 * S.dot(x, y))
    assert not any(n.op == S.usmm for n in f.maker.fgraph.toposort())
    xv = sp.csr_matrix(np.array([[0, 1.0], [2.0, 0]]))
    yv, zv = np.eye(2), np.ones((2, 2))
    np.testing.assert_allclose(f(xv, yv, zv), zv - 2.0 * xv.toarray())


# The Ops of this module on a GPU (see test_basic.py's GPU section and device_cases.py).


@pytest.mark.parametrize("name", sorted(device_cases.OPT_CASES))
def test_specialised_ops_on_the_simulated_gpu_match_the_cpu(fake_device, name):
    device_cases.check_case(name, device_cases.OPT_CASES[name], fake_device)


@pytest.mark.parametrize("name", sorted(device_cases.OPT_CASES))
def test_specialised_ops_on_a_gpu_match_the_cpu(gpu, name):
    sparse_devices.check_on_gpu(gpu, name, device_cases.OPT_CASES)
