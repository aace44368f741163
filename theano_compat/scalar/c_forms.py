"""CUDA C forms of scalar ops: the builders each declaration in scalar/ops.py names.

A C form is a function ``form(args, dtypes, rt) -> str or None``: `args` are C
expressions of the (dtype-fixed) input dtypes `dtypes`, `rt` is the dtype NumPy computes
the op in for those inputs (scalar.dtype_casts.natural_dtype), and the result is a C
expression of type `rt`, or None where the op has no C form for these dtypes.  The
kernel writer (link/fuse_cuda.py) adds the casts around it, names the temporaries and
assembles the kernel; this module only builds strings, so declarations can reference it.

C forms follow NumPy's semantics wherever they differ from plain C: floor division and
modulo round toward -inf (and give 0 for integer division by zero), maximum/minimum
propagate NaN, sign(NaN) is NaN, sigmoid/softplus clamp at +-30 like Theano's C code,
round_half_away_from_zero is floor(x + 0.5) / ceil(x - 0.5) as on the CPU path; clip is
Theano's ``x < lo ? lo : (x > hi ? hi : x)`` and integer pow follows scalar.ops._int_pow
(the CPU path's definitions, which are Theano's).  `PREAMBLE` holds the helper functions
the forms call.
"""

from __future__ import annotations

import numpy as np

# C type of each dtype, as CuPy names them in kernel parameters.
CTYPES = {
    "bool": "bool", "int8": "signed char", "int16": "short", "int32": "int",
    "int64": "long long", "uint8": "unsigned char", "uint16": "unsigned short",
    "uint32": "unsigned int", "uint64": "unsigned long long", "float32": "float",
    "float64": "double",
}
FLOATS = ("float32", "float64")
SIGNED = ("int8", "int16", "int32", "int64")
UNSIGNED = ("uint8", "uint16", "uint32", "uint64")

# C functions of CUDA's math library that the C library lacks (tests on machines without
# a GPU cannot compile these with gcc: the GPU parity suite checks them).
CUDA_ONLY_FUNCTIONS = ("erfcx", "erfinv", "erfcinv", "cyl_bessel_i0", "cyl_bessel_i1")

# Helpers the C forms call.  Written for NVRTC (CUDA C++); tests compile the same text
# with g++ (``__device__`` defined empty) to check it against NumPy.
PREAMBLE = r"""
__device__ __forceinline__ float theano_fmod(float a, float b) { return fmodf(a, b); }
__device__ __forceinline__ double theano_fmod(double a, double b) { return fmod(a, b); }
__device__ __forceinline__ float theano_floor(float a) { return floorf(a); }
__device__ __forceinline__ double theano_floor(double a) { return floor(a); }
__device__ __forceinline__ float theano_copysign(float a, float b) { return copysignf(a, b); }
__device__ __forceinline__ double theano_copysign(double a, double b) { return copysign(a, b); }
/* NumPy's npy_divmod: Python's floor division and modulo for floats. */
template <typename TT> __device__ __forceinline__ TT theano_divmod(TT a, TT b, TT *modulus) {
    TT mod = theano_fmod(a, b);
    if (!b) { *modulus = mod; return a / b; }
    TT div = (a - mod) / b;
    if (mod) {
        if ((b < 0) != (mod < 0)) { mod += b; div -= (TT)1; }
    } else {
        mod = theano_copysign((TT)0, b);
    }
    TT floordiv;
    if (div) {
        floordiv = theano_floor(div);
        if (div - floordiv > (TT)0.5) floordiv += (TT)1;
    } else {
        floordiv = theano_copysign((TT)0, a / b);
    }
    *modulus = mod;
    return floordiv;
}
template <typename TT> __device__ __forceinline__ TT theano_floordiv_float(TT a, TT b) {
    TT mod;
    if (!b) return a / b;
    return theano_divmod(a, b, &mod);
}
template <typename TT> __device__ __forceinline__ TT theano_mod_float(TT a, TT b) {
    TT mod;
    if (!b) return theano_fmod(a, b);
    theano_divmod(a, b, &mod);
    return mod;
}
/* Integer power as the CPU path computes it: NumPy's wrapping power for b >= 0; for
   b < 0, (TT) pow((double) a, (double) b) as Theano's C code on x86 gave: 1, +-1, 0, and
   for a == 0 the conversion of inf (INT_MIN of int32/int64 cut to TT's width). */
template <typename TT> __device__ __forceinline__ TT theano_pow_int(TT a, TT b) {
    if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b & 1) ? -1 : 1;
        if (a != 0) return 0;
        return (TT)(sizeof(TT) == 8 ? (-9223372036854775807LL - 1) : (-2147483647LL - 1));
    }
    unsigned long long r = 1, base = (unsigned long long)(long long)a;
    while (b) {
        if (b & 1) r *= base;
        base *= base;
        b /= 2;
    }
    return (TT)r;
}
/* Integer floor division and modulo (Python's signs); NumPy gives 0 for a zero divisor. */
template <typename TT> __device__ __forceinline__ TT theano_floordiv_int(TT a, TT b) {
    if (b == 0) return 0;
    TT q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
    return q;
}
template <typename TT> __device__ __forceinline__ TT theano_mod_int(TT a, TT b) {
    if (b == 0) return 0;
    TT r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
"""

