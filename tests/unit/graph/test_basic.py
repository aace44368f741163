"""clone_replace (theano_compat/graph/basic.py): replacing one output of a multi-output node."""

import numpy as np
import theano
import theano.tensor as T

from theano_compat.graph.basic import clone_replace


def test_replacing_one_output_of_a_node_keeps_the_replacement():
    # max_and_argmax has two outputs; the graph reads both, and only `mx` is replaced: the
    # node is copied for `am`, and every reader of `mx` (an output, and mx * 2) reads `r`.
    x = T.dmatrix("x")
    mx, am = T.max_and_argmax(x, axis=0)
    r = T.dvector("r")
    got_mx, got_am, got_twice = clone_replace([mx, am + 1, mx * 2], {mx: r}, strict=False)
    assert got_mx is r
    f = theano.function([x, r], [got_am, got_twice])
    xv = np.array([[1.0, 5.0], [3.0, 2.0]])
    rv = np.array([10.0, -4.0])
    am_plus_one, twice = f(xv, rv)
    np.testing.assert_array_equal(am_plus_one, np.argmax(xv, axis=0) + 1)
    np.testing.assert_array_equal(twice, rv * 2)
