"""Rewrite pipelines, one plain list of phases per optimizer setting (DESIGN.md §7.3).

Each pipeline is a list of phases; a phase is a named step over a FunctionGraph: a rule
list run to a fixed point, or a whole-graph pass.  Names (phase names, rule names, rule
tags) can be switched off with ``optimizer_excluding`` / ``Mode.excluding``; `describe`
lists what a mode will run (tools/show_pipeline.py).

What users register in ``theano.compile.optdb`` (graph/optdb.py: ``register_canonicalize``
and its kind, ``optdb.register(name, opt, position, *tags)``) runs too: a phase adds to its
own rules the local optimizers registered in the optdb slot of its name that the
pipeline's tag selects (``fast_run`` for FAST_RUN, ``fast_compile`` for FAST_COMPILE, plus
``Mode.including``'s tags); an optimizer registered in optdb itself runs between the
phases, by position (each phase has the position of its Theano slot).  The project's own
rules are only in the lists below.

An Op a user declares as destroying an input (``destroy_map``) gets a copy of that input
when anything else still needs the value (`protect_destroyed_inputs`, the last step of
every pipeline): the linker, not the graph, decides where results go (DESIGN.md §1.4).
"""

from __future__ import annotations

import copy as _copy

import numpy as np

from ..graph.basic import Apply, Constant
from ..graph.destroy import DestroyHandler, contains_cycle
from ..graph.merge import merge
from ..graph.op import Op
from ..graph.optdb import mark_builtin, optdb, registered, registered_steps
from ..graph.optimizers import FromFunctionOptimizer, in2out
from ..graph.rewrite import RewriteReport, node_rule, rewrite_to_fixed_point
from ..link.storage import _fresh as new_array_result
from ..scan.rewrites import SCAN
from ..tensor.rewrites import (CANONICALIZE, SHAPE, SPECIALIZE, STABILIZE,
                               UNCANONICALIZE, constant_folding)
from ..tensor.blas import Dot22
from ..tensor.gradient_ops import ViewGradOp
from ..tensor import ifelse as ifelse_rewrites
from ..tensor.ifelse import IfElse, make_inplace_if
from ..tensor.raw_random import random_make_inplace_rule
from ..tensor.rewrites.fusion import fuse_elemwise
from ..utils import defined_here
from .ops import OutputGuard, ViewOp


class Phase:
    """One step of a pipeline: a whole-graph pass or a rule list run to a fixed point.

    `position`: where Theano's optdb had this step (1 for canonicalize...), so that the
    optimizers users register in optdb run between the right phases.
    """

    def __init__(self, name, rules=None, run=None, position=0, tags=()):
        self.name = name
        self.rules = rules
        self._run = run
        self.position = position
        self.tags = frozenset(tags)  # other names that switch the phase off

    def __call__(self, fgraph, excluded, report, tags=(), included=()):
        if self.name in excluded or self.tags & excluded:
            return
        user_rules, user_passes = ([], []) if not tags else \
            registered(self.name, tuple(tags) + tuple(included), excluded)
        for extra in user_passes:
            extra.optimize(fgraph)
        if self.rules is not None:
            rules = self.rules + user_rules if user_rules else self.rules
            if rules:
                rewrite_to_fixed_point(fgraph, rules, excluded, phase=self.name,
                                       report=report, included=included)
        else:
            self._run(fgraph)
            if user_rules:
                rewrite_to_fixed_point(fgraph, user_rules, excluded, phase=self.name,
                                       report=report)

    def rule_names(self):
        return [r.name for r in self.rules] if self.rules is not None else []


class Pipeline(list):
    """A list of phases and the optdb tag that selects what users registered for it
    (``fast_run``, ``fast_compile``; None: nothing of theirs runs)."""

    def __init__(self, tag, phases):
        super().__init__(phases)
        self.tag = tag


