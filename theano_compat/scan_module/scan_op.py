"""theano.scan_module.scan_op: the Scan Op (Theano 1.0.5's module path).

`Scan` is this project's loop (theano_compat/scan/op.py); it offers Theano's description
of itself besides its own: ``info``, ``n_seqs``, ``n_mit_sot``, ``n_sit_sot``,
``n_nit_sot``, ``n_shared_outs``, ``tap_array``, ``var_mappings``, the ``inner_*`` /
``outer_*`` selectors and ``Scan(inputs, outputs, info)``.  `profile_printer` adds the
loops' share of the time to a profile.
"""

from __future__ import annotations

import copy  # noqa: F401 - names of Theano's module
import itertools  # noqa: F401
import logging
import time  # noqa: F401
from collections import OrderedDict  # noqa: F401

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401 - Theano's module imported the package

from .. import compile, gof, gradient, tensor  # noqa: F401,A004
from ..compile import function  # noqa: F401
from ..compile.io import In, Out  # noqa: F401
from ..compile.mode import AddFeatureOptimizer  # noqa: F401
from ..compile.ops import Shape_i  # noqa: F401
from ..compile.profiling import ScanProfileStats  # noqa: F401
from ..config import config  # noqa: F401
from ..gof.graph import io_connection_pattern  # noqa: F401
from ..gof.toolbox import NoOutputFromInplace  # noqa: F401
from ..graph.basic import Apply  # noqa: F401
from ..graph.null import DisconnectedType, NullType, grad_undefined  # noqa: F401
from ..graph.op import PureOp  # noqa: F401
from ..scan.op import Scan
from ..tensor.basic import as_tensor_variable  # noqa: F401
from ..tensor.type import TensorType  # noqa: F401
from . import scan_utils  # noqa: F401
from .scan_utils import forced_replace, safe_new  # noqa: F401

__all__ = ["Scan", "profile_printer"]

_logger = logging.getLogger("theano.scan_module.scan_op")

# Python 2 compatibility names Theano's module imported (six, theano.compat).
izip = zip
xrange = range
integer_types = (int,)
string_types = (str,)


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))


def raise_from(value, from_value):
    """six.raise_from: raise `value` with `from_value` as its cause."""
    raise value from from_value


def profile_printer(message, compile_time, fct_call_time, apply_time, apply_cimpl,
                    outputs_size, file):
    """The profile printer Theano registered for Scan: for each Scan node of a profiled
    function, the time spent in the loop against the time of the whole call.  The loop's
    own overhead is not measured apart from its inner function here: both are the
    node's time."""
    scans = [(node, t) for node, t in apply_time.items()
             if isinstance(getattr(node, "op", None), Scan)]
    if not scans:
        return
    print("", file=file)
    print("Scan overhead:", file=file)
    print("<Scan op time(s)> <sub scan fct time(s)> <sub scan op time(s)> "
          "<sub scan fct time(% scan op time)> <sub scan op time(% scan op time)> <node>",
          file=file)
    total = 0.0
    for node, t in scans:
        total += t
        print(f"  {t:.3g}s  {t:.3g}s  {t:.3g}s  100.0%  100.0%  {node}", file=file)
    print(f"  total {total:.3g}s of {fct_call_time:.3g}s in the function's calls "
          f"({message})", file=file)
