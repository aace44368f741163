"""clone_replace (theano_compat/graph/basic.py): replacing one output of a multi-output node."""

import numpy as np
import pytest
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


# ------------------------------------------------------------- auto names, clone, eval cache

def test_auto_names_come_from_the_class_counter_in_creation_order():
    import itertools

    from theano_compat.graph.basic import Variable
    start = next(Variable.__count__)
    Variable.__count__ = itertools.count(start)  # as Theano's tests reset it
    a = T.dscalar()
    b = T.TensorType("int32", ())()
    c = a.clone()
    assert [v.auto_name for v in (a, b, c)] == [f"auto_{start + k}" for k in range(3)]


def test_clone_copy_orphans_decides_for_owner_less_non_inputs():
    from theano_compat.graph.basic import clone
    x = T.dvector("x")
    c = T.constant(np.array([1.5, 2.5]))  # not cached (two elements)
    out = x * c
    (nx,), (nout,) = clone([x], [out], True, True)
    assert nx is not x and nout.owner.inputs[1] is not c
    np.testing.assert_array_equal(nout.owner.inputs[1].data, [1.5, 2.5])
    (nx,), (nout,) = clone([x], [out], True, False)
    assert nx is not x and nout.owner.inputs[1] is c
    (nx,), (nout,) = clone([x], [out], False)
    assert nx is x and nout.owner.inputs[1] is c  # default: constants are shared
    (nc,), (nc_out,) = clone([c], [c])
    assert nc is not c and nc_out is nc
    (same,), (same_out,) = clone([c], [c], False)
    assert same is c and same_out is c


def test_eval_caches_its_function_and_the_cache_is_not_pickled():
    import pickle
    x, y = T.dscalars("x", "y")
    w = 2 * (x + y)
    assert w.eval({x: 1.0, y: 2.0}) == 6.0
    assert len(w._fn_cache) == 1
    assert w.eval({x: 4.0, y: 2.0}) == 12.0
    assert len(w._fn_cache) == 1  # the same inputs: the same compiled function
    assert not hasattr(pickle.loads(pickle.dumps(w)), "_fn_cache")


def test_constant_equals_compares_type_and_value():
    from theano.gof import Constant
    from theano.tensor.type_other import NoneConst, NoneTypeT

    o1, o2 = Constant(NoneTypeT(), None, name="a"), Constant(NoneTypeT(), None, name="b")
    assert o1.equals(o2) and NoneConst.equals(o1) and o2.equals(NoneConst)
    a, b = T.constant(np.arange(3)), T.constant(np.arange(3))
    assert a.equals(b) and a is not b and a != b  # == stays identity
    assert not a.equals(T.constant(np.arange(3.0)))  # another dtype
    assert not a.equals(T.constant(np.arange(1, 4)))
    assert not a.equals(T.lvector())


class _DefaultOutputOp(theano.Op):
    # Theano's test_basic ApplyDefaultTestOp: one output, `default_output` as given.
    def __init__(self, index):
        self.default_output = index

    def make_node(self, x):
        return theano.Apply(self, [x], [x.type()])


def test_default_output_checks_like_theano():
    # Theano 1.0.5 (gof.graph.Apply.default_output): AttributeError for an index out of
    # range (no negative indexing) or not an int; as_tensor_variable passes it on.
    x = T.dscalar("x")
    assert T.as_tensor_variable(_DefaultOutputOp(0).make_node(x)).owner.op.default_output == 0
    for index in (-1, 2, [0, 1], 0.0):
        node = _DefaultOutputOp(index).make_node(x)
        with pytest.raises(AttributeError, match="default_output"):
            node.default_output()
        with pytest.raises(AttributeError):
            T.as_tensor_variable(node)
    # Several outputs and no default: as_tensor_variable says it is ambiguous (ValueError).
    node = T.max_and_argmax(T.dvector(), axis=0)[0].owner
    with pytest.raises(ValueError, match="ambiguous"):
        T.as_tensor_variable(node)
    with pytest.raises(AttributeError):
        node.default_output()
