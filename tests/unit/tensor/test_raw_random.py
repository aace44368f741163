"""theano.tensor.raw_random: the names of Theano's module (its imports, the package, its
in-place rewrite) over this project's RandomFunction."""

import copy
import functools
import pickle

import numpy as np
import theano.tensor as T
from theano.tensor import raw_random

import theano


def test_names_of_theanos_module():
    assert raw_random.theano is theano and raw_random.tensor is T
    assert raw_random.gof is theano.gof and raw_random.opt is T.opt
    assert raw_random.optdb is theano.compile.optdb
    assert raw_random.copy is copy.copy and raw_random.reduce is functools.reduce
    assert raw_random.string_types == (str,) and raw_random.xrange is range
    # `from theano.tensor.raw_random import *` gives `theano` (Theano's tests used it).
    namespace = {}
    exec("from theano.tensor.raw_random import *", namespace)
    assert namespace["theano"] is theano
    assert namespace["RandomFunction"] is raw_random.RandomFunction


def test_random_make_inplace_outside_a_graph_does_nothing():
    rng = raw_random.random_state_type()
    post, out = raw_random.uniform(rng, (3,))
    assert raw_random.random_make_inplace.transform(out.owner) is False


def test_a_mutable_state_input_is_advanced_in_place():
    # Theano 1.0.5 (test_raw_random's test_inplace_optimization): with In(mutable=True)
    # and its update, FAST_RUN's random_make_inplace keeps the function's RandomState
    # the same object while the draws go on (values: NumPy's uniform from seed 11).
    rng = raw_random.random_state_type()
    rf = raw_random.RandomFunction(np.random.RandomState.uniform, T.dvector)
    post, out = rf(rng, (4,), 0.0, 1.0)
    f = theano.function([theano.In(rng, value=np.random.RandomState(11), update=post,
                                   mutable=True)], out, mode="FAST_RUN")
    (node,) = f.maker.fgraph.apply_nodes
    assert node.op.inplace and node.op.destroy_map == {0: [0]}
    state = f[rng]
    first, second = f(), f()
    assert f[rng] is state
    reference = np.random.RandomState(11)
    np.testing.assert_array_equal(first, reference.uniform(0.0, 1.0, (4,)))
    np.testing.assert_array_equal(second, reference.uniform(0.0, 1.0, (4,)))


def test_a_state_input_not_mutable_stays_unchanged():
    # Without mutable=True the caller's state is protected: the node works on a copy.
    rng = raw_random.random_state_type()
    post, out = raw_random.uniform(rng, (2,))
    f = theano.function([rng], out, mode="FAST_RUN")
    assert not any(n.op.inplace for n in f.maker.fgraph.apply_nodes)
    state = np.random.RandomState(5)
    np.testing.assert_array_equal(f(state), f(state))


def test_a_draw_leaves_the_given_state_unchanged():
    # Not in place: the node draws from a copy of the state, the Gaussian cache included.
    rng = raw_random.random_state_type()
    post, out = raw_random.normal(rng, (3,))
    f = theano.function([rng], [post, out])
    state = np.random.RandomState(7)
    state.normal()  # a cached second Gaussian
    before = pickle.dumps(state.get_state())
    new_state, draws = f(state)
    assert pickle.dumps(state.get_state()) == before
    assert new_state is not state
    reference = np.random.RandomState(7)
    reference.normal()
    np.testing.assert_array_equal(draws, reference.normal(size=(3,)))
    assert pickle.dumps(new_state.get_state()) == pickle.dumps(reference.get_state())
