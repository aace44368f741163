"""theano.pathparse: ``PathParser``, which adds directories to the PATH environment variable
of the running process (Theano used it for cuDNN's DLLs on Windows).

    theano.pathparse.PathParser(dir1, dir2)     # PATH now holds dir1 and dir2
    paths = theano.pathparse.PathParser(); paths.add(dir3)

As in Theano, the directories already on PATH and the added ones are kept in one set shared
by every PathParser, written back to PATH sorted (absolute paths, duplicates dropped;
lower-cased on Windows).
"""

import os
import sys


class PathParser:
    __module__ = "theano.pathparse"  # Theano's path: reprs and pickles
    paths = set()   # class-level: shared by all instances, as in Theano

    def __init__(self, *paths):
        self._parse()
        for path in paths:
            self._add(path)
        self._update()

    def _add(self, path):
        path = path.strip()
        if not path:
            return
        if sys.platform == "win32":
            path = path.lower()   # Windows paths are case-insensitive
        self.paths.add(os.path.abspath(path))

    def _parse(self):
        for path in os.environ.get("PATH", "").split(os.pathsep):
            self._add(path)

    def _update(self):
        os.environ["PATH"] = os.pathsep.join(sorted(self.paths))

    def add(self, path):
        """Add one directory and update PATH."""
        self._add(path)
        self._update()

    def _debug(self):
        for path in sorted(self.paths):
            print(path)
