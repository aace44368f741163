"""theano.scan_module.scan_op: the Scan Op class (``isinstance(node.op, Scan)``)."""

from ..scan.op import Scan  # noqa: F401
