"""theano.ifelse.ifelse: values, types and errors (as Theano 1.0.5, checked with
tools/theano-ref), gradients to the taken branch only, R_op, shapes, use with updates,
and laziness: only the branch taken is computed.

Theano 1.0.5's values for a few ifelse graphs are in tests/golden/ifelse_ofg.theano105.json
(tests/golden/make_ifelse_ofg.py); the rest is checked against NumPy.
"""


import numpy as np
import pytest
import theano.tensor as T
from theano.compile.ops import as_op
from theano.gradient import verify_grad
import theano.ifelse as I
from theano.gof import FunctionGraph
from theano.gof.opt import in2out
from theano.ifelse import IfElse, ifelse
from theano_compat.tensor.ifelse import make_inplace_if

import theano
from tests.support import golden
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

rng = np.random.RandomState(7)
a, b = T.dmatrices("a", "b")
c = T.dscalar("c")
A, B = rng.randn(2, 3), rng.randn(2, 3)


_make = golden.load_recorder("make_ifelse_ofg")
GOLDEN = golden.load_record("ifelse_ofg.theano105.json")


@pytest.mark.parametrize("name", sorted(n for n in GOLDEN if n.startswith("ifelse")))
def test_matches_theano_105(name):
    got = _make.scenarios(theano, T)[name]()
    for g, want in zip(got, GOLDEN[name]):
        np.testing.assert_allclose(np.asarray(g, dtype=float), want, rtol=1e-12)
    assert len(got) == len(GOLDEN[name])


# ----------------------------------------------------------------------------- values


@pytest.mark.parametrize("cond,taken", [(1.0, "then"), (0.0, "else"), (-2.5, "then"),
                                        (np.nan, "then"), (1e-300, "then")])
def test_condition_nonzero_takes_then(cond, taken):
    f = theano.function([c, a, b], ifelse(c, a, b))
    np.testing.assert_array_equal(f(cond, A, B), A if taken == "then" else B)


def test_condition_from_a_comparison_and_an_integer():
    k = T.iscalar("k")
    f = theano.function([a, b], ifelse(T.lt(a.sum(), b.sum()), a * 2, b - 1))
    want = A * 2 if A.sum() < B.sum() else B - 1
    np.testing.assert_allclose(f(A, B), want)
    g = theano.function([k, a, b], ifelse(k, a, b))
    np.testing.assert_array_equal(g(3, A, B), A)
    np.testing.assert_array_equal(g(0, A, B), B)


def test_several_values_and_the_result_form_follows_the_then_branch():
    v = T.dvector("v")
    outs = ifelse(c, [a, v], [b, v * 2])
    assert isinstance(outs, list) and len(outs) == 2
    assert isinstance(ifelse(c, (a,), (b,)), tuple)
    assert isinstance(ifelse(c, [a], b), list)  # Theano accepted one list, one variable
    assert not isinstance(ifelse(c, a, [b]), (list, tuple))
    f = theano.function([c, a, b, v], outs)
    vv = rng.randn(4)
    got_then, got_else = f(1.0, A, B, vv), f(0.0, A, B, vv)
    np.testing.assert_array_equal(got_then[0], A)
    np.testing.assert_array_equal(got_then[1], vv)
    np.testing.assert_array_equal(got_else[0], B)
    np.testing.assert_array_equal(got_else[1], vv * 2)


def test_op_properties_and_printing():
    out = ifelse(c, a, b, name="choose")
    op = out.owner.op
    assert isinstance(op, IfElse) and op.n_outs == 1 and not op.as_view
    assert str(op) == "if{choose}" and str(IfElse(1)) == "if{}"
    assert str(IfElse(1, as_view=True, name="n")) == "if{n,inplace}"
    # Equality ignores the name (Theano's rule), so equal ifelses merge.
    assert IfElse(1, name="x") == IfElse(1, name="y") and IfElse(1) != IfElse(2)
    assert out.owner.inputs == [c, a, b]
    assert op.branches(out.owner) == ([1], [2])
    assert IfElse(2).lazy


