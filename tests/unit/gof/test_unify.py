"""theano.gof.unify ("Theano 1.0.5": the unifications Theano gave for the same patterns,
tests/golden/gof_linkers.theano105.json)."""

from __future__ import annotations

import theano
import theano.tensor as T
from tests.support import golden
from theano.gof.unify import (FVar, OrV, Unification, V, Var, unify, unify_build,
                              unify_walk)

_make = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


def test_matches_theano_105():
    got = _make.scenarios(theano, T, theano.Mode)["unify"]()
    golden.assert_same(got[0][:3], GOLDEN["unify"][0][:3], "unify[0]")
    assert [list(kv) for kv in got[0][3]] == GOLDEN["unify"][0][3]
    rest = [got[1], got[2], got[3], [got[4][0] is None, got[4][1]], got[5], got[6], got[7],
            [got[8][0] is None, got[8][1]], got[9]]
    expected = GOLDEN["unify"]
    assert rest == [expected[1], expected[2], expected[3], [expected[4][0] is None,
                                                            expected[4][1]],
                    expected[5], expected[6], expected[7],
                    [expected[8][0] is None, expected[8][1]], expected[9]]


def test_named_variables_are_shared_and_fvar_builds_values():
    assert Var("same") is V("same") and OrV("o", [1, 2]) is OrV("o")
    a, b = V("fa"), V("fb")
    merged, U = unify([a, b], [2, 3])
    assert merged == [2, 3]
    assert unify_build([a, (b, 1), FVar(lambda p, q: p + q, a, b)], U) == [2, [3, 1], 5]


def test_classes_extend_unification_with_unify_walk():
    class Even:
        def __unify_walk__(self, other, U):
            return U if isinstance(other, int) and other % 2 == 0 else False

    assert unify_walk(Even(), 4, Unification()) is not False
    assert unify_walk(Even(), 3, Unification()) is False
    merged, U = unify([V("ev"), 1], [2, 1])
    assert merged == [2, 1] and U[V("ev")].value == 2
