"""Random-variable Ops over numpy.random.RandomState, as Theano 1.0.5's raw_random did.

Each draw is an Apply of `RandomFunction` with inputs (rng, size, *distribution args)
and outputs (new rng, sample).  The rng lives in a shared variable whose
``default_update`` is the new rng, so every call of a function advances the stream.
"""

from __future__ import annotations

import copy

import numpy as np

from ..config import config
from ..graph.basic import Apply, Variable
from ..graph.null import grad_undefined
from ..graph.op import Op
from ..graph.shared import SharedVariable, shared_constructor
from ..graph.type import Type
from ..scalar import dtypes as D
from .basic import as_tensor_variable, cast, constant, get_vector_length
from .type import TensorType


class RandomStateType(Type):
    """The type of a numpy.random.RandomState value."""

    def filter(self, data, strict=False, allow_downcast=None):
        if isinstance(data, np.random.RandomState):
            return data
        raise TypeError(f"{data!r} is not a numpy.random.RandomState")

    def values_eq(self, a, b):
        sa, sb = a.get_state(), b.get_state()
        return all(np.all(x == y) for x, y in zip(sa, sb))

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __str__(self):
        return "RandomStateType"

    __repr__ = __str__


random_state_type = RandomStateType()


class RandomStateSharedVariable(SharedVariable):
    """A shared RandomState (``rv.rng`` in Theano's RandomStreams)."""


@shared_constructor
def randomstate_constructor(value, name=None, strict=False, allow_downcast=None, borrow=False):
    """theano.shared for RandomState objects."""
    if not isinstance(value, np.random.RandomState):
        raise TypeError("not a RandomState")
    if not borrow:
        value = copy.deepcopy(value)
    return RandomStateSharedVariable(type=random_state_type, value=value, name=name,
                                     strict=strict, allow_downcast=allow_downcast)


class RandomFunction(Op):
    """Draw from ``RandomState.<fn>(*args, size)`` on a copy of the input rng."""

    __props__ = ("fn", "outtype")

    def __init__(self, fn, outtype, *args, **kwargs):
        self.fn = fn
        self.outtype = outtype

    def make_node(self, r, shape, *args):
        shape = as_tensor_variable(shape, ndim=1)
        args = [as_tensor_variable(a) for a in args]
        return Apply(self, [r, shape] + args, [r.type(), self.outtype()])

    def perform(self, node, inputs, output_storage, params=None):
        r, shape, args = inputs[0], inputs[1], inputs[2:]
        r = copy.deepcopy(r)  # copy.copy would share the bit generator (NumPy 2)
        size = None if len(shape) == 0 else tuple(int(s) for s in shape)
        if size is not None and self.outtype.ndim not in (len(size), len(size) + 1):
            raise ValueError(
                f"Shape mismatch: the output has {self.outtype.ndim} dims but the size "
                f"{size} has {len(size)}"
            )
        draw = _HELPERS.get(self.fn)
        rval = draw(r, *args, size) if draw is not None else getattr(r, self.fn)(*args, size)
        if not isinstance(rval, np.ndarray) or str(rval.dtype) != self.outtype.dtype:
            rval = np.asarray(rval, dtype=self.outtype.dtype)
        if rval.ndim != self.outtype.ndim:
            rval = rval.reshape(rval.shape + (1,) * (self.outtype.ndim - rval.ndim))
        output_storage[0][0] = r
        output_storage[1][0] = rval

    def L_op(self, inputs, outputs, grads):
        return [grad_undefined(self, k, inp) for k, inp in enumerate(inputs)]

    def __str__(self):
        return f"RandomFunction{{{self.fn}}}"


def _random_integers(r, low, high, size):
    return r.randint(low, high + 1, size=size)


def _permutation(r, n, size):
    if size is None or size == ():
        return r.permutation(n)
    out = np.empty(size + (int(n),), dtype="int64")
    for idx in np.ndindex(*size):
        out[idx] = r.permutation(n)
    return out


def _multinomial(r, n, pvals, size):
    if size is None or size == ():
        return r.multinomial(n, pvals)
    out = np.empty(size + (len(pvals),), dtype="int64")
    for idx in np.ndindex(*size):
        out[idx] = r.multinomial(n, pvals)
    return out


