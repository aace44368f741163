"""theano_compat/tensor/construct.py: AllocEmpty, Default, Join's rules (in-place view,
broadcastable flags, errors), stack's interfaces, ARange's per-dtype Op and shape, the
infer_shape of Eye and Choose.  References: NumPy, and Theano 1.0.5 via theano-ref."""

import warnings

import numpy as np
import pytest
import theano.tensor as T

import theano
from theano_compat.tensor import construct
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def test_alloc_empty_shape_and_flags():
    # theano-ref: broadcastable (False, False), shape (2, 3); a constant 1 is broadcastable
    ae = construct.AllocEmpty("float32")(2, 3)
    assert ae.broadcastable == (False, False) and ae.dtype == "float32"
    out = theano.function([], ae)()
    assert out.shape == (2, 3) and out.dtype == np.float32
    assert construct.AllocEmpty("float32")(1, T.iscalar()).broadcastable == (True, False)
    assert ae.tag.values_eq_approx(np.zeros(2), np.ones(5))
    with pytest.raises(TypeError):
        construct.AllocEmpty("float32")(2.5)
    sh, bcast = construct.alloc_validate_shape([1, 4])
    assert bcast == [True, False] and all(s.ndim == 0 for s in sh)


def test_default_takes_the_first_value():
    v, w = T.dvectors("vw")
    f = theano.function([v, w], construct.default(v, w))
    assert f(np.array([1.0, 2.0]), np.array([3.0, 4.0])).tolist() == [1.0, 2.0]  # theano-ref
    assert construct.Default().impl(np, None, np.array([3.0])).tolist() == [3.0]
    with pytest.raises(TypeError, match="same type"):
        construct.default(T.dscalar(), T.fscalar())


def test_join_view_returns_the_only_non_empty_piece():
    s = T.lscalar()
    x = T.vector("x")
    z = T.zeros((s,))
    c = construct.Join(view=0)(0, x, z, z)
    assert str(c.owner.op) == "Join{view=0}" and c.owner.op.view_map == {0: [1]}
    f = theano.function([theano.In(x, borrow=True), s], theano.Out(c, borrow=True))
    data = np.array([3, 4, 5], dtype=x.dtype)
    assert f(data, 0).tolist() == [3, 4, 5]
    assert f(data, 1).tolist() == [3, 4, 5, 0, 0]


def test_join_broadcastable_flags_and_errors():
    a = T.TensorType("float64", [1, 0, 1, 0, 0, 0])()
    b = T.TensorType("float64", [1, 1, 1, 0, 0, 0])()
    c = T.TensorType("float64", [1, 0, 0, 0, 0, 0])()
    d = T.TensorType("float64", [1, 0, 1, 1, 0, 1])()
    e = T.TensorType("float64", [1, 0, 1, 0, 0, 1])()
    # Theano: True off the join axis where some piece is broadcastable
    assert construct.join_(0, a, b, c, d, e).broadcastable == (False, True, True, True,
                                                               False, True)
    assert construct.join_(1, a, b, c, d, e).broadcastable == (True, False, True, True,
                                                               False, True)
    single = T.TensorType("float64", (True, False, True))()
    assert construct.join_(0, single).broadcastable == (True, False, True)
    m1, m2 = T.matrices("ab")
    with pytest.raises(IndexError):
        construct.join(-3, m1, m2)
    with pytest.raises(ValueError, match="out of range"):
        construct.join(2, m1, m2)
    with pytest.raises(TypeError, match="dimension 0"):
        construct.join(0, T.as_tensor_variable(1), T.as_tensor_variable(2))
    with pytest.raises(TypeError, match="same number of dimensions"):
        construct.join(0, m1, T.vector())


