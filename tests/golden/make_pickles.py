"""Record golden pickles with the ORIGINAL Theano 1.0.5, for tests/unit/misc/test_pkl_utils.py.

Run under the reference Theano, from the repository root:
    ../shared/tools/theano-ref tests/golden/make_pickles.py
It re-runs itself once per floatX (float64, float32) and writes, under tests/golden/pickles/:
  <kind>.<floatX>.p<protocol>.pkl.gz   pickle.dump(obj, f, protocol) for protocols 0, 2 and
                                    the highest of the original's Python (5), gzip-compressed
                                    (Theano's ops carry their C code: the raw files are large);
  <kind>.<floatX>.dump.zip          theano.misc.pkl_utils.dump archives of some kinds;
  expected.<floatX>.json            what the original computes from the objects after loading
                                    them back (values, outputs of compiled functions, the next
                                    random draws), and the protocols Theano refused per kind.
"""

import gzip
import json
import os
import pickle
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pickles")
PROTOCOLS = (0, 2, pickle.HIGHEST_PROTOCOL)
ARCHIVED = ("params_list", "model", "function", "random_streams", "tensor_shared")


def enc(value):
    value = np.asarray(value)
    flat = value.reshape(-1)
    if flat.dtype.kind in "iub":
        data = [int(v) for v in flat]
    else:
        data = [float(v) for v in flat]
    return {"dtype": str(value.dtype), "shape": list(value.shape), "data": data}


def x_value(floatX, shape=(2, 4)):
    return (np.arange(np.prod(shape)).reshape(shape) / 7.0 - 0.5).astype(floatX)


def build(theano):
    """{kind: (object to pickle, function of the loaded object -> expected record)}."""
    import scipy.sparse as sp
    import theano.sparse
    import theano.tensor as T
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    from theano.tensor.shared_randomstreams import RandomStreams

    import pickle_models

    fx = theano.config.floatX
    xv = x_value(fx)
    kinds = {}

    w = theano.shared(np.linspace(-1, 1, 12).reshape(3, 4).astype(fx), name="W")
    kinds["tensor_shared"] = (w, lambda o: {"class": type(o).__name__, "name": o.name,
                                            "type": str(o.type), "value": enc(o.get_value())})

    s = theano.shared(1.25, name="s")
    kinds["scalar_shared"] = (s, lambda o: {"class": type(o).__name__, "name": o.name,
                                            "type": str(o.type), "value": enc(o.get_value())})

    csr = sp.csr_matrix(np.array([[0, 1.5, 0], [2.0, 0, -3.0]], dtype=fx))
    ss = theano.sparse.shared(csr, name="S")

    def sparse_rec(o):
        v = o.get_value()
        return {"class": type(o).__name__, "name": o.name, "format": v.format,
                "value": enc(v.toarray())}
    kinds["sparse_shared"] = (ss, sparse_rec)

    x = T.matrix("x")
    wg = theano.shared(np.linspace(-1, 1, 8).reshape(4, 2).astype(fx), name="Wg")
    bg = theano.shared(np.array([0.5, -0.25], dtype=fx), name="bg")
    h = T.tanh(T.dot(x, wg) + bg)
    y = (h * 2 - T.exp(-x.sum(axis=1)).dimshuffle(0, "x")).sum()
    gw = T.grad(y, wg)

    def graph_rec(o):
        xs, (ys, gws) = o
        f = theano.function([xs], [ys, gws])
        return {"outputs": [enc(r) for r in f(xv)]}
    kinds["graph"] = ((x, [y, gw]), graph_rec)

    a = T.scalar("a")
    count = theano.shared(np.asarray(0, dtype="int64"), name="count")
    acc = theano.shared(np.zeros(2, dtype=fx), name="acc")
    out1 = T.nnet.sigmoid(T.dot(x, wg) * a).sum(axis=0)
    fn = theano.function([x, theano.In(a, value=2.0)], [out1, T.max(x) + count],
                         updates=[(count, count + 1), (acc, acc + out1)])
    fn(xv)  # state changes before pickling

    def function_rec(o):
        calls = [o(xv), o(xv, 0.5), o(xv * 2)]
        shared = {v.variable.name: enc(c.value) for v, c in zip(o.maker.inputs, o.input_storage)
                  if v.implicit}
        return {"calls": [[enc(r) for r in c] for c in calls], "shared_after": shared}
    kinds["function"] = (fn, function_rec)

    rs = RandomStreams(seed=1234)
    u = rs.uniform((3,))
    n = rs.normal((2, 2), avg=1.0, std=2.0)
    theano.function([], [u, n])()  # advance the states once

    def rs_rec(o):
        rso, uo, no = o
        f = theano.function([], [uo, no])
        draws = [[enc(r) for r in f()] for _ in range(2)]
        fresh = theano.function([], rso.uniform((2,), low=-1, high=1))
        return {"draws": draws, "new_stream": enc(fresh())}
    kinds["random_streams"] = ((rs, u, n), rs_rec)

    mrg = MRG_RandomStreams(seed=4321)
    mu = mrg.uniform((5,), nstreams=3)
    mn = mrg.normal((2, 3), nstreams=4)
    theano.function([], [mu, mn])()

    def mrg_rec(o):
        mo, muo, mno = o
        f = theano.function([], [muo, mno])
        draws = [[enc(r) for r in f()] for _ in range(2)]
        fresh = theano.function([], mo.uniform((4,), nstreams=2))
        return {"draws": draws, "new_stream": enc(fresh()), "rstate": enc(mo.rstate)}
    kinds["mrg_streams"] = ((mrg, mu, mn), mrg_rec)

    params = [theano.shared(np.linspace(0, 1, 6).reshape(2, 3).astype(fx), name="W"),
              theano.shared(np.array([0.1, 0.2, 0.3], dtype=fx), name="b"),
              theano.shared(np.linspace(-2, 2, 6).reshape(3, 2).astype(fx), name="W"),
              theano.shared(np.zeros(2, dtype=fx), name="b")]
    kinds["params_list"] = (params, lambda o: {
        "names": [p.name for p in o], "classes": [type(p).__name__ for p in o],
        "values": [enc(p.get_value()) for p in o]})

    clf = pickle_models.LogisticRegression(T.matrix("input"), 4, 3)

    def model_rec(o):
        predict = theano.function([o.input], [o.y_pred, o.p_y_given_x])
        yv = T.ivector("y")
        nll = theano.function([o.input, yv], o.negative_log_likelihood(yv))
        return {"predict": [enc(r) for r in predict(xv)],
                "nll": enc(nll(xv, np.array([0, 2], dtype="int32"))),
                "params": [enc(p.get_value()) for p in o.params]}
    kinds["model"] = (clf, model_rec)
    return kinds


