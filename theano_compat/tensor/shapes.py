"""Shapes and views: Shape, Shape_i, MakeVector (shape vectors), Reshape and flatten,
SpecifyShape, the dimshuffle helpers (transpose, padding, broadcast flags), and
`get_scalar_constant_value`, which sees through them.

Part of the tensor chain (theano_compat/tensor/__init__.py): above elemwise.py, below
construct.py.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import disconnected_type
from ..graph.op import Op
from ..scalar import dtypes as D
from ..scalar import ops as S
from ..scalar.type import Scalar
from .elemwise import (
    DimShuffle,
    Elemwise,
    as_tensor_variable,
    cast,
    constant,
    zeros_like,
)
from .elemwise_ops import eq, int_div, maximum, switch
from .type import Rebroadcast, TensorType, patternbroadcast

# These classes were defined in theano.tensor.basic, in Theano and here before the tensor
# chain: they keep that public path as their module, so pickles and op names (tests key
# ops by it) name theano.tensor.basic.X, which re-exports them.
_PUBLIC_MODULE = "theano.tensor.basic"


class NotScalarConstantError(Exception):
    """Raised by get_scalar_constant_value when a value is not a known constant."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)


# Rules through which get_scalar_constant_value sees the output of Ops defined above this
# module in the tensor chain: {Op class: rule(v, recurse)}, where rule returns the value of
# `v` (its owner is of that class) or raises NotScalarConstantError, and recurse(w) is
# get_scalar_constant_value(w) with the same options.  construct.py adds Alloc's,
# variable.py Subtensor's.
CONSTANT_RULES: dict = {}


def get_scalar_constant_value(v, elemwise=True, only_process_constants=False, max_recur=10):
    """The numeric value of a scalar expression made only of constants (else raise
    NotScalarConstantError; EmptyConstantError for an empty array).

    As Theano's, it looks through casts, dimshuffles, Rebroadcast, SpecifyShape, Alloc,
    the scalar<->tensor conversions, ``second(shape, value)``, Shape_i of a constant or
    of a broadcastable dimension, indexing of a constant, of a MakeVector or of a Shape,
    and (when `elemwise`) evaluates Elemwise of constants.  The value returned is a copy.
    """
    if isinstance(v, (numbers.Number, np.number, np.ndarray)) and not isinstance(v, bool):
        return numpy_scalar_value(np.asarray(v), v)
    if isinstance(v, Constant):
        data = v.data if isinstance(v.data, np.ndarray) else np.asarray(v.data)
        if data.ndim and data.size and np.all(data == data.flat[0]):
            return data.reshape(-1)[0].reshape(()).copy()
        return numpy_scalar_value(data, v)
    if isinstance(v, Variable) and v.owner is not None and not only_process_constants \
            and max_recur > 0:
        op = v.owner.op
        inputs = v.owner.inputs

        def recurse(w):
            return get_scalar_constant_value(w, elemwise, False, max_recur - 1)

        if isinstance(op, Shape_i):
            shp_owner = inputs[0]
            if isinstance(shp_owner, Constant):
                return np.asarray(np.shape(shp_owner.data)[op.i], dtype="int64")
            if shp_owner.type.broadcastable[op.i]:
                return np.asarray(1, dtype="int64")
        elif isinstance(op, (DimShuffle, Rebroadcast, SpecifyShape, TensorFromScalar,
                             ScalarFromTensor)) or (
                isinstance(op, Elemwise) and isinstance(op.scalar_op, S.Cast)):
            return np.asarray(recurse(inputs[0]), dtype=v.type.dtype)
        elif isinstance(op, Elemwise) and op.scalar_op is S.second:
            # fill(shape, value): the value need not have the shape's shape to be known
            return np.asarray(recurse(inputs[1]), dtype=v.type.dtype)
        elif elemwise and isinstance(op, Elemwise):
            args = [recurse(i) for i in inputs]
            try:
                with np.errstate(all="ignore"):
                    return np.asarray(op.impl(np, *args), dtype=v.type.dtype)
            except ZeroDivisionError:
                pass  # an integer division by zero has no value: not a constant
        else:
            rule = CONSTANT_RULES.get(type(op))
            if rule is not None:
                return rule(v, recurse)
    raise NotScalarConstantError(v)