def test_stack_interfaces():
    a, b = T.imatrices("ab")
    v1, v2 = [[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]
    for expr, ref in [(construct.stack([a, b], 1), np.stack([v1, v2], 1)),
                      (construct.stack([a, b], axis=-1), np.stack([v1, v2], -1)),
                      (construct.stack(tensors=[a, b], axis=2), np.stack([v1, v2], 2))]:
        np.testing.assert_array_equal(theano.function([a, b], expr)(v1, v2), ref)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = construct.stack(a, b)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    np.testing.assert_array_equal(theano.function([a, b], old)(v1, v2), np.stack([v1, v2]))
    x, y = T.iscalars("xy")
    assert isinstance(construct.stack([x, y], 0).owner.op, construct.MakeVector)
    with pytest.raises(ValueError):
        construct.stack([])


def test_arange_one_op_per_dtype_and_shape():
    start, stop, step = T.iscalars("start", "stop", "step")
    out1 = construct.arange(start, stop, step)
    out2 = construct.arange(start, stop, step, dtype=out1.dtype)
    out4 = construct.arange(start, stop, 2.0)
    assert out1.owner.op is out2.owner.op and out1.owner.op is not out4.owner.op
    f = theano.function([start, stop, step], out1.shape)
    for args in [(0, 5, 2), (10, 2, -2), (-5, 1, 1), (10, 2, 2), (0, 0, 1)]:
        assert f(*args).tolist() == [len(np.arange(*args))]
    g = theano.function([stop], construct.arange(stop).shape)
    assert g(7).tolist() == [7]


def test_eye_and_choose_shapes_without_computing_them():
    n, m, k = T.iscalars("nmk")
    e = construct.eye(n, m, k)
    f = theano.function([n, m, k], e.shape, mode=FAST_RUN)
    assert f(3, 5, 1).tolist() == [3, 5]
    assert not any(isinstance(x.op, construct.Eye) for x in f.maker.fgraph.toposort())
    a = T.imatrix()
    c = T.ftensor3()
    ch = construct.choose(a, c)
    f = theano.function([a, c], ch.shape, mode=FAST_RUN)
    av = np.array([[0, 1], [1, 0], [0, 0]], dtype="int32")
    cv = np.random.rand(2, 3, 2).astype("float32")
    assert f(av, cv).tolist() == list(np.choose(av, cv).shape)
    assert not any(isinstance(x.op, construct.Choose) for x in f.maker.fgraph.toposort())


def test_join_and_split_shapes_with_a_symbolic_axis():
    x = T.dtensor3()
    a = T.iscalar()
    sp = T.ivector()
    xv = np.zeros((2, 5, 3))
    pieces = T.split(x, sp, 2, axis=a)
    f = theano.function([x, a, sp], [p.shape for p in pieces], mode=FAST_RUN)
    assert [s.tolist() for s in f(xv, 1, [2, 3])] == [[2, 2, 3], [2, 3, 3]]
    assert [s.tolist() for s in f(xv, -1, [1, 2])] == [[2, 5, 1], [2, 5, 2]]
    assert not any(isinstance(n.op, construct.Split) for n in f.maker.fgraph.toposort())
    m1, m2 = T.dmatrices("mn")
    g = theano.function([a, m1, m2], construct.join(a, m1, m2).shape, mode=FAST_RUN)
    assert g(0, np.zeros((2, 3)), np.zeros((4, 3))).tolist() == [6, 3]
    assert g(-1, np.zeros((2, 3)), np.zeros((2, 1))).tolist() == [2, 4]
    assert not any(isinstance(n.op, construct.Join) for n in g.maker.fgraph.toposort())


def test_eye_of_no_column_count_is_square():
    # Theano let None reach Eye for m (a function input given None): np.eye(n, None, k)
    out = construct.Eye("float64").impl(np, np.int32(3), None, np.int32(1))
    np.testing.assert_array_equal(out, np.eye(3, None, 1))


def test_none_given_for_an_input_reaches_default_and_eye():
    # Theano 1.0.5 handed None given for an input to the Ops reading it (test_basic's
    # test_default, test_default_state, test_eye): default() picks the other value, eye()
    # takes n columns.
    x, y = T.scalars("xy")
    f = theano.function([x, y], construct.default(x, y))
    assert (f(1, 2), f(None, 2), f(1, None)) == (1.0, 2.0, 1.0)
    new_x = y + construct.default(x, 3.8)
    g = theano.function([y, theano.In(x, update=new_x, value=12.0)], new_x)
    assert g(3) == 15.0
    g["x"] = None
    assert np.isclose(g(1), 4.8) and np.isclose(g(2.2), 7.0)
    n, m, k = T.iscalars("nmk")
    e = theano.function([n, m, k], construct.eye(n, m, k, dtype="int8"))
    np.testing.assert_array_equal(e(3, None, 1), np.eye(3, None, 1, dtype="int8"))
    # An Op that does not take None still refuses it, naming the input.
    h = theano.function([x, y], x + y)
    with pytest.raises(ValueError, match="not None"):
        h(None, 2)


def test_alloc_kept_where_theano_did_not_fold_it():
    # Theano 1.0.5's Alloc.do_constant_folding: not as a function output, nor where an
    # Op writing into its first input (inc_subtensor...) reads it; elsewhere folded.
    val = T.constant(np.full((1, 1), 2.5))
    f = theano.function([], construct.alloc(val, 5, 6), mode=FAST_RUN)
    assert [type(nd.op) for nd in f.maker.fgraph.toposort()] == [construct.Alloc]
    np.testing.assert_array_equal(f(), np.full((5, 6), 2.5))
    v = T.dvector("v")
    out = T.inc_subtensor(construct.zeros((4,))[:2], v)
    g = theano.function([v], out, mode=FAST_RUN)
    assert any(isinstance(nd.op, construct.Alloc) for nd in g.maker.fgraph.toposort())
    np.testing.assert_array_equal(g(np.array([1.0, 2.0])), [1.0, 2.0, 0.0, 0.0])
    h = theano.function([v], v + construct.alloc(np.float64(1.0), 3), mode=FAST_RUN)
    assert not any(isinstance(nd.op, construct.Alloc) for nd in h.maker.fgraph.toposort())
    np.testing.assert_array_equal(h(np.arange(3.0)), [1.0, 2.0, 3.0])
