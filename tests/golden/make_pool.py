"""Record Theano 1.0.5's pooling results (tests/unit/tensor/signal/test_pool.py compares ours
to them).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_pool.py \
        > $REPO/tests/golden/pool.theano105.json

`cases(theano)` builds every case with whichever `theano` package it is given, so the
test evaluates exactly the same graphs with ours.  Each case is (inputs, outputs,
values); the JSON holds each output's dtype, shape and flattened values.
"""

import warnings

import numpy as np
from _record import run_cases, write_case_lines


def _images(shape, seed):
    """Distinct values (max pooling has no ties), in a shuffled order."""
    rng = np.random.RandomState(seed)
    n = int(np.prod(shape))
    return (rng.permutation(n) - n / 3.0).reshape(shape) / 7.0


def cases(theano):
    import theano.tensor as T
    from theano.tensor.signal.pool import max_pool_2d_same_size, pool_2d, pool_3d

    x4, x5, x3 = T.dtensor4("x4"), T.dtensor5("x5"), T.dtensor3("x3")
    ws = T.lvector("ws")
    v4 = _images((1, 2, 5, 7), 0)
    v5 = _images((1, 2, 4, 5, 6), 1)
    v3 = _images((2, 6, 5), 2)
    weights4 = _images((1, 2, 5, 7), 3)
    ties = np.array([[1.0, 1.0, 0.0, 3.0], [1.0, 0.0, 2.0, 3.0], [2.0, 2.0, 0.0, 1.0]])
    out = {}

    def add(name, inputs, outputs, values):
        out[name] = (inputs, outputs, values)

    for mode in ("max", "sum", "average_inc_pad", "average_exc_pad"):
        outs = []
        for kw in (dict(ws=(2, 2), ignore_border=True),
                   dict(ws=(2, 3), ignore_border=False),
                   dict(ws=(3, 2), stride=(1, 2), ignore_border=False),
                   dict(ws=(2, 2), stride=(3, 3), ignore_border=False),
                   dict(ws=(3, 3), stride=(2, 1), ignore_border=True, pad=(1, 2)),
                   dict(ws=(2, 3), stride=(1, 1), ignore_border=True, pad=(1, 1))):
            y = pool_2d(x4, mode=mode, **kw)
            outs.append(y)
            # Theano 1.0.5 could not differentiate average_exc_pad with padding
            # ("padding must be zero for average_exc_pad"): checked by verify_grad instead.
            if mode != "average_exc_pad" or "pad" not in kw:
                outs.append(T.grad((y * T.sin(y)).sum(), x4))
        add(f"pool_2d_{mode}", [x4], outs, [v4])
        y3 = pool_3d(x5, ws=(2, 2, 3), ignore_border=False, mode=mode)
        y3p = pool_3d(x5, ws=(2, 3, 2), stride=(1, 2, 1), pad=(1, 1, 1), ignore_border=True,
                      mode=mode)
        outs3 = [y3, y3p, T.grad((y3 * y3).sum(), x5)]
        if mode != "average_exc_pad":
            outs3.append(T.grad((y3p ** 2).sum(), x5))
        add(f"pool_3d_{mode}", [x5], outs3, [v5])
        yv = pool_2d(x3, ws=ws, ignore_border=True, mode=mode)
        add(f"pool_2d_symbolic_ws_{mode}", [x3, ws], [yv, T.grad((yv ** 2).sum(), x3)],
            [v3, np.array([2, 3])])
    # second derivatives of max pooling (MaxPoolGrad's gradient) and its R-operator
    y = pool_2d(x4, ws=(2, 3), stride=(1, 2), ignore_border=True)
    gx = T.grad((y ** 2).sum(), x4)
    e = T.dtensor4("e")
    add("max_second_order", [x4, e],
        [T.grad((gx * weights4).sum(), x4), T.grad((T.sin(gx) * weights4).sum(), x4),
         T.Rop(y, x4, e)], [v4, weights4])
    # ties: every maximal cell receives the window's gradient
    t = T.dmatrix("t")
    yt = pool_2d(t, ws=(2, 2), stride=(1, 1), ignore_border=True)
    add("max_ties", [t], [yt, T.grad((yt * np.arange(1.0, 7.0).reshape(2, 3)).sum(), t)],
        [ties])
    add("max_pool_2d_same_size", [x4], [max_pool_2d_same_size(x4, (2, 3))], [v4])
    xi = T.itensor4("xi")
    add("integer_input", [xi], [pool_2d(xi, ws=(2, 2), ignore_border=False, mode=m)
                                for m in ("max", "sum", "average_inc_pad")],
        [np.arange(-20, 30, dtype="int32").reshape(1, 2, 5, 5)])
    return out


def main():
    import theano

    warnings.simplefilter("ignore")
    write_case_lines(run_cases(theano, cases(theano)))


if __name__ == "__main__":
    main()
