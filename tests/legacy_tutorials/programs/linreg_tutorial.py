"""Per-sample SGD linear regression (the classic 1_linear_regression.py shape), legacy style."""

import numpy as np
import theano.tensor as T

import theano

np.random.seed(0)
train_X = np.linspace(-1, 1, 101)
train_Y = 2 * train_X + 1 + np.random.randn(*train_X.shape) * 0.33
X = T.scalar()
Y = T.scalar()
w = theano.shared(np.asarray(0.0, dtype=theano.config.floatX), name="w")
b = theano.shared(np.asarray(0.0, dtype=theano.config.floatX), name="b")
y_pred = X * w + b
cost = T.mean(T.sqr(y_pred - Y))
grads = T.grad(cost, [w, b])
lr = 0.01
updates = [(w, w - lr * grads[0]), (b, b - lr * grads[1])]
train_model = theano.function([X, Y], cost, updates=updates, allow_input_downcast=True)
for epoch in range(100):
    for x, y in zip(train_X, train_Y):
        c = train_model(x, y)
print(w.get_value(), b.get_value())


def golden(label, v):
    a = np.asarray(v)
    print("[golden] %s dtype=%s shape=%s" % (label, a.dtype, a.shape))
    print(repr(a.tolist()))


golden("w_final", w.get_value())
golden("b_final", b.get_value())
golden("last_cost", c)
