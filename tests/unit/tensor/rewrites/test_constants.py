"""Constant folding (theano_compat/tensor/rewrites/constants.py) of slices: a MakeSlice of
constants folds to a SliceConstant, as Theano 1.0.5's constant_folding did (what the
original printed for the same calls is in the comments)."""

from __future__ import annotations

import numpy as np

import theano
import theano.tensor as T
from theano.gof.opt import pre_constant_merge, pre_greedy_local_optimizer
from theano.tensor.type_other import MakeSlice, SliceConstant, make_slice


def test_make_slice_of_constants_folds_to_a_slice_constant():
    ms = MakeSlice()(1)
    cst = pre_greedy_local_optimizer([theano.tensor.opt.constant_folding], ms)
    # Theano: SliceConstant{1, None, None}, signature (SliceConstant, 1, None, None)
    assert isinstance(cst, SliceConstant)
    assert str(cst) == "SliceConstant{1, None, None}"
    assert cst.data == slice(1, None, None)
    assert cst.signature() == (SliceConstant, 1, None, None)
    hash(cst.signature())
    # a symbolic field: nothing to fold
    i = T.lscalar()
    sym = make_slice(i, 3)
    assert pre_greedy_local_optimizer([theano.tensor.opt.constant_folding], sym) is sym


def test_pre_constant_merge_accepts_slices():
    ms = MakeSlice()(1)
    assert pre_constant_merge([ms]) == [ms]
    const_slice = SliceConstant(theano.tensor.type_other.slicetype, slice(1, None, 2))
    adv = theano.tensor.subtensor.AdvancedSubtensor()(T.matrix(), [2, 3], const_slice)
    assert pre_constant_merge(adv) == [adv]


def test_compiled_graphs_with_constant_slices_keep_their_values():
    x = T.matrix()
    i = T.lscalar()
    data = np.arange(12.0).reshape(3, 4)
    adv = theano.tensor.subtensor.advanced_subtensor
    f = theano.function([x], adv(x, [1, 2], make_slice(1, 3)))
    np.testing.assert_array_equal(f(data), data[[1, 2], 1:3])
    g = theano.function([x, i], adv(x, [1, 2], make_slice(i, 3)))
    np.testing.assert_array_equal(g(data, 2), data[[1, 2], 2:3])
    h = theano.function([], make_slice(1, 3))
    assert h() == slice(1, 3, None)
