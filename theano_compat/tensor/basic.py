"""Tensor construction and shape operations: constants, casts, shapes, reshape, join, alloc."""

from __future__ import annotations

import numbers

import numpy as np

from ..backend import to_host
from ..config import config
from ..graph.basic import Apply, Constant, Variable
from ..graph.null import DisconnectedType, disconnected_type, grad_not_implemented
from ..graph.op import Op
from ..scalar import dtypes as D
from ..scalar import ops as S
from .type import Rebroadcast, TensorType, patternbroadcast  # noqa: F401
from .variable import AsTensorError, TensorConstant, TensorVariable

# ----------------------------------------------------------------------------- conversion


def constant(x, name=None, ndim=None, dtype=None):
    """A TensorConstant holding `x`, typed with Theano's literal rules (0.5 -> float32...).

    A GPU array (anything with ``__cuda_array_interface__``, e.g. CuPy's) is copied to the
    host: graph constants hold NumPy data, and the linker places them on the device."""
    if hasattr(x, "__cuda_array_interface__"):
        x = to_host(x)
    if dtype is not None:
        data = np.asarray(x, dtype=dtype)
    elif isinstance(x, np.ndarray):
        data = x
    elif isinstance(x, (bool, np.bool_)):
        data = np.asarray(x, dtype="bool")
    elif isinstance(x, (numbers.Integral, float, complex)) and not isinstance(x, np.generic):
        data = np.asarray(x, dtype=D.python_scalar_dtype(x))
    else:
        data = np.asarray(x)
        if data.size == 0 and not hasattr(x, "dtype"):
            data = np.asarray(x, dtype=config.floatX)
    if str(data.dtype) not in D.all_dtypes:
        # Strings, bytes, dates, float128: no TensorType holds them (Theano refused them
        # too), so `x + "abc"` fails when the graph is built, not when it runs.
        raise AsTensorError(f"Cannot convert {x!r} to TensorType: NumPy gives it dtype "
                            f"{data.dtype}, which no TensorType supports")
    if ndim is not None and data.ndim != ndim:
        if data.ndim > ndim and all(s == 1 for s in data.shape[: data.ndim - ndim]):
            data = data.reshape(data.shape[data.ndim - ndim:])
        elif data.ndim < ndim:
            data = data.reshape((1,) * (ndim - data.ndim) + data.shape)
        else:
            raise ValueError(f"constant: cannot make a {ndim}-d constant of shape {data.shape}")
    bcast = tuple(s == 1 for s in data.shape)
    return TensorConstant(TensorType(str(data.dtype), bcast), data, name=name)


def as_tensor_variable(x, name=None, ndim=None):
    """Turn `x` (a variable, an Apply, a number, a list or an array) into a tensor variable."""
    if isinstance(x, Apply):
        x = x.default_output()
    if isinstance(x, TensorVariable) or isinstance(x, TensorConstant) or (
        isinstance(x, Variable) and isinstance(x.type, TensorType)
    ):
        if ndim is None or x.type.ndim == ndim:
            return x
        if x.type.ndim > ndim:
            extra = x.type.ndim - ndim
            if all(x.type.broadcastable[:extra]):
                return DimShuffle_(x, list(range(extra, x.type.ndim)))
            raise ValueError(
                f"TensorType could not be cast to have {ndim} dimensions", x.type
            )
        return shape_padleft(x, ndim - x.type.ndim)
    if isinstance(x, Variable):
        raise AsTensorError(f"Cannot convert {x} of type {x.type} to a tensor variable")
    if isinstance(x, bool):
        raise AsTensorError(
            f"Cannot cast {x} to a TensorType variable: Python bools are refused to catch "
            "`x == True` mistakes; use numpy.asarray(True) or T.constant(True)"
        )
    if isinstance(x, (list, tuple)) and any(isinstance(e, Variable) for e in _flat(x)):
        return stack([as_tensor_variable(e) for e in x])
    try:
        return constant(x, name=name, ndim=ndim)
    except AsTensorError:
        raise
    except (TypeError, ValueError) as e:
        raise AsTensorError(f"Cannot convert {x!r} to TensorType: {e}") from None


as_tensor = as_tensor_variable


