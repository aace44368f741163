"""theano.gof.link: Theano 1.0.5's linker API in pure Python.

A *linker* turns a FunctionGraph into something that runs it.  Theano's linkers work on
a ``storage_map``: one one-element list (a *cell*) per variable, shared by the node
that writes it and the nodes that read it, and one *thunk* per Apply node (a callable
with no arguments that reads its input cells and fills its output cells).  This module
gives that model over this project's Ops:

* `Linker`, `LocalLinker`: the base classes (``accept(fgraph)``, ``make_thunk()``,
  ``make_function()``, ``make_all()``, ``schedule(fgraph)``).
* `PerformLinker`: runs every node, in ``schedule(fgraph)`` order, through its Python
  implementation (an Op's ``perform``, or this project's ``impl``), freeing
  intermediates after their last use when ``allow_gc``.
* `WrapLinker` / `WrapLinkerMany`: run several LocalLinkers side by side, node by node,
  through a user wrapper.
* `map_storage`, `streamline`, `gc_helper`, `add_clear_storage`: the helpers the linkers
  are made of, with Theano's signatures.
* `raise_with_op`: re-raise an exception with Theano's description of the failing node.

``Mode(linker=PerformLinker())`` (and any Linker here) compiles a function that runs
through that linker: the mode takes the linker's `maker_class` (`LinkerFunctionMaker`),
so ``f.maker.linker`` is the accepted linker and ``f.maker.vm`` what it made.  Such a
function runs on the host (NumPy) and one call at a time (the storage map is the
function's state, as in Theano); the default linker (the generated program) has
neither restriction and is much faster.
"""

from __future__ import annotations

import sys
import threading
import traceback
from copy import copy, deepcopy  # noqa: F401 - deepcopy: a name of Theano's module
from io import StringIO  # noqa: F401 - a name of Theano's module
from sys import getsizeof  # noqa: F401 - a name of Theano's module

import numpy as np

import theano_compat as theano

from .. import backend as _backend
from .. import hooks
from ..compile.compiled import FunctionMaker
from ..compile.inner import inner_compiler
from ..compile.mode import get_default_mode
from ..compile.node_eval import evaluator_program, shares_memory, snapshot
from ..config import config
from ..errors import MethodNotDefined, add_note
from ..graph.basic import Constant
from ..graph.op import Op as _Op
from ..graph.op import runner_for
from ..graph.shared import Container, SharedVariable
from ..graph.type import Type  # noqa: F401 - a name of Theano's module
from ..link.lazy import is_lazy
from ..utils import defined_here
from . import graph, utils  # noqa: F401 - names of Theano's module
from .utils import to_return_values, undef

__all__ = ["Container", "Linker", "LocalLinker", "PerformLinker", "WrapLinker",
           "WrapLinkerMany", "add_clear_storage", "gc_helper", "log_thunk_trace",
           "map_storage", "raise_with_op", "streamline", "thunk_hook"]

izip = zip


def reraise(tp, value, tb=None):
    """Raise `value` (an instance of `tp`) with traceback `tb` (six.reraise)."""
    if value is None:
        value = tp()
    if value.__traceback__ is not tb:
        raise value.with_traceback(tb)
    raise value


# ----------------------------------------------------------------------------- errors


def log_thunk_trace(value, f=sys.stderr):
    """Print where the Op of a failing node was defined, from the ``__thunk_trace__``
    that `raise_with_op` put on the exception `value` (each line prefixed
    ``log_thunk_trace:``); nothing when the exception has none."""

    def write(msg):
        print(f"log_thunk_trace: {msg.strip()}", file=f)

    if not hasattr(value, "__thunk_trace__"):
        return
    trace = value.__thunk_trace__
    write("There was a problem executing an Op.")
    if trace is None:
        write("Could not find where this Op was defined.")
        write(" * You might have instantiated this Op directly instead of using a "
              "constructor.")
        write(" * The Op you constructed might have been optimized. Try turning off "
              "optimizations.")
    elif trace:
        write("Definition in: ")
        for line in traceback.format_list(trace):
            write(line)
        write("For the full definition stack trace set the Theano flags traceback.limit "
              "to -1")


def thunk_hook(type, value, trace):  # noqa: A002 - Theano's signature (sys.excepthook)
    """An ``sys.excepthook``: `log_thunk_trace`, then the interpreter's own hook.

    Theano installed it at import; here it is only installed by whoever wants it
    (``sys.excepthook = thunk_hook``): the note `raise_with_op` adds to the exception
    already shows the failing node wherever the exception is printed.
    """
    log_thunk_trace(value)
    sys.__excepthook__(type, value, trace)


