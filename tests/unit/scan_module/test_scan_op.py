"""theano.scan_module.scan_op (theano_compat/scan_module/scan_op.py): the Scan Op seen as
Theano 1.0.5 described it (values recorded with ../shared/tools/theano-ref)."""

import io
import pickle

import numpy as np
import pytest

import theano
import theano.tensor as T
from theano.scan_module import scan_op
from theano.scan_module.scan_op import Scan


def _node():
    rng = T.shared_randomstreams.RandomStreams(123)

    def inner_fct(seq, mitsot, sitsot, nitsot, nseq):
        total = seq + mitsot + sitsot + nitsot + nseq + rng.uniform((1,))[0]
        return total, total, total

    outs, _ = theano.scan(inner_fct, sequences=[T.vector()],
                          outputs_info=[dict(initial=T.vector(), taps=[-3, -1]),
                                        T.scalar(), None],
                          non_sequences=[T.scalar()])
    return outs[0].owner.inputs[0].owner


def test_theano_description_of_a_loop():
    node = _node()
    op = node.op
    info = op.info
    # Theano 1.0.5's info for this loop (one mit_sot, one sit_sot, one nit_sot, the
    # random generator as a shared output).
    assert info["tap_array"] == [[-3, -1], [-1]]
    assert (info["n_seqs"], info["n_mit_sot"], info["n_sit_sot"], info["n_nit_sot"],
            info["n_shared_outs"], info["n_mit_mot"]) == (1, 1, 1, 1, 1, 0)
    assert info["name"] == "scan_fn" and info["as_while"] is False
    assert len(node.inputs) == 7  # n_steps, seq, mit_sot, sit_sot, shared, nit_sot, nseq
    assert op.outer_seqs(node) == node.inputs[1:2]
    assert op.outer_mitsot(node) == node.inputs[2:3]
    assert op.outer_sitsot(node) == node.inputs[3:4]
    assert op.outer_shared(node) == node.inputs[4:5]
    assert op.outer_nitsot(node) == node.inputs[5:6]
    assert op.outer_non_seqs(node) == node.inputs[6:]
    assert len(op.inner_mitsot(op.inputs)) == 2 and len(op.inner_sitsot(op.inputs)) == 1
    assert op.inner_non_seqs(op.inputs) == op.inputs[-1:]
    assert op.mitsot_taps() == [[-3, -1]]
    assert op.outer_nitsot_outs(node) == node.outputs[2:3]


def test_var_mappings():
    m = _node().op.var_mappings
    # Theano 1.0.5 (the expected values of its test_oinp_iinp_iout_oout_mappings).
    assert m["inner_inp_from_outer_inp"] == {0: [], 1: [0], 2: [1, 2], 3: [3], 4: [4], 5: [],
                                             6: [5]}
    assert m["inner_out_from_outer_inp"] == {0: [], 1: [], 2: [0], 3: [1], 4: [3], 5: [2],
                                             6: []}
    assert m["outer_out_from_outer_inp"] == {0: -1, 1: -1, 2: 0, 3: 1, 4: 3, 5: 2, 6: -1}
    assert m["outer_inp_from_inner_inp"] == {0: 1, 1: 2, 2: 2, 3: 3, 4: 4, 5: 6}
    assert m["inner_out_from_inner_inp"] == {0: [], 1: [0], 2: [0], 3: [1], 4: [3], 5: []}
    assert m["outer_out_from_inner_inp"] == {0: -1, 1: 0, 2: 0, 3: 1, 4: 3, 5: -1}
    assert m["outer_inp_from_inner_out"] == {0: 2, 1: 3, 2: 5, 3: 4}
    assert m["inner_inp_from_inner_out"] == {0: [1, 2], 1: [3], 2: [], 3: [4]}
    assert m["outer_out_from_inner_out"] == {0: 0, 1: 1, 2: 2, 3: 3}
    assert m["outer_inp_from_outer_out"] == {0: 2, 1: 3, 2: 5, 3: 4}
    assert m["inner_inp_from_outer_out"] == {0: [1, 2], 1: [3], 2: [], 3: [4]}
    assert m["inner_out_from_outer_out"] == {0: [0], 1: [1], 2: [2], 3: [3]}


def test_connection_pattern():
    node = _node()
    t, f = True, False
    # Theano 1.0.5
    assert node.op.connection_pattern(node) == [
        [f, f, f, f], [t, t, t, f], [t, t, t, f], [t, t, t, f], [t, t, t, t], [f, f, f, f],
        [t, t, t, f]]


def test_built_from_theano_info():
    node = _node()
    op = node.op
    again = Scan(op.inputs, op.outputs, op.info)
    assert again == op and hash(again) == hash(op)
    outs = again(*node.inputs, return_list=True)
    assert [o.type for o in outs] == [o.type for o in node.outputs]
    with pytest.raises(NotImplementedError, match="mit_mot"):
        Scan(op.inputs, op.outputs, dict(op.info, n_mit_mot=1))


def test_public_path_pickle_and_module_names():
    assert Scan.__module__ == "theano.scan_module.scan_op"
    x = T.dvector("x")
    out, _ = theano.scan(lambda v: v * 2, sequences=x)
    op = out.owner.op
    again = pickle.loads(pickle.dumps(op))
    assert isinstance(again, Scan) and again == op
    for name in ("ScanProfileStats", "safe_new", "forced_replace", "io_connection_pattern",
                 "grad_undefined", "NullType", "In", "Out", "izip", "xrange", "theano"):
        assert hasattr(scan_op, name), name


def test_fn_is_the_inner_graph_compiled_alone():
    x = T.dvector("x")
    out, _ = theano.scan(lambda v: v * 2 + 1, sequences=x)
    op = out.owner.op
    assert op.fn(np.float64(3.0)) == [7.0]
    assert op.fn.maker.fgraph.outputs


def test_profile_printer_lists_the_loops():
    x = T.dvector("x")
    out, _ = theano.scan(lambda v: v * 2, sequences=x, name="twice")
    node = out.owner
    buf = io.StringIO()
    scan_op.profile_printer("f", 0.0, 2.0, {node: 0.5}, {}, {}, buf)
    assert "Scan overhead" in buf.getvalue() and "twice" in buf.getvalue()
    empty = io.StringIO()
    scan_op.profile_printer("f", 0.0, 2.0, {}, {}, {}, empty)
    assert empty.getvalue() == ""
