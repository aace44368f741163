"""Theano 1.0.5's BLAS rewrites (its ``BlasOpt`` and ``InplaceBlasOpt``) as rules of the
engine.

FAST_RUN runs them after the specialize phase (legacy.py registers them in the
uncanonicalize slot, so the project's own phases see the ``Dot`` nodes they know), in
Theano's order of preference:

* ``local_dot_to_dot22``: a dot of float matrices/vectors -> ``_dot22`` (vectors seen as
  rows or columns);
* ``gemm_optimizer``: a sum of scaled terms with a ``_dot22`` in it, ``b * z + a *
  dot(x, y)`` -> ``gemm(z, a, x, y, b)`` (Theano's GemmOptimizer, node by node: the
  replacement must remove the ``_dot22``);
* ``local_dot22_to_dot22scalar``: ``s * _dot22(x, y)`` -> ``_dot22scalar(x, y, s)``;
* ``local_gemm_to_gemv`` / ``local_gemm_to_ger`` / ``local_dot22_to_ger_or_gemv``: products
  with a row or a column -> Gemv, outer products -> Ger; with the merging of the
  DimShuffles they leave (``local_dimshuffle_lift``'s merge);
* ``scipy_blas`` (Ger -> ScipyGer).  (Theano's ``use_c_blas``, Gemv/Ger -> CGemv/CGer
  when ``blas.ldflags`` names a library, is in ``blas_optdb`` only: those Ops compute
  here exactly what Gemv and Ger do.)

Theano ran GemmOptimizer before the rest; here all run in one fixed point, so the rules
that would take a ``_dot22`` away from a gemm (``_dot22scalar``, Gemv/Ger) decline while a
gemm can absorb it.

The in-place forms (Theano's ``InplaceBlasOpt``, ``make_scipy_blas_destructive``,
``c_blas_destructive``; tags ``inplace``, ``InplaceBlasOpt``) are taken only where the
overwritten input is an intermediate result read by that node alone (DESIGN.md principle
4: a graph input is never overwritten; the pipeline's `protect_destroyed_inputs` still
gives the Op a copy when the value comes from one of the project's Ops).
"""

from __future__ import annotations

from ...graph.fgraph import InconsistencyError
from ...graph.optdb import optdb
from ...graph.optimizers import EquilibriumOptimizer, RuleOptimizer, in2out
from ...graph.rewrite import node_rule
from ...scalar import ops as S
from .. import basic as B
from ..blas import (Dot22, GemmOptimizer, _dot22, _gemm_from_node2, _mul_factors,
                    blas_optdb, gemm_inplace, gemm_no_inplace,
                    gemv_inplace, gemv_no_inplace, ger, ger_destructive,
                    local_dot22_to_dot22scalar, local_dot22_to_ger_or_gemv,
                    local_dot_to_dot22, local_gemm_to_gemv, local_gemm_to_ger)
from ..blas_c import CGemv, CGer, cgemv_inplace, cger_inplace
from ..blas_scipy import scipy_ger_inplace, scipy_ger_no_inplace, use_scipy_ger
from ..elemwise import DimShuffle, Elemwise
from ..math import Dot
from .constants import constant_folding

_GEMM_SITES = (S.add, S.sub, S.neg, S.mul)
# How far the checks below walk from a node (the sums gemm rewrites are small).
_WALK_LIMIT = 64


def _clients(fgraph, var):
    return fgraph.clients.get(var, ()) if fgraph is not None else ()


def _is_gemm_site(node):
    return node.op == B.add or node.op == B.sub or node.op == B.neg or node.op == B.mul


def _removed_with(fgraph, node, old):
    """The nodes between `old` (a variable) and `node` that replacing `node`'s output
    removes, when that removes `old`'s producer too (every reader of `old` leads only
    to `node`); else None."""
    region = set()
    budget = [_WALK_LIMIT]

    def dead(n):
        if n is node or n in region:
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        for out in n.outputs:
            for client, _ in _clients(fgraph, out):
                if client == "output" or not dead(client):
                    return False
        region.add(n)
        return True

    if old.owner is None or not dead(old.owner):
        return None
    return region


def _uses(new, fgraph, old, region):
    """Whether `new` (built over variables of the graph) reads `old` or a variable
    computed in `region`."""
    stack, seen = [new], set()
    while stack:
        var = stack.pop()
        if var is old:
            return True
        owner = var.owner
        if owner is None or id(owner) in seen:
            continue
        seen.add(id(owner))
        if owner in fgraph.apply_nodes:
            if owner in region:
                return True
            continue
        stack.extend(owner.inputs)
    return False


