"""theano.function and theano.function_dump (compile/function.py): Theano's tuple input
specifications, the error types of bad arguments, the dump round trip, and the name
``theano.compile.function`` being the function.  Expected values: Theano 1.0.5
(theano-ref) on the same programs."""

import importlib
import pickle

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano import In


def test_tuple_input_specs_as_theano():
    a, b, c = T.dscalars("a", "b", "c")
    f = theano.function([a, b, ((c, c + a + b), 10.0)], [])
    assert f(1, 2) == [] and f[c] == 13.0
    f(1, 2)
    assert f[c] == 16.0
    g = theano.function([a, (b, 2.0)], a * b)
    assert (g(3), g(3, 4), g[b]) == (6.0, 12.0, 2.0)
    h = theano.function([("alpha", a, 1.5), ("beta", (b, b + 1), 0.0)], a + b)
    # Theano 1.0.5: 1.5 2.5 5.0 3.0 1.5 (beta is a state: 0, 1, 2, then 3)
    assert (h(), h(), h(alpha=3), h["beta"], h["alpha"]) == (1.5, 2.5, 5.0, 3.0, 1.5)


def test_tuple_specs_refuse_updates_and_givens_as_theano():
    a, b = T.dscalars("a", "b")
    with pytest.raises(NotImplementedError, match="old semantics"):
        theano.function([a, (b, 2.0)], a, updates=[(theano.shared(0.0), a)])
    with pytest.raises(NotImplementedError, match="old semantics"):
        theano.function([a, (b, 2.0)], a, givens={b: a})
    with pytest.raises(TypeError, match="Invalid input syntax"):
        theano.function([a, (b, 2.0, 3.0)], a)


def test_a_computed_variable_as_input_cuts_the_graph():
    x = T.dvector("x")
    y = x + 1
    y.name = "y"
    k = theano.function([y], y * 2)
    np.testing.assert_array_equal(k([1.0, 2.0]), [2.0, 4.0])
    assert k.maker.inputs[0].variable is y and k["y"] is None
    assert [str(v) for v in k.maker.fgraph.inputs] == ["y"]


def test_error_types_of_bad_outputs_and_updates():
    x = T.dvector("x")
    a = T.dscalar("a")
    # Theano 1.0.5: AssertionError, TypeError, TypeError, TypeError, TypeError
    with pytest.raises(AssertionError):
        theano.function([x], {1: x})
    with pytest.raises(TypeError):
        theano.function([x], {"a": 3})
    with pytest.raises(TypeError):
        theano.function([x], [3])
    with pytest.raises(TypeError):
        In(a, update=T.fscalar())
    with pytest.raises(TypeError):
        theano.function([In(a, value=0.0, update=T.fscalar())], a)


def test_function_dump_round_trip(tmp_path):
    x = T.dvector("x")
    s = theano.shared(np.ones(2), name="s")
    fname = str(tmp_path / "dump.pkl")
    theano.function_dump(fname, [x], x + s, updates={s: s * 2})
    with open(fname, "rb") as fh:
        d = pickle.load(fh)
    assert sorted(d) == ["accept_inplace", "allow_input_downcast", "givens", "inputs", "mode",
                         "name", "no_default_updates", "on_unused_input", "outputs",
                         "profile", "rebuild_strict", "updates"]
    f = theano.function(**d)
    np.testing.assert_array_equal(f([1.0, 1.0]), [2.0, 2.0])
    np.testing.assert_array_equal(f([1.0, 1.0]), [3.0, 3.0])
    np.testing.assert_array_equal(s.get_value(), [1.0, 1.0])  # the dump holds a copy
    with pytest.raises(AssertionError):
        theano.function_dump(3, [x], x)


def test_compile_function_is_the_function_and_the_module_imports():
    assert theano.compile.function is theano.function
    module = importlib.import_module("theano.compile.function")
    assert theano.compile.function is theano.function  # the import did not rebind it
    x = T.dscalar()
    assert module.function is theano.function and module([x], x * 3)(2.0) == 6.0
    assert theano.compile.pfunc is importlib.import_module("theano.compile.pfunc").pfunc
