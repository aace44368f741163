"""Record the DOT source Theano 1.0.5's pydotprint builds (tests/unit/test_printing.py).

Run under the reference Theano with pydot installed, from outside the repository:
    cd "$(mktemp -d)" && THEANO_REF_VENV=<a venv with pydot> \
        $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_pydotprint.py \
        > $REPO/tests/golden/pydotprint.theano105.json

pydot's Dot.write is replaced by a function keeping ``to_string()`` (the DOT text before
graphviz lays it out), and the node ids (``id()`` of Theano's objects) are renumbered in
order of first appearance, so the text does not depend on memory addresses.
"""

import json
import re

import numpy as np
import pydot
import theano.tensor as T

import theano

captured = []
pydot.Dot.write = lambda self, path, prog=None, format=None, **kw: captured.append(
    self.to_string())


def normalized(text):
    ids = {}
    return re.sub(r"\b\d{6,}\b", lambda m: ids.setdefault(m.group(0), f"n{len(ids)}"), text)


def graphs():
    v = T.dvector("v")
    yield "expression", (v * 2 + T.exp(v).sum()), {}
    x = T.dmatrix("x")
    w = theano.shared(np.ones((2, 2)), name="w")
    f = theano.function([x], [T.tanh(T.dot(x, w)).sum(), T.exp(x)],
                        updates=[(w, w - 0.1 * x)],
                        mode=theano.compile.mode.Mode(optimizer=None))
    yield "function_with_update", f, {}
    a, b = T.dmatrices("a", "b")
    yield "not_compact_with_ids", (a + b) * T.exp(a), {"compact": False, "with_ids": True}
    yield "low_contrast_simple_names", (a + b) * T.exp(a), {"high_contrast": False,
                                                            "var_with_name_simple": True}


out = {}
for name, graph, kw in graphs():
    theano.printing.pydotprint(graph, outfile="g", format="dot", print_output_file=False,
                               **kw)
    out[name] = normalized(captured.pop())
print(json.dumps(out, indent=1, sort_keys=True))
