"""Loading pickles safely: an allow-list Unpickler and `load_model`.

A pickle can name any importable callable and call it while loading (``os.system`` in a
REDUCE).  `SafeUnpickler` resolves only the globals a model file needs: NumPy arrays,
dtypes, scalars and random states, SciPy sparse matrices, plain builtin containers, and
this project's graph, shared-variable, random-stream and compiled-function classes, under
their Theano 1.0.5 paths (``theano.tensor.sharedvar.TensorSharedVariable``...) or this
project's.  Any other global raises ``pickle.UnpicklingError`` naming it, before anything
is called.  ``theano.misc.pkl_utils.load`` and ``load_model`` use it unless ``trusted=True``;
``allow=`` adds the classes of the user's own model code (``"mymodule.MyModel"``).
"""

from __future__ import annotations

import _compat_pickle
import builtins
import importlib
import inspect
import pickle

import numpy as np

from ..backend.cpu import CPUBackend
from ..compile import compiled as _compiled
from ..compile import function_module as _function_module
from ..compile.io import SymbolicInput, SymbolicOutput
from ..compile.mode import Mode, Supervisor
from ..errors import SourceInfo
from ..gof.link import Linker
from ..gof.opt import _metadict
from ..graph import basic as _basic
from ..graph import legacy_pickle
from ..graph.fgraph import ClientList, Clients, Feature, FunctionGraph
from ..graph.op import Op
from ..graph.optdb import Query
from ..graph.optimizers import MergeFeature
from ..graph.rewrite import RewriteReport
from ..graph.shared import Container, SharedVariable
from ..graph.type import Type
from ..sandbox.cuda import gpu_pickles as _gpu_pickles
from ..scalar import op as _scalar_op
from ..scalar import ops as _scalar_ops
from ..scalar import type_rules as _type_rules
from ..tensor import elemwise as _elemwise
from ..tensor import type as _tensor_type
from ..tensor.random.mrg_streams import MRG_RandomStreams
from ..tensor.random.raw import RandomStreamsBase
from ..tensor.rewrites.shape_feature import ShapeFeature
from ..tensor.var import TensorConstantSignature
from ..utils import Scratchpad
from .frozendict import frozendict
from .ordered_set import Link, OrderedSet

__all__ = ["SafeUnpickler", "is_allowed"]

# Builtins that only build plain data.
_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "object", "slice", "complex",
             "bytearray", "bytes", "range", "int", "float", "bool", "str"}
_STDLIB = {("collections", "OrderedDict"), ("collections", "defaultdict"),
           ("collections", "deque"), ("collections", "Counter"),
           ("copyreg", "_reconstructor"), ("copyreg", "__newobj__"),
           ("copyreg", "__newobj_ex__"), ("_codecs", "encode")}
# NumPy: array and scalar reconstruction, random-state constructors.
_NUMPY = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
          ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
          ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
          ("numpy.random._pickle", "__randomstate_ctor"),
          ("numpy.random._pickle", "__bit_generator_ctor"),
          ("numpy.random._pickle", "__generator_ctor"),
          ("numpy.random.mtrand", "RandomState"), ("numpy.random", "RandomState"),
          ("numpy.random._generator", "Generator")}
_NUMPY_BIT_GENERATORS = ("MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64")
# The RandomState methods random Ops hold (this project's pickles of them store
# ``getattr(RandomState, name)``).
_RANDOM_METHODS = {"uniform", "normal", "binomial", "random_integers", "randint",
                   "permutation", "choice", "multinomial", "poisson", "beta", "gamma",
                   "exponential", "standard_normal", "random_sample", "shuffle"}
# This project's classes that pickles hold, by base class (Theano's paths and ours).
_BASES = (_basic.Node, Op, Type, Container, SharedVariable, Scratchpad, FunctionGraph,
          _compiled.FunctionMaker, _compiled.Function, SymbolicInput, SymbolicOutput, Mode,
          Supervisor, Linker, Feature, Query, frozendict, OrderedSet, Link, _metadict,
          RandomStreamsBase, MRG_RandomStreams, ShapeFeature, MergeFeature,
          TensorConstantSignature, SourceInfo, RewriteReport, Clients, ClientList,
          _elemwise._InplacePattern, _type_rules.transfer_type, _type_rules.specific_out,
          CPUBackend, _gpu_pickles._LoadsAsTensorType, _gpu_pickles._LoadsAsTensorShared)
_PROJECT_PREFIXES = ("theano.", "theano_compat.")


def _project_functions():
    """The functions of this project that its pickles and Theano's call while loading."""
    funcs = {_function_module._constructor_Function, _function_module._constructor_FunctionMaker,
             _compiled._restore_function, _scalar_op.by_name, _scalar_ops.cast_op,
             _elemwise.elemwise_of, _basic._none, _basic._rebuild_after,
             _basic._scratchpad_from, _gpu_pickles.GpuArray_unpickler,
             _gpu_pickles.CudaNdarray_unpickler}
    funcs.update(f for _, f in inspect.getmembers(_type_rules, inspect.isfunction))
    funcs.update(f for n, f in inspect.getmembers(_tensor_type, inspect.isfunction)
                 if n.startswith("values_eq_approx"))
    return funcs


