"""theano.tensor.opt: registering local optimizers, and the tensor rewrites under Theano's
names.

``register_canonicalize`` / ``register_stabilize`` / ``register_specialize`` /
``register_uncanonicalize`` / ``register_specialize_device`` / ``register_useless`` put a
local optimizer (``@gof.local_optimizer``) into the slot of the same name of
``theano.compile.optdb`` (theano_compat/graph/optdb.py); the compile pipeline runs it in
that phase of FAST_RUN (tagged ``fast_run``; ``optimizer_excluding=<name>`` or
``Mode.excluding(<name>)`` switch it off).  Used as decorators, with or without tags::

    @register_canonicalize
    @gof.local_optimizer([T.Elemwise])
    def local_my_rewrite(node): ...

    @register_specialize("fast_compile", name="my_rewrite")
    ...

The ``local_*`` names are this project's own rules (tensor/rewrites/) seen as Theano
local optimizers (``transform(node)``), for the ones Theano had under that name; Theano's
rules the project does not have are not defined here.  ``Assert`` / ``assert_op`` is
Theano's run-time assertion Op.
"""

from __future__ import annotations

import itertools  # noqa: F401 - names of Theano's module
import logging  # noqa: F401
import operator  # noqa: F401
import sys
import time  # noqa: F401
import traceback  # noqa: F401
import warnings  # noqa: F401
from collections import defaultdict  # noqa: F401
from functools import reduce  # noqa: F401
from io import StringIO  # noqa: F401

import numpy as np  # noqa: F401

from .. import scalar  # noqa: F401
from ..config import config  # noqa: F401
from ..errors import MethodNotDefined, ShapeError  # noqa: F401
from ..graph.basic import Apply, Constant, Variable  # noqa: F401
from ..graph.fgraph import InconsistencyError  # noqa: F401
from ..graph.null import DisconnectedType, disconnected_type  # noqa: F401
from ..graph.op import Op
from ..graph.optdb import local_useless, optdb
from ..graph.optimizers import (LocalOptGroup, Optimizer, RuleOptimizer,  # noqa: F401
                                TopoOptimizer, copy_stack_trace, in2out, local_optimizer,
                                out2in, pre_constant_merge, pre_greedy_local_optimizer)
from . import basic as T  # noqa: F401
from .basic import (Alloc, NotScalarConstantError, Reshape, Shape, Shape_i,  # noqa: F401
                    as_tensor_variable, extract_constant, get_scalar_constant_value)
from .elemwise import DimShuffle, Elemwise  # noqa: F401
from .extra_ops import TopKOp  # noqa: F401
from .rewrites import CANONICALIZE, SHAPE, SPECIALIZE, STABILIZE
from .rewrites import constant_folding as _constant_folding_rule
from .shapes import MakeVector, make_vector  # noqa: F401
from .subtensor import (AdvancedIncSubtensor, AdvancedIncSubtensor1,  # noqa: F401
                        AdvancedSubtensor1, IncSubtensor, Subtensor, advanced_inc_subtensor1,
                        advanced_subtensor, advanced_subtensor1)
from .type import TensorType

_logger = logging.getLogger("theano.tensor.opt")

izip = zip
xrange = range
integer_types = (int,)


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))


# ----------------------------------------------------------------------- registering rules


def _registrar(slot, doc):
    def register(lopt, *tags, **kwargs):
        if isinstance(lopt, str):
            def decorator(inner):
                return register(inner, lopt, *tags, **kwargs)
            return decorator
        name = kwargs.pop("name", None) or lopt.__name__
        optdb[slot].register(name, lopt, "fast_run", *tags, **kwargs)
        return lopt

    register.__name__ = register.__qualname__ = f"register_{slot}"
    register.__doc__ = doc
    return register


register_canonicalize = _registrar(
    "canonicalize", "Register a local optimizer in the canonicalize phase (FAST_RUN).")
register_stabilize = _registrar(
    "stabilize", "Register a local optimizer in the stabilize phase (FAST_RUN).")
register_specialize = _registrar(
    "specialize", "Register a local optimizer in the specialize phase (FAST_RUN).")