def numpy_scalar_value(data, v=None):
    """A copy of the one value of the array `data` as a 0-d array; EmptyConstantError when
    it is empty, NotScalarConstantError when it holds several values or is not numeric."""
    if data.ndim and data.size == 0:
        raise EmptyConstantError(v)
    if data.size != 1 or data.dtype.kind not in "biufc":
        raise NotScalarConstantError(v)
    return data.reshape(()).copy()


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

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

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

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    __props__ = ("i",)

    def __init__(self, i):
        self.i = int(i)

    def make_node(self, x):
        # Theano's Shape_i took any variable whose type has ndim and whose value has
        # .shape: sparse matrices (types with values_are_ndarrays = False) stay as they are.
        if getattr(getattr(x, "type", None), "values_are_ndarrays", True):
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

    __module__ = "theano.tensor.opt"  # Theano's path: reprs and pickles

    __props__ = ("dtype",)

    def __init__(self, dtype="int64"):
        self.dtype = dtype

    def make_node(self, *inputs):
        inputs = [as_tensor_variable(i) for i in inputs]
        for i in inputs:
            if i.type.ndim != 0:
                raise TypeError(f"MakeVector: all inputs must be scalars, got {i.type}")
        dtype = self.dtype
        # Theano's rule: the inputs are upcast to `dtype` (they then all have it), and an
        # input that would be downcast is an AssertionError.
        for i in inputs:
            if D.upcast(dtype, i.type.dtype) != dtype:
                raise AssertionError(
                    "The upcast of the inputs to MakeVector should match the dtype given "
                    f"in __init__ (MakeVector{{dtype={dtype}}}: input of dtype "
                    f"{i.type.dtype} would be downcast).")
        inputs = [i if i.type.dtype == dtype else cast(i, dtype) for i in inputs]
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


def _shape_vector(shape_arg, length=None):
    """Normalise a shape argument (int, tuple of ints/scalars, or a vector) to an int64 vector
    and its length (`length` when given: a symbolic vector's length need not be known)."""
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
    return cast(v, "int64"), get_vector_length(v) if length is None else length


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
            return [self._symbolic_shape(node, shapes)]
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

    def _symbolic_shape(self, node, shapes):
        """The requested lengths of a symbolic shape vector, a -1 entry replaced by the
        input's size over the product of the others (Theano's; a 0 among the others
        divides by 1 instead)."""
        shp = node.inputs[1]
        if shp.owner is not None and isinstance(shp.owner.op, MakeVector):
            requ = list(shp.owner.inputs)
        else:
            requ = [shp[i] for i in range(self.ndim)]
        if not self.ndim:
            return ()
        size = constant(np.asarray(1, dtype="int64"))
        for length in shapes[0]:
            size = size * length
        requested = requ[0]
        for r in requ[1:]:
            requested = requested * r
        rest = int_div(size, maximum(-requested, 1))
        return tuple(switch(eq(r, -1), rest, r) for r in requ)

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
    shp, n = _shape_vector(newshape, ndim)
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
    """`x` with the dimensions `axes` broadcastable (a Rebroadcast, checked at run time)."""
    return _rebroadcast(as_tensor_variable(x), {int(a): True for a in axes})


def unbroadcast(x, *axes):
    """`x` with the dimensions `axes` not broadcastable."""
    return _rebroadcast(as_tensor_variable(x), {int(a): False for a in axes})


