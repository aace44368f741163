"""theano.tensor.shared_randomstreams: the names of Theano's module."""

import copy

from theano.tensor import raw_random, shared_randomstreams

import theano


def test_names_of_theanos_module():
    assert shared_randomstreams.SharedVariable is theano.compile.SharedVariable
    assert shared_randomstreams.shared is theano.shared
    assert shared_randomstreams.shared_constructor is theano.compile.shared_constructor
    assert shared_randomstreams.raw_random is raw_random
    assert shared_randomstreams.copy is copy
    rs = shared_randomstreams.RandomStreams(3)
    assert theano.function([], rs.uniform((2,)))().shape == (2,)