def test_outputs_are_copies_not_views_of_the_inputs():
    v = T.dvector("v")
    f = theano.function([c, v], ifelse(c, v, v * 2))
    vv = np.arange(3.0)
    out = f(1.0, vv)
    assert not np.may_share_memory(out, vv)
    out[0] = 99.0
    np.testing.assert_array_equal(vv, [0.0, 1.0, 2.0])


def test_float32_branches_keep_their_dtype():
    fa = T.fmatrix("fa")
    f = theano.function([c, fa], ifelse(c, fa, fa * 2))
    out = f(0.0, np.ones((2, 2), "float32"))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, 2 * np.ones((2, 2)))


@pytest.mark.parametrize("optimizer", ["fast_run", "fast_compile", None])
def test_every_mode_gives_the_same_values(optimizer):
    mode = theano.compile.mode.Mode(optimizer=optimizer)
    f = theano.function([c, a, b], ifelse(c > 0, T.exp(a) + b, T.log1p(b ** 2)), mode=mode)
    np.testing.assert_allclose(f(1.0, A, B), np.exp(A) + B)
    np.testing.assert_allclose(f(-1.0, A, B), np.log1p(B ** 2))


def test_nested_ifelse():
    d = T.dscalar("d")
    out = ifelse(c, ifelse(d, a, b), a * b)
    f = theano.function([c, d, a, b], out)
    np.testing.assert_array_equal(f(1, 1, A, B), A)
    np.testing.assert_array_equal(f(1, 0, A, B), B)
    np.testing.assert_array_equal(f(0, 1, A, B), A * B)


def test_shape_is_chosen_by_the_condition_without_computing_the_values():
    # shape lifting is a FAST_RUN rewrite
    f = theano.function([c, a, b], ifelse(c, T.dot(a, a.T), b).shape, mode="FAST_RUN")
    x1, x2 = np.ones((2, 3)), np.ones((4, 5))
    np.testing.assert_array_equal(f(1.0, x1, x2), [2, 2])
    np.testing.assert_array_equal(f(0.0, x1, x2), [4, 5])
    ops = [str(n.op) for n in f.maker.fgraph.toposort()]
    assert not any("dot" in o.lower() for o in ops), ops


def test_ifelse_in_a_function_with_updates():
    counter = theano.shared(np.zeros(2), name="counter")
    step = T.dvector("step")
    f = theano.function([c, step], counter,
                        updates=[(counter, ifelse(c, counter + step, counter - step))])
    np.testing.assert_array_equal(f(1.0, [2.0, 1.0]), [0.0, 0.0])  # the value before
    np.testing.assert_array_equal(counter.get_value(), [2.0, 1.0])
    f(0.0, [0.5, 0.25])
    np.testing.assert_array_equal(counter.get_value(), [1.5, 0.75])


def test_ifelse_of_scalars_in_a_function_with_updates():
    counter = theano.shared(np.float64(0.0), name="counter")
    step = T.dscalar("step")
    f = theano.function([c, step], counter,
                        updates=[(counter, ifelse(c, counter + step, counter - step))])
    assert f(1.0, 2.0) == 0.0  # outputs see the value before the update
    assert counter.get_value() == 2.0
    f(0.0, 0.5)
    assert counter.get_value() == 1.5
    f(1.0, 3.0)
    assert counter.get_value() == 4.5


def test_symbolic_eval():
    np.testing.assert_array_equal(ifelse(c, a, b).eval({c: 0.0, a: A, b: B}), B)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize("then,other,what", [
    (T.dmatrix(), T.fmatrix(), "float32"),
    (T.dmatrix(), T.dvector(), "vector"),
    (T.drow(), T.dmatrix(), "row"),
    (T.ivector(), T.dvector(), "int32"),
    (1.0, T.dscalar(), "float32"),  # the literal is float32, as in Theano
])
def test_branches_of_different_types_are_a_type_error(then, other, what):
    with pytest.raises(TypeError, match="identical types") as err:
        ifelse(c, then, other)
    assert what in str(err.value)


