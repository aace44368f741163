"""theano.distributed: gradients averaged over ranks, one Allreduce per step.

In-process tests run the ranks as threads over a small communicator (ThreadComm below:
Allreduce sums the ranks' buffers, Bcast copies the root's), so they need no MPI; the
end-to-end test runs tools/examples/mpi_seed1.py under ``mpiexec -n 2`` when mpi4py and
mpiexec are installed (``pip install "theano-compat[mpi]"``) and skips, naming what is
missing, otherwise.  References: hand-written NumPy logistic regression and the same
model trained in one process.  The data, the model and its mode are the example's
(`data`, `model`, `MODE`: FAST_RUN, whatever the default mode is).
"""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import theano
import theano.distributed as dist
import theano.tensor as T
from tests.support.mpi import missing_mpi, mpiexec
from tests.support.paths import ROOT
from tools.examples.mpi_seed1 import MODE, N
from tools.examples.mpi_seed1 import data as seed1_data
from tools.examples.mpi_seed1 import model as seed1_model


class ThreadComm:
    """The part of an mpi4py communicator theano.distributed uses, for ranks that are
    threads of this process (one object per rank, sharing `state`)."""

    def __init__(self, rank, state):
        self.rank, self.state = rank, state
        self.calls = 0

    @classmethod
    def world(cls, size):
        state = {"size": size, "slots": [None] * size, "barrier": threading.Barrier(size)}
        return [cls(r, state) for r in range(size)]

    def Get_rank(self):
        return self.rank

    def Get_size(self):
        return self.state["size"]

    def Allreduce(self, send, recv):
        self.calls += 1
        slots, barrier = self.state["slots"], self.state["barrier"]
        slots[self.rank] = send.copy()
        barrier.wait()
        recv[...] = sum(slots[1:], slots[0].copy())  # rank order, as a reduction would
        barrier.wait()

    def Bcast(self, buf, root=0):
        slots, barrier = self.state["slots"], self.state["barrier"]
        if self.rank == root:
            slots[root] = buf.copy()
        barrier.wait()
        buf[...] = slots[root]
        barrier.wait()


def run_ranks(fn, comms):
    """fn(comm) on one thread per rank; their results in rank order (errors re-raised)."""
    results, errors = [None] * len(comms), []

    def target(c):
        try:
            results[c.rank] = fn(c)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
            c.state["barrier"].abort()

    threads = [threading.Thread(target=target, args=(c,)) for c in comms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    if errors:
        raise errors[0]
    return results


STEPS = 10


def numpy_seed1(x, y, w0, steps):
    """The tutorial's training loop by hand: gradient of mean cross-entropy + 0.01 |w|^2."""
    w, b = w0.copy(), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w) - b))
        w, b = w - 0.1 * (x.T @ (p - y) / len(y) + 0.02 * w), b - 0.1 * np.mean(p - y)
    return w, b


@pytest.mark.parametrize("size,weighted", [(2, False), (3, True)])
def test_seed1_on_thread_ranks_matches_one_process(size, weighted):
    x, y, w0 = seed1_data()
    comms = ThreadComm.world(size)
    trains = []
    for c in comms:  # compiled one after the other; the steps run on the threads
        inputs, loss, params, grads, updates = seed1_model(w0)
        kw = {"weight": lambda xs, ys: len(xs)} if weighted else {}
        f = dist.function(inputs, loss, updates=updates, average=grads, comm=c, mode=MODE,
                          **kw)
        trains.append((f, params))

    def rank_steps(c):
        f, params = trains[c.rank]
        xs, ys = dist.shard(x, comm=c), dist.shard(y, comm=c)
        assert len(xs) == len(np.array_split(np.arange(N), size)[c.rank])
        losses = [float(f(xs, ys)) for _ in range(STEPS)]
        return losses, [p.get_value() for p in params]

    results = run_ranks(rank_steps, comms)
    assert [c.calls for c in comms] == [STEPS] * size  # one Allreduce per step

    inputs, loss, params, _, updates = seed1_model(w0)
    single = theano.function(inputs, loss, updates=updates, mode=MODE)
    single_losses = [float(single(x, y)) for _ in range(STEPS)]
    w_np, b_np = numpy_seed1(x, y, w0, STEPS)
    for _, (w, b) in results:
        np.testing.assert_allclose(w, params[0].get_value(), rtol=0, atol=1e-12)
        assert abs(float(b) - float(params[1].get_value())) <= 1e-12
        np.testing.assert_allclose(w, w_np, rtol=0, atol=1e-10)
        assert abs(float(b) - b_np) <= 1e-10
    np.testing.assert_allclose(np.sum([r[0] for r in results], axis=0), single_losses,
                               rtol=1e-12)


