"""IfElse: a lazy conditional over whole values (Theano's ``theano.ifelse``).

``ifelse(cond, then_branch, else_branch)`` is ``then_branch`` when the scalar `cond` is
non-zero and ``else_branch`` otherwise.  Unlike ``switch`` (elementwise, both sides always
computed), IfElse is lazy: the linker emits a Python ``if``/``else`` around the nodes only
one branch needs (``lazy = True`` and ``branches(node)`` tell it which inputs belong to
which branch), so the branch not taken is not computed.
"""

from __future__ import annotations

import copy

from ..config import config
from ..graph.basic import Apply, Variable, is_in_ancestors
from ..graph.null import disconnected_type, is_disconnected, is_null
from ..graph.op import Op
from ..graph.optimizers import Optimizer, local_optimizer
from ..scalar import dtypes as D
from . import basic as B
from .elemwise import DimShuffle, Elemwise
from .construct import Alloc
from .math import Dot, MaxAndArgmax
from .shapes import Reshape, Shape, SpecifyShape
from .subtensor import IncSubtensor, Subtensor
from .type import Rebroadcast, TensorType


class IfElse(Op):
    """The Op behind `ifelse`: inputs ``[cond, *then_values, *else_values]``, one output
    per branch value.

    Outputs are fresh copies of the chosen values (Theano's ``as_view=False``); with
    ``as_view=True`` a then-value is returned as it is, which the Op declares in its
    ``view_map``, and an else-value is still copied (a view_map entry names one input,
    not "one of two").
    """

    __module__ = "theano.ifelse"
    __props__ = ("as_view", "gpu", "n_outs")
    # The linker evaluates only the branch that `cond` selects (see `branches`).
    lazy = True

    def __init__(self, n_outs, as_view=False, gpu=False, name=None):
        self.n_outs = int(n_outs)
        self.as_view = bool(as_view)
        self.gpu = bool(gpu)
        self.name = name
        self.view_map = {k: [1 + k] for k in range(self.n_outs)} if self.as_view else {}

    def __str__(self):
        args = [self.name or ""]
        if self.as_view:
            args.append("inplace")
        return "if{" + ",".join(args) + "}"

    def branches(self, node):
        """(then input positions, else input positions) of `node` (position 0 is cond)."""
        n = self.n_outs
        return list(range(1, 1 + n)), list(range(1 + n, 1 + 2 * n))

    def make_node(self, cond, *values):
        if len(values) != 2 * self.n_outs:
            # Theano 1.0.5 raised AssertionError here too.
            raise AssertionError(
                f"Wrong number of arguments to make_node of {self}: expected "
                f"{1 + 2 * self.n_outs} (the condition, then {self.n_outs} values of each "
                f"branch), got {1 + len(values)}"
            )
        cond = _as_condition(cond)
        values = [v if isinstance(v, Variable) else B.as_tensor_variable(v) for v in values]
        thens, elses = values[:self.n_outs], values[self.n_outs:]
        for k, (t, e) in enumerate(zip(thens, elses)):
            if t.type != e.type:
                raise TypeError(_mismatch_message(k, t, e))
        return Apply(self, [cond, *values], [t.type() for t in thens])

    def impl(self, xp, cond, *values):
        # Only the chosen branch's values are read: a lazy linker may pass None for the
        # others.  NaN is true, as in Theano (any value other than 0).
        n = self.n_outs
        if bool(cond):
            chosen = values[:n]
            out = [v if self.as_view else _fresh(xp, v) for v in chosen]
        else:
            out = [_fresh(xp, v) for v in values[n:2 * n]]
        return out[0] if n == 1 else tuple(out)

    def infer_shape(self, node, shapes):
        n = self.n_outs
        then_shapes, else_shapes = shapes[1:1 + n], shapes[1 + n:]
        # Dimensions the two branches give differently are chosen by one IfElse over all
        # of them (Theano's "if{shape}"); identical and broadcastable ones are known.
        pending = []
        plans = []
        for out, ts, es in zip(node.outputs, then_shapes, else_shapes):
            plan = []
            for d in range(out.type.ndim):
                if out.type.broadcastable[d]:
                    plan.append(("known", 1))
                elif ts is None or es is None:
                    plan.append(("known", None))
                elif ts[d] is es[d]:
                    plan.append(("known", ts[d]))
                else:
                    plan.append(("chosen", len(pending)))
                    pending.append((_shape_entry(ts[d]), _shape_entry(es[d])))
            plans.append(plan)
        chosen = []
        if pending:
            chosen = IfElse(len(pending), name="shape")(
                node.inputs[0], *[a for a, _ in pending], *[b for _, b in pending],
                return_list=True)
        return [tuple(v if kind == "known" else chosen[v] for kind, v in plan)
                for plan in plans]

    # -- gradients -----------------------------------------------------------------------------

    def connection_pattern(self, node):
        # The condition is connected to every output (its gradient is zero, not
        # disconnected, as in Theano); branch value k only to output k.
        n = self.n_outs
        rows = [[True] * n]
        for _ in range(2):
            rows += [[j == k for j in range(n)] for k in range(n)]
        return rows

    def L_op(self, inputs, outputs, output_grads):
        """The gradient goes to the branch that was taken: then-values get
        ``ifelse(cond, g, 0)``, else-values ``ifelse(cond, 0, g)``; cond gets zeros."""
        n = self.n_outs
        cond, thens, elses = inputs[0], inputs[1:1 + n], inputs[1 + n:]
        live = [k for k, (o, g) in enumerate(zip(outputs, output_grads))
                if g is not None and not is_disconnected(g) and not is_null(g)
                and isinstance(o.type, TensorType) and o.type.dtype in D.float_dtypes]
        then_grads = [disconnected_type()] * n
        else_grads = [disconnected_type()] * n
        for k, (o, g) in enumerate(zip(outputs, output_grads)):
            if is_null(g):
                then_grads[k] = else_grads[k] = g
            elif k not in live and g is not None and not is_disconnected(g):
                # An integer-valued branch carries no gradient (Theano's convention for
                # discrete values: zeros).
                then_grads[k] = B.zeros_like(thens[k], dtype=_float_dtype(thens[k]))
                else_grads[k] = B.zeros_like(elses[k], dtype=_float_dtype(elses[k]))
        if live:
            gs = [B.as_type_of(output_grads[k], outputs[k].type) for k in live]
            zt = [B.zeros_like(thens[k]) for k in live]
            ze = [B.zeros_like(elses[k]) for k in live]
            name = f"{self.name}_grad" if self.name else None
            to_then = IfElse(len(live), name=name)(cond, *gs, *zt, return_list=True)
            to_else = IfElse(len(live), name=name)(cond, *ze, *gs, return_list=True)
            for j, k in enumerate(live):
                then_grads[k] = to_then[j]
                else_grads[k] = to_else[j]
        cond_grad = B.zeros_like(cond, dtype=_float_dtype(cond))
        return [cond_grad, *then_grads, *else_grads]

    def R_op(self, inputs, eval_points):
        n = self.n_outs
        if all(e is None for e in eval_points[1:]):
            return [None] * n
        evs = [B.zeros_like(i) if e is None else B.as_type_of(e, i.type)
               for i, e in zip(inputs[1:], eval_points[1:])]
        return IfElse(n, name=self.name)(inputs[0], *evs, return_list=True)


