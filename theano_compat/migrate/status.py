"""The support status of a Theano API name here: supported, supported with a deviation,
unsupported (with the reason and the alternative), or unknown.

Read from the data the project's own tests check: the record of Theano 1.0.5's public
names and the deliberate-omission table (inventory.py), this package itself (a name that
exists but only raises NotImplementedError is unsupported, with its message), the flag
table of theano.config, and the conformance manifest's deviations
(tools/conformance/expected.json, present in a source checkout).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import json
import os
import textwrap
import warnings

from ..config import _FLAGS_LC
from .inventory import EXCLUDED_PREFIXES, OMISSIONS, RECORD

SUPPORTED = "supported"
DEVIATION = "deviation"
UNSUPPORTED = "unsupported"
UNKNOWN = "unknown"
STATUSES = (SUPPORTED, DEVIATION, UNSUPPORTED, UNKNOWN)

_GPU = ("Theano's own GPU back-ends (CUDA, libgpuarray) are replaced by the CuPy backend: set "
        "device=cuda and use the plain theano.tensor operations")
MANIFEST = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools", "conformance", "expected.json")


@functools.lru_cache(maxsize=1)
def _record():
    with open(RECORD) as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=4)
def _deviations(manifest):
    """[(package prefix, name tokens, category, reason)] of the manifest's deviations."""
    if manifest is None or not os.path.exists(manifest):
        return []
    with open(manifest) as fh:
        data = json.load(fh)
    out = []
    for test_id, entry in data.get("tests", {}).items():
        if not isinstance(entry, dict) or entry.get("category") in (None, "pass", "open"):
            continue
        path, *parts = test_id.split("::")
        package = path.split("/tests/")[0].replace("/", ".")
        tokens = set()
        for part in [os.path.basename(path)[:-3]] + parts:
            low = part.lower()
            for prefix in ("test_", "t_", "test"):
                if low.startswith(prefix):
                    low = low[len(prefix):]
                    break
            tokens.add(low)
        out.append((package, tokens, entry["category"], entry.get("reason", "")))
    return out


def classify(name, manifest=MANIFEST):
    """``(status, canonical name, reason)`` of dotted `name` (``theano.tensor.nnet.conv2d``,
    ``theano.config.floatX``...).  The canonical name is the public name the usage
    reaches (attributes read off it are dropped)."""
    parts = name.split(".")
    if parts[0] != "theano":
        return UNKNOWN, name, "not a theano name"
    if len(parts) >= 3 and parts[1] == "config":
        return classify_flag(".".join(parts[2:]))
    record = _record()
    k = len(parts)
    while k > 1 and ".".join(parts[:k]) not in record and \
            not ".".join(parts[:k]).startswith(EXCLUDED_PREFIXES):
        k -= 1
    module = ".".join(parts[:k])
    if module.startswith(EXCLUDED_PREFIXES):
        return _classify_excluded(parts, module)
    if k == len(parts):
        return _classify_module(module)
    attr = parts[k]
    canonical = f"{module}.{attr}"
    reason = OMISSIONS.get(canonical) or OMISSIONS.get(module)
    if reason:
        return UNSUPPORTED, canonical, reason
    public = record[module]
    obj = _lookup(module, attr)
    if attr not in public:
        if obj is _MISSING:
            return UNKNOWN, canonical, "not a public name of Theano 1.0.5, nor a name here"
        return SUPPORTED, canonical, "not in Theano 1.0.5's public names, but defined here"
    if obj is _MISSING:
        return UNSUPPORTED, canonical, "missing here (tools/api_inventory.py lists it)"
    stub = _not_implemented_message(obj)
    if stub is not None:
        return UNSUPPORTED, canonical, stub
    for package, tokens, category, why in _deviations(manifest):
        if attr.lower() in tokens and canonical.startswith(package):
            return DEVIATION, canonical, f"{category}: {why}"
    return SUPPORTED, canonical, ""


