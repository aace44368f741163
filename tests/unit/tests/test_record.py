"""theano.tests.record: Record (write, or replay and compare, lines) and RecordMode (every node
a function runs, with digests of its values)."""

import io

import numpy as np
import pytest
import theano
import theano.tensor as T
from theano.tests.record import MismatchError, Record, RecordMode


def test_record_writes_then_replays_and_detects_a_mismatch():
    out = io.StringIO()
    rec = Record(file_object=out, replay=False)
    for k in range(3):
        rec.handle_line(f"{k}\n")
    assert out.getvalue() == "0\n1\n2\n"
    replay = Record(file_object=io.StringIO(out.getvalue()), replay=True)
    replay.handle_line("0\n")
    with pytest.raises(MismatchError, match="I wanted to write:\n5\n\nwhen previous job "
                                            "wrote:\n1\n"):
        replay.handle_line("5\n")
    with pytest.raises(AssertionError):
        rec.handle_line("no newline")


def test_record_to_a_file_path(tmp_path):
    path = tmp_path / "rec.txt"
    rec = Record(file_path=str(path))
    rec.handle_line("a\n")
    rec.f.close()
    assert path.read_text() == "a\n"
    replay = Record(file_path=str(path), replay=True)
    replay.handle_line("a\n")


def _function(mode):
    x = T.dvector("x")
    return theano.function([x], T.exp(x) * 2, mode=mode, name="f")


def test_record_mode_records_each_node_with_digests_and_replays():
    from theano.printing import hex_digest

    out = io.StringIO()
    f = _function(RecordMode(Record(file_object=out)))
    value = np.array([1.0, 2.0])
    result = f(value)
    np.testing.assert_allclose(result, np.exp(value) * 2)
    lines = out.getvalue().splitlines()
    n_nodes = len(f.maker.fgraph.apply_nodes)
    assert lines[0] == f"Function f has {n_nodes} apply nodes."
    assert lines[1] == "Function name: f"
    assert lines[2].startswith("Node 0:")
    assert lines[3].startswith("Inputs: " + hex_digest(value))
    # the last node's output is the function's result
    assert lines[-1] == "Outputs: " + hex_digest(np.asarray(result))
    assert len(lines) == 1 + 4 * n_nodes
    # The same computation replays; different input values are a mismatch.
    g = _function(RecordMode(Record(file_object=io.StringIO(out.getvalue()), replay=True)))
    g(value)
    h = _function(RecordMode(Record(file_object=io.StringIO(out.getvalue()), replay=True)))
    with pytest.raises(MismatchError, match="Non-determinism detected"):
        h(np.array([1.0, 3.0]))


def test_record_mode_sees_an_output_that_is_an_input():
    """Theano's graph copied such an output with a DeepCopyOp node, which RecordMode saw."""
    out = io.StringIO()
    i = T.iscalar()
    f = theano.function([i], i, mode=RecordMode(Record(file_object=out)), name="f")
    f(3)
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["Function f has 1 apply nodes.", "Function name: f",
                         "Node 0:DeepCopyOp(<TensorType(int32, scalar)>)"]
    replay = RecordMode(Record(file_object=io.StringIO(out.getvalue()), replay=True))
    g = theano.function([i], i, mode=replay, name="f")
    with pytest.raises(MismatchError):
        g(4)


def test_record_mode_takes_record_arguments():
    out = io.StringIO()
    mode = RecordMode(file_object=out)
    assert isinstance(mode.record, Record) and mode.record.f is out
    with pytest.raises(AssertionError):
        RecordMode(Record(file_object=out), file_object=out)
