"""Printing graphs: ``theano.pp`` (math-like text) and ``debugprint`` (one line per node)."""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import copy  # noqa: F401 - this import and the next ones marked so: names of Theano's module
import hashlib  # noqa: F401
import logging  # noqa: F401
import os  # noqa: F401
import re
import shutil
import sys
import threading
from functools import reduce  # noqa: F401
from io import StringIO  # noqa: F401

import numpy as np
from six import integer_types, iteritems, string_types  # noqa: F401

from . import gof, hooks  # noqa: F401
from .compile import Function, SharedVariable, debugmode  # noqa: F401
from .compile.debugmode import char_from_number
from .config import config  # noqa: F401
from .compile.compiled import CompiledFunction
from .compile.io import SymbolicInput, SymbolicOutput
from .graph.basic import Apply, Variable
from .graph.fgraph import FunctionGraph
from .graph.op import Op
from .scalar.composite import Composite
from .scan.op import Scan
from .tensor.elemwise import DimShuffle, Elemwise
from .tensor.math import Dot
from .tensor.subtensor import BaseIncSubtensor, BaseSubtensor, IncSubtensor
from .utils import Scratchpad

# pydot is optional, as in Theano: pydot-ng first, then pydot (with graphviz behind it).
pydot_imported = False
pydot_imported_msg = ""
try:
    import pydot_ng as pd

    if pd.find_graphviz():
        pydot_imported = True
    else:
        pydot_imported_msg = "pydot-ng can't find graphviz. Install graphviz."
except ImportError:
    try:
        import pydot as pd

        # Theano ran ``dot`` once here (pd.Dot.create) to see that graphviz works; looking
        # the program up costs microseconds instead of a process start at every import.
        if shutil.which("dot"):
            pydot_imported = True
        else:
            pydot_imported_msg = ("pydot can't find graphviz's `dot` program. Install "
                                  "graphviz (apt-get install graphviz, brew install graphviz "
                                  "or conda install graphviz).")
    except ImportError:
        pd = None
        pydot_imported_msg = ("Install the python package pydot or pydot-ng."
                              " Install graphviz.")
    except Exception as _exc:  # noqa: BLE001 - graphviz missing or broken: Theano's message
        pydot_imported_msg = ("An error happened while importing/trying pydot: "
                              + str(_exc.args))

_logger = logging.getLogger("theano.printing")
VALID_ASSOC = {"left", "right", "either"}

theano = sys.modules[__package__]  # Theano's module imported the package (star imports)

# ----------------------------------------------------------------------------- pp


_template = threading.local()  # .children: the variables a node's text refers to
_REF = re.compile("\x00([0-9]+)\x01")


def _pp(var):
    """Theano's pprint of one variable: leaves by name, every operator parenthesised.

    Names of intermediate results are not used (Theano only used them when printing a
    whole graph with ``process_graph``), so ``pp`` always shows the full expression.

    Inside `_pp_node` (which writes one node's text) this returns a placeholder for
    `var`; `_expand` then writes the texts out on a stack of its own, so a 10^5-deep
    chain prints without recursion, in time linear in the length of the text.
    """
    children = getattr(_template, "children", None)
    if children is not None:
        children.append(var)
        return f"\x00{len(children) - 1}\x01"
    return _expand(var)


def _expand(var):
    pieces = {}  # id(variable) -> its text as [str or Variable, ...] (built once)
    out = []
    stack = [var]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item.owner is None:
            out.append(str(item))
            continue
        parts = pieces.get(id(item))
        if parts is None:
            _template.children = children = []
            try:
                text = _pp_node(item)
            finally:
                _template.children = None
            split = _REF.split(text)  # text, ref, text, ref, ..., text
            parts = pieces[id(item)] = [p if k % 2 == 0 else children[int(p)]
                                        for k, p in enumerate(split) if p or k % 2]
        stack.extend(reversed(parts))
    return "".join(out)


def _pp_node(var):
    """The text of `var`'s node, its operands written with `_pp` (placeholders)."""
    node = var.owner
    if node is None:
        return str(var)
    op = node.op
    args = node.inputs
    # A fused node prints as Theano's default printer did: Elemwise{Composite{...}}(x, y).
    if isinstance(op, Elemwise) and not isinstance(op.scalar_op, Composite):
        return _pp_elemwise(op.scalar_op, [_pp(a) for a in args])
    if isinstance(op, DimShuffle):
        return _pp_dimshuffle(op.new_order, args[0])
    if isinstance(op, Dot):
        return f"({_pp(args[0])} \\dot {_pp(args[1])})"
    if isinstance(op, BaseSubtensor):
        return _pp_subtensor(op, args[0], args[1:])
    if isinstance(op, BaseIncSubtensor):
        return _pp_incsubtensor(op, args)
    return f"{op}({', '.join(_pp(a) for a in args)})"


def _pp_elemwise(sop, texts):
    """Theano's pprint of an elementwise op, as the op declares it (scalar/ops.py): its
    `pp_form`, else its operator (``(x + y)``, ``(-x)``), else a call ``name(args)``."""
    form = getattr(sop, "pp_form", None)
    if form is not None:
        return form.format(*texts)
    symbol = getattr(sop, "symbol", None)
    if symbol is not None:
        if len(texts) == 1:
            return f"({symbol}{texts[0]})"
        return "(" + f" {symbol} ".join(texts) + ")"
    return f"{sop.name}({', '.join(texts)})"


