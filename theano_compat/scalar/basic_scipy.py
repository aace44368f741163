"""theano.scalar.basic_scipy: the special functions of Theano 1.0.5 (a facade).

The ops are declarations of scalar/ops.py (computed with scipy.special, or
cupyx.scipy.special on the GPU); each class is the class of its declaration.
"""

import importlib.util

from ..graph.null import grad_not_implemented  # noqa: F401
from .dtypes import upcast  # noqa: F401
from .op import BinaryScalarOp, UnaryScalarOp, theano_class  # noqa: F401
from .ops import (  # noqa: F401
    chi2sf,
    erf,
    erfc,
    erfcinv,
    erfcx,
    erfinv,
    exp,
    gamma,
    gammainc,
    gammaincc,
    gammal,
    gammaln,
    gammau,
    i0,
    i1,
    iv,
    j0,
    j1,
    jv,
    psi,
    tri_gamma,
)
from .type import complex_types, discrete_types, float_types  # noqa: F401
from .type_rules import (  # noqa: F401
    upgrade_to_float,
    upgrade_to_float64,
    upgrade_to_float_no_complex,
)

imported_scipy_special = importlib.util.find_spec("scipy") is not None

Erf = theano_class("erf")
Erfc = theano_class("erfc")
Erfcx = theano_class("erfcx")
Erfinv = theano_class("erfinv")
Erfcinv = theano_class("erfcinv")
Gamma = theano_class("gamma")
GammaLn = theano_class("gammaln")
Psi = theano_class("psi")
TriGamma = theano_class("tri_gamma")
J0 = theano_class("j0")
J1 = theano_class("j1")
Jv = theano_class("jv")
I0 = theano_class("i0")
I1 = theano_class("i1")
Iv = theano_class("iv")
GammaInc = theano_class("gammainc")
GammaIncC = theano_class("gammaincc")
GammaU = theano_class("gammau")
GammaL = theano_class("gammal")
Chi2SF = theano_class("chi2sf")