_PI = "3.14159265358979323846"


class NoCForm:
    """The C form of an op that has none, with the reason: a kernel containing it is not
    written, and the group runs its ``xp`` implementation (CuPy's own functions)."""

    def __init__(self, reason):
        self.reason = reason

    def __call__(self, args, dtypes, rt):
        return None

    def __repr__(self):
        return f"NoCForm({self.reason!r})"


# ----------------------------------------------------------------------------- C text


def ctype(dtype):
    """The C type of a dtype in kernel code (KeyError for dtypes kernels do not handle)."""
    return CTYPES[str(dtype)]


def cast(expr, dtype):
    """`expr` converted to the C type of `dtype`."""
    return f"(({ctype(dtype)})({expr}))"


def convert(expr, from_dtype, to_dtype):
    """`expr` (of `from_dtype`) converted to `to_dtype` (unchanged when they agree)."""
    return expr if from_dtype == to_dtype else cast(expr, to_dtype)


def math_fn(name, ct):
    """The C math function `name` for computation type `ct` (expf for float32...)."""
    return name + "f" if ct == "float32" else name


# ----------------------------------------------------------------------------- builders


def binary(symbol, bool_symbol=None):
    """``(x symbol y)`` in the computation type; on bools `bool_symbol` (or no form)."""
    def form(a, d, rt):
        x, y = convert(a[0], d[0], rt), convert(a[1], d[1], rt)
        if rt == "bool":
            if bool_symbol is None:
                return None
            return f"({x} {bool_symbol} {y})"
        return f"({x} {symbol} {y})"
    return form


def float_only(build):
    """The form of a one-input op with a C form for float computation types only:
    ``build(x, rt)`` on the input `x` converted to `rt`; None for other types."""
    def form(a, d, rt):
        if rt not in FLOATS:
            return None
        return build(convert(a[0], d[0], rt), rt)
    return form


def float_unary(name):
    """The C library function `name` (``namef`` on float32)."""
    return float_only(lambda x, rt: f"{math_fn(name, rt)}({x})")


def rounding(name):
    """A rounding function; NumPy rounds integers and bools to themselves."""
    def form(a, d, rt):
        if rt in FLOATS:
            return f"{math_fn(name, rt)}({convert(a[0], d[0], rt)})"
        return convert(a[0], d[0], rt) if rt in CTYPES else None
    return form


def float_binary(name):
    """The two-argument C library function `name`, floats only."""
    def form(a, d, rt):
        if rt not in FLOATS:
            return None
        return f"{math_fn(name, rt)}({convert(a[0], d[0], rt)}, {convert(a[1], d[1], rt)})"
    return form


def compare(symbol):
    """A comparison, made in the inputs' common dtype as NumPy does."""
    def form(a, d, rt):
        ct = str(np.result_type(*d))
        if ct not in CTYPES:
            return None
        return f"({convert(a[0], d[0], ct)} {symbol} {convert(a[1], d[1], ct)})"
    return form


def int_div(a, d, rt):
    """Python's floor division (NumPy's floor_divide)."""
    x, y = convert(a[0], d[0], rt), convert(a[1], d[1], rt)
    if rt in FLOATS:
        return f"theano_floordiv_float({x}, {y})"
    if rt in SIGNED + UNSIGNED:
        return f"theano_floordiv_int<{ctype(rt)}>({x}, {y})"
    return None


def mod(a, d, rt):
    """Python's modulo (NumPy's remainder)."""
    x, y = convert(a[0], d[0], rt), convert(a[1], d[1], rt)
    if rt in FLOATS:
        return f"theano_mod_float({x}, {y})"
    if rt in SIGNED + UNSIGNED:
        return f"theano_mod_int<{ctype(rt)}>({x}, {y})"
    return None


def power(a, d, rt):
    """C's pow for floats (+inf at (-inf) ** 0.5, as the CPU path); integers as
    scalar.ops._int_pow: exact wrapping powers, truncated fractions for y < 0."""
    if rt in SIGNED + UNSIGNED:
        return (f"theano_pow_int<{ctype(rt)}>({convert(a[0], d[0], rt)}, "
                f"{convert(a[1], d[1], rt)})")
    return float_binary("pow")(a, d, rt)


def _extremum(cmp):
    # NumPy's maximum/minimum: NaN wins, ties give the second operand (-0.0 vs 0.0).
    def form(a, d, rt):
        x, y = convert(a[0], d[0], rt), convert(a[1], d[1], rt)
        if rt in FLOATS:
            return f"((({x} {cmp} {y}) || ({x} != {x})) ? {x} : {y})"
        return f"(({x} {cmp} {y}) ? {x} : {y})"
    return form


maximum, minimum = _extremum(">"), _extremum("<")


def absolute(a, d, rt):
    x = convert(a[0], d[0], rt)
    if rt in FLOATS:
        return f"{math_fn('fabs', rt)}({x})"
    if rt in SIGNED:
        return f"(({x} < 0) ? -{x} : {x})"
    return x  # unsigned, bool


