"""Record Theano 1.0.5's theano.gradient results used by tests/unit/test_gradient_api.py.

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_gradient_api.py
It writes gradient_api.theano105.json next to this script.  The test builds the same
graphs (the functions below are shared with it) and compares.
"""

import json
import os
import sys

import numpy as np


def scenarios(theano, T, G):
    """name -> thunk returning plain data (lists/floats); the same code runs on both."""
    x, y = T.dvector("x"), T.dvector("y")
    m, s = T.dmatrix("m"), T.dscalar("s")

    class BadSquare(theano.Op):
        """x ** 2 with a wrong gradient (3x instead of 2x), to make verify_grad fail."""

        __props__ = ("factor",)

        def __init__(self, factor):
            self.factor = factor

        def make_node(self, a):
            a = T.as_tensor_variable(a)
            return theano.Apply(self, [a], [a.type()])

        def perform(self, node, inputs, outputs):
            outputs[0][0] = inputs[0] ** 2

        def grad(self, inputs, g):
            return [g[0] * self.factor * inputs[0]]

    def gradient_error(dtype, factor):
        try:
            G.verify_grad(BadSquare(factor), [np.array([1.0, 2.0, 3.0], dtype=dtype)],
                          rng=np.random.RandomState(0))
        except G.verify_grad.E_grad as e:
            return {k: (list(v) if isinstance(v, tuple) else float(v)) for k, v in
                    [("arg", e.arg), ("err_pos", e.err_pos), ("shape", e.shape),
                     ("val1", e.val1), ("val2", e.val2), ("abs_err", e.abs_err),
                     ("rel_err", e.rel_err), ("abs_tol", e.abs_tol), ("rel_tol", e.rel_tol)]}
        return "passed"

    def numeric(values, fn):
        ng = G.numeric_grad(fn, values)
        gf = ng.gf if isinstance(ng.gf, list) else [ng.gf]
        return [np.asarray(g, dtype="float64").tolist() for g in gf]

    def run(inputs, outputs, *values):
        f = theano.function(inputs, outputs, on_unused_input="ignore")
        out = f(*values)
        return [np.asarray(o).tolist() for o in out] if isinstance(out, list) \
            else np.asarray(out).tolist()

    xv, yv = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    mv = np.arange(6.0).reshape(3, 2)

    def subgraph():
        w1 = theano.shared(np.array([1.0, 2.0]), name="w1")
        h = T.tanh(x * w1)
        c2 = (h ** 2).sum()
        wg, eg = G.subgraph_grad(wrt=[w1], end=[h], cost=c2)
        first = run([x], wg + eg, np.array([0.5, 0.3]))
        # (details=True is not recorded: Theano ordered those lists by a set.)
        wg, eg = G.subgraph_grad(wrt=[w1], end=[x], start={h: T.ones_like(h)}, cost=c2)
        second = run([x], wg + eg, np.array([0.5, 0.3]))
        return [first, second]

    def arange_grads():
        a, b, c = T.dscalars("a", "b", "c")
        out = T.arange(a, b, c)
        cost = (out * T.arange(out.shape[0]).astype("float64") ** 2 + out).sum()
        return run([a, b, c], T.grad(cost, [a, c]), 1.0, 7.0, 1.5)

    z = x * y
    return {
        "gradient_error_float64": lambda: gradient_error("float64", 3.0),
        "gradient_error_float32": lambda: gradient_error("float32", 2.05),
        "gradient_error_float16_passes": lambda: gradient_error("float16", 2.05),
        "numeric_float64": lambda: numeric([np.array([1.0, 2.0])], lambda a: (a ** 2).sum()),
        "numeric_float32": lambda: numeric([np.array([1.0, 2.0], "float32")],
                                           lambda a: (a ** 2).sum()),
        "numeric_mixed": lambda: numeric(
            [np.array([1.0, 2.0], "float32"), np.array([0.5, -1.0])],
            lambda a, b: (a ** 2 * b).sum() + np.sin(b).sum()),
        "abs_rel_err": lambda: [e.tolist() for e in G.numeric_grad.abs_rel_err(
            np.array([1.0, 0.0, -2.0]), np.array([1.1, 0.0, 2.0]))],
        "jacobian_list": lambda: run([m, x, s], T.jacobian(T.dot(m, x) * s, [m, x, s]), mv,
                                     xv, 3.0),
        "jacobian_grad": lambda: run([x], [T.grad(T.jacobian(x ** 3, x).sum(), x),
                                           T.grad((T.jacobian(x ** 3, x) ** 2).sum(), x)],
                                     xv),
        "jacobian_rop": lambda: run([x, y], T.Rop(T.jacobian(x ** 3, x), x, y), xv, yv),
        "hessian_list": lambda: run([x, y], T.hessian((x ** 3).sum() * y.sum(), [x, y]),
                                    xv, yv),
        "subgraph_grad": subgraph,
        "consider_constant_wrt": lambda: run(
            [x, y], T.grad((z * x).sum(), [z, x], consider_constant=[z]), xv, yv),
        "arange_grads": arange_grads,
        "grad_clip": lambda: run([x], T.grad(G.grad_clip(x * 3, -1, 1).sum() * 5, x), xv),
        "grad_scale": lambda: run([x], T.grad(G.grad_scale(x ** 2, 0.5).sum(), x), xv),
        "disconnected_grad_mul": lambda: run([x], T.grad((G.disconnected_grad(x) * x).sum(),
                                                         x), xv),
    }


if __name__ == "__main__":
    import theano.gradient as G
    import theano.tensor as T

    import theano

    results = {name: thunk() for name, thunk in scenarios(theano, T, G).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "gradient_api.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
