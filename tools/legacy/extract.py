"""Split a scraped tutorial page into its ordered code blocks, with the output shown for each.

The pages are heuristic HTML-to-text scrapes, so the rules are structural, never per line:

* **doctest** - lines starting ``>>>`` (``...`` continues a statement).  Consecutive examples
  with no blank line or prose between them form one block (one doctest "session" chunk); the
  non-blank lines after a statement, up to a blank line or the next ``>>>``, are its expected
  output.  Two repairs for prompts the scraper lost: a statement that is still incomplete
  (open bracket, ``for ...:`` with no body) absorbs the following unprompted lines, and so do
  the indented lines under a compound statement written without any ``...``.  "Output" made
  only of ``#`` comment lines is a comment, not output.  Comment-only examples are dropped, as
  doctest does.  An example with no lines after it shows no output: nothing to compare (the
  scraper dropped outputs on some pages; it does not mean "prints nothing").
* **jupyter** - a cell starts after ``In [N]:``.  Its code is the run of blank-line separated
  paragraphs that parse as Python (after Python 2 conversion and with IPython ``%magic`` lines
  blanked); the first paragraph that does not (prose) ends the cell.  Names in code are ASCII
  (prose such as ``定义符号变量`` would otherwise parse as a name).  Printed output follows the
  code directly, with no blank line: the trailing lines of the last code paragraph that do
  not parse on their own or are bare literals (``6.0``) are the cell's stdout.  ``Out[N]:``
  followed by a paragraph is the repr of the cell's last expression.
* **testcode** - reST ``.. testcode::`` content (indented), with the following
  ``.. testoutput::`` content as its expected output (``:options: +ELLIPSIS`` honoured).
  ``.. code-block:: python`` / ``.. code::`` / ``.. sourcecode::`` give a **code-block**
  (no output), ``.. doctest::`` content is parsed as doctest; Markdown fences likewise
  (doctest when they contain ``>>>``).
* **flattened** - a line of code whose line breaks the scraper lost: several ``>>>`` prompts
  glued on one line, or a long ASCII line with several assignments and dotted calls (often with the
  listing's line numbers glued in).  These are listed, never run (see :data:`Block.damage`).

A block is identified by a stable key: page number + its first code line (``"004:>>> import
theano"`` style, without the prompt); a repeated first line gets `` #2``, `` #3``.
"""

from __future__ import annotations

import ast
import codeop
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import py2to3

__all__ = [
    "Block",
    "Example",
    "extract_page",
    "extract_sphinx",
    "extract_text",
    "page_id",
    "rest_comment_lines",
    "seed_pages",
]

_PS1 = re.compile(r"^(\s*)>>>(?: (.*)|$)")
_IN = re.compile(r"^\s*In\s*\[\s*(\d*)\s*\]:\s*(.*)$")
_OUT = re.compile(r"^\s*Out\s*\[\s*(\d*)\s*\]:\s*(.*)$")
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+-]*)")
_DIRECTIVE = re.compile(
    r"^(\s*)\.\.\s+(testcode|testoutput|doctest|code-block|code|sourcecode)::\s*(\S*)"
)
_PY_LANGS = {"", "python", "python3", "py", "py3", "pycon", "ipython", "ipython3"}
_MAGIC = re.compile(r"^\s*[%!]")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_MAX_KEY = 80


@dataclass
class Example:
    """One runnable unit: a doctest statement, a Jupyter cell, or a testcode/code block."""

    source: str  # the code as on the page, prompts stripped
    lines: list  # page line number (1-based) of each line of `source`
    mode: str  # "single" (doctest statement), "cell" (Jupyter), "exec" (testcode, code-block)
    want: str | None = None  # printed output shown on the page; None: none shown
    want_line: int | None = None
    value_want: str | None = None  # Jupyter Out[N]: repr of the last expression
    value_line: int | None = None
    options: frozenset = frozenset()  # {"ELLIPSIS"}
    notes: list = field(default_factory=list)  # extraction repairs, e.g. absorbed lines
    skip: str | None = None  # the page says not to run it (doctest +SKIP)

    @property
    def line(self) -> int:
        return self.lines[0]

    def page_line(self, lineno: int) -> int | None:
        """Page line of line *lineno* (1-based) of `source`."""
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return None


