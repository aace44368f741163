"""Composite built from a user's scalar graph (Theano's ``Composite(inputs, outputs)``),
scalar/composite.py.  Reference values: NumPy, and Theano 1.0.5 (theano-ref) where noted.
"""

import numpy as np
import pytest

import theano
import theano.scalar as s
import theano.tensor as T


def test_name_inputs_outputs_and_value():
    a, b = s.floats("ab")
    C = s.Composite([a, b], [s.exp(a) * b + 1.5])
    # Theano 1.0.5: Composite{((exp(i0) * i1) + Constant{1.5})}, nin 2, nout 1; 4.79744...
    assert str(C) == "Composite{((exp(i0) * i1) + Constant{1.5})}"
    assert (C.nin, C.nout) == (2, 1)
    assert [str(v) for v in C.inputs] == ["a", "b"]
    assert theano.function([a, b], C(a, b))(0.5, 2.0) == np.exp(0.5) * 2.0 + 1.5


@pytest.mark.parametrize("mode", ["FAST_RUN", "FAST_COMPILE"])
def test_composite_in_elemwise_with_gradient(mode):
    a, b = s.floats("ab")
    C = s.Composite([a, b], [s.exp(a) * b + 1.5])
    v, w = T.dvector("v"), T.dvector("w")
    e = T.Elemwise(C)(v, w)
    f = theano.function([v, w], [e] + T.grad(e.sum(), [v, w]), mode=mode)
    x, y = np.array([0.0, 1.0]), np.array([2.0, 3.0])
    got, gv, gw = f(x, y)
    np.testing.assert_allclose(got, np.exp(x) * y + 1.5, rtol=1e-15)
    np.testing.assert_allclose(gv, np.exp(x) * y, rtol=1e-15)
    np.testing.assert_allclose(gw, np.exp(x), rtol=1e-15)


def test_many_outputs_and_printing():
    x, y, z = s.floats("xyz")
    C = s.Composite([x, y, z], [x + y + z, x + y * z, x / y])
    # Theano 1.0.5's test_many_outputs: [6, 7, 0.5]
    assert str(C) == "Composite{((i0 + i1) + i2), (i0 + (i1 * i2)), (i0 / i1)}"
    outs = C.make_node(x, y, z).outputs
    assert [float(v) for v in theano.function([x, y, z], outs)(1.0, 2.0, 3.0)] == [6, 7, .5]
    with pytest.raises(NotImplementedError, match="outputs"):
        T.Elemwise(C)(T.dvector(), T.dvector(), T.dvector())


def test_inner_composite_is_inlined_at_the_single_output():
    x, y, z = s.floats("xyz")
    C = s.Composite([x, y], [x + y])
    CC = s.Composite([x, y], [C(x * y, y)])
    assert not isinstance(CC.outputs[0].owner.op, s.Composite)
    assert theano.function([x, y], CC(x, y))(2.0, 3.0) == 9.0
    # As Theano's test_flatten: with several outputs the inner Composites stay nodes.
    CC = s.Composite([x, y, z], [C(x * y, y), C(x * z, y)])
    assert isinstance(CC.outputs[0].owner.op, s.Composite)
    assert [float(v) for v in theano.function([x, y, z], CC.make_node(x, y, z).outputs)(
        2.0, 3.0, 5.0)] == [9.0, 13.0]
    # Elsewhere too, and it still runs fused and differentiates.
    D = s.Composite([x, y], [s.exp(C(x, y)) * x])
    assert isinstance(D.outputs[0].owner.inputs[0].owner.inputs[0].owner.op, s.Composite)
    v, w = T.dvector(), T.dvector()
    e = T.Elemwise(D)(v, w)
    f = theano.function([v, w], [e, T.grad(e.sum(), v)])
    a, b = np.array([0.5, -1.0]), np.array([0.25, 2.0])
    got, g = f(a, b)
    np.testing.assert_allclose(got, np.exp(a + b) * a, rtol=1e-15)
    np.testing.assert_allclose(g, np.exp(a + b) * (a + 1), rtol=1e-15)


def test_make_node_with_other_input_dtypes_rebuilds():
    i0, i1, f = s.int8(), s.int8(), s.float32()
    C = s.Composite([i0, i1, f], [(i0 * i1) / f])
    d0, d1 = s.float64(), s.int8()
    node = C.make_node(d0 * s.float32(), d1, s.float32())
    assert node.outputs[0].type == s.float64


def test_clone_float32():
    x, y = s.float16(), s.float32()
    C = s.Composite([x, y], [s.tanh(x + s.cast(y, "float16")) - s.constant(np.float16(1))])
    assert any(v.type == s.float16 for v in C.fgraph.variables)
    nc = C.clone_float32()
    assert not any(v.type == s.float16 for v in nc.fgraph.variables)
    assert nc.outputs[0].type == s.float32


def test_equal_composites_merge():
    x, y = s.floats("xy")
    assert s.Composite([x, y], [x * y]) == s.Composite([x, y], [x * y])
    assert s.Composite([x, y], [x * y]) != s.Composite([x, y], [x + y])


def test_pickling():
    import pickle

    a, b = s.floats("ab")
    C = s.Composite([a, b], [s.exp(a) * b + 1.5])
    back = pickle.loads(pickle.dumps(C))
    assert back == C and str(back) == str(C)
    assert theano.function([a, b], back(a, b))(0.0, 2.0) == 3.5
