"""CUDA kernel source for fused elementwise groups (theano_compat/link/fuse_cuda.py).

No GPU is needed: the generated ``operation`` and ``preamble`` are C++ that
tests/support/cuda_c_harness.py compiles with g++ inside the loop CuPy would wrap them
in, so every C form is *run* and compared with the NumPy path the CPU backend uses
(``Composite.implementation(numpy)``, which applies Theano's dtype fix-ups):

* every scalar op of the table, over integer, unsigned, bool, float32/float64 and mixed
  dtypes, with NaN, infinities, signed zeros, zero divisors and halves among the values;
  correctly rounded operations (+ - * / sqrt, floor division, modulo, comparisons,
  casts, rounding, min/max, sigmoid/softplus clamps...) must agree bit for bit, library
  functions (exp, tanh, erf...) to a few ulps;
* every Composite the fusion pass builds for a set of typical graphs (MLP and logistic
  regression steps, softmax cross-entropy, sigmoid/softplus, casts), with broadcasting;
* randomly generated Composites (a property test over op DAGs and dtypes).

What cannot be checked here: the CUDA-only functions (erfcx, erfinv, erfcinv, i0, i1;
their sources are checked, their values by tests/backend_parity on a GPU), and NVRTC's
acceptance of the source (checked by the same GPU suite).
"""

import functools
import itertools
import re
import zlib

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.support import cuda_c_harness as H
from theano_compat.link import fuse_cuda as F
from theano_compat.scalar import c_forms as C
from theano_compat.scalar import ops as S
from theano_compat.scalar.composite import Composite
from theano_compat.tensor.elemwise import Elemwise

pytestmark = pytest.mark.skipif(not H.available(), reason="g++ is needed to run kernel code")

# Ops whose C form must agree with NumPy to the last bit (correctly rounded or exact).
EXACT = {
    "add", "sub", "mul", "true_div", "int_div", "mod", "neg", "abs_", "sgn", "inv", "sqr",
    "sqrt", "maximum", "minimum", "second", "identity", "ceil", "floor", "trunc",
    "round_half_to_even", "round_half_away_from_zero", "lt", "gt", "le", "ge", "eq", "neq",
    "isnan", "isinf", "and_", "or_", "xor", "invert", "switch", "clip", "deg2rad", "rad2deg",
}
CUDA_ONLY = {"erfcx", "erfinv", "erfcinv", "i0", "i1"}

SPECIAL = [0.0, -0.0, np.nan, np.inf, -np.inf, 0.5, -0.5, 1.5, -2.5, 2.5, 1e30, -1e30, 40.0,
           -40.0, 30.0, -30.0, 1.0, -1.0]

UNARY_DTYPES = ["float32", "float64", "int8", "int32", "int64", "uint8", "bool"]
BINARY_DTYPES = [("float32", "float32"), ("float64", "float64"), ("float32", "float64"),
                 ("int32", "int32"), ("int8", "int64"), ("uint8", "int8"),
                 ("int64", "float32"), ("bool", "bool"), ("int16", "float64"),
                 ("uint8", "uint8"), ("uint32", "int32")]
TERNARY_DTYPES = [("bool", "float32", "float32"), ("bool", "int32", "float64"),
                  ("float64", "float64", "float64"), ("int8", "float32", "int16"),
                  ("float32", "float32", "float32")]


def values(dtype, n, rng, specials=True):
    """Test inputs of `dtype`: random values, and NaN/inf/zeros/halves for floats."""
    if dtype == "bool":
        return rng.rand(n) > 0.5
    if dtype.startswith("uint"):
        return rng.randint(0, 40, size=n).astype(dtype)
    if dtype.startswith("int"):
        return rng.randint(-20, 21, size=n).astype(dtype)
    v = rng.uniform(-3, 3, size=n)
    if specials:
        v[: len(SPECIAL)] = SPECIAL
    return v.astype(dtype)


def run_kernel(source, *arrays):
    kernel = H.compile_kernel(*source)
    return kernel(*arrays)


