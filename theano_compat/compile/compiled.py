"""The compiled function object (Theano's ``Function``) and its maker."""

from __future__ import annotations

import time

import numpy as np

from ..config import config
from ..graph.shared import Container
from ..link import annotate_runtime_error, link, user_traceback
from ..link.storage import alias_root
from .inner import inner_compiler


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
    """A callable compiled graph (Theano's ``theano.compile.function_module.Function``)."""

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
                value = spec.variable.type.filter(value, allow_downcast=True)
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
        self._names = {}
        for k, spec in enumerate(maker.inputs):
            if spec.name is not None:
                self._names.setdefault(spec.name, k)
        self._filters = [self._make_filter(k, s) for k, s in enumerate(maker.inputs)]
        self._entry = self._make_entry(trusted=False)
        self._entry_trusted = self._make_entry(trusted=True)

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
            except (TypeError, ValueError) as e:
                label = f' with name "{spec.name}"' if spec.name else ""
                raise type(e)(
                    f"Bad input argument{label} to theano function with name "
                    f'"{fname}" at index {k} (0-based). {e}'
                ) from None

        return filt

    def _make_entry(self, trusted):
        """One generated function for the common call: all inputs by position.

        It checks each input inline (an ndarray of the exact dtype and ndim passes
        untouched; a Python float for a float64 input becomes an array; anything else
        goes through the Type's filter), reads the shared values, runs the program,
        writes the updates (only after the program succeeded) and returns the outputs
        in the shape the caller asked for.  Calls with keywords, defaults, input
        updates or trust_input take the general path in __call__.
        """
        maker = self.maker
        if self._input_update_slots:
            return None
        glob = {"_run": maker.program.fn, "_nd": np.ndarray, "_asarray": np.asarray}
        args = [f"a{k}" for k in range(len(maker.inputs))]
        lines = [f"def entry({', '.join(args)}):"]
        for k, spec in enumerate(maker.inputs):
            if trusted:
                break
            t = spec.variable.type
            dtype = getattr(t, "numpy_dtype", None)
            glob[f"_f{k}"] = self._filters[k]
            if dtype is None or any(getattr(t, "broadcastable", ())):
                lines.append(f"    a{k} = _f{k}(a{k})")
                continue
            glob[f"_dt{k}"] = dtype
            check = f"type(a{k}) is _nd and a{k}.dtype is _dt{k} and a{k}.ndim == {t.ndim}"
            lines.append(f"    if not ({check}):")
            if dtype == np.float64 and t.ndim == 0:
                # Python floats and NumPy float64 scalars (what iterating a float64 array
                # gives, as the tutorials do) convert exactly.
                glob["_f64t"] = np.float64
                lines.append(f"        a{k} = _asarray(a{k}, _dt{k}) if type(a{k}) is float "
                             f"or type(a{k}) is _f64t else _f{k}(a{k})")
            else:
                lines.append(f"        a{k} = _f{k}(a{k})")
        shared = []
        for j, c in enumerate(self._shared_containers):
            glob[f"_S{j}"] = c.storage
            shared.append(f"_S{j}[0]")
        lines.append(f"    outs = _run({', '.join(args + shared)})")
        n_out = maker.n_outputs
        for j, c in enumerate(self._update_containers):
            glob[f"_U{j}"] = c.storage
            lines.append(f"    _U{j}[0] = outs[{n_out + j}]")
        kind = "list" if self._always_list else maker.out_kind
        if kind == "single":
            lines.append("    return outs[0]")
        elif kind == "list":
            lines.append(f"    return outs[:{n_out}]" if len(maker.update_targets) else
                         "    return outs")
        elif kind == "dict":
            glob["_keys"] = maker.out_keys
            lines.append(f"    return dict(zip(_keys, outs[:{n_out}]))")
        else:
            lines.append("    return []")
        source = "\n".join(lines) + "\n"
        label = "trusted entry" if trusted else "entry"
        exec(compile(source, f"<theano_compat {label} {self.name or 'unnamed'}>", "exec"), glob)
        return glob["entry"]

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
                raise TypeError(f"Unknown input or state: {key}. The function has "
                                f"{n} named inputs ({', '.join(self._names)}).")
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
        if self.maker.profile:
            return self._profiled_call(args, kwargs)
        if not kwargs and self._entry is not None and len(args) == len(self._filters):
            try:
                if self.trust_input:
                    return self._entry_trusted(*args)
                return self._entry(*args)
            except Exception as e:
                program = self.maker.program
                if annotate_runtime_error(e, program, self.name or "unnamed function") is None \
                        or config.exception_verbosity == "high":
                    raise
                raise e.with_traceback(user_traceback(e.__traceback__, program)) from None
        return self._general_call(args, kwargs)

    def _profiled_call(self, args, kwargs):
        prof = self.maker.profile
        started = time.perf_counter()
        try:
            return self._general_call(args, kwargs)
        finally:
            prof.fct_call_time += time.perf_counter() - started
            prof.fct_callcount += 1

    @property
    def profile(self):
        """The ProfileStats of a function compiled with profile=True (else None)."""
        return self.maker.profile or None

    def _general_call(self, args, kwargs):
        # Every input given by position; defaults and names need _gather.
        if kwargs or len(args) != len(self._filters):
            values = self._gather(args, kwargs)
        elif self.trust_input:
            values = list(args)
        else:
            values = [f(a) for f, a in zip(self._filters, args, strict=True)]
        program = self.maker.program
        shared = [c.storage[0] for c in self._shared_containers]
        try:
            outs = program.fn(*values, *shared)
        except Exception as e:
            if annotate_runtime_error(e, program, self.name or "unnamed function") is None \
                    or config.exception_verbosity == "high":
                raise
            raise e.with_traceback(user_traceback(e.__traceback__, program)) from None
        n_out = self.maker.n_outputs
        # Only now, after a successful run, are shared variables updated.
        pos = n_out
        for c in self._update_containers:
            c.storage[0] = outs[pos]
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
        """Release intermediate storage (nothing is kept between calls here)."""

    @property
    def fn(self):
        return self.maker.program.fn

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

    def __str__(self):
        return f"<theano function {self.name or 'unnamed'}>"

    __repr__ = __str__


Function = CompiledFunction
