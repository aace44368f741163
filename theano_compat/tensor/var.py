"""Legacy module path ``theano.tensor.var``."""

from .variable import TensorConstant, TensorVariable, _tensor_py_operators  # noqa: F401
from .sharedvar import TensorSharedVariable  # noqa: F401
