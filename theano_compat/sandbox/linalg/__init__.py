"""theano.sandbox.linalg: the linear-algebra names of theano.tensor.slinalg / nlinalg, and the
hint-based rewrites of `ops` (``psd``, ``spectral_radius_bound``)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

from ...tensor.nlinalg import (alloc_diag, det, diag, eig, eigh, extract_diag,  # noqa: F401
                               matrix_inverse, trace)
from ...tensor.slinalg import cholesky, eigvalsh, solve  # noqa: F401
from . import ops  # noqa: F401
from .ops import psd, spectral_radius_bound  # noqa: F401
