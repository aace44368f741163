"""Record what Theano 1.0.5 computes with ifelse and OpFromGraph (tests/unit/tensor/test_ifelse.py,
tests/unit/tensor/test_opfromgraph.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_ifelse_ofg.py
It writes ifelse_ofg.theano105.json next to this script.  `scenarios` is shared with the
tests, which run it on theano_compat and compare.  Only cases Theano 1.0.5 handled are
here (it crashed on some gradients that theano_compat gives; those are tested against
NumPy instead).
"""

import io
import json
import os
import sys

import numpy as np


def scenarios(theano, T):
    from theano.gradient import DisconnectedType
    from theano.ifelse import IfElse, ifelse

    from theano import OpFromGraph, function

    x, y, z = T.dscalars("xyz")
    e = x + y * z
    op = OpFromGraph([x, y, z], [e])
    xyz = (2.0, 3.0, 4.0)
    m1, m2 = T.dmatrices("m1", "m2")
    c = T.dscalar("c")
    mv1 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    mv2 = np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 3.0]])

    def as_list(values):
        return [np.asarray(v).tolist() for v in values]

    def debugprint(var):
        buf = io.StringIO()
        theano.printing.debugprint(var, file=buf)
        return buf.getvalue()

    def doc_example_1():
        return float(function([x, y, z], op(x, y, z) + op(z, y, x))(*xyz))

    def shared_inside():
        s = theano.shared(np.float64(5.0), name="s")
        ops = OpFromGraph([x], [x * s])
        out = ops(x)
        f = function([x], out)
        before = float(f(2.0))
        s.set_value(7.0)
        after = float(f(2.0))
        grads = as_list(function([x], T.grad(out, [x, s]))(2.0))
        return [[str(i) for i in out.owner.inputs], before, after, grads]

    def grad_overrides_doc():
        def rescale_dy(inps, grads):
            _, _, zz = inps
            return zz * 2

        op3 = OpFromGraph([x, y, z], [e], grad_overrides=["default", rescale_dy, "default"])
        plain = function([x, y, z], T.grad(op3(x, y, z), [x, y, z]))(*xyz)
        scaled = function([x, y, z], T.grad(op3(x, y, z) * 5, [x, y, z]))(*xyz)
        return [as_list(plain), as_list(scaled)]

    def grad_override_single_callable():
        op5 = OpFromGraph([x, y, z], [e],
                          grad_overrides=lambda i, g: [g[0] * 10, g[0] * i[1], g[0] * 30])
        return as_list(function([x, y, z], T.grad(op5(x, y, z), [x, y, z]))(*xyz))

    def grad_override_ofg():
        gx, gy, gz, gg = T.dscalars("a", "b", "c", "g")
        over = OpFromGraph([gx, gy, gz, gg], [gg * gx, gg * gy, gg * gz])
        op6 = OpFromGraph([x, y, z], [e], grad_overrides=over)
        return as_list(function([x, y, z], T.grad(op6(x, y, z) * 2, [x, y, z]))(*xyz))

    def lop_override():
        opl = OpFromGraph([x, y], [x * y], lop_overrides=lambda i, o, g: [o[0] * g[0], g[0]])
        return as_list(function([x, y], T.grad(opl(x, y), [x, y]))(3.0, 2.0))

    def rops():
        two = (1.0, 2.0)
        default = function([x, y, z], T.Rop(op(x, y, z), [x, y, z], [x, y, z]))(*xyz)
        over = OpFromGraph([x, y], [x * y], rop_overrides=lambda i, ev: [ev[0] * 100 + ev[1]])
        listed = OpFromGraph([x, y], [x * y, x + y],
                             rop_overrides=[lambda i, ev: ev[0] * 7, "default"])
        disc = OpFromGraph([x], [x * 2], rop_overrides=[DisconnectedType()()])
        return [float(default),
                float(function([x, y], T.Rop(over(x, y), [x, y], [x, y]))(*two)),
                as_list(function([x, y], T.Rop(listed(x, y), [x, y], [x, y]))(*two)),
                float(function([x], T.Rop(disc(x), x, x))(1.0))]

    def nested():
        opn = OpFromGraph([x, y], [op(x, y, x) * 2])
        return [float(function([x, y], opn(x, y))(2.0, 3.0)),
                as_list(function([x, y], T.grad(opn(x, y), [x, y]))(2.0, 3.0))]

    def inline():
        opi = OpFromGraph([x, y, z], [e], inline=True)
        out = opi(x, y, z)
        return [debugprint(out), float(function([x, y, z], out)(*xyz)),
                as_list(function([x, y, z], T.grad(out, [x, y, z]))(*xyz))]

    def matrices():
        opm = OpFromGraph([m1, m2], [T.tanh(T.dot(m1, m2.T)), m1 * m2])
        a, b = opm(m1, m2)
        cost = a.sum() + (b ** 2).sum()
        f = function([m1, m2], [a, b] + T.grad(cost, [m1, m2]))
        return as_list(f(mv1, mv2))

    def printing():
        named = OpFromGraph([x], [x * 2], name="double")
        return [str(op), str(named), str(named(x)), debugprint(op(x, y, z)),
                str(ifelse(c, m1, m2).owner.op), str(IfElse(1, as_view=True, name="n")),
                str(ifelse(c, [m1, m2], [m2, m1], name="pair")[1])]

    def ifelse_values():
        out = ifelse(T.gt(c, 0), T.exp(m1) * m2, m1 - m2)
        f = function([c, m1, m2], [out] + T.grad(out.sum(), [m1, m2]))
        return [as_list(f(1.0, mv1, mv2)), as_list(f(-1.0, mv1, mv2))]

    def ifelse_rop():
        v1, v2 = T.dmatrices("v1", "v2")
        r = T.Rop(ifelse(c, T.sin(m1), m2 ** 3), [m1, m2], [v1, v2])
        f = function([c, m1, m2, v1, v2], r)
        return [f(1.0, mv1, mv2, mv2, mv1).tolist(), f(0.0, mv1, mv2, mv2, mv1).tolist()]

    return {
        "ofg_doc_example_1": doc_example_1,
        "ofg_shared_inside": shared_inside,
        "ofg_default_grad": lambda: as_list(
            function([x, y, z], T.grad(op(x, y, z) * 3, [x, y, z]))(*xyz)),
        "ofg_grad_overrides_doc": grad_overrides_doc,
        "ofg_grad_override_single_callable": grad_override_single_callable,
        "ofg_grad_override_ofg": grad_override_ofg,
        "ofg_lop_override": lop_override,
        "ofg_rops": rops,
        "ofg_nested": nested,
        "ofg_inline": inline,
        "ofg_matrices": matrices,
        "ofg_python_number_input": lambda: float(function([x, y], op(x, y, 2.0))(1.0, 2.0)),
        "ofg_integer_output": lambda: as_list(function([x], OpFromGraph(
            [x], [T.cast(x, "int32"), x * 2])(x))(2.7)),
        "printing": printing,
        "ifelse_values_and_grads": ifelse_values,
        "ifelse_rop": ifelse_rop,
    }


if __name__ == "__main__":
    import theano.tensor as T

    import theano

    results = {name: thunk() for name, thunk in scenarios(theano, T).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ifelse_ofg.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
