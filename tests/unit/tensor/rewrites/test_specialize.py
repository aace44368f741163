"""SPECIALIZE rules (theano_compat/tensor/rewrites/specialize.py) and local_opt_alloc: the
graph each leaves (node counts printed by Theano 1.0.5 under the original for the same
graphs) and the values against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.tensor.elemwise import Elemwise

# The graph checks need the rewrites, whatever mode the suite runs in (values are checked
# in the default mode too, below).
MODE = theano.compile.mode.get_mode("FAST_RUN").including("specialize").excluding("fusion")
X = np.arange(2 * 3 * 4, dtype="float64").reshape(2, 3, 4)


def _muls(f):
    return [n for n in f.maker.fgraph.toposort()
            if isinstance(n.op, Elemwise) and str(n.op.scalar_op) == "mul"]


@pytest.mark.parametrize("axis", [None, [0, 1, 2]])
def test_sum_of_ones_over_all_axes_is_one_product_of_the_lengths(axis):
    # Theano 1.0.5: [Shape_i{2}, Shape_i{1}, Shape_i{0}, Elemwise{Mul}(s0, s1, s2), Cast]
    a = T.dtensor3()
    f = theano.function([a], T.ones_like(a).sum(axis), mode=MODE)
    assert float(f(X)) == 24.0
    assert float(f(np.ones((5, 1, 7)))) == 35.0
    assert len(f.maker.fgraph.apply_nodes) == 5
    (mul,) = _muls(f)
    assert len(mul.inputs) == 3


def test_sum_of_zeros_folds_and_partial_sums_keep_an_alloc():
    a = T.dtensor3()
    f = theano.function([a], T.zeros_like(a).sum(), mode=MODE)
    assert float(f(X)) == 0.0 and len(f.maker.fgraph.apply_nodes) == 1
    for d in range(3):
        f = theano.function([a], T.ones_like(a).sum(d), mode=MODE)
        np.testing.assert_array_equal(f(X), np.ones_like(X).sum(d))
        assert len(f.maker.fgraph.apply_nodes) == 5
        assert isinstance(f.maker.fgraph.toposort()[-1].op, T.Alloc)


def test_prod_of_constant_alloc_over_all_axes():
    a = T.dtensor3()
    f = theano.function([a], (T.ones_like(a) * 2).prod(), mode=MODE)
    assert float(f(X)) == 2.0 ** 24
    f = theano.function([a], T.zeros_like(a).prod(), mode=MODE)
    assert float(f(X)) == 0.0


def test_mul_by_zero_of_an_nary_product_is_left_to_mul_specialize():
    # An n-ary mul node (Elemwise.nary) with a zero: zeros shaped like the product.
    v = T.vector()
    m = T.vector()
    out = T.mul.nary(v, T.constant(np.zeros(1)), m)
    f = theano.function([v, m], out, mode=MODE)
    np.testing.assert_array_equal(f(np.ones(3), np.arange(3.0)), np.zeros(3))


@pytest.mark.parametrize("axis", [None, 0, 1, 2, [0, 2]])
def test_values_in_the_default_mode(axis):
    a = T.dtensor3()
    f = theano.function([a], [T.ones_like(a).sum(axis), (T.ones_like(a) * 3).prod(axis)])
    s, p = f(X)
    ax = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_array_equal(s, np.ones_like(X).sum(ax))
    np.testing.assert_array_equal(p, (np.ones_like(X) * 3).prod(ax))