def sign(a, d, rt):
    """NumPy's sign: NaN stays NaN, -0.0 gives 0."""
    x = convert(a[0], d[0], rt)
    if rt in FLOATS:
        one = cast(1, rt)
        return (f"(({x} > 0) ? {one} : (({x} < 0) ? {cast(-1, rt)} : "
                f"(({x} == 0) ? {cast(0, rt)} : {x})))")
    if rt in SIGNED:
        return f"(({x} > 0) - ({x} < 0))"
    if rt in UNSIGNED:
        return f"({x} > 0)"
    return None


def neg(a, d, rt):
    return f"(-{convert(a[0], d[0], rt)})"


@float_only
def inv(x, rt):
    return f"({cast(1, rt)} / {x})"


def sqr(a, d, rt):
    x = convert(a[0], d[0], rt)
    return f"({x} && {x})" if rt == "bool" else f"({x} * {x})"


def second(a, d, rt):
    return convert(a[1], d[1], rt)


def identity(a, d, rt):
    return convert(a[0], d[0], rt)


@float_only
def log1mexp(x, rt):
    return (f"(({x} < {cast(-0.6931471805599453, rt)}) ? "
            f"{math_fn('log1p', rt)}(-{math_fn('exp', rt)}({x})) : "
            f"{math_fn('log', rt)}(-{math_fn('expm1', rt)}({x})))")


@float_only
def sigmoid(x, rt):
    # Theano's clamps: exactly 0 below -30 and 1 above 30; NaN stays NaN.
    one = cast(1, rt)
    return (f"(({x} < {cast(-30, rt)}) ? {cast(0, rt)} : (({x} > {cast(30, rt)}) ? {one} : "
            f"({one} / ({one} + {math_fn('exp', rt)}(-{x})))))")


@float_only
def softplus(x, rt):
    return (f"(({x} < {cast(-30, rt)}) ? {cast(0, rt)} : (({x} > {cast(30, rt)}) ? {x} : "
            f"{math_fn('log1p', rt)}({math_fn('exp', rt)}({x}))))")


@float_only
def round_half_away(x, rt):
    half = cast(0.5, rt)
    return (f"(({x} >= {cast(0, rt)}) ? {math_fn('floor', rt)}({x} + {half}) : "
            f"{math_fn('ceil', rt)}({x} - {half}))")


@float_only
def gammaln(x, rt):
    # SciPy's gammaln(-inf) is -inf (the C library's lgamma gives +inf).
    return f"((isinf({x}) && {x} < 0) ? {x} : {math_fn('lgamma', rt)}({x}))"


def bessel(name):
    """A Bessel function of the C library; SciPy's j0/j1 are NaN at +-inf (C gives 0)."""
    return float_only(lambda x, rt: f"(isinf({x}) ? ({x} - {x}) : {math_fn(name, rt)}({x}))")


def scale(num, den):
    """x * (num / den); the factor is rounded in the computation type, as NumPy's float32
    loops do."""
    return float_only(lambda x, rt: f"({x} * ({cast(num, rt)} / {cast(den, rt)}))")


DEG2RAD, RAD2DEG = scale(_PI, 180), scale(180, _PI)


def float_test(name):
    """isnan/isinf: the C function on floats, false for every other dtype."""
    def form(a, d, rt):
        if d[0] in FLOATS:
            return f"{name}({a[0]})"
        return "false"
    return form


def bitwise(symbol):
    """A bitwise operator, on integers and bools only."""
    def form(a, d, rt):
        if rt not in ("bool",) + SIGNED + UNSIGNED:
            return None
        return f"({convert(a[0], d[0], rt)} {symbol} {convert(a[1], d[1], rt)})"
    return form


def invert(a, d, rt):
    x = convert(a[0], d[0], rt)
    if rt == "bool":
        return f"(!{x})"
    if rt in SIGNED + UNSIGNED:
        return f"(~{x})"
    return None


def switch(a, d, rt):
    return f"({a[0]} ? {convert(a[1], d[1], rt)} : {convert(a[2], d[2], rt)})"


def clip(a, d, rt):
    # Theano's own definition (scalar.ops._clip): lo where x < lo, else hi where x > hi.
    x, lo, hi = (convert(v, dt, rt) for v, dt in zip(a, d))
    return f"(({x} < {lo}) ? {lo} : (({x} > {hi}) ? {hi} : {x}))"


def cast_form(a, d, rt):
    """A Cast: the kernel writer computes it in the target dtype, and the declaration of
    the temporary converts (C conversion = NumPy's astype on the values kernels see)."""
    return a[0]


def in_range(openlow, openhi):
    """InRange: both comparisons made in the inputs' common dtype, as NumPy does."""
    lo_op, hi_op = (">" if openlow else ">="), ("<" if openhi else "<=")

    def form(a, d, rt):
        ct = str(np.result_type(*d))
        if ct not in CTYPES:
            return None
        x, lo, hi = (convert(v, dt, ct) for v, dt in zip(a, d))
        return f"(({x} {lo_op} {lo}) && ({x} {hi_op} {hi}))"
    return form
