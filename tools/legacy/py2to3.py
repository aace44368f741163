"""In-memory Python 2 -> 3 conversion of legacy tutorial code, built on :mod:`tokenize`.

``lib2to3`` is gone from Python 3.13, and the tutorials only need the handful of syntactic
constructs below, so this is a small token-level rewriter.  It never edits a file: the runner
calls :func:`to_py3` on a block's source just before running it, and only when that source
is not Python 3: :func:`to_py3` tries ``compile()`` first, and converts what compiles only
when it is still unmistakably Python 2 - a name that exists only in Python 2 (``xrange``), a
``.iteritems()`` call, or a print statement that happens to parse as a Python 3 expression
(``print -1``, ``print >>f, x``); see :func:`needs_conversion`.  Every rewrite keeps
the line structure (no line is added or removed), so line numbers in tracebacks still point at
the page.

Converted (each rewrite is reported in :attr:`Conversion.changes`):

* ``print``, ``print x, y``, ``print 'a %d' % i``, ``print x,`` (-> ``end=' '``),
  ``print >>f, x`` (-> ``file=f``).  ``print(x)`` and ``print (a, b)`` already parse as
  Python 3 calls and are left alone (Python 2 printed a tuple for the latter; printing the
  items is what such code means under Python 3).  Nothing is converted when the code has
  ``from __future__ import print_function``.
* ``exec code [in g[, l]]`` -> ``exec(code[, g[, l]])``
* ``xrange`` -> ``range``, ``raw_input`` -> ``input``, ``unicode``/``basestring`` -> ``str``,
  ``unichr`` -> ``chr``, ``long(`` -> ``int(``
* ``d.iteritems()/itervalues()/iterkeys()`` -> ``items()/values()/keys()``, ``sys.maxint`` ->
  ``sys.maxsize``, ``time.clock`` -> ``time.perf_counter`` (Python 2's timer, removed in
  Python 3.8; the Theano docs' ``conditions`` page times ``ifelse`` with it)
* backtick repr `` `x` `` -> ``repr(x)``; ``a <> b`` -> ``a != b``
* ``except E, e:`` -> ``except E as e:``; ``raise E, v`` -> ``raise E(v)``;
  ``raise E, v, tb`` -> ``raise E(v).with_traceback(tb)``
* octal ``0777`` -> ``0o777``; long suffix ``10L`` -> ``10``; ``ur'..'`` -> ``r'..'``

Not converted (semantic, not syntactic): integer ``/``, ``dict.has_key``, ``map``/``zip``
returning iterators, ``str``/``bytes``.  Code relying on them runs and shows the difference.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

__all__ = ["Conversion", "compiles", "convert", "needs_conversion", "to_py3"]

_RENAMES = {
    "xrange": "range",
    "raw_input": "input",
    "unicode": "str",
    "basestring": "str",
    "unichr": "chr",
}
_ATTR_RENAMES = {"iteritems": "items", "itervalues": "values", "iterkeys": "keys"}
_UR_PREFIXES = {"ur", "UR", "Ur", "uR"}
_END_TYPES = (tokenize.NEWLINE, tokenize.ENDMARKER)
_OPEN = "([{"
_CLOSE = ")]}"


@dataclass
class Conversion:
    """Result of :func:`to_py3`."""

    source: str
    changes: list = field(default_factory=list)  # "line N: what was rewritten"
    attempted: bool = False  # the input was not Python 3, so a conversion was tried
    ok: bool = True  # the (converted) source compiles as Python 3

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def compiles(source: str, mode: str = "exec") -> bool:
    """True when *source* compiles as Python 3 in *mode* ('exec', 'single', 'eval')."""
    try:
        compile(source, "<py2to3>", mode, dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError):
        return False
    return True


def needs_conversion(source: str, mode: str = "exec") -> bool:
    """True when *source* is not Python 3.

    That is: it does not compile; or it uses a name that exists only in Python 2 (``xrange``,
    ``raw_input``, ``unicode``, ``basestring``, ``unichr``, not bound in the code itself),
    ``.iteritems()/.itervalues()/.iterkeys()`` or ``time.clock`` - valid syntax that fails at
    run time; or it
    compiles only by accident of a Python 2 print statement - an expression statement that
    starts with the name ``print`` but is not a call of it (``print -1``, ``print >>f, x``,
    ``print (a), b``, bare ``print``), which Python 3 parses as a useless expression
    (``print - 1``) that fails or prints nothing.
    """
    try:
        tree = compile(source, "<py2to3>", mode, ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError):
        return True
    bound = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
    }
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    bound |= {
        (a.asname or a.name)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
            if node.id in _RENAMES:
                return True  # xrange(...): Python 2 only, a NameError under Python 3
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _ATTR_RENAMES
            and isinstance(node.ctx, ast.Load)
        ):
            return True  # d.iteritems(): no such method on a Python 3 dict
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "clock"
            and isinstance(node.value, ast.Name)
            and node.value.id == "time"
        ):
            return True  # time.clock(): Python 2 (and < 3.8) only
    if _FUTURE_PRINT.search(source):
        return False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Expr):
            continue
        value = node.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "print"
        ):
            continue
        for sub in ast.walk(value):
            if (
                isinstance(sub, ast.Name)
                and sub.id == "print"
                and (sub.lineno, sub.col_offset) == (node.lineno, node.col_offset)
            ):
                return True
    return False


def to_py3(source: str, mode: str = "exec") -> Conversion:
    """Return *source* unchanged if it is Python 3 (see :func:`needs_conversion`), else its
    Python 3 conversion."""
    if not needs_conversion(source, mode):
        return Conversion(source)
    new, changes = convert(source)
    return Conversion(new, changes, attempted=True, ok=compiles(new, mode))


def convert(source: str) -> tuple[str, list]:
    """Rewrite the Python 2 constructs of *source* (unconditionally); return (source, changes)."""
    changes: list = []
    source = _apply(source, _expression_edits(source, changes))
    source = _apply(source, _statement_edits(source, changes))
    return source, changes


# --------------------------------------------------------------------------- tokens


def _tokens(source: str) -> list:
    """Significant tokens of *source* (no comments, NL or whitespace error tokens).

    Python 2 code may not tokenize to the end under Python 3 (e.g. an unterminated string);
    the tokens read up to the error are returned, which is enough for the rewrites.
    """
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL):
                continue
            if tok.type == tokenize.ERRORTOKEN and not tok.string.strip():
                continue
            out.append(tok)
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def _depths(toks: list) -> list:
    """Bracket depth *before* each token."""
    depth, out = 0, []
    for tok in toks:
        out.append(depth)
        if tok.type == tokenize.OP and tok.string in _OPEN:
            depth += 1
        elif tok.type == tokenize.OP and tok.string in _CLOSE:
            depth = max(depth - 1, 0)
    return out


def _is_op(tok, *strings) -> bool:
    return (
        tok is not None and tok.type in (tokenize.OP, tokenize.ERRORTOKEN) and tok.string in strings
    )


def _adjacent(a, b) -> bool:
    return a is not None and b is not None and a.end == b.start


def _statement_start(toks: list, depths: list, i: int) -> bool:
    """Is toks[i] the first token of a simple statement?"""
    if i == 0:
        return True
    prev = toks[i - 1]
    if prev.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
        return True
    if _is_op(prev, ";") and depths[i - 1] == 0:
        return True
    # `if x: print y`, `else: print y`, `for i in r: print i`
    return _is_op(prev, ":") and depths[i - 1] == 0


def _statement_end(toks: list, depths: list, i: int) -> int:
    """Index of the NEWLINE/ENDMARKER/';' that ends the statement containing toks[i]."""
    base = depths[i]
    j = i + 1
    while j < len(toks):
        tok = toks[j]
        if tok.type in _END_TYPES:
            return j
        if _is_op(tok, ";") and depths[j] <= base:
            return j
        j += 1
    return len(toks)


def _matching_close(toks: list, depths: list, i: int) -> int | None:
    for j in range(i + 1, len(toks)):
        if depths[j] == depths[i] + 1 and _is_op(toks[j], *_CLOSE):
            return j
        if depths[j] <= depths[i]:
            return None
    return None


class _Offsets:
    def __init__(self, source: str):
        self.starts = [0]
        for line in source.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.size = len(source)

    def __call__(self, pos) -> int:
        row, col = pos
        if row - 1 >= len(self.starts):
            return self.size
        return min(self.starts[row - 1] + col, self.size)


def _apply(source: str, edits: list) -> str:
    """Apply (start, end, text) edits given as character offsets; overlapping ones are dropped."""
    out, last = [], len(source) + 1
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if end > last:
            continue
        out.append((start, end, text))
        last = start
    for start, end, text in out:  # already last-first
        source = source[:start] + text + source[end:]
    return source


# --------------------------------------------------------------------------- pass 1


def _expression_edits(source: str, changes: list) -> list:
    toks = _tokens(source)
    depths = _depths(toks)
    off = _Offsets(source)
    edits = []

    def edit(a, b, text, what=None):
        edits.append((off(a), off(b), text))
        if what:
            changes.append("line %d: %s" % (a[0], what))

    backtick_open = None
    for i, tok in enumerate(toks):
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        s = tok.string
        if tok.type == tokenize.NAME:
            after_dot = _is_op(prev, ".")
            if (
                s in _RENAMES
                and not after_dot
                and not (prev is not None and prev.string in ("def", "class"))
            ):
                edit(tok.start, tok.end, _RENAMES[s], f"{s} -> {_RENAMES[s]}")
            elif s == "long" and not after_dot and _is_op(nxt, "("):
                edit(tok.start, tok.end, "int", "long( -> int(")
            elif after_dot and s in _ATTR_RENAMES:
                edit(tok.start, tok.end, _ATTR_RENAMES[s], f".{s} -> .{_ATTR_RENAMES[s]}")
            elif after_dot and s == "maxint" and i >= 2 and toks[i - 2].string == "sys":
                edit(tok.start, tok.end, "maxsize", "sys.maxint -> sys.maxsize")
            elif after_dot and s == "clock" and i >= 2 and toks[i - 2].string == "time":
                edit(
                    tok.start,
                    tok.end,
                    "perf_counter",
                    "time.clock -> time.perf_counter (time.clock is gone since Python 3.8)",
                )
            elif (
                s in _UR_PREFIXES
                and nxt is not None
                and nxt.type == tokenize.STRING
                and _adjacent(tok, nxt)
            ):
                edit(tok.start, tok.end, "r", f"{s}'' prefix -> r''")
            elif s == "except":
                _except_edit(toks, depths, i, edit)
            elif s == "raise" and _statement_start(toks, depths, i):
                _raise_edit(toks, depths, i, edit)
        elif tok.type == tokenize.NUMBER:
            if re.fullmatch(r"0[0-7]+", s):  # Python >= 3.12 tokenizes 0777 as one NUMBER
                edit(tok.start, tok.end, "0o" + s[1:], f"octal {s} -> 0o{s[1:]}")
            elif (
                s == "0"  # Python 3.11 tokenizes 0777 as NUMBER '0', NUMBER '777'
                and nxt is not None
                and nxt.type == tokenize.NUMBER
                and _adjacent(tok, nxt)
                and re.fullmatch(r"[0-7]+", nxt.string)
            ):
                edit(
                    tok.start,
                    nxt.end,
                    "0o" + nxt.string,
                    f"octal 0{nxt.string} -> 0o{nxt.string}",
                )
            elif (
                nxt is not None
                and nxt.type == tokenize.NAME
                and nxt.string in ("L", "l")
                and _adjacent(tok, nxt)
            ):
                edit(nxt.start, nxt.end, "", f"long literal {s}{nxt.string} -> {s}")
        elif _is_op(tok, "<>"):
            edit(tok.start, tok.end, "!=", "<> -> !=")
        elif _is_op(tok, "<") and _is_op(nxt, ">") and _adjacent(tok, nxt):
            edit(tok.start, nxt.end, "!=", "<> -> !=")
        elif _is_op(tok, "`"):
            if backtick_open is None:
                backtick_open = tok
            else:
                edit(backtick_open.start, backtick_open.end, "repr(", "`x` -> repr(x)")
                edits.append((off(tok.start), off(tok.end), ")"))
                backtick_open = None
    return edits


def _commas_at_depth(toks, depths, lo, hi, depth):
    return [j for j in range(lo, hi) if depths[j] == depth and _is_op(toks[j], ",")]


def _except_edit(toks, depths, i, edit):
    """``except E, e:`` -> ``except E as e:``."""
    colon = None
    for j in range(i + 1, len(toks)):
        if toks[j].type in _END_TYPES:
            return
        if depths[j] == depths[i] and _is_op(toks[j], ":"):
            colon = j
            break
    if colon is None:
        return
    commas = _commas_at_depth(toks, depths, i + 1, colon, depths[i])
    if len(commas) == 1 and colon - commas[0] == 2 and toks[commas[0] + 1].type == tokenize.NAME:
        c = toks[commas[0]]
        edit(c.start, toks[commas[0] + 1].start, " as ", "except E, e: -> except E as e:")


def _raise_edit(toks, depths, i, edit):
    """``raise E, v`` -> ``raise E(v)``; ``raise E, v, tb`` -> ``raise E(v).with_traceback(tb)``."""
    end = _statement_end(toks, depths, i)
    commas = _commas_at_depth(toks, depths, i + 1, end, depths[i])
    if len(commas) not in (1, 2) or end - 1 <= commas[-1]:
        return
    last = toks[end - 1]
    c1 = toks[commas[0]]
    edit(c1.start, toks[commas[0] + 1].start, "(", "raise E, v -> raise E(v)")
    if len(commas) == 2:
        c2 = toks[commas[1]]
        edit(
            c2.start,
            toks[commas[1] + 1].start,
            ").with_traceback(",
            "raise E, v, tb -> .with_traceback(tb)",
        )
    edit(last.end, last.end, ")")


# --------------------------------------------------------------------------- pass 2


_FUTURE_PRINT = re.compile(
    r"^\s*from\s+__future__\s+import\s+[^\n]*\bprint_function\b", re.MULTILINE
)
# after `print`, these tokens mean it is not a Python 2 print statement (e.g. `print.x`)
_NOT_PRINT_ARG = {
    "=",
    ".",
    ",",
    ")",
    "]",
    "}",
    ":",
    "*",
    "/",
    "%",
    "<",
    ">",
    "==",
    "!=",
    "+=",
    "-=",
    "|",
    "&",
    "^",
    "**",
    "//",
    "@",
}


def _statement_edits(source: str, changes: list) -> list:
    toks = _tokens(source)
    depths = _depths(toks)
    off = _Offsets(source)
    src_of = lambda a, b: source[off(a) : off(b)]
    edits = []
    convert_print = not _FUTURE_PRINT.search(source)

    for i, tok in enumerate(toks):
        if tok.type != tokenize.NAME or tok.string not in ("print", "exec"):
            continue
        if not _statement_start(toks, depths, i):
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        end = _statement_end(toks, depths, i)
        if _is_op(nxt, "("):
            close = _matching_close(toks, depths, i + 1)
            if close is not None and close + 1 == end:
                continue  # print(...) / exec(...): already a Python 3 call
        if tok.string == "print":
            if not convert_print:
                continue
            if nxt is None or nxt.type in _END_TYPES or (_is_op(nxt, ";") and end == i + 1):
                edits.append((off(tok.start), off(tok.end), "print()"))
                changes.append("line %d: print -> print()" % tok.start[0])
                continue
            if nxt.type == tokenize.OP and nxt.string in _NOT_PRINT_ARG:
                continue
            _print_edit(toks, depths, i, end, off, src_of, edits, changes)
        else:  # exec statement
            if nxt is None or nxt.type in _END_TYPES or _is_op(nxt, *_NOT_PRINT_ARG):
                continue
            args = toks[i + 1 : end]
            ins = [
                k
                for k, t in enumerate(args)
                if t.type == tokenize.NAME and t.string == "in" and depths[i + 1 + k] == depths[i]
            ]
            if ins:
                k = ins[0]
                code = src_of(args[0].start, args[k - 1].end)
                ns = src_of(args[k + 1].start, args[-1].end) if k + 1 < len(args) else ""
                text = "exec({}{})".format(code, ", " + ns if ns else "")
            else:
                text = f"exec({src_of(args[0].start, args[-1].end)})"
            edits.append((off(tok.start), off(args[-1].end), text))
            changes.append("line %d: exec statement -> exec() call" % tok.start[0])
    return edits


def _print_edit(toks, depths, i, end, off, src_of, edits, changes):
    tok = toks[i]
    args = toks[i + 1 : end]
    base = depths[i]
    file_text = None
    rest = args
    if _is_op(args[0], ">>"):
        commas = [k for k, t in enumerate(args) if depths[i + 1 + k] == base and _is_op(t, ",")]
        if commas:
            file_toks, rest = args[1 : commas[0]], args[commas[0] + 1 :]
        else:
            file_toks, rest = args[1:], []
        if not file_toks:
            return
        file_text = src_of(file_toks[0].start, file_toks[-1].end)
    soft = False
    if rest and _is_op(rest[-1], ",") and depths[end - 1] == base:
        soft, rest = True, rest[:-1]
    extras = []
    if soft:
        extras.append("end=' '")
    if file_text is not None:
        extras.append("file=" + file_text)
    what = "print statement -> print()"
    if soft:
        what += " with end=' ' (trailing comma)"
    if file_text is not None:
        what += " with file= (print >>f)"
    changes.append("line %d: %s" % (tok.start[0], what))
    if rest:
        edits.append((off(tok.start), off(rest[0].start), "print("))
        tail = "".join(", " + e for e in extras) + ")"
        edits.append((off(rest[-1].end), off(args[-1].end), tail))
    else:
        edits.append((off(tok.start), off(args[-1].end), "print({})".format(", ".join(extras))))
