"""Walk a file, folder or notebook; list the Theano API each file uses, without running it.

Every ``.py`` file and every code cell of an ``.ipynb`` notebook is parsed with ``ast``
(Python 2 lines are reported and patched first: python2.py).  A visitor follows the
names bound to Theano modules and objects (``import theano.tensor as T``, ``from
theano.tensor.nnet import conv2d``...) through attribute chains (``T.nnet.conv2d``),
records ``theano.config.X`` reads and writes, and reads THEANO_FLAGS strings (assigned to
``os.environ``, or any string literal holding ``THEANO_FLAGS=...``, as in a notebook's
``!THEANO_FLAGS=... python train.py``).
"""

from __future__ import annotations

import ast
import codeop
import json
import os
import re
import warnings

from .python2 import repair

_FLAGS_IN_TEXT = re.compile(r"THEANO_FLAGS\s*=\s*[\"']?([^\s\"';]+)")
PAGE_SUFFIXES = (".txt", ".md", ".rst")
_CELL_MARK = re.compile(r"^\s*(In\s\[\d*\]:|>>>|```)")
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".ipynb_checkpoints", ".venv", "venv",
              "node_modules", ".tox"}


class Usage:
    """One place where a file uses a Theano name."""

    __slots__ = ("name", "kind", "path", "line", "value")

    def __init__(self, name, kind, path, line, value=None):
        self.name, self.kind, self.path, self.line, self.value = name, kind, path, line, value

    @property
    def where(self):
        return f"{self.path}:{self.line}"


def iter_files(path):
    """The .py and .ipynb files under `path` (itself when it is a file), sorted."""
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith((".py", ".ipynb") + PAGE_SUFFIXES):
                yield os.path.join(root, name)


def scan_file(path, display=None):
    """``(usages, python2 problems, error)`` of one file (`display`: the path to report)."""
    display = display or path
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError as exc:
        return [], [], f"cannot read: {exc}"
    if path.endswith(".ipynb"):
        return _scan_notebook(text, display)
    if path.endswith(PAGE_SUFFIXES):
        usages, problems = scan_page(text, display)
        return usages, problems, None
    usages, problems = scan_source(text, display)
    return usages, problems, None


def _scan_notebook(text, display):
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError) as exc:
        return [], [], f"not a notebook (JSON): {exc}"
    usages, problems = [], []
    k = 0
    visitor = _Visitor(display)  # one for the notebook: names imported in a cell stay bound
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        k += 1
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        u, p = scan_source(source, f"{display}[cell {k}]", notebook=True, visitor=visitor)
        usages += u
        problems += [dict(item, cell=k) for item in p]
    return usages, problems, None


def scan_source(source, display, notebook=False, visitor=None):
    """``(usages, python2 problems)`` of Python source text (`visitor`: one that already
    knows the names earlier cells bound)."""
    usages = []
    if notebook:
        # IPython magics and shell lines are not Python: read their THEANO_FLAGS, then
        # blank them (keeping the line numbers).
        lines = source.splitlines()
        for j, line in enumerate(lines):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                usages += _flags_in_text(stripped, display, j + 1)
                lines[j] = ""
        source = "\n".join(lines)
    tree, problems = repair(source)
    if tree is not None:
        visitor = visitor or _Visitor(display)
        visitor.display = display
        visitor.usages = []
        visitor.visit(tree)
        usages += visitor.usages
    return usages, problems


def scan_page(text, display):
    """``(usages, python2 problems)`` of a documentation page (text, Markdown, reST, or a
    notebook saved as text): the code after ``In [n]:`` marks, ``>>>`` prompts and code
    fences is read statement by statement; lines that are not Python (prose, printed
    output) are skipped, Python 2 lines are reported when a construct is recognised."""
    if not any(_CELL_MARK.match(line) for line in text.splitlines()):
        return [], []
    visitor = _Visitor(display)
    problems = []
    buffer, first = [], 0
    mode = None  # "cell" after In [n]:, "doctest" on >>> lines, "fence" inside ``` fences
    for j, raw in enumerate(text.splitlines()):
        line = raw.rstrip()
        stripped = line.lstrip()
        if stripped.startswith("```"):
            mode = None if mode in ("fence", "fenced doctest") else "fence"
            buffer.clear()
            continue
        if re.match(r"In\s\[\d*\]:", stripped):  # (scraped pages: a no-break space)
            mode = "cell"
            buffer.clear()
            continue
        if stripped.startswith(">>>"):
            # prompts: the lines without one are output (also inside a fence)
            mode = "fenced doctest" if mode in ("fence", "fenced doctest") else "doctest"
            line = stripped[4:]
            if not buffer:
                first = j
        elif mode in ("doctest", "fenced doctest"):
            if not stripped.startswith("..."):
                buffer.clear()  # output or prose after the prompt
                continue
            line = stripped[4:]
        elif mode is None:
            continue
        if line.lstrip().startswith(("%", "!")):
            visitor.usages += _flags_in_text(line, display, j + 1)
            continue
        if not buffer:
            if not line.strip():
                continue
            first = j
        buffer.append(line)
        _feed(visitor, buffer, first, problems, display)
    return visitor.usages, problems


