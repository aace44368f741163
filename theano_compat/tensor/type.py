"""TensorType: an ndarray type given by a dtype and a broadcastable pattern."""

from __future__ import annotations

import sys

import numpy as np

from .. import scalar as _scalar_package
from ..config import config
from ..graph.basic import Apply, Variable
from ..hooks import HookNotWiredError
from ..graph.op import Op
from ..graph.type import Type
from ..scalar import dtypes as D



class _VariableClassNotSet:
    """What `TensorType.Variable` and `TensorType.Constant` are until variable.py sets them."""

    def __init__(self, *args, **kwargs):
        raise HookNotWiredError(
            "TensorType.Variable / TensorType.Constant are not set: "
            "theano_compat.tensor.variable sets them when imported (importing any module of "
            "theano_compat.tensor imports it)")


def hashtype(self):
    """The hash of an object by its class (Theano's ``gof.hashtype``)."""
    t = type(self)
    return hash(t.__name__) ^ hash(t.__module__)


_NAMED_PATTERNS = {
    (): "scalar",
    (False,): "vector",
    (False, True): "col",
    (True, False): "row",
    (False, False): "matrix",
}


class TensorType(Type):
    """The type of ndarray-valued variables: ``TensorType('float64', (False, False))``.

    ``broadcastable[i]`` True means dimension i always has length 1 and broadcasts.

    `Variable` and `Constant` are the classes of its variables (Theano's class hook):
    TensorVariable and TensorConstant, whose operator methods (``x + y``, ``x.sum()``,
    ``x[i]``) call functions of math, subtensor and extra_ops.  So they are defined at the
    top of the tensor chain, in variable.py, which sets these two attributes when it is
    imported; the modules below make tensor variables only through them (``ttype()``,
    ``elemwise.constant``) and never at import time.
    """

    __module__ = "theano.tensor.type"  # Theano's path: reprs and pickles

    Variable = _VariableClassNotSet
    Constant = _VariableClassNotSet
    # Theano's flag: when True (DebugMode sets it on types it checks), `filter` refuses
    # values with NaN or infinite entries (ValueError).
    filter_checks_isfinite = False

    def __init__(self, dtype, broadcastable, name=None, sparse_grad=False):
        if dtype == "floatX":
            dtype = config.floatX
        self.dtype = str(np.dtype(dtype))
        if self.dtype not in D.all_dtypes:  # strings, objects, float128, dates (Theano's check)
            raise TypeError(f"Unsupported dtype for TensorType: {self.dtype}")
        self.broadcastable = tuple(bool(b) for b in broadcastable)
        self.ndim = len(self.broadcastable)
        self.name = name
        self.numpy_dtype = np.dtype(self.dtype)
        self.sparse_grad = sparse_grad

    def clone(self, dtype=None, broadcastable=None):
        return TensorType(self.dtype if dtype is None else dtype,
                          self.broadcastable if broadcastable is None else broadcastable)

    # -- values ------------------------------------------------------------------------------

    def filter(self, data, strict=False, allow_downcast=None):
        """Check/convert `data` to an ndarray of this type (Theano's casting rules)."""
        if not self.ndim and not strict and not self.filter_checks_isfinite:
            # A Python number or a NumPy scalar of this dtype for a scalar input (f(3, 4)):
            # the common exact cases without the general conversion-and-compare below
            # (same results; every other case, refusals included, goes on below).
            tp = type(data)
            if tp is int or tp is float:
                value = _python_scalar(data, tp is int, self.dtype, self.numpy_dtype,
                                       allow_downcast)
                if value is not None:
                    return value
            elif tp is self.numpy_dtype.type:
                return np.asarray(data)
        if isinstance(data, Variable):
            raise TypeError(
                f"Expected an array-like object, but found a Variable ({data}): maybe you are "
                "trying to call a function on a (possibly shared) variable instead of a "
                "numeric array?"
            )
        if type(data) is np.ndarray and data.dtype == self.numpy_dtype:
            pass
        elif hasattr(data, "__cuda_array_interface__"):
            data = self._filter_device(data, strict, allow_downcast)
        elif isinstance(data, np.memmap) and data.dtype == self.numpy_dtype:
            pass
        elif strict:
            if type(data) is not np.ndarray:
                raise TypeError(f"{self} expected a ndarray object (got {type(data).__name__}).")
            raise TypeError(
                f"{self} expected a ndarray object with dtype = {self.dtype} (got {data.dtype})."
            )
        elif allow_downcast:
            data = _convert(data, self.numpy_dtype)
        elif isinstance(data, np.ndarray):
            if _fits(data.dtype, self.dtype):
                data = np.asarray(data, dtype=self.dtype)
            else:
                raise TypeError(
                    f"{self} cannot store a value of dtype {data.dtype} without risking loss "
                    f"of precision. If you do not mind this loss, you can: 1) explicitly cast "
                    f"your data to {self.dtype}, or 2) set \"allow_input_downcast=True\" when "
                    f"calling \"function\". Value: {data!r}"
                )
        elif allow_downcast is None and type(data) is float and self.dtype == config.floatX:
            data = np.asarray(data, dtype=self.dtype)
        else:
            original = np.asarray(data)
            converted = _convert(data, self.numpy_dtype)
            if not _values_equal(original, converted):
                text = str(data)
                if len(text) > 80:
                    text = text[:75] + "(...)"
                raise TypeError(
                    f"{self} cannot store accurately value {text}, it would be represented as "
                    f"{converted!s}. If you do not mind this precision loss, you can: 1) "
                    f"explicitly convert your data to a numpy array of dtype {self.dtype}, or "
                    f"2) set \"allow_input_downcast=True\" when calling \"function\"."
                )
            data = converted
        if data.ndim != self.ndim:
            raise TypeError(
                f"Wrong number of dimensions: expected {self.ndim}, got {data.ndim} with shape "
                f"{data.shape}."
            )
        for axis, b in enumerate(self.broadcastable):
            if b and data.shape[axis] != 1:
                raise TypeError(
                    f"Non-unit value on shape on a broadcastable dimension: shape {data.shape}, "
                    f"broadcastable {self.broadcastable}."
                )
        if isinstance(data, np.ndarray) and not data.flags.aligned:
            # Theano refused them (its C code could not read them): so does this project,
            # with Theano's error type.
            raise TypeError("The numpy.ndarray object is not aligned. Theano C code does not "
                            "support that.", "object shape", data.shape, "object strides",
                            data.strides, "object dtype", data.dtype)
        if self.filter_checks_isfinite and data.dtype.kind in "fc" \
                and not np.all(np.isfinite(data)):
            raise ValueError("non-finite elements not allowed")
        return data

    def _filter_device(self, data, strict, allow_downcast):
        """A GPU array (CuPy) stays on its device: its dtype is checked (and cast there
        when allowed) by the rules applied to ndarrays."""
        if data.dtype == self.numpy_dtype:
            return data
        if strict:
            raise TypeError(f"{self} expected an array with dtype = {self.dtype} (got "
                            f"{data.dtype}).")
        if allow_downcast or _fits(data.dtype, self.dtype):
            return data.astype(self.dtype)
        raise TypeError(
            f"{self} cannot store a value of dtype {data.dtype} without risking loss of "
            f"precision. If you do not mind this loss, you can: 1) explicitly cast your "
            f"data to {self.dtype}, or 2) set \"allow_input_downcast=True\" when calling "
            "\"function\"."
        )

    def value_zeros(self, shape):
        return np.zeros(shape, dtype=self.dtype)

    @staticmethod
    def values_eq(a, b, force_same_dtype=True):
        if a.shape != b.shape:
            return False
        if force_same_dtype and a.dtype != b.dtype:
            return False
        return _values_equal(np.asarray(a), np.asarray(b))

    @staticmethod
    def values_eq_approx(a, b, allow_remove_inf=False, allow_remove_nan=False, rtol=None,
                         atol=None):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biu" or b.dtype.kind in "biu":
            return bool(np.all(a == b))
        precise = "float64" in (a.dtype.name, b.dtype.name)
        rtol = rtol if rtol is not None else (1e-5 if precise else 1e-3)
        atol = atol if atol is not None else (1e-8 if precise else 1e-5)
        if np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            return True
        # Theano's special values: an infinity of `a` matches the same infinity of `b`;
        # allow_remove_inf / allow_remove_nan accept any inf / NaN of `a` (a rewrite that
        # removed them).
        a_nan, a_inf = np.isnan(a), np.isinf(a)
        if not (a_nan.any() or (allow_remove_inf and a_inf.any())):
            return False
        with np.errstate(invalid="ignore"):
            close = np.absolute(a - b) <= (atol + rtol * np.absolute(b))
        both_inf = a_inf & np.isinf(b)
        close = np.where(both_inf, a == b, close)  # inf is close to inf only (not -inf)
        ok = close | (a_nan & np.isnan(b))
        if allow_remove_inf:
            ok |= a_inf
        if allow_remove_nan:
            ok |= a_nan
        return bool(ok.all())

    # -- variables ---------------------------------------------------------------------------

    def convert_variable(self, var):
        """`var` seen as this type when only broadcast flags differ compatibly."""
        vt = var.type
        if vt == self:
            return var
        if (
            isinstance(vt, TensorType)
            and vt.dtype == self.dtype
            and vt.ndim == self.ndim
            and all(sb == ob or ob for sb, ob in zip(self.broadcastable, vt.broadcastable))
        ):
            return patternbroadcast(var, self.broadcastable)
        return None

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and other.dtype == self.dtype
            and other.broadcastable == self.broadcastable
        )

    def __hash__(self):
        return hash((type(self), self.dtype, self.broadcastable))

    def __str__(self):
        if self.name:
            return self.name
        b = self.broadcastable
        pattern = _NAMED_PATTERNS.get(b)
        if pattern is None:
            pattern = str(b) if any(b) else f"{len(b)}D"
        return f"TensorType({self.dtype}, {pattern})"

    __repr__ = __str__


