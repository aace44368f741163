"""Tensors built from shapes, ranges and other tensors: Alloc (zeros, ones), ARange, Eye,
Tri, Join and Split (stack, concatenate, roll), Choose and the index grids.

Part of the tensor chain (theano_compat/tensor/__init__.py): above shapes.py.  It fills the
hook through which `as_tensor_variable` stacks a Python list of variables.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import hooks
from ..config import config
from ..graph.basic import Apply, Variable
from ..graph.null import DisconnectedType, disconnected_type, grad_not_implemented
from ..graph.op import Op
from ..scalar import dtypes as D
from .elemwise_ops import ceil, eq, ge, maximum, or_, switch, true_div
from .elemwise import (
    as_tensor_variable,
    cast,
    constant,
    ones_like,
    sum_to_broadcast,
    zeros_like,
)
from .elemwise import sum as tensor_sum  # `sum` stays the builtin here (Split.impl)
from .shapes import (
    CONSTANT_RULES,
    MakeVector,
    NotScalarConstantError,
    _shape_vector,
    flatten,
    get_scalar_constant_value,
    get_vector_length,
    reshape,
    shape,
    shape_padaxis,
)
from .type import TensorType, patternbroadcast

# See shapes.py: classes first defined in theano.tensor.basic keep it as their module.
_PUBLIC_MODULE = "theano.tensor.basic"


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



# ----------------------------------------------------------------------------- allocation



ALLOC_FOLD_MAX_BYTES = 1 << 20


class Alloc(Op):
    """A tensor of the given shape filled with (a broadcast of) a value."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()
    # Its output is a new writable array each call: an in-place Op may overwrite it
    # without a guard copy (compile/pipeline.py).
    returns_new_array = True

    def make_node(self, value, *shape):
        v = as_tensor_variable(value)
        # A Python / NumPy integer becomes an int64 constant (printed TensorConstant{3},
        # as Theano's), not a cast node over a constant.
        sh = [as_tensor_variable(s) if isinstance(s, Variable)
              else constant(np.asarray(s, dtype="int64"))
              if isinstance(s, (int, np.integer)) and not isinstance(s, bool)
              else cast(as_tensor_variable(s, ndim=0), "int64") for s in shape]
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

    # Ops that write into their input 0 (Theano's in-place incsubtensor / gemv / ger):
    # an Alloc read there stays an Alloc, a fresh buffer each call, as in Theano 1.0.5.
    _WRITES_INPUT0 = frozenset(("IncSubtensor", "AdvancedIncSubtensor1",
                                "AdvancedIncSubtensor", "Gemv", "Ger"))

    def do_constant_folding_for(self, node, clients):
        """Theano 1.0.5's other conditions, which need the graph's clients of the output:
        not folded when unread, when a function output (the constant would be deep-copied
        each call) or when an Op writing into its first input reads it."""
        if not clients:
            return False
        for user, i in clients:
            if user == "output":
                return False
            if i == 0 and any(c.__name__ in self._WRITES_INPUT0
                              for c in type(user.op).__mro__):
                return False
        return True

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
# get_scalar_constant_value(alloc(value, *shape)) is the value's (every entry has it).
CONSTANT_RULES[Alloc] = lambda v, recurse: np.asarray(recurse(v.owner.inputs[0]),
                                                      dtype=v.type.dtype)


def alloc_validate_shape(shape):
    """The shape arguments of an allocation as integer scalar tensors, and the
    broadcastable flags they give (a constant 1 is broadcastable); TypeError for a
    non-integer or non-scalar entry."""
    sh = [as_tensor_variable(s) for s in shape]
    bcast = []
    for i, s in enumerate(sh):
        if s.type.dtype not in D.integer_dtypes:
            raise TypeError("Shape arguments to Alloc must be integers, but argument "
                            f"{i} is not for apply node: {s}")
        if s.type.ndim != 0:
            raise TypeError("Each shape dimension to Alloc must be a scalar, but dimension "
                            f"{i} have {s.type.ndim} dimensions for apply node: {s}")
        try:
            bcast.append(int(get_scalar_constant_value(s)) == 1)
        except NotScalarConstantError:
            bcast.append(False)
    return sh, bcast