def _remove_view_op(fgraph, node):
    """Theano's ``local_view_op``: a ViewOp (and the gradient-rule Ops, ViewOps in Theano:
    zero_grad, disconnected_grad, grad_clip...) only passes its input on, so the compiled
    graph drops it (FAST_COMPILE too)."""
    op = node.op
    if isinstance(op, (ViewOp, ViewGradOp)) and not isinstance(op, OutputGuard):
        return [node.inputs[0]]
    return None


local_view_op = node_rule("local_view_op", None, _remove_view_op,
                          tags=("fast_compile", "useless"))

MERGE = Phase("merge", run=merge, position=0)
# Theano's useless slot: local_view_op, and users' register_useless rules.
USELESS_PHASE = Phase("useless", [local_view_op], position=0.6)
CANONICALIZE_PHASE = Phase("canonicalize", [constant_folding] + CANONICALIZE + SHAPE,
                           position=1)
STABILIZE_PHASE = Phase("stabilize", [constant_folding] + STABILIZE, position=1.5)
SPECIALIZE_PHASE = Phase("specialize",
                         [constant_folding] + SPECIALIZE + CANONICALIZE + SHAPE + SCAN,
                         position=2)
UNCANONICALIZE_PHASE = Phase("uncanonicalize", UNCANONICALIZE, position=3)
SPECIALIZE_DEVICE_PHASE = Phase("specialize_device", [], position=48.6)  # users' only
FINAL_MERGE = Phase("merge", run=merge, position=49)
FUSION = Phase("fusion", run=lambda fg: fuse_elemwise(fg, max_operands=32), position=49,
               tags=("local_elemwise_fusion", "elemwise_fusion"))

cond_make_inplace = node_rule(
    "cond_make_inplace", (IfElse,),
    lambda fgraph, node: make_inplace_if(node, len(fgraph.apply_nodes)),
    tags=("fast_run", "inplace"))
# Theano's in-place slot: only IfElse returns its then-value as a view (if{inplace}), and a
# RandomFunction advances a state the caller gave as In(mutable=True) (raw_random.py); the
# other Ops stay as they are (the linker plans memory reuse, DESIGN.md §1.4).
INPLACE = Phase("inplace", [cond_make_inplace, random_make_inplace_rule], position=95)

FAST_RUN = Pipeline("fast_run", [MERGE, USELESS_PHASE, CANONICALIZE_PHASE, STABILIZE_PHASE,
                                 SPECIALIZE_PHASE, UNCANONICALIZE_PHASE,
                                 SPECIALIZE_DEVICE_PHASE, FINAL_MERGE, FUSION, INPLACE])
# Stabilisation is correctness, not speed: FAST_COMPILE keeps it (DESIGN.md §7.3).  Theano
# 1.0.5's FAST_COMPILE did not run its stabilize slot (tagged fast_run only), so here
# FAST_COMPILE can differ from the original's in rounding: log(1 + 1e-20) is log1p's
# 1e-20, not 0.0, and a + (b + c) is summed as FAST_RUN sums it.
FAST_COMPILE = Pipeline("fast_compile", [MERGE, USELESS_PHASE, STABILIZE_PHASE,
                                         SPECIALIZE_DEVICE_PHASE])
MERGE_ONLY = Pipeline("merge", [MERGE])

# Theano code queries ``theano.compile.optdb`` for an optimizer to apply to a graph
# (``optdb.query(OPT_FAST_RUN).optimize(fgraph)``): its slots of the phases above run these
# phases' rules, and its fusion entry this pipeline's fusion.  (The pipelines themselves do
# not read them back: `registered` gives only what users added.)
for _phase in (CANONICALIZE_PHASE, STABILIZE_PHASE, SPECIALIZE_PHASE):
    optdb[_phase.name].phase = _phase
optdb.register("elemwise_fusion", FromFunctionOptimizer(FUSION._run), 49, "fast_run",
               "fusion", "local_elemwise_fusion", "FusionOptimizer")
