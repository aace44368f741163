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
* the tests of theano_compat/<dirs>/<module>.py are tests/unit/<dirs>/test_<module>.py
  (tests/README.md), or are listed with a reason in UNIT_LAYOUT_EXCEPTIONS.

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

from tests.support import paths

ROOT = Path(paths.ROOT)
PACKAGE = Path(paths.PACKAGE)


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


# The tests of theano_compat/<dirs>/<module>.py are tests/unit/<dirs>/test_<module>.py
# (tests/README.md).  A file under tests/unit/<dirs>/ that tests no single module of
# theano_compat/<dirs>/ is listed here with what it tests instead.
UNIT_LAYOUT_EXCEPTIONS = {
    "backend/test_selection.py": "choosing the back-end: flags and entry points of backend/ "
                                 "as a whole (__init__.py, cpu.py, cuda.py)",
    "compile/test_debug_modes.py": "the checking modes together: debugmode.py, "
                                   "nanguardmode.py, monitormode.py and mode.py's names",
    "compile/test_unaligned_inputs.py": "unaligned arrays through a whole compiled function "
                                        "(Theano's C code refused them)",
    "compile/test_scaling.py": "deep and large graphs through every compile step",
    "compile/test_inplace_user_ops.py": "in-place Ops users declare (destroy_map), through "
                                        "pipeline.py, compiled.py, the linker and the Ops "
                                        "(tensor/inplace.py, RandomFunction, Remove0)",
    "compile/test_pipeline_registry.py": "compile/pipeline.py with what users register "
                                          "in optdb (a test_pipeline.py would clash with "
                                          "tests/rewrites/test_pipeline.py's module name)",
    "graph/test_graph_walks.py": "graph/basic.py's walks and variable identity (a "
                                 "test_basic.py would clash with tensor/test_basic.py's "
                                 "module name under pytest's default import mode)",
    "graph/test_user_ops.py": "the Op protocol as users subclass it (graph/op.py, with "
                              "compile/ops.py's as_op)",
    "scalar/test_new_op.py": "one new declaration of scalar/ops.py followed to every consumer",
    "scalar/test_scalar_sharedvar.py": "scalar/sharedvar.py (a test_sharedvar.py would clash "
                                       "with tensor/test_sharedvar.py's module name)",
    "scalar/test_semantics.py": "Theano 1.0.5's scalar semantics across the op table",
    "scan/test_scan.py": "theano.scan as a whole: api.py, op.py and grad.py",
    "scan/test_examples.py": "the tutorial's scan programs, end to end",
    "scan_module/test_scan_module.py": "theano.scan_module's package and its scan.py (a "
                                       "test_scan.py would clash with scan/test_scan.py)",
    "tensor/test_chain.py": "the import structure of the tensor package",
}


def test_unit_tests_are_laid_out_by_module():
    unit = ROOT / "tests" / "unit"
    files = {p.relative_to(unit).as_posix(): p for p in unit.rglob("test_*.py")}
    offenders = []
    for rel, path in sorted(files.items()):
        dirs = path.relative_to(unit).parts[:-1]
        if not dirs:
            continue  # cross-cutting tests, at the top level
        package = PACKAGE.joinpath(*dirs)
        name = path.stem.removeprefix("test_")
        if not (package / "__init__.py").is_file():
            offenders.append(f"{rel}: no package theano_compat/{'/'.join(dirs)}/")
        elif rel not in UNIT_LAYOUT_EXCEPTIONS and not (
                (package / f"{name}.py").is_file() or (package / name).is_dir()):
            offenders.append(f"{rel}: no module theano_compat/{'/'.join(dirs)}/{name}.py "
                             "(or add it to UNIT_LAYOUT_EXCEPTIONS with a reason)")
    offenders += [f"{rel}: listed in UNIT_LAYOUT_EXCEPTIONS but absent"
                  for rel in sorted(set(UNIT_LAYOUT_EXCEPTIONS) - set(files))]
    assert offenders == []