def _choice(r, a, replace, p, size):
    return r.choice(a, size=size, replace=bool(replace), p=None if p.size == 0 else p)


_HELPERS = {"random_integers": _random_integers, "permutation_helper": _permutation,
            "multinomial_helper": _multinomial, "choice_helper": _choice}


def _size_and_ndim(size, ndim, *args):
    """(size vector, ndim, broadcastable) as Theano's _infer_ndim_bcast."""
    if size is None:
        nd = max([a.type.ndim for a in args] + [0]) if ndim is None else ndim
        bcast = tuple(all(a.type.broadcastable[i - nd + a.type.ndim] if i - nd + a.type.ndim
                          >= 0 else True for a in args) for i in range(nd)) if args else (
            False,) * nd
        return constant(np.zeros(0, dtype="int64")), nd, bcast
    if isinstance(size, Variable):
        size_v = cast(size, "int64")
        nd = get_vector_length(size_v) if ndim is None else ndim
        return size_v, nd, (False,) * nd
    size = tuple(size)
    if any(isinstance(s, Variable) for s in size):
        size_v = _basic.stack([cast(as_tensor_variable(s), "int64") for s in size])
        bcast = tuple(False for _ in size)
    else:
        size_v = constant(np.asarray(size, dtype="int64"))
        bcast = tuple(s == 1 for s in size)
    return size_v, len(size) if ndim is None else ndim, bcast


def uniform(random_state, size=None, low=0.0, high=1.0, ndim=None, dtype=None):
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    if dtype is None:
        dtype = D.upcast(config.floatX, low.type.dtype, high.type.dtype)
    size_v, nd, bcast = _size_and_ndim(size, ndim, low, high)
    return RandomFunction("uniform", TensorType(dtype, bcast))(random_state, size_v, low, high)


def normal(random_state, size=None, avg=0.0, std=1.0, ndim=None, dtype=None):
    avg, std = as_tensor_variable(avg), as_tensor_variable(std)
    if dtype is None:
        dtype = D.upcast(config.floatX, avg.type.dtype, std.type.dtype)
    size_v, nd, bcast = _size_and_ndim(size, ndim, avg, std)
    return RandomFunction("normal", TensorType(dtype, bcast))(random_state, size_v, avg, std)


def binomial(random_state, size=None, n=1, p=0.5, ndim=None, dtype="int64", prob=None):
    if prob is not None:
        p = prob
    n, p = as_tensor_variable(n), as_tensor_variable(p)
    size_v, nd, bcast = _size_and_ndim(size, ndim, n, p)
    return RandomFunction("binomial", TensorType(dtype, bcast))(random_state, size_v, n, p)


def random_integers(random_state, size=None, low=0, high=1, ndim=None, dtype="int64"):
    low, high = as_tensor_variable(low), as_tensor_variable(high)
    size_v, nd, bcast = _size_and_ndim(size, ndim, low, high)
    return RandomFunction("random_integers", TensorType(dtype, bcast))(
        random_state, size_v, low, high)


def choice(random_state, size=None, a=2, replace=True, p=None, ndim=None, dtype="int64"):
    a = as_tensor_variable(a)
    p = as_tensor_variable(np.zeros(0) if p is None else p)
    size_v, nd, bcast = _size_and_ndim(size, ndim)
    return RandomFunction("choice_helper", TensorType(dtype, bcast))(
        random_state, size_v, a, as_tensor_variable(np.asarray(bool(replace))), p)


def permutation(random_state, size=None, n=1, ndim=None, dtype="int64"):
    size_v, nd, bcast = _size_and_ndim(size, ndim)
    return RandomFunction("permutation_helper", TensorType(dtype, bcast + (False,)))(
        random_state, size_v, as_tensor_variable(n))


def multinomial(random_state, size=None, n=1, pvals=(0.5, 0.5), ndim=None, dtype="int64"):
    size_v, nd, bcast = _size_and_ndim(size, ndim)
    return RandomFunction("multinomial_helper", TensorType(dtype, bcast + (False,)))(
        random_state, size_v, as_tensor_variable(n), as_tensor_variable(np.asarray(pvals)))


from . import basic as _basic  # noqa: E402
