"""The table of scalar operations: one entry per op (DESIGN.md §5.1).

Gradients are written with operators and other table entries; called on tensors they
build tensor graphs.  Gradients of discrete inputs are handled by Elemwise (zeros), so
these formulas only cover the continuous case.
"""

from __future__ import annotations

import numpy as np

from ..backend import special_function
from ..graph.null import disconnected_type, grad_not_implemented
from . import c_forms as C
from .op import (
    DISCRETE_OUTPUT,
    BinaryBitOp,
    BinaryScalarOp,
    FixedLogicalComparison,
    LogicalComparison,
    NoGradient,
    ScalarOp,
    UnaryBitOp,
    UnaryScalarOp,
    give_theano_class,
    bool_out,
    float_only,
    float_out,
    int_only,
    same_out,
    same_out_nobool,
    true_div_out,
    upcast_out,
    upcast_out_nobool,
)
from . import dtypes as D
from .type_rules import specific_out
from . import type as ST


def _upcast_min8(*dts):
    out = D.upcast(*dts)
    return "int8" if out == "bool" else out


def _within_clamps(xp, x):
    """True when every x lies in [-30, 30], where Theano's sigmoid and softplus use their
    formula (no clamp): two reductions instead of two compares and two masked copies.
    NumPy only (on a GPU the answer would cost a device-to-host sync); NaN gives False."""
    return xp is np and x.size > 0 and x.min() >= -30.0 and x.max() <= 30.0


def _sigmoid(xp, x):
    # Theano's C kernel clamps at |x| > 30 (exact 0/1); the middle uses 1/(1+exp(-x)).
    # Clipping first keeps exp from overflowing (no errstate needed), and each step
    # writes into one fresh buffer: this runs once per training step in most models.
    if not hasattr(x, "shape") or x.ndim == 0:
        return _sigmoid(xp, xp.asarray(x).reshape(1)).reshape(())
    if _within_clamps(xp, x):
        # No clamp applies and exp(-x) cannot overflow: the same four steps, same numbers.
        r = xp.negative(x)
        xp.exp(r, out=r)
        xp.add(r, 1.0, out=r)
        xp.divide(1.0, r, out=r)
        return r
    r = xp.maximum(x, -31.0)
    xp.negative(r, out=r)
    xp.exp(r, out=r)
    xp.add(r, 1.0, out=r)
    xp.divide(1.0, r, out=r)
    xp.copyto(r, 0.0, where=x < -30.0)
    xp.copyto(r, 1.0, where=x > 30.0)
    return r


def _softplus(xp, x):
    # Theano's clamps: 0 below -30, x above 30, log1p(exp(x)) between.
    if not hasattr(x, "shape") or x.ndim == 0:
        return _softplus(xp, xp.asarray(x).reshape(1)).reshape(())
    if _within_clamps(xp, x):
        r = xp.exp(x)
        xp.log1p(r, out=r)
        return r
    r = xp.minimum(x, 31.0)
    xp.exp(r, out=r)
    xp.log1p(r, out=r)
    xp.copyto(r, 0.0, where=x < -30.0)
    xp.copyto(r, x, where=x > 30.0)
    return r


def _round_half_away(xp, x):
    return xp.where(x >= 0, xp.floor(x + 0.5), xp.ceil(x - 0.5)).astype(x.dtype, copy=False)


def _sqr(xp, x, out=None):
    # multiply(x, x) is x * x; as a ufunc call it takes out= (takes_out below)
    return xp.multiply(x, x, out=out)


def _inv(xp, x):
    return 1.0 / x


def _identity(xp, x):
    # A new value, never the input itself: Elemwise{identity} (tensor_copy) declares no
    # view, so its output must not alias its input.
    copy = getattr(x, "copy", None)
    return copy() if copy is not None else x


def _second(xp, a, b):
    # A new array, as Theano's: a broadcast view would hand the caller a read-only alias
    # of `b` (often a constant: zeros_like, ones_like), which no view_map declares.
    return xp.broadcast_to(b, xp.broadcast_shapes(xp.shape(a), xp.shape(b))).copy()


def _switch(xp, c, a, b):
    return xp.where(c, a, b)


def _clip(xp, x, lo, hi):
    # Theano's clip is `x < lo ? lo : (x > hi ? hi : x)` per element: lo wins where
    # lo > hi, a NaN bound is never chosen (the comparison is false), a NaN x stays NaN.
    if xp is np and getattr(lo, "size", 0) == 1 and getattr(hi, "size", 0) == 1 \
            and lo.item() <= hi.item():
        # Ordered, non-NaN scalar bounds (clip(x, 0, 1)): the same values from two ufuncs
        # instead of four passes.  The bounds come first: NumPy's maximum/minimum give
        # the second operand on ties, so x = -0.0 with lo = 0.0 stays -0.0, as in Theano.
        return xp.minimum(hi, xp.maximum(lo, x))
    return xp.where(x < lo, lo, xp.where(x > hi, hi, x))


# (T)(double)inf on x86 (cvttsd2si: the "integer indefinite" value), cut to T's width:
# what Theano 1.0.5's C code gave for 0 ** -n.
_INT_POW_ZERO_NEG = {"int8": 0, "int16": 0, "int32": -2 ** 31, "int64": -2 ** 63}


def _pow(xp, x, y, out=None):
    # A function, not the ufunc (C pow semantics below), that takes out= as one does: a
    # fused group keeps writing into its buffers through it.  `out` may be x itself.
    dx, dy = getattr(x, "dtype", None), getattr(y, "dtype", None)
    if dy is not None and dx is not None and dy.kind == "i" and dx.kind in "biu":
        r = _int_pow(xp, x, y)
    elif xp is np and dy is not None and dy.kind == "f" and dx is not None \
            and dx.kind in "fiub":
        fix = _c_half_power_fix(x, y)
        r = xp.power(x, y, out=out)
        if fix is not None:
            r = _apply_fix(r, *fix)
    else:
        r = xp.power(x, y, out=out)
    if out is not None and r is not out:
        out[...] = r
        return out
    return r


