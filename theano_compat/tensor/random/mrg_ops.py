"""Ops of Theano 1.0.5's MRG random streams (theano.sandbox.rng_mrg / .multinomial).

* `MRGUniform` (Theano's ``mrg_uniform``): (rstate, size) -> (new rstate, uniforms).
  The state is an ordinary int32 matrix input, and the advanced state an ordinary
  output; the streams class stores it in a shared variable whose ``default_update`` is
  that output, so the same node threads through ``scan`` as any other update.
* `BoxMuller`: the transcendental pieces of ``normal()`` evaluated the way Theano's C
  code did (libm in double precision, each result rounded to the sample dtype).
* `MultinomialFromUniform`, `ChoiceFromUniform`: turn uniforms into multinomial counts
  or draws without replacement with the cumulative-sum rule of Theano's C code.
* `DotModulo`: the legacy jump helper (A @ s mod m on two triples).

Every Op computes in ``impl(xp, ...)``; the few NumPy-only steps are marked.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from ...backend import for_module
from ...graph.basic import Apply, Constant
from ...graph.null import grad_undefined
from ...graph.op import Op
from ...scalar import dtypes as D
from . import glibc_math
from . import mrg31k3p as gen
from ..basic import (
    MakeVector,
    NotScalarConstantError,
    as_tensor_variable,
    get_scalar_constant_value,
    get_vector_length,
    sum_to_broadcast,
)
from ..type import TensorType

# ----------------------------------------------------------------------------- uniforms


def _constant_entries(size, ndim):
    """Known constant values of a size vector's entries (None where symbolic)."""
    if isinstance(size, Constant):
        return [int(v) for v in np.asarray(size.data).reshape(-1)][:ndim]
    entries = [None] * ndim
    if size.owner is not None and isinstance(size.owner.op, MakeVector):
        for k, e in enumerate(size.owner.inputs[:ndim]):
            with contextlib.suppress(NotScalarConstantError):
                entries[k] = int(get_scalar_constant_value(e))
    return entries


def _int_size(size):
    """`size` as a tensor; an empty one (``()``, a scalar sample, which
    as_tensor_variable makes a float64 vector) as an empty int64 vector."""
    if isinstance(size, (tuple, list)) and len(size) == 0:
        return as_tensor_variable(np.zeros(0, dtype="int64"))
    size = as_tensor_variable(size)
    if isinstance(size, Constant) and size.type.ndim == 1 and np.size(size.data) == 0:
        return as_tensor_variable(np.zeros(0, dtype="int64"))
    return size


