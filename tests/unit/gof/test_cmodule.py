"""theano.gof.cmodule: what answers without a compiler, and what raises."""

from __future__ import annotations

import os
import sys
import sysconfig

import numpy as np
import pytest

from theano.gof import cmodule
from theano.gof.cmodule import GCC_compiler


def test_compile_probes_report_that_nothing_compiles():
    # Theano 1.0.5 with config.cxx = "" (test_cmodule.test_flag_detection must not raise).
    assert GCC_compiler.try_flags(["-lblas"]) is False
    assert GCC_compiler.try_compile_tmp("int main(){return 0;}") is False
    assert GCC_compiler.try_compile_tmp("", try_run=True) == (False, False)
    ok, out, err = GCC_compiler.try_flags([], output=True)
    assert ok is False and out is None and "no C compiler" in err
    assert GCC_compiler.try_compile_tmp("", try_run=True, output=True)[:2] == (False, False)
    assert cmodule.Compiler._try_flags(["-O3"]) is False
    assert cmodule.try_march_flag(["-march=native"]) == (False, False)
    assert cmodule.gcc_version() == "GCC_NOT_FOUND" and cmodule.gcc_llvm() is False
    assert GCC_compiler.version_str().endswith("GCC_NOT_FOUND")


@pytest.mark.parametrize("call", [
    lambda: cmodule.ModuleCache("/tmp"),
    lambda: cmodule.get_module_cache("/tmp"),
    lambda: cmodule.dlimport("x.so"),
    lambda: cmodule.DynamicModule(),
    lambda: cmodule.ExtFunction("f", None, cmodule.METH_VARARGS),
    lambda: cmodule.KeyData(set(), "h", "k.pkl", "e"),
    lambda: GCC_compiler.compile_str("m", "int x;"),
    lambda: GCC_compiler.compile_args(),
    lambda: cmodule.get_module_hash("src", ("key",)),
    lambda: cmodule.get_safe_part(("key",)),
])
def test_what_needs_a_compiler_raises(call):
    with pytest.raises(NotImplementedError, match="no C compiler in theano_compat; use "):
        call()


def test_platform_helpers():
    assert cmodule.get_lib_extension() == {"win32": "pyd", "cygwin": "dll"}.get(
        sys.platform, "so")
    assert cmodule.get_gcc_shared_library_arg() == (
        "-dynamiclib" if sys.platform == "darwin" else "-shared")
    inc = cmodule.std_include_dirs()
    assert inc[0] == np.get_include() and sysconfig.get_paths()["include"] in inc
    libs, dirs = cmodule.std_lib_dirs_and_libs()
    assert cmodule.std_libs() == libs and cmodule.std_lib_dirs() == dirs
    assert os.path.dirname(sysconfig.get_paths()["platstdlib"]) in dirs
    assert cmodule.local_bitwidth() == (64 if sys.maxsize > 2 ** 32 else 32)
    assert cmodule.METH_VARARGS == "METH_VARARGS" and cmodule.import_time == 0
    if sys.platform != "win32":
        assert GCC_compiler.linking_patch(["/x"], ["blas", "m"]) == ["-lblas", "-lm"]
    assert cmodule.hash_from_code("abc").startswith("m") and len(
        cmodule.hash_from_code("abc")) == 65
    assert cmodule.flatten([1, (2, [3, {4}])]) == [1, 2, 3, 4]


def test_file_helpers(tmp_path):
    assert cmodule.module_name_from_dir(str(tmp_path), err=False) is None
    assert cmodule.module_name_from_dir(str(tmp_path / "missing"), err=False) is None
    (tmp_path / "mod.so").write_bytes(b"")
    assert cmodule.module_name_from_dir(str(tmp_path)) == str(tmp_path / "mod.so")
    (tmp_path / "two.pyd").write_bytes(b"")
    with pytest.raises(ValueError, match="More than 1 compiled module"):
        cmodule.module_name_from_dir(str(tmp_path))
    assert cmodule.last_access_time(str(tmp_path / "mod.so")) == int(os.stat(
        tmp_path / "mod.so").st_atime)
    work = cmodule.dlimport_workdir(str(tmp_path))
    assert os.path.isdir(work) and os.path.dirname(work) == str(tmp_path)
    assert cmodule.is_same_entry("/a/tmp1/m.so", "/b/tmp1/m.so")
    assert not cmodule.is_same_entry("/a/x1/m.so", "/b/x1/m.so")
    assert cmodule.is_same_entry(str(tmp_path / "mod.so"), str(tmp_path / "." / "mod.so"))


def test_debug_counter_prints_every_n(capsys):
    for _ in range(4):
        cmodule.debug_counter("test_cmodule_counter", every=2)
    err = capsys.readouterr().err.splitlines()
    assert err == ["debug_counter [test_cmodule_counter]: 2",
                   "debug_counter [test_cmodule_counter]: 4"]
