"""theano.scan_module.scan_utils: the helpers legacy code imports from it."""

from ..graph.basic import clone_replace as clone  # noqa: F401 - Theano's name
from ..graph.basic import equal_computations  # noqa: F401
from ..scan.utils import until  # noqa: F401
