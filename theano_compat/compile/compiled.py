"""The compiled function object (Theano's ``Function``) and its maker.

The generated ``__call__`` each function gets is written by link/call_entry.py, which
also holds `update_lock` (re-exported here, its documented path).
"""

from __future__ import annotations

import time

import numpy as np

from ..config import config
from ..graph.shared import Container
from ..link import annotate_runtime_error, link, user_traceback
from ..link.call_entry import EMBED_MAX_LINES, CallSpec, UpdateLock, update_lock, write_call
from ..link.device import name_device_ops
from ..link.storage import alias_root
from .inner import inner_compiler

__all__ = ["EMBED_MAX_LINES", "CompiledFunction", "Function", "FunctionMaker", "UpdateLock",
           "update_lock"]


class FunctionMaker:
    """What `function` built: the rewritten graph and the description of inputs/outputs."""

    def __init__(self, fgraph, in_specs, shared_vars, out_specs, out_kind, out_keys,
                 update_targets, n_outputs, mode, allow_input_downcast, backend, name, profile):
        self.fgraph = fgraph
        self.inputs = in_specs
        self.shared_vars = shared_vars
        self.outputs = out_specs
        self.out_kind = out_kind
        self.out_keys = out_keys
        self.update_targets = update_targets
        self.n_outputs = n_outputs
        self.mode = mode
        self.allow_input_downcast = allow_input_downcast
        self.backend = backend
        self.name = name
        self.profile = profile
        self.program = self._link()

    def _link(self):
        """Link the graph, copying each output that would otherwise alias caller data.

        Theano's rule (``insert_deepcopy``): an output never aliases another output, a
        constant, or a graph input, except that an explicit input may be returned as is
        when both its ``In`` and the ``Out`` say ``borrow=True``, and a shared value when
        the ``Out`` borrows (shared inputs are always borrowed).  Update values are copied
        when they alias, so a shared variable never shares memory with another one.
        """
        fg = self.fgraph
        n_explicit = len(self.inputs)
        input_pos = {id(v): k for k, v in enumerate(fg.inputs)}
        copy = set()
        seen = set()
        for k, out in enumerate(fg.outputs):
            root = alias_root(out)
            borrow = k < self.n_outputs and self.outputs[k].borrow
            if root is not None:
                pos = input_pos.get(id(root))
                if pos is None:  # a constant: its data belongs to the graph
                    copy.add(k)
                elif not borrow or (pos < n_explicit and not self.inputs[pos].borrow):
                    copy.add(k)
            # The same variable returned twice must not give the caller two aliases.
            if id(out) in seen:
                copy.add(k)
            seen.add(id(out))
        started = time.perf_counter()
        program = link(fg, fg.inputs, fg.outputs, backend=self.backend, name=self.name,
                       copy_outputs=copy, profile=self.profile or None,
                       compile_inner=inner_compiler(self.mode, self.backend))
        # On a GPU, the compiled graph names its device ops GpuElemwise, GpuDot...
        name_device_ops(fg, self.backend)
        if self.profile:
            self.profile.linker_time += time.perf_counter() - started
        return program

    def __getstate__(self):
        d = self.__dict__.copy()
        d.pop("program", None)
        return d

    def __setstate__(self, d):
        self.__dict__.update(d)
        self.program = self._link()


