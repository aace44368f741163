"""Legacy path ``theano.sandbox.solve``: ``solve`` is theano.tensor.slinalg.solve; importing
the module warns, as Theano's did."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import warnings

from ..tensor.slinalg import solve  # noqa: F401

message = ("The module theano.sandbox.solve will soon be deprecated.\n"
           "Please use tensor.slinalg.solve instead.")
warnings.warn(message, stacklevel=2)
