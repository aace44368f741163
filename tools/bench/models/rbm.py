"""Restricted Boltzmann machine trained with CD-k / PCD-k, one minibatch step
(DeepLearningTutorials' rbm.py style): 784-500 binary units, Gibbs chain h->v->h as a
`theano.scan` over k steps with the samples drawn from RandomStreams inside the step,
cost = free energy of the data minus free energy of the chain end, T.grad with
`consider_constant=[chain_end]`, SGD rate 0.1, minibatch 20 from a shared training set.

Default: the tutorial's persistent chain (PCD-15) with its pseudo-likelihood monitoring
cost (one visible bit flipped per call, the bit index a shared variable); persistent=False
gives CD-k with the reconstruction cross-entropy as the monitoring cost.
"""

from __future__ import annotations

import numpy as np

from .base import ModelWorkload, matmul_flops
from .dae import da_params, train_set


class RBM(ModelWorkload):
    def __init__(self, n_visible=784, n_hidden=500, batch=20, k=15, persistent=True,
                 lr=0.1, name="rbm"):
        self.n_visible, self.n_hidden, self.batch = n_visible, n_hidden, batch
        self.k, self.persistent, self.lr, self.name = k, persistent, lr, name
        kind = "PCD" if persistent else "CD"
        self.label = f"RBM {n_visible}-{n_hidden} b{batch} {kind}-{k} (scan)"

    def flops(self):
        one = matmul_flops(self.batch, self.n_visible, self.n_hidden)
        # k Gibbs steps of two products; free energy of data and chain end and their W
        # gradients (4); pseudo-likelihood: two more free energies (PCD) / none (CD:
        # the reconstruction reuses the chain's last pre-sigmoid)
        return (2 * self.k + 4 + (2 if self.persistent else 0)) * one

    def args(self):
        return (1,)

    def graph(self, api):
        th, T = api.th, api.T
        from theano.tensor.shared_randomstreams import RandomStreams  # theano flavours

        dt, bs, nv, nh = self.dtype, self.batch, self.n_visible, self.n_hidden
        numpy_rng = np.random.RandomState(123)
        theano_rng = RandomStreams(numpy_rng.randint(2 ** 30))
        W0, hb0, vb0 = da_params(numpy_rng, nv, nh, dt)
        W = th.shared(W0, name="W")
        hbias = th.shared(hb0, name="hbias")
        vbias = th.shared(vb0, name="vbias")
        params = [W, hbias, vbias]

        def free_energy(v_sample):
            wx_b = T.dot(v_sample, W) + hbias
            vbias_term = T.dot(v_sample, vbias)
            hidden_term = T.sum(T.log(1 + T.exp(wx_b)), axis=1)
            return -hidden_term - vbias_term

        def sample_h_given_v(v0_sample):
            pre_sigmoid_h1 = T.dot(v0_sample, W) + hbias
            h1_mean = T.nnet.sigmoid(pre_sigmoid_h1)
            h1_sample = theano_rng.binomial(size=h1_mean.shape, n=1, p=h1_mean, dtype=dt)
            return [pre_sigmoid_h1, h1_mean, h1_sample]

        def sample_v_given_h(h0_sample):
            pre_sigmoid_v1 = T.dot(h0_sample, W.T) + vbias
            v1_mean = T.nnet.sigmoid(pre_sigmoid_v1)
            v1_sample = theano_rng.binomial(size=v1_mean.shape, n=1, p=v1_mean, dtype=dt)
            return [pre_sigmoid_v1, v1_mean, v1_sample]

        def gibbs_hvh(h0_sample):
            pre_sigmoid_v1, v1_mean, v1_sample = sample_v_given_h(h0_sample)
            pre_sigmoid_h1, h1_mean, h1_sample = sample_h_given_v(v1_sample)
            return [pre_sigmoid_v1, v1_mean, v1_sample, pre_sigmoid_h1, h1_mean, h1_sample]

        train_x = th.shared(train_set(4 * bs, nv, dt), name="train_set_x")
        index = T.lscalar("index")
        x = T.matrix("x", dtype=dt)
        if self.persistent:
            chain = th.shared(np.zeros((bs, nh), dtype=dt), borrow=True, name="chain")
            chain_start = chain
        else:
            chain_start = sample_h_given_v(x)[2]
        (pre_nvs, nv_means, nv_samples, pre_nhs, nh_means, nh_samples), updates = th.scan(
            gibbs_hvh, outputs_info=[None, None, None, None, None, chain_start],
            n_steps=self.k, name="gibbs_hvh")
        chain_end = nv_samples[-1]
        cost = T.mean(free_energy(x)) - T.mean(free_energy(chain_end))
        gparams = T.grad(cost, params, consider_constant=[chain_end])
        lr = T.cast(self.lr, dtype=dt)
        for gparam, param in zip(gparams, params):
            updates[param] = param - gparam * lr
        if self.persistent:
            updates[chain] = nh_samples[-1]
            bit_i_idx = th.shared(value=0, name="bit_i_idx")
            xi = T.round(x)
            fe_xi = free_energy(xi)
            xi_flip = T.set_subtensor(xi[:, bit_i_idx], 1 - xi[:, bit_i_idx])
            fe_xi_flip = free_energy(xi_flip)
            monitoring = T.mean(nv * T.log(T.nnet.sigmoid(fe_xi_flip - fe_xi)))
            updates[bit_i_idx] = (bit_i_idx + 1) % nv
        else:
            pre = pre_nvs[-1]
            monitoring = T.mean(T.sum(x * T.log(T.nnet.sigmoid(pre))
                                      + (1 - x) * T.log(1 - T.nnet.sigmoid(pre)), axis=1))
        return dict(inputs=[index], outputs=monitoring, updates=list(updates.items()),
                    shared=params, kwargs=dict(givens={x: train_x[index * bs:(index + 1) * bs]}))
