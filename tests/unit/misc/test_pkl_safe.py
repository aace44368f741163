"""Safe loading (theano.misc.pkl_utils.load, theano_compat.load_model): hostile pickles are
refused before anything runs; this project's own pickles and plain data load; and pickles of
Theano's GPU back-ends (built here from their documented byte format) load on the CPU as
with Theano's experimental.unpickle_gpu_on_cpu."""

import builtins
import copyreg
import gzip
import io
import os
import pickle
import subprocess
import sys
import types
import zipfile

import numpy as np
import pytest
import scipy.sparse as sp
import theano
import theano.tensor as T
from theano.misc import pkl_utils
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.scalar.basic import upgrade_to_float
from theano.tensor.shared_randomstreams import RandomStreams

import theano_compat


class _Call:
    """Pickles as ``func(*args)``: what a hostile file does on loading."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _hostile(marker):
    shell = f"touch {marker}"
    code = f"open({str(marker)!r}, 'w').close()"
    return {
        "os.system": _Call(os.system, shell),
        "builtins.eval": _Call(builtins.eval, code),
        "builtins.exec": _Call(builtins.exec, code),
        "subprocess.call": _Call(subprocess.call, ["touch", str(marker)]),
        "builtins.getattr": _Call(getattr, _Call(builtins.__import__, "os"), "system"),
    }


@pytest.mark.parametrize("proto", [0, 2, pickle.HIGHEST_PROTOCOL])
@pytest.mark.parametrize("kind", ["os.system", "builtins.eval", "builtins.exec",
                                  "subprocess.call", "builtins.getattr"])
def test_hostile_pickle_is_refused_and_runs_nothing(tmp_path, kind, proto):
    marker = tmp_path / "pwned"
    payload = _hostile(marker)[kind]
    # Hidden inside data a model file holds: a list of shared variables and a dict.
    w = theano.shared(np.ones(2), name="W")
    data = pickle.dumps({"params": [w], "extra": [1, payload]}, proto)
    refused = {"os.system": ("posix.system", "os.system", "nt.system"),
               "builtins.eval": ("builtins.eval",), "builtins.exec": ("builtins.exec",),
               "subprocess.call": ("subprocess.call",),
               "builtins.getattr": ("builtins.__import__",)}[kind]
    for load in (lambda: theano_compat.load_model(io.BytesIO(data)),
                 lambda: theano.load_model(io.BytesIO(data))):
        with pytest.raises(pickle.UnpicklingError) as info:
            load()
        assert any(name in str(info.value) for name in refused), str(info.value)
        assert "refused" in str(info.value)
        assert not marker.exists()
    # In a pkl_utils.dump archive too.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("pkl", data)
    for load in (lambda: pkl_utils.load(io.BytesIO(buf.getvalue())),
                 lambda: theano_compat.load_model(io.BytesIO(buf.getvalue()))):
        with pytest.raises(pickle.UnpicklingError):
            load()
        assert not marker.exists()
    # And gzip-compressed, from a path.
    path = tmp_path / "model.pkl.gz"
    path.write_bytes(gzip.compress(data))
    with pytest.raises(pickle.UnpicklingError):
        theano_compat.load_model(path)
    assert not marker.exists()


def test_trusted_keeps_full_pickle_semantics(tmp_path):
    marker = tmp_path / "ran"
    data = pickle.dumps([_Call(builtins.exec, f"open({str(marker)!r}, 'w').close()")], 2)
    theano_compat.load_model(io.BytesIO(data), trusted=True)
    assert marker.exists()
    # A class outside the allow-list: refused, loads when trusted or allowed.
    from collections import ChainMap
    data = pickle.dumps(ChainMap({"a": 1}), 2)
    with pytest.raises(pickle.UnpicklingError, match=r"collections\.ChainMap"):
        theano_compat.load_model(io.BytesIO(data))
    assert theano_compat.load_model(io.BytesIO(data), trusted=True)["a"] == 1
    assert theano_compat.load_model(io.BytesIO(data), allow=["collections.ChainMap"])["a"] == 1
    assert theano_compat.load_model(io.BytesIO(data), allow=[ChainMap])["a"] == 1


def test_getattr_only_for_random_state_methods():
    ok = pickle.dumps(_Call(getattr, np.random.RandomState, "uniform"), 2)
    assert theano_compat.load_model(io.BytesIO(ok)) is np.random.RandomState.uniform
    bad = pickle.dumps(_Call(getattr, np.ndarray, "tofile"), 2)
    with pytest.raises(pickle.UnpicklingError, match="tofile"):
        theano_compat.load_model(io.BytesIO(bad))


def test_own_pickles_load_safely():
    """This project's pickles of the model objects Theano users saved load with the
    allow-list and work (compared with the objects before pickling)."""
    x = T.matrix("x")
    w = theano.shared(np.linspace(-1, 1, 6).reshape(3, 2).astype(theano.config.floatX), "W")
    y = T.nnet.softmax(T.dot(x, w))
    f = theano.function([x], [y, T.argmax(y, axis=1)], updates=[(w, w * 0.5)])
    rs, mrg = RandomStreams(7), MRG_RandomStreams(9)
    u, m = rs.normal((3,)), mrg.uniform((4,))
    sv = theano.sparse.shared(sp.csr_matrix(np.eye(3)), name="S")
    xv = np.arange(6.0).reshape(2, 3).astype(theano.config.floatX)
    obj = {"f": f, "graph": (x, y), "params": [w, sv], "rng": (rs, u, mrg, m),
           "arrays": [np.arange(3), np.float32(2.5), np.dtype("int16")],
           "plain": (1, 2.5, "s", b"b", None, {1, 2}, frozenset([3]), slice(1, 2), 3j)}
    want_u = theano.function([], u)()  # advances rs's state: pickle after
    for proto in (0, 2, pickle.HIGHEST_PROTOCOL):
        data = pickle.dumps(obj, proto)
        expected_call = f(xv)  # the original's next call; the loaded copy's first
        back = theano_compat.load_model(io.BytesIO(data))
        for got, want in zip(back["f"](xv), expected_call, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-6)
        np.testing.assert_allclose(back["params"][0].get_value(), w.get_value())
        xs, ys = back["graph"]
        np.testing.assert_allclose(theano.function([xs], ys)(xv),
                                   theano.function([x], y)(xv), rtol=1e-6)
        assert back["params"][1].get_value().format == "csr"
        rs2, u2, mrg2, m2 = back["rng"]
        assert theano.function([], u2)().shape == want_u.shape
        assert back["plain"] == obj["plain"] and back["arrays"][2] == np.dtype("int16")
        buf = io.BytesIO()
        pkl_utils.dump(obj, buf)
        back = pkl_utils.load(io.BytesIO(buf.getvalue()))
        np.testing.assert_array_equal(back["arrays"][0], np.arange(3))


# ----------------------------------------------------------------------------- GPU pickles
#
# Theano's GPU back-ends pickled a device array by copyreg as
# ``theano.gpuarray.type.GpuArray_unpickler(host_ndarray, context_name)`` (1.0.5's
# gpuarray/type.py) or ``theano.sandbox.cuda.type.CudaNdarray_unpickler(host_ndarray)``
# (0.9's sandbox/cuda/type.py), and their shared variables and types as class + __dict__.
# The pickles are written here with stand-in classes under a temporary module name, which is
# then replaced in the GLOBAL opcodes (protocols 0 and 2 name globals as text lines).

_FAKE = "fake_theano_gpu_module"


def _fake_module():
    mod = types.ModuleType(_FAKE)

    class Scratchpad:
        pass

    class Container:
        pass

    def GpuArray_unpickler(npa, ctx):  # noqa: N802
        raise AssertionError

    def CudaNdarray_unpickler(npa):  # noqa: N802
        raise AssertionError

    class DeviceArray:
        def __init__(self, value, cuda):
            self.value, self.cuda = value, cuda

        def __reduce__(self):
            if self.cuda:
                return CudaNdarray_unpickler, (self.value,)
            return GpuArray_unpickler, (self.value, None)

    classes = dict(Scratchpad=Scratchpad, Container=Container, DeviceArray=DeviceArray,
                   GpuArray_unpickler=GpuArray_unpickler,
                   CudaNdarray_unpickler=CudaNdarray_unpickler,
                   GpuArrayType=type("GpuArrayType", (), {}),
                   GpuArraySharedVariable=type("GpuArraySharedVariable", (), {}),
                   CudaNdarrayType=type("CudaNdarrayType", (), {}),
                   CudaNdarraySharedVariable=type("CudaNdarraySharedVariable", (), {}))
    for name, obj in classes.items():
        obj.__module__, obj.__qualname__ = _FAKE, name
        setattr(mod, name, obj)
    return mod


_THEANO_PATHS = {
    "GpuArray_unpickler": "theano.gpuarray.type", "GpuArrayType": "theano.gpuarray.type",
    "GpuArraySharedVariable": "theano.gpuarray.type",
    "CudaNdarray_unpickler": "theano.sandbox.cuda.type",
    "CudaNdarrayType": "theano.sandbox.cuda.type",
    "CudaNdarraySharedVariable": "theano.sandbox.cuda.var",
    "Scratchpad": ("theano.gof.utils", "scratchpad"), "Container": "theano.gof.link"}


def _gpu_pickle(value, cuda, proto, monkeypatch):
    mod = _fake_module()
    monkeypatch.setitem(sys.modules, _FAKE, mod)
    typ = (mod.CudaNdarrayType if cuda else mod.GpuArrayType)()
    typ.__dict__.update(dtype=str(value.dtype), broadcastable=(False,) * value.ndim,
                        name=None, **({} if cuda else {"context_name": None,
                                                       "typecode": 11}))
    cont = mod.Container()
    cont.__dict__.update(type=typ, name="W", storage=[mod.DeviceArray(value, cuda)],
                         readonly=False, strict=False, allow_downcast=None)
    var = (mod.CudaNdarraySharedVariable if cuda else mod.GpuArraySharedVariable)()
    tag = mod.Scratchpad()
    tag.trace = []
    var.__dict__.update(tag=tag, type=typ, owner=None, index=None, name="W",
                        auto_name="auto_1", container=cont)
    data = pickle.dumps([var, mod.DeviceArray(value + 1, cuda)], proto)
    for name, path in _THEANO_PATHS.items():
        module, new = path if isinstance(path, tuple) else (path, name)
        data = data.replace(f"{_FAKE}\n{name}\n".encode(), f"{module}\n{new}\n".encode())
    assert _FAKE.encode() not in data
    return data


@pytest.mark.parametrize("proto", [0, 2])
@pytest.mark.parametrize("cuda", [False, True], ids=["gpuarray", "cuda_ndarray"])
def test_gpu_pickles_load_on_cpu_with_the_flag(cuda, proto, monkeypatch):
    value = np.arange(6, dtype="float32").reshape(2, 3)
    data = _gpu_pickle(value, cuda, proto, monkeypatch)
    monkeypatch.delitem(sys.modules, _FAKE)
    with theano.config.change_flags(**{"experimental.unpickle_gpu_on_cpu": True}):
        for load in (pickle.loads, lambda d: theano_compat.load_model(io.BytesIO(d))):
            with pytest.warns(UserWarning, match="unpickle_gpu_on_cpu"):
                var, extra = load(data)
            assert type(var) is theano.tensor.sharedvar.TensorSharedVariable
            assert var.type == T.TensorType("float32", (False, False)) and var.name == "W"
            np.testing.assert_array_equal(var.get_value(), value)
            np.testing.assert_array_equal(extra, value + 1)
            # The loaded variable works in a graph.
            np.testing.assert_allclose(theano.function([], (var * 2).sum())(), 30.0)
    # Without the flag: ImportError naming it (as Theano without pygpu / CUDA).
    with pytest.raises(ImportError, match="unpickle_gpu_on_cpu"):
        pickle.loads(data)


def test_gpu_types_are_not_constructible():
    from theano.gpuarray.type import GpuArraySharedVariable, GpuArrayType
    with pytest.raises(NotImplementedError, match="TensorType"):
        GpuArrayType("float32", (False,))
    with pytest.raises(NotImplementedError, match="theano.shared"):
        GpuArraySharedVariable()


def test_stored_code_text_of_an_op_is_not_used(tmp_path):
    """A scalar op's state may carry the Python text the linker inlines (``py_form``): a
    file not trusted gets the table op's own attributes instead."""
    marker = tmp_path / "injected"
    x = T.dvector("x")
    y = T.tanh(x) * 2
    tanh = y.owner.inputs[0].owner.op.scalar_op
    evil = {"name": "tanh", "py_form": f"(open({str(marker)!r}, 'w').close() or {{0}})",
            "ufunc": "exp"}

    class Injecting(pickle.Pickler):
        def reducer_override(self, obj):
            if obj is tanh:
                return copyreg._reconstructor, (type(obj), object, None), \
                    dict(evil, output_types_preference=upgrade_to_float)
            return NotImplemented

    buf = io.BytesIO()
    Injecting(buf, 2).dump((x, y))
    xs, ys = theano_compat.load_model(io.BytesIO(buf.getvalue()))
    xv = np.array([0.5, -1.0])
    np.testing.assert_allclose(theano.function([xs], ys)(xv), np.tanh(xv) * 2)
    assert not marker.exists()
