"""theano.misc.pkl_utils: pickling to a zip file with arrays stored as ``.npy`` entries.

The format is Theano 1.0.5's: a zip archive (deflate) holding the pickle in an entry
named ``pkl`` and every NumPy array in its own ``.npy``-format entry, referenced from
the pickle by the persistent id ``'ndarray.<entry>'``.  A shared variable's value is
stored under the variable's name (``W``, then ``W_2``... for repeated names), other
arrays as ``array_0``, ``array_1``...  The arrays can therefore be read without
unpickling (``numpy.load(zipfile.ZipFile(f).open('W'))``), and archives written by
Theano that hold arrays and plain Python objects load here.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import copy
import gzip
import io
import os
import pickle
import sys
import tempfile
import zipfile
from collections import defaultdict  # noqa: F401 - names of Theano's module
from contextlib import closing  # noqa: F401
from io import BytesIO  # noqa: F401
from pickle import HIGHEST_PROTOCOL  # noqa: F401

import numpy as np
from six import PY3, string_types  # noqa: F401

from .. import backend as _backend
from ..config import config  # noqa: F401
from ..graph.basic import Apply, Variable
from ..graph.shared import SharedVariable
from .pkl_safe import SafeUnpickler

__all__ = ["CompatUnpickler", "PersistentGpuArrayID", "PersistentNdarrayID",
           "PersistentNdarrayLoad", "PersistentSharedVariableID", "SafeUnpickler",
           "StripPickler", "dump", "load", "load_model", "zipadd"]

theano = sys.modules[__package__.rpartition(".")[0]]  # Theano's module imported the package
DEFAULT_PROTOCOL = pickle.DEFAULT_PROTOCOL
min_recursion = 3000  # Theano raised the recursion limit to this for deep graphs
Pickler = pickle.Pickler


def load_reduce(self):
    """The REDUCE opcode of `CompatUnpickler`: call ``func(*args)``; when that fails and the
    unpickler has an encoding, retry with the str arguments encoded back to bytes (NumPy
    arrays pickled by Python 2 store their data as str)."""
    stack = self.stack
    args = stack.pop()
    func = stack[-1]
    try:
        stack[-1] = func(*args)
    except Exception:
        if self.encoding is None:
            raise
        encoded = tuple(a.encode(self.encoding) if isinstance(a, str) else a for a in args)
        try:
            stack[-1] = func(*encoded)
        except Exception:  # noqa: BLE001 - the first failure is the one to report
            pass
        else:
            return
        raise


class CompatUnpickler(pickle._Unpickler):
    """An Unpickler that loads Python 2 pickles of NumPy arrays under Python 3 (use it with
    ``encoding="latin1"``): see `load_reduce`.  Only this class's opcode table changes."""

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    dispatch = dict(pickle._Unpickler.dispatch)
    dispatch[pickle.REDUCE[0]] = load_reduce


class PersistentNdarrayID:
    """Persistent-id hook writing each NumPy array to `zip_file` once (``array_N``)."""

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    def __init__(self, zip_file):
        self.zip_file = zip_file
        self.count = 0
        self.seen = {}
        self._keep_alive = []  # ids stay unique while the arrays are alive

    def _resolve_name(self, obj):
        name = f"array_{self.count}"
        self.count += 1
        return name

    def __call__(self, obj):
        if type(obj) is np.ndarray:
            key = id(obj)
            if key not in self.seen:
                name = self._resolve_name(obj)
                buf = io.BytesIO()
                np.lib.format.write_array(buf, obj)
                self.zip_file.writestr(name, buf.getvalue(), zipfile.ZIP_DEFLATED)
                self.seen[key] = f"ndarray.{name}"
                self._keep_alive.append(obj)
            return self.seen[key]
        return None


def zipadd(func, zip_file, name):
    """Call ``func(file)`` on a temporary file and store the file in `zip_file` as `name`."""
    with tempfile.NamedTemporaryFile("wb", delete=False) as temp_file:
        func(temp_file)
    try:
        zip_file.write(temp_file.name, arcname=name)
    finally:
        os.remove(temp_file.name)


