"""theano.scan_module.scan_utils: the helpers of scan (Theano 1.0.5's module).

Graph helpers (`safe_new`, `clone`, `reconstruct_graph`, `forced_replace`,
`map_variables`, `equal_computations`, `infer_shape`, `Validator`), the parsing of a step
function's return value (`get_updates_and_outputs`, `until`), and helpers over a Scan
node's layout (`scan_args`, `scan_can_remove_outs`, `compress_outs`).

The Scan layout here is Theano's without mit_mot states (this project's reverse loops
use recurrent states with one tap instead): outer inputs ``[n_steps] + sequences +
mit_sot + sit_sot + shared + nit_sot sizes + non_sequences`` (a nit_sot size, the number
of rows of a per-step output, is always the number of steps here), outer outputs
``mit_sot + sit_sot + nit_sot + shared``.
"""

from __future__ import annotations

import copy
import logging
import sys
import warnings
from collections import OrderedDict, deque
from itertools import chain

import numpy as np

from .. import compat, gof, scalar, tensor  # noqa: F401 - names of Theano's module
from ..compile.pfunc import rebuild_collect_shared
from ..graph.basic import Constant, clone_replace, graph_inputs, io_toposort
from ..graph.shared import SharedVariable
from ..scan.op import Scan
from ..scan.utils import split_step_return, until
from ..tensor import basic as TB
from ..tensor.basic import get_scalar_constant_value
from ..tensor.opfromgraph import OpFromGraph
from ..tensor.type import TensorType

__all__ = ["safe_new", "until", "traverse", "hash_listsDictsTuples", "DEPRECATED_ARG", "clone",
           "map_variables", "get_updates_and_outputs", "isNaN_or_Inf_or_None", "expand_empty",
           "equal_computations", "infer_shape", "Validator", "scan_can_remove_outs",
           "compress_outs", "reconstruct_graph", "scan_args", "forced_replace"]

_logger = logging.getLogger("theano.scan_utils")

# Python 2 compatibility names Theano's module imported (six, theano.compat).
izip = zip
xrange = range
string_types = (str,)


def iteritems(d):
    return iter(d.items())


def _test_value(x):
    """`x`'s test value (a constant's data, a shared variable's value), or AttributeError."""
    if isinstance(x, Constant):
        return x.data
    if isinstance(x, SharedVariable):
        return x.get_value(borrow=True)
    if hasattr(x.tag, "test_value"):
        return x.tag.test_value
    raise AttributeError(f"{x} has no test value")


def safe_new(x, tag="", dtype=None):
    """A new graph input of `x`'s type (cast to `dtype` when given) named ``x.name + tag``,
    with `x`'s test value; a constant is copied instead.  Scan and its gradient build
    their inner graphs from such copies, so that they share nothing with the outer graph."""
    nw_name = x.name + tag if getattr(x, "name", None) is not None else None
    if isinstance(x, Constant):
        if dtype and x.type.dtype != dtype:
            casted = TB.cast(x, dtype)
            nwx = type(x)(casted.type, np.asarray(x.data, dtype=dtype), x.name)
            nwx.tag = copy.copy(x.tag)
            return nwx
        return x.clone()
    if not isinstance(x.type, TensorType):
        try:
            x = TB.as_tensor_variable(x)
        except (TypeError, ValueError):
            pass  # random states and other non-tensor types
    if dtype and getattr(x.type, "dtype", dtype) != dtype:
        x = TB.cast(x, dtype)
    nw_x = x.type()
    nw_x.name = nw_name
    if tensor.config.compute_test_value != "off":
        try:
            nw_x.tag.test_value = copy.deepcopy(_test_value(x))
        except AttributeError:
            pass
    return nw_x


def traverse(out, x, x_copy, d, visited=None):
    """Theano's GPU helper for scan: replacements in `d` so that the graph of `out` reads
    `x_copy` where it read the GPU variable `x` (through ``host_from_gpu``).  Graphs here
    have no transfer nodes: `x` itself is replaced by `x_copy`."""
    if visited is None:
        visited = set()
    if out in visited:
        return d
    visited.add(out)
    if out is x:
        d[out] = x_copy
        return d
    if out.owner is None:
        return d
    for inp in out.owner.inputs:
        d = traverse(inp, x, x_copy, d, visited)
    return d


