"""Constant folding: a node whose inputs are all constants becomes a constant.

Evaluated on NumPy with the Op's own implementation, so folding gives the value the
unfolded graph would compute.  Outputs above `MAX_FOLD_BYTES` stay symbolic (folding a
large ``alloc`` would only move the allocation into the compiled function's globals).
"""

from __future__ import annotations

import numpy as np

from ...graph.basic import Constant
from ...graph.op import runner_for
from ...graph.rewrite import node_rule
from ...scalar.type import Scalar, ScalarConstant
from ..type import TensorType
from ..type_other import SliceConstant, SliceType
from ..variable import TensorConstant

MAX_FOLD_BYTES = 1 << 20


def _fold(fgraph, node):
    if not node.inputs or not all(isinstance(i, Constant) for i in node.inputs):
        return None
    # Tensors, the scalars of scalar graphs (an index given as
    # ``scalar.constant(0).astype('int32')`` folds to a constant index, as in Theano), and
    # slices (MakeSlice of constants: a SliceConstant, as Theano's folding gave).
    if not all(isinstance(o.type, (TensorType, Scalar, SliceType)) for o in node.outputs):
        return None
    if not node.op.do_constant_folding(node):
        return None
    for_clients = getattr(node.op, "do_constant_folding_for", None)
    if for_clients is not None and not for_clients(node, fgraph.clients(node.outputs[0])):
        return None
    try:
        with np.errstate(all="ignore"):
            values = runner_for(node.op, node, np)(*[i.data for i in node.inputs])
    except ZeroDivisionError:
        return None  # an integer division by zero: left to raise when the function runs
    except MemoryError:
        return None  # a huge constant (T.eye(10**7)): fails when the function runs
    if len(node.outputs) == 1:
        values = [values]
    out = []
    for var, value in zip(node.outputs, values):
        if isinstance(var.type, SliceType):
            out.append(SliceConstant(var.type, value))
            continue
        value = np.asarray(value)
        if value.nbytes > MAX_FOLD_BYTES:
            return None
        if value.dtype != var.type.dtype:
            value = value.astype(var.type.dtype)
        if isinstance(var.type, Scalar):
            out.append(ScalarConstant(var.type, var.type.filter(value)))
        else:
            out.append(TensorConstant(var.type, value))
    return out


constant_folding = node_rule("constant_folding", None, _fold, tags=("fast_compile",))
