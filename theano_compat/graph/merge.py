"""Merge pass: common-subexpression elimination by (op, inputs) hashing."""

from __future__ import annotations

from .basic import Constant


def merge(fgraph):
    """Replace duplicate constants and duplicate Apply nodes by a single representative."""
    seen_const = {}
    for var in list(fgraph.variables):
        if isinstance(var, Constant) and var in fgraph.variables:
            try:
                key = var.signature()
                hash(key)
            except TypeError:
                continue
            rep = seen_const.setdefault(key, var)
            if rep is not var:
                fgraph.replace(var, rep, reason="merge")
    seen = {}
    for node in fgraph.toposort():
        if node not in fgraph.apply_nodes:
            continue
        try:
            key = (node.op, tuple(id(i) for i in node.inputs))
            hash(key)
        except TypeError:
            continue
        rep = seen.get(key)
        if rep is None:
            seen[key] = node
            continue
        for old, new in zip(node.outputs, rep.outputs):
            if old.type == new.type:
                fgraph.replace(old, new, reason="merge")
    return fgraph
