"""In / Out / SymbolicInput (compile/io.py): Theano 1.0.5's defaults and checks."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.compile.io import In, Out, SymbolicInput, SymbolicOutput


def test_in_defaults_follow_theano():
    x = T.dvector("x")
    spec = In(x)
    assert (spec.name, spec.mutable, spec.borrow, spec.implicit, spec.strict, spec.shared) == \
        ("x", False, None, False, False, False)
    assert In(x, mutable=True).borrow is True
    assert In(x, update=x + 1).mutable and In(x, update=x + 1).borrow is None
    assert In(x, name="y", autoname=False).name == "y" and In(x, autoname=False).name is None
    assert str(In(x)) == "In(x)" and str(In(x, update=x * 2)).startswith("In(x -> ")


def test_implicit_defaults_to_true_for_a_container_or_shared_value():
    x = T.dvector("x")
    s = theano.shared(np.zeros(2))
    assert In(x, value=s.container).implicit and In(x, value=s).implicit
    assert not In(x, value=np.zeros(2)).implicit
    with pytest.raises(TypeError, match="implicit input must be given a default value"):
        In(x, implicit=True)


def test_in_checks():
    x = T.dvector("x")
    with pytest.raises(TypeError, match="name must be a string"):
        In(x, name=[])
    with pytest.raises(AssertionError, match="mutable=True, borrow=False"):
        In(x, mutable=True, borrow=False)
    with pytest.raises(TypeError, match="type of the update should be the same"):
        In(T.dscalar(), update=x)
    with pytest.raises(TypeError, match="type of the update should be the same"):
        In(x, update=T.fvector())
    with pytest.raises(AssertionError):
        SymbolicInput(x, implicit=None)


def test_out_borrow_and_strict_in():
    a = T.dvector()
    o = Out(a * 2, borrow=True)
    assert isinstance(o, SymbolicOutput) and o.borrow and str(o).startswith("Out(")
    f = theano.function([In(a, strict=True)], a * 2)
    with pytest.raises(TypeError):
        f(np.array([1, 2], dtype="int32"))
    assert f(np.array([1.0, 2.0])).tolist() == [2.0, 4.0]
