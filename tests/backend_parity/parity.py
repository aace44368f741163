"""NumPy-versus-device parity checks, shared by the GPU suite and the fake-device tests.

For one case of tests/unit/test_op_coverage.py's CASES table (every Op of the library is
on the differentiated path of some case) and one dtype:

* `check_nodes`: every Apply node of the case's graph and of its gradient graph, as
  built (no rewrites), is run with its NumPy implementation and with the device
  backend's (elementwise nodes through their CUDA kernel), on the same input values;
  the results must agree.  This is "each Op's impl on NumPy vs CuPy", node by node.
* `check_function`: the case's output and gradients compiled by ``theano.function``
  (FAST_RUN: fusion, kernels, device placement of inputs, constants and outputs) on the
  CPU and on the device; the outputs must agree.

Tolerances: float64 rtol 1e-9 (GPU reductions sum in another order; CUDA's libm differs
from glibc by an ulp or two), float32 rtol 1e-4, atol scaled by the values' size.
"""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import theano.tensor as T

import theano
from tests.unit.test_op_coverage import CASES, _symbolic_inputs
from theano_compat import backend as B
from theano_compat.compile.inner import inner_compiler
from theano_compat.compile.mode import Mode
from theano_compat.graph.basic import Constant, io_toposort
from theano_compat.graph.op import runner_for
from theano_compat.link.device import DevicePlan

TOL = {"float64": (1e-9, 1e-11), "float32": (1e-4, 1e-5)}


def case_params():
    """(name, dtype) of every case of the coverage table."""
    return [(name, dtype) for name, case in CASES.items() for dtype in case.dtypes]


