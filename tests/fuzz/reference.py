"""An independent NumPy evaluation of the fuzzer's expressions under Theano 1.0.5's rules.

The fuzzer (tests/fuzz/graphs.py) writes each random graph as Python source over ``T``
(``theano.tensor``), ``np`` and named inputs.  The test evaluates that same source twice:
with the real ``theano.tensor``, and with :func:`namespace` here, whose ``T`` builds
:class:`Ref` values instead of graph nodes.  A Ref carries

* ``v``: the value Theano 1.0.5 gives, in the dtype Theano gives (rules written here by
  hand from Theano's sources and checked against values recorded from Theano 1.0.5:
  tests/fuzz/theano105_semantics.json and tests/golden/dtypes_floatX_*.json);
* ``bc``: Theano's broadcastable pattern;
* ``err``: per element, how far a correct evaluation of the *same* graph may be from ``v``
  (rounding of each op, propagated through the graph by interval corners; ``inf`` where
  the value is ill-conditioned or undefined, e.g. a float cast to int of NaN);
* ``rerr``: the same bound for the rewriting modes (FAST_RUN, FAST_COMPILE), at least
  ``err``; ``inf`` where one of Theano's rewrites in :data:`WHITELIST` legitimately gives
  another value (``x / x`` -> 1 with x = 0, ``x * 0`` -> 0 with x = inf ...).

No code of the project is imported: only NumPy.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

# Every place where a result other than the literal NumPy evaluation is accepted: name ->
# (reason, cases of theano105_semantics.json where Theano 1.0.5 itself gives the other
# value; tests/fuzz/test_reference.py checks each).  Reasons starting with "literal:" also
# apply with optimizer=None; the others only to the rewriting modes.
WHITELIST = {
    "cancel_sum": (
        ("The add canonicaliser cancels a term added and subtracted: x - x -> 0, "
         "(a + x) - x -> a, even where x is inf or NaN (literal: NaN)."),
        ["w_x_sub_x", "w_xpy_sub_y", "w_neg_x_plus_x"]),
    "cancel_product": (
        ("The mul canonicaliser cancels a factor of numerator and denominator: x / x -> 1, "
         "(a * x) / x -> a, x * (1 / x) -> 1, even where x is 0, inf or NaN."),
        ["w_x_div_x", "w_xy_div_y", "w_x_div_xy", "w_x_mul_inv_x"]),
    "distribute": (
        "local_greedy_distributor: (a / x + b) * x -> a + b * x, even where x is 0 or inf.",
        ["w_distribute"]),
    "mul_zero": (
        ("local_mul_zero: x * 0 -> 0 even where x is inf or NaN."),
        ["w_x_mul_0", "w_0_mul_x"]),
    "zero_div": (
        ("local_zero_div: 0 / x -> 0 and 0 // x -> 0 even where x is 0 or NaN."),
        ["w_0_div_x", "w_0_intdiv_x"]),
    "switch_sink": (
        ("local_mul_switch_sink / local_div_switch_sink: switch(c, 0, a) * b -> "
         "switch(c, 0, a * b): 0 where the literal form gives 0 * inf = NaN."),
        ["w_switch_sink_mul", "w_switch_sink_div"]),
    "self_compare": (
        ("local_useless_elemwise(_comparison): eq(x, x) -> 1, neq(x, x) -> 0, "
         "le/ge(x, x) -> 1, even where x is NaN."),
        ["w_eq_xx", "w_neq_xx", "w_le_xx", "w_ge_xx"]),
    "pow_specialize": (
        ("local_pow_specialize: x ** 0.5 -> sqrt(x), x ** -0.5 -> 1 / sqrt(x), x ** -1 -> "
         "1 / x, ...: NaN at x = -inf where pow gives inf or 0."),
        ["w_pow05", "w_pow_m05"]),
    "stabilize_sigmoid": (
        ("The sigmoid/softplus stabilisations: log(sigmoid(x)) -> -softplus(-x), "
         "log(1 - sigmoid(x)) -> -softplus(x), exp(x) / (1 + exp(x)) -> sigmoid(x), "
         "1 / (1 + exp(x)) -> sigmoid(-x), log(1 + exp(x)) -> softplus(x): finite where the "
         "literal form overflows or underflows; -x of an integer x wraps (int8 -128)."),
        ["w_log_sigmoid", "w_log1p_exp", "w_exp_over_1pexp", "w_inv_1pexp",
         "w_stabilize_int_neg"]),
    "logsumexp": (
        ("local_log_sum_exp: log(sum(exp(x))) -> max(x) + log(sum(exp(x - max(x)))): finite "
         "where exp overflows, NaN where x holds an infinity."),
        ["w_logsumexp"]),
    "log1p": (
        ("local_log1p: log(1 + x) -> log1p(x); for an integer x the literal 1 + x wraps "
         "around (int32 max + 1 < 0, log: NaN) where log1p(x) does not."),
        ["w_log1p_int", "w_log1p_i8"]),
    "reassociation": (
        ("The canonicalisers reorder products and sums (constants folded together, "
         "(a * c) / c -> a): a partial result may overflow, underflow or round differently "
         "where the magnitudes are extreme."),
        ["w_mul_consts"]),
    "sum_of_scaled": (
        ("local_sum_prod_mul_by_scalar / local_sum_prod_div_dimshuffle: sum(x * s) -> "
         "s * sum(x), sum(x / s) -> sum(x) / s, different where s is 0, inf or NaN."),
        ["w_sum_scalar_mul", "w_sum_div_scalar"]),
    "zero_sign": (
        ("x + 0 -> x, 0 - x -> -x and the canonical forms change the sign of a zero, so a "
         "later division by it gives the other infinity."),
        ["w_add_zero_sign", "w_sub_zero_sign"]),
    "int_div_zero": (
        ("literal: integer // and % by zero raise ZeroDivisionError in Theano's C code; the "
         "rewriting modes may return a value (FAST_COMPILE runs the Python implementation, "
         "which gives 0; 0 // x -> 0 and x * 0 -> 0 remove the division)."),
        ["intdiv_zero", "mod_zero", "intdiv_zero_times0"]),
    "float_to_int_ub": (
        ("literal: casting NaN, inf or an out-of-range float to an integer type is undefined "
         "behaviour in Theano's C code."),
        ["cast_f64_i8", "cast_f64_i32"]),
    "int_pow_ub": (
        ("literal: integer ** integer is C pow() on doubles cast back to the integer type: "
         "undefined when the result is out of range."),
        ["pow_i8", "pow_i32_ovf"]),
    "theano_c_vs_py": (
        ("literal: Theano's C kernels and its Python implementations (run by FAST_COMPILE's "
         "py linker and by constant folding) differ: float // and % (C: floor(x / y) by sign "
         "cases, Python: NumPy's floor_divide/remainder) when x / y rounds to an integer, and "
         "sigmoid/softplus clamp at different points (C float64: -709/19 and -745/16, "
         "float32: -88/15 and -103/14; Python: -30/30); C compares or takes the max of an "
         "int32 and a float32 in float32.  The C value, the Python value and the exact value "
         "are accepted (a zero from % takes NumPy's sign)."),
        ["floordiv64", "floordiv32", "w_log_sigmoid"]),
}

_FMAX = {"float16": 65504.0, "float32": float(np.finfo(np.float32).max),
         "float64": float(np.finfo(np.float64).max)}
_UNIT = {"float16": 2.0 ** -11, "float32": 2.0 ** -24, "float64": 2.0 ** -53}
_TINY = {"float16": 2.0 ** -14, "float32": float(np.finfo(np.float32).tiny),
         "float64": float(np.finfo(np.float64).tiny)}
FLOAT_DTYPES = ("float16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
DISCRETE_DTYPES = ("bool",) + INT_DTYPES

# Rounding allowances, in units of the computing dtype's roundoff.
K_ARITH = 2.0     # + - * / (one correctly rounded op, with margin)
K_TRANS = 16.0    # exp, log, tanh, ... (libm vs NumPy's SIMD code: a few ulps)


class FuzzTypeError(TypeError):
    """Theano refuses this graph at build time (e.g. bool - bool); the generator avoids it."""


# ---------------------------------------------------------------------------------------
# dtype rules (Theano 1.0.5 with cast_policy='custom')


def is_float(dt):
    return dt in FLOAT_DTYPES


def is_discrete(dt):
    return dt in DISCRETE_DTYPES


def upcast(*dtypes):
    """NumPy's promotion of the dtypes (Theano's scalar upcast; no value-based casting)."""
    return str(np.result_type(*[np.dtype(d) for d in dtypes]))


def upgrade_to_float(dt):
    """Result dtype of exp/log/sqrt/tanh/sigmoid/softplus for an input dtype."""
    return {"bool": "float32", "int8": "float32", "uint8": "float32", "int16": "float32",
            "uint16": "float32", "int32": "float64", "uint32": "float64", "int64": "float64",
            "uint64": "float64"}.get(dt, dt)


def literal_dtype(value, floatX):
    """Dtype Theano gives a Python or NumPy scalar used as an operand."""
    if isinstance(value, np.generic):
        return str(value.dtype)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        for dt in ("int8", "int16", "int32", "int64"):
            if np.iinfo(dt).min <= value <= np.iinfo(dt).max:
                return dt
        return "uint64"
    if isinstance(value, float):
        if floatX == "float32":
            return "float32"
        # The first of float32, float64 that holds the value exactly (NaN never compares
        # equal, so NaN is float64).
        return "float32" if float(np.float32(value)) == value else "float64"
    raise FuzzTypeError(f"not a literal: {value!r}")


def sum_dtype(dt):
    """Output dtype of sum/prod."""
    if dt in ("bool", "int8", "int16", "int32"):
        return "int64"
    if dt in ("uint8", "uint16", "uint32"):
        return "uint64"
    return dt


def acc_dtype(dt):
    """Accumulator dtype of sum/prod (float32 accumulates in float64)."""
    return {"float16": "float32", "float32": "float64"}.get(dt, sum_dtype(dt))


def mean_dtype(dt):
    return "float64" if is_discrete(dt) else dt


def _compute_dtype(in_dtypes, out_dtype):
    """The float type C's usual conversions compute a binary op in: the widest float
    operand (ints convert to it), else the output type."""
    floats = [d for d in in_dtypes if is_float(d)]
    return upcast(*floats) if floats else out_dtype


# ---------------------------------------------------------------------------------------
# numeric helpers


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def _c_pow(x, y):
    """C's pow(x, y): NumPy 2 computes a power by a broadcast 0.5 as sqrt(x), which gives
    nan at -inf and -0.0 at -0.0 where C's pow (Theano's elemwise code) gives +inf, +0.0."""
    with np.errstate(all="ignore"):
        p = np.power(x, y)
    half = np.asarray(y) == 0.5
    if np.any(half):
        p = np.where(half & (np.asarray(x) == -np.inf), np.inf, p)
        p = np.where(half & (np.asarray(x) == 0), np.abs(p), p).astype(p.dtype)
    return p


def dist(r, ref):
    """|r - ref| elementwise, 0 where both are the same infinity or both NaN, inf where
    only one is NaN or an infinity differs."""
    r, ref = _f64(r), _f64(ref)
    with np.errstate(all="ignore"):
        d = np.abs(r - ref)
    d = np.where(np.isnan(d), np.inf, d)
    return np.where((r == ref) | (np.isnan(r) & np.isnan(ref)), 0.0, d)


def _prod_nonneg(a, b):
    """a * b for non-negative arrays with 0 * inf = 0."""
    with np.errstate(all="ignore"):
        r = a * b
    return np.where((a == 0) | (b == 0), 0.0, r)


def _corners(fn, vals, errs, ref, extra_zero=False):
    """Largest dist(fn(p), ref) over the corners p of the box vals +- errs (finite errs;
    fn is evaluated in float64).  With extra_zero, points where an argument is 0 (when
    its box contains 0) are tried too, for functions not monotone across 0."""
    live = [i for i, e in enumerate(errs) if np.any(e > 0)]
    worst = np.zeros(np.shape(ref))
    if not live:
        return worst
    choices = (-1.0, 1.0, 0.0) if extra_zero else (-1.0, 1.0)
    for signs in itertools.product(choices, repeat=len(live)):
        pts = list(vals)
        for i, s in zip(live, signs):
            if s == 0.0:
                lo, hi = vals[i] - errs[i], vals[i] + errs[i]
                pts[i] = np.where((lo <= 0) & (hi >= 0), 0.0, vals[i])
            else:
                pts[i] = vals[i] + s * errs[i]
        with np.errstate(all="ignore"):
            r = fn(*pts)
        worst = np.maximum(worst, dist(r, ref))
    return worst


def _rounding(v, compute_dtype, out_dtype, k):
    """k units of roundoff of the computing dtype (and of the output dtype) of |v|; for
    transcendental functions (k >= K_TRANS) also k tiny normals, as implementations differ
    near underflow (correctly rounded + - * / do not); 0 for discrete outputs."""
    if not is_float(out_dtype):
        return np.zeros(np.shape(v))
    u = max(_UNIT.get(compute_dtype, 0.0), _UNIT[out_dtype])
    av = np.abs(_f64(v))
    tiny = k * _TINY[out_dtype] if k >= K_TRANS else 0.0
    return np.where(np.isfinite(av), k * u * av + tiny, 0.0)


def _as_index_key(idx):
    if isinstance(idx, tuple):
        return tuple(_as_index_key(i) for i in idx)
    if isinstance(idx, slice):
        return ("slice", idx.start, idx.stop, idx.step)
    if isinstance(idx, list):
        return ("list",) + tuple(idx)
    return idx


# ---------------------------------------------------------------------------------------
# values


class Ref:
    """A value of the reference evaluation (see the module docstring)."""

    __array_ufunc__ = None  # NumPy scalars on the left defer to our reflected operators

    def __init__(self, ev, v, bc, err, rerr, zs, key, op, args=(), params=None, const=None):
        self.ev = ev
        self.v = np.asarray(v)
        self.bc = tuple(bc)
        self.err = np.broadcast_to(_f64(err), self.v.shape).copy()
        self.rerr = np.maximum(np.broadcast_to(_f64(rerr), self.v.shape), self.err)
        self.zs = np.broadcast_to(np.asarray(zs, dtype=bool), self.v.shape).copy()
        self.key = key
        self.op = op
        self.args = tuple(args)
        self.params = params
        self.const = const

    @property
    def dtype(self):
        return str(self.v.dtype)

    @property
    def ndim(self):
        return self.v.ndim

    @property
    def broadcastable(self):
        return self.bc

    def __repr__(self):
        return f"Ref({self.op}, {self.dtype}, {self.bc})"

    # operators, as TensorVariable's
    def __add__(self, o): return self.ev.add(self, o)
    def __radd__(self, o): return self.ev.add(o, self)
    def __sub__(self, o): return self.ev.sub(self, o)
    def __rsub__(self, o): return self.ev.sub(o, self)
    def __mul__(self, o): return self.ev.mul(self, o)
    def __rmul__(self, o): return self.ev.mul(o, self)
    def __truediv__(self, o): return self.ev.true_div(self, o)
    def __rtruediv__(self, o): return self.ev.true_div(o, self)
    def __floordiv__(self, o): return self.ev.int_div(self, o)
    def __rfloordiv__(self, o): return self.ev.int_div(o, self)
    def __mod__(self, o): return self.ev.mod(self, o)
    def __rmod__(self, o): return self.ev.mod(o, self)
    def __pow__(self, o): return self.ev.pow(self, o)
    def __rpow__(self, o): return self.ev.pow(o, self)
    def __neg__(self): return self.ev.neg(self)
    def __abs__(self): return self.ev.abs_(self)
    def __lt__(self, o): return self.ev.lt(self, o)
    def __le__(self, o): return self.ev.le(self, o)
    def __gt__(self, o): return self.ev.gt(self, o)
    def __ge__(self, o): return self.ev.ge(self, o)
    def __getitem__(self, idx): return self.ev.subtensor(self, idx)
    def sum(self, axis=None, keepdims=False): return self.ev.sum(self, axis, keepdims)
    def prod(self, axis=None, keepdims=False): return self.ev.prod(self, axis, keepdims)
    def max(self, axis=None, keepdims=False): return self.ev.max(self, axis, keepdims)
    def min(self, axis=None, keepdims=False): return self.ev.min(self, axis, keepdims)
    def mean(self, axis=None, keepdims=False): return self.ev.mean(self, axis, keepdims)
    def argmax(self, axis=None, keepdims=False): return self.ev.argmax(self, axis, keepdims)
    def astype(self, dtype): return self.ev.cast(self, dtype)
    def dimshuffle(self, *order): return self.ev.dimshuffle(self, order)
    def reshape(self, shape): return self.ev.reshape(self, shape)
    def flatten(self, ndim=1): return self.ev.flatten(self, ndim)

    @property
    def T(self):
        return self.ev.transpose(self)
    __hash__ = object.__hash__


class _Namespace:
    """Attribute access for T, T.nnet, T.extra_ops."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class Evaluator:
    """Evaluates one expression; collects which WHITELIST entries were used and whether an
    integer division by zero happened (Theano raises ZeroDivisionError for it)."""

    def __init__(self, floatX="float64"):
        self.floatX = floatX
        self.int_zero_division = False           # Theano raises ZeroDivisionError
        self.int_zero_division_possible = False  # it may (a divisor of uncertain value)
        self.used = set()

    # -- construction ---------------------------------------------------------------------

    def input(self, name, dtype, bc, value):
        v = np.asarray(value, dtype=dtype)
        assert v.ndim == len(bc)
        return Ref(self, v, bc, 0.0, 0.0, False, ("in", name), "input", params=name)

    def as_ref(self, x):
        if isinstance(x, Ref):
            return x
        if isinstance(x, (bool, int, float, np.generic)):
            dt = literal_dtype(x, self.floatX)
            v = np.asarray(x, dtype=dt)
            return Ref(self, v, (), 0.0, 0.0, False, ("const", dt, repr(v.item())), "const",
                       const=v.item())
        raise FuzzTypeError(f"cannot use {x!r} in an expression")

    def namespace(self):
        """{'T': ..., 'np': numpy} for evaluating a fuzzer expression."""
        nnet = _Namespace(sigmoid=self.sigmoid, softplus=self.softplus)
        extra = _Namespace(cumsum=self.cumsum)
        T = _Namespace(
            add=self.add, sub=self.sub, mul=self.mul, true_div=self.true_div,
            int_div=self.int_div, mod=self.mod, pow=self.pow, neg=self.neg, abs_=self.abs_,
            sqr=self.sqr, exp=self.exp, log=self.log, sqrt=self.sqrt, tanh=self.tanh,
            maximum=self.maximum, minimum=self.minimum, clip=self.clip, switch=self.switch,
            lt=self.lt, gt=self.gt, le=self.le, ge=self.ge, eq=self.eq, neq=self.neq,
            cast=self.cast, sum=self.sum, prod=self.prod, max=self.max, min=self.min,
            mean=self.mean, argmax=self.argmax, dot=self.dot, cumsum=self.cumsum,
            inc_subtensor=self.inc_subtensor, set_subtensor=self.set_subtensor,
            transpose=self.transpose, reshape=self.reshape, flatten=self.flatten,
            nnet=nnet, extra_ops=extra)
        return {"T": T, "np": np}

    # -- shared machinery ----------------------------------------------------------------

    def _excuse(self, name, mask, rerr):
        """Accept anything in the rewriting modes where `mask` (WHITELIST[name])."""
        assert name in WHITELIST and not WHITELIST[name][0].startswith("literal:"), name
        mask = np.broadcast_to(mask, rerr.shape)
        if mask.any():
            self.used.add(name)
            rerr = np.where(mask, np.inf, rerr)
        return rerr

    def _excuse_literal(self, name, mask, err):
        assert WHITELIST[name][0].startswith("literal:"), name
        mask = np.broadcast_to(mask, err.shape)
        if mask.any():
            self.used.add(name)
            err = np.where(mask, np.inf, err)
        return err

    @staticmethod
    def _bcast(args):
        nd = max(a.ndim for a in args)
        bc = []
        for d in range(nd):
            flags = [a.bc[d - (nd - a.ndim)] for a in args if d - (nd - a.ndim) >= 0]
            bc.append(all(flags))
        shape = np.broadcast_shapes(*[a.v.shape for a in args])
        return tuple(bc), shape

    def _elemwise(self, op, args, out_dtype, value_fn, math_fn, k, *, extra_zero=False,
                  exact=False, params=None, zs_mode="pass", comp=None):
        """An elementwise op: value in out_dtype, err/rerr by corners of math_fn plus k
        units of rounding; inf in an input's bound gives inf.  zs_mode says whether a zero
        result has a rewrite-dependent sign: 'pass' (when an input's has), 'arith' (always,
        for a computed zero), 'none'."""
        bc, shape = self._bcast(args)
        vals = [np.broadcast_to(a.v, shape) for a in args]
        with np.errstate(all="ignore"):
            v = np.asarray(value_fn(*vals))
            v = np.broadcast_to(v, shape).astype(out_dtype)
        v64 = _f64(v)
        vals64 = [_f64(x) for x in vals]
        comp = comp or _compute_dtype([a.dtype for a in args], out_dtype)
        rnd = np.zeros(shape) if exact else _rounding(v, comp, out_dtype, k)

        def bound(attr):
            errs = [np.broadcast_to(getattr(a, attr), shape) for a in args]
            inf_in = np.zeros(shape, dtype=bool)
            for e in errs:
                inf_in |= np.isinf(e)
            fin = [np.where(np.isinf(e), 0.0, e) for e in errs]
            b = _corners(math_fn, vals64, fin, v64, extra_zero=extra_zero) + rnd
            return np.where(inf_in, np.inf, b)

        err = bound("err")
        rerr = bound("rerr")
        zs = np.zeros(shape, dtype=bool)
        if is_float(out_dtype):
            zero = v64 == 0
            if zs_mode == "arith":
                zs = zero.copy()
            elif zs_mode == "pass":
                for a in args:
                    zs |= zero & np.broadcast_to(a.zs, shape)
        key = (op, params) + tuple(a.key for a in args)
        return Ref(self, v, bc, err, rerr, zs, key, op, args, params=params)

    def _binary_args(self, a, b):
        return self.as_ref(a), self.as_ref(b)

    # -- arithmetic -----------------------------------------------------------------------

    def add(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if dt == "bool":
            r = self._elemwise("add", [a, b], dt, np.logical_or,
                               lambda x, y: ((x != 0) | (y != 0)).astype(float), 0)
        elif is_discrete(dt):
            r = self._elemwise("add", [a, b], dt,
                               lambda x, y: np.add(x.astype(dt), y.astype(dt)),
                               lambda x, y: x + y, 0)
        else:
            r = self._elemwise("add", [a, b], dt, lambda x, y: _f64(x) + _f64(y),
                               lambda x, y: x + y, K_ARITH, zs_mode="arith")
        return self._sum_cluster(r)

    def sub(self, a, b):
        a, b = self._binary_args(a, b)
        if a.dtype == "bool" and b.dtype == "bool":
            raise FuzzTypeError("bool - bool")
        dt = upcast(a.dtype, b.dtype)
        if is_discrete(dt):
            r = self._elemwise("sub", [a, b], dt,
                               lambda x, y: np.subtract(x.astype(dt), y.astype(dt)),
                               lambda x, y: x - y, 0)
        else:
            r = self._elemwise("sub", [a, b], dt, lambda x, y: _f64(x) - _f64(y),
                               lambda x, y: x - y, K_ARITH, zs_mode="arith")
        r = self._sum_cluster(r)
        return self._stabilisations(r)

    def neg(self, a):
        a = self.as_ref(a)
        if a.dtype == "bool":
            raise FuzzTypeError("-bool")
        dt = a.dtype
        r = self._elemwise("neg", [a], dt, lambda x: np.negative(x), lambda x: -x, 0,
                           exact=True, zs_mode="arith")
        r = self._sum_cluster(r)
        return self._product_cluster(r)

    def mul(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if dt == "bool":
            r = self._elemwise("mul", [a, b], dt, np.logical_and,
                               lambda x, y: ((x != 0) & (y != 0)).astype(float), 0)
        elif is_discrete(dt):
            r = self._elemwise("mul", [a, b], dt,
                               lambda x, y: np.multiply(x.astype(dt), y.astype(dt)),
                               lambda x, y: x * y, 0)
        else:
            r = self._elemwise("mul", [a, b], dt, lambda x, y: _f64(x) * _f64(y),
                               lambda x, y: x * y, K_ARITH, zs_mode="arith")
        return self._product_cluster(r)

    def true_div(self, a, b):
        a, b = self._binary_args(a, b)
        if is_discrete(a.dtype) and is_discrete(b.dtype):
            dt = self.floatX
        else:
            dt = upcast(a.dtype, b.dtype)
        r = self._elemwise("true_div", [a, b], dt, lambda x, y: _f64(x) / _f64(y),
                           lambda x, y: x / y, K_ARITH, zs_mode="arith")
        r = self._pole(r, b, a)
        r = self._product_cluster(r)
        return self._stabilisations(r)

    def _pole(self, r, divisor, numerator=None):
        """A divisor whose box contains 0 makes the quotient unbounded; a divisor that is a
        zero of rewrite-dependent sign makes it +-inf depending on the mode."""
        shape = r.v.shape
        d = np.broadcast_to(_f64(divisor.v), shape)
        for attr in ("err", "rerr"):
            e = np.broadcast_to(getattr(divisor, attr), shape)
            bad = (e > 0) & (np.abs(d) <= e)
            setattr(r, attr, np.where(bad, np.inf, getattr(r, attr)))
        zs = np.broadcast_to(divisor.zs, shape) & (d == 0)
        if numerator is not None:
            n = np.broadcast_to(_f64(numerator.v), shape)
            zs &= ~((n == 0) | np.isnan(n))
        r.rerr = self._excuse("zero_sign", zs, r.rerr)
        return r

    def int_div(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if is_discrete(dt):
            r = self._int_divmod("int_div", a, b, dt, np.floor_divide)
        else:
            comp = _compute_dtype([a.dtype, b.dtype], dt)
            r = self._elemwise(
                "int_div", [a, b], dt, lambda x, y: _c_floordiv(x, y, comp),
                lambda x, y: np.floor(x / y), K_ARITH, zs_mode="arith")
            alt = _np_floordiv(a.v, b.v, comp).astype(dt)
            self._accept_both(r, alt)
            r = self._pole(r, b, a)
        r = self._product_cluster(r)
        return r

    def mod(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if is_discrete(dt):
            return self._int_divmod("mod", a, b, dt, np.remainder)
        comp = dt  # Theano's C Mod calls fmod (double) or fmodf on the output type
        r = self._elemwise("mod", [a, b], dt, lambda x, y: _c_mod(x, y, comp),
                           lambda x, y: x - y * np.floor(x / y), K_ARITH, zs_mode="arith",
                           comp=comp)
        # mod jumps where floor(x / y) changes inside the box
        shape = r.v.shape
        x, y = (np.broadcast_to(_f64(t.v), shape) for t in (a, b))
        for attr in ("err", "rerr"):
            ex, ey = (np.where(np.isinf(e), 0, e) for e in
                      (np.broadcast_to(getattr(t, attr), shape) for t in (a, b)))
            fl = [np.floor((x + sx * ex) / (y + sy * ey))
                  for sx in (-1, 1) for sy in (-1, 1)]
            with np.errstate(all="ignore"):
                jump = (ex + ey > 0) & ~np.all([f == fl[0] for f in fl], axis=0)
            setattr(r, attr, np.where(jump, np.inf, getattr(r, attr)))
        alt = _np_mod(a.v, b.v, comp).astype(dt)
        self._accept_both(r, alt)
        # A zero result takes NumPy's sign (+0.0 for -4 % 2, where Theano's C code gives
        # -0.0): an error bound cannot say "either sign", and the NumPy sign is the Python
        # implementation's, also Theano's (theano_c_vs_py).
        r.v = np.where((r.v == 0) & (alt == 0), alt, r.v)
        return self._pole(r, b)

    def _accept_both(self, r, alt):
        d = dist(alt, r.v)
        if np.any(d > r.err):
            self.used.add("theano_c_vs_py")
        r.err = np.maximum(r.err, d)
        r.rerr = np.maximum(r.rerr, d)

    def _int_divmod(self, op, a, b, dt, fn):
        bc, shape = self._bcast([a, b])
        x = np.broadcast_to(a.v, shape).astype(np.int64)
        y = np.broadcast_to(b.v, shape).astype(np.int64)
        zero = y == 0
        with np.errstate(all="ignore"):
            v = fn(x, np.where(zero, 1, y))
        v = np.where(zero, 0, v).astype(dt)
        # An uncertain operand (from a float cast: NaN to int is undefined) makes the result
        # anything, and a divisor that may be 0 makes ZeroDivisionError possible, not due.
        ea, eb = (np.broadcast_to(t.err, shape) for t in (a, b))
        era, erb = (np.broadcast_to(t.rerr, shape) for t in (a, b))
        if (zero & (eb == 0)).any():
            self.int_zero_division = True
            self.used.add("int_div_zero")
        if ((erb > 0) & (np.abs(y) <= erb)).any():
            self.int_zero_division_possible = True
        err = np.where(zero | (ea > 0) | (eb > 0), np.inf, 0.0)
        rerr = np.where(zero | (era > 0) | (erb > 0), np.inf, 0.0)
        r = Ref(self, v, bc, err, rerr, False, (op, None, a.key, b.key), op, (a, b))
        if op == "int_div":
            r = self._product_cluster(r)
        return r

    def pow(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if dt == "bool":
            dt = "int8"  # Theano's pow upcasts to at least int8
        if is_discrete(dt):
            return self._int_pow(a, b, dt)
        exponent = b.const if b.op == "const" else None
        k = K_TRANS
        if exponent is not None and float(exponent).is_integer():
            k += 2 * abs(exponent)
        r = self._elemwise("pow", [a, b], dt, lambda x, y: _c_pow(_f64(x), _f64(y)),
                           _c_pow, k, extra_zero=True, zs_mode="pass")
        shape = r.v.shape
        x = np.broadcast_to(_f64(a.v), shape)
        y = np.broadcast_to(_f64(b.v), shape)
        # a negative exponent makes 0 a pole; a negative base gives a number only at
        # integer exponents (NaN between them, where the box's corners may both fall)
        for attr in ("err", "rerr"):
            e = np.broadcast_to(getattr(a, attr), shape)
            ey = np.broadcast_to(getattr(b, attr), shape)
            bad = (e > 0) & (np.abs(x) <= e) & (y < 0)
            with np.errstate(all="ignore"):
                bad |= (ey > 0) & (x - e < 0) & (np.floor(y + ey) >= np.ceil(y - ey))
            setattr(r, attr, np.where(bad, np.inf, getattr(r, attr)))
        zs = np.broadcast_to(a.zs, shape) & (x == 0) & (y < 0)
        r.rerr = self._excuse("zero_sign", zs, r.rerr)
        if exponent is not None:
            alt = _pow_specialised(x, float(exponent))
            if alt is not None:
                self._accept_rewritten("pow_specialize", r, alt)
        return r

    def _int_pow(self, a, b, dt):
        bc, shape = self._bcast([a, b])
        x = _f64(np.broadcast_to(a.v, shape))
        y = _f64(np.broadcast_to(b.v, shape))
        with np.errstate(all="ignore"):
            p = np.power(x, y)
        if dt == "bool":
            ok = np.isfinite(p)
            v = np.where(ok, np.trunc(np.where(ok, p, 0)) != 0, False)
        else:
            info = np.iinfo(dt)
            ok = np.isfinite(p) & (p >= info.min) & (p <= info.max)
            xi = np.broadcast_to(a.v, shape).astype(np.int64)
            yi = np.broadcast_to(b.v, shape).astype(np.int64)
            with np.errstate(all="ignore"):
                wrapped = np.power(xi, np.maximum(yi, 0)).astype(dt)
            v = np.where(yi >= 0, wrapped,
                         np.where(ok, np.trunc(np.where(ok, p, 0)), 0).astype(dt))
        err = self._excuse_literal("int_pow_ub", ~ok, np.zeros(shape))
        for t in (a, b):
            err = np.where(np.isinf(np.broadcast_to(t.err, shape)), np.inf, err)
        rerr = err.copy()
        for t in (a, b):
            rerr = np.where(np.isinf(np.broadcast_to(t.rerr, shape)), np.inf, rerr)
        return Ref(self, v, bc, err, rerr, False, ("pow", None, a.key, b.key), "pow", (a, b))

    def abs_(self, a):
        a = self.as_ref(a)
        return self._elemwise("abs", [a], a.dtype, np.abs, np.abs, 0, extra_zero=True,
                              exact=True, zs_mode="none")

    def sqr(self, a):
        a = self.as_ref(a)
        dt = a.dtype
        if dt == "bool":
            fn = lambda x: x
        elif is_discrete(dt):
            fn = lambda x: np.multiply(x, x)
        else:
            fn = lambda x: _f64(x) * _f64(x)
        return self._elemwise("sqr", [a], dt, fn, lambda x: x * x, K_ARITH, extra_zero=True,
                              zs_mode="none")

    # -- transcendental -------------------------------------------------------------------

    def _unary_float(self, op, a, fn, k=K_TRANS, zs_mode="none"):
        a = self.as_ref(a)
        dt = upgrade_to_float(a.dtype)
        comp = "float32" if a.dtype == "float32" else "float64"
        r = self._elemwise(op, [a], dt, lambda x: fn(_f64(x)), fn, 0, zs_mode=zs_mode)
        rnd = _rounding(r.v, comp, dt, k)
        r.err = r.err + rnd
        r.rerr = r.rerr + rnd
        return r

    def exp(self, a):
        return self._unary_float("exp", a, np.exp)

    def log(self, a):
        r = self._unary_float("log", a, np.log)
        return self._stabilisations(r)

    def sqrt(self, a):
        return self._unary_float("sqrt", a, np.sqrt, zs_mode="pass")

    def tanh(self, a):
        return self._unary_float("tanh", a, np.tanh, zs_mode="pass")

    def sigmoid(self, a):
        a = self.as_ref(a)
        _c_clamped, *others = _sigmoid_variants(_f64(a.v), a.dtype)
        x_lo, x_hi = _SIGMOID_C.get(a.dtype, (-30.0, 30.0))
        r = self._unary_float("sigmoid", a, lambda x: _sigmoid_clamped(x, x_lo, x_hi))
        for alt in others:
            self._accept_both(r, alt.astype(r.dtype))
        return r

    def softplus(self, a):
        a = self.as_ref(a)
        _c_clamped, *others = _softplus_variants(_f64(a.v), a.dtype)
        x_lo, x_hi = _SOFTPLUS_C.get(a.dtype, (-30.0, 30.0))
        r = self._unary_float("softplus", a, lambda x: _softplus_clamped(x, x_lo, x_hi))
        for alt in others:
            self._accept_both(r, alt.astype(r.dtype))
        return r

    # -- comparisons, selection -------------------------------------------------------------

    def _compare(self, op, a, b, fn):
        a, b = self._binary_args(a, b)
        r = self._elemwise(op, [a, b], "bool", fn, lambda x, y: fn(x, y).astype(float), 0)
        shape = r.v.shape
        x, y = (np.broadcast_to(_f64(t.v), shape) for t in (a, b))
        if op in ("eq", "neq"):
            # equality can hold inside overlapping boxes without holding at their corners
            for attr in ("err", "rerr"):
                ex, ey = (np.broadcast_to(getattr(t, attr), shape) for t in (a, b))
                with np.errstate(all="ignore"):
                    overlap = (ex + ey > 0) & (np.abs(x - y) <= ex + ey)
                setattr(r, attr, np.where(overlap, np.inf, getattr(r, attr)))
        if op in ("eq", "neq", "le", "ge") and a.key == b.key:
            r.rerr = self._excuse("self_compare", np.isnan(x), r.rerr)
        # Theano's C code compares an int32 with a float32 in float32 (C's conversions)
        comp = _compute_dtype([a.dtype, b.dtype], "float64")
        if comp != "float64":
            with np.errstate(all="ignore"):
                alt = fn(np.asarray(x).astype(comp), np.asarray(y).astype(comp))
            self._accept_both(r, alt)
        return r

    def lt(self, a, b):
        return self._compare("lt", a, b, np.less)

    def gt(self, a, b):
        return self._compare("gt", a, b, np.greater)

    def le(self, a, b):
        return self._compare("le", a, b, np.less_equal)

    def ge(self, a, b):
        return self._compare("ge", a, b, np.greater_equal)

    def eq(self, a, b):
        return self._compare("eq", a, b, np.equal)

    def neq(self, a, b):
        return self._compare("neq", a, b, np.not_equal)

    def maximum(self, a, b):
        return self._minmax("maximum", a, b, np.maximum, np.logical_or, _c_maximum)

    def minimum(self, a, b):
        return self._minmax("minimum", a, b, np.minimum, np.logical_and, _c_minimum)

    def _minmax(self, op, a, b, np_fn, bool_fn, c_fn):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if dt == "bool":
            fn = bool_fn
        elif is_discrete(dt):
            fn = lambda x, y: np_fn(x.astype(dt), y.astype(dt))
        else:
            fn = lambda x, y: c_fn(_f64(x), _f64(y))
        # exact, but for C comparing an int32 with a float32 in float32 (one rounding)
        exact = _compute_dtype([a.dtype, b.dtype], dt) == dt
        r = self._elemwise(op, [a, b], dt, fn, np_fn, 1, exact=exact, zs_mode="none")
        if is_float(dt):
            shape = r.v.shape
            zero_in = (np.broadcast_to(_f64(a.v), shape) == 0) | \
                (np.broadcast_to(_f64(b.v), shape) == 0)
            r.zs = (_f64(r.v) == 0) & zero_in
            # A zero result takes NumPy's sign (maximum(-0.0, 0) is +0.0 there, -0.0 in
            # Theano's C code): as for %, one sign must be chosen (theano_c_vs_py).
            alt = np_fn(np.broadcast_to(a.v, shape).astype(dt), np.broadcast_to(b.v, shape)
                        .astype(dt))
            r.v = np.where((r.v == 0) & (alt == 0), alt, r.v)
        return r

    def clip(self, x, lo, hi):
        x, lo, hi = (self.as_ref(t) for t in (x, lo, hi))
        dt = upcast(x.dtype, lo.dtype, hi.dtype)
        if is_discrete(dt):
            def fn(a, b, c):
                a, b, c = (t.astype(dt) for t in (a, b, c))
                return np.where(a < b, b, np.where(a > c, c, a))
        else:
            def fn(a, b, c):
                a, b, c = _f64(a), _f64(b), _f64(c)
                return np.where(a < b, b, np.where(a > c, c, a))
        r = self._elemwise("clip", [x, lo, hi], dt, fn,
                           lambda a, b, c: np.where(a < b, b, np.where(a > c, c, a)), 1,
                           exact=_compute_dtype([x.dtype, lo.dtype, hi.dtype], dt) == dt,
                           zs_mode="none")
        shape = r.v.shape
        xv, lv, hv = (np.broadcast_to(_f64(t.v), shape) for t in (x, lo, hi))
        for attr in ("err", "rerr"):
            ex, el, eh = (np.broadcast_to(getattr(t, attr), shape) for t in (x, lo, hi))
            # Where lo and hi may be in either order, the result jumps between lo and hi at
            # x = lo: it is one of them, within |lo - hi| plus their bounds.
            with np.errstate(all="ignore"):
                unsure = (lv + el >= hv - eh) & (
                    (el + eh > 0) | ((np.abs(xv - lv) <= ex + el) & (ex + el > 0)))
                jump = dist(lv, hv) + el + eh + ex
            setattr(r, attr, np.where(unsure, np.maximum(getattr(r, attr), jump),
                                      getattr(r, attr)))
        if is_float(dt):
            r.zs = (_f64(r.v) == 0) & ((xv == 0) | (lv == 0) | (hv == 0))
        return r

    def switch(self, c, a, b):
        c, a, b = (self.as_ref(t) for t in (c, a, b))
        dt = upcast(a.dtype, b.dtype)
        bc, shape = self._bcast([c, a, b])
        cv = np.broadcast_to(c.v, shape) != 0
        av = np.broadcast_to(a.v, shape).astype(dt)
        bv = np.broadcast_to(b.v, shape).astype(dt)
        v = np.where(cv, av, bv)
        c64 = np.abs(np.broadcast_to(_f64(c.v), shape))
        gap = dist(av, bv)

        def bound(attr):
            ec = np.broadcast_to(getattr(c, attr), shape)
            ea = np.broadcast_to(getattr(a, attr), shape)
            eb = np.broadcast_to(getattr(b, attr), shape)
            sel = np.where(cv, ea, eb)
            flip = (ec > 0) & ~(c64 > ec)  # (a NaN condition with a bound may flip too)
            return np.where(flip, np.maximum(np.maximum(ea, eb), gap), sel)

        zs = np.where(cv, np.broadcast_to(a.zs, shape), np.broadcast_to(b.zs, shape))
        return Ref(self, v, bc, bound("err"), bound("rerr"), zs,
                   ("switch", None, c.key, a.key, b.key), "switch", (c, a, b))

    def cast(self, a, dtype):
        a = self.as_ref(a)
        src = a.dtype
        x = a.v
        if dtype == src:
            return a
        if dtype == "bool":
            r = self._elemwise("cast", [a], "bool", lambda t: t != 0,
                               lambda t: (t != 0).astype(float), 0, params=dtype)
            xv = _f64(x)
            for attr in ("err", "rerr"):
                e = getattr(a, attr)
                bad = (e > 0) & (np.abs(xv) <= e)
                setattr(r, attr, np.where(bad, np.inf, getattr(r, attr)))
            return r
        if is_float(dtype):
            return self._elemwise("cast", [a], dtype, lambda t: _f64(t), lambda t: t, 1,
                                  params=dtype, zs_mode="pass")
        # to an integer type
        if is_float(src):
            info = np.iinfo(dtype)
            xv = _f64(x)
            ok = np.isfinite(xv) & (xv > info.min - 1) & (xv < info.max + 1)
            r = self._elemwise("cast", [a], dtype,
                               lambda t: np.trunc(np.where(ok, _f64(t), 0)),
                               np.trunc, 0, params=dtype)
            r.err = self._excuse_literal("float_to_int_ub", ~ok, r.err)
            r.rerr = np.maximum(r.rerr, r.err)
            return r
        return self._elemwise("cast", [a], dtype, lambda t: t.astype(dtype),
                              lambda t: t, 0, params=dtype)

    # -- reductions -------------------------------------------------------------------------

    @staticmethod
    def _axes(ndim, axis):
        if axis is None:
            return tuple(range(ndim))
        if isinstance(axis, (list, tuple)):
            return tuple(sorted(a % ndim for a in axis))
        return (axis % ndim,)

    def _reduce_shape(self, a, axes, keepdims):
        if keepdims:
            return tuple(True if d in axes else a.bc[d] for d in range(a.ndim))
        return tuple(a.bc[d] for d in range(a.ndim) if d not in axes)

    def _reduce_ref(self, op, a, axes, keepdims, v, err, rerr, zs=False):
        bc = self._reduce_shape(a, axes, keepdims)
        v = np.asarray(v)
        err, rerr = np.asarray(err), np.asarray(rerr)
        if keepdims:
            v = v.reshape([1 if d in axes else a.v.shape[d] for d in range(a.ndim)])
            err = err.reshape(v.shape)
            rerr = rerr.reshape(v.shape)
            zs = np.asarray(zs).reshape(v.shape) if np.ndim(zs) else zs
        return Ref(self, v, bc, err, rerr, zs, (op, (axes, keepdims), a.key), op, (a,),
                   params=(axes, keepdims))

    def _sum_like(self, op, a, axis, keepdims):
        a = self.as_ref(a)
        axes = self._axes(a.ndim, axis)
        if op == "sum" or op == "prod":
            out, acc = sum_dtype(a.dtype), acc_dtype(a.dtype)
        else:  # mean
            out = mean_dtype(a.dtype)
            acc = "float64"
        n = int(np.prod([a.v.shape[d] for d in axes])) if axes else 1
        x = a.v
        with np.errstate(all="ignore"):
            if op == "prod":
                v = np.prod(x.astype(acc), axis=axes)
            else:
                v = np.sum(x.astype(acc), axis=axes)
                if op == "mean":
                    v = v / n
            v = np.asarray(v).astype(out)
        x64 = _f64(x)
        ax = np.abs(x64)
        finite = np.isfinite(x64)
        all_finite = np.all(finite, axis=axes)
        v64 = _f64(v)
        big = _FMAX.get(acc, np.inf)

        def bound(attr):
            e = getattr(a, attr)
            inf_in = np.any(np.isinf(e), axis=axes)
            ef = np.where(np.isinf(e), 0.0, e)
            if not is_float(out):
                b = np.where(np.sum(ef, axis=axes) > 0, np.inf, 0.0)
                return np.where(inf_in, np.inf, b)
            with np.errstate(all="ignore"):
                if op == "prod":
                    b = np.prod(ax + ef, axis=axes) - np.prod(ax, axis=axes)
                    b = np.where(np.isnan(b), np.inf, b)
                else:
                    mag = np.sum(np.where(finite, ax, 0.0), axis=axes)
                    b = np.sum(ef, axis=axes) + (n + 1) * _UNIT.get(acc, 0.0) * mag
                    if op == "mean":
                        b = b / n
                # mean: Theano rounds the sum to the output dtype, then divides
                b = b + _rounding(v, out, out, 2 * K_ARITH if op == "mean" else K_ARITH)
            return np.where(inf_in, np.inf, b)

        err, rerr = bound("err"), bound("rerr")
        if is_float(out):
            # Partial results that overflow (or, for prod, underflow) depend on the order.
            with np.errstate(all="ignore"):
                if op == "prod":
                    lg = np.log2(np.where(finite & (ax > 0), ax, 1.0))
                    hi = np.sum(np.where(lg > 0, lg, 0), axis=axes)
                    lo = np.sum(np.where(lg < 0, lg, 0), axis=axes)
                    order = (hi > math.log2(big)) | (lo < math.log2(_TINY[acc]))
                else:
                    mag = np.sum(np.where(finite, ax, 0.0), axis=axes)
                    order = mag > big
            order &= all_finite
            err = np.where(order, np.inf, err)
            rerr = np.where(order, np.inf, rerr)
            rerr = self._scaled_reduction(a, axes, rerr)
        zs = (v64 == 0) if is_float(out) else False
        if keepdims:
            pass
        return self._reduce_ref(op, a, axes, keepdims, v, err, rerr, zs)

    def _scaled_reduction(self, a, axes, rerr):
        """sum(x * s) -> s * sum(x) and sum(x / s) -> sum(x) / s for factors s constant
        along the reduced axes: excused where such an s is 0, inf or NaN."""
        num, den = _factors(a)
        if len(num) + len(den) < 2:
            return rerr
        mask = np.zeros(rerr.shape, dtype=bool)
        for f in num + den:
            padded = (True,) * (a.ndim - f.ndim) + f.bc
            if all(padded[d] for d in axes):
                fv = _f64(np.broadcast_to(f.v.reshape((1,) * (a.ndim - f.ndim) + f.v.shape),
                                          a.v.shape))
                bad = (fv == 0) | ~np.isfinite(fv)
                mask |= np.any(bad, axis=axes)
        return self._excuse("sum_of_scaled", mask, rerr)

    def sum(self, a, axis=None, keepdims=False):
        return self._sum_like("sum", a, axis, keepdims)

    def prod(self, a, axis=None, keepdims=False):
        return self._sum_like("prod", a, axis, keepdims)

    def mean(self, a, axis=None, keepdims=False):
        return self._sum_like("mean", a, axis, keepdims)

    def max(self, a, axis=None, keepdims=False):
        return self._minmax_reduce("max", a, axis, keepdims, np.max)

    def min(self, a, axis=None, keepdims=False):
        return self._minmax_reduce("min", a, axis, keepdims, np.min)

    def _minmax_reduce(self, op, a, axis, keepdims, fn):
        a = self.as_ref(a)
        axes = self._axes(a.ndim, axis)
        v = np.asarray(fn(a.v, axis=axes))
        v64 = _f64(v)

        def bound(attr):
            e = getattr(a, attr)
            inf_in = np.any(np.isinf(e), axis=axes)
            ef = np.where(np.isinf(e), 0.0, e)
            x = _f64(a.v)
            b = np.maximum(dist(fn(x + ef, axis=axes), v64), dist(fn(x - ef, axis=axes), v64))
            return np.where(inf_in, np.inf, b)

        zs = (v64 == 0) if is_float(a.dtype) else False
        return self._reduce_ref(op, a, axes, keepdims, v, bound("err"), bound("rerr"), zs)

    def argmax(self, a, axis=None, keepdims=False):
        a = self.as_ref(a)
        axes = self._axes(a.ndim, axis)
        # Theano reduces several axes at once: move them last and flatten them.
        keep = [d for d in range(a.ndim) if d not in axes]
        x = np.transpose(a.v, keep + list(axes))
        x = x.reshape(x.shape[:len(keep)] + (-1,))
        v = np.asarray(np.argmax(x, axis=-1)).astype("int64")
        x64 = _f64(x)

        def bound(attr):
            e = np.transpose(getattr(a, attr), keep + list(axes)).reshape(x.shape)
            inf_in = np.any(np.isinf(e), axis=-1)
            ef = np.where(np.isinf(e), 0.0, e)
            with np.errstate(all="ignore"):
                top = np.max(x64 - ef, axis=-1, keepdims=True)
                rivals = np.sum(x64 + ef >= top, axis=-1) > 1
            uncertain = rivals & (np.sum(ef, axis=-1) > 0) & ~np.any(np.isnan(x64), axis=-1)
            return np.where(inf_in | uncertain, np.inf, 0.0)

        return self._reduce_ref("argmax", a, axes, keepdims, v, bound("err"), bound("rerr"))

    # -- dot, cumsum ------------------------------------------------------------------------

    def dot(self, a, b):
        a, b = self._binary_args(a, b)
        dt = upcast(a.dtype, b.dtype)
        if a.ndim == 0 or b.ndim == 0:
            return self.mul(a, b)
        bc = a.bc[:-1] + b.bc[1:]
        if is_discrete(dt):
            v = np.dot(a.v.astype(dt), b.v.astype(dt))
        else:
            with np.errstate(all="ignore"):
                v = np.dot(_f64(a.v), _f64(b.v)).astype(dt)
        v = np.asarray(v)
        A, B = np.abs(_f64(a.v)), np.abs(_f64(b.v))
        n = a.v.shape[-1]

        def mm(x, y):
            # x @ y for non-negative arrays with 0 * inf = 0
            xe = x.reshape(x.shape + (1,) * (y.ndim - 1))
            ye = y.reshape((1,) * (x.ndim - 1) + y.shape)
            return np.sum(_prod_nonneg(xe, ye), axis=x.ndim - 1)

        fin_a, fin_b = np.isfinite(_f64(a.v)), np.isfinite(_f64(b.v))
        mag = mm(np.where(fin_a, A, 0.0), np.where(fin_b, B, 0.0))
        rnd = (n + 1) * _UNIT.get(dt, 0.0) * mag + _rounding(v, dt, dt, K_ARITH)

        def bound(attr):
            ea, eb = getattr(a, attr), getattr(b, attr)
            inf_in = mm(np.isinf(ea).astype(float), np.ones_like(B)) + \
                mm(np.ones_like(A), np.isinf(eb).astype(float)) > 0
            ea, eb = np.where(np.isinf(ea), 0, ea), np.where(np.isinf(eb), 0, eb)
            b_ = mm(A, eb) + mm(ea, B) + mm(ea, eb)
            if not is_float(dt):
                b_ = np.where(b_ > 0, np.inf, 0.0)
            else:
                b_ = np.where(np.isnan(b_), np.inf, b_) + rnd
            return np.where(inf_in, np.inf, b_)

        err, rerr = bound("err"), bound("rerr")
        if is_float(dt):
            nonfin = mm((~fin_a).astype(float), np.ones_like(B)) + \
                mm(np.ones_like(A), (~fin_b).astype(float)) > 0
            order = (mag > _FMAX[dt]) & ~nonfin
            err = np.where(order, np.inf, err)
            rerr = np.where(order, np.inf, rerr)
        zs = (_f64(v) == 0) if is_float(dt) else False
        return Ref(self, v, bc, err, rerr, zs, ("dot", None, a.key, b.key), "dot", (a, b))

    def cumsum(self, a, axis=None):
        a = self.as_ref(a)
        dt = a.dtype
        if axis is None:
            x, e, re = a.v.reshape(-1), a.err.reshape(-1), a.rerr.reshape(-1)
            ax, bc = 0, (False,)
        else:
            x, e, re, ax, bc = a.v, a.err, a.rerr, axis % a.ndim, a.bc
        with np.errstate(all="ignore"):
            # in the input's dtype: float32 accumulates in float32, int8 wraps, bool is a
            # running "or"
            v = np.cumsum(x, axis=ax, dtype=dt)
        x64 = _f64(x)
        fin = np.isfinite(x64)
        mag = np.cumsum(np.where(fin, np.abs(x64), 0.0), axis=ax)
        n = x.shape[ax]

        def bound(err_arr):
            inf_in = np.cumsum(np.isinf(err_arr), axis=ax) > 0
            ef = np.where(np.isinf(err_arr), 0.0, err_arr)
            b = np.cumsum(ef, axis=ax)
            if is_float(dt):
                b = b + (n + 1) * _UNIT[dt] * mag + _rounding(v, dt, dt, K_ARITH)
            else:
                b = np.where(b > 0, np.inf, 0.0)
            return np.where(inf_in, np.inf, b)

        err, rerr = bound(e), bound(re)
        if is_float(dt):
            order = (mag > _FMAX[dt]) & (np.cumsum(~fin, axis=ax) == 0)
            err = np.where(order, np.inf, err)
            rerr = np.where(order, np.inf, rerr)
        zs = (_f64(v) == 0) if is_float(dt) else False
        return Ref(self, v, bc, err, rerr, zs, ("cumsum", axis, a.key), "cumsum", (a,),
                   params=axis)

    # -- shape ------------------------------------------------------------------------------

    def dimshuffle(self, a, order):
        a = self.as_ref(a)
        if len(order) == 1 and isinstance(order[0], (list, tuple)):
            order = tuple(order[0])
        kept = [o for o in order if o != "x"]
        for d in range(a.ndim):
            if d not in kept and not a.bc[d]:
                raise FuzzTypeError("dimshuffle drops a non-broadcastable axis")
        shape = tuple(1 if o == "x" else a.v.shape[o] for o in order)
        bc = tuple(True if o == "x" else a.bc[o] for o in order)

        def pick(arr):
            arr = np.asarray(arr)
            if len(kept) < a.ndim:
                arr = arr.reshape([a.v.shape[d] for d in range(a.ndim) if d in kept])
                src = [d for d in range(a.ndim) if d in kept]
                perm = [src.index(o) for o in kept]
            else:
                perm = kept
            return np.transpose(arr, perm).reshape(shape)

        return Ref(self, pick(a.v), bc, pick(a.err), pick(a.rerr), pick(a.zs),
                   ("dimshuffle", tuple(order), a.key), "dimshuffle", (a,), params=order)

    def transpose(self, a):
        a = self.as_ref(a)
        return self.dimshuffle(a, tuple(range(a.ndim))[::-1])

    def reshape(self, a, shape):
        a = self.as_ref(a)
        shape = tuple(shape)
        v = a.v.reshape(shape)
        # Theano: a constant 1 in the new shape is broadcastable, anything else is not
        bc = tuple(s == 1 for s in shape)
        return Ref(self, v, bc, a.err.reshape(v.shape), a.rerr.reshape(v.shape),
                   a.zs.reshape(v.shape), ("reshape", shape, a.key), "reshape", (a,),
                   params=shape)

    def flatten(self, a, ndim=1):
        a = self.as_ref(a)
        shape = a.v.shape[:ndim - 1] + (-1,)
        v = a.v.reshape(shape)
        bc = a.bc[:ndim - 1] + (all(a.bc[ndim - 1:]),)
        return Ref(self, v, bc, a.err.reshape(v.shape), a.rerr.reshape(v.shape),
                   a.zs.reshape(v.shape), ("flatten", ndim, a.key), "flatten", (a,),
                   params=ndim)

    # -- indexing ---------------------------------------------------------------------------

    def subtensor(self, a, idx):
        a = self.as_ref(a)
        entries = idx if isinstance(idx, tuple) else (idx,)
        if any(isinstance(i, list) for i in entries):
            assert len(entries) == 1, "advanced indexing: one list on the first axis only"
            lst = entries[0]
            # AdvancedSubtensor1: the index constant's pattern, then x's other axes
            bc = (len(lst) == 1,) + a.bc[1:]
        else:
            bc = []
            for d, p in enumerate(entries):
                if isinstance(p, slice):
                    bc.append(a.bc[d] and _slice_keeps_broadcastable(p))
                # an integer index drops the axis
            bc = tuple(bc) + a.bc[len(entries):]
            lst = None
        sel = lst if lst is not None else idx
        r = Ref(self, a.v[sel], bc, a.err[sel], a.rerr[sel], a.zs[sel],
                ("subtensor", _as_index_key(idx), a.key), "subtensor", (a,), params=idx)
        return r

    def _inc_set(self, op, sub, y):
        if not isinstance(sub, Ref) or sub.op != "subtensor":
            raise FuzzTypeError(f"{op} needs x[idx] as its first argument")
        x, idx = sub.args[0], sub.params
        y = self.as_ref(y)
        dt = x.dtype
        entries = idx if isinstance(idx, tuple) else (idx,)
        advanced = any(isinstance(i, list) for i in entries)
        sel = entries[0] if advanced else idx
        target = x.v[sel]
        if y.ndim > target.ndim:
            raise FuzzTypeError(f"{op}_subtensor: y has more dimensions than x[idx]")
        yv = np.broadcast_to(y.v, target.shape)
        ye = np.broadcast_to(y.err, target.shape)
        yr = np.broadcast_to(y.rerr, target.shape)
        yz = np.broadcast_to(y.zs, target.shape)
        v, err, rerr, zs = x.v.copy(), x.err.copy(), x.rerr.copy(), x.zs.copy()
        with np.errstate(all="ignore"):
            if op == "set":
                if advanced:
                    ycast = yv.astype(dt)  # (an int32 300 into int8 wraps to 44)
                    for k, i in enumerate(sel):
                        v[i], err[i], rerr[i], zs[i] = ycast[k], ye[k], yr[k], yz[k]
                else:
                    v[sel] = yv.astype(dt)
                    err[sel], rerr[sel], zs[sel] = ye, yr, yz
            else:
                if is_float(dt):
                    vf = _f64(v)
                    yf = _f64(yv)
                else:
                    vf = v.astype(dt)
                    yf = yv.astype(dt)
                if advanced:
                    np.add.at(vf, sel, yf)
                    np.add.at(err, sel, ye)
                    np.add.at(rerr, sel, yr)
                else:
                    vf[sel] += yf
                    err[sel] += ye
                    rerr[sel] += yr
                v = vf.astype(dt)
                if is_float(dt):
                    rnd = np.zeros(v.shape)
                    rnd[sel] = 1.0
                    rnd = rnd * _rounding(v, dt, dt, K_ARITH) * (len(sel) if advanced else 1)
                    err, rerr = err + rnd, rerr + rnd
                    zs = zs | (_f64(v) == 0)
                else:
                    err = np.where(err > 0, np.inf, err)
                    rerr = np.where(rerr > 0, np.inf, rerr)
        return Ref(self, v, x.bc, err, rerr, zs,
                   (op, _as_index_key(idx), x.key, y.key), op + "_subtensor", (x, y),
                   params=idx)

    def inc_subtensor(self, sub, y):
        return self._inc_set("inc", sub, y)

    def set_subtensor(self, sub, y):
        return self._inc_set("set", sub, y)

    # -- rewrites that may change a value (WHITELIST) -------------------------------------

    def _sum_cluster(self, r):
        """Excuses for the add canonicaliser: cancelled terms, reordering."""
        if not is_float(r.dtype):
            return r
        terms = _terms(r)
        if len(terms) < 2:
            return r
        shape = r.v.shape
        signs = {}
        for s, t in terms:
            signs.setdefault(t.key, set()).add(s)
        mask = np.zeros(shape, dtype=bool)
        for s, t in terms:
            if len(signs[t.key]) == 2:
                mask |= ~np.isfinite(np.broadcast_to(_f64(t.v), shape))
        r.rerr = self._excuse("cancel_sum", mask, r.rerr)
        # reordering: overflow of a partial sum, and rounding relative to the terms' sizes
        mag = np.zeros(shape)
        finite = np.ones(shape, dtype=bool)
        for s, t in terms:
            tv = np.broadcast_to(_f64(t.v), shape)
            finite &= np.isfinite(tv)
            mag = mag + np.where(np.isfinite(tv), np.abs(tv), 0.0)
        r.rerr = self._excuse("reassociation", finite & (mag > _FMAX[r.dtype]), r.rerr)
        extra = len(terms) * 2 * _UNIT[r.dtype] * np.where(np.isfinite(mag), mag, 0.0)
        r.rerr = r.rerr + extra
        return r

    def _product_cluster(self, r):
        """Excuses for the mul canonicaliser: cancelled factors, zero factors, distributed
        sums, switch sinking, reordering."""
        if not is_float(r.dtype) and r.op != "int_div":
            return r
        num, den = _factors(r)
        shape = r.v.shape

        def val(t):
            return np.broadcast_to(_f64(t.v), shape)

        def special(t):
            x = val(t)
            return (x == 0) | ~np.isfinite(x)

        keys_num = {_canon(t) for t in num}
        keys_den = {_canon(t) for t in den}
        mask = np.zeros(shape, dtype=bool)
        for t in num + den:
            if _canon(t) in keys_num and _canon(t) in keys_den:
                mask |= special(t)
        if r.op != "int_div":
            r.rerr = self._excuse("cancel_product", mask, r.rerr)
        # x * 0 -> 0 and 0 / x -> 0
        zero_const = any(t.op == "const" and t.const == 0 for t in num)
        if zero_const:
            bad = np.zeros(shape, dtype=bool)
            for t in num + den:
                if not (t.op == "const" and t.const == 0):
                    bad |= ~np.isfinite(val(t))
            for t in den:
                bad |= val(t) == 0
            name = "mul_zero" if r.op != "true_div" and r.op != "int_div" else "zero_div"
            if r.op in ("true_div", "int_div") and r.args[0].op == "const" \
                    and r.args[0].const == 0:
                name = "zero_div"
            r.rerr = self._excuse(name, bad, r.rerr)
            if r.op == "int_div" and not is_float(r.dtype):
                r.rerr = self._excuse(name, bad, r.rerr)
        if r.op == "int_div":
            return r
        # (a / x + b) * x -> a + b * x, and (a * x + b) / x -> a / x + b
        inner_num, inner_den = set(), set()
        for t in num + den:
            for _s, term in _terms(t):
                n2, d2 = _factors(term)
                inner_num |= {f.key for f in n2}
                inner_den |= {f.key for f in d2}
        dmask = np.zeros(shape, dtype=bool)
        for t in num:
            if t.key in inner_den:
                dmask |= special(t)
        for t in den:
            if t.key in inner_num or t.key in inner_den:
                dmask |= special(t)
        r.rerr = self._excuse("distribute", dmask, r.rerr)
        # switch(c, 0, a) * b -> switch(c, 0, a * b)
        smask = np.zeros(shape, dtype=bool)
        for t in num + den:
            if t.op == "switch":
                c, a, b = t.args
                cv = np.broadcast_to(_f64(c.v), shape) != 0
                zero_branch = np.zeros(shape, dtype=bool)
                if a.op == "const" and a.const == 0:
                    zero_branch |= cv
                if b.op == "const" and b.const == 0:
                    zero_branch |= ~cv
                if zero_branch.any():
                    others = np.zeros(shape, dtype=bool)
                    for o in num + den:
                        if o is not t:
                            others |= ~np.isfinite(val(o))
                    for o in den:
                        if o is not t:
                            others |= val(o) == 0
                    smask |= zero_branch & others
        r.rerr = self._excuse("switch_sink", smask, r.rerr)
        # reordering: a partial product that overflows or underflows
        hi = np.zeros(shape)
        lo = np.zeros(shape)
        finite = np.ones(shape, dtype=bool)
        for t in num + den:
            x = np.abs(val(t))
            finite &= np.isfinite(x)
            with np.errstate(all="ignore"):
                lg = np.log2(np.where(np.isfinite(x) & (x > 0), x, 1.0))
            hi = hi + np.where(lg > 0, lg, 0)
            lo = lo + np.where(lg < 0, lg, 0)
        extreme = (hi > math.log2(_FMAX[r.dtype])) | (lo < math.log2(_TINY[r.dtype]))
        r.rerr = self._excuse("reassociation", finite & extreme & (len(num) + len(den) > 2),
                              r.rerr)
        return r

    def _stabilisations(self, r):
        """Stabilising rewrites: accept the rewritten form's values too (computed with each
        of Theano's sigmoid/softplus variants)."""
        if not is_float(r.dtype):
            return r
        alts = None
        name = "stabilize_sigmoid"
        a = r.args
        if r.op == "log":
            (x,) = a
            if x.op == "sigmoid":
                z = x.args[0]
                alts = [-sp for sp in _softplus_variants(_neg(z.v), z.dtype)]
            elif x.op == "sub" and _is_const(x.args[0], 1) and x.args[1].op == "sigmoid":
                z = x.args[1].args[0]
                alts = [-sp for sp in _softplus_variants(_f64(z.v), z.dtype)]
            elif x.op == "add" and _one_plus(x) is not None:
                other = _one_plus(x)
                if other.op == "exp":
                    z = other.args[0]
                    alts = _softplus_variants(_f64(z.v), z.dtype)
                else:
                    # log1p(x) takes x as it is: no integer wrap-around of 1 + x
                    alts, name = [np.log1p(_f64(other.v))], "log1p"
            elif x.op == "sum" and x.args[0].op == "exp":
                alts, name = [_logsumexp_theano(x)], "logsumexp"
        elif r.op == "true_div" and a[1].op == "add" and _one_plus(a[1]) is not None \
                and _one_plus(a[1]).op == "exp":
            e = _one_plus(a[1])
            z = e.args[0]
            if _is_const(a[0], 1):
                alts = _sigmoid_variants(_neg(z.v), z.dtype)
            elif a[0].key == e.key:
                alts = _sigmoid_variants(_f64(z.v), z.dtype)
        if alts is None:
            return r
        for alt in alts:
            self._accept_rewritten(name, r, alt)
        return r

    def _accept_rewritten(self, name, r, alt):
        """Accept `alt` (a value a WHITELIST[name] rewrite computes) in the rewriting
        modes."""
        with np.errstate(all="ignore"):
            alt = np.broadcast_to(np.asarray(alt), r.v.shape).astype(r.dtype)
        d = dist(alt, r.v)
        d = d + _rounding(alt, r.dtype, r.dtype, K_TRANS)
        if np.any(d > r.rerr):
            assert name in WHITELIST, name
            self.used.add(name)
            r.rerr = np.maximum(r.rerr, d)


# ---------------------------------------------------------------------------------------
# graph-shape helpers for the whitelist


def _neg(v):
    """-v as the rewritten graph computes it: in v's dtype (int8 -128 stays -128)."""
    with np.errstate(all="ignore"):
        return _f64(np.negative(v) if v.dtype != bool else v)


def _is_const(t, value):
    return t.op == "const" and t.const == value


def _one_plus(t):
    """The x of ``1 + x`` / ``x + 1``, else None."""
    a, b = t.args
    if _is_const(a, 1):
        return b
    if _is_const(b, 1):
        return a
    return None


def _terms(r):
    """The signed terms of the add/sub/neg cluster rooted at r (float dtypes)."""
    out = []

    def walk(t, s):
        if t.op == "add" and is_float(t.dtype):
            walk(t.args[0], s)
            walk(t.args[1], s)
        elif t.op == "sub" and is_float(t.dtype):
            walk(t.args[0], s)
            walk(t.args[1], -s)
        elif t.op == "neg" and is_float(t.dtype):
            walk(t.args[0], -s)
        else:
            out.append((s, t))

    walk(r, 1)
    return out


def _canon(t):
    """The key of t after the add canonicaliser's cancellations ((x + y) - y is x), without
    a sign (-x cancels x up to a factor -1): what the mul canonicaliser matches factors by."""
    if t.op not in ("add", "sub", "neg") or not is_float(t.dtype):
        return t.key
    counts, refs = {}, {}
    for s, u in _terms(t):
        k = _canon(u)
        counts[k] = counts.get(k, 0) + s
        refs[k] = u
    left = [k for k, c in counts.items() if c != 0 and not _is_const(refs[k], 0)]
    if len(left) == 1 and abs(counts[left[0]]) == 1:
        return left[0]
    return t.key


def _factors(r):
    """(numerator, denominator) factors of the mul/true_div/neg cluster rooted at r."""
    num, den = [], []

    def walk(t, up):
        if t.op in ("add", "sub") and is_float(t.dtype) and _is_const(t.args[1], 0):
            walk(t.args[0], up)  # x + 0, x - 0: x (local_add_canonizer drops the zero)
        elif t.op == "add" and is_float(t.dtype) and _is_const(t.args[0], 0):
            walk(t.args[1], up)
        elif t.op == "sub" and is_float(t.dtype) and _is_const(t.args[0], 0):
            walk(t.args[1], up)  # 0 - x: -x
        elif t.op == "mul" and is_float(t.dtype):
            walk(t.args[0], up)
            walk(t.args[1], up)
        elif t.op == "true_div":
            walk(t.args[0], up)
            walk(t.args[1], not up)
        elif t.op == "neg" and is_float(t.dtype):
            walk(t.args[0], up)
        else:
            (num if up else den).append(t)

    if r.op == "int_div":
        num.append(r.args[0])
        den.append(r.args[1])
        return num, den
    walk(r, True)
    return num, den


def _slice_keeps_broadcastable(p):
    """Theano's Subtensor: slicing a broadcastable axis keeps it broadcastable when the
    slice starts at None/0 and stops at None or a positive constant."""
    start = p.start if p.start is not None else 0
    if start != 0:
        return False
    return p.stop is None or p.stop > 0


# ---------------------------------------------------------------------------------------
# Theano's scalar kernels where they are not NumPy's


def _c_floordiv(x, y, comp):
    """Theano's C IntDiv for floats: floor(x / y) by sign cases, in the computing dtype."""
    x = np.asarray(x).astype(comp)
    y = np.asarray(y).astype(comp)
    with np.errstate(all="ignore"):
        pp = np.floor(x / y)
        mm = np.floor((-x) / (-y))
        pm = -np.floor(x / (-y)) - (np.fmod(x, -y) != 0)
        mp = -np.floor((-x) / y) - (np.fmod(-x, y) != 0)
    return np.where(y == 0, pp, np.where(y < 0, np.where(x < 0, mm, pm),
                                         np.where(x < 0, mp, pp)))


def _np_floordiv(x, y, comp):
    with np.errstate(all="ignore"):
        return np.floor_divide(np.asarray(x).astype(comp), np.asarray(y).astype(comp))


def _c_mod(x, y, comp):
    """Theano's C Mod for floats: fmod with Python's sign convention."""
    x = np.asarray(x).astype(comp)
    y = np.asarray(y).astype(comp)
    with np.errstate(all="ignore"):
        f = np.fmod(x, y)
        fmm = -np.fmod(-x, -y)
        fpm = np.fmod(x, -y)
        fmp = np.fmod(-x, y)
        pm = fpm + np.where(fpm != 0, y, 0)
        mp = -fmp + np.where(fmp != 0, y, 0)
    return np.where(y == 0, f, np.where(y < 0, np.where(x < 0, fmm, pm),
                                        np.where(x < 0, mp, f)))


def _np_mod(x, y, comp):
    with np.errstate(all="ignore"):
        return np.remainder(np.asarray(x).astype(comp), np.asarray(y).astype(comp))


def _c_maximum(x, y):
    with np.errstate(all="ignore"):
        return np.where(y > x, y, np.where(x >= y, x, np.nan))


def _c_minimum(x, y):
    with np.errstate(all="ignore"):
        return np.where(y < x, y, np.where(x <= y, x, np.nan))


def _sigmoid_exact(x):
    with np.errstate(all="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


_SIGMOID_C = {"float64": (-709.0, 19.0), "float32": (-88.0, 15.0)}
_SOFTPLUS_C = {"float64": (-745.0, 16.0), "float32": (-103.0, 14.0)}


def _sigmoid_variants(x, dtype):
    """sigmoid(x) by Theano's C kernel (clamped by input dtype), by its Python
    implementation (clamped at +-30) and exactly."""
    return [_sigmoid_clamped(x, *_SIGMOID_C.get(dtype, (-30.0, 30.0))),
            _sigmoid_clamped(x, -30.0, 30.0), _sigmoid_exact(x)]


def _softplus_variants(x, dtype):
    return [_softplus_clamped(x, *_SOFTPLUS_C.get(dtype, (-30.0, 30.0))),
            _softplus_clamped(x, -30.0, 30.0), _softplus_exact(x)]


def _sigmoid_clamped(x, lo, hi):
    with np.errstate(all="ignore"):
        return np.where(x < lo, 0.0, np.where(x > hi, 1.0, 1.0 / (1.0 + np.exp(-x))))


def _softplus_exact(x):
    with np.errstate(all="ignore"):
        return np.where(x > 30, x + np.log1p(np.exp(-x)), np.log1p(np.exp(x)))


def _softplus_clamped(x, lo, hi):
    with np.errstate(all="ignore"):
        return np.where(x < lo, 0.0, np.where(x > hi, x, np.log1p(np.exp(x))))


def _pow_specialised(x, c):
    """The value of x ** c after local_pow_specialize, or None when it does not apply."""
    with np.errstate(all="ignore"):
        if c == 0.5:
            return np.sqrt(x)
        if c == -0.5:
            return 1.0 / np.sqrt(x)
        if c == -1:
            return 1.0 / x
        if c == 2:
            return x * x
        if c == -2:
            return 1.0 / (x * x)
        if float(c).is_integer() and 0 < abs(c) <= 512:
            p = np.ones_like(x)
            for _ in range(int(abs(c))):
                p = p * x
            return p if c > 0 else 1.0 / p
    return None


def _logsumexp_theano(s):
    """log(sum(exp(x), axis)) as the stabilised form computes it: m + log(sum(exp(x - m)))
    with m = max(x) (NaN where m is infinite, as Theano's rewrite gives)."""
    x = _f64(s.args[0].args[0].v)
    axes, keepdims = s.params
    with np.errstate(all="ignore"):
        m = np.max(x, axis=axes, keepdims=True)
        r = np.squeeze(m, axis=axes) + np.log(np.sum(np.exp(x - m), axis=axes))
    if keepdims:
        r = np.reshape(r, s.v.shape)
    return r


def namespace(floatX="float64"):
    """A fresh Evaluator and its namespace: (ev, {'T': ..., 'np': numpy})."""
    ev = Evaluator(floatX)
    return ev, ev.namespace()
