"""theano.scalar: scalar dtypes, promotion rules and the scalar operation table."""

from .dtypes import (  # noqa: F401
    all_dtypes,
    complex_dtypes,
    continuous_dtypes,
    discrete_dtypes,
    float_dtypes,
    int_dtypes,
    integer_dtypes,
    uint_dtypes,
    upcast,
)
from .op import ScalarOp  # noqa: F401
from .ops import *  # noqa: F401,F403
from .ops import ALL as _ALL
from . import basic  # noqa: F401 - theano.scalar.basic (Theano's module)
from . import basic_scipy  # noqa: F401 - theano.scalar.basic_scipy
from .basic import *  # noqa: F401,F403 - Theano's theano.scalar names (types, rules, classes)
from .basic_scipy import *  # noqa: F401,F403
from .basic import upgrade_to_float  # noqa: F401 - Theano's rule over types
from . import sharedvar  # noqa: F401 - theano.scalar.sharedvar (Theano's name)
from .sharedvar import Scalar  # noqa: F401 - the scalar Type (Op params, shared scalars)

__all__ = ["upcast", "upgrade_to_float", "ScalarOp", "Scalar"] + list(_ALL)  # every op of the table
