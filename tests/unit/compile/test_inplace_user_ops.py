"""In-place Ops that users put in their graphs (``theano.tensor.inplace``, Ops declaring
``destroy_map``, ``RandomFunction(inplace=True)``, sparse ``Remove0``): compiled with
``accept_inplace=True`` they run on the caller's own array, as in Theano 1.0.5
(compile/pipeline.py, the linker's runner of an in-place Elemwise in tensor/elemwise.py).
Expected values and aliasing: printed by Theano 1.0.5 (../shared/tools/theano-ref) for the
same programs; numbers checked against hand NumPy."""

import numpy as np
import pytest
import scipy.sparse as sp

import theano
import theano.sparse as S
import theano.tensor as T
from theano.tensor import inplace as I
from theano.tensor import raw_random as R

from tests.support.modes import FAST_RUN


def test_the_result_is_written_into_the_callers_array():
    x, y = T.dmatrices("x", "y")
    f = theano.function([x, y], I.add_inplace(x, y), accept_inplace=True)
    a, b = np.ones((2, 3)), np.arange(6.0).reshape(2, 3)
    r = f(a, b)
    np.testing.assert_array_equal(a, 1 + np.arange(6.0).reshape(2, 3))
    assert r is a  # theano-ref: True (no DeepCopyOp on an output that destroyed its input)
    assert [str(n.op) for n in f.maker.fgraph.toposort()] == ["add_inplace"]


def test_accept_inplace_is_required():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        theano.function([x], I.exp_inplace(x))


def test_output_dtype_is_the_first_inputs_as_theano():
    # theano-ref: true_div_inplace(lvector, dvector) is int64: [7, -7, 9] / [2, 2, 4] ->
    # [3, -3, 2] (truncated), written into the int64 array; gamma_inplace(int) -> int64.
    i, y = T.lvector("i"), T.dvector("y")
    assert I.add_inplace(i, y).dtype == "int64"
    f = theano.function([i, y], I.true_div_inplace(i, y), accept_inplace=True)
    a = np.array([7, -7, 9])
    r = f(a, np.array([2.0, 2.0, 4.0]))
    np.testing.assert_array_equal(a, [3, -3, 2])
    assert r is a and r.dtype == np.int64
    g = theano.function([i], I.gamma_inplace(i), accept_inplace=True)
    a = np.array([3, 4, 5])
    g(a)
    np.testing.assert_array_equal(a, [2, 6, 24])


def test_make_node_refuses_what_theano_refused():
    with pytest.raises(ValueError, match="broadcasted dimensions"):
        I.add_inplace(T.drow(), T.dmatrix())
    with pytest.raises(ValueError, match="broadcasted dimensions"):
        I.add_inplace(T.dscalar(), T.dvector())  # the padded scalar is broadcastable


def test_other_readers_of_a_destroyed_input_run_first():
    # theano-ref: outputs [exp(x), 2x, sum(x)] of the original x; x then holds exp(x).
    x = T.dvector("x")
    f = theano.function([x], [I.exp_inplace(x), x * 2, x.sum()], accept_inplace=True)
    a = np.array([0.0, 1.0])
    e, d, s = f(a)
    np.testing.assert_allclose(e, np.exp([0.0, 1.0]))
    np.testing.assert_array_equal(d, [0.0, 2.0])
    assert s == 1.0
    np.testing.assert_allclose(a, np.exp([0.0, 1.0]))


def test_a_chain_and_a_view_of_an_input_destroy_the_input():
    # theano-ref: sin_inplace(exp_inplace(x)) leaves sin(exp(x)) in x and returns x;
    # neg_inplace(x.T) negates x.
    x = T.dvector("x")
    f = theano.function([x], I.sin_inplace(I.exp_inplace(x)), accept_inplace=True)
    a = np.array([0.0, 1.0])
    r = f(a)
    np.testing.assert_allclose(a, np.sin(np.exp([0.0, 1.0])))
    assert r is a
    m = T.dmatrix("m")
    g = theano.function([m], I.neg_inplace(m.T), accept_inplace=True)
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    r = g(a)
    np.testing.assert_array_equal(a, [[-1.0, -2.0], [-3.0, -4.0]])
    np.testing.assert_array_equal(r, [[-1.0, -3.0], [-2.0, -4.0]])


