"""Legacy path ``theano.compile.builders`` (facade): OpFromGraph lives in
tensor/opfromgraph.py.

OpFromGraph differentiates its inner graph with grad and Rop, which sit in a layer above
it; they are handed to it here, where both layers are importable (DESIGN.md §3).
"""

from ..gradient import Rop, grad
from ..tensor import opfromgraph as _opfromgraph
from ..tensor.opfromgraph import OpFromGraph  # noqa: F401

_opfromgraph.install_gradient_api(grad=grad, Rop=Rop)
