"""Rewrite pipelines, one plain function per optimizer setting (DESIGN.md §7.3).

Each pipeline is a list of phases; a phase is a named step over a FunctionGraph.  Names
(phase names, rule names, rule tags) can be switched off with ``optimizer_excluding`` /
``Mode.excluding``; `describe` lists what a mode will run (tools/show_pipeline.py).
"""

from __future__ import annotations

from ..graph.merge import merge
from ..graph.rewrite import RewriteReport, rewrite_to_fixed_point
from ..tensor.rewrites import (CANONICALIZE, SHAPE, SPECIALIZE, STABILIZE,
                               constant_folding)
from ..tensor.rewrites.fusion import fuse_elemwise
from ..scan.rewrites import SCAN


class Phase:
    """One step of a pipeline: a whole-graph pass or a rule list run to a fixed point."""

    def __init__(self, name, rules=None, run=None):
        self.name = name
        self.rules = rules
        self._run = run

    def __call__(self, fgraph, excluded, report):
        if self.name in excluded:
            return
        if self.rules is not None:
            rewrite_to_fixed_point(fgraph, self.rules, excluded, phase=self.name, report=report)
        else:
            self._run(fgraph)

    def rule_names(self):
        return [r.name for r in self.rules] if self.rules is not None else []


MERGE = Phase("merge", run=merge)
CANONICALIZE_PHASE = Phase("canonicalize", [constant_folding] + CANONICALIZE + SHAPE)
STABILIZE_PHASE = Phase("stabilize", [constant_folding] + STABILIZE)
SPECIALIZE_PHASE = Phase("specialize",
                         [constant_folding] + SPECIALIZE + CANONICALIZE + SHAPE + SCAN)
FUSION = Phase("fusion", run=lambda fg: fuse_elemwise(fg, max_operands=32))

FAST_RUN = [MERGE, CANONICALIZE_PHASE, STABILIZE_PHASE, SPECIALIZE_PHASE, MERGE, FUSION]
# Stabilisation is correctness, not speed: FAST_COMPILE keeps it (Theano did too).
FAST_COMPILE = [MERGE, STABILIZE_PHASE]
MERGE_ONLY = [MERGE]

PIPELINES = {
    "fast_run": FAST_RUN,
    "o4": FAST_RUN,
    "o3": FAST_RUN,
    "o2": FAST_COMPILE,
    "o1": FAST_COMPILE,
    "fast_compile": FAST_COMPILE,
    "merge": MERGE_ONLY,
    "unsafe": FAST_RUN,
    "None": [],
    None: [],
}


def known_names(phases):
    """Every phase, rule and tag name a pipeline answers to."""
    names = set()
    for phase in phases:
        names.add(phase.name)
        for rule in phase.rules or ():
            names |= rule.tags
    return names


def run_pipeline(phases, fgraph, excluded=(), required=()):
    """Run `phases` over `fgraph`; returns the RewriteReport (also kept on the fgraph)."""
    missing = [r for r in required if r not in known_names(phases)]
    if missing:
        raise ValueError(
            f"optimizer_requiring names {missing}, which this mode does not run; it runs: "
            f"{', '.join(p.name for p in phases) or 'no rewrites'}"
        )
    report = RewriteReport()
    excluded = frozenset(excluded)
    for phase in phases:
        phase(fgraph, excluded, report)
    fgraph.rewrite_report = report
    return report


def describe(optimizer, excluded=()):
    """[(phase name, [rule names])] that a pipeline runs, in order, minus exclusions."""
    excluded = set(excluded)
    out = []
    for phase in PIPELINES[optimizer]:
        if phase.name in excluded:
            continue
        rules = [r.name for r in (phase.rules or ()) if not (r.tags & excluded)]
        out.append((phase.name, rules))
    return out
