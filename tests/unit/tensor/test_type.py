"""theano_compat/tensor/type.py: TensorType.filter_checks_isfinite, unaligned arrays,
values_eq_approx and its module-level variants (golden values from Theano 1.0.5)."""

import numpy as np
import pytest

from theano_compat.tensor import type as ttype
from theano_compat.tensor.type import TensorType


def test_filter_checks_isfinite():
    assert TensorType.filter_checks_isfinite is False
    t = TensorType("float64", (False,))
    bad = np.array([1.0, np.inf, np.nan])
    assert np.isnan(t.filter(bad)[2])  # accepted by default
    t.filter_checks_isfinite = True
    with pytest.raises(ValueError, match="non-finite elements not allowed"):
        t.filter(bad)
    assert t.filter(np.array([1.0, 2.0])).tolist() == [1.0, 2.0]
    s = TensorType("float64", ())
    s.filter_checks_isfinite = True
    with pytest.raises(ValueError):
        s.filter(float("nan"))


def test_unaligned_arrays_are_refused():
    a = np.empty(100, dtype="b1,f8")["f1"]
    assert not a.flags.aligned
    with pytest.raises(TypeError, match="not aligned"):
        TensorType("float64", (False,)).filter(a)


def test_values_eq_approx_special_values():
    # theano-ref: False False False True True False
    a, b = np.array([1.0, np.inf, np.nan]), np.array([1.0, 2.0, 3.0])
    assert not ttype.values_eq_approx(a, b)
    assert not ttype.values_eq_approx_remove_inf(a, b)
    assert not ttype.values_eq_approx_remove_nan(a, b)
    assert ttype.values_eq_approx_remove_inf_nan(a, b)
    assert ttype.values_eq_approx(a, a)
    assert not ttype.values_eq_approx(np.array([np.inf]), np.array([-np.inf]))
    assert ttype.values_eq_approx_always_true(a, np.zeros(7))
    c = np.array([-np.inf, -1, 0, 1, np.inf, np.nan])
    assert TensorType.values_eq_approx(c, np.array([np.inf, -1, 0, 1, 5, np.nan]),
                                       allow_remove_inf=True)
    assert not TensorType.values_eq_approx(c, np.array([np.inf, -1, 0, 1, 5, 6]),
                                           allow_remove_inf=True)


def test_hashtype_and_module_names():
    t = TensorType("float64", ())
    assert ttype.hashtype(t) == hash("TensorType") ^ hash(type(t).__module__)
    assert ttype.scal.__name__ == "theano_compat.scalar"


def test_rebroadcast_shape_of_a_broadcastable_dimension_is_one():
    import theano
    import theano.tensor as T

    x = T.matrix()
    f = theano.function([x], T.addbroadcast(x, 0).shape, mode="FAST_RUN")  # its rewrites
    assert f(np.zeros((1, 5), dtype=x.dtype)).tolist() == [1, 5]
    assert not any(isinstance(n.op, ttype.Rebroadcast) for n in f.maker.fgraph.toposort())
