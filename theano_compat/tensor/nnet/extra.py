"""The less common theano.tensor.nnet functions (two-level hierarchical softmax, the
confusion matrix, row-prepending Ops, the remaining cross-entropy variants), gathered.

Theano kept them all in theano.tensor.nnet.nnet; they are defined there (nnet.py) and
listed here by theme.
"""

from __future__ import annotations

from .nnet import (  # noqa: F401 - the names of this module
    confusion_matrix, crossentropy_softmax_1hot_with_bias_dx,
    crossentropy_softmax_max_and_argmax_1hot,
    crossentropy_softmax_max_and_argmax_1hot_with_bias,
    graph_merge_softmax_with_crossentropy_softmax, h_softmax, prepend_0_to_each_row,
    prepend_1_to_each_row, prepend_scalar_to_each_row)

__all__ = [
    "confusion_matrix", "crossentropy_softmax_1hot_with_bias_dx",
    "crossentropy_softmax_max_and_argmax_1hot",
    "crossentropy_softmax_max_and_argmax_1hot_with_bias",
    "graph_merge_softmax_with_crossentropy_softmax", "h_softmax", "prepend_0_to_each_row",
    "prepend_1_to_each_row", "prepend_scalar_to_each_row",
]