@dataclass
class Block:
    page: str  # "004"
    page_file: str  # file name of the page
    index: int  # order on the page (0-based)
    kind: str  # doctest | jupyter | testcode | code-block | flattened
    label: str  # "In [3]", ">>>", ".. testcode::", ...
    line: int  # page line of the first code line
    examples: list
    damage: str | None = None  # structural damage found by the extractor (flattened code)
    key: str = ""
    group: str = "default"  # Sphinx doctest group (sphinx pages): the namespace it runs in

    @property
    def source(self) -> str:
        return "\n".join(e.source for e in self.examples)

    @property
    def expected_output(self) -> str | None:
        shown = [e.want for e in self.examples if e.want is not None]
        shown += [e.value_want for e in self.examples if e.value_want is not None]
        return "\n".join(shown) if shown else None

    @property
    def first_code_line(self) -> str:
        for line in self.source.splitlines():
            if line.strip():
                return line.strip()
        return ""

    def as_dict(self) -> dict:
        return {
            "page": self.page,
            "index": self.index,
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "line": self.line,
            "source": self.source,
            "expected_output": self.expected_output,
            "damage": self.damage,
            "examples": [
                {
                    "source": e.source,
                    "line": e.line,
                    "mode": e.mode,
                    "want": e.want,
                    "value_want": e.value_want,
                    "options": sorted(e.options),
                }
                for e in self.examples
            ],
        }


# --------------------------------------------------------------------------- helpers


def page_id(path) -> str:
    """'004' for '004_adff11182b80e6f3.txt'."""
    name = Path(path).name
    m = re.match(r"(\d+)", name)
    return m.group(1) if m else Path(path).stem


def seed_pages(seeds_dir) -> list:
    """The page files of a seeds folder, in page order."""
    return sorted(p for p in Path(seeds_dir).glob("*.txt") if re.match(r"\d+_", p.name))


def _blank_magics(source: str) -> str:
    return "\n".join("" if _MAGIC.match(l) else l for l in source.split("\n"))