def hash_listsDictsTuples(x):  # noqa: N802 - Theano's name
    """The hash of nested dicts, lists and tuples: the xor of their elements' hashes."""
    value = 0
    if isinstance(x, dict):
        for k, v in x.items():
            value ^= hash_listsDictsTuples(k)
            value ^= hash_listsDictsTuples(v)
    elif isinstance(x, (list, tuple)):
        for v in x:
            value ^= hash_listsDictsTuples(v)
    else:
        value ^= hash(x)
    return value


DEPRECATED_ARG = object()


def clone(output, replace=None, strict=True, share_inputs=True, copy_inputs=DEPRECATED_ARG):
    """A copy of the graph of `output` with the variables of `replace` (a dict or a list
    of pairs) substituted, all at once (a replacement is not replaced again).  With
    `share_inputs` the graph inputs not replaced are kept, else copied (copied shared
    variables keep the same storage).  `copy_inputs` is the deprecated name of
    `share_inputs`."""
    if copy_inputs is not DEPRECATED_ARG:
        warnings.warn("In `clone()` function, the argument `copy_inputs` has been deprecated "
                      "and renamed into `share_inputs`", stacklevel=2)
        if not share_inputs:
            raise ValueError("clone: give either share_inputs or copy_inputs, not both")
        share_inputs = copy_inputs
    if isinstance(replace, dict):
        items = list(replace.items())
    elif isinstance(replace, (list, tuple)):
        items = list(replace)
    elif replace is None:
        items = []
    else:
        raise ValueError(f"replace is neither a dictionary, list, tuple or None ! The value "
                         f"provided is {replace},of type {type(replace)}")
    # Two passes, as Theano: the variables to replace become placeholders, then the
    # placeholders their replacements (so that a replacement is never replaced in turn).
    placeholders = [(x, x.type()) for x, _ in items]
    final = [(p, y) for (_, p), (_, y) in zip(placeholders, items)]
    _, outs, _ = rebuild_collect_shared(output, [], placeholders, [], strict, share_inputs)
    _, outs, _ = rebuild_collect_shared(outs, [], final, [], strict, share_inputs)
    return outs


# ----------------------------------------------------------------------------- map_variables


def map_variables(replacer, graphs, additional_inputs=None):
    """New graphs built from `graphs` with each variable ``v`` replaced by ``replacer(v)``
    (graph inputs first, then every variable computed, inputs before outputs); the
    inner graphs of Scan and OpFromGraph nodes are mapped too, and what a replacement
    reads from outside such an inner graph becomes a new input of the node.

    A replacement that brings a shared variable with an update (``.update``) into an
    inner graph raises NotImplementedError: the node's updates would have to change.

    `additional_inputs` lists graph inputs the replacements may use that `graphs` do
    not.  Returns the new graphs, in the order of `graphs`.
    """
    seen = set()

    def wrapped(v):
        if v in seen:
            return v
        new = replacer(v)
        seen.add(new)
        return new

    graphs = list(graphs)
    extra = list(additional_inputs or [])
    memo = {}
    leaves = graph_inputs(graphs) + [v for v in extra if v not in graph_inputs(graphs)]
    for leaf in leaves:
        new = wrapped(leaf)
        if new is not leaf:
            memo[leaf] = new
    done = set()

    def rebuild(var):
        """`var` in the new graph (mapping the nodes above it first)."""
        stack = [var]
        while stack:
            v = stack[-1]
            if v in memo or v.owner is None or v.owner in done:
                stack.pop()
                continue
            pending = [i for i in v.owner.inputs
                       if i.owner is not None and i not in memo and i.owner not in done]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            _map_node(v.owner)
        return memo.get(var, var)

    def _map_node(node):
        done.add(node)
        new_inputs = [memo.get(i, i) for i in node.inputs]
        if isinstance(node.op, (Scan, OpFromGraph)):
            new_outputs = _map_inner_node(node, new_inputs, wrapped)
            for old, new in zip(node.outputs, new_outputs):
                memo[old] = new
                seen.add(new)
            return
        if all(a is b for a, b in zip(new_inputs, node.inputs)):
            new_node = node
        else:
            new_node = node.clone_with_new_inputs(new_inputs, strict=False)
            for old, new in zip(node.outputs, new_node.outputs):
                new.name = old.name
                new.tag = copy.copy(old.tag)
        for old, new in zip(node.outputs, new_node.outputs):
            mapped = wrapped(new)
            if mapped is not new and mapped.owner is not None:
                # A replacement graph may read variables that are themselves replaced.
                mapped = _remap(mapped)
            memo[old] = mapped

    def _remap(graph):
        leaves_ = [v for v in graph_inputs([graph]) if v in memo]
        if not leaves_:
            return graph
        return clone_replace(graph, [(v, memo[v]) for v in leaves_], strict=False)

    for node in io_toposort(leaves, graphs):
        if node not in done:
            _map_node(node)
    return [rebuild(g) if g not in memo else memo[g] for g in graphs]


