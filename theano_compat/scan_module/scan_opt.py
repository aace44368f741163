"""theano.scan_module.scan_opt: the rewrites of Scan nodes (Theano 1.0.5's module path).

Two of Theano's scan optimizers are implemented over this project's Scan:

- `remove_constants_and_unused_inputs_scan` (a local optimizer): a loop drops the
  sequences and non-sequences its step does not read, merges inputs computing the same
  thing and moves constant non-sequences into the step;
- `ScanMerge` (a global optimizer): loops over the same number of steps, with the same stop
  condition, truncate_gradient and mode, neither reading the other, become one loop;

and `scan_merge_inouts` merges per-step outputs computing the same thing.  They are
registered in ``theano.compile.optdb`` under Theano's names and positions (``scan_eqopt1``
at 0.05, ``scan_eqopt2`` at 1.6), as mirrors: ``import theano`` freezes the package's own
registrations (graph/optdb.py ``freeze_builtins``), so the compile pipeline runs its own
scan rule (theano_compat/scan/rewrites.py: a loop drops the outputs nobody reads) and not
these; apply them with ``ScanMerge().optimize(fgraph)`` or ``.transform(node)``.  The loops
jacobian/hessian build already compute outside the loop what does not depend on the index
(scan/index_map.py).  Theano's other optimizers (`PushOutNonSeqScan`, `PushOutSeqScan`,
`PushOutScanOutput`, `PushOutDot1`, `ScanInplaceOptimizer`, `ScanSaveMem`) exist and raise
NotImplementedError when applied, saying what to do instead.
"""

from __future__ import annotations

import copy  # noqa: F401 - names of Theano's module
import logging
from collections import OrderedDict
from sys import maxsize  # noqa: F401

import numpy as np  # noqa: F401

import theano_compat as theano  # noqa: F401 - Theano's module imported the package

from .. import gof, scalar, tensor  # noqa: F401
from ..compile import optdb  # noqa: F401
from ..compile.ops import deep_copy_op  # noqa: F401
from ..gof import DestroyHandler, InconsistencyError, toolbox  # noqa: F401
from ..gof.opt import Optimizer, local_optimizer, pre_constant_merge  # noqa: F401
from ..gof.opt import pre_greedy_local_optimizer  # noqa: F401
from ..gof.optdb import EquilibriumDB, SequenceDB
from ..graph.basic import Constant, clone_replace, graph_inputs, is_in_ancestors
from ..graph.basic import clone as graph_clone
from ..scan.op import Scan
from ..tensor import opt  # noqa: F401
from ..tensor.basic import Alloc, NotScalarConstantError, get_scalar_constant_value  # noqa: F401
from . import scan_op, scan_utils  # noqa: F401
from .scan_utils import equal_computations, scan_args  # noqa: F401

__all__ = ["remove_constants_and_unused_inputs_scan", "PushOutNonSeqScan", "PushOutSeqScan",
           "PushOutScanOutput", "ScanInplaceOptimizer", "ScanSaveMem", "ScanMerge",
           "has_duplicates", "make_equiv", "scan_merge_inouts", "PushOutDot1",
           "scan_eqopt1", "scan_seqopt1", "scan_eqopt2"]

_logger = logging.getLogger("theano.scan_module.scan_opt")

# Python 2 compatibility names Theano's module imported (six).
xrange = range
integer_types = (int,)


def iteritems(d, **kw):
    """six.iteritems."""
    return iter(d.items(**kw))


# Theano listed the tensor rewrites it applied to the slices of scan's outputs; this
# project's subtensor rules run in its own pipeline.
list_opt_slice = []


def warning(*msg):
    _logger.warning("WARNING theano.scan: " + " ".join(str(m) for m in msg))


def info(*msg):
    _logger.info("INFO theano.scan: " + " ".join(str(m) for m in msg))


# ----------------------------------------------------------------------------- rewrites


