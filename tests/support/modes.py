"""The compile modes tests ask for by name, so that a test checking what one mode makes of
a graph (FAST_RUN's fused Composites, Gemv, in-place forms, the linker programs built on
them) checks it whatever THEANO_FLAGS=mode=... / optimizer=... the suite runs under.

As in Theano 1.0.5, ``config.optimizer`` shapes only the default mode: the mode named
"FAST_RUN" always runs the fast_run rewrites (tests/unit/compile/test_mode.py checks it).
"""

from theano.compile.mode import get_mode

FAST_RUN = get_mode("FAST_RUN")
"""Theano's FAST_RUN mode: the fast_run rewrites, whatever the default mode is."""