def _convert(data, dtype):
    """`data` as an ndarray of `dtype`, wrapping out-of-range integers as C casts do.

    NumPy 2 raises OverflowError for ``np.asarray(300, dtype='int8')``; Theano (NumPy 1)
    got the wrapped value 44, then either accepted it (allow_downcast=True) or reported
    "cannot store accurately value 300, it would be represented as 44" as a TypeError.
    """
    with np.errstate(all="ignore"):
        try:
            return np.asarray(data, dtype=dtype)
        except OverflowError:
            if type(data) is int and data > _INT64_MAX and np.dtype(dtype).kind == "i":
                # NumPy 1 went through a C long, which such an int does not fit: Theano
                # raised OverflowError whatever allow_downcast said.
                raise
            return np.asarray(data).astype(dtype)


_INT64_MAX = (1 << 63) - 1
_INT_RANGES = {d: (int(np.iinfo(d).min), int(np.iinfo(d).max))
               for d in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                         "uint64")}
# Python ints of at most this magnitude are exact in the float dtype.
_FLOAT_EXACT_INTS = {"float16": 1 << 11, "float32": 1 << 24, "float64": 1 << 53}


def _python_scalar(data, is_int, dtype, np_dtype, allow_downcast):
    """Python int/float `data` as a 0-d array of `dtype` (`np_dtype`) when that is exact,
    or when a float may be rounded to float32 (Theano: allow_downcast, or a float for a
    floatX input); None for every other case, which TensorType.filter's general path
    decides (and may refuse)."""
    if is_int:
        bounds = _INT_RANGES.get(dtype)
        if bounds is not None:
            lo, hi = bounds
        else:
            hi = _FLOAT_EXACT_INTS.get(dtype)
            if hi is None:
                return None  # bool, complex: the general path
            lo = -hi
        return np.asarray(data, np_dtype) if lo <= data <= hi else None
    if dtype == "float64":
        return np.asarray(data, np_dtype)
    if dtype == "float32" and -3.4e38 < data < 3.4e38:
        value = np.asarray(data, np_dtype)
        if (allow_downcast or float(value) == data
                or (allow_downcast is None and config.floatX == "float32")):
            return value
    return None