def _remove_constants_and_unused_inputs(node):
    """The replacement outputs of a Scan node without its unread sequences and
    non-sequences, with inputs computing the same thing merged and constant non-sequences
    moved into the inner graph; False when there is nothing to do."""
    op = node.op
    if not isinstance(op, Scan):
        return False
    _, seqs, windows, carries, non_seqs = op.split_outer_inputs(node.inputs)
    reads = {id(v) for v in graph_inputs(op.outputs)}
    givens = OrderedDict()
    keep_seqs = []
    for outer, inner in zip(seqs, op.inner_seqs()):
        if id(inner) not in reads:
            continue
        same = [i for o, i in keep_seqs
                if i.type == inner.type and equal_computations([o], [outer])]
        if same:
            givens[inner] = same[0]
        else:
            keep_seqs.append((outer, inner))
    keep_ns = []
    for outer, inner in zip(non_seqs, op.inner_non_seqs()):
        if id(inner) not in reads:
            continue
        if isinstance(outer, Constant) and outer.type == inner.type:
            givens[inner] = outer.clone()
            continue
        same = [i for o, i in keep_ns
                if i.type == inner.type and equal_computations([o], [outer])]
        if same:
            givens[inner] = same[0]
        else:
            keep_ns.append((outer, inner))
    if len(keep_seqs) == len(seqs) and len(keep_ns) == len(non_seqs):
        return False
    outputs = clone_replace(op.outputs, givens, strict=False) if givens else op.outputs
    state_inputs = op.inputs[op.n_seqs:len(op.inputs) - op.n_non_seqs]
    new_inputs = [i for _, i in keep_seqs] + state_inputs + [i for _, i in keep_ns]
    new_op = Scan(new_inputs, outputs, n_seqs=len(keep_seqs), taps=op.taps, n_nit=op.n_nit,
                  n_carry=op.n_carry, as_while=op.as_while,
                  truncate_gradient=op.truncate_gradient, name=op.name, mode=op.mode,
                  profile=op.profile, allow_gc=op.allow_gc)
    outer = ([o for o, _ in keep_seqs] + windows + carries + op.outer_nitsot(node)
             + [o for o, _ in keep_ns])
    return new_op(node.inputs[0], *outer, return_list=True)


remove_constants_and_unused_inputs_scan = local_optimizer([Scan])(
    _remove_constants_and_unused_inputs)
remove_constants_and_unused_inputs_scan.__name__ = "remove_constants_and_unused_inputs_scan"


def has_duplicates(lst):
    """Whether `lst` holds an element twice."""
    return len(set(lst)) < len(lst)


def make_equiv(lo, li):
    """(left, right) of the pairs of `lo`/`li` whose second element is an input seen
    earlier in `li`: the first list repeated, the second the earlier duplicates."""
    seeno = OrderedDict()
    left, right = [], []
    for o, i in zip(lo, li):
        if i in seeno:
            left.append(o)
            right.append(seeno[i])
        else:
            seeno[i] = o
    return left, right


def _merge_inouts(node):
    """Per-step outputs of a Scan node computing the same thing become one."""
    op = node.op
    if not isinstance(op, Scan) or op.n_nit < 2:
        return False
    nits = op.inner_nitsot_outs(op.outputs)
    outer_nits = op.outer_nitsot_outs(node)
    replace = OrderedDict()
    for a in range(len(nits)):
        for b in range(a):
            if outer_nits[a] in replace:
                break
            if equal_computations([nits[a]], [nits[b]], op.inputs, op.inputs) \
                    and nits[a].type == nits[b].type:
                replace[outer_nits[a]] = outer_nits[b]
                break
    if not replace:
        return False
    return [replace.get(o, o) for o in node.outputs]


scan_merge_inouts = local_optimizer([Scan])(_merge_inouts)
scan_merge_inouts.__name__ = "scan_merge_inouts"


# ----------------------------------------------------------------------------- optimizers
# without an equivalent here