def _node_trace(node):
    """The node's creation trace as Theano kept it (``tag.trace``), or ()."""
    for obj in (node.outputs[0].tag if node.outputs else None, getattr(node.op, "tag", None)):
        trace = getattr(obj, "trace", None)
        if trace is not None:
            return trace
    return ()


def _clients_of(fgraph, var):
    if fgraph is None:
        return []
    clients = fgraph.clients.get(var) if hasattr(fgraph.clients, "get") else None
    return [c[0] for c in (clients or ())]


def _footprint(node, storage_map, fgraph):
    """Theano's "Storage map footprint" lines (exception_verbosity='high')."""
    inputs = set(fgraph.inputs) if fgraph is not None else set()
    rows = []
    total = total_inputs = 0
    for var, cell in storage_map.items():
        value = cell[0]
        shape = getattr(value, "shape", None)
        dtype = getattr(value, "dtype", None)
        if dtype is None:
            continue
        itemsize = np.dtype(dtype).itemsize
        size = itemsize * int(np.prod(shape)) if shape is not None else -1
        if size >= 0:
            total += size
            if var.owner is None:
                total_inputs += size
        kind = ("Shared Input, " if isinstance(var, SharedVariable) else
                "Input, " if var in inputs else "")
        rows.append((size, f" - {var}, {kind}Shape: {tuple(shape) if shape is not None else None},"
                           f" ElemSize: {itemsize} Byte(s), TotalSize: {size} Byte(s)"))
    rows.sort(key=lambda r: r[0], reverse=True)
    lines = [text for size, text in rows if size >= 0]
    gib = 1024.0 ** 3
    lines.append(f" TotalSize: {total} Byte(s) {total / gib:.3f} GB")
    lines.append(f" TotalSize inputs: {total_inputs} Byte(s) {total_inputs / gib:.3f} GB")
    return "\nStorage map footprint:\n" + "\n".join(lines) + "\n"


def node_error_details(node, thunk=None, storage_map=None, fgraph=None, index=None):
    """The text Theano appended to an exception raised by `node` (see raise_with_op)."""
    hints = []
    text = f"\nApply node that caused the error: {node}"
    if index is not None:
        text += f"\nToposort index: {index}"
    types = [getattr(i, "type", "No type") for i in node.inputs]
    text += f"\nInputs types: {types}\n"
    if thunk is not None:
        cells = getattr(thunk, "inputs", None)
        if cells is not None:
            shapes = [getattr(c[0], "shape", "No shapes") for c in cells]
            strides = [getattr(c[0], "strides", "No strides") for c in cells]
            values = [c[0] if getattr(c[0], "size", -1) <= 5 else "not shown" for c in cells]
        else:
            shapes = "The thunk don't have an inputs attributes."
            strides = "So we can't access the strides of inputs values"
            values = "And can't print its inputs scalar value"
        clients = [_clients_of(fgraph, var) for var in node.outputs]
        text += (f"Inputs shapes: {shapes}\nInputs strides: {strides}\n"
                 f"Inputs values: {values}")
        if config.exception_verbosity == "high" and cells is not None:
            text += "\nInputs type_num: " + str(
                [getattr(getattr(c[0], "dtype", ""), "num", "") for c in cells])
        if hasattr(node.op, "__input_name__"):
            text += f"\nInputs name: {node.op.__input_name__}\n"
        text += f"\nOutputs clients: {clients}\n"
    else:
        hints.append("HINT: Give the linker a thunk (any linker of theano.gof.link or "
                     "theano.gof.vm does) to have the inputs shapes and strides printed.")
    source = getattr(node, "source", None)
    if source is not None:
        text += ("\nBacktrace when the node is created(use Theano flag traceback.limit=N "
                 f"to make it longer):\n  {source.describe()}\n")
    else:
        hints.append(
            "HINT: Re-running with most Theano optimization disabled could give you a "
            "back-trace of when this node was created. This can be done with by setting "
            "the Theano flag 'optimizer=fast_compile'. If that does not work, Theano "
            "optimizations can be disabled with 'optimizer=None'.")
    if config.exception_verbosity == "high":
        text += "\nDebugprint of the apply node: \n"
        text += theano.printing.debugprint(node, file="str", stop_on_name=True,
                                           print_type=True)
        if storage_map is not None:
            text += _footprint(node, storage_map, fgraph)
    else:
        hints.append("HINT: Use the Theano flag 'exception_verbosity=high' for a debugprint "
                     "and storage map footprint of this apply node.")
    return text + "\n" + "\n".join(hints)


