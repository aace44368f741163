"""Theano's ShapeFeature: a FunctionGraph feature keeping, for every variable of the graph,
its shape as a tuple of symbolic int64 scalars computed from the graph's inputs (each
Op's ``infer_shape``), so that code can ask for a shape without computing the variable.

The project's compile pipeline does not use it: its shape rules (shape.py) lift
``Shape_i`` through the graph locally.  This class is for code that attaches it
(``fgraph.attach_feature(ShapeFeature())``) and reads ``fgraph.shape_feature``.
"""

from __future__ import annotations

import numpy as np

from ...errors import MethodNotDefined, ShapeError
from ...graph.basic import Constant, Variable
from ...graph.optimizers import is_same_graph_with_merge
from .. import basic as B


class ShapeFeature:
    """Shapes of the variables of a graph (``shape_of[var]``: a tuple of int64 scalar
    variables, None for a variable that is not a tensor)."""

    __module__ = "theano.tensor.opt"

    def __init__(self):
        self.shape_of = {}
        self.scheduled = {}
        self.shape_of_reverse_index = {}
        self.lscalar_one = B.constant(np.asarray(1, dtype="int64"))

    # ------------------------------------------------------------------- building shapes

    def shape_ir(self, i, r):
        """The i-th dimension of `r`."""
        if hasattr(r.type, "broadcastable") and r.type.broadcastable[i]:
            return self.lscalar_one
        return B.Shape_i(i)(r)

    def shape_tuple(self, r):
        """`r`'s shape from its own Shape_i (None when it is not a tensor)."""
        if not hasattr(r.type, "ndim"):
            return None
        return tuple(self.shape_ir(i, r) for i in range(r.type.ndim))

    def default_infer_shape(self, node, i_shapes):
        """Shapes of `node`'s outputs read from the outputs themselves."""
        return [self.shape_tuple(r) for r in node.outputs]

    def unpack(self, s_i, var):
        """`s_i` (a number or a scalar variable) as an int64 scalar variable."""
        if isinstance(s_i, (int, np.integer)) or (isinstance(s_i, np.ndarray)
                                                  and s_i.ndim == 0):
            if int(s_i) < 0:
                raise ShapeError(f"There is a negative shape in the graph: {s_i} for {var}")
            return B.constant(np.asarray(int(s_i), dtype="int64"))
        if isinstance(s_i, float) and int(s_i) == s_i:
            return B.constant(np.asarray(int(s_i), dtype="int64"))
        if isinstance(s_i, (tuple, list)):
            raise NotImplementedError(s_i)
        s_i = B.as_tensor_variable(s_i)
        if s_i.type.ndim != 0:
            raise TypeError(f"a shape entry must be a scalar, got {s_i.type} for {var}")
        if s_i.type.dtype not in ("int64",):
            if s_i.type.dtype not in ("int8", "int16", "int32", "uint8", "uint16", "uint32",
                                      "uint64", "bool"):
                raise TypeError(f"a shape entry must be an integer, got {s_i.type}")
            s_i = B.cast(s_i, "int64")
        return s_i

    def init_r(self, r):
        """Give `r` the shape made of its own Shape_i, if it has none yet."""
        if r not in self.shape_of:
            self.set_shape(r, self.shape_tuple(r))

    def make_vector_shape(self, r):
        return B.make_vector(*self.shape_of[r])

    def get_shape(self, var, idx):
        """The `idx`-th entry of `var`'s shape (importing its node when needed)."""
        if var not in self.shape_of:
            self.init_r(var)
        return self.shape_of[var][idx]

    def set_shape(self, r, s, override=False):
        """Set `r`'s shape to `s` (a tuple of numbers or scalar variables, or None)."""
        if not override and r in self.shape_of:
            return
        if s is None:
            self.shape_of[r] = None
            return
        if not isinstance(s, (tuple, list)):
            raise TypeError("shapes must be tuple/list", (r, s))
        if getattr(r.type, "ndim", len(s)) != len(s):
            raise AssertionError(f"Something inferred a shape with {len(s)} dimensions for "
                                 f"a variable with {r.type.ndim} dimensions for {r}")
        entries = []
        for i, s_i in enumerate(s):
            if r.type.broadcastable[i]:
                entries.append(self.lscalar_one)
            else:
                entries.append(self.unpack(s_i, r))
        self.shape_of[r] = tuple(entries)
        for e in entries:
            if e.owner is not None:
                self.shape_of_reverse_index.setdefault(e, set()).add(r)

    def update_shape(self, r, other_r):
        """Give `r` the shape of `other_r` where it knows more (the entries of `r` that
        are only its own Shape_i)."""
        other = self.shape_of.get(other_r)
        if other is None:
            return
        mine = self.shape_of.get(r)
        if mine is None:
            self.set_shape(r, other, override=True)
            return
        merged = []
        for i, (a, b) in enumerate(zip(mine, other)):
            own = a.owner is not None and isinstance(a.owner.op, B.Shape_i) and \
                a.owner.inputs[0] is r
            merged.append(b if own or isinstance(b, Constant) else a)
        self.set_shape(r, tuple(merged), override=True)

    def set_shape_i(self, r, i, s_i):
        """Set the `i`-th entry of `r`'s shape."""
        shape = list(self.shape_of[r])
        shape[i] = self.unpack(s_i, r)
        self.shape_of[r] = tuple(shape)

    # -------------------------------------------------------------------- the feature

    def on_attach(self, fgraph):
        if getattr(fgraph, "shape_feature", None) is not None:
            raise ValueError("This FunctionGraph already has a ShapeFeature")
        fgraph.shape_feature = self
        for node in fgraph.toposort():
            self.on_import(fgraph, node, reason="on_attach")

    def on_detach(self, fgraph):
        self.shape_of = {}
        self.scheduled = {}
        self.shape_of_reverse_index = {}
        if hasattr(fgraph, "shape_feature"):
            del fgraph.shape_feature

    def on_import(self, fgraph, node, reason):
        if node.outputs[0] in self.shape_of:
            for r in node.outputs:
                self.init_r(r)
            return
        for r in node.inputs:
            self.init_r(r)
        in_shapes = [self.shape_of[r] for r in node.inputs]
        shapes = None
        infer = getattr(node.op, "infer_shape", None)
        if infer is not None:
            try:
                shapes = infer(node, in_shapes)
            except (MethodNotDefined, NotImplementedError, ShapeError, AttributeError,
                    TypeError, ValueError, IndexError):
                shapes = None
        if shapes is None:
            shapes = self.default_infer_shape(node, in_shapes)
        for r, s in zip(node.outputs, shapes):
            if s is not None and any(e is None for e in s):
                own = self.shape_tuple(r)
                s = tuple(o if e is None else e for e, o in zip(s, own))
            self.set_shape(r, None if s is None else tuple(s))

    def on_change_input(self, fgraph, node, i, r, new_r, reason):
        if new_r not in self.shape_of:
            if new_r.owner is not None:
                self.on_import(fgraph, new_r.owner, reason)
            self.init_r(new_r)
        self.update_shape(new_r, r)

    def on_prune(self, fgraph, node, reason):
        pass

    # ----------------------------------------------------------------------- queries

    def same_shape(self, x, y, dim_x=None, dim_y=None):
        """Whether `x` and `y` are known to have the same shape (or the same length in
        dimensions `dim_x` of x and `dim_y` of y).  False means "not proven"."""
        sx, sy = self.shape_of.get(x), self.shape_of.get(y)
        if sx is None or sy is None:
            return False
        if dim_x is not None:
            sx = [sx[dim_x]]
        if dim_y is not None:
            sy = [sy[dim_y]]
        if len(sx) != len(sy):
            return False
        for dx, dy in zip(sx, sy):
            if dx is dy:
                continue
            if not (isinstance(dx, Variable) and isinstance(dy, Variable)):
                return False
            if isinstance(dx, Constant) and isinstance(dy, Constant):
                if np.asarray(dx.data) == np.asarray(dy.data):
                    continue
                return False
            if dx.owner is None or dy.owner is None:
                return False
            if not (isinstance(dx.owner.op, B.Shape_i) and isinstance(dy.owner.op, B.Shape_i)):
                if not is_same_graph_with_merge(dx, dy):
                    return False
                continue
            if dx.owner.op.i != dy.owner.op.i:
                return False
            if dx.owner.inputs[0] is not dy.owner.inputs[0] and \
                    not is_same_graph_with_merge(dx.owner.inputs[0], dy.owner.inputs[0]):
                return False
        return True
