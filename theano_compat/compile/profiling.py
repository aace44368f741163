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
from collections import defaultdict  # noqa: F401 - a name of Theano's module

from ..config import config
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

    def summary_memory(self, file, N=None):
        print("Memory Profile", file=file)
        print("(not measured: the generated program keeps intermediate arrays in local "
              "variables, so their sizes are not recorded)", file=file)
        print("", file=file)

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
