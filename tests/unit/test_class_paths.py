"""Public classes report Theano 1.0.5's module path (``__module__``/``__qualname__``), so that
reprs, documentation and pickles match Theano's (issue 16 point 3).

The reference is theano_compat/migrate/theano105_api_names.json (recorded under Theano 1.0.5 by
tools/api_inventory.py --record): for each public class of each module, Theano's
``module.qualname``.  ``theano.X`` is ``theano_compat.X`` (theano/__init__.py), so a class that
reports ``theano.gof.graph`` pickles by reference and unpickles as itself.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import os
import pickle
import pickletools
import pkgutil
import warnings

import numpy as np
import pytest
import theano.tensor as T

import theano
import theano_compat
from tests.support.paths import TOOLS

# Theano paths (a class, or a whole module) whose classes here report another path, and why.
ALLOWED_DIFFERENCES = {
    # One class here stands for two of Theano's: it reports the path of the other one.
    "theano.gof.op.PureOp": "Op is Theano's PureOp and Op (theano.gof.op.Op)",
    "theano.gof.type.PureType": "Type is Theano's PureType and Type (theano.gof.type.Type)",
    "theano.gof.toolbox.BadOptimization": "one BadOptimization: theano.compile.debugmode's",
    "theano.sandbox.rng_mrg.mrg_uniform_base": "mrg_uniform is also its base mrg_uniform_base",
    "theano.tensor.xlogx.XlogX": "xlogx is an entry of the scalar table (a ScalarOp)",
    "theano.tensor.xlogx.XlogY0": "xlogy0 is an entry of the scalar table (a ScalarOp)",
    # No such module here.
    "lazylinker_ext.CLazyLinker": "Theano's compiled C module; here theano.gof.lazylinker_c",
    "theano.gpuarray.type.GpuArrayType": "a stand-in: theano.gpuarray (libgpuarray) is not "
                                         "provided",
}


def _inventory():
    spec = importlib.util.spec_from_file_location(
        "api_inventory", os.path.join(TOOLS, "api_inventory.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _allowed(theano_path):
    module = theano_path.rpartition(".")[0]
    while module:
        if module in ALLOWED_DIFFERENCES:
            return True
        module = module.rpartition(".")[0]
    return theano_path in ALLOWED_DIFFERENCES


@functools.lru_cache(maxsize=None)
def _differences():
    """{Theano's path: our path} for the public classes of the recorded modules."""
    inv = _inventory()
    with open(inv.RECORD) as fh:
        reference = json.load(fh)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecation warnings of legacy modules at import
        for module_name, names in sorted(reference.items()):
            if "__unimportable__" in names or inv.OMISSIONS.get(module_name) is not None:
                continue
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue  # a missing module is the name inventory's business
            for name, kind in names.items():
                if not kind.startswith("class:") or inv._omitted(module_name, name, kind):
                    continue
                value = getattr(module, name, None)
                if isinstance(value, type):
                    ours = f"{value.__module__}.{value.__qualname__}"
                    if ours != kind[6:]:
                        out[kind[6:]] = ours
    return out


def test_public_classes_report_theanos_path():
    wrong = sorted(f"{ours} (Theano: {path})" for path, ours in _differences().items()
                   if not _allowed(path))
    assert not wrong, wrong


def test_allowed_differences_are_still_needed():
    differing = set(_differences())
    stale = sorted(key for key in ALLOWED_DIFFERENCES
                   if key not in differing and not any(p.startswith(key + ".")
                                                       for p in differing))
    assert not stale, f"remove from ALLOWED_DIFFERENCES: {stale}"


def _package_classes():
    seen = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for info in pkgutil.walk_packages(theano_compat.__path__, "theano_compat."):
            try:
                module = importlib.import_module(info.name)
            except ImportError:
                continue  # an optional dependency (cupy) is missing
            for name, value in vars(module).items():
                if isinstance(value, type) and not name.startswith("_"):
                    seen[id(value)] = value
    return list(seen.values())


def test_each_theano_path_names_the_class_itself():
    # What pickle does with a class: import __module__, look up __qualname__.
    wrong = []
    for cls in _package_classes():
        if not cls.__module__.startswith("theano."):
            continue
        try:
            found = functools.reduce(getattr, cls.__qualname__.split("."),
                                     importlib.import_module(cls.__module__))
        except (ImportError, AttributeError) as exc:
            wrong.append(f"{cls.__module__}.{cls.__qualname__}: {type(exc).__name__}")
            continue
        if found is not cls and not (cls.__qualname__ == "GCC_compiler"
                                     and cls.__module__ == "theano.gof.cmodule"):
            # GCC_compiler: gof/op.py keeps a second stand-in that reports cmodule's path.
            wrong.append(f"{cls.__module__}.{cls.__qualname__}: another object")
    assert not wrong, wrong


def test_type_reprs_are_theanos():
    # Printed by Theano 1.0.5 (tools/theano-ref) for the same objects.
    x = T.dvector("x")
    y = T.dot(x, x)
    f = theano.function([x], T.sum(x * 2))
    assert str(type(x)) == "<class 'theano.tensor.var.TensorVariable'>"
    assert str(type(y.owner)) == "<class 'theano.gof.graph.Apply'>"
    assert str(type(y.owner.op)) == "<class 'theano.tensor.basic.Dot'>"
    assert str(type(x.type)) == "<class 'theano.tensor.type.TensorType'>"
    assert str(type(T.sum(x).owner.op)) == "<class 'theano.tensor.elemwise.Sum'>"
    assert str(type(x[0].owner.op)) == "<class 'theano.tensor.subtensor.Subtensor'>"
    assert str(type(T.constant(1.0))) == "<class 'theano.tensor.var.TensorConstant'>"
    assert str(type(f)) == "<class 'theano.compile.function_module.Function'>"
    assert str(type(f.maker.fgraph)) == "<class 'theano.gof.fg.FunctionGraph'>"
    assert str(type(theano.compile.mode.get_default_mode())) == \
        "<class 'theano.compile.mode.Mode'>"
    assert str(type(theano.shared(1.0))) == \
        "<class 'theano.tensor.sharedvar.ScalarSharedVariable'>"


def _globals(data):
    return {arg for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL"}


def test_pickles_refer_to_theanos_paths_and_load():
    x = T.dvector("x")
    y = T.sum(x[1:] * 2) + T.dot(x, x)
    f = theano.function([x], y)
    graph = pickle.dumps(y, 2)
    assert {"theano.tensor.var TensorVariable", "theano.gof.graph Apply",
            "theano.tensor.basic Dot", "theano.tensor.elemwise Sum",
            "theano.tensor.subtensor Subtensor", "theano.tensor.type TensorType"} \
        <= _globals(graph)
    function = pickle.dumps(f, 2)
    assert {"theano.compile.function_module FunctionMaker", "theano.compile.mode Mode",
            "theano.gof.fg FunctionGraph", "theano.compile.io In"} <= _globals(function)
    data = np.arange(4.0)
    expected = 2 * (1 + 2 + 3) + (0 + 1 + 4 + 9)
    assert pickle.loads(function)(data) == pytest.approx(expected)
    y2 = pickle.loads(graph)
    assert type(y2) is type(y) and type(y2.owner.op) is type(y.owner.op)
    (x2,) = [v for v in theano.gof.graph.inputs([y2]) if v.name == "x"]
    assert theano.function([x2], y2)(data) == pytest.approx(expected)
