"""Theano's ``theano.sparse.sandbox.sp`` (sparse convolution and pooling helpers).

Only the names re-exported from theano.sparse are here so far; ``convolve``,
``max_pool`` and ``ConvolutionIndices`` are not.
"""

from __future__ import annotations

from ... import tensor  # noqa: F401
from ...graph.op import Op  # noqa: F401
from ...tensor.opt import register_specialize  # noqa: F401
from .. import basic as sparse  # noqa: F401
from ..basic import (CSC, CSM, CSR, ColScaleCSC, Diag, EnsureSortedIndices,  # noqa: F401
                     Remove0, RowScaleCSC, SpSum, SquareDiagonal, clean, col_scale, csm_data,
                     csm_indices, csm_indptr, csm_properties, csm_shape, diag,
                     ensure_sorted_indices, remove0, row_scale, sp_sum, square_diagonal)