def test_branches_of_different_lengths_are_a_value_error():
    with pytest.raises(ValueError, match="same number of variables"):
        ifelse(c, [a, b], [a])


def test_condition_must_be_a_scalar():
    with pytest.raises(TypeError, match="has to be a scalar"):
        ifelse(T.dvector(), a, b)
    with pytest.raises(TypeError, match="has to be a scalar"):
        ifelse(a, a, b)


def test_wrong_number_of_node_inputs():
    # Theano 1.0.5 raised AssertionError here.
    with pytest.raises(AssertionError, match="expected 5"):
        IfElse(2)(c, a, b)


def test_matching_literal_and_numpy_values_are_accepted():
    x = T.dscalar("x")
    assert ifelse(c, x, np.float64(1.0)).type == x.type
    assert ifelse(c, np.ones(3), T.dvector()).type == T.dvector().type
    assert ifelse(c, [], []) == []


# ----------------------------------------------------------------------------- gradients


def test_gradient_goes_to_the_taken_branch_only():
    out = ifelse(c, a * 3, b ** 2)
    ga, gb, gc = T.grad(out.sum(), [a, b, c])
    f = theano.function([c, a, b], [ga, gb, gc])
    ga_v, gb_v, gc_v = f(1.0, A, B)
    np.testing.assert_allclose(ga_v, np.full_like(A, 3.0))
    np.testing.assert_array_equal(gb_v, np.zeros_like(B))
    assert gc_v == 0.0  # the condition's gradient is zero, not disconnected (Theano)
    ga_v, gb_v, gc_v = f(0.0, A, B)
    np.testing.assert_array_equal(ga_v, np.zeros_like(A))
    np.testing.assert_allclose(gb_v, 2 * B)


def test_condition_only_gets_a_zero_gradient():
    g = T.grad(ifelse(c, a, b).sum(), c)
    assert theano.function([c, a, b], g, on_unused_input="ignore")(1.0, A, B) == 0.0


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("cond", [1.0, 0.0])
def test_verify_grad_both_branches(dtype, cond):
    r = np.random.RandomState(3)
    pt = [r.randn(3, 4).astype(dtype), r.randn(3, 4).astype(dtype)]
    verify_grad(lambda x, y: ifelse(np.asarray(cond, dtype), T.tanh(x) * y, x * y ** 2),
                pt, rng=r)


def test_gradient_of_one_output_of_several():
    # Theano 1.0.5 crashed on this (AttributeError on a DisconnectedType gradient).
    o1, o2 = ifelse(c, [a, b * 2], [b, a])
    f = theano.function([c, a, b], T.grad((o1 * B).sum(), [a, b]))
    ga, gb = f(1.0, A, B)
    np.testing.assert_allclose(ga, B)
    np.testing.assert_array_equal(gb, 0 * B)
    ga, gb = f(0.0, A, B)
    np.testing.assert_array_equal(ga, 0 * A)
    np.testing.assert_allclose(gb, B)
    # Both outputs: the two branches' contributions add up where a value is used twice.
    f2 = theano.function([c, a, b], T.grad((o1 * o2).sum(), [a, b]))
    ga, gb = f2(1.0, A, B)  # o1 * o2 = a * 2b
    np.testing.assert_allclose(ga, 2 * B)
    np.testing.assert_allclose(gb, 2 * A)
    ga, gb = f2(0.0, A, B)  # o1 * o2 = b * a
    np.testing.assert_allclose(ga, B)
    np.testing.assert_allclose(gb, A)


def test_rop_follows_the_taken_branch():
    va, vb = T.dmatrices("va", "vb")
    r = T.Rop(ifelse(c, a * 2, T.sin(b)), [a, b], [va, vb])
    f = theano.function([c, a, b, va, vb], r)
    VA, VB = rng.randn(2, 3), rng.randn(2, 3)
    np.testing.assert_allclose(f(1.0, A, B, VA, VB), 2 * VA)
    np.testing.assert_allclose(f(0.0, A, B, VA, VB), np.cos(B) * VB)


