"""Seed 1 (the Theano tutorial's logistic regression) trained data-parallel on MPI ranks.

    mpiexec -n 2 python tools/examples/mpi_seed1.py [--steps 10]

Every rank draws the same data (N=400 samples of 784 features, RandomState(0)) and keeps
its part (theano.distributed.shard: 200 rows each on 2 ranks); the cost is the mean over
the rank's own samples, and theano.distributed.function averages the gradients over the
ranks, weighted by their numbers of samples, with one Allreduce per step.  Rank 0 then
trains the same model in one process on all the data and prints the largest parameter
difference; the exit status is 1 when it exceeds 1e-12.  Needs the mpi extra:
pip install "theano-compat[mpi]".
"""

import argparse
import sys

import numpy as np

import theano
import theano.distributed
import theano.tensor as T

N, FEATS, TOLERANCE = 400, 784, 1e-12
# The tutorial's mode, named so that THEANO_FLAGS=mode=... / optimizer=... leave the numbers
# alone: on these data |x.w| reaches ~100 and the cross-entropy as written is finite only
# after FAST_RUN's stabilize rewrites (Theano 1.0.5 gives NaN under FAST_COMPILE or
# optimizer=None too).
MODE = "FAST_RUN"


def data():
    """x (N x FEATS), y (N labels 0/1, int64) and the initial w, from RandomState(0)."""
    rng = np.random.RandomState(0)
    x, y = rng.randn(N, FEATS), rng.randint(size=N, low=0, high=2)
    return x, y, rng.randn(FEATS)


def model(w0):
    """The tutorial's graph: inputs, outputs, shared parameters, their gradients."""
    x, y = T.dmatrix("x"), T.dvector("y")
    w = theano.shared(w0.copy(), name="w")
    b = theano.shared(0.0, name="b")
    p_1 = 1 / (1 + T.exp(-T.dot(x, w) - b))
    xent = -y * T.log(p_1) - (1 - y) * T.log(1 - p_1)
    cost = xent.mean() + 0.01 * (w ** 2).sum()
    gw, gb = T.grad(cost, [w, b])
    updates = [(w, w - 0.1 * gw), (b, b - 0.1 * gb)]
    return [x, y], xent.sum(), (w, b), (gw, gb), updates


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args(argv)
    comm = theano.distributed.world()
    rank, size = comm.Get_rank(), comm.Get_size()
    x_all, y_all, w0 = data()
    x_part, y_part = theano.distributed.shard(x_all), theano.distributed.shard(y_all)

    inputs, loss, params, grads, updates = model(w0)
    theano.distributed.broadcast_shared(params)  # same start on every rank
    # Each rank's gradients weigh by its number of samples: exact for unequal parts too.
    train = theano.distributed.function(inputs, loss, updates=updates, average=grads,
                                        weight=lambda x, y: len(x), mode=MODE)
    for _ in range(args.steps):
        local_loss = train(x_part, y_part)
    w, b = (p.get_value() for p in params)
    # Rank 0 prints every rank's line (ranks printing at once may interleave their output).
    reports = comm.gather((len(x_part), float(local_loss), float(np.sum(w)), float(b)), root=0)
    if rank != 0:
        return 0
    for r, (n, loss_r, sum_w, b_r) in enumerate(reports):
        print(f"rank {r}/{size}: {n} samples, last loss {loss_r:.6f}, sum(w) {sum_w!r}, "
              f"b {b_r!r}")
    losses = [report[1] for report in reports]

    inputs, loss, params, _, updates = model(w0)
    single = theano.function(inputs, loss, updates=updates, mode=MODE)
    for _ in range(args.steps):
        single_loss = single(x_all, y_all)
    diff = max(np.max(np.abs(w - params[0].get_value())),
               abs(float(b) - float(params[1].get_value())))
    ok = diff <= TOLERANCE
    print(f"{size} ranks vs one process after {args.steps} steps: max |param diff| = "
          f"{diff:.3e} ({'OK' if ok else 'FAIL'}, tolerance {TOLERANCE:g}); "
          f"loss {sum(losses):.9f} vs {float(single_loss):.9f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
