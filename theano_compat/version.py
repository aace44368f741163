"""theano.version: ``version`` (the ``theano.__version__`` string), ``full_version``,
``short_version``, ``git_revision`` and ``release``, as Theano 1.0.5 reported them.

This package implements Theano 1.0.5's API, so code that checks ``theano.__version__``
takes its Theano 1.0.5 branch.  The package's own release is ``compat_version``.
"""

from ._version import get_versions

FALLBACK_VERSION = "1.0.5+unknown"

_info = get_versions()
full_version = _info["version"] if _info["error"] is None else FALLBACK_VERSION
git_revision = _info["full-revisionid"]
short_version = full_version.split("+")[0]
# A release has a numeric third component (not a tag such as 'rc1').
release = short_version.split(".")[2].isdigit() if short_version.count(".") >= 2 else False
version = short_version if release and _info["error"] is None else full_version
del _info

compat_version = "0.1.0"
