"""Record Theano 1.0.5's results for the tensor-library names of issue 2 that have no
NumPy twin to test against alone (tests/unit/tensor/test_extra_ops.py).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_tensor_extra.py \
        > $REPO/tests/golden/tensor_extra.theano105.json

`cases(theano)` builds every case with whichever `theano` package it is given, so the test
evaluates exactly the same graphs with ours.  Each case is (inputs, outputs, values):
symbolic inputs, a list of outputs (values and gradients), and the input values.  The
JSON holds, per case, each output's dtype, shape and flattened values (complex numbers
as [re, im] pairs).
"""

import json
import sys

import numpy as np
from _record import run_cases


def _data():
    rng = np.random.RandomState(0)
    a = rng.rand(3, 3) + 3 * np.eye(3)
    return {
        "a": a,
        "spd": a.dot(a.T),
        "b": rng.rand(3, 2),
        "bv": rng.rand(3),
        "m34": np.arange(12.0).reshape(3, 4) ** 1.5,
        "w": rng.rand(3, 3),
    }


def cases(theano):
    import theano.tensor as T
    import theano.tensor.extra_ops as EO
    import theano.tensor.nlinalg as NL
    import theano.tensor.slinalg as SL
    import theano.tensor.xlogx as XL

    d = _data()
    x, y = T.dvector("x"), T.dvector("y")
    m, A, B = T.dmatrix("m"), T.dmatrix("A"), T.dmatrix("B")
    iv = T.lvector("iv")
    xv = np.array([1.0, -2.0, 3.5, 4.0])
    mv = np.arange(12.0).reshape(3, 4) ** 1.5
    weight4 = np.arange(1.0, 5.0)
    out = {}

    def add(name, inputs, outputs, values):
        out[name] = (inputs, outputs, values)

    def g(cost, wrt):
        return T.grad(cost, wrt)

    # shape manipulation
    add("roll", [x, m], [T.roll(x, 1), T.roll(x, -5), T.roll(m, -1, axis=1), T.roll(m, 2),
                         T.roll(m, 1, axis=0), g((T.roll(x, 1) * weight4).sum(), x)], [xv, mv])
    add("roll_symbolic_shift", [x, iv], [T.roll(x, iv[0])], [xv, [3]])
    parts = T.split(x, [1, 3], 2)
    add("split", [x], [parts[0], parts[1], g((parts[1] * np.arange(3.0)).sum(), x),
                       g(parts[0].sum(), x)], [xv])
    add("split_matrix_axis1", [m], T.split(m, [3, 1], 2, axis=1), [mv])
    add("tri", [], [T.tri(3), T.tri(3, 4, 1), T.tri(3, 2, -1, dtype="int32")], [])
    add("tril_triu", [m], [T.tril(m), T.triu(m), T.tril(m, -1), T.triu(m, 1), T.tril(m, 2),
                           g((T.tril(m) * mv).sum(), m), g((T.triu(m, 1) * mv).sum(), m)], [mv])
    add("diag", [x, m], [T.diag(x), T.diag(x, 1), T.diag(x, -2), T.diag(m), T.diag(m, 1),
                         T.diag(m, -1), g((T.diag(x, 1) * np.arange(25.0).reshape(5, 5)).sum(), x),
                         g((T.diag(m[:, :3], 1) * np.arange(2.0)).sum(), m)], [xv, mv])
    add("stacks", [m], [T.horizontal_stack(m, m), T.vertical_stack(m, m, m)], [mv])
    add("stacklists", [x], [T.stacklists([[x[0], x[1]], [x[2], x[3]]]),
                            g((T.stacklists([x[2], x[0]]) * [2.0, 3.0]).sum(), x)], [xv])
    add("grids", [], list(T.mgrid[0:3, 1:5:2]) + list(T.ogrid[0:3, 0:2]), [])
    add("where", [x, y], [T.where(T.gt(x, 2), x, y), g(T.where(T.gt(x, 2), x, y).sum(), x)],
        [xv, -xv])

    # elementwise helpers
    add("isclose", [x, y],
        [T.isclose(x, y), T.allclose(x, y), T.isclose(x, y, equal_nan=True),
         T.isclose(x, y, rtol=0.1), T.allclose(x, x)],
        [[1.0, np.nan, 3.0, np.inf, 1.0, -np.inf, 0.0, 1.0],
         [1 + 1e-9, np.nan, 3.1, np.inf, np.inf, np.inf, 1e-9, 1.0 + 1e-5]])
    add("largest_smallest_ptp", [x, y, m],
        [T.largest(x, y), T.largest(x, y, x * 2), T.smallest(x, y), T.smallest(x, y, -x),
         T.ptp(m), T.ptp(m, axis=0), T.ptp(m, 1), g(T.largest(x, y, x * 2).sum(), x)],
        [xv, xv[::-1].copy(), mv])
    add("power", [x], [T.power(x, 2), T.power(x, 3), g(T.power(x, 3).sum(), x)], [xv])
    add("int_division", [iv], [T.ceil_intdiv(iv, 3), T.divmod(iv, 3)[0], T.divmod(iv, 3)[1]],
        [[-4, -3, 0, 1, 3, 4, 7]])
    add("choose", [iv, x, y], [T.choose(iv, [x, y]), T.choose(iv, T.stack([x, y]))],
        [[0, 1, 0, 1], xv, -xv])
    add("inverse_permutation", [iv], [T.inverse_permutation(iv)], [[2, 0, 3, 1]])
    add("special", [x, y], [T.gammainc(x, y), T.gammaincc(x, y), T.gammau(x, y),
                            T.gammal(x, y), T.chi2sf(x, y)],
        [[3.0, 2.5, 0.5, 1.0], [0.5, 3.0, 1.5, 4.0]])
    add("complex", [x, y], [T.complex(x, y), T.complex_from_polar(abs(x), y),
                            T.complex(T.cast(x, "float32"), T.cast(y, "float32"))], [xv, -xv])
    add("xlogx", [x, y], [XL.xlogx(x), XL.xlogy0(x, y), g(XL.xlogx(x).sum(), x),
                          g(XL.xlogy0(x, y).sum(), x), g(XL.xlogy0(x, y).sum(), y)],
        [[0.0, 1.0, 2.0, 0.5], [0.0, 2.0, 3.0, 0.25]])
    add("cov", [m], [T.cov(m), T.cov(m, bias=True), T.cov(m, rowvar=False), T.cov(m, ddof=0),
                     T.cov(m, m * 2), T.cov(m, m[:, :2], rowvar=False),
                     g((T.cov(m) * np.arange(9.0).reshape(3, 3)).sum(), m)], [mv])

    # extra_ops
    add("fill_diagonal", [m, x],
        [T.fill_diagonal(m, 5.0), T.fill_diagonal_offset(m, 5.0, 1),
         T.fill_diagonal_offset(m, 5.0, -1), T.fill_diagonal_offset(m, x[0], 2),
         g((T.fill_diagonal(m, x[0]) * mv).sum(), m), g((T.fill_diagonal(m, x[0]) * mv).sum(), x),
         g((T.fill_diagonal_offset(m, x[0], 1) * mv).sum(), m),
         g((T.fill_diagonal_offset(m, x[0], -1) * mv).sum(), x)],
        [np.zeros((3, 4)) + 0.5, xv])
    add("index_conversion", [iv],
        [EO.ravel_multi_index([iv, iv], (5, 6)), EO.ravel_multi_index([iv, iv], (5, 6), order="F")]
        + list(EO.unravel_index(iv, (3, 4))) + list(EO.unravel_index(iv, (3, 4), order="F")),
        [[0, 2, 4, 1]])
    add("bartlett", [], [EO.bartlett(5), EO.bartlett(1), EO.bartlett(6)], [])
    add("diff", [x, m], [EO.diff(x), EO.diff(x, 2), EO.diff(m, axis=0), EO.diff(m),
                         g((EO.diff(x, 2) * [1.0, 2.0]).sum(), x)], [xv, mv])
    add("searchsorted", [x, y], [EO.searchsorted(x, y), EO.searchsorted(x, y, side="right"),
                                 g(EO.searchsorted(x, y).sum() * x.sum(), x)],
        [[1.0, 2.0, 3.0, 4.0], [2.0, 0.5, 4.0, 9.0]])
    add("compress", [iv, m], [EO.compress(iv, m, axis=0), EO.compress(iv, m, axis=1),
                              EO.compress(iv, m)], [[1, 0, 1], mv])
    add("unique", [x], EO.Unique(True, True, True)(x) + [EO.Unique()(x)],
        [[3.0, 1.0, 3.0, 2.0, 1.0]])
    add("bincount", [iv, x], [T.bincount(iv), T.bincount(iv, weights=x),
                              T.bincount(iv, minlength=7), T.bincount(iv, minlength=2),
                              g((T.bincount(iv, weights=x) * np.arange(5.0)).sum(), x)],
        [[0, 1, 1, 4], xv])
    add("repeat_tile", [x, m], [EO.repeat(x, 2), EO.repeat(m, [1, 0, 2], axis=0),
                                g((EO.repeat(x, 3) * np.arange(12.0)).sum(), x),
                                g((EO.repeat(m, 2, axis=1) * np.arange(24.0).reshape(3, 8)).sum(),
                                  m)],
        [xv, mv])

    # nlinalg
    a, spd = d["a"], d["spd"]
    cw = d["w"]
    add("nlinalg_values", [A],
        [NL.matrix_inverse(A), NL.det(A), NL.eigh(A)[0], NL.svd(A, compute_uv=0), NL.pinv(A),
         NL.trace(A), NL.matrix_power(A, 3), NL.matrix_power(A, 1), NL.norm(A, None),
         NL.norm(A, "fro"), NL.norm(A, "inf"), NL.norm(A, 1), NL.norm(A[0], 1),
         NL.norm(A[0], "inf"), NL.norm(A[0], 3), NL.matrix_dot(A, A.T, A), NL.diag(A),
         NL.diag(A[0]), abs(NL.qr(A, "r")), NL.tensorinv(A, 1)], [spd])
    add("nlinalg_grads", [A],
        [g((NL.matrix_inverse(A) * cw).sum(), A), g(NL.det(A), A),
         g((NL.eigh(A)[0] * [1.0, 2.0, 3.0]).sum(), A),
         g(((NL.eigh(A)[1] ** 2) * cw).sum(), A), g((NL.pinv(A) * cw).sum(), A), g(NL.trace(A), A),
         g((NL.matrix_power(A, 3) * cw).sum(), A), g(NL.norm(A, "fro"), A)], [a])
    add("lstsq", [A, B], NL.lstsq()(A, B, -1)[:1] + NL.lstsq()(A, B, -1)[2:], [a, d["b"]])

    # slinalg
    add("slinalg_values", [A, B],
        [SL.cholesky(A), SL.Cholesky(lower=False)(A), SL.solve(A, B), SL.solve(A, B[:, 0]),
         SL.solve_lower_triangular(T.tril(A), B), SL.solve_upper_triangular(T.triu(A), B),
         SL.solve_symmetric(A, B), SL.eigvalsh(A, T.eye(3) * 2), SL.expm(A / 10),
         SL.kron(A, B)], [spd, d["b"]])
    add("slinalg_grads", [A, B],
        [g((SL.cholesky(A) * cw).sum(), A), g((SL.Cholesky(lower=False)(A) * cw).sum(), A),
         g((SL.solve(A, B) * d["b"]).sum(), A), g((SL.solve(A, B) * d["b"]).sum(), B),
         g((SL.solve(A, B[:, 0]) * d["bv"]).sum(), A),
         g((SL.solve_lower_triangular(A, B) * d["b"]).sum(), A),
         g((SL.solve_upper_triangular(A, B) * d["b"]).sum(), A),
         g((SL.eigvalsh(A, B.dot(B.T) + T.eye(3)) * [1.0, 2.0, 3.0]).sum(), A),
         g((SL.eigvalsh(A, B.dot(B.T) + T.eye(3)) * [1.0, 2.0, 3.0]).sum(), B),
         g((SL.expm(A / 10) * cw).sum(), A), g((SL.kron(A, B) ** 2).sum(), A),
         g((SL.kron(A, B) ** 2).sum(), B)], [spd, d["b"]])
    return out


def main():
    import theano

    record = run_cases(theano, cases(theano))
    json.dump(record, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