def run_numpy(composite, *arrays):
    # NumPy's own values: on the CPU an integer division or modulo by zero raises
    # ZeroDivisionError (as Theano's C code did), which a CUDA kernel cannot; the kernels
    # give NumPy's 0 there, so the reference runs with that check switched off.
    saved = S._check_divisor
    S._check_divisor = lambda *args: None
    try:
        with np.errstate(all="ignore"):
            return np.asarray(composite.implementation(np)(*arrays))
    finally:
        S._check_divisor = saved


def assert_agree(got, want, exact, what):
    assert got.dtype == want.dtype, (what, got.dtype, want.dtype)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    if got.dtype.kind == "f":
        nan_got, nan_want = np.isnan(got), np.isnan(want)
        assert np.array_equal(nan_got, nan_want), (what, got[nan_got != nan_want],
                                                   want[nan_got != nan_want])
        g, w = got[~nan_got], want[~nan_want]
        if exact:
            bad = (g != w) | (np.signbit(g) != np.signbit(w))
            assert not bad.any(), (what, g[bad], w[bad])
        else:
            inf = np.isinf(w)
            assert np.array_equal(g[inf], w[inf]), what
            tol = 8 * np.finfo(got.dtype).eps
            np.testing.assert_allclose(g[~inf], w[~inf], rtol=tol, atol=tol, err_msg=what)
    else:
        assert np.array_equal(got, want), (what, got, want)


def one_node(op, in_dtypes):
    """A one-node Composite applying `op` to inputs of `in_dtypes` (None if the dtype rule
    refuses them)."""
    try:
        out = op.output_dtype(*in_dtypes)
    except TypeError:
        return None
    return Composite(in_dtypes, [(op, tuple(range(len(in_dtypes))), out)])


# ----------------------------------------------------------------------------- the table


def _without_c_form(op):
    return isinstance(op.c_form, C.NoCForm)


def test_every_scalar_op_has_a_c_form_or_a_reason():
    # (tests/unit/scalar/test_ops.py checks the declarations themselves.)
    for name, op in S.ALL.items():
        assert op.c_form is not None, name
        if _without_c_form(op):
            assert op.c_form.reason, name
    # Cast ops (not in S.ALL) have a C form for every dtype pair kernels handle.
    for src, dst in itertools.product(C.CTYPES, C.CTYPES):
        assert F.has_c_form(S.cast_op(dst), [src], dst), (src, dst)


def _op_cases():
    cases = []
    for name, op in sorted(S.ALL.items()):
        if _without_c_form(op):
            continue
        combos = {1: [(d,) for d in UNARY_DTYPES], 2: BINARY_DTYPES, 3: TERNARY_DTYPES}[op.nin]
        for dts in combos:
            if one_node(op, list(dts)) is not None:  # else Theano's dtype rule refuses them
                cases.append(pytest.param(name, dts, id=f"{name}-{'-'.join(dts)}"))
    return cases


@pytest.mark.parametrize("name,in_dtypes", _op_cases())
def test_scalar_op_kernel_matches_numpy(name, in_dtypes):
    op = S.ALL[name]
    composite = one_node(op, list(in_dtypes))
    source = F.kernel_source(composite)
    assert source is not None, (name, in_dtypes)
    if name in CUDA_ONLY:
        fn = {"i0": "cyl_bessel_i0", "i1": "cyl_bessel_i1"}.get(name, name)
        assert re.search(rf"\b{fn}f?\(", source.operation), source.operation
        return
    if name == "gamma" and not np.isnan(S.ALL["gamma"].implementation(np)(np.float64(-1.0))):
        pytest.skip("this SciPy's gamma gives inf at the poles 0, -1, -2... (SciPy 1.11; "
                    "newer SciPy and the C library's tgamma the kernel calls give NaN at "
                    "the negative ones): the reference is SciPy's, not this project's")
    rng = np.random.RandomState(zlib.crc32(f"{name}{in_dtypes}".encode()))
    arrays = [values(d, 64, rng) for d in in_dtypes]
    if name in ("int_div", "mod"):
        arrays[1][5:8] = 0  # zero divisors: NumPy's results (0, NaN, inf) in the kernel too
    got = run_kernel(source, *arrays)
    want = run_numpy(composite, *arrays)
    assert_agree(got, want, name in EXACT, f"{name}{in_dtypes}")


