"""theano.version / theano._version / theano.__version__ (values of Theano 1.0.5, printed by
../shared/tools/theano-ref)."""

import json

import theano
from theano import _version, version


def test_version_values():
    assert theano.__version__ == "1.0.5"
    assert (version.version, version.full_version, version.short_version) == \
        ("1.0.5", "1.0.5", "1.0.5")
    assert version.git_revision == "f3bb5b755ec5e92fb60b5364d83a10878fa9a211"
    assert version.release is True
    assert version.FALLBACK_VERSION == "1.0.5+unknown"
    assert version.compat_version == "0.1.0"
    assert theano.version is version and theano._version is _version


def test_get_versions_is_the_parsed_json():
    info = _version.get_versions()
    assert info == json.loads(_version.version_json)
    assert info["version"] == "1.0.5" and info["error"] is None and info["dirty"] is False
    info["version"] = "changed"   # a copy each time
    assert _version.get_versions()["version"] == "1.0.5"
    assert _version.json is json and "json" in dir(_version)
