"""Tests of theano_compat.config: flag table, THEANO_FLAGS / .theanorc, change_flags.

Only ``theano_compat.config`` is imported (by file path if the package itself does not import),
so these tests run whatever state the rest of the package is in. Behaviour that depends on
process start-up (environment parsing, once-per-process messages) runs in a subprocess.
"""

import copy
import importlib
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.config_flags import forget_flag
from tests.support.paths import ROOT

REPO = Path(ROOT)
CONFIG_PY = REPO / "theano_compat" / "config.py"

# Loads the module as _load_config_module does; inserted into every subprocess script.
# import_module, not ``import theano_compat.config as m``: once the package's __init__ does
# ``from .config import config``, the attribute ``theano_compat.config`` is the config object,
# and ``import a.b as c`` reads that attribute.
LOADER = f"""
import importlib, importlib.util, sys
try:
    cm = importlib.import_module("theano_compat.config")
except Exception:
    cm = sys.modules.get("theano_compat.config")
    if cm is None:
        _spec = importlib.util.spec_from_file_location("theano_compat.config", {str(CONFIG_PY)!r})
        cm = importlib.util.module_from_spec(_spec)
        sys.modules[_spec.name] = cm
        _spec.loader.exec_module(cm)
config = cm.config
"""


def _load_config_module():
    """The in-process twin of LOADER; also says whether the whole package imported."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        return importlib.import_module("theano_compat.config"), True
    except Exception:  # noqa: BLE001 -- the rest of the package may not import yet
        module = sys.modules.get("theano_compat.config")
        if module is None:
            spec = importlib.util.spec_from_file_location("theano_compat.config", CONFIG_PY)
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
        return module, False


cm, PACKAGE_IMPORTS = _load_config_module()
config = cm.config


def run_py(code, tmp_path, flags=None, theanorc=None, extra_env=None):
    """Run ``code`` after loading the config module in a fresh interpreter; return the result.

    The environment is scrubbed of the caller's THEANO_FLAGS/THEANORC and HOME points at an
    empty directory, so a developer's own ~/.theanorc cannot leak in.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("THEANO_FLAGS", "THEANORC")}
    env["HOME"] = str(tmp_path)
    env["PYTHONPATH"] = str(REPO)
    if flags is not None:
        env["THEANO_FLAGS"] = flags
    if theanorc is not None:
        env["THEANORC"] = theanorc
    env.update(extra_env or {})
    before, _, after = code.partition("#LOAD\n")
    script = "import warnings\nwarnings.simplefilter('always')\n" + before + LOADER + after
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, cwd=str(tmp_path), check=False)


def run_json(code, tmp_path, **kw):
    res = run_py(code + "\nimport json\nprint('JSON' + json.dumps(out))", tmp_path, **kw)
    assert res.returncode == 0, res.stderr
    line = [ln for ln in res.stdout.splitlines() if ln.startswith("JSON")][-1]
    return json.loads(line[4:]), res


READ = """
out = {n: getattr(config, n) for n in NAMES}
"""

# --------------------------------------------------------------------------- defaults

# Theano 1.0.5's values, checked with the original under tools/theano-ref.
THEANO_DEFAULTS = {
    "floatX": "float64", "device": "cpu", "init_gpu_device": "", "force_device": False,
    "mode": "Mode", "optimizer": "o4", "optimizer_including": "", "optimizer_excluding": "",
    "optimizer_requiring": "", "optimizer_verbose": False, "on_opt_error": "warn",
    "exception_verbosity": "low", "compute_test_value": "off", "compute_test_value_opt": "off",
    "print_test_value": False, "cast_policy": "custom", "int_division": "int",
    "warn_float64": "ignore", "profile": False, "profile_memory": False,
    "profile_optimizer": False, "allow_gc": True, "linker": "cvm", "on_unused_input": "raise",
    "on_shape_error": "warn", "deterministic": "default", "reoptimize_unpickled_function": False,
    "cycle_detection": "regular", "openmp": False, "nocleanup": False,
    "traceback__limit": 8, "unittests__rseed": "666", "warn__ignore_bug_before": "0.9",
    "warn__subtensor_merge_bug": False, "warn__round": False,
    "warn__sum_div_dimshuffle_bug": False, "warn__identify_1pexp_bug": False,
    "warn__inc_subtensor1_opt": True, "scan__allow_gc": False,
    "scan__allow_output_prealloc": True, "gpuarray__preallocate": 0.0, "dnn__enabled": "auto",
    "dnn__conv__algo_fwd": "small", "dnn__conv__algo_bwd_data": "none",
    "dnn__conv__algo_bwd_filter": "none", "numpy__seterr_all": "ignore",
    "numpy__seterr_divide": "None", "gcc__cxxflags": "",
    "DebugMode__check_preallocated_output": "", "vm__lazy": None,
}


