"""The benchmark workloads of `run_all.py`: each as a graph and as hand-written NumPy.

This module imports nothing from the project, so that the same graph code runs under this
project (`import theano` from the repository), under the original Theano 1.0.5 (through
`shared/tools/theano-ref`, NumPy 1.23) and under PyTensor (in its own venv).  A
`GraphAPI` hides the few spelling differences between them (PyTensor has no `T.nnet`).

Every workload has:
  * `args()`   the call arguments, from a fixed seed, of the types the tutorials pass;
  * `graph(api)` symbolic inputs, outputs, updates and the shared variables (its state);
  * `hand()`   a hand-written NumPy step computing the same numbers, written as a NumPy
    expert would: temporaries preallocated once and reused with `out=`, in-place updates,
    but each returned output a fresh array (a compiled function's outputs don't alias its
    internal buffers either, so the caller may keep them), plus a function that returns
    its state (the parameter values) for the agreement check.
"""

from __future__ import annotations

import numpy as np

# Per-workload fixed seeds keep every implementation on identical data and initial state.
SEED = 0


class GraphAPI:
    """The symbolic front end of one framework: `theano` (ours or the original) or PyTensor.

    `mode` is passed to `function` (None: the framework's default).
    """

    def __init__(self, flavor, mode=None):
        self.flavor = flavor
        if flavor == "pytensor":
            import pytensor as th
            import pytensor.tensor as T
            from pytensor.tensor.special import softmax

            self._softmax = lambda z: softmax(z, axis=-1)
            self._xent = None
        else:
            import theano as th
            import theano.tensor as T

            self._softmax = T.nnet.softmax
            self._xent = T.nnet.categorical_crossentropy
        self.th, self.T, self.mode = th, T, mode

    def softmax(self, z):
        return self._softmax(z)

    def categorical_crossentropy(self, p, y):
        """Cross-entropy against integer labels: Theano's `T.nnet` op where it exists, else
        the same quantity written as indexing (PyTensor removed `nnet`)."""
        if self._xent is not None:
            return self._xent(p, y)
        T = self.T
        return -T.log(p[T.arange(y.shape[0]), y])

    def function(self, inputs, outputs, updates=(), **kwargs):
        if self.mode is not None:
            kwargs["mode"] = self.mode
        return self.th.function(inputs, outputs, updates=list(updates), **kwargs)


class Workload:
    """One benchmark: a name, a label for the table and the three views described above."""

    name = ""
    label = ""

    def args(self):
        return ()

    def graph(self, api):
        raise NotImplementedError

    def hand(self):
        raise NotImplementedError


class Seed1LogReg(Workload):
    """Seed 1 (Theano tutorial logistic regression), one training step on 400x784 float64.

    The labels are passed as the tutorial passes them: int64 from `randint` into a dvector.
    The hand version uses the stable form softplus(z) - y*z of the cross-entropy (the naive
    formula gives inf/NaN on this data, since |x.w| reaches ~80 with random w) and the
    analytic gradient x.T @ (p - y) / N + 0.02 w.
    """

    name = "seed1"
    label = "seed-1 logreg step 400x784 f64"
    N, feats = 400, 784

    def _data(self):
        rng = np.random.RandomState(SEED)
        D = (rng.randn(self.N, self.feats), rng.randint(size=self.N, low=0, high=2))
        return D, rng.randn(self.feats)

    def args(self):
        return self._data()[0]

    def graph(self, api):
        th, T = api.th, api.T
        w0 = self._data()[1]
        x, y = T.dmatrix("x"), T.dvector("y")
        w = th.shared(w0, name="w")
        b = th.shared(0.0, name="b")
        p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
        prediction = p_1 > 0.5
        xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
        cost = xent.mean() + 0.01 * (w ** 2).sum()
        gw, gb = T.grad(cost, [w, b])
        return dict(inputs=[x, y], outputs=[prediction, xent],
                    updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)], shared=[w, b])

    def hand(self):
        w = self._data()[1].copy()
        b = np.zeros(())
        n = self.N
        z = np.empty(n)
        p = np.empty(n)
        gw = np.empty(self.feats)

        def step(x, y):
            # (closure buffers are updated through out=; `buf += ...` would rebind a local)
            np.dot(x, w, out=z)
            np.add(z, b, out=z)
            np.negative(z, out=p)
            np.exp(p, out=p)
            np.add(p, 1.0, out=p)
            np.reciprocal(p, out=p)              # p = sigmoid(z)
            prediction = p > 0.5
            xent = np.logaddexp(0.0, z)          # softplus(z)
            xent -= y * z                        # y*softplus(-z) + (1-y)*softplus(z)
            np.subtract(p, y, out=p)
            np.multiply(p, 1.0 / n, out=p)       # d cost / d z
            np.dot(x.T, p, out=gw)
            gb = p.sum()
            np.add(gw, 0.02 * w, out=gw)
            np.multiply(gw, 0.1, out=gw)
            np.subtract(w, gw, out=w)
            b[...] = b - 0.1 * gb
            return prediction, xent

        return step, lambda: [w, b]


