"""The corner cases recorded from Theano 1.0.5 (theano105_semantics.json), run through this
project in FAST_RUN, FAST_COMPILE and optimizer=None and checked like a fuzz case; and
regression tests of what the fuzzer found and was fixed."""

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.fuzz import test_differential as td
from tests.fuzz.graphs import Case
from tests.fuzz.test_reference import SEMANTICS

# Cases Theano builds but cannot run (inc_subtensor of an int8 x with a float64 y fails in
# NumPy's add): not fuzz cases.
_RUNNABLE = {name: rec for name, rec in SEMANTICS["values"].items()
             if all(r.get("error", "ZeroDivisionError") == "ZeroDivisionError"
                    for r in rec["results"].values())}


@pytest.mark.parametrize("name", sorted(_RUNNABLE))
def test_recorded_theano105_case(name):
    """E.g. clip_lo_gt_hi: T.clip(a, 3, 1) at a = 0 is 3 in Theano 1.0.5 (x < lo ? lo :
    x > hi ? hi : x); w_x_div_x: a / a may be 1 (FAST_RUN) or NaN at a = 0."""
    if theano.config.floatX != SEMANTICS["floatX"]:
        pytest.skip("recorded with floatX=float64")
    rec = _RUNNABLE[name]
    inputs = [(n, d, tuple(bc), np.asarray(v, dtype=d)) for n, (d, bc, v) in
              rec["inputs"].items()]
    td.check(Case(inputs, rec["src"], SEMANTICS["floatX"]))


def test_set_and_inc_subtensor_of_a_full_slice():
    # Theano 1.0.5: x[:] is Subtensor{::}, so set_subtensor(x[:], 5.0) gives [5., 5.]
    # (f_set_full_slice; the fuzzer's case T.set_subtensor((x2)[:], (x3 < x3)) did not build)
    x = T.dvector("x")
    m = T.dmatrix("m")
    assert x[:].owner is not None and m[:, :].owner is not None
    f = theano.function([x, m], [T.set_subtensor(x[:], 5.0), T.inc_subtensor(m[:, :], 1.0)])
    a, b = f([1.0, 2.0], np.zeros((2, 2)))
    np.testing.assert_array_equal(a, [5.0, 5.0])
    np.testing.assert_array_equal(b, np.ones((2, 2)))
    # trailing full slices after a real index are still dropped: m[1, :] is m[1]
    assert str(m[1, :].owner.op) == str(m[1].owner.op)
