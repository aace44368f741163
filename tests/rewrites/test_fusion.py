"""Elementwise fusion: the pass groups what it should, and fused code computes exactly what
the unfused graph computes (bit for bit), pickles, prints as Theano 1.0.5 printed it, and
differentiates.

The reference for numbers is the same graph compiled without rewrites; the reference for
text is tests/golden/fusion_print.theano105.json (made by tests/golden/make_fusion_print.py
under Theano 1.0.5).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import traceback

import numpy as np
import pytest
import theano.tensor as T

import theano
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.graph.merge import merge
from theano_compat.scalar import ops as S
from theano_compat.scalar.composite import Composite
from theano_compat.scalar.dtype_casts import dtype_fixup
from theano_compat.tensor.elemwise import DimShuffle, Elemwise
from theano_compat.tensor.rewrites.fusion import flatten_add_mul, fuse_elemwise
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

NO_REWRITES = theano.compile.mode.Mode(optimizer=None)
GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "fusion_print.theano105.json")


def n_elemwise(fg):
    return sum(isinstance(n.op, Elemwise) for n in fg.toposort())


def fused_nodes(fg):
    return [n for n in fg.toposort() if isinstance(n.op, Elemwise)
            and isinstance(n.op.scalar_op, Composite)]


def fuse(inputs, outputs, **kw):
    """(fgraph before, fgraph after) fusion of the graph inputs -> outputs."""
    before = FunctionGraph(inputs, outputs)
    after = FunctionGraph(inputs, outputs)
    fuse_elemwise(after, **kw)
    return before, after


def run_both(inputs, outputs, values, **kw):
    """Fuse, compile both graphs without further rewrites, run, and return
    (fgraph before, fgraph after, unfused results, fused results).

    The reference is the unfused graph with its add/mul chains flattened (the first step
    of fusion, Theano's local_add_mul_fusion): ``a + (b + c)`` is computed ``(a + b) + c``
    from then on, as in Theano, and the Composites must compute exactly that."""
    before, after = fuse(inputs, outputs, **kw)
    flat = FunctionGraph(inputs, outputs)
    flatten_add_mul(flat)
    ref = theano.function(inputs, flat.outputs, mode=NO_REWRITES, on_unused_input="ignore")
    got = theano.function(inputs, after.outputs, mode=NO_REWRITES, on_unused_input="ignore")
    with np.errstate(all="ignore"):
        return before, after, ref(*values), got(*values)


def assert_bit_equal(got, ref):
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        g, r = np.asarray(g), np.asarray(r)
        assert g.dtype == r.dtype
        assert g.shape == r.shape
        np.testing.assert_array_equal(g, r)


rng = np.random.default_rng(42)


def rand(shape, dtype="float64", low=-3.0, high=3.0):
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype.startswith(("int", "uint")):
        lo = 0 if dtype.startswith("uint") else int(low)
        return rng.integers(lo, int(high) + 1, size=shape).astype(dtype)
    return rng.uniform(low, high, size=shape).astype(dtype)


# ----------------------------------------------------------------------------- graph shapes

x, y, z, w = (T.matrix(n) for n in "xyzw")
r = T.row("r")
c = T.col("c")


def _graph_cases():
    e = T.exp(x)
    cases = {
        # name: (inputs, outputs, Elemwise nodes before, after)
        "chain": ([x, y, z, w], [x * y + z - w], 3, 1),
        "diamond": ([x, y, z], [(e * y) - (e + z)], 4, 1),
        # exp(x) is also an output: it stays a node and feeds the group.
        "shared_output": ([x, y, z], [(e * y) - (e + z), e], 4, 2),
        # exp(x) also feeds a reduction: same.
        "external_client": ([x, y, z], [e * y + z, e.sum()], 3, 2),
        "same_node_twice": ([x], [T.exp(x) * T.exp(x) + x], 4, 1),
        # A row input broadcasts inside the group.
        "row_input": ([x, r, y], [T.tanh(x * r + y)], 3, 1),
        # exp(r) has another broadcast pattern: it stays outside.
        "row_producer": ([x, r], [T.exp(r) * x + x], 3, 2),
        "col_and_row": ([r, c], [T.exp(r) + T.log(c * c + 1.0)], 5, 3),
        "two_groups_through_reduction": ([x, y], [T.exp((x * y).sum(axis=1)) + 1.0], 3, 2),
    }
    return cases


CASES = _graph_cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fusion_groups_and_results(name):
    inputs, outputs, n_before, n_after = CASES[name]
    values = [np.abs(rand(tuple(1 if b else 4 for b in i.type.broadcastable))) + 0.1
              for i in inputs]
    before, after, ref, got = run_both(inputs, outputs, values)
    assert n_elemwise(before) == n_before
    assert n_elemwise(after) == n_after
    assert_bit_equal(got, ref)


def test_mixed_dtypes_and_constants():
    xf = T.fmatrix("xf")
    yd = T.dmatrix("yd")
    i = T.imatrix("i")
    b = T.bmatrix("b")
    out = (((T.exp(b) * xf) + (i // 3)) * yd - T.cast(i, "float32") / xf + (i > 2)
           + (i / (b + 7)) + 2 * xf ** 2)
    inputs = [xf, yd, i, b]
    values = [rand((3, 4), "float32"), rand((3, 4), "float64"), rand((3, 4), "int32", -9, 9),
              rand((3, 4), "int8", -4, 4)]
    before, after, ref, got = run_both(inputs, [out], values)
    assert n_elemwise(after) == 1 and n_elemwise(before) > 10
    assert_bit_equal(got, ref)
    (node,) = fused_nodes(after)
    dtypes = {d for _, _, d in node.op.scalar_op.nodes}
    assert {"float32", "float64", "bool"} <= dtypes


def test_float32_graph_stays_float32():
    xf, yf = T.fmatrices("xf", "yf")
    out = T.nnet.sigmoid(xf * yf + 1.5) * T.tanh(yf) - T.log1p(T.sqr(xf))
    values = [rand((5, 3), "float32"), rand((5, 3), "float32")]
    _before, after, ref, got = run_both([xf, yf], [out], values)
    assert n_elemwise(after) == 1
    assert got[0].dtype == np.float32
    assert_bit_equal(got, ref)


def test_scalars_0d():
    s, t = T.scalars("s", "t")
    _before, after, ref, got = run_both([s, t], [T.exp(s) * t + T.sin(s)],
                                       [np.float64(0.3), np.float64(-1.2)])
    assert n_elemwise(after) == 1
    assert_bit_equal(got, ref)


def test_long_chain_is_one_node():
    v = T.vector("v")
    out = v
    for k in range(1000):
        out = T.sin(out) if k % 2 else out * v
    _before, after, ref, got = run_both([v], [out], [rand(7)])
    assert n_elemwise(after) == 1
    assert_bit_equal(got, ref)


def test_operand_cap():
    xs = [T.vector(f"x{k}") for k in range(40)]
    total = xs[0]
    for v in xs[1:]:
        total = total + v
    values = [rand(5) for _ in xs]
    for cap, expected_nodes in [(100, 1), (32, 2), (8, 7)]:
        _before, after, ref, got = run_both(xs, [total], values, max_operands=cap)
        assert all(len(n.inputs) + 1 <= cap for n in fused_nodes(after))
        assert n_elemwise(after) == expected_nodes
        assert_bit_equal(got, ref)


def test_dimshuffle_is_a_boundary():
    v = T.vector("v")
    out = T.exp(v).dimshuffle("x", 0) * x + 1.0
    _before, after, ref, got = run_both([v, x], [out], [rand(4), rand((3, 4))])
    # exp(v) (a vector) and the matrix group are separate; the DimShuffle is in between.
    assert n_elemwise(after) == 2
    (node,) = fused_nodes(after)
    assert any(i.owner is not None and isinstance(i.owner.op, DimShuffle) for i in node.inputs)
    assert_bit_equal(got, ref)


def test_no_cycle_through_non_elemwise_clients():
    # exp(x) feeds both the group and a dot whose result re-enters it: exp(x) must stay
    # outside, or the fused node would depend on itself.
    W = T.matrix("W")
    e = T.exp(x)
    out = (e + 1.0) * T.dot(e, W) - e.sum()
    _before, after, ref, got = run_both([x, W], [out], [rand((3, 3)), rand((3, 3))])
    assert e.owner.op in [n.op for n in after.toposort()]
    assert_bit_equal(got, ref)


def test_random_graphs_bit_exact():
    """Random DAGs over mixed dtypes and broadcast patterns, with reductions between."""
    ops1 = [T.exp, T.tanh, T.sin, T.sqr, T.abs_, T.neg, T.nnet.sigmoid, T.log1p, T.ceil]
    ops2 = [T.add, T.sub, T.mul, T.true_div, T.maximum, T.minimum, T.mod]
    gen = np.random.default_rng(7)
    for trial in range(25):
        inputs = [T.TensorType(dt, bc)(f"v{k}") for k, (dt, bc) in enumerate(
            [("float64", (False, False)), ("float32", (False, False)), ("int32", (False, False)),
             ("float64", (True, False)), ("float32", (False, True))])]
        pool = list(inputs)
        outs = []
        for step in range(20):
            kind = gen.integers(0, 10)
            if kind < 4:
                v = ops1[gen.integers(len(ops1))](pool[gen.integers(len(pool))])
            elif kind < 9:
                a, b = (pool[gen.integers(len(pool))] for _ in range(2))
                v = ops2[gen.integers(len(ops2))](a, b)
            else:
                v = pool[gen.integers(len(pool))].sum(axis=1, keepdims=True)
            if v.type.dtype in ("float64", "float32", "int32", "int64", "int8"):
                pool.append(v)
            if gen.random() < 0.15:
                outs.append(v)
        outs.append(pool[-1])
        values = [rand((1 if i.type.broadcastable[0] else 3, 1 if i.type.broadcastable[1] else 4),
                       i.type.dtype, -4, 4) for i in inputs]
        before, after, ref, got = run_both(inputs, outs, values)
        assert n_elemwise(after) <= n_elemwise(before)
        assert_bit_equal(got, ref)


# ------------------------------------------------------------------- every op, every dtype

UNARY = [op for op in S.ALL.values() if op.nin == 1 and op not in (S.real, S.imag, S.conj)]
BINARY = [op for op in S.ALL.values() if op.nin == 2]
TERNARY = [op for op in S.ALL.values() if op.nin == 3]
DTYPES = ["float32", "float64", "int8", "int32", "uint8", "bool"]


def _values_for(dtype, positive=False):
    specials = {"float32": [0.0, -0.5, 0.5, 1.0, 2.0, -2.0, 31.0, -31.0, 100.0],
                "float64": [0.0, -0.5, 0.5, 1.0, 2.0, -2.0, 31.0, -31.0, 800.0]}
    v = rand((4, 6), dtype, 0 if positive else -5, 5)
    if dtype in specials:
        v.reshape(-1)[:9] = specials[dtype]
    return v


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_scalar_op_bit_exact(dtype):
    """Each table op, fused with the add that uses it, computes what it computes unfused
    (the dtype fix-ups Elemwise applies per op are applied inside the fused code too)."""
    a, b, c3 = (T.TensorType(dtype, (False, False))(n) for n in "abc")
    other = T.TensorType("int8" if dtype == "bool" else dtype, (False, False))("d")
    outs, names = [], []
    for op in UNARY + BINARY + TERNARY:
        args = [a, b, c3][:op.nin]
        if op is S.pow and dtype not in ("float32", "float64"):
            args = [a, other]  # ints: non-negative exponents only (NumPy raises otherwise)
        if op is S.complex_from_polar:
            args = [S.abs_(a), b]  # a negative radius is an error, fused or not
        try:
            e = op(*args)
        except TypeError:
            continue  # not defined for this dtype, fused or not
        outs.append(e + e)
        names.append(str(op))
    values = [_values_for(dtype), _values_for(dtype), _values_for(dtype),
              _values_for(other.type.dtype, positive=True)]
    if dtype not in ("float32", "float64"):
        # b is the divisor of int_div and mod: an integer division by zero raises
        # ZeroDivisionError (as Theano's C code did; tested in test_theano_differences.py).
        values[1][values[1] == 0] = 1
    _before, after, ref, got = run_both([a, b, c3, other], outs, values)
    assert len(fused_nodes(after)) == len(outs)
    by_input = dict(zip([a, b, c3, other], values))
    for name, g, rf, out in zip(names, got, ref, after.outputs):
        assert g.dtype == rf.dtype, name
        np.testing.assert_array_equal(g, rf, err_msg=name)
        # The generated code alone (without the dtype fix-up Elemwise would wrap around a
        # scalar op whose result had another dtype) gives the same array.
        impl = out.owner.op.scalar_op.implementation(np)
        with np.errstate(all="ignore"):
            direct = impl(*[by_input[i] for i in out.owner.inputs])
        assert direct.dtype == rf.dtype, name
        np.testing.assert_array_equal(direct, rf, err_msg=name)


def test_dtype_fixup_matches_the_declared_dtype():
    assert dtype_fixup(S.exp, ["int8"], "float32") == (("float32",), None)
    assert dtype_fixup(S.exp, ["float64"], "float64") == ((None,), None)
    assert dtype_fixup(S.add, ["int8", "int8"], "int8") == ((None, None), None)


# ------------------------------------------------------------------- buffers and errors


def test_out_buffers_reuse_temporaries_but_never_inputs():
    _before, after = fuse([x, y, z], [T.exp(x) * y + z])
    (node,) = fused_nodes(after)
    source = node.op.scalar_op.implementation(np).source
    assert "out=r0" in source and "out=i" not in source
    f = theano.function([x, y, z], after.outputs[0], mode=NO_REWRITES)
    vals = [rand((50, 40)) for _ in range(3)]
    copies = [v.copy() for v in vals]
    out = f(*vals)
    for v, cpy in zip(vals, copies):
        np.testing.assert_array_equal(v, cpy)
        assert not np.shares_memory(out, v)
    np.testing.assert_array_equal(out, np.add(np.multiply(np.exp(copies[0]), copies[1]),
                                              copies[2]))


def test_views_of_temporaries_are_never_overwritten():
    # identity returns its operand and second a broadcast view of it: once exp(x) dies,
    # its array must not become an out= buffer while those results are still needed.
    e = T.exp(x)
    alias = S.identity(e)
    view = S.second(y, e)
    out = T.sin(e) * alias + T.cos(view) * view
    _before, after, ref, got = run_both([x, y], [out], [rand((3, 4)), rand((3, 4))])
    assert n_elemwise(after) == 1
    assert_bit_equal(got, ref)


def test_unchecked_shapes_fall_back_to_plain_code():
    # Called directly on arrays, the fused op broadcasts like NumPy (no declared pattern),
    # although an out= buffer of the first shape cannot hold the result.
    _before, after = fuse([x, y], [T.exp(x) * y + x])
    (node,) = fused_nodes(after)
    a, b = rand((1, 3)), rand((4, 3))
    got = node.op.impl(np, a, b)
    np.testing.assert_array_equal(got, np.exp(a) * b + a)


def test_size_mismatch_still_raises():
    _before, after = fuse([x, y], [T.exp(x) * y + x])
    f = theano.function([x, y], after.outputs[0], mode=NO_REWRITES)
    with pytest.raises(ValueError, match="Input dimension mis-match"):
        f(rand((1, 3)), rand((4, 3)))


def test_traceback_shows_the_generated_line():
    i, j = T.imatrices("i", "j")
    _before, after = fuse([i, j], [(i + j) // j * i])
    (node,) = fused_nodes(after)
    fn = node.op.scalar_op.implementation(np)
    # integer division by zero raises, as in Theano's C code
    with pytest.raises(ZeroDivisionError) as info:
        fn(np.ones((2, 2), "int32"), np.zeros((2, 2), "int32"))
    text = "".join(traceback.format_exception(info.value))
    assert "int_div(r0, i1)" in text and "fused_" in text
    # The fused node keeps the user line of the node it replaced.
    f = theano.function([i, j], after.outputs[0], mode=NO_REWRITES)
    with pytest.raises(ZeroDivisionError) as info:
        f(np.ones((2, 2), "int32"), np.zeros((2, 2), "int32"))
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "built at test_fusion.py" in notes and "in fuse()" not in notes


def test_wrong_input_dtypes_are_refused():
    comp = Composite(["float64", "float64"], [(S.mul, (0, 1), "float64")])
    assert comp.output_dtype("float64", "float64") == "float64"
    with pytest.raises(TypeError, match="built for inputs of dtype"):
        comp.output_dtype("float32", "float64")


# ------------------------------------------------------------------- identity and pickling


def test_identical_groups_compare_equal_and_merge():
    _before, after = fuse([x, y], [T.exp(x) * y + 1.0, T.exp(x) * y + 1.0])
    a, b = fused_nodes(after)
    assert a.op == b.op and hash(a.op) == hash(b.op) and a.op.scalar_op is not b.op.scalar_op
    merge(after)
    assert len(fused_nodes(after)) == 1
    other = fuse([x, y], [T.exp(x) * y - 1.0])[1]
    assert fused_nodes(other)[0].op != a.op


def test_fusing_again_inlines_composites():
    # Fusing a graph that already holds fused nodes inlines them: one flat Composite.
    _before, after = fuse([x, y], [T.exp(x) * y])
    again = FunctionGraph([x, y, z], [T.tanh(after.outputs[0] + z)])
    fuse_elemwise(again)
    (node,) = fused_nodes(again)
    comp = node.op.scalar_op
    assert all(not isinstance(op, Composite) for op, _, _ in comp.nodes)
    assert str(comp) == "Composite{tanh(((exp(i0) * i1) + i2))}"


def test_pickle_compiled_function_with_fused_node():
    _before, after = fuse([x, y, z], [T.nnet.sigmoid(x * y) + T.cast(z > 0, "float64")])
    f = theano.function([x, y, z], after.outputs[0], mode=NO_REWRITES)
    g = pickle.loads(pickle.dumps(f))
    vals = [rand((3, 4)) for _ in range(3)]
    np.testing.assert_array_equal(g(*vals), f(*vals))
    (node,) = fused_nodes(g.maker.fgraph)
    (orig,) = fused_nodes(after)
    assert node.op == orig.op and str(node.op) == str(orig.op)
    comp = pickle.loads(pickle.dumps(orig.op.scalar_op))
    assert comp == orig.op.scalar_op


# ------------------------------------------------------------------- gradients


def test_gradient_of_a_fused_node_matches_the_unfused_graph():
    i = T.imatrix("i")
    out = T.tanh(x * r) * y + T.exp(y) / (x + 3.0) + T.cast(i, "float64") * x
    before, after = fuse([x, r, y, i], [out])
    assert n_elemwise(after) == 1
    wrt = [x, r, y]
    g_ref = T.grad(before.outputs[0].sum(), wrt)
    g_fused = T.grad(after.outputs[0].sum(), wrt)
    vals = [rand((3, 4)), rand((1, 4)), rand((3, 4)), rand((3, 4), "int32", -3, 3)]
    ref = theano.function([x, r, y, i], g_ref, mode=NO_REWRITES)(*vals)
    got = theano.function([x, r, y, i], g_fused, mode=NO_REWRITES)(*vals)
    for gr, gg in zip(ref, got):
        assert gr.shape == gg.shape and gr.dtype == gg.dtype
        np.testing.assert_allclose(gg, gr, rtol=1e-10)


def test_rop_of_a_fused_node_matches_the_unfused_graph():
    v = T.matrix("v")
    out = T.tanh(x * y) + T.exp(x)
    after = fuse([x, y], [out])[1]
    vals = [rand((2, 3)) for _ in range(3)]
    ref = theano.function([x, y, v], T.Rop(out, x, v), mode=NO_REWRITES)(*vals)
    got = theano.function([x, y, v], T.Rop(after.outputs[0], x, v), mode=NO_REWRITES)(*vals)
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    np.testing.assert_allclose(got, vals[2] * ((1 - np.tanh(vals[0] * vals[1]) ** 2) * vals[1]
                                               + np.exp(vals[0])), rtol=1e-12)


def test_gradient_through_an_integer_step_is_zero():
    out = T.cast(T.floor(x * 3.0), "int32") * 2 + y
    _before, after = fuse([x, y], [out])
    assert n_elemwise(after) == 1
    gx = T.grad(after.outputs[0].sum(), x)
    val = theano.function([x], gx, mode=NO_REWRITES)(rand((2, 3)))
    np.testing.assert_array_equal(val, np.zeros((2, 3)))


def test_gradient_of_an_op_without_gradient_is_undefined():
    out = S.tri_gamma(x) * y
    before, after = fuse([x, y], [out])
    with pytest.raises(Exception) as unfused:
        T.grad(before.outputs[0].sum(), x)
    with pytest.raises(Exception) as fused:
        T.grad(after.outputs[0].sum(), x)
    assert type(fused.value) is type(unfused.value)


# ------------------------------------------------------------------- printing vs Theano


@pytest.fixture(scope="module")
def golden():
    with open(GOLDEN) as fh:
        return json.load(fh)


def _composite_text(inputs, expr):
    (node,) = fused_nodes(fuse(inputs, [expr])[1])
    return str(node.op.scalar_op)


def test_composite_text_of_every_op(golden):
    a, b, c3, d = (T.dmatrix(n) for n in "abcd")
    ia, ib = T.imatrices("ia", "ib")
    checked = 0
    for name, expected in golden["composite"].items():
        if name in ("invert", "and_", "or_", "xor"):
            args = [ia] if name == "invert" else [ia, ib]
            expr = getattr(S, name)(*args) * c3
            inputs = args + [c3]
        elif name == "cast":
            expr, inputs = T.cast(a, "int32") * b, [a, b]
        elif name in ("sigmoid", "softplus"):
            expr, inputs = getattr(T.nnet, name)(a) * b, [a, b]
        elif name == "nested":
            expr = ((a - b) - c3) / (a - (b - c3)) ** (-(a * b))
            inputs = [a, b, c3]
        elif name == "mul":
            # Fusion makes mul(mul(a, b), c) one n-ary mul node (Theano's
            # local_add_mul_fusion), not a Composite: the recorder's scalar graph, directly.
            sa, sb, sc = (theano.scalar.float64(n) for n in "abc")
            assert str(Composite([sa, sb, sc], [S.mul(sa, sb) * sc])) == expected
            checked += 1
            continue
        else:
            op = getattr(S, name)
            args = [a, b, c3][:op.nin]
            expr, inputs = op(*args) * [b, c3, d][op.nin - 1], args + [[b, c3, d][op.nin - 1]]
        assert _composite_text(inputs, expr) == expected, name
        checked += 1
    assert checked == len(golden["composite"]) > 70


@pytest.mark.parametrize("name", ["chain", "diamond", "diamond_with_shared_output",
                                  "unary_chain"])
def test_debugprint_and_pp_of_fused_functions(golden, name):
    e = T.exp(x)
    graphs = {
        "chain": ([x, y, z, w], [x * y + z - w]),
        "diamond": ([x, y, z], [(e * y) - (e + z)]),
        "diamond_with_shared_output": ([x, y, z], [(e * y) - (e + z), e]),
        "unary_chain": ([x], [T.tanh(T.sin(T.exp(x)))]),
    }
    inputs, outputs = graphs[name]
    after = fuse(inputs, outputs)[1]
    f = theano.function(inputs, after.outputs, mode=NO_REWRITES)
    assert theano.printing.debugprint(f, file="str") == golden["debugprint"][name]
    assert theano.pp(f.maker.fgraph.outputs[0]) == golden["pp"][name]


# ------------------------------------------------------- n-ary add and mul (local_add_mul_fusion)

# debugprint of FAST_RUN functions under Theano 1.0.5 (../shared/tools/theano-ref).
NARY_GOLDEN = {
    "(a+b)+(c+d)": "Elemwise{add,no_inplace} [id A] ''   0\n |a [id B]\n |b [id C]\n"
                   " |c [id D]\n |d [id E]\n",
    "a*b*c": "Elemwise{mul,no_inplace} [id A] ''   0\n |a [id B]\n |b [id C]\n |c [id D]\n",
    "exp(a+b+c)": "Elemwise{Composite{exp((i0 + i1 + i2))}} [id A] ''   0\n |a [id B]\n"
                  " |b [id C]\n |c [id D]\n",
    "a+b*c+d": "Elemwise{Composite{(i0 + (i1 * i2) + i3)}} [id A] ''   0\n |a [id B]\n"
               " |b [id C]\n |c [id D]\n |d [id E]\n",
    "(a+b)*(c+d)": "Elemwise{Composite{((i0 + i1) * (i2 + i3))}} [id A] ''   0\n |a [id B]\n"
                   " |b [id C]\n |c [id D]\n |d [id E]\n",
    "a+a+b": "Elemwise{add,no_inplace} [id A] ''   0\n |a [id B]\n |a [id B]\n |b [id C]\n",
}


def test_add_and_mul_chains_become_one_node_as_in_theano():
    a, b, c, d = (T.matrix(n) for n in "abcd")
    graphs = {"(a+b)+(c+d)": (a + b) + (c + d), "a*b*c": a * b * c,
              "exp(a+b+c)": T.exp(a + b + c), "a+b*c+d": a + b * c + d,
              "(a+b)*(c+d)": (a + b) * (c + d), "a+a+b": a + a + b}
    for name, expr in graphs.items():
        inputs = [v for v in (a, b, c, d) if v in theano.gof.graph.inputs([expr])]
        f = theano.function(inputs, expr, mode=FAST_RUN)
        buf = io.StringIO()
        theano.printing.debugprint(f, file=buf)
        assert buf.getvalue() == NARY_GOLDEN[name], name


def test_nary_add_accumulates_left_to_right_as_theano():
    a, b, c = (T.dmatrix(n) for n in "abc")
    f = theano.function([a, b, c], a + (b + c), mode=FAST_RUN)
    (node,) = f.maker.fgraph.toposort()
    assert len(node.inputs) == 3
    # (1 + 1e16) - 1e16 is 0 and 1 + (1e16 - 1e16) is 1: Theano 1.0.5 gave 0.
    got = f(np.array([[1.0]]), np.array([[1e16]]), np.array([[-1e16]]))
    assert got.tolist() == [[0.0]]


def test_nary_mul_of_mixed_dtypes_computes_as_theanos_loop():
    x, y = T.fmatrices("x", "y")
    z = T.dmatrix("z")
    node = T.mul.nary(x, y, z).owner
    f = theano.function([x, y, z], node.outputs[0], mode=NO_REWRITES)
    v = np.array([[1.1, 3.3, 1e20]], "float32")
    w = np.array([[1.7, 2.9, 1e20]], "float32")
    u = np.array([[1e-3, 1.0 / 3, 1e-30]])
    # x * y in float32 first (inf for 1e40), then times z in float64.
    expected = (v * w).astype("float64") * u
    got = f(v, w, u)
    assert got.dtype == "float64"
    np.testing.assert_array_equal(got, expected)
    assert np.isinf(got[0, 2])
    np.testing.assert_array_equal(node.op.impl(np, v, w, u), expected)


def test_nary_add_of_integers_does_not_wrap_in_the_narrow_dtype():
    i, j = T.bmatrices("i", "j")
    k = T.wmatrix("k")
    f = theano.function([i, j, k], (i + j) + k, mode=FAST_RUN)
    assert [len(n.inputs) for n in f.maker.fgraph.toposort()] == [3]
    got = f(np.full((1, 2), 100, "int8"), np.full((1, 2), 100, "int8"), np.ones((1, 2), "int16"))
    assert got.dtype == "int16" and got.tolist() == [[201, 201]]  # Theano 1.0.5: 201


def test_nary_node_broadcasts_and_differentiates():
    a = T.dmatrix("a")
    v = T.dvector("v")
    s = T.dscalar("s")
    out = T.mul.nary(a, v.dimshuffle("x", 0), s.dimshuffle("x", "x"))
    av, vv, sv = rand((3, 4)), rand((4,)), np.float64(1.5)
    f = theano.function([a, v, s], out, mode=NO_REWRITES)
    np.testing.assert_array_equal(f(av, vv, sv), (av * vv) * sv)
    grads = theano.function([a, v, s], theano.grad(out.sum(), [a, v, s]))(av, vv, sv)
    np.testing.assert_allclose(grads[0], np.broadcast_to(vv * sv, (3, 4)))
    np.testing.assert_allclose(grads[1], (av * sv).sum(axis=0))
    np.testing.assert_allclose(grads[2], (av * vv).sum())


def test_flattening_stops_at_a_shared_intermediate():
    a, b, c = (T.dmatrix(n) for n in "abc")
    ab = a + b
    f = theano.function([a, b, c], [ab + c, ab * 2.0], mode=FAST_RUN)
    adds = [n for n in f.maker.fgraph.toposort() if n.op == T.add]
    # a + b feeds two nodes: it stays, and (a + b) + c keeps it as one input (as in Theano).
    assert sorted(len(n.inputs) for n in adds) == [2, 2]
    assert adds[0].outputs[0] in adds[1].inputs


def test_theanos_local_add_mul_fusion_called_on_a_node():
    from theano.tensor.opt import local_add_mul_fusion

    a, b, c, d = (T.dmatrix(n) for n in "abcd")
    (out,) = local_add_mul_fusion(((a + b) + (c + d)).owner)
    assert out.owner.op == T.add and out.owner.inputs == [a, b, c, d]
    assert local_add_mul_fusion((a - b).owner) is False
    assert local_add_mul_fusion((a * b).owner) is False  # nothing to merge
