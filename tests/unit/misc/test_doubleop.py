"""theano.misc.doubleop.DoubleOp, the tutorial's example Op (results as under Theano 1.0.5)."""

import numpy as np

import theano
import theano.tensor as T
from theano.misc.doubleop import DoubleOp
from theano.configparser import config


def test_double_op():
    x = T.matrix("x")
    y = DoubleOp()(x)
    v = np.arange(4.0).reshape(2, 2).astype(config.floatX)
    assert theano.function([x], y)(v).tolist() == [[0.0, 2.0], [4.0, 6.0]]
    assert theano.function([x], theano.grad(y.sum(), x))(v).tolist() == [[2.0, 2.0],
                                                                          [2.0, 2.0]]
    shape = theano.function([x], y.shape)(np.zeros((3, 5), dtype=config.floatX))
    assert shape.tolist() == [3, 5]
    assert str(DoubleOp()) == "DoubleOp" and DoubleOp() == DoubleOp()
    assert hash(DoubleOp()) == hash(DoubleOp())
    ev = T.matrix("ev")
    rop = theano.function([x, ev], theano.gradient.Rop(y, x, ev), on_unused_input="ignore")(
        v, np.ones_like(v))
    assert rop.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert DoubleOp().R_op([x], [None]) == [None]