class _NotHere(Optimizer):
    """A Theano scan optimizer this project does not have (see `reason`)."""

    reason = ""

    def apply(self, fgraph, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} is not implemented in theano_compat: "
                                  f"{self.reason}")

    def add_requirements(self, fgraph):
        pass


class PushOutNonSeqScan(_NotHere):
    reason = ("moving the computations of a loop's step that depend only on non-sequences "
              "out of the loop is not done for theano.scan loops (jacobian and hessian "
              "loops are built with that work outside: scan/index_map.py); compute such "
              "values before the scan and pass them as non_sequences")


class PushOutSeqScan(_NotHere):
    reason = ("moving elementwise work on sequences out of the loop is not done; apply it "
              "to the whole sequence before the scan")


class PushOutScanOutput(_NotHere):
    reason = ("moving the per-step computations that feed only an output out of the loop "
              "is not done; compute them on the stacked output after the scan")


class PushOutDot1(_NotHere):
    reason = ("rewriting a loop that accumulates dot products into one dot is not done; "
              "write the product over the whole sequence with tensor.dot")


class ScanInplaceOptimizer(_NotHere):
    reason = ("Scan loops here always write into buffers they allocate (no destroy_map): "
              "there is no in-place version to switch to")

    def __init__(self, typeInfer=None, gpua_flag=False):  # noqa: N803 - Theano's names
        super().__init__()
        self.typeInfer = typeInfer
        self.gpua_flag = gpua_flag


class ScanSaveMem(_NotHere):
    reason = ("a loop here keeps every step of its recurrent outputs (the gradient reads "
              "them); index the output (result[-1]) and the rest is freed with the call")