def record_one():
    import theano
    from theano.misc import pkl_utils

    fx = theano.config.floatX
    expected = {"floatX": fx, "protocols": list(PROTOCOLS), "refused": {}, "x": enc(x_value(fx))}
    for kind, (obj, rec) in sorted(build(theano).items()):
        written = None
        for proto in PROTOCOLS:
            try:
                data = pickle.dumps(obj, proto)
            except Exception as e:  # noqa: BLE001 - recorded: Theano could not pickle it
                expected["refused"]["%s.p%d" % (kind, proto)] = "%s: %s" % (type(e).__name__, e)
                continue
            name = os.path.join(OUT, "%s.%s.p%d.pkl.gz" % (kind, fx, proto))
            with gzip.GzipFile(name, "wb", mtime=0) as f:
                f.write(data)
            written = written or data
        expected[kind] = rec(pickle.loads(written))
        if kind in ARCHIVED:
            path = os.path.join(OUT, "%s.%s.dump.zip" % (kind, fx))
            with open(path, "wb") as f:
                pkl_utils.dump(obj, f)
            with open(path, "rb") as f:
                expected[kind + ".dump"] = rec(pkl_utils.load(f))
    with open(os.path.join(OUT, "expected.%s.json" % fx), "w") as f:
        json.dump(expected, f, indent=0, sort_keys=True)
        f.write("\n")


def main():
    if sys.argv[1:] == ["--one"]:
        record_one()
        return
    os.makedirs(OUT, exist_ok=True)
    for fx in ("float64", "float32"):
        env = dict(os.environ)
        env["THEANO_FLAGS"] = ",".join(filter(None, [env.get("THEANO_FLAGS", ""),
                                                     "floatX=" + fx]))
        subprocess.check_call([sys.executable, os.path.abspath(__file__), "--one"], env=env)


if __name__ == "__main__":
    main()