def _pp_dimshuffle(new_order, inner):
    """Theano's DimShufflePrinter: added broadcast dims are silent, a full reversal is .T."""
    return _dimshuffle_text(new_order, inner.type.ndim, _pp(inner))


def _dimshuffle_text(new_order, ndim, inner_text):
    order = list(new_order)
    while order and order[0] == "x":
        order = order[1:]
    if order == list(range(ndim)):
        return inner_text
    if order == list(reversed(range(ndim))):
        return f"{inner_text}.T"
    return f"DimShuffle{{{', '.join(map(str, order))}}}({inner_text})"


def _pp_subtensor(op, x, inputs):
    """Indexing as Theano 1.0.5 printed it, which depends on the graph Theano built."""
    spec = op.idx_list
    advs = [k for k, e in enumerate(spec) if e[0] == "adv"]
    if not advs:
        return _basic_subtensor_text(spec, x, inputs)
    arrays = _index_inputs(spec, inputs)
    if any(arrays[k].type.dtype == "bool" for k in advs):
        name = "AdvancedBooleanSubtensor"
    else:
        axis = advs[0]
        if len(advs) == 1 and all(e == ("slice", None, None, None)
                                  for k, e in enumerate(spec) if k != axis):
            return _take_text(x, arrays[axis], axis)
        name = "AdvancedSubtensor"
    index_texts = ", ".join(_advanced_arg_text(e, arrays[k]) for k, e in enumerate(spec))
    return f"{name}({_pp(x)}, {index_texts})"


def _index_inputs(spec, inputs):
    """Per spec entry: its input variable (adv and symbolic int) or the list of slice inputs."""
    it = iter(inputs)
    out = []
    for entry in spec:
        if entry[0] == "slice":
            out.append([next(it) if f == "v" else f for f in entry[1:]])
        elif entry[0] == "adv" or entry == ("int", "v"):
            out.append(next(it))
        else:
            out.append(None)
    return out


def _basic_subtensor_text(spec, x, inputs):
    """``x[...]`` for basic indexing (Theano's SubtensorPrinter).

    Theano kept slice bounds as scalar *types*, so ``x[1:3]`` printed ``x[int64:int64]``.
    An integer entry printed the index input it took from the *end* of the node's index
    inputs (constants as ``Constant{c}``, variables as ``ScalarFromTensor(i)``), so
    ``x[i, j]`` printed ``x[ScalarFromTensor(j), ScalarFromTensor(i)]``.  ``None`` entries
    were a DimShuffle of x, indexed with ``:``.
    """
    it = iter(inputs)
    theano_inputs = []  # the node's index inputs in Theano's graph, as printed
    entries = []
    for entry in spec:
        kind = entry[0]
        fields = entry[1:] if kind == "slice" else entry[1:2] if kind == "int" else ()
        types = []
        for f in fields:
            if f is None:
                types.append("")
            elif f == "v":
                v = next(it)
                types.append(str(v.type.dtype))
                theano_inputs.append(f"ScalarFromTensor({_pp(v)})")
            else:
                types.append("int64")
                theano_inputs.append(f"Constant{{{f}}}")
        entries.append((kind, types))
    parts = []
    for kind, types in entries:
        if kind == "slice":
            parts.append(f"{types[0]}:{types[1]}" + (f":{types[2]}" if types[2] else ""))
        elif kind == "int":
            parts.append(theano_inputs.pop())
        else:
            parts.append(":")
    pattern, dim = [], 0
    for entry in spec:
        if entry[0] == "newaxis":
            pattern.append("x")
        else:
            pattern.append(dim)
            dim += 1
    pattern += list(range(dim, x.type.ndim))
    return f"{_dimshuffle_text(pattern, x.type.ndim, _pp(x))}[{', '.join(parts)}]"


def _take_text(x, idx, axis):
    """Theano's ``take``: one integer array at `axis`, full slices elsewhere."""
    ndim = x.type.ndim
    if idx.type.ndim == 1:
        return _take1_text(_pp(x), ndim, _pp(idx), axis)
    flat = f"Reshape{{1}}({_pp(idx)}, TensorConstant{{(1,) of -1}})"
    taken = _take1_text(_pp(x), ndim, flat, axis)
    shape = ([f"Shape({_pp(x)})[:int64]"] if axis else []) + [
        f"Shape({_pp(idx)})", f"Shape({_pp(x)})[int64:]"]
    return (f"Reshape{{{ndim + idx.type.ndim - 1}}}({taken}, "
            f"join(TensorConstant{{0}}, {', '.join(shape)}))")


def _take1_text(x_text, ndim, idx_text, axis):
    if axis == 0:
        return f"AdvancedSubtensor1({x_text}, {idx_text})"
    swap = list(range(ndim))
    swap[0], swap[axis] = axis, 0
    inner = f"AdvancedSubtensor1({_dimshuffle_text(swap, ndim, x_text)}, {idx_text})"
    return _dimshuffle_text(swap, ndim, inner)


