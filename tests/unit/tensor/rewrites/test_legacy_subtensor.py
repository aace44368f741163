"""Theano 1.0.5's subtensor / increment rewrites (theano_compat/tensor/rewrites/
legacy_subtensor.py): the graphs they leave under FAST_RUN and the values of those graphs
against NumPy (the reference: the same indexing done on arrays)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.compile.ops import DeepCopyOp
from theano_compat.tensor import opt
from theano_compat.tensor.rewrites.assert_op import Assert
from theano_compat.tensor.subtensor import (AdvancedIncSubtensor, AdvancedIncSubtensor1,
                                            AdvancedSubtensor1, IncSubtensor, Subtensor)

RNG = np.random.RandomState(11)
FAST_RUN = theano.compile.mode.get_mode("FAST_RUN")


def _nodes(f, cls):
    return [n for n in f.maker.fgraph.toposort() if isinstance(n.op, cls)]


def _np_or_error(fn):
    try:
        return fn()
    except IndexError:
        return IndexError


# ------------------------------------------------------------------- local_subtensor_merge

_CONST_SLICES = [slice(None), slice(1, None), slice(None, -1), slice(None, None, -1),
                 slice(-2, None, -2), slice(4, 0, -1), slice(0, 7, 3), slice(-7, 2),
                 slice(None, None, 2)]


def test_merge_of_constant_slices_gives_one_subtensor_and_numpy_values():
    x = T.vector("x")
    data = [np.arange(n, dtype=x.dtype) for n in (0, 1, 2, 5, 8)]
    for s1, s2 in itertools.product(_CONST_SLICES, _CONST_SLICES + [0, 1, -1, -3]):
        f = theano.function([x], x[s1][s2], mode=FAST_RUN)
        assert len(_nodes(f, Subtensor)) <= 1, (s1, s2)
        for v in data:
            expected = _np_or_error(lambda: v[s1][s2])
            if expected is IndexError:
                with pytest.raises(IndexError):
                    f(v)
            else:
                np.testing.assert_array_equal(f(v), expected)


def test_merge_of_symbolic_slices_matches_numpy_for_all_signs():
    x = T.matrix("x")
    b1, e1, s1, b2, e2, s2 = T.iscalars("b1", "e1", "s1", "b2", "e2", "s2")
    f = theano.function([x, b1, e1, s1, b2, e2, s2], x[b1:e1:s1][b2:e2:s2], mode=FAST_RUN)
    assert len(_nodes(f, Subtensor)) == 1
    assert isinstance(f.maker.fgraph.toposort()[-1].op, DeepCopyOp)
    for n in (0, 1, 3, 6):
        v = RNG.rand(n, 2).astype(x.dtype)
        for _ in range(60):
            b1v, e1v, b2v, e2v = RNG.randint(-7, 7, size=4)
            s1v, s2v = RNG.choice([-3, -2, -1, 1, 2, 3], size=2)
            got = f(v, b1v, e1v, s1v, b2v, e2v, s2v)
            np.testing.assert_array_equal(got, v[b1v:e1v:s1v][b2v:e2v:s2v])


def test_merge_of_slice_then_index_raises_where_numpy_does():
    x = T.vector("x")
    b, s, i = T.iscalars("b", "s", "i")
    f = theano.function([x, b, s, i], x[b::s][i], mode=FAST_RUN)
    assert len(_nodes(f, Subtensor)) == 1
    for n in (0, 1, 4):
        v = np.arange(n, dtype=x.dtype) + 10
        for bv in range(-5, 5):
            for sv in (-2, -1, 1, 3):
                for iv in range(-5, 5):
                    expected = _np_or_error(lambda: v[bv::sv][iv])
                    if expected is IndexError:
                        with pytest.raises(IndexError):
                            f(v, bv, sv, iv)
                    else:
                        assert f(v, bv, sv, iv) == expected


def test_merge_keeps_integer_index_of_the_first_subtensor():
    x = T.tensor3("x")
    v = RNG.rand(8, 8, 8).astype(x.dtype)
    for build, ref in [(lambda t: t[3:6, 2, 1:7][1], lambda a: a[3:6, 2, 1:7][1]),
                       (lambda t: t[2, 3][1], lambda a: a[2, 3][1]),
                       (lambda t: t[3:6, 2:6][1:, ::-1], lambda a: a[3:6, 2:6][1:, ::-1])]:
        f = theano.function([x], build(x), mode=FAST_RUN)
        assert len(_nodes(f, Subtensor)) == 1
        np.testing.assert_array_equal(f(v), ref(v))


def test_merge_is_excluded_by_name():
    x = T.vector("x")
    f = theano.function([x], x[1:][::-1], mode=FAST_RUN.excluding("local_subtensor_merge"))
    assert len(_nodes(f, Subtensor)) == 2


def test_merge_two_slices_helper_on_constants():
    # len 10: x[2:9:2] is [2, 4, 6, 8]; its [::-1][1:] is [6, 4, 2] = x[6:1:-2]
    merged = opt.merge_two_slices(slice(2, 9, 2), 10, slice(None, None, -1), 4)
    got = T.as_tensor_variable(np.arange(10))[merged].eval()
    np.testing.assert_array_equal(got, np.arange(10)[2:9:2][::-1])
    with pytest.raises(ValueError):
        opt.merge_two_slices(1, 10, slice(None), 10)


# ---------------------------------------------------------- useless slices and subtensors


def test_useless_subtensor_removed_only_for_whole_dimensions():
    x = T.matrix("x")
    v = np.arange(6.0).reshape(2, 3).astype(x.dtype)
    cases = [((slice(0, None),), True, np.exp(v)),
             ((slice(0, x.shape[0]),), True, np.exp(v)),
             ((slice(0, x.shape[1]),), False, np.exp(v)[0:3]),
             ((slice(1, None),), False, np.exp(v)[1:]),
             ((slice(0, x.shape[0]), slice(0, x.shape[1])), True, np.exp(v)),
             ((slice(0, x.shape[1]), slice(0, x.shape[0])), False, np.exp(v)[:3, :2])]
    for idx, useless, expected in cases:
        f = theano.function([x], T.exp(x)[idx], mode=FAST_RUN)
        assert bool(_nodes(f, Subtensor)) is not useless, idx
        np.testing.assert_allclose(f(v), expected)
    xc = T.specify_shape(x, (2, 3))
    for idx, useless in [((slice(0, 2), slice(0, 13)), True), ((slice(0, 1),), False),
                         ((slice(0, 3), slice(0, 2)), False)]:
        f = theano.function([x], T.exp(xc)[idx], mode=FAST_RUN)
        assert bool(_nodes(f, Subtensor)) is not useless, idx
        np.testing.assert_allclose(f(v), np.exp(v)[idx])


def test_useless_advanced_subtensor1_of_arange():
    x = T.matrix("x")
    xc = T.specify_shape(x, (2, 3))
    v = RNG.rand(2, 3).astype(x.dtype)
    for idx, useless, rows in [([0, 1], True, [0, 1]), ([1, 0], False, [1, 0]),
                               (T.arange(2), True, [0, 1]), (T.arange(1, 2), False, [1])]:
        f = theano.function([x], T.exp(xc)[idx], mode=FAST_RUN)
        assert bool(_nodes(f, AdvancedSubtensor1)) is not useless
        np.testing.assert_allclose(f(v), np.exp(v)[rows])


def test_useless_slice_drops_trailing_full_slices():
    x = T.tensor4("x")
    node = Subtensor([("int", 1), ("slice", None, None, None), ("slice", None, None, 1)])(x)
    (new,) = opt.local_useless_slice.transform(node.owner)
    assert new.owner.op.idx_list == (("int", 1),)
    v = RNG.rand(2, 3, 4, 5).astype(x.dtype)
    np.testing.assert_array_equal(new.eval({x: v}), v[1])


# ----------------------------------------------------------------- of alloc / dot / vector


def test_subtensor_of_alloc_takes_the_value_not_the_alloc():
    x = T.matrix("x")
    y = T.vector("y")
    v = RNG.rand(5, 3).astype(x.dtype)
    yv = RNG.rand(3).astype(x.dtype)
    for idx in [0, (slice(1, 4),), (slice(None), 1), (slice(None, None, -2), 2),
                (slice(1, None), slice(0, 2))]:
        out = T.alloc(y, x.shape[0], 3)[idx]
        f = theano.function([x, y], out, mode=FAST_RUN)
        np.testing.assert_array_equal(f(v, yv), np.broadcast_to(yv, (5, 3))[idx])
        assert not _nodes(f, Subtensor) or all(
            n.inputs[0].owner is None or not isinstance(n.inputs[0].owner.op, T.Alloc)
            for n in _nodes(f, Subtensor))


def test_subtensor_of_alloc_of_a_broadcastable_value():
    v, n = T.row("v"), T.iscalar("n")
    vv = RNG.rand(1, 3).astype(v.dtype)
    full = np.broadcast_to(vv, (5, 4, 3))
    for idx in [(slice(None), 1), (2, slice(1, 3)), (-1,),
                (slice(None, None, -2), 0, slice(None, None, -1))]:
        f = theano.function([v, n], T.alloc(v, n, 4, 3)[idx], mode=FAST_RUN)
        assert isinstance(f.maker.fgraph.outputs[0].owner.op, T.Alloc)
        np.testing.assert_array_equal(f(vv, 5), full[idx])


def test_subtensor_of_dot_indexes_the_operands():
    a, b = T.tensor3("a"), T.tensor3("b")
    i = T.iscalar("i")
    av = RNG.rand(2, 5, 3).astype(a.dtype)
    bv = RNG.rand(4, 3, 6).astype(a.dtype)
    f = theano.function([a, b, i], T.dot(a, b)[i, 1:4, :, i:], mode=FAST_RUN)
    np.testing.assert_allclose(f(av, bv, 1), np.dot(av, bv)[1, 1:4, :, 1:])
    for n in _nodes(f, T.Dot):
        assert n.outputs[0].type.ndim == 3  # the dot of the indexed operands


def test_subtensor_make_vector_slices_and_index_vectors():
    x, y, z = T.lscalars("x", "y", "z")
    v = T.make_vector(x, y, z)
    for idx, expected in [(slice(None, 2), [0, 1]), (slice(None, None, 2), [0, 2]),
                          ([0, 2], [0, 2]), ([2, -3, 1], [2, 0, 1])]:
        f = theano.function([x, y, z], v[idx], mode=FAST_RUN)
        (node,) = f.maker.fgraph.toposort()
        assert isinstance(node.op, T.MakeVector)
        np.testing.assert_array_equal(f(0, 1, 2), expected)


def test_join_make_vector_merges_the_vectors():
    a, b, c = T.lscalars("a", "b", "c")
    u = T.lvector("u")
    out = T.join(0, T.make_vector(a, b), T.make_vector(c), u, T.make_vector(a))
    g = theano.function([a, b, c, u], out, mode=FAST_RUN)
    (join,) = _nodes(g, T.Join)
    assert len(join.inputs) == 4  # axis, [a, b, c], u, [a]
    np.testing.assert_array_equal(g(1, 2, 3, [7, 8]), [1, 2, 3, 7, 8, 1])


# ------------------------------------------------------------------------- increments


def test_incsubtensor_serialize_chains_the_increments():
    x = T.matrix("x")
    y = T.vector("y")
    i, j = T.lvectors("i", "j")
    base = T.zeros_like(x)
    out = T.inc_subtensor(base[i], y) + T.inc_subtensor(base[j], 2 * y) + x
    f = theano.function([x, y, i, j], out, mode=FAST_RUN)
    last = f.maker.fgraph.outputs[0].owner
    assert isinstance(last.op, (AdvancedIncSubtensor1, IncSubtensor, AdvancedIncSubtensor))
    xv, yv = RNG.rand(4, 3).astype(x.dtype), RNG.rand(3).astype(x.dtype)
    iv, jv = np.array([0, 2, 2]), np.array([1, 2])
    ref = xv.copy()
    np.add.at(ref, iv, yv)
    np.add.at(ref, jv, 2 * yv)
    np.testing.assert_allclose(f(xv, yv, iv, jv), ref)


def test_set_to_inc_subtensor():
    x = T.matrix("x")
    y = T.matrix("y")
    i = T.lvector("i")
    out = T.set_subtensor(x[i], x[i] + y)
    f = theano.function([x, y, i], out, mode=FAST_RUN)
    (node,) = _nodes(f, AdvancedIncSubtensor1)
    assert not node.op.set_instead_of_inc
    assert not _nodes(f, AdvancedSubtensor1)
    xv, yv = RNG.rand(4, 3).astype(x.dtype), RNG.rand(2, 3).astype(x.dtype)
    ref = xv.copy()
    ref[[3, 1]] = xv[[3, 1]] + yv
    np.testing.assert_allclose(f(xv, yv, [3, 1]), ref)


def test_useless_inc_subtensor_needs_the_shape():
    x, y = T.matrix("x"), T.matrix("y")
    for sub in (slice(None), slice(None, None, -1)):
        f = theano.function([x, y], T.set_subtensor(x[:, sub], T.specify_shape(y, x.shape)),
                            mode=FAST_RUN)
        assert not _nodes(f, IncSubtensor)
        np.testing.assert_array_equal(f([[2, 3]], [[3, 4]]), np.asarray([[3, 4]])[:, sub])
        g = theano.function([x, y], T.set_subtensor(x[:, sub], y), mode=FAST_RUN)
        assert _nodes(g, IncSubtensor)
        np.testing.assert_array_equal(g([[2, 3], [3, 4]], [[5, 6]]),
                                      np.asarray([[5, 6], [5, 6]])[:, sub])


def test_adv_sub1_of_adv_set_sub1_is_the_value_with_checks():
    x, y = T.matrix("x"), T.dmatrix("y")
    i = T.ivector("i")
    f = theano.function([x, y, i], T.set_subtensor(x[i], y)[i], mode=FAST_RUN)
    assert not _nodes(f, AdvancedIncSubtensor1) and not _nodes(f, AdvancedSubtensor1)
    assert _nodes(f, Assert)
    yv = RNG.rand(3, 5)
    xv = RNG.rand(4, 5).astype(x.dtype)
    yv[2] = yv[1]
    np.testing.assert_allclose(f(xv, yv, [1, 3, 3]), yv.astype(x.dtype))
    with pytest.raises((AssertionError, IndexError)):
        f(xv, yv[:2], [4, 4])
    with pytest.raises((AssertionError, ValueError)):
        f(xv, yv, [1])


def test_inc_subtensor_with_index_matrix_is_advanced_inc_subtensor():
    x = T.vector("x")
    i = T.lmatrix("i")
    z = T.advanced_inc_subtensor(x, T.ones_like(i, dtype=x.dtype), i)
    assert type(z.owner.op) is AdvancedIncSubtensor
    iv = np.array([[0, 1, 1], [4, 0, 2]])
    ref = np.zeros(5, x.dtype)
    np.add.at(ref, iv, 1)
    np.testing.assert_array_equal(theano.function([x, i], z)(np.zeros(5, x.dtype), iv), ref)


def test_useless_split_asserts_the_single_size():
    x = T.matrix("x")
    splits = T.ivector("splits")
    f = theano.function([x, splits], T.split(x, splits, n_splits=1), mode=FAST_RUN)
    assert not _nodes(f, T.Split) and _nodes(f, Assert)
    v = RNG.rand(4, 2).astype(x.dtype)
    (out,) = f(v, [4])
    np.testing.assert_array_equal(out, v)
    with pytest.raises(AssertionError):
        f(v, [3])


def test_subtensor_lift_through_rebroadcast():
    y = T.tensor4("y")
    newy = T.Rebroadcast((0, True), (2, True))(y)
    f = theano.function([y], newy[:, 3, 0], mode=FAST_RUN)
    ops = [type(n.op) for n in f.maker.fgraph.toposort()]
    assert ops[:2] == [Subtensor, T.Rebroadcast]
    v = RNG.rand(1, 10, 1, 3).astype(y.dtype)
    np.testing.assert_array_equal(f(v), v[:, 3, 0])


def test_view_op_and_inplace_rules():
    x = T.vector("x")
    view = theano.compile.ops.ViewOp()(x)
    assert opt.local_view_op.transform(view.owner) == [x]
    assert opt.local_view_op.transform((x * 2).owner) is False
    inc = T.inc_subtensor(x[1:], 1.0)
    # No in-place op is put in a graph here: the rules keep the node.
    assert opt.local_inplace_setsubtensor.transform(inc.owner) is False
