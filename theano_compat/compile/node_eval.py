"""A node-by-node evaluator of a compiled graph: the engine of the checking modes.

DebugMode, NanGuardMode and MonitorMode need to see every Apply node's inputs and
outputs, which the generated program (link/) never exposes.  For them the function's
"program" is one call to a `NodeEvaluator`: it walks the rewritten graph in topological
order, runs each node through its Op's runner (``graph.op.runner_for``: ``impl`` or
``perform``), keeps the values per variable, and lets the mode's `NodeChecks` look at
(or run) each node.  Only the taken branch of a lazy Op (ifelse) is evaluated, as in
the generated code.  Everything else of a compiled function (input checks, defaults,
update writing after a successful call, copy, pickling) is CompiledFunction's own: the
evaluator is plugged in as the body of its generated call (`EvalFunctionMaker`), so
FAST_RUN functions pay nothing for the checking modes.

The checking modes run on the host (NumPy) even with ``device=cuda``: shared values
on the GPU are read to the host and updates written back, as for any CPU function.
"""

from __future__ import annotations

import copy

import numpy as np

from .. import backend as _backend
from .. import hooks
from ..errors import add_note
from ..graph.basic import Constant
from ..graph.fgraph import FunctionGraph
from ..graph.op import Op, runner_for
from ..link import Program
from ..link.codegen import Source
from ..link.lazy import blocks, is_lazy
from .compiled import FunctionMaker

def graph_text(var):
    """`var`'s graph as debugprint shows it (one line when no printer is installed)."""
    # printing sits above this layer: reached through a hook, one line per node until
    # it is imported.
    fn = hooks.debugprint.get() if hooks.debugprint.wired else None
    if fn is not None and var is not None:
        try:
            return fn(var, file="str").rstrip("\n")
        except Exception:  # noqa: BLE001 - a message helper must never fail the message
            pass
    return node_text(var.owner) if var is not None and var.owner is not None else str(var)


def print_graph(obj):
    """Print `obj` (a Variable or an Apply node) as debugprint does."""
    if hooks.debugprint.wired:
        hooks.debugprint(obj)
    else:
        print(node_text(obj) if hasattr(obj, "op") else str(obj))


def node_text(node):
    """``Op(input, input)``: how Theano named an Apply node in messages."""
    return f"{node.op}({', '.join(str(i) for i in node.inputs)})"


def value_summary(value):
    """``(2, 3) float64`` for an array, the type name otherwise."""
    shape = getattr(value, "shape", None)
    if shape is None:
        return type(value).__name__
    return f"{tuple(shape)} {getattr(value, 'dtype', '')}".rstrip()