def ifelse(condition, then_branch, else_branch, name=None):
    """`then_branch` if the scalar `condition` is non-zero, else `else_branch`; lazily.

    Each branch is a variable or a list/tuple of variables; the two must have the same
    length and, value by value, the same type (dtype and broadcastable pattern).  Only
    the branch taken is computed.  The result has the form of `then_branch` (a variable,
    a list or a tuple).
    """
    rval_type = type(then_branch) if isinstance(then_branch, (list, tuple)) else None
    thens = list(then_branch) if rval_type is not None else [then_branch]
    elses = list(else_branch) if isinstance(else_branch, (list, tuple)) else [else_branch]
    if len(thens) != len(elses):
        raise ValueError(
            "The number of values on the `then` branch should have the same number of "
            f"variables as the `else` branch : (variables on `then` {len(thens)}, variables "
            f"on `else` {len(elses)})"
        )
    thens = [v if isinstance(v, Variable) else B.as_tensor_variable(v) for v in thens]
    elses = [v if isinstance(v, Variable) else B.as_tensor_variable(v) for v in elses]
    for k, (t, e) in enumerate(zip(thens, elses)):
        if t.type != e.type:
            raise TypeError(_mismatch_message(k, t, e))
    if not thens:
        _as_condition(condition)
        return rval_type([]) if rval_type is not None else []
    outs = IfElse(len(thens), name=name)(condition, *thens, *elses, return_list=True)
    if rval_type is None:
        return outs[0]
    return rval_type(outs)


