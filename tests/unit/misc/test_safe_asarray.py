"""theano.misc.safe_asarray._asarray (theano._asarray); results as under Theano 1.0.5."""

import numpy as np
import pytest

import theano
from theano.misc.safe_asarray import _asarray


def test_dtypes():
    assert theano._asarray is _asarray
    cases = [([1, 2], "float32"), ([1, 2], "floatX"), (3, "int8"), ([1.7], "int32"),
             (np.arange(3), "int64")]
    got = [(str(x.dtype), x.tolist()) for x in (_asarray(v, d) for v, d in cases)]
    assert got == [("float32", [1.0, 2.0]), ("float64", [1.0, 2.0]), ("int8", 3),
                   ("int32", [1]), ("int64", [0, 1, 2])]
    with theano.change_flags(floatX="float32"):
        assert _asarray([1], "floatX").dtype == np.float32
    x = np.arange(3.0)
    assert _asarray(x, "float64") is x                        # no copy when nothing changes
    assert _asarray(x, "float64", order="F").flags.f_contiguous
    with pytest.raises(ValueError):
        _asarray(["a"], "float64")


def test_equivalent_dtype_becomes_a_view():
    # intc and int32 (or long and int64) are different dtype objects with one description.
    for wanted in (np.dtype(np.intc), np.dtype("int32"), np.dtype(np.int_), np.dtype("int64")):
        x = _asarray(np.arange(3, dtype=np.int32 if wanted.itemsize == 4 else np.int64), wanted)
        assert x.dtype.num == wanted.num and x.tolist() == [0, 1, 2]
