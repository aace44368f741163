"""theano.compat: the Python 2/3 shims (values recorded with ../shared/tools/theano-ref)."""

import collections.abc
import os
import configparser as stdlib_configparser
import copy
import pickle

import theano
from theano import compat


def test_names_and_star_export():
    # Theano 1.0.5's __all__, in its order.
    assert compat.__all__ == [
        "PY3", "b", "BytesIO", "Callable", "next", "configparser", "reload", "cmp",
        "operator_div", "DictMixin", "Iterable", "Mapping", "OrderedDict", "ValuesView",
        "decode", "decode_iter", "get_unbound_function", "imap", "izip", "ifilter",
        "DefaultOrderedDict", "maybe_add_to_os_environ_pathlist"]
    namespace = {}
    exec("from theano.compat import *", namespace)
    assert set(compat.__all__) <= set(namespace)
    assert namespace["configparser"] is stdlib_configparser   # the lazy name resolves
    assert "configparser" in dir(compat) and theano.compat is compat


def test_python3_spellings():
    assert compat.PY3 is True
    assert compat.DictMixin is collections.abc.MutableMapping
    assert (compat.izip, compat.imap, compat.ifilter) == (zip, map, filter)
    assert compat.operator_div(7, 2) == 3.5
    assert list(compat.izip([1, 2], "ab")) == [(1, "a"), (2, "b")]
    assert compat.next(iter([4])) == 4


def test_cmp_and_exc_message():
    assert [compat.cmp(1, 2), compat.cmp(2, 2), compat.cmp(3, 2), compat.cmp("a", "b")] == \
        [-1, 0, 1, -1]
    # The message of an exception re-raised inside others is found recursively.
    assert compat.exc_message(ValueError(KeyError(TypeError("deep")))) == "deep"
    assert compat.exc_message(ValueError("m", 2)) == "m"


def test_bytes_helpers():
    assert compat.b("ab\xe9") == b"ab\xe9"
    assert compat.decode(b"ab") == "ab"
    assert list(compat.decode_iter([b"x", b"y"])) == ["x", "y"]
    assert compat.decode_with(b"\xe9", "latin-1") == "\xe9"


def test_get_unbound_function():
    class A:
        def m(self):
            return 1

    assert compat.get_unbound_function(A().m) is A.m
    assert compat.get_unbound_function(A.m) is A.m


def test_default_ordered_dict():
    d = compat.DefaultOrderedDict(list)
    d["b"].append(1)
    d["a"].append(2)
    d["b"].append(3)
    assert list(d.items()) == [("b", [1, 3]), ("a", [2])]
    d2 = copy.copy(d)
    assert type(d2) is compat.DefaultOrderedDict and d2.default_factory is list
    assert list(d2.items()) == [("b", [1, 3]), ("a", [2])]
    # Theano's __reduce__ returned a list where pickle needs an iterator, so its objects did
    # not pickle; these do.
    d3 = pickle.loads(pickle.dumps(d))
    assert list(d3.items()) == [("b", [1, 3]), ("a", [2])] and d3.default_factory is list
    try:
        compat.DefaultOrderedDict(5)
    except TypeError as e:
        assert str(e) == "first argument must be callable"
    else:
        raise AssertionError("a non-callable factory was accepted")
    try:
        compat.DefaultOrderedDict()["x"]
    except KeyError as e:
        assert e.args == ("x",)
    else:
        raise AssertionError("a missing key without factory did not raise")


def test_maybe_add_to_os_environ_pathlist(monkeypatch, tmp_path):
    monkeypatch.setenv("TC_PATHLIST", os.pathsep.join(["/a", "/b"]))
    compat.maybe_add_to_os_environ_pathlist("TC_PATHLIST", str(tmp_path))
    assert os.environ["TC_PATHLIST"].split(os.pathsep) == [str(tmp_path), "/a", "/b"]
    compat.maybe_add_to_os_environ_pathlist("TC_PATHLIST", "/a")          # already there
    compat.maybe_add_to_os_environ_pathlist("TC_PATHLIST", "relative")    # not absolute
    assert os.environ["TC_PATHLIST"].split(os.pathsep) == [str(tmp_path), "/a", "/b"]
