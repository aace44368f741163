"""theano.gof.cc: the C linkers' names over Python thunks.

Values marked "Theano 1.0.5" come from tests/golden/gof_linkers.theano105.json (recorded
by tests/golden/make_gof_linkers.py, whose scenarios run here too).
"""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from tests.support import golden
from theano.errors import MethodNotDefined
from theano.gof import FunctionGraph
from theano.gof.cc import CLinker, CodeBlock, DualLinker, HideC, OpWiseCLinker
from theano.gof.link import PerformLinker

_make = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


@pytest.mark.parametrize("name", ["opwise_values", "dual_checks"])
def test_matches_theano_105(name):
    got = _make.scenarios(theano, T, theano.Mode)[name]()
    golden.assert_same(got, GOLDEN[name], name)


def _graph():
    x, y = T.dvectors("x", "y")
    return FunctionGraph([x, y], [T.exp(x) * y - T.log1p(y * y)])


XV, YV = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -1.5])
EXPECTED = np.exp(XV) * YV - np.log1p(YV * YV)


def test_opwise_linker_computes_what_the_perform_linker_does():
    for lnk in (OpWiseCLinker(), OpWiseCLinker(allow_gc=False), OpWiseCLinker(nice_errors=False)):
        np.testing.assert_allclose(lnk.accept(_graph()).make_function()(XV, YV), EXPECTED,
                                   rtol=1e-15)
    fg = _graph()
    first = OpWiseCLinker(allow_gc=False)
    assert first.accept(fg) is first
    second = first.accept(_graph())
    assert second is not first and second.allow_gc is False


def test_opwise_linker_without_nice_errors_raises_the_bare_error():
    class Boom(Exception):
        pass

    class Explode(theano.Op):
        __props__ = ()

        def make_node(self, v):
            return theano.Apply(self, [v], [v.type()])

        def perform(self, node, inputs, out):
            raise Boom("boom")

    x = T.dvector("x")
    fg = FunctionGraph([x], [Explode()(x)])
    # As in Theano, only the loop without garbage collection skips the description.
    with pytest.raises(Boom) as info:
        OpWiseCLinker(nice_errors=False, allow_gc=False).accept(fg).make_function()(XV)
    assert str(info.value) == "boom"
    with pytest.raises(Boom) as info:
        OpWiseCLinker().accept(fg).make_function()(XV)
    assert "Apply node that caused the error" in str(info.value)


def test_dual_linker_reports_a_mismatch_from_its_checker():
    calls = []

    class Mismatch(Exception):
        pass

    def checker(a, b):
        calls.append((a[0].copy(), b[0].copy()))
        if not np.array_equal(a[0], b[0]):
            raise Mismatch()

    np.testing.assert_allclose(DualLinker(checker=checker).accept(_graph()).make_function()(
        XV, YV), EXPECTED, rtol=1e-15)
    assert len(calls) == len(_graph().toposort())

    def always_wrong(a, b):
        raise Mismatch("differ")

    with pytest.raises(Mismatch, match="Apply node that caused the error"):
        DualLinker(checker=always_wrong).accept(_graph()).make_function()(XV, YV)


def test_clinker_is_not_available_and_names_the_python_linkers():
    lnk = CLinker()
    for use in (lambda: lnk.accept(_graph()), lnk.make_thunk, lnk.code_gen,
                lambda: theano.function([], T.constant(1.0), mode=theano.Mode(linker=lnk))):
        with pytest.raises(NotImplementedError, match="no C compiler in theano_compat; use "
                                                      "theano.gof.PerformLinker"):
            use()
    with pytest.raises(NotImplementedError, match="no C compiler"):
        CodeBlock("", "", "", {})


def test_hidec_hides_the_c_methods():
    class Hidden(HideC, theano.Op):
        pass

    op = Hidden()
    for name in ("c_code", "c_headers", "c_support_code_apply", "c_init_code_struct"):
        with pytest.raises(MethodNotDefined):
            getattr(op, name)()
    assert op.c_code_cache_version() == () and op.c_code_cache_version_apply(None) == ()


def test_the_python_linkers_agree_on_a_graph_with_an_ifelse():
    a = T.dscalar("a")
    x = T.dvector("x")
    from theano.ifelse import ifelse

    fg = FunctionGraph([a, x], [ifelse(a, T.exp(x), T.sqr(x))])
    for lnk in (PerformLinker(), OpWiseCLinker(), DualLinker(
            checker=lambda p, q: np.testing.assert_array_equal(p[0], q[0]))):
        fn = lnk.accept(fg).make_function()
        np.testing.assert_allclose(fn(1.0, XV), np.exp(XV))
        np.testing.assert_allclose(fn(0.0, XV), XV ** 2)
