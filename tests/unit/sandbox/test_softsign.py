"""theano.sandbox.softsign: the old path of softsign, with Theano's notice on stderr."""

import importlib
import sys

import numpy as np
import theano
import theano.tensor as T


def test_softsign_old_path_prints_notice_and_computes(capsys):
    sys.modules.pop("theano_compat.sandbox.softsign", None)
    sys.modules.pop("theano.sandbox.softsign", None)
    module = importlib.import_module("theano.sandbox.softsign")
    assert "softsign was moved" in capsys.readouterr().err
    x = T.dvector("x")
    v = np.array([-3.0, 0.0, 1.0])
    np.testing.assert_allclose(theano.function([x], module.softsign(x))(v), v / (1 + abs(v)))