class AllocEmpty(Op):
    """An array of the given shape and `dtype` whose content is not initialised (Theano's
    AllocEmpty: the caller overwrites it).  Its values are compared as always equal."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("dtype",)
    returns_new_array = True  # as Alloc's

    def __init__(self, dtype):
        if not isinstance(dtype, str):
            raise TypeError(f"AllocEmpty: dtype must be a string, got {dtype!r}")
        self.dtype = dtype.lower()

    @property
    def typecode(self):
        return np.dtype(self.dtype).num

    def make_node(self, *shape):
        shape, bcast = alloc_validate_shape(shape)
        out = TensorType(self.dtype, bcast)()
        out.tag.values_eq_approx = _values_eq_approx_always_true
        out.tag.nan_guard_mode_check = False
        return Apply(self, shape, [out])

    def impl(self, xp, *shape):
        return xp.empty(tuple(int(s) for s in shape), dtype=self.dtype)

    def do_constant_folding(self, node):
        return False

    def infer_shape(self, node, shapes):
        return [tuple(node.inputs)]

    def connection_pattern(self, node):
        return [[False] for _ in node.inputs]

    def L_op(self, inputs, outputs, grads):
        return [disconnected_type() for _ in inputs]


def _values_eq_approx_always_true(a, b):
    return True


class Default(Op):
    """``default(x, d)``: `x`, or a copy of `d` when the value of `x` is None (both of one
    type)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ()
    view_map = {0: [0]}
    # Input positions whose value may be None (a function input given None): Theano
    # handed None to the Op, and this one picks the other value.
    none_inputs = (0, 1)

    def make_node(self, x, default):
        x, default = as_tensor_variable(x), as_tensor_variable(default)
        if x.type != default.type:
            raise TypeError("Both default() arguments must have same type", x, default)
        return Apply(self, [x, default], [default.type()])

    def impl(self, xp, x, default):
        if x is None:
            return None if default is None else default.copy()
        return x


default = Default()
setdefault = default  # Theano's legacy name


def zeros(shape, dtype=None):
    """A tensor of zeros (dtype defaults to floatX)."""
    if not isinstance(shape, (list, tuple, TensorType.Variable)):
        shape = [shape]
    if dtype is None:
        dtype = config.floatX
    return alloc(np.asarray(0, dtype=dtype), *_shape_entries(shape))


def ones(shape, dtype=None):
    if not isinstance(shape, (list, tuple, TensorType.Variable)):
        shape = [shape]
    if dtype is None:
        dtype = config.floatX
    return alloc(np.asarray(1, dtype=dtype), *_shape_entries(shape))


def _shape_entries(shape):
    if isinstance(shape, Variable):
        return [shape[i] for i in range(get_vector_length(shape))]
    return list(shape)