def raise_with_op(node, thunk=None, exc_info=None, storage_map=None):
    """Re-raise the exception being handled (or `exc_info`) with the failing node's
    description, as Theano did.

    The exception gets the attributes ``__thunk_trace__`` (the node's creation trace),
    ``__op_instance__`` (the node) and ``__applynode_index__`` (its position in its
    graph's toposort, or None), and its message is extended with "Apply node that caused
    the error: ...", the input types, and with a `thunk` the input shapes, strides and
    small values, the outputs' clients and hints (at ``exception_verbosity='high'``, a
    debugprint of the node and, with `storage_map`, the memory footprint).  As in
    Theano the exception raised is a new instance of the same class carrying the longer
    message (and the original's attributes); a class that cannot be built from one
    message keeps the original instance, with the description as a note.
    ``KeyboardInterrupt`` is re-raised as it is.
    """
    _raise_with_op(node, thunk, exc_info, storage_map, getattr(node, "fgraph", None))


def _raise_with_op(node, thunk, exc_info, storage_map, fgraph):
    if exc_info is None:
        exc_info = sys.exc_info()
    exc_type, exc_value, exc_trace = exc_info
    if exc_type is None:
        raise ValueError("raise_with_op: no exception is being handled")
    if issubclass(exc_type, KeyboardInterrupt):
        raise exc_value.with_traceback(exc_trace)
    exc_value.__thunk_trace__ = _node_trace(node)
    exc_value.__op_instance__ = node
    index = None
    if fgraph is not None:
        topo = fgraph.toposort()
        index = topo.index(node) if node in topo else None
    exc_value.__applynode_index__ = index
    detail = node_error_details(node, thunk, storage_map, fgraph, index)
    try:
        new = exc_type(str(exc_value) + detail)
    except Exception:  # noqa: BLE001 - a class with another constructor keeps its instance
        add_note(exc_value, detail.lstrip("\n"))
        raise exc_value.with_traceback(exc_trace) from None
    try:
        new.__dict__.update(exc_value.__dict__)
    except (AttributeError, TypeError):
        pass
    raise new.with_traceback(exc_trace) from None


# ----------------------------------------------------------------------------- thunks


def _project_class(cls):
    return defined_here(cls)


def _user_make_thunk(op):
    """The Op's own ``make_thunk`` when a class outside this package defines one."""
    for cls in type(op).__mro__:
        if "make_thunk" in cls.__dict__:
            return None if _project_class(cls) else op.make_thunk
    return None


def _user_perform(op):
    """Whether `node.op` is run through its ``perform`` (Theano's Python contract):
    Ops of classes outside this package that define ``perform`` themselves."""
    for cls in type(op).__mro__:
        if "perform" in cls.__dict__:
            return not _project_class(cls) and cls is not _Op
    return False


def node_params(node):
    """The params a ``perform`` of `node` takes as its last argument, or None.

    Theano's rule: ``op.get_params(node)`` when the Op defines it (MethodNotDefined: no
    params), else, for an Op whose ``params_type`` is a ParamsType, the Op's attributes
    of those names wrapped in a Params; filtered by the params type.
    """
    op = node.op
    params_type = getattr(op, "params_type", None)
    get_params = getattr(op, "get_params", None)
    if get_params is not None:
        try:
            params = get_params(node)
        except MethodNotDefined:
            return None
    elif params_type is not None and hasattr(params_type, "get_params") \
            and hasattr(params_type, "fields"):
        missing = tuple(f for f in params_type.fields if not hasattr(op, f))
        if missing:
            raise AttributeError(f"{type(op).__name__}: missing attributes {missing} for "
                                 "ParamsType.")
        params = params_type.get_params(op)
    else:
        return None
    if params_type is not None and hasattr(params_type, "filter"):
        params = params_type.filter(params)
    return params


def _as_output(var, value):
    """A tensor result that came back as a Python or NumPy scalar, as a 0-d array (what
    the generated code passes on)."""
    if hasattr(var.type, "ndim") and isinstance(value, (np.generic, int, float, complex,
                                                        bool)):
        return np.asarray(value)
    return value