class MRGUniform(Op):
    """Uniform draws from MRG31k3p streams: (rstate, size) -> (new_rstate, sample).

    ``rstate`` is an int32 (n_streams, 6) matrix; element i of the (C-order) sample
    comes from stream i % n_streams.  The output dtype (float16/32/64) is the
    ``output_type``'s.  Never in place: the new state is a fresh array.
    """

    __module__ = "theano.sandbox.rng_mrg"  # Theano's path: reprs and pickles
    __qualname__ = "mrg_uniform"

    __props__ = ("output_type", "inplace")

    def __init__(self, output_type, inplace=False):
        if inplace:
            raise NotImplementedError(
                "an in-place mrg_uniform is not supported: theano_compat never puts in-place "
                "Ops in the graph (buffer reuse is the linker's job); use inplace=False"
            )
        self.output_type = output_type
        self.inplace = False

    def make_node(self, rstate, size):
        rstate = as_tensor_variable(rstate)
        size = _int_size(size)
        if rstate.type.ndim != 2 or rstate.type.dtype != "int32":
            raise TypeError(f"mrg_uniform: rstate must be an int32 matrix, got {rstate.type}")
        if size.type.ndim != 1 or not size.type.dtype.startswith(("int", "uint")):
            raise TypeError(f"mrg_uniform: size must be an integer vector, got {size.type}")
        ndim = self.output_type.ndim
        try:
            length = get_vector_length(size)
        except ValueError:
            length = ndim  # symbolic length: checked when the size arrives
        if length != ndim:
            raise ValueError(f"mrg_uniform: size has {length} entries but ndim is {ndim}")
        bcast = tuple(v == 1 for v in _constant_entries(size, ndim))
        out = TensorType(self.output_type.dtype, bcast)()
        return Apply(self, [rstate, size], [rstate.type(), out])

    @classmethod
    def new(cls, rstate, ndim, dtype, size):
        """[new_rstate, sample] for a symbolic (rstate, size): Theano's mrg_uniform.new."""
        v_size = _int_size(size)
        if ndim is None:
            ndim = get_vector_length(v_size)
        return cls(TensorType(dtype, (False,) * ndim))(rstate, v_size)

    def impl(self, xp, rstate, size):
        if rstate.ndim != 2 or rstate.shape[1] != 6 or rstate.dtype != np.int32:
            raise ValueError(
                f"mrg_uniform: rstate must be an int32 array of shape (n_streams, 6), got "
                f"{rstate.dtype} {rstate.shape}"
            )
        shape = tuple(int(s) for s in size)  # host ints (a device sync on CuPy)
        if len(shape) != self.output_type.ndim:
            raise ValueError(
                f"mrg_uniform: size {shape} has {len(shape)} entries, the output has "
                f"{self.output_type.ndim} dimensions"
            )
        n_elements = math.prod(shape)
        if n_elements > gen.M1:
            raise ValueError("rng_mrg does not support more then (2**31 -1) samples")
        if xp is np:
            new_rstate, flat = gen.draw(xp, rstate, n_elements, self.output_type.dtype)
        else:  # a GPU: one thread per stream (the kernel of Theano's GPU mrg_uniform)
            new_rstate, flat = draw_with_kernel(for_module(xp), rstate, n_elements,
                                                self.output_type.dtype)
        return new_rstate, flat.reshape(shape)

    def infer_shape(self, node, shapes):
        size = node.inputs[1]
        return [shapes[0], tuple(size[k] for k in range(self.output_type.ndim))]

    def L_op(self, inputs, outputs, grads):
        return [grad_undefined(self, k, inp, "No gradient defined through random sampling op")
                for k, inp in enumerate(inputs)]

    def R_op(self, inputs, eval_points):
        return [None for _ in eval_points]

    def do_constant_folding(self, node):
        return False  # a draw is never a constant, even with a constant state

    def __str__(self):
        return f"mrg_uniform{{{self.output_type},no_inplace}}"


# The MRG31k3p draw as an elementwise kernel over streams (CUDA C, run by
# backend.elementwise_kernel): thread i advances stream i and writes the integer output
# of elements i, i + n_streams, ...; the same arithmetic as mrg31k3p.step, in 64-bit
# integers, so the bits equal the CPU path's.  Floats come from mrg31k3p.to_float.
MRG_KERNEL_IN = "raw int32 state_in, int64 n_streams, int64 n_elements"
MRG_KERNEL_OUT = "raw int32 state_out, raw int32 k_out"
MRG_KERNEL_NAME = "theano_mrg31k3p"
MRG_KERNEL_OPERATION = f"""
long long x10 = state_in[i * 6 + 0], x11 = state_in[i * 6 + 1], x12 = state_in[i * 6 + 2];
long long x20 = state_in[i * 6 + 3], x21 = state_in[i * 6 + 4], x22 = state_in[i * 6 + 5];
for (long long e = i; e < n_elements; e += n_streams) {{
    long long y1 = ((x11 << 22) + 129 * x12) % {gen.M1}LL;
    long long y2 = ((x20 << 15) + 32769 * x22) % {gen.M2}LL;
    x12 = x11; x11 = x10; x10 = y1;
    x22 = x21; x21 = x20; x20 = y2;
    long long k = y1 - y2;
    if (k <= 0) k += {gen.M1}LL;
    k_out[e] = (int)k;
}}
state_out[i * 6 + 0] = (int)x10; state_out[i * 6 + 1] = (int)x11;
state_out[i * 6 + 2] = (int)x12; state_out[i * 6 + 3] = (int)x20;
state_out[i * 6 + 4] = (int)x21; state_out[i * 6 + 5] = (int)x22;
"""


