"""theano._version: the release information ``theano.version`` is built from.

Theano 1.0.5 generated this module with versioneer; the values are those of the Theano 1.0.5
release whose API this package provides.
"""

import importlib

version_json = """
{
 "date": "2020-07-27T18:09:29+0200",
 "dirty": false,
 "error": null,
 "full-revisionid": "f3bb5b755ec5e92fb60b5364d83a10878fa9a211",
 "version": "1.0.5"
}
"""  # END VERSION_JSON

_VERSIONS = {
    "date": "2020-07-27T18:09:29+0200",
    "dirty": False,
    "error": None,
    "full-revisionid": "f3bb5b755ec5e92fb60b5364d83a10878fa9a211",
    "version": "1.0.5",
}


def get_versions():
    """The release information as a new dict (keys: version, full-revisionid, date, dirty,
    error), the parsed form of ``version_json``."""
    return dict(_VERSIONS)


def __dir__():
    return sorted([*globals(), "json"])


def __getattr__(name):
    # Theano's module had ``json`` (it parsed version_json); imported only when asked for.
    if name == "json":
        return importlib.import_module("json")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