def _int_pow(xp, x, y):
    """Integer ** signed integer as Theano's C code computed it, ``(T) pow((double) x,
    (double) y)``: NumPy's exact (wrapping) power for y >= 0 (the same value wherever the
    double is exact), and for y < 0 the truncated fraction: 1 for x = 1, +-1 for x = -1,
    0 for |x| > 1, and C's conversion of inf for x = 0.  NumPy raises ValueError there."""
    neg = y < 0
    if not neg.any():
        return xp.power(x, y)
    r = xp.power(x, xp.where(neg, 0, y))
    dt = r.dtype
    if dt.kind == "f":
        return xp.power(x, y)  # uint64 ** int64 computes in float64
    unit = xp.where((y & 1) != 0, x, x * x)  # x ** -n for x = +-1
    small = xp.where((x == 1) | (x == -1), unit, 0).astype(dt)
    small = xp.where(x == 0, _INT_POW_ZERO_NEG.get(str(dt), 0), small)
    return xp.where(neg, small, r).astype(dt, copy=False)


def _c_half_power_fix(x, y):
    """NumPy 2 computes ``x ** 0.5`` as sqrt(x) when the exponent is one broadcast value
    (a constant): NaN at x = -inf and -0.0 at x = -0.0, where C's pow (Theano's C code,
    NumPy 1) gives +inf and +0.0.  The positions to set to those values, found before
    the power runs (it may overwrite x), or None."""
    if y.size == 1:
        if y.item() != 0.5:
            return None
        half = True
    elif y.shape == np.broadcast_shapes(np.shape(x), y.shape) and 0 not in y.strides:
        return None  # a full exponent array: NumPy runs pow itself
    else:
        half = y == 0.5
        if not half.any():
            return None
    return half & (x == -np.inf), half & (x == 0)


def _apply_fix(r, neg_inf, zero):
    if isinstance(r, np.ndarray) and r.shape == np.shape(neg_inf):
        np.copyto(r, np.inf, where=neg_inf)  # r is ours: a new array or the out= buffer
        np.copyto(r, 0.0, where=zero)
        return r
    return np.where(neg_inf, np.inf, np.where(zero, 0.0, r)).astype(r.dtype)


def _true_div(xp, a, b, out=None):
    return xp.true_divide(a, b, out=out)


def _integer_kind(v):
    dtype = getattr(v, "dtype", None)
    return dtype.kind in "biu" if dtype is not None else isinstance(v, int)


def _check_divisor(xp, a, b, what):
    """Theano's C code raised ZeroDivisionError on an integer division or modulo by zero
    (NumPy gives 0 with a warning).  Only integer operands are checked: a float result is
    inf/nan, as in Theano.  Checked on NumPy only: a GPU kernel cannot raise (fused CUDA
    code gives NumPy's 0), and checking would cost a device sync per call."""
    # (logical_and.reduce is np.all without its Python wrapper: this runs on every call)
    if xp is np and _integer_kind(b) and _integer_kind(a) \
            and not _all_nonzero(b, axis=None) and np.size(a) != 0:
        raise ZeroDivisionError(f"integer {what} by zero")


_all_nonzero = np.logical_and.reduce


def _int_div(xp, a, b):
    _check_divisor(xp, a, b, "division")
    return xp.floor_divide(a, b)


def _mod(xp, a, b):
    _check_divisor(xp, a, b, "modulo")
    return xp.remainder(a, b)


def _erfcx(xp, x):
    return special_fn(xp, "erfcx")(x)


def _log1mexp(xp, x):
    return xp.where(x < -0.6931471805599453, xp.log1p(-xp.exp(x)), xp.log(-xp.expm1(x)))


def _angle_grad(x):
    # The angle of a real number is piecewise constant (0 or pi): a zero gradient.
    if x.type.dtype in D.complex_dtypes:
        return grad_not_implemented(angle, 0, x, "complex gradients are not supported")
    return x * 0


def _real_part_out(d):
    return {"complex64": "float32", "complex128": "float64"}.get(d, d)


def _angle_out(d):
    return "float32" if d == "complex64" else float_out(d)


def _float_out_no_complex(*dts):
    # Theano's upgrade_to_float_no_complex (ceil, floor, trunc, erfc, erfcx, erfinv...).
    if any(d in D.complex_dtypes for d in dts):
        raise TypeError("complex argument not supported")
    return float_out(*dts)


def _upcast_out_no_complex(*dts):
    # Theano's upcast_out_no_complex (clip).
    if any(d in D.complex_dtypes for d in dts):
        raise TypeError("complex type are not supported")
    return D.upcast(*dts)


def special_fn(xp, name):
    return special_function(xp, name)


def _gammau(xp, k, x):
    return special_fn(xp, "gammaincc")(k, x) * special_fn(xp, "gamma")(k)


def _gammal(xp, k, x):
    return special_fn(xp, "gammainc")(k, x) * special_fn(xp, "gamma")(k)


def _chi2sf(xp, x, k):
    # The survival function of the chi-square distribution with k degrees of freedom.
    return special_fn(xp, "chdtrc")(k, x)


def _complex_out(*dts):
    return "complex64" if D.upgrade_to_float(D.upcast(*dts)) in ("float16", "float32") \
        else "complex128"


def _complex(xp, re, im):
    return re + 1j * im


def _complex_from_polar(xp, r, theta):
    if (r < 0).any():
        raise ValueError("polar radius must be non-negative", r)
    return r * (xp.cos(theta) + 1j * xp.sin(theta))


