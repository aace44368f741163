"""theano.misc: Theano's miscellaneous utilities (pkl_utils, may_share_memory, ordered_set,
frozendict, safe_asarray, strutil, the check_* tools...).  ``import theano`` loads the light
ones Theano loaded with it."""

from . import cpucount, frozendict, ordered_set, safe_asarray, windows  # noqa: F401