def draw_with_kernel(backend, rstate, n_elements, dtype):
    """`mrg31k3p.draw` on a device backend with one kernel launch: same results."""
    xp = backend.xp
    rstate = xp.ascontiguousarray(xp.asarray(rstate, dtype=np.int32))
    new_rstate = rstate.copy()  # rows that draw nothing keep their state
    if n_elements == 0:
        return new_rstate, xp.empty((0,), dtype=dtype)
    n_streams = rstate.shape[0]
    active = min(n_streams, n_elements)
    k = xp.empty((n_elements,), dtype=np.int32)
    kernel = backend.elementwise_kernel(MRG_KERNEL_IN, MRG_KERNEL_OUT, MRG_KERNEL_OPERATION,
                                        MRG_KERNEL_NAME)
    # Raw arguments are indexed flat: pass contiguous 1-d views of the (n_streams, 6) states.
    kernel(rstate.reshape(-1), np.int64(n_streams), np.int64(n_elements),
           new_rstate.reshape(-1), k, size=active)
    return new_rstate, gen.to_float(xp, k, dtype)


# ----------------------------------------------------------------------------- normal


def _unary(fn):
    return lambda xp, x: fn(x)


class BoxMuller(Op):
    """One factor of the Box-Muller transform, elementwise on uniforms u.

    part="radius": sqrt(-2 * log(u)); part="cos" / "sin": cos or sin of (2*pi) * u, with
    2*pi rounded to u's dtype.  Rounded as Theano's C code: the C library's log/cos/sin
    for float64 and logf/cosf/sinf for float32 (see `glibc_math`); NumPy's own kernels
    differ in the last bit for a fraction of the draws.
    """

    __props__ = ("part",)

    def __init__(self, part):
        if part not in ("radius", "cos", "sin"):
            raise ValueError(f"BoxMuller part must be radius, cos or sin, not {part!r}")
        self.part = part

    def make_node(self, u):
        u = as_tensor_variable(u)
        if u.type.dtype not in ("float16", "float32", "float64"):
            raise TypeError(f"BoxMuller needs float uniforms, got {u.type}")
        return Apply(self, [u], [u.type()])

    def impl(self, xp, u):
        dt = u.dtype
        if dt == np.float64:
            log, cos, sin = glibc_math.log64, _unary(xp.cos), _unary(xp.sin)
        else:  # float32 (float16 computes in float32, as Theano's C code promoted it)
            log, cos, sin = glibc_math.logf, glibc_math.cosf, glibc_math.sinf
        if self.part == "radius":
            m2log = log(xp, u).astype(dt) * dt.type(-2.0)  # exact: a power-of-two scaling
            return xp.sqrt(m2log)
        theta = u * dt.type(2.0 * np.pi)
        return (cos if self.part == "cos" else sin)(xp, theta).astype(dt)

    def infer_shape(self, node, shapes):
        return shapes

    def L_op(self, inputs, outputs, grads):
        return [grad_undefined(self, 0, inputs[0], "No gradient through random sampling")]

    def __str__(self):
        return f"BoxMuller{{{self.part}}}"


# ----------------------------------------------------------------------------- a*b + c


