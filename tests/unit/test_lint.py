"""The structure rules, checked with every test run (issue 15).

* ruff with the rule set chosen in pyproject.toml ([tool.ruff.lint]) over the package,
  the alias package, the tools and the tests;
* import-linter's contracts from pyproject.toml ([tool.importlinter]): the layers of
  DESIGN.md §3 (and the tensor chain), CuPy imported only in backend/;
* every top-level module of theano_compat is placed in the layer contract, so a new
  module cannot slip past it;
* no function-local import of a theano_compat module (DESIGN.md §1.6): cross-layer needs
  go through theano_compat/hooks.py;
* no module writes its globals() (names are written out, or resolved by a module
  ``__getattr__``).

Both tools are in the ``test`` extra; a checkout without them skips these tests with the
command that installs them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "theano_compat"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_ruff_is_clean():
    pytest.importorskip("ruff", reason='pip install ".[test]" installs ruff')
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
         "theano_compat", "theano", "tools", "tests"],
        cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_contracts_are_kept():
    pytest.importorskip("importlinter", reason='pip install ".[test]" installs import-linter')
    proc = subprocess.run(
        [sys.executable, "-c",
         "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_every_top_level_module_is_in_the_layer_contract():
    layers_contract = next(c for c in _pyproject()["tool"]["importlinter"]["contracts"]
                           if c["type"] == "layers" and c.get("containers") is None
                           and any(layer.startswith("theano_compat.compile")
                                   for layer in c["layers"]))
    placed = {name.strip() for layer in layers_contract["layers"]
              for name in layer.split(":")}
    modules = {f"theano_compat.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    modules |= {f"theano_compat.{p.parent.name}" for p in PACKAGE.glob("*/__init__.py")}
    assert modules - placed == set()


def _local_imports(tree):
    """Imports of theano_compat modules inside a function body."""
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (
                    node.level > 0 or (node.module or "").startswith(("theano_compat", "theano"))):
                found.append(node.lineno)
            elif isinstance(node, ast.Import) and any(
                    a.name.split(".")[0] in ("theano_compat", "theano") for a in node.names):
                found.append(node.lineno)
    return found


def test_no_function_local_imports_of_the_package():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = _local_imports(ast.parse(path.read_text(), filename=str(path)))
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n in lines]
    assert offenders == []


def _globals_writes(tree):
    """Line numbers of ``globals()[k] = v`` and ``globals().update/setdefault/pop(...)``
    (reading globals(), as a module ``__dir__`` does, is fine)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            found += [node.lineno for t in targets
                      if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Call)
                      and getattr(t.value.func, "id", None) == "globals"]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and isinstance(node.func.value, ast.Call)
              and getattr(node.func.value.func, "id", None) == "globals"
              and node.func.attr in ("update", "setdefault", "pop", "__setitem__")):
            found.append(node.lineno)
    return found


def test_the_globals_check_sees_writes():
    tree = ast.parse("globals()['a'] = 1\nglobals().update(b=2)\nx = dict(globals())\n"
                     "globals().setdefault('c', 3)\n")
    assert _globals_writes(tree) == [1, 2, 4]


def test_no_module_writes_its_globals():
    offenders = []
    for path in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "theano").rglob("*.py")]):
        lines = _globals_writes(ast.parse(path.read_text(), filename=str(path)))
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n in lines]
    assert offenders == []