class Seed2LinReg(Workload):
    """Seed 2 (scalar linear regression), one per-sample SGD call.

    Called as the tutorial calls it: with the NumPy float64 scalars that
    `zip(train_X, train_Y)` yields (a subclass of Python float), into `T.scalar()` inputs
    with `allow_input_downcast=True`.
    """

    name = "seed2"
    label = "seed-2 per-sample SGD call"

    def args(self):
        rng = np.random.RandomState(SEED)
        train_X = np.linspace(-1, 1, 101)
        train_Y = 2 * train_X + 1 + rng.randn(*train_X.shape) * 0.33
        return train_X[7], train_Y[7]

    def graph(self, api):
        th, T = api.th, api.T
        X, Y = T.scalar(), T.scalar()
        w = th.shared(np.asarray(0.0, dtype="float64"), name="w")
        b = th.shared(np.asarray(0.0, dtype="float64"), name="b")
        y_pred = X * w + b
        cost = T.mean(T.sqr(y_pred - Y))
        gw, gb = T.grad(cost, [w, b])
        lr = 0.01
        return dict(inputs=[X, Y], outputs=cost,
                    updates=[(w, w - lr * gw), (b, b - lr * gb)], shared=[w, b],
                    kwargs=dict(allow_input_downcast=True))

    def hand(self):
        state = [np.float64(0.0), np.float64(0.0)]

        def step(x, y):
            w, b = state
            err = x * w + b - y
            g = 2.0 * err                        # d cost / d y_pred
            state[0] = w - 0.01 * (g * x)
            state[1] = b - 0.01 * g
            return err * err

        return step, lambda: list(state)


class XPlus1(Workload):
    """`f(x) = x + 1` on a dscalar, called with a Python float; hand: `np.add(x, 1.0)`."""

    name = "x_plus_1"
    label = "f(x) = x + 1, scalar"

    def args(self):
        return (1.5,)

    def graph(self, api):
        x = api.T.dscalar("x")
        return dict(inputs=[x], outputs=x + 1, updates=[], shared=[])

    def hand(self):
        def step(x):
            return np.add(x, 1.0)

        return step, lambda: []


class MLP(Workload):
    """MLP 784-500-10 (tanh hidden, softmax output), categorical cross-entropy with int32
    labels, one SGD step (lr 0.01) on a minibatch of 128, float64 (Theano's default
    floatX, as the issue's other anchors).  Output: the mean cost."""

    name = "mlp"
    label = "MLP 784-500-10 batch-128 step f64"
    n_in, n_hid, n_out, batch, lr = 784, 500, 10, 128, 0.01

    def args(self):
        rng = np.random.RandomState(SEED + 1)
        x = rng.rand(self.batch, self.n_in)
        y = rng.randint(0, self.n_out, size=self.batch).astype("int32")
        return x, y

    def _params(self):
        rng = np.random.RandomState(SEED)
        a1 = np.sqrt(6.0 / (self.n_in + self.n_hid))
        a2 = np.sqrt(6.0 / (self.n_hid + self.n_out))
        return [rng.uniform(-a1, a1, (self.n_in, self.n_hid)), np.zeros(self.n_hid),
                rng.uniform(-a2, a2, (self.n_hid, self.n_out)), np.zeros(self.n_out)]

    def graph(self, api):
        th, T = api.th, api.T
        params = [th.shared(v, name=nm) for v, nm in zip(self._params(),
                                                        ("W1", "b1", "W2", "b2"))]
        W1, b1, W2, b2 = params
        x, y = T.dmatrix("x"), T.ivector("y")
        h = T.tanh(T.dot(x, W1) + b1)
        p = api.softmax(T.dot(h, W2) + b2)
        cost = api.categorical_crossentropy(p, y).mean()
        grads = T.grad(cost, params)
        return dict(inputs=[x, y], outputs=cost,
                    updates=[(v, v - self.lr * g) for v, g in zip(params, grads)],
                    shared=params)

    def hand(self):
        W1, b1, W2, b2 = self._params()
        n, lr = self.batch, self.lr
        rows = np.arange(n)
        h = np.empty((n, self.n_hid))
        dh = np.empty((n, self.n_hid))
        z = np.empty((n, self.n_out))
        gW1 = np.empty_like(W1)
        gW2 = np.empty_like(W2)

        def step(x, y):
            # (closure buffers are updated through out=; `buf += ...` would rebind a local)
            np.dot(x, W1, out=h)
            np.add(h, b1, out=h)
            np.tanh(h, out=h)
            np.dot(h, W2, out=z)
            np.add(z, b2, out=z)
            np.subtract(z, z.max(axis=1, keepdims=True), out=z)
            np.exp(z, out=z)
            np.divide(z, z.sum(axis=1, keepdims=True), out=z)   # z = softmax
            cost = -np.log(z[rows, y]).mean()
            z[rows, y] -= 1.0
            np.multiply(z, 1.0 / n, out=z)       # d cost / d logits
            np.dot(h.T, z, out=gW2)
            gb2 = z.sum(axis=0)
            np.dot(z, W2.T, out=dh)
            np.multiply(h, h, out=h)
            np.subtract(1.0, h, out=h)
            np.multiply(dh, h, out=dh)           # back through tanh
            np.dot(x.T, dh, out=gW1)
            gb1 = dh.sum(axis=0)
            for param, g in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2)):
                np.multiply(g, lr, out=g)
                np.subtract(param, g, out=param)
            return cost

        return step, lambda: [W1, b1, W2, b2]