class PersistentGpuArrayID(PersistentNdarrayID):
    """Like PersistentNdarrayID, and a device array (this project's GPU back-end) is
    written as Theano wrote a GpuArray: entry ``gpuarray.<name>`` holding the pickled
    context name then the array in ``.npy`` format (it loads back as a NumPy array)."""

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    def __call__(self, obj):
        if _backend.is_device_array(obj):
            key = id(obj)
            if key not in self.seen:
                host = np.asarray(_backend.to_host(obj))
                name = self._resolve_name(obj)
                buf = io.BytesIO()
                pickle.dump(None, buf, 2)
                np.lib.format.write_array(buf, host)
                self.zip_file.writestr(name, buf.getvalue(), zipfile.ZIP_DEFLATED)
                self.seen[key] = f"gpuarray.{name}"
                self._keep_alive.append(obj)
            return self.seen[key]
        return super().__call__(obj)


class PersistentSharedVariableID(PersistentGpuArrayID):
    """Like PersistentNdarrayID, but a named shared variable's value is stored under its
    name (``name_2``, ``name_3``... when names repeat)."""

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    def __init__(self, zip_file, allow_unnamed=True, allow_duplicates=True):
        super().__init__(zip_file)
        self.name_counter = {}
        self.ndarray_names = {}
        self.allow_unnamed = allow_unnamed
        self.allow_duplicates = allow_duplicates

    def _resolve_name(self, obj):
        key = id(obj)
        if key in self.ndarray_names:
            name = self.ndarray_names[key]
            count = self.name_counter.get(name, 0)
            self.name_counter[name] = count + 1
            if count:
                if not self.allow_duplicates:
                    raise ValueError(f"multiple shared variables are named {name!r}")
                name = f"{name}_{count + 1}"
            return name
        return super()._resolve_name(obj)

    def __call__(self, obj):
        if isinstance(obj, SharedVariable):
            value = obj.container.storage[0]
            if obj.name:
                if obj.name == "pkl":
                    raise ValueError("can't pickle a shared variable named 'pkl'")
                self.ndarray_names.setdefault(id(value), obj.name)
            elif not self.allow_unnamed:
                raise ValueError(f"unnamed shared variable, {obj}")
        return super().__call__(obj)


class PersistentNdarrayLoad:
    """Persistent-load hook reading ``'ndarray.<entry>'`` ids back from `zip_file`
    (GPU arrays of Theano's back-ends load as NumPy arrays)."""

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    def __init__(self, zip_file):
        self.zip_file = zip_file
        self.cache = {}

    def __call__(self, persid):
        if isinstance(persid, bytes):
            persid = persid.decode("latin1")
        kind, name = persid.split(".", 1)
        if kind not in ("ndarray", "gpuarray", "cuda_ndarray"):
            raise pickle.UnpicklingError(f"unknown persistent id {persid!r}")
        if name not in self.cache:
            with self.zip_file.open(name) as f:
                if kind == "gpuarray":
                    # Theano wrote the context name first (a short protocol-2 pickle of a
                    # str or None); only those types are accepted here.
                    _ContextNameUnpickler(f).load()
                self.cache[name] = np.lib.format.read_array(f, allow_pickle=False)
        return self.cache[name]


