"""Paths the tests need, computed once here so that a test file can move to another depth
of tests/ without counting ``..`` again (tests/README.md gives the layout)."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
"""The repository root (the directory holding pyproject.toml)."""

PACKAGE = os.path.join(ROOT, "theano_compat")
"""The package's source tree."""

GOLDEN = os.path.join(ROOT, "tests", "golden")
"""The recorded Theano 1.0.5 results and the make_*.py scripts that recorded them."""

TOOLS = os.path.join(ROOT, "tools")
"""The repository's tools/ scripts (tools/bench, tools/conformance...)."""
