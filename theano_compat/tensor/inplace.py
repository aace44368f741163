"""theano.tensor.inplace: the ``*_inplace`` Elemwise Ops (``add_inplace``, ``exp_inplace``...).

Built from the table that theano.tensor's elementwise Ops come from (every scalar op
declared with ``tensor=True``; see elemwise_ops.py), plus ``second_inplace`` (also
``fill_inplace``) and ``transpose_inplace``, as Theano's module offered.  Each is an
Elemwise with the inplace pattern ``{0: 0}``, named as in Theano (``str(add_inplace) ==
"add_inplace"``), which builds nodes of the same dtype rules as the plain Op.

As in Theano, the scalar op is the plain one's class with the output type of input 0
(``Add(transfer_type(0))``: ``add_inplace(lvector, dvector)`` is an int64 vector), and the
Op declares ``destroy_map = {0: [0]}``: a function holding one is compiled only with
``accept_inplace=True``, and its result is written into the first input's array, the
caller's own when that input is a function input (see compile/pipeline.py for when a
copy is given instead).  This project's rewrites never build such Ops (DESIGN.md §1.4):
only graphs users build hold them.
"""

from __future__ import annotations

from .. import scalar as scal  # noqa: F401 - names of Theano's module
from ..scalar import ops as S
from ..scalar.op import tensor_level
from ..scalar.type_rules import transfer_type
from ..utils import lazy_names
from . import elemwise  # noqa: F401
from .elemwise import DimShuffle, Elemwise, as_tensor_variable


def _inplace(name, scalar_op):
    """Theano's ``_scal_inplace``: the Elemwise of `scalar_op`'s class with the output
    type of input 0, overwriting input 0."""
    if getattr(scalar_op.__class__, "_table", None) is scalar_op:
        scalar_op = scalar_op.__class__(transfer_type(0))
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


# theano.printing and its pprint (a layer above this one), found where ``import theano``
# loaded them.
_printing_name, _ = lazy_names(__name__, {"printing": ("theano_compat.printing", None),
                                          "pprint": ("theano_compat.printing", "pprint")})


def __getattr__(name):
    try:
        return INPLACE[name]
    except KeyError:
        return _printing_name(name)


def __dir__():
    return sorted({*globals(), *__all__, "printing", "pprint"})