def test_defaults_match_theano_1_0_5(tmp_path):
    code = f"NAMES = {list(THEANO_DEFAULTS)!r}\n#LOAD\n" + READ
    out, res = run_json(code, tmp_path)
    assert out == THEANO_DEFAULTS
    assert "recognise" not in res.stderr and "no value" not in res.stderr


def test_legacy_and_cache_defaults(tmp_path):
    out, _ = run_json("NAMES = ['cxx', 'blas__ldflags', 'base_compiledir']\n#LOAD\n" + READ,
                      tmp_path)
    assert out["cxx"] == ""   # no C compiler is used
    assert out["blas__ldflags"] == ""
    assert out["base_compiledir"] == str(tmp_path / ".theano")


# --------------------------------------------------------------------------- THEANO_FLAGS


def test_theano_flags_parsing(tmp_path):
    flags = ("floatX=float32, device=cuda0,gcc__cxxflags=-O3,warn.round=True,"
             "optimizer=fast_compile,traceback.limit=3,profile=true,mode=FAST_RUN")
    names = ["floatX", "device", "gcc__cxxflags", "warn__round", "optimizer",
             "traceback__limit", "profile", "mode"]
    out, _ = run_json(f"NAMES = {names!r}\n#LOAD\n" + READ, tmp_path, flags=flags)
    assert out == {"floatX": "float32", "device": "cuda0", "gcc__cxxflags": "-O3",
                   "warn__round": True, "optimizer": "fast_compile", "traceback__limit": 3,
                   "profile": True, "mode": "FAST_RUN"}


def test_theano_flags_quotes_and_aliases(tmp_path):
    # Theano splits THEANO_FLAGS with shlex: quotes protect commas; floatX accepts 32/64/16.
    flags = 'gcc.cxxflags="-O3 -DA=1,2",floatX=32,floatX=16'
    out, _ = run_json("NAMES = ['gcc__cxxflags', 'floatX']\n#LOAD\n" + READ, tmp_path,
                      flags=flags)
    assert out == {"gcc__cxxflags": "-O3 -DA=1,2", "floatX": "float16"}   # later key wins


def test_parse_config_string():
    assert cm.parse_config_string("a=1,b.c=x=y,, d = 2 ") == {"a": "1", "b.c": "x=y", "d": " 2"}
    assert cm.parse_config_string("a='1,2',b=3") == {"a": "1,2", "b": "3"}


def test_invalid_theano_flags_value_fails_at_import(tmp_path):
    res = run_py("#LOAD\n", tmp_path, flags="floatX=float33")
    assert res.returncode != 0
    assert "ValueError" in res.stderr
    assert "floatX" in res.stderr and "float32" in res.stderr and "THEANO_FLAGS" in res.stderr


# --------------------------------------------------------------------------- .theanorc


def test_theanorc_sections_interpolation_and_file_order(tmp_path):
    rc1 = tmp_path / "rc1"
    rc1.write_text(textwrap.dedent("""\
        [global]
        floatX = float32
        device = cuda1
        optimizer = fast_compile
        base_compiledir = /scratch/%(USER)s/theano
        [gcc]
        cxxflags = -O3 -march=native
        [warn]
        subtensor_merge_bug = True
        [dnn.conv]
        algo_fwd = time_once
        [DebugMode]
        patience = 3
        """))
    rc2 = tmp_path / "rc2"
    rc2.write_text("[global]\noptimizer = merge\n")   # later files win
    names = ["floatX", "device", "optimizer", "base_compiledir", "gcc__cxxflags",
             "warn__subtensor_merge_bug", "dnn__conv__algo_fwd", "DebugMode__patience"]
    out, res = run_json(f"NAMES = {names!r}\n#LOAD\n" + READ, tmp_path,
                        theanorc=os.pathsep.join([str(rc1), str(rc2)]),
                        extra_env={"USER": "alice"})
    assert out == {"floatX": "float32", "device": "cuda1", "optimizer": "merge",
                   "base_compiledir": "/scratch/alice/theano",
                   "gcc__cxxflags": "-O3 -march=native", "warn__subtensor_merge_bug": True,
                   "dnn__conv__algo_fwd": "time_once", "DebugMode__patience": 3}
    assert "recognise" not in res.stderr and "no value" not in res.stderr