def _rebroadcast(x, flags):
    """Rebroadcast `x` to `flags` ({axis: flag}) as Theano's apply_rebroadcast_opt left it:
    `x` itself when nothing changes, and a Rebroadcast of a Rebroadcast merged into one
    over the inner input (so unbroadcast(addbroadcast(x, 0), 0) is x)."""
    flags = {a + x.type.ndim if a < 0 else a: b for a, b in flags.items()}
    for a in flags:
        if not 0 <= a < x.type.ndim:
            raise ValueError(f"Rebroadcast: axis {a} out of range for {x.type}")
    if all(x.type.broadcastable[a] == b for a, b in flags.items()):
        return x
    if x.owner is not None and isinstance(x.owner.op, Rebroadcast):
        merged = dict(x.owner.op.axis)
        merged.update(flags)
        return _rebroadcast(x.owner.inputs[0], merged)
    changes = [(a, b) for a, b in flags.items() if x.type.broadcastable[a] != b]
    return Rebroadcast(*changes)(x)


def squeeze(x):
    """Drop every broadcastable dimension."""
    x = as_tensor_variable(x)
    return dimshuffle(x, [i for i, b in enumerate(x.type.broadcastable) if not b])


class SpecifyShape(Op):
    """Assert at run time that `x` has the given shape (a view)."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    __props__ = ()
    view_map = {0: [0]}

    def make_node(self, x, shp):
        if getattr(getattr(x, "type", None), "values_are_ndarrays", True):
            x = as_tensor_variable(x)  # a sparse variable stays itself (Theano: any variable)
        shp = as_tensor_variable(shp, ndim=1)
        # AssertionError, as Theano's asserts.
        if shp.type.dtype not in D.integer_dtypes:
            raise AssertionError(
                f"specify_shape: the shape must be an integer vector, got {shp.type}")
        if isinstance(shp, Constant) and np.size(shp.data) != x.type.ndim:
            raise AssertionError(
                f"specify_shape: {np.size(shp.data)} lengths given for a {x.type.ndim}-d "
                "tensor")
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


# Theano's tensor_copy is Elemwise{identity}: the canonicalize phase removes it (the
# function's output copy then does the copying), as Theano's remove_tensor_copy did.
tensor_copy = Elemwise(S.identity)


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




class EmptyConstantError(NotScalarConstantError):
    """Raised by `numpy_scalar` for an empty array (it has no scalar value)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)


def numpy_scalar(data):
    """`data` (an ndarray) when it holds one number; EmptyConstantError when it is empty,
    NotScalarConstantError otherwise."""
    data = np.asarray(data)
    numpy_scalar_value(data, data)
    return data


def _pack(x):
    """`x` as a list: its elements when it is iterable, else ``[x]``."""
    try:
        return list(x)
    except TypeError:
        return [x]


def check_and_normalize_axes(x, axis):
    """The axes `axis` (None, an int, a sequence of ints or a constant integer tensor) of
    the tensor `x` as a sorted list of distinct non-negative ints (``[]`` for None).

    TypeError for a non-constant axis or another kind of value, ValueError for an axis
    out of range."""
    x = as_tensor_variable(x)
    if axis is None:
        axes = []
    elif isinstance(axis, (int, np.integer)) or (
            isinstance(axis, np.ndarray) and axis.ndim == 0):
        axes = [int(axis)]
    elif isinstance(axis, (tuple, list, np.ndarray)):
        axes = [int(i) for i in axis]
    elif isinstance(axis, Variable):
        if getattr(axis.type, "dtype", None) is None and isinstance(axis, Constant) \
                and axis.data is None:
            axes = []  # NoneConst
        elif not isinstance(axis, Constant):
            raise TypeError(f"Computation needs a constant axis. Got {axis}")
        else:
            if axis.type.dtype not in D.integer_dtypes:
                raise TypeError(f"Computation needs an integer axis. Got {axis}")
            axes = [int(i) for i in np.asarray(axis.data).reshape(-1)]
    else:
        raise TypeError("Axis must be an integer, tuple, list of integers or a "
                        f"TensorVariable. Got {axis}")
    ndim = x.type.ndim
    for k, a in enumerate(axes):
        if a < 0:
            a += ndim
        if a < 0 or a >= ndim:
            raise ValueError(
                f"Computation needs a valid axis number for {ndim}-D tensor. Got {axes[k]}")
        axes[k] = a
    return sorted(set(axes))


