"""Shared test configuration: the repository root is importable without installation."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# A rewrite rule that raises must fail the test that triggered it, not be skipped with a
# warning as in normal use (DESIGN.md §7.2).
os.environ.setdefault("THEANO_FLAGS", "")
os.environ["THEANO_FLAGS"] = ",".join(
    f for f in (os.environ["THEANO_FLAGS"], "on_opt_error=raise") if f)
