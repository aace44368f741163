"""``python -m theano_compat.migrate PATH [--json]`` (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import __doc__ as _doc
from .report import format_text, scan


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m theano_compat.migrate",
                                 description=_doc.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="a .py file, a notebook (.ipynb) or a folder")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if not os.path.exists(args.path):
        ap.error(f"{args.path}: no such file or folder")
    report = scan(args.path)
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