def is_flat(var, ndim=None, outdim=None):
    """Whether `var` has `ndim` dimensions (1 by default), as flatten(x, ndim) gives."""
    if outdim is None and ndim is None:
        ndim = 1
    elif outdim is not None and ndim is not None:
        raise ValueError("You should only specify ndim")
    elif outdim is not None:
        warnings.warn("flatten outdim parameter is deprecated, use ndim instead.",
                      stacklevel=2)
        ndim = outdim
    return var.ndim == ndim


class Flatten(Op):
    """Theano's deprecated Flatten Op: keep the first ``outdim - 1`` dimensions and
    collapse the others into the last one (use `flatten`, which builds a Reshape)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("outdim",)
    view_map = {0: [0]}

    def __init__(self, outdim=1):
        warnings.warn("Flatten class is deprecated, please use flatten method instead.",
                      DeprecationWarning, stacklevel=2)
        self.outdim = int(outdim)

    def make_node(self, x):
        x = as_tensor_variable(x)
        if self.outdim < 1 or (x.type.ndim and self.outdim > x.type.ndim):
            raise ValueError(f"invalid output ndimensions ({self.outdim}) for tensor of "
                             f"rank {x.type.ndim}")
        bcast = x.type.broadcastable[: self.outdim - 1] + (
            all(x.type.broadcastable[self.outdim - 1:]),)
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x):
        kept = tuple(x.shape[: self.outdim - 1])
        return x.reshape(kept + (int(np.prod(x.shape[self.outdim - 1:], dtype="int64")),))

    def infer_shape(self, node, shapes):
        (shp,) = shapes
        kept = tuple(shp[: self.outdim - 1])
        rest = 1
        for length in shp[self.outdim - 1:]:
            rest = rest * length
        return [kept + (rest,)]

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        return [reshape(g, shape(x), ndim=x.type.ndim)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [flatten(eval_points[0], self.outdim)]

    def __str__(self):
        return f"Flatten{{{self.outdim}}}"


# ----------------------------------------------------------------------------- scalar <-> tensor


class TensorFromScalar(Op):
    """A 0-d tensor holding the value of a variable of a Scalar type (theano.scalar)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()

    def make_node(self, s):
        if not isinstance(getattr(s, "type", None), Scalar):
            raise TypeError(f"TensorFromScalar needs a variable of a Scalar type, got {s!r}")
        return Apply(self, [s], [TensorType(s.type.dtype, ())()])

    def impl(self, xp, s):
        return xp.asarray(s)

    def infer_shape(self, node, shapes):
        return [()]

    def grad(self, inputs, grads):
        (s,), (g,) = inputs, grads
        if s.type.dtype in D.float_dtypes:
            return [scalar_from_tensor(g)]
        if s.type.dtype in D.discrete_dtypes:
            return [scalar_from_tensor(zeros_like(g, dtype=config.floatX))]
        raise NotImplementedError("grad not implemented for complex dtypes")

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self.make_node(*eval_points).outputs


tensor_from_scalar = TensorFromScalar()


class ScalarFromTensor(Op):
    """The value of a 0-d tensor as a variable of the Scalar type of its dtype."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()

    def make_node(self, t):
        t = as_tensor_variable(t)
        if t.type.broadcastable != ():
            raise TypeError(f"ScalarFromTensor needs a 0-d tensor, got {t.type}")
        return Apply(self, [t], [Scalar(t.type.dtype)()])

    def impl(self, xp, t):
        return np.asarray(t).reshape(-1)[0]

    def infer_shape(self, node, shapes):
        return [()]

    def grad(self, inputs, grads):
        return [tensor_from_scalar(grads[0])]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return self.make_node(*eval_points).outputs


scalar_from_tensor = ScalarFromTensor()
