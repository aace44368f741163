"""Indexing and set/inc_subtensor rules of theano_compat/tensor/subtensor.py that legacy
code relied on, as Theano 1.0.5 (values recorded with ../shared/tools/theano-ref)."""

import numpy as np
import pytest
import theano.tensor as T

import theano
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

X = np.arange(12.0).reshape(3, 4)
T3 = np.arange(24.0).reshape(2, 3, 4)


def _run(var, out, value):
    return theano.function([var], out)(value)


def test_a_list_holding_slices_is_a_tuple_of_indices():
    # Theano 1.0.5 (as NumPy before 1.23) read x[[slice(None), 0]] as x[:, 0]; NumPy 2
    # refuses such a list.  Recorded: the result's ndim and values.
    x, t = T.matrix("x", dtype="float64"), T.tensor3("t", dtype="float64")
    out = x[[slice(None), 0]]
    assert out.ndim == 1 and _run(x, out, X).tolist() == [0.0, 4.0, 8.0]
    assert _run(x, x[[0, slice(None)]], X).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert _run(x, x[[slice(1, 3), slice(None, None, 2)]], X).tolist() == [[4.0, 6.0],
                                                                           [8.0, 10.0]]
    assert _run(x, x[[slice(None)]], X).tolist() == X.tolist()
    assert _run(t, t[[slice(None), 0, slice(1, 3)]], T3).tolist() == [[1.0, 2.0],
                                                                      [13.0, 14.0]]
    # With set_subtensor too (it indexes through the same rule).
    y = T.set_subtensor(x[[slice(None), 1]], 0)
    assert _run(x, y, X)[:, 1].tolist() == [0.0, 0.0, 0.0]
    # A list without a slice is still an integer (advanced) index; None or Ellipsis in a
    # list fail to convert, as in Theano.
    assert _run(x, x[[1, 2]], X).tolist() == X[[1, 2]].tolist()
    for bad in ([None, 0], [Ellipsis, 0]):
        with pytest.raises(TypeError):  # Theano: AsTensorError, a TypeError
            x[bad]


def test_indexing_with_an_empty_list():
    # Theano: an empty list (or tuple, or array) is an empty int64 index.
    x, v = T.matrix("x", dtype="float64"), T.vector("v", dtype="float64")
    out = x[[]]
    assert out.broadcastable == (False, False)
    assert _run(x, out, X).shape == (0, 4)
    assert _run(v, v[[]], np.arange(5.0)).shape == (0,)
    assert _run(v, v[np.array([], dtype="float64")], np.arange(5.0)).shape == (0,)
    assert _run(x, x[[], 1], X).shape == (0,)


def test_float64_value_into_a_float32_tensor():
    # Theano 1.0.5 built both with the float64 value as input and a float32 result; the
    # value is rounded to float32 when written (1e40 becomes inf), and inc_subtensor adds
    # in float64 then casts.
    x, d = T.fmatrix("x"), T.dvector("d")
    X32 = np.arange(6, dtype="float32").reshape(2, 3)
    for build in (T.set_subtensor, T.inc_subtensor):
        out = build(x[0], d)
        assert out.dtype == "float32"
        assert [i.dtype for i in out.owner.inputs[:2]] == ["float32", "float64"]
    got = theano.function([x, d], T.set_subtensor(x[0], d))(X32, np.array([1 + 1e-10, 2.7,
                                                                            1e40]))
    assert got.dtype == np.float32
    assert got.tolist() == [[1.0, np.float32(2.7), np.inf], [3.0, 4.0, 5.0]]
    got = theano.function([x, d], T.inc_subtensor(x[0], d))(X32, np.array([1 + 1e-10, 2.7,
                                                                            3.3]))
    assert got.dtype == np.float32
    assert got.tolist() == [[1.0, np.float32(3.7), np.float32(5.3)], [3.0, 4.0, 5.0]]
    # Advanced indexing and a Python float (float32 constant) follow the same rule.
    out = T.inc_subtensor(x[[0, 1]], T.dmatrix())
    assert out.dtype == "float32"
    assert T.set_subtensor(x[0], 1.5).owner.inputs[1].dtype == "float32"
    # int64 into int32 too: the result keeps the tensor's dtype.
    assert T.inc_subtensor(T.ivector()[0], T.lscalar()).dtype == "int32"


