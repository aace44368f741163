"""theano.typed_list.basic: the list Ops in compiled functions.  Expected values are those
Theano 1.0.5 gave (../shared/tools/theano-ref) or plain Python list semantics."""

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.tensor.type_other import SliceType
from theano.typed_list import (Append, Count, Extend, GetItem, Index, Insert, Length,
                               MakeList, Remove, Reverse, TypedListConstant, TypedListType,
                               append, count, extend, getitem, index_, insert, length,
                               make_list, remove, reverse)

MAT = T.TensorType("float64", (False, False))
X = np.arange(6.0).reshape(2, 3)
Y = np.zeros((2, 3))
Z = np.ones((2, 3))


def same(a, b):
    """Two lists of arrays with equal values (a list result must be a Python list)."""
    return isinstance(a, list) and len(a) == len(b) and all(
        np.array_equal(u, v) for u, v in zip(a, b))


def lst(name="L"):
    return TypedListType(MAT)(name)


def test_getitem_index_and_slices():
    L, i, s = lst(), T.lscalar("i"), SliceType()()
    f = theano.function([L, i], L[i])
    assert np.array_equal(f([X, Y, Z], 1), Y)
    assert np.array_equal(f([X, Y, Z], -1), Z)  # Python indexing (perform)
    with pytest.raises(IndexError):
        f([X], 3)
    assert same(theano.function([L, s], GetItem()(L, s))([X, Y, Z], slice(0, 2, 1)), [X, Y])
    assert same(theano.function([L], L[::-2])([X, Y, Z]), [Z, X])  # Theano's output
    assert np.array_equal(theano.function([L], getitem(L, 0))([X, Y]), X)
    assert L[i].type == MAT and L[1:].type == L.type
    with pytest.raises(TypeError):
        GetItem()(L, T.matrix())
    with pytest.raises(TypeError):
        GetItem()(L, T.iscalar())  # the index must be int64
    with pytest.raises(TypeError):
        getitem(T.matrix(), 0)


def test_wrong_inputs_raise_what_theano_asserted():
    # Theano checked these with assert: the error is a TypeError and an AssertionError.
    L = lst()
    bad = [lambda: append(L, T.vector()), lambda: append(T.vector(), T.vector()),
           lambda: extend(L, TypedListType(T.dvector().type)()),
           lambda: insert(L, T.iscalar(), T.matrix()), lambda: getitem(L, T.iscalar()),
           lambda: index_(L, T.vector()), lambda: count(L, T.vector()),
           lambda: remove(L, T.vector()), lambda: reverse(T.matrix()),
           lambda: length(T.matrix()), lambda: MakeList()(T.vector())]
    for build in bad:
        with pytest.raises(TypeError) as info:
            build()
        assert isinstance(info.value, AssertionError)


def test_the_output_does_not_alias_the_input():
    L, i = lst(), T.lscalar("i")
    r = theano.function([L, i], L[i])([X], 0)
    assert r is not X and not np.may_share_memory(r, X)  # as Theano (a copy)
    inp = [X]
    r = theano.function([L], L)(inp)
    assert r is not inp and same(r, [X])


@pytest.mark.parametrize("inplace", [False, True])
def test_append_extend_insert_values(inplace):
    L, L2, m, i = lst(), lst("L2"), T.matrix("m"), T.lscalar("i")
    kw = {"accept_inplace": True}
    f = theano.function([L, m], Append(inplace)(L, m), **kw)
    r = f([X], Y)
    assert same(r, [X, Y]) and r[1] is not Y and not np.may_share_memory(r[1], Y)
    f = theano.function([L, L2], Extend(inplace)(L, L2), **kw)
    assert same(f([X], [Y, Z]), [X, Y, Z])
    assert same(f([X], []), [X])
    f = theano.function([L, i, m], Insert(inplace)(L, i, m), **kw)
    assert same(f([X, Y], 0, Z), [Z, X, Y])
    assert same(f([X, Y], -1, Z), [X, Z, Y])  # list.insert (Theano's values)
    assert same(f([X, Y], 10, Z), [X, Y, Z])


@pytest.mark.parametrize("inplace", [False, True])
def test_remove_and_reverse_values(inplace):
    L, m = lst(), T.matrix("m")
    f = theano.function([L, m], Remove(inplace)(L, m), accept_inplace=True)
    assert same(f([X, Y, Z, Y], Y.copy()), [X, Z, Y])  # the first equal value only
    assert same(f([X, Z], Y), [X, Z])  # absent: unchanged (as Theano)
    f = theano.function([L], Reverse(inplace)(L), accept_inplace=True)
    assert same(f([X, Y, Z]), [Z, Y, X])


def test_non_inplace_ops_leave_the_input_list_alone():
    L, m = lst(), T.matrix("m")
    f = theano.function([L, m], [L.append(m), L.reverse(), L.remove(m)],
                        mode=theano.compile.mode.get_default_mode().excluding("inplace"))
    inp = [X, Y]
    a, b, c = f(inp, X)
    assert same(a, [X, Y, X]) and same(b, [Y, X]) and same(c, [Y])
    assert len(inp) == 2 and inp[0] is X and inp[1] is Y


