#!/usr/bin/env python3
"""Run the legacy Theano tutorials end to end: every tutorial page of Theano 1.0.5's own
documentation (doc/tutorial of the theano==1.0.5 sdist, downloaded with pip by the conformance
runner's code and cached outside the repository), plus the seed pages of ../shared/seeds when
that folder exists; each code block runs unchanged and its printed output is compared with the
page.  One line per page, the skipped blocks with their reasons, the known gaps with their
causes, the failures, and a summary.

    python tools/run_legacy_tutorials.py [--page NAME] [--details] [--verbose] [--list]

Exits 1 on any unexpected failure or output mismatch.  The rules are in tools/legacy/README.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from legacy.runner import main

if __name__ == "__main__":
    sys.exit(main())