class PerformThunk:
    """The thunk of one node run through its ``perform``: Theano's Python thunk.

    ``perform(node, input_values, output_cells[, params])`` writes straight into the
    node's output cells of the storage map (so a value left there by the previous call
    is visible to it, as in Theano).  ``inputs``/``outputs`` are the node's cells.
    """

    lazy = False

    def __init__(self, node, storage_map, compute_map, params=None):
        self.node = node
        self.inputs = [storage_map[v] for v in node.inputs]
        self.outputs = [storage_map[v] for v in node.outputs]
        self._computed = [compute_map[v] for v in node.outputs]
        self.perform = node.op.perform
        self._params = params
        self._with_params = params is not None

    def __call__(self):
        values = [cell[0] for cell in self.inputs]
        if self._with_params:
            result = self.perform(self.node, values, self.outputs, self._params)
        else:
            result = self.perform(self.node, values, self.outputs)
        for flag in self._computed:
            flag[0] = True
        return result


class RunnerThunk:
    """The thunk of one node of this package's Ops: its runner (``impl``, or the
    Op's own runner for inner-graph Ops such as Scan) on the input cells' values, the
    results stored in the output cells."""

    lazy = False

    def __init__(self, node, storage_map, compute_map, run):
        self.node = node
        self.inputs = [storage_map[v] for v in node.inputs]
        self.outputs = [storage_map[v] for v in node.outputs]
        self._computed = [compute_map[v] for v in node.outputs]
        self._run = run
        self.perform = run

    def _store(self, result):
        node = self.node
        outs = [result] if len(node.outputs) == 1 else list(result)
        for var, cell, value in zip(node.outputs, self.outputs, outs, strict=True):
            cell[0] = _as_output(var, value)
        for flag in self._computed:
            flag[0] = True

    def __call__(self):
        self._store(self._run(*[cell[0] for cell in self.inputs]))


class LazyThunk(RunnerThunk):
    """The thunk of a lazy node of this package (ifelse), with Theano's lazy protocol:
    a call returns the positions of the inputs it still needs (the condition first, then
    the values of the branch the condition selects) and computes its outputs once they
    are there, returning []."""

    lazy = True

    def __init__(self, node, storage_map, compute_map, run):
        super().__init__(node, storage_map, compute_map, run)
        self._input_computed = [compute_map[v] for v in node.inputs]
        self._branches = node.op.branches(node)

    def __call__(self):
        computed = self._input_computed
        if not computed[0][0]:
            return [0]
        then_pos, else_pos = self._branches
        needed = then_pos if bool(self.inputs[0][0]) else else_pos
        missing = [k for k in needed if not computed[k][0]]
        if missing:
            return missing
        values = [cell[0] if flag[0] else None
                  for cell, flag in zip(self.inputs, computed, strict=True)]
        self._store(self._run(*values))
        return []


def default_compile_inner():
    """The ``compile_inner`` a linker used on its own gives inner-graph Ops (Scan,
    OpFromGraph): the default mode's rewrites, on the host."""
    return inner_compiler(get_default_mode(), _backend.get("cpu"))


def make_node_thunk(node, storage_map, compute_map, no_recycling, impl=None,
                    compile_inner=None):
    """The thunk of `node` over `storage_map` (Theano's ``op.make_thunk``).

    An Op class of the user's that defines ``make_thunk`` is asked for it (after its
    ``prepare_node``), as Theano did; an Op of the user's that defines ``perform`` gets
    a `PerformThunk` (with its params); this package's Ops get a `RunnerThunk`, or a
    `LazyThunk` for lazy ones (ifelse).  There is no C thunk: `impl` is accepted and
    ignored (every thunk is Python).  Each thunk has ``inputs``, ``outputs`` (the cells)
    and ``lazy``.
    """
    op = node.op
    custom = _user_make_thunk(op)
    if custom is not None:
        prepare = getattr(op, "prepare_node", None)
        if prepare is not None:
            prepare(node, storage_map, compute_map, impl)
        thunk = custom(node, storage_map, compute_map, no_recycling, impl)
        if not hasattr(thunk, "lazy"):
            thunk.lazy = False
        return thunk
    return base_make_thunk(node, storage_map, compute_map, no_recycling, impl,
                           compile_inner)


def base_make_thunk(node, storage_map, compute_map, no_recycling, impl=None,
                    compile_inner=None):
    """The thunk the Op base class makes (``Op.make_thunk``, which an Op's own
    make_thunk may call through super()): make_node_thunk without asking the Op."""
    op = node.op
    if _user_perform(op):
        return PerformThunk(node, storage_map, compute_map, node_params(node))
    if compile_inner is None and getattr(op, "has_inner_graph", False):
        compile_inner = default_compile_inner()
    run = runner_for(op, node, np, compile_inner)
    if is_lazy(node):
        return LazyThunk(node, storage_map, compute_map, run)
    return RunnerThunk(node, storage_map, compute_map, run)


