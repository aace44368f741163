"""The tensor rewrite rules, one list per phase (DESIGN.md §7).  Nothing registers itself:
a rule is active because it is in a list, and compile/pipeline.py says which lists run."""

from __future__ import annotations

from .canonicalize import CANONICALIZE as _CANONICALIZE
from .constants import constant_folding
from .legacy import rules_of
from .shape import SHAPE
from .specialize import SPECIALIZE as _SPECIALIZE
from .stabilize import STABILIZE as _STABILIZE

# The project's rules, then Theano's rules of the same phase that the project's rules do
# not cover (legacy.py).
CANONICALIZE = _CANONICALIZE + rules_of("canonicalize")
STABILIZE = _STABILIZE + rules_of("stabilize")
SPECIALIZE = _SPECIALIZE + [r for r in rules_of("specialize")
                            if r not in rules_of("canonicalize")]
UNCANONICALIZE = rules_of("uncanonicalize")

__all__ = ["CANONICALIZE", "SHAPE", "STABILIZE", "SPECIALIZE", "UNCANONICALIZE",
           "constant_folding"]