CAST_VALUES = {  # casts from floats to integers: NumPy/C agree inside the target's range
    "float": lambda rng: rng.uniform(-100, 100, size=64),
}


@pytest.mark.parametrize("src,dst", [(s, d) for s in C.CTYPES for d in C.CTYPES])
def test_cast_kernel_matches_astype(src, dst):
    rng = np.random.RandomState(zlib.crc32(f"{src}{dst}".encode()))
    if src.startswith("float") and dst not in ("bool",) and not dst.startswith("float"):
        lo = 0 if dst.startswith("uint") else -100
        x = rng.uniform(lo, 100, size=64).astype(src)
    else:
        x = values(src, 64, rng)
    composite = one_node(S.cast_op(dst), [src])
    got = run_kernel(F.kernel_source(composite), x)
    with np.errstate(all="ignore"):
        want = x.astype(dst)
    assert_agree(got, want, True, f"{src}->{dst}")


def test_floor_division_and_modulo_follow_python_signs():
    # Spelled-out values: Python's // and % for every sign combination.
    a = np.array([7, -7, 7, -7, 0, 5, -5], dtype="int32")
    b = np.array([2, 2, -2, -2, 3, 0, 0], dtype="int32")
    for op, want in [(S.int_div, [3, -4, -4, 3, 0, 0, 0]), (S.mod, [1, 1, -1, -1, 0, 0, 0])]:
        got = run_kernel(F.kernel_source(one_node(op, ["int32", "int32"])), a, b)
        np.testing.assert_array_equal(got, want)
    x = np.array([7.5, -7.5, 7.5, -7.5], dtype="float64")
    y = np.array([2.0, 2.0, -2.0, -2.0])
    got = run_kernel(F.kernel_source(one_node(S.mod, ["float64", "float64"])), x, y)
    np.testing.assert_array_equal(got, [1.5, 0.5, -0.5, -1.5])


def test_sigmoid_and_softplus_clamp_at_30():
    x = np.array([-31.0, -30.5, -30.0, 0.0, 30.0, 30.5, 31.0, np.nan])
    sig = run_kernel(F.kernel_source(one_node(S.sigmoid, ["float64"])), x)
    assert sig[0] == 0.0 and sig[1] == 0.0 and sig[5] == 1.0 and sig[6] == 1.0
    assert sig[2] == 1 / (1 + np.exp(30.0)) and np.isnan(sig[7])
    sp = run_kernel(F.kernel_source(one_node(S.softplus, ["float64"])), x)
    assert sp[0] == 0.0 and sp[5] == 30.5 and sp[3] == np.log(2.0)


def test_maximum_propagates_nan_like_numpy():
    a = np.array([np.nan, 1.0, np.nan, 2.0], dtype="float32")
    b = np.array([1.0, np.nan, np.nan, 1.0], dtype="float32")
    got = run_kernel(F.kernel_source(one_node(S.maximum, ["float32", "float32"])), a, b)
    np.testing.assert_array_equal(got, np.maximum(a, b))


# ----------------------------------------------------------------------------- source


def test_source_layout_and_name():
    c = Composite(["float32", "float64"], [(S.mul, (0, 1), "float64"),
                                           (S.exp, (2,), "float64"), (S.add, (3, 1), "float64")])
    src = F.kernel_source(c)
    assert src.in_params == "float32 i0, float64 i1"
    assert src.out_params == "float64 o0"
    lines = src.operation.splitlines()
    assert lines == ["double t0 = (((double)(i0)) * i1);", "double t1 = exp(t0);",
                     "double t2 = (t1 + i1);", "o0 = t2;"]
    assert re.fullmatch(r"theano_fused_mul_exp_add_[0-9a-f]{8}", src.name)
    # Memoised per Composite; a structurally equal Composite gives the same source.
    c2 = Composite(["float32", "float64"], [(S.mul, (0, 1), "float64"),
                                            (S.exp, (2,), "float64"), (S.add, (3, 1), "float64")])
    assert F.kernel_source(c2) is src
    # float32 math uses the float functions of the C library (expf...).
    c3 = Composite(["float32"], [(S.exp, (0,), "float32"), (S.tanh, (1,), "float32")])
    assert "expf(i0)" in F.kernel_source(c3).operation
    assert "tanhf(t0)" in F.kernel_source(c3).operation


