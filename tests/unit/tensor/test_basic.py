"""theano.tensor.basic: the legacy facade's own names (the tolerances of numeric comparisons)."""

from __future__ import annotations

import numpy as np
import pytest

from theano_compat.tensor import basic


@pytest.mark.parametrize("dtype, near, far", [("float32", 1.5e-5, 3e-5),
                                              ("float64", 5e-6, 3e-5),
                                              ("float16", 1e-3, 4e-3)])
def test_allclose_uses_the_tolerance_of_the_lower_precision(dtype, near, far):
    # |a - b| <= atol + rtol * |b| with b = 1: 2e-5 for float32, ~1e-5 for float64 and
    # 2e-3 for float16 (Theano 1.0.5's defaults, cmp_sloppy=0).
    one = np.ones(3, dtype=dtype)
    assert basic._allclose(one + np.asarray(near, dtype), one)
    assert not basic._allclose(one + np.asarray(far, dtype), one)
    # The float64 side of a mixed pair does not tighten the float32 tolerance.
    if dtype == "float32":
        assert basic._allclose(one + np.float32(near), np.ones(3))


def test_allclose_explicit_tolerances_and_module_level_overrides(monkeypatch):
    a, b = np.float32([1.0]), np.float32([1.001])
    assert not basic._allclose(a, b)
    assert basic._allclose(a, b, atol=1e-2)
    monkeypatch.setattr(basic, "float32_atol", 1e-2)  # as code set theano.tensor.basic's
    assert basic._get_atol_rtol(a, b) == (1e-2, 1e-5)
    assert basic._allclose(a, b)


# ----------------------------------------------------------------------------- issue 16 names


def test_type_constructors_and_dtype_lists_live_here():
    import theano.tensor as T

    assert T.matrix is basic.matrix and T.fmatrix is basic.fmatrix
    assert basic.fmatrix == basic.TensorType("float32", (False, False))
    a, b = basic.dmatrices("ab")
    assert a.name == "a" and b.type == basic.dmatrix
    assert basic.Tensor is basic.TensorType
    # theano-ref
    assert list(basic.float_dtypes) == ["float16", "float32", "float64"]
    assert list(basic.int_dtypes) == ["int8", "int16", "int32", "int64"]
    assert list(basic.complex_dtypes) == ["complex64", "complex128"]
    assert list(basic.continuous_dtypes) == ["float16", "float32", "float64", "complex64",
                                             "complex128"]
    assert list(basic.discrete_dtypes) == ["bool", "int8", "int16", "int32", "int64", "uint8",
                                           "uint16", "uint32", "uint64"]
    assert basic.int32.dtype == "int32"


def test_small_helpers():
    assert basic.check_equal_numpy(np.ones(2), np.ones(2))
    assert not basic.check_equal_numpy(np.ones(2), np.ones(2, "float32"))
    assert basic.check_equal_numpy(3, 3)
    r1, r2 = np.random.RandomState(3), np.random.RandomState(3)
    assert basic.check_equal_numpy(r1, r2)
    r2.rand()
    assert not basic.check_equal_numpy(r1, r2)
    x = basic.dvector()
    assert basic.transfer(x, "cpu") is x
    calls = []
    basic.register_transfer(lambda v, target: calls.append(target) or
                            (v if target == "mine" else None))
    try:
        assert basic.transfer(x, "mine") is x and calls == ["mine"]
    finally:
        basic._TRANSFER_FNS.pop()
    assert basic.constructor(len) is len
    assert basic.default is basic.setdefault
