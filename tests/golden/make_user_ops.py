"""Record how Theano 1.0.5 treats user-defined Ops (tests/unit/graph/test_user_ops.py).

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_user_ops.py
It writes user_ops.theano105.json next to this script.  `define_ops` and `scenarios` are
shared with the test, which runs them on theano_compat and compares.
"""

import io
import json
import os
import sys

import numpy as np


def define_ops(theano, T):
    """The user Ops, written the way Theano 1.0.5's documentation taught."""
    from theano.gradient import DisconnectedType

    class ScaledSquare(theano.Op):
        """scale * x ** 2, with grad, R_op, infer_shape and __props__."""

        __props__ = ("scale",)

        def __init__(self, scale):
            self.scale = scale

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, output_storage):
            (x,) = inputs
            output_storage[0][0] = np.asarray(self.scale * x ** 2, dtype=x.dtype)

        def infer_shape(self, node, shapes):
            return shapes

        def grad(self, inputs, output_grads):
            return [output_grads[0] * 2 * self.scale * inputs[0]]

        def R_op(self, inputs, eval_points):
            if eval_points[0] is None:
                return [None]
            return [2 * self.scale * inputs[0] * eval_points[0]]

    class ExpOp(theano.gof.Op):
        """exp through theano.gof.Op, with an L_op that reuses the output."""

        __props__ = ()
        seen_outputs = []

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = np.exp(inputs[0])

        def L_op(self, inputs, outputs, output_grads):
            ExpOp.seen_outputs.append(outputs[0])
            return [output_grads[0] * outputs[0]]

    class TwoOutputs(theano.Op):
        """(2 x, x + 1); grad records which output gradients arrive disconnected."""

        __props__ = ()
        seen = []

        def make_node(self, x):
            x = T.as_tensor_variable(x)
            return theano.Apply(self, [x], [x.type(), x.type()])

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * 2
            output_storage[1][0] = inputs[0] + 1

        def grad(self, inputs, output_grads):
            g0, g1 = output_grads
            TwoOutputs.seen.append([isinstance(g.type, DisconnectedType) for g in output_grads])
            total = T.zeros_like(inputs[0])
            if not isinstance(g0.type, DisconnectedType):
                total = total + 2 * g0
            if not isinstance(g1.type, DisconnectedType):
                total = total + g1
            return [total]

    class DoubleOp(theano.Op):
        """The itypes/otypes example of Theano's documentation, plus a grad."""

        __props__ = ()
        itypes = [T.dmatrix]
        otypes = [T.dmatrix]

        def perform(self, node, inputs, output_storage):
            output_storage[0][0] = inputs[0] * 2

        def grad(self, inputs, output_grads):
            return [output_grads[0] * 2]

    @theano.compile.ops.as_op(itypes=[T.dvector], otypes=[T.dvector])
    def numpy_sort(a):
        return np.sort(a)

    return {"ScaledSquare": ScaledSquare, "ExpOp": ExpOp, "TwoOutputs": TwoOutputs,
            "DoubleOp": DoubleOp, "numpy_sort": numpy_sort}


def scenarios(theano, T, ops):
    x = T.dvector("x")
    m = T.dmatrix("m")
    xv = np.array([1.0, 2.0, -0.5])

    def debugprint(var):
        buf = io.StringIO()
        theano.printing.debugprint(var, file=buf)
        return buf.getvalue()

    def two_outputs():
        ops["TwoOutputs"].seen[:] = []
        a, b = ops["TwoOutputs"]()(x)
        only_a = theano.function([x], T.grad(a.sum(), x))(xv)
        both = theano.function([x], T.grad((a * b).sum(), x))(xv)
        return [only_a.tolist(), both.tolist(), ops["TwoOutputs"].seen]

    def scaled():
        y = ops["ScaledSquare"](1.5)(x)
        return [theano.function([x], y)(xv).tolist(),
                theano.function([x], T.grad(y.sum(), x))(xv).tolist(),
                theano.function([x], T.hessian(y.sum(), x))(xv).tolist()]

    return {
        "str_props": lambda: str(ops["ScaledSquare"](2.0)),
        "pp_props": lambda: theano.pp(ops["ScaledSquare"](2.0)(x)),
        "debugprint_props": lambda: debugprint(ops["ScaledSquare"](2.0)(x)),
        "props_equality": lambda: [ops["ScaledSquare"](2.0) == ops["ScaledSquare"](2.0),
                                   hash(ops["ScaledSquare"](2.0))
                                   == hash(ops["ScaledSquare"](2.0)),
                                   ops["ScaledSquare"](2.0) == ops["ScaledSquare"](3.0)],
        "scaled_values": scaled,
        "two_outputs": two_outputs,
        "pp_two_outputs": lambda: theano.pp(ops["TwoOutputs"]()(x)[0]),
        "double_op": lambda: theano.function([m], T.grad(ops["DoubleOp"]()(m).sum() ** 2, m))(
            np.arange(4.0).reshape(2, 2)).tolist(),
        "as_op_str": lambda: str(ops["numpy_sort"]),
        "as_op_debugprint": lambda: debugprint(ops["numpy_sort"](x)),
        "as_op_values": lambda: theano.function([x], ops["numpy_sort"](x) * 2)(xv).tolist(),
    }


if __name__ == "__main__":
    import theano.compile.ops  # noqa: F401
    import theano.tensor as T

    import theano

    results = {name: thunk() for name, thunk in scenarios(theano, T, define_ops(theano, T))
               .items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "user_ops.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
