"""The tensor-level elementwise Ops: ``theano.tensor.add``, ``exp``, ``tanh``...

Each name is the Elemwise instance of a scalar op that scalar/ops.py declares with
``tensor=True`` (`theano_compat.scalar.op.tensor_level` lists them), as in Theano:
``str(T.add) == "Elemwise{add,no_inplace}"``, and ``(x + y).owner.op is T.add``, since
`elemwise_of` gives one shared instance per scalar op.  The Elemwise of add and mul take
any number of inputs (``T.add(a, b, c)``).  theano.tensor.inplace builds the ``*_inplace``
Ops from the same table.

The names are not written out one by one: a scalar op declared with ``tensor=True`` is
a name here (and in theano.tensor, theano.tensor.basic and theano.tensor.inplace) by that
declaration alone.  The module resolves them on attribute access (PEP 562), so
``from .elemwise_ops import add`` and ``elemwise_ops.exp`` work as for written names,
`__all__` lists them for the facades' star imports, and nothing writes globals().
"""

from __future__ import annotations

from ..scalar.op import tensor_level
from .elemwise import elemwise_of

# {tensor name: Elemwise} for every op of the table.
ELEMWISE = {name: elemwise_of(op) for name, op in tensor_level().items()}

# Aliases Theano exports: {alias: tensor name}, the same objects.
ALIASES = {
    "abs": "abs_", "square": "sqr", "floor_div": "int_div", "floordiv": "int_div",
    "true_divide": "true_div", "bitwise_and": "and_", "bitwise_or": "or_",
    "bitwise_xor": "xor", "bitwise_not": "invert", "greater": "gt", "less": "lt",
    "greater_equal": "ge", "less_equal": "le", "equal": "eq", "not_equal": "neq",
    "conjugate": "conj", "where": "switch",
}

__all__ = [*ELEMWISE, *ALIASES]  # noqa: PLE0604 - the names are str keys


def __getattr__(name):
    try:
        return ELEMWISE[ALIASES.get(name, name)]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    return sorted({*globals(), *__all__})
