"""Legacy path ``theano.sandbox.softsign``: softsign moved to theano.tensor.nnet.nnet; as in
Theano, importing this module prints a deprecation line on stderr."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import sys

from ..tensor.nnet.nnet import softsign  # noqa: F401

print("DEPRECATION WARNING: softsign was moved from theano.sandbox.softsign to "
      "theano.tensor.nnet.nnet ", file=sys.stderr)
