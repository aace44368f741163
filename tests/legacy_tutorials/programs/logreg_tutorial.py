"""The Theano tutorial's logistic regression ("A Real Example"), written as legacy code.

numpy.random.seed(0) makes the data reproducible; [golden] lines dump exact values for
comparison with the output recorded under Theano 1.0.5 (tests/golden/seed1_*.out).
"""

import os

import numpy
import theano.tensor as T

import theano

numpy.random.seed(0)
rng = numpy.random
N = 400
feats = 784
D = (rng.randn(N, feats), rng.randint(size=N, low=0, high=2))
training_steps = int(os.environ.get("SEED1_STEPS", 10000))
x = T.dmatrix("x")
y = T.dvector("y")
w = theano.shared(rng.randn(feats), name="w")
b = theano.shared(0.0, name="b")
p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
prediction = p_1 > 0.5
xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
cost = xent.mean() + 0.01 * (w**2).sum()
gw, gb = T.grad(cost, [w, b])
train = theano.function(
    inputs=[x, y], outputs=[prediction, xent], updates=((w, w - 0.1 * gw), (b, b - 0.1 * gb))
)
predict = theano.function(inputs=[x], outputs=prediction)
for i in range(training_steps):
    pred, err = train(D[0], D[1])


def golden(label, v):
    a = numpy.asarray(v)
    print("[golden] %s dtype=%s shape=%s" % (label, a.dtype, a.shape))
    print(repr(a.tolist()))


golden("w_final", w.get_value())
golden("b_final", b.get_value())
golden("last_pred", pred)
golden("last_xent_sum", float(numpy.sum(err)))
golden("accuracy", float(numpy.mean(predict(D[0]) == D[1])))
