"""Compare printed output with the output shown on a page, "to the printed precision".

Both texts are cut into *atoms*: each number is one atom, every other non-space character
is one atom, whitespace is dropped.  Two outputs match when their atom sequences match:

* characters must be equal;
* numbers must be of the same kind (integer ``6`` vs float ``6.0``/``6.`` - a dtype change
  shows there) and agree to the precision *both* sides print: each printed number stands for
  the interval of values that round to it (``0.73105858`` is 0.73105858 +- 0.5e-8), and the
  two intervals must overlap (by more than a single point: at equal precision the digits must
  be equal).  So ``0.73105858`` (page) matches 0.7310585786300049, and a
  float32 ``0.7310586`` matches the float64 ``0.73105858``;
* float32 arrays (``dtype=float32`` shown on both sides) also match one float32 spacing
  apart: NumPy prints a float32 with the digits that identify it, and the page's GPU and a
  CPU may round the same float32 computation to adjacent values (page 003: sigmoid(-2) is
  ``0.11920293`` on the author's GPU, ``0.11920292`` under Theano 1.0.5 on CPU);
* with ELLIPSIS (doctest ``+ELLIPSIS``, testoutput ``:options: +ELLIPSIS``), ``...`` on the page
  matches any run of output.

Dropping whitespace absorbs the NumPy repr change (``array([[ 0.5       ,  0.73105858],`` under
NumPy < 1.14 vs ``array([[0.5       , 0.73105858],``) and ``array(34.0)`` vs ``array(34.)``
is a number match.  Normalisations applied to both sides before that, each for a reason:

* lines printed by the author's environment, not by the code (:data:`ENV_LINES`), e.g.
  ``Using gpu device 0: GeForce GTX 850M`` that the old CUDA backend printed at import;
* GPU transfer ops in printed graphs: ``HostFromGpu(w)`` -> ``w`` (:data:`TRANSFER_OPS`): on a
  GPU machine the shared variables lived on the GPU, on CPU the same graph has no transfer;
* NumPy 2 scalar reprs ``np.float64(0.5)`` -> ``0.5``, ``np.True_`` -> ``True`` (NumPy >= 2
  prints the type in a scalar's repr);
* object addresses (``<function f at 0x7f3a1c2b9d30>``): any ``0x`` address matches any other,
  since an address differs from run to run.

``nan`` and ``inf`` are float numbers (equal only to themselves).  ``numbers=False`` (outputs
that depend on unseeded random data) matches any number of the same kind in place of each
number, ``nan`` included: the text, the number of values and their kinds still count.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field

__all__ = ["ENV_LINES", "TRANSFER_OPS", "Comparison", "atoms", "compare", "normalise"]

# (pattern, reason) of whole lines the author's machine printed, not the tutorial code
ENV_LINES = [
    (
        re.compile(r"^\s*Using gpu device \d+: .*$"),
        (
            "printed at `import theano` by the old CUDA backend (device=gpu) on the author's GPU "
            "machine; not printed on CPU"
        ),
    ),
    (
        re.compile(r"^\s*Using cuDNN version \d+ on context .*$"),
        "printed at import by the gpuarray backend on the author's GPU machine",
    ),
    (
        re.compile(r"^\s*Mapped name \S+ to device \S+: .*$"),
        "printed at import by the gpuarray backend on the author's GPU machine",
    ),
]

TRANSFER_OPS = ("HostFromGpu", "GpuFromHost")
_TRANSFER_REASON = (
    "GPU transfer ops in a printed graph (%s) come from the author's machine, where shared "
    "variables lived on the GPU; they are compared as the value they wrap"
)

_NP_SCALAR = re.compile(r"\bnp\.(?:float|int|uint|complex|bool)\w*\((.*?)\)")
_NP_BOOL = re.compile(r"\bnp\.(True|False)_")
_NP_STR = re.compile(r"\bnp\.(?:str|bytes)_\((.*?)\)")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")
_ADDRESS_TEXT = "0xADDRESS"

_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf|NaN|Inf)(?![\w.])"
)
_ELLIPSIS = "..."
_FLOAT32 = "dtype=float32"


@dataclass(frozen=True)
class Num:
    text: str
    value: float
    ulp: float  # one unit in the last printed place
    kind: str  # "int" | "float"

    def __str__(self):
        return self.text


WILDCARD = object()


@dataclass
class Comparison:
    ok: bool
    expected: str  # normalised page text
    actual: str  # normalised output
    message: str = ""  # where the first difference is
    notes: list = field(default_factory=list)  # normalisations that changed the page text

    @property
    def diff(self) -> str:
        return "\n".join(
            difflib.unified_diff(
                self.expected.splitlines(), self.actual.splitlines(), "page", "output", lineterm=""
            )
        )


def _unwrap_transfers(text: str) -> str:
    for op in TRANSFER_OPS:
        while True:
            i = text.find(op + "(")
            if i < 0:
                break
            j, depth = i + len(op), 0
            for j in range(i + len(op), len(text)):
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
            else:
                break  # unbalanced: leave it
            text = text[:i] + text[i + len(op) + 1 : j] + text[j + 1 :]
    return text


def normalise(text: str) -> tuple[str, list]:
    """Apply the environment normalisations; return (text, reasons for what changed)."""
    notes = []
    kept = []
    for line in text.splitlines():
        for pat, reason in ENV_LINES:
            if pat.match(line):
                notes.append(f"page line {line.strip()!r} not reproduced: {reason}")
                break
        else:
            kept.append(line.rstrip())
    out = "\n".join(kept)
    unwrapped = _unwrap_transfers(out)
    if unwrapped != out:
        ops = sorted(op for op in TRANSFER_OPS if op + "(" in out)
        notes.append(_TRANSFER_REASON % ", ".join(ops))
        out = unwrapped
    if _ADDRESS.search(out):
        notes.append("object addresses (0x...) differ from run to run: any address matches")
        out = _ADDRESS.sub(_ADDRESS_TEXT, out)
    out = _NP_SCALAR.sub(r"\1", out)
    out = _NP_BOOL.sub(r"\1", out)
    out = _NP_STR.sub(r"\1", out)
    while out.endswith("\n"):
        out = out[:-1]
    return out, notes


def _num(text: str) -> Num:
    if text.lstrip("+-").lower() in ("nan", "inf"):
        return Num(text, float(text), 0.0, "float")
    mant, _, exp = text.lower().partition("e")
    decimals = len(mant.partition(".")[2])
    e = int(exp) if exp else 0
    kind = "float" if ("." in text or "e" in text.lower()) else "int"
    return Num(text, float(text), 10.0 ** (e - decimals), kind)


def atoms(text: str, ellipsis: bool = False) -> list:
    """Numbers as :class:`Num`, other non-space characters as str, ``...`` as WILDCARD."""
    out = []
    pieces = text.split(_ELLIPSIS) if ellipsis else [text]
    for n, piece in enumerate(pieces):
        if n:
            out.append(WILDCARD)
        pos = 0
        for m in _NUMBER.finditer(piece):
            out.extend(c for c in piece[pos : m.start()] if not c.isspace())
            out.append(_num(m.group()))
            pos = m.end()
        out.extend(c for c in piece[pos:] if not c.isspace())
    return out


def _float32_spacing(x: float) -> float:
    """Distance between adjacent float32 values near *x*."""
    if x == 0 or math.isinf(x) or math.isnan(x):
        return 0.0
    _, e = math.frexp(abs(x))
    return 2.0 ** (max(e, -125) - 24)


def _num_match(a: Num, b: Num, numbers: bool, float32: bool = False) -> bool:
    if a.kind != b.kind:
        return False
    if not numbers:
        return True
    if math.isnan(a.value) or math.isnan(b.value):
        return math.isnan(a.value) and math.isnan(b.value)
    if math.isinf(a.value) or math.isinf(b.value):
        return a.value == b.value
    if a.ulp == 0 or b.ulp == 0:
        return a.value == b.value
    # the intervals [x - ulp/2, x + ulp/2] must overlap by more than a point: equal printed
    # precision means equal digits (2.718 != 2.719); the factor absorbs binary rounding of the
    # parsed decimals
    return abs(a.value - b.value) < _tolerance(a, b, float32) * (1 - 1e-6)


def _tolerance(a: Num, b: Num, float32: bool) -> float:
    tol = 0.5 * (a.ulp + b.ulp)
    if float32 and a.kind == "float":
        # float32 results print with the digits that identify the float32 value; two
        # machines (the page's GPU, this CPU) may round a float32 computation to adjacent
        # float32 values: one float32 spacing apart is the printed precision of float32
        tol += _float32_spacing(max(abs(a.value), abs(b.value)))
    return tol


def _atom_match(e, a, numbers: bool, float32: bool = False) -> bool:
    if isinstance(e, Num) and isinstance(a, Num):
        return _num_match(e, a, numbers, float32)
    if isinstance(e, Num) or isinstance(a, Num):
        return False
    return e == a


def _glob(exp: list, act: list, numbers: bool, float32: bool = False) -> bool:
    """Wildcard match of atom lists (WILDCARD matches any run), iterative with backtracking."""
    i = j = 0
    star_i, star_j = -1, 0
    while j < len(act):
        if (
            i < len(exp)
            and exp[i] is not WILDCARD
            and _atom_match(exp[i], act[j], numbers, float32)
        ):
            i += 1
            j += 1
        elif i < len(exp) and exp[i] is WILDCARD:
            star_i, star_j = i, j
            i += 1
        elif star_i >= 0:
            star_j += 1
            i, j = star_i + 1, star_j
        else:
            return False
    while i < len(exp) and exp[i] is WILDCARD:
        i += 1
    return i == len(exp)


def _show(seq: list, k: int, width: int = 6) -> str:
    lo, hi = max(k - width, 0), min(k + width, len(seq))
    s = "".join("..." if x is WILDCARD else str(x) if isinstance(x, Num) else x for x in seq[lo:hi])
    return ("~" if lo else "") + s + ("~" if hi < len(seq) else "")


def _first_difference(exp: list, act: list, numbers: bool, float32: bool = False) -> str:
    for k in range(min(len(exp), len(act))):
        e, a = exp[k], act[k]
        if e is WILDCARD:
            return "the page's `...` part could not be matched"
        if _atom_match(e, a, numbers, float32):
            continue
        if isinstance(e, Num) and isinstance(a, Num):
            if e.kind != a.kind:
                return f"number {e.text} on the page is {e.kind}, output {a.text} is {a.kind}"
            return (
                f"number {e.text} on the page vs {a.text} in the output: differ by "
                f"{abs(e.value - a.value):.3g}, more than the printed precision allows "
                f"({_tolerance(e, a, float32):.3g})"
            )
        return "page %r vs output %r (atom %d)" % (_show(exp, k), _show(act, k), k)
    if len(exp) > len(act):
        return f"output ends early; page continues with {_show(exp, len(act))!r}"
    return f"output continues past the page's text: {_show(act, len(exp))!r}"


def compare(
    expected: str, actual: str, *, ellipsis: bool = False, numbers: bool = True
) -> Comparison:
    """Does *actual* (printed output) match *expected* (text shown on the page)?"""
    exp_text, notes = normalise(expected)
    act_text, _ = normalise(actual)
    exp_atoms = atoms(exp_text, ellipsis and _ELLIPSIS in exp_text)
    act_atoms = atoms(act_text)
    float32 = _FLOAT32 in exp_text and _FLOAT32 in act_text
    ok = _glob(exp_atoms, act_atoms, numbers, float32)
    message = "" if ok else _first_difference(exp_atoms, act_atoms, numbers, float32)
    return Comparison(ok, exp_text, act_text, message, notes)
