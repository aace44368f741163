"""Legacy-tutorial harness: runs the code blocks of scraped Theano tutorial pages unchanged.

Modules:

* :mod:`legacy.py2to3`  - in-memory Python 2 -> 3 source conversion (tokenize based)
* :mod:`legacy.extract` - splits a scraped page into ordered code blocks with their shown output
* :mod:`legacy.compare` - compares printed output with the page "to the printed precision"
* :mod:`legacy.pages`   - per-page tables: damaged blocks, float32 pages, non-comparable outputs
* :mod:`legacy.runner`  - plans, runs (one subprocess per page) and judges the blocks
* ``worker.py``         - the stdlib-only script that executes a page's blocks in one namespace

``tools/`` is put on ``sys.path`` by ``tools/run_legacy_tutorials.py`` and by the tests'
conftest, so the package imports as ``legacy``.  See README.md beside this file for the rules.
"""