class Elemwise3(Workload):
    """`exp(x * y + z)` (three elementwise ops) on float64 vectors of `size` elements."""

    def __init__(self, size, tag):
        self.size = size
        self.name = f"elemwise_{tag}"
        self.label = f"exp(x*y+z), {tag} floats"

    def args(self):
        rng = np.random.RandomState(SEED)
        return tuple(rng.randn(self.size) * 0.5 for _ in range(3))

    def graph(self, api):
        T = api.T
        x, y, z = T.dvector("x"), T.dvector("y"), T.dvector("z")
        return dict(inputs=[x, y, z], outputs=T.exp(x * y + z), updates=[], shared=[])

    def hand(self):
        def step(x, y, z):
            out = np.multiply(x, y)
            out += z
            np.exp(out, out=out)
            return out

        return step, lambda: []


class NoInput(Workload):
    """A function with no inputs: a shared float64 vector of 16 elements, plus one."""

    name = "no_input"
    label = "no inputs: shared(16) + 1"

    def _value(self):
        return np.random.RandomState(SEED).randn(16)

    def graph(self, api):
        s = api.th.shared(self._value(), name="s")
        return dict(inputs=[], outputs=s + 1, updates=[], shared=[s])

    def hand(self):
        s = self._value()

        def step():
            return s + 1.0

        return step, lambda: [s]


WORKLOADS = {w.name: w for w in (
    Seed1LogReg(), Seed2LinReg(), XPlus1(), MLP(), Elemwise3(16, "16"),
    Elemwise3(10 ** 6, "10^6"), NoInput())}


class Prepared:
    """A workload made ready to call for one implementation.

    `fn(*args)` is one step; `state()` the parameter values; `compile_s` the time of
    `function(...)` (0 for hand NumPy).
    """

    def __init__(self, workload, impl, mode=None):
        import time

        self.workload = workload
        self.args = tuple(workload.args())
        if impl == "numpy":
            t0 = time.perf_counter()
            self.fn, self.state = workload.hand()
            self.compile_s = time.perf_counter() - t0
            return
        api = GraphAPI("pytensor" if impl == "pytensor" else "theano", mode)
        spec = workload.graph(api)
        t0 = time.perf_counter()
        self.fn = api.function(spec["inputs"], spec["outputs"], spec["updates"],
                               **spec.get("kwargs", {}))
        self.compile_s = time.perf_counter() - t0
        shared = spec["shared"]
        self.state = lambda: [v.get_value() for v in shared]

    def call(self):
        """One step; outputs as a list of arrays."""
        out = self.fn(*self.args)
        return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]

    def timer(self):
        """A `timeit.Timer` whose statement is exactly one call `f(a0, a1, ...)`."""
        import timeit

        names = [f"a{k}" for k in range(len(self.args))]
        ns = dict(zip(names, self.args), f=self.fn)
        return timeit.Timer(f"f({', '.join(names)})", globals=ns)


def fingerprint(arrays):
    """Sum, sum of |.| and first element of each array, as floats (NaN-safe via repr)."""
    out = []
    for a in arrays:
        a = np.asarray(a, dtype="float64")
        out.append([float(np.sum(a)), float(np.sum(np.abs(a))),
                    float(a.flat[0]) if a.size else 0.0])
    return out
