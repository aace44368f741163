"""A new elementwise op is one declaration: softsign.

Theano 1.0.5 had ``theano.tensor.nnet.nnet.ScalarSoftsign`` (``x / (1 + |x|)``, printed
``scalar_softsign`` inside Composites; theano.tensor itself does not export it, so the
declaration has no ``tensor=True``).  Here it is the single entry ``S.softsign`` of
scalar/ops.py; nothing else in the package names it (checked below), and yet it runs
unfused and fused on the CPU, on Python floats, as a CUDA kernel (compiled with g++ by
tests/support/cuda_c_harness.py), differentiates, and prints as Theano printed it.

Reference values come from NumPy written out independently, and from Theano 1.0.5
(values and gradients recorded with tools' theano-ref: softsign(x) and its gradient at
[0, -0, 1, -3, 1e300, -inf, inf, nan]; ``pp`` text ``softsign(x)``; the fused node's
``Composite{... scalar_softsign(i2) ...}``).
"""

import pathlib
import re

import numpy as np
import pytest

import theano
import theano.tensor as T
import theano_compat
from tests.support import cuda_c_harness as H
from theano_compat.link import fuse_cuda as F
from theano_compat.scalar import ops as S
from theano_compat.scalar.composite import Composite
from theano_compat.tensor.elemwise import Elemwise

SPECIAL = np.array([0.0, -0.0, 1.0, -3.0, 1e300, -np.inf, np.inf, np.nan])
# Theano 1.0.5 (theano.tensor.nnet.softsign on a dvector, and T.grad of its sum).
THEANO_VALUES = np.array([0.0, -0.0, 0.5, -0.75, 1.0, np.nan, np.nan, np.nan])
THEANO_GRADS = np.array([1.0, 1.0, 0.25, 0.0625, 0.0, 0.0, 0.0, np.nan])


def reference(x):
    """softsign written out in NumPy, in the precision of `x`."""
    with np.errstate(all="ignore"):
        return x / (x.dtype.type(1) + np.absolute(x))


def same(got, want):
    """Same dtype, shape and values, signed zeros included (NaN's sign is not compared)."""
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape or \
            not np.array_equal(got, want, equal_nan=True):
        return False
    numbers = ~np.isnan(got) if got.dtype.kind == "f" else np.ones(got.shape, bool)
    return np.array_equal(np.signbit(got[numbers]), np.signbit(want[numbers]))


def test_declared_in_one_place_only():
    package = pathlib.Path(theano_compat.__file__).parent
    naming = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
              if re.search(r"\bsoftsign\b", p.read_text())
              and "tensor" not in p.parts and "sandbox" not in p.parts]
    # (theano.tensor.nnet.softsign is the graph Theano's nnet module builds; the tensor
    # layer does not name the scalar op either: tensor/nnet writes x / (1 + |x|).  The
    # legacy path theano.sandbox.softsign only re-exports that nnet function.)
    assert naming == ["scalar/ops.py"]


def test_values_match_theano_and_numpy():
    x = T.dvector("x")
    y = S.softsign(x)
    assert isinstance(y.owner.op, Elemwise) and y.owner.op.scalar_op is S.softsign
    assert str(y.owner.op) == "Elemwise{softsign,no_inplace}"
    for mode in ["FAST_RUN", "FAST_COMPILE", theano.compile.mode.Mode(optimizer=None)]:
        got = theano.function([x], y, mode=mode)(SPECIAL)
        assert same(got, THEANO_VALUES) and same(got, reference(SPECIAL)), (mode, got)
    # Theano's dtype rule: integers and bools are computed in float (float32 for small
    # ones), floats in their own precision.
    for dtype, out in [("int8", "float32"), ("uint8", "float32"), ("bool", "float32"),
                       ("int32", "float64"), ("int64", "float64"), ("float32", "float32")]:
        v = T.vector(dtype=dtype)
        assert S.softsign(v).dtype == out, dtype
    f32 = np.array([1.5, -2.0, 1e-30, 3e38], dtype="float32")
    v = T.fvector()
    assert same(theano.function([v], S.softsign(v))(f32), reference(f32))
    i = T.ivector()
    ints = np.array([1, -2, 3, 0], dtype="int32")
    assert same(theano.function([i], S.softsign(i))(ints), reference(ints.astype("float64")))


