"""The runtime dependencies are Theano 1.0.5's (its setup.py: install_requires numpy,
scipy, six), so legacy code's `from six.moves import cPickle` works wherever this
package is installed."""

import os
import tomllib

from tests.support.paths import ROOT


def test_runtime_dependencies_include_theanos():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        deps = tomllib.load(fh)["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("<")[0].strip() for d in deps}
    assert {"numpy", "scipy", "six"} <= names


def test_six_moves_as_legacy_code_uses_them():
    import pickle

    from six.moves import cPickle, xrange

    import theano

    assert cPickle is pickle and list(xrange(3)) == [0, 1, 2]
    assert theano.PY3 is True  # `from six import PY3` in Theano's package namespace
