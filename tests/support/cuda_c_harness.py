"""Run the CUDA C of an ElementwiseKernel on the CPU by compiling it with g++.

Machines without a GPU cannot run a ``cupy.ElementwiseKernel``, but the text of its
``operation`` and ``preamble`` is C++: this harness wraps it the way CuPy does (each
non-raw parameter is a reference to the current element, raw parameters are indexed by
the loop index ``i``) inside a plain loop, compiles that with g++ (no FMA contraction,
no fast-math, as the kernels are compiled with ``--fmad=false``), loads it with ctypes
and runs it on NumPy arrays with CuPy's broadcasting.  So tests can evaluate generated
kernel code and compare it with NumPy.

Functions that CUDA's math library has and the C library lacks (erfcx, erfinv, erfcinv,
cyl_bessel_i0/i1) are given simple stand-ins so that such kernels compile; results that
depend on them are not evidence (the GPU parity suite checks those).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile

import numpy as np

CXX = shutil.which("g++")

_CTYPE = {
    "bool": "bool", "int8": "signed char", "int16": "short", "int32": "int",
    "int64": "long long", "uint8": "unsigned char", "uint16": "unsigned short",
    "uint32": "unsigned int", "uint64": "unsigned long long", "float32": "float",
    "float64": "double",
}

_PRELUDE = r"""
#include <math.h>
#include <cmath>
#include <cstddef>
using namespace std;
#define __device__
#define __forceinline__ inline
/* Stand-ins for CUDA-only math functions (not accurate: compile-only support). */
static inline double erfcx(double x) { return exp(x * x) * erfc(x); }
static inline float erfcxf(float x) { return (float)erfcx((double)x); }
static inline double erfinv(double y) {
    if (y <= -1) return -HUGE_VAL;
    if (y >= 1) return HUGE_VAL;
    double x = 0;
    for (int k = 0; k < 100; ++k) x -= (erf(x) - y) / (1.1283791670955126 * exp(-x * x));
    return x;
}
static inline float erfinvf(float y) { return (float)erfinv((double)y); }
static inline double erfcinv(double y) { return erfinv(1 - y); }
static inline float erfcinvf(float y) { return (float)erfcinv((double)y); }
static inline double cyl_bessel_i0(double x) {
    double s = 1, t = 1;
    for (int k = 1; k < 200; ++k) { t *= (x / (2 * k)) * (x / (2 * k)); s += t; }
    return s;
}
static inline float cyl_bessel_i0f(float x) { return (float)cyl_bessel_i0((double)x); }
static inline double cyl_bessel_i1(double x) {
    double t = x / 2, s = t;
    for (int k = 1; k < 200; ++k) { t *= (x / 2) * (x / 2) / (k * (k + 1.0)); s += t; }
    return s;
}
static inline float cyl_bessel_i1f(float x) { return (float)cyl_bessel_i1((double)x); }
"""

_cache_dir = None
_libraries = {}


def available():
    """Whether g++ is on PATH (tests skip without it)."""
    return CXX is not None


def parse_params(text):
    """[(dtype, name, raw)] of an ElementwiseKernel parameter string."""
    params = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        words = item.split()
        raw = words[0] == "raw"
        dtype, name = words[-2], words[-1]
        params.append((str(np.dtype(dtype)), name, raw))
    return params


def _function(in_params, out_params, operation, name):
    ins, outs = parse_params(in_params), parse_params(out_params)
    args = ", ".join(f"{_CTYPE[d]} *_raw_{n}" for d, n, _ in ins + outs)
    body = []
    for d, n, raw in ins:
        if raw:
            body.append(f"const {_CTYPE[d]} *{n} = _raw_{n};")
        else:
            body.append(f"const {_CTYPE[d]} &{n} = _raw_{n}[i];")
    for d, n, raw in outs:
        if raw:
            body.append(f"{_CTYPE[d]} *{n} = _raw_{n};")
        else:
            body.append(f"{_CTYPE[d]} &{n} = _raw_{n}[i];")
    body.append(operation + ";")
    inner = "\n        ".join(body)
    return (f'extern "C" void {name}(ptrdiff_t _n, {args}) {{\n'
            f"    for (ptrdiff_t i = 0; i < _n; ++i) {{\n        {inner}\n    }}\n}}\n")


def source(in_params, out_params, operation, name="kernel", preamble=""):
    """The C++ translation unit for one kernel: ``void name(ptrdiff_t n, T* ...)``."""
    return f"{_PRELUDE}\n{preamble}\n{_function(in_params, out_params, operation, name)}"


_kernels = {}  # (in_params, out_params, operation, name, preamble) -> Kernel


def compile_kernels(specs):
    """Compile many kernels (tuples in_params, out_params, operation, name, preamble) in
    one g++ run (much faster than one run each); `compile_kernel` then finds them."""
    todo = []
    seen = set()
    for spec in specs:
        spec = tuple(spec)
        if spec not in _kernels and spec not in seen:
            seen.add(spec)
            todo.append(spec)
    if not todo:
        return
    preambles = list(dict.fromkeys(spec[4] for spec in todo))
    names = {}
    functions = []
    for k, (ins, outs, operation, name, _preamble) in enumerate(todo):
        cname = f"k{k}_{name}"  # unique even when two kernels share a name
        names[todo[k]] = cname
        functions.append(_function(ins, outs, operation, cname))
    text = "\n".join([_PRELUDE, *preambles, *functions])
    lib = _build(text, "batch")
    for spec, cname in names.items():
        _kernels[spec] = Kernel(getattr(lib, cname), parse_params(spec[0]),
                                parse_params(spec[1]))


def _build(text, label):
    key = hashlib.sha1(text.encode()).hexdigest()
    lib = _libraries.get(key)
    if lib is None:
        global _cache_dir
        if _cache_dir is None:
            _cache_dir = tempfile.mkdtemp(prefix="theano_compat_cuda_harness_")
        cpp = os.path.join(_cache_dir, f"{key}.cpp")
        so = os.path.join(_cache_dir, f"{key}.so")
        with open(cpp, "w") as f:
            f.write(text)
        result = subprocess.run(
            [CXX, "-O0", "-std=c++14", "-fPIC", "-shared", "-ffp-contract=off",
             "-fno-fast-math", "-w", "-o", so, cpp],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"g++ failed on kernel(s) {label}:\n{result.stderr[:4000]}")
        lib = _libraries[key] = ctypes.CDLL(so)
    return lib


def compile_kernel(in_params, out_params, operation, name="kernel", preamble=""):
    """A Python callable running the kernel (see `Kernel`); compiled once per source.
    The arguments are those of ``cupy.ElementwiseKernel``."""
    spec = (in_params, out_params, operation, name, preamble)
    kernel = _kernels.get(spec)
    if kernel is None:
        lib = _build(source(*spec), name)
        kernel = _kernels[spec] = Kernel(getattr(lib, name), parse_params(in_params),
                                         parse_params(out_params))
    return kernel


class Kernel:
    """Calls a compiled kernel like ``cupy.ElementwiseKernel.__call__`` on NumPy data:
    non-raw inputs (arrays or scalars) are broadcast together and converted to their
    parameter dtype; non-raw outputs are allocated with the broadcast shape unless given;
    raw arrays are passed as they are (C-contiguous); ``size=`` sets the loop length when
    every array is raw."""

    def __init__(self, fn, ins, outs):
        self.fn = fn
        self.ins, self.outs = ins, outs
        fn.restype = None

    def __call__(self, *args, size=None):
        nin = len(self.ins)
        if len(args) not in (nin, nin + len(self.outs)):
            raise TypeError(f"expected {nin} or {nin + len(self.outs)} arguments")
        ins, outs = list(args[:nin]), list(args[nin:])
        shapes = [np.shape(a) for a, (_, _, raw) in zip(ins, self.ins) if not raw]
        shapes += [np.shape(a) for a, (_, _, raw) in zip(outs, self.outs) if not raw]
        if size is not None:  # every array is raw: scalars are repeated over the loop
            shape = (int(size),)
        else:
            shape = np.broadcast_shapes(*shapes) if shapes else ()
        n = int(np.prod(shape))
        keep = []
        pointers = []
        for a, (dtype, _, raw) in zip(ins, self.ins):
            if raw:
                arr = np.asarray(a)
                if arr.dtype != dtype or not arr.flags.c_contiguous:
                    raise TypeError(f"raw input must be a C-contiguous {dtype} array")
            else:
                arr = np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=dtype), shape))
            keep.append(arr)
            pointers.append(arr.ctypes.data_as(ctypes.c_void_p))
        results = []
        for k, (dtype, _, raw) in enumerate(self.outs):
            if k < len(outs):
                arr = outs[k]
                if arr.dtype != dtype or not arr.flags.c_contiguous:
                    raise TypeError(f"output must be a C-contiguous {dtype} array")
                if not raw and arr.shape != shape:
                    raise ValueError("Out shape is mismatched")
            else:
                if raw:
                    raise ValueError("Output array size is Undecided")
                arr = np.empty(shape, dtype=dtype)
            results.append(arr)
            pointers.append(arr.ctypes.data_as(ctypes.c_void_p))
        self.fn(ctypes.c_ssize_t(n), *pointers)
        return results[0] if len(results) == 1 else tuple(results)
