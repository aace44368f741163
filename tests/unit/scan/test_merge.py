"""Merging Scan nodes (theano_compat/scan/merge.py): which loops may become one, and the
merged loop's values against NumPy."""

import numpy as np

import theano
import theano.tensor as T
from theano_compat.graph.fgraph import FunctionGraph
from theano_compat.scan import merge
from theano_compat.scan.op import Scan


def _node(out):
    """The Scan node under a state's steps view (``buffer[window:]``) or a nit output."""
    v = out
    while not isinstance(v.owner.op, Scan):
        v = v.owner.inputs[0]
    return v.owner


def test_loops_with_the_same_steps_and_no_dependence_belong_together():
    x, y = T.dvector("x"), T.dvector("y")
    a, _ = theano.scan(lambda s, h: h + s, sequences=x, outputs_info=T.constant(np.float64(0.0)))
    b, _ = theano.scan(lambda s: s * 2, sequences=x)
    c, _ = theano.scan(lambda s: s * 2, sequences=y)  # other steps (y's length)
    d, _ = theano.scan(lambda s: s * 3, sequences=a)  # reads a
    e, _ = theano.scan(lambda s: s * 2, sequences=x, truncate_gradient=1)
    na, nb, nc, nd, ne = map(_node, (a, b, c, d, e))
    assert merge.belongs_to_set(nb, [na])
    assert not merge.belongs_to_set(nc, [na])
    assert not merge.belongs_to_set(nd, [na])
    assert not merge.belongs_to_set(ne, [na])
    assert merge.n_steps_key(_node(theano.scan(lambda s: s, sequences=x, n_steps=3)[0])) == 3


def test_stop_conditions_must_be_the_same_computation():
    x = T.dvector("x")
    w1, _ = theano.scan(lambda s: (s + 1, theano.scan_module.until(s > 0)), sequences=x)
    w2, _ = theano.scan(lambda s: (s * 2, theano.scan_module.until(s > 0)), sequences=x)
    w3, _ = theano.scan(lambda s: (s * 2, theano.scan_module.until(s > 1)), sequences=x)
    assert merge.belongs_to_set(_node(w2), [_node(w1)])
    assert not merge.belongs_to_set(_node(w3), [_node(w1)])


def test_the_merged_loop_computes_what_each_did():
    x, h0 = T.dvector("x"), T.dvector("h0")
    init = T.dvector("init")
    a, _ = theano.scan(lambda s, h: h + s, sequences=x, outputs_info=h0[0])
    b, _ = theano.scan(lambda s, p2, p1: p1 * 0.5 + p2 + s, sequences=x,
                       outputs_info=dict(initial=init, taps=[-2, -1]))
    c, _ = theano.scan(lambda s: s ** 2, sequences=x)
    fgraph = FunctionGraph([x, h0, init], [a, b, c], clone=False)
    pairs = merge.merge([_node(a), _node(b), _node(c)])
    fgraph.replace_all(pairs)
    scans = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    assert len(scans) == 1
    # The multi-tap state first, then the single-tap one (Theano's layout).
    assert scans[0].op.taps == ((-2, -1), (-1,)) and scans[0].op.n_nit == 1
    f = theano.function(fgraph.inputs, fgraph.outputs, mode="FAST_COMPILE")
    xv, hv, iv = np.arange(1.0, 5.0), np.array([0.5]), np.array([1.0, 2.0])
    ga, gb, gc = f(xv, hv, iv)
    np.testing.assert_allclose(ga, 0.5 + np.cumsum(xv))
    ref = list(iv)
    for s in xv:
        ref.append(ref[-1] * 0.5 + ref[-2] + s)
    np.testing.assert_allclose(gb, ref[2:])
    np.testing.assert_allclose(gc, xv ** 2)