def _pp_incsubtensor(op, args):
    """set/inc_subtensor with the index inputs Theano's node had (printed as a call)."""
    x, y, inputs = args[0], args[1], args[2:]
    spec = op.idx_list
    if isinstance(op, IncSubtensor):
        it = iter(inputs)
        types, index_args = [], []
        for entry in spec:
            fields = []
            for f in entry[1:]:
                if f is None:
                    fields.append("")
                elif f == "v":
                    v = next(it)
                    fields.append(str(v.type.dtype))
                    index_args.append(f"ScalarFromTensor({_pp(v)})")
                else:
                    fields.append("int64")
                    index_args.append(f"Constant{{{f}}}")
            types.append(":".join(fields) if entry[0] == "slice" else fields[0])
        mode = "Set" if op.set_instead_of_inc else "Inc"
        name = f"IncSubtensor{{{mode};{', '.join(types)}}}"
    else:
        arrays = _index_inputs(spec, inputs)
        name = str(op)
        index_args = [_advanced_arg_text(e, arrays[k]) for k, e in enumerate(spec)]
    return f"{name}({', '.join([_pp(x), _pp(y)] + index_args)})"


def _advanced_arg_text(entry, value):
    """One index argument of Theano's AdvancedSubtensor node."""
    kind = entry[0]
    if kind == "adv" or entry == ("int", "v"):
        return _pp(value)
    if kind == "int":
        return f"TensorFromScalar(Constant{{{entry[1]}}})"
    if kind == "newaxis":
        return "NoneConst"
    fields = ["NoneConst" if f is None else f"TensorFromScalar(Constant{{{f}}})"
              if isinstance(f, int) else _pp(f) for f in value]
    return f"MakeSlice({', '.join(fields)})"


def _builtin_pp(*args):
    """Pretty-print a variable as a math-like expression: ``((x * w) + b)``."""
    var = args[0] if len(args) == 1 else args[-1]
    if isinstance(var, Apply):
        var = var.default_output()
    if isinstance(var, (list, tuple)):
        return "\n".join(_builtin_pp(v) for v in var)
    return _pp(var)


# ----------------------------------------------------------------------------- PPrinter


class PrinterState(Scratchpad):
    """The state a pretty-printer passes down: ``pprinter``, ``precedence`` and ``memo`` (a
    dict from each variable already printed to its text)."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self, props=None, **more_props):
        if isinstance(props, Scratchpad):
            self.__dict__.update(props.__dict__)
        elif props is not None:
            self.__dict__.update(props)
        self.__dict__.update(more_props)
        self.memo = {}


def _owner_of(output, what):
    node = output.owner
    if node is None:
        raise TypeError(f"{what} cannot represent a variable that is not the result of an "
                        "operation")
    return node


def _process_at(pstate, var, precedence):
    old = getattr(pstate, "precedence", None)
    pstate.precedence = precedence
    try:
        return pstate.pprinter.process(var, pstate)
    finally:
        pstate.precedence = old


class OperatorPrinter:
    """Prints a node as an infix (or, with one input, prefix) operator, parenthesised."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self, operator, precedence, assoc="left"):
        self.operator = operator
        self.precedence = precedence
        self.assoc = assoc
        assert self.assoc in VALID_ASSOC

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = _owner_of(output, f"operator {self.operator}")
        last = len(node.inputs) - 1
        texts = []
        for i, var in enumerate(node.inputs):
            precedence = self.precedence
            if (self.assoc == "left" and i != 0) or (self.assoc == "right" and i != last):
                precedence += 1e-6
            texts.append(_process_at(pstate, var, precedence))
        text = self.operator + texts[0] if len(texts) == 1 else \
            f" {self.operator} ".join(texts)
        pstate.memo[output] = result = f"({text})"
        return result


class PatternPrinter:
    """Prints output k of a node with the k-th %-pattern, ``%(0)s`` being input 0's text."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self, *patterns):
        self.patterns = []
        for pattern in patterns:
            if isinstance(pattern, str):
                self.patterns.append((pattern, ()))
            else:
                self.patterns.append((pattern[0], tuple(pattern[1:])))

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = _owner_of(output, f"Patterns {self.patterns}")
        pattern, precedences = self.patterns[node.outputs.index(output)]
        precedences = precedences + (1000,) * len(node.inputs)
        texts = {str(i): _process_at(pstate, var, prec)
                 for i, (var, prec) in enumerate(zip(node.inputs, precedences))}
        pstate.memo[output] = result = pattern % texts
        return result


class FunctionPrinter:
    """Prints output k of a node as a call ``names[k](inputs...)``."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self, *names):
        self.names = names

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = _owner_of(output, f"function {self.names}")
        name = self.names[node.outputs.index(output)]
        args = ", ".join(_process_at(pstate, var, -1000) for var in node.inputs)
        pstate.memo[output] = result = f"{name}({args})"
        return result


class IgnorePrinter:
    """Prints a node as its first input (the node itself is invisible)."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = _owner_of(output, "IgnorePrinter")
        pstate.memo[output] = result = "%s" % pstate.pprinter.process(node.inputs[0], pstate)
        return result


class LeafPrinter:
    """Prints a variable by its name (Greek letter names as LaTeX) or its str."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        result = greek[output.name] if output.name in greek else str(output)
        pstate.memo[output] = result
        return result


leaf_printer = LeafPrinter()


