"""Denoising autoencoder, one SGD minibatch step (DeepLearningTutorials' dA.py style):
784-500, tied weights (W' = W.T), input corrupted by a binomial mask (corruption 0.3),
sigmoid encoder and decoder, cross-entropy reconstruction cost, learning rate 0.1,
minibatch 20 sliced out of a shared training set by `givens`, as the tutorial does.

The corruption mask comes from `theano.tensor.shared_randomstreams.RandomStreams`, as in
the tutorial (this project's RandomStreams is bit-exact with Theano 1.0.5's, so both give
the same numbers).  Synthetic data: uniform pixels in [0, 1).
"""

from __future__ import annotations

import numpy as np

from .base import SEED, ModelWorkload, matmul_flops


def da_params(rng, n_visible, n_hidden, dtype):
    """(W, b_hidden, b_visible) initial values, the tutorial's initialisation."""
    a = 4 * np.sqrt(6.0 / (n_hidden + n_visible))
    W = rng.uniform(low=-a, high=a, size=(n_visible, n_hidden)).astype(dtype)
    return W, np.zeros(n_hidden, dtype), np.zeros(n_visible, dtype)


def da_cost_updates(T, theano_rng, x, W, b, b_prime, corruption_level, learning_rate,
                    dtype):
    """The dA's cost and SGD updates for the minibatch `x` (the tutorial's
    dA.get_cost_updates): corrupt, encode, decode, cross-entropy, T.grad."""
    tilde_x = theano_rng.binomial(size=x.shape, n=1, p=1 - corruption_level,
                                  dtype=dtype) * x
    y = T.nnet.sigmoid(T.dot(tilde_x, W) + b)
    z = T.nnet.sigmoid(T.dot(y, W.T) + b_prime)
    L = -T.sum(x * T.log(z) + (1 - x) * T.log(1 - z), axis=1)
    cost = T.mean(L)
    params = [W, b, b_prime]
    gparams = T.grad(cost, params)
    lr = np.asarray(learning_rate, dtype=dtype)
    return cost, [(p, p - lr * g) for p, g in zip(params, gparams)]


def train_set(n_rows, n_cols, dtype, seed=SEED + 1):
    return np.random.RandomState(seed).rand(n_rows, n_cols).astype(dtype)


class DenoisingAE(ModelWorkload):
    def __init__(self, n_visible=784, n_hidden=500, batch=20, corruption=0.3, lr=0.1,
                 name="dae"):
        self.n_visible, self.n_hidden, self.batch = n_visible, n_hidden, batch
        self.corruption, self.lr, self.name = corruption, lr, name
        self.label = f"dA {n_visible}-{n_hidden} b{batch} corrupt {corruption}"

    def flops(self):
        one = matmul_flops(self.batch, self.n_visible, self.n_hidden)
        return 5 * one  # encode, decode; backward: decode both operands, encode W only

    def args(self):
        return (1,)  # the minibatch index, as the tutorial's train_da(batch_index)

    def graph(self, api):
        th, T = api.th, api.T
        from theano.tensor.shared_randomstreams import RandomStreams  # theano flavours

        dt, bs = self.dtype, self.batch
        rng = np.random.RandomState(123)
        theano_rng = RandomStreams(rng.randint(2 ** 30))
        W0, bh0, bv0 = da_params(rng, self.n_visible, self.n_hidden, dt)
        W = th.shared(W0, name="W")
        b = th.shared(bh0, name="b")
        b_prime = th.shared(bv0, name="b_prime")
        train_x = th.shared(train_set(4 * bs, self.n_visible, dt), name="train_set_x")
        index = T.lscalar("index")
        x = T.matrix("x", dtype=dt)
        cost, updates = da_cost_updates(T, theano_rng, x, W, b, b_prime, self.corruption,
                                        self.lr, dt)
        return dict(inputs=[index], outputs=cost, updates=updates, shared=[W, b, b_prime],
                    kwargs=dict(givens={x: train_x[index * bs:(index + 1) * bs]}))