def _xlogx(xp, x):
    safe = xp.where(x == 0, 1, x)
    return xp.where(x == 0, 0, x * xp.log(safe))


def _xlogy0(xp, x, y):
    safe = xp.where(x == 0, 1, y)
    return xp.where(x == 0, 0, x * xp.log(safe))


# --------------------------------------------------------------------------- arithmetic
# Declaration order is the order of `ALL` and of `tensor_level()`.  Each entry carries
# every form a consumer reads (see ScalarOp): implementation, dtype rule, gradient, C form
# (`C.*`, scalar/c_forms.py), Python-float form, printing.
add = ScalarOp("add", 2, tensor=True, ufunc="add", dtype=upcast_out,
               grad=lambda x, y, z, g: [g, g], c_form=C.binary("+", "||"),
               py_form="({0} + {1})", symbol="+", commutative=True)
sub = ScalarOp("sub", 2, tensor=True, ufunc="subtract", dtype=upcast_out_nobool,
               grad=lambda x, y, z, g: [g, -g], c_form=C.binary("-"),
               py_form="({0} - {1})", symbol="-")
mul = ScalarOp("mul", 2, tensor=True, ufunc="multiply", dtype=upcast_out,
               grad=lambda x, y, z, g: [g * y, g * x], c_form=C.binary("*", "&&"),
               py_form="({0} * {1})", symbol="*", commutative=True)
true_div = ScalarOp("true_div", 2, tensor=True, fn=_true_div, takes_out=True,
                    dtype=true_div_out,
                    grad=lambda x, y, z, g: [g / y, -g * z / y], c_form=C.binary("/"),
                    symbol="/")
# Theano's IntDiv.grad returns zeros for both inputs (floor division is piecewise
# constant), so `x // y` on floats is differentiable with a zero gradient, not undefined.
int_div = ScalarOp("int_div", 2, tensor=True, fn=_int_div, dtype=upcast_out,
                   grad=lambda x, y, z, g: [x * 0, y * 0], c_form=C.int_div, symbol="//",
                   py_int_form="({0} // {1})")
# Theano's pp wrote mod as a call, its scalar printer (Composite names) as `%`.
mod = ScalarOp("mod", 2, tensor=True, fn=_mod, dtype=upcast_out,
               grad=lambda x, y, z, g: [g, -g * int_div(x, y)], c_form=C.mod, symbol="%",
               pp_form="mod({0}, {1})", py_int_form="({0} % {1})")
pow = ScalarOp("pow", 2, tensor=True, fn=_pow, takes_out=True, dtype=_upcast_min8,
               # d/dy x**y = log(x) x**y, taken as 0 where x == 0 (Theano's Pow.L_op)
               grad=lambda x, y, z, g: [g * y * x ** (y - 1),
                                        switch(eq(x, 0), 0, g * log(x) * z)],
               c_form=C.power, symbol="**")
neg = ScalarOp("neg", 1, tensor=True, ufunc="negative", dtype=upcast_out_nobool,
               grad=lambda x, z, g: [-g], c_form=C.neg, py_form="(-{0})", symbol="-",
               logistic_role="neg")
# Theano's Abs: the modulus of a complex number is real (complex64 -> float32).
abs_ = ScalarOp("abs_", 1, tensor=True, ufunc="absolute", dtype=_real_part_out,
                grad=lambda x, z, g: [g * sgn(x)], c_form=C.absolute, pp_form="|{0}|",
                print_name="Abs", py_int_form="abs({0})")
sgn = ScalarOp("sgn", 1, tensor=True, ufunc="sign", dtype=same_out_nobool,
               grad=lambda x, z, g: [x * 0], c_form=C.sign)
# (py_form: 1 / x through link/scalar_inline.py's _py_div, NumPy's inf/nan for x == 0)
inv = ScalarOp("inv", 1, tensor=True, fn=_inv, dtype=float_out,
               grad=lambda x, z, g: [-g * z * z], c_form=C.inv, py_form="_py_div(1.0, {0})")
sqr = ScalarOp("sqr", 1, tensor=True, fn=_sqr, takes_out=True, dtype=same_out,
               grad=lambda x, z, g: [g * x * 2], c_form=C.sqr, py_form="({0} * {0})")
sqrt = ScalarOp("sqrt", 1, tensor=True, ufunc="sqrt", dtype=float_out,
                grad=lambda x, z, g: [g * 0.5 / z], c_form=C.float_unary("sqrt"))
maximum = ScalarOp("maximum", 2, tensor=True, ufunc="maximum", dtype=upcast_out,
                   grad=lambda x, y, z, g: [g * eq(z, x), g * (1 - eq(z, x))],
                   c_form=C.maximum, commutative=True, py_int_form="max({0}, {1})")
minimum = ScalarOp("minimum", 2, tensor=True, ufunc="minimum", dtype=upcast_out,
                   grad=lambda x, y, z, g: [g * eq(z, x), g * (1 - eq(z, x))],
                   c_form=C.minimum, commutative=True, py_int_form="min({0}, {1})")
# second(x, y) only takes x's shape: Theano 1.0.5 gives x a disconnected gradient.
second = ScalarOp("second", 2, fn=_second, dtype=lambda a, b: b,
                  grad=lambda x, y, z, g: [disconnected_type(), g], c_form=C.second,
                  pp_form="fill({0}, {1})")
identity = ScalarOp("identity", 1, fn=_identity, dtype=same_out, grad=lambda x, z, g: [g],
                    c_form=C.identity, py_form="{0}")

# --------------------------------------------------------------------------- exp / log
exp = ScalarOp("exp", 1, tensor=True, ufunc="exp", dtype=float_out,
               grad=lambda x, z, g: [g * z], c_form=C.float_unary("exp"))