def _inner_io(node):
    """(inner inputs, inner outputs) of a Scan or OpFromGraph node, paired with
    ``node.inputs`` (after n_steps for Scan)."""
    op = node.op
    if isinstance(op, Scan):
        return list(op.inputs), list(op.outputs)
    return list(op.local_inputs), list(op.local_outputs)


def _map_inner_node(node, new_outer_inputs, replacer):
    op = node.op
    inner_inputs, inner_outputs = _inner_io(node)
    outer = new_outer_inputs[1:] if isinstance(op, Scan) else list(new_outer_inputs)
    new_inner_inputs, new_outer, new_inner_outputs = _map_variables_inner(
        replacer, inner_inputs, outer, inner_outputs, op)
    if isinstance(op, Scan):
        n_extra = len(new_outer) - len(outer)
        new_op = op.with_extra_non_sequences(new_inner_inputs, new_inner_outputs, n_extra)
        return new_op(new_outer_inputs[0], *new_outer, return_list=True)
    n_explicit = op.n_explicit
    # The shared variables an OpFromGraph reads are found again from its outputs: give
    # the new op the outer variables in place of the inner stand-ins.
    stand_in_to_outer = dict(zip(new_inner_inputs[n_explicit:], new_outer[n_explicit:]))
    explicit_in = new_inner_inputs[:n_explicit] + [
        v for v in new_inner_inputs[n_explicit:]
        if not isinstance(stand_in_to_outer.get(v), SharedVariable)]
    explicit_out = [v for v in new_outer[:n_explicit]] + [
        v for v in new_outer[n_explicit:] if not isinstance(v, SharedVariable)]
    outputs = clone_replace(new_inner_outputs,
                            [(k, v) for k, v in stand_in_to_outer.items()
                             if isinstance(v, SharedVariable)], strict=False)
    new_op = OpFromGraph(explicit_in, outputs, inline=op.is_inline, name=op.name,
                         **op.kwargs)
    return new_op(*explicit_out, return_list=True)


def _map_variables_inner(replacer, inner_inputs, outer_inputs, inner_outputs, containing_op):
    """Map the inner graph of `containing_op`: replacements may read outer variables
    (graph inputs, shared variables, constants), which reach the inner graph through new
    inner inputs.  Returns (inner inputs, outer inputs, inner outputs), the new inputs
    appended."""
    outer_to_inner = OrderedDict(zip(outer_inputs, inner_inputs))
    inner_set = set(inner_inputs)
    extra_inner, extra_outer = [], []

    def inner_replacer(graph):
        new_graph = replacer(graph)
        if new_graph is graph:
            return graph
        constants, others = [], []
        for leaf in graph_inputs([new_graph]):
            if isinstance(leaf, Constant):
                constants.append(leaf)
            elif leaf not in inner_set:
                others.append(leaf)
        if not constants and not others:
            return new_graph
        replacements = [(c, _copied_constant(c)) for c in constants]
        for outer_input in others:
            if getattr(outer_input, "update", None) is not None \
                    or getattr(outer_input, "default_update", None) is not None:
                raise NotImplementedError(
                    f"Replacement introduces shared variable {outer_input} which has an update "
                    f"associated with it into the inner graph of {containing_op}. This is not "
                    "currently supported."
                )
            if outer_input not in outer_to_inner:
                inner_input = safe_new(outer_input, tag="_copy")
                outer_to_inner[outer_input] = inner_input
                inner_set.add(inner_input)
                extra_inner.append(inner_input)
                extra_outer.append(outer_input)
            replacements.append((outer_input, outer_to_inner[outer_input]))
        return clone_replace(new_graph, replacements, strict=False)

    new_inner_outputs = map_variables(inner_replacer, inner_outputs)
    return (list(chain(inner_inputs, extra_inner)), list(chain(outer_inputs, extra_outer)),
            new_inner_outputs)


