"""Compare the modules and public names of our ``theano`` with Theano 1.0.5's (issue 16 point 3).

Record the reference (under the original Theano, from outside the repository):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tools/api_inventory.py --record \\
        > $REPO/theano_compat/migrate/theano105_api_names.json

Compare (in the repository, with our package):
    python tools/api_inventory.py [--summary] [--classes] [MODULE_PREFIX ...]

The reference holds every module of Theano 1.0.5 outside its tests, its GPU back-ends
(theano.gpuarray, theano.sandbox.cuda, theano.sandbox.gpuarray) and d3viz, found by walking
the package, and for each module its public names (``dir()`` without a leading ``_``), each
with its kind: a class with Theano's ``__module__.__qualname__``, a module, or another object.

A name is not counted as missing when `OMISSIONS` says why: Python 2 ``__future__`` flags,
the standard-library and third-party modules a Theano module happened to import (``np``,
``os``...), and the deliberate omissions listed there with their reason.  The report
prints, per module, the names missing; ``--classes`` adds the public classes whose
``__module__``/``__qualname__`` differ from Theano's.  Exit status 1 when a module does not
import or a name is missing, so the report can gate a test.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
# The reference record and the deliberate-omission table live in the package, where the
# migration scanner (python -m theano_compat.migrate) reads them too: add omissions there.
# Loaded by path: --record runs under the original Theano, without this package.
_spec = importlib.util.spec_from_file_location(
    "_theano105_inventory",
    os.path.join(os.path.dirname(HERE), "theano_compat", "migrate", "inventory.py"))
_inventory = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_inventory)
EXCLUDED_PREFIXES, FUTURE_FLAGS = _inventory.EXCLUDED_PREFIXES, _inventory.FUTURE_FLAGS
OMISSIONS, RECORD = _inventory.OMISSIONS, _inventory.RECORD


def _kind(value):
    import types

    if isinstance(value, types.ModuleType):
        return "module:" + value.__name__
    if isinstance(value, type):
        return "class:" + f"{value.__module__}.{value.__qualname__}"
    return "object"


def _theano_modules():
    import pkgutil

    import theano

    names = ["theano"]
    for info in pkgutil.walk_packages(theano.__path__, "theano."):
        if ".tests" in info.name or info.name.startswith(EXCLUDED_PREFIXES):
            continue
        names.append(info.name)
    return sorted(names)


def _public(module):
    return {n: _kind(getattr(module, n, None)) for n in dir(module) if not n.startswith("_")}


def record():
    import contextlib
    import io

    warnings.simplefilter("ignore")
    out = {}
    for name in _theano_modules():
        try:
            # A few Theano modules print (benchmarks run at import): keep stdout for the JSON.
            with contextlib.redirect_stdout(io.StringIO()):
                module = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a module Theano itself cannot import
            out[name] = {"__unimportable__": f"{type(exc).__name__}: {exc}"}
            continue
        out[name] = _public(module)
    json.dump(out, sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


def _omitted(module_name, name, kind):
    """The reason `module_name.name` need not exist here, or None."""
    if name in FUTURE_FLAGS:
        return "Python 2 __future__ flag"
    if kind.startswith("module:") and not kind[7:].startswith("theano"):
        return "a standard-library or third-party module the Theano module imported"
    return OMISSIONS.get(f"{module_name}.{name}") or OMISSIONS.get(module_name)


def _submodule_found(module_name, name, kind):
    """Whether `name` is a subpackage or submodule of `module_name` that imports here.

    A package has its submodules as attributes once something imported them: the record
    (made by importing every module in turn) saw those that earlier modules had imported,
    which says nothing about the API, so such a name counts when the submodule imports."""
    if kind != f"module:{module_name}.{name}":
        return False
    try:
        importlib.import_module(f"{module_name}.{name}")
    except ImportError:
        return False
    return True


def compare(prefixes, summary=False, classes=False):
    """Print the report; return (modules that do not import, names missing)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecation warnings of legacy modules at import
        return _compare(prefixes, summary, classes)


def _compare(prefixes, summary, classes):
    with open(RECORD) as fh:
        reference = json.load(fh)
    failed_modules = missing_total = names_total = mismatched_total = 0
    for module_name in sorted(reference):
        if prefixes and not any(module_name == p or module_name.startswith(p + ".")
                                for p in prefixes):
            continue
        ref = reference[module_name]
        if "__unimportable__" in ref:
            continue  # Theano 1.0.5 itself could not import it (e.g. it needs MPI or pygpu)
        whole = OMISSIONS.get(module_name)
        if whole is not None:
            if not summary:
                print(f"{module_name}: omitted ({whole})")
            continue
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - report any import failure
            failed_modules += 1
            if not summary:
                print(f"{module_name}: cannot import ({type(exc).__name__}: {exc})")
            continue
        ours = set(dir(module))
        wanted = {n: k for n, k in ref.items() if _omitted(module_name, n, k) is None}
        missing = sorted(n for n in wanted
                         if n not in ours and not _submodule_found(module_name, n, wanted[n]))
        names_total += len(wanted)
        missing_total += len(missing)
        mismatched = []
        if classes:
            for n, k in wanted.items():
                if k.startswith("class:") and n in ours:
                    got = _kind(getattr(module, n))
                    if got != k:
                        mismatched.append(f"{n} ({got[6:]} != {k[6:]})")
            mismatched_total += len(mismatched)
        if not summary and (missing or mismatched):
            print(f"{module_name}: {len(missing)} of {len(wanted)} names missing")
            if missing:
                print("    " + " ".join(missing))
            if mismatched:
                print("    class paths: " + "; ".join(mismatched))
    print(f"summary: {failed_modules} modules do not import; {missing_total} of {names_total} "
          f"names missing" + (f"; {mismatched_total} class paths differ" if classes else ""))
    return failed_modules, missing_total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true",
                    help="print the reference JSON (run under the original Theano)")
    ap.add_argument("--summary", action="store_true", help="only the summary line")
    ap.add_argument("--classes", action="store_true",
                    help="also list classes whose __module__/__qualname__ differ from Theano's")
    ap.add_argument("prefixes", nargs="*", help="module prefixes (theano.tensor, theano.gof...)")
    args = ap.parse_args(argv)
    if args.record:
        record()
        return 0
    sys.path.insert(0, os.path.dirname(HERE))  # this checkout's theano, installed or not
    prefixes = [p if p.startswith("theano") else "theano." + p for p in args.prefixes]
    failed, missing = compare(prefixes, args.summary, args.classes)
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main())
