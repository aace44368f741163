"""theano.typed_list.opt: `typed_list_inplace_opt`, which replaces the list-changing Ops
(Append, Extend, Insert, Remove, Reverse) by their in-place versions where the graph lets
their list input be destroyed; registered in ``theano.compile.optdb`` under that name
(position 60, tags fast_run and inplace), as in Theano.

Also the constant folding of the Ops returning lists (Theano's generic constant folding
did it; this project's tensor folding rule folds tensor outputs only): registered in the
canonicalize slot as ``typed_list_constant_folding``."""

from __future__ import annotations

from .. import compile, gof  # noqa: F401,A004 - Theano's module held these names
from ..gof import TopoOptimizer
from ..graph.basic import Constant
from .basic import Append, Extend, GetItem, Insert, MakeList, Remove, Reverse
from .type import TypedListType

__all__ = ["typed_list_inplace_opt"]


@gof.local_optimizer([Append, Extend, Insert, Reverse, Remove], inplace=True)
def typed_list_inplace_opt(node):
    if isinstance(node.op, (Append, Extend, Insert, Reverse, Remove)) and not node.op.inplace:
        return [type(node.op)(inplace=True)(*node.inputs)]
    return False


compile.optdb.register("typed_list_inplace_opt",
                       TopoOptimizer(typed_list_inplace_opt,
                                     failure_callback=TopoOptimizer.warn_inplace),
                       60, "fast_run", "inplace")


@gof.local_optimizer([GetItem, Append, Extend, Insert, Remove, Reverse, MakeList])
def _typed_list_constant_folding(node):
    """A typed-list node whose inputs are all constants, as the constant of its value."""
    if not node.inputs or not all(isinstance(i, Constant) for i in node.inputs):
        return False
    if not all(isinstance(o.type, TypedListType) for o in node.outputs):
        return False
    if getattr(node.op, "inplace", False) or not node.op.do_constant_folding(node):
        return False
    storage = [[None] for _ in node.outputs]
    node.op.perform(node, [i.data for i in node.inputs], storage)
    return [o.type.Constant(o.type, cell[0]) for o, cell in zip(node.outputs, storage)]


compile.optdb["canonicalize"].register("typed_list_constant_folding",
                                       _typed_list_constant_folding, "fast_run",
                                       "fast_compile")
