"""Shapes and views: Shape, Shape_i, MakeVector (shape vectors), Reshape and flatten,
SpecifyShape, the dimshuffle helpers (transpose, padding, broadcast flags), and
`get_scalar_constant_value`, which sees through them.

Part of the tensor chain (theano_compat/tensor/__init__.py): above elemwise.py, below
construct.py.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..scalar import dtypes as D
from ..scalar import ops as S
from .elemwise import (
    DimShuffle,
    Elemwise,
    as_tensor_variable,
    cast,
    constant,
    zeros_like,
)
from .type import Rebroadcast, TensorType, patternbroadcast

# These classes were defined in theano.tensor.basic, in Theano and here before the tensor
# chain: they keep that public path as their module, so pickles and op names (tests key
# ops by it) name theano.tensor.basic.X, which re-exports them.
_PUBLIC_MODULE = "theano_compat.tensor.basic"


class NotScalarConstantError(Exception):
    """Raised by get_scalar_constant_value when a value is not a known constant."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)


def get_scalar_constant_value(v, elemwise=True, only_process_constants=False, max_recur=10):
    """The numeric value of a scalar expression made only of constants (else raise)."""
    if isinstance(v, (numbers.Number, np.number, np.ndarray)):
        arr = np.asarray(v)
        if arr.size == 1:
            return arr.reshape(())
        raise NotScalarConstantError(v)
    if isinstance(v, Constant):
        data = np.asarray(v.data)
        if data.size == 1 or (data.ndim and np.all(data == data.flat[0])):
            return data.reshape(-1)[0].reshape(()) if data.size else data
        raise NotScalarConstantError(v)
    if isinstance(v, Variable) and v.owner is not None and not only_process_constants:
        op = v.owner.op
        if isinstance(op, Shape_i):
            shp_owner = v.owner.inputs[0]
            if shp_owner.type.broadcastable[op.i]:
                return np.asarray(1, dtype="int64")
        if isinstance(op, (DimShuffle, Rebroadcast, SpecifyShape)) or (
            isinstance(op, Elemwise) and isinstance(op.scalar_op, S.Cast)
        ):
            val = get_scalar_constant_value(v.owner.inputs[0], elemwise, False, max_recur)
            return np.asarray(val, dtype=v.type.dtype)
        if elemwise and isinstance(op, Elemwise) and max_recur > 0:
            args = [get_scalar_constant_value(i, elemwise, False, max_recur - 1)
                    for i in v.owner.inputs]
            try:
                with np.errstate(all="ignore"):
                    return np.asarray(op.impl(np, *args), dtype=v.type.dtype)
            except ZeroDivisionError:
                pass  # an integer division by zero has no value: not a constant
    raise NotScalarConstantError(v)


def get_vector_length(v):
    """The length of a symbolic vector when it is known at graph-build time."""
    v = as_tensor_variable(v)
    if v.type.ndim != 1:
        raise TypeError(f"argument must be symbolic vector, got '{v}'")
    if v.type.broadcastable[0]:
        return 1
    if isinstance(v, Constant):
        return len(v.data)
    if v.owner is not None:
        if isinstance(v.owner.op, MakeVector):
            return len(v.owner.inputs)
        if isinstance(v.owner.op, Shape):
            return v.owner.inputs[0].type.ndim
    raise ValueError(f"length not known: {v}")



# ----------------------------------------------------------------------------- shapes


class Shape(Op):
    """The shape of a tensor as an int64 vector."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [TensorType("int64", (False,))()])

    def impl(self, xp, x):
        return np.asarray(np.shape(x), dtype="int64")

    def infer_shape(self, node, shapes):
        return [(node.inputs[0].type.ndim,)]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type()]

    def connection_pattern(self, node):
        return [[False]]

    def R_op(self, inputs, eval_points):
        return [None]


_shape = Shape()


def shape(x):
    """Symbolic shape of `x` (an int64 vector)."""
    return _shape(x)


class Shape_i(Op):  # noqa: N801 - Theano's name
    """Length of dimension `i` of a tensor (int64 scalar)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("i",)

    def __init__(self, i):
        self.i = int(i)

    def make_node(self, x):
        x = as_tensor_variable(x)
        if x.type.ndim <= self.i:
            raise TypeError(f"Shape_i: x has {x.type.ndim} dims, no dimension {self.i}")
        return Apply(self, [x], [TensorType("int64", ())()])

    def impl(self, xp, x):
        return np.asarray(x.shape[self.i], dtype="int64")

    def infer_shape(self, node, shapes):
        return [()]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type()]

    def connection_pattern(self, node):
        return [[False]]

    def __str__(self):
        return f"Shape_i{{{self.i}}}"


