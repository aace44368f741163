"""Helpers of theano.sparse (Theano's ``theano.sparse.utils``)."""

from __future__ import annotations

import hashlib

import numpy as np


def hash_from_code(msg):
    """'m' + the SHA-256 hex digest of `msg` (a string, bytes or an array's buffer), as
    Theano's gof.utils.hash_from_code (imported into this module in Theano)."""
    if isinstance(msg, str):
        msg = msg.encode()
    elif isinstance(msg, np.ndarray):
        msg = np.ascontiguousarray(msg).tobytes()
    return "m" + hashlib.sha256(msg).hexdigest()


def hash_from_sparse(data):
    """A hash of a scipy.sparse matrix: its data, indices, indptr, shape, dtype and format
    (so equal matrices hash equal, and views hash as their copies)."""
    parts = (data.data, data.indices, data.indptr, str(data.shape), str(data.dtype),
             data.format)
    return hash_from_code("".join(hash_from_code(p) for p in parts))