def _flat(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def DimShuffle_(x, pattern):  # noqa: N802 - thin constructor used before elemwise binds
    return _ew.DimShuffle(x.type.broadcastable, pattern)(x)


class NotScalarConstantError(Exception):
    """Raised by get_scalar_constant_value when a value is not a known constant."""


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
        if isinstance(op, (_ew.DimShuffle, Rebroadcast, SpecifyShape)) or (
            isinstance(op, _ew.Elemwise) and isinstance(op.scalar_op, S.Cast)
        ):
            val = get_scalar_constant_value(v.owner.inputs[0], elemwise, False, max_recur)
            return np.asarray(val, dtype=v.type.dtype)
        if elemwise and isinstance(op, _ew.Elemwise) and max_recur > 0:
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


# ----------------------------------------------------------------------------- casts


def cast(x, dtype):
    """`x` converted to `dtype` ('floatX' means config.floatX); a no-op when already so."""
    if dtype == "floatX":
        dtype = config.floatX
    dtype = str(np.dtype(dtype))
    x = as_tensor_variable(x)
    if x.type.dtype == dtype:
        return x
    if x.type.dtype.startswith("complex") and not dtype.startswith("complex"):
        raise TypeError(
            "Casting from complex to real is ambiguous: consider real(), imag(), angle() or abs()"
        )
    return _ew.elemwise_of(S.cast_op(dtype))(x)


def _make_cast(dtype):
    def caster(x):
        return cast(x, dtype)

    caster.__name__ = f"cast_{dtype}"
    caster.__doc__ = f"Cast to {dtype}."
    return caster


for _dt in D.all_dtypes:
    globals()[f"_convert_to_{_dt}"] = _make_cast(_dt)


# ----------------------------------------------------------------------------- shapes


class Shape(Op):
    """The shape of a tensor as an int64 vector."""

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


def int_vector_argument(v, op, what):
    """A small integer-vector argument of an Op (window shape, step, padding): a tuple of
    ints and/or integer scalars becomes an int64 vector, a vector variable must be of an
    integer dtype (TypeError naming `op` and `what` otherwise)."""
    if isinstance(v, (list, tuple)):
        if any(isinstance(e, Variable) for e in v):
            v = stack([cast(as_tensor_variable(e, ndim=0), "int64") for e in v])
        else:
            v = constant(np.asarray(v, dtype="int64").reshape(-1))
    v = as_tensor_variable(v)
    if v.type.ndim != 1 or v.type.dtype not in D.integer_dtypes:
        raise TypeError(f"{op}: {what} must be a vector of integers, got {v.type}")
    return v


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
    return _ew.DimShuffle(x.type.broadcastable, pattern)(x)


def transpose(x, axes=None):
    """Reverse (or permute) the dimensions of `x`."""
    x = as_tensor_variable(x)
    if axes is None:
        axes = list(range(x.type.ndim - 1, -1, -1))
    out = _ew.DimShuffle(x.type.broadcastable, axes)(x)
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


# ----------------------------------------------------------------------------- allocation


def sum_to_broadcast(g, var):
    """Sum gradient `g` over the dims `var` was broadcast along, giving var's pattern."""
    extra = g.type.ndim - var.type.ndim
    if extra > 0:
        g = _math.sum(g, axis=list(range(extra)))
    axes = [i for i, b in enumerate(var.type.broadcastable) if b and not g.type.broadcastable[i]]
    if axes:
        g = _math.sum(g, axis=axes, keepdims=True)
    return patternbroadcast(g, var.type.broadcastable)


# Allocs of more bytes than this are not constant-folded (tensor/rewrites/constants.py keeps
# no folded value above the same size).
ALLOC_FOLD_MAX_BYTES = 1 << 20


class Alloc(Op):
    """A tensor of the given shape filled with (a broadcast of) a value."""

    __props__ = ()

    def make_node(self, value, *shape):
        v = as_tensor_variable(value)
        sh = [cast(as_tensor_variable(s, ndim=0), "int64") if not isinstance(s, Variable)
              else as_tensor_variable(s) for s in shape]
        for s in sh:
            if s.type.ndim != 0 or s.type.dtype not in D.integer_dtypes:
                raise TypeError(f"Alloc: shape entries must be integer scalars, got {s.type}")
        if v.type.ndim > len(sh):
            raise TypeError(
                f"Alloc: the value has {v.type.ndim} dims, more than the {len(sh)} requested"
            )
        bcast = []
        for s in sh:
            try:
                bcast.append(int(get_scalar_constant_value(s)) == 1)
            except NotScalarConstantError:
                bcast.append(False)
        return Apply(self, [v] + sh, [TensorType(v.type.dtype, bcast)()])

    def impl(self, xp, v, *shape):
        shape = tuple(int(s) for s in shape)
        out = xp.empty(shape, dtype=v.dtype)
        out[...] = v
        return out

    def do_constant_folding(self, node):
        """Decline folding a large result (over ALLOC_FOLD_MAX_BYTES, the size constant
        folding keeps): building it at compile time would be wasted, or fail the compile
        (T.zeros((10**7, 10**6)) must raise MemoryError when the function runs, as in
        Theano, whose Alloc never folded into an output)."""
        size = np.dtype(node.outputs[0].type.dtype).itemsize
        for s in node.inputs[1:]:
            try:
                size *= max(int(get_scalar_constant_value(s)), 0)
            except NotScalarConstantError:
                return True
        return size <= ALLOC_FOLD_MAX_BYTES

    def infer_shape(self, node, shapes):
        return [tuple(node.inputs[1:])]

    def L_op(self, inputs, outputs, grads):
        v = inputs[0]
        (g,) = grads
        gv = sum_to_broadcast(g, v)
        if v.type.dtype in D.discrete_dtypes:
            gv = zeros_like(v, dtype=config.floatX)
        return [gv] + [disconnected_type() for _ in inputs[1:]]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None]
        return [self(eval_points[0], *inputs[1:])]


