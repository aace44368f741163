"""theano.gof.vm: Theano 1.0.5's virtual machines (VM_Linker and the VMs it makes), in
pure Python.

A VM runs the thunks of a linked graph (theano.gof.link): `Loop` runs them all in
order, `LoopGC` also empties each intermediate's cell after its last use, and `Stack`
runs from the outputs backwards, computing a node only once its inputs are needed, so
that only the branch an ``ifelse`` takes is computed (lazy evaluation), and calls a
`callback` after every thunk.  `VM_Linker` picks one of them as Theano did:

* a ``callback`` / ``callback_input``, ``allow_partial_eval`` or a memory profile: Stack;
* otherwise, when the graph has a lazy node (or ``lazy=True``, or the ``vm.lazy`` flag
  is True): Stack; else LoopGC (``allow_gc``) or Loop.

``use_cloop=True`` asked Theano for `CVM`, the C port of Stack.  There is no C code
here: the linker makes the Python VM the C loop was written to match (same results,
same laziness), and constructing `CVM` itself raises NotImplementedError.  Every thunk
is a Python one (``c_thunks`` is accepted and has no effect).

``theano.function(..., mode=Mode(linker=VM_Linker(...)))`` compiles through this linker
(see theano.gof.link.LinkerFunctionMaker): ``f.maker.vm`` is the VM, with Theano's
``thunks``, ``nodes``, ``storage_map``, ``compute_map``, ``allow_gc``, ``call_counts``
and ``call_times``.
"""

from __future__ import annotations

import logging
import platform  # noqa: F401 - a name of Theano's module
import sys  # noqa: F401 - a name of Theano's module
import time
import warnings  # noqa: F401 - a name of Theano's module
from collections import defaultdict

import theano_compat as theano  # noqa: F401 - a name of Theano's module

from ..config import config
from ..graph.basic import Constant
from . import lazylinker_c  # noqa: F401 - a name of Theano's module
from . import link
from .cmodule import c_unavailable

__all__ = ["CVM", "Loop", "LoopGC", "Stack", "VM", "VM_Linker", "calculate_reallocate_info"]

logger = logging.getLogger("theano.gof.vm")
xrange = range


def iteritems(d):
    return iter(d.items())


def itervalues(d):
    return iter(d.values())


def calculate_reallocate_info(order, fgraph, storage_map, compute_map_re, dependencies):
    """``{dead variable: [dead variable, later output]}``: 0-d intermediates whose cell
    a later node's 0-d output of the same type may reuse (Theano's memory reuse of the
    non-lazy Python VMs).

    A variable qualifies when it is computed (not an input, constant or output), all its
    `dependencies` (the variables computed from it) are computed by the time it is last
    read, and it neither views nor is viewed by another variable still alive.
    `compute_map_re` (variable -> [flag]) is updated as the nodes are walked.
    """
    reallocated = {}
    viewed_by = {var: [] for var in fgraph.variables}
    view_of = {}
    pre_allocated = set()
    allocated = set()
    outputs = set(fgraph.outputs)
    inputs = set(fgraph.inputs)

    def reuse_after(idx, ins):
        for later in order[idx + 1:]:
            for out in later.outputs:
                if getattr(out, "ndim", None) == 0 and out not in pre_allocated and \
                        ins.type == out.type:
                    pre_allocated.add(out)
                    allocated.add(ins)
                    return out
        return None

    for idx, node in enumerate(order):
        dmap = getattr(node.op, "destroy_map", None) or {}
        vmap = getattr(node.op, "view_map", None) or {}
        for out_pos, out in enumerate(node.outputs):
            for var in node.outputs:
                compute_map_re[var][0] = 1
            source = None
            if out_pos in dmap:
                if len(dmap[out_pos]) != 1:
                    raise ValueError("Here we only support the possibility to destroy one "
                                     "input")
                source = node.inputs[dmap[out_pos][0]]
            if out_pos in vmap:
                if source is not None or len(vmap[out_pos]) != 1:
                    raise ValueError("Here we only support the possibility to view one "
                                     "input")
                source = node.inputs[vmap[out_pos][0]]
            if source is not None:
                origin = view_of.get(source, source)
                view_of[out] = origin
                viewed_by.setdefault(origin, []).append(out)
        for ins in node.inputs:
            if not (getattr(ins, "ndim", None) == 0 and not storage_map[ins][0]
                    and ins not in outputs and ins.owner is not None
                    and all(compute_map_re[v][0] for v in dependencies.get(ins, []))
                    and ins not in allocated):
                continue
            reuse = None
            if ins not in view_of and not viewed_by.get(ins, []):
                reuse = reuse_after(idx, ins)
            elif ins in view_of:
                origin = view_of[ins]
                if ins in viewed_by[origin]:
                    viewed_by[origin].remove(ins)
                if not viewed_by[origin] and origin not in inputs and \
                        not isinstance(origin, Constant):
                    reuse = reuse_after(idx, ins)
            if reuse is not None:
                reallocated[ins] = [ins, reuse]
    return reallocated


class VM:
    """Runs the thunks of a linked graph: ``vm()`` computes the outputs' cells.

    ``nodes`` and ``thunks`` (in toposort order), ``pre_call_clear`` (cells emptied at
    the start of each call), ``call_counts`` / ``call_times`` per thunk (filled when
    ``time_thunks`` is set, or by Stack under the ``profile`` flag),
    ``need_update_inputs`` (True: the function writes the updates).
    """

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    def __init__(self, nodes, thunks, pre_call_clear):
        if len(nodes) != len(thunks):
            raise ValueError(f"{len(nodes)} nodes but {len(thunks)} thunks")
        self.nodes = nodes
        self.thunks = thunks
        self.pre_call_clear = pre_call_clear
        self.call_counts = [0] * len(nodes)
        self.call_times = [0] * len(nodes)
        self.time_thunks = False
        self.need_update_inputs = True
        self.fgraph = None

    def __call__(self):
        raise NotImplementedError(
            "override me: VM is an abstract base; use a concrete VM (Loop, Stack) or "
            "theano.function")

    def clear_storage(self):
        """Empty the cells of intermediate values and outputs."""
        raise NotImplementedError(
            "override me: VM is an abstract base; use a concrete VM (Loop, Stack) or "
            "theano.function")

    def update_profile(self, profile):
        """Add the per-node times and call counts to `profile` (a ProfileStats) and
        reset them."""
        apply_time = getattr(profile, "apply_time", None)
        if apply_time is None:
            apply_time = profile.apply_time = {}
        apply_callcount = getattr(profile, "apply_callcount", None)
        if apply_callcount is None:
            apply_callcount = profile.apply_callcount = {}
        apply_cimpl = getattr(profile, "apply_cimpl", None)
        if apply_cimpl is None:
            apply_cimpl = profile.apply_cimpl = {}
        for node, thunk, t, c in zip(self.nodes, self.thunks, self.call_times,
                                     self.call_counts):
            apply_time[node] = apply_time.get(node, 0.0) + t
            apply_callcount[node] = apply_callcount.get(node, 0) + c
            apply_cimpl[node] = hasattr(thunk, "cthunk")
        for name in ("variable_shape", "variable_strides", "variable_offset"):
            if hasattr(self, name):
                setattr(profile, name, dict(getattr(self, name)))
        for name in ("node_executed_order", "node_cleared_order"):
            if hasattr(self, name):
                setattr(profile, name, list(getattr(self, name)))
        if getattr(self, "dependencies", None) is not None:
            profile.dependencies = self.dependencies
        for i in range(len(self.call_times)):
            self.call_times[i] = 0.0
            self.call_counts[i] = 0

    def _fail(self, node, thunk, storage_map=None):
        link._raise_with_op(node, thunk, None, storage_map, self.fgraph)

    def _run_all(self, post_thunk_clear=None):
        for cell in self.pre_call_clear:
            cell[0] = None
        timed = self.time_thunks
        clears = post_thunk_clear or [()] * len(self.thunks)
        for i, (thunk, node, old) in enumerate(zip(self.thunks, self.nodes, clears)):
            try:
                if timed:
                    t0 = time.perf_counter()
                    thunk()
                    self.call_times[i] += time.perf_counter() - t0
                    self.call_counts[i] += 1
                else:
                    thunk()
            except Exception:
                self._fail(node, thunk)
            for cell in old:
                cell[0] = None


class Loop(VM):
    """Runs every thunk from start to finish; intermediates are kept."""

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    allow_gc = False

    def __call__(self):
        self._run_all()


class LoopGC(VM):
    """Runs every thunk from start to finish, emptying after each thunk the cells in
    `post_thunk_clear` (the intermediates it read last)."""

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    def __init__(self, nodes, thunks, pre_call_clear, post_thunk_clear):
        super().__init__(nodes, thunks, pre_call_clear)
        if len(post_thunk_clear) != len(nodes):
            raise ValueError(f"{len(nodes)} nodes but {len(post_thunk_clear)} "
                             "post_thunk_clear entries")
        self.post_thunk_clear = post_thunk_clear
        self.allow_gc = True

    def __call__(self):
        self._run_all(self.post_thunk_clear)


def _shape_info(var, value):
    get = getattr(var.type, "get_shape_info", None)
    if get is not None:
        return get(value)
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else "no shape"


def _strides_info(value):
    flags = getattr(value, "flags", None)
    if flags is not None and getattr(flags, "c_contiguous", False):
        return "c"
    return getattr(value, "strides", "no strides")


class Stack(VM):
    """Evaluates from the outputs backwards (Theano's reference VM).

    A node runs when all its inputs (and the outputs of the nodes its in-place
    operations must wait for) are computed; a node that needs inputs pushes their
    producers first.  A lazy thunk returns the positions of the inputs it still needs
    (an ifelse: the condition, then the taken branch only), so the other branch never
    runs.  With `allow_gc`, a value is freed once every variable computed from it is
    computed (`dependencies`).  `callback(node=, thunk=, storage_map=, compute_map=)`
    is called after every thunk call (twice for a lazy node that first asked for
    inputs); `callback_input(var, value)` once per input, constant and shared value.
    """

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    def __init__(self, nodes, thunks, pre_call_clear, storage_map, compute_map, fgraph,
                 allow_gc, n_updates, dependencies=None, callback=None, callback_input=None):
        super().__init__(nodes, thunks, pre_call_clear)
        self.allow_gc = allow_gc
        self.message = ""
        self.base_apply_stack = [o.owner for o in fgraph.outputs if o.owner]
        self.outputs = fgraph.outputs
        self.storage_map = storage_map
        self.variable_shape = {}
        self.variable_strides = {}
        self.variable_offset = {}
        self.compute_map = compute_map
        self.node_idx = {node: i for i, node in enumerate(nodes)}
        self.callback = callback
        self.callback_input = callback_input
        self.n_updates = n_updates
        self.fgraph = fgraph
        ords = fgraph.orderings()
        # Outputs of the nodes that must run before each node (in-place operations
        # destroying a value another node reads): implicit inputs.
        self.destroy_dependencies = {
            node: [v for prereq in ords.get(node, ()) for v in prereq.outputs]
            for node in nodes}
        self.dependencies = dependencies
        if self.allow_gc and self.dependencies is None:
            raise ValueError("Must set dependencies when using GC")

    def run_thunk_of_node(self, node):
        """Run `node`'s thunk (and the callback); returns (its result, seconds)."""
        idx = self.node_idx[node]
        t0 = time.perf_counter()
        rval = self.thunks[idx]()
        self.node_executed_order.append(node)
        dt = max(time.perf_counter() - t0, 1e-10)
        if self.callback is not None:
            self.callback(node=node, thunk=self.thunks[idx], storage_map=self.storage_map,
                          compute_map=self.compute_map)
        return rval, dt

    def _record(self, var, value):
        self.variable_shape[var] = _shape_info(var, value)
        self.variable_strides[var] = _strides_info(value)
        self.variable_offset[var] = getattr(value, "offset", "")

    def _profiling(self):
        return bool(config.profile or config.print_global_stats)

    def _collect(self, node, compute_map, storage_map):
        """Free the inputs of `node` nobody needs any more (allow_gc); returns their
        positions."""
        freed = []
        if not self.allow_gc:
            return freed
        deps = self.dependencies
        outputs = self.outputs
        for i in node.inputs:
            if deps[i] and i.owner is not None and i not in outputs and \
                    all(compute_map[v][0] for v in deps[i]):
                storage_map[i][0] = None
                freed.append(node.inputs.index(i))
                # 2, not 0: a value freed must never look "to compute" again.
                compute_map[i][0] = 2
        return freed

    def __call__(self, output_subset=None):
        storage_map = self.storage_map
        compute_map = self.compute_map
        thunks = self.thunks
        self.node_executed_order = []
        self.node_cleared_order = []
        for cell in self.pre_call_clear:
            cell[0] = None
        for var in storage_map:
            compute_map[var][0] = var.owner is None
            if self.callback_input is not None and compute_map[var][0]:
                self.callback_input(var, storage_map[var][0])
        if output_subset is not None:
            first_update = len(self.outputs) - self.n_updates
            wanted = list(output_subset) + list(range(first_update, len(self.outputs)))
            apply_stack = [self.outputs[i].owner for i in wanted if self.outputs[i].owner]
        else:
            apply_stack = list(self.base_apply_stack)
        for var, cell in storage_map.items():
            if cell[0] is not None:
                self._record(var, cell[0])
        profiling = self._profiling()
        last_len = -1
        while apply_stack:
            if len(apply_stack) == last_len:
                raise RuntimeError("the VM made no progress (an Op's lazy thunk keeps "
                                   "asking for inputs that are computed?)")
            last_len = len(apply_stack)
            node = apply_stack.pop()
            idx = self.node_idx[node]
            thunk = thunks[idx]
            deps = node.inputs + self.destroy_dependencies[node]
            computed_ins = all(compute_map[v][0] for v in deps)
            computed_outs = all(compute_map[v][0] for v in node.outputs)
            if not thunk.lazy:
                if computed_ins and not computed_outs:
                    try:
                        _, dt = self.run_thunk_of_node(node)
                    except Exception:
                        self._fail(node, thunk, storage_map)
                    if profiling:
                        self.call_counts[idx] += 1
                        self.call_times[idx] += dt
                        for var, cell in zip(node.outputs, thunk.outputs):
                            self._record(var, cell[0])
                    for o in node.outputs:
                        compute_map[o][0] = 1
                    self.node_cleared_order.append(self._collect(node, compute_map,
                                                                 storage_map))
                elif not computed_ins:
                    apply_stack.append(node)
                    apply_stack.extend(v.owner for v in deps if v.owner)
            elif not computed_outs:
                try:
                    requires, dt = self.run_thunk_of_node(node)
                except Exception:
                    self._fail(node, thunk, storage_map)
                self.call_counts[idx] += 1
                self.call_times[idx] += dt
                if requires:
                    for r in requires:
                        apply_stack.append(node)
                        if node.inputs[r].owner:
                            apply_stack.append(node.inputs[r].owner)
                else:
                    if profiling:
                        for var, cell in zip(node.outputs, thunk.outputs):
                            self._record(var, cell[0])
                    self.node_cleared_order.append(self._collect(node, compute_map,
                                                                 storage_map))
        final = []
        if self.allow_gc:
            outputs = self.outputs
            for var in storage_map:
                if var.owner is not None and var not in outputs and compute_map[var][0] != 2:
                    storage_map[var][0] = None
                    final.append(var)
                    compute_map[var][0] = 2
        self.node_cleared_order.append(final)

    def clear_storage(self):
        for var, cell in self.storage_map.items():
            if var.owner is not None:
                cell[0] = None


class CVM(VM):
    """Theano's C implementation of `Stack` (``lazylinker_c.CLazyLinker``).

    Not available: there is no C compiler in theano_compat.  ``VM_Linker(use_cloop=True)``
    makes the Python VM it was written to match instead.
    """

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    def __init__(self, *args, **kwargs):
        raise c_unavailable("theano.gof.vm.CVM (the C loop of lazylinker_c)",
                            "VM_Linker(use_cloop=False), or use_cloop=True, which makes "
                            "the Python Stack/Loop VM")


class VM_Linker(link.LocalLinker):
    """Theano's VM_Linker: links a graph into one of the VMs of this module.

    `allow_gc` (default: the ``allow_gc`` flag): free intermediates during a call.
    `use_cloop`: accepted; the Python VM runs (see the module docstring).
    `callback(node=, thunk=, storage_map=, compute_map=)`: called after each thunk.
    `callback_input(var, value)`: called on each input/constant/shared value per call.
    `lazy`: None (the ``vm.lazy`` flag, then: lazy iff the graph has a lazy node), True
    (Stack) or False (Loop/LoopGC: every node runs).  `schedule`: the node order (a
    function of the fgraph).  `c_thunks`: accepted, no effect (no C).
    `allow_partial_eval`: use Stack, so a call may compute a subset of the outputs.
    """

    __module__ = "theano.gof.vm"  # Theano's path: reprs and pickles

    def __init__(self, allow_gc=None, use_cloop=False, callback=None, callback_input=None,
                 lazy=None, schedule=None, c_thunks=None, allow_partial_eval=None):
        if allow_gc is None:
            allow_gc = config.allow_gc
        self.fgraph = None
        self.allow_gc = allow_gc
        self.use_cloop = use_cloop
        self.callback = callback
        self.callback_input = callback_input
        self.lazy = lazy
        self.c_thunks = bool(c_thunks) if c_thunks is not None else False
        self.allow_partial_eval = allow_partial_eval
        self.updated_vars = {}
        self.no_recycling = []
        self.profile = None
        if schedule:
            self.schedule = schedule

    def accept(self, fgraph, no_recycling=None, profile=None):
        """Tie the linker to `fgraph`; a linker already tied to another graph returns a
        new VM_Linker with the same settings.  `no_recycling`: variables whose cells are
        emptied at the start of each call."""
        if no_recycling is None:
            no_recycling = []
        if self.fgraph is not None and self.fgraph is not fgraph:
            new = type(self)(allow_gc=self.allow_gc, use_cloop=self.use_cloop,
                             callback=self.callback, callback_input=self.callback_input,
                             lazy=self.lazy, schedule=self.schedule,
                             c_thunks=self.c_thunks,
                             allow_partial_eval=self.allow_partial_eval)
            new._compile_inner = getattr(self, "_compile_inner", None)
            return new.accept(fgraph, no_recycling, profile)
        self.fgraph = fgraph
        self.no_recycling = no_recycling
        self.profile = profile
        return self

    def accept_var_updates(self, updated_vars):
        """Record ``{input variable: variable holding its update}`` (the function writes
        the updates; Stack uses their number for partial evaluation)."""
        self.updated_vars = updated_vars

    def compute_gc_dependencies(self, variables):
        """``{variable: the outputs of the nodes reading it}``: once these are computed,
        the variable is not needed any more (empty for inputs and constants)."""
        clients = self.fgraph.clients
        dependencies = {}
        for var in variables:
            deps = []
            users = clients.get(var) if var.owner is not None else None
            for user, _ in users or ():
                if user != "output":
                    deps += user.outputs
            dependencies[var] = deps
        return dependencies

    def _lazy(self, thunks):
        lazy = self.lazy
        if lazy is None:
            lazy = config.vm.lazy
        if lazy is None:
            lazy = any(th.lazy for th in thunks)
        return bool(lazy)

    def make_vm(self, nodes, thunks, input_storage, output_storage, storage_map,
                post_thunk_clear, computed, compute_map, updated_vars):
        """The VM for these thunks (see the module docstring for which one)."""
        pre_call_clear = [storage_map[v] for v in self.no_recycling]
        profile_memory = bool((config.profile or config.print_global_stats)
                              and config.profile_memory)
        if self.callback is not None or self.callback_input is not None or \
                profile_memory or self.allow_partial_eval:
            deps = self.compute_gc_dependencies(storage_map)
            return Stack(nodes, thunks, pre_call_clear, storage_map, compute_map,
                         self.fgraph, self.allow_gc, len(updated_vars), dependencies=deps,
                         callback=self.callback, callback_input=self.callback_input)
        if not self._lazy(thunks):
            if self.allow_gc:
                return LoopGC(nodes, thunks, pre_call_clear, post_thunk_clear)
            return Loop(nodes, thunks, pre_call_clear)
        deps = self.compute_gc_dependencies(storage_map)
        return Stack(nodes, thunks, pre_call_clear, storage_map, compute_map, self.fgraph,
                     self.allow_gc, len(updated_vars), dependencies=deps)

    def make_all(self, profiler=None, input_storage=None, output_storage=None,
                 storage_map=None):
        """``(vm, input containers, output containers, thunks, order)``."""
        fgraph = self.fgraph
        if fgraph is None:
            raise ValueError("VM_Linker.make_all: accept(fgraph) first")
        order = self.schedule(fgraph)
        input_storage, output_storage, storage_map = link.map_storage(
            fgraph, order, input_storage, output_storage, storage_map)
        compute_map = {var: [var.owner is None] for var in storage_map}
        compute_map_re = defaultdict(lambda: [0])
        for var in fgraph.inputs:
            compute_map_re[var][0] = 1
        dependencies = getattr(fgraph.profile, "dependencies", None) or \
            self.compute_gc_dependencies(storage_map)
        reallocated = calculate_reallocate_info(order, fgraph, storage_map, compute_map_re,
                                                dependencies)
        compile_inner = getattr(self, "_compile_inner", None)
        thunks = []
        t0 = time.perf_counter()
        make_times = {}
        for node in order:
            started = time.perf_counter()
            try:
                thunk = link.make_node_thunk(node, storage_map, compute_map, [], "py",
                                             compile_inner)
            except Exception as e:
                e.args = ("The following error happened while compiling the node", node,
                          "\n", *e.args)
                raise
            make_times[node] = time.perf_counter() - started
            thunk.inputs = [storage_map[v] for v in node.inputs]
            thunk.outputs = [storage_map[v] for v in node.outputs]
            thunks.append(thunk)
        if self.profile:
            self.profile.linker_node_make_thunks = getattr(
                self.profile, "linker_node_make_thunks", 0.0) + time.perf_counter() - t0
            self.profile.linker_make_thunk_time = make_times
        lazy = self._lazy(thunks)
        profile_memory = bool((config.profile or config.print_global_stats)
                              and config.profile_memory)
        if not (lazy or profile_memory or self.use_cloop or self.callback or
                self.callback_input):
            # The thunks keep their own cells; the storage map shows the reuse.
            for dead, reuse in reallocated.values():
                storage_map[reuse] = storage_map[dead]
        computed, last_user = link.gc_helper(order)
        post_thunk_clear = None
        if self.allow_gc:
            outputs = set(fgraph.outputs)
            post_thunk_clear = [
                [storage_map[v] for v in node.inputs
                 if v in computed and v not in outputs and last_user[v] is node
                 and v not in reallocated]
                for node in order]
        vm = self.make_vm(order, thunks, input_storage, output_storage, storage_map,
                          post_thunk_clear, computed, compute_map, self.updated_vars)
        vm.fgraph = fgraph
        vm.storage_map = storage_map
        vm.compute_map = compute_map
        return (vm,
                [link.Container(v, cell) for v, cell in zip(fgraph.inputs, input_storage)],
                [link.Container(v, cell, True) for v, cell in zip(fgraph.outputs,
                                                                  output_storage)],
                thunks,
                order)

    def __setstate__(self, d):
        self.__dict__.update(d)
        self.__dict__.setdefault("c_thunks", False)
        self.__dict__.setdefault("allow_partial_eval", None)
        self.__dict__.setdefault("callback_input", None)