# ----------------------------------------------------------------------------- linkers


class Linker:
    """The base of Theano's linkers: ``accept(fgraph)`` then ``make_thunk()`` /
    ``make_function()``; ``schedule(fgraph)`` gives the node order."""

    __module__ = "theano.gof.link"  # Theano's path: reprs and pickles

    allow_gc = True

    @property
    def maker_class(self):
        """The FunctionMaker a Mode with this linker compiles with (see the module
        docstring)."""
        return LinkerFunctionMaker

    def clone(self, allow_gc=undef):
        new = copy(self)
        if allow_gc is not undef:
            new.allow_gc = allow_gc
        return new

    def make_thunk(self):
        """(thunk, input containers, output containers): calling ``thunk()`` computes
        the outputs' containers from the inputs'."""
        raise MethodNotDefined("make_thunk", type(self), type(self).__name__)

    def make_function(self, unpack_single=True, **kwargs):
        """``fn(*input_values)``: the output value (one output, `unpack_single`) or the
        list of output values.  ``fn.thunk``, ``fn.inputs`` and ``fn.outputs`` are what
        ``make_thunk`` returned."""
        thunk, inputs, outputs = self.make_thunk(**kwargs)

        def execute(*args):
            if len(args) != len(inputs):
                takes = len(inputs)
                raise TypeError(f"Function call takes exactly {takes} "
                                f"{'arguments' if takes > 1 else 'argument'} "
                                f"({len(args)} given)")
            for arg, container in zip(args, inputs):
                container.data = arg
            thunk()
            values = [container.data for container in outputs]
            return to_return_values(values) if unpack_single else values

        execute.thunk = thunk
        execute.inputs = inputs
        execute.outputs = outputs
        return execute

    def schedule(self, fgraph):
        return fgraph.toposort()


def map_storage(fgraph, order, input_storage, output_storage, storage_map=None):
    """Make sure every variable that `order` (Apply nodes in running order) reads or
    writes has a cell; returns ``(input_storage, output_storage, storage_map)``.

    `input_storage` / `output_storage`: None (new cells) or one cell per input / output
    of `fgraph`; a given `storage_map` is completed (its cells must agree with the given
    storage).  Constants get a cell holding their data.
    """
    if storage_map is None:
        storage_map = {}
    if input_storage is None:
        input_storage = [[None] for _ in fgraph.inputs]
    elif len(input_storage) != len(fgraph.inputs):
        raise ValueError(f"map_storage: {len(input_storage)} input cells for "
                         f"{len(fgraph.inputs)} inputs")
    for var, cell in zip(fgraph.inputs, input_storage):
        if storage_map.setdefault(var, cell) is not cell:
            raise ValueError(f"Given input_storage conflicts with storage in given "
                             f"storage_map for {var}")
    if output_storage is not None:
        if len(output_storage) != len(fgraph.outputs):
            raise ValueError(f"map_storage: {len(output_storage)} output cells for "
                             f"{len(fgraph.outputs)} outputs")
        for var, cell in zip(fgraph.outputs, output_storage):
            if storage_map.setdefault(var, cell) is not cell:
                raise ValueError(f"Given output_storage conflicts with storage in given "
                                 f"storage_map for {var}")
    for node in order:
        for var in node.inputs:
            if var not in storage_map:
                if not isinstance(var, Constant):
                    raise ValueError(f"map_storage: {var} is read by {node} but is neither "
                                     "an input of the graph, a constant, nor computed "
                                     "before it")
                storage_map[var] = [var.data]
        for var in node.outputs:
            storage_map.setdefault(var, [None])
    for var in fgraph.outputs:
        if isinstance(var, Constant):
            storage_map.setdefault(var, [var.data])
    if output_storage is None:
        output_storage = [storage_map[var] for var in fgraph.outputs]
    return input_storage, output_storage, storage_map