def test_allreduce_mean_weights_dtypes_and_shapes():
    comms = ThreadComm.world(3)
    rng = np.random.RandomState(1)
    values = [[rng.randn(2, 3), rng.randn(4).astype("float32"), np.float64(r)]
              for r in range(3)]
    weights = [1.0, 2.0, 5.0]
    out = run_ranks(lambda c: dist.allreduce_mean(values[c.rank], comm=c,
                                                  weight=weights[c.rank]), comms)
    assert all(c.calls == 1 for c in comms)
    for i, ref in enumerate(values[0]):
        expect = sum(w * np.asarray(v[i], "float64") for w, v in zip(weights, values)) / 8.0
        for got in out:
            assert got[i].shape == np.shape(ref) and got[i].dtype == np.asarray(ref).dtype
            np.testing.assert_allclose(got[i], expect, rtol=1e-6 if i == 1 else 1e-15)


def test_shard_and_broadcast_shared():
    comms = ThreadComm.world(3)
    data = np.arange(20).reshape(10, 2)
    parts = run_ranks(lambda c: dist.shard(data, comm=c), comms)
    assert [p[:, 0].tolist() for p in parts] == [[0, 2, 4, 6], [8, 10, 12], [14, 16, 18]]
    cols = run_ranks(lambda c: dist.shard(data, comm=c, axis=1).ravel().tolist(),
                     ThreadComm.world(2))
    assert cols == [data[:, 0].tolist(), data[:, 1].tolist()]

    shared = [[theano.shared(np.full((2, 2), r, "float32")), theano.shared(np.int64(10 * r))]
              for r in range(3)]
    run_ranks(lambda c: dist.broadcast_shared(shared[c.rank], comm=c, root=1), comms)
    for a, n in shared:
        assert a.get_value().dtype == np.float32 and a.get_value().tolist() == [[1, 1], [1, 1]]
        assert int(n.get_value()) == 10


def test_updates_may_use_the_inputs_and_outputs_keep_theanos_shapes():
    comms = ThreadComm.world(2)
    fs = []
    for c in comms:
        x, lr = T.dvector("x"), T.dscalar("lr")
        w = theano.shared(np.zeros(3), name="w")
        g = T.grad(((w - x) ** 2).sum(), w)
        fs.append((dist.function([x, lr], [g, g.sum()], updates=[(w, w - lr * g)],
                                 average=[g], comm=c), w))
    xs = [np.array([1.0, 2.0, 3.0]), np.array([3.0, 6.0, 9.0])]
    outs = run_ranks(lambda c: fs[c.rank][0](xs[c.rank], 0.25), comms)
    np.testing.assert_array_equal(outs[1][0], -2 * xs[1])  # outputs: this rank's values
    assert len(outs[0]) == 2 and float(outs[0][1]) == -12.0
    for _, w in fs:  # mean gradient -2 * [2, 4, 6], step 0.25
        np.testing.assert_array_equal(w.get_value(), [1.0, 2.0, 3.0])


def test_without_mpi4py_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    monkeypatch.setitem(sys.modules, "mpi4py.MPI", None)
    with pytest.raises(ImportError, match=r'pip install "theano-compat\[mpi\]"'):
        dist.world()
    x = T.dvector("x")
    with pytest.raises(ImportError, match="theano.distributed"):
        dist.function([x], x.sum())


@pytest.mark.skipif(bool(missing_mpi()), reason=missing_mpi() or "-")
def test_mpi_seed1_example_on_two_ranks_matches_one_process():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = os.path.join(ROOT, "tools", "examples", "mpi_seed1.py")
    proc = subprocess.run([mpiexec(), "-n", "2", sys.executable, script, "--steps", "10"],
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "rank 0/2: 200 samples" in out and "rank 1/2: 200 samples" in out, out
    line = next(s for s in out.splitlines() if "ranks vs one process" in s)
    diff = float(line.split("max |param diff| = ")[1].split()[0])
    assert diff <= 1e-12 and "(OK," in line, line
    # Every rank's parameters are the hand-written NumPy ones (printed: sum(w) and b).
    x, y, w0 = seed1_data()
    w_np, b_np = numpy_seed1(x, y, w0, STEPS)
    for rank in (0, 1):
        line = next(s for s in out.splitlines() if s.startswith(f"rank {rank}/2"))
        sum_w = float(line.split("sum(w) ")[1].split(",")[0])
        b = float(line.split(", b ")[1])
        assert abs(sum_w - w_np.sum()) <= 1e-9 and abs(b - b_np) <= 1e-12, (line, w_np.sum(), b_np)
