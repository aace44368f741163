"""theano.scan_module.scan_views (theano_compat/scan_module/scan_views.py): map, reduce,
foldl and foldr, against NumPy."""

import numpy as np

import theano
import theano.tensor as T
from theano.scan_module import scan_views


def test_map_reduce_foldl_foldr():
    x = T.dvector("x")
    v = np.array([1.0, 2.0, 4.0])
    mapped, _ = scan_views.map(lambda e: e * 3, x)
    assert theano.function([x], mapped)(v).tolist() == (v * 3).tolist()
    acc0 = T.constant(np.float64(0))
    summed, _ = scan_views.reduce(lambda e, acc: acc + e, x, acc0)
    assert theano.function([x], summed)(v) == v.sum()
    # 0 - 1 - 2 - 4 from the left; from the right: 0 - 4 - 2 - 1 (the same); a
    # non-commutative fold shows the order: acc * 10 + e.
    left, _ = scan_views.foldl(lambda e, acc: acc * 10 + e, x, acc0)
    right, _ = scan_views.foldr(lambda e, acc: acc * 10 + e, x, acc0)
    assert theano.function([x], left)(v) == 124.0
    assert theano.function([x], right)(v) == 421.0


def test_names_of_theanos_module():
    assert scan_views.scan is theano.scan
    assert set(scan_views.__all__) == {"map", "reduce", "foldl", "foldr"}