def value_text(value, threshold=10):
    """A short rendering of a value for messages."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, threshold=threshold, separator=", ")
    text = repr(value)
    return text if len(text) <= 200 else text[:195] + "(...)"


def where_built(node):
    """``built at file.py:12 in f():   code`` for a node, or why there is no line."""
    if node.source is not None:
        text = f"built at {node.source.describe()}"
    else:
        text = "(this node was created by the library, not at a line of your code)"
    here = node.source.describe() if node.source is not None else None
    others = []
    for src in getattr(node.tag, "fused_sources", ()):
        if src.describe() != here and src.describe() not in others:
            others.append(src.describe())
    if others:
        text += "\n  fused with the elementwise operations built at:\n" + "\n".join(
            f"    {text}" for text in others)
    return text


def is_array(value):
    return hasattr(value, "shape") and hasattr(value, "dtype")


def shares_memory(a, b):
    """Whether two values may be the same memory (arrays) or the same object."""
    if a is b:
        return a is not None
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if not np.may_share_memory(a, b):
            return False
        try:
            return bool(np.shares_memory(a, b, max_work=100_000))
        except np.exceptions.TooHardError:
            return True
    return False


def snapshot(value):
    """An independent copy of a value (arrays copied, other objects deep-copied)."""
    if value is None or isinstance(value, (np.generic, int, float, complex, bool, str)):
        return value
    if isinstance(value, np.ndarray):
        return value.copy()
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an uncopyable object is compared by identity
        return value


class NodeChecks:
    """What a checking mode does around the nodes.  The default does nothing.

    ``keep_values``: whether the evaluator keeps every intermediate value until the end
    of the call (DebugMode compares them with the unrewritten graph's) instead of
    dropping each at its last use.
    """

    keep_values = False

    def start(self, ev, storage):
        """Called with the graph inputs and constants in `storage` (variable -> value)."""

    def run_node(self, ev, position, node, inputs):
        """Compute `node` from `inputs`; returns the list of its output values."""
        return ev.compute(node, inputs)

    def finish(self, ev, storage):
        """Called after every node ran, before the outputs are returned."""


class NodeEvaluator:
    """``ev(*input_values) -> list of output values`` for a FunctionGraph, one node at a
    time (see the module docstring).  Holds no per-call state, so one evaluator serves
    every copy of a function and every thread."""

    def __init__(self, fgraph, checks, compile_inner=None, name=None, xp=np):
        self.fgraph = fgraph
        self.inputs = list(fgraph.inputs)
        self.outputs = list(fgraph.outputs)
        self.nodes = fgraph.toposort()
        self.position = {node: k for k, node in enumerate(self.nodes)}
        self.top, self.branches = blocks(self.nodes, self.outputs)
        self.checks = checks
        self.compile_inner = compile_inner
        self.name = name or "unnamed function"
        self.xp = xp
        self._raw_runners = {}
        self._scalar_inputs = [v for v in self.inputs if getattr(v.type, "ndim", None) == 0]
        self._runners = {node: runner_for(node.op, node, xp, compile_inner)
                         for node in self.nodes}
        given = set(self.inputs)
        seen = set()
        self.constants = []
        for var in [i for node in self.nodes for i in node.inputs] + self.outputs:
            if isinstance(var, Constant) and var not in given and var not in seen:
                seen.add(var)
                self.constants.append(var)
        # Values dropped after each node (at their last read), unless the checks keep
        # them all or a lazy node makes the order of reads depend on the condition.
        self._dead_after = {}
        if not checks.keep_values and not self.branches:
            last = {}
            for node in self.nodes:
                for var in node.inputs:
                    last[var] = node
            keep = set(self.outputs) | given | seen
            for var, node in last.items():
                if var not in keep:
                    self._dead_after.setdefault(node, []).append(var)

    # -- running one node ------------------------------------------------------------------

    def runner(self, node):
        """The callable computing `node` (also for nodes outside the final graph)."""
        run = self._runners.get(node)
        if run is None:
            run = self._runners[node] = runner_for(node.op, node, self.xp, self.compile_inner)
        return run

    def raw_runner(self, node):
        """Like `runner`, but a ``perform`` Op's outputs come back as perform stored them,
        unchecked (DebugMode checks them itself and raises Theano's errors)."""
        op = node.op
        if getattr(op, "has_inner_graph", False) or getattr(op, "runner", None) is not None \
                or type(op).impl is not Op.impl:
            return self.runner(node)
        run = self._raw_runners.get(node)
        if run is None:
            run = self._raw_runners[node] = _raw_perform(op, node)
        return run

    def compute(self, node, inputs, raw=False):
        """Run `node` on `inputs`: the list of its output values (see `raw_runner` for
        `raw`).

        Tensor results that come back as NumPy or Python scalars become 0-d arrays, as
        the generated code makes them; a failure gets a note naming the node."""
        try:
            result = (self.raw_runner(node) if raw else self.runner(node))(*inputs)
        except Exception as exc:
            self.annotate(exc, node, inputs)
            raise
        outs = [result] if len(node.outputs) == 1 else list(result)
        for k, (var, value) in enumerate(zip(node.outputs, outs)):
            if hasattr(var.type, "ndim") and isinstance(
                    value, (np.generic, int, float, complex, bool)):
                outs[k] = np.asarray(value)
        return outs

    def annotate(self, exc, node, inputs):
        """Add a note to `exc` naming `node`, its input shapes and the user's line."""
        position = self.position.get(node)
        where = (f"node {position} of {len(self.nodes)}" if position is not None
                 else "a node of the graph before rewriting")
        note = [f"  while computing  {node_text(node)}   [{where} in {self.name}]",
                "  input shapes/dtypes: " + "; ".join(value_summary(v) for v in inputs),
                "  " + where_built(node)]
        add_note(exc, "\n".join(note))

    # -- running the graph -----------------------------------------------------------------

    def __call__(self, *values):
        storage = dict(zip(self.inputs, values, strict=True))
        for var in self._scalar_inputs:
            if isinstance(storage[var], np.generic):  # a scan step's x[t]
                storage[var] = np.asarray(storage[var])
        for const in self.constants:
            storage[const] = const.data
        # NumPy's warnings (log(0), 0/0...) stay silent, as in Theano: the values say it.
        with np.errstate(all="ignore"):
            self.checks.start(self, storage)
            self._block(self.top, storage)
            self.checks.finish(self, storage)
        return self._results(storage)

    def _block(self, block, storage):
        checks = self.checks
        for node in block:
            if is_lazy(node):
                then_nodes, else_nodes = self.branches[node]
                self._block(then_nodes if bool(storage[node.inputs[0]]) else else_nodes,
                            storage)
                inputs = [storage.get(v) for v in node.inputs]
            else:
                inputs = [storage[v] for v in node.inputs]
            outs = checks.run_node(self, self.position[node], node, inputs)
            for var, value in zip(node.outputs, outs, strict=True):
                storage[var] = value
            for var in self._dead_after.get(node, ()):
                del storage[var]

    def _results(self, storage):
        """The output values; one that may be the memory of an input, a constant or an
        earlier output is copied, so the caller never gets an alias of those."""
        given = [storage[v] for v in self.inputs] + [c.data for c in self.constants]
        results = []
        for var in self.outputs:
            value = storage[var]
            if hasattr(var.type, "ndim") and not isinstance(value, np.ndarray) and \
                    not _backend.is_device_array(value) and \
                    getattr(var.type, "values_are_ndarrays", True):
                value = np.asarray(value)
            if any(shares_memory(value, other) for other in given + results):
                value = value.copy() if isinstance(value, np.ndarray) else snapshot(value)
            results.append(value)
        return results


def _raw_perform(op, node):
    n_out = len(node.outputs)

    def run(*args):
        storage = [[None] for _ in range(n_out)]
        op.perform(node, list(args), storage)
        return storage[0][0] if n_out == 1 else tuple(cell[0] for cell in storage)

    return run


def evaluator_program(evaluator, name):
    """A link.Program whose body is one call of `evaluator`, so CompiledFunction embeds
    it in its generated call like any program (input checks and updates stay there)."""
    src = Source()
    src.glob["_node_eval"] = evaluator
    args = ", ".join(f"i{k}" for k in range(len(evaluator.inputs)))
    src.lines = [f"    _node_eval_r = _node_eval({args})"]
    src.results = [f"_node_eval_r[{k}]" for k in range(len(evaluator.outputs))]
    return Program(src, evaluator.inputs, evaluator.outputs, name)


def eval_inner_compiler(mode):
    """A ``compile_inner`` (see graph.op.runner_for) compiling inner graphs (scan,
    OpFromGraph) with `mode`'s rewrites into evaluators with `mode`'s checks, so the
    checks reach inside loops too."""

    def compile_inner(inputs, outputs, name=None):
        fgraph = FunctionGraph(list(inputs), list(outputs), clone=True)
        mode.pipeline()(fgraph, mode.excluded)
        return NodeEvaluator(fgraph, mode.node_checks(fgraph), compile_inner,
                             name=name or "inner graph")

    return compile_inner


class EvalFunctionMaker(FunctionMaker):
    """The FunctionMaker of the checking modes: the graph runs in a NodeEvaluator with
    the checks of ``mode.node_checks(fgraph)``, on the host."""

    def __init__(self, *args, **kwargs):
        if "backend" in kwargs:
            kwargs["backend"] = _backend.get("cpu")
        super().__init__(*args, **kwargs)

    def _link(self):
        self.evaluator = NodeEvaluator(self.fgraph, self.mode.node_checks(self.fgraph),
                                       eval_inner_compiler(self.mode), name=self.name)
        return evaluator_program(self.evaluator, self.name)

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("evaluator", None)
        return state