class DefaultPrinter:
    """Prints a node as ``op(inputs...)``, a leaf with `leaf_printer`."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        node = output.owner
        if node is None:
            return leaf_printer.process(output, pstate)
        args = ", ".join(_process_at(pstate, var, -1000) for var in node.inputs)
        pstate.memo[output] = result = f"{node.op}({args})"
        return result


default_printer = DefaultPrinter()


class _BuiltinPrinter:
    """The printer of `pprint` for every graph no assigned printer claims: this project's
    rendering of Theano's printers (operators, DimShuffle, Subtensor...) of the whole
    sub-graph (printers assigned later do not apply below it)."""

    def process(self, output, pstate):
        if output in pstate.memo:
            return pstate.memo[output]
        pstate.memo[output] = result = _builtin_pp(output)
        return result


class PPrinter:
    """A pretty-printer: printers chosen by the node's Op (instance or class, `assign`) or by
    conditions ``condition(pstate, variable)`` (the last assigned is tried first)."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self):
        self.printers = []
        self.printers_dict = {}

    def assign(self, condition, printer):
        if isinstance(condition, (Op, type)):
            self.printers_dict[condition] = printer
            return
        self.printers.insert(0, (condition, printer))

    def process(self, r, pstate=None):
        if pstate is None:
            pstate = PrinterState(pprinter=self)
        elif isinstance(pstate, dict):
            pstate = PrinterState(pprinter=self, **pstate)
        owner = getattr(r, "owner", None)
        if owner is not None:
            for key in (owner.op, type(owner.op)):
                try:
                    printer = self.printers_dict.get(key)
                except TypeError:  # an unhashable Op
                    printer = None
                if printer is not None:
                    return printer.process(r, pstate)
        for condition, printer in self.printers:
            if condition(pstate, r):
                return printer.process(r, pstate)
        return None

    def clone(self):
        cp = copy.copy(self)
        cp.printers = list(self.printers)
        cp.printers_dict = dict(self.printers_dict)
        return cp

    def clone_assign(self, condition, printer):
        cp = self.clone()
        cp.assign(condition, printer)
        return cp

    def process_graph(self, inputs, outputs, updates=None, display_inputs=False):
        """The graph as statements: ``name = expr`` for named results, ``x <- expr`` for
        updates, ``return expr`` for a single output."""
        updates = {} if updates is None else dict(updates)
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        current = [None]
        strings = []
        if display_inputs:
            strings.append((0, "inputs: " + ", ".join(map(str, inputs + list(updates)))))
        pprinter = self.clone_assign(
            lambda pstate, r: r.name is not None and r is not current[0], leaf_printer)
        inv_updates = {b: a for a, b in updates.items()}
        i = 1
        for node in gof.graph.io_toposort(inputs + list(updates),
                                          outputs + list(updates.values())):
            for output in node.outputs:
                if output in inv_updates:
                    strings.append((i + 1000, f"{inv_updates[output]} <- "
                                              f"{pprinter.process(output)}"))
                    i += 1
                if output.name is not None or output in outputs:
                    name = output.name if output.name is not None else \
                        "out[%i]" % outputs.index(output)
                    current[0] = output
                    idx = 2000 + outputs.index(output) if output in outputs else i
                    if len(outputs) == 1 and outputs[0] is output:
                        strings.append((idx, f"return {pprinter.process(output)}"))
                    else:
                        strings.append((idx, f"{name} = {pprinter.process(output)}"))
                    i += 1
        strings.sort(key=lambda item: item[0])
        return "\n".join(text for _, text in strings)

    def __call__(self, *args):
        if len(args) == 1:
            if isinstance(args[0], (list, tuple)):
                return "\n".join(self(v) for v in args[0])
            if isinstance(args[0], Apply):
                return self.process(args[0].default_output())
            return self.process(*args)
        if len(args) == 2 and isinstance(args[1], (PrinterState, dict)):
            return self.process(*args)
        if len(args) > 2:
            return self.process_graph(*args)
        raise TypeError("Not enough arguments to call.")


use_ascii = True
special = dict(middle_dot="\\dot", big_sigma="\\Sigma")
greek = dict(alpha="\\alpha", beta="\\beta", gamma="\\gamma", delta="\\delta",
             epsilon="\\epsilon")

pprint = PPrinter()
pprint.assign(lambda pstate, r: True, _BuiltinPrinter())
pp = pprint

# ----------------------------------------------------------------------------- debugprint


