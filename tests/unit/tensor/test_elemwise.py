"""The reductions of theano_compat/tensor/elemwise.py under Theano 1.0.5's API: CAReduce
over any binary scalar op, CAReduceDtype and its resolved dtypes, ProdWithoutZeros,
Prod(no_zeros_in_input=True), the dtype converters (values recorded with
../shared/tools/theano-ref, or computed with NumPy)."""

import numpy as np
import pytest
import theano.tensor as T
from theano.tensor.elemwise import (CAReduce, CAReduceDtype, DimShuffle, Elemwise,
                                    MulWithoutZeros, Prod, ProdWithoutZeros, Sum,
                                    mul_without_zeros)

import theano
from theano import scalar
from theano.tensor.basic import _convert_to_float32, _convert_to_int32
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

XV = np.array([[1, -3, 5], [7, 0, -2]], dtype="int8")


@pytest.mark.parametrize("op, axis, expected", [
    # Recorded under Theano 1.0.5: the output keeps the input's dtype (int8).
    (scalar.add, None, 8), (scalar.add, 0, [8, -3, 3]), (scalar.add, -1, [3, 5]),
    (scalar.mul, 0, [7, 0, -10]), (scalar.mul, -1, [-15, 0]),
    (scalar.maximum, None, 7), (scalar.minimum, 0, [1, -3, -2]),
    (scalar.or_, 0, [7, -3, -1]), (scalar.and_, 0, [1, 0, 4]),
    (scalar.xor, 0, [6, -3, -5]), (scalar.xor, -1, [-7, -7]),
])
def test_careduce_of_a_scalar_op(op, axis, expected):
    x = T.bmatrix("x")
    r = CAReduce(op, axis=axis)(x)
    assert r.dtype == "int8"
    assert theano.function([x], r)(XV).tolist() == expected


def test_careduce_resolves_negative_axes_and_prints_as_theano():
    x = T.bmatrix("x")
    r = CAReduce(scalar.add, axis=-1)(x)
    assert r.owner.op.axis == (1,)
    assert str(CAReduce(scalar.add, axis=[1, 0])) == "Reduce{add}{0, 1}"
    assert str(CAReduce(scalar.add)) == "Reduce{add}"
    assert str(T.elemwise.All(axis=1)) == "All{1}"
    assert str(T.elemwise.Any(axis=[0, 1])) == "Any{0, 1}"
    with pytest.raises(ValueError):
        CAReduce(scalar.add, axis=2)(x)
    with pytest.raises(NotImplementedError):
        CAReduce(scalar.exp)


def test_careduce_dtype_resolves_dtype_and_accumulator():
    # Recorded: the node's op holds the output and accumulator dtypes.
    x = T.bmatrix("x")
    s = Sum(axis=-1)(x)
    assert (s.owner.op.axis, s.owner.op.dtype, s.owner.op.acc_dtype) == ((1,), "int64",
                                                                         "int64")
    p = Prod(dtype="float32")(x)
    assert (p.owner.op.dtype, p.owner.op.acc_dtype) == ("float32", "int64")
    r = CAReduceDtype(scalar.add, axis=1, dtype="float32")(x)
    assert (r.dtype, r.owner.op.acc_dtype) == ("float32", "int64")
    assert theano.function([x], r)(XV).tolist() == [3.0, 5.0]
    h = T.matrix(dtype="float16")
    assert Prod()(h).owner.op.acc_dtype == "float32"
    assert str(Prod(axis=1)(T.dmatrix()).owner.op) == \
        "Prod{axis=(1,), dtype='float64', acc_dtype='float64'}"
    assert str(Sum(axis=[0, 1])(T.dmatrix()).owner.op) == "Sum{axis=[0, 1], acc_dtype=float64}"
    with pytest.raises(TypeError):
        Sum(acc_dtype="int8")(T.imatrix())


def test_prod_without_zeros():
    # The product of the nonzero entries (recorded: 1620, [1, 10, 162], [6, 30, 9]); all
    # zeros give 0; no gradient (Theano: grad_not_implemented).
    m = T.dmatrix("m")
    mv = np.array([[1, 2, 3], [0, 5, 6], [0, 0, 9]], dtype="float64")
    assert theano.function([m], ProdWithoutZeros()(m))(mv) == 1620.0
    assert theano.function([m], ProdWithoutZeros(axis=0)(m))(mv).tolist() == [1, 10, 162]
    assert theano.function([m], ProdWithoutZeros(axis=1)(m))(mv).tolist() == [6, 30, 9]
    assert theano.function([m], ProdWithoutZeros(axis=0)(m))(np.zeros((3, 3))).tolist() == \
        [0, 0, 0]
    assert str(ProdWithoutZeros(axis=0)(m).owner.op) == \
        "ProdWithoutZeros{axis=(0,), dtype='float64', acc_dtype='float64'}"
    with pytest.raises(theano.gradient.NullTypeGradError):
        theano.grad(ProdWithoutZeros(axis=0)(m).sum(), m)
    assert isinstance(mul_without_zeros, MulWithoutZeros)
    assert mul_without_zeros.impl(0.0, 3.0) == 3.0 and mul_without_zeros.impl(2.0, 3.0) == 6.0