def test_name_is_stable_across_processes():
    # The name hashes the source text (not Python's per-process hash), so CuPy's disk
    # cache of compiled kernels is reused by the next run.
    c = Composite(["float64"], [(S.sqr, (0,), "float64")])
    assert F.kernel_source(c).name == "theano_fused_sqr_" + __import__("hashlib").sha1(
        b"float64 i0|float64 o0|double t0 = (i0 * i0);\no0 = t0;").hexdigest()[:8]


def test_ops_without_c_form_give_no_kernel():
    for dtypes, nodes in [
        (["float64"], [(S.psi, (0,), "float64")]),
        (["float64"], [(S.exp, (0,), "float64"), (S.psi, (1,), "float64")]),
        (["complex128"], [(S.real, (0,), "float64")]),
        (["float16"], [(S.exp, (0,), "float16")]),
    ]:
        assert F.kernel_source(Composite(dtypes, nodes)) is None


def test_int_division_by_true_div_follows_floatx():
    # int / int is floatX (Theano 1.0.5); the kernel computes in that precision.
    c = one_node(S.true_div, ["int32", "int32"])
    src = F.kernel_source(c)
    a = np.array([1, 7, -3], dtype="int32")
    b = np.array([3, 2, 4], dtype="int32")
    got = run_kernel(src, a, b)
    assert got.dtype == np.dtype(theano.config.floatX)
    assert_agree(got, run_numpy(c, a, b), True, "int/int")


# ----------------------------------------------------------------------------- fused graphs


@functools.cache
def _graph_nodes(graph):
    inputs, outputs = _graphs()[graph]
    return _fused_nodes(outputs, inputs)


def _fused_nodes(outputs, inputs):
    f = theano.function(inputs, outputs, mode="FAST_RUN")
    return [n for n in f.maker.fgraph.toposort()
            if isinstance(n.op, Elemwise) and isinstance(n.op.scalar_op, Composite)]


def _graphs():
    x, y = T.matrices("x", "y")
    v = T.vector("v")
    xf = T.fmatrix("xf")
    b = T.fvector("b")
    i = T.ivector("i")
    s = T.scalar("s")
    w = theano.shared(np.ones((3, 3)), name="w")
    h = T.tanh(T.dot(x, w) + v)
    p = T.nnet.sigmoid(T.dot(h, w).sum(axis=1) + s)
    cost = -(v * T.log(p) + (1 - v) * T.log(1 - p)).mean() + 0.01 * (w ** 2).sum()
    return {
        "mlp_grad": ([x, v, s], T.grad(cost, [w, v])),
        "logistic": ([x, v, s], [cost, p > 0.5]),
        "softplus": ([x, y], [T.nnet.softplus(x * y - 1) + abs(x) ** 1.5]),
        "float32": ([xf, b], [T.nnet.relu(xf + b) * 2 - T.exp(-xf) / (1 + xf ** 2)]),
        "mixed": ([xf, y, i], [T.cast(xf * 3, "int32") // 2 + T.cast(y, "float32") % 1.5
                               + T.cast(i, "float64").dimshuffle("x", 0)]),
        "switch": ([x, y], [T.switch(T.gt(x, y), x ** 2, T.maximum(y, 0.5)) - T.floor(x)]),
        "clip_round": ([x, y], [T.clip(x * 2, -1, y) + T.round(x * 3) + T.sgn(y)]),
        "compare": ([x, y], [T.cast(T.eq(x, y) | T.lt(x, 0), "float64") + T.isnan(y)]),
    }


