"""The model benchmark set of tools/bench/bench_models.py (issue 19).

Each model is a workload in the sense of tools/bench/workloads.py (`args()`, `graph(api)`
written once in Theano 1.0-era tutorial style, `hand()` where a hand-written NumPy version
exists) plus `flops()`, its analytic count of dot/convolution FLOPs per step.  The same
model code runs under this project and under the original Theano 1.0.5 (its workers
import this package), so it uses only what both share.

`register()` makes the models and the GEMM probes known to worker.py in a worker process.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tools/bench
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import workloads  # noqa: E402 - tools/bench is put on sys.path above

from .base import GemmProbe, ModelWorkload  # noqa: E402
from .dae import DenoisingAE  # noqa: E402
from .elman import ElmanRNN  # noqa: E402
from .lstm import LSTMSentiment  # noqa: E402
from .rbm import RBM  # noqa: E402
from .reused import MLP, LeNet, Seed1  # noqa: E402
from .sda import SdAFinetune, SdAPretrain  # noqa: E402

__all__ = ["MODELS", "PROBES", "ModelWorkload", "register", "small"]


def _table(*items):
    return {w.name: w for w in items}


MODELS = _table(
    LSTMSentiment(), DenoisingAE(), RBM(), SdAPretrain(0), SdAPretrain(1), SdAFinetune(),
    ElmanRNN(), LeNet(), Seed1(), MLP())

PROBES = _table(GemmProbe(1024, "float64"), GemmProbe(1024, "float32"))


def small():
    """Small versions of the models (same code, tiny sizes) for the unit tests."""
    return _table(
        LSTMSentiment(dim=8, batch=3, steps=6, n_words=50),
        DenoisingAE(n_visible=12, n_hidden=7, batch=4),
        RBM(n_visible=12, n_hidden=7, batch=4, k=3),
        RBM(n_visible=12, n_hidden=7, batch=4, k=2, persistent=False, name="rbm_cd"),
        SdAPretrain(0, batch=4, sizes=(12, 9, 7)), SdAPretrain(1, batch=4, sizes=(12, 9, 7)),
        SdAFinetune(batch=4, sizes=(12, 9, 7)),
        ElmanRNN(steps=7, n_in=5, n_hidden=6, n_out=3, batch=4))


def register():
    """Make the models and probes known to worker.py (called in each worker process)."""
    workloads.WORKLOADS.update(MODELS)
    workloads.WORKLOADS.update(PROBES)