_FUNCS: set = set()


def _safe_getattr(obj, name, *default):
    """``getattr`` as pickles of random Ops use it: a sampling method of RandomState."""
    if obj is np.random.RandomState and name in _RANDOM_METHODS:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f"refused getattr({getattr(obj, '__name__', type(obj).__name__)}, {name!r}) "
        "while loading: not on the allow-list of safe loading (use trusted=True if you "
        "trust the file)")


def _refuse(module, name, why="not on the allow-list of safe loading"):
    return pickle.UnpicklingError(
        f"refused global {module}.{name}: {why} (load with trusted=True only if you trust "
        f"the file, or pass allow=[{module + '.' + name!r}])")


def _lookup(module, name, listed=False):
    parts = name.split(".")
    if not listed and any(p.startswith("__") and p.endswith("__") for p in parts):
        raise _refuse(module, name, "a special attribute")
    try:
        obj = importlib.import_module(module)
        for part in parts:
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise pickle.UnpicklingError(f"global {module}.{name} not found: {exc}") from exc
    return obj


def _map_py2(module, name):
    """Python 2 names (``__builtin__.set``, ``copy_reg._reconstructor``) as Python 3's."""
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


def is_allowed(module, name, allow=()):
    """The object `module`.`name` resolves to, when safe loading may use it; raises
    ``pickle.UnpicklingError`` otherwise (nothing outside the allowed modules is even
    imported)."""
    full = f"{module}.{name}"
    if full in allow:
        return _lookup(module, name)
    module, name = _map_py2(module, name)
    if module == "builtins":
        if name == "getattr":
            return _safe_getattr
        if name in _BUILTINS:
            return getattr(builtins, name)
        raise _refuse(module, name)
    if (module, name) in _STDLIB:
        return _lookup(module, name, listed=True)
    if module == "numpy" or module.startswith("numpy."):
        if (module, name) in _NUMPY:
            return _lookup(module, name, listed=True)
        if name in _NUMPY_BIT_GENERATORS and module.startswith("numpy.random"):
            return _lookup(module, name)
        if module in ("numpy", "numpy.dtypes") and "." not in name:
            obj = getattr(np, name, None) if module == "numpy" else _lookup(module, name)
            if isinstance(obj, type) and issubclass(obj, (np.generic, np.ndarray, np.dtype)):
                return obj
        if module == "numpy.random" and name.startswith("RandomState.") and \
                name.split(".", 1)[1] in _RANDOM_METHODS:
            return _lookup(module, name)
        raise _refuse(module, name)
    if module == "scipy.sparse" or module.startswith("scipy.sparse."):
        obj = _lookup(module, name)
        sparse = importlib.import_module("scipy.sparse")
        bases = tuple(b for b in (getattr(sparse, "spmatrix", None),
                                  getattr(sparse, "sparray", None)) if b is not None)
        if isinstance(obj, type) and issubclass(obj, bases):
            return obj
        raise _refuse(module, name)
    if module.startswith(_PROJECT_PREFIXES) or module in ("theano", "theano_compat"):
        obj = _lookup(module, name)
        if isinstance(obj, type) and (issubclass(obj, _BASES) or _is_feature(obj)):
            return obj
        if not _FUNCS:
            _FUNCS.update(_project_functions())
        if _is_function(obj) and obj in _FUNCS:
            return obj
        raise _refuse(module, name)
    raise _refuse(module, name)


def _is_feature(cls):
    """A graph feature of this project (``on_attach``): compiled functions' graphs hold
    them (a module may add its own, as sandbox.linalg's HintsFeature)."""
    return callable(getattr(cls, "on_attach", None)) and \
        cls.__module__.startswith(("theano_compat.", "theano."))


def _is_function(obj):
    return inspect.isfunction(obj) or inspect.isbuiltin(obj)


class SafeUnpickler(pickle.Unpickler):
    """An Unpickler whose globals come from the allow-list (`is_allowed`).

    `allow`: extra globals, as ``"module.name"`` strings or the objects themselves (their
    ``__module__``/``__qualname__``), e.g. the class of a model the pickle holds.  Python 2
    pickles load with the default ``encoding="latin1"`` (as NumPy arrays need)."""

    def __init__(self, file, *, allow=(), encoding="latin1", **kwargs):
        super().__init__(file, encoding=encoding, **kwargs)
        self.allow = frozenset(a if isinstance(a, str) else f"{a.__module__}.{a.__qualname__}"
                               for a in allow)

    def find_class(self, module, name):
        return is_allowed(module, name, self.allow)

    def load(self):
        # Graph objects rebuild themselves from their constructor arguments only
        # (graph/legacy_pickle.py): stored code text cannot reach the linker.
        with legacy_pickle.untrusted():
            return super().load()