alloc = Alloc()


def zeros(shape, dtype=None):
    """A tensor of zeros (dtype defaults to floatX)."""
    if not isinstance(shape, (list, tuple, TensorVariable)):
        shape = [shape]
    if dtype is None:
        dtype = config.floatX
    return alloc(np.asarray(0, dtype=dtype), *_shape_entries(shape))


def ones(shape, dtype=None):
    if not isinstance(shape, (list, tuple, TensorVariable)):
        shape = [shape]
    if dtype is None:
        dtype = config.floatX
    return alloc(np.asarray(1, dtype=dtype), *_shape_entries(shape))


def _shape_entries(shape):
    if isinstance(shape, Variable):
        return [shape[i] for i in range(get_vector_length(shape))]
    return list(shape)


def fill(model, value):
    """`value` broadcast to the shape of `model` (Theano's ``fill``/``second``)."""
    return _ew.elemwise_of(S.second)(model, value)


second = fill


def zeros_like(model, dtype=None):
    model = as_tensor_variable(model)
    if dtype is None:
        dtype = model.type.dtype
    return fill(model, constant(0, dtype=dtype))


def ones_like(model, dtype=None):
    model = as_tensor_variable(model)
    if dtype is None:
        dtype = model.type.dtype
    return fill(model, constant(1, dtype=dtype))


class ARange(Op):
    """Theano's arange(start, stop, step) with a fixed output dtype."""

    __props__ = ("dtype",)

    def __init__(self, dtype):
        self.dtype = dtype

    def make_node(self, start, stop, step):
        inputs = [as_tensor_variable(v) for v in (start, stop, step)]
        for v in inputs:
            if v.type.ndim != 0:
                raise TypeError("arange: start, stop and step must be scalars")
        return Apply(self, inputs, [TensorType(self.dtype, (False,))()])

    def impl(self, xp, start, stop, step):
        return xp.arange(start.item(), stop.item(), step.item(), dtype=self.dtype)

    def infer_shape(self, node, shapes):
        return [(None,)]

    def L_op(self, inputs, outputs, grads):
        (g,) = grads
        if self.dtype in D.discrete_dtypes:
            return [zeros_like(i, dtype=config.floatX) if i.type.dtype in D.float_dtypes
                    else disconnected_type() for i in inputs]
        # out[k] = start + k * step for a fixed length: as in Theano 1.0.5, start gets
        # sum(g), step gets sum(g * k), and stop (which only sets the length) none.
        start, _, step = inputs
        k = ARange(self.dtype)(0, shape(g)[0], 1)
        return [cast(_math.sum(g), start.type.dtype) if start.type.dtype in D.float_dtypes
                else _math.sum(g), disconnected_type(),
                cast(_math.sum(g * k), step.type.dtype) if step.type.dtype in D.float_dtypes
                else _math.sum(g * k)]

    def connection_pattern(self, node):
        return [[True], [False], [True]]

    def R_op(self, inputs, eval_points):
        return [None]  # Theano 1.0.5's ARange.R_op


