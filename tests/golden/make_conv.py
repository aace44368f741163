"""Record Theano 1.0.5's convolution results (tests/unit/tensor/nnet/test_conv.py).

Run under the reference Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_conv.py \
        > $REPO/tests/golden/conv.theano105.json

`cases(theano)` builds every graph with whichever `theano` package it is given, so the
test evaluates exactly the same graphs with ours.  Each case is (inputs, outputs,
values); the JSON holds each output's dtype, shape and flattened values.  `shape_cases`
evaluates the shape helpers of abstract_conv on a grid (plain Python values).
"""

import itertools
import json
import sys

import numpy as np
from _record import run_cases


def _rand(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, size=shape)


def cases(theano):
    import theano.tensor as T
    from theano.tensor.nnet import abstract_conv as A
    from theano.tensor.nnet import conv as C
    from theano.tensor.signal import conv as S

    out = {}
    x, w = T.dtensor4("x"), T.dtensor4("w")
    x5, w5 = T.dtensor5("x5"), T.dtensor5("w5")

    def with_grads(o, wrt):
        cost = (o ** 2).sum() / 2 + o.sum()
        return [o] + list(T.grad(cost, wrt))

    # conv2d over the parameters: (input shape, filter shape, keyword arguments)
    conv2d_params = {
        "valid": ((2, 3, 7, 6), (4, 3, 3, 2), {}),
        "full_stride": ((2, 3, 7, 6), (4, 3, 3, 2), dict(border_mode="full", subsample=(2, 3))),
        "half_even_kernel": ((2, 2, 6, 7), (3, 2, 4, 2), dict(border_mode="half")),
        "half_dilated_corr": ((1, 2, 8, 9), (3, 2, 3, 3),
                              dict(border_mode="half", filter_dilation=(2, 3),
                                   filter_flip=False)),
        "int_pad_stride": ((2, 2, 7, 8), (2, 2, 3, 2), dict(border_mode=2, subsample=(2, 2))),
        "pair_pad": ((2, 2, 6, 5), (2, 2, 2, 3), dict(border_mode=(1, 2), subsample=(1, 2),
                                                      filter_dilation=(2, 1))),
        "asymmetric": ((1, 2, 6, 6), (3, 2, 3, 2), dict(border_mode=((1, 2), (0, 3)),
                                                        subsample=(2, 1))),
        "groups": ((2, 4, 6, 5), (6, 2, 2, 3), dict(num_groups=2, border_mode="full",
                                                    filter_dilation=(1, 2))),
        "groups_stride_corr": ((1, 6, 7, 7), (3, 2, 3, 3),
                               dict(num_groups=3, subsample=(3, 2), border_mode=1,
                                    filter_flip=False)),
    }
    for name, (xs, ws, kw) in conv2d_params.items():
        o = T.nnet.conv2d(x, w, input_shape=xs, filter_shape=ws, **kw)
        out[f"conv2d_{name}"] = ([x, w], with_grads(o, [x, w]), [_rand(*xs, seed=1),
                                                                 _rand(*ws, seed=2)])

    # second derivatives: through the gradient Ops
    o = T.nnet.conv2d(x, w, border_mode="half", subsample=(2, 1), filter_dilation=(1, 2))
    gx, gw = T.grad((o ** 2).sum(), [x, w])
    out["second_order"] = ([x, w], [T.grad((gx ** 2).sum(), w), T.grad((gw ** 2).sum(), x),
                                    T.grad((gx * gx[::-1]).sum() + (gw ** 3).sum(), x)],
                           [_rand(2, 2, 6, 7, seed=3), _rand(3, 2, 3, 2, seed=4)])

    # conv3d
    o = T.nnet.conv3d(x5, w5, border_mode=(1, 0, 2), subsample=(1, 2, 1),
                      filter_dilation=(2, 1, 1))
    out["conv3d"] = ([x5, w5], with_grads(o, [x5, w5]),
                     [_rand(2, 2, 5, 6, 4, seed=5), _rand(3, 2, 2, 3, 2, seed=6)])
    o = T.nnet.conv3d(x5, w5, border_mode="half", num_groups=2, filter_flip=False)
    out["conv3d_groups"] = ([x5, w5], with_grads(o, [x5, w5]),
                            [_rand(1, 4, 4, 3, 5, seed=7), _rand(4, 2, 3, 2, 3, seed=8)])

    # conv3d2d: time-major layout (batch, time, channels, rows, cols)
    from theano.tensor.nnet import conv3d2d

    for mode in ("valid", "full", ("full", "valid", "valid")):
        o = conv3d2d.conv3d(x5, w5, border_mode=mode)
        out[f"conv3d2d_{mode if isinstance(mode, str) else 'mixed'}"] = (
            [x5, w5], with_grads(o, [x5, w5]), [_rand(2, 4, 3, 5, 6, seed=33),
                                                _rand(2, 2, 3, 3, 2, seed=34)])
    o = conv3d2d.conv3d(x5, w5, signals_shape=(2, 4, 3, 5, 6), filters_shape=(2, 2, 3, 3, 2))
    out["conv3d2d_shapes"] = ([x5, w5], [o], [_rand(2, 4, 3, 5, 6, seed=35),
                                              _rand(2, 2, 3, 3, 2, seed=36)])

    # the old interface
    o = C.conv2d(x, w, image_shape=(2, 3, 6, 5), filter_shape=(4, 3, 3, 2))
    out["old_conv2d_valid"] = ([x, w], with_grads(o, [x, w]),
                               [_rand(2, 3, 6, 5, seed=9), _rand(4, 3, 3, 2, seed=10)])
    # (Theano's ConvOp needed both shapes to differentiate a strided convolution)
    o = C.conv2d(x, w, border_mode="full", subsample=(2, 1), image_shape=(2, 3, 6, 5),
                 filter_shape=(4, 3, 3, 2))
    out["old_conv2d_full_stride"] = ([x, w], with_grads(o, [x, w]),
                                     [_rand(2, 3, 6, 5, seed=11), _rand(4, 3, 3, 2, seed=12)])

    # signal.conv.conv2d on images and stacks
    m, m2 = T.dmatrix("m"), T.dmatrix("m2")
    t3, t32 = T.dtensor3("t3"), T.dtensor3("t32")
    img, stack = _rand(6, 7, seed=13), _rand(2, 6, 7, seed=14)
    filt, filts = _rand(2, 3, seed=15), _rand(3, 2, 3, seed=16)
    out["signal_2d_2d"] = ([m, m2], with_grads(S.conv2d(m, m2), [m, m2]), [img, filt])
    out["signal_2d_3d"] = ([m, t3], with_grads(S.conv2d(m, t3, border_mode="full"), [m, t3]),
                           [img, filts])
    # (Theano's ConvOp had no gradient for a strided 'valid' convolution)
    out["signal_3d_2d"] = ([t3, m], [S.conv2d(t3, m, subsample=(2, 1))], [stack, filt])
    out["signal_3d_3d"] = ([t3, t32], with_grads(S.conv2d(t3, t32, image_shape=(2, 6, 7),
                                                          filter_shape=(3, 2, 3)), [t3, t32]),
                           [stack, filts])

    # the gradient Ops called directly, as Lasagne does
    top = T.dtensor4("top")
    op = A.AbstractConv2d_gradInputs(imshp=(None, 3, 7, 8), kshp=(4, 3, 3, 3),
                                     border_mode="half", subsample=(2, 2), filter_flip=False)
    o = op(w, top, (7, 8))
    out["lasagne_transposed"] = ([w, top], with_grads(o, [w, top]),
                                 [_rand(4, 3, 3, 3, seed=17), _rand(2, 4, 4, 4, seed=18)])
    op = A.AbstractConv2d_gradWeights(imshp=(3, 2, 9, 8), kshp=(4, 3, 5, 6),
                                      subsample=(2, 1), border_mode="valid", filter_flip=False)
    o = op(x.transpose(1, 0, 2, 3), w, (5, 6)).transpose(1, 0, 2, 3)
    out["lasagne_dilated"] = ([x, w], with_grads(o, [x, w]),
                              [_rand(2, 3, 9, 8, seed=19), _rand(3, 4, 3, 3, seed=20)])
    o = A.conv2d_grad_wrt_inputs(top, w, (2, 3, 8, 7), (4, 3, 3, 2), border_mode=(1, 0),
                                 subsample=(3, 2), filter_dilation=(1, 2))
    out["grad_wrt_inputs"] = ([w, top], with_grads(o, [w, top]),
                              [_rand(4, 3, 3, 2, seed=21), _rand(2, 4, 3, 3, seed=22)])
    o = A.conv2d_grad_wrt_weights(x, top, (4, 3, 3, 2), (2, 3, 7, 6), border_mode="full",
                                  subsample=(2, 2))
    out["grad_wrt_weights"] = ([x, top], with_grads(o, [x, top]),
                               [_rand(2, 3, 7, 6, seed=23), _rand(2, 4, 5, 4, seed=24)])
    o = T.nnet.conv2d_transpose(top, w, (2, 3, 9, 9), border_mode="half",
                                input_dilation=(2, 2))
    out["conv2d_transpose"] = ([w, top], with_grads(o, [w, top]),
                               [_rand(4, 3, 3, 3, seed=25), _rand(2, 4, 5, 5, seed=26)])

    # composites
    dw, pw = T.dtensor4("dw"), T.dtensor4("pw")
    o = A.separable_conv2d(x, dw, pw, 3, border_mode="half", subsample=(1, 2))
    out["separable_conv2d"] = ([x, dw, pw], with_grads(o, [x, dw, pw]),
                               [_rand(2, 3, 6, 7, seed=27), _rand(6, 1, 3, 3, seed=28),
                                _rand(4, 6, 1, 1, seed=29)])
    v3, f3 = T.dtensor3("v3"), T.dtensor3("f3")
    o = A.causal_conv1d(v3, f3, (4, 3, 3), filter_dilation=2)
    out["causal_conv1d"] = ([v3, f3], with_grads(o, [v3, f3]),
                            [_rand(2, 3, 9, seed=30), _rand(4, 3, 3, seed=31)])
    small = _rand(2, 3, 4, 5, seed=32)
    out["bilinear_upsampling"] = ([x], [A.bilinear_upsampling(x, 2),
                                        A.bilinear_upsampling(x, 3, use_1D_kernel=False),
                                        A.bilinear_upsampling(x, 3, batch_size=2,
                                                              num_input_channels=3),
                                        T.grad((A.bilinear_upsampling(x, 2) ** 2).sum(), x)],
                                  [small])
    out["bilinear_kernels"] = ([], [A.bilinear_kernel_1D(3), A.bilinear_kernel_1D(4, False),
                                    A.bilinear_kernel_2D(2), A.bilinear_kernel_2D(3, False)],
                               [])
    return out


