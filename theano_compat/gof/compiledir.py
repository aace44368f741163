"""theano.gof.compiledir: listing and purging the compile directories.

Theano kept its compiled C modules in ``config.compiledir`` (a folder of
``config.base_compiledir``), one sub-directory per module with a ``key.pkl``.
theano_compat compiles nothing, so its own compiledir (``compiledir_theano_compat``)
holds no modules; these functions do what Theano's did on whatever the directories
hold: list them, count the modules, delete them.  Reading a module's ``key.pkl``
needs the classes it pickled (Theano's), so modules are counted, not described.
"""

from __future__ import annotations

import logging
import os
import pickle  # noqa: F401 - a name of Theano's module
import shutil

import numpy as np  # noqa: F401 - a name of Theano's module

import theano_compat as theano  # noqa: F401 - a name of Theano's module

from ..config import config
from .utils import flatten, iteritems  # noqa: F401 - names of Theano's module

_logger = logging.getLogger("theano.gof.compiledir")

string_types = (str,)


def _module_dirs(compiledir):
    """The sub-directories of `compiledir` holding a compiled module (a key.pkl)."""
    if not os.path.isdir(compiledir):
        return []
    return sorted(d for d in os.listdir(compiledir)
                  if os.path.isfile(os.path.join(compiledir, d, "key.pkl")))


def cleanup():
    """Delete the modules of ``config.compiledir`` whose keys are in an outdated format.

    theano_compat writes no modules and cannot read the keys Theano pickled: modules
    found there are left alone (the log says so); delete them with `compiledir_purge`.
    """
    found = _module_dirs(config.compiledir)
    if found:
        _logger.info("cleanup: %d compiled modules in %s were made by another Theano; "
                     "theano_compat does not read their keys (compiledir_purge() deletes "
                     "them)", len(found), config.compiledir)


def print_title(title, overline="", underline=""):
    """Print `title`, with a line of `overline` above and of `underline` below."""
    if overline:
        print(str(overline) * len(title))
    print(title)
    if underline:
        print(str(underline) * len(title))


def print_compiledir_content():
    """Print Theano's summary of the compiled modules in ``config.compiledir``."""
    compiledir = config.compiledir
    modules = _module_dirs(compiledir)
    print_title(f"Theano cache: {compiledir}", overline="=", underline="=")
    print()
    print_title("List of 0 compiled individual ops", underline="+")
    print_title("sub dir/compiletime/Op/set of different associated Theano types",
                underline="-")
    print()
    print_title("List of 0 compiled sets of ops", underline="+")
    print_title("sub dir/compiletime/Set of ops/set of different associated Theano types",
                underline="-")
    print()
    print_title("List of 0 compiled Op classes and the number of times they got compiled",
                underline="+")
    print()
    print_title("Number of keys for a compiled module", underline="+")
    print_title("number of keys/number of modules with that number of keys", underline="-")
    print()
    print(f"Skipped {len(modules)} files that contained 0 op (are they always "
          "theano.scalar ops?)" if not modules else
          f"Skipped {len(modules)} modules compiled by another Theano (theano_compat "
          "compiles no C code and does not read their keys)")


def compiledir_purge():
    """Delete ``config.compiledir`` and everything in it (if it exists)."""
    if os.path.exists(config.compiledir):
        shutil.rmtree(config.compiledir)


def basecompiledir_ls():
    """Print the sub-directories (possible compile caches) and other files of
    ``config.base_compiledir``."""
    base = config.base_compiledir
    entries = sorted(os.listdir(base)) if os.path.isdir(base) else []
    subdirs = [f for f in entries if os.path.isdir(os.path.join(base, f))]
    others = [f for f in entries if not os.path.isdir(os.path.join(base, f))]
    print(f"Base compile dir is {base}")
    print("Sub-directories (possible compile caches):")
    for d in subdirs:
        print(f"    {d}")
    if not subdirs:
        print("    (None)")
    if others:
        print()
        print("Other files in base_compiledir:")
        for f in others:
            print(f"    {f}")


def basecompiledir_purge():
    """Delete ``config.base_compiledir`` and everything in it, as Theano did (this
    includes the compile caches of any other Theano sharing it)."""
    if os.path.exists(config.base_compiledir):
        shutil.rmtree(config.base_compiledir)