@pytest.mark.parametrize("graph", sorted(_graphs()))
def test_fused_composites_of_typical_graphs(graph):
    nodes = _graph_nodes(graph)
    assert nodes, f"{graph}: the fusion pass built no Composite"
    rng = np.random.RandomState(zlib.crc32(graph.encode()))
    for node in nodes:
        composite = node.op.scalar_op
        source = F.node_kernel_source(node)
        assert source is not None, composite
        shapes = [tuple(1 if bc else n for bc, n in zip(i.type.broadcastable, (3, 5, 2)))
                  for i in node.inputs]
        arrays = [values(i.type.dtype, int(np.prod(sh)), rng, specials=False).reshape(sh)
                  for i, sh in zip(node.inputs, shapes)]
        got = run_kernel(source, *arrays)
        want = run_numpy(composite, *arrays)
        exact = all(op.name in EXACT or isinstance(op, S.Cast) for op, _, _ in composite.nodes)
        assert_agree(got, want, exact, f"{graph}: {composite}")


RANDOM_OPS = ["add", "sub", "mul", "true_div", "maximum", "minimum", "neg", "sqr", "exp",
              "log1p", "tanh", "sigmoid", "softplus", "int_div", "mod", "abs_", "lt", "switch",
              "sqrt", "floor", "cos"]


def _random_composite(rng):
    n_in = rng.randint(1, 4)
    dtypes = [str(rng.choice(["float32", "float64", "int32", "int8"])) for _ in range(n_in)]
    nodes = []
    avail = list(range(n_in))
    kinds = {k: d for k, d in enumerate(dtypes)}
    for _ in range(rng.randint(2, 9)):
        op = S.ALL[str(rng.choice(RANDOM_OPS))]
        refs = tuple(int(rng.choice(avail)) for _ in range(op.nin))
        try:
            out = op.output_dtype(*[kinds[r] for r in refs])
        except TypeError:
            continue
        k = n_in + len(nodes)
        nodes.append((op, refs, out))
        kinds[k] = out
        avail.append(k)
    if not nodes:
        nodes.append((S.neg, (0,), S.neg.output_dtype(dtypes[0])))
    return Composite(dtypes, nodes)


@pytest.mark.parametrize("seed", range(40))
def test_random_composites(seed):
    rng = np.random.RandomState(seed)
    composite = _random_composite(rng)
    assert composite is not None
    source = F.kernel_source(composite)
    assert source is not None, composite
    arrays = [values(d, 40, rng, specials=False) for d in composite.input_dtypes]
    arrays = [a / 4 if a.dtype.kind == "f" else a for a in arrays]  # keep exp() finite
    got = run_kernel(source, *arrays)
    want = run_numpy(composite, *arrays)
    exact = all(op.name in EXACT for op, _, _ in composite.nodes)
    assert_agree(got, want, exact, str(composite))


def test_broadcasting_of_kernel_inputs():
    # CuPy broadcasts non-raw inputs; the harness does the same, as the runner relies on.
    c = Composite(["float64", "float64"], [(S.sub, (0, 1), "float64")])
    src = F.kernel_source(c)
    a = np.arange(6.0).reshape(2, 3)
    b = np.array([[10.0], [20.0]])
    np.testing.assert_array_equal(run_kernel(src, a, b), a - b)


# ----------------------------------------------------------------------------- compiling
# g++ takes ~0.3 s per translation unit: every kernel the tests above run is compiled in
# one unit up front (tests/support/cuda_c_harness.compile_kernels).


@pytest.fixture(scope="module", autouse=True)
def _compile_all_kernels():
    sources = []
    for param in _op_cases():
        name, dts = param.values
        if name not in CUDA_ONLY:
            sources.append(F.kernel_source(one_node(S.ALL[name], list(dts))))
    for src, dst in itertools.product(C.CTYPES, C.CTYPES):
        sources.append(F.kernel_source(one_node(S.cast_op(dst), [src])))
    for graph in _graphs():
        sources.extend(F.node_kernel_source(n) for n in _graph_nodes(graph))
    for seed in range(40):
        sources.append(F.kernel_source(_random_composite(np.random.RandomState(seed))))
    H.compile_kernels([tuple(s) for s in sources if s is not None])
