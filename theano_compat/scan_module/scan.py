"""theano.scan_module.scan: the `scan` function (Theano 1.0.5's module path).

``scan(fn, sequences, outputs_info, non_sequences, n_steps, truncate_gradient,
go_backwards, mode, name, profile, allow_gc, strict, return_list)`` builds a Scan node over
the graph `fn` computes for one step and returns ``(outputs, updates)``
(theano_compat/scan/api.py holds it and documents the arguments).
"""

from __future__ import annotations

import logging  # noqa: F401 - names of Theano's module
import warnings  # noqa: F401
from collections import OrderedDict  # noqa: F401

import numpy as np  # noqa: F401

from .. import compile, gof, tensor  # noqa: F401,A004
from ..compile import SharedVariable, function, ops  # noqa: F401
from ..config import config  # noqa: F401
from ..scan.api import scan
from ..tensor import opt  # noqa: F401
from ..updates import OrderedUpdates  # noqa: F401
from . import scan_op, scan_utils  # noqa: F401
from .scan_utils import safe_new, traverse  # noqa: F401

__all__ = ["scan"]

_logger = logging.getLogger("theano.scan_module.scan")

# Python 2 compatibility names Theano's module imported (six).
izip = zip
ifilter = filter
xrange = range
integer_types = (int,)


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))
