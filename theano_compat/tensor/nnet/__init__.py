"""theano.tensor.nnet: activations, softmax, cross-entropies, convolutions, batch norm.

A facade over its modules, as Theano's package was: nnet.py (activations, softmax,
cross-entropies), abstract_conv.py / conv.py (convolutions), bn.py, extra.py.
"""

from . import abstract_conv, bn, conv, nnet  # noqa: F401 - submodules Theano bound here
from ..subtensor import AdvancedSubtensor1  # noqa: F401 - Theano's nnet namespace had it
from .abstract_conv import conv2d as abstract_conv2d  # noqa: F401
from .abstract_conv import (  # noqa: F401 - convolution names of theano.tensor.nnet
    conv2d_grad_wrt_inputs, conv2d_transpose, conv3d, separable_conv2d)
from .abstract_conv import nnet_conv2d as conv2d  # noqa: F401 - with the image_shape alias
from .bn import batch_normalization  # noqa: F401
from .conv import ConvOp  # noqa: F401
from .extra import (  # noqa: F401
    confusion_matrix, crossentropy_softmax_1hot_with_bias_dx,
    crossentropy_softmax_max_and_argmax_1hot, crossentropy_softmax_max_and_argmax_1hot_with_bias,
    graph_merge_softmax_with_crossentropy_softmax, h_softmax, prepend_0_to_each_row,
    prepend_1_to_each_row, prepend_scalar_to_each_row)
from .nnet import (  # noqa: F401
    CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad, LogSoftmax, Softmax,
    SoftmaxGrad, binary_crossentropy, categorical_crossentropy, crossentropy_categorical_1hot,
    crossentropy_categorical_1hot_grad, crossentropy_softmax_1hot,
    crossentropy_softmax_1hot_with_bias, crossentropy_softmax_argmax_1hot_with_bias, elu,
    hard_sigmoid, log_softmax, logsoftmax, logsoftmax_op, relu, selu, sigmoid,
    sigmoid_binary_crossentropy, softmax, softmax_grad, softmax_graph, softmax_op,
    softmax_with_bias, softplus, softsign, ultra_fast_sigmoid,
)

__all__ = [n for n in dir() if not n.startswith("_")]