# Python 2 constructs recognised on a page's lines (prose has backticks and octal-looking
# numbers; only these statement forms are taken for Python 2 code there).
_PAGE_CONSTRUCTS = ("print statement", "exec statement", "except X, e", "raise E, message")


def _feed(visitor, buffer, first, problems, display):
    """Visit `buffer` when it holds complete statements; keep it while incomplete."""
    source = "\n".join(buffer)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            complete = codeop.compile_command(source, display, "exec")
    except (SyntaxError, ValueError, OverflowError):
        complete = False
    if complete is None and len(buffer) < 200:
        return  # an open block or bracket: read more lines
    if complete:
        tree = ast.parse(source)
    else:
        tree, found = repair(buffer[0]) if len(buffer) == 1 else (None, [])
        if tree is None or not found or not all(
                p["construct"].startswith(_PAGE_CONSTRUCTS) for p in found):
            tree = None  # prose or printed output, not code
        else:
            problems += [dict(p, line=p["line"] + first) for p in found]
    if tree is not None:
        ast.increment_lineno(tree, first)
        visitor.visit(tree)
    buffer.clear()


def _flags_in_text(text, display, line):
    return [u for m in _FLAGS_IN_TEXT.finditer(text)
            for u in _flag_usages(m.group(1), display, line)]


def _flag_usages(flags, display, line):
    """One usage per ``name=value`` item of a THEANO_FLAGS string."""
    out = []
    for item in flags.split(","):
        item = item.strip()
        if not item:
            continue
        key, _, value = item.partition("=")
        out.append(Usage(f"theano.config.{key.strip()}", "THEANO_FLAGS", display, line,
                         value.strip()))
    return out


class _Visitor(ast.NodeVisitor):
    def __init__(self, display):
        self.display = display
        self.aliases = {}  # local name -> dotted theano path
        self.usages = []

    def add(self, name, kind, node, value=None):
        self.usages.append(Usage(name, kind, self.display, node.lineno, value))

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == "theano" or alias.name.startswith("theano."):
                self.add(alias.name, "import", node)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    self.aliases["theano"] = "theano"

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level or not (module == "theano" or module.startswith("theano.")):
            return
        for alias in node.names:
            if alias.name == "*":
                self.add(module, "import *", node)
                continue
            full = f"{module}.{alias.name}"
            self.add(full, "import", node)
            self.aliases[alias.asname or alias.name] = full

    def _chain(self, node):
        """The dotted theano path of a Name/Attribute chain, or None."""
        attrs = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return ".".join([self.aliases[node.id]] + attrs[::-1])
        return None

    def visit_Attribute(self, node):
        dotted = self._chain(node)
        if dotted is None:
            self.generic_visit(node)
            return
        kind = "attribute"
        if dotted.startswith("theano.config."):
            kind = "config write" if isinstance(node.ctx, (ast.Store, ast.Del)) else "config read"
        self.add(dotted, kind, node)

    def visit_Name(self, node):
        target = self.aliases.get(node.id)
        if target is not None and isinstance(node.ctx, ast.Load) and target.count(".") >= 2:
            self.add(target, "name", node)  # a name imported from a theano module, used

    def visit_Assign(self, node):
        for target in node.targets:
            if _is_environ_flags(target):
                self._flags_value(node.value, node)
        self.generic_visit(node)

    def visit_Call(self, node):
        # os.environ.setdefault("THEANO_FLAGS", "..."), os.putenv("THEANO_FLAGS", "...")
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("setdefault", "putenv") and \
                len(node.args) == 2 and _is_const(node.args[0], "THEANO_FLAGS"):
            self._flags_value(node.args[1], node)
        elif isinstance(func, ast.Attribute) and func.attr == "update":
            for kw in node.keywords:
                if kw.arg == "THEANO_FLAGS":
                    self._flags_value(kw.value, node)
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and "THEANO_FLAGS" in node.value:
            self.usages += _flags_in_text(node.value, self.display, node.lineno)

    def _flags_value(self, value, node):
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.usages += _flag_usages(value.value, self.display, node.lineno)


def _is_const(node, text):
    return isinstance(node, ast.Constant) and node.value == text


def _is_environ_flags(target):
    """``os.environ["THEANO_FLAGS"]`` (or ``environ[...]``) as an assignment target."""
    return isinstance(target, ast.Subscript) and _is_const(target.slice, "THEANO_FLAGS")