def _char_id(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _roots(obj, print_storage=False):
    """(variable, toposort or None, graph or None, storage map or None) for each graph `obj`
    holds, in Theano's order."""
    items = obj if isinstance(obj, (list, tuple, set)) else [obj]
    roots = []
    for item in items:
        if isinstance(item, (CompiledFunction, Function)):
            fg = item.maker.fgraph
            order = fg.toposort()
            smap = getattr(getattr(item, "fn", None), "storage_map", None) \
                if print_storage else None
            roots.extend((o, order, fg, smap) for o in fg.outputs)
        elif isinstance(item, FunctionGraph):
            order = item.toposort()
            smap = getattr(item, "storage_map", None)
            roots.extend((o, order, item, smap) for o in item.outputs)
        elif isinstance(item, Apply):
            roots.extend((o, None, None, None) for o in item.outputs)
        elif isinstance(item, Variable):
            roots.append((item, None, None, None))
        elif isinstance(item, (SymbolicInput, SymbolicOutput)):
            roots.append((item.variable, None, None, None))
        elif isinstance(item, (int, float, np.ndarray)):
            roots.append((item, None, None, None))
        else:
            raise TypeError("debugprint cannot print an object of this type", item)
    return roots


def _clients_of(var, fgraph):
    """[(node or 'output', index)] of `var` in `fgraph` (or the variable's own list)."""
    if fgraph is not None:
        clients = fgraph.clients
        try:
            return list(clients(var) if callable(clients) else clients[var])
        except (KeyError, TypeError):
            return []
    return list(getattr(var, "clients", None) or [])


def debugprint(obj, depth=-1, print_type=False, file=None, ids="CHAR", stop_on_name=False,
               done=None, print_storage=False, print_clients=False, used_ids=None):
    """Print one line per node, children indented with `` |`` (Theano's exact layout).

    ``ids`` is ``"CHAR"`` (``[id A]``), ``"int"`` (``[id 0]``), ``"id"`` (Python ids) or
    ``""``.  A node reached a second time is printed without its inputs.  ``file='str'``
    returns the text; a file object is written to and returned; ``None`` prints.
    ``print_storage`` adds each variable's storage cell of a compiled function
    (``[None]`` once freed); ``print_clients`` adds, for a result with several clients in
    the function's graph, ``clients:[(id, position)...]``.
    """
    lines = []
    done = {} if done is None else done
    used = {}  # Theano resets used_ids on every call, whatever the caller passes

    def ident(key, obj):
        if key == "output":
            used.setdefault(key, "output")
        if key not in used:
            if ids == "CHAR":
                used[key] = f"[id {_char_id(len(used))}]"
            elif ids == "int":
                used[key] = f"[id {len(used)}]"
            elif ids == "id":
                used[key] = f"[id {id(obj)}]"
            else:
                used[key] = ""
        return used[key]

    positions = {}  # id(order) -> {node: its position in order}
    scan_ops = []  # the Scan outputs met, in Theano's order: their inner graphs follow

    def walk(root, order, fgraph, smap, prefix="", prefix_child="", inner_to_outer=None,
             collect_root=True):
        # Depth first, inputs in order, on a stack of its own (no recursion limit); each
        # line is indented by its depth, so a chain n deep prints O(n^2) characters.
        if order:
            pos_of = positions.get(id(order))
            if pos_of is None:
                pos_of = positions[id(order)] = {n: k for k, n in enumerate(order)}
        stack = [(root, prefix, prefix_child, depth, collect_root)]
        while stack:
            v, prefix, prefix_child, depth_left, collect = stack.pop()
            node = v.owner
            if collect and node is not None and isinstance(node.op, Scan):
                scan_ops.append(v)
            if depth_left == 0:
                continue
            type_text = f" <{v.type}>" if print_type else ""
            if node is None:
                outer = inner_to_outer.get(id(v)) if inner_to_outer else None
                if outer is not None:
                    # An input of a scan's inner graph: the id of the outer input it is.
                    outer_key = outer if outer.owner is None else outer.owner
                    lines.append(f"{prefix}{v} {ident(id(v), v)}{type_text} -> "
                                 f"{ident(id(outer_key), outer_key)}")
                    continue
                data = f" {smap.get(v, '')}" if smap else ""
                lines.append(f"{prefix}{v} {ident(id(v), v)}{type_text}{data}")
                continue
            already = id(node) in done
            id_str = ident(id(node), v)
            done[id(node)] = id_str
            out_idx = f".{node.outputs.index(v)}" if len(node.outputs) > 1 else ""
            pos = ""
            if order:
                pos = str(pos_of[node] if node in pos_of else order.index(node))
            name = v.name or ""
            data = f" {smap.get(node.outputs[0], '')}" if smap else ""
            clients = ""
            if print_clients:
                users = _clients_of(v, fgraph)
                if len(users) > 1:
                    clients = " clients:" + str([
                        (ident("output", None), "") if c == "output" else
                        (ident(id(c), c), pos_of.get(c, "") if order else "")
                        for c, _ in users])
            # Theano's template: op, index, id, type, 'name', destroy map, view map, position.
            lines.append(f"{prefix}{node.op}{out_idx} {id_str}{type_text} '{name}'   {pos}"
                         f"{data}{clients}")
            if already or (stop_on_name and v.name is not None):
                continue
            last = len(node.inputs) - 1
            for k in range(last, -1, -1):
                stack.append((node.inputs[k], prefix_child + " |",
                              prefix_child + ("  " if k == last else " |"), depth_left - 1,
                              True))

    for root, order, fgraph, smap in _roots(obj, print_storage):
        if isinstance(root, Variable):
            walk(root, order, fgraph, smap)
        else:
            lines.append(str(root))
    if scan_ops:
        # Theano's section: each scan node again, then its inner graph's outputs (prefix
        # " >"), the inner inputs pointing at the outer inputs they stand for (the graph
        # its loop compiled, once compiled; else the graph scan built).
        lines.append("")
        lines.append("Inner graphs of the scan ops:")
        for s in scan_ops:  # (the list grows while it is walked: nested scans)
            op = s.owner.op
            compiled = op.__dict__.get("_fn")
            inner = compiled.maker.fgraph if compiled is not None else op
            outer_inputs = s.owner.inputs
            inner_to_outer = {
                id(inner.inputs[i]): outer_inputs[o]
                for i, o in op.var_mappings["outer_inp_from_inner_inp"].items()}
            lines.append("")
            walk(s, None, None, None, inner_to_outer=inner_to_outer, collect_root=False)
            for out in inner.outputs:
                walk(out, None, None, None, " >", " >", inner_to_outer)
    text = "".join(line + "\n" for line in lines)
    if file == "str":
        return text
    if file is None:
        sys.stdout.write(text)
        return None
    file.write(text)
    return file


def _print_fn(op, xin):
    """Print's default action: print ``message attr = value`` for each attr."""
    for attr in op.attrs:
        value = getattr(xin, attr)
        if callable(value):
            value = value()
        print(op.message, attr, "=", value)


class Print:
    """An identity op that prints its input's value when computed (theano.printing.Print):
    ``global_fn(op, value)`` runs each time (by default it prints ``message attr = value``
    for each of `attrs`, calling the callable ones)."""

    __module__ = "theano.printing"  # Theano's path: reprs and pickles

    def __init__(self, message="", attrs=("__str__",), global_fn=_print_fn):
        self.message = message
        self.attrs = tuple(attrs)
        self.global_fn = global_fn

    def __call__(self, x):
        return _PrintOp(self.message, self.attrs, self.global_fn)(x)


class _PrintOp(Op):
    __props__ = ("message", "attrs", "global_fn")
    view_map = {0: [0]}

    def __init__(self, message, attrs, global_fn=_print_fn):
        self.message = message
        self.attrs = tuple(attrs)
        self.global_fn = global_fn

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage, params=None):
        (x,) = inputs
        output_storage[0][0] = x
        self.global_fn(self, x)

    def L_op(self, inputs, outputs, grads):
        return grads

    def R_op(self, inputs, eval_points):
        return list(eval_points)

    def __setstate__(self, state):
        state.setdefault("global_fn", _print_fn)
        self.__dict__.update(state)

    def __str__(self):
        return "Print"