mark_builtin("elemwise_fusion")
optdb.register("cond_make_inplace", in2out(ifelse_rewrites.cond_make_inplace,
                                           ignore_newtrees=True), 95, "fast_run", "inplace")
mark_builtin("cond_make_inplace")

PIPELINES = {
    "fast_run": FAST_RUN,
    "o4": FAST_RUN,
    "o3": FAST_RUN,
    "o2": FAST_COMPILE,
    "o1": FAST_COMPILE,
    "fast_compile": FAST_COMPILE,
    "merge": MERGE_ONLY,
    "unsafe": FAST_RUN,
    "None": Pipeline(None, []),
    None: Pipeline(None, []),
}


def known_names(phases, included=()):
    """Every phase, rule and tag name a pipeline answers to (users' registered rules
    included)."""
    names = set()
    tag = getattr(phases, "tag", None)
    for phase in phases:
        names.add(phase.name)
        for rule in phase.rules or ():
            names |= rule.tags
        if tag is not None:
            for rule in registered(phase.name, (tag,) + tuple(included))[0]:
                names |= rule.tags
    if tag is not None:
        names.update(name for _, name, _ in registered_steps((tag,) + tuple(included)))
    return names


def _steps(phases, excluded, included):
    """The phases, with the optimizers users registered in optdb at their positions."""
    tag = getattr(phases, "tag", None)
    if tag is None:
        return list(phases)
    extra = [s for s in registered_steps((tag,) + tuple(included), excluded)
             if s[1] not in excluded]
    if not extra:
        return list(phases)
    steps = [(p.position, 0, k, p) for k, p in enumerate(phases)]
    steps += [(position, 1, k, _UserStep(name, opt))
              for k, (position, name, opt) in enumerate(extra)]
    return [s[3] for s in sorted(steps, key=lambda s: s[:3])]


class _UserStep:
    """An optimizer a user registered in optdb, run as a pipeline step."""

    def __init__(self, name, optimizer):
        self.name = name
        self.optimizer = optimizer
        self.rules = None

    def __call__(self, fgraph, excluded, report, tags=(), included=()):
        self.optimizer.optimize(fgraph)


def run_pipeline(phases, fgraph, excluded=(), required=(), included=()):
    """Run `phases` over `fgraph`; returns the RewriteReport (also kept on the fgraph).

    `included`: tags of Mode.including (selecting more of what users registered)."""
    missing = [r for r in required if r not in known_names(phases, included)]
    if missing:
        raise ValueError(
            f"optimizer_requiring names {missing}, which this mode does not run; it runs: "
            f"{', '.join(p.name for p in phases) or 'no rewrites'}"
        )
    report = RewriteReport()
    excluded = frozenset(excluded)
    tag = getattr(phases, "tag", None)
    tags = (tag,) if tag is not None else ()
    features_before = list(getattr(fgraph, "_features", ()))
    if any(getattr(n.op, "destroy_map", None) for n in fgraph.apply_nodes):
        check_destroyers(fgraph)
        protect_destroyed_inputs(fgraph)
    for phase in _steps(phases, excluded, included):
        phase(fgraph, excluded, report, tags, included)
    # Users' optimizers may have attached features (a DestroyHandler, ReplaceValidate's
    # history): the compiled graph keeps none of them.
    for feature in list(getattr(fgraph, "_features", ())):
        if not any(feature is f for f in features_before):
            fgraph.remove_feature(feature)
    protect_destroyed_inputs(fgraph)
    fgraph.rewrite_report = report
    return report


def describe(optimizer, excluded=()):
    """[(phase name, [rule names])] that a pipeline runs, in order, minus exclusions
    (users' registered rules included; phases with nothing to run left out)."""
    excluded = set(excluded)
    phases = PIPELINES[optimizer]
    tag = getattr(phases, "tag", None)
    out = []
    for phase in _steps(phases, excluded, ()):
        if phase.name in excluded:
            continue
        rules = [r.name for r in (phase.rules or ()) if not (r.tags & excluded)]
        if tag is not None and isinstance(phase, Phase):
            rules += [r.name for r in registered(phase.name, (tag,), excluded)[0]]
        if isinstance(phase, Phase) and phase.rules == [] and not rules:
            continue  # a slot only for users' rules, and they registered none
        out.append((phase.name, rules))
    return out


