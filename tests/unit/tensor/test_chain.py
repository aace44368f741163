"""The tensor layer is a chain of modules (issue 15 point 1).

Each module of CHAIN imports, at any level of its code, only modules before it in CHAIN
and the layers below the tensor layer; no module of theano_compat/tensor/ imports after
its first statement (tests/unit/test_lint.py checks that none writes globals()); every
module directly in tensor/ is placed: in the chain, among the facades, or above the
chain.  The order is the one theano_compat/tensor/__init__.py's docstring explains.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import PACKAGE

TENSOR = Path(PACKAGE) / "tensor"

CHAIN = [
    "type",
    "elemwise",
    "elemwise_ops",
    "shapes",
    "construct",
    "permute",
    "batched",
    "math",
    "subtensor",
    "extra_ops",
    "inplace",
    "variable",
    "sharedvar",
]
# Legacy module paths with no logic: they may re-export from anywhere in the chain.
FACADES = ["__init__", "basic", "var", "raw_random", "shared_randomstreams"]
# Modules and packages above the chain (they may import the facades and each other).
ABOVE = [
    "opt", "opt_uncanonicalize",
    "gradient_ops", "ifelse", "nlinalg", "opfromgraph", "slinalg", "xlogx", "nnet", "random",
    "rewrites", "signal", "type_other",
    "blas_c", "blas_headers", "blas_scipy", "elemwise_cgen", "inc_code",
    "blas", "sort", "fft", "fourier", "utils", "io",
]
# What the chain may import from theano_compat outside the tensor layer: the layers below.
LOWER_LAYERS = {"config", "errors", "utils", "hooks", "backend", "graph", "scalar"}


def _tree(name):
    path = TENSOR / f"{name}.py"
    return ast.parse(path.read_text(), filename=str(path))


def _imported(tree):
    """(lineno, dotted module) for every import in `tree` (a module directly in tensor/) of
    a theano_compat module, relative to theano_compat: ``tensor.math``, ``scalar.op``,
    ``hooks``.  ``from . import a, b`` imports the submodules a and b."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                module = node.module or ""
                if module != "theano_compat" and not module.startswith("theano_compat."):
                    continue
                base = module.removeprefix("theano_compat").lstrip(".")
                names_are_modules = base == ""
            else:
                package = ["tensor"][: 2 - node.level]  # level 1: tensor/, level 2: the root
                base = ".".join(package + ([node.module] if node.module else []))
                names_are_modules = node.module is None
            if names_are_modules:
                found += [(node.lineno, ".".join(p for p in (base, a.name) if p))
                          for a in node.names]
            else:
                found.append((node.lineno, base))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in ("theano_compat", "theano"):
                    found.append((node.lineno, a.name.partition(".")[2]))
    return found


@pytest.mark.parametrize("name", CHAIN)
def test_chain_module_imports_only_earlier_ones(name):
    earlier = {f"tensor.{m}" for m in CHAIN[:CHAIN.index(name)]}
    wrong = []
    for lineno, module in _imported(_tree(name)):
        top = module.split(".")[0]
        if top == "tensor":
            target = ".".join(module.split(".")[:2])
            if target not in earlier:
                wrong.append(f"{name}.py:{lineno} imports {module}")
        elif top not in LOWER_LAYERS:
            wrong.append(f"{name}.py:{lineno} imports {module} (a higher layer)")
    assert wrong == [], f"the chain is {CHAIN}"


def _all_modules():
    return sorted(p.stem for p in TENSOR.glob("*.py"))


@pytest.mark.parametrize("name", _all_modules())
def test_imports_are_at_the_top(name):
    """No import after the module's first other statement (the bottom-of-module imports
    that used to hold the circle together)."""
    body = _tree(name).body
    seen_code = None
    late = []
    for k, node in enumerate(body):
        is_doc = k == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if seen_code is not None:
                late.append(node.lineno)
        elif not is_doc:
            seen_code = seen_code or node.lineno
    assert late == [], f"{name}.py imports after its first statement (line {seen_code})"


def test_every_module_is_placed():
    names = set(_all_modules()) | {p.parent.name for p in TENSOR.glob("*/__init__.py")}
    placed = set(CHAIN) | set(FACADES) | set(ABOVE)
    assert names - placed == set(), "place the new module in CHAIN, FACADES or ABOVE"
    assert placed - names == set(), "a listed module no longer exists"


def test_the_chain_reads_its_import_statements():
    """_imported sees relative and absolute imports, inside functions too."""
    tree = ast.parse(
        "from . import math as _m, shape\n"
        "from .elemwise import cast\n"
        "from .. import hooks\n"
        "from ..scalar.op import tensor_level\n"
        "import theano_compat.graph.basic\n"
        "def f():\n"
        "    from .variable import TensorVariable\n")
    assert [m for _, m in _imported(tree)] == [
        "tensor.math", "tensor.shape", "tensor.elemwise", "hooks", "scalar.op",
        "graph.basic", "tensor.variable"]


def test_variable_classes_are_wired():
    """TensorType's class hook holds the top module's classes once theano is imported."""
    import theano.tensor as T
    from theano_compat.tensor import variable
    from theano_compat.tensor.type import TensorType

    assert TensorType.Variable is variable.TensorVariable
    assert TensorType.Constant is variable.TensorConstant
    x = T.dvector("x")
    assert type(x) is variable.TensorVariable
    assert type(T.constant(1.5)) is variable.TensorConstant
    assert type(x + 1).__name__ == "TensorVariable"
