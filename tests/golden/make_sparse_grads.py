"""Record Theano 1.0.5's theano.sparse gradients used by tests/unit/sparse/test_basic.py:
structured versus dense gradients (structured_dot, dot, DenseFromSparse, sp_sum, mul) for
csr and csc inputs, with the type and format of each gradient.

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_sparse_grads.py
It writes sparse_grads.theano105.json next to this script.  The test builds the same
graphs (the functions below are shared with it) and compares.
"""

import json
import os
import sys

import numpy as np
import scipy.sparse as sp

A = [[1.5, 0, -2.0], [0, 3.0, 0], [0.5, 0, 0]]
B = [[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]]
W = [[0.3, -1.2], [2.0, 0.7], [-0.4, 1.1]]


def _plain(value):
    """{'kind', 'format', 'values'} of a gradient value (sparse or dense)."""
    if sp.issparse(value):
        return {"kind": "sparse", "format": value.format, "values": value.toarray().tolist()}
    return {"kind": "dense", "format": "", "values": np.asarray(value).tolist()}


def scenarios(theano, T, S):
    """name -> thunk returning plain data; the same code runs on both."""
    a, b, w = np.array(A), np.array(B), np.array(W)
    out = {}

    def case(fmt):
        x = S.SparseType(fmt, "float64")("x")
        y = T.dmatrix("y")
        xv = getattr(sp, fmt + "_matrix")(a)

        def structured_dot():
            cost = T.sum(S.structured_dot(x, y) * w)
            gx, gy = theano.function([x, y], T.grad(cost, [x, y]))(xv, b)
            return {"gx": _plain(gx), "gy": _plain(gy)}

        def dense_dot():
            cost = T.sum(S.dot(x, y) * w)
            gx, gy = theano.function([x, y], T.grad(cost, [x, y]))(xv, b)
            return {"gx": _plain(gx), "gy": _plain(gy)}

        def dense_from_sparse(structured):
            def run():
                cost = T.sum(S.DenseFromSparse(structured=structured)(x) * T.dot(y, y.T))
                return _plain(theano.function([x, y], T.grad(cost, x))(xv, b))
            return run

        def sp_sum(structured, axis):
            def run():
                cost = T.sum(S.sp_sum(x, axis=axis, sparse_grad=structured) ** 2)
                return _plain(theano.function([x], T.grad(cost, x))(xv))
            return run

        def mul_s_d():
            z = T.dmatrix("z")
            cost = T.sum(S.dense_from_sparse(S.mul(x, z)) * w.dot(w.T))
            gx, gz = theano.function([x, z], T.grad(cost, [x, z]))(
                xv, np.arange(9.0).reshape(3, 3))
            return {"gx": _plain(gx), "gz": _plain(gz)}

        out[f"{fmt}.structured_dot"] = structured_dot
        out[f"{fmt}.dot"] = dense_dot
        for structured in (True, False):
            out[f"{fmt}.dense_from_sparse.structured={structured}"] = \
                dense_from_sparse(structured)
            for axis in (None, 0, 1):
                out[f"{fmt}.sp_sum.structured={structured}.axis={axis}"] = \
                    sp_sum(structured, axis)
        out[f"{fmt}.mul_s_d"] = mul_s_d

    for fmt in ("csr", "csc"):
        case(fmt)
    return out


if __name__ == "__main__":
    import theano.sparse as S
    import theano.tensor as T

    import theano

    results = {name: thunk() for name, thunk in scenarios(theano, T, S).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "sparse_grads.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
