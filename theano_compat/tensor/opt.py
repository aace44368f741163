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
from ..graph.optdb import SequenceDB, local_useless, optdb
from ..graph.rewrite import Rule
from ..graph.optimizers import (LocalOptGroup, LocalOptimizer, Optimizer,  # noqa: F401
                                RuleOptimizer,
                                TopoOptimizer, copy_stack_trace, in2out, local_optimizer,
                                out2in, pre_constant_merge, pre_greedy_local_optimizer)
from . import basic as T  # noqa: F401
from .basic import (Alloc, NotScalarConstantError, Reshape, Shape, Shape_i,  # noqa: F401
                    as_tensor_variable, extract_constant, get_scalar_constant_value)
from .elemwise import All, Any, CAReduce, DimShuffle, Elemwise, Prod, Sum  # noqa: F401
from .extra_ops import TopKOp  # noqa: F401
from .rewrites import CANONICALIZE, SHAPE, SPECIALIZE, STABILIZE
from .rewrites import constant_folding as _constant_folding_rule
from .rewrites.assert_op import Assert, assert_, assert_op  # noqa: F401
from .rewrites.fusion import _fuse_at, fuse_elemwise
from .rewrites.fusion import local_elemwise_fusion as _fusion_rule
from .rewrites.fusion import add_mul_fusion as _add_mul_fusion
from .rewrites.shape_feature import ShapeFeature
from .rewrites.legacy import LEGACY
from .rewrites.legacy_subtensor import merge_two_slices  # noqa: F401
from .shapes import CONSTANT_RULES, MakeVector, make_vector  # noqa: F401
from .gradient_ops import ViewGradOp
from .subtensor import get_canonical_form_slice, get_idx_list  # noqa: F401
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


def _assert_constant_value(v, recurse):
    # Theano's get_scalar_constant_value sees through an Assert whose conditions are all
    # constant and true; a false or non-constant condition leaves the value unknown.
    node = v.owner
    if all(np.asarray(recurse(c)) != 0 for c in node.inputs[1:]):
        return recurse(node.inputs[0])
    raise NotScalarConstantError(v)


CONSTANT_RULES[Assert] = _assert_constant_value


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
          + SPECIALIZE + LEGACY}

constant_folding = RuleOptimizer(_RULES["constant_folding"])
topo_constant_folding = in2out(constant_folding, ignore_newtrees=True,
                               name="topo_constant_folding")
local_add_canonizer = RuleOptimizer(_RULES["local_add_canonizer"])
local_mul_canonizer = RuleOptimizer(_RULES["local_mul_canonizer"])
# Theano's add_canonizer / mul_canonizer were graph optimizers (in2out over the local ones).
add_canonizer = in2out(local_add_canonizer, name="add_canonizer_group")
mul_canonizer = in2out(local_mul_canonizer, name="mul_canonizer_groups")
local_dimshuffle_lift = RuleOptimizer(_RULES["local_dimshuffle_lift"])
local_expm1 = RuleOptimizer(_RULES["local_expm1"])
local_greedy_distributor = RuleOptimizer(_RULES["local_greedy_distributor"])
local_log1p = RuleOptimizer(_RULES["local_log1p"])
local_log_sum_exp = RuleOptimizer(_RULES["local_log_sum_exp"])
local_mul_zero = RuleOptimizer(_RULES["local_mul_zero"])
local_reshape_chain = RuleOptimizer(_RULES["local_reshape_chain"])
local_shape_to_shape_i = RuleOptimizer(_RULES["local_shape_to_shape_i"])
local_subtensor_make_vector = RuleOptimizer(_RULES["local_subtensor_make_vector"])
local_subtensor_lift = RuleOptimizer(_RULES["local_subtensor_lift"])
local_subtensor_inc_subtensor = RuleOptimizer(_RULES["local_subtensor_inc_subtensor"])
local_useless_inc_subtensor_alloc = RuleOptimizer(_RULES["local_useless_inc_subtensor_alloc"])
local_useless_fill = RuleOptimizer(_RULES["local_useless_fill"])
local_useless_rebroadcast = RuleOptimizer(_RULES["local_useless_rebroadcast"])
local_useless_reduce = RuleOptimizer(_RULES["local_useless_reduce"])
local_pow_specialize = LocalOptGroup(*[RuleOptimizer(_RULES[n]) for n in (
    "local_pow_specialize_2", "local_pow_specialize_05", "local_pow_specialize_m1",
    "local_pow_specialize_1")])
