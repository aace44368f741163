"""Legacy path ``theano.sandbox.conv``: empty since Theano moved its contents to
theano.tensor.nnet.conv; importing it prints Theano's notice on stderr."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys

print("DEPRECATION: theano.sandbox.conv no longer provides conv. "
      "They have been moved to theano.tensor.nnet.conv", file=sys.stderr)
