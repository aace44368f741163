"""Plan, run and judge the code blocks of the pages: Theano 1.0.5's tutorial (reST sources,
read as Sphinx's doctest builder does; see :func:`_plan_sphinx`) and the scraped seed pages.

A page runs in a fresh subprocess (``worker.py``) with ``THEANO_FLAGS=floatX=<the page's
floatX>`` (see ``pages.py``): a seed page's blocks in page order in one namespace, like a
notebook or a doctest session; a tutorial page's Sphinx groups one after the other, each in its
own namespace.  Before a block runs, and only in memory:

1. IPython ``%magic``/``!shell`` lines are blanked (not Python);
2. Python 2 code is converted (:func:`legacy.py2to3.to_py3`; only if it is not Python 3);
3. display statements are removed: an import of matplotlib/pylab, and every top-level
   statement that uses a name such an import bound or that an earlier display statement
   assigned (``ax = plt.gca()`` -> ``ax.spines[...]``).  No display exists here and matplotlib
   is not faked; the computation around the plots still runs.  A block left with no statement
   is listed as skipped ("needs a display").

Each removal and conversion is reported with the block.  Everything else runs as on the page.
"""

from __future__ import annotations

import ast
import builtins
import collections
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import compare as cmp
from . import extract, py2to3, sources
from .pages import KnownGap, OutputPolicy, PageInfo, doc_page_info, page_info
from .sources import default_seeds_dir

__all__ = [
    "BlockResult",
    "PageResult",
    "default_seeds_dir",
    "format_page",
    "main",
    "plan_page",
    "run_page",
]

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("worker.py")
DISPLAY_MODULES = ("matplotlib", "pylab")
_MAGIC = re.compile(r"^\s*([%!].*)$")

# block statuses
MATCHED, RAN, SKIPPED = "MATCHED", "RAN", "SKIPPED"
MISMATCH, ERROR, NOT_RUN = "MISMATCH", "ERROR", "NOT RUN"
FAILED = (MISMATCH, ERROR, NOT_RUN)
XFAIL = "KNOWN GAP"  # failed as a known gap of this project says it does (legacy/pages.py)


# --------------------------------------------------------------------------- planning


@dataclass
class Unit:
    """One example as it will run."""

    id: str
    example: extract.Example
    source: str | None  # code to run; None when the example does not run
    mode: str
    filename: str
    notes: list = field(default_factory=list)
    skip: str | None = None  # why it does not run (display only)
    syntax_error: str | None = None
    ns: str = "default"  # the namespace (Sphinx group) it runs in
    silent: bool = False  # no output shown means "prints nothing" (Sphinx doctest, testcode)
    isolated: bool = False  # runs in a copy of the namespace: its bindings are dropped after


@dataclass
class PlannedBlock:
    block: extract.Block
    units: list
    skip: str | None = None  # why the whole block is not run
    notes: list = field(default_factory=list)
    policy: OutputPolicy | None = None
    known: KnownGap | None = None  # a known gap of the project: the block is expected to fail


class _DisplayTracker:
    """Names bound by display code, across the blocks of a page."""

    def __init__(self):
        self.names: set = set()

    @staticmethod
    def _bound(stmt) -> set:
        out = set()
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                out.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.add(node.name)
            elif isinstance(node, ast.alias):
                out.add((node.asname or node.name).split(".")[0])
        return out

    def is_display(self, stmt) -> bool:
        if isinstance(stmt, ast.Import):
            if any(a.name.split(".")[0] in DISPLAY_MODULES for a in stmt.names):
                self.names |= self._bound(stmt)
                return True
            return False
        if isinstance(stmt, ast.ImportFrom):
            if (stmt.module or "").split(".")[0] in DISPLAY_MODULES:
                self.names |= self._bound(stmt)
                return True
            return False
        used = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        if used & self.names:
            self.names |= self._bound(stmt)
            return True
        return False


def _changes_summary(changes: list) -> str:
    kinds = collections.Counter(re.sub(r"^line \d+: ", "", c) for c in changes)
    return ", ".join("{}{}".format(k, " (x%d)" % n if n > 1 else "") for k, n in kinds.items())


