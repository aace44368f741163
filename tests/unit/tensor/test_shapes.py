"""theano_compat/tensor/shapes.py: get_scalar_constant_value, the scalar<->tensor Ops,
Flatten, axis normalisation, Reshape's symbolic shape inference, the rebroadcast helpers.

Expected values are NumPy's or were printed by the original Theano 1.0.5
(../shared/tools/theano-ref) where noted.
"""

import warnings

import numpy as np
import pytest
import theano.tensor as T

import theano
from theano_compat.scalar.sharedvar import Scalar
from theano_compat.tensor import shapes
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says


def test_get_scalar_constant_value_sees_through_stacks_shapes_and_fills():
    b = T.iscalar()
    a = T.stack([b, 2, 3])
    assert shapes.get_scalar_constant_value(a[1]) == 2
    assert shapes.get_scalar_constant_value(a[2]) == 3
    with pytest.raises(shapes.NotScalarConstantError):
        shapes.get_scalar_constant_value(a[0])
    with pytest.raises(shapes.NotScalarConstantError):  # a whole vector is not a scalar
        shapes.get_scalar_constant_value(T.stack([1, 2, 3]))
    assert shapes.get_scalar_constant_value(T.row().shape[0]) == 1
    c = T.constant(np.arange(12.0).reshape(3, 4))
    assert shapes.get_scalar_constant_value(c[2, 1]) == 9.0
    assert shapes.get_scalar_constant_value(shapes.Shape_i(1)(c)) == 4
    # second(shape, value) needs only the value to be constant
    assert shapes.get_scalar_constant_value(T.second(T.vector(), 0.25)) == 0.25
    assert shapes.get_scalar_constant_value(T.alloc(np.float64(7.0), T.iscalar(), 3)) == 7.0
    # the gradient of argmax is fill(x, 0): a known zero (Theano's test_arg_grad)
    x = T.matrix()
    assert shapes.get_scalar_constant_value(T.grad(T.argmax(x, axis=0).sum(), x)) == 0.0
    with pytest.raises(shapes.NotScalarConstantError):
        shapes.get_scalar_constant_value(a[Scalar("int64")()])


def test_get_scalar_constant_value_of_arrays_and_copies():
    assert shapes.get_scalar_constant_value(np.array(3)) == 3
    with pytest.raises(shapes.NotScalarConstantError):
        shapes.get_scalar_constant_value(np.array([0, 1]))
    with pytest.raises(shapes.EmptyConstantError):
        shapes.get_scalar_constant_value(np.array([]))
    c = T.constant(3)
    d = shapes.get_scalar_constant_value(c)
    d += 1
    assert c.data == 3
    assert shapes.numpy_scalar(np.array(3.0)) == 3.0
    with pytest.raises(shapes.EmptyConstantError):
        shapes.numpy_scalar(np.array([]))


def test_check_and_normalize_axes():
    # theano-ref: [0, 2] [] [1]; ValueError / TypeError messages as below
    x = T.tensor3()
    assert shapes.check_and_normalize_axes(x, (-1, 0, 0)) == [0, 2]
    assert shapes.check_and_normalize_axes(x, None) == []
    assert shapes.check_and_normalize_axes(x, T.constant(1)) == [1]
    with pytest.raises(ValueError, match="valid axis number for 3-D tensor. Got 3"):
        shapes.check_and_normalize_axes(x, 3)
    with pytest.raises(TypeError, match="Axis must be an integer"):
        shapes.check_and_normalize_axes(x, 1.5)
    with pytest.raises(TypeError, match="constant axis"):
        shapes.check_and_normalize_axes(x, T.iscalar())
    assert shapes._pack(3) == [3] and shapes._pack((1, 2)) == [1, 2]