local_pow_specialize.__name__ = "local_pow_specialize"

# Theano's rewrites the project's phases lacked (tensor/rewrites/legacy.py): FAST_RUN runs
# them in the phases where Theano registered them, after the project's own rules.
local_add_specialize = RuleOptimizer(_RULES["local_add_specialize"])
local_useless_elemwise = RuleOptimizer(_RULES["local_useless_elemwise"])
local_cast_cast = RuleOptimizer(_RULES["local_cast_cast"])
local_func_inv = RuleOptimizer(_RULES["local_func_inv"])
local_intdiv_by_one = RuleOptimizer(_RULES["local_intdiv_by_one"])
local_zero_div = RuleOptimizer(_RULES["local_zero_div"])
local_elemwise_sub_zeros = RuleOptimizer(_RULES["local_elemwise_sub_zeros"])
local_neg_neg = RuleOptimizer(_RULES["local_neg_neg"])
local_neg_div_neg = RuleOptimizer(_RULES["local_neg_div_neg"])
local_fill_to_alloc = RuleOptimizer(_RULES["local_fill_to_alloc"])
local_useless_composite = RuleOptimizer(_RULES["local_useless_composite"])
local_canonicalize_alloc = RuleOptimizer(_RULES["local_canonicalize_alloc"])
local_merge_alloc = RuleOptimizer(_RULES["local_merge_alloc"])
local_useless_reshape = RuleOptimizer(_RULES["local_useless_reshape"])
local_reshape_to_dimshuffle = RuleOptimizer(_RULES["local_reshape_to_dimshuffle"])
local_useless_dimshuffle_in_reshape = RuleOptimizer(
    _RULES["local_useless_dimshuffle_in_reshape"])
local_reshape_lift = RuleOptimizer(_RULES["local_reshape_lift"])
local_useless_split = RuleOptimizer(_RULES["local_useless_split"])
local_reduce_broadcastable = RuleOptimizer(_RULES["local_reduce_broadcastable"])
local_opt_alloc = RuleOptimizer(_RULES["local_opt_alloc"])
local_sum_prod_mul_by_scalar = RuleOptimizer(_RULES["local_sum_prod_mul_by_scalar"])
local_0_dot_x = RuleOptimizer(_RULES["local_0_dot_x"])
local_useless_switch = RuleOptimizer(_RULES["local_useless_switch"])
local_merge_switch_same_cond = RuleOptimizer(_RULES["local_merge_switch_same_cond"])
local_remove_useless_assert = RuleOptimizer(_RULES["local_remove_useless_assert"])
local_remove_all_assert = RuleOptimizer(_RULES["local_remove_all_assert"])
local_join_1 = RuleOptimizer(_RULES["local_join_1"])
local_join_empty = RuleOptimizer(_RULES["local_join_empty"])
local_useless_tile = RuleOptimizer(_RULES["local_useless_tile"])
local_sum_prod_all_to_none = RuleOptimizer(_RULES["local_sum_prod_all_to_none"])
local_op_of_op = RuleOptimizer(_RULES["local_op_of_op"])
local_elemwise_alloc = RuleOptimizer(_RULES["local_elemwise_alloc"])
local_rebroadcast_lift = RuleOptimizer(_RULES["local_rebroadcast_lift"])
local_subtensor_remove_broadcastable_index = RuleOptimizer(
    _RULES["local_subtensor_remove_broadcastable_index"])
local_lift_transpose_through_dot = RuleOptimizer(_RULES["local_lift_transpose_through_dot"])


def local_elemwise_alloc_op(ElemwiseOP=Elemwise, AllocOP=Alloc, DimShuffleOP=DimShuffle):
    """Theano's factory of local_elemwise_alloc (the Op classes of the graph it reads): the
    project's Elemwise, Alloc and DimShuffle are the only ones, so it returns that rule."""
    return local_elemwise_alloc