# ----------------------------------------------------------------------------- pydotprint

default_colorCodes = {"GpuFromHost": "red", "HostFromGpu": "red", "Scan": "yellow",
                      "Shape": "brown", "IfElse": "magenta", "Elemwise": "#FFAABB",
                      "Subtensor": "#FFAAFF", "Alloc": "#FFAA22", "Output": "blue"}


def _graph_of(fct):
    """(outputs, toposort, fgraph, profile) of a compiled function, FunctionGraph,
    Variable(s) or Apply (Theano's pydotprint accepted all of these)."""
    if isinstance(fct, (Function, CompiledFunction)):
        fgraph = fct.maker.fgraph
        return list(fgraph.outputs), fgraph.toposort(), fgraph, getattr(fct, "profile", None)
    if isinstance(fct, FunctionGraph):
        return list(fct.outputs), fct.toposort(), fct, None
    if isinstance(fct, Variable):
        fct = [fct]
    elif isinstance(fct, Apply):
        fct = fct.outputs
    if not isinstance(fct, (list, tuple)) or not all(isinstance(v, Variable) for v in fct):
        raise TypeError("pydotprint prints a compiled function, a FunctionGraph, an Apply "
                        "or Variables", fct)
    fgraph = FunctionGraph(gof.graph.inputs(list(fct)), list(fct))
    return list(fgraph.outputs), fgraph.toposort(), fgraph, None


def _require_pydot():
    if not pydot_imported:
        raise _PydotMissing(
            "Failed to import pydot. You must install graphviz and either pydot or pydot-ng "
            "for `pydotprint` to work (pip install \"theano-compat[pydot]\", and graphviz's "
            "`dot` program: apt-get install graphviz, brew install graphviz or conda install "
            "graphviz).", pydot_imported_msg)


