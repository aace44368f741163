"""Legacy path ``theano.gof.utils`` (facade)."""

from ..errors import MethodNotDefined  # noqa: F401
from ..utils import Scratchpad as scratchpad  # noqa: F401