class MakeVector(Op):
    """Stack scalars into a vector (used for symbolic shapes)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("dtype",)

    def __init__(self, dtype="int64"):
        self.dtype = dtype

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        for i in inputs:
            if i.type.ndim != 0:
                raise TypeError(f"MakeVector: all inputs must be scalars, got {i.type}")
        dtype = self.dtype
        for i in inputs:
            if D.upcast(dtype, i.type.dtype) != dtype:
                raise TypeError(
                    f"MakeVector{{dtype={dtype}}}: input of dtype {i.type.dtype} would be "
                    "downcast"
                )
        # Theano 1.0.5 never marks the vector broadcastable, even with one entry, so
        # stack([s]) has the type of an ordinary vector (it can update a shared vector).
        return Apply(self, inputs, [TensorType(dtype, (False,))()])

    def impl(self, xp, *inputs):
        return xp.asarray(inputs, dtype=self.dtype).reshape(len(inputs))

    def infer_shape(self, node, shapes):
        return [(len(node.inputs),)]

    def L_op(self, inputs, outputs, grads):
        (g,) = grads
        if self.dtype in D.discrete_dtypes:
            # An integer vector carries no gradient.
            return [zeros_like(i, dtype=config.floatX) for i in inputs]
        # Theano passes each entry's gradient on unchanged, to integer entries too
        # (grad(stack([x, cast(k, 'float64')]).sum(), k) is 1.0); floats get their dtype.
        return [g[k] if i.type.dtype in D.discrete_dtypes else cast(g[k], i.type.dtype)
                for k, i in enumerate(inputs)]

    def R_op(self, inputs, eval_points):
        if all(e is None for e in eval_points):
            return [None]
        # An entry without an eval point does not move: its tangent is zero.
        return [self(*[zeros_like(i) if e is None else e for i, e in zip(inputs, eval_points)])]

    def __str__(self):
        return f"MakeVector{{dtype='{self.dtype}'}}"


make_vector = MakeVector()


def _shape_vector(shape_arg):
    """Normalise a shape argument (int, tuple of ints/scalars, or a vector) to an int64 vector."""
    if isinstance(shape_arg, (int, np.integer)):
        shape_arg = (int(shape_arg),)
    if isinstance(shape_arg, (list, tuple)):
        if not any(isinstance(s, Variable) for s in shape_arg):
            return constant(np.asarray(shape_arg, dtype="int64")), len(shape_arg)
        scalars = [cast(as_tensor_variable(s, ndim=0), "int64") if isinstance(s, Variable)
                   else constant(np.asarray(s, dtype="int64")) for s in shape_arg]
        return MakeVector("int64")(*scalars), len(scalars)
    v = as_tensor_variable(shape_arg)
    if v.type.ndim == 0:
        v = shape_padleft(v, 1)
    if v.type.ndim != 1 or v.type.dtype not in D.integer_dtypes:
        raise TypeError(f"shape must be an integer vector, got {v.type}")
    return cast(v, "int64"), get_vector_length(v)


def as_type_of(v, ttype):
    """`v` as a variable of tensor type `ttype`, cast and with its broadcast flags set as
    needed (a gradient or tangent handed to an Op with inner graphs); unchanged when
    either type is not a tensor type."""
    if not isinstance(v, Variable):
        v = as_tensor_variable(v)
    if v.type == ttype or not isinstance(ttype, TensorType) or \
            not isinstance(v.type, TensorType):
        return v
    if v.type.dtype != ttype.dtype:
        v = cast(v, ttype.dtype)
    if v.type.broadcastable != ttype.broadcastable:
        v = patternbroadcast(v, ttype.broadcastable)
    return v


class Reshape(Op):
    """Reshape to a (possibly symbolic) shape vector; the output has `ndim` dimensions."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("ndim",)
    view_map = {0: [0]}

    def __init__(self, ndim, name=None):
        self.ndim = int(ndim)

    def make_node(self, x, shp):
        x = as_tensor_variable(x)
        shp = as_tensor_variable(shp, ndim=1)
        # A dimension is broadcastable when its requested length is a known constant 1.
        # Read the entries directly: indexing `shp` would build a Subtensor node, which
        # get_scalar_constant_value does not see through.
        if isinstance(shp, Constant):
            entries = [np.asarray(v) for v in np.asarray(shp.data).reshape(-1)]
        elif shp.owner is not None and isinstance(shp.owner.op, MakeVector):
            entries = list(shp.owner.inputs)
        else:
            entries = []
        bcast = []
        for k in range(self.ndim):
            try:
                val = get_scalar_constant_value(entries[k]) if k < len(entries) else None
            except NotScalarConstantError:
                val = None
            bcast.append(val is not None and int(val) == 1)
        return Apply(self, [x, shp], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x, shp):
        if len(shp) != self.ndim:
            raise ValueError(
                f"Reshape: shape argument {tuple(shp)} has {len(shp)} entries, "
                f"expected {self.ndim}"
            )
        return xp.reshape(x, tuple(int(s) for s in shp))

    def infer_shape(self, node, shapes):
        # A constant shape gives constant lengths (Theano's, so `mean` over a reshaped
        # batch divides by a constant, which the rewrites turn into a multiplication);
        # a -1 entry is the input's size over the other lengths.
        shp = node.inputs[1]
        if not isinstance(shp, Constant):
            return [tuple(node.outputs[0].type.ndim * [None])]
        entries = [int(v) for v in np.asarray(shp.data).reshape(-1)]
        if -1 in entries:
            known = int(np.prod([e for e in entries if e != -1]))
            if known == 0:
                return [tuple(node.outputs[0].type.ndim * [None])]
            total = 1
            for length in shapes[0]:
                total = total * length
            entries[entries.index(-1)] = total // known
        return [tuple(entries)]

    def L_op(self, inputs, outputs, grads):
        x, shp = inputs
        (g,) = grads
        return [reshape(g, shape(x), ndim=x.type.ndim), disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [reshape(eval_points[0], inputs[1], ndim=self.ndim)]

    def __str__(self):
        return f"Reshape{{{self.ndim}}}"


def reshape(x, newshape, ndim=None):
    """Symbolic reshape (newshape may hold symbolic entries and one -1)."""
    x = as_tensor_variable(x)
    shp, n = _shape_vector(newshape)
    if ndim is None:
        ndim = n
    out = Reshape(ndim)(x, shp)
    return out


def flatten(x, ndim=None, outdim=None):
    """Keep the first ndim-1 dims and flatten the rest into the last one."""
    if outdim is not None:
        ndim = outdim
    if ndim is None:
        ndim = 1
    x = as_tensor_variable(x)
    if ndim < 1 or (ndim > 1 and ndim > x.type.ndim):
        raise ValueError(f"flatten: ndim={ndim} is not valid for a {x.type.ndim}-d input")
    if ndim == 1:
        dims = [-1]
    else:
        dims = [x.shape[i] for i in range(ndim - 1)] + [-1]
    out = reshape(x, dims, ndim=ndim)
    bcast = x.type.broadcastable[: ndim - 1] + (all(x.type.broadcastable[ndim - 1:]),)
    return patternbroadcast(out, bcast) if any(bcast) else out


def dimshuffle(x, pattern):
    x = as_tensor_variable(x)
    return DimShuffle(x.type.broadcastable, pattern)(x)


def transpose(x, axes=None):
    """Reverse (or permute) the dimensions of `x`."""
    x = as_tensor_variable(x)
    if axes is None:
        axes = list(range(x.type.ndim - 1, -1, -1))
    out = DimShuffle(x.type.broadcastable, axes)(x)
    if x.name and axes == list(range(x.type.ndim - 1, -1, -1)):
        out.name = x.name + ".T"
    return out


def swapaxes(x, axis1, axis2):
    x = as_tensor_variable(x)
    order = list(range(x.type.ndim))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return dimshuffle(x, order)


def shape_padleft(t, n_ones=1):
    t = as_tensor_variable(t)
    return dimshuffle(t, ["x"] * n_ones + list(range(t.type.ndim)))


def shape_padright(t, n_ones=1):
    t = as_tensor_variable(t)
    return dimshuffle(t, list(range(t.type.ndim)) + ["x"] * n_ones)


def shape_padaxis(t, axis):
    t = as_tensor_variable(t)
    ndim = t.type.ndim + 1
    if not -ndim <= axis < ndim:
        raise IndexError(f"axis {axis} is out of bounds [-{ndim}, {ndim})")
    if axis < 0:
        axis += ndim
    pattern = list(range(t.type.ndim))
    pattern.insert(axis, "x")
    return dimshuffle(t, pattern)


def addbroadcast(x, *axes):
    x = as_tensor_variable(x)
    return Rebroadcast(*[(a, True) for a in axes])(x)


def unbroadcast(x, *axes):
    x = as_tensor_variable(x)
    changes = [(a, False) for a in axes if x.type.broadcastable[a]]
    return Rebroadcast(*changes)(x) if changes else x


def squeeze(x):
    """Drop every broadcastable dimension."""
    x = as_tensor_variable(x)
    return dimshuffle(x, [i for i, b in enumerate(x.type.broadcastable) if not b])


class SpecifyShape(Op):
    """Assert at run time that `x` has the given shape (a view)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x, shp):
        x = as_tensor_variable(x)
        shp = as_tensor_variable(shp, ndim=1)
        if shp.type.dtype not in D.integer_dtypes:
            raise TypeError("specify_shape: the shape must be an integer vector")
        return Apply(self, [x, shp], [x.type()])

    def impl(self, xp, x, shp):
        if x.ndim != len(shp) or any(a != int(b) for a, b in zip(x.shape, shp)):
            raise AssertionError(
                f"SpecifyShape: got shape {x.shape}, expected {tuple(int(s) for s in shp)}"
            )
        return x

    def infer_shape(self, node, shapes):
        return [tuple(node.inputs[1][i] for i in range(node.inputs[0].type.ndim))]

    def L_op(self, inputs, outputs, grads):
        return [grads[0], disconnected_type()]

    def connection_pattern(self, node):
        return [[True], [False]]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0], inputs[1])]


def specify_shape(x, shape):
    shp, _ = _shape_vector(shape)
    return SpecifyShape()(x, shp)


class TensorCopy(Op):
    """A fresh copy of its input (Theano's ``tensor_copy``)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()

    def make_node(self, x):
        x = as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        return xp.array(x, copy=True)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        return grads

    def R_op(self, inputs, eval_points):
        return eval_points


tensor_copy = TensorCopy()


# ----------------------------------------------------------------------------- small helpers


def extract_constant(x, elemwise=True, only_process_constants=False):
    """The value of `x` when it is a scalar constant expression, else `x` itself."""
    try:
        return get_scalar_constant_value(x, elemwise, only_process_constants)
    except NotScalarConstantError:
        return x


def makeKeepDims(x, y, axis):  # noqa: N802 - Theano's name
    """`y`, a reduction of `x` over `axis`, with the reduced axes put back as length 1."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if axis is None:
        axis = list(range(x.type.ndim))
    elif isinstance(axis, (int, np.integer)):
        axis = [axis]
    axis = [a + x.type.ndim if a < 0 else a for a in axis]
    order, j = [], 0
    for i in range(x.type.ndim):
        if i in axis:
            order.append("x")
        else:
            order.append(j)
            j += 1
    return dimshuffle(y, order)


