"""theano.compile.profiling: ProfileStats with Theano 1.0.5's constructor and report layout.

A function compiled with ``profile=True`` (or a ProfileStats, or ``THEANO_FLAGS=profile=True``)
runs a separate generated program that reads a clock around every Apply node (see
link/profile.py, whose counters this class extends), and ``f.profile.summary()`` prints
Theano's sections: the function (calls, call time, compile/optimizer/linker time), the
Apply node classes, the Ops and the Apply nodes, each sorted by time.

Not measured here: memory (Theano recorded every intermediate array's shape; the
generated program keeps intermediates in locals, so ``profile_memory`` reports nothing
beyond a note), C-versus-Python implementations (every node is Python, ``Py``) and the
optimizer's own profile (``profile_optimizer``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections import defaultdict

import numpy as np

from ..config import config
from ..graph.basic import Constant, io_toposort
from ..link.profile import ProfileStats as _LinkProfileStats
from .legacy_names import GOF_GRAPH, THEANO, iteritems, lazy_names  # noqa: F401

__all__ = ["ProfileStats", "ScanProfileStats", "print_global_stats",
           "register_profiler_printer"]

_IMPORTED = time.time()
logger = logging.getLogger("theano.compile.profiling")
_TOTALS = {"total_fct_exec_time": "fct_exec_time", "total_graph_opt_time": "graph_opt_time",
           "total_time_linker": "time_linker"}


class _GlobalStats:
    """Process-wide totals Theano kept as module variables (see print_global_stats)."""

    fct_exec_time = 0.0
    graph_opt_time = 0.0
    time_linker = 0.0


GLOBAL_STATS = _GlobalStats()
theano_imported_time = _IMPORTED

_profiler_printers = []


def register_profiler_printer(fct):
    """Add `fct(message, compile_time, fct_call_time, apply_time, apply_cimpl,
    output_size, file=...)`, called at the end of every summary."""
    _profiler_printers.append(fct)
    return fct


def print_global_stats():
    """Print the time since import, in functions and in compiling them (Theano's layout)."""
    dest = config.profiling__destination
    out = sys.stderr if dest == "stderr" else sys.stdout if dest == "stdout" else \
        open(dest, "w")  # noqa: SIM115 - Theano printed into the named file
    print("=" * 50, file=out)
    print("Global stats: ",
          "Time elasped since Theano import = %6.3fs, "
          "Time spent in Theano functions = %6.3fs, "
          "Time spent compiling Theano functions:  optimzation = %6.3fs, linker = %6.3fs "
          % (time.time() - _IMPORTED, GLOBAL_STATS.fct_exec_time,
             GLOBAL_STATS.graph_opt_time, GLOBAL_STATS.time_linker), file=out)
    print("=" * 50, file=out)


def _dependencies(nodes):
    """{variable: the outputs of the nodes reading it} for the variables nodes compute
    (inputs and constants have none: their values are never freed)."""
    deps = defaultdict(list)
    for node in nodes:
        for i in node.inputs:
            if i.owner is not None:
                deps[i].extend(node.outputs)
    return deps


def _note_view(node, k, dmap, vmap, view_of, viewed_by):
    """Record output k of `node` as a view of the array its input views (`view_of`,
    `viewed_by`) and return that array; None when the output is new memory."""
    src = _viewed_input(node, k, dmap, vmap)
    if src is None:
        return None
    origin = view_of.get(src, src)
    out = node.outputs[k]
    view_of[out] = origin
    viewed_by[origin].append(out)
    return origin


def _viewed_input(node, k, dmap, vmap):
    """The input output `k` of `node` overwrites (destroy_map) or views (view_map)."""
    for m in (dmap, vmap):
        if m and k in m:
            return node.inputs[m[k][0]]
    return None


def _freed(ins, deps, computed, outputs, inputs, view_of, viewed_by, var_mem):
    """Bytes freed once `ins` has no reader left to run (see ProfileStats._running_memory);
    updates the view bookkeeping."""
    if not (deps.get(ins) and ins.owner is not None and ins not in outputs and
            all(v in computed for v in deps[ins])):
        return 0
    if ins not in view_of and not viewed_by.get(ins):
        return var_mem.get(ins, 0)
    origin = view_of.get(ins)
    if origin is None:
        return 0
    if ins in viewed_by[origin]:
        viewed_by[origin].remove(ins)
    if not viewed_by[origin] and origin not in inputs and not isinstance(origin, Constant):
        return var_mem.get(origin, 0)
    return 0


def _toposort_of(nodes, inputs, outputs):
    """`nodes` in the graph's toposort order (Theano's order for the bracketed values)."""
    known = set(nodes)
    order = [n for n in io_toposort(inputs, outputs) if n in known]
    seen = set(order)
    return order + [n for n in nodes if n not in seen]


class ProfileStats(_LinkProfileStats):
    """What a profiled function measured (Theano's ``ProfileStats``).

    ``ProfileStats(atexit_print=True, flag_time_thunks=None, gpu_checks=True,
    message=...)``; other keywords set attributes, as in Theano.  Counters:
    ``fct_callcount``, ``fct_call_time``, ``vm_call_time``, ``compile_time``,
    ``optimizer_time``, ``linker_time``, ``apply_time`` and ``apply_callcount`` (per
    Apply node), ``nb_nodes``.
    """

    __module__ = "theano.compile.profiling"  # Theano's path: reprs and pickles

    validate_time = 0.0
    import_time = 0.0
    linker_node_make_thunks = 0.0
    optimizer_profile = None

    def __init__(self, atexit_print=True, flag_time_thunks=None, gpu_checks=True,
                 **kwargs):
        message = kwargs.pop("message", None)
        super().__init__(message=message if message is not None else "",
                         atexit_print=atexit_print)
        self.vm_call_time = 0.0
        self.flag_time_thunks = (config.profiling__time_thunks if flag_time_thunks is None
                                 else flag_time_thunks)
        self.gpu_checks = gpu_checks
        self.variable_shape = {}
        self.variable_strides = {}
        self.variable_offset = {}
        self.output_size = {}
        self.linker_make_thunk_time = {}
        self.line_width = config.profiling__output_line_width
        self.ignore_first_call = config.profiling__ignore_first_call
        self.__dict__.update(kwargs)

    def reset(self):
        """Forget the calls so far (the compile times stay)."""
        self.fct_call_time = 0.0
        self.fct_callcount = 0
        self.vm_call_time = 0.0
        self.node_times[:] = [0.0] * len(self.node_times)

    @property
    def apply_cimpl(self):
        return {n: False for n in self.nodes}

    # -- per class / per Op tables ----------------------------------------------------------

    def class_time(self):
        return self._group(lambda n: type(n.op), self.apply_time)

    def class_callcount(self):
        return self._group(lambda n: type(n.op), self.apply_callcount)

    def class_nodes(self):
        return self._group(lambda n: type(n.op), {n: 1 for n in self.nodes})

    def class_impl(self):
        return {type(n.op): "Py" for n in self.nodes}

    def op_time(self):
        return self._group(lambda n: n.op, self.apply_time)

    def op_callcount(self):
        return self._group(lambda n: n.op, self.apply_callcount)

    def op_nodes(self):
        return self._group(lambda n: n.op, {n: 1 for n in self.nodes})

    def op_impl(self):
        return {n.op: "Py" for n in self.nodes}

    def compute_total_times(self):
        """{node: its time plus the time of every node it depends on}."""
        times = self.apply_time
        total = {}
        for node in self.nodes:  # topological order: parents first
            t = times.get(node, 0.0)
            seen = set()
            for inp in node.inputs:
                owner = inp.owner
                if owner in total and owner not in seen:
                    seen.add(owner)
                    t += total[owner]
            total[node] = t
        return total

    def fill_node_total_time(self, node, total_times):
        total_times.update({k: v for k, v in self.compute_total_times().items()
                            if k is node})

    @staticmethod
    def _group(key, values):
        out = {}
        for node, v in values.items():
            k = key(node)
            out[k] = out.get(k, 0) + v
        return out

    # -- the report (Theano's layout) --------------------------------------------------------

    def summary_function(self, file):
        p = lambda *a: print(*a, file=file)  # noqa: E731
        p("Function profiling")
        p("==================")
        p(f"  Message: {self.message}")
        p("  Time in %i calls to Function.__call__: %es" % (self.fct_callcount,
                                                          self.fct_call_time))
        if self.fct_call_time > 0:
            p("  Time in Function.fn.__call__: %es (%.3f%%)" % (
                self.vm_call_time, 100 * self.vm_call_time / self.fct_call_time))
            local_time = sum(self.node_times)
            if local_time > 0:
                p("  Time in thunks: %es (%.3f%%)" % (
                    local_time, 100 * local_time / self.fct_call_time))
        p("  Total compile time: %es" % self.compile_time)
        p("    Number of Apply nodes: %d" % self.nb_nodes)
        p("    Theano Optimizer time: %es" % self.optimizer_time)
        p("       Theano validate time: %es" % self.validate_time)
        p("    Theano Linker time (includes C, CUDA code generation/compiling): %es"
          % self.linker_time)
        p("       Import time %es" % self.import_time)
        p("       Node make_thunk time %es" % self.linker_node_make_thunks)
        p("")

    def summary_globals(self, file):
        print("Time in all call to theano.grad() %es" % 0.0, file=file)
        print("Time since theano import %.3fs" % (time.time() - _IMPORTED), file=file)

    def _table(self, file, title, underline, label, times, calls, applies, impl, n,
               name_of):
        local_time = sum(self.node_times)
        if local_time == 0:
            print(f"ProfileStats.summary_{label}: total time 0 (did you forget to enable "
                  "counters?)", file=file)
            return
        rows = [(t * 100 / local_time, t, key, impl.get(key, "  "), calls.get(key, 0),
                 applies.get(key, 0)) for key, t in times.items()]
        rows.sort(key=lambda r: (r[1], r[4], r[5]), reverse=True)
        if n is None:
            n = len(rows)
        hs = ["<% time>", "<sum %>", "<apply time>", "<time per call>", "<type>", "<#call>",
              "<#apply>"]
        es = ["  %4.1f%% ", " %5.1f%% ", "   %7.3fs ", "     %8.2es ", "   %2s ",
              "%6d  " if title == "Class" else "  %4d  ", " %4d  " if title == "Class"
              else "  %4d  "]
        maxlen = max(self.line_width - (sum(len(h) for h in hs) + len(hs)), 0)
        print(title, file=file)
        print(underline, file=file)
        print(" ".join(hs + [f"<{title if title == 'Class' else 'Op'} name>"]), file=file)
        fmt = " ".join(es + ["%s"])
        tot = 0.0
        for f, t, key, kind, nb_call, nb_apply in rows[:n]:
            if nb_call == 0:
                continue
            tot += t
            print(fmt % (f, tot * 100 / local_time, t, t / nb_call, kind, nb_call, nb_apply,
                         name_of(key)[:maxlen]), file=file)
        what = "Classes" if title == "Class" else "Ops"
        print("   ... (remaining %i %s account for %6.2f%%(%.2fs) of the runtime)"
              % (max(0, len(rows) - n), what, sum(r[0] for r in rows[n:]),
                 sum(r[1] for r in rows[n:])), file=file)
        print("", file=file)

    def summary_class(self, file=sys.stderr, N=None):
        self._table(file, "Class", "---", "class", self.class_time(), self.class_callcount(),
                    self.class_nodes(), self.class_impl(), N,
                    lambda cls: f"{cls.__module__}.{cls.__qualname__}")

    def summary_ops(self, file=sys.stderr, N=None):
        self._table(file, "Ops", "---", "ops", self.op_time(), self.op_callcount(),
                    self.op_nodes(), self.op_impl(), N, str)

    def summary_nodes(self, file=sys.stderr, N=None):
        local_time = sum(self.node_times)
        if local_time == 0:
            print("ProfileStats.summary_nodes: total time 0 (did you forget to enable "
                  "counters?)", file=file)
            return
        print("Apply", file=file)
        print("------", file=file)
        hs = ["<% time>", "<sum %>", "<apply time>", "<time per call>", "<#call>", "<id>"]
        maxlen = max(self.line_width - (sum(len(h) for h in hs) + len(hs)), 0)
        print(" ".join(hs + ["<Apply name>"]), file=file)
        fmt = " ".join(["  %4.1f%% ", " %5.1f%% ", "   %7.3fs ", "     %8.2es ", " %4d  ",
                        "%3d", "%s", "%s", "%s"])
        calls = self.apply_callcount
        rows = [(t * 100 / local_time, t, node, k, calls.get(node, 0))
                for k, (node, t) in enumerate(zip(self.nodes, self.node_times))]
        rows.sort(reverse=True, key=lambda r: (r[1], r[3]))
        if N is None:
            N = len(rows)
        tot = 0.0
        for f, t, node, k, nb_call in rows[:N]:
            tot += t
            if nb_call == 0:
                continue
            print(fmt % (f, tot * 100 / local_time, t, t / nb_call, nb_call, k, "", "",
                         str(node)[:maxlen]), file=file)
        print("   ... (remaining %i Apply instances account for %.2f%%(%.2fs) of the "
              "runtime)" % (max(0, len(rows) - N), sum(r[0] for r in rows[N:]),
                            sum(r[1] for r in rows[N:])), file=file)
        print("", file=file)

    # -- memory (profile_memory) -------------------------------------------------------------

    def output_recorder(self, inputs, outputs):
        """With ``profile_memory``: the callable the profiled program calls after each node
        with its outputs' values (`record(position, values)`), which keeps their shapes in
        ``variable_shape``; else None.  `inputs` and `outputs`: the linked graph's."""
        if not config.profile_memory:
            return None
        self._memory_graph = (list(inputs), list(outputs))
        nodes = self.nodes
        shapes = self.variable_shape

        def record(pos, values):
            for var, value in zip(nodes[pos].outputs, values):
                if value is not None:
                    shapes[var] = tuple(getattr(value, "shape", ()))
        return record

    def _memory_tables(self):
        """({variable: bytes}, {node: [output shapes]}, {node: bytes of its outputs})."""
        var_mem, shapes_of, node_mem = {}, {}, {}
        for node in self.nodes:
            shapes_of[node] = []
            total = 0
            for out in node.outputs:
                sh = self.variable_shape.get(out)
                dtype = getattr(out.type, "dtype", None)
                v = 0
                if sh is not None and dtype is not None and hasattr(out.type, "ndim"):
                    v = int(np.prod(sh, dtype=np.int64)) * np.dtype(dtype).itemsize
                    total += v
                var_mem[out] = v
                shapes_of[node].append(sh)
            node_mem[node] = total
        return var_mem, shapes_of, node_mem

    def _running_memory(self, order, var_mem, ignore_dmap):
        """(bytes of all outputs allocated, peak bytes alive) running the nodes in `order`
        and freeing each intermediate once its last reader ran (views free their origin
        when the last view of it goes), as Theano's memory profile counted."""
        inputs, outputs = self._memory_graph
        deps = _dependencies(self.nodes)
        computed = set(inputs)
        viewed_by = defaultdict(list)
        view_of = {}
        allocated = running = peak = 0
        for node in order:
            computed.update(node.outputs)
            dmap = None if ignore_dmap else getattr(node.op, "destroy_map", None)
            vmap = getattr(node.op, "view_map", None)
            for k, out in enumerate(node.outputs):
                if _note_view(node, k, dmap, vmap, view_of, viewed_by) is None:
                    running += var_mem[out]
                    allocated += var_mem[out]
            peak = max(peak, running)
            for ins in set(node.inputs):
                running -= _freed(ins, deps, computed, outputs, inputs, view_of, viewed_by,
                                  var_mem)
        return allocated, peak

    def _minimum_peak(self, var_mem):
        """The smallest peak over every order of the nodes their dependencies allow
        (Theano's exhaustive search, memoised on the set of nodes already run)."""
        inputs, outputs = self._memory_graph
        deps = _dependencies(self.nodes)
        readers = defaultdict(list)
        for node in self.nodes:
            for i in node.inputs:
                readers[i].append(node)
        computed = set(inputs)
        for node in self.nodes:
            computed.update(i for i in node.inputs if isinstance(i, Constant))
        state = {"count": 0, "max": 0, "bound": np.inf}
        done, best = set(), {}
        viewed_by = defaultdict(list)
        view_of = {}

        def ready(node):
            return all(i in computed for i in node.inputs)

        def search(executable):
            for node in list(executable):
                if state["max"] > state["bound"]:
                    continue
                rest = set(executable)
                rest.discard(node)
                computed.update(node.outputs)
                saved_max = state["max"]
                added, removed, new_views = [], [], []
                created = 0
                vmap = getattr(node.op, "view_map", None)
                dmap = getattr(node.op, "destroy_map", None)
                for k, out in enumerate(node.outputs):
                    origin = _note_view(node, k, dmap, vmap, view_of, viewed_by)
                    if origin is not None:
                        new_views.append(out)
                        added.append((origin, out))
                    else:
                        created += var_mem[out]
                state["count"] += created
                state["max"] = max(state["max"], state["count"])
                freed = 0
                for ins in node.inputs:
                    origin = view_of.get(ins)
                    before = list(viewed_by[origin]) if origin is not None else None
                    freed += _freed(ins, deps, computed, outputs, inputs, view_of,
                                    viewed_by, var_mem)
                    if before is not None and len(viewed_by[origin]) < len(before):
                        removed.append((origin, ins))
                state["count"] -= freed
                done.add(node)
                key = frozenset(done)
                if best.get(key, state["max"] + 1) > state["max"]:
                    best[key] = state["max"]
                    for out in node.outputs:
                        rest.update(c for c in readers[out] if ready(c) and c not in done)
                    if not rest:
                        state["bound"] = min(state["bound"], state["max"])
                    else:
                        search(rest)
                done.discard(node)
                state["count"] += freed - created
                state["max"] = saved_max
                computed.difference_update(node.outputs)
                for origin, ins in removed:
                    viewed_by[origin].append(ins)
                for origin, out in added:
                    viewed_by[origin].remove(out)
                for out in new_views:
                    del view_of[out]

        search({n for n in self.nodes if ready(n)})
        return state["bound"]

    def summary_memory(self, file, N=None):
        """Theano's memory profile: the peak of the intermediate results alive with the
        order the program runs and with Theano's node order (in brackets), with and without
        the Ops' destroy_map, without freeing anything (allow_gc=False), optionally the
        minimum over every valid order, then the nodes with the largest outputs (sizes
        recorded from the calls; a node never run counts 0 bytes)."""
        p = lambda *a: print(*a, file=file)  # noqa: E731
        if getattr(self, "_memory_graph", None) is None:
            p("Memory Profile")
            p("(not measured: the function was compiled without profile_memory)")
            p("")
            return
        var_mem, shapes_of, node_mem = self._memory_tables()
        toposort = list(self.nodes)  # the order the program runs them
        theano_order = _toposort_of(self.nodes, *self._memory_graph)
        stats = {}
        for key, order, ignore in (("now", toposort, False), ("now_noinplace", toposort, True),
                                   ("topo", theano_order, False),
                                   ("topo_noinplace", theano_order, True)):
            stats[key] = self._running_memory(order, var_mem, ignore)
        min_peak = 0
        min_peak_time = 0.0
        if config.profiling__min_peak_memory:
            started = time.time()
            min_peak = self._minimum_peak(var_mem)
            min_peak_time = time.time() - started
        kb = lambda b: int(round(b / 1024.0))  # noqa: E731
        p("Memory Profile")
        p("(Sparse variables are ignored)")
        p("(For values in brackets, it's for linker = c|py")
        p("---")
        for title, a, b in (("Max peak memory with current setting", "now", "topo"),
                            ("Max peak memory with current setting and Theano flag "
                             "optimizer_excluding=inplace", "now_noinplace", "topo_noinplace")):
            p(f"    {title}")
            p("        CPU: %dKB (%dKB)" % (kb(stats[a][1]), kb(stats[b][1])))
            p("        GPU: 0KB (0KB)")
            p("        CPU + GPU: %dKB (%dKB)" % (kb(stats[a][1]), kb(stats[b][1])))
        p("    Max peak memory if allow_gc=False (linker don't make a difference)")
        p("        CPU: %dKB" % kb(stats["now"][0]))
        p("        GPU: 0KB")
        p("        CPU + GPU: %dKB" % kb(stats["now"][0]))
        p("---")
        if min_peak:
            p("    Minimum peak from all valid apply node order is %dKB(took %.3fs to compute)"
              % (kb(min_peak), min_peak_time))
            p("---")
        p("")
        p("    <Sum apply outputs (bytes)> <Apply outputs shape> <created/inplace/view> "
          "<Apply node>")
        p("")
        items = sorted(node_mem.items(), key=lambda kv: kv[1], reverse=True)
        if N is None:
            N = len(items)
        for idx, (node, size) in enumerate(items[:N]):
            code = ["c"] * len(node.outputs)
            for out in getattr(node.op, "destroy_map", None) or {}:
                code[out] = "i"
            for out in getattr(node.op, "view_map", None) or {}:
                code[out] = "v"
            if all(getattr(o.type, "dtype", None) is not None for o in node.outputs):
                if size < config.profiling__min_memory_size:
                    N = idx
                    break
                text = "%9dB" % size
            else:
                text = "%10s" % "Unknown"
            p("     %s  %s %s %s" % (text, shapes_of[node], " ".join(code), node))
        remaining = sum(size for _, size in items[N:])
        dense = sum(node_mem.values())
        share = "0%" if dense == 0 else "(%.2f%%)" % (remaining / dense * 100)
        p("   ... (remaining %i Apply account for %4dB/%dB (%s) of the Apply with dense "
          "outputs sizes)" % (max(0, len(node_mem) - N), remaining, dense, share))
        p("")
        if N == 0:
            p("    All Apply nodes have output sizes that take less than %dB."
              % config.profiling__min_memory_size)
        p("    <created/inplace/view> is taken from the Op's declaration.")
        p("    Apply nodes marked 'inplace' or 'view' may actually allocate memory, this is "
          "not reported here. If you use DebugMode, warnings will be emitted in those cases.")
        p("")

    def summary(self, file=sys.stderr, n_ops_to_print=20, n_apply_to_print=20):
        """Print the profile in Theano 1.0.5's layout (see the module docstring)."""
        self.summary_function(file)
        self.summary_globals(file)
        if sum(self.node_times) > 0:
            self.summary_class(file, n_ops_to_print)
            self.summary_ops(file, n_ops_to_print)
            self.summary_nodes(file, n_apply_to_print)
        elif self.fct_callcount > 0:
            print("  No execution time accumulated (hint: try config profiling.time_thunks=1)",
                  file=file)
        if config.profile_memory:
            self.summary_memory(file, n_apply_to_print)
        self.print_extra(file)
        self.print_tips(file)

    def print_extra(self, file):
        params = [self.message, self.compile_time, self.fct_call_time, self.apply_time,
                  self.apply_cimpl, self.output_size]
        for f in _profiler_printers:
            f(*params, file=file)

    def print_tips(self, file):
        print("Here are tips to potentially make your code run faster\n"
              "                 (if you think of new ones, suggest them on the mailing "
              "list).\n                 Test them first, as they are not guaranteed to "
              "always provide a speedup.", file=file)
        print("  Sorry, no tip for today.", file=file)


class ScanProfileStats(ProfileStats):
    """The profile of a Scan Op's inner function (Theano's ``ScanProfileStats``)."""

    __module__ = "theano.compile.profiling"  # Theano's path: reprs and pickles

    callcount = 0.0
    nbsteps = 0.0
    call_time = 0.0

    def __init__(self, atexit_print=True, name=None, **kwargs):
        super().__init__(atexit_print, **kwargs)
        self.name = name

    def summary_globals(self, file):
        pass

    def summary_function(self, file):
        if self.callcount == 0:
            return
        p = lambda *a: print(*a, file=file)  # noqa: E731
        p("")
        p(f"Scan Op profiling ( {self.name} )" if self.name is not None else
          "Scan Op profiling")
        p("==================")
        p(f"  Message: {self.message}")
        p("  Time in %i calls of the op (for a total of %i steps) %es"
          % (self.callcount, self.nbsteps, self.call_time))
        p("")
        val = self.vm_call_time * 100 / self.call_time if self.call_time > 0 else 0
        p("  Total time spent in calling the VM %es (%.3f%%)" % (self.vm_call_time, val))
        val = 100.0 - self.vm_call_time * 100 / self.call_time if self.call_time > 0 else 100
        p("  Total overhead (computing slices..) %es (%.3f%%)"
          % (self.call_time - self.vm_call_time, val))
        p("")


_legacy_getattr, _legacy_dir = lazy_names(__name__, {"theano": THEANO, "graph": GOF_GRAPH})


def __getattr__(name):
    # Theano's module-level totals, kept in GLOBAL_STATS.
    if name in _TOTALS:
        return getattr(GLOBAL_STATS, _TOTALS[name])
    return _legacy_getattr(name)


def __dir__():
    return sorted({*_legacy_dir(), *_TOTALS})