def streamline(fgraph, thunks, order, post_thunk_old_storage=None, no_recycling=None,
               nice_errors=True):
    """One function running `thunks` (the thunks of the nodes `order`) in order.

    `post_thunk_old_storage`: per thunk, the cells to empty after it ran (garbage
    collection of intermediates); `no_recycling`: cells emptied before each run;
    `nice_errors`: a failure is re-raised by `raise_with_op` naming the node.
    """
    no_recycling = list(no_recycling or ())
    if len(thunks) != len(order):
        raise ValueError("Length of thunks and order must match", (len(thunks), len(order)))
    if post_thunk_old_storage:
        if len(thunks) != len(post_thunk_old_storage):
            raise ValueError("Length of thunks and post_thunk_old_storage must match",
                             (len(thunks), len(post_thunk_old_storage)))
        steps = list(zip(thunks, order, post_thunk_old_storage))

        def streamline_default_f():
            for cell in no_recycling:
                cell[0] = None
            for thunk, node, old_storage in steps:
                try:
                    thunk()
                except Exception:
                    _raise_with_op(node, thunk, None, None, fgraph)
                for cell in old_storage:
                    cell[0] = None

        return streamline_default_f
    if nice_errors:
        pairs = list(zip(thunks, order))

        def streamline_nice_errors_f():
            for cell in no_recycling:
                cell[0] = None
            for thunk, node in pairs:
                try:
                    thunk()
                except Exception:
                    _raise_with_op(node, thunk, None, None, fgraph)

        return streamline_nice_errors_f
    thunks = list(thunks)

    def streamline_fast_f():
        for cell in no_recycling:
            cell[0] = None
        for thunk in thunks:
            thunk()

    return streamline_fast_f


class LocalLinker(Linker):
    """A linker that keeps every node and runs one thunk per node: subclasses define
    ``make_all(input_storage, output_storage, storage_map)`` returning ``(fn, input
    containers, output containers, thunks, order)``."""

    __module__ = "theano.gof.link"  # Theano's path: reprs and pickles

    def make_thunk(self, input_storage=None, output_storage=None, storage_map=None):
        return self.make_all(input_storage=input_storage, output_storage=output_storage,
                             storage_map=storage_map)[:3]

    def make_all(self, input_storage=None, output_storage=None, storage_map=None):
        raise MethodNotDefined("make_all", type(self), type(self).__name__)


def gc_helper(node_list):
    """``(computed, last_user)``: the variables the nodes of `node_list` (in running
    order) compute, and for each variable read by them the last node reading it."""
    last_user = {}
    computed = set()
    for node in node_list:
        for var in node.inputs:
            last_user[var] = node
        computed.update(node.outputs)
    return computed, last_user


def add_clear_storage(f, computed, storage_map):
    """Give `f` a ``clear_storage()`` emptying the cells of the variables `computed`."""

    def clear_storage():
        for var in computed:
            storage_map[var][0] = None

    f.clear_storage = clear_storage


class PerformLinker(LocalLinker):
    """Runs each node of the graph through its Python implementation, in the order of
    ``schedule(fgraph)`` (the graph's toposort unless `schedule` is given).

    `allow_gc` (default: the ``allow_gc`` flag): empty an intermediate's cell after the
    last node reading it.
    """

    __module__ = "theano.gof.link"  # Theano's path: reprs and pickles

    _nice_errors = True

    def __init__(self, allow_gc=None, schedule=None):
        if allow_gc is None:
            allow_gc = config.allow_gc
        self.fgraph = None
        self.allow_gc = allow_gc
        self.no_recycling = []
        if schedule:
            self.schedule = schedule

    def accept(self, fgraph, no_recycling=None, profile=None):
        """Tie the linker to `fgraph` (a linker already tied to another graph returns
        a new one).  `no_recycling`: variables whose cells are emptied before each run."""
        if no_recycling is None:
            no_recycling = []
        if self.fgraph is not None and self.fgraph is not fgraph:
            new = type(self)(allow_gc=self.allow_gc)
            if "schedule" in self.__dict__:
                new.schedule = self.schedule
            new._compile_inner = getattr(self, "_compile_inner", None)
            return new.accept(fgraph, no_recycling, profile)
        self.fgraph = fgraph
        self.no_recycling = no_recycling
        return self

    def _thunks(self, order, storage_map, compute_map):
        compile_inner = getattr(self, "_compile_inner", None)
        thunks = []
        for node in order:
            thunk = make_node_thunk(node, storage_map, compute_map, self.no_recycling,
                                    "py", compile_inner)
            thunk.inputs = [storage_map[v] for v in node.inputs]
            thunk.outputs = [storage_map[v] for v in node.outputs]
            thunks.append(thunk)
        return thunks

    def make_all(self, input_storage=None, output_storage=None, storage_map=None):
        """``(fn, input containers, output containers, thunks, order)``; ``fn()`` runs
        every thunk (``fn.storage_map``, ``fn.allow_gc``, ``fn.clear_storage()``)."""
        fgraph = self.fgraph
        if fgraph is None:
            raise ValueError(f"{type(self).__name__}.make_all: accept(fgraph) first")
        order = self.schedule(fgraph)
        input_storage, output_storage, storage_map = map_storage(
            fgraph, order, input_storage, output_storage, storage_map)
        compute_map = {var: [var.owner is None] for var in storage_map}
        thunks = self._thunks(order, storage_map, compute_map)
        computed, last_user = gc_helper(order)
        post_thunk_old_storage = None
        if self.allow_gc:
            outputs = set(fgraph.outputs)
            post_thunk_old_storage = [
                [storage_map[v] for v in node.inputs
                 if v in computed and v not in outputs and last_user[v] is node]
                for node in order]
        no_recycling = self.no_recycling
        if no_recycling is True:
            inputs = {id(cell) for cell in input_storage}
            no_recycling = [cell for cell in storage_map.values() if id(cell) not in inputs]
        else:
            ins = set(fgraph.inputs)
            no_recycling = [storage_map[v] for v in no_recycling if v not in ins]
        f = streamline(fgraph, thunks, order, post_thunk_old_storage,
                       no_recycling=no_recycling, nice_errors=self._nice_errors)
        f.allow_gc = self.allow_gc
        add_clear_storage(f, computed, storage_map)
        f.storage_map = storage_map
        return (f,
                [Container(var, cell) for var, cell in zip(fgraph.inputs, input_storage)],
                [Container(var, cell, True) for var, cell in zip(fgraph.outputs,
                                                                 output_storage)],
                thunks,
                order)


