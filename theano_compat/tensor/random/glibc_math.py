"""Elementwise math with the exact rounding of the C code Theano 1.0.5 compiled.

Theano's C kernels called the C library (glibc): ``log``/``cos``/``sin`` in double for
float64 data and, C++ overloads being what they are, ``logf``/``cosf``/``sinf`` for
float32 data; and GCC contracted ``a * b + c`` into one fused multiply-add (FMA, one
rounding) on the machines Theano tuned itself for (``-march=native``).  NumPy's own
SIMD kernels round differently in the last bit for a fraction of inputs, which breaks
bit-exact reproduction of Theano's random streams.  This module gives vectorised
versions that round as the C code did:

* `fma`: a * b + c with a single rounding (float32 and float64).
* `log64`: glibc's double ``log``.
* `logf`, `sinf`, `cosf`: glibc's float functions (the algorithms glibc has used since
  2.28, from Arm's optimized-routines: a double-precision polynomial rounded once to
  float).  Reimplemented here from their published description and coefficient tables;
  differences in the double-precision intermediate (for example FMA contraction inside
  glibc) move the float result only when it lies within a few 2**-52 of a rounding
  boundary, about once in 10**8 values.

All functions take the array module ``xp``; the one NumPy-only step is marked.
"""

from __future__ import annotations

import math

import numpy as np

_h = float.fromhex  # C99 hex float literals, as the constants are published

# ----------------------------------------------------------------------------- FMA


def _two_sum(a, b):
    """(s, e) with s = fl(a + b) and s + e == a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    """Veltkamp split of float64 a into hi + lo with 26-bit halves."""
    t = 134217729.0 * a  # 2**27 + 1
    hi = t - (t - a)
    return hi, a - hi


def _two_prod(a, b):
    """(p, e) with p = fl(a * b) and p + e == a * b exactly (Dekker)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _add_round_to_odd(xp, a, b):
    """a + b rounded to odd: inexact results get an odd last significand bit."""
    s, e = _two_sum(a, b)
    even = (s.view(np.int64) & 1) == 0
    toward = xp.where(e > 0, np.inf, -np.inf)
    return xp.where((e != 0) & even, xp.nextafter(s, toward), s)


def _fma64(xp, a, b, c):
    # Boldo and Melquiond (2008): RN(th + RO(tl + ul)) with a*b = uh + ul and
    # (th, tl) = TwoSum(c, uh) is the correctly rounded a*b + c (no over/underflow).
    uh, ul = _two_prod(a, b)
    th, tl = _two_sum(c, uh)
    return th + _add_round_to_odd(xp, tl, ul)


def _fma32(xp, a, b, c):
    # a*b is exact in double; fl64(p + c) rounds again to float32 correctly except when
    # it lands exactly on a float32 midpoint with a non-zero error: then step toward
    # the exact value first.
    p = a.astype(np.float64) * b.astype(np.float64)
    s, e = _two_sum(p, c.astype(np.float64))
    low_bits = s.view(np.int64) & 0x1FFFFFFF  # the 29 bits float32 drops
    on_midpoint = (low_bits == 0x10000000) & (e != 0)
    toward = xp.where(e > 0, np.inf, -np.inf)
    s = xp.where(on_midpoint, xp.nextafter(s, toward), s)
    return s.astype(np.float32)


def _exact_product_shortcut(xp, a, b, c, dtype):
    """a * b + c when one rounding is trivially enough (scalar b, c), else None.

    b a power of two (1 included) makes a * b exact, so a * b + c rounds once; c == 0
    leaves the single rounding of a * b.  These are the defaults of uniform() and
    normal() (scale 1, shift 0), which then cost one or two ufuncs.
    """
    if b.ndim or c.ndim:
        return None
    bv, cv = float(b), float(c)
    if bv != 0 and math.isfinite(bv) and math.frexp(bv)[0] in (0.5, -0.5):
        return (a * b.astype(dtype) + c.astype(dtype)).astype(dtype, copy=False)
    if cv == 0 and not math.copysign(1.0, cv) < 0:
        return (a * b.astype(dtype) + c.astype(dtype)).astype(dtype, copy=False)
    return None


def fma(xp, a, b, c):
    """a * b + c rounded once (broadcasting), in the common float dtype of a, b, c."""
    a, b, c = xp.asarray(a), xp.asarray(b), xp.asarray(c)
    dtype = np.result_type(a.dtype, b.dtype, c.dtype)
    if dtype in (np.float64, np.float32, np.float16):
        quick = _exact_product_shortcut(xp, a.astype(dtype, copy=False), b, c, dtype)
        if quick is not None:
            return quick
    a, b, c = xp.broadcast_arrays(a, b, c)
    if dtype == np.float64:
        a, b, c = (v.astype(np.float64) for v in (a, b, c))
        with np.errstate(all="ignore"):
            out = _fma64(xp, a, b, c)
            plain = a * b + c
        # Infinities and NaNs (and overflow in the splitting) follow plain arithmetic.
        return xp.where(xp.isfinite(plain) & xp.isfinite(out), out, plain)
    if dtype in (np.float32, np.float16):
        with np.errstate(all="ignore"):
            out = _fma32(xp, a, b, c)
        return out.astype(dtype)
    return a * b + c