def test_index_count_length():
    L, m = lst(), T.matrix("m")
    f = theano.function([L, m], [index_(L, m), count(L, m), length(L)])
    i, c, n = f([X, Y, Y], Y.copy())
    # Theano's dtypes: floatX for index and count, int64 for the length.
    assert (i.dtype, c.dtype, n.dtype) == (theano.config.floatX, theano.config.floatX,
                                           "int64")
    assert (float(i), float(c), int(n)) == (1.0, 2.0, 3)
    assert float(f([X, Y, Z, Y], Z)[1]) == 1.0
    with pytest.raises(ValueError, match="not in the list"):
        f([X], Y)  # Theano returned None here
    assert int(theano.function([L], L.__len__())([X] * 4)) == 4


def test_index_and_count_on_nested_lists():
    N, L = TypedListType(MAT, 1)(), lst()
    f = theano.function([N, L], [Index()(N, L), Count()(N, L)])
    i, c = f([[X, Y], [X, Y, Y], [X, Y]], [X, Y])
    assert (float(i), float(c)) == (0.0, 2.0)
    assert float(f([[Y], [X, Y]], [X, Y])[0]) == 1.0


def test_methods_of_list_variables_build_the_ops():
    L, m, i = lst(), T.matrix(), T.lscalar()
    cases = [(L.append(m), Append), (L.extend(L), Extend), (L.insert(i, m), Insert),
             (L.remove(m), Remove), (L.reverse(), Reverse), (L.ind(m), Index),
             (L.count(m), Count), (L.__len__(), Length), (L[i], GetItem)]
    for var, cls in cases:
        assert type(var.owner.op) is cls
    assert append(L, m).owner.op == Append() and extend(L, L).owner.op == Extend()
    assert insert(L, 0, m).owner.inputs[1].dtype == "int64"
    assert remove(L, m).owner.op == Remove() and reverse(L).owner.op == Reverse()


def test_make_list():
    a, b = T.matrix("a"), T.matrix("b")
    f = theano.function([a, b], make_list([a, b]))
    A, B = np.random.rand(5, 3), np.random.rand(7, 2)
    r = f(A, B)
    assert same(r, [A, B]) and not np.may_share_memory(r[0], A)
    c = make_list((3.0, 4.0))
    assert c.type == TypedListType(T.TensorType("float32", ()))  # as Theano
    assert [float(v) for v in theano.function([], c)()] == [3.0, 4.0]
    with pytest.raises(TypeError, match="same type"):
        make_list((T.vector(), T.matrix()))
    with pytest.raises(TypeError):
        MakeList()(T.vector())


def test_ops_props_views_and_text():
    assert Append() == append and Append(True) != Append() and hash(Append()) == hash(append)
    assert Append(True).destroy_map == {0: [0]} and Append().view_map == {0: [0]}
    assert Append().destroy_map == {} and GetItem.view_map == {0: [0]}
    for cls in (Extend, Insert, Remove, Reverse):
        assert cls(True).destroy_map == {0: [0]} and cls().view_map == {0: [0]}
    assert str(getitem) == "GetItem" and str(Append(True)) == "Append"
    assert GetItem.__module__ == "theano.typed_list.basic"


def test_list_ops_have_no_gradient_as_in_theano():
    L = lst()
    with pytest.raises(Exception, match="GetItem"):
        T.grad(T.sum(L[0]), L)


def test_constant_lists():
    t = TypedListType(MAT)
    k = TypedListConstant(t, [X])
    assert str(k).startswith("Constant{")
    assert k.signature() == TypedListConstant(t, [X.copy()]).signature()
    assert k.signature() != TypedListConstant(t, [Y]).signature()
    assert np.array_equal(theano.function([], k[0])(), X)


def test_a_list_as_a_non_sequence_of_scan():
    L, n = TypedListType(T.dvector().type)("L"), T.lscalar("n")
    out, _ = theano.scan(lambda i, l: T.sum(l[i]) * 2, sequences=T.arange(n, dtype="int64"),
                         non_sequences=[L])
    f = theano.function([L, n], out)
    assert np.allclose(f([np.ones(3), np.arange(4.0)], 2), [6.0, 12.0])  # Theano's values


@pytest.mark.parametrize("mode", ["DebugMode", "FAST_COMPILE", "FAST_RUN"])
def test_lists_in_every_mode(mode):
    L, m = lst(), T.matrix("m")
    f = theano.function([L, m], [L.append(m).reverse(), L[0], L.count(m), L[0:1]],
                        mode=mode)
    a, b, c, d = f([Z], Y)
    assert same(a, [Y, Z]) and np.array_equal(b, Z) and float(c) == 0.0 and same(d, [Z])
