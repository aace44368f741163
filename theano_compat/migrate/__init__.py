"""Migration scanner: what a Theano codebase uses, and what of it runs on this project.

    python -m theano_compat.migrate PATH [--json]

PATH is a file, a folder (walked for .py files and .ipynb notebooks) or a notebook.
Nothing is executed: each file is parsed with ``ast``.  The report lists the files that
are still Python 2 (the exact lines and constructs), then every Theano name used (module
imports, attribute chains through aliases such as ``T.nnet.conv2d``, ``theano.config``
reads and writes, THEANO_FLAGS strings) with its count, locations and status: supported,
supported with a deviation, unsupported (with the reason and the alternative) or unknown.
The statuses come from the data the project's own tests check (inventory.py: the record
of Theano 1.0.5's public names and the deliberate omissions; the conformance manifest).
"""

from .report import format_text, scan, summary_line
from .status import classify, classify_flag

__all__ = ["classify", "classify_flag", "format_text", "scan", "summary_line"]