def test_prod_no_zeros_in_input_gradient_is_prod_over_x():
    # Recorded under Theano: d prod / dx = prod / x, and it has a gradient itself.
    m = T.dmatrix("m")
    g = theano.grad(Prod(no_zeros_in_input=True)(m), m)
    mv = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert theano.function([m], g)(mv).tolist() == [[24.0, 12.0], [8.0, 6.0]]
    gg = theano.function([m], theano.grad(g.sum(), m))(mv)
    # d/dx_k sum_i P/x_i = sum_{i != k} P / (x_i x_k), with P the product of all entries.
    flat = mv.ravel()
    expected = [sum(24.0 / (flat[i] * flat[k]) for i in range(4) if i != k) for k in range(4)]
    assert np.allclose(gg.ravel(), expected)


def test_careduce_of_a_scalar_op_without_ufunc_folds():
    # mul_without_zeros has no NumPy ufunc: CAReduce loops over the reduced axes.
    m = T.dmatrix("m")
    mv = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    r = CAReduce(mul_without_zeros, axis=1)(m)
    assert theano.function([m], r)(mv).tolist() == [6.0, 5.0]


def test_converters_are_elemwise_of_cast():
    # Theano's _convert_to_int32 is the Elemwise of the Cast scalar op.
    assert isinstance(_convert_to_int32, Elemwise)
    assert str(_convert_to_int32.scalar_op) == "Cast{int32}"
    x = T.dvector("x")
    assert theano.function([x], _convert_to_int32(x))(np.array([1.7, -2.2])).tolist() == \
        [1, -2]
    assert _convert_to_float32(x).dtype == "float32"


def test_a_theano_scalar_variable_becomes_a_tensor():
    # Theano's as_tensor_variable wrapped scalar variables in tensor_from_scalar; they can
    # then index (n[z:, z]).
    z = scalar.constant(1).astype("int32")
    v = T.as_tensor_variable(z)
    assert v.ndim == 0 and v.dtype == "int32"
    m = T.dmatrix("m")
    mv = np.arange(6.0).reshape(2, 3)
    assert theano.function([m], m[z:, z])(mv).tolist() == [4.0]


def test_module_names_of_theano():
    import theano.tensor.elemwise as E
    assert E.DimShufflePrinter and E.cgen.__name__.endswith("elemwise_cgen")
    assert E.get_scalar_type("int8").dtype == "int8"
    assert DimShuffle is T.basic.DimShuffle


def test_dimshuffle_checks_as_theano():
    with pytest.raises(ValueError, match="may not appear twice"):
        DimShuffle((False,), (0, 0))
    with pytest.raises(ValueError, match="only has 1 axes"):
        DimShuffle((False,), (1,))
    with pytest.raises(ValueError, match="cannot drop a non-broadcastable"):
        DimShuffle((False, False), (0,))
    with pytest.raises(TypeError, match="must be python ints"):
        DimShuffle((False,), (0.0,))
    d = DimShuffle((True, False), (1, "x"))
    assert (d.shuffle, d.augment, list(d.drop)) == ([1], [1], [0])


def test_careduce_reduces_one_axis_at_a_time_like_theano():
    # Theano's perform reduced the last axis first, then the next: results equal that
    # sequence of NumPy reductions to the bit (one np.add.reduce over a tuple of axes
    # sums in another order).
    x = T.dtensor4("x")
    xv = np.random.RandomState(3).rand(2, 3, 4, 5) * 10
    f = theano.function([x], CAReduce(scalar.add, axis=(0, 1, 3))(x))
    ref = xv
    for a in (3, 1, 0):
        ref = np.add.reduce(ref, a)
    assert np.array_equal(f(xv), ref)
    xv[0, 0, 1, 0] = np.nan  # a NaN stays in its own output entry
    out = f(xv)
    assert np.isnan(out[1]) and np.isfinite(np.delete(out, 1)).all()
    # No axis: a copy of the input, never the input itself.
    y = T.dmatrix("y")
    yv = np.ones((2, 3))
    got = theano.function([y], CAReduce(scalar.maximum, axis=())(y))(yv)
    assert np.array_equal(got, yv) and not np.shares_memory(got, yv)


def test_excluding_local_cut_useless_reduce_keeps_a_reduction_over_no_axis():
    # Theano's tag of its rule removing Sum{axis=[]}: excluding it keeps the Sum.
    x = T.imatrix("x")
    s = x.sum(axis=[])
    f = theano.function([x], s, mode=FAST_RUN.excluding("local_cut_useless_reduce"))
    assert [type(n.op) for n in f.maker.fgraph.toposort()] == [Sum]
    xv = np.array([[1, 2], [3, 4]], dtype="int32")
    out = f(xv)
    assert out.dtype == np.int64 and out.tolist() == [[1, 2], [3, 4]]
    f = theano.function([x], s, mode=FAST_RUN)
    assert not [n for n in f.maker.fgraph.toposort() if isinstance(n.op, Sum)]


def test_dimshuffle_beyond_the_array_rank_limit_raises_value_error():
    # NumPy's limit: 64 dimensions in NumPy 2, 32 in NumPy 1.x.
    limit = 64 if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else 32
    x = T.dscalar("x")
    with pytest.raises(ValueError, match=f"{limit + 1} dimensions"):
        x.dimshuffle(("x",) * (limit + 1)).eval({x: 0.0})
    assert x.dimshuffle(("x",) * limit).eval({x: 2.0}).shape == (1,) * limit
