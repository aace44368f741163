"""RandomStreams.choice / raw_random.choice (theano_compat/tensor/random/raw.py) as
Theano 1.0.5: any false ``p`` (0, None, [], an array holding one zero) means "no p"
(uniform draws).  Draws recorded with ../shared/tools/theano-ref (seed 123)."""

import numpy as np
import pytest
from theano.tensor.shared_randomstreams import RandomStreams

import theano


@pytest.mark.parametrize("p", [None, 0, 0.0, [], (), np.array([0.0])])
def test_choice_with_a_false_p_draws_uniformly(p):
    rs = RandomStreams(seed=123)
    c = rs.choice(size=(5,), a=3, p=p)
    f = theano.function([], c)
    assert c.dtype == "int64" and c.broadcastable == (False,)
    assert f().tolist() == [0, 0, 2, 0, 1]
    assert f().tolist() == [1, 2, 2, 1, 2]


def test_choice_without_replacement_and_with_weights():
    rs = RandomStreams(seed=123)
    f = theano.function([], rs.choice(size=(2, 3), a=10, replace=False, p=0))
    assert f().tolist() == [[9, 7, 1], [3, 2, 5]]
    assert f().tolist() == [[9, 7, 3], [0, 8, 1]]
    rs = RandomStreams(seed=123)
    f = theano.function([], rs.choice(size=(4,), a=3, p=[0.1, 0.2, 0.7]))
    assert f().tolist() == [2, 2, 1, 2]
    assert f().tolist() == [2, 2, 2, 2]
