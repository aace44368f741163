"""Theano 1.0.5's algebraic rewrites (theano_compat/tensor/rewrites/legacy_algebra.py and
the canonicaliser pieces they need): the graph each leaves and the values of the rewritten
graphs against SciPy / NumPy closed forms, at the extreme inputs the stabilising ones are
for."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import theano
import theano.scalar as scal
import theano.tensor as T
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.scalar.composite import Composite
from theano_compat.tensor import opt
from theano_compat.tensor.elemwise import Elemwise

RNG = np.random.RandomState(11)
FAST_RUN = theano.compile.mode.get_mode("FAST_RUN")
NO_FUSION = FAST_RUN.excluding("fusion")


def _scalar_ops(f):
    return [n.op.scalar_op for n in f.maker.fgraph.toposort() if isinstance(n.op, Elemwise)]


def _stabilize_mode():
    mode = theano.compile.mode.get_default_mode().including("canonicalize", "fast_run") \
        .excluding("fusion")
    mode._optimizer.position_cutoff = 1.50001
    return mode


VALUES = np.asarray([-30, -3, -2, -1, -1e-9, 0, 1e-9, 1, 2, 3, 30], dtype="float64")


@pytest.mark.parametrize("build, ref, expected", [
    (lambda x: 1 - T.erfc(x), sp.erf, [T.erf]),
    (lambda x: (-T.erfc(x)) + 1, sp.erf, [T.erf]),
    (lambda x: -1 + T.erfc(-x), sp.erf, [T.erf]),
    (lambda x: T.erfc(-x) - 1, sp.erf, [T.erf]),
    (lambda x: 1 - T.erf(x), sp.erfc, [T.erfc]),
])
def test_erf_family_rewrites_to_one_op_with_exact_values(build, ref, expected):
    x = T.dvector("x")
    f = theano.function([x], build(x), mode=_stabilize_mode())
    assert [n.op for n in f.maker.fgraph.toposort()] == expected
    # erf(1e-9) = 1.128e-9 exactly here; 1 - erfc(1e-9) loses all of it but 7 bits.
    np.testing.assert_allclose(f(VALUES), ref(VALUES), rtol=1e-15, atol=0)


def test_one_plus_erf_is_erfc_of_minus_x_and_stays_accurate_in_the_tail():
    x = T.dvector("x")
    f = theano.function([x], 1 + T.erf(x), mode=_stabilize_mode())
    assert T.erf not in [n.op for n in f.maker.fgraph.toposort()]
    v = np.asarray([-26.0, -10.0, -5.0, 0.0, 5.0])
    # 1 + erf(-10) is 0 in float64; erfc(10) = 2.088e-45.
    np.testing.assert_allclose(f(v), sp.erfc(-v), rtol=1e-14)
    assert f(v)[1] > 0


def test_erf_minus_one_is_minus_erfc():
    x = T.dvector("x")
    f = theano.function([x], T.erf(x) - 1, mode=_stabilize_mode())
    assert T.erf not in [n.op for n in f.maker.fgraph.toposort()]
    v = np.asarray([-3.0, 0.0, 7.0, 12.0])
    np.testing.assert_allclose(f(v), -sp.erfc(v), rtol=1e-14)


def test_one_plus_erf_of_unsigned_input_negates_in_float():
    # -x of a uint8 wraps around (-3 is 253): the rewrite negates in erf's float dtype.
    x = T.vector("x", dtype="uint8")
    f = theano.function([x], 1 + T.erf(x), mode=_stabilize_mode())
    v = np.asarray([0, 1, 3, 200], dtype="uint8")
    np.testing.assert_allclose(f(v), (1 + sp.erf(v.astype("float32"))).astype("float32"),
                               rtol=1e-6)


def test_log_erfc_is_finite_and_accurate_past_the_underflow():
    x = T.dvector("x")
    f = theano.function([x], T.log(T.erfc(x)), mode=FAST_RUN)
    v = np.asarray([-30.0, -3.0, 0.0, 3.0, 10.0, 26.0, 26.7, 27.0, 30.0, 100.0, 1e5])
    out = f(v)
    assert np.all(np.isfinite(out))
    # log(erfc(x)) = log(2) + log(ndtr(-x sqrt(2))), stable in SciPy.
    np.testing.assert_allclose(out, np.log(2) + sp.log_ndtr(-v * np.sqrt(2)), rtol=1e-10)


def test_log_erfc_float32_threshold():
    x = T.fvector("x")
    f = theano.function([x], T.log(T.erfc(x)), mode=FAST_RUN)
    v = np.asarray([1.0, 9.0, 10.5, 12.0, 40.0], dtype="float32")
    out = f(v)
    assert out.dtype == np.float32 and np.all(np.isfinite(out))
    ref = np.log(2) + sp.log_ndtr(-v.astype("float64") * np.sqrt(2))
    np.testing.assert_allclose(out, ref, rtol=2e-5)


def test_grad_of_log_erfc_is_finite_for_large_x():
    x = T.dvector("x")
    f = theano.function([x], T.grad(T.log(T.erfc(x)).sum(), x), mode=FAST_RUN)
    v = np.asarray([-100.0, -27.0, -3.0, 0.0, 3.0, 9.0, 26.0, 26.7, 28.0, 30.0, 100.0])
    out = f(v)
    assert np.all(np.isfinite(out))
    # d/dx log(erfc(x)) = -2/sqrt(pi) exp(-x^2) / erfc(x) = -2/sqrt(pi) / erfcx(x).
    # (atol: at -27 the result is a subnormal -1.4e-317 where erfcx overflows to inf.)
    np.testing.assert_allclose(out, -2 / np.sqrt(np.pi) / sp.erfcx(v), rtol=1e-9,
                               atol=1e-300)


def test_grad_log_erfc_neg_transform_keeps_the_extra_factor():
    x, y = T.dvectors("x", "y")
    expr = (y * T.exp(-T.sqr(x))) / T.erfc(x)
    new = opt.local_grad_log_erfc_neg.transform(expr.owner)
    assert new
    f = theano.function([x, y], new[0])
    v = np.asarray([1.0, 20.0, 30.0])
    w = np.asarray([2.0, -1.0, 0.5])
    np.testing.assert_allclose(f(v, w), w / sp.erfcx(v), rtol=1e-9)


def test_log_add_matches_logaddexp_at_the_extremes():
    x, y = T.dvectors("x", "y")
    f = theano.function([x, y], T.log(T.exp(x) + T.exp(y)), mode=FAST_RUN)
    a = np.asarray([0.0, 1000.0, -1000.0, 0.0, np.inf, -np.inf, np.inf, 3.0])
    b = np.asarray([-40.0, 1000.0, -1001.0, 0.0, np.inf, -np.inf, -np.inf, np.nan])
    out = f(a, b)
    # (atol: log(1 + e^-40) = 4.2e-18 is 0 from softplus, as Theano's softplus below -30.)
    np.testing.assert_allclose(out, np.logaddexp(a, b), rtol=1e-15, atol=1e-16)
    assert np.isnan(out[-1])


def test_pow_specialize_forms_and_values():
    v = T.dvector("v")
    val = np.arange(1, 10, dtype="float64")
    for exponent, ops in [(-1, [scal.inv]), (-2, [scal.sqr, scal.inv]),
                          (-0.5, [scal.sqrt, scal.inv]), (0.5, [scal.sqrt])]:
        f = theano.function([v], v ** exponent, mode=NO_FUSION)
        assert _scalar_ops(f) == ops
        np.testing.assert_allclose(f(val), val ** exponent, rtol=1e-15)
    f = theano.function([v], v ** 0, mode=NO_FUSION)
    assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == ["Shape_i", "Alloc"]
    assert np.array_equal(f(val), np.ones(9))


def test_pow_specialize_device_builds_squarings():
    v = T.dvector("v")
    val = np.linspace(0.5, 1.5, 7)
    f = theano.function([v], v ** 15, mode=NO_FUSION)
    (comp,) = _scalar_ops(f)
    assert isinstance(comp, Composite)
    assert len(comp.fgraph.apply_nodes) == 6  # 3 squarings and 3 products, as Theano's
    np.testing.assert_allclose(f(val), val ** 15, rtol=1e-14)
    f = theano.function([v], v ** -16, mode=NO_FUSION)
    ops = _scalar_ops(f)
    assert isinstance(ops[0], Composite) and ops[-1] == scal.inv
    np.testing.assert_allclose(f(val), val ** -16.0, rtol=1e-14)
    i = T.ivector("i")
    g = theano.function([i], i ** 3, mode=NO_FUSION)
    iv = np.asarray([-3, 0, 7, 1000], dtype="int32")
    assert np.array_equal(g(iv), iv ** 3)


def test_mul_specialize_drops_ones_of_integer_products_with_one_cast():
    x, y = T.dvectors("x", "y")
    go = T.fill(T.minimum(x, y).sum(), 1)
    e = T.eq(go, x)
    f = theano.function([x, y], [(1 - e) * go, e * go], mode=NO_FUSION)
    nodes = f.maker.fgraph.apply_nodes
    assert not [n for n in nodes if isinstance(getattr(n.op, "scalar_op", None), scal.Identity)]
    assert len([n for n in nodes if isinstance(getattr(n.op, "scalar_op", None),
                                               scal.Cast)]) == 1
    o1, o2 = f(np.asarray([1.0, 2.0]), np.asarray([1.0, 0.0]))
    assert o1.dtype == o2.dtype == np.int8
    assert np.array_equal(o1, [0, 1]) and np.array_equal(o2, [1, 0])


def test_mul_specialize_transform():
    i = T.ivector("i")
    node = (i * np.int32(-1)).owner
    (new,) = opt.local_mul_specialize.transform(node)
    f = theano.function([i], new)
    assert np.array_equal(f(np.asarray([3, -4], dtype="int32")), [-3, 4])


def test_x_over_abs_x_is_sign():
    x = T.dscalar("x")
    for expr, k in [((4 * x) / abs(2 * x), 2.0), ((4 * x) / abs(x / 2), 8.0)]:
        f = theano.function([x], expr, mode=FAST_RUN.excluding("local_elemwise_fusion"))
        assert len(f.maker.fgraph.toposort()) == 2
        assert f.maker.fgraph.toposort()[0].op == T.sgn
        assert f(0.0) == 0.0  # not nan: x / abs(x) is sgn(x)
        assert f(0.1) == k and f(-3.0) == -k


def test_abs_lift_and_merge_transforms():
    x, y = T.dmatrices("x", "y")
    (lifted,) = opt.local_abs_lift.transform(abs(x * y).owner)
    assert lifted.owner.op == T.mul and all(i.owner.op == T.abs_ for i in lifted.owner.inputs)
    (merged,) = opt.local_abs_merge.transform(lifted.owner)
    assert merged.owner.op == T.abs_
    a, b = RNG.randn(2, 3), RNG.randn(2, 3)
    f = theano.function([x, y], [lifted, merged])
    for out in f(a, b):
        np.testing.assert_allclose(out, np.abs(a * b), rtol=1e-15)


def test_div_to_inv_and_mul_to_sqr():
    x = T.dvector("x")
    f = theano.function([x], [1 / x, x * x], mode=NO_FUSION)
    assert sorted(str(o) for o in _scalar_ops(f)) == ["inv", "sqr"]
    v = np.asarray([0.5, -4.0, 3.0])
    r1, r2 = f(v)
    assert np.array_equal(r1, 1 / v) and np.array_equal(r2, v * v)


def test_inv_canon_and_neg_to_mul_transforms():
    x = T.dvector("x")
    (p,) = opt.local_inv_canon.transform(T.inv(x).owner)
    assert p.owner.op == T.pow
    (m,) = opt.local_neg_to_mul.transform((-x).owner)
    assert m.owner.op == T.mul
    f = theano.function([x], [p, m])
    v = np.asarray([2.0, -0.25])
    r1, r2 = f(v)
    assert np.array_equal(r1, 1 / v) and np.array_equal(r2, -v)


def test_pow_canonicalize_transform():
    x = T.dmatrix("x")
    (one,) = opt.local_pow_canonicalize.transform((x ** 0).owner)
    f = theano.function([x], one)
    assert np.array_equal(f(np.zeros((2, 3))), np.ones((2, 3)))


def test_sumsqr2dot():
    w, g = T.dmatrices("w", "g")
    y = T.sqr(w.dimshuffle("x", 0, 1) * g.dimshuffle(0, "x", 1)).sum(axis=(1, 2))
    f = theano.function([w, g], y, mode=FAST_RUN)
    assert any(type(n.op).__name__ in ("Dot", "Dot22", "Gemv", "CGemv")
               for n in f.maker.fgraph.toposort())
    wv, gv = RNG.rand(4, 3), RNG.rand(5, 3)
    np.testing.assert_allclose(f(wv, gv), np.dot(gv ** 2, (wv ** 2).sum(0)), rtol=1e-13)


@pytest.mark.parametrize("dtype", ["int8", "uint64", "float32", "complex128"])
def test_scalar_tensor_round_trips_are_removed(dtype):
    t = T.TensorType(dtype, ())()
    f = theano.function([t], T.tensor_from_scalar(T.scalar_from_tensor(t)), mode=FAST_RUN)
    assert not [n for n in f.maker.fgraph.toposort()
                if isinstance(n.op, (T.TensorFromScalar, T.ScalarFromTensor))]
    assert f(3) == 3
    s = scal.Scalar(dtype)()
    g = theano.function([s], T.scalar_from_tensor(T.tensor_from_scalar(s)), mode=FAST_RUN)
    assert not [n for n in g.maker.fgraph.toposort()
                if isinstance(n.op, (T.TensorFromScalar, T.ScalarFromTensor))]
    assert g(5) == 5


def test_upcast_elemwise_constant_inputs_transform():
    x = T.dvector("x")
    expr = 1 + x
    (new,) = opt.local_upcast_elemwise_constant_inputs.transform(expr.owner)
    assert all(i.type.dtype == "float64" for i in new.owner.inputs)
    assert np.array_equal(theano.function([x], new)(np.asarray([0.5, 3.0])), [1.5, 4.0])


def test_attempt_distribution_as_theano():
    a, b, x, z = T.dmatrices("abxz")
    changed, factor, num, denum = opt.attempt_distribution(a / z + b / x, [x, z], [], None)
    assert changed and num == [] and denum == []
    # The string Theano 1.0.5 gives for the same distribution (its test_opt.py).
    assert str(theano.printing.pprint(factor)) == "((a * x) + (b * z))"
    vals = [RNG.rand(2, 2) + 0.5 for _ in range(4)]
    av, bv, xv, zv = vals
    f = theano.function([a, b, x, z], factor)
    np.testing.assert_allclose(f(av, bv, xv, zv), av * xv + bv * zv, rtol=1e-15)


def test_greedy_distributor_orders_factors_as_theano():
    a, b, x, z = T.dmatrices("abxz")
    g = FunctionGraph([a, b, x, z], [(a / z + b / x) * x * z])
    opt.mul_canonizer.optimize(g)
    theano.gof.TopoOptimizer(theano.gof.LocalOptGroup(opt.local_greedy_distributor),
                             order="out_to_in").optimize(g)
    assert str(theano.printing.pprint(g.outputs[0])) == "((a * x) + (b * z))"


def test_log_sum_exp_through_broadcastable_axes_and_transpose():
    x = T.TensorType("float64", (False, True, False))("x")
    y = T.log(x.sum(axis=(0, 1), keepdims=True).owner.op(T.sum(T.exp(x), axis=(0, 1))))
    f = theano.function([x], y, mode=FAST_RUN)
    assert any(getattr(getattr(n.op, "scalar_op", None), "name", None) == "maximum"
               for n in f.maker.fgraph.toposort())
    v = np.asarray([[[1000.0, -5.0]], [[999.0, -1000.0]]])
    np.testing.assert_allclose(f(v), sp.logsumexp(v, axis=(0, 1), keepdims=True),
                               rtol=1e-15)
    t = T.tensor3("t")
    ds = T.DimShuffle((False, False), (1, 0))
    h = theano.function([t], T.log(ds(T.sum(T.exp(t), axis=2))), mode=FAST_RUN)
    tv = RNG.randn(2, 3, 4) * 800
    np.testing.assert_allclose(h(tv), sp.logsumexp(tv, axis=2).T, rtol=1e-14)


def test_cast_cast_of_a_scalar_cast_op():
    x = T.fmatrix()
    o = T.Elemwise(scal.Cast(scal.Scalar("complex128")))(x.astype("complex64"))
    f = theano.function([x], o, mode=FAST_RUN)
    assert len(f.maker.fgraph.toposort()) == 1
    v = RNG.rand(2, 3).astype("float32")
    assert np.array_equal(f(v), v.astype("complex128"))


def test_add_specialize_on_a_one_input_add():
    a = T.dvector()
    s = T.add(T.zeros_like(a))
    (new,) = opt.local_add_specialize.transform(s.owner)
    assert new.type == s.type
    assert np.array_equal(theano.function([a], new)(np.ones(3)), np.zeros(3))


def test_fill_becomes_alloc_as_in_theano():
    m, x = T.dmatrix(), T.dvector()
    f = theano.function([m, x], T.fill(m, x) * 2, mode=FAST_RUN)
    assert T.Alloc in [type(n.op) for n in f.maker.fgraph.toposort()]
    mv, xv = RNG.rand(3, 2), RNG.rand(2)
    assert np.array_equal(f(mv, xv), np.broadcast_to(xv * 2, (3, 2)))
