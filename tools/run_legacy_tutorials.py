#!/usr/bin/env python3
"""Run the legacy Theano tutorials end to end: every code block of every page in
../shared/seeds, unchanged (Python 2 converted in memory), with a per-page, per-block summary.

    python tools/run_legacy_tutorials.py [--page N] [--verbose] [--list]

Exits 1 on any unexpected failure or output mismatch.  The rules (damaged blocks, display
statements, unseeded random outputs, float32 pages) are in tools/legacy/README.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from legacy.runner import main

if __name__ == "__main__":
    sys.exit(main())