def _copied_constant(c):
    new = c.clone()
    new.name = f"{c.name}_copied"
    return new


# ----------------------------------------------------------------------------- step returns


def get_updates_and_outputs(ls):
    """(condition or None, list of outputs, OrderedDict of updates) from what a scan step
    function returned; ValueError for a form scan does not accept.  A plain dict of more
    than one update is accepted with a warning (its order decides the updates' order)."""
    _warn_unordered(ls)
    return split_step_return(ls)


def _warn_unordered(ls):
    items = ls if isinstance(ls, (list, tuple)) else [ls]
    for x in items:
        if isinstance(x, dict) and not isinstance(x, OrderedDict) and len(x) > 1:
            warnings.warn("Expected OrderedDict or OrderedUpdates, got " + str(type(x))
                          + ". This can make your script non-deterministic.", stacklevel=3)


def isNaN_or_Inf_or_None(x):  # noqa: N802 - Theano's name
    """Whether `x` is None, NaN or infinite (a number or a constant variable), or a string
    constant: scan's test for "no number of steps given"."""
    is_none = x is None
    try:
        is_nan = bool(np.isnan(x))
        is_inf = bool(np.isinf(x))
    except Exception:  # noqa: BLE001 - anything that is not a number
        is_nan = is_inf = False
    if not is_nan and not is_inf:
        try:
            val = get_scalar_constant_value(x)
            is_inf = bool(np.isinf(val))
            is_nan = bool(np.isnan(val))
        except Exception:  # noqa: BLE001 - not a constant
            is_nan = is_inf = False
    is_str = isinstance(x, Constant) and isinstance(x.data, str)
    return is_none or is_nan or is_inf or is_str


def expand_empty(tensor_var, size):
    """`tensor_var` with `size` more rows (uninitialised in Theano; zeros here) at the end
    of its first axis."""
    if isinstance(size, int) and size == 0:
        return tensor_var
    shapes = [tensor_var.shape[x] for x in range(tensor_var.type.ndim)]
    new_shape = [size + shapes[0]] + shapes[1:]
    empty = TB.alloc(TB.constant(0, dtype=tensor_var.type.dtype), *new_shape)
    ret = tensor.set_subtensor(empty[:shapes[0]], tensor_var)
    ret.tag.nan_guard_mode_check = False
    return ret


# ----------------------------------------------------------------------------- comparisons


def _constants_equal(a, b):
    equals = getattr(a, "equals", None)
    if equals is not None:
        return bool(equals(b))
    return type(a) is type(b) and a.type == b.type and a.signature() == b.signature()


def equal_computations(xs, ys, in_xs=None, in_ys=None):
    """Whether the graphs `xs` and `ys` compute the same thing, pair by pair: the same
    Ops applied in the same way to equal constants and to the same graph inputs, an
    input of `in_xs` standing for the input of `in_ys` at the same position."""
    if len(xs) != len(ys):
        raise ValueError("equal_computations: xs and ys must have the same length")
    in_xs = [] if in_xs is None else list(in_xs)
    in_ys = [] if in_ys is None else list(in_ys)
    for x, y in zip(xs, ys):
        if (x.owner is None) != (y.owner is None):
            return False
        if x.owner is not None and x.owner.outputs.index(x) != y.owner.outputs.index(y):
            return False
        if x not in in_xs and x.type != y.type:
            return False
    if len(in_xs) != len(in_ys):
        return False
    if any(a.type != b.type for a, b in zip(in_xs, in_ys)):
        return False
    common = set(zip(in_xs, in_ys))
    different = set()
    for dx, dy in zip(xs, ys):
        if dx.owner is None:
            if isinstance(dx, Constant) and isinstance(dy, Constant):
                if not _constants_equal(dx, dy):
                    return False
            elif (dx, dy) not in common and dx is not dy:
                return False

    def compare_nodes(nd_x, nd_y):
        # Depth first over the inputs, on an explicit stack (graphs can be deep): a pair of
        # nodes is equal when their ops are and their inputs are pairwise.
        stack = [(nd_x, nd_y, False)]
        while stack:
            a, b, expanded = stack.pop()
            if a.op != b.op or len(a.inputs) != len(b.inputs) \
                    or len(a.outputs) != len(b.outputs):
                return False
            pairs = list(zip(a.outputs, b.outputs))
            if any(p in different for p in pairs):
                return False
            if all(p in common for p in pairs):
                continue
            if expanded:
                common.update(pairs)
                continue
            todo = []
            for dx, dy in zip(a.inputs, b.inputs):
                if (dx, dy) in common:
                    continue
                if dx.owner is not None and dy.owner is not None:
                    if dx.owner.outputs.index(dx) != dy.owner.outputs.index(dy):
                        return False
                    todo.append((dx.owner, dy.owner, False))
                elif dx.owner is None and dy.owner is None:
                    if dx is not dy:
                        if not (isinstance(dx, Constant) and isinstance(dy, Constant)
                                and _constants_equal(dx, dy)):
                            return False
                else:
                    return False
            stack.append((a, b, True))
            stack.extend(reversed(todo))
        return True

    for x, y in zip(xs, ys):
        if x.owner is not None and not compare_nodes(x.owner, y.owner):
            different.add((x, y))
            return False
    return True


