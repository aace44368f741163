"""Elementwise nodes on a CUDA backend: one ``cupy.ElementwiseKernel`` per node (DESIGN §8.2).

A fused group (``Elemwise(Composite)``) or a single Elemwise becomes CUDA C source:

* ``in_params``  ``"float32 i0, float64 i1"`` (the node's input dtypes), ``out_params``
  ``"float64 o0"``;
* ``operation``  one statement per scalar node in the Composite's order, e.g.
  ``double t0 = exp((double)(i0)); double t1 = (t0 * i1); o0 = t1;``, each rendered from
  the op's declared C form (``op.c_form``, builders in scalar/c_forms.py) with the casts
  Theano's dtype rules imply (scalar/fixup.py: the same fix-ups the NumPy path applies,
  so both compute in the same precision);
* ``name``       ``theano_fused_<ops>_<8 hex of the source>`` (stable across processes,
  so CuPy's on-disk kernel cache is reused; readable in profilers);
* ``preamble``   helper functions for Python's floor division and modulo
  (``c_forms.PREAMBLE``).

The source is memoised per Composite (its key includes the dtypes); the kernel object
comes from ``backend.elementwise_kernel`` (memoised by source), so CuPy stays imported in
backend/ only and compiles each kernel once.  A group containing a scalar op without a C
form (declared ``c_forms.NoCForm``: special functions CUDA lacks, complex numbers; or
float16 values) runs its ``xp`` implementation instead: the same ufunc sequence as on
the CPU, on CuPy.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

import numpy as np

from ..scalar.c_forms import CTYPES, PREAMBLE, cast, convert, ctype
from ..scalar.composite import Composite
from ..scalar.dtype_casts import dtype_fixup, natural_dtype
from ..scalar.ops import Cast
from ..tensor.elemwise import node_scalar_op, with_size_checks

__all__ = [
    "KernelSource",
    "elemwise_runner",
    "has_c_form",
    "kernel_source",
    "node_expression",
    "node_kernel_source",
]


def node_expression(op, args, in_dtypes, out_dtype):
    """The C expression computing scalar `op` on `args` (C expressions of `in_dtypes`)
    with the value of `out_dtype`, or None when there is no C form."""
    in_dtypes = [str(d) for d in in_dtypes]
    out_dtype = str(out_dtype)
    if any(d not in CTYPES for d in in_dtypes + [out_dtype]):
        return None  # float16, complex
    form = op.c_form  # None for a Composite (never nested in kernels) or an undeclared op
    if form is None:
        return None
    casts, _cast_out = dtype_fixup(op, in_dtypes, out_dtype)
    eff = [c or d for c, d in zip(casts, in_dtypes)]
    args = [convert(x, d, e) for x, d, e in zip(args, in_dtypes, eff)]
    rt = out_dtype if isinstance(op, Cast) else natural_dtype(op, eff)
    if rt is None or rt not in CTYPES:
        return None
    body = form(args, eff, rt)
    if body is None:
        return None
    return body if rt == out_dtype else cast(body, out_dtype)


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
    sop = node_scalar_op(node)  # (an n-ary add/mul node: its Composite)
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