class FusedMultiplyAdd(Op):
    """a * b + c elementwise (broadcasting) with one rounding, in the inputs' dtype.

    Theano's C code for the scale-and-shift of its random draws (``u * (high - low) +
    low``, ``z * std + avg``) ran as one fused elementwise loop that GCC contracted into
    an FMA instruction; two NumPy ufuncs round twice and differ in the last bit for
    about a quarter of the draws.
    """

    __props__ = ()

    def make_node(self, a, b, c):
        a, b, c = (as_tensor_variable(v) for v in (a, b, c))
        dtype = D.upcast(a.type.dtype, b.type.dtype, c.type.dtype)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError(f"FusedMultiplyAdd needs float inputs, got {dtype}")
        ndim = max(v.type.ndim for v in (a, b, c))
        padded = [(True,) * (ndim - v.type.ndim) + v.type.broadcastable for v in (a, b, c)]
        bcast = tuple(all(p[k] for p in padded) for k in range(ndim))
        return Apply(self, [a, b, c], [TensorType(dtype, bcast)()])

    def impl(self, xp, a, b, c):
        dtype = np.result_type(a.dtype, b.dtype, c.dtype)
        return glibc_math.fma(xp, a, b, c).astype(dtype, copy=False)

    def L_op(self, inputs, outputs, grads):
        a, b, c = inputs
        (g,) = grads
        return [sum_to_broadcast(g * b, a), sum_to_broadcast(g * a, b), sum_to_broadcast(g, c)]

    def __str__(self):
        return "FusedMultiplyAdd"


fused_multiply_add = FusedMultiplyAdd()


# ----------------------------------------------------------------------------- multinomial


def _first_above(cumsum, u):
    """(index, found): the first column m with cumsum[b, m] > u[b] (Theano's strict >)."""
    above = cumsum > u[:, None]
    return above.argmax(axis=1), above.any(axis=1)


class MultinomialFromUniform(Op):
    """Counts (B, K): n draws per row of pvals (B, K) from the uniforms unis (B*n,).

    Draw c of row b uses unis[c*B + b] and lands on the first outcome m whose running
    sum of pvals[b, :m+1], accumulated in double, exceeds it (no outcome: no count).
    """

    __module__ = "theano.sandbox.multinomial"  # Theano's path: reprs and pickles

    __props__ = ("odtype",)

    def __init__(self, odtype):
        self.odtype = odtype

    def make_node(self, pvals, unis, n=1):
        pvals = as_tensor_variable(pvals)
        unis = as_tensor_variable(unis)
        n = as_tensor_variable(n)
        if pvals.type.ndim != 2:
            raise NotImplementedError(
                f"pvals ndim should be 2, got {pvals.type.ndim} (Theano 1.0.5's limit); "
                "reshape pvals to (rows, categories)")
        if unis.type.ndim != 1:
            raise NotImplementedError(
                f"unis ndim should be 1, got {unis.type.ndim} (Theano 1.0.5's limit); "
                "flatten the uniform draws first")
        if n.type.ndim != 0:
            raise TypeError(f"n must be a scalar, got {n.type}")
        odtype = pvals.type.dtype if self.odtype == "auto" else self.odtype
        out = TensorType(odtype, pvals.type.broadcastable)()
        return Apply(self, [pvals, unis, n], [out])

    def impl(self, xp, pvals, unis, n=1):
        # n defaults to 1: graphs pickled before Theano added the input have two inputs.
        n = int(n)
        n_rows = pvals.shape[0]
        if unis.shape[0] != n_rows * n:
            raise ValueError("unis.shape[0] != pvals.shape[0] * n", unis.shape[0], n_rows, n)
        cumsum = xp.cumsum(pvals.astype(np.float64), axis=1)
        u = unis.astype(np.float64).reshape(n, n_rows)
        counts = xp.zeros(pvals.shape, dtype=np.int64)
        rows = xp.arange(n_rows)
        for c in range(n):  # a loop over draws per row, vectorised over rows
            m, found = _first_above(cumsum, u[c])
            counts[rows, m] += found
        return counts.astype(self.odtype if self.odtype != "auto" else pvals.dtype)

    def infer_shape(self, node, shapes):
        return [shapes[0]]

    def L_op(self, inputs, outputs, grads):
        return [grad_undefined(self, k, inp, "No gradient through random sampling")
                for k, inp in enumerate(inputs)]

    def __str__(self):
        return f"{type(self).__name__}{{{self.odtype}}}"


