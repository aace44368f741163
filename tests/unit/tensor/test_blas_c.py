"""theano.tensor.blas_c: CGemv / CGer (Gemv / Ger computed without C), their rewrites,
check_force_gemv_init, ldflags."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.config import change_flags
from theano.tensor import blas, blas_c, blas_scipy


def flags(**kw):
    return change_flags(**kw)


def test_c_ops_props_equality_and_names():
    assert blas_c.CGer(True) == blas_c.CGer(True) != blas_c.CGer(False)
    assert hash(blas_c.CGer(True)) == hash(blas_c.cger_inplace)
    assert blas_c.CGer(True) != blas.Ger(True) and blas_c.CGer(True) != blas_scipy.ScipyGer(True)
    assert blas_c.CGemv(False) == blas_c.cgemv_no_inplace != blas.gemv_no_inplace
    assert blas_c.CGemv.__module__ == "theano.tensor.blas_c"
    assert str(blas_c.cgemv_inplace) == "CGemv{inplace}"
    assert str(blas_c.cger_no_inplace) == "CGer{non-destructive}"
    assert blas_c.cgemv_inplace.destroy_map == {0: [0]} and not blas_c.cgemv_no_inplace.destroy_map
    assert blas_c.cger_inplace.destroy_map == {0: [0]}


def test_cgemv_values_strided_and_nan_y_with_beta_0():
    a, b = T.dscalars(2)
    A, x, y = T.dmatrix(), T.dvector(), T.dvector()
    f = theano.function([a, A, x, b, y], blas_c.cgemv_no_inplace(y[::-3], a, A[::-3], x, b))
    rng = np.random.RandomState(0)
    Av, xv, yv = rng.rand(6, 2), rng.rand(2), rng.rand(6)
    np.testing.assert_allclose(f(2., Av, xv, -0.5, yv),
                               2 * Av[::-3].dot(xv) - 0.5 * yv[::-3])
    # beta == 0: y is not read (a NaN in it does not show).
    assert f(1., np.ones((6, 2)), np.ones(2), 0., np.full(6, np.nan)).tolist() == [2., 2.]
    with pytest.raises(ValueError):
        f(1., np.ones((6, 3)), np.ones(2), 1., np.ones(6))


def test_cger_values_and_destructive_form():
    A, x, y, a = T.dmatrix(), T.dvector(), T.dvector(), T.dscalar()
    f = theano.function([A, a, x, y], blas_c.cger_no_inplace(A, a, x, y))
    Av = np.ones((2, 3))
    out = f(Av, 0.5, np.array([1., 2.]), np.array([1.5, 2.7, 3.9]))
    np.testing.assert_allclose(out, 1 + 0.5 * np.outer([1, 2], [1.5, 2.7, 3.9]))
    assert Av.tolist() == np.ones((2, 3)).tolist()  # the non-destructive form copies
    with pytest.raises(TypeError):
        blas_c.CGer(False)(T.imatrix(), T.iscalar(), T.ivector(), T.ivector())


def test_check_force_gemv_init_is_a_bool():
    assert blas_c.check_force_gemv_init() in (True, False)


def test_use_c_rewrites_follow_the_ldflags_flag():
    y, x = T.dvector(), T.dvector()
    A, a = T.dmatrix(), T.dscalar()
    node = blas.gemv_no_inplace(y, a, A, x, a).owner
    gnode = blas.ger(A, a, x, y).owner
    with flags(**{"blas.ldflags": ""}):
        assert blas_c.use_c_gemv.transform(node) is None
        assert blas_c.use_c_ger.transform(gnode) is None
    with flags(**{"blas.ldflags": "-lblas"}):
        assert blas_c.use_c_gemv.transform(node)[0].owner.op == blas_c.cgemv_no_inplace
        assert blas_c.use_c_ger.transform(gnode)[0].owner.op == blas_c.cger_no_inplace
        fnode = blas.gemv_no_inplace(T.fvector(), T.fscalar(), T.fmatrix(), T.fvector(),
                                     T.fscalar()).owner
        assert blas_c.use_c_gemv.transform(fnode)[0].owner.op == blas_c.cgemv_no_inplace
    cnode = blas_c.cgemv_no_inplace(y, a, A, x, a).owner
    assert blas_c.make_c_gemv_destructive.transform(cnode)[0].owner.op == blas_c.cgemv_inplace
    cg = blas_c.cger_no_inplace(A, a, x, y).owner
    assert blas_c.make_c_ger_destructive.transform(cg)[0].owner.op == blas_c.cger_inplace


def test_make_c_gemv_destructive_reallocates_an_alloc_empty():
    n = T.iscalar()
    y = T.AllocEmpty("float64")(n)
    A, x, a, b = T.dmatrix(), T.dvector(), T.dscalar(), T.dscalar()
    out1 = blas_c.cgemv_no_inplace(y, a, A, x, b)
    new = blas_c.make_c_gemv_destructive.transform(out1.owner)[0]
    assert new.owner.op == blas_c.cgemv_inplace
    assert new.owner.inputs[0] is not y and isinstance(new.owner.inputs[0].owner.op, T.AllocEmpty)


def test_c_code_functions_raise():
    for fn in (blas_c.gemv_c_code, blas_c.ger_c_code):
        with pytest.raises(NotImplementedError, match="no C compiler"):
            fn()


def test_ldflags_reads_the_blas_flag():
    with flags(**{"blas.ldflags": "-L/opt/lib -lopenblas -lgfortran -Wl,-rpath"}):
        assert blas_c.ldflags() == ["openblas", "gfortran"]
        assert blas_c.ldflags(libs=False, libs_dir=True) == ["/opt/lib"]
        assert blas_c.ldflags(libs=False, flags=True) == ["-Wl,-rpath"]
        assert blas_c.cgemv_inplace.c_libraries() == ["openblas", "gfortran"]
    with flags(**{"blas.ldflags": "-I/usr/include"}):
        with pytest.raises(ValueError, match="Include dirs are not used"):
            blas_c.ldflags(include_dir=True)
    with flags(**{"blas.ldflags": "openblas"}):
        with pytest.raises(ValueError, match="invalid token"):
            blas_c.ldflags()
