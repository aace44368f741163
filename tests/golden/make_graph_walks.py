"""Record the order of Theano 1.0.5's graph walks (tests/unit/graph/test_basic.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_graph_walks.py
It writes graph_walks.theano105.json next to this script.  `graphs` and `walks` are shared
with the test, which runs them on theano_compat and compares.  Every variable is named, so
that a walk is written as the names it lists (an Apply node as its first output's name).
"""

import json
import os
import sys

import numpy as np


def graphs(theano, T):
    """name -> (the variables to walk from, {name: variable} of every variable)."""
    a, b, c, d = T.dscalars("a", "b", "c", "d")
    s = theano.shared(np.float64(1.0), name="s")
    k = T.constant(2.0, name="k")
    v = {"a": a, "b": b, "c": c, "d": d, "s": s, "k": k}

    def named(var, name):
        var.name = name
        v[name] = var
        return var

    ab = named(a + b, "ab")
    cd = named(c + d, "cd")
    e1 = named(ab * cd, "e1")
    a_s = named(a * s, "a_s")
    ask = named(a_s + k, "ask")
    e2 = named(ask - a, "e2")
    eb = named(T.exp(b), "eb")
    sc = named(s * c, "sc")
    e3 = named(eb + sc, "e3")
    a_b = named(a * b, "a_b")
    e4 = named(a + a_b, "e4")
    mid = named(a * b + c, "mid")
    e5 = named(T.exp(mid) + mid * d, "e5")
    named(e5.owner.inputs[0], "exp_mid")
    named(e5.owner.inputs[1], "mid_d")
    named(mid.owner.inputs[0], "a_b2")

    class TwoOutputs(theano.Op):
        """(x + 1, x - 1): a node with two outputs."""

        __props__ = ()

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type(), x.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0] + 1
            outputs[1][0] = inputs[0] - 1

    plus, minus = TwoOutputs()(named(a * c, "ac"))
    named(plus, "plus")
    named(minus, "minus")
    e6 = named(minus * b, "e6")
    return {
        "one_output": ([e1], v),
        "two_output_node": ([e6, plus], v),
        "shared_and_constant": ([e2], v),
        "two_outputs": ([e1, e3], v),
        "two_outputs_swapped": ([e3, e1], v),
        "repeated_output_and_input": ([e4, e4], v),
        "three_outputs": ([e2, e3, e4], v),
        "blocked": ([e5], v),
    }


def walks(G, outs, v):
    """The walks of theano.gof.graph from `outs`, each as a list of names."""
    def names(items):
        return [x.outputs[0].name if hasattr(x, "outputs") else x.name for x in items]

    leaves = G.inputs(outs)
    result = {
        "inputs": names(leaves),
        "ancestors": names(G.ancestors(outs)),
        "io_toposort": names(G.io_toposort(leaves, outs)),
        "io_toposort_from_a_b": names(G.io_toposort([v["a"], v["b"]], outs)),
        "variables_from_a": names(G.variables([v["a"]], outs)),
        "orphans_from_a": names(G.orphans([v["a"]], outs)),
        "variables_from_leaves": names(G.variables(leaves, outs)),
    }
    if "mid" in names(G.ancestors(outs)):
        mid = v["mid"]
        result.update({
            "inputs_blocked_at_mid": names(G.inputs(outs, blockers=[mid])),
            "ancestors_blocked_at_mid": names(G.ancestors(outs, blockers=[mid])),
            "io_toposort_from_mid": names(G.io_toposort([mid], outs)),
            "variables_from_mid": names(G.variables([mid], outs)),
            "orphans_from_mid": names(G.orphans([mid], outs)),
        })
    return result


def record(theano, T, G):
    return {name: walks(G, outs, v) for name, (outs, v) in graphs(theano, T).items()}


if __name__ == "__main__":
    import theano
    import theano.tensor as T
    from theano.gof import graph as G

    assert theano.__version__.startswith("1.0.5"), "run under the original Theano"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_walks.theano105.json")
    with open(path, "w") as fh:
        json.dump(record(theano, T, G), fh, indent=1, sort_keys=True)
    sys.stdout.write("wrote %s\n" % path)
