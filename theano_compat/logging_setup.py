"""The ``theano`` logger as Theano 1.0.5's package set it up on import.

Messages of every ``theano.*`` logger reach one stream handler on stderr, formatted
``LEVEL (logger name): message``, at level WARNING, unless the application had already
configured a handler for them.  ``disable_log_handler()`` removes that handler (for
applications that route Theano's messages themselves).
"""

from __future__ import annotations

import logging


def has_handlers(logger):
    """Whether `logger` or one of the ancestors its records propagate to has a handler."""
    return logger.hasHandlers()


theano_logger = logging.getLogger("theano")
logging_default_handler = logging.StreamHandler()
logging_default_formatter = logging.Formatter(fmt="%(levelname)s (%(name)s): %(message)s")
logging_default_handler.setFormatter(logging_default_formatter)
theano_logger.setLevel(logging.WARNING)
if not has_handlers(theano_logger):
    theano_logger.addHandler(logging_default_handler)


def disable_log_handler(logger=theano_logger, handler=logging_default_handler):
    """Remove the handler the package added to `logger` (when it has handlers)."""
    if has_handlers(logger):
        logger.removeHandler(handler)
