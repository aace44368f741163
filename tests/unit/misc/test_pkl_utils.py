"""theano.misc.pkl_utils: the zip archive format (dump/load), CompatUnpickler for Python 2
pickles, zipadd, and the names Theano's module had.

Then the pickles written by the original Theano 1.0.5 (tests/golden/make_pickles.py): they
load with pickle.load, pkl_utils.load and theano_compat.load_model, and the loaded objects
compute what the original computed from them after loading
(tests/golden/pickles/expected.*.json): shared values, graph outputs, compiled functions'
outputs and updates, the next random draws."""

import gzip
import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.misc import pkl_safe, pkl_utils
from theano.misc.pkl_utils import (CompatUnpickler, PersistentGpuArrayID,
                                   PersistentNdarrayLoad, dump, load, zipadd)

import theano_compat

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


# ----------------------------------------------------------------- Theano 1.0.5's pickles

GOLDEN = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "golden")
PICKLES = os.path.join(GOLDEN, "pickles")
FLOATX = ("float64", "float32")
PROTOCOLS = (0, 2, 5)
KINDS = ("tensor_shared", "scalar_shared", "sparse_shared", "graph", "function",
         "random_streams", "mrg_streams", "params_list", "model")
ARCHIVED = ("params_list", "model", "function", "random_streams", "tensor_shared")
MODEL_CLASS = "pickle_models.LogisticRegression"


@pytest.fixture(autouse=True)
def _models_importable(monkeypatch):
    monkeypatch.syspath_prepend(GOLDEN)  # pickle_models, the module the model class lives in


def expected(fx):
    with open(os.path.join(PICKLES, f"expected.{fx}.json")) as f:
        return json.load(f)


def dec(rec):
    return np.asarray(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])


def same(got, rec):
    want = dec(rec)
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, rec)
    if want.dtype.kind in "iub":
        np.testing.assert_array_equal(got, want)
    else:
        tol = 1e-5 if want.dtype == np.float32 else 1e-10
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def x_value(fx):
    return dec(expected(fx)["x"])


def check(kind, o, exp, fx):
    """Assert that the loaded object `o` of `kind` behaves as the original's did (`exp`)."""
    xv = x_value(fx)
    if kind in ("tensor_shared", "scalar_shared"):
        assert type(o).__name__ == exp["class"] and o.name == exp["name"]
        assert str(o.type) == exp["type"]
        same(o.get_value(), exp["value"])
    elif kind == "sparse_shared":
        assert type(o).__name__ == exp["class"] and o.name == exp["name"]
        assert o.get_value().format == exp["format"]
        same(o.get_value().toarray(), exp["value"])
    elif kind == "graph":
        x, (y, gw) = o
        # Elemwise nodes hold this project's scalar ops (the table's tanh, not a copy).
        sops = [v.owner.op.scalar_op for v in theano.gof.graph.ancestors([y, gw])
                if v.owner is not None and hasattr(v.owner.op, "scalar_op")]
        assert any(s is T.tanh(x).owner.op.scalar_op for s in sops)
        f = theano.function([x], [y, gw])
        for got, rec in zip(f(xv), exp["outputs"], strict=True):
            same(got, rec)
    elif kind == "function":
        calls = [o(xv), o(xv, 0.5), o(xv * 2)]
        for got, want in zip(calls, exp["calls"], strict=True):
            for g, rec in zip(got, want, strict=True):
                same(g, rec)
        shared = {v.variable.name: c.value for v, c in zip(o.maker.inputs, o.input_storage)
                  if v.implicit}
        assert sorted(shared) == sorted(exp["shared_after"])
        for name, rec in exp["shared_after"].items():
            same(shared[name], rec)
    elif kind == "random_streams":
        rs, u, n = o
        f = theano.function([], [u, n])
        for want in exp["draws"]:
            for g, rec in zip(f(), want, strict=True):
                same(g, rec)
        same(theano.function([], rs.uniform((2,), low=-1, high=1))(), exp["new_stream"])
    elif kind == "mrg_streams":
        mrg, mu, mn = o
        f = theano.function([], [mu, mn])
        for want in exp["draws"]:
            for g, rec in zip(f(), want, strict=True):
                same(g, rec)
        same(theano.function([], mrg.uniform((4,), nstreams=2))(), exp["new_stream"])
        same(mrg.rstate, exp["rstate"])
    elif kind == "params_list":
        assert [p.name for p in o] == exp["names"]
        assert [type(p).__name__ for p in o] == exp["classes"]
        for p, rec in zip(o, exp["values"], strict=True):
            same(p.get_value(), rec)
    elif kind == "model":
        assert type(o).__name__ == "LogisticRegression"
        predict = theano.function([o.input], [o.y_pred, o.p_y_given_x])
        for got, rec in zip(predict(xv), exp["predict"], strict=True):
            same(got, rec)
        y = T.ivector("y")
        nll = theano.function([o.input, y], o.negative_log_likelihood(y))
        same(nll(xv, np.array([0, 2], dtype="int32")), exp["nll"])
        for p, rec in zip(o.params, exp["params"], strict=True):
            same(p.get_value(), rec)
    else:  # pragma: no cover - the parametrization lists the kinds
        raise AssertionError(kind)