def _dot22_in_reach(fgraph, node):
    """Whether a _dot22 result is among the terms gemm's canonicalisation of `node`'s
    output sees (through add, sub, neg, mul and DimShuffle results read only there)."""
    stack = list(node.inputs)
    budget = _WALK_LIMIT
    while stack and budget:
        budget -= 1
        var = stack.pop()
        owner = var.owner
        if owner is None:
            continue
        if isinstance(owner.op, Dot22):
            return True
        if (_is_gemm_site(owner) or isinstance(owner.op, DimShuffle)) and \
                len(_clients(fgraph, var)) <= 1:
            stack.extend(owner.inputs)
    return False


def _gemm_replacement(fgraph, node):
    """The gemm expression replacing `node`'s output, or None (Theano's
    GemmOptimizer for one node: the replacement must remove the _dot22 it absorbs)."""
    if not _is_gemm_site(node) or not _dot22_in_reach(fgraph, node):
        return None
    found = _gemm_from_node2(node, fgraph.clients)[0]
    if not found:
        return None
    (new,), old_dot22 = found
    region = _removed_with(fgraph, node, old_dot22)
    if region is None or _uses(new, fgraph, old_dot22, region):
        return None
    return new


def _absorbed_by_gemm(fgraph, var):
    """Whether a gemm can absorb the _dot22 result `var` at one of the sums it feeds
    (then the rules turning it into something else wait for the gemm rule)."""
    stack, seen = [var], set()
    while stack and len(seen) < _WALK_LIMIT:
        v = stack.pop()
        for client, _ in _clients(fgraph, v):
            if client == "output" or client in seen:
                continue
            seen.add(client)
            if isinstance(client.op, DimShuffle):
                stack.extend(client.outputs)
            elif _is_gemm_site(client):
                if _gemm_replacement(fgraph, client) is not None:
                    return True
                stack.extend(client.outputs)
    return False


def _dot_to_dot22(fgraph, node):
    return local_dot_to_dot22.transform(node)


def _gemm(fgraph, node):
    new = _gemm_replacement(fgraph, node)
    return None if new is None else [new]


def _dot22_to_dot22scalar(fgraph, node):
    dots = [f for i in node.inputs for f in _mul_factors(i)
            if f.owner is not None and f.owner.op == _dot22]
    if not dots or len(_clients(fgraph, dots[0])) != 1 or _absorbed_by_gemm(fgraph, dots[0]):
        return None
    return local_dot22_to_dot22scalar.transform(node)


def _dot22_to_ger_or_gemv(fgraph, node):
    if _absorbed_by_gemm(fgraph, node.outputs[0]):
        return None
    return local_dot22_to_ger_or_gemv.transform(node)


def _gemm_to_gemv(fgraph, node):
    return local_gemm_to_gemv.transform(node)


def _gemm_to_ger(fgraph, node):
    return local_gemm_to_ger.transform(node)


def _merge_dimshuffles(fgraph, node):
    """DimShuffle(DimShuffle(x)) -> one DimShuffle of x, or x itself when the two
    cancel (the part of Theano's local_dimshuffle_lift the BLAS rules need: they wrap
    their results in DimShuffles)."""
    inner = node.inputs[0].owner
    if inner is None or not isinstance(inner.op, DimShuffle):
        return None
    x = inner.inputs[0]
    order = ["x" if o == "x" else inner.op.new_order[o] for o in node.op.new_order]
    out = node.outputs[0]
    if order == list(range(x.type.ndim)) and x.type == out.type:
        return [x]
    new = DimShuffle(x.type.broadcastable, order)(x)
    return [new] if new.type == out.type else None


def _scipy_blas(fgraph, node):
    return use_scipy_ger.transform(node)


def _may_overwrite(fgraph, var):
    """Whether an Op may overwrite `var`: an intermediate result (not a constant) that
    nothing else reads, and no graph output; or a graph input the caller
    gave with ``In(mutable=True)`` that nothing else reads (Theano's Supervisor
    protected every other input; compile/ attaches it, with its ``protected`` list,
    only when such inputs exist: without it, no input may be overwritten), or a view
    of either that is all that reads it."""
    owner = var.owner
    if len(_clients(fgraph, var)) != 1:
        return False
    if owner is None:
        return _mutable_input(fgraph, var)
    view = (getattr(owner.op, "view_map", None) or {}).get(var.index)
    if view:  # a view (z.T) of a mutable input that nothing else reads: Theano's too
        src = owner.inputs[view[0]] if len(view) == 1 else None
        return src is not None and (src.owner is None or src.index in (
            getattr(src.owner.op, "view_map", None) or {})) and _may_overwrite(fgraph, src)
    return True


