"""What every model of the benchmark set shares: the workload interface of
tools/bench/workloads.py (args / graph / hand, run by worker.py) plus the model's
analytic FLOP count, and the GEMM-rate probes the BLAS fractions are measured against.

Imports nothing from the project: the same code runs under this project and under the
original Theano 1.0.5 (NumPy 1.23 there), so only NumPy calls both versions share.
"""

from __future__ import annotations

import numpy as np

import workloads

SEED = workloads.SEED


def matmul_flops(m, k, n):
    """FLOPs of an (m, k) @ (k, n) product: one multiply and one add per term."""
    return 2.0 * m * k * n


def glorot(rng, n_in, n_out, dtype, scale=1.0):
    """The tutorials' uniform initialisation: U(-a, a), a = scale * sqrt(6 / (in + out))."""
    a = scale * np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(low=-a, high=a, size=(n_in, n_out)).astype(dtype)


class ModelWorkload(workloads.Workload):
    """A model of the set.  Beyond `workloads.Workload`:

    * `flops()`   FLOPs of the dots and convolutions of one step, forward and backward,
                  counted analytically (elementwise work is not counted);
    * `dtype`     the float type, which picks the GEMM rate the BLAS fraction uses;
    * `hand()`    raises NotImplementedError where no hand-written NumPy version exists
                  (the driver shows "-" there, not a failure).
    """

    dtype = "float64"
    group = "model"

    def flops(self):
        raise NotImplementedError

    def hand(self):
        raise NotImplementedError(f"{self.name}: no hand-written NumPy version")


class GemmProbe(ModelWorkload):
    """A square float matmul `np.dot(a, b, out=c)`, timed in the NumPy worker only: the
    machine's BLAS rate (same process settings and BLAS threads as the models)."""

    group = "probe"

    def __init__(self, n=512, dtype="float64"):
        self.n, self.dtype = n, dtype
        self.name = f"gemm_{dtype}"
        self.label = f"GEMM {n}x{n} {dtype}"

    def flops(self):
        return matmul_flops(self.n, self.n, self.n)

    def args(self):
        rng = np.random.RandomState(SEED)
        return tuple(rng.randn(self.n, self.n).astype(self.dtype) for _ in range(2))

    def graph(self, api):
        raise NotImplementedError("the GEMM rate is measured with NumPy only")

    def hand(self):
        c = np.empty((self.n, self.n), self.dtype)

        def step(a, b):
            return np.dot(a, b, out=c)

        return step, lambda: []
