"""theano.sandbox.multinomial: Ops turning uniform draws into multinomial samples (facade)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import copy  # noqa: F401 - names of Theano's module
import sys
import warnings

import numpy as np  # noqa: F401

from .. import tensor as T  # noqa: F401,N812
from ..gof import Apply, Op  # noqa: F401
from ..scalar import as_scalar  # noqa: F401
from ..tensor.random.mrg_ops import ChoiceFromUniform, MultinomialFromUniform

__all__ = ["ChoiceFromUniform", "MultinomialFromUniform", "MultinomialWOReplacementFromUniform"]

theano = sys.modules[__package__.rpartition(".")[0]]  # Theano's module imported the package


class MultinomialWOReplacementFromUniform(ChoiceFromUniform):
    """Deprecated name of `ChoiceFromUniform`."""

    __module__ = "theano.sandbox.multinomial"  # Theano's path: reprs and pickles

    def __init__(self, *args, **kwargs):
        warnings.warn("MultinomialWOReplacementFromUniform is deprecated, use "
                      "ChoiceFromUniform instead.", DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)
