"""theano.typed_list.opt: the in-place rewrite of the list Ops and the constant folding of
typed lists (Theano 1.0.5's results from ../shared/tools/theano-ref where noted)."""

import numpy as np
import theano
import theano.tensor as T
from theano import In
from theano.typed_list import Append, Extend, Insert, Remove, Reverse, TypedListType
from theano.typed_list import make_list, opt

MAT = T.TensorType("float64", (False, False))
X = np.arange(4.0).reshape(2, 2)
Y = np.zeros((2, 2))
FAST_RUN = theano.compile.mode.get_mode("FAST_RUN")


def inplace_flags(f):
    return [(type(n.op).__name__, n.op.inplace) for n in f.maker.fgraph.toposort()
            if hasattr(n.op, "inplace")]


def same(a, b):
    return isinstance(a, list) and len(a) == len(b) and all(
        np.array_equal(u, v) for u, v in zip(a, b))


def test_registered_in_optdb_as_in_theano():
    db = theano.compile.optdb
    assert db.position("typed_list_inplace_opt") == 60
    tags = {t for t, objs in db.__db__.items()
            if any(getattr(o, "name", None) == "typed_list_inplace_opt" for o in objs)}
    assert {"fast_run", "inplace"} <= tags
    assert type(opt.typed_list_inplace_opt).__name__ == "FromFunctionLocalOptimizer"


def test_mutable_inputs_get_the_inplace_ops():
    L, L2, m, i = (TypedListType(MAT)(), TypedListType(MAT)(), T.matrix(),
                   T.lscalar())
    cases = [(Append()(L, m), [m], ([X], Y), [X, Y]),
             (Extend()(L, L2), [L2], ([X], [Y]), [X, Y]),
             (Insert()(L, i, m), [i, m], ([X], 0, Y), [Y, X]),
             (Remove()(L, m), [m], ([X, Y], Y), [X]),
             (Reverse()(L), [], ([X, Y],), [Y, X])]
    for out, others, args, expected in cases:
        f = theano.function([In(L, borrow=True, mutable=True)] + others, out, mode=FAST_RUN)
        assert inplace_flags(f) == [(type(out.owner.op).__name__, True)]
        inp = args[0]
        before = list(inp)
        assert same(f(*args), expected)
        assert len(inp) == len(before) and all(a is b for a, b in zip(inp, before))


def test_excluding_the_rewrite_or_fast_compile_keeps_the_ops():
    L, m = TypedListType(MAT)(), T.matrix()
    out = L.append(m).append(m)
    excl = FAST_RUN.excluding("typed_list_inplace_opt")
    for mode in (excl, "FAST_COMPILE"):
        f = theano.function([In(L, mutable=True), m], out, mode=mode)
        assert inplace_flags(f) == [("Append", False), ("Append", False)]  # as Theano
        assert same(f([X], Y), [X, Y, Y])


def test_a_fresh_list_is_changed_in_place():
    m = T.matrix()
    f = theano.function([m], make_list([m, m]).reverse(), mode=FAST_RUN)
    assert ("Reverse", True) in inplace_flags(f)  # as Theano
    assert same(f(X), [X, X])


def test_values_stay_right_when_the_list_is_read_elsewhere():
    L, m = TypedListType(MAT)(), T.matrix()
    f = theano.function([L, m], [L.append(m), L, L.reverse()], mode=FAST_RUN)
    inp = [X, Y]
    a, b, c = f(inp, X)
    assert same(a, [X, Y, X]) and same(b, [X, Y]) and same(c, [Y, X])
    assert inp[0] is X and inp[1] is Y and len(inp) == 2
    # A strict input is not copied by the filter's conversion: still not changed.
    f = theano.function([In(L, strict=True), m], L.append(m), mode=FAST_RUN)
    inp = [X]
    assert same(f(inp, Y), [X, Y]) and inp == [X]


def test_constant_lists_are_folded():
    m = T.ones((1,), dtype="int8")
    f = theano.function([], make_list([m, m]), mode=FAST_RUN)
    # Theano folded the list into a constant (its graph held only the output's copy).
    assert all(type(n.op).__name__ == "DeepCopyOp" for n in f.maker.fgraph.toposort())
    r = f()
    assert same(r, [np.ones(1, "int8")] * 2) and r[0].dtype == np.int8
    r.append(5)
    assert same(f(), [np.ones(1, "int8")] * 2)  # the constant list is not handed out
    k = make_list([T.constant(X), T.constant(Y)]).reverse()
    f = theano.function([], k, mode=FAST_RUN)
    # Folded: at most the copy of the constant output is left (Theano: DeepCopyOp only).
    assert all(type(n.op).__name__ == "DeepCopyOp" for n in f.maker.fgraph.toposort())
    assert same(f(), [Y, X])