def _compiles_py(source: str, mode: str = "exec") -> bool:
    """Compiles as Python 3, or as Python 2 after in-memory conversion."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if py2to3.compiles(source, mode):
            return True
        return py2to3.to_py3(source, mode).ok


def _ascii_names(source: str) -> bool:
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NAME and not tok.string.isascii():
                return False
            if tok.type == tokenize.ERRORTOKEN and _CJK.search(tok.string):
                return False
    except (tokenize.TokenError, SyntaxError):
        pass
    return True


def looks_like_code(source: str) -> bool:
    """Does *source* parse as (Python 2 or 3) code with ASCII names, magics aside?"""
    src = _blank_magics(source)
    if not src.strip():
        return bool(source.strip())  # magic lines only
    return _compiles_py(src + "\n") and _ascii_names(src)


def _is_literal_line(text: str) -> bool:
    try:
        ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _output_like(text: str) -> bool:
    """A line that reads as printed output rather than code."""
    s = text.strip()
    if not s:
        return True
    if _MAGIC.match(s):
        return False
    if _is_literal_line(s):
        return True
    return not _compiles_py(s + "\n") or not _ascii_names(s)


def _incomplete(source: str) -> bool:
    """True when *source* is an unfinished interactive statement (needs more lines)."""
    for src in (source, py2to3.convert(source)[0]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if codeop.compile_command(src, "<page>", "single") is None:
                    return True
        except (SyntaxError, ValueError, OverflowError):
            continue
    return False


def _strip_trailing_blank(items: list) -> list:
    while items and not items[-1][1].strip():
        items.pop()
    return items


# --------------------------------------------------------------------------- doctest


def _parse_doctest(numbered: list, page: str, page_file: str, kind_label=">>>") -> list:
    """Doctest blocks from (lineno, text) pairs.  Returns a list of Block (unkeyed)."""
    blocks = []
    group = None
    i, n = 0, len(numbered)
    while i < n:
        lineno, text = numbered[i]
        m = _PS1.match(text)
        if not m or ">>>" in (m.group(2) or ""):
            group = None  # blank line or prose: ends the chunk
            i += 1
            continue
        indent = m.group(1)
        src, linenos, notes = [m.group(2) or ""], [lineno], []
        used_ps2 = False
        compound = bool(re.search(r":\s*(#.*)?$", src[0]))
        i += 1
        ps2 = re.compile(r"^" + re.escape(indent) + r"\.\.\.(?: (.*)|$)")
        while i < n:
            ln, t = numbered[i]
            m2 = ps2.match(t)
            if m2:
                src.append(m2.group(1) or "")
                linenos.append(ln)
                used_ps2 = True
                i += 1
                continue
            if not t.strip() or _PS1.match(t):
                break
            body = t[len(indent) :] if t.startswith(indent) else t.lstrip()
            joined = "\n".join(src) + "\n"
            if _incomplete(joined) or (
                compound
                and not used_ps2
                and body[:1] in (" ", "\t")
                and _compiles_py(joined + body + "\n")
            ):
                src.append(body)
                linenos.append(ln)
                notes.append("line %d: continuation line without `...` prompt" % ln)
                i += 1
                continue
            break
        want, want_line = [], None
        while i < n and numbered[i][1].strip() and not _PS1.match(numbered[i][1]):
            ln, t = numbered[i]
            want_line = want_line or ln
            want.append(t.removeprefix(indent))
            i += 1
        if want and all(w.lstrip().startswith("#") for w in want):
            notes.append("line %d: `#` comment after the statement is not output" % want_line)
            want, want_line = [], None
        source = "\n".join(src)
        code_lines = [l for l in src if l.strip() and not l.strip().startswith("#")]
        if not code_lines:  # comment-only example: doctest ignores it
            if want and group is not None:
                group.examples[-1].notes.append("output after a comment line")
            continue
        options = set()
        if re.search(r"#\s*doctest:.*\+ELLIPSIS", source):
            options.add("ELLIPSIS")
        ex = Example(
            source=source,
            lines=linenos,
            mode="single",
            want="\n".join(want) if want else None,
            want_line=want_line,
            options=frozenset(options),
            notes=notes,
        )
        if group is None:
            group = Block(page, page_file, 0, "doctest", kind_label, lineno, [])
            blocks.append(group)
        group.examples.append(ex)
    return blocks


# --------------------------------------------------------------------------- jupyter


def _split_code_output(items: list, min_k: int):
    """Largest k >= min_k such that items[:k] is code and items[k:] printed output, or None."""
    for k in range(len(items), min_k - 1, -1):
        prefix = items[:k]
        last = [t for _, t in prefix if t.strip()]
        if not last or (_is_literal_line(last[-1]) and not _MAGIC.match(last[-1])):
            continue
        if not all(_output_like(t) for _, t in items[k:]):
            continue
        if looks_like_code("\n".join(t for _, t in prefix)):
            return k
    return None


def _paragraphs(items: list) -> list:
    paras, cur = [], []
    for ln, t in items:
        if t.strip():
            cur.append((ln, t))
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def _parse_jupyter(lines: list, claimed: set, page: str, page_file: str) -> list:
    markers = [i for i, l in enumerate(lines) if _IN.match(l) or _OUT.match(l)]
    blocks = []
    for pos, i in enumerate(markers):
        m = _IN.match(lines[i])
        if not m:
            continue
        end = markers[pos + 1] if pos + 1 < len(markers) else len(lines)
        region = []
        if m.group(2).strip():
            region.append((i + 1, m.group(2)))
        region += [(j + 1, lines[j]) for j in range(i + 1, end)]
        # line numbers of blank lines matter only for claiming: keep them in the paragraphs
        code, out = [], []
        paras = _paragraphs(region)
        for p_i, para in enumerate(paras):
            gap = []
            if code:
                gap = [(ln, "") for ln in range(code[-1][0] + 1, para[0][0])]
            cand = code + gap + para
            k = _split_code_output(cand, len(code) + len(gap) + 1)
            if k is None:
                break
            code, out = cand[:k], cand[k:]
            if out:
                break
        if not code:
            continue
        code = _strip_trailing_blank(code)
        out = _strip_trailing_blank(out)
        for ln, _ in code + out:
            claimed.add(ln)
        claimed.add(i + 1)
        ex = Example(
            source="\n".join(t for _, t in code),
            lines=[ln for ln, _ in code],
            mode="cell",
            want="\n".join(t for _, t in out) if out else None,
            want_line=out[0][0] if out else None,
        )
        # Out[N]: the paragraph after the marker
        if end < len(lines):
            mo = _OUT.match(lines[end])
            if mo:
                claimed.add(end + 1)
                stop = markers[pos + 2] if pos + 2 < len(markers) else len(lines)
                val_region = []
                if mo.group(2).strip():
                    val_region.append((end + 1, mo.group(2)))
                val_region += [(j + 1, lines[j]) for j in range(end + 1, stop)]
                vparas = _paragraphs(val_region)
                if vparas:
                    ex.value_want = "\n".join(t for _, t in vparas[0])
                    ex.value_line = vparas[0][0][0]
                    for ln, _ in vparas[0]:
                        claimed.add(ln)
        label = f"In [{m.group(1)}]"
        blocks.append(Block(page, page_file, 0, "jupyter", label, ex.line, [ex]))
    return blocks


# --------------------------------------------------------------------------- reST / Markdown


def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip())


def _directive_content(lines: list, i: int, indent: int):
    """(options, [(lineno, text)], next_index) of the directive at lines[i]."""
    j = i + 1
    options = []
    while j < len(lines) and lines[j].strip().startswith(":") and _indent_of(lines[j]) > indent:
        options.append(lines[j].strip())
        j += 1
    content = []
    while j < len(lines):
        t = lines[j]
        if t.strip() and _indent_of(t) <= indent:
            break
        content.append((j + 1, t))
        j += 1
    content = _strip_trailing_blank(content)
    while content and not content[0][1].strip():
        content.pop(0)
    if content:
        dedent = min(_indent_of(t) for _, t in content if t.strip())
        content = [(ln, t[dedent:] if t.strip() else "") for ln, t in content]
    return options, content, j


def _parse_rest(lines: list, claimed: set, page: str, page_file: str) -> list:
    blocks = []
    i = 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, name, arg = len(m.group(1)), m.group(2), m.group(3).lower()
        options, content, nxt = _directive_content(lines, i, indent)
        claimed.add(i + 1)
        for ln, _ in content:
            claimed.add(ln)
        opts = frozenset("ELLIPSIS" for o in options if "+ELLIPSIS" in o)
        if name == "testoutput":
            prev = blocks[-1] if blocks else None
            if prev is not None and prev.kind == "testcode" and prev.examples[0].want is None:
                ex = prev.examples[0]
                ex.want = "\n".join(t for _, t in content)
                ex.want_line = content[0][0] if content else i + 1
                ex.options = ex.options | opts
        elif content and (name == "doctest" or (name != "testcode" and arg == "pycon")):
            blocks += _parse_doctest(content, page, page_file, f".. {name}::")
        elif content and (name == "testcode" or arg in _PY_LANGS):
            kind = "testcode" if name == "testcode" else "code-block"
            ex = Example(
                source="\n".join(t for _, t in content),
                lines=[ln for ln, _ in content],
                mode="exec",
                options=opts,
            )
            blocks.append(Block(page, page_file, 0, kind, f".. {name}::", ex.line, [ex]))
        i = max(nxt, i + 1)
    return blocks


def _parse_fences(lines: list, claimed: set, page: str, page_file: str) -> list:
    blocks = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2).lower()
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence[:3]):
            j += 1
        content = [(k + 1, lines[k]) for k in range(i + 1, min(j, len(lines)))]
        for k in range(i, min(j + 1, len(lines))):
            claimed.add(k + 1)
        if lang in _PY_LANGS and any(_PS1.match(t) for _, t in content):
            blocks += _parse_doctest(content, page, page_file, "```>>>")
        elif lang in _PY_LANGS and content:
            content = _strip_trailing_blank(content)
            ex = Example("\n".join(t for _, t in content), [ln for ln, _ in content], "exec")
            blocks.append(Block(page, page_file, 0, "code-block", "```" + lang, ex.line, [ex]))
        i = j + 1
    return blocks


# --------------------------------------------------------------------------- flattened code

_ASSIGN = re.compile(r"(?<![=!<>])\b[A-Za-z_][\w.\[\]]*\s*=\s*(?!=)[\w\[\(\{'\"‘-]")
_DOTTED_CALL = re.compile(r"\b[A-Za-z_]\w*\.[A-Za-z_][\w.]*\(")


def _glued_numbers(text: str) -> int:
    """Length of the run 1, 2, 3, ... of standalone integers appearing in order in *text*."""
    want = 1
    for m in re.finditer(r"(?<![\w.])\d+(?![\w.])", text):
        if int(m.group()) == want:
            want += 1
    return want - 1


def _flattened_damage(text: str) -> str | None:
    """Why *text* is code flattened onto one line, or None when it is not."""
    stripped = text.strip()
    if stripped.count(">>>") >= 2:
        return (
            "the scraper flattened a doctest session onto one line: %d `>>>` prompts and the "
            "shown outputs are glued together (e.g. `%s`), so statements and output cannot be "
            "told apart" % (stripped.count(">>>"), stripped[:40])
        )
    if len(stripped) < 100 or len(_CJK.findall(stripped)) > 0.02 * len(stripped):
        return None
    if len(_ASSIGN.findall(stripped)) < 2 or len(_DOTTED_CALL.findall(stripped)) < 2:
        return None
    reason = "the scraper flattened this code onto one line (line breaks lost"
    n = _glued_numbers(stripped)
    if n >= 5:
        reason += ", the listing's line numbers 1..%d glued into the code" % n
    if stripped.startswith("#"):
        reason += "; as one line it is a single comment"
    reason += ")"
    if "‘" in stripped or "’" in stripped:
        reason += "; quotes were turned into ‘ ’"
    return reason


def _parse_flattened(lines: list, claimed: set, page: str, page_file: str) -> list:
    blocks = []
    for i, text in enumerate(lines):
        if i + 1 in claimed:
            continue
        damage = _flattened_damage(text)
        if damage is None:
            continue
        claimed.add(i + 1)
        src = text.strip()
        if src.startswith(">>>"):
            src = src[3:].lstrip()
        ex = Example(src, [i + 1], "exec")
        blocks.append(
            Block(page, page_file, 0, "flattened", "flattened", i + 1, [ex], damage=damage)
        )
    return blocks


# --------------------------------------------------------------------------- entry points


def extract_text(text: str, page: str = "000", page_file: str = "") -> list:
    """All code blocks of a page's text, in page order, keyed."""
    lines = text.splitlines()
    claimed: set = set()
    blocks = []
    blocks += _parse_fences(lines, claimed, page, page_file)
    blocks += _parse_rest(lines, claimed, page, page_file)
    blocks += _parse_jupyter(lines, claimed, page, page_file)
    # doctest prompts outside fences and directives
    free = [(i + 1, l) for i, l in enumerate(lines) if i + 1 not in claimed]
    # keep line adjacency: a claimed line between two free lines separates chunks
    numbered, prev = [], None
    for ln, t in free:
        if prev is not None and ln != prev + 1:
            numbered.append((prev + 1, ""))
        numbered.append((ln, t))
        prev = ln
    doc_blocks = _parse_doctest(numbered, page, page_file)
    for b in doc_blocks:
        for ex in b.examples:
            claimed.update(ex.lines)
            if ex.want is not None:
                claimed.update(range(ex.want_line, ex.want_line + ex.want.count("\n") + 1))
    blocks += doc_blocks
    # flattened lines: `>>>` lines with glued prompts were skipped by the doctest parser
    blocks += _parse_flattened(lines, claimed, page, page_file)
    return _key_blocks(blocks, page)