def arange(start, stop=None, step=1, dtype=None):
    """Symbolic arange; the default dtype follows NumPy's choice for the argument dtypes."""
    if stop is None:
        start, stop = 0, start
    start, stop, step = (as_tensor_variable(v) for v in (start, stop, step))
    if dtype is None:
        dtype = D.upcast(start.type.dtype, stop.type.dtype, step.type.dtype)
        if dtype in D.int_dtypes or dtype == "bool":
            dtype = "int64"
        if config.cast_policy in ("numpy", "numpy+floatX") or dtype in D.uint_dtypes:
            dtype = str(np.arange(np.zeros((), start.type.dtype), np.ones((), stop.type.dtype),
                                  np.ones((), step.type.dtype)).dtype)
    return ARange(dtype)(start, stop, step)


class Eye(Op):
    """The identity-like matrix eye(n, m, k)."""

    __props__ = ("dtype",)

    def __init__(self, dtype=None):
        self.dtype = dtype or config.floatX

    def make_node(self, n, m, k):
        inputs = [as_tensor_variable(v) for v in (n, m, k)]
        return Apply(self, inputs, [TensorType(self.dtype, (False, False))()])

    def impl(self, xp, n, m, k):
        return xp.eye(int(n), int(m), int(k), dtype=self.dtype)

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type() for _ in inputs]

    def connection_pattern(self, node):
        return [[False], [False], [False]]


def eye(n, m=None, k=0, dtype=None):
    if m is None:
        m = n
    return Eye(dtype or config.floatX)(n, m, k)


def identity_like(x):
    x = as_tensor_variable(x)
    return eye(x.shape[0], x.shape[1], k=0, dtype=x.type.dtype)


# ----------------------------------------------------------------------------- join / stack


class Join(Op):
    """Concatenate tensors along an axis (the axis is the first input, as in Theano)."""

    __props__ = ()

    def make_node(self, axis, *tensors):
        axis = as_tensor_variable(axis)
        tensors = [as_tensor_variable(t) for t in tensors]
        if not tensors:
            raise ValueError("Cannot join an empty list of tensors")
        ndim = tensors[0].type.ndim
        if any(t.type.ndim != ndim for t in tensors):
            raise TypeError(
                "Join: all tensors must have the same number of dimensions, got "
                + ", ".join(str(t.type) for t in tensors)
            )
        dtype = D.upcast(*[t.type.dtype for t in tensors])
        try:
            ax = int(get_scalar_constant_value(axis))
            if not -ndim <= ax < ndim:
                # ValueError, as Theano's Join.make_node.
                raise ValueError(
                    f'Join argument "axis" is out of range (given input dimensions): axis '
                    f"{ax} for {ndim}-d tensors"
                )
            if ax < 0:
                ax += ndim
            bcast = [all(t.type.broadcastable[d] for t in tensors) for d in range(ndim)]
            bcast[ax] = len(tensors) == 1 and tensors[0].type.broadcastable[ax]
        except NotScalarConstantError:
            bcast = [False] * ndim
        return Apply(self, [axis] + tensors, [TensorType(dtype, bcast)()])

    def impl(self, xp, axis, *tensors):
        out_dtype = xp.result_type(*tensors)
        return xp.concatenate(tensors, axis=int(axis)).astype(out_dtype, copy=False)

    def L_op(self, inputs, outputs, grads):
        axis, tensors = inputs[0], inputs[1:]
        (g,) = grads
        out = [disconnected_type()]
        if outputs[0].type.dtype in D.discrete_dtypes:
            # The joined tensor is integer: no gradient passes.
            return out + [zeros_like(t, dtype=config.floatX) for t in tensors]
        start = constant(np.asarray(0, dtype="int64"))
        for t in tensors:
            stop = start + shape(t)[axis]
            gt = _subtensor.slice_along(g, axis, start, stop, t.type.ndim)
            gt = patternbroadcast(gt, t.type.broadcastable)
            # Integer pieces of a float join keep their float slice (Theano's Split).
            if gt.type.dtype != t.type.dtype and t.type.dtype not in D.discrete_dtypes:
                gt = cast(gt, t.type.dtype)
            out.append(gt)
            start = stop
        return out

    def connection_pattern(self, node):
        return [[False]] + [[True] for _ in node.inputs[1:]]

    def R_op(self, inputs, eval_points):
        if all(e is None for e in eval_points[1:]):
            return [None]
        # A joined tensor without an eval point does not move: its tangent is zero.
        return [self(inputs[0], *[zeros_like(t) if e is None else e
                                  for t, e in zip(inputs[1:], eval_points[1:])])]