local_incsubtensor_of_zeros = RuleOptimizer(_RULES["local_incsubtensor_of_zeros"])
local_setsubtensor_of_constants = RuleOptimizer(_RULES["local_setsubtensor_of_constants"])
local_incsubtensor_of_zeros_to_setsubtensor = RuleOptimizer(
    _RULES["local_incsubtensor_of_zeros_to_setsubtensor"])
# tensor/rewrites/legacy_useless.py
local_useless_elemwise_comparison = RuleOptimizer(_RULES["local_useless_elemwise_comparison"])
local_mul_switch_sink = RuleOptimizer(_RULES["local_mul_switch_sink"])
local_div_switch_sink = RuleOptimizer(_RULES["local_div_switch_sink"])
local_reduce_join = RuleOptimizer(_RULES["local_reduce_join"])
local_sum_prod_div_dimshuffle = RuleOptimizer(_RULES["local_sum_prod_div_dimshuffle"])
local_alloc_empty_to_zeros = RuleOptimizer(_RULES["local_alloc_empty_to_zeros"])
local_alloc_unary = RuleOptimizer(_RULES["local_alloc_unary"])
local_fill_sink = RuleOptimizer(_RULES["local_fill_sink"])
local_flatten_lift = RuleOptimizer(_RULES["local_flatten_lift"])
local_useless_topk = RuleOptimizer(_RULES["local_useless_topk"])
# tensor/rewrites/legacy_subtensor.py
local_subtensor_merge = RuleOptimizer(_RULES["local_subtensor_merge"])
local_useless_slice = RuleOptimizer(_RULES["local_useless_slice"])
local_useless_subtensor = RuleOptimizer(_RULES["local_useless_subtensor"])
local_subtensor_of_alloc = RuleOptimizer(_RULES["local_subtensor_of_alloc"])
local_subtensor_of_dot = RuleOptimizer(_RULES["local_subtensor_of_dot"])
local_IncSubtensor_serialize = RuleOptimizer(_RULES["local_IncSubtensor_serialize"])
local_set_to_inc_subtensor = RuleOptimizer(_RULES["local_set_to_inc_subtensor"])
local_useless_inc_subtensor = RuleOptimizer(_RULES["local_useless_inc_subtensor"])
local_adv_sub1_adv_inc_sub1 = RuleOptimizer(_RULES["local_adv_sub1_adv_inc_sub1"])
local_join_make_vector = RuleOptimizer(_RULES["local_join_make_vector"])
local_inplace_setsubtensor = RuleOptimizer(_RULES["local_inplace_setsubtensor"])
local_inplace_incsubtensor1 = RuleOptimizer(_RULES["local_inplace_incsubtensor1"])
local_track_shape_i = RuleOptimizer(_RULES["local_track_shape_i"])
# tensor/rewrites/legacy_algebra.py
local_one_plus_erf = RuleOptimizer(_RULES["local_one_plus_erf"])
local_one_minus_erf = RuleOptimizer(_RULES["local_one_minus_erf"])
local_one_minus_erf2 = RuleOptimizer(_RULES["local_one_minus_erf2"])
local_one_plus_neg_erf = RuleOptimizer(_RULES["local_one_plus_neg_erf"])
local_erf_minus_one = RuleOptimizer(_RULES["local_erf_minus_one"])
local_one_minus_erfc = RuleOptimizer(_RULES["local_one_minus_erfc"])
local_one_minus_erfc2 = RuleOptimizer(_RULES["local_one_minus_erfc2"])
local_one_minus_erfc3 = RuleOptimizer(_RULES["local_one_minus_erfc3"])
local_one_add_neg_erfc = RuleOptimizer(_RULES["local_one_add_neg_erfc"])
local_erf_neg_minus_one = RuleOptimizer(_RULES["local_erf_neg_minus_one"])
local_erf_neg_minus_one2 = RuleOptimizer(_RULES["local_erf_neg_minus_one2"])
local_log_erfc = RuleOptimizer(_RULES["local_log_erfc"])
local_grad_log_erfc_neg = RuleOptimizer(_RULES["local_grad_log_erfc_neg"])
local_log_add = RuleOptimizer(_RULES["local_log_add"])
local_pow_canonicalize = RuleOptimizer(_RULES["local_pow_canonicalize"])
local_pow_specialize_device = RuleOptimizer(_RULES["local_pow_specialize_device"])
local_mul_specialize = RuleOptimizer(_RULES["local_mul_specialize"])
local_mul_to_sqr = RuleOptimizer(_RULES["local_mul_to_sqr"])
local_div_to_inv = RuleOptimizer(_RULES["local_div_to_inv"])
local_inv_canon = RuleOptimizer(_RULES["local_inv_canon"])
local_neg_to_mul = RuleOptimizer(_RULES["local_neg_to_mul"])
local_abs_lift = RuleOptimizer(_RULES["local_abs_lift"])
local_abs_merge = RuleOptimizer(_RULES["local_abs_merge"])
local_sumsqr2dot = RuleOptimizer(_RULES["local_sumsqr2dot"])
local_tensor_scalar_tensor = RuleOptimizer(_RULES["local_tensor_scalar_tensor"])
local_scalar_tensor_scalar = RuleOptimizer(_RULES["local_scalar_tensor_scalar"])
local_upcast_elemwise_constant_inputs = RuleOptimizer(
    _RULES["local_upcast_elemwise_constant_inputs"])


