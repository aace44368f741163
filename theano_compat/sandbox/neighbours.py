"""Legacy path ``theano.sandbox.neighbours``: neighbours moved to theano.tensor.nnet.neighbours
(as in Theano, a compatibility module)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

from ..tensor.nnet.neighbours import Images2Neibs, images2neibs, neibs2images

__all__ = ["images2neibs", "neibs2images", "Images2Neibs"]
