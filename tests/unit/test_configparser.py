"""theano.configparser: Theano 1.0.5's configuration API over theano_compat/config.py.

Expected values were printed by the same calls under the original Theano
(../shared/tools/theano-ref).
"""

import io
import os
import subprocess
import sys

import pytest

import theano
from theano import configparser as cp
from theano.configparser import (AddConfigVar, BoolParam, ConfigParam, EnumStr, FloatParam,
                                 IntParam, StrParam, THEANO_FLAGS_DICT, TypedParam,
                                 change_flags, config)
from tests.support.config_flags import forget_flag
from tests.support.paths import ROOT

_cm = sys.modules["theano_compat.config"]


@pytest.fixture
def new_flags():
    """Names registered by the test are removed again afterwards."""
    names = []
    yield names
    for name in names:
        if name in _cm._FLAGS:
            forget_flag(name, _cm)
        THEANO_FLAGS_DICT.pop(name, None)


def test_change_flags_restores_values():
    seen = [config.floatX]
    with change_flags(floatX="float32"):
        seen.append(config.floatX)
        with change_flags({"floatX": "float16"}, **{"warn.round": False}):
            seen.append((config.floatX, config.warn.round))
        seen.append((config.floatX, config.warn.round))
    seen.append(config.floatX)
    with pytest.raises(KeyError):
        with change_flags(floatX="float32"):
            raise KeyError("x")
    seen.append(config.floatX)
    assert seen == ["float64", "float32", ("float16", False), ("float32", False), "float64",
                    "float64"]


def test_change_flags_as_a_decorator():
    @change_flags(floatX="float32")
    def f(a):
        return a, config.floatX

    assert f(3) == (3, "float32") and config.floatX == "float64" and f.__name__ == "f"
    # An invalid value: ValueError, and the flags set before it are put back.
    with pytest.raises(ValueError):
        with change_flags(floatX="float32", on_opt_error="bogus"):
            pass
    assert (config.floatX, config.on_opt_error) == ("float64", "raise")  # the suite's value


def test_add_config_var(new_flags):
    new_flags += ["cp_test.sub.flag", "cp_test.bad", "cp_test.from_flags", "cp_test.ro"]
    AddConfigVar("cp_test.sub.flag", "doc", IntParam(3, lambda i: i > 0), in_c_key=False)
    assert config.cp_test.sub.flag == 3
    config.cp_test.sub.flag = "7"
    assert config.cp_test.sub.flag == 7
    with pytest.raises(ValueError):
        config.cp_test.sub.flag = 0
    with pytest.raises(AttributeError) as info:
        AddConfigVar("cp_test.sub.flag", "again", IntParam(1), in_c_key=False)
    assert info.value.args == ("This name is already taken", "cp_test.sub.flag")

    def filt(v):
        if v == "bad":
            raise ValueError("bad value")
        return v

    with pytest.raises(ValueError):   # an invalid default...
        AddConfigVar("cp_test.bad", "d", ConfigParam("bad", filter=filt), in_c_key=False)
    # ... leaves the name free for a corrected registration, as in Theano.
    AddConfigVar("cp_test.bad", "d", ConfigParam("good", filter=filt), in_c_key=False)
    assert config.cp_test.bad == "good"

    # THEANO_FLAGS_DICT is consulted, and the entry consumed.
    THEANO_FLAGS_DICT["cp_test.from_flags"] = "12"
    AddConfigVar("cp_test.from_flags", "d", IntParam(1), in_c_key=False)
    assert config.cp_test.from_flags == 12 and "cp_test.from_flags" not in THEANO_FLAGS_DICT
    with change_flags(**{"cp_test.from_flags": 5}):
        assert config.cp_test.from_flags == 5
    assert config.cp_test.from_flags == 12

    AddConfigVar("cp_test.ro", "d", IntParam(1, allow_override=False), in_c_key=False)
    with pytest.raises(Exception, match="Can't change the value"):
        config.cp_test.ro = 2
    # _config_var_list is live (also when imported by name before the registration).
    assert cp._config_var_list[-1].fullname == "cp_test.ro"
    assert str(cp._config_var_list[-1]) == "cp_test.ro (<class 'int'>) "
    assert cp._config_var_list[-1].__get__(True, None) == 1