def test_flatten_op_and_is_flat():
    x = T.dtensor3()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        fl = shapes.Flatten(2)(x)
    assert str(fl.owner.op) == "Flatten{2}"  # theano-ref
    d = np.arange(24.0).reshape(2, 3, 4)
    f = theano.function([x], [fl, fl.shape])
    out, shp = f(d)
    np.testing.assert_array_equal(out, d.reshape(2, 12))
    assert shp.tolist() == [2, 12]
    g = theano.function([x], T.grad((fl * np.arange(24.0).reshape(2, 12)).sum(), x))(d)
    np.testing.assert_array_equal(g, np.arange(24.0).reshape(2, 3, 4))
    assert shapes.is_flat(fl, 2) and not shapes.is_flat(fl)
    with pytest.raises(ValueError):
        shapes.is_flat(fl, ndim=1, outdim=1)


def test_scalar_tensor_conversions():
    x = T.lscalar()
    s = shapes.scalar_from_tensor(x)
    assert isinstance(s.type, Scalar) and s.type.dtype == "int64"
    assert s.owner.op is shapes.scalar_from_tensor
    t = shapes.tensor_from_scalar(s)
    assert t.type == T.lscalar
    f = theano.function([x], t * 3)
    assert f(5) == 15
    y = T.dscalar()
    g = T.grad(shapes.tensor_from_scalar(shapes.scalar_from_tensor(y)) * 2.0, y)
    assert theano.function([y], g)(1.5) == 2.0
    with pytest.raises(TypeError):
        shapes.scalar_from_tensor(T.vector())
    with pytest.raises(TypeError):
        shapes.tensor_from_scalar(T.dscalar())


def test_reshape_infers_symbolic_lengths_with_minus_one():
    x = T.tensor3()
    v = T.lvector()
    r = T.reshape(x, (x.shape[0], x.shape[1], -1))
    f = theano.function([x], r.shape, mode=FAST_RUN)
    assert f(np.zeros((2, 3, 4), dtype=x.dtype)).tolist() == [2, 3, 4]
    assert not any(isinstance(n.op, shapes.Reshape) for n in f.maker.fgraph.toposort())
    f = theano.function([x, v], T.reshape(x, v, ndim=2).shape, mode=FAST_RUN)
    assert f(np.zeros((2, 3, 4), dtype=x.dtype), [4, -1]).tolist() == [4, 6]


def test_specify_shape_checks_the_shape_argument():
    x = T.vector()
    with pytest.raises(AssertionError):
        shapes.SpecifyShape()(x, [])  # a float vector, as Theano's as_tensor_variable([])
    with pytest.raises(AssertionError):
        shapes.SpecifyShape()(x, [2, 2])


def test_rebroadcast_helpers_fold_as_theano():
    x = T.matrix()
    assert T.unbroadcast(x, 0) is x
    assert T.addbroadcast(x, 0) is not x
    assert T.addbroadcast(x, 1, 0).owner.inputs[0] is x
    assert T.unbroadcast(T.addbroadcast(x, 0), 0) is x
    r = T.row()
    assert T.unbroadcast(r, 1) is r and T.addbroadcast(r, 0) is r
    assert T.unbroadcast(r, 0).broadcastable == (False, False)
    with pytest.raises(ValueError):
        T.addbroadcast(x, 2)
    f = theano.function([x], T.addbroadcast(x, 0) * 2)
    np.testing.assert_array_equal(f(np.ones((1, 3), dtype=x.dtype)), [[2, 2, 2]])
    with pytest.raises(ValueError):
        f(np.ones((2, 3), dtype=x.dtype))


def test_tensor_copy_is_elemwise_identity_removed_by_canonicalize():
    # Theano: tensor_copy is Elemwise{identity}; FAST_RUN removes it and only the output
    # copy (DeepCopyOp) is left.
    x = T.dvector()
    assert T.tensor_copy(x).owner.op.scalar_op.name == "identity"
    f = theano.function([x], x.copy(), mode=FAST_RUN)
    assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == ["DeepCopyOp"]
    xv = np.arange(3.0)
    out = f(xv)
    assert out is not xv
    np.testing.assert_array_equal(out, xv)