class WrapLinker(Linker):
    """Runs several LocalLinkers side by side, node by node, through `wrapper`.

    ``wrapper(i, node, thunk_1, thunk_2, ...)`` is called for the i-th node with each
    linker's thunk for it; it decides what runs (call the thunks to compute).  Every
    linker has its own storage; the inputs given to the first are copied to the others
    before each run, and the outputs are the first linker's.  All linkers must run the
    nodes in the same order.
    """

    __module__ = "theano.gof.link"  # Theano's path: reprs and pickles

    def __init__(self, linkers, wrapper):
        self.fgraph = None
        self.linkers = linkers
        self.wrapper = wrapper
        self.no_recycling = []

    def __copy__(self):
        return self.__class__(linkers=[copy(lnk) for lnk in self.linkers],
                              wrapper=self.wrapper)

    def clone(self, allow_gc=undef):
        return self.__class__(linkers=[lnk.clone(allow_gc=allow_gc) for lnk in self.linkers],
                              wrapper=self.wrapper)

    def accept(self, fgraph, no_recycling=None, profile=None):
        if no_recycling is None:
            no_recycling = []
        if self.fgraph is not None and self.fgraph is not fgraph:
            return type(self)(self.linkers, self.wrapper).accept(fgraph, no_recycling)
        self.fgraph = fgraph
        self.no_recycling = no_recycling
        inner = getattr(self, "_compile_inner", None)
        for lnk in self.linkers:
            if inner is not None:
                lnk._compile_inner = inner
        self.linkers = [lnk.accept(fgraph, no_recycling) for lnk in self.linkers]
        return self

    def pre(self, f, inputs, order, thunk_groups):
        """Called before each run with the input values (override to inspect them)."""

    def make_thunk(self, **kwargs):
        no_recycling = self.no_recycling
        made = [self.linkers[0].make_all(**kwargs)]
        kwargs.pop("input_storage", None)
        made += [lnk.make_all(**kwargs) for lnk in self.linkers[1:]]
        fns, input_lists, output_lists, thunk_lists, order_lists = zip(*made, strict=True)
        for order in order_lists[1:]:
            if order != order_lists[0]:
                raise Exception("All linkers to WrapLinker should execute operations in "
                                "the same order.")
        inputs0 = input_lists[0]
        outputs0 = output_lists[0]
        thunk_groups = list(zip(*thunk_lists, strict=True))
        order = list(order_lists[0])
        to_reset = [thunk.outputs[j]
                    for thunks, node in zip(thunk_groups, order)
                    for j, out in enumerate(node.outputs) if out in no_recycling
                    for thunk in thunks]
        wrapper = self.wrapper
        pre = self.pre
        fgraph = self.fgraph

        def f():
            for inputs in input_lists[1:]:
                for first, other in zip(inputs0, inputs):
                    other.storage[0] = copy(first.storage[0])
            for cell in to_reset:
                cell[0] = None
            pre(self, [c.data for c in inputs0], order, thunk_groups)
            for i, (thunks, node) in enumerate(zip(thunk_groups, order)):
                try:
                    wrapper(i, node, *thunks)
                except Exception:
                    _raise_with_op(node, thunks[0], None, None, fgraph)

        f.thunk_groups = thunk_groups
        return f, inputs0, outputs0


