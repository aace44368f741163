"""theano.scalar.basic_sympy (theano_compat/scalar/basic_sympy.py): importable without
SymPy; making a SymPyCCode without it says why."""

import importlib.util

import pytest

import theano.scalar.basic_sympy as bs


def test_module_names():
    assert issubclass(bs.SymPyCCode, bs.ScalarOp)
    assert bs.include_line("#include <math.h>") and not bs.include_line("int x;")
    assert bs.remove(lambda v: v > 1, [0, 1, 2, 3]) == [0, 1]
    assert next(bs.names).startswith("sympy_func_")
    assert bs.imported_sympy == (importlib.util.find_spec("sympy") is not None)


@pytest.mark.skipif(importlib.util.find_spec("sympy") is not None, reason="sympy installed")
def test_without_sympy_the_class_raises_importerror():
    with pytest.raises(ImportError, match="SymPy"):
        bs.SymPyCCode(["x"], "x")
