"""Compare the names our theano modules export with Theano 1.0.5's.

Record the reference list (under the original Theano, from outside the repository):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tools/api_inventory.py --record \
        > $REPO/tools/theano105_api_names.json

Compare (in the repository, with our package):
    python tools/api_inventory.py [module ...]     # e.g. tensor tensor.nlinalg

Prints, per module, the public names Theano 1.0.5 had and ours lacks.  Many are Theano
internals (C-code helpers, MPI ops, Python 2 shims) that legacy code does not reach;
the list is a to-do inventory, not a test.
"""

import importlib
import json
import os
import sys

MODULES = ("", "tensor", "tensor.nlinalg", "tensor.slinalg", "tensor.extra_ops", "tensor.nnet",
           "tensor.xlogx", "printing", "gradient", "compile", "gof", "scalar")
HERE = os.path.dirname(os.path.abspath(__file__))
RECORD = os.path.join(HERE, "theano105_api_names.json")


def public_names(module_name):
    name = "theano" + ("." + module_name if module_name else "")
    try:
        module = importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - report any import failure as missing
        return None, f"{type(exc).__name__}: {exc}"
    return sorted(n for n in dir(module) if not n.startswith("_")), None


def record():
    out = {}
    for m in MODULES:
        names, _ = public_names(m)
        if names is not None:
            out[m] = names
    json.dump(out, sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


def compare(modules):
    sys.path.insert(0, os.path.dirname(HERE))
    with open(RECORD) as fh:
        reference = json.load(fh)
    for m in modules or reference:
        names, error = public_names(m)
        label = "theano" + ("." + m if m else "")
        if names is None:
            print(f"{label}: cannot import ({error})")
            continue
        missing = [n for n in reference.get(m, []) if n not in set(names)]
        print(f"{label}: {len(missing)} of {len(reference.get(m, []))} names missing")
        if missing:
            print("    " + " ".join(missing))


if __name__ == "__main__":
    if "--record" in sys.argv[1:]:
        record()
    else:
        compare(sys.argv[1:])