join_ = Join()


def join(axis, *tensors):
    """Concatenate `tensors` along `axis` (a single tensor is returned as is)."""
    if len(tensors) == 1:
        return as_tensor_variable(tensors[0])
    return join_(axis, *tensors)


def concatenate(tensor_list, axis=0):
    if not isinstance(tensor_list, (list, tuple)):
        raise TypeError(
            "The 'tensors' argument must be a list or tuple of tensors, not "
            f"{type(tensor_list).__name__}"
        )
    return join(axis, *tensor_list)


def stack(*tensors, **kwargs):
    """Stack tensors along a new axis (Theano accepts a list or varargs)."""
    axis = kwargs.pop("axis", 0)
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    if not tensors:
        raise ValueError("stack: nothing to stack")
    tensors = [as_tensor_variable(t) for t in tensors]
    if all(t.type.ndim == 0 for t in tensors) and axis == 0:
        dtype = D.upcast(*[t.type.dtype for t in tensors])
        return MakeVector(dtype)(*tensors)
    return join(axis, *[shape_padaxis(t, axis) for t in tensors])


# ----------------------------------------------------------------------------- split / roll


class Split(Op):
    """Cut `x` along `axis` into `len_splits` pieces of the given sizes (outputs in order)."""

    __props__ = ("len_splits",)

    def __init__(self, len_splits):
        self.len_splits = int(len_splits)

    def make_node(self, x, axis, splits):
        x = as_tensor_variable(x)
        axis = as_tensor_variable(axis)
        splits = as_tensor_variable(splits)
        if splits.type.ndim != 1 or splits.type.dtype not in D.integer_dtypes:
            raise TypeError(f"Split: splits must be an integer vector, got {splits.type}")
        if axis.type.ndim != 0 or axis.type.dtype not in D.integer_dtypes:
            raise TypeError(f"Split: axis must be an integer scalar, got {axis.type}")
        return Apply(self, [x, axis, splits], [x.type() for _ in range(self.len_splits)])

    def impl(self, xp, x, axis, splits):
        axis = int(axis)
        if len(splits) != self.len_splits:
            raise ValueError(
                f"Split: {len(splits)} sizes were given for {self.len_splits} outputs"
            )
        if int(splits.sum()) != x.shape[axis]:
            raise ValueError(
                f"Split: the sizes {tuple(int(s) for s in splits)} do not add up to the "
                f"length {x.shape[axis]} of axis {axis}"
            )
        if (splits < 0).any():
            raise ValueError(f"Split: negative size in {tuple(int(s) for s in splits)}")
        sizes = [int(s) for s in splits]  # host ints whether splits is host or device data
        bounds = [sum(sizes[:k + 1]) for k in range(len(sizes) - 1)]
        # Copies, as Theano's Split: the Op declares no view_map, so a view would let a
        # function output alias the caller's input (DebugMode's BadViewMap found it).
        parts = [p.copy() for p in xp.split(x, bounds, axis=axis)]
        return parts[0] if self.len_splits == 1 else tuple(parts)

    def L_op(self, inputs, outputs, grads):
        x, axis = inputs[:2]
        pieces = []
        for k, (out, g) in enumerate(zip(outputs, grads)):
            if g is None or isinstance(g.type, DisconnectedType):
                g = zeros_like(out, dtype=x.type.dtype if x.type.dtype in D.float_dtypes
                               else config.floatX)
            pieces.append(g)
        gx = join(axis, *pieces)
        if x.type.dtype in D.discrete_dtypes:
            gx = zeros_like(x, dtype=config.floatX)
        return [patternbroadcast(gx, x.type.broadcastable), disconnected_type(),
                disconnected_type()]

    def connection_pattern(self, node):
        return [[True] * self.len_splits, [False] * self.len_splits,
                [False] * self.len_splits]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None] * self.len_splits
        return self(eval_points[0], *inputs[1:], return_list=True)

    def __str__(self):
        return f"Split{{{self.len_splits}}}"


