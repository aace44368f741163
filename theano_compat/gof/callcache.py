"""theano.gof.callcache: a dictionary of function results, optionally kept in a file."""

from __future__ import annotations

import logging
import pickle

_logger = logging.getLogger("theano.gof.callcache")


class CallCache:
    """Memoises calls: ``call(fn, args)`` computes ``fn(*args)`` once per key.

    With a `filename`, the cache is read from that pickle file when it exists (an
    unreadable file gives an empty cache) and written back by ``persist()`` (also when
    the object is deleted).  Theano 1.0.5 opened the file in text mode, which cannot hold
    a pickle on Python 3 (its `persist` failed and its constructor raised on an existing
    file); the file is binary here.
    """

    __module__ = "theano.gof.callcache"  # Theano's path: reprs and pickles

    def __init__(self, filename=None):
        self.filename = filename
        self.cache = {}
        if filename is None:
            return
        try:
            with open(filename, "rb") as f:
                self.cache = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.cache = {}

    def persist(self, filename=None):
        """Write the cache to `filename` (default: the one given at construction)."""
        if filename is None:
            filename = self.filename
        with open(filename, "wb") as f:
            pickle.dump(self.cache, f)

    def call(self, fn, args=(), key=None):
        """The cached result for `key` (default ``(fn, tuple(args))``), computing
        ``fn(*args)`` on a miss."""
        if key is None:
            key = (fn, tuple(args))
        if key not in self.cache:
            _logger.debug("cache miss %i", len(self.cache))
            self.cache[key] = fn(*args)
        else:
            _logger.debug("cache hit %i", len(self.cache))
        return self.cache[key]

    def __del__(self):
        try:
            if self.filename:
                self.persist()
        except Exception as e:  # noqa: BLE001 - never raise from __del__
            _logger.error("persist failed %s %s", self.filename, e)