@local_optimizer(None)
def local_view_op(node):
    """ViewOp(x) -> x (also the gradient-rule Ops, ViewOps in Theano): it only passes its
    input on.  theano.compile.ops is found where `import theano` put it (this module may
    not import above the tensor layer); the compile pipeline runs the same rule."""
    ops = sys.modules.get("theano_compat.compile.ops")
    if isinstance(node.op, ViewGradOp) or (
            ops is not None and isinstance(node.op, ops.ViewOp) and
            not isinstance(node.op, ops.OutputGuard)):
        return [node.inputs[0]]
    return False



@local_optimizer([Alloc])
def local_useless_alloc(node):
    """``alloc(x, *shape)`` whose output has x's type (dtype and broadcastable pattern):
    the shape is x's, so the result is x."""
    if not isinstance(node.op, Alloc):
        return False
    if node.inputs[0].type == node.outputs[0].type:
        return [node.inputs[0]]
    return False


# ------------------------------------------------------------- Theano's optimizer classes


class ShapeOptimizer(Optimizer):
    """Attaches a ShapeFeature to the graph (``fgraph.shape_feature``); changes nothing."""

    __module__ = "theano.tensor.opt"

    def add_requirements(self, fgraph):
        if getattr(fgraph, "shape_feature", None) is None:
            fgraph.attach_feature(ShapeFeature())

    def apply(self, fgraph):
        pass


class UnShapeOptimizer(Optimizer):
    """Removes the graph's ShapeFeature."""

    __module__ = "theano.tensor.opt"

    def apply(self, fgraph):
        for feature in list(getattr(fgraph, "_features", ())):
            if isinstance(feature, ShapeFeature):
                fgraph.remove_feature(feature)


class FusionOptimizer(Optimizer):
    """Fuses the graph's groups of elementwise nodes into Elemwise(Composite) nodes (the
    pass the FAST_RUN pipeline ends with; `local_optimizer` is accepted for Theano's
    signature, the grouping is the project's)."""

    __module__ = "theano.tensor.opt"

    def __init__(self, local_optimizer=None):
        self.optimizer = local_optimizer

    def add_requirements(self, fgraph):
        pass

    def apply(self, fgraph):
        return fuse_elemwise(fgraph, max_operands=elemwise_max_input_fct(None))


def elemwise_max_input_fct(node):
    """How many operands (inputs and output) a fused node may have."""
    return 32


def local_elemwise_fusion_op(op_class=Elemwise, max_input_fct=lambda node: 32, maker=None):
    """A local optimizer fusing an Elemwise node with the Elemwise nodes producing its
    inputs that nothing else reads (Theano's factory; `maker` is not used: the fused
    node is the project's Elemwise(Composite))."""
    rule = Rule("local_elemwise_fusion", _fusion_rule.keys,
                lambda fgraph, node: _fuse_at(fgraph, node, max_input_fct(node)),
                tags=("fusion", "elemwise_fusion"))
    return RuleOptimizer(rule)


local_elemwise_fusion = RuleOptimizer(_fusion_rule)


