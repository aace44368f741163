"""theano.updates: the legacy path of OrderedUpdates (the update dict scan returns)."""

from .scan.utils import OrderedUpdates  # noqa: F401