def classify_flag(flag, value=None):
    """``(status, "theano.config.<flag>", reason)`` of a config flag (and its value)."""
    flags = _FLAGS_LC
    param = flags.get(flag.lower()) or flags.get(flag.replace("__", ".").lower())
    canonical = f"theano.config.{flag}"
    if param is None:
        return UNSUPPORTED, canonical, ("not a flag here: Theano 1.0.5's flags are all "
                                        "accepted, so this one is a typo or a library's own "
                                        "flag (register it with theano.configparser."
                                        "AddConfigVar)")
    if getattr(param, "no_effect", None):
        return DEVIATION, canonical, f"accepted, no effect: {param.no_effect}"
    if flag.lower() in ("device", "init_gpu_device") and value and \
            value.lower().startswith("gpu"):
        return DEVIATION, canonical, ("'gpu' selects the CuPy backend (as device=cuda); "
                                      "Theano's old CUDA back-end does not exist")
    return SUPPORTED, canonical, ""


def _classify_module(module):
    reason = OMISSIONS.get(module)
    if reason:
        return UNSUPPORTED, module, reason
    if "__unimportable__" in _record().get(module, {}):
        return UNSUPPORTED, module, ("Theano 1.0.5 itself could not import it here: "
                                     + _record()[module]["__unimportable__"])
    try:
        _import(module)
    except Exception as exc:  # noqa: BLE001 - any failure means unusable
        return UNSUPPORTED, module, f"does not import here ({type(exc).__name__}: {exc})"
    return SUPPORTED, module, ""


def _classify_excluded(parts, module):
    """A name of Theano's GPU back-ends or d3viz (outside the record)."""
    for k in range(2, len(parts) + 1):
        if ".".join(parts[:k]) in OMISSIONS:  # a whole package left out (theano.d3viz)
            return UNSUPPORTED, ".".join(parts[:k]), OMISSIONS[".".join(parts[:k])]
    # The longest importable module, then one attribute of it.
    for k in range(len(parts), 1, -1):
        try:
            mod = _import(".".join(parts[:k]))
        except Exception:  # noqa: BLE001 - not a module here
            continue
        if k == len(parts):
            return DEVIATION, ".".join(parts), "a compatibility facade: " + _GPU
        canonical = ".".join(parts[:k + 1])
        if not hasattr(mod, parts[k]):
            return UNSUPPORTED, ".".join(parts[:3]), _GPU
        stub = _not_implemented_message(getattr(mod, parts[k]))
        if stub is not None:
            return UNSUPPORTED, canonical, stub
        return DEVIATION, canonical, "a compatibility facade: " + _GPU
    return UNSUPPORTED, ".".join(parts[:3]), _GPU


_MISSING = object()


def _import(module):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(module)


def _lookup(module, attr):
    try:
        mod = _import(module)
    except Exception:  # noqa: BLE001 - a module that does not import has no names
        return _MISSING
    if hasattr(mod, attr):
        return getattr(mod, attr)
    try:
        return _import(f"{module}.{attr}")
    except Exception:  # noqa: BLE001
        return _MISSING


def _not_implemented_message(obj):
    """The message of a function (or class constructor) whose body only raises
    NotImplementedError, else None."""
    fn = obj.__dict__.get("__init__") if isinstance(obj, type) else obj
    if not inspect.isfunction(fn):
        return None
    text = _stub_message(fn)
    if text is None:
        return None
    # The body is one ``raise NotImplementedError(message)``: running it only builds the
    # message (names and arguments filled in), so ask the stub itself.
    try:
        n = len([p for p in inspect.signature(fn).parameters.values()
                 if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                        p.POSITIONAL_OR_KEYWORD)])
        args = [object.__new__(obj)] + [None] * (n - 1) if isinstance(obj, type) else \
            [None] * n
        fn(*args)
    except NotImplementedError as exc:
        return "raises NotImplementedError: " + " ".join(str(a) for a in exc.args)
    except Exception:  # noqa: BLE001 - the static text then
        pass
    return text


@functools.lru_cache(maxsize=None)
def _stub_message(fn):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return None
    exc = body[0].exc
    call = exc if isinstance(exc, ast.Call) else None
    func = call.func if call is not None else exc
    if not (isinstance(func, ast.Name) and func.id == "NotImplementedError"):
        return None
    text = []
    for arg in call.args if call is not None else []:
        for node in ast.walk(arg):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text.append(node.value)
    return "raises NotImplementedError: " + ("".join(text) or "(no message)")