def _graph(name, dtype):
    case = CASES[name]
    rng = np.random.RandomState(zlib.crc32(name.encode()) + 7)
    values = case.values(rng, dtype)
    inputs = _symbolic_inputs(case, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = case.fun(*inputs)
        grads = T.grad(T.sum(out), inputs, disconnected_inputs="ignore")
    return inputs, [out] + list(grads), values


def assert_close(got, want, dtype, what):
    got_h = B.to_host(got)
    assert not B.is_device_array(got_h), what
    got_h, want = np.asarray(got_h), np.asarray(want)
    assert got_h.shape == want.shape, (what, got_h.shape, want.shape)
    assert got_h.dtype == want.dtype, (what, got_h.dtype, want.dtype)
    if want.dtype.kind in "fc":
        rtol, atol = TOL.get(str(want.dtype), TOL["float32"])
        scale = max(1.0, float(np.max(np.abs(want[np.isfinite(want)]), initial=0.0)))
        np.testing.assert_allclose(got_h, want, rtol=rtol, atol=atol * scale, err_msg=what)
    else:
        np.testing.assert_array_equal(got_h, want, err_msg=what)


def check_function(name, dtype, device):
    """Compile the case (output and gradients) on the CPU and on `device`; compare."""
    inputs, outputs, values = _graph(name, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with B.using(B.CPU_BACKEND):  # the reference, whatever THEANO_FLAGS selected
            f_cpu = theano.function(inputs, outputs, on_unused_input="ignore")
        with B.using(device):
            f_dev = theano.function(inputs, outputs, on_unused_input="ignore")
        want = f_cpu(*values)
        got = f_dev(*values)
        # The same call with device arrays as inputs gives the same results.
        got_dev_in = f_dev(*[device.asarray(v) for v in values])
    for k, (g, g2, w) in enumerate(zip(got, got_dev_in, want)):
        assert type(g) is np.ndarray, (name, k, type(g))  # outputs come back as NumPy
        assert_close(g, w, dtype, f"{name}[{dtype}] output {k}")
        assert_close(g2, w, dtype, f"{name}[{dtype}] output {k} (device inputs)")
    return f_dev


def check_nodes(name, dtype, device):
    """Run every node of the case's (unrewritten) graph on NumPy and on `device`."""
    inputs, outputs, values = _graph(name, dtype)
    nodes = io_toposort(inputs, outputs)
    variables = []
    seen = set()
    for node in nodes:
        for v in node.inputs:
            if not isinstance(v, Constant) and id(v) not in seen and v not in inputs:
                seen.add(id(v))
                variables.append(v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with B.using(B.CPU_BACKEND):
            f = theano.function(inputs, variables, mode=Mode(optimizer=None),
                                on_unused_input="ignore")
        computed = f(*values) if variables else []
    value_of = {id(v): x for v, x in zip(inputs, values)}
    value_of.update({id(v): x for v, x in zip(variables, computed)})
    cpu_inner = inner_compiler(Mode(), B.CPU_BACKEND)
    dev_inner = inner_compiler(Mode(), device)
    checked = 0
    for node in nodes:
        args = [v.data if isinstance(v, Constant) else value_of[id(v)] for v in node.inputs]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = runner_for(node.op, node, np, cpu_inner)(*args)
            plan = DevicePlan([node], [], device)
            on_host = node in plan.host_nodes  # shape arithmetic, perform-only Ops
            got = plan.runner(node, dev_inner)(*[
                device.asarray(a) if isinstance(a, np.ndarray) and not on_host else a
                for a in args])
        wants = want if isinstance(want, (tuple, list)) else [want]
        gots = got if isinstance(got, (tuple, list)) else [got]
        assert len(wants) == len(gots), (name, node)
        for k, (g, w) in enumerate(zip(gots, wants)):
            if isinstance(w, np.ndarray) or np.isscalar(w):
                assert_close(g, w, dtype, f"{name}[{dtype}] node {node.op} output {k}")
        checked += 1
    return checked


# ----------------------------------------------------------------------------- forward only
# The Ops the coverage table exempts from gradient checks (integer or boolean outputs,
# random sampling, complex numbers, decompositions without gradients) are compared
# forward: each entry builds outputs from symbolic inputs and gives the input values.


def _vals(seed, *shapes, kind="float64"):
    rng = np.random.RandomState(seed)
    out = []
    for shape in shapes:
        v = rng.uniform(-2, 2, size=shape)
        out.append(v.astype(kind) if kind.startswith("float") else
                   rng.randint(-9, 10, size=shape).astype(kind))
    return out


def _forward_cases():
    from theano.sandbox.rng_mrg import MRG_RandomStreams
    from theano.tensor import extra_ops as E
    from theano.tensor import nlinalg as N
    from theano.tensor.shared_randomstreams import RandomStreams

    from theano_compat.scalar import ops as S
    from theano_compat.tensor.elemwise import elemwise_of
    from theano_compat.tensor.blas_c import CGemv, CGer
    from theano_compat.tensor.random.mrg_ops import DotModulo
    from theano_compat.tensor.signal.pool import MaxPoolRop

    x, y = T.dvectors("x", "y")
    m = T.dmatrix("m")
    a, b = T.ivectors("a", "b")
    z = T.zvector("z")
    xv = np.array([0.0, -1.5, 2.0, np.nan, np.inf, 1.0, -0.0, 3.0])
    yv = np.array([0.0, 2.0, 2.0, 1.0, np.inf, -1.0, 0.0, 0.5])
    mv = _vals(1, (3, 3))[0] + 3 * np.eye(3)
    av, bv = _vals(2, (8,), (8,), kind="int32")

    def mrg():
        srng = MRG_RandomStreams(seed=321)
        return [srng.uniform((5, 7), dtype="float32"), srng.normal((6,), dtype="float64"),
                srng.multinomial(pvals=T.nnet.softmax(m), dtype="int64"),
                srng.choice(size=1, replace=False, p=T.nnet.softmax(m)[:1])]

    return {
        "comparisons": ([x, y], lambda: [x < y, x > y, x <= y, x >= y, T.eq(x, y),
                                         T.neq(x, y), T.isnan(x / y), T.isinf(x / y)],
                        [xv, yv]),
        "bitwise": ([a, b], lambda: [a & b, a | b, a ^ b, ~a, T.eq(a, b) | (a > 0)], [av, bv]),
        "shapes": ([m], lambda: [m.shape, m.shape[0] * 2, T.eye(3, 4, 1), T.tri(3, 4, -1),
                                 T.arange(m.shape[0]) * 2], [mv]),
        "mean_default": ([m], lambda: [T.Mean(1)(m), T.Mean()(m), T.default(m, m * 2)],
                         [mv]),
        "reductions": ([m], lambda: [T.all(m > 0, axis=1), T.any(m > 2), T.argmax(m, axis=0),
                                     T.max_and_argmax(m, axis=1)[1]], [mv]),
        "nonzero": ([x], lambda: list(T.nonzero(T.gt(x, 0))), [xv[np.isfinite(xv)]]),
        "searchsorted": ([x, y], lambda: [E.searchsorted(x, y)], [np.sort(_vals(3, (6,))[0]),
                                                                  _vals(4, (5,))[0]]),
        "unique": ([a], lambda: [E.unique(a)], [av]),
        "ravel_unravel": ([a], lambda: [E.ravel_multi_index([abs(a) % 3, abs(a) % 4], (3, 4)),
                                        E.unravel_index(abs(a), (3, 4))[1]], [av]),
        "bartlett": ([], lambda: [E.bartlett(5)], []),
        "complex": ([z], lambda: [T.real(z), T.imag(z), T.conj(z)],
                    [np.array([1 + 2j, -3.5 + 0.5j])]),
        "tri_gamma": ([x], lambda: [elemwise_of(S.tri_gamma)(x)], [np.array([0.5, 1.0, 3.0])]),
        "incomplete_gamma": ([x, y], lambda: [T.gammainc(x, y), T.gammaincc(x, y),
                                              T.gammau(x, y), T.gammal(x, y), T.chi2sf(y, x)],
                             [np.array([0.5, 1.0, 3.0]), np.array([0.2, 1.5, 2.5])]),
        "complex_builders": ([x, y], lambda: [T.complex(x, y), T.complex_from_polar(x, y)],
                             [np.array([0.5, 1.0, 3.0]), np.array([0.2, -1.5, 2.5])]),
        "choose": ([a, x, y], lambda: [T.choose(abs(a) % 2, [x, y])],
                   [av, _vals(5, (8,))[0], _vals(6, (8,))[0]]),
        "decompositions": ([m], lambda: [N.svd(m, compute_uv=False), N.qr(m, mode="r"),
                                         N.tensorinv(m, ind=1), N.tensorsolve(m, m[0]),
                                         N.lstsq()(m, m[0], -1)[0]], [mv]),
        "eig": ([m], lambda: [T.sort(N.eig(m + m.T)[0])], [mv]),
        "mrg": ([m], mrg, [mv]),
        "dot_modulo": ([a, b], lambda: [DotModulo()(
            np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype="int64"), abs(a[:3]), 2147483647,
            np.array([[2, 0, 1], [0, 1, 0], [1, 0, 2]], dtype="int64"), abs(b[:3]),
            2147462579)], [av, bv]),
        "random_streams": ([], lambda: [RandomStreams(seed=7).normal((3, 2))], []),
        "c_blas": ([m, x], lambda: [
            CGemv(inplace=False)(x[:3], np.float64(2.0), m, x[3:6] * 0 + 1.5, np.float64(0.5)),
            CGer(destructive=False)(m, np.float64(0.5), x[:3], x[3:6] * 0 + 2.0)],
            [mv, _vals(7, (8,))[0]]),
        "max_pool_rop": ([m], lambda: [MaxPoolRop(ignore_border=True)(
            m.reshape((1, 1, 3, 3)), m.reshape((1, 1, 3, 3)) * 2.0, (2, 2), (1, 1), (0, 0))],
            [mv]),
    }


def forward_names():
    return sorted(_forward_cases())


def check_forward(name, device):
    """The forward case compiled on the CPU and on `device`: same outputs (random draws:
    the same bits)."""
    inputs, build, values = _forward_cases()[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with B.using(B.CPU_BACKEND):
            f_cpu = theano.function(inputs, build())
        with B.using(device):
            f_dev = theano.function(inputs, build())
        want = [f_cpu(*values) for _ in range(2)]  # two calls: random states advance
        got = [f_dev(*values) for _ in range(2)]
    for call, (g_outs, w_outs) in enumerate(zip(got, want)):
        for k, (g, w) in enumerate(zip(g_outs, w_outs)):
            assert type(g) is np.ndarray, (name, k, type(g))
            if name == "mrg" or w.dtype.kind not in "fc":
                np.testing.assert_array_equal(g, w, err_msg=f"{name} call {call} output {k}")
            else:
                assert_close(g, w, str(w.dtype), f"{name} call {call} output {k}")
