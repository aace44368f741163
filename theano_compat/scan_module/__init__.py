"""theano.scan_module: the legacy path of scan (``from theano.scan_module import until``)."""

from ..scan.api import foldl, foldr, map, reduce, scan  # noqa: F401,A004 - Theano's names
from ..scan.utils import until  # noqa: F401
from . import scan_utils  # noqa: F401
