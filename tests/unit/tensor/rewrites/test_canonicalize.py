"""The CANONICALIZE rules (theano_compat/tensor/rewrites/canonicalize.py): excluding the
"canonicalize" tag switches off the rules Theano 1.0.5 registered in its canonicalize slot
only, in every phase that runs them here (specialize, and the canonicalisers of stabilize)."""

from __future__ import annotations

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano_compat.scalar import ops as S
from theano_compat.tensor.elemwise import Elemwise
from tests.support.modes import FAST_RUN  # the FAST_RUN rewrites, whatever THEANO_FLAGS says

SUB_ZEROS_MODE = FAST_RUN.excluding(
    "canonicalize", "uncanonicalize", "ShapeOpt", "local_fill_to_alloc",
    "local_elemwise_alloc").including("local_elemwise_sub_zeros")


@pytest.mark.parametrize("ndim", [0, 1, 2])
def test_excluding_canonicalize_leaves_x_minus_x_to_elemwise_sub_zeros(ndim):
    # Theano 1.0.5 (theano-ref) with this mode: one node, Elemwise{second}(x, 0.0) with
    # the constant of shape (1,) * ndim.
    a = T.TensorType("float64", (False,) * ndim)("a")
    f = theano.function([a], a - a, mode=SUB_ZEROS_MODE)
    topo = f.maker.fgraph.toposort()
    assert len(topo) == 1
    assert isinstance(topo[0].op, Elemwise) and topo[0].op.scalar_op is S.second
    cst = topo[0].inputs[1]
    assert isinstance(cst, T.TensorConstant)
    assert np.asarray(cst.data).shape == (1,) * ndim and float(np.asarray(cst.data).sum()) == 0
    value = np.full((3,) * ndim, 5.0)
    np.testing.assert_array_equal(f(value), np.zeros_like(value))


def test_excluding_canonicalize_keeps_the_quotient_uncancelled():
    # Theano 1.0.5 (theano-ref): (x * y) / y without canonicalize compiles to one fused
    # Composite{((i0 * i1) / i1)}; with canonicalize the division cancels.
    x, y = T.dvectors("x", "y")
    f = theano.function([x, y], (x * y) / y,
                        mode=FAST_RUN.excluding("canonicalize"))
    topo = f.maker.fgraph.toposort()
    assert len(topo) == 1
    assert str(topo[0].op) == "Elemwise{Composite{((i0 * i1) / i1)}}"
    xv, yv = np.array([1.0, 2.0, 3.0]), np.array([0.0, 4.0, 1e-300])
    with np.errstate(all="ignore"):
        got = f(xv, yv)
        want = (xv * yv) / yv
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(got)], want[~np.isnan(want)])
    g = theano.function([x, y], (x * y) / y, mode=FAST_RUN)
    assert not any(isinstance(n.op, Elemwise) for n in g.maker.fgraph.toposort())