exp2 = ScalarOp("exp2", 1, tensor=True, ufunc="exp2", dtype=float_out,
                grad=lambda x, z, g: [g * z * np.log(2.0).item()],
                c_form=C.float_unary("exp2"))
expm1 = ScalarOp("expm1", 1, tensor=True, ufunc="expm1", dtype=float_out,
                 grad=lambda x, z, g: [g * (z + 1)], c_form=C.float_unary("expm1"))
log = ScalarOp("log", 1, tensor=True, ufunc="log", dtype=float_out,
               grad=lambda x, z, g: [g / x], c_form=C.float_unary("log"))
log2 = ScalarOp("log2", 1, tensor=True, ufunc="log2", dtype=float_out,
                grad=lambda x, z, g: [g / (x * np.log(2.0).item())],
                c_form=C.float_unary("log2"))
log10 = ScalarOp("log10", 1, tensor=True, ufunc="log10", dtype=float_out,
                 grad=lambda x, z, g: [g / (x * np.log(10.0).item())],
                 c_form=C.float_unary("log10"))
log1p = ScalarOp("log1p", 1, tensor=True, ufunc="log1p", dtype=float_out,
                 grad=lambda x, z, g: [g / (x + 1)], c_form=C.float_unary("log1p"))
log1mexp = ScalarOp("log1mexp", 1, tensor=True, fn=_log1mexp, dtype=float_out,
                    grad=lambda x, z, g: [-g * exp(x) / (1 - exp(x))], c_form=C.log1mexp)
sigmoid = ScalarOp("sigmoid", 1, fn=_sigmoid, dtype=float_out,
                   grad=lambda x, z, g: [g * z * (1 - z)], c_form=C.sigmoid,
                   print_name="scalar_sigmoid", logistic_role="sig")
softplus = ScalarOp("softplus", 1, fn=_softplus, dtype=float_out,
                    grad=lambda x, z, g: [g * sigmoid(x)], c_form=C.softplus,
                    print_name="scalar_softplus", logistic_role="sp")
softsign = ScalarOp("softsign", 1, fn=lambda xp, x: x / (1.0 + xp.abs(x)), dtype=float_out,
                    grad=lambda x, z, g: [g / sqr(1 + abs_(x))],
                    c_form=C.float_only(lambda x, rt: f"({x} / ({C.cast(1, rt)} + "
                                                      f"{C.math_fn('fabs', rt)}({x})))"),
                    py_form="({0} / (1.0 + abs({0})))", print_name="scalar_softsign")

# --------------------------------------------------------------------------- trigonometry
sin = ScalarOp("sin", 1, tensor=True, ufunc="sin", dtype=float_out,
               grad=lambda x, z, g: [g * cos(x)], c_form=C.float_unary("sin"))
cos = ScalarOp("cos", 1, tensor=True, ufunc="cos", dtype=float_out,
               grad=lambda x, z, g: [-g * sin(x)], c_form=C.float_unary("cos"))
tan = ScalarOp("tan", 1, tensor=True, ufunc="tan", dtype=float_out,
               grad=lambda x, z, g: [g * (1 + z * z)], c_form=C.float_unary("tan"))
arcsin = ScalarOp("arcsin", 1, tensor=True, ufunc="arcsin", dtype=float_out,
                  grad=lambda x, z, g: [g / sqrt(1 - x * x)], c_form=C.float_unary("asin"))
arccos = ScalarOp("arccos", 1, tensor=True, ufunc="arccos", dtype=float_out,
                  grad=lambda x, z, g: [-g / sqrt(1 - x * x)], c_form=C.float_unary("acos"))
arctan = ScalarOp("arctan", 1, tensor=True, ufunc="arctan", dtype=float_out,
                  grad=lambda x, z, g: [g / (1 + x * x)], c_form=C.float_unary("atan"))
arctan2 = ScalarOp("arctan2", 2, tensor=True, ufunc="arctan2", dtype=float_out,
                   grad=lambda y, x, z, g: [g * x / (x * x + y * y), -g * y / (x * x + y * y)],
                   c_form=C.float_binary("atan2"))
sinh = ScalarOp("sinh", 1, tensor=True, ufunc="sinh", dtype=float_out,
                grad=lambda x, z, g: [g * cosh(x)], c_form=C.float_unary("sinh"))
cosh = ScalarOp("cosh", 1, tensor=True, ufunc="cosh", dtype=float_out,
                grad=lambda x, z, g: [g * sinh(x)], c_form=C.float_unary("cosh"))
tanh = ScalarOp("tanh", 1, tensor=True, ufunc="tanh", dtype=float_out,
                grad=lambda x, z, g: [g * (1 - z * z)], c_form=C.float_unary("tanh"))
arcsinh = ScalarOp("arcsinh", 1, tensor=True, ufunc="arcsinh", dtype=float_out,
                   grad=lambda x, z, g: [g / sqrt(x * x + 1)], c_form=C.float_unary("asinh"))
arccosh = ScalarOp("arccosh", 1, tensor=True, ufunc="arccosh", dtype=float_out,
                   grad=lambda x, z, g: [g / sqrt(x * x - 1)], c_form=C.float_unary("acosh"))
arctanh = ScalarOp("arctanh", 1, tensor=True, ufunc="arctanh", dtype=float_out,
                   grad=lambda x, z, g: [g / (1 - x * x)], c_form=C.float_unary("atanh"))
deg2rad = ScalarOp("deg2rad", 1, tensor=True, ufunc="deg2rad", dtype=float_out,
                   grad=lambda x, z, g: [g * (np.pi / 180.0)], c_form=C.DEG2RAD)