def pickle_path(kind, fx, proto):
    return os.path.join(PICKLES, f"{kind}.{fx}.p{proto}.pkl.gz")


@pytest.mark.parametrize("proto", PROTOCOLS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fx", FLOATX)
def test_pickle_load_of_theano_pickle(fx, kind, proto):
    exp = expected(fx)
    assert f"{kind}.p{proto}" not in exp["refused"]
    with gzip.open(pickle_path(kind, fx, proto)) as f:
        o = pickle.load(f)
    with theano.config.change_flags(floatX=fx):
        check(kind, o, exp[kind], fx)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fx", FLOATX)
def test_safe_load_model_of_theano_pickle(fx, kind):
    """The allow-list loader accepts everything Theano wrote for these kinds (the model's
    own class only when named)."""
    allow = (MODEL_CLASS,) if kind == "model" else ()
    with gzip.open(pickle_path(kind, fx, 2)) as f:
        o = theano_compat.load_model(f, allow=allow)
    with theano.config.change_flags(floatX=fx):
        check(kind, o, expected(fx)[kind], fx)


@pytest.mark.parametrize("kind", ARCHIVED)
@pytest.mark.parametrize("fx", FLOATX)
def test_pkl_utils_load_of_theano_archive(fx, kind):
    exp = expected(fx)
    path = os.path.join(PICKLES, f"{kind}.{fx}.dump.zip")
    allow = (MODEL_CLASS,) if kind == "model" else ()
    with open(path, "rb") as f:
        o = pkl_utils.load(f, allow=allow)
    with theano.config.change_flags(floatX=fx):
        check(kind, o, exp[kind + ".dump"], fx)
    with open(path, "rb") as f:  # load_model reads the archives too
        o = theano_compat.load_model(f, allow=allow)
    with theano.config.change_flags(floatX=fx):
        check(kind, o, exp[kind + ".dump"], fx)


def test_model_class_is_refused_unless_allowed():
    with gzip.open(pickle_path("model", "float64", 2)) as f:
        with pytest.raises(pickle.UnpicklingError, match=MODEL_CLASS.replace(".", r"\.")):
            theano_compat.load_model(f)
    with gzip.open(pickle_path("model", "float64", 2)) as f:
        assert type(theano_compat.load_model(f, trusted=True)).__name__ == "LogisticRegression"


def test_every_global_of_theano_pickles_resolves_and_is_allowed():
    """Each class path or function the golden pickles name resolves here (plain pickle),
    and the allow-list accepts all of them but the user's model class."""
    seen = {}

    class Recording(pickle.Unpickler):
        def find_class(self, module, name):
            obj = super().find_class(module, name)
            seen[f"{module}.{name}"] = obj
            return obj

    for fname in sorted(os.listdir(PICKLES)):
        if fname.endswith(".pkl.gz"):
            with gzip.open(os.path.join(PICKLES, fname)) as f:
                Recording(f).load()
    for path in ("theano.gof.graph.Apply", "theano.tensor.var.TensorVariable",
                 "theano.tensor.sharedvar.TensorSharedVariable",
                 "theano.tensor.elemwise.Elemwise", "theano.scalar.basic.Add",
                 "theano.compile.function_module._constructor_Function",
                 "theano.gof.utils.scratchpad", "theano.tensor.type.TensorType",
                 "theano.sparse.sharedvar.SparseTensorSharedVariable",
                 "theano.sandbox.rng_mrg.MRG_RandomStreams", "theano.gof.opt._metadict",
                 "theano.tensor.shared_randomstreams.RandomStreams"):
        assert path in seen, path
    for path, obj in seen.items():
        module, _, name = path.rpartition(".")
        if path == MODEL_CLASS:
            with pytest.raises(pickle.UnpicklingError, match="refused"):
                pkl_safe.is_allowed(module, name)
        else:
            assert pkl_safe.is_allowed(module, name) is obj, path
