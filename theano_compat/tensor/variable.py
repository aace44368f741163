"""TensorVariable and TensorConstant: the user-facing symbolic arrays and their methods.

The methods delegate to functions of ``basic``, ``math`` and ``subtensor``; those modules
are bound at the bottom of this file because they themselves build TensorVariables.
"""

from __future__ import annotations

import numpy as np

from .. import backend as _backend
from ..graph.basic import Constant, Variable
from .type import TensorType


class AsTensorError(TypeError):
    """Raised when a value cannot be turned into a tensor variable."""


class _tensor_py_operators:
    """Arithmetic, comparison, indexing and NumPy-like methods of tensor variables."""

    # Make NumPy defer to our reflected operators: without this, `ndarray * variable`
    # broadcasts the variable as an object scalar and returns an object array of
    # variables instead of one symbolic product (Theano set the same priority).
    __array_priority__ = 1000

    # -- arithmetic (a failed conversion returns NotImplemented, as Theano did) ----------------
    def _binary(fn, reflected=False):  # noqa: N805 - helper evaluated in class body
        def method(self, other):
            try:
                return fn(other, self) if reflected else fn(self, other)
            except (NotImplementedError, AsTensorError):
                return NotImplemented

        return method

    __add__ = _binary(lambda a, b: _m.add(a, b))
    __radd__ = _binary(lambda a, b: _m.add(a, b), True)
    __sub__ = _binary(lambda a, b: _m.sub(a, b))
    __rsub__ = _binary(lambda a, b: _m.sub(a, b), True)
    __mul__ = _binary(lambda a, b: _m.mul(a, b))
    __rmul__ = _binary(lambda a, b: _m.mul(a, b), True)
    __truediv__ = _binary(lambda a, b: _m.true_div(a, b))
    __rtruediv__ = _binary(lambda a, b: _m.true_div(a, b), True)
    __floordiv__ = _binary(lambda a, b: _m.int_div(a, b))
    __rfloordiv__ = _binary(lambda a, b: _m.int_div(a, b), True)
    __mod__ = _binary(lambda a, b: _m.mod_check(a, b))
    __rmod__ = _binary(lambda a, b: _m.mod_check(a, b), True)
    __pow__ = _binary(lambda a, b: _m.pow(a, b))
    __rpow__ = _binary(lambda a, b: _m.pow(a, b), True)
    __and__ = _binary(lambda a, b: _m.and_(a, b))
    __rand__ = _binary(lambda a, b: _m.and_(a, b), True)
    __or__ = _binary(lambda a, b: _m.or_(a, b))
    __ror__ = _binary(lambda a, b: _m.or_(a, b), True)
    __xor__ = _binary(lambda a, b: _m.xor(a, b))
    __rxor__ = _binary(lambda a, b: _m.xor(a, b), True)

    def _comparison(fn):  # noqa: N805 - helper evaluated in class body
        def method(self, other):
            try:
                out = fn(self, other)
            except (NotImplementedError, AsTensorError):
                return NotImplemented
            # `a < b < c` is Python's `(a < b) and (b < c)`: refuse it (see __bool__).
            out._is_nonzero = False
            return out

        return method

    __lt__ = _comparison(lambda a, b: _m.lt(a, b))
    __le__ = _comparison(lambda a, b: _m.le(a, b))
    __gt__ = _comparison(lambda a, b: _m.gt(a, b))
    __ge__ = _comparison(lambda a, b: _m.ge(a, b))
    __matmul__ = _binary(lambda a, b: _m.dot(a, b))
    __rmatmul__ = _binary(lambda a, b: _m.dot(a, b), True)
    del _binary, _comparison

    def __neg__(self):
        return _m.neg(self)

    def __abs__(self):
        return _m.abs_(self)

    def __invert__(self):
        return _m.invert(self)

    # Theano 1.0.5: a variable is truthy (legacy code writes `if W:` or `W = W or ...`),
    # except the result of a comparison operator, so that `a < b < c` fails loudly.
    _is_nonzero = True

    def __bool__(self):
        if self._is_nonzero:
            return True
        raise TypeError(
            "Variables do not support boolean operations: use theano.tensor.and_/or_ for "
            "elementwise logic, or theano.ifelse.ifelse/switch for conditions."
        )

    def __iter__(self):
        try:
            n = _b.get_vector_length(self)
        except (TypeError, ValueError):
            raise TypeError(
                "TensorType does not support iteration. Maybe you are using builtins.sum "
                "instead of theano.tensor.sum? (Maybe .max?)"
            ) from None
        for i in range(n):
            yield self[i]

    def __len__(self):
        raise TypeError(
            "objects of type TensorVariable have no len(): use x.shape[0] for a symbolic length"
        )

    # -- attributes --------------------------------------------------------------------------
    @property
    def ndim(self):
        return self.type.ndim

    @property
    def dtype(self):
        return self.type.dtype

    @property
    def broadcastable(self):
        return self.type.broadcastable

    @property
    def shape(self):
        return _b.shape(self)

    @property
    def size(self):
        return _m.prod(self.shape) if self.ndim else _b.as_tensor_variable(1)

    @property
    def T(self):
        return _b.transpose(self)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = axes[0]
        return _b.transpose(self, axes or None)

    def dimshuffle(self, *pattern):
        if len(pattern) == 1 and isinstance(pattern[0], (list, tuple)):
            pattern = pattern[0]
        return _b.dimshuffle(self, pattern)

    def reshape(self, shape, ndim=None):
        return _b.reshape(self, shape, ndim=ndim)

    def flatten(self, ndim=1, outdim=None):
        return _b.flatten(self, outdim if outdim is not None else ndim)

    def ravel(self):
        return _b.flatten(self, 1)

    def astype(self, dtype):
        return _b.cast(self, dtype)

    def squeeze(self):
        return _b.squeeze(self)

    def swapaxes(self, axis1, axis2):
        return _b.swapaxes(self, axis1, axis2)

    def copy(self, name=None):
        out = _b.tensor_copy(self)
        out.name = name
        return out

    def zeros_like(self, dtype=None):
        return _b.zeros_like(self, dtype=dtype)

    def ones_like(self, dtype=None):
        return _b.ones_like(self, dtype=dtype)

    def fill(self, value):
        return _b.fill(self, value)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _b.diagonal(self, offset, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return _b.repeat(self, repeats, axis)

    def nonzero(self, return_matrix=False):
        return _b.nonzero(self, return_matrix)

    def nonzero_values(self):
        return _b.nonzero_values(self)

    def sort(self, axis=-1, kind="quicksort", order=None):
        return _b.sort(self, axis, kind, order)

    def argsort(self, axis=-1, kind="quicksort", order=None):
        return _b.argsort(self, axis, kind, order)

    def dot(self, other):
        return _m.dot(self, other)

    # -- reductions --------------------------------------------------------------------------
    def sum(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return _m.sum(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def prod(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return _m.prod(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def mean(self, axis=None, dtype=None, keepdims=False, acc_dtype=None):
        return _m.mean(self, axis=axis, dtype=dtype, keepdims=keepdims, acc_dtype=acc_dtype)

    def var(self, axis=None, ddof=0, keepdims=False, corrected=False):
        return _m.var(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def std(self, axis=None, ddof=0, keepdims=False, corrected=False):
        return _m.std(self, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected)

    def max(self, axis=None, keepdims=False):
        return _m.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return _m.min(self, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None, keepdims=False):
        return _m.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        return _m.argmin(self, axis=axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        return _m.all(self, axis=axis, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        return _m.any(self, axis=axis, keepdims=keepdims)

    def norm(self, L, axis=None, keepdims=False):
        return _m.norm(self, L, axis=axis, keepdims=keepdims)

    def cumsum(self, axis=None):
        return _b.cumsum(self, axis)

    def cumprod(self, axis=None):
        return _b.cumprod(self, axis)

    def ptp(self, axis=None):
        return _m.max(self, axis) - _m.min(self, axis)

    def clip(self, a_min, a_max):
        return _m.clip(self, a_min, a_max)

    def round(self, mode=None):
        return _m.round(self, mode)

    def conj(self):
        return _m.conj(self)

    conjugate = conj

    def trace(self):
        return _m.sum(_b.diagonal(self))

    def choose(self, choices, out=None, mode="raise"):
        return _b.choose(self, choices, out=out, mode=mode)

    def compress(self, a, axis=None):
        # As Theano's method: self is the condition, `a` the tensor compressed.
        return _e.compress(self, a, axis=axis)

    def searchsorted(self, v, side="left", sorter=None):
        return _e.searchsorted(self, v, side=side, sorter=sorter)

    def get_scalar_constant_value(self):
        return _b.get_scalar_constant_value(self)

    def transfer(self, target):
        """Theano's transfer to a device ('cpu', 'gpu', 'cuda0', 'dev0'...).

        There are no transfer nodes here: a compiled function runs wholly on the device
        it is compiled for (DESIGN.md §9.4), so this checks that `target` exists (a GPU
        target without a usable GPU raises the backend's error) and returns the variable.
        """
        if target in ("cpu", None):
            return self
        name = target if not str(target).startswith("dev") else "cuda" + str(target)[3:]
        _backend.get(name)
        return self

    @property
    def real(self):
        return _m.real(self)

    @property
    def imag(self):
        return _m.imag(self)

    # -- indexing ----------------------------------------------------------------------------
    def __getitem__(self, index):
        return _s.getitem(self, index)

    def __setitem__(self, index, value):
        raise TypeError(
            "Theano variables are immutable: use theano.tensor.set_subtensor(x[idx], value) "
            "or inc_subtensor to build the modified tensor"
        )

    def take(self, indices, axis=None, mode="raise"):
        return _s.take(self, indices, axis, mode)


class TensorVariable(_tensor_py_operators, Variable):
    """A symbolic ndarray (Theano's ``theano.tensor.var.TensorVariable``)."""

    __hash__ = Variable.__hash__


class TensorConstant(_tensor_py_operators, Constant):
    """A constant ndarray in a graph (Theano's ``TensorConstant``)."""

    __hash__ = Constant.__hash__

    def __str__(self):
        if self.name is not None:
            return self.name
        data = self.data
        if data.ndim == 0:
            text = str(data.item() if data.dtype.kind != "f" else data)
            if data.dtype.kind == "f":
                text = repr(float(data)) if np.isfinite(data) else str(float(data))
        else:
            text = np.array2string(data, separator=" ")
            if len(text) > 20:
                text = text[:10].strip() + "..." + text[-10:].strip()
        return f"TensorConstant{{{text}}}"

    def signature(self):
        return (self.type, self.data.dtype.str, self.data.shape, self.data.tobytes())


TensorType.Variable = TensorVariable
TensorType.Constant = TensorConstant


def _elementwise_method(name):
    def method(self):
        return getattr(_m, name)(self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"theano.tensor.{name}(self)."
    return method


# The elementwise functions Theano also offered as variable methods (x.exp(), x.sqrt()...).
for _name in ("arccos arccosh arcsin arcsinh arctan arctanh ceil cos cosh deg2rad exp exp2 "
              "expm1 floor log log10 log1p log2 rad2deg sin sinh sqrt tan tanh trunc").split():
    setattr(_tensor_py_operators, _name, _elementwise_method(_name))


# Bottom imports: these modules build TensorVariables, so they import this one first.
from . import basic as _b  # noqa: E402
from . import extra_ops as _e  # noqa: E402
from . import math as _m  # noqa: E402
from . import subtensor as _s  # noqa: E402