def infer_shape(outs, inputs, input_shapes):
    """The shapes of `outs` (lists of scalar variables) from the shapes of `inputs`, by
    each node's ``infer_shape``, without compiling anything; a dimension no node knows
    is read from the variable (``var.shape[i]``)."""
    for inp, shp in zip(inputs, input_shapes):
        if shp is not None and len(shp) != inp.type.ndim:
            raise ValueError(f"infer_shape: shape {shp} given for {inp}, which has "
                             f"{inp.type.ndim} dimensions")
    shape_of = {}
    for inp, shp in zip(inputs, input_shapes):
        shape_of[inp] = _shape_tuple(inp, shp)

    def own_shape(v):
        if not hasattr(v.type, "ndim"):
            return None
        if isinstance(v, Constant) and hasattr(v.data, "shape"):
            return tuple(TB.constant(d, dtype="int64") for d in v.data.shape)
        return tuple(_dim(v, i) for i in range(v.type.ndim))

    for node in io_toposort(graph_inputs(outs), outs):
        for i in node.inputs:
            if i not in shape_of:
                shape_of[i] = own_shape(i)
        shapes = None
        if hasattr(node.op, "infer_shape"):
            try:
                shapes = node.op.infer_shape(node, [shape_of[i] for i in node.inputs])
            except Exception:  # noqa: BLE001 - the op cannot say: read the shape
                shapes = None
        for k, o in enumerate(node.outputs):
            got = shapes[k] if shapes is not None and k < len(shapes) else None
            if got is None:
                shape_of[o] = own_shape(o)
            else:
                shape_of[o] = tuple(_dim(o, d) if s is None else s for d, s in enumerate(got))
    ret = []
    for o in outs:
        if o not in shape_of:
            shape_of[o] = own_shape(o)
        ret.append(shape_of[o])
    return ret


def _dim(v, i):
    if v.type.broadcastable[i]:
        return TB.constant(1, dtype="int64")
    return v.shape[i]


def _shape_tuple(v, shp):
    if shp is None:
        return None if not hasattr(v.type, "ndim") else tuple(_dim(v, i)
                                                               for i in range(v.type.ndim))
    return tuple(_dim(v, i) if s is None else s for i, s in enumerate(shp))


class Validator:
    """Checks whether variables can be computed without the variables of `invalid`,
    replacing those that have an equivalent (`valid_equivalent`: invalid -> valid).

    ``check(out)`` returns ``(out, True)`` when `out` is valid, ``(equivalent, False)``
    when an equivalent graph over valid variables was built, and None otherwise.
    """

    __module__ = "theano.scan_module.scan_utils"  # Theano's path: reprs and pickles

    def __init__(self, valid=None, invalid=None, valid_equivalent=None):
        valid = [] if valid is None else valid
        invalid = [] if invalid is None else invalid
        valid_equivalent = OrderedDict() if valid_equivalent is None else valid_equivalent
        self.valid = set(valid)
        self.invalid = set(invalid)
        self.valid_equivalent = valid_equivalent.copy()
        self.valid.update(valid_equivalent.values())
        self.invalid.update(valid_equivalent.keys())

    def _get(self, out):
        if out in self.valid:
            return out, True
        if out in self.valid_equivalent:
            return self.valid_equivalent[out], False
        if out in self.invalid:
            return None
        raise RuntimeError(f"Validator: {out} was not classified")

    def check(self, out):
        q = [out]
        while q:
            v = q.pop()
            if v in self.valid or v in self.invalid:
                continue
            if v.owner is None:
                if isinstance(v, Constant) and getattr(v, "cached", False):
                    cloned = v.clone()
                    self.valid.add(cloned)
                    self.invalid.add(v)
                    self.valid_equivalent[v] = cloned
                else:
                    self.valid.add(v)
                continue
            unknown = [i for i in v.owner.inputs if i not in self.valid and i not in self.invalid]
            if unknown:
                q.append(v)
                q.extend(unknown)
                continue
            inputs = [self._get(i) for i in v.owner.inputs]
            if any(i is None for i in inputs):
                self.invalid.add(v)
                continue
            if any(not ok for _, ok in inputs):
                node = v.owner.clone_with_new_inputs([i for i, _ in inputs], strict=False)
                cloned = node.outputs[v.owner.outputs.index(v)]
                self.invalid.add(v)
                self.valid.add(cloned)
                self.valid_equivalent[v] = cloned
                continue
            self.valid.add(v)
        return self._get(out)


