"""theano.tests.breakpoint.PdbBreakpoint: values pass through, pdb opens only when asked."""

from __future__ import annotations

import pdb

import numpy as np
import theano.tensor as T

import theano
from theano_compat.tests import breakpoint as B


def _graph():
    a, b = T.fmatrix("a"), T.fscalar("b")
    out = T.dot(a - b, (a - b).T)
    op = B.PdbBreakpoint("sum too high")
    return a, b, op, op(T.gt(out.sum(), 1000), a, b, out)


def test_values_gradients_shapes_and_connections(monkeypatch):
    calls = []
    monkeypatch.setattr(pdb, "set_trace", lambda: calls.append(1))
    a, b, op, (m1, m2, m3) = _graph()
    f = theano.function([a, b], [T.grad(m1.sum(), a), T.grad(m2.sum(), b), m1, m3])
    av = np.arange(9, dtype="float32").reshape(3, 3)
    ga, gb, v1, v3 = f(av, 10.0)
    np.testing.assert_array_equal(ga, np.ones((3, 3), "float32"))
    assert gb == np.float32(1.0) and gb.dtype == np.float32
    np.testing.assert_array_equal(v1, av)
    np.testing.assert_allclose(v3, (av - 10) @ (av - 10).T)  # sum 630: below 1000
    assert calls == []
    f(av * 10, 0.0)  # sum far above 1000: the breakpoint fires once
    assert calls == [1]
    assert op.connection_pattern(m3.owner) == [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    shapes = theano.function([a, b], [m1.shape, m3.shape])(np.ones((2, 3), "float32"), 0.0)
    assert [tuple(s) for s in shapes] == [(2, 3), (2, 2)]