def split(x, splits_size, n_splits, axis=0):
    """The list of `n_splits` pieces of `x` along `axis`, of lengths `splits_size`."""
    if isinstance(splits_size, Variable):
        # A symbolic size vector: its length need not be known, Split checks the sizes
        # when it runs (as Theano); make_node checks its type.
        sizes = splits_size
    else:
        sizes, _ = _shape_vector(splits_size)
    out = Split(n_splits)(x, axis, sizes)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def roll(x, shift, axis=None):
    """Rotate the entries of `x` by `shift` along `axis` (flattened when None), as np.roll."""
    x = as_tensor_variable(x)
    if axis is None:
        if x.type.ndim > 1:
            return reshape(roll(flatten(x), shift, axis=0), shape(x), ndim=x.type.ndim)
        axis = 0
    if axis < 0:
        axis += x.type.ndim
    # Rolling is cyclic: reduce the shift modulo the axis length, then put the last
    # `shift` entries in front of the others.
    shift = as_tensor_variable(shift) % shape(x)[axis]
    before = (slice(None),) * axis
    return join(axis, x[before + (slice(-shift, None),)], x[before + (slice(0, -shift),)])


# ----------------------------------------------------------------------------- triangles


class Tri(Op):
    """np.tri(N, M, k): ones at and below the k-th diagonal."""

    __props__ = ("dtype",)

    def __init__(self, dtype=None):
        self.dtype = dtype or config.floatX

    def make_node(self, N, M, k):
        inputs = [as_tensor_variable(v) for v in (N, M, k)]
        for v in inputs:
            if v.type.ndim != 0 or v.type.dtype not in D.integer_dtypes:
                raise TypeError(f"Tri: N, M and k must be integer scalars, got {v.type}")
        return Apply(self, inputs, [TensorType(self.dtype, (False, False))()])

    def impl(self, xp, N, M, k):
        return xp.tri(int(N), int(M), int(k), dtype=self.dtype)

    def infer_shape(self, node, shapes):
        return [(node.inputs[0], node.inputs[1])]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type() for _ in inputs]

    def connection_pattern(self, node):
        return [[False], [False], [False]]


def tri(N, M=None, k=0, dtype=None):
    """An N x M matrix with ones at and below the k-th diagonal (dtype floatX by default)."""
    if M is None:
        M = N
    return Tri(dtype or config.floatX)(N, M, k)


def tril(m, k=0):
    """`m` with the entries above the k-th diagonal set to zero."""
    m = as_tensor_variable(m)
    return m * tri(m.shape[0], m.shape[1], k=k, dtype=m.type.dtype)


def triu(m, k=0):
    """`m` with the entries below the k-th diagonal set to zero."""
    m = as_tensor_variable(m)
    return m * (constant(1, dtype=m.type.dtype)
                - tri(m.shape[0], m.shape[1], k=k - 1, dtype=m.type.dtype))


# ----------------------------------------------------------------------------- stacking


def horizontal_stack(*args):
    """Concatenate matrices side by side (axis 1).  Unlike np.hstack, only matrices."""
    if len(args) < 2:
        raise AssertionError("horizontal_stack needs at least two matrices")
    args = [as_tensor_variable(a) for a in args]
    for a in args:
        if a.type.ndim != 2:
            raise AssertionError(f"horizontal_stack: {a} is not a matrix ({a.type})")
    return concatenate(args, axis=1)


def vertical_stack(*args):
    """Concatenate matrices one above the other (axis 0).  Unlike np.vstack, only matrices."""
    if len(args) < 2:
        raise AssertionError("vertical_stack needs at least two matrices")
    args = [as_tensor_variable(a) for a in args]
    for a in args:
        if a.type.ndim != 2:
            raise AssertionError(f"vertical_stack: {a} is not a matrix ({a.type})")
    return concatenate(args, axis=0)


