"""theano.updates: the legacy path of OrderedUpdates (the update dict scan returns)."""

import logging
from collections import OrderedDict  # noqa: F401 - names of Theano's module

from .compile.legacy_names import iteritems  # noqa: F401
from .compile.sharedvalue import SharedVariable  # noqa: F401
from .scan.utils import OrderedUpdates  # noqa: F401

logger = logging.getLogger("theano.updates")