rad2deg = ScalarOp("rad2deg", 1, tensor=True, ufunc="rad2deg", dtype=float_out,
                   grad=lambda x, z, g: [g * (180.0 / np.pi)], c_form=C.RAD2DEG)

# --------------------------------------------------------------------------- special
_SQRT_PI = float(np.sqrt(np.pi))
erf = ScalarOp("erf", 1, tensor=True, special="erf", dtype=float_out,
               grad=lambda x, z, g: [g * (2.0 / _SQRT_PI) * exp(-x * x)],
               c_form=C.float_unary("erf"))
erfc = ScalarOp("erfc", 1, tensor=True, special="erfc", dtype=_float_out_no_complex,
                grad=lambda x, z, g: [-g * (2.0 / _SQRT_PI) * exp(-x * x)],
                c_form=C.float_unary("erfc"))
erfcx = ScalarOp("erfcx", 1, tensor=True, special="erfcx", dtype=_float_out_no_complex,
                 grad=lambda x, z, g: [g * (2 * x * z - 2.0 / _SQRT_PI)],
                 c_form=C.float_unary("erfcx"))
erfinv = ScalarOp("erfinv", 1, tensor=True, special="erfinv", dtype=_float_out_no_complex,
                  grad=lambda x, z, g: [g * (_SQRT_PI / 2.0) * exp(z * z)],
                  c_form=C.float_unary("erfinv"))
erfcinv = ScalarOp("erfcinv", 1, tensor=True, special="erfcinv", dtype=_float_out_no_complex,
                   grad=lambda x, z, g: [-g * (_SQRT_PI / 2.0) * exp(z * z)],
                   c_form=C.float_unary("erfcinv"))
gamma = ScalarOp("gamma", 1, tensor=True, special="gamma", dtype=float_out,
                 grad=lambda x, z, g: [g * z * psi(x)], c_form=C.float_unary("tgamma"))
gammaln = ScalarOp("gammaln", 1, tensor=True, special="gammaln", dtype=float_out,
                   grad=lambda x, z, g: [g * psi(x)], c_form=C.gammaln)
psi = ScalarOp("psi", 1, tensor=True, special="psi", dtype=float_out,
               grad=lambda x, z, g: [g * tri_gamma(x)],
               c_form=C.NoCForm("CUDA's math library has no digamma "
                                "(cupyx.scipy.special.psi runs instead)"))
tri_gamma = ScalarOp("tri_gamma", 1, tensor=True,
                     fn=lambda xp, x: special_fn(xp, "polygamma")(1, x), dtype=float_out,
                     grad=NoGradient("no formula (Theano 1.0.5 had none either)"),
                     c_form=C.NoCForm("no polygamma in CUDA's math library"))
j0 = ScalarOp("j0", 1, tensor=True, special="j0", dtype=float_out,
              grad=lambda x, z, g: [-g * j1(x)], c_form=C.bessel("j0"))
j1 = ScalarOp("j1", 1, tensor=True, special="j1", dtype=float_out,
              grad=lambda x, z, g: [g * (j0(x) - jv(2, x)) / 2.0], c_form=C.bessel("j1"))
jv = ScalarOp("jv", 2, tensor=True, special="jv", dtype=float_out,
              grad=lambda v, x, z, g: [grad_not_implemented(jv, 0, v),
                                       g * (jv(v - 1, x) - jv(v + 1, x)) / 2.0],
              c_form=C.NoCForm("CUDA has Bessel functions of integer order only"))
i0 = ScalarOp("i0", 1, tensor=True, special="i0", dtype=float_out,
              grad=lambda x, z, g: [g * i1(x)], c_form=C.float_unary("cyl_bessel_i0"))
i1 = ScalarOp("i1", 1, tensor=True, special="i1", dtype=float_out,
              grad=lambda x, z, g: [g * (i0(x) + iv(2, x)) / 2.0],
              c_form=C.float_unary("cyl_bessel_i1"))
iv = ScalarOp("iv", 2, tensor=True, special="iv", dtype=float_out,
              grad=lambda v, x, z, g: [grad_not_implemented(iv, 0, v),
                                       g * (iv(v - 1, x) + iv(v + 1, x)) / 2.0],
              c_form=C.NoCForm("CUDA has modified Bessel functions of order 0 and 1 only"))

# Theano 1.0.5's incomplete-gamma and chi-square functions had no gradient (its grad raised
# MethodNotDefined); here T.grad reports the undefined gradient.
_THEANO_HAD_NO_GRADIENT = NoGradient("Theano 1.0.5 had no formula for it")
_NO_SCIPY_KERNEL = C.NoCForm("no CUDA math function (the cupyx.scipy.special one runs instead)")
gammainc = ScalarOp("gammainc", 2, tensor=True, special="gammainc", dtype=float_out,
                    grad=_THEANO_HAD_NO_GRADIENT, c_form=_NO_SCIPY_KERNEL)
gammaincc = ScalarOp("gammaincc", 2, tensor=True, special="gammaincc", dtype=float_out,
                     grad=_THEANO_HAD_NO_GRADIENT, c_form=_NO_SCIPY_KERNEL)
gammau = ScalarOp("gammau", 2, tensor=True, fn=_gammau, dtype=float_out,
                  grad=_THEANO_HAD_NO_GRADIENT, c_form=_NO_SCIPY_KERNEL)
gammal = ScalarOp("gammal", 2, tensor=True, fn=_gammal, dtype=float_out,
                  grad=_THEANO_HAD_NO_GRADIENT, c_form=_NO_SCIPY_KERNEL)
chi2sf = ScalarOp("chi2sf", 2, tensor=True, fn=_chi2sf, dtype=float_out,
                  grad=_THEANO_HAD_NO_GRADIENT, c_form=_NO_SCIPY_KERNEL)
