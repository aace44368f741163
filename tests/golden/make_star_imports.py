"""Record the names ``from theano.X import *`` gave under Theano 1.0.5
(tests/unit/test_star_imports.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_star_imports.py
It writes star_imports.theano105.json next to this script: for each module, the sorted
names a star import binds (Theano defined ``__all__`` in few modules, so most star imports
gave every public name of the module, the modules it imported included).
"""

import importlib
import json
import os
import sys
import types

MODULES = ["theano", "theano.tensor", "theano.tensor.nnet", "theano.gradient",
           "theano.printing", "theano.scan_module"]


def star_names(module):
    """The names `from <module> import *` binds."""
    namespace = {}
    exec("from %s import *" % module, namespace)
    namespace.pop("__builtins__", None)
    return namespace


def record():
    out = {}
    for name in MODULES:
        namespace = star_names(name)
        out[name] = {
            "has_all": hasattr(importlib.import_module(name), "__all__"),
            "names": sorted(namespace),
            "modules": sorted(k for k, v in namespace.items()
                              if isinstance(v, types.ModuleType)),
        }
    return out


if __name__ == "__main__":
    import theano

    assert theano.__version__.startswith("1.0.5"), "run under the original Theano"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "star_imports.theano105.json")
    with open(path, "w") as fh:
        json.dump(record(), fh, indent=0, sort_keys=True)
    sys.stdout.write("wrote %s\n" % path)