class ScanMerge(Optimizer):
    """Merges the Scan nodes that run over the same number of steps (with the same stop
    condition, truncate_gradient and mode) when neither depends on the other: one loop
    computes the outputs of all."""

    def add_requirements(self, fgraph):
        pass

    def belongs_to_set(self, node, set_nodes):
        """Whether `node` can be merged with every node of `set_nodes`."""
        rep = set_nodes[0]
        if (rep.op.as_while != node.op.as_while
                or rep.op.truncate_gradient != node.op.truncate_gradient
                or rep.op.mode != node.op.mode):
            return False
        if _n_steps(node) != _n_steps(rep):
            return False
        for nd in set_nodes:
            if is_in_ancestors(node, nd) or is_in_ancestors(nd, node):
                return False
        if not node.op.as_while:
            return True
        return equal_computations([node.op.outputs[-1]], [rep.op.outputs[-1]],
                                  node.op.inputs, rep.op.inputs)

    def merge(self, nodes):
        """[(old output, new output)] of one Scan node computing what `nodes` compute."""
        parts = []  # per node: its op, its inner graph copied, its outer inputs split
        for nd in nodes:
            op = nd.op
            ins, outs = graph_clone(op.inputs, op.outputs)
            _, seqs, windows, carries, non_seqs = op.split_outer_inputs(nd.inputs)
            parts.append((nd, op, ins, outs, seqs, windows, carries, non_seqs))
        inner_in, outer_in, taps = [], [], []
        for nd, op, ins, outs, seqs, *_ in parts:
            inner_in += ins[:op.n_seqs]
            outer_in += seqs
        n_seqs = len(inner_in)
        # The states: all multi-tap ones (mit_sot) first, then the tap -1 ones (sit_sot).
        order = []  # (part index, state index)
        for sit in (False, True):
            for p, (nd, op, ins, *_r) in enumerate(parts):
                order += [(p, j) for j, ts in enumerate(op.taps) if (ts == (-1,)) == sit]
        for p, j in order:
            nd, op, ins, outs, seqs, windows, carries, non_seqs = parts[p]
            start = op.n_seqs + op._tap_count(j)
            inner_in += ins[start:start + len(op.taps[j])]
            outer_in.append(windows[j])
            taps.append(op.taps[j])
        for nd, op, ins, outs, seqs, windows, carries, non_seqs in parts:
            start = len(ins) - op.n_non_seqs - op.n_carry
            inner_in += ins[start:start + op.n_carry]
            outer_in += carries
        for nd, op, ins, outs, seqs, windows, carries, non_seqs in parts:
            inner_in += ins[len(ins) - op.n_non_seqs:]
            outer_in += non_seqs
        inner_out = [parts[p][3][j] for p, j in order]
        for nd, op, ins, outs, *_r in parts:
            inner_out += outs[op.n_states:op.n_states + op.n_nit]
        for nd, op, ins, outs, *_r in parts:
            start = op.n_states + op.n_nit
            inner_out += outs[start:start + op.n_carry]
        first = parts[0][1]
        if first.as_while:
            inner_out.append(parts[0][3][-1])
        names = [nd.op.name or "scan_fn" for nd in nodes]
        new_op = Scan(inner_in, inner_out, n_seqs=n_seqs, taps=taps,
                      n_nit=sum(op.n_nit for _, op, *_r in parts),
                      n_carry=sum(op.n_carry for _, op, *_r in parts),
                      as_while=first.as_while, truncate_gradient=first.truncate_gradient,
                      name="&".join(names), mode=first.mode, profile=first.profile,
                      allow_gc=first.allow_gc)
        new_outs = new_op(nodes[0].inputs[0], *outer_in, return_list=True)
        pairs = []
        for k, (p, j) in enumerate(order):
            pairs.append((parts[p][0].outputs[j], new_outs[k]))
        pos = len(order)
        for nd, op, *_r in parts:
            for i in range(op.n_nit):
                pairs.append((nd.outputs[op.n_states + i], new_outs[pos]))
                pos += 1
        for nd, op, *_r in parts:
            for m in range(op.n_carry):
                pairs.append((nd.outputs[op.n_states + op.n_nit + m], new_outs[pos]))
                pos += 1
        return pairs

    def apply(self, fgraph):
        scan_nodes = [nd for nd in fgraph.toposort() if isinstance(nd.op, Scan)]
        all_sets = []
        for nd in scan_nodes:
            for subset in all_sets:
                if self.belongs_to_set(nd, subset):
                    subset.append(nd)
                    break
            else:
                all_sets.append([nd])
        for subset in all_sets:
            if len(subset) > 1:
                fgraph.replace_all(self.merge(subset), reason="scanOp_merge")


def _n_steps(node):
    try:
        return int(get_scalar_constant_value(node.inputs[0]))
    except NotScalarConstantError:
        return node.inputs[0]


# ----------------------------------------------------------------------------- databases

scan_eqopt1 = EquilibriumDB()
scan_seqopt1 = SequenceDB()
scan_eqopt2 = EquilibriumDB()
# Registered as in Theano (names, positions, tags): mirrors the compile pipeline does not
# run (see the module docstring).
optdb.register("scan_eqopt1", scan_eqopt1, .05, "fast_run", "scan")
optdb.register("scan_eqopt2", scan_eqopt2, 1.6, "fast_run", "scan")
scan_eqopt1.register("all_pushout_opt", scan_seqopt1, "fast_run", "scan")
scan_seqopt1.register("scanOp_remove_constants_and_unused_inputs0",
                      opt.in2out(remove_constants_and_unused_inputs_scan, ignore_newtrees=True),
                      1, "remove_constants_and_unused_inputs_scan", "fast_run", "scan")
scan_eqopt2.register("scanOp_remove_constants_and_unused_inputs1",
                     opt.in2out(remove_constants_and_unused_inputs_scan, ignore_newtrees=True),
                     "remove_constants_and_unused_inputs_scan", "fast_run", "scan")
scan_eqopt2.register("scanOp_merge", ScanMerge(), "fast_run", "scan")
