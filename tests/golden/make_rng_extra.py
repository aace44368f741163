"""Record extra draws of Theano 1.0.5's random streams (complements spec/golden/make_rng.py).

Run under the original Theano, once per floatX, from /tmp:
    THEANO_FLAGS=floatX=float64 theano-ref make_rng_extra.py > rng_extra_floatX_float64.json
Each key holds the outputs of successive calls of one compiled function (dtype, shape,
values flattened in C order), or 'ERROR <exception>' when Theano refused the case.
"""
import json
import os
import sys

import numpy as np
import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.tensor.shared_randomstreams import RandomStreams

import theano

fx = theano.config.floatX
out = {"floatX": fx}


def enc(v):
    v = np.asarray(v)
    return {"dtype": str(v.dtype), "shape": list(v.shape), "data": v.ravel().tolist()}


def rec(key, build, calls=2, args=()):
    try:
        outputs = build()
        f = theano.function(list(args and args[0]), outputs)
        vals = []
        for _ in range(calls):
            res = f(*(args[1] if args else ()))
            vals.append([enc(r) for r in res] if isinstance(outputs, list) else enc(res))
        out[key] = vals
    except Exception as e:  # record what Theano refused
        out[key] = "ERROR " + type(e).__name__


# -- MRG_RandomStreams -------------------------------------------------------------------

# L'Ecuyer's reference layout: 12 streams (one uniform() call each, 2**134 apart), each
# with 7 substreams (2**72 apart), 5 draws per substream, seed 12345.
rng = MRG_RandomStreams(seed=12345)
samples = []
for _ in range(12):
    f = theano.function([], rng.uniform(size=(7,), nstreams=7, dtype="float64"))
    samples.append(np.array([f() for _ in range(5)]).T.ravel())
samples = np.concatenate(samples)
out["MRG_java_12_7_5"] = samples.tolist()
java = os.path.join(os.path.dirname(theano.sandbox.__file__), "samples_MRG31k3p_12_7_5.txt")
if os.path.exists(java):  # shipped with Theano 1.0.5 (output of L'Ecuyer's Java code)
    out["MRG_java_12_7_5_equals_lecuyer_file"] = bool(np.array_equal(samples, np.loadtxt(java)))

rec("MRG_truncated_normal", lambda: MRG_RandomStreams(9).truncated_normal((40,), avg=0.5, std=2.0))
rec("MRG_truncated_normal_f32",
    lambda: MRG_RandomStreams(9).truncated_normal((41,), dtype="float32"))
x = T.matrix("x")
xs = np.ones((3, 5), dtype=fx)
rec("MRG_normal_symbolic_shape", lambda: MRG_RandomStreams(4).normal(x.shape, avg=1.0, std=0.5),
    args=([x], [xs]))
rec("MRG_normal_int_size", lambda: MRG_RandomStreams(4).normal(7))
rec("MRG_normal_nstreams", lambda: [MRG_RandomStreams(4).normal((5,), nstreams=2),
                                    MRG_RandomStreams(5).normal((4, 3), nstreams=3)])
n = T.iscalar("n")
rec("MRG_uniform_symbolic_size", lambda: [MRG_RandomStreams(6).uniform(x.shape),
                                          MRG_RandomStreams(7).uniform((n, 3))],
    args=([x, n], [xs, 4]))
rec("MRG_uniform_nstreams", lambda: MRG_RandomStreams(6).uniform((10,), nstreams=4), calls=3)
lo, hi = theano.shared(np.float64(-0.3)), theano.shared(np.float64(0.45))
rec("MRG_uniform_shared_bounds", lambda: MRG_RandomStreams(6).uniform((6,), low=lo, high=hi))
rec("MRG_uniform_f32_bounds", lambda: MRG_RandomStreams(6).uniform((6,), low=-0.1, high=0.1,
                                                                  dtype="float32"))
pv = np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]], dtype=fx)
rec("MRG_multinomial_n3", lambda: MRG_RandomStreams(8).multinomial(pvals=pv, n=3))
p5 = np.array([[0.1, 0.2, 0.3, 0.15, 0.25], [0.05, 0.05, 0.6, 0.1, 0.2]], dtype=fx)
rec("MRG_choice_3of5", lambda: MRG_RandomStreams(8).choice(size=3, p=p5, replace=False), calls=3)
rec("MRG_seed_list6", lambda: MRG_RandomStreams([1, 2, 3, 4, 5, 6]).uniform((4,)))
rec("MRG_uniform_float16", lambda: MRG_RandomStreams(5).uniform((7,), dtype="float16"))
rec("MRG_binomial_p_f64", lambda: MRG_RandomStreams(5).binomial((12,), p=np.float64(0.37)))

s = MRG_RandomStreams(42)
s.uniform((3,))
s.normal((2,))
out["MRG_rstate_after_two_draws"] = s.rstate.tolist()
out["MRG_substreams_5"] = MRG_RandomStreams(42).get_substream_rstates(5, "float64").tolist()
s = MRG_RandomStreams(3)
s.inc_rstate()
rec("MRG_after_inc_rstate", lambda: s.uniform((3,)))


def reseed_then_new():
    s = MRG_RandomStreams(7)
    u = s.uniform((3,))
    s.seed(11)
    return [u, s.uniform((3,))]


rec("MRG_reseed_then_new", reseed_then_new)

# -- RandomStreams -----------------------------------------------------------------------

m = theano.shared(np.arange(12, dtype=fx).reshape(3, 4))


def shuffled():
    r = RandomStreams(8).shuffle_row_elements(m)
    return [r, r.permutation]


rec("RS_shuffle_row_elements", shuffled)
rec("RS_poisson", lambda: RandomStreams(8).poisson(size=(5,), lam=3.0))
rec("RS_permutation_size2", lambda: RandomStreams(8).permutation(size=(2,), n=5))
rec("RS_multinomial_2d_pvals",
    lambda: RandomStreams(8).multinomial(n=4, pvals=[[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]]))
rec("RS_multinomial_size", lambda: RandomStreams(8).multinomial(size=(2, 3), n=2,
                                                                pvals=[0.1, 0.2, 0.7]))
rec("RS_random_integers_vec", lambda: RandomStreams(8).random_integers(low=[0, 5, 10],
                                                                       high=[3, 9, 20]))
rec("RS_random_integers_bcast", lambda: RandomStreams(8).random_integers(
    size=(2, 3), low=np.array([[0], [10]]), high=20))
rec("RS_choice_noreplace", lambda: RandomStreams(8).choice(size=(3,), a=[10, 20, 30, 40],
                                                           replace=False))
rec("RS_choice_p", lambda: RandomStreams(8).choice(size=(6,), a=5, p=[0.1, 0.2, 0.3, 0.2, 0.2]))
rec("RS_normal_vec_avg", lambda: RandomStreams(8).normal(avg=np.array([0.0, 10.0, 100.0])))
rec("RS_uniform_minus1", lambda: RandomStreams(8).uniform(size=(2, -1), low=np.zeros(3)))
rec("RS_binomial_n5", lambda: RandomStreams(8).binomial(size=(4,), n=5, p=0.3))
rec("RS_uniform_bounds", lambda: RandomStreams(8).uniform(size=(2, 2), low=-0.1, high=0.1))
rec("RS_normal_symbolic", lambda: RandomStreams(8).normal(size=x.shape, std=2.0),
    args=([x], [xs]))

json.dump(out, sys.stdout, indent=0, sort_keys=True)