# x * log(x) and x * log(y), 0 where x == 0 (theano.tensor.xlogx: not in theano.tensor's
# namespace).  Theano's partials, taken as they are at x == 0.
xlogx = ScalarOp("xlogx", 1, fn=_xlogx, dtype=float_out,
                 grad=lambda x, z, g: [g * (1 + log(x))],
                 c_form=C.NoCForm("not among the fused CUDA forms (runs unfused)"))
xlogy0 = ScalarOp("xlogy0", 2, fn=_xlogy0, dtype=float_out,
                  grad=lambda x, y, z, g: [g * log(y), g * x / y],
                  c_form=C.NoCForm("not among the fused CUDA forms (runs unfused)"))

# --------------------------------------------------------------------------- rounding
ceil = ScalarOp("ceil", 1, tensor=True, ufunc="ceil", dtype=_float_out_no_complex,
                grad=lambda x, z, g: [x * 0], c_form=C.rounding("ceil"))
floor = ScalarOp("floor", 1, tensor=True, ufunc="floor", dtype=_float_out_no_complex,
                 grad=lambda x, z, g: [x * 0], c_form=C.rounding("floor"))
trunc = ScalarOp("trunc", 1, tensor=True, ufunc="trunc", dtype=_float_out_no_complex,
                 grad=lambda x, z, g: [x * 0], c_form=C.rounding("trunc"))
round_half_to_even = ScalarOp("round_half_to_even", 1, tensor=True, ufunc="rint",
                              dtype=float_only, grad=lambda x, z, g: [x * 0],
                              c_form=C.rounding("rint"), print_name="RoundHalfToEven")
round_half_away_from_zero = ScalarOp("round_half_away_from_zero", 1, tensor=True,
                                     fn=_round_half_away, dtype=float_only,
                                     grad=lambda x, z, g: [x * 0], c_form=C.round_half_away,
                                     print_name="RoundHalfAwayFromZero")

# --------------------------------------------------------------------------- comparisons
lt = ScalarOp("lt", 2, tensor=True, ufunc="less", dtype=bool_out, grad=DISCRETE_OUTPUT,
              c_form=C.compare("<"), print_name="LT",
              py_int_form="({0} < {1})")
gt = ScalarOp("gt", 2, tensor=True, ufunc="greater", dtype=bool_out, grad=DISCRETE_OUTPUT,
              c_form=C.compare(">"), print_name="GT",
              py_int_form="({0} > {1})")
le = ScalarOp("le", 2, tensor=True, ufunc="less_equal", dtype=bool_out, grad=DISCRETE_OUTPUT,
              c_form=C.compare("<="), print_name="LE",
              py_int_form="({0} <= {1})")
ge = ScalarOp("ge", 2, tensor=True, ufunc="greater_equal", dtype=bool_out,
              grad=DISCRETE_OUTPUT, c_form=C.compare(">="), print_name="GE",
              py_int_form="({0} >= {1})")
eq = ScalarOp("eq", 2, tensor=True, ufunc="equal", dtype=bool_out, grad=DISCRETE_OUTPUT,
              c_form=C.compare("=="), print_name="EQ", commutative=True,
              py_int_form="({0} == {1})")
neq = ScalarOp("neq", 2, tensor=True, ufunc="not_equal", dtype=bool_out,
               grad=DISCRETE_OUTPUT, c_form=C.compare("!="), print_name="NEQ",
               commutative=True, py_int_form="({0} != {1})")
isnan = ScalarOp("isnan", 1, tensor=True, ufunc="isnan", dtype=bool_out, grad=DISCRETE_OUTPUT,
                 c_form=C.float_test("isnan"), print_name="IsNan")
isinf = ScalarOp("isinf", 1, tensor=True, ufunc="isinf", dtype=bool_out, grad=DISCRETE_OUTPUT,
                 c_form=C.float_test("isinf"), print_name="IsInf")

# --------------------------------------------------------------------------- logic / bits
and_ = ScalarOp("and_", 2, tensor=True, ufunc="bitwise_and", dtype=int_only,
                grad=DISCRETE_OUTPUT, c_form=C.bitwise("&"), print_name="AND",
                commutative=True)
or_ = ScalarOp("or_", 2, tensor=True, ufunc="bitwise_or", dtype=int_only,
               grad=DISCRETE_OUTPUT, c_form=C.bitwise("|"), print_name="OR", commutative=True)
xor = ScalarOp("xor", 2, tensor=True, ufunc="bitwise_xor", dtype=int_only,
               grad=DISCRETE_OUTPUT, c_form=C.bitwise("^"), print_name="XOR", commutative=True)
invert = ScalarOp("invert", 1, tensor=True, ufunc="invert", dtype=int_only,
                  grad=DISCRETE_OUTPUT, c_form=C.invert, print_name="Invert")

# --------------------------------------------------------------------------- selection
switch = ScalarOp("switch", 3, tensor=True, fn=_switch, dtype=lambda c, a, b: D.upcast(a, b),
                  grad=lambda c, a, b, z, g: [c * 0, switch(c, g, 0), switch(c, 0, g)],
                  c_form=C.switch, print_name="Switch",
                  py_int_form="({1} if {0} else {2})")
clip = ScalarOp("clip", 3, fn=_clip, dtype=_upcast_out_no_complex,
                grad=lambda x, lo, hi, z, g: [g * ge(x, lo) * le(x, hi),
                                              g * lt(x, lo), g * gt(x, hi)],
                c_form=C.clip)

# --------------------------------------------------------------------------- complex
_NO_COMPLEX_GRAD = NoGradient("complex gradients are not supported")
_COMPLEX_KERNELS = C.NoCForm("complex numbers")
real = ScalarOp("real", 1, tensor=True, ufunc="real", dtype=_real_part_out,
                grad=_NO_COMPLEX_GRAD, c_form=_COMPLEX_KERNELS)