def pydotprint(fct, outfile=None, compact=True, format="png", with_ids=False,
               high_contrast=True, cond_highlight=None, colorCodes=None,
               max_label_size=70, scan_graphs=False, var_with_name_simple=False,
               print_output_file=True, return_image=False):
    """Draw the graph of `fct` (a compiled function, FunctionGraph, Variable(s) or Apply)
    with pydot and graphviz's ``dot``, both optional (``pip install
    "theano-compat[pydot]"`` and the graphviz package), as Theano 1.0.5 drew it: Apply
    nodes are ellipses labelled with their Op (filled with `colorCodes`' colour when the
    Op's class name contains a key), variables are boxes (inputs green, shared
    variables cyan, outputs blue, unused results grey); with `compact`, unnamed
    intermediate results are edges labelled with their type.  Edges of an input an Op
    views are blue, of one it destroys red; an update edge links a shared variable to
    its new value.  Writes `outfile` (default ``compiledir/theano.pydotprint.<device>.
    <format>``; any format dot writes: png, svg, dot, pdf...) or, with `return_image`,
    returns the image's bytes.  Raises an ImportError (also a RuntimeError, as Theano's
    error was) naming what to install when pydot or ``dot`` is missing."""
    colorCodes = default_colorCodes if colorCodes is None else colorCodes
    if outfile is None:
        outfile = os.path.join(config.compiledir,
                               f"theano.pydotprint.{config.device}.{format}")
    outputs, topo, fgraph, profile = _graph_of(fct)
    _require_pydot()
    g = pd.Dot()
    clusters = _cond_clusters(topo, cond_highlight)
    var_str, var_id, all_strings = {}, {}, set()
    input_update = {}
    if isinstance(fct, (Function, CompiledFunction)):
        pairs = list(zip(fct.maker.expanded_inputs, fct.maker.fgraph.inputs))
        for i, fg_input in reversed(pairs):
            if getattr(i, "update", None) is not None:
                input_update[outputs.pop()] = fg_input

    def clip(text):
        return text[:max_label_size - 3] + "..." if len(text) > max_label_size else text

    def var_name(var):
        if var in var_str:
            return var_str[var], var_id[var]
        if var.name is not None:
            text = var.name if var_with_name_simple else f"name={var.name} {var.type}"
        elif hasattr(var, "data") and var.owner is None:
            data = "val=" + str(np.asarray(var.data))
            text = f"{data.split(chr(10))[0]} {var.type}"
        elif var in input_update and input_update[var].name is not None:
            text = input_update[var].name + ("" if var_with_name_simple else str(var.type))
        else:
            text = str(var.type)
        var_str[var] = clip(text)
        var_id[var] = str(id(var))
        all_strings.add(var_str[var])
        return var_str[var], var_id[var]

    apply_str, apply_id = {}, {}

    def apply_name(node):
        if node in apply_str:
            return apply_str[node], apply_id[node]
        text = str(node.op).replace(":", "_") + _profile_text(profile, node)
        if text in all_strings or with_ids:
            idx = f" id={topo.index(node)}"
            text = (text[:max_label_size - 3 - len(idx)] + idx + "...") \
                if len(text) + len(idx) > max_label_size else text + idx
        elif len(text) > max_label_size:
            text = text[:max_label_size - 3] + "..."
            k = 1
            while text in all_strings:
                k += 1
                suffix = f" id={k}"
                text = text[:max_label_size - 3 - len(suffix)] + "..." + suffix
        all_strings.add(text)
        apply_str[node], apply_id[node] = text, str(id(node))
        return text, apply_id[node]

    def var_node(var_id_, label, color, result=False):
        # (pydot writes attributes in the order given: Theano's order, kept exactly)
        if color is None:
            return pd.Node(var_id_, shape="box", label=label)
        if not high_contrast:
            return pd.Node(var_id_, color=color, label=label, shape="box")
        if result:
            return pd.Node(var_id_, style="filled", label=label, fillcolor=color, shape="box")
        return pd.Node(var_id_, style="filled", fillcolor=color, label=label, shape="box")

    for node in topo:
        astr, aid = apply_name(node)
        color = None
        for op_name, c in colorCodes.items():
            if op_name in type(node.op).__name__:
                color = c
        if color is None:
            apply_node = pd.Node(aid, label=astr, shape="ellipse")
        elif high_contrast:
            apply_node = pd.Node(aid, label=astr, style="filled", fillcolor=color,
                                 shape="ellipse")
        else:
            apply_node = pd.Node(aid, label=astr, color=color, shape="ellipse")
        g.add_node(apply_node)
        for side, members in clusters:
            if node in members:
                side.add_node(apply_node)
                break
        viewed = [i for v in getattr(node.op, "view_map", {}).values() for i in v]
        destroyed = [i for v in getattr(node.op, "destroy_map", {}).values() for i in v]
        for idx, var in enumerate(node.inputs):
            varstr, varid = var_name(var)
            label = str(idx) if len(node.inputs) > 1 else ""
            param = {"label": label} if label else {}
            if idx in viewed:
                param["color"] = colorCodes["Output"]
            elif idx in destroyed:
                param["color"] = "red"
            if var.owner is None:
                kind = "cyan" if isinstance(var, SharedVariable) else "green"
                g.add_node(var_node(varid, varstr, kind))
                g.add_edge(pd.Edge(varid, aid, **param))
            elif var.name or not compact or var in outputs:
                g.add_edge(pd.Edge(varid, aid, **param))
            else:
                param["label"] = clip((label + " " if label else "") + str(var.type))
                g.add_edge(pd.Edge(apply_name(var.owner)[1], aid, **param))
        for idx, var in enumerate(node.outputs):
            varstr, varid = var_name(var)
            label = clip(str(idx)) if len(node.outputs) > 1 else ""
            param = {"label": label} if label else {}
            if var in outputs or var in input_update:
                g.add_edge(pd.Edge(aid, varid, **param))
                g.add_node(var_node(varid, varstr, colorCodes["Output"], result=True))
            elif not fgraph.clients(var):
                g.add_edge(pd.Edge(aid, varid, **param))
                g.add_node(var_node(varid, varstr, "grey", result=True))  # nobody uses it
            elif var.name or not compact:
                if compact:
                    param["label"] = clip((label + " " if label else "") + str(var.type))
                g.add_edge(pd.Edge(aid, varid, **param))
                g.add_node(var_node(varid, varstr, None))
    for shared, update in input_update.items():
        g.add_edge(pd.Edge(var_name(shared)[1], var_name(update)[1], label="UPDATE",
                           color=colorCodes["Output"]))
    for side, _members in clusters:
        g.add_subgraph(side)
    if not outfile.endswith("." + format):
        outfile += "." + format
    if scan_graphs:
        _print_scan_graphs(topo, outfile, compact, format, with_ids, high_contrast,
                           cond_highlight, colorCodes, max_label_size, scan_graphs)
    try:
        if return_image:
            return g.create(prog="dot", format=format)
        g.write(outfile, prog="dot", format=format)
    except (FileNotFoundError, OSError) as exc:
        if isinstance(exc, FileNotFoundError) or "dot" in str(exc):
            raise _DotMissing("pydotprint needs graphviz's `dot` program on the PATH to "
                              f"write {format} (apt-get install graphviz, brew install "
                              "graphviz or conda install graphviz)") from exc
        raise
    if print_output_file:
        print("The output file is available at", outfile)
    return None


def _profile_text(profile, node):
    """Theano's ``   (time s,share %)`` after an Op's label when the function profiles."""
    if not profile:
        return ""
    seconds = profile.apply_time.get(node, 0)
    share = 0 if profile.fct_callcount == 0 or profile.fct_call_time == 0 else \
        seconds * 100 / profile.fct_call_time
    return f"   ({seconds:.3f}s,{share:.3f}%)"


