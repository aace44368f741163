"""FunctionGraph features (Theano's ``gof.toolbox``): objects the graph tells about its
changes.

The protocol and the features FunctionGraph itself relies on (History, Validator,
ReplaceValidate) are in graph/fgraph.py; here are the others: `Bookkeeper` (replays the
graph's nodes as imports on attach), `NodeFinder` (``fgraph.get_nodes(op)``),
`PrintListener`, `PreserveNames`, `PreserveVariableAttributes`, `NoOutputFromInplace`.
"""

from __future__ import annotations

import functools

from .basic import io_toposort
from .fgraph import (AlreadyThere, Feature, GetCheckpoint, History,  # noqa: F401
                     InconsistencyError, LambdExtract, ReplacementDidntRemovedError,
                     ReplaceValidate, Validator)

_TOOLBOX = "theano.gof.toolbox"


class Bookkeeper(Feature):
    """A feature that sees the nodes already in the graph as imports when attached (and
    as prunes when detached), so it keeps one bookkeeping path for both."""

    __module__ = _TOOLBOX

    def on_attach(self, fgraph):
        for node in io_toposort(fgraph.inputs, fgraph.outputs):
            self.on_import(fgraph, node, "on_attach")

    def on_detach(self, fgraph):
        for node in io_toposort(fgraph.inputs, fgraph.outputs):
            self.on_prune(fgraph, node, "Bookkeeper.detach")


class NodeFinder(Bookkeeper):
    """Gives the graph ``get_nodes(op)``: its nodes applying `op` (a dict kept up to date
    by the import and prune callbacks)."""

    __module__ = _TOOLBOX

    def __init__(self):
        self.fgraph = None
        self.d = {}

    def on_attach(self, fgraph):
        if self.fgraph is not None:
            raise Exception("A NodeFinder instance can only serve one FunctionGraph.")
        if "get_nodes" in fgraph.__dict__:
            raise AlreadyThere("NodeFinder is already present or in conflict with "
                               "another plugin.")
        self.fgraph = fgraph
        fgraph.get_nodes = functools.partial(self.query, fgraph)
        Bookkeeper.on_attach(self, fgraph)

    def on_detach(self, fgraph):
        if self.fgraph is not fgraph:
            raise Exception("This NodeFinder instance was not attached to the provided "
                            "fgraph.")
        self.fgraph = None
        fgraph.__dict__.pop("get_nodes", None)
        Bookkeeper.on_detach(self, fgraph)

    def unpickle(self, fgraph):
        fgraph.get_nodes = functools.partial(self.query, fgraph)

    pickle_rm_attr = ["get_nodes"]

    def on_import(self, fgraph, node, reason):
        try:
            self.d.setdefault(node.op, []).append(node)
        except TypeError:  # an unhashable op cannot be looked up anyway
            return

    def on_prune(self, fgraph, node, reason):
        try:
            nodes = self.d[node.op]
        except (TypeError, KeyError):
            return
        if node in nodes:
            nodes.remove(node)
        if not nodes:
            del self.d[node.op]

    def query(self, fgraph, op):
        try:
            found = self.d.get(op, [])
        except TypeError:
            raise TypeError(f"{op} in unhashable and cannot be queried by the optimizer") \
                from None
        return list(found)


class PrintListener(Feature):
    """Prints every event (attach, detach, import, prune, input change)."""

    __module__ = _TOOLBOX

    def __init__(self, active=True):
        self.active = active

    def on_attach(self, fgraph):
        if self.active:
            print("-- attaching to: ", fgraph)

    def on_detach(self, fgraph):
        if self.active:
            print("-- detaching from: ", fgraph)

    def on_import(self, fgraph, node, reason):
        if self.active:
            print(f"-- importing: {node}, reason: {reason}")

    def on_prune(self, fgraph, node, reason):
        if self.active:
            print(f"-- pruning: {node}, reason: {reason}")

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        if self.active:
            print(f"-- changing ({node}.inputs[{i}]) from {r} to {new_r}")


class PreserveNames(Feature):
    """A replacement variable without a name takes the name of the one it replaces."""

    __module__ = _TOOLBOX

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        if r.name is not None and new_r.name is None:
            new_r.name = r.name


class PreserveVariableAttributes(Feature):
    """As PreserveNames, and keeps NanGuardMode's ``nan_guard_mode_check`` tag."""

    __module__ = _TOOLBOX

    def on_change_input(self, fgraph, node, i, r, new_r, reason=None):
        if r.name is not None and new_r.name is None:
            new_r.name = r.name
        if getattr(r.tag, "nan_guard_mode_check", False) and \
                getattr(new_r.tag, "nan_guard_mode_check", False) is False:
            new_r.tag.nan_guard_mode_check = r.tag.nan_guard_mode_check


class NoOutputFromInplace(Feature):
    """Refuses graphs where one of the outputs (``first_output_idx:last_output_idx``) is
    computed by destroying another value in place."""

    __module__ = _TOOLBOX

    def __init__(self, first_output_idx=0, last_output_idx=None):
        self.first_idx = first_output_idx
        self.last_idx = last_output_idx

    def validate(self, fgraph):
        if "destroyers" not in fgraph.__dict__:
            return True
        for out in list(fgraph.outputs)[self.first_idx:self.last_idx]:
            node = out.owner
            if node is None:
                continue
            if out.index in (getattr(node.op, "destroy_map", None) or {}):
                raise InconsistencyError(
                    "A function graph Feature has requested that outputs of the graph be "
                    "prevented from being the result of inplace operations. This has "
                    f"prevented output {out} from being computed by modifying another "
                    "variable inplace.")
        return True
