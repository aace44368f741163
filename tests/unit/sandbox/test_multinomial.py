"""theano.sandbox.multinomial: the Ops and the deprecated name of ChoiceFromUniform."""

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.sandbox import multinomial


def test_multinomial_from_uniform_counts():
    p, u = T.dmatrix("p"), T.dvector("u")
    f = theano.function([p, u], multinomial.MultinomialFromUniform("float64")(p, u))
    pv = np.array([[0.2, 0.8], [0.9, 0.1]])
    # u below the first cumulative probability picks column 0, else column 1
    np.testing.assert_array_equal(f(pv, np.array([0.1, 0.95])), [[1, 0], [0, 1]])


def test_deprecated_name_warns_and_is_choice_from_uniform():
    with pytest.warns(DeprecationWarning, match="ChoiceFromUniform"):
        op = multinomial.MultinomialWOReplacementFromUniform("int64")
    assert isinstance(op, multinomial.ChoiceFromUniform)
    assert multinomial.theano is theano and multinomial.T is T
    assert multinomial.as_scalar(3).type.dtype == "int8"  # theano.scalar.as_scalar


def test_two_input_node_of_old_pickles_draws_once_per_row():
    # Graphs pickled before Theano 0.9 added `n` hold MultinomialFromUniform nodes with
    # two inputs (Theano's test_n_samples_compatibility loads one): one draw per row.
    from theano.gof import Apply

    p, u = T.dmatrix("p"), T.dvector("u")
    full = multinomial.MultinomialFromUniform("float64")(p, u)
    old = Apply(full.owner.op, [p, u], [full.type()])
    f = theano.function([p, u], old.outputs[0])
    pv = np.array([[0.2, 0.8], [0.9, 0.1], [0.5, 0.5]])
    np.testing.assert_array_equal(f(pv, np.array([0.1, 0.95, 0.6])),
                                  [[1, 0], [0, 1], [0, 1]])
