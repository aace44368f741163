"""Loops: theano.scan and its shorthands (map, reduce, foldl, foldr), the Scan Op, and
`until` (DESIGN.md §9.5)."""

# Theano's names: map and reduce shadow the builtins here.
from .api import foldl, foldr, map, reduce, scan, scan_checkpoints
# Imported for its effect too: it fills hooks.map_over_index (jacobian and hessian's loop).
from .index_map import map_over_index  # noqa: F401
from .op import Scan
from .utils import OrderedUpdates, until

__all__ = ["scan", "scan_checkpoints", "map", "reduce", "foldl", "foldr", "until", "Scan",
           "OrderedUpdates"]
