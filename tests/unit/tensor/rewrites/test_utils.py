"""rewrites/utils.py: as_type_of. All/any of complex values over no or broadcastable axes.

The reduce rules (local_useless_reduce, local_reduce_broadcastable) replace such a
reduction by its input given the output's dtype; for complex input and a bool output there
is no cast, so the replacement is x != 0.  Values against NumPy; no rule may fail."""

import logging

import numpy as np
import pytest

import theano
import theano.tensor as T

X = np.array([[0, 1j], [2, 0]])


@pytest.mark.parametrize("build, reference", [
    (lambda x: x.any(axis=[]), lambda v: v != 0),
    (lambda x: x.all(axis=[]), lambda v: v != 0),
    (lambda x: T.any(x.dimshuffle("x", 0, 1), axis=0), lambda v: v != 0),
    (lambda x: T.all(x.dimshuffle("x", 0, 1), axis=0), lambda v: v != 0),
    (lambda x: T.all(x.dimshuffle("x", 0, 1)), lambda v: np.all(v)),
])
def test_complex_all_any_without_failed_rules(build, reference, caplog):
    x = T.zmatrix("x")
    with caplog.at_level(logging.WARNING):
        f = theano.function([x], build(x), mode="FAST_RUN")
    assert not [r for r in caplog.records if "failed and was skipped" in r.getMessage()]
    out = f(X)
    assert out.dtype == np.bool_
    np.testing.assert_array_equal(out, reference(X))