# ----------------------------------------------------------------------------- laziness

_calls = {"expensive": 0}


@as_op(itypes=[T.dmatrix], otypes=[T.dmatrix])
def _expensive(x):
    _calls["expensive"] += 1
    return x * 10


@as_op(itypes=[T.dmatrix], otypes=[T.dmatrix])
def _forbidden(x):
    raise AssertionError("the branch not taken was computed")


def test_only_the_taken_branch_is_computed():
    # The detector works: a strict switch computes both sides and trips it.
    with pytest.raises(AssertionError, match="not taken was computed"):
        theano.function([c, a, b], T.switch(c, a, _forbidden(b)))(1.0, A, B)
    f = theano.function([c, a, b], ifelse(c, T.exp(a) + 1, _forbidden(b) * 2))
    np.testing.assert_allclose(f(1.0, A, B), np.exp(A) + 1)
    g = theano.function([c, a, b], ifelse(c, _forbidden(a), b - 1))
    np.testing.assert_allclose(g(0.0, A, B), B - 1)


def test_tutorial_ifelse_versus_switch_counts_evaluations():
    # The tutorial's comparison: z_switch computes both means, z_lazy only one.
    x, y = T.dmatrices("x", "y")
    cond_a, cond_b = T.dscalars("cond_a", "cond_b")
    big_x, big_y = np.ones((300, 300)), np.full((300, 300), 2.0)
    z_switch = T.switch(T.lt(cond_a, cond_b), T.mean(_expensive(x)), T.mean(_expensive(y)))
    z_lazy = ifelse(T.lt(cond_a, cond_b), T.mean(_expensive(x)), T.mean(_expensive(y)))
    f_switch = theano.function([cond_a, cond_b, x, y], z_switch)
    f_lazy = theano.function([cond_a, cond_b, x, y], z_lazy)
    _calls["expensive"] = 0
    for _ in range(5):
        assert f_switch(1.0, 2.0, big_x, big_y) == 10.0
    assert _calls["expensive"] == 10  # switch is strict: both sides, every call
    _calls["expensive"] = 0
    for _ in range(5):
        assert f_lazy(1.0, 2.0, big_x, big_y) == 10.0
        assert f_lazy(3.0, 2.0, big_x, big_y) == 20.0
    assert _calls["expensive"] == 10  # one side per call


def test_nodes_shared_by_both_branches_run_once_and_before_the_choice():
    shared_part = _expensive(a)
    f = theano.function([c, a], ifelse(c, shared_part + 1, shared_part - 1))
    _calls["expensive"] = 0
    np.testing.assert_allclose(f(1.0, A), A * 10 + 1)
    np.testing.assert_allclose(f(0.0, A), A * 10 - 1)
    assert _calls["expensive"] == 2


# ------------------------------------------------------------------ rewrites (theano.ifelse)


def _ifelse_nodes(f):
    return [n for n in f.maker.fgraph.toposort() if isinstance(n.op, IfElse)]


def test_fast_run_makes_the_ifelse_inplace_as_theano():
    # Theano 1.0.5's FAST_RUN graph holds if{inplace} (cond_make_inplace, optdb position
    # 95, tags fast_run and inplace); FAST_COMPILE and excluding 'inplace' keep if{}.
    x, y = T.dvectors("x", "y")
    k = T.iscalar("k")
    f = theano.function([k, x, y], ifelse(k, x, y), mode=FAST_RUN)
    assert [str(n.op) for n in _ifelse_nodes(f)] == ["if{,inplace}"]
    vx, vy = np.arange(3.0), np.arange(5.0)
    out = f(1, vx, vy)
    np.testing.assert_array_equal(out, vx)
    assert not np.may_share_memory(out, vx)  # an output never aliases an input
    np.testing.assert_array_equal(f(0, vx, vy), vy)
    for mode in (theano.compile.get_mode("FAST_COMPILE"),
                 theano.compile.get_mode("FAST_RUN").excluding("inplace"),
                 theano.compile.get_mode("FAST_RUN").excluding("cond_make_inplace")):
        g = theano.function([k, x, y], ifelse(k, x, y), mode=mode)
        assert [str(n.op) for n in _ifelse_nodes(g)] == ["if{}"]


