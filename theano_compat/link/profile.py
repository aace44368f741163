"""Theano-style profiles: time per Apply node, per Op and per Op class, calls, compile time.

A profiled function runs a separate generated program (see ``link(..., profile=...)``)
with a clock read around every node, so unprofiled functions pay nothing for this.
"""

from __future__ import annotations

import atexit
import collections
import sys
import time

from ..config import config

_TO_PRINT = []


class ProfileStats:
    """What a profiled function measured (Theano's ``theano.compile.profiling.ProfileStats``).

    Attributes: ``message`` (the function's name), ``fct_callcount``, ``fct_call_time``,
    ``compile_time``, ``optimizer_time``, ``linker_time``, ``apply_time`` (node -> seconds),
    ``apply_callcount`` (node -> calls).
    """

    def __init__(self, message="", atexit_print=True):
        self.message = message
        self.fct_callcount = 0
        self.fct_call_time = 0.0
        self.compile_time = 0.0
        self.optimizer_time = 0.0
        self.linker_time = 0.0
        self.nb_nodes = 0
        self.nodes = []
        self.node_times = []  # seconds per node position, filled by the generated program
        if atexit_print:
            _TO_PRINT.append(self)

    # -- filled by the linker and the compiled function ---------------------------------------

    def attach(self, nodes):
        self.nodes = list(nodes)
        self.nb_nodes = len(self.nodes)
        self.node_times = [0.0] * len(self.nodes)
        return self.node_times

    @property
    def apply_time(self):
        return dict(zip(self.nodes, self.node_times))

    @property
    def apply_callcount(self):
        return {n: self.fct_callcount for n in self.nodes}

    # -- report -------------------------------------------------------------------------------

    def summary(self, file=sys.stderr, n_ops_to_print=20, n_apply_to_print=20):
        """Print the profile in Theano's layout (function, classes, ops, apply nodes)."""
        p = lambda *a: print(*a, file=file)  # noqa: E731
        total_nodes = sum(self.node_times)
        calls = self.fct_callcount
        p(f"Function profiling\n==================\n  Message: {self.message}")
        p(f"  Time in {calls} calls to Function.__call__: {self.fct_call_time:e}s")
        if self.fct_call_time > 0:
            share = 100 * total_nodes / self.fct_call_time
            p(f"  Time in Function.fn.__call__: {total_nodes:e}s ({share:.3f}%)")
        p(f"  Total compile time: {self.compile_time:e}s")
        p(f"    Theano Optimizer time: {self.optimizer_time:e}s")
        p(f"    Theano Linker time (includes C, CUDA code generation/compiling): "
          f"{self.linker_time:e}s")
        p("")
        if not self.nodes or total_nodes == 0:
            p("  No execution time accumulated (hint: try config profiling.time_thunks=1)")
            return
        self._table(p, "Class", lambda n: type(n.op).__name__, total_nodes, n_ops_to_print)
        self._table(p, "Ops", lambda n: str(n.op), total_nodes, n_ops_to_print)
        p("Apply\n------")
        p("<% time> <sum %> <apply time> <time per call> <#call> <id> <Apply name>")
        order = sorted(range(len(self.nodes)), key=lambda k: -self.node_times[k])
        acc = 0.0
        for k in order[:n_apply_to_print]:
            t = self.node_times[k]
            acc += t
            per = t / calls if calls else 0.0
            p(f"  {100 * t / total_nodes:5.1f}%  {100 * acc / total_nodes:5.1f}%  {t:.3e}s  "
              f"{per:.2e}s  {calls}  {k}  {self.nodes[k].op}")
        p("")

    def _table(self, p, title, key, total, limit):
        times = collections.defaultdict(float)
        counts = collections.Counter()
        for node, t in zip(self.nodes, self.node_times):
            times[key(node)] += t
            counts[key(node)] += 1
        p(f"{title}\n{'-' * len(title)}")
        p(f"<% time> <sum %> <apply time> <time per call> <#call> <#apply> <{title} name>")
        acc = 0.0
        for name, t in sorted(times.items(), key=lambda kv: -kv[1])[:limit]:
            acc += t
            calls = self.fct_callcount * counts[name]
            per = t / calls if calls else 0.0
            p(f"  {100 * t / total:5.1f}%  {100 * acc / total:5.1f}%  {t:.3e}s  {per:.2e}s  "
              f"{calls}  {counts[name]}  {name}")
        p("")


def clock():
    return time.perf_counter()


@atexit.register
def _print_profiles_at_exit():  # pragma: no cover - runs at interpreter exit
    if not _TO_PRINT or config.profiling__destination not in ("stderr", "stdout"):
        return
    out = sys.stderr if config.profiling__destination == "stderr" else sys.stdout
    for prof in _TO_PRINT:
        if prof.fct_callcount:
            prof.summary(file=out)
