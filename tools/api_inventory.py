"""Compare the modules and public names of our ``theano`` with Theano 1.0.5's (issue 16 point 3).

Record the reference (under the original Theano, from outside the repository):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tools/api_inventory.py --record \\
        > $REPO/tools/theano105_api_names.json

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
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
RECORD = os.path.join(HERE, "theano105_api_names.json")
EXCLUDED_PREFIXES = ("theano.gpuarray", "theano.sandbox.cuda", "theano.sandbox.gpuarray",
                     "theano.d3viz", "theano.misc.tests")

# Names defined in Theano modules that are not API: Python 2 compatibility flags.
FUTURE_FLAGS = {"absolute_import", "division", "print_function", "unicode_literals",
                "generators", "nested_scopes", "with_statement"}

# Deliberate omissions: {"module" or "module.name": reason}.  A module key covers the whole
# module.  Keep each reason true and short; everything else must exist.
OMISSIONS: dict[str, str] = {}

# theano.tensor and theano.tensor.basic: names of the layers above the tensor layer.
_TENSOR_LAYERS = ("a module or name of a higher layer (compile, gof, printing), initialised "
                  "after theano.tensor: the layered imports keep it out of this namespace; "
                  "use it by its own path (theano.printing.pprint, theano.gof.ParamsType...)")
OMISSIONS["theano.tensor.tests"] = ("Theano's own test package: its files run against this "
                                    "project with tools/conformance/run.py")
for _module in ("theano.tensor", "theano.tensor.basic"):
    for _name in ("compile", "gof", "printing", "pprint", "min_informative_str", "ParamsType"):
        OMISSIONS[f"{_module}.{_name}"] = _TENSOR_LAYERS

# theano.scalar: modules of the layers above the scalar layer that Theano's basic.py imported,
# and the float16 helpers of Theano's C code generation.
_SCALAR_LAYERS = ("a module (or printing.pprint) of a layer above theano.scalar that Theano's "
                  "basic.py imported: the layered imports keep it out; use theano.gof, "
                  "theano.printing or theano by their own paths")
_SCALAR_F32 = ("Theano's internal float16->float32 graph rewriting for its C code (no C code "
               "here); Composite.clone_float32() is the public method")
for _module in ("theano.scalar", "theano.scalar.basic", "theano.scalar.basic_scipy"):
    for _name in ("gof", "pprint", "printing", "theano", "utils"):
        OMISSIONS[f"{_module}.{_name}"] = _SCALAR_LAYERS
    for _name in ("Compositef32", "composite_f32", "handle_cast", "handle_composite"):
        OMISSIONS[f"{_module}.{_name}"] = _SCALAR_F32
OMISSIONS["theano.scalar.tests"] = ("Theano's own test package: tools/conformance/run.py runs "
                                    "its files against this project")
for _module in ("theano.compile", "theano.gof"):
    OMISSIONS[f"{_module}.tests"] = OMISSIONS["theano.scalar.tests"]
OMISSIONS["theano.typed_list.tests"] = OMISSIONS["theano.scalar.tests"]
for _package in ("theano.misc", "theano.sandbox", "theano.sandbox.linalg", "theano.scan_module",
                 "theano.sparse", "theano.tensor.signal"):
    OMISSIONS[f"{_package}.tests"] = OMISSIONS["theano.scalar.tests"]

# Theano's GPU benchmark scripts for its own back-ends (libgpuarray contexts, cuDNN): their
# module bodies or main() drive theano.gpuarray, which this project does not have.
OMISSIONS["theano.misc.burn_gpu"] = (
    "a cuDNN power-burn script over theano.gpuarray.dnn (Theano's libgpuarray back-end)")
OMISSIONS["theano.misc.check_multi_gpu"] = (
    "compares dot products on two libgpuarray contexts (theano.gpuarray.init_dev)")
OMISSIONS["theano.misc.latence_gpu_transfert"] = (
    "a script whose import times host<->GPU transfers with Theano's GpuArray back-end")
OMISSIONS["theano.d3viz"] = (
    "the d3viz package, left out of this inventory with the GPU back-ends (EXCLUDED_PREFIXES): "
    "its viewer is the d3.js/dagre JavaScript Theano bundled; theano.printing.pydotprint "
    "draws the same graphs (PNG, SVG or DOT)")
OMISSIONS["theano.p"] = ("the loop variable Theano's __init__ left behind while it scanned "
                         "sys.path (the last entry seen): not API")

# theano.tensor.nnet's softmax / sigmoid / batch-norm / neighbours modules: modules of the
# layers above theano.tensor that Theano's modules imported.
_NNET_LAYERS = ("a module or name of a layer above theano.tensor (gof, compile, printing, "
                "theano.tensor.opt's registration helpers) that Theano's module imported: the "
                "layered imports keep it out; use it by its own path")
OMISSIONS["theano.tensor.nnet.tests"] = OMISSIONS["theano.tensor.tests"]
OMISSIONS["theano.tensor.signal.tests"] = OMISSIONS["theano.tensor.tests"]
for _module, _names in (
        ("theano.tensor.nnet.nnet", ("gof", "opt", "optdb", "theano")),
        ("theano.tensor.nnet.sigm", ("gof", "opt", "pprint", "printing", "theano")),
        ("theano.tensor.nnet.bn", ("register_specialize_device", "theano")),
        ("theano.tensor.nnet.neighbours", ("EnumList", "theano")),
        ("theano.tensor.nnet.opt", ("compile", "gof", "opt", "register_specialize_device",
                                    "theano"))):
    for _name in _names:
        OMISSIONS[f"{_module}.{_name}"] = _NNET_LAYERS
OMISSIONS["theano.tensor.nnet.bn.BNComposite"] = (
    "the scalar Composite of Theano's batch_normalization(mode='high_mem'); both modes build "
    "the same elementwise graph here, which elemwise fusion turns into one Composite")
OMISSIONS["theano.tensor.nnet.ctc.local_ctc_no_grad"] = (
    "a rewrite reading Variable.clients, which graphs here do not keep (clients live in the "
    "FunctionGraph); it only spared warp-ctc's gradient work: build "
    "ConnectionistTemporalClassification(compute_grad=False) to compute the costs alone")
OMISSIONS["theano.tensor.opt.local_add_mul_fusion"] = (
    "it merged add(add(a, b), c) into one n-ary add node; graphs here keep add and mul "
    "binary (T.add(a, b, c) is a left fold), and elemwise fusion merges such chains into "
    "one Elemwise{Composite}")


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