def stacklists(arg):
    """A tensor from nested lists of tensors: stacklists([[a, b], [c, d]]) is a 2x2 grid."""
    if isinstance(arg, (tuple, list)):
        return stack([stacklists(a) for a in arg])
    return arg


class _nd_grid:  # noqa: N801 - Theano's name
    """``mgrid[0:3, 0:2]`` (dense) or ``ogrid[...]`` (open): index grids as a list of tensors."""

    def __init__(self, sparse=False):
        self.sparse = sparse

    def __getitem__(self, *args):
        slices = args[0] if isinstance(args[0], tuple) else args
        ndim = len(slices)
        ranges = [arange(sl.start or 0, sl.stop, 1 if sl.step is None else sl.step)
                  for sl in slices]
        # Each range lies along its own axis; the other axes have length 1.
        grids = [reshape(r, [1] * j + [r.shape[0]] + [1] * (ndim - 1 - j), ndim=ndim)
                 for j, r in enumerate(ranges)]
        if self.sparse:
            return grids
        dense = []
        for i in range(ndim):
            g = grids[i]
            for j in range(ndim):
                if j != i:
                    g = g * ones_like(grids[j])
            dense.append(g)
        return dense


mgrid = _nd_grid()
ogrid = _nd_grid(sparse=True)


# ----------------------------------------------------------------------------- choose


class Choose(Op):
    """np.choose(a, choices, mode): out[i] = choices[a[i]][i] (choices broadcast with a)."""

    __props__ = ("mode",)

    def __init__(self, mode="raise"):
        if mode not in ("raise", "wrap", "clip"):
            raise ValueError(f"choose: invalid mode {mode!r}")
        self.mode = mode

    def make_node(self, a, *choices):
        a = as_tensor_variable(a)
        if a.type.dtype not in D.integer_dtypes:
            raise TypeError(f"choose: a must be integers, got {a.type}")
        choices = [as_tensor_variable(c) for c in choices]
        if len(choices) == 1:
            # One tensor whose first axis enumerates the choices.
            patterns = [choices[0].type.broadcastable[1:]]
        else:
            patterns = [c.type.broadcastable for c in choices]
        dtype = D.upcast(*[c.type.dtype for c in choices])
        ndim = max([a.type.ndim] + [len(p) for p in patterns])
        padded = [(True,) * (ndim - len(p)) + tuple(p) for p in patterns + [a.type.broadcastable]]
        bcast = tuple(all(p[d] for p in padded) for d in range(ndim))
        return Apply(self, [a] + choices, [TensorType(dtype, bcast)()])

    def impl(self, xp, a, *choices):
        dtype = xp.result_type(*choices)
        options = choices[0] if len(choices) == 1 else [c.astype(dtype) for c in choices]
        return xp.choose(a, options, mode=self.mode)

    def L_op(self, inputs, outputs, grads):
        return [grad_not_implemented(self, k, v) for k, v in enumerate(inputs)]


def choose(a, choices, out=None, mode="raise"):
    """np.choose: pick each entry from one of `choices` (a list of tensors, or a tensor
    whose first axis enumerates them) according to the integer tensor `a`."""
    if out is not None:
        raise NotImplementedError("choose(out=...) is not supported: use the returned tensor")
    if isinstance(choices, (list, tuple)):
        return Choose(mode)(a, *choices)
    return Choose(mode)(a, choices)


def inverse_permutation(perm):
    """The inverse of the permutation vector (or matrix of row permutations) `perm`."""
    perm = as_tensor_variable(perm)
    return _permute.permute_row_elements(
        arange(perm.shape[-1], dtype=perm.type.dtype), perm, inverse=1)


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


# Bottom imports: modules of this package that depend on the names above.
from . import elemwise as _ew  # noqa: E402
from . import math as _math  # noqa: E402
from . import permute as _permute  # noqa: E402
from . import subtensor as _subtensor  # noqa: E402
from .extra_ops import (  # noqa: E402,F401
    argsort,
    cumprod,
    cumsum,
    diag,
    diagonal,
    fill_diagonal,
    fill_diagonal_offset,
    flatnonzero,
    nonzero,
    nonzero_values,
    repeat,
    sort,
    tile,
)