def test_gradient():
    x = T.dvector("x")
    g = theano.function([x], T.grad(S.softsign(x).sum(), x))(SPECIAL)
    assert same(g, THEANO_GRADS)
    rng = np.random.RandomState(7)
    theano.gradient.verify_grad(S.softsign, [rng.uniform(-4, 4, size=(3, 4))], rng=rng)
    theano.gradient.verify_grad(lambda a: S.softsign(a * 3.0) ** 2,
                                [rng.uniform(-4, 4, size=(5,))], rng=rng)


def test_fused_cpu_code():
    x, y = T.dmatrices("x", "y")
    f = theano.function([x, y], S.softsign(x * y) * 2.0 + y, mode="FAST_RUN")
    fused = [n for n in f.maker.fgraph.toposort()
             if isinstance(n.op, Elemwise) and isinstance(n.op.scalar_op, Composite)]
    assert len(fused) == 1 and "scalar_softsign(" in str(fused[0].op)
    assert re.search(r"= softsign\(", f.maker.program.source), f.maker.program.source
    rng = np.random.RandomState(3)
    a, b = rng.uniform(-5, 5, size=(2, 4, 3))
    assert same(f(a, b), reference(a * b) * 2.0 + b)
    # the Composite's own generated function (the path of non-inlined nodes)
    composite = fused[0].op.scalar_op
    assert "softsign(" in composite.implementation(np).source


def test_python_float_code():
    a, b = T.dscalars("a", "b")
    f = theano.function([a, b], S.softsign(a) * b, mode="FAST_RUN")
    assert "abs(" in f.maker.program.source  # written inline on Python floats
    for va in [0.0, -0.0, 2.0, -1e300, np.inf, np.nan, 1e-310]:
        want = reference(np.array(va)) * np.float64(1.5)
        assert same(f(va, 1.5), want), va


def test_pretty_printing():
    x = T.dvector("x")
    assert theano.pp(S.softsign(x)) == "softsign(x)"
    assert theano.pp(S.softsign(x) * 2) == "(softsign(x) * TensorConstant{2})"
    c = Composite(["float64", "float64"], [(S.softsign, (0,), "float64"),
                                           (S.mul, (2, 1), "float64")])
    assert str(c) == "Composite{(scalar_softsign(i0) * i1)}"


@pytest.mark.skipif(not H.available(), reason="g++ is needed to run kernel code")
@pytest.mark.parametrize("dtype", ["float64", "float32", "int8", "int32"])
def test_cuda_kernel(dtype):
    out = S.softsign.output_dtype(dtype)
    source = F.kernel_source(Composite([dtype], [(S.softsign, (0,), out)]))
    assert source is not None
    if dtype == "float32":
        assert "fabsf(i0)" in source.operation
    rng = np.random.RandomState(5)
    if dtype.startswith("float"):
        with np.errstate(over="ignore"):  # 1e300 is inf in float32
            x = np.concatenate([SPECIAL, rng.uniform(-50, 50, size=40)]).astype(dtype)
    else:
        x = rng.randint(-100, 100, size=40).astype(dtype)
    got = H.compile_kernel(*source)(x)
    assert same(got, reference(x.astype(out)))  # + and / are correctly rounded: exact


@pytest.mark.skipif(not H.available(), reason="g++ is needed to run kernel code")
def test_cuda_kernel_of_a_fused_group():
    x, y = T.fmatrices("x", "y")
    f = theano.function([x, y], S.softsign(x - y) * x, mode="FAST_RUN")
    node = next(n for n in f.maker.fgraph.toposort() if isinstance(n.op, Elemwise))
    source = F.node_kernel_source(node)
    assert source is not None and "fabsf(" in source.operation
    rng = np.random.RandomState(9)
    a, b = rng.uniform(-3, 3, size=(2, 3, 4)).astype("float32")
    assert same(H.compile_kernel(*source)(a, b), f(a, b))