class _ContextNameUnpickler(pickle.Unpickler):
    """Reads the context name before a gpuarray entry: refuses anything but plain data."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"a gpuarray entry's context name may not hold "
                                     f"{module}.{name}")


class _HookPickler(pickle.Pickler):
    """A Pickler calling `hook` as its persistent_id (a method: Python 3.13's C Pickler
    no longer takes an instance attribute)."""

    def __init__(self, file, protocol, hook):
        super().__init__(file, protocol)
        self._hook = hook

    def persistent_id(self, obj):
        return self._hook(obj)


def dump(obj, file_handler, protocol=DEFAULT_PROTOCOL,
         persistent_id=PersistentSharedVariableID):
    """Pickle `obj` into the zip archive written to the binary file `file_handler`.

    Arrays go to their own entries (see the module docstring), so large parameters
    are not copied into the pickle.
    """
    with zipfile.ZipFile(file_handler, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        hook = persistent_id(zf)
        buf = io.BytesIO()
        _HookPickler(buf, protocol, hook).dump(obj)
        zf.writestr("pkl", buf.getvalue())


def load(f, persistent_load=PersistentNdarrayLoad, *, trusted=False, allow=()):
    """Load an object written by `dump` (here or by Theano) from the binary file `f`.

    Safe by default: the pickle may only name allow-listed globals (NumPy and SciPy
    sparse data, plain containers, this project's graph, shared, random-stream and
    function classes under Theano's paths or ours; see misc/pkl_safe.py); any other
    raises ``pickle.UnpicklingError`` naming it, and nothing runs.  `allow` adds globals
    (``"module.Class"`` strings or the objects), e.g. the user's model class;
    ``trusted=True`` loads with full pickle semantics (only for files you trust).
    """
    with zipfile.ZipFile(f, "r") as zf:
        data = io.BytesIO(zf.read("pkl"))
        if trusted:
            unpickler = pickle.Unpickler(data, encoding="latin1")
        else:
            unpickler = SafeUnpickler(data, allow=allow)
        unpickler.persistent_load = persistent_load(zf)
        return unpickler.load()


def load_model(path_or_file, trusted=False, allow=()):
    """Load a saved model: a pickle (also gzip-compressed) or a `dump` archive, written
    by Theano 1.0.5 (``pickle.dump``/``cPickle.dump`` of shared variables, lists of them,
    model objects, compiled functions, random streams) or by this project.

    Safe by default, as `load`: globals outside the allow-list raise
    ``pickle.UnpicklingError`` naming them, before anything runs; `allow` names the
    user's own classes the file holds (``allow=["mymodel.MLP"]``).  ``trusted=True``
    loads with full pickle semantics: the file may run any code, so only for files you
    trust.  `path_or_file`: a path or a binary file object.
    """
    if isinstance(path_or_file, (str, bytes, os.PathLike)):
        with open(path_or_file, "rb") as f:
            data = f.read()
    else:
        data = path_or_file.read()
    if data[:2] == b"\x1f\x8b":  # gzip
        data = gzip.decompress(data)
    buf = io.BytesIO(data)
    if zipfile.is_zipfile(buf):
        buf.seek(0)
        return load(buf, trusted=trusted, allow=allow)
    buf.seek(0)
    if trusted:
        return pickle.Unpickler(buf, encoding="latin1").load()
    return SafeUnpickler(buf, allow=allow).load()


class StripPickler(pickle.Pickler):
    """A Pickler that leaves the debugging tags out of graph objects.

    Variables and Apply nodes are written without ``tag.trace`` (the creation stack) and
    without the tag attributes named in `extra_tag_to_remove`, which makes pickles of
    graphs smaller and reproducible.  The objects themselves are not modified.
    """

    __module__ = "theano.misc.pkl_utils"  # Theano's path: reprs and pickles

    def __init__(self, file, protocol=0, extra_tag_to_remove=None):
        # Graph objects need protocol 2 or later (some of their classes use __slots__), so
        # Theano's default of 0 is raised to 2; any protocol loads with pickle.load.
        self.protocol = max(protocol, 2) if protocol >= 0 else pickle.HIGHEST_PROTOCOL
        super().__init__(file, self.protocol)
        self.tag_to_remove = ["trace", "test_value"] + list(extra_tag_to_remove or [])

    def reducer_override(self, obj):
        if not isinstance(obj, (Variable, Apply)) or not hasattr(obj, "tag"):
            return NotImplemented
        reduced = obj.__reduce_ex__(self.protocol)
        if not isinstance(reduced, tuple) or len(reduced) < 3:
            return NotImplemented
        state = reduced[2]
        if not isinstance(state, dict) or "tag" not in state:
            return NotImplemented
        tag = copy.copy(state["tag"])
        for name in self.tag_to_remove:
            tag.__dict__.pop(name, None)
        return reduced[:2] + (dict(state, tag=tag),) + reduced[3:]