def test_default_theanorc_in_home(tmp_path):
    (tmp_path / ".theanorc").write_text("[global]\nfloatX = float32\n")
    out, _ = run_json("NAMES = ['floatX']\n#LOAD\n" + READ, tmp_path)
    assert out == {"floatX": "float32"}


def test_theano_flags_override_theanorc(tmp_path):
    rc = tmp_path / "rc"
    rc.write_text("[global]\nfloatX = float32\nint_division = raise\n")
    out, _ = run_json("NAMES = ['floatX', 'int_division']\n#LOAD\n" + READ, tmp_path,
                      flags="floatX=float16", theanorc=str(rc))
    assert out == {"floatX": "float16", "int_division": "raise"}


def test_ignore_bug_before_drives_warn_defaults(tmp_path):
    names = ["warn__round", "warn__subtensor_merge_bug", "warn__inc_subtensor1_opt"]
    code = f"NAMES = {names!r}\n#LOAD\n" + READ
    out, _ = run_json(code, tmp_path, flags="warn.ignore_bug_before=None")
    assert out == dict.fromkeys(names, True)
    out, _ = run_json(code, tmp_path, flags="warn.ignore_bug_before=all")
    assert out == dict.fromkeys(names, False)


# --------------------------------------------------------------------------- unknown flags


def test_unknown_flags_warn_once_and_are_ignored(tmp_path):
    rc = tmp_path / "rc"
    rc.write_text("[global]\nnot_a_flag_rc = 1\n[gcc]\nnope = 2\n")
    script = """
caught = warnings.catch_warnings(record=True).__enter__()
warnings.simplefilter('always')
#LOAD
config.not_an_attr = 5
config.not_an_attr = 6
config.warn.not_an_attr = 1
out = {'msgs': [str(w.message) for w in caught if w.category is UserWarning],
       'stored': config.not_an_attr, 'floatX': config.floatX}
"""
    out, _ = run_json(script, tmp_path, flags="bogus_flag=1,bogus_flag=2,floatX=float32",
                      theanorc=str(rc))
    msgs = out["msgs"]
    assert sum("bogus_flag" in m for m in msgs) == 1
    assert sum("not_a_flag_rc" in m for m in msgs) == 1
    assert sum("gcc.nope" in m for m in msgs) == 1
    assert sum("'not_an_attr'" in m for m in msgs) == 1   # assignment: stored, warned once
    assert sum("'warn.not_an_attr'" in m for m in msgs) == 1
    assert out["stored"] == 6 and out["floatX"] == "float32"


def test_change_flags_unknown_name():
    with pytest.raises(AttributeError, match="no_such_flag"):
        cm.change_flags(no_such_flag=1)


# --------------------------------------------------------------------------- legacy flags


def test_legacy_flag_logs_one_info_line(tmp_path):
    code = """
import logging
logging.basicConfig(level=logging.INFO, format='%(name)s|%(levelname)s|%(message)s')
#LOAD
config.blas.ldflags = '-lopenblas'
config.blas__ldflags = '-lblas'
config.gcc.cxxflags = '-O2'
config.floatX = 'float32'
out = {'blas': config.blas.ldflags}
"""
    out, res = run_json(code, tmp_path, flags="blas.ldflags=-lmkl,lib.cnmem=0.8,profile=True")
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("theano_compat.config|")]
    assert out == {"blas": "-lblas"}
    assert sum("'blas.ldflags'" in ln for ln in lines) == 1
    assert sum("'lib.cnmem'" in ln for ln in lines) == 1
    assert sum("'gcc.cxxflags'" in ln for ln in lines) == 1
    assert all("|INFO|" in ln and "no effect" in ln for ln in lines)
    assert not any("floatX" in ln or "profile" in ln for ln in lines)
    assert len(lines) == 3


