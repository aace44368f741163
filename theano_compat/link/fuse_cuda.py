"""Elementwise nodes on a CUDA backend: one ``cupy.ElementwiseKernel`` per node (DESIGN §8.2).

A fused group (``Elemwise(Composite)``) or a single Elemwise becomes CUDA C source:

* ``in_params``  ``"float32 i0, float64 i1"`` (the node's input dtypes), ``out_params``
  ``"float64 o0"``;
* ``operation``  one statement per scalar node in the Composite's order, e.g.
  ``double t0 = exp((double)(i0)); double t1 = (t0 * i1); o0 = t1;``, each rendered from
  the table `C_FORMS` below with the casts Theano's dtype rules imply (scalar/fixup.py:
  the same fix-ups the NumPy path applies, so both compute in the same precision);
* ``name``       ``theano_fused_<ops>_<8 hex of the source>`` (stable across processes,
  so CuPy's on-disk kernel cache is reused; readable in profilers);
* ``preamble``   helper functions for Python's floor division and modulo.

The source is memoised per Composite (its key includes the dtypes); the kernel object
comes from ``backend.elementwise_kernel`` (memoised by source), so CuPy stays imported in
backend/ only and compiles each kernel once.  A group containing a scalar op without a C
form (special functions CUDA lacks: psi, polygamma, jv, iv; complex numbers; float16)
runs its ``xp`` implementation instead: the same ufunc sequence as on the CPU, on CuPy.

C forms follow NumPy's semantics wherever they differ from plain C: floor division and
modulo round toward -inf (and give 0 for integer division by zero), maximum/minimum
propagate NaN, sign(NaN) is NaN, sigmoid/softplus clamp at +-30 like Theano's C code,
round_half_away_from_zero is floor(x + 0.5) / ceil(x - 0.5) as on the CPU path; clip is
Theano's ``x < lo ? lo : (x > hi ? hi : x)`` and integer pow follows scalar.ops._int_pow
(the CPU path's definitions, which are Theano's).
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np

from ..scalar.composite import Composite
from ..scalar.fixup import dtype_fixup, natural_dtype
from ..scalar.ops import Cast
from ..tensor.elemwise import with_size_checks

__all__ = [
    "CUDA_ONLY_FUNCTIONS",
    "C_FORMS",
    "PREAMBLE",
    "KernelSource",
    "ctype",
    "elemwise_runner",
    "has_c_form",
    "kernel_source",
    "node_kernel_source",
]

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


def ctype(dtype):
    """The C type of a dtype in kernel code (KeyError for dtypes kernels do not handle)."""
    return CTYPES[str(dtype)]


def _cast(expr, dtype):
    return f"(({ctype(dtype)})({expr}))"


def _as(expr, from_dtype, to_dtype):
    """`expr` (of `from_dtype`) converted to `to_dtype` (unchanged when they agree)."""
    return expr if from_dtype == to_dtype else _cast(expr, to_dtype)


def _fn(name, ct):
    """The C math function `name` for computation type `ct` (expf for float32...)."""
    return name + "f" if ct == "float32" else name


# ----------------------------------------------------------------------------- the table
# Each entry: form(args, dtypes, rt) -> C expression (or None: no C form for these
# dtypes).  `args` are C expressions of the (fixed-up) input dtypes `dtypes`; `rt` is the
# dtype NumPy computes the op in for those inputs (scalar.fixup.natural_dtype).


def _binary(symbol, bool_symbol=None):
    def form(a, d, rt):
        x, y = _as(a[0], d[0], rt), _as(a[1], d[1], rt)
        if rt == "bool":
            if bool_symbol is None:
                return None
            return f"({x} {bool_symbol} {y})"
        return f"({x} {symbol} {y})"
    return form


def _float_only(build):
    """The form of a one-input op with a C form for float computation types only:
    ``build(x, rt)`` on the input `x` converted to `rt`; None for other types."""
    def form(a, d, rt):
        if rt not in FLOATS:
            return None
        return build(_as(a[0], d[0], rt), rt)
    return form


def _float_unary(name):
    return _float_only(lambda x, rt: f"{_fn(name, rt)}({x})")


def _rounding(name):
    # NumPy rounds integers and bools to themselves (in their own dtype).
    def form(a, d, rt):
        if rt in FLOATS:
            return f"{_fn(name, rt)}({_as(a[0], d[0], rt)})"
        return _as(a[0], d[0], rt) if rt in CTYPES else None
    return form


def _float_binary(name):
    def form(a, d, rt):
        if rt not in FLOATS:
            return None
        return f"{_fn(name, rt)}({_as(a[0], d[0], rt)}, {_as(a[1], d[1], rt)})"
    return form


def _compare(symbol):
    def form(a, d, rt):
        ct = str(np.result_type(*d))  # NumPy compares in the common dtype
        if ct not in CTYPES:
            return None
        return f"({_as(a[0], d[0], ct)} {symbol} {_as(a[1], d[1], ct)})"
    return form


def _int_div(a, d, rt):
    x, y = _as(a[0], d[0], rt), _as(a[1], d[1], rt)
    if rt in FLOATS:
        return f"theano_floordiv_float({x}, {y})"
    if rt in SIGNED + UNSIGNED:
        return f"theano_floordiv_int<{ctype(rt)}>({x}, {y})"
    return None


def _mod(a, d, rt):
    x, y = _as(a[0], d[0], rt), _as(a[1], d[1], rt)
    if rt in FLOATS:
        return f"theano_mod_float({x}, {y})"
    if rt in SIGNED + UNSIGNED:
        return f"theano_mod_int<{ctype(rt)}>({x}, {y})"
    return None


def _pow(a, d, rt):
    # C's pow for floats (+inf at (-inf) ** 0.5, as the CPU path); integers as
    # scalar.ops._int_pow: exact wrapping powers, truncated fractions for y < 0.
    if rt in SIGNED + UNSIGNED:
        return f"theano_pow_int<{ctype(rt)}>({_as(a[0], d[0], rt)}, {_as(a[1], d[1], rt)})"
    return _float_binary("pow")(a, d, rt)


def _extremum(cmp):
    # NumPy's maximum/minimum: NaN wins, ties give the second operand (-0.0 vs 0.0).
    def form(a, d, rt):
        x, y = _as(a[0], d[0], rt), _as(a[1], d[1], rt)
        if rt in FLOATS:
            return f"((({x} {cmp} {y}) || ({x} != {x})) ? {x} : {y})"
        return f"(({x} {cmp} {y}) ? {x} : {y})"
    return form


_maximum, _minimum = _extremum(">"), _extremum("<")


def _abs(a, d, rt):
    x = _as(a[0], d[0], rt)
    if rt in FLOATS:
        return f"{_fn('fabs', rt)}({x})"
    if rt in SIGNED:
        return f"(({x} < 0) ? -{x} : {x})"
    return x  # unsigned, bool


def _sgn(a, d, rt):
    x = _as(a[0], d[0], rt)
    if rt in FLOATS:
        one = _cast(1, rt)
        return (f"(({x} > 0) ? {one} : (({x} < 0) ? {_cast(-1, rt)} : "
                f"(({x} == 0) ? {_cast(0, rt)} : {x})))")
    if rt in SIGNED:
        return f"(({x} > 0) - ({x} < 0))"
    if rt in UNSIGNED:
        return f"({x} > 0)"
    return None


def _neg(a, d, rt):
    return f"(-{_as(a[0], d[0], rt)})"


@_float_only
def _inv(x, rt):
    return f"({_cast(1, rt)} / {x})"


def _sqr(a, d, rt):
    x = _as(a[0], d[0], rt)
    return f"({x} && {x})" if rt == "bool" else f"({x} * {x})"


def _second(a, d, rt):
    return _as(a[1], d[1], rt)


def _identity(a, d, rt):
    return _as(a[0], d[0], rt)


@_float_only
def _log1mexp(x, rt):
    return (f"(({x} < {_cast(-0.6931471805599453, rt)}) ? "
            f"{_fn('log1p', rt)}(-{_fn('exp', rt)}({x})) : {_fn('log', rt)}(-{_fn('expm1', rt)}({x})))")


@_float_only
def _sigmoid(x, rt):
    # Theano's clamps: exactly 0 below -30 and 1 above 30; NaN stays NaN.
    one = _cast(1, rt)
    return (f"(({x} < {_cast(-30, rt)}) ? {_cast(0, rt)} : (({x} > {_cast(30, rt)}) ? {one} : "
            f"({one} / ({one} + {_fn('exp', rt)}(-{x})))))")


@_float_only
def _softplus(x, rt):
    return (f"(({x} < {_cast(-30, rt)}) ? {_cast(0, rt)} : (({x} > {_cast(30, rt)}) ? {x} : "
            f"{_fn('log1p', rt)}({_fn('exp', rt)}({x}))))")


@_float_only
def _round_half_away(x, rt):
    half = _cast(0.5, rt)
    return (f"(({x} >= {_cast(0, rt)}) ? {_fn('floor', rt)}({x} + {half}) : "
            f"{_fn('ceil', rt)}({x} - {half}))")


@_float_only
def _gammaln(x, rt):
    # SciPy's gammaln(-inf) is -inf (the C library's lgamma gives +inf).
    return f"((isinf({x}) && {x} < 0) ? {x} : {_fn('lgamma', rt)}({x}))"


def _bessel(name):
    # SciPy's j0/j1 are NaN at +-inf (the C library gives 0).
    return _float_only(lambda x, rt: f"(isinf({x}) ? ({x} - {x}) : {_fn(name, rt)}({x}))")


def _scale(num, den):
    # The factor is rounded in the computation type, as NumPy's float32 loops do.
    return _float_only(lambda x, rt: f"({x} * ({_cast(num, rt)} / {_cast(den, rt)}))")


def _isnan_like(name):
    def form(a, d, rt):
        if d[0] in FLOATS:
            return f"{name}({a[0]})"
        return "false"
    return form


def _bitwise(symbol):
    def form(a, d, rt):
        if rt not in ("bool",) + SIGNED + UNSIGNED:
            return None
        return f"({_as(a[0], d[0], rt)} {symbol} {_as(a[1], d[1], rt)})"
    return form


def _invert(a, d, rt):
    x = _as(a[0], d[0], rt)
    if rt == "bool":
        return f"(!{x})"
    if rt in SIGNED + UNSIGNED:
        return f"(~{x})"
    return None


def _switch(a, d, rt):
    return f"({a[0]} ? {_as(a[1], d[1], rt)} : {_as(a[2], d[2], rt)})"


def _clip(a, d, rt):
    # Theano's own definition (scalar.ops._clip): lo where x < lo, else hi where x > hi.
    x, lo, hi = (_as(v, dt, rt) for v, dt in zip(a, d))
    return f"(({x} < {lo}) ? {lo} : (({x} > {hi}) ? {hi} : {x}))"


C_FORMS = {
    "add": _binary("+", "||"), "sub": _binary("-"), "mul": _binary("*", "&&"),
    "true_div": _binary("/"), "int_div": _int_div, "mod": _mod, "pow": _pow,
    "neg": _neg, "abs_": _abs, "sgn": _sgn, "inv": _inv, "sqr": _sqr,
    "sqrt": _float_unary("sqrt"), "maximum": _maximum, "minimum": _minimum,
    "second": _second, "identity": _identity,
    "exp": _float_unary("exp"), "exp2": _float_unary("exp2"), "expm1": _float_unary("expm1"),
    "log": _float_unary("log"), "log2": _float_unary("log2"), "log10": _float_unary("log10"),
    "log1p": _float_unary("log1p"), "log1mexp": _log1mexp, "sigmoid": _sigmoid,
    "softplus": _softplus,
    "sin": _float_unary("sin"), "cos": _float_unary("cos"), "tan": _float_unary("tan"),
    "arcsin": _float_unary("asin"), "arccos": _float_unary("acos"),
    "arctan": _float_unary("atan"), "arctan2": _float_binary("atan2"),
    "sinh": _float_unary("sinh"), "cosh": _float_unary("cosh"), "tanh": _float_unary("tanh"),
    "arcsinh": _float_unary("asinh"), "arccosh": _float_unary("acosh"),
    "arctanh": _float_unary("atanh"),
    "deg2rad": _scale(_PI, 180), "rad2deg": _scale(180, _PI),
    "erf": _float_unary("erf"), "erfc": _float_unary("erfc"), "erfcx": _float_unary("erfcx"),
    "erfinv": _float_unary("erfinv"), "erfcinv": _float_unary("erfcinv"),
    "gamma": _float_unary("tgamma"), "gammaln": _gammaln,
    "j0": _bessel("j0"), "j1": _bessel("j1"),
    "i0": _float_unary("cyl_bessel_i0"), "i1": _float_unary("cyl_bessel_i1"),
    "ceil": _rounding("ceil"), "floor": _rounding("floor"),
    "trunc": _rounding("trunc"), "round_half_to_even": _rounding("rint"),
    "round_half_away_from_zero": _round_half_away,
    "lt": _compare("<"), "gt": _compare(">"), "le": _compare("<="), "ge": _compare(">="),
    "eq": _compare("=="), "neq": _compare("!="),
    "isnan": _isnan_like("isnan"), "isinf": _isnan_like("isinf"),
    "and_": _bitwise("&"), "or_": _bitwise("|"), "xor": _bitwise("^"), "invert": _invert,
    "switch": _switch, "clip": _clip,
}

# Scalar ops of the table with no C form: they run through CuPy's own functions.
NO_C_FORM = {
    "psi": "CUDA's math library has no digamma (cupyx.scipy.special.psi runs instead)",
    "tri_gamma": "no polygamma in CUDA's math library",
    "jv": "CUDA has Bessel functions of integer order only",
    "iv": "CUDA has modified Bessel functions of order 0 and 1 only",
    "real": "complex numbers", "imag": "complex numbers", "conj": "complex numbers",
    "angle": "complex numbers",
}

# C functions of CUDA's math library that the C library lacks (tests on machines without
# a GPU cannot compile these with gcc: the GPU parity suite checks them).
CUDA_ONLY_FUNCTIONS = ("erfcx", "erfinv", "erfcinv", "cyl_bessel_i0", "cyl_bessel_i1")


def _cast_form(a, d, rt):
    return a[0]  # the declaration converts to the target dtype (C conversion = astype)


def _form_of(op):
    if isinstance(op, Cast):
        return _cast_form
    if type(op) is Composite:
        return None
    return C_FORMS.get(op.name)


def node_expression(op, args, in_dtypes, out_dtype):
    """The C expression computing scalar `op` on `args` (C expressions of `in_dtypes`)
    with the value of `out_dtype`, or None when there is no C form."""
    in_dtypes = [str(d) for d in in_dtypes]
    out_dtype = str(out_dtype)
    if any(d not in CTYPES for d in in_dtypes + [out_dtype]):
        return None  # float16, complex
    form = _form_of(op)
    if form is None:
        return None
    casts, _cast_out = dtype_fixup(op, in_dtypes, out_dtype)
    eff = [c or d for c, d in zip(casts, in_dtypes)]
    args = [_as(x, d, e) for x, d, e in zip(args, in_dtypes, eff)]
    rt = out_dtype if isinstance(op, Cast) else natural_dtype(op, eff)
    if rt is None or rt not in CTYPES:
        return None
    body = form(args, eff, rt)
    if body is None:
        return None
    return body if rt == out_dtype else _cast(body, out_dtype)


def has_c_form(op, in_dtypes, out_dtype):
    """Whether scalar `op` (or every node of a Composite) has a C form for these dtypes."""
    if type(op) is Composite:
        return _composite_source(op) is not None
    names = [f"i{k}" for k in range(len(in_dtypes))]
    return node_expression(op, names, in_dtypes, out_dtype) is not None


class KernelSource(NamedTuple):
    """The arguments of ``backend.elementwise_kernel`` for one elementwise node."""

    in_params: str
    out_params: str
    operation: str
    name: str
    preamble: str


_SOURCES = {}


def kernel_source(composite):
    """The KernelSource of a Composite (None when one of its ops has no C form)."""
    return _composite_source(composite)


def node_kernel_source(node):
    """The KernelSource of an Elemwise node (a Composite or a single scalar op), or None."""
    sop = node.op.scalar_op
    if type(sop) is not Composite:
        in_dtypes = [i.type.dtype for i in node.inputs]
        out_dtype = node.outputs[0].type.dtype
        try:
            sop = Composite(in_dtypes, [(sop, tuple(range(len(in_dtypes))), out_dtype)])
        except (TypeError, ValueError):
            return None
    return _composite_source(sop)


def _composite_source(composite):
    if composite in _SOURCES:
        return _SOURCES[composite]
    source = _SOURCES[composite] = _build(composite)
    return source


def _build(composite):
    nin = composite.nin

    def name(ref):
        return f"i{ref}" if ref < nin else f"t{ref - nin}"

    lines = []
    for j, (op, refs, out_dtype) in enumerate(composite.nodes):
        expr = node_expression(op, [name(r) for r in refs],
                               [composite.dtype_of(r) for r in refs], out_dtype)
        if expr is None:
            return None
        lines.append(f"{ctype(out_dtype)} t{j} = {expr};")
    if composite.out_dtype not in CTYPES:
        return None
    lines.append(f"o0 = {name(composite.output)};")
    in_params = ", ".join(f"{d} i{k}" for k, d in enumerate(composite.input_dtypes))
    out_params = f"{composite.out_dtype} o0"
    operation = "\n".join(lines)
    digest = hashlib.sha1(f"{in_params}|{out_params}|{operation}".encode()).hexdigest()[:8]
    ops = []
    for op, _, _ in composite.nodes:
        label = f"cast_{op.o_dtype}" if isinstance(op, Cast) else op.name.rstrip("_")
        if label not in ops:
            ops.append(label)
    tag = "_".join(ops)[:40].rstrip("_")
    return KernelSource(in_params, out_params, operation, f"theano_fused_{tag}_{digest}",
                        PREAMBLE)


# ----------------------------------------------------------------------------- running


def elemwise_runner(node, backend, host_positions=()):
    """The callable computing Elemwise `node` on `backend` (a CUDA backend): its kernel
    when every scalar op has a C form, else the node's ``xp`` implementation (CuPy ufuncs)
    with host values moved to the device and the declared output dtype kept.
    `host_positions`: inputs that may arrive as host values (Python floats, 0-d shared
    values kept on the host, results of host nodes); they are converted before the call."""
    source = node_kernel_source(node)
    if source is not None:
        return _kernel_runner(node, backend, source, tuple(host_positions))
    return _xp_runner(node, backend)


def _kernel_runner(node, backend, source, host_positions=()):
    kernel = backend.elementwise_kernel(*source)
    in_dtypes = [np.dtype(i.type.dtype) for i in node.inputs]
    prepare = _preparer(backend, in_dtypes)
    if len(host_positions) == len(in_dtypes):
        convert = prepare  # only host values: one becomes a device array (the loop size)
    elif host_positions:
        is_device = backend.is_device_array
        xp = backend.xp
        dtypes = {i: in_dtypes[i] for i in host_positions}

        def convert(args):
            args = list(args)
            for i in host_positions:
                a = args[i]
                if not is_device(a):
                    args[i] = (xp.asarray(a, dtype=dtypes[i]) if getattr(a, "ndim", 0)
                               else np.asarray(a, dtype=dtypes[i])[()])
            return args
    else:
        convert = None

    def run(*args):
        if convert is not None:
            args = convert(args)
        try:
            return kernel(*args)
        except (TypeError, ValueError):
            # Host values the plan did not foresee (or only host values: the loop needs
            # an array), or an operand of another dtype: convert, then run once more.
            return kernel(*prepare(args))

    run.kernel_source = source
    return _with_size_checks(run, node)


def _preparer(backend, in_dtypes):
    xp = backend.xp

    def prepare(args):
        out = []
        for a, dt in zip(args, in_dtypes):
            if backend.is_device_array(a):
                out.append(a if a.dtype == dt else a.astype(dt))
            elif getattr(a, "ndim", 0):
                out.append(xp.asarray(a, dtype=dt))
            else:
                out.append(np.asarray(a, dtype=dt)[()])  # a scalar of the parameter's type
        if not any(backend.is_device_array(a) for a in out):
            out[0] = xp.asarray(out[0], dtype=in_dtypes[0])  # gives the loop its size
        return out

    return prepare


def _xp_runner(node, backend):
    xp = backend.xp
    base = node.op.runner(node, xp)
    in_dtypes = [np.dtype(i.type.dtype) for i in node.inputs]
    out_dtype = np.dtype(node.outputs[0].type.dtype)

    def run(*args):
        args = [a if backend.is_device_array(a) else xp.asarray(a, dtype=dt)
                for a, dt in zip(args, in_dtypes)]
        out = base(*args)
        return out if out.dtype == out_dtype else out.astype(out_dtype)

    return run


def _with_size_checks(fn, node):
    """`fn` preceded by Theano's size rule for `node` (non-broadcastable dims agree)."""
    run = with_size_checks(fn, node.op, node, "cuda size check")
    if run is not fn:
        run.kernel_source = getattr(fn, "kernel_source", None)
    return run

