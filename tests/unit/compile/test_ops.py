"""theano.compile.ops: ViewOp, DeepCopyOp, OutputGuard, the shape helpers, as_op /
FromFunctionOp (pickled by reference, as in Theano) and the register_*_c_code no-ops."""

import pickle
import warnings

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.compile import ops

# A module-level as_op Op pickles by reference to this name (Theano's rule).
@ops.as_op([T.dmatrix, T.dmatrix], T.dmatrix)
def mul(a, b):
    return a * b


def test_view_and_deep_copy_ops():
    x = T.dvector("x")
    assert ops.ViewOp.view_map == {0: [0]} and ops.OutputGuard.destroy_map == {0: [0]}
    assert str(ops.view_op) == "ViewOp" and str(ops.deep_copy_op) == "DeepCopyOp"
    xv = np.array([1.0, 2.0])
    view = ops.view_op(x)
    f = theano.function([theano.In(x, borrow=True)], theano.Out(view, borrow=True))
    assert f(xv) is xv or np.shares_memory(f(xv), xv)
    g = theano.function([x], ops.deep_copy_op(x))
    out = g(xv)
    np.testing.assert_array_equal(out, xv)
    assert not np.shares_memory(out, xv)
    grad = theano.grad(ops.view_op(x).sum(), x)
    np.testing.assert_array_equal(theano.function([x], grad)(xv), [1.0, 1.0])


def test_shape_helpers():
    x = T.dmatrix("x")
    assert ops.shape_i_op(1) is ops.shape_i_op(1) and str(ops.shape_i_op(1)) == "Shape_i{1}"
    f = theano.function([x], [ops.shape_i(x, 0), ops.shape(x), ops.shape_i_op(1)(x)])
    assert [np.asarray(v).tolist() for v in f(np.zeros((2, 3)))] == [2, [2, 3], 3]
    assert ops.expandable_types == ()
    assert isinstance(hash(ops.Shape_i(np.int64(1))), int)


def test_register_c_code_functions_do_nothing_and_warn_once():
    ops._C_CODE_NOTE["warned"] = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [ops.register_view_op_c_code(T.TensorType, "code", 1),
                   ops.register_deep_copy_op_c_code(T.TensorType, "code", 1),
                   ops.register_shape_c_code(T.TensorType, "code", 1),
                   ops.register_shape_i_c_code(T.TensorType, "code", "check", 1),
                   ops.register_rebroadcast_c_code(T.TensorType, "code", 1),
                   ops.register_specify_shape_c_code(T.TensorType, "code", 1)]
    assert results == [None] * 6
    assert len([w for w in caught if "C code" in str(w.message)]) == 1


def test_as_op_computes_and_pickles_by_reference():
    x, y = T.dmatrix("x"), T.dmatrix("y")
    m = mul(x, y)
    assert str(m.owner.op) == "FromFunctionOp{mul}"
    np.testing.assert_array_equal(theano.function([x, y], m)(np.full((2, 2), 2.0),
                                                             np.full((2, 2), 3.0)),
                                  np.full((2, 2), 6.0))
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.owner.op is mul and m2.owner.op == m.owner.op

    @ops.as_op(T.dvector, T.dvector)
    def local(v):
        return np.cumsum(v)

    with pytest.raises(pickle.PicklingError):
        pickle.dumps(local)
    assert ops.as_op(T.dvector, T.dvector)(local._fn) == local  # same function: equal
    with pytest.raises(TypeError, match="itypes"):
        ops.as_op([1], T.dvector)
    with pytest.raises(TypeError, match="infer_shape"):
        ops.as_op(T.dvector, T.dvector, infer_shape=3)
