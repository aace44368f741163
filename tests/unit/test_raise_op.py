"""theano.raise_op.Raise: an Op whose computation raises the exception it was given."""

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.raise_op import Raise


def test_raise_builds_a_node_of_the_input_type_and_raises_when_run():
    x = T.dvector("x")
    op = Raise("no way", ValueError)
    y = op(x)
    assert y.type == x.type and y.owner.op is op
    assert str(op) == "Raise{<class 'ValueError'>(no way)}"  # Theano's text
    f = theano.function([x], y * 2)
    with pytest.raises(ValueError, match="no way"):
        f(np.ones(2))


def test_raise_defaults_and_equality():
    op = Raise()
    assert (op.msg, op.exc) == ("", NotImplementedError)
    assert Raise("a", KeyError) == Raise("a", KeyError)
    assert Raise("a", KeyError) != Raise("b", KeyError)
    assert hash(Raise("a")) == hash(Raise("a"))
    i = T.iscalar("i")
    f = theano.function([i], op(i))
    with pytest.raises(NotImplementedError):
        f(1)
