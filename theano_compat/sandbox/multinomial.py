"""theano.sandbox.multinomial: Ops turning uniform draws into multinomial samples (facade)."""

import warnings

from ..tensor.random.mrg_ops import ChoiceFromUniform, MultinomialFromUniform

__all__ = ["ChoiceFromUniform", "MultinomialFromUniform", "MultinomialWOReplacementFromUniform"]


class MultinomialWOReplacementFromUniform(ChoiceFromUniform):
    """Deprecated name of `ChoiceFromUniform`."""

    def __init__(self, *args, **kwargs):
        warnings.warn("MultinomialWOReplacementFromUniform is deprecated, use "
                      "ChoiceFromUniform instead.", DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)
