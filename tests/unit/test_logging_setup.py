"""The ``theano`` logger set up as Theano 1.0.5's package did, and the subpackages
`import theano` makes reachable as attributes."""

import logging
import subprocess
import sys

import theano


def test_warning_of_a_theano_logger_is_printed_in_theanos_format():
    # A fresh interpreter: the format is that of the handler added at import.
    code = ("import theano, logging; logging.getLogger('theano.some.module')"
            ".warning('the message')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip().splitlines()[-1] == "WARNING (theano.some.module): the message"


def test_disable_log_handler_removes_the_default_handler():
    logger = logging.getLogger("theano_compat_test_logger")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    assert theano.has_handlers(logger)
    theano.disable_log_handler(logger, handler)
    assert handler not in logger.handlers
    assert theano.theano_logger.level == logging.WARNING
    assert theano.logging_default_handler.formatter is theano.logging_default_formatter


def test_sparse_and_typed_list_are_attributes_of_theano():
    x = theano.sparse.csr_matrix("x")
    assert x.type.format == "csr"
    assert "sparse" in dir(theano) and "typed_list" in dir(theano)
    assert theano.typed_list.TypedListType(theano.tensor.dvector).ttype == theano.tensor.dvector