def test_legacy_gpu_device_is_accepted_and_noted(tmp_path):
    code = """
import logging
logging.basicConfig(level=logging.INFO, format='%(name)s|%(message)s')
#LOAD
out = {'device': config.device, 'kind': list(cm.device_kind(config.device))}
"""
    out, res = run_json(code, tmp_path, flags="device=gpu0")
    assert out == {"device": "gpu0", "kind": ["cuda", 0]}
    notes = [ln for ln in res.stderr.splitlines() if ln.startswith("theano_compat.config|")]
    assert len(notes) == 1 and "gpu0" in notes[0]


def test_device_kind():
    assert cm.device_kind("cpu") == ("cpu", None)
    assert cm.device_kind("") == ("cpu", None)
    assert cm.device_kind("cuda") == ("cuda", None)
    assert cm.device_kind("cuda1") == ("cuda", 1)
    assert cm.device_kind("gpu") == ("cuda", None)
    assert cm.device_kind("gpu3") == ("cuda", 3)
    for bad in ("opencl0:0", "cpu0", "cudax", "tpu"):
        with pytest.raises(ValueError):
            cm.device_kind(bad)


def test_bad_device_fails_at_import(tmp_path):
    res = run_py("#LOAD\n", tmp_path, flags="device=opencl0:0")
    assert res.returncode != 0 and "ValueError" in res.stderr and "device" in res.stderr


# --------------------------------------------------------------------------- run time


def test_floatx_assignment():
    with cm.change_flags(floatX=config.floatX):   # restores whatever the session had
        config.floatX = "float32"
        assert config.floatX == "float32"
        config.floatX = "64"
        assert config.floatX == "float64"


def test_invalid_value_raises_value_error_naming_flag_and_options():
    before = config.floatX
    with pytest.raises(ValueError, match=r'"floatX".*float32'):
        config.floatX = "float33"
    assert config.floatX == before
    with pytest.raises(ValueError, match="profile"):
        config.profile = "maybe"
    with pytest.raises(ValueError, match="traceback.limit"):
        config.traceback.limit = "abc"
    with pytest.raises(ValueError, match="optimizer"):
        config.optimizer = "fast_run2"


def test_bool_and_int_conversion():
    with cm.change_flags(profile=False, traceback__limit=8):
        for given, expected in (("true", True), ("0", False), (1, True), ("False", False)):
            config.profile = given
            assert config.profile is expected
        config.traceback.limit = "3"
        assert config.traceback__limit == 3


def test_read_only_flags_raise_on_assignment():
    for name, value in (("device", "cpu"), ("init_gpu_device", ""), ("force_device", False),
                        ("base_compiledir", "another-compiledir"),
                        ("optimizer_including", "fusion")):
        before = getattr(config, name)
        with pytest.raises(RuntimeError, match="Can't change the value"):
            setattr(config, name, value)
        assert getattr(config, name) == before
    with pytest.raises(RuntimeError), cm.change_flags(device="cpu"):
        pass


def test_nested_spellings_read_and_write():
    with cm.change_flags(**{"warn.subtensor_merge_bug": True}):
        assert config.warn.subtensor_merge_bug is config.warn__subtensor_merge_bug is True
        config.warn.subtensor_merge_bug = False
        assert config.warn__subtensor_merge_bug is False
        config.warn__subtensor_merge_bug = "True"
        assert config.warn.subtensor_merge_bug is True
    with cm.change_flags(dnn__conv__algo_fwd="small"):
        config.dnn__conv__algo_fwd = "time_once"
        assert config.dnn.conv.algo_fwd == config.dnn.conv__algo_fwd == "time_once"
        config.dnn.conv.algo_fwd = "fft"
        assert config.dnn__conv__algo_fwd == "fft"
    assert config.dnn.conv.algo_fwd == "small"
    with pytest.raises(TypeError):
        config.warn = False   # a section, not a flag


def test_change_flags_restores_values():
    old = (config.floatX, config.warn.round, config.compute_test_value)
    with cm.change_flags({"warn.round": not old[1]}, floatX="float16",
                         compute_test_value="raise") as cf:
        assert isinstance(cf, cm.change_flags)
        assert (config.floatX, config.warn.round, config.compute_test_value) == (
            "float16", not old[1], "raise")
    assert (config.floatX, config.warn.round, config.compute_test_value) == old


