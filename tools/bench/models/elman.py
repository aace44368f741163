"""Elman RNN trained by backpropagation through time, one SGD step: the recurrence
h_t = tanh(x_t W_in + h_{t-1} W_rec + b_h), y_t = h_t W_out + b_out as a `theano.scan`
over the sequence (h_0 = 0), squared error against targets summed over the outputs and
averaged over steps and sequences, `T.grad` through the scan, SGD rate 0.01.

Sizes: 100 steps, input 50, hidden 100, output 10, 16 sequences per minibatch, float64.

The hand-written NumPy BPTT computes the same numbers: the input and output products
of all steps as single matrix products outside the loop, only the recurrent product in
the loops (forward and backward), buffers preallocated once, in-place SGD.
"""

from __future__ import annotations

import numpy as np

from .base import SEED, ModelWorkload, glorot, matmul_flops


class ElmanRNN(ModelWorkload):
    def __init__(self, steps=100, n_in=50, n_hidden=100, n_out=10, batch=16, lr=0.01,
                 name="elman"):
        self.steps, self.n_in, self.n_hidden, self.n_out = steps, n_in, n_hidden, n_out
        self.batch, self.lr, self.name = batch, lr, name
        self.label = f"Elman RNN BPTT T{steps} {n_in}-{n_hidden}-{n_out} b{batch}"

    def flops(self):
        TB, i, h, o = self.steps * self.batch, self.n_in, self.n_hidden, self.n_out
        # forward: input, recurrent and output products; backward: W_in's gradient, and
        # both operands' gradients of the recurrent and output products
        return 2 * matmul_flops(TB, i, h) + 3 * matmul_flops(TB, h, h) + \
            3 * matmul_flops(TB, h, o)

    def args(self):
        rng = np.random.RandomState(SEED + 4)
        x = rng.randn(self.steps, self.batch, self.n_in).astype(self.dtype)
        t = rng.randn(self.steps, self.batch, self.n_out).astype(self.dtype)
        return x, t

    def _params(self):
        rng = np.random.RandomState(SEED)
        dt, i, h, o = self.dtype, self.n_in, self.n_hidden, self.n_out
        return [glorot(rng, i, h, dt), glorot(rng, h, h, dt, scale=0.5), np.zeros(h, dt),
                glorot(rng, h, o, dt), np.zeros(o, dt)]

    def graph(self, api):
        th, T = api.th, api.T
        dt = self.dtype
        names = ("W_in", "W_rec", "b_h", "W_out", "b_out")
        params = [th.shared(v, name=n) for v, n in zip(self._params(), names)]
        W_in, W_rec, b_h, W_out, b_out = params
        x = T.tensor3("x", dtype=dt)
        t = T.tensor3("t", dtype=dt)

        def step(x_t, h_tm1, W_in, W_rec, b_h, W_out, b_out):
            h_t = T.tanh(T.dot(x_t, W_in) + T.dot(h_tm1, W_rec) + b_h)
            y_t = T.dot(h_t, W_out) + b_out
            return [h_t, y_t]

        h0 = T.alloc(np.asarray(0., dtype=dt), x.shape[1], self.n_hidden)
        [h, y], _ = th.scan(step, sequences=x, outputs_info=[h0, None],
                            non_sequences=params, name="elman")
        cost = T.mean(T.sum((y - t) ** 2, axis=2))
        grads = T.grad(cost, params)
        lr = np.asarray(self.lr, dtype=dt)
        return dict(inputs=[x, t], outputs=cost,
                    updates=[(p, p - lr * g) for p, g in zip(params, grads)], shared=params)

    def hand(self):
        params = self._params()
        W_in, W_rec, b_h, W_out, b_out = params
        T_, B, H, dt = self.steps, self.batch, self.n_hidden, self.dtype
        TB = T_ * B
        hs = np.zeros((T_ + 1, B, H), dt)      # hs[0] = h_0 = 0, hs[t + 1] = h_t
        h2 = hs[1:].reshape(TB, H)
        hprev2 = hs[:-1].reshape(TB, H)
        pre = np.empty((T_, B, H), dt)         # input product + bias, then d cost / d a
        pre2 = pre.reshape(TB, H)
        y = np.empty((TB, self.n_out), dt)
        dh_out = np.empty((TB, H), dt)
        dh = np.empty((B, H), dt)
        carry = np.zeros((B, H), dt)
        gW_in, gW_rec, gW_out = (np.empty_like(W_in), np.empty_like(W_rec),
                                 np.empty_like(W_out))
        scale = 1.0 / TB

        def step(x, t):
            # forward
            np.dot(x.reshape(TB, -1), W_in, out=pre2)
            np.add(pre2, b_h, out=pre2)
            for k in range(T_):
                np.dot(hs[k], W_rec, out=dh)
                np.add(dh, pre[k], out=dh)
                np.tanh(dh, out=hs[k + 1])
            np.dot(h2, W_out, out=y)
            np.add(y, b_out, out=y)
            np.subtract(y, t.reshape(TB, -1), out=y)
            cost = np.einsum("ij,ij->", y, y) * scale
            # backward
            np.multiply(y, 2.0 * scale, out=y)           # d cost / d y
            np.dot(h2.T, y, out=gW_out)
            gb_out = y.sum(axis=0)
            np.dot(y, W_out.T, out=dh_out)
            dh_out3 = dh_out.reshape(T_, B, H)
            carry.fill(0.0)
            for k in range(T_ - 1, -1, -1):
                np.add(dh_out3[k], carry, out=dh)
                a = pre[k]                               # reused for d cost / d a_k
                np.multiply(hs[k + 1], hs[k + 1], out=a)
                np.subtract(1.0, a, out=a)
                np.multiply(a, dh, out=a)
                np.dot(a, W_rec.T, out=carry)
            np.dot(hprev2.T, pre2, out=gW_rec)
            np.dot(x.reshape(TB, -1).T, pre2, out=gW_in)
            gb_h = pre2.sum(axis=0)
            for p, g in ((W_in, gW_in), (W_rec, gW_rec), (b_h, gb_h), (W_out, gW_out),
                         (b_out, gb_out)):
                g *= self.lr
                p -= g
            return np.asarray(cost)

        return step, lambda: params
