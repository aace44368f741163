"""theano.scan_module.scan_checkpoints: `scan_checkpoints` (Theano 1.0.5's module path).

``scan_checkpoints(fn, sequences, outputs_info, non_sequences, name, n_steps,
save_every_N, padding)`` runs the loop as an outer scan over blocks of `save_every_N`
steps, each an inner scan, and returns the value at the end of each block; its gradient
recomputes the steps inside a block (theano_compat/scan/api.py).  The results are those
of the plain scan; how much memory it saves depends on the buffers this project's loops
keep, which are not Theano's.
"""

from __future__ import annotations

import theano_compat as theano  # noqa: F401 - Theano's module imported the package

from ..scan.api import scan_checkpoints
from ..tensor.basic import Join  # noqa: F401

__all__ = ["scan_checkpoints"]
