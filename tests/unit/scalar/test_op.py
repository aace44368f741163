"""ScalarOp written in Theano's style (theano_compat/scalar/op.py): a user subclass with
``impl``, ``grad`` and ``output_types_preference`` inside ``T.Elemwise``, its gradient, the
op applied to scalar variables, and the table ops' Theano classes.

Reference values: NumPy written out here, and Theano 1.0.5 (theano-ref, recorded in the
comments: the same script run under the original).
"""

import numpy as np
import pytest

import theano
import theano.scalar as s
import theano.tensor as T
from theano_compat.scalar import ops as S


class Cube(s.UnaryScalarOp):
    def impl(self, x):
        return x * x * x

    def grad(self, inputs, gout):
        (x,), (gz,) = inputs, gout
        return [gz * 3 * x * x]


class Hyp(s.BinaryScalarOp):
    def impl(self, x, y):
        return np.sqrt(x * x + y * y)

    def grad(self, inputs, gout):
        (x, y), (gz,) = inputs, gout
        h = hyp(x, y)
        return [gz * x / h, gz * y / h]


cube = Cube(s.upgrade_to_float, name="cube")
hyp = Hyp(s.upgrade_to_float, name="hyp")


@pytest.mark.parametrize("mode", ["FAST_RUN", "FAST_COMPILE"])
def test_user_op_in_elemwise_computes_and_differentiates(mode):
    v = T.dvector("v")
    e = T.Elemwise(cube)(v)
    f = theano.function([v], [e, T.grad(e.sum(), v)], mode=mode)
    a = np.array([1.0, -2.0, 0.5])
    got, grad = f(a)
    # Theano 1.0.5: [1, -8, 0.125] and [3, 12, 0.75]
    np.testing.assert_array_equal(got, a ** 3)
    np.testing.assert_array_equal(grad, 3 * a ** 2)
    assert got.dtype == grad.dtype == np.float64


def test_user_op_dtype_rule_and_integer_inputs():
    # Theano 1.0.5: upgrade_to_float gives float32 for int8, float64 for int32.
    assert T.Elemwise(cube)(T.bvector()).dtype == "float32"
    assert T.Elemwise(cube)(T.ivector()).dtype == "float64"
    assert T.Elemwise(cube)(T.fvector()).dtype == "float32"
    i8 = T.bvector()
    out = theano.function([i8], T.Elemwise(cube)(i8))(np.array([1, 2, 3], dtype="int8"))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [1.0, 8.0, 27.0])


def test_binary_user_op_gradient_uses_the_op_itself():
    v, w = T.dvector("v"), T.dvector("w")
    h = T.Elemwise(hyp)(v, w)
    g = theano.function([v, w], [h] + T.grad(h.sum(), [v, w]))
    a, b = np.array([3.0, 1.0]), np.array([4.0, 1.0])
    got, gv, gw = g(a, b)
    r = np.sqrt(a * a + b * b)
    # Theano 1.0.5: [5, 1.41421356], [0.6, 0.70710678], [0.8, 0.70710678]
    np.testing.assert_allclose(got, r, rtol=1e-15)
    np.testing.assert_allclose(gv, a / r, rtol=1e-15)
    np.testing.assert_allclose(gw, b / r, rtol=1e-15)


def test_user_op_on_scalar_variables():
    x = s.float64("x")
    y = cube(x)
    assert isinstance(y, s.ScalarVariable) and y.owner.op is cube and str(y) == "cube.0"
    assert theano.function([x], y)(2.0) == 8.0


def test_user_op_equality_and_str():
    # Theano: equal when of one class and one output_types_preference; str is the name,
    # else the class name.
    assert Cube(s.upgrade_to_float) == Cube(s.upgrade_to_float)
    assert Cube(s.upgrade_to_float) != Cube(s.same_out)
    assert hash(Cube(s.upgrade_to_float)) == hash(Cube(s.upgrade_to_float))
    assert str(Cube(s.upgrade_to_float)) == "Cube"


