"""theano.tensor.var (theano_compat/tensor/var.py): TensorConstantSignature and the
helpers of Theano's module.  The hash value was printed by Theano 1.0.5 (theano-ref)."""

import importlib

import numpy as np

from theano_compat.tensor.type import TensorType

var = importlib.import_module("theano_compat.tensor.var")


def test_constant_signature_compares_values_with_nans():
    t = TensorType("float64", (False,))
    a = np.array([1.0, np.inf, np.nan])
    S = var.TensorConstantSignature
    assert S((t, a)) == S((t, a.copy()))
    assert hash(S((t, a))) == hash(S((t, a.copy())))
    assert S((t, a)) != S((t, np.array([1.0, 2.0, 3.0])))
    assert S((t, np.arange(3.0))) == S((t, np.arange(3.0)))
    assert S((t, np.arange(3.0))) != S((TensorType("float32", (False,)), np.arange(3.0)))
    assert S((t, np.arange(3.0))) != (t, np.arange(3.0))
    assert S((t, np.arange(3))).theano_hash() == (
        "m4c3195209933249c56630c57012fa90f0e983e953a807db92287c80326da5210")


def test_module_names():
    assert var.equal_slices(slice(1, 4, 2), slice(1, 4, 2))
    assert not var.equal_slices(slice(1, 4), slice(1, 5))
    assert issubclass(var.ComplexError, NotImplementedError)
    assert var.TensorVariable.__name__ == "TensorVariable"
    assert var.theano.__name__ == "theano_compat"