class ChoiceFromUniform(MultinomialFromUniform):
    """Indices (B, n): n draws without replacement per row of p (B, K) from unis (B*n,).

    As `MultinomialFromUniform`, and after each draw but the last the chosen
    probability is set to 0 and the row renormalised, in p's dtype, exactly as Theano's
    C code: sum = (running double sum - p[m]) rounded to the dtype, plus p[m+1:] one by
    one in the dtype; then p /= sum.
    """

    __module__ = "theano.sandbox.multinomial"  # Theano's path: reprs and pickles

    __props__ = ("odtype", "replace")

    def __init__(self, odtype, replace=False):
        super().__init__(odtype)
        self.replace = replace

    def make_node(self, pvals, unis, n=1):
        node = super().make_node(pvals, unis, n)
        odtype = "int64" if self.odtype == "auto" else self.odtype
        out = TensorType(odtype, node.inputs[0].type.broadcastable)()
        return Apply(self, node.inputs, [out])

    def impl(self, xp, pvals, unis, n):
        n = int(n)
        n_rows, n_outcomes = pvals.shape
        if n > n_outcomes:
            raise ValueError("Cannot sample without replacement n samples bigger than the "
                             "size of the distribution.")
        if unis.shape[0] != n_rows * n:
            raise ValueError("unis.shape[0] != pvals.shape[0] * n", unis.shape[0], n_rows, n)
        odtype = "int64" if self.odtype == "auto" else self.odtype
        p = pvals.copy()
        dt = p.dtype
        u = unis.astype(np.float64).reshape(n, n_rows)
        out = xp.full((n_rows, n), -1, dtype=odtype)
        rows = xp.arange(n_rows)
        cols = xp.arange(n_outcomes)
        for c in range(n):  # a loop over draws, vectorised over rows
            cumsum = xp.cumsum(p.astype(np.float64), axis=1)
            m, found = _first_above(cumsum, u[c])
            out[found, c] = m[found]
            if c == n - 1 or self.replace:
                continue
            rows_f, m_f = rows[found], m[found]
            head = (cumsum[rows_f, m_f] - p[rows_f, m_f].astype(np.float64)).astype(dt)
            p[rows_f, m_f] = 0
            # The C loop adds p[m], ..., p[K-1] to `head` one at a time in the dtype:
            # a sequential accumulate; entries before m are masked to 0 (adding 0 is exact).
            tail = xp.where(cols[None, :] > m_f[:, None], p[rows_f], dt.type(0))
            seq = xp.concatenate([head[:, None], tail], axis=1)
            total = xp.cumsum(seq, axis=1, dtype=dt)[:, -1]
            p[rows_f] = p[rows_f] / total[:, None]
        return out

    def infer_shape(self, node, shapes):
        return [(shapes[0][0], node.inputs[2])]


# ----------------------------------------------------------------------------- jumps


class DotModulo(Op):
    """concat((A @ s) mod m, (A2 @ s2) mod m2) for int64 3x3 matrices and int32 triples.

    Theano's helper for jumping a stream state ahead (rng_mrg.multMatVect).
    """

    __module__ = "theano.sandbox.rng_mrg"  # Theano's path: reprs and pickles

    __props__ = ()

    def make_node(self, A, s, m, A2, s2, m2):  # noqa: N803 - Theano's argument names
        inputs = [as_tensor_variable(v) for v in (A, s, m, A2, s2, m2)]
        return Apply(self, inputs, [inputs[1].type()])

    def impl(self, xp, A, s, m, A2, s2, m2):  # noqa: N803
        first = gen.mat_vec_mod(xp, A, s, int(m))
        second = gen.mat_vec_mod(xp, A2, s2, int(m2))
        return xp.concatenate([first, second]).astype(s.dtype)