def local_add_mul_fusion(node):
    """Theano's first fusion step: an add (mul) node absorbs the add (mul) nodes feeding
    it that nothing else reads, becoming one node of more inputs.  Returns the new
    outputs, or False."""
    return _add_mul_fusion(node)


fuse_seqopt = SequenceDB()
fuse_seqopt.register("local_add_mul_fusion", FusionOptimizer(local_add_mul_fusion), 0,
                     "fast_run", "fusion")
fuse_seqopt.register("composite_elemwise_fusion", FusionOptimizer(local_elemwise_fusion), 1,
                     "fast_run", "fusion")


class InplaceElemwiseOptimizer(Optimizer):
    """Theano turned Elemwise nodes into in-place ones here.  In this project the linker
    decides where results go (buffers of dead intermediates are reused at run time), so
    the graph keeps no in-place Elemwise and this optimizer leaves it unchanged."""

    __module__ = "theano.tensor.opt"

    def __init__(self, OP):
        self.op = OP

    def apply(self, fgraph):
        pass

    def print_summary(self, stream=sys.stdout, level=0, depth=-1):
        print(f"{' ' * level}{type(self).__name__} ({self.op})", file=stream)


inplace_elemwise_optimizer = InplaceElemwiseOptimizer(Elemwise)


class Canonizer(LocalOptimizer):
    """Theano's algebraic canonizer for ``main`` (mul or add) with its inverse (true_div
    or sub) and reciprocal (inv or neg): a product (sum) of terms and quotients
    (differences) becomes one fraction num/denum with the terms that cancel removed and
    the constants folded.  This project's rules local_mul_canonizer / local_add_canonizer
    do the rewriting; this class gives Theano's interface over them."""

    __module__ = "theano.tensor.opt"

    def __init__(self, main, inverse, reciprocal, calculate, use_reciprocal=True):
        self.main = main
        self.inverse = inverse
        self.reciprocal = reciprocal
        self.calculate = calculate
        self.use_reciprocal = use_reciprocal
        self.external_simplifiers = []
        is_mul = getattr(main, "scalar_op", main) is scalar.mul
        self._rule = _RULES["local_mul_canonizer" if is_mul else "local_add_canonizer"]

    def add_simplifier(self, simplifier, reason):
        self.external_simplifiers.append((reason, simplifier))

    def tracks(self):
        return [self.main, self.inverse, self.reciprocal]

    def get_num_denum(self, input):
        """(numerator terms, denominator terms) of `input` read through main / inverse /
        reciprocal nodes."""
        owner = input.owner
        if owner is None or owner.op not in (self.main, self.inverse, self.reciprocal):
            return [input], []
        if owner.op == self.main:
            num, denum = [], []
            for i in owner.inputs:
                n, d = self.get_num_denum(i)
                num += n
                denum += d
            return num, denum
        if owner.op == self.inverse:
            n1, d1 = self.get_num_denum(owner.inputs[0])
            n2, d2 = self.get_num_denum(owner.inputs[1])
            return n1 + d2, d1 + n2
        n, d = self.get_num_denum(owner.inputs[0])
        return d, n

    def merge_num_denum(self, num, denum):
        """The variable num / denum (built with main, inverse and reciprocal)."""
        ln, ld = len(num), len(denum)
        if not ln and not ld:
            return as_tensor_variable(self.calculate([], []))
        if not ld:
            return num[0] if ln == 1 else self.main(*num)
        if not ln:
            if self.use_reciprocal:
                return self.reciprocal(self.merge_num_denum(denum, []))
            num = [as_tensor_variable(self.calculate([], [], aslist=False))]
        return self.inverse(self.merge_num_denum(num, []), self.merge_num_denum(denum, []))

    @staticmethod
    def get_constant(v):
        """The value of a constant `v` (None otherwise)."""
        if isinstance(v, Constant):
            data = np.asarray(v.data)
            if data.size == 1 or np.all(data == data.reshape(-1)[0]):
                return data.reshape(-1)[0] if data.size else None
            return data
        return None

    def simplify_factors(self, num, denum):
        """Remove the terms found in both `num` and `denum` (in place; returned)."""
        for v in list(denum):
            if v in num:
                num.remove(v)
                denum.remove(v)
        return num, denum

    def transform(self, node):
        return RuleOptimizer(self._rule).transform(node)

    def __str__(self):
        return f"Canonizer({self.main}, {self.inverse}, {self.reciprocal})"


