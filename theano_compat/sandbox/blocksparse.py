"""Legacy path ``theano.sandbox.blocksparse``: the block-sparse Ops moved to
theano.tensor.nnet.blocksparse (as in Theano, a compatibility module that warns)."""

from __future__ import absolute_import, division, print_function  # noqa: F401

import warnings

from ..tensor.nnet.blocksparse import (SparseBlockGemv, SparseBlockOuter, sparse_block_dot,
                                       sparse_block_gemv, sparse_block_gemv_inplace,
                                       sparse_block_outer, sparse_block_outer_inplace)

# Theano listed the objects themselves (a star import then failed); the names here.
__all__ = ["SparseBlockGemv", "SparseBlockOuter", "sparse_block_dot", "sparse_block_gemv",
           "sparse_block_gemv_inplace", "sparse_block_outer", "sparse_block_outer_inplace"]

warnings.warn("DEPRECATION: theano.sandbox.blocksparse does not exist anymore,it has been "
              "moved to theano.tensor.nnet.blocksparse.", category=DeprecationWarning,
              stacklevel=2)