register_uncanonicalize = _registrar(
    "uncanonicalize", "Register a local optimizer in the uncanonicalize phase, after "
    "specialize (FAST_RUN).")
register_specialize_device = _registrar(
    "specialize_device", "Register a local optimizer in the specialize_device phase, after "
    "the others and before the final merge (FAST_RUN).")


def register_useless(lopt, *tags, **kwargs):
    """Register a local optimizer in the ``useless`` group (one pass over the graph
    before canonicalize, FAST_RUN): rewrites that only remove nodes."""
    if isinstance(lopt, str):
        def decorator(inner):
            return register_useless(inner, lopt, *tags, **kwargs)
        return decorator
    name = kwargs.pop("name", None) or lopt.__name__
    local_useless.register(name, lopt, "last", "fast_run", *tags, **kwargs)
    return lopt


# ------------------------------------------------------------------------------- Assert


class Assert(Op):
    """``Assert(msg)(x, *conds)``: `x` unchanged, after checking at run time that every
    condition is true (AssertionError with `msg` otherwise)."""

    __props__ = ("msg",)
    view_map = {0: [0]}
    check_input = False

    def __init__(self, msg="Theano Assert failed!"):
        self.msg = msg

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("msg", "Theano Assert failed!")

    def make_node(self, value, *conds):
        if not isinstance(value, Variable):
            value = as_tensor_variable(value)
        cond = [as_tensor_variable(c) for c in conds]
        if not all(c.type.ndim == 0 for c in cond):
            raise TypeError("Assert: the conditions must be scalars")
        return Apply(self, [value] + cond, [value.type()])

    def impl(self, xp, value, *conds):
        if not all(bool(c) for c in conds):
            raise AssertionError(self.msg)
        return value

    def grad(self, inputs, output_grads):
        return output_grads + [disconnected_type() for _ in inputs[1:]]

    def connection_pattern(self, node):
        return [[True]] + [[False] for _ in node.inputs[1:]]

    def infer_shape(self, node, input_shapes):
        return [input_shapes[0]]

    def do_constant_folding(self, node):
        return False


assert_ = Assert()
assert_op = assert_


@local_optimizer([Assert])
def local_remove_useless_assert(node):
    """Assert without the conditions known true (constants): the value itself when
    none is left (Theano's rule; not in this project's pipelines)."""
    if not isinstance(node.op, Assert):
        return False
    kept = []
    for c in node.inputs[1:]:
        try:
            value = get_scalar_constant_value(c)
            if value.ndim != 0 or value == 0:
                kept.append(c)
        except NotScalarConstantError:
            kept.append(c)
    if not kept:
        return [node.inputs[0]]
    if len(kept) != len(node.inputs) - 1:
        ret = assert_(node.inputs[0], *kept)
        copy_stack_trace(node.outputs[0], ret)
        return [ret]
    return False


@local_optimizer([Assert])
def local_remove_all_assert(node):
    """Every Assert removed (unsafe; Theano's rule, run only when asked for)."""
    if not isinstance(node.op, Assert):
        return False
    return [node.inputs[0]]


# ------------------------------------------------------------------- Theano's helpers


def get_clients(node):
    """The nodes reading the first output of `node` (inside a local optimizer, where the
    variables have Theano's ``clients``)."""
    return [c for c, _ in getattr(node.outputs[0], "clients", ()) if c != "output"]


def get_clients2(node):
    """The nodes reading the outputs of the nodes reading `node`'s first output."""
    out = []
    for c, _ in getattr(node.outputs[0], "clients", ()):
        if c != "output":
            for var in c.outputs:
                out.extend(cc for cc, _ in getattr(var, "clients", ()) if cc != "output")
    return out


_UPCAST_CATEGORY = {
    "bool": (0, 0), "uint8": (1, 1), "uint16": (1, 2), "uint32": (1, 3), "uint64": (1, 4),
    "int8": (2, 1), "int16": (2, 2), "int32": (2, 3), "int64": (2, 4),
    "float16": (3, 1.5), "float32": (3, 2.5), "float64": (3, 3.5),
    "complex64": (4, 3), "complex128": (4, 4),
}


