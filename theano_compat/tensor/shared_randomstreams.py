"""Legacy path ``theano.tensor.shared_randomstreams`` (facade over
theano_compat.tensor.random.shared_streams), with the names Theano's module imported."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import copy  # noqa: F401 - a name of Theano's module

from ..graph.shared import SharedVariable, shared, shared_constructor  # noqa: F401
from . import raw_random  # noqa: F401
from .random.shared_streams import (  # noqa: F401
    RandomStateSharedVariable,
    RandomStreams,
    randomstate_constructor,
)
