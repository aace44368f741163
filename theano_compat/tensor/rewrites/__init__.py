"""The tensor rewrite rules, one list per phase (DESIGN.md §7).  Nothing registers itself:
a rule is active because it is in a list, and compile/pipeline.py says which lists run."""

from __future__ import annotations

from .canonicalize import CANONICALIZE
from .constants import constant_folding
from .shape import SHAPE
from .specialize import SPECIALIZE
from .stabilize import STABILIZE

__all__ = ["CANONICALIZE", "SHAPE", "STABILIZE", "SPECIALIZE", "constant_folding"]
