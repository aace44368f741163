"""theano.gof.callcache.CallCache ("Theano 1.0.5": tests/golden/gof_linkers.theano105.json)."""

from __future__ import annotations

import theano
import theano.tensor as T
from tests.support import golden
from theano.gof.callcache import CallCache

_make = golden.load_recorder("make_gof_linkers")
GOLDEN = golden.load_record("gof_linkers.theano105.json")


def test_matches_theano_105():
    golden.assert_same(_make.scenarios(theano, T, theano.Mode)["callcache"](),
                       GOLDEN["callcache"], "callcache")


def test_persist_and_reload(tmp_path):
    path = str(tmp_path / "cache.pkl")
    cache = CallCache(path)
    assert cache.cache == {}
    assert cache.call(pow, (2, 10)) == 1024
    cache.persist()
    again = CallCache(path)
    assert again.cache == {(pow, (2, 10)): 1024}
    assert again.call(lambda: 1 / 0, key=(pow, (2, 10))) == 1024  # a hit: fn not called
    del cache, again
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    assert CallCache(str(tmp_path / "bad.pkl")).cache == {}


def test_deleting_a_cache_persists_it(tmp_path):
    path = tmp_path / "auto.pkl"
    cache = CallCache(str(path))
    cache.call(max, (3, 4))
    del cache
    assert CallCache(str(path)).cache == {(max, (3, 4)): 4}