# --------------------------------------------- Theano's Subtensor API (issue 16 point 3)

from theano.tensor.subtensor import (  # noqa: E402
    AdvancedIncSubtensor1,
    AdvancedSubtensor,
    Subtensor,
    adv_index_broadcastable_pattern,
    as_index_variable,
    check_advanced_indexing_dimensions,
    check_and_reject_bool,
    get_canonical_form_slice,
    get_idx_list,
)

_BOUNDS = [None, -7, -3, -1, 0, 1, 2, 4, 6]


@pytest.mark.parametrize("step", [None, -3, -2, -1, 1, 2, 3])
def test_canonical_form_slice_matches_numpy(step):
    # x[s] == x[canonical][::reverse] for every start/stop (symbolic, constant or None)
    # and length (NumPy is the reference).
    start, stop, length = T.lscalar(), T.lscalar(), T.lscalar()
    cases = [(sb, se) for sb in (None, start, 2) for se in (None, stop, -1)]
    for sb, se in cases:
        cnf, rev = get_canonical_form_slice(slice(sb, se, step), length)
        fn = theano.function([start, stop, length],
                             [T.as_tensor_variable(v) for v in
                              (cnf.start, cnf.stop, cnf.step, rev)],
                             on_unused_input="ignore")
        for b in _BOUNDS if sb is start else [sb]:
            for e in _BOUNDS if se is stop else [se]:
                if b is None and sb is start or e is None and se is stop:
                    continue
                for n in (0, 1, 5):
                    a, z, st, r = (int(v) for v in fn(b or 0, e or 0, n))
                    assert 0 <= a <= z <= n and st > 0
                    data = np.arange(n)
                    assert data[a:z:st][::r].tolist() == data[b:e:step].tolist(), \
                        (b, e, step, n)


def test_canonical_form_of_an_integer_index():
    i, n = T.lscalar(), T.lscalar()
    value, rev = get_canonical_form_slice(i, n)
    f = theano.function([i, n], value)
    assert (int(f(-2, 5)), int(f(3, 5)), rev) == (3, 3, 1)


def test_slice_shapes_are_inferred_without_the_subtensor():
    x = T.dmatrix("x")
    for idx in (np.index_exp[1:, :2], np.index_exp[::-2, 1:-1:2], np.index_exp[-10:3:3, ::-1],
                np.index_exp[1, None, 2:0:-1], np.index_exp[:, None, 3:]):
        y = x[idx]
        f = theano.function([x], y.shape, mode=FAST_RUN)
        assert not any(isinstance(n.op, Subtensor) for n in f.maker.fgraph.toposort()), idx
        for shape in ((7, 5), (2, 1), (3, 0)):
            assert tuple(f(np.zeros(shape))) == np.zeros(shape)[idx].shape, (idx, shape)


def test_advanced_shapes_are_inferred_without_the_subtensor():
    x, i, j = T.dtensor3("x"), T.lvector("i"), T.lvector("j")
    iv, jv = np.array([0, 1, 1]), np.array([2, 0, 1])
    data = np.zeros((2, 3, 4))
    for y, expected in ((x[i, :, j], data[iv, :, jv].shape),
                        (x[:, i, j], data[:, iv, jv].shape),
                        (x[1:, i], data[1:, iv].shape),
                        (x[i, 1:3, 2], data[iv, 1:3, 2].shape)):
        f = theano.function([x, i, j], y.shape, on_unused_input="ignore", mode=FAST_RUN)
        assert not any(isinstance(n.op, T.BaseAdvancedSubtensor)
                       for n in f.maker.fgraph.toposort())
        assert tuple(f(data, iv, jv)) == expected