def _cond_clusters(topo, cond_highlight):
    """[(pydot cluster, nodes)] of the left, right and shared branches of the IfElse
    named `cond_highlight` (empty when there is none)."""
    if cond_highlight is None:
        return []
    cond = None
    for node in topo:
        if type(node.op).__name__ == "IfElse" and node.op.name == cond_highlight:
            cond = node
    if cond is None:
        _logger.warning("pydotprint: cond_highlight is set but there is no IfElse node in "
                        "the graph")
        return []

    def ancestors(var):
        seen, stack = set(), [var]
        while stack:
            v = stack.pop()
            if v.owner is not None and v.owner not in seen:
                seen.add(v.owner)
                stack.extend(v.owner.inputs)
        return seen

    left, right = ancestors(cond.inputs[1]), ancestors(cond.inputs[2])
    middle = left & right
    return [(pd.Cluster("Left"), left - middle), (pd.Cluster("Right"), right - middle),
            (pd.Cluster("Middle"), middle)]


def _print_scan_graphs(topo, outfile, *options):
    """One more file per Scan node: its inner graph, ``<base>_<scan name>_<index>.<ext>``."""
    path, fn = os.path.split(outfile)
    base = ".".join(fn.split(".")[:-1])
    ext = fn[len(base):]
    for idx, node in enumerate(topo):
        if not isinstance(node.op, Scan):
            continue
        name = getattr(node.op, "name", None)
        new_name = f"{base}_{name}_{idx}" if name is not None else f"{base}_{idx}"
        inner = getattr(node.op, "fn", None) or node.op.outputs
        pydotprint(inner, os.path.join(path, new_name + ext), *options)


class _PydotMissing(RuntimeError, ImportError):
    """pydotprint without pydot: Theano raised RuntimeError; ImportError says what is
    missing."""


class _DotMissing(RuntimeError):
    """pydot is there but graphviz's ``dot`` program is not."""


# ----------------------------------------------------------------------------- short strings


class _TagGenerator:
    """Short tags A, B, ... Z, BA, ... for min_informative_str and var_descriptor."""

    def __init__(self):
        self.cur_tag_number = 0

    def get_tag(self):
        tag = char_from_number(self.cur_tag_number)
        self.cur_tag_number += 1
        return tag


def min_informative_str(obj, indent_level=0, _prev_obs=None, _tag_generator=None):
    """A short tree of `obj`: each line ``TAG. text``, expanding a node's inputs until a
    named variable or a constant; a node seen before prints as ``<TAG>``."""
    _prev_obs = {} if _prev_obs is None else _prev_obs
    indent = " " * indent_level
    if id(obj) in _prev_obs:
        return f"{indent}<{_prev_obs[id(obj)]}>"
    _tag_generator = _TagGenerator() if _tag_generator is None else _tag_generator
    tag = _prev_obs[id(obj)] = _tag_generator.get_tag()
    if hasattr(obj, "__array__"):
        name = "<ndarray>"
    elif getattr(obj, "name", None) is not None:
        name = obj.name
    elif getattr(obj, "owner", None) is not None:
        name = str(obj.owner.op)
        for ipt in obj.owner.inputs:
            name += "\n" + min_informative_str(ipt, indent_level=indent_level + 1,
                                               _prev_obs=_prev_obs,
                                               _tag_generator=_tag_generator)
    else:
        name = str(obj)
    return f"{indent}{tag}. {name}"


def var_descriptor(obj, _prev_obs=None, _tag_generator=None):
    """One line fully describing how `obj` is computed, with nothing that depends on memory
    addresses (arrays by strides and SHA-256 digest)."""
    _prev_obs = {} if _prev_obs is None else _prev_obs
    if id(obj) in _prev_obs:
        return f"<{_prev_obs[id(obj)]}>"
    _tag_generator = _TagGenerator() if _tag_generator is None else _tag_generator
    tag = _prev_obs[id(obj)] = _tag_generator.get_tag()
    if hasattr(obj, "__array__"):
        arr = np.ascontiguousarray(obj) if not isinstance(obj, np.ndarray) else obj
        name = ("<ndarray:strides=[" + ",".join(str(st) for st in arr.strides) + "]"
                + ",digest=" + hashlib.sha256(arr).hexdigest() + ">")
    elif getattr(obj, "owner", None) is not None:
        name = str(obj.owner.op) + "(" + ",".join(
            var_descriptor(ipt, _prev_obs=_prev_obs, _tag_generator=_tag_generator)
            for ipt in obj.owner.inputs) + ")"
    elif getattr(obj, "name", None) is not None:
        name = obj.name
    else:
        name = str(obj)
        if " at 0x" in name:
            name = position_independent_str(obj)
    return f"{tag}={name}"


def position_independent_str(obj):
    """``theano_var{type=...}`` for a variable (other objects: NotImplementedError)."""
    if isinstance(obj, Variable):
        return "theano_var{type=" + str(obj.type) + "}"
    raise NotImplementedError(
        "position_independent_str describes Variables only; use var_descriptor for graphs")


def hex_digest(x):
    """SHA-256 of an ndarray's bytes, annotated with its strides and shape."""
    assert isinstance(x, np.ndarray)
    digest = hashlib.sha256(x.tobytes()).hexdigest()
    return (digest + "|strides=[" + ",".join(str(st) for st in x.strides) + "]"
            + "|shape=[" + ",".join(str(d) for d in x.shape) + "]")


# The checking modes' messages (compile/node_eval.py, a lower layer) print graphs with it.
hooks.debugprint.fill(debugprint)
