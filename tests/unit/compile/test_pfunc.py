"""theano.compile.pfunc: pfunc, rebuild_collect_shared and the deprecated Param (values
from Theano 1.0.5's pfunc documentation and theano-ref)."""

import warnings

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.compile import In
from theano.compile.pfunc import Param, pfunc, rebuild_collect_shared
from theano.compile.sharedvalue import shared


def test_pfunc_documentation_examples():
    a = T.lscalar()
    b = shared(1)
    f1 = pfunc([a], a + b)
    f2 = pfunc([In(a, value=44)], a + b, updates={b: b + 1})
    assert b.get_value() == 1 and f1(3) == 4 and f2(3) == 4 and b.get_value() == 2
    assert f1(3) == 5
    b.set_value(0)
    assert f1(3) == 3 and f2() == 44


def test_no_default_updates_must_be_a_bool_or_a_list():
    x = shared(0)
    x.default_update = x + 2
    assert pfunc([], x, no_default_updates=[x])() == 0 and x.get_value() == 0
    assert pfunc([], x)() == 0 and x.get_value() == 2
    for bad in (x, (x,), "canard"):
        with pytest.raises(TypeError):
            pfunc([], [x], no_default_updates=bad)
    with pytest.raises(Exception, match="must be a list or a tuple"):
        pfunc(T.dscalar(), [])


def test_givens_value_becomes_a_shared_variable_of_its_type():
    x = shared(0)
    assert pfunc([], x, givens={x: 3})() == 3 and x.get_value() == 0
    y = shared(0.5)
    with pytest.raises(TypeError):
        pfunc([], y * 2, givens={y: 3})  # int64 for a float64: Theano refused it too


def test_rebuild_strict_false_lets_a_replacement_change_the_type():
    x = T.ivector("x")
    w = T.imatrix("w")
    y = T.ivector("y")
    z = x * y
    f = theano.function([w, y], z, givens=[(x, w)], rebuild_strict=False)
    np.testing.assert_array_equal(f(np.ones((3, 5), dtype="int32"),
                                    np.arange(5, dtype="int32")), np.tile(np.arange(5), (3, 1)))
    with pytest.raises(TypeError):
        theano.function([w, y], z, givens=[(x, w)])


def test_rebuild_collect_shared_clones_and_collects():
    a = T.dscalar("a")
    w = theano.shared(2.0, name="w")
    w.default_update = w + 1
    out = a * w
    ins, outs, (clone_d, update_d, update_expr, shared_inputs) = \
        rebuild_collect_shared([out], [a])
    assert ins == [a] and outs[0] is not out and clone_d[out] is outs[0]
    assert shared_inputs == [w] and [t for t, _ in update_expr] == [w]
    assert theano.function([a], outs[0], updates=update_expr)(3.0) == 6.0
    assert w.get_value() == 3.0
    _, single, _ = rebuild_collect_shared(out, [a], no_default_updates=True)
    assert single is not out and single.owner.op == out.owner.op
    b = T.dscalar("b")
    _, replaced, _ = rebuild_collect_shared([out], [b], replace={a: b})
    assert theano.function([b], replaced[0])(5.0) == 15.0
    with pytest.raises(TypeError, match="update target must be a SharedVariable"):
        rebuild_collect_shared([out], [a], updates=[(a, a + 1)])


def test_param_is_a_deprecated_in():
    a = T.dscalar("a")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = Param(a, default=3.0)
    assert any("deprecated" in str(w.message) for w in caught)
    assert isinstance(p, In) and p.value == 3.0
    assert theano.function([p], a * 2)() == 6.0