# --------------------------------------------------------- Ops that destroy their inputs


class DestroyGuardCopy(Op):
    """A copy of its input, given to an Op that destroys it (see
    `protect_destroyed_inputs`).  Each use is its own Op instance (equal only to
    itself), so merging never lets two destroyers share one copy."""

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def impl(self, xp, x):
        if isinstance(x, np.ndarray) or (hasattr(x, "copy") and hasattr(x, "dtype")):
            return x.copy()
        return _copy.deepcopy(x)

    def infer_shape(self, node, shapes):
        return shapes

    def grad(self, inputs, output_grads):
        return output_grads

    def do_constant_folding(self, node):
        return False

    def __str__(self):
        return "DestroyGuardCopy"


def _view_source(var):
    node = var.owner
    if node is None:
        return None
    src = (getattr(node.op, "view_map", None) or {}).get(var.index)
    return node.inputs[src[0]] if src else None


def _may_destroy(fgraph, node, k):
    """Whether input `k` of `node` may be overwritten by the node: nobody else reads it
    (not another node, not twice this one, not as a graph output), it is no view and no
    constant, and it is a graph input or shared variable (Theano let an in-place Op
    destroy those, the caller's array included, when compiled with accept_inplace), or
    the new array of a user Op (Theano's contract: an output not declared a view is a
    new array), of an Op that says it returns one (``returns_new_array``: Alloc,
    AllocEmpty) or of a guard copy.  The results of this project's own Ops may be
    read-only broadcasts or cached arrays: they are copied."""
    var = node.inputs[k]
    if isinstance(var, Constant) or getattr(var.tag, "indestructible", False):
        return False
    if _view_source(var) is not None:
        return _sole_view_of_input(fgraph, node, var)
    users = fgraph.clients.get(var, ())
    if len(users) != 1 or (node, k) not in users:
        return var.owner is None and _readers_first(fgraph, node, var)
    producer = var.owner
    if producer is None:
        return True
    if var.index in (getattr(producer.op, "destroy_map", None) or {}):
        return True  # the array of an input its producer was allowed to destroy
    return (isinstance(producer.op, DestroyGuardCopy) or not defined_here(type(producer.op))
            or getattr(producer.op, "returns_new_array", False)
            # an Op the linker knows returns a new array (a dot, an elementwise ufunc):
            # gemm_inplace's z computed by an elementwise node then needs no copy
            or (getattr(var.type, "ndim", 0) > 0
                and (new_array_result(var) or isinstance(producer.op, Dot22))))


def _sole_view_of_input(fgraph, node, var):
    """Whether `var` (read once, by `node`) is a chain of views of a graph input that
    nothing else reads: destroying it then overwrites that input, as Theano did
    (``neg_inplace(x.T)`` negates the caller's x)."""
    reader = node
    while True:
        users = fgraph.clients.get(var, ())
        if len(users) != 1 or users[0][0] is not reader:
            return False
        src = _view_source(var)
        if src is None:
            return var.owner is None and not isinstance(var, Constant) and \
                not getattr(var.tag, "indestructible", False)
        reader, var = var.owner, src


