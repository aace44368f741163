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