class CompiledFunction:
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
    """

    def __init__(self, maker, swap=None, delete_updates=False, always_list=False, name=None):
        self.maker = maker
        self.name = name if name is not None else maker.name
        self.trust_input = False
        self._always_list = always_list
        self._delete_updates = delete_updates
        swap = swap or {}
        self.input_storage = []
        for spec in maker.inputs:
            value = spec.value
            if value is not None and not hasattr(value, "storage"):
                value = self._on_device(spec.variable.type.filter(value, allow_downcast=True))
            c = Container(spec.variable, [value], name=spec.name)
            c.required = spec.value is None
            self.input_storage.append(c)
        self._shared_containers = [swap.get(v, v).container for v in maker.shared_vars]
        for old, new in swap.items():
            if old.type != new.type:
                raise TypeError(
                    f"copy(swap=...): {old} of type {old.type} cannot be swapped with {new} of "
                    f"type {new.type}"
                )
        self.input_storage.extend(self._shared_containers)
        by_id = {id(v): c for v, c in zip(maker.shared_vars, self._shared_containers)}
        self._update_containers = [] if delete_updates else [
            by_id[id(t)] for t in maker.update_targets]
        self._input_update_slots = [
            (k, i) for k, i in enumerate(maker.inputs) if i.update is not None]
        # Calls that must hold update_lock: they write shared or input values, or add
        # to a profile's counters.
        self._serial = bool(self._update_containers or self._input_update_slots
                            or maker.profile)
        self._names = {}
        self._ambiguous = set()  # names of several inputs: refused as keywords
        for k, spec in enumerate(maker.inputs):
            if spec.name is not None and self._names.setdefault(spec.name, k) != k:
                self._ambiguous.add(spec.name)
        self._filters = [self._make_filter(k, s) for k, s in enumerate(maker.inputs)]
        # Globals of this function's generated code: its own buffers (see link.Program).
        self._glob = maker.program.new_globals()
        self._run = maker.program.bind(self._glob)
        self._specialise_call()

    # -- inputs ------------------------------------------------------------------------------

    def _make_filter(self, k, spec):
        t = spec.variable.type
        allow = spec.allow_downcast if spec.allow_downcast is not None else \
            self.maker.allow_input_downcast
        strict = spec.strict
        ndim = getattr(t, "ndim", None)
        dtype = getattr(t, "numpy_dtype", None)
        simple = dtype is not None and not any(getattr(t, "broadcastable", ()))
        fname = self.name

        def filt(value):
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

    def _specialise_call(self):
        """Make calling this function run one generated function (see _make_call).

        The generated ``__call__`` is installed on a subclass made for this instance, so
        ``f(x)`` enters the generated code directly, with no Python layer in between.
        Profiled functions and functions with input updates keep the general path.
        """
        if self.maker.profile or self._input_update_slots:
            return
        call = self._make_call(trusted=False)
        self._glob["_trusted"] = self._make_call(trusted=True)
        self._glob["_annotate"] = self._annotate
        self.__class__ = type(type(self).__name__, (type(self),), {"__call__": call})

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
                         for k, spec in enumerate(maker.inputs)),
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
        n = len(self.maker.inputs)
        if len(args) > n:
            raise TypeError(f"Tried to provide {len(args)} arguments to a function of "
                            f"{n} inputs ({self.name or 'unnamed'})")
        values = list(args) + [None] * (n - len(args))
        given = [True] * len(args) + [False] * (n - len(args))
        for key, value in kwargs.items():
            k = self._names.get(key)
            if k is None:
                raise TypeError(_unknown_keyword(key, self.maker.inputs))
            if key in self._ambiguous:
                raise TypeError(f"Ambiguous name: {key} - please check the names of the "
                                "inputs of your function for duplicates.")
            if given[k]:
                raise TypeError(f"Input {key} was given both by position and by name")
            values[k] = value
            given[k] = True
        trust = self.trust_input
        for k in range(n):
            if given[k]:
                if not trust:
                    values[k] = self._filters[k](values[k])
            else:
                c = self.input_storage[k]
                if c.storage[0] is None:
                    spec = self.maker.inputs[k]
                    raise TypeError(f"Missing required input: {spec.variable}")
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
                prof.fct_call_time += time.perf_counter() - started
                prof.fct_callcount += 1
        finally:
            update_lock.exit(taken)

    @property
    def profile(self):
        """The ProfileStats of a function compiled with profile=True (else None)."""
        return self.maker.profile or None

    def _general_call(self, args, kwargs):
        if self._serial:
            taken = update_lock.enter()
            try:
                return self._general_run(args, kwargs)
            finally:
                update_lock.exit(taken)
        return self._general_run(args, kwargs)

    def _general_run(self, args, kwargs):
        # Every input given by position; defaults and names need _gather.
        if kwargs or len(args) != len(self._filters):
            values = self._gather(args, kwargs)
        elif self.trust_input:
            values = list(args)
        else:
            values = [f(a) for f, a in zip(self._filters, args, strict=True)]
        shared = [c.device.to_host(c.storage[0]) if self._crosses(c) else c.storage[0]
                  for c in self._shared_containers]
        try:
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
        if self._delete_updates:
            pos += len(self.maker.update_targets)
        for k, _spec in self._input_update_slots:
            self.input_storage[k].storage[0] = outs[pos]
            pos += 1
        kind = "list" if self._always_list else self.maker.out_kind
        if kind == "single":
            return outs[0]
        if kind == "list":
            return outs[:n_out]
        if kind == "dict":
            return dict(zip(self.maker.out_keys, outs[:n_out]))
        return []

    # -- Theano API --------------------------------------------------------------------------

    def copy(self, share_memory=False, swap=None, delete_updates=False, name=None,
             profile=None):
        """A copy of this function, with shared variables swapped or updates removed.

        As in Theano 1.0.5, the copy returns its outputs as a list.
        """
        return CompiledFunction(self.maker, swap=swap, delete_updates=delete_updates,
                                always_list=True, name=name or self.name)

    def get_shared(self):
        return list(self.maker.shared_vars)

    def free(self):
        """Release the buffers kept between calls (the next call allocates them again)."""
        self.maker.program.release_buffers(self._glob)

    @property
    def fn(self):
        return self._run

    def __getstate__(self):
        return {"maker": self.maker, "name": self.name, "trust_input": self.trust_input,
                "always_list": self._always_list, "delete_updates": self._delete_updates,
                "defaults": [c.storage[0] for c in self.input_storage[:len(self.maker.inputs)]]}

    def __setstate__(self, state):
        self.__init__(state["maker"], delete_updates=state["delete_updates"],
                      always_list=state["always_list"], name=state["name"])
        self.trust_input = state["trust_input"]
        for c, v in zip(self.input_storage, state["defaults"]):
            c.storage[0] = v

    def __reduce__(self):
        # The instance's class is made per function (_specialise_call): pickle the base.
        return (_restore_function, (self.__getstate__(),))

    def __str__(self):
        return f"<theano function {self.name or 'unnamed'}>"

    __repr__ = __str__


def _unknown_keyword(key, inputs):
    """Theano's message for a keyword argument naming no input."""
    named = [s.name for s in inputs if s.name is not None]
    n_unnamed = len(inputs) - len(named)
    head = f"Unknown input or state: {key}. "
    if not inputs:
        return head + "The function has no inputs."
    hint = "(use 'name=...' in a Variable's constructor to give it a name)."
    if not named:
        if n_unnamed == 1:
            return head + ("The function has a single input variable which has no name, and "
                           "thus cannot be assigned through a keyword argument " + hint)
        return head + (f"The function has {n_unnamed} inputs, but none of them is named, and "
                       "thus they cannot be assigned through keyword arguments " + hint)
    text = (f"The function has {len(named)} named input{'s' if len(named) > 1 else ''} "
            f"({', '.join(named)})")
    if n_unnamed == 1:
        text += (", and 1 unnamed input which thus cannot be accessed through keyword "
                 "argument " + hint)
    elif n_unnamed:
        text += (f", and {n_unnamed} unnamed inputs which thus cannot be accessed through "
                 "keyword arguments " + hint)
    else:
        text += "."
    return head + text


def _restore_function(state):
    f = CompiledFunction.__new__(CompiledFunction)
    f.__setstate__(state)
    return f


Function = CompiledFunction
