"""Legacy-tutorial harness: runs the code blocks of Theano 1.0.5's tutorial pages and of scraped
Theano tutorial pages unchanged.

Modules:

* :mod:`legacy.py2to3`  - in-memory Python 2 -> 3 source conversion (tokenize based)
* :mod:`legacy.extract` - splits a page into ordered code blocks with their shown output
  (scraped pages; reST pages as Sphinx's doctest builder reads them)
* :mod:`legacy.sources` - where the pages come from (the theano==1.0.5 sdist, ../shared/seeds)
* :mod:`legacy.compare` - compares printed output with the page "to the printed precision"
* :mod:`legacy.pages`   - per-page tables: damaged or skipped blocks, float32 pages,
  non-comparable outputs, known gaps of this project
* :mod:`legacy.runner`  - plans, runs (one subprocess per page) and judges the blocks
* ``worker.py``         - the stdlib-only script that executes a page's blocks in one namespace

``tools/`` is put on ``sys.path`` by ``tools/run_legacy_tutorials.py`` and by the tests'
conftest, so the package imports as ``legacy``.  See README.md beside this file for the rules.
"""
