"""theano.misc.frozendict (results of the same calls under Theano 1.0.5)."""

import collections.abc
import pickle

import pytest

from theano.misc.frozendict import FrozenOrderedDict, frozendict


def test_mapping_and_hash():
    a, b = frozendict({"x": 1, "y": 2}), frozendict(y=2, x=1)
    assert a == b and hash(a) == hash(b)             # the hash ignores the item order
    assert hash(frozendict({1: 2})) == hash((1, 2))  # XOR of the item hashes
    assert repr(frozendict(x=1)) == "<frozendict {'x': 1}>"
    assert (len(a), sorted(a), "x" in a, a["y"], a.get("q", 9)) == (2, ["x", "y"], True, 2, 9)
    assert dict(a) == {"x": 1, "y": 2} and isinstance(a, collections.abc.Mapping)
    with pytest.raises(TypeError):
        a["x"] = 5
    assert {a: "ok"}[b] == "ok"


def test_copy_and_ordered():
    a = frozendict({"x": 1, "y": 2})
    assert repr(a.copy(z=3)) == "<frozendict {'x': 1, 'y': 2, 'z': 3}>"
    assert repr(a) == "<frozendict {'x': 1, 'y': 2}>"
    f = FrozenOrderedDict([("b", 1), ("a", 2)])
    # (Theano's repr wraps Python's OrderedDict repr, which Python 3.12 changed to
    # "OrderedDict({'b': 1, 'a': 2})")
    assert repr(f) == f"<FrozenOrderedDict {collections.OrderedDict([('b', 1), ('a', 2)])!r}>"
    assert type(f.copy(c=3)) is FrozenOrderedDict and list(f.copy(c=3)) == ["b", "a", "c"]
    assert pickle.loads(pickle.dumps(a)) == a
