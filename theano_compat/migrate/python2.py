"""Python 2 source: find the lines Python 3 rejects, name the construct, and patch them
so that the rest of the file can still be read (nothing is executed).

`repair(source)` parses with ``ast``; at each SyntaxError it records the line and a best
guess of the Python 2 construct, rewrites that line to a Python 3 equivalent (or ``pass``)
and parses again, until the file parses or `max_fixes` lines were patched.
"""

from __future__ import annotations

import ast
import re
import warnings

# (construct, pattern on the line, replacement) in the order they are tried; a replacement
# of None turns the statement into ``pass`` (keeping a block opener's colon).
_CONSTRUCTS = [
    ("print statement", re.compile(r"^(\s*)print\b(?!\s*\()(?!\s*=)"), None),
    ("except X, e: (Python 3: except X as e:)",
     re.compile(r"^(\s*except\s*\(?[\w.,\s]+?\)?)\s*,\s*(\w+)\s*:"), r"\1 as \2:"),
    ("raise E, message (Python 3: raise E(message))",
     re.compile(r"^(\s*raise\s+[\w.]+)\s*,\s*(.+?)\s*$"), r"\1(\2)"),
    ("exec statement", re.compile(r"^(\s*)exec\b(?!\s*\()"), None),
    ("backtick repr `x` (Python 3: repr(x))", re.compile(r"`([^`]*)`"), r"repr(\1)"),
    ("ur'' string prefix (Python 3: r'')", re.compile(r"\b[uU][rR](['\"])"), r"r\1"),
    ("<> operator (Python 3: !=)", re.compile(r"<>"), "!="),
    ("long integer literal 10L (Python 3: 10)", re.compile(r"\b(\d+)[lL]\b"), r"\1"),
    ("octal literal 0777 (Python 3: 0o777)", re.compile(r"(?<![\w.])0(\d+)\b"), r"0o\1"),
]


def _guess(line):
    """(construct, patched line) for a line Python 3 rejects."""
    for name, pattern, replacement in _CONSTRUCTS:
        if pattern.search(line):
            if replacement is None:
                indent = line[:len(line) - len(line.lstrip())]
                return name, indent + "pass"
            return name, pattern.sub(replacement, line)
    indent = line[:len(line) - len(line.lstrip())]
    return None, indent + ("if 1:" if line.rstrip().endswith(":") else "pass")


def repair(source, max_fixes=200):
    """``(tree or None, problems)``: the module's AST after patching the lines Python 3
    rejects, and one ``{"line", "construct", "text", "message"}`` per patched line."""
    lines = source.splitlines()
    problems = []
    seen = set()
    for _ in range(max_fixes + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences and the like
                return ast.parse("\n".join(lines) + "\n"), problems
        except SyntaxError as exc:  # (TabError and IndentationError are SyntaxErrors)
            lineno = exc.lineno or 1
            if lineno > len(lines) or lineno in seen:
                problems.append(_problem(lineno, lines, None, exc))
                return None, problems
            line = lines[lineno - 1]
            construct, patched = _guess(line)
            if isinstance(exc, TabError):
                construct, patched = "mixed tabs and spaces in indentation", line.expandtabs(8)
            problems.append(_problem(lineno, lines, construct, exc))
            if patched == line:
                seen.add(lineno)
                indent = line[:len(line) - len(line.lstrip())]
                patched = indent + "pass"
            lines[lineno - 1] = patched
    return None, problems


def _problem(lineno, lines, construct, exc):
    text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
    return {"line": lineno, "construct": construct or "not valid Python 3 (syntax error)",
            "text": text, "message": exc.msg}