def _readers_first(fgraph, node, var):
    """Whether graph input `var`, destroyed by `node`, can be left to `node` with the
    other nodes reading it run before it (Theano's DestroyHandler ordering; the
    `DestroyOrderings` feature gives the linker that order): `node` reads it once, it is
    no graph output, and every other reader reads it whole (no view of it, no second
    destroyer), none of them computed from `node`'s results."""
    if isinstance(var, Constant) or sum(v is var for v in node.inputs) != 1:
        return False
    readers = []
    for client, pos in fgraph.clients.get(var, ()):
        if client == "output":
            return False
        if client is node:
            continue
        views = getattr(client.op, "view_map", None) or {}
        dmap = getattr(client.op, "destroy_map", None) or {}
        if any(pos in ins for ins in views.values()) or any(pos in ins for ins in dmap.values()):
            return False
        readers.append(client)
    downstream = _descendants(fgraph, node)
    return not any(r in downstream for r in readers)


def _descendants(fgraph, node):
    """The nodes computed from `node`'s results."""
    seen = set()
    stack = [node]
    while stack:
        for out in stack.pop().outputs:
            for client, _ in fgraph.clients.get(out, ()):
                if client != "output" and client not in seen:
                    seen.add(client)
                    stack.append(client)
    return seen


class DestroyOrderings:
    """A FunctionGraph feature ordering, before each node that destroys a graph input,
    the other nodes reading that input (Theano's DestroyHandler orderings), so that the
    destroyer overwrites the caller's array only once nothing else needs it.  Attached
    by `protect_destroyed_inputs` where it left such an input to its destroyer."""

    def orderings(self, fgraph):
        ords = {}
        for node in fgraph.apply_nodes:
            dmap = getattr(node.op, "destroy_map", None)
            if not dmap:
                continue
            for ins in dmap.values():
                for k in ins:
                    var = node.inputs[k]
                    if var.owner is not None:
                        continue
                    before = [c for c, _ in fgraph.clients.get(var, ())
                              if c != "output" and c is not node]
                    if before:
                        ords.setdefault(node, []).extend(before)
        return ords


def check_destroyers(fgraph):
    """Theano's checks of the Ops declaring ``destroy_map`` in a graph about to be
    compiled (graph/destroy.py): InconsistencyError when a value is destroyed twice, a
    destroyer also reads what it destroys through another input; ValueError ("graph
    contains cycles") when a value is read after its destruction by something the
    destroyer's result feeds (no order of the nodes works).  A destroyed constant is no
    error: it gets a copy."""
    if not any(getattr(n.op, "destroy_map", None) for n in fgraph.apply_nodes):
        return
    handler = DestroyHandler()
    handler.tolerate_constants = True
    fgraph.attach_feature(handler)
    try:
        orderings = handler.orderings(fgraph)
        if contains_cycle(fgraph, orderings):
            # What Theano 1.0.5 ended up raising for such a graph (from its toposort).
            raise ValueError("graph contains cycles")
    finally:
        fgraph.remove_feature(handler)


def protect_destroyed_inputs(fgraph):
    """Give every Op declaring ``destroy_map`` a copy of each input it destroys, unless
    it may destroy that value (`_may_destroy`): a constant, a graph output, a value read
    by another node (or twice by this one), a view of something, or the result of one of
    this project's Ops would otherwise be overwritten while still needed.  Theano
    ordered the other readers before the destroyer (DestroyHandler); here the linker
    orders nodes as it likes, so the destroyer works on its own copy.  Run before the
    rewrites too, so constant folding never runs a destroyer on a constant's data.
    """
    destroyers = [n for n in fgraph.apply_nodes if getattr(n.op, "destroy_map", None)]
    ordered = False
    for node in destroyers:
        if node not in fgraph.apply_nodes:
            continue
        destroyed = sorted({i for ins in node.op.destroy_map.values() for i in ins})
        for k in destroyed:
            if not _may_destroy(fgraph, node, k):
                fgraph.change_input(node, k, DestroyGuardCopy()(node.inputs[k]),
                                    reason="protect_destroyed_inputs")
            elif node.inputs[k].owner is None and len(fgraph.clients.get(node.inputs[k], ())) > 1:
                ordered = True
    if ordered and not any(isinstance(f, DestroyOrderings)
                           for f in getattr(fgraph, "_features", ())):
        fgraph.attach_feature(DestroyOrderings())
