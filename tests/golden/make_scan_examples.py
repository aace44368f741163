"""Record Theano 1.0.5's results for the scan cases of tests/unit/scan/test_examples.py
whose values NumPy alone cannot give: random draws made inside scan steps (RandomStreams
and MRG_RandomStreams), an RBM CD-k training step built on them, Theano's truncated
back-propagation through time, and the exception types of the classic scan traps.

Run under the original Theano, from outside the repository ($REPO: this checkout):
    cd "$(mktemp -d)" && $REPO/../shared/tools/theano-ref $REPO/tests/golden/make_scan_examples.py
It writes scan_examples.theano105.json next to this script.  The test loads this module and
runs the same graph-building code (`scenarios`) under theano_compat, then compares.
"""

import json
import os
import sys

import numpy as np


def encode(value):
    """Plain JSON data for an array: dtype, shape and the values in C order."""
    value = np.asarray(value)
    return {"dtype": str(value.dtype), "shape": list(value.shape),
            "data": value.ravel().tolist()}


def build_rbm(theano, T, streams, W0, hbias0, vbias0, k, lr):
    """A binary RBM trained by contrastive divergence CD-k, laid out as the
    DeepLearningTutorials' rbm.py does: a Gibbs chain h -> v -> h run by scan, whose
    update dict the caller extends with the parameter updates, and a free-energy cost
    differentiated with the chain's end held constant.

    Returns (x, params, outputs, updates): `outputs` lists the monitoring cost (the
    reconstruction cross-entropy), the chain start and every sample and mean of the chain.
    """
    fx = theano.config.floatX
    W = theano.shared(np.asarray(W0, dtype=fx), name="W")
    hbias = theano.shared(np.asarray(hbias0, dtype=fx), name="hbias")
    vbias = theano.shared(np.asarray(vbias0, dtype=fx), name="vbias")
    params = [W, hbias, vbias]
    x = T.matrix("x")

    def hidden_given_visible(v):
        pre = T.dot(v, W) + hbias
        mean = T.nnet.sigmoid(pre)
        return pre, mean, streams.binomial(size=mean.shape, n=1, p=mean, dtype=fx)

    def visible_given_hidden(h):
        pre = T.dot(h, W.T) + vbias
        mean = T.nnet.sigmoid(pre)
        return pre, mean, streams.binomial(size=mean.shape, n=1, p=mean, dtype=fx)

    def gibbs_hvh(h_sample):
        pre_v, v_mean, v_sample = visible_given_hidden(h_sample)
        pre_h, h_mean, h_sample_next = hidden_given_visible(v_sample)
        return [pre_v, v_mean, v_sample, pre_h, h_mean, h_sample_next]

    def free_energy(v):
        return -T.log(1 + T.exp(T.dot(v, W) + hbias)).sum(axis=1) - T.dot(v, vbias)

    _, _, chain_start = hidden_given_visible(x)
    (pre_vs, v_means, v_samples, _, h_means, h_samples), updates = theano.scan(
        gibbs_hvh, outputs_info=[None, None, None, None, None, chain_start],
        n_steps=k, name="gibbs_hvh")
    chain_end = v_samples[-1]
    cost = T.mean(free_energy(x)) - T.mean(free_energy(chain_end))
    grads = T.grad(cost, params, consider_constant=[chain_end])
    for param, grad in zip(params, grads):
        updates[param] = param - grad * T.cast(lr, dtype=fx)
    recon = T.nnet.sigmoid(pre_vs[-1])
    monitoring = T.mean(T.sum(x * T.log(recon) + (1 - x) * T.log(1 - recon), axis=1))
    outputs = [monitoring, chain_start, v_means, v_samples, h_means, h_samples]
    return x, params, outputs, updates


def rbm_data(seed=3, n=6, n_visible=5, n_hidden=4):
    """Binary data and initial parameters for the RBM cases."""
    rng = np.random.RandomState(seed)
    data = (rng.uniform(size=(n, n_visible)) < 0.5).astype("float64")
    W0 = rng.uniform(-0.6, 0.6, size=(n_visible, n_hidden))
    return data, W0, 0.1 * rng.randn(n_hidden), 0.1 * rng.randn(n_visible)