def _values_equal(a, b):
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        with np.errstate(invalid="ignore"):
            same = (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind in "fc" else (a == b)
        return bool(np.all(same))
    return bool(np.all(a == b))


class _AxisFlags(dict):
    """Rebroadcast's ``axis``: {axis: broadcastable flag} as Theano's (an OrderedDict in
    axis order), hashable so that it can be an Op prop; never changed once built."""

    def __hash__(self):
        return hash(tuple(self.items()))

    def __reduce__(self):
        return (_AxisFlags, (list(self.items()),))


class Rebroadcast(Op):
    """Change the broadcastable flags of a variable (checked at run time; a view)."""

    __module__ = "theano.compile.ops"  # Theano's path: reprs and pickles

    __props__ = ("axis",)
    view_map = {0: [0]}

    def __init__(self, *axis):
        # Theano's {axis: flag} mapping, in axis order (hashable: it is the Op's prop).
        self.axis = _AxisFlags(sorted((int(i), bool(b)) for i, b in axis))

    def make_node(self, x):
        bcast = list(x.type.broadcastable)
        for i, b in self.axis.items():
            if i >= x.type.ndim:
                raise ValueError(f"Rebroadcast: axis {i} out of range for {x.type}")
            bcast[i] = b
        return Apply(self, [x], [TensorType(x.type.dtype, bcast)()])

    def impl(self, xp, x):
        for i, b in self.axis.items():
            if b and x.shape[i] != 1:
                raise ValueError(
                    f"Rebroadcast: dimension {i} of the input has length {x.shape[i]}, "
                    "but the pattern says it is broadcastable (length 1)"
                )
        return x

    def infer_shape(self, node, shapes):
        # A dimension made broadcastable has length 1 (checked at run time), as Theano's.
        made = {i for i, b in self.axis.items() if b}
        return [tuple(1 if i in made else s for i, s in enumerate(shapes[0]))]

    def L_op(self, inputs, outputs, grads):
        (x,), (g,) = inputs, grads
        return [Rebroadcast(*[(i, x.type.broadcastable[i]) for i in self.axis])(g)]

    def R_op(self, inputs, eval_points):
        return [None if eval_points[0] is None else self(eval_points[0])]

    def __str__(self):
        if not self.axis:
            return "Rebroadcast{}"
        return "Rebroadcast{" + ",".join(f"({i}, {b})" for i, b in self.axis.items()) + "}"


def patternbroadcast(x, broadcastable):
    """`x` with the given broadcastable pattern (a Rebroadcast node only where flags change)."""
    changes = [(i, b) for i, b in enumerate(broadcastable) if x.type.broadcastable[i] != bool(b)]
    return Rebroadcast(*changes)(x) if changes else x


_FITS = {}


def _fits(value_dtype, dtype):
    """Whether arrays of `value_dtype` go into `dtype` without loss (Theano's upcast rule;
    cached: input checking runs on every call of a compiled function)."""
    key = (value_dtype, dtype)
    ok = _FITS.get(key)
    if ok is None:
        ok = _FITS[key] = D.upcast(dtype, str(value_dtype)) == dtype
    return ok


# Theano's module-level helpers for Variable.tag.values_eq_approx: the comparison of
# TensorType values, and variants that accept infinities and/or NaNs wherever the other
# value has them.
values_eq_approx = TensorType.values_eq_approx


def values_eq_approx_remove_inf(a, b):
    return TensorType.values_eq_approx(a, b, True)


def values_eq_approx_remove_nan(a, b):
    return TensorType.values_eq_approx(a, b, False, True)


def values_eq_approx_remove_inf_nan(a, b):
    return TensorType.values_eq_approx(a, b, True, True)


def values_eq_approx_always_true(a, b):
    return True


scal = _scalar_package  # Theano's name for theano.scalar in this module
theano = sys.modules[__name__.split(".")[0]]  # the package (Theano's module imported it)
