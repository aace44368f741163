"""Elementwise math, dot products and reductions of theano.tensor."""

from __future__ import annotations

import builtins
import warnings

import numpy as np

from ..config import config
from ..graph.basic import Apply
from ..graph.null import DisconnectedType
from ..graph.op import Op
from ..scalar import dtypes as D
from ..scalar import ops as S
from ..scalar.type import ComplexError
from .batched import BatchedTensordot
from .construct import alloc, arange, concatenate, stack
from .elemwise import (  # noqa: F401 - sum, prod... are theano.tensor.math names
    All,
    Any,
    Max,
    Min,
    Prod,
    Sum,
    _expand_reduced,
    _keep,
    _norm_axis,
    as_tensor_variable,
    cast,
    constant,
    elemwise_of,
    fill,
    prod,
    sum,
    zeros_like,
)
from .elemwise_ops import (
    abs_,
    and_,
    eq,
    floor_div,
    int_div,
    isinf as isinf_,
    isnan as isnan_,
    le,
    maximum,
    minimum,
    mod,
    neq,
    or_,
    round_half_away_from_zero,
    round_half_to_even,
    sqr,
    sqrt,
    switch,
    true_div,
)
from .shapes import (  # noqa: F401 - dimshuffle
    _pack,
    check_and_normalize_axes,
    dimshuffle,
    flatten,
    makeKeepDims,
    reshape,
    shape,
    squeeze,
)
from .type import TensorType, patternbroadcast


def div_proxy(x, y):
    """Theano's ``/``: true division (int / int gives floatX)."""
    return true_div(x, y)


def _false_like(a):
    """A bool tensor of a's shape, all False (an Alloc, as Theano's)."""
    return alloc(np.asarray(False, dtype="bool"), *[a.shape[i] for i in range(a.type.ndim)])


def isnan(a):
    """Elementwise NaN test; an integer or bool tensor has none (all False, no Elemwise)."""
    a = as_tensor_variable(a)
    return _false_like(a) if a.type.dtype in D.discrete_dtypes else isnan_(a)


def isinf(a):
    """Elementwise infinity test; an integer or bool tensor has none (all False)."""
    a = as_tensor_variable(a)
    return _false_like(a) if a.type.dtype in D.discrete_dtypes else isinf_(a)


def mod_check(x, y):
    """``%`` refuses complex inputs, as Theano did."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.type.dtype in D.complex_dtypes or y.type.dtype in D.complex_dtypes:
        raise ComplexError("Theano does not support the mod operator (%) on complex numbers")
    return mod(x, y)


def clip(x, min, max):  # noqa: A002 - Theano's signature
    """Clip `x` to [min, max] as Theano defined it: ``x < min ? min : (x > max ? max : x)``
    per element (min wins where min > max; a NaN bound is never chosen).  The gradient
    goes to x where min <= x <= max, to min where x < min, to max where x > max."""
    return elemwise_of(S.clip)(x, min, max)


def round(a, mode=None):  # noqa: A001
    """Round elementwise; Theano 1.0.5's default mode is half_away_from_zero (with a warning)."""
    if mode is None:
        mode = "half_away_from_zero"
        if config.warn__round:
            warnings.warn(
                "theano.tensor.round() changed its default from `half_away_from_zero` to "
                "`half_to_even` to have the same default as NumPy. Use the Theano flag "
                "`warn.round=False` to disable this warning.",
                stacklevel=2,
            )
    if mode == "half_away_from_zero":
        return round_half_away_from_zero(a)
    if mode == "half_to_even":
        return round_half_to_even(a)
    raise ValueError(f"round mode {mode} is not implemented.")


def iround(a, mode=None):
    return cast(round(a, mode), "int64")


# theano.tensor.nnet's sigmoid and softplus (Elemwise instances, as in Theano).
sigmoid = elemwise_of(S.sigmoid)
softplus = elemwise_of(S.softplus)


# ----------------------------------------------------------------------------- reductions


