"""Exception types and source attribution shared by every layer.

`SourceInfo` records where the user built a graph node: the first stack frame outside
this package (and outside the ``theano`` alias package).  Runtime errors raised while a
compiled function runs keep their original type and gain a note (PEP 678) naming the
node, the input shapes and that user line.
"""

from __future__ import annotations

import linecache
import os
import sys

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_ALIAS_DIR = os.path.join(os.path.dirname(_PACKAGE_DIR), "theano")
_INTERNAL_PREFIXES = (_PACKAGE_DIR + os.sep, _ALIAS_DIR + os.sep)


class MethodNotDefined(Exception):
    """An Op method (grad, R_op, perform...) that the Op does not define was called."""

    __module__ = "theano.gof.utils"  # Theano's path: reprs and pickles


class MissingInputError(Exception):
    """A graph needs a variable that is neither an input nor a constant nor shared."""

    __module__ = "theano.gof.fg"  # Theano's path: reprs and pickles


class UnusedInputError(Exception):
    """An input given to `function` is not used by the outputs."""

    __module__ = "theano.compile.function_module"  # Theano's path: reprs and pickles


class ShapeError(ValueError):
    """Shapes known at compile time or checked at run time disagree."""

    __module__ = "theano.tensor.basic"  # Theano's path: reprs and pickles


def is_internal_file(filename: str) -> bool:
    """True for files of this package (their frames are never 'the user's line')."""
    return filename.startswith(_INTERNAL_PREFIXES) or filename.startswith("<theano_compat")


# > 0 while rewrites build nodes: those take the user line of the node they replace
# (graph.fgraph.replace does that), not the line of the theano.function call.
_capture_off = [0]


class no_capture:  # noqa: N801 - used as a context manager
    """Within this block new Apply nodes record no source line."""

    def __enter__(self):
        _capture_off[0] += 1

    def __exit__(self, *exc):
        _capture_off[0] -= 1


class SourceInfo:
    """Where a node was built: the innermost user frames (file, line, function)."""

    __slots__ = ("frames",)

    def __init__(self, frames):
        self.frames = frames  # innermost first: [(filename, lineno, funcname), ...]

    @classmethod
    def capture(cls, limit: int = 1) -> SourceInfo | None:
        """Walk the stack to the first frame outside the package (cheap: no line reads).

        The frames of a user Op's ``make_node`` (and those it called) are skipped: the
        node was built where the user applied the Op, which is the line to report.
        """
        if limit <= 0 or _capture_off[0]:
            return None
        frame = sys._getframe(1)
        frames = []
        while frame is not None and len(frames) < limit:
            code = frame.f_code
            if not is_internal_file(code.co_filename):
                if code.co_name == "make_node":
                    frames.clear()
                else:
                    frames.append((code.co_filename, frame.f_lineno, code.co_name))
            frame = frame.f_back
        return cls(frames) if frames else None

    @property
    def filename(self):
        return self.frames[0][0]

    @property
    def lineno(self):
        return self.frames[0][1]

    def line_text(self) -> str:
        filename, lineno, _ = self.frames[0]
        return linecache.getline(filename, lineno).strip()

    def describe(self) -> str:
        """``model.py:42 in build():   out = T.dot(x, w) + b``"""
        filename, lineno, func = self.frames[0]
        text = self.line_text()
        where = f"{os.path.basename(filename)}:{lineno} in {func}()"
        return f"{where}:   {text}" if text else where

    def as_trace(self):
        """Theano's ``tag.trace`` layout: a list of stack summaries (file, line, func, text)."""
        return [[(f, n, fn, linecache.getline(f, n).strip()) for f, n, fn in reversed(self.frames)]]

    def __repr__(self):
        return f"SourceInfo({self.describe()!r})"


def add_note(exc: BaseException, text: str) -> None:
    """Attach a note to an exception once (the same note is never repeated)."""
    notes = getattr(exc, "__notes__", ())
    if text not in notes:
        exc.add_note(text)