def test_op_without_output_types_or_impl():
    class NoTypes(s.UnaryScalarOp):
        def impl(self, x):
            return x

    with pytest.raises(NotImplementedError, match="output types"):
        T.Elemwise(NoTypes())(T.dvector())

    class NoImpl(s.UnaryScalarOp):
        pass

    v = T.dvector()
    e = T.Elemwise(NoImpl(s.same_out))(v)
    with pytest.raises(Exception, match="impl"):
        theano.function([v], e)(np.ones(2))


def test_table_ops_have_theano_classes():
    assert isinstance(S.add, s.Add) and isinstance(S.add, s.ScalarOp)
    assert isinstance(S.exp, s.Exp) and isinstance(S.exp, s.UnaryScalarOp)
    assert isinstance(S.lt, s.LT) and isinstance(S.lt, s.LogicalComparison)
    assert isinstance(S.isnan, s.FixedLogicalComparison)
    assert isinstance(S.and_, s.BinaryBitOp) and isinstance(S.invert, s.UnaryBitOp)
    assert not isinstance(S.exp, s.Log)
    assert s.Erf.__module__ == "theano.scalar.basic_scipy"
    assert s.Exp.__module__ == "theano.scalar.basic"
    # A table class called as Theano's constructor: the same op with another type rule.
    e64 = s.Exp(s.upgrade_to_float64, name="exp64")
    assert T.Elemwise(e64)(T.bvector()).dtype == "float64"
    assert str(e64) == "exp64"


def test_table_op_impl_and_scalar_grad():
    # Theano 1.0.5: add.impl(2, 3) == 5, exp.impl(float32(1)) is a numpy.float32
    assert S.add.impl(2, 3) == 5
    assert type(S.exp.impl(np.float32(1))) is np.float32
    assert S.true_div.impl(3, 2) == 1.5
    x = s.float64("x")
    (g,) = S.exp.grad([x], [s.constant(1.0)])
    assert isinstance(g, s.ScalarVariable)
    assert theano.function([x], g)(0.5) == np.exp(0.5)


def test_scalar_graph_compiles_with_theano_dtypes():
    i = s.int8("i")
    f = theano.function([i], s.exp(i))
    out = f(3)
    # Theano 1.0.5: 20.085537 (a float32)
    assert out.dtype == np.float32
    assert out == np.exp(np.float32(3))
    x, y = s.floats("xy")
    g = theano.function([x, y], [x + y, x > y, x // y, x ** y])
    assert [float(v) for v in g(7.0, 2.0)] == [9.0, 1.0, 3.0, 49.0]


def test_nary_add_on_scalars():
    x, y, z = s.floats("xyz")
    out = S.add(x, y, z)
    assert theano.function([x, y, z], out)(1.0, 2.0, 4.0) == 7.0


def test_scalar_nodes_meet_no_tensor_rewrite():
    # The tensor rules indexed by scalar ops (x * 0, log(1 + x)...) are for their
    # Elemwise nodes; a scalar graph is computed as written.
    x = s.float64("x")
    with theano.config.change_flags(on_opt_error="raise"):
        f = theano.function([x], s.log(1 + x) + x * 0)
    assert f(1e-20) == np.log(1 + 1e-20)  # as written (log1p would give 1e-20)


def test_pickling():
    import pickle

    assert pickle.loads(pickle.dumps(S.add)) is S.add
    assert pickle.loads(pickle.dumps(s.float32)) == s.float32
    e64 = s.Exp(s.upgrade_to_float64, name="e64")
    back = pickle.loads(pickle.dumps(e64))
    assert back == e64 and type(back) is s.Exp and str(back) == "e64"
    x = s.float64("x")
    f = pickle.loads(pickle.dumps(theano.function([x], s.exp(x) * 2)))
    assert f(1.0) == np.exp(1.0) * 2