def _prepare(
    ex: extract.Example,
    uid: str,
    filename: str,
    tracker: _DisplayTracker,
    magics: bool = True,
) -> Unit:
    unit = Unit(uid, ex, None, ex.mode, filename)
    lines = ex.source.split("\n")
    removed = []
    # 1. IPython magics and shell escapes (scraped notebooks only: reST sources have none)
    for i, line in enumerate(lines if magics else ()):
        m = _MAGIC.match(line)
        if m:
            what = (
                "IPython magic selecting the notebook's plot display"
                if "matplotlib" in line
                else "IPython magic, not Python"
            )
            removed.append(f"L{ex.page_line(i + 1)} `{m.group(1).strip()}` ({what})")
            lines[i] = ""
    src = "\n".join(lines)
    # 2. Python 2 -> 3, in memory
    conv = py2to3.to_py3(src + "\n", "single" if ex.mode == "single" else "exec")
    if conv.changed:
        unit.notes.append("Python 2 converted in memory: " + _changes_summary(conv.changes))
    src = conv.source.removesuffix("\n")
    if not conv.ok:
        try:
            compile(src, filename, "single" if ex.mode == "single" else "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = ex.page_line(exc.lineno or 1)
            unit.syntax_error = "SyntaxError: {} at page line {}: {}".format(
                exc.msg,
                line,
                (exc.text or "").strip(),
            )
        if removed:
            unit.notes.append("removed (no display): " + "; ".join(removed))
        unit.source = src
        return unit
    # 3. display statements
    tree = ast.parse(src, filename)
    lines = src.split("\n")
    kept_lines = set()
    display = []
    for stmt in tree.body:
        span = range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
        if tracker.is_display(stmt):
            display.append(stmt)
        else:
            kept_lines.update(span)
    for stmt in reversed(display):
        first = (ast.get_source_segment(src, stmt) or lines[stmt.lineno - 1]).split("\n")[0].strip()
        removed.append(f"L{ex.page_line(stmt.lineno)} `{first}`")
        end = stmt.end_lineno or stmt.lineno
        if any(ln in kept_lines for ln in range(stmt.lineno, end + 1)):
            # shares a line with kept code (`a = f(); plt.plot(a)`): replace just the statement
            # (a multi-line one becomes `(None` ... `)`, keeping the line count)
            first_line, last_line = lines[stmt.lineno - 1], lines[end - 1]
            if stmt.lineno == end:
                lines[end - 1] = (
                    first_line[: stmt.col_offset] + "pass" + first_line[stmt.end_col_offset :]
                )
            else:
                lines[stmt.lineno - 1] = first_line[: stmt.col_offset] + "(None"
                for ln in range(stmt.lineno + 1, end):
                    lines[ln - 1] = ""
                lines[end - 1] = ")" + last_line[stmt.end_col_offset :]
            continue
        for ln in range(stmt.lineno, end + 1):
            lines[ln - 1] = ""
    if removed:
        removed_sorted = sorted(
            removed,
            key=lambda r: int(re.match(r"L(\d+)", r).group(1)) if re.match(r"L\d+", r) else 0,
        )
        unit.notes.append("removed (no display): " + "; ".join(removed_sorted))
    src = "\n".join(lines)
    if display and len(display) == len(tree.body):
        unit.skip = "needs a display (matplotlib): every statement plots"
        return unit
    if not tree.body and removed:
        unit.skip = "needs a display: only IPython magics"
        return unit
    unit.source = src
    return unit


def _compiles_after_conversion(block: extract.Block) -> bool:
    for ex in block.examples:
        src = "\n".join("" if _MAGIC.match(l) else l for l in ex.source.split("\n"))
        if not py2to3.to_py3(src + "\n", "single" if ex.mode == "single" else "exec").ok:
            return False
    return True


def plan_page(path, flavor: str = "scrape") -> tuple:
    """(page id, PageInfo, [PlannedBlock], [problem]) for the page file *path*; *flavor*
    ``"sphinx"`` for a reST page of the Theano docs, ``"scrape"`` for a seed page."""
    path = Path(path)
    page = extract.page_id(path)
    if flavor == "sphinx":
        return _plan_sphinx(path, page)
    info = page_info(page)
    blocks = extract.extract_page(path)
    problems = []
    keys = {b.key.split(":", 1)[1] for b in blocks}
    for table, entries in (("damaged", info.damaged), ("outputs", info.outputs)):
        for key in entries:
            if key not in keys:
                problems.append(
                    f"legacy/pages.py: {table} entry {key!r} of page {page} "
                    "matches no block on the page"
                )
    tracker = _DisplayTracker()
    planned = []
    for b in blocks:
        short = b.key.split(":", 1)[1]
        pb = PlannedBlock(b, [], policy=info.outputs.get(short))
        reasons = [r for r in (b.damage, info.damaged.get(short)) if r]
        if reasons:
            pb.skip = "damaged in scraping: " + "; ".join(reasons)
            if short in info.damaged and _compiles_after_conversion(b):
                pb.notes.append("note: listed as damaged, yet the code compiles")
            planned.append(pb)
            continue
        for k, ex in enumerate(b.examples):
            uid = "%d.%d" % (b.index, k)
            filename = "<page %s line %d>" % (page, ex.line)
            unit = _prepare(ex, uid, filename, tracker)
            unit.notes[:0] = ex.notes
            pb.units.append(unit)
        if pb.units and all(u.skip for u in pb.units):
            pb.skip = pb.units[0].skip
        planned.append(pb)
    return page, info, planned, problems


_BUILTINS = frozenset(dir(builtins))


def _bound_names(tree) -> set:
    """Every name *tree* binds anywhere (assignments, imports, defs, arguments, ...)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
    return out


def _parse_any(source: str):
    """The AST of *source* (Python 3, or Python 2 converted in memory), or None."""
    conv = py2to3.to_py3(source + "\n", "exec")
    try:
        return ast.parse(conv.source if conv.ok else source)
    except SyntaxError:
        return None


def fragment_reason(source: str, known: set) -> str | None:
    """Why a code-block is a fragment rather than a program, or None when it can run.

    Sphinx never runs ``.. code-block::`` content; the Theano docs use it for programs and
    for illustrations.  A fragment: it does not parse (``cost = something that depends on
    subset``), uses ``...`` for code the page leaves out (``theano.function(...)``), or uses
    a name that nothing on the page binds before it (*known*) and that is no builtin
    (``conv2d(input, filters, ...)``).
    """
    tree = _parse_any(source)
    if tree is None:
        try:
            compile(source + "\n", "<code-block>", "exec", dont_inherit=True)
            detail = ""
        except SyntaxError as exc:
            detail = ": %s: %s" % (exc.msg, (exc.text or "").strip())
        return "a fragment, not a program: it does not parse as Python" + detail
    if any(isinstance(n, ast.Constant) and n.value is Ellipsis for n in ast.walk(tree)):
        return "a fragment, not a program: `...` stands for code the page leaves out"
    used = {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    free = sorted(used - _bound_names(tree) - known - _BUILTINS)
    if free:
        return "a fragment, not a program: it uses %s, which nothing on the page defines" % (
            ", ".join("`%s`" % n for n in free)
        )
    return None


def _plan_sphinx(path: Path, page: str) -> tuple:
    """Plan a reST page of the Theano docs (see :func:`legacy.extract.extract_sphinx`).

    Blocks keep their Sphinx group: each group is a namespace, and the runner runs a group's
    setup, then its blocks in page order, group after group (as Sphinx's doctest builder
    does).  Code-blocks run in the ``default`` namespace, each in a copy of it (Sphinx never
    ran them, so the tested code after them must not see what they bind), unless they are
    fragments (:func:`fragment_reason`).  The page's table (``legacy.pages.DOC_PAGES``)
    gives blocks that are not run, with the reason (GPU, a missing external program...).
    """
    info = doc_page_info(page)
    blocks = extract.extract_page(path, "sphinx")
    problems = []
    keys = {b.key.split(":", 1)[1] for b in blocks}
    for table, entries in (("skip", info.skip), ("outputs", info.outputs), ("known", info.known)):
        for key in entries:
            if key not in keys:
                problems.append(
                    f"legacy/pages.py: {table} entry {key!r} of page {page} "
                    "matches no block on the page"
                )
    # names each group binds: setup code first, then the blocks in page order
    known: dict = collections.defaultdict(set)
    for b in blocks:
        if b.kind in ("testsetup",):
            tree = _parse_any(b.source)
            if tree is not None:
                for g in _setup_targets(b.group, blocks):
                    known[g] |= _bound_names(tree)
    tracker = _DisplayTracker()
    planned = []
    for b in blocks:
        short = b.key.split(":", 1)[1]
        pb = PlannedBlock(b, [], policy=info.outputs.get(short), known=info.known.get(short))
        if short in info.skip:
            pb.skip = info.skip[short]
            planned.append(pb)
            continue
        if b.kind == "code-block":
            reason = fragment_reason(b.source, known[b.group])
            if reason:
                pb.skip = reason
                planned.append(pb)
                continue
        elif b.kind not in ("testsetup", "testcleanup"):
            tree = _parse_any(b.source)
            if tree is not None:
                known[b.group] |= _bound_names(tree)
        for k, ex in enumerate(b.examples):
            uid = "%d.%d" % (b.index, k)
            filename = "<page %s line %d>" % (page, ex.line)
            unit = _prepare(ex, uid, filename, tracker, magics=False)
            unit.notes[:0] = ex.notes
            unit.ns = b.group
            unit.isolated = b.kind == "code-block"
            # Sphinx compares a doctest example or a testcode with what the page shows after
            # it, nothing when it shows nothing; setup code and code-blocks are not compared
            unit.silent = b.kind in ("doctest", "testcode")
            if ex.skip and not unit.skip:
                unit.skip = ex.skip
            pb.units.append(unit)
        if b.kind == "code-block":
            pb.notes.append(
                "code-block (never run by Sphinx): runs in a copy of the page's namespace"
            )
        if pb.units and all(u.skip for u in pb.units):
            pb.skip = pb.units[0].skip
        planned.append(pb)
    return page, info, planned, problems


def _setup_targets(group: str, blocks: list) -> list:
    """The groups a testsetup of *group* applies to (``*``: every group on the page)."""
    if group != "*":
        return [group]
    return sorted({b.group for b in blocks if b.group != "*"} | {"default"})


def execution_order(planned: list) -> list:
    """The units of a planned page in the order they run.

    Scraped pages: page order.  Sphinx pages (blocks carry groups): group after group, in the
    order the groups first appear; in each group its ``testsetup`` code (and that of ``*``)
    first, then its blocks in page order, then its ``testcleanup`` code.
    """
    runnable = [
        (pb, u)
        for pb in planned
        if not pb.skip
        for u in pb.units
        if u.source is not None and not u.skip and not u.syntax_error
    ]
    kinds = {pb.block.kind for pb, _ in runnable}
    if not kinds & {"testsetup", "testcleanup"} and len({u.ns for _, u in runnable}) <= 1:
        return [u for _, u in runnable]
    groups: list = []
    for pb in planned:
        g = pb.block.group
        if g != "*" and pb.block.kind not in ("testsetup", "testcleanup") and g not in groups:
            groups.append(g)
    order = []
    for g in groups:
        setup = [(pb, u) for pb, u in runnable if pb.block.kind == "testsetup"]
        setup = [(pb, u) for pb, u in setup if pb.block.group in (g, "*")]
        body = [
            (pb, u)
            for pb, u in runnable
            if pb.block.group == g and pb.block.kind not in ("testsetup", "testcleanup")
        ]
        cleanup = [
            (pb, u)
            for pb, u in runnable
            if pb.block.kind == "testcleanup" and pb.block.group in (g, "*")
        ]
        for pb, u in setup + body + cleanup:
            copy = Unit(**{**u.__dict__, "id": u.id + "@" + g if pb.block.group == "*" else u.id})
            copy.ns = g
            order.append(copy)
    return order


# --------------------------------------------------------------------------- results


@dataclass
class Outcome:
    unit: Unit
    status: str  # MATCHED / RAN / SKIPPED / MISMATCH / ERROR / NOT RUN
    detail: str = ""
    comparisons: list = field(default_factory=list)  # (label, page line, Comparison)
    result: dict | None = None


@dataclass
class BlockResult:
    planned: PlannedBlock
    status: str
    reason: str = ""
    notes: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def block(self) -> extract.Block:
        return self.planned.block

    @property
    def ok(self) -> bool:
        return self.status not in FAILED

    def failure_message(self) -> str:
        """Which block, the code line, and the error or the diff of the output."""
        b = self.block
        out = [
            "page %s, block %r (%s %s, page line %d): %s"
            % (b.page, b.key, b.kind, b.label, b.line, self.status)
        ]
        for oc in self.outcomes:
            if oc.status not in FAILED:
                continue
            ex = oc.unit.example
            err = (oc.result or {}).get("error") if oc.status == ERROR else None
            line, code = ex.line, ex.source.split("\n")[0].strip()
            if err and err.get("lineno") and ex.page_line(err["lineno"]) is not None:
                line = ex.page_line(err["lineno"])
                code = ex.source.split("\n")[err["lineno"] - 1].strip()
            out.append("  at page line %d: %s" % (line, code))
            if err:
                tb = err["traceback"].rstrip().splitlines()
                out.append(textwrap.indent("\n".join(tb[-12:]), "    | "))
            elif oc.detail:
                out.append(textwrap.indent(oc.detail, "    "))
            for label, want_line, c in oc.comparisons:
                if not c.ok:
                    out.append(f"    {label} differs from the page (line {want_line}): {c.message}")
                    out.append(textwrap.indent(c.diff, "    "))
        return "\n".join(out)


@dataclass
class PageResult:
    page: str
    path: Path
    info: PageInfo
    blocks: list
    problems: list = field(default_factory=list)
    python: str = ""
    stderr: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and all(b.ok for b in self.blocks)

    def block(self, key: str) -> BlockResult:
        for b in self.blocks:
            if b.block.key == key:
                return b
        raise KeyError(key)

    def counts(self) -> dict:
        c = collections.Counter(b.status for b in self.blocks)
        return {
            "blocks": len(self.blocks),
            "matched": c[MATCHED],
            "ran": c[RAN],
            "skipped": c[SKIPPED],
            "failed": sum(c[s] for s in FAILED),
            "known": c[XFAIL],
        }

    @property
    def stale(self) -> list:
        """Blocks listed as a known gap that no longer fail (the entry can go)."""
        return [b for b in self.blocks if b.planned.known is not None and b.status != XFAIL
                and b.status != SKIPPED]


_TRACEBACK = re.compile(r"^Traceback \((?:most recent call last|innermost last)\):\s*$", re.M)


def expected_exception(want: str | None) -> str | None:
    """The exception line of a traceback shown as output, as doctest finds it: the first
    line after the ``Traceback (most recent call last):`` header that starts with a letter
    (``ValueError: Input dimension mis-match...``); None when the output shows no traceback.
    Only the exception's type is compared (doctest's IGNORE_EXCEPTION_DETAIL, on by default
    in Sphinx): the message and the lines after it vary with the version and the run."""
    if want is None:
        return None
    m = _TRACEBACK.search(want.lstrip())
    if m is None or m.start() != 0:
        return None
    for line in want.lstrip()[m.end() :].splitlines():
        if line[:1].isalpha() or line[:1] == "_":
            return line.strip()
    return None


def _judge_unit(unit: Unit, result: dict | None, policy: OutputPolicy | None) -> Outcome:
    ex = unit.example
    if unit.skip:
        return Outcome(unit, SKIPPED, unit.skip)
    if unit.syntax_error:
        return Outcome(unit, ERROR, unit.syntax_error)
    if result is None:
        return Outcome(unit, NOT_RUN, "no result: the page's worker process ended before this ran")
    oc = Outcome(unit, RAN, result=result)
    err = result.get("error")
    if err:
        expected = expected_exception(ex.want)
        if expected is not None:
            got = "{}: {}".format(err["type"], err["message"])
            ok = got.split(":")[0].split(".")[-1] == expected.split(":")[0].split(".")[-1]
            oc.status = MATCHED if ok else MISMATCH
            oc.detail = "" if ok else "expected %s, raised %s" % (expected, _short(got, 200))
            return oc
        line = ex.page_line(err.get("lineno") or 0)
        code = ""
        if line is not None and err.get("lineno"):
            code = (unit.source or "").split("\n")[err["lineno"] - 1].strip()
        oc.status = ERROR
        oc.detail = "{}: {}{}".format(
            err["type"],
            err["message"],
            f" (page line {line}: {code})" if line is not None else "",
        )
        return oc
    if policy is not None and policy.compare == "none":
        return oc
    numbers = policy is None
    ellipsis = "ELLIPSIS" in ex.options
    if ex.want is not None:
        c = cmp.compare(ex.want, result["stdout"], ellipsis=ellipsis, numbers=numbers)
        oc.comparisons.append(("printed output", ex.want_line, c))
    elif unit.silent and result["stdout"].strip():
        c = cmp.Comparison(
            False,
            "",
            result["stdout"].rstrip(),
            "the page shows no output here (Sphinx expects none); the code printed %r"
            % _short(result["stdout"].strip(), 80),
        )
        oc.comparisons.append(("printed output", ex.line, c))
    if ex.value_want is not None:
        if not result.get("has_value"):
            c = cmp.Comparison(
                False,
                ex.value_want,
                "",
                "the page shows an Out[] value, the cell's last statement gave none",
            )
        else:
            c = cmp.compare(ex.value_want, result["value"], ellipsis=ellipsis, numbers=numbers)
        oc.comparisons.append(("Out[] value", ex.value_line, c))
    if oc.comparisons:
        oc.status = MATCHED if all(c.ok for _, _, c in oc.comparisons) else MISMATCH
    return oc


def _judge_block(pb: PlannedBlock, results: dict) -> BlockResult:
    if pb.skip:
        return BlockResult(pb, SKIPPED, pb.skip, list(pb.notes))
    outcomes = [_judge_unit(u, results.get(u.id), pb.policy) for u in pb.units]
    statuses = [o.status for o in outcomes]
    notes = list(pb.notes)
    for u in pb.units:
        for n in u.notes:
            if n not in notes:
                notes.append(n)
    for o in outcomes:
        for _, _, c in o.comparisons:
            for n in c.notes:
                if n not in notes:
                    notes.append(n)
    if pb.policy is not None:
        what = "numbers not compared" if pb.policy.compare == "text" else "output not compared"
        notes.append(f"{what}: {pb.policy.reason}")
    reason = ""
    for status in (ERROR, MISMATCH, NOT_RUN):
        if status in statuses:
            first = outcomes[statuses.index(status)]
            reason = first.detail or next(
                (c.message for _, _, c in first.comparisons if not c.ok), ""
            )
            break
    else:
        status = MATCHED if MATCHED in statuses else RAN
    skipped = [o for o in outcomes if o.status == SKIPPED]
    if skipped:
        notes.append("%d statement(s) not run: %s" % (len(skipped), skipped[0].detail))
    seconds = sum((o.result or {}).get("seconds", 0.0) for o in outcomes)
    result = BlockResult(pb, status, reason, notes, outcomes, seconds)
    if pb.known is not None:
        if status in FAILED and pb.known.match in result.failure_message():
            result.notes.insert(0, f"fails as expected ({status}): {reason}")
            result.status, result.reason = XFAIL, pb.known.reason
        elif status in FAILED:
            result.notes.insert(
                0,
                f"listed as a known gap, but the failure does not show {pb.known.match!r}: "
                "it fails for another reason",
            )
        else:
            result.notes.insert(
                0, "listed as a known gap in legacy/pages.py, yet it passes: drop the entry"
            )
    return result


# --------------------------------------------------------------------------- running


def _worker_command(python) -> list:
    if python:
        cmd = shlex.split(python)
        if os.sep in cmd[0] and Path(cmd[0]).exists():  # the worker runs in a scratch cwd
            cmd[0] = str(Path(cmd[0]).resolve())
        return cmd + [str(WORKER)]
    return [sys.executable, str(WORKER)]


def run_page(
    path, python: str | None = None, timeout: float = 900.0, flavor: str = "scrape"
) -> PageResult:
    """Run every runnable block of the page file *path* and judge it."""
    page, info, planned, problems = plan_page(path, flavor)
    units = execution_order(planned)
    results: dict = {}
    stderr = ""
    python_version = ""
    t0 = time.perf_counter()
    if units:
        with tempfile.TemporaryDirectory(prefix=f"legacy-page-{page}-") as tmp:
            job = Path(tmp) / "job.json"
            res = Path(tmp) / "results.jsonl"
            job.write_text(
                json.dumps(
                    {
                        "units": [
                            {
                                "id": u.id,
                                "source": u.source,
                                "mode": u.mode,
                                "filename": u.filename,
                                "ns": u.ns,
                                "isolated": u.isolated,
                            }
                            for u in units
                        ]
                    }
                ),
                encoding="utf-8",
            )
            env = os.environ.copy()
            flags = env.get("THEANO_FLAGS", "")
            env["THEANO_FLAGS"] = (flags + "," if flags else "") + "floatX=" + info.floatX
            if not python:  # the project importable without installing it
                pp = env.get("PYTHONPATH", "")
                env["PYTHONPATH"] = str(REPO) + (os.pathsep + pp if pp else "")
            workdir = Path(tmp) / "cwd"
            workdir.mkdir()
            cmd = _worker_command(python) + [str(job), str(res)]
            try:
                proc = subprocess.run(
                    cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
                )
                stderr = (proc.stdout or "") + (proc.stderr or "")
                if proc.returncode != 0:
                    problems.append(
                        "page worker exited with status %d: %s"
                        % (proc.returncode, _tail(stderr, 15))
                    )
            except subprocess.TimeoutExpired as exc:
                stderr = _decode(exc.stdout) + _decode(exc.stderr)
                problems.append(f"page worker timed out after {timeout:.0f} s (--timeout)")
            if res.exists():
                for line in res.read_text(encoding="utf-8").splitlines():
                    try:
                        r = json.loads(line)
                    except ValueError:
                        continue
                    if r.get("id") is None:
                        python_version = (r.get("python") or "").split()[0]
                    else:
                        results[r["id"]] = r
    # a `testsetup:: *` block ran once per group (ids `N.K@group`): judged by its first failing
    # run, or its first run
    for rid in sorted(results):
        base = rid.split("@", 1)[0]
        if base == rid:
            continue
        if base not in results or (
            results[rid].get("error") and not results[base].get("error")
        ):
            results[base] = results[rid]
    blocks = [_judge_block(pb, results) for pb in planned]
    _mark_consequences(blocks)
    return PageResult(
        page, Path(path), info, blocks, problems, python_version, stderr, time.perf_counter() - t0
    )


def _mark_consequences(blocks: list) -> None:
    """A NameError after an earlier failure on the page is most likely caused by it: say so."""
    first_failed = None
    for br in blocks:
        if br.status == ERROR and first_failed is not None and "NameError" in br.reason:
            br.notes.insert(
                0,
                f"an earlier block on this page failed ({first_failed}); "
                "this is likely a consequence",
            )
        if br.status in FAILED and first_failed is None:
            first_failed = br.block.key


def _decode(b) -> str:
    if b is None:
        return ""
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def _tail(text: str, n: int) -> str:
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return "\n".join(lines[-n:])


# --------------------------------------------------------------------------- report


def _short(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def _block_title(b: extract.Block) -> str:
    first = b.key.split(":", 1)[1]
    return (f"{b.label} {first}") if b.kind == "jupyter" else first


def format_page(pr: PageResult, verbose: bool = False) -> str:
    out = []
    info = pr.info
    out.append(f"== page {pr.page} ({pr.path.name}): {info.title}")
    out.append(f"   floatX={info.floatX}: {info.floatX_reason}")
    for n in info.notes:
        out.extend(textwrap.wrap(n, 100, initial_indent="   * ", subsequent_indent="     "))
    out.append("   %-5s %-10s %-48s %-9s %s" % ("line", "kind", "block (key)", "status", "time"))
    for br in pr.blocks:
        b = br.block
        secs = f"{br.seconds:.2f}s" if br.outcomes and br.seconds else ""
        out.append(
            "   %-5d %-10s %-48s %-9s %s"
            % (b.line, b.kind, _short(_block_title(b), 48), br.status, secs)
        )
        detail = []
        if br.reason:
            detail.append(("why: " if br.status == SKIPPED else "") + br.reason)
        detail += br.notes
        for d in detail:
            out.extend(
                textwrap.wrap(d, 110, initial_indent="         - ", subsequent_indent="           ")
            )
        if br.status in FAILED:
            out.append(textwrap.indent(br.failure_message(), "         ! "))
        if verbose:
            for oc in br.outcomes:
                ex = oc.unit.example
                out.append("         [line %d] %s %s" % (ex.line, oc.status, oc.detail))
                if oc.unit.source is not None:
                    out.append(textwrap.indent(oc.unit.source.rstrip(), "           > "))
                if oc.result:
                    if oc.result.get("stdout"):
                        out.append(
                            textwrap.indent(_limit(oc.result["stdout"]).rstrip(), "           | ")
                        )
                    if oc.result.get("has_value"):
                        out.append(textwrap.indent(_limit(oc.result["value"]), "           = "))
                for label, line, c in oc.comparisons:
                    out.append(
                        "           {} vs page line {}: {} {}".format(
                            label, line, "ok" if c.ok else "DIFFERS", c.message
                        )
                    )
                    if c.expected:
                        out.append(textwrap.indent(_limit(c.expected), "           page| "))
    for p in pr.problems:
        out.append("   ! " + p)
    c = pr.counts()
    out.append(
        "   page %s: %d blocks: %d matched, %d ran, %d skipped, %d failed%s%s  (%.1fs%s)"
        % (
            pr.page,
            c["blocks"],
            c["matched"],
            c["ran"],
            c["skipped"],
            c["failed"],
            ", %d known gap(s)" % c["known"] if c["known"] else "",
            " + %d problem(s)" % len(pr.problems) if pr.problems else "",
            pr.seconds,
            ", Python " + pr.python if pr.python else "",
        )
    )
    if verbose and pr.stderr.strip():
        out.append("   worker stderr (tail):")
        out.append(textwrap.indent(_tail(pr.stderr, 20), "   | "))
    return "\n".join(out)


def _limit(text: str, n: int = 2000) -> str:
    return text if len(text) <= n else text[:n] + "\n... (%d more characters)" % (len(text) - n)


def format_plan(path, flavor: str = "scrape") -> str:
    """The blocks of a page and what will happen to them, without running anything."""
    page, info, planned, problems = plan_page(path, flavor)
    out = [
        f"== page {page} ({Path(path).name}): {info.title}",
        f"   floatX={info.floatX}",
    ]
    for pb in planned:
        b = pb.block
        what = "skip: " + pb.skip if pb.skip else "run"
        if pb.policy is not None:
            what += " (%s)" % (
                "numbers not compared" if pb.policy.compare == "text" else "output not compared"
            )
        out.append("   %-5d %-10s key=%r" % (b.line, b.kind, b.key))
        out.extend(
            textwrap.wrap(what, 110, initial_indent="         ", subsequent_indent="           ")
        )
        for u in pb.units:
            shown = []
            if u.example.want is not None:
                shown.append(f"output at line {u.example.want_line}")
            if u.example.value_want is not None:
                shown.append(f"Out[] at line {u.example.value_line}")
            flags = [u.skip or "", u.syntax_error or ""] + u.notes
            flags = [f for f in flags if f]
            if shown or flags:
                out.append("         line %d: %s" % (u.example.line, "; ".join(shown + flags)))
    for p in problems:
        out.append("   ! " + p)
    return "\n".join(out)


def result_json(pr: PageResult) -> dict:
    return {
        "page": pr.page,
        "file": pr.path.name,
        "floatX": pr.info.floatX,
        "ok": pr.ok,
        "problems": pr.problems,
        "python": pr.python,
        "seconds": pr.seconds,
        "counts": pr.counts(),
        "blocks": [
            {
                "key": br.block.key,
                "line": br.block.line,
                "kind": br.block.kind,
                "label": br.block.label,
                "status": br.status,
                "reason": br.reason,
                "notes": br.notes,
                "seconds": br.seconds,
            }
            for br in pr.blocks
        ],
    }


# --------------------------------------------------------------------------- CLI


def _select(pages: list, wanted: list) -> list:
    """The pages (:class:`legacy.sources.Page`) named in *wanted* (``adding``, ``3``, ``003``,
    a file name), all when *wanted* is empty."""
    if not wanted:
        return pages
    norm = set()
    for w in wanted:
        norm.add(w.zfill(3) if w.isdigit() else w)
    return [p for p in pages if p.id in norm or p.path.name in norm]


def page_line(pr: PageResult, width: int = 20) -> str:
    """One line for a page: its counts, time and verdict."""
    c = pr.counts()
    if not c["blocks"]:
        counts = "no code blocks"
    else:
        counts = "%3d blocks: %3d matched %3d ran %3d skipped %3d failed" % (
            c["blocks"],
            c["matched"],
            c["ran"],
            c["skipped"],
            c["failed"],
        )
        if c["known"]:
            counts += " (+%d known gap%s)" % (c["known"], "s" if c["known"] > 1 else "")
    verdict = "ok" if pr.ok else "FAILED" + (
        " (%d problem(s))" % len(pr.problems) if pr.problems else ""
    )
    return "%-*s %-72s %6.1fs  %s" % (width, pr.page, counts, pr.seconds, verdict)


def _skip_lines(results: list, status: str = SKIPPED) -> list:
    """The blocks of *status* (skipped, known gaps), one wrapped entry each, with the reason."""
    out = []
    for pr in results:
        for br in pr.blocks:
            if br.status == status:
                out.extend(
                    textwrap.wrap(
                        "%s (line %d): %s" % (br.block.key, br.block.line, br.reason),
                        110,
                        initial_indent="  - ",
                        subsequent_indent="      ",
                    )
                )
    return out


def _failure_lines(results: list) -> list:
    out = []
    for pr in results:
        for br in pr.blocks:
            if br.status in FAILED:
                out.append(textwrap.indent(br.failure_message(), "  "))
        for problem in pr.problems:
            out.append(f"  page {pr.page}: {problem}")
    return out


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(
        prog="run_legacy_tutorials.py",
        description="Run the code of every tutorial page of Theano 1.0.5's documentation "
        "(doc/tutorial of the theano==1.0.5 sdist, downloaded with pip and cached) and of the "
        "seed pages in ../shared/seeds when present, unchanged; compare printed output with "
        "the page; print one line per page, the skipped blocks with their reasons, the "
        "failures, and a summary.  Exit status 1 on any failure.",
    )
    ap.add_argument(
        "--page",
        action="append",
        default=[],
        help="a page: tutorial name (adding, loop...) or seed number (3, 003); repeatable",
    )
    ap.add_argument(
        "--details", action="store_true", help="also print each page's table of blocks"
    )
    ap.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="the tables, with each statement, its output and the comparisons",
    )
    ap.add_argument("--list", action="store_true", help="list the blocks and the plan; run nothing")
    ap.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="an unpacked doc/tutorial folder of Theano 1.0.5 (default: from the cached sdist)",
    )
    ap.add_argument(
        "--no-tutorial", action="store_true", help="leave out Theano's tutorial pages"
    )
    ap.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="folder of the seed pages (default: ../shared/seeds, used when present)",
    )
    ap.add_argument("--no-seeds", action="store_true", help="leave out the seed pages")
    ap.add_argument(
        "--timeout", type=float, default=900.0, help="seconds allowed per page (default 900)"
    )
    ap.add_argument(
        "--json", type=Path, default=None, help="also write the results as JSON to this file"
    )
    # hidden: run the pages under another interpreter, e.g. the original Theano 1.0.5
    ap.add_argument("--python", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    pages = []
    if not args.no_tutorial:
        try:
            tutorial = sources.tutorial_pages(args.docs)
        except (OSError, subprocess.CalledProcessError, tarfile.TarError, SystemExit) as exc:
            print(
                "cannot get Theano 1.0.5's tutorial pages (pip download of the theano==1.0.5 "
                f"sdist): {exc}; --docs DIR points at an unpacked doc/tutorial folder",
                file=sys.stderr,
            )
            return 2
        if not tutorial:
            where = args.docs or "the theano==1.0.5 sdist"
            print(f"no tutorial pages found in {where}", file=sys.stderr)
            return 2
        pages += tutorial
    if not args.no_seeds:
        seeds = args.seeds or sources.default_seeds_dir()
        found = sources.seed_pages(seeds)
        if args.seeds and not found:
            print(f"no seed pages found in {args.seeds}", file=sys.stderr)
            return 2
        pages += found
    if not pages:
        print("no pages to run", file=sys.stderr)
        return 2
    pages = _select(pages, args.page)
    if not pages:
        print("no page matches --page {}".format(" ".join(args.page)), file=sys.stderr)
        return 2
    if args.list:
        for p in pages:
            print(format_plan(p.path, p.flavor))
            print()
        return 0

    width = max(len(p.id) for p in pages)
    totals = collections.Counter()
    results = []
    print(
        "%-*s %-72s %7s  %s" % (width, "page", "blocks", "time", "verdict"),
        flush=True,
    )
    for p in pages:
        pr = run_page(p.path, python=args.python, timeout=args.timeout, flavor=p.flavor)
        results.append(pr)
        if args.details or args.verbose:
            print(format_page(pr, verbose=args.verbose))
            print()
        print(page_line(pr, width), flush=True)
        totals.update(pr.counts())
        totals["problems"] += len(pr.problems)
    ok = all(pr.ok for pr in results)
    if args.json:
        args.json.write_text(
            json.dumps([result_json(pr) for pr in results], indent=2, ensure_ascii=False),
            encoding="utf-8",
        )
    skipped = _skip_lines(results)
    if skipped:
        print("\nskipped blocks (not run), with the reason:")
        print("\n".join(skipped))
    known = _skip_lines(results, XFAIL)
    if known:
        print("\nknown gaps of this project (the block fails, as expected), with the cause:")
        print("\n".join(known))
    stale = [b for pr in results for b in pr.stale]
    if stale:
        print("\nlisted as known gaps in legacy/pages.py, but not failing as listed:")
        for b in stale:
            print(f"  - {b.block.key}: {b.status}; {b.notes[0]}")
    failures = _failure_lines(results)
    if failures:
        print("\nfailures:")
        print("\n".join(failures))
    n_tut = sum(p.source == "tutorial" for p in pages)
    print(
        "\nlegacy tutorials: %d pages (%d Theano 1.0.5 tutorial, %d seed), %d blocks: "
        "%d matched, %d ran, %d skipped, %d failed, %d known gaps%s -> %s"
        % (
            len(pages),
            n_tut,
            len(pages) - n_tut,
            totals["blocks"],
            totals["matched"],
            totals["ran"],
            totals["skipped"],
            totals["failed"],
            totals["known"],
            ", %d problem(s)" % totals["problems"] if totals["problems"] else "",
            "OK" if ok else "FAILED",
        )
    )
    return 0 if ok else 1