def add_calculate(num, denum, aslist=False, out_type=None):
    """sum(num) - sum(denum) of numbers (a list of one value with `aslist`, empty for 0)."""
    dtype = None if out_type is None else out_type.dtype
    v = np.asarray(0.0 if dtype is None else np.zeros((), dtype))
    for x in num:
        v = v + x
    for x in denum:
        v = v - x
    if dtype is not None:
        v = np.asarray(v, dtype=dtype)
    if aslist:
        return [] if np.all(v == 0) else [v]
    return v


def mul_calculate(num, denum, aslist=False, out_type=None):
    """prod(num) / prod(denum) of numbers (a list of one value with `aslist`, empty for
    1)."""
    if not num and not denum:
        return [] if aslist else np.int8(1)
    dtype = None if out_type is None else out_type.dtype
    v = np.asarray(1, dtype=dtype or np.result_type(*[np.asarray(x) for x in num + denum]))
    for x in num:
        v = v * x
    for x in denum:
        v = v / x
    if dtype is not None:
        v = np.asarray(v, dtype=dtype)
    if aslist:
        return [] if np.all(v == 1) else [v]
    return v


def scalarconsts_rest(inputs, elemwise=True, only_process_constants=False):
    """(values of the scalar constants of `inputs`, those constants, the other inputs)."""
    consts, origconsts, nonconsts = [], [], []
    for i in inputs:
        try:
            v = get_scalar_constant_value(i, elemwise=elemwise,
                                          only_process_constants=only_process_constants)
        except NotScalarConstantError:
            nonconsts.append(i)
            continue
        consts.append(v)
        origconsts.append(i)
    return consts, origconsts, nonconsts


def broadcast_like(value, template, fgraph, dtype=None):
    """`value` cast to `dtype` (the template's by default) and broadcast to the shape of
    `template` (a variable of `fgraph`), with the template's broadcastable pattern."""
    value = as_tensor_variable(value)
    if value.type == template.type:
        return value
    if template not in fgraph.variables:
        raise NotImplementedError("broadcast_like currently requires the template Variable "
                                  "to be in the fgraph already")
    value = T.cast(value, dtype or template.type.dtype)
    if value.type == template.type:
        return value
    feature = getattr(fgraph, "shape_feature", None)
    shape = feature.shape_of[template] if feature is not None else \
        [Shape_i(i)(template) for i in range(template.type.ndim)]
    rval = T.alloc(value, *shape)
    if rval.type.broadcastable != template.type.broadcastable:
        rval = T.patternbroadcast(rval, template.type.broadcastable)
    return rval


def make_constant(args):
    """Python scalars of `args` as scalar constants (the other entries unchanged)."""
    out = []
    for a in args:
        if isinstance(a, (int, float, complex, np.number, bool)):
            out.append(scalar.constant(a) if hasattr(scalar, "constant") else a)
        else:
            out.append(a)
    return out


def is_inverse_pair(node_op, prev_op, inv_pair):
    """Whether the scalar ops of two stacked Elemwise (`node_op` over `prev_op`) are the
    two ops of `inv_pair` (classes), in either order."""
    a, b = inv_pair
    n1 = isinstance(node_op, a) if isinstance(a, type) else node_op == a
    p1 = isinstance(prev_op, b) if isinstance(b, type) else prev_op == b
    n2 = isinstance(node_op, b) if isinstance(b, type) else node_op == b
    p2 = isinstance(prev_op, a) if isinstance(a, type) else prev_op == a
    return (n1 and p1) or (n2 and p2)


def is_dimshuffle_useless(new_order, input):
    """Whether DimShuffle(`new_order`) of `input` changes nothing but the place of
    broadcastable dimensions."""
    if len(new_order) != input.type.ndim:
        return False
    bcast = [i for i, b in enumerate(input.type.broadcastable) if b] + ["x"]
    return all(new_order[i] == i or (i in bcast and new_order[i] in bcast)
               for i in range(input.type.ndim))


def apply_local_dimshuffle_lift(var):
    """`var` after lifting / removing its DimShuffles (local_dimshuffle_lift repeated)."""
    if var.owner is None:
        return var
    new = local_dimshuffle_lift.transform(var.owner)
    if new:
        return new[0]
    return var


