"""Printing graphs: ``theano.pp`` (math-like text) and ``debugprint`` (one line per node)."""

from __future__ import absolute_import, annotations, division, print_function  # noqa: F401

import copy  # noqa: F401 - this import and the next ones marked so: names of Theano's module
import hashlib  # noqa: F401
import logging  # noqa: F401
import os  # noqa: F401
import re
import sys
import threading
from functools import reduce  # noqa: F401
from io import StringIO  # noqa: F401

import numpy as np
from six import integer_types, iteritems, string_types  # noqa: F401

from . import gof, hooks  # noqa: F401
from .compile import Function, SharedVariable, debugmode  # noqa: F401
from .config import config  # noqa: F401
from .compile.compiled import CompiledFunction
from .compile.io import SymbolicInput, SymbolicOutput
from .graph.basic import Apply, Variable
from .graph.fgraph import FunctionGraph
from .graph.op import Op
from .scalar.composite import Composite
from .tensor.elemwise import DimShuffle, Elemwise
from .tensor.math import Dot
from .tensor.subtensor import BaseIncSubtensor, BaseSubtensor, IncSubtensor

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


def pp(*args):
    """Pretty-print a variable as a math-like expression: ``((x * w) + b)``."""
    var = args[0] if len(args) == 1 else args[-1]
    if isinstance(var, Apply):
        var = var.default_output()
    if isinstance(var, (list, tuple)):
        return "\n".join(pp(v) for v in var)
    return _pp(var)


pprint = pp

# ----------------------------------------------------------------------------- debugprint


def _char_id(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _roots(obj):
    """(variable, toposort or None) for each graph `obj` holds, in Theano's order."""
    items = obj if isinstance(obj, (list, tuple, set)) else [obj]
    roots = []
    for item in items:
        if isinstance(item, CompiledFunction):
            fg = item.maker.fgraph
            order = fg.toposort()
            roots.extend((o, order) for o in fg.outputs)
        elif isinstance(item, FunctionGraph):
            order = item.toposort()
            roots.extend((o, order) for o in item.outputs)
        elif isinstance(item, Apply):
            roots.extend((o, None) for o in item.outputs)
        elif isinstance(item, Variable):
            roots.append((item, None))
        elif isinstance(item, (SymbolicInput, SymbolicOutput)):
            roots.append((item.variable, None))
        elif isinstance(item, (int, float, np.ndarray)):
            roots.append((item, None))
        else:
            raise TypeError("debugprint cannot print an object of this type", item)
    return roots


def debugprint(obj, depth=-1, print_type=False, file=None, ids="CHAR", stop_on_name=False,
               done=None, print_storage=False, used_ids=None):
    """Print one line per node, children indented with `` |`` (Theano's exact layout).

    ``ids`` is ``"CHAR"`` (``[id A]``), ``"int"`` (``[id 0]``), ``"id"`` (Python ids) or
    ``""``.  A node reached a second time is printed without its inputs.  ``file='str'``
    returns the text; a file object is written to and returned; ``None`` prints.
    """
    lines = []
    done = {} if done is None else done
    used = {}  # Theano resets used_ids on every call, whatever the caller passes

    def ident(key, obj):
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

    def walk(root, order):
        # Depth first, inputs in order, on a stack of its own (no recursion limit); each
        # line is indented by its depth, so a chain n deep prints O(n^2) characters.
        if order:
            pos_of = positions.get(id(order))
            if pos_of is None:
                pos_of = positions[id(order)] = {n: k for k, n in enumerate(order)}
        stack = [(root, "", "", depth)]
        while stack:
            v, prefix, prefix_child, depth_left = stack.pop()
            if depth_left == 0:
                continue
            type_text = f" <{v.type}>" if print_type else ""
            node = v.owner
            if node is None:
                lines.append(f"{prefix}{v} {ident(id(v), v)}{type_text}")
                continue
            already = id(node) in done
            id_str = ident(id(node), v)
            done[id(node)] = id_str
            out_idx = f".{node.outputs.index(v)}" if len(node.outputs) > 1 else ""
            pos = ""
            if order:
                pos = str(pos_of[node] if node in pos_of else order.index(node))
            name = v.name or ""
            # Theano's template: op, index, id, type, 'name', destroy map, view map, position.
            lines.append(f"{prefix}{node.op}{out_idx} {id_str}{type_text} '{name}'   {pos}")
            if already or (stop_on_name and v.name is not None):
                continue
            last = len(node.inputs) - 1
            for k in range(last, -1, -1):
                stack.append((node.inputs[k], prefix_child + " |",
                              prefix_child + ("  " if k == last else " |"), depth_left - 1))

    for root, order in _roots(obj):
        if isinstance(root, Variable):
            walk(root, order)
        else:
            lines.append(str(root))
    text = "".join(line + "\n" for line in lines)
    if file == "str":
        return text
    if file is None:
        sys.stdout.write(text)
        return None
    file.write(text)
    return file


class Print:
    """An identity op that prints its input's value when computed (theano.printing.Print)."""

    def __init__(self, message="", attrs=("__str__",)):
        self.message = message
        self.attrs = attrs

    def __call__(self, x):
        return _print_op(self.message, self.attrs)(x)


def _print_op(message, attrs):
    return _PrintOp(message, tuple(attrs))


class _PrintOp(Op):
    __props__ = ("message", "attrs")
    view_map = {0: [0]}

    def __init__(self, message, attrs):
        self.message = message
        self.attrs = attrs

    def make_node(self, x):
        return Apply(self, [x], [x.type()])

    def perform(self, node, inputs, output_storage, params=None):
        (x,) = inputs
        for attr in self.attrs:
            value = getattr(x, attr)
            if callable(value):
                value = value()
            print(self.message, attr, "=", value)
        output_storage[0][0] = x

    def L_op(self, inputs, outputs, grads):
        return grads

    def R_op(self, inputs, eval_points):
        return eval_points

    def __str__(self):
        return "Print"


# The checking modes' messages (compile/node_eval.py, a lower layer) print graphs with it.
hooks.debugprint.fill(debugprint)
