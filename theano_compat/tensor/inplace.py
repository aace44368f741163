"""theano.tensor.inplace: the ``*_inplace`` Elemwise Ops (``add_inplace``, ``exp_inplace``...).

Built from the table that theano.tensor's elementwise Ops come from (every scalar op
declared with ``tensor=True``; see elemwise_ops.py), plus ``second_inplace`` (also
``fill_inplace``) and ``transpose_inplace``, as Theano's module offered.  Each is an
Elemwise with the inplace pattern ``{0: 0}``, named as in Theano (``str(add_inplace) ==
"add_inplace"``), which builds nodes of the same dtype rules as the plain Op.

Running one computes the same values as the plain Op, into a new array: the graph
declares no destroyed input, because here the linker decides where results are written
(DESIGN.md §1.4: no in-place Ops in the graph, no destroy handler), whereas Theano's
overwrote the first input, and refused such graphs without ``accept_inplace=True``.
"""

from __future__ import annotations

from ..scalar import ops as S
from ..scalar.op import tensor_level
from .elemwise import DimShuffle, Elemwise, as_tensor_variable


def _inplace(name, scalar_op):
    return Elemwise(scalar_op, {0: 0}, name=f"{name}_inplace")


# {inplace name: its Elemwise} for every op of the table (``exp_inplace``...).  The names
# are resolved on attribute access (PEP 562), so a new table entry needs no line here.
INPLACE = {f"{name}_inplace": _inplace(name, op) for name, op in tensor_level().items()}

second_inplace = fill_inplace = _inplace("second", S.second)


def transpose_inplace(x, **kwargs):
    """`x` with its dimensions reversed (a DimShuffle, which is a view of `x`)."""
    x = as_tensor_variable(x)
    return DimShuffle(x.type.broadcastable, list(range(x.type.ndim - 1, -1, -1)))(x)


__all__ = [*INPLACE, "second_inplace", "fill_inplace", "transpose_inplace"]  # noqa: PLE0604


def __getattr__(name):
    try:
        return INPLACE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__():
    return sorted({*globals(), *__all__})