def apply_rebroadcast_opt(rval):
    """`rval` with its useless Rebroadcast nodes removed (repeatedly)."""
    while rval.owner is not None:
        new = local_useless_rebroadcast.transform(rval.owner)
        if not new:
            break
        rval = new[0]
    return rval


def check_for_x_over_absX(numerators, denominators):
    """x / abs(x) in the terms -> sgn(x) (the terms are updated in place)."""
    for den in list(denominators):
        if den.owner is not None and getattr(den.owner.op, "scalar_op", None) is scalar.abs_ \
                and den.owner.inputs[0] in numerators:
            if den.owner.inputs[0].type.dtype.startswith("complex"):
                continue
            denominators.remove(den)
            numerators.remove(den.owner.inputs[0])
            numerators.append(T.sgn(den.owner.inputs[0]))
    return numerators, denominators


ALL_REDUCE = [CAReduce, All, Any, Sum, Prod]


# Theano's greedy distributor helpers, over Canonizers of products and sums (the
# project's local_greedy_distributor rule is algebra.distribute; these give Theano's
# interface, num/denum lists of variables in, the same lists out).
_MUL_TERMS = Canonizer(T.mul, T.true_div, T.inv, mul_calculate, False)
_ADD_TERMS = Canonizer(T.add, T.sub, T.neg, add_calculate)


def distribute_greedy(pos_pairs, neg_pairs, num, denum, out_type, minscore=0):
    """Multiply each (num, denum) pair of a sum's terms by num / denum, keeping it when
    the cancellations save operations (a division costs 1.5 products): returns
    (whether it did, the new positive pairs, the new negative pairs)."""
    div_cost = 1.5
    score = len(num) + div_cost * len(denum)
    new_pos = [_MUL_TERMS.simplify_factors(list(n) + list(num), list(d) + list(denum))
               for n, d in pos_pairs]
    new_neg = [_MUL_TERMS.simplify_factors(list(n) + list(num), list(d) + list(denum))
               for n, d in neg_pairs]
    for (n, d), (nn, dd) in zip(list(pos_pairs) + list(neg_pairs), new_pos + new_neg):
        score += len(n) + div_cost * len(d) - len(nn) - div_cost * len(dd)
    if score <= minscore:
        return False, pos_pairs, neg_pairs
    return True, new_pos, new_neg


def attempt_distribution(factor, num, denum, out_type):
    """Distribute the factors of num / denum over the sum `factor` where that cancels
    some: returns (changed, the new factor, the num and denum left)."""
    pos_terms, neg_terms = _ADD_TERMS.get_num_denum(factor)
    if len(pos_terms) == 1 and not neg_terms:
        return False, factor, num, denum
    pos_pairs = [_MUL_TERMS.get_num_denum(t) for t in pos_terms]
    neg_pairs = [_MUL_TERMS.get_num_denum(t) for t in neg_terms]
    change = False
    for n in list(num):
        success, pos_pairs, neg_pairs = distribute_greedy(pos_pairs, neg_pairs, [n], [],
                                                          out_type)
        if success:
            change = True
            num.remove(n)
    for d in list(denum):
        success, pos_pairs, neg_pairs = distribute_greedy(pos_pairs, neg_pairs, [], [d],
                                                          out_type)
        if success:
            change = True
            denum.remove(d)
    if not change:
        return change, factor, num, denum
    return change, _ADD_TERMS.merge_num_denum(
        [_MUL_TERMS.merge_num_denum(n, d) for n, d in pos_pairs],
        [_MUL_TERMS.merge_num_denum(n, d) for n, d in neg_pairs]), num, denum


class MakeVectorPrinter:
    """Pretty-prints MakeVector(a, b) as ``[a, b]``."""

    __module__ = "theano.tensor.opt"

    def process(self, r, pstate):
        if r.owner is None:
            raise TypeError("Can only print make_vector.")
        if not isinstance(r.owner.op, MakeVector):
            raise TypeError("Can only print make_vector.")
        return "[%s]" % ", ".join(pstate.pprinter.process(i, pstate)
                                  for i in r.owner.inputs)


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