# ----------------------------------------------------------------------------- Scan layout


def scan_can_remove_outs(op, out_idxs):
    """(indices among `out_idxs` of the outputs of Scan `op` that can be removed, those that
    cannot): an output can go when no output kept reads its previous values."""
    non_removable = [o for i, o in enumerate(op.outputs) if i not in out_idxs]
    required_inputs = set(graph_inputs(non_removable))
    out_ins = []
    offset = op.n_seqs
    for taps in op.tap_array:
        out_ins.append(op.inputs[offset:offset + len(taps)])
        offset += len(taps)
    out_ins += [[] for _ in range(op.n_nit_sot)]
    out_ins += [[op.inputs[offset + k]] for k in range(op.n_shared_outs)]
    mask = [True] * len(out_idxs)
    added = True
    while added:
        added = False
        for pos, idx in enumerate(out_idxs):
            if mask[pos] and any(x in required_inputs for x in out_ins[idx]):
                mask[pos] = False
                required_inputs.update(graph_inputs([op.outputs[idx]]))
                added = True
    removable = [x for x, m in zip(out_idxs, mask) if m]
    kept = [x for x, m in zip(out_idxs, mask) if not m]
    return removable, kept


def compress_outs(op, not_required, inputs):
    """The Scan `op` and its node's `inputs` without the outputs listed in `not_required`:
    returns (inner inputs, inner outputs, info, node inputs, old output position -> new)."""
    info = OrderedDict()
    info["tap_array"] = []
    info["n_seqs"] = op.info["n_seqs"]
    info["n_mit_mot"] = 0
    info["n_mit_mot_outs"] = 0
    info["mit_mot_out_slices"] = []
    info["n_mit_sot"] = 0
    info["n_sit_sot"] = 0
    info["n_shared_outs"] = 0
    info["n_nit_sot"] = 0
    for key in ("truncate_gradient", "name", "gpua", "mode", "as_while", "profile",
                "allow_gc"):
        info[key] = op.info[key]
    op_inputs = list(op.inputs[:op.n_seqs])
    op_outputs = []
    node_inputs = list(inputs[:op.n_seqs + 1])
    map_old_new = OrderedDict()
    i_offset = op.n_seqs
    ni_offset = op.n_seqs + 1
    curr = 0
    n_states = op.n_mit_sot + op.n_sit_sot
    for idx in range(n_states):
        taps = op.tap_array[idx]
        if idx not in not_required:
            map_old_new[idx] = curr
            curr += 1
            info["n_mit_sot" if idx < op.n_mit_sot else "n_sit_sot"] += 1
            info["tap_array"].append(list(taps))
            op_inputs += op.inputs[i_offset:i_offset + len(taps)]
            op_outputs.append(op.outputs[idx])
            node_inputs.append(inputs[ni_offset + idx])
        i_offset += len(taps)
    ni_offset += n_states
    nit_sizes = []
    for k in range(op.n_nit_sot):
        idx = n_states + k
        if idx not in not_required:
            map_old_new[idx] = curr
            curr += 1
            info["n_nit_sot"] += 1
            op_outputs.append(op.outputs[idx])
            nit_sizes.append(inputs[ni_offset + op.n_shared_outs + k])
    for k in range(op.n_shared_outs):
        idx = n_states + op.n_nit_sot + k
        if idx not in not_required:
            map_old_new[idx] = curr
            curr += 1
            info["n_shared_outs"] += 1
            op_outputs.append(op.outputs[idx])
            op_inputs.append(op.inputs[i_offset])
            node_inputs.append(inputs[ni_offset + k])
        i_offset += 1
    ni_offset += op.n_shared_outs + op.n_nit_sot
    node_inputs += nit_sizes
    op_inputs += op.inputs[i_offset:]
    node_inputs += inputs[ni_offset:]
    if op.as_while:
        op_outputs.append(op.outputs[-1])
        map_old_new[len(op.outputs) - 1] = len(op_outputs) - 1
    return op_inputs, op_outputs, info, node_inputs, map_old_new


