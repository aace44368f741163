"""Sparse matrices (Theano's ``theano.sparse``) on scipy.sparse (CPU) and, in functions
compiled for a GPU, cupyx.scipy.sparse (bool/float/complex matrices; others on the host).

``theano.sparse.shared`` (and ``theano.shared`` once this package is imported) makes
shared variables of scipy.sparse matrices.
"""

from __future__ import annotations

from .type import *  # noqa: F401,F403
from .type import SparseType, _is_sparse  # noqa: F401
from .basic import *  # noqa: F401,F403
from .basic import _is_dense, _is_dense_variable, _is_sparse_variable, _mtypes  # noqa: F401
from . import opt, sandbox  # noqa: F401,E402
from . import sharedvar  # noqa: F401,E402
from .sharedvar import sparse_constructor as shared  # noqa: E402,F401
from ..utils import lazy_names  # noqa: E402

enable_sparse = True
imported_scipy = True
scipy_ver = [int(n) for n in __import__("scipy").__version__.split(".")[:2]]


_HIGHER = {"theano": ("theano_compat", None), "gof": ("theano_compat.gof", None)}
__getattr__, __dir__ = lazy_names(__name__, _HIGHER)