def WrapLinkerMany(linkers, wrappers):
    """A WrapLinker whose wrapper calls each of `wrappers` in turn."""

    def wrapper(*args):
        for fn in wrappers:
            fn(*args)

    return WrapLinker(linkers, wrapper)


# ----------------------------------------------------------------------------- functions


class _LinkedRunner:
    """``runner(*input_values) -> output values`` over a linker's thunk: the body of a
    compiled function whose Mode has one of these linkers (see LinkerFunctionMaker).

    The thunk works in the linker's storage, so calls are serialised by a lock.  An
    output whose value is also an input's, a constant's or an earlier output's memory is
    copied, so the caller never holds an alias of those (Theano's deep copies).
    """

    def __init__(self, fgraph, thunk, input_containers, output_containers):
        self.inputs = list(fgraph.inputs)
        self.outputs = list(fgraph.outputs)
        self._thunk = thunk
        self._cells = [c.storage for c in input_containers]
        self._out_cells = [c.storage for c in output_containers]
        self._constants = [v.data for v in fgraph.variables if isinstance(v, Constant)]
        self._lock = threading.RLock()

    def __call__(self, *values):
        with self._lock:
            for cell, value in zip(self._cells, values, strict=True):
                cell[0] = value
            with np.errstate(all="ignore"):
                self._thunk()
            results = [cell[0] for cell in self._out_cells]
        given = list(values) + self._constants
        out = []
        for var, value in zip(self.outputs, results, strict=True):
            value = _as_output(var, value)
            if any(shares_memory(value, other) for other in given + out):
                value = value.copy() if isinstance(value, np.ndarray) else snapshot(value)
            out.append(value)
        return out


class LinkerFunctionMaker(FunctionMaker):
    """The FunctionMaker of a Mode whose linker is a Linker of this module or of
    theano.gof.vm / theano.gof.cc: the rewritten graph is linked by (a copy of) that
    linker, on the host.  ``maker.linker`` is the accepted linker, ``maker.vm`` the
    callable it made (the VM of a VM_Linker, with ``thunks``, ``storage_map``,
    ``allow_gc``...)."""

    def __init__(self, *args, **kwargs):
        if "backend" in kwargs:
            kwargs["backend"] = _backend.get("cpu")
        super().__init__(*args, **kwargs)

    @property
    def linker(self):
        return self.__dict__.get("_accepted_linker") or getattr(self.mode, "linker", None)

    def _link(self):
        fgraph = self.fgraph
        linker = copy(self.mode.linker)
        linker._compile_inner = inner_compiler(self.mode, self.backend)
        # The computed outputs' cells are emptied before each call (a perform that
        # reuses its output's memory must not overwrite what a caller kept); an output
        # that is an input or a constant keeps its cell.
        no_recycling = [v for v in dict.fromkeys(fgraph.outputs) if v.owner is not None]
        linker = linker.accept(fgraph, no_recycling=no_recycling,
                               profile=self.profile or None)
        accept_updates = getattr(linker, "accept_var_updates", None)
        if accept_updates is not None:
            # {input variable: the output holding its update}: the outputs after the
            # returned values are the update values (Theano's updated_vars).
            n_out = getattr(self, "n_outputs", len(fgraph.outputs))
            positions = getattr(self, "update_positions", None)
            if positions is None:
                by_id = {id(v): k for k, v in enumerate(fgraph.inputs)}
                positions = [by_id[id(t)] for t in getattr(self, "update_targets", ())
                             if id(t) in by_id]
            accept_updates({fgraph.inputs[k]: fgraph.outputs[n_out + j]
                            for j, k in enumerate(positions)
                            if n_out + j < len(fgraph.outputs)})
        thunk, ins, outs = linker.make_thunk()
        self.__dict__["_accepted_linker"] = linker
        self.vm = thunk
        self.runner = _LinkedRunner(fgraph, thunk, ins, outs)
        return evaluator_program(self.runner, self.name)

    def __getstate__(self):
        state = super().__getstate__()
        for key in ("_accepted_linker", "vm", "runner"):
            state.pop(key, None)
        return state


# Op.make_thunk (graph/op.py, a lower layer) reaches the thunks through this hook.
hooks.make_thunk.fill(base_make_thunk)