def test_big_graphs_keep_scalar_ifelse_copying():
    # Theano skipped the in-place rewrite of all-scalar IfElse in graphs of 500+ nodes.
    s, t = T.dscalars("s", "t")
    node = ifelse(c, s, t).owner
    assert make_inplace_if(node, 499)[0].owner.op.as_view
    assert make_inplace_if(node, 500) is None
    v, w = T.dvectors("v", "w")
    assert make_inplace_if(ifelse(c, v, w).owner, 10 ** 4)[0].owner.op.as_view


def _apply_local(opt, outputs, inputs):
    fg = FunctionGraph(inputs, outputs, clone=False)
    in2out(opt).optimize(fg)
    return fg


def test_cond_remove_identical_merges_equal_output_pairs():
    x, y, z = T.dvectors("x", "y", "z")
    o1, o2, o3 = ifelse(c, [x, y, x], [z, z, z])
    fg = _apply_local(I.cond_remove_identical, [o1, o2, o3], [c, x, y, z])
    nodes = [n for n in fg.toposort() if isinstance(n.op, IfElse)]
    assert len(nodes) == 1 and nodes[0].op.n_outs == 2
    assert fg.outputs[0] is fg.outputs[2]
    f = theano.function([c, x, y, z], fg.outputs)
    vals = [np.arange(2.0), np.arange(2.0) + 5, -np.arange(2.0)]
    for cv, want in ((1.0, [vals[0], vals[1], vals[0]]), (0.0, [vals[2]] * 3)):
        for got, exp in zip(f(cv, *vals), want):
            np.testing.assert_array_equal(got, exp)


@pytest.mark.parametrize("side", ["true", "false"])
def test_cond_merge_ifs_takes_the_inner_value_of_the_same_condition(side):
    x, y, z = T.dvectors("x", "y", "z")
    inner = ifelse(c, x, y)
    out = ifelse(c, inner, z) if side == "true" else ifelse(c, z, inner)
    opt = I.cond_merge_ifs_true if side == "true" else I.cond_merge_ifs_false
    fg = _apply_local(opt, [out], [c, x, y, z])
    (node,) = [n for n in fg.toposort() if isinstance(n.op, IfElse)]
    assert node.inputs == ([c, x, z] if side == "true" else [c, z, y])


def test_lift_through_acceptable_ops_and_merge_random_op():
    x, y = T.dvectors("x", "y")
    out = T.exp(ifelse(c, x, y))
    fg = _apply_local(I.ifelse_lift_single_if_through_acceptable_ops, [out], [c, x, y])
    assert isinstance(fg.outputs[0].owner.op, IfElse)
    f = theano.function([c, x, y], fg.outputs[0])
    vx, vy = np.arange(3.0), np.arange(3.0) + 1
    np.testing.assert_allclose(f(1.0, vx, vy), np.exp(vx))
    np.testing.assert_allclose(f(0.0, vx, vy), np.exp(vy))
    assert I.acceptable_ops and T.elemwise.Elemwise in I.acceptable_ops

    a, b = ifelse(c, x, y), ifelse(c, y, x)
    fg = _apply_local(I.cond_merge_random_op, [a + b], [c, x, y])
    nodes = [n for n in fg.toposort() if isinstance(n.op, IfElse)]
    assert len(nodes) == 1 and nodes[0].op.n_outs == 2
    f = theano.function([c, x, y], fg.outputs[0])
    np.testing.assert_allclose(f(1.0, vx, vy), vx + vy)

    fg = FunctionGraph([c, x, y], [ifelse(c, x, y) * ifelse(c, y, x)])
    I.CondMerge().optimize(fg)
    assert len([n for n in fg.toposort() if isinstance(n.op, IfElse)]) == 1
    np.testing.assert_allclose(theano.function([c, x, y], fg.outputs[0])(0.0, vx, vy),
                               vy * vx)
