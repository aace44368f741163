"""theano.tensor.nnet: activations, softmax, cross-entropies, convolutions, batch norm.

A facade over its modules, as Theano's package was: nnet.py (activations, softmax,
cross-entropies), abstract_conv.py / conv.py (convolutions), bn.py, extra.py.
"""

# The softmax/cross-entropy modules first: the rewrite modules that the convolution
# modules import read Softmax & co. from this package.
from . import nnet, sigm  # noqa: F401 - submodules Theano bound here
from .nnet import (  # noqa: F401
    CrossentropyCategorical1Hot, CrossentropyCategorical1HotGrad,
    CrossentropySoftmax1HotWithBiasDx, CrossentropySoftmaxArgmax1HotWithBias, LogSoftmax,
    Prepend_scalar_constant_to_each_row, Prepend_scalar_to_each_row, Softmax, SoftmaxGrad,
    SoftmaxWithBias, binary_crossentropy, categorical_crossentropy, confusion_matrix,
    crossentropy_categorical_1hot, crossentropy_categorical_1hot_grad,
    crossentropy_softmax_1hot, crossentropy_softmax_1hot_with_bias,
    crossentropy_softmax_1hot_with_bias_dx, crossentropy_softmax_argmax_1hot_with_bias,
    crossentropy_softmax_max_and_argmax_1hot, crossentropy_softmax_max_and_argmax_1hot_with_bias,
    crossentropy_to_crossentropy_with_softmax,
    crossentropy_to_crossentropy_with_softmax_with_bias, elu,
    graph_merge_softmax_with_crossentropy_softmax, h_softmax, log_softmax, logsoftmax,
    logsoftmax_op, prepend_0_to_each_row, prepend_1_to_each_row, prepend_scalar_to_each_row,
    relu, selu, sigmoid_binary_crossentropy, softmax, softmax_grad, softmax_graph, softmax_op,
    softmax_simplifier, softmax_with_bias, softsign,
)
from .sigm import (  # noqa: F401
    hard_sigmoid, scalar_sigmoid, sigmoid, sigmoid_inplace, softplus, ultra_fast_sigmoid)
from . import neighbours, opt  # noqa: F401,E402 - submodules Theano bound here
from . import abstract_conv, bn, conv  # noqa: F401 - submodules Theano bound here
from . import blocksparse, conv3d2d, corr, corr3d, ctc  # noqa: F401 - submodules too
from ..subtensor import AdvancedSubtensor1  # noqa: F401 - Theano's nnet namespace had it
from .abstract_conv import conv2d as abstract_conv2d  # noqa: F401
from .abstract_conv import (  # noqa: F401 - convolution names of theano.tensor.nnet
    conv2d_grad_wrt_inputs, conv2d_transpose, conv3d, separable_conv2d)
from .abstract_conv import nnet_conv2d as conv2d  # noqa: F401 - with the image_shape alias
from .bn import batch_normalization  # noqa: F401
from .conv import ConvOp  # noqa: F401
from .blocksparse import sparse_block_dot  # noqa: F401 - Theano's nnet.py imported it

__all__ = [n for n in dir() if not n.startswith("_")]