def _mutable_input(fgraph, var):
    supervisors = [f for f in getattr(fgraph, "_features", ()) if hasattr(f, "protected")]
    return bool(supervisors) and var in fgraph.inputs and \
        not any(var in f.protected for f in supervisors)


def _inplace(op, inplace_op):
    def rewrite(fgraph, node):
        if node.op != op or not _may_overwrite(fgraph, node.inputs[0]):
            return None
        try:
            return [inplace_op(*node.inputs)]
        except InconsistencyError:  # gemm's z aliased to x or y
            return None
    return rewrite


_BLAS_TAGS = ("BlasOpt", "fast_run")
_INPLACE_TAGS = ("InplaceBlasOpt", "blas_opt_inplace", "inplace", "fast_run")

# Theano's BlasOpt, in its order of preference.
BLAS_OPT = [
    node_rule("local_dot_to_dot22", (Dot,), _dot_to_dot22, _BLAS_TAGS),
    node_rule("gemm_optimizer", _GEMM_SITES, _gemm, _BLAS_TAGS + ("GemmOptimizer",)),
    node_rule("local_dot22_to_dot22scalar", (S.mul,), _dot22_to_dot22scalar, _BLAS_TAGS),
    node_rule("local_gemm_to_gemv", (gemm_no_inplace,), _gemm_to_gemv, _BLAS_TAGS),
    node_rule("local_gemm_to_ger", (gemm_no_inplace,), _gemm_to_ger, _BLAS_TAGS),
    node_rule("local_dot22_to_ger_or_gemv", (Dot22,), _dot22_to_ger_or_gemv, _BLAS_TAGS),
    node_rule("blas_merge_dimshuffles", (DimShuffle,), _merge_dimshuffles,
              _BLAS_TAGS + ("local_dimshuffle_lift",)),
    # The scalar arithmetic the rules above build over constants, folded (Theano's
    # specialize phase, after its BlasOpt, did it).
    node_rule("blas_constant_folding", (Elemwise, DimShuffle), constant_folding.fn,
              _BLAS_TAGS + ("constant_folding",)),
    node_rule("scipy_blas", (ger, ger_destructive), _scipy_blas, _BLAS_TAGS),
]

# Theano's in-place forms of the BLAS Ops (InplaceBlasOpt, make_scipy_blas_destructive,
# c_blas_destructive).
INPLACE_BLAS_OPT = [
    node_rule("local_inplace_gemm", (gemm_no_inplace,),
              _inplace(gemm_no_inplace, gemm_inplace), _INPLACE_TAGS),
    node_rule("local_inplace_gemv", (gemv_no_inplace,),
              _inplace(gemv_no_inplace, gemv_inplace), _INPLACE_TAGS),
    node_rule("local_inplace_ger", (ger,), _inplace(ger, ger_destructive), _INPLACE_TAGS),
    node_rule("make_scipy_blas_destructive", (scipy_ger_no_inplace,),
              _inplace(scipy_ger_no_inplace, scipy_ger_inplace),
              _INPLACE_TAGS + ("make_ger_destructive",)),
    node_rule("c_blas_destructive", (CGemv(False), CGer(False)),
              lambda fgraph, node: (_inplace(CGemv(False), cgemv_inplace)(fgraph, node)
                                    or _inplace(CGer(False), cger_inplace)(fgraph, node)),
              _INPLACE_TAGS + ("c_blas",)),
]

BLAS_RULES = BLAS_OPT + INPLACE_BLAS_OPT

# Theano's blas_optdb entries (what ``optdb.query(...)`` users run; the FAST_RUN pipeline
# runs the rules above) and its BlasOpt slot of optdb.
blas_optdb.register("local_dot_to_dot22", in2out(local_dot_to_dot22), 0, "fast_run",
                    "fast_compile")
blas_optdb.register("gemm_optimizer", GemmOptimizer(), 10, "fast_run")
blas_optdb.register("local_dot22_to_dot22scalar", in2out(local_dot22_to_dot22scalar), 11,
                    "fast_run")
blas_optdb.register("local_gemm_to_gemv",
                    EquilibriumOptimizer([local_gemm_to_gemv, local_gemm_to_ger,
                                          local_dot22_to_ger_or_gemv,
                                          RuleOptimizer(BLAS_OPT[6])], max_use_ratio=5),
                    15, "fast_run")
optdb.register("BlasOpt", blas_optdb, 1.7, "fast_run", "fast_compile")
