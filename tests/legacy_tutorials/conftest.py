"""Fixtures for the legacy-tutorial harness (tools/legacy).

``tools/`` goes on sys.path so the harness imports as ``legacy``.  Page runs are cached for the
session: the per-block tests of one page share a single subprocess run of that page.

Environment:
  THEANO_COMPAT_SEEDS          folder of the seed pages (default: ../shared/seeds of the repo)
  THEANO_COMPAT_LEGACY_PYTHON  interpreter command for the page runs (default: this Python with
                               the repo on PYTHONPATH); e.g. the original Theano 1.0.5 through
                               ../shared/tools/theano-ref, to check the harness itself
"""

import os
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from legacy import runner  # noqa: E402 - importable only once TOOLS is on sys.path


class _PageRuns:
    def __init__(self):
        self._cache = {}
        self.python = os.environ.get("THEANO_COMPAT_LEGACY_PYTHON") or None

    def get(self, path) -> "runner.PageResult":
        path = Path(path)
        if path not in self._cache:
            self._cache[path] = runner.run_page(path, python=self.python)
        return self._cache[path]


@pytest.fixture(scope="session")
def legacy_page_runs():
    return _PageRuns()
