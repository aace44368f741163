"""theano.sandbox.solve: the old path of slinalg.solve (warns on import)."""

import importlib
import sys

import numpy as np
import pytest
import theano
import theano.tensor as T


def test_solve_old_path_warns_and_solves():
    sys.modules.pop("theano_compat.sandbox.solve", None)
    sys.modules.pop("theano.sandbox.solve", None)
    with pytest.warns(UserWarning, match="theano.sandbox.solve will soon be deprecated"):
        module = importlib.import_module("theano.sandbox.solve")
    A, b = T.dmatrix("A"), T.dvector("b")
    a, bv = np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([1.0, 2.0])
    np.testing.assert_allclose(theano.function([A, b], module.solve(A, b))(a, bv),
                               np.linalg.solve(a, bv))