def reconstruct_graph(inputs, outputs, tag=None):
    """A copy of the graph from `inputs` to `outputs` with new inputs (`safe_new`, named
    with `tag` appended) and copied constants: returns (new inputs, new outputs)."""
    tag = "" if tag is None else tag
    nw_inputs = [safe_new(x, tag) for x in inputs]
    givens = OrderedDict(zip(inputs, nw_inputs))
    for inp in graph_inputs(outputs):
        if isinstance(inp, Constant):
            givens[inp] = inp.clone()
    return nw_inputs, clone(outputs, replace=givens)


class scan_args:  # noqa: N801 - Theano's name
    """The inputs and outputs of a Scan node sorted by kind (sequences, mit_sot, sit_sot,
    nit_sot, shared, non-sequences), inner and outer, on a copy of the inner graph; the
    properties put them back together (``inner_inputs``, ``outer_inputs``, ``info``...)
    to build a Scan node.  See the module docstring for the outer layout."""

    __module__ = "theano.scan_module.scan_utils"  # Theano's path: reprs and pickles

    def __init__(self, outer_inputs, outer_outputs, _inner_inputs, _inner_outputs, info):
        self.n_steps = outer_inputs[0]
        inner_inputs, rval_outputs = reconstruct_graph(_inner_inputs, _inner_outputs, "")
        if info["as_while"]:
            self.cond = [rval_outputs[-1]]
            inner_outputs = rval_outputs[:-1]
        else:
            self.cond = []
            inner_outputs = rval_outputs
        if info.get("n_mit_mot", 0):
            raise NotImplementedError("scan_args: mit_mot states do not exist in this "
                                      "project's Scan")
        p, q = 1, 0
        n_seqs = info["n_seqs"]
        self.outer_in_seqs = list(outer_inputs[p:p + n_seqs])
        self.inner_in_seqs = list(inner_inputs[q:q + n_seqs])
        p += n_seqs
        q += n_seqs
        n_mit_sot = info["n_mit_sot"]
        self.mit_mot_in_slices = []
        self.mit_sot_in_slices = [list(t) for t in info["tap_array"][:n_mit_sot]]
        self.inner_in_mit_mot = []
        self.outer_in_mit_mot = []
        self.inner_in_mit_sot = []
        for sl in self.mit_sot_in_slices:
            self.inner_in_mit_sot.append(list(inner_inputs[q:q + len(sl)]))
            q += len(sl)
        self.outer_in_mit_sot = list(outer_inputs[p:p + n_mit_sot])
        p += n_mit_sot
        n_sit_sot = info["n_sit_sot"]
        self.outer_in_sit_sot = list(outer_inputs[p:p + n_sit_sot])
        self.inner_in_sit_sot = list(inner_inputs[q:q + n_sit_sot])
        p += n_sit_sot
        q += n_sit_sot
        n_shared = info["n_shared_outs"]
        self.outer_in_shared = list(outer_inputs[p:p + n_shared])
        self.inner_in_shared = list(inner_inputs[q:q + n_shared])
        p += n_shared
        q += n_shared
        n_nit_sot = info["n_nit_sot"]
        self.outer_in_nit_sot = list(outer_inputs[p:p + n_nit_sot])
        p += n_nit_sot
        self.outer_in_non_seqs = list(outer_inputs[p:])
        self.inner_in_non_seqs = list(inner_inputs[q:])
        p = q = 0
        self.mit_mot_out_slices = []
        self.outer_out_mit_mot = []
        self.inner_out_mit_mot = []
        self.outer_out_mit_sot = list(outer_outputs[p:p + n_mit_sot])
        self.inner_out_mit_sot = list(inner_outputs[q:q + n_mit_sot])
        p += n_mit_sot
        q += n_mit_sot
        self.outer_out_sit_sot = list(outer_outputs[p:p + n_sit_sot])
        self.inner_out_sit_sot = list(inner_outputs[q:q + n_sit_sot])
        p += n_sit_sot
        q += n_sit_sot
        self.outer_out_nit_sot = list(outer_outputs[p:p + n_nit_sot])
        self.inner_out_nit_sot = list(inner_outputs[q:q + n_nit_sot])
        p += n_nit_sot
        q += n_nit_sot
        self.outer_out_shared = list(outer_outputs[p:p + n_shared])
        self.inner_out_shared = list(inner_outputs[q:q + n_shared])
        p += n_shared
        q += n_shared
        if p != len(outer_outputs) or q != len(inner_outputs):
            raise ValueError("scan_args: the outputs do not fit the info given")
        self.other_info = OrderedDict()
        for k in ("truncate_gradient", "name", "mode", "destroy_map", "gpua", "as_while",
                  "profile", "allow_gc"):
            if k in info:
                self.other_info[k] = info[k]

    @property
    def inner_inputs(self):
        return (self.inner_in_seqs + sum(self.inner_in_mit_mot, [])
                + sum(self.inner_in_mit_sot, []) + self.inner_in_sit_sot
                + self.inner_in_shared + self.inner_in_non_seqs)

    @property
    def outer_inputs(self):
        return ([self.n_steps] + self.outer_in_seqs + self.outer_in_mit_mot
                + self.outer_in_mit_sot + self.outer_in_sit_sot + self.outer_in_shared
                + self.outer_in_nit_sot + self.outer_in_non_seqs)

    @property
    def inner_outputs(self):
        return (sum(self.inner_out_mit_mot, []) + self.inner_out_mit_sot
                + self.inner_out_sit_sot + self.inner_out_nit_sot + self.inner_out_shared
                + self.cond)

    @property
    def outer_outputs(self):
        return (self.outer_out_mit_mot + self.outer_out_mit_sot + self.outer_out_sit_sot
                + self.outer_out_nit_sot + self.outer_out_shared)

    @property
    def info(self):
        return OrderedDict(
            n_seqs=len(self.outer_in_seqs),
            n_mit_mot=len(self.outer_in_mit_mot),
            n_mit_sot=len(self.outer_in_mit_sot),
            tap_array=(self.mit_mot_in_slices + self.mit_sot_in_slices
                       + [[-1]] * len(self.inner_in_sit_sot)),
            n_sit_sot=len(self.outer_in_sit_sot),
            n_nit_sot=len(self.outer_in_nit_sot),
            n_shared_outs=len(self.outer_in_shared),
            n_mit_mot_outs=sum(len(s) for s in self.mit_mot_out_slices),
            mit_mot_out_slices=self.mit_mot_out_slices,
            **self.other_info)

    def _list_attrs(self):
        return [a for a in self.__dict__
                if a.startswith(("inner_in", "inner_out", "outer_in", "outer_out"))
                or a in ("mit_mot_out_slices", "mit_mot_in_slices", "mit_sot_in_slices")]

    def __copy__(self):
        res = object.__new__(type(self))
        res.__dict__.update(self.__dict__)
        for attr in self._list_attrs() + ["other_info"]:
            setattr(res, attr, copy.copy(getattr(self, attr)))
        return res

    def merge(self, other):
        """The arguments of `self` followed by those of `other` (kind by kind)."""
        res = copy.copy(self)
        for attr in self._list_attrs():
            getattr(res, attr).extend(getattr(other, attr))
        return res


def forced_replace(out, x, y):
    """`out` with every sub-graph that computes the same as `x` (`equal_computations`)
    replaced by `y`; the inputs of a matched sub-graph are not searched further."""
    if out is None:
        return None
    visited = set()
    q = deque([out])
    to_replace = []
    while q:
        graph = q.popleft()
        if graph in visited:
            continue
        visited.add(graph)
        if equal_computations([graph], [x]):
            to_replace.append((graph, y))
        elif graph.owner is not None:
            q.extendleft(graph.owner.inputs)
    if not to_replace:
        return out
    return clone(out, replace=to_replace)


def __getattr__(name):
    # Theano's module imported the package itself (``theano``): looked up, not imported.
    if name == "theano":
        return sys.modules[__name__.split(".")[0]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"theano"})

