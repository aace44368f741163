"""theano.misc.pkl_utils: the zip archive format (dump/load), CompatUnpickler for Python 2
pickles, zipadd, and the names Theano's module had."""

import io
import pickle
import zipfile

import numpy as np
import pytest
import theano
from theano.misc import pkl_utils
from theano.misc.pkl_utils import (CompatUnpickler, PersistentGpuArrayID,
                                   PersistentNdarrayLoad, dump, load, zipadd)

# A Python 2 protocol-2 pickle of ``bytearray(str("abc"))``: under Python 3 with
# encoding="latin1" the str argument arrives as a str, which bytearray() rejects.
PY2_BYTEARRAY = b"\x80\x02c__builtin__\nbytearray\nU\x03abc\x85R."


def test_compat_unpickler_reencodes_str_arguments():
    with pytest.raises(TypeError):
        pickle._Unpickler(io.BytesIO(PY2_BYTEARRAY), encoding="latin1").load()
    got = CompatUnpickler(io.BytesIO(PY2_BYTEARRAY), encoding="latin1").load()
    assert got == bytearray(b"abc")
    # Only CompatUnpickler's opcode table changed, not the pure-Python Unpickler's.
    assert pickle._Unpickler.dispatch[pickle.REDUCE[0]] is not pkl_utils.load_reduce
    # Ordinary pickles load unchanged.
    data = pickle.dumps({"a": np.arange(3)}, 2)
    assert CompatUnpickler(io.BytesIO(data)).load()["a"].tolist() == [0, 1, 2]


def test_dump_load_roundtrip_with_named_shared_entries():
    w = theano.shared(np.arange(6.0).reshape(2, 3), name="W")
    b = theano.shared(np.ones(2), name="W")  # a repeated name gets _2
    buf = io.BytesIO()
    dump({"params": [w, b], "extra": np.arange(3)}, buf)
    names = sorted(zipfile.ZipFile(io.BytesIO(buf.getvalue())).namelist())
    assert names == ["W", "W_2", "array_0", "pkl"]
    back = load(io.BytesIO(buf.getvalue()))
    np.testing.assert_array_equal(back["params"][0].get_value(), w.get_value())
    np.testing.assert_array_equal(back["params"][1].get_value(), np.ones(2))
    np.testing.assert_array_equal(back["extra"], np.arange(3))
    # The arrays are plain .npy entries: readable without unpickling.
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        np.testing.assert_array_equal(np.load(zf.open("W")), w.get_value())


def test_load_reads_theano_gpuarray_entries_as_numpy():
    """Theano wrote a GpuArray as the pickled context name, then the array (.npy)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        entry = io.BytesIO()
        pickle.dump("ctx0", entry, 2)
        np.lib.format.write_array(entry, np.arange(4, dtype="float32"))
        zf.writestr("array_0", entry.getvalue())
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        value = PersistentNdarrayLoad(zf)("gpuarray.array_0")
    assert value.dtype == np.float32 and value.tolist() == [0, 1, 2, 3]


def test_gpuarray_id_leaves_host_arrays_to_the_ndarray_id():
    with zipfile.ZipFile(io.BytesIO(), "w") as zf:
        hook = PersistentGpuArrayID(zf)
        assert hook(np.zeros(2)) == "ndarray.array_0"
        assert hook("not an array") is None


def test_zipadd_stores_what_func_writes(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zipadd(lambda f: f.write(b"hello"), zf, "greeting")
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.read("greeting") == b"hello"


def test_theano_module_names():
    assert pkl_utils.min_recursion == 3000
    assert pkl_utils.Pickler is pickle.Pickler
    assert pkl_utils.HIGHEST_PROTOCOL == pickle.HIGHEST_PROTOCOL
    assert pkl_utils.theano is theano
    assert pkl_utils.PY3 is True
