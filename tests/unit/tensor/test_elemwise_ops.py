"""theano.tensor's elementwise functions are Elemwise Op instances (issue 15 point 2).

``T.add``, ``T.exp``... are the Elemwise of the scalar ops that scalar/ops.py declares
with ``tensor=True`` (`theano_compat.scalar.op.tensor_level`), the same objects that
``x + y`` applies; add and mul take any number of inputs; theano.tensor.inplace holds the
``*_inplace`` Ops of the same table.  Texts marked "theano-ref" were printed by Theano
1.0.5 (../shared/tools/theano-ref); values are checked against NumPy.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import theano.tensor as T
from theano.tensor import inplace as I

import theano
from theano_compat.scalar import ops as S
from theano_compat.scalar.op import tensor_level
from theano_compat.scalar.type_rules import transfer_type
from theano_compat.tensor import basic, elemwise_ops
from theano_compat.tensor.elemwise import Elemwise, elemwise_of

TABLE = tensor_level()
# Table ops whose theano.tensor name is a function around the Elemwise, as in Theano.
FUNCTION_WRAPPED = {"isnan", "isinf"}


def test_the_table_is_not_empty():
    assert {"add", "mul", "exp", "tanh", "switch", "abs_"} <= set(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_tensor_level_op_is_its_shared_elemwise(name):
    if name in FUNCTION_WRAPPED:
        # Theano's T.isnan/T.isinf were functions (an all-False Alloc for integers, see
        # tests/unit/tensor/test_math.py); the Elemwise is elemwise_ops' (and T.isnan_).
        fn = getattr(T, name)
        assert not isinstance(fn, Elemwise) and getattr(basic, name) is fn
        assert fn(T.dvector()).owner.op is getattr(elemwise_ops, name)
        assert getattr(T, name + "_") is getattr(elemwise_ops, name)
        return
    op = getattr(T, name)
    assert isinstance(op, Elemwise) and isinstance(op, theano.gof.Op)
    assert op is elemwise_of(TABLE[name])
    assert op.scalar_op is TABLE[name]
    assert getattr(elemwise_ops, name) is op and getattr(basic, name) is op
    assert str(op) == f"Elemwise{{{TABLE[name].name},no_inplace}}"


def test_names_exported_are_exactly_the_table_and_its_aliases():
    # The declaration is the only place a tensor-level op is named: the modules export
    # what the table holds, and nothing else resolves.
    assert set(elemwise_ops.__all__) == set(TABLE) | set(elemwise_ops.ALIASES)
    assert set(elemwise_ops.ALIASES.values()) <= set(TABLE)
    assert set(elemwise_ops.__all__) <= set(dir(T)) & set(dir(elemwise_ops))
    assert {f"{n}_inplace" for n in TABLE} <= set(I.__all__) & set(dir(I))
    for module in (elemwise_ops, I):
        with pytest.raises(AttributeError, match="no attribute 'lgo'"):
            module.lgo  # noqa: B018


def test_str_as_theano():
    # theano-ref: str(T.add), str(T.exp), str(T.true_div), str(T.abs_), str(T.switch)...
    assert str(T.add) == "Elemwise{add,no_inplace}"
    assert str(T.exp) == "Elemwise{exp,no_inplace}"
    assert str(T.true_div) == "Elemwise{true_div,no_inplace}"
    assert str(T.abs_) == "Elemwise{abs_,no_inplace}"
    assert str(T.switch) == "Elemwise{switch,no_inplace}"
    assert str(T.int_div) == "Elemwise{int_div,no_inplace}"
    assert str(T.fill) == str(T.second) == "Elemwise{second,no_inplace}"


def test_nodes_built_apply_the_instances():
    x, y = T.dvectors("x", "y")
    i, j = T.lvectors("i", "j")
    assert (x + y).owner.op is T.add and (x + y).owner.op == T.add
    assert T.exp(x).owner.op is T.exp
    cases = [
        (x - y, T.sub), (x * y, T.mul), (x / y, T.true_div), (x // y, T.int_div),
        (x ** y, T.pow), (-x, T.neg), (abs(x), T.abs_), (x < y, T.lt), (x <= y, T.le),
        (x > y, T.gt), (x >= y, T.ge), (i & j, T.and_), (i | j, T.or_), (i ^ j, T.xor),
        (~i, T.invert), (i % j, T.mod), (2 + x, T.add), (x.exp(), T.exp), (x.tanh(), T.tanh),
        (T.fill(x, 1.0), T.second),
    ]
    for out, op in cases:
        assert out.owner.op is op, (out.owner.op, op)


def test_aliases_are_the_same_objects():
    assert T.abs is T.abs_
    assert T.square is T.sqr
    assert T.floor_div is T.int_div and T.floordiv is T.int_div
    assert T.true_divide is T.true_div
    assert T.where is T.switch
    assert T.fill is T.second is elemwise_of(S.second)
    assert T.conjugate is T.conj
    assert (T.bitwise_and, T.bitwise_or, T.bitwise_xor, T.bitwise_not) == (
        T.and_, T.or_, T.xor, T.invert)
    assert (T.greater, T.less, T.greater_equal, T.less_equal, T.equal, T.not_equal) == (
        T.gt, T.lt, T.ge, T.le, T.eq, T.neq)


def test_add_and_mul_take_any_number_of_inputs():
    rng = np.random.default_rng(0)
    xs = T.dvectors(*"abcde")
    vals = [rng.normal(size=4) for _ in xs]
    f = theano.function(xs, [T.add(*xs), T.mul(*xs), T.add(xs[0])])
    total, product, single = f(*vals)
    # Left to right, the order of Theano's n-ary loop (and of NumPy's sum here).
    np.testing.assert_array_equal(total, (((vals[0] + vals[1]) + vals[2]) + vals[3]) + vals[4])
    np.testing.assert_array_equal(product, vals[0] * vals[1] * vals[2] * vals[3] * vals[4])
    np.testing.assert_array_equal(single, vals[0])
    many = [T.dscalar() for _ in range(300)]
    g = theano.function(many, T.mul(*many))
    np.testing.assert_allclose(g(*([1.01] * 300)), 1.01 ** 300)


def test_nary_dtypes_as_theano():
    # theano-ref: T.add(bvector, wvector, fvector).dtype == 'float32', T.add(b, w, lscalar)
    # 'int64', T.mul(fvector, lscalar, bvector) 'float64', T.add(wvector, fvector, dscalar)
    # 'float64'.
    a, b, c = T.bvector(), T.wvector(), T.fvector()
    d, e = T.lscalar(), T.dscalar()
    assert T.add(a, b, c).dtype == "float32"
    assert T.add(a, b, d).dtype == "int64"
    assert T.mul(c, d, a).dtype == "float64"
    assert T.add(b, c, e).dtype == "float64"
    f = theano.function([a, b, c], T.add(a, b, c))
    out = f(np.array([100, 100], "int8"), np.array([30000, 1], "int16"),
            np.array([0.5, 0.25], "float32"))
    np.testing.assert_array_equal(out, np.array([30100.5, 101.25], "float32"))  # theano-ref


def test_binary_ops_refuse_a_third_input():
    # theano-ref: "Wrong number of inputs for maximum.make_node (got 3 ...)": only add and
    # mul are n-ary.
    x = T.dvector()
    for op in (T.maximum, T.sub, T.true_div, T.eq, T.and_):
        with pytest.raises(TypeError):
            op(x, x, x)


def test_the_instances_pickle_to_themselves():
    for op in (T.add, T.exp, T.switch, T.second):
        assert pickle.loads(pickle.dumps(op)) is op
    x, y = T.dvectors("x", "y")
    out = T.tanh(x * y + 1)
    loaded = pickle.loads(pickle.dumps(out))
    assert loaded.owner.op is T.tanh
    assert loaded.owner.inputs[0].owner.op is T.add
    xv, yv = np.array([0.5, -1.0]), np.array([2.0, 0.25])
    inputs = loaded.owner.inputs[0].owner.inputs[0].owner.inputs
    f = theano.function(inputs, loaded)
    np.testing.assert_allclose(f(xv, yv), np.tanh(xv * yv + 1))


# ----------------------------------------------------------------------------- inplace


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_table_op_has_its_inplace_op(name):
    op = getattr(I, f"{name}_inplace")
    assert isinstance(op, Elemwise)
    # theano-ref: add_inplace.scalar_op is Add(transfer_type(0)), not theano.scalar.add
    plain = TABLE[name]
    if getattr(plain.__class__, "_table", None) is plain:
        assert type(op.scalar_op) is plain.__class__ and op.scalar_op != plain
        assert op.scalar_op.output_types_preference == transfer_type(0)
    else:  # an op without a Theano class of its own (log1mexp)
        assert op.scalar_op is plain
    assert op.inplace_pattern == {0: 0}  # theano-ref: a dict, as Theano
    assert op.destroy_map == {0: [0]}  # theano-ref
    assert str(op) == f"{name}_inplace"  # theano-ref: str(add_inplace) == 'add_inplace'
    assert op is I.INPLACE[f"{name}_inplace"]
    assert op != getattr(T, name)  # different props: another Op


def test_inplace_names_as_theano():
    # theano-ref: exp_inplace, abs__inplace, true_div_inplace, second_inplace.
    assert str(I.exp_inplace) == "exp_inplace"
    assert str(I.abs__inplace) == "abs__inplace"
    assert str(I.true_div_inplace) == "true_div_inplace"
    assert I.fill_inplace is I.second_inplace and str(I.second_inplace) == "second_inplace"


def test_inplace_ops_overwrite_their_first_input_as_theano():
    # theano-ref: each result is written into the array given for x (accept_inplace).
    x, y = T.dvectors("x", "y")
    yv = np.array([3.0, 4.0, -2.0])
    cases = [(I.add_inplace(x, y), np.add), (I.mul_inplace(x, y), np.multiply),
             (I.second_inplace(x, y), lambda a, b: b), (I.exp_inplace(x), np.exp)]
    for out, ref in cases:
        xv = np.array([0.5, -1.5, 2.0])
        expected = ref(xv.copy(), yv) if out.owner.op.scalar_op.nin == 2 else ref(xv.copy())
        ins = [x, y] if out.owner.op.scalar_op.nin == 2 else [x]
        f = theano.function(ins, out, accept_inplace=True)
        got = f(xv, yv) if len(ins) == 2 else f(xv)
        np.testing.assert_allclose(got, expected)
        np.testing.assert_allclose(xv, expected)
    np.testing.assert_array_equal(
        theano.function([x], I.transpose_inplace(x))(np.array([1.0, 2.0])), [1.0, 2.0])
    with pytest.raises(TypeError, match="Graph must not contain inplace operations"):
        theano.function([x, y], I.add_inplace(x, y))


def test_inplace_ops_pickle():
    loaded = pickle.loads(pickle.dumps(I.add_inplace))
    assert loaded == I.add_inplace and str(loaded) == "add_inplace"


def test_copies_are_new_instances():
    # copy.copy gives a new, equal Op (link/device.py renames the class of a copy: the
    # shared instance must stay untouched); only pickling returns the shared one.
    for op in (T.exp, I.exp_inplace):
        for dup in (copy.copy(op), copy.deepcopy(op)):
            assert dup is not op and dup == op and type(dup) is Elemwise
            assert dup.scalar_op == op.scalar_op
            assert dup.scalar_op is op.scalar_op or op is I.exp_inplace
