"""Stacked denoising autoencoders (DeepLearningTutorials' SdA.py style): sigmoid hidden
layers whose weights are shared with one dA each, a logistic-regression layer on top;
greedy layer-wise pretraining (one function per layer: that layer's dA cost on the
previous layers' output) and supervised fine-tuning of the whole stack.

Sizes: the tutorial's 784-1000-1000-1000-10 with minibatch 1 is mostly call overhead; the
set uses 784-1000-1000-10 with minibatch 20 (the dA's), which keeps one step in the tens
of milliseconds here.  Corruption 0.1 and 0.2, pretraining rate 0.001, fine-tuning rate
0.1 (the tutorial's).  The pretraining steps of layers 0 and 1 and the fine-tuning step
are three rows of the table, each built from its own fresh stack.
"""

from __future__ import annotations

import numpy as np

from .base import SEED, ModelWorkload, matmul_flops
from .dae import da_cost_updates, train_set


class _SdAStep(ModelWorkload):
    sizes = (784, 1000, 1000)
    n_out = 10
    corruption = (0.1, 0.2)
    pretrain_lr, finetune_lr = 0.001, 0.1

    def __init__(self, batch=20, sizes=None, name=None):
        self.batch = batch
        if sizes is not None:
            self.sizes = tuple(sizes)
        if name is not None:
            self.name = name

    def args(self):
        return (1,)

    def _build(self, api):
        """The tutorial's SdA object, as plain lists: the sigmoid layers' (W, b) and
        outputs, the dA layers' visible biases, the logistic layer, the RNG."""
        th, T = api.th, api.T
        from theano.tensor.shared_randomstreams import RandomStreams  # theano flavours

        dt, bs = self.dtype, self.batch
        numpy_rng = np.random.RandomState(89677)
        theano_rng = RandomStreams(numpy_rng.randint(2 ** 30))
        x, y = T.matrix("x", dtype=dt), T.ivector("y")
        layers, outputs, inp = [], [], x
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            a = 4 * np.sqrt(6.0 / (n_in + n_out))
            W = th.shared(numpy_rng.uniform(-a, a, (n_in, n_out)).astype(dt), name=f"W{i}")
            b = th.shared(np.zeros(n_out, dt), name=f"b{i}")
            b_prime = th.shared(np.zeros(n_in, dt), name=f"bvis{i}")
            layers.append((W, b, b_prime))
            inp = T.nnet.sigmoid(T.dot(inp, W) + b)
            outputs.append(inp)
        W_log = th.shared(np.zeros((self.sizes[-1], self.n_out), dt), name="W_log")
        b_log = th.shared(np.zeros(self.n_out, dt), name="b_log")
        p_y_given_x = T.nnet.softmax(T.dot(outputs[-1], W_log) + b_log)
        nll = -T.mean(T.log(p_y_given_x)[T.arange(y.shape[0]), y])
        xs = train_set(4 * bs, self.sizes[0], dt)
        ys = np.random.RandomState(SEED + 3).randint(0, self.n_out, 4 * bs)
        train_x = th.shared(xs, name="train_set_x")
        train_y = T.cast(th.shared(ys.astype(dt), name="train_set_y"), "int32")
        index = T.lscalar("index")
        givens = {x: train_x[index * bs:(index + 1) * bs],
                  y: train_y[index * bs:(index + 1) * bs]}
        return dict(x=x, y=y, index=index, layers=layers, outputs=outputs,
                    log=(W_log, b_log), nll=nll, givens=givens, theano_rng=theano_rng)


class SdAPretrain(_SdAStep):
    def __init__(self, layer, batch=20, sizes=None):
        super().__init__(batch, sizes, name=f"sda_pre{layer}")
        self.layer = layer
        n_in, n_out = self.sizes[layer], self.sizes[layer + 1]
        self.label = f"SdA pretrain layer {layer} {n_in}-{n_out} b{batch}"

    def flops(self):
        below = sum(matmul_flops(self.batch, a, b)
                    for a, b in zip(self.sizes[:self.layer], self.sizes[1:self.layer + 1]))
        n_in, n_out = self.sizes[self.layer], self.sizes[self.layer + 1]
        return below + 5 * matmul_flops(self.batch, n_in, n_out)

    def graph(self, api):
        T = api.T
        s = self._build(api)
        k = self.layer
        W, b, b_prime = s["layers"][k]
        inp = s["x"] if k == 0 else s["outputs"][k - 1]
        cost, updates = da_cost_updates(T, s["theano_rng"], inp, W, b, b_prime,
                                        self.corruption[k], self.pretrain_lr, self.dtype)
        return dict(inputs=[s["index"]], outputs=cost, updates=updates,
                    shared=[W, b, b_prime],
                    kwargs=dict(givens={s["x"]: s["givens"][s["x"]]}))


class SdAFinetune(_SdAStep):
    def __init__(self, batch=20, sizes=None):
        super().__init__(batch, sizes, name="sda_fine")
        dims = "-".join(str(n) for n in self.sizes + (self.n_out,))
        self.label = f"SdA finetune {dims} b{batch}"

    def flops(self):
        dims = self.sizes + (self.n_out,)
        total = 0.0
        for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
            # forward, weight gradient, and the input gradient except for the data layer
            total += (2 if i == 0 else 3) * matmul_flops(self.batch, a, b)
        return total

    def graph(self, api):
        T = api.T
        s = self._build(api)
        params = [p for W, b, _ in s["layers"] for p in (W, b)] + list(s["log"])
        gparams = T.grad(s["nll"], params)
        lr = np.asarray(self.finetune_lr, dtype=self.dtype)
        updates = [(p, p - lr * g) for p, g in zip(params, gparams)]
        return dict(inputs=[s["index"]], outputs=s["nll"], updates=updates, shared=params,
                    kwargs=dict(givens=s["givens"]))