class ARange(Op):
    """Theano's arange(start, stop, step) with a fixed output dtype."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

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
        """Theano's: stop for arange(0, stop, 1), max(stop - start, 0) for a unit step,
        else max(ceil((stop - start) / step), 0), as int64."""
        start, stop, step = node.inputs

        def is_value(var, value):
            try:
                return bool(np.all(get_scalar_constant_value(var) == value))
            except NotScalarConstantError:
                return False

        def upcast(var):
            if var.type.dtype in D.integer_dtypes and D.upcast(var.type.dtype, "int64") == "int64":
                return cast(var, "int64")
            return var

        if is_value(step, 1):
            if is_value(start, 0):
                return [(cast(stop, "int64"),)]
            return [(maximum(cast(upcast(stop) - upcast(start), "int64"), 0),)]
        length = ceil(true_div(cast(upcast(stop) - upcast(start), "float64"), step))
        return [(maximum(cast(length, "int64"), 0),)]

    def L_op(self, inputs, outputs, grads):
        (g,) = grads
        if self.dtype in D.discrete_dtypes:
            return [zeros_like(i, dtype=config.floatX) if i.type.dtype in D.float_dtypes
                    else disconnected_type() for i in inputs]
        # out[k] = start + k * step for a fixed length: as in Theano 1.0.5, start gets
        # sum(g), step gets sum(g * k), and stop (which only sets the length) none.
        start, _, step = inputs
        k = ARange(self.dtype)(0, shape(g)[0], 1)
        return [cast(tensor_sum(g), start.type.dtype) if start.type.dtype in D.float_dtypes
                else tensor_sum(g), disconnected_type(),
                cast(tensor_sum(g * k), step.type.dtype) if step.type.dtype in D.float_dtypes
                else tensor_sum(g * k)]

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
    op = _ARANGE_OPS.get(dtype)
    if op is None:
        op = _ARANGE_OPS[dtype] = ARange(dtype)  # one Op per dtype, as in Theano
    return op(start, stop, step)


_ARANGE_OPS: dict = {}


class Eye(Op):
    """The identity-like matrix eye(n, m, k)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("dtype",)
    none_inputs = (1,)  # m given None: n columns (see Default.none_inputs)

    def __init__(self, dtype=None):
        self.dtype = dtype or config.floatX

    def make_node(self, n, m, k):
        inputs = [as_tensor_variable(v) for v in (n, m, k)]
        return Apply(self, inputs, [TensorType(self.dtype, (False, False))()])

    def impl(self, xp, n, m, k):
        # m may be None (a function input given None, as Theano allowed): n columns.
        return xp.eye(int(n), None if m is None else int(m), int(k), dtype=self.dtype)

    def infer_shape(self, node, shapes):
        return [(node.inputs[0], node.inputs[1])]

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

    __module__ = _PUBLIC_MODULE  # its public path (see above)

    __props__ = ("view",)

    def __init__(self, view=-1):
        # view=k (Theano's in-place join): when every other piece is empty along the axis,
        # the output is piece k itself.
        self.view = view
        if view != -1:
            self.view_map = {0: [1 + view]}

    def __setstate__(self, d):
        self.__dict__.update(d)
        self.__dict__.setdefault("view", -1)

    def __str__(self):
        return "Join" if self.view == -1 else f"Join{{view={self.view!r}}}"

    def make_node(self, axis, *tensors):
        """Theano's rules: no 0-d pieces (TypeError: see stack), pieces of one ndim; the
        output's broadcastable flags are a single piece's, else (constant axis) True on
        every other axis where some piece is broadcastable; axis < -ndim is an IndexError,
        axis >= ndim a ValueError; the axis must be an integer scalar."""
        if not tensors:
            raise ValueError("Cannot join an empty list of tensors")
        tensors = [as_tensor_variable(t) for t in tensors]
        if not all(t.type.ndim for t in tensors):
            raise TypeError("Join cannot handle arguments of dimension 0. For joining scalar "
                            "values, see @stack")
        ndim = tensors[0].type.ndim
        if len(tensors) == 1:
            bcast = list(tensors[0].type.broadcastable)
        else:
            bcast = [False] * ndim
            try:
                ax = int(get_scalar_constant_value(axis))
            except (NotScalarConstantError, TypeError):
                ax = None
            if ax is not None:
                if ax < -ndim:
                    raise IndexError(f"Join axis {ax} out of bounds [0, {ndim})")
                if ax < 0:
                    ax += ndim
                for t in tensors:
                    for d, b in enumerate(t.type.broadcastable):
                        if d != ax and b:
                            bcast[d] = True
                if ax >= ndim:
                    raise ValueError('Join argument "axis" is out of range (given input '
                                     f"dimensions): axis {ax} for {ndim}-d tensors")
        if any(t.type.ndim != ndim for t in tensors[1:]):
            raise TypeError(
                "Join() can only join tensors with the same number of dimensions, got "
                + ", ".join(str(t.type) for t in tensors)
            )
        axis = as_tensor_variable(axis)
        if axis.type.ndim != 0 or axis.type.dtype not in D.int_dtypes:
            raise TypeError("Axis could not be cast to an integer type", axis, axis.type)
        dtype = D.upcast(*[t.type.dtype for t in tensors])
        return Apply(self, [axis] + tensors, [TensorType(dtype, bcast)()])

    def impl(self, xp, axis, *tensors):
        view = self.view
        if view != -1 and all(t.shape[int(axis)] == 0
                              for k, t in enumerate(tensors) if k != view):
            return tensors[view]
        out_dtype = xp.result_type(*tensors)
        return xp.concatenate(tensors, axis=int(axis)).astype(out_dtype, copy=False)

    def infer_shape(self, node, shapes):
        """Theano's: the joined axis is the sum of the pieces' lengths, every other axis the
        first piece's (not checked against the others: ``join(0, x, y).shape`` computes no
        join, as in Theano).  A symbolic axis gives unknown entries."""
        axis, pieces = node.inputs[0], shapes[1:]
        ndim = node.outputs[0].type.ndim
        try:
            ax = int(get_scalar_constant_value(axis))
        except NotScalarConstantError:
            # Theano's: per dimension, the sum of the lengths where it is the (symbolic)
            # axis, the first piece's length elsewhere.
            join_dim = switch(ge(axis, 0), axis, axis + ndim)
            out = []
            for d in range(ndim):
                total = pieces[0][d]
                for shp in pieces[1:]:
                    total = total + shp[d]
                out.append(switch(eq(d, join_dim), total, pieces[0][d]))
            return [tuple(out)]
        if ax < 0:
            ax += ndim
        out = list(pieces[0])
        for shp in pieces[1:]:
            out[ax] = out[ax] + shp[ax]
        return [tuple(out)]

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
            gt = slice_along(g, axis, start, stop, t.type.ndim)
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