def test_theano_style_constructors():
    # Recorded under Theano 1.0.5.
    a, y, iv, jv = T.dmatrix(), T.dmatrix(), T.lvector(), T.lvector()
    r = AdvancedSubtensor()(a, iv, jv)
    assert theano.function([a, iv, jv], r)(np.arange(12.0).reshape(3, 4), [0, 2, 1],
                                           [3, 0, 1]).tolist() == [3.0, 8.0, 5.0]
    inc = AdvancedIncSubtensor1()(a, y, iv)
    assert theano.function([a, y, iv], inc)(np.zeros((3, 2)), np.ones((3, 2)),
                                            [0, 2, 0]).tolist() == [[2, 2], [0, 0], [1, 1]]
    put = AdvancedIncSubtensor1(set_instead_of_inc=True)(a, y, iv)
    assert theano.function([a, y, iv], put)(np.zeros((3, 2)), np.arange(6.0).reshape(3, 2),
                                            [0, 2, 0]).tolist() == [[4, 5], [0, 0], [2, 3]]
    assert str(AdvancedIncSubtensor1(inplace=True, set_instead_of_inc=True)) == \
        "AdvancedIncSubtensor1{inplace,set}"
    zero_d = Subtensor([])(T.as_tensor_variable(np.float64(3)))
    assert isinstance(zero_d.owner.op, Subtensor) and zero_d.eval() == 3.0


def test_index_helpers():
    x, i = T.dmatrix("x"), T.lscalar("i")
    y = x[1:3, i]
    assert get_idx_list(y.owner.inputs, y.owner.op.idx_list) == (slice(1, 3, None), i)
    t3 = T.tensor3()
    # Recorded under Theano 1.0.5.
    assert adv_index_broadcastable_pattern(t3, (T.lvector(), slice(None), T.lvector())) == \
        (False, False)
    assert adv_index_broadcastable_pattern(t3, (slice(None), T.lmatrix(), T.lmatrix())) == \
        (False, False, False)
    assert adv_index_broadcastable_pattern(T.row(), (slice(None), T.lvector())) == \
        (True, False)
    with pytest.raises(TypeError, match="boolean masks"):
        check_and_reject_bool(T.bvector() > 0)
    with pytest.raises(IndexError, match="dimension 0; dimension is 2"):
        check_advanced_indexing_dimensions(np.zeros((2, 3)), [np.array([True, False, True])])
    assert str(as_index_variable(None)) == "NoneConst"
    with pytest.raises(TypeError, match="integers or a boolean mask"):
        as_index_variable(np.array([1.5]))


def test_none_and_single_vector_indexing_build_theano_graphs():
    # Recorded: x[:, None, :] is only a DimShuffle (a view of the input, so the output is
    # copied by a DeepCopyOp node, Theano's insert_deepcopy); x[..., [0, 2]] moves the axis
    # to the front for an AdvancedSubtensor1.
    x = T.dmatrix("x")
    data = np.arange(12.0).reshape(3, 4)
    for idx, ops in ((np.index_exp[:, None, :], ["DimShuffle", "DeepCopyOp"]),
                     (np.index_exp[None, :, 1:], ["DimShuffle", "Subtensor", "DeepCopyOp"]),
                     (np.index_exp[..., [0, 2]], ["DimShuffle", "AdvancedSubtensor1",
                                                  "DimShuffle"])):
        f = theano.function([x], x[idx])
        assert [type(n.op).__name__ for n in f.maker.fgraph.toposort()] == ops
        assert f(data).tolist() == data[idx].tolist()


def test_symbolic_slice_and_int64_bounds():
    x, s = T.dmatrix("x"), T.slicetype()
    f = theano.function([x, s], x[s])
    data = np.arange(12.0).reshape(4, 3)
    assert f(data, slice(1, 3)).tolist() == data[1:3].tolist()
    with pytest.raises(OverflowError):
        x[: 2 ** 63]


def test_reshape_to_a_symbolic_shape_with_ndim():
    x, s = T.dvector("x"), T.lvector("s")
    y = x.reshape(s, ndim=2)
    assert y.ndim == 2
    assert theano.function([x, s], y)(np.arange(6.0), [2, 3]).tolist() == [[0, 1, 2],
                                                                           [3, 4, 5]]


@pytest.mark.parametrize("mode", ["wrap", "clip"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_take_modes_match_numpy(mode, axis):
    x = T.dmatrix("x")
    data = np.arange(12.0).reshape(3, 4)
    idx = np.array([-10, 5, 12], dtype="int32")
    out = theano.function([x], x.take(idx, axis, mode=mode))(data)
    assert out.tolist() == data.take(idx, axis, mode=mode).tolist()
