"""Rewrite pipelines, one plain function per optimizer setting (DESIGN.md §7.3).

This build runs the merge pass; the canonicalisation, stabilisation, specialisation and
fusion phases come with the rewrite engine.
"""

from __future__ import annotations

from ..graph.merge import merge


def fast_run(fgraph, excluded=()):
    if "merge" not in excluded:
        merge(fgraph)
    return fgraph


def fast_compile(fgraph, excluded=()):
    if "merge" not in excluded:
        merge(fgraph)
    return fgraph


def merge_only(fgraph, excluded=()):
    merge(fgraph)
    return fgraph


def no_rewrites(fgraph, excluded=()):
    return fgraph


PIPELINES = {
    "fast_run": fast_run,
    "o4": fast_run,
    "o3": fast_run,
    "o2": fast_compile,
    "o1": fast_compile,
    "fast_compile": fast_compile,
    "merge": merge_only,
    "unsafe": fast_run,
    "None": no_rewrites,
    None: no_rewrites,
}


def describe(optimizer):
    """The phases a pipeline runs, in order (for tools/show_pipeline.py and docs)."""
    return {
        fast_run: ["merge"],
        fast_compile: ["merge"],
        merge_only: ["merge"],
        no_rewrites: [],
    }[PIPELINES[optimizer]]