def _reduce_with(op_class, x, axis, keepdims):
    """Apply a reduction Op over the normalised axes, keeping dims when asked."""
    x = as_tensor_variable(x)
    axes = _norm_axis(axis, x.type.ndim)
    return _keep(op_class(axes)(x), x, axes, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce_with(Max, x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce_with(Min, x, axis, keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce_with(All, x, axis, keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    return _reduce_with(Any, x, axis, keepdims)


def mean(input, axis=None, dtype=None, op=False, keepdims=False, acc_dtype=None):
    """Mean as Theano computed it: the sum divided by each reduced length in turn (with
    ``op=True``, the float64 Mean Op)."""
    x = as_tensor_variable(input)
    if op:
        if dtype not in (None, "float64") or acc_dtype not in (None, "float64"):
            raise NotImplementedError(
                "The Mean op does not support the dtype and acc_dtype arguments, and will "
                "always use float64. If you want to specify them, call mean(..., op=False).")
        if keepdims:
            raise NotImplementedError(
                "The Mean op does not support the keepdims argument; call mean(..., "
                "op=False).")
        return Mean(axis)(x)
    sum_dtype = dtype
    if dtype is None and x.type.dtype == "float16" and acc_dtype != "float16":
        sum_dtype = "float32"  # Theano: float16 sums overflow too often
    s = sum(x, axis=axis, dtype=sum_dtype, keepdims=keepdims, acc_dtype=acc_dtype)
    shp_dtype = "float32" if s.type.dtype in ("float16", "float32", "complex64") else "float64"
    shp = cast(shape(x), shp_dtype)
    axes = list(range(x.type.ndim)) if axis is None else _norm_axis(axis, x.type.ndim)
    for i in axes:
        s = true_div(s, shp[i])
    if not axes and s.type.dtype in D.discrete_dtypes:
        # No axis to divide by (a scalar, or axis=[]): Theano casts an integer sum to the
        # float dtype of the shape, so the mean of integers is always a float (as NumPy).
        s = cast(s, shp_dtype)
    if dtype == "float16" or (dtype is None and x.type.dtype == "float16"):
        s = cast(s, "float16")
    # An integer `dtype` only sets the sum's dtype: the division makes the result a float,
    # as in Theano 1.0.5 (mean(ivector, dtype='int64') is float64).
    s.name = "mean"
    return s


def var(input, axis=None, ddof=0, keepdims=False, corrected=False):
    """Variance (ddof as NumPy; `corrected` applies Theano's two-pass correction)."""
    x = as_tensor_variable(input)
    axes = list(range(x.type.ndim)) if axis is None else _norm_axis(axis, x.type.ndim)
    mean_x = mean(x, axis, keepdims=True)
    centered = x - mean_x
    two = constant(2, dtype=centered.type.dtype)
    if ddof == 0:
        v = mean(centered ** two, axis, keepdims=keepdims)
    else:
        n = prod([shape(x)[a] for a in axes]) if axes else constant(1)
        v = sum(centered ** two, axis=axis, keepdims=keepdims) / (cast(n, "float64") - ddof)
    if corrected:
        error = mean(centered, axis, keepdims=keepdims) ** 2
        v = v - error
    v.name = "var"
    return v


def std(input, axis=None, ddof=0, keepdims=False, corrected=False):
    out = sqrt(var(input, axis=axis, ddof=ddof, keepdims=keepdims, corrected=corrected))
    out.name = "std"
    return out


def norm(x, ord, axis=None, keepdims=False):  # noqa: A002
    x = as_tensor_variable(x)
    if ord == 1:
        return sum(abs_(x), axis=axis, keepdims=keepdims)
    if ord == 2:
        return sqrt(sum(sqr(x), axis=axis, keepdims=keepdims))
    if ord in ("inf", np.inf):
        return max(abs_(x), axis=axis, keepdims=keepdims)
    return sum(abs_(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


class Argmax(Op):
    """Index of the maximum along axes (int64); no gradient (disconnected)."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

    __props__ = ("axis", "kind")

    def __init__(self, axis, kind="max"):
        # Theano sorts the axes: the flat index runs over the reduced axes in increasing
        # order whatever order the caller listed them in (argmax(x, (-1, 0)) == (0, 2)).
        self.axis = None if axis is None else tuple(sorted(axis))
        self.kind = kind

    def make_node(self, x):
        x = as_tensor_variable(x)
        axes = range(x.type.ndim) if self.axis is None else self.axis
        bcast = tuple(b for i, b in enumerate(x.type.broadcastable) if i not in axes)
        return Apply(self, [x], [TensorType("int64", bcast)()])

    def impl(self, xp, x):
        fn = xp.argmax if self.kind == "max" else xp.argmin
        if self.axis is None or len(self.axis) == x.ndim and x.ndim != 1:
            if self.axis is not None and len(self.axis) > 1:
                return xp.asarray(fn(x.reshape(-1)), dtype="int64")
            if self.axis is None:
                return xp.asarray(fn(x.reshape(-1)), dtype="int64")
        if len(self.axis) == 1:
            return xp.asarray(fn(x, axis=self.axis[0]), dtype="int64")
        keep = [i for i in range(x.ndim) if i not in self.axis]
        moved = x.transpose(keep + list(self.axis))
        kept = moved.shape[: len(keep)]
        flat = moved.reshape(kept + (int(np.prod(moved.shape[len(keep):], dtype="int64")),))
        return xp.asarray(fn(flat, axis=-1), dtype="int64")

    def L_op(self, inputs, outputs, grads):
        return [zeros_like(inputs[0], dtype=config.floatX)]

    def __str__(self):
        return "Argmax" if self.kind == "max" else "Argmin"


def argmax(x, axis=None, keepdims=False):
    x = as_tensor_variable(x)
    axes = _norm_axis(axis, x.type.ndim)
    if axes is not None and len(axes) == x.type.ndim:
        axes = None if x.type.ndim != 1 else axes
    return _keep(Argmax(axes, "max")(x), x, axes, keepdims)


def argmin(x, axis=None, keepdims=False):
    x = as_tensor_variable(x)
    axes = _norm_axis(axis, x.type.ndim)
    if axes is not None and len(axes) == x.type.ndim:
        axes = None if x.type.ndim != 1 else axes
    return _keep(Argmax(axes, "min")(x), x, axes, keepdims)


class MaxAndArgmax(Op):
    """The maximum and its (flat, over the reduced axes) index along `axis` (a list of
    axes; every axis for max_and_argmax(x)), as one Op with two outputs."""

    __module__ = "theano.tensor.basic"  # Theano's path for it
    __props__ = ("axis",)
    nin = 2
    nout = 2
    E_axis = "invalid axis"

    def __init__(self, axis):
        if not isinstance(axis, (list, tuple)):
            raise TypeError(f"MaxAndArgmax: axis must be a list of ints, got {axis!r}")
        self.axis = tuple(int(a) for a in axis)

    def make_node(self, x):
        x = as_tensor_variable(x)
        bcast = tuple(b for i, b in enumerate(x.type.broadcastable) if i not in self.axis)
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)(name="max"),
                                 TensorType("int64", bcast)(name="argmax")])

    def impl(self, xp, x):
        axes = self.axis
        keep = [i for i in range(x.ndim) if i not in axes]
        moved = x.transpose(keep + list(axes))
        kept = moved.shape[: len(keep)]
        flat = moved.reshape(kept + (int(np.prod(moved.shape[len(keep):], dtype="int64")),))
        return (xp.asarray(xp.max(x, axis=axes)),
                xp.asarray(xp.argmax(flat, axis=-1), dtype="int64"))

    def infer_shape(self, node, shapes):
        kept = tuple(shapes[0][i] for i in range(node.inputs[0].type.ndim)
                     if i not in self.axis)
        return [kept, kept]

    def L_op(self, inputs, outputs, grads):
        (x,) = inputs
        g_max, g_idx = grads
        max_off = g_max is None or isinstance(g_max.type, DisconnectedType)
        idx_off = g_idx is None or isinstance(g_idx.type, DisconnectedType)
        if max_off and idx_off:
            return [DisconnectedType()()]
        if max_off:
            return [zeros_like(x)]
        pattern, j = [], 0
        for i in range(x.type.ndim):
            if i in self.axis:
                pattern.append("x")
            else:
                pattern.append(j)
                j += 1
        xmax = outputs[0].dimshuffle(pattern)
        return [eq(xmax, x) * g_max.dimshuffle(pattern)]

    def R_op(self, inputs, eval_points):
        if eval_points[0] is None:
            return [None, None]
        if len(self.axis) != 1:
            raise ValueError("R_op supported for arg_max only for one axis!")
        if self.axis[0] > 1:
            raise ValueError("R_op supported for arg_max only when  axis is 0 or 1")
        if inputs[0].type.ndim != 2:
            raise ValueError("R_op supported for arg_max only when  input is a matrix")
        _, pos = self(inputs[0])
        ev = eval_points[0]
        if self.axis[0] == 0:
            return [ev[pos, arange(ev.shape[1])], None]
        return [ev[arange(ev.shape[0]), pos], None]

    def __str__(self):
        return f"MaxAndArgmax{{axis={self.axis}}}"


def max_and_argmax(a, axis=None, keepdims=False):
    """[max, argmax] of `a` along `axis` (all axes by default), from one MaxAndArgmax."""
    a = as_tensor_variable(a)
    axes = check_and_normalize_axes(a, axis)
    if not axes:
        axes = list(range(a.type.ndim))
    out, argout = MaxAndArgmax(axes)(a)
    if keepdims:
        out, argout = makeKeepDims(a, out, axes), makeKeepDims(a, argout, axes)
    return [out, argout]


class Mean(Op):
    """The mean over one axis (or all axes when `axis` is None), in float64 (Theano's
    Mean Op, which ``mean(x, op=True)`` used)."""

    __module__ = "theano.tensor.basic"  # Theano's path for it
    __props__ = ("axis",)

    def __init__(self, axis=None):
        if axis is not None:
            axis = (int(axis),) if isinstance(axis, (int, np.integer)) else tuple(axis)
            if len(axis) != 1:
                raise ValueError("Mean: axis must be None or one axis")
        self.axis = axis

    def make_node(self, x):
        x = as_tensor_variable(x)
        axes = range(x.type.ndim) if self.axis is None else [
            a % x.type.ndim if x.type.ndim else a for a in self.axis]
        bcast = tuple(b for i, b in enumerate(x.type.broadcastable) if i not in axes)
        return Apply(self, [x], [TensorType("float64", bcast)()])

    def impl(self, xp, x):
        axis = None if self.axis is None else self.axis[0]
        return xp.asarray(xp.mean(x, dtype="float64", axis=axis))

    def infer_shape(self, node, shapes):
        ndim = node.inputs[0].type.ndim
        if self.axis is None:
            return [()]
        red = self.axis[0] % ndim
        return [tuple(s for i, s in enumerate(shapes[0]) if i != red)]

    def __str__(self):
        if self.axis is not None:
            return "Mean{%s}" % ", ".join(str(a) for a in self.axis)
        return "Mean"


# ----------------------------------------------------------------------------- dot family


class Dot(Op):
    """Matrix/vector product of 1-d and 2-d tensors (np.dot; BLAS does the work)."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, x, y):
        x, y = as_tensor_variable(x), as_tensor_variable(y)
        if x.type.ndim not in (1, 2) or y.type.ndim not in (1, 2):
            raise TypeError(
                f"Dot needs 1-d or 2-d inputs, got {x.type} and {y.type}; use tensordot"
            )
        bcast = x.type.broadcastable[:-1] + y.type.broadcastable[1:]
        dtype = D.upcast(x.type.dtype, y.type.dtype)
        return Apply(self, [x, y], [TensorType(dtype, bcast)()])

    def runner(self, node, xp):
        out_dtype = node.outputs[0].type.dtype
        same = builtins.all(i.type.dtype == out_dtype for i in node.inputs)
        dot = xp.dot
        if same:
            return dot

        def run(x, y):
            return dot(x.astype(out_dtype, copy=False), y.astype(out_dtype, copy=False))

        return run

    def impl(self, xp, x, y):
        return self.runner(self.make_node(*(TensorType(str(a.dtype), (False,) * a.ndim)()
                                            for a in (x, y))), xp)(x, y)

    def infer_shape(self, node, shapes):
        xs, ys = shapes
        return [tuple(xs[:-1]) + tuple(ys[1:])]

    def L_op(self, inputs, outputs, grads):
        x, y = inputs
        (g,) = grads
        xn, yn = x.type.ndim, y.type.ndim
        if xn == 1 and yn == 1:
            gx, gy = g * y, g * x
        elif xn == 1 and yn == 2:
            gx, gy = dot(y, g), outer(x, g)
        elif xn == 2 and yn == 1:
            gx, gy = outer(g, y), dot(x.T, g)
        else:
            gx, gy = dot(g, y.T), dot(x.T, g)
        out = []
        int_output = outputs[0].type.dtype in D.discrete_dtypes
        for v, gv in zip(inputs, (gx, gy)):
            if int_output or gv.type.dtype in D.discrete_dtypes:
                gv = zeros_like(v, dtype=config.floatX)
            else:
                if gv.type.broadcastable != v.type.broadcastable:
                    gv = patternbroadcast(gv, v.type.broadcastable)
                # An integer operand of a float product keeps its float gradient, as in
                # Theano 1.0.5 (grad(dot(x, i), i) is x); a float one gets its own dtype.
                if gv.type.dtype != v.type.dtype and v.type.dtype not in D.discrete_dtypes:
                    gv = cast(gv, v.type.dtype)
            out.append(gv)
        return out

    def R_op(self, inputs, eval_points):
        x, y = inputs
        ex, ey = eval_points
        terms = []
        if ex is not None:
            terms.append(dot(ex, y))
        if ey is not None:
            terms.append(dot(x, ey))
        if not terms:
            return [None]
        return [terms[0] if len(terms) == 1 else terms[0] + terms[1]]

    def __str__(self):
        return "dot"


_dot = Dot()


def dot(l, r):  # noqa: E741 - Theano's names
    """Generalised dot: scalars multiply, 1-d/2-d use Dot, higher dims use tensordot.

    A sparse operand (a type whose values are not ndarrays) dispatches to its own
    ``__dot__``/``__rdot__`` (theano.sparse's structured_dot), as Theano's dot did."""
    if not getattr(getattr(l, "type", None), "values_are_ndarrays", True):
        return l.__dot__(r)
    if not getattr(getattr(r, "type", None), "values_are_ndarrays", True):
        return r.__rdot__(l)
    l, r = as_tensor_variable(l), as_tensor_variable(r)
    if l.type.ndim == 0 or r.type.ndim == 0:
        return l * r
    if l.type.ndim <= 2 and r.type.ndim <= 2:
        return _dot(l, r)
    return tensordot(l, r, [[l.type.ndim - 1], [builtins.max(0, r.type.ndim - 2)]])


def outer(x, y):
    """Outer product of two vectors."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if x.type.ndim != 1:
        x = flatten(x)
    if y.type.ndim != 1:
        y = flatten(y)
    return dot(x.dimshuffle(0, "x"), y.dimshuffle("x", 0))


def tensordot(a, b, axes=2):
    """Sum products over the given axes (NumPy's tensordot), built from reshape and dot."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    # Theano's checks (ValueError) of the axes against the operands.
    if not np.isscalar(axes) and len(axes) != 2:
        raise ValueError("Axes should be an integer or a list/tuple of len 2 "
                         f"({axes} was provided)")
    if np.isscalar(axes):
        axes = int(axes)
        for name, operand in (("a", a), ("b", b)):
            if axes > operand.type.ndim:
                raise ValueError(f"axes can not be larger than the dimension of {name} "
                                 f"({name}.ndim={operand.type.ndim}, axes={axes})")
        a_axes = list(range(a.type.ndim - axes, a.type.ndim))
        b_axes = list(range(axes))
    else:
        a_axes, b_axes = (_pack(x) for x in axes)
        if len(a_axes) != len(b_axes):
            raise ValueError("Axes elements must have the same length.")
        for i, (name, operand, ax) in enumerate((("a", a, a_axes), ("b", b, b_axes))):
            if len(ax) > operand.type.ndim:
                raise ValueError(
                    f"axes[{i}] should be array_like with length less than the dimensions "
                    f"of {name} ({name}.ndim={operand.type.ndim}, len(axes[{i}])={len(ax)}).")
            if ax and builtins.max(ax) >= operand.type.ndim:
                raise ValueError(
                    f"axes[{i}] contains dimensions greater than or equal to {name}.ndim "
                    f"({name}.ndim={operand.type.ndim}, max(axes[{i}])={builtins.max(ax)}).")
    a_axes = [x % a.type.ndim for x in a_axes]
    b_axes = [x % b.type.ndim for x in b_axes]
    if len(a_axes) != len(b_axes):
        raise ValueError(
            f"tensordot: axes lists have different lengths ({a_axes} vs {b_axes})"
        )
    a_free = [i for i in range(a.type.ndim) if i not in a_axes]
    b_free = [i for i in range(b.type.ndim) if i not in b_axes]
    at = a.dimshuffle(a_free + a_axes)
    bt = b.dimshuffle(b_axes + b_free)
    a_shape, b_shape = shape(a), shape(b)
    a_free_shape = [a_shape[i] for i in a_free]
    b_free_shape = [b_shape[i] for i in b_free]
    k = prod([a_shape[i] for i in a_axes]) if a_axes else 1
    m = prod(a_free_shape) if a_free else 1
    n = prod(b_free_shape) if b_free else 1
    a2 = reshape(at, [m, k], ndim=2)
    b2 = reshape(bt, [k, n], ndim=2)
    out = _dot(a2, b2)
    result = reshape(out, a_free_shape + b_free_shape,
                            ndim=len(a_free) + len(b_free))
    bcast = tuple(a.type.broadcastable[i] for i in a_free) + tuple(
        b.type.broadcastable[i] for i in b_free)
    return patternbroadcast(result, bcast)


def batched_dot(a, b):
    """Dot of matching leading slices: out[i] = dot(a[i], b[i])."""
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    if a.type.ndim == 0:
        raise TypeError("a must have at least one (batch) axis")
    if b.type.ndim == 0:
        raise TypeError("b must have at least one (batch) axis")
    # A vector scales each slice of the other operand (Theano's: a broadcast product).
    if a.type.ndim == 1:
        return a.dimshuffle(*([0] + ["x"] * (b.type.ndim - 1))) * b
    if b.type.ndim == 1:
        return a * b.dimshuffle(*([0] + ["x"] * (a.type.ndim - 1)))
    return batched_tensordot(a, b, [[a.type.ndim - 1], [builtins.max(1, b.type.ndim - 2)]])


def batched_tensordot(x, y, axes=2):
    """tensordot over each leading slice (implemented with the BatchedTensordot op)."""
    x, y = as_tensor_variable(x), as_tensor_variable(y)
    if isinstance(axes, (int, np.integer)):
        x_axes = list(range(x.type.ndim - int(axes), x.type.ndim))
        y_axes = list(range(1, int(axes) + 1))
    else:
        x_axes, y_axes = ([a] if isinstance(a, (int, np.integer)) else list(a) for a in axes)
    return BatchedTensordot(tuple(x_axes), tuple(y_axes))(x, y)


# ----------------------------------------------------------------------------- numpy-style helpers


def power(x, y):
    """x ** y elementwise."""
    return as_tensor_variable(x) ** y


def ceil_intdiv(a, b):
    """Integer division rounded up: int_div(a, b) plus one where a % b is not zero."""
    div = int_div(a, b)
    return div + cast(neq(mod(a, b), 0), div.type.dtype)


def divmod(x, y):  # noqa: A001 - Theano's name
    """(x // y, x % y)."""
    return floor_div(x, y), mod_check(x, y)


def largest(*args):
    """The elementwise maximum of all arguments."""
    if len(args) == 2:
        return maximum(*args)
    return max(stack(args), axis=0)


def smallest(*args):
    """The elementwise minimum of all arguments."""
    if len(args) == 2:
        return minimum(*args)
    return min(stack(args), axis=0)


def ptp(a, axis=None):
    """Range of values (max - min) along `axis`."""
    a = as_tensor_variable(a)
    return max(a, axis) - min(a, axis)


def isclose(a, b, rtol=1.0e-5, atol=1.0e-8, equal_nan=False):
    """Elementwise |a - b| <= atol + rtol * |b| (NumPy's isclose, bool result).

    Infinities are close only to an infinity of the same sign; NaN is close to nothing
    unless `equal_nan`.
    """
    a, b = as_tensor_variable(a), as_tensor_variable(b)
    close = le(abs_(a - b), atol + rtol * abs_(b))
    if a.type.dtype in D.discrete_dtypes and b.type.dtype in D.discrete_dtypes:
        return close
    close = switch(or_(isinf_(a), isinf_(b)), eq(a, b), close)
    if equal_nan:
        close = or_(close, and_(isnan_(a), isnan_(b)))
    return close


def allclose(a, b, rtol=1.0e-5, atol=1.0e-8, equal_nan=False):
    """True when every entry of `a` is close to `b` (see isclose)."""
    return all(isclose(a, b, rtol, atol, equal_nan))


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    """Covariance matrix of the variables in the rows of `m` (NumPy's cov).

    A vector is one variable (the result is a scalar).  With ``rowvar=False`` variables
    are columns.  `y` adds more variables.  Divides by N - 1 (N when `bias`, or N - ddof).
    """
    if fweights is not None or aweights is not None:
        raise NotImplementedError(
            "cov: fweights and aweights are not supported (nor were they in Theano 1.0.5); "
            "weight the observations yourself"
        )
    m = as_tensor_variable(m)

    def as_rows(v):
        v = as_tensor_variable(v)
        if v.type.ndim == 1:
            return v.dimshuffle("x", 0)
        if v.type.ndim != 2:
            raise ValueError(f"cov: m and y must be at most 2-d, got {v.type}")
        return v if rowvar else v.T

    rows = as_rows(m)
    if y is not None:
        rows = concatenate([rows, as_rows(y)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    centered = rows - mean(rows, axis=1, keepdims=True)
    n = cast(shape(rows)[1] - ddof, centered.type.dtype)
    return squeeze(dot(centered, centered.T) / n)

