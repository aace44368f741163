"""Legacy path ``theano.compile.builders`` (facade): OpFromGraph lives in
tensor/opfromgraph.py (it reaches grad and Rop through ``hooks.gradient_api``)."""

from ..tensor.opfromgraph import OpFromGraph  # noqa: F401
