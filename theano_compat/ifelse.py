"""Legacy path ``theano.ifelse`` (facade): the lazy conditional and its rewrites live in
tensor/ifelse.py."""

from copy import deepcopy  # noqa: F401 - names of Theano's module

import theano_compat as theano  # noqa: F401 - Theano's module held `theano`

from . import gof  # noqa: F401
from .compat import izip  # noqa: F401
from .compile import optdb  # noqa: F401
from .gof import Apply, Op, opt  # noqa: F401
from .gof.graph import clone  # noqa: F401
from .gof.utils import iteritems  # noqa: F401
from .tensor import TensorType  # noqa: F401
from .tensor.ifelse import (  # noqa: F401
    CondMerge,
    IfElse,
    acceptable_ops,
    cond_make_inplace,
    cond_merge_ifs_false,
    cond_merge_ifs_true,
    cond_merge_random_op,
    cond_remove_identical,
    ifelse,
    ifelse_lift_single_if_through_acceptable_ops,
)

xrange = range
