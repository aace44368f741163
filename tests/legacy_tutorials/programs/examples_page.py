"""The tutorial's "More Examples" page (logistic function, RandomStreams), legacy style."""

import numpy
import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams
from theano.tensor.shared_randomstreams import RandomStreams

import theano
from theano import function


def golden(label, v):
    a = numpy.asarray(v)
    print("[golden] %s dtype=%s shape=%s" % (label, a.dtype, a.shape))
    print(repr(a.tolist()))


x = T.dmatrix("x")
s = 1 / (1 + T.exp(-x))
logistic = theano.function([x], s)
golden("logistic", logistic([[0, 1], [-1, -2]]))
s2 = (1 + T.tanh(x / 2)) / 2
logistic2 = theano.function([x], s2)
golden("logistic2", logistic2([[0, 1], [-1, -2]]))

srng = RandomStreams(seed=234)
rv_u = srng.uniform((2, 2))
rv_n = srng.normal((2, 2))
f = function([], rv_u)
g = function([], rv_n, no_default_updates=True)
nearly_zeros = function([], rv_u + rv_u - 2 * rv_u)
golden("rs_f_val0", f())
golden("rs_f_val1", f())
golden("rs_g_val0", g())
golden("rs_g_val1", g())
golden("rs_nearly_zeros", nearly_zeros())
rng_val = rv_u.rng.get_value(borrow=True)
rng_val.seed(89234)
rv_u.rng.set_value(rng_val, borrow=True)
golden("rs_f_after_seed89234", f())
srng.seed(902340)
golden("rs_f_after_srng_seed902340", f())
golden("rs_g_after_srng_seed902340", g())
state_after_v0 = rv_u.rng.get_value().get_state()
nearly_zeros()
v1 = f()
rng = rv_u.rng.get_value(borrow=True)
rng.set_state(state_after_v0)
rv_u.rng.set_value(rng, borrow=True)
v2 = f()
v3 = f()
golden("rs_v1", v1)
golden("rs_v2", v2)
golden("rs_v3", v3)


class Graph:
    def __init__(self, seed=123):
        self.rng = RandomStreams(seed)
        self.y = self.rng.uniform(size=(1,))


g1 = Graph(seed=123)
f1 = theano.function([], g1.y)
g2 = Graph(seed=987)
f2 = theano.function([], g2.y)
f1(), f2()


def copy_random_state(g1, g2):
    if isinstance(g1.rng, MRG_RandomStreams):
        g2.rng.rstate = g1.rng.rstate
    for su1, su2 in zip(g1.rng.state_updates, g2.rng.state_updates):
        su2[0].set_value(su1[0].get_value())


copy_random_state(g1, g2)
golden("rs_graph_f1_after_copy", f1())
golden("rs_graph_f2_after_copy", f2())
