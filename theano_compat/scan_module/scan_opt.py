"""theano.scan_module.scan_opt: the rewrites of Scan nodes (Theano 1.0.5's module path).

The compile pipeline runs this project's scan rules (theano_compat/scan/rewrites.py and
merge.py, in its specialize phase), each answering to Theano's names in
``Mode.excluding`` / ``optimizer_excluding``: ``scan_pushout_non_seqs_ops``,
``scan_pushout_seqs_ops``, ``scanOp_merge``, ``scanOp_save_mem``,
``remove_constants_and_unused_inputs_scan``...  This module offers them as Theano's
optimizer objects, to apply to a graph by hand:

- `remove_constants_and_unused_inputs_scan` (a local optimizer);
- `PushOutNonSeqScan`, `PushOutSeqScan`, `ScanSaveMem`, `ScanMerge` (global optimizers);
- `scan_merge_inouts`: per-step outputs computing the same thing become one.

They are registered in ``theano.compile.optdb`` under Theano's names and positions
(``scan_eqopt1`` at 0.05, ``scan_eqopt2`` at 1.6, ``scan_seqopt1``...) as mirrors:
``import theano`` freezes the package's own registrations (graph/optdb.py
``freeze_builtins``), so the pipeline does not run them twice.  `PushOutScanOutput`,
`PushOutDot1` and `ScanInplaceOptimizer` exist and raise NotImplementedError when
applied, saying why.
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
from ..scan import merge as _scan_merge
from ..scan import rewrites as _scan_rewrites
from ..scan.op import Scan
from ..tensor import opt  # noqa: F401
from ..tensor.basic import Alloc, AllocEmpty, NotScalarConstantError  # noqa: F401
from ..tensor.basic import get_scalar_constant_value  # noqa: F401
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
    non-sequences, with inputs computing the same thing merged and constant inputs moved
    into the inner graph; False when there is nothing to do."""
    if not isinstance(node.op, Scan):
        return False
    return _scan_rewrites.remove_constants_and_unused_inputs(node) or False


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


class _ScanRuleOptimizer(Optimizer):
    """A global optimizer applying one of the project's scan rules to each Scan node of a
    graph (in topological order), until it no longer changes any."""

    rule = None  # fn(fgraph, node) -> replacements or None

    def add_requirements(self, fgraph):
        pass

    def apply(self, fgraph):
        changed = True
        while changed:
            changed = False
            for node in [n for n in fgraph.toposort() if isinstance(n.op, Scan)]:
                if node not in fgraph.apply_nodes:
                    continue
                result = type(self).rule(fgraph, node)
                if not result:
                    continue
                pairs = list(result.items()) if isinstance(result, dict) else [
                    (o, n) for o, n in zip(node.outputs, result) if n is not None]
                fgraph.replace_all([(o, n) for o, n in pairs if o is not n],
                                   reason=type(self).__name__)
                changed = True


class PushOutNonSeqScan(_ScanRuleOptimizer):
    """What a loop's step computes from non-sequences and constants only is computed
    once, before the loop (``scan_pushout_non_seqs_ops``)."""

    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles

    rule = staticmethod(_scan_rewrites.pushout_non_seqs)


class PushOutSeqScan(_ScanRuleOptimizer):
    """Elementwise work on the current rows of sequences is done on the whole sequences
    before the loop (``scan_pushout_seqs_ops``)."""

    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles

    rule = staticmethod(_scan_rewrites.pushout_seqs)


class ScanSaveMem(_ScanRuleOptimizer):
    """A state whose readers read only its last steps is kept in a circular buffer of
    that many rows (``scan_save_mem``)."""

    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles

    rule = staticmethod(_scan_rewrites.save_mem)


class _NotHere(Optimizer):
    """A Theano scan optimizer this project does not have (see `reason`)."""

    reason = ""

    def apply(self, fgraph, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} is not implemented in theano_compat: "
                                  f"{self.reason}")

    def add_requirements(self, fgraph):
        pass


class PushOutScanOutput(_NotHere):
    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles
    reason = ("moving an accumulated dot product out of the loop is not done; compute it "
              "on the stacked values after the scan (tensor.dot over the whole sequence)")


class PushOutDot1(_NotHere):
    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles
    reason = ("rewriting a loop that accumulates dot products into one dot is not done; "
              "write the product over the whole sequence with tensor.dot")


class ScanInplaceOptimizer(_NotHere):
    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles
    reason = ("a loop here writes its states into buffers it allocates itself (the linker "
              "decides where results go, DESIGN.md §1.4): there is no in-place version to "
              "switch to")

    def __init__(self, typeInfer=None, gpua_flag=False):  # noqa: N803 - Theano's names
        super().__init__()
        self.typeInfer = typeInfer
        self.gpua_flag = gpua_flag


class ScanMerge(Optimizer):
    """Merges the Scan nodes that run over the same number of steps (with the same stop
    condition, truncate_gradient and mode) when neither depends on the other: one loop
    computes the outputs of all (``scanOp_merge``)."""

    __module__ = "theano.scan_module.scan_opt"  # Theano's path: reprs and pickles

    def add_requirements(self, fgraph):
        pass

    def belongs_to_set(self, node, set_nodes):
        """Whether `node` can be merged with every node of `set_nodes`."""
        return _scan_merge.belongs_to_set(node, set_nodes)

    def merge(self, nodes):
        """[(old output, new output)] of one Scan node computing what `nodes` compute."""
        return _scan_merge.merge(nodes)

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
scan_seqopt1.register("scanOp_pushout_nonseqs_ops", PushOutNonSeqScan(), 2,
                      "scan_pushout_non_seqs_ops", "fast_run", "scan")
scan_seqopt1.register("scanOp_pushout_seqs_ops", PushOutSeqScan(), 3,
                      "scan_pushout_seqs_ops", "fast_run", "scan")
scan_eqopt2.register("scanOp_merge", ScanMerge(), "fast_run", "scan")
scan_eqopt2.register("scanOp_save_mem", ScanSaveMem(), "fast_run", "scan")
