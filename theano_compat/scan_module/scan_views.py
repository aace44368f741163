"""theano.scan_module.scan_views: scan's shorthands (Theano 1.0.5's module path).

`map` applies a function to each element of sequences, `reduce` keeps only the last value
of each output, `foldl` / `foldr` reduce from the first / the last element.
"""

from __future__ import annotations

import logging  # noqa: F401 - names of Theano's module

from ..scan.api import foldl, foldr, map, reduce, scan  # noqa: F401,A004 - Theano's names

__all__ = ["map", "reduce", "foldl", "foldr"]

_logger = logging.getLogger("theano.scan_module.scan_views")
