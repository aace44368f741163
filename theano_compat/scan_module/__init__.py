"""theano.scan_module: the legacy path of scan and its modules (Theano 1.0.5's package).

``theano.scan_module.scan`` is the function, as in Theano (its module stays importable
as ``import theano.scan_module.scan``); `scan_op`, `scan_utils`, `scan_opt`, `scan_views`
and `scan_checkpoints` are Theano's modules over this project's loop (theano_compat/scan/).
"""

from __future__ import absolute_import, division, print_function  # noqa: F401

from . import scan_op, scan_opt, scan_utils, scan_views  # noqa: F401
from .scan import scan  # noqa: F401,E402 - the function shadows its module, as in Theano
from .scan_checkpoints import scan_checkpoints  # noqa: F401
from .scan_utils import clone, until  # noqa: F401
from .scan_views import foldl, foldr, map, reduce  # noqa: F401,A004 - Theano's names
