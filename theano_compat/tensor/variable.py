"""TensorVariable and TensorConstant: the user-facing symbolic arrays and their methods.

The methods (``x + y``, ``x.sum()``, ``x[i]``...) call the functions of the modules below
in the tensor chain, so this module sits at its top (theano_compat/tensor/__init__.py):
it sets `TensorType.Variable` and `TensorType.Constant` to its classes, through which the
lower modules make tensor variables without importing it.
"""

from __future__ import annotations

import numpy as np

from .. import backend as _backend
from ..graph.basic import Constant, Variable
from ..scalar.type import ComplexError
from . import construct as _c
from . import elemwise_ops as _ops
from . import extra_ops as _e
from . import math as _m
from . import shapes as _sh
from . import subtensor as _s
from .elemwise import (
    AsTensorError,
    cast,
    fill,
    ones_like,
    zeros_like,
)
from .type import TensorType


def _vector_length(v):
    """get_vector_length, plus Theano's case of a slice of a shape (``x.shape[1:]``) whose
    bounds are constants."""
    try:
        return _sh.get_vector_length(v)
    except ValueError:
        node = v.owner
        if node is None or not isinstance(node.op, _s.Subtensor) or not node.op.idx_list:
            raise
        src = node.inputs[0].owner
        entry = node.op.idx_list[0]
        if src is None or not isinstance(src.op, _sh.Shape) or entry[0] != "slice" or "v" in entry:
            raise
        ndim = src.inputs[0].type.ndim
        start, stop, step = entry[1:]
        start = 0 if start is None else max(start + ndim, 0) if start < 0 else start
        stop = ndim if stop is None else stop + ndim if stop < 0 else min(stop, ndim)
        step = 1 if step is None else step
        if start >= 0 and stop >= 0 and step > 0 and stop >= start:
            return (stop - start - 1) // step + 1
        raise


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
            except ComplexError:
                raise  # `%` of complex numbers: Theano's error, not NotImplemented
            except (NotImplementedError, AsTensorError):
                return NotImplemented

        return method

    __add__ = _binary(_ops.add)
    __radd__ = _binary(_ops.add, True)
    __sub__ = _binary(_ops.sub)
    __rsub__ = _binary(_ops.sub, True)
    __mul__ = _binary(_ops.mul)
    __rmul__ = _binary(_ops.mul, True)
    __truediv__ = _binary(_m.true_div)
    __rtruediv__ = _binary(_m.true_div, True)
    __floordiv__ = _binary(_m.int_div)
    __rfloordiv__ = _binary(_m.int_div, True)
    __mod__ = _binary(_m.mod_check)
    __rmod__ = _binary(_m.mod_check, True)
    __divmod__ = _binary(_m.divmod)
    __rdivmod__ = _binary(_m.divmod, True)
    __pow__ = _binary(_ops.pow)
    __rpow__ = _binary(_ops.pow, True)
    __and__ = _binary(_m.and_)
    __rand__ = _binary(_m.and_, True)
    __or__ = _binary(_m.or_)
    __ror__ = _binary(_m.or_, True)
    __xor__ = _binary(_ops.xor)
    __rxor__ = _binary(_ops.xor, True)

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

    __lt__ = _comparison(_ops.lt)
    __le__ = _comparison(_m.le)
    __gt__ = _comparison(_ops.gt)
    __ge__ = _comparison(_ops.ge)
    __matmul__ = _binary(_m.dot)
    __rmatmul__ = _binary(_m.dot, True)
    del _binary, _comparison

    def __neg__(self):
        return _ops.neg(self)

    def __abs__(self):
        return _m.abs_(self)

    def __invert__(self):
        return _ops.invert(self)

    # math.ceil/floor/trunc call these; so do NumPy's ceil, floor and trunc on a variable
    # (their object loops go through the math module), as they did under NumPy 1.
    def __ceil__(self):
        return _ops.ceil(self)

    def __floor__(self):
        return _ops.floor(self)

    def __trunc__(self):
        return _ops.trunc(self)

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
        # Theano 1.0.5: a vector whose length is known when the graph is built (a shape,
        # a slice of a shape, a stack of scalars, a constant...) iterates over its entries
        # (`a, b = x.shape`); a vector of unknown length raises get_vector_length's
        # ValueError; anything else is a TypeError.
        try:
            n = _vector_length(self)
        except TypeError:
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
        return _sh.shape(self)

    @property
    def size(self):
        # As Theano: shape[0] for a vector, else the product of the shape (1 for a scalar,
        # still computed from the variable, so `function([x], x.size)` uses its input).
        return self.shape[0] if self.ndim == 1 else _m.prod(self.shape)

    @property
    def T(self):
        return _sh.transpose(self)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (list, tuple)):
            axes = axes[0]
        return _sh.transpose(self, axes or None)

    def dimshuffle(self, *pattern):
        if len(pattern) == 1 and isinstance(pattern[0], (list, tuple)):
            pattern = pattern[0]
        return _sh.dimshuffle(self, pattern)

    def reshape(self, shape, ndim=None):
        return _sh.reshape(self, shape, ndim=ndim)

    def flatten(self, ndim=1, outdim=None):
        return _sh.flatten(self, outdim if outdim is not None else ndim)

    def ravel(self):
        return _sh.flatten(self, 1)

    def astype(self, dtype):
        return cast(self, dtype)

    def squeeze(self):
        return _sh.squeeze(self)

    def swapaxes(self, axis1, axis2):
        return _sh.swapaxes(self, axis1, axis2)

    def copy(self, name=None):
        out = _sh.tensor_copy(self)
        out.name = name
        return out

    def zeros_like(self, dtype=None):
        return zeros_like(self, dtype=dtype)

    def ones_like(self, dtype=None):
        return ones_like(self, dtype=dtype)

    def fill(self, value):
        return fill(self, value)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return _e.diagonal(self, offset, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return _e.repeat(self, repeats, axis)

    def nonzero(self, return_matrix=False):
        return _e.nonzero(self, return_matrix)

    def nonzero_values(self):
        return _e.nonzero_values(self)

    # `stable` is the keyword NumPy 2's np.sort/np.argsort pass to the method of an object
    # they do not convert: accepting it keeps np.argsort(variable) symbolic, as under NumPy 1.
    def sort(self, axis=-1, kind="quicksort", order=None, stable=None):
        return _e.sort(self, axis, kind, order)

    def argsort(self, axis=-1, kind="quicksort", order=None, stable=None):
        return _e.argsort(self, axis, kind, order)

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
        return _e.cumsum(self, axis)

    def cumprod(self, axis=None):
        return _e.cumprod(self, axis)

    def ptp(self, axis=None):
        return _m.max(self, axis) - _m.min(self, axis)

    def clip(self, a_min, a_max):
        return _m.clip(self, a_min, a_max)

    def round(self, mode=None):
        return _m.round(self, mode)

    def conj(self):
        return _ops.conj(self)

    conjugate = conj

    def trace(self):
        return _m.sum(_e.diagonal(self))

    def choose(self, choices, out=None, mode="raise"):
        return _c.choose(self, choices, out=out, mode=mode)

    def compress(self, a, axis=None):
        # As Theano's method: self is the condition, `a` the tensor compressed.
        return _e.compress(self, a, axis=axis)

    def searchsorted(self, v, side="left", sorter=None):
        return _e.searchsorted(self, v, side=side, sorter=sorter)

    def get_scalar_constant_value(self):
        return _sh.get_scalar_constant_value(self)

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
        return _ops.real(self)

    @property
    def imag(self):
        return _ops.imag(self)

    # -- the elementwise functions Theano also offered as methods (x.exp(), x.sqrt()...) ------
    def _elementwise(op):  # noqa: N805 - helper evaluated in class body
        def method(self):
            return op(self)

        method.__name__ = method.__qualname__ = op.scalar_op.name
        method.__doc__ = f"theano.tensor.{op.scalar_op.name}(self)."
        return method

    arccos = _elementwise(_ops.arccos)
    arccosh = _elementwise(_ops.arccosh)
    arcsin = _elementwise(_ops.arcsin)
    arcsinh = _elementwise(_ops.arcsinh)
    arctan = _elementwise(_ops.arctan)
    arctanh = _elementwise(_ops.arctanh)
    ceil = _elementwise(_ops.ceil)
    cos = _elementwise(_ops.cos)
    cosh = _elementwise(_ops.cosh)
    deg2rad = _elementwise(_ops.deg2rad)
    exp = _elementwise(_ops.exp)
    exp2 = _elementwise(_ops.exp2)
    expm1 = _elementwise(_ops.expm1)
    floor = _elementwise(_ops.floor)
    log = _elementwise(_ops.log)
    log10 = _elementwise(_ops.log10)
    log1p = _elementwise(_ops.log1p)
    log2 = _elementwise(_ops.log2)
    rad2deg = _elementwise(_ops.rad2deg)
    sin = _elementwise(_ops.sin)
    sinh = _elementwise(_ops.sinh)
    sqrt = _elementwise(_ops.sqrt)
    tan = _elementwise(_ops.tan)
    tanh = _elementwise(_ops.tanh)
    trunc = _elementwise(_ops.trunc)
    del _elementwise

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

    __module__ = "theano.tensor.var"  # Theano's path: reprs and pickles

    __hash__ = Variable.__hash__


class TensorConstant(_tensor_py_operators, Constant):
    """A constant ndarray in a graph (Theano's ``TensorConstant``)."""

    __module__ = "theano.tensor.var"  # Theano's path: reprs and pickles

    __hash__ = Constant.__hash__

    def __init__(self, type, data, name=None):
        super().__init__(type, data, name)
        # Theano's tag.unique_value: the value of an array constant whose entries are all
        # equal (None otherwise); its str shows it as "(2,) of 2"
        self.tag.unique_value = None
        data = self.data
        if data.ndim > 0 and data.size and (data == data.flat[0]).all():
            self.tag.unique_value = data.flat[0]

    def __str__(self):
        if self.name is not None:
            return self.name
        data = self.data
        unique = getattr(self.tag, "unique_value", None)
        if data.ndim > 0 and unique is not None:
            return f"TensorConstant{{{data.shape} of {unique}}}"
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


# The class hook of TensorType (see its docstring): tensor types make variables of these.
TensorType.Variable = TensorVariable
TensorType.Constant = TensorConstant


def _subtensor_constant(v, recurse):
    """get_scalar_constant_value of ``x[i, ...]`` (a 0-d Subtensor output): the entry of a
    constant `x`, the i-th input of a MakeVector, 1 for the shape of a broadcastable
    dimension (as Theano's, which looked through these three)."""
    node = v.owner
    x = node.inputs[0]
    entries = _s.get_idx_list(node.inputs, node.op.idx_list)
    if v.type.ndim != 0 or any(isinstance(e, slice) or e is None for e in entries):
        raise _sh.NotScalarConstantError(v)
    idx = tuple(int(recurse(e)) if isinstance(e, Variable) else int(e) for e in entries)
    if isinstance(x, Constant):
        return np.asarray(x.data[idx]).copy()
    owner = x.owner
    if owner is not None and len(idx) == 1:
        if isinstance(owner.op, _sh.MakeVector):
            return np.asarray(recurse(owner.inputs[idx[0]]), dtype=v.type.dtype)
        if isinstance(owner.op, _sh.Shape):
            bcast = owner.inputs[0].type.broadcastable
            if idx[0] >= len(bcast):
                raise ValueError(
                    f"get_scalar_constant_value detected deterministic IndexError: "
                    f"x.shape[{idx[0]}] when x.ndim={len(bcast)}. x={v}")
            if bcast[idx[0]]:
                return np.asarray(1, dtype=v.type.dtype)
    raise _sh.NotScalarConstantError(v)


_sh.CONSTANT_RULES[_s.Subtensor] = _subtensor_constant