# ----------------------------------------------------------------------------- log


def log64(xp, x):
    """glibc's double ``log`` of a float64 array.

    Taken from an extended-precision log where that rounds unambiguously (glibc's log
    is within 0.52 ulp, so it rounds the same way); the values within 0.03 ulp of a
    rounding boundary, about one in sixteen, are recomputed with ``math.log`` (the C
    library's).  NumPy only; another array module gets ``xp.log``.
    """
    if xp is not np or np.finfo(np.longdouble).nmant <= 52:
        return xp.log(x)
    with np.errstate(all="ignore"):
        wide = np.log(x.astype(np.longdouble))
        out = wide.astype(np.float64)
        # Distance of the wide value from the rounded one, in ulps (0.5 = a tie).
        off = np.abs((wide - out).astype(np.float64) / np.spacing(out))
    unsure = ~(off < 0.47)  # includes NaN: x <= 0, inf, nan
    if unsure.any():
        # NumPy-only fix-up, one C library call per near-tie value: a vectorised copy of
        # glibc's double log would need its 128-entry tables.
        idx = np.flatnonzero(unsure)
        vals = x[idx]
        with np.errstate(all="ignore"):
            out[idx] = np.log(vals)  # IEEE special values for x <= 0, inf, nan
        ok = (vals > 0) & np.isfinite(vals)
        out[idx[ok]] = [math.log(v) for v in vals[ok].tolist()]
    return out


# glibc logf: x = 2**k * z with z in [0x3f330000, 2 * 0x3f330000); 16 subintervals, each
# with c near its centre (invc = 1/c, logc = log(c)); log1p(z/c - 1) by a cubic.
_LOGF_OFF = 0x3F330000
_LOGF_INVC = np.array([_h(v) for v in (
    "0x1.661ec79f8f3bep+0", "0x1.571ed4aaf883dp+0", "0x1.49539f0f010bp+0", "0x1.3c995b0b80385p+0",
    "0x1.30d190c8864a5p+0", "0x1.25e227b0b8eap+0", "0x1.1bb4a4a1a343fp+0", "0x1.12358f08ae5bap+0",
    "0x1.0953f419900a7p+0", "0x1p+0", "0x1.e608cfd9a47acp-1", "0x1.ca4b31f026aap-1",
    "0x1.b2036576afce6p-1", "0x1.9c2d163a1aa2dp-1", "0x1.886e6037841edp-1", "0x1.767dcf5534862p-1",
)])
_LOGF_LOGC = np.array([_h(v) for v in (
    "-0x1.57bf7808caadep-2", "-0x1.2bef0a7c06ddbp-2", "-0x1.01eae7f513a67p-2",
    "-0x1.b31d8a68224e9p-3", "-0x1.6574f0ac07758p-3", "-0x1.1aa2bc79c81p-3",
    "-0x1.a4e76ce8c0e5ep-4", "-0x1.1973c5a611cccp-4", "-0x1.252f438e10c1ep-5", "0x0p+0",
    "0x1.aa5aa5df25984p-5", "0x1.c5e53aa362eb4p-4", "0x1.526e57720db08p-3",
    "0x1.bc2860d22477p-3", "0x1.1058bc8a07ee1p-2", "0x1.4043057b6ee09p-2",
)])
_LOGF_POLY = tuple(_h(v) for v in ("-0x1.00ea348b88334p-2", "0x1.5575b0be00b6ap-2",
                                   "-0x1.ffffef20a4123p-2"))
_LN2 = _h("0x1.62e42fefa39efp-1")