def scenarios(theano, T, RandomStreams, MRG_RandomStreams):
    """name -> thunk returning plain data; the same code runs under both libraries."""

    def calls(f, args, n):
        out = []
        for _ in range(n):
            res = f(*args)
            out.append([encode(r) for r in res] if isinstance(res, list) else encode(res))
        return out

    def tutorial_noise_outside_step():
        # The loop tutorial's example: the binomial draw is built outside the step, yet
        # Theano redraws it at every step (scan takes the whole graph between the step's
        # outputs and their shared/non-sequence leaves into the loop, the random state
        # included).
        X, W, b = T.matrix("X"), T.matrix("W"), T.vector("b_sym")
        trng = RandomStreams(1234)
        d = trng.binomial(size=W[1].shape)
        results, updates = theano.scan(lambda v: T.tanh(T.dot(v, W) + b) * d, sequences=X)
        f = theano.function([X, W, b], results, updates=updates, allow_input_downcast=True)
        return calls(f, (np.eye(10, 2), np.ones((2, 2)), np.ones(2)), 3)

    def binomial_in_step(streams_cls):
        # A fresh mask at every step: the stream's state is a scan state whose final value
        # comes back in the updates.
        X, W, b = T.matrix("X"), T.matrix("W"), T.vector("b_sym")
        trng = streams_cls(1234)
        results, updates = theano.scan(
            lambda v: T.tanh(T.dot(v, W) + b) * trng.binomial(size=b.shape, p=0.6),
            sequences=X)
        f = theano.function([X, W, b], results, updates=updates, allow_input_downcast=True)
        xv = np.arange(12.0).reshape(4, 3) / 10.0
        return {"n_updates": len(updates),
                "calls": calls(f, (xv, np.ones((3, 5)) * 0.3, np.linspace(-1, 1, 5)), 3)}

    def draws_without_sequences(streams_cls):
        trng = streams_cls(1234)
        n = T.iscalar("n")
        draws, updates = theano.scan(
            lambda: [trng.binomial(size=(4,), n=1, p=0.3), trng.uniform(size=(2,))],
            n_steps=n)
        f = theano.function([n], draws, updates=updates)
        return calls(f, (5,), 2) + calls(f, (2,), 1)

    def mrg_sigmoid_probabilities():
        # p depends on the step's input; the draw's size is symbolic.
        X, W = T.matrix("X"), T.matrix("W")
        mrg = MRG_RandomStreams(1234)

        def step(v):
            p = T.nnet.sigmoid(T.dot(v, W))
            return mrg.binomial(size=p.shape, n=1, p=p, dtype=theano.config.floatX)

        results, updates = theano.scan(step, sequences=X)
        f = theano.function([X, W], results, updates=updates, allow_input_downcast=True)
        rng = np.random.RandomState(1)
        return calls(f, (rng.randn(6, 3), rng.randn(3, 8)), 2)

    def mrg_random_walk():
        # Noise feeding a recurrent state: x_t = 0.9 x_{t-1} + normal noise.
        mrg = MRG_RandomStreams(1234)
        x0 = T.vector("x0")
        walk, updates = theano.scan(lambda prev: 0.9 * prev + mrg.normal(size=(3,)),
                                    outputs_info=x0, n_steps=6)
        f = theano.function([x0], walk, updates=updates, allow_input_downcast=True)
        return calls(f, (np.array([1.0, -2.0, 0.5]),), 2)

    def rbm(streams_cls, k, floatx):
        with theano.change_flags(floatX=floatx):
            data, W0, hb0, vb0 = rbm_data()
            x, params, outputs, updates = build_rbm(
                theano, T, streams_cls(1234), W0, hb0, vb0, k=k, lr=0.1)
            train = theano.function([x], outputs, updates=updates,
                                    allow_input_downcast=True)
            result = []
            for _ in range(2):
                res = [encode(r) for r in train(data)]
                result.append({"outputs": res,
                               "params": [encode(p.get_value()) for p in params]})
            return result

    def truncated_bptt():
        # Theano's truncate_gradient=k runs the backward scan over the last k steps only.
        x, h0 = T.dmatrix("x"), T.dvector("h0")
        W, U, w = T.dmatrix("W"), T.dmatrix("U"), T.dmatrix("w")
        h, _ = theano.scan(lambda xt, hp, W, U: T.tanh(T.dot(xt, U) + T.dot(hp, W)),
                           sequences=x, outputs_info=h0, non_sequences=[W, U],
                           truncate_gradient=3)
        f = theano.function([x, h0, W, U, w], T.grad((h * w).sum(), [x, h0, W, U]))
        rng = np.random.RandomState(0)
        values = (rng.randn(6, 2), 0.5 * rng.randn(3), 0.5 * rng.randn(3, 3),
                  0.5 * rng.randn(2, 3), rng.randn(6, 3))
        return [encode(g) for g in f(*values)]

    def error_type(build):
        try:
            build()
        except Exception as e:  # noqa: BLE001 -- record whichever type Theano raised
            return type(e).__name__
        return "no error"

    a = T.dvector("a")
    shared_b = theano.shared(np.ones(3), name="shared_b")
    return {
        "tutorial_noise_outside_step": tutorial_noise_outside_step,
        "rs_binomial_in_step": lambda: binomial_in_step(RandomStreams),
        "mrg_binomial_in_step": lambda: binomial_in_step(MRG_RandomStreams),
        "rs_draws_n_steps": lambda: draws_without_sequences(RandomStreams),
        "mrg_draws_n_steps": lambda: draws_without_sequences(MRG_RandomStreams),
        "mrg_sigmoid_probabilities": mrg_sigmoid_probabilities,
        "mrg_random_walk": mrg_random_walk,
        "rbm_cd2_mrg_float64": lambda: rbm(MRG_RandomStreams, 2, "float64"),
        "rbm_cd2_mrg_float32": lambda: rbm(MRG_RandomStreams, 2, "float32"),
        "rbm_cd3_randomstreams_float64": lambda: rbm(RandomStreams, 3, "float64"),
        "truncated_bptt": truncated_bptt,
        "error_strict_shared_not_passed": lambda: error_type(
            lambda: theano.scan(lambda xt: xt * shared_b, sequences=a, strict=True)),
        "error_outputs_info_dtype": lambda: error_type(
            lambda: theano.scan(lambda xt, hp: hp + xt, sequences=a,
                                outputs_info=T.fscalar("h_init"))),
        "error_outputs_info_ndim": lambda: error_type(
            lambda: theano.scan(lambda xt, hp: T.outer(xt, hp), sequences=T.dmatrix("m"),
                                outputs_info=T.dvector("h_init"))),
    }


if __name__ == "__main__":
    import theano.tensor as T
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    from theano.tensor.shared_randomstreams import RandomStreams

    import theano

    results = {name: thunk() for name, thunk in
               scenarios(theano, T, RandomStreams, MRG_RandomStreams).items()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "scan_examples.theano105.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=0, sort_keys=True)
    sys.stdout.write(f"wrote {path}\n")
