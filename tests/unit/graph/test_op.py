"""The Op base class (graph/op.py): Theano's thunk interface (make_thunk, c_code), the
params a perform receives (params_type / get_params), compute_test_value's type check,
and the trace a variable records (tag.trace, graph/basic.py).  Behaviours as Theano
1.0.5's own tests (gof/tests/test_op.py, test_params_type.py, test_utils.py,
test_compute_test_value.py) expect them."""

import pickle

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano import scalar
from theano.gof import Apply, EnumList, Op, ParamsType
from theano_compat.errors import MethodNotDefined


class IncOnePython(Op):
    __props__ = ()

    def make_node(self, x):
        x = scalar.as_scalar(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = inputs[0] + 1


class IncOneC(Op):
    __props__ = ()

    def make_node(self, x):
        x = scalar.as_scalar(x)
        return Apply(self, [x], [x.type()])

    def c_code(self, node, name, inputs, outputs, sub):
        return "%s = %s + 1;" % (outputs[0], inputs[0])


def test_make_thunk_runs_perform_over_the_cells():
    i = scalar.int32("i")
    o = IncOnePython()(i)
    with pytest.raises(MethodNotDefined, match="no C code"):
        o.owner.op.c_code(o.owner, "o", ["x"], "z", {"fail": ""})
    storage = {i: [np.int32(3)], o: [None]}
    computed = {i: [True], o: [False]}
    thunk = o.owner.op.make_thunk(o.owner, storage, computed, no_recycling=[])
    assert not thunk()
    assert computed[o][0] and storage[o][0] == 4


def test_an_op_with_only_c_code_fails_when_its_thunk_runs():
    i = scalar.int32("i")
    o = IncOneC()(i)
    with pytest.raises(MethodNotDefined):
        o.owner.op.perform(o.owner, 0, [None])
    thunk = o.owner.op.make_thunk(o.owner, {i: [np.int32(3)], o: [None]},
                                  {i: [True], o: [False]}, no_recycling=[])
    with pytest.raises(MethodNotDefined):
        thunk()


def test_an_op_make_thunk_may_call_the_base_one():
    calls = []

    class Prepared(IncOnePython):
        def make_thunk(self, node, storage_map, compute_map, no_recycling, impl=None):
            calls.append(node)
            return super().make_thunk(node, storage_map, compute_map, no_recycling, impl)

    i = scalar.int32("i")
    o = Prepared()(i)
    storage = {i: [np.int32(6)], o: [None]}
    thunk = o.owner.op.make_thunk(o.owner, storage, {i: [True], o: [False]}, [])
    thunk()
    assert storage[o][0] == 7 and calls == [o.owner]
    # A gof linker asks the Op for its thunk, and the base one runs it.
    x = T.dvector("x")
    y = T.tensor_from_scalar(Prepared()(T.scalar_from_tensor(x.sum())))
    f = theano.function([x], y, mode=theano.compile.Mode(linker=theano.gof.PerformLinker()))
    assert float(f(np.ones(3))) == 4.0 and len(calls) == 2


class Quadratic(Op):
    __props__ = ("a", "b", "c")
    params_type = ParamsType(a=T.TensorType("float64", ()), b=scalar.float64,
                             c=scalar.float64)

    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs, coefficients):
        x = inputs[0]
        outputs[0][0] = coefficients.a * x ** 2 + coefficients.b * x + coefficients.c


class Choose(Op):
    __props__ = ("choice",)
    params_type = EnumList(("ADD", "+"), ("SUB", "-"))

    def __init__(self, choice):
        self.choice = choice

    def get_params(self, node):
        return self.params_type.fromalias(self.choice)

    def make_node(self, a, b):
        return Apply(self, [scalar.as_scalar(a), scalar.as_scalar(b)], [scalar.float64()])

    def perform(self, node, inputs, outputs, op):
        a, b = inputs
        outputs[0][0] = a + b if op == self.params_type.ADD else a - b


def test_perform_gets_the_params_of_params_type():
    x = T.dmatrix("x")
    f = theano.function([x], Quadratic(2, 3, -7)(x))
    vx = np.random.RandomState(1).normal(size=(4, 5))
    np.testing.assert_allclose(f(vx), 2 * vx ** 2 + 3 * vx - 7)
    a, b = scalar.float64("a"), scalar.float64("b")
    g = theano.function([a, b], [Choose("+")(a, b), Choose("-")(a, b)])
    assert [float(v) for v in g(5.0, 2.0)] == [7.0, 3.0]


def test_compute_test_value_checks_the_input_type_and_passes_params():
    with theano.configparser.change_flags(compute_test_value="raise"):
        x = T.fmatrix("x")
        x.tag.test_value = np.random.rand(3, 4)  # float64 for a float32 variable
        y = T.dmatrix("y")
        y.tag.test_value = np.random.rand(4, 5)
        with pytest.raises(TypeError, match="float32"):
            T.dot(x, y)
        x.tag.test_value = np.ones((3, 4), "float32")
        assert T.dot(x, y).tag.test_value.shape == (3, 5)
        m = T.dmatrix("m")
        m.tag.test_value = np.ones((2, 2))
        np.testing.assert_array_equal(Quadratic(1, 1, 1)(m).tag.test_value,
                                      np.full((2, 2), 3.0))


def test_tag_trace_follows_the_traceback_limit():
    with theano.configparser.change_flags(traceback__limit=1):
        v = T.vector()
    assert len(v.tag.trace) == 1 and len(v.tag.trace[0]) == 1
    filename, lineno, fn, line = v.tag.trace[0][-1]
    assert filename == __file__ and fn == "test_tag_trace_follows_the_traceback_limit"
    assert line == "v = T.vector()"
    with theano.configparser.change_flags(traceback__limit=2):
        w = T.vector()
    assert len(w.tag.trace[0]) == 2 and w.tag.trace[0][-1][3] == "w = T.vector()"
    with theano.configparser.change_flags(traceback__limit=0):
        assert T.vector().tag.trace == []
    c = T.constant(np.arange(3.0))
    assert c.tag.trace[0][-1][3] == "c = T.constant(np.arange(3.0))"
    v.tag.test_value = 1.0
    back = pickle.loads(pickle.dumps(v, protocol=0))
    assert back.tag.trace == v.tag.trace and back.tag.test_value == 1.0