def _key_blocks(blocks: list, page: str) -> list:
    """Sort *blocks* in page order, number them and give each its stable key."""
    blocks.sort(key=lambda b: b.line)
    seen: dict = {}
    for index, b in enumerate(blocks):
        b.index = index
        first = b.first_code_line
        if len(first) > _MAX_KEY:
            first = first[:_MAX_KEY]
        base = f"{page}:{first}"
        seen[base] = seen.get(base, 0) + 1
        b.key = base if seen[base] == 1 else "%s #%d" % (base, seen[base])
    return blocks


def extract_page(path, flavor: str = "scrape") -> list:
    """The blocks of the page file *path*; *flavor* ``"sphinx"`` for reST sources of Sphinx
    documentation (see :func:`extract_sphinx`), ``"scrape"`` for scraped pages."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if flavor == "sphinx":
        return extract_sphinx(text, page_id(path), path.name)
    return extract_text(text, page_id(path), path.name)


# --------------------------------------------------------------------------- Sphinx sources

_SPHINX_DIRECTIVE = re.compile(
    r"^(\s*)\.\.\s+(testsetup|testcleanup|testcode|testoutput|doctest|code-block|code|"
    r"sourcecode)::\s*(.*?)\s*$"
)
_EXPLICIT_MARKUP = re.compile(r"^(\s*)\.\.(?:\s+(.*))?$")
# explicit markup that is not a comment: a directive (``name::``, ``py:function::``), a
# hyperlink target (``.. _name:``), a footnote or citation (``.. [1]``), a substitution
SPHINX_DEFAULT_OPTIONS = frozenset({"ELLIPSIS"})
_NOT_COMMENT = re.compile(r"^(?:[\w.+-]+(?::[\w.+-]+)*::|_|\[|\|)")
_INLINE_SKIP = re.compile(r"#\s*doctest:.*\+SKIP")


def rest_comment_lines(lines: list) -> set:
    """Page lines (1-based) of reST comments: explicit markup (``..``) that is no directive,
    target, footnote or substitution (``.. note:`` with one colon is a comment), with its
    indented body.  Docutils drops comments, so code in them is not on the page."""
    out: set = set()
    i = 0
    while i < len(lines):
        m = _EXPLICIT_MARKUP.match(lines[i])
        if not m or _NOT_COMMENT.match(m.group(2) or ""):
            i += 1
            continue
        indent = len(m.group(1))
        out.add(i + 1)
        j = i + 1
        if not (m.group(2) or "").strip() and j < len(lines) and not lines[j].strip():
            i = j  # an empty comment ends at a blank line
            continue
        while j < len(lines) and (not lines[j].strip() or _indent_of(lines[j]) > indent):
            out.add(j + 1)
            j += 1
        i = j
    return out


def _groups(arg: str, default: str = "default") -> list:
    names = [g.strip() for g in arg.split(",") if g.strip()]
    return names or [default]


def _option_flags(options: list) -> tuple:
    """(flags to add, skip) from ``:options: +ELLIPSIS, +SKIP`` option lines."""
    flags, skip = set(), False
    for o in options:
        if o.startswith(":options:"):
            for f in re.findall(r"([+-])(\w+)", o):
                if f[1] == "SKIP" and f[0] == "+":
                    skip = True
                elif f[0] == "+":
                    flags.add(f[1])
    return flags, skip


def extract_sphinx(text: str, page: str = "000", page_file: str = "") -> list:
    """The code of a reST page as Sphinx's doctest builder (``sphinx.ext.doctest``) sees it,
    plus its Python code-blocks.

    * ``>>>`` paragraphs and ``.. doctest::`` content are doctest examples; ``.. testcode::``
      is a script whose printed output is compared with the ``.. testoutput::`` of the same
      group that follows it; ``.. testsetup::`` runs before the other code of its group
      (``*``: of every group).  A block's group (the directive's argument, ``default`` when
      there is none and for ``>>>`` paragraphs) is the namespace it runs in.
    * Sphinx's default doctest flags hold for every example: ``ELLIPSIS`` (``...`` in the
      shown output matches anything); ``+SKIP`` (inline ``# doctest: +SKIP`` or a
      testoutput's ``:options: +SKIP``) marks the example not run, as Sphinx does.
    * ``.. code-block:: python`` (``code``, ``sourcecode``) content is a **code-block**, group
      ``default``.  Sphinx never ran those; the runner decides whether one is a program or a
      fragment.
    * reST comments (explicit markup that is no directive, e.g. ``.. note:`` with one colon)
      and their bodies are not part of the page.
    """
    lines = text.splitlines()
    claimed = rest_comment_lines(lines)
    blocks: list = []
    pending: dict = {}  # group -> last testcode Block still waiting for its testoutput
    i = 0
    while i < len(lines):
        m = _SPHINX_DIRECTIVE.match(lines[i])
        if not m or i + 1 in claimed:
            i += 1
            continue
        indent, name, arg = len(m.group(1)), m.group(2), m.group(3)
        options, content, nxt = _directive_content(lines, i, indent)
        claimed.add(i + 1)
        for ln, _ in content:
            claimed.add(ln)
        flags, skip = _option_flags(options)
        opts = SPHINX_DEFAULT_OPTIONS | flags
        label = f".. {name}::" + (f" {arg}" if arg and not name.startswith("code") else "")
        if name == "testoutput":
            for g in _groups(arg):
                prev = pending.pop(g, None)
                if prev is None:
                    continue
                ex = prev.examples[0]
                ex.want = "\n".join(t for _, t in content)
                ex.want_line = content[0][0] if content else i + 1
                ex.options = ex.options | opts
                if skip:
                    ex.skip = "the page marks its output `:options: +SKIP`: Sphinx does not run it"
        elif name == "doctest":
            for b in _parse_doctest(content, page, page_file, label):
                b.group = _groups(arg)[0]
                blocks.append(b)
        elif content and name in ("testcode", "testsetup", "testcleanup"):
            ex = Example(
                source="\n".join(t for _, t in content),
                lines=[ln for ln, _ in content],
                mode="exec",
                options=opts,
            )
            b = Block(page, page_file, 0, name, label, ex.line, [ex], group=_groups(arg)[0])
            blocks.append(b)
            if name == "testcode":
                for g in _groups(arg):
                    pending[g] = b
        elif content and arg.lower() in _PY_LANGS and name != "testoutput":
            ex = Example(
                source="\n".join(t for _, t in content),
                lines=[ln for ln, _ in content],
                mode="exec",
                options=opts,
            )
            blocks.append(Block(page, page_file, 0, "code-block", label, ex.line, [ex]))
        i = max(nxt, i + 1)
    free = [(i + 1, l) for i, l in enumerate(lines) if i + 1 not in claimed]
    numbered, prev = [], None
    for ln, t in free:
        if prev is not None and ln != prev + 1:
            numbered.append((prev + 1, ""))
        numbered.append((ln, t))
        prev = ln
    blocks += _parse_doctest(numbered, page, page_file)
    for b in blocks:
        if b.kind != "doctest":
            continue
        for ex in b.examples:
            ex.options = ex.options | SPHINX_DEFAULT_OPTIONS
            if _INLINE_SKIP.search(ex.source):
                ex.skip = "the page marks it `# doctest: +SKIP`: Sphinx does not run it"
    return _key_blocks(blocks, page)