def test_values_still_needed_are_copied_first():
    # A destroyed input that is also an output, a destroyed constant: the destroyer works
    # on a copy (Theano returned the destroyed x and overwrote the constant's data).
    x = T.dvector("x")
    f = theano.function([x], [I.exp_inplace(x), x], accept_inplace=True)
    a = np.array([0.0, 1.0])
    e, same = f(a)
    np.testing.assert_allclose(e, np.exp([0.0, 1.0]))
    np.testing.assert_array_equal(same, [0.0, 1.0])
    c = T.constant(np.array([0.0, 1.0]))
    g = theano.function([], I.exp_inplace(c), accept_inplace=True)
    np.testing.assert_allclose(g(), np.exp([0.0, 1.0]))
    np.testing.assert_allclose(g(), np.exp([0.0, 1.0]))
    np.testing.assert_array_equal(c.data, [0.0, 1.0])


def test_non_mutable_inputs_shared_values_and_0d():
    # theano-ref: In(mutable=False) is destroyed all the same (accept_inplace); a shared
    # value is squared in place on each call; a 0-d input too.
    x, y = T.dvectors("x", "y")
    f = theano.function([theano.In(x, mutable=False), y], I.add_inplace(x, y),
                        accept_inplace=True)
    a = np.array([1.0, 2.0])
    assert f(a, np.array([10.0, 20.0])) is a
    np.testing.assert_array_equal(a, [11.0, 22.0])
    s = theano.shared(np.array([1.0, 2.0]))
    g = theano.function([], I.sqr_inplace(s), accept_inplace=True)
    np.testing.assert_array_equal(g(), [1.0, 4.0])
    np.testing.assert_array_equal(g(), [1.0, 16.0])
    np.testing.assert_array_equal(s.get_value(), [1.0, 16.0])
    z = T.dscalar("z")
    h = theano.function([z], I.neg_inplace(z), accept_inplace=True)
    a = np.array(3.0)
    assert h(a) is a and a == -3.0


def test_random_function_inplace_advances_the_given_state():
    rf = R.RandomFunction("uniform", T.dvector, inplace=True)
    assert rf.inplace and rf.destroy_map == {0: [0]}
    rng = R.random_state_type()
    post, out = rf(rng, (3,), 0.0, 1.0)
    f = theano.function([theano.In(rng, mutable=True)], [post, out], accept_inplace=True)
    st = np.random.RandomState(3)
    new, draws = f(st)
    assert new is st  # theano-ref: True
    ref = np.random.RandomState(3).uniform(0, 1, 4)
    np.testing.assert_array_equal(draws, ref[:3])
    assert st.uniform(0, 1) == ref[3]


def _with_explicit_zero():
    m = sp.csr_matrix(np.array([[0.0, 1.0], [2.0, 0.0]]))
    m.data[0] = 0.0
    return m


def test_remove0_is_made_inplace_on_a_mutable_input_only():
    xs = S.csr_matrix("xs")
    # FAST_RUN: its inplace rewrites make the Remove0{inplace} (Theano's fast_run tag)
    f = theano.function([theano.In(xs, borrow=True, mutable=True)], S.Remove0()(xs),
                        mode=FAST_RUN)
    assert [str(n.op) for n in f.maker.fgraph.toposort()] == ["Remove0{inplace}"]
    m = _with_explicit_zero()
    r = f(m)
    assert r is m and m.nnz == 1  # theano-ref: 1 1 True
    g = theano.function([xs], S.Remove0()(xs), mode=FAST_RUN)
    assert [str(n.op) for n in g.maker.fgraph.toposort()] == ["Remove0{}"]
    m = _with_explicit_zero()
    assert g(m).nnz == 1 and m.nnz == 2


def test_verify_grad_accepts_inplace_ops_as_theano():
    # Theano's verify_grad compiled with accept_inplace=True (T_exp.test_grad_1); the
    # point it is given stays as it was.
    pt = [np.array([[1.5, 1.4, -4.7], [2.0, 0.5, -1.5]])]
    keep = pt[0].copy()
    theano.gradient.verify_grad(I.exp_inplace, pt, rng=np.random.RandomState(0))
    np.testing.assert_array_equal(pt[0], keep)