def is_an_upcast(type1, type2):
    """Whether converting from dtype `type1` to dtype `type2` is an upcast (a kind at
    least as general and a higher precision)."""
    cat1, cat2 = _UPCAST_CATEGORY[type1], _UPCAST_CATEGORY[type2]
    return cat2[0] >= cat1[0] and cat2[1] > cat1[1]


def encompasses_broadcastable(b1, b2):
    """Whether broadcastable pattern `b2` broadcasts to `b1`'s shape (and not the
    opposite)."""
    if len(b1) < len(b2):
        return False
    b1 = b1[-len(b2):]
    return not any(v1 and not v2 for v1, v2 in zip(b1, b2))


def merge_broadcastables(broadcastables):
    """The pattern broadcastable where all of `broadcastables` are."""
    return [all(bcast) for bcast in zip(*broadcastables)]


# --------------------------------------------------------- the project's rules, by name

_RULES = {r.name: r for r in [_constant_folding_rule] + CANONICALIZE + SHAPE + STABILIZE
          + SPECIALIZE}

constant_folding = RuleOptimizer(_RULES["constant_folding"])
topo_constant_folding = in2out(constant_folding, ignore_newtrees=True,
                               name="topo_constant_folding")
local_add_canonizer = add_canonizer = RuleOptimizer(_RULES["local_add_canonizer"])
local_mul_canonizer = mul_canonizer = RuleOptimizer(_RULES["local_mul_canonizer"])
local_dimshuffle_lift = RuleOptimizer(_RULES["local_dimshuffle_lift"])
local_expm1 = RuleOptimizer(_RULES["local_expm1"])
local_greedy_distributor = RuleOptimizer(_RULES["local_greedy_distributor"])
local_log1p = RuleOptimizer(_RULES["local_log1p"])
local_log_sum_exp = RuleOptimizer(_RULES["local_log_sum_exp"])
local_mul_zero = RuleOptimizer(_RULES["local_mul_zero"])
local_reshape_chain = RuleOptimizer(_RULES["local_reshape_chain"])
local_shape_to_shape_i = RuleOptimizer(_RULES["local_shape_to_shape_i"])
local_subtensor_make_vector = RuleOptimizer(_RULES["local_subtensor_make_vector"])
local_subtensor_lift = RuleOptimizer(_RULES["local_subtensor_of_unary_elemwise"])
local_useless_fill = RuleOptimizer(_RULES["local_useless_fill"])
local_useless_rebroadcast = RuleOptimizer(_RULES["local_useless_rebroadcast"])
local_useless_reduce = RuleOptimizer(_RULES["local_useless_reduce"])
local_pow_specialize = LocalOptGroup(*[RuleOptimizer(_RULES[n]) for n in (
    "local_pow_specialize_2", "local_pow_specialize_05", "local_pow_specialize_m1",
    "local_pow_specialize_1")])
local_pow_specialize.__name__ = "local_pow_specialize"


@local_optimizer([Alloc])
def local_useless_alloc(node):
    """``alloc(x, *shape)`` whose output has x's type (dtype and broadcastable pattern):
    the shape is x's, so the result is x."""
    if not isinstance(node.op, Alloc):
        return False
    if node.inputs[0].type == node.outputs[0].type:
        return [node.inputs[0]]
    return False


def values_eq_approx_remove_inf(a, b):
    return TensorType.values_eq_approx(a, b, True)


def values_eq_approx_remove_nan(a, b):
    return TensorType.values_eq_approx(a, b, False, True)


def values_eq_approx_remove_inf_nan(a, b):
    return TensorType.values_eq_approx(a, b, True, True)


# Module names Theano's module held: the higher layers' modules, found where `import
# theano` put them (this module may not import above the tensor layer).
_MODULES = {"gof": "theano_compat.gof", "compile": "theano_compat.compile",
            "opt": "theano_compat.gof.opt", "toolbox": "theano_compat.gof.toolbox",
            "graph": "theano_compat.gof.graph", "theano": "theano_compat",
            "basic": "theano_compat.scalar"}

def __getattr__(name):
    target = _MODULES.get(name)
    if target is not None and target in sys.modules:
        return sys.modules[target]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_MODULES))