# ------------------------------------------------------------------------------ rewrites
# Theano's theano.ifelse rewrites.  Only `cond_make_inplace` ran in Theano 1.0.5's FAST_RUN
# (the compile pipeline runs it as its "inplace" step, see compile/pipeline.py); the others
# were registered nowhere ("temporarily disabled") and are here for code that applies them.

# Graphs of at least this many nodes keep their scalar IfElse copying (Theano's limit: the
# in-place rewrite was skipped there to save optimisation time).
INPLACE_NODE_LIMIT = 500


def make_inplace_if(node, n_nodes):
    """The in-place (``as_view``) version of IfElse `node`'s outputs, or None."""
    op = node.op
    if not isinstance(op, IfElse) or op.as_view:
        return None
    if n_nodes >= INPLACE_NODE_LIMIT and all(getattr(o.type, "ndim", -1) == 0
                                              for o in node.outputs):
        return None
    return IfElse(op.n_outs, as_view=True, gpu=op.gpu, name=op.name)(
        *node.inputs, return_list=True)


@local_optimizer([IfElse])
def cond_make_inplace(node):
    fgraph = getattr(node, "fgraph", None)
    n_nodes = len(fgraph.apply_nodes) if fgraph is not None else 0
    return make_inplace_if(node, n_nodes) or False


acceptable_ops = (Dot, Reshape, Shape, SpecifyShape, MaxAndArgmax, Subtensor,
                  IncSubtensor, Rebroadcast, Alloc, Elemwise, DimShuffle)


def _sides(node):
    n = node.op.n_outs
    return node.inputs[1:1 + n], node.inputs[1 + n:]


@local_optimizer(acceptable_ops)
def ifelse_lift_single_if_through_acceptable_ops(main_node):
    """``op(ifelse(c, x, y))`` -> ``ifelse(c, op(x), op(y))`` for an acceptable op with
    exactly one IfElse among the producers of its inputs."""
    if not isinstance(main_node.op, acceptable_ops):
        return False
    ifnodes = {id(i.owner): i.owner for i in main_node.inputs
               if i.owner is not None and isinstance(i.owner.op, IfElse)}
    if len(ifnodes) != 1:
        return False
    (node,) = ifnodes.values()
    ts, fs = _sides(node)
    true_ins, false_ins = [], []
    for x in main_node.inputs:
        if x.owner is node:
            true_ins.append(ts[x.index])
            false_ins.append(fs[x.index])
        else:
            true_ins.append(x)
            false_ins.append(x)
    true_eval = main_node.op(*true_ins, return_list=True)
    false_eval = main_node.op(*false_ins, return_list=True)
    return ifelse(node.inputs[0], true_eval, false_eval)


def _merge_nested(node, then_side):
    op = node.op
    if not isinstance(op, IfElse):
        return False
    ts, fs = _sides(node)
    values = ts if then_side else fs
    offset = 1 if then_side else 1 + op.n_outs
    new_ins = list(node.inputs)
    changed = False
    for k, v in enumerate(values):
        inner = v.owner
        if inner is not None and isinstance(inner.op, IfElse) and \
                inner.inputs[0] is node.inputs[0]:
            its, ifs = _sides(inner)
            new_ins[offset + k] = (its if then_side else ifs)[v.index]
            changed = True
    if not changed:
        return False
    return op(*new_ins, return_list=True)


@local_optimizer([IfElse])
def cond_merge_ifs_true(node):
    """A then-value computed by an IfElse of the same condition is that IfElse's
    then-value."""
    return _merge_nested(node, True)


@local_optimizer([IfElse])
def cond_merge_ifs_false(node):
    """An else-value computed by an IfElse of the same condition is that IfElse's
    else-value."""
    return _merge_nested(node, False)


