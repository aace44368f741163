"""theano.distributed: data-parallel training over MPI ranks (not in Theano 1.0.5).

Every rank builds the same graph over its own part of the data; gradients are averaged
across ranks with one ``Allreduce`` per step, so all ranks apply the same update and keep
the same parameters.  Needs the ``mpi`` extra (``pip install "theano-compat[mpi]"``:
mpi4py and the ``mpich`` wheel); run with ``mpiexec -n 2 python script.py``.

``function(inputs, outputs, updates=..., average=[gw, gb])`` is ``theano.function`` whose
`updates` see the variables of `average` (usually the results of ``T.grad``) averaged
over the ranks::

    gw, gb = T.grad(cost, [w, b])          # cost: the mean over this rank's samples
    train = theano.distributed.function([x, y], xent, average=[gw, gb],
                                        updates=[(w, w - 0.1 * gw), (b, b - 0.1 * gb)])

A call runs one function computing the outputs and this rank's values of `average`, packs
those into one buffer, sums it over the ranks (``comm.Allreduce``), divides by the total
weight, and runs a second function applying `updates` to the averaged values (the updates
may also use the inputs).  ``weight`` (a number, or a callable of the call's arguments,
e.g. ``lambda x, y: len(x)``) weights a rank's values, for parts of unequal size; it
travels in the same buffer.  ``shard(array)`` is this rank's part of an array and
``broadcast_shared(shared_vars)`` gives every rank rank 0's values (one ``Bcast``).

`comm` is any mpi4py communicator (default ``MPI.COMM_WORLD``, imported on first use);
only ``Get_rank``, ``Get_size``, ``Allreduce(send, recv)`` (sum) and ``Bcast`` are used.
Host (NumPy) values only.
"""

from __future__ import annotations

import numpy as np

from .compile import function as _theano_function
from .tensor.io import mpi_module

__all__ = ["DataParallelFunction", "allreduce_mean", "broadcast_shared", "function", "shard",
           "world"]


def world():
    """``MPI.COMM_WORLD`` (imports mpi4py; ImportError naming the ``mpi`` extra without it)."""
    return mpi_module("theano.distributed").COMM_WORLD


def _pack_dtype(arrays):
    return np.result_type(np.float64, *[a.dtype for a in arrays])


def allreduce_mean(arrays, comm=None, weight=1.0):
    """The weighted mean over the ranks of each array of `arrays` (same shapes on every
    rank): ``sum_r weight_r * a_r / sum_r weight_r``, with one Allreduce for all of them.
    Results keep each array's dtype (the sum is taken in float64, or complex128)."""
    comm = world() if comm is None else comm
    arrays = [np.asarray(a) for a in arrays]
    sizes = [a.size for a in arrays]
    send = np.empty(sum(sizes) + 1, dtype=_pack_dtype(arrays))
    offset = 0
    for a, n in zip(arrays, sizes):
        np.multiply(a.reshape(-1), weight, out=send[offset:offset + n], casting="unsafe")
        offset += n
    send[-1] = weight
    total = np.empty_like(send)
    comm.Allreduce(send, total)  # mpi4py's default operation is MPI.SUM
    out, offset = [], 0
    for a, n in zip(arrays, sizes):
        mean = total[offset:offset + n] / total[-1]
        out.append(mean.reshape(a.shape).astype(a.dtype, copy=False))
        offset += n
    return out


def shard(array, comm=None, axis=0):
    """This rank's part of `array`: ``np.array_split(array, size, axis)[rank]``."""
    comm = world() if comm is None else comm
    return np.array_split(np.asarray(array), comm.Get_size(), axis=axis)[comm.Get_rank()]


def broadcast_shared(shared_vars, comm=None, root=0):
    """Sets every shared variable of `shared_vars` on every rank to its value on rank
    `root` (one Bcast of all of them packed together)."""
    comm = world() if comm is None else comm
    values = [np.asarray(v.get_value()) for v in shared_vars]
    buf = np.empty(sum(a.size for a in values), dtype=_pack_dtype(values))
    offset = 0
    for a in values:
        buf[offset:offset + a.size] = a.reshape(-1)
        offset += a.size
    comm.Bcast(buf, root=root)
    offset = 0
    for v, a in zip(shared_vars, values):
        v.set_value(buf[offset:offset + a.size].reshape(a.shape).astype(a.dtype))
        offset += a.size


class DataParallelFunction:
    """A compiled training step whose `average` variables are averaged over the ranks
    before `updates` apply (see the module docstring).  ``local`` computes the outputs
    and this rank's values of `average`; ``apply`` runs the updates."""

    def __init__(self, inputs, outputs=None, updates=None, average=(), comm=None,
                 weight=1.0, givens=None, **kwargs):
        self.comm = world() if comm is None else comm
        self.weight = weight
        self.average = list(average)
        self._single = outputs is not None and not isinstance(outputs, (list, tuple))
        self._outputs = [] if outputs is None else [outputs] if self._single else list(outputs)
        givens = list(givens.items() if isinstance(givens, dict) else givens or [])
        # An input may serve only the outputs and `average`, or only the updates (a
        # learning rate): each of the two functions ignores the inputs it does not use.
        kwargs.setdefault("on_unused_input", "ignore")
        self.local = _theano_function(inputs, self._outputs + self.average, givens=givens,
                                      **kwargs)
        # The updates see the averaged values through inputs standing for `average`.
        means = [v.type() for v in self.average]
        for mean, v in zip(means, self.average):
            mean.name = f"mean({v.name})" if v.name else None
        self.apply = _theano_function(means + list(inputs), [], updates=updates,
                                      givens=givens + list(zip(self.average, means)), **kwargs)

    def __call__(self, *args):
        results = self.local(*args)
        n = len(self._outputs)
        weight = self.weight(*args) if callable(self.weight) else self.weight
        means = allreduce_mean(results[n:], self.comm, weight)
        self.apply(*means, *args)
        outputs = results[:n]
        return outputs[0] if self._single else outputs


def function(inputs, outputs=None, updates=None, average=(), comm=None, weight=1.0, **kwargs):
    """``theano.function`` for data-parallel training: `updates` see the variables of
    `average` averaged over the ranks of `comm` (one Allreduce per call).  Other keyword
    arguments (mode, givens, allow_input_downcast...) go to ``theano.function``."""
    return DataParallelFunction(inputs, outputs, updates, average, comm, weight, **kwargs)
