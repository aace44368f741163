"""MonitorMode: call user functions around every node (theano.compile.monitormode).

``MonitorMode(pre_func=None, post_func=None, optimizer='default', linker=None)`` calls
``pre_func(i, node, fn)`` before and ``post_func(i, node, fn)`` after each Apply node
runs, where `i` is the node's position in the execution order, `node` the Apply node and
`fn` its thunk: ``fn()`` runs the node, ``fn.inputs`` and ``fn.outputs`` are lists of
one-element storage lists (``fn.outputs[0][0]`` is the first output's value once the node
ran), as in Theano.  Inner graphs (scan, OpFromGraph) are monitored too.
"""

from __future__ import annotations

import numpy as np

from .mode import Mode
from .node_eval import EvalFunctionMaker, NodeChecks, print_graph


class NodeThunk:
    """One node ready to run, as MonitorMode's callbacks see it (Theano's thunk)."""

    def __init__(self, ev, node, inputs):
        self._ev = ev
        self.node = node
        self.inputs = [[v] for v in inputs]
        self.outputs = [[None] for _ in node.outputs]

    def __call__(self):
        outs = self._ev.compute(self.node, [cell[0] for cell in self.inputs])
        for cell, value in zip(self.outputs, outs, strict=True):
            cell[0] = value


class _MonitorChecks(NodeChecks):
    def __init__(self, mode):
        self.mode = mode

    def run_node(self, ev, position, node, inputs):
        thunk = NodeThunk(ev, node, inputs)
        self.mode.eval(position, node, thunk)
        return [cell[0] for cell in thunk.outputs]


class MonitorMode(Mode):
    """A mode running `pre_func` / `post_func` around every node (see the module
    docstring).  `linker` must be None: the graph runs node by node."""

    __module__ = "theano.compile.monitormode"  # Theano's path: reprs and pickles

    maker_class = EvalFunctionMaker

    def __init__(self, pre_func=None, post_func=None, optimizer="default", linker=None):
        if linker is not None:
            raise ValueError("MonitorMode can only use its own linker! You should not "
                             "provide one.")
        self.pre_func = pre_func
        self.post_func = post_func
        super().__init__(linker=None, optimizer=optimizer)

    def eval(self, i, node, fn):
        """Run one node: pre_func, the node, post_func."""
        if self.pre_func is not None:
            self.pre_func(i, node, fn)
        fn()
        if self.post_func is not None:
            self.post_func(i, node, fn)

    def node_checks(self, fgraph):
        return _MonitorChecks(self)


def detect_nan(i, node, fn):
    """A `post_func` printing the node, its inputs and outputs when an output holds NaN
    (the documentation's example, kept here as Theano did)."""
    for output in fn.outputs:
        value = output[0]
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc" and \
                np.isnan(value).any():
            print("*** NaN detected ***")
            print_graph(node)
            print(f"Inputs : {[cell[0] for cell in fn.inputs]}")
            print(f"Outputs: {[cell[0] for cell in fn.outputs]}")
            break

from .legacy_names import THEANO, lazy_names  # noqa: E402

__getattr__, __dir__ = lazy_names(__name__, {"theano": THEANO})
