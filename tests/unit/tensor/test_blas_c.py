"""theano.tensor.blas_c: Theano's C BLAS names (raising at use) and ldflags."""

from __future__ import annotations

import pytest

from theano.config import change_flags
from theano.tensor import blas_c


def flags(**kw):
    return change_flags(**kw)


def test_c_blas_ops_raise_and_name_the_alternative():
    for call in (lambda: blas_c.CGemv(inplace=True), lambda: blas_c.CGer(False),
                 lambda: blas_c.cgemv_inplace(1, 2, 3), lambda: blas_c.use_c_ger.transform,
                 lambda: blas_c.check_force_gemv_init(), lambda: blas_c.gemv_c_code()):
        with pytest.raises(NotImplementedError, match="use T.dot"):
            call()
    assert "not available" in repr(blas_c.cger_no_inplace)
    assert str(blas_c.bool_t) == "bool"


def test_ldflags_reads_the_blas_flag():
    with flags(**{"blas.ldflags": "-L/opt/lib -lopenblas -lgfortran -Wl,-rpath"}):
        assert blas_c.ldflags() == ["openblas", "gfortran"]
        assert blas_c.ldflags(libs=False, libs_dir=True) == ["/opt/lib"]
        assert blas_c.ldflags(libs=False, flags=True) == ["-Wl,-rpath"]
    with flags(**{"blas.ldflags": "-I/usr/include"}):
        with pytest.raises(ValueError, match="Include dirs are not used"):
            blas_c.ldflags(include_dir=True)
    with flags(**{"blas.ldflags": "openblas"}):
        with pytest.raises(ValueError, match="invalid token"):
            blas_c.ldflags()
