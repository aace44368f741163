"""Print the rewrite phases and rules a mode runs, in order.

    python tools/show_pipeline.py [MODE_OR_OPTIMIZER] [--exclude NAME ...]

MODE_OR_OPTIMIZER: FAST_RUN (default), FAST_COMPILE, fast_run, fast_compile, merge, None.
THEANO_FLAGS (optimizer_excluding=...) is honoured as theano.function would.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from theano_compat.compile.mode import Mode, get_mode  # noqa: E402
from theano_compat.compile.pipeline import PIPELINES  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", nargs="?", default=None)
    ap.add_argument("--exclude", action="append", default=[])
    args = ap.parse_args(argv)
    if args.mode in PIPELINES and args.mode is not None:
        mode = Mode(optimizer=args.mode)  # an optimizer name (fast_run, merge, None...)
    else:
        mode = get_mode(args.mode)
    if args.exclude:
        mode = mode.excluding(*args.exclude)
    print(f"{mode}: excluding {list(mode.excluded) or 'nothing'}")
    for phase, rules in mode.describe():
        print(f"  {phase}")
        for name in rules:
            print(f"      {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
