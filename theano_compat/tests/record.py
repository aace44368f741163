"""theano.tests.record: record what a compiled function computes, node by node, and check a
later run against the record (Theano's determinism checker).

`Record` writes lines to a file (or compares each line with the next line of a recorded
file, in replay mode, raising `MismatchError` at the first difference).  `RecordMode` is a
mode that, for every node a function runs, records the function's name, the node, and
digests (`theano.printing.hex_digest`) of its input and output values; replaying with the
same record in replay mode detects any non-determinism.
"""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import copy

import numpy as np

from ..compile import Mode  # noqa: F401 - Theano's module imported it
from ..compile.monitormode import MonitorMode, NodeThunk
from ..compile.node_eval import NodeChecks
from ..compile.ops import deep_copy_op
from ..printing import hex_digest, min_informative_str

__all__ = ["MismatchError", "Record", "RecordMode"]


class MismatchError(Exception):
    """Raised by `Record.handle_line` when a replayed run writes a different line."""


MismatchError.__module__ = "theano.tests.record"


def _shorten(line):
    return line[:100] + "..." if len(line) > 100 else line


class Record:
    """A sequence of lines: written to `file_object` / `file_path`, or, with ``replay=True``,
    read back and compared line by line with what the run writes."""

    def __init__(self, file_object=None, file_path=None, replay=False):
        assert file_object is not None or file_path is not None
        if file_object is None:
            file_object = open(file_path, "r" if replay else "w")  # noqa: SIM115 - kept open
        self.f = file_object
        self.file_object = file_object
        self.file_path = file_path
        self.replay = replay

    def handle_line(self, line):
        """Record `line` (one line, ending in a newline), or in replay mode check that it is
        the next recorded line."""
        assert line.endswith("\n")
        assert line[:-2].find("\n") == -1
        if not self.replay:
            self.f.write(line)
            return
        old_line = self.f.readline()
        if old_line != line:
            raise MismatchError("Replay detected mismatch.\n I wanted to write:\n"
                                + _shorten(line) + "\nwhen previous job wrote:\n"
                                + _shorten(old_line))


Record.__module__ = "theano.tests.record"


class _CopyThunk:
    """The copy of an output that is an input or a constant (Theano's graph had a
    DeepCopyOp node for it; this project's function copies it without a node)."""

    def __init__(self, var, value):
        self.node = deep_copy_op(var).owner
        self.inputs = [[value]]
        self.outputs = [[None]]

    def __call__(self):
        self.outputs[0][0] = copy.deepcopy(self.inputs[0][0])


def _copied_outputs(fgraph):
    return [var for var in fgraph.outputs if var.owner is None]


class _RecordChecks(NodeChecks):
    def __init__(self, mode, fgraph):
        self.mode = mode
        self.fgraph = fgraph

    def run_node(self, ev, position, node, inputs):
        thunk = NodeThunk(ev, node, inputs)
        self.mode.record_node(position, node, thunk, self.fgraph, ev)
        return [cell[0] for cell in thunk.outputs]

    def finish(self, ev, storage):
        # Outputs that are inputs or constants: recorded as Theano's DeepCopyOp nodes were,
        # after the graph's nodes.
        for k, var in enumerate(_copied_outputs(self.fgraph)):
            thunk = _CopyThunk(var, storage[var])
            self.mode.record_node(len(ev.nodes) + k, thunk.node, thunk, self.fgraph, ev)


class RecordMode(MonitorMode):
    """A mode that records (or, with a replaying `Record`, checks) every node a function
    runs: the function's name and node count once, then per node its name, position and
    the digests of its inputs and outputs.  Functions must be named (``name=``): the name
    is how a replay tells which function runs."""

    def __init__(self, record=None, **kwargs):
        if record is None:
            record = Record(**kwargs)
        else:
            assert len(kwargs) == 0
        self.set_record(record)
        super().__init__(optimizer="fast_run")

    def set_record(self, record):
        """Use `record` from now on."""
        self.record = record
        self.known_fgraphs = set()

    def node_checks(self, fgraph):
        return _RecordChecks(self, fgraph)

    def _handle_line(self, line, i, node, fn, name):
        try:
            self.record.handle_line(line)
        except MismatchError as e:
            print("Got this MismatchError:")
            print(e)
            print("while processing node i=" + str(i) + ":")
            print("str(node):", str(node))
            print("Symbolic inputs: ")
            for var in node.inputs:
                print(min_informative_str(var))
            print("str(output) of outputs: ")
            for cell in fn.outputs:
                print(str(cell[0]))
            print("function name: " + name)
            raise MismatchError("Non-determinism detected by RecordMode") from e

    def record_node(self, i, node, fn, fgraph, ev):
        """Record (or check) node `i` of `fgraph` and run it."""
        name = getattr(fgraph, "name", None)
        if name is None and ev.name not in ("unnamed function", "inner graph"):
            name = ev.name
        if name is None:
            raise ValueError("Un-named functions are not allowed with RecordMode, because "
                             "they make it impossible to tell if the same function is "
                             "running during the playback.")
        if fgraph not in self.known_fgraphs:
            assert not any(getattr(g, "name", None) == name for g in self.known_fgraphs)
            self.known_fgraphs.add(fgraph)
            count = len(fgraph.apply_nodes) + len(_copied_outputs(fgraph))
            self._handle_line(f"Function {name} has {count} apply nodes.\n", i, node, fn, name)
        self._handle_line(f"Function name: {name}\n", i, node, fn, name)
        self._handle_line(f"Node {i}:{node}\n", i, node, fn, name)
        self._handle_line("Inputs: " + " ".join(_digest(c[0]) for c in fn.inputs) + "\n",
                          i, node, fn, name)
        fn()
        self._handle_line("Outputs: " + " ".join(_digest(c[0]) for c in fn.outputs) + "\n",
                          i, node, fn, name)


RecordMode.__module__ = "theano.tests.record"


def _digest(value):
    """hex_digest of a node's value (0-d arrays for scalars; other objects by repr)."""
    try:
        return hex_digest(value if isinstance(value, np.ndarray) else np.asarray(value))
    except (TypeError, ValueError, AssertionError):
        return repr(value)