def slice_along(x, axis, start, stop, ndim):
    """x[..., start:stop, ...] along a (constant) axis."""
    try:
        ax = int(get_scalar_constant_value(axis))
    except NotScalarConstantError:
        raise NotImplementedError(
            "the gradient of join needs a constant axis (its slices are cut by position); "
            "pass the axis as a Python int") from None
    if ax < 0:
        ax += ndim
    return x[(slice(None),) * ax + (slice(start, stop),)]


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
    """Stack tensors along a new axis: ``stack(tensors, axis=0)`` (or ``stack(tensors,
    axis)``, ``stack(tensors=..., axis=...)``), or Theano's deprecated ``stack(a, b, ...)``
    (axis 0).  Scalars are stacked by a MakeVector, whatever the axis, as in Theano."""
    if not tensors and not kwargs:
        raise ValueError("theano.tensor.stack(tensors, axis) must have at least one parameter")
    if not kwargs and not isinstance(tensors[0], (list, tuple)):
        warnings.warn("stack(*tensors) interface is deprecated, use stack(tensors, axis=0) "
                      "instead.", DeprecationWarning, stacklevel=2)
        axis = 0
    elif "tensors" in kwargs:
        tensors = kwargs["tensors"]
        axis = kwargs.get("axis", 0)
    else:
        axis = tensors[1] if len(tensors) == 2 else kwargs.get("axis", 0)
        tensors = tensors[0]
    if len(tensors) == 0:
        raise ValueError("tensors is empty. You should at least provide one tensor to "
                         "theano.tensor.stack(tensors, axis).")
    tensors = [as_tensor_variable(t) for t in tensors]
    if all(t.type.ndim == 0 for t in tensors):
        dtype = D.upcast(*[t.type.dtype for t in tensors])
        return MakeVector(dtype)(*tensors)
    return join(axis, *[shape_padaxis(t, axis) for t in tensors])


# ----------------------------------------------------------------------------- split / roll


class Split(Op):
    """Cut `x` along `axis` into `len_splits` pieces of the given sizes (outputs in order)."""

    __module__ = _PUBLIC_MODULE  # its public path (see above)

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

    def infer_shape(self, node, shapes):
        """Piece i has x's shape with splits[i] along the axis (a symbolic axis picks it
        with a switch per dimension)."""
        axis, splits = node.inputs[1], node.inputs[2]
        shp_x = shapes[0]
        ndim = len(shp_x)
        try:
            ax = int(get_scalar_constant_value(axis))
            ax = ax + ndim if ax < 0 else ax
        except NotScalarConstantError:
            ax = None
        out = []
        for i in range(self.len_splits):
            size = splits[i]
            if ax is not None:
                out.append(tuple(size if d == ax else shp_x[d] for d in range(ndim)))
            else:
                out.append(tuple(switch(or_(eq(axis, d), eq(axis, d - ndim)), size, shp_x[d])
                                 for d in range(ndim)))
        return out

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

    __module__ = _PUBLIC_MODULE  # its public path (see above)

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

    __module__ = _PUBLIC_MODULE  # its public path (see above)

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

    __module__ = _PUBLIC_MODULE  # its public path (see above)

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

    def infer_shape(self, node, shapes):
        """The broadcast of a's shape with the choices' (a tensor of choices: its shape
        without the first axis), each length taken from an input not broadcastable there."""
        a, choices = node.inputs[0], node.inputs[1:]
        if len(choices) == 1:
            parts = [(a.type.broadcastable, shapes[0]),
                     (choices[0].type.broadcastable[1:], tuple(shapes[1][1:]))]
        else:
            parts = [(v.type.broadcastable, shp) for v, shp in zip(node.inputs, shapes)]
        ndim = node.outputs[0].type.ndim
        out = []
        for d in range(ndim):
            length = 1
            for bcast, shp in parts:
                k = d - (ndim - len(bcast))
                if k >= 0 and not bcast[k]:
                    length = shp[k]
                    break
            out.append(length)
        return [tuple(out)]

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



# as_tensor_variable (elemwise.py, below this module) stacks Python lists of variables.
hooks.stack_tensors.fill(stack)
