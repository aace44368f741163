"""theano.compile.sharedvalue: shared variables (graph inputs whose value lives between calls).

``shared(value, name=None, strict=False, allow_downcast=None, **kwargs)`` tries the
registered constructors newest first (``shared_constructor`` adds one); ``SharedVariable``
is their base class, ``generic`` the type of a shared variable holding any Python object.
The classes and functions live in graph/shared.py (the graph layer needs them); this is
their Theano path.
"""

from ..graph.basic import Variable  # noqa: F401 - Theano's module imported it
from ..graph.shared import (Container, SharedVariable, generic_constructor, shared,
                            shared_constructor)
from ..graph.type import generic

__all__ = ["SharedVariable", "shared", "shared_constructor", "generic", "generic_constructor",
           "Container", "Variable"]

from .legacy_names import GOF_UTILS, lazy_names  # noqa: E402

__getattr__, __dir__ = lazy_names(__name__, {"utils": GOF_UTILS})