@local_optimizer([IfElse])
def cond_remove_identical(node):
    """Outputs of one IfElse choosing between the same two values become one output."""
    op = node.op
    if not isinstance(op, IfElse):
        return False
    ts, fs = _sides(node)
    first = {}
    keep = []
    for k, pair in enumerate(zip(ts, fs)):
        key = (id(pair[0]), id(pair[1]))
        if key not in first:
            first[key] = len(keep)
            keep.append(k)
    if len(keep) == op.n_outs:
        return False
    new = IfElse(len(keep), as_view=op.as_view, gpu=op.gpu, name=op.name)(
        node.inputs[0], *[ts[k] for k in keep], *[fs[k] for k in keep], return_list=True)
    return [new[first[(id(t), id(f))]] for t, f in zip(ts, fs)]


def _merged(cond, a, b):
    """One IfElse computing the outputs of IfElse nodes `a` and `b` (same condition)."""
    ats, afs = _sides(a)
    bts, bfs = _sides(b)
    name = f"{a.op.name or '?'}&{b.op.name or '?'}"
    outs = IfElse(len(ats) + len(bts), name=name)(cond, *ats, *bts, *afs, *bfs,
                                                   return_list=True)
    return list(zip([*a.outputs, *b.outputs], outs))


@local_optimizer(None)
def cond_merge_random_op(main_node):
    """Two IfElse nodes of the same condition feeding one node become one IfElse."""
    if isinstance(main_node.op, IfElse):
        return False
    conds = []
    for i in main_node.inputs:
        if i.owner is not None and isinstance(i.owner.op, IfElse) and \
                all(i.owner is not c for c in conds):
            conds.append(i.owner)
    if len(conds) < 2:
        return False
    first = conds[0]
    for other in conds[1:]:
        if other.inputs[0] is first.inputs[0] and not is_in_ancestors(other, first) \
                and not is_in_ancestors(first, other):
            pairs = dict(_merged(first.inputs[0], first, other))
            new_ins = [pairs.get(i, i) for i in main_node.inputs]
            return main_node.op(*new_ins, return_list=True)
    return False


class CondMerge(Optimizer):
    """Graph optimizer merging IfElse nodes of the same condition (when neither depends
    on the other) into one."""

    __module__ = "theano.ifelse"

    def apply(self, fgraph):
        changed = True
        while changed:
            changed = False
            nodes = [n for n in fgraph.toposort() if isinstance(n.op, IfElse)]
            for i, a in enumerate(nodes):
                for b in nodes[i + 1:]:
                    if a.inputs[0] is b.inputs[0] and not is_in_ancestors(b, a) and \
                            not is_in_ancestors(a, b):
                        fgraph.replace_all_validate(_merged(a.inputs[0], a, b),
                                                    reason="cond_merge")
                        changed = True
                        break
                if changed:
                    break


# ----------------------------------------------------------------------------- helpers


def _as_condition(cond):
    cond = cond if isinstance(cond, Variable) else B.as_tensor_variable(cond)
    if not isinstance(cond.type, TensorType) or cond.type.ndim != 0:
        raise TypeError(
            "Condition given to the op has to be a scalar with 0 standing for False, anything "
            f"else for True; got {cond} of type {cond.type} (reduce it, e.g. with T.any or "
            "T.all, or use T.switch for an elementwise choice)"
        )
    return cond


def _mismatch_message(k, t, e):
    return (
        "The two branches should have identical types, but they are "
        f"{t.type} and {e.type} respectively (value {k} of the `then` and `else` branches: "
        f"{t} and {e}). Convert one with T.cast / T.patternbroadcast, or check that both "
        "branches are lists (or both single variables)."
    )


def _fresh(xp, value):
    """A copy of `value` that the caller may keep (arrays are copied, others deep-copied)."""
    if hasattr(value, "dtype") and hasattr(value, "copy"):
        return value.copy()
    return copy.deepcopy(value)


def _float_dtype(v):
    dtype = getattr(v.type, "dtype", None)
    return dtype if dtype in D.float_dtypes else config.floatX


def _shape_entry(v):
    v = B.as_tensor_variable(v)
    return v if v.type.dtype == "int64" else B.cast(v, "int64")
