"""Loops: theano.scan and its shorthands (map, reduce, foldl, foldr), the Scan Op, and
`until` (DESIGN.md §9.5)."""

# Theano's names: map and reduce shadow the builtins here.
from .api import foldl, foldr, map, reduce, scan, scan_checkpoints
from .op import Scan
from .utils import OrderedUpdates, until

__all__ = ["scan", "scan_checkpoints", "map", "reduce", "foldl", "foldr", "until", "Scan",
           "OrderedUpdates"]
