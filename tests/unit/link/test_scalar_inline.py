"""Scalar float64 arithmetic computed as Python floats (link/scalar_inline.py) gives
bit-identical results to NumPy's float64 loops, special values included."""

import numpy as np
import pytest
import theano
import theano.tensor as T

from tests.support.modes import FAST_RUN

SPECIAL = [0.0, -0.0, 1.5, -2.25, 1e308, -1e308, 5e-324, np.inf, -np.inf, np.nan, 0.1, 3.0]


def _numpy_reference(a, b, c):
    a, b, c = np.float64(a), np.float64(b), np.float64(c)
    with np.errstate(all="ignore"):
        return [np.multiply(np.add(np.multiply(a, b), c), a), np.subtract(np.negative(a), b),
                np.square(np.subtract(a, c)), np.add(np.multiply(a, np.float64(0.02)), b)]


def _same_bits(x, y):
    return np.asarray(x, dtype=np.float64).tobytes() == np.asarray(y, dtype=np.float64).tobytes()


def test_inline_scalar_graph_is_bit_identical_to_numpy():
    a, b, c = T.dscalars("a", "b", "c")
    # optimizer=None keeps the graph exactly as written (the algebraic rewrites may turn
    # -a - b into -(a + b), which differs in the sign of a zero), so the reference below
    # follows the same operations.
    f = theano.function([a, b, c], [(a * b + c) * a, -a - b, T.sqr(a - c), a * 0.02 + b],
                        mode=theano.compile.mode.Mode(optimizer=None))
    assert "_f = " in f.maker.program.source  # the inline path is the one under test
    rng = np.random.RandomState(3)
    values = SPECIAL + list(rng.randn(20) * 10.0 ** rng.randint(-300, 300, 20))
    for _ in range(300):
        args = [values[k] for k in rng.randint(len(values), size=3)]
        with np.errstate(all="ignore"):
            got = f(*args)
        for g, w in zip(got, _numpy_reference(*args)):
            assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.ndim == 0
            assert _same_bits(g, w) or (np.isnan(g) and np.isnan(w)), (args, g, w)


def test_division_by_zero_stays_numpy_semantics():
    """Python raises on x / 0.0; the compiled function gives inf as NumPy and Theano did."""
    a, b = T.dscalars("a", "b")
    f = theano.function([a, b], a / b)
    with np.errstate(all="ignore"):
        assert f(1.0, 0.0) == np.inf and f(-1.0, 0.0) == -np.inf and np.isnan(f(0.0, 0.0))


def test_transcendentals_stay_in_numpy():
    a, b = T.dscalars("a", "b")
    f = theano.function([a, b], T.exp(a) + b)
    assert _same_bits(f(0.7, 0.25), np.add(np.exp(np.float64(0.7)), np.float64(0.25)))


def test_float32_scalars_are_not_inlined():
    a, b = T.fscalars("a", "b")
    f = theano.function([a, b], a * b + a)
    assert "_f = " not in f.maker.program.source
    out = f(np.float32(0.1), np.float32(3.0))
    assert out.dtype == np.float32
    assert out == np.float32(0.1) * np.float32(3.0) + np.float32(0.1)


def test_integer_lengths_and_division_as_python_floats():
    """``x / n`` with n a length cast to float64: Python floats, with NumPy's inf (and
    its warning) for n == 0."""
    v, x = T.dvector("v"), T.dscalar("x")
    n = T.cast(v.shape[0], "float64")
    # FAST_RUN: v.shape[0] becomes Shape_i, read as i0.shape[0]
    f = theano.function([v, x], [x / n, (x + 1.0) / n], mode=FAST_RUN)
    src = f.maker.program.source
    assert "_py_div(" in src and "float(i0.shape[0])" in src
    got = f(np.arange(7.0), 3.0)
    assert _same_bits(got[0], np.float64(3.0) / np.float64(7.0))
    assert _same_bits(got[1], np.float64(4.0) / np.float64(7.0))
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        empty = f(np.zeros(0), 3.0)
    assert empty[0] == np.inf and empty[1] == np.inf
    i = T.lscalar("i")
    g = theano.function([i, x], T.cast(i, "float64") * x)
    assert "float(i0)" in g.maker.program.source
    assert g.maker.program.float_inputs == {1}        # the int input still goes through
    assert g(3, 0.5) == 1.5                           # Theano's filter
    with pytest.raises(TypeError):
        g(2.5, 0.5)


def test_inverse_of_a_length_is_a_python_float():
    """The 1 / n of a mean's gradient (Composite{inv(Cast{float64}(n))}): Python floats,
    NumPy's inf and warning for n == 0."""
    v, x = T.dvector("v"), T.dscalar("x")
    n = T.cast(v.shape[0], "float64")
    f = theano.function([v, x], [T.inv(n), x - T.inv(n)], mode=FAST_RUN)
    src = f.maker.program.source
    assert "_py_div(1.0, " in src and "float(i0.shape[0])" in src
    got = f(np.arange(7.0), 3.0)
    assert _same_bits(got[0], np.float64(1.0) / np.float64(7.0))
    assert _same_bits(got[1], np.float64(3.0) - np.float64(1.0) / np.float64(7.0))
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert f(np.zeros(0), 3.0)[0] == np.inf