imag = ScalarOp("imag", 1, tensor=True, ufunc="imag", dtype=_real_part_out,
                grad=_NO_COMPLEX_GRAD, c_form=_COMPLEX_KERNELS)
conj = ScalarOp("conj", 1, tensor=True, ufunc="conjugate", dtype=same_out,
                grad=_NO_COMPLEX_GRAD, c_form=_COMPLEX_KERNELS)
angle = ScalarOp("angle", 1, tensor=True, ufunc="angle", dtype=_angle_out,
                 grad=lambda x, z, g: [_angle_grad(x)], c_form=_COMPLEX_KERNELS)
complex = ScalarOp("complex", 2, tensor=True, fn=_complex, dtype=_complex_out,  # noqa: A001
                   grad=_NO_COMPLEX_GRAD, c_form=_COMPLEX_KERNELS)
complex_from_polar = ScalarOp("complex_from_polar", 2, tensor=True, fn=_complex_from_polar,
                              dtype=_complex_out, grad=_NO_COMPLEX_GRAD,
                              c_form=_COMPLEX_KERNELS)


# --------------------------------------------------------------------------- casts
class Cast(UnaryScalarOp):
    """Conversion to a fixed dtype (Theano's ``Cast{float32}``, printed ``float32(x)``).

    ``Cast(dtype)`` or Theano's ``Cast(scalar_type, name=None)``; `cast_op` gives the
    shared instance per dtype (``convert_to_float32``...)."""

    __module__ = "theano.scalar.basic"  # Theano's path: reprs and pickles

    def __init__(self, dtype, name=None):
        dtype = getattr(dtype, "dtype", dtype)
        super().__init__(f"convert_to_{dtype}", 1, fn=lambda xp, x: x.astype(dtype),
                         dtype=lambda d: dtype, grad=self._grad, c_form=C.cast_form,
                         pp_form=f"{dtype}({{0}})")
        self.o_dtype = dtype
        self.o_type = ST.get_scalar_type(dtype)
        self.output_types_preference = specific_out(self.o_type)  # Theano's (``.spec``)

    @staticmethod
    def _grad(x, z, g):
        return [g]

    def __str__(self):
        return f"Cast{{{self.o_dtype}}}"

    def __reduce__(self):
        return (cast_op, (self.o_dtype,))


_CASTS = {}


def cast_op(dtype):
    """The (shared) Cast scalar op to `dtype`."""
    if dtype not in _CASTS:
        _CASTS[dtype] = Cast(dtype)
    return _CASTS[dtype]


for _dtype in D.all_dtypes:  # convert_to_<dtype> for every dtype (theano.scalar names)
    cast_op(_dtype)


class InRange(LogicalComparison):
    """Whether ``low < x < high`` (``openlow``/``openhi``: strict bounds) or with ``<=``
    (Theano's ``InRange``; ``inopenrange``, ``inclosedrange``).  Zero gradients."""

    _cache: dict = {}

    def __new__(cls, openlow, openhi):
        key = (bool(openlow), bool(openhi))
        op = cls._cache.get(key)
        if op is None:
            op = cls._cache[key] = super().__new__(cls)
        return op

    def __init__(self, openlow, openhi):
        if "dtype_rule" in self.__dict__:
            return  # the shared instance, already declared
        self.openlow, self.openhi = bool(openlow), bool(openhi)
        name = {(True, True): "inopenrange", (False, False): "inclosedrange"}.get(
            (self.openlow, self.openhi), f"inrange_{self.openlow}_{self.openhi}")
        lo_op = "greater" if openlow else "greater_equal"
        hi_op = "less" if openhi else "less_equal"
        super().__init__(name, 3, dtype=bool_out, grad=DISCRETE_OUTPUT,
                         fn=lambda xp, x, lo, hi: xp.logical_and(getattr(xp, lo_op)(x, lo),
                                                                 getattr(xp, hi_op)(x, hi)),
                         c_form=C.in_range(self.openlow, self.openhi))

    def __str__(self):
        return f"InRange{{openlow={self.openlow}, openhi={self.openhi}}}"

    def __reduce__(self):
        return (InRange, (self.openlow, self.openhi))


def round_half_away_from_zero_(a):
    """Round one number half away from zero (Theano's helper)."""
    if a > 0:
        return np.floor(a + 0.5)
    return np.ceil(a - 0.5)


round_half_away_from_zero_vec64 = np.vectorize(round_half_away_from_zero_,
                                               doc="round_half_away_from_zero_ on float64")
round_half_away_from_zero_vec32 = np.vectorize(round_half_away_from_zero_,
                                               doc="round_half_away_from_zero_ on float32",
                                               otypes=["float32"])


def round_half_away_from_zero_vec(a):
    """Round an array half away from zero, keeping float32 in float32."""
    if getattr(a, "dtype", None) == np.float32:
        return round_half_away_from_zero_vec32(a)
    return round_half_away_from_zero_vec64(a)