def logf(xp, x):
    """glibc's ``logf`` of a float32 array (float32 result)."""
    x = x.astype(np.float32)
    ix = x.view(np.uint32)
    normal = (ix >= 0x00800000) & (ix < 0x7F800000)
    subnormal = (ix > 0) & (ix < 0x00800000)
    # Subnormals are scaled by 2**23 and their exponent corrected afterwards.
    scaled = (x * np.float32(2.0**23)).view(np.uint32) - np.uint32(23 << 23)
    ix = xp.where(subnormal, scaled, xp.where(normal, ix, np.uint32(0x3F800000)))
    tmp = ix - np.uint32(_LOGF_OFF)  # wraps like C's uint32_t
    i = ((tmp >> 19) % 16).astype(np.intp)
    k = (tmp.view(np.int32) >> 23).astype(np.float64)
    iz = ix - (tmp & np.uint32(0x1FF << 23))
    z = iz.view(np.float32).astype(np.float64)
    invc = xp.asarray(_LOGF_INVC)[i]
    logc = xp.asarray(_LOGF_LOGC)[i]
    a0, a1, a2 = _LOGF_POLY
    r = z * invc - 1.0
    y0 = logc + k * _LN2
    r2 = r * r
    y = a1 * r + a2
    y = a0 * r2 + y
    y = y * r2 + (y0 + r)
    out = y.astype(np.float32)
    special = ~(normal | subnormal)  # 0, negatives, inf, nan: IEEE values
    if special.any():
        with np.errstate(all="ignore"):
            out = xp.where(special, xp.log(x.astype(np.float64)).astype(np.float32), out)
    return xp.where(x == np.float32(1.0), np.float32(0.0), out)


# ----------------------------------------------------------------------------- sin, cos

# glibc sinf/cosf: |x| < 0.75 (top-12-bit test against pi/4) uses the polynomials
# directly; |x| < 120 reduces by the nearest multiple of pi/2 in double (quadrant n);
# the quadrant picks the sine or cosine polynomial and the sign.
_HPI_INV = _h("0x1.45F306DC9C883p+23")  # 2/pi * 2**24
_HPI = _h("0x1.921FB54442D18p0")  # pi/2
_COS_POLY = tuple(_h(v) for v in ("0x1p0", "-0x1.ffffffd0c621cp-2", "0x1.55553e1068f19p-5",
                                   "-0x1.6c087e89a359dp-10", "0x1.99343027bf8c3p-16"))
_SIN_POLY = tuple(_h(v) for v in ("-0x1.555545995a603p-3", "0x1.1107605230bc4p-7",
                                  "-0x1.994eb3774cf24p-13"))
_QUADRANT_SIGN = np.array([1.0, -1.0, -1.0, 1.0])
_TOP12_PIO4 = 0x3F4  # abstop12(float(pi/4))
_TOP12_TINY = 0x398  # abstop12(2**-12)
_TOP12_120 = 0x42F  # abstop12(120.0)


def _sin_poly(x, x2):
    s1, s2, s3 = _SIN_POLY
    x3 = x * x2
    x7 = x3 * x2
    return (x + x3 * s1) + x7 * (s2 + x2 * s3)


def _cos_poly(x2):
    c0, c1, c2, c3, c4 = _COS_POLY
    x4 = x2 * x2
    x6 = x4 * x2
    return ((c0 + x2 * c1) + x4 * c2) + x6 * (c3 + x2 * c4)


def _sincosf(xp, y, cosine):
    y = y.astype(np.float32)
    top = (y.view(np.uint32) >> 20) & 0x7FF
    small = top < _TOP12_PIO4
    reduced = ~small & (top < _TOP12_120)
    x = y.astype(np.float64)
    # Reduction (only where it applies, so the int32 conversion cannot overflow).
    xr_in = xp.where(reduced, x, 0.0)
    n = ((xp.trunc(xr_in * _HPI_INV).astype(np.int32) + 0x800000) >> 24)
    xr = xr_in - n.astype(np.float64) * _HPI
    quadrant = xp.where(reduced, n, 0)
    xv = xp.where(reduced, xr * xp.asarray(_QUADRANT_SIGN)[quadrant & 3], x)
    x2 = xp.where(reduced, xr * xr, x * x)
    use_cos = ((quadrant & 1) == 0) == cosine  # cosine: odd quadrant flips to sine
    # Quadrants 2 and 3 use the negated cosine polynomial (negation is exact).
    cos_sign = xp.where(reduced & ((quadrant & 2) != 0), -1.0, 1.0)
    result = xp.where(use_cos, cos_sign * _cos_poly(x2), _sin_poly(xv, x2)).astype(np.float32)
    tiny = top < _TOP12_TINY
    result = xp.where(tiny, np.float32(1.0) if cosine else y, result)
    large = ~small & ~reduced  # |y| >= 120, inf, nan: not glibc's reduction
    if large.any():
        fn = xp.cos if cosine else xp.sin
        result = xp.where(large, fn(x).astype(np.float32), result)
    return result


def sinf(xp, y):
    """glibc's ``sinf`` of a float32 array (exact for |y| < 120)."""
    return _sincosf(xp, y, cosine=False)


def cosf(xp, y):
    """glibc's ``cosf`` of a float32 array (exact for |y| < 120)."""
    return _sincosf(xp, y, cosine=True)
