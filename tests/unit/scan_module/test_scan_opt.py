"""theano.scan_module.scan_opt (theano_compat/scan_module/scan_opt.py): the scan
rewrites registered as in Theano 1.0.5 (unused and constant inputs, merging loops), the
ones this project does not have, and the helpers."""

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.scan_module import scan_opt
from theano.scan_module.scan_op import Scan

def _optimized(opt, inputs, outputs):
    fgraph = theano.gof.FunctionGraph(inputs, outputs)
    opt.optimize(fgraph)
    scans = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    return scans, theano.function(fgraph.inputs, fgraph.outputs)


def test_unused_and_duplicate_inputs_are_removed():
    W, v = T.dmatrix("W"), T.ivector("v")
    y, _ = theano.scan(lambda i, _, _2, W: W[i], sequences=v,
                       non_sequences=[W[0], W[0], W])
    z, _ = theano.scan(lambda i, _, W: W[i], sequences=[v, v], non_sequences=W)
    w = np.arange(9.0).reshape(3, 3)
    for out in (y, z):
        opt = theano.gof.opt.in2out(scan_opt.remove_constants_and_unused_inputs_scan)
        (node,), f = _optimized(opt, [W, v], [out])
        assert np.array_equal(f(w, [1, 2]), [w[[1, 2]]])
        assert len(node.op.inner_seqs(node.op.inputs)) == 1
        assert len(node.op.outer_non_seqs(node)) == 1
        assert len(node.inputs[1:]) == len(set(node.inputs[1:]))


def test_constant_non_sequences_move_into_the_loop():
    x, c = T.dvector("x"), T.dscalar("c")
    out, _ = theano.scan(lambda v, c: v * c, sequences=x, non_sequences=c)
    three = T.constant(3.0, dtype="float64")
    node = out.owner.op.make_node(*(out.owner.inputs[:-1] + [three]))
    (new,) = scan_opt.remove_constants_and_unused_inputs_scan.transform(node)
    assert not new.owner.op.outer_non_seqs(new.owner)
    assert theano.function([x], new)([1.0, 2.0]).tolist() == [3.0, 6.0]


def test_loops_over_the_same_steps_are_merged():
    x, y = T.dvectors("x", "y")
    sx, _ = theano.scan(lambda s: s + 1, sequences=[x], n_steps=4)
    sy, _ = theano.scan(lambda s: s * 2, sequences=[y], n_steps=4)
    scans, f = _optimized(scan_opt.ScanMerge(), [x, y], [sx, sy])
    assert len(scans) == 1
    a, b = f(np.arange(4.0), np.arange(4.0))
    assert a.tolist() == [1.0, 2.0, 3.0, 4.0] and b.tolist() == [0.0, 2.0, 4.0, 6.0]
    sx2, _ = theano.scan(lambda s: s + 1, sequences=[x], n_steps=2)
    scans, _ = _optimized(scan_opt.ScanMerge(), [x, y], [sx2, sy])
    assert len(scans) == 2  # different numbers of steps


def test_merge_keeps_dependent_loops_apart_and_checks_conditions():
    x = T.dvector("x")
    sx, _ = theano.scan(lambda s: s + 1, sequences=[x], n_steps=4)
    sz, _ = theano.scan(lambda s: s * 3, sequences=[sx], n_steps=4)
    merge = scan_opt.ScanMerge()
    assert not merge.belongs_to_set(sz.owner, [sx.owner])
    w1, _ = theano.scan(lambda s: (s + 1, theano.scan_module.until(s > 0)), sequences=x,
                        n_steps=4)
    assert not merge.belongs_to_set(w1.owner, [sx.owner])
    w2, _ = theano.scan(lambda s: (s * 2, theano.scan_module.until(s > 0)), sequences=x,
                        n_steps=4)
    assert merge.belongs_to_set(w1.owner, [w2.owner])
    scans, f = _optimized(merge, [x], [w1, w2])
    assert len(scans) == 1
    a, b = f(np.array([-1.0, 2.0, 3.0, 4.0]))
    assert a.tolist() == [0.0, 3.0] and b.tolist() == [-2.0, 4.0]


def test_pushout_and_save_mem_optimizers_apply_the_scan_rules():
    x, W, h0 = T.dvector("x"), T.dmatrix("W"), T.dvector("h0")
    o, _ = theano.scan(lambda a, h, W: T.dot(h, W * 2) + T.exp(a), sequences=x,
                       outputs_info=h0, non_sequences=W)
    fgraph = theano.gof.FunctionGraph([x, h0, W], [o[-1]])
    for opt in (scan_opt.PushOutNonSeqScan(), scan_opt.PushOutSeqScan(),
                scan_opt.ScanSaveMem()):
        opt.optimize(fgraph)
    (node,) = [n for n in fgraph.toposort() if isinstance(n.op, Scan)]
    inner = [type(n.op.scalar_op).__name__ for n in
             theano.gof.graph.io_toposort(node.op.inputs, node.op.outputs)
             if hasattr(n.op, "scalar_op")]
    assert "Exp" not in inner and "Mul" not in inner and node.op.store_steps == (2,)
    f = theano.function(fgraph.inputs, fgraph.outputs, mode="FAST_COMPILE")
    xv, hv, wv = np.arange(3.0) / 3, np.array([0.5, -0.5]), np.array([[0.1, 0.2], [0.3, 0.4]])
    h = hv
    for a in xv:
        h = h @ (wv * 2) + np.exp(a)
    np.testing.assert_allclose(f(xv, hv, wv)[0], h)


@pytest.mark.parametrize("cls", [scan_opt.PushOutScanOutput, scan_opt.PushOutDot1,
                                 scan_opt.ScanInplaceOptimizer])
def test_optimizers_without_an_equivalent_say_so(cls):
    x = T.dvector("x")
    fgraph = theano.gof.FunctionGraph([x], [x * 2])
    with pytest.raises(NotImplementedError, match=cls.__name__):
        cls().optimize(fgraph)


def test_helpers():
    assert scan_opt.has_duplicates([1, 2, 1]) and not scan_opt.has_duplicates([1, 2])
    assert scan_opt.make_equiv(["a", "b", "c"], [1, 2, 1]) == (["c"], ["a"])
    assert "scanOp_merge" in scan_opt.scan_eqopt2.__db__
    assert theano.compile.optdb.__position__["scan_eqopt1"] == 0.05


def test_merge_inouts_gives_equal_per_step_outputs_one_variable():
    x = T.dvector("x")
    (a, b), _ = theano.scan(lambda v: (v * 2, v * 2), sequences=x)
    node = a.owner
    new = scan_opt.scan_merge_inouts.transform(node)
    assert new[0] is node.outputs[0] and new[1] is node.outputs[0]
    (c, d), _ = theano.scan(lambda v: (v * 2, v * 3), sequences=x)
    assert scan_opt.scan_merge_inouts.transform(c.owner) is False