def test_change_flags_restores_on_exception():
    old = (config.floatX, config.int_division)
    with pytest.raises(KeyError), cm.change_flags(floatX="float16"):
        raise KeyError("boom")
    assert config.floatX == old[0]
    # A bad value in the same call also restores the flags set before it.
    with pytest.raises(ValueError), cm.change_flags(int_division="floatX", floatX="float33"):
        pass
    assert (config.floatX, config.int_division) == old


def test_change_flags_as_decorator_and_reentrant():
    old = config.floatX
    calls = []

    @cm.change_flags(floatX="float32")
    def f(depth):
        calls.append(config.floatX)
        if depth:
            f(depth - 1)
        assert config.floatX == "float32"   # an inner exit must not undo the outer change
        return depth

    assert f(2) == 2 and f.__name__ == "f"
    assert calls == ["float32"] * 3 and config.floatX == old
    with config.change_flags(floatX="float16"):   # Theano-PyMC spelling
        assert config.floatX == "float16"
    assert config.floatX == old


def test_mode_values():
    class Mode:   # stands in for compile.mode.Mode, which sits above the config layer
        pass

    class FastMode(Mode):
        pass

    with cm.change_flags(mode="Mode"):
        for value in ("FAST_RUN", "FAST_COMPILE", "DebugMode", "DEBUG_MODE", "NanGuardMode"):
            config.mode = value
            assert config.mode == value
        instance = FastMode()
        config.mode = instance
        assert config.mode is instance
        with pytest.raises(ValueError, match="mode"):
            config.mode = "FAST"
        # Theano 1.0 removed ProfileMode; the message lists the valid names.
        with pytest.raises(ValueError, match="'FAST_RUN'.*ProfileMode was removed"):
            config.mode = "ProfileMode"


def test_str_lists_every_flag_with_doc_and_value():
    text = str(config)
    assert "floatX (('float64', 'float32', 'float16'))" in text
    assert "    Doc:  Default floating-point precision" in text
    assert f"    Value:  {config.floatX}" in text
    for name in ("gcc.cxxflags", "warn.subtensor_merge_bug", "dnn.conv.algo_fwd", "lib.cnmem"):
        assert name in text


def test_config_is_a_singleton():
    assert cm.TheanoConfigParser() is config   # Theano's instances all shared their values
    assert copy.deepcopy(config) is config
    if PACKAGE_IMPORTS:   # unpickling imports theano_compat.config by name
        assert pickle.loads(pickle.dumps(config)) is config


def test_add_config_var_registers_a_new_flag():
    name = "test_config_py.sub.my_flag"
    cm.AddConfigVar(name, "A flag added by a library.", cm.IntParam(3, lambda i: i > 0))
    try:
        assert config.test_config_py.sub.my_flag == 3 == config.test_config_py__sub__my_flag
        with cm.change_flags(test_config_py__sub__my_flag=5):
            assert config.test_config_py.sub.my_flag == 5
        with pytest.raises(ValueError):
            config.test_config_py.sub.my_flag = 0
        with pytest.raises(AttributeError, match="already taken"):
            cm.AddConfigVar(name, "again", cm.IntParam(1))
    finally:   # the flag table is process-global: the next run of this test adds it again
        forget_flag(name, cm)
    assert not hasattr(config, "test_config_py") and name not in str(config)


def test_numpy_seterr_kwargs(tmp_path):
    code = "#LOAD\nout = cm.numpy_seterr_kwargs()\n"
    out, _ = run_json(code, tmp_path)
    assert out == {"all": "ignore", "divide": None, "over": None, "under": None, "invalid": None}
    out, _ = run_json(code, tmp_path, flags="numpy.seterr_all=None,numpy.seterr_over=raise")
    assert out == {"all": None, "divide": None, "over": "raise", "under": None, "invalid": None}


def test_import_is_cheap_and_lazy(tmp_path):
    # logging, configparser and shlex cost ~7 ms to import together; config.py imports them
    # only when needed (DESIGN §9.6 import budget). Loaded by path: other modules may use them.
    code = f"""
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("theano_compat.config", {str(CONFIG_PY)!r})
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
print(json.dumps([m for m in ("logging", "configparser", "shlex") if m in sys.modules]))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("THEANO_FLAGS", "THEANORC")}
    env["HOME"] = str(tmp_path)
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120, cwd=str(tmp_path), check=False)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == []
