"""The compiled function object (Theano's ``Function``) and its maker (``FunctionMaker``).

The generated ``__call__`` each function gets is written by link/call_entry.py, which
also holds `update_lock` (re-exported here, its documented path).

Theano's interface to a function's state is kept: ``f.input_storage`` holds one
`Container` per input (the explicit inputs, then one per shared variable the graph
reads, whose container it is), ``f[x]`` / ``f['name']`` / ``f[k]`` read and set an
input's stored value (``f.value[...]`` the same, ``f.container[...]`` the container),
``f.maker.inputs`` lists every input as an ``In`` (the shared ones ``implicit``, with
``value`` their container), ``f.defaults`` says per input whether it is required,
whether its default comes back after each call, and that default.
"""

from __future__ import annotations

import copy as _copy
import logging
import time

import numpy as np

from ..config import config
from ..graph.basic import Constant
from ..graph.shared import Container, SharedVariable
from ..link import annotate_runtime_error, link, user_traceback
from ..link.call_entry import EMBED_MAX_LINES, CallSpec, UpdateLock, update_lock, write_call
from ..link.device import name_device_ops
from .inner import inner_compiler
from .ops import deep_copy_op
from .profiling import GLOBAL_STATS, ProfileStats

__all__ = ["EMBED_MAX_LINES", "CompiledFunction", "Function", "FunctionMaker", "UpdateLock",
           "update_lock", "DUPLICATE", "AliasedMemoryError", "get_info_on_inputs"]

# The finder's entry for a name that several inputs have (Theano's placeholder).
DUPLICATE = ["DUPLICATE"]

_PUBLIC_MODULE = "theano.compile.function_module"


class AliasedMemoryError(Exception):
    """Memory is aliased that should not be (raised when pickling a function whose
    inputs share memory, with ``pickle_aliased_memory_strategy = 'raise'``)."""

    __module__ = _PUBLIC_MODULE


class FunctionMaker:
    """What `function` built: the rewritten graph and the description of inputs/outputs.

    ``inputs``: every input as an In (the explicit ones, then one per shared variable,
    ``shared=True`` and ``implicit``); ``outputs``: the Outs of the returned values;
    ``fgraph``: the rewritten graph, whose outputs are the returned values followed by
    the update values (shared variables', then those of explicit ``In(update=...)``);
    ``mode``: the Mode; ``create()`` makes another Function over the same program.
    """

    __module__ = _PUBLIC_MODULE

    def __init__(self, fgraph, inputs, outputs, *, n_explicit, shared_vars, out_kind,
                 out_keys, update_targets, mode, allow_input_downcast, backend, name,
                 profile, accept_inplace=False, on_unused_input=None):
        self.fgraph = fgraph
        self.inputs = inputs
        self.n_explicit = n_explicit
        self.shared_vars = shared_vars
        self.outputs = out_specs = outputs
        self.out_kind = out_kind
        self.out_keys = out_keys
        self.update_targets = update_targets
        self.n_outputs = len(out_specs)
        self.mode = mode
        self.allow_input_downcast = allow_input_downcast
        self.backend = backend
        self.name = name
        self.profile = profile
        self.accept_inplace = accept_inplace
        self.on_unused_input = on_unused_input
        self.delete_updates = False
        # Positions in `inputs` of the updated ones, in the order of the update values
        # among the graph's outputs (after the returned values).
        pos = {id(v): n_explicit + j for j, v in enumerate(shared_vars)}
        self.update_positions = [pos[id(t)] for t in update_targets] + [
            k for k in range(n_explicit) if inputs[k].update is not None]
        fgraph.name = name
        fgraph.update_mapping = {self.n_outputs + j: k
                                 for j, k in enumerate(self.update_positions)}
        self.program = self._link()

    # -- Theano's attributes -----------------------------------------------------------------

    @property
    def expanded_inputs(self):
        return self.inputs

    @property
    def indices(self):
        return [[spec, None, [spec]] for spec in self.inputs]

    @property
    def unpack_single(self):
        return self.out_kind == "single"

    @property
    def return_none(self):
        return self.out_kind == "none"

    @property
    def output_keys(self):
        return self.out_keys

    @property
    def function_builder(self):
        return Function

    @property
    def linker(self):
        return getattr(self.mode, "linker", None)

    @property
    def required(self):
        return [spec.value is None for spec in self.inputs]

    @property
    def refeed(self):
        return [spec.value is not None and not isinstance(spec.value, (Container,
                                                                        SharedVariable))
                and spec.update is None for spec in self.inputs]

    def create(self, input_storage=None, trustme=False, storage_map=None):
        """A new Function over this maker's program (`input_storage`: one default per
        input; a Container or a shared variable shares its storage)."""
        return Function(self, input_storage=input_storage)

    # -- linking -----------------------------------------------------------------------------

    def _link(self):
        """Link the graph, copying each output that would otherwise alias caller data.

        Theano's rule (``insert_deepcopy``): an output that is (a view of) the same array
        as a later output is copied, unless both Outs borrow; an output that is (a view
        of) a constant is copied unless its Out borrows; one that is (a view of) an input
        is copied unless that input is updated by the call (its old array is then no
        longer the input's), or both the In and the Out borrow (shared inputs always
        borrow).  So a shared variable never shares memory with another one, and
        ``updates=[(a, b), (b, a)]`` swaps the arrays without copying them.
        """
        fg = self.fgraph
        outs = fg.outputs
        n_explicit = self.n_explicit
        input_pos = {id(v): k for k, v in enumerate(fg.inputs)}
        updated = set() if self.delete_updates else {
            id(fg.inputs[p]) for p in self.update_positions}
        borrow = [k < self.n_outputs and bool(self.outputs[k].borrow)
                  for k in range(len(outs))]
        roots = [view_root(o) for o in outs]
        destroyed = destroyed_roots(fg)
        copy = set()
        for i, root in enumerate(roots):
            later = next((j for j in range(i + 1, len(outs)) if roots[j] is root), None)
            if later is not None:
                if not (borrow[i] and borrow[later]):
                    copy.add(i)
                continue
            if root.owner is not None:
                continue  # a fresh array computed by the program
            pos = input_pos.get(id(root))
            if pos is None:  # a constant: its data belongs to the graph
                if not borrow[i]:
                    copy.add(i)
            elif id(root) not in updated and id(root) not in destroyed:
                in_borrow = bool(self.inputs[pos].borrow) if pos < n_explicit else True
                if not (borrow[i] and in_borrow):
                    copy.add(i)
        # As Theano, the copies are DeepCopyOp nodes of the compiled graph (what
        # f.maker.fgraph shows); once inserted, those outputs are fresh arrays, so linking
        # the graph again finds nothing more to copy.
        for i in sorted(copy):
            fg.change_input("output", i, deep_copy_op(outs[i]), reason="insert_deepcopy")
        started = time.perf_counter()
        program = link(fg, fg.inputs, fg.outputs, backend=self.backend, name=self.name,
                       copy_outputs=(), profile=self.profile or None,
                       compile_inner=inner_compiler(self.mode, self.backend),
                       mutable=self.mutable_positions())
        # On a GPU, the compiled graph names its device ops GpuElemwise, GpuDot...
        name_device_ops(fg, self.backend)
        seconds = time.perf_counter() - started
        GLOBAL_STATS.time_linker += seconds
        if self.profile:
            self.profile.linker_time += seconds
        return program

    def mutable_positions(self):
        """Positions of the explicit inputs whose arrays the program may overwrite:
        ``In(mutable=True)`` without a default value (a default is the function's own),
        on the CPU."""
        if getattr(self.backend, "is_device", False):
            return ()
        return tuple(k for k in range(self.n_explicit)
                     if self.inputs[k].mutable and self.inputs[k].value is None
                     and self.inputs[k].update is None)

    def _copy_for(self, swap, delete_updates, profile):
        """The maker of a copy (see Function.copy): the same graph and program, with
        shared inputs swapped and updates dropped as asked."""
        new = _copy.copy(self)
        ins = [_copy.copy(spec) for spec in self.inputs]
        if swap:
            by_var = {id(spec.variable): k for k, spec in enumerate(self.inputs)}
            for old, new_sv in swap.items():
                k = by_var.get(id(old))
                if k is None or not self.inputs[k].shared:
                    raise ValueError(f"SharedVariable: {getattr(old, 'name', old)} not found")
                if not isinstance(new_sv, SharedVariable):
                    raise TypeError(f"Value of swap should be SharedVariable, given: {new_sv!r}")
                if old.type != new_sv.type:
                    raise TypeError(
                        f"copy(swap=...): {old} of type {old.type} cannot be swapped with "
                        f"{new_sv} of type {new_sv.type}")
                ins[k].variable = new_sv
                ins[k].value = new_sv.container
        if delete_updates:
            for spec in ins:
                spec.update = None
            new.delete_updates = True
        new.inputs = ins
        if profile is not None and profile is not self.profile:
            new.profile = profile
        if new.profile is not self.profile or (delete_updates and self.update_positions):
            # Without the updates, an output that is an updated input must now be copied.
            new.program = new._link()
        return new

    def __getstate__(self):
        d = self.__dict__.copy()
        d.pop("program", None)
        return d

    def __setstate__(self, d):
        if "function_builder" in d:
            # Theano 1.0.5's pickle: kept for function_module._constructor_Function, which
            # compiles its inputs and outputs again.
            self.__dict__["_theano_state"] = d
            return
        self.__dict__.update(d)
        self.program = self._link()


def destroyed_roots(fgraph):
    """ids of the variables that an Op of `fgraph` destroys (``destroy_map``), directly
    or through views of them (Theano's ``fgraph.has_destroyers``).  An output that is
    such an input's array after the call needs no copy: the caller's array holds the
    result (what Theano's in-place Ops compiled with accept_inplace gave)."""
    out = set()
    for node in fgraph.apply_nodes:
        dmap = getattr(node.op, "destroy_map", None)
        if not dmap:
            continue
        for positions in dmap.values():
            for k in positions:
                var = node.inputs[k]
                out.add(id(var))
                while var.owner is not None:
                    vmap = getattr(var.owner.op, "view_map", None) or {}
                    src = vmap.get(var.owner.outputs.index(var))
                    if not src:
                        break
                    var = var.owner.inputs[src[0]]
                    out.add(id(var))
    return out


def view_root(var):
    """The variable `var` is a view or a destroyed version of, followed through the Ops'
    ``view_map`` and ``destroy_map`` up to one that is not (`var` itself if none)."""
    while var.owner is not None:
        op = var.owner.op
        if getattr(op, "lazy", False):
            return var  # the linker copies a lazy Op's results (if{inplace} included)
        k = var.owner.outputs.index(var)
        sources = list((getattr(op, "view_map", None) or {}).get(k, ())) + \
            list((getattr(op, "destroy_map", None) or {}).get(k, ()))
        if not sources:
            return var
        var = var.owner.inputs[sources[0]]
    return var


class _ValueAccess:
    """``f.value``: the stored values of a function's inputs, by variable, name or
    position (Theano's ValueAttribute)."""

    def __init__(self, function):
        self._f = function

    def __getitem__(self, item):
        return self._f._lookup(item, setting=False).value

    def __setitem__(self, item, value):
        self._f[item] = value

    def __contains__(self, item):
        return item in self._f.finder


class _ContainerAccess:
    """``f.container``: the Container of each input, by variable, name or position."""

    def __init__(self, function):
        self._f = function

    def __getitem__(self, item):
        return self._f.finder[item]

    def __contains__(self, item):
        return item in self._f.finder


class FunctionFn:
    """``f.fn``: the function's program as Theano's linker-made callable showed it.

    ``fn(*values)`` runs the program on all input values (explicit, then shared);
    ``storage_map`` maps each variable of the graph to its one-element storage list
    (the input containers' lists, the constants' data, the outputs' output_storage
    cells; the program keeps intermediates in locals, so their cells stay None);
    ``allow_gc = False`` keeps each call's outputs in their cells until ``f.free()``.
    """

    def __init__(self, function):
        self._f = function
        self._allow_gc = config.allow_gc
        self._storage_map = None
        self._shared_cells = None

    def __call__(self, *values):
        f = self._f
        if not values and f.input_storage:
            # Theano's VM call ``f.fn()``: the inputs read from ``f.input_storage``, every
            # output (updates included) written to ``f.output_storage``; no update applied.
            outs = f._run(*[c.storage[0] for c in f.input_storage])
            for c, o in zip(f.output_storage, outs):
                c.storage[0] = o
            return outs
        return f._run(*values)

    @property
    def nodes(self):
        return self._f.maker.fgraph.toposort()

    @property
    def allow_gc(self):
        return self._allow_gc

    @allow_gc.setter
    def allow_gc(self, value):
        self._allow_gc = bool(value)
        self._f._keep_outputs = not self._allow_gc
        if self._allow_gc:
            for c in self._f.output_storage:
                c.storage[0] = None
        self._f._respecialise()

    @property
    def need_update_inputs(self):
        return True

    @property
    def storage_map(self):
        if self._storage_map is None:
            f = self._f
            fg = f.maker.fgraph
            smap = {}
            for var, c in zip(fg.inputs, f.input_storage):
                smap[var] = c.storage
            shared = self._shared_cells or {}
            for node in fg.toposort():
                for var in node.inputs:
                    if var not in smap and isinstance(var, Constant):
                        smap[var] = shared.get(var) or [var.data]
                for var in node.outputs:
                    smap.setdefault(var, shared.get(var) or [None])
            for var, c in zip(fg.outputs, f.output_storage):
                if isinstance(var, Constant):
                    smap.setdefault(var, [var.data])
                else:
                    smap[var] = c.storage
            self._storage_map = smap
        return self._storage_map


class Function:
    """A callable compiled graph (Theano's ``theano.compile.function_module.Function``).

    Threads: a compiled function (and each of its copies) may be called from several
    threads at once and every call returns its own correct results.  The arrays it keeps
    between calls (``out=`` buffers of dots and fused elementwise nodes, also in the
    inner functions of scan and OpFromGraph) form a buffer set that one call uses at a
    time: a call running while others do takes a set of its own, so memory grows to one
    set per call that ever ran at the same time (``free()`` empties them).  Functions
    with updates (``updates=``, default updates such as random streams' generator
    states, ``In(update=...)``) and profiled functions hold one process-wide re-entrant
    lock, ``theano_compat.compile.compiled.update_lock``, from reading their shared values
    to writing the new ones: such calls run one at a time, each sees all the updates of
    the calls before it and none of a later one (so 8 threads x 200 calls of
    ``updates={s: s + 1}`` end with s = 1600, and random draws over all threads are
    exactly the draws of the same calls made in one thread).  A call that fails writes
    nothing and releases the lock.  Functions without updates take no lock and run
    concurrently (NumPy and BLAS release the GIL in large operations); each reads every
    shared value once, but when they read several shared variables while another
    thread's call updates them, they may see some old and some new values: hold
    ``update_lock`` around such a call (``with update_lock: f()``) for a consistent view.
    ``set_value``/``get_value`` themselves are single reads and writes, not serialised
    with calls.  The lock is held while the graph runs, so an Op that waits for another
    thread which calls a function with updates deadlocks.

    State (Theano's interface): see the module docstring.  An input with a default
    value and no update gets its default back after each call, so ``f[a] = 5`` holds
    for the next call only; an input with an update keeps what it is set to.
    """

    __module__ = _PUBLIC_MODULE

    # Theano's setting for pickling a function whose inputs share memory: 'ignore',
    # 'warn' or 'raise' (AliasedMemoryError).
    pickle_aliased_memory_strategy = "warn"

    def __init__(self, maker, input_storage=None, always_list=False, name=None,
                 defaults=None, share_buffers_with=None):
        self.maker = maker
        self.name = name if name is not None else maker.name
        self.trust_input = False
        self.profile = maker.profile or None
        self._always_list = always_list
        self._keep_outputs = False
        self._refeed_pending = False
        self._specialised = None
        inputs = maker.inputs
        n_explicit = maker.n_explicit
        if input_storage is None:
            input_storage = [spec.value for spec in inputs]
        self.input_storage = []
        self.defaults = []
        for k, (spec, default) in enumerate(zip(inputs, input_storage, strict=True)):
            if isinstance(default, SharedVariable):
                default = default.container
            if spec.shared and isinstance(default, Container):
                c = default  # the shared variable's own container (it may know a device)
            elif isinstance(default, Container):
                c = Container(spec.variable, default.storage, name=spec.name)
            else:
                value = default
                if value is not None:
                    value = self._on_device(spec.variable.type.filter(value,
                                                                      allow_downcast=True))
                    if value is default and hasattr(value, "copy"):
                        value = value.copy()  # each function stores its own default
                c = Container(spec.variable, [value], name=spec.name)
            # From the In, whatever storage is given (unpickling passes containers).
            required = spec.value is None
            refeed = (not required and not isinstance(spec.value, (Container, SharedVariable))
                      and spec.update is None)
            if not spec.shared:
                c.strict = spec.strict
                c.allow_downcast = spec.allow_downcast
                c.required = required
                c.implicit = spec.implicit
                c.provided = 0
            if defaults is not None:
                stored = defaults[k]
            elif required or spec.shared:
                stored = None
            else:
                stored = c.storage[0]
            self.defaults.append((required, refeed, stored))
            self.input_storage.append(c)
        self._shared_containers = self.input_storage[n_explicit:]
        self._refeed = [(self.input_storage[k], k) for k in range(n_explicit)
                        if self.defaults[k][1]]
        # Explicit inputs whose given value is stored in their container (Theano's
        # semantics for an input with an update or a Container as value).
        self._write_through = {k for k in range(n_explicit)
                               if not self.defaults[k][0] and not self.defaults[k][1]}
        self._implicit_explicit = any(spec.implicit for spec in inputs[:n_explicit])
        updates = [] if maker.delete_updates else maker.update_positions
        self._update_containers = [self.input_storage[p] for p in updates
                                   if p >= n_explicit]
        self._input_update_slots = [(k, inputs[k]) for k in updates if k < n_explicit]
        # Calls that must hold update_lock: they write shared or input values, or add
        # to a profile's counters.
        self._serial = bool(self._update_containers or self._input_update_slots
                            or maker.profile)
        self._names = {}
        self._ambiguous = set()  # names of several inputs: refused as keywords
        for k, spec in enumerate(inputs):
            if spec.name is not None and self._names.setdefault(spec.name, k) != k:
                self._ambiguous.add(spec.name)
        self._build_finder()
        self._value = _ValueAccess(self)
        self._container = _ContainerAccess(self)
        self._check_for_aliased_inputs = any(
            not spec.shared and (spec.borrow or spec.mutable) for spec in inputs)
        self.output_storage = [Container(v, [None]) for v in maker.fgraph.outputs]
        self.nodes_with_inner_function = []
        # Inputs whose arrays the program may overwrite (In(mutable=True)): such functions
        # take the general path, which first copies one that shares memory with another
        # input (_unalias_mutable).
        self._mutable = maker.mutable_positions()
        self._filters = [self._make_filter(k, s) for k, s in enumerate(inputs[:n_explicit])]
        # Globals of this function's generated code: its own buffers (see link.Program),
        # or the buffer pool of the function it copies (copy(share_memory=True)).
        self._glob = maker.program.new_globals()
        if share_buffers_with is not None:
            for key in ("_Bpool", "_Bpop", "_Bput", "_Bnew"):
                if key in share_buffers_with._glob:
                    self._glob[key] = share_buffers_with._glob[key]
        self._run = maker.program.bind(self._glob)
        # A Mode with a Linker object of theano.gof runs through that linker: its VM (or
        # thunk) is Theano's ``f.fn``; otherwise a view of the generated program.
        self.fn = getattr(maker, "vm", None) or FunctionFn(self)
        self._specialise_call()

    # -- Theano's attributes -----------------------------------------------------------------

    @property
    def indices(self):
        return self.maker.indices

    @property
    def outputs(self):
        return self.maker.outputs

    @property
    def unpack_single(self):
        return self.maker.unpack_single and not self._always_list

    @property
    def return_none(self):
        return self.maker.return_none

    @property
    def output_keys(self):
        return self.maker.out_keys

    @property
    def n_returned_outputs(self):
        return self.maker.n_outputs

    value = property(lambda self: self._value,
                     doc="dictionary-like access to the values associated with Variables")
    container = property(lambda self: self._container,
                         doc="dictionary-like access to the containers associated with "
                             "Variables")

    def _build_finder(self):
        finder = {}
        inv_finder = {}
        for k, (spec, c) in enumerate(zip(self.maker.inputs, self.input_storage)):
            finder[k] = c
            finder[spec.variable] = c
            if spec.name not in finder:
                finder[spec.name] = c
            else:
                finder[spec.name] = DUPLICATE
            inv_finder[id(c)] = spec
        self.finder = finder
        self._inv_finder = inv_finder

    @property
    def inv_finder(self):
        """Container -> its In (Theano's reverse lookup of `finder`)."""
        return {c: self._inv_finder[id(c)] for c in self.input_storage}

    def _lookup(self, item, setting):
        try:
            s = self.finder[item]
        except (KeyError, TypeError):
            if setting:
                raise TypeError(f"Unknown input or state: {item}. "
                                f"{_info_on_inputs(self.maker.inputs)}") from None
            raise TypeError(f"Unknown input or state: {item}") from None
        if s is DUPLICATE:
            raise TypeError(f"Ambiguous name: {item} - please check the names of the "
                            "inputs of your function for duplicates.")
        return s

    def __contains__(self, item):
        return item in self.finder

    def __getitem__(self, item):
        return self._lookup(item, setting=False).value

    def __setitem__(self, item, value):
        c = self._lookup(item, setting=True)
        c.value = value
        c.provided += 1
        if any(c is rc for rc, _ in self._refeed):
            # A default set by hand holds for the next call only (Theano): that call
            # takes the general path, which puts the default back.
            self._refeed_pending = True
            self._respecialise()

    def __copy__(self):
        return self.copy()

    # -- inputs ------------------------------------------------------------------------------

    def _takes_none(self, spec):
        """Theano passed None given for an input on to the Ops reading it (default(),
        eye()'s m): here when each of them declares it takes None there."""
        clients = self.maker.fgraph.clients.get(spec.variable, ())
        return bool(clients) and all(
            node != "output" and i in getattr(node.op, "none_inputs", ())
            for node, i in clients)

    def _make_filter(self, k, spec):
        t = spec.variable.type
        allow = spec.allow_downcast if spec.allow_downcast is not None else \
            self.maker.allow_input_downcast
        strict = spec.strict
        ndim = getattr(t, "ndim", None)
        dtype = getattr(t, "numpy_dtype", None)
        simple = dtype is not None and not any(getattr(t, "broadcastable", ()))
        fname = self.name
        none_ok = self._takes_none(spec)

        def filt(value):
            if value is None and none_ok:
                return None
            if simple and type(value) is np.ndarray and value.dtype == dtype \
                    and value.ndim == ndim:
                return value
            try:
                return t.filter(value, strict=strict, allow_downcast=allow)
            except (TypeError, ValueError, OverflowError) as e:
                label = f' with name "{spec.name}"' if spec.name else ""
                if value is None:
                    # Theano let None through to the first node using it, which raised
                    # ValueError ("expected an ndarray, not None"): the same class here.
                    raise ValueError(
                        f"Bad input argument{label} to theano function with name "
                        f'"{fname}" at index {k} (0-based): expected an ndarray, not None'
                    ) from None
                raise type(e)(
                    f"Bad input argument{label} to theano function with name "
                    f'"{fname}" at index {k} (0-based). {e}'
                ) from None

        backend = self.maker.backend
        if k in self.maker.mutable_positions():
            def mutable_filt(value):
                # The program writes into this array: one it can write (else a copy).
                value = filt(value)
                if isinstance(value, np.ndarray) and not (
                        value.flags.writeable and value.flags.c_contiguous
                        and value.flags.aligned):
                    value = np.array(value)
                return value

            return mutable_filt
        if not getattr(backend, "is_device", False) or dtype is None:
            return filt

        def device_filt(value):
            # Host values are checked on the host, then copied to the device once; device
            # arrays are checked where they are (TensorType.filter).
            value = filt(value)
            return value if backend.is_device_array(value) else backend.asarray(value)

        return device_filt

    def _crosses(self, container):
        """Whether a shared value lives on a GPU while this function runs on the CPU (it
        is then copied to the host for each call, and its update copied back)."""
        return (getattr(container, "device", None) is not None
                and not getattr(self.maker.backend, "is_device", False))

    def _on_device(self, value):
        """`value` on the function's device (arrays only; the CPU backend keeps it)."""
        backend = self.maker.backend
        if getattr(backend, "is_device", False) and isinstance(value, np.ndarray):
            return backend.asarray(value)
        return value

    # -- the generated call ------------------------------------------------------------------

    def _can_specialise(self):
        maker = self.maker
        explicit = maker.inputs[:maker.n_explicit]
        return not (maker.profile or self._input_update_slots or self._write_through
                    or self._keep_outputs or self._refeed_pending or self._mutable
                    or any(spec.implicit for spec in explicit))

    def _specialise_call(self):
        """Make calling this function run one generated function (see _make_call).

        The generated ``__call__`` is installed on a subclass made for this instance, so
        ``f(x)`` enters the generated code directly, with no Python layer in between.
        Profiled functions, functions with input updates, implicit explicit inputs or
        kept outputs, and a call after ``f[a] = v`` on a default keep the general path.
        """
        if not self._can_specialise():
            self.__class__ = Function
            return
        call = self._make_call(trusted=False)
        self._glob["_trusted"] = self._make_call(trusted=True)
        self._glob["_annotate"] = self._annotate
        self._specialised = type("Function", (Function,),
                                 {"__call__": call, "__module__": _PUBLIC_MODULE})
        self.__class__ = self._specialised

    def _respecialise(self):
        """Take the general path, or the generated call again, as the state asks (the
        generated call made before is reused)."""
        if self._specialised is not None and self._can_specialise():
            self.__class__ = self._specialised
        elif self._specialised is None:
            self._specialise_call()
        else:
            self.__class__ = Function

    def _make_call(self, trusted):
        """The generated call for all inputs given by position (link/call_entry.py),
        `trusted`: the variant without input checks (``trust_input``)."""
        return write_call(self._call_spec(), self._glob, trusted)

    def _call_spec(self):
        """This function described for the call writer (see call_entry.CallSpec)."""
        maker = self.maker
        device = maker.backend if getattr(maker.backend, "is_device", False) else None
        n_out = maker.n_outputs
        return CallSpec(
            program=maker.program,
            inputs=tuple((spec.variable.type, spec.strict, self._filters[k])
                         for k, spec in enumerate(maker.inputs[:maker.n_explicit])),
            shared=tuple((c.storage, c.device.to_host if self._crosses(c) else None)
                         for c in self._shared_containers),
            updates=tuple((c.storage, c.device.asarray if self._crosses(c) else None)
                          for c in self._update_containers),
            n_outputs=n_out,
            host_outputs=tuple(k for k in range(n_out) if not maker.outputs[k].borrow),
            out_kind="list" if self._always_list else maker.out_kind,
            out_keys=maker.out_keys,
            device=device,
            serial=self._serial,
            run=self._run)

    def _annotate(self, exc):
        """Add the failing node's note to `exc`; True when its traceback was trimmed to
        the user's frames (exception_verbosity='low'), so the caller re-raises it
        without the chained context."""
        program = self.maker.program
        if annotate_runtime_error(exc, program, self.name or "unnamed function") is None \
                or config.exception_verbosity == "high":
            return False
        exc.with_traceback(user_traceback(exc.__traceback__, program))
        return True

    def _gather(self, args, kwargs):
        maker = self.maker
        n = maker.n_explicit
        inputs = maker.inputs
        if len(args) > n:
            raise TypeError(f"Tried to provide {len(args)} arguments to a function of "
                            f"{n} inputs ({self.name or 'unnamed'})")
        values = list(args) + [None] * (n - len(args))
        given = [True] * len(args) + [False] * (n - len(args))
        for key, value in kwargs.items():
            k = self._names.get(key)
            if k is None:
                raise TypeError(_unknown_keyword(key, inputs))
            if key in self._ambiguous:
                raise TypeError(f"Ambiguous name: {key} - please check the names of the "
                                "inputs of your function for duplicates.")
            if k >= n:
                raise TypeError(f"Tried to provide value for implicit input: "
                                f"{inputs[k].variable}")
            if given[k]:
                raise TypeError(f"Multiple values for input: {inputs[k].variable}")
            values[k] = value
            given[k] = True
        trust = self.trust_input
        for k in range(n):
            if given[k]:
                if inputs[k].implicit:
                    raise TypeError(f"Tried to provide value for implicit input: "
                                    f"{inputs[k].variable}")
                if not trust:
                    values[k] = self._filters[k](values[k])
                if k in self._write_through:
                    self.input_storage[k].storage[0] = values[k]
            else:
                c = self.input_storage[k]
                if c.storage[0] is None and (self.defaults[k][0]
                                             or not self._takes_none(inputs[k])):
                    raise TypeError(f"Missing required input: {inputs[k].variable}")
                values[k] = c.storage[0]
        return values

    # -- call --------------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        # The general path; most functions get a generated __call__ (_specialise_call).
        if self.maker.profile:
            return self._profiled_call(args, kwargs)
        return self._general_call(args, kwargs)

    def _profiled_call(self, args, kwargs):
        prof = self.maker.profile
        # Profiled runs add to counters shared by all calls (and maybe other functions
        # with the same ProfileStats): one at a time.
        taken = update_lock.enter()
        try:
            started = time.perf_counter()
            try:
                return self._general_call(args, kwargs)
            finally:
                seconds = time.perf_counter() - started
                prof.fct_call_time += seconds
                prof.fct_callcount += 1
                GLOBAL_STATS.fct_exec_time += seconds
                if getattr(prof, "ignore_first_call", False):
                    prof.reset()
                    prof.ignore_first_call = False
        finally:
            update_lock.exit(taken)

    def _general_call(self, args, kwargs):
        output_subset = kwargs.pop("output_subset", None) if kwargs else None
        try:
            if self._serial:
                taken = update_lock.enter()
                try:
                    outs = self._general_run(args, kwargs)
                finally:
                    update_lock.exit(taken)
            else:
                outs = self._general_run(args, kwargs)
        finally:
            if self._refeed:
                for c, k in self._refeed:
                    c.storage[0] = self.defaults[k][2]
                if self._refeed_pending:
                    self._refeed_pending = False
                    self._respecialise()
        return self._package(outs, output_subset)

    def _general_run(self, args, kwargs):
        # Every input given by position; defaults and names need _gather.
        if kwargs or len(args) != len(self._filters) or self._write_through or \
                self._implicit_explicit:
            values = self._gather(args, kwargs)
        elif self.trust_input:
            values = list(args)
        else:
            values = [f(a) for f, a in zip(self._filters, args, strict=True)]
        shared = [c.device.to_host(c.storage[0]) if self._crosses(c) else c.storage[0]
                  for c in self._shared_containers]
        if self._mutable:
            _unalias_mutable(values, shared, self._mutable)
        try:
            if self.maker.profile:
                started = time.perf_counter()
                try:
                    outs = self._run(*values, *shared)
                finally:
                    prof = self.maker.profile
                    prof.vm_call_time = getattr(prof, "vm_call_time", 0.0) + \
                        time.perf_counter() - started
            else:
                outs = self._run(*values, *shared)
        except Exception as e:
            if self._annotate(e):
                raise e.with_traceback(e.__traceback__) from None
            raise
        n_out = self.maker.n_outputs
        backend = self.maker.backend
        if getattr(backend, "is_device", False):
            outs = [o if k >= n_out or self.maker.outputs[k].borrow else backend.to_host(o)
                    for k, o in enumerate(outs)]
        # Only now, after a successful run, are shared variables updated.
        pos = n_out
        for c in self._update_containers:
            c.storage[0] = c.device.asarray(outs[pos]) if self._crosses(c) else outs[pos]
            pos += 1
        for k, _spec in self._input_update_slots:
            self.input_storage[k].storage[0] = outs[pos]
            pos += 1
        if self._keep_outputs:
            for c, o in zip(self.output_storage, outs):
                c.storage[0] = o
        return outs

    def _package(self, outs, output_subset=None):
        n_out = self.maker.n_outputs
        kind = "list" if self._always_list else self.maker.out_kind
        if output_subset is not None:
            if kind == "dict":
                keys = self.maker.out_keys
                return {key: outs[keys.index(key)] for key in output_subset}
            return [outs[k] for k in output_subset]
        if kind == "single":
            return outs[0]
        if kind == "list":
            return outs[:n_out]
        if kind == "dict":
            return dict(zip(self.maker.out_keys, outs[:n_out]))
        return []  # outputs=None or []: Theano 1.0.5 returned [] too

    # -- Theano API --------------------------------------------------------------------------

    def copy(self, share_memory=False, swap=None, delete_updates=False, name=None,
             profile=None):
        """A copy of this function (Theano's ``Function.copy``).

        The copy has its own storage for the explicit inputs, starting from their
        declared values (an input whose In is not mutable starts from this function's
        current value); shared variables stay shared unless `swap` ({old: new}) swaps
        them; `delete_updates` drops every update; `share_memory` lets both use one pool
        of internal buffers; `name` defaults to this name + " copy"; `profile` (True, a
        name or a ProfileStats) profiles the copy on its own.  As in Theano 1.0.5, the
        copy returns its outputs as a list.
        """
        if not name and self.name:
            name = self.name + " copy"
        if profile is True:
            profile = ProfileStats(message=name or "copy")
        elif isinstance(profile, str):
            profile = ProfileStats(message=profile)
        elif profile is False:
            profile = None
        maker = self.maker._copy_for(swap, delete_updates, profile)
        input_storage = [spec.value for spec in maker.inputs]
        cpy = Function(maker, input_storage=input_storage, always_list=True, name=name,
                       share_buffers_with=self if share_memory else None)
        swapped = {id(v) for v in (swap or {})}
        for k, (in_ori, ori, c) in enumerate(zip(self.maker.inputs, self.input_storage,
                                                 cpy.input_storage)):
            if not in_ori.mutable and id(in_ori.variable) not in swapped and \
                    not in_ori.shared:
                c.storage[0] = ori.storage[0]
        if share_memory and isinstance(self.fn, FunctionFn) and isinstance(cpy.fn, FunctionFn):
            ori_map = self.fn.storage_map
            io = set(self.maker.fgraph.inputs) | set(self.maker.fgraph.outputs)
            cpy.fn._shared_cells = {v: cell for v, cell in ori_map.items()
                                    if v not in io or isinstance(v, Constant)}
        return cpy

    def get_shared(self):
        """The shared variables this function reads or updates (and any implicit input)."""
        return [spec.variable for spec in self.maker.inputs if spec.implicit]

    def sync_shared(self):
        """Theano waited here for the GPU to finish writing shared values; the updates
        here are written when the call returns, so there is nothing to wait for."""

    def free(self):
        """Release the buffers kept between calls (the next call allocates them again),
        and the outputs kept with ``fn.allow_gc = False``."""
        self.maker.program.release_buffers(self._glob)
        for c in self.output_storage:
            c.storage[0] = None
        if isinstance(self.fn, FunctionFn):
            smap = self.fn._storage_map
        else:  # a theano.gof linker's VM: its storage when it keeps values (Theano's rule)
            smap = None if getattr(self.fn, "allow_gc", True) else \
                getattr(self.fn, "storage_map", None)
        if smap is not None:
            inputs = set(self.maker.fgraph.inputs)
            for var, cell in smap.items():
                if var not in inputs and not isinstance(var, Constant):
                    cell[0] = None

    def __reduce__(self):
        # The instance's class is made per function (_specialise_call): pickle the base.
        # The containers are pickled (not only their values), so functions pickled
        # together keep sharing storage, and shared variables pickled with them stay
        # the function's shared variables.
        data = [c.storage[0] for c in self.input_storage]
        if self.pickle_aliased_memory_strategy != "ignore":
            _check_pickle_aliasing(data, self.pickle_aliased_memory_strategy)
        return (_restore_function,
                (self.maker, list(self.input_storage), [d[2] for d in self.defaults],
                 self.trust_input, self.name, self._always_list))

    def __str__(self):
        return f"<theano function {self.name or 'unnamed'}>"

    __repr__ = __str__


def _check_pickle_aliasing(data, strategy):
    arrays = [d for d in data if isinstance(d, np.ndarray)]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1:]:
            if np.may_share_memory(a, b):
                if strategy == "raise":
                    raise AliasedMemoryError(a, b)
                logging.getLogger("theano.compile.function_module").warning(
                    "aliased relationship between Function arguments %s, %s will not be "
                    "preserved by un-pickling operation", a, b)


def _unalias_mutable(values, shared, mutable):
    """Copy each mutable input value that shares memory with another input (Theano's
    check of aliased inputs): the program may overwrite it while the other is read."""
    for k in mutable:
        v = values[k]
        if not isinstance(v, np.ndarray):
            continue
        others = [o for j, o in enumerate(values) if j != k] + list(shared)
        if any(isinstance(o, np.ndarray) and np.may_share_memory(v, o) for o in others):
            values[k] = v.copy()


def get_info_on_inputs(named_inputs, n_unnamed_inputs):
    """Theano's description of a function's named and unnamed inputs (in messages)."""
    n_named = len(named_inputs)
    plural = lambda n: "s" if n > 1 else ""  # noqa: E731
    if n_named == 0:
        if n_unnamed_inputs == 0:
            return "The function is supposed to have no input."
        if n_unnamed_inputs == 1:
            return ("The function has a single input variable which has no name, and thus "
                    "cannot be assigned through a keyword argument (use 'name=...' in a "
                    "Variable's constructor to give it a name).")
        return (f"The function has {n_unnamed_inputs} inputs, but none of them is named, "
                "and thus they cannot be assigned through keyword arguments (use "
                "'name=...' in a Variable's constructor to give it a name).")
    if n_unnamed_inputs == 0:
        return (f"The function has {n_named} named input{plural(n_named)} "
                f"({', '.join(named_inputs)}).")
    return (f"The function has {n_named} named input{plural(n_named)} "
            f"({', '.join(named_inputs)}), and {n_unnamed_inputs} unnamed "
            f"input{plural(n_unnamed_inputs)} which thus cannot be accessed through keyword "
            f"argument{plural(n_unnamed_inputs)} (use 'name=...' in a variable's "
            "constructor to give it a name).")


def _info_on_inputs(inputs):
    named = [s.name for s in inputs if s.name is not None]
    return get_info_on_inputs(named, len(inputs) - len(named))


def _unknown_keyword(key, inputs):
    """Theano's message for a keyword argument naming no input."""
    explicit = [s for s in inputs if not s.shared]
    if not explicit:
        return f"Unknown input or state: {key}. The function has no inputs."
    return f"Unknown input or state: {key}. {_info_on_inputs(explicit)}"


def _restore_function(maker, input_storage, defaults, trust_input=False, name=None,
                      always_list=False):
    if not config.unpickle_function:
        return None
    f = Function(maker, input_storage=input_storage, always_list=always_list, name=name,
                 defaults=defaults)
    f.trust_input = trust_input
    return f


CompiledFunction = Function