_B, _S, _N = "theano.scalar.basic", "theano.scalar.basic_scipy", "theano.tensor.nnet"
# Theano's class of each op: {name: (class name, its module, base class)} (see
# ScalarOp's docstring; `give_theano_class` makes each op an instance of it).
THEANO_CLASSES = {
    "add": ("Add", _B, ScalarOp), "sub": ("Sub", _B, BinaryScalarOp),
    "mul": ("Mul", _B, ScalarOp), "true_div": ("TrueDiv", _B, BinaryScalarOp),
    "int_div": ("IntDiv", _B, BinaryScalarOp), "mod": ("Mod", _B, BinaryScalarOp),
    "pow": ("Pow", _B, BinaryScalarOp), "neg": ("Neg", _B, UnaryScalarOp),
    "abs_": ("Abs", _B, UnaryScalarOp), "sgn": ("Sgn", _B, UnaryScalarOp),
    "inv": ("Inv", _B, UnaryScalarOp), "sqr": ("Sqr", _B, UnaryScalarOp),
    "sqrt": ("Sqrt", _B, UnaryScalarOp), "maximum": ("Maximum", _B, BinaryScalarOp),
    "minimum": ("Minimum", _B, BinaryScalarOp), "second": ("Second", _B, BinaryScalarOp),
    "identity": ("Identity", _B, UnaryScalarOp), "exp": ("Exp", _B, UnaryScalarOp),
    "exp2": ("Exp2", _B, UnaryScalarOp), "expm1": ("Expm1", _B, UnaryScalarOp),
    "log": ("Log", _B, UnaryScalarOp), "log2": ("Log2", _B, UnaryScalarOp),
    "log10": ("Log10", _B, UnaryScalarOp), "log1p": ("Log1p", _B, UnaryScalarOp),
    "sigmoid": ("ScalarSigmoid", _N + ".sigm", UnaryScalarOp),
    "softplus": ("ScalarSoftplus", _N + ".sigm", UnaryScalarOp),
    "softsign": ("ScalarSoftsign", _N + ".nnet", UnaryScalarOp),
    "sin": ("Sin", _B, UnaryScalarOp), "cos": ("Cos", _B, UnaryScalarOp),
    "tan": ("Tan", _B, UnaryScalarOp), "arcsin": ("ArcSin", _B, UnaryScalarOp),
    "arccos": ("ArcCos", _B, UnaryScalarOp), "arctan": ("ArcTan", _B, UnaryScalarOp),
    "arctan2": ("ArcTan2", _B, BinaryScalarOp), "sinh": ("Sinh", _B, UnaryScalarOp),
    "cosh": ("Cosh", _B, UnaryScalarOp), "tanh": ("Tanh", _B, UnaryScalarOp),
    "arcsinh": ("ArcSinh", _B, UnaryScalarOp), "arccosh": ("ArcCosh", _B, UnaryScalarOp),
    "arctanh": ("ArcTanh", _B, UnaryScalarOp), "deg2rad": ("Deg2Rad", _B, UnaryScalarOp),
    "rad2deg": ("Rad2Deg", _B, UnaryScalarOp),
    "erf": ("Erf", _S, UnaryScalarOp), "erfc": ("Erfc", _S, UnaryScalarOp),
    "erfcx": ("Erfcx", _S, UnaryScalarOp), "erfinv": ("Erfinv", _S, UnaryScalarOp),
    "erfcinv": ("Erfcinv", _S, UnaryScalarOp), "gamma": ("Gamma", _S, UnaryScalarOp),
    "gammaln": ("GammaLn", _S, UnaryScalarOp), "psi": ("Psi", _S, UnaryScalarOp),
    "tri_gamma": ("TriGamma", _S, UnaryScalarOp), "j0": ("J0", _S, UnaryScalarOp),
    "j1": ("J1", _S, UnaryScalarOp), "jv": ("Jv", _S, BinaryScalarOp),
    "i0": ("I0", _S, UnaryScalarOp), "i1": ("I1", _S, UnaryScalarOp),
    "iv": ("Iv", _S, BinaryScalarOp), "gammainc": ("GammaInc", _S, BinaryScalarOp),
    "gammaincc": ("GammaIncC", _S, BinaryScalarOp), "gammau": ("GammaU", _S, BinaryScalarOp),
    "gammal": ("GammaL", _S, BinaryScalarOp), "chi2sf": ("Chi2SF", _S, BinaryScalarOp),
    "xlogx": ("XlogX", "theano.tensor.xlogx", UnaryScalarOp),
    "xlogy0": ("XlogY0", "theano.tensor.xlogx", BinaryScalarOp),
    "ceil": ("Ceil", _B, UnaryScalarOp), "floor": ("Floor", _B, UnaryScalarOp),
    "trunc": ("Trunc", _B, UnaryScalarOp),
    "round_half_to_even": ("RoundHalfToEven", _B, UnaryScalarOp),
    "round_half_away_from_zero": ("RoundHalfAwayFromZero", _B, UnaryScalarOp),
    "lt": ("LT", _B, LogicalComparison), "gt": ("GT", _B, LogicalComparison),
    "le": ("LE", _B, LogicalComparison), "ge": ("GE", _B, LogicalComparison),
    "eq": ("EQ", _B, LogicalComparison), "neq": ("NEQ", _B, LogicalComparison),
    "isnan": ("IsNan", _B, FixedLogicalComparison),
    "isinf": ("IsInf", _B, FixedLogicalComparison),
    "and_": ("AND", _B, BinaryBitOp), "or_": ("OR", _B, BinaryBitOp),
    "xor": ("XOR", _B, BinaryBitOp), "invert": ("Invert", _B, UnaryBitOp),
    "switch": ("Switch", _B, ScalarOp), "clip": ("Clip", _B, ScalarOp),
    "real": ("Real", _B, UnaryScalarOp), "imag": ("Imag", _B, UnaryScalarOp),
    "conj": ("Conj", _B, UnaryScalarOp), "angle": ("Angle", _B, UnaryScalarOp),
    "complex": ("Complex", _B, BinaryScalarOp),
    "complex_from_polar": ("ComplexFromPolar", _B, BinaryScalarOp),
}


for _name, _spec in THEANO_CLASSES.items():
    give_theano_class(ST.OPS_BY_NAME[_name], *_spec)

InRange.__module__ = "theano.scalar.basic"

ALL = {name: op for name, op in globals().items() if isinstance(op, ScalarOp)}