def test_theano_flags_set_a_flag_added_later(tmp_path):
    # A library's flag registered after import takes its THEANO_FLAGS value.
    code = ("import theano\nfrom theano.configparser import AddConfigVar, IntParam\n"
            "AddConfigVar('mylib.level', 'd', IntParam(1))\nprint(theano.config.mylib.level)\n")
    env = {k: v for k, v in os.environ.items() if k not in ("THEANO_FLAGS", "THEANORC")}
    env.update(THEANO_FLAGS="mylib.level=4", HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join([ROOT, env.get("PYTHONPATH", "")]))
    res = subprocess.run([sys.executable, "-W", "ignore", "-c", code], env=env,
                         capture_output=True, text=True, timeout=120, cwd=str(tmp_path),
                         check=False)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "4"


def test_parameter_kinds():
    e = EnumStr("a", "b", "c")
    assert e.all == ("a", "b", "c") and isinstance(e, ConfigParam)
    with pytest.raises(ValueError):
        EnumStr("a", 1)
    assert isinstance(IntParam(1), TypedParam) and type(BoolParam(True)).__name__ == "TypedParam"
    p = BoolParam(True)
    assert [p.filter(x) for x in ["True", "true", "1", True, "False", "false", "0", False, 1,
                                  0]] == [True] * 4 + [False] * 4 + [True, False]
    assert [IntParam(1).filter("5"), FloatParam(1.0).filter("2.5"), StrParam("").filter(5)] == \
        [5, 2.5, "5"]
    assert isinstance(cp.DeviceParam("cpu"), ConfigParam)


def test_parse_config_string():
    strings = ["a=1,b=2", "a=1,,b=2,a=3", "x", "k='1,2',j=\"3\"", "floatX=float32,device=cpu", ""]
    assert [cp.parse_config_string(s, issue_warnings=False) for s in strings] == [
        {"a": "1", "b": "2"}, {"a": "3", "b": "2"}, {}, {"k": "1,2", "j": "3"},
        {"floatX": "float32", "device": "cpu"}, {}]


def test_fetch_val_for_key():
    THEANO_FLAGS_DICT["cp_test.fetch"] = "v"
    try:
        assert cp.fetch_val_for_key("cp_test.fetch") == "v"
        assert cp.fetch_val_for_key("cp_test.fetch", delete_key=True) == "v"
        with pytest.raises(KeyError):
            cp.fetch_val_for_key("cp_test.fetch")
    finally:
        THEANO_FLAGS_DICT.pop("cp_test.fetch", None)


def test_config_hash_and_print():
    h = cp.get_config_hash()
    assert h[0] == "m" and len(h) == 65 and int(h[1:], 16) >= 0
    buf = io.StringIO()
    cp._config_print(None, buf, print_doc=False)
    text = buf.getvalue()
    assert "floatX (('float64', 'float32', 'float16')) \n    Value:  float64\n" in text
    assert "Doc:" not in text


def test_theano_cfg_and_files(tmp_path, monkeypatch):
    assert cp.config_files_from_theanorc() == [os.path.expanduser("~/.theanorc"),
                                              os.path.expanduser("~/.theanorc.txt")]
    rc = tmp_path / "rc"
    rc.write_text("[global]\nfloatX = float32\n[gcc]\ncxxflags = -O%(PID)s\n")
    monkeypatch.setenv("THEANORC", str(rc))
    assert cp.config_files_from_theanorc() == [str(rc)]
    cfg = cp._theano_cfg(raw=False)
    assert cfg.get("global", "floatX") == "float32"
    assert cfg.get("gcc", "cxxflags") == f"-O{os.getpid()}"
    assert cp._theano_cfg(raw=True).get("gcc", "cxxflags") == "-O%(PID)s"


def test_names_of_theanos_module():
    namespace = {}
    exec("from theano.configparser import *", namespace)
    for name in ("AddConfigVar", "ConfigParser", "TheanoConfigWarning", "THEANO_FLAGS_DICT",
                 "change_flags", "config", "theano", "theano_cfg", "config_files", "wraps"):
        assert name in namespace, name
    assert namespace["theano"] is theano and theano.configparser is cp
    with pytest.warns(cp.TheanoConfigWarning, match="careful"):
        cp.TheanoConfigWarning.warn("careful")
