"""TensorVariable behaviours that legacy code relied on, as Theano 1.0.5 (values recorded
with ../shared/tools/theano-ref under the original Theano, NumPy 1.23)."""

import numpy as np
import pytest
import theano.tensor as T

import theano


def test_iterating_over_a_vector_of_known_length():
    x = T.matrix("x")
    a, b = x.shape
    f = theano.function([x], [a, b])
    assert [int(v) for v in f(np.zeros((2, 3), dtype=x.dtype))] == [2, 3]
    assert len([d for d in x.shape]) == 2
    u, v = T.scalars("u", "v")
    p, q = T.stack([u, v])
    assert theano.function([u, v], [q, p])(1, 2) == [2, 1]
    # Theano: a constant vector, a stack of three, a slice of a shape (x.shape[1:] has
    # length 1, T.tensor3().shape[::2] length 2), as_tensor_variable of a list.
    assert len(list(T.as_tensor_variable(np.arange(3)))) == 3
    assert len(list(T.stack([u, v, u]))) == 3
    assert len(list(x.shape[1:])) == 1
    assert len(list(T.tensor3().shape[::2])) == 2
    assert len(list(T.tensor3().shape[-2:])) == 2
    assert len(list(T.as_tensor_variable([u, v]))) == 2
    (last,) = x.shape[1:]
    assert int(theano.function([x], last)(np.zeros((2, 3), dtype=x.dtype))) == 3


def test_iterating_fails_as_in_theano():
    # A vector of unknown length: get_vector_length's ValueError ("length not known");
    # a matrix: TypeError (builtins.sum on a variable); len(): TypeError.
    with pytest.raises(ValueError, match="length not known"):
        list(T.vector("y"))
    u, v = T.scalars("u", "v")
    with pytest.raises(ValueError, match="length not known"):
        list(T.join(0, T.stack([u]), T.stack([v])))
    with pytest.raises(TypeError, match="does not support iteration"):
        list(T.matrix("m"))
    with pytest.raises(TypeError):
        len(T.matrix("m").shape)


# Under Theano 1.0.5 and NumPy 1.23 (theano-ref): each NumPy function applied to the
# vector x built a graph whose value for X was this.
X = np.array([1.5, -2.3, 0.4])
NUMPY_FUNCTIONS = {
    "ceil": [2.0, -2.0, 1.0],
    "floor": [1.0, -3.0, 0.0],
    "trunc": [1.0, -2.0, 0.0],
    "exp": [4.481689, 0.100259, 1.491825],
    "expm1": [3.481689, -0.899741, 0.491825],
    "square": [2.25, 5.29, 0.16],
    "abs": [1.5, 2.3, 0.4],
    "negative": [-1.5, 2.3, -0.4],
    "tanh": [0.905148, -0.980096, 0.379949],
    "arctan": [0.982794, -1.160669, 0.380506],
    "deg2rad": [0.02618, -0.040143, 0.006981],
    "reciprocal": [0.666667, -0.434783, 2.5],
    "squeeze": [1.5, -2.3, 0.4],
    "argsort": [1, 2, 0],
}


@pytest.mark.parametrize("name", sorted(NUMPY_FUNCTIONS))
def test_numpy_functions_build_graphs(name):
    x = T.vector("x", dtype="float64")
    out = getattr(np, name)(x)
    assert isinstance(out, theano.gof.Variable), name
    got = theano.function([x], out)(X)
    np.testing.assert_allclose(np.round(got, 6), NUMPY_FUNCTIONS[name], atol=1e-6)


def test_math_module_and_numpy_binary_operations():
    x = T.vector("x", dtype="float64")
    import math

    f = theano.function([x], [math.ceil(x), math.floor(x), math.trunc(x)])
    assert [r.tolist() for r in f(X)] == [[2.0, -2.0, 1.0], [1.0, -3.0, 0.0], [1.0, -2.0, 0.0]]
    # `ndarray * variable` is the symbolic product (NumPy defers to the variable), and
    # np.add(variable, variable) builds a graph, as under NumPy 1.
    y = T.vector("y", dtype="float64")
    Y = np.array([0.5, 2.0, -1.0])
    prod = Y * x
    assert isinstance(prod, theano.gof.Variable)
    assert theano.function([x], prod)(X).tolist() == (Y * X).tolist()
    s = np.add(x, y)
    np.testing.assert_allclose(theano.function([x, y], s)(X, Y), [2.0, -0.3, -0.6])


def test_size_divmod_and_subtensor_constants():
    x = T.dscalar()
    assert theano.function([x], x.size)(np.array(1.0)) == 1
    v = T.dvector()
    assert theano.function([v], v.size)(np.zeros(4)) == 4
    a, b = T.dscalars("ab")
    d, r = divmod(a, b)
    assert [float(t) for t in theano.function([a, b], [d, r])(7.0, -2.0)] == list(
        divmod(7.0, -2.0))
    mv = T.stack([T.iscalar(), 5, 6])
    assert T.get_scalar_constant_value(mv[2]) == 6
    assert T.get_scalar_constant_value(T.constant(np.arange(6).reshape(2, 3))[1, 2]) == 5
