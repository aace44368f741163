"""LSTM sentiment classifier, one adadelta training call (DeepLearningTutorials' lstm.py
style): word embedding, one LSTM layer scanned over the time steps with masks, mean
pooling over the unmasked steps, softmax over two classes, negative log-likelihood.

Sizes of the issue: embedding 128 = hidden 128, minibatch 16, 100 time steps, vocabulary
10,000 (the tutorial's n_words), float64.  Synthetic data of fixed seeds: sequence lengths
between 50 and 100 (the first one 100, so the scan runs all 100 steps), word ids, labels.

Differences from the tutorial, on purpose: no dropout (the step stays deterministic and
comparable across implementations); uniform instead of orthogonal initialisation (the SVD
differs between the NumPy builds of the two Theanos); adadelta as ONE function (the
tutorial's f_grad_shared + f_update pair computes the same updates in two calls).

The hand-written NumPy version runs the same numbers: the embedding product of all steps
as one matrix product before the loop, the recurrent product and the gates per step
(forward, then backward through time), the weight gradients of the recurrent product as
one matrix product after the loop, np.add.at for the embedding's gradient, in-place
adadelta.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .base import SEED, ModelWorkload, glorot, matmul_flops


class LSTMSentiment(ModelWorkload):
    def __init__(self, dim=128, batch=16, steps=100, n_words=10000, ydim=2, name="lstm"):
        self.dim, self.batch, self.steps = dim, batch, steps
        self.n_words, self.ydim, self.name = n_words, ydim, name
        self.label = f"LSTM sentiment d{dim} b{batch} T{steps} adadelta"

    def flops(self):
        d, B, T = self.dim, self.batch, self.steps
        fwd = (matmul_flops(T * B, d, 4 * d)        # emb . lstm_W, all steps at once
               + T * matmul_flops(B, d, 4 * d)      # h_{t-1} . lstm_U per step
               + matmul_flops(B, d, self.ydim))     # classifier
        return 3 * fwd  # backward: the gradients of both operands of every product

    def args(self):
        rng = np.random.RandomState(SEED + 2)
        T, B = self.steps, self.batch
        lengths = rng.randint(T // 2, T + 1, size=B)
        lengths[0] = T
        x = rng.randint(1, self.n_words, size=(T, B)).astype("int64")
        mask = np.zeros((T, B), self.dtype)
        for i, n in enumerate(lengths):
            mask[:n, i] = 1.0
            x[n:, i] = 0
        y = rng.randint(0, self.ydim, size=B).astype("int64")
        return x, mask, y

    def _params(self):
        rng = np.random.RandomState(SEED)
        d, dt = self.dim, self.dtype
        p = OrderedDict()
        p["Wemb"] = (0.01 * rng.rand(self.n_words, d)).astype(dt)
        p["lstm_W"] = np.concatenate([glorot(rng, d, d, dt) for _ in range(4)], axis=1)
        p["lstm_U"] = np.concatenate([glorot(rng, d, d, dt) for _ in range(4)], axis=1)
        p["lstm_b"] = np.zeros(4 * d, dt)
        p["U"] = (0.01 * rng.randn(d, self.ydim)).astype(dt)
        p["b"] = np.zeros(self.ydim, dt)
        return p

    def graph(self, api):
        th, T = api.th, api.T
        dim, dt = self.dim, self.dtype
        tparams = OrderedDict((k, th.shared(v, name=k)) for k, v in self._params().items())

        x = T.matrix("x", dtype="int64")
        mask = T.matrix("mask", dtype=dt)
        y = T.vector("y", dtype="int64")
        n_timesteps, n_samples = x.shape[0], x.shape[1]
        emb = tparams["Wemb"][x.flatten()].reshape([n_timesteps, n_samples, dim])

        def _slice(_x, n):
            return _x[:, n * dim:(n + 1) * dim]

        def _step(m_, x_, h_, c_):
            preact = T.dot(h_, tparams["lstm_U"]) + x_
            i = T.nnet.sigmoid(_slice(preact, 0))
            f = T.nnet.sigmoid(_slice(preact, 1))
            o = T.nnet.sigmoid(_slice(preact, 2))
            c = T.tanh(_slice(preact, 3))
            c = f * c_ + i * c
            c = m_[:, None] * c + (1. - m_)[:, None] * c_
            h = o * T.tanh(c)
            h = m_[:, None] * h + (1. - m_)[:, None] * h_
            return h, c

        state_below = T.dot(emb, tparams["lstm_W"]) + tparams["lstm_b"]
        zero = T.alloc(np.asarray(0., dtype=dt), n_samples, dim)
        rval, _ = th.scan(_step, sequences=[mask, state_below], outputs_info=[zero, zero],
                          name="lstm_layers", n_steps=n_timesteps)
        proj = rval[0]
        proj = (proj * mask[:, :, None]).sum(axis=0) / mask.sum(axis=0)[:, None]
        pred = T.nnet.softmax(T.dot(proj, tparams["U"]) + tparams["b"])
        cost = -T.log(pred[T.arange(n_samples), y] + 1e-8).mean()
        params = list(tparams.values())
        grads = T.grad(cost, wrt=params)

        updates = []
        for p, g in zip(params, grads):  # adadelta (Zeiler 2012), rho 0.95, eps 1e-6
            zero_p = p.get_value() * 0.
            rg2 = th.shared(zero_p, name=f"{p.name}_rgrad2")
            ru2 = th.shared(zero_p.copy(), name=f"{p.name}_rup2")
            rg2_new = 0.95 * rg2 + 0.05 * (g ** 2)
            updir = -T.sqrt(ru2 + 1e-6) / T.sqrt(rg2_new + 1e-6) * g
            updates += [(rg2, rg2_new), (ru2, 0.95 * ru2 + 0.05 * (updir ** 2)),
                        (p, p + updir)]
        return dict(inputs=[x, mask, y], outputs=cost, updates=updates, shared=params)

    def hand(self):
        params = self._params()
        Wemb, W, U, b, U_out, b_out = params.values()
        plist = list(params.values())
        dt, d, B, T_ = self.dtype, self.dim, self.batch, self.steps
        TB = T_ * B
        rg2 = [np.zeros_like(p) for p in plist]
        ru2 = [np.zeros_like(p) for p in plist]
        gates = np.empty((T_, B, 4 * d), dt)     # x W + b, then i f o c~, then d preact
        gates2 = gates.reshape(TB, 4 * d)
        hs = np.zeros((T_ + 1, B, d), dt)        # hs[0] = h_0 = 0
        cs = np.zeros((T_ + 1, B, d), dt)        # cs[0] = c_0 = 0
        tc = np.empty((T_, B, d), dt)            # tanh(c_t)
        pre = np.empty((B, 4 * d), dt)
        tmp, tmp2, dh, dc, dc_new = (np.empty((B, d), dt) for _ in range(5))
        rows = np.arange(B)

        def step(x, mask, y):
            m, om = mask[:, :, None], (1.0 - mask)[:, :, None]
            emb = Wemb[x.reshape(-1)]                             # (T B, d)
            np.dot(emb, W, out=gates2)
            np.add(gates2, b, out=gates2)
            for t in range(T_):
                np.dot(hs[t], U, out=pre)
                np.add(pre, gates[t], out=pre)
                g = gates[t]
                np.negative(pre[:, :3 * d], out=g[:, :3 * d])    # i, f, o = sigmoid
                np.exp(g[:, :3 * d], out=g[:, :3 * d])
                np.add(g[:, :3 * d], 1.0, out=g[:, :3 * d])
                np.reciprocal(g[:, :3 * d], out=g[:, :3 * d])
                np.tanh(pre[:, 3 * d:], out=g[:, 3 * d:])         # c~
                i, f, o, cc = g[:, :d], g[:, d:2 * d], g[:, 2 * d:3 * d], g[:, 3 * d:]
                c = cs[t + 1]
                np.multiply(f, cs[t], out=c)
                np.multiply(i, cc, out=tmp)
                np.add(c, tmp, out=c)                             # c_new
                np.multiply(c, m[t], out=c)
                np.multiply(cs[t], om[t], out=tmp)
                np.add(c, tmp, out=c)                             # m c_new + (1-m) c_{t-1}
                np.tanh(c, out=tc[t])
                h = hs[t + 1]
                np.multiply(o, tc[t], out=h)
                np.multiply(h, m[t], out=h)
                np.multiply(hs[t], om[t], out=tmp)
                np.add(h, tmp, out=h)
            msum = mask.sum(axis=0)[:, None]
            proj = np.einsum("tbd,tb->bd", hs[1:], mask) / msum
            z = proj @ U_out + b_out
            z -= z.max(axis=1, keepdims=True)
            pred = np.exp(z)
            pred /= pred.sum(axis=1, keepdims=True)
            p_y = pred[rows, y]
            cost = -np.log(p_y + 1e-8).mean()
            # backward: softmax of the log-likelihood's selected entries
            dz = -pred
            dz[rows, y] += 1.0
            dz *= (-(1.0 / B) * p_y / (p_y + 1e-8))[:, None]
            g_Uout = proj.T @ dz
            g_bout = dz.sum(axis=0)
            dproj = (dz @ U_out.T) / msum
            dc.fill(0.0)                                          # d c_t from step t + 1
            dh.fill(0.0)                                          # d h_t from step t + 1
            for t in range(T_ - 1, -1, -1):
                g = gates[t]
                i, f, o, cc = g[:, :d], g[:, d:2 * d], g[:, 2 * d:3 * d], g[:, 3 * d:]
                np.multiply(dproj, m[t], out=tmp)
                np.add(dh, tmp, out=dh)                # d h_t
                np.multiply(dh, m[t], out=tmp)         # d h_new
                np.multiply(dh, om[t], out=dh)         # to h_{t-1}
                np.multiply(tc[t], tc[t], out=dc_new)  # d c_t += d h_new o (1 - tanh^2)
                np.subtract(1.0, dc_new, out=dc_new)
                np.multiply(dc_new, o, out=dc_new)
                np.multiply(dc_new, tmp, out=dc_new)
                np.add(dc, dc_new, out=dc)
                np.multiply(tmp, tc[t], out=tmp)       # d o
                np.multiply(dc, m[t], out=dc_new)      # d c_new
                np.multiply(dc, om[t], out=dc)         # to c_{t-1}
                # pre-activation gradients, written over the gates
                np.multiply(tmp, o, out=tmp)
                np.subtract(1.0, o, out=o)
                np.multiply(o, tmp, out=o)             # o: d o o (1 - o)
                np.multiply(dc_new, f, out=tmp)
                np.add(dc, tmp, out=dc)                # to c_{t-1} through f c_{t-1}
                np.multiply(dc_new, cs[t], out=tmp)
                np.multiply(tmp, f, out=tmp)
                np.subtract(1.0, f, out=f)
                np.multiply(f, tmp, out=f)             # f: d f f (1 - f)
                np.multiply(dc_new, cc, out=tmp)       # d i
                np.multiply(dc_new, i, out=tmp2)       # d c~
                np.multiply(tmp, i, out=tmp)
                np.subtract(1.0, i, out=i)
                np.multiply(i, tmp, out=i)             # i: d i i (1 - i)
                np.multiply(cc, cc, out=cc)
                np.subtract(1.0, cc, out=cc)
                np.multiply(cc, tmp2, out=cc)          # c~: d c~ (1 - c~^2)
                np.dot(g, U.T, out=tmp)
                np.add(dh, tmp, out=dh)                # to h_{t-1} through h U
            g_U = hs[:-1].reshape(TB, d).T @ gates2
            g_W = emb.T @ gates2
            g_b = gates2.sum(axis=0)
            g_Wemb = np.zeros_like(Wemb)
            np.add.at(g_Wemb, x.reshape(-1), gates2 @ W.T)
            for p, gr, r2, u2 in zip(plist, (g_Wemb, g_W, g_U, g_b, g_Uout, g_bout), rg2,
                                     ru2):
                r2 *= 0.95                             # adadelta, as the graph
                r2 += 0.05 * (gr * gr)
                upd = np.sqrt(u2 + 1e-6)
                upd /= np.sqrt(r2 + 1e-6)
                upd *= gr
                np.negative(upd, out=upd)
                u2 *= 0.95
                u2 += 0.05 * (upd * upd)
                p += upd
            return np.asarray(cost)

        return step, lambda: plist
