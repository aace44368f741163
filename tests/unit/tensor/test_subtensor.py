"""Indexing and set/inc_subtensor rules of theano_compat/tensor/subtensor.py that legacy
code relied on, as Theano 1.0.5 (values recorded with ../shared/tools/theano-ref)."""

import numpy as np
import pytest
import theano.tensor as T

import theano

X = np.arange(12.0).reshape(3, 4)
T3 = np.arange(24.0).reshape(2, 3, 4)


def _run(var, out, value):
    return theano.function([var], out)(value)


def test_a_list_holding_slices_is_a_tuple_of_indices():
    # Theano 1.0.5 (as NumPy before 1.23) read x[[slice(None), 0]] as x[:, 0]; NumPy 2
    # refuses such a list.  Recorded: the result's ndim and values.
    x, t = T.matrix("x", dtype="float64"), T.tensor3("t", dtype="float64")
    out = x[[slice(None), 0]]
    assert out.ndim == 1 and _run(x, out, X).tolist() == [0.0, 4.0, 8.0]
    assert _run(x, x[[0, slice(None)]], X).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert _run(x, x[[slice(1, 3), slice(None, None, 2)]], X).tolist() == [[4.0, 6.0],
                                                                           [8.0, 10.0]]
    assert _run(x, x[[slice(None)]], X).tolist() == X.tolist()
    assert _run(t, t[[slice(None), 0, slice(1, 3)]], T3).tolist() == [[1.0, 2.0],
                                                                      [13.0, 14.0]]
    # With set_subtensor too (it indexes through the same rule).
    y = T.set_subtensor(x[[slice(None), 1]], 0)
    assert _run(x, y, X)[:, 1].tolist() == [0.0, 0.0, 0.0]
    # A list without a slice is still an integer (advanced) index; None or Ellipsis in a
    # list fail to convert, as in Theano.
    assert _run(x, x[[1, 2]], X).tolist() == X[[1, 2]].tolist()
    for bad in ([None, 0], [Ellipsis, 0]):
        with pytest.raises(TypeError):  # Theano: AsTensorError, a TypeError
            x[bad]


def test_indexing_with_an_empty_list():
    # Theano: an empty list (or tuple, or array) is an empty int64 index.
    x, v = T.matrix("x", dtype="float64"), T.vector("v", dtype="float64")
    out = x[[]]
    assert out.broadcastable == (False, False)
    assert _run(x, out, X).shape == (0, 4)
    assert _run(v, v[[]], np.arange(5.0)).shape == (0,)
    assert _run(v, v[np.array([], dtype="float64")], np.arange(5.0)).shape == (0,)
    assert _run(x, x[[], 1], X).shape == (0,)


def test_float64_value_into_a_float32_tensor():
    # Theano 1.0.5 built both with the float64 value as input and a float32 result; the
    # value is rounded to float32 when written (1e40 becomes inf), and inc_subtensor adds
    # in float64 then casts.
    x, d = T.fmatrix("x"), T.dvector("d")
    X32 = np.arange(6, dtype="float32").reshape(2, 3)
    for build in (T.set_subtensor, T.inc_subtensor):
        out = build(x[0], d)
        assert out.dtype == "float32"
        assert [i.dtype for i in out.owner.inputs[:2]] == ["float32", "float64"]
    got = theano.function([x, d], T.set_subtensor(x[0], d))(X32, np.array([1 + 1e-10, 2.7,
                                                                            1e40]))
    assert got.dtype == np.float32
    assert got.tolist() == [[1.0, np.float32(2.7), np.inf], [3.0, 4.0, 5.0]]
    got = theano.function([x, d], T.inc_subtensor(x[0], d))(X32, np.array([1 + 1e-10, 2.7,
                                                                            3.3]))
    assert got.dtype == np.float32
    assert got.tolist() == [[1.0, np.float32(3.7), np.float32(5.3)], [3.0, 4.0, 5.0]]
    # Advanced indexing and a Python float (float32 constant) follow the same rule.
    out = T.inc_subtensor(x[[0, 1]], T.dmatrix())
    assert out.dtype == "float32"
    assert T.set_subtensor(x[0], 1.5).owner.inputs[1].dtype == "float32"
    # int64 into int32 too: the result keeps the tensor's dtype.
    assert T.inc_subtensor(T.ivector()[0], T.lscalar()).dtype == "int32"
