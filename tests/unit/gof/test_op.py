"""theano.gof.op: test values, debug values, and the C-only Op classes."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.gof import op
from theano_compat.config import change_flags


def test_get_test_value_of_values_constants_shared_and_tags():
    for value in ([0, 1, 2], 0, 0.5, 1):
        assert np.all(op.get_test_value(value) == value)
    assert op.get_test_value(T.constant(np.ones(2))).tolist() == [1.0, 1.0]
    assert op.get_test_value(theano.shared(np.zeros(3))).tolist() == [0.0, 0.0, 0.0]
    x = T.dvector()
    with pytest.raises(AttributeError):
        op.get_test_value(x)
    x.tag.test_value = np.array([3.0])
    assert op.get_test_value(x).tolist() == [3.0]


def test_get_debug_values_follows_compute_test_value():
    x = T.dvector("x")
    with change_flags(compute_test_value="off"):
        assert op.get_debug_values(x) == []
    with change_flags(compute_test_value="ignore"):
        assert op.get_debug_values(x) == []
    with change_flags(compute_test_value="raise"):
        with pytest.raises(AttributeError, match="Argument 0"):
            op.get_debug_values(x)
        x.tag.test_value = np.zeros(4)
        ((xv, yv),) = op.get_debug_values(x, np.ones((2, 2)))
        assert xv.shape == (4,) and yv.shape == (2, 2)
        with pytest.raises(ValueError):
            op.debug_error_message("msg")


def test_cop_without_perform_says_why():
    class MyCOp(op.COp):
        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.gof.Apply(self, [x], [x.type()])

    x = T.dvector("x")
    f = theano.function([x], MyCOp(["my.c"], "APPLY")(x))
    with pytest.raises(NotImplementedError, match="no C compiler.*perform"):
        f(np.zeros(2))

    class WithPerform(MyCOp):
        def perform(self, node, inputs, out):
            out[0][0] = inputs[0] + 1

    g = theano.function([x], WithPerform(["my.c"])(x))
    assert g(np.zeros(2)).tolist() == [1.0, 1.0]
