"""Issue 16 point 3: the names of Theano 1.0.5 that only make sense with C compilation
exist; each one that cannot do a pure-Python equivalent raises NotImplementedError at use,
saying that there is no C compiler and naming what to use instead."""

from __future__ import annotations

import importlib
import inspect

import pytest

import theano  # noqa: F401 - the theano.* paths below

C_ONLY = {
    "theano.gof.cc": ["CLinker.accept", "CLinker.make_thunk", "CodeBlock", "failure_code",
                      "failure_code_init", "code_gen", "struct_gen", "get_nothing",
                      "get_c_declare", "get_c_init",
                      "get_c_extract", "get_c_extract_out", "get_c_cleanup", "get_c_sync",
                      "apply_policy", "struct_variable_codeblocks", "get_module_cache",
                      "get_persistent_module_cache", "run_cthunk"],
    "theano.gof.cmodule": ["ModuleCache", "get_module_cache", "dlimport", "DynamicModule",
                           "ExtFunction", "KeyData", "get_module_hash", "get_safe_part",
                           "GCC_compiler.compile_str", "GCC_compiler.compile_args"],
    "theano.gof.cutils": ["compile_cutils", "run_cthunk"],
    "theano.gof.lazylinker_c": ["CLazyLinker", "try_import", "try_reload", "get_version"],
    "theano.gof.vm": ["CVM"],
    "theano.tensor.blas_c": ["gemv_c_code", "ger_c_code"],
    "theano.tensor.blas_headers": ["detect_macos_sdot_bug", "cblas_header_text",
                                   "blas_header_text", "mkl_threads_text",
                                   "openblas_threads_text", "blas_header_version"],
    "theano.tensor.elemwise_cgen": ["make_declare", "make_checks", "make_alloc", "make_loop",
                                    "make_reordered_loop", "make_loop_careduce"],
    "theano.tensor.inc_code": ["inc_code"],
}


def _entry(module, dotted):
    obj = importlib.import_module(module)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("module,name", [(m, n) for m, names in C_ONLY.items() for n in names])
def test_c_only_name_raises_naming_an_alternative(module, name):
    entry = _entry(module, name)
    with pytest.raises(NotImplementedError) as info:
        entry(*([None] * _arity(entry)))
    text = str(info.value)
    assert "no C compiler" in text or "no BLAS-specialised Ops" in text, text
    assert "; use " in text and text.index("; use ") < len(text) - 8, text


def _arity(entry):
    """How many positional arguments to pass so the call reaches the raise (the raising
    functions accept anything; classes are called with their constructor's arity)."""
    try:
        sig = inspect.signature(entry)
    except (TypeError, ValueError):
        return 0
    return sum(1 for p in sig.parameters.values()
               if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD)


def test_modules_without_code_import():
    sandbox = importlib.import_module("theano.compile.sandbox")
    assert [n for n in dir(sandbox) if not n.startswith("_")] == []