def shape_cases(A):
    """Theano's shape helpers on a grid: [args, conv, gradweights, gradinputs, check ok,
    check of a wrong output]."""
    rows = []
    for im, k, bm, s, d in itertools.product([7, 8], [2, 3], ["valid", "full", "half", 1, (2, 1)],
                                             [1, 2, 3], [1, 2]):
        o = A.get_conv_shape_1axis(im, k, bm, s, d)
        gw = A.get_conv_gradweights_shape_1axis(im, o, bm, s, d)
        gi = A.get_conv_gradinputs_shape_1axis(k, o, bm, s, d)
        bm2 = (bm, bm) if isinstance(bm, tuple) else bm
        ok = A.check_conv_gradinputs_shape((2, 3, im, im), (4, 3, k, k), (2, 4, o, o), bm2,
                                           (s, s), (d, d))
        bad = A.check_conv_gradinputs_shape((2, 3, im, im), (4, 3, k, k), (2, 4, o + 1, o), bm2,
                                            (s, s), (d, d))
        rows.append([[im, k, list(bm) if isinstance(bm, tuple) else bm, s, d],
                     o, None if gw is None else int(gw), gi, bool(ok), bool(bad)])
    return rows


def main():
    from theano.tensor.nnet import abstract_conv as A

    import theano

    record = run_cases(theano, cases(theano))
    record["__shapes__"] = shape_cases(A)
    json.dump(record, sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
